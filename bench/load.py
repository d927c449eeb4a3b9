"""A lecture hall on one server: N concurrent headless browser sessions (loopback only, bounded).

Each session opens a page with query parameters and waits until its charts are drawn. Half of the
sessions ask for one identical config (which must train once, not N/2 times), half for distinct ones.
Prints p50/p95 time-to-chart, errors, how many trainings the server did, and its memory.

    python bench/load.py [--sessions 30] [--url http://127.0.0.1:PORT]   (no --url: starts its own server)
    python bench/load.py --memory                                        (RSS after 20 and 200 configs)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
DEADLINE = 600  # seconds: the whole run stops by then, whatever happens


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """The process's user + system CPU so far, or one of its threads' (`tid`), from /proc (OSError where there is
    none)."""
    stat = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def session(browser, url: str, timeout_s: float):
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    start = time.perf_counter()
    try:
        await page.goto(url, timeout=timeout_s * 1000)
        await page.wait_for_selector(CHART, timeout=timeout_s * 1000)
        await page.wait_for_selector(IDLE, timeout=timeout_s * 1000)
        errors = await page.locator("[data-testid='stException']").count()
        errors += await page.get_by_text("Something went wrong").count()
        return time.perf_counter() - start, errors
    except Exception as e:  # noqa: BLE001  (a timeout counts as an error of that session)
        return time.perf_counter() - start, f"{type(e).__name__}: {str(e)[:120]}"
    finally:
        await context.close()


async def load(base: str, sessions: int, timeout_s: float):
    from playwright.async_api import async_playwright

    urls = []
    for i in range(sessions):
        if i % 2 == 0:
            urls.append(f"{base}/Train?steps=3000&seed=4242")  # identical: must train once
        else:
            urls.append(f"{base}/Train?steps=3000&seed={5000 + i}")  # distinct
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = await asyncio.gather(*(session(browser, u, timeout_s) for u in urls))
        await browser.close()
    return urls, results


def memory(server: Server, configs: int = 200):
    from playwright.sync_api import sync_playwright

    marks = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for i in range(configs):
            page.goto(f"{server.url}/Train?steps=500&seed={10_000 + i}&width={1 + i % 8}")
            page.wait_for_selector(CHART, timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
            if i + 1 in (20, configs):
                marks[i + 1] = rss_mb(server.proc.pid)
        browser.close()
    return marks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--url", help="an existing server (loopback only); default: start one")
    parser.add_argument("--log", help="that server's log, to count trainings")
    parser.add_argument("--memory", action="store_true", help="measure RSS after 20 and 200 distinct configs")
    parser.add_argument("--timeout", type=float, default=240)
    args = parser.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address (127.0.0.1, localhost or ::1)")
    (ROOT / "artifacts").mkdir(exist_ok=True)
    server = None if args.url else Server()
    base = args.url or server.url
    started = time.perf_counter()
    try:
        if args.memory:
            marks = memory(server)
            print(f"server RSS after 20 configs: {marks[20]:.0f} MB; after 200: {marks[200]:.0f} MB "
                  f"({(marks[200] / marks[20] - 1) * 100:+.1f} %, target ≤ +10 %)")
            return
        urls, results = asyncio.run(asyncio.wait_for(load(base, args.sessions, args.timeout), DEADLINE))
        times = sorted(t for t, err in results if err == 0)
        failed = [(u, err) for u, (_, err) in zip(urls, results) if err != 0]
        log_path = args.log or (server and server.log.name)
        trained = []
        if log_path:
            text = Path(log_path).read_text()
            trained = re.findall(r"training Config\(.*?seed=(\d+)", text)
        print(f"{args.sessions} concurrent sessions against {base} ({time.perf_counter() - started:.0f} s in all)")
        if times:
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(f"  time to chart: p50 {statistics.median(times):.1f} s, p95 {p95:.1f} s, max {times[-1]:.1f} s")
        print(f"  sessions with an error: {len(failed)}")
        for url, err in failed[:5]:
            print(f"    {url}: {err}")
        if trained:
            print(f"  trainings of the identical config (seed 4242): {trained.count('4242')} "
                  f"(asked by {(args.sessions + 1) // 2} sessions); distinct configs trained: "
                  f"{len(set(trained) - {'4242'})}")
        if server:
            print(f"  server RSS after the load: {rss_mb(server.proc.pid):.0f} MB")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
