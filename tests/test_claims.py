"""Every sentence the app says about a run is true for that run: each claim of the lesson and the help texts is
checked here by training the Config its page uses (or, for the lab's first cell, by running that cell)."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from memo import swept, trained

import i18n
import mlp
import ui
from mlp.diagnose import zero_gradient

LN2 = math.log(2)
SEED_NET = mlp.Config(device="cpu", init="notebook")  # the Lesson's 2-2-1: the lab's own net


def en(key, **values):
    return i18n.tr(key, "en", **values)


def plateau_end(run) -> int:
    """The first step whose cost is below 80 % of the run's start: where it leaves its plateau, as the Lesson (and
    mlp.Sweep.plateau_end for many seeds) measures it."""
    return int(np.argmax(run.cost < 0.8 * run.cost[0]))


def test_lesson_5_at_lr_1_one_relu_layer_dies_whole_within_150_steps_and_the_cost_stays_at_ln_2():
    assert "within about 150 steps one of this net's layers dies whole" in en("lesson.5.text")
    run = trained(replace(SEED_NET, hidden_layers=6, width=10, steps=3001, activation="relu", lr=1.0,
                            init="default"))
    found = zero_gradient(run)
    assert found.cause == "dead" and found.layers == tuple(range(1, 8))  # every weight gradient, from …
    assert max(run.zero_gradient_from()) <= 150  # … within about 150 steps
    assert np.abs(run.cost[150:] - LN2).max() < 1e-6  # and the cost stays at ln 2
    assert run.cost[:150].min() < LN2 - 0.01  # (it had moved before: not "from the start")


def lab_cell(scale: float, draws: int = 64, steps: int = 3000) -> np.ndarray:
    """The lab's first cell (In [11]) as it is written, for `draws` nets at once in float32: W and b drawn
    U(±scale) (its own weights were uninitialised memory), learning rate 1, weight gradients summed over the
    batch and bias gradients averaged, δ of the output with the cell's 1e-7. The cost (draws, steps)."""
    X = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    Y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32)
    g = torch.Generator().manual_seed(0)

    def u(*shape):
        return (torch.rand(draws, *shape, generator=g) * 2 - 1) * scale

    w1, b1, w2, b2 = u(2, 2), u(1, 2), u(2, 1), u(1, 1)

    def sigmoid(x):
        return 1.0 / (1.0 + torch.exp(-x))

    costs = torch.empty(draws, steps)
    for step in range(steps):
        l1 = X @ w1 + b1
        a1 = sigmoid(l1)
        l2 = a1 @ w2 + b2
        y = sigmoid(l2)
        costs[:, step] = -(Y * torch.log(y) + (1 - Y) * torch.log(1 - y)).mean((1, 2))
        d_l2 = (y - Y) / (y * (1.0 - y) + 1e-7) * sigmoid(l2) * (1 - sigmoid(l2))
        d_l1 = d_l2 @ w2.transpose(1, 2) * sigmoid(l1) * (1 - sigmoid(l1))
        w1, b1 = w1 - X.T @ d_l1, b1 - d_l1.mean(1, keepdim=True)
        w2, b2 = w2 - a1.transpose(1, 2) @ d_l2, b2 - d_l2.mean(1, keepdim=True)
    return costs.numpy()


@pytest.mark.slow
def test_lesson_6_what_random_weights_do_under_the_lab_cells_rules():
    """The text: tiny weights (0.001–0.01) stay at ln 2 for 3,000 steps; of U(±0.1) draws only some escape, late
    (12 of 64, the first at step 809, measured), none sitting at exactly ln 2 for 600 steps as the printed log.
    Escaping is a threshold in float32 dynamics: a draw near it may go either way on another CPU's kernels, so
    the counts are checked with room (±4 draws, ±100 steps), the qualitative claims exactly."""
    text = en("lesson.6.text")
    assert "12 of 64 draws within 3,000 steps, the first at step 809" in text
    for tiny in (0.001, 0.01):
        assert np.abs(lab_cell(tiny) - LN2).max() < 1e-3, tiny  # stayed at ln 2
    costs = lab_cell(0.1)
    escaped = np.flatnonzero((costs < 0.6).any(axis=1))
    first = [int(np.argmax(costs[i] < 0.6)) for i in escaped]
    assert abs(len(escaped) - 12) <= 4 and abs(min(first) - 809) <= 100
    ln2_in_float32 = np.float32(0.6931471824645996)  # what the lab printed for its first 600 steps
    assert not any((costs[i, :600] == ln2_in_float32).all() for i in escaped)


def test_lesson_6_quotes_the_lab_cells_printed_log():
    """The numbers lesson 6 says the first cell printed are the ones it printed (mlp.notebook keeps its log)."""
    text = en("lesson.6.text")
    log = dict(mlp.notebook.CELLS["hand-written"].log())
    assert "exactly 0.6931471824645996, ln 2 in float32, for about 600 steps" in text
    assert all(log[step] == 0.6931471824645996 for step in range(0, 600, 100)) and log[600] != log[0]
    assert float(np.float32(LN2)) == 0.6931471824645996
    for step, printed in ((900, "0.6412"), (1000, "0.2531"), (1100, "0.0313"), (9200, "0.00038")):
        assert f"{printed} at {'step ' if step == 900 else ''}{step:}" in text
        assert f"{log[step]:.2g}" == f"{float(printed):.2g}", step


@pytest.mark.slow  # two backends, twice
def test_lesson_3_the_two_backends_differ_by_float32_rounding_only():
    """Lesson 3: the curves lie on top of each other and their largest difference is float32 rounding. In float32
    they differ by 2.8e-5 at most (measured, where the cost falls fastest: the plateau's 2,700 steps amplify a
    rounding of ~1e-7); the same two runs in float64 differ by 8e-14, the same amplification of float64's 2e-16,
    so the difference is rounding and nothing else. Bounds: 1e-3 (a line's width on the chart) and 1e-9. Both
    largest differences fall before step 3,000 (in the drop, measured over all 10,001), so both pairs stop there."""
    assert "lie on top of each other" in en("lesson.3.text") and "float32 rounding" in en("lesson.3.text")
    for changes, bound in ((dict(steps=3001), 1e-3), (dict(dtype="float64", steps=3001), 1e-9)):
        manual, auto = (trained(replace(config, **changes)) for _, config in ui.lesson.RUNS[3])
        assert np.abs(manual.cost - auto.cost).max() < bound, changes


@pytest.mark.slow
def test_lesson_9_cross_entropy_at_half_the_rate_is_about_as_slow_as_squared_error():
    """At ŷ ≈ ½ squared error's δ_L is 2(ŷ − y)·¼ = half of cross-entropy's: the text says its plateau then
    lasts about as long as cross-entropy's at half the learning rate. Medians over 64 seeds (measured 1,186 and
    1,101 steps: 8 % apart); "about" is checked as within 25 %, and both well behind cross-entropy at lr 1."""
    plateau = {}
    for name, config in (("bce", SEED_NET), ("mse", replace(SEED_NET, loss="mse")),
                         ("half", replace(SEED_NET, lr=0.5))):
        left = swept(config, 64).plateau_end()
        plateau[name] = float(np.median(left[left >= 0]))
    assert abs(plateau["half"] - plateau["mse"]) <= 0.25 * plateau["mse"]
    assert plateau["bce"] < 0.7 * min(plateau["half"], plateau["mse"])


def test_the_hidden_layers_help_says_when_a_perceptron_cannot_learn_xor():
    assert "on x₁ and x₂ alone it cannot learn XOR" in en("help.hidden_layers") and "x₁x₂" in en("help.hidden_layers")
    plain = trained(replace(SEED_NET, hidden_layers=0, init="default"))
    crossed = trained(replace(SEED_NET, hidden_layers=0, init="default", features=("x1", "x2", "x1x2")))
    assert plain.accuracy[-1] < 1 and plain.cost[-1] > 0.69
    assert crossed.accuracy[-1] == 1 and crossed.cost[-1] < 0.01


def test_zero_init_is_a_saddle_on_xor_only_and_its_hidden_units_stay_identical():
    assert "on XOR that is a saddle point" in en("help.init") and "AND or OR the net still learns" in en("help.init")
    assert en("init.zeros") == "zeros"  # the label no longer calls every zero init a saddle point
    on_xor = trained(replace(SEED_NET, init="zeros"))
    assert zero_gradient(on_xor).cause == "saddle"
    for dataset in ("and", "or"):
        run = trained(replace(SEED_NET, init="zeros", dataset=dataset, steps=2001))
        assert run.cost[-1] < 0.01, dataset
        h = run.activations(mlp.make_data(run.config)[0])[0]
        assert np.ptp(h, axis=1).max() == 0  # both hidden units compute the same thing throughout


def test_play_says_at_most_as_many_frames_as_its_tick_allows():
    from ui import play

    assert float(play.FPS) <= 1 / play.TICK
    assert f"at most {play.FPS} frames a second" in en("chain.playing", speed="10", fps=play.FPS)
    assert f"at most {play.FPS} frames a second" in en("help.speed", fps=play.FPS)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_the_speed_help_says_how_long_the_2_2_1_plateau_lasts():
    """help.speed: the default 2-2-1's plateau (until the cost falls below 80 % of its start, as the Lesson measures
    it) about 2,000 steps, the lab's about 2,500, other seeds' often fewer; ×100 at Play's rate crosses it in a few
    seconds. Measured 2,156 and 2,683 steps; "about" is checked as within 25 %: a step or two of float32 rounding on
    another CPU moves a crossing of 80 % by as much."""
    from ui import play

    assert "about 2,000 steps (the lab's about 2,500; from other seeds often fewer)" in en("help.speed", fps=play.FPS)
    default, lab = (plateau_end(trained(config)) for config in (mlp.Config(device="cpu"), SEED_NET))
    assert abs(default - 2_000) <= 500 and abs(lab - 2_500) <= 625
    others = swept(mlp.Config(device="cpu"), 64).plateau_end()
    assert np.median(others[others >= 0]) < default  # from other seeds often fewer
    # ×100 is a speed Play offers, and at one frame a TICK (its fastest) it crosses the lab's plateau in a few seconds
    assert "100" in play.SPEEDS and 2 <= lab / 100 * play.TICK <= 10


@pytest.mark.parametrize("loss,l2,words,absent", [
    ("bce", 0.0, "binary cross-entropy", "L2"), ("mse", 0.0, "squared error", "ln 2"),
    ("bce", 0.01, "plus the L2 term", "squared"),
])
def test_the_cost_metric_says_what_the_cost_is(loss, l2, words, absent):
    from test_app import app, no_errors

    at = app("pages/1_Train.py", loss=loss, l2=str(l2) if l2 else "0")
    no_errors(at)
    help_text = [m.proto.help for m in at.metric if m.label == "Final cost"][0]
    assert words in help_text and absent not in help_text
    if loss == "mse":  # a coin toss under squared error: ŷ = ½ at every point costs (½)² = 0.25
        assert "0.25 is a coin toss" in help_text and abs(np.mean((0.5 - np.array([0, 1, 1, 0])) ** 2) - 0.25) < 1e-12


def test_where_stuck_seeds_end_is_said_only_where_it_holds():
    assert "0.347 ≈ ln 2 / 2" in en("robust.local_min")
    sweep = swept(mlp.Config(seed=0, device="cpu"), 40)  # the 2-2-1 net on XOR: its stuck seeds
    stuck = sweep.final_cost[sweep.stuck]
    assert len(stuck) and abs(np.median(stuck) - LN2 / 2) < 0.005  # the local minimum the sentence names

    def notes(**changes):  # outside a page the language is English
        return " ".join(ui.stuck_notes(mlp.Config(**changes), 0.5))

    assert "0.347" in notes() and "ln 2 ≈ 0.693" in notes()
    assert "0.347" not in notes(width=3) and "0.347" not in notes(dataset="circle")
    assert "0.25 is a coin toss" in notes(loss="mse") and "ln 2" not in notes(loss="mse")
    assert "L2 term" in notes(l2=0.01) and "0.347" not in notes(l2=0.01)


@pytest.mark.slow  # 30,001 steps
def test_the_stuck_2_2_1_creeps_toward_ln_2_over_2_with_growing_weights_and_does_not_get_out():
    """robust.local_min: two points right, ŷ = ½ on the other two; the cost still falls, toward ln 2 / 2 and never
    below it, while the weights grow, and three times the steps do not get it out. Seed 779 is one the sweep above
    finds stuck (it sits within 0.01 of ln 2 / 2 by step 1,000, so no float32 rounding of another CPU frees it)."""
    assert "creeps down toward ln 2 / 2 while its weights grow without bound" in en("robust.local_min")
    run = trained(mlp.Config(device="cpu", seed=779, steps=30_001))
    cost = run.cost[[10_000, 20_000, 30_000]]
    assert np.all(np.diff(cost) < 0) and cost.min() > LN2 / 2  # creeping down toward it, never below
    assert cost[0] - LN2 / 2 < 0.001  # … where the sweep found it stuck
    y_hat = run.predict(mlp.data.CORNERS)
    right = np.abs(y_hat - np.array([0, 1, 1, 0])) < 0.01
    assert right.sum() == 2 and np.abs(y_hat[~right] - 0.5).max() < 0.01  # two right, ½ on the other two
    size = [max(np.abs(w).max() for w in run.params_at(step)[0]) for step in (10_000, 30_000)]
    assert size[1] > 1.1 * size[0]  # the weights still grow


def test_lesson_1_the_perceptrons_cost_falls_to_ln_2_within_a_few_steps_and_stays():
    """The perceptron's cross-entropy on XOR is convex with its minimum ln 2 at W = 0, b = 0: from its random start
    (0.85) gradient descent reaches it within a few steps. 1e-3 bounds the dynamics' distance from ln 2 after 20
    steps (4.6e-4 already at step 10), far above float32's rounding of the cost (~1e-7)."""
    assert "the cost falls to ln 2 ≈ 0.69 within a few steps and stays there" in en("lesson.1.text")
    (_, config), = ui.lesson.RUNS[1]
    run = trained(config)
    assert run.cost[0] > LN2 + 0.05  # it starts above ln 2: not there from the start
    assert np.abs(run.cost[20:] - LN2).max() < 1e-3


@pytest.mark.parametrize("loss, coin_toss", [("bce", LN2), ("mse", 0.25)])
def test_home_a_perceptron_on_xor_ends_at_a_coin_tosss_cost_under_either_loss(loss, coin_toss):
    """Home: "stuck at a coin toss's cost (ln 2 with the lab's cross-entropy)": ŷ = ½ at the four points, whose cost
    is ln 2 under cross-entropy and (½)² = 0.25 under squared error (its best on XOR too: 3 points right and one
    wholly wrong also cost 0.25). 1e-3: the dynamics' distance after 10,001 steps, far above float32's rounding."""
    assert "stuck at a coin toss's cost (ln 2 ≈ 0.693 with the lab's cross-entropy)" in en("home.intro")
    run = trained(mlp.Config(hidden_layers=0, loss=loss, device="cpu"))
    assert abs(run.cost[-1] - coin_toss) < 1e-3 and run.accuracy[-1] < 1


def test_lesson_2_on_the_plateau_every_output_is_near_a_half_and_the_gradients_are_small():
    """The plateau (the cost within 1e-3 of ln 2) of the lab's 2-2-1: ŷ within 0.05 of ½ at the four points (0.031 at
    most measured), and each layer's median ‖∂C/∂W‖ there at most a hundredth of its largest in the drop (the cost
    from ln 2 down to 0.05): measured ~1e-4 against 0.044, a margin of 4 that float32's rounding cannot take."""
    assert "for most of the plateau a hundredth of those in the drop, or less" in en("lesson.2.text")
    (_, config), = ui.lesson.RUNS[2]
    run = trained(config)
    plateau = np.flatnonzero(np.abs(run.cost - LN2) < 1e-3)
    drop = np.flatnonzero((run.cost < LN2 - 1e-3) & (run.cost > 0.05))
    assert len(plateau) > 1000 and len(drop) and plateau.max() < drop.min()
    for step in plateau[::100]:
        assert np.abs(run.predict(mlp.data.CORNERS, step=int(step)) - 0.5).max() < 0.05, step
    assert np.all(np.median(run.grad_norms[plateau], axis=0) <= run.grad_norms[drop].max(axis=0) / 100)


def test_the_seed_help_says_what_the_seed_draws():
    """help.seed: the initial weights always; a sampled dataset's points and its held-out ones; the mini-batches'
    order. XOR's four points are the same for every seed."""
    assert "which points are drawn and which are held out, and with mini-batches their order" in en("help.seed")
    one, other = (mlp.Config(dataset="circle", test_fraction=0.2, batch_size=8, seed=s, device="cpu") for s in (1, 2))
    assert not np.array_equal(mlp.data.make_data(one)[0], mlp.data.make_data(other)[0])
    assert np.array_equal(mlp.data.make_data(one)[0], mlp.data.make_data(replace(other, seed=1))[0])
    assert not np.array_equal(mlp.data.split(one)[1], mlp.data.split(other)[1])
    n = len(mlp.data.split(one)[0])
    assert not np.array_equal(mlp.data.batch_rows(one, n, 0), mlp.data.batch_rows(other, n, 0))
    xor = [mlp.data.make_data(mlp.Config(seed=s, device="cpu"))[0] for s in (1, 2)]
    assert np.array_equal(*xor)
    weights = [trained(mlp.Config(seed=s, steps=1, device="cpu")).params_at(0)[0][0] for s in (1, 2)]
    assert not np.array_equal(*weights)


def test_the_solved_threshold_the_texts_state_is_the_engines():
    """The Map's intro and Lesson 9's measurement say what "solved" means with the loss table's own numbers."""
    for key in ("map.intro", "lesson.ce_measured"):
        text = i18n.TEXT[key]["en"]
        assert "{bce_cost} with cross-entropy" in text and "{mse_cost} with squared error" in text, key
    assert ui.solved_costs() == {"bce_cost": f"{mlp.losses.LOSSES['bce'].solved:g}",
                                 "mse_cost": f"{mlp.losses.LOSSES['mse'].solved:g}"}


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_lesson_4_says_whose_markers_the_deep_net_has():
    from test_app import app, no_errors

    at = app("pages/0_Lesson.py", lesson="4", steps="10001")
    no_errors(at)
    assert any("the 2-10-10-10-1 net the third" in c.value for c in at.caption)
    assert mlp.notebook.cell_of(mlp.Config(init="notebook", hidden_layers=3, width=10)).name == "2-10-10-10-1"


def test_lesson_7_in_korean_reads_the_units_in_korean_with_the_right_particles():
    from test_app import app, no_errors

    from ui.lesson import korean_reading

    assert korean_reading("0010") == "x₁만 1" and korean_reading("1100") == "x₁이 0"
    assert korean_reading("1010") == "x₂가 0" and korean_reading("0001") == "x₁과 x₂가 모두 1"
    assert korean_reading("0001", "h₂", "h₁") == "h₂와 h₁이 모두 1"
    at = app("pages/0_Lesson.py", lesson="7", steps="10001", lang="ko")
    no_errors(at)
    sentence = [m.value for m in at.markdown if "은닉 유닛 1" in m.value][0]
    run = trained(replace(SEED_NET, steps=10_001))
    logic = mlp.logic.hidden_logic(*run.params_at(run.steps_done), "sigmoid")
    for bits in logic.hidden_tables:
        assert korean_reading(bits) in sentence
    assert korean_reading(logic.output_table) in sentence


def test_the_students_link_from_a_lecturers_localhost_uses_the_network_address():
    """A lecturer's page on localhost: the students' link (and so its QR code) gets the machine's network
    address, with a note; a machine with none gets a warning; an address students can reach stays as it is."""
    url = "http://localhost:8501/Train?layers=3"
    link, note, warn = ui.for_students(url, internal_ip="192.168.1.20")
    assert link == "http://192.168.1.20:8501/Train?layers=3" and "192.168.1.20" in note and not warn
    link, note, warn = ui.for_students("http://127.0.0.1:8501/", internal_ip="127.0.0.1")
    assert link == "http://127.0.0.1:8501/" and warn and "cannot open" in note
    assert ui.for_students("https://xor.streamlit.app/Train", internal_ip="10.0.0.2") == \
        ("https://xor.streamlit.app/Train", None, False)
    assert i18n.tr("presenter.network", "ko", host="localhost", ip="10.0.0.20").count("10.0.0.20을") == 1  # 영: 을


@pytest.mark.slow
def test_lesson_9_draws_each_loss_on_its_own_axis_and_the_plateaus_as_a_chart():
    from test_app import app, charts, datasets, no_errors

    at = app("pages/0_Lesson.py", lesson="9", steps="10001")
    no_errors(at)
    assert [h.value for h in at.subheader][:2] == ["bce: cross-entropy", "mse: squared error"]  # a panel a loss
    for chart in charts(at):  # no chart overlays the two losses' costs
        for frame in datasets(chart).values():
            assert not ("run" in frame and "cost" in frame and frame.run.nunique() > 1)
    import pyarrow as pa

    tables = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for c in charts(at) for d in c.proto.datasets]
    plateaus = max((f for f in tables if set(f.columns) == {"run", "step"}), key=len)  # each seed (not the medians)
    assert plateaus.run.nunique() == 3
    mse = swept(replace(SEED_NET, loss="mse"), 64).plateau_end()
    mse_row = plateaus[plateaus.run.str.startswith(plateaus.run.unique()[1])]
    assert sorted(mse_row.step) == sorted(int(s) for s in mse[mse >= 0])  # each seed's own step, as measured


def test_orange_means_class_1_and_nothing_else():
    """Colours mean one thing: orange (and its blue) draw the classes and high/low unit values; a seed's outcome,
    a weight's sign and the held-out cost each use a pair of their own."""
    orange = ui.charts.ORANGE.lower()
    sw = swept(mlp.Config(steps=300, device="cpu"), 16)
    held = trained(mlp.Config(dataset="circle", test_fraction=0.2, steps=50, device="cpu"))
    others = [ui.comparisons.sweep_curves(sw), ui.comparisons.final_cost_histogram(sw),
              ui.comparisons.solved_histogram(sw), ui.charts.cost_chart(held), ui.network.network_diagram(held)]
    pinned = [(f"run {i}", trained(mlp.Config(steps=20, seed=i, device="cpu"))) for i in range(4)]
    others.append(ui.comparisons.compare_charts(pinned))  # runs told apart: orange only from the 8th run on
    for chart in others:
        assert orange not in str(chart.to_dict()).lower(), chart
    assert orange in str(ui.charts.decision_boundary(held).to_dict()).lower()  # the classes: orange is class 1


def test_lesson_7_draws_the_units_on_the_input_planes_axes_and_names_the_output():
    import json

    from test_app import app, charts, frame_with, no_errors

    at = app("pages/0_Lesson.py", lesson="7", steps="10001")
    no_errors(at)
    specs = [json.loads(c.proto.spec) for c in charts(at)[:2]]
    for spec in specs:
        encoding = spec["spec"]["encoding"]
        assert encoding["x"]["title"] == "x₁" and encoding["y"]["title"] == "x₂"
        assert encoding["x"]["axis"]["values"] == [0, 1]  # the truth table's corners
    hidden, output = (set(frame_with(c, "unit", "value").unit) for c in charts(at)[:2])
    assert hidden == {"unit 1", "unit 2"} and output == {"output ŷ"}


def test_lesson_4_the_deep_nets_spike_just_after_step_3000_is_an_overshoot_at_its_largest_gradients():
    assert "its cost jumps within a few steps from about 0.4 to about 1.5 and falls back at once" in en("lesson.4.text")
    # The timing and the height of a spike move a little with rounding (another CPU), and so do the tens of steps
    # after it, in which the cost rocks (one CPU stays below ln 2 there, an AMD EPYC's goes once up to 0.75): the
    # words claim the jump and the fall only, and are checked as said: within 5 steps from its low, about 0.4, to
    # about 1.5, and below ln 2 the very next step
    run = trained(replace(SEED_NET, hidden_layers=3, width=10))
    cost = run.cost
    spike = int(np.argmax(cost[1000:])) + 1000  # the highest cost after the start
    assert 3000 < spike < 3100 and 1.2 < cost[spike] < 1.9 and 0.3 < cost[spike - 5:spike].min() < 0.5
    assert cost[spike + 1] < LN2
    largest = run.grad_norms.argmax(0)
    assert all(abs(int(s) - spike) <= 100 for s in largest)  # every layer's largest gradient of the run is there


@pytest.mark.slow  # the deep net's 10,001 steps
def test_lesson_4_the_deep_net_ends_about_ten_times_lower_after_a_longer_plateau():
    """Measured 11.6× (0.0013 against 0.00011) and plateaus of 2,683 and 2,998 steps. "About ten" is checked as 7–15:
    the deep net's end moves with the rounding its spike amplified (another CPU), not by a third; 315 steps between
    the plateaus is far more than a step or two of rounding moves a crossing of 80 %."""
    assert "its cost ends **about ten times lower** than the 2-2-1 net's, after a longer plateau" in en("lesson.4.text")
    (_, small), (_, deep) = ((label, trained(config)) for label, config in ui.lesson.RUNS[4])
    assert 7 < small.cost[-1] / deep.cost[-1] < 15
    assert plateau_end(deep) > plateau_end(small) + 100


def test_lesson_5_sigmoid_gradients_shrink_toward_the_input_and_relus_stay_closer():
    """At step 0 of the step's two 6-layer nets: the sigmoid net's ‖∂C/∂W‖ grows layer by layer toward the output
    (σ′ ≤ ¼ a layer: 1.1e-6 at layer 1 against 0.073 at the output, measured), the relu net's spread is a few tens
    (23× measured) against the sigmoid's tens of thousands. Initial gradients are float32 sums of a few terms,
    rounding at 1e-7 relative: the bounds are orders of magnitude from the figures."""
    assert "**the layers near the input get the smallest gradients**" in en("lesson.5.text")
    assert "the gradients stay much closer in size" in en("lesson.5.text")
    (_, sigmoid), (_, relu) = ui.lesson.RUNS[5]
    g_sigmoid = trained(replace(sigmoid, steps=2)).grad_norms[0]
    g_relu = trained(replace(relu, steps=2)).grad_norms[0]
    assert np.all(np.diff(g_sigmoid) > 0) and g_sigmoid[-1] / g_sigmoid[0] > 1e4
    assert g_relu.max() / g_relu.min() < 100


@pytest.mark.slow  # three sweeps of 64 nets
def test_robustness_a_2_2_1_solves_from_most_starts_and_wider_nets_almost_always():
    """robust.intro: the 2-2-1 at lr 1 solves XOR from most seeds but not all, some stuck at 0.347 (84 % of 256
    seeds measured); widths 4 and 10 solved all 256. Over 64 seeds "most" is checked as 60–97 %, "almost always" as
    at least 95 %: a seed whose fate a rounding flips moves a share by 1/64."""
    text = en("robust.intro", cost=0.1)
    assert "solves XOR from most starting weights, but not all" in text and "Wider nets almost always" in text
    narrow = swept(mlp.Config(device="cpu"), 64)
    assert 0.6 < narrow.solved_fraction < 0.97
    assert np.any(np.abs(narrow.final_cost[narrow.stuck] - LN2 / 2) < 0.01)  # stuck at 0.347
    for width in (4, 10):
        assert swept(mlp.Config(device="cpu", width=width), 64).solved_fraction >= 0.95, width


@pytest.mark.slow
def test_each_lesson_steps_question_is_settled_by_the_runs_its_reveal_shows():
    """The live class's prediction questions (ui/questions.py: ANSWERS): each right answer is what the runs that
    ui.lesson.settles draws at the reveal show: the step's own (RUNS), trained by the engine (question 3 is the
    engine's oracle tests)."""
    from ui.lesson import RUNS
    from ui.questions import ANSWERS

    def answer(step):
        return en(f"q.{step}").split("|")[1 + ANSWERS[step]]

    def runs(step):
        return [trained(config) for _, config in RUNS[step]]

    [perceptron] = runs(1)
    assert answer(1) == "No" and perceptron.accuracy[-1] < 1  # no hidden layer: XOR is not learned
    [lab] = runs(2)
    assert "about 0.7." in en("q.2") and abs(lab.cost[0] - 0.7) < 0.02  # 0.713
    assert answer(2) == "It stays near 0.7" and np.abs(lab.cost[:2000] - 0.7).max() < 0.02  # 0.713 … 0.693
    small, deep = runs(4)
    assert answer(4) == "2-10-10-10-1" and deep.cost[-1] < small.cost[-1]
    assert answer(5).startswith("The first") and deep.grad_norms[0].argmin() == 0  # the deep net at step 0
    _, summed, mean = runs(6)
    assert answer(6) == "4 times the mean's"
    np.testing.assert_allclose(summed.grad_norms[0], 4 * mean.grad_norms[0], rtol=1e-6)  # ×4 is exact in binary
    plain, crossed = runs(8)
    assert answer(8) == "Yes" and plain.accuracy[-1] < 1 and crossed.accuracy[-1] == 1
    leaves = [int(np.argmax(run.cost < run.cost[0] - 0.05)) for run in runs(9)]  # first step 0.05 below the start
    assert answer(9) == "Cross-entropy" and 0 < leaves[0] < leaves[1]
