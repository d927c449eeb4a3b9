"""Inside the net (engine side): input features, the students' own points, each unit's own gradient size."""

from dataclasses import replace

import numpy as np
import pytest
from memo import trained

import mlp
from mlp.data import CORNERS
from mlp.model import sigmoid

PLANE = np.array([[-1.0, 0.5], [0.0, 0.0], [0.3, -2.0], [1.0, 1.0], [2.5, 0.7]])


def test_each_feature_is_the_column_it_names():
    x1, x2 = PLANE[:, 0], PLANE[:, 1]
    expected = {"x1": x1, "x2": x2, "x1x2": x1 * x2, "x1sq": x1 * x1, "x2sq": x2 * x2,
                "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    assert set(expected) == set(mlp.FEATURE_NAMES)
    for name, column in expected.items():
        np.testing.assert_array_equal(mlp.inputs(PLANE, [name])[:, 0], column)
    both = mlp.inputs(PLANE, ("x1x2", "x2"))
    np.testing.assert_array_equal(both, np.stack([x1 * x2, x2], 1))


def test_features_set_the_input_layer_in_one_order_and_are_checked():
    config = mlp.Config(features=("x1x2", "x1", "x2"))
    assert config.features == ("x1", "x2", "x1x2") and config.layer_sizes == (3, 2, 1)
    assert config == mlp.Config(features=["x2", "x1x2", "x1"]) and hash(config) == hash(mlp.Config(
        features=("x2", "x1", "x1x2")))
    assert config.label().startswith("3-2-1 sigmoid (inputs x1, x2, x1x2), lr 1")
    for bad in [(), "x1", ("x1", "x3"), ("x1", "x1"), None]:
        with pytest.raises(ValueError, match="feature"):
            mlp.Config(features=bad)


def test_the_x1x2_perceptron_solves_xor_and_the_plain_one_does_not():
    crossed = trained(mlp.Config(hidden_layers=0, features=("x1", "x2", "x1x2"), device="cpu"))
    plain = trained(mlp.Config(hidden_layers=0, device="cpu"))
    assert crossed.steps_done == plain.steps_done == 10_001
    assert crossed.cost[-1] < 0.05 and crossed.accuracy[-1] == 1
    assert plain.cost[-1] > 0.69 and plain.accuracy[-1] < 1
    assert (crossed.predict(CORNERS) > 0.5).tolist() == [False, True, True, False]


@pytest.mark.parametrize("features", [("x1", "x2", "x1x2"), ("x1sq", "sin_x2", "x1x2"), ("x2",)])
def test_both_backends_and_the_oracle_agree_with_features(features):
    config = mlp.Config(features=features, hidden_layers=1, width=3, steps=200, dataset="circle", points=30,
                        activation="tanh", lr=0.5)
    manual, auto = mlp.train(config), mlp.train(replace(config, backend="autograd"))
    assert np.abs(manual.cost - auto.cost).max() <= 1e-4
    diffs = mlp.gradient_check(replace(config, dtype="float64"), step=20)
    assert max(diffs.values()) < 1e-10


def test_a_sweep_with_features_trains_what_single_runs_train():
    config = mlp.Config(hidden_layers=0, features=("x1", "x2", "x1x2"), steps=400, init="normal", device="cpu")
    sweep = mlp.sweep(config, 3)
    for row, seed in enumerate(sweep.seeds):
        single = mlp.train(replace(config, seed=int(seed)))
        assert abs(float(sweep.final_cost[row]) - single.cost[-1]) < 1e-4


def test_unit_values_with_features_equal_a_forward_pass_written_here():
    config = mlp.Config(features=("x1", "x1x2", "sin_x2"), hidden_layers=2, width=3, activation="tanh", steps=50)
    run = mlp.train(config)
    W, b = run.params_at(run.steps_done)
    a = np.stack([PLANE[:, 0], PLANE[:, 0] * PLANE[:, 1], np.sin(PLANE[:, 1])], 1)
    expected = []
    for l in range(3):
        z = a @ W[l][0] + b[l][0, 0]
        a = np.tanh(z) if l < 2 else sigmoid(z)
        expected.append(a)
    for got, want in zip(run.activations(PLANE), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


OWN = ((0.0, 0.0, 0), (1.0, 1.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (3.0, -2.5, 1))


def test_own_points_are_the_data_and_train_on_both_backends():
    config = mlp.Config(dataset="own", own_points=OWN, hidden_layers=1, width=4, steps=300, device="cpu")
    X, Y = mlp.make_data(config)
    np.testing.assert_array_equal(X, np.array([p[:2] for p in OWN]))
    assert Y[:, 0].tolist() == [0, 0, 1, 1, 1]
    manual, auto = mlp.train(config), mlp.train(replace(config, backend="autograd"))
    assert manual.cost[-1] < manual.cost[0] and np.abs(manual.cost - auto.cost).max() <= 1e-4
    assert "own (5 points)" in config.label()
    lo, hi = mlp.plane(config)
    assert lo < -2.5 and hi > 3.0 and lo == -hi  # every point on the plane the pictures show
    assert mlp.plane(replace(config, own_points=OWN[:4])) == (-0.25, 1.25)


@pytest.mark.parametrize("points,match", [
    ((), "needs 1 to 1,000"), (((0, 0),), r"own_points\[0\]"), (((0, float("nan"), 1),), "finite"),
    (((0, 2e6, 1),), "finite"), (((0, 0, 2),), "label"), (((0, 0, True),), "label"), ("0,0,1", "needs"),
    (((0, 0, 1),) * 1001, "needs 1 to 1,000"), ((("a", 0, 1),), r"own_points\[0\]"),
])
def test_own_points_are_checked(points, match):
    with pytest.raises(ValueError, match=match):
        mlp.Config(dataset="own", own_points=points)


def test_own_points_belong_to_the_own_dataset_only():
    with pytest.raises(ValueError, match="only used with dataset='own'"):
        mlp.Config(own_points=OWN)
    assert mlp.Config(dataset="own", own_points=[[0, 0, 1]]).own_points == ((0.0, 0.0, 1),)


@pytest.mark.parametrize("backend", ["manual", "autograd"])
def test_each_units_gradient_is_its_column_of_the_layers_gradient(backend):
    config = mlp.Config(hidden_layers=2, width=3, steps=1200, init="normal", backend=backend, device="cpu")
    run = mlp.train(config)
    assert len(run.unit_steps) == 400 and run.unit_steps[1] == 3  # every third step: at most 500 kept
    assert run.unit_grad_norms.shape == (400, 3 + 3 + 1)
    for k in (0, 7, 399):
        step = int(run.unit_steps[k])
        detail = mlp.inspect_step(config, step)  # float64 autograd at the weights of that step
        oracle = np.concatenate([np.linalg.norm(g, axis=0) for g in detail.autograd_dW])
        np.testing.assert_allclose(run.unit_grad_norms[k], oracle, rtol=2e-3, atol=1e-7)
    for l in range(3):  # the units of a layer make up its norm
        per_unit = run.unit_grad_norms[:, run.unit_columns(l)]
        np.testing.assert_allclose(np.sqrt((per_unit ** 2).sum(1)), run.grad_norms[run.unit_steps, l], rtol=1e-5)
    short = run.upto(10)
    assert short.unit_steps.tolist() == [0, 3, 6, 9] and len(short.unit_grad_norms) == 4


def test_the_seed_nets_hidden_units_learn_during_its_drop_not_on_its_plateau():
    """The notebook's 2-2-1 net sits at ln 2 for ~2,400 steps: there its hidden units hardly learn; each
    unit's gradient peaks while the cost falls."""
    run = trained(mlp.Config(init="notebook", device="cpu"))
    hidden = run.unit_grad_norms[:, run.unit_columns(0)]
    assert hidden.shape[1] == 2 and np.isfinite(hidden).all()
    falls, solved = int(np.argmax(run.cost < 0.68)), int(np.argmax(run.cost < 0.05))
    assert 1000 < falls < solved
    plateau = (run.unit_steps > 400) & (run.unit_steps < falls - 400)
    peaks = run.unit_steps[hidden.argmax(0)]
    for j in range(2):
        assert hidden[plateau, j].max() < hidden[:, j].max() / 10
        assert falls - 400 <= peaks[j] <= solved
