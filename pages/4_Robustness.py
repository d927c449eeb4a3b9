"""Robustness: the current net trained from many seeds at once — how often does it solve the task?"""

import numpy as np
import streamlit as st

import mlp
import ui

LOCAL = [ui.Control("n", "", "Seeds", 100, "int", 1, mlp.MAX_SEEDS)]
LINKED = 24  # stuck seeds listed with a link each

ui.page("Robustness", icon="🎲", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    st.title("Robustness")
    st.markdown("A 2-2-1 net at learning rate 1 solves XOR from most starting weights, but not all: some seeds "
                "stop at a cost of 0.347, a local minimum. Here the current net is trained from many seeds at "
                "once, as one batched program through the same hand-written chain rule. Wider nets almost "
                f"always solve it. *Solved* means a cost below {mlp.sweep_module.SOLVED_COST} with every "
                "truth-table point right (95 % of the points for the noisy datasets).")
    n = ui.bound(st.slider, "Seeds (nets trained at once)", "n", 1, mlp.MAX_SEEDS,
                 help=f"seeds {config.seed}, {config.seed + 1}, …")
    if config.backend != "manual":
        st.info("Many seeds run through the hand-written chain rule (autograd trains one net at a time); its "
                "gradients are the same, as the Chain-rule page shows.", icon="ℹ️")
        config = ui.with_config(config, backend="manual")
    if config.seed + n - 1 > ui.SEED_MAX:
        n = ui.SEED_MAX - config.seed + 1
        st.warning(f"Only {n} seeds fit above seed {config.seed}; lower the seed for more.")
    sw = ui.sweep(config, n)

    cols = st.columns(4)
    cols[0].metric("Solved", f"{sw.solved_fraction:.0%}", help=f"{int((~sw.stuck).sum())} of {n} seeds")
    solved_steps = sw.solved_step[~sw.stuck]
    cols[1].metric("Median steps to solve", f"{int(np.median(solved_steps)):,}" if len(solved_steps) else "—")
    cols[2].metric("Stuck", f"{int(sw.stuck.sum())}", help="never solved within the steps (diverged included)")
    cols[3].metric("Net-steps per second", f"{sw.model_steps_per_second / 1e6:.2f} M",
                   help=f"{n:,} nets × {sw.steps_done:,} steps in {sw.seconds:.2f} s on {sw.device}")
    if sw.diverged.any():
        st.warning(f"{int(sw.diverged.sum())} of {n} nets diverged (their curves stop there). Try a lower "
                   "learning rate.", icon="💥")
    ui.chart(ui.charts.sweep_curves(sw), alt_text="Cost curves of many seeds with their median")
    ui.chart(ui.charts.sweep_histograms(sw), alt_text="Histograms of steps to solve and of final cost")

    stuck = sw.seeds[sw.stuck]
    if len(stuck):
        st.subheader("Stuck seeds")
        st.markdown("Open one on the Train page to see where it stopped and why: "
                    + " · ".join(f"[seed {s}]({ui.link('Train', seed=int(s))}) "
                                 f"(cost {sw.final_cost[i]:.3g})"
                                 for i, s in zip(np.flatnonzero(sw.stuck)[:LINKED], stuck[:LINKED]))
                    + (f" … and {len(stuck) - LINKED} more" if len(stuck) > LINKED else ""))
    else:
        st.success(f"Every one of the {n} seeds solved it.", icon="✅")
