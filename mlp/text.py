"""Looking up a string in a two-language table ({key: {"en": …, "ko": …}}): used by the charts and the app.

Korean particles depend on the word before them: 을/를, 은/는, 이/가, 과/와 and 으로/로 follow whether
that word ends in a final consonant (batchim). A Korean entry writes both forms, e.g. "{name}을/를", and
the one that fits the filled-in word is chosen here, so a note reads "너비는", "width=999를", "2를", never
the fallback "은(는)".
"""

import re

PARTICLES = {"을/를": ("을", "를"), "은/는": ("은", "는"), "이/가": ("이", "가"), "과/와": ("과", "와"),
             "으로/로": ("으로", "로")}
# How a digit or a Latin letter is read aloud in Korean: does that reading end in a final consonant,
# and is it ㄹ (which takes 로, not 으로)? 0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔; L 엘, M 엠, N 엔, R 알.
_CLOSED = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_QUIET = "'\"`’”)]}*_\\ "  # quotes, brackets and markdown after a word: look past them
_PATTERN = re.compile("(" + "|".join(re.escape(p) for p in PARTICLES) + ")")


def final_consonant(word: str):
    """'ㄹ', another truthy jamo mark, or '' for a word ending in a vowel (as read aloud in Korean)."""
    word = word.rstrip(_QUIET)
    if not word:
        return ""
    ch = word[-1]
    if "가" <= ch <= "힣":
        jong = (ord(ch) - ord("가")) % 28
        return "" if jong == 0 else ("ㄹ" if jong == 8 else "ㅇ")
    return _CLOSED.get(ch.lower(), "")


def attach_particles(text: str) -> str:
    """Replace each "을/를"-style pair with the form that fits the word right before it."""
    parts = _PATTERN.split(text)
    out = [parts[0]]
    for particle, rest in zip(parts[1::2], parts[2::2]):
        closed, open_ = PARTICLES[particle]
        jong = final_consonant(out[-1] if out[-1] else "".join(out))
        if particle == "으로/로":
            out.append(closed if jong and jong != "ㄹ" else open_)
        else:
            out.append(closed if jong else open_)
        out.append(rest)
    return "".join(out)


def lookup(table: dict, key: str, lang: str = "en", **values) -> str:
    """The text for key in lang (English where lang is unknown), with {placeholders} filled in."""
    entry = table[key]
    text = entry.get(lang) or entry["en"]
    text = text.format(**values) if values else text
    return attach_particles(text) if lang == "ko" else text
