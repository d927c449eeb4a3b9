"""Inside the net (app side): the students' own points (CSV, link, clicks), input features in the sidebar and
the link, each unit's gradient strip, and the Lesson's steps on the hidden units and the feature cross."""

import json

import numpy as np
import pytest
from memo import trained
from test_app import app, charts, frame_with, no_errors

import i18n
import mlp
import ui
from mlp.data import CORNERS
from mlp.logic import FUNCTIONS, hidden_logic, name
from ui import points as own

GOOD = b"x1,x2,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.5,0.5,1\n"


@pytest.mark.parametrize("content,expected", [
    (GOOD, 5),
    (b"\xef\xbb\xbfx1,x2,label\r\n0,0,0\r\n\r\n1,1,1\r\n", 2),  # Excel: a BOM, CRLF, a blank line
    (b"label,x2,x1\n1,0.25,-3e2\n", 1),  # the columns in any order, by their header
    (b"0,0,0\n1,1,1\n2.5,-1,1\n", 3),  # no header: x1,x2,label
    (b" X1 , x2,LABEL\n 0 , 1 , 1.0 \n", 1),
])
def test_a_good_csv_gives_its_points(content, expected):
    points = own.read_csv(content)
    assert len(points) == expected and all(label in (0, 1) for *_, label in points)
    assert own.read_csv(own.to_csv(points).encode()) == points  # what a student downloads uploads again
    if content.startswith(b"label"):
        assert points == ((-300.0, 0.25, 1),)


BAD_FILES = {  # name → (content, the message's key, a word the message must contain)
    "wrong columns": (b"a,b,c\n1,2,3\n", "points.columns", "a, b, c"),
    "text in a cell": (b"x1,x2,label\n0,0,0\n1,one,1\n", "points.row_number", "Row 3"),
    "nan": (b"x1,x2,label\n0,nan,0\n", "points.row_range", "Row 2"),
    "inf": (b"x1,x2,label\n0,0,0\n-inf,1,1\n", "points.row_range", "Row 3"),
    "label 2": (b"x1,x2,label\n0,0,2\n", "points.row_label", "Row 2"),
    "two columns": (b"x1,x2,label\n0,0,1\n1,1\n", "points.row_fields", "Row 3"),
    "too many rows": (b"x1,x2,label\n" + b"0,0,1\n" * 1001, "points.too_many", "1,001"),
    "empty file": (b"", "points.empty", "no points"),
    "header only": (b"x1,x2,label\n", "points.empty", "no points"),
    "50 MB": (b"0,0,1\n" * (50 * 2**20 // 6), "points.too_big", "50.0 MB"),
    "binary": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "points.binary", "not a text file"),
    "not utf-8": (b"x1,x2,label\n\xff\xfe,0,1\n", "points.binary", "not a text file"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_csv_names_what_is_wrong(case):
    content, key, word = BAD_FILES[case]
    with pytest.raises(own.PointsError) as e:
        own.read_csv(content)
    assert e.value.args[0] == key
    assert word in i18n.tr(key, "en", **e.value.args[1])


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_uploads_on_the_train_page_give_their_message_and_a_good_file_trains():
    at = app("pages/1_Train.py", data="own")
    no_errors(at)
    assert points_heading(at) == "Your points (4)"  # a fresh plane starts from XOR's four
    for case, (content, key, _) in BAD_FILES.items():
        at.file_uploader(key="own_csv").set_value((f"{case}.csv", content, "text/csv")).run()
        no_errors(at)
        errors = [e.value for e in at.error]
        assert any(e.startswith(i18n.tr(key, "en", **own_error_values(content))[:20]) for e in errors), (case, errors)
        assert points_heading(at) == "Your points (4)", case  # the points stay as they were
    at.file_uploader(key="own_csv").set_value(("good.csv", GOOD, "text/csv")).run()
    no_errors(at)
    assert not at.error and points_heading(at) == "Your points (5)"
    assert at.query_params["pts"] == "a0_0b0_1b1_0a1_1b0.5_0.5"  # the link carries them
    boundary = frame_with(charts(at)[0], "x1", "x2", "label")
    assert len(boundary) == 5 and boundary.x1.tolist() == [0, 0, 1, 1, 0.5]


def points_heading(at) -> str:
    """The heading of the Train page's own-points section: "Your points (n)"."""
    return [h.value for h in at.subheader if h.value.startswith("Your points")][0]


def own_error_values(content):
    try:
        own.read_csv(content)
    except own.PointsError as e:
        return e.args[1]
    raise AssertionError("not a bad file")


def test_own_points_come_from_the_link_and_many_points_say_the_link_cannot_carry_them():
    at = app("pages/1_Train.py", data="own", pts="a0_0b1_1b-0.5_2e-3a1.5_0.25")
    no_errors(at)
    assert points_heading(at) == "Your points (4)"
    assert frame_with(charts(at)[0], "x1", "x2", "label").x1.tolist() == [0, 1, -0.5, 1.5]
    assert own.from_url(own.to_url(((0.125, -7e-5, 1), (1e5, 3.0, 0)))) == ((0.125, -7e-5, 1), (1e5, 3.0, 0))
    assert own.to_url(((1 / 3, 0.0, 1),)) is None  # would round: a link does not carry it
    many = tuple((i / 1000, (i * 7 % 1000) / 1000, i % 2) for i in range(300))
    assert own.to_url(many) is None  # longer than a link should be
    at.file_uploader(key="own_csv").set_value(("many.csv", own.to_csv(many).encode(), "text/csv")).run()
    no_errors(at)
    assert points_heading(at) == "Your points (300)" and "pts" not in at.query_params
    assert any("does not carry your 300 points" in i.value for i in at.info)
    # the downloads: the config (JSON, as the page's "Download config" writes it) and the points (CSV)
    exported = json.loads(json.dumps(mlp.Config(dataset="own", own_points=many).to_dict()))
    assert mlp.Config(**{**exported, "own_points": tuple(map(tuple, exported["own_points"]))}).own_points == many
    assert [d.proto.label for d in at.get("download_button")][:1] == ["Points (CSV)"]


@pytest.mark.parametrize("value", ["a0_0b1", "c0_0_0", "a1e999_0", "a0_0" * 1001, "a0_0;b1_1", "", "a 0_0"])
def test_a_bad_pts_link_gets_a_note_and_xors_four_points(value):
    at = app("pages/1_Train.py", data="own", pts=value)
    no_errors(at)
    assert any("pts" in w.value for w in at.warning if w.icon == "🔗")
    assert points_heading(at) == "Your points (4)"


def test_features_from_the_link_reach_the_net_the_boundary_and_the_network_picture():
    at = app("pages/1_Train.py", features="x1x2-x1-x2", layers="0", steps="2000")
    no_errors(at)
    assert at.query_params["features"] == "x1-x2-x1x2"  # one order, whatever the link's
    assert any("(inputs x1, x2, x1x2)" in c.value for c in at.main.caption)  # the run's label
    config = mlp.Config(hidden_layers=0, features=("x1", "x2", "x1x2"), steps=2000, device="cpu")
    params = mlp.inspection.params_at_step(config, 1999)  # the pictures: the weights before the last step's update
    grid = frame_with(charts(at)[0], "x1", "x1_end", "x2", "x2_end", "p")
    cx, cy = (grid.x1 + grid.x1_end) / 2, (grid.x2 + grid.x2_end) / 2
    w, b = params[:3].astype(np.float64), float(params[3])
    expected = 1 / (1 + np.exp(-(cx * w[0] + cy * w[1] + cx * cy * w[2] + b)))  # the unit, written here
    np.testing.assert_allclose(grid.p, expected, atol=1e-5)
    nodes = frame_with(charts(at)[1], "x", "y", "unit", "bias", "name")
    assert nodes[nodes.x == 0].name.tolist() == ["x₁", "x₂", "x₁x₂"]
    assert "Changed from the defaults: Input features, Steps" in [c.value for c in at.sidebar.caption]  # folded
    at.session_state["advanced"] = True  # the student opens "Advanced"
    at.run()
    at.multiselect(key="w_features").set_value([]).run()  # emptied: the net keeps its inputs
    assert at.session_state["features"] == ("x1", "x2", "x1x2")
    at.multiselect(key="w_features").set_value(["sin_x2", "x1"]).run()
    assert at.session_state["features"] == ("x1", "sin_x2") and at.query_params["features"] == "x1-sin_x2"


def test_the_unit_gradient_strip_is_each_units_gradient_over_the_run():
    at = app("pages/1_Train.py", layers="2", width="3", steps="1200", init="normal", unit_layer="2")
    no_errors(at)
    run = mlp.train(mlp.Config(hidden_layers=2, width=3, steps=1200, init="normal", device="cpu"))
    strip = frame_with(charts(at)[5], "step", "step_end", "unit", "norm")
    assert sorted(set(strip.unit)) == [1, 2, 3] and len(strip) == 3 * 400
    for unit in (1, 3):
        got = strip[strip.unit == unit].sort_values("step")
        expected = run.unit_grad_norms[:, run.unit_columns(1)][:, unit - 1]
        np.testing.assert_allclose(got.norm, expected, rtol=1e-6)
        assert got.step.tolist() == run.unit_steps.tolist()


def test_logic_names_are_the_functions_their_tables_say():
    assert len(set(FUNCTIONS.values())) == 16
    assert name("0110") == "x₁ XOR x₂" and name("0111", "h₁", "h₂") == "h₁ OR h₂" and name("1110") == "NAND(x₁, x₂)"
    assert name("0010") == "x₁ AND NOT x₂" and name("0100") == "x₂ AND NOT x₁"  # values at 00, 01, 10, 11
    # a net built by hand: hidden OR and NAND, output AND of them (weights ±20, so every value is near 0 or 1)
    W = [np.array([[[20.0, -20.0], [20.0, -20.0]]]), np.array([[[20.0], [20.0]]])]
    b = [np.array([[[-10.0, 30.0]]]), np.array([[[-30.0]]])]
    logic = hidden_logic(W, b, "sigmoid")
    assert logic.names() == {"units": ["x₁ OR x₂", "NAND(x₁, x₂)"], "output": "h₁ AND h₂", "net": "x₁ XOR x₂"}
    with pytest.raises(ValueError, match="2-2-1"):
        hidden_logic([W[0], W[0], W[1]], [b[0], b[0], b[1]], "sigmoid")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_step_seven_names_what_the_seed_nets_units_learned(lang):
    at = app("pages/0_Lesson.py", lesson="7", lang=lang, steps="10001")
    no_errors(at)
    run = trained(mlp.Config(init="notebook", device="cpu"))
    names = hidden_logic(*run.params_at(run.steps_done), "sigmoid").names()
    # what the lab's printed net learned, as docs/pages.md tells a lecturer (another seed learns other units)
    assert names == {"units": ["x₂ AND NOT x₁", "x₁ AND NOT x₂"], "output": "h₁ OR h₂", "net": "x₁ XOR x₂"}
    if lang == "ko":  # each formula followed by how it reads in Korean (x₂만 1: only x₂ is 1)
        names = {"units": ["x₂ AND NOT x₁ (x₂만 1)", "x₁ AND NOT x₂ (x₁만 1)"],
                 "output": "h₁ OR h₂ (h₁과 h₂ 중 하나 이상이 1)", "net": "x₁ XOR x₂ (x₁과 x₂ 중 하나만 1)"}
    sentence = i18n.tr("lesson.units_sentence", lang, h1=names["units"][0], h2=names["units"][1], out=names["output"],
                       net=names["net"])
    assert any(m.value == sentence for m in at.markdown)
    table = at.table[0].value
    h1 = run.activations(CORNERS)[0][:, 0]  # the first hidden unit at the four points, from the trained run
    assert table["h₁"].tolist() == [f"{v:.2f} → {int(v > 0.5)}" for v in h1]
    assert len(charts(at)) == 2  # the hidden units' pictures and the output's


def test_lesson_step_eight_solves_xor_with_one_unit_and_a_feature_cross():
    at = app("pages/0_Lesson.py", lesson="8", steps="10001")
    no_errors(at)
    learned = [m.value for m in at.markdown if m.value.startswith("**Learned:**")][0]
    assert "·x₁x₂" in learned and learned.endswith("✓")
    [b for b in at.button if b.label == i18n.tr("lesson.apply")][0].click().run()
    assert at.session_state["features"] == ("x1", "x2", "x1x2") and at.session_state["hidden_layers"] == 0


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_the_seed_presets_put_the_inputs_back():
    at = app("pages/1_Train.py", features="x1-x2-x1x2")
    at.sidebar.pills(key="w_preset").set_value("preset.seed221").run()
    assert at.session_state["features"] == ("x1", "x2")
    assert ui.PRESETS["preset.seed221"]["features"] == ui.DEFAULTS.features
