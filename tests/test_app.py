"""AppTest: every page renders its charts with the data they should carry, the sidebar state survives
page switches and follows the URL, bad links get a note, and nothing ever shows a traceback."""

import inspect
import itertools
import json
import re
import time

import numpy as np
import pyarrow as pa
import pytest
import vl_convert
from streamlit.testing.v1 import AppTest

import i18n
import mlp
import ui
from mlp import backprop

PAGES = ["streamlit_app.py", "pages/0_Lesson.py", "pages/1_Train.py", "pages/2_Chain_rule.py", "pages/3_Compare.py",
         "pages/4_Robustness.py", "pages/5_Presenter.py", "pages/6_Map.py"]
TIMEOUT = 120  # torch's import and a first training run take a few seconds on a small machine


def app(page="streamlit_app.py", settled=True, **params):
    """The page as the first request of a new session, with these URL parameters (steps=300 unless set); the Map
    once its map is done, unless `settled` is False (its first run as is)."""
    at = AppTest.from_file(f"../{page}", default_timeout=TIMEOUT)
    for key, value in {"steps": "300", **params}.items():
        at.query_params[key] = value
    at.run()
    return settle(at) if page == "pages/6_Map.py" and settled else at


def settle(at, timeout: float = TIMEOUT):
    """The Map once its map is done: it trains in a thread of its own (ui/runs.py: MapJob) and the page's fragment
    polls it in a browser, a timer AppTest does not run; so rerun the page while it shows its progress bar (the
    Map at rest shows none)."""
    deadline = time.time() + timeout
    while at.get("progress") and not at.exception and time.time() < deadline:
        time.sleep(0.2)
        at.run()
    return at


def charts(at):
    return at.get("vega_lite_chart")


def datasets(chart):
    """The chart's data: column names → pandas frame, decoded from the Arrow bytes Streamlit sends."""
    frames = [pa.ipc.open_stream(ds.data.data).read_all().to_pandas() for ds in chart.proto.datasets]
    return {tuple(f.columns): f for f in frames}


def svg(chart) -> str:
    """The chart as Vega draws it (vl_convert: the Vega the app ships), its data inline, 400 px wide."""
    spec = json.loads(chart.proto.spec)
    spec["datasets"] = {ds.name: json.loads(pa.ipc.open_stream(ds.data.data).read_all().to_pandas()
                                            .to_json(orient="records")) for ds in chart.proto.datasets}
    if spec.get("width") == "container":
        spec["width"] = 400
    return vl_convert.vegalite_to_svg(spec)


def frame_with(chart, *columns):
    """The chart's dataset with exactly these columns, else the first one that has them all."""
    frames = datasets(chart)
    for cols, frame in frames.items():
        if set(columns) == set(cols):
            return frame
    for cols, frame in frames.items():
        if set(columns) <= set(cols):
            return frame
    raise AssertionError(f"no dataset with {columns} in {list(datasets(chart))}")


def no_errors(at):
    assert not at.exception, [e.message for e in at.exception]
    assert not [e for e in at.error if "Something went wrong" in e.value]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page):
    at = app(page, pins="steps:300~layers:3,width:10,steps:300")
    no_errors(at)
    if "Lesson" in page:  # the lesson chooses its own nets: no training controls in its sidebar
        assert at.title and not at.sidebar.slider and not at.sidebar.selectbox
    else:
        assert at.title and at.sidebar.slider(key="w_hidden_layers").value == 1
    drawn = {"streamlit_app.py": 2,  # the cost per step beside the gradient sizes
             "pages/0_Lesson.py": 2,  # step 1: the perceptron's cost and gradient
             "pages/1_Train.py": 6,  # the boundary, the net, both curves, each unit's picture, who learns when
             "pages/2_Chain_rule.py": 4,  # the boundary, the net, both curves so far
             "pages/3_Compare.py": 2,  # the pinned runs' costs and gradients, overlaid
             "pages/4_Robustness.py": 3,  # the seeds' curves, steps to solve, final costs
             "pages/5_Presenter.py": 0,  # a link builder: no run to draw
             "pages/6_Map.py": 1}[page]
    assert len(charts(at)) == drawn


def test_home_chart_carries_the_run():
    at = app(layers="3", width="4")
    no_errors(at)
    cost_chart, grad_chart = charts(at)[:2]  # side by side, each as wide as its column
    for chart in (cost_chart, grad_chart):
        spec = json.loads(chart.proto.spec)
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
        assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 299]  # one shared step axis
    cost = frame_with(cost_chart, "step", "cost")
    grads = frame_with(grad_chart, "step", "layer", "norm")
    run = mlp.train(mlp.Config(hidden_layers=3, width=4, steps=300, device="cpu"))
    np.testing.assert_allclose(cost.cost.to_numpy(), run.cost[cost.step.to_numpy()])
    assert sorted(set(grads.layer)) == sorted(ui.charts.layer_names(4))
    assert "layer 1 (input side)" in set(grads.layer) and "layer 4 (output)" in set(grads.layer)
    first = grads[grads.layer == "layer 1 (input side)"].sort_values("step")
    np.testing.assert_allclose(first.norm.to_numpy(), run.grad_norms[first.step.to_numpy(), 0], rtol=1e-6)
    assert any("µs" in m.value for m in at.metric)


def test_home_counts_a_perceptrons_answers_at_one_half_as_its_accuracy_does():
    """A perceptron on XOR ends at ŷ = ½ at every point: its answers are class 0 (the lab's ŷ > 0.5), 2 of 4 right,
    in the table, the line under it and the Accuracy metric alike (the table said 3 of 4 against a metric of 50 %)."""
    at = app(layers="0", steps="2000")
    no_errors(at)
    table = at.table[0].value
    assert list(table[i18n.tr("home.col_pred", "en")]) == [0, 0, 0, 0]
    assert i18n.tr("home.right", "en", right=2, pct="50%") in [c.value for c in at.caption]
    assert [m.value for m in at.metric if m.label == "Accuracy"] == ["50%"]


def test_moving_a_slider_changes_the_result():
    at = app()
    before = frame_with(charts(at)[1], "step", "layer", "norm")
    at.sidebar.slider(key="w_hidden_layers").set_value(0).run()
    no_errors(at)
    after_cost = frame_with(charts(at)[0], "step", "cost")
    after = frame_with(charts(at)[1], "step", "layer", "norm")
    assert set(before.layer) == {"layer 1 (input side)", "layer 2 (output)"}
    assert set(after.layer) == {"layer 1 (input → output)"}
    assert after_cost.cost.min() >= 0.69  # a perceptron cannot beat ln 2 on XOR


@pytest.mark.slow
def test_state_survives_page_switches():
    at = app(steps="400", act="tanh")  # settings from the link …
    at.sidebar.slider(key="w_width").set_value(5).run()  # … and from a widget
    for page in PAGES[1:] + PAGES[:1]:
        at.switch_page(page).run()
        no_errors(at)
        assert "Lesson" in page or at.sidebar.slider(key="w_width").value == 5, page
        s = at.session_state
        assert (s["width"], s["steps"], s["activation"], s["hidden_layers"], s["lr"]) == (5, 400, "tanh", 1, 1.0), page
        assert dict(at.query_params) == {"steps": "400", "width": "5", "act": "tanh"}, page


def test_bad_url_values_fall_back_with_a_note():
    at = app(width="999", lr="0.7", act="gelu", steps="-5", bogus="1", seed="abc")
    no_errors(at)
    notes = " ".join(w.value for w in at.warning)
    for text in ("width=999", "lr=0.7", "act=gelu", "steps=\\-5", "bogus", "seed=abc"):
        assert text in notes, text
    assert at.sidebar.slider(key="w_width").value == 2 and at.sidebar.select_slider(key="w_lr").value == 1.0
    assert at.session_state["steps"] == 10_001
    assert not [w for w in at.sidebar.number_input if w.key == "w_steps"]  # "Advanced" stays folded (nothing changed)


def test_url_sets_every_control():
    at = app(data="circle", layers="2", width="6", act="tanh", init="xavier", lr="0.1", backend="autograd",
             device="cpu", steps="200", seed="5")
    no_errors(at)
    assert not at.warning
    s = at.session_state
    assert (s["dataset"], s["hidden_layers"], s["width"], s["activation"], s["init"], s["lr"], s["backend"],
            s["device"], s["steps"], s["seed"]) == ("circle", 2, 6, "tanh", "xavier", 0.1, "autograd", "cpu", 200, 5)
    assert "2-6-6-1 tanh, lr 0.1, autograd, circle, seed 5" in at.subheader[0].value


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_a_link_names_a_setting_by_its_short_name_as_links_always_have_or_by_its_field():
    """Links made so far say ?layers=3&act=tanh (ui.state.URL_NAMES, the one table of short names); the code
    and a hand-written link may say hidden_layers and activation. Both open the same view, and the app writes
    the short form. The same for presenter mode's _hide, a pinned run and the Map's axes."""
    short = app(layers="3", act="tanh", opt="adam", data="circle", test="0.2", batch="8", layers_hide="1",
                steps="100")
    full = app(hidden_layers="3", activation="tanh", optimizer="adam", dataset="circle", test_fraction="0.2",
               batch_size="8", hidden_layers_hide="1", steps="100")
    for at in (short, full):
        no_errors(at)
        notes = [w.value for w in at.warning if w.icon == "🔗"]  # the link's notes (Adam at lr 1 has its own)
        assert not notes, notes  # no "unknown parameter" note for either name
        s = at.session_state
        assert (s["hidden_layers"], s["activation"], s["optimizer"], s["dataset"], s["test_fraction"],
                s["batch_size"], s["hidden_layers_hide"]) == (3, "tanh", "adam", "circle", 0.2, 8, True)
        assert not [w for w in at.sidebar.slider if w.key == "w_hidden_layers"]  # hidden by the presenter's link
        assert dict(at.query_params) == {"layers": "3", "act": "tanh", "opt": "adam", "data": "circle",
                                         "test": "0.2", "batch": "8", "layers_hide": "1", "steps": "100"}
    assert ui.parse_pins("layers:3,opt:adam~hidden_layers:0") == (
        (("hidden_layers", 3), ("optimizer", "adam")), (("hidden_layers", 0),))
    assert ui.BY_KEY["own_points"].key == "own_points" and ui.url_name("own_points") == "pts"
    for name in ("layers", "hidden_layers"):
        at = app("pages/6_Map.py", map_rows=name, map_cols="act", map_seeds="8", steps="40", width="2")
        no_errors(at)
        assert (at.session_state["map_rows"], at.session_state["map_cols"]) == ("hidden_layers", "activation")
        assert (at.query_params["map_rows"], at.query_params["map_cols"]) == ("layers", "act")


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_presets_set_the_seed_nets():
    at = app()
    at.sidebar.pills(key="w_preset").set_value("preset.seed_deep").run()
    no_errors(at)
    assert (at.sidebar.slider(key="w_hidden_layers").value, at.sidebar.slider(key="w_width").value) == (3, 10)
    assert at.session_state["steps"] == 10_001
    assert at.sidebar.pills(key="w_preset").value is None  # a one-shot: no preset stays selected
    at.sidebar.pills(key="w_preset").set_value("preset.zero").run()
    no_errors(at)
    assert at.session_state["init"] == "zeros"
    assert not [w for w in at.sidebar.selectbox if w.key == "w_init"]  # "Advanced" stays folded, and says what changed
    assert "Changed from the defaults: Initial weights" in [c.value for c in at.sidebar.caption]
    assert any("saddle point" in i.value for i in at.info)


def test_folded_advanced_names_what_a_link_changed_there_but_not_what_the_presenter_hides():
    at = app(init="zeros", seed="5", seed_hide="1")
    no_errors(at)
    assert not [w for w in at.sidebar.selectbox if w.key == "w_init"]  # folded: its widgets not drawn
    assert "Changed from the defaults: Initial weights, Steps" in [c.value for c in at.sidebar.caption]  # (app()'s 300)
    assert at.session_state["seed"] == 5  # (the hidden seed is still the link's)


def test_cuda_without_a_gpu_is_a_note_not_a_crash():
    at = app(device="cuda")
    no_errors(at)
    if not torch_has_cuda():
        assert any("unavailable" in w.value for w in at.sidebar.warning)
        assert any(m.value == "cpu" for m in at.metric)


def test_divergence_is_explained_and_the_curve_kept():
    at = app("pages/1_Train.py", lr="10", act="relu", layers="8", width="64", steps="200", init="normal")
    no_errors(at)
    assert any("lower learning rate" in e.value for e in [*at.error, *at.warning])
    assert len(charts(at)) == 6  # boundary, network, cost, gradients, the units, their gradients
    below = i18n.tr("msg.below", "en")  # the first screen says there is a note under the pictures …
    assert [c.value for c in at.caption].count(below) == 1
    assert below not in [c.value for c in app("pages/1_Train.py", steps="300").caption]  # … only when there is one


def test_train_page_boundary_and_diagram_follow_the_step():
    at = app("pages/1_Train.py", logy="1", at="0")
    no_errors(at)
    assert at.toggle(key="w_logy").value is True and at.slider(key="w_at").value == 0
    boundary, diagram = charts(at)[0], charts(at)[1]  # Train's first screen: boundary, net, cost, gradients
    grid = frame_with(boundary, "x1", "x2", "p")
    assert len(grid) == 41 * 41 and grid.p.between(0, 1).all()
    edges = frame_with(diagram, "w", "abs", "sign")
    config = mlp.Config(steps=300, device="cpu")
    run = mlp.train(config)
    W, _ = run.params_at(0)
    assert len(edges) == 2 * 2 + 2 * 1
    np.testing.assert_allclose(sorted(edges.w), sorted(np.concatenate([W[0].ravel(), W[1].ravel()])), rtol=1e-6)
    at.slider(key="w_at").set_value(150).run()  # any step, not only the kept snapshots: its exact weights
    no_errors(at)
    grid = frame_with(charts(at)[0], "x1", "x2", "p")
    points = np.stack([(grid.x1 + grid.x1_end) / 2, (grid.x2 + grid.x2_end) / 2], 1)
    exact = run.predict(points, 150, params=mlp.inspection.params_at_step(config, 150))
    np.testing.assert_allclose(grid.p.to_numpy(), exact, atol=1e-6)
    at.slider(key="w_at").set_value(299).run()  # the last step: kept as "the end", whatever the run's length
    assert at.session_state["at"] == ui.END and "at" not in at.query_params


def test_chain_rule_page_shows_the_real_source_and_the_oracle_table():
    at = app("pages/2_Chain_rule.py", step="50")
    no_errors(at)
    assert at.code[0].value.strip() == inspect.getsource(backprop.backward).strip()
    # shown at the page's whole width below the equations, it fits there unwrapped (~92 columns at 1366 wide), as
    # does every other source the page can show: the step, each loss's first line of the backward pass, each rule
    shown = [backprop.backward, mlp.step.chain_rule_step, *(loss.delta for loss in mlp.losses.LOSSES.values()),
             *mlp.optim.RULES.values()]
    assert max(len(line) for f in shown for line in inspect.getsource(f).splitlines()) <= 90
    step = [e for e in at.expander if "mlp/step.py" in e.label]  # and the step that calls it, as it runs
    assert len(step) == 1 and step[0].code[0].value.strip() == inspect.getsource(mlp.step.chain_rule_step).strip()
    assert at.slider(key="w_step").value == 50
    table = at.table[-1].value
    assert list(table["parameter"]) == ["W1", "b1", "W2", "b2"]
    assert (table["max |hand − autograd|"] < 1e-12).all() and (table["agree"] == "✓").all()


def test_chain_rule_lab_convention_shows_its_error_and_curve():
    at = app("pages/2_Chain_rule.py", lab="1", step="10")
    no_errors(at)
    table = at.table[-1].value.set_index("parameter")
    assert table.loc["W1", "agree"] == "✗" and table.loc["b1", "agree"] == "✓"
    np.testing.assert_allclose(table.loc["W2", "‖hand-written‖"], 4 * table.loc["W2", "‖autograd‖"], rtol=1e-9)
    assert len(charts(at)) == 6  # the four pictures at the step, then the two conventions' cost and gradients
    assert len(set(frame_with(charts(at)[-2], "step", "cost", "run").run)) == 2


def test_compare_pins_and_unpins():
    at = app("pages/3_Compare.py")
    no_errors(at)
    assert not charts(at)
    at.button(key="pin_current").click().run()  # pin the current run
    at.button(key="pin_seed_1").click().run()  # pin the seed's 2-10-10-10-1 (the very net the notebook printed)
    no_errors(at)
    runs = set(frame_with(charts(at)[0], "step", "cost", "run").run)
    assert len(runs) == 2 and any("2-10-10-10-1" in r for r in runs)
    # each run's whole label is listed above; in the legend a long one ends in "…" within the plot's width (it ran
    # past the chart's column, cut mid-word)
    legend = json.loads(charts(at)[0].proto.spec)["layer"][0]["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == {"expr": "width - 24"}
    # each listed run starts with a swatch in its curves' colour (the chart's colour scale, run by run)
    colour = json.loads(charts(at)[0].proto.spec)["layer"][0]["encoding"]["color"]["scale"]
    listed = [m.value for m in at.markdown if "━━" in m.value]
    assert len(listed) == 2 and colour["domain"] == sorted(runs)
    for line, label, hex_ in zip(listed, colour["domain"], colour["range"]):
        assert f'color: {hex_}"' in line and label.split(". ", 1)[1] in line, (line, label, hex_)
    at.button(key="unpin_0").click().run()
    assert len(set(frame_with(charts(at)[0], "step", "cost", "run").run)) == 1


def test_history_csv_has_every_step_and_layer():
    run = mlp.train(mlp.Config(steps=50, hidden_layers=2, width=3))
    lines = ui.history_csv(run).splitlines()
    assert lines[0] == "step,cost,accuracy,grad_norm_W1,grad_norm_W2,grad_norm_W3" and len(lines) == 51
    assert float(lines[1].split(",")[1]) == run.cost[0]


def test_parse_query_never_raises_on_hostile_values():
    nasty = ["", " ", "nan", "inf", "-inf", "1e309", "9" * 400, "０", "٣", "1.5", "0x10", "<script>", "`", "[x](y)",
             "\u202e", "\x00", "${7*7}", "__import__('os')", "1;2", "%00", "true", "-0"]
    for key in [c.key for c in ui.CONTROLS] + ["pins", "logy", "zzz"]:
        for value in nasty:
            controls = ui.CONTROLS + ui.VIEW + [ui.Control("pins", "", "ctl.pins", (), "pins"),
                                                ui.Control("logy", "", "ctl.logy", False, "bool")]
            values, notes = ui.parse_query({key: [value, value]}, controls, lang="ko" if len(value) % 2 else "en")
            for note in notes:
                assert "<script>" not in note and "`" not in note.replace("\\`", "")
            if key in values and key in ui.BY_KEY:
                mlp.Config(**{ui.BY_KEY[key].field: values[key]})  # whatever passed is a valid setting


def test_run_store_is_bounded():
    store = ui.RunStore(max_entries=3)
    for seed in range(5):
        config = mlp.Config(steps=20, seed=seed)
        store.put(config, mlp.train(config))
    assert len(store.runs) == 3 and store.get(mlp.Config(steps=20, seed=0)) is None
    assert store.get(mlp.Config(steps=20, seed=4)) is not None


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_robustness_page_counts_stuck_seeds_and_links_them_to_train():
    at = app("pages/4_Robustness.py", steps="10001", n="20", seed="0")
    no_errors(at)
    sw = mlp.sweep(mlp.Config(seed=0), 20)
    assert at.metric[0].value == f"{sw.solved_fraction:.0%}"
    assert at.metric[2].value == str(int(sw.stuck.sum())) and sw.stuck.any()
    curves, solved_hist, cost_hist = charts(at)
    lines = frame_with(curves, "seed", "step", "cost", "outcome")
    assert set(lines.seed) == set(sw.seeds) and set(lines.outcome) == {"solved", "stuck"}
    bars = frame_with(cost_hist, "from", "to", "seeds", "outcome")  # final costs, stuck seeds apart
    assert bars[bars.outcome == "stuck"].seeds.sum() == sw.stuck.sum()
    assert bars[bars.outcome == "solved"].seeds.sum() == (~sw.stuck).sum()
    assert frame_with(solved_hist, "from", "to", "seeds").seeds.sum() == (~sw.stuck).sum()
    assert any("median cost of 0.347" in c.value for c in at.caption)  # the 2-2-1 local minimum, computed
    net = "**Net:** 2-2-1 sigmoid, lr 1, manual, xor, seed 0 and the seeds after it, 10,001 steps, init default"
    assert any(c.value.startswith(net) for c in at.caption)  # which net (a following student's sidebar has none)
    median = frame_with(curves, "step", "cost")
    assert len(median) == len(sw.steps)
    links = at.markdown[-1].value
    for seed in sw.seeds[sw.stuck]:
        assert f"[seed {seed}](Train?seed={seed})" in links  # the Train page at that seed, other settings default
    assert "Seeds" in at.slider[0].label and at.slider(key="w_n").value == 20


def test_robustness_draws_the_largest_sweep():
    at = app("pages/4_Robustness.py", steps="2000", n="1024", seed="0")
    no_errors(at)
    assert not at.error
    curves = charts(at)[0]
    lines = frame_with(curves, "seed", "step", "cost", "outcome")
    # 1,024 seeds: 256 faint curves (ui.comparisons.sweep_curves' max_curves) of 48 points each: every one is there,
    # 12,288 rows, more than Altair's default guard of 5,000 lets through
    assert lines.seed.nunique() == 256 and len(lines) == 256 * 48
    assert sum(len(d.data.data) for d in curves.proto.datasets) <= 300_000  # still within one redraw's budget


def test_robustness_offers_more_seeds_only_where_the_device_holds_them():
    at = app("pages/4_Robustness.py", n="5000", steps="50")  # allowed in a link (a GPU takes 65,536) …
    no_errors(at)
    assert at.slider(key="w_n").value == at.session_state["n"] == mlp.max_seeds(mlp.Config(device="auto"))
    if not torch_has_cuda():  # … but here, on the cpu, one sweep trains 1,024 at most: said, and used
        assert any("5,000 seeds is more than" in w.value for w in at.warning) and at.session_state["n"] == 1024


def torch_has_cuda():
    import torch

    return torch.cuda.is_available()


def test_robustness_with_autograd_explains_and_still_runs():
    at = app("pages/4_Robustness.py", backend="autograd", n="4")
    no_errors(at)
    assert any("hand-written chain rule" in i.value for i in at.info)
    assert len(charts(at)) == 3


def test_step_through_buttons_move_the_chain_rule_step():
    at = app("pages/2_Chain_rule.py", steps="400")
    no_errors(at)

    def press(label):
        [b for b in at.button if b.label == label][0].click().run()
        no_errors(at)

    press("Step")
    assert at.session_state["step"] == 1 and at.slider(key="w_step").value == 1
    press("Step ×10")
    assert at.session_state["step"] == 11
    d = mlp.inspect_step(mlp.Config(steps=400), 11)
    assert any(f"{d.cost:.6g}" in x.value for x in at.latex)  # the cost equation shows step 11's cost
    press("Reset")
    assert at.session_state["step"] == 0


@pytest.mark.slow  # Vega in vl_convert starts in ~2 s
@pytest.mark.parametrize("step", [1, 11])
def test_the_curves_so_far_end_in_a_dot_at_the_step_shown(step):
    """At step 1 of 400 a line alone draws nothing to see: a dot marks the step on the cost curve, one a layer on the
    gradient sizes, each at the run's own number (as drawn: the chart's float32, printed to 10 digits by Vega)."""
    at = app("pages/2_Chain_rule.py", steps="400", step=str(step))
    no_errors(at)
    run = mlp.train(mlp.Config(steps=400, device="cpu"))
    cost, grads = charts(at)[2], charts(at)[3]  # the boundary, the net, then the two curves

    def dots(chart):  # the points the chart draws (Vega picks the last step's rows itself), by their labels
        found = re.findall(r'aria-label="step: (\d+); \w+: ([^;"]+)[^"]*" role="graphics-symbol" '
                           r'aria-roledescription="point"', svg(chart))
        return sorted((float(value), int(s)) for s, value in found)

    [(value, at_step)] = dots(cost)
    assert at_step == step and np.isclose(value, run.cost[step], rtol=1e-6, atol=0)
    values, steps = zip(*dots(grads))
    assert steps == (step, step)  # one a layer
    np.testing.assert_allclose(values, sorted(run.grad_norms[step]), rtol=1e-6)
    # the gradient axis is labelled at each power of ten it spans, nothing between ("3e-1, 1e-1, 2e-2" was hard to
    # read): 0.1 and 0.01 as decimals, then 1e-3 … (0.000001 took eight characters: charts.DECADE_LABELS)
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg(grads), re.S)
    labels = [t for g in groups for t in re.findall(r"<text[^>]*>([^<]+)</text>", g) if "e" in t or "." in t]
    assert len(labels) >= 2 and all(re.fullmatch(r"0\.0?1|1e-([3-9]|\d\d)", t) for t in labels), labels


def test_play_advances_until_the_last_step():
    at = app("pages/2_Chain_rule.py", steps="3")
    at.button(key="b_play_step").click().run()  # ×10 a frame: the first frame reaches the last step and stops
    no_errors(at)
    assert at.session_state["step"] == 2 and not at.session_state["_playing_step"]


@pytest.mark.parametrize("page,key", [("pages/1_Train.py", "at"), ("pages/2_Chain_rule.py", "step")])
def test_play_at_the_end_of_a_run_replays_it_from_step_0(page, key):
    at = app(page, steps="1000", speed="100", **({"step": "999"} if key == "step" else {}))
    no_errors(at)
    play = at.button(key=f"b_play_{key}")
    assert play.label == "Replay the training" and not play.disabled  # a first visit to Train shows the end
    play.click().run()
    no_errors(at)
    assert at.session_state[key] == 100 and at.session_state[f"_playing_{key}"]  # from 0, one frame on (×100)
    assert at.slider(key=f"w_{key}").value == 100


def test_play_moves_by_the_chosen_speed_and_pause_shows_the_numbers_there():
    at = app("pages/2_Chain_rule.py", steps="1000", speed="100")
    assert at.session_state["speed"] == "100"
    at.button(key="b_play_step").click().run()  # the page's run draws the first frame: 100 steps on
    no_errors(at)
    assert at.session_state["step"] == 100 and at.session_state["_playing_step"]
    assert at.slider(key="w_step").value == 100 and any("100 steps a frame" in i.value for i in at.info)
    assert not at.latex  # the numbers wait for Pause
    cost = frame_with(charts(at)[2], "step", "cost")
    assert cost.step.max() == 100  # the cost curve so far
    at.button(key="b_pause_step").click().run()
    no_errors(at)
    assert at.session_state["step"] == 100 and not at.session_state["_playing_step"]
    d = mlp.inspect_step(mlp.Config(steps=1000), 100)
    assert any(f"{d.cost:.6g}" in x.value for x in at.latex)  # the numbers follow on Pause


def test_presenter_link_hides_the_chosen_controls():
    at = app("pages/5_Presenter.py", layers="3", lang="ko")
    no_errors(at)
    at.multiselect(key="presenter_hidden").set_value(["width", "lr"]).run()
    link = at.code[0].value
    assert link.startswith("./?") and "presenter=1" in link  # Home, the first page offered (no browser here)
    assert "width_hide=1" in link and "lr_hide=1" in link and "layers=3" in link and "lang=ko" in link
    students = at.code[1].value  # the same view without the presenter's own settings, and its QR code
    assert "layers=3" in students and "lang=ko" in students and "presenter" not in students and "_hide" not in students
    assert at.get("image")[0].proto.imgs[0].url.endswith(".png")  # the QR code, sent as made (ui.qr_code)
    shown = app("streamlit_app.py", presenter="1", width_hide="1", lr_hide="1", steps="200")
    no_errors(shown)
    keys = {w.key for w in shown.sidebar.slider} | {w.key for w in shown.sidebar.select_slider}
    assert "w_hidden_layers" in keys and "w_width" not in keys and "w_lr" not in keys
    assert shown.session_state["presenter"] is True
    assert json.loads(charts(shown)[0].proto.spec)["config"]["axis"]["labelFontSize"] == 18  # projector-sized
    bottom = shown.code[-1].value  # the students' link at the bottom, beside its QR code
    assert "steps=200" in bottom and "presenter" not in bottom and "_hide" not in bottom
    assert shown.get("image")[0].proto.imgs[0].url.endswith(".png")  # (st.image's own choice: a JPEG, resized)


@pytest.mark.parametrize("side", [220, 260])
def test_a_qr_code_is_made_at_a_whole_number_of_pixels_a_module_within_its_side(side):
    """The students' link's QR code (ui.widgets.qr_png): as wide as it says and within `side`, each module a whole
    number of pixels (the most that fit), so st.image, given that width and PNG, sends it as made: not resized (a
    module of ~6 blurred pixels) nor re-encoded as a JPEG. Read off the code's timing pattern (row 6: dark and light
    modules alternating between the finder patterns): runs of exactly one module's pixels, pure black and white."""
    import io

    import segno
    from PIL import Image

    from ui.widgets import qr_png

    long = "http://10.0.0.1:8501/Lesson?class=WMWMW&a=" + "a" * 88  # (a larger code: more modules)
    for url in ("http://192.168.0.12:8501/Train?layers=3&lang=ko", long):
        png, width = qr_png(url, side)
        image = Image.open(io.BytesIO(png)).convert("L")
        modules = segno.make(url, error="m").symbol_size(scale=1, border=2)[0]
        scale, left = divmod(width, modules)
        assert image.size == (width, width) and width <= side < width + modules and left == 0 and scale >= 1
        y = (2 + 6) * scale + scale // 2  # the middle of the timing pattern's row (2: the quiet zone's modules)
        row = [image.getpixel((x, y)) for x in range((2 + 8) * scale, (modules - 2 - 8) * scale)]
        assert set(row) <= {0, 255}
        runs = [len(list(group)) for _, group in itertools.groupby(row)]
        assert runs and set(runs) == {scale}, runs


def test_train_page_offers_csv_json_png_and_svg_under_other_formats():
    at = app("pages/1_Train.py")
    no_errors(at)
    others = {"Download history (CSV)", "Download config (JSON)", "Charts as PNG", "Charts as SVG"}
    names = {b.proto.label for b in at.get("download_button")}
    assert "Download as notebook (.ipynb)" in names and not others & names  # folded: drawn once opened
    at.session_state["more_train"] = True  # the student opens "Other formats"
    at.run()
    no_errors(at)
    assert others <= {b.proto.label for b in at.get("download_button")}


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_chart_exports_render_on_the_server():
    import vl_convert

    run = mlp.train(mlp.Config(steps=300))
    spec = ui.charts.training_charts(run).to_dict()
    png, svg = vl_convert.vegalite_to_png(spec), vl_convert.vegalite_to_svg(spec)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert svg.lstrip().startswith("<svg") and "Cost per step" in svg and "(cross-entropy)" in svg


@pytest.mark.parametrize("params", [dict(steps="10001"),
                                    pytest.param(dict(steps="20000", layers="8", width="3"), marks=pytest.mark.slow)])
def test_one_chart_redraw_sends_under_300_kb(params):
    """Long histories are downsampled: a chart's spec and data together stay under 300 KB."""
    at = app("pages/1_Train.py", **params)
    no_errors(at)
    for chart in charts(at):
        size = len(chart.proto.spec) + sum(len(ds.data.data) for ds in chart.proto.datasets)
        assert size < 300_000, size


def test_a_downsampled_seed_curve_keeps_the_plateau_and_the_drop():
    run = mlp.train(mlp.Config())
    idx = ui.charts.sample_steps(run.cost)
    assert idx[0] == 0 and idx[-1] == 10_000 and len(idx) <= ui.charts.MAX_POINTS
    plateau = idx[(idx > 100) & (idx < 1800)]
    drop = idx[(run.cost[idx] < 0.6) & (run.cost[idx] > 0.05)]
    assert len(plateau) >= 20 and len(drop) >= 10  # both the flat part and the fall are drawn in detail


@pytest.mark.parametrize("build", ["cost_chart", "gradient_chart"])
def test_a_chart_whose_numbers_changed_keeps_its_spec_so_the_browser_updates_it_in_place(build):
    slow, fast = (ui.vega_lite_spec(getattr(ui.charts, build)(mlp.train(mlp.Config(steps=300, lr=lr))))
                  for lr in (0.1, 1.0))

    def without_data(spec):  # Altair numbers its views by a global counter; Streamlit renames them stably
        return re.sub(r'"view_\w+"', '"view"', json.dumps({k: v for k, v in spec.items() if k != "datasets"}))

    assert without_data(slow) == without_data(fast)
    assert list(slow["datasets"]) == list(fast["datasets"]) == ["table_0"]  # never Vega-Lite's data_N
    assert not slow["datasets"]["table_0"].equals(fast["datasets"]["table_0"])  # the numbers did change
    assert slow["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_the_chart_of_a_finished_run_is_built_once_however_often_it_is_drawn():
    import streamlit as st

    st.cache_resource.clear()  # an empty run store: another test's run of this config would come with its chart

    def script():
        import streamlit as st

        import mlp
        import ui

        def counted(run, **kwargs):
            st.session_state["built"] = st.session_state.get("built", 0) + 1
            return ui.charts.training_charts(run, **kwargs)

        run = ui.train(mlp.Config(steps=200, seed=4))
        ui.chart_of(counted, run, lang="en")
        ui.chart_of(counted, run, lang="ko")  # other arguments: another chart

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["built"] == 2 and len(charts(at)) == 2


def test_the_chart_of_finished_runs_side_by_side_is_built_once_per_labels_and_runs():
    """Compare, the Lesson and a live class's reveal draw lists of (label, run): a follower taking the lecturer's
    page over redraws them without building them again."""
    import streamlit as st

    st.cache_resource.clear()

    def script():
        import streamlit as st

        import mlp
        import ui

        def counted(runs, **kwargs):
            st.session_state["built"] = st.session_state.get("built", 0) + 1
            return ui.comparisons.compare_cost_chart(runs, **kwargs)

        a, b = ui.train(mlp.Config(steps=200, seed=4)), ui.train(mlp.Config(steps=200, seed=5))
        ui.chart_of(counted, [("a", a), ("b", b)], lang="en", logs=[("log", [(0, 0.7), (100, 0.6)])])
        ui.chart_of(counted, [("b", b), ("a", a)], lang="en", logs=[("log", [(0, 0.7), (100, 0.6)])])  # in turn
        ui.chart_of(counted, [("one", a), ("b", b)], lang="en", logs=[("log", [(0, 0.7), (100, 0.6)])])  # relabelled

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    at.run()
    assert not at.exception
    assert at.session_state["built"] == 3 and len(charts(at)) == 3


@pytest.mark.slow
def test_exactly_zero_gradients_keep_the_step_axis_and_are_named():
    at = app("pages/1_Train.py", lr="10", act="relu", layers="8", width="64", steps="2000")
    no_errors(at)
    cost_chart, grad_chart = charts(at)[2:4]  # beside the boundary and the net
    for chart in (cost_chart, grad_chart):  # one step axis for both, to the end of the run
        assert json.loads(chart.proto.spec)["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 1999]
    marks = frame_with(grad_chart, "layer", "step", "note")  # where each layer's gradient becomes exactly 0
    run = mlp.train(mlp.Config(lr=10, activation="relu", hidden_layers=8, width=64, steps=2000, device="cpu"))
    first_zero = run.zero_gradient_from()
    assert first_zero[0] is not None and (run.grad_norms[first_zero[0]:] == 0).all()
    assert sorted(marks.step) == sorted(s for s in first_zero if s is not None)
    assert any("Dead relus" in i.value for i in at.info)
    zero = app("pages/1_Train.py", init="zeros")
    no_errors(zero)
    note = frame_with(charts(zero)[3], "t")
    assert note.t[0] == "every gradient\nis exactly\u00a00\nat every step"  # wrapped to fit a quarter of the page
    assert any("saddle point" in i.value for i in zero.info)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_each_units_picture_is_that_units_activation_over_the_plane():
    at = app("pages/1_Train.py", init="notebook", at="3000", steps="10001")
    no_errors(at)
    config = mlp.Config(init="notebook", device="cpu")
    params = mlp.inspection.params_at_step(config, 3000).astype(np.float64)
    W1, b1 = params[:4].reshape(2, 2), params[4:6]  # the flat layout: W_1 (in, out), then b_1, then W_2, b_2
    W2, b2 = params[6:8].reshape(2, 1), params[8:9]
    units = frame_with(charts(at)[4], "unit", "order", "ix", "iy", "x1", "x2", "value")
    centre = np.stack([units.x1, units.x2], 1).astype(np.float64)
    hidden = 1 / (1 + np.exp(-(centre @ W1 + b1)))  # what a hidden unit computes, written here from the slide
    np.testing.assert_allclose(units.value, hidden[np.arange(len(units)), units.order.to_numpy()], atol=1e-6)
    assert set(units.unit) == {"unit 1", "unit 2"} and len(units) == 2 * 15 * 15
    at.segmented_control(key="w_unit_layer").set_value(2).run()  # the output layer: ŷ itself
    output = frame_with(charts(at)[4], "unit", "order", "ix", "iy", "x1", "x2", "value")
    centre = np.stack([output.x1, output.x2], 1).astype(np.float64)
    y_hat = 1 / (1 + np.exp(-(1 / (1 + np.exp(-(centre @ W1 + b1))) @ W2 + b2)))[:, 0]
    np.testing.assert_allclose(output.value, y_hat, atol=1e-6)
    assert set(output.unit) == {"output ŷ"}  # the output is named as such, not "unit 1"
    assert at.session_state["unit_layer"] == 2 and "2" in at.query_params["unit_layer"]  # in the link too


@pytest.mark.slow
def test_importing_ui_has_no_side_effect_and_the_first_page_freezes_what_lives_forever_and_mends_the_hand_over():
    import gc
    import subprocess
    import sys
    from pathlib import Path

    from streamlit.runtime.app_session import AppSession

    root = Path(__file__).resolve().parent.parent
    said = "import gc, ui, altair; from streamlit.runtime import app_session as s; A = s.AppSession; " \
           "print(gc.get_freeze_count(), A.request_rerun.__name__, A._call_soon_on_event_loop.__name__, " \
           "s._populate_theme_msg.__name__, altair.utils.schemapi.DEBUG_MODE, " \
           "hasattr(__import__('streamlit.string_util').string_util.extract_leading_emoji, 'cache_info'))"
    frozen = subprocess.run([sys.executable, "-c", said], cwd=root,
                            capture_output=True, text=True, env={"PYTHONPATH": str(root), "PATH": ""}, timeout=120)
    # importing ui: nothing frozen, nothing mended, Altair's checks as they were
    assert frozen.stdout.split() == ["0", "request_rerun", "_call_soon_on_event_loop", "_populate_theme_msg", "True",
                                     "False"], frozen.stderr[-500:]
    no_errors(app())  # a page run: the first one of this process freezes the objects that live as long as it …
    assert gc.get_freeze_count() > 10_000
    assert AppSession.request_rerun.__name__ == "request_rerun_in_turn"  # … mends the hand-over (ui/handover.py) …
    assert AppSession._call_soon_on_event_loop.__name__ == "call_in_batches"  # … in batches …
    from streamlit.runtime import app_session

    assert app_session._populate_theme_msg.__name__ == "populate_once"  # … each run's theme made once …
    from streamlit import string_util
    from streamlit.elements import vega_charts

    for once in (string_util.extract_leading_emoji, vega_charts._stabilize_vega_json_spec):
        assert once.cache_info().maxsize  # … a label's leading emoji and a chart's stable spec worked out once …
    import altair

    assert altair.utils.schemapi.DEBUG_MODE is False  # … and leaves the charts' checks to ui.figures (once a shape)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_a_frame_the_browser_sends_back_after_play_does_not_move_the_step():
    """Under load a browser can send back the slider's value from a frame Play drew (its widget state lagging
    the last frame when the page reruns at the end): the run must stay at its end, ready to replay; a student's
    own move afterwards counts."""
    at = app("pages/1_Train.py", steps="700", speed="100")
    at.button(key="b_play_at").click().run()  # from step 0, ×100 a frame: 100 is drawn first
    no_errors(at)
    for _ in range(10):  # the timer's frames, to the end
        if not at.session_state["_playing_at"]:
            break
        at.run()
    assert not at.session_state["_playing_at"] and at.button(key="b_play_at").label == "Replay the training"
    at.slider(key="w_at").set_value(100).run()  # a frame Play drew, sent back by the browser
    assert at.session_state["at"] == ui.END and at.button(key="b_play_at").label == "Replay the training"
    at.slider(key="w_at").set_value(123).run()  # the student's own move
    assert at.session_state["at"] == 123 and at.button(key="b_play_at").label == "Play"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_unexpected_error_becomes_a_message_that_names_the_preset_as_the_sidebar_shows_it(language):
    """ui.guard: no traceback reaches the page; the message says what to try, by the preset button's own label."""

    def script():
        import streamlit as st

        import ui

        st.session_state.setdefault("lang", st.query_params.get("lang", "en"))
        with ui.guard():
            raise RuntimeError("<b>boom</b>")

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.query_params["lang"] = language
    at.run()
    assert not at.exception
    (error,) = at.error
    assert i18n.tr("preset.seed221", language) in error.value and "RuntimeError" in error.value
    assert "<b>" not in error.value  # the exception's text is shown escaped


@pytest.mark.parametrize("page, part", [("pages/1_Train.py", "units.unit_gradient_strip"),  # Train's step part
                                        ("pages/3_Compare.py", "comparison"),  # Compare's body
                                        ("pages/4_Robustness.py", "sweep")])  # Robustness's body
def test_an_error_inside_a_pages_fragment_is_a_message_not_a_traceback(monkeypatch, page, part):
    """A page's body, and Train's step part within it, are fragments (ui.body_fragment, ui.step_fragment), which
    Streamlit would show an error of as a traceback before page_frame's guard saw it: each guards its own."""
    owner, name = (ui, part) if "." not in part else (getattr(ui, part.split(".")[0]), part.split(".")[1])

    def broken(*args, **kwargs):
        raise RuntimeError("broken in the test")

    monkeypatch.setattr(owner, name, broken)
    at = app(page, pins="init:notebook")
    assert not at.exception, [e.value for e in at.exception]
    assert any("broken in the test" in e.value for e in at.error)
    assert at.title[0].value  # the page above it drawn
