"""Shared test setup: a real `streamlit run` server for the browser tests (started once, on loopback)."""

import functools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The browser the tests drive: $CHROMIUM, else Debian's chromium-headless-shell (Chromium's own headless build: the
# same Blink and V8 without the browser around them, the browser tests a quarter quicker), else its chromium
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (p for p in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if os.access(p, os.X_OK)),
    "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "artifacts" / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_configure(config):
    """Under pytest -n (one worker per core) each worker's torch, and the servers it starts, use one thread:
    torch's own threads on cores the other workers use would wait on each other (a 300-step autograd run of a
    6 × 32 net took 35 s instead of 1).

    Every AppTest run scans the metadata of every installed package for Streamlit components (a server does it
    once, at its start): 0.2 s a run here, a tenth of the suite's AppTest time. Within one test process the
    installed packages do not change, so the scan's answer is kept. And AppTest's runs keep the app's pages, as a
    server's session does (pages_kept_across_runs)."""
    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)
    pages_kept_across_runs()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
        import torch

        torch.set_num_threads(1)


def pages_kept_across_runs():
    """A server's session keeps one PagesManager for its life: the pages its full runs register (the app's `pages/`)
    are there for a fragment's run alone too, where st.page_link looks its page up. AppTest makes a new one for every
    run, so a page link drawn by a fragment rerun alone (ui.body_fragment, after a setting moved in the sidebar) found
    no page. Here, as on a server, a run starts with the pages the last full run of the same app registered."""
    from streamlit.runtime.pages_manager import PagesManager

    kept, start, register = {}, PagesManager.__init__, PagesManager.set_pages_and_resolve

    def __init__(self, main_script_path, *args, **kwargs):
        start(self, main_script_path, *args, **kwargs)
        self._pages = kept.get(main_script_path)

    def set_pages_and_resolve(self, pages, fallback_page_hash=""):
        kept[self.main_script_path] = pages
        return register(self, pages, fallback_page_hash)

    PagesManager.__init__, PagesManager.set_pages_and_resolve = __init__, set_pages_and_resolve


def pytest_collection_modifyitems(config, items):
    """The slow tests first, the browser's among them before the rest, and the quick unit tests last, so that with
    workers (pytest -n) none of the long ones is left running alone at the end while the other worker idles.
    Tests marked cuda run where torch sees a GPU and are skipped, with the reason, everywhere else."""
    import torch

    def order(item):  # stable: within each group the tests keep their order (a module's stay together)
        return item.get_closest_marker("slow") is None, item.get_closest_marker("browser") is None

    items.sort(key=order)
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="no CUDA GPU visible to torch on this machine")
    for item in items:
        if item.get_closest_marker("cuda") is not None:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run streamlit_app.py` (or another `script`) on a free loopback port; fresh each time it is
    started."""

    def __init__(self, tries: int = 3, env: dict | None = None, script: str = "streamlit_app.py",
                 folder: Path = ROOT, args: tuple = ()):
        """free_port's port is free when chosen, but another process may bind it before the server does: then the
        server exits at once, and it starts again on another port (up to `tries` times). `env`: variables added
        to the server's environment (MLP_REDIS_URL: replicas sharing a live class). `folder`: the checkout it runs
        (another one: a bench's baseline), `args`: more of `streamlit run`'s options."""
        self.env, self.script, self.folder, self.args = {**os.environ, **(env or {})}, script, folder, tuple(args)
        for _ in range(tries):
            if self._start():
                return
        raise RuntimeError(f"streamlit did not become healthy on any of {tries} ports (see artifacts/server-*.log)")

    def _start(self) -> bool:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(ROOT / "artifacts" / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", *self.args],  # the rest from .streamlit/config.toml, as the
            cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT, env=self.env)  # README runs it
        deadline = time.time() + 60
        while time.time() < deadline and self.alive():
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return True
            except OSError:
                time.sleep(0.2)
        self.stop()
        return False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None and not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server():
    """One server for all the tests that need no fresh one (each worker of pytest -n starts its own): a server
    start costs seconds of CPU, and every test uses a config (or a page) of its own."""
    (ROOT / "artifacts").mkdir(exist_ok=True)
    s = Server()
    yield s
    s.stop()


@pytest.fixture()
def fresh_server():
    (ROOT / "artifacts").mkdir(exist_ok=True)
    server = Server()
    yield server
    server.stop()


def new_context(browser, **options):
    """A browser context as every browser test opens one: it prefers reduced motion, so Streamlit's frontend skips
    its fade-ins and transitions (a tenth of Chromium's CPU for a page load, measured here: the browser tests are
    CPU-bound on 2 cores); what a page lays out and draws is the same, and a student may well have set it."""
    return browser.new_context(reduced_motion="reduce", **options)


VIEWPORT = {"width": 1500, "height": 1400}


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context a worker, as one student's browser: its HTTP cache keeps the app's frontend files (hashed,
    sent immutable) from one test's page to the next, instead of every page fetching 135 of them from the Python
    server again (~0.4 s of its CPU, a second of Chromium's). The live class's tests (a lecturer and students are
    different people) and bench/chromium.py's comparison (a bench's student) open contexts of their own."""
    context = new_context(browser, viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="session")
def tab(browser_context):
    """The worker's one browser tab, every browser test's page in turn: a test opens its link in it (a new document,
    a new Streamlit session). A tab used again costs Chromium a quarter less CPU a page load than a new tab (its
    renderer process and V8's compiled code of the app's frontend stay warm; measured here on the same 8 cached page
    loads, interleaved: 21–23 s of CPU against 28–33 s)."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


@pytest.fixture()
def page(tab):
    """The worker's tab at the context's size; when the test ends it leaves for about:blank, so the test's page and
    its Streamlit session end as a closed tab's would."""
    tab.set_viewport_size(VIEWPORT)
    yield tab
    tab.goto("about:blank")
