"""The prologue every page shares, as one context manager:

    with ui.page_frame("page.train", icon="📉", local=LOCAL, class_line=False) as frame:
        ui.body_fragment("page.train", body, frame, LOCAL)  # body(config, timing): the Config the sidebar describes
        # (or the lecturer's, followed), and where to say a run's speed

page() first (page config, this page's settings from the URL, presenter styles, link notes), then the
shared sidebar, inside guard(): no traceback ever reaches the page. A page whose body is one fragment (its step
moved alone, and followed in place in a live class) opens with class_line=False and draws it with body_fragment.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from . import handover
from .figures import check_charts_once_per_shape, freeze_what_lives_forever
from .live import class_bar, follow_view, following, publish, steered, taken_in_place
from .session import fragment, guard, page, settle_lang, sync_url
from .sidebar import Sidebar, config_from_state, sidebar, sidebar_config


@contextmanager
def page_frame(title: str, icon: str = "🧠", local=(), controls: bool = True, class_line: bool = True):
    """Yields the sidebar's place for the measured time per step (ui.sidebar.Sidebar). `local`: the page's own
    controls, read from and written to the URL. `controls=False`: the sidebar holds the language and the page links
    only (the Lesson sets its own nets). `class_line=False`: the page draws its body with body_fragment, which draws
    the live class's line itself (ui.live.class_bar's in_place), and which a setting moved in the sidebar reruns
    alone."""
    freeze_what_lives_forever()  # once a process: the first page the server runs
    check_charts_once_per_shape()
    handover.mend()  # once a process: a finished run's messages reach the browser before the next run starts
    page(title, icon=icon, local=local)
    frame = None
    with guard():
        frame = sidebar(controls, local, following=steered(), body=None if class_line else body_key(title))
    if frame is None:  # the sidebar failed (a widget's state no browser sends): its message says what to try, and
        st.stop()  # the page can go no further (a with-block must be given a value, or Python says so as a traceback)
    with guard():
        if class_line:
            with guard():  # whatever befalls the class, the page goes on
                class_bar(title)  # in a live class: the lecturer's page publishes this view, a student's follows
        yield frame


def body_fragment(title: str, body, frame: Sidebar, local=(), in_place=()):
    """The page below the sidebar as one fragment, drawn as body(config, timing): a widget in it (Back and Next, the
    step slider, Play) reruns it alone, not the sidebar; and in a live class a follower's page takes the lecturer's
    `in_place` controls (the step) over in it the same way (ui.live.follow_view), and while the student follows,
    the lecturer's settings too (the sidebar then shows none: ui.live.taken_in_place), not redrawing the class's
    line above it (ui.live.class_bar; on the lecturer's page that line is the fragment's first element: each run of
    it publishes the view). A setting moved in the sidebar reruns it alone too (its key: body_key; the sidebar shows
    that setting already). `local`: the page's own controls, written to the address bar on each of its runs. A
    setting changed by a widget in it (a point added on the plane) runs the page whole: the sidebar shows and trains
    what the settings say. `timing`, the sidebar's place for the time per step, is written by each run of it."""
    timing, follower, read = frame.timing, following(), []
    if follower:
        with guard():  # whatever befalls the class, the page goes on
            read.append(class_bar(title, in_place=taken_in_place(in_place, local)))  # the lecturer's view, taken

    def run():
        lecturers = follower and steered()  # the settings are the lecturer's, taken over here: the sidebar shows none
        _fragment_starts(None if lecturers else sidebar_config(), local)
        _BODY.version = None  # (what a step_fragment within reads of this run)
        if follower:
            with guard():  # a new step (and, following, new settings), here …
                _BODY.version = follow_view(title, taken_in_place(in_place, local), read.pop() if read else None,
                                            body=True)
            sync_url(local)  # … and the address shows it
        else:
            with guard():
                class_bar(title)
        body(config_from_state(), timing)  # (the sidebar's, or the lecturer's taken over)

    fragment(run, key=body_key(title))()  # (guarded within: page_frame's guard is outside it)


def body_key(title: str) -> str:
    """The key of a page's body fragment, one a page: a callback that reruns it never reruns another page's body
    (Streamlit keeps a page's fragments until a later run of a whole page has ended)."""
    return f"body {title}"


def _fragment_starts(config, local):
    """What each run of a page's body fragment, and each own run of a part within it (step_fragment), does first:
    the language read afresh (what page() settled held for the page's run); the page whole where a setting changed
    (a point added on the plane; `config`: the sidebar's, None where the sidebar shows no settings); the address as
    the page's state is: a lecturer's page publishes it (class_bar), a follower's compares the lecturer's with it (a
    pushed run starts at the address its last client message carried, which a page reached by st.switch_page has not
    sent: docs/reliability.md)."""
    settle_lang()
    if config is not None and config_from_state() != config:
        st.rerun()
    sync_url(local)


_BODY = threading.local()  # a body fragment's run (its own thread): the lecturer's view version its follower read


def step_fragment(title: str, draw, config, local=(), in_place=()):
    """Within a page's body fragment (body_fragment), the part that shows the `in_place` controls (Train's step: its
    slider, Play and the pictures at the step) as a fragment of its own, drawn as draw(): a student moving the step,
    and in a live class the lecturer's step taken over on a follower's page, rerun this part alone, not the rest of
    the body (the run's notes, its metrics, the downloads: the same at every step). On its own run it does what the
    body's run does for the page: the address, the lecturer's view published or a follower's taken over (and the
    class told to rerun this part for the next step), the whole page run where a setting changed."""
    def run():
        ctx = get_script_run_ctx()
        own = ctx is not None and ThreadState.get().fragment_id in (ctx.fragment_ids_this_run or ())
        if own:  # a run of this part alone
            _fragment_starts(config, local)
        with guard():
            if following() and own:
                follow_view(title, in_place)  # a new step of the lecturer's, here …
                sync_url(local)  # … and in the address
            elif following() and getattr(_BODY, "version", None) is not None:
                follow_view(title, in_place, _BODY.version)  # the class reruns this part, not the body, from now on
            elif own:
                publish(title)  # a lecturer's step to the class (a student's own: nothing to send)
        draw()

    fragment(run)()  # (guarded within, as the body's)
