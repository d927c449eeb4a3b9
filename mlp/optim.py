"""Update rules, and the course lab's gradient convention: what the loop does with a step's gradient.

The training loop asks a rule for one thing: `rule.step(P, g)`, which updates the flat parameter row(s)
P in place from the flat gradient row(s) g (every W_l and b_l in one call). A rule with state (momentum's
velocity, Adam's moments) keeps it in `rule.state`, a dict of arrays shaped like P, which `load` puts
back: that is how stepping through a run (inspection.params_at_step) goes on from a step already reached,
bit for bit, whatever the rule. Works on numpy arrays, BatchLast arrays and torch tensors alike.
"""

from __future__ import annotations

import torch


def weight_factor(convention: str, samples: int) -> int:
    """How much larger than the mean gradient the weights' gradient is taken: the one place that says it.
    "mean": 1. "seed-lab": N, the lab's bug (its weight gradients are summed over the batch, its bias
    gradients averaged)."""
    return samples if convention == "seed-lab" else 1


def gradient_scale(layout, convention: str, samples: int, like):
    """The per-number factor for a flat gradient row (None where it is 1 everywhere), in `like`'s kind."""
    factor = weight_factor(convention, samples)
    if factor == 1:
        return None
    scale = layout.weight_mask() * (factor - 1) + 1  # ×N on weights, ×1 on biases
    if isinstance(like, torch.Tensor):
        return torch.as_tensor(scale, dtype=like.dtype, device=like.device)
    return scale.astype(like.dtype)


class SGD:
    """Plain gradient descent, the seed's optim.SGD: P ← P − lr · g. No state."""

    def __init__(self, lr: float):
        self.lr = lr
        self.state = {}

    def step(self, P, g):
        P -= self.lr * g

    def load(self, state: dict):
        self.state = {k: v.copy() for k, v in state.items()}


RULES = {"sgd": SGD}  # a rule with state adds its arrays to `state` and leaves the loop as it is


def make_rule(config):
    return RULES["sgd"](config.lr)
