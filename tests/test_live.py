"""The live class on the pages (ui/live.py), through AppTest: the Presenter-link page starts a class and makes the
lecturer's and the students' links; a student's page follows the lecturer's page and settings in the student's
own language, explores on its own and follows again; the lecturer sees how many follow; a wrong key steers
nothing; a store out of reach leaves every page working. (The store's own rules: tests/test_classroom.py.)"""

import json
import re

import pytest
from test_app import app

import i18n
from ui import classroom
from ui.classroom import MemoryClasses
from ui.classroom_redis import RedisClasses

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fresh_classes(monkeypatch):
    """Each test its own store (the app's is one a process)."""
    monkeypatch.setattr(classroom, "_CLASSES", MemoryClasses())


def no_errors(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error], [e.value for e in at.error]


def test_the_presenter_page_starts_a_class_with_a_lecturers_link_and_a_students_link():
    at = app("pages/5_Presenter.py")
    no_errors(at)

    def intro(line):  # the page's intro, pointing to the class at its bottom: to start one, or the one running
        return i18n.tr("presenter.intro", "en", class_line=i18n.tr(line, "en")) in [m.value for m in at.markdown]
    assert intro("presenter.class_start")
    at.button(key="b_start_class").click().run()
    no_errors(at)
    assert intro("presenter.class_on")
    code, key = at.session_state["class_code"], at.session_state["class_key"]
    assert classroom.classes().is_lecturer(code, key)
    lecturer, students = [c.value for c in at.code][:2]
    assert f"class={code}" in lecturer and f"key={key}" in lecturer and "presenter=1" in lecturer
    assert f"class={code}" in students and "key=" not in students  # the students' link never carries the key
    assert any(m.value == i18n.tr("class.code", "en", code=code) for m in at.markdown)
    assert at.get("imgs") or at.get("image")  # the students' link's QR code


def test_a_student_follows_the_lecturers_page_and_settings_in_their_own_language():
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "layers": "3", "width": "4"})
    no_errors(lecturer)
    student = app("streamlit_app.py", **{"class": c.code, "lang": "ko"})  # joins on Home
    no_errors(student)
    assert student.title[0].value == i18n.tr("page.train", "ko")  # taken to Train …
    assert (student.session_state["hidden_layers"], student.session_state["width"]) == (3, 4)  # … with its net
    assert student.session_state["lang"] == "ko" and "key" not in student.query_params
    assert any(x.value == i18n.tr("class.following", "ko", code=c.code) for x in student.markdown)
    lecturer.slider(key="w_hidden_layers").set_value(2).run()  # the lecturer moves a slider
    student.run()  # (in a browser: the follower's fragment, every 2 s)
    assert student.session_state["hidden_layers"] == 2 and student.session_state["width"] == 4
    assert any(x.value == i18n.tr("class.lecturer", "en", code=c.code, n=1) for x in lecturer.run().markdown)


def test_a_view_counts_as_taken_over_only_by_a_run_that_shows_its_address():
    """A request that carried the address from before (a page's timer sent just as the lecturer's view was being
    taken over) can overtake the run that takes it over: that run then shows the old address, and the page takes
    the view over again instead of counting it as done."""
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "layers": "3"})
    student = app("pages/1_Train.py", **{"class": c.code})
    assert student.session_state["hidden_layers"] == 3
    lecturer.slider(key="w_hidden_layers").set_value(4).run()  # the class's view moves on
    version = classroom.classes().pulse(c.code)[0]
    student.session_state["_adopt"] = {"query": {"layers": "4", "class": c.code, "lang": "en"},
                                       "arrive": {"_class_version": version}}  # the take-over under way …
    student.run()  # … overtaken by a run at the old address (layers=3)
    no_errors(student)
    assert student.session_state["hidden_layers"] == 4 and student.session_state["_class_version"] == version


def test_a_following_students_run_at_an_address_from_before_the_take_over_shows_the_lecturers_view_again():
    """A following student's page took the lecturer's moved setting over in place; then a run of the whole page comes
    with the address from before it (the browser's Back, or a request sent before the new address reached the
    browser). The page reads that address as a walk through its history, but the student follows: it shows the
    lecturer's view again, in that same run, instead of the old settings under a class line that says it follows
    (the view's version counted as shown: no later look at the class took it over again)."""
    c = classroom.classes().open()
    app("streamlit_app.py", **{"class": c.code, "key": c.key})  # the lecturer's Home, steps=300
    student = app("streamlit_app.py", **{"class": c.code})
    assert student.session_state["hidden_layers"] == 1
    before = dict(student.query_params)
    app("streamlit_app.py", **{"class": c.code, "key": c.key, "layers": "2"})  # the lecturer's net: 2 hidden layers
    student.run()
    assert student.session_state["hidden_layers"] == 2 and student.query_params["layers"] == "2"
    for name in list(student.query_params):
        del student.query_params[name]
    student.query_params.update(before)  # the run at the old address
    student.run()
    no_errors(student)
    assert student.session_state["hidden_layers"] == 2 and student.query_params["layers"] == "2"
    assert "2-2-2-1" in student.subheader[0].value  # the net drawn is the lecturer's
    student.button(key="b_explore").click().run()  # exploring, a walk through the history is the student's own
    student.query_params.pop("layers")
    student.run()
    no_errors(student)
    assert student.session_state["hidden_layers"] == 1


def test_a_following_students_page_is_the_lecturers_its_links_greyed_out_and_another_page_leads_back():
    """While a student follows, the page is the lecturer's: every link to another page is greyed out (the sidebar's
    and the page's own), and the sidebar says why; a page reached anyway (a typed address, the browser's Back to a
    page before) shows the lecturer's page again, instead of another page under "following". Exploring, the links
    and the pages are the student's own. (Before: the links worked, and the student stayed on Train, its box saying
    they followed a lecturer who was on Home.)"""
    c = classroom.classes().open()
    lecturer = app("streamlit_app.py", **{"class": c.code, "key": c.key, "layers": "2"})
    student = app("streamlit_app.py", **{"class": c.code, "lang": "ko"})
    links = student.get("page_link")
    assert len(student.sidebar.get("page_link")) == 8 and len(links) > 8  # the sidebar's, and Home's own
    assert all(link.proto.disabled for link in links)
    assert not any(link.proto.disabled for link in lecturer.get("page_link"))
    assert i18n.tr("side.following", "ko") in [x.value for x in student.sidebar.caption]
    student.switch_page("pages/1_Train.py").run()
    no_errors(student)
    assert student.title[0].value == i18n.tr("home.title", "ko") and student.session_state["hidden_layers"] == 2
    student.button(key="b_explore").click().run()
    student.run()
    assert not any(link.proto.disabled for link in student.get("page_link"))
    student.switch_page("pages/1_Train.py").run()
    assert student.title[0].value == i18n.tr("page.train", "ko")  # exploring: their own page
    app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "4"})
    student = app("pages/0_Lesson.py", **{"class": c.code})
    no_errors(student)
    apply = next(b for b in student.button if b.label == i18n.tr("lesson.apply", "en"))
    assert apply.disabled  # "Open in Train": another page, the student's own once they explore
    assert i18n.tr("side.following", "en") in [x.value for x in student.sidebar.caption]


def test_a_following_students_lesson_takes_the_lecturers_step_in_place_and_anything_else_whole(monkeypatch):
    """A following student's Lesson takes a step the lecturer moves to over in place (ui.body_fragment: the body's
    fragment sets it, the address too), while a view that differs in anything else (here the page) is opened whole;
    a run of the whole page reads the class once (its class line, whose read the body uses)."""
    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "3"})
    student = app("streamlit_app.py", **{"class": c.code, "lang": "ko"})  # joins on Home: taken to the Lesson
    assert student.session_state["lesson"] == 3
    assert not {"back_top", "next_top"} & {b.key for b in student.button}  # following: the lecturer's Next moves it
    lecturer.button(key="next_top").click().run()
    store, calls = classroom.classes(), []
    for name in ("follow", "tally"):  # count the student's run's looks at the class
        real = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    student.run()
    no_errors(student)
    assert sorted(calls) == ["follow", "tally"]  # once each: the class box uses what the step's fragment read
    assert student.session_state["lesson"] == 4 and student.query_params["lesson"] == "4"
    assert student.header[0].value == i18n.tr("lesson.4.title", "ko")
    assert student.session_state["_class_version"] == classroom.classes().pulse(c.code)[0]
    app("pages/1_Train.py", **{"class": c.code, "key": c.key, "layers": "2"})  # the lecturer opens Train
    student.run()
    no_errors(student)
    assert student.title[0].value == i18n.tr("page.train", "ko") and student.session_state["hidden_layers"] == 2


@pytest.mark.parametrize("page", ["Lesson", "Train", "Chain_rule", "Train_setting", "Robustness_setting",
                                  "Compare_setting", "Map_setting", "_setting"])  # (the last: Home)
def test_the_lecturers_next_step_reruns_only_the_step_on_a_following_students_page(server, page):
    """On a real server, whose fan-out pushes each change: the lecturer's Next on the Lesson, or a step Play shares on
    Train or Chain rule (the lecturer's step slider moved, as Play moves it), reaches a following student's page as
    runs of the page's body fragment only (neither the sidebar nor the class's line above the body is sent again;
    on Train only the step's part of the body, on the lecturer's page too), with the new step shown and in the
    address; and a setting the lecturer moves on Train, Robustness, Compare, the Map or Home (Hidden layers), as runs
    of the student's body fragment too, the new net drawn or named. (The wait is a safety net, not a speed claim:
    bench/students.py --follow measures.)"""
    import asyncio
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    import follow
    from chromium import run_apart
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start, move, shown, address = {
        "Lesson": ("lesson=1", ("next_top", True), lambda tab: 2 in tab.shown, "lesson=2"),
        "Train": ("steps=900", ("w_at", 300), lambda tab: 300 in tab.at, "at=300"),
        "Chain_rule": ("steps=900", ("w_step", 300), lambda tab: 300 in tab.at, "step=300"),
        **{f"{where}_setting": (start, ("w_hidden_layers", 2),
                                lambda tab: "layers=2" in (tab.session.query or "").split("&"), "layers=2")
           for where, start in (("Train", "steps=900"), ("Robustness", "steps=300&n=8"),
                                ("Compare", "steps=300&pins=init:notebook"), ("Map", "steps=300&map_seeds=8"),
                                ("", "steps=300"))},
    }[page]
    page = page.split("_setting")[0]

    async def next_step() -> tuple[list[str], str, bool, list[str], str, list[str], set, set]:
        code, _, lecturer, student = await lecturer_and_student(server.url, page, start)
        texts, runs, take, drawn, steered = [], [], student.session.take, set(), set()

        def reading(raw):  # the runs, and the texts and headings, the student's page is sent from here on (its first
            msg = ForwardMsg.FromString(raw)  # runs have ended: lecturer_and_student read them to their end)
            element = msg.delta.new_element
            if msg.WhichOneof("type") == "delta" and element.WhichOneof("type") in ("markdown", "heading"):
                texts.append(getattr(element, element.WhichOneof("type")).body)
            drawn.add(msg.delta.new_element.WhichOneof("type"))
            kind, what = take(raw)
            if kind == "new_session":
                runs.append("fragment" if student.session.fragment_run else "page")
            return kind, what

        def lecturers(raw, take=lecturer.take):  # what the lecturer's own move draws
            steered.add(ForwardMsg.FromString(raw).delta.new_element.WhichOneof("type"))
            return take(raw)

        student.session.take, lecturer.take = reading, lecturers
        stop = asyncio.Event()
        student.start(stop)
        await lecturer.run(move)
        reached = await follow.until(lambda: shown(student), 60)
        await asyncio.sleep(0.5)  # that run's end
        stop.set()
        query, seen = student.session.query or "", student.session.log  # what the page saw, should it fail
        await student.close()
        await lecturer.close()
        return runs, query, reached, texts, i18n.tr("class.following", "en", code=code), seen, drawn, steered

    # (The runs were once told apart by the moment the student's log noted them, to 0.01 s: a run read in the same
    # hundredth as the lecturer's click, the page's own take-over of the lecturer's view, counted as after it.)
    runs, query, reached, texts, following, seen, drawn, steered = run_apart(next_step())
    assert reached and address in query.split("&"), query
    assert runs and set(runs) == {"fragment"}, f"{runs}; the student's page saw:\n" + "\n".join(seen)
    assert texts and following not in texts  # the body alone: the class's line above it is not sent again
    if address == "layers=2":  # the lecturer's new net, named in the body (Train's run line, Home's heading, the
        assert any("2-2-2-1" in text for text in texts), texts  # Net or Current run line of the others)
    elif page == "Train":  # … and on Train the step's part of it alone (ui.step_fragment), on both pages: the
        for elements in (drawn, steered):  # metrics and downloads below the pictures are the same at every step
            assert "vega_lite_chart" in elements and not {"metric", "download_button"} & elements, elements
        assert "button" in steered and "button" not in drawn  # Play: the lecturer's, not on a following page


def test_a_student_explores_on_their_own_and_follows_again():
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "layers": "3"})
    student = app("pages/1_Train.py", **{"class": c.code})
    assert student.session_state["hidden_layers"] == 3
    assert "b_play_at" not in {b.key for b in student.button}  # following: the step is the lecturer's …
    assert any(x.value == i18n.tr("train.intro_following", "en") for x in student.markdown)  # … and it says so
    settings = {"w_hidden_layers", "w_width", "w_lr", "w_activation", "w_dataset", "w_preset"}
    assert not settings & {w.key for w in student.sidebar}  # … and so are the settings, which it says …
    assert i18n.tr("side.following", "en") in [x.value for x in student.sidebar.caption]
    assert settings <= {w.key for w in lecturer.sidebar}  # (… on the student's page only)
    following = i18n.tr("class.lecturer", "en", code=c.code, n=1)
    assert any(x.value == following for x in lecturer.run().markdown)  # the lecturer counts the student …
    student.button(key="b_explore").click().run()
    assert settings <= {w.key for w in student.sidebar}  # exploring: the student's own settings
    student.run()
    assert classroom.classes().followers(c.code) == 0  # … and no longer while they explore (their box still looks)
    assert any(x.value == following.replace("1 following", "0 following") for x in lecturer.run().markdown)
    assert student.slider(key="w_hidden_layers").value == 3  # (as the lecturer's view left them)
    student.slider(key="w_hidden_layers").set_value(5).run()  # their own net
    lecturer.slider(key="w_hidden_layers").set_value(1).run()
    student.run()
    assert student.session_state["hidden_layers"] == 5  # not moved while exploring
    assert any(x.value == i18n.tr("class.exploring", "en", code=c.code) for x in student.markdown)
    student.button(key="b_follow_again").click().run()
    no_errors(student)
    assert student.session_state["hidden_layers"] == 1  # the lecturer's view, at once
    assert classroom.classes().followers(c.code) == 1  # counted again
    assert "b_play_at" not in {b.key for b in student.button}
    assert not settings & {w.key for w in student.sidebar}


@pytest.mark.parametrize("page, keys", [
    ("pages/1_Train.py", ("w_logy", "w_unit_layer")), ("pages/2_Chain_rule.py", ("w_lab",)),
    ("pages/3_Compare.py", ("pin_current", "pin_seed_0", "unpin_0")), ("pages/4_Robustness.py", ("w_n",)),
    ("pages/6_Map.py", ("w_map_rows", "w_map_cols", "w_map_seeds"))])
def test_a_following_students_own_controls_of_the_page_are_the_lecturers_until_they_explore(page, keys):
    """While a student follows, the page takes its own controls over from the lecturer's view as it takes the
    settings (a log-scale toggled on a following Train went back at the lecturer's next move, silently): they show
    the lecturer's choice, greyed out, and "Explore on my own" gives them back."""
    c = classroom.classes().open()
    query = {"steps": "300", "map_seeds": "8", "n": "8", "pins": "init:notebook", "logy": "1"}
    lecturer = app(page, **{"class": c.code, "key": c.key, **query})
    student = app(page, **{"class": c.code})
    no_errors(student)
    widgets = {w.key: w for w in student.main if getattr(w, "key", None) in keys}
    assert set(widgets) == set(keys) and all(w.disabled for w in widgets.values()), widgets.keys()
    assert all(not w.disabled for w in lecturer.main if getattr(w, "key", None) in keys)
    if page.endswith("Train.py"):
        assert student.toggle(key="w_logy").value is True  # the lecturer's choice, shown
    student.button(key="b_explore").click().run()
    student.run()
    assert all(not w.disabled for w in student.main if getattr(w, "key", None) in keys)


def test_a_following_students_home_says_the_net_is_the_lecturers_not_to_change_it_in_the_sidebar():
    c = classroom.classes().open()
    lecturer = app("streamlit_app.py", **{"class": c.code, "key": c.key, "steps": "300"})
    student = app("streamlit_app.py", **{"class": c.code, "lang": "ko"})
    no_errors(student)
    said = " ".join(m.value for m in student.markdown)
    assert i18n.tr("home.change_following", "ko") in said and i18n.tr("home.change", "ko") not in said
    assert i18n.tr("home.change", "en") in " ".join(m.value for m in lecturer.markdown)  # (the lecturer's own)
    student.button(key="b_explore").click().run()
    assert i18n.tr("home.change", "ko") in " ".join(m.value for m in student.markdown)  # exploring: their own


@pytest.mark.parametrize("page, slider", [("pages/1_Train.py", "w_at"), ("pages/2_Chain_rule.py", "w_step")])
def test_a_following_students_step_slider_is_greyed_out_until_they_explore(page, slider):
    """The step is the lecturer's while a student follows, as Play and the settings are; exploring gives it back."""
    c = classroom.classes().open()
    lecturer = app(page, **{"class": c.code, "key": c.key, "steps": "900"})
    student = app(page, **{"class": c.code})
    no_errors(student)
    assert student.slider(key=slider).disabled and not lecturer.slider(key=slider).disabled
    student.button(key="b_explore").click().run()
    assert not student.slider(key=slider).disabled


def test_following_again_stops_the_students_own_play():
    """A student exploring presses Play, then follows again: the lecturer's step (mid-run) is taken over in place and
    the student's Play stops (a following page has no Pause)."""
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "steps": "3000", "at": "300"})
    student = app("pages/1_Train.py", **{"class": c.code})
    student.button(key="b_explore").click().run()
    student.button(key="b_play_at").click().run()
    assert student.session_state["_playing_at"]
    lecturer.slider(key="w_at").set_value(600).run()
    student.button(key="b_follow_again").click().run()
    no_errors(student)
    assert student.session_state["at"] == 600 and not student.session_state["_playing_at"]
    assert "b_play_at" not in {b.key for b in student.button}


def test_an_error_in_the_lecturers_class_box_is_a_message_and_the_page_goes_on(monkeypatch):
    """The lecturer's class box is a fragment (it counts the followers every second): an unexpected error in it is the
    app's message, not Streamlit's traceback, and the Lesson below it is drawn (ui.session.fragment)."""
    from ui import questions

    c = classroom.classes().open()

    def broken(step):
        raise RuntimeError("broken in the test")

    monkeypatch.setattr(questions, "lesson_question", broken)
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "1"})
    assert not lecturer.exception, [e.value for e in lecturer.exception]
    assert any("broken in the test" in e.value for e in lecturer.error)
    assert lecturer.header[0].value == i18n.tr("lesson.1.title", "en")


def test_a_wrong_key_or_an_unknown_class_steers_nothing_and_says_so():
    c, other = classroom.classes().open(), classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "layers": "3"})
    no_errors(lecturer)
    impostor = app("pages/1_Train.py", **{"class": c.code, "key": other.key, "layers": "6"})
    no_errors(impostor)
    assert any(w.value == i18n.tr("class.ended", "en", code=c.code) for w in impostor.warning)
    assert classroom.classes().follow(c.code, "student-0001")[0]["query"]["layers"] == "3"  # unchanged
    gone = app("pages/1_Train.py", **{"class": "ZZZZZ"})
    no_errors(gone)
    assert any(w.value == i18n.tr("class.ended", "en", code="ZZZZZ") for w in gone.warning)
    bad = app("pages/1_Train.py", **{"class": "<script>", "key": "x"})
    no_errors(bad)
    notes = [w.value for w in bad.warning]
    assert any("class=" in n for n in notes) and any("key=" in n for n in notes)  # the link's notes
    assert not bad.session_state["class_code"] and "<script>" not in "".join(x.value for x in bad.caption)


def test_a_store_out_of_reach_leaves_every_page_working(monkeypatch):
    from conftest import free_port

    monkeypatch.setattr(classroom, "_CLASSES", RedisClasses(f"redis://127.0.0.1:{free_port()}/0"))  # nobody there
    for file in ("pages/1_Train.py", "pages/0_Lesson.py"):
        at = app(file, **{"class": "ABCDE"})
        no_errors(at)
        assert any(w.value == i18n.tr("class.unavailable", "en") for w in at.warning)
        assert at.get("vega_lite_chart")  # the page drew its charts all the same …
        keys = {b.key for b in at.button}  # … and its own step controls: nobody's screen to follow
        assert {"next_top", "back_top"} <= keys if "Lesson" in file else "b_play_at" in keys, keys
    presenter = app("pages/5_Presenter.py")
    presenter.button(key="b_start_class").click().run()
    no_errors(presenter)
    assert not presenter.session_state["class_key"]  # no class opened, and no traceback


@pytest.mark.browser
@pytest.mark.slow  # the suite's longest (two servers, a redis-server, three browsers): scheduled first (conftest)
def test_a_lecturer_and_two_students_in_chromium_across_two_replicas_and_redis(browser, tmp_path):
    """In Chromium, two `streamlit run` replicas sharing a real redis-server (MLP_REDIS_URL), as behind nginx, and
    three people in browser contexts of their own: the lecturer starts a class on one replica's Presenter-link page;
    two students open the students' link, one on each replica, one in Korean. The lecturer opens Home with a shorter
    run and moves a setting: both students' pages follow (the view, then the setting in place), and the browser's Back
    takes the English student's page to the lecturer's view again. One student explores on their own; the lecturer
    opens Lesson step 4 on the projector (1280×720, Korean): the other student's page goes there (and back there from
    Back to Home), the explorer's is not moved. The lecturer asks the step's question, both answer (the explorer too:
    the class box stays), the lecturer's chart counts 2, and the reveal reaches both pages. Then Redis stops mid-class:
    the lecturer's page says the class is unavailable and works on; Redis starts again: the count comes back, and the
    lecturer's Next moves the following student's page to step 5. (Each wait is a safety net, not a speed claim:
    bench/follow.py measures. One process's own store: the test below, and the AppTest tests above.)"""
    from test_classroom import RedisServer

    from conftest import Server

    redis = RedisServer(tmp_path)
    replicas = []
    try:
        replicas = [Server(env={"MLP_REDIS_URL": redis.url}) for _ in range(2)]
        class_in_chromium(browser, *replicas, redis)
    finally:
        for replica in replicas:
            replica.stop()
        if redis.proc.poll() is None:
            redis.stop()


@pytest.mark.browser
@pytest.mark.slow
def test_a_lecturer_and_two_students_in_chromium_on_one_server(browser, server):
    """The same class on one `streamlit run` (the default, and Community Cloud), the class in that process's own
    store (ui/classroom.py): the three people on the one server, the scenario above but Redis's stop and start."""
    class_in_chromium(browser, server, server, None)


def class_in_chromium(browser, here, there, redis=None):
    """The lecturer and the Korean student on replica `here`, the English student on `there` (the same server, or two
    replicas sharing `redis`, a RedisServer: then Redis also stops and starts mid-class)."""
    from urllib.parse import parse_qs, urlsplit

    from test_projector import LAYOUT, RADIOS

    from conftest import SCREENSHOTS, new_context

    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tag = "class" if redis is not None else "class_one_server"  # (the screenshots' names)

    def person():
        return new_context(browser, viewport={"width": 1366, "height": 768}).new_page()

    def on(page, path, *also, timeout=60_000):  # the page's address shows `path` (and each of `also`)
        try:
            page.wait_for_function("([path, also]) => location.pathname.endsWith(path) && "
                                   "also.every(part => location.search.includes(part))", arg=[path, list(also)],
                                   timeout=timeout, polling=200)  # (not every frame: a page's CPU while it waits)
        except Exception as e:  # where does each page stand?
            for name, shown in (("lecturer", lecturer), ("waiting", page)):
                shown.screenshot(path=str(SCREENSHOTS / f"{tag}_unmoved_{name}.png"), full_page=True)
            raise AssertionError(f"the page is at {page.url}, not {path} with {also}, {timeout / 1000:.0f} s "
                                 f"on; the lecturer's at {lecturer.url}: {e}") from None

    def back(page, address):  # the browser's Back to `address`, as Streamlit's page sees it: the address bar at an
        page.evaluate("""address => { history.pushState(null, '', address);  // entry of the history, then popstate
                                      dispatchEvent(new PopStateEvent('popstate')); }""", address)  # (the Back
        # button itself landed once on an entry with the address it left, in a fresh clone's run: not the step meant)

    lecturer = person()
    lecturer.goto(f"{here.url}/Presenter")
    lecturer.wait_for_selector(idle, timeout=120_000)
    lecturer.get_by_role("button", name="Start a live class").click()
    lecturer.wait_for_selector("text=Class code:", timeout=60_000)
    links = lecturer.locator("[data-testid='stCode']").all_inner_texts()
    own, students = links[0].strip(), links[1].strip()
    assert "key=" in own and "class=" in students and "key=" not in students
    code = parse_qs(urlsplit(students).query)["class"][0]
    # the students' link names this machine's network address (these servers listen on loopback only): its query
    en, ko = person(), person()
    en.goto(f"{there.url}/?{urlsplit(students).query}")
    ko.goto(f"{here.url}/?{urlsplit(students).query}&lang=ko")
    for student, lang in ((en, "en"), (ko, "ko")):
        student.get_by_text(i18n.tr("class.following", lang, code=code)).wait_for(timeout=120_000)

    # the lecturer opens Home with a shorter run, then moves a setting: both pages follow, the view, then the
    # setting in place
    lecturer.goto(f"{here.url}/?{urlsplit(own).query}&steps=300")
    lecturer.wait_for_selector("text=2-2-1 sigmoid", timeout=60_000)
    for student, lang in ((en, "en"), (ko, "ko")):
        on(student, "/", "steps=300")
        student.get_by_text(f"2-2-1 {i18n.tr('act.sigmoid', lang)}").first.wait_for(timeout=60_000)
    before = en.url  # (the address before the setting, for the browser's Back below)
    slider = lecturer.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(
        has_text="Hidden layers").get_by_role("slider")
    lecturer.wait_for_selector(idle, timeout=120_000)  # the run done: its slider stands where it will stay
    slider.focus()
    lecturer.keyboard.press("ArrowRight")  # 1 → 2 hidden layers
    on(lecturer, "/", "layers=2")  # (a step of its own: a miss then says which page missed)
    for student, lang in ((en, "en"), (ko, "ko")):
        on(student, "/", "layers=2")  # the new net, named and drawn
        student.get_by_text(f"2-2-2-1 {i18n.tr('act.sigmoid', lang)}").first.wait_for(timeout=60_000)
        assert student.locator("[data-testid='stException']").count() == 0
    en.screenshot(path=str(SCREENSHOTS / f"{tag}_student_home_en.png"))
    en.wait_for_selector(idle, timeout=60_000)
    back(en, before)  # the browser's Back to the address before the setting: the page goes to the lecturer's again
    on(en, "/", "layers=2")  # (stuck at the old net under "following", before: ui.session.walked)
    en.get_by_text(f"2-2-2-1 {i18n.tr('act.sigmoid', 'en')}").first.wait_for(timeout=60_000)
    home = en.url

    # one student explores on their own; the lecturer moves on to Lesson step 4, on the projector in Korean
    ko.locator(".st-key-b_explore button").click()
    ko.get_by_text(i18n.tr("class.exploring", "ko", code=code)).wait_for(timeout=60_000)
    lecturer.set_viewport_size({"width": 1280, "height": 720})
    lecturer.goto(f"{here.url}/Lesson?{urlsplit(own).query}&lesson=4&lang=ko&sidebar_hide=1")
    lecturer.wait_for_selector(idle, timeout=120_000)
    lecturer.get_by_text(i18n.tr("class.lecturer", "ko", code=code, n=1).split("· ")[1]).wait_for(timeout=60_000)
    line = lecturer.locator(".st-key-class_line")  # on the projector, no question open: up in the strip above the
    tops = sorted(line.locator("[data-testid='stHorizontalBlock'] > *").evaluate_all(  # page, the count and the
        "els => els.map(e => e.getBoundingClientRect().top)"))  # own-question button on one line (a line's items
    assert tops and tops[-1] - tops[0] <= 25, tops  # centred on it: a few px apart) …
    ask, box = lecturer.locator(".st-key-class_ask button").bounding_box(), line.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= ask["y"] and ask["height"] < 70, (box, ask)  # … the step's
    # long question to ask on a line of its own under it
    on(en, "/Lesson", "lesson=4")
    en.wait_for_selector("text=2-10-10-10-1", timeout=60_000)  # the step's nets, trained on its replica
    assert urlsplit(ko.url).path == "/" and "layers=2" in ko.url  # the explorer was not moved
    en.wait_for_selector(idle, timeout=60_000)
    back(en, home)  # Back to Home: a following page goes back to the lecturer's
    on(en, "/Lesson", "lesson=4")  # (it stayed on Home, "following", before)
    en.wait_for_selector("text=2-10-10-10-1", timeout=60_000)
    en.screenshot(path=str(SCREENSHOTS / f"{tag}_student_lesson4_en.png"))

    # the lecturer asks the step's question; both answer (the explorer's class box stays); the count, the reveal
    lecturer.locator(".st-key-b_ask button").click()
    for student, choice in ((en, 1), (ko, 0)):
        try:
            student.locator(".st-key-answer_1 [role='radiogroup'] label").nth(choice).click(timeout=60_000)
        except Exception as e:  # which side missed it?
            for name, page in (("lecturer", lecturer), ("student", student)):
                page.screenshot(path=str(SCREENSHOTS / f"{tag}_missed_{name}.png"), full_page=True)
            asked = lecturer.locator(".st-key-b_reveal button").count() > 0
            raise AssertionError(f"the student's page ({student.url}) took no answer 60 s after the ask; the "
                                 f"lecturer's page {'has' if asked else 'has not'} opened it: {e}") from None
    assert not en.evaluate(RADIOS), en.evaluate(RADIOS)  # the answers, each beside its own circle
    answers = i18n.tr("class.answers", "ko", n=2)
    lecturer.wait_for_selector(f"[data-testid='stVegaLiteChart'][aria-label='{answers}']", timeout=60_000)
    lecturer.locator(".st-key-b_reveal button").click()
    lecturer.get_by_text(i18n.tr("class.settles", "ko", runs="").split(":")[0]).wait_for(timeout=60_000)
    for student, lang in ((en, "en"), (ko, "ko")):
        student.get_by_text(i18n.tr("class.right", lang, answer="").split("*")[0].strip()).wait_for(timeout=60_000)
    lecturer.wait_for_selector(idle, timeout=60_000)
    lecturer.wait_for_timeout(800)  # the last chart's paint and Streamlit's layout settle
    problems = lecturer.evaluate(LAYOUT)  # the class's box fits the projector, as every presenter view must
    lecturer.screenshot(path=str(SCREENSHOTS / f"{tag}_projector_ko_1280x720.png"), full_page=True)
    en.locator("[data-testid='stAlertContentSuccess']").first.scroll_into_view_if_needed()
    en.screenshot(path=str(SCREENSHOTS / f"{tag}_student_revealed_en.png"))  # the room's bars on a student's page
    assert not problems, problems

    if redis is not None:  # Redis stops mid-class: the lecturer's page says so and works on; it starts again
        redis.stop()
        unavailable = i18n.tr("class.unavailable", "ko").split("(")[0]
        lecturer.get_by_text(unavailable).wait_for(timeout=60_000)  # the count, looked at every second
        redis.start()
        lecturer.get_by_text(i18n.tr("class.lecturer", "ko", code=code, n=1).split("· ")[1]).wait_for(timeout=60_000)
    # the lecturer's Next moves the following student's page on, not the explorer's
    lecturer.locator(".st-key-next_top button").click()
    on(en, "/Lesson", "lesson=5")
    en.get_by_text(i18n.tr("lesson.5.title", "en")).wait_for(timeout=60_000)
    assert urlsplit(ko.url).path == "/"  # still exploring
    for page in (lecturer, en, ko):
        assert page.locator("[data-testid='stException']").count() == 0
        page.context.close()


def answers_drawn(at) -> str:
    """The page's chart of the room's answers as Vega draws it (SVG)."""
    from test_app import svg

    return svg(next(chart for chart in at.get("vega_lite_chart") if '"count"' in chart.proto.spec))


def bars_drawn(at) -> list[tuple[str, str]]:
    """(the bar's label and count as a screen reader reads it, its fill) for each bar of the room's answers, as Vega
    draws them."""
    bar = r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"[^>]*fill="([^"]*)"'
    return re.findall(bar, answers_drawn(at))


@pytest.mark.slow  # Vega draws it (vl_convert starts in ~2 s)
def test_the_rooms_answers_axis_counts_in_whole_answers_from_the_ask_on():
    """Before anyone answers every count is 0: Vega's axis over [0, 0] read "0.000000" under an empty chart."""
    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "4"})
    lecturer.button(key="b_ask").click().run()
    student = app("pages/0_Lesson.py", **{"class": c.code})
    for answers in (0, 1):
        if answers:
            student.radio(key="answer_1").set_value(1).run()
        no_errors(lecturer.run())
        drawn = answers_drawn(lecturer)
        x_axis = drawn[drawn.index('aria-label="X-axis'):drawn.index('aria-label="Y-axis')]
        assert f"with values from 0 to {max(1, answers)}" in x_axis
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", x_axis)[:-1]  # the ticks' (the last: the axis title)
        assert labels[0] == "0" and "1" in labels and all(re.fullmatch(r"\d+", x) for x in labels), (answers, labels)


@pytest.mark.slow  # Vega draws it (vl_convert starts in ~2 s)
def test_after_the_reveal_the_right_answers_bar_is_green_and_ticked_the_others_grey():
    """On the projector the room sees at a glance which bar was right (a ✓ too: not by colour alone); while the room
    answers every bar is alike, and a typed question (no right answer) stays so after its reveal. A student's page
    after the reveal shows the same bars and says which answer was theirs, and whether it was right."""
    from ui.charts import POSITIVE
    from ui.questions import ASKED, OTHER

    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "4"})
    lecturer.button(key="b_ask").click().run()
    student = app("pages/0_Lesson.py", **{"class": c.code})
    student.radio(key="answer_1").set_value(0).run()  # a wrong answer
    other = app("pages/0_Lesson.py", **{"class": c.code, "lang": "ko"})
    other.radio(key="answer_1").set_value(1).run()  # the right one (2-10-10-10-1)
    choices = i18n.tr("q.4", "en").split("|")[1:]
    assert bars_drawn(lecturer.run()) == [(f"{a}: {n}", ASKED) for a, n in zip(choices, (1, 1, 0))]
    assert not [m for m in student.markdown if m.value.startswith("Your answer")]  # no verdict before the reveal
    lecturer.button(key="b_reveal").click().run()
    no_errors(lecturer)
    assert bars_drawn(lecturer) == [("2-2-1: 1", OTHER), ("2-10-10-10-1 ✓: 1", POSITIVE), ("About the same: 0", OTHER)]
    assert bars_drawn(student.run()) == bars_drawn(lecturer)  # the student's page after the reveal: the same bars
    assert i18n.tr("class.mine", "en", mine="2-2-1") in [m.value for m in student.markdown]  # … and their own answer
    assert i18n.tr("class.mine_right", "ko", mine="2-10-10-10-1") in [m.value for m in other.run().markdown]
    own = app("pages/1_Train.py", **{"class": c.code, "key": c.key})
    for box, text in zip(own.text_input, ("Will relu beat sigmoid?", "yes", "no")):
        box.input(text)
    own.button[[b.label for b in own.button].index(i18n.tr("class.ask", "en"))].click().run()
    own.button(key="b_reveal").click().run()
    no_errors(own)
    assert classroom.classes().tally(c.code).revealed
    assert bars_drawn(own) == [("yes: 0", ASKED), ("no: 0", ASKED)]


def test_the_lecturer_asks_the_lesson_steps_question_and_the_room_answers_until_the_reveal():
    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "1"})
    no_errors(lecturer)
    students = [app("pages/0_Lesson.py", **{"class": c.code, "lang": lang}) for lang in ("en", "ko", "en")]
    lecturer.button(key="b_ask").click().run()
    no_errors(lecturer)
    question = i18n.tr("q.1", "en").split("|")
    assert classroom.classes().tally(c.code).question.text == question[0]
    for student, choice in zip(students, (1, 1, 0)):
        student.run()  # (in a browser: the student's fragment, every 2 s)
        student.radio(key="answer_1").set_value(choice).run()
        no_errors(student)
    students[2].radio(key="answer_1").set_value(1).run()  # a change of mind: still one answer
    assert classroom.classes().tally(c.code).counts == (0, 3)
    lecturer.run()
    bars = [chart for chart in lecturer.get("vega_lite_chart") if "count" in chart.proto.spec]
    assert bars and any("learn XOR" in m.value for m in lecturer.markdown)
    lecturer.button(key="b_reveal").click().run()
    assert classroom.classes().tally(c.code).revealed
    students[1].run()
    assert students[1].radio(key="answer_1").disabled  # no answer after the reveal
    right = i18n.tr("class.right", "ko", answer=i18n.tr("q.1", "ko").split("|")[2])
    assert any(s.value == right for s in students[1].success)  # in the student's language
    # … with the run that settles it: the step's own, its cost per step, in each page's language
    for page, lang in ((students[1], "ko"), (lecturer.run(), "en")):
        label = i18n.tr("preset.perceptron", lang)
        assert i18n.tr("class.settles", lang, runs=label) in [caption.value for caption in page.caption]
        domains = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in page.get("vega_lite_chart")]
        assert any(f'"domain": ["{label}"]' in spec for spec in domains)
        no_errors(page)


def test_the_ask_button_says_what_a_press_does_asked_and_unanswered_it_is_gone_answered_it_asks_again():
    """A press on "Ask the room" with that question open and answered drops the room's answers: the button then says
    so ("Ask again: everyone answers anew"); while it is open and nobody has answered, a press changes nothing, and
    there is no button. Another step's question open: this step's is asked as before."""
    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "1"})
    asks = i18n.tr("class.ask", "en") + ": " + i18n.tr("q.1", "en").split("|")[0]
    assert lecturer.button(key="b_ask").label == asks
    lecturer.button(key="b_ask").click().run()
    no_errors(lecturer)
    assert "b_ask" not in [b.key for b in lecturer.button]  # asked, nobody has answered: nothing to press
    student = app("pages/0_Lesson.py", **{"class": c.code})
    student.radio(key="answer_1").set_value(1).run()
    assert classroom.classes().tally(c.code).counts == (0, 1)
    lecturer.run()
    assert lecturer.button(key="b_ask").label == i18n.tr("class.ask_again", "en")
    asked = classroom.classes().tally(c.code).number
    lecturer.button(key="b_ask").click().run()
    no_errors(lecturer)
    tally = classroom.classes().tally(c.code)
    assert tally.number == asked + 1 and tally.counts == (0, 0)  # asked anew: the room answers anew, as it said
    assert "b_ask" not in [b.key for b in lecturer.button]
    lecturer.button(key="b_reveal").click().run()  # revealed (nobody answered): it may be asked again
    assert lecturer.button(key="b_ask").label == i18n.tr("class.ask_again", "en")
    korean = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "4", "lang": "ko"})
    assert korean.button(key="b_ask").label == (i18n.tr("class.ask", "ko") + ": "
                                                 + i18n.tr("q.4", "ko").split("|")[0])  # another step's: asked anew


def test_the_reveal_of_step_6_measures_the_weight_step_it_asks_about():
    c = classroom.classes().open()
    lecturer = app("pages/0_Lesson.py", **{"class": c.code, "key": c.key, "lesson": "6", "lang": "ko"})
    lecturer.button(key="b_ask").click().run()
    lecturer.button(key="b_reveal").click().run()
    no_errors(lecturer)
    said = i18n.tr("class.settles_6", "ko", lab=i18n.tr("lesson.run_lab", "ko"), mean=i18n.tr("lesson.run_mean", "ko"),
                   ratio="4.0")
    assert said in [caption.value for caption in lecturer.caption]  # measured on the two runs, at step 0


def test_the_lecturer_asks_a_question_of_their_own_shown_as_text():
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key})
    form = lecturer.get("form")[0] if lecturer.get("form") else None
    assert form is not None
    inputs = lecturer.text_input
    inputs[0].input("Will **relu** <b>beat</b> sigmoid?")
    inputs[1].input("yes")
    inputs[2].input("no")
    lecturer.button[[b.label for b in lecturer.button].index(i18n.tr("class.ask", "en"))].click().run()
    no_errors(lecturer)
    tally = classroom.classes().tally(c.code)
    assert tally.question.text == "Will **relu** <b>beat</b> sigmoid?" and tally.question.choices == ("yes", "no")
    shown = [m.value for m in lecturer.markdown if "relu" in m.value]
    assert shown and "<b>" not in shown[0] and "\\*\\*relu" in shown[0]  # the lecturer's text, as text
    assert lecturer.session_state["own_popover"] is False  # asked: its popover closes (the room's bars are under it)


def test_a_lecturers_own_question_the_store_refuses_says_why_in_its_popover_and_asks_nothing():
    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key})
    lecturer.session_state["own_popover"] = True  # (the lecturer opened it)
    lecturer.text_input(key="own_q").input("Will relu beat sigmoid?")
    lecturer.text_input(key="own_a0").input("yes")  # one answer only
    lecturer.button[[b.label for b in lecturer.button].index(i18n.tr("class.ask", "en"))].click().run()
    no_errors(lecturer)
    assert classroom.classes().tally(c.code).question is None
    assert i18n.tr("class.own_rules", "en") in [w.value for w in lecturer.warning]
    assert lecturer.session_state["own_popover"] is True


def test_play_shares_its_step_less_often_the_larger_the_class():
    """Each step Play sends redraws the step's part of every follower's Train: with 50 followers sent every second
    (the whole body then), the lecturer's own Play drew 3 frames in 15 s; one every 0.05 s a follower leaves it 72
    with 200 followers, 80 with 50 (measured, docs/reliability.md)."""
    from ui import live

    assert live.share_every(0) == live.share_every(20) == live.PLAY_SHARE == 1.0
    assert live.share_every(50) == 2.5 and live.share_every(200) == 10.0


def test_play_on_the_lecturers_page_moves_the_students_step_at_a_coarse_rate():
    import time

    c = classroom.classes().open()
    lecturer = app("pages/1_Train.py", **{"class": c.code, "key": c.key, "steps": "700", "speed": "100"})
    student = app("pages/1_Train.py", **{"class": c.code, "steps": "700"})
    lecturer.button(key="b_play_at").click().run()  # Play from step 0, ×100 a frame
    time.sleep(1.1)  # Play sends its step at most once a second
    lecturer.run()  # the timer's next frame (AppTest runs no timers)
    sent = classroom.classes().follow(c.code, "student-0001")[0]["query"]
    assert sent.get("at") == str(lecturer.session_state["at"]) and 0 < lecturer.session_state["at"] < 699
    student.run()  # the student's look (every 2 s in a browser)
    assert student.session_state["at"] == lecturer.session_state["at"]  # the student's step moved with Play


async def lecturer_and_student(url: str, page: str, query: str):
    """A class on a real server (bench/ on the path): the lecturer's `page` at `query` and one following student's
    page, each run once. Returns (code, key, the lecturer's session, the student's follow.Tab, not yet reading:
    follow.Tab.start)."""
    import follow
    from protocol import Session

    code, key = await follow.open_class(url)
    lecturer = Session(f"{url}/{page}?class={code}&key={key}&{query}")
    await lecturer.open()
    await lecturer.run()
    student = follow.Tab(Session(f"{url}/{page}?class={code}"))
    await student.session.open()
    await student.session.run()
    return code, key, lecturer, student


def test_a_student_who_explored_takes_the_lecturers_step_on_following_again(server):
    """On a real server: a following student's Lesson has no Back and Next of its own; "explore on my own" (a click
    in the class box, whose fragment then runs the page again whole) brings them; exploring, the student stays on
    their step when the lecturer moves on (the fan-out's push runs their page's body, which leaves it); "follow
    again" (a run of the class box alone) takes the lecturer's step, and the page shows it."""
    import asyncio
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    import follow
    from chromium import run_apart

    async def scenario() -> tuple[bool, int, bool]:
        code, key, lecturer, student = await lecturer_and_student(server.url, "Lesson", "lesson=1")
        stop = asyncio.Event()
        student.start(stop)

        def runs_ended():
            return sum(line.split(" ", 2)[1] == "end" for line in student.session.log)

        steered = not {"back_top", "next_top", "next_bottom"} & set(student.session.widgets)  # the class's Next
        await student.session.send(("b_explore", True))
        explored = steered and await follow.until(  # the page again, whole: Back and Next of the student's own
            lambda: {"b_follow_again", "next_top", "next_bottom"} <= set(student.session.widgets)
            and student.session.log[-1].split(" ", 2)[1] == "end", 30)  # … and that run over
        ended = runs_ended()
        await lecturer.run(("next_top", True))
        await follow.until(lambda: runs_ended() > ended, 30)  # the push: the body's run, on the student's own step
        step = student.step()
        await student.session.send(("b_follow_again", True))
        reached = await follow.until(lambda: 2 in student.shown, 30)
        stop.set()
        await student.close()
        await lecturer.close()
        return explored, step, reached

    explored, step, reached = run_apart(scenario())
    assert explored and step == 1 and reached


def test_a_student_taken_to_another_page_takes_its_next_step_in_place(server):
    """On a real server: a following student on Lesson step 3 is taken to Train when the lecturer opens it (a run of
    the Lesson's body that switches page); the lecturer's next Train step then reaches the student's Train in place
    (runs of its body only), though the page has sent no address of its own since the switch: its pushed runs start
    at the address its last message carried, the Lesson's (its class box's look, lesson=3). With 200 followers
    (bench/students.py --follow 200) 78 of 200 once took that step whole, onto the Lesson, when the body compared
    the lecturer's view with that address before writing its own (ui.body_fragment now writes it first); this test
    plays the same moves with one student, where it passed either way."""
    import asyncio
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "bench"))
    import follow
    from chromium import run_apart
    from protocol import Session

    async def scenario() -> tuple[bool, list[str], list[str]]:
        code, key, lesson, student = await lecturer_and_student(server.url, "Lesson", "lesson=3")
        stop = asyncio.Event()
        student.start(stop)
        box = next(iter(student.session.auto))  # the class box's look now and then (its run_every) …
        ended = sum(" end " in line for line in student.session.log)
        await student.session.send(fragment=box, auto=True)  # … carries the page's address: lesson=3
        await follow.until(lambda: sum(" end " in line for line in student.session.log) > ended, 30)
        train = Session(f"{server.url}/Train?class={code}&key={key}&steps=900")
        await train.open()
        await train.run()
        taken = await follow.until(lambda: student.at, 60)
        await asyncio.sleep(0.5)  # that run's end
        mark = len(student.session.log)
        await train.run(("w_at", 300))
        reached = await follow.until(lambda: 300 in student.at, 60)
        await asyncio.sleep(0.5)
        stop.set()
        after = student.session.log[mark:]
        for s in (lesson, train):
            await s.close()
        await student.close()
        return taken and reached, [line.split(" ", 1)[1] for line in after if " start " in line], \
            [line for line in after if " alert " in line]

    reached, runs, alerts = run_apart(scenario())
    assert reached and runs and set(runs) == {"start fragment"} and not alerts, (runs, alerts)
