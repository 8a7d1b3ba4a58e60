"""Mojibake inside a UTF-8 export (UTF-8 misread as cp1252 or latin-1 upstream)
repaired where certain, legitimate text left byte for byte (fictional values)."""

from __future__ import annotations

import polars as pl
import pytest

from resolution.standardization.mojibake import (
    MOJIBAKE_TELL,
    repaired_text,
    repaired_values,
    without_mojibake,
)


def _as_windows(text: str) -> str:
    """What an upstream system that read UTF-8 as Windows' cp1252 writes."""
    import ftfy.bad_codecs  # noqa: F401

    return text.encode("utf-8").decode("sloppy-windows-1252")


CLEAN = [
    "Ògúnlèyè", "Olúwaseun", "St. Mary’s Estate", "Müller", "François", "田中", "山本 花子",
    "Nguyễn Văn Bảo", "Lê", "Þórðardóttir", "İstanbul Şişli", "Ångström", "Ærøskøbing", "Łódź", "Dvořák",
    "Ιωάννης", "Светлана", "강민지", "สมชาย ใจดี", "José’s Café",
]  # fmt: skip


@pytest.mark.parametrize("clean", CLEAN)
def test_utf8_read_as_cp1252_is_given_back(clean: str) -> None:
    assert repaired_text(_as_windows(clean)) == clean


@pytest.mark.parametrize("clean", ["Müller", "François", "Ògúnlèyè", "渡辺", "Þórðardóttir"])
def test_utf8_read_as_latin1_and_twice_is_given_back(clean: str) -> None:
    assert repaired_text(clean.encode("utf-8").decode("latin-1")) == clean
    assert repaired_text(_as_windows(_as_windows(clean))) == clean


def test_mojibake_in_capitals_as_exports_write_it() -> None:
    # `Ògúnlèyè` misread, then upper-cased by the export: the signs after `Ã` have no capitals
    assert repaired_text("Ã’GÃºNLÃ¨YÃ¨") == "ÒGÚNLÈYÈ"
    assert repaired_text("OLÃºWASEUN") == "OLÚWASEUN"
    assert repaired_text(_as_windows("STRAßE").upper()) == "STRAßE"  # no one-letter capital: as it is


LEGITIMATE = [
    "São Paulo", "João", "SÃO PAULO", "CONCEIÇÃO", "IRMÃO", "Ãlvaro", "MÃE", "Ñuñoa", "Øystein", "ÆØÅ",
    "Ðurić", "Nguyễn Thị Minh Khai", "Phạm Văn Đồng", "Çağrı Öztürk", "Şişli İstanbul", "Þórðardóttir",
    "กรุงเทพมหานคร", "田中太郎", "東京都千代田区", "张伟", "서울특별시", "ANDRÉ’S BAKERY", "CAFÉ’S", "Nº 5",
    "Mª José", "ÉCOLE «PRIMAIRE»", "Ó’Neill", "Zoë", "naïve", "1½ Zimmer", "€100", "Ångström",
]  # fmt: skip


@pytest.mark.parametrize("value", LEGITIMATE)
def test_legitimate_text_is_never_repaired(value: str) -> None:
    assert repaired_text(value) is None
    assert repaired_values(pl.Series([value])).to_list() == [value]


def test_a_no_break_space_trimmed_off_the_end_is_given_back() -> None:
    # `à` is C3 A0: read as cp1252, A0 is a no-break space, trimmed with the value's spaces
    assert repaired_text(_as_windows("Nguyễn Thị Hà").strip()) == "Nguyễn Thị Hà"
    assert repaired_text(_as_windows("原田誠").strip()) == "原田誠"  # 誠 is E8 AA A0
    # in latin-1 a trimmed 0x85 (next line) fits too: `HÃ` may be `Hà` or `HÅ`, and `é\x9b` 雅 or 雠
    assert repaired_text("Nguyễn Thị Hà".encode("utf-8").decode("latin-1").strip()) is None
    assert repaired_text("王佳雅".encode("utf-8").decode("latin-1").strip()) is None
    assert repaired_text(_as_windows("Voilà").strip()) is None  # `VoilÃ`: nothing else says it is mojibake
    assert repaired_text("IRMÃ") is None and repaired_text("MAÇÃ") is None


def test_a_repair_that_lost_bytes_upstream_is_not_guessed() -> None:
    # `ọ` is E1 BB 8D: 0x8D is no cp1252 character, and an upstream `errors="replace"` wrote `?` or U+FFFD
    lossy = "Afọlábí".encode("utf-8").decode("cp1252", errors="replace")
    assert repaired_text(lossy) is None
    assert repaired_text(lossy.replace("\ufffd", "?")) is None


def test_only_values_with_the_tell_are_looked_at() -> None:
    values = pl.Series(["Müller", "MÃ¼ller", None, "Mueller"])
    assert values.str.contains(MOJIBAKE_TELL).to_list() == [False, True, None, False]
    assert repaired_values(values).to_list() == ["Müller", "Müller", None, "Mueller"]
    frame = pl.DataFrame({"name": values})
    assert frame.select(without_mojibake(pl.col("name"))).to_series().to_list() == ["Müller", "Müller", None, "Mueller"]


def test_standardization_keys_meet_the_clean_spelling_and_flag_the_repair(standardize) -> None:
    result = standardize(
        {"family_name": "MÃ¼ller", "given_name": "FranÃ§ois", "address_line": "1 St. Maryâ€™s Estate"},
        {"family_name": "Müller", "given_name": "François", "address_line": "1 St. Mary’s Estate"},
        {"family_name": "São Paulo", "given_name": "João"},
        source_country="DE",
    )
    records = result.records
    first, second, third = records.iter_rows(named=True)
    for column in ("std_family_name", "std_given_name", "std_address"):
        assert first[column] == second[column]
    # the record keeps what the source delivered: lineage shows it
    assert (first["family_name"], first["address_line"]) == ("MÃ¼ller", "1 St. Maryâ€™s Estate")
    assert third["family_name"] == "São Paulo"
    flagged = result.issues.filter(pl.col("issue_code") == "text_mojibake_repaired")
    assert sorted(flagged.select("record_key", "field", "severity").rows()) == [
        ("test:0", "address_line", "flag"),
        ("test:0", "family_name", "flag"),
        ("test:0", "given_name", "flag"),
    ]
