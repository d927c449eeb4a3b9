"""Chain rule: the seed's hand-written back-propagation at one step, numbers beside the equations and the code."""

import inspect
import time

import numpy as np
import pandas as pd
import streamlit as st

import mlp
import ui
from mlp import backprop

LOCAL = [ui.Control("step", "", "ctl.step", 0, "int", 0, ui.STEPS_MAX),
         ui.Control("lab", "", "ctl.lab", False, "bool")]
SHOWN = 8  # samples shown in the tables (the truth tables have 4)
PLAY_EVERY = 0.8  # seconds between steps while playing


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def detail(config: mlp.Config, step: int):
    return mlp.inspect_step(config, step)


def matrix(values, row="table.sample", col="table.unit", target=None):
    values = np.atleast_2d(values)[:SHOWN]
    frame = pd.DataFrame(values, columns=[f"{ui.t(col)} {j + 1}" for j in range(values.shape[1])])
    if target is not None:
        frame[ui.t("chain.col_target")] = target[:SHOWN, 0]
    frame.index = [f"{ui.t(row)} {i + 1}" for i in range(len(frame))]
    return frame.style.format("{:.4g}")


def equation_and_values(latex, values, caption, **names):
    left, right = st.columns([2, 3])
    left.latex(latex)
    left.caption(caption)
    right.dataframe(matrix(values, **names), width="stretch")


def move(by=None, to=None, playing=None):
    """Step-through controls: move the chosen step, or start/stop playing."""
    last = st.session_state["_last_step"]
    if to is not None:
        st.session_state["step"] = to
    if by is not None:
        st.session_state["step"] = min(last, st.session_state["step"] + by)
    if playing is not None:
        st.session_state["_playing"] = playing


ui.page("page.chain", icon="🔗", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    t = ui.t
    st.title(t("page.chain"))
    ui.intro(t("chain.intro"))
    last = config.steps - 1
    st.session_state["_last_step"] = last
    if st.session_state["step"] > last:
        st.session_state["step"] = last
    playing = st.session_state.get("_playing", False) and st.session_state["step"] < last
    st.caption(t("chain.step_buttons"))
    b = st.columns(5)
    b[0].button(t("chain.step1"), on_click=move, kwargs=dict(by=1), icon=":material/skip_next:", width="stretch")
    b[1].button(t("chain.step10"), on_click=move, kwargs=dict(by=10), icon=":material/fast_forward:",
                width="stretch")
    b[2].button(t("chain.play"), on_click=move, kwargs=dict(playing=True), icon=":material/play_arrow:",
                width="stretch", disabled=playing, type="primary" if not playing else "secondary")
    b[3].button(t("chain.pause"), on_click=move, kwargs=dict(playing=False), icon=":material/pause:",
                width="stretch", disabled=not playing)
    b[4].button(t("chain.reset"), on_click=move, kwargs=dict(to=0, playing=False), icon=":material/replay:",
                width="stretch")
    if last > 0:
        step = ui.bound(st.slider, t("ctl.step"), "step", 0, last, help=t("help.step"))
    else:  # a one-step run: nothing to choose (a slider from 0 to 0 is not allowed)
        step = 0
        st.caption(f"{t('ctl.step')}: 0")
    if playing:
        st.info(t("chain.playing", seconds=PLAY_EVERY), icon="▶️")
    lab = ui.bound(st.toggle, t("ctl.lab"), "lab")
    shown_config = ui.with_config(config, grad_convention="seed-lab" if lab else "mean")
    d = detail(shown_config, step)
    L = len(d.W)
    n = len(d.Y)
    f = config.activation
    fprime = {"sigmoid": r"\sigma'(z) = a(1-a)", "tanh": r"\tanh'(z) = 1-a^2", "relu": r"\mathrm{relu}'(z) = [z>0]"}[f]

    st.header(t("chain.forward"))
    st.caption(t("chain.samples", n=n) + (t("chain.first_shown", shown=SHOWN) if n > SHOWN else "")
               + t("chain.acts", f=f))
    equation_and_values(r"a_0 = X", d.X, t("chain.inputs"), col="table.in")
    for l in range(L):
        act = r"\sigma" if l == L - 1 else (r"\mathrm{" + f + "}")
        out = t("chain.output") if l == L - 1 else ""
        with st.expander(t("chain.layer", l=l + 1) + out, expanded=l in (0, L - 1)):
            equation_and_values(rf"z_{l + 1} = a_{l} W_{l + 1} + b_{l + 1}", d.z[l], t("chain.pre"))
            equation_and_values(rf"a_{l + 1} = {act}(z_{l + 1})", d.a[l + 1],
                                t("chain.yhat") if l == L - 1 else t("chain.activation"),
                                target=d.Y if l == L - 1 else None)
    st.latex(r"C = -\frac{1}{N}\sum_n \big[y_n \log \hat y_n + (1-y_n)\log(1-\hat y_n)\big] = " + f"{d.cost:.6g}")

    st.header(t("chain.backward"))
    code_col, math_col = st.columns([3, 2])
    with code_col:
        st.markdown(t("chain.source"))
        st.code(inspect.getsource(backprop.backward), language="python", wrap_lines=True)
    with math_col:
        st.latex(r"\delta_L = \frac{\partial C}{\partial \hat y}\odot\sigma'(z_L) = \frac{\hat y - y}{N}")
        st.latex(r"\frac{\partial C}{\partial W_l} = a_{l-1}^{\top}\,\delta_l \qquad "
                 r"\frac{\partial C}{\partial b_l} = \sum_n \delta_l")
        st.latex(r"\delta_{l-1} = (\delta_l W_l^{\top}) \odot f'(z_{l-1}), \quad " + fprime)
        if lab:
            st.warning(t("chain.lab_warning", n=n), icon="🐞")
    for l in reversed(range(L)):
        out = t("chain.output") if l == L - 1 else ""
        with st.expander(t("chain.layer", l=l + 1) + out, expanded=l in (0, L - 1)):
            equation_and_values(rf"\delta_{l + 1} = \partial C / \partial z_{l + 1}", d.delta[l], t("chain.delta"),
                                target=d.Y if l == L - 1 else None)
            scale = f"{n} \\cdot " if lab else ""
            equation_and_values(rf"\partial C/\partial W_{l + 1} = {scale}a_{l}^\top \delta_{l + 1}", d.dW[l],
                                t("chain.dW"), row="table.in")
            equation_and_values(rf"\partial C/\partial b_{l + 1} = \textstyle\sum_n \delta_{l + 1}", d.db[l][None],
                                t("chain.db"), row="table.unit")

    st.header(t("chain.vs"))
    st.markdown(t("chain.oracle"))
    diffs = d.differences()
    cols = {k: t(f"chain.col_{k}") for k in ("param", "shape", "diff", "hand", "auto", "agree")}
    rows = []
    for l in range(L):
        for name, mine, theirs in ((f"W{l + 1}", d.dW[l], d.autograd_dW[l]), (f"b{l + 1}", d.db[l], d.autograd_db[l])):
            rows.append({cols["param"]: name, cols["shape"]: "×".join(map(str, np.shape(mine))) or "1",
                         cols["diff"]: diffs[name], cols["hand"]: float(np.linalg.norm(mine)),
                         cols["auto"]: float(np.linalg.norm(theirs)),
                         cols["agree"]: "✓" if diffs[name] <= 1e-9 * max(1.0, float(np.abs(theirs).max())) else "✗"})
    st.dataframe(pd.DataFrame(rows).style.format({cols["diff"]: "{:.2e}", cols["hand"]: "{:.4g}",
                                                 cols["auto"]: "{:.4g}"}), hide_index=True, width="stretch")
    if lab:
        st.subheader(t("chain.lab_curve"))
        mean_run = ui.train(ui.with_config(config, grad_convention="mean"))
        lab_run = ui.train(ui.with_config(config, grad_convention="seed-lab"))
        ui.chart(ui.charts.compare_charts([(t("chain.mean_run"), mean_run), (t("chain.lab_run"), lab_run)],
                                          lang=ui.lang()),
                 alt_text=t("alt.lab"))
        st.caption(t("chain.lab_caption", n=n))
    ui.copy_link("Chain_rule")

if st.session_state.get("_playing") and st.session_state.get("step", 0) < st.session_state.get("_last_step", 0):
    time.sleep(PLAY_EVERY)  # a click meanwhile (Pause, a slider) reruns the page instead
    st.session_state["step"] += 1
    st.rerun()
elif st.session_state.get("_playing"):
    st.session_state["_playing"] = False  # reached the last step
