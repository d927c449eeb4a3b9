"""What each unit computes and how much it learns: Altair charts of one layer's units (no Streamlit).

unit_maps: TensorFlow Playground's neuron pictures, one small heatmap a unit over the input plane, at a step.
unit_gradient_strip: one row a unit, the size of its incoming weights' gradient over the whole run.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from mlp.data import make_data, plane
from mlp.model import ACTIVATIONS, OUTPUT

from .charts import chart_text, styled


def unit_frames(run, layer: int, step=None, params=None, resolution=None, lang: str = "en") -> dict:
    """The data of unit_maps: every unit of `layer` (0-based; the last is the output) over a grid of the input
    plane (cells ix, iy with their centres x1, x2), with its incoming weights, its bias and its value at the
    data's first points, for the tooltip. Wide layers get a coarser grid, so a redraw stays small."""
    n_units = run.config.layer_sizes[layer + 1]
    resolution = resolution or (15 if n_units <= 16 else 11)
    lo, hi = plane(run.config)
    centres = np.linspace(lo, hi, resolution)
    iy, ix = np.divmod(np.arange(resolution * resolution), resolution)
    grid = np.stack([centres[ix], centres[iy]], 1)
    X, _ = make_data(run.config)
    shown = X[:4]  # the truth tables' four points (the noisy sets: their first four)
    values = run.activations(np.concatenate([grid, shown]), step, params)[layer]
    W, b = run.params_at(run.steps_done if step is None else step, params)
    output = layer == len(run.config.layer_sizes) - 2
    half = (hi - lo) / (resolution - 1) / 2  # each cell's half width: its edges, for pictures drawn with axes
    rows = []
    for j in range(n_units):
        weights = ", ".join(f"{w:.3g}" for w in W[layer][0][:, j])
        at_points = ", ".join(f"({x:g},{y:g})→{v:.2f}" for (x, y), v in zip(shown, values[len(grid):, j]))
        rows.append(pd.DataFrame({
            "unit": chart_text("unit_output_label" if output else "unit_label", lang, j=j + 1), "order": j,
            "ix": ix, "iy": iy, "x1": grid[:, 0], "x2": grid[:, 1], "x1_lo": grid[:, 0] - half,
            "x1_hi": grid[:, 0] + half, "x2_lo": grid[:, 1] - half, "x2_hi": grid[:, 1] + half,
            "value": np.nan_to_num(values[:len(grid), j]),
            "weights": weights, "bias": f"{float(b[layer][0, 0, j]):.3g}", "at_points": at_points}))
    return {"cells": pd.concat(rows, ignore_index=True)}


def unit_maps(run, layer: int, step=None, params=None, resolution=None, lang: str = "en", frames=None,
              size: int = 84, axes: bool = False):
    """Small pictures of what each unit of one layer computes over the input plane (TensorFlow Playground's
    neuron pictures): one heatmap a unit, hover for its incoming weights, bias and values at the points.
    `axes`: the input plane's x₁ and x₂ axes beside them (the Lesson's larger pictures)."""
    frames = frames or unit_frames(run, layer, step, params, resolution, lang)
    L = len(run.config.layer_sizes) - 1
    act = ACTIVATIONS[run.config.activation] if layer < L - 1 else OUTPUT
    domain = alt.Undefined if act.high is None else [act.low, act.high]  # an unbounded unit (relu): its own range
    scale = alt.Scale(scheme="blueorange", domain=domain)
    if axes:  # the plane's own coordinates, the cells by their edges
        cells = frames["cells"]
        domain = [float(cells.x1_lo.min()), float(cells.x1_hi.max())]
        ticks = [0, 1] if domain[0] < 0 < 1 < domain[1] else alt.Undefined  # the truth tables' corners
        position = dict(
            x=alt.X("x1_lo:Q", scale=alt.Scale(domain=domain, nice=False), title="x₁",
                    axis=alt.Axis(values=ticks, grid=False)), x2=alt.X2("x1_hi:Q"),
            y=alt.Y("x2_lo:Q", scale=alt.Scale(domain=domain, nice=False), title="x₂",
                    axis=alt.Axis(values=ticks, grid=False)), y2=alt.Y2("x2_hi:Q"))
    else:
        position = dict(x=alt.X("ix:O", axis=None), y=alt.Y("iy:O", axis=None, sort="descending"))  # x₂ upwards
    chart = alt.Chart(frames["cells"]).mark_rect().encode(
        **position,
        color=alt.Color("value:Q", scale=scale, title=chart_text("unit_value", lang)),
        tooltip=[alt.Tooltip("unit:N", title=" "),
                 alt.Tooltip("value:Q", format=".3f", title=chart_text("unit_value", lang)),
                 alt.Tooltip("weights:N", title=chart_text("unit_weights", lang)),
                 alt.Tooltip("bias:N", title=chart_text("bias", lang)),
                 alt.Tooltip("at_points:N", title=chart_text("unit_points", lang))],
    ).properties(width=size, height=size).facet(
        facet=alt.Facet("unit:N", sort=alt.SortField("order"), title=None,
                        header=alt.Header(labelPadding=2)),  # its size: the header config (larger for a projector)
        columns=min(6, frames["cells"]["order"].max() + 1), spacing=8)
    return styled(chart)


def unit_gradient_frames(run, layer: int, max_cells: int = 6000) -> dict:
    """The data of unit_gradient_strip: per unit of `layer` and kept step, ‖∂C/∂w‖ of its incoming weights
    (exact zeros left out: a unit that gets no gradient at all shows as a blank stripe)."""
    norms = run.unit_grad_norms[:, run.unit_columns(layer)]
    steps = run.unit_steps
    units = norms.shape[1]
    every = max(1, -(-len(steps) * units // max_cells))  # wide layers: fewer columns, so a redraw stays small
    steps, norms = steps[::every], norms[::every]
    ends = np.append(steps[1:], max(run.steps_done, int(steps[-1]) + 1)) if len(steps) else steps
    k, j = np.meshgrid(np.arange(len(steps)), np.arange(units), indexing="ij")
    values = norms[k.ravel(), j.ravel()].astype(np.float64)
    cells = pd.DataFrame({"step": steps[k.ravel()], "step_end": ends[k.ravel()], "unit": j.ravel() + 1,
                          "norm": np.where(values > 0, values, np.nan)})
    return {"cells": cells.dropna()}


def unit_gradient_strip(run, layer: int, lang: str = "en", frames=None, width="container"):
    """Which units learn, and when: one row a unit of `layer`, its incoming weights' gradient size over the
    whole run as colour (log scale)."""
    frames = frames or unit_gradient_frames(run, layer)
    units = run.config.layer_sizes[layer + 1]
    chart = alt.Chart(frames["cells"]).mark_rect().encode(
        x=alt.X("step:Q", title=chart_text("step", lang),
                scale=alt.Scale(domain=[0, max(1, run.steps_done)], nice=False)),
        x2=alt.X2("step_end:Q"),
        y=alt.Y("unit:O", title=chart_text("unit_axis", lang), axis=alt.Axis(labelOverlap=True)),
        color=alt.Color("norm:Q", title=chart_text("unit_grad", lang), scale=alt.Scale(type="log", scheme="blues"),
                        legend=alt.Legend(format=".1e")),  # 2.4e-2, not 0.0235210973769
        tooltip=[alt.Tooltip("unit:O", title=chart_text("unit_axis", lang)),
                 alt.Tooltip("step:Q", format=",", title=chart_text("step", lang)),
                 alt.Tooltip("norm:Q", format=".3g", title="‖∂C/∂w‖")],
    ).properties(width=width, height=min(320, max(90, 18 * units)), title=chart_text("unit_grad_title", lang))
    return styled(chart)
