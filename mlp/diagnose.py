"""Why a layer's gradient is exactly 0: the cause read off a run's own numbers, so the words said about it are true.

A gradient that stays exactly 0 from some step on has one of a few causes, and each wants its own advice:

    saddle    ŷ = ½ at every point and every hidden layer's units identical (a zero init): the points' pulls
              cancel, and identical units get identical updates, so the net never leaves;
    optimum   ŷ = ½ at every point with no hidden layer: the points' pulls cancel, and with cross-entropy the
              cost of a single layer is convex, so this is the best it can do on these points (a perceptron on XOR);
    middle    ŷ = ½ at every point otherwise: a stationary point in the middle of the sigmoid, not a flat end;
    dead      every unit of a hidden relu layer has z ≤ 0 at every point: it outputs 0 and passes no gradient;
    flat      every unit of a hidden sigmoid/tanh layer (or, with squared error, the output) sits at a flat end of
              its curve, where its slope rounds to 0 in float32;
    unknown   none of these (the words then name no cause).

Read at the run's last kept weights, on its training points: the gradient is 0 from `step` to the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .data import training_data
from .losses import LOSSES
from .model import ACTIVATIONS, forward, sigmoid_prime

MIDDLE = 1e-3  # |ŷ − ½| below this at every point: the middle of the sigmoid (a flat end is ~1e-7 from 0 or 1)
FLAT = 1e-6  # a slope below this at every unit and point: a flat end (float32's slope of σ at |z| ≥ 14)


@dataclass(frozen=True)
class ZeroGradient:
    cause: str  # saddle | optimum | middle | dead | flat | unknown
    layers: tuple  # the layers (1-based, the output last) whose gradient is exactly 0 from `step` on
    step: int  # the first step from which it is 0 (0: from the start)
    n_layers: int  # the net's layers (Linear ones: hidden layers + the output)
    layer: Optional[int] = None  # dead or flat: the layer (1-based) whose units are; the output is n_layers

    @property
    def every_layer_from_the_start(self) -> bool:
        return self.step == 0 and len(self.layers) == self.n_layers


def zero_gradient(run) -> Optional[ZeroGradient]:
    """The layers whose gradient is exactly 0 from some step to the end of `run`, and why; None if there are none."""
    if not run.steps_done:
        return None
    zeros = [(l + 1, s) for l, s in enumerate(run.zero_gradient_from()) if s is not None]
    if not zeros:
        return None
    config = run.config
    L = len(config.layer_sizes) - 1
    found = dict(layers=tuple(l for l, _ in zeros), step=min(s for _, s in zeros), n_layers=L)
    act = ACTIVATIONS[config.activation]
    z, a, _ = at_the_end(run, np.float32)  # the precision the gradient was 0 in
    y_hat, hidden = a[-1], a[1:-1]
    middle = np.abs(y_hat - 0.5).max() < MIDDLE
    if middle:
        if not hidden:
            return ZeroGradient("optimum" if LOSSES[config.loss].convex else "middle", **found)
        if all(np.ptp(h, axis=-1).max() == 0 for h in hidden):
            return ZeroGradient("saddle", **found)
    for l, h in enumerate(hidden):
        if act.dies and (z[l] <= 0).all():
            return ZeroGradient("dead", layer=l + 1, **found)
        if not act.dies and (act.df(h) < FLAT).all():
            return ZeroGradient("flat", layer=l + 1, **found)
    if LOSSES[config.loss].slope_in_delta and (sigmoid_prime(y_hat) < FLAT).all():  # the output's σ
        return ZeroGradient("flat", layer=L, **found)
    if middle:
        return ZeroGradient("middle", **found)
    return ZeroGradient("unknown", **found)


WRONG = 0.99  # |ŷ − y| above this: confidently wrong (cross-entropy above ln 100 ≈ 4.6 at that point)


def confidently_wrong(run) -> tuple[int, int]:
    """(how many of the run's training points its last kept weights get confidently wrong, how many there are)."""
    _, a, Y = at_the_end(run, np.float64)
    return int((np.abs(a[-1][0] - Y) > WRONG).sum()), len(Y)


def at_the_end(run, dtype):
    """The forward pass (z, a) of the run's last kept weights on its training points, in `dtype`, and the labels.
    exp overflows to inf at a flat end of σ, where σ is then exactly 0, as in training: no warning."""
    W, b = run.params_at(run.steps_done)
    X, Y = training_data(run.config)
    with np.errstate(all="ignore"):
        z, a = forward([w.astype(dtype) for w in W], [v.astype(dtype) for v in b], X.astype(dtype)[None],
                       ACTIVATIONS[run.config.activation].f)
    return z, a, Y


PART = 1e-3  # two curves part where their costs differ by more than this, relative
SPIKE = 0.1  # the cost has spiked where it rises this far (relative) above the lowest it had reached


@dataclass(frozen=True)
class Parting:
    step: int  # the first step at which the two runs' costs differ by more than PART (relative)
    spike: Optional[int]  # the first step before it at which the cost rose SPIKE above its lowest so far; None


def parting(a, b) -> Optional[Parting]:
    """Where two runs of the same net part (e.g. the two backends), and whether a cost spike came first; None where
    they never part. Two programs of the same maths differ by rounding; stable descent keeps that small, but a
    cost spike (a step too large for the curve there) amplifies it, and after one the two may end far apart
    without either being wrong."""
    n = min(a.steps_done, b.steps_done)
    ca, cb = a.cost[:n], b.cost[:n]
    apart = np.abs(ca - cb) > PART * np.maximum(np.abs(ca), np.abs(cb))
    if not apart.any():
        return None
    step = int(np.argmax(apart))
    rose = ca[:step + 1] > (1 + SPIKE) * np.minimum.accumulate(ca[:step + 1])
    return Parting(step, int(np.argmax(rose)) if rose.any() else None)
