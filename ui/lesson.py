"""The Lesson's runs (RUNS: what each step trains), the figure that settles each step's question in a live class
(settles), and the steps inside the net and its training rule: what the seed net's hidden units learned (named
from their truth tables by mlp.logic, not by hand), the other way out of the perceptron's dead end (a
feature cross), and why the seed trains on cross-entropy rather than squared error (measured over seeds)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

import mlp
from i18n import attach_particles
from mlp.data import CORNERS
from mlp.logic import hidden_logic

from . import charts, comparisons, units
from .figures import chart, chart_of, comparison, history
from .runs import solved_costs, sweep, train
from .session import lang, t
from .sidebar import page_links

SEEDS = 64  # nets per loss in the "why cross-entropy" measurement

SEED = mlp.Config(device="cpu", init="notebook")  # the very 2-2-1 net the lab notebook printed: sigmoid, lr 1
DEEP = replace(SEED, hidden_layers=3, width=10)  # its deep cell's 2-10-10-10-1
# Each step's runs: (the text key of its label, its Config)
RUNS = {
    1: [("preset.perceptron", replace(SEED, hidden_layers=0))],
    2: [("lesson.run_manual", SEED)],
    3: [("lesson.run_manual", SEED), ("lesson.run_autograd", replace(SEED, backend="autograd"))],
    4: [("lesson.run_221", SEED), ("lesson.run_deep", DEEP)],
    5: [("lesson.run_sigmoid6", replace(SEED, hidden_layers=6, width=10, steps=3001, init="default")),
        ("lesson.run_relu6", replace(SEED, hidden_layers=6, width=10, steps=3001, activation="relu", lr=0.1,
                                     init="default"))],
    6: [("lesson.run_zero", replace(SEED, init="zeros")), ("lesson.run_lab", replace(SEED, grad_convention="seed-lab")),
        ("lesson.run_mean", SEED)],
    7: [("lesson.run_221", SEED)],  # inside the seed net: its two hidden units
    8: [("lesson.run_plain", replace(SEED, hidden_layers=0)),  # the other way out: x₁x₂ as an input
        ("lesson.run_cross", replace(SEED, hidden_layers=0, features=("x1", "x2", "x1x2")))],
    9: [("loss.bce", SEED), ("loss.mse", replace(SEED, loss="mse"))],  # the same net trained on squared error
}


# The lesson's last step ends with where to go next: (the page's file, the text key of what it offers there)
NEXT = [("pages/1_Train.py", "lesson.end.train"), ("pages/2_Chain_rule.py", "lesson.end.chain"),
        ("pages/6_Map.py", "lesson.end.map"), ("pages/4_Robustness.py", "lesson.end.robust"),
        ("pages/3_Compare.py", "lesson.end.compare")]


def where_next():
    """After the last step: the pages a student goes on to, each with what it shows (a link each, not a disabled
    Next that leaves a student who has read it all at a dead end)."""
    box = st.container(border=True)
    box.markdown(t("lesson.end"))
    page_links(NEXT, box)


def trained(runs: list) -> list:
    """[(label, Run)] of [(text key, Config)] (a step's RUNS), from the run store (trained now if no page has yet)."""
    return [(t(label), train(config)) for label, config in runs]


def settles(step: int, target=st):
    """The runs that settle step `step`'s question (ui.live shows them with the answer when the lecturer reveals
    it), the engine's own, drawn as the question asks: the layers' gradients at step 0 of the lab's deep net (5),
    each weight step of the lab's sum against the mean's (6), the hidden units' pictures (7), else the cost per
    step of the step's runs."""
    runs = trained({5: RUNS[4][1:], 6: RUNS[6][1:]}.get(step, RUNS[step]))
    target.caption(t("class.settles", runs=", ".join(label for label, _ in runs)))
    if step == 5:
        chart_of(comparisons.layer_gradient_profile, runs, 0, height=220, lang=lang(), target=target,
                 alt_text=t("lesson.5.title"))
    elif step == 7:
        chart_of(units.unit_maps, runs[0][1], 0, lang=lang(), size=120, axes=True, target=target,
                 alt_text=t("alt.units"))
    else:
        chart_of(comparisons.compare_cost_chart, runs, height=220, lang=lang(), target=target,
                 alt_text=t("alt.compare_cost"))
    if step == 6:
        (lab_label, lab), (mean_label, mean) = runs
        ratios = {f"{r:.1f}" for r in lab.grad_norms[0] / mean.grad_norms[0]}  # each layer's ‖∂C/∂W‖ at step 0
        target.caption(t("class.settles_6", lab=lab_label, mean=mean_label, ratio="–".join(sorted(ratios))))


# How a Korean lecturer reads each of mlp.logic's 16 functions aloud, {a} and {b} its inputs; each particle pair
# ("이/가") becomes the form that fits the word before it (i18n.attach_particles: x₁ is read 엑스 일, x₂ 엑스 이)
KOREAN_READINGS = {
    "0000": "언제나 0", "0001": "{a}과/와 {b}이/가 모두 1", "0010": "{a}만 1", "0011": "{a} 그대로",
    "0100": "{b}만 1", "0101": "{b} 그대로", "0110": "{a}과/와 {b} 중 하나만 1",
    "0111": "{a}과/와 {b} 중 하나 이상이 1", "1000": "{a}과/와 {b}이/가 모두 0",
    "1001": "{a}과/와 {b}이/가 같음", "1010": "{b}이/가 0", "1011": "{a}이/가 1이거나 {b}이/가 0",
    "1100": "{a}이/가 0", "1101": "{b}이/가 1이거나 {a}이/가 0", "1110": "{a}과/와 {b}이/가 모두 1은 아님",
    "1111": "언제나 1",
}


def korean_reading(bits: str, a: str = "x₁", b: str = "x₂") -> str:
    """The function of a truth table read in Korean: korean_reading('1100', 'h₁', 'h₂') = 'h₁이 0'."""
    return attach_particles(KOREAN_READINGS[bits].format(a=a, b=b))


def hidden_units(run):
    """Step 7: the two hidden units' pictures beside the output's, their truth table, and the sentence."""
    W, b = run.params_at(run.steps_done)
    logic = hidden_logic(W, b, run.config.activation)
    left, right = st.columns([2, 1])
    left, right = left.container(key="fixed_units_hidden"), right.container(key="fixed_units_output")  # ui.session
    left.caption(t("lesson.units_hidden"))
    chart_of(units.unit_maps, run, 0, lang=lang(), size=150, axes=True, target=left, alt_text=t("alt.units"))
    right.caption(t("lesson.units_output"))
    chart_of(units.unit_maps, run, 1, lang=lang(), size=150, axes=True, target=right, alt_text=t("alt.units"))
    names = logic.names()
    if lang() == "ko":  # the formula, then how it reads in Korean
        readings = [korean_reading(bits) for bits in logic.hidden_tables]
        names = {"units": [f"{n} ({r})" for n, r in zip(names["units"], readings)],
                 "output": f"{names['output']} ({korean_reading(logic.output_of_hidden, 'h₁', 'h₂')})",
                 "net": f"{names['net']} ({korean_reading(logic.output_table)})"}
    st.markdown(t("lesson.units_sentence", h1=names["units"][0], h2=names["units"][1], out=names["output"],
                  net=names["net"]))
    rows = {"x₁": CORNERS[:, 0].astype(int), "x₂": CORNERS[:, 1].astype(int)}
    for j in range(2):
        rows[f"h{'₁₂'[j]}"] = [_rounded(v) for v in logic.hidden[:, j]]
    rows["ŷ"] = [_rounded(v) for v in logic.output]
    st.table(pd.DataFrame(rows), hide_index=True, width="content")  # HTML: presenter mode sizes its text
    st.caption(t("lesson.units_caption"))


def _rounded(value: float) -> str:
    return f"{value:.2f} → {mlp.predicted_class(value)}"


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
        chart_of(charts.decision_boundary, run, lang=lang(), alt_text=t("alt.boundary"))
    probs = run.predict(CORNERS)
    right.markdown(t("lesson.cross_weights", formula=f"ŷ = σ({terms} + ({float(b[0][0, 0, 0]):.2f}))",
                     cost=f"{run.cost[-1]:.4f}", values=" ".join(f"{p:.2f}" for p in probs),
                     solved="✓" if np.all(mlp.predicted_class(probs) == [0, 1, 1, 0]) else "✗"))


def why_cross_entropy(trained):
    """Step 9: the lab's net on cross-entropy and on squared error: both curves and the layers' gradients, then
    over SEEDS seeds how long each stays on its plateau and how many it solves, and cross-entropy at half the
    learning rate beside them (squared error's factor ŷ(1 − ŷ) is ¼ where ŷ ≈ ½: half of cross-entropy's step)."""
    for label, run in trained:  # two panels: a cross-entropy and a squared error are not on one scale
        st.subheader(label)
        history(run, log_y=True)
    bce, mse = (measured(run.config) for _, run in trained)
    half_rate = replace(trained[0][1].config, lr=trained[0][1].config.lr / 2)
    half = measured(half_rate)
    rows = [(f"{trained[0][0]}, lr {trained[0][1].config.lr:g}", bce), (f"{trained[1][0]}, lr "
            f"{trained[1][1].config.lr:g}", mse), (f"{trained[0][0]}, lr {half_rate.lr:g}", half)]
    chart(charts.plateau_chart([(name, m["plateau_steps"]) for name, m in rows], lang=lang()),
          alt_text=t("chart.plateau_title"))
    st.markdown(t("lesson.ce_measured", n=SEEDS, bce_plateau=bce["plateau"], mse_plateau=mse["plateau"],
                  bce=bce["median"], bce_solved=bce["solved"], mse=mse["median"], mse_solved=mse["solved"],
                  **solved_costs()))
    st.markdown(t("lesson.ce_half", lr=f"{half_rate.lr:g}", n=SEEDS, plateau=half["plateau"],
                  solved=half["solved"], median=half["median"]))


def measured(config) -> dict:
    """Over SEEDS seeds of `config`: the median step at which the cost leaves its starting plateau, how many
    seeds solve the task, and their median step to solve it (as texts)."""
    result = sweep(config, SEEDS)
    solved, left = result.solved_step[result.solved_step >= 0], result.plateau_end()
    return dict(solved=len(solved), median=_median(solved), plateau=_median(left[left >= 0]),
                plateau_steps=left[left >= 0])


def _median(steps) -> str:
    return f"{int(np.median(steps)):,}" if len(steps) else "—"
