"""The live class on every page: the lecturer's page shows its class and how many follow it, and publishes what
it shows; a student's page follows the lecturer's (the page and every setting, within ~2 s) until the student
explores on their own, and follows again when asked. The class itself lives in ui/classroom.py's store.

A link joins a class: `?class=CODE` (a student) or `?class=CODE&key=KEY` (the lecturer: the Presenter-link page
makes both). Either is a setting of the view (ui.state.VIEW), kept in the address bar from page to page.
"""

from __future__ import annotations

import secrets

import streamlit as st

from . import classroom
from .session import adopt, t
from .sidebar import PAGES

FOLLOW_POLL = 2.0  # seconds between a follower's looks at the lecturer's view
COUNT_POLL = 3.0  # seconds between the lecturer's looks at the number following
OWN_VIEW = {"lang", "presenter", "sidebar_hide", "class_code", "class_key"}  # a student keeps their own


def start_class():
    """The Presenter-link page's button: a new class with this session as its lecturer (its links then carry
    the class's code, and the lecturer's link its key)."""
    try:
        opened = classroom.classes().open()
    except classroom.Unavailable:
        st.session_state["class_code"] = st.session_state["class_key"] = ""
        st.toast(t("class.unavailable"), icon="📡")
        return
    st.session_state["class_code"], st.session_state["class_key"] = opened.code, opened.key


def student_id() -> str:
    """This browser session's opaque id in a class (never from a link)."""
    return st.session_state.setdefault("_student", secrets.token_urlsafe(12))


def published_view(title: str) -> dict:
    """What a lecturer's page shows: its path and the address bar's settings, without the lecturer's own view
    (language, presenter mode, hidden controls) and the class's key."""
    path = next(p for _, p, name, _ in PAGES if name == title)
    query = {k: st.query_params[k] for k in st.query_params.keys()
             if k not in ("class", "key", "lang", "presenter", "sidebar_hide") and not k.endswith("_hide")}
    return {"page": path, "query": query}


def class_bar(title: str):
    """The class's line at the top of a page in a class: the lecturer's (publishing this page's view) or a
    student's (following it). A class that has ended, or a store out of reach, is said once; the page goes on."""
    code, key = st.session_state.get("class_code", ""), st.session_state.get("class_key", "")
    if not code:
        return
    classes = classroom.classes()
    st.html("<style>.st-key-class_bar { margin-top: 1.2rem; }</style>")  # clear of Streamlit's header
    with st.container(key="class_bar"):
        _class_bar(classes, code, key, title)


def _class_bar(classes, code: str, key: str, title: str):
    try:
        if key:
            if not classes.is_lecturer(code, key):
                raise classroom.Refused("not the lecturer's key")
            if title != "page.presenter":  # where the lecturer makes the links is not shown to the class
                classes.steer(code, key, published_view(title))
            _lecturer_line(code)
        else:
            _follower(code, title)
    except classroom.Refused:
        st.warning(t("class.ended", code=code), icon="🎓")
        st.session_state["class_code"] = st.session_state["class_key"] = ""
    except classroom.Unavailable:
        st.warning(t("class.unavailable"), icon="📡")


@st.fragment(run_every=COUNT_POLL)
def _lecturer_line(code: str):
    box = st.container(border=True)
    try:
        box.markdown(t("class.lecturer", code=code, n=classroom.classes().followers(code)))
    except (classroom.Refused, classroom.Unavailable):
        box.caption(t("class.unavailable"))


def _follower(code: str, title: str):
    classroom.classes().follow(code, student_id())  # a class that is not open is said here, once (class_bar)
    following = st.session_state.setdefault("_following", True)
    if following:
        _follow(code, title)
        return
    left, right = st.container(border=True).columns([3, 1], vertical_alignment="center")
    left.markdown(t("class.exploring", code=code))
    right.button(t("class.follow_again"), key="b_follow_again", on_click=_set_following, args=(True,),
                 icon=":material/group:", width="stretch")


def _set_following(on: bool):
    st.session_state["_following"] = on
    st.session_state["_class_version"] = -1  # following again takes the lecturer's view at once


@st.fragment(run_every=FOLLOW_POLL)
def _follow(code: str, title: str):
    """Every few seconds: the lecturer's view; a new one (a new page, a moved setting) is taken over whole, as if
    the student had opened the lecturer's link, in the student's own language."""
    if st.session_state.get("class_code") != code:
        return  # the class was left (it ended): this timer's last tick
    try:
        view, version = classroom.classes().follow(code, student_id())
    except classroom.Refused:
        st.rerun()  # the class ended: the whole page says so (class_bar) and goes on without it
    except classroom.Unavailable:
        st.caption(t("class.unavailable"))
        return
    if version and version != st.session_state.get("_class_version") and st.session_state.get("_following"):
        st.session_state["_class_version"] = version
        page = next(((f, name) for f, p, name, _ in PAGES if p == view.get("page")), None)
        if page is not None:
            query = {k: v for k, v in view.get("query", {}).items() if k not in OWN_VIEW}
            adopt(page[0], {**query, "class": code, "lang": st.session_state.get("lang", "en")}, page[1] == title)
    left, right = st.container(border=True).columns([3, 1], vertical_alignment="center")
    left.markdown(t("class.following", code=code))
    right.button(t("class.explore"), key="b_explore", on_click=_set_following, args=(False,),
                 icon=":material/explore:", width="stretch")
