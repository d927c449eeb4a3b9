"""The training knobs (engine): the loss (BCE, MSE), the optimizer (SGD, momentum, Adam) and the L2 term,
written out by hand, against autograd + torch.optim in float64."""

import itertools
from dataclasses import replace

import numpy as np
import pytest
import torch
from agree import assert_same_accuracy
from memo import swept

import mlp
from mlp.model import Layout, init_params

BASE = mlp.Config(dataset="circle", points=30, hidden_layers=2, width=3, activation="tanh", lr=0.1, steps=300,
                  dtype="float64", device="cpu", init="normal")
KNOBS = list(itertools.product(["bce", "mse"], ["sgd", "momentum", "adam"], [0.0, 1e-3]))


def float64_apart(optimizer: str) -> float:
    """How far the two float64 backends' costs may part over these 300 steps. They sum in another order, so a
    gradient coordinate differs by δ ≈ 2⁻⁵² Σ|terms| ≈ 2e-16 (Σ|terms| ≲ 1 here). SGD and momentum move the
    weights by lr·δ ≈ 2e-17 a step: 1e-9 leaves room for the stable dynamics to amplify that 10⁷-fold. Adam
    divides the gradient by √v̂ + ε, so where a coordinate's gradient is near 0 (its terms cancel) the same δ
    moves the weights by up to lr·δ/ε = 0.1 × 2e-16 / 1e-8 = 2e-9 a step; 300 such steps add up to 7e-7, and
    the cost moves no more than the weights here (|∂C/∂w| < 1): 1e-6. (Measured 1.6e-9 for Adam on one CPU
    with its vector kernels switched down: more than 1e-9, as this bound allows.)"""
    return 1e-6 if optimizer == "adam" else 1e-9


@pytest.mark.parametrize("batch_size", [0, 2])
@pytest.mark.parametrize("loss,optimizer,l2", KNOBS)
def test_both_backends_agree_in_float64_for_every_loss_optimizer_l2_and_batch(loss, optimizer, l2, batch_size):
    config = replace(BASE, loss=loss, optimizer=optimizer, l2=l2, batch_size=batch_size)
    manual, auto = mlp.train(config), mlp.train(replace(config, backend="autograd"))
    assert manual.steps_done == auto.steps_done == 300 and not manual.diverged
    np.testing.assert_allclose(manual.cost, auto.cost, rtol=0, atol=float64_apart(optimizer))
    np.testing.assert_allclose(manual.grad_norms, auto.grad_norms, rtol=1e-6, atol=1e-12)  # kept as float32
    assert manual.cost[-1] < manual.cost[0]  # it learns
    assert max(mlp.gradient_check(config, step=40).values()) < 1e-10


def test_mini_batches_take_every_point_once_an_epoch_in_a_new_order():
    config = replace(BASE, batch_size=4)  # 30 points: 8 batches an epoch, the last of 2
    rows = [mlp.data.batch_rows(config, 30, step)[0] for step in range(16)]
    assert [len(r) for r in rows[:8]] == [4] * 7 + [2]
    first, second = np.concatenate(rows[:8]), np.concatenate(rows[8:])
    assert sorted(first) == sorted(second) == list(range(30)) and not np.array_equal(first, second)
    assert np.array_equal(mlp.data.batch_rows(config, 30, 13)[0], rows[13])  # found again from the step alone
    many = mlp.data.batch_rows(config, 30, 3, seeds=[777, 778])
    assert np.array_equal(many[0], rows[3]) and not np.array_equal(many[0], many[1])  # each net its own order
    with pytest.raises(ValueError, match="full batch"):
        mlp.Config(batch_size=2, grad_convention="seed-lab")


@pytest.mark.parametrize("dataset", ["xor", "circle"])
def test_mini_batches_step_through_bit_for_bit_and_sweep_as_single_runs(dataset):
    mlp.inspection._REACHED.clear()
    config = mlp.Config(dataset=dataset, points=20, batch_size=3, optimizer="momentum", lr=0.1, hidden_layers=1,
                        width=4, seed=5, device="cpu")
    for step in [9, 4, 23, 24]:  # forward, back (a fresh start), on from 4, on by one: each the weights at `step`
        reached = mlp.inspection.params_at_step(config, step)
        run = mlp.train(replace(config, steps=step))
        assert max(run.snapshots) == step  # a run of `step` steps keeps its weights after the last update
        assert np.array_equal(reached, run.snapshots[step]), step
    assert not np.array_equal(mlp.inspection.params_at_step(config, 23), mlp.inspection.params_at_step(config, 24))
    mlp.inspection._REACHED.clear()
    short = replace(config, steps=200)
    for storage in ("numpy", "torch"):
        sweep = mlp.sweep(short, 4, storage=storage)
        for row in (0, 3):
            single = mlp.train(replace(short, seed=int(sweep.seeds[row])))
            # the same batches (each net shuffles with its own seed), summed by two float32 programs: they part by
            # rounding, u = 6e-8 a step, which 200 steps of lr 0.1 on a cost near ln 2 keep far below 1e-4
            assert abs(float(sweep.final_cost[row]) - single.cost[-1]) < 1e-4, (storage, row)
            assert abs(float(sweep.final_cost[row]) - single.cost[-1]) < 1e-2 * abs(single.cost[-1] - single.cost[0])


def test_the_knobs_change_the_run():
    runs = {k: mlp.train(replace(BASE, loss=k[0], optimizer=k[1], l2=k[2], dtype="float32")) for k in KNOBS}
    finals = [round(float(r.cost[-1]), 6) for r in runs.values()]
    assert len(set(finals)) == len(KNOBS)


def test_the_cost_is_the_loss_plus_the_l2_term_written_here():
    config = replace(BASE, loss="mse", l2=0.01, steps=1)
    run = mlp.train(config)
    layout = Layout(config.layer_sizes)
    W, b = layout.views(init_params(layout, config.init, [config.seed])[0].astype(np.float64))
    X, Y = mlp.data.training_data(config)
    a = X
    for l in range(3):
        z = a @ W[l] + b[l][0]
        a = np.tanh(z) if l < 2 else 1 / (1 + np.exp(-z))
    expected = np.mean((a - Y) ** 2) + 0.01 / 2 * sum((w ** 2).sum() for w in W)
    assert abs(run.cost[0] - expected) < 1e-12


def test_momentum_and_adam_are_torch_optims_rules_step_by_step():
    """The hand-written rules on one tensor against torch.optim's, for 50 steps of made-up gradients."""
    rng = np.random.default_rng(0)
    for optimizer in ["momentum", "adam"]:
        config = mlp.Config(optimizer=optimizer, lr=0.05, momentum=0.8)
        P = rng.normal(size=7)
        theta = torch.tensor(P.copy(), requires_grad=True)
        ours = mlp.optim.make_rule(config)
        theirs = mlp.autograd_backend.torch_optimizer(config, [theta])
        for _ in range(50):
            g = rng.normal(size=7)
            ours.step(P, g.copy())
            theta.grad = torch.tensor(g)
            theirs.step()
        np.testing.assert_allclose(P, theta.detach().numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_stepping_through_goes_on_with_the_optimizers_state_bit_for_bit(optimizer):
    mlp.inspection._REACHED.clear()
    config = mlp.Config(optimizer=optimizer, lr=0.05, l2=1e-3, hidden_layers=2, width=4, seed=99, device="cpu")
    for step in [7, 30, 31, 12, 60]:
        reached = mlp.inspection.params_at_step(config, step)
        run = mlp.train(replace(config, steps=step))
        assert np.array_equal(reached, run.snapshots[max(run.snapshots)]), step
    mlp.inspection._REACHED.clear()


@pytest.mark.parametrize("storage", ["torch", "batch_last"])
def test_the_cuda_code_and_many_nets_run_the_same_rules(storage):
    config = mlp.Config(optimizer="adam", loss="mse", l2=1e-3, lr=0.05, steps=300, device="cpu")
    if storage == "torch":  # the code cuda runs, on CPU tensors, against the numpy loop
        a, b = mlp.train(config, storage="numpy"), mlp.train(config, storage="torch")
        np.testing.assert_allclose(a.cost, b.cost, rtol=1e-5, atol=1e-6)
    else:  # a sweep (per-net optimizer state) against single runs of its seeds
        sweep = mlp.sweep(config, 40, storage="batch_last")
        for row in (0, 17, 39):
            single = mlp.train(replace(config, seed=int(sweep.seeds[row])))
            assert abs(float(sweep.final_cost[row]) - single.cost[-1]) < 1e-4


@pytest.mark.parametrize("field,value", [("loss", "hinge"), ("optimizer", "rmsprop"), ("momentum", 1.0),
                                         ("momentum", -0.1), ("l2", 2.0), ("l2", float("nan")), ("l2", "0.1")])
def test_bad_knobs_name_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        mlp.Config(**{field: value})


def test_the_label_names_the_knobs():
    assert "mse, adam, l2 0.001," in mlp.Config(loss="mse", optimizer="adam", l2=1e-3).label()
    assert "momentum 0.9," in mlp.Config(optimizer="momentum").label()
    assert mlp.Config().label() == "2-2-1 sigmoid, lr 1, manual, xor, seed 777"


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_the_knobs_from_the_link_set_the_run_and_the_chain_rule_page_shows_their_code():
    from test_app import app, charts, no_errors

    at = app("pages/2_Chain_rule.py", loss="mse", opt="adam", l2="0.001", lr="0.1", step="30", steps="300")
    no_errors(at)
    codes = [c.value for c in at.code]
    assert any("def mse_delta(y_hat, y, N):" in c for c in codes)  # the line the loss changes …
    assert any("class Adam(SGD):" in c and "P -= (self.lr / bias1)" in c for c in codes)  # … and the update
    assert any(r"\frac{0.001}{2}" in x.value for x in at.get("latex"))
    settings = {k: at.session_state[k] for k in ("loss", "optimizer", "l2", "lr")}
    assert settings == dict(loss="mse", optimizer="adam", l2=0.001, lr=0.1)  # the link's settings are the session's
    at = app("pages/1_Train.py", loss="hinge", opt="sgd", l2="0.3")
    no_errors(at)
    notes = [w.value for w in at.warning if w.icon == "🔗"]
    assert any("loss=hinge" in n for n in notes) and any("l2=0.3" in n for n in notes)
    assert "(cross-entropy)" in str(charts(at)[2].proto.spec)  # Train: boundary, net, cost, gradients
    mse = app("pages/1_Train.py", loss="mse")
    assert "(squared error)" in str(charts(mse)[2].proto.spec)


@pytest.mark.slow
def test_lesson_step_nine_measures_cross_entropy_against_squared_error_over_seeds():
    from test_app import app, no_errors

    import i18n

    at = app("pages/0_Lesson.py", lesson="9", steps="10001")
    no_errors(at)
    measured = [m.value for m in at.markdown if m.value.startswith("**Over 64 seeds**")][0]
    name = {"bce": "cross-entropy", "mse": "squared error"}
    median_leaves = {}
    for loss in ("bce", "mse"):
        sweep = swept(mlp.Config(init="notebook", loss=loss, device="cpu"), 64)
        solved = sweep.solved_step[sweep.solved_step >= 0]
        assert f"{name[loss]} {len(solved)} of 64, in a median of {int(np.median(solved)):,}" in measured
        leaves = [sweep.steps[np.flatnonzero(c < 0.8 * c[0])[0]] for c in sweep.cost if (c < 0.8 * c[0]).any()]
        median_leaves[loss] = int(np.median(leaves))
        assert f"{median_leaves[loss]:,}" in measured  # where each net's cost leaves its first plateau
    assert median_leaves["bce"] < 0.75 * median_leaves["mse"]  # cross-entropy leaves it well before squared error
    assert at.header[0].value == i18n.tr("lesson.9.title")


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_compare_pins_the_seed_net_by_each_optimizer_in_one_click():
    from test_app import app, charts, no_errors

    at = app("pages/3_Compare.py", steps="2000")
    at.button(key="pin_seed_2").click().run()
    no_errors(at)
    assert [dict(p).get("optimizer", "sgd") for p in at.session_state["pins"]] == ["sgd", "momentum", "adam"]
    assert len(charts(at)) == 2 and "opt:adam" in at.query_params["pins"]


def test_the_notebooks_printed_log_belongs_to_its_own_training_rule_only():
    seed_net = mlp.Config(init="notebook")
    assert mlp.notebook.cell_of(seed_net).name == "2-2-1"
    for change in (dict(loss="mse"), dict(optimizer="adam"), dict(l2=1e-3), dict(features=("x1", "x2", "x1x2"))):
        assert mlp.notebook.cell_of(replace(seed_net, **change)) is None, change


SPIRAL = mlp.Config(dataset="spiral", points=120, test_fraction=0.25, hidden_layers=2, width=6, activation="tanh",
                    lr=0.1, steps=300, device="cpu")


def test_a_test_split_holds_points_out_of_training_and_records_their_cost():
    train_rows, test_rows = mlp.data.split(SPIRAL)
    assert len(test_rows) == 30 and len(train_rows) == 90 and not set(train_rows) & set(test_rows)
    assert np.array_equal(mlp.data.split(SPIRAL)[1], test_rows)  # drawn from the seed: the same every time
    X, Y = mlp.make_data(SPIRAL)
    run = mlp.train(SPIRAL)
    assert len(run.test_cost) == len(run.test_accuracy) == 300 and len(mlp.train(replace(SPIRAL, test_fraction=0))
                                                                         .test_cost) == 0
    for step in (0, 299):  # each cost at the weights of that step, written here: training rows, held-out rows
        P = mlp.inspection.params_at_step(SPIRAL, step).astype(np.float64)
        W, b = Layout(SPIRAL.layer_sizes).views(P)
        for rows, cost in ((train_rows, run.cost[step]), (test_rows, run.test_cost[step])):
            a = X[rows]
            for l in range(3):
                a = np.tanh(a @ W[l] + b[l][0]) if l < 2 else 1 / (1 + np.exp(-(a @ W[l] + b[l][0])))
            y = Y[rows]
            assert abs(cost - np.mean(-(y * np.log(a) + (1 - y) * np.log(1 - a)))) < 1e-5
    auto = mlp.train(replace(SPIRAL, backend="autograd", dtype="float64", optimizer="adam"))
    manual = mlp.train(replace(SPIRAL, dtype="float64", optimizer="adam"))
    np.testing.assert_allclose(manual.test_cost, auto.test_cost, rtol=0, atol=float64_apart("adam"))
    assert_same_accuracy(manual.test_accuracy, auto.test_accuracy, len(test_rows))
    with pytest.raises(ValueError, match="test_fraction needs a sampled dataset"):
        mlp.Config(test_fraction=0.2)
    with pytest.raises(ValueError, match="test_fraction"):
        replace(SPIRAL, test_fraction=0.95)


def test_the_train_page_draws_the_test_cost_and_says_when_a_dataset_cannot_hold_points_out():
    from test_app import app, charts, frame_with, no_errors

    at = app("pages/1_Train.py", data="spiral", test="0.3", layers="2", width="6", act="tanh", lr="0.1")
    no_errors(at)
    run = mlp.train(mlp.Config(dataset="spiral", test_fraction=0.3, hidden_layers=2, width=6, activation="tanh",
                               lr=0.1, steps=300, device="cpu"))
    cost = frame_with(charts(at)[2], "step", "cost", "accuracy", "test", "test_accuracy")
    np.testing.assert_allclose(cost.test, run.test_cost[cost.step], rtol=1e-6)
    assert any(m.label == "Test accuracy" for m in at.metric)
    xor = app("pages/1_Train.py", test="0.3")
    no_errors(xor)
    assert not any("held out" in c.value for c in xor.main.caption) and any("trains on all its points" in c.value
                                                           for c in xor.sidebar.caption)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_mini_batches_from_the_link_and_the_lab_convention_waits_for_the_full_batch():
    from test_app import app, no_errors

    at = app("pages/1_Train.py", batch="2", data="circle")
    no_errors(at)
    assert any("batches of 2" in c.value for c in at.caption) and at.query_params["batch"] == "2"  # the run's label
    chain = app("pages/2_Chain_rule.py", batch="2", lab="1", step="7")
    no_errors(chain)
    assert any("full batch" in i.value for i in chain.info)
    bad = app("pages/1_Train.py", batch="3")
    assert any("batch=3" in w.value for w in bad.warning if w.icon == "🔗")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_one_update_by_hand_equals_torch_optims_from_the_runs_own_state(optimizer, monkeypatch):
    config = mlp.Config(optimizer=optimizer, lr=0.1, l2=1e-3, loss="mse", batch_size=2, device="cpu")
    for step in (0, 1, 60):
        assert mlp.inspection.update_check(config, step) < 1e-12, step
    assert mlp.inspection.update_check(replace(config, backend="autograd"), 3) is None
    if optimizer != "sgd":  # the check can fail: a rule one constant off is caught
        name = "beta1" if optimizer == "adam" else "mu"
        monkeypatch.setattr(mlp.optim.RULES[optimizer], name, 0.5, raising=False)
        if optimizer == "momentum":
            monkeypatch.setattr(mlp.optim.Momentum, "__init__", lambda self, c: (mlp.optim.SGD.__init__(self, c),
                                                                                 setattr(self, "mu", 0.5))[0])
        mlp.inspection._REACHED.clear()
        assert mlp.inspection.update_check(config, 60) > 1e-6
        mlp.inspection._REACHED.clear()


def test_the_chain_rule_page_checks_the_update_against_torch_optim():
    from test_app import app, no_errors

    at = app("pages/2_Chain_rule.py", opt="adam", lr="0.1", step="40")
    no_errors(at)
    check = [c.value for c in at.caption if c.value.startswith("The update itself")][0]
    assert "adam" in check and check.endswith("✓")
