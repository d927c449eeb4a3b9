"""What one Streamlit run costs the server however little it draws (not a test): the floor under a live class's
step on every follower's page (docs/reliability.md, "Where a step's time goes").

    python bench/bench_runs.py [--reps 150] [--rounds 3]

1. A bare page (bench/apps/fragment.py): a fragment holding a button and n markdowns (or n selectboxes), its
   button pressed `reps` times through Streamlit's own protocol (bench/protocol.py), each press one rerun of the
   fragment; the server's CPU a run read from /proc, for n = 0 and n = 20 markdowns, and 20 selectboxes (each of
   which reads the session state, 80 values of the page's own: ui/widget_state.py). Two servers side by side,
   Streamlit as it is and with the app's mends (ui/handover.py), their rounds interleaved: this machine's speed
   drifts from minute to minute.
2. The theme each run's first message carries: Streamlit's `_populate_theme_msg` for its six sections, against
   `ui.server_costs.theme_once`, in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from load import cpu_seconds  # noqa: E402
from protocol import Session  # noqa: E402

from conftest import Server  # noqa: E402

SECTIONS = ["theme", "theme.light", "theme.dark", "theme.sidebar", "theme.light.sidebar", "theme.dark.sidebar"]


def cpu_or_none(pid: int) -> float | None:
    """The process's CPU so far (load.cpu_seconds), None where there is no /proc."""
    try:
        return cpu_seconds(pid)
    except OSError:
        return None


PAGES = {"0 markdowns": "n=0", "20 markdowns": "n=20", "20 selectboxes": "n=20&kind=selectbox"}
ELEMENT = {"20 markdowns": "markdown", "20 selectboxes": "selectbox"}


async def per_run(server: Server, query: str, reps: int) -> float | None:
    """Milliseconds of the server's CPU for one rerun of the page's fragment (a button and what `query` asks)."""
    s = Session(f"{server.url}/?{query}")
    await s.open()
    await s.run()
    start = cpu_or_none(server.proc.pid)
    for _ in range(reps):
        await s.run(("go", True))
    end = cpu_or_none(server.proc.pid)
    await s.close()
    return None if start is None or end is None else (end - start) / reps * 1e3


def theme_microseconds() -> tuple[float, float]:
    from streamlit.proto.NewSession_pb2 import CustomThemeConfig
    from streamlit.runtime import app_session

    from ui.server_costs import theme_once

    theirs = getattr(app_session._populate_theme_msg, "__wrapped__", app_session._populate_theme_msg)
    ours = theme_once(theirs)

    def made(populate):
        msg = CustomThemeConfig()
        for section in SECTIONS:
            populate(msg, section)

    return tuple(min(timeit.repeat(lambda f=f: made(f), number=500, repeat=5)) / 500 * 1e6 for f in (theirs, ours))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=150, help="fragment reruns a measurement (10–2000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (1–20)")
    args = parser.parse_args()
    if not (10 <= args.reps <= 2000 and 1 <= args.rounds <= 20):
        parser.error("--reps 10…2000, --rounds 1…20")
    script = str(Path("bench") / "apps" / "fragment.py")
    (ROOT / "artifacts").mkdir(exist_ok=True)  # the servers' logs
    servers = {"Streamlit as it is": Server(script=script), "with the app's mends": Server(
        script=script, env={"MLP_BENCH_MEND": "1"})}
    try:
        found = {(name, page): [] for name in servers for page in PAGES}
        for _ in range(args.rounds):
            for name, server in servers.items():
                for page, query in PAGES.items():
                    found[name, page].append(asyncio.run(per_run(server, query, args.reps)))
    finally:
        for server in servers.values():
            server.stop()
    print(f"one fragment rerun, server CPU a run ({args.rounds} rounds of {args.reps}, interleaved; median, range):")
    for (name, page), values in found.items():
        if None in values:
            print(f"  {name}, {page}: unmeasured (no /proc here)")
            continue
        print(f"  {name}, {page}: {statistics.median(values):.2f} ms ({min(values):.2f}–{max(values):.2f})")
    each = {}
    for name in servers:
        for page in ELEMENT:
            if None not in found[name, "0 markdowns"] + found[name, page]:
                each[name, page] = (statistics.median(found[name, page]) - statistics.median(
                    found[name, "0 markdowns"])) / 20
                print(f"  {name}: a {ELEMENT[page]} {each[name, page]:.3f} ms")
    (plain, mended), box = servers, "20 selectboxes"
    if (plain, box) in each and (mended, box) in each and each[mended, box] > 0:
        print(f"  a selectbox, mended against Streamlit as it is: ×{each[plain, box] / each[mended, box]:.2f} less")
    theirs, ours = theme_microseconds()
    print(f"each run's theme (six sections): Streamlit {theirs:.0f} µs, made once and copied {ours:.0f} µs "
          f"(×{theirs / ours:.0f} less)")


if __name__ == "__main__":
    main()
