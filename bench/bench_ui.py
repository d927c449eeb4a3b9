"""Slider release → charts redrawn, in real headless Chromium against `streamlit run` (not a test).

Moves the Learning-rate slider of the Home page one notch at a time with the keyboard, and times each
move from the key press until the script has finished and the chart is drawn again. The first pass
visits new configs (uncached: a full 10,001-step run each); the pass back revisits them (cached).

    python bench/bench_ui.py [--moves 6]
    python bench/bench_ui.py --play [--speed 100] [--page Train] [--presenter]
                                     frames a second of Play (target ≥ 5 at ×100, also at 1920×1080 presenter)
    python bench/bench_ui.py --charts  the server's time to build a new run's charts (no browser), against the
                                     same charts with Altair's own checks of every object, in the same run
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


COUNT_PAINTS = """(() => {
  // count each canvas's repaints (Vega clears a canvas before drawing it again): cheap enough to watch
  // every animation frame without slowing the page, unlike reading the pictures back
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (...args) {
    this.canvas.__paints = (this.canvas.__paints || 0) + 1;
    return clear.apply(this, args);
  };
})();"""

PLAY_WATCH = """([seconds]) => new Promise(done => {
  // every animation frame: the step on the slider, and the paints of the four charts; a frame is a new
  // step after which every chart has been painted again
  const seen = [], start = performance.now();
  let lastStep = null, painted = null;
  const charts = "[data-testid='stMain'] [data-testid='stVegaLiteChart'] canvas";
  const canvases = () => [...document.querySelectorAll(charts)];
  const paints = () => canvases().map(c => [c, c.__paints || 0]);
  function look() {
    const thumb = document.querySelector("[data-testid='stMain'] [data-testid='stSliderThumbValue']");
    const step = thumb ? Number(thumb.textContent.replace(/[^0-9]/g, "")) : null;
    const now = paints();
    const fresh = (p, i) => painted === null || p[0] !== painted[i][0] || p[1] > painted[i][1];  // a new canvas counts
    if (step !== lastStep && now.length >= 4 && now.every(fresh)) {
      seen.push([performance.now() - start, step]);
      lastStep = step;
      painted = now;
    }
    if (performance.now() - start < seconds * 1000) requestAnimationFrame(look); else done(seen);
  }
  look();
})"""


def play(page, url: str, speed: int, seconds: float, where: str = "Chain_rule", presenter: bool = False):
    """Open a page with Play (Chain rule, Train) at `speed` steps a tick, press Play (on Train, whose first visit
    shows the end of the run: Replay), and return [(ms, step)] of each new frame."""
    import re

    page.add_init_script(COUNT_PAINTS)
    page.goto(f"{url}/{where}?speed={speed}" + ("&presenter=1" if presenter else ""))
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_selector(CHART, timeout=90_000)
    page.get_by_role("button", name=re.compile(r"^(Play|Replay the training)$")).click()
    page.wait_for_timeout(1500)  # the first full rerun after the click
    return page.evaluate(PLAY_WATCH, [seconds])


def chart_builds(rounds: int = 9):
    """ms to build each chart of a new run the way the server does (ui.figures: each spec's shape checked once),
    and with Altair's check of every object as it is built and of every spec (its default), interleaved rounds."""
    import logging

    import altair as alt

    sys.path.insert(0, str(ROOT))
    logging.disable(logging.WARNING)  # Streamlit's "no runtime" notes: no server here
    import mlp
    from ui import charts, figures, network

    runs = [mlp.train(mlp.Config(init="notebook", hidden_layers=3, width=10, steps=3001, seed=s)) for s in range(2)]
    cases = {"cost per step": lambda r: charts.cost_chart(r), "gradient per layer": lambda r: charts.gradient_chart(r),
             "decision boundary": lambda r: charts.decision_boundary(r),
             "network": lambda r: network.network_diagram(r)}
    times = {(name, way): [] for name in cases for way in ("server", "checked")}
    for i in range(rounds + 1):  # the first round loads Altair's schema: left out
        for way in ("server", "checked"):
            alt.utils.schemapi.DEBUG_MODE = way == "checked"
            for name, build in cases.items():
                start = time.perf_counter()
                chart = build(runs[i % 2])
                figures.vega_lite_spec(chart) if way == "server" else chart.to_dict()
                if i:
                    times[(name, way)].append(time.perf_counter() - start)
    print(f"A new run's charts built on the server (2-10-10-10-1, 3,001 steps; median of {rounds} rounds):")
    print(f"{'chart':24} {'checked ms':>11} {'server ms':>10}  ratio")
    for name in cases:
        checked, server = (statistics.median(times[(name, w)]) * 1000 for w in ("checked", "server"))
        print(f"{name:24} {checked:11.1f} {server:10.1f}  {checked / server:.2f}× less")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=6)
    parser.add_argument("--play", action="store_true", help="measure Chain rule → Play instead")
    parser.add_argument("--speed", type=int, default=100, choices=[1, 10, 100, 1000])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--page", default="Chain_rule", choices=["Chain_rule", "Train"], help="where to press Play")
    parser.add_argument("--charts", action="store_true", help="the server's chart builds instead (no browser)")
    parser.add_argument("--presenter", action="store_true",
                        help="at a projector's 1920×1080 with presenter=1 (the sidebar shown), as a lecture plays it")
    args = parser.parse_args(argv)
    if args.charts:
        chart_builds()
        return
    from playwright.sync_api import sync_playwright

    if args.play:
        (ROOT / "artifacts").mkdir(exist_ok=True)
        server = Server()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                size = {"width": 1920, "height": 1080} if args.presenter else {"width": 1500, "height": 1200}
                page = browser.new_page(viewport=size)
                frames = play(page, server.url, args.speed, args.seconds, args.page, args.presenter)
                browser.close()
        finally:
            server.stop()
        if len(frames) < 2:
            print(f"Play ×{args.speed}: fewer than two frames in {args.seconds} s")
            return
        span = (frames[-1][0] - frames[0][0]) / 1000
        gaps = [b[0] - a[0] for a, b in zip(frames, frames[1:])]
        view = "1920×1080 presenter" if args.presenter else "1500×1200"
        print(f"{args.page.replace('_', ' ')} → Play ×{args.speed} (default 2-2-1 net, {view}), {args.seconds:g} s "
              "watched in headless Chromium:")
        print(f"  {len(frames) - 1} new frames in {span:.2f} s = {(len(frames) - 1) / span:.1f} frames/s  target ≥ 5"
              f"  (gap p50 {statistics.median(gaps):.0f} ms, max {max(gaps):.0f} ms;"
              f" steps {frames[0][1]:,} → {frames[-1][1]:,})")
        return

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
