"""Train: the cost and each layer's gradient size per step, streaming; the decision boundary and the net."""

import streamlit as st

import mlp
import ui

AT = ui.Control.page("at", ui.END, "int", lo=0, hi=ui.END)  # the step shown: a follower takes the lecturer's in place
LOCAL = [ui.Control.page("logy", False, "bool"), AT, ui.play.SPEED,
         ui.Control.page("unit_layer", 1, "int", lo=1, hi=ui.BY_KEY["hidden_layers"].hi + 1)]


def unit_layer_picker(config) -> int:
    """Which layer's units to picture: 1 … the output (L), kept within this net's layers; returns it."""
    L = len(config.layer_sizes) - 1
    st.session_state["unit_layer"] = min(st.session_state["unit_layer"], L)
    names = {l: ui.t("chain.layer", l=l) + (ui.t("chain.output") if l == L else "") for l in range(1, L + 1)}
    ui.widget_for(st.segmented_control, ui.t("ctl.unit_layer"), "unit_layer", list(names), format_func=names.get,
                  disabled=ui.live.steered())  # (following: the lecturer's, as the settings are)
    return st.session_state["unit_layer"]


def units_header(config) -> int:
    """The heading of the units' pictures and the layer picker; returns the chosen layer (1-based)."""
    st.subheader(ui.t("train.units"))
    st.caption(ui.t("train.units_intro"))
    return unit_layer_picker(config)


def at_the_step(config, run, log_y: bool):
    """Play, the step slider, the pictures at the step and each unit's, and who learns when in the chosen layer: a
    fragment within the body (ui.step_fragment), which a moved step or a followed lecturer's step redraws alone."""
    t = ui.t
    if not ui.live.steered():  # a following student's step is the lecturer's ("Explore on my own" gives Play back)
        ui.play.buttons("at", run.steps_done - 1, ui.row())
    if ui.play.player(config, run, "at", t("ctl.at"), end_sticks=True, log_y=log_y,
                      units_header=lambda: units_header(config)) is not None:
        layer = st.session_state["unit_layer"] - 1  # who learns when: the chosen layer's units over the run
        ui.chart_of(ui.units.unit_gradient_strip, run, layer, lang=ui.lang(), alt_text=t("chart.unit_grad_title"))
        st.caption(t("train.unit_grad_caption"))


def body(config, timing):
    """Everything below the sidebar: a fragment (ui.body_fragment); the part a step changes is one within it."""
    t, lang = ui.t, ui.lang()
    st.title(t("page.train"))
    ui.intro(t("train.intro_following" if ui.live.steered() else "train.intro"))  # (following: no Play of its own)
    st.caption(t("train.run", label=ui.label(config), steps=f"{config.steps:,}", init=t(f"init.{config.init}")))
    log_y = st.session_state["logy"]
    with ui.streaming_history(log_y) as draw:  # the curves as the run trains; then Play, the net, the curves
        run = ui.train(config, draw=draw, timing=timing)
    ui.notices.pointer(run)  # the notes are under the pictures: the first screen says when there is one
    ui.step_fragment("page.train", lambda: at_the_step(config, run, log_y), config, LOCAL, in_place=[AT])
    ui.run_messages(run)
    ui.metrics(run)
    ui.widget_for(st.toggle, t("ctl.logy"), "logy", disabled=ui.live.steered())
    if mlp.DATASETS[config.dataset].own:
        ui.owndata.section(config)
    st.caption(t("train.at_caption"))
    ui.downloads(run, "train", lambda: ui.charts.training_charts(run, log_y, lang=lang))
    ui.copy_link("Train")


with ui.page_frame("page.train", icon="📉", local=LOCAL, class_line=False) as frame:
    ui.body_fragment("page.train", body, frame, LOCAL, in_place=[AT])
