"""Update rules, and the course lab's gradient convention: what the loop does with a step's gradient.

The training loop asks a rule for one thing: `rule.step(P, g)`, which updates the flat parameter row(s)
P in place from the flat gradient row(s) g (every W_l and b_l in one call). A rule with state (momentum's
velocity, Adam's moments) keeps it in `rule.state`, a dict of arrays shaped like P, which `load` puts
back: that is how stepping through a run (inspection.params_at_step) goes on from a step already reached,
bit for bit, whatever the rule. Works on numpy arrays, BatchLast arrays and torch tensors alike.
"""

from __future__ import annotations

import numpy as np
import torch


def weight_factor(convention: str, samples: int) -> int:
    """How much larger than the mean gradient the weights' gradient is taken: the one place that says it.
    "mean": 1. "seed-lab": N, the lab's bug (its weight gradients are summed over the batch, its bias
    gradients averaged)."""
    return samples if convention == "seed-lab" else 1


class SGD:
    """Plain gradient descent, the seed's optim.SGD: P ← P − lr · g. No state."""

    replays = True  # a CUDA graph may replay its steps (replay.py): only P changes
    usual_lr_max = None  # (a step ~lr whatever g: the top of the usual rates)

    def __init__(self, config):
        self.lr = config.lr
        self.state = {}

    def step(self, P, g):
        P -= self.lr * g

    @staticmethod
    def torch(config, parameters):
        """torch.optim's own rule (the autograd backend's, and the Chain rule page's
        check of this one)."""
        return torch.optim.SGD(parameters, lr=config.lr)

    @staticmethod
    def torch_state(piece: dict, t) -> dict:
        """One parameter's state as torch.optim keeps it, from ours (`piece`: our
        state arrays for it, `t`: steps)."""
        return {}

    def load(self, state: dict):
        self.state = {k: v.copy() for k, v in state.items()}


class Momentum(SGD):
    """torch.optim.SGD(momentum=μ): a velocity that remembers the past steps.
        v ← μ v + g        (v starts at 0, so the first step is plain SGD)
        P ← P − lr v"""

    replays = True  # v changes in place, as P does: a CUDA graph may replay its steps

    def __init__(self, config):
        super().__init__(config)
        self.mu = config.momentum

    def step(self, P, g):
        if "v" not in self.state:
            self.state["v"] = g * 0
        v = self.state["v"]
        v *= self.mu
        v += g
        P -= self.lr * v

    @staticmethod
    def torch(config, parameters):
        return torch.optim.SGD(parameters, lr=config.lr, momentum=config.momentum)

    @staticmethod
    def torch_state(piece: dict, t) -> dict:
        return {"momentum_buffer": piece["v"]} if "v" in piece else {}


class Adam(SGD):
    """torch.optim.Adam with its defaults (β₁ = 0.9, β₂ = 0.999, ε = 1e-8): a step per
    parameter, from running means of the gradient and of its square, corrected for
    starting at 0.
        m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²          t ← t + 1
        P ← P − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)"""

    beta1, beta2, eps = 0.9, 0.999, 1e-8
    replays = False  # t is a host number: a CUDA graph keeps one step's bias correction
    usual_lr_max = 0.01  # its first step moves every P by lr (m̂/√v̂ = ±1): 0.001–0.01

    def step(self, P, g):
        if not self.state:
            self.state = {"m": g * 0, "v": g * 0, "t": np.zeros(())}
        m, v, t = self.state["m"], self.state["v"], self.state["t"]
        t += 1
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * (g * g)
        bias1, bias2 = 1 - self.beta1 ** float(t), 1 - self.beta2 ** float(t)
        P -= (self.lr / bias1) * m / (v ** 0.5 / bias2 ** 0.5 + self.eps)

    @staticmethod
    def torch(config, parameters):
        return torch.optim.Adam(parameters, lr=config.lr)

    @staticmethod
    def torch_state(piece: dict, t) -> dict:
        if "m" not in piece:
            return {}
        return {"step": torch.tensor(float(t)), "exp_avg": piece["m"],
                "exp_avg_sq": piece["v"]}


RULES = {"sgd": SGD, "momentum": Momentum, "adam": Adam}  # a rule with state keeps it in `state` (shaped like P)


def make_rule(config):
    return RULES[config.optimizer](config)
