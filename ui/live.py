"""The live class on every page: the lecturer's page shows its class and how many follow it, and publishes what
it shows; a student's page follows the lecturer's (the page and every setting; a Lesson step, or Train's and Chain
rule's step as the lecturer plays it, redrawn alone, without the sidebar: docs/reliability.md) until the student
explores on their own, and follows again when asked. The class itself lives in ui/classroom.py's store; the
questions asked in the class boxes drawn here are ui/questions.py's.

A link joins a class: `?class=CODE` (a student) or `?class=CODE&key=KEY` (the lecturer: the Presenter-link page
makes both). Either is a setting of the view (ui.state.VIEW), kept in the address bar from page to page.
"""

from __future__ import annotations

import secrets
import time

import streamlit as st

from . import classroom, fanout, questions
from .session import adopt, fragment, lang, t, walked
from .sidebar import PAGES
from .state import CONTROLS, parse_query, url_name

FOLLOW_POLL = 2.0  # seconds between a follower's looks at the lecturer's view, where the server cannot push
HEARTBEAT = 20.0  # … where it pushes each change (ui/fanout.py): a look now and then, should a push be lost (most
# of what idle followers cost the server: docs/reliability.md)
COUNT_POLL = 1.0  # seconds between the lecturer's looks at the number following and the answers so far
PLAY_SHARE = 1.0  # seconds between the steps Play on a lecturer's page sends to the class, at the least …
PLAY_SHARE_EACH = 0.05  # … and this many more a follower: each step sent redraws the step's part of Train on every
# follower's page (its pictures at the new step: 12–15 ms of the server's CPU each, docs/reliability.md), so the class
# takes about a quarter of the core and the lecturer's own Play the rest (200 followers: one every 10 s, the
# lecturer's Play 72 frames in 15 s; at 0.1 s a follower 86 frames, at 0.04 63)
# in a link: what a lecturer's page does not send its class and a student keeps their own (and every *_hide)
OWN_VIEW = {"lang", "presenter", "sidebar_hide", "class", "key"}


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


def played_step(key: str, step: int | None):
    """Play on a lecturer's page: the step it shows (None: the end) goes to the class at most once every
    share_every(followers) seconds, so that the students' pages move with it at a coarse rate (each takes it over as
    it takes any moved setting) and the lecturer's own Play keeps its pace."""
    code, lecturer = st.session_state.get("class_code"), st.session_state.get("class_key")
    view = st.session_state.get("_class_view")
    now = time.monotonic()
    since = now - st.session_state.get("_class_sent", 0.0)
    if not (code and lecturer and view) or since < PLAY_SHARE:
        return  # (most frames: no look at the store)
    try:
        if since < share_every(classroom.classes().followers(code)):
            return
    except (classroom.Refused, classroom.Unavailable):
        pass  # the class's line says so on the page's next run
    query = {k: v for k, v in view["query"].items() if k != key}
    st.session_state["_class_view"] = view = {**view, "query": query if step is None else {**query, key: str(step)}}
    st.session_state["_class_sent"] = now
    try:
        classroom.classes().steer(code, lecturer, view)
    except (classroom.Refused, classroom.Unavailable):
        pass  # the class's line says so on the page's next run


def share_every(followers: int) -> float:
    """Seconds between the steps Play sends to a class of this many followers."""
    return max(PLAY_SHARE, PLAY_SHARE_EACH * followers)


def student_id() -> str:
    """This browser session's opaque id in a class (never from a link)."""
    if "_student" not in st.session_state:  # made once: each of a run's calls would otherwise draw random bytes
        st.session_state["_student"] = secrets.token_urlsafe(12)
    return st.session_state["_student"]


def page_path(title: str) -> str:
    """The address path of the page with this title (its text key)."""
    return next(p for _, p, name, _ in PAGES if name == title)


def published_view(title: str) -> dict:
    """What a lecturer's page shows: its path and the address bar's settings, without the lecturer's own view
    (language, presenter mode, hidden controls) and the class's key."""
    return {"page": page_path(title), "query": shared_query()}


def shared_query() -> dict:
    """The address bar's settings that a class shares: all but a page's own view (OWN_VIEW and every *_hide)."""
    return {k: st.query_params[k] for k in st.query_params.keys() if k not in OWN_VIEW and not k.endswith("_hide")}


def class_bar(title: str, in_place=()) -> int | None:
    """The class's line at the top of a page in a class: the lecturer's (publishing this page's view) or a
    student's (following it). A class that has ended, or a store out of reach, is said once; the page goes on.
    Returns the version of the lecturer's view a student's page read (None elsewhere).

    `in_place`: the page's own controls (ui.Control) that a follower takes over without the page running again
    whole (the Lesson's step: ui.body_fragment). The lecturer's page then draws this line inside its body fragment
    (each run of it publishes the view), a student's above it; the body takes each new view over itself
    (follow_view): when the lecturer's view differs from this page's only in those controls, the student's page
    redraws its body alone, not the sidebar, nor this line."""
    code, key = st.session_state.get("class_code", ""), st.session_state.get("class_key", "")
    if not code:
        return None
    classes = classroom.classes()
    st.html("<style>.st-key-class_bar { margin-top: 1.2rem; }</style>")  # clear of Streamlit's header
    with st.container(key="class_bar"):
        return _class_bar(classes, code, key, title, tuple(in_place))


def following() -> bool:
    """Is this a student's page in a class (not the lecturer's)?"""
    return bool(st.session_state.get("class_code")) and not st.session_state.get("class_key")


def steered() -> bool:
    """Is this a student's page that follows the lecturer's now (not exploring on their own)? Its page and step are
    the lecturer's: the page leaves out its own Back and Next (Lesson) and Play (Train, Chain rule), and greys out its
    links to other pages ("Explore on my own" brings them back)."""
    return (following() and st.session_state.get("_following", True)
            and not st.session_state.get("_class_unreachable"))  # (a store out of reach: the page is on its own)


def taken_in_place(step, local=()) -> tuple:
    """The controls a page's body takes over in place from the lecturer's view (follow_view): its step (`step`), and
    while the student follows, the page's own controls (`local`) and every setting too: the sidebar then shows none
    of them (ui.sidebar), so that a moved setting reruns the body alone, not the page."""
    if not steered():
        return tuple(step)
    keys = {c.key for c in step}
    return tuple(step) + tuple(c for c in (*local, *CONTROLS) if c.key not in keys)


def follow_view(title: str, in_place, version: int | None = None, body: bool = False) -> int | None:
    """In the body fragment of a student's page in a class (ui.body_fragment, `body`), or in the fragment within it
    that shows the step (ui.step_fragment): the lecturer's view taken over in place, or the page opened whole where
    more than `in_place` differs (read now; or `version`, what the page's class line has just read and taken over in
    the same run), and the class told to rerun this fragment alone for the next view (the body for one that changes
    more than the step fragment's `in_place`: ui/fanout.py). Returns that version (None: not following, or the class
    out of reach)."""
    code = st.session_state.get("class_code", "")
    if not following():
        return None
    try:
        if version is None:
            version = _take_over(code, title, tuple(in_place))
    except classroom.Refused:
        st.rerun()  # the class ended: the whole page says so (class_bar) and goes on without it
    except classroom.Unavailable:
        return None  # the class line says so
    fanout.fanout().watch_view(code, student_id(), version, shown=st.session_state.get("_class_shown"),
                               steps=tuple(url_name(c.key) for c in in_place), body=body)
    return version


def publish(title: str):
    """A lecturer's page whose in-place controls moved in a fragment of their own (ui.step_fragment: Train's step
    slider): its view goes to the class as its class line's run would send it (that line is not drawn again)."""
    code, key = st.session_state.get("class_code"), st.session_state.get("class_key")
    if not (code and key):
        return
    try:
        _steer(classroom.classes(), code, key, title)
    except (classroom.Refused, classroom.Unavailable):
        pass  # the class's line says so on the page's next run


def _steer(classes, code: str, key: str, title: str):
    """This page's view to the class (kept too: Play sends its steps from it, played_step)."""
    st.session_state["_class_view"] = published_view(title)
    classes.steer(code, key, st.session_state["_class_view"])


def _class_bar(classes, code: str, key: str, title: str, in_place: tuple) -> int | None:
    try:
        if key:
            if title == "page.presenter":  # where the lecturer makes the links is not shown to the class
                if not classes.is_lecturer(code, key):
                    raise classroom.Refused("not the lecturer's key")
            else:  # steering checks the key itself
                _steer(classes, code, key, title)
            _lecturer_line(code, key, st.session_state.get("lesson") if title == "page.lesson" else None)
        else:
            return _follower(code, title, in_place)
    except classroom.Refused:
        st.warning(t("class.ended", code=code), icon="🎓")
        st.session_state["class_code"] = st.session_state["class_key"] = ""
    except classroom.Unavailable:
        st.warning(t("class.unavailable"), icon="📡")
    return None


@fragment(run_every=COUNT_POLL)
def _lecturer_line(code: str, key: str, step: int | None):
    """The lecturer's box: how many follow, the question to ask (the Lesson step's, or their own), and the room's
    answers as they come in, until the reveal."""
    classes = classroom.classes()
    try:
        tally = classes.tally(code)
    except (classroom.Refused, classroom.Unavailable):
        tally = None
    # On the projector (ui.session.PRESENTER_CSS) a slimmer box. With no question open, the class's line
    # ("class_line") goes up into the strip above the title, and only a Lesson step's question to ask stays in the
    # page, on a line of its own ("class_ask"): the pictures keep (nearly) the first screen they have without a class.
    open_question = tally is not None and tally.question is not None
    apart = not open_question and (step is None or bool(st.session_state.get("presenter")))
    box = st.container(border=True, key="class_line" if apart else "class_box")
    row = box.container(horizontal=True, vertical_alignment="center")  # one line where it fits
    try:
        row.markdown(t("class.lecturer", code=code, n=classes.followers(code)), width="content")
    except (classroom.Refused, classroom.Unavailable):
        row.caption(t("class.unavailable"))
        return
    with row.popover(t("class.ask_own"), icon=":material/edit:", key="own_popover", on_change="rerun"), \
            st.form("own_question", clear_on_submit=True, border=False):
        if st.session_state.pop("_own_refused", False):
            st.warning(t("class.own_rules"), icon="✏️")
        st.text_input(t("class.question"), max_chars=classroom.MAX_QUESTION, key="own_q")
        for i in range(4):
            st.text_input(t("class.answer_n", n=i + 1), max_chars=classroom.MAX_CHOICE, key=f"own_a{i}")
        st.form_submit_button(t("class.ask"), on_click=_ask_own, args=(code, key))
    if step is not None:  # last: a long question's button takes the next line, the count and this stay on one
        question = questions.lesson_question(step)
        label = questions.ask_label(question, tally)
        if label is not None:
            where = st.container(key="class_ask") if apart else row
            where.button(label, key="b_ask", icon=":material/help:", on_click=questions.ask, args=(code, key, question))
    if open_question:
        questions.draw_tally(box, tally)
        if not tally.revealed:
            box.button(t("class.reveal"), key="b_reveal", on_click=questions.reveal, args=(code, key),
                       icon=":material/check:")


def _ask_own(code: str, key: str):
    """The lecturer's own question, asked: the popover it was typed in closes (the room's bars are under it); one the
    store refuses (no text, or not 2 to 4 answers) keeps it open and says why."""
    choices = tuple(c for c in (st.session_state.get(f"own_a{i}", "") for i in range(4)) if c.strip())
    try:
        questions.ask(code, key, classroom.Question(st.session_state.get("own_q", ""), choices))
        st.session_state["own_popover"] = False
    except classroom.Refused:
        st.session_state["_own_refused"] = True


def _follower(code: str, title: str, in_place: tuple = ()) -> int:
    """A student's class box, drawn by the page's run with what it has just read of the class (a class that is not
    open is said here, once: class_bar); returns the lecturer's view version it read."""
    st.session_state.setdefault("_following", True)
    version = _take_over(code, title, in_place)
    read = [(version, classroom.classes().tally(code))]
    # the box looks at the class when the server pushes a change, or every FOLLOW_POLL seconds where it cannot
    every = HEARTBEAT if fanout.available() else FOLLOW_POLL
    fragment(_student_box, run_every=every)(code, title, in_place, read)  # questions, answers, exploring
    return version


def _set_following(on: bool):
    st.session_state["_following"] = on
    st.session_state["_class_version"] = -1  # following again takes the lecturer's view at once
    st.session_state["_left"] = not on  # exploring: the page runs again whole (steered(): Back, Next and Play return)
    if on:  # following again: the student's own Play stops (a following page has no Pause: the step is the class's)
        for key in [k for k in st.session_state if k.startswith("_playing_")]:
            st.session_state[key] = False
    else:  # exploring: no longer counted as following the lecturer's screen (at once, not a few seconds later)
        try:
            classroom.classes().leave(st.session_state["class_code"], student_id())
        except (classroom.Refused, classroom.Unavailable):
            pass  # the class box says so on its next run


def _take_over(code: str, title: str, in_place: tuple = ()) -> int:
    """The lecturer's view, taken over when it is new (a new page, a moved setting) and the student follows: whole,
    as if they had opened the lecturer's link, in their own language, or only the `in_place` controls where nothing
    else differs (class_bar). A view taken over already is taken over again where this page is not its page, or
    this run is at another address of the browser's history (its Back, or a request sent before the page's new
    address reached the browser: ui.session.walked): a following student's page is the lecturer's. Returns the
    class's version; Refused where the class has ended."""
    classes, following = classroom.classes(), st.session_state.get("_following")
    try:  # a student exploring on their own reads the class without being counted as following
        view, version = classes.follow(code, student_id()) if following else classes.view(code)
    except classroom.Unavailable:
        st.session_state["_class_unreachable"] = True  # nothing to follow: the page's own controls (steered)
        raise
    if st.session_state.get("_class_unreachable"):
        st.session_state["_class_unreachable"] = False
    page = next(((f, name) for f, p, name, _ in PAGES if p == view.get("page")), None)
    if following and version and (version != st.session_state.get("_class_version") or walked()
                                  or page is not None and page[1] != title):
        if page is None:
            st.session_state["_class_version"] = version  # no page of this app: nothing to take over
        else:
            query = {k: v for k, v in view.get("query", {}).items() if k not in OWN_VIEW}
            if page[1] == title and take_in_place(query, in_place):
                st.session_state["_class_version"] = version
            else:
                adopt(page[0], {**query, "class": code, "lang": st.session_state.get("lang", "en")},
                      page[1] == title, arrive={"_class_version": version})
    if version == st.session_state.get("_class_version"):
        st.session_state["_class_shown"] = view  # what the page shows now (the fan-out's choice of fragment)
    return version


def _student_box(code: str, title: str, in_place: tuple = (), read: list | None = None):
    """A student's class box (a fragment, run when the class changes): whether the student follows or explores, and
    the question the lecturer asks, if any. `read`: what the page's run has just read of the class (the lecturer's
    view version, taken over, and the answers' tally), used once, by the box's run inside that page run; the box's
    own runs read it themselves and take a new view over (following again; a look where the server cannot push) —
    on a page that takes the view over in place, by running the page again (its body shows it)."""
    if st.session_state.get("class_code") != code:
        return  # the class was left (it ended): this timer's last tick
    whole = bool(read)  # a run of the whole page: its fragments of before are gone
    if st.session_state.pop("_left", False) and not whole:
        st.rerun()  # "Explore on my own" clicked in this box: the page's own controls come back with its next run
    try:
        if read:
            version, tally = read.pop()
        else:
            taken = st.session_state.get("_class_version")
            version, tally = _take_over(code, title, in_place), classroom.classes().tally(code)
            if in_place and st.session_state.get("_class_version") != taken:
                st.rerun()  # the body below shows the view just taken over
    except classroom.Refused:
        st.rerun()  # the class ended: the whole page says so (class_bar) and goes on without it
    except classroom.Unavailable:
        st.caption(t("class.unavailable"))
        return
    following = st.session_state.get("_following")
    fanout.fanout().watch(code, student_id(), (version, tally.number, tally.revealed), whole,  # the next change
                          following=bool(following))
    box = st.container(border=True)
    left, right = box.columns([3, 1], vertical_alignment="center")
    left.markdown(t("class.following" if following else "class.exploring", code=code))
    right.button(t("class.explore" if following else "class.follow_again"), key="b_explore" if following else
                 "b_follow_again", on_click=_set_following, args=(not following,), width="stretch",
                 icon=":material/explore:" if following else ":material/group:")
    if tally.question is not None:
        questions.student_answer(box, code, tally, student_id())


def take_in_place(query: dict, controls) -> bool:
    """A followed view's query (OWN_VIEW left out) on this page: if it differs from this page's address in `controls`
    only, set them as it gives them (what it leaves out is the default); the page's fragment writes the address
    (ui.body_fragment). False where anything else differs: the page must be opened whole (adopt)."""
    names = {url_name(c.key) for c in controls}
    here = shared_query()
    if not names or {k: v for k, v in query.items() if k not in names} != {k: v for k, v in here.items()
                                                                          if k not in names}:
        return False
    values, notes = parse_query({k: v for k, v in query.items() if k in names}, controls, lang())
    if notes:
        return False  # not a value this page would show: the whole page says so
    for c in controls:
        st.session_state[c.key] = values.get(c.key, c.default)
    return True
