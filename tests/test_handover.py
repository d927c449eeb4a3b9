"""Streamlit's hand-over race (ui/handover.py), met on a real server: a fragment rerun asked for after a run has
ended but before the server has sent what the run drew. The pinned Streamlit loses the run; the app's mend sends it
first. The app that meets it is tests/apps/handover.py; the client speaks Streamlit's protocol (bench/protocol.py)."""

import asyncio
import sys

import pytest

from conftest import ROOT, Server

sys.path.insert(0, str(ROOT / "bench"))

from chromium import run_apart  # noqa: E402
from protocol import Session  # noqa: E402


async def press_go(url: str) -> list[str]:
    """Open the page, press its button, and read until the fragment's rerun has ended: what the browser was told,
    in order (a run's start, the headings drawn, a run's end by its status)."""
    s = Session(url)
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
        lost = run_apart(press_go(server.url + "/"))
        assert lost == ["start page", "heading run 1", "end 0", "start page", "start fragment", "end 3"], lost
        # mended (this process from now on): the run's heading and its end (0: finished), then the fragment's run
        sent = run_apart(press_go(server.url + "/?mend=1"))
        assert sent == ["start page", "heading run 1", "end 0", "start page", "heading run 2", "end 0",
                        "start fragment", "end 3"], sent
    finally:
        server.stop()
