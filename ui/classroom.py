"""A live class: what the lecturer shows, who follows it, and the room's answers to a question.

The store only; it imports no Streamlit, so it is tested (and benchmarked) on its own. Two stores keep the
same rules: `MemoryClasses`, in the process (one `streamlit run`, Community Cloud), and `RedisClasses`, in
Redis (several replicas behind nginx: students on any replica follow the same lecturer and their answers
add up). `classes()` picks by `MLP_REDIS_URL`.

The rules, the same in both:
- A class is opened with a short code (students type or scan it: `?class=CODE`) and a secret key that only
  the lecturer's link carries; both random (`secrets`). Only a request with the key changes what followers
  see, asks, or reveals; the store keeps a hash of the key, never the key.
- Followers are the students whose page asked for the view in the last FOLLOW_WINDOW seconds.
- One answer a student a question (they may change it until the reveal), at most ANSWERS_PER_MINUTE changes
  a minute; answers are indices into the question's choices, never text.
- A class nobody has touched for IDLE_EXPIRY seconds is gone.
- Bad input (a malformed code, key or answer) is refused with `Refused`, changing nothing; a store that
  cannot be reached raises `Unavailable`, and every page goes on without the class.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field

IDLE_EXPIRY = 4 * 3600  # seconds a class lives untouched
FOLLOW_WINDOW = 10.0  # a follower's page asks every few seconds; one not seen for this long has left
ANSWERS_PER_MINUTE = 10
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 5
CODE_RE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
KEY_RE = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16)
STUDENT_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
REF_RE = re.compile(r"q\.[1-9]")
MAX_QUESTION, MAX_CHOICE, CHOICES = 200, 80, (2, 4)
VIEW_BYTES = 8192  # what a lecturer's page shows: its page and settings, a few hundred bytes


class Refused(ValueError):
    """A request the class does not take: an unknown or malformed code, a wrong key, a bad answer."""


class Unavailable(RuntimeError):
    """The shared store cannot be reached: follow and questions are off until it is back."""


@dataclass(frozen=True)
class Question:
    text: str
    choices: tuple[str, ...]
    answer: int | None = None  # the index that settles it, if there is one (a poll has none)
    ref: str | None = None  # a question of the app's own ("q.4": Lesson step 4's), which each page words in its
    # own language; `text` and `choices` are then the asker's wording

    def __post_init__(self):
        if not isinstance(self.text, str) or not 0 < len(self.text.strip()) <= MAX_QUESTION:
            raise Refused(f"a question is 1 to {MAX_QUESTION} characters")
        if not CHOICES[0] <= len(self.choices) <= CHOICES[1] or not all(
                isinstance(c, str) and 0 < len(c.strip()) <= MAX_CHOICE for c in self.choices):
            raise Refused(f"a question has {CHOICES[0]} to {CHOICES[1]} answers of 1 to {MAX_CHOICE} characters")
        if self.answer is not None and not (_is_index(self.answer) and 0 <= self.answer < len(self.choices)):
            raise Refused("the right answer is one of the choices")
        if self.ref is not None and not (isinstance(self.ref, str) and REF_RE.fullmatch(self.ref)):
            raise Refused("not a question of the app's")

    @classmethod
    def from_json(cls, text: str) -> Question:
        data = json.loads(text)
        return cls(data["text"], tuple(data["choices"]), data.get("answer"), data.get("ref"))


@dataclass(frozen=True)
class Tally:
    """The question now asked (None: none yet), its number, the count of each answer, and whether it is revealed."""
    question: Question | None
    number: int
    counts: tuple[int, ...] = ()
    revealed: bool = False


@dataclass(frozen=True)
class Opened:
    code: str
    key: str


def _check_code(code) -> str:
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise Refused("a class code is 5 letters and digits")
    return code


def _check_student(student) -> str:
    if not isinstance(student, str) or not STUDENT_RE.fullmatch(student):
        raise Refused("not a student's session")
    return student


def _key_hash(key) -> str:
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise Refused("not a lecturer's key")
    return hashlib.sha256(key.encode()).hexdigest()


def _view_text(view: dict) -> str:
    text = json.dumps(view, sort_keys=True, ensure_ascii=False)
    if len(text.encode()) > VIEW_BYTES:
        raise Refused("a view is a page and its settings")
    return text


def _is_index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class _Class:
    key_hash: str
    touched: float
    view: str = "{}"
    version: int = 0
    question: str | None = None
    number: int = 0
    revealed: bool = False
    followers: dict = field(default_factory=dict)  # student → when last seen
    answers: dict = field(default_factory=dict)  # student → index
    changes: dict = field(default_factory=dict)  # student → times of their answers in the last minute (any question)


class MemoryClasses:
    """The classes of one process (one `streamlit run`): a dict under a lock."""

    def __init__(self, clock=time.time):
        self._clock, self._lock, self._classes = clock, threading.Lock(), {}

    def open(self) -> Opened:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            code = new_code()
            while code in self._classes:
                code = new_code()
            self._classes[code] = _Class(_key_hash(key), self._clock())
        return Opened(code, key)

    def _expire(self):
        now = self._clock()
        for code in [c for c, k in self._classes.items() if now - k.touched > IDLE_EXPIRY]:
            del self._classes[code]

    def _get(self, code) -> _Class:
        c = self._classes.get(_check_code(code))
        if c is None or self._clock() - c.touched > IDLE_EXPIRY:
            raise Refused("no class has this code (it may have ended)")
        return c

    def _lecturer(self, code, key) -> _Class:
        c = self._get(code)
        if not hmac.compare_digest(c.key_hash, _key_hash(key)):
            raise Refused("only the lecturer's link steers the class")
        c.touched = self._clock()
        return c

    def is_lecturer(self, code, key) -> bool:
        with self._lock:
            try:
                self._lecturer(code, key)
                return True
            except Refused:
                return False

    def steer(self, code, key, view: dict) -> int:
        """Show `view` (the lecturer's page and settings) to every follower; its version number."""
        text = _view_text(view)
        with self._lock:
            c = self._lecturer(code, key)
            if text != c.view:
                c.view, c.version = text, c.version + 1
            return c.version

    def follow(self, code, student) -> tuple[dict, int]:
        """A follower's page asks what to show: the lecturer's view and its version; counts the student in."""
        student = _check_student(student)
        with self._lock:
            c = self._get(code)
            c.followers[student] = self._clock()
            return json.loads(c.view), c.version

    def leave(self, code, student):
        with self._lock:
            self._get(code).followers.pop(_check_student(student), None)

    def followers(self, code) -> int:
        with self._lock:
            c, now = self._get(code), self._clock()
            for s in [s for s, seen in c.followers.items() if now - seen > FOLLOW_WINDOW]:
                del c.followers[s]
            return len(c.followers)

    def ask(self, code, key, question: Question) -> int:
        """Ask the room a question (the previous one's answers are dropped); its number."""
        if not isinstance(question, Question):
            raise Refused("not a question")
        with self._lock:
            c = self._lecturer(code, key)
            c.question, c.number, c.revealed = json.dumps(asdict(question)), c.number + 1, False
            c.answers = {}
            return c.number

    def answer(self, code, student, number, choice) -> None:
        """A student's answer to question `number` (an index), or a change of it, until the reveal."""
        student = _check_student(student)
        with self._lock:
            c = self._get(code)
            if c.question is None or not _is_index(number) or number != c.number:
                raise Refused("that question is no longer asked")
            if c.revealed:
                raise Refused("the answer has been revealed")
            n = len(Question.from_json(c.question).choices)
            if not _is_index(choice) or not 0 <= choice < n:
                raise Refused("an answer is one of the choices")
            now = self._clock()
            recent = [t for t in c.changes.get(student, []) if now - t < 60]
            if len(recent) >= ANSWERS_PER_MINUTE:
                raise Refused("too many answers at once: wait a moment")
            c.changes[student] = recent + [now]
            c.answers[student] = choice

    def reveal(self, code, key) -> None:
        with self._lock:
            c = self._lecturer(code, key)
            if c.question is None:
                raise Refused("no question has been asked")
            c.revealed = True

    def tally(self, code) -> Tally:
        with self._lock:
            c = self._get(code)
            if c.question is None:
                return Tally(None, 0)
            q = Question.from_json(c.question)
            counts = [0] * len(q.choices)
            for choice in c.answers.values():
                counts[choice] += 1
            return Tally(q, c.number, tuple(counts), c.revealed)


class RedisClasses:
    """The classes in Redis, shared by every replica: one hash a class, a sorted set of its followers (by when
    last seen), a hash of its answers (student → index) and a counter a student for the rate of answers, all
    expiring IDLE_EXPIRY seconds after the lecturer's last action. The lecturer's changes are transactions
    (WATCH/MULTI) or single commands, so two replicas never lose each other's writes."""

    PREFIX = "mlp:class:"

    def __init__(self, url: str, clock=time.time):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0,
                                           decode_responses=True)
        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._clock = clock

    def _k(self, code, part=""):
        return f"{self.PREFIX}{code}{part}"

    def _call(self, fn):
        try:
            return fn(self._redis)
        except self._errors as e:
            raise Unavailable(f"the class store (Redis) cannot be reached: {e}") from None

    def _touch(self, r, code):
        for part in ("", ":followers", ":answers"):
            r.expire(self._k(code, part), IDLE_EXPIRY)

    def open(self) -> Opened:
        key = secrets.token_urlsafe(16)

        def run(r):
            while True:
                code = new_code()
                if r.hsetnx(self._k(code), "key_hash", _key_hash(key)):
                    r.hset(self._k(code), mapping={"view": "{}", "version": 0, "number": 0, "revealed": 0})
                    r.expire(self._k(code), IDLE_EXPIRY)
                    return Opened(code, key)
        return self._call(run)

    def _get(self, r, code) -> dict:
        c = r.hgetall(self._k(_check_code(code)))
        if not c:
            raise Refused("no class has this code (it may have ended)")
        return c

    def _lecturer(self, r, code, key) -> dict:
        c = self._get(r, code)
        if not hmac.compare_digest(c["key_hash"], _key_hash(key)):
            raise Refused("only the lecturer's link steers the class")
        self._touch(r, code)
        return c

    def is_lecturer(self, code, key) -> bool:
        try:
            self._call(lambda r: self._lecturer(r, code, key))
            return True
        except Refused:
            return False

    def steer(self, code, key, view: dict) -> int:
        text = _view_text(view)

        def run(r):
            c = self._lecturer(r, code, key)
            if c["view"] == text:
                return int(c["version"])
            r.hset(self._k(code), "view", text)
            return r.hincrby(self._k(code), "version", 1)
        return self._call(run)

    def follow(self, code, student) -> tuple[dict, int]:
        student = _check_student(student)

        def run(r):
            c = self._get(r, code)
            r.zadd(self._k(code, ":followers"), {student: self._clock()})
            r.expire(self._k(code, ":followers"), IDLE_EXPIRY)
            return json.loads(c["view"]), int(c["version"])
        return self._call(run)

    def leave(self, code, student):
        student = _check_student(student)
        self._call(lambda r: (self._get(r, code), r.zrem(self._k(code, ":followers"), student)))

    def followers(self, code) -> int:
        def run(r):
            self._get(r, code)
            r.zremrangebyscore(self._k(code, ":followers"), "-inf", self._clock() - FOLLOW_WINDOW)
            return r.zcard(self._k(code, ":followers"))
        return self._call(run)

    def ask(self, code, key, question: Question) -> int:
        if not isinstance(question, Question):
            raise Refused("not a question")

        def run(r):
            self._lecturer(r, code, key)
            with r.pipeline() as p:  # one transaction: no answer lands between the new question and its count
                p.delete(self._k(code, ":answers"))
                p.hset(self._k(code), mapping={"question": json.dumps(asdict(question)), "revealed": 0})
                p.hincrby(self._k(code), "number", 1)
                return p.execute()[-1]
        return self._call(run)

    def answer(self, code, student, number, choice) -> None:
        student = _check_student(student)
        import redis

        def run(r):
            with r.pipeline() as p:
                p.watch(self._k(code))  # the question may change (ask, reveal) while this answer is checked
                c = self._get(p, code)
                if "question" not in c or not _is_index(number) or number != int(c["number"]):
                    raise Refused("that question is no longer asked")
                if c["revealed"] == "1":
                    raise Refused("the answer has been revealed")
                n = len(Question.from_json(c["question"]).choices)
                if not _is_index(choice) or not 0 <= choice < n:
                    raise Refused("an answer is one of the choices")
                rate = self._k(code, f":rate:{student}")
                if int(p.get(rate) or 0) >= ANSWERS_PER_MINUTE:
                    raise Refused("too many answers at once: wait a moment")
                p.multi()
                p.incr(rate)
                p.expire(rate, 60, nx=True)
                p.hset(self._k(code, ":answers"), student, choice)
                p.expire(self._k(code, ":answers"), IDLE_EXPIRY)
                p.execute()

        try:
            self._call(run)
        except redis.exceptions.WatchError:
            raise Refused("the question changed: answer again") from None

    def reveal(self, code, key) -> None:
        def run(r):
            c = self._lecturer(r, code, key)
            if "question" not in c:
                raise Refused("no question has been asked")
            r.hset(self._k(code), "revealed", 1)
        self._call(run)

    def tally(self, code) -> Tally:
        def run(r):
            c = self._get(r, code)
            if "question" not in c:
                return Tally(None, 0)
            q = Question.from_json(c["question"])
            counts = [0] * len(q.choices)
            for choice in r.hvals(self._k(code, ":answers")):
                counts[int(choice)] += 1
            return Tally(q, int(c["number"]), tuple(counts), c["revealed"] == "1")
        return self._call(run)


_CLASSES = None
_CLASSES_LOCK = threading.Lock()


def classes():
    """The process's class store: Redis where MLP_REDIS_URL names one, else this process's memory."""
    global _CLASSES
    with _CLASSES_LOCK:
        if _CLASSES is None:
            url = os.environ.get("MLP_REDIS_URL", "").strip()
            _CLASSES = RedisClasses(url) if url else MemoryClasses()
        return _CLASSES
