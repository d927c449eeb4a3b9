"""Robustness: the current net trained from many seeds at once — how often does it solve the task?"""

import numpy as np
import streamlit as st

import mlp
import ui

LOCAL = [ui.Control.page("n", 100, "int", lo=1, hi=mlp.MAX_SEEDS["cuda"])]
LINKED = 24  # stuck seeds listed with a link each


def body(config, timing):
    """Everything below the sidebar: a fragment (ui.body_fragment), which a following student's page reruns alone for
    the lecturer's moved setting (its sidebar then shows none)."""
    t, lang = ui.t, ui.lang()
    st.title(t("page.robust"))
    ui.intro(t("robust.intro", cost=mlp.losses.LOSSES[config.loss].solved))
    if config.backend != "manual":
        st.info(t("robust.autograd"), icon="ℹ️")
        config = ui.with_config(config, backend="manual")
    st.caption(t("robust.net", label=ui.label(config), steps=f"{config.steps:,}", init=t(f"init.{config.init}")))
    limit = mlp.max_seeds(config)  # 1,024 on the cpu; more on cuda, as its memory allows
    if st.session_state["n"] > limit:
        st.warning(t("robust.device_limit", n=f"{st.session_state['n']:,}", limit=f"{limit:,}",
                     device=mlp.resolve_device(config.device)), icon="⚠️")
        st.session_state["n"] = limit
    n = ui.widget_for(st.slider, t("ctl.n"), "n", 1, limit, disabled=ui.live.steered(),
                 help=t("robust.seeds_help", first=config.seed, second=config.seed + 1))
    if config.seed + n - 1 > ui.SEED_MAX:
        n = ui.SEED_MAX - config.seed + 1
        st.warning(t("robust.seed_limit", n=n, seed=config.seed))
    sw = ui.sweep(config, n, timing=timing)

    cols = st.columns(4)
    cols[0].metric(t("robust.solved"), f"{sw.solved_fraction:.0%}",
                   help=t("robust.solved_help", k=int((~sw.stuck).sum()), n=n))
    solved_steps = sw.solved_step[~sw.stuck]
    cols[1].metric(t("robust.median"), f"{int(np.median(solved_steps)):,}" if len(solved_steps) else "—")
    cols[2].metric(t("robust.stuck"), f"{int(sw.stuck.sum())}", help=t("robust.stuck_help"))
    cols[3].metric(t("robust.speed"), f"{sw.model_steps_per_second / 1e6:.2f} M",
                   help=t("robust.speed_help", n=f"{n:,}", steps=f"{sw.steps_done:,}", seconds=f"{sw.seconds:.2f}",
                          device=sw.device))
    if sw.diverged.any():
        st.warning(t("robust.diverged", k=int(sw.diverged.sum()), n=n), icon="💥")
    stuck_costs = sw.final_cost[sw.stuck & np.isfinite(sw.final_cost)]
    if len(stuck_costs):
        st.caption(" ".join(ui.stuck_notes(config, np.median(stuck_costs))))
    curves = ui.chart_of(ui.comparisons.sweep_curves, sw, lang=lang, alt_text=t("alt.sweep"))
    box = ui.row()
    ui.chart_downloads(curves, "robustness", box, box)
    left, right = st.columns(2)
    ui.chart_of(ui.comparisons.solved_histogram, sw, lang=lang, target=left, alt_text=t("alt.hist_solved"))
    ui.chart_of(ui.comparisons.final_cost_histogram, sw, lang=lang, target=right, alt_text=t("alt.hist_cost"))

    stuck = np.flatnonzero(sw.stuck)
    if len(stuck):
        st.subheader(t("robust.stuck_title"))
        links = [f"[{t('robust.seed_link', seed=sw.seeds[i])}]({ui.link('Train', seed=int(sw.seeds[i]))}) "
                 f"({t('robust.cost', cost=f'{sw.final_cost[i]:.3g}')})" for i in stuck[:LINKED]]
        more = t("robust.more", k=len(stuck) - LINKED) if len(stuck) > LINKED else ""
        st.markdown(t("robust.stuck_intro") + " · ".join(links) + more)
    else:
        st.success(t("robust.all_solved", n=n), icon="✅")
    ui.copy_link("Robustness")


with ui.page_frame("page.robust", icon="🎲", local=LOCAL, class_line=False) as frame:
    ui.body_fragment("page.robust", body, frame, LOCAL)
