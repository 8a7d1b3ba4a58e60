"""Vietnamese names in Latin letters: which end of a full name is the family
name, and which word of the rest is the given name compared.

A Vietnamese name is written family name first (`Nguyễn Văn Sơn`, `Tran Van
Son`, `LE THI DUNG`) in every case, with or without diacritics; abroad, and
in many app sign-ups, given name first without the middle name (`Son
Nguyen`). Some fifteen family names are borne by nine Vietnamese in ten, so
a name with one of them at one end tells its own order, whatever the source
or the case it is written in. Read as Western names, `Văn` had become the
Dutch particle (`vanson`) and `Lê`, `Đỗ` French and Portuguese ones.
"""

from __future__ import annotations

from resolution.standardization.transliteration import without_accents

VIETNAMESE_FAMILY_NAMES = (
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
    "duong", "ly", "dinh", "truong", "doan", "luong", "trinh", "luu", "quach", "trieu", "phung", "vuong",
)  # fmt: skip
"""The common Vietnamese family names without diacritics (`Đỗ` = `do`, `Võ`
= `vo`), the most common first. Left out: those that are as often given
names (`Mai`, `Hà`, `Lâm`, `Giang`, `Thái`), which at the end of a name say
nothing of its order."""

_FAMILY_RANK = {name: rank for rank, name in enumerate(VIETNAMESE_FAMILY_NAMES)}

MIDDLE_NAMES = frozenset(
    {"van", "thi", "huu", "duc", "minh", "quang", "thanh", "ngoc", "thu", "kim", "xuan", "cong", "trong", "dinh"}
)  # fmt: skip
"""Middle names (tên đệm: `Văn`, `Thị`, `Hữu`, `Đức` ...) written between
the family name and the given name, and left out when the name is written
given name first (`Nguyễn Hữu Vinh`, `Vinh Nguyen`). Several are given names
too (`Minh`, `Thanh`): only one before another word is a middle name."""

NO_GIVEN_NAME_MIDDLE_NAMES = frozenset({"van", "thi", "huu", "duc"})
"""Middle names that are no given name: after a family name that is also a
given name (`Hoàng Văn Nam`) they tell the family name first."""


def vietnamese_key(word: str) -> str:
    """`Nguyễn` -> `nguyen`, `Đỗ` -> `do`, `LÊ` -> `le`: a word lower-case
    without diacritics, as the lists are written."""
    return without_accents(word.lower().replace("đ", "d")).strip(".,")


def split_vietnamese_name(words: list[str], family_first_source: bool) -> tuple[str, str] | None:
    """(family, given) of a full name with a common Vietnamese family name
    (`VIETNAMESE_FAMILY_NAMES`) at one end, else None.

    Family first when its first word is one and its last is not (`Nguyễn Văn
    Sơn`, `DO QUANG HUNG`), given first when its last is one and its first
    is not (`Son Nguyen`); with one at both ends (`Nguyen Hoang`, `Hoang
    Nguyen`), family first when a middle name that is no given name follows
    (`Hoàng Văn Nam`), else the more common family name is the family.

    A family-first reading needs a source of a family-first country
    (`family_first_source`) or an unmistakable name (three words or more with
    `Văn`, `Thị`, `Hữu` or `Đức` second): in a European or American export
    `Le Roy Jenkins` and `Do Carmo` are no Vietnamese. A given-first reading
    needs the source too: elsewhere the Western reading gives it.

    The given part is the given name without the middle names before it
    (`Văn Sơn` -> `Sơn`, `Thị Bích Ngọc` -> `Bích Ngọc`, `Minh` alone kept):
    a Western name's first given name is compared, but a Vietnamese is
    called by the last, and `Son Nguyen` leaves the middle name out."""
    if len(words) < 2:
        return None
    keys = [vietnamese_key(word) for word in words]
    first, last = _FAMILY_RANK.get(keys[0]), _FAMILY_RANK.get(keys[-1])
    marked = len(words) > 2 and keys[1] in NO_GIVEN_NAME_MIDDLE_NAMES
    if first is None and last is None:
        return None
    if first is not None and (last is None or marked or first <= last):
        if family_first_source or marked:
            return words[0], _given_name(words[1:], keys[1:])
        return None
    if not family_first_source:
        return None
    return words[-1], _given_name(words[:-1], keys[:-1])


def _given_name(words: list[str], keys: list[str]) -> str:
    """The given words without the middle names before the last."""
    start = 0
    while start < len(words) - 1 and keys[start] in MIDDLE_NAMES:
        start += 1
    return " ".join(words[start:])
