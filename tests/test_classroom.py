"""The live class's store (ui/classroom.py), through its public calls, against both stores: this process's memory
and a real `redis-server` (scripts/test.sh installs it as it installs chromium). The same rules hold in both:
only the lecturer's key steers, followers are counted, one answer a student a question, hostile input changes
nothing, a class expires; and Redis adds up two replicas' students and fails soft when it goes away."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import free_port
from hostile import BAD_VALUES
from ui import classroom
from ui.classroom import IDLE_EXPIRY, MemoryClasses, Question, Refused, Unavailable
from ui.classroom_redis import RedisClasses

REDIS = os.environ.get("REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"


class Clock:
    """A clock the test moves (the stores take their time from it)."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


class RedisServer:
    """`redis-server` on a free loopback port, keeping its data in `folder` (append-only file) so that a stop and
    a start find the class again, as a production Redis with persistence does."""

    def __init__(self, folder: Path):
        if not os.access(REDIS, os.X_OK):
            pytest.fail(f"redis-server not found at {REDIS}: install it (Debian/Ubuntu: apt-get install redis-server) "
                        "or set REDIS_SERVER=/path/to/redis-server")
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        self.proc = subprocess.Popen([REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "yes", "--dir", str(self.folder), "--protected-mode", "yes"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=0.5).ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)  # Redis writes its append-only file and exits
        self.proc.wait(10)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(params=["memory", "redis"])
def store(request):
    clock = Clock()
    if request.param == "memory":
        return MemoryClasses(clock), clock
    return RedisClasses(request.getfixturevalue("redis_server").url, clock), clock


STEP1 = Question("Will a net with no hidden layer learn XOR?", ("yes", "no"), answer=1)


def test_a_class_has_a_short_code_and_a_secret_key_and_only_the_key_steers(store):
    classes, _ = store
    a, b = classes.open(), classes.open()
    assert classroom.CODE_RE.fullmatch(a.code) and a.code != b.code and a.key != b.key and len(a.key) == 22
    assert classes.is_lecturer(a.code, a.key) and not classes.is_lecturer(a.code, b.key)
    view = {"page": "Lesson", "settings": {"lesson": "4", "layers": "3"}}
    assert classes.steer(a.code, a.key, view) == 1
    assert classes.steer(a.code, a.key, view) == 1  # the same view again is no new version
    with pytest.raises(Refused):
        classes.steer(a.code, b.key, {"page": "Train"})  # another class's key
    with pytest.raises(Refused):
        classes.ask(a.code, b.key, STEP1)
    assert classes.follow(a.code, "student-0001") == (view, 1)
    assert classes.follow(b.code, "student-0001") == ({}, 0)  # the other class shows nothing yet


def test_followers_are_the_students_seen_in_the_last_seconds(store):
    classes, clock = store
    c = classes.open()
    for i in range(3):
        classes.follow(c.code, f"student-{i:04d}")
    classes.follow(c.code, "student-0000")  # the same student again counts once
    assert classes.followers(c.code) == 3
    classes.leave(c.code, "student-0002")  # "explore on my own"
    assert classes.followers(c.code) == 2
    clock.now += classroom.FOLLOW_WINDOW + 1
    classes.follow(c.code, "student-0001")
    assert classes.followers(c.code) == 1  # the others' pages stopped asking


def test_the_pulse_changes_with_what_a_followers_page_shows_and_seen_counts_open_pages(store):
    classes, clock = store
    c = classes.open()
    pulses = [classes.pulse(c.code)]
    classes.steer(c.code, c.key, {"page": "Lesson"})
    pulses.append(classes.pulse(c.code))
    classes.steer(c.code, c.key, {"page": "Lesson"})  # the same view: no change
    assert classes.pulse(c.code) == pulses[-1]
    classes.ask(c.code, c.key, STEP1)
    pulses.append(classes.pulse(c.code))
    classes.answer(c.code, "student-0001", 1, 0)  # an answer changes nothing a follower's page shows
    assert classes.pulse(c.code) == pulses[-1]
    classes.reveal(c.code, c.key)
    pulses.append(classes.pulse(c.code))
    assert pulses == [(0, 0, False), (1, 0, False), (1, 1, False), (1, 1, True)]
    assert classes.view(c.code) == ({"page": "Lesson"}, 1)  # the view itself (the fan-out reads it) …
    assert classes.followers(c.code) == 0  # … counts no follower
    classes.seen(c.code, ["student-0001", "student-0002"])  # pages open that did not ask
    assert classes.followers(c.code) == 2
    clock.now += classroom.FOLLOW_WINDOW + 1
    assert classes.followers(c.code) == 0
    for bad in ("nope", "../x", ""):
        with pytest.raises(Refused):
            classes.seen(c.code, [bad])
        with pytest.raises(Refused):
            classes.pulse(bad)
        with pytest.raises(Refused):
            classes.view(bad)


def test_one_answer_a_student_changeable_until_the_reveal_and_counted(store):
    classes, _ = store
    c = classes.open()
    assert classes.tally(c.code) == classroom.Tally(None, 0)
    n = classes.ask(c.code, c.key, STEP1)
    for i, choice in enumerate([0, 0, 1, 1, 1]):
        classes.answer(c.code, f"student-{i:04d}", n, choice)
    classes.answer(c.code, "student-0000", n, 1)  # changed their mind: still one answer
    assert classes.tally(c.code) == classroom.Tally(STEP1, n, (1, 4), False)
    classes.reveal(c.code, c.key)
    with pytest.raises(Refused):
        classes.answer(c.code, "student-0009", n, 0)  # after the reveal
    assert classes.tally(c.code) == classroom.Tally(STEP1, n, (1, 4), True)
    poll = Question("Which net ends with the lower cost?", ("2-2-1", "2-10-10-10-1", "the same"))
    m = classes.ask(c.code, c.key, poll)
    assert m == n + 1 and classes.tally(c.code) == classroom.Tally(poll, m, (0, 0, 0), False)  # a fresh count
    with pytest.raises(Refused):
        classes.answer(c.code, "student-0001", n, 0)  # an answer to the question before


def test_asking_the_open_unanswered_question_again_asks_it_once(store):
    """A click that reaches the store twice asks once: the open question, unanswered and not revealed, keeps its
    number (a page that drew its answers, `answer_<number>`, keeps taking them); answered, revealed or another
    question, it is asked anew."""
    classes, _ = store
    c = classes.open()
    n = classes.ask(c.code, c.key, STEP1)
    assert classes.ask(c.code, c.key, STEP1) == n and classes.pulse(c.code) == (0, n, False)  # nothing changed
    classes.answer(c.code, "student-0001", n, 1)
    m = classes.ask(c.code, c.key, STEP1)
    assert m == n + 1 and sum(classes.tally(c.code).counts) == 0  # answered: asked anew, a fresh count
    classes.reveal(c.code, c.key)
    assert classes.ask(c.code, c.key, STEP1) == m + 1  # revealed: asked anew
    assert classes.ask(c.code, c.key, Question("Q?", ("yes", "no"))) == m + 2  # another question


def test_answers_come_at_a_bounded_rate(store):
    classes, _ = store
    c = classes.open()
    n = classes.ask(c.code, c.key, STEP1)
    for i in range(classroom.ANSWERS_PER_MINUTE):
        classes.answer(c.code, "student-0001", n, i % 2)
    with pytest.raises(Refused, match="too many"):
        classes.answer(c.code, "student-0001", n, 0)
    classes.answer(c.code, "student-0002", n, 0)  # another student is not held back
    assert classes.tally(c.code).counts == (1, 1)  # student 1's last accepted answer (1), student 2's (0)


def test_hostile_codes_keys_students_and_answers_are_refused_and_change_nothing(store):
    classes, _ = store
    c = classes.open()
    view = {"page": "Train"}
    classes.steer(c.code, c.key, view)
    n = classes.ask(c.code, c.key, STEP1)
    classes.answer(c.code, "student-0001", n, 0)
    lowered = c.code.lower() if c.code.lower() != c.code else "x" + c.code[1:]  # a code of digits only (one in ~870:
    # (8/31)⁵) is its own lower case, a valid code: the test failed on one
    values = BAD_VALUES + [None, 3, -1, 1.0, True, [0], {"a": 1}, lowered, c.code + "A", c.key + "x",
                           c.key[:-1], "student-0001'; DROP", "*", "mlp:class:*"]
    for bad in values:
        index = bad in (0, 1) and not isinstance(bad, (bool, float))  # a valid answer, or question 1
        token = isinstance(bad, str) and classroom.STUDENT_RE.fullmatch(bad)  # a student's session token: opaque
        for call, args, may_pass in ((classes.follow, (bad, "student-0002"), False),
                                     (classes.steer, (c.code, bad, {"page": "Map"}), False),
                                     (classes.steer, (bad, c.key, {"page": "Map"}), False),
                                     (classes.reveal, (c.code, bad), False),
                                     (classes.answer, (c.code, bad, n, 1), token),
                                     (classes.answer, (c.code, "student-0003", n, bad), index),
                                     (classes.answer, (c.code, "student-0003", bad, 1), index and bad == n)):
            try:
                call(*args)
            except Refused:
                continue
            assert may_pass, (bad, call.__name__, args)
    after = classes.tally(c.code)
    assert classes.follow(c.code, "student-0001")[0] == view and (after.question, after.number, after.revealed) == (
        STEP1, n, False)
    for bad_question in [("", ("a", "b")), ("q", ("a",)), ("q", ("a", "b", "c", "d", "e")), ("q" * 201, ("a", "b")),
                         ("q", ("a", "")), ("q", ("a", "b" * 81))]:
        with pytest.raises(Refused):
            Question(*bad_question)
    with pytest.raises(Refused):
        classes.steer(c.code, c.key, {"page": "Train", "settings": {"x": "a" * 9000}})  # a view, not a payload


def test_a_class_untouched_for_four_hours_is_gone():
    clock = Clock()
    classes = MemoryClasses(clock)
    c = classes.open()
    classes.steer(c.code, c.key, {"page": "Train"})
    clock.now += IDLE_EXPIRY - 60
    classes.follow(c.code, "student-0001")  # the lecturer's own action keeps it: followers alone do not
    classes.steer(c.code, c.key, {"page": "Map"})
    clock.now += IDLE_EXPIRY - 60
    assert classes.follow(c.code, "student-0001")[0] == {"page": "Map"}
    clock.now += 120
    with pytest.raises(Refused, match="no class"):
        classes.follow(c.code, "student-0001")


def test_redis_keeps_a_class_for_four_hours_from_the_lecturers_last_action(redis_server):
    import redis

    classes = RedisClasses(redis_server.url)
    c = classes.open()
    classes.steer(c.code, c.key, {"page": "Train"})
    n = classes.ask(c.code, c.key, STEP1)
    classes.answer(c.code, "student-0001", n, 1)
    classes.follow(c.code, "student-0001")
    r = redis.Redis.from_url(redis_server.url)
    keys = r.keys(f"{RedisClasses.PREFIX}{c.code}*")
    assert len(keys) >= 3 and all(IDLE_EXPIRY - 5 <= r.ttl(k) <= IDLE_EXPIRY for k in keys if b":rate:" not in k)
    assert all(c.key not in str(r.hgetall(k)) for k in keys if r.type(k) == b"hash")  # the key is never stored


def test_two_replicas_share_one_class_and_their_students_answers_add_up(redis_server):
    lecturer_side, student_side = RedisClasses(redis_server.url), RedisClasses(redis_server.url)
    c = lecturer_side.open()
    lecturer_side.steer(c.code, c.key, {"page": "Lesson", "settings": {"lesson": "1"}})
    n = lecturer_side.ask(c.code, c.key, STEP1)
    for i in range(6):  # students on both replicas
        side = (lecturer_side, student_side)[i % 2]
        assert side.follow(c.code, f"student-{i:04d}")[0]["settings"] == {"lesson": "1"}
        side.answer(c.code, f"student-{i:04d}", n, int(i < 4))
    assert lecturer_side.followers(c.code) == 6 and lecturer_side.tally(c.code).counts == (2, 4)
    assert student_side.tally(c.code) == lecturer_side.tally(c.code)


def test_when_redis_goes_away_the_class_says_so_and_comes_back_with_it(tmp_path):
    """Each call that cannot reach Redis raises Unavailable (the pages say so) and leaves a line in the server's log
    naming the error, so that a page which said so in a class can be traced."""
    import logging

    server = RedisServer(tmp_path)
    logged = []
    handler = logging.Handler()
    handler.emit = logged.append  # on the app's logger itself: Streamlit's loggers do not propagate to pytest's
    logging.getLogger("xor_mlp").addHandler(handler)
    try:
        classes = RedisClasses(server.url)
        c = classes.open()
        classes.steer(c.code, c.key, {"page": "Train"})
        server.stop()
        started = time.time()
        for call in (lambda: classes.follow(c.code, "student-0001"), lambda: classes.tally(c.code),
                     lambda: classes.steer(c.code, c.key, {"page": "Map"}), classes.open):
            with pytest.raises(Unavailable):
                call()
        assert time.time() - started < 20  # each call gives up within its socket timeout, not a minute
        assert len(logged) == 4 and all("cannot be reached: ConnectionError" in r.getMessage() for r in logged)
        server.start()
        assert classes.follow(c.code, "student-0001") == ({"page": "Train"}, 1)  # the class is back
    finally:
        logging.getLogger("xor_mlp").removeHandler(handler)
        if server.proc.poll() is None:
            server.stop()


def test_a_call_waits_for_a_free_connection_when_every_one_is_in_use(tmp_path):
    """200 followers' pages run their scripts at once on a lecturer's Next: a call that finds every connection of the
    process in use waits for one (up to a second) instead of failing (redis-py's default pool refused the 101st: those
    pages missed the step). Every connection is held here, one is given back 0.2 s later: the call then succeeds."""
    import threading

    from ui import classroom_redis

    server = RedisServer(tmp_path)
    try:
        classes = RedisClasses(server.url)
        c = classes.open()
        held = [classes._pool.get_connection() for _ in range(classroom_redis.POOL)]
        threading.Timer(0.2, classes._pool.release, [held.pop()]).start()
        started = time.time()
        assert classes.follow(c.code, "student-0001") == ({}, 0)
        assert 0.15 < time.time() - started < 1.0
        for connection in held:
            classes._pool.release(connection)
    finally:
        server.stop()
