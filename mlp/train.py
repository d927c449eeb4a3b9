"""Training one net: gradient descent on the config's cost (cross-entropy or squared error, an L2 term), full-batch
or mini-batches, by its update rule (SGD, momentum, Adam), every step recorded, by either backend.

The step itself is step.chain_rule_step (hand-written) or the seed's nn cell (autograd_backend.py); the loop around
it is loop.py's. It runs in chunks of steps: inside a chunk each step stores only the raw numbers it produced (the
output logits and the flat gradient row); after the chunk, the cost, accuracy and per-layer gradient norms of all
its steps are computed at once (chunk.py), and here they become the run's records.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable, Optional

import numpy as np

from . import fast
from .autograd_backend import autograd_steps
from .config import Config
from .data import held_out_data, inputs, training_data
from .loop import Work, manual_steps
from .model import ACTIVATIONS, Layout, forward, init_params

SNAPSHOTS = 48  # parameter snapshots kept per run (log-spaced steps), for pictures of the net at a step
SNAPSHOT_BYTES = 8 << 20  # …unless they would take more than this; then only the first and last
UNIT_STEPS = 500  # steps at which each unit's own gradient size is kept (evenly spaced), for the gradient strip


@dataclass
class Progress:
    step: int  # steps done so far
    steps: int  # steps asked for
    run: "Run"  # the run so far (arrays cover the steps done)


@dataclass
class Run:
    """What one training run recorded. Arrays have one row per step done (len(cost) ≤ config.steps)."""

    config: Config
    cost: np.ndarray  # (T,) float64: the cost at each step, before that step's update
    grad_norms: np.ndarray  # (T, L) float32: ‖∂C/∂W_l‖_F per Linear layer, input side first
    bias_grad_norms: np.ndarray  # (T, L) float32: ‖∂C/∂b_l‖
    accuracy: np.ndarray  # (T,) float32: fraction of samples with (ŷ > 0.5) == y (ŷ = ½ within rounding: chunk.TIE)
    snapshots: dict  # step → flat parameter row (float32) before that step's update; `steps_done` → final
    device: str  # "cpu" or "cuda": where it actually ran
    diverged: bool = False  # cost or weights became non-finite; records stop before that step
    stopped: bool = False  # on_step asked to stop early
    seconds: float = 0.0  # wall time of the training loop
    layout: Layout = field(repr=False, default=None)
    test_cost: np.ndarray = field(repr=False, default=None)  # (T,) the loss on the held-out points at each step
    test_accuracy: np.ndarray = field(repr=False, default=None)  # (T,); both length 0 where none are held out
    unit_steps: np.ndarray = field(repr=False, default=None)  # (K,) the steps at which unit_grad_norms are kept
    unit_grad_norms: np.ndarray = field(repr=False, default=None)  # (K, U) float32: per unit, ‖∂C/∂w‖ of its
    # incoming weights (hidden units layer by layer, the output last): which units learn, and when

    def unit_columns(self, layer: int) -> slice:
        """The columns of unit_grad_norms that hold layer `layer`'s units (0-based; the last is the output)."""
        start = sum(self.config.layer_sizes[1:layer + 1])
        return slice(start, start + self.config.layer_sizes[layer + 1])

    @property
    def steps_done(self) -> int:
        return len(self.cost)

    @property
    def seconds_per_step(self) -> float:
        return self.seconds / max(1, self.steps_done)

    def zero_gradient_from(self) -> list:
        """Per layer: the first step from which ‖∂C/∂W_l‖ is exactly 0 at every later step, or None. Dead relus,
        a zero init's saddle or a saturated output: nothing flows back through that layer any more."""
        out = []
        for column in self.grad_norms.T:
            nonzero = np.flatnonzero(column != 0)
            first = int(nonzero[-1]) + 1 if len(nonzero) else 0
            out.append(first if first < len(column) else None)
        return out

    def upto(self, step: int) -> "Run":
        """The records of steps 0 … step only (views, no copy): the curves as they stood at `step`."""
        n = step + 1
        k = int(np.searchsorted(self.unit_steps, n))
        return replace(self, cost=self.cost[:n], grad_norms=self.grad_norms[:n],
                       bias_grad_norms=self.bias_grad_norms[:n], accuracy=self.accuracy[:n],
                       test_cost=self.test_cost[:n], test_accuracy=self.test_accuracy[:n],
                       unit_steps=self.unit_steps[:k], unit_grad_norms=self.unit_grad_norms[:k])

    def params_at(self, step: int, params=None):
        """W, b lists (numpy, float64) of the nearest snapshot at or before `step`, or of the flat parameter
        row `params` where the caller has the exact weights of that step (inspection.params_at_step)."""
        if params is None:
            keys = [s for s in self.snapshots if s <= step] or [min(self.snapshots)]
            params = self.snapshots[max(keys)]
        return self.layout.views(np.asarray(params, dtype=np.float64)[None])

    def activations(self, points, step: Optional[int] = None, params=None) -> list:
        """What every unit computes at `points` (n, 2) of the plane (the config's features are computed from
        them): one (n, units) array per layer, hidden layers first and the output (ŷ) last, with the final
        weights (or those at `step`, or the flat row `params`)."""
        W, b = self.params_at(self.steps_done if step is None else step, params)
        with np.errstate(all="ignore"):
            _, a = forward(W, b, inputs(points, self.config.features), ACTIVATIONS[self.config.activation].f)
        return [layer[0] for layer in a[1:]]

    def predict(self, points, step: Optional[int] = None, params=None) -> np.ndarray:
        """(n,) probability of class 1 for points (n, 2), with the final weights (or those at `step`)."""
        return self.activations(points, step, params)[-1][:, 0]


class _Records:
    """Full per-step records of one run, filled a chunk at a time."""

    def __init__(self, steps, layout, held_out: bool = False):
        layers, units = len(layout.shapes), sum(layout.sizes[1:])
        self.cost = np.empty(steps, np.float64)
        self.grad_norms = np.empty((steps, layers), np.float32)
        self.bias_grad_norms = np.empty((steps, layers), np.float32)
        self.accuracy = np.empty(steps, np.float32)
        self.held_out = held_out  # whether test_cost and test_accuracy are kept (points held out)
        self.test_cost = np.empty(steps if held_out else 0, np.float64)
        self.test_accuracy = np.empty(steps if held_out else 0, np.float32)
        self.unit_steps = np.arange(0, steps, -(-steps // UNIT_STEPS))
        self.unit_grad_norms = np.empty((len(self.unit_steps), units), np.float32)
        self.done = 0

    def add(self, chunk, layout) -> bool:
        """Append a chunk (model 0's records); False if it ran into non-finite values (kept up to there)."""
        cost, accuracy = (x[:, 0] for x in chunk.cost_and_accuracy())
        wn, bn = (x[:, 0] for x in chunk.norms(layout))
        finite = np.isfinite(cost) & np.isfinite(wn).all(-1) & np.isfinite(bn).all(-1)
        n = len(cost) if finite.all() else int(np.argmin(finite))
        sl = slice(self.done, self.done + n)
        self.cost[sl], self.accuracy[sl], self.grad_norms[sl], self.bias_grad_norms[sl] = (
            cost[:n], accuracy[:n], wn[:n], bn[:n])
        if chunk.test_logits is not None:
            self.test_cost[sl], self.test_accuracy[sl] = (x[:n, 0] for x in chunk.test_cost_and_accuracy())
        kept = np.flatnonzero((self.unit_steps >= self.done) & (self.unit_steps < self.done + n))
        if len(kept):
            self.unit_grad_norms[kept] = chunk.unit_norms(layout, self.unit_steps[kept] - self.done)[:, 0]
        self.done += n
        return n == len(cost)


def record_bytes(config: Config) -> int:
    """The bytes a run of `config` keeps once finished: its records of every step, each unit's gradient strip and
    its weight snapshots (the very allocations train makes), to bound what the app's run store holds."""
    layout = Layout(config.layer_sizes)
    records = _Records(config.steps, layout, held_out=config.test_fraction > 0)
    arrays = (records.cost, records.grad_norms, records.bias_grad_norms, records.accuracy, records.test_cost,
              records.test_accuracy, records.unit_steps, records.unit_grad_norms)
    snapshots = snapshot_steps(config.steps, layout.size) | {config.steps}  # and the final weights
    return sum(a.nbytes for a in arrays) + len(snapshots) * layout.size * np.dtype(np.float32).itemsize


def snapshot_steps(steps: int, size: int) -> set:
    if size * 4 * SNAPSHOTS > SNAPSHOT_BYTES:
        return {0, steps - 1}
    return {0, steps - 1, *np.unique(np.geomspace(1, max(1, steps - 1), SNAPSHOTS).astype(int)).tolist()}


def train(config: Config, on_step: Optional[Callable[[Progress], Optional[bool]]] = None, *,
          storage: Optional[str] = None) -> Run:
    """Train one net as `config` says and record every step.

    on_step, if given, is called after every chunk of steps (at most 256, as many as the work fits in ~0.1 s:
    fast.chunk_steps, the same on any machine) with a Progress (the step reached and the run so far). Return
    False from it to stop early: the run keeps what it recorded and `stopped` is set. An exception raised in it
    (e.g. Streamlit's rerun) ends training at once.
    Never raises for divergence: the run stops, `diverged` is set, and only finite values are kept.
    storage (hand-written backend only) picks where the loop keeps its numbers (fast.STORAGE_KINDS); by default
    the fastest for the work. "torch" on the cpu runs the code that cuda runs, for tests. "fused": the 2-2-1
    Triton kernel (mlp/fast/kernel.py), which a covered config takes by default on cuda.
    """
    if storage is not None and (storage not in fast.STORAGE_KINDS + ("fused",) or config.backend != "manual"):
        raise ValueError(f"storage={storage!r}: one of {', '.join(fast.STORAGE_KINDS)} or 'fused', "
                         "for backend='manual' only")
    layout = Layout(config.layer_sizes)
    X, Y = training_data(config)
    Xt, Yt = held_out_data(config)
    work = Work(config, layout, X, Y, init_params(layout, config.init, [config.seed]),
                fast.resolve_device(config.device, config), test=(Xt, Yt) if len(Xt) else None)
    records = _Records(config.steps, layout, held_out=len(Xt) > 0)
    snaps = {}
    run = Run(config, records.cost[:0], records.grad_norms[:0], records.bias_grad_norms[:0],
              records.accuracy[:0], snaps, work.device, layout=layout, test_cost=records.test_cost[:0],
              test_accuracy=records.test_accuracy[:0], unit_steps=records.unit_steps[:0],
              unit_grad_norms=records.unit_grad_norms[:0])
    steps_fn = BACKENDS[config.backend]
    if storage == "fused" or (storage is None and work.device == "cuda"):
        kernel = fast.fused_kernel(config, work.device, asked=storage == "fused")
        steps_fn = partial(_fused_steps, kernel, fallback=storage is None) if kernel else steps_fn
    elif storage is not None:
        steps_fn = partial(manual_steps, storage=storage)
    start = time.perf_counter()
    with np.errstate(all="ignore"):
        for chunk in steps_fn(work, snapshot_steps(config.steps, layout.size)):
            snaps.update(chunk.snapshots)
            ok = records.add(chunk, layout)
            _view(run, records, time.perf_counter() - start)
            if not ok or not chunk.finite_params:
                run.diverged = True
                break
            if on_step is not None and on_step(Progress(records.done, config.steps, run)) is False:
                run.stopped = True
                break
    if chunk.finite_params and not run.diverged:
        snaps[records.done] = chunk.params  # the final weights, used by predict()
    for s in [s for s, p in snaps.items() if s > records.done or not np.isfinite(p).all()]:
        del snaps[s]  # a diverged chunk may have run on past the last finite record
    _view(run, records, time.perf_counter() - start)
    return run


def _fused_steps(kernel, work, snap_at, fallback=True):
    """The kernel's chunks; where its first launch fails (a GPU or driver Triton cannot compile for), the
    hand-written loop's instead, with the reason logged."""
    chunks = kernel.steps_2w1(work, snap_at)
    try:
        first = next(chunks, None)
    except Exception as e:  # noqa: BLE001
        if not fallback:
            raise
        logging.getLogger("mlp").warning("the fused kernel did not run (%s: %s); the batched chain rule instead",
                                         type(e).__name__, e)
        yield from manual_steps(work, snap_at)
        return
    if first is not None:
        yield first
        yield from chunks


def _view(run, records, seconds):
    n = records.done
    run.cost, run.accuracy = records.cost[:n], records.accuracy[:n]
    run.grad_norms, run.bias_grad_norms = records.grad_norms[:n], records.bias_grad_norms[:n]
    t = n if records.held_out else 0
    run.test_cost, run.test_accuracy = records.test_cost[:t], records.test_accuracy[:t]
    k = int(np.searchsorted(records.unit_steps, n))
    run.unit_steps, run.unit_grad_norms = records.unit_steps[:k], records.unit_grad_norms[:k]
    run.seconds = seconds


BACKENDS = {
    "manual": manual_steps,  # the chain rule written out by hand (backprop.py): numpy on cpu, torch on cuda
    "autograd": autograd_steps,  # torch.nn.Linear + BCELoss + loss.backward() + optim.SGD, as the seed
}
