"""What two float32 programs of the same sweep can promise each other (numpy and torch paths, cpu and GPU, the
batched chain rule and the fused kernel): the same answer for nearly every net, not for every one. A GPU rounds
differently again, and by no more: its compiler fuses a multiply and an add into one rounding (the fused kernel
asks for it: kernel.FP_FUSION) and Triton's exp and division are the hardware's approximate ones (within 2 ulp,
~2.4e-7 relative, where numpy's are within 1 ulp): each changes a step's numbers by a few float32 roundings, as
another order of a sum does, and the plateau's exit amplifies those alike. Nets that
leave the plateau at lr 1 do so a fraction of a step apart when their sums are taken in another order, and a
few of thousands end a little apart. Measured on the cpu, numpy against torch, 16,384 nets × 1,000 steps of
2-2-1: final costs apart by more than 1e-4 for 3 nets (at most 8.4e-4; 99.99 % within 1.9e-4), curves at the
kept steps by more than 1e-4 for 8 (at most 1.8e-3), solved flags for none."""

import numpy as np

NEAR, FAR = 1e-4, 5e-3  # nearly every net within NEAR; every net within FAR


def assert_nearly_every_net(a, b, flips: int = 0):
    """Sweeps a and b (or their final costs, curves and solved flags): at most `flips` nets solved in one and
    not the other; 99.9 % of final costs and 99 % of kept costs within NEAR, all within FAR."""
    solved = (a.solved_step >= 0) != (b.solved_step >= 0)
    assert solved.sum() <= flips, f"{solved.sum()} nets solved in one sweep only (at most {flips})"
    for name, x, y, share in (("final cost", a.final_cost, b.final_cost, 0.999), ("kept cost", a.cost, b.cost, 0.99)):
        apart = np.abs(np.asarray(x, np.float64) - np.asarray(y, np.float64))
        assert np.isfinite(apart).all(), f"{name}: a net diverged in one sweep only"
        assert np.quantile(apart, share) <= NEAR and apart.max() <= FAR, \
            f"{name}: {np.quantile(apart, share):.2g} at the {share:.1%} quantile, {apart.max():.2g} at most"


def assert_same_curve(a, b, share: float = 0.99):
    """Two float32 programs' cost curves of the same single run: one of the nets above, so its curve within NEAR at
    `share` of the steps (a fraction of a step apart where it leaves the plateau, the steep drop's slope times
    that fraction apart there) and within FAR at every step."""
    apart = np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))
    assert np.isfinite(apart).all(), "the run diverged in one program only"
    assert np.quantile(apart, share) <= NEAR and apart.max() <= FAR, \
        f"{np.quantile(apart, share):.2g} at the {share:.0%} quantile, {apart.max():.2g} at most"


def assert_same_accuracy(a, b, points: int, share: float = 0.01):
    """Two programs' accuracy curves (one value a step, over `points` points) of the same run. Accuracy counts
    ŷ > ½, a threshold: a point whose ŷ lies within rounding of ½ at some step may count in one program and not
    the other, however small the rounding, and a net crossing ½ with a point does so over a step or two. So the
    curves agree everywhere but at a few steps (at most `share` of them), and there by one point at most."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    apart = np.abs(a - b)
    assert apart.max(initial=0) <= 1 / points + 1e-9, f"accuracy apart by {apart.max():.3g} (> one point)"
    assert (apart > 0).sum() <= share * len(a), f"accuracy apart at {(apart > 0).sum()} of {len(a)} steps"


def assert_same_solved_steps(a, b):
    """The first step at which each net is solved, by two float32 programs: a net whose cost crosses the solved
    threshold within rounding of a step may be solved a step or two apart, or (at the last step) in one program
    only (tests/agree.py: none of 16,384 nets measured, so at most one here)."""
    assert ((a >= 0) != (b >= 0)).sum() <= 1
    both = (a >= 0) & (b >= 0)
    assert np.abs(a[both] - b[both]).max(initial=0) <= 2
