"""Chain rule: the seed's hand-written back-propagation at one step, numbers beside the equations and the code."""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

import mlp
import ui
from mlp import backprop

LOCAL = [ui.Control("step", "", "Step", 0, "int", 0, ui.STEPS_MAX),
         ui.Control("lab", "", "Course lab's gradient convention", False, "bool")]
SHOWN = 8  # samples shown in the tables (the truth tables have 4)


@st.cache_data(max_entries=64, ttl=3600, show_spinner="Replaying the run up to that step…")
def detail(config: mlp.Config, step: int):
    return mlp.inspect_step(config, step)


def matrix(values, row_name="sample", col_name="unit", target=None):
    values = np.atleast_2d(values)[:SHOWN]
    frame = pd.DataFrame(values, columns=[f"{col_name} {j + 1}" for j in range(values.shape[1])])
    if target is not None:
        frame["target y"] = target[:SHOWN, 0]
    frame.index = [f"{row_name} {i + 1}" for i in range(len(frame))]
    return frame.style.format("{:.4g}")


def equation_and_values(latex, values, caption, **names):
    left, right = st.columns([2, 3])
    left.latex(latex)
    left.caption(caption)
    right.dataframe(matrix(values, **names), width="stretch")


ui.page("Chain rule", icon="🔗", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    st.title("Chain rule")
    st.markdown("The seed's back-propagation cell, made general: the forward pass keeps $z$ and $a$ of every "
                "layer, then the backward pass runs from the output to the input, one equation a line. "
                "Every number below is computed at the weights the run had at the chosen step, in float64.")
    if st.session_state["step"] > config.steps - 1:
        st.session_state["step"] = config.steps - 1
    step = ui.bound(st.slider, "Step", "step", 0, config.steps - 1, help="the weights before that step's update")
    lab = ui.bound(st.toggle, "Use the course lab's gradient convention: weight gradients summed over the batch, "
                   "bias gradients averaged (the lab's bug)", "lab")
    shown_config = ui.with_config(config, grad_convention="seed-lab" if lab else "mean")
    d = detail(shown_config, step)
    L = len(d.W)
    n = len(d.Y)
    f = config.activation
    fprime = {"sigmoid": r"\sigma'(z) = a(1-a)", "tanh": r"\tanh'(z) = 1-a^2", "relu": r"\mathrm{relu}'(z) = [z>0]"}[f]

    st.header("Forward pass")
    st.caption(f"{n} samples" + (f"; the first {SHOWN} are shown" if n > SHOWN else "") +
               f". Hidden layers use {f}; the output uses σ.")
    equation_and_values(r"a_0 = X", d.X, "the inputs", col_name="x")
    for l in range(L):
        act = r"\sigma" if l == L - 1 else (r"\mathrm{" + f + "}")
        with st.expander(f"Layer {l + 1}" + (" (output)" if l == L - 1 else ""), expanded=l in (0, L - 1)):
            equation_and_values(rf"z_{l + 1} = a_{l} W_{l + 1} + b_{l + 1}", d.z[l], "pre-activation")
            equation_and_values(rf"a_{l + 1} = {act}(z_{l + 1})", d.a[l + 1],
                                "ŷ, the probability of class 1" if l == L - 1 else "activation",
                                target=d.Y if l == L - 1 else None)
    st.latex(r"C = -\frac{1}{N}\sum_n \big[y_n \log \hat y_n + (1-y_n)\log(1-\hat y_n)\big] = " + f"{d.cost:.6g}")

    st.header("Backward pass")
    code_col, math_col = st.columns([3, 2])
    with code_col:
        st.markdown("The engine's own `backward` (read from `mlp/backprop.py` as it runs, not a copy):")
        st.code(inspect.getsource(backprop.backward), language="python", wrap_lines=True)
    with math_col:
        st.latex(r"\delta_L = \frac{\partial C}{\partial \hat y}\odot\sigma'(z_L) = \frac{\hat y - y}{N}")
        st.latex(r"\frac{\partial C}{\partial W_l} = a_{l-1}^{\top}\,\delta_l \qquad "
                 r"\frac{\partial C}{\partial b_l} = \sum_n \delta_l")
        st.latex(r"\delta_{l-1} = (\delta_l W_l^{\top}) \odot f'(z_{l-1}), \quad " + fprime)
        if lab:
            st.warning(f"Course-lab convention: every ∂C/∂W is multiplied by N = {n} (summed over the batch, "
                       "not averaged) while ∂C/∂b stays averaged. The true gradient is the one autograd gives.",
                       icon="🐞")
    for l in reversed(range(L)):
        with st.expander(f"Layer {l + 1}" + (" (output)" if l == L - 1 else ""), expanded=l in (0, L - 1)):
            equation_and_values(rf"\delta_{l + 1} = \partial C / \partial z_{l + 1}", d.delta[l], "δ per sample",
                                target=d.Y if l == L - 1 else None)
            scale = f"{n} \\cdot " if lab else ""
            equation_and_values(rf"\partial C/\partial W_{l + 1} = {scale}a_{l}^\top \delta_{l + 1}", d.dW[l],
                                "rows: inputs of the layer, columns: its units", row_name="in", col_name="unit")
            equation_and_values(rf"\partial C/\partial b_{l + 1} = \textstyle\sum_n \delta_{l + 1}", d.db[l][None],
                                "one number per unit", row_name="b", col_name="unit")

    st.header("Hand-written vs autograd")
    st.markdown("`loss.backward()` on the same weights in float64 is the oracle (makemore's `cmp`):")
    diffs = d.differences()
    rows = []
    for l in range(L):
        for name, mine, theirs in ((f"W{l + 1}", d.dW[l], d.autograd_dW[l]), (f"b{l + 1}", d.db[l], d.autograd_db[l])):
            rows.append({"parameter": name, "shape": "×".join(map(str, np.shape(mine))) or "1",
                         "max |hand − autograd|": diffs[name], "‖hand-written‖": float(np.linalg.norm(mine)),
                         "‖autograd‖": float(np.linalg.norm(theirs)),
                         "agree": "✓" if diffs[name] <= 1e-9 * max(1.0, float(np.abs(theirs).max())) else "✗"})
    st.dataframe(pd.DataFrame(rows).style.format({"max |hand − autograd|": "{:.2e}", "‖hand-written‖": "{:.4g}",
                                                 "‖autograd‖": "{:.4g}"}), hide_index=True, width="stretch")
    if lab:
        st.subheader("What the lab's convention does to the curve")
        mean_run = ui.train(ui.with_config(config, grad_convention="mean"))
        lab_run = ui.train(ui.with_config(config, grad_convention="seed-lab"))
        ui.chart(ui.charts.compare_charts([("mean over samples (correct)", mean_run),
                                           ("course lab: W summed, b averaged", lab_run)]),
                 alt_text="Cost and gradient curves with the correct and the course lab's convention")
        st.caption(f"Summing makes every weight step {n}× larger than the learning rate says, so the lab's "
                   "curve is really that of a larger learning rate for the weights only.")
