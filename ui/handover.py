"""One race of Streamlit's server that this app mends: a page's finished run must reach the browser before the
next run starts.

A session's script runs on a thread of its own (its ScriptRunner); every message the run sends the browser, and
its end, is handed to the server's event loop as a callback, and sent from there. When the run ends and nothing
else is asked, the runner stops. A rerun asked for after that moment, but before the event loop has handled the
run's last callbacks, finds the runner stopped: `AppSession.request_rerun` then starts a new runner at once, and
the session ignores every event of the old one still queued ("non-current ScriptRunner"). The run's elements and
its end never reach the browser. Streamlit's own comment in `request_rerun` names the case (its issue #9921) and
avoids it only for a fragment that the finished run removed.

Idle, the loop handles a run's callbacks within a millisecond and the race is rare. Under load (a live class: 200
followers' pages taking the lecturer's next step at once) the loop lags by tenths of a second, a follower's
fragment timer or a student's click often lands in that window, and the page showed the address of the new step
without its content. Mended: such a request is handled on the event loop after the callbacks already queued
(one `call_soon`), so the finished run's messages go out first; then Streamlit's own `request_rerun` runs as
before. tests/test_handover.py reproduces the race and checks both.

One cost of the same hand-over is mended too. Streamlit hands each message over as a callback of its own
(`call_soon_threadsafe`): a run of 80 elements writes 80 times to the loop's wake-up pipe from the script's thread,
and the loop may wake for each. The messages a run sends before the loop has taken the first of them now go over
as one batch (`in_batches`): one callback, one write. Nothing waits for a batch to fill, so no message goes out
later than before; about a quarter less of the server's CPU an element (docs/reliability.md).

And one cost of every message: each message a session queues for its browser (on the event loop, where the session
takes its run's messages) wakes the Runtime's loop that sends them by `call_soon_threadsafe`, a write to the loop's
wake-up pipe, one system call for each of the ~70 messages of a run, though the loop is the very thread that asks and
one wake-up serves every message queued before the loop sends them. On the loop's own thread the loop is now woken by
setting its event directly (`wake_in_place`): the same wake-up, no pipe write (docs/reliability.md).

And the handling of each such message on the loop: Streamlit runs its handler of every runner event for it (a check
of the loop, of the runner, the session's state before and after, a chain of comparisons) around the one thing a
message needs, its queueing; now a message goes over as that queueing alone, after the check that matters for it
(the runner that sent it is still the session's): 2 µs a message less on the script's side, 5 on the loop's
(`messages_straight`).
"""

from __future__ import annotations

import asyncio
import functools
import threading

from . import made, widget_state
from .server_costs import (
    new_session_once,
    poll_config_slowly,
    remembered,
    sweep_now_and_then,
    theme_once,
    tick_when_asked,
)

_MENDED = False


def finished(runner) -> bool:
    """Has this script runner stopped taking requests (its run ended with none pending, or it was told to stop)?"""
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

    requests = getattr(runner, "_requests", None)
    return getattr(requests, "_state", None) is ScriptRequestType.STOP


def in_batches(call_soon_threadsafe):
    """`call_in_batches(owner, callback)` (owner: an AppSession, whose `_event_loop` runs the callback): as
    `call_soon_threadsafe(owner, callback)`, in the order handed over, except that the callbacks handed over before
    the loop has taken the first of them go over with it as one batch: one callback of the loop's, one write to its
    wake-up pipe. A callback that raises is reported as the loop reports its own callbacks' errors; the rest run."""
    lock = threading.Lock()

    def call_in_batches(owner, callback):
        with lock:
            queued = owner.__dict__.setdefault("_handed_over", [])
            queued.append(callback)
            if len(queued) > 1:  # a batch is on its way and has not been taken yet: this goes with it
                return

        def hand_over():
            with lock:
                batch = queued[:]
                queued.clear()
            for each in batch:
                try:
                    each()
                except Exception as e:  # noqa: BLE001  (as the loop does for a callback of its own)
                    owner._event_loop.call_exception_handler(
                        {"message": "Exception in a callback handed over to the event loop", "exception": e})

        handed = False
        try:
            call_soon_threadsafe(owner, hand_over)  # Streamlit's: drops it if the loop is closed
            handed = not owner._event_loop.is_closed()
        finally:
            if not handed:  # the batch will never run: the next callback starts one of its own
                with lock:
                    queued.clear()

    call_in_batches.__wrapped__ = call_soon_threadsafe
    return call_in_batches


def messages_straight(on_event):
    """`AppSession._on_scriptrunner_event(session, sender, event, forward_msg, …)`, called on the script's thread for
    every event of its runner: it hands the event loop a callback that runs Streamlit's handler of every runner event
    (a check of the loop, of the runner, the session's state before and after, a chain of event comparisons) around
    what a message's event needs, queueing the message. A message's event (~110 a Train view and move) now goes over
    as that alone, after the one check that matters for it: the runner that sent it is still the session's (a replaced
    runner's messages are dropped, as Streamlit drops them). Every other event goes as before."""
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    message = ScriptRunnerEvent.ENQUEUE_FORWARD_MSG

    def on_event_straight(self, sender, event, forward_msg=None, **others):
        if event is message and forward_msg is not None and not others:
            self._call_soon_on_event_loop(functools.partial(_queue_from, self, sender, forward_msg))
        else:
            on_event(self, sender, event, forward_msg, **others)

    on_event_straight.__wrapped__ = on_event
    on_event_straight.__doc__ = on_event.__doc__
    return on_event_straight


def _queue_from(session, runner, msg):
    """On the event loop: a message of `runner`'s run, queued for the browser if `runner` is still the session's."""
    if runner is session._scriptrunner:
        session._enqueue_forward_msg(msg)


def wake_in_place(enqueue):
    """`AppSession._enqueue_forward_msg(session, msg)`, which queues the message for the browser and then calls the
    Runtime's `_enqueued_some_message`: that sets the Runtime's `need_send_data` event through
    `call_soon_threadsafe`, a write to the loop's wake-up pipe. Called on the loop's own thread (as a run's messages
    are), the message is queued and the event set in place: the same wake-up without the write. Elsewhere (a script's
    thread, a Runtime not started, one without these internals) Streamlit's own."""

    def enqueue_waking_in_place(self, msg):
        runtime = getattr(self._message_enqueued_callback, "__self__", None)
        objs = getattr(runtime, "_async_objs", None)
        event = getattr(objs, "need_send_data", None)
        if event is not None and _running_loop() is objs.eventloop:
            self._browser_queue.enqueue(msg)
            event.set()
            return
        enqueue(self, msg)

    enqueue_waking_in_place.__wrapped__ = enqueue
    enqueue_waking_in_place.__doc__ = enqueue.__doc__
    return enqueue_waking_in_place


def _running_loop():
    """The event loop running on this thread, or None (a script's thread)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def mend():
    """Once a process (ui.page_frame): `AppSession.request_rerun` waits its turn on the event loop when the session's
    runner has just stopped, a run's messages go over to the loop in batches (`in_batches`) as their queueing alone
    (`messages_straight`), a message queued on the loop wakes the loop's sender in place (`wake_in_place`), a widget
    reads its session state one key at a time (`ui.widget_state`); and of ui.server_costs: each run's first message
    is copied, not made (`new_session_once`), with its theme made once (`theme_once`), unreferenced media are swept
    at most once a second (`sweep_now_and_then`), a label's leading emoji and a chart's stable spec are worked out
    once (`remembered`), where no source file is watched the config files are looked at every 2 s
    (`poll_config_slowly`), and uvicorn wakes once a second, or when told to stop, not ten times a second
    (`tick_when_asked`); Streamlit's commands for text send what they made before (`ui.made.texts_as_made`). A
    Streamlit without these internals is left as it is."""
    global _MENDED
    if _MENDED:
        return
    _MENDED = True
    try:
        from streamlit.runtime import app_session
        from streamlit.runtime.app_session import AppSession
    except ImportError:
        return
    widget_state.mend()
    made.texts_as_made()
    from streamlit import config, string_util
    from streamlit.elements import vega_charts

    if hasattr(string_util, "extract_leading_emoji"):  # short labels: thousands of them in little memory
        string_util.extract_leading_emoji = remembered(string_util.extract_leading_emoji, 4096)
    if hasattr(vega_charts, "_stabilize_vega_json_spec"):  # a spec's JSON (no data: that goes apart) is 2-40 KB
        vega_charts._stabilize_vega_json_spec = remembered(vega_charts._stabilize_vega_json_spec, 256)
    poll_config_slowly(config.get_option("server.fileWatcherType"))
    try:
        import uvicorn
    except ImportError:  # (Streamlit's server before uvicorn: nothing of this to mend)
        pass
    else:
        tick_when_asked(uvicorn.Server)
    if hasattr(app_session, "_populate_theme_msg"):
        app_session._populate_theme_msg = theme_once(app_session._populate_theme_msg)
    try:
        from streamlit.runtime.media_file_manager import MediaFileManager
    except ImportError:
        MediaFileManager = None
    if hasattr(MediaFileManager, "remove_orphaned_files"):
        MediaFileManager.remove_orphaned_files = sweep_now_and_then(MediaFileManager.remove_orphaned_files)
    if hasattr(AppSession, "_call_soon_on_event_loop"):
        AppSession._call_soon_on_event_loop = in_batches(AppSession._call_soon_on_event_loop)
    if hasattr(AppSession, "_enqueue_forward_msg"):
        AppSession._enqueue_forward_msg = wake_in_place(AppSession._enqueue_forward_msg)
    if hasattr(AppSession, "_on_scriptrunner_event"):
        AppSession._on_scriptrunner_event = messages_straight(AppSession._on_scriptrunner_event)
    if all(hasattr(AppSession, name) for name in ("_create_new_session_message", "_compute_skills_nudge_state")):
        AppSession._create_new_session_message = new_session_once(AppSession._create_new_session_message)
    request_rerun = AppSession.request_rerun

    def request_rerun_in_turn(self, client_state):
        runner = getattr(self, "_scriptrunner", None)
        if runner is not None and finished(runner):
            loop = _running_loop()
            if loop is not None:  # (not on the event loop: nothing queued there to wait for)
                loop.call_soon(request_rerun, self, client_state)
                return
        request_rerun(self, client_state)

    request_rerun_in_turn.__doc__ = request_rerun.__doc__
    AppSession.request_rerun = request_rerun_in_turn
