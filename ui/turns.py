"""Turns at the server's cores: at most a few trainings at once, first come first served, the lecturer first.

Python runs one thread at a time (the GIL). When 40 students with settings of their own open the link in
the same minute, 40 trainings side by side each take 40 times as long, and every page that only draws a
cached run waits behind them too: everyone's first chart comes late (measured with bench/students.py).
Taking turns, the first in line finish first, and a page that needs no training stays quick.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from contextlib import contextmanager


class Turns:
    """At most `slots` holders at once; the others wait in line, by (priority, arrival): 0 goes first."""

    def __init__(self, slots: int):
        if slots < 1:
            raise ValueError(f"slots must be at least 1, not {slots}")
        self.slots, self.running = slots, 0
        self.line: list = []  # heap of (priority, arrival number)
        self._arrivals = itertools.count()
        self._changed = threading.Condition()

    @contextmanager
    def turn(self, priority: int = 1, waiting=None, poll: float = 0.5):
        """Hold a turn for the body of the with-block (which gets a Turn: see Turn.share). While in line,
        waiting(number ahead) is called every `poll` seconds, outside the lock (in the app: an st call, so a
        moved slider can interrupt the wait; whatever it raises takes the ticket out of the line), and
        waiting(None) once its turn has come."""
        held = Turn(self, priority, waiting, poll)
        held.take()
        try:
            yield held
        finally:
            held.give_back()


class Turn:
    """One holder's turn. A long run calls share() now and then: whoever waits goes first, and the long run
    lines up again behind them (a student's 200,000-step run does not hold up everyone's 10,001-step one)."""

    def __init__(self, turns: Turns, priority: int, waiting, poll: float):
        self.turns, self.priority, self.waiting, self.poll = turns, priority, waiting, poll
        self.holding = False

    def take(self):
        t = self.turns
        ticket = (self.priority, next(t._arrivals))
        with t._changed:
            heapq.heappush(t.line, ticket)
        told = False
        try:
            while True:
                with t._changed:
                    if t.running < t.slots and t.line[0] == ticket:
                        heapq.heappop(t.line)
                        t.running += 1
                        self.holding = True
                        break
                    ahead = t.running + sum(1 for other in t.line if other < ticket)
                    t._changed.wait(self.poll)
                if self.waiting is not None:
                    self.waiting(ahead)
                    told = True
            if told:
                self.waiting(None)  # its turn now
        except BaseException:
            with t._changed:
                if ticket in t.line:
                    t.line.remove(ticket)
                    heapq.heapify(t.line)
                t._changed.notify_all()
            raise

    def give_back(self):
        with self.turns._changed:
            if self.holding:
                self.turns.running -= 1
                self.holding = False
                self.turns._changed.notify_all()

    def share(self) -> bool:
        """If anyone is waiting, give the turn to the first in line and wait for the next one (at the back of
        this holder's priority). Returns whether it stepped out."""
        with self.turns._changed:
            if not self.turns.line:
                return False
        self.give_back()
        self.take()  # interrupted in line (a moved slider): it holds no turn, and turn() gives none back
        return True
