"""One step of gradient descent by the hand-written chain rule: the lecture's slide, in code.

    forward        z_l = a_{l-1} W_l + b_l,  a_l = f(z_l)                      model.forward
    backward       δ_L, then δ_{l-1} = (δ_l W_lᵀ) ⊙ f'(z_{l-1})                  backprop.backward
                   ∂C/∂W_l = a_{l-1}ᵀ δ_l,  ∂C/∂b_l = Σ_n δ_l
    the L2 term    ∂C/∂W_l += l2 · W_l                                          losses.l2_gradient
    the lab's way  ∂C/∂W_l × N (its bug: weight gradients summed)                optim.weight_factor
    update         W_l, b_l ← the rule's step (SGD: W_l − lr · ∂C/∂W_l)           optim.RULES

Every hand-written run takes its steps here: a single run, a sweep's nets (a leading axis of B), a map's cells,
and stepping through a run on the Chain-rule page, whose tables show `gradients` at one step. What goes on around
a step (chunks, records, snapshots, held-out costs, mini-batch rows) is loop.py's; where the numbers live and how
fast they move is mlp/fast's. The autograd backend's step is the seed notebook's own cell (autograd_backend.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from .backprop import backward
from .losses import LOSSES, l2_gradient
from .model import ACTIVATIONS, forward
from .optim import weight_factor


class Flat(NamedTuple):
    """A flat row of numbers (one per net) and its per-layer views: writing one writes the other (model.Layout)."""

    P: object  # (size,) for one net, (B, size) for B nets
    W: list  # W_l views into P
    b: list  # b_l views into P


@dataclass(frozen=True)
class Recipe:
    """What a config asks of every step, looked up once in the tables."""

    f: Callable  # the hidden layers' activation (model.ACTIVATIONS)
    df: Callable  # its derivative
    delta: Callable  # the loss's δ_L (losses.LOSSES)
    l2: float  # the L2 penalty's strength (0: none)
    factor: float  # the weights' gradient factor: 1, or the lab's N

    @classmethod
    def of(cls, config, samples: int) -> "Recipe":
        act = ACTIVATIONS[config.activation]
        return cls(act.f, act.df, LOSSES[config.loss].delta, config.l2, weight_factor(config.grad_convention, samples))


def gradients(W, b, X, Y, recipe: Recipe):
    """The chain rule at weights W, b on the points X, Y: every layer's z, a and δ, and ∂C/∂W_l, ∂C/∂b_l."""
    z, a = forward(W, b, X, recipe.f)
    dW, db, delta = backward(W, a, Y, recipe.df, recipe.delta)
    if recipe.l2:
        dW = [g + l2_gradient(w, recipe.l2) for g, w in zip(dW, W)]  # the L2 term: weights only
    if recipe.factor != 1:
        dW = [g * recipe.factor for g in dW]  # the lab's convention
    return z, a, delta, dW, db


def chain_rule_step(net: Flat, X, Y, recipe: Recipe, rule, grad: Flat) -> list:
    """One step of gradient descent on `net` (updated in place) on the points X, Y,
    by the hand-written chain rule. The gradient is left in `grad`; returns z, the
    forward pass's pre-activations (z[-1]: the output logits)."""
    z, _, _, dW, db = gradients(net.W, net.b, X, Y, recipe)
    for l in range(len(dW)):
        grad.W[l][...] = dW[l]
        grad.b[l][...] = db[l]
    rule.step(net.P, grad.P)  # every W_l and b_l in one call
    return z
