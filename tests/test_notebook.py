"""The seed notebook's own numbers: the nets it printed are drawn exactly, and trained they print its log."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from memo import trained

import mlp
from mlp.__main__ import main
from mlp.model import Layout, init_params
from mlp.notebook import CELLS, cell_of


def nn_linear_rows(draws):
    """Flat rows (our layout) of nets drawn one after another by torch.nn.Linear after manual_seed(777):
    written here from torch alone, as the notebook's cells drew them."""
    torch.manual_seed(777)
    rows = []
    for sizes in draws:
        layers = [torch.nn.Linear(i, o) for i, o in zip(sizes[:-1], sizes[1:])]
        rows.append(np.concatenate([np.concatenate([m.weight.detach().T.reshape(-1).numpy(), m.bias.detach().numpy()])
                                    for m in layers]))
    return rows


def test_notebook_init_draws_the_second_221_net_and_the_deep_net_after_it():
    first, second, deep = nn_linear_rows([(2, 2, 1), (2, 2, 1), (2, 10, 10, 10, 1)])
    assert np.array_equal(init_params(Layout((2, 2, 1)), "notebook", [777])[0], second)
    assert np.array_equal(init_params(Layout((2, 10, 10, 10, 1)), "notebook", [777])[0], deep)
    assert np.array_equal(init_params(Layout((2, 2, 1)), "default", [777])[0], first)  # seed 777 stays ordinary


@pytest.mark.parametrize("name", ["2-2-1", pytest.param("2-10-10-10-1", marks=pytest.mark.slow)])
@pytest.mark.parametrize("backend", [pytest.param("autograd", marks=pytest.mark.slow), "manual"])  # autograd: ~5×
def test_the_notebook_nets_print_the_notebooks_log(name, backend):
    cell = CELLS[name]
    run = trained(replace(cell.config, backend=backend, device="cpu"))
    log = cell.log()
    assert len(log) == len([s for s in range(10_001) if cell.logged(s)])  # the cadence is the cell's own
    step0 = log[0][1]
    assert f"{run.cost[0]:.6g}" == f"{step0:.6g}"  # 6 digits at step 0
    for step, printed in log:  # the notebook ran on a GPU: float32 on the CPU drifts by well under 1 %
        assert abs(run.cost[step] - printed) <= 0.01 * printed, (step, run.cost[step], printed)


def test_fresh_seed_777_is_another_net():
    """init="default" with seed 777 is the first draw after manual_seed(777): its step-0 cost is that net's own
    cross-entropy on XOR (written here from the drawn rows), not the notebook's printed 0.7126."""
    first = nn_linear_rows([(2, 2, 1)])[0].astype(np.float64)
    W1, b1, W2, b2 = first[:4].reshape(2, 2), first[4:6], first[6:8].reshape(2, 1), first[8:9]
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float), np.array([0, 1, 1, 0], float)
    y_hat = 1 / (1 + np.exp(-((1 / (1 + np.exp(-(X @ W1 + b1)))) @ W2 + b2)))[:, 0]
    expected = -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
    run = mlp.train(mlp.Config(steps=1, backend="autograd"))
    assert abs(run.cost[0] - expected) < 1e-6  # float32 against float64: a few ulps of a cost near 0.74
    assert abs(run.cost[0] - CELLS["2-2-1"].log()[0][1]) > 0.01  # not what the notebook printed


def test_which_cell_a_config_is():
    assert cell_of(mlp.Config(init="notebook")).name == "2-2-1"
    assert cell_of(mlp.Config(init="notebook", hidden_layers=3, width=10, steps=3001, backend="manual")).name \
        == "2-10-10-10-1"
    assert cell_of(mlp.Config()) is None  # a fresh draw is not the notebook's net
    assert cell_of(mlp.Config(init="notebook", lr=0.5)) is None
    assert cell_of(mlp.Config(init="notebook", hidden_layers=2)) is None
    assert CELLS["hand-written"].config is None  # its weights were uninitialised memory: nobody can know them


@pytest.mark.slow
def test_cli_notebook_prints_the_cells_cadence_within_one_percent(capsys):
    """What the CLI prints of a notebook cell: its steps and costs. The hand-written backend (5× quicker): the autograd
    backend's run of the same cell is held to the notebook's log above."""
    assert main(["--notebook", "2-2-1", "--device", "cpu", "--backend", "manual"]) == 0
    out = capsys.readouterr().out.splitlines()
    log = [line.split() for line in out if line and line.split()[0].isdigit() and len(line.split()) == 2]
    printed = CELLS["2-2-1"].log()
    assert [int(s) for s, _ in log] == [s for s, _ in printed]
    assert log[0][1][:8] == "0.712619"
    for (_, mine), (_, theirs) in zip(log, printed):
        assert abs(float(mine) - theirs) <= 0.01 * theirs
    assert any("the notebook's 2-2-1 cell printed 29 of these steps" in line for line in out)


def test_cli_notebook_options_still_apply(capsys):
    assert main(["--notebook", "2-10-10-10-1", "--steps", "301", "--backend", "manual"]) == 0
    out = capsys.readouterr().out
    assert "2-10-10-10-1 sigmoid, lr 1, manual" in out and "printed 4 of these steps" in out
    with pytest.raises(SystemExit) as e:
        main(["--notebook", "hand-written"])  # no config can train it: refused, with the choices
    assert e.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
