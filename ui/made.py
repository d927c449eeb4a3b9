"""Elements sent as Streamlit made them the first time: a kept chart (ui.figures draws every finished run's chart and
paused picture this way), a link to a page, a text (a caption, a heading, a metric, an alert). Streamlit's own
command makes the element once, into a stand-in for the page, and it is sent as made on every later draw, its
message's hash kept with it. The same messages, byte for byte, as Streamlit's own drawing (tests/test_figures.py); a
chart drawn again costs ~40 µs of the script's thread, not ~185, a link ~15, not ~60, a text ~15, not ~30
(docs/reliability.md).
"""

from __future__ import annotations

import functools
import threading
import types

import streamlit as st

try:  # Streamlit's own making of a chart's element and a page link's, and its check for the agent API
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.elements.lib import agent_spec
    from streamlit.elements.vega_charts import VegaChartsMixin
    from streamlit.elements.widgets.button import ButtonMixin
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    from streamlit.util import in_sidebar
except ImportError:  # (a Streamlit without them: every chart, link and text is drawn by Streamlit's own commands)
    agent_spec = VegaChartsMixin = ButtonMixin = DeltaGenerator = get_script_run_ctx = in_sidebar = None

ELEMENTS_KEPT = 8  # the most elements a kept chart keeps (one a width and alt text: a language, a column)
HASHES_KEPT = 16  # the most message hashes an element keeps (one a fragment it is drawn in)
LINKS_KEPT = 64  # the most page links kept as made (the sidebar's eight and a page's own, in each language)
TEXTS = ("caption", "markdown", "title", "header", "subheader", "metric", "info", "success", "warning", "error")
TEXTS_KEPT = 512  # the most texts a command keeps as made (a text drawn once, a step's caption while playing: dropped)
_TEXTS_MADE = None
_LINKS: dict = {}  # (the app's main script, page file, label, icon, width) → the link's element as Streamlit made it


class _Maker:
    """Stands in for the page where Streamlit makes an element: what it would send is kept here instead."""

    element = None

    @property
    def dg(self):
        return self

    def _enqueue(self, delta_type, element, layout_config=None, **_):
        self.element = (delta_type, element, layout_config, {})  # {}: its messages' hashes (_hash_as_made)

    def _chart_agent_props(self, *_, **__):
        return None  # (only made where the agent API is not recording: send_as_made)

    def __getattr__(self, name):
        """A command's own helper (st.markdown's `_markdown`), a function of the page's class: run for this stand-in."""
        helper = getattr(DeltaGenerator, name, None) if name.startswith("_") else None
        if not isinstance(helper, types.FunctionType):
            raise AttributeError(name)
        return types.MethodType(helper, self)


_SENDING = threading.local()  # .element: the made element this thread is sending (its message is next hashed)


def send_as_made(spec: dict, target, width, alt_text, made: dict) -> bool:
    """A kept chart drawn again (the next student with the same link, a slider moved elsewhere on the page): the
    element Streamlit made of it the first time, sent as made. Streamlit's own `vega_lite_chart` makes it, into a
    stand-in for the page (_Maker), so it is the element Streamlit would send; each later draw is spared that making
    (the spec's JSON written, its data copied in, its checks) and the hashing of its message (_hash_as_made): a
    chart drawn again costs ~40 µs of the script's thread, not ~185 (docs/reliability.md). `made` keeps it by width
    and alt text. Returns False, nothing sent, where it
    cannot: the agent API records the page (it describes each element as drawn), or this Streamlit lacks the
    internals (the chart is then drawn as any other)."""
    dg = getattr(getattr(target, "vega_lite_chart", None), "__self__", None)  # (st's: the main area's)
    if VegaChartsMixin is None or not hasattr(dg, "_enqueue") or agent_spec.is_recording() or not _hash_as_made():
        return False
    element = _kept(made, (width, alt_text), ELEMENTS_KEPT, lambda maker: VegaChartsMixin._vega_lite_chart(
        maker, spec=spec, width=width, theme=None, alt=alt_text))
    if element is None:
        return False
    _send(dg, element)
    return True


def link_as_made(target, path: str, label: str | None, icon: str | None, disabled: bool = False) -> bool:
    """A link to a page of the app (the sidebar's eight, on every full run of every page): the element Streamlit's own
    page_link made of it the first time, sent as made. Streamlit's making looks the page's file up among the app's
    pages (a realpath, each page's path) and checks the icon on every draw: ~60 µs a link, ~15 as made. Kept by the
    app's main script, the file, label, icon, whether it is greyed out (a following student's: ui.sidebar.page_link)
    and width (the sidebar's links stretch, as Streamlit's do). Returns
    False, nothing sent, where it cannot (as send_as_made); raises as Streamlit's own page_link does where there is
    no such page (an app of one page)."""
    dg = getattr(getattr(target, "page_link", None), "__self__", None)
    ctx = get_script_run_ctx() if get_script_run_ctx is not None else None
    if ButtonMixin is None or ctx is None or not hasattr(dg, "_enqueue") or agent_spec.is_recording() or \
            not _hash_as_made():
        return False
    width = "stretch" if in_sidebar(dg) else "content"  # (as Streamlit's page_link decides it)
    element = _kept(_LINKS, (ctx.main_script_path, path, label, icon, disabled, width), LINKS_KEPT,
                    lambda maker: ButtonMixin._page_link(maker, path, label=label, icon=icon, disabled=disabled,
                                                         width=width))
    if element is None:
        return False
    _send(dg, element)
    return True


def texts_as_made() -> bool:
    """Once a process (ui.handover.mend): Streamlit's commands for text (TEXTS: a caption, a heading, a metric, an
    alert) send, for arguments they have drawn before, the element they made then: each is a pure function of its
    arguments and of whether it is in the sidebar, so Streamlit's making (its checks of the text, the icon, the width;
    the element's message hashed) is done once, not on every run of every page: ~30 µs a text, ~15 as made; a
    Train view and move draws ~30. Kept by command, arguments and sidebar, at most TEXTS_KEPT a command. Arguments
    that cannot be kept (a list, a frame), a script run the agent API records, or a Streamlit without these
    internals: Streamlit's own command. Returns whether it did so."""
    global _TEXTS_MADE
    if _TEXTS_MADE is None:
        _TEXTS_MADE = DeltaGenerator is not None and _hash_as_made() and all(hasattr(DeltaGenerator, n) for n in TEXTS)
        if _TEXTS_MADE:
            for name in TEXTS:
                as_made = _text_as_made(getattr(DeltaGenerator, name))
                setattr(DeltaGenerator, name, as_made)
                bound = getattr(st, name, None)  # st.caption: the main area's, bound when Streamlit was imported
                if isinstance(getattr(bound, "__self__", None), DeltaGenerator):
                    setattr(st, name, as_made.__get__(bound.__self__))
    return _TEXTS_MADE


def _text_as_made(command):
    """`command(dg, *args, **kwargs)`, one of Streamlit's commands for text, sending what it made before for these
    arguments (texts_as_made)."""
    kept: dict = {}

    def as_made(self, *args, **kwargs):
        if agent_spec.is_recording() or get_script_run_ctx() is None:
            return command(self, *args, **kwargs)
        try:
            key = (args, tuple(sorted(kwargs.items())), in_sidebar(self))
            element = _kept(kept, key, TEXTS_KEPT, lambda maker: command(maker, *args, **kwargs))
        except Exception:  # noqa: BLE001  (an argument that cannot be a key, a command asking more of its page:
            element = None  # Streamlit's own, raising as it does)
        return command(self, *args, **kwargs) if element is None else _send(self, element)

    functools.update_wrapper(as_made, command)
    return as_made


def _kept(kept: dict, key, most: int, make):
    """The element kept under `key`, or made now by `make(maker)` into a stand-in for the page (_Maker) and kept (at
    most `most` in `kept`: all dropped when full); None where the making sent nothing."""
    element = kept.get(key)
    if element is None:
        maker = _Maker()
        make(maker)
        if maker.element is None:
            return None
        if len(kept) >= most:
            kept.clear()
        element = kept[key] = maker.element
    return element


def _send(dg, element):
    """A made element sent to the page (`dg`: where Streamlit's own command would have sent it), its message's hash
    the one kept with it (_hash_as_made). Returns what Streamlit's command returns: the element's place."""
    delta_type, proto, layout_config, _ = element
    _SENDING.element = element
    try:
        return dg._enqueue(delta_type, proto, layout_config=layout_config)
    finally:
        _SENDING.element = None


_HASHING_AS_MADE = None


def _hash_as_made() -> bool:
    """Once a process: Streamlit hashes every message it sends (a blake2b of the whole message: the browser keeps
    messages by their hash and is sent a reference to one it has), ~50 µs a chart's message. A made element's
    message (send_as_made) is the same message each time it is drawn in the same fragment (its metadata, the place on
    the page, is not hashed), so its hash is worked out once a fragment, as Streamlit works it out, and kept with the
    element. Returns whether Streamlit's hashing is there to be mended (and now is)."""
    global _HASHING_AS_MADE
    if _HASHING_AS_MADE is None:
        try:
            from streamlit.runtime.scriptrunner_utils import script_run_context
            populate = script_run_context.populate_hash_if_needed
        except (ImportError, AttributeError):
            _HASHING_AS_MADE = False
            return False

        def populate_as_made(msg):
            element = getattr(_SENDING, "element", None)
            if element is None or msg.WhichOneof("type") != "delta" or \
                    msg.delta.new_element.WhichOneof("type") != element[0]:
                return populate(msg)  # (a container Streamlit makes first, for a chart a fragment draws elsewhere)
            _SENDING.element = None
            hashes, fragment = element[3], msg.delta.fragment_id
            kept = hashes.get(fragment)
            if kept is None:
                populate(msg)
                if len(hashes) >= HASHES_KEPT:
                    hashes.clear()
                kept = hashes[fragment] = (msg.hash, msg.metadata.cacheable)
            msg.hash, msg.metadata.cacheable = kept

        populate_as_made.__wrapped__ = populate
        script_run_context.populate_hash_if_needed = populate_as_made
        _HASHING_AS_MADE = True
    return _HASHING_AS_MADE
