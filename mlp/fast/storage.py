"""Where the hand-written loop keeps its numbers: one small factory, three layouts, one loop body.

    numpy        a single run or a few nets on the cpu (numpy's per-call cost on tiny arrays is a few
                 times lower than torch's); a single run uses a 1-D parameter row (2-D matrices)
    batch_last   many small nets on the cpu: BatchLast arrays, (N, n, B) in memory (batch_last.py)
    torch        torch tensors, on cuda, or on the cpu when asked for (so that the code cuda runs is
                 tested here too, against numpy)

Each gives the loop the same things: the flat parameters P and their W_l, b_l views, the data X, Y,
a chunk's buffers (one flat gradient row and one row of output logits per step, with views that the
backward pass writes into), the parameters of net 0, and the chunk's raw records to hand back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from ..chunk import to_numpy
from ..step import Flat
from . import batch_last

KINDS = ("numpy", "batch_last", "torch")


@dataclass
class Storage:
    net: Flat  # the parameters P: (size,) for one net, else (B, size); batch_last: (size, B); and their W_l, b_l
    X: object
    Y: object
    rows: list  # per step of a chunk: its flat gradient row and dW, db views (Flat)
    logits: list  # per step of a chunk: where its output logits go
    model0: Callable  # () → the flat float32 parameters of net 0, as numpy
    raw: Callable  # n → (gradient rows (n, B, size), logits (n, B, N)) of the chunk's first n steps
    y: np.ndarray  # labels for the per-chunk cost: (N,) or (B, N)
    convert: Callable  # a numpy array → this storage's kind (dtype, device), e.g. held-out test inputs


def choose(layout, N: int, B: int, device: str) -> str:
    """The layout that measured fastest for this work (bench/bench_engine.py)."""
    if device != "cpu":
        return "torch"
    return "batch_last" if batch_last.suits(layout, N, B) else "numpy"


def make(kind: str, layout, X, Y, P0, device: str, dtype: str, C: int) -> Storage:
    """Storage of `kind` for nets with initial parameters P0 (B, size) on data X, Y (numpy, float64), with room for
    the records of a chunk of C steps."""
    P0 = P0[0] if P0.shape[0] == 1 else P0
    lead, N = tuple(P0.shape[:-1]), X.shape[-2]
    B = int(np.prod(lead))
    y = Y[..., 0]  # (N,) or (B, N)
    if kind == "batch_last":
        P = np.ascontiguousarray(P0.T.astype(dtype))  # (size, B)
        Z, G = np.empty((C, N, 1, B), dtype), np.empty((C, layout.size, B), dtype)
        rows = [Flat(G[i], *batch_last.views(layout, G[i])) for i in range(C)]
        return Storage(Flat(P, *batch_last.views(layout, P)), batch_last.BatchLast.of(X.astype(dtype)),
                       batch_last.BatchLast.of(Y.astype(dtype)),
                       rows, [batch_last.BatchLast(Z[i]) for i in range(C)], lambda: P[:, 0].astype(np.float32),
                       lambda n: (G[:n].transpose(0, 2, 1), Z[:n, :, 0].transpose(0, 2, 1)), y,
                       lambda x: batch_last.BatchLast.of(x.astype(dtype)))
    if kind == "torch":
        tdtype = getattr(torch, dtype)
        convert = lambda x: torch.as_tensor(x, dtype=tdtype, device=device)  # noqa: E731
        X, Y, P = (convert(v) for v in (X, Y, P0))
        Z = torch.empty((C, *lead, N, 1), dtype=tdtype, device=device)
        G = torch.empty((C, *lead, layout.size), dtype=tdtype, device=device)
        # the records stay on the device: Chunk reduces them there (chunk.py), only what is kept crosses
    else:
        convert = lambda x: x.astype(dtype)  # noqa: E731
        X, Y, P = X.astype(dtype), Y.astype(dtype), P0.astype(dtype)
        Z, G = np.empty((C, *lead, N, 1), dtype), np.empty((C, *lead, layout.size), dtype)
    rows = [Flat(G[i], *layout.views(G[i])) for i in range(C)]  # each row of G, and its dW, db views
    return Storage(Flat(P, *layout.views(P)), X, Y, rows, [Z[i] for i in range(C)],
                   lambda: to_numpy(P.reshape(B, -1)[0]).astype(np.float32),
                   lambda n: (G[:n].reshape(n, B, -1), Z[:n].reshape(n, B, N)), y, convert)


def per_net(values, like, batch_last: bool = False):
    """One number per net (e.g. learning rates) shaped to scale each net's row of flat parameters like `like`:
    (B, 1) batch-first, (1, B) batch-last, a plain float for a single net's 1-D row."""
    values = np.asarray(values, np.float64).reshape(-1)
    if like.ndim == 1:
        return float(values[0])
    shaped = values[None] if batch_last else values[:, None]
    if isinstance(like, torch.Tensor):
        return torch.as_tensor(shaped, dtype=like.dtype, device=like.device)
    return shaped.astype(like.dtype)
