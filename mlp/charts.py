"""Altair charts of a run: cost and per-layer gradient norms (linked), decision boundary, network diagram.

Builds chart specs only; it imports altair and pandas, never streamlit, so the pictures can be tested
and saved without a server. Long histories are downsampled (sample_steps) so one redraw stays small.
Colours are colour-blind-safe: viridis for ordered layers, blue/orange for the two classes and signs.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .data import make_data

BLUE, ORANGE = "#0072B2", "#E69F00"  # Okabe–Ito: safe for the common colour-vision deficiencies
RUN_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
MAX_POINTS = 240  # steps per curve sent to the browser


def sample_steps(cost: np.ndarray, max_points: int = MAX_POINTS) -> np.ndarray:
    """Sorted step indices to draw: log-spaced (the early plateau), evenly spaced (the long tail) and
    dense over the steepest part (the drop), always with the first and last step; at most max_points."""
    T = len(cost)
    if T <= max_points:
        return np.arange(T)
    k = (max_points - 2) // 3
    log = np.geomspace(1, T - 1, k).astype(int)
    even = np.linspace(0, T - 1, k).astype(int)
    w = max(1, T // 20)
    change = np.abs(np.nan_to_num(cost[w:] - cost[:-w]))
    s = int(np.argmax(change))
    steep = np.linspace(s, min(T - 1, s + w), k).astype(int)
    return np.unique(np.concatenate([[0, T - 1], log, even, steep]))


def layer_names(L: int) -> list[str]:
    """'layer 1 (input side)' … 'layer L (output)', the legend of every gradient chart."""
    if L == 1:
        return ["layer 1 (input → output)"]
    return [f"layer {l + 1}" + (" (input side)" if l == 0 else " (output)" if l == L - 1 else "") for l in range(L)]


def history_frames(run, max_points: int = MAX_POINTS):
    """(cost frame: step, cost, accuracy) and (gradient frame, long form: step, layer, norm, order)."""
    idx = sample_steps(run.cost, max_points)
    cost = pd.DataFrame({"step": idx, "cost": run.cost[idx], "accuracy": run.accuracy[idx].astype(float)})
    names = layer_names(run.grad_norms.shape[1])
    grads = pd.DataFrame({
        "step": np.repeat(idx, len(names)),
        "layer": np.tile(names, len(idx)),
        "order": np.tile(np.arange(len(names)), len(idx)),
        "norm": run.grad_norms[idx].astype(float).reshape(-1),
    })
    return cost, grads


def _style(chart):
    return (chart.configure_axis(labelFontSize=14, titleFontSize=16, gridOpacity=0.5)
            .configure_legend(labelFontSize=14, titleFontSize=15, labelLimit=260)
            .configure_title(fontSize=18, anchor="start")
            .configure_view(strokeWidth=0))


def training_charts(run, log_cost: bool = False, width: int = 380, height: int = 300, max_points: int = MAX_POINTS):
    """Cost per step beside ‖∂C/∂W_l‖ per step, sharing the step axis; brushing the strip below zooms both."""
    cost_df, grad_df = history_frames(run, max_points)
    brush = alt.selection_interval(encodings=["x"], name="zoom")
    x = alt.X("step:Q", title="step", scale=alt.Scale(domain=brush, nice=False))
    cost_df = cost_df[cost_df.cost > 0] if log_cost else cost_df
    title = "Cost (binary cross-entropy) per step"
    cost = alt.Chart(cost_df, title=title).mark_line(color=BLUE, strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("cost:Q", title="cost (nats)", scale=alt.Scale(type="log" if log_cost else "linear")),
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("cost:Q", format=".6f"), alt.Tooltip("accuracy:Q", format=".0%")],
    ).properties(width=width, height=height)
    nonzero = grad_df[grad_df.norm > 0]
    grads = alt.Chart(nonzero, title="Gradient size per layer ‖∂C/∂W‖ per step").mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("norm:Q", title="‖∂C/∂W‖ (Frobenius norm, log)", scale=alt.Scale(type="log")),
        color=alt.Color("layer:N", sort=layer_names(run.grad_norms.shape[1]),
                        scale=alt.Scale(scheme="viridis"), legend=alt.Legend(title="Linear layer", orient="bottom",
                                                                               columns=3)),
        order="order:Q",
        tooltip=[alt.Tooltip("step:Q"), "layer:N", alt.Tooltip("norm:Q", format=".3e")],
    ).properties(width=width, height=height)
    overview = alt.Chart(cost_df, title=alt.TitleParams("Zoom: drag across this strip to zoom both charts below; "
                                                        "double-click it to reset", fontSize=14)).mark_area(
        color=BLUE, opacity=0.35).encode(
        x=alt.X("step:Q", title=None),
        y=alt.Y("cost:Q", title=None, axis=alt.Axis(labels=False, ticks=False)),
    ).add_params(brush).properties(width=2 * width + 60, height=50)
    return _style(alt.vconcat(overview, alt.hconcat(cost, grads)))


def _grid_bounds(config):
    return (-0.25, 1.25) if config.dataset in ("xor", "and", "or") else (-1.3, 1.3)


def decision_boundary(run, step=None, resolution: int = 41, size: int = 380):
    """P(class 1) over the input plane as a heatmap, with the training points on top."""
    lo, hi = _grid_bounds(run.config)
    edges = np.linspace(lo, hi, resolution + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    gx, gy = np.meshgrid(centres, centres)
    probs = run.predict(np.stack([gx.ravel(), gy.ravel()], 1), step)
    cell = (hi - lo) / resolution
    grid = pd.DataFrame({"x1": gx.ravel() - cell / 2, "x1_end": gx.ravel() + cell / 2,
                         "x2": gy.ravel() - cell / 2, "x2_end": gy.ravel() + cell / 2,
                         "p": np.nan_to_num(probs, nan=0.5)})
    X, Y = make_data(run.config)
    points = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "label": np.where(Y[:, 0] > 0.5, "class 1", "class 0")})
    scale = alt.Scale(domain=[lo, hi], nice=False)
    heat = alt.Chart(grid).mark_rect().encode(
        x=alt.X("x1:Q", title="input x₁", scale=scale), x2="x1_end:Q",
        y=alt.Y("x2:Q", title="input x₂", scale=scale), y2="x2_end:Q",
        color=alt.Color("p:Q", title="P(class 1)", scale=alt.Scale(scheme="blueorange", domain=[0, 1])),
        tooltip=[alt.Tooltip("p:Q", format=".3f", title="P(class 1)")],
    )
    dots = alt.Chart(points).mark_point(filled=True, size=160 if len(points) <= 4 else 40, stroke="black",
                                        strokeWidth=1, opacity=1).encode(
        x="x1:Q", y="x2:Q",
        color=alt.Color("label:N", title="data", scale=alt.Scale(domain=["class 0", "class 1"], range=[BLUE, ORANGE])),
        shape=alt.Shape("label:N", legend=None, scale=alt.Scale(domain=["class 0", "class 1"],
                                                                 range=["circle", "square"])),
        tooltip=["label:N", alt.Tooltip("x1:Q", format=".2f"), alt.Tooltip("x2:Q", format=".2f")],
    )
    at = run.steps_done if step is None else step
    chart = (heat + dots).resolve_scale(color="independent").properties(
        width=size, height=size, title=f"Decision boundary at step {at:,}")
    return _style(chart)


def network_diagram(run, step=None, max_units: int = 12, width: int = 520, height: int = 380):
    """The net as a picture: one column of units per layer, weights as lines (width |w|, colour sign)."""
    W, b = run.params_at(run.steps_done if step is None else step)
    sizes = run.config.layer_sizes
    shown = [min(n, max_units) for n in sizes]

    def y_of(n_shown, j):
        return (j - (n_shown - 1) / 2) * 1.0

    edges = []
    for l in range(len(W)):
        for j in range(shown[l]):
            for k in range(shown[l + 1]):
                w = float(W[l][0][j, k])
                edges.append({"x": l, "y": y_of(shown[l], j), "x2": l + 1, "y2": y_of(shown[l + 1], k),
                              "w": w, "abs": abs(w), "sign": "positive" if w >= 0 else "negative",
                              "name": f"W{l + 1}[{j + 1},{k + 1}]"})
    nodes = []
    for l, n in enumerate(shown):
        for j in range(n):
            kind = "input" if l == 0 else "output" if l == len(sizes) - 1 else f"hidden layer {l}"
            bias = float(b[l - 1][0, 0, j]) if l > 0 else float("nan")
            nodes.append({"x": l, "y": y_of(n, j), "unit": f"{kind}, unit {j + 1}", "bias": bias})
    edge_df, node_df = pd.DataFrame(edges), pd.DataFrame(nodes)
    top = max(abs(edge_df["w"]).max(), 1e-12) if len(edge_df) else 1.0
    half = (max(shown) - 1) / 2 + 0.6
    xs, ys = alt.Scale(domain=[-0.3, len(W) + 0.3]), alt.Scale(domain=[-half, half])
    lines = alt.Chart(edge_df).mark_rule(opacity=0.8).encode(
        x=alt.X("x:Q", axis=None, scale=xs), y=alt.Y("y:Q", axis=None, scale=ys), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("abs:Q", scale=alt.Scale(domain=[0, top], range=[0.3, 7]), legend=None),
        color=alt.Color("sign:N", title="weight", scale=alt.Scale(domain=["positive", "negative"],
                                                                   range=[BLUE, ORANGE])),
        tooltip=["name:N", alt.Tooltip("w:Q", format=".4f")],
    )
    dots = alt.Chart(node_df).mark_circle(size=260, color="#444444", opacity=1).encode(
        x="x:Q", y="y:Q", tooltip=["unit:N", alt.Tooltip("bias:Q", format=".4f")])
    hidden = [f"{n - s} more units not drawn" for n, s in zip(sizes, shown) if n > s]
    at = run.steps_done if step is None else step
    title = f"Network {'-'.join(map(str, sizes))} at step {at:,}: line width = |w|"
    chart = (lines + dots).properties(width=width, height=height, title=alt.TitleParams(
        title, subtitle=("; ".join(hidden[:1]) + " per layer") if hidden else "hover a line or unit for its value"))
    return _style(chart)


def compare_charts(runs, log_cost: bool = True, width: int = 380, height: int = 300, max_points: int = 300):
    """Pinned runs overlaid: cost per step and first/last layer gradient norms, one colour per run."""
    costs, grads = [], []
    for label, run in runs:
        cost_df, grad_df = history_frames(run, max_points)
        costs.append(cost_df.assign(run=label))
        names = layer_names(run.grad_norms.shape[1])
        ends = grad_df[grad_df.layer.isin([names[0], names[-1]])].copy()
        ends["layer"] = np.where(ends.layer == names[0], "first layer (input side)", "last layer (output)")
        grads.append(ends.assign(run=label))
    cost_df, grad_df = pd.concat(costs), pd.concat(grads)
    labels = [label for label, _ in runs]
    colour = alt.Color("run:N", title="pinned run", sort=labels,
                       scale=alt.Scale(domain=labels, range=RUN_COLOURS[: len(labels)] or RUN_COLOURS),
                       legend=alt.Legend(orient="bottom", columns=1, labelLimit=520))
    cost_df = cost_df[cost_df.cost > 0] if log_cost else cost_df
    cost = alt.Chart(cost_df, title="Cost per step").mark_line(strokeWidth=2.5).encode(
        x=alt.X("step:Q", title="step"),
        y=alt.Y("cost:Q", title="cost (nats)", scale=alt.Scale(type="log" if log_cost else "linear")),
        color=colour, tooltip=["run:N", "step:Q", alt.Tooltip("cost:Q", format=".6f")],
    ).properties(width=width, height=height)
    grads = alt.Chart(grad_df[grad_df.norm > 0], title="‖∂C/∂W‖ of the first and last layer").mark_line(
        strokeWidth=2.5).encode(
        x=alt.X("step:Q", title="step"),
        y=alt.Y("norm:Q", title="‖∂C/∂W‖ (log)", scale=alt.Scale(type="log")),
        color=colour,
        strokeDash=alt.StrokeDash("layer:N", title="layer", sort=["first layer (input side)", "last layer (output)"],
                                  legend=alt.Legend(orient="bottom")),
        tooltip=["run:N", "layer:N", "step:Q", alt.Tooltip("norm:Q", format=".3e")],
    ).properties(width=width, height=height)
    return _style(alt.hconcat(cost, grads))


def sweep_curves(sw, max_curves: int = 200, points: int = 60, width: int = 780, height: int = 320):
    """Cost per step of many seeds: each curve faint (solved blue, stuck orange), the median in bold."""
    pick = np.linspace(0, len(sw.steps) - 1, min(points, len(sw.steps))).astype(int)
    steps = sw.steps[pick]
    shown = np.unique(np.concatenate([np.flatnonzero(sw.stuck)[: max_curves // 2],
                                      np.arange(len(sw.seeds))]))[:max_curves]
    outcome = np.where(sw.stuck, "stuck", "solved")
    faint = pd.DataFrame({
        "seed": np.repeat(sw.seeds[shown], len(steps)),
        "step": np.tile(steps, len(shown)),
        "cost": sw.cost[shown][:, pick].reshape(-1).astype(float),
        "outcome": np.repeat(outcome[shown], len(steps)),
    }).dropna()
    median = pd.DataFrame({"step": sw.steps, "cost": np.nanmedian(sw.cost, axis=0)})
    colour = alt.Color("outcome:N", title="seed", scale=alt.Scale(domain=["solved", "stuck"], range=[BLUE, ORANGE]),
                       legend=alt.Legend(symbolOpacity=1, symbolStrokeWidth=3))
    y = alt.Y("cost:Q", title="cost (nats, log)", scale=alt.Scale(type="log"))
    lines = alt.Chart(faint[faint.cost > 0]).mark_line(opacity=0.18, strokeWidth=1).encode(
        x=alt.X("step:Q", title="step"), y=y, detail="seed:N", color=colour,
        tooltip=["seed:N", "outcome:N", "step:Q", alt.Tooltip("cost:Q", format=".4f")])
    med = alt.Chart(median[median.cost > 0]).mark_line(color="black", strokeWidth=3.5).encode(
        x="step:Q", y="cost:Q", tooltip=["step:Q", alt.Tooltip("cost:Q", format=".4f", title="median cost")])
    title = f"Cost per step of {len(shown)} of {len(sw.seeds)} seeds (faint) and the median of all (bold)"
    return _style((lines + med).properties(width=width, height=height, title=title))


def sweep_histograms(sw, width: int = 380, height: int = 260):
    """Histograms: the step at which each seed solved the task, and each seed's final cost."""
    solved = sw.solved_step[~sw.stuck]
    edges = np.linspace(0, max(1, sw.steps_done), 31)
    counts, _ = np.histogram(solved, edges)
    steps = pd.DataFrame({"from": edges[:-1], "to": edges[1:], "seeds": counts})
    finals = sw.final_cost[np.isfinite(sw.final_cost) & (sw.final_cost > 0)]
    lo, hi = (np.log10(finals.min()), np.log10(finals.max())) if len(finals) else (-4, 0)
    cost_edges = np.logspace(lo - 0.01, hi + 0.01, 31)
    ccounts, _ = np.histogram(finals, cost_edges)
    costs = pd.DataFrame({"from": cost_edges[:-1], "to": cost_edges[1:], "seeds": ccounts})
    a = alt.Chart(steps, title=f"Step at which a seed solved it ({len(solved)} of {len(sw.seeds)} did)").mark_bar(
        color=BLUE).encode(x=alt.X("from:Q", title="steps to solve", bin="binned"), x2="to:Q",
                           y=alt.Y("seeds:Q", title="seeds"), tooltip=["from:Q", "to:Q", "seeds:Q"])
    b = alt.Chart(costs, title="Final cost of each seed").mark_bar(color=ORANGE).encode(
        x=alt.X("from:Q", title="final cost (nats, log)", scale=alt.Scale(type="log"), bin="binned"), x2="to:Q",
        y=alt.Y("seeds:Q", title="seeds"), tooltip=[alt.Tooltip("from:Q", format=".2e"),
                                                    alt.Tooltip("to:Q", format=".2e"), "seeds:Q"])
    return _style(alt.hconcat(a.properties(width=width, height=height), b.properties(width=width, height=height)))
