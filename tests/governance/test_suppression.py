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
    assert entries["kind"].to_list() == ["national_id_of_kind", "national_id_number"]
    assert add_to_suppression(paths, entries, KEY) == 2
    both = read_suppression(paths)
    assert both.filter(pl.col("kind") == "key_check").height == 1
    assert suppressed_mask(incoming(), both, KEY).to_list() == [True, True, True, False]
    with pytest.raises(PseudonymKeyMismatch):
        suppressed_mask(incoming(), both, b"another-key-0123456789abcdef")


ZA_NUMBER = "8001015009087"  # generated: a valid South African ID shape (date 800101, Luhn digit)


def _national_ids(*rows: tuple[str | None, str | None, str]) -> pl.DataFrame:
    """Mapped rows of (national_id, national_id_type, source_country)."""
    return pl.DataFrame(
        {"record_key": [f"x:{i}" for i in range(len(rows))], "national_id": [r[0] for r in rows],
         "national_id_type": [r[1] for r in rows], "source_country": [r[2] for r in rows]},
        schema={c: pl.Utf8 for c in ("record_key", "national_id", "national_id_type", "source_country")},
    )


def test_an_erased_national_id_suppresses_its_kind_and_numbers_of_no_kind_but_not_another_kind() -> None:
    """One number, two kinds: an erased South African ID keeps out that ID
    however it is written or typed, and the number where its kind is not
    known, but not a passport (or BVN) that happens to carry the same
    characters; a number erased with no kind known keeps out every kind."""
    erased = _national_ids((ZA_NUMBER, None, "ZA"))  # ZA_ID: certain from the country and shape
    incoming = _national_ids(
        ("800101 5009-087", "SA ID", "ZA"),
        (ZA_NUMBER, None, "ZA"),
        (ZA_NUMBER, None, "US"),  # no kind known
        (ZA_NUMBER, "PASSPORT", "ZA"),
        (ZA_NUMBER, "passport no", "GB"),
        ("7505125222084", None, "ZA"),  # another ID
    )
    assert suppressed_mask(incoming, suppression_entries(erased, KEY), KEY).to_list() == [True, True, True, False, False, False]
    of_no_kind = suppression_entries(_national_ids((ZA_NUMBER, None, "US")), KEY)
    assert suppressed_mask(incoming, of_no_kind, KEY).to_list() == [True, True, True, True, True, False]
    # a passport of eleven digits erased: a BVN of the same digits is someone else's, the number of no kind may be it
    passport = suppression_entries(_national_ids(("123 4567 8901", "Passport", "NG")), KEY)
    later = _national_ids(("12345678901", "PASSPORT NO", "KE"), ("12345678901", None, "NG"), ("12345678901", "BVN", "NG"))
    assert suppressed_mask(later, passport, KEY).to_list() == [True, True, False]


def test_a_kindless_national_id_entry_of_an_older_list_still_suppresses_the_number_of_any_kind() -> None:
    """A list written before kinds hashed the number alone (domain
    `suppression:national_id`): such an entry keeps every row carrying the
    number out, whatever its kind, and nothing else."""
    from governance.pseudonymization import keyed_hash
    from governance.suppression import key_check_entry

    older = pl.DataFrame(
        {"kind": ["national_id"], "hash": [keyed_hash(ZA_NUMBER, KEY, domain="suppression:national_id")], "added_at": ["2026-11-28T10:00:00+00:00"]}
    )
    listed = pl.concat([older, key_check_entry(KEY)])
    incoming = _national_ids(
        ("800101-5009-087", "ZA_ID", "ZA"), (ZA_NUMBER, "PASSPORT", "ZA"), (ZA_NUMBER, None, "US"), ("7505125222084", None, "ZA"),
    )
    assert suppressed_mask(incoming, listed, KEY).to_list() == [True, True, True, False]
