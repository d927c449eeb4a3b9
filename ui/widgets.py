"""Small pieces of pages: rows that wrap, the run's metrics, downloads, the link to this view with its
QR code for the students, and an intro that folds away on the projector.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import parse_qsl

import streamlit as st

import mlp

from .runs import per_step_text
from .session import absolute, lang, link, t
from .state import VIEW, key_of


def row():
    """A row of buttons or metrics, each as wide as its content, wrapping onto the next line where the
    screen is narrow (a projector at 1280 px, large fonts): nothing is cut to "Downl…"."""
    return st.container(horizontal=True, wrap=True, gap="medium")


def metrics(run):
    box = row()
    box.metric(t("metric.cost"), f"{run.cost[-1]:.4g}" if run.steps_done else "—", help=cost_help(run.config),
               width="content")
    box.metric(t("metric.accuracy"), f"{run.accuracy[-1]:.0%}" if run.steps_done else "—", width="content")
    if len(run.test_cost):  # points held out: how the net does on points it never trained on
        box.metric(t("metric.test_accuracy"), f"{run.test_accuracy[-1]:.0%}", width="content")
    box.metric(t("metric.time"), per_step_text(run.seconds_per_step).removesuffix("/step"), width="content")
    box.metric(t("metric.device"), run.device, width="content")


def label(config) -> str:
    """A run's short name in the session's language (Config.label with this language's words; code names such
    as 'bce', 'adam' or 'xor' stay as the course writes them)."""
    words = {k: t(f"label.{k}") for k in mlp.config.LABEL_WORDS}
    words.update({name: t(f"act.{name}") for name in mlp.ACTIVATIONS})
    words.update({name: t(f"label.{name}") for name in mlp.BACKENDS})
    return config.label(words)


def cost_help(config) -> str:
    """What the cost is for this run: its loss (and where a coin toss sits), plus the L2 term where there is one."""
    text = t(f"metric.cost_help.{config.loss}")
    return text + (t("metric.cost_help_l2") if config.l2 else "")


def stuck_notes(config, median_cost: float) -> list:
    """The sentences under the Robustness page's metrics about where stuck seeds end, each true for `config`:
    a coin toss's cost under its loss, the 2-2-1 net's local minimum only for that net on XOR with
    cross-entropy, and a word where the L2 term is in the cost."""
    notes = [t("robust.stuck_at", cost=f"{median_cost:.3g}"), t(f"robust.coin.{config.loss}")]
    if (config.loss, config.dataset, config.layer_sizes, config.l2) == ("bce", "xor", (2, 2, 1), 0):
        notes.append(t("robust.local_min"))
    if config.l2:
        notes.append(t("robust.with_l2"))
    return notes


def history_csv(run) -> str:
    names = [f"grad_norm_W{l + 1}" for l in range(run.grad_norms.shape[1])]
    lines = [",".join(["step", "cost", "accuracy", *names])]
    for step in range(run.steps_done):
        lines.append(",".join([str(step), repr(float(run.cost[step])), f"{run.accuracy[step]:g}",
                               *(f"{v:.8g}" for v in run.grad_norms[step])]))
    return "\n".join(lines) + "\n"


def downloads(run, key: str, spec=None):
    """The run as a notebook; beside it "Other formats": its history as CSV, its config as JSON and (given an Altair
    chart) the charts as PNG and SVG, drawn only once opened (most students never do, and four buttons cost every
    run of the page: each student on a lecturer's link, each setting moved)."""
    box = row()
    notebook_download(run.config, link("Train"), key, box)  # first: the run itself, to read and run at home
    more = box.popover(t("dl.more"), key=f"more_{key}", on_change="rerun", icon=":material/download:")
    if not more.open:
        return
    more.download_button(t("dl.csv"), data=lambda: history_csv(run), file_name="history.csv", mime="text/csv",
                         key=f"csv_{key}", on_click="ignore", icon=":material/download:")
    more.download_button(t("dl.json"), data=json.dumps(run.config.to_dict(), indent=2), file_name="config.json",
                         mime="application/json", key=f"json_{key}", on_click="ignore", icon=":material/download:")
    if spec is not None:
        chart_downloads(spec, key, more, more)


def notebook_download(configs, link: str, key: str, target=st):
    """"Download as notebook (.ipynb)": the run(s) as a Jupyter notebook in the lab's style (mlp.export), made when
    clicked, in the session's language, with the app's address of this view (`link`: relative, session.link)."""
    configs = [configs] if isinstance(configs, mlp.Config) else list(configs)
    page_path, _, query = link.partition("?")
    link = absolute(page_path, dict(parse_qsl(query)))  # the full address, as the browser sees this app
    name = mlp.export.file_name(configs[0]) if len(configs) == 1 else f"{key}_{len(configs)}_runs.ipynb"
    language, names = lang(), [label(c) for c in configs]  # read now: the file is made when clicked
    target.download_button(
        t("dl.notebook"), data=lambda: mlp.export.to_json(mlp.export.notebook(
            configs, lang=language, link=link, names=names)),
        file_name=name, mime="application/x-ipynb+json", key=f"ipynb_{key}", on_click="ignore",
        icon=":material/description:", help=t("dl.notebook_help"))


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


def student_query() -> dict:
    """The address bar's query without the presenter's own view settings (large fonts, hidden controls):
    what a student should open. The language stays."""
    view = {c.key for c in VIEW} - {"lang", "class_code"}  # a class's students' link keeps its code, never its key
    return {k: st.query_params.get(k) for k in st.query_params.keys() if key_of(k) not in view}


def copy_link(page_path: str):
    """The link to this view, ready to copy, for a student or a slide; in presenter mode in a code box
    (it has a copy button) with a QR code of the students' link beside it. A student's page shows it as
    inline code instead: a code box makes every new browser fetch a 1.5 MB syntax highlighter, a quarter of
    what a student's first visit downloads (bench/students.py, README: the lecture burst)."""
    if st.session_state.get("presenter"):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.caption(t("copy.student_link"))
        url = students_link(absolute(page_path, student_query()), left)
        qr_code(url, 220, right, t("qr.caption"))
        return
    query = {k: st.query_params.get(k) for k in st.query_params.keys()}
    url = absolute(page_path, query).replace("`", "%60")  # its characters are URL-encoded; no backtick ends it
    st.caption(f"{t('copy.link')} `{url}`")


LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def for_students(url: str, internal_ip=None) -> tuple:
    """(the link students can open, a note or None, is that note a warning?). A lecturer whose page is open on
    localhost shows a link no laptop can open: it becomes the machine's network address (the one Streamlit
    prints as its "Network URL"); where the machine has none, a warning says so."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        return url, None, False
    if internal_ip is None:
        from streamlit import net_util

        internal_ip = net_util.get_internal_ip()  # a route lookup on a UDP socket: no packet leaves
    if not internal_ip or internal_ip.startswith("127."):
        return url, t("presenter.no_network"), True
    netloc = f"{internal_ip}:{parts.port}" if parts.port else internal_ip
    return urlunsplit(parts._replace(netloc=netloc)), t("presenter.network", host=parts.hostname,
                                                         ip=internal_ip), False


def students_link(url: str, target=st) -> str:
    """The students' link (for_students) in a code box, with its note under it; returns the link."""
    url, note, warn = for_students(url)
    target.code(url, language=None)
    if note and warn:
        target.warning(note, icon="📡")
    elif note:
        target.caption(note)
    return url


def qr_code(url: str, side: int, target=st, caption: str | None = None):
    """The QR code of url, at most `side` pixels a side, drawn as made (qr_png): a PNG that st.image sends as it is
    (given its own width and format, it neither resizes nor re-encodes it)."""
    png, width = qr_png(url, side)
    target.image(png, caption=caption, width=width, output_format="PNG")


@functools.lru_cache(maxsize=64)
def qr_png(url: str, side: int) -> tuple[bytes, int]:
    """A QR code of url as PNG bytes (segno: pure Python) and its width in pixels: each module a whole number of
    pixels, the most that keep it within `side`, so that its edges stay sharp (resized to a side by st.image, as it
    was, each module came out ~6 pixels of bilinear blur, then a JPEG: on every run of a lecturer's page). Kept per
    link and side: making one takes ~16 ms, and a lecturer's page draws the same one on every rerun."""
    import io

    import segno

    qr = segno.make(url, error="m")
    modules = qr.symbol_size(scale=1, border=2)[0]
    scale = max(1, side // modules)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=2)
    return out.getvalue(), modules * scale


def intro(text: str):
    """A page's opening paragraph; in presenter mode folded away, up on the title's line (ui.session's
    PRESENTER_CSS), so the run's pictures fit the first screen of a 1280x720 projector."""
    if st.session_state.get("presenter"):
        with st.container(key="intro"), st.expander(t("presenter.about")):
            st.markdown(text)
    else:
        st.markdown(text)
