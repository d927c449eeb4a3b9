"""Charts of many runs at once: runs overlaid (Compare, the Lesson, the lab's convention), a sweep's seeds and
histograms (Robustness), and each layer's gradient at one step across nets (the Lesson's step 5).

Altair and pandas only, never streamlit, like charts.py, whose helpers and colours these share.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from mlp.notebook import cell_of

from .charts import (
    DECADE_LABELS,
    DECADES,
    EXPORT_FONT,
    REFERENCE,
    RUN_COLOURS,
    SOLVED,
    STUCK,
    chart_text,
    history_frames,
    layer_names,
    styled,
    unstyled,
)


def _run_colour(labels, legend, lang):
    # a run's label as long as the plot is wide, then "…" (the page lists each run's whole label above the chart):
    # unlimited, a long one ran past the chart's column and was cut mid-word ("시드 77")
    return alt.Color("run:N", title=chart_text(legend, lang), sort=labels,
                     scale=alt.Scale(domain=labels, range=RUN_COLOURS[: len(labels)] or RUN_COLOURS),
                     legend=alt.Legend(orient="bottom", columns=1, labelLimit={"expr": "width - 24"}))


def compare_cost_chart(runs, log_cost: bool = True, width="container", height: int = 260, max_points: int = 300,
                       lang: str = "en", legend: str = "run", dashed: bool = False, logs=()):
    """Runs overlaid: the cost per step, one colour per run. `dashed` draws the later runs dashed over a wider
    first one, so curves that coincide both stay visible. The seed notebook's printed log is drawn as markers
    for a run that trains its net, and for each (label, [(step, cost), …]) in `logs`."""
    labels = [label for label, _ in runs]
    frames, printed = [], list(logs)
    for i, (label, run) in enumerate(runs):
        cost_df, _ = history_frames(run, max_points, lang)
        frames.append(cost_df.assign(run=label, dash="solid" if i == 0 or not dashed else "dashed"))
        cell = cell_of(run.config)
        name = chart_text("notebook_log", lang) + f" ({cell.name})" if cell else None
        if cell and name not in dict(printed):
            printed.append((name, [(s, c) for s, c in cell.log() if s < run.config.steps]))
    cost_df = pd.concat(frames)
    cost_df = cost_df[cost_df.cost > 0] if log_cost else cost_df
    x = alt.X("step:Q", title=chart_text("step", lang), axis=alt.Axis(format=",.0f", labelOverlap=True, tickCount=5))
    losses = {run.config.loss for _, run in runs}  # one loss: its unit; several: none
    unit = f"cost_axis.{losses.pop()}" if len(losses) == 1 else "cost_axis.mixed"
    y = alt.Y("cost:Q", title=chart_text(unit, lang), scale=alt.Scale(type="log" if log_cost else "linear"))
    lines = alt.Chart(cost_df).mark_line().encode(
        x=x, y=y, color=_run_colour(labels, legend, lang),
        strokeDash=alt.StrokeDash("dash:N", scale=alt.Scale(domain=["solid", "dashed"], range=[[1, 0], [7, 5]]),
                                  legend=None),
        strokeWidth=alt.StrokeWidth("dash:N", scale=alt.Scale(domain=["solid", "dashed"],
                                                               range=[5 if dashed else 2.5, 2.5]), legend=None),
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".6f")])
    layers = [lines]
    if printed:
        marks = pd.DataFrame([(name, s, c) for name, log in printed for s, c in log],
                             columns=["source", "step", "cost"])
        layers.append(alt.Chart(marks).mark_point(filled=False, size=70, strokeWidth=2, color=REFERENCE).encode(
            x=alt.X("step:Q"), y=alt.Y("cost:Q"),
            shape=alt.Shape("source:N", title=None, legend=alt.Legend(orient="top", columns=1, labelLimit=0,
                                                                      symbolStrokeColor=REFERENCE)),
            tooltip=[alt.Tooltip("source:N", title=" "), alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".10g")]))
    return styled(alt.layer(*layers).properties(width=width, height=height, title=chart_text("compare_cost", lang)))


def compare_gradient_chart(runs, width="container", height: int = 260, max_points: int = 300, lang: str = "en",
                           legend: str = "run", dashed: bool = False):
    """Runs overlaid: ‖∂C/∂W‖ of the first and the last layer (solid and dashed), one colour per run (the
    colours of the cost chart beside it, whose legend names them). `dashed`: the first run drawn wider."""
    grads = []
    first, last = chart_text("first_layer", lang), chart_text("last_layer", lang)
    for label, run in runs:
        _, grad_df = history_frames(run, max_points, lang)
        names = layer_names(run.grad_norms.shape[1], lang)
        ends = grad_df[grad_df.layer.isin([names[0], names[-1]])].copy()
        ends["layer"] = np.where(ends.layer == names[0], first, last)
        grads.append(ends.assign(run=label, wide=int(dashed and not grads)))
    grad_df = pd.concat(grads)
    labels = [label for label, _ in runs]
    chart = alt.Chart(grad_df[grad_df.norm > 0], title=chart_text("compare_grad", lang)).mark_line().encode(
        x=alt.X("step:Q", title=chart_text("step", lang), axis=alt.Axis(format=",.0f", labelOverlap=True, tickCount=5)),
        y=alt.Y("norm:Q", title=chart_text("compare_grad_axis", lang), scale=alt.Scale(type="log"),
                axis=alt.Axis(values=DECADES, labelExpr=DECADE_LABELS)),  # as on every gradient axis
        color=alt.Color("run:N", sort=labels, legend=None,
                        scale=alt.Scale(domain=labels, range=RUN_COLOURS[: len(labels)] or RUN_COLOURS)),
        strokeDash=alt.StrokeDash("layer:N", title=chart_text("layer_legend", lang), sort=[first, last],
                                  legend=alt.Legend(orient="bottom", labelLimit=0)),
        strokeWidth=alt.StrokeWidth("wide:O", scale=alt.Scale(domain=[0, 1], range=[2.5, 5]), legend=None),
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("layer:N"), alt.Tooltip("step:Q"),
                 alt.Tooltip("norm:Q", format=".3e")],
    ).properties(width=width, height=height)
    return styled(chart)


def compare_charts(runs, log_cost: bool = True, width: int = 420, height: int = 300, lang: str = "en",
                   legend: str = "run"):
    """Both comparison charts side by side at a fixed size: the picture behind the PNG/SVG download."""
    parts = [compare_cost_chart(runs, log_cost, width, height, lang=lang, legend=legend),
             compare_gradient_chart(runs, width, height, lang=lang)]
    return styled(alt.hconcat(*[unstyled(p) for p in parts]).properties(
        padding={"left": 10, "top": 10, "right": 30, "bottom": 10}), font=EXPORT_FONT)


def sweep_curves(sw, max_curves: int = 256, points: int = 48, width="container", height: int = 320, lang: str = "en"):
    """Cost per step of many seeds: each curve faint (solved sky blue, stuck vermillion), the median in bold."""
    pick = np.linspace(0, len(sw.steps) - 1, min(points, len(sw.steps))).astype(int)
    steps = sw.steps[pick]
    stuck = np.flatnonzero(sw.stuck)[: max_curves // 2]  # the interesting ones are drawn first …
    rest = np.setdiff1d(np.arange(len(sw.seeds)), stuck)[: max_curves - len(stuck)]  # … then the others
    shown = np.sort(np.concatenate([stuck, rest]))
    solved, stuck = chart_text("solved", lang), chart_text("stuck", lang)
    outcome = np.where(sw.stuck, stuck, solved)
    faint = pd.DataFrame({
        "seed": np.repeat(sw.seeds[shown], len(steps)),
        "step": np.tile(steps, len(shown)),
        "cost": sw.cost[shown][:, pick].reshape(-1).astype(float),
        "outcome": np.repeat(outcome[shown], len(steps)),
    }).dropna()
    median = pd.DataFrame({"step": sw.steps, "cost": np.nanmedian(sw.cost, axis=0)})
    colour = alt.Color("outcome:N", title=chart_text("seed", lang), scale=alt.Scale(domain=[solved, stuck],
                                                                             range=[SOLVED, STUCK]),
                       legend=alt.Legend(symbolOpacity=1, symbolStrokeWidth=3))
    y = alt.Y("cost:Q", title=chart_text("cost_axis_log", lang), scale=alt.Scale(type="log"))
    lines = alt.Chart(faint[faint.cost > 0]).mark_line(opacity=0.18, strokeWidth=1).encode(
        x=alt.X("step:Q", title=chart_text("step", lang)), y=y, detail=alt.Detail("seed:N"), color=colour,
        tooltip=[alt.Tooltip("seed:N"), alt.Tooltip("outcome:N"), alt.Tooltip("step:Q"),
                 alt.Tooltip("cost:Q", format=".4f")])
    med = alt.Chart(median[median.cost > 0]).mark_line(color="black", strokeWidth=3.5).encode(
        x=alt.X("step:Q"), y=alt.Y("cost:Q"),
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".4f", title=chart_text("median_cost", lang))])
    title = chart_text("sweep_title", lang, shown=len(shown), n=len(sw.seeds))
    return styled((lines + med).properties(width=width, height=height, title=title))


def solved_histogram(sw, width="container", height: int = 260, lang: str = "en"):
    """How many seeds solved the task by each step."""
    solved = sw.solved_step[~sw.stuck]
    edges = np.linspace(0, max(1, sw.steps_done), 31)
    counts, _ = np.histogram(solved, edges)
    steps = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "seeds": counts})
    return styled(alt.Chart(steps, title=chart_text("solved_title", lang, k=len(solved), n=len(sw.seeds))).mark_bar(
        color=SOLVED).encode(
        x=alt.X("from:Q", title=chart_text("steps_to_solve", lang), bin="binned",
                axis=alt.Axis(format=",.0f", tickCount=5, labelOverlap="greedy", labelSeparation=6)),  # (a projector)
        x2=alt.X2("to:Q"),
        y=alt.Y("seeds:Q", title=chart_text("seeds", lang)),
        tooltip=[alt.Tooltip("from:Q"), alt.Tooltip("to:Q"), alt.Tooltip("seeds:Q")],
    ).properties(width=width, height=height))


def final_cost_histogram(sw, width="container", height: int = 260, lang: str = "en"):
    """Each seed's final cost (log bins), solved seeds sky blue and stuck ones vermillion, stacked."""
    ok = np.isfinite(sw.final_cost) & (sw.final_cost > 0)
    finals = sw.final_cost[ok]
    lo, hi = (np.log10(finals.min()), np.log10(finals.max())) if len(finals) else (-4, 0)
    cost_edges = np.logspace(lo - 0.01, hi + 0.01, 31)
    solved, stuck = chart_text("solved", lang), chart_text("stuck", lang)
    rows = []
    for name, mask in ((solved, ~sw.stuck[ok]), (stuck, sw.stuck[ok])):
        counts, _ = np.histogram(finals[mask], cost_edges)
        rows.append(pd.DataFrame({"from": cost_edges[:-1], "to": cost_edges[1:], "seeds": counts, "outcome": name}))
    costs = pd.concat(rows)
    return styled(alt.Chart(costs[costs.seeds > 0], title=chart_text("final_title", lang)).mark_bar().encode(
        x=alt.X("from:Q", title=chart_text(f"final_axis.{sw.config.loss}", lang),
                scale=alt.Scale(type="log"), bin="binned",
                axis=alt.Axis(labelOverlap="greedy", labelSeparation=6)), x2=alt.X2("to:Q"),
        y=alt.Y("seeds:Q", title=chart_text("seeds", lang), stack="zero"),
        color=alt.Color("outcome:N", title=chart_text("seed", lang), scale=alt.Scale(domain=[solved, stuck],
                                                                              range=[SOLVED, STUCK]),
                        legend=alt.Legend(orient="top", direction="horizontal")),  # above the bars: inside the
        # plot any corner can hold a tall bin (the solved seeds' first, or the stuck ones' where most are stuck)
        tooltip=[alt.Tooltip("outcome:N"), alt.Tooltip("from:Q", format=".2e"), alt.Tooltip("to:Q", format=".2e"),
                 alt.Tooltip("seeds:Q")],
    ).properties(width=width, height=height))


def layer_gradient_profile(runs, step: int = 0, width="container", height: int = 320, lang: str = "en"):
    """Each layer's ‖∂C/∂W‖ at one step, input side first, one line per run: vanishing gradients at a glance."""
    rows = []
    for label, run in runs:
        names = layer_names(run.grad_norms.shape[1], lang)
        for l, name in enumerate(names):
            rows.append({"net": label, "layer": name, "order": l, "norm": float(run.grad_norms[step, l])})
    frame = pd.DataFrame(rows)
    labels = [label for label, _ in runs]
    layers = list(dict.fromkeys(frame.sort_values("order").layer))
    chart = alt.Chart(frame[frame.norm > 0], title=chart_text("profile_title", lang, step=step)).mark_line(
        point=alt.OverlayMarkDef(size=120, filled=True), strokeWidth=3).encode(
        x=alt.X("layer:N", title=chart_text("layer_legend", lang), sort=layers, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("norm:Q", title=chart_text("grad_axis", lang), scale=alt.Scale(type="log"),
                axis=alt.Axis(values=DECADES, labelExpr=DECADE_LABELS)),
        color=alt.Color("net:N", title=chart_text("net_legend", lang), sort=labels,
                        scale=alt.Scale(domain=labels, range=RUN_COLOURS[: len(labels)])),
        tooltip=[alt.Tooltip("net:N"), alt.Tooltip("layer:N"), alt.Tooltip("norm:Q", format=".3e")],
    ).properties(width=width, height=height)
    return styled(chart)


def map_frame(result, labels: dict) -> pd.DataFrame:
    """One row a cell of a hyper_map: its two settings (as text, in axis order), and what its seeds did."""
    rows, cols = result.rows, result.cols
    out = []
    for i, r in enumerate(rows[1]):
        for j, c in enumerate(cols[1]):
            out.append({"row": labels[rows[0]](r), "col": labels[cols[0]](c), "i": i, "j": j,
                        "solved": result.solved_fraction[i, j], "steps": result.median_solved_step[i, j],
                        "diverged": result.diverged_fraction[i, j], "cost": result.median_final_cost[i, j]})
    return pd.DataFrame(out)


def map_chart(result, labels: dict, lang: str = "en", width="container", clickable: bool = False):
    """The map as a heatmap: the share of seeds that solve the task in each cell (viridis: colour-blind safe),
    its percentage written in the cell; hover for median steps to solve, diverged share and final cost."""
    frame = map_frame(result, labels)
    x = alt.X("col:N", title=chart_text(f"map_axis_{result.cols[0]}", lang), axis=alt.Axis(labelAngle=0),
              sort=[labels[result.cols[0]](v) for v in result.cols[1]])
    y = alt.Y("row:N", title=chart_text(f"map_axis_{result.rows[0]}", lang), sort=[labels[result.rows[0]](v)
                                                                          for v in result.rows[1]][::-1])
    tooltip = [alt.Tooltip("row:N", title=chart_text(f"map_axis_{result.rows[0]}", lang)),
               alt.Tooltip("col:N", title=chart_text(f"map_axis_{result.cols[0]}", lang)),
               alt.Tooltip("solved:Q", format=".0%", title=chart_text("map_solved", lang)),
               alt.Tooltip("steps:Q", format=",.0f", title=chart_text("map_steps", lang)),
               alt.Tooltip("diverged:Q", format=".0%", title=chart_text("map_diverged", lang)),
               alt.Tooltip("cost:Q", format=".3g", title=chart_text("map_cost", lang))]
    cells = alt.Chart(frame).mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("solved:Q", title=chart_text("map_solved", lang),
                        scale=alt.Scale(scheme="viridis", domain=[0, 1]),
                        legend=alt.Legend(format=".0%")))
    if clickable:
        cells = cells.add_params(alt.selection_point(name="map_cell", on="click", fields=["i", "j"]))
    text = alt.Chart(frame.dropna(subset=["solved"])).mark_text().encode(
        x=x, y=y, text=alt.Text("solved:Q", format=".0%"),
        color=alt.condition("datum.solved > 0.6", alt.value("black"), alt.value("white")))
    title = chart_text("map_title", lang, n=result.n_seeds)
    return styled((cells + text).properties(width=width, height=max(220, 34 * len(result.rows[1])), title=title))
