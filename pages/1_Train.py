"""Train: the cost and each layer's gradient size per step, streaming; the decision boundary and the net."""

import streamlit as st

import ui

LOCAL = [ui.Control("logy", "", "Log scale for the cost", False, "bool"),
         ui.Control("at", "", "Show the net at step", ui.END, "int", 0, ui.END)]

ui.page("Train", icon="📉", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    st.title("Train")
    st.markdown("Left: the cost at every step. Right: how large each layer's gradient ∂C/∂W is, input side "
                "first. In a deep sigmoid net the layers near the input get the smallest gradients and learn "
                "last. Drag across the strip above the charts to zoom both.")
    st.markdown(f"**Run:** {config.label()}, {config.steps:,} steps, init {config.init}")
    log_y = ui.bound(st.toggle, "Log scale for the cost", "logy")
    slot = st.empty()
    run = ui.train(config, draw=lambda partial: ui.chart(ui.charts.training_charts(partial, log_y), target=slot))
    ui.chart(ui.charts.training_charts(run, log_y), target=slot,
             alt_text="Cost per step beside the gradient norm of each layer per step")
    ui.run_messages(run)
    ui.metrics(run)

    st.subheader("The net at a step")
    step = ui.step_picker(run, "at", "Show the decision boundary and the weights at step")
    left, right = st.columns(2)
    ui.chart(ui.charts.decision_boundary(run, step), target=left,
             alt_text="Probability of class 1 over the input plane, with the data points")
    ui.chart(ui.charts.network_diagram(run, step), target=right,
             alt_text="The network's units and weights; line width is the weight's size")
    st.caption("Weights are kept at about 50 log-spaced steps; the slider moves between them. "
               "Blue lines are positive weights, orange negative.")
    ui.downloads(run, "train")
