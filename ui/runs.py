"""Runs and sweeps for the pages: one bounded store shared by every session, one training per config at a
time, streamed with a progress bar, abandoned at once when a slider moves (what to say about a run: notices.py).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import streamlit as st
import torch
from streamlit.logger import get_logger

import mlp

from .session import fragment, t
from .turns import Turns

LOG = get_logger("xor_mlp")


class RunStore:
    """Finished runs by Config, least recently used dropped first, bounded in count and bytes.

    Holds numpy arrays only (no torch tensors, nothing on a GPU). Two sessions asking for the same
    config at once train it once: the second waits for the first.
    """

    def __init__(self, max_entries: int = 48, max_bytes: int = 256 << 20):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.runs: OrderedDict = OrderedDict()
        self.training: dict = {}
        self.lock = threading.Lock()

    @staticmethod
    def size(result) -> int:
        """Bytes of the numpy arrays a Run or Sweep holds (its snapshots included)."""
        values = list(vars(result).values()) + list(getattr(result, "snapshots", {}).values())
        return sum(v.nbytes for v in values if hasattr(v, "nbytes"))

    def get(self, config):
        with self.lock:
            run = self.runs.get(config)
            if run is not None:
                self.runs.move_to_end(config)
            return run

    def put(self, config, run):
        with self.lock:
            self.runs[config] = run
            self.runs.move_to_end(config)
            while len(self.runs) > self.max_entries or (
                    len(self.runs) > 1 and sum(map(self.size, self.runs.values())) > self.max_bytes):
                self.runs.popitem(last=False)

    @contextmanager
    def claim(self, config, waiting=lambda: None):
        """Yield True if this caller should train `config`; False if another finished it meanwhile.
        While another trains it, `waiting()` is called every half second (the page: a rerun may end the wait)."""
        while True:
            with self.lock:
                if config in self.runs:
                    owner = False
                    break
                event = self.training.get(config)
                if event is None:
                    event = self.training[config] = threading.Event()
                    owner = True
                    break
            while not event.wait(0.5):  # not more often: in a lecture burst, 150 sessions may be waiting here
                waiting()
        try:
            yield owner
        finally:
            if owner:
                with self.lock:
                    self.training.pop(config, None)
                event.set()


@st.cache_resource(show_spinner=False)
def store() -> RunStore:
    return RunStore()


# Trainings at once, for all sessions, the rest in line (ui/turns.py): one run, and one sweep or map. With one
# run at a time, the pages that only draw a cached run stay quick (measured with bench/students.py: the
# lecturer's link, 200 students, p50 12 s with 1 run at a time against 16–20 s with 2; the GIL runs one
# thread at a time anyway). A run that has used SLICE seconds of CPU lets whoever waits go first.
TRAIN_SLOTS, SLICE = 1, 1.0
_HELD = threading.local()  # this thread's Turn while it trains: _train_streaming shares it


@st.cache_resource(show_spinner=False)
def turns(line: str) -> Turns:
    return Turns(TRAIN_SLOTS)


def in_turn(line: str, compute):
    """compute() when this session's turn comes in `line` (the lecturer's presenter view first); while it
    waits, the page says so and how many are ahead, instead of looking frozen."""
    box, said = [], [None]

    def waiting(ahead):
        if ahead is None:  # its turn has come
            box[0].empty()
            said[0] = None
        elif ahead != said[0]:  # a message only when the line moved
            if not box:
                box.append(st.empty())
            box[0].info(t("msg.busy", ahead=ahead), icon="⏳")
            said[0] = ahead

    with turns(line).turn(0 if st.session_state.get("presenter") else 1, waiting) as held:
        _HELD.turn = held
        try:
            return compute()
        finally:
            _HELD.turn = None


def train(config: mlp.Config, draw=None, timing=None):
    """The run for `config`: from the cache, or trained now with a progress bar and `draw(run)`
    called a few times a second while it streams. A rerun (a slider moved) abandons it at once.
    `timing`: the sidebar's place for the measured time per step (ui.page_frame gives it), for the run of the
    sidebar's own settings."""
    run = cached(config, lambda: _train_streaming(config, draw), complete=lambda r: not r.stopped)
    show_timing(timing, t("timing.run", per_step=per_step_text(run.seconds_per_step), device=run.device,
                          steps=f"{run.steps_done:,}"))
    return run


def show_timing(timing, text: str):
    """The measured speed, under the Device control (under "Advanced" while it is folded): when does a GPU help, and
    when not? (timing: None, nothing)"""
    if timing is not None:
        timing.caption(text)


def per_step_text(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms/step" if seconds > 1e-3 else f"{seconds * 1e6:,.1f} µs/step"


def rerun_point():
    """Where a rerun (a slider moved, the student left) may end this script run: Streamlit checks for one at every
    read of session state, so a wait that calls this twice a second stops as soon as nobody needs its result."""
    "lang" in st.session_state  # noqa: B015  (the read is the point)


def cached(key, compute, complete=lambda result: True):
    """The stored result for key, or compute() now (once, however many sessions ask at the same time)."""
    runs = store()
    result = runs.get(key)
    if result is None:
        with runs.claim(key, waiting=rerun_point) as owner:
            result = runs.get(key) if not owner else None
            if result is None:
                LOG.info("training %s", key)  # the load script counts these: one per config, however many ask
                result = in_turn("run" if isinstance(key, mlp.Config) else "nets", compute)
                if complete(result):
                    runs.put(key, result)
    return result


def sweep(config: mlp.Config, n_seeds: int, timing=None):
    """mlp.sweep from the shared store, or trained now with a progress bar; its measured time per net into
    `timing` (as train's)."""

    def compute():
        bar = st.progress(0.0, text=t("msg.sweeping", n=f"{n_seeds:,}", step=0, steps=f"{config.steps:,}"))
        last = [0.0]

        def on_step(step, steps):
            if time.perf_counter() - last[0] > 0.1:
                bar.progress(step / steps, text=t("msg.sweeping", n=f"{n_seeds:,}", step=f"{step:,}",
                                                  steps=f"{steps:,}"))
                last[0] = time.perf_counter()

        try:
            return mlp.sweep(config, n_seeds, on_step=on_step)
        finally:
            bar.empty()

    result = cached(("sweep", config, n_seeds), compute, complete=lambda r: r.steps_done == config.steps)
    per_net = per_step_text(1 / result.model_steps_per_second).replace("/step", "")
    show_timing(timing, t("timing.sweep", per_step=per_net, device=result.device, n=f"{n_seeds:,}"))
    return result


REDRAW, FIRST_DRAW, DRAW_SHARE = 0.35, 0.6, 0.2  # see _train_streaming


def _train_streaming(config, draw):
    """Train with a progress bar and partial charts. The partial charts are timed by this thread's own CPU
    time, not the clock: the first after 0.6 s of training work (a run shorter than that, the default 10,001
    steps, goes straight to its final chart), then every 0.35 s of work, and never more than a fifth of it
    (a slow chart waits longer). When 200 students open the link at once the clock runs slow for every
    thread: counted by the clock, each run would stop to draw ever more partial charts, each costing the
    others' time (measured with bench/students.py: most of a burst's CPU went to them)."""
    bar = st.progress(0.0, text=t("msg.training_start"))
    # a run on a GPU waits for it, not on this thread's CPU: its partial charts go by the clock
    cpu = time.thread_time if mlp.resolve_device(config.device, config) == "cpu" else time.perf_counter
    last = {"bar": 0.0, "draw": cpu() + FIRST_DRAW - REDRAW, "wait": REDRAW, "step": 0, "turn": time.thread_time()}

    def on_step(p):
        last["step"] = p.step
        now = time.perf_counter()
        if now - last["bar"] > 0.1:  # every st call is also where a rerun can interrupt the run
            bar.progress(p.step / p.steps, text=t("msg.training", step=f"{p.step:,}", steps=f"{p.steps:,}"))
            last["bar"] = now
        if draw is not None and cpu() - last["draw"] > last["wait"] and p.step < p.steps:
            started = cpu()
            draw(p.run)
            last["draw"] = cpu()
            last["wait"] = max(REDRAW, (last["draw"] - started) * (1 - DRAW_SHARE) / DRAW_SHARE)
        held = getattr(_HELD, "turn", None)
        if held is not None and time.thread_time() - last["turn"] > SLICE:
            held.share()  # whoever waits goes first; this run goes on when its turn comes back
            last["turn"] = time.thread_time()

    try:
        return mlp.train(config, on_step=on_step)
    except BaseException:  # a rerun (a slider moved) or a stop: the run is abandoned and its buffers freed
        LOG.info("abandoned %s at step %d", config, last["step"])
        raise
    finally:
        bar.empty()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()  # the run keeps numpy arrays only; give its GPU memory back


def solved_costs() -> dict:
    """The costs below which a run counts as solved (with its points right), as texts name them: {bce_cost, mse_cost}
    from the loss table, so a sentence that states the threshold states the engine's."""
    return {f"{name}_cost": f"{loss.solved:g}" for name, loss in mlp.losses.LOSSES.items()}


# A map trains in a thread of its own, so that the page's script ends at once and its controls stay usable while
# the cells fill in (a moved control starts another map, or draws a stored one); the page's fragment draws the map
# so far every MAP_POLL seconds. A map nobody has looked at for MAP_ABANDON seconds stops at its next batch.
MAP_POLL, MAP_FIRST_WAIT, MAP_ABANDON = 0.7, 1.0, 10.0


class _Abandoned(Exception):
    pass


class MapJob:
    """mlp.hyper_map of one (config, rows, cols, n_seeds), running in a thread: its map so far (`partial`), its
    place in line while it waits for a turn (`ahead`), and once `done` is set, its `result` (also put in the
    store) or its `error`."""

    def __init__(self, key, priority: int):
        self.key, self.priority = key, priority
        self.runs, self.line = store(), turns("nets")  # taken here: the thread has no script run to look them up
        self.partial = self.result = self.error = self.ahead = None
        self.seen = time.monotonic()  # when a page last looked at it
        self.done = threading.Event()
        threading.Thread(target=self._run, name="map", daemon=True).start()

    def _run(self):
        _, config, rows, cols, n_seeds = self.key
        try:
            with self.line.turn(self.priority, self._waiting):
                self.ahead = None
                LOG.info("training %s", self.key)
                self.result = mlp.hyper_map(config, rows, cols, n_seeds, on_cell=self._cell)
            self.runs.put(self.key, self.result)
        except _Abandoned:
            LOG.info("map abandoned: nobody looked at it for %.0f s", MAP_ABANDON)
        except Exception as e:  # noqa: BLE001  (the page says it; the server goes on)
            LOG.exception("map failed")
            self.error = e
        finally:
            self.done.set()

    def _still_wanted(self):
        if time.monotonic() - self.seen > MAP_ABANDON:
            raise _Abandoned

    def _waiting(self, ahead):
        self.ahead = ahead
        self._still_wanted()

    def _cell(self, partial):
        self.partial = partial
        self._still_wanted()


@st.cache_resource(show_spinner=False)
def map_jobs() -> dict:
    """The maps training now, by key: a second session asking for the same map follows the same job."""
    return {}


_JOBS_LOCK = threading.Lock()


def map_job(config: mlp.Config, rows: tuple, cols: tuple, n_seeds: int) -> MapJob:
    """The job training this map: the one under way, or one that failed and has not been said yet (hyper_map says
    it, once); else a new one."""
    key = ("map", config, rows, cols, n_seeds)
    jobs = map_jobs()
    with _JOBS_LOCK:
        for old in [k for k, other in jobs.items() if other.done.is_set() and other.error is None]:
            del jobs[old]  # finished (the map is in the store) or abandoned; a failed one waits to be said
        job = jobs.get(key)
        if job is None:
            job = jobs[key] = MapJob(key, 0 if st.session_state.get("presenter") else 1)
    job.seen = time.monotonic()
    return job


def hyper_map(config: mlp.Config, rows: tuple, cols: tuple, n_seeds: int, draw=None):
    """The finished map from the store (or from a job that finishes within MAP_FIRST_WAIT); else None, and a
    fragment here draws the map so far (`draw(partial)`) with a progress bar until it is done, then reruns the
    page, which finds it in the store. A map that failed raises its error here. The sidebar's own value of an axis
    changes nothing in the map (each cell sets it): the map is kept and trained with the default there."""
    config = replace(config, **{axis: getattr(mlp.Config(), axis) for axis in (rows[0], cols[0])})
    result = store().get(("map", config, rows, cols, n_seeds))
    if result is not None:
        return result
    job = map_job(config, rows, cols, n_seeds)
    job.done.wait(MAP_FIRST_WAIT)
    if job.error is not None:
        with _JOBS_LOCK:
            if map_jobs().get(job.key) is job:
                del map_jobs()[job.key]  # said once, here: the next ask tries again
        raise job.error
    if job.result is not None:
        return job.result
    cells = len(rows[1]) * len(cols[1])

    @fragment(run_every=MAP_POLL)
    def follow():
        job.seen = time.monotonic()
        if job.done.is_set():
            st.rerun()  # the whole page: the finished map with its links, or the error, or a job started anew
        partial = job.partial
        if job.ahead:
            st.info(t("msg.busy", ahead=job.ahead), icon="⏳")
        done = 0 if partial is None else int((~np.isnan(partial.solved_fraction)).sum())
        st.progress(done / cells, text=t("msg.mapping", done=done, cells=cells, n=n_seeds))
        if partial is not None and draw is not None:
            draw(partial)

    follow()
    return None
