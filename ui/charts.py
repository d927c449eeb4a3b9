"""Altair charts of runs and sweeps: cost and per-layer gradient norms, decision boundary (the network diagram:
network.py), comparisons, sweep histograms. Each chart's data comes from a `*_frames` function (Play swaps new data
into a chart built once).

Builds chart specs only; it imports altair, pandas and the engine, never streamlit, so the pictures can be
tested and saved without a server. Its texts are the app's (i18n.py, keys "chart.…"). Long histories are
downsampled (sample_steps) so one redraw stays small.
Colours are colour-blind-safe: viridis for ordered layers, blue/orange for the two classes and signs.
"""

from __future__ import annotations

import json
import math
import unicodedata

import altair as alt
import numpy as np
import pandas as pd

from i18n import tr
from mlp.data import make_data, plane
from mlp.notebook import cell_of
from mlp.sweeps import kept_steps

BLUE, ORANGE = "#0072B2", "#E69F00"  # Okabe–Ito: safe for the common colour-vision deficiencies; class 0 / 1
POSITIVE, NEGATIVE = "#009E73", "#CC79A7"  # Okabe–Ito too: a weight's sign, never the classes' blue and orange
SOLVED, STUCK = "#56B4E9", "#D55E00"  # Okabe–Ito's sky blue and vermillion: a seed's outcome (Robustness), a third pair
REFERENCE = "#000000"  # what the cost is compared with: the held-out points' cost (dashed), the lab's printed log (○)
# Runs told apart (Compare's pins, the Lesson's overlays): Okabe–Ito, black (the lab's log beside them) and orange
# (class 1 elsewhere) last
RUN_COLOURS = ["#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#D55E00", "#000000", "#E69F00"]
MAX_POINTS = 240  # steps per curve sent to the browser
EXPORT_FONT = "DejaVu Sans"  # has ∂, ‖ and the other signs of the titles (the default fell back to a serif)
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1x2": "x₁x₂", "x1sq": "x₁²", "x2sq": "x₂²", "sin_x1": "sin x₁",
                  "sin_x2": "sin x₂"}  # mlp.FEATURES as written on the slide


def chart_text(key: str, lang: str = "en", **values) -> str:
    """A chart's text (i18n key "chart.<key>") in `lang`."""
    return tr(f"chart.{key}", lang, **values)


def sample_steps(cost: np.ndarray, max_points: int = MAX_POINTS) -> np.ndarray:
    """Sorted step indices to draw: the steps a sweep keeps (log-spaced for the early plateau, evenly spaced
    for the long tail, the first and the last: mlp.sweeps.kept_steps, one rule for both) and, since a whole
    run is known, dense over its steepest part (the drop); at most max_points."""
    T = len(cost)
    if T <= max_points:
        return np.arange(T)
    k = (max_points - 2) // 3
    w = max(1, T // 20)
    change = np.abs(np.nan_to_num(cost[w:] - cost[:-w]))
    s = int(np.argmax(change))
    steep = np.linspace(s, min(T - 1, s + w), k).astype(int)
    return np.unique(np.concatenate([kept_steps(T, 2 * k + 2), steep]))


def layer_names(L: int, lang: str = "en") -> list[str]:
    """'layer 1 (input side)' … 'layer L (output)', the legend of every gradient chart."""
    if L == 1:
        return [chart_text("layer", lang, l=1) + chart_text("input_output", lang)]
    side = {0: chart_text("input_side", lang), L - 1: chart_text("output", lang)}
    return [chart_text("layer", lang, l=l + 1) + side.get(l, "") for l in range(L)]


def short_layer_names(L: int, lang: str = "en") -> list[str]:
    """'1 (input)' … 'L (output)': the legend of a gradient chart in a narrow column."""
    side = {0: chart_text("input_short", lang), L - 1: chart_text("output", lang)}
    return [f"{l + 1}{side.get(l, '')}" for l in range(L)]


def history_frames(run, max_points: int = MAX_POINTS, lang: str = "en"):
    """(cost frame: step, cost, accuracy) and (gradient frame, long form: step, layer, norm, order)."""
    idx = sample_steps(run.cost, max_points)
    cost = pd.DataFrame({"step": idx, "cost": run.cost[idx], "accuracy": run.accuracy[idx].astype(float)})
    if run.test_cost is not None and len(run.test_cost):  # points held out: their cost beside the training cost
        cost = cost.assign(test=run.test_cost[idx], test_accuracy=run.test_accuracy[idx].astype(float))
    names = layer_names(run.grad_norms.shape[1], lang)
    grads = pd.DataFrame({
        "step": np.repeat(idx, len(names)),
        "layer": np.tile(names, len(idx)),
        "order": np.tile(np.arange(len(names)), len(idx)),
        "norm": run.grad_norms[idx].astype(float).reshape(-1),
    })
    return cost, grads


def _lines(title):
    """A title whose text and subtitle have line breaks ("\n") as Vega-Lite draws several lines: lists of strings.
    Titles keep to ~28 characters a line, so they fit a projector's half-width column (~430 px). Never cut:
    Streamlit cuts a title at its chart's width less 40 px (its `limit`) unless the title sets its own, and 0 is
    none (tests/test_projector.py measures every title against its chart)."""
    def split(text):
        return text.split("\n") if isinstance(text, str) and "\n" in text else text

    if not isinstance(title, alt.TitleParams):
        return alt.TitleParams(split(title), limit=0)
    title = title.copy(deep=False)
    title.text, title.limit = split(title.text), 0
    if title.subtitle is not alt.Undefined:
        title.subtitle = split(title.subtitle)
    return title


# The charts' one look: font sizes of axes, legends and titles. As Vega-Lite's top-level "config" (a dict, the same
# in the app and in the PNG/SVG downloads); presenter mode puts PRESENTER_CONFIG's larger entries over it.
CONFIG = {"axis": {"labelFontSize": 14, "titleFontSize": 16, "gridOpacity": 0.5, "labelOverlap": True},
          "legend": {"labelFontSize": 14, "titleFontSize": 15, "labelLimit": 260},
          "title": {"fontSize": 18, "subtitleFontSize": 13, "anchor": "start", "limit": 0},
          "text": {"fontSize": 14}, "header": {"labelFontSize": 13, "titleFontSize": 14},
          "view": {"strokeWidth": 0}}
PRESENTER_CONFIG = {"axis": {"labelFontSize": 18, "titleFontSize": 20, "gridOpacity": 0.5},
                    "legend": {"labelFontSize": 18, "titleFontSize": 19, "labelLimit": 320},
                    "title": {"fontSize": 22, "subtitleFontSize": 18, "anchor": "start"},
                    "text": {"fontSize": 18}, "header": {"labelFontSize": 18, "titleFontSize": 20}}  # marks' text too


def styled(chart, **config):
    """The chart (just built by its caller, changed in place) in the charts' one look (CONFIG, and `config`, e.g.
    the export font). Set as one attribute: each of Altair's configure_* calls would copy a layered chart, and
    a copy builds the layer again."""
    if chart.title is not alt.Undefined:
        chart.title = _lines(chart.title)
    chart.config = alt.Config(**CONFIG, **config)
    return chart


def _step_axis(run, lang, zoom=None):
    """The step axis every history chart shares: always 0 … the steps asked for, so a streaming run grows
    to the right, a layer whose gradient is exactly 0 keeps the axis, and two charts line up. 8 px either side of
    the plot: the first and the last step are drawn off the axis lines (a dot at step 1, a rule at step 0). A label
    that would stick out past the axis's end (the last step's, on a plot with room for a tick every 2,000) is left
    out, not cut in half by the chart's edge."""
    domain = [0, max(1, run.config.steps - 1)]
    axis = alt.Axis(format=",.0f", labelOverlap=True, labelSeparation=6, labelFlush=True, labelBound=True, tickCount=5)
    return alt.X("step:Q", title=chart_text("step", lang),
                 scale=alt.Scale(domain=domain, nice=False, zero=False, padding=8), axis=axis)


def _zoom(name):
    # scroll to zoom, drag to pan, double-click to reset: the step axis only
    return alt.selection_interval(bind="scales", encodings=["x"], name=name)


def cost_frames(run, log_cost: bool = False, max_points: int = MAX_POINTS, lang: str = "en") -> dict:
    """The data of cost_chart: the sampled cost curve, and the notebook's printed log where this is its net."""
    cost_df, _ = history_frames(run, max_points, lang)
    frames = {"cost": cost_df[cost_df.cost > 0] if log_cost else cost_df}
    cell = cell_of(run.config)
    if cell is not None:
        log = pd.DataFrame(cell.log(), columns=["step", "cost"])
        frames["log"] = log[log.step < run.config.steps].assign(source=chart_text("notebook_log", lang))
    return frames


def _last_step(chart):
    """The chart's rows of the last step it has (Vega picks them in the browser: no table of their own to send)."""
    return chart.transform_joinaggregate(last_step="max(step)").transform_filter("datum.step == datum.last_step")


def cost_chart(run, log_cost: bool = False, width="container", height: int = 260, max_points: int = MAX_POINTS,
               lang: str = "en", frames=None, now: bool = False):
    """The cost at every step; for a net of the seed notebook, its printed log as markers on top. `now`: a dot at
    the last step drawn (the step a slider or Play shows: at step 1 of 10,001 the curve is a point on the axis,
    which a line alone does not draw)."""
    frames = frames or cost_frames(run, log_cost, max_points, lang)
    loss = run.config.loss  # each loss its own words: cross-entropy is in nats, squared error has no unit
    y = alt.Y("cost:Q", title=chart_text(f"cost_axis.{loss}", lang),  # room for the dot of a cost near 0
              scale=alt.Scale(type="log" if log_cost else "linear", padding=6 if now else alt.Undefined))
    layers = [alt.Chart(frames["cost"]).mark_line(color=BLUE, strokeWidth=2.5).encode(
        x=_step_axis(run, lang), y=y,
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".6f"), alt.Tooltip("accuracy:Q", format=".0%")],
    ).add_params(_zoom("zoom_cost"))]
    subtitles = []  # what the lines and marks are, under the title: a legend in the plot's row left no room for the
    # plot's axis in a quarter of a 1280 projector's page
    if "test" in frames["cost"]:  # the held-out points' cost, dashed, and the title says which line is which
        subtitles.append(chart_text("cost_test_subtitle", lang))
        layers.append(alt.Chart(frames["cost"]).mark_line(color=REFERENCE, strokeWidth=2.5, strokeDash=[7, 4]).encode(
            x=alt.X("step:Q"), y=alt.Y("test:Q"), tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("test:Q", format=".6f"),
                                             alt.Tooltip("test_accuracy:Q", format=".0%")]))
    if now:
        layers.append(_last_step(alt.Chart(frames["cost"])).mark_point(filled=True, size=110, color=BLUE, opacity=1,
                                                                       stroke="white", strokeWidth=1.5).encode(
            x=alt.X("step:Q"), y=alt.Y("cost:Q"), tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".6f")]))
    if "log" in frames:
        subtitles.append("○ " + chart_text("notebook_log", lang))
        layers.append(alt.Chart(frames["log"]).mark_point(shape="circle", size=70, filled=False, strokeWidth=2,
                                                          color=REFERENCE).encode(
            x=alt.X("step:Q"), y=alt.Y("cost:Q"),
            tooltip=[alt.Tooltip("source:N", title=" "), alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".10g")]))
    title = chart_text(f"cost_title.{loss}", lang)
    title = alt.TitleParams(title, subtitle=" · ".join(subtitles)) if subtitles else title
    return styled(alt.layer(*layers).properties(width=width, height=height, title=title))


def gradient_frames(run, max_points: int = MAX_POINTS, lang: str = "en") -> dict:
    """The data of gradient_chart: the non-zero norms per layer, and where a layer's gradient is exactly 0
    from some step on, that step and a note saying so."""
    _, grad_df = history_frames(run, max_points, lang)
    frames = {"grads": grad_df[grad_df.norm > 0]}
    names = layer_names(run.grad_norms.shape[1], lang)
    zeros = [(names[l], s) for l, s in enumerate(run.zero_gradient_from()) if s is not None]
    if zeros:
        frames["zeros"] = pd.DataFrame({"layer": [n for n, _ in zeros], "step": [s for _, s in zeros],
                                        "note": [chart_text("zero_from", lang, step=f"{s:,}") for _, s in zeros]})
        every = len(zeros) == len(names) and all(s == 0 for _, s in zeros)
        notes = [chart_text("all_zero", lang)] if every else [
            chart_text("zero_from_layer", lang, layer=n, step=f"{s:,}") for n, s in zeros[:3]]
        frames["note"] = pd.DataFrame({"t": ["\n".join(wrapped(note) for note in notes)]})
    return frames


NOTE_COLUMNS = 20  # a note's lines in a chart a quarter of the page wide: ~140 px at 14 px, ~180 px on a projector


def columns(text: str) -> int:
    """How wide text is set, in columns: a Hangul syllable (or any wide character) two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped(text: str, width: int = NOTE_COLUMNS) -> str:
    """The text in as few lines of at most `width` columns as it needs (a longer word keeps a line of its own),
    broken at spaces (not at a no-break space: "exactly 0" stays together), the lines about as long as each other (no
    word left alone on the last)."""
    words = [w for w in text.split(" ") if w]
    if not words:
        return ""
    whole = columns(" ".join(words))
    for lines in range(math.ceil(whole / width), len(words) + 1):  # the fewest lines …
        for target in range(min(width, math.ceil(whole / lines)), width + 1):  # … each as narrow as they can be
            out = _greedy(words, target)
            if len(out) <= lines:
                return "\n".join(out)
    return "\n".join(words)  # (a word wider than `width` on each line)


def _greedy(words: list, target: int) -> list:
    out = [words[0]]
    for word in words[1:]:
        if columns(f"{out[-1]} {word}") <= target:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


DECADES = [10.0 ** k for k in range(-45, 4)]  # the gradient axes' ticks: float32's smallest norm is ~1e-45
# … labelled 1000 … 0.01, then 1e-3 … 1e-45: at most five characters (0.000001 took eight, and pushed the legend under
# the chart past its right edge in a half column at the projector's fonts)
DECADE_LABELS = "datum.value >= 0.01 ? format(datum.value, '~g') : format(datum.value, '~e')"


def gradient_chart(run, width="container", height: int = 260, max_points: int = MAX_POINTS, lang: str = "en",
                   frames=None, narrow: bool = False, now: bool = False):
    """‖∂C/∂W_l‖ per step, one colour per layer, input side first (log axis). A gradient that is exactly 0
    cannot sit on a log axis: where a layer's gradient is 0 from some step on, a dashed rule marks that step, and a
    note in the top right corner says so (where the gradients have fallen by the end of a run, away from the rule).
    `narrow`: the legend in one column (a chart in a quarter of the page). `now`: a dot a layer at the last step."""
    frames = frames or gradient_frames(run, max_points, lang)
    names = layer_names(run.grad_norms.shape[1], lang)
    colour = alt.Color("layer:N", sort=names, scale=alt.Scale(scheme="viridis", domain=names),
                       legend=alt.Legend(title=chart_text("layer_legend", lang), orient="bottom", labelLimit=0,
                                         columns=1 if narrow else 2 if len(names) <= 4 else 3,
                                         # narrow (a quarter of a projector's page): "1 (input)" … "4 (output)"
                                         labelExpr=f"{json.dumps(short_layer_names(len(names), lang))}[datum.index]"
                                         if narrow else alt.Undefined))
    layers = [alt.Chart(frames["grads"]).mark_line(strokeWidth=2.5).encode(
        x=_step_axis(run, lang),
        y=alt.Y("norm:Q", title=chart_text("grad_axis", lang), scale=alt.Scale(type="log"),
                # a tick at each power of ten the axis spans (DECADES) and none between: Vega's own log ticks over
                # a few decades are its 1–9 multiples thinned to fit ("3e-1, 1e-1, 2e-2")
                axis=alt.Axis(labelExpr=DECADE_LABELS, values=DECADES)),
        color=colour, order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("layer:N"), alt.Tooltip("norm:Q", format=".3e")],
    ).add_params(_zoom("zoom_grad"))]
    if now:
        layers.append(_last_step(alt.Chart(frames["grads"])).mark_point(filled=True, size=90, opacity=1,
                                                                        stroke="white", strokeWidth=1.5).encode(
            x=alt.X("step:Q"), y=alt.Y("norm:Q"), color=colour,
            tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("layer:N"), alt.Tooltip("norm:Q", format=".3e")]))
    if "zeros" in frames:
        layers.append(alt.Chart(frames["zeros"]).mark_rule(strokeDash=[6, 4], strokeWidth=2).encode(
            x=alt.X("step:Q"), color=colour, tooltip=[alt.Tooltip("layer:N"), alt.Tooltip("note:N", title=" ")]))
        layers.append(alt.Chart(frames["note"]).mark_text(
            align="right", baseline="top", x="width", dx=-8, y=8, color="#333333", limit=0, lineBreak="\n").encode(
            text=alt.Text("t:N")))
    return styled(alt.layer(*layers).properties(width=width, height=height, title=chart_text("grad_title", lang)))


def training_charts(run, log_cost: bool = False, width: int = 420, height: int = 300, max_points: int = MAX_POINTS,
                    lang: str = "en"):
    """Both charts side by side at a fixed size, titled with the run: the picture behind the PNG/SVG download
    (on screen each chart takes its own column, stacked where the screen is narrow)."""
    parts = [cost_chart(run, log_cost, width, height, max_points, lang),
             gradient_chart(run, width, height, max_points, lang)]
    chart = alt.hconcat(*[unstyled(p) for p in parts]).properties(
        title=alt.TitleParams(run.config.label() + f" · {run.steps_done:,} / {run.config.steps:,}", fontSize=15),
        padding={"left": 10, "top": 10, "right": 30, "bottom": 10})  # room for the last tick label
    return styled(chart, font=EXPORT_FONT)


def unstyled(chart):
    """A chart without its top-level config, so it can be concatenated (only the top level may carry config)."""
    copy = chart.copy()
    copy.config = alt.Undefined
    return copy


BOUNDARY_GRID = 41  # cells a side of the decision boundary's picture (Play draws a coarser one while moving)


def boundary_frames(run, step=None, params=None, resolution=None, lang: str = "en", titled: bool = True) -> dict:
    """The data of decision_boundary: the grid of P(class 1) (`resolution` cells a side, BOUNDARY_GRID where None),
    the training points, and the title (without the step where `titled` is False: while playing, the spec stays
    the same and the browser only swaps numbers)."""
    resolution = resolution or BOUNDARY_GRID
    lo, hi = plane(run.config)
    edges = np.linspace(lo, hi, resolution + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    gx, gy = np.meshgrid(centres, centres)
    probs = run.predict(np.stack([gx.ravel(), gy.ravel()], 1), step, params)
    cell = (hi - lo) / resolution
    grid = pd.DataFrame({"x1": gx.ravel() - cell / 2, "x1_end": gx.ravel() + cell / 2,
                         "x2": gy.ravel() - cell / 2, "x2_end": gy.ravel() + cell / 2,
                         "p": np.nan_to_num(probs, nan=0.5)})
    X, Y = make_data(run.config)
    points = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1],
                           "label": np.where(Y[:, 0] > 0.5, chart_text("class1", lang), chart_text("class0", lang))})
    at = run.steps_done if step is None else step
    title = chart_text("boundary_title", lang, step=f"{at:,}") if titled else chart_text("boundary", lang)
    return {"grid": grid, "points": points, "title": title}


def decision_boundary(run, step=None, resolution=None, width="container", height: int = 320,
                      lang: str = "en", params=None, frames=None, clickable: bool = False, legends_below=False):
    """P(class 1) over the input plane as a heatmap, with the training points on top (at the run's weights
    of `step`: its nearest snapshot, or `params`, the exact flat weights of that step). `clickable`: a click
    on a cell selects it (the selection "add_point": the students add their own points there). With
    `legends_below`, the colour scale sits under the plane and the subtitle names the points' shapes: the chart is
    then no wider than the plane, which keeps the size it is given (drawn square in a narrow column)."""
    below = dict(orient="bottom", direction="horizontal") if legends_below else {}
    frames = frames or boundary_frames(run, step, params, resolution, lang)
    lo, hi = plane(run.config)
    c0, c1 = chart_text("class0", lang), chart_text("class1", lang)
    scale = alt.Scale(domain=[lo, hi], nice=False)
    # XOR's plane: 0, 0.5, 1 (a tick every 0.2 ran "−0.20.0" together in a laptop's column)
    axis = alt.Axis(tickCount=3, labelSeparation=4)
    heat = alt.Chart(frames["grid"]).mark_rect().encode(
        x=alt.X("x1:Q", title=chart_text("x1", lang), scale=scale, axis=axis), x2=alt.X2("x1_end:Q"),
        y=alt.Y("x2:Q", title=chart_text("x2", lang), scale=scale, axis=axis), y2=alt.Y2("x2_end:Q"),
        color=alt.Color("p:Q", title=chart_text("p1", lang), scale=alt.Scale(scheme="blueorange", domain=[0, 1]),
                        legend=alt.Legend(**below, gradientLength=120) if below else alt.Undefined),
        tooltip=[alt.Tooltip("p:Q", format=".3f", title=chart_text("p1", lang))],
    )
    if clickable:
        heat = heat.add_params(alt.selection_point(name="add_point", on="click", clear=False,
                                                   fields=["x1", "x1_end", "x2", "x2_end"]))
    points = frames["points"]
    dots = alt.Chart(points).mark_point(filled=True, size=160 if len(points) <= 4 else 40, stroke="black",
                                        strokeWidth=1, opacity=1).encode(
        x=alt.X("x1:Q"), y=alt.Y("x2:Q"),
        color=alt.Color("label:N", title=chart_text("data", lang),
                        scale=alt.Scale(domain=[c0, c1], range=[BLUE, ORANGE]),
                        legend=None if below else alt.Undefined),  # below: the title's subtitle says it
        shape=alt.Shape("label:N", legend=None, scale=alt.Scale(domain=[c0, c1], range=["circle", "square"])),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("x1:Q", format=".2f"), alt.Tooltip("x2:Q", format=".2f")],
    )
    title = alt.TitleParams(frames["title"], subtitle=chart_text("data_shapes", lang)) if below else frames["title"]
    chart = (heat + dots).resolve_scale(color="independent").properties(width=width, height=height, title=title)
    if below:  # the plane keeps its size and the legend is added below it (Streamlit's default fits all into it)
        chart = chart.properties(autosize=alt.AutoSizeParams(type="pad"))
    return styled(chart)


def plateau_chart(rows, lang: str = "en"):
    """How long each kind of run stays on its starting plateau over many seeds: one row per (label, steps at
    which each seed's cost left it), a dot per seed and a bar at the median."""
    frame = pd.DataFrame([{"run": name, "step": int(s)} for name, steps in rows for s in steps])
    medians = frame.groupby("run", sort=False).step.median().reset_index()
    order = [name for name, _ in rows]
    y = alt.Y("run:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("step:Q", title=chart_text("plateau_axis", lang))
    dots = alt.Chart(frame).mark_tick(opacity=0.35, thickness=2).encode(
        x=x, y=y, tooltip=[alt.Tooltip("run:N"), alt.Tooltip("step:Q")])
    bars = alt.Chart(medians).mark_tick(color=BLUE, thickness=5, size=26).encode(
        x=x, y=y, tooltip=[alt.Tooltip("run:N"), alt.Tooltip("step:Q", title=chart_text("median", lang))])
    return styled((dots + bars).properties(width="container", height=40 * len(rows) + 20,
                                          title=chart_text("plateau_title", lang)))

