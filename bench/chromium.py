"""Headless Chromium as the yardstick for the protocol client (bench/protocol.py).

`record_assets`: the static files a real browser with an empty cache fetches for a link (what each
simulated student then fetches too). `compare`: for a few links, the same script run finishes and the
same charts (Vega-Lite spec and Arrow data, byte for byte) arrive in Chromium and in a protocol Session,
on opening the link and after moving the Hidden-layers slider one notch.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from protocol import Session  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def _open(page, url: str, timeout_ms: int):
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(CHART, timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def run_apart(coroutine):
    """asyncio.run in a thread of its own: a sync Playwright browser running in this thread counts as a running
    event loop, in which asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def record_assets(url: str, timeout_ms: int = 120_000) -> list[str]:
    """The paths under /static/ that Chromium fetched to show `url` (an empty cache)."""
    from playwright.sync_api import sync_playwright

    paths = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: paths.append(urlparse(r.url).path) if "/static/" in r.url else None)
        _open(page, url, timeout_ms)
        browser.close()
    return list(dict.fromkeys(paths))


def _browser_charts(page, url: str, timeout_ms: int) -> tuple[list, list, list]:
    """Open url in Chromium, then move the Hidden-layers slider one notch right; the charts after each,
    read from the websocket frames the browser received (with the browser's own message cache)."""
    seen = Session(url)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: seen.take(data)))
    _open(page, url, timeout_ms)
    page.wait_for_timeout(300)
    opened = seen.charts()
    slider = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(
        has_text="Hidden layers").get_by_role("slider")
    runs = seen.finished
    slider.focus()
    page.keyboard.press("ArrowRight")
    for _ in range(timeout_ms // 100):  # until the browser has been told the rerun finished
        if seen.finished > runs:
            break
        page.wait_for_timeout(100)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(300)
    return opened, seen.charts(), seen.errors


async def _protocol_charts(url: str) -> tuple[list, list, list]:
    s = Session(url)
    await s.open()
    try:
        await s.run()
        opened = s.charts()
        await s.run(s.move())
        return opened, s.charts(), s.errors
    finally:
        await s.close()


def compare(base: str, links: list[str], timeout_ms: int = 180_000, browser=None) -> list[dict]:
    """For each link: does the protocol session get what Chromium got? `browser`: a Playwright browser already
    running in this process (one process can run only one sync Playwright at a time); else one is started."""
    from playwright.sync_api import sync_playwright

    seen = {}

    def look(browser):
        for link in links:
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            seen[link] = _browser_charts(context.new_page(), base + link, timeout_ms)
            context.close()

    if browser is not None:
        look(browser)
    else:
        with sync_playwright() as p:
            started = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            look(started)
            started.close()
    results = []
    for link, (b_open, b_moved, b_errors) in seen.items():  # the protocol sessions after the browser has gone
        p_open, p_moved, p_errors = run_apart(_protocol_charts(base + link))
        results.append({"link": link, "charts": len(b_open), "charts_moved": len(b_moved),
                        "same_on_open": bool(b_open) and b_open == p_open,
                        "same_after_move": bool(b_moved) and b_moved == p_moved, "errors": b_errors + p_errors})
    return results
