"""The Lesson's steps inside the net and its training rule: what the seed net's hidden units learned (named
from their truth tables by mlp.logic, not by hand), the other way out of the perceptron's dead end (a
feature cross), and why the seed trains on cross-entropy rather than squared error (measured over seeds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from mlp.data import CORNERS
from mlp.logic import hidden_logic

from . import charts, units
from .figures import chart, chart_of, comparison
from .runs import sweep
from .session import lang, t

SEEDS = 64  # nets per loss in the "why cross-entropy" measurement


def hidden_units(run):
    """Step 7: the two hidden units' pictures beside the output's, their truth table, and the sentence."""
    W, b = run.params_at(run.steps_done)
    logic = hidden_logic(W, b, run.config.activation)
    left, right = st.columns([2, 1])
    left.caption(t("lesson.units_hidden"))
    chart_of(units.unit_maps, run, 0, lang=lang(), size=150, target=left, alt_text=t("alt.units"))
    right.caption(t("lesson.units_output"))
    chart_of(units.unit_maps, run, 1, lang=lang(), size=150, target=right, alt_text=t("alt.units"))
    names = logic.names()
    st.markdown(t("lesson.units_sentence", h1=names["units"][0], h2=names["units"][1], out=names["output"],
                  net=names["net"]))
    rows = {"x₁": CORNERS[:, 0].astype(int), "x₂": CORNERS[:, 1].astype(int)}
    for j in range(2):
        rows[f"h{'₁₂'[j]}"] = [_rounded(v) for v in logic.hidden[:, j]]
    rows["ŷ"] = [_rounded(v) for v in logic.output]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="content")
    st.caption(t("lesson.units_caption"))


def _rounded(value: float) -> str:
    return f"{value:.2f} → {int(value > 0.5)}"


def feature_cross(trained):
    """Step 8: the plain perceptron beside the one that also gets x₁x₂: both curves, and the crossed one's
    boundary and weights."""
    comparison(trained)
    _, run = trained[-1]
    W, b = run.params_at(run.steps_done)
    w = W[0][0][:, 0]
    names = [charts.FEATURE_LABELS[f] for f in run.config.features]
    terms = " + ".join(f"({v:.2f})·{name}" for v, name in zip(w, names))
    left, right = st.columns(2)
    with left:
        chart(charts.decision_boundary(run, lang=lang()), alt_text=t("alt.boundary"))
    probs = run.predict(CORNERS)
    right.markdown(t("lesson.cross_weights", formula=f"ŷ = σ({terms} + ({float(b[0][0, 0, 0]):.2f}))",
                     cost=f"{run.cost[-1]:.4f}", values=" ".join(f"{p:.2f}" for p in probs),
                     solved="✓" if np.all((probs > 0.5) == np.array([0, 1, 1, 0], bool)) else "✗"))


def why_cross_entropy(trained):
    """Step 9: the seed net on cross-entropy and on squared error: both curves and the layers' gradients, then
    how long each stays on its plateau, measured over SEEDS seeds (median steps until solved)."""
    comparison(trained)
    measured = {}
    for _, run in trained:
        result = sweep(run.config, SEEDS)
        solved, left = result.solved_step[result.solved_step >= 0], result.plateau_end()
        measured[run.config.loss] = dict(solved=len(solved), median=_median(solved), plateau=_median(left[left >= 0]))
    bce, mse = measured["bce"], measured["mse"]
    st.markdown(t("lesson.ce_measured", n=SEEDS, bce_plateau=bce["plateau"], mse_plateau=mse["plateau"],
                  bce=bce["median"], bce_solved=bce["solved"], mse=mse["median"], mse_solved=mse["solved"]))


def _median(steps) -> str:
    return f"{int(np.median(steps)):,}" if len(steps) else "—"
