"""The page lifecycle: the first call of every page (page config, the URL → state load, presenter styles,
link notes), the session's language and texts, the address bar, and the guard that keeps tracebacks off
the page.
"""

from __future__ import annotations

import functools
import html
import threading
from contextlib import contextmanager
from dataclasses import replace

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

import mlp
from i18n import LANGS, tr

from .state import CONTROLS, SIDEBAR_KEYS, VIEW, parse_query, relative, safe_text, url_query


def setting_values(controls) -> dict:
    """key → each control's value in the session state, its default where the state has none: what
    `st.session_state.get(c.key, c.default)` reads for each, read in one go (`_in_one_go`)."""

    def read(state):
        values = {}
        for c in controls:
            try:
                values[c.key] = state[c.key]
            except KeyError:
                values[c.key] = c.default
        return values

    return _in_one_go(read, lambda: {c.key: st.session_state.get(c.key, c.default) for c in controls})


def set_defaults(controls):
    """Each control the session state has no value for gets its default: `st.session_state.setdefault` for each,
    in one go (`_in_one_go`)."""

    def fill(state):
        for c in controls:
            if c.key not in state:
                state[c.key] = c.default

    def one_by_one():
        for c in controls:
            st.session_state.setdefault(c.key, c.default)

    _in_one_go(fill, one_by_one)


def _in_one_go(work, one_by_one):
    """work(the session's SessionState), under its lock, after one check for an asked-for rerun: what each
    `st.session_state` read or write does for itself. A page reads its ~20 settings several times a run (a link,
    the address, the run's config: ~440 reads a Train view and move), each a check and a lock; here once for all.
    one_by_one(): the same through `st.session_state` (no script run, or a Streamlit without these internals)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    safe = getattr(ctx, "session_state", None)
    if not all(hasattr(safe, name) for name in ("_state", "_lock", "_yield_callback")):
        return one_by_one()
    safe._yield_callback()
    with safe._lock:
        return work(safe._state)


def changed_settings(controls, **overrides) -> dict:
    """key → value of the session's settings (overrides applied) that differ from their defaults:
    what a link, a pin or the address bar has to carry."""
    values = setting_values(controls)
    values.update(overrides)
    return {c.key: values[c.key] for c in controls if values[c.key] != c.default}


def link(page_path: str, page_query: dict | None = None, **changes) -> str:
    """A relative link to a page with the current sidebar settings, changed as given (e.g. seed=5), and the page's
    own controls in their URL form (`page_query`, e.g. {"lesson": "3"})."""
    return relative(page_path, {**url_query(changed_settings(CONTROLS, **changes), CONTROLS), **(page_query or {})})


def current_pin() -> tuple:
    return tuple(sorted(changed_settings(CONTROLS).items()))


_RUN_LANG = threading.local()  # this script thread's run: (its cursors, the language page() settled for it)


def lang() -> str:
    """The session's language. A page asks ~150 times a run (each text): read from session state once the run has
    settled it (settle_lang), since each read there is a check for a rerun and a lock (5 % of a page's run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    kept = getattr(_RUN_LANG, "kept", None)
    if ctx is not None and kept is not None and kept[0] is ctx.cursors:
        return kept[1]
    return st.session_state.get("lang", "en")


_RUN_WALKED = threading.local()  # the cursors of the run whose page() walked the browser's history (walked())


def walked() -> bool:
    """Did this run of the page start at an address of the browser's history other than the one the page last wrote
    (page(): the browser's Back or Forward, or a request sent before the page's new address reached the browser)?
    Its settings are then that address's: on a following student's page, not the lecturer's view it last took over
    (ui.live takes it over again)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx is not None and getattr(_RUN_WALKED, "cursors", None) is ctx.cursors


def settle_lang():
    """This run's language is settled (page() has taken the link's; a fragment's run starts with the page's): the
    rest of the run reads it once. Streamlit starts each run, and each fragment's run, with new cursors, so what is
    kept holds for this run only; nothing in a run changes the language after its page() (the language control
    takes effect in the next run, and a followed lecturer's view leaves each student's own)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    _RUN_LANG.kept = None if ctx is None else (ctx.cursors, st.session_state.get("lang", "en"))


def t(key: str, **values) -> str:
    """The text for key in the session's language."""
    return tr(key, lang(), **values)


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
    adopted = st.session_state.pop("_adopt", None)  # a followed lecturer's view (adopt) …
    if adopted is not None and {k: v[-1] for k, v in params.items()} == adopted["query"]:
        st.session_state.update(adopted["arrive"])  # … that this run really shows (not an address sent before it)
    ctx = get_script_run_ctx(suppress_warning=True)
    _RUN_WALKED.cursors = ctx.cursors if ctx is not None and navigated and adopted is None else None
    navigated = adopted is not None or navigated
    if title not in loaded or navigated:  # this page's first run in this session: take its settings from the URL
        values, notes = parse_query(params, known, lang())
        for c in known:
            if c.key in values and (c.key not in SIDEBAR_KEYS or "sidebar" not in loaded or navigated):
                st.session_state[c.key] = values[c.key]  # later, the session's sidebar state rules …
            elif navigated:  # … except when walking the history: what the entry leaves out is the default
                st.session_state[c.key] = c.default
        st.session_state["_notes"] = notes  # shown on every rerun of the page until a preset replaces them
        loaded.update({title, "sidebar"})
    st.session_state["_url_page"] = title
    set_defaults(known)
    settle_lang()
    presenter_styles()
    for note in st.session_state.get("_notes", []):
        st.warning(note, icon="🔗")


def adopt(page_file: str, query: dict, here: bool, arrive: dict | None = None):
    """Open `page_file` (`here`: the page running now) with the settings of `query` and nothing else, as the
    browser's Back to that address would (what it leaves out is the default): how a student's page takes over
    the lecturer's view. `arrive`: session state that the page's run sets when it starts with this very address, so
    that it is true only once the page has really been taken over (a run cut short, or overtaken by a request
    that carried the address before it, takes the view over again)."""
    query = {k: str(v) for k, v in query.items()}
    st.session_state["_adopt"] = {"query": query, "arrive": dict(arrive or {})}
    if here:
        st.query_params.from_dict(query)
        st.rerun()
    st.switch_page(page_file, query_params=query)


def clear_link_notes():
    """The link's notes are said: a preset has replaced the settings they spoke of."""
    st.session_state["_notes"] = []


PRESENTER_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
[data-testid="stMainBlockContainer"] { padding-top: 2.3rem; padding-bottom: 2rem;
  padding-left: 2rem; padding-right: 2rem; max-width: none; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
h1 { font-size: 2.4rem !important; padding-top: 0 !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.1rem !important; }
[data-testid="stToolbarActions"], [data-testid="stMainMenu"], [data-testid="stDecoration"] { display: none; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stCode"] code, [data-testid="stCode"] pre { font-size: 18px !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 18px !important; }
/* a slider's value sits above its thumb at the larger size too (Streamlit's offset is for its own font size) */
[data-testid="stSliderThumbValue"] { top: auto !important; bottom: 100% !important; }
[data-testid="stRadioOption"] > div > div:first-child { margin-top: calc((1.6 * 1.15rem - 1rem) / 2) !important; }
/* "About this page" (a page's intro, folded: ui.widgets.intro) right after the title goes up on the title's line, at
   its right: the line it leaves free is what the run's pictures need to fit a 1280x720 projector's first screen.
   (Should anything stand between them, it keeps its own line; a live class's box and a link's notes are above the
   title.) */
[data-testid="stMain"] [data-testid="stElementContainer"]:has(h1) + [data-testid="stLayoutWrapper"]:has(> .st-key-intro)
{ align-self: flex-end; width: auto !important; max-width: 60%; margin-top: calc(-2.5rem - 1rem); }
/* A live class's box on the lecturer's projected page: at the top of the page (Streamlit's header is see-through
   here) and half its padding, ~50 px more of the run's pictures on a 1280x720 first screen */
[data-testid="stMain"] .st-key-class_bar { margin-top: 0; }
[data-testid="stMain"] .st-key-class_box { padding-top: 0.4rem; padding-bottom: 0.4rem; }
/* … and with no question open (ui.live's class_line: the class, how many follow, their own question), the line goes
   up into the strip above the title, smaller, over Streamlit's see-through header (clickable); where nothing else of
   the class stays in the page (no Lesson step's question to ask: ui.live's class_ask), its place takes no room
   either: the run's pictures keep the first screen they have without a class */
[data-testid="stMainBlockContainer"] { position: relative; }
[data-testid="stMain"] .st-key-class_line
{ position: absolute; top: 0.15rem; left: 2rem; width: max-content !important; z-index: 999991; border: none;
  padding: 0; gap: 0.5rem; }
[data-testid="stMain"] [data-testid="stLayoutWrapper"]:has(> .st-key-class_bar
  .st-key-class_line):not(:has(.st-key-class_ask)) { position: absolute; top: 0; left: 0; }
[data-testid="stMain"] .st-key-class_line p { font-size: 0.85rem !important; }
[data-testid="stMain"] .st-key-class_line button { min-height: 0; padding: 0.1rem 0.6rem; }
</style>"""


HIDE_SIDEBAR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"]
{ display: none; }
</style>"""


KOREAN_CSS = """<style>
/* Korean breaks between words (at spaces), never inside one: 꼭짓점, not 꼭짓/점 */
[data-testid="stAppViewContainer"] *, [data-testid="stSidebar"] * { word-break: keep-all !important;
  overflow-wrap: break-word; }
</style>"""


BASE_CSS = """<style>
/* Less empty space above the title: the pictures of a run belong on the first screen of a laptop */
[data-testid="stMainBlockContainer"] { padding-top: 3rem; }
/* A radio's circle beside its label's first line, not halfway down a label of two lines (where it sat beside the
   next option's words), and a gap between options: its margin is half of (the label's line, 1.6 × its font, less
   the 1rem circle) */
[data-testid="stRadioOption"] > div { align-items: flex-start; }
[data-testid="stRadioOption"] > div > div:first-child { margin-top: calc((1.6 * 1rem - 1rem) / 2); }
[data-testid="stSidebar"] [data-testid="stRadioOption"] > div > div:first-child {
  margin-top: calc((1.6 * 0.875rem - 1rem) / 2); }
[data-testid="stRadioGroup"] > div + div { margin-top: 0.3rem; }
/* A metric's label wraps rather than end in "…" where its column is narrow (Robustness's four beside the sidebar on a
   projector: "Median steps to so…") */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"], [data-testid="stMetricLabel"] p {
  white-space: normal !important; }
/* A page link in a page's body says what the page shows: it wraps as text does, where Streamlit cuts it at the
   column's edge (made for the sidebar's one-word links) */
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] > span:last-child { white-space: normal; }
/* A column holding a picture of a fixed size (in a container keyed fixed_…: ui.play's input plane, Lesson 7's unit
   pictures) never narrower than the picture: in a narrow window (below 1280 px with the sidebar open) the row wraps
   rather than run the picture under the next column's. (Not a picture as wide as its column: its width follows the
   column's, and a column held at it could not narrow.) On a phone (below 640 px) Streamlit stacks the columns
   itself, each the screen's width, and a picture wider than that (Train's unit pictures, 600 px; Lesson 7's hidden
   units, 402) scrolls sideways within the page's width rather than run past the screen's edge. (Not drawn smaller:
   Vega reads a hover or a click on a picture unscaled, so the tooltip would name another unit, a click on the plane
   add a point elsewhere.) */
@media (min-width: 640px) { [data-testid="stColumn"]:has([class*="st-key-fixed_"]) { min-width: min-content; } }
/* … and the input plane's column (ui.play: fixed_…_plane) no wider than the plane either: on a wide screen (a 1920-px
   projector) the room its share of the row left empty beside it goes to the net and the curves */
@media (min-width: 640px) { [data-testid="stColumn"]:has([class*="st-key-fixed_"][class*="_plane"]) {
  flex: 0 0 auto !important; width: auto !important; } }
@media (max-width: 639.98px) {
  [data-testid="stMain"] [data-testid="stVegaLiteChart"] { max-width: 100%; overflow-x: auto; } }
/* On a phone the page's title and a Lesson step's heading a size smaller: at Streamlit's sizes the title took three
   lines of a 390-px screen and the Korean step 4 broke its net's name ("2-10-10-10-" / "1:") */
@media (max-width: 639.98px) {
  [data-testid="stMain"] h1 { font-size: 2.1rem !important; }
  [data-testid="stMain"] h2 { font-size: 1.65rem !important; } }
</style>"""


def presenter_styles():
    """Large fonts for the projector (presenter=1), no sidebar (sidebar_hide=1) and Korean's line breaks between
    words: our own fixed CSS."""
    st.html(BASE_CSS)
    if lang() == "ko":
        st.html(KOREAN_CSS)
    if st.session_state.get("presenter"):
        st.html(PRESENTER_CSS)
    if st.session_state.get("sidebar_hide"):
        st.html(HIDE_SIDEBAR_CSS)


def sync_url(local=()):
    """Write the current settings and the page's own controls (`local`) into the URL: those that differ from
    their defaults."""
    controls = CONTROLS + VIEW + list(local)
    want = url_query(changed_settings(controls), controls)
    if {k: st.query_params.get(k) for k in st.query_params.keys()} != want:
        st.query_params.from_dict(want)  # a new entry in the browser's history: Back returns to this one
    st.session_state["_url_written"] = want


def absolute(page_path: str, query: dict) -> str:
    """The full address of a page with a query, as the browser sees this app (st.context.url)."""
    from urllib.parse import urljoin

    target = relative(page_path or "./", query)
    try:
        here = st.context.url
    except Exception:  # noqa: BLE001  (no browser: AppTest, a bare script)
        here = None
    return urljoin(here, target) if here else target


@contextmanager
def guard():
    """No traceback ever reaches the page: an unexpected error becomes a message with what to try."""
    try:
        yield
    except Exception as e:  # noqa: BLE001  (reruns and stops derive from BaseException and pass through)
        st.error(t("msg.error", error=f"{html.escape(type(e).__name__)}: {safe_text(e, 200)}",
                   preset=t("preset.seed221")), icon="🛑")


def fragment(func=None, *, run_every=None, key=None):
    """st.fragment, guarded: Streamlit shows an error inside a fragment as a traceback (at once, in the page's run
    too) before any guard() around the fragment's call sees it, so each run of the fragment is guarded within.
    As a decorator (@fragment, @fragment(run_every=…)) or called (fragment(func, run_every=…, key=…)); `key`: the
    name a widget's callback reruns it alone by (st.rerun(key))."""
    def wrap(func):
        @functools.wraps(func)  # (Streamlit tells fragments apart by their function's module and name)
        def guarded(*args, **kwargs):
            with guard():
                func(*args, **kwargs)
        return st.fragment(guarded, run_every=run_every, key=key)
    return wrap(func) if func is not None else wrap


def with_config(config: mlp.Config, **changes) -> mlp.Config:
    return replace(config, **changes)
