"""The net as a picture (Train, Chain rule): one column of units a layer, every weight a line whose width is |w| and
whose colour is its sign, the input units named by their features. Its data comes from network_frames (Play swaps
new weights into a chart built once). Altair only, never Streamlit, like charts.py whose look it shares."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from .charts import FEATURE_LABELS, NEGATIVE, POSITIVE, chart_text, styled


def network_frames(run, step=None, params=None, max_units: int = 12, lang: str = "en", titled: bool = True) -> dict:
    """The data of network_diagram: one row per drawn weight and per unit, and the title."""
    W, b = run.params_at(run.steps_done if step is None else step, params)
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
                              "w": w, "abs": abs(w), "sign": chart_text("positive" if w >= 0 else "negative", lang),
                              "name": f"W{l + 1}[{j + 1},{k + 1}]"})
    nodes = []
    for l, n in enumerate(shown):
        for j in range(n):
            kind = "unit_input" if l == 0 else "unit_output" if l == len(sizes) - 1 else "unit_hidden"
            bias = float(b[l - 1][0, 0, j]) if l > 0 else float("nan")
            name = FEATURE_LABELS[run.config.features[j]] if l == 0 else ""
            nodes.append({"x": l, "y": y_of(n, j), "unit": chart_text(kind, lang, l=l, j=j + 1, name=name),
                          "bias": bias, "name": name})
    hidden = max(n - s for n, s in zip(sizes, shown))
    at = run.steps_done if step is None else step
    arch = arch_name(sizes)
    heading = chart_text("net_title", lang, arch=arch, step=f"{at:,}") if titled else chart_text("net", lang, arch=arch)
    hint = chart_text("net_hidden_units", lang, k=hidden) if hidden else chart_text("net_hover", lang)
    title = alt.TitleParams(heading, subtitle=hint)
    inputs = {f"{y_of(shown[0], j) + 0:g}": node["name"] for j, node in enumerate(nodes[:shown[0]])}
    return {"edges": pd.DataFrame(edges), "nodes": pd.DataFrame(nodes), "title": title, "half": (max(shown) - 1) / 2,
            "inputs": inputs}


def arch_name(sizes) -> str:
    """The net's layers as the lab writes them, '2-10-10-10-1'; a net too long for a narrow column's title
    (over 14 characters) names its equal hidden layers once, with their count: '3-64×8-1'."""
    full = "-".join(map(str, sizes))
    if len(full) <= 14 or len(set(sizes[1:-1])) != 1:
        return full
    return f"{sizes[0]}-{sizes[1]}×{len(sizes) - 2}-{sizes[-1]}"


def network_diagram(run, step=None, max_units: int = 12, width="container", height: int = 320, lang: str = "en",
                    params=None, frames=None):
    """The net as a picture: one column of units per layer, weights as lines (width |w|, colour sign)."""
    frames = frames or network_frames(run, step, params, max_units, lang)
    half = frames["half"] + 0.6
    L = len(run.config.layer_sizes) - 1
    xs, ys = alt.Scale(domain=[-0.3, L + 0.3]), alt.Scale(domain=[-half, half])
    # the input layer's features (x₁, x₂, x₁x₂, …) name its units as the labels of an axis: the chart makes room
    # for them at any width and font size, as it does for any axis
    names = " : ".join(f"datum.value == {y} ? {json.dumps(name)}" for y, name in frames["inputs"].items())
    inputs = alt.Axis(values=[float(y) for y in frames["inputs"]], labelExpr=f"{names} : ''", title=None,
                      domain=False, ticks=False, grid=False, labelPadding=2)
    lines = alt.Chart(frames["edges"]).mark_rule(opacity=0.8).encode(
        x=alt.X("x:Q", axis=None, scale=xs), y=alt.Y("y:Q", axis=inputs, scale=ys),
        x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q"),
        strokeWidth=alt.StrokeWidth("abs:Q", scale=alt.Scale(zero=True, range=[0.3, 7]), legend=None),
        color=alt.Color("sign:N", title=chart_text("weight", lang), scale=alt.Scale(
            domain=[chart_text("positive", lang), chart_text("negative", lang)], range=[POSITIVE, NEGATIVE]),
            legend=alt.Legend(orient="bottom", direction="vertical")),  # one above the other: fits a narrow column
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("w:Q", format=".4f")],
    )
    dots = alt.Chart(frames["nodes"]).mark_circle(size=260, color="#444444", opacity=1).encode(
        x=alt.X("x:Q"), y=alt.Y("y:Q"),
        tooltip=[alt.Tooltip("unit:N"), alt.Tooltip("bias:Q", format=".4f", title=chart_text("bias", lang))])
    return styled((lines + dots).properties(width=width, height=height, title=frames["title"]))
