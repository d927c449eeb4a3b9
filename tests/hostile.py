"""Hostile links: a deterministic generator of bad query strings for every control (tests and load script)."""

import random

import ui

BAD_VALUES = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1", "-0", "0", "99999999999999999999", "9" * 300,
              "1.5", "0x10", "1e3", "ten", "true", "null", "None", "[]", "{}", "<script>alert(1)</script>",
              "`rm -rf`", "[x](javascript:alert(1))", "${7*7}", "__import__('os').system('id')", "%00", "\u202e",
              "한국어", "０", "٣", "🙂" * 50, "a" * 5000, "layers:3,width:999", "~~~", "::", "cuda", "CUDA",
              "Sigmoid", " relu ", "1;2", "1,2", "0.0010", "1e-3", "10.0", "-10",
              "a0_0b1", "a1e999_0", "x1-x1", "x1--x2", "sin", "a0_0b1_1", "x1-x2-x1x2", "x1x2",  # own points, features
              "1", "2", "8", "2147483647"]  # valid edges (the big runs are in test_extremes, not here)
UNKNOWN_KEYS = ["foo", "eval", "__class__", "layers ", "LAYERS", "x" * 300, "키", "pins[]", "lr_hide_hide"]


def hostile_queries(n: int = 200, seed: int = 0) -> list[dict]:
    """n query dicts (key → list of values), mixing valid, invalid, repeated and unknown keys."""
    rng = random.Random(seed)
    keys = [c.key for c in ui.CONTROLS + ui.VIEW] + ["pins", "step", "lab", "at", "logy", "n", "lesson", "speed"]
    queries = []
    for i in range(n):
        query = {}
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(keys + UNKNOWN_KEYS) if rng.random() < 0.9 else rng.choice(UNKNOWN_KEYS)
            values = [rng.choice(BAD_VALUES) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
            query.setdefault(key, []).extend(values)
        if i % 10 == 0:
            query["steps"] = ["300"]  # some links are fine apart from one value
        queries.append(query)
    return queries
