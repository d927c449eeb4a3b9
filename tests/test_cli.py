"""python -m mlp: the seed's log, every option documented, bad values refused in one line."""

import sys
from dataclasses import fields

import pytest

import mlp
from mlp.__main__ import logged, main


def run_module(*args):
    """`python -m mlp …` in this process (runpy runs mlp/__main__.py as __main__): (exit status, stdout)."""
    import contextlib
    import io
    import runpy
    import warnings

    out, argv = io.StringIO(), sys.argv
    sys.argv = ["python -m mlp", *args]
    try:
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as e, warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # mlp.__main__ is imported already (by this file)
            runpy.run_module("mlp", run_name="__main__", alter_sys=False)
    finally:
        sys.argv = argv
    return e.value.code, out.getvalue()


def test_prints_the_seed_log_and_the_xor_predictions(capsys):
    assert main(["--steps", "3001", "--device", "cpu"]) == 0
    out = capsys.readouterr().out.splitlines()
    log = [line.split() for line in out if line and line.split()[0].isdigit() and len(line.split()) == 2]
    steps = [int(s) for s, _ in log]
    assert steps == list(range(0, 2000, 100)) + [2000, 2500, 3000]
    run = mlp.train(mlp.Config(steps=3001, device="cpu"))
    assert [float(c) for _, c in log] == [run.cost[s] for s in steps]
    assert any(line.startswith("0  1  -> ") for line in out) and any("µs/step" in line for line in out)


def test_seed_cadence():
    assert [s for s in range(3001) if logged(s)] == list(range(0, 2000, 100)) + [2000, 2500, 3000]


def test_help_documents_every_config_field():
    status, out = run_module("--help")  # mlp/__main__.py run as `python -m mlp` runs it: the entry point works
    assert status == 0
    for f in fields(mlp.Config):
        if f.name != "own_points":  # the students' own points are made on the Train page, not typed
            assert f"--{f.name.replace('_', '-')}" in out
    assert "x1sq" in out and "sin_x1" in out  # the features one can name


def test_features_from_the_command_line(capsys):
    assert main(["--hidden-layers", "0", "--features", "x1,x2,x1x2", "--steps", "3000"]) == 0
    out = capsys.readouterr().out
    assert "3-1 sigmoid (inputs x1, x2, x1x2)" in out and "accuracy on the training data: 1.000" in out


@pytest.mark.parametrize("args,word", [
    (["--width", "0"], "width"), (["--lr", "abc"], "--lr"), (["--lr", "-1"], "lr"), (["--backend", "jax"], "backend"),
    (["--steps", "999999999"], "steps"), (["--hidden-layers", "17"], "hidden_layers"), (["--lr", "nan"], "lr"),
    (["--bogus"], "bogus"), (["--features", "x1,x9"], "x9"), (["--features", ""], "feature"),
])
def test_bad_values_exit_2_with_one_line(args, word, capsys):
    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and word in lines[0] and "Traceback" not in err


def test_divergence_is_reported_not_raised(capsys):
    assert main(["--lr", "1000000", "--activation", "relu", "--hidden-layers", "3", "--width", "16",
                 "--steps", "500", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "diverged" in out and "lower --lr" in out
