"""A live class: what the lecturer shows, who follows it, and the room's answers to a question.

The store only; it imports no Streamlit, so it is tested (and benchmarked) on its own. Two stores keep the
same rules: `MemoryClasses`, in the process (one `streamlit run`, Community Cloud), and `RedisClasses`, in
Redis (several replicas behind nginx: students on any replica follow the same lecturer and their answers
add up; ui/classroom_redis.py). `classes()` picks by `MLP_REDIS_URL`.

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


def check_code(code) -> str:
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise Refused("a class code is 5 letters and digits")
    return code


def check_student(student) -> str:
    if not isinstance(student, str) or not STUDENT_RE.fullmatch(student):
        raise Refused("not a student's session")
    return student


def key_hash(key) -> str:
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise Refused("not a lecturer's key")
    return hashlib.sha256(key.encode()).hexdigest()


def view_text(view: dict) -> str:
    text = json.dumps(view, sort_keys=True, ensure_ascii=False)
    if len(text.encode()) > VIEW_BYTES:
        raise Refused("a view is a page and its settings")
    return text


def _is_index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_answer(question: Question | None, asked: int, revealed: bool, number, choice):
    """An answer to question `number` is taken only while it is the one asked and not yet revealed, and only as
    one of its choices (both stores keep this rule)."""
    if question is None or not _is_index(number) or number != asked:
        raise Refused("that question is no longer asked")
    if revealed:
        raise Refused("the answer has been revealed")
    if not _is_index(choice) or not 0 <= choice < len(question.choices):
        raise Refused("an answer is one of the choices")


TOO_FAST = "too many answers at once: wait a moment"


def asked_already(open_question: str | None, revealed: bool, answers: int, question: Question) -> bool:
    """Asking the question that is open, unanswered and not revealed changes nothing a page shows: it is asked
    already, and keeps its number. So a click that reaches the store twice (a second press, or one delivered twice)
    asks once, and a page that drew the answers of that question's number keeps taking them."""
    return open_question == json.dumps(asdict(question)) and not revealed and not answers


def tally_of(question: Question | None, number: int, answers, revealed: bool) -> Tally:
    """The count of each answer (`answers`: the students' indices) to the question asked."""
    if question is None:
        return Tally(None, 0)
    counts = [0] * len(question.choices)
    for choice in answers:
        counts[int(choice)] += 1
    return Tally(question, number, tuple(counts), revealed)


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
            self._classes[code] = _Class(key_hash(key), self._clock())
        return Opened(code, key)

    def _expire(self):
        now = self._clock()
        for code in [c for c, k in self._classes.items() if now - k.touched > IDLE_EXPIRY]:
            del self._classes[code]

    def _get(self, code) -> _Class:
        c = self._classes.get(check_code(code))
        if c is None or self._clock() - c.touched > IDLE_EXPIRY:
            raise Refused("no class has this code (it may have ended)")
        return c

    def _lecturer(self, code, key) -> _Class:
        c = self._get(code)
        if not hmac.compare_digest(c.key_hash, key_hash(key)):
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
        text = view_text(view)
        with self._lock:
            c = self._lecturer(code, key)
            if text != c.view:
                c.view, c.version = text, c.version + 1
            return c.version

    def follow(self, code, student) -> tuple[dict, int]:
        """A follower's page asks what to show: the lecturer's view and its version; counts the student in."""
        student = check_student(student)
        with self._lock:
            c = self._get(code)
            c.followers[student] = self._clock()
            return json.loads(c.view), c.version

    def view(self, code) -> tuple[dict, int]:
        """The lecturer's view and its version, as a follower would read it (no follower is counted)."""
        with self._lock:
            c = self._get(code)
            return json.loads(c.view), c.version

    def pulse(self, code) -> tuple[int, int, bool]:
        """What a follower's page changes with: the lecturer's view's version, the question's number, its reveal."""
        with self._lock:
            c = self._get(code)
            return c.version, c.number, c.revealed

    def seen(self, code, students):
        """Followers whose pages are open though they did not ask (a process reports the pages it pushes to)."""
        students = [check_student(s) for s in students]
        with self._lock:
            c, now = self._get(code), self._clock()
            c.followers.update(dict.fromkeys(students, now))

    def leave(self, code, student):
        with self._lock:
            self._get(code).followers.pop(check_student(student), None)

    def followers(self, code) -> int:
        with self._lock:
            c, now = self._get(code), self._clock()
            for s in [s for s, seen in c.followers.items() if now - seen > FOLLOW_WINDOW]:
                del c.followers[s]
            return len(c.followers)

    def ask(self, code, key, question: Question) -> int:
        """Ask the room a question (the previous one's answers are dropped); its number. The question already open,
        unanswered and not revealed, is asked already (asked_already)."""
        if not isinstance(question, Question):
            raise Refused("not a question")
        with self._lock:
            c = self._lecturer(code, key)
            if asked_already(c.question, c.revealed, len(c.answers), question):
                return c.number
            c.question, c.number, c.revealed = json.dumps(asdict(question)), c.number + 1, False
            c.answers = {}
            return c.number

    def answer(self, code, student, number, choice) -> None:
        """A student's answer to question `number` (an index), or a change of it, until the reveal."""
        student = check_student(student)
        with self._lock:
            c = self._get(code)
            check_answer(c.question and Question.from_json(c.question), c.number, c.revealed, number, choice)
            now = self._clock()
            recent = [t for t in c.changes.get(student, []) if now - t < 60]
            if len(recent) >= ANSWERS_PER_MINUTE:
                raise Refused(TOO_FAST)
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
            return tally_of(c.question and Question.from_json(c.question), c.number, c.answers.values(), c.revealed)


_CLASSES = None
_CLASSES_LOCK = threading.Lock()


def classes():
    """The process's class store: Redis where MLP_REDIS_URL names one, else this process's memory."""
    global _CLASSES
    with _CLASSES_LOCK:
        if _CLASSES is None:
            url = os.environ.get("MLP_REDIS_URL", "").strip()
            if url:
                from .classroom_redis import RedisClasses

                _CLASSES = RedisClasses(url)
            else:
                _CLASSES = MemoryClasses()
        return _CLASSES
