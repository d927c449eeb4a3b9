"""Map: which settings learn the task at all: the share of seeds that solve it, over a grid of two settings."""

import numpy as np
import streamlit as st

import mlp
import ui

AXES = {  # setting → the values a map tries
    "lr": (0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0),
    "width": (1, 2, 4, 8, 16, 32),
    "hidden_layers": (0, 1, 2, 3, 4),
    "activation": tuple(mlp.ACTIVATIONS),
    "init": tuple(mlp.INITS),
    "optimizer": tuple(mlp.optim.RULES),
}
FINE = {"lr": ui.LR_OPTIONS, "width": (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)}  # on a GPU: finer grids …
SEEDS = ("8", "16", "32", "64", "128", "256")  # … and up to 256 seeds a cell (64 on the cpu)
CPU_SEEDS = SEEDS[:4]
LOCAL = [ui.Control.page("map_rows", "lr", "setting", choices=tuple(AXES)),
         ui.Control.page("map_cols", "width", "setting", choices=tuple(AXES)),
         ui.Control.page("map_seeds", "32", "choice", choices=SEEDS)]
LABELS = {"lr": lambda v: f"{v:g}", "width": str, "hidden_layers": str, "activation": str, "init": str,
          "optimizer": str}


def axis_name(key: str) -> str:
    return ui.t(f"chart.map_axis_{key}")


def clicked():
    """A click on a cell: remember it (its links are drawn below the map)."""
    cells = (st.session_state.get("map_chart") or {}).get("selection", {}).get("map_cell") or []
    if cells:
        st.session_state["_map_cell"] = (int(cells[-1]["i"]), int(cells[-1]["j"]))


def links_for(result):
    """The clicked cell's setting on Robustness (all its seeds) and on Train (its first seed)."""
    i, j = st.session_state.get("_map_cell") or (None, None)
    if i is None or i >= len(result.rows[1]) or j >= len(result.cols[1]):
        st.caption(ui.t("map.click"))
        return
    changes = {result.rows[0]: result.rows[1][i], result.cols[0]: result.cols[1][j]}
    label = ", ".join(f"{axis_name(k)} {LABELS[k](v)}" for k, v in changes.items())
    box = ui.row()
    ui.page_link("pages/4_Robustness.py", target=box, label=ui.t("map.open_robust", cell=label), icon="🎲",
                 query_params={**ui.url_query(ui.changed_settings(ui.CONTROLS, **changes), ui.CONTROLS),
                               "n": str(result.n_seeds)})
    ui.page_link("pages/1_Train.py", target=box, label=ui.t("map.open_train", cell=label), icon="📉",
                 query_params=ui.url_query(ui.changed_settings(ui.CONTROLS, **changes), ui.CONTROLS))


def show(result, config, n):
    """The finished map: clickable, its links, its CSV and pictures."""
    t, lang = ui.t, ui.lang()
    chart = ui.comparisons.map_chart(result, LABELS, lang=lang, clickable=True)
    ui.chart(chart, key="map_chart", alt_text=t("chart.map_title", n=n), on_select=clicked)
    st.caption(t("map.caption", seconds=f"{result.seconds:.1f}", n=n, steps=f"{config.steps:,}"))
    links_for(result)
    frame = ui.comparisons.map_frame(result, LABELS)
    box = ui.row()
    box.download_button(t("map.csv"), frame.to_csv(index=False), file_name="map.csv", mime="text/csv",
                        on_click="ignore", icon=":material/download:", key="map_csv")
    ui.chart_downloads(chart, "map", box, box)
    solved = result.solved_fraction
    if np.isfinite(solved).all() and solved.max() == 0:
        st.info(t("map.none_solved"), icon="🧭")


def body(config, _timing):
    """Everything below the sidebar: a fragment (ui.body_fragment), which a following student's page reruns alone for
    the lecturer's moved setting (its sidebar then shows none). While the map fills in, a fragment within it polls
    the map's job (ui.runs.hyper_map)."""
    t, lang = ui.t, ui.lang()
    st.title(t("page.map"))
    ui.intro(t("map.intro", **ui.solved_costs()))
    if config.backend != "manual":
        config = ui.with_config(config, backend="manual")  # maps are sweeps: the hand-written chain rule
    gpu = mlp.resolve_device(config.device) == "cuda"
    offered = SEEDS if gpu else CPU_SEEDS
    if st.session_state["map_seeds"] not in offered:
        st.info(t("map.gpu_seeds", n=st.session_state["map_seeds"], most=offered[-1]), icon="🖥️")
        st.session_state["map_seeds"] = offered[-1]
    names = {k: axis_name(k) for k in AXES}
    box, lecturers = ui.row(), ui.live.steered()  # (following: the lecturer's choice, as the settings are)
    with box:
        ui.widget_for(st.selectbox, t("ctl.map_rows"), "map_rows", list(AXES), format_func=names.get,
                      disabled=lecturers)
        ui.widget_for(st.selectbox, t("ctl.map_cols"), "map_cols", list(AXES), format_func=names.get,
                      disabled=lecturers)
        ui.widget_for(st.segmented_control, t("ctl.map_seeds"), "map_seeds", list(offered), disabled=lecturers)
    rows_key, cols_key = st.session_state["map_rows"], st.session_state["map_cols"]
    if rows_key == cols_key:
        st.warning(t("map.same_axis"), icon="↔️")
        cols_key = "width" if rows_key != "width" else "lr"
    st.caption(t("map.net", label=ui.label(config), steps=f"{config.steps:,}", rows=axis_name(rows_key),
                 cols=axis_name(cols_key)))  # (a following student's sidebar shows no settings)
    rows, cols = ((key, FINE.get(key, AXES[key]) if gpu else AXES[key]) for key in (rows_key, cols_key))
    n = int(st.session_state["map_seeds"])
    work = mlp.maps.map_work(config, rows, cols, n)
    if work > mlp.maps.WORK_MAX:  # refused before any work, with what to reduce
        st.warning(t("map.too_big", minutes=f"{work / mlp.maps.WORK_PER_SECOND / 60:.0f}"), icon="⏳")
        st.stop()
    result = ui.runs.hyper_map(config, rows, cols, n, draw=lambda partial: ui.chart(
        ui.comparisons.map_chart(partial, LABELS, lang=lang)))  # None while it fills in (the controls stay usable)
    if result is not None:
        show(result, config, n)
    ui.copy_link("Map")


with ui.page_frame("page.map", icon="🗺️", local=LOCAL, class_line=False) as frame:
    ui.body_fragment("page.map", body, frame, LOCAL)
