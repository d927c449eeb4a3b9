"""A live class at the protocol level (bench/students.py --follow N): N students follow the lecturer's screen,
no browser. What a browser tab does, each student does: opens the students' link (`/?class=CODE`), lets its
page's fragment timers run (a follower's look at the lecturer's view every 2 s, ui/live.py), takes the
lecturer's page over when it changes, and answers the question the lecturer asks.

Measured, in this order, against the server's own CPU clock:
1. the class joins: N students open the link within `within` seconds and show the Lesson's first step;
2. idle: nothing changes for `idle` seconds: the server's CPU for N idle followers, as a share of one core;
3. the lecturer presses Next (`moves` times): seconds from the click until each follower shows the new step's
   heading (the step's runs are trained before the class joins, as a lecturer who rehearsed has them);
4. the lecturer asks the step's question; every student answers within `answer_within` seconds (a random
   moment each, a random answer each): each answer counted exactly once (the lecturer's chart's counts against
   what was sent), and the seconds from the last answer's run until the lecturer's chart shows them all;
5. the lecturer opens Train (every follower takes the page over whole: seconds until each shows it), then moves its
   step slider `moves` times, as Play shares a step: seconds until each follower's slider shows the step, and the
   server's CPU a follower (Train's run is trained before the class joins, as for the Lesson's steps); then plays
   for 15 s: the frames the lecturer's own page drew, and how often the followers' pages moved with it.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import statistics
import time
from dataclasses import dataclass, field

from protocol import Session

import i18n

STEP_OF = {i18n.tr(f"lesson.{i}.title", "en"): i for i in range(1, 10)}  # a Lesson step's heading → its step


@dataclass
class Tab:
    """One open tab (a student's or the lecturer's) and what it has shown, read as the messages come."""
    session: Session
    shown: dict = field(default_factory=dict)  # Lesson step → the moment its heading first arrived
    at: dict = field(default_factory=dict)  # Train's or Chain rule's step (the slider "w_at" or "w_step") → the moment
    # the slider first showed it
    reader: asyncio.Task | None = None
    timers: asyncio.Task | None = None
    answered: tuple | None = None  # (question number, choice, the moment its run ended)
    opened: float = 0.0  # the moment the student opened the link
    ends: list = field(default_factory=list)  # (the moment, the address, a run of the whole page?) of each run's end

    def step(self) -> int | None:
        """The Lesson step the page shows now."""
        for element in self.session.elements.values():
            if element.WhichOneof("type") == "heading" and element.heading.body in STEP_OF:
                return STEP_OF[element.heading.body]
        return None

    async def read(self):
        """Every message, as the browser takes it; notes the moment each Lesson step's heading arrives."""
        s = self.session
        while True:
            kind, what = s.take(await s.ws.recv())
            if what == "heading" or kind == "finished":  # (at a run's end: a heading at a new place, the old gone)
                step = self.step()
                if step is not None:
                    self.shown.setdefault(step, time.perf_counter())
            elif what == "slider":
                for key in ("w_at", "w_step"):
                    if key in s.widgets:
                        slider = s.widgets[key][1]
                        step = int((slider.value if slider.set_value else slider.default)[0])
                        self.at.setdefault(step, time.perf_counter())
            if kind == "finished":
                self.ends.append((time.perf_counter(), s.query or "", not s.fragment_run))
            if kind == "finished" and self.answered and len(self.answered) == 2:
                self.answered = (*self.answered, time.perf_counter())

    def start(self, stop: asyncio.Event):
        self.reader = asyncio.create_task(self.read())
        self.timers = asyncio.create_task(self.session.timers(stop))

    async def close(self):
        for task in (self.reader, self.timers):
            if task is not None:
                task.cancel()
        await self.session.close()


async def open_class(base: str) -> tuple[str, str]:
    """The Presenter-link page's *Start a live class*: the class's code and the lecturer's key (from the address
    bar the page then sets)."""
    s = Session(base + "/Presenter")
    await s.open()
    await s.run()
    await s.run(("b_start_class", True))
    query = dict(part.split("=", 1) for part in (s.query or "").split("&") if "=" in part)
    await s.close()
    if not query.get("class") or not query.get("key"):
        raise RuntimeError("the Presenter page made no class (is the class store reachable?)")
    return query["class"], query["key"]


async def rehearse(base: str, steps: range):
    """The lecturer's rehearsal: each step opened once, so its runs are in the run store before the class."""
    for step in steps:
        s = Session(f"{base}/Lesson?lesson={step}")
        await s.open()
        await s.run(timeout=600)
        await s.close()


async def until(check, timeout: float, every: float = 0.05) -> bool:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(every)
    return True


def tally_of(tab: Tab, total: int) -> list[int] | None:
    """The counts the lecturer's answers chart shows, once its axis says `total` answered (else None)."""
    import pyarrow as pa

    title = json.dumps(i18n.tr("class.answers", "en", n=total))
    for element in tab.session.elements.values():
        if element.WhichOneof("type") == "vega_lite_chart" and title in element.vega_lite_chart.spec:
            for dataset in element.vega_lite_chart.datasets:
                table = pa.ipc.open_stream(io.BytesIO(dataset.data.data)).read_all().to_pandas()
                if "count" in table:
                    return [int(c) for c in table["count"]]
    return None


async def lesson_class(base: str, n: int, watch, *, within: float = 20, idle: float = 20, moves: int = 2,
                       answer_within: float = 10, seed: int = 0, timeout: float = 60, replicas=()) -> dict:
    """`replicas`: the servers' own URLs behind `base` (nginx), each rehearsed."""
    rng = random.Random(seed)
    for server in replicas or [base]:
        await rehearse(server, range(1, 2 + moves))
        for query in ("", "?layers=2"):  # … and Train's runs (step 5: the lecturer moves Hidden layers too)
            s = Session(f"{server}/Train{query}")
            await s.open()
            await s.run(timeout=600)
            await s.close()
    code, key = await open_class(base)
    stop = asyncio.Event()
    lecturer = Tab(Session(f"{base}/Lesson?class={code}&key={key}&lesson=1&presenter=1"))
    await lecturer.session.open()
    await lecturer.session.run()
    lecturer.start(stop)
    tabs, errors = [], []

    async def join(delay: float):
        await asyncio.sleep(delay)
        tab = Tab(Session(f"{base}/?class={code}"), opened=time.perf_counter())
        tabs.append(tab)
        try:
            await tab.session.open()
            await tab.session.send()
            tab.start(stop)
        except Exception as e:  # noqa: BLE001  (a refused connection is that student's error)
            errors.append(f"joining: {type(e).__name__}: {str(e)[:120]}")

    await asyncio.gather(*(join(rng.uniform(0, within)) for _ in range(n)))
    joined = await until(lambda: all(1 in tab.shown for tab in tabs), timeout)
    join_s = [tab.shown[1] - tab.opened for tab in tabs if 1 in tab.shown]
    result = {"n": n, "code": code, "replicas": len(replicas) or 1, "within": within, "join_s": join_s,
              "joined": sum(1 in tab.shown for tab in tabs), "join_all": joined, "moves": [], "errors": errors}

    await asyncio.sleep(3)  # the joins' last runs end
    cpu0, w0 = watch.cpu_s(), time.perf_counter()
    await asyncio.sleep(idle)
    result["idle_cpu"] = (watch.cpu_s() - cpu0) / (time.perf_counter() - w0)  # a share of one core

    for step in range(2, 2 + moves):
        click, cpu0, own0 = time.perf_counter(), watch.cpu_s(), time.process_time()
        await lecturer.session.send(("next_top", True))
        await until(lambda step=step: all(step in tab.shown for tab in tabs), timeout)
        await asyncio.sleep(1)  # the pages' runs end after their headings
        result["moves"].append((step, [tab.shown[step] - click for tab in tabs if step in tab.shown],
                                watch.cpu_s() - cpu0, time.process_time() - own0))
        errors += [f"a follower still shows step {tab.step()} (its address: {tab.session.query}; "
                   f"{len(tab.session.auto)} fragment timers; session {tab.session.session_id}; the Next at "
                   f"{click:.2f}; its last messages: {tab.session.log})" for tab in tabs if step not in tab.shown]
        await asyncio.sleep(3)

    # the question of the step on screen; every student answers once, at a random moment within answer_within
    asked = time.perf_counter()
    await lecturer.session.send(("b_ask", True))
    plan = []

    async def answer(tab: Tab):
        if not await until(lambda: any(k.startswith("answer_") for k in tab.session.widgets), timeout):
            errors.append("no question reached a student")
            return
        number = next(k for k in tab.session.widgets if k.startswith("answer_"))
        choices = len(tab.session.widgets[number][1].options)
        await asyncio.sleep(max(0.0, asked + rng.uniform(0, answer_within) - time.perf_counter()))
        choice = rng.randrange(choices)
        plan.append(choice)
        tab.answered = (number, choice)
        await tab.session.send((number, choice))

    await asyncio.gather(*(answer(tab) for tab in tabs))
    await until(lambda: all(tab.answered and len(tab.answered) == 3 for tab in tabs), timeout)
    last = max((tab.answered[2] for tab in tabs if tab.answered and len(tab.answered) == 3), default=None)
    total = len(plan)
    shown = await until(lambda: tally_of(lecturer, total) is not None, timeout)
    result["answers"] = total
    result["answers_s"] = (last - asked) if last else None
    result["chart_lag"] = (time.perf_counter() - last) if shown and last else None
    counts = tally_of(lecturer, total) or []
    result["counted"] = counts
    result["planned"] = [plan.count(i) for i in range(len(counts))] if counts else []
    await train_steps(base, code, key, lecturer, tabs, watch, result, moves, timeout, stop)
    stop.set()
    result["tab_errors"] = [e for tab in [lecturer, *tabs] for e in tab.session.errors]
    await asyncio.gather(*(tab.close() for tab in [lecturer, *tabs]), return_exceptions=True)
    return result


async def train_steps(base, code, key, lesson_tab: Tab, tabs, watch, result, moves, timeout, stop):
    """Step 5: the lecturer leaves the Lesson for Train (a tab of its own), then moves Train's step slider."""
    errors = result["errors"]
    await lesson_tab.close()
    lecturer = Tab(Session(f"{base}/Train?class={code}&key={key}&presenter=1"))
    opened, cpu0 = time.perf_counter(), watch.cpu_s()
    await lecturer.session.open()
    await lecturer.session.run()
    lecturer.start(stop)
    await until(lambda: all(tab.at for tab in tabs), timeout)
    result["train_open"] = ([min(tab.at.values()) - opened for tab in tabs if tab.at], watch.cpu_s() - cpu0)
    await asyncio.sleep(3)
    result["train_moves"] = []
    for step in [2000 * (i + 1) for i in range(moves)]:
        click, cpu0 = time.perf_counter(), watch.cpu_s()
        await lecturer.session.send(("w_at", step))
        await until(lambda step=step: all(step in tab.at for tab in tabs), timeout)
        await asyncio.sleep(1)  # the pages' runs end after their sliders
        result["train_moves"].append((step, [tab.at[step] - click for tab in tabs if step in tab.at],
                                      watch.cpu_s() - cpu0))
        errors += [f"a follower's Train never showed step {step} (its address: {tab.session.query}; its last "
                   f"messages: {tab.session.log})" for tab in tabs if step not in tab.at]
        await asyncio.sleep(3)
    # a moved setting: Hidden layers 1 → 2 and back (each run trained before the class, as a rehearsed lecture has
    # them); the moment each follower's page ends a run that shows it, and whether that run was of the whole page
    result["train_settings"] = []
    for layers in (2, 1):
        click, cpu0 = time.perf_counter(), watch.cpu_s()
        await lecturer.session.send(("w_hidden_layers", layers))

        def shown(tab, layers=layers, click=click):
            return next((t for t, query, _ in tab.ends if t >= click
                         and (f"layers={layers}" in query.split("&") if layers != 1 else "layers=" not in query)), None)
        await until(lambda: all(shown(tab) for tab in tabs), timeout)
        await asyncio.sleep(1)  # the pages' runs end
        whole = sum(any(t >= click and page for t, _, page in tab.ends) for tab in tabs)
        result["train_settings"].append((layers, [shown(tab) - click for tab in tabs if shown(tab)],
                                         watch.cpu_s() - cpu0, whole))
        errors += [f"a follower's Train never showed {layers} hidden layers (its address: {tab.session.query})"
                   for tab in tabs if not shown(tab)]
        await asyncio.sleep(3)
    # Play on the lecturer's page for PLAY_S seconds (×10 steps a frame): the frames its own page drew, and the
    # steps Play sent that the followers showed (ui.live.played_step sends one every share_every(followers) s)
    start, cpu0 = time.perf_counter(), watch.cpu_s()
    await lecturer.session.send(("b_play_at", True))
    await asyncio.sleep(PLAY_S)
    await lecturer.session.send(("b_pause_at", True))
    end = time.perf_counter()
    frames = sum(start <= t <= end for t in lecturer.at.values())
    moved = [sum(start <= t <= end + 1 for t in tab.at.values()) for tab in tabs]
    result["play"] = (frames, moved, watch.cpu_s() - cpu0)
    await asyncio.sleep(3)
    await lecturer.close()


PLAY_S = 15.0  # seconds of the lecturer's Play (step 5)


def report(r: dict, percentile) -> str:
    def spread(values):
        if not values:
            return "none"
        return f"p50 {statistics.median(values):.2f} s, p95 {percentile(values, 0.95):.2f} s, max {max(values):.2f} s"

    lines = [f"a live class of {r['n']} followers (class {r['code']}), one lecturer on the Lesson"
             + (f", {r['replicas']} replicas" if r.get("replicas", 1) > 1 else ""),
             f"  joined within {r['within']:.0f} s, each showing step 1 {spread(r['join_s'])} after opening the link "
             f"({r['joined']} of {r['n']})",
             f"  server CPU while {r['n']} followers sit idle: {100 * r['idle_cpu']:.1f} % of one core"]
    for step, seconds, server, client in r["moves"]:
        lines.append(f"  the lecturer's Next → step {step} on the followers' pages: {len(seconds)} of {r['n']}, "
                     f"{spread(seconds)}; server CPU {server:.1f} s ({1e3 * server / r['n']:.0f} ms a follower), "
                     f"this client's own {client:.1f} s on the same cores")
    if r["chart_lag"] is None:
        lines.append(f"  answers: {r['answers']} sent; the lecturer's chart never showed them all")
    else:
        lines.append(f"  answers: {r['answers']} sent within {r['answers_s']:.1f} s; the lecturer's chart counts "
                     f"{sum(r['counted'])} ({r['counted']} against {r['planned']} sent: "
                     f"{'each counted once' if r['counted'] == r['planned'] else 'NOT the same'}), "
                     f"{r['chart_lag']:.2f} s after the last answer's run")
    if "train_open" in r:
        seconds, server = r["train_open"]
        lines.append(f"  the lecturer opens Train → Train on the followers' pages (taken over whole): "
                     f"{len(seconds)} of {r['n']}, {spread(seconds)}; server CPU {server:.1f} s "
                     f"({1e3 * server / r['n']:.0f} ms a follower)")
        for step, seconds, server in r["train_moves"]:
            lines.append(f"  the lecturer's Train step → {step:,} on the followers' pages (as Play shares a step): "
                         f"{len(seconds)} of {r['n']}, {spread(seconds)}; server CPU {server:.1f} s "
                         f"({1e3 * server / r['n']:.0f} ms a follower)")
    for layers, seconds, server, whole in r.get("train_settings", []):
        lines.append(f"  the lecturer's Hidden layers → {layers} on Train → the new net on the followers' pages: "
                     f"{len(seconds)} of {r['n']}, {spread(seconds)}; server CPU {server:.1f} s "
                     f"({1e3 * server / r['n']:.0f} ms a follower); pages that ran whole: {whole}")
    if "play" in r:
        frames, moved, server = r["play"]
        lines.append(f"  the lecturer's Play on Train for {PLAY_S:.0f} s (×10 a frame): the lecturer's page drew "
                     f"{frames} frames; the followers' pages moved {statistics.median(moved):.0f} times each (median; "
                     f"{min(moved)}–{max(moved)}); server CPU {server:.1f} s")
    errors = r["errors"] + r["tab_errors"]
    lines.append(f"  errors: {len(errors)}" + "".join(f"\n    {e}" for e in errors[:40]))
    return "\n".join(lines)
