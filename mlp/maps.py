"""The map: how often a setting learns the task, over a grid of two settings, many seeds a cell.

hyper_map(config, rows=("lr", values), cols=("width", values), n_seeds) trains every cell's nets with the
hand-written chain rule. Cells that differ only in their learning rate or init train as one batched sweep
(a learning rate and an init per net); cells of another width, depth, activation, … as one sweep each. A cell equals
sweeps.sweep of that cell's config with the same seeds (tested): bit for bit where its batch holds one
learning rate, and with several for SGD and momentum too (their rate multiplies in float32 either way);
Adam's lr/(1 − β₁ᵗ) then rounds once more in float32.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields, replace
from typing import Callable, Optional

import numpy as np

from .config import Config
from .data import samples
from .model import Layout
from .sweeps import max_seeds, sweep

MAP_FIELDS = ("lr", "width", "hidden_layers", "activation", "init", "optimizer", "loss", "batch_size")
WORK_PER_SECOND = 2.5e8  # map_work a 2-core cpu does a second (calibrated on the default map: docs/speed.md)
WORK_MAX = 120 * WORK_PER_SECOND  # a map that would take more than ~2 minutes is refused before any work


@dataclass
class HyperMap:
    rows: tuple  # (field, values)
    cols: tuple  # (field, values)
    solved_fraction: np.ndarray  # (R, C): the share of the cell's seeds that solve the task
    median_solved_step: np.ndarray  # (R, C): the median step at which those solve it (NaN where none does)
    diverged_fraction: np.ndarray  # (R, C)
    median_final_cost: np.ndarray  # (R, C): over the seeds that did not diverge (NaN where all did)
    seconds: float
    n_seeds: int


def map_work(config: Config, rows: tuple, cols: tuple, n_seeds: int) -> float:
    """About how many numbers a map computes: per cell, seeds × steps × (parameters + samples × units)."""
    work = 0.0
    for i in range(len(rows[1])):
        for j in range(len(cols[1])):
            cell = _cell(config, rows, cols, i, j)
            n = samples(cell)
            layout = Layout(cell.layer_sizes)
            work += n_seeds * cell.steps * (layout.size + n * sum(cell.layer_sizes))
    return work


def _cell(config: Config, rows, cols, i: int, j: int) -> Config:
    return replace(config, **{rows[0]: rows[1][i], cols[0]: cols[1][j]})


def hyper_map(config: Config, rows: tuple, cols: tuple, n_seeds: int,
              on_cell: Optional[Callable] = None, storage: Optional[str] = None) -> HyperMap:
    """Train n_seeds nets (seeds config.seed …) for every cell of the grid rows × cols, each a (Config field,
    values) pair; the other settings come from config. on_cell(the map so far: NaN where a cell is still to
    come) is called as cells finish, a batch of them at a time; an exception raised in it stops the map.
    storage: as sweeps.sweep's (by default the fastest for each batch; a batch of many cells may round its
    float32 numbers in another order than a sweep of one cell)."""
    names = {f.name for f in fields(Config)}
    for field, values in (rows, cols):
        if field not in names or field not in MAP_FIELDS:
            raise ValueError(f"a map's axis is one of {', '.join(MAP_FIELDS)}; got {field!r}")
        if not values:
            raise ValueError(f"the {field} axis needs at least one value")
    if rows[0] == cols[0]:
        raise ValueError(f"the two axes must differ (both are {rows[0]!r})")
    cells = {(i, j): _cell(config, rows, cols, i, j) for i in range(len(rows[1])) for j in range(len(cols[1]))}
    work = map_work(config, rows, cols, n_seeds)
    if work > WORK_MAX:
        raise ValueError(f"this map would take about {work / WORK_PER_SECOND / 60:.0f} minutes here, more than the 2 "
                         f"a map may: use fewer seeds per cell, fewer steps, or a smaller net")
    groups: dict = {}  # cells whose nets differ only in their learning rate or init share one program
    for (i, j), cell in cells.items():
        groups.setdefault(replace(cell, lr=1.0, init="default"), []).append((i, j, cell))
    R, C = len(rows[1]), len(cols[1])
    out = {k: np.full((R, C), np.nan) for k in ("solved", "median", "diverged", "cost")}
    start = time.perf_counter()
    base_seeds = config.seed + np.arange(n_seeds)
    for shape, members in groups.items():
        per_sweep = max(1, max_seeds(shape) // n_seeds)  # cells a batch holds
        for k in range(0, len(members), per_sweep):
            part = members[k:k + per_sweep]
            rates, inits = [cell.lr for _, _, cell in part], [cell.init for _, _, cell in part]
            lrs = np.repeat(rates, n_seeds) if len(set(rates)) > 1 else None  # one rate: the sweep's own, as is
            per_net_init = list(np.repeat(inits, n_seeds)) if len(set(inits)) > 1 else None
            result = sweep(replace(shape, lr=rates[0], init=inits[0]), len(part) * n_seeds, lr=lrs,
                           inits=per_net_init, seeds=np.tile(base_seeds, len(part)), storage=storage)
            for m, (i, j, _) in enumerate(part):
                rows_of = slice(m * n_seeds, (m + 1) * n_seeds)
                solved, diverged = result.solved_step[rows_of], result.diverged[rows_of]
                final = result.final_cost[rows_of][~diverged]
                out["solved"][i, j] = np.mean(solved >= 0)
                out["median"][i, j] = np.median(solved[solved >= 0]) if (solved >= 0).any() else np.nan
                out["diverged"][i, j] = np.mean(diverged)
                out["cost"][i, j] = np.median(final) if len(final) else np.nan
            if on_cell is not None:
                on_cell(_result(rows, cols, out, start, n_seeds))
    return _result(rows, cols, out, start, n_seeds)


def _result(rows, cols, out, start, n_seeds) -> HyperMap:
    return HyperMap(rows, cols, out["solved"].copy(), out["median"].copy(), out["diverged"].copy(),
                    out["cost"].copy(), time.perf_counter() - start, n_seeds)
