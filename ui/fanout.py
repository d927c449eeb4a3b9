"""A class's changes pushed to its followers' pages in this process, so that a page in a class costs nothing while
nothing changes.

A follower's page could ask the class store every 2 s (a fragment's `run_every`): each ask is a script run,
~5 ms of the server's CPU, and 200 followers doing nothing cost it half a core. Instead one thread of the process
looks at each followed class's pulse (the lecturer's view version, the question's number, whether it is revealed:
one lookup a class, in memory or one Redis round trip) four times a second, and when it changes reruns the class
fragment of each page of this process that follows the class (ui/live.py's `_student_box`), as the browser's
own timer would. Every few seconds it also tells the store which of its pages are still open, so the lecturer's
count stays true with no page running.

Rerunning a session's fragment from the server is what Streamlit does itself when a source file changes
(`AppSession.request_rerun` with the session's last client state); the session and its event loop are found
through Streamlit's runtime, which the pinned version in requirements.txt has. Where it is not there (AppTest,
`python -m` without a server) `pushing()` says so and the pages poll as before.
"""

from __future__ import annotations

import threading
import time

from streamlit.logger import get_logger

from . import classroom

PULSE_EVERY = 0.25  # seconds between the thread's looks at each followed class
SEEN_EVERY = 3.0  # seconds between its reports of the open pages (the store forgets a follower after 10 s)
_LOG = get_logger("xor_mlp")
AGAIN = object()  # a page's pulse when its rerun must be asked again (it was busy): equal to no class's pulse


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


class Fanout:
    """The pages of this process that follow a class, and the thread that reruns their class fragment when the
    class changes."""

    def __init__(self, store=None, clock=time.monotonic):
        self._store, self._clock = store, clock
        self._lock = threading.Lock()
        # code → {session id: [its class box's fragment id, student id, the pulse the page last read, the fragment
        # that takes a new view over in place (or None), the fragment to ask again (it was busy)]}
        self._pages: dict = {}
        self._thread = None

    def store(self):
        return self._store or classroom.classes()

    def watch(self, code: str, student: str, pulse: tuple, view: str | None = None) -> bool:
        """Call from inside a page's class fragment, with the class's pulse as this run read it: rerun the fragment
        when the class's pulse is another; or, where the lecturer's view is new (the pulse's version) and the page
        names `view`, the fragment of that id (one that takes a new view over in place: ui.live.class_bar's
        in_place). False where pushing is not possible (the page must then poll)."""
        page = here()
        if page is None:
            return False
        session, fragment = page
        with self._lock:
            for other in [c for c, pages in self._pages.items() if c != code and session in pages]:
                self._pages[other].pop(session)  # one class a page
            self._pages.setdefault(code, {})[session] = [fragment, student, pulse, view, None]
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
        """One look at every followed class: reruns the pages that read another pulse than the class's now; with
        `report`, tells the store which pages are still open. Returns the (session, fragment) pairs it reran."""
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
            followed = {code: list(pages.items()) for code, pages in self._pages.items()}
        store, rerun = self.store(), []
        for code, pages in followed.items():
            try:
                pulse = store.pulse(code)
                if report:
                    store.seen(code, [page[1] for _, page in pages])
            except classroom.Refused:  # the class ended: each page says so at its next run, and is let go
                pulse = None
                with self._lock:
                    self._pages.pop(code, None)
            except classroom.Unavailable:
                continue  # Redis is away: look again next tick
            with self._lock:
                for session, page in pages:
                    if page[2] != pulse:
                        rerun.append((session, target(page, pulse)))
                        page[2], page[4] = pulse, None  # asked once; the page's run tells what it read
        for session, fragment in rerun:
            info = manager.get_active_session_info(session)
            if info is not None:
                loop = runtime._get_async_objs().eventloop  # noqa: SLF001
                loop.call_soon_threadsafe(self._rerun_fragment, info.session, fragment)
        return rerun

    def _rerun_fragment(self, session, fragment: str):
        """On the server's event loop: rerun one fragment of an idle session, with the address and page its last run
        ended on, as the browser's timer would. A session running its script is asked again at the next tick: a
        request now would be folded into the run it has queued (a page the student is being taken to) and carry
        this older address into it."""
        from streamlit.proto.ClientState_pb2 import ClientState

        if session._scriptrunner is not None:  # noqa: SLF001
            _LOG.debug("class box of session %s busy: asked again at the next look", session.id)
            with self._lock:
                for pages in self._pages.values():
                    if session.id in pages:
                        pages[session.id][2], pages[session.id][4] = AGAIN, fragment
            return
        if not session.has_fragment(fragment):  # its last run drew no class box (it left the class)
            _LOG.info("no class box to push to in session %s", session.id)
            return
        state = ClientState()
        state.CopyFrom(session._client_state)  # noqa: SLF001  (its last run's final address and page)
        state.fragment_id, state.is_auto_rerun = fragment, True
        _LOG.debug("class box of session %s rerun at %s", session.id, state.query_string)
        session.request_rerun(state)


def target(page: list, pulse) -> str:
    """The fragment of a watched page to rerun for the class's pulse now: the one that was busy, if it was; the one
    that takes a new view over in place, if the page has one and the view is new; else the class box (a question
    asked or revealed, the class ended)."""
    box, _, seen, view, again = page
    if seen is AGAIN:
        return again
    if view and pulse is not None and seen is not None and seen[0] != pulse[0]:
        return view
    return box


_FANOUT = Fanout()


def fanout() -> Fanout:
    return _FANOUT
