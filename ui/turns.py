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
        """Hold a turn for the body of the with-block. While in line, waiting(number ahead) is called every
        `poll` seconds, outside the lock (in the app: an st call, so a moved slider can interrupt the wait;
        whatever it raises takes the ticket out of the line)."""
        ticket = (priority, next(self._arrivals))
        with self._changed:
            heapq.heappush(self.line, ticket)
        try:
            while True:
                with self._changed:
                    if self.running < self.slots and self.line[0] == ticket:
                        heapq.heappop(self.line)
                        self.running += 1
                        break
                    ahead = self.running + sum(1 for other in self.line if other < ticket)
                    self._changed.wait(poll)
                if waiting is not None:
                    waiting(ahead)
        except BaseException:
            with self._changed:
                if ticket in self.line:
                    self.line.remove(ticket)
                    heapq.heapify(self.line)
                self._changed.notify_all()
            raise
        try:
            yield
        finally:
            with self._changed:
                self.running -= 1
                self._changed.notify_all()
