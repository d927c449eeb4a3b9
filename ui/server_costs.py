"""What Streamlit's server does on every run, message or second that this app has it do less of, each measured
(docs/reliability.md) and checked against Streamlit's own result (tests/test_handover.py); ui.handover.mend applies
them once a process, with the hand-over's own mends. A Streamlit without these internals is left as it is.

One cost of every run: each run, a fragment's too, starts with a `new_session` message that carries the app's
theme, and Streamlit makes it afresh each time, six sections each read by a scan of all ~200 options under the
configuration's lock: 0.26 ms on an idle server (more while 200 runs wait for that lock) of a follower's ~10 ms
step. The theme is now made once a configuration and copied (`theme_once`: 0.01 ms).

And the sweep that ends every full run: Streamlit then reads every file reference of every session it keeps, a
closed tab's too for two minutes, to drop the media no page refers to any more (~0.15 ms a run after a hundred
students; in a class of 200 open tabs each run reads all 200). It is now made at most once a second, one asked
sooner at the end of that second (`sweep_now_and_then`): 0.2 ms less of a Train view and move.

And the message that starts every run, a fragment's too: Streamlit makes it afresh each time (the app's pages, eight
configuration options, the theme, the installation's ids), ~0.16 ms of the loop's thread; it is now made once a
process for the same app, page, pages, configuration and state, and copied with the session's id and the run's
identity (`new_session_once`): 0.26 ms less of a Train view and move.

And two costs of drawing the same page again, each a pure function of a text that Streamlit works out afresh every
run, now remembered (`remembered`): the emoji a label starts with (each option of a segmented control, an alert's
text: one regular expression of all ~4,000 emoji, 30-55 µs a label that is not plain ASCII; a Train view and move asks
19 times, 1.1 ms of a Korean student's server CPU), and each chart's spec with Altair's numbered names made stable
(the spec's JSON read and written again and searched, ~50 µs a chart, twelve a Train view and move).

And one cost of a server doing nothing: Streamlit looks at its config files (the app's and the user's) five times a
second each, whatever `server.fileWatcherType` says, two thirds of an idle server's CPU (3 of 4.5 ms a second). Where
no source file is watched (`fileWatcherType = "none"`, as this app's config runs a lecture), only those looks poll,
and now every `CONFIG_POLL` seconds, each on a daemon timer (`poll_config_slowly`): an edited config still applies,
within 2 s, and a server told to stop does not wait for a look.

And the larger part of what was left: Streamlit's web server, uvicorn, wakes ten times a second to ask whether it
should stop (and, every tenth time, to renew its Date header), ~2 of an idle server's ~2.7 ms of CPU a second. Now it
wakes once a second for the header, and at once when told to stop (`tick_when_asked`): a server stops as soon as
before, and an idle server with a tab open costs 0.7-1.0 ms of CPU a second, not ~2.5 (docs/reliability.md).

"""

from __future__ import annotations

import asyncio
import functools
import threading
import time

CONFIG_POLL = 2.0  # seconds between Streamlit's looks at its config files where no source file is watched
HEADER_EVERY = 1.0  # seconds between uvicorn's renewals of its Date header (its own: every tenth 0.1-s look)
SWEEP_EVERY = 1.0  # seconds: at most one sweep of the media files that no session refers to any more
NEW_SESSIONS_KEPT = 64  # the most first messages of a run kept to copy (one an app, page, its pages and state)
_SWEEPING = threading.Lock()


def theme_once(populate):
    """`populate(msg, section)` (Streamlit's `_populate_theme_msg`: the theme's options of one configuration section
    into a message) made once a section and configuration, then merged into each message as made. A configuration
    parsed again (a new options mapping) makes it afresh."""
    made: dict = {}  # section → (the configuration's options it was made from, the message)
    lock = threading.Lock()

    def populate_once(msg, section="theme"):
        from streamlit import config

        options = config.get_config_options()
        with lock:
            kept = made.get(section)
        if kept is None or kept[0] is not options:
            theme = type(msg)()
            populate(theme, section)
            kept = options, theme
            with lock:
                made[section] = kept
        if kept[1].ByteSize():  # (an empty one leaves the message as Streamlit's does: without the section)
            msg.MergeFrom(kept[1])

    populate_once.__wrapped__ = populate
    return populate_once


def new_session_once(create):
    """`AppSession._create_new_session_message(session, page, run, pages)`: the message that starts every run, a
    fragment's too (three a Train view and move), made afresh each time: the app's pages, eight configuration options
    each read under the configuration's lock, the theme, the installation's ids, the environment (~0.16 ms on the
    loop's thread). Now made once a process for the same app, page, app pages, configuration, run-on-save and running
    state (at most NEW_SESSIONS_KEPT of them), and copied for each run with the session's id, the run's identity and
    Streamlit's skills note worked out again (as Streamlit's comment asks: a note made stale would go on recommending
    an install): ~0.01 ms."""
    from streamlit import config
    from streamlit.runtime.scriptrunner_utils.run_descriptor import RunDescriptor

    made: dict = {}

    def create_once(self, page_script_hash, run_descriptor, pages=None):
        pages = pages or self._pages_manager.get_pages()
        data = self._script_data
        key = (data.name, data.main_script_path, data.is_hello, self._pages_manager.main_script_hash, page_script_hash,
               self._state, self._run_on_save, tuple((h, p.get("page_name"), p.get("icon")) for h, p in pages.items()))
        options = config.get_config_options()
        kept = made.get(key)
        if kept is None or kept[0] is not options:
            if len(made) >= NEW_SESSIONS_KEPT:
                made.clear()
            kept = made[key] = options, create(self, page_script_hash, RunDescriptor(""), pages)
        msg = type(kept[1])()
        msg.CopyFrom(kept[1])
        msg.metadata.run.script_run_id = run_descriptor.script_run_id
        msg.metadata.run.fragment_ids.extend(run_descriptor.fragment_ids)
        start = msg.new_session.initialize
        start.session_id = self.id
        start.recommend_skills_install, start.skills_nudge_suppressed_reason = self._compute_skills_nudge_state()
        return msg

    create_once.__wrapped__ = create
    create_once.__doc__ = create.__doc__
    return create_once


def remembered(pure, size: int, longest: int = 64 * 1024):
    """`pure(text)`, a function whose answer depends on its text alone, remembered for the last `size` texts asked
    of at most `longest` characters (so at most size × longest characters kept); a longer one is worked out each
    time."""
    kept = functools.lru_cache(maxsize=size)(pure)

    @functools.wraps(pure)
    def once(text):
        return kept(text) if isinstance(text, str) and len(text) <= longest else pure(text)

    once.cache_info = kept.cache_info
    return once


def poll_config_slowly(watching: str) -> bool:
    """Where Streamlit watches no source file (`watching`: its server.fileWatcherType, "none"), its polling watchers
    are those of its config files (and of st.secrets' files, which Streamlit watches once a script reads them;
    this app reads none): each next look is made CONFIG_POLL seconds later, not 0.2, by a daemon timer
    (a server told to stop does not wait for a look, as it would for a wait on Streamlit's thread pool). Returns
    whether it did so."""
    from streamlit.watcher.polling_path_watcher import PollingPathWatcher

    if watching != "none" or not hasattr(PollingPathWatcher, "_check_if_path_changed"):
        return False

    def schedule(self):
        look = threading.Timer(CONFIG_POLL, self._check_if_path_changed)
        look.daemon = True
        look.start()

    PollingPathWatcher._schedule = schedule
    return True


def tick_when_asked(server_class) -> bool:
    """uvicorn's `Server.main_loop` calls `on_tick` every 0.1 s: the Date header renewed each tenth call, then whether
    the server should stop (`should_exit`, which Streamlit sets to stop it). Patched on the class, so the server
    already running takes it at its next call: that call keeps it, renewing the header every HEADER_EVERY seconds,
    and returns once `should_exit` is set, woken at once by the setting (a property now: a setting from any thread,
    or from a signal handler, wakes it through the loop's thread-safe call). Returns whether it patched (False: a
    uvicorn without these names, left as it is)."""
    on_tick = getattr(server_class, "on_tick", None)
    if on_tick is None or getattr(on_tick, "__wrapped__", None) is not None:
        return False

    def asked_to_stop(server) -> bool:
        return server.__dict__.get("should_exit", False)

    def ask_to_stop(server, value):
        server.__dict__["should_exit"] = value
        wake = server.__dict__.get("_wake_to_stop")
        if value and wake is not None:
            wake()

    async def on_tick_when_asked(self, counter: int) -> bool:
        loop, asked = asyncio.get_running_loop(), asyncio.Event()

        def wake():
            try:
                loop.call_soon_threadsafe(asked.set)
            except RuntimeError:  # the loop has closed: nothing is waiting any more
                pass

        self.__dict__["_wake_to_stop"] = wake
        try:
            while not await on_tick(self, 0):  # 0: a tenth call (the header renewed), then: should it stop?
                try:
                    await asyncio.wait_for(asked.wait(), HEADER_EVERY)
                except TimeoutError:
                    pass
            return True
        finally:
            self.__dict__.pop("_wake_to_stop", None)

    on_tick_when_asked.__wrapped__ = on_tick
    server_class.on_tick = on_tick_when_asked
    server_class.should_exit = property(asked_to_stop, ask_to_stop)
    return True


def sweep_now_and_then(sweep):
    """`MediaFileManager.remove_orphaned_files(manager)` (`sweep`), which Streamlit calls at the end of every full run
    and as a session ends, and which reads every file reference of every session the server keeps (a closed tab's
    for two minutes more): ~130 sessions' ~0.15 ms a run on a server that has just seen a hundred students, and a
    class of 200 open tabs, each run looking at all 200, grows with the square of the class. Now a sweep at most
    every SWEEP_EVERY seconds: one asked sooner is made at the end of that time, on a daemon timer, for all asked
    meanwhile. A file no page refers to any more stays that little longer (a download's file, which Streamlit marks
    at one sweep and deletes at the next, at least as long as before)."""

    def sweep_now_and_then(self):
        with _SWEEPING:
            wait = self.__dict__.get("_swept", -SWEEP_EVERY) + SWEEP_EVERY - time.monotonic()
            if self.__dict__.get("_sweep_due") or wait > 0:
                if not self.__dict__.get("_sweep_due"):
                    self.__dict__["_sweep_due"] = True
                    timer = threading.Timer(max(wait, 0.0), sweep_due, (self,))
                    timer.daemon = True
                    timer.start()
                return
            self.__dict__["_swept"] = time.monotonic()
        sweep(self)

    def sweep_due(self):
        with _SWEEPING:
            self.__dict__["_sweep_due"], self.__dict__["_swept"] = False, time.monotonic()
        sweep(self)

    sweep_now_and_then.__wrapped__ = sweep
    sweep_now_and_then.__doc__ = sweep.__doc__
    return sweep_now_and_then
