"""The autograd backend: the seed's second cell, torch.nn.Linear + Sigmoid + BCELoss + optim.SGD (or the
config's MSELoss, L2 term, SGD with momentum, Adam: torch's own, as a student would write them).

It starts from the same weights as the hand-written backend (copied into the nn.Linear layers) and
differs from it in two places only: the gradients come from loss.backward(), not from backprop.py, and
the update from torch.optim, not from optim.py.
Single run only (B = 1): it is the reference the hand-written chain rule is checked against.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from .chunk import CHUNK_SECONDS, MAX_CHUNK, Chunk
from .data import batch_rows
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


def autograd_steps(config, layout, X, Y, P0, device, snap_at, test=None):
    """Yield Chunks (see train.py) of the seed's nn loop, recording the cost and every .grad.

    Recording keeps references to the tensors each step makes anyway (zero_grad sets .grad to None,
    so backward() allocates fresh ones): no copies in the loop; the norms are taken per chunk.
    """
    dtype = getattr(torch, config.dtype)
    X = torch.as_tensor(X, dtype=dtype, device=device)
    Y = torch.as_tensor(Y, dtype=dtype, device=device)
    Xt = None if test is None else torch.as_tensor(test[0], dtype=dtype, device=device)
    model = build_model(config, layout, P0[0], device)
    criterion = LOSSES[config.loss].module()
    optimizer = torch_optimizer(config, model.parameters())
    params = list(model.parameters())  # W_1, b_1, W_2, b_2, … (weights as (out, in))
    weights = params[0::2]
    N = X.shape[0]
    y = Y[:, 0].cpu().numpy()
    factor = weight_factor(config.grad_convention, N)  # the lab's bug: weight gradients summed, ×N
    step = 0
    while step < config.steps:
        n, snapshots, finite, records = min(MAX_CHUNK, config.steps - step), {}, True, []
        deadline = time.perf_counter() + CHUNK_SECONDS
        for i in range(n):
            if step + i in snap_at:
                snapshots[step + i] = flat_params(model)
            optimizer.zero_grad()
            if config.batch_size:  # the mini-batch's gradient; the cost on all training points (as the manual loop)
                rows = torch.as_tensor(batch_rows(config, N, step + i)[0], device=X.device)
                Xb, Yb = X[rows], Y[rows]
            else:
                Xb, Yb = X, Y
            hypothesis = model(Xb)
            try:
                if device != "cpu" and not torch.isfinite(hypothesis).all():
                    raise RuntimeError("non-finite output")  # on cuda BCELoss would assert on the device
                cost = criterion(hypothesis, Yb)  # on cpu BCELoss raises for NaN input: the net diverged
            except RuntimeError:
                n, finite = i, False
                break
            if config.l2:
                cost = cost + l2_term(weights, config.l2)  # the L2 term, weights only
            cost.backward()
            if config.batch_size:
                with torch.no_grad():
                    hypothesis = model(X)
                    cost = criterion(hypothesis, Y) + (l2_term(weights, config.l2) if config.l2 else 0)
            if factor != 1:
                torch._foreach_mul_([w.grad for w in weights], float(factor))
            tested = None
            if Xt is not None:
                with torch.no_grad():  # the held-out points at the same weights: logits (the net without its σ)
                    tested = model[:-1](Xt)
            records.append((cost.detach(), hypothesis.detach(), [p.grad for p in params], tested))
            optimizer.step()
            if time.perf_counter() > deadline:
                n = i + 1
                break
        step += n
        chunk = _chunk(records, y, layout, model, finite, snapshots)
        if Xt is not None and records:
            chunk.test_logits = torch.stack([r[3] for r in records])[:, None, :, 0]
            chunk.test_y, chunk.cost_fn = test[1][:, 0], LOSSES[config.loss].cost
        yield chunk
        if not finite:
            return


def torch_optimizer(config, parameters):
    """torch.optim's own rule for config.optimizer (the hand-written ones are in optim.py, each beside it)."""
    return RULES[config.optimizer].torch(config, parameters)


def _chunk(records, y, layout, model, finite, snapshots):
    if records:
        cost = torch.stack([r[0] for r in records]).double().cpu().numpy()[:, None]
        correct = (torch.stack([r[1] for r in records])[:, :, 0].cpu().numpy() > 0.5) == (y > 0.5)
        per_param = [torch.stack([r[2][k] for r in records]) for k in range(len(records[0][2]))]
        per_param = [(g.mT if k % 2 == 0 else g).reshape(len(records), -1)  # weights back to (in, out): the
                     for k, g in enumerate(per_param)]  # manual backend's layout
        grads = torch.cat(per_param, 1).cpu().numpy()
    else:
        cost, correct, grads = np.empty((0, 1)), np.empty((0, len(y)), bool), np.empty((0, layout.size))
    final = flat_params(model)
    return Chunk(grads[:, None], y, final, finite and bool(np.isfinite(final).all()), snapshots,
                 cost_accuracy=(cost, correct.mean(-1)[:, None]))
