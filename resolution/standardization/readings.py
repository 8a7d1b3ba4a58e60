"""Generated readings of Japanese names with pykakasi (offline dictionary).

pykakasi drops kanji it does not know (髙橋 -> nothing for 髙): callers fold
kanji variants first. A generated reading is only returned when every
character got one; otherwise None.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pykakasi

_KATAKANA_READING = re.compile(r"^[\u30a1-\u30faー]+$")


@cache
def _converter() -> pykakasi.kakasi:
    return pykakasi.kakasi()


@lru_cache(maxsize=200_000)
def generated_reading(name: str) -> str | None:
    """Full-width katakana reading of a kanji/kana name, or None when pykakasi
    cannot read all of it (unknown or Latin characters)."""
    reading = "".join(part["kana"] for part in _converter().convert(name))
    return reading if _KATAKANA_READING.match(reading) else None


def romanized_readings(name: str) -> set[str]:
    """Hepburn and passport romanizations (`satou`, `sato`) of a name."""
    parts = _converter().convert(name)
    return {
        "".join(part[system] for part in parts).lower() for system in ("hepburn", "passport")
    } - {""}


_LONG_VOWELS = ((re.compile(r"o[ou]|oh(?=[^aeiou]|$)"), "o"), (re.compile(r"uu"), "u"), (re.compile(r"m(?=[bpm])"), "n"))
_NOT_ASCII_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=200_000)
def comparable_romanization(name: str) -> str | None:
    """One Latin spelling for a name in kana or romaji, so `ショウタロウ`,
    `shoutarou`, `Shotaro` and `Shohtaro` all give `shotaro`.

    Kana is romanized (Hepburn), then long vowels (`ou`, `oo`, `oh`, `uu`) are
    shortened as passports write them and `m` before b/p/m becomes `n`; Latin
    input gets the same folding. Kanji is not read here (pass its reading).
    Returns None when nothing Latin is left."""
    text = name.lower()
    if any("\u3040" <= c <= "\u30ff" for c in text):
        text = "".join(part["hepburn"] for part in _converter().convert(text))
    text = _NOT_ASCII_LETTER.sub("", text)
    for pattern, replacement in _LONG_VOWELS:
        text = pattern.sub(replacement, text)
    return text or None
