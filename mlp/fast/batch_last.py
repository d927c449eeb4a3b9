"""Many small nets at once on the CPU: their numbers stored with the batch axis last.

A sweep trains B nets of one architecture. Stored batch-first, (B, N, n), every matrix product is B
tiny products (numpy pays ~35 ns for each) and the bias gradient's sum over the samples is a slow
middle-axis reduction. Stored batch-last, (N, n, B), each operation is instead a few passes over
contiguous runs of B numbers: for 1,024 nets of 2-2-1 a whole step is ~4× faster.

`BatchLast` holds such an array and shows forward() and backward() the batch-first shape they expect,
(B, rows, cols), so the very same chain-rule code runs on it, as it runs on torch tensors on cuda.
Only what that code uses is defined: @, .mT, .sum(-2, keepdims=True) and .sum((-2, -1)) (the L2 term),
+ − * / (with numbers or each other), unary −, > and .clip, np.exp and np.tanh.
"""

from __future__ import annotations

import numpy as np

SMALL = 1000  # batch-last pays while each net's largest product (N samples × n_in × n_out) is this small …
MIN_NETS = 32  # … and there are at least this many nets (where bench/bench_engine.py finds it faster: suits())


class BatchLast:
    """v: the numbers with the batch axis moved last: (rows, cols, B), or (rows, cols, 1) for an array
    that every net shares (the inputs and labels of the truth-table datasets)."""

    __slots__ = ("v",)

    def __init__(self, v: np.ndarray):
        self.v = v

    @classmethod
    def of(cls, x: np.ndarray) -> "BatchLast":
        """From a batch-first (B, rows, cols) array, or a shared (rows, cols) one."""
        return cls(x[..., None] if x.ndim == 2 else np.ascontiguousarray(np.moveaxis(x, 0, -1)))

    @property
    def shape(self):
        return (self.v.shape[-1], *self.v.shape[:-1])

    @property
    def mT(self):
        return BatchLast(self.v.swapaxes(0, 1))

    def __matmul__(self, other):  # (r, k, B) @ (k, m, B) → (r, m, B): B products in one vectorised loop
        return BatchLast(np.einsum("rkb,kmb->rmb", self.v, other.v))

    def sum(self, axis, keepdims=False):
        if axis == (-2, -1) and not keepdims:  # a whole matrix of each net: one number a net, (B,)
            return self.v.sum((0, 1))
        if axis != -2:
            raise NotImplementedError("BatchLast sums over the samples (axis -2) or a whole matrix ((-2, -1)) only")
        return BatchLast(self.v.sum(0, keepdims=keepdims))

    def clip(self, min=None, max=None):  # noqa: A002  (numpy's and torch's own keyword names)
        return BatchLast(self.v.clip(min, max))

    def __setitem__(self, key, value):
        self.v[key] = value.v if isinstance(value, BatchLast) else value

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or kwargs:
            return NotImplemented
        return BatchLast(ufunc(*(x.v if isinstance(x, BatchLast) else x for x in inputs)))

    def __neg__(self):
        return BatchLast(-self.v)


def _binary(op):
    def forward(self, other):
        return BatchLast(op(self.v, other.v if isinstance(other, BatchLast) else other))

    def reflected(self, other):
        return BatchLast(op(other, self.v))

    return forward, reflected


for _name, _op in [("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("truediv", np.true_divide)]:
    _forward, _reflected = _binary(_op)
    setattr(BatchLast, f"__{_name}__", _forward)
    setattr(BatchLast, f"__r{_name}__", _reflected)
BatchLast.__gt__ = _binary(np.greater)[0]


def views(layout, flat: np.ndarray):
    """W_l (n_in, n_out, B) and b_l (1, n_out, B) as BatchLast views into flat (size, B), the batch-last
    twin of Layout.views: writing one writes the other."""
    B = flat.shape[-1]
    W = [BatchLast(flat[s].reshape(n_in, n_out, B)) for s, (n_in, n_out) in zip(layout.w_slices, layout.shapes)]
    b = [BatchLast(flat[s].reshape(1, n_out, B)) for s, (_, n_out) in zip(layout.b_slices, layout.shapes)]
    return W, b


def suits(layout, N: int, B: int) -> bool:
    """Batch-last pays for many nets whose products are small: then each operation is a few passes over B numbers
    instead of B calls; for wider nets or few of them, batch-first's matrix products win (docs/speed.md has the
    measured ratios)."""
    return B >= MIN_NETS and all(N * n_in * n_out <= SMALL for n_in, n_out in layout.shapes)
