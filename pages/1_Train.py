"""Train: the cost and each layer's gradient size per step, streaming; the decision boundary and the net."""

import streamlit as st

import play
import ui

LOCAL = [ui.Control.page("logy", False, "bool"),
         ui.Control.page("at", ui.END, "int", lo=0, hi=ui.END), play.SPEED]

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

    st.subheader(t("train.at_step"))
    play.buttons("at", run.steps_done - 1, ui.row())
    play.player(config, run, "at", t("ctl.at"), curves=False, end_sticks=True)
    st.caption(t("train.at_caption"))
    ui.downloads(run, "train", lambda: ui.charts.training_charts(run, log_y, lang=lang))
    ui.copy_link("Train")
