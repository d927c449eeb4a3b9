"""Streamlit's hand-over race (ui/handover.py), met on a real server: a fragment rerun asked for after a run has
ended but before the server has sent what the run drew. The pinned Streamlit loses the run; the app's mend sends it
first. The app that meets it is tests/apps/handover.py; the client speaks Streamlit's protocol (bench/protocol.py)."""

import asyncio
import copy
import os
import sys
import threading
import types

import pytest

from conftest import ROOT, Server

sys.path.insert(0, str(ROOT / "bench"))

from chromium import run_apart  # noqa: E402
from protocol import Session  # noqa: E402

from ui import handover, server_costs  # noqa: E402


async def press_go(url: str, themes: list | None = None) -> list[str]:
    """Open the page, press its button, and read until the fragment's rerun has ended: what the browser was told,
    in order (a run's start, the headings drawn, a run's end by its status). `themes`: each run's theme (its first
    message's), appended."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    s = Session(url)
    take = s.take

    def take_noting_themes(raw):
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if themes is not None and msg.WhichOneof("type") == "new_session":
            themes.append(msg.new_session.custom_theme)
        return take(raw)

    s.take = take_noting_themes
    await s.open()
    await s.run()
    await s.send(("go", True))
    async with asyncio.timeout(30):
        while not (s.log and s.log[-1].endswith("end 3")):  # 3: a fragment's run ended
            s.take(await s.ws.recv())
    await s.close()
    return [line.split(" ", 1)[1] for line in s.log]


@pytest.mark.slow
def test_a_finished_run_reaches_the_browser_before_the_next_run_starts():
    server = Server(script="tests/apps/handover.py")
    try:
        # unmended (the pinned Streamlit as it is): the button's run started, then the fragment's; the run's heading
        # and its end never came. Should this fail, Streamlit has fixed the race and ui/handover.py can go.
        streamlits, mended = [], []  # the themes each run's first message carried
        lost = run_apart(press_go(server.url + "/", streamlits))
        assert lost == ["start page", "heading run 1", "end 0", "start page", "start fragment", "end 3"], lost
        # mended (this process from now on): the run's heading and its end (0: finished), then the fragment's run
        sent = run_apart(press_go(server.url + "/?mend=1", mended))
        assert sent == ["start page", "heading run 1", "end 0", "start page", "heading run 2", "end 0",
                        "start fragment", "end 3"], sent
        # … and every run, a fragment's too, told of the app's theme as Streamlit tells it (ui.server_costs.theme_once)
        assert streamlits[0].primary_color == "#0072B2"  # .streamlit/config.toml's
        same = [theme.SerializeToString(deterministic=True) == streamlits[0].SerializeToString(deterministic=True)
                for theme in mended[1:]]  # (the first run's came before it mended)
        assert len(mended) == 3 and all(same), mended
    finally:
        server.stop()


# --- a run's messages handed over in batches (ui.handover.in_batches) --------------------------------------------

class Loop:
    """A real event loop on a thread of its own, as the server's; counts the callbacks handed to it from outside."""

    def __init__(self):
        self._event_loop, self.handed = asyncio.new_event_loop(), 0
        self.errors = []
        self._event_loop.set_exception_handler(lambda loop, context: self.errors.append(context["exception"]))
        self.thread = threading.Thread(target=self._event_loop.run_forever, daemon=True)
        self.thread.start()

    def call_soon_threadsafe(self, owner, callback):  # Streamlit's AppSession._call_soon_on_event_loop, counted
        self.handed += 1
        owner._event_loop.call_soon_threadsafe(callback)

    def hold(self) -> threading.Event:
        """Keep the loop busy (as a server under load is) until the returned event is set."""
        release = threading.Event()
        self._event_loop.call_soon_threadsafe(release.wait, 10)
        return release

    def settle(self):
        done = threading.Event()
        self._event_loop.call_soon_threadsafe(done.set)
        assert done.wait(10)

    def close(self):
        self._event_loop.call_soon_threadsafe(self._event_loop.stop)
        self.thread.join(10)
        self._event_loop.close()


def hand_over_from_a_thread(call, owner, callbacks):
    thread = threading.Thread(target=lambda: [call(owner, c) for c in callbacks])
    thread.start()
    thread.join(10)


def test_callbacks_handed_over_while_the_loop_is_busy_go_as_one_batch_in_order():
    loop, seen = Loop(), []
    call = handover.in_batches(Loop.call_soon_threadsafe.__get__(loop))
    try:
        release = loop.hold()
        hand_over_from_a_thread(call, loop, [lambda i=i: seen.append(i) for i in range(500)])
        assert seen == [] and loop.handed == 1  # the first scheduled the batch; the 499 others joined it
        release.set()
        loop.settle()
        assert seen == list(range(500))
        # the loop free again: the next callback goes over at once, as a batch of its own
        hand_over_from_a_thread(call, loop, [lambda: seen.append("next")])
        loop.settle()
        assert seen[-1] == "next" and loop.handed == 2
    finally:
        loop.close()


def test_a_callback_that_raises_is_reported_and_the_rest_of_its_batch_still_runs():
    loop, seen = Loop(), []
    call = handover.in_batches(Loop.call_soon_threadsafe.__get__(loop))

    def fails():
        raise ValueError("one message's handling failed")

    try:
        release = loop.hold()
        hand_over_from_a_thread(call, loop, [lambda: seen.append(1), fails, lambda: seen.append(3)])
        release.set()
        loop.settle()
        assert seen == [1, 3]
        assert [str(e) for e in loop.errors] == ["one message's handling failed"]
    finally:
        loop.close()


def test_two_sessions_batches_keep_each_sessions_order_under_contention():
    loop, seen = Loop(), {"a": [], "b": []}
    other = types.SimpleNamespace(_event_loop=loop._event_loop)  # a second session on the same loop: its own batch
    call = handover.in_batches(Loop.call_soon_threadsafe.__get__(loop))
    try:
        threads = [threading.Thread(target=lambda o=o, name=name: [call(o, lambda i=i: seen[name].append(i))
                                                                  for i in range(2000)])
                   for o, name in ((loop, "a"), (other, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        loop.settle()
        assert seen == {"a": list(range(2000)), "b": list(range(2000))}  # how many batches: as the threads ran
    finally:
        loop.close()


def test_callbacks_handed_over_to_a_closed_loop_are_dropped_as_streamlit_drops_them_and_not_kept():
    from streamlit.runtime.app_session import AppSession

    streamlits = AppSession._call_soon_on_event_loop  # Streamlit's own (or, mended already, the one it wraps)
    call = handover.in_batches(getattr(streamlits, "__wrapped__", streamlits))
    closed = asyncio.new_event_loop()
    closed.close()
    owner = types.SimpleNamespace(_event_loop=closed)
    for _ in range(3):
        call(owner, lambda: None)  # process shutdown: Streamlit drops the callback, nothing raised
    assert owner._handed_over == []  # … and none is kept waiting for a batch that will never run


# --- each run's theme made once (ui.server_costs.theme_once) --------------------------------------------------------

def test_the_theme_is_made_once_a_section_and_configuration_as_streamlit_makes_it(monkeypatch):
    from streamlit import config
    from streamlit.proto.NewSession_pb2 import CustomThemeConfig
    from streamlit.runtime import app_session

    populate = getattr(app_session._populate_theme_msg, "__wrapped__", app_session._populate_theme_msg)
    made = []
    once = server_costs.theme_once(lambda msg, section="theme": made.append(section) or populate(msg, section))
    extra = {"theme": {"primaryColor": "#0072B2"}, "theme.light": {"textColor": "#111111"}}  # a theme of its own
    monkeypatch.setattr(config, "get_options_for_section", lambda section, _real=config.get_options_for_section: {
        **_real(section), **extra.get(section, {})})
    sections = ["theme", "theme.light", "theme.dark", "theme.sidebar"]
    for _ in range(3):
        for section in sections:
            theirs, ours = CustomThemeConfig(), CustomThemeConfig()
            populate(theirs, section)
            once(ours, section)
            assert ours.SerializeToString(deterministic=True) == theirs.SerializeToString(deterministic=True), section
            assert {"theme": ours.primary_color, "theme.light": ours.text_color}.get(section, "#") in (
                "#0072B2", "#111111", "#")  # (not empty where the theme has something)
    assert made == sections  # each made once, then copied
    monkeypatch.setattr(config, "get_config_options", lambda *a, **k: {})  # the configuration parsed again
    once(CustomThemeConfig(), "theme")
    assert made == [*sections, "theme"]  # … made afresh


def test_each_runs_first_message_is_made_once_an_app_page_and_state_and_is_what_streamlit_makes(monkeypatch):
    """Streamlit makes the message that starts every run (new_session) afresh each time; with the mend, once a
    process for the same app, page, app pages, configuration, run-on-save and running state, then copied with the
    session's id, the run's own identity (its id, the fragments it reruns) and Streamlit's skills note worked out
    again: byte for byte what Streamlit makes, run after run, as each of these changes, in two sessions."""
    from streamlit import config
    from streamlit.runtime.app_session import AppSession, AppSessionState
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.script_data import ScriptData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.scriptrunner_utils.run_descriptor import RunDescriptor

    streamlits = getattr(AppSession._create_new_session_message, "__wrapped__", AppSession._create_new_session_message)
    made = []
    once = server_costs.new_session_once(lambda *a, **k: made.append(a[1:]) or streamlits(*a, **k))

    async def runs():
        pages = {"h0": {"page_name": "streamlit_app", "icon": "", "script_path": "x"},
                 "h1": {"page_name": "1_Train", "icon": "📉", "script_path": "y"}}
        nudge = [(False, "headless")]
        session = AppSession(ScriptData(str(ROOT / "streamlit_app.py"), is_hello=False),
                             MemoryUploadedFileManager("/upload"), ScriptCache(), lambda: None, user_info={})
        monkeypatch.setattr(session, "_compute_skills_nudge_state", lambda: nudge[0])
        try:
            session._state = AppSessionState.APP_IS_RUNNING
            steps = [("h0", ()), ("h0", ("f1",)), ("h0", ("f1", "f2")), ("h1", ()), ("h1", ())]
            for i, (page, fragments) in enumerate(steps + [("h1", ())] * 4):
                if i == len(steps):
                    session._run_on_save = not session._run_on_save
                elif i == len(steps) + 1:
                    pages["h2"] = {"page_name": "2_Chain_rule", "icon": "🔗", "script_path": "z"}
                elif i == len(steps) + 2:
                    nudge[0] = (True, "")  # (worked out again: no new message made for it)
                elif i == len(steps) + 3:
                    session._state = AppSessionState.SHUTDOWN_REQUESTED
                run = RunDescriptor.create(fragments)
                ours = once(session, page, run, dict(pages))
                theirs = streamlits(session, page, run, dict(pages))
                assert ours.SerializeToString(deterministic=True) == theirs.SerializeToString(deterministic=True), i
                assert ours.metadata.run.script_run_id == run.script_run_id
                assert tuple(ours.metadata.run.fragment_ids) == fragments
                assert ours.new_session.initialize.session_id == session.id
        finally:
            session._state = AppSessionState.APP_NOT_RUNNING
            session.shutdown()

    asyncio.run(runs())
    assert [page for page, *_ in made] == ["h0", "h1", "h1", "h1", "h1"]  # the first of each page; then one for
    # run-on-save, the app's pages and the running state each: not for a run's identity nor for the skills note
    asyncio.run(runs())
    assert len(made) == 5  # another session: its own id in copies of the same
    parsed = {name: copy.copy(option) for name, option in config.get_config_options().items()}
    monkeypatch.setattr(config, "get_config_options", lambda *a, **k: parsed)  # the configuration parsed again …
    asyncio.run(runs())
    assert len(made) == 10  # … makes it afresh


# --- a run's messages go to the loop as their queueing alone (ui.handover.messages_straight) ------------------------

def test_a_runs_messages_go_to_the_loop_as_their_queueing_alone_and_a_replaced_runners_are_dropped():
    """As Streamlit's handler does on the loop: a message is queued for the browser if the runner that sent it is
    still the session's when the loop takes it (a runner replaced meanwhile: dropped); every other event goes to
    Streamlit's handler, with all it carries."""
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent

    handled, callbacks, queued = [], [], []

    def streamlits(session, sender, event, forward_msg=None, **others):
        handled.append((sender, event, forward_msg, others))

    on_event = handover.messages_straight(streamlits)
    runner, replaced, next_runner = object(), object(), object()
    session = types.SimpleNamespace(_scriptrunner=runner, _call_soon_on_event_loop=callbacks.append,
                                    _enqueue_forward_msg=queued.append)
    on_event(session, runner, ScriptRunnerEvent.SCRIPT_STARTED, page_script_hash="p", fragment_ids_this_run=["f"])
    on_event(session, runner, event=ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, forward_msg="a")  # (as Signal.send calls)
    on_event(session, replaced, event=ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, forward_msg="from a replaced runner")
    on_event(session, runner, event=ScriptRunnerEvent.ENQUEUE_FORWARD_MSG, forward_msg="b")
    assert queued == [] and len(callbacks) == 3  # nothing queued on the script's thread: all on the loop
    assert handled == [(runner, ScriptRunnerEvent.SCRIPT_STARTED, None,
                        {"page_script_hash": "p", "fragment_ids_this_run": ["f"]})]
    for callback in callbacks[:2]:
        callback()
    session._scriptrunner = next_runner  # a rerun replaced the runner before the loop took "b"
    callbacks[2]()
    assert queued == ["a"]


# --- a message queued on the loop wakes the loop's sender in place (ui.handover.wake_in_place) ----------------------

class _Runtime:
    """Streamlit's Runtime as a session's queue sees it: `_enqueued_some_message` sets `need_send_data` on the
    event loop through call_soon_threadsafe (a write to the loop's wake-up pipe), counted here."""

    def __init__(self, loop):
        self._async_objs = types.SimpleNamespace(eventloop=loop, need_send_data=asyncio.Event())
        self.woken_through_the_pipe = 0

    def _enqueued_some_message(self):
        self.woken_through_the_pipe += 1
        self._async_objs.eventloop.call_soon_threadsafe(self._async_objs.need_send_data.set)


def _session(runtime):
    from streamlit.runtime.app_session import AppSession

    session = types.SimpleNamespace(_browser_queue=types.SimpleNamespace(queued=[]),
                                    _message_enqueued_callback=runtime._enqueued_some_message)
    session._browser_queue.enqueue = session._browser_queue.queued.append
    streamlits = AppSession._enqueue_forward_msg  # Streamlit's own (or, mended already, the one it wraps)
    return session, handover.wake_in_place(getattr(streamlits, "__wrapped__", streamlits))


def test_a_message_queued_on_the_loop_wakes_its_sender_without_a_write_to_the_wake_up_pipe():
    async def queue_three():
        runtime = _Runtime(asyncio.get_running_loop())
        session, enqueue = _session(runtime)
        sender = asyncio.ensure_future(runtime._async_objs.need_send_data.wait())  # the Runtime's loop, waiting
        for msg in ("a", "b", "c"):
            enqueue(session, msg)
        await asyncio.wait_for(sender, 5)  # woken
        return session._browser_queue.queued, runtime.woken_through_the_pipe

    assert run_apart(queue_three()) == (["a", "b", "c"], 0)


def test_a_message_queued_off_the_loop_wakes_it_as_streamlit_does():
    async def queue_one_from_a_thread():
        runtime = _Runtime(asyncio.get_running_loop())
        session, enqueue = _session(runtime)
        sender = asyncio.ensure_future(runtime._async_objs.need_send_data.wait())
        thread = threading.Thread(target=enqueue, args=(session, "from a script's thread"))
        thread.start()
        await asyncio.wait_for(sender, 5)  # woken through the pipe, from the other thread
        thread.join(5)
        # a session whose Runtime has not started (no loop yet, no callback): queued, nothing woken, nothing raised
        bare = types.SimpleNamespace(_browser_queue=types.SimpleNamespace(enqueue=lambda m: None),
                                     _message_enqueued_callback=None)
        enqueue(bare, "before the Runtime")
        return session._browser_queue.queued, runtime.woken_through_the_pipe

    assert run_apart(queue_one_from_a_thread()) == (["from a script's thread"], 1)


def test_a_labels_leading_emoji_and_a_charts_stable_spec_are_worked_out_once_with_streamlits_own_answers():
    """Streamlit looks for the emoji a segmented control's option (or an alert) starts with by one regular expression
    of all emoji, and makes each chart's spec stable by reading, rewriting and writing its JSON, every run;
    remembered, each text gives the same answer as Streamlit's own function, the second time without it; the memory
    is bounded, in texts and in their length."""
    from streamlit import string_util
    from streamlit.elements import vega_charts

    spec = '{"layer": [{"mark": "point", "params": [{"name": "param_7", "select": "point"}]}], "name": "view_3"}'
    cases = [(string_util.extract_leading_emoji, ["한국어", "🐢 slow", "🎓Class", "English", "", "×10", "👍🏽 ok"]),
             (vega_charts._stabilize_vega_json_spec, [spec, spec.replace("param_7", "param_8"), '{"mark": "bar"}'])]
    for function, texts in cases:
        own = getattr(function, "__wrapped__", function)
        asked = []

        def counting(text, own=own, asked=asked):
            asked.append(text)
            return own(text)

        once = server_costs.remembered(counting, size=len(texts), longest=max(map(len, texts)))
        for text in texts + texts:
            assert once(text) == own(text)
        assert asked == texts  # each text worked out once
        once("📉 Train" + "x" * 100)  # longer than the longest kept: worked out, not kept
        assert asked[-1].startswith("📉") and once.cache_info().currsize == len(texts)
        once("")  # one more than the size: the oldest is dropped
        assert once.cache_info().currsize == len(texts)
    assert string_util.extract_leading_emoji("🐢 slow") == ("🐢", "slow")  # (Streamlit's answers, remembered or not)
    assert vega_charts._stabilize_vega_json_spec(spec).count("param_1") == 1  # its counters from 1 again


# --- the config files looked at every 2 s where no source file is watched (ui.server_costs.poll_config_slowly) ------

def test_with_no_source_watched_the_config_files_are_looked_at_every_2_s_and_an_edit_still_applies(monkeypatch,
                                                                                                  tmp_path):
    """Streamlit polls its config files five times a second, whatever server.fileWatcherType says. With "none" (a
    lecture server) each next look is a daemon timer of CONFIG_POLL seconds: the timers' intervals are read (not
    timed; each runs at once here), they never hold up a stopping process, and an edited file still reaches its
    callback. With a watcher of source files ("auto", "poll") Streamlit's own schedule stays."""
    from streamlit.watcher.polling_path_watcher import PollingPathWatcher

    monkeypatch.setattr(PollingPathWatcher, "_schedule", PollingPathWatcher._schedule)  # (put back after the test)
    streamlits = PollingPathWatcher._schedule
    assert not server_costs.poll_config_slowly("auto") and not server_costs.poll_config_slowly("poll")
    assert PollingPathWatcher._schedule is streamlits
    assert server_costs.poll_config_slowly("none") and PollingPathWatcher._schedule is not streamlits

    looks, edited = [], threading.Event()

    class Timer(threading.Timer):  # the interval asked for, kept; the look made at once
        def __init__(self, interval, function):
            super().__init__(0.01, function)
            looks.append((interval, self))

    monkeypatch.setattr(threading, "Timer", Timer)
    config = tmp_path / "config.toml"
    config.write_text('[theme]\nbase = "light"\n')
    watcher = PollingPathWatcher(str(config), lambda path: edited.set(), allow_nonexistent=True)
    try:
        config.write_text('[theme]\nbase = "dark"\n')
        later = config.stat().st_mtime + 5
        os.utime(config, (later, later))  # (a newer time than the watcher's, however coarse the file system's clock)
        assert edited.wait(10), "the edited config never reached the watcher's callback"
    finally:
        watcher.close()
    assert looks and {interval for interval, _ in looks} == {server_costs.CONFIG_POLL} == {2.0}
    assert all(timer.daemon for _, timer in looks)  # a stopping server does not wait for the next look


# --- the media files no page refers to, swept at most once a second (ui.server_costs.sweep_now_and_then) ------------

def test_the_sweep_of_unreferenced_media_is_made_at_most_once_a_second_and_a_sweep_asked_sooner_still_comes(
        monkeypatch):
    """Streamlit sweeps at the end of every full run; with the mend, the first sweep is made at once, those asked
    within SWEEP_EVERY of it become one more sweep at its end (a daemon timer, not held up by the calls), and after
    that a sweep asked is made at once again. On Streamlit's own MediaFileManager: a closed page's download
    (a deferred callable whose session's references are gone) is dropped by the sweep at once, and by the timer's
    sweep when asked sooner."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    monkeypatch.setattr(server_costs, "SWEEP_EVERY", 0.3)
    sweeps, swept = [], threading.Event()

    class Manager:  # what the mend needs of one: the method it wraps
        def remove_orphaned_files(self):
            sweeps.append(threading.current_thread())
            swept.set()

    manager, main = Manager(), threading.current_thread()
    sweep = server_costs.sweep_now_and_then(Manager.remove_orphaned_files)
    sweep(manager)
    assert sweeps == [main]  # the first: at once, on the caller's thread
    for _ in range(50):  # a burst of runs ending within the second
        sweep(manager)
    assert len(sweeps) == 1
    swept.clear()
    assert swept.wait(5), "the sweep asked sooner never came"
    assert len(sweeps) == 2 and sweeps[1] is not main and sweeps[1].daemon  # one, for all fifty, on a timer
    threading.Event().wait(server_costs.SWEEP_EVERY + 0.1)
    sweep(manager)
    assert len(sweeps) == 3 and sweeps[2] is main  # a second on: at once again

    streamlits = getattr(MediaFileManager.remove_orphaned_files, "__wrapped__", MediaFileManager.remove_orphaned_files)
    media = MediaFileManager(MemoryMediaFileStorage("/media"))
    sweep = server_costs.sweep_now_and_then(streamlits)

    def closed_page_download():  # a download button's file, made on a click; its page then closed
        file_id = media.add_deferred(lambda: b"x1,x2,label\n", "text/csv", "1.(2)", "run.csv")
        media.clear_session_refs()
        return file_id

    first = closed_page_download()
    sweep(media)
    assert first not in media._deferred_callables  # at once
    second = closed_page_download()
    sweep(media)
    assert second in media._deferred_callables  # asked within the second: not yet …
    for _ in range(100):
        if second not in media._deferred_callables:
            break
        threading.Event().wait(0.05)
    assert second not in media._deferred_callables  # … and then by the timer's sweep


# --- uvicorn wakes once a second, or when told to stop (ui.server_costs.tick_when_asked) ----------------------------

def _uvicorn_server():
    """A uvicorn Server of a class of its own with the mend applied (uvicorn's own class stays as it is here):
    (the server, uvicorn's own on_tick's calls, the calls its main loop makes), each call's counter."""
    import uvicorn

    class Server(uvicorn.Server):
        pass

    def counting(on_tick, calls):
        async def counted(self, counter):
            calls.append(counter)
            return await on_tick(self, counter)
        return counted

    renewals, asks = [], []
    # uvicorn's own tick (a page run in this process may have mended uvicorn's class already)
    uvicorns = getattr(uvicorn.Server.on_tick, "__wrapped__", uvicorn.Server.on_tick)
    Server.on_tick = counting(uvicorns, renewals)
    assert server_costs.tick_when_asked(Server) and not server_costs.tick_when_asked(Server)  # (once a class)
    Server.on_tick = counting(Server.on_tick, asks)

    async def app(scope, receive, send):  # (never called: no request comes)
        raise AssertionError(scope)

    config = uvicorn.Config(app, log_config=None)
    config.load()
    return Server(config), renewals, asks


def test_uvicorn_renews_its_date_header_once_a_second_not_ten_times(monkeypatch):
    """uvicorn's main loop asks on_tick every 0.1 s whether to stop; mended, one call keeps it and waits HEADER_EVERY
    (1 s) between renewals of the Date header: the waits asked for are read (not timed; each is made short here)."""
    server, renewals, asks = _uvicorn_server()
    waits = []
    wait_for = asyncio.wait_for

    async def short(awaitable, timeout):
        waits.append(timeout)
        return await wait_for(awaitable, 0.01)

    monkeypatch.setattr(asyncio, "wait_for", short)

    async def scenario():
        main = asyncio.create_task(server.main_loop())
        async with asyncio.timeout(10):  # (uvicorn's own loop never waits here: it sleeps 0.1 s between calls)
            while len(waits) < 5:
                await asyncio.sleep(0.01)
        assert not main.done()
        server.should_exit = True
        await wait_for(main, 10)

    run_apart(scenario())  # (a thread of its own: a browser test before may hold this one's loop)
    assert set(waits) == {server_costs.HEADER_EVERY} == {1.0}
    assert asks == [0], "uvicorn's loop called on_tick again: it wakes every 0.1 s"
    assert len(renewals) >= 5 and set(renewals) == {0}  # 0: each call renews the header (uvicorn: counter % 10 == 0)
    assert any(name == b"date" for name, _ in server.server_state.default_headers)


def test_uvicorn_stops_at_once_when_told_to_from_another_thread(monkeypatch):
    """A stop asked between renewals (Streamlit sets should_exit, from its signal handler or another thread) wakes
    the loop at once: here with renewals an hour apart, the loop still ends within seconds."""
    server, _, _ = _uvicorn_server()
    monkeypatch.setattr(server_costs, "HEADER_EVERY", 3600.0)

    async def scenario():
        main = asyncio.create_task(server.main_loop())
        await asyncio.sleep(0.2)
        assert not main.done() and not server.should_exit
        threading.Thread(target=setattr, args=(server, "should_exit", True)).start()
        await asyncio.wait_for(main, 10)  # (without the wake: an hour)

    run_apart(scenario())
    assert server.should_exit
