"""Names in Thai script (made-up people): their letters kept whole, their
titles dropped, their script told, and a Thai name against a Latin one
weighed as a name nobody can compare, not as two names that disagree."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from splink.internals.dialects import SplinkDialect

from resolution.comparisons import NoCommonLettersLevel
from resolution.match_keys import add_match_keys
from resolution.standardization.addresses import latin_text
from resolution.standardization.latin_names import latin_name
from resolution.standardization.names import THAI, name_script
from resolution.standardization.text import without_accent_marks
from resolution.standardization.transliteration import without_accents


@pytest.mark.parametrize(
    "written",
    [
        "คำแก้ว",  # sara am and a tone mark
        "กรุงเทพ",  # sara u below a consonant
        "กิ่งแก้ว",  # a vowel above and a tone mark stacked on it
        "ศรีสุข",
        "देवनागरी",  # Devanagari vowel signs
        "がくせい",  # a kana's voicing mark
    ],
)
def test_marks_of_other_scripts_are_part_of_their_letters(written):
    assert without_accents(written) == written


def test_latin_greek_and_cyrillic_accents_still_go():
    assert without_accents("Nguyễn Thị Hồng Phúc") == "Nguyen Thi Hong Phuc"
    assert without_accents("Fëdor Παπαδόπουλος José Müller") == "Fedor Παπαδοπουλος Jose Muller"
    assert without_accents("Андрій Йосип") == "Андрій Йосип"
    assert without_accents("\u0301a") == "a"  # a mark on no letter


def test_a_thai_name_keeps_its_vowels_and_tones():
    assert latin_name("กิตติศักดิ์") == "กิตติศักดิ์"
    assert latin_name("บุญมี") == "บุญมี"


def test_thai_is_a_script_of_its_own():
    assert name_script("สมพร ใจดี") == THAI
    assert name_script("Somporn Jaidee") == "latin"


TITLED = [
    ("นาย ประเสริฐ ใจงาม", ("ใจงาม", "ประเสริฐ")),
    ("นายประเสริฐ ใจงาม", ("ใจงาม", "ประเสริฐ")),  # glued to the given name
    ("นางสาวอรุณี ทองดี", ("ทองดี", "อรุณี")),  # นางสาว, not นาง + สาว...
    ("นาง อรุณี ทองดี", ("ทองดี", "อรุณี")),
    ("น.ส.อรุณี ทองดี", ("ทองดี", "อรุณี")),
    ("ด.ญ. แพรวา ทองดี", ("ทองดี", "แพรวา")),
    ("เด็กชายเอกชัย ทองดี", ("ทองดี", "เอกชัย")),  # a vowel written before its consonant
    ("นายิกา ทองดี", ("ทองดี", "นายิกา")),  # a name that starts with a title's letters
    ("ประเสริฐ ใจงาม", ("ใจงาม", "ประเสริฐ")),
]


@pytest.mark.parametrize(("full_name", "expected"), TITLED)
def test_thai_titles_are_dropped_spaced_or_glued(standardize, full_name, expected):
    records = standardize({"full_name": full_name}, source_country="TH").records
    assert records.select("std_family_name", "std_given_name").row(0) == expected
    assert records["std_name_script"].to_list() == [THAI]


def _level_holds(left: dict, right: dict) -> bool:
    """`NoCommonLettersLevel` on the family name of two records' match keys."""
    level = NoCommonLettersLevel("mk_family_roman", "mk_family_alt").create_sql(SplinkDialect.from_string("duckdb"))
    pair = {f"{column}_l": [value] for column, value in left.items()} | {
        f"{column}_r": [value] for column, value in right.items()
    }
    frame = pl.DataFrame(pair, schema={name: pl.Utf8 for name in pair})  # noqa: F841 (read by DuckDB)
    return duckdb.sql(f"SELECT {level} FROM frame").fetchall()[0][0]


def _family_keys(standardize, full_name: str, country: str) -> dict:
    records = add_match_keys(standardize({"full_name": full_name}, source_country=country).records)
    return records.select("mk_family_roman", "mk_family_alt").row(0, named=True)


def test_a_thai_name_and_a_latin_one_are_not_compared(standardize):
    thai = _family_keys(standardize, "นาย ประเสริฐ ใจงาม", "TH")
    latin = _family_keys(standardize, "Prasert Jai-ngam", "TH")
    other_thai = _family_keys(standardize, "สมพร ทองดี", "TH")
    hangul = _family_keys(standardize, "김 민준", "KR")
    assert _level_holds(thai, latin) and _level_holds(latin, thai)
    assert not _level_holds(thai, other_thai)  # two Thai names compare as written
    assert not _level_holds(hangul, latin)  # Hangul has a Latin spelling to compare
    assert not _level_holds(latin, _family_keys(standardize, "Somporn Thongdee", "TH"))


def test_addresses_keep_thai_vowels_and_drop_latin_accents():
    """`text.without_accent_marks`, the polars twin of `without_accents`, as
    addresses fold their text: `กรุงเทพ` read `กรงเทพ` without its vowel."""
    frame = pl.DataFrame({"address": ["12 หมู่ 5 ต.ในเมือง กรุงเทพฯ", "Rua São João 7", "Ελλάδα", "กุ้ง"]})
    folded = frame.select(latin_text(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert folded == ["12 หมู่ 5 ต ในเมือง กรุงเทพฯ", "rua sao joao 7", "ελλαδα", "กุ้ง"]
    words = frame.select(without_accent_marks(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert words == [without_accents(value) for value in frame["address"]]
