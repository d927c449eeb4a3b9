"""The cost the net is trained on: binary cross-entropy (the seed's BCELoss) or squared error (MSE), each next
to the one line the chain rule needs from it, δ_L = ∂C/∂z_L at the sigmoid output; and the L2 term.

Costs are computed from the output logits z (…, N) so that BCE never takes log(0). Works on numpy arrays
and torch tensors; the results of `cost` are float64 numpy arrays (host=False: tensors where z is).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from .chunk import accuracy_from_logits, bce_from_logits, to_numpy


def bce_delta(y_hat, y, N):
    # C = −mean[y log ŷ + (1−y) log(1−ŷ)]: ∂C/∂ŷ · σ'(z_L) = (ŷ − y)/N
    return (y_hat - y) / N


def mse_delta(y_hat, y, N):
    # C = mean (ŷ − y)²: ∂C/∂ŷ · σ'(z_L) = 2(ŷ − y)/N · ŷ(1 − ŷ)
    return 2 * (y_hat - y) * (y_hat - y_hat * y_hat) / N


def mse_from_logits(z, y, host: bool = True):
    """Mean squared error of σ(z) and accuracy over the last axis (as bce_from_logits)."""
    if isinstance(z, torch.Tensor):
        y_t = torch.as_tensor(y, dtype=torch.float64, device=z.device)
        cost = (torch.sigmoid(z.double()) - y_t).square().mean(-1)
        return (to_numpy(cost) if host else cost), accuracy_from_logits(z, y, host)
    y_hat = 1 / (1 + np.exp(-z.astype(np.float64)))
    return np.square(y_hat - y).mean(-1), accuracy_from_logits(z, y)


@dataclass(frozen=True)
class Loss:
    delta: Callable  # δ_L = ∂C/∂z_L from ŷ, y and N: the first line of the backward pass
    cost: Callable  # (logits (…, N), labels, host=True) → (cost, accuracy), float64 numpy (or where they are)
    module: Callable  # the torch.nn loss the autograd backend uses
    solved: float  # a run has solved its task once its cost is below this (with its points right): ŷ within ~0.1
    convex: bool  # the cost of a net with no hidden layer is convex in its weights (a stationary point is its best)
    slope_in_delta: bool  # δ_L keeps σ'(z_L) = ŷ(1 − ŷ): a saturated output stops learning


LOSSES = {
    # the seed's: the gradient does not vanish at σ; −log(0.9) ≈ 0.1
    "bce": Loss(bce_delta, bce_from_logits, torch.nn.BCELoss, solved=0.1, convex=True, slope_in_delta=False),
    # TensorFlow Playground's: σ' = ŷ(1−ŷ) stays in δ_L; 0.1² = 0.01
    "mse": Loss(mse_delta, mse_from_logits, torch.nn.MSELoss, solved=0.01, convex=False, slope_in_delta=True),
}


def l2_term(W, l2: float):
    """The L2 penalty added to the cost, l2/2 · Σ_l ‖W_l‖² (weights only, biases free), per net: (B,) (a number for
    one net's 2-D weights: torch.nn.Linear's). The hand-written loop adds it to flat rows (optim.weight_decay)."""
    return 0.5 * l2 * sum((w * w).sum((-2, -1)) for w in W)


def l2_gradient(w, l2: float):
    """What the L2 term adds to ∂C/∂W of one weight matrix: ∂/∂W (l2/2 ‖W‖²) = l2 · W."""
    return l2 * w
