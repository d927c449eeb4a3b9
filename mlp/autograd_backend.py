"""The autograd backend: the seed's second cell, torch.nn.Linear + Sigmoid + BCELoss + optim.SGD (or the
config's MSELoss, L2 term, SGD with momentum, Adam: torch's own, as a student would write them).

It starts from the same weights as the hand-written backend (copied into the nn.Linear layers) and
differs from it in two places only: the gradients come from loss.backward(), not from backprop.py, and
the update from torch.optim, not from optim.py.
Single run only (B = 1): it is the reference the hand-written chain rule is checked against.
"""

from __future__ import annotations

import numpy as np
import torch

from .chunk import Chunk, predicted_class
from .data import batch_rows
from .loop import chunks
from .losses import LOSSES, l2_term
from .model import ACTIVATIONS, Layout
from .optim import RULES, weight_factor


def build_model(config, layout: Layout, flat, device):
    """The seed's nn.Sequential, with weights taken from one flat parameter row (numpy)."""
    dtype = getattr(torch, config.dtype)
    W, b = layout.views(np.asarray(flat, dtype=np.float64).reshape(1, -1))
    layers = []
    for l, (n_in, n_out) in enumerate(layout.shapes):
        linear = torch.nn.Linear(n_in, n_out, bias=True, device=device, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.as_tensor(W[l][0].T))  # nn.Linear keeps W transposed: (out, in)
            linear.bias.copy_(torch.as_tensor(b[l][0, 0]))
        last = l == len(layout.shapes) - 1
        layers += [linear, torch.nn.Sigmoid() if last else ACTIVATIONS[config.activation].module()]
    return torch.nn.Sequential(*layers).to(device)


def flat_params(model) -> np.ndarray:
    """The model's parameters as one flat row in the manual backend's layout (W as (in, out))."""
    rows = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            rows += [m.weight.detach().T.reshape(-1), m.bias.detach()]
    return torch.cat(rows).cpu().numpy().astype(np.float32)


class Autograd:
    """The autograd backend's stepper (loop.py): the seed's nn loop, recording the cost and every .grad.

    Recording keeps references to the tensors each step makes anyway (zero_grad sets .grad to None,
    so backward() allocates fresh ones): no copies in the loop; the norms are taken per chunk.
    """

    def __init__(self, work):
        config = self.config = work.config
        dtype = getattr(torch, config.dtype)
        self.X, self.Y = (torch.as_tensor(v, dtype=dtype, device=work.device) for v in (work.X, work.Y))
        self.Xt = None if work.test is None else torch.as_tensor(work.test[0], dtype=dtype, device=work.device)
        self.work, self.layout = work, work.layout
        self.model = build_model(config, work.layout, work.P0[0], work.device)
        self.criterion = LOSSES[config.loss].module()
        self.optimizer = torch_optimizer(config, self.model.parameters())
        self.params = list(self.model.parameters())  # W_1, b_1, W_2, b_2, … (weights as (out, in))
        self.weight_params = self.params[0::2]
        self.factor = weight_factor(config.grad_convention, len(self.X))  # the lab's bug: weight gradients ×N
        self.records, self.finite = [], True

    def weights(self):
        return flat_params(self.model)

    def cost_of(self, X, Y):
        """The cost the seed's cell computes: the criterion on the net's output, plus the L2 term."""
        hypothesis = self.model(X)
        if self.work.device != "cpu" and not torch.isfinite(hypothesis).all():
            raise RuntimeError("non-finite output")  # on cuda BCELoss would assert on the device
        cost = self.criterion(hypothesis, Y)  # on cpu BCELoss raises for NaN input: the net diverged
        return hypothesis, (cost + l2_term(self.weight_params, self.config.l2) if self.config.l2 else cost)

    def step(self, i: int, at: int) -> bool:
        X, Y = self.X, self.Y
        if self.config.batch_size:  # the mini-batch's gradient; the cost on all training points (as the manual loop)
            rows = torch.as_tensor(batch_rows(self.config, len(X), at)[0], device=X.device)
            X, Y = X[rows], Y[rows]
        self.optimizer.zero_grad()
        try:
            hypothesis, cost = self.cost_of(X, Y)
            cost.backward()
            if self.config.batch_size:
                with torch.no_grad():
                    hypothesis, cost = self.cost_of(self.X, self.Y)
        except RuntimeError:  # a non-finite output: the net diverged, and the run ends before this step
            self.finite = False
            return False
        if self.factor != 1:
            torch._foreach_mul_([w.grad for w in self.weight_params], float(self.factor))
        tested = None
        if self.Xt is not None:
            with torch.no_grad():  # the held-out points at the same weights: logits (the net without its σ)
                tested = self.model[:-1](self.Xt)
        self.records.append((cost.detach(), hypothesis.detach(), [p.grad for p in self.params], tested))
        self.optimizer.step()
        return True

    def replay(self, step, n, snap_at):
        return None  # no CUDA graph: eager steps only

    def chunk(self, n: int, kept: dict) -> Chunk:
        records, self.records = self.records, []
        chunk = _chunk(records, self.work.Y[:, 0], self.layout, self.model, self.finite, kept)
        if self.Xt is not None and records:
            chunk.test_logits = torch.stack([r[3] for r in records])[:, None, :, 0]
            chunk.test_y, chunk.cost_fn = self.work.test[1][:, 0], LOSSES[self.config.loss].cost
        return chunk


def autograd_steps(work, snap_at):
    """The seed's nn loop's chunks (loop.py), for one net (work.P0 (1, size))."""
    return chunks(Autograd(work), work, snap_at)


def torch_optimizer(config, parameters):
    """torch.optim's own rule for config.optimizer (the hand-written ones are in optim.py, each beside it)."""
    return RULES[config.optimizer].torch(config, parameters)


def _chunk(records, y, layout, model, finite, snapshots):
    if records:
        cost = torch.stack([r[0] for r in records]).double().cpu().numpy()[:, None]
        y_hat = torch.stack([r[1] for r in records])[:, :, 0].cpu().numpy()
        correct = predicted_class(y_hat) == (y > 0.5)  # ŷ > ½, beyond float32's rounding of ½ (chunk.TIE)
        per_param = [torch.stack([r[2][k] for r in records]) for k in range(len(records[0][2]))]
        per_param = [(g.mT if k % 2 == 0 else g).reshape(len(records), -1)  # weights back to (in, out): the
                     for k, g in enumerate(per_param)]  # manual backend's layout
        grads = torch.cat(per_param, 1).cpu().numpy()
    else:
        cost, correct, grads = np.empty((0, 1)), np.empty((0, len(y)), bool), np.empty((0, layout.size))
    final = flat_params(model)
    return Chunk(grads[:, None], y, final, finite and bool(np.isfinite(final).all()), snapshots,
                 cost_accuracy=(cost, correct.mean(-1)[:, None]))
