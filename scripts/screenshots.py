"""Look at the app as people see it: screenshots of pages at a laptop's and the projectors' sizes, in real Chromium.

    .venv/bin/python scripts/screenshots.py                       # every page: 1366×768 (en, ko), 1280×720 and
                                                                  # 1920×1080 presenter (en, ko)
    .venv/bin/python scripts/screenshots.py Train "Lesson?lesson=4" --looks laptop,tall_ko

Starts its own `streamlit run` on a free loopback port; writes PNGs to artifacts/look/ (the first screen only,
or the whole page with --full). For looking at, not for asserting: the browser tests assert.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
DEFAULT_LOOKS = "laptop,laptop_ko,proj720,proj1080,proj1080_ko"
PAGES = ["", "Lesson", "Lesson?lesson=4", "Lesson?lesson=9", "Train", "Chain_rule", "Map", "Robustness",
         "Compare", "Presenter"]
LOOKS = {  # name → (width, height, extra query)
    "laptop": (1366, 768, ""), "laptop_ko": (1366, 768, "lang=ko"),
    "proj720": (1280, 720, "presenter=1"), "proj1080": (1920, 1080, "presenter=1"),
    "proj1080_ko": (1920, 1080, "presenter=1&lang=ko"),
    "tall": (1366, 2600, ""), "tall_ko": (1366, 2600, "lang=ko"),  # the page below the first screen, at laptop width
}


def shoot(pages, looks, full: bool, out: Path, wait_ms: int):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for look in looks:
                w, h, extra = LOOKS[look]
                for path in pages:
                    query = "&".join(filter(None, [path.partition("?")[2], extra]))
                    url = f"{server.url}/{path.partition('?')[0]}" + (f"?{query}" if query else "")
                    context = browser.new_context(viewport={"width": w, "height": h})
                    page = context.new_page()
                    page.goto(url, timeout=180_000)
                    page.wait_for_timeout(1500)
                    page.wait_for_selector(IDLE, timeout=180_000)
                    if path.startswith("Map"):  # the map fills in in the background: the finished one
                        page.wait_for_selector(".st-key-map_csv", timeout=180_000)
                    page.wait_for_timeout(wait_ms)
                    name = re.sub(r"[^A-Za-z0-9_=-]+", "_", path or "Home") + f"-{look}.png"
                    page.screenshot(path=str(out / name), full_page=full)
                    print(out / name)
                    context.close()
            browser.close()
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=PAGES, help="paths after the host, e.g. Train or 'Lesson?lesson=4'")
    parser.add_argument("--looks", default=DEFAULT_LOOKS, help=f"comma-separated, of {', '.join(LOOKS)}")
    parser.add_argument("--full", action="store_true", help="the whole page, not only the first screen")
    parser.add_argument("--wait", type=int, default=1500, help="ms to wait after the page is idle (charts draw)")
    parser.add_argument("--out", default=str(ROOT / "artifacts" / "look"))
    args = parser.parse_args()
    looks = [x for x in args.looks.split(",") if x]
    unknown = [x for x in looks if x not in LOOKS]
    if unknown:
        parser.error(f"unknown look {unknown}: choose from {', '.join(LOOKS)}")
    shoot(args.pages, looks, args.full, Path(args.out), args.wait)


if __name__ == "__main__":
    main()
