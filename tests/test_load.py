"""The lecture-burst tools and what they measure: the protocol client gets what Chromium gets; a small burst
loads and moves a slider with no error; a student whose run must wait is told the server is busy."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import chromium  # noqa: E402
import students  # noqa: E402
from chromium import run_apart  # noqa: E402
from protocol import Session  # noqa: E402


@pytest.mark.browser
def test_the_protocol_client_gets_the_same_runs_and_chart_data_as_chromium(server, browser):
    """Chart for chart, spec and Arrow bytes, on opening the lecturer's link and after moving the slider (python
    bench/students.py --validate 5 does five links: each page load costs Chromium seconds of CPU, so the suite
    does one). In this worker's one browser: a second sync Playwright in the same process fails ("Sync API inside
    the asyncio loop") wherever another test's browser came first."""
    results = chromium.compare(server.url, [students.LECTURER], browser=browser)
    for r in results:
        assert r["charts"] >= 4 and r["errors"] == [], r
        assert r["same_on_open"] and r["same_after_move"], r


@pytest.mark.slow
def test_a_small_burst_loads_moves_its_slider_and_leaves_no_session_behind(server):
    watch = students.Watch([server.proc.pid])
    result = run_apart(students.burst(server.url, 4, 2.0, 0.5, [], watch, think=0.2, seed=7))
    outcomes = result["outcomes"]
    assert [o.error for o in outcomes] == [""] * 4
    assert all(o.first_chart is not None and o.first_chart <= o.loaded for o in outcomes)
    assert all(o.moved is not None for o in outcomes)
    on_lecturers_link = sum(o.link == students.LECTURER for o in outcomes)
    assert on_lecturers_link == result["same"] and 0 < on_lecturers_link < 4  # both kinds of student, counted
    assert len(result["lecturer"]) >= 1  # the lecturer moved a slider meanwhile
    assert result["open_sessions"] == 4 + 0  # the students' tabs (the lecturer had left by then)
    assert result["left_sessions"] == 0  # closed tabs: their sessions are gone
    report = students.report(result, 0)
    assert "time to first chart: p50" in report and "students with an error: 0" in report


def _busy(session: Session) -> bool:
    return any(e.WhichOneof("type") == "alert" and "server is busy" in e.alert.body
               for e in session.elements.values())


@pytest.mark.slow
def test_a_student_whose_run_must_wait_is_told_the_server_is_busy_and_gets_it_soon(server):
    async def scenario():
        long = Session(server.url + "/Train?steps=200000&layers=4&width=64&seed=11")  # minutes of training
        await long.open()
        running = asyncio.create_task(long.run(timeout=600))
        while not any(e.WhichOneof("type") == "progress" for e in long.elements.values()):
            await asyncio.sleep(0.05)  # it holds the turn now
        waiting = Session(server.url + "/Train?steps=500&seed=12")
        await waiting.open()
        started = time.perf_counter()
        wait = asyncio.create_task(waiting.run(timeout=60))
        while not _busy(waiting) and not wait.done() and time.perf_counter() - started < 120:  # until it is told,
            await asyncio.sleep(0.05)  # or got its run without being told (120 s: a safety net, not a speed claim)
        told = _busy(waiting)
        first_chart, _ = await wait  # the long run shares its turn after a second of work: no need to end it
        still_training = not running.done()
        running.cancel()
        await long.close()
        await waiting.close()
        return told, first_chart, waiting.errors, waiting.charts(), still_training, _busy(waiting)

    told, first_chart, errors, charts, still_training, still_told = run_apart(scenario())
    assert told, "no 'the server is busy' message while the run waited for its turn"
    assert first_chart is not None and errors == [] and len(charts) >= 4
    assert still_training  # it got its turn while the 200,000-step run was still going
    assert not still_told  # and the message went when its turn came


@pytest.mark.parametrize("argv, says", [(["--url", "http://example.com:8501"], "loopback"),
                                        (["--sessions", "0"], "--sessions 1…1000"),
                                        (["--same", "1.5"], "--same 0…1"), (["--validate", "0"], "--validate 1…20")])
def test_the_burst_script_refuses_bad_arguments_in_one_line(argv, says, capsys):
    with pytest.raises(SystemExit) as e:
        students.main(argv)
    assert e.value.code == 2 and says in capsys.readouterr().err


def test_the_servers_config_leaves_out_what_a_lecture_burst_pays_for(monkeypatch):
    """`streamlit run streamlit_app.py` (the README's command, Community Cloud) reads .streamlit/config.toml from the
    directory it starts in. Two of Streamlit's defaults cost a lecture: the source-file watcher, whose walk through
    all of sys.modules (torch's thousands) after each new session's first run is three quarters of a cached
    student's server CPU (docs/reliability.md), and a full garbage collection after every run. The test servers
    start with no flag for either, so every server test runs with what this file says."""
    from streamlit import config

    monkeypatch.chdir(ROOT)
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("server.fileWatcherType") == "none"
        assert config.get_option("runner.postScriptGC") is False
    finally:
        config.get_config_options(force_reparse=True)


def test_a_page_run_freezes_what_lives_forever_and_collects_the_youngest_objects_less_often():
    """After the first page run of a process (ui.page_frame), Python's collector leaves the objects alive then out of
    every collection (gc.freeze) and collects its youngest every GC_YOUNG new objects, not its default 700."""
    import gc

    from streamlit.testing.v1 import AppTest

    from ui import figures

    AppTest.from_file(str(ROOT / "pages" / "0_Lesson.py"), default_timeout=120).run()
    assert figures._FROZEN and gc.get_freeze_count() > 100_000
    assert gc.get_threshold()[0] == figures.GC_YOUNG > 700


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads the server's loaded libraries from /proc (Linux); on "
                    "Windows uvloop has no build and the standard loop serves")
def test_the_server_runs_on_uvloop_and_parses_http_with_httptools(server):
    """requirements.txt installs Streamlit's "performance" extra (uvloop, httptools): its server, uvicorn, takes
    them when they are installed, and sends every message a student's page gets for about two thirds of the event
    loop's CPU (docs/reliability.md). Nothing warns when they are missing, so this asks the running server which
    extension modules it loaded: a checkout that drops them from the requirements, or a Streamlit that stops using
    them, fails here."""
    maps = Path(f"/proc/{server.proc.pid}/maps").read_text().splitlines()
    libraries = {line.split()[-1] for line in maps if ".so" in line}
    for package in ("uvloop", "httptools"):
        assert any(f"/{package}/" in lib for lib in libraries), \
            f"the server runs without {package}: pip install -r requirements.txt"


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build")
def test_a_baseline_checkout_runs_without_the_server_packages_its_requirements_do_not_name(tmp_path):
    """bench/student_cost.py compares this checkout with an older one, both run by this venv's Python: a checkout
    from before requirements.txt named uvloop and httptools must run without them, or the comparison credits it
    with what it never installed."""
    import student_cost

    assert student_cost.as_required(ROOT) == {}
    named = (ROOT / "requirements.txt").read_text().splitlines()
    older = [line for line in named if not line.startswith(student_cost.PERFORMANCE)]
    (tmp_path / "requirements.txt").write_text("\n".join(older))
    for folder, importable in ((ROOT, True), (tmp_path, False)):
        for package in student_cost.PERFORMANCE:
            done = subprocess.run([sys.executable, "-c", f"import {package}"], capture_output=True, text=True,
                                  env={**os.environ, **student_cost.as_required(folder)})
            assert (done.returncode == 0) is importable, done.stderr
            assert importable or "is not in the requirements of this checkout" in done.stderr


async def paths_sent(s: Session, widget) -> list[tuple[int, ...]]:
    """Move `widget` (key, value) and read its run to the end: where on the page each element it sent went (a path:
    0 … the body, 1 … the sidebar)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    sent, take = [], s.take

    def noting(raw):
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") in ("delta", "ref_hash"):
            sent.append(tuple(msg.metadata.delta_path))
        return take(raw)

    s.take = noting
    try:
        await s.run(widget)
    finally:
        s.take = take
    return sent


def sidebar_texts(s: Session) -> set[str]:
    return {e.markdown.body for p, e in s.elements.items() if p[0] == 1 and e.WhichOneof("type") == "markdown"}


@pytest.mark.slow
def test_a_setting_moved_in_the_sidebar_reruns_the_body_alone_one_the_sidebar_shows_more_of_the_page(server):
    """Hidden layers moved on Train: the body's fragment runs alone (the new net's pictures, the address), and of the
    sidebar only the place of the measured time per step is sent again (the new run's); the language, the page links
    and the other settings stay as drawn (20 of a view's 72 messages, on a student's every move). A setting whose
    change the sidebar shows more of (the held-out points: a note under it on a dataset that has none to hold out)
    runs the page whole. On the Presenter page, which has no body fragment, a setting moved runs it whole."""
    ignored = "Points are held out from sampled datasets only"

    async def go():
        s = Session(server.url + "/Train?steps=300&seed=4243&test=0.2")
        await s.open()
        await s.run()
        assert any(ignored in text for text in sidebar_texts(s))  # XOR: no points to hold out, says the sidebar
        assert "w_test_fraction" not in s.widgets  # under "Advanced", folded: the student opens it
        await s.run(("advanced", True))
        assert any(ignored in text for text in sidebar_texts(s)) and s.errors == [], s.log  # (under its widget now)
        timing = next(p for p, e in s.elements.items() if p[0] == 1 and e.WhichOneof("type") == "markdown"
                      and e.markdown.body.startswith("Measured:"))
        charts = s.charts()
        sent = await paths_sent(s, ("w_hidden_layers", 2))
        assert s.fragment_run and s.errors == [], s.log
        assert {p for p in sent if p[0] == 1} == {timing[:-1], timing}, sent  # the time's place, and in it the time
        assert "layers=2" in s.query
        assert s.charts() != charts and s.elements[timing].markdown.body.startswith("Measured:")
        sent = await paths_sent(s, ("w_test_fraction", 0))  # (the first option: 0 %)
        assert not s.fragment_run and s.errors == [], s.log
        assert len([p for p in sent if p[0] == 1]) > 20  # the sidebar drawn again, the note with it
        assert not any(ignored in text for text in sidebar_texts(s)) and "test=" not in s.query
        await s.close()

        presenter = Session(server.url + "/Presenter?steps=300")
        await presenter.open()
        await presenter.run()
        await presenter.run(("w_hidden_layers", 3))
        assert not presenter.fragment_run and presenter.errors == [] and "layers=3" in presenter.query
        await presenter.close()

    run_apart(go())


@pytest.mark.slow
def test_a_widget_state_no_browser_sends_gets_the_pages_message_not_a_traceback(server):
    """A select slider's state sent as a number (a browser sends its option's text): the sidebar cannot draw it, the
    page says what to try and stops; it showed Python's "generator didn't yield" as a traceback under that."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    async def go():
        s = Session(server.url + "/Train?steps=300&seed=4243&test=0.2")
        await s.open()
        await s.run()
        await s.run(("advanced", True))  # "Advanced" opened, where the held-out share's slider is
        msg = BackMsg()
        state = s._client_state(msg).widget_states.widgets.add()
        state.id = s.widgets["w_test_fraction"][0]
        state.double_array_value.data.append(0)
        await s.ws.send(msg.SerializeToString())
        async with asyncio.timeout(60):
            while s.take(await s.ws.recv())[0] != "finished":
                pass
        await s.close()
        return s

    s = run_apart(go())
    assert s.errors == [], s.errors
    said = [e.alert.body for e in s.elements.values() if e.WhichOneof("type") == "alert"]
    assert any(text.startswith("Something went wrong") and "reload the page" in text for text in said), said
