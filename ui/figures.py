"""Drawing charts: Altair specs from ui.charts, sent the way that redraws fastest, kept once built.

A finished run's chart is built once and kept (chart_of), with the element Streamlit makes of it (ui.made);
Play swaps numbers into a chart built once (animated); datasets are named by position so a new run's chart updates
in place (vega_lite_spec).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections import OrderedDict
from contextlib import contextmanager, nullcontext
from dataclasses import replace

import altair as alt
import jsonschema
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

import mlp

from . import charts, comparisons
from .made import send_as_made
from .session import lang, t

FIGURES_MAX, FIGURES_BYTES = 2048, 64 << 20  # charts kept, and their data's bytes; least recently drawn dropped
# memo key → (weakrefs to its sources or None, Altair chart or names, spec[, the elements made of it: ui.made])
_FIGURES: OrderedDict = OrderedDict()
_SIZES: dict = {}  # memo key → bytes of its spec's data
_FIGURES_LOCK = threading.Lock()


def _keep(memo_key, kept):
    """Keep a built chart, the least recently drawn dropped first beyond FIGURES_MAX charts or FIGURES_BYTES;
    the charts of runs gone from the run store (and from every session) go at once. A chart kept with a place for
    the elements made of it (a fourth part) counts its data twice: the element carries a copy of it."""
    size = sum(len(d) if isinstance(d, bytes) else d.memory_usage().sum() for d in kept[2].get("datasets", {}).values())
    size *= 2 if len(kept) > 3 else 1
    with _FIGURES_LOCK:
        for gone in [k for k, (refs, *_) in _FIGURES.items() if refs is not None and any(r() is None for r in refs)]:
            del _FIGURES[gone]
            _SIZES.pop(gone, None)
        _FIGURES[memo_key], _SIZES[memo_key] = kept, size
        _FIGURES.move_to_end(memo_key)
        while len(_FIGURES) > FIGURES_MAX or len(_FIGURES) > 1 and sum(_SIZES.values()) > FIGURES_BYTES:
            _SIZES.pop(_FIGURES.popitem(last=False)[0], None)


def _recall(memo_key, sources=None):
    """The kept chart for memo_key, if it is still about the same `sources` objects (not ones that reused a
    freed id); None otherwise."""
    with _FIGURES_LOCK:
        kept = _FIGURES.get(memo_key)
        if kept is None or sources is not None and (kept[0] is None or len(kept[0]) != len(sources)
                                                    or any(r() is not s for r, s in zip(kept[0], sources))):
            return None
        _FIGURES.move_to_end(memo_key)
        return kept


class _Claim:
    __slots__ = ("lock", "__weakref__")

    def __init__(self):
        self.lock = threading.Lock()


_CLAIMS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # memo key → its claim, while anyone holds it


@contextmanager
def _one_builder(memo_key):
    """Held while the chart of memo_key is recalled, and built if it is not kept: pages drawing the same chart at
    the same moment (a class's followers taking the lecturer's step together) build it once, the others wait for
    it and find it kept; other charts are built meanwhile."""
    with _FIGURES_LOCK:
        claim = _CLAIMS.get(memo_key)
        if claim is None:
            claim = _CLAIMS[memo_key] = _Claim()
    with claim.lock:
        yield


def _sources(source) -> tuple | None:
    """What a chart is about: the object itself (a run, a sweep, a map), or each run of a list of (label, run)
    (Compare, the Lesson); None when some part cannot be watched for its end (it is then built each time)."""
    parts = [run for _, run in source] if isinstance(source, list) else [source]
    return tuple(parts) if parts and all(_watchable(p) for p in parts) else None


def _watchable(part) -> bool:
    try:
        weakref.ref(part)
        return True
    except TypeError:
        return False


def _frozen(value):
    """A memo key's part: lists (a log's points, a list of runs' labels) as tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _settled(source) -> bool:
    """A finished (or stopped, or diverged) run, or a sweep or map: its charts will not change any more."""
    return (not isinstance(source, mlp.Run) or source.steps_done == source.config.steps or source.diverged
            or source.stopped)


def _wire(spec: dict) -> dict:
    """The spec with its datasets already in Streamlit's wire format (Arrow IPC bytes, made by the same
    function Streamlit would call on every redraw): a kept chart drawn again costs no conversion at all."""
    if not spec.get("datasets"):
        return spec
    return {**spec, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(frame)
                                 for name, frame in spec["datasets"].items()}}


# The charts choose their own points (downsampled, ≤ 300 KB a chart, tested); Altair's 5,000-row guard
# would refuse the faint curves of a 1,024-seed sweep
alt.data_transformers.disable_max_rows()


def chart(spec, key=None, alt_text=None, target=st, on_select=None):
    """Draw an Altair chart as built (its own projector-sized fonts), at its own width; larger still in
    presenter mode. on_select: a callback for the chart's click selection, if it has one."""
    _draw(vega_lite_spec(spec, _presenter()), target, key, alt_text, on_select)


def chart_of(build, source, *args, target=st, key=None, alt_text=None, **kwargs):
    """chart(build(source, *args, **kwargs)), where the chart of a finished run, sweep or map, or of a list of
    (label, finished run), is built once and kept, ready to send: redrawing it (a slider moved elsewhere, the next
    student with the same link, a follower taking the lecturer's page over) then costs no chart building at all.
    Returns the Altair chart (for the PNG/SVG downloads)."""
    sources = _sources(source)
    settled = sources is not None and all(_settled(s) for s in sources)  # a streaming run keeps changing
    presenter = _presenter()
    # the builder by its code, not its name (two lambdas share a name) nor the function object (a page's
    # own function is defined again on every rerun); the runs by identity, and by the labels they are drawn with
    what = tuple((label, id(run)) for label, run in source) if isinstance(source, list) else id(source)
    memo_key = (what, getattr(build, "__code__", build), _frozen(args), _frozen(kwargs), presenter)
    with _one_builder(memo_key) if settled else nullcontext():
        kept = _recall(memo_key, sources) if settled else None
        if kept is None:
            altair_chart = build(source, *args, **kwargs)
            kept = (tuple(weakref.ref(s) for s in sources) if sources else None, altair_chart,
                    _wire(vega_lite_spec(altair_chart, presenter)), {})
            if settled:
                _keep(memo_key, kept)
    _draw(kept[2], target, key, alt_text, made=kept[3] if settled else None)
    return kept[1]


def animated(build, frames, run, *, still=None, target=st, key=None, alt_text=None, on_select=None, **kwargs):
    """Draw build(run, frames=frames, **kwargs) many times a second (Chain rule → Play). Altair builds the
    chart once per config (and set of datasets); every later frame only swaps the datasets' numbers into that
    spec (no Altair at all), and the browser updates the chart in place instead of building
    it again. Whatever changes with the step belongs in the data, not in the titles. on_select: a callback
    for the chart's click selection (the boundary's own points), if it has one.

    frames: the datasets, or a function that makes them. still: (a finished run, a step) when this is that
    run's picture at that step, not a moving one: it is then kept, ready to send, and drawn again (the next
    student with the same link, a slider elsewhere on the page) without making the frames at all."""
    presenter = _presenter()
    code = getattr(build, "__code__", build)
    settings = tuple(sorted(kwargs.items()))
    if still is not None and _settled(still[0]):
        still_key = ("still", id(still[0]), still[1], code, settings, presenter)
        with _one_builder(still_key):
            kept = _recall(still_key, (still[0],))
            if kept is None:
                spec, reusable = _frame_spec(build, frames, run, code, settings, presenter, kwargs)
                if reusable:
                    kept = ((weakref.ref(still[0]),), None, _wire(spec), {})
                    _keep(still_key, kept)
                else:
                    kept = (None, None, spec, None)
        _draw(kept[2], target, key, alt_text, on_select, made=kept[3])
        return
    spec, _ = _frame_spec(build, frames, run, code, settings, presenter, kwargs)
    _draw(spec, target, key, alt_text, on_select)  # the same spec: Streamlit updates the chart's data in place


def _frame_spec(build, frames, run, code, settings, presenter, kwargs) -> tuple[dict, bool]:
    """(the spec of build(run, frames=frames, **kwargs): the kept template of its config with these frames' numbers,
    whether it was: a spec whose tables cannot be told apart is built whole and not kept)."""
    frames = frames() if callable(frames) else frames
    tables = {name: f for name, f in frames.items() if isinstance(f, pd.DataFrame)}
    shape = tuple(sorted((name, tuple(f.columns)) for name, f in tables.items()))
    # all a spec needs: the config but its seed and learning rate, which no picture's spec shows (tested): a
    # student's new seed draws into the template another seed's run built (no Altair for it)
    memo_key = ("animated", replace(run.config, seed=0, lr=1.0), code, shape, settings, presenter)
    kept = _recall(memo_key)
    if kept is None:
        spec = vega_lite_spec(build(run, frames=frames, **kwargs), presenter)
        by_columns = {tuple(f.columns): name for name, f in tables.items()}
        names = {table: by_columns.get(tuple(frame.columns)) for table, frame in spec.get("datasets", {}).items()}
        if None in names.values() or len(set(names.values())) < len(names):  # cannot tell the tables apart
            return spec, False
        kept = (None, names, spec)
        _keep(memo_key, kept)
    _, names, spec = kept
    return {**spec, "datasets": {table: _compact(tables[name].copy()) for table, name in names.items()}}, True


def _draw(spec: dict, target, key, alt_text, on_select=None, made: dict | None = None):
    """`made`: a kept chart's place for the elements made of it (ui.made), None for a chart drawn once."""
    # Streamlit edits the top level of the dict it is given (it takes the datasets out): hand it a copy.
    # A chart built with width="container" takes its column's width; the others keep their own.
    spec = dict(spec)
    width = "content"
    if spec.get("width") == "container":  # the column's width; the height stays the plot's own, so titles,
        width = "stretch"  # axes and legends are added to it, never squeezed out of it (Streamlit fits both)
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    if on_select is None and made is not None and send_as_made(spec, target, width, alt_text, made):
        return
    if on_select is None:
        target.vega_lite_chart(spec, key=key, width=width, theme=None, alt=alt_text)
    else:  # a click selection: each of its params, by name (charts.decision_boundary's add_point)
        target.vega_lite_chart(spec, key=key, width=width, theme=None, alt=alt_text, on_select=on_select,
                               selection_mode=[p["name"] for p in _params(spec)])


def _params(spec: dict) -> list:
    """The selection params of a spec, at its top level or in its layers."""
    found = [p for p in spec.get("params", []) if "select" in p]
    for layer in spec.get("layer", []):
        found += _params(layer)
    return found


def comparison(runs, legend: str = "run", dashed: bool = False, logs=()):
    """Runs overlaid: the cost per step beside the first and last layers' gradient sizes, each chart as wide as
    its column. `legend` names the runs ("run", or "pinned_run" on Compare)."""
    left, right = st.columns(2)
    chart_of(comparisons.compare_cost_chart, runs, lang=lang(), legend=legend, dashed=dashed, logs=logs, target=left,
             alt_text=t("alt.compare_cost"))
    chart_of(comparisons.compare_gradient_chart, runs, lang=lang(), dashed=dashed, target=right,
             alt_text=t("alt.compare_grad"))


def history_slots():
    """Two places side by side for a run's history charts (Streamlit stacks them on a narrow screen)."""
    left, right = st.columns(2)
    return left.empty(), right.empty()


@contextmanager
def streaming_history(log_y: bool = False):
    """Yields draw(partial run): the run's history charts, side by side in a place here, as it trains. The place
    fills at the first draw only: a stored run (most page views) sends the browser one empty place, not the six
    elements of two empty charts. Emptied at the end of a run that drew."""
    place, slots = st.empty(), []

    def draw(partial):
        if not slots:
            with place.container():
                slots.extend(history_slots())
        history(partial, slots, log_y)

    yield draw
    if slots:
        place.empty()


def history(run, slots=None, log_y: bool = False):
    """The cost per step beside each layer's gradient size per step, each as wide as its column. `slots`: the places
    a streaming run redraws (history_slots); without them, drawn once, straight into two columns (two messages less a
    page: a Lesson step's to every follower)."""
    slots = slots or st.columns(2)
    chart_of(charts.cost_chart, run, log_y, lang=lang(), target=slots[0], alt_text=t("alt.cost"))
    chart_of(charts.gradient_chart, run, lang=lang(), target=slots[1], alt_text=t("alt.gradients"))
    return slots


def _presenter() -> bool:
    return bool(st.session_state.get("presenter"))


def vega_lite_spec(altair_chart, presenter: bool = False) -> dict:
    """The chart as a Vega-Lite dict whose datasets are DataFrames named by position (table_0, table_1 …),
    drawn on a canvas; in presenter mode with charts.PRESENTER_CONFIG's larger fonts over its own.

    Altair names each dataset by a hash of its numbers, so a chart whose data changed (a new learning
    rate) would arrive as a new spec and the browser would build the whole chart again. Named by position,
    the spec stays the same and Streamlit updates the chart's data in place. Canvas (Vega's own default;
    Streamlit picks SVG) repaints a changed chart in about a third less time (bench/bench_ui.py).

    Checked against Vega-Lite's schema once per shape (the spec but its datasets' numbers: a builder draws the
    same shape for every run of a config), not on every redraw: the check costs about a third of the spec."""
    spec = altair_chart.to_dict(validate=False)
    if presenter:
        spec["config"] = {**spec.get("config", {}), **charts.PRESENTER_CONFIG}
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}  # vega-embed reads its options here
    datasets = spec.pop("datasets", None)
    names = {old: f"table_{i}" for i, old in enumerate(datasets or ())}  # data_N would clash with Vega-Lite's own
    text = json.dumps(spec)
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    _check_once(altair_chart, re.sub(r'"view_[0-9a-f]+_\d+"', '"view"', text), spec)  # names hash the data
    if not datasets:
        return spec
    frames = {names[old]: _compact(pd.DataFrame(rows)) for old, rows in datasets.items()}
    return {**json.loads(text), "datasets": frames}


_SHAPES: OrderedDict = OrderedDict()  # the shapes of spec already checked (a hash each), the oldest dropped first
SHAPES_MAX = 4096


def _check_once(altair_chart, shape: str, spec: dict):
    """Altair's own check of the spec (as to_dict() makes it: the datasets are not part of it), the first time
    this shape is drawn; a spec Vega-Lite would refuse raises Altair's SchemaValidationError."""
    key = hash(shape)
    with _FIGURES_LOCK:
        if key in _SHAPES:
            _SHAPES.move_to_end(key)
            return
    try:
        altair_chart.validate(spec)
    except jsonschema.ValidationError as err:
        raise alt.utils.schemapi.SchemaValidationError(altair_chart, err) from None
    with _FIGURES_LOCK:
        _SHAPES[key] = None
        while len(_SHAPES) > SHAPES_MAX:
            _SHAPES.popitem(last=False)


def _compact(frame):
    """The narrowest column types that draw the same picture: float32, small ints, repeated labels as
    categories (Arrow dictionaries). The faint curves of a 1,024-seed sweep go from ~470 KB to ~150 KB."""
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "f":
            frame[name] = column.astype("float32")
        elif column.dtype.kind in "iu":
            frame[name] = pd.to_numeric(column, downcast="integer")
        elif (column.dtype == object or pd.api.types.is_string_dtype(column)) and column.nunique() <= len(column) // 2:
            frame[name] = column.astype("category")
    return frame


def check_charts_once_per_shape():
    """Altair checks every object against Vega-Lite's schema as it is built (its debug mode): most of the time a
    chart takes to build. The server checks each chart's whole spec once per shape instead (vega_lite_spec), which
    finds the same faults the first time a shape is drawn. Called by every page run (ui.page_frame: the first one
    turns Altair's checks off, the others find them off); a process that never runs a page keeps Altair's checks."""
    alt.utils.schemapi.disable_debug_mode()


_FROZEN = False
GC_YOUNG = 10_000  # new objects (less those freed) between Python's collections of its youngest (default: 700)


def freeze_what_lives_forever():
    """A full garbage collection walks every object Python tracks: with torch, pandas and Altair loaded,
    ~250,000 that live as long as the process, 0.12 s each time. Streamlit runs one after every script run
    unless told not to (.streamlit/config.toml does: runner.postScriptGC), and Python runs its own now and
    then. Frozen once a process (after Altair has loaded its schema), a collection takes microseconds and still
    frees whatever the runs themselves leave behind. And Python collects its youngest objects every GC_YOUNG new
    ones, not every 700: most of a run's objects are freed before then, so there is less to walk, and a cached
    student's view and move spends 0.29 ms in collections, not 0.50 (`gc.callbacks`' times over 150 students one
    after another; each collection a pause of ~5 ms, not ~0.5). Called by the first page the server runs
    (ui.page_frame)."""
    import gc

    global _FROZEN
    if _FROZEN:
        return
    _FROZEN = True
    alt.Chart({"values": [{"x": 0}]}).mark_point().encode(x=alt.X("x:Q")).to_dict()  # load the schema validators
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
