"""The shared sidebar, the same on every page: language, page links, presets and the net's settings.

Plain `pages/` discovery, no st.navigation (so a deep link to any page works on a fresh server): every
page draws this sidebar itself. The settings live in session state (they survive page switches) and in
the URL (sync_url). `widget_for` ties a widget to a setting that Streamlit never cleans up.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st
import torch
from streamlit.errors import StreamlitAPIException

import mlp
from i18n import LANGS

from .charts import FEATURE_LABELS
from .made import link_as_made
from .session import changed_settings, clear_link_notes, setting_values, sync_url, t
from .state import BATCH_OPTIONS, BY_KEY, CONTROLS, L2_OPTIONS, LR_OPTIONS, SEED_MAX, STEPS_MAX, TEST_OPTIONS, config_of

PAGES = [  # (file, URL path, title key, icon): the sidebar's own links, so Home is not called "streamlit app"
    ("streamlit_app.py", "", "page.home", ":material/home:"),
    ("pages/0_Lesson.py", "Lesson", "page.lesson", ":material/school:"),
    ("pages/1_Train.py", "Train", "page.train", ":material/show_chart:"),
    ("pages/2_Chain_rule.py", "Chain_rule", "page.chain", ":material/account_tree:"),
    ("pages/3_Compare.py", "Compare", "page.compare", ":material/stacked_line_chart:"),
    ("pages/4_Robustness.py", "Robustness", "page.robust", ":material/grain:"),
    ("pages/6_Map.py", "Map", "page.map", ":material/grid_on:"),
    ("pages/5_Presenter.py", "Presenter", "page.presenter", ":material/co_present:"),
]
NAV_LABELS = {"page.robust": "nav.robust", "page.presenter": "nav.presenter"}  # shorter, for the two-column links


SEED_221 = dict(hidden_layers=1, width=2, activation="sigmoid", init="notebook", lr=1.0, dataset="xor", steps=10_001,
                seed=777, features=("x1", "x2"), loss="bce", optimizer="sgd", l2=0.0, batch_size=0)


PRESETS = {  # text key → settings
    "preset.seed221": SEED_221,
    "preset.seed_deep": {**SEED_221, "hidden_layers": 3, "width": 10},
    "preset.perceptron": dict(hidden_layers=0, activation="sigmoid", init="default", lr=1.0, dataset="xor",
                              features=("x1", "x2"), loss="bce", optimizer="sgd", l2=0.0, batch_size=0),
    "preset.zero": {**SEED_221, "init": "zeros"},
}


def widget_for(widget, label, key, *args, rerun: str | None = None, **kwargs):
    """A widget showing the setting session_state[key]; moving it changes the setting.

    The setting lives under its own key, which Streamlit never cleans up (widget state is dropped or
    reset when another page draws the same widget); the widget's key is 'w_' + key. `rerun`: the key of the page's
    body fragment (ui.body_fragment) that a move reruns alone, for a widget outside it that shows the new setting
    already, where nothing else outside it does (a setting in the sidebar: setting_widget).
    """
    if st.session_state.get(f"{key}_hide"):  # hidden by the presenter link: the setting stays as it is
        return st.session_state[key]
    value = st.session_state[key]
    st.session_state["w_" + key] = list(value) if isinstance(value, tuple) else value
    return widget(label, *args, key="w_" + key, on_change=_copy_from_widget, args=(key, rerun), **kwargs)


def _copy_from_widget(key, rerun=None):
    value = st.session_state["w_" + key]
    if isinstance(value, list):  # a multiselect (features): in the one order Config keeps; emptied, it keeps
        value = BY_KEY[key].parse("-".join(value)) if value else None  # the setting (a net needs an input)
    if value is not None:  # an emptied number box or an unselected segmented control keeps the setting
        st.session_state[key] = value
        if rerun:
            _rerun_alone(rerun)


WHOLE = ("features", "dataset", "test_fraction", "device")  # settings whose change the sidebar shows more of than
# its own widget (the inputs in Config's order, the note on held-out points, the warning without a GPU)


def _rerun_alone(fragment: str):
    """After a setting moved in the sidebar, whose widget shows it already: the page's body fragment reruns alone (the
    run, its pictures, the address: ui.body_fragment), not the page whole (the language, the page links and the other
    settings: 20 of a Train view's 72 messages, as they were). Where the page's last run did not draw that fragment
    (stopped before it by a newer run), the page runs whole, as after any widget."""
    st.session_state["_sidebar_config"] = config_from_state()  # what the sidebar shows now, Advanced's settings too
    try:
        st.rerun(fragment)
    except StreamlitAPIException:  # no such fragment in this session's last run
        pass


def sidebar_config() -> mlp.Config | None:
    """The settings the sidebar shows (as its last run drew them, or as a setting moved in it since): a body fragment
    whose settings differ (a point added on the plane) runs the page whole (ui.prologue)."""
    return st.session_state.get("_sidebar_config")


def _apply_preset(values):
    for key, value in values.items():
        st.session_state[key] = value
    clear_link_notes()  # the link's notes spoke of settings the preset has just replaced


def page_link(path: str, target=st, disabled: bool | None = None, **kwargs):
    """st.page_link (a link with a label and icon only: sent as Streamlit made it the first time,
    ui.made.link_as_made), except where the page was started on its own (`streamlit run pages/…`, AppTest of one
    page): then there is no app to link within, and no link is drawn. On a student's page that follows a live class's
    lecturer the link is greyed out: the page is the lecturer's ("Explore on my own" gives it back). `disabled`: whether
    it is greyed out, where the caller knows already (the sidebar's eight); None: ui.live.steered() says."""
    if disabled is None:
        from .live import steered  # (ui.live draws on this module's PAGES)

        disabled = steered()
    try:
        if set(kwargs) - {"label", "icon"} or not link_as_made(target, path, kwargs.get("label"), kwargs.get("icon"),
                                                               disabled):
            target.page_link(path, disabled=disabled, **kwargs)
    except StreamlitAPIException:
        pass


def page_links(links: list[tuple[str, str]], target=st):
    """A link to each page (its file, the text key of what it shows there), with the page's icon from the sidebar."""
    icons = {path: icon for path, _, _, icon in PAGES}
    for path, key in links:
        page_link(path, target=target, label=t(key), icon=icons[path])


def cuda_status() -> tuple[bool, str]:
    """(cuda usable?, what to say about it), from mlp's one test, in the session's language."""
    state = mlp.cuda_state()
    if state == "gpu":
        return True, torch.cuda.get_device_name(0)
    return False, t("device.cpu_only" if state == "cpu-only build" else "device.no_gpu", version=torch.__version__)


BASIC = ("hidden_layers", "width", "lr", "activation", "dataset")  # what a student needs; the rest: "Advanced"
ADVANCED = tuple(c.key for c in CONTROLS if c.key not in BASIC and c.key != "own_points")


def changed_advanced() -> list[str]:
    """The Advanced settings that differ from their defaults (a link or a preset set them), in the sidebar's order;
    not those the presenter link hides (`<key>_hide`: their widgets are not drawn either)."""
    return [k for k in changed_settings([BY_KEY[k] for k in ADVANCED]) if not st.session_state.get(f"{k}_hide")]


class Sidebar(NamedTuple):
    """What the sidebar gives its page: the place under the Device control for the measured time per step
    (ui.train(..., timing=)); None without the controls. (The settings it shows: sidebar_config.)"""
    timing: object | None


def sidebar(controls: bool = True, local=(), following: bool = False, body: str | None = None) -> Sidebar:
    """The shared sidebar (on every page): language, page links, and, with `controls`, the presets, the five
    settings a student needs and the rest under "Advanced". Then the URL is written: the settings and the
    page's own controls (`local`) that differ from their defaults. `following`: a student's page that follows a
    live class's lecturer (ui.live.steered): the settings are the lecturer's, and a page takes each new one over (in
    its body, ui.body_fragment, where it draws its body as one), so the sidebar shows none of them (they would stand
    still there) and says how to get one's own. `body`: the key of the page's body fragment (ui.body_fragment), which
    a setting moved here reruns alone (the rest of the sidebar shows what it showed); None: the page runs whole."""
    s = st.sidebar
    widget_for(s.segmented_control, "Language · 언어", "lang", list(LANGS), format_func=LANGS.get)
    links = s.columns(1 if st.session_state.get("presenter") else 2, gap="small")  # a projector's fonts are large
    for i, (path, _, title, icon) in enumerate(PAGES):
        page_link(path, label=t(NAV_LABELS.get(title, title)), icon=icon, target=links[i % len(links)],
                  disabled=following)  # (greyed out while a student follows: the page is the lecturer's)
    timing = None
    if controls and not following:
        timing = settings(s, body)
    else:
        s.caption(t("side.following" if following else "side.lesson_settings"))
    sync_url(local)
    st.session_state["_sidebar_config"] = config_from_state()
    return Sidebar(timing)


def setting_widget(body: str | None):
    """widget_for for the sidebar's settings, each labelled with its name: a move reruns the page's body fragment
    `body` alone, unless the sidebar shows more of that setting (WHOLE) or the page has none (None): then the page
    runs whole."""
    def setting(widget, key, *args, **kwargs):
        return widget_for(widget, t(f"ctl.{key}"), key, *args, rerun=None if key in WHOLE else body, **kwargs)
    return setting


def settings(s, body=None):
    """The presets, the basic settings, and "Advanced" (folded until the student opens it; its widgets are drawn only
    while it is open, the settings stay in session state; folded, a line under it names those a link or a preset
    changed); returns the place for the measured time per step. `body`: the page's body fragment, which a setting
    moved reruns alone where it can (setting_widget)."""
    setting = setting_widget(body)
    names = {name: t(name) for name in PRESETS}
    s.pills(t("side.presets"), list(names), format_func=names.get, key="w_preset", on_change=_preset_chosen)
    for key in ("hidden_layers", "width"):  # the slider's range is the control's (the URL allows the same)
        setting(s.slider, key, BY_KEY[key].lo, BY_KEY[key].hi, help=t(f"help.{key}"))
    setting(s.select_slider, "lr", options=LR_OPTIONS, format_func=lambda v: f"{v:g}",
            help=t("help.lr"))
    setting(s.selectbox, "activation", list(mlp.ACTIVATIONS), help=t("help.activation"))
    datasets = {k: t(f"data.{k}") for k in mlp.DATASETS}
    setting(s.selectbox, "dataset", list(datasets), format_func=datasets.get)
    folded = s.expander(t("side.advanced"), expanded=bool(st.session_state.get("advanced")), key="advanced",
                        on_change="rerun", icon=":material/tune:")
    if not folded.open:  # drawn only when open: most students never open it, and its ten widgets cost every run
        if changed := changed_advanced():  # (folded, none of them moves but by a link, a preset or Back: whole runs)
            s.caption(t("side.advanced_changed", names=", ".join(t(f"ctl.{k}") for k in changed)))
            held_out_note(s)  # and what the open "Advanced" says under those two settings
            cuda_warning(s, *cuda_status())
        return s.empty()  # the time per step, under the folded "Advanced"
    with folded:
        return advanced(setting)


def advanced(setting):
    """Everything a student can leave alone at first: inputs, gradients, loss, update rule, L2, batches, device,
    initial weights, held-out points, steps and the random seed; returns the place under Device for the time
    per step. `setting`: widget_for for a setting (setting_widget's)."""
    has_cuda, cuda_text = cuda_status()
    setting(st.multiselect, "features", list(mlp.FEATURE_NAMES),
            format_func=FEATURE_LABELS.get, help=t("help.features"))
    inits = {k: t(f"init.{k}") for k in mlp.INITS}
    setting(st.selectbox, "init", list(inits), format_func=inits.get, help=t("help.init"))
    labels = {b: t(f"backend.{b}") for b in mlp.BACKENDS}  # fixed now: AppTest calls format_func later
    setting(st.radio, "backend", list(mlp.BACKENDS), format_func=labels.get,
            help=t("help.backend"))
    losses = {k: t(f"loss.{k}") for k in mlp.losses.LOSSES}
    setting(st.selectbox, "loss", list(losses), format_func=losses.get, help=t("help.loss"))
    rules = {k: t(f"opt.{k}") for k in mlp.optim.RULES}
    setting(st.selectbox, "optimizer", list(rules), format_func=rules.get,
            help=t("help.optimizer"))
    setting(st.select_slider, "l2", options=L2_OPTIONS, format_func=lambda v: f"{v:g}",
            help=t("help.l2"))
    setting(st.select_slider, "batch_size", options=BATCH_OPTIONS, help=t("help.batch_size"),
            format_func=lambda v: f"{v}" if v else t("batch.full"))
    setting(st.select_slider, "test_fraction", options=TEST_OPTIONS,
            format_func=lambda v: f"{v:.0%}", help=t("help.test_fraction"))
    held_out_note(st)
    setting(st.number_input, "steps", 1, STEPS_MAX, step=1000, help=t("help.steps"))
    setting(st.number_input, "seed", 0, SEED_MAX, step=1, help=t("help.seed"))
    device_label = {"auto": "auto", "cpu": "cpu", "cuda": "cuda" if has_cuda else t("device.unavailable")}
    setting(st.selectbox, "device", ["auto", "cpu", "cuda"], format_func=device_label.get,
            help=t("help.device", status=cuda_text))
    cuda_warning(st, has_cuda, cuda_text)
    return st.empty()  # filled with the measured time per step once a run is here


def held_out_note(target):
    """Points held out on a dataset whose four points cannot spare any: the note that none are."""
    if st.session_state["test_fraction"] and st.session_state["dataset"] not in mlp.config.NOISY_DATASETS:
        target.caption(t("side.test_ignored"))


def cuda_warning(target, has_cuda: bool, cuda_text: str):
    """cuda chosen where there is none: what the run uses instead, and why."""
    if st.session_state["device"] == "cuda" and not has_cuda and not st.session_state.get("device_hide"):
        target.warning(t("device.no_cuda", status=cuda_text), icon="⚠️")


def _preset_chosen():
    """A preset pill sets its net's settings at once; the pill itself does not stay selected (a one-shot)."""
    name = st.session_state.get("w_preset")
    if name in PRESETS:
        _apply_preset(PRESETS[name])
    st.session_state["w_preset"] = None


def config_from_state() -> mlp.Config:
    return config_of(setting_values(CONTROLS))
