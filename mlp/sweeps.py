"""Many seeds at once: B nets of one architecture trained as one batched program.

The nets differ only in their seed (their initial weights, and the data of the noisy datasets). They
run through the same hand-written chain rule as a single run (train.manual_steps with a leading batch
axis of B), so there is no second implementation. A sweep keeps only what the Robustness page shows:
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

from .chunk import CHUNK_ELEMENTS
from .config import Config
from .data import DATASETS, samples, training_data
from .model import Layout, init_params
from .train import fused_kernel, manual_steps, resolve_device

MAX_SEEDS = {"cpu": 1024, "cuda": 65_536}  # nets a sweep trains at once, per device (cuda: while memory allows)
SOLVED_COST = 0.1  # solved: cross-entropy below this (ŷ within about 0.1 of y at every point) …
SOLVED_COSTS = {"bce": SOLVED_COST, "mse": 0.01}  # … or squared error below 0.01: the same ŷ within about 0.1
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
    solved_step: np.ndarray  # (B,) first step with cost < SOLVED_COSTS[loss] and accuracy ≥ the threshold; -1 = never
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
    return n_seeds * per_net + 4 * CHUNK_ELEMENTS  # a chunk's raw records are bounded (chunk.py)


def max_seeds(config: Config) -> int:
    """The most nets one sweep of `config` may train at once on its device: 1,024 on the cpu; on cuda up
    to 65,536, fewer where the GPU's free memory would not hold them (estimated with sweep_bytes)."""
    device = resolve_device(config.device)
    if device != "cuda":
        return MAX_SEEDS["cpu"]
    free, _ = torch.cuda.mem_get_info()
    fits = int((0.8 * free - 4 * CHUNK_ELEMENTS) // max(1, sweep_bytes(config, 1) - 4 * CHUNK_ELEMENTS))
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
    storage picks where the numbers live (storage.KINDS; by default the fastest for the work).
    seeds, lr, inits (maps.hyper_map): the nets' own seeds (n_seeds of them, repeats allowed), learning rates and
    initialisations (INITS names).
    """
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, int) or n_seeds < 1:
        raise ValueError(f"n_seeds={n_seeds!r} must be a whole number from 1 to {MAX_SEEDS['cpu']:,} "
                         f"({MAX_SEEDS['cuda']:,} on cuda)")
    limit = max_seeds(config)
    if n_seeds > limit:
        raise ValueError(f"n_seeds={n_seeds:,} is more than {limit:,}, the most a sweep of this net trains at once "
                         f"on {resolve_device(config.device)} (about {sweep_bytes(config, n_seeds) / 2**30:.1f} GiB; "
                         f"{MAX_SEEDS['cpu']:,} on the cpu, up to {MAX_SEEDS['cuda']:,} on cuda as memory allows)")
    if config.backend != "manual":
        raise ValueError("sweeps use the hand-written chain rule (backend='manual'); autograd trains one net at a time")
    device = resolve_device(config.device)
    layout = Layout(config.layer_sizes)
    seeds = config.seed + np.arange(n_seeds) if seeds is None else np.asarray(seeds)
    if seeds.max() > 2**31 - 1:
        raise ValueError(f"seed={config.seed} + {n_seeds} seeds passes the largest seed, 2**31 - 1")
    if DATASETS[config.dataset].noisy:  # each seed draws its own sample, as its single run would
        data = [training_data(replace(config, seed=int(s))) for s in seeds]
        X, Y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])
    else:
        X, Y = training_data(config)
    if inits is None:
        P0 = init_params(layout, config.init, seeds)
    else:  # each net drawn by its own rule, as its single run would draw it
        P0 = np.concatenate([init_params(layout, init, [seed]) for init, seed in zip(inits, seeds)])
    keep = kept_steps(config.steps, max_points)
    fused = _fused(config, device, storage, lr, inits, P0, X, Y, keep, seeds, on_step)
    if fused is not None:
        return fused
    B, S, L = n_seeds, len(keep), len(layout.shapes)
    cost = np.full((B, S), np.nan, np.float32)
    norms = np.full((B, S, L), np.nan, np.float32)
    solved = np.full(B, -1)
    diverged = np.zeros(B, bool)
    final_cost, final_acc = np.full(B, np.nan), np.zeros(B)
    need = SOLVED_ACCURACY[DATASETS[config.dataset].noisy]
    step, start = 0, time.perf_counter()
    with np.errstate(all="ignore"):
        for chunk in manual_steps(config, layout, X, Y, P0, device, set(), storage=storage, seeds=seeds, lr=lr):
            n = len(chunk)
            chunk_cost, chunk_acc = chunk.cost_and_accuracy()  # (n, B): every step, for solved_step
            bad = ~np.isfinite(chunk_cost)  # non-finite weights or gradients reach the cost a step later
            diverged |= bad.any(0)
            alive = ~np.maximum.accumulate(bad, axis=0)  # a net stays diverged once it has
            c = np.where(alive, chunk_cost, np.nan)
            rows = np.flatnonzero((keep >= step) & (keep < step + n))
            cost[:, rows] = c[keep[rows] - step].T
            wn, _ = chunk.norms(layout, keep[rows] - step)  # norms of the kept steps only
            norms[:, rows] = np.where(alive[keep[rows] - step, :, None], wn, np.nan).transpose(1, 0, 2)
            ok = alive & (chunk_cost < SOLVED_COSTS[config.loss]) & (chunk_acc >= need)
            first = np.where(ok.any(0), ok.argmax(0) + step, -1)
            solved = np.where((solved < 0) & (first >= 0), first, solved)
            final_cost, final_acc = c[-1], chunk_acc[-1]
            step += n
            if on_step is not None and on_step(step, config.steps) is False:
                break
    solved[diverged & (solved < 0)] = -1
    return Sweep(config, seeds, keep, cost, norms, final_cost, final_acc, solved, diverged, device,
                 time.perf_counter() - start, step)


def _fused(config, device, storage, lr, inits, P0, X, Y, keep, seeds, on_step):
    """The sweep by the fused Triton kernel (mlp/kernel.py), where it covers the config and runs: a 2-2-1 XOR
    sweep on cuda. None elsewhere (the batched chain rule above then trains it), and where triton is missing."""
    if storage is not None or lr is not None or inits is not None:
        return None
    kernel = fused_kernel(config, device)
    if kernel is None:
        return None
    start = time.perf_counter()
    try:
        out = kernel.sweep_221(P0, X, Y, config.lr, config.steps, keep, SOLVED_COSTS[config.loss], device=device)
    except Exception as e:  # noqa: BLE001  (a GPU or driver Triton cannot compile for: the batched path trains it)
        logging.getLogger("mlp").warning("the fused kernel did not run (%s: %s); batched chain rule instead",
                                         type(e).__name__, e)
        return None
    seconds = time.perf_counter() - start  # sweep_221 returns numpy: the GPU has finished
    if on_step is not None:
        on_step(config.steps, config.steps)
    return Sweep(config, seeds, keep, out["cost"], out["norms"], out["final_cost"], out["final_accuracy"],
                 out["solved_step"].astype(np.int64), out["diverged"], device, seconds, config.steps)
