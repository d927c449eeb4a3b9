"""Charts kept ready to send (ui/figures.py): what makes a cached page cheap when a lecture hall opens it."""

import json
import re
import weakref
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest
from test_app import TIMEOUT, charts

import mlp
import ui
from ui import figures


@pytest.fixture()
def fresh_store():
    """An empty run store: the counts below hold whatever other tests in this process trained (the same config's
    run would otherwise come from the store with its charts already built)."""
    import streamlit as st

    st.cache_resource.clear()


def test_a_paused_picture_of_a_finished_run_is_made_once_and_sent_as_built(fresh_store):
    def script():
        import streamlit as st

        import mlp
        import ui

        def count(name):
            st.session_state[name] = st.session_state.get(name, 0) + 1

        def frames():
            count("frames")
            return ui.network.network_frames(run, last, run.snapshots[last], lang="en", titled=False)

        def build(run, **kwargs):
            count("built")
            return ui.network.network_diagram(run, **kwargs)

        run = ui.train(mlp.Config(steps=300, seed=5))
        last = run.steps_done - 1
        ui.animated(build, frames, run, still=(run, last), lang="en")  # paused at the last step
        ui.animated(build, frames, run, still=None, lang="en")  # playing: made every time, template kept

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    first = [(d.name, d.data.data) for d in charts(at)[0].proto.datasets]
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["built"] == 1  # one Altair template for both
    assert at.session_state["frames"] == 1 + 3  # the paused picture once; the playing one every run
    assert [(d.name, d.data.data) for d in charts(at)[0].proto.datasets] == first  # the same bytes each time
    assert [(d.name, d.data.data) for d in charts(at)[1].proto.datasets] == first  # … as Streamlit makes them


def test_a_kept_charts_bytes_are_the_bytes_streamlit_makes_from_its_tables(fresh_store):
    def script():
        import mlp
        import ui

        run = ui.train(mlp.Config(steps=300, seed=6))
        ui.chart_of(ui.charts.cost_chart, run, False, lang="en")  # kept: Arrow bytes made once, here
        ui.figures.chart(ui.charts.cost_chart(run, False, lang="en"))  # DataFrames: Streamlit converts them

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception
    kept, fresh = charts(at)[:2]
    assert [d.data.data for d in kept.proto.datasets] == [d.data.data for d in fresh.proto.datasets]
    assert kept.proto.spec == fresh.proto.spec


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_no_pictures_spec_depends_on_the_seed_or_the_learning_rate():
    """Why two students' seeds may share a picture's template (ui.animated keys it without them)."""
    def specs(config):
        run = mlp.train(config)
        last = run.steps_done - 1
        P = run.snapshots[last]
        built = [ui.charts.decision_boundary(run, frames=ui.charts.boundary_frames(run, last, P, lang="ko",
                                                                                  titled=False), lang="ko"),
                 ui.network.network_diagram(run, frames=ui.network.network_frames(run, last, P, lang="ko",
                                                                                titled=False), lang="ko"),
                 ui.units.unit_maps(run, frames=ui.units.unit_frames(run, 0, last, P, lang="ko"), layer=0,
                                    lang="ko"),
                 ui.charts.cost_chart(run, frames=ui.charts.cost_frames(run, lang="ko"), lang="ko"),
                 ui.charts.gradient_chart(run, frames=ui.charts.gradient_frames(run, lang="ko"), lang="ko")]
        out = []
        for chart in built:
            spec = figures.vega_lite_spec(chart)
            spec.pop("datasets", None)
            out.append(re.sub(r'"view_\w+"', '"view"', json.dumps(spec, sort_keys=True)))
        return out

    for config in (mlp.Config(steps=200, hidden_layers=2, width=3), mlp.Config(steps=200, dataset="spiral", width=5,
                                                                               activation="tanh")):
        assert specs(config) == specs(replace(config, seed=config.seed + 99, lr=config.lr / 7))


def test_kept_charts_are_bounded_in_bytes_the_least_recently_drawn_dropped_first(monkeypatch):
    monkeypatch.setattr(figures, "FIGURES_BYTES", 3000)
    monkeypatch.setattr(figures, "_FIGURES", type(figures._FIGURES)())
    monkeypatch.setattr(figures, "_SIZES", {})
    for i in range(4):
        figures._keep(("k", i), (None, None, {"datasets": {"t": b"x" * 1000}}))
        figures._recall(("k", 0))  # the first one keeps being drawn
    assert list(figures._FIGURES) == [("k", 2), ("k", 3), ("k", 0)]  # ("k", 1) went: the least recently drawn
    assert sum(figures._SIZES.values()) == 3000

    class Run:  # a run the store has dropped and no session holds: its charts go at the next keep
        pass

    run = Run()
    figures._keep(("of a run",), ((weakref.ref(run),), None, {"datasets": {"t": b"y"}}))
    assert ("of a run",) in figures._FIGURES
    del run
    figures._keep(("k", 4), (None, None, {"datasets": {}}))
    assert ("of a run",) not in figures._FIGURES and ("of a run",) not in figures._SIZES


def test_each_shape_of_spec_is_checked_against_vega_lite_once_and_a_fault_still_raises(monkeypatch):
    """With Altair's checks as each object is built turned off (as the server runs: ui.page_frame), vega_lite_spec
    checks a chart's whole spec the first time its shape is drawn, and not when only its numbers differ."""
    import altair as alt

    monkeypatch.setattr(figures, "_SHAPES", type(figures._SHAPES)())
    monkeypatch.setattr(alt.utils.schemapi, "DEBUG_MODE", False)
    checked = []
    real = alt.LayerChart.validate.__func__
    monkeypatch.setattr(alt.LayerChart, "validate", classmethod(lambda cls, spec, *a: checked.append(1) or
                                                                 real(cls, spec, *a)))
    one, other = mlp.train(mlp.Config(steps=300, lr=0.5)), mlp.train(mlp.Config(steps=300, lr=2.0, seed=3))
    for run in (one, other, one):
        figures.vega_lite_spec(ui.charts.cost_chart(run, lang="en"))
    assert checked == [1]  # the second run's cost differs, its chart's shape does not
    figures.vega_lite_spec(ui.charts.cost_chart(one, lang="ko"))  # another language: other titles, another shape
    assert checked == [1, 1]

    df = ui.charts.cost_frames(one)["cost"]
    wrong = alt.Chart(df).mark_line().encode(x=alt.X("step:Q", axis=alt.Axis(labelFontSize="large")))
    with pytest.raises(alt.utils.schemapi.SchemaValidationError, match="labelFontSize"):
        figures.vega_lite_spec(wrong)


def test_no_chart_names_an_encoding_channel_by_a_bare_string():
    """x="step:Q" costs Altair ~5 ms a channel (it builds its from-dict converter of ~570 schema classes each time),
    alt.X("step:Q") microseconds: every `.encode(` call in ui/ writes its channels as objects (channels gathered in a
    dict first, as units.unit_maps does, are not seen here: written as objects there too)."""
    import ast
    from pathlib import Path

    found = []
    for path in sorted((Path(ui.__file__).parent).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "encode":
                for kw in node.keywords:
                    values = kw.value.elts if isinstance(kw.value, ast.List) else [kw.value]
                    found += [f"{path.name}:{v.lineno} {kw.arg}={v.value!r}" for v in values
                              if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    assert not found, found


@pytest.mark.parametrize("kind", ["still picture", "chart of a run"])
def test_pages_drawing_the_same_chart_at_once_build_it_once(monkeypatch, kind):
    """A class's followers take the lecturer's step together: each page's script thread asks for the same picture at
    the same moment. The first builds it; the others wait for it and draw it as kept (before: each built its own,
    50 followers 50 times). The builder holds until another page has had half a second to ask (an event, or
    the half second's end: in the old way the other pages build too, and are seen doing it)."""
    import threading

    monkeypatch.setattr(figures, "_draw", lambda *a, **k: None)  # no page here to draw on
    run = mlp.train(mlp.Config(steps=300, lr=0.7, seed=11))  # a run no other test draws: nothing kept yet
    building, another, release, calls = threading.Event(), threading.Event(), threading.Event(), []

    def frames():
        calls.append(1)
        if len(calls) == 1:
            building.set()
            another.wait(timeout=0.5)  # set at once if a second page builds too
            release.wait()
        else:
            another.set()
        return ui.charts.cost_frames(run)

    def build(source, **kwargs):
        frames()
        return ui.charts.cost_chart(source, **kwargs)

    def page():
        if kind == "still picture":
            figures.animated(ui.charts.cost_chart, frames, run, still=(run, 299), lang="en")
        else:
            figures.chart_of(build, run, lang="en")

    pages = [threading.Thread(target=page) for _ in range(8)]
    pages[0].start()
    assert building.wait(timeout=60)
    for p in pages[1:]:
        p.start()
    release.set()
    for p in pages:
        p.join(timeout=60)
    assert len(calls) == 1


def _sent_charts(script, monkeypatch, runs=2):
    """The chart messages of the last of `runs` runs of script, as they would go to the browser (hash included)."""
    from streamlit.testing.v1 import local_script_runner

    seen = []
    parse = local_script_runner.parse_tree_from_messages
    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", lambda msgs: seen.append(list(msgs)) or
                        parse(msgs))
    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    for _ in range(runs - 1):
        at.run()
    assert not at.exception
    return [m for m in seen[-1] if m.WhichOneof("type") == "delta" and
            m.delta.new_element.WhichOneof("type") == "vega_lite_chart"]


def _kept_charts_script():
    import streamlit as st

    import mlp
    import ui

    run = ui.train(mlp.Config(steps=300, seed=12))
    left, right = st.columns(2)
    ui.chart_of(ui.charts.cost_chart, run, False, lang="en", target=left, alt_text="cost")  # its column's width
    ui.chart_of(ui.charts.gradient_chart, run, lang="ko", target=right, alt_text="기울기")
    last = run.steps_done - 1
    ui.animated(ui.network.network_diagram, lambda: ui.network.network_frames(run, last, run.snapshots[last],
                lang="en", titled=False), run, still=(run, last), lang="en", alt_text="net")  # a paused picture
    ui.chart_of(lambda r: ui.charts.cost_chart(r, lang="en").properties(width=300), run)  # its own width, no alt
    st.fragment(lambda: ui.chart_of(ui.charts.cost_chart, run, False, lang="en", alt_text="cost"))()  # (its message
    # names the fragment: another hash than the same chart's above)
    st.fragment(lambda: ui.chart_of(ui.charts.cost_chart, run, True, lang="en", target=st.sidebar))()  # (Streamlit
    # sends a container of the fragment's in the sidebar first, then the chart)


def test_a_kept_chart_drawn_again_sends_what_streamlit_would_byte_for_byte(fresh_store, monkeypatch):
    """A kept chart (a finished run's, a paused picture) is sent as the element Streamlit's own vega_lite_chart made
    of it the first time (ui.made.send_as_made): the same messages, their hashes too (the browser's cache of
    messages goes by them, and they are kept with the element: ui.made._hash_as_made), as Streamlit's own making on
    every draw; made once, not on each draw."""
    made = []
    real = ui.made.VegaChartsMixin._vega_lite_chart
    monkeypatch.setattr(ui.made.VegaChartsMixin, "_vega_lite_chart", lambda *a, **k: made.append(1) or real(*a, **k))
    as_made = _sent_charts(_kept_charts_script, monkeypatch, runs=3)
    assert len(as_made) == 6 and len(made) == 5  # the first run made each once; the two after sent them as made

    monkeypatch.setattr(ui.made, "VegaChartsMixin", None)  # Streamlit's own st.vega_lite_chart on every draw
    streamlits = _sent_charts(_kept_charts_script, monkeypatch)
    assert [m.SerializeToString(deterministic=True) for m in as_made] == \
        [m.SerializeToString(deterministic=True) for m in streamlits]
    assert len({m.hash for m in as_made}) == 6  # (the one chart in and out of the fragment: two hashes)
    widths = [m.delta.new_element.width_config.WhichOneof("width_spec") for m in as_made]
    assert {"use_stretch", "use_content"} <= set(widths)  # (the test sees both widths)


LINKS_APP = """
import streamlit as st
from ui.sidebar import page_link

left, right = st.columns(2)
page_link("pages/1_Other.py", target=left, label="Other", icon=":material/home:")
page_link("main.py", target=right, label="Home · 홈", icon="📉")
page_link("pages/1_Other.py", target=st.sidebar, label="다른 쪽", icon="🎓")
page_link("pages/1_Other.py", target=st.sidebar.columns(2)[1], label="Other", icon=":material/home:")  # (stretched)
st.fragment(lambda: page_link("pages/1_Other.py", label="Other", icon=":material/home:"))()
page_link("pages/1_Other.py", label="Other", icon="🎓", query_params={"lang": "ko"})  # (Streamlit's own: a query)
page_link("pages/9_None.py", label="Nowhere", icon="🎓")  # no such page: no link, as with Streamlit's own
st.session_state["class_code"] = "ABCDE"  # a following student's page (ui.live.steered): its links greyed out
page_link("pages/1_Other.py", label="Other", icon=":material/home:")
st.session_state["class_code"] = ""
"""


def test_a_page_link_drawn_again_sends_what_streamlit_would_byte_for_byte(tmp_path, monkeypatch):
    """A link to a page of the app with a label and icon (the sidebar's eight on every full run) is sent as the element
    Streamlit's own page_link made of it the first time (ui.made.link_as_made): the same messages, hashes too, in
    columns, the sidebar and a fragment; made once, not on each run; a link Streamlit's own command draws otherwise."""
    from streamlit.testing.v1 import local_script_runner

    (tmp_path / "main.py").write_text(LINKS_APP)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "1_Other.py").write_text("import streamlit as st\n")

    def sent_links(runs):
        seen = []
        parse = local_script_runner.parse_tree_from_messages
        monkeypatch.setattr(local_script_runner, "parse_tree_from_messages",
                            lambda msgs: seen.append(list(msgs)) or parse(msgs))
        at = AppTest.from_file(str(tmp_path / "main.py"), default_timeout=TIMEOUT).run()
        for _ in range(runs - 1):
            at.run()
        assert not at.exception
        return [m for m in seen[-1] if m.WhichOneof("type") == "delta" and
                m.delta.new_element.WhichOneof("type") == "page_link"]

    made = []
    real = ui.made.ButtonMixin._page_link
    monkeypatch.setattr(ui.made.ButtonMixin, "_page_link", lambda *a, **k: made.append(a) or real(*a, **k))
    monkeypatch.setattr(ui.made, "_LINKS", {})
    as_made = sent_links(runs=3)
    assert len(as_made) == 7 and len(made) == 3 * 2 + 5  # made once each (the missing page: tried each run); the
    # link with a query: Streamlit's own command on each run
    monkeypatch.setattr(ui.made, "ButtonMixin", None)  # Streamlit's own st.page_link on every draw
    streamlits = sent_links(runs=1)
    assert [m.SerializeToString(deterministic=True) for m in as_made] == \
        [m.SerializeToString(deterministic=True) for m in streamlits]
    links = [m.delta.new_element.page_link for m in as_made]
    assert [(link.label, link.page) for link in links] == [("Other", "Other"), ("Home · 홈", ""), ("다른 쪽", "Other"),
                                                           ("Other", "Other"), ("Other", "Other"), ("Other", "Other"),
                                                           ("Other", "Other")]
    assert [link.disabled for link in links] == [False] * 6 + [True]
    widths = [m.delta.new_element.width_config.WhichOneof("width_spec") for m in as_made]
    assert widths == ["use_content", "use_content", "use_stretch", "use_stretch", "use_content", "use_content",
                      "use_content"]
    assert len({m.hash for m in as_made}) == 7  # (the same link in and out of the fragment: two hashes)


def _texts_script():
    import streamlit as st

    left, right = st.columns(2)
    st.title("XOR, by hand")
    st.header("A header", divider="blue")
    st.subheader("The cost", anchor=False, help="what it is")
    st.caption("A **caption** with <b>html</b>", unsafe_allow_html=True)
    left.markdown("Some *markdown* · 비용", width="content")
    right.metric("Cost", "0.0123", delta="-0.5", delta_color="inverse", border=True)
    st.sidebar.caption("In the sidebar")
    st.sidebar.info("An info", icon="🎓")
    st.sidebar.columns(2)[0].caption("In a sidebar column")
    st.success("Done", icon=":material/check:")
    st.warning("Careful")
    st.error("Wrong")
    st.fragment(lambda: st.caption("In a fragment"))()
    st.caption("In a fragment")  # (the same text outside it: another hash)
    st.metric("Cost", 0.5, chart_data=[1, 2, 3])  # (a list: drawn by Streamlit's own command)
    st.markdown("to be replaced").markdown("replaced")  # (the element's place, returned)


TEXT_TYPES = ("markdown", "heading", "metric", "alert")


def test_texts_drawn_again_send_what_streamlit_would_byte_for_byte(monkeypatch):
    """Streamlit's commands for text (ui.made.texts_as_made: captions, markdown, headings, metrics, alerts) send, for
    arguments drawn before, the element made then: the messages of a third run, hashes too, equal Streamlit's own
    commands' on every run, in columns, the sidebar and a sidebar column, a fragment, with their options; made once
    (not in the runs after); a metric with a list of data, and an element replaced through its returned place, as
    Streamlit draws them."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.testing.v1 import local_script_runner

    assert ui.made.texts_as_made()

    def sent_texts(runs):
        seen = []
        parse = local_script_runner.parse_tree_from_messages
        monkeypatch.setattr(local_script_runner, "parse_tree_from_messages",
                            lambda msgs: seen.append(list(msgs)) or parse(msgs))
        at = AppTest.from_function(_texts_script, default_timeout=TIMEOUT).run()
        for _ in range(runs - 1):
            at.run()
        assert not at.exception
        return [m for m in seen[-1] if m.WhichOneof("type") == "delta" and
                m.delta.new_element.WhichOneof("type") in TEXT_TYPES]

    made = []
    enqueue = ui.made._Maker._enqueue
    monkeypatch.setattr(ui.made._Maker, "_enqueue", lambda *a, **k: made.append(a[1]) or enqueue(*a, **k))
    sent_texts(runs=1)
    first = len(made)  # (what this process had not made before)
    as_made = sent_texts(runs=3)
    assert len(made) == first  # made once, in the first run; never again

    for name in ui.made.TEXTS:  # Streamlit's own commands on every draw
        monkeypatch.setattr(DeltaGenerator, name, getattr(DeltaGenerator, name).__wrapped__)
        bound = getattr(st, name)
        monkeypatch.setattr(st, name, bound.__func__.__wrapped__.__get__(bound.__self__))
    streamlits = sent_texts(runs=1)
    assert len(as_made) == len(streamlits) == 16  # (the replaced element's first message: replaced in the queue)
    assert [m.SerializeToString(deterministic=True) for m in as_made] == \
        [m.SerializeToString(deterministic=True) for m in streamlits]
    bodies = [getattr(m.delta.new_element, m.delta.new_element.WhichOneof("type")) for m in as_made]
    assert bodies[-1].body == "replaced" and "In a sidebar column" in [getattr(b, "body", "") for b in bodies]


def test_where_the_agent_api_records_the_page_a_kept_chart_is_drawn_as_streamlit_draws_it(fresh_store, monkeypatch):
    """The agent API describes each element as it is drawn (Streamlit's own vega_lite_chart does): there, no element
    is sent as made."""
    made = []
    real = ui.made.VegaChartsMixin._vega_lite_chart
    monkeypatch.setattr(ui.made.VegaChartsMixin, "_vega_lite_chart", lambda *a, **k: made.append(1) or real(*a, **k))
    monkeypatch.setattr(ui.made.agent_spec, "is_recording", lambda: True)
    assert len(_sent_charts(_kept_charts_script, monkeypatch, runs=3)) == 6
    assert len(made) == 18  # six charts, three runs: each drawn by Streamlit


def test_a_kept_charts_elements_are_few_and_count_in_its_bytes(monkeypatch):
    """A kept chart keeps one element a width and alt text (a language, a column), at most ELEMENTS_KEPT, and its
    data counts twice towards FIGURES_BYTES (the element carries a copy)."""
    monkeypatch.setattr(figures, "_FIGURES", type(figures._FIGURES)())
    monkeypatch.setattr(figures, "_SIZES", {})
    figures._keep(("k",), (None, None, {"datasets": {"t": b"x" * 1000}}, {}))
    assert figures._SIZES[("k",)] == 2000

    class Page:  # a page's DeltaGenerator, as ui.made.send_as_made reaches it through st.vega_lite_chart
        def __init__(self):
            self.sent = []

        def vega_lite_chart(self, *a, **k):
            raise AssertionError("drawn through st.vega_lite_chart, not as made")

        def _enqueue(self, delta_type, proto, layout_config=None):
            self.sent.append(proto)

    page, made = Page(), {}
    spec = figures.vega_lite_spec(ui.charts.cost_chart(mlp.train(mlp.Config(steps=50)), lang="en"))
    for i in range(ui.made.ELEMENTS_KEPT + 3):
        assert ui.made.send_as_made(dict(spec), page, "content", f"alt {i % (ui.made.ELEMENTS_KEPT + 1)}", made)
        assert len(made) <= ui.made.ELEMENTS_KEPT
    assert [p.alt for p in page.sent[:2]] == ["alt 0", "alt 1"] and page.sent[0].spec == page.sent[1].spec
