from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from governance.residuals import find_residuals
from governance.suppression import add_to_suppression, read_suppression, suppressed_mask, suppression_entries, suppression_path
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
    assert set(suppression["kind"]) == {"email", "phone", "name_birth"}
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
    assert add_to_suppression(paths, suppression_entries(erased, KEY)) == 3
    assert add_to_suppression(paths, suppression_entries(erased, KEY)) == 0  # kept once
    assert suppression_path(paths).exists()
    assert find_residuals(tmp_path, ["taro@example.com", "+819012345678", "山田太郎", "19800301", "1980-03-01"]) == []
