"""Known Japanese family names, for splitting unspaced full names (山田太郎)
and for telling family-first romanized names (`Yamada Taro`)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

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


def split_by_family_name(full_name: str) -> tuple[str, str] | None:
    """(family, given) for an unspaced Japanese name starting with a known
    family name; the longest known prefix wins and the given name keeps at
    least one character. None when no known family name starts the name."""
    names = known_family_names()
    for length in range(min(len(full_name) - 1, MAX_FAMILY_NAME_LENGTH), 0, -1):
        if full_name[:length] in names:
            return full_name[:length], full_name[length:]
    return None


if __name__ == "__main__":  # python -m resolution.standardization.family_names: rewrite ROMANIZED_FILE
    target = Path(__file__).parent / ROMANIZED_FILE
    header = "# romanized_family_names: written by python -m resolution.standardization.family_names\n"
    target.write_text(header + "".join(f"{name}\n" for name in sorted(romanize_family_names())), encoding="utf-8")
