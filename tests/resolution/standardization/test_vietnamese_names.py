"""Vietnamese names read by the family name at one end, and Malaysian
patronymics read given name first: the same on the per-record and the
expression path, in a mixed-country source of Vietnam and elsewhere."""

from __future__ import annotations

import unicodedata

import pytest

from resolution.standardization import names
from resolution.standardization.latin_names import (
    compared_surnames,
    split_latin_full_name,
)
from resolution.standardization.vietnamese_names import split_vietnamese_name

PATHS = {"per_record": 10**9, "expressions": 0}

# a fictional person as a Vietnamese source (family-first country) writes them -> (family, given) compared
IN_A_VIETNAMESE_SOURCE = [
    ("Phạm Văn Tùng", ("pham", "tung")),
    (unicodedata.normalize("NFD", "Phạm Văn Tùng"), ("pham", "tung")),
    ("Pham Van Tung", ("pham", "tung")),  # `Van` is a middle name, no Dutch particle
    ("PHAM VAN TUNG", ("pham", "tung")),
    ("Tung Pham", ("pham", "tung")),  # given first, as apps and the diaspora write it
    ("Đỗ Quang Khải", ("do", "khai")),  # `Đỗ`, `Lê` are no Portuguese or French particles
    ("DO QUANG KHAI", ("do", "khai")),
    ("LE THI NHUNG", ("le", "nhung")),
    ("Nhung Le", ("le", "nhung")),
    ("Vo Thi Kim Oanh", ("vo", "oanh")),
    ("Oanh Vo", ("vo", "oanh")),
    ("Hoàng Văn Lộc", ("hoang", "loc")),
    ("Loc Nguyen", ("nguyen", "loc")),
    ("Nguyen Loc", ("nguyen", "loc")),
    ("Hoang Nguyen", ("nguyen", "hoang")),  # both ends: the more common family name
    ("Nguyen Hoang", ("nguyen", "hoang")),
    ("Pichai Rattanakorn", ("rattanakorn", "pichai")),  # a Thai customer of the same wallet
    ("Budi Hartanto", ("hartanto", "budi")),
    ("Razif bin Kamal", ("kamal", "razif")),
    ("RAZIF BIN KAMAL", ("kamal", "razif")),  # capitals, but a patronymic is given name first
    ("Nurul Ain binti Yahya", ("yahya", "nurul")),
    ("Selvi A/P Murugesu", ("murugesu", "selvi")),
    ("SELVAM A/L MURUGESU", ("murugesu", "selvam")),
]


# elsewhere a Vietnamese family name at the start reads family first only with an unmistakable middle name
ELSEWHERE = [
    ("Pham Van Tung", ("pham", "tung")),
    ("Tran Thi Nhung", ("tran", "nhung")),
    ("Tung Pham", ("pham", "tung")),
    ("Le Roy Jenkins", ("jenkins", "le")),
    ("Do Carmo Silva", ("silva", "do")),
    ("Jan van Dijk", ("vandijk", "jan")),
    ("Mohammed bin Rashid Al Maktoum", ("almaktoum", "mohammed")),  # an Arab's family name
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("source_country", "cases"), [("VN", IN_A_VIETNAMESE_SOURCE), ("GB", ELSEWHERE)])
def test_names_read_by_their_own_order(monkeypatch, standardize, path, source_country, cases):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    result = standardize(*({"full_name": full} for full, _ in cases), source_country=source_country)
    got = result.records.select("std_family_name", "std_given_name").rows()
    assert dict(zip((full for full, _ in cases), got)) == dict(cases)


@pytest.mark.parametrize(
    ("words", "family_first_source", "expected"),
    [
        (["Trần", "Thị", "Bích", "Ngọc"], True, ("Trần", "Bích Ngọc")),  # middle names before the last left out
        (["Bich", "Ngoc", "Tran"], True, ("Tran", "Bich Ngoc")),
        (["Thanh", "Ha", "Le"], True, ("Le", "Ha")),
        (["Nguyen", "Minh"], True, ("Nguyen", "Minh")),  # a middle name alone is the given name
        (["Nguyen", "Minh"], False, None),
        (["Somchai", "Jaidee"], True, None),
    ],
)
def test_split_vietnamese_name(words, family_first_source, expected):
    assert split_vietnamese_name(words, family_first_source) == expected


def test_a_patronymic_in_separate_name_columns_keys_as_the_father(standardize):
    """`bin Kamal` in a last-name column, `Razif bin` in a first-name one, and
    `Razif Kamal` as another source writes him share one family key."""
    result = standardize(
        {"given_name": "Razif", "family_name": "bin Kamal"},
        {"given_name": "Razif bin", "family_name": "Kamal"},
        {"full_name": "Razif Kamal"},
        {"given_name": "Selvi", "family_name": "a/p Murugesu"},
        source_country="MY",
    )
    assert result.records.select("std_family_name", "std_given_name").rows() == [
        ("kamal", "razif"), ("kamal", "razif"), ("kamal", "razif"), ("murugesu", "selvi")
    ]  # fmt: skip


def test_compared_surnames_drops_a_patronymic_marker():
    assert [compared_surnames(v) for v in ("bin Kamal", "A/L Murugesu", "bin", "Binti")] == [
        "Kamal", "Murugesu", "bin", "Binti"
    ]  # fmt: skip


def test_malay_patronymic_beats_capitals_family_first():
    assert split_latin_full_name("RAZIF BIN KAMAL", capitals_family_first=True) == ("BIN KAMAL", "RAZIF")
