"""The loop around a step: what both backends share, so that they differ in their step alone.

A run's steps go in chunks (their size fixed by the work: fast.chunk_steps). Around each step the loop keeps net 0's
weights where the run keeps a snapshot; the step itself records its raw numbers (gradient row, output logits, on
held-out points too) in the chunk's row, and after the chunk the backend hands them back as one Chunk, from which
train.py and sweeps.py make their records. A stepper is what a backend gives the loop:

    weights()           net 0's flat parameters now (float32 numpy): a snapshot
    step(i, at) → bool  take the run's step `at`, its records in row i of the chunk; False: it could not (the
                        autograd backend's cost went non-finite) and the run ends there
    chunk(n, kept)      the Chunk of the last n steps, with the snapshots `kept`
    replay(step, n, snap_at)  the whole chunk at once where a CUDA graph may replay it (its snapshots), else None

ChainRule is the hand-written backend's stepper (its step: step.chain_rule_step); the autograd backend's is in
autograd_backend.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

from . import fast
from .chunk import Chunk
from .config import Config
from .data import batch_rows
from .losses import LOSSES, l2_term
from .model import Layout, forward
from .optim import make_rule
from .step import Recipe, chain_rule_step


@dataclass
class Work:
    """What a loop trains: the config's nets, from their initial flat rows P0 (B, size), on X, Y (numpy)."""

    config: Config
    layout: Layout
    X: np.ndarray  # (N, k) shared by all nets, or (B, N, k) one set a net (the noisy datasets' sweeps)
    Y: np.ndarray  # (N, 1) or (B, N, 1)
    P0: np.ndarray
    device: str
    test: Optional[tuple] = None  # held-out inputs and labels (numpy), whose output logits are kept at every step
    seeds: Optional[np.ndarray] = None  # each net's seed for its mini-batches (default: config.seed + j for net j)
    lr: Optional[np.ndarray] = None  # each net's learning rate, where a map's nets differ in it
    rule_state: Optional[dict] = None  # the update rule's state to go on from (stepping through a run)
    first_step: int = 0  # the run's step this loop starts at

    @property
    def nets(self) -> int:
        return self.P0.shape[0]

    def chunk_steps(self) -> int:
        samples = self.X.shape[-2] + (0 if self.test is None else len(self.test[0]))
        return fast.chunk_steps(self.config.backend, self.layout, self.nets, samples, self.device)


def chunks(stepper, work: Work, snap_at):
    """Run work.config.steps steps of `stepper` a chunk at a time, yielding each chunk's Chunk."""
    size, step, steps = work.chunk_steps(), 0, work.config.steps
    while step < steps:
        n = min(size, steps - step)
        kept = stepper.replay(step, n, snap_at)
        going = True
        if kept is None:
            kept = {}
            for i in range(n):
                if step + i in snap_at:
                    kept[step + i] = stepper.weights()
                if not stepper.step(i, work.first_step + step + i):
                    n, going = i, False
                    break
        step += n
        yield stepper.chunk(n, kept)
        if not going:
            return


class ChainRule:
    """The hand-written backend's stepper: the numbers where mlp.fast keeps them (numpy, batch-last or torch
    arrays), each step by step.chain_rule_step, and the records the run keeps beside it."""

    def __init__(self, work: Work, storage: Optional[str] = None):
        config, X = work.config, work.X
        kind = storage or fast.choose_storage(work.layout, X.shape[-2], work.nets, work.device)
        if config.batch_size and kind == "batch_last":  # a mini-batch per net is a gather, which BatchLast lacks
            kind = "numpy"
        self.work, self.config = work, config
        self.s = fast.make_storage(kind, work.layout, X, work.Y, work.P0, work.device, config.dtype,
                                   work.chunk_steps())
        self.recipe = Recipe.of(config, X.shape[-2])
        self.rule = make_rule(config)
        if work.rule_state:
            self.rule.load(work.rule_state)
        if work.lr is not None:  # a learning rate per net (maps.hyper_map)
            self.rule.lr = fast.per_net(work.lr, self.s.net.P, kind == "batch_last")
        self.seeds = config.seed + np.arange(work.nets) if work.seeds is None else work.seeds
        self.Xt = self.s.convert(work.test[0]) if work.test is not None else None
        self.penalty, self.tested = [], []  # this chunk's L2 terms and held-out logits, a step each
        self.graphs = fast.Plan.make(config, kind, work.device, self.rule, self.Xt, self.s)

    def weights(self):
        return self.s.model0()

    def step(self, i: int, at: int) -> bool:
        s, net = self.s, self.s.net
        X, Y = s.X, s.Y
        if self.config.batch_size:  # the step's cost on all training points, its gradient on its mini-batch
            s.logits[i][...] = forward(net.W, net.b, s.X, self.recipe.f)[0][-1]
            rows = batch_rows(self.config, self.work.X.shape[-2], at, self.seeds)
            X, Y = _rows_of(s.X, rows, self.work.nets == 1), _rows_of(s.Y, rows, self.work.nets == 1)
        if self.Xt is not None:  # the held-out points, at the same weights: the test cost of this step
            self.tested.append(forward(net.W, net.b, self.Xt, self.recipe.f)[0][-1])
        if self.config.l2:  # the L2 term of this step's cost, at the weights before its update
            self.penalty.append(l2_term(net.W, self.config.l2))
        z = chain_rule_step(net, X, Y, self.recipe, self.rule, s.rows[i])
        if not self.config.batch_size:
            s.logits[i][...] = z[-1]
        return True

    def replay(self, step: int, n: int, snap_at):
        if self.graphs is None:
            return None
        at = self.work.first_step + step
        return self.graphs.run(step, n, snap_at, lambda i: self.step(i, at + i), self.weights)

    def chunk(self, n: int, kept: dict) -> Chunk:
        final = self.s.model0()
        grads, logits = self.s.raw(n)
        test = self.work.test
        penalty, tested, self.penalty, self.tested = self.penalty[:n], self.tested[:n], [], []
        return Chunk(grads, self.s.y, final, bool(np.isfinite(final).all()), kept, logits=logits,
                     rule_state=self.rule.state, cost_fn=LOSSES[self.config.loss].cost,
                     penalty=_stacked(penalty) if penalty else None,
                     test_logits=_stacked(tested, True) if tested else None,
                     test_y=None if test is None else test[1][..., 0])


def manual_steps(work: Work, snap_at, storage: Optional[str] = None):
    """The hand-written chain rule's chunks, wherever `storage` keeps the numbers (fast.STORAGE_KINDS; by default
    the fastest for the work). With config.batch_size each step's gradient is its mini-batch's (data.batch_rows;
    net j shuffles with seed config.seed + j unless work.seeds says) and its cost is taken on all training points."""
    return chunks(ChainRule(work, storage), work, snap_at)


def _rows_of(x, rows, single: bool):
    """The mini-batch's rows of x: x (N, k) shared by all nets or (B, N, k) one per net; rows (B, r)."""
    if isinstance(x, torch.Tensor):
        rows = torch.as_tensor(rows, device=x.device)
        if single or x.dim() == 2:
            return x[rows[0]] if single else x[rows]
        return torch.gather(x, -2, rows[..., None].expand(-1, -1, x.shape[-1]))
    if single or x.ndim == 2:
        return x[rows[0]] if single else x[rows]
    return np.take_along_axis(x, rows[..., None], axis=-2)


def _stacked(rows, logits=False):
    """A chunk's per-step numbers as one array, numpy, or torch where they were made: the L2 terms (n, B),
    or held-out logits (n, B, N_test)."""
    stack = torch.stack(rows) if isinstance(rows[0], torch.Tensor) else np.stack([np.atleast_1d(r) for r in rows])
    return stack.reshape(len(rows), -1, stack.shape[-2]) if logits else stack.reshape(len(rows), -1)
