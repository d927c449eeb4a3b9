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
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd
import streamlit as st
import torch
from streamlit.errors import StreamlitAPIException
from streamlit.logger import get_logger

import mlp
from i18n import LANGS, tr
from mlp import charts  # noqa: F401  (re-exported: pages draw with ui.charts)

LOG = get_logger("xor_mlp")
# The charts choose their own points (downsampled, ≤ 300 KB a chart, tested); Altair's 5,000-row guard
# would refuse the faint curves of a 1,024-seed sweep
alt.data_transformers.disable_max_rows()
LR_OPTIONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
STEPS_MAX = mlp.LIMITS["steps"][1]
SEED_MAX = mlp.LIMITS["seed"][1]


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
        """The value a URL string stands for; ValueError(text key, values) if it is not allowed."""
        text = raw.strip()
        if self.kind == "int":
            allowed = ValueError("allowed.int", dict(lo=f"{self.lo:,}", hi=f"{self.hi:,}"))
            if not re.fullmatch(r"[+-]?\d{1,12}", text):
                raise allowed
            value = int(text)
            if not self.lo <= value <= self.hi:
                raise allowed
            return value
        if self.kind == "lr":
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            for option in LR_OPTIONS:
                if math.isfinite(value) and abs(value - option) <= 1e-9 * option:
                    return option
            raise ValueError("allowed.one_of", dict(options=", ".join(f"{v:g}" for v in LR_OPTIONS)))
        if self.kind == "pins":
            return parse_pins(text)
        if self.kind == "bool":
            if text.lower() in ("1", "true", "on", "yes"):
                return True
            if text.lower() in ("0", "false", "off", "no"):
                return False
            raise ValueError("allowed.bool", {})
        if text.lower() in self.choices:
            return text.lower()
        raise ValueError("allowed.one_of", dict(options=", ".join(self.choices)))

    def to_url(self, value) -> str:
        if self.kind == "pins":
            return "~".join(",".join(f"{k}:{BY_KEY[k].to_url(v)}" for k, v in pin) for pin in value)
        if self.kind == "bool":
            return "1" if value else "0"
        return f"{value:g}" if self.kind == "lr" else str(value)


D = mlp.Config()
CONTROLS = [  # the sidebar's settings of the net: each sets one Config field
    Control("data", "dataset", "ctl.data", D.dataset, "choice", choices=tuple(mlp.DATASETS)),
    Control("layers", "hidden_layers", "ctl.layers", D.hidden_layers, "int", 0, 8),
    Control("width", "width", "ctl.width", D.width, "int", 1, 64),
    Control("act", "activation", "ctl.act", D.activation, "choice", choices=tuple(mlp.ACTIVATIONS)),
    Control("init", "init", "ctl.init", D.init, "choice", choices=tuple(mlp.INITS)),
    Control("lr", "lr", "ctl.lr", D.lr, "lr"),
    Control("backend", "backend", "ctl.backend", D.backend, "choice", choices=tuple(mlp.BACKENDS)),
    Control("device", "device", "ctl.device", D.device, "choice", choices=("auto", "cpu", "cuda")),
    Control("steps", "steps", "ctl.steps", D.steps, "int", 1, STEPS_MAX),
    Control("seed", "seed", "ctl.seed", D.seed, "int", 0, SEED_MAX),
]
VIEW = [  # settings of the view, the same on every page: language and presenter mode (TF Playground's *_hide)
    Control("lang", "", "ctl.lang", "en", "choice", choices=tuple(LANGS)),
    Control("presenter", "", "ctl.presenter", False, "bool"),
    Control("sidebar_hide", "", "presenter.hide_sidebar", False, "bool"),
    *[Control(f"{c.key}_hide", "", c.label, False, "bool") for c in CONTROLS],
]
SIDEBAR_KEYS = {c.key for c in CONTROLS + VIEW}
VIEW_BY_KEY = {c.key: c for c in VIEW}
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
                raise ValueError("allowed.pins", dict(n=MAX_PINS))
            pin[key] = BY_KEY[key].parse(value)
        pins.append(tuple(sorted(pin.items())))
    if len(pins) > MAX_PINS:
        raise ValueError("allowed.pins", dict(n=MAX_PINS))
    return tuple(pins)


def changed_settings(controls, **overrides) -> dict:
    """key → value of the session's settings (overrides applied) that differ from their defaults:
    what a link, a pin or the address bar has to carry."""
    values = {c.key: st.session_state.get(c.key, c.default) for c in controls}
    values.update(overrides)
    return {c.key: values[c.key] for c in controls if values[c.key] != c.default}


def url_query(settings: dict, controls) -> dict:
    """The URL form of settings (key → value) of these controls."""
    by_key = {c.key: c for c in controls}
    return {key: by_key[key].to_url(value) for key, value in settings.items()}


def config_of(settings) -> mlp.Config:
    """The Config that sidebar settings describe (key → value, or (key, value) pairs; the rest default).
    cuda where torch sees none runs on the cpu; the sidebar says why."""
    values = {c.field: c.default for c in CONTROLS}
    values.update({BY_KEY[k].field: v for k, v in dict(settings).items()})
    if values["device"] == "cuda" and not torch.cuda.is_available():
        values["device"] = "cpu"
    return mlp.Config(**values)


def link(page_path: str, **changes) -> str:
    """A relative link to a page with the current sidebar settings, changed as given (e.g. seed=5)."""
    return relative(page_path, url_query(changed_settings(CONTROLS, **changes), CONTROLS))


def current_pin() -> tuple:
    return tuple(sorted(changed_settings(CONTROLS).items()))


PAGES = [  # (file, URL path, title key, icon): the sidebar's own links, so Home is not called "streamlit app"
    ("streamlit_app.py", "", "page.home", ":material/home:"),
    ("pages/0_Lesson.py", "Lesson", "page.lesson", ":material/school:"),
    ("pages/1_Train.py", "Train", "page.train", ":material/show_chart:"),
    ("pages/2_Chain_rule.py", "Chain_rule", "page.chain", ":material/account_tree:"),
    ("pages/3_Compare.py", "Compare", "page.compare", ":material/stacked_line_chart:"),
    ("pages/4_Robustness.py", "Robustness", "page.robust", ":material/grain:"),
    ("pages/5_Presenter.py", "Presenter", "page.presenter", ":material/co_present:"),
]

SEED_221 = dict(layers=1, width=2, act="sigmoid", init="notebook", lr=1.0, data="xor", steps=10_001, seed=777)
PRESETS = {  # text key → settings
    "preset.seed221": SEED_221,
    "preset.seed_deep": {**SEED_221, "layers": 3, "width": 10},
    "preset.perceptron": dict(layers=0, act="sigmoid", init="default", lr=1.0, data="xor"),  # not in the notebook
    "preset.zero": {**SEED_221, "init": "zeros"},
}


def lang() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, **values) -> str:
    """The text for key in the session's language."""
    return tr(key, lang(), **values)


def safe_text(value, limit: int = 40) -> str:
    """A user-supplied string made harmless for a markdown note: short, and no markup characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    short = text[:limit] + ("…" if len(text) > limit else "")
    return re.sub(r"([\\`*_{}\[\]()<>#+!|~$&:-])", r"\\\1", short)  # markdown and directives escaped


def parse_query(params: dict, controls, lang: str = "en") -> tuple[dict, list[str]]:
    """URL parameters (name → list of strings) → (valid values by key, notes naming what was ignored)."""
    by_key = {c.key: c for c in controls}
    values, notes = {}, []
    for name, raw in params.items():
        raws = raw if isinstance(raw, list) else [raw]
        if name not in by_key:
            notes.append(tr("note.unknown", lang, name=safe_text(name, 24)))
            continue
        control = by_key[name]
        if len(raws) > 1:
            notes.append(tr("note.repeated", lang, name=name, count=len(raws)))
        try:
            values[name] = control.parse(str(raws[-1])[:200])
        except ValueError as e:
            key, fmt = e.args if len(e.args) == 2 else ("allowed.pins", dict(n=MAX_PINS))
            notes.append(tr("note.invalid", lang, name=name, value=safe_text(raws[-1]), label=tr(control.label, lang),
                            allowed=safe_text(tr(key, lang, **fmt), 200),
                            default=safe_text(control.to_url(control.default))))
    return values, notes


# --- page setup, state and URL ---

def page(title: str, icon: str = "🧠", local=()):
    """First call of every page (title: a text key): page config, then the URL → state load for this
    page's controls, the presenter-mode styles, and any note about the link."""
    loaded = st.session_state.setdefault("_url_loaded", set())
    known = CONTROLS + VIEW + list(local)
    if "sidebar" not in loaded and "lang" in st.query_params:  # the notes below speak the link's language
        st.session_state["lang"] = st.query_params["lang"] if st.query_params["lang"] in LANGS else "en"
    st.set_page_config(page_title=f"{tr(title, lang())} · XOR MLP", page_icon=icon, layout="wide",
                       initial_sidebar_state="collapsed" if st.query_params.get("sidebar_hide") == "1" else "auto")
    params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    # The browser's Back or Forward: Streamlit reruns this page with the query string of that history entry,
    # which then differs from the one this session last wrote on this very page. That entry's settings rule.
    navigated = (title in loaded and st.session_state.get("_url_page") == title
                 and st.session_state.get("_url_written") not in (None, {k: v[-1] for k, v in params.items()}))
    if title not in loaded or navigated:  # this page's first run in this session: take its settings from the URL
        values, notes = parse_query(params, known, lang())
        for c in known:
            if c.key in values and (c.key not in SIDEBAR_KEYS or "sidebar" not in loaded or navigated):
                st.session_state[c.key] = values[c.key]  # later, the session's sidebar state rules …
            elif navigated:  # … except when walking the history: what the entry leaves out is the default
                st.session_state[c.key] = c.default
        st.session_state["_notes"] = notes
        loaded.update({title, "sidebar"})
    st.session_state["_url_page"] = title
    for c in known:
        st.session_state.setdefault(c.key, c.default)
    presenter_styles()
    for note in st.session_state.get("_notes", []):
        st.warning(note, icon="🔗")
    st.session_state["_page_controls"] = list(local)


PRESENTER_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 2.6rem; padding-bottom: 2rem;
  padding-left: 2rem; padding-right: 2rem; max-width: none; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
h1 { font-size: 2.4rem !important; padding-top: 0 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.1rem !important; }
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stDecoration"] { display: none; }
[data-testid="stHeader"] { background: transparent; }
</style>"""
HIDE_SIDEBAR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
{ display: none; }
</style>"""


def presenter_styles():
    """Large fonts for the projector (presenter=1) and no sidebar (sidebar_hide=1): our own fixed CSS."""
    if st.session_state.get("presenter"):
        st.html(PRESENTER_CSS)
    if st.session_state.get("sidebar_hide"):
        st.html(HIDE_SIDEBAR_CSS)


def sync_url():
    """Write the current settings into the URL (only those that differ from the defaults)."""
    controls = CONTROLS + VIEW + st.session_state.get("_page_controls", [])
    want = url_query(changed_settings(controls), controls)
    if {k: st.query_params.get(k) for k in st.query_params.keys()} != want:
        st.query_params.from_dict(want)  # a new entry in the browser's history: Back returns to this one
    st.session_state["_url_written"] = want


def bound(widget, label, key, *args, **kwargs):
    """A widget showing the setting session_state[key]; moving it changes the setting.

    The setting lives under its own key, which Streamlit never cleans up (widget state is dropped or
    reset when another page draws the same widget); the widget's key is 'w_' + key.
    """
    if st.session_state.get(f"{key}_hide"):  # hidden by the presenter link: the setting stays as it is
        return st.session_state[key]
    st.session_state["w_" + key] = st.session_state[key]
    return widget(label, *args, key="w_" + key, on_change=_copy_from_widget, args=(key,), **kwargs)


def _copy_from_widget(key):
    value = st.session_state["w_" + key]
    if value is not None:  # an emptied number box or an unselected segmented control keeps the setting
        st.session_state[key] = value


def _apply_preset(values):
    for key, value in values.items():
        st.session_state[key] = value
    st.session_state["_notes"] = []


def page_link(path: str, target=st, **kwargs):
    """st.page_link, except where the page was started on its own (`streamlit run pages/…`, AppTest of one
    page): then there is no app to link within, and no link is drawn."""
    try:
        target.page_link(path, **kwargs)
    except StreamlitAPIException:
        pass


def cuda_status() -> tuple[bool, str]:
    if torch.cuda.is_available():
        return True, torch.cuda.get_device_name(0)
    if torch.version.cuda is None:
        return False, t("device.cpu_only", version=torch.__version__)
    return False, t("device.no_gpu", version=torch.__version__)


def sidebar() -> mlp.Config:
    """The shared controls (on every page); returns the Config they describe (always a valid one)."""
    has_cuda, cuda_text = cuda_status()
    s = st.sidebar
    bound(s.segmented_control, "Language · 언어", "lang", list(LANGS), format_func=LANGS.get)
    for path, _, title, icon in PAGES:
        page_link(path, label=t(title), icon=icon, target=s)
    s.header(t("side.network"))
    s.caption(t("side.presets"))
    for i, (name, values) in enumerate(PRESETS.items()):
        s.button(t(name), key=f"preset_{i}", on_click=_apply_preset, args=(values,), width="stretch")
    bound(s.slider, t("ctl.layers"), "layers", 0, 8, help=t("help.layers"))
    bound(s.slider, t("ctl.width"), "width", 1, 64, help=t("help.width"))
    bound(s.select_slider, t("ctl.lr"), "lr", options=LR_OPTIONS, format_func=lambda v: f"{v:g}", help=t("help.lr"))
    bound(s.selectbox, t("ctl.act"), "act", list(mlp.ACTIVATIONS), help=t("help.act"))
    s.header(t("side.training"))
    labels = {b: t(f"backend.{b}") for b in mlp.BACKENDS}  # fixed now: AppTest calls format_func later
    bound(s.radio, t("ctl.backend"), "backend", list(mlp.BACKENDS), format_func=labels.get, help=t("help.backend"))
    device_label = {"auto": "auto", "cpu": "cpu", "cuda": "cuda" if has_cuda else t("device.unavailable")}
    bound(s.selectbox, t("ctl.device"), "device", ["auto", "cpu", "cuda"], format_func=device_label.get,
          help=t("help.device", status=cuda_text))
    if st.session_state["device"] == "cuda" and not has_cuda and not st.session_state.get("device_hide"):
        s.warning(t("device.no_cuda", status=cuda_text), icon="⚠️")
    st.session_state["_timing_slot"] = s.empty()  # filled with the measured time per step once a run is here
    inits = {k: t(f"init.{k}") for k in mlp.INITS}
    bound(s.selectbox, t("ctl.init"), "init", list(inits), format_func=inits.get, help=t("help.init"))
    datasets = {k: t(f"data.{k}") for k in mlp.DATASETS}
    bound(s.selectbox, t("ctl.data"), "data", list(datasets), format_func=datasets.get)
    bound(s.number_input, t("ctl.steps"), "steps", 1, STEPS_MAX, step=1000, help=t("help.steps"))
    bound(s.number_input, t("ctl.seed"), "seed", 0, SEED_MAX, step=1, help=t("help.seed"))
    config = config_from_state()
    st.session_state["_sidebar_config"] = config
    sync_url()
    return config


def config_from_state() -> mlp.Config:
    return config_of({c.key: st.session_state.get(c.key, c.default) for c in CONTROLS})


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
    if config == st.session_state.get("_sidebar_config"):  # the sidebar speaks of its own settings' run only
        show_timing(t("timing.run", per_step=per_step_text(run.seconds_per_step), device=run.device,
                      steps=f"{run.steps_done:,}"))
    return run


def show_timing(text: str):
    """The measured speed, under the Device control: when does a GPU help, and when not?"""
    slot = st.session_state.get("_timing_slot")
    if slot is not None:
        slot.caption(text)


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
                LOG.info("training %s", key)  # the load script counts these: one per config, however many ask
                result = compute()
                if complete(result):
                    runs.put(key, result)
    return result


def sweep(config: mlp.Config, n_seeds: int):
    """mlp.sweep from the shared store, or trained now with a progress bar."""

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
    show_timing(t("timing.sweep", per_step=per_net, device=result.device, n=f"{n_seeds:,}"))
    return result


REDRAW, FIRST_DRAW = 0.35, 0.6  # seconds between partial charts while a run streams; before the first


def _train_streaming(config, draw):
    bar = st.progress(0.0, text=t("msg.training_start"))
    # redraw every 0.35 s, the first time after 0.6 s: a run shorter than that (the default 10,001 steps)
    # goes straight to its final chart instead of spending the time on a partial one
    last = {"bar": 0.0, "draw": time.perf_counter() + FIRST_DRAW - REDRAW, "step": 0}

    def on_step(p):
        last["step"] = p.step
        now = time.perf_counter()
        if now - last["bar"] > 0.1:  # every st call is also where a rerun can interrupt the run
            bar.progress(p.step / p.steps, text=t("msg.training", step=f"{p.step:,}", steps=f"{p.steps:,}"))
            last["bar"] = now
        if draw is not None and now - last["draw"] > REDRAW and p.step < p.steps:
            draw(p.run)
            last["draw"] = now

    try:
        return mlp.train(config, on_step=on_step)
    except BaseException:  # a rerun (a slider moved) or a stop: the run is abandoned and its buffers freed
        LOG.info("abandoned %s at step %d", config, last["step"])
        raise
    finally:
        bar.empty()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()  # the run keeps numpy arrays only; give its GPU memory back


# --- shared pieces of pages ---

def run_messages(run):
    """A clear word when a run went wrong, with what to try."""
    c = run.config
    if run.diverged:
        st.error(t("msg.diverged", step=f"{run.steps_done:,}", lr=f"{c.lr:g}",
                   lower=f"{max(c.lr / 10, LR_OPTIONS[0]):g}"), icon="💥")
    elif run.steps_done and run.cost[-1] > 5:
        st.warning(t("msg.saturated", cost=f"{run.cost[-1]:.3g}"), icon="⚠️")
    zeros = [(l + 1, s) for l, s in enumerate(run.zero_gradient_from()) if s is not None] if run.steps_done else []
    if zeros and len(zeros) == run.grad_norms.shape[1] and all(s == 0 for _, s in zeros):
        st.info(t("msg.zero_grad"), icon="ℹ️")  # every gradient 0 from the start: a saddle point
    elif zeros:
        step = min(s for _, s in zeros)
        layers = ", ".join(str(l) for l, _ in zeros)
        why = "relu" if c.activation == "relu" else "saturated"
        st.info(t(f"msg.zero_from_{why}", layers=layers, step=f"{step:,}"), icon="ℹ️")


def row():
    """A row of buttons or metrics, each as wide as its content, wrapping onto the next line where the
    screen is narrow (a projector at 1280 px, large fonts): nothing is cut to "Downl…"."""
    return st.container(horizontal=True, wrap=True, gap="medium")


def metrics(run):
    box = row()
    box.metric(t("metric.cost"), f"{run.cost[-1]:.4g}" if run.steps_done else "—", help=t("metric.cost_help"),
               width="content")
    box.metric(t("metric.accuracy"), f"{run.accuracy[-1]:.0%}" if run.steps_done else "—", width="content")
    box.metric(t("metric.time"), per_step_text(run.seconds_per_step).removesuffix("/step"), width="content")
    box.metric(t("metric.device"), run.device, width="content")


def history_csv(run) -> str:
    names = [f"grad_norm_W{l + 1}" for l in range(run.grad_norms.shape[1])]
    lines = [",".join(["step", "cost", "accuracy", *names])]
    for t in range(run.steps_done):
        lines.append(",".join([str(t), repr(float(run.cost[t])), f"{run.accuracy[t]:g}",
                               *(f"{v:.8g}" for v in run.grad_norms[t])]))
    return "\n".join(lines) + "\n"


def downloads(run, key: str, spec=None):
    """History as CSV, config as JSON, and (given an Altair chart) the chart as PNG and SVG."""
    box = row()
    c = [box] * 4
    c[0].download_button(t("dl.csv"), data=lambda: history_csv(run), file_name="history.csv",
                         mime="text/csv", key=f"csv_{key}", on_click="ignore", icon=":material/download:")
    c[1].download_button(t("dl.json"), data=json.dumps(run.config.to_dict(), indent=2),
                         file_name="config.json", mime="application/json", key=f"json_{key}", on_click="ignore",
                         icon=":material/download:")
    if spec is not None:
        chart_downloads(spec, key, c[2], c[3])


def chart_downloads(spec, key: str, png_col=st, svg_col=st):
    """PNG and SVG of a chart (an Altair chart, or a function that builds one), rendered on the server only
    when clicked (vl-convert, no browser needed)."""
    import vl_convert

    def vega():
        return (spec() if callable(spec) else spec).to_dict()

    png_col.download_button(t("dl.png"), data=lambda: vl_convert.vegalite_to_png(vega(), scale=2),
                            file_name=f"{key}.png", mime="image/png", key=f"png_{key}", on_click="ignore",
                            icon=":material/image:")
    svg_col.download_button(t("dl.svg"), data=lambda: vl_convert.vegalite_to_svg(vega()),
                            file_name=f"{key}.svg", mime="image/svg+xml", key=f"svg_{key}", on_click="ignore",
                            icon=":material/image:")


def relative(page_path: str, query: dict) -> str:
    """'Train?seed=5': a page's path (Home is "") with a query, relative to the app."""
    from urllib.parse import urlencode

    return f"{page_path}?{urlencode(query)}" if query else page_path


def absolute(page_path: str, query: dict) -> str:
    """The full address of a page with a query, as the browser sees this app (st.context.url)."""
    from urllib.parse import urljoin

    target = relative(page_path or "./", query)
    try:
        here = st.context.url
    except Exception:  # noqa: BLE001  (no browser: AppTest, a bare script)
        here = None
    return urljoin(here, target) if here else target


def student_query() -> dict:
    """The address bar's query without the presenter's own view settings (large fonts, hidden controls):
    what a student should open. The language stays."""
    view = {c.key for c in VIEW} - {"lang"}
    return {k: st.query_params.get(k) for k in st.query_params.keys() if k not in view}


def copy_link(page_path: str):
    """The link to this view, ready to copy (the code box has a copy button), for a student or a slide;
    in presenter mode with a QR code of the students' link beside it."""
    if st.session_state.get("presenter"):
        url = absolute(page_path, student_query())
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(t("copy.student_link"))
        left.code(url, language=None)
        right.image(qr_png(url), caption=t("qr.caption"), width=220)
        return
    query = {k: st.query_params.get(k) for k in st.query_params.keys()}
    st.caption(t("copy.link"))
    st.code(absolute(page_path, query), language=None)


def qr_png(url: str) -> bytes:
    """A QR code of url as PNG bytes (segno: pure Python), large enough to scan from the back of a room."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def intro(text: str):
    """A page's opening paragraph; in presenter mode folded away, so the run's charts fit the first screen."""
    if st.session_state.get("presenter"):
        with st.expander(t("presenter.about")):
            st.markdown(text)
    else:
        st.markdown(text)


def chart(spec, key=None, alt_text=None, target=st):
    """Draw an Altair chart as built (its own projector-sized fonts), at its own width; larger still in
    presenter mode."""
    _draw(vega_lite_spec(_presenter_style(spec)), target, key, alt_text)


def figure(build, source, *args, target=st, key=None, alt_text=None, **kwargs):
    """chart(build(source, *args, **kwargs)), where the chart of a finished run (or sweep) is built once
    and kept: redrawing a cached run after a slider move then costs no chart building at all.
    Returns the Altair chart (for the PNG/SVG downloads)."""
    try:
        ref = weakref.ref(source)
    except TypeError:  # a list of runs (Compare, Lesson): built each time
        ref = None
    settled = ref is not None and (not isinstance(source, mlp.Run) or source.steps_done == source.config.steps
                                   or source.diverged or source.stopped)  # a streaming run keeps changing
    presenter = bool(st.session_state.get("presenter"))
    # the builder by its code, not its name (two lambdas share a name) nor the function object (a page's
    # own function is defined again on every rerun)
    memo_key = (id(source), getattr(build, "__code__", build), args, tuple(sorted(kwargs.items())), presenter)
    with _FIGURES_LOCK:
        kept = _FIGURES.get(memo_key) if settled else None
        if kept is not None and kept[0]() is source:  # the same object, not one that reused a freed id
            _FIGURES.move_to_end(memo_key)
        else:
            kept = None
    if kept is None:
        altair_chart = build(source, *args, **kwargs)
        kept = (ref, altair_chart, vega_lite_spec(_presenter_style(altair_chart)))
        if settled:
            with _FIGURES_LOCK:
                _FIGURES[memo_key] = kept
                while len(_FIGURES) > FIGURES_MAX:
                    _FIGURES.popitem(last=False)
    _draw(kept[2], target, key, alt_text)
    return kept[1]


def animated(build, frames: dict, run, *, target=st, key=None, alt_text=None, **kwargs):
    """Draw build(run, frames=frames, **kwargs) many times a second (Chain rule → Play). Altair builds the
    chart once per config (and set of datasets); every later frame only swaps the datasets' numbers into that
    spec (~2 ms instead of ~40 ms of Altair), and the browser updates the chart in place instead of building
    it again. Whatever changes with the step belongs in the data, not in the titles."""
    tables = {name: f for name, f in frames.items() if isinstance(f, pd.DataFrame)}
    shape = tuple(sorted((name, tuple(f.columns)) for name, f in tables.items()))
    presenter = bool(st.session_state.get("presenter"))
    code = getattr(build, "__code__", build)
    memo_key = ("animated", run.config, code, shape, tuple(sorted(kwargs.items())), presenter)  # all a spec needs
    with _FIGURES_LOCK:
        kept = _FIGURES.get(memo_key)
    if kept is None:
        spec = vega_lite_spec(_presenter_style(build(run, frames=frames, **kwargs)))
        by_columns = {tuple(f.columns): name for name, f in tables.items()}
        names = {table: by_columns.get(tuple(frame.columns)) for table, frame in spec.get("datasets", {}).items()}
        if None in names.values() or len(set(names.values())) < len(names):  # cannot tell the tables apart
            _draw(spec, target, key, alt_text)
            return
        kept = (None, names, spec)
        with _FIGURES_LOCK:
            _FIGURES[memo_key] = kept
            while len(_FIGURES) > FIGURES_MAX:
                _FIGURES.popitem(last=False)
    _, names, spec = kept
    spec = {**spec, "datasets": {table: _compact(tables[name].copy()) for table, name in names.items()}}
    _draw(spec, target, key, alt_text)  # the same spec: Streamlit updates the chart's data in place


FIGURES_MAX = 64  # charts kept (a few hundred KB at most each), least recently drawn dropped first
_FIGURES: OrderedDict = OrderedDict()  # (id(source), builder, arguments, presenter) → (weakref, chart, spec)
_FIGURES_LOCK = threading.Lock()


def _presenter_style(spec):
    if not st.session_state.get("presenter"):
        return spec
    return (spec.configure_axis(labelFontSize=18, titleFontSize=20, gridOpacity=0.5)
            .configure_legend(labelFontSize=18, titleFontSize=19, labelLimit=320)
            .configure_title(fontSize=22, subtitleFontSize=17, anchor="start"))


def _draw(spec: dict, target, key, alt_text):
    # Streamlit edits the top level of the dict it is given (it takes the datasets out): hand it a copy.
    # A chart built with width="container" takes its column's width; the others keep their own.
    spec = dict(spec)
    width = "content"
    if spec.get("width") == "container":  # the column's width; the height stays the plot's own, so titles,
        width = "stretch"  # axes and legends are added to it, never squeezed out of it (Streamlit fits both)
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    target.vega_lite_chart(spec, key=key, width=width, theme=None, alt=alt_text)


def comparison(runs, legend: str = "run", dashed: bool = False, logs=()):
    """Runs overlaid: the cost per step beside the first and last layers' gradient sizes, each chart as wide as
    its column. `legend` names the runs ("run", or "pinned_run" on Compare)."""
    left, right = st.columns(2)
    chart(charts.compare_cost_chart(runs, lang=lang(), legend=legend, dashed=dashed, logs=logs), target=left,
          alt_text=t("alt.compare_cost"))
    chart(charts.compare_gradient_chart(runs, lang=lang(), dashed=dashed), target=right,
          alt_text=t("alt.compare_grad"))


def history_slots():
    """Two places side by side for a run's history charts (Streamlit stacks them on a narrow screen)."""
    left, right = st.columns(2)
    return left.empty(), right.empty()


def history(run, slots=None, log_y: bool = False):
    """The cost per step beside each layer's gradient size per step, each as wide as its column."""
    slots = slots or history_slots()
    figure(charts.cost_chart, run, log_y, lang=lang(), target=slots[0], alt_text=t("alt.cost"))
    figure(charts.gradient_chart, run, lang=lang(), target=slots[1], alt_text=t("alt.gradients"))
    return slots


def vega_lite_spec(altair_chart) -> dict:
    """The chart as a Vega-Lite dict whose datasets are DataFrames named by position (table_0, table_1 …),
    drawn on a canvas.

    Altair names each dataset by a hash of its numbers, so a chart whose data changed (a new learning
    rate) would arrive as a new spec and the browser would build the whole chart again. Named by position,
    the spec stays the same and Streamlit updates the chart's data in place. Canvas (Vega's own default;
    Streamlit picks SVG) repaints a changed chart in about a third less time (bench/bench_ui.py)."""
    spec = altair_chart.to_dict()
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}  # vega-embed reads its options here
    datasets = spec.pop("datasets", None)
    if not datasets:
        return spec
    names = {old: f"table_{i}" for i, old in enumerate(datasets)}  # data_N would clash with Vega-Lite's own names
    text = json.dumps(spec)
    for old, new in names.items():
        text = text.replace(json.dumps(old), json.dumps(new))
    frames = {names[old]: _compact(pd.DataFrame(rows)) for old, rows in datasets.items()}
    return {**json.loads(text), "datasets": frames}


def _compact(frame):
    """The narrowest column types that draw the same picture: float32, small ints, repeated labels as
    categories (Arrow dictionaries). The faint curves of a 1,024-seed sweep go from ~470 KB to ~150 KB."""
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "f":
            frame[name] = column.astype("float32")
        elif column.dtype.kind in "iu":
            frame[name] = pd.to_numeric(column, downcast="integer")
        elif column.dtype == object and column.nunique() <= len(column) // 2:
            frame[name] = column.astype("category")
    return frame


@contextmanager
def guard():
    """No traceback ever reaches the page: an unexpected error becomes a message with what to try."""
    try:
        yield
    except Exception as e:  # noqa: BLE001  (reruns and stops derive from BaseException and pass through)
        st.error(t("msg.error", error=f"{html.escape(type(e).__name__)}: {safe_text(e, 200)}"), icon="🛑")


def with_config(config: mlp.Config, **changes) -> mlp.Config:
    return replace(config, **changes)


END = STEPS_MAX  # the Train page's "at step" default: the end of the run, whatever its length


def _freeze_what_lives_forever():
    """Streamlit runs a full gc.collect() after every script run. With torch, pandas and Altair loaded
    that walks ~250,000 objects that live as long as the process: 0.12 s added to every slider move.
    Frozen once here (after Altair has loaded its schema), the collection takes microseconds and still
    frees whatever the runs themselves leave behind."""
    import gc

    alt.Chart({"values": [{"x": 0}]}).mark_point().encode(x="x:Q").to_dict()  # load the schema validators
    gc.collect()
    gc.freeze()


_freeze_what_lives_forever()
