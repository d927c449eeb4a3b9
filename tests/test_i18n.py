"""English and Korean: every string in both languages, the same placeholders, and every key in use exists."""

import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import i18n
import ui

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_both_languages_with_the_same_placeholders():
    assert any(key.startswith("chart.") for key in i18n.TEXT)  # the charts' texts are in the one table too
    for key, entry in i18n.TEXT.items():
        assert set(entry) == set(i18n.LANGS), key
        assert entry["en"].strip() and entry["ko"].strip(), key
        assert placeholders(entry["en"]) == placeholders(entry["ko"]), key
        assert not HANGUL.search(entry["en"]), key


SAME_IN_BOTH = {"backend.autograd", "lesson.run_autograd", "home.truth"}  # code names and a table of digits


def test_korean_is_korean():
    prose = [k for k, e in i18n.TEXT.items() if len(e["en"].split()) >= 3 and k not in SAME_IN_BOTH]
    assert len(prose) > 60
    assert all(HANGUL.search(i18n.TEXT[k]["ko"]) for k in prose), [k for k in prose if not HANGUL.search(
        i18n.TEXT[k]["ko"])]


def test_every_key_the_code_uses_exists():
    sources = [*sorted((ROOT / "ui").glob("*.py")), ROOT / "streamlit_app.py",
               *sorted((ROOT / "pages").glob("*.py"))]
    used = set()
    for path in sources:
        text = path.read_text()
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9.]+)["']""", text))
        used |= set(re.findall(r"""["']((?:page|ctl|preset|help|compare|lesson|chain|robust|msg)\.[a-z_0-9.]+)["']""",
                               text))
        used |= {f"chart.{k}" for k in re.findall(r"""\b_t\(\s*["']([a-z_0-9]+)["']""", text)}  # ui/charts.py
    assert len(used) > 100
    assert used <= set(i18n.TEXT), sorted(used - set(i18n.TEXT))
    for i in range(1, 7):
        assert f"lesson.{i}.title" in i18n.TEXT and f"lesson.{i}.text" in i18n.TEXT
    import mlp

    for table, prefix in ((mlp.INITS, "init"), (mlp.DATASETS, "data"), (mlp.BACKENDS, "backend")):
        assert {f"{prefix}.{k}" for k in table} <= set(i18n.TEXT), prefix
    assert {c.label for c in ui.CONTROLS + ui.VIEW} <= set(i18n.TEXT)


def test_unknown_language_falls_back_to_english():
    assert i18n.tr("page.home", "fr") == "Home" and i18n.tr("page.home", "ko") == "홈"


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.slow
def test_the_whole_lesson_walks_in_both_languages(lang):
    """Every step, Next to the last, and the last one ends with where to go next: a link to each of those pages
    (the app around the page, so that its page links are drawn)."""
    at = AppTest.from_file("../streamlit_app.py", default_timeout=180)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/0_Lesson.py").run()
    ending = {i18n.tr(key, lang): path.removeprefix("pages/").removesuffix(".py").split("_", 1)[1]
              for path, key in ui.lesson.NEXT}
    assert len(ending) == 5
    seen = []
    for step in range(1, 10):  # every step
        assert not at.exception, [e.message for e in at.exception]
        assert not at.error
        header = at.header[0].value
        assert header == i18n.tr(f"lesson.{step}.title", lang)
        assert bool(HANGUL.search(header)) == (lang == "ko")
        assert at.get("vega_lite_chart"), step
        links = {link.proto.label: link.proto.page for link in at.get("page_link")}
        assert (ending.items() <= links.items()) == (step == 9), step  # the pages they open, too
        assert (i18n.tr("lesson.end", lang) in [m.value for m in at.markdown]) == (step == 9), step
        seen.append(header)
        if step < 9:
            next_button = [b for b in at.button if b.label == i18n.tr("lesson.next", lang)][0]
            next_button.click().run()
    assert len(set(seen)) == 9
    back = [b for b in at.button if b.label == i18n.tr("lesson.back", lang)][0]
    back.click().run()
    assert at.header[0].value == i18n.tr("lesson.8.title", lang)


@pytest.mark.slow
def test_lesson_step_three_shows_identical_curves_and_applies_its_settings():
    at = AppTest.from_file("../pages/0_Lesson.py", default_timeout=180)
    at.query_params["lesson"] = "3"
    at.run()
    caption = [c.value for c in at.caption if "Largest difference" in c.value][0]
    assert float(caption.split(": ")[1]) < 1e-4  # float32 over 10,001 steps
    [b for b in at.button if b.label == i18n.tr("lesson.apply")][0].click().run()
    assert at.session_state["backend"] == "autograd" and at.session_state["hidden_layers"] == 1


def test_switching_language_changes_labels_and_the_url():
    at = AppTest.from_file("../streamlit_app.py", default_timeout=120)
    at.query_params["steps"] = "200"
    at.run()
    assert at.title[0].value == i18n.tr("home.title", "en")
    at.session_state["lang"] = "ko"
    at.run()
    assert at.title[0].value == i18n.tr("home.title", "ko")
    assert at.sidebar.slider(key="w_hidden_layers").label == "은닉층 수"
    assert at.query_params["lang"] == ["ko"] or at.query_params["lang"] == "ko"


@pytest.mark.parametrize("text, want", [
    ("너비은/는", "너비는"), ("학습률은/는", "학습률은"), ("width=999을/를", "width=999를"),
    ("2을/를 씁니다", "2를 씁니다"),
    ("'bogus'을/를", "'bogus'를"), ("시드 777이/가", "시드 777이"), ("1으로/로", "1로"), ("3으로/로", "3으로"),
    ("학습률으로/로", "학습률로"), ("layers:3,width:10~layers:0을/를", "layers:3,width:10~layers:0을"),
    ("steps=\\-5을/를", "steps=\\-5를"), ("relu과/와", "relu와"), ("Adam과/와", "Adam과"),
])
def test_korean_particles_follow_the_word_before_them(text, want):
    from i18n import attach_particles

    assert attach_particles(text) == want


FALLBACK_PARTICLE = re.compile(r"\((은|는|을|를|이|가|과|와|으로|로)\)|(을/를|은/는|이/가|과/와|으로/로)")


def rendered_text(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "error", "title", "header", "subheader")
             for e in getattr(at, kind)]
    parts += [w.label for w in [*at.sidebar.slider, *at.sidebar.selectbox, *at.button, *at.toggle]]
    parts += [f"{m.label} {m.value}" for m in at.metric]  # the metrics' words …
    parts += [c.proto.spec for c in at.get("vega_lite_chart")]  # … and the charts' titles, axes and legends
    parts += [t.value.to_csv() for t in [*at.dataframe, *at.table]]  # … and the tables
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", ["streamlit_app.py", "pages/0_Lesson.py", "pages/1_Train.py", "pages/2_Chain_rule.py",
                                  "pages/3_Compare.py", "pages/4_Robustness.py", "pages/5_Presenter.py",
                                  "pages/6_Map.py"])
def test_no_korean_text_shows_a_fallback_particle(page):
    at = AppTest.from_file(f"../{page}", default_timeout=180)
    steps = "300" if page == "pages/6_Map.py" else "-5"  # the Map trains a whole grid: a short one
    for key, value in dict(lang="ko", width="999", lr="banana", act="gelu", steps=steps, bogus="1", seed="2x",
                           n="7", layers="2", map_seeds="8").items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    text = rendered_text(at)
    if page not in ("pages/0_Lesson.py", "pages/5_Presenter.py"):  # pages whose sidebar has the settings
        assert "너비에는" in text
    assert "width=999를" in text  # the notes, with the particle each word takes
    assert not FALLBACK_PARTICLE.search(text), FALLBACK_PARTICLE.search(text)


@pytest.mark.slow  # over 1 s: the fast lane leaves it to the whole suite
def test_the_browser_history_walks_back_through_the_lesson():
    """Back and Forward rerun the page with that history entry's query string (Streamlit 1.67): the entry's
    settings rule, while an ordinary rerun keeps the session's."""
    at = AppTest.from_file("../pages/0_Lesson.py", default_timeout=180).run()
    for _ in range(2):
        [b for b in at.button if b.label == i18n.tr("lesson.next")][0].click().run()
    assert at.session_state["lesson"] == 3 and dict(at.query_params) == {"lesson": "3"}
    at.run()  # a rerun with the address the page wrote: nothing changes
    assert at.session_state["lesson"] == 3
    at.query_params["lesson"] = "2"  # Back: the previous entry's address
    at.run()
    assert at.session_state["lesson"] == 2 and at.header[0].value == i18n.tr("lesson.2.title")
    del at.query_params["lesson"]  # Back again: the first entry, no parameters = step 1
    at.run()
    assert at.session_state["lesson"] == 1 and at.header[0].value == i18n.tr("lesson.1.title")


BAD_FILES = {  # a file → the message key it must get
    b"a,b,c\n1,2,3\n": "points.columns", b"x1,x2,label\n1,2\n": "points.row_fields",
    b"x1,x2,label\nzero,1,0\n": "points.row_number", b"x1,x2,label\n1e9,1,0\n": "points.row_range",
    b"x1,x2,label\n1,1,2\n": "points.row_label", b"": "points.empty", b"x1,x2,label\n": "points.empty",
    b"\x00\x01": "points.binary", b"\xff\xfe": "points.binary",
    ("x1,x2,label\n" + "0,0,1\n" * 1001).encode(): "points.too_many",
}


def test_every_csv_message_reads_in_korean_and_a_1000_row_file_is_taken():
    from ui import points

    for content, key in BAD_FILES.items():
        with pytest.raises(points.PointsError) as e:
            points.read_csv(content)
        assert e.value.args[0] == key, (content[:30], e.value.args)
        message = i18n.tr(key, "ko", **e.value.args[1])
        assert HANGUL.search(message) and not FALLBACK_PARTICLE.search(message), message
        assert "{" not in message  # every value filled in
    rows = "".join(f"{i / 1000:.3f},{(i * 7 % 1000) / 1000:.3f},{i % 2}\n" for i in range(1000))
    taken = points.read_csv(("x1,x2,label\n" + rows).encode())
    assert len(taken) == 1000 == points.MAX_POINTS and taken[1] == (0.001, 0.007, 1)


def test_the_cuda_tests_skip_with_their_reason_where_torch_sees_no_gpu(request):
    """conftest.py marks them: the reason a lecturer reads in the summary is the one the docs give."""
    import torch

    cuda_tests = [item for item in request.session.items if item.get_closest_marker("cuda")]
    if torch.cuda.is_available() or not cuda_tests:
        pytest.skip("a GPU is here (they run), or no cuda test was collected in this run")
    for item in cuda_tests:
        reasons = [m.kwargs.get("reason") for m in item.iter_markers("skip")]
        assert "no CUDA GPU visible to torch on this machine" in reasons, item.nodeid


def test_the_language_control_changes_every_text_in_the_next_run_and_a_fragments_own_run_keeps_it():
    """The session's language is read once a run (ui.session.settle_lang): the control's choice must reach the
    page's, the sidebar's and the body fragment's texts in the very next run, both ways, and the step slider's run
    of the body alone must keep it."""
    at = AppTest.from_file("../pages/1_Train.py", default_timeout=120)
    at.query_params["steps"] = "200"
    at.run()
    for lang in ("ko", "en", "ko"):
        at.sidebar.segmented_control(key="w_lang").set_value(lang).run()
        assert not at.exception
        assert at.title[0].value == i18n.tr("page.train", lang)  # the body fragment
        assert at.sidebar.slider(key="w_hidden_layers").label == i18n.tr("ctl.hidden_layers", lang)  # the sidebar
        assert at.slider(key="w_at").label == i18n.tr("ctl.at", lang)
    at.slider(key="w_at").set_value(100).run()
    assert at.title[0].value == i18n.tr("page.train", "ko") and at.slider(key="w_at").value == 100


def test_a_run_reads_the_language_afresh_even_on_the_script_thread_of_the_run_before():
    at = AppTest.from_file("apps/language.py", default_timeout=60)
    at.run()
    assert [m.value for m in at.markdown] == ["run 2: ko", "settled: ko"], [m.value for m in at.markdown]


@pytest.mark.parametrize("key, values", [("all_zero", {}),
                                         ("zero_from_layer", {"layer": "3 (output)", "step": "12,345"}),
                                         ("zero_from_layer", {"layer": "1", "step": "1,234"})])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_charts_note_wraps_between_words_within_a_quarter_pages_width(key, values, lang):
    """The note on a gradient chart whose gradient is exactly 0 sat on one line and ran past the chart's edge in a
    quarter of the page ("every gradient is exactly 0 at ev"); now it is wrapped, a Hangul syllable counted twice
    as wide, "exactly 0" kept together."""
    from ui.charts import NOTE_COLUMNS, chart_text, columns, wrapped

    text = chart_text(key, lang, **values)
    lines = wrapped(text).split("\n")
    assert " ".join(lines) == text  # only spaces became line breaks: no word cut, none lost
    assert all(columns(line) <= NOTE_COLUMNS for line in lines), lines
    assert len(lines) <= -(-columns(text) // NOTE_COLUMNS) + 1  # no more lines than the width asks (and one more)
    assert not any(line.endswith(("exactly", "정확히")) for line in lines)  # "exactly 0" on one line
    assert columns("모든") == 4 and columns("0 at") == 4


def test_a_word_wider_than_a_line_keeps_a_line_of_its_own():
    from ui.charts import wrapped

    assert wrapped("a" * 30 + " bb cc") == "a" * 30 + "\nbb cc"
    assert wrapped("") == "" and wrapped("one") == "one"


def test_a_formula_in_a_text_never_breaks_across_lines():
    """"δ_L = (ŷ −" / "y)/N" read badly on the Lesson's step 9: each listed formula's spaces are no-break spaces in
    every text that has it, in both languages, and each is still found in some text (the list is not stale)."""
    for formula in i18n.UNBROKEN:
        kept = formula.replace(" ", "\u00a0")
        texts = [text for entry in i18n.TEXT.values() for text in entry.values()]
        assert not any(formula in text for text in texts), formula
        assert sum(kept in text for text in texts) >= 2, formula  # (in English and in Korean)
    assert "δ_L\u00a0=\u00a0(ŷ\u00a0−\u00a0y)/N" in i18n.tr("lesson.9.text", "ko")
