"""Lesson: the seed notebook as a guided walk, one click per step, each with its live chart."""

from typing import Callable, NamedTuple

import numpy as np
import streamlit as st

import mlp
import ui

LOCAL = [ui.Control.page("lesson", 1, "int", lo=1, hi=9)]
SEED = mlp.Config(device="cpu", init="notebook")  # the very 2-2-1 net the lab notebook printed: sigmoid, lr 1
HAND_WRITTEN = mlp.notebook.CELLS["hand-written"]  # its first cell: weights left uninitialised
DEEP = ui.with_config(SEED, hidden_layers=3, width=10)


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
    ui.chart(ui.comparisons.layer_gradient_profile(trained, 0, lang=ui.lang()), alt_text=ui.t("lesson.5.title"))
    for label, run in trained:
        st.subheader(label)
        ui.history(run, log_y=True)


def with_the_lab_log(trained):
    """Step 6: zero weights, the lab's summed gradients and the mean, beside the log the lab's first cell printed."""
    ui.comparison(trained, logs=[(ui.t("lesson.hand_written_log"), HAND_WRITTEN.log())])


class Step(NamedTuple):
    runs: list  # (text key, Config) of each run the step draws
    settings: dict  # what "use these settings" sets in the sidebar
    draw: Callable  # draws the step's trained runs, [(label, Run)]
    caption: str | None = None  # the text key of a closing caption


STEPS = {
    1: Step([("preset.perceptron", ui.with_config(SEED, hidden_layers=0))], dict(hidden_layers=0), one_run),
    2: Step([("lesson.run_manual", SEED)], dict(hidden_layers=1, width=2, backend="manual"), one_run,
            "lesson.notebook_caption"),
    3: Step([("lesson.run_manual", SEED), ("lesson.run_autograd", ui.with_config(SEED, backend="autograd"))],
            dict(hidden_layers=1, width=2, backend="autograd"), same_curve, "lesson.notebook_caption"),
    4: Step([("lesson.run_221", SEED), ("lesson.run_deep", DEEP)], dict(hidden_layers=3, width=10, backend="manual"),
            ui.comparison, "lesson.notebook_caption_deep"),  # the deep cell's net and its log too
    5: Step([("lesson.run_sigmoid6", ui.with_config(SEED, hidden_layers=6, width=10, steps=3001, init="default")),
             ("lesson.run_relu6", ui.with_config(SEED, hidden_layers=6, width=10, steps=3001, activation="relu",
                                                 lr=0.1, init="default"))],
            dict(hidden_layers=6, width=10, activation="sigmoid", steps=3001, init="default"), gradient_profile),
    6: Step([("lesson.run_zero", ui.with_config(SEED, init="zeros")),
             ("lesson.run_lab", ui.with_config(SEED, grad_convention="seed-lab")), ("lesson.run_mean", SEED)],
            dict(hidden_layers=1, width=2, init="zeros"), with_the_lab_log),
    7: Step([("lesson.run_221", SEED)], dict(hidden_layers=1, width=2),  # inside the seed net: its two hidden units
            lambda trained: ui.lesson.hidden_units(trained[0][1])),
    8: Step([("lesson.run_plain", ui.with_config(SEED, hidden_layers=0)),  # the other way out: x₁x₂ as an input
             ("lesson.run_cross", ui.with_config(SEED, hidden_layers=0, features=("x1", "x2", "x1x2")))],
            dict(hidden_layers=0, features=("x1", "x2", "x1x2")), ui.lesson.feature_cross),
    9: Step([("loss.bce", SEED), ("loss.mse", ui.with_config(SEED, loss="mse"))], dict(loss="mse"),
            ui.lesson.why_cross_entropy),  # why cross-entropy: the same net trained on squared error
}


def go(step):
    st.session_state["lesson"] = step


def navigation(i: int, where: str):
    """Back and Next: above the step, and again below it (where a student who has read it is)."""
    nav = st.columns([1, 1, 4])
    nav[0].button(ui.t("lesson.back"), on_click=go, args=(i - 1,), disabled=i == 1, width="stretch",
                  key=f"back_{where}")
    nav[1].button(ui.t("lesson.next"), on_click=go, args=(i + 1,), disabled=i == len(STEPS), type="primary",
                  width="stretch", key=f"next_{where}")


def apply(settings):
    settings = {**ui.PRESETS["preset.seed221"], "backend": "manual", "activation": "sigmoid", **settings}
    for key, value in settings.items():
        st.session_state[key] = value


with ui.page_frame("page.lesson", icon="🎓", local=LOCAL, controls=False):
    t = ui.t
    st.title(t("lesson.title"))
    i = st.session_state["lesson"]
    st.progress(i / len(STEPS), text=t("lesson.progress", i=i, n=len(STEPS)))
    navigation(i, "top")
    st.header(t(f"lesson.{i}.title"))
    st.markdown(t(f"lesson.{i}.text"))
    step = STEPS[i]
    step.draw([(t(label), ui.train(config)) for label, config in step.runs])
    if step.caption:
        st.caption(t(step.caption))
    box = ui.row()
    if box.button(t("lesson.apply"), icon=":material/open_in_new:", help=t("lesson.apply_help")):
        apply(step.settings)
        st.switch_page("pages/1_Train.py")
    ui.notebook_download([config for _, config in step.runs], ui.relative("Lesson", {"lesson": i}), f"lesson{i}",
                         box)
    navigation(i, "bottom")
    ui.copy_link("Lesson")
