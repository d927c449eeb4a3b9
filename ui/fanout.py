"""A class's changes pushed to its followers' pages in this process, so that a page in a class costs nothing while
nothing changes.

A follower's page could ask the class store every 2 s (a fragment's `run_every`): each ask is a script run,
~5 ms of the server's CPU, and 200 followers doing nothing cost it half a core. Instead one thread of the process
looks at each followed class's pulse (the lecturer's view version, the question's number, whether it is revealed:
one lookup a class, in memory or one Redis round trip) four times a second, and when it changes reruns, on each
page of this process that follows the class, the fragment that shows what changed, as the browser's own timer
would: a new question or its reveal, the page's class box (ui/live.py's `_student_box`); a new view of the
lecturer's, the box too, or on a page that takes the view over in place its body alone (ui.body_fragment: the
Lesson's step; on every page with settings a moved setting, which a following page's sidebar does not show), not
the box above it, and on a page with a part for the step (ui.step_fragment) that part alone for a view
that differs from the page's in the step only (Play on the lecturer's Train). Every few seconds it also tells the
store which of its following pages are still open (not those of students exploring on their own), so the lecturer's
count stays true with no page running.

Rerunning a session's fragment from the server is what Streamlit does itself when a source file changes
(`AppSession.request_rerun` with the session's last client state); the session and its event loop are found
through Streamlit's runtime, which the pinned version in requirements.txt has. Where it is not there (AppTest,
`python -m` without a server) `available()` says so and the pages poll as before.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from streamlit.logger import get_logger

from . import classroom

PULSE_EVERY = 0.25  # seconds between the thread's looks at each followed class
SEEN_EVERY = 3.0  # seconds between its reports of the open pages (the store forgets a follower after 10 s)
_LOG = get_logger("xor_mlp")


def _runtime():
    """Streamlit's runtime of this server, or None (AppTest, whose runtime is a stand-in; a script without a
    server)."""
    try:
        from streamlit.runtime import Runtime

        runtime = Runtime.instance() if Runtime.exists() else None
    except Exception:  # noqa: BLE001  (another Streamlit: the pages poll)
        return None
    return runtime if type(runtime) is Runtime else None


def available() -> bool:
    """Can this process push (a `streamlit run` server)? Else a follower's page polls."""
    return _runtime() is not None


def here() -> tuple[str, str] | None:
    """(this session's id, the id of the fragment running now), or None where pushing is not possible."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

        ctx, fragment = get_script_run_ctx(suppress_warning=True), ThreadState.get().fragment_id
    except Exception:  # noqa: BLE001
        return None
    if ctx is None or not fragment or _runtime() is None:
        return None
    return ctx.session_id, fragment


@dataclass
class Page:
    """A page of this process in a class: the fragments the class reruns, and what each last read of it."""
    student: str
    box: str | None = None  # the class box's fragment (the question, following or exploring; on a page without
    # `view`, the lecturer's view too)
    seen: tuple | None = None  # the class's pulse as the box last read it
    view: str | None = None  # the fragment that takes a new view over in place (the page's body: ui.body_fragment;
    # the step's part within it: ui.step_fragment)
    view_seen: int | None = None  # the lecturer's view version that fragment last read
    body: str | None = None  # the page's body fragment, where `view` is a part within it
    steps: tuple = ()  # the address's names that `view` takes over in place (a part within the body: its step)
    shown: dict | None = None  # the lecturer's view the page shows
    again: str | None = None  # the fragment to ask again (it was busy)
    following: bool = True  # the student follows (else explores on their own: not counted as following)

    def due(self, pulse, current=None) -> str | None:
        """The fragment to rerun for the class's pulse now, or None: the one that was busy, if one was; the view
        fragment if the lecturer's view is new to it (the body around it where the view, `current` (view, version),
        differs from the page's in more than that part's step); else the box if the pulse is new to it (on a page
        with a view fragment, the question's part only: the view is not the box's)."""
        if self.again:
            return self.again
        if self.view and pulse is not None and self.view_seen != pulse[0]:
            if self.has_part() and not self.step_only(current, pulse[0]):
                return self.body
            return self.view
        if self.box is None:
            return None
        if self.view and pulse is not None and self.seen is not None:
            return self.box if self.seen[1:] != pulse[1:] else None
        return self.box if self.seen != pulse else None

    def has_part(self) -> bool:
        """Is the fragment that takes a new view over a part within the page's body (ui.step_fragment)?"""
        return bool(self.body) and self.body != self.view

    def step_only(self, current, version: int) -> bool:
        """Does the lecturer's view `current` ((view, version), read at the class's pulse `version`) differ from the one
        the page shows in the step alone (`steps`)? False where either is not known: the body takes any view over."""
        if current is None or current[1] != version or self.shown is None:
            return False

        def frame(view):
            return view.get("page"), {k: v for k, v in view.get("query", {}).items() if k not in self.steps}
        return frame(current[0]) == frame(self.shown)

    def asked(self, fragment: str, pulse):
        """`fragment` was asked to rerun for `pulse`: not again until the page's run tells what it read, or a tick
        finds it was busy."""
        self.again = None
        if fragment in (self.view, self.body):
            self.view_seen = pulse[0]
        else:
            self.seen = pulse


class Fanout:
    """The pages of this process that follow a class, and the thread that reruns their class fragments when the
    class changes."""

    def __init__(self, store=None, clock=time.monotonic):
        self._store, self._clock = store, clock
        self._lock = threading.Lock()
        self._pages: dict = {}  # code → {session id: Page}
        self._thread = None

    def store(self):
        return self._store or classroom.classes()

    def watch(self, code: str, student: str, pulse: tuple, whole: bool = False, following: bool = True) -> bool:
        """Call from inside a page's class box (a fragment), with the class's pulse as this run read it: rerun the box
        when the class's pulse is another (on a page with a view fragment, its question's part). `whole`: the box
        runs in a run of the whole page, which drew every fragment of the page anew (its body calls watch_view next):
        what the page's fragments of before read, and a rerun asked of one of them, are forgotten. `following`: the
        student follows (the store is told the page is open, as a follower's, every SEEN_EVERY seconds) or explores.
        False where pushing is not possible (the page must then poll)."""
        forget = dict(view=None, view_seen=None, body=None, steps=(), shown=None, again=None) if whole else {}
        return self._note(code, student, ("box",), seen=pulse, following=following, **forget)

    def watch_view(self, code: str, student: str, version: int, shown: dict | None = None, steps=(),
                   body: bool = False) -> bool:
        """Call from inside the fragment of a page that takes a new view of the lecturer's over in place (the page's
        `body`: ui.body_fragment; or the step's part within it, ui.step_fragment, whose address names are `steps`),
        with the view's version this run read and the view the page shows now: the class reruns that fragment alone
        for a new view (the body, for one that differs from `shown` in more than the part's `steps`). False where
        pushing is not possible."""
        fields = ("view", "body") if body else ("view",)
        return self._note(code, student, fields, view_seen=version, shown=shown, steps=tuple(steps))

    def _note(self, code: str, student: str, fields: tuple, **read) -> bool:
        """What the running fragment of a page (its `fields`: box, view, body) read of class `code`."""
        where = here()
        if where is None:
            return False
        session, fragment = where
        with self._lock:
            for other in [c for c, pages in self._pages.items() if c != code and session in pages]:
                self._pages[other].pop(session)  # one class a page
            pages = self._pages.setdefault(code, {})
            page = pages.get(session) or Page(student)
            again = None if page.again == fragment else page.again  # this one has run; another busy one is still asked
            pages[session] = replace(page, **{"student": student, "again": again, **dict.fromkeys(fields, fragment),
                                              **read})
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="class-fanout", daemon=True)
                self._thread.start()
        return True

    def unwatch(self, session: str):
        with self._lock:
            for pages in self._pages.values():
                pages.pop(session, None)

    def _loop(self):
        last_seen = 0.0
        while True:
            time.sleep(PULSE_EVERY)
            try:
                report = self._clock() - last_seen >= SEEN_EVERY
                if report:
                    last_seen = self._clock()
                self.tick(report)
            except Exception:  # noqa: BLE001  (the thread must live on: a page then waits for its heartbeat)
                _LOG.exception("the class fan-out failed a tick")

    def tick(self, report: bool = False) -> list[tuple[str, str]]:
        """One look at every followed class: reruns each page's fragment that read another pulse than the class's now
        (Page.due); with `report`, tells the store which pages are still open. Returns the (session, fragment) pairs
        it reran."""
        runtime = _runtime()
        if runtime is None:
            return []
        manager = runtime._session_mgr  # noqa: SLF001  (Streamlit's own sessions of this process)
        with self._lock:
            for pages in self._pages.values():
                for session in [s for s in pages if manager.get_active_session_info(s) is None]:
                    del pages[session]  # a closed tab
            for code in [c for c, pages in self._pages.items() if not pages]:
                del self._pages[code]
            followed = {code: [page.student for page in pages.values() if page.following]  # (an explorer's page is
                        for code, pages in self._pages.items()}  # watched for the questions, not counted)
        store, rerun = self.store(), []
        for code, students in followed.items():
            current = None
            try:
                pulse = store.pulse(code)
                if report and students:
                    store.seen(code, students)
                if self._parts_behind(code, pulse):  # a page with a step part: which part the view changes
                    current = store.view(code)
            except classroom.Refused:  # the class ended: each page says so at its next run, and is let go
                pulse = None
            except classroom.Unavailable:
                continue  # Redis is away: look again next tick
            with self._lock:
                pages = self._pages.pop(code, {}) if pulse is None else self._pages.get(code, {})
                for session, page in pages.items():  # as the pages' runs left them
                    fragment = page.due(pulse, current)
                    if fragment:
                        rerun.append((session, fragment))
                        page.asked(fragment, pulse)
        for session, fragment in rerun:
            info = manager.get_active_session_info(session)
            if info is not None:
                loop = runtime._get_async_objs().eventloop  # noqa: SLF001
                loop.call_soon_threadsafe(self._rerun_fragment, info.session, fragment)
        return rerun

    def _parts_behind(self, code: str, pulse) -> bool:
        """Is a page of class `code` with a step part (ui.step_fragment) behind the class's view? (Then the tick reads
        the view, one store call a class, to rerun that part alone or the body around it.)"""
        with self._lock:
            return any(p.has_part() and p.view_seen != pulse[0] and not p.again
                       for p in self._pages.get(code, {}).values())

    def _rerun_fragment(self, session, fragment: str):
        """On the server's event loop: rerun one fragment of an idle session, with the address and page its last run
        ended on, as the browser's timer would. A session running its script is asked again at the next tick: a
        request now would be folded into the run it has queued (a page the student is being taken to) and carry
        this older address into it."""
        from streamlit.proto.ClientState_pb2 import ClientState

        with self._lock:
            page = next((pages[session.id] for pages in self._pages.values() if session.id in pages), None)
            if page is not None and fragment not in (page.box, page.view, page.body):
                return  # the page has run whole since (another page): that fragment is not on it any more
            if session._scriptrunner is not None:  # noqa: SLF001
                _LOG.debug("class fragment of session %s busy: asked again at the next look", session.id)
                if page is not None:
                    page.again = fragment
                return
        if not session.has_fragment(fragment):  # its last run drew no such fragment (it left the class)
            _LOG.info("no class fragment to push to in session %s", session.id)
            return
        state = ClientState()
        state.CopyFrom(session._client_state)  # noqa: SLF001  (its last run's final address and page)
        state.fragment_id, state.is_auto_rerun = fragment, True
        _LOG.debug("class fragment of session %s rerun at %s", session.id, state.query_string)
        session.request_rerun(state)


_FANOUT = Fanout()


def fanout() -> Fanout:
    return _FANOUT
