"""Slider release → charts redrawn, in real headless Chromium against `streamlit run` (not a test).

Moves the Learning-rate slider of the Home page one notch at a time with the keyboard, and times each
move from the key press until the script has finished and the chart is drawn again. The first pass
visits new configs (uncached: a full 10,001-step run each); the pass back revisits them (cached).

    python bench/bench_ui.py [--moves 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def move(page, key: str, url_has: str) -> float:
    """Press key on the slider; wait until the URL shows the new value (url_has; "" = no lr in the URL,
    the default), the script is idle and the chart is drawn. Seconds from the key press."""
    slider = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(
        has_text="Learning rate").get_by_role("slider")
    slider.focus()
    start = time.perf_counter()
    page.keyboard.press(key)
    test = f"location.search.includes('{url_has}')" if url_has else "!location.search.includes('lr=')"
    # checked on every animation frame: Playwright's wait_for_selector backs off to polling every 0.5 s,
    # which once added up to half a second to what this measures
    page.wait_for_function(f'() => {test} && document.querySelector("{IDLE}") && document.querySelector("{CHART}")',
                           polling="raf", timeout=60_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # painted
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=6)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    (ROOT / "artifacts").mkdir(exist_ok=True)
    server = Server()
    lrs = ["0.5", "0.2", "0.1", "0.05", "0.02", "0.01", "0.005", "0.002", "0.001"][: args.moves]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1200})
            page.goto(server.url)
            page.wait_for_selector(IDLE, timeout=90_000)
            page.wait_for_selector(CHART, timeout=90_000)
            uncached = [move(page, "ArrowLeft", f"lr={lr}") for lr in lrs]
            back = [f"lr={lr}" for lr in lrs[-2::-1]] + [""]  # back up to the default (lr=1 leaves the URL)
            cached = [move(page, "ArrowRight", want) for want in back]
            browser.close()
    finally:
        server.stop()
    print(f"slider release → charts redrawn, default config (2-2-1, 10,001 steps), {len(uncached)} moves each")
    print(f"  uncached: p50 {statistics.median(uncached):.2f} s  (all: {', '.join(f'{t:.2f}' for t in uncached)})"
          "  target ≤ 1.0 s")
    print(f"  cached:   p50 {statistics.median(cached):.2f} s  (all: {', '.join(f'{t:.2f}' for t in cached)})"
          "  target ≤ 0.3 s")


if __name__ == "__main__":
    main()
