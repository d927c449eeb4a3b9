"""The app's one UI helper: the shared sidebar, its state in the URL, the run cache, and streaming.

Every page calls `page(...)` then `sidebar()`, which renders the same controls on every page (plain
`pages/` discovery, no st.navigation, so a deep link to any page works on a fresh server) and
returns the Config they describe. The controls live in session state (they survive page switches)
and in the URL (a copied link reproduces the view). Links are parsed here, never eval'd: a value
that is not allowed is ignored with a visible note, and the default is used.
"""

from __future__ import annotations

import html
import json
import math
import re
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, replace

import streamlit as st
import torch
from streamlit.errors import StreamlitAPIException

import mlp
from mlp import charts

LR_OPTIONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
STEPS_MAX = mlp.LIMITS["steps"][1]
SEED_MAX = mlp.LIMITS["seed"][1]
BACKEND_LABELS = {"manual": "hand-written chain rule", "autograd": "autograd (torch.nn + backward)"}


# --- the controls, their URL names, and how a URL value is checked ---

@dataclass(frozen=True)
class Control:
    key: str  # URL parameter and widget key
    field: str  # the Config field it sets ("" for a page-only control)
    label: str
    default: object
    kind: str  # "int", "choice", "lr", "bool"
    lo: int = 0
    hi: int = 0
    choices: tuple = ()

    def parse(self, raw: str):
        """The value a URL string stands for; ValueError with the reason if it is not allowed."""
        text = raw.strip()
        if self.kind == "int":
            if not re.fullmatch(r"[+-]?\d{1,12}", text):
                raise ValueError(f"a whole number from {self.lo:,} to {self.hi:,}")
            value = int(text)
            if not self.lo <= value <= self.hi:
                raise ValueError(f"a whole number from {self.lo:,} to {self.hi:,}")
            return value
        if self.kind == "lr":
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            for option in LR_OPTIONS:
                if math.isfinite(value) and abs(value - option) <= 1e-9 * option:
                    return option
            raise ValueError("one of " + ", ".join(f"{v:g}" for v in LR_OPTIONS))
        if self.kind == "pins":
            return parse_pins(text)
        if self.kind == "bool":
            if text.lower() in ("1", "true", "on", "yes"):
                return True
            if text.lower() in ("0", "false", "off", "no"):
                return False
            raise ValueError("1 or 0")
        if text.lower() in self.choices:
            return text.lower()
        raise ValueError("one of " + ", ".join(self.choices))

    def to_url(self, value) -> str:
        if self.kind == "pins":
            return "~".join(",".join(f"{k}:{BY_KEY[k].to_url(v)}" for k, v in pin) for pin in value)
        if self.kind == "bool":
            return "1" if value else "0"
        return f"{value:g}" if self.kind == "lr" else str(value)


D = mlp.Config()
CONTROLS = [
    Control("data", "dataset", "Dataset", D.dataset, "choice", choices=tuple(mlp.DATASETS)),
    Control("layers", "hidden_layers", "Hidden layers", D.hidden_layers, "int", 0, 8),
    Control("width", "width", "Width (units per hidden layer)", D.width, "int", 1, 64),
    Control("act", "activation", "Activation", D.activation, "choice", choices=tuple(mlp.ACTIVATIONS)),
    Control("init", "init", "Init", D.init, "choice", choices=tuple(mlp.INITS)),
    Control("lr", "lr", "Learning rate", D.lr, "lr"),
    Control("backend", "backend", "Backend", D.backend, "choice", choices=tuple(mlp.BACKENDS)),
    Control("device", "device", "Device", D.device, "choice", choices=("auto", "cpu", "cuda")),
    Control("steps", "steps", "Steps", D.steps, "int", 1, STEPS_MAX),
    Control("seed", "seed", "Seed", D.seed, "int", 0, SEED_MAX),
]
SIDEBAR_KEYS = {c.key for c in CONTROLS}
BY_KEY = {c.key: c for c in CONTROLS}
MAX_PINS = 8


def parse_pins(text: str) -> tuple:
    """'layers:3,width:10~layers:0' → ((('layers', 3), ('width', 10)), (('layers', 0),)): pinned runs as
    the settings that differ from the defaults. Any bad part makes the whole value invalid."""
    pins = []
    for part in text.split("~")[: MAX_PINS + 1]:
        pin = {}
        for item in filter(None, part.split(",")):
            key, sep, value = item.partition(":")
            if not sep or key not in BY_KEY:
                raise ValueError("runs written as key:value pairs, e.g. layers:3,width:10~layers:0")
            pin[key] = BY_KEY[key].parse(value)
        pins.append(tuple(sorted(pin.items())))
    if len(pins) > MAX_PINS:
        raise ValueError(f"at most {MAX_PINS} runs")
    return tuple(pins)


def config_of(pin) -> mlp.Config:
    values = {c.field: c.default for c in CONTROLS}
    values.update({BY_KEY[k].field: v for k, v in pin})
    if values["device"] == "cuda" and not torch.cuda.is_available():
        values["device"] = "cpu"
    return mlp.Config(**values)


def link(page_path: str, **changes) -> str:
    """A relative link to a page with the current sidebar settings, changed as given (e.g. seed=5)."""
    from urllib.parse import urlencode

    values = {c.key: st.session_state.get(c.key, c.default) for c in CONTROLS}
    values.update(changes)
    query = {k: BY_KEY[k].to_url(v) for k, v in values.items() if v != BY_KEY[k].default}
    return f"{page_path}?{urlencode(query)}" if query else page_path


def current_pin() -> tuple:
    return tuple(sorted((c.key, st.session_state[c.key]) for c in CONTROLS
                        if st.session_state[c.key] != c.default))

PAGES = [  # (file, label, icon): the sidebar's own links, so that Home is not called "streamlit app"
    ("streamlit_app.py", "Home", ":material/home:"),
    ("pages/1_Train.py", "Train", ":material/show_chart:"),
    ("pages/2_Chain_rule.py", "Chain rule", ":material/account_tree:"),
    ("pages/3_Compare.py", "Compare", ":material/stacked_line_chart:"),
    ("pages/4_Robustness.py", "Robustness", ":material/grain:"),
]

PRESETS = {
    "Seed lab: 2-2-1": dict(layers=1, width=2, act="sigmoid", init="default", lr=1.0, data="xor", steps=10_001),
    "Seed lab: 2-10-10-10-1": dict(layers=3, width=10, act="sigmoid", init="default", lr=1.0, data="xor",
                                    steps=10_001),
    "Perceptron (no hidden layer)": dict(layers=0, act="sigmoid", init="default", lr=1.0, data="xor"),
    "Zero init": dict(layers=1, width=2, act="sigmoid", init="zeros", lr=1.0, data="xor"),
}


def safe_text(value, limit: int = 40) -> str:
    """A user-supplied string made harmless for a markdown note: short, and no markup characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    short = text[:limit] + ("…" if len(text) > limit else "")
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$&:-])", r"\\\1", short)  # markdown and directives escaped


def parse_query(params: dict, controls) -> tuple[dict, list[str]]:
    """URL parameters (name → list of strings) → (valid values by key, notes naming what was ignored)."""
    by_key = {c.key: c for c in controls}
    values, notes = {}, []
    for name, raw in params.items():
        raws = raw if isinstance(raw, list) else [raw]
        if name not in by_key:
            notes.append(f"Ignored the link's unknown setting '{safe_text(name, 24)}'.")
            continue
        control = by_key[name]
        if len(raws) > 1:
            notes.append(f"The link sets '{name}' {len(raws)} times; the last one counts.")
        try:
            values[name] = control.parse(str(raws[-1])[:200])
        except ValueError as e:
            notes.append(f"Ignored {name}={safe_text(raws[-1])} from the link: {control.label} must be {e}. "
                         f"Using {safe_text(control.to_url(control.default))}.")
    return values, notes


# --- page setup, state and URL ---

def page(title: str, icon: str = "🧠", local=()):
    """First call of every page: page config, then the URL → state load for this page's controls."""
    st.set_page_config(page_title=f"{title} · XOR MLP", page_icon=icon, layout="wide")
    loaded = st.session_state.setdefault("_url_loaded", set())
    known = CONTROLS + list(local)
    if title not in loaded:  # this page's first run in this session: take its settings from the URL
        params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
        values, notes = parse_query(params, known)
        for key, value in values.items():
            if key not in SIDEBAR_KEYS or "sidebar" not in loaded:  # later, the session's sidebar state rules
                st.session_state[key] = value
        st.session_state["_notes"] = notes
        loaded.update({title, "sidebar"})
    for c in known:
        st.session_state.setdefault(c.key, c.default)
    for note in st.session_state.get("_notes", []):
        st.warning(note, icon="🔗")
    st.session_state["_page_controls"] = list(local)


def sync_url():
    """Write the current settings into the URL (only those that differ from the defaults)."""
    want = {}
    for c in CONTROLS + st.session_state.get("_page_controls", []):
        value = st.session_state.get(c.key, c.default)
        if value != c.default:
            want[c.key] = c.to_url(value)
    if {k: st.query_params.get(k) for k in st.query_params.keys()} != want:
        st.query_params.from_dict(want)


def bound(widget, label, key, *args, **kwargs):
    """A widget showing the setting session_state[key]; moving it changes the setting.

    The setting lives under its own key, which Streamlit never cleans up (widget state is dropped or
    reset when another page draws the same widget); the widget's key is 'w_' + key.
    """
    st.session_state["w_" + key] = st.session_state[key]
    return widget(label, *args, key="w_" + key, on_change=_copy_from_widget, args=(key,), **kwargs)


def _copy_from_widget(key):
    st.session_state[key] = st.session_state["w_" + key]


def _apply_preset(values):
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state["_notes"] = []


def cuda_status() -> tuple[bool, str]:
    if torch.cuda.is_available():
        return True, torch.cuda.get_device_name(0)
    return False, mlp.cuda_unavailable_reason().replace("device='cuda' was asked for, but ", "").rstrip(".")


def sidebar() -> mlp.Config:
    """The shared controls (on every page); returns the Config they describe (always a valid one)."""
    has_cuda, cuda_text = cuda_status()
    s = st.sidebar
    for path, label, icon in PAGES:
        try:
            s.page_link(path, label=label, icon=icon)
        except StreamlitAPIException:  # a page started on its own (`streamlit run pages/…`) has no Home
            pass
    s.header("Network")
    s.caption("One click sets a net from the course lab:")
    for i, (name, values) in enumerate(PRESETS.items()):
        s.button(name, key=f"preset_{i}", on_click=_apply_preset, args=(values,), width="stretch")
    bound(s.slider, "Hidden layers", "layers", 0, 8, help="0 = a single perceptron, which cannot learn XOR")
    bound(s.slider, "Width", "width", 1, 64, help="units in each hidden layer")
    bound(s.select_slider, "Learning rate", "lr", options=LR_OPTIONS, format_func=lambda v: f"{v:g}",
          help="gradient-descent step size, log-spaced; the seed uses 1")
    bound(s.selectbox, "Activation", "act", list(mlp.ACTIVATIONS),
          help="used in every hidden layer; the output is always a sigmoid")
    s.header("Training")
    bound(s.radio, "Backend", "backend", list(mlp.BACKENDS), format_func=BACKEND_LABELS.get,
          help="the same net and weights; only how the gradients are computed differs")
    device_label = {"auto": "auto", "cpu": "cpu",
                    "cuda": "cuda" if has_cuda else "cuda (unavailable)"}
    bound(s.selectbox, "Device", "device", ["auto", "cpu", "cuda"], format_func=device_label.get,
          help=f"cuda: {cuda_text}")
    if st.session_state["device"] == "cuda" and not has_cuda:
        s.warning(f"cuda is unavailable here: {cuda_text}. Training runs on the cpu.", icon="⚠️")
    st.session_state["_timing_slot"] = s.empty()  # filled with the measured time per step once a run is here
    bound(s.selectbox, "Init", "init", list(mlp.INITS), format_func=lambda k: f"{k}: {mlp.INITS[k].about}")
    bound(s.selectbox, "Dataset", "data", list(mlp.DATASETS), format_func=lambda k: f"{k}: {mlp.DATASETS[k].about}")
    bound(s.number_input, "Steps", "steps", 1, STEPS_MAX, step=1000, help="the seed trains for 10,001 steps")
    bound(s.number_input, "Seed", "seed", 0, SEED_MAX, step=1, help="torch.manual_seed: the initial weights")
    config = config_from_state()
    sync_url()
    return config


def config_from_state() -> mlp.Config:
    ss = st.session_state
    device = ss["device"]
    if device == "cuda" and not torch.cuda.is_available():
        device = "cpu"
    values = {c.field: ss.get(c.key, c.default) for c in CONTROLS}
    values["device"] = device
    return mlp.Config(**values)


# --- runs: a bounded cache shared by all sessions; one training per config at a time ---

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
    def claim(self, config):
        """Yield True if this caller should train `config`; False if another finished it meanwhile."""
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
            while not event.wait(0.1):
                st.session_state["_waiting"] = time.time()  # an st call: lets a rerun interrupt the wait
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


def train(config: mlp.Config, draw=None):
    """The run for `config`: from the cache, or trained now with a progress bar and `draw(run)`
    called a few times a second while it streams. A rerun (a slider moved) abandons it at once."""
    run = cached(config, lambda: _train_streaming(config, draw), complete=lambda r: not r.stopped)
    show_timing(f"{per_step_text(run.seconds_per_step)} on {run.device} ({run.steps_done:,} steps)")
    return run


def show_timing(text: str):
    """The measured speed, under the Device control: when does a GPU help, and when not?"""
    slot = st.session_state.get("_timing_slot")
    if slot is not None:
        slot.caption(f"Measured: {text}")


def per_step_text(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms/step" if seconds > 1e-3 else f"{seconds * 1e6:,.1f} µs/step"


def cached(key, compute, complete=lambda result: True):
    """The stored result for key, or compute() now (once, however many sessions ask at the same time)."""
    runs = store()
    result = runs.get(key)
    if result is None:
        with runs.claim(key) as owner:
            result = runs.get(key) if not owner else None
            if result is None:
                result = compute()
                if complete(result):
                    runs.put(key, result)
    return result


def sweep(config: mlp.Config, n_seeds: int):
    """mlp.sweep from the shared store, or trained now with a progress bar."""

    def compute():
        bar = st.progress(0.0, text=f"Training {n_seeds:,} nets at once…")
        last = [0.0]

        def on_step(step, steps):
            if time.perf_counter() - last[0] > 0.1:
                bar.progress(step / steps, text=f"Training {n_seeds:,} nets at once… step {step:,} of {steps:,}")
                last[0] = time.perf_counter()

        try:
            return mlp.sweep(config, n_seeds, on_step=on_step)
        finally:
            bar.empty()

    result = cached(("sweep", config, n_seeds), compute, complete=lambda r: r.steps_done == config.steps)
    per_net = per_step_text(1 / result.model_steps_per_second).replace("/step", "")
    show_timing(f"{per_net} per net and step on {result.device}, {n_seeds:,} nets at once")
    return result


def _train_streaming(config, draw):
    bar = st.progress(0.0, text="Training…")
    last = {"bar": 0.0, "draw": time.perf_counter()}

    def on_step(p):
        now = time.perf_counter()
        if now - last["bar"] > 0.1:  # every st call is also where a rerun can interrupt the run
            bar.progress(p.step / p.steps, text=f"Training… step {p.step:,} of {p.steps:,}")
            last["bar"] = now
        if draw is not None and now - last["draw"] > 0.5 and p.step < p.steps:
            draw(p.run)
            last["draw"] = now

    try:
        return mlp.train(config, on_step=on_step)
    finally:
        bar.empty()


# --- shared pieces of pages ---

def run_messages(run):
    """A clear word when a run went wrong, with what to try."""
    c = run.config
    if run.diverged:
        st.error(f"Training diverged at step {run.steps_done:,}: the cost or the weights became inf/NaN at "
                 f"learning rate {c.lr:g}. The curves stop there. Try a lower learning rate "
                 f"(e.g. {max(c.lr / 10, LR_OPTIONS[0]):g}).", icon="💥")
    elif run.steps_done and run.cost[-1] > 5:
        st.warning(f"The cost ends at {run.cost[-1]:.3g}: the output is saturated on the wrong side "
                   f"(ŷ is 0 or 1 where it should be the other). Try a lower learning rate.", icon="⚠️")
    if run.steps_done and float(run.grad_norms.max(initial=0)) == 0:
        st.info("Every gradient is exactly zero: the net sits on a saddle point and never moves "
                "(zero init makes every unit identical). Gradient curves need non-zero values to draw "
                "on a log axis, so that chart is empty.", icon="ℹ️")


def metrics(run):
    cols = st.columns(4)
    cols[0].metric("Final cost", f"{run.cost[-1]:.4g}" if run.steps_done else "—",
                   help="binary cross-entropy at the last step (ln 2 ≈ 0.693 is a coin toss)")
    cols[1].metric("Accuracy", f"{run.accuracy[-1]:.0%}" if run.steps_done else "—")
    cols[2].metric("Time per step", f"{run.seconds_per_step * 1e6:,.1f} µs")
    cols[3].metric("Device used", run.device)


def history_csv(run) -> str:
    names = [f"grad_norm_W{l + 1}" for l in range(run.grad_norms.shape[1])]
    lines = [",".join(["step", "cost", "accuracy", *names])]
    for t in range(run.steps_done):
        lines.append(",".join([str(t), repr(float(run.cost[t])), f"{run.accuracy[t]:g}",
                               *(f"{v:.8g}" for v in run.grad_norms[t])]))
    return "\n".join(lines) + "\n"


def downloads(run, key: str):
    c1, c2 = st.columns(2)
    c1.download_button("Download history (CSV)", data=lambda: history_csv(run), file_name="history.csv",
                       mime="text/csv", key=f"csv_{key}", on_click="ignore")
    c2.download_button("Download config (JSON)", data=json.dumps(run.config.to_dict(), indent=2),
                       file_name="config.json", mime="application/json", key=f"json_{key}", on_click="ignore")


def chart(spec, key=None, alt_text=None, target=st):
    """Draw an Altair chart as built (its own projector-sized fonts), at its own width."""
    target.altair_chart(spec, key=key, width="content", theme=None, alt=alt_text)


@contextmanager
def guard():
    """No traceback ever reaches the page: an unexpected error becomes a message with what to try."""
    try:
        yield
    except Exception as e:  # noqa: BLE001  (reruns and stops derive from BaseException and pass through)
        st.error(f"Something went wrong: {html.escape(type(e).__name__)}: {safe_text(e, 200)}. "
                 "Try the 'Seed lab: 2-2-1' preset, or reload the page.", icon="🛑")


def with_config(config: mlp.Config, **changes) -> mlp.Config:
    return replace(config, **changes)


END = STEPS_MAX  # the "at step" controls' default: the end of the run


def step_picker(run, key: str, label: str) -> int:
    """A slider over the steps whose weights the run kept; its choice lives in session_state[key]
    (and the URL), where END means 'the last step', whatever the run's length."""
    options = sorted(run.snapshots)
    wanted = st.session_state.get(key, END)
    shown = options[-1] if wanted >= options[-1] else max([o for o in options if o <= wanted] or options[:1])
    st.session_state[f"{key}_slider"] = shown

    def changed():
        value = st.session_state[f"{key}_slider"]
        st.session_state[key] = END if value == options[-1] else value

    st.select_slider(label, options=options, key=f"{key}_slider", on_change=changed,
                     format_func=lambda s: f"{s:,}" + (" (end)" if s == options[-1] else ""))
    return shown


__all__ = ["CONTROLS", "Control", "PRESETS", "RunStore", "charts", "chart", "config_from_state", "downloads",
           "guard", "history_csv", "metrics", "page", "parse_query", "run_messages", "sidebar", "store",
           "train"]
