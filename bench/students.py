"""A lecture burst at the protocol level: N students open the link within a few seconds, no browser.

Each simulated student does what a browser with an empty cache does, over loopback only: fetches the
page and the static files a real browser fetched (`--assets`), opens the websocket `/_stcore/stream`, sends
the `BackMsg` that asks for a script run with the link's query parameters, reads the `ForwardMsg`s until
the run finishes (time to first chart: from the click to the first chart's data), then, after a pause,
moves the Hidden-layers slider (a rerun with the new widget value, sending the hashes of the messages it
holds, as the browser does) and waits for that run. One more session, the lecturer's, moves its slider
every few seconds through the burst. Everything is bounded in count and time and stops by itself.

    python bench/students.py --sessions 200 [--within 30] [--url http://127.0.0.1:PORT]
    python bench/students.py --validate 5      (the same runs and chart data as headless Chromium?)
    python bench/students.py --follow 200      (a live class: followers, a lecturer's Next, 200 answers)

No --url: it starts its own `streamlit run` and reports its memory and CPU time too.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # i18n: bench/follow.py reads the pages' own texts

from load import cpu_seconds, rss_mb  # noqa: E402
from protocol import SLIDER, Session, fetch_all  # noqa: E402

from conftest import Server  # noqa: E402

DEADLINE = 900  # seconds: the whole run stops by then, whatever happens
LECTURER = "/Train?seed=4242"  # the link on the projector (80 % of the students)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def own_link(rng: random.Random) -> str:
    """A student who changed the settings before opening: a config nobody else asked for."""
    return f"/Train?seed={rng.randrange(10_000, 99_999)}&width={rng.randint(2, 8)}"


# --- one student, the lecturer, the burst --------------------------------------------------------------

@dataclass
class Outcome:
    link: str
    first_chart: float | None = None  # seconds from the click to the first chart's data
    loaded: float | None = None  # … to the end of the first run
    moved: float | None = None  # seconds for the slider move's run
    asset_bytes: int = 0
    error: str = ""


async def student(base: str, link: str, delay: float, assets: list[str], think: float, hold: asyncio.Event,
                  ready: list, timeout: float) -> Outcome:
    out = Outcome(link)
    await asyncio.sleep(delay)
    start = time.perf_counter()
    s = Session(base + link)
    try:
        u = urlparse(base)
        cookie = ""
        if assets:
            out.asset_bytes, cookie = await fetch_all(u.hostname, u.port or 80, [link, *assets])
        await s.open(cookie)
        chart, end = await s.run(timeout=timeout)
        out.first_chart = None if chart is None else chart - start
        out.loaded = end - start
        if chart is None:
            s.errors.append("the run finished without a chart")
        await asyncio.sleep(think)
        if SLIDER in s.widgets:
            moved = time.perf_counter()
            _, end = await s.run(s.move(), timeout)
            out.moved = end - moved
        else:
            s.errors.append("no Hidden-layers slider on the page")
        ready.append(out)
        await hold.wait()  # an idle student, tab left open, until everyone has loaded
    except Exception as e:  # noqa: BLE001  (a timeout or a refused connection counts as that student's error)
        s.errors.append(f"{type(e).__name__}: {str(e)[:160]}")
    finally:
        out.error = "; ".join(s.errors)
        try:
            await s.close()
        except Exception:  # noqa: BLE001
            pass
    return out


async def lecturer(base: str, stop: asyncio.Event, opened: asyncio.Event, every: float = 3.0) -> list[float]:
    """The lecturer's own tab (presenter view), open before the burst (the link is on the projector): moves
    the slider every few seconds until the burst is over. Returns the seconds each move took."""
    s = Session(base + LECTURER + "&presenter=1")
    times = []
    try:
        await s.open()
        await s.run()
    finally:
        opened.set()
    while not stop.is_set():
        await asyncio.sleep(every)
        moved = time.perf_counter()
        _, end = await s.run(s.move())
        times.append(end - moved)
    await s.close()
    return times


# --- the server's side: memory, CPU, sessions ------------------------------------------------------------

class Watch:
    """The server processes' resident memory (sampled; summed over replicas) and CPU seconds, where we know
    their pids."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak = list(pids), 0.0

    def rss_mb(self) -> float:
        if not self.pids:
            return float("nan")
        total = sum(rss_mb(pid) for pid in self.pids)
        self.peak = max(self.peak, total)
        return total

    def cpu_s(self) -> float:
        if not self.pids:
            return float("nan")
        return sum(cpu_seconds(pid) for pid in self.pids)

    async def sample(self, stop: asyncio.Event):
        while not stop.is_set():
            self.rss_mb()
            await asyncio.sleep(0.25)


def active_sessions(bases: list[str]) -> int | None:
    """Sessions the servers hold open now (each one's own /_stcore/metrics), summed."""
    import urllib.request

    total = 0
    for base in bases:
        try:
            text = urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10).read().decode()
        except OSError:
            return None
        total += sum(int(float(line.split()[-1])) for line in text.splitlines() if line.startswith("active_sessions"))
    return total


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * len(values) + 0.5)) - 1))]


async def burst(base: str, n: int, within: float, same: float, assets: list[str], watch: Watch, *,
                think: float = 3.0, timeout: float = 300, seed: int = 0, with_lecturer: bool = True,
                metrics: list[str] | None = None) -> dict:
    """n students arriving uniformly at random within `within` seconds; `same` of them with the lecturer's link."""
    rng = random.Random(seed)
    links = [LECTURER] * round(n * same) + [own_link(rng) for _ in range(n - round(n * same))]
    rng.shuffle(links)
    delays = sorted(rng.uniform(0, within) for _ in range(n))
    stop, done, opened = asyncio.Event(), asyncio.Event(), asyncio.Event()
    lecture = asyncio.create_task(lecturer(base, done, opened)) if with_lecturer else None
    await opened.wait() if with_lecturer else None
    sampler = asyncio.create_task(watch.sample(stop))
    idle_mb = watch.rss_mb()
    cpu0, t0 = watch.cpu_s(), time.perf_counter()
    hold, ready = asyncio.Event(), []
    tasks = [asyncio.create_task(student(base, link, d, assets, rng.uniform(0.5, 1.5) * think, hold, ready,
                                         timeout)) for link, d in zip(links, delays)]
    while sum(t.done() for t in tasks) + len(ready) < n:  # everyone loaded and moved (or failed)
        await asyncio.sleep(0.2)
    done.set()
    lecturer_moves = await lecture if lecture else []
    cpu = watch.cpu_s() - cpu0
    servers = metrics or [base]
    open_sessions = await settled(lambda: active_sessions(servers), n)  # the lecturer has left; the students stay
    open_mb = watch.rss_mb()
    hold.set()
    outcomes = await asyncio.gather(*tasks)
    left_sessions = await settled(lambda: active_sessions(servers), 0)  # the students' tabs are closed
    stop.set()
    await sampler
    return {"n": n, "same": links.count(LECTURER), "outcomes": outcomes, "lecturer": lecturer_moves,
            "seconds": time.perf_counter() - t0, "cpu_s": cpu, "idle_mb": idle_mb, "open_mb": open_mb,
            "open_sessions": open_sessions, "peak_mb": watch.peak, "left_mb": watch.rss_mb(),
            "left_sessions": left_sessions}


async def settled(read, target, timeout: float = 30.0):
    """read() once it equals `target` (the server has caught up with the tabs opened or closed), else its last value
    after `timeout` seconds: what the report then shows (e.g. sessions left behind)."""
    deadline = time.perf_counter() + timeout
    value = read()
    while value != target and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
        value = read()
    return value


def report(r: dict, asset_files: int) -> str:
    outs = r["outcomes"]
    ok = [o for o in outs if not o.error]
    lines = [f"{r['n']} students ({r['same']} with the lecturer's link, {r['n'] - r['same']} their own) in "
             f"{r['seconds']:.0f} s; each fetched {asset_files} static files"
             + (f" ({statistics.mean(o.asset_bytes for o in outs) / 1e6:.1f} MB)" if asset_files else "")]

    def line(name, values):
        if values:
            lines.append(f"  {name}: p50 {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s, "
                         f"max {max(values):.2f} s")

    line("time to first chart", [o.first_chart for o in ok])
    line("  … the lecturer's link", [o.first_chart for o in ok if o.link == LECTURER])
    line("  … settings of their own", [o.first_chart for o in ok if o.link != LECTURER])
    line("first run complete  ", [o.loaded for o in ok])
    line("slider move (rerun) ", [o.moved for o in ok if o.moved is not None])
    line(f"lecturer's slider ({len(r['lecturer'])} moves)", r["lecturer"])
    failed = [o for o in outs if o.error]
    lines.append(f"  students with an error: {len(failed)}")
    lines += [f"    {o.link}: {o.error}" for o in failed[:5]]
    if r["idle_mb"] == r["idle_mb"]:  # not NaN: we know the server's pid
        per = (r["open_mb"] - r["idle_mb"]) / max(1, r["n"])
        lines.append(f"  server RSS: {r['idle_mb']:.0f} MB before, peak {r['peak_mb']:.0f} MB, "
                     f"{r['open_mb']:.0f} MB with {r['open_sessions']} idle sessions open ({per:+.2f} MB a student), "
                     f"{r['left_mb']:.0f} MB after they left ({r['left_sessions']} sessions open)")
        lines.append(f"  server CPU: {r['cpu_s']:.1f} s during the burst "
                     f"({r['cpu_s'] / r['n'] * 1e3:.0f} ms a student)")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[200], help="students per burst (several: one "
                        "burst after another, on a fresh server each where this script starts it)")
    parser.add_argument("--within", type=float, default=30, help="seconds over which they arrive")
    parser.add_argument("--same", type=float, default=0.8, help="share with the lecturer's link")
    parser.add_argument("--url", help="an existing server or nginx (loopback only); default: start one")
    parser.add_argument("--pid", type=int, nargs="+", help="that server's pids (replicas), for memory and CPU")
    parser.add_argument("--metrics", nargs="+", help="the replicas' own URLs, for their open sessions")
    parser.add_argument("--assets", choices=["chromium", "none"], default="chromium",
                        help="chromium: each student fetches the static files Chromium fetched; none: a warm cache")
    parser.add_argument("--validate", type=int, metavar="N", help="compare N links with Chromium instead")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a student waits for one run")
    parser.add_argument("--follow", type=int, metavar="N", help="a live class of N followers instead (bench/follow.py)")
    parser.add_argument("--idle", type=float, default=20, help="--follow: seconds the class sits idle, measured")
    args = parser.parse_args(argv)
    if args.url and urlparse(args.url).hostname not in LOOPBACK:
        parser.error("--url must be a loopback address (127.0.0.1, localhost or ::1)")
    if not all(1 <= n <= 1000 for n in args.sessions) or not 0 < args.within <= 300 or not 0 <= args.same <= 1 \
            or args.validate is not None and not 1 <= args.validate <= 20 \
            or args.follow is not None and not 1 <= args.follow <= 1000 or not 5 <= args.idle <= 300:
        parser.error("--sessions 1…1000, --within 0…300 s, --same 0…1, --validate 1…20, --follow 1…1000, --idle 5…300")
    (ROOT / "artifacts").mkdir(exist_ok=True)
    for n in args.sessions:
        server = None if args.url else Server()
        base = args.url or server.url
        watch = Watch([server.proc.pid] if server else args.pid or [])
        try:
            if args.follow is not None:
                import follow

                result = asyncio.run(asyncio.wait_for(follow.lesson_class(
                    base, args.follow, watch, within=min(args.within, 60), idle=args.idle,
                    replicas=args.metrics or ()), DEADLINE))
                print(follow.report(result, percentile), flush=True)
                return
            if args.validate is not None:
                import chromium

                rng = random.Random(1)
                links = [LECTURER] + [own_link(rng) for _ in range(args.validate - 1)]
                for r in chromium.compare(base, links):
                    print(f"{r['link']}: {r['charts']} charts on opening, same in Chromium and the protocol "
                          f"client: {r['same_on_open']}; after the slider ({r['charts_moved']} charts): "
                          f"{r['same_after_move']}; errors: {r['errors'] or 'none'}")
                return
            assets = []
            if args.assets == "chromium":
                import chromium

                assets = chromium.record_assets(base + LECTURER)  # the lecturer's own browser, before the burst
            result = asyncio.run(asyncio.wait_for(  # seed n: a burst's own settings are new to a server already used
                burst(base, n, args.within, args.same, assets, watch, timeout=args.timeout, seed=n,
                      metrics=args.metrics), DEADLINE))
            print(report(result, len(assets)), flush=True)
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
