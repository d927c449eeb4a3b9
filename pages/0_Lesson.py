"""Lesson: the seed notebook as a guided walk, one click per step, each with its live chart."""

from typing import Callable, NamedTuple

import numpy as np
import streamlit as st

import mlp
import ui

LOCAL = [ui.Control.page("lesson", 1, "int", lo=1, hi=9)]
NAV_WIDTH = 130  # px: Back and Next alike, whatever their words
HAND_WRITTEN = mlp.notebook.CELLS["hand-written"]  # the lab's first cell: weights left uninitialised


def one_run(trained):
    """Steps 1 and 2: the run's cost and gradients, and a word where something went wrong."""
    ui.history(trained[0][1])
    ui.run_messages(trained[0][1])


def same_curve(trained):
    """Step 3: the two backends' curves, one dashed over the other, and how far apart they end."""
    ui.comparison(trained, dashed=True)
    diff = float(np.abs(trained[0][1].cost - trained[1][1].cost).max())
    st.caption(ui.t("lesson.identical", diff=f"{diff:.1e}"))


def gradient_profile(trained):
    """Step 5: every layer's gradient at step 0, then each run over time."""
    ui.chart_of(ui.comparisons.layer_gradient_profile, trained, 0, lang=ui.lang(), alt_text=ui.t("lesson.5.title"))
    for label, run in trained:
        st.subheader(label)
        ui.history(run, log_y=True)


def with_the_lab_log(trained):
    """Step 6: zero weights, the lab's summed gradients and the mean, beside the log the lab's first cell printed."""
    ui.comparison(trained, logs=[(ui.t("lesson.hand_written_log"), HAND_WRITTEN.log())])


class Step(NamedTuple):
    settings: dict  # what "use these settings" sets in the sidebar
    draw: Callable  # draws the step's trained runs, [(label, Run)]
    caption: str | None = None  # the text key of a closing caption


STEPS = {  # what each step draws of its runs (ui.lesson.RUNS), and the settings "use these settings" sets
    1: Step(dict(hidden_layers=0), one_run),
    2: Step(dict(hidden_layers=1, width=2, backend="manual"), one_run, "lesson.notebook_caption"),
    3: Step(dict(hidden_layers=1, width=2, backend="autograd"), same_curve, "lesson.notebook_caption"),
    4: Step(dict(hidden_layers=3, width=10, backend="manual"), ui.comparison,
            "lesson.notebook_caption_deep"),  # the deep cell's net and its log too
    5: Step(dict(hidden_layers=6, width=10, activation="sigmoid", steps=3001, init="default"), gradient_profile),
    6: Step(dict(hidden_layers=1, width=2, init="zeros"), with_the_lab_log),
    7: Step(dict(hidden_layers=1, width=2), lambda trained: ui.lesson.hidden_units(trained[0][1])),
    8: Step(dict(hidden_layers=0, features=("x1", "x2", "x1x2")), ui.lesson.feature_cross),
    9: Step(dict(loss="mse"), ui.lesson.why_cross_entropy),
}


def go(step):
    st.session_state["lesson"] = step


def navigation(i: int, where: str):
    """Back and Next: above the step, and again below it (where a student who has read it is); none on a student's
    page that follows the lecturer's, whose Next moves the class."""
    if ui.live.steered():
        return
    nav = ui.row()  # one block, not a column each: a follower's page gets each step as few elements as it can
    nav.button(ui.t("lesson.back"), on_click=go, args=(i - 1,), disabled=i == 1, width=NAV_WIDTH, key=f"back_{where}")
    nav.button(ui.t("lesson.next"), on_click=go, args=(i + 1,), disabled=i == len(STEPS), type="primary",
               width=NAV_WIDTH, key=f"next_{where}")


def apply(settings):
    settings = {**ui.PRESETS["preset.seed221"], "backend": "manual", "activation": "sigmoid", **settings}
    for key, value in settings.items():
        st.session_state[key] = value


def lesson(config, timing):
    """Everything below the sidebar, as one fragment (ui.body_fragment): Back and Next, and in a live class the
    lecturer's next step on a following student's page, redraw this alone. (The sidebar holds no settings here:
    each step sets its own nets.)"""
    t = ui.t
    st.title(t("lesson.title"))
    i = st.session_state["lesson"]
    st.progress(i / len(STEPS), text=t("lesson.progress", i=i, n=len(STEPS)))
    navigation(i, "top")
    st.header(t(f"lesson.{i}.title"))
    st.markdown(t(f"lesson.{i}.text"))
    step = STEPS[i]
    step.draw(ui.lesson.trained(ui.lesson.RUNS[i]))
    if step.caption:
        st.caption(t(step.caption))
    box = ui.row()
    if box.button(t("lesson.apply"), icon=":material/open_in_new:", help=t("lesson.apply_help"),
                  disabled=ui.live.steered()):  # (following: the page is the lecturer's, as its links are)
        apply(step.settings)
        st.switch_page("pages/1_Train.py")
    ui.notebook_download([config for _, config in ui.lesson.RUNS[i]], ui.relative("Lesson", {"lesson": i}),
                         f"lesson{i}", box)
    if i == len(STEPS):
        ui.lesson.where_next()
    navigation(i, "bottom")
    ui.copy_link("Lesson")


with ui.page_frame("page.lesson", icon="🎓", local=LOCAL, controls=False, class_line=False) as frame:
    ui.body_fragment("page.lesson", lesson, frame, LOCAL, in_place=LOCAL)
