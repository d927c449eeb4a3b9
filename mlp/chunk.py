"""A chunk of training steps: what a backend hands back, and how its raw numbers become records.

The loop runs in chunks. Inside a chunk each step stores only the raw numbers it produced (the output
logits and the flat gradient row); the cost, accuracy and per-layer gradient norms of all its steps are
computed afterwards, at once, where the numbers are: numpy arrays on the cpu, torch tensors on a GPU
(so only the records that are kept cross to the host, once per chunk). Imports numpy and torch only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import torch

CHUNK_ELEMENTS = {"cpu": 1 << 20, "cuda": 1 << 25}  # a chunk's raw buffers hold at most this many numbers
# (a GPU has the memory, and every chunk costs it a round of reductions and copies to the host)
MAX_CHUNK = 256  # …and at most this many steps, so on_step is called often enough to stream
CHUNK_SECONDS = 0.1  # …and a chunk ends after this long, so a caller can stop even a big net within ~0.1 s


def to_numpy(x):
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x


def layer_norms(G, layout):
    """Per-layer Frobenius norms of flat gradient rows G (..., size): weights (..., L) and biases (..., L),
    computed where G is (numpy, or torch on its device) and returned as float64 numpy arrays."""
    if isinstance(G, torch.Tensor):
        g2 = G.double().square()
        wn = torch.stack([g2[..., s].sum(-1) for s in layout.w_slices], -1).sqrt()
        bn = torch.stack([g2[..., s].sum(-1) for s in layout.b_slices], -1).sqrt()
        return to_numpy(wn), to_numpy(bn)
    g2 = np.square(G, dtype=np.float64)
    wn = np.stack([np.sqrt(g2[..., s].sum(-1)) for s in layout.w_slices], -1)
    bn = np.stack([np.sqrt(g2[..., s].sum(-1)) for s in layout.b_slices], -1)
    return wn, bn


def unit_norms(G, layout):
    """Per unit: ‖∂C/∂w‖ of the weights coming into it, for flat gradient rows G (..., size): (..., U) float64
    numpy, the units of every layer one after another (hidden layers first, the output last)."""
    G = to_numpy(G)
    g2 = np.square(G, dtype=np.float64)
    lead = g2.shape[:-1]
    return np.concatenate([np.sqrt(g2[..., s].reshape(*lead, n_in, n_out).sum(-2))
                           for s, (n_in, n_out) in zip(layout.w_slices, layout.shapes)], -1)


def bce_from_logits(z, y, host: bool = True):
    """Mean BCE and accuracy over the last axis, from output logits z (…, N) and labels y (N,) or (B, N).

    −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − y z + log(1 + e^−|z|): no overflow, and for 0/1
    labels no cancellation. float64 for small arrays (single runs); big sweeps keep their float32. Torch
    tensors are reduced on their device; the results are numpy arrays, or tensors there with host=False.
    """
    if isinstance(z, torch.Tensor):
        z = z.double() if z.numel() < 100_000 else z
        y = torch.as_tensor(y, dtype=z.dtype, device=z.device)
        cost = (z.clamp(min=0) - y * z + torch.log1p(torch.exp(-z.abs()))).mean(-1, dtype=torch.float64)
        return _out(cost, host), accuracy_from_logits(z, y, host)
    z = z.astype(np.float64) if z.size < 100_000 else z
    y = y.astype(z.dtype)
    cost = (np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))).mean(-1, dtype=np.float64)
    return cost, accuracy_from_logits(z, y)


# A point whose logit is within TIE of 0 has ŷ = ½ to float32's precision, and counts as class 0, as the lab's own
# `(hypothesis > 0.5)` counts ŷ = ½. Which side of ½ such a ŷ lies on is rounding: σ(z) ≈ ½ + z/4 there, a float32 σ
# (any of its formulas) rounds to exactly ½ for |z| up to ~2⁻²² (one step of ½, 2⁻²⁴, is z/4), and a net whose ŷ is
# ½ at every point (a perceptron on XOR) stops there with logits of ±1e-7: counted by their signs, 3 of 4 XOR points
# were "right" by the hand-written chain rule and 2 of 4 by autograd, whose ŷ rounded to ½. TIE is twice that window.
TIE = 2.0**-21  # on the logit z; on ŷ itself: |ŷ − ½| ≤ TIE / 4 (two float32 steps of ½)


def predicted_class(y_hat) -> np.ndarray:
    """The class each ŷ predicts, as accuracy counts it: 1 where ŷ > ½ beyond float32's rounding of ½ (TIE / 4), else 0
    (a ŷ of ½ is class 0, as the lab's `(hypothesis > 0.5)` says)."""
    return (np.asarray(y_hat, np.float64) - 0.5 > TIE / 4).astype(int)


def accuracy_from_logits(z, y, host: bool = True):
    """The fraction of samples with (ŷ > ½) == y over the last axis, whatever the loss, a ŷ within float32's
    rounding of ½ counting as ½ (TIE): numpy float64 (torch float64 on z's device with host=False)."""
    if isinstance(z, torch.Tensor):
        y = torch.as_tensor(y, device=z.device)
        return _out(((z > TIE) == (y > 0.5)).double().mean(-1), host)
    return np.count_nonzero((z > TIE) == (y > 0.5), axis=-1) / z.shape[-1]


def _out(x, host: bool):
    return to_numpy(x) if host else x


@dataclass
class Chunk:
    """What a backend hands back after a chunk of n steps (valid until the next chunk).

    The raw numbers of every step, where they were made (numpy, or torch on the run's device); cost,
    accuracy and norms are computed from them on demand, so a sweep can take the norms of the few steps
    it keeps only.
    """

    grads: object  # (n, B, size) flat gradient rows as the backend computed them
    y: np.ndarray  # labels (N,) or (B, N)
    params: np.ndarray  # (size,) float32 parameters of model 0 after the chunk
    finite_params: bool
    snapshots: dict
    logits: Optional[object] = None  # (n, B, N) output logits (hand-written backend)
    cost_accuracy: Optional[tuple] = None  # (cost, accuracy), each (n, B), where the backend has them
    rule_state: dict = field(default_factory=dict)  # the update rule's state after the chunk (model 0's)
    cost_fn: Callable = None  # (logits, y) → (cost, accuracy): the loss's (losses.py); BCE where None
    penalty: Optional[object] = None  # (n, B) the L2 term of each step's cost (the weights before the update)
    test_logits: Optional[object] = None  # (n, B, N_test) output logits on the held-out points, where there are some
    test_y: Optional[np.ndarray] = None  # their labels (N_test,)

    def __len__(self):
        return len(self.grads)

    def cost_and_accuracy(self, host: bool = True):
        """Each (n, B): numpy, or with host=False where the logits are (a GPU's records stay there)."""
        if self.cost_accuracy is not None:
            return self.cost_accuracy
        cost, accuracy = (self.cost_fn or bce_from_logits)(self.logits, self.y, host)
        return (cost if self.penalty is None else cost + _out(self.penalty, host)), accuracy

    def test_cost_and_accuracy(self):
        """The loss (without the L2 term) and accuracy on the held-out points at each step: each (n, B)."""
        return (self.cost_fn or bce_from_logits)(self.test_logits, self.test_y)

    def norms(self, layout, rows=slice(None)):
        """Per-layer ‖∂C/∂W_l‖ and ‖∂C/∂b_l‖ for the chosen rows (steps): each (rows, B, L)."""
        if isinstance(self.grads, torch.Tensor) and not isinstance(rows, slice):
            rows = torch.as_tensor(rows, device=self.grads.device)
        return layer_norms(self.grads[rows], layout)

    def unit_norms(self, layout, rows):
        """Per-unit ‖∂C/∂w‖ (chunk.unit_norms) for the chosen rows (steps): (rows, B, U)."""
        if isinstance(self.grads, torch.Tensor):
            rows = torch.as_tensor(rows, device=self.grads.device)
        return unit_norms(self.grads[rows], layout)
