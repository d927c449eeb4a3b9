"""Many seeds at once: the batched program equals single runs, finds the stuck seeds, and stays small."""

import math
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest
from agree import assert_same_solved_steps

import mlp
import mlp.data
from mlp.backprop import backward
from mlp.fast import batch_last
from mlp.fast.batch_last import BatchLast
from mlp.model import Layout, forward
from mlp.sweeps import SOLVED_COST, kept_steps


@pytest.mark.parametrize("n", [6, 40])  # 6 nets run batch-first, 40 batch-last (mlp/batch_last.py)
@pytest.mark.parametrize("kw", [dict(), dict(hidden_layers=3, width=10), dict(dataset="spiral", points=30, width=6),
                                # relu's kink turns float32 rounding into a different path: compare in float64
                                dict(activation="relu", init="normal", hidden_layers=2, width=5, lr=0.1,
                                     dtype="float64"),
                                dict(activation="tanh", grad_convention="seed-lab", lr=0.2)])
def test_a_sweep_equals_single_runs_of_the_same_seeds(kw, n):
    config = mlp.Config(steps=1500, seed=40, **kw)
    sw = mlp.sweep(config, n)
    samples = len(mlp.data.make_data(config)[0])
    assert batch_last.suits(Layout(config.layer_sizes), samples, n) == (n >= batch_last.MIN_NETS)
    assert list(sw.seeds) == list(range(40, 40 + n)) and sw.steps_done == 1500
    solved_steps = []
    for i in sorted({0, 1, n // 2, n - 1}):
        run = mlp.train(replace(config, seed=int(sw.seeds[i])))
        np.testing.assert_allclose(sw.cost[i], run.cost[sw.steps], rtol=0, atol=1e-5)
        # float32, summed in another order over 1,500 steps: within 1e-5, and within 1e-4 of small norms
        np.testing.assert_allclose(sw.grad_norms[i], run.grad_norms[sw.steps], rtol=0, atol=1e-5)
        np.testing.assert_allclose(sw.grad_norms[i], run.grad_norms[sw.steps], rtol=1e-4, atol=1e-7)
        assert abs(sw.final_cost[i] - run.cost[-1]) < 1e-5
        done = np.flatnonzero((run.cost < SOLVED_COST) & (run.accuracy >= (0.95 if "points" in kw else 1)))
        solved_steps.append((sw.solved_step[i], done[0] if len(done) else -1))
    assert_same_solved_steps(*np.array(solved_steps).T)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_chain_rule_on_batch_last_arrays_equals_it_on_batch_first_ones(activation):
    """backward() and forward() run unchanged on BatchLast: same numbers, float64, shared and per-net inputs."""
    rng = np.random.default_rng(0)
    layout, B, N = Layout((2, 3, 4, 1)), 5, 4
    P = rng.normal(size=(B, layout.size))
    act = mlp.ACTIVATIONS[activation]
    for X, Y in [(rng.normal(size=(N, 2)), (rng.random((N, 1)) > 0.5) * 1.0),  # shared by every net
                 (rng.normal(size=(B, N, 2)), (rng.random((B, N, 1)) > 0.5) * 1.0)]:  # each net its own
        W, b = layout.views(P)
        z, a = forward(W, b, X, act.f)
        dW, db, delta = backward(W, a, Y, act.df)
        Wl, bl = batch_last.views(layout, np.ascontiguousarray(P.T))
        zl, al = forward(Wl, bl, BatchLast.of(X), act.f)
        dWl, dbl, deltal = backward(Wl, al, BatchLast.of(Y), act.df)
        for mine, theirs in zip([*zl, *al[1:], *dWl, *dbl, *deltal], [*z, *a[1:], *dW, *db, *delta]):
            assert mine.shape == theirs.shape
            np.testing.assert_allclose(np.moveaxis(mine.v, -1, 0), theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.slow
def test_most_two_two_one_nets_solve_xor_and_wide_ones_almost_all():
    narrow = mlp.sweep(mlp.Config(seed=0), 40)
    assert 0.5 <= narrow.solved_fraction <= 0.95, narrow.solved_fraction
    # The 2-2-1 net's local minimum: two points right (cost → 0) and two at ŷ = ½ (ln 2 each), mean ln 2 / 2;
    # after 10,001 steps the stuck nets sit a little above it (measured 0.3471–0.3475)
    stuck = narrow.final_cost[narrow.stuck]
    assert len(stuck) and np.all(np.abs(stuck - math.log(2) / 2) < 0.005), stuck
    wide = mlp.sweep(mlp.Config(seed=0, width=10), 40)
    assert wide.solved_fraction >= 0.95
    assert wide.solved_fraction > narrow.solved_fraction


def test_kept_steps_cover_first_last_and_the_plateau():
    keep = kept_steps(10_001)
    assert keep[0] == 0 and keep[-1] == 10_000 and len(keep) <= 240
    assert np.sum(keep < 100) >= 20  # log-spaced: the start is dense
    assert np.array_equal(kept_steps(50), np.arange(50))


def test_divergence_in_some_nets_leaves_the_others():
    sw = mlp.sweep(mlp.Config(lr=1, activation="relu", init="normal", hidden_layers=4, width=32, steps=300), 16)
    assert 0 < sw.diverged.sum() < 16
    assert np.all(np.isnan(sw.final_cost[sw.diverged])) and np.all(sw.stuck[sw.diverged])
    assert np.all(np.isfinite(sw.final_cost[~sw.diverged]))


def test_bad_sweeps_are_refused():
    for n in (0, 1025, 2.5, True):  # 1,025 is too many on the cpu (a GPU takes more)
        with pytest.raises(ValueError, match="n_seeds"):
            mlp.sweep(mlp.Config(steps=10, device="cpu"), n)
    with pytest.raises(ValueError, match="manual"):
        mlp.sweep(mlp.Config(steps=10, backend="autograd"), 4)
    with pytest.raises(ValueError, match="seed"):
        mlp.sweep(mlp.Config(steps=10, seed=2**31 - 2), 4)


@pytest.mark.slow
def test_a_1024_seed_10001_step_sweep_keeps_only_what_the_page_shows():
    tracemalloc.start()
    sw = mlp.sweep(mlp.Config(), 1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = sum(v.nbytes for v in vars(sw).values() if hasattr(v, "nbytes"))
    assert sw.steps_done == 10_001 and kept < 16e6
    assert peak < 200e6, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.slow  # ~1.5–2 s on an AMD EPYC: out of the fast lane
def test_the_curve_picture_keeps_the_stuck_seeds_when_it_must_choose():
    from ui.comparisons import sweep_curves

    sw = mlp.sweep(mlp.Config(seed=0), 200)  # about one in four gets stuck, spread over all 200
    spec = sweep_curves(sw, max_curves=40).to_dict()
    drawn = {row["seed"] for name, rows in spec["datasets"].items() for row in rows if "outcome" in row}
    stuck = sw.seeds[sw.stuck]
    assert len(drawn) == 40 and len(stuck) >= 20 and stuck[19] >= 40  # stuck ones lie beyond the first 40
    assert set(stuck[:20]) <= drawn  # half the picture is kept for stuck seeds
