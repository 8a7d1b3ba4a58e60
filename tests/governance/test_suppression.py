from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from governance.residuals import find_residuals
from governance.suppression import (
    add_to_suppression,
    read_suppression,
    suppressed_mask,
    suppression_entries,
    suppression_path,
)
from warehouse import ProjectPaths

KEY = b"test-only-key-0123456789abcdef"


def _mapped(rows: list[dict]) -> pl.DataFrame:
    columns = ("email", "phone", "full_name", "birth_date")
    return pl.DataFrame(
        [{"record_key": f"x:{i}", "source_country": "JP"} | {c: r.get(c) for c in columns} for i, r in enumerate(rows)],
        schema={"record_key": pl.Utf8, "source_country": pl.Utf8} | {c: pl.Utf8 for c in columns},
    )


def test_each_identifier_suppresses_in_any_written_form() -> None:
    erased = _mapped([{"email": "TARO@example.com", "phone": "090-1234-5678", "full_name": "山田 太郎", "birth_date": "19800301"}])
    suppression = suppression_entries(erased, KEY)
    assert set(suppression["kind"]) == {"email", "phone", "name_birth", "name_pair_birth"}
    incoming = _mapped([
        {"email": " taro@example.com "},
        {"phone": "+81 90 1234 5678"},
        {"phone": "０９０ー１２３４ー５６７８"},
        {"full_name": "山田　太郎", "birth_date": "昭和55年3月1日"},
        {"full_name": "山田 太郎", "birth_date": "1981-03-01"},  # same name, another person
        {"email": "hanako@example.jp"},
    ])
    assert suppressed_mask(incoming, suppression, KEY).to_list() == [True, True, True, True, False, False]


def test_empty_list_needs_no_key_and_a_list_without_key_is_refused() -> None:
    incoming = _mapped([{"email": "a@example.com"}])
    assert suppressed_mask(incoming, read_suppression(ProjectPaths.of("/nonexistent")), None).to_list() == [False]
    with pytest.raises(ValueError, match="NAYOSE_PSEUDONYM_KEY"):
        suppressed_mask(incoming, suppression_entries(incoming, KEY), None)


def test_stored_list_holds_hashes_only(tmp_path: Path) -> None:
    paths = ProjectPaths.of(tmp_path)
    erased = _mapped([{"email": "taro@example.com", "phone": "090-1234-5678", "full_name": "山田 太郎", "birth_date": "19800301"}])
    assert add_to_suppression(paths, suppression_entries(erased, KEY)) == 4
    assert add_to_suppression(paths, suppression_entries(erased, KEY)) == 0  # kept once
    assert suppression_path(paths).exists()
    assert find_residuals(tmp_path, ["taro@example.com", "+819012345678", "山田太郎", "19800301", "1980-03-01"]) == []


def test_an_erased_name_in_another_order_or_script_is_suppressed_with_its_birth_date() -> None:
    """Another source writes the erased (generated) 山田 太郎 family-last, in
    kana or romanized, upper or lower case: the romanized parts in sorted
    order with the birth date still match. A namesake born on another day,
    another given name, or the name without a birth date is not suppressed."""
    columns = ("family_name", "given_name", "full_name", "birth_date", "source_country")
    erased = pl.DataFrame(
        [{"record_key": "crm:1", "family_name": "山田", "given_name": "太郎", "birth_date": "1980-03-01", "source_country": "JP"}],
        schema={"record_key": pl.Utf8} | {c: pl.Utf8 for c in columns},
    )
    incoming = pl.DataFrame(
        [
            {"full_name": "太郎 山田", "birth_date": "1980-03-01", "source_country": "JP"},
            {"full_name": "Taro Yamada", "birth_date": "1980-03-01", "source_country": "US"},
            {"full_name": "YAMADA TARO", "birth_date": "S55.3.1", "source_country": "JP"},
            {"family_name": "Yamada", "given_name": "Taro", "birth_date": "01/03/1980", "source_country": "GB"},
            {"full_name": "ヤマダ タロウ", "birth_date": "1980-03-01", "source_country": "JP"},
            {"full_name": "Taro Yamada", "birth_date": "1981-03-01", "source_country": "US"},  # a namesake
            {"full_name": "Hanako Yamada", "birth_date": "1980-03-01", "source_country": "US"},
            {"full_name": "太郎 山田", "source_country": "JP"},  # a name alone
        ],
        schema={c: pl.Utf8 for c in columns},
    ).with_row_index("n").select(pl.format("web:{}", "n").alias("record_key"), *columns)
    suppression = suppression_entries(erased, KEY)
    assert suppressed_mask(incoming, suppression, KEY).to_list() == [True, True, True, True, True, False, False, False]


def test_a_list_written_before_national_ids_keeps_suppressing_and_takes_them_under_its_key(tmp_path: Path) -> None:
    """A list of the four earlier kinds and its key check (as an erasure
    before national ids wrote it) suppresses what it did, and suppresses
    nothing by national id; an erased (generated) South African ID added
    later suppresses a row carrying it written any way, under the same key
    check; another key is still refused."""
    from governance.pseudonymization import PseudonymKeyMismatch
    from governance.suppression import key_check_entry

    paths = ProjectPaths.of(tmp_path)
    taro = _mapped([{"email": "taro@example.com", "phone": "090-1234-5678", "full_name": "山田 太郎", "birth_date": "19800301"}])
    add_to_suppression(paths, pl.concat([suppression_entries(taro, KEY), key_check_entry(KEY)]))
    older = read_suppression(paths)
    assert set(older["kind"]) == {"email", "phone", "name_birth", "name_pair_birth", "key_check"}

    def incoming() -> pl.DataFrame:
        rows = [("taro@example.com", None, None), (None, "8001015009087", None), (None, "800101 5009-087", "SA ID"),
                (None, "7505125222084", None)]
        return pl.DataFrame(
            {"record_key": [f"x:{i}" for i in range(len(rows))], "source_country": ["ZA"] * len(rows),
             "email": [r[0] for r in rows], "national_id": [r[1] for r in rows], "national_id_type": [r[2] for r in rows]}
        )

    assert suppressed_mask(incoming(), older, KEY).to_list() == [True, False, False, False]
    erased = pl.DataFrame({"record_key": ["za:1"], "source_country": ["ZA"], "national_id": ["800101-5009-087"]})
    entries = suppression_entries(erased, KEY)
    assert entries["kind"].to_list() == ["national_id"]
    assert add_to_suppression(paths, entries, KEY) == 1
    both = read_suppression(paths)
    assert both.filter(pl.col("kind") == "key_check").height == 1
    assert suppressed_mask(incoming(), both, KEY).to_list() == [True, True, True, False]
    with pytest.raises(PseudonymKeyMismatch):
        suppressed_mask(incoming(), both, b"another-key-0123456789abcdef")
