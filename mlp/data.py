"""The datasets: the seed's XOR truth table, AND and OR, and three noisy 2-D sets after TensorFlow Playground.

Every dataset is made on the CPU in float64 from the seed, so cpu and cuda runs see the same numbers.
Inputs of the noisy sets are scaled to about the unit disk (Playground draws them in ±6), so that a
sigmoid net sees the same range as the truth tables. Labels are 0/1 (Playground uses ±1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)  # the seed's X


def _truth_table(labels):
    def make(points, noise, rng):
        return CORNERS.copy(), np.array(labels, dtype=np.float64).reshape(4, 1)

    return make


def _circle(points, noise, rng):
    # Playground's classifyCircleData: a disc of class 1 inside a ring of class 0 (radius 1 here).
    n1 = points // 2
    r = np.concatenate([rng.uniform(0, 0.5, n1), rng.uniform(0.7, 1.0, points - n1)])
    angle = rng.uniform(0, 2 * math.pi, points)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    X += rng.uniform(-1, 1, X.shape) * noise
    y = (np.hypot(X[:, 0], X[:, 1]) < 0.5).astype(np.float64)  # labelled after the noise, as Playground
    return X, y.reshape(-1, 1)


def _gauss(points, noise, rng):
    # Playground's classifyTwoGaussData: two blobs; the noise slider widens them (variance 0.5 .. 4 in ±6).
    n1 = points // 2
    std = math.sqrt(0.5 + 7.0 * noise) / 6  # noise 0 → variance 0.5, noise 0.5 → 4, scaled by 1/6
    X = np.concatenate([rng.normal(2 / 6, std, (n1, 2)), rng.normal(-2 / 6, std, (points - n1, 2))])
    y = np.concatenate([np.ones(n1), np.zeros(points - n1)])
    return X, y.reshape(-1, 1)


def _spiral(points, noise, rng):
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


@dataclass(frozen=True)
class Dataset:
    make: Callable  # (points, noise, rng) -> X (N, 2), Y (N, 1), float64
    noisy: bool  # whether `points` and `noise` apply


DATASETS = {
    "xor": Dataset(_truth_table([0, 1, 1, 0]), False),  # 1 when exactly one input is 1 (the seed)
    "and": Dataset(_truth_table([0, 0, 0, 1]), False),  # linearly separable
    "or": Dataset(_truth_table([0, 1, 1, 1]), False),  # linearly separable
    "circle": Dataset(_circle, True),  # a disc of class 1 inside a ring of class 0
    "gauss": Dataset(_gauss, True),  # two Gaussian blobs
    "spiral": Dataset(_spiral, True),  # two interleaved spirals (hard)
}


def make_data(config) -> tuple[np.ndarray, np.ndarray]:
    """X (N, 2) and Y (N, 1) in float64 on the CPU, the same numbers for every device and backend."""
    rng = np.random.default_rng(config.seed)
    return DATASETS[config.dataset].make(config.points, config.noise, rng)
