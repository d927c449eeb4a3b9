"""Chain rule: the seed's hand-written back-propagation at one step, numbers beside the equations and the code."""

import inspect

import numpy as np
import pandas as pd
import streamlit as st

import mlp
import ui
from mlp import backprop

BCE_DELTA = inspect.signature(backprop.backward).parameters["output_delta"].default  # backward's own: the lab's loss
STEP = ui.Control.page("step", 0, "int", lo=0, hi=ui.STEPS_MAX)  # the update shown (a follower takes it in place)
LOCAL = [STEP, ui.Control.page("lab", False, "bool"), ui.play.SPEED]
COST = {"bce": r"C = -\frac{1}{N}\sum_n \big[y_n \log \hat y_n + (1-y_n)\log(1-\hat y_n)\big]",
        "mse": r"C = \frac{1}{N}\sum_n (\hat y_n - y_n)^2"}
DELTA_L = {"bce": r"\delta_L = \frac{\partial C}{\partial \hat y}\odot\sigma'(z_L) = \frac{\hat y - y}{N}",
           "mse": r"\delta_L = \frac{\partial C}{\partial \hat y}\odot\sigma'(z_L) = "
                  r"\frac{2(\hat y - y)}{N}\,\hat y(1-\hat y)"}
FPRIME = {"sigmoid": r"\sigma'(z) = a(1-a)", "tanh": r"\tanh'(z) = 1-a^2", "relu": r"\mathrm{relu}'(z) = [z>0]"}
SHOWN = 8  # samples shown in the tables (the truth tables have 4)
t = ui.t


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def detail(config: mlp.Config, step: int):
    return mlp.inspect_step(config, step)


@st.cache_data(max_entries=64, ttl=3600, show_spinner=False)
def update_difference(config: mlp.Config, step: int):
    return mlp.inspection.update_check(config, step)


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
    right.table(matrix(values, **names), width="content")  # no wider than its numbers; HTML, so presenter mode sizes it


def move(last: int, by=None, to=None):
    """Step / Step ×10 / Reset: move the chosen step, up to `last` (Reset also stops playing)."""
    if to is not None:
        st.session_state["step"] = to
        ui.play.set_playing("step", False)
    if by is not None:
        st.session_state["step"] = min(last, st.session_state["step"] + by)


def controls(last: int):
    """Step / Step ×10 / Play / Pause / Reset and the speed, in one row that wraps."""
    st.caption(t("chain.step_buttons"))
    box = ui.row()
    box.button(t("chain.step1"), on_click=move, kwargs=dict(last=last, by=1), icon=":material/skip_next:",
               key="b_step1")
    box.button(t("chain.step10"), on_click=move, kwargs=dict(last=last, by=10), icon=":material/fast_forward:",
               key="b_step10")
    ui.play.buttons("step", last, box)
    box.button(t("chain.reset"), on_click=move, kwargs=dict(last=last, to=0), icon=":material/replay:", key="b_reset")


def numbers(config, step: int):
    """The chosen step under the microscope: every z, a, δ, ∂C/∂W beside its equation, the code, the oracle."""
    lab = ui.widget_for(st.toggle, t("ctl.lab"), "lab", disabled=bool(config.batch_size) or ui.live.steered())
    if lab and config.batch_size:  # the lab's convention sums over its full batch: there is none to sum over
        st.info(t("chain.lab_full_batch"), icon="🐞")
        lab = False
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
    l2 = rf" + \frac{{{config.l2:g}}}{{2}}\sum_l \lVert W_l\rVert^2" if config.l2 else ""
    st.latex(COST[config.loss] + l2 + f" = {d.cost:.6g}")

    st.header(t("chain.backward"))
    # the slide's equations, each on a line of its own, then the code that runs them, at the page's whole width
    # (beside each other, the code wrapped every other line and the last equation ran out of its column)
    st.latex(DELTA_L[config.loss])
    st.latex(r"\frac{\partial C}{\partial W_l} = a_{l-1}^{\top}\,\delta_l \qquad "
             r"\frac{\partial C}{\partial b_l} = \sum_n \delta_l")
    st.latex(r"\delta_{l-1} = (\delta_l W_l^{\top}) \odot f'(z_{l-1}), \quad " + fprime)
    if lab:
        st.warning(t("chain.lab_warning", n=n), icon="🐞")
    st.markdown(t("chain.source"))
    st.code(inspect.getsource(backprop.backward), language="python", wrap_lines=True)
    loss = mlp.losses.LOSSES[config.loss]
    if loss.delta is not BCE_DELTA:  # the one line of the backward pass that another loss changes
        st.code(inspect.getsource(loss.delta), language="python", wrap_lines=True)
    with st.expander(t("chain.step_source")):  # …and the step around it: forward, this, the L2 term, the update
        st.code(inspect.getsource(mlp.step.chain_rule_step), language="python", wrap_lines=True)
    if config.optimizer != mlp.Config().optimizer or config.l2:  # and what the loop does with the gradient
        st.markdown(t("chain.update_source"))
        if config.l2:
            st.caption(t("chain.update_l2", l2=f"{config.l2:g}"))
        st.code(inspect.getsource(mlp.optim.RULES[config.optimizer]), language="python", wrap_lines=True)
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
    st.table(pd.DataFrame(rows).style.format({cols["diff"]: "{:.2e}", cols["hand"]: "{:.4g}", cols["auto"]: "{:.4g}"}),
             hide_index=True, width="content")  # HTML, as the tables above: presenter mode sizes its text
    update = None if lab else update_difference(config, step)  # the update rule, too, against torch.optim's
    if update is not None:
        st.caption(t("chain.update_check", rule=config.optimizer, diff=f"{update:.1e}",
                     agree="✓" if update <= 1e-12 else "✗"))
    if lab:
        st.subheader(t("chain.lab_curve"))
        mean_run = ui.train(ui.with_config(config, grad_convention="mean"))
        lab_run = ui.train(ui.with_config(config, grad_convention="seed-lab"))
        ui.comparison([(t("chain.mean_run"), mean_run), (t("chain.lab_run"), lab_run)])
        st.caption(t("chain.lab_caption", n=n))


def body(config, timing):
    """Everything below the sidebar: a fragment (ui.body_fragment) that the step buttons, the slider, Play and a
    followed lecturer's step redraw alone."""
    st.title(t("page.chain"))
    ui.intro(t("chain.intro"))
    last = config.steps - 1
    if st.session_state["step"] > last:
        st.session_state["step"] = last
    if not ui.live.steered():  # a following student's step is the lecturer's ("Explore on my own" gives these back)
        controls(last)
    step = ui.play.player(config, ui.train(config, timing=timing), "step", t("ctl.step"))
    if step is not None:  # while playing, the numbers wait for Pause
        numbers(config, step)
        ui.notebook_download(config, ui.link("Chain_rule", {"step": str(step)}), "chain")
    ui.copy_link("Chain_rule")


with ui.page_frame("page.chain", icon="🔗", local=LOCAL, class_line=False) as frame:
    ui.body_fragment("page.chain", body, frame, LOCAL, in_place=[STEP])
