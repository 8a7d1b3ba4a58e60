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
