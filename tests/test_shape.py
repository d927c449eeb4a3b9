"""The engine's shape, checked as a newcomer would read it: a step of the hand-written chain rule in one place, every
function short enough to read on a slide, and the fast paths behind one seam. Reads the source (ast); trains nothing
but one short run."""

import ast
import inspect
from pathlib import Path

import numpy as np

import mlp
from mlp import step

MLP = Path(mlp.__file__).parent
MAX_LINES, MAX_PARAMS = 60, 8


def _functions(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _params(fn) -> int:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs] + [x.arg for x in (a.vararg, a.kwarg) if x]
    return len([n for n in names if n not in ("self", "cls")])


def _excepted(fn) -> bool:
    """Triton kernels (@triton.jit) and their launch wrappers (functions that launch one: kernel[grid](…))."""
    jit = any("jit" in ast.unparse(d) for d in fn.decorator_list)
    launches = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Subscript) for n in ast.walk(fn))
    return jit or launches


def test_no_function_of_the_engine_is_longer_than_a_slide_or_takes_more_than_eight_parameters():
    too_big = [f"{path.relative_to(MLP.parent)}:{fn.lineno} {fn.name}: {fn.end_lineno - fn.lineno + 1} lines, "
               f"{_params(fn)} parameters"
               for path in sorted(MLP.rglob("*.py")) for fn in _functions(path)
               if not _excepted(fn) and (fn.end_lineno - fn.lineno + 1 > MAX_LINES or _params(fn) > MAX_PARAMS)]
    assert too_big == []


def test_the_checker_sees_a_long_function_and_excepts_only_kernels_and_their_launches():
    long = ast.parse("def f(a, b, c, d, e, f, g, h, i):\n" + "    x = 1\n" * 70).body[0]
    assert long.end_lineno - long.lineno + 1 > MAX_LINES and _params(long) == 9 and not _excepted(long)
    kernel = ast.parse("@triton.jit\ndef k(a):\n    pass\n").body[0]
    launch = ast.parse("def run(a):\n    k[(1,)](a)\n").body[0]
    method = ast.parse("def m(self, a):\n    return a\n").body[0]
    assert _excepted(kernel) and _excepted(launch) and _params(method) == 1


def _imports(path: Path) -> list:
    """The modules a file imports, as absolute names (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(MLP.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(x for x in (base, node.module) if x)
            out += [module] + [f"{module}.{a.name}" for a in node.names]
    return out


def test_the_lesson_files_reach_the_fast_paths_through_their_front_only():
    """mlp/fast/ (storage, BatchLast, the kernel, replay, the device policy, the chunk pace) sits behind
    mlp/fast/__init__.py: no file of the lesson imports one of its modules directly."""
    submodules = {f"mlp.fast.{p.stem}" for p in (MLP / "fast").glob("*.py") if p.stem != "__init__"}
    assert {"mlp.fast.storage", "mlp.fast.kernel", "mlp.fast.replay", "mlp.fast.devices"} <= submodules
    past = {str(p.relative_to(MLP.parent)): sorted(set(_imports(p)) & submodules)
            for p in MLP.glob("*.py")}
    assert {k: v for k, v in past.items() if v} == {}
    assert "mlp.fast" in _imports(MLP / "loop.py")  # the scan sees the front door used


def test_the_hand_written_step_is_written_once_and_every_run_takes_it(monkeypatch):
    """step.chain_rule_step is the only code that calls backward() during training: single runs, sweeps, maps and
    stepping through a run all count their steps through it (the Chain-rule page's tables come from its
    `gradients`)."""
    callers = {str(p.relative_to(MLP.parent)) for p in MLP.rglob("*.py")
               if any(isinstance(n, ast.Call) and ast.unparse(n.func).endswith("backward")
                      and not ast.unparse(n.func).startswith(("cost", "loss"))
                      for n in ast.walk(ast.parse(p.read_text())))}
    assert callers == {"mlp/step.py"}
    calls = []
    real = step.chain_rule_step

    def counted(*args):
        calls.append(np.shape(args[0].P))
        return real(*args)

    monkeypatch.setattr(mlp.loop, "chain_rule_step", counted)
    config = mlp.Config(steps=30, device="cpu")
    mlp.train(config)
    mlp.sweep(config, 8)
    mlp.hyper_map(config, ("lr", (0.5, 1.0)), ("width", (2, 3)), 4)
    mlp.inspection._REACHED.clear()
    mlp.inspection.params_at_step(config, 12)
    assert calls.count((9,)) == 30 + 12  # the single run, then stepping through to step 12
    # the sweep's 8 nets at once (2-2-1: 9 numbers a net); the map: a batch a width, its 2 rates × 4 seeds in it
    assert calls.count((8, 9)) == 30 + 30 and calls.count((8, 13)) == 30
    assert len(calls) == 30 + 12 + 30 + 60


def test_the_chain_rule_page_shows_the_step_it_runs():
    source = inspect.getsource(step.chain_rule_step)
    assert "gradients(" in source and "rule.step(" in source and len(source.splitlines()) <= 15
