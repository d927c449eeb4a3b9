"""The engine against its oracles: autograd in float64, the seed's own torch loop, and the seed's lessons."""

import math
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from agree import assert_nearly_every_net, assert_same_accuracy

import mlp
from mlp.config import ACTIVATION_NAMES, BACKEND_NAMES, DATASET_NAMES, INIT_NAMES
from mlp.data import CORNERS
from mlp.model import Layout, init_params

LN2 = math.log(2)
OWN = ((0.0, 0.0, 0), (1.0, 1.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (0.5, 0.5, 0), (-0.5, 0.5, 1))  # "own" points


def data(dataset) -> dict:
    """The Config fields a dataset needs: "own" needs its points."""
    return dict(dataset=dataset, own_points=OWN if dataset == "own" else ())


# --- the hand-written chain rule against autograd (float64), written independently of mlp.inspection ---

def autograd_oracle(W, b, X, Y, activation):
    """∂C/∂W_l, ∂C/∂b_l by torch autograd in float64, on parameters (n_in, n_out) / (n_out,)."""
    Ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in W]
    bs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in b]
    f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    a = torch.tensor(X, dtype=torch.float64)
    for w, v in zip(Ws[:-1], bs[:-1]):
        a = f(a @ w + v)
    z = a @ Ws[-1] + bs[-1]
    # BCE on the logits: the same cost as BCELoss(σ(z)) without its clamp of log at −100, which zeroes
    # the gradient of saturated outputs (N(0,1) weights in a wide relu net reach |z| > 100).
    cost = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(Y, dtype=torch.float64))
    cost.backward()
    return [w.grad.numpy() for w in Ws], [v.grad.numpy() for v in bs], cost.item()


CASES = [
    (act, depth, width, ds)
    for i, (act, ds) in enumerate([(a, d) for a in ACTIVATION_NAMES for d in DATASET_NAMES])
    for depth, width in [((0, 1, 2, 3, 6)[i % 5], (1, 2, 7, 32)[i % 4]), ((6, 3, 1, 2, 0)[i % 5], (32, 7, 2, 1)[i % 4])]
]


@pytest.mark.parametrize("activation,depth,width,dataset", CASES)
def test_manual_gradients_equal_autograd_float64(activation, depth, width, dataset):
    config = mlp.Config(activation=activation, hidden_layers=depth, width=width, **data(dataset),
                        init="normal", points=40, dtype="float64")
    layout = Layout(config.layer_sizes)
    flat = init_params(layout, config.init, [config.seed])[0].astype(np.float64)
    W, b = layout.views(flat)
    X, Y = mlp.make_data(config)
    act = mlp.ACTIVATIONS[activation]
    z, a = mlp.forward(W, b, X, act.f)
    dW, db, delta = mlp.backward(W, a, Y, act.df)
    oW, ob, cost = autograd_oracle(W, [v[0] for v in b], X, Y, activation)
    assert len(dW) == depth + 1
    for l in range(depth + 1):
        np.testing.assert_allclose(dW[l], oW[l], rtol=0, atol=1e-10)
        np.testing.assert_allclose(db[l][0], ob[l], rtol=0, atol=1e-10)
    assert abs(mlp.train(replace(config, steps=1)).cost[0] - cost) < 1e-12 * max(1.0, cost)  # float64, relative


@pytest.mark.parametrize("activation,depth,width,dataset", CASES[::3])
def test_gradient_check_is_tiny_at_a_later_step(activation, depth, width, dataset):
    config = mlp.Config(activation=activation, hidden_layers=depth, width=width, **data(dataset), points=40)
    diffs = mlp.gradient_check(config, step=25)
    assert set(diffs) == {f"{p}{l}" for l in range(1, depth + 2) for p in "Wb"}
    assert max(diffs.values()) < 1e-10


@pytest.mark.parametrize("activation,depth,width,dataset", [  # the deep wide ones out of the fast lane
    pytest.param(*c, marks=pytest.mark.slow) if c[1] * c[2] >= 96 else c for c in CASES[1::2]])
def test_backends_give_the_same_curve_while_training_is_stable(activation, depth, width, dataset):
    """The two backends run the same maths with their sums in another order, so they part by rounding only,
    and rounding stays small while the dynamics do not amplify it: the claim holds for stable training (no
    cost spike; the test checks that condition), not for every run (after a spike two curves can part for good).

    float32 (u = 2⁻²⁴ ≈ 6e-8) for smooth nets: a few u of the cost per step, ≤ 1e-4 over 300 stable steps, and
    gradient norms within 1 % (a norm is a sum of squares: its rounding is relative). A relu unit whose
    pre-activation lies within rounding of 0 is on in one program and off in the other: an O(1) change of its
    gradient however small the rounding, which float32 meets in a deep relu net within 300 steps on some CPUs'
    kernels. Relu nets with hidden layers are therefore compared in float64, where a flip needs |z| ≲ 1e-15 and
    the backends agree to 1e-9 (SGD's steps add no amplification: see test_knobs)."""
    smooth = activation != "relu" or depth == 0  # no hidden relu unit: the output is always a sigmoid
    config = mlp.Config(activation=activation, hidden_layers=depth, width=width, **data(dataset),
                        steps=300, points=60, lr=0.1 if dataset == "own" else 0.5,
                        dtype="float32" if smooth else "float64")
    manual, auto = mlp.train(config), mlp.train(replace(config, backend="autograd"))
    assert len(manual.cost) == len(auto.cost) == 300
    assert np.diff(auto.cost).max() < 0.05, "the condition of the claim: no cost spike in this run"
    cost_tol, grad_rtol = (1e-4, 1e-2) if smooth else (1e-9, 1e-6)
    assert np.abs(manual.cost - auto.cost).max() <= cost_tol
    np.testing.assert_allclose(manual.grad_norms, auto.grad_norms, rtol=grad_rtol, atol=1e-5 if smooth else 1e-12)
    np.testing.assert_array_equal(manual.accuracy[:5], auto.accuracy[:5])


def test_autograd_backend_is_the_seed_loop_bit_for_bit():
    """The seed's nn cell, after torch.manual_seed(777), gives exactly our autograd backend's curve."""
    torch.manual_seed(777)
    X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = torch.FloatTensor([[0], [1], [1], [0]])
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid(), torch.nn.Linear(2, 1), torch.nn.Sigmoid())
    criterion, optimizer = torch.nn.BCELoss(), torch.optim.SGD(model.parameters(), lr=1)
    seed_costs = []
    for _ in range(500):
        optimizer.zero_grad()
        cost = criterion(model(X), Y)
        cost.backward()
        optimizer.step()
        seed_costs.append(cost.item())
    run = mlp.train(mlp.Config(steps=500, backend="autograd", device="cpu"))
    np.testing.assert_array_equal(run.cost, np.array(seed_costs))
    manual = mlp.train(mlp.Config(steps=500, device="cpu"))
    assert np.abs(manual.cost - run.cost).max() < 1e-5


def test_same_config_is_bit_identical_on_cpu():
    for backend in BACKEND_NAMES:
        config = mlp.Config(steps=700, backend=backend, device="cpu", dataset="spiral", hidden_layers=2, width=8)
        a, b = mlp.train(config), mlp.train(config)
        np.testing.assert_array_equal(a.cost, b.cost)
        np.testing.assert_array_equal(a.grad_norms, b.grad_norms)


# --- the seed's lessons ---

def test_no_hidden_layer_never_beats_ln2_on_xor():
    run = mlp.train(mlp.Config(hidden_layers=0, steps=3000))
    assert run.grad_norms.shape == (3000, 1)
    assert run.cost.min() >= 0.69
    assert run.accuracy.max() <= 0.75


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_a_perceptron_at_one_half_everywhere_is_half_right_as_the_lab_counts_it(backend):
    """A perceptron on XOR ends at ŷ = ½ at every point (cross-entropy's optimum for one line), its logits rounding
    (±1e-7): the lab's `(hypothesis > 0.5)` counts each point as class 0, 2 of 4 right. Counted by the logits'
    signs, the hand-written chain rule said 3 of 4 and autograd 2 of 4 for the same net."""
    run = mlp.train(mlp.Config(hidden_layers=0, steps=2000, backend=backend))
    assert np.all(np.abs(run.predict(CORNERS) - 0.5) <= mlp.chunk.TIE / 4)  # ½ to float32's rounding
    assert np.all(run.accuracy[-100:] == 0.5)
    assert list(mlp.predicted_class(run.predict(CORNERS))) == [0, 0, 0, 0]  # the answers the pages show, likewise


def test_accuracy_counts_a_logit_within_rounding_of_0_as_one_half():
    """ŷ > ½ decides a point's class; a logit within TIE of 0 is ŷ = ½ (class 0, as the lab's ŷ > 0.5 says), on
    numpy and torch alike, and the fused GPU kernel holds the same number (a literal there: Triton reads no global)."""
    tie = mlp.chunk.TIE
    z = np.array([[tie / 2, -tie / 2, tie, 2 * tie, -2 * tie, 0.3]], np.float32)
    y = np.array([1, 0, 1, 1, 0, 0], np.float32)  # right: no (½ is class 0), yes, no, yes, yes, no
    assert mlp.chunk.accuracy_from_logits(z, y)[0] == 3 / 6
    assert mlp.chunk.accuracy_from_logits(torch.from_numpy(z), y)[0] == 3 / 6
    kernel = (Path(mlp.__file__).parent / "fast" / "kernel.py").read_text()
    assert f"tie = {tie!r}" in kernel and kernel.count("> tie)") == 4


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_zero_init_is_a_saddle_at_ln2(backend):
    run = mlp.train(mlp.Config(init="zeros", steps=1500, hidden_layers=2, width=5, backend=backend))
    assert np.all(np.abs(run.cost - LN2) < 1e-7)
    assert np.all(run.grad_norms == 0) and np.all(run.bias_grad_norms == 0)
    assert np.all(run.predict(CORNERS) == 0.5)


@pytest.mark.slow
def test_two_two_one_solves_xor_for_most_seeds_and_some_stick_at_0347():
    finals = np.array([mlp.train(mlp.Config(seed=s)).cost[-1] for s in range(10)])
    solved = finals < 0.01
    assert solved.sum() >= 6, finals
    stuck = finals[~solved]
    # the local minimum: two points right (cost ~0) and ŷ = ½ on the other two (ln 2 each): (2 ln 2) / 4 = ln 2 / 2
    assert len(stuck) >= 1 and np.all(np.abs(stuck - LN2 / 2) < 0.01), finals


def test_plateau_then_drop_for_the_seed_net():
    run = mlp.train(mlp.Config())
    assert abs(run.cost[1000] - LN2) < 0.01  # the plateau …
    assert run.cost[-1] < 0.01 and run.accuracy[-1] == 1  # … then the drop
    assert np.all(run.predict(CORNERS).round() == [0, 1, 1, 0])


def test_deep_sigmoid_gradients_vanish_towards_the_input():
    run = mlp.train(mlp.Config(hidden_layers=6, width=10, steps=1))
    first, last = run.grad_norms[0, 0], run.grad_norms[0, -1]
    assert first < last / 100, (first, last)
    assert np.all(np.diff(np.log(run.grad_norms[0])) > 0)  # each layer larger than the one before


@pytest.mark.slow  # ~1.5–2 s on an AMD EPYC: out of the fast lane
def test_deeper_net_falls_further_in_the_same_steps():
    shallow, deep = mlp.train(mlp.Config()), mlp.train(mlp.Config(hidden_layers=3, width=10))
    assert shallow.accuracy[-1] == deep.accuracy[-1] == 1
    assert deep.cost[-1] < shallow.cost[-1] / 3


# --- divergence, stopping, records ---

@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_divergence_never_raises_and_keeps_finite_records(backend):
    run = mlp.train(mlp.Config(lr=1e6, activation="relu", hidden_layers=3, width=16, steps=2000, backend=backend))
    assert np.isfinite(run.cost).all() and np.isfinite(run.grad_norms).all()
    assert np.isfinite(run.predict(CORNERS)).all() and not run.stopped
    if backend == "manual":  # the exact gradient blows the weights up to inf: stop, keep what was finite
        assert run.diverged and 0 < len(run.cost) < 2000
    else:  # BCELoss clamps log(ŷ) at −100: the outputs saturate, the gradient dies, the cost sits at 50
        assert not run.diverged and len(run.cost) == 2000 and np.all(run.cost[1:] == 50)


def test_on_step_streams_progress_and_can_stop():
    seen = []

    def on_step(p):
        seen.append((p.step, len(p.run.cost), p.steps))
        return False if p.step >= 1000 else None

    run = mlp.train(mlp.Config(steps=5000), on_step=on_step)
    assert run.stopped and not run.diverged
    steps = [s for s, _, _ in seen]
    assert steps == sorted(steps) and steps[0] > 0 and all(s == n for s, n, _ in seen)
    assert 1000 <= len(run.cost) < 5000 and seen[-1][2] == 5000


def test_records_shapes_and_run_fields():
    run = mlp.train(mlp.Config(hidden_layers=3, width=4, steps=777, dataset="circle"))
    assert run.cost.shape == (777,) and run.grad_norms.shape == (777, 4) == run.bias_grad_norms.shape
    assert run.accuracy.shape == (777,) and run.device == "cpu"
    assert run.seconds > 0 and run.seconds_per_step == run.seconds / 777  # the loop's own time, per step
    probs = run.predict(np.zeros((13, 2)))
    assert probs.shape == (13,) and np.all((probs > 0) & (probs < 1))
    X, Y = mlp.make_data(run.config)
    assert abs(((run.predict(X) > 0.5) == (Y[:, 0] > 0.5)).mean() - run.accuracy[-1]) <= 1 / len(Y) + 1e-9


@pytest.mark.slow
def test_a_runs_records_are_bounded_even_for_the_largest_net_the_limits_allow():
    """What a finished run holds (every step's records, each unit's gradient strip, the weight snapshots) is what
    mlp.train.record_bytes says: checked on runs trained here (20,000 steps: past every cap the formula has, the
    unit strip's 500 steps and the 48 snapshots; its bytes grow with the steps alone from there), then read for the
    largest run the limits allow (16 × 256, all 7 inputs, half held out, 200,000 steps), which cannot be trained in a
    test."""
    from mlp.train import record_bytes

    for config in (mlp.Config(steps=20_000, hidden_layers=1, width=2),
                   mlp.Config(steps=2_000, hidden_layers=2, width=3, dataset="circle", test_fraction=0.2)):
        run = mlp.train(config)
        arrays = (run.cost, run.grad_norms, run.bias_grad_norms, run.accuracy, run.test_cost, run.test_accuracy,
                  run.unit_steps, run.unit_grad_norms)
        held = sum(a.nbytes for a in arrays) + sum(p.nbytes for p in run.snapshots.values())
        assert len(run.cost) == config.steps and held == record_bytes(config)
        assert len(run.test_cost) == (config.steps if config.test_fraction else 0)
    layers, width = mlp.LIMITS["hidden_layers"][1], mlp.LIMITS["width"][1]
    largest = mlp.Config(hidden_layers=layers, width=width, steps=mlp.LIMITS["steps"][1],
                         features=mlp.FEATURE_NAMES, dataset="circle", test_fraction=0.5)
    assert record_bytes(largest) < 64e6  # 52 MB: 148 B a step, 8.2 MB of unit strip, 3 snapshots of 4 MB
    assert record_bytes(replace(largest, test_fraction=0.0)) < 50e6  # without held-out points, no test records


def test_seed_lab_convention_sums_weight_gradients():
    detail = mlp.inspect_step(mlp.Config(grad_convention="seed-lab"), step=10)
    diffs = detail.differences()
    assert diffs["b1"] < 1e-12 and diffs["b2"] < 1e-12  # biases are averaged, as they should be
    for l in range(2):  # weights are summed: N = 4 times the true gradient
        np.testing.assert_allclose(detail.dW[l], 4 * detail.autograd_dW[l], rtol=1e-9, atol=1e-15)
        assert diffs[f"W{l + 1}"] > 1e-6
    mean = mlp.train(mlp.Config(steps=3000))
    lab = mlp.train(mlp.Config(steps=3000, grad_convention="seed-lab"))
    assert np.abs(mean.cost - lab.cost).max() > 0.01  # it changes the curve


def test_inspect_step_values_are_consistent():
    d = mlp.inspect_step(mlp.Config(hidden_layers=2, width=3), step=100)
    assert len(d.z) == len(d.delta) == len(d.dW) == 3 and len(d.a) == 4
    assert d.z[0].shape == (4, 3) and d.a[-1].shape == (4, 1)
    run = mlp.train(mlp.Config(hidden_layers=2, width=3, steps=101, dtype="float32"))
    assert abs(d.cost - run.cost[100]) < 1e-5



@pytest.mark.parametrize("config", [mlp.Config(), mlp.Config(hidden_layers=3, width=10, activation="relu", lr=0.1),
                                    mlp.Config(dataset="spiral", points=30, width=6),
                                    # diverges at step 5:
                                    mlp.Config(lr=0.5, activation="relu", init="normal", hidden_layers=5, width=16)])
def test_stepping_through_a_run_gives_the_weights_of_a_run_trained_that_far(config):
    """The Chain-rule page's Step and Play go on from the last step reached: the same numbers, bit for bit."""
    for step in [5, 6, 7, 40, 39, 700, 701, 5]:
        reached = mlp.inspection.params_at_step(config, step)
        run = mlp.train(replace(config, steps=step))
        assert np.array_equal(reached, run.snapshots[max(run.snapshots)]), step


@pytest.mark.parametrize("config", [mlp.Config(steps=701), mlp.Config(steps=300, hidden_layers=3, width=10,
                                                                       activation="relu", lr=0.1, optimizer="adam")])
def test_a_finished_runs_kept_weights_are_the_weights_stepping_through_reaches(config):
    """The pictures of a new run's last step take its kept weights instead of training it again."""
    run = mlp.train(config)
    mlp.inspection._REACHED.clear()
    for step in sorted(run.snapshots)[::5] + [run.steps_done - 1]:
        expected = mlp.inspection.params_at_step(config, step)  # stepped through: the oracle
        assert np.array_equal(mlp.inspection.params_at_step(config, step, run), expected), step
    assert mlp.inspection.params_at_step(config, run.steps_done - 1, run) is run.snapshots[run.steps_done - 1]
    other = replace(config, seed=config.seed + 1)  # another config's run is never taken
    step = sorted(run.snapshots)[10]
    assert not np.array_equal(mlp.inspection.params_at_step(other, step, run), run.snapshots[step])


class _Momentum:
    """A rule with state, written in the test (the engine ships plain SGD): v ← μv + g; P ← P − lr·v."""

    def __init__(self, lr):
        self.lr, self.state = lr, {}

    def step(self, P, g):
        v = self.state.get("v")
        self.state["v"] = g.copy() if v is None else 0.9 * v + g
        P -= self.lr * self.state["v"]

    def load(self, state):
        self.state = {k: v.copy() for k, v in state.items()}


def test_an_update_rule_with_state_slots_in_and_stepping_through_stays_bit_for_bit(monkeypatch):
    """The loop only calls rule.step; a rule's state travels with the step-through cache."""
    import importlib

    mlp.inspection._REACHED.clear()
    config = mlp.Config(lr=0.3, hidden_layers=2, width=4, seed=4242)
    sgd = mlp.train(replace(config, steps=60))
    monkeypatch.setattr(importlib.import_module("mlp.loop"), "make_rule", lambda config: _Momentum(config.lr))
    for step in [5, 9, 40, 41, 20]:
        reached = mlp.inspection.params_at_step(config, step)
        run = mlp.train(replace(config, steps=step))
        assert np.array_equal(reached, run.snapshots[max(run.snapshots)]), step
    assert not np.allclose(mlp.train(replace(config, steps=60)).cost, sgd.cost)  # the rule really ran
    mlp.inspection._REACHED.clear()


@pytest.mark.parametrize("config", [
    mlp.Config(steps=300), mlp.Config(steps=300, hidden_layers=3, width=10),
    mlp.Config(steps=300, dataset="spiral", points=60, activation="tanh", hidden_layers=2, width=8, lr=0.1),
    mlp.Config(steps=300, activation="relu", hidden_layers=2, width=6, lr=0.1, init="normal"),
    mlp.Config(steps=300, grad_convention="seed-lab"),
])
def test_the_torch_path_cuda_runs_equals_numpy_on_the_cpu(config):
    """The torch-tensor storage that cuda uses, run on CPU tensors, against the numpy loop (float32)."""
    numpy_run, torch_run = mlp.train(config, storage="numpy"), mlp.train(config, storage="torch")
    assert np.abs(numpy_run.cost - torch_run.cost).max() <= 1e-5
    np.testing.assert_allclose(torch_run.grad_norms, numpy_run.grad_norms, rtol=2e-3, atol=1e-7)  # float32 order
    assert_same_accuracy(torch_run.accuracy, numpy_run.accuracy, len(mlp.data.training_data(config)[0]))


@pytest.mark.parametrize("config", [mlp.Config(steps=2000), mlp.Config(steps=500, hidden_layers=3, width=10),
                                    mlp.Config(steps=500, dataset="circle", points=40, width=4)])
def test_a_torch_sweep_equals_the_cpu_sweep(config):
    """A sweep's bookkeeping (first solved step, kept records) done on torch tensors, where a GPU keeps them."""
    cpu, tensors = mlp.sweep(config, 64), mlp.sweep(config, 64, storage="torch")
    np.testing.assert_array_equal(cpu.solved_step >= 0, tensors.solved_step >= 0)
    np.testing.assert_allclose(tensors.final_cost, cpu.final_cost, atol=1e-4)
    np.testing.assert_allclose(tensors.cost, cpu.cost, atol=1e-4)


def test_a_torch_sweep_records_divergence_as_the_cpu_sweep_does():
    """Some of the nets blow up part way (relu at lr 300): which, and from which kept step their records are NaN,
    the same on torch tensors as in numpy; the costs on the way up (to ~1e17) agree to float32's order for nearly
    every net and step: at lr 300 a relu unit whose pre-activation lies within rounding of 0 is on in one program
    and off in the other, and that net's path parts from there (measured: 1 of 11,008 kept costs on one CPU's
    kernels), so 1 % of them may be further apart."""
    config = mlp.Config(steps=400, activation="relu", hidden_layers=3, width=16, lr=300.0)
    cpu, tensors = mlp.sweep(config, 64), mlp.sweep(config, 64, storage="torch")
    assert cpu.diverged.any() and not cpu.diverged.all()
    np.testing.assert_array_equal(cpu.diverged, tensors.diverged)
    np.testing.assert_array_equal(np.isnan(cpu.cost), np.isnan(tensors.cost))
    np.testing.assert_array_equal(np.isnan(cpu.grad_norms), np.isnan(tensors.grad_norms))
    np.testing.assert_array_equal(cpu.solved_step, tensors.solved_step)
    finite = np.isfinite(cpu.cost)
    apart = np.abs(tensors.cost[finite] - cpu.cost[finite]) > 1e-3 * np.abs(cpu.cost[finite])
    assert apart.mean() <= 0.01, f"{apart.sum()} of {apart.size} kept costs apart by more than 0.1 %"


def test_storage_is_checked():
    with pytest.raises(ValueError, match="storage"):
        mlp.train(mlp.Config(steps=3), storage="gpu")
    with pytest.raises(ValueError, match="manual"):
        mlp.train(mlp.Config(steps=3, backend="autograd"), storage="torch")


@pytest.mark.slow
def test_the_engine_imports_torch_and_numpy_only():
    """mlp/ is the math: it runs where altair, pandas and streamlit cannot even be imported."""
    import subprocess
    import sys

    blocker = ("import sys\n"
               "class Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               "        if name.split('.')[0] in ('altair', 'pandas', 'streamlit', 'vl_convert', 'ui', 'i18n'):\n"
               "            raise ImportError('blocked: ' + name)\n"
               "sys.meta_path.insert(0, Block())\n"
               "import mlp, mlp.__main__\n"
               "run = mlp.train(mlp.Config(steps=20))\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('altair', 'pandas', 'streamlit')))\n")
    out = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- config, tables, devices ---

def test_tables_match_the_config_choices():
    assert list(mlp.DATASETS) == list(DATASET_NAMES)
    assert list(mlp.ACTIVATIONS) == list(ACTIVATION_NAMES)
    assert list(mlp.INITS) == list(INIT_NAMES)
    assert list(mlp.BACKENDS) == list(BACKEND_NAMES)
    defaults = mlp.Config()
    assert (defaults.dataset, defaults.hidden_layers, defaults.width, defaults.activation, defaults.init,
            defaults.lr, defaults.steps, defaults.backend, defaults.device, defaults.seed) == (
        "xor", 1, 2, "sigmoid", "default", 1.0, 10_001, "manual", "auto", 777)
    assert defaults.layer_sizes == (2, 2, 1)


@pytest.mark.parametrize("field,value", [
    ("width", 0), ("width", 257), ("hidden_layers", -1), ("hidden_layers", 17), ("steps", 0),
    ("steps", 200_001), ("lr", 0), ("lr", -1.0), ("lr", float("nan")), ("lr", float("inf")), ("lr", 1e7),
    ("dataset", "moons"), ("activation", "gelu"), ("init", "he"), ("backend", "jax"), ("device", "tpu"),
    ("width", 2.5), ("width", "3"), ("steps", True), ("noise", 0.9), ("points", 2), ("dtype", "float16"),
    ("grad_convention", "sum"), ("seed", -5),
])
def test_invalid_config_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        mlp.Config(**{field: value})


def test_equal_configs_hash_equally():
    assert mlp.Config(lr=1) == mlp.Config(lr=1.0) and hash(mlp.Config(lr=1)) == hash(mlp.Config(lr=1.0))


def test_datasets_are_deterministic_and_labelled():
    for name in DATASET_NAMES:
        X, Y = mlp.make_data(mlp.Config(**data(name), points=100))
        X2, _ = mlp.make_data(mlp.Config(**data(name), points=100))
        n = 4 if name in ("xor", "and", "or") else len(OWN) if name == "own" else 100
        assert X.shape == (n, 2) and Y.shape == (n, 1) and set(np.unique(Y)) <= {0.0, 1.0}
        np.testing.assert_array_equal(X, X2)
        assert np.abs(X).max() < 2
    _, Y = mlp.make_data(mlp.Config())
    assert Y[:, 0].tolist() == [0, 1, 1, 0]


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_a_gpu_is_a_clear_error():
    with pytest.raises(ValueError, match="cpu"):
        mlp.train(mlp.Config(device="cuda"))
    assert mlp.train(mlp.Config(device="auto", steps=3)).device == "cpu"


cuda = pytest.mark.cuda  # skipped with its reason where torch sees no GPU (conftest.py)


@cuda
@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_cuda_gives_the_cpu_curve(backend):
    """300 steps of the notebook's deep net, all on its plateau (its cost leaves ln 2 hundreds of steps later), where
    nothing amplifies rounding: the GPU's float32 (cuBLAS sums in another order, fused multiply-adds, its exp) and
    the cpu's differ by a few roundings a step (~1e-7 of the cost, 0.69), which add up to ~3e-5 over 300 steps at
    worst: 1e-4 holds with room."""
    config = mlp.Config(steps=300, hidden_layers=3, width=10, backend=backend)
    gpu, cpu = mlp.train(replace(config, device="cuda")), mlp.train(replace(config, device="cpu"))
    assert gpu.device == "cuda" and cpu.device == "cpu"
    assert np.abs(gpu.cost - cpu.cost).max() <= 1e-4


DEVICES = ["cpu", pytest.param("cuda", marks=cuda)]


@pytest.mark.parametrize("device", DEVICES)
def test_divergence_at_a_huge_learning_rate_on_every_device(device):
    """lr 1e6: the hand-written chain rule follows the true gradient and blows up (diverged, records kept
    finite); autograd's BCELoss clamps log ŷ at −100, so its cost sits at exactly 50 with every gradient 0
    and nothing diverges. Both claims hold on the cpu as on a GPU (this test once claimed the opposite)."""
    config = mlp.Config(lr=1e6, activation="relu", hidden_layers=3, width=16, steps=500, device=device)
    manual = mlp.train(config)
    assert manual.diverged and manual.steps_done < 500 and np.isfinite(manual.cost).all()
    clamped = mlp.train(replace(config, backend="autograd"))
    assert not clamped.diverged and clamped.steps_done == 500
    assert clamped.cost[-1] == pytest.approx(50.0) and clamped.grad_norms[-1].max() == 0


def _joined(sweeps):
    """Sweeps of consecutive seeds as one: what assert_nearly_every_net compares."""
    return SimpleNamespace(**{k: np.concatenate([getattr(s, k) for s in sweeps])
                              for k in ("solved_step", "final_cost", "cost")})


@pytest.mark.slow
def test_two_float32_programs_of_a_sweep_agree_on_nearly_every_net():
    """The claim the cuda sweep tests make (agree.py), made here between the numpy and the torch paths, which sum
    in another order as a GPU does: 4,096 nets × 1,000 steps."""
    config = mlp.Config(steps=1000, device="cpu")
    numpy_path = [mlp.sweep(replace(config, seed=k), 1024) for k in range(0, 4096, 1024)]
    torch_path = [mlp.sweep(replace(config, seed=k), 1024, storage="torch") for k in range(0, 4096, 1024)]
    assert_nearly_every_net(_joined(numpy_path), _joined(torch_path), flips=2)


@cuda
def test_a_cuda_sweep_of_16384_nets_equals_the_same_seeds_on_the_cpu():
    """Solved flags and final costs: the same for nearly every net (agree.py says how near, and why not all)."""
    config = mlp.Config(steps=1000, seed=0)
    gpu = mlp.sweep(replace(config, device="cuda"), 16_384)
    cpu = [mlp.sweep(replace(config, device="cpu", seed=k), 1024) for k in range(0, 16_384, 1024)]
    assert_nearly_every_net(gpu, _joined(cpu), flips=8)


def test_auto_takes_the_gpu_only_for_work_it_does_faster(monkeypatch):
    """The policy, on any machine: with a GPU, auto is cuda for the fused kernel's nets and for sweeps of more nets
    than the cpu takes, the cpu for the rest (eager steps of tiny nets are launch-bound there); without one, the
    cpu; named devices are taken as named. (Whether the kernel takes a config: tests/test_kernel.py.)"""
    import importlib

    devices = importlib.import_module("mlp.fast.devices")
    kernel = lambda c, d, asked=False: "kernel" if c.hidden_layers == 1 else None  # noqa: E731
    monkeypatch.setattr(devices, "fused_kernel", kernel)  # mlp/kernel.py's stand-in: CI has no triton
    small, deep = mlp.Config(), mlp.Config(hidden_layers=3, width=10)
    monkeypatch.setattr(devices, "cuda_state", lambda: "gpu")
    assert mlp.resolve_device("auto", small) == "cuda"  # the fused kernel
    assert mlp.resolve_device("auto", deep) == "cpu"  # an eager run: ~30 launches a step
    assert mlp.resolve_device("auto", deep, 1024) == "cpu" and mlp.resolve_device("auto", deep, 1025) == "cuda"
    assert mlp.resolve_device("auto", mlp.Config(width=8), 64) == "cuda"  # a map's batch of 2-8-1 nets
    assert mlp.resolve_device("auto") == "cuda"  # no work named: whether auto may use the GPU at all
    assert mlp.resolve_device("cpu", small) == "cpu" and mlp.resolve_device("cuda", deep) == "cuda"
    monkeypatch.setattr(devices, "cuda_state", lambda: "no gpu")
    assert mlp.resolve_device("auto", small) == "cpu" and mlp.resolve_device("auto", deep, 65_536) == "cpu"
    with pytest.raises(ValueError, match="sees no GPU"):
        mlp.resolve_device("cuda", small)


@pytest.mark.parametrize("device", DEVICES)
def test_a_sweep_too_big_for_the_device_is_refused_before_any_work(device):
    config = mlp.Config(device=device)
    limit = mlp.max_seeds(config)
    assert limit <= 65_536 and limit >= 1 and (device == "cuda" or limit == 1024)
    with pytest.raises(ValueError, match="the most a sweep of this net trains at once"):
        mlp.sweep(config, limit + 1)
    with pytest.raises(ValueError, match="GiB"):
        mlp.sweep(replace(config, hidden_layers=16, width=256, dataset="spiral", points=1000), 65_536)


@pytest.mark.parametrize("backend", BACKEND_NAMES)
def test_a_chunk_holds_a_step_count_set_by_the_work_and_a_stop_returns_at_once(backend):
    """on_step comes after every chunk, and a chunk holds as many steps as fast.chunk_steps sets for the work: the
    lab's small net a full 256, a big net fewer (so that a moved slider, a rerun raised at the next st call in
    on_step, stops the old run soon however big the net), the same on any machine, with no clock in the loop;
    on_step returning False ends training with no further step."""
    def chunks_of(config, stop_after):
        reached = []

        def on_step(p):
            reached.append(p.step)
            return False if len(reached) == stop_after else None

        run = mlp.train(config, on_step=on_step)
        assert run.stopped and len(reached) == stop_after and run.steps_done == reached[-1]
        return np.diff([0, *reached])

    small = mlp.fast.chunk_steps(backend, Layout((2, 2, 1)), 1, 4)
    assert list(chunks_of(mlp.Config(steps=2000, backend=backend), 3)) == [small] * 3
    assert small == 256 if backend == "manual" else 50 <= small <= 256  # autograd's step costs ~10× more
    big = mlp.Config(hidden_layers=8, width=64, steps=200_000, backend=backend)
    per_chunk = chunks_of(big, 4)
    expected = mlp.fast.chunk_steps(backend, Layout(big.layer_sizes), 1, 4)
    assert list(per_chunk) == [expected] * 4 and expected < 256
    assert list(chunks_of(big, 4)) == list(per_chunk)  # the same chunks again: nothing depends on time or load


def test_a_draw_of_many_seeds_is_kept_and_each_caller_gets_its_own_copy():
    from mlp.model import Layout, _draw, init_params

    layout, seeds = Layout((2, 3, 1)), list(range(100, 164))
    first = init_params(layout, "default", seeds)
    first[:] = 0  # a run writes into its weights …
    again = init_params(layout, "default", seeds)
    assert np.array_equal(again, _draw(layout, "default", seeds)) and again.flags.writeable  # … not into the kept draw
    assert np.array_equal(init_params(layout, "default", seeds[:1])[0], again[0])  # a seed draws the same alone
    assert not np.array_equal(init_params(layout, "xavier", seeds), again)
