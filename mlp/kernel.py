"""The 2-2-1 chain rule as one Triton kernel: each program holds BLOCK nets, each net's 9 numbers in registers,
and the step loop runs inside the kernel.

Two modes of the same loop. A sweep (sweep_221): nothing is written per step but the kept steps' records (cost,
‖∂C/∂W_l‖), and each net's first solved step, final cost and accuracy are tracked where the work is. A single
run (steps_221, EVERY): each step's weights, gradient row and output logits are written, a chunk of up to 256
steps a launch, and the run's records are made from them as the hand-written loop's are (chunk.py); on cuda
that replaces ~30 small kernel launches a step by one launch a chunk.

Its math is backprop.backward's, written out for one hidden layer of two sigmoid units, four XOR points,
cross-entropy on the output logit, the mean convention and plain SGD (the comments name backward's lines).
Optional: Triton ships with PyTorch's CUDA builds; the app and the CPU path never import this module. Its
numbers are checked against the hand-written loop on the CPU through Triton's interpreter (TRITON_INTERPRET=1,
tests/test_kernel.py, run where triton is installed), which also compiles it for sm_80 and sm_90 without a GPU;
on a GPU, by the cuda tests and bench/bench_engine.py.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import torch
import triton
import triton.language as tl

from .chunk import MAX_CHUNK, Chunk
from .config import Config
from .losses import LOSSES

# Flat parameter row of a 2-2-1 net (model.Layout): W1[0,0] W1[0,1] W1[1,0] W1[1,1] b1[0] b1[1] W2[0] W2[1] b2
PARAMS = 9


def covers(config: Config) -> bool:
    """The configs this kernel trains exactly as mlp.sweep and the hand-written loop do."""
    return (config.layer_sizes == (2, 2, 1) and config.activation == "sigmoid" and config.loss == "bce"
            and config.optimizer == "sgd" and config.l2 == 0 and config.grad_convention == "mean"
            and config.batch_size == 0 and config.dataset == "xor" and config.features == ("x1", "x2")
            and config.test_fraction == 0 and config.dtype == "float32" and config.backend == "manual")


@triton.jit
def _sigmoid(z):
    return 1.0 / (1.0 + tl.exp(-z))


@triton.jit
def _bce(z, y):
    # −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − y z + log(1 + e^−|z|)   (chunk.bce_from_logits)
    return tl.maximum(z, 0.0) - y * z + tl.log(1.0 + tl.exp(-tl.abs(z)))


@triton.jit(do_not_specialize=["steps", "B", "n_keep"])  # one build for every chunk length and net count
def _train_221(P, X, Y, steps, lr, B,
               keep, n_keep, solved_cost, cost_out, norm_out, final_out, acc_out, solved_out,
               params_out, grads_out, logits_out, EVERY: tl.constexpr, BLOCK: tl.constexpr):
    """`steps` steps of B nets from their flat rows P (B, 9), written back to P at the end. EVERY: each step's
    weights (before its update), gradient row and four output logits go to params_out, grads_out (steps, B, 9)
    and logits_out (steps, B, 4), as a single run records them. Else a sweep's records: the kept steps' cost and
    ‖∂C/∂W_l‖, each net's first solved step, final cost and accuracy."""
    net = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = net < B
    p = P + net * 9
    w00 = tl.load(p + 0, mask=m)
    w01 = tl.load(p + 1, mask=m)
    w10 = tl.load(p + 2, mask=m)
    w11 = tl.load(p + 3, mask=m)
    b0 = tl.load(p + 4, mask=m)
    b1 = tl.load(p + 5, mask=m)
    v0 = tl.load(p + 6, mask=m)
    v1 = tl.load(p + 7, mask=m)
    c = tl.load(p + 8, mask=m)
    solved = tl.full((BLOCK,), -1, tl.int32)
    alive = m
    cost = tl.zeros((BLOCK,), tl.float32)
    acc = tl.zeros((BLOCK,), tl.float32)
    k = 0
    next_keep = tl.load(keep)
    for step in range(steps):
        gw00 = tl.zeros((BLOCK,), tl.float32)
        gw01 = tl.zeros((BLOCK,), tl.float32)
        gw10 = tl.zeros((BLOCK,), tl.float32)
        gw11 = tl.zeros((BLOCK,), tl.float32)
        gb0 = tl.zeros((BLOCK,), tl.float32)
        gb1 = tl.zeros((BLOCK,), tl.float32)
        gv0 = tl.zeros((BLOCK,), tl.float32)
        gv1 = tl.zeros((BLOCK,), tl.float32)
        gc = tl.zeros((BLOCK,), tl.float32)
        cost = tl.zeros((BLOCK,), tl.float32)
        acc = tl.zeros((BLOCK,), tl.float32)
        row = step * B + net  # this step's record of this net (EVERY)
        for n in tl.static_range(4):  # the four points; Σ_n as in backward's a[l].mT @ delta[l]
            x0 = tl.load(X + 2 * n)
            x1 = tl.load(X + 2 * n + 1)
            y = tl.load(Y + n)
            a0 = _sigmoid(x0 * w00 + x1 * w10 + b0)  # a_1 = σ(z_1), z_1 = x W_1 + b_1   (forward)
            a1 = _sigmoid(x0 * w01 + x1 * w11 + b1)
            z = a0 * v0 + a1 * v1 + c  # z_2 = a_1 W_2 + b_2
            if EVERY:
                tl.store(logits_out + row * 4 + n, z, mask=m)
            else:
                cost += _bce(z, y) / 4.0
                acc += tl.where((z > 0.0) == (y > 0.5), 0.25, 0.0)
            d = (_sigmoid(z) - y) / 4.0  # δ_L = (ŷ − y)/N                          (backward, line 19)
            gv0 += a0 * d  # ∂C/∂W_2 = a_1ᵀ δ_2                                     (line 21)
            gv1 += a1 * d
            gc += d  # ∂C/∂b_2 = Σ_n δ_2                                            (line 22)
            d0 = d * v0 * a0 * (1.0 - a0)  # δ_1 = (δ_2 W_2ᵀ) ⊙ σ'(z_1)             (line 24)
            d1 = d * v1 * a1 * (1.0 - a1)
            gw00 += x0 * d0  # ∂C/∂W_1 = xᵀ δ_1                                     (line 21)
            gw01 += x0 * d1
            gw10 += x1 * d0
            gw11 += x1 * d1
            gb0 += d0  # ∂C/∂b_1 = Σ_n δ_1                                          (line 22)
            gb1 += d1
        if EVERY:  # the run's records of this step: its weights before the update, and its gradient row
            _store_row(params_out + row * 9, w00, w01, w10, w11, b0, b1, v0, v1, c, m)
            _store_row(grads_out + row * 9, gw00, gw01, gw10, gw11, gb0, gb1, gv0, gv1, gc, m)
        else:
            alive = alive & (cost == cost) & (tl.abs(cost) < float("inf"))  # a net stays diverged once it has
            ok = alive & (cost < solved_cost) & (acc >= 1.0)
            solved = tl.where((solved < 0) & ok, step, solved)
            if step == next_keep:  # the kept steps' records: cost and ‖∂C/∂W_l‖ (weights only)
                tl.store(cost_out + net * n_keep + k, tl.where(alive, cost, float("nan")), mask=m)
                n1 = tl.sqrt(gw00 * gw00 + gw01 * gw01 + gw10 * gw10 + gw11 * gw11)
                n2 = tl.sqrt(gv0 * gv0 + gv1 * gv1)
                tl.store(norm_out + (net * n_keep + k) * 2, tl.where(alive, n1, float("nan")), mask=m)
                tl.store(norm_out + (net * n_keep + k) * 2 + 1, tl.where(alive, n2, float("nan")), mask=m)
                k += 1
                next_keep = tl.load(keep + tl.minimum(k, n_keep - 1))
        w00 -= lr * gw00  # P ← P − lr ∂C/∂P   (optim.SGD)
        w01 -= lr * gw01
        w10 -= lr * gw10
        w11 -= lr * gw11
        b0 -= lr * gb0
        b1 -= lr * gb1
        v0 -= lr * gv0
        v1 -= lr * gv1
        c -= lr * gc
    _store_row(p, w00, w01, w10, w11, b0, b1, v0, v1, c, m)  # where the next chunk goes on from
    if not EVERY:
        tl.store(final_out + net, tl.where(alive, cost, float("nan")), mask=m)
        tl.store(acc_out + net, acc, mask=m)
        tl.store(solved_out + net, solved, mask=m)  # a net that solved, then diverged, keeps its step (as sweep)


@triton.jit
def _store_row(out, w00, w01, w10, w11, b0, b1, v0, v1, c, m):
    """A flat 2-2-1 row, in model.Layout's order (PARAMS)."""
    tl.store(out + 0, w00, mask=m)
    tl.store(out + 1, w01, mask=m)
    tl.store(out + 2, w10, mask=m)
    tl.store(out + 3, w11, mask=m)
    tl.store(out + 4, b0, mask=m)
    tl.store(out + 5, b1, mask=m)
    tl.store(out + 6, v0, mask=m)
    tl.store(out + 7, v1, mask=m)
    tl.store(out + 8, c, mask=m)


def sweep_221(P0: np.ndarray, X: np.ndarray, Y: np.ndarray, lr: float, steps: int, keep: np.ndarray,
              solved_cost: float, device: str = "cuda", block: int = 128) -> dict:
    """Train the 2-2-1 nets whose flat rows are P0 (B, 9) on the 4 points X (4, 2), Y (4, 1): the kept steps'
    cost (B, S) and norms (B, S, 2), each net's final cost and accuracy, first solved step (−1: never) and
    whether it diverged. `device`: where the tensors live (the interpreter runs on the cpu)."""
    B = len(P0)
    as_t = partial(_tensor, device=device)
    P, Xt, Yt = as_t(P0), as_t(X), as_t(Y.reshape(-1))
    keep_t = as_t(keep, torch.int32)
    empty = partial(torch.empty, dtype=torch.float32, device=device)
    cost, norms, final, acc = empty((B, len(keep))), empty((B, len(keep), 2)), empty(B), empty(B)
    solved = torch.empty(B, dtype=torch.int32, device=device)
    none = empty(1)  # a single run's records: not written here
    _train_221[(triton.cdiv(B, block),)](P, Xt, Yt, steps, float(lr), B, keep_t, len(keep), float(solved_cost),
                                         cost, norms, final, acc, solved, none, none, none, EVERY=False, BLOCK=block)
    out = {"cost": cost, "norms": norms, "final_cost": final, "final_accuracy": acc, "solved_step": solved}
    out = {k: v.cpu().numpy() for k, v in out.items()}
    out["diverged"] = ~np.isfinite(out["final_cost"])
    return out


def steps_221(config: Config, layout, X: np.ndarray, Y: np.ndarray, P0: np.ndarray, device: str, snap_at,
              block: int = 32):
    """train.manual_steps for the configs this kernel covers: chunk by chunk, one launch each, the same Chunks
    (every step's gradient row and output logits, on the device; the weights at the snapshot steps). The
    weights stay on the device between chunks; only the snapshots and the last weights cross each chunk."""
    B = len(P0)
    P, Xt, Yt = _tensor(P0, device=device), _tensor(X, device=device), _tensor(Y.reshape(-1), device=device)
    C = max(1, min(MAX_CHUNK, config.steps))
    empty = partial(torch.empty, dtype=torch.float32, device=device)
    params, grads, logits = empty((C, B, PARAMS)), empty((C, B, PARAMS)), empty((C, B, len(X)))
    none, keep = empty(1), torch.zeros(1, dtype=torch.int32, device=device)  # a sweep's records: not written
    cost = LOSSES[config.loss].cost
    step = 0
    while step < config.steps:
        n = min(C, config.steps - step)
        _train_221[(triton.cdiv(B, block),)](P, Xt, Yt, n, config.lr, B, keep, 1, 0.0, none, none, none, none, keep,
                                             params, grads, logits, EVERY=True, BLOCK=block,
                                             num_warps=max(1, min(4, block // 32)))
        snaps = sorted(s for s in snap_at if step <= s < step + n)
        kept = params[[s - step for s in snaps], 0].cpu().numpy() if snaps else []
        final = P[0].cpu().numpy()
        step += n
        yield Chunk(grads[:n], Y[..., 0], final, bool(np.isfinite(final).all()), dict(zip(snaps, kept)),
                    logits=logits[:n], cost_fn=cost)


def _tensor(a, dtype=torch.float32, device="cuda"):
    return torch.as_tensor(np.ascontiguousarray(a), dtype=dtype, device=device)
