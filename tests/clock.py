"""Deterministic time for the training loop's chunk deadlines (chunk.CHUNK_SECONDS = 0.1 s)."""


class Clock:
    """A clock for the training loop that moves `tick` seconds each time anyone looks at it: with 0.03 a chunk
    ends on its deadline after 4 steps, with 0 never (every chunk full), whatever the machine and its load."""

    def __init__(self, tick: float = 0.03):
        self.now, self.tick = 0.0, tick

    def perf_counter(self):
        self.now += self.tick
        return self.now
