"""A chunk of training steps captured once as a CUDA graph, then replayed (torch.cuda.CUDAGraph).

On cuda the hand-written loop launches ~30 tiny kernels a step, and for this course's small nets the
launches cost more than the math (docs/gpu.md has the figures). A graph launches
a whole chunk of steps at once. What it needs from the loop, and gets:
  - the same memory at every replay: the weights, the chunk's gradient and logit rows and the update rule's
    state are allocated before the capture (storage.py, the first chunk) and each step writes into them;
  - nothing that changes between chunks but the numbers in that memory, and nothing a step looks at on the
    host. So: plain SGD and momentum (state updated in place), not Adam (its bias correction is a host
    number that grows every step; a graph would keep the one it saw), no mini-batches (rows drawn on the
    host), no L2 term or held-out points (their records are kept per step in Python lists);
  - two chunks run eagerly on the capture stream first (cuBLAS sets itself up there before the capture); the
    graph holds a chunk's steps (fast.chunk_steps, a count fixed by the work), and every full chunk replays it.
Where the capture fails, the loop goes on eagerly and says why (logged).

Off unless MLP_CUDA_GRAPHS=1, until bench/bench_engine.py and the cuda tests have run it on a GPU. On the cpu,
tests/test_replay.py replays it through a recorder that does what a graph does (the same operations on the
same memory, host numbers frozen at capture).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager

import numpy as np
import torch

ENV = "MLP_CUDA_GRAPHS"
DEVICES = {"cuda"}  # where graphs replay (tests add "cpu" with their recorder)
cuda = torch.cuda  # Stream, CUDAGraph, graph, stream, current_stream (tests put their recorder here)
log = logging.getLogger("mlp")


def not_replayable(config, kind, rule, test_inputs) -> str:
    """Why a chunk of this loop cannot be replayed as a graph ("" where it can)."""
    if kind != "torch":
        return f"storage {kind!r} is not torch tensors"
    if config.batch_size:
        return "mini-batches are drawn on the host every step"
    if not rule.replays:
        return f"the {config.optimizer} rule changes a host number every step"
    if config.l2 or test_inputs is not None:
        return "the L2 term and held-out records are kept per step on the host"
    return ""


class Plan:
    """A loop's graph: made by `make` where one may replay it; then `run` runs each chunk, two eagerly, the next
    captured once, and from then on every full chunk by replay."""

    @classmethod
    def make(cls, config, kind, device, rule, test_inputs, storage):
        if device not in DEVICES or os.environ.get(ENV) != "1":
            return None
        why = not_replayable(config, kind, rule, test_inputs)
        if why:
            log.info("no CUDA graph for this run: %s", why)
            return None
        return cls(storage, rule)

    def __init__(self, storage, rule):
        self.s, self.rule = storage, rule
        self.side = cuda.Stream()
        self.graph, self.weights, self.n, self.tried, self.eager = None, None, 0, False, 0

    @property
    def ready(self) -> bool:
        return self.graph is not None

    def run(self, step: int, n: int, snap_at, one_step, weights) -> dict:
        """The chunk of steps step … step + n − 1 (one_step(i) takes its i-th; weights() is net 0's now): by replay
        where the graph holds n steps, else eagerly on the capture stream. Returns its snapshots (step → weights)."""
        if self.eager >= 2 and not self.tried:  # warmed up: capture a chunk of this size
            self.capture(one_step, n, snap_at)
        if self.ready and n == self.n:
            return self.replay(step, snap_at)
        kept = {}
        with self.stream():
            for i in range(n):
                if step + i in snap_at:
                    kept[step + i] = weights()
                one_step(i)
        self.eager += 1
        return kept

    @contextmanager
    def stream(self):
        """Eager chunks run on the capture stream, ordered with the rest of the work."""
        self.side.wait_stream(cuda.current_stream())
        with cuda.stream(self.side):
            yield
        cuda.current_stream().wait_stream(self.side)

    def capture(self, one_step, n: int, snap_at) -> None:
        """Record one_step(0) … one_step(n − 1), and net 0's weights before each where the run keeps some. Once:
        where it fails, the run stays eager."""
        if self.tried:
            return
        self.tried = True
        P = self.s.net.P
        row = P.reshape(-1, P.shape[-1])[0]
        weights = torch.empty((n, row.numel()), dtype=P.dtype, device=P.device) if snap_at else None
        state = dict(self.rule.state)  # the rule's state as it stands: a replay needs it to stay in this memory
        static = [P] + [v for v in state.values() if isinstance(v, torch.Tensor)]
        before = [t.clone() for t in static]
        graph = cuda.CUDAGraph()
        try:
            with cuda.graph(graph, stream=self.side, capture_error_mode="thread_local"):
                for i in range(n):
                    if weights is not None:
                        weights[i].copy_(row)
                    one_step(i)
        except Exception as e:  # noqa: BLE001  (an operation the graph cannot hold: the loop stays eager)
            log.warning("CUDA graph capture failed (%s: %s); the run goes on eagerly", type(e).__name__, e)
            graph.reset()  # its memory goes now, not when the collector finds it
            self.side = cuda.current_stream()
            return
        finally:
            for t, v in zip(static, before):  # a capture does no work; these copies make sure of it
                t.copy_(v)
        if self.rule.state.keys() != state.keys() or any(self.rule.state[k] is not v for k, v in state.items()):
            log.warning("a step put the rule's state in new memory; the run goes on eagerly")
            self.rule.state = state  # as it was (the new tensors were never computed)
            return
        self.graph, self.weights, self.n = graph, weights, n

    def replay(self, step: int, snap_at) -> dict:
        """The chunk of steps step … step + n − 1: its records land where the eager chunk's do. Returns the
        snapshots (step → net 0's float32 weights) of the snapshot steps in it."""
        self.graph.replay()
        kept = [k for k in sorted(snap_at) if step <= k < step + self.n]
        if not kept:
            return {}
        rows = self.weights[[k - step for k in kept]].cpu().numpy().astype(np.float32)
        return dict(zip(kept, rows))
