"""The class's changes pushed to the followers' pages of one process (ui/fanout.py), through Fanout's own calls
against a real store and a stand-in for Streamlit's runtime (its sessions and event loop): a page is rerun once
when the class changes from what it last read, never while nothing changes; a closed tab, an ended class and a
store out of reach are handled. (The real server: tests/test_live.py's browser test follows through it.)"""

import pytest

from ui import classroom, fanout
from ui.classroom import MemoryClasses


class Runtime:
    """What Fanout uses of Streamlit's runtime: the open sessions, and the event loop that runs its reruns."""

    def __init__(self):
        self.open, self.reruns = set(), []
        self._session_mgr = self
        self.eventloop = self

    def get_active_session_info(self, session):
        return type("Info", (), {"session": session})() if session in self.open else None

    def _get_async_objs(self):
        return self

    def call_soon_threadsafe(self, fn, session, fragment):
        self.reruns.append((session, fragment))


@pytest.fixture
def runtime(monkeypatch):
    rt = Runtime()
    monkeypatch.setattr(fanout, "_runtime", lambda: rt)
    return rt


def page(monkeypatch, runtime, session):
    """Run the next watch() as the class fragment of `session`."""
    runtime.open.add(session)
    monkeypatch.setattr(fanout, "here", lambda: (session, f"fragment-of-{session}"))


def watching(monkeypatch, runtime, sessions=("s1",)):
    """A fan-out (the test ticks it by hand) and a fresh store's class that each session's page watches."""
    store = MemoryClasses()
    hub = fanout.Fanout(store)
    hub._thread = object()
    c = store.open()
    for session in sessions:
        page(monkeypatch, runtime, session)
        hub.watch(c.code, f"student-{session}", store.pulse(c.code))
    return store, hub, c


def test_a_change_of_the_class_reruns_each_following_page_once_and_nothing_else(monkeypatch, runtime):
    store = MemoryClasses()
    hub = fanout.Fanout(store)
    hub._thread = object()  # the test ticks by hand
    a, b = store.open(), store.open()
    for session, code in (("s1", a.code), ("s2", a.code), ("s3", b.code)):
        page(monkeypatch, runtime, session)
        assert hub.watch(code, f"student-{session}", store.pulse(code))
    assert hub.tick() == [] and runtime.reruns == []  # nothing changed since each page read it
    store.steer(a.code, a.key, {"page": "Lesson"})
    assert sorted(hub.tick()) == [("s1", "fragment-of-s1"), ("s2", "fragment-of-s2")]  # class a's pages only
    assert hub.tick() == []  # asked once, not at every tick until the page runs
    page(monkeypatch, runtime, "s1")
    assert hub.watch(a.code, "student-s1", (0, 0, False))  # a page that read an older pulse: rerun at once
    assert hub.tick() == [("s1", "fragment-of-s1")]
    store.ask(b.code, b.key, classroom.Question("Q?", ("yes", "no")))
    runtime.open.discard("s3")  # … but its tab was closed
    assert hub.tick() == [] and len(runtime.reruns) == 3


def test_open_pages_count_as_followers_and_an_ended_class_is_let_go(monkeypatch, runtime):
    store, hub, c = watching(monkeypatch, runtime, ("s1", "s2"))
    page(monkeypatch, runtime, "s3")  # a student exploring on their own: watched (for the questions), not counted
    hub.watch(c.code, "student-s3", store.pulse(c.code), following=False)
    hub.tick(report=True)
    assert store.followers(c.code) == 2  # neither page ran: the process said they are open
    explorers = MemoryClasses()
    alone = fanout.Fanout(explorers)
    alone._thread = object()
    e = explorers.open()
    alone.watch(e.code, "student-s3", explorers.pulse(e.code), following=False)
    alone.tick(report=True)
    assert explorers.followers(e.code) == 0  # a class with explorers only: nobody counted (and no error)
    store._classes.clear()  # the class ended (expired)
    assert sorted(hub.tick()) == [("s1", "fragment-of-s1"), ("s2", "fragment-of-s2"),  # each says so once
                                  ("s3", "fragment-of-s3")]
    assert hub.tick() == []  # and is let go


def test_a_store_out_of_reach_reruns_nothing_and_the_change_arrives_when_it_is_back(monkeypatch, runtime):
    store, hub, c = watching(monkeypatch, runtime)
    store.steer(c.code, c.key, {"page": "Train"})
    real = store.pulse

    def away(code):
        raise classroom.Unavailable("Redis is away")

    monkeypatch.setattr(store, "pulse", away)
    assert hub.tick() == []
    monkeypatch.setattr(store, "pulse", real)
    assert hub.tick() == [("s1", "fragment-of-s1")]


def test_without_a_server_pages_poll():
    assert fanout.here() is None and not fanout.available()  # no Streamlit runtime in a test process
    assert fanout.Fanout(MemoryClasses()).watch("ABCDE", "student-0001", (0, 0, False)) is False


class Session:
    """What Fanout uses of a Streamlit session: its id, whether a script runs, its last run's address, its reruns."""

    def __init__(self, id, running=False):
        from streamlit.proto.ClientState_pb2 import ClientState

        self.id, self._scriptrunner, self.asked = id, object() if running else None, []
        self._client_state = ClientState(query_string="lesson=3&class=ABCDE", page_script_hash="lesson-page")

    def request_rerun(self, state):
        self.asked.append(state)

    def has_fragment(self, fragment):
        return True


def test_a_page_is_rerun_as_its_last_run_left_it_and_a_busy_page_is_asked_again(monkeypatch, runtime):
    store, hub, c = watching(monkeypatch, runtime)
    idle, busy = Session("s1"), Session("s1", running=True)
    hub._rerun_fragment(idle, "fragment-of-s1")
    [state] = idle.asked  # the fragment alone, at the address and page its last run ended on
    assert (state.fragment_id, state.is_auto_rerun, state.query_string, state.page_script_hash) == (
        "fragment-of-s1", True, "lesson=3&class=ABCDE", "lesson-page")
    assert hub.tick() == []
    hub._rerun_fragment(busy, "fragment-of-s1")  # its script runs (a page it is being taken to): not now …
    assert busy.asked == []
    assert hub.tick() == [("s1", "fragment-of-s1")]  # … but at the next tick


def test_a_new_view_reruns_the_fragment_that_takes_it_over_in_place_and_a_question_the_class_box(monkeypatch,
                                                                                                  runtime):
    """A page whose body takes a new view over in place (ui.body_fragment: the Lesson's step) tells the class what
    its body read (watch_view) apart from what its class box read (watch): a new view reruns the body alone, a
    question asked the box alone, both at once the body first and then the box; a busy page is asked again for the
    fragment it was asked for."""
    store = MemoryClasses()
    hub = fanout.Fanout(store)
    hub._thread = object()
    c = store.open()
    runtime.open.add("s1")

    def box_reads():
        monkeypatch.setattr(fanout, "here", lambda: ("s1", "box-of-s1"))
        return hub.watch(c.code, "student-s1", store.pulse(c.code))

    def body_reads():
        monkeypatch.setattr(fanout, "here", lambda: ("s1", "body-of-s1"))
        return hub.watch_view(c.code, "student-s1", store.pulse(c.code)[0])

    assert box_reads() and body_reads() and hub.tick() == []
    store.steer(c.code, c.key, {"page": "Lesson", "query": {"lesson": "2"}})
    assert hub.tick() == [("s1", "body-of-s1")]  # the box is not drawn again for a new step
    assert hub.tick() == []  # asked once
    body_reads()
    store.ask(c.code, c.key, classroom.Question("Q?", ("yes", "no")))
    assert hub.tick() == [("s1", "box-of-s1")]
    box_reads()
    store.steer(c.code, c.key, {"page": "Lesson", "query": {"lesson": "3"}})
    store.reveal(c.code, c.key)
    assert hub.tick() == [("s1", "body-of-s1")]  # both: the body first …
    body_reads()
    assert hub.tick() == [("s1", "box-of-s1")]  # … then the box
    box_reads()
    store.steer(c.code, c.key, {"page": "Lesson", "query": {"lesson": "4"}})
    hub._rerun_fragment(Session("s1", running=True), "body-of-s1")  # busy when the push came
    assert hub.tick() == [("s1", "body-of-s1")]
    assert hub.tick() == []
    hub._rerun_fragment(Session("s1", running=True), "body-of-s1")  # busy again …
    box_reads()  # … while the box ran (the student answered): the body is still asked again
    assert hub.tick() == [("s1", "body-of-s1")]


def test_a_view_that_moves_the_step_alone_reruns_the_step_part_and_any_other_the_body(monkeypatch, runtime):
    """Train on a following page: its body (ui.body_fragment) takes the lecturer's settings over in place, the part
    within it (ui.step_fragment) the step. A view that differs from the one the page shows in the step alone (Play on
    the lecturer's page) reruns that part; one with another setting, or another page, the body around it (which
    redraws the part too); a page whose shown view is not known, the body."""
    store = MemoryClasses()
    hub = fanout.Fanout(store)
    hub._thread = object()
    c = store.open()
    runtime.open.add("s1")
    train = {"page": "Train", "query": {"steps": "900"}}
    store.steer(c.code, c.key, train)

    def page_runs(shown, steps=("at",)):
        """The body's run, then its step part's within it, each telling what it read and the view the page shows."""
        version = store.pulse(c.code)[0]
        monkeypatch.setattr(fanout, "here", lambda: ("s1", "body-of-s1"))
        hub.watch_view(c.code, "student-s1", version, shown=shown, steps=("at", "layers", "width"), body=True)
        monkeypatch.setattr(fanout, "here", lambda: ("s1", "step-of-s1"))
        hub.watch_view(c.code, "student-s1", version, shown=shown, steps=steps)

    page_runs(train)
    assert hub.tick() == []
    step_300 = {"page": "Train", "query": {"steps": "900", "at": "300"}}
    store.steer(c.code, c.key, step_300)
    assert hub.tick() == [("s1", "step-of-s1")]  # the step alone
    monkeypatch.setattr(fanout, "here", lambda: ("s1", "step-of-s1"))
    hub.watch_view(c.code, "student-s1", store.pulse(c.code)[0], shown=step_300, steps=("at",))
    deeper = {"page": "Train", "query": {"steps": "900", "at": "300", "layers": "2"}}
    store.steer(c.code, c.key, deeper)
    assert hub.tick() == [("s1", "body-of-s1")]  # a setting: the body around the step
    assert hub.tick() == []  # asked once
    page_runs(deeper)
    store.steer(c.code, c.key, {"page": "Lesson", "query": {"lesson": "2"}})
    assert hub.tick() == [("s1", "body-of-s1")]  # another page: the body (it opens that page)
    page_runs(None)  # a page that shows no view it knows of …
    store.steer(c.code, c.key, {"page": "Lesson", "query": {"lesson": "3"}})
    assert hub.tick() == [("s1", "body-of-s1")]  # … takes the next one over in its body


def test_a_run_of_the_whole_page_forgets_the_fragments_of_the_page_before(monkeypatch, runtime):
    """A student's page taken to another page (a run of the whole page): a rerun asked of the old page's body while
    it was busy, and that body itself, are forgotten; a new view reruns the new page's body."""
    store = MemoryClasses()
    hub = fanout.Fanout(store)
    hub._thread = object()
    c = store.open()
    runtime.open.add("s1")

    def reads(fragment, whole=False):
        monkeypatch.setattr(fanout, "here", lambda: ("s1", fragment))
        if fragment.startswith("box"):
            return hub.watch(c.code, "student-s1", store.pulse(c.code), whole)
        return hub.watch_view(c.code, "student-s1", store.pulse(c.code)[0])

    reads("box-of-lesson", whole=True)
    reads("body-of-lesson")
    store.steer(c.code, c.key, {"page": "Train"})
    hub._rerun_fragment(Session("s1", running=True), "body-of-lesson")  # busy: to be asked again …
    reads("box-of-train", whole=True)  # … but the page was taken to Train meanwhile (its box's heartbeat)
    reads("body-of-train")
    assert hub.tick() == []
    store.steer(c.code, c.key, {"page": "Train", "query": {"at": "2000"}})
    assert hub.tick() == [("s1", "body-of-train")]


def test_a_push_that_arrives_after_the_page_ran_whole_is_dropped(monkeypatch, runtime):
    """The event loop runs a push some time after the tick that asked it: if the page has run whole meanwhile (taken
    to another page), the fragment it named is not on the page any more and is not rerun, nor asked again."""
    store, hub, c = watching(monkeypatch, runtime)  # s1's box: "fragment-of-s1"
    monkeypatch.setattr(fanout, "here", lambda: ("s1", "box-of-another-page"))
    hub.watch(c.code, "student-s1", store.pulse(c.code), whole=True)
    idle, busy = Session("s1"), Session("s1", running=True)
    hub._rerun_fragment(idle, "fragment-of-s1")
    hub._rerun_fragment(busy, "fragment-of-s1")
    assert idle.asked == [] and busy.asked == [] and hub.tick() == []
    hub._rerun_fragment(idle, "box-of-another-page")
    assert len(idle.asked) == 1
