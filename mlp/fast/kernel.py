"""The chain rule of a 2-W-1 sigmoid net on XOR as one Triton kernel: each program holds BLOCK nets as tiles of
[BLOCK, W] numbers in registers (one column a hidden unit), and the step loop runs inside the kernel. W = 2 is
the lab's 2-2-1 net; the map's widths and the Robustness page's 2-W-1 nets are the others.

Two modes of the same loop. A sweep (sweep_2w1, a learning rate per net, as a map asks): nothing is written per
step but the kept steps' records (cost, ‖∂C/∂W_l‖), and each net's first solved step, final cost and accuracy are
tracked where the work is. A single run (steps_2w1, EVERY): each step's weights, gradient row and output logits
are written, a chunk of up to 256 steps a launch, and the run's records are made from them as the hand-written
loop's are (chunk.py); on cuda that replaces ~30 small kernel launches a step by one launch a chunk.

Its math is backprop.backward's, written out for one hidden layer of sigmoid units, four XOR points,
cross-entropy on the output logit, the mean convention and plain SGD (the comments name backward's lines).
Optional: Triton ships with PyTorch's CUDA builds; the app and the CPU path never import this module. Its
numbers are checked against the hand-written loop on the CPU through Triton's interpreter (TRITON_INTERPRET=1,
tests/test_kernel.py, run where triton is installed), which also compiles it for sm_80 and sm_90 without a GPU;
on a GPU, by the cuda tests and bench/bench_engine.py.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial

import numpy as np
import torch
import triton
import triton.language as tl

from ..chunk import Chunk
from ..config import Config
from ..losses import LOSSES
from .pace import MAX_CHUNK

TILE = 1024  # numbers of one kind a program holds: BLOCK nets × WP hidden units (registers, not memory)


COVERED = Config(hidden_layers=1)  # the lab's 2-2-1 net by the hand-written chain rule, as Config's defaults say …
FREE = ("width", "lr", "steps", "seed", "init", "device", "points", "noise", "momentum")  # … with any of these


def covers(config: Config) -> bool:
    """The configs this kernel trains exactly as mlp.sweep and the hand-written loop do: 2-W-1 sigmoid nets on
    XOR (any width W: the lab's 2-2-1 and the map's widths), cross-entropy, plain SGD, the mean convention, float32:
    the lab's net with any width, learning rate, length, seed and initial weights."""
    return replace(config, **{name: getattr(COVERED, name) for name in FREE}) == COVERED


# Multiply-adds fused (one rounding instead of two), set here rather than left to Triton's default (which changes in
# Triton 3.10): a GPU's numbers then differ from the cpu's by rounding, as tests/agree.py allows for, and the step
# loop stays short (tests/test_kernel.py reads it). The interpreter computes each operation apart, as numpy does.
FP_FUSION = True
MANY = 32_768  # a sweep of at least this many nets of width 2 fills a GPU with programs of 256 nets
BLOCK_ENV, WARPS_ENV = "MLP_KERNEL_BLOCK", "MLP_KERNEL_WARPS"  # override the choice below (the GPU bench tries shapes)


def shape(width: int, single: bool, nets: int = 1) -> tuple:
    """(BLOCK nets a program, WP: the width rounded up to a power of two, num_warps) for a launch of `nets` nets:
    256 nets over 4 warps for a large sweep of 2-unit nets, at most 128 (32 for a single run's records) otherwise;
    MLP_KERNEL_BLOCK and MLP_KERNEL_WARPS, where set, choose instead (a power of two; 1, 2, 4 or 8 warps)."""
    wp = max(2, triton.next_power_of_2(width))
    block = 256 if (not single and wp == 2 and nets >= MANY) else max(2, min(32 if single else 128, TILE // wp))
    warps = 1 if block * wp <= 128 else 4
    block = _env_choice(BLOCK_ENV, block, [2 ** k for k in range(1, 11)])
    return block, wp, _env_choice(WARPS_ENV, warps, [1, 2, 4, 8])


def _env_choice(name: str, default: int, allowed: list) -> int:
    """An environment variable's whole number if it is one of `allowed`; else (with a clear error) none at all."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) not in allowed:
        raise ValueError(f"{name}={text!r}: one of {', '.join(map(str, allowed))}")
    return int(text)


@triton.jit
def _sigmoid(z):
    return 1.0 / (1.0 + tl.exp(-z))


@triton.jit
def _bce(z, y):
    # −[y log σ(z) + (1−y) log(1−σ(z))] = max(z, 0) − y z + log(1 + e^−|z|)   (chunk.bce_from_logits)
    return tl.maximum(z, 0.0) - y * z + tl.log(1.0 + tl.exp(-tl.abs(z)))


@triton.jit
def _store_row(out, net, unit, w0, w1, b, v, c, mm, m, W: tl.constexpr):
    """A flat 2-W-1 row in model.Layout's order: W1[0, :], W1[1, :], b1, W2[:, 0], b2 (net, c, m: [BLOCK, 1])."""
    at = out + net * (4 * W + 1) + unit[None, :]
    tl.store(at, w0, mask=mm)
    tl.store(at + W, w1, mask=mm)
    tl.store(at + 2 * W, b, mask=mm)
    tl.store(at + 3 * W, v, mask=mm)
    tl.store(out + net * (4 * W + 1) + 4 * W, c, mask=m)


@triton.jit
def _point(x0, x1, y, w0, w1, b, v, c, mm):
    """One training point through the net and back: its a_1, output logit z and δs (the lines of forward and
    backward, for one point; Σ_n over the four is the caller's)."""
    a = tl.where(mm, _sigmoid(x0 * w0 + x1 * w1 + b), 0.0)  # a_1 = σ(z_1), z_1 = x W_1 + b_1  (forward)
    z = tl.sum(a * v, axis=1, keep_dims=True) + c  # z_2 = a_1 W_2 + b_2
    d = (_sigmoid(z) - y) / 4.0  # δ_L = (ŷ − y)/N                                (backward, line 19)
    d1 = d * v * a * (1.0 - a)  # δ_1 = (δ_2 W_2ᵀ) ⊙ σ'(z_1)                        (line 24)
    return a, z, d, d1


@triton.jit(do_not_specialize=["first", "steps", "B", "k0", "n_keep"])  # one build for every length and count
def _train_2w1(P, X, Y, LR, first, steps, B,
               keep, k0, n_keep, solved_cost, cost_out, norm_out, final_out, acc_out, solved_out, alive_io,
               params_out, grads_out, logits_out,
               W: tl.constexpr, WP: tl.constexpr, EVERY: tl.constexpr, BLOCK: tl.constexpr):
    """Steps first … first + steps − 1 of B nets from their flat rows P (B, 4W + 1), written back to P at the
    end; LR: each net's learning rate. A sweep goes on from where its last launch ended: its first solved
    steps and which nets are still finite in solved_out and alive_io, k0 the kept steps before `first`.
    Each program holds BLOCK nets as [BLOCK, WP] tiles, one column a hidden unit (WP ≥ W, the
    columns past W masked); a net's own numbers (its output logit, b_2, lr, cost, …) are [BLOCK, 1] columns of
    the same layout, so no step moves numbers between layouts, and the four points are loaded once.
    EVERY: each step's weights (before its update), gradient row and four output logits go to params_out,
    grads_out (steps, B, 4W + 1) and logits_out (steps, B, 4), as a single run records them. Else a sweep's
    records: the kept steps' cost and ‖∂C/∂W_l‖, each net's first solved step, final cost and accuracy."""
    net = (tl.program_id(0) * BLOCK + tl.arange(0, BLOCK))[:, None]  # [BLOCK, 1]
    unit = tl.arange(0, WP)  # [WP]
    m = net < B  # [BLOCK, 1]
    mm = m & (unit < W)[None, :]  # [BLOCK, WP]
    p = P + net * (4 * W + 1) + unit[None, :]
    w0 = tl.load(p, mask=mm, other=0.0)  # W_1[0, j]
    w1 = tl.load(p + W, mask=mm, other=0.0)  # W_1[1, j]
    b = tl.load(p + 2 * W, mask=mm, other=0.0)  # b_1[j]
    v = tl.load(p + 3 * W, mask=mm, other=0.0)  # W_2[j, 0]
    c = tl.load(P + net * (4 * W + 1) + 4 * W, mask=m, other=0.0)  # b_2
    lr = tl.load(LR + net, mask=m, other=0.0)
    x00, x01, y0 = tl.load(X), tl.load(X + 1), tl.load(Y)  # the four points, once
    x10, x11, y1 = tl.load(X + 2), tl.load(X + 3), tl.load(Y + 1)
    x20, x21, y2 = tl.load(X + 4), tl.load(X + 5), tl.load(Y + 2)
    x30, x31, y3 = tl.load(X + 6), tl.load(X + 7), tl.load(Y + 3)
    if EVERY:
        solved = tl.full((BLOCK, 1), -1, tl.int32)
        alive = m
    else:
        solved = tl.load(solved_out + net, mask=m, other=-1)
        alive = m & (tl.load(alive_io + net, mask=m, other=0) != 0)
    cost = tl.zeros((BLOCK, 1), tl.float32)
    acc = tl.zeros((BLOCK, 1), tl.float32)
    k = k0
    next_keep = tl.load(keep + tl.minimum(k0, n_keep - 1))
    for step in range(first, first + steps):
        # the four points, Σ_n as in backward's a[l].mT @ delta[l]
        a0, z0, d0, e0 = _point(x00, x01, y0, w0, w1, b, v, c, mm)
        a1, z1, d1, e1 = _point(x10, x11, y1, w0, w1, b, v, c, mm)
        a2, z2, d2, e2 = _point(x20, x21, y2, w0, w1, b, v, c, mm)
        a3, z3, d3, e3 = _point(x30, x31, y3, w0, w1, b, v, c, mm)
        gv = a0 * d0 + a1 * d1 + a2 * d2 + a3 * d3  # ∂C/∂W_2 = a_1ᵀ δ_2                    (line 21)
        gc = d0 + d1 + d2 + d3  # ∂C/∂b_2 = Σ_n δ_2                                      (line 22)
        gw0 = x00 * e0 + x10 * e1 + x20 * e2 + x30 * e3  # ∂C/∂W_1 = xᵀ δ_1                (line 21)
        gw1 = x01 * e0 + x11 * e1 + x21 * e2 + x31 * e3
        gb = e0 + e1 + e2 + e3  # ∂C/∂b_1 = Σ_n δ_1                                      (line 22)
        if EVERY:  # the run's records of this step: its output logits, its weights before the update, its gradient
            at = logits_out + ((step - first) * B + net) * 4
            tl.store(at, z0, mask=m)
            tl.store(at + 1, z1, mask=m)
            tl.store(at + 2, z2, mask=m)
            tl.store(at + 3, z3, mask=m)
            _store_row(params_out, (step - first) * B + net, unit, w0, w1, b, v, c, mm, m, W)
            _store_row(grads_out, (step - first) * B + net, unit, gw0, gw1, gb, gv, gc, mm, m, W)
        else:
            cost = (_bce(z0, y0) / 4.0 + _bce(z1, y1) / 4.0) + _bce(z2, y2) / 4.0 + _bce(z3, y3) / 4.0
            tie = 4.76837158203125e-07  # chunk.TIE, 2⁻²¹: a logit within it is ŷ = ½ (a literal: a jit function
            # reads no Python global but a constexpr; tests/test_engine.py holds the two equal)
            acc = (tl.where((z0 > tie) == (y0 > 0.5), 0.25, 0.0) + tl.where((z1 > tie) == (y1 > 0.5), 0.25, 0.0)
                   + tl.where((z2 > tie) == (y2 > 0.5), 0.25, 0.0) + tl.where((z3 > tie) == (y3 > 0.5), 0.25, 0.0))
            alive = alive & (cost == cost) & (tl.abs(cost) < float("inf"))  # a net stays diverged once it has
            ok = alive & (cost < solved_cost) & (acc >= 1.0)
            solved = tl.where((solved < 0) & ok, step, solved)
            if step == next_keep:  # the kept steps' records: cost and ‖∂C/∂W_l‖ (weights only)
                tl.store(cost_out + net * n_keep + k, tl.where(alive, cost, float("nan")), mask=m)
                n1 = tl.sqrt(tl.sum(gw0 * gw0 + gw1 * gw1, axis=1, keep_dims=True))
                n2 = tl.sqrt(tl.sum(gv * gv, axis=1, keep_dims=True))
                tl.store(norm_out + (net * n_keep + k) * 2, tl.where(alive, n1, float("nan")), mask=m)
                tl.store(norm_out + (net * n_keep + k) * 2 + 1, tl.where(alive, n2, float("nan")), mask=m)
                k += 1
                next_keep = tl.load(keep + tl.minimum(k, n_keep - 1))
        w0 -= lr * gw0  # P ← P − lr ∂C/∂P   (optim.SGD)
        w1 -= lr * gw1
        b -= lr * gb
        v -= lr * gv
        c -= lr * gc
    _store_row(P, net, unit, w0, w1, b, v, c, mm, m, W)  # where the next chunk goes on from
    if not EVERY:
        tl.store(final_out + net, tl.where(alive, cost, float("nan")), mask=m)
        tl.store(acc_out + net, acc, mask=m)
        tl.store(solved_out + net, solved, mask=m)  # a net that solved, then diverged, keeps its step (as sweep)
        tl.store(alive_io + net, alive.to(tl.int32), mask=m)


SEGMENT_WORK = 1 << 30  # a sweep's launch does at most about this many unit-steps (nets × units × steps), so that
# on_step comes every ~0.1 s or less on a GPU (a moved slider stops a sweep there as it does on the cpu)


def sweep_2w1(P0: np.ndarray, X: np.ndarray, Y: np.ndarray, lr, steps: int, keep: np.ndarray, solved_cost: float,
              device: str = "cuda", on_step=None, segment: int = 0) -> dict:
    """Train the 2-W-1 nets whose flat rows are P0 (B, 4W + 1) on the 4 points X (4, 2), Y (4, 1), at learning
    rate lr (a number, or one a net): the kept steps' cost (B, S) and norms (B, S, 2), each net's final cost and
    accuracy, first solved step (−1: never), whether it diverged, and the steps done. Launch by launch of
    `segment` steps (0: by SEGMENT_WORK), with on_step(done, steps) after each has finished on the device; False from
    it stops the sweep.
    `device`: where the tensors live (the interpreter runs on the cpu)."""
    B, width = len(P0), (P0.shape[1] - 1) // 4
    block, wp, warps = shape(width, single=False, nets=B)
    as_t = partial(_tensor, device=device)
    P, Xt, Yt, LR = as_t(P0), as_t(X), as_t(Y.reshape(-1)), as_t(np.broadcast_to(lr, (B,)))
    keep_t = as_t(keep, torch.int32)
    empty = partial(torch.empty, dtype=torch.float32, device=device)
    cost, norms, final, acc = (torch.full(shape, float("nan"), device=device)  # NaN: kept steps not reached
                               for shape in ((B, len(keep)), (B, len(keep), 2), (B,), (B,)))
    solved = torch.full((B,), -1, dtype=torch.int32, device=device)
    alive = torch.ones(B, dtype=torch.int32, device=device)
    none = empty(1)  # a single run's records: not written here
    segment = segment or max(1, SEGMENT_WORK // (B * wp))
    done = 0
    while done < steps:
        n = min(segment, steps - done)
        _train_2w1[(triton.cdiv(B, block),)](P, Xt, Yt, LR, done, n, B, keep_t, int(np.searchsorted(keep, done)),
                                             len(keep), float(solved_cost), cost, norms, final, acc, solved, alive,
                                             none, none, none, W=width, WP=wp, EVERY=False, BLOCK=block,
                                             num_warps=warps, enable_fp_fusion=FP_FUSION)
        done += n
        if on_step is not None:
            if P.is_cuda:  # launches queue up: wait for this one, so that `done` steps are computed, not asked for
                torch.cuda.synchronize(P.device)
            if on_step(done, steps) is False:  # … and a stop leaves no launch behind it
                break
    out = {"cost": cost, "norms": norms, "final_cost": final, "final_accuracy": acc, "solved_step": solved}
    out = {k: v.cpu().numpy() for k, v in out.items()}
    out["diverged"] = ~np.isfinite(out["final_cost"])
    out["steps_done"] = done
    return out


def steps_2w1(work, snap_at):
    """loop.manual_steps for the configs this kernel covers (work: a loop.Work): chunk by chunk, one launch each,
    the same Chunks (every step's gradient row and output logits, on the device; the weights at the snapshot
    steps). The weights stay on the device between chunks; only the snapshots and the last weights cross."""
    config, X, Y, P0, device = work.config, work.X, work.Y, work.P0, work.device
    B, size = P0.shape
    block, wp, warps = shape(config.width, single=True)
    P, Xt, Yt = _tensor(P0, device=device), _tensor(X, device=device), _tensor(Y.reshape(-1), device=device)
    LR = _tensor(np.full(B, config.lr), device=device)
    C = max(1, min(MAX_CHUNK, config.steps))
    empty = partial(torch.empty, dtype=torch.float32, device=device)
    params, grads, logits = empty((C, B, size)), empty((C, B, size)), empty((C, B, len(X)))
    none, keep = empty(1), torch.zeros(1, dtype=torch.int32, device=device)  # a sweep's records: not written
    cost = LOSSES[config.loss].cost
    step = 0
    while step < config.steps:
        n = min(C, config.steps - step)
        _train_2w1[(triton.cdiv(B, block),)](P, Xt, Yt, LR, 0, n, B, keep, 0, 1, 0.0, none, none, none, none, keep,
                                             keep, params, grads, logits,
                                             W=config.width, WP=wp, EVERY=True, BLOCK=block, num_warps=warps,
                                             enable_fp_fusion=FP_FUSION)
        snaps = sorted(s for s in snap_at if step <= s < step + n)
        kept = params[[s - step for s in snaps], 0].cpu().numpy() if snaps else []
        final = P[0].cpu().numpy()
        step += n
        yield Chunk(grads[:n], Y[..., 0], final, bool(np.isfinite(final).all()), dict(zip(snaps, kept)),
                    logits=logits[:n], cost_fn=cost)


def _tensor(a, dtype=torch.float32, device="cuda"):
    """A copy on the device, always (the kernel writes the weights back: never into the caller's array)."""
    return torch.tensor(np.ascontiguousarray(a), dtype=dtype, device=device)
