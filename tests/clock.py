"""Deterministic time for the training loop's chunk deadlines (chunk.CHUNK_SECONDS = 0.1 s)."""


class Clock:
    """A clock for the training loop that moves 0.03 s each time anyone looks at it: a chunk ends on its deadline
    after 4 steps, whatever the machine."""

    def __init__(self):
        self.now = 0.0

    def perf_counter(self):
        self.now += 0.03
        return self.now
