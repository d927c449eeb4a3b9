"""The lecture-burst tools and what they measure: the protocol client gets what Chromium gets; a small burst
loads and moves a slider with no error; a student whose run must wait is told the server is busy."""

import asyncio
import sys
import time

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
