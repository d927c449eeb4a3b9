"""Home: what XOR is, why one layer cannot learn it, and the run at the current settings."""

import pandas as pd
import streamlit as st

import ui
from mlp.data import CORNERS

ui.page("Home")
with ui.guard():
    config = ui.sidebar()
    st.title("Watch a neural network learn XOR")
    left, right = st.columns([3, 2])
    left.markdown(
        """
**XOR** is 1 when exactly one of its two inputs is 1. Its four points sit on the corners of a square,
with the two 1s on one diagonal and the two 0s on the other, so **no single straight line separates
them**. A net with no hidden layer (a perceptron) draws exactly one line: it is stuck at cost
ln 2 ≈ 0.693, a coin toss. One hidden layer of two units bends the boundary and solves it.

This is the course lab *lab08-1 Multi Layer Perceptron*: the same 2-2-1 sigmoid net, trained by
the **chain rule written out by hand** and by **autograd**, on the cpu or a GPU. Change the net in
the sidebar; every page follows, and the link in your address bar reproduces this view.
"""
    )
    right.markdown(
        "| x₁ | x₂ | XOR |\n|:-:|:-:|:-:|\n| 0 | 0 | **0** |\n| 0 | 1 | **1** |\n| 1 | 0 | **1** |\n| 1 | 1 | **0** |"
    )

    st.subheader(f"The run at the current settings: {config.label()}")
    slot = st.empty()
    run = ui.train(config, draw=lambda partial: ui.chart(ui.charts.training_charts(partial), target=slot))
    ui.chart(ui.charts.training_charts(run), target=slot,
             alt_text="Cost per step beside the gradient norm of each layer per step")
    ui.run_messages(run)
    ui.metrics(run)

    st.subheader("Predictions for the XOR truth table")
    probs = run.predict(CORNERS)
    truth = [0, 1, 1, 0]
    table = pd.DataFrame({
        "x₁": CORNERS[:, 0].astype(int), "x₂": CORNERS[:, 1].astype(int), "XOR": truth,
        "ŷ = P(1)": probs.round(4), "predicted": (probs > 0.5).astype(int),
        "right?": ["✓" if int(p > 0.5) == t else "✗" for p, t in zip(probs, truth)],
    })
    st.dataframe(table, hide_index=True, width=520)
    right_count = int(sum((probs > 0.5).astype(int) == truth))
    st.caption(f"{right_count} of 4 right ({right_count / 4:.0%})"
               + ("" if config.dataset == "xor" else f" — the net was trained on '{config.dataset}', not XOR"))
    st.page_link("pages/1_Train.py", label="See the decision boundary and the net itself on the Train page", icon="➡️")
