"""Names in Thai script (made-up people): their letters kept whole, their
titles dropped, their script told, spelled by the Royal Thai General System
and folded so that the usual Latin spellings of the name meet it; a name in
a script with no Latin spelling against a Latin one weighed as a name nobody
can compare, not as two names that disagree."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from splink.internals.dialects import SplinkDialect

from resolution.comparisons import AlternativeSpellingLevel, NoCommonLettersLevel
from resolution.match_keys import add_match_keys
from resolution.standardization.addresses import latin_text
from resolution.standardization.latin_names import latin_name
from resolution.standardization.names import THAI, name_script
from resolution.standardization.text import without_accent_marks
from resolution.standardization.thai_names import rtgs, thai_spelling_key
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


def _level_holds(left: dict, right: dict, level: str | None = None) -> bool:
    """`level` (SQL; `NoCommonLettersLevel` by default) on two records' match keys."""
    level = level or NoCommonLettersLevel("mk_family_roman", "mk_family_alt").create_sql(SplinkDialect.from_string("duckdb"))
    pair = {f"{column}_l": [value] for column, value in left.items()} | {
        f"{column}_r": [value] for column, value in right.items()
    }
    frame = pl.DataFrame(pair, schema={name: pl.Utf8 for name in pair})  # noqa: F841 (read by DuckDB)
    return duckdb.sql(f"SELECT {level} FROM frame").fetchall()[0][0]


def _keys(standardize, full_name: str, country: str, part: str = "family") -> dict:
    records = add_match_keys(standardize({"full_name": full_name}, source_country=country).records)
    columns = ("roman", "alt", "consonants", "cjk")
    return records.select(**{f"mk_family_{c}": f"mk_{part}_{c}" for c in columns}).row(0, named=True)


def _family_keys(standardize, full_name: str, country: str) -> dict:
    return {k: v for k, v in _keys(standardize, full_name, country).items() if k in ("mk_family_roman", "mk_family_alt")}


def test_a_name_without_latin_spelling_and_a_latin_one_are_not_compared(standardize):
    devanagari = _family_keys(standardize, "राम शर्मा", "IN")
    latin = _family_keys(standardize, "Ram Sharma", "IN")
    thai = _family_keys(standardize, "นาย ประเสริฐ ใจงาม", "TH")
    hangul = _family_keys(standardize, "김 민준", "KR")
    assert _level_holds(devanagari, latin) and _level_holds(latin, devanagari)
    assert not _level_holds(devanagari, _family_keys(standardize, "सीता शर्मा", "IN"))  # compared as written
    assert not _level_holds(thai, _family_keys(standardize, "Prasert Jai-ngam", "TH"))  # Thai has its RTGS spelling
    assert not _level_holds(hangul, latin)  # Hangul has a Latin spelling to compare


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("ธนากร", "thanakon"),  # an unwritten a, a final ร read n
        ("คำแก้ว", "khamkaeo"),
        ("ค\u0e4d\u0e32แก้ว", "khamkaeo"),  # sara am as NFKC writes it
        ("สุขสวัสดิ์", "suksawat"),  # letters silenced by ์
        ("จันทร์เพ็ญ", "chanphen"),
        ("ศรีสุข", "sisuk"),  # ร after ศ is silent
        ("รักไทย", "rakthai"),
        ("ทองดี", "thongdi"),
        ("บุญเรือง", "bunrueang"),
        ("ชินวัตร", "chinwat"),  # a last ร after a closed syllable is silent
        ("ประเสริฐ", "prasoet"),
        ("สมร", "samon"),
        ("ชัยมงคล", "chaimongkhon"),
        ("ลำดวน", "lamduan"),
        ("หญิง", "ying"),
        ("ณัฐพล", "natthaphon"),  # ฐ ends a syllable and starts the next
        ("ณัฐธิดา", "natthida"),
    ],
)
def test_thai_names_are_spelled_by_the_royal_thai_general_system(written, spelled):
    assert rtgs(written) == spelled


@pytest.mark.parametrize("value", ["Thanakorn", "김민준", "ธนากร 2", "", "ๆ"])
def test_only_thai_letters_have_an_rtgs_spelling(value):
    assert rtgs(value) is None


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("ธนากร", ["Thanakorn", "Tanakorn", "Thanakon"]),
        ("คำแก้ว", ["Khamkaew", "Kamkaew", "Khamkaeo"]),
        ("ใจดี", ["Jaidee", "Chaidee", "Jaidi"]),
        ("สุชาติ", ["Suchat", "Suchart"]),
        ("กาญจนา", ["Kanchana", "Kanjana", "Karnchana"]),
        ("ปิยะนุช", ["Piyanuch", "Piyanut", "Piyanooch"]),
        ("วงศ์สวัสดิ์", ["Wongsawat", "Vongsavat", "Wongsawas"]),
        ("เรืองศรี", ["Ruangsri", "Rueangsi"]),
        ("จิราพร", ["Jiraporn", "Chiraphon", "Jiraphorn"]),
        ("ชัยมงคล", ["Chaimongkol", "Chaimongkhon", "Jaimongkol"]),
        ("แสงทอง", ["Saengthong", "Sangthong", "Sangtong"]),
    ],
)
def test_the_usual_latin_spellings_of_a_thai_name_meet_it(written, latin):
    assert {thai_spelling_key(spelling) for spelling in latin} == {thai_spelling_key(written)}


@pytest.mark.parametrize(
    ("written", "other"),
    [("สมชาย", "Somsak"), ("ธนากร", "Thanapat"), ("มาลี", "Manee"), ("ทองดี", "Thongchai"), ("สมศักดิ์", "Somsuk")],
)
def test_a_thai_name_does_not_meet_an_unrelated_latin_name(written, other):
    assert thai_spelling_key(written) != thai_spelling_key(other)
    assert thai_spelling_key("김민준") is None


def test_a_thai_bank_name_meets_its_wallet_spelling(standardize):
    duckdb_level = AlternativeSpellingLevel("mk_family_roman", "mk_family_alt", "mk_family_consonants", "mk_family_cjk")
    level = duckdb_level.create_sql(SplinkDialect.from_string("duckdb"))
    thai, thai_given = (_keys(standardize, "นาย ธนากร คำแก้ว", "TH", part) for part in ("family", "given"))
    assert thai["mk_family_alt"] == _keys(standardize, "Thanakon Khamkaeo", "TH")["mk_family_roman"]
    for spelled in ("Thanakon Khamkaeo", "Tanakorn Kamkaew", "Thanakorn Khamkaew"):
        assert _level_holds(thai, _keys(standardize, spelled, "TH"), level)
        assert _level_holds(thai_given, _keys(standardize, spelled, "TH", "given"), level)
    assert not _level_holds(thai, _keys(standardize, "Thanakorn Saengthong", "TH"), level)
    assert not _level_holds(thai_given, _keys(standardize, "Somchai Khamkaew", "TH", "given"), level)
    # a Latin name of another country has no Thai key; two Latin names never meet on it
    assert _keys(standardize, "Minh Khamkaew", "VN")["mk_family_cjk"] is None
    latin = _keys(standardize, "Thanakorn Khamkaew", "TH")
    assert not _level_holds(latin, _keys(standardize, "Tanakon Kamkaeo", "TH"), level)


def test_addresses_keep_thai_vowels_and_drop_latin_accents():
    """`text.without_accent_marks`, the polars twin of `without_accents`, as
    addresses fold their text: `กรุงเทพ` read `กรงเทพ` without its vowel."""
    frame = pl.DataFrame({"address": ["12 หมู่ 5 ต.ในเมือง กรุงเทพฯ", "Rua São João 7", "Ελλάδα", "กุ้ง"]})
    folded = frame.select(latin_text(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert folded == ["12 หมู่ 5 ต ในเมือง กรุงเทพฯ", "rua sao joao 7", "ελλαδα", "กุ้ง"]
    words = frame.select(without_accent_marks(pl.col("address")).str.normalize("NFC"))["address"].to_list()
    assert words == [without_accents(value) for value in frame["address"]]
