"""The prologue every page shares, as one context manager:

    with ui.page_frame("page.train", icon="📉", local=LOCAL) as (config, timing):
        ...  # the page's body, given the Config the sidebar describes and where to say a run's speed

page() first (page config, this page's settings from the URL, presenter styles, link notes), then the
shared sidebar, inside guard(): no traceback ever reaches the page.
"""

from __future__ import annotations

from contextlib import contextmanager

from . import handover
from .figures import freeze_what_lives_forever
from .live import class_bar
from .session import guard, page
from .sidebar import sidebar


@contextmanager
def page_frame(title: str, icon: str = "🧠", local=(), controls: bool = True, class_line: bool = True):
    """Yields the sidebar's (config, timing) (ui.sidebar.Sidebar). `local`: the page's own controls, read from
    and written to the URL. `controls=False`: the sidebar holds the language and the page links only (the Lesson
    sets its own nets). `class_line=False`: the page draws the live class's line itself, inside its own fragment
    (ui.live.class_bar's in_place)."""
    freeze_what_lives_forever()  # once a process: the first page the server runs
    handover.mend()  # once a process: a finished run's messages reach the browser before the next run starts
    page(title, icon=icon, local=local)
    with guard():
        frame = sidebar(controls, local)
        if class_line:
            with guard():  # whatever befalls the class, the page goes on
                class_bar(title)  # in a live class: the lecturer's page publishes this view, a student's follows
        yield frame
