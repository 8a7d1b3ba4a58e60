"""Known Japanese family names, for splitting unspaced full names (山田太郎,
and in kana ヤマダハナコ) and for telling family-first romanized names
(`Yamada Taro`)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from resolution.standardization.kanji_variants import fold_kanji_variants_in
from resolution.standardization.readings import (
    dictionary_readings,
    generated_reading,
    romanized_readings,
)
from resolution.standardization.text import HIRAGANA, KATAKANA

# A family name this long or longer is not split by prefix (keeps >= 1 char
# for the given name anyway).
MAX_FAMILY_NAME_LENGTH = 4


@cache
def known_family_names() -> frozenset[str]:
    """The bundled list (data/family_names.txt), kanji variants folded."""
    text = resources.files("resolution.standardization").joinpath("data/family_names.txt").read_text("utf-8")
    names = (line.strip() for line in text.splitlines())
    return frozenset(fold_kanji_variants_in(name) for name in names if name and not name.startswith("#"))


ROMANIZED_FILE = "data/family_names_romanized.txt"


@cache
def romanized_family_names() -> frozenset[str]:
    """Lower-case romanizations (`sato`, `satou`, `saito`) of the known names,
    as `ROMANIZED_FILE` lists them: `romanize_family_names` wrote it (run this
    module after editing the names), which every run would otherwise repeat
    (about 0.25 s of pykakasi)."""
    text = resources.files("resolution.standardization").joinpath(ROMANIZED_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def romanize_family_names() -> frozenset[str]:
    """The romanizations of the known names, computed."""
    return frozenset(reading for name in known_family_names() for reading in romanized_readings(name))


KANA_FILE = "data/family_names_kana.txt"


@cache
def kana_family_names() -> frozenset[str]:
    """Katakana readings (`ヤマダ`, `コウノ`, `カワノ`) of the known names, as
    `KANA_FILE` lists them (written by `read_family_names`, like
    `ROMANIZED_FILE`): a call centre or bank export holds its customers'
    names in kana only, often unspaced (`ﾔﾏﾀﾞｸﾐｺ`)."""
    text = resources.files("resolution.standardization").joinpath(KANA_FILE).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def max_kana_family_name_length() -> int:
    """The longest reading in `kana_family_names` (a longer prefix is no family name)."""
    return max(map(len, kana_family_names()), default=0)


def read_family_names() -> frozenset[str]:
    """The readings of the known names, computed: every reading pykakasi's
    dictionary gives a name of two or more kanji (河野 コウノ and カワノ, 菅野
    カンノ and スガノ), and the one it generates for a name of one kanji (林
    ハヤシ, not リン: a single kanji's other readings are mostly words, not
    names, and would split given names off too early)."""
    readings: set[str] = set()
    for name in known_family_names():
        if len(name) > 1:
            readings.update(dictionary_readings(name))
        reading = generated_reading(name)
        if reading:
            readings.add(reading)
    return frozenset(readings)


UNLIKELY_NAME_START = frozenset("ァィゥェォッャュョヮヵヶンー")
"""Kana no Japanese name starts with: small kana, `ン` and the long-vowel mark.
A given name split off a kana full name that starts with one is no name
(`サトウ` + `ン...` is not how サトウン... was meant)."""

_HIRAGANA_TO_KATAKANA = str.maketrans(HIRAGANA, KATAKANA)
_KANA_ONLY = re.compile(r"^[\u30a1-\u30faー]+$")


def plausible_kana_given_name(given: str) -> bool:
    """A kana given name has two kana or more and does not start with
    `UNLIKELY_NAME_START` (`ケン`, `マイ`; not `ミ` alone, not `ョウヘイ`)."""
    return len(given) > 1 and given[0] not in UNLIKELY_NAME_START


def split_by_family_name(full_name: str) -> tuple[str, str] | None:
    """(family, given) for an unspaced Japanese name starting with a known
    family name; the longest known prefix wins and the given name keeps at
    least one character. A name in kana only (katakana or hiragana:
    `ヤマダクミコ`) starts with a known family name's reading
    (`kana_family_names`), and the longest one wins that leaves a plausible
    given name (`plausible_kana_given_name`): ハラダキョウヘイ is ハラダ +
    キョウヘイ. None when no known family name starts the name."""
    names = known_family_names()
    for length in range(min(len(full_name) - 1, MAX_FAMILY_NAME_LENGTH), 0, -1):
        if full_name[:length] in names:
            return full_name[:length], full_name[length:]
    katakana = full_name.translate(_HIRAGANA_TO_KATAKANA)
    if not _KANA_ONLY.match(katakana):
        return None
    readings = kana_family_names()
    for length in range(min(len(katakana) - 2, max_kana_family_name_length()), 0, -1):
        if katakana[:length] in readings and plausible_kana_given_name(katakana[length:]):
            return full_name[:length], full_name[length:]
    return None


if __name__ == "__main__":  # python -m resolution.standardization.family_names: rewrite ROMANIZED_FILE, KANA_FILE
    for file, function, computed in (
        (ROMANIZED_FILE, "romanized_family_names", romanize_family_names()),
        (KANA_FILE, "kana_family_names", read_family_names()),
    ):
        header = f"# {function}: written by python -m resolution.standardization.family_names\n"
        (Path(__file__).parent / file).write_text(header + "".join(f"{name}\n" for name in sorted(computed)), encoding="utf-8")
