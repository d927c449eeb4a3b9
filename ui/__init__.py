"""The app's own package: everything the pages share. One concern a file:

    state.py     the URL's table of controls and how a value is checked (no Streamlit)
    session.py   the page lifecycle: page(), the language and texts, the address bar, guard()
    prologue.py  page_frame(): the one context manager every page opens with; body_fragment() for a body redrawn alone,
                 step_fragment() for the part of it a step moves
    sidebar.py   the shared sidebar, presets, and widgets bound to settings
    runs.py      runs and sweeps from one bounded store, streamed
    notices.py   what to say about a run: what went wrong, why (mlp.diagnose) and what to try
    charts.py    Altair charts of a run (no Streamlit): testable and savable without a server
    network.py   the net as a picture: its units, its weights as lines (no Streamlit)
    units.py     Altair charts of one layer's units: their pictures, their gradients over the run
    comparisons.py  Altair charts of many runs: overlays, a sweep's seeds, layer profiles
    figures.py   drawing charts fast: built once, kept, data swapped in place
    widgets.py   rows, metrics, downloads, the link to this view and its QR code, intros
    points.py    the students' own points: CSV in and out, their form in a link (no Streamlit)
    owndata.py   the Train page's controls for them: click to add, upload, undo, download
    lesson.py    the Lesson's runs, what settles each step's question, the hidden units named, a feature cross
    turns.py     trainings take turns at the cores, the lecturer first (no Streamlit)
    play.py      Play at lecture speed (Train, Chain rule): the step slider, Play / Pause, the moving pictures
    classroom.py a live class's store: code and key, the lecturer's view, questions and answers, in the process
                 (no Streamlit); classroom_redis.py the same in Redis, for replicas
    live.py      the live class on every page: the lecturer's line, a student following, exploring, the class box
    questions.py its questions: each Lesson step's and a lecturer's own, asked, answered, counted, revealed
    fanout.py    a class's changes pushed to the followers' pages of this process (one thread, no polling pages)
    handover.py  Streamlit's hand-over of a run's messages to the event loop mended: a finished run's go out before
                 the next run starts, and those a run sends while the loop is busy go over as one batch; a message
                 queued on the loop wakes its sender without a system call
    server_costs.py  what Streamlit's server does on every run, message or second, done less: each run's first
                 message copied, the media swept once a second, texts worked out once, fewer wake-ups when idle
    made.py      a kept chart, a link to a page or a text, sent as the element Streamlit made of it the first time

Pages use the names below (`ui.page`, `ui.sidebar`, `ui.train`, …). Importing ui has no side effect: the
first page a server runs mends Streamlit's hand-over and costs (handover.py, server_costs.py), freezes the
objects that live as long as the process out of Python's garbage collector (ui.page_frame →
figures.freeze_what_lives_forever: a full collection walks them all, 0.12 s with torch, pandas and Altair loaded;
frozen, microseconds) and has Altair
check each chart's spec once per shape instead of every object as it is built (figures.check_charts_once_per_shape).
"""

from . import charts, comparisons, lesson, live, network, owndata, play, points, units
from .figures import (
    animated,
    chart,
    chart_of,
    comparison,
    history,
    history_slots,
    streaming_history,
    vega_lite_spec,
)
from .notices import run_messages
from .prologue import body_fragment, page_frame, step_fragment
from .runs import RunStore, per_step_text, solved_costs, sweep, train
from .session import absolute, changed_settings, current_pin, guard, lang, link, page, sync_url, t, with_config
from .sidebar import PAGES, PRESETS, SEED_221, config_from_state, cuda_status, page_link, sidebar, widget_for
from .state import (
    BY_KEY,
    CONTROLS,
    DEFAULTS,
    END,
    LR_OPTIONS,
    MAX_PINS,
    SEED_MAX,
    STEPS_MAX,
    URL_NAMES,
    VIEW,
    VIEW_BY_KEY,
    Control,
    config_of,
    key_of,
    parse_pins,
    parse_query,
    relative,
    safe_text,
    url_name,
    url_query,
)
from .widgets import (
    chart_downloads,
    copy_link,
    cost_help,
    downloads,
    for_students,
    history_csv,
    intro,
    label,
    metrics,
    notebook_download,
    qr_code,
    row,
    stuck_notes,
    student_query,
    students_link,
)

__all__ = [
    "BY_KEY", "CONTROLS", "DEFAULTS", "END", "LR_OPTIONS", "MAX_PINS", "PAGES", "PRESETS", "SEED_221", "SEED_MAX",
    "STEPS_MAX", "URL_NAMES", "VIEW", "VIEW_BY_KEY", "absolute", "animated", "body_fragment", "changed_settings",
    "chart",
    "chart_downloads",
    "chart_of", "charts", "comparison", "comparisons", "config_from_state", "config_of", "Control", "copy_link",
    "cuda_status", "current_pin", "downloads", "guard", "history", "history_csv", "history_slots", "intro", "lang",
    "link", "metrics", "notebook_download", "page", "page_frame", "page_link", "parse_pins", "parse_query",
    "per_step_text", "qr_code",
    "relative", "row", "run_messages", "RunStore", "safe_text", "sidebar", "solved_costs", "student_query", "sweep",
    "step_fragment", "streaming_history", "sync_url", "t",
    "cost_help", "for_students", "label", "stuck_notes", "students_link", "train", "url_query", "url_name", "key_of",
    "vega_lite_spec",
    "widget_for", "with_config", "lesson", "live", "network", "owndata", "play", "points", "units",
]
