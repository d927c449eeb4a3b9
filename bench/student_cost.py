"""What one cached student costs the server, finely (not a test): students one after another, each opening the
lecturer's link, waiting for its run, moving the Hidden-layers slider one notch, waiting, and leaving; the server's
CPU a student from /proc, split into its event loop's thread (which sends every message) and the rest (the script
runs, each on a thread of its own). Against another checkout's server in the same run, rounds interleaved: this
machine's speed drifts from minute to minute, and machines of one kind differ 2-3x.

    python bench/student_cost.py [--students 30] [--rounds 6] [--link "/Train?seed=4242"] [--moves 1] [--against DIR]
                                 [--idle SECONDS]

--against: another checkout to compare with (e.g. `git worktree add /tmp/filed 27fa348`, the code the live-class
issue was filed on), run by this checkout's Python. `bench/students.py --sessions 50 --same 1.0 --assets none` is the
issue's own measure (a burst: students at once, the lecturer's tab moving its slider); this one, one student at a
time, separates what a student costs from how a burst shares the cores. Both servers run without the source-file
watcher, as the issue's measure did, and each keeps one tab open: Streamlit clears its cache of compiled scripts
whenever its last session goes, and each next student would compile the page again.

--idle: then each server's CPU over that many seconds with nothing but its tab open, all servers over the same
seconds (what a server costs doing nothing: its own pollers and timers; part of every figure read over a while).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

from load import cpu_seconds  # noqa: E402
from protocol import Session  # noqa: E402

from conftest import Server  # noqa: E402

PERFORMANCE = ("uvloop", "httptools")  # Streamlit's "performance" extra, which requirements.txt installs


def checkout(folder: Path) -> Server:
    """`streamlit run streamlit_app.py` from a checkout's folder on a free loopback port, without the source-file
    watcher (as the issue's measure ran), with what its own requirements install (`as_required`)."""
    return Server(folder=folder, args=("--server.fileWatcherType", "none"), env=as_required(folder))


def as_required(folder: Path) -> dict:
    """The environment variables that run a checkout with what its requirements.txt installs, from this venv: a
    checkout from before it named uvloop and httptools runs without them, each hidden by a package of that name
    on PYTHONPATH that cannot be imported (Streamlit's server then takes the standard loop and parser, as it did
    then). {} for a checkout that names them."""
    named = (folder / "requirements.txt").read_text()
    lacking = [p for p in PERFORMANCE if not re.search(rf"^{p}\b", named, re.MULTILINE)]
    if not lacking:
        return {}
    hidden = Path(tempfile.mkdtemp(prefix="not-required-"))
    for package in lacking:
        (hidden / package).mkdir()
        (hidden / package / "__init__.py").write_text(
            f"raise ModuleNotFoundError({package + ' is not in the requirements of this checkout'!r})\n")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(hidden), os.environ.get("PYTHONPATH")]))}


def server_cpu(server: Server) -> tuple[float, float]:
    """(the process's CPU, its event loop's: the main thread, where uvicorn runs the loop) so far, in seconds."""
    return cpu_seconds(server.proc.pid), cpu_seconds(server.proc.pid, tid=server.proc.pid)


async def student(url: str, moves: int = 1):
    """Open the link, wait for its run, move Hidden layers one notch (its key: w_hidden_layers, or w_layers in older
    checkouts) and back, `moves` times in all, each time waiting for that run, leave."""
    s = Session(url)
    await s.open()
    try:
        await s.run()
        key = next(k for k in s.widgets if k in ("w_hidden_layers", "w_layers"))
        for _ in range(moves):
            await s.run(s.move(key))
        if s.errors:
            raise RuntimeError(f"{url}: {s.errors[0]}")
    finally:
        await s.close()


async def measure(servers: list[Server], link: str, students: int, rounds: int, moves: int = 1,
                  idle: float = 0) -> tuple[dict, dict]:
    held = []
    for server in servers:  # one tab open on each, as in a lecture
        tab = Session(server.url + "/")
        await tab.open()
        await tab.run()
        held.append(tab)
    for server in servers:  # the first students train the runs
        for _ in range(3):
            await student(server.url + link, moves=2)
    per = {server.folder: [] for server in servers}  # (total, event loop) ms a student, a round each
    for _ in range(rounds):
        for server in servers:
            await asyncio.sleep(0.5)
            total, loop = server_cpu(server)
            for _ in range(students):
                await student(server.url + link, moves)
            await asyncio.sleep(0.5)  # the last messages sent, the session closed
            total2, loop2 = server_cpu(server)
            per[server.folder].append(((total2 - total) * 1e3 / students, (loop2 - loop) * 1e3 / students))
    idling = {}
    if idle:
        await asyncio.sleep(2)  # the last student's session gone
        before = {server.folder: server_cpu(server)[0] for server in servers}
        await asyncio.sleep(idle)
        idling = {server.folder: (server_cpu(server)[0] - before[server.folder]) * 1e3 / idle for server in servers}
    for tab in held:
        await tab.close()
    return per, idling


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=30, help="students one after another, a round")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--link", default="/Train?seed=4242", help="the lecturer's link (bench/students.py's)")
    ap.add_argument("--moves", type=int, default=1, choices=range(0, 11), metavar="0-10",
                    help="slider moves a student (0: the view alone; a move's cost is the difference)")
    ap.add_argument("--against", type=Path, help="another checkout's folder, measured in the same run")
    ap.add_argument("--idle", type=float, default=0, metavar="SECONDS",
                    help="then each server's CPU over this long with only its tab open (0: not measured)")
    args = ap.parse_args()
    if not 0 <= args.idle <= 600:
        ap.error("--idle: 0 to 600 seconds")
    (ROOT / "artifacts").mkdir(exist_ok=True)
    folders = [ROOT] + ([args.against.resolve()] if args.against else [])
    servers = []
    try:
        for folder in folders:
            servers.append(checkout(folder))
        per, idling = asyncio.run(measure(servers, args.link, args.students, args.rounds, args.moves, args.idle))
    finally:
        for server in servers:
            server.stop()
    moved = {0: "", 1: " Hidden layers moved, its run,"}.get(args.moves,
                                                             f" Hidden layers moved {args.moves} times, each run,")
    print(f"a cached student ({args.link}: opened, its run,{moved} left), {args.students} "
          f"one after another a round, {args.rounds} rounds interleaved; the server's CPU a student:")
    for folder, rounds in per.items():
        totals, loops = [t for t, _ in rounds], [lp for _, lp in rounds]
        print(f"  {folder}: {statistics.median(totals):.1f} ms (rounds {min(totals):.1f}-{max(totals):.1f}), of which "
              f"the event loop {statistics.median(loops):.1f} ms and the script runs and the rest "
              f"{statistics.median([t - lp for t, lp in rounds]):.1f} ms")
    for folder, ms in idling.items():
        print(f"  {folder} idle, its tab open, over {args.idle:g} s: {ms:.2f} ms of CPU a second "
              f"({ms / 10:.2f} % of a core; read in ticks of {1e3 / os.sysconf('SC_CLK_TCK'):g} ms)")
    if args.against:
        ratios = [a / b for (a, _), (b, _) in zip(per[ROOT], per[args.against.resolve()])]
        print(f"  this checkout against {args.against}: x{statistics.median(ratios):.2f} (round by round "
              f"{min(ratios):.2f}-{max(ratios):.2f}; halved would be x0.50)")


if __name__ == "__main__":
    main()
