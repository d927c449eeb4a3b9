"""The live class's store in Redis, shared by every replica behind nginx (`MLP_REDIS_URL`): the same rules as
ui/classroom.py's MemoryClasses (its docstring), kept by the same checks (check_answer, tally_of)."""

from __future__ import annotations

import hmac
import json
import secrets
import time
from dataclasses import asdict
from logging import getLogger

from .classroom import (
    ANSWERS_PER_MINUTE,
    FOLLOW_WINDOW,
    IDLE_EXPIRY,
    TOO_FAST,
    Opened,
    Question,
    Refused,
    Tally,
    Unavailable,
    asked_already,
    check_answer,
    check_code,
    check_student,
    key_hash,
    new_code,
    tally_of,
    view_text,
)

POOL = 32  # connections a process keeps to Redis at most (each call waits for one; see RedisClasses)
_LOG = getLogger("xor_mlp")  # Streamlit's logger of that name (ui/runs.py) writes it to the server's output


def _question(c: dict) -> Question | None:
    return Question.from_json(c["question"]) if "question" in c else None


class RedisClasses:
    """The classes in Redis, shared by every replica: one hash a class, a sorted set of its followers (by when
    last seen), a hash of its answers (student → index) and a counter a student for the rate of answers, all
    expiring IDLE_EXPIRY seconds after the lecturer's last action. The lecturer's changes are transactions
    (WATCH/MULTI) or single commands, so two replicas never lose each other's writes."""

    PREFIX = "mlp:class:"

    def __init__(self, url: str, clock=time.time):
        import redis

        # A bounded pool that makes a call wait for a free connection (up to a second) when all are in use: 200
        # followers' pages run their scripts at once on a lecturer's Next, and redis-py's default pool refuses the
        # 101st ("Too many connections": those pages missed the step). A call holds a connection for a millisecond.
        self._pool = redis.BlockingConnectionPool.from_url(url, max_connections=POOL, timeout=1.0, socket_timeout=1.0,
                                                           socket_connect_timeout=1.0, decode_responses=True)
        self._redis = redis.Redis(connection_pool=self._pool)
        self._errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._clock = clock

    def _k(self, code, part=""):
        return f"{self.PREFIX}{code}{part}"

    def _call(self, fn):
        try:
            return fn(self._redis)
        except self._errors as e:
            _LOG.warning("the class store (Redis) cannot be reached: %s: %s", type(e).__name__, e)
            raise Unavailable(f"the class store (Redis) cannot be reached: {e}") from None

    def _touch(self, r, code):
        with r.pipeline(transaction=False) as p:  # one round trip, not three
            for part in ("", ":followers", ":answers"):
                p.expire(self._k(code, part), IDLE_EXPIRY)
            p.execute()

    def open(self) -> Opened:
        key = secrets.token_urlsafe(16)

        def run(r):
            while True:
                code = new_code()
                if r.hsetnx(self._k(code), "key_hash", key_hash(key)):
                    r.hset(self._k(code), mapping={"view": "{}", "version": 0, "number": 0, "revealed": 0})
                    r.expire(self._k(code), IDLE_EXPIRY)
                    return Opened(code, key)
        return self._call(run)

    def _get(self, r, code) -> dict:
        c = r.hgetall(self._k(check_code(code)))
        if not c:
            raise Refused("no class has this code (it may have ended)")
        return c

    def _lecturer(self, r, code, key) -> dict:
        c = self._get(r, code)
        if not hmac.compare_digest(c["key_hash"], key_hash(key)):
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
        text = view_text(view)

        def run(r):
            c = self._lecturer(r, code, key)
            if c["view"] == text:
                return int(c["version"])
            r.hset(self._k(code), "view", text)
            return r.hincrby(self._k(code), "version", 1)
        return self._call(run)

    def follow(self, code, student) -> tuple[dict, int]:
        student = check_student(student)

        def run(r):
            c = self._get(r, code)  # an open class only: no key is made for a code nobody opened
            with r.pipeline(transaction=False) as p:  # one round trip, not two
                p.zadd(self._k(code, ":followers"), {student: self._clock()})
                p.expire(self._k(code, ":followers"), IDLE_EXPIRY)
                p.execute()
            return json.loads(c["view"]), int(c["version"])
        return self._call(run)

    def view(self, code) -> tuple[dict, int]:
        def run(r):
            view, version = r.hmget(self._k(check_code(code)), "view", "version")
            if version is None:
                raise Refused("no class has this code (it may have ended)")
            return json.loads(view), int(version)
        return self._call(run)

    def pulse(self, code) -> tuple[int, int, bool]:
        def run(r):
            version, number, revealed = r.hmget(self._k(check_code(code)), "version", "number", "revealed")
            if version is None:
                raise Refused("no class has this code (it may have ended)")
            return int(version), int(number), revealed == "1"
        return self._call(run)

    def seen(self, code, students):
        students = [check_student(s) for s in students]

        def run(r):
            self._get(r, code)
            if students:
                r.zadd(self._k(code, ":followers"), dict.fromkeys(students, self._clock()))
                r.expire(self._k(code, ":followers"), IDLE_EXPIRY)
        self._call(run)

    def leave(self, code, student):
        student = check_student(student)
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

        def ask(p):  # one transaction on the watched class and answers: none lands between the check and the ask
            c = p.hgetall(self._k(code))
            number = int(c.get("number", 0))
            if asked_already(c.get("question"), c.get("revealed") == "1", p.hlen(self._k(code, ":answers")), question):
                return number
            p.multi()
            p.delete(self._k(code, ":answers"))
            p.hset(self._k(code), mapping={"question": json.dumps(asdict(question)), "revealed": 0})
            p.hincrby(self._k(code), "number", 1)
            return number + 1  # (watched: no other ask can come between)

        def run(r):
            self._lecturer(r, code, key)
            return r.transaction(ask, self._k(code), self._k(code, ":answers"), value_from_callable=True)
        return self._call(run)

    def answer(self, code, student, number, choice) -> None:
        student = check_student(student)
        import redis

        def run(r):
            with r.pipeline() as p:
                p.watch(self._k(code))  # the question may change (ask, reveal) while this answer is checked
                c = self._get(p, code)
                check_answer(_question(c), int(c["number"]), c["revealed"] == "1", number, choice)
                rate = self._k(code, f":rate:{student}")
                if int(p.get(rate) or 0) >= ANSWERS_PER_MINUTE:
                    raise Refused(TOO_FAST)
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
            with r.pipeline(transaction=True) as p:  # one round trip: the class and its answers as of one moment
                p.hgetall(self._k(check_code(code)))
                p.hvals(self._k(code, ":answers"))
                c, answers = p.execute()
            if not c:
                raise Refused("no class has this code (it may have ended)")
            return tally_of(_question(c), int(c["number"]), answers, c["revealed"] == "1")
        return self._call(run)
