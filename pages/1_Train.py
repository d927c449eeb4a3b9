"""Train: the cost and each layer's gradient size per step, streaming; the decision boundary and the net."""

import streamlit as st

import play
import ui

LOCAL = [ui.Control.page("logy", False, "bool"),
         ui.Control.page("at", ui.END, "int", lo=0, hi=ui.END), play.SPEED,
         ui.Control.page("unit_layer", 1, "int", lo=1, hi=ui.BY_KEY["layers"].hi + 1)]


def unit_layer_picker(config):
    """Which layer's units to picture: 1 … the output (L), kept within this net's layers."""
    L = len(config.layer_sizes) - 1
    st.session_state["unit_layer"] = min(st.session_state["unit_layer"], L)
    names = {l: ui.t("chain.layer", l=l) + (ui.t("chain.output") if l == L else "") for l in range(1, L + 1)}
    ui.widget_for(st.segmented_control, ui.t("ctl.unit_layer"), "unit_layer", list(names), format_func=names.get)


with ui.page_frame("page.train", icon="📉", local=LOCAL) as config:
    t, lang = ui.t, ui.lang()
    st.title(t("page.train"))
    ui.intro(t("train.intro"))
    st.markdown(t("train.run", label=config.label(), steps=f"{config.steps:,}", init=config.init))
    log_y = ui.widget_for(st.toggle, t("ctl.logy"), "logy")
    slots = ui.history_slots()
    run = ui.train(config, draw=lambda partial: ui.history(partial, slots, log_y))
    ui.history(run, slots, log_y)
    ui.run_messages(run)
    ui.metrics(run)

    if config.dataset == "own":
        ui.owndata.section(config)
    st.subheader(t("train.at_step"))
    st.caption(t("train.units_intro"))
    unit_layer_picker(config)
    play.buttons("at", run.steps_done - 1, ui.row())
    if play.player(config, run, "at", t("ctl.at"), curves=False, end_sticks=True) is not None:
        layer = st.session_state["unit_layer"] - 1  # who learns when: the chosen layer's units over the run
        ui.chart_of(ui.units.unit_gradient_strip, run, layer, lang=lang, alt_text=t("chart.unit_grad_title"))
        st.caption(t("train.unit_grad_caption"))
    st.caption(t("train.at_caption"))
    ui.downloads(run, "train", lambda: ui.charts.training_charts(run, log_y, lang=lang))
    ui.copy_link("Train")
