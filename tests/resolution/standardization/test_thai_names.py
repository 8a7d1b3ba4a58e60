"""Names in Thai script (made-up people): their letters kept whole, their
titles dropped, their script told."""

from __future__ import annotations

import polars as pl
import pytest

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


def test_addresses_keep_thai_vowels_and_drop_latin_accents():
    """`text.without_accent_marks`, the polars twin of `without_accents`, as
    addresses fold their text: `กรุงเทพ` read `กรงเทพ` without its vowel."""
    frame = pl.DataFrame({"address": ["12 หมู่ 5 ต.ในเมือง กรุงเทพฯ", "Rua São João 7", "Ελλάδα", "กุ้ง"]})
    folded = frame.select(latin_text(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert folded == ["12 หมู่ 5 ต ในเมือง กรุงเทพฯ", "rua sao joao 7", "ελλαδα", "กุ้ง"]
    words = frame.select(without_accent_marks(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert words == [without_accents(value) for value in frame["address"]]
