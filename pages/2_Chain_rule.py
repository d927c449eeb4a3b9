"""Chain rule: the seed's hand-written back-propagation at one step, numbers beside the equations and the code."""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

import mlp
import ui
from mlp import backprop

SPEEDS = ("1", "10", "100", "1000")  # steps per tick while playing
LOCAL = [ui.Control("step", "", "ctl.step", 0, "int", 0, ui.STEPS_MAX),
         ui.Control("lab", "", "ctl.lab", False, "bool"),
         ui.Control("speed", "", "ctl.speed", "10", "choice", choices=SPEEDS)]
FPRIME = {"sigmoid": r"\sigma'(z) = a(1-a)", "tanh": r"\tanh'(z) = 1-a^2", "relu": r"\mathrm{relu}'(z) = [z>0]"}
SHOWN = 8  # samples shown in the tables (the truth tables have 4)
t = ui.t
TICK = 0.15  # seconds between frames while playing: ~6 a second here (python bench/bench_ui.py --play)


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


def controls(last: int) -> bool:
    """Step / Step ×10 / Play / Pause / Reset and the speed; True while playing."""
    playing = st.session_state.get("_playing", False) and st.session_state["step"] < last
    st.caption(t("chain.step_buttons"))
    box = ui.row()
    box.button(t("chain.step1"), on_click=move, kwargs=dict(by=1), icon=":material/skip_next:", key="b_step1")
    box.button(t("chain.step10"), on_click=move, kwargs=dict(by=10), icon=":material/fast_forward:", key="b_step10")
    box.button(t("chain.play"), on_click=move, kwargs=dict(playing=True), icon=":material/play_arrow:",
               disabled=playing, type="primary" if not playing else "secondary", key="b_play")
    box.button(t("chain.pause"), on_click=move, kwargs=dict(playing=False), icon=":material/pause:",
               disabled=not playing, key="b_pause")
    box.button(t("chain.reset"), on_click=move, kwargs=dict(to=0, playing=False), icon=":material/replay:",
               key="b_reset")
    with box:
        ui.bound(st.segmented_control, t("ctl.speed"), "speed", list(SPEEDS),
                 format_func=lambda v: t("chain.speed_option", n=f"{int(v):,}"), help=t("help.speed"))
    return playing


def pictures(config, run, step: int):
    """The run up to `step` (cost, gradient sizes) beside the net at `step` (decision boundary, weights)."""
    lang, charts = ui.lang(), ui.charts
    params, exact = weights_at(config, step)
    upto = run.upto(step)
    top, bottom = st.columns(2), st.columns(2)
    ui.animated(charts.cost_chart, charts.cost_frames(upto, lang=lang), upto, lang=lang, target=top[0],
                key="play_cost", alt_text=t("alt.cost"))
    ui.animated(charts.gradient_chart, charts.gradient_frames(upto, lang=lang), upto, lang=lang, target=top[1],
                key="play_grad", alt_text=t("alt.gradients"))
    boundary = charts.boundary_frames(run, step, params, lang=lang, titled=False)  # the step is on the slider
    ui.animated(charts.decision_boundary, boundary, run, lang=lang, target=bottom[0], key="play_boundary",
                alt_text=t("alt.boundary"))
    net = charts.network_frames(run, step, params, lang=lang, titled=False)
    ui.animated(charts.network_diagram, net, run, lang=lang, target=bottom[1], key="play_net",
                alt_text=t("alt.network"))
    if not exact:
        st.caption(t("chain.snapshot_note"))


def weights_at(config, step: int):
    """(flat weights at `step`, exact?): exact where the run can go on from the last step reached (the
    hand-written chain rule in float32 on the cpu, ~20 µs a step); else None, and the pictures use the
    run's nearest kept snapshot."""
    if config.backend == "manual" and config.dtype == "float32" and mlp.resolve_device(config.device) == "cpu":
        return mlp.inspect.params_at_step(config, step), True
    return None, False


def frame(config, run, last: int):
    """One frame: the step slider and the pictures. While playing, a fragment redraws only this part every
    TICK seconds, `speed` steps further each time; the page's tables follow when paused."""
    if st.session_state.get("_playing"):
        st.session_state["step"] = min(last, st.session_state["step"] + int(st.session_state["speed"]))
    if last > 0:
        step = ui.bound(st.slider, t("ctl.step"), "step", 0, last, help=t("help.step"))
    else:  # a one-step run: nothing to choose (a slider from 0 to 0 is not allowed)
        step = 0
        st.caption(f"{t('ctl.step')}: 0")
    pictures(config, run, step)
    if st.session_state.get("_playing") and step >= last:
        st.session_state["_playing"] = False
        st.rerun()  # the end: the whole page again, with Play enabled and the numbers of the last step
    return step


@st.fragment(run_every=TICK)
def playing_frame(config, run, last: int):
    frame(config, run, last)


def numbers(config, step: int):
    """The chosen step under the microscope: every z, a, δ, ∂C/∂W beside its equation, the code, the oracle."""
    lab = ui.bound(st.toggle, t("ctl.lab"), "lab")
    shown_config = ui.with_config(config, grad_convention="seed-lab" if lab else "mean")
    d = detail(shown_config, step)
    L = len(d.W)
    n = len(d.Y)
    f = config.activation
    fprime = FPRIME.get(f, r"f'(z)")

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
        ui.comparison([(t("chain.mean_run"), mean_run), (t("chain.lab_run"), lab_run)])
        st.caption(t("chain.lab_caption", n=n))


ui.page("page.chain", icon="🔗", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    st.title(t("page.chain"))
    ui.intro(t("chain.intro"))
    last = config.steps - 1
    st.session_state["_last_step"] = last
    if st.session_state["step"] > last:
        st.session_state["step"] = last
    playing = controls(last)
    run = ui.train(config)
    if playing:
        st.session_state["_playing"] = True
        playing_frame(config, run, last)
        st.info(t("chain.playing", speed=f"{int(st.session_state['speed']):,}", fps=round(1 / TICK)), icon="▶️")
    else:
        st.session_state["_playing"] = False
        step = frame(config, run, last)
        numbers(config, step)
    ui.copy_link("Chain_rule")
