"""Looking up a string in a two-language table ({key: {"en": …, "ko": …}}): used by the charts and the app."""


def lookup(table: dict, key: str, lang: str = "en", **values) -> str:
    """The text for key in lang (English where lang is unknown), with {placeholders} filled in."""
    entry = table[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
