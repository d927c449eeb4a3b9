"""Compare: pin runs and overlay their cost and gradient curves."""

import streamlit as st

import ui

LOCAL = [ui.Control("pins", "", "Pinned runs", (), "pins")]
SEED_NETS = {"Pin the seed's 2-2-1": (), "Pin the seed's 2-10-10-10-1": (("layers", 3), ("width", 10))}


def pin(p):
    pins = tuple(st.session_state["pins"])
    if p not in pins:
        st.session_state["pins"] = (pins + (p,))[-ui.MAX_PINS:]


def unpin(i):
    pins = list(st.session_state["pins"])
    del pins[i]
    st.session_state["pins"] = tuple(pins)


def clear():
    st.session_state["pins"] = ()


ui.page("Compare", icon="📊", local=LOCAL)
with ui.guard():
    config = ui.sidebar()
    st.title("Compare")
    st.markdown(f"Pin the current settings, or the seed's two nets, and overlay their curves (up to "
                f"{ui.MAX_PINS}). The pins are in the link, so a copied URL shows the same comparison.")
    cols = st.columns(4)
    cols[0].button("📌 Pin the current run", on_click=lambda: pin(ui.current_pin()), type="primary", width="stretch")
    for col, (label, p) in zip(cols[1:3], SEED_NETS.items()):
        col.button(label, on_click=pin, args=(p,), width="stretch")
    cols[3].button("Clear all", on_click=clear, disabled=not st.session_state["pins"], width="stretch")

    pins = st.session_state["pins"]
    if not pins:
        st.info("Nothing pinned yet. Pin the seed's 2-2-1 and 2-10-10-10-1 nets to see that the deeper net "
                "ends at a much lower cost in the same 10,001 steps.", icon="📌")
    else:
        runs = []
        for i, p in enumerate(pins):
            c = ui.config_of(p)
            row = st.columns([6, 1])
            row[0].markdown(f"**{i + 1}.** {c.label()}, {c.steps:,} steps, init {c.init}")
            row[1].button("Remove", key=f"unpin_{i}", on_click=unpin, args=(i,))
            runs.append((f"{i + 1}. {c.label()}", ui.train(c)))
        ui.chart(ui.charts.compare_charts(runs), alt_text="Cost and gradient curves of the pinned runs")
        for label, run in runs:
            if run.diverged:
                st.warning(f"{label}: diverged at step {run.steps_done:,}; its curve stops there.", icon="💥")
