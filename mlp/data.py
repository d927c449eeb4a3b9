"""The datasets and the input features the net sees.

Datasets: the seed's XOR truth table, AND and OR, three noisy 2-D sets after TensorFlow Playground, and
the students' own points (`Config.own_points`). Every dataset is made on the CPU in float64 from the
seed, so cpu and cuda runs see the same numbers. Inputs of the noisy sets are scaled to about the unit
disk (Playground draws them in ±6), so that a sigmoid net sees the same range as the truth tables.
Labels are 0/1 (Playground uses ±1).

Features (Playground's feature crosses): the net's input layer gets the columns `Config.features` names,
computed from the point (x₁, x₂), e.g. x₁·x₂, with which one logistic unit separates XOR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)  # the seed's X


def _truth_table(labels):
    def make(config, rng):
        return CORNERS.copy(), np.array(labels, dtype=np.float64).reshape(4, 1)

    return make


def _circle(config, rng):
    points, noise = config.points, config.noise
    # Playground's classifyCircleData: a disc of class 1 inside a ring of class 0 (radius 1 here).
    n1 = points // 2
    r = np.concatenate([rng.uniform(0, 0.5, n1), rng.uniform(0.7, 1.0, points - n1)])
    angle = rng.uniform(0, 2 * math.pi, points)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    X += rng.uniform(-1, 1, X.shape) * noise
    y = (np.hypot(X[:, 0], X[:, 1]) < 0.5).astype(np.float64)  # labelled after the noise, as Playground
    return X, y.reshape(-1, 1)


def _gauss(config, rng):
    points, noise = config.points, config.noise
    # Playground's classifyTwoGaussData: two blobs; the noise slider widens them (variance 0.5 .. 4 in ±6).
    n1 = points // 2
    std = math.sqrt(0.5 + 7.0 * noise) / 6  # noise 0 → variance 0.5, noise 0.5 → 4, scaled by 1/6
    X = np.concatenate([rng.normal(2 / 6, std, (n1, 2)), rng.normal(-2 / 6, std, (points - n1, 2))])
    y = np.concatenate([np.ones(n1), np.zeros(points - n1)])
    return X, y.reshape(-1, 1)


def _spiral(config, rng):
    points, noise = config.points, config.noise
    # Playground's classifySpiralData: two interleaved arms, 1.75 turns each (radius 1 here).
    def arm(n, delta):
        i = np.arange(n)
        r = i / n
        t = 1.75 * i / n * 2 * math.pi + delta
        X = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        return X + rng.uniform(-1, 1, X.shape) * noise / 5  # Playground adds ±noise to arms of radius 5

    n1 = points // 2
    X = np.concatenate([arm(n1, 0.0), arm(points - n1, math.pi)])
    y = np.concatenate([np.ones(n1), np.zeros(points - n1)])
    return X, y.reshape(-1, 1)


def _own(config, rng):
    data = np.array(config.own_points, dtype=np.float64).reshape(-1, 3)
    return data[:, :2].copy(), data[:, 2:].copy()


@dataclass(frozen=True)
class Dataset:
    make: Callable  # (config, rng) -> X (N, 2), Y (N, 1), float64
    noisy: bool  # whether `points` and `noise` apply
    table: Optional[tuple] = None  # a truth table: Y at the four CORNERS
    own: bool = False  # the students' own points (Config.own_points), which they add and remove on the page


def _table(labels) -> Dataset:
    return Dataset(_truth_table(labels), False, table=tuple(labels))


DATASETS = {
    "xor": _table((0, 1, 1, 0)),  # 1 when exactly one input is 1 (the seed)
    "and": _table((0, 0, 0, 1)),  # linearly separable
    "or": _table((0, 1, 1, 1)),  # linearly separable
    "circle": Dataset(_circle, True),  # a disc of class 1 inside a ring of class 0
    "gauss": Dataset(_gauss, True),  # two Gaussian blobs
    "spiral": Dataset(_spiral, True),  # two interleaved spirals (hard)
    "own": Dataset(_own, False, own=True),  # the students' own points (Config.own_points): clicked or uploaded
}


def make_data(config) -> tuple[np.ndarray, np.ndarray]:
    """The points X (N, 2) and labels Y (N, 1) in float64 on the CPU, the same for every device and backend."""
    rng = np.random.default_rng(config.seed)
    return DATASETS[config.dataset].make(config, rng)


FEATURES = {  # name → the input column it computes from the points X (N, 2)
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1x2": lambda X: X[:, 0] * X[:, 1],  # the feature cross: XOR is 1 − (x₁ + x₂ − 2x₁x₂) away from linear
    "x1sq": lambda X: X[:, 0] ** 2,
    "x2sq": lambda X: X[:, 1] ** 2,
    "sin_x1": lambda X: np.sin(X[:, 0]),
    "sin_x2": lambda X: np.sin(X[:, 1]),
}


def inputs(points, features) -> np.ndarray:
    """What the input layer sees at `points` (N, 2): one column per feature name, (N, len(features))."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return np.stack([FEATURES[name](points) for name in features], axis=1)


def samples(config) -> int:
    """How many points make_data gives for config (without making the sampled ones)."""
    return config.points if DATASETS[config.dataset].noisy else len(make_data(config)[0])


def split(config) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows) of make_data's points: config.test_fraction of them (at least one, and never
    all) held out for testing, drawn from the seed; no test rows where test_fraction is 0."""
    return _split_rows(config, samples(config))


def _split_rows(config, n: int) -> tuple[np.ndarray, np.ndarray]:
    n_test = min(max(1, round(n * config.test_fraction)), n - 1) if config.test_fraction else 0
    order = np.random.default_rng([config.seed, 1]).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def training_data(config) -> tuple[np.ndarray, np.ndarray]:
    """The net's inputs (N, len(config.features)) and labels (N, 1) to train on: make_data with the features
    applied, without the held-out test rows."""
    return _rows_as_inputs(config, 0)


def held_out_data(config) -> tuple[np.ndarray, np.ndarray]:
    """The held-out rows as the net's inputs and labels (empty where test_fraction is 0)."""
    return _rows_as_inputs(config, 1)


def _rows_as_inputs(config, part: int):
    X, Y = make_data(config)  # made once: the split's rows index into these very points
    rows = _split_rows(config, len(X))[part]
    return inputs(X[rows], config.features).reshape(len(rows), len(config.features)), Y[rows]


def plane(config) -> tuple[float, float]:
    """(lo, hi): the square of the input plane the pictures show (both axes), with every point inside it.
    Truth tables: around the unit square; noisy sets: around the unit disk; own points: the smallest of
    those, doubled until it holds them all (a plane that does not jump with every clicked point)."""
    if DATASETS[config.dataset].noisy:
        return -1.3, 1.3
    X, _ = make_data(config)
    if ((X >= -0.15) & (X <= 1.15)).all():
        return -0.25, 1.25
    hi = 1.3
    while np.abs(X).max() > hi - 0.1 * hi:
        hi *= 2
    return -hi, hi


def batch_rows(config, n: int, step: int, seeds=None) -> np.ndarray:
    """The training rows (of n) that mini-batch `step` uses: each epoch is a fresh permutation drawn from the
    run's seed and the epoch's number, cut into batches of config.batch_size (the last may be smaller), so any
    step's batch can be found again without running the ones before it. seeds: one row of rows per net."""
    b = config.batch_size
    per_epoch = -(-n // b)
    epoch, j = divmod(step, per_epoch)
    seeds = [config.seed] if seeds is None else seeds
    rows = [np.random.default_rng([int(s), 2, epoch]).permutation(n)[j * b:(j + 1) * b] for s in seeds]
    return np.stack(rows)
