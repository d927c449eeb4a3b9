"""Home: what XOR is, why one layer cannot learn it, and the run at the current settings."""

import pandas as pd
import streamlit as st

import mlp
import ui
from mlp.data import CORNERS

SEED = mlp.Config()  # the lab's own settings: its dataset is XOR


def body(config, timing):
    """Everything below the sidebar: a fragment (ui.body_fragment), which a following student's page reruns alone for
    the lecturer's moved setting (its sidebar then shows none)."""
    t = ui.t
    st.title(t("home.title"))
    left, right = st.columns([3, 2])
    left.markdown(t("home.intro") + " " + t("home.change_following" if ui.live.steered() else "home.change"))
    right.markdown(t("home.truth"))
    ui.page_link("pages/0_Lesson.py", label=t("home.to_lesson"), icon="🎓")

    st.subheader(t("home.run", label=ui.label(config)))
    pointer = st.empty()  # where the run went wrong or has not learned, one line above its charts points to its note
    slots = ui.history_slots()
    run = ui.train(config, draw=lambda partial: ui.history(partial, slots), timing=timing)
    with pointer:
        ui.notices.pointer(run)
    ui.history(run, slots)
    ui.run_messages(run)
    ui.metrics(run)

    st.subheader(t("home.predictions"))
    probs = run.predict(CORNERS)
    predicted = mlp.predicted_class(probs)  # as the accuracy counts it: a ŷ of ½ to float32's rounding is class 0
    truth = [0, 1, 1, 0]
    table = pd.DataFrame({
        "x₁": CORNERS[:, 0].astype(int), "x₂": CORNERS[:, 1].astype(int), "XOR": truth,
        "ŷ = P(1)": probs.round(4), t("home.col_pred"): predicted,
        t("home.col_right"): ["✓" if p == y else "✗" for p, y in zip(predicted, truth)],
    })
    st.table(table, hide_index=True, width="content")  # static HTML: four rows need no data grid; its own width
    right_count = int(sum(predicted == truth))
    st.caption(t("home.right", right=right_count, pct=f"{right_count / 4:.0%}")
               + ("" if config.dataset == SEED.dataset else t("home.other_data", data=config.dataset)))
    ui.page_link("pages/1_Train.py", label=t("home.to_train"), icon="➡️")
    ui.copy_link("")


with ui.page_frame("page.home", class_line=False) as frame:
    ui.body_fragment("page.home", body, frame)
