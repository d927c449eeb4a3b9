"""CUDA-graph replay of a chunk of steps (mlp/replay.py), checked on the cpu with a recorder that does what a
graph does: it records every operation of the captured steps with the tensors it used, and each replay runs
the same operations on the same memory, with the host numbers they were given at capture. On a GPU the cuda
tests in test_engine.py replay real graphs."""

import importlib
from contextlib import nullcontext
from dataclasses import replace

import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

import mlp
from mlp import optim
from mlp.fast import replay
from mlp.model import Layout


class _Recorder(TorchDispatchMode):
    """A CUDA graph on the cpu: capture records, replay re-runs each operation and writes its result into the
    tensor the capture made (the graph's fixed memory); in-place operations and views act on their own memory."""

    def __init__(self):
        super().__init__()
        self.ops, self.replays = [], 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        self.ops.append((func, args, kwargs or {}, out))
        return out

    def reset(self):
        self.ops = []

    def replay(self):
        self.replays += 1
        for func, args, kwargs, out in self.ops:
            new = func(*args, **kwargs)
            if func.is_view or func._schema.is_mutable:
                continue
            for kept, fresh in zip(tree_leaves(out), tree_leaves(new)):
                if isinstance(kept, torch.Tensor):
                    kept.copy_(fresh)


class _Stream:
    def wait_stream(self, other):
        pass


class _Cuda:
    """What replay.py uses of torch.cuda, on the cpu."""

    Stream = _Stream
    CUDAGraph = _Recorder

    @staticmethod
    def current_stream():
        return _Stream()

    @staticmethod
    def stream(s):
        return nullcontext()

    @staticmethod
    def graph(g, stream=None, capture_error_mode=None):
        return g


@pytest.fixture
def graphs(monkeypatch):
    """Graph replay switched on for cpu runs of the torch path; yields the graphs made."""
    made = []

    class Counted(_Recorder):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(replay, "cuda", type("Cuda", (_Cuda,), {"CUDAGraph": Counted}))
    monkeypatch.setattr(replay, "DEVICES", {"cpu"})
    monkeypatch.setenv(replay.ENV, "1")
    yield made


def _eager(monkeypatch, run):
    monkeypatch.delenv(replay.ENV)
    try:
        return run()
    finally:
        monkeypatch.setenv(replay.ENV, "1")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_a_replayed_run_records_what_the_eager_run_records_bit_for_bit(graphs, monkeypatch, optimizer):
    config = mlp.Config(steps=1000, hidden_layers=2, width=5, activation="tanh", lr=0.5, optimizer=optimizer,
                        momentum=0.9, device="cpu")
    replayed = mlp.train(config, storage="torch")  # chunks of 256: two eager (then captured), replayed, eager tail
    assert len(graphs) == 1 and graphs[0].replays == 1
    eager = _eager(monkeypatch, lambda: mlp.train(config, storage="torch"))
    assert replayed.steps_done == eager.steps_done == 1000
    np.testing.assert_array_equal(replayed.cost, eager.cost)
    np.testing.assert_array_equal(replayed.grad_norms, eager.grad_norms)
    np.testing.assert_array_equal(replayed.unit_grad_norms, eager.unit_grad_norms)
    assert sorted(replayed.snapshots) == sorted(eager.snapshots)
    assert any(512 <= k < 768 for k in replayed.snapshots)  # weights kept inside the replayed chunk are compared
    for k, weights in eager.snapshots.items():
        np.testing.assert_array_equal(replayed.snapshots[k], weights)
    assert eager.cost[-1] < 0.1 * eager.cost[0]  # it learned, the replayed chunk included


def test_a_graph_holds_a_chunk_of_the_length_the_work_sets(graphs, monkeypatch):
    """A chunk holds as many steps as the work fits in ~0.1 s by fast.chunk_steps' estimate: for a net estimated 200×
    slower a step, a few; the graph holds that many, and every full chunk after the two eager ones replays it."""
    pace = importlib.import_module("mlp.fast.pace")
    monkeypatch.setattr(pace, "STEP_SECONDS", {k: (200 * a, 200 * b) for k, (a, b) in pace.STEP_SECONDS.items()})
    config = mlp.Config(steps=40, hidden_layers=2, width=5, device="cpu")
    chunk = mlp.fast.chunk_steps("manual", Layout(config.layer_sizes), 1, 4)
    assert 2 <= chunk <= 8, chunk
    replayed = mlp.train(config, storage="torch")  # two eager chunks, then the full ones replayed, an eager tail
    assert len(graphs) == 1 and graphs[0].replays == 40 // chunk - 2
    eager = _eager(monkeypatch, lambda: mlp.train(config, storage="torch"))
    assert replayed.steps_done == eager.steps_done == 40
    np.testing.assert_array_equal(replayed.cost, eager.cost)
    np.testing.assert_array_equal(replayed.grad_norms, eager.grad_norms)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_a_replayed_sweep_equals_the_eager_sweep(graphs, monkeypatch):
    config = mlp.Config(steps=1300, seed=3, lr=2.0, device="cpu")
    replayed = mlp.sweep(config, 64, storage="torch")
    assert len(graphs) == 1 and graphs[0].replays == 3  # 5 chunks of 256 steps: two eager, then replayed
    eager = _eager(monkeypatch, lambda: mlp.sweep(config, 64, storage="torch"))
    np.testing.assert_array_equal(replayed.cost, eager.cost)
    np.testing.assert_array_equal(replayed.solved_step, eager.solved_step)
    assert (eager.solved_step >= 0).any()


@pytest.mark.slow  # ~1.5–2 s on an AMD EPYC: out of the fast lane
def test_the_recorder_keeps_host_numbers_as_a_graph_would(graphs, monkeypatch):
    """Adam's bias correction is a host number that changes every step: replayed, it would stay the one seen at
    capture. The recorder shows it (so it is a real check), and Adam is never replayed."""
    config = mlp.Config(steps=1300, optimizer="adam", lr=0.05, device="cpu")
    eager = mlp.train(config, storage="torch")
    assert not graphs  # refused: no graph made
    monkeypatch.setattr(optim.Adam, "replays", True)
    wrong = mlp.train(config, storage="torch")
    assert len(graphs) == 1 and graphs[0].replays == 3  # steps 512–767, 768–1023, 1024–1279
    np.testing.assert_array_equal(wrong.cost[:512], eager.cost[:512])  # the eager chunks
    # the capture saw t = 513 … 768, right for the first replay only: the next ones repeat them
    assert np.abs(wrong.cost[780:1024] - eager.cost[780:1024]).min() > 1e-7


def test_a_rule_that_puts_its_state_in_new_memory_is_not_replayed(graphs, monkeypatch, caplog):
    """A replay finds a rule's state where the capture saw it; a rule that rebinds it every step (same math as
    momentum) would replay against stale memory: the capture sees it, drops the graph, and the run goes on
    eagerly with the state as it was."""
    def rebinding(self, P, g):
        v = self.state.get("v", g * 0) * self.mu + g
        self.state["v"] = v
        P -= self.lr * v

    monkeypatch.setattr(optim.Momentum, "step", rebinding)
    config = mlp.Config(steps=900, optimizer="momentum", momentum=0.9, lr=0.3, device="cpu")
    with caplog.at_level("WARNING", logger="mlp"):
        run = mlp.train(config, storage="torch")
    assert "new memory" in caplog.text and graphs and graphs[0].replays == 0
    eager = _eager(monkeypatch, lambda: mlp.train(config, storage="torch"))
    np.testing.assert_array_equal(run.cost, eager.cost)


@pytest.mark.parametrize("change, why", [
    (dict(optimizer="adam"), "host number"), (dict(batch_size=2), "mini-batches"), (dict(l2=0.01), "L2"),
    (dict(dataset="circle", test_fraction=0.25), "held-out"),
])
def test_what_a_graph_cannot_replay_runs_eagerly_and_says_why(graphs, caplog, change, why):
    config = replace(mlp.Config(steps=600, device="cpu"), **change)
    with caplog.at_level("INFO", logger="mlp"):
        run = mlp.train(config, storage="torch")
    assert run.steps_done == 600 and not graphs
    assert why in caplog.text


def test_a_failed_capture_leaves_the_run_eager_and_logged(graphs, monkeypatch, caplog):
    def refuse(g, stream=None, capture_error_mode=None):
        raise RuntimeError("operation not permitted when stream is capturing")

    monkeypatch.setattr(replay.cuda, "graph", staticmethod(refuse))
    config = mlp.Config(steps=900, device="cpu")
    with caplog.at_level("WARNING", logger="mlp"):
        run = mlp.train(config, storage="torch")
    eager = _eager(monkeypatch, lambda: mlp.train(config, storage="torch"))
    np.testing.assert_array_equal(run.cost, eager.cost)  # the weights were left as they were
    assert caplog.text.count("capture failed") == 1  # tried once, not every chunk


def test_graphs_are_off_unless_asked_for():
    assert replay.Plan.make(mlp.Config(), "torch", "cuda", optim.SGD(mlp.Config()), None, None) is None


@pytest.mark.cuda
@pytest.mark.parametrize("n_seeds", [None, 256])
def test_real_cuda_graphs_replay_what_the_eager_loop_trains(monkeypatch, caplog, n_seeds):
    """On a GPU: a 2-10-10-10-1 run (not the fused kernel's) and a sweep of 256, replayed by real CUDA graphs,
    against the same on the same GPU eagerly."""
    replays = []
    real_replay = replay.Plan.replay
    monkeypatch.setattr(replay.Plan, "replay", lambda self, *a: replays.append(1) or real_replay(self, *a))
    config = mlp.Config(steps=1200, hidden_layers=3, width=10, device="cuda")
    train = (lambda: mlp.train(config)) if n_seeds is None else (lambda: mlp.sweep(config, n_seeds))
    monkeypatch.setenv(replay.ENV, "1")
    with caplog.at_level("INFO", logger="mlp"):
        replayed = train()
    assert replays and "CUDA graph" not in caplog.text, caplog.text  # captured, and replayed
    monkeypatch.delenv(replay.ENV)
    eager = train()
    np.testing.assert_allclose(replayed.cost, eager.cost, atol=1e-6)
    np.testing.assert_allclose(replayed.grad_norms, eager.grad_norms, atol=1e-6)
    if n_seeds is None:
        for k, weights in eager.snapshots.items():
            np.testing.assert_allclose(replayed.snapshots[k], weights, atol=1e-6)
    else:
        np.testing.assert_array_equal(replayed.solved_step, eager.solved_step)


def test_what_replay_calls_of_torch_cuda_exists_in_this_torch():
    """The recorder stands in for torch.cuda in the tests above; the calls replay.py makes of the real one exist,
    with the arguments it passes (a CPU-only build has them too)."""
    import inspect

    assert {"cuda_graph", "stream", "capture_error_mode"} <= set(inspect.signature(torch.cuda.graph).parameters)
    import ast

    source = ast.parse(inspect.getsource(replay))
    used = {n.attr for n in ast.walk(source)  # every cuda.X that replay.py names
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "cuda"}
    assert {"Stream", "CUDAGraph", "graph", "stream", "current_stream"} <= used
    assert [name for name in used if not callable(getattr(torch.cuda, name, None))] == []
    methods = {n.func.attr for n in ast.walk(source) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert {"replay", "reset", "wait_stream"} <= methods  # … and the methods it calls on a graph and a stream
    assert all(callable(getattr(torch.cuda.CUDAGraph, m)) for m in ("replay", "reset"))
    assert callable(torch.cuda.Stream.wait_stream) and replay.cuda is torch.cuda
