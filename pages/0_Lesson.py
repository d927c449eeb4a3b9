"""Lesson: the seed notebook as a guided walk, one click per step, each with its live chart."""

import numpy as np
import streamlit as st

import mlp
import ui

LOCAL = [ui.Control.page("lesson", 1, "int", lo=1, hi=9)]
SEED = mlp.Config(device="cpu", init="notebook")  # the very 2-2-1 net the lab notebook printed: sigmoid, lr 1
HAND_WRITTEN = mlp.notebook.CELLS["hand-written"]  # its first cell: weights left uninitialised
DEEP = ui.with_config(SEED, hidden_layers=3, width=10)

# Each step: the runs it draws (text key, Config) and the sidebar settings "use these settings" applies.
STEPS = {
    1: ([("preset.perceptron", ui.with_config(SEED, hidden_layers=0))], dict(layers=0)),
    2: ([("lesson.run_manual", SEED)], dict(layers=1, width=2, backend="manual")),
    3: ([("lesson.run_manual", SEED), ("lesson.run_autograd", ui.with_config(SEED, backend="autograd"))],
        dict(layers=1, width=2, backend="autograd")),
    4: ([("lesson.run_221", SEED), ("lesson.run_deep", DEEP)], dict(layers=3, width=10, backend="manual")),
    5: ([("lesson.run_sigmoid6", ui.with_config(SEED, hidden_layers=6, width=10, steps=3001, init="default")),
         ("lesson.run_relu6", ui.with_config(SEED, hidden_layers=6, width=10, steps=3001, activation="relu",
                                             lr=0.1, init="default"))],
        dict(layers=6, width=10, act="sigmoid", steps=3001, init="default")),
    6: ([("lesson.run_zero", ui.with_config(SEED, init="zeros")),
         ("lesson.run_lab", ui.with_config(SEED, grad_convention="seed-lab")), ("lesson.run_mean", SEED)],
        dict(layers=1, width=2, init="zeros")),
    7: ([("lesson.run_221", SEED)], dict(layers=1, width=2)),
    8: ([("lesson.run_plain", ui.with_config(SEED, hidden_layers=0)),
         ("lesson.run_cross", ui.with_config(SEED, hidden_layers=0, features=("x1", "x2", "x1x2")))],
        dict(layers=0, features=("x1", "x2", "x1x2"))),
    9: ([("loss.bce", SEED), ("loss.mse", ui.with_config(SEED, loss="mse"))], dict(loss="mse")),
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
    for key, value in {**ui.PRESETS["preset.seed221"], "backend": "manual", "act": "sigmoid", **settings}.items():
        st.session_state[key] = value


with ui.page_frame("page.lesson", icon="🎓", local=LOCAL, controls=False):
    t, lang = ui.t, ui.lang()
    st.title(t("lesson.title"))
    i = st.session_state["lesson"]
    st.progress(i / len(STEPS), text=t("lesson.progress", i=i, n=len(STEPS)))
    navigation(i, "top")
    st.header(t(f"lesson.{i}.title"))
    st.markdown(t(f"lesson.{i}.text"))
    runs, settings = STEPS[i]
    trained = [(t(label), ui.train(config)) for label, config in runs]
    if i == 7:  # inside the seed net: what its two hidden units learned
        ui.lesson.hidden_units(trained[0][1])
    elif i == 8:  # the other way out: one unit that also gets x₁x₂
        ui.lesson.feature_cross(trained)
    elif i == 9:  # why cross-entropy: the same net trained on squared error
        ui.lesson.why_cross_entropy(trained)
    elif len(trained) == 1:
        ui.history(trained[0][1])
        ui.run_messages(trained[0][1])
    elif i == 5:  # the gradient picture: every layer's gradient at step 0, then each run over time
        ui.chart(ui.comparisons.layer_gradient_profile(trained, 0, lang=lang), alt_text=t(f"lesson.{i}.title"))
        for label, run in trained:
            st.subheader(label)
            ui.history(run, log_y=True)
    else:
        logs = [(t("lesson.hand_written_log"), HAND_WRITTEN.log())] if i == 6 else []
        ui.comparison(trained, dashed=i == 3, logs=logs)
    if i == 3:
        diff = float(np.abs(trained[0][1].cost - trained[1][1].cost).max())
        st.caption(t("lesson.identical", diff=f"{diff:.1e}"))
    if i in (2, 3, 4):  # step 4 also draws the deep cell's net and its log
        st.caption(t("lesson.notebook_caption_deep" if i == 4 else "lesson.notebook_caption"))
    if st.button(t("lesson.apply"), icon=":material/open_in_new:", help=t("lesson.apply_help")):
        apply(settings)
        st.switch_page("pages/1_Train.py")
    navigation(i, "bottom")
    ui.copy_link("Lesson")
