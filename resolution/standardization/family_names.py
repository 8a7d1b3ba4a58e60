"""Known Japanese family names, for splitting unspaced full names (山田太郎)
and for telling family-first romanized names (`Yamada Taro`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from resolution.standardization.kanji_variants import fold_kanji_variants_in
from resolution.standardization.readings import romanized_readings

# A family name this long or longer is not split by prefix (keeps >= 1 char
# for the given name anyway).
MAX_FAMILY_NAME_LENGTH = 4


@cache
def known_family_names() -> frozenset[str]:
    """The bundled list (data/family_names.txt), kanji variants folded."""
    text = resources.files("resolution.standardization").joinpath("data/family_names.txt").read_text("utf-8")
    names = (line.strip() for line in text.splitlines())
    return frozenset(fold_kanji_variants_in(name) for name in names if name and not name.startswith("#"))


@cache
def romanized_family_names() -> frozenset[str]:
    """Lower-case romanizations (`sato`, `satou`, `saito`) of the known names."""
    return frozenset(reading for name in known_family_names() for reading in romanized_readings(name))


def split_by_family_name(full_name: str) -> tuple[str, str] | None:
    """(family, given) for an unspaced Japanese name starting with a known
    family name; the longest known prefix wins and the given name keeps at
    least one character. None when no known family name starts the name."""
    names = known_family_names()
    for length in range(min(len(full_name) - 1, MAX_FAMILY_NAME_LENGTH), 0, -1):
        if full_name[:length] in names:
            return full_name[:length], full_name[length:]
    return None
