"""Compare: pin runs and overlay their cost and gradient curves."""

import html

import streamlit as st

import mlp
import ui

LOCAL = [ui.Control.page("pins", (), "pins")]
SEED_NETS = {"compare.pin221": [(("init", "notebook"),)],  # the very nets the notebook printed
             "compare.pin_deep": [(("init", "notebook"), ("hidden_layers", 3), ("width", 10))],
             # its 2-2-1 net by each update rule: does momentum or Adam leave the plateau sooner?
             "compare.pin_optimizers": [(("init", "notebook"),), (("init", "notebook"), ("optimizer", "momentum")),
                                        (("init", "notebook"), ("optimizer", "adam"))]}


def pin(*new):
    pins = tuple(st.session_state["pins"])
    for p in new:
        if p not in pins:
            pins = (pins + (p,))[-ui.MAX_PINS:]
    st.session_state["pins"] = pins


def unpin(i):
    pins = list(st.session_state["pins"])
    del pins[i]
    st.session_state["pins"] = tuple(pins)


def clear():
    st.session_state["pins"] = ()


def backends_part(runs):
    """Where two pinned runs differ only in their backend and their curves part, say when and why (not a bug)."""
    for i, a in enumerate(runs):
        for j in range(i + 1, len(runs)):
            b = runs[j]
            if a.config.backend == b.config.backend or ui.with_config(a.config, backend=b.config.backend) != b.config:
                continue
            part = mlp.diagnose.parting(a, b)
            if part is not None:
                words = dict(a=i + 1, b=j + 1, step=f"{part.step:,}")
                if part.spike is not None:
                    st.info(ui.t("compare.parted_spike", spike=f"{part.spike:,}", **words), icon="🔀")
                else:
                    st.info(ui.t("compare.parted", **words), icon="🔀")


def body(config, timing):
    """Everything below the sidebar: a fragment (ui.body_fragment), which a following student's page reruns alone for
    the lecturer's moved setting or pins (its sidebar then shows none)."""
    t = ui.t
    st.title(t("page.compare"))
    ui.intro(t("compare.intro", n=ui.MAX_PINS))
    box, lecturers = ui.row(), ui.live.steered()  # (following: the pins are the lecturer's, as the settings are)
    box.button(t("compare.pin"), on_click=lambda: pin(ui.current_pin()), type="primary", key="pin_current",
               disabled=lecturers)
    for i, (label, new) in enumerate(SEED_NETS.items()):
        box.button(t(label), on_click=pin, args=tuple(new), key=f"pin_seed_{i}", disabled=lecturers)
    box.button(t("compare.clear"), on_click=clear, disabled=lecturers or not st.session_state["pins"], key="pin_clear")
    st.caption(t("compare.current", label=ui.label(config), steps=f"{config.steps:,}", init=t(f"init.{config.init}")))

    pins = st.session_state["pins"]
    if not pins:
        st.info(t("compare.empty"), icon="📌")
    else:
        runs = []
        for i, p in enumerate(pins):
            c = ui.config_of(p)
            row = st.columns([6, 1])
            swatch = f'<span style="color: {ui.charts.RUN_COLOURS[i]}" aria-hidden="true">━━</span> '  # its colour
            line = t("compare.pin_line", i=i + 1, label=html.escape(ui.label(c)), steps=f"{c.steps:,}",
                     init=t(f"init.{c.init}"))
            row[0].markdown(swatch + line, unsafe_allow_html=True)  # (the swatch alone is HTML)
            row[1].button(t("compare.remove"), key=f"unpin_{i}", on_click=unpin, args=(i,), disabled=lecturers)
            runs.append((f"{i + 1}. {ui.label(c)}", ui.train(c, timing=timing if c == config else None)))
        ui.comparison(runs, legend="pinned_run")
        box = ui.row()
        ui.chart_downloads(lambda: ui.comparisons.compare_charts(runs, lang=ui.lang(), legend="pinned_run"), "compare",
                           box, box)
        ui.notebook_download([run.config for _, run in runs], ui.link("Compare", ui.url_query(
            {"pins": pins}, LOCAL)), "compare", box)
        for label, run in runs:
            if run.diverged:
                st.warning(t("compare.diverged", label=label, step=f"{run.steps_done:,}"), icon="💥")
            elif outstrode := ui.notices.stride(run):  # Adam at the lab's lr 1 sticks: why, not "Adam is worse"
                st.warning(f"**{label}**: {outstrode}", icon="⚠️")
        backends_part([run for _, run in runs])
    ui.copy_link("Compare")


with ui.page_frame("page.compare", icon="📊", local=LOCAL, class_line=False) as frame:
    ui.body_fragment("page.compare", body, frame, LOCAL)
