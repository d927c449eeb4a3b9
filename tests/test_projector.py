"""The lecture hall, in real headless Chromium: presenter mode at the projector sizes 1280×720 and 1920×1080,
English and Korean, sidebar shown, folded or hidden (and the controls a link hides gone), presenter fonts.
Every chart, metric and button lies inside the main block, no text is cut ("…"), the text inside every chart
fits it at 1280×720 (measured from SVG; Robustness's at 1920×1080 too), the run's main charts are on the first
screen at 1920×1080 and Train's cost per step at 1280×720 too (the page's folded intro up on the title's line), and
the students' QR code is there. Also Play at lecture speed, and Back through the lesson's steps. Screenshots:
artifacts/screenshots/."""

import sys
from urllib.parse import parse_qsl

import pytest

import i18n
from conftest import ROOT, SCREENSHOTS

sys.path.insert(0, str(ROOT / "bench"))  # the protocol client (bench/protocol.py)

pytestmark = pytest.mark.browser

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
CHART = "[data-testid='stMain'] [data-testid='stVegaLiteChart'] canvas"
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
VIEWS = {  # name → (URL, charts it draws, fold the sidebar away with its own button?)
    "train": ("Train?presenter=1&init=notebook&layers=3&width=10&width_hide=1&lr_hide=1", 4, False),
    "train_bare": ("Train?presenter=1&sidebar_hide=1&layers=2&width=6", 4, False),  # the plane larger: no sidebar
    "train_ko_folded": ("Train?presenter=1&lang=ko&init=notebook&layers=3&width=10", 4, True),
    "home": ("?presenter=1&steps=3000", 2, False),
    "lesson4": ("Lesson?presenter=1&lesson=4&sidebar_hide=1", 2, False),
    "lesson7_ko": ("Lesson?presenter=1&lang=ko&lesson=7&sidebar_hide=1", 2, False),
    "lesson9": ("Lesson?presenter=1&lesson=9", 2, False),  # with the sidebar: the ending's page links wrap
    "map_ko": ("Map?presenter=1&lang=ko&steps=2000&map_seeds=8", 1, False),
    "chain_rule_ko": ("Chain_rule?presenter=1&lang=ko&step=250&loss=mse&opt=adam&l2=0.001&lr=0.1", 4, False),
    "compare": ("Compare?presenter=1&pins=init:notebook~init:notebook,layers:3,width:10", 2, True),
    "robustness_ko": ("Robustness?presenter=1&lang=ko&n=64&seed=0&sidebar_hide=1", 3, False),
    "robustness": ("Robustness?presenter=1", 3, False),  # four metrics beside the sidebar; the lab's 100 seeds
    # the widest net's units (64 pictures, 64 gradient rows), the students' own points and features, in Korean
    "train_wide_own_ko": ("Train?presenter=1&lang=ko&layers=8&width=64&unit_layer=8&steps=300&data=own"
                          "&pts=a0_0b0_1b1_0a1_1b0.5_0.5&features=x1-x2-x1x2", 6, True),
}

# Each radio option (main block and sidebar): its circle level with its label's first line (within 2 px: the circle
# is 1rem, the line 24–37 px; Streamlit centres it on the whole label, a line off on a label of two lines, where it
# sits beside the next option's words), and a gap before the next option
RADIOS = """() => {
  const out = [];
  for (const option of document.querySelectorAll("[data-testid='stRadioOption']")) {
    const circle = option.querySelector(":scope > div > div").getBoundingClientRect();
    const label = option.querySelector("p"), box = option.getBoundingClientRect();
    if (circle.width === 0) continue;  // inside a closed expander
    const first = label.getBoundingClientRect().top + parseFloat(getComputedStyle(label).lineHeight) / 2;
    if (Math.abs(circle.top + circle.height / 2 - first) > 2)
      out.push("a radio's circle off its label's first line: '" + label.innerText.slice(0, 30) + "'");
    const next = option.parentElement.nextElementSibling;
    if (next && next.getBoundingClientRect().top - box.bottom < 2)
      out.push("radio options touching: '" + label.innerText.slice(0, 30) + "'");
  }
  return out;
}"""

# Each picture in a column (the boundary, the net, the curves side by side; the units' pictures) no wider than its
# column: a wider one runs under the next column's, which hides part of it (the boundary's plane, cut in half on a
# 1280 projector beside the sidebar, under the net). And the input plane's column no wider than the plane where the
# columns stand side by side (ui.session's CSS, from 640 px): its share of a wide row (a 1920-px projector) left ~260 px
# empty beside it, which the net and the curves now use. That column takes its content's width, the plane's canvas: 0 px
# measured at every size; 2 px for the layout's sub-pixel rounding.
COLUMNS = """() => {
  const out = [];
  for (const chart of document.querySelectorAll("[data-testid='stMain'] [data-testid='stVegaLiteChart']")) {
    const column = chart.closest("[data-testid='stColumn']"), canvas = chart.querySelector("canvas");
    if (!column || !canvas) continue;
    const scrolls = getComputedStyle(chart).overflowX === "auto";  // (on a phone: a wide picture scrolls in its place)
    const c = (scrolls ? chart : canvas).getBoundingClientRect(), k = column.getBoundingClientRect();
    const name = (chart.closest("[data-testid='stFullScreenFrame']") || chart).innerText.slice(0, 30);
    if (c.width > 0 && (c.left < k.left - 1 || c.right > k.right + 1))
      out.push("a picture wider than its column (" + Math.round(c.width) + " px in " + Math.round(k.width) + "): '" +
               name + "'");
    if (c.width > 0 && innerWidth >= 640 && chart.closest("[class*='st-key-fixed_'][class*='_plane']") &&
        k.right - c.right > 2)
      out.push("the plane's column " + Math.round(k.right - c.right) + " px wider than the plane: '" + name + "'");
  }
  return out;
}"""

BOXES = ("[data-testid='stVegaLiteChart'], [data-testid='stMetric'], [data-testid='stButton'], "
         "[data-testid='stDownloadButton'], [data-testid='stImage'], .katex-display")  # a page's pictures and buttons
OUTSIDE = """() => {  // each picture, metric and button within the page's main block (at any size: a phone's too)
  const main = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll("[data-testid='stMain'] :is(BOXES)")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;  // inside a closed expander
    if (r.left < main.left - 1 || r.right > main.right + 1)
      out.push("outside the main block: " + (el.dataset.testid || el.className) + " '" +
               el.innerText.slice(0, 30).replace(/\\n/g, " ") + "'");
  }
  return out;
}""".replace("BOXES", BOXES)

LAYOUT = """() => {
  const main = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  const out = (OUTSIDE)();
  for (const el of document.querySelectorAll("[data-testid='stMain'] :is(BOXES)")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;  // inside a closed expander
    const name = (el.dataset.testid || el.className) + " '" + el.innerText.slice(0, 30).replace(/\\n/g, " ") + "'";
    for (const c of el.querySelectorAll("canvas")) {
      const cr = c.getBoundingClientRect();
      if (cr.right > r.right + 1 || cr.right > main.right + 1) out.push("chart wider than its place: " + name);
    }
  }
  for (const value of document.querySelectorAll("[data-testid='stSliderThumbValue']")) {  // main block and sidebar
    const r = value.getBoundingClientRect(), thumb = value.parentElement.getBoundingClientRect();
    if (r.width > 0 && r.bottom > thumb.top + 1) out.push("a slider's value over its thumb: '" + value.innerText + "'");
  }
  for (const grid of document.querySelectorAll("[data-testid='stMain'] [data-testid='stDataFrame']"))
    if (grid.getBoundingClientRect().width > 0) out.push("a data grid (drawn on a canvas: no CSS sizes its text)");
  const small = "[data-testid='stTable'] :is(td, th), [data-testid='stCode'] code";  // tables, and the real source
  for (const cell of document.querySelectorAll("[data-testid='stMain'] :is(" + small + ")")) {
    if (cell.getBoundingClientRect().width === 0) continue;  // inside a closed expander
    if (parseFloat(getComputedStyle(cell).fontSize) < 18)
      out.push("table or code text under 18 px: '" + cell.innerText.slice(0, 30) + "'");
  }
  const cut = "[data-testid='stMetricValue'] div, [data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'], " +
              "button p, h1, h2, h3, " +  // (a metric's label is cut to "…" by its markdown's box, not its paragraph)
              "[data-testid='stPageLink-NavLink'] > span:last-child";  // a page link's label (Lesson 9, the Map)
  for (const el of document.querySelectorAll("[data-testid='stMain'] :is(" + cut + ")")) {
    if (el.getBoundingClientRect().width === 0) continue;
    if (el.innerText.trim().endsWith("…") || el.scrollWidth > el.clientWidth + 1)
      out.push("text cut: '" + el.innerText.slice(0, 40) + "'");
  }
  return out;
}""".replace("OUTSIDE", OUTSIDE).replace("BOXES", BOXES)


def open_view(page, server, url, size, fold=False):
    """The worker's tab (the `page` fixture) at this size on this link, the sidebar folded away with its own button
    if `fold`. Close it with close_view: Streamlit keeps the sidebar folded for the context's next pages (in the
    browser's local storage), so a folded view forgets that as it closes."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{server.url}/{url}")
    page.wait_for_selector(IDLE, timeout=120_000)
    if fold:  # the lecturer folds the sidebar away, then can open it again from the header
        page.locator("[data-testid='stSidebar']").hover()
        page.locator("[data-testid='stSidebarCollapseButton'] button").click()
        page.wait_for_selector("[data-testid='stExpandSidebarButton']", state="visible", timeout=10_000)
        page.wait_for_timeout(600)  # the sidebar's slide


def close_view(page, fold=False):
    if fold:
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('stSidebarCollapsed'))"
                      ".forEach(k => localStorage.removeItem(k))")


# A page's folded intro ("About this page": ui.widgets.intro) against its title's words
INTRO = """() => {
  const intro = document.querySelector("[data-testid='stMain'] .st-key-intro");
  const title = document.querySelector("[data-testid='stMain'] h1");
  if (!intro || !title) return null;
  const words = document.createRange();
  words.selectNodeContents(title);
  const box = intro.getBoundingClientRect(), heading = title.getBoundingClientRect();
  return {top: box.top, left: box.left, title_right: words.getBoundingClientRect().right, title_bottom: heading.bottom};
}"""

# 1280×720 is the tight one
AT_1920 = {"train", "train_wide_own_ko", "robustness"}  # where the first screen holds the main charts, and …
TEXT_AT_1920 = {"robustness"}  # … where a wider chart lays its text out otherwise: its charts' text measured there too
# (Robustness's histograms ran "9,000" into "10,000" and put the legend over the first bin at 1920 only)


@pytest.mark.parametrize("view", list(VIEWS))
def test_presenter_mode_fits_the_projector(page, server, view):
    """Each view at 1280×720; those of AT_1920 then at 1920×1080 too, the same page resized as a lecturer's window is
    (the server does not know the window's size: what it sends is the same, the browser lays it out again)."""
    url, charts, fold = VIEWS[view]
    open_view(page, server, url, SIZES["1280x720"], fold)
    try:
        if view == "train":  # "Advanced" opened: its eleven controls laid out at a projector's fonts too
            sidebar = page.locator("[data-testid='stSidebar']")
            sidebar.locator("[data-testid='stExpander'] summary").filter(has_text="Advanced").click()
            sidebar.locator("[data-testid='stRadio']").first.wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=60_000)
        if not fold and "sidebar_hide=1" not in url:  # no folded view before it left its sidebar folded
            assert page.locator("[data-testid='stSidebar']").is_visible()
        fits_the_projector(page, view, url, charts, "1280x720", server.url)
        if view in AT_1920:
            page.set_viewport_size(dict(zip(("width", "height"), SIZES["1920x1080"])))
            page.wait_for_function(f"() => document.querySelector(\"{CHART}\").getBoundingClientRect().width > 0")
            fits_the_projector(page, view, url, charts, "1920x1080", server.url)
    finally:
        close_view(page, fold)


# The class's line with the widest code and 200 following written into it, then where its items' tops are
WIDEST_LINE = """box => {
  const code = box.querySelector('strong');
  code.textContent = 'WMWMW';
  code.nextSibling.textContent = code.nextSibling.textContent.replace('0', '200');
  return [...box.querySelectorAll("[data-testid='stHorizontalBlock'] > *")].map(e => e.getBoundingClientRect().top);
}"""


def in_a_class_and_not(page, server, path: str, charts: int):
    """The projected `path` at 1280x720, first without a class, then as the lecturer of a new one: (the first chart's
    top without a class, the class's line, a function reading the first chart's top now), once `charts` are drawn."""
    import follow
    from chromium import run_apart

    def charts_top():
        page.wait_for_function(f"n => document.querySelectorAll(\"{CHART}\").length >= n", arg=charts,
                               timeout=90_000)
        return page.locator(CHART).first.bounding_box()["y"]

    open_view(page, server, path, SIZES["1280x720"])
    without = charts_top()
    code, key = run_apart(follow.open_class(server.url))
    open_view(page, server, f"{path}&class={code}&key={key}", SIZES["1280x720"])
    line = page.locator(".st-key-class_line")
    line.locator("strong").get_by_text(code).wait_for(timeout=60_000)
    return without, line, charts_top


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_lecturers_class_line_on_a_projected_train_leaves_the_pictures_their_first_screen(page, server, lang):
    """In a live class, the lecturer's projected Train (1280x720, the sidebar shown), no question open: the class's
    line (its code, how many follow, the own-question button) is one line, whatever the code and with 200 following,
    up in the strip above the title, and the title and the run's pictures are where they are without a class (in the
    box above the title they were ~88 px lower, the decision boundary's axis below the fold). Its button still opens
    (Streamlit's see-through header over that strip does not take the click); with a question asked, the box, the
    room's answers in it, goes back above the title (ui.live)."""
    without, box, pictures_top = in_a_class_and_not(page, server, f"Train?presenter=1&lang={lang}", 4)
    tops = sorted(box.evaluate(WIDEST_LINE))  # (in one go: the box's count, redrawn every second, cannot undo it)
    assert len(tops) == 2 and tops[1] - tops[0] < 25, tops  # (a line's items centred on it: a few px apart)
    title = page.locator("[data-testid='stMain'] h1").first.bounding_box()
    line = box.bounding_box()
    assert line["y"] >= 0 and line["y"] + line["height"] <= title["y"] <= 60, (line, title)
    assert abs(pictures_top() - without) < 2, (pictures_top(), without)
    page.screenshot(path=str(SCREENSHOTS / f"projector_class_train_{lang}_1280x720.png"))
    box.locator("button").first.click(timeout=10_000)  # (a click that lands on anything else fails here)
    page.locator("[data-testid='stPopoverBody'] input").first.wait_for(timeout=10_000)
    page.keyboard.press("Escape")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_lecturers_projected_lesson_keeps_only_the_question_to_ask_above_the_title(page, server, lang):
    """The lecturer's projected Lesson (1280x720) in a live class, no question open: the class's line up in the strip
    above the title as on Train, and only the step's "Ask the room" button in the page above the title, on one line:
    the step's charts at most that line (and its gap) lower than without a class (in one box with the class's line
    they were two lines lower, below a 720p projector's fold)."""
    without, line, charts_top = in_a_class_and_not(page, server, f"Lesson?presenter=1&lesson=1&lang={lang}", 2)
    ask = page.locator(".st-key-class_ask button")
    title = page.locator("[data-testid='stMain'] h1").first.bounding_box()
    box, button = line.bounding_box(), ask.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= button["y"], (box, button)
    assert button["y"] + button["height"] <= title["y"] and button["height"] < 70, (button, title)  # one line
    assert charts_top() - without <= button["height"] + 40, (charts_top(), without, button)
    page.screenshot(path=str(SCREENSHOTS / f"projector_class_lesson_{lang}_1280x720.png"))


def fits_the_projector(page, view, url, charts, size, server_url):
    assert page.locator("[data-testid='stAlertContentError']").count() == 0, page.locator(
        "[data-testid='stAlertContentError']").first.inner_text()
    page.wait_for_function(f"n => document.querySelectorAll(\"{CHART}\").length >= n", arg=charts, timeout=90_000)
    page.wait_for_timeout(800)  # the last chart's paint and Streamlit's layout settle
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Something went wrong").count() == 0 and page.locator("h1").first.inner_text().strip()
    size_px = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    assert float(size_px.rstrip("px")) >= 48  # presenter mode's fonts
    sidebar = page.locator("[data-testid='stSidebar']")
    if "sidebar_hide=1" in url:  # the lecturer's link hides the controls altogether …
        assert not sidebar.is_visible()
    if "width_hide=1" in url:  # … or the ones they will not change: the rest stay
        assert sidebar.get_by_text("Hidden layers").count() == 1
        assert sidebar.get_by_text("Width", exact=True).count() == 0
        assert sidebar.get_by_text("Learning rate").count() == 0
    for key, value in parse_qsl(url.partition("?")[2]):  # a session's first request keeps its link's settings
        if key in ("layers", "width", "steps", "n", "lesson", "step"):
            assert f"{key}={value}" in page.url, (key, page.url)
    if "lang=ko" in url:  # Korean breaks lines between words only (keep-all), in the main block and the sidebar
        for where in ("stMain",) + (() if "sidebar_hide=1" in url else ("stSidebar",)):
            p = page.locator(f"[data-testid='{where}'] [data-testid='stMarkdownContainer'] p").first
            assert p.evaluate("e => getComputedStyle(e).wordBreak") == "keep-all", where
    if view.startswith("chain_rule"):  # the engine's own source, as the page shows it
        code = page.locator("[data-testid='stCode']").first.inner_text()
        assert "def backward(W, a, y, df" in code and "delta[l - 1] = (delta[l] @ W[l].mT)" in code
    if view.startswith("map"):
        page.wait_for_selector(".st-key-map_csv", timeout=90_000)  # the finished map (it fills in in the background)
    problems = page.evaluate(LAYOUT) + page.evaluate(RADIOS) + page.evaluate(COLUMNS)
    if size == "1280x720" or view in TEXT_AT_1920:  # the text inside each chart, measured
        blank = page.context.new_page()
        svgs = chart_svgs(server_url, url, page.evaluate(CHART_WIDTHS))
        inside = {i: blank.evaluate(CHART_TEXT, [svg, 18]) for i, svg in enumerate(svgs)}
        blank.close()
        problems += [f"chart {i}: {p}" for i, found in inside.items() for p in found]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"projector_{view}_{size}.png"))
    assert not problems, problems
    intro = page.evaluate(INTRO)
    if intro is not None:  # "About this page" up on the title's line, at its right, clear of the title's words
        assert intro["top"] < intro["title_bottom"] and intro["left"] >= intro["title_right"] + 8, intro
    if view.startswith("train") and view != "train_wide_own_ko" and size == "1280x720":  # the cost per step whole on a
        # 720p projector's first screen (not under the widest net's two-line Run and its note that it has not learned)
        alt = i18n.tr("alt.cost", "ko" if "lang=ko" in url else "en")
        cost = page.locator(f"[data-testid='stVegaLiteChart'][aria-label='{alt}']").first.bounding_box()
        assert cost["y"] >= 0 and cost["y"] + cost["height"] <= 720, cost
    if view.startswith("train") and size == "1920x1080":  # the run's two main charts on the first screen
        boxes = [page.locator("[data-testid='stVegaLiteChart']").nth(i).bounding_box() for i in range(2)]
        assert all(b["y"] >= 0 and b["y"] + b["height"] <= 1080 for b in boxes), boxes
    assert page.locator("[data-testid='stImage'] img").count() >= 1  # the students' QR code, at the bottom


def test_play_runs_at_lecture_speed(page, server):
    open_view(page, server, "Chain_rule?speed=1000&steps=6000", (1500, 1000), False)
    page.wait_for_selector(CHART, timeout=90_000)
    page.get_by_role("button", name="Play", exact=True).click()
    # ×1,000 a frame: the end of a 6,000-step run within a few seconds, where Play stops by itself
    page.wait_for_function("() => [...document.querySelectorAll(\"[data-testid='stSliderThumbValue']\")]"
                           ".some(e => e.innerText.replace(/,/g, '') === '5999')", timeout=60_000)
    # at the end the page is drawn again whole: Replay offered, the pictures and the Chain rule's numbers back
    page.wait_for_selector("[data-testid='stMain'] button:has-text('Replay the training'):not([disabled])",
                           timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll(\"{CHART}\").length >= 4", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def test_back_walks_the_lesson_steps(page, server):
    """Next twice from step 6, then the browser's Back twice (steps 6–8 train quick nets; step 3's autograd run
    would cost the server seconds more for the same check)."""
    open_view(page, server, "Lesson?lesson=6", (1500, 1000), False)
    for step in (7, 8):
        page.get_by_role("button", name="Next ▶").first.click()
        page.wait_for_function(f"() => location.search.includes('lesson={step}')", timeout=30_000)
        page.wait_for_selector(IDLE)
    page.go_back()
    page.wait_for_function("() => location.search.includes('lesson=7')", timeout=30_000)
    page.wait_for_selector("h2:has-text('7. What the hidden units do')", timeout=30_000)
    page.go_back()
    page.wait_for_selector("h2:has-text('6. The lab')", timeout=30_000)
    assert "lesson=6" in page.url


# Where a projector's small screen once cut or piled up chart text (a legend cut to "last layer (outpu", step labels
# run together as "2,5003,000", a legend over Robustness's bars, the gradient chart's title and legends cut on
# Train): each chart drawn as SVG at the width the page gives it, its text boxes measured by Chromium.
CHART_WIDTHS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stVegaLiteChart']")]
  .map(e => e.getBoundingClientRect().width)"""
# Inside one chart drawn as SVG (Vega marks each group with its role): every visible text inside the chart's own
# box and at least `least` px (presenter mode's 18: a projector's back row), no two labels of one axis on each other
# or run together (under 2 px apart: "−0.20.0" on a laptop's decision boundary), no text cut to "…", no legend drawn
# over a bar. Called with [svg, least].
CHART_TEXT = """([svg, least]) => {
  document.body.innerHTML = svg;
  const root = document.querySelector("svg"), box = root.getBoundingClientRect(), out = [];
  const seen = el => el.getBoundingClientRect().width > 0 &&
                     !el.closest("[opacity='0'], [style*='opacity: 0']") && el.textContent.trim();
  const texts = [...root.querySelectorAll("text")].filter(seen);
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1)
      out.push("text outside the chart: '" + t.textContent + "'");
    if (parseFloat(getComputedStyle(t).fontSize) < least)
      out.push("text under " + least + " px: '" + t.textContent + "' " + getComputedStyle(t).fontSize);
    if (t.textContent.endsWith("…")) out.push("text cut: '" + t.textContent + "'");
  }
  // a text's box is its line's: ~15 % of its height above and below is the font's room, not ink
  const ink = r => ({left: r.left, right: r.right, top: r.top + 0.15 * r.height, bottom: r.bottom - 0.15 * r.height});
  const apart = r => ({left: r.left - 1.5, right: r.right + 1.5, top: r.top - 1.5, bottom: r.bottom + 1.5});  // (with
  // meet's 1 px: two labels 2 px apart at least)
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const axis of root.querySelectorAll(".role-axis")) {
    const labels = [...axis.querySelectorAll(".role-axis-label text")].filter(seen);
    for (let i = 0; i < labels.length; i++)
      for (let j = i + 1; j < labels.length; j++)
        if (meet(apart(ink(labels[i].getBoundingClientRect())), apart(ink(labels[j].getBoundingClientRect()))))
          out.push("axis labels on each other or run together: '" + labels[i].textContent + "' '" +
                   labels[j].textContent + "'");
  }
  const bars = [...root.querySelectorAll(".mark-rect.role-mark path")].map(b => b.getBoundingClientRect());
  for (const legend of root.querySelectorAll(".role-legend")) {
    const r = legend.getBoundingClientRect();
    if (bars.some(b => b.width > 0 && meet(r, b))) out.push("legend over the bars");
  }
  return out;
}"""


def chart_svgs(server_url: str, url: str, widths) -> list:
    """The page's charts as the server sent them to the browser (the protocol client, bench/protocol.py, opening the
    same link on the same server: its runs are cached there, nothing trains again), each drawn as SVG at the width it
    has in the browser, with its data inline (vl_convert: the Vega the app ships)."""
    import json

    import pyarrow as pa
    import vl_convert
    from chromium import run_apart
    from protocol import Session

    async def charts():
        session = Session(f"{server_url}/{url}")
        await session.open()
        await session.run()
        await session.close()
        assert not session.errors, session.errors
        return session.charts()

    svgs = []
    for (spec_json, datasets), width in zip(run_apart(charts()), widths):
        if not width:
            continue  # inside a closed expander
        spec = json.loads(spec_json)
        spec["datasets"] = {name: json.loads(pa.ipc.open_stream(data).read_all().to_pandas().to_json(orient="records"))
                            for name, data in datasets}
        if spec.get("width") == "container":
            spec["width"], spec["autosize"] = round(width), {"type": "fit-x", "contains": "padding"}
        # Streamlit cuts a title that sets no limit of its own to its chart's width less 40 px ("3-64-64-64…" on a
        # narrow column, measured in the browser before charts._lines set 0): every title sets 0, none, and fits
        assert "title" not in spec or spec["title"].get("limit") == 0, spec["title"]
        svgs.append(vl_convert.vegalite_to_svg(spec))
    return svgs
