"""The URL's own small table: every control's name, kind and default, and how a URL value is checked.

Pure Python over mlp's Config (no Streamlit): a link is parsed here, never eval'd; a value that is not
allowed becomes a note naming it, and the default is used. TensorFlow Playground's state.ts is the model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import mlp
from i18n import LANGS, tr

from . import points as own
from .classroom import CODE_RE, KEY_RE

LR_OPTIONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
L2_OPTIONS = (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0)
TEST_OPTIONS = (0.0, 0.1, 0.2, 0.3, 0.5)
BATCH_OPTIONS = (0, 1, 2, 4, 8, 16, 32, 64)  # 0 = the full batch
STEPS_MAX = mlp.LIMITS["steps"][1]


SEED_MAX = mlp.LIMITS["seed"][1]
END = STEPS_MAX  # the Train page's "at step" default: the end of the run, whatever its length


@dataclass(frozen=True)
class Control:
    key: str  # URL parameter and widget key
    field: str  # the Config field it sets ("" for a page-only control)
    label: str
    default: object
    kind: str  # "int", "choice", "lr", "number" (one of `choices`), "bool", "pins", "features" (x1-x2-x1x2),
    # "points" (ui.points), "setting" (one of the settings named in `choices`: the Map's axes)
    lo: int = 0
    hi: int = 0
    choices: tuple = ()

    @classmethod
    def setting(cls, field: str, kind: str, lo: int = 0, hi: int = 0, choices: tuple = ()) -> "Control":
        """A sidebar setting: named after the Config field it sets, label "ctl.<field>", the field's default."""
        return cls(field, field, f"ctl.{field}", getattr(DEFAULTS, field), kind, lo, hi, choices)

    @classmethod
    def page(cls, key: str, default, kind: str, lo: int = 0, hi: int = 0, choices: tuple = ()) -> "Control":
        """A page's own control (in its URL, not the sidebar's): label "ctl.<key>", no Config field."""
        return cls(key, "", f"ctl.{key}", default, kind, lo, hi, choices)

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
        if self.kind in ("lr", "number"):  # one of a few numbers (the learning rate's, or `choices`)
            options = LR_OPTIONS if self.kind == "lr" else self.choices
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            for option in options:
                if math.isfinite(value) and abs(value - option) <= 1e-9 * option:
                    return option
            raise ValueError("allowed.one_of", dict(options=", ".join(f"{v:g}" for v in options)))
        if self.kind == "pins":
            return parse_pins(text)
        if self.kind == "points":
            return own.from_url(text)
        if self.kind == "features":
            names = text.lower().split("-")
            if not all(n in self.choices for n in names) or len(set(names)) < len(names):
                raise ValueError("allowed.features", dict(options=", ".join(self.choices)))
            return tuple(n for n in self.choices if n in names)
        if self.kind == "setting":  # a setting's name (the Map's axes): either of its names, as a link may say it
            if key_of(text.lower()) in self.choices:
                return key_of(text.lower())
            raise ValueError("allowed.one_of", dict(options=", ".join(url_name(c) for c in self.choices)))
        if self.kind in ("class_code", "class_key"):  # checked against the class store's own patterns
            code = self.kind == "class_code"
            if (CODE_RE if code else KEY_RE).fullmatch(text.upper() if code else text):
                return text.upper() if code else text
            raise ValueError("allowed.class_code" if code else "allowed.class_key", {})
        if self.kind == "bool":
            if text.lower() in ("1", "true", "on", "yes"):
                return True
            if text.lower() in ("0", "false", "off", "no"):
                return False
            raise ValueError("allowed.bool", {})
        if text.lower() in self.choices:
            return text.lower()
        raise ValueError("allowed.one_of", dict(options=", ".join(self.choices)))

    def to_url(self, value) -> str | None:
        """The URL form of value; None where a link cannot carry it (own points too many for a link)."""
        if self.kind == "pins":
            return "~".join(",".join(f"{url_name(k)}:{BY_KEY[k].to_url(v)}" for k, v in pin
                                     if BY_KEY[k].to_url(v) is not None) for pin in value)
        if self.kind == "points":
            return own.to_url(value)
        if self.kind == "features":
            return "-".join(value)
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind == "setting":
            return url_name(value)
        return f"{value:g}" if self.kind in ("lr", "number") else str(value)


DEFAULTS = mlp.Config()  # each control starts at the Config default it sets


CONTROLS = [  # the sidebar's settings of the net: each sets the Config field it is named after
    Control.setting("dataset", "choice", choices=tuple(mlp.DATASETS)),
    Control.setting("own_points", "points"),  # dataset "own": the students' points
    Control.setting("features", "features", choices=mlp.FEATURE_NAMES),
    Control.setting("hidden_layers", "int", 0, 8),
    Control.setting("width", "int", 1, 64),
    Control.setting("activation", "choice", choices=tuple(mlp.ACTIVATIONS)),
    Control.setting("init", "choice", choices=tuple(mlp.INITS)),
    Control.setting("lr", "lr"),
    Control.setting("backend", "choice", choices=tuple(mlp.BACKENDS)),
    Control.setting("loss", "choice", choices=tuple(mlp.losses.LOSSES)),
    Control.setting("optimizer", "choice", choices=tuple(mlp.optim.RULES)),
    Control.setting("l2", "number", choices=L2_OPTIONS),
    Control.setting("test_fraction", "number", choices=TEST_OPTIONS),
    Control.setting("batch_size", "number", choices=BATCH_OPTIONS),
    Control.setting("device", "choice", choices=("auto", "cpu", "cuda")),
    Control.setting("steps", "int", 1, STEPS_MAX),
    Control.setting("seed", "int", 0, SEED_MAX),
]


# A setting has one name in the code, its Config field's; a link says some of them shorter (?layers=3&act=relu),
# here and nowhere else. Links read either name (the short ones are what links have always said, so every link
# made so far opens as it did); the app writes the short ones. The same goes for each one's "_hide" (presenter
# mode) and for a pinned run's or the Map's names of them.
URL_NAMES = {"dataset": "data", "own_points": "pts", "hidden_layers": "layers", "activation": "act",
             "optimizer": "opt", "test_fraction": "test", "batch_size": "batch", "class_code": "class",
             "class_key": "key"}
_FROM_URL = {short: key for key, short in URL_NAMES.items()}


def url_name(key: str) -> str:
    """A setting's name in a link: 'hidden_layers' → 'layers', 'hidden_layers_hide' → 'layers_hide'; others as is."""
    base, hide = (key[:-5], "_hide") if key.endswith("_hide") else (key, "")
    return URL_NAMES.get(base, base) + hide


def key_of(name: str) -> str:
    """The setting a link's name stands for: 'layers' or 'hidden_layers' → 'hidden_layers' (url_name's inverse)."""
    base, hide = (name[:-5], "_hide") if name.endswith("_hide") else (name, "")
    return _FROM_URL.get(base, base) + hide


VIEW = [  # settings of the view, the same on every page: language and presenter mode (TF Playground's *_hide)
    Control("lang", "", "ctl.lang", "en", "choice", choices=tuple(LANGS)),
    Control("presenter", "", "ctl.presenter", False, "bool"),
    Control("sidebar_hide", "", "presenter.hide_sidebar", False, "bool"),
    *[Control(f"{c.key}_hide", "", c.label, False, "bool") for c in CONTROLS],
    # a live class (ui/live.py): its code (students and lecturer), and the lecturer's key
    Control("class_code", "", "ctl.class_code", "", "class_code"),
    Control("class_key", "", "ctl.class_key", "", "class_key"),
]


SIDEBAR_KEYS = {c.key for c in CONTROLS + VIEW}


VIEW_BY_KEY = {c.key: c for c in VIEW}


BY_KEY = {c.key: c for c in CONTROLS}


# Session state holds the settings (CONTROLS, VIEW, each page's own controls: the URL's table above), each
# setting's widget ("w_" + key, sidebar.widget_for), and what else must outlive a rerun, listed here: key (a
# trailing * stands for the page control's key it is kept for) → the one module that reads and writes it, and why.
# Everything else passes between modules as arguments and return values (tests/test_app.py checks the code for it).
SESSION_KEYS = {
    "_url_loaded": ("ui/session.py", "the pages whose settings this session has read from their links"),
    "_url_page": ("ui/session.py", "the page that last wrote the URL (the browser's Back is told from a move)"),
    "_url_written": ("ui/session.py", "the query it wrote last: a different one on the same page is Back or Forward"),
    "_notes": ("ui/session.py", "the link's notes (a value it refused), shown until a preset replaces the settings"),
    "_sidebar_config": ("ui/sidebar.py", "the settings the sidebar shows (a setting moved there reruns the page's body "
                                         "alone)"),
    "advanced": ("ui/sidebar.py", "the Advanced expander, open or closed (Streamlit's own state of it)"),
    "w_preset": ("ui/sidebar.py", "the presets' pills, cleared after each choice (a one-shot)"),
    "_own_error": ("ui/owndata.py", "why the last points could not be taken (a full plane, a bad CSV)"),
    "_click_class": ("ui/owndata.py", "the class a click on the plane adds (Streamlit's state of the control)"),
    "own_csv": ("ui/owndata.py", "the uploaded CSV of points (Streamlit's state of the uploader)"),
    "_playing_*": ("ui/play.py", "Play is on for this step slider"),
    "_drawn_*": ("ui/play.py", "the steps Play drew, so that the browser echoing one back is not taken as a move"),
    "_adopt": ("ui/session.py", "the next page run takes its link's settings whole (a followed lecturer's view), "
                                "and sets this state as it starts"),
    "_student": ("ui/live.py", "this session's opaque id in a live class (counted as following, answering)"),
    "_following": ("ui/live.py", "a student in a class follows the lecturer's page (or explores on their own)"),
    "_class_unreachable": ("ui/live.py", "the class's store was out of reach at this page's last look: a following "
                                         "page keeps its own step controls meanwhile"),
    "_left": ("ui/live.py", "a student has just clicked \"Explore on my own\" in the class box: its run runs the "
                            "page again whole (the Lesson's Back and Next come back)"),
    "_class_version": ("ui/live.py", "the version of the lecturer's view this page has taken over (set by the run that "
                                     "took it over)"),
    "_class_shown": ("ui/live.py", "the lecturer's view this page shows (the class's fan-out reruns the step's part "
                                   "alone for a view that differs from it in the step only)"),
    "_class_view": ("ui/live.py", "the view a lecturer's page last sent to its class (Play moves its step)"),
    "_class_sent": ("ui/live.py", "when Play last sent the lecturer's step to the class (a coarse rate)"),
    "answer_*": ("ui/questions.py", "a student's answer to the class's question of that number (Streamlit's state "
                                    "of it)"),
    "own_popover": ("ui/live.py", "the lecturer's own-question popover, open or closed (Streamlit's state of it: "
                                  "closed once the question is asked)"),
    "own_q": ("ui/live.py", "the lecturer's own question as typed (Streamlit's state of the box)"),
    "own_a*": ("ui/live.py", "its answers as typed (Streamlit's state of the boxes)"),
    "_own_refused": ("ui/live.py", "the store refused the lecturer's own question: its popover says why"),
    "map_chart": ("pages/6_Map.py", "the cell clicked on the Map's chart (Streamlit's state of its selection)"),
    "_map_cell": ("pages/6_Map.py", "the Map's last clicked cell, whose settings its links open"),
}


MAX_PINS = 8


def parse_pins(text: str) -> tuple:
    """'layers:3,width:10~layers:0' → ((('hidden_layers', 3), ('width', 10)), (('hidden_layers', 0),)): pinned runs
    as the settings that differ from the defaults (either name of a setting). Any bad part makes the whole value
    invalid."""
    pins = []
    for part in text.split("~")[: MAX_PINS + 1]:
        pin = {}
        for item in filter(None, part.split(",")):
            name, sep, value = item.partition(":")
            key = key_of(name)
            if not sep or key not in BY_KEY:
                raise ValueError("allowed.pins", dict(n=MAX_PINS))
            pin[key] = BY_KEY[key].parse(value)
        pins.append(tuple(sorted(pin.items())))
    if len(pins) > MAX_PINS:
        raise ValueError("allowed.pins", dict(n=MAX_PINS))
    return tuple(pins)


def url_query(settings: dict, controls) -> dict:
    """The URL form of settings (key → value) of these controls: the links' names (url_name) and values."""
    by_key = {c.key: c for c in controls}
    query = {url_name(key): by_key[key].to_url(value) for key, value in settings.items()}
    return {key: value for key, value in query.items() if value is not None}


def config_of(settings) -> mlp.Config:
    """The Config that sidebar settings describe (key → value, or (key, value) pairs; the rest default).
    cuda where torch sees none runs on the cpu; the sidebar says why."""
    values = {c.field: c.default for c in CONTROLS}
    values.update({BY_KEY[k].field: v for k, v in dict(settings).items()})
    if values["device"] == "cuda" and mlp.cuda_state() != "gpu":
        values["device"] = "cpu"
    if values["dataset"] not in mlp.config.NOISY_DATASETS:  # a test split needs sampled points (the sidebar says)
        values["test_fraction"] = 0.0
    if values["dataset"] != "own":  # the points stay in the session for when "own" is chosen again
        values["own_points"] = ()
    elif not values["own_points"]:
        values["own_points"] = own.XOR  # a fresh plane of own points starts from XOR's four
    return mlp.Config(**values)


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
        if key_of(name) not in by_key:
            notes.append(tr("note.unknown", lang, name=safe_text(name, 24)))
            continue
        control = by_key[key_of(name)]
        if len(raws) > 1:
            notes.append(tr("note.repeated", lang, name=name, count=len(raws)))
        try:
            values[control.key] = control.parse(str(raws[-1])[: own.URL_MAX + 1 if control.kind == "points" else 200])
        except ValueError as e:
            key, fmt = e.args if len(e.args) == 2 else ("allowed.pins", dict(n=MAX_PINS))
            notes.append(tr("note.invalid", lang, name=name, value=safe_text(raws[-1]), label=tr(control.label, lang),
                            allowed=safe_text(tr(key, lang, **fmt), 200),
                            default=safe_text(control.to_url(control.default) or tr("note.no_points", lang))))
    return values, notes


def relative(page_path: str, query: dict) -> str:
    """'Train?seed=5': a page's path (Home is "") with a query, relative to the app."""
    return f"{page_path}?{urlencode(query)}" if query else page_path
