"""The students' own points (dataset "own"), on the Train page: a click on the decision-boundary plane adds
a point of the chosen class, a CSV upload replaces them all; undo, start again, download.

The points live in the session (session_state["own_points"], a setting like any other: in the link where they
fit, see ui.points.to_url). Nothing is written on the server; an upload is read in memory and checked.
"""

from __future__ import annotations

import streamlit as st

from . import points as own
from .session import t
from .widgets import row

CLICK = "add_point"  # the name of the boundary chart's click selection (charts.decision_boundary)


def set_points(points: tuple):
    st.session_state["own_points"] = tuple(points)
    st.session_state.pop("_own_error", None)


def current() -> tuple:
    return st.session_state.get("own_points") or own.XOR


def clicked(chart_key: str):
    """The boundary chart's on_select: the clicked cell's centre becomes a point of the chosen class."""
    cells = (st.session_state.get(chart_key) or {}).get("selection", {}).get(CLICK) or []
    if not cells:  # a click that cleared the selection
        return
    cell = cells[-1]
    try:
        x1 = round((float(cell["x1"]) + float(cell["x1_end"])) / 2, 2)
        x2 = round((float(cell["x2"]) + float(cell["x2_end"])) / 2, 2)
    except (KeyError, TypeError, ValueError):
        return  # not a cell of the plane
    points = current()
    if len(points) >= own.MAX_POINTS:
        st.session_state["_own_error"] = ("points.full", dict(limit=f"{own.MAX_POINTS:,}"))
        return
    set_points(points + ((x1, x2, int(st.session_state.get("_click_class", 1))),))


def uploaded():
    file = st.session_state.get("own_csv")
    if file is None:
        return
    try:
        set_points(own.read_csv(file.getvalue()))
    except own.PointsError as e:
        st.session_state["_own_error"] = e.args


def section(config):
    """The controls of the own points, above the pictures (where a click adds one)."""
    st.subheader(t("own.title", n=f"{len(config.own_points):,}"))
    if st.session_state.get("own_points_hide"):  # the presenter's link keeps the points as they are
        return
    st.caption(t("own.intro"))
    box = row()
    classes = {0: t("chart.class0"), 1: t("chart.class1")}
    st.session_state.setdefault("_click_class", 1)
    box.segmented_control(t("own.click_adds"), list(classes), format_func=classes.get, key="_click_class")
    points = current()
    box.button(t("own.undo"), on_click=set_points, args=(points[:-1],), disabled=len(points) <= 1,
               icon=":material/undo:", key="own_undo")
    box.button(t("own.restart"), on_click=set_points, args=(own.XOR,), icon=":material/restart_alt:",
               key="own_restart")
    box.download_button(t("own.download"), data=own.to_csv(config.own_points), file_name="points.csv",
                        mime="text/csv", on_click="ignore", icon=":material/download:", key="own_download")
    st.file_uploader(t("own.upload"), type=["csv", "txt"], key="own_csv", on_change=uploaded,
                     help=t("own.upload_help", n=f"{own.MAX_POINTS:,}"))
    error = st.session_state.get("_own_error")
    if error:
        st.error(t(error[0], **error[1]), icon="📄")
    if own.to_url(config.own_points) is None:
        st.info(t("own.not_in_link", n=f"{len(config.own_points):,}"), icon="🔗")
