"""Many seeds at once: B nets of one architecture trained as one batched program.

The nets differ only in their seed (their initial weights, and the data of the noisy datasets). They
run through the same hand-written chain rule as a single run (step.chain_rule_step in loop.manual_steps, with a
leading batch axis of B), so there is no second implementation. A sweep keeps only what the Robustness page shows:
per seed, the cost and gradient norms at a few hundred fixed steps, the final cost, and the first step
at which the net solved the task.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Callable, Optional

import numpy as np
import torch

from . import fast
from .chunk import to_numpy
from .config import MAX_SEEDS, Config
from .data import DATASETS, samples, training_data
from .fast import resolve_device
from .loop import Work, manual_steps
from .losses import LOSSES
from .model import Layout, init_params

SOLVED_COST = LOSSES["bce"].solved  # solved: the seed's cross-entropy below this (each loss's own: Loss.solved)
SOLVED_ACCURACY = {True: 0.95, False: 1.0}  # … and this accuracy (noisy datasets: 95 %; truth tables: all 4)


@dataclass
class Sweep:
    config: Config
    seeds: np.ndarray  # (B,) the seeds: config.seed, config.seed + 1, …
    steps: np.ndarray  # (S,) the steps at which curves are kept
    cost: np.ndarray  # (B, S) float32, NaN after a net diverged
    grad_norms: np.ndarray  # (B, S, L) float32: ‖∂C/∂W_l‖, input side first
    final_cost: np.ndarray  # (B,) cost at the last step (NaN if it diverged)
    final_accuracy: np.ndarray  # (B,)
    solved_step: np.ndarray  # (B,) first step with cost < LOSSES[loss].solved and accuracy ≥ the threshold; -1 = never
    diverged: np.ndarray  # (B,) bool
    device: str
    seconds: float  # wall time of the training loop
    steps_done: int

    def plateau_end(self, drop: float = 0.8) -> np.ndarray:
        """(B,) per net, the first kept step whose cost is below `drop` × its cost at step 0: where it leaves the
        plateau it starts on (−1 = never, in the steps kept)."""
        below = self.cost < drop * self.cost[:, :1]
        return np.where(below.any(1), self.steps[below.argmax(1)], -1)

    @property
    def stuck(self) -> np.ndarray:
        """Nets that never solved the task in the steps given (diverged ones included)."""
        return self.solved_step < 0

    @property
    def solved_fraction(self) -> float:
        return float((~self.stuck).mean())

    @property
    def model_steps_per_second(self) -> float:
        return len(self.seeds) * self.steps_done / max(self.seconds, 1e-12)


def sweep_bytes(config: Config, n_seeds: int, max_points: int = 240) -> int:
    """About how much memory a sweep of n_seeds nets needs where it trains (its buffers, parameters, the
    forward pass's activations, the kept records), so that one too big is refused before any work."""
    layout = Layout(config.layer_sizes)
    N = samples(config)
    per_net = 4 * (8 * layout.size  # parameters, gradients, the rule's state
                   + 6 * N * sum(layout.sizes)  # z, a, δ of every layer, and temporaries
                   + max_points * (2 + len(layout.shapes)))  # kept cost and norms
    return n_seeds * per_net + 4 * fast.CHUNK_ELEMENTS["cuda"]  # a chunk's raw records are bounded (chunk.py)


def max_seeds(config: Config) -> int:
    """The most nets one sweep of `config` may train at once on its device: 1,024 on the cpu; on cuda up
    to 65,536, fewer where the GPU's free memory would not hold them (estimated with sweep_bytes). 'auto'
    with a GPU: cuda's (auto takes the GPU for a sweep of more nets than the cpu's limit)."""
    device = resolve_device(config.device, config, MAX_SEEDS["cpu"] + 1)
    if device != "cuda":
        return MAX_SEEDS["cpu"]
    free, _ = torch.cuda.mem_get_info()
    chunk = 4 * fast.CHUNK_ELEMENTS["cuda"]
    fits = int((0.8 * free - chunk) // max(1, sweep_bytes(config, 1) - chunk))
    return max(1, min(MAX_SEEDS["cuda"], fits))


def kept_steps(steps: int, max_points: int = 240) -> np.ndarray:
    """Fixed steps to keep for every seed: log-spaced (the plateau) and evenly spaced, first and last."""
    if steps <= max_points:
        return np.arange(steps)
    k = (max_points - 2) // 2
    return np.unique(np.concatenate([[0, steps - 1], np.geomspace(1, steps - 1, k).astype(int),
                                     np.linspace(0, steps - 1, k).astype(int)]))


def sweep(config: Config, n_seeds: int, on_step: Optional[Callable] = None, max_points: int = 240, *,
          storage: Optional[str] = None, seeds=None, lr=None, inits=None) -> Sweep:
    """Train n_seeds nets (seeds config.seed, config.seed + 1, …) at once with the hand-written chain rule.

    on_step(step, steps) is called after every chunk; return False to stop early (steps_done < steps).
    storage picks where the numbers live (fast.STORAGE_KINDS; by default the fastest for the work).
    seeds, lr, inits (maps.hyper_map): the nets' own seeds (n_seeds of them, repeats allowed), learning rates and
    initialisations (INITS names).
    """
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, int) or n_seeds < 1:
        raise ValueError(f"n_seeds={n_seeds!r} must be a whole number from 1 to {MAX_SEEDS['cpu']:,} "
                         f"({MAX_SEEDS['cuda']:,} on cuda)")
    limit = max_seeds(config)
    if n_seeds > limit:
        raise ValueError(f"n_seeds={n_seeds:,} is more than {limit:,}, the most a sweep of this net trains at once "
                         f"on {resolve_device(config.device, config, n_seeds)} "
                         f"(about {sweep_bytes(config, n_seeds) / 2**30:.1f} GiB; "
                         f"{MAX_SEEDS['cpu']:,} on the cpu, up to {MAX_SEEDS['cuda']:,} on cuda as memory allows)")
    if config.backend != "manual":
        raise ValueError("sweeps use the hand-written chain rule (backend='manual'); autograd trains one net at a time")
    work = _work(config, n_seeds, seeds, lr, inits)
    keep = kept_steps(config.steps, max_points)
    if storage is None:
        fused = _fused(work, keep, on_step)
        if fused is not None:
            return fused
    B, S, L = n_seeds, len(keep), len(work.layout.shapes)
    cost, norms = np.full((B, S), np.nan, np.float32), np.full((B, S, L), np.nan, np.float32)
    solved, diverged = np.full(B, -1), np.zeros(B, bool)
    final_cost, final_acc = np.full(B, np.nan), np.zeros(B)
    need = SOLVED_ACCURACY[DATASETS[config.dataset].noisy]
    step, start = 0, time.perf_counter()
    with np.errstate(all="ignore"):
        for chunk in manual_steps(work, set(), storage=storage):
            n = len(chunk)
            rows = np.flatnonzero((keep >= step) & (keep < step + n))  # the kept steps in this chunk
            kept_cost, kept_alive, first, bad, final_cost, final_acc = _tally(
                *chunk.cost_and_accuracy(host=False), keep[rows] - step, LOSSES[config.loss].solved, need)
            diverged |= bad
            cost[:, rows] = kept_cost.T
            wn, _ = chunk.norms(work.layout, keep[rows] - step)  # norms of the kept steps only
            norms[:, rows] = np.where(kept_alive[:, :, None], wn, np.nan).transpose(1, 0, 2)
            solved = np.where((solved < 0) & (first >= 0), first + step, solved)
            step += n
            if on_step is not None and on_step(step, config.steps) is False:
                break
    solved[diverged & (solved < 0)] = -1
    return Sweep(config, work.seeds, keep, cost, norms, final_cost, final_acc, solved, diverged, work.device,
                 time.perf_counter() - start, step)


def _work(config: Config, n_seeds: int, seeds, lr, inits) -> Work:
    """The sweep's nets for the loop: their seeds, data (each seed its own sample of a noisy dataset, as its single
    run draws it), initial weights (each by its own init where `inits` says) and learning rates."""
    layout = Layout(config.layer_sizes)
    seeds = config.seed + np.arange(n_seeds) if seeds is None else np.asarray(seeds)
    if seeds.max() > 2**31 - 1:
        raise ValueError(f"seed={config.seed} + {n_seeds} seeds passes the largest seed, 2**31 - 1")
    if DATASETS[config.dataset].noisy:
        data = [training_data(replace(config, seed=int(s))) for s in seeds]
        X, Y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
    else:
        X, Y = training_data(config)
    if inits is None:
        P0 = init_params(layout, config.init, seeds)
    else:
        P0 = np.concatenate([init_params(layout, init, [seed]) for init, seed in zip(inits, seeds)])
    device = resolve_device(config.device, config, n_seeds)
    return Work(config, layout, X, Y, P0, device, seeds=seeds, lr=lr)


def _tally(cost, accuracy, kept, solved_cost: float, need: float):
    """A chunk's share of a sweep, reduced where its numbers are: numpy on the cpu, torch on a GPU (they stay
    there). cost, accuracy: (n, B) every step of every net; kept: the chunk's rows to keep. Returns numpy:
    the kept rows' cost (NaN from where a net went non-finite) and whether each net was still finite there,
    each net's first solved row in the chunk (−1: none), whether it went non-finite, its last cost and accuracy."""
    xp = torch if isinstance(cost, torch.Tensor) else np
    n = len(cost)
    bad = ~xp.isfinite(cost)
    alive = (torch.arange(n, device=cost.device) if xp is torch else np.arange(n))[:, None] < _first(bad, xp)
    c = xp.where(alive, cost, xp.nan)  # a net stays diverged once it has
    first = _first(alive & (cost < solved_cost) & (accuracy >= need), xp)
    first = xp.where(first < n, first, -1)
    rows = torch.as_tensor(kept, device=cost.device) if xp is torch else kept
    out = c[rows], alive[rows], first, bad.any(0), c[-1], accuracy[-1]
    return tuple(to_numpy(x) for x in out)


def _first(mask, xp):
    """Per net (column), the first row where mask holds, or the number of rows where it never does."""
    at = mask.argmax(0) if xp is np else mask.to(torch.uint8).argmax(0)  # argmax: the first of the maxima
    return xp.where(mask.any(0), at, len(mask))


def _fused(work: Work, keep, on_step):
    """The sweep by the fused Triton kernel (mlp/fast/kernel.py), where it covers the config and runs: a 2-W-1 XOR
    sweep on cuda (a learning rate and an init per net allowed: a map's batch). None elsewhere (the batched
    chain rule above then trains it), and where triton is missing."""
    config = work.config
    kernel = fast.fused_kernel(config, work.device)
    if kernel is None:
        return None
    start, reached = time.perf_counter(), []

    def progress(done, steps):
        reached.append(done)
        return None if on_step is None else on_step(done, steps)

    try:
        out = kernel.sweep_2w1(work.P0, work.X, work.Y, config.lr if work.lr is None else work.lr, config.steps,
                               keep, LOSSES[config.loss].solved, device=work.device, on_step=progress)
    except Exception as e:  # noqa: BLE001  (a GPU or driver Triton cannot compile for: the batched path trains it)
        if reached:  # the kernel ran: this came from on_step, the caller's to see
            raise
        logging.getLogger("mlp").warning("the fused kernel did not run (%s: %s); batched chain rule instead",
                                         type(e).__name__, e)
        return None
    seconds = time.perf_counter() - start  # sweep_2w1 returns numpy: the GPU has finished
    return Sweep(config, work.seeds, keep, out["cost"], out["norms"], out["final_cost"], out["final_accuracy"],
                 out["solved_step"].astype(np.int64), out["diverged"], work.device, seconds, out["steps_done"])
