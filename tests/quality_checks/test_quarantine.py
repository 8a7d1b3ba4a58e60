import polars as pl
import pytest

from quality_checks.quarantine import (
    QUARANTINE_SCHEMA,
    current_quarantine,
    quarantine_records,
    rejected_rows_by_source,
    spreadsheet_notes,
)
from quality_checks.schemas import CANONICAL_FIELDS, FrameContractError

BAD_EMAIL = "taro.yamada-at-example"


def _mapped(rows: list[dict]) -> pl.DataFrame:
    """Mapped rows; lineage derived from source_system/source_record_id/source_row."""
    full = [
        {
            "record_key": f"{r['source_system']}:{r['source_record_id'] or ''}",
            "source_file": f"data/raw/{r['source_system']}.csv",
            "file_hash": "0" * 64,
            **r,
        }
        for r in rows
    ]
    return pl.DataFrame(full, schema_overrides={"source_row": pl.Int64}, infer_schema_length=None)


ROWS = [
    {"source_system": "crm", "source_record_id": "C1", "source_row": 1, "family_name": "山田", "email": "taro@example.jp"},
    {"source_system": "crm", "source_record_id": "C2", "source_row": 2, "family_name": "佐藤", "email": BAD_EMAIL},
    {"source_system": "crm", "source_record_id": "C1", "source_row": 3, "family_name": "山田", "email": "taro2@example.jp"},
    {"source_system": "crm", "source_record_id": "", "source_row": 4, "family_name": "鈴木", "email": None},
    {"source_system": "crm", "source_record_id": "C5", "source_row": 5, "family_name": None, "email": None},
    {"source_system": "crm", "source_record_id": "C6", "source_row": 6, "family_name": None, "email": BAD_EMAIL},
    {"source_system": "shop", "source_record_id": "C1", "source_row": 1, "family_name": "山田", "email": None},
    {"source_system": "shop", "source_record_id": "S2", "source_row": 2, "family_name": "高橋\x07", "email": "t@example.jp"},
]


@pytest.fixture(scope="module")
def result():
    return quarantine_records(_mapped(ROWS))


def _key(frame: pl.DataFrame) -> set[tuple]:
    return set(frame.select("source_system", "source_file", "source_row").iter_rows())


def test_every_row_is_admitted_or_rejected_never_both(result):
    inputs = _key(_mapped(ROWS))
    admitted = _key(result.admitted)
    rejected = _key(result.quarantine.filter(pl.col("disposition") == "rejected"))
    assert admitted | rejected == inputs
    assert admitted & rejected == set()
    assert result.admitted.height == len(admitted)


def test_duplicate_id_keeps_the_last_row(result):
    crm_c1 = result.admitted.filter((pl.col("source_system") == "crm") & (pl.col("source_record_id") == "C1"))
    assert crm_c1.get_column("source_row").to_list() == [3]
    dup = result.quarantine.filter(pl.col("rule") == "duplicate_source_record_id")
    assert dup.select("source_system", "source_row", "disposition").rows() == [("crm", 1, "rejected")]
    # the same id in another source is not a duplicate
    assert result.admitted.filter(pl.col("source_system") == "shop", pl.col("source_record_id") == "C1").height == 1
    assert result.admitted.get_column("record_key").is_unique().all()


def test_a_later_file_s_version_of_a_record_wins_whatever_its_row_number():
    """Two files of one source in one run (a --full rebuild over several days):
    the newer file re-delivers C1 on its first row; the older file had it on row 3."""
    older = _mapped([
        {"source_system": "crm", "source_record_id": "C0", "source_row": 1, "family_name": "佐藤", "email": None},
        {"source_system": "crm", "source_record_id": "C9", "source_row": 2, "family_name": "鈴木", "email": None},
        {"source_system": "crm", "source_record_id": "C1", "source_row": 3, "family_name": "山田", "email": "old@example.jp"},
    ]).with_columns(source_file=pl.lit("data/raw/crm_2026-11-25.csv"))
    newer = _mapped([
        {"source_system": "crm", "source_record_id": "C1", "source_row": 1, "family_name": "山田", "email": "new@example.jp"},
    ]).with_columns(source_file=pl.lit("data/raw/crm_2026-11-26.csv"))
    result = quarantine_records(pl.concat([older, newer]))
    kept = result.admitted.filter(pl.col("source_record_id") == "C1")
    assert kept.select("source_file", "email").rows() == [("data/raw/crm_2026-11-26.csv", "new@example.jp")]
    dup = result.quarantine.filter(pl.col("rule") == "duplicate_source_record_id")
    assert dup.select("source_file", "source_row").rows() == [("data/raw/crm_2026-11-25.csv", 3)]


def test_invalid_email_is_cleared_and_the_record_kept(result):
    kept = result.admitted.filter(pl.col("record_key") == "crm:C2")
    assert kept.height == 1 and kept.item(0, "email") is None and kept.item(0, "family_name") == "佐藤"
    row = result.quarantine.filter(pl.col("record_key") == "crm:C2")
    assert row.select("rule", "field", "disposition").rows() == [("email_shape", "email", "field_nulled")]
    assert row.item(0, "reason") == "email is not a valid address; the field was cleared and the record kept"


def test_record_left_without_identifier_after_clearing_is_rejected(result):
    rows = result.quarantine.filter(pl.col("record_key") == "crm:C6")
    assert set(rows.get_column("rule")) == {"email_shape", "identifying_field_present"}
    assert set(rows.get_column("disposition")) == {"rejected"}


def test_missing_id_and_no_identifier_are_rejected(result):
    q = result.quarantine
    assert q.filter(pl.col("source_row") == 4, pl.col("source_system") == "crm").get_column("rule").to_list() == [
        "source_record_id_present"
    ]
    assert "identifying_field_present" in q.filter(pl.col("record_key") == "crm:C5").get_column("rule").to_list()


def test_control_characters_clear_the_field(result):
    kept = result.admitted.filter(pl.col("record_key") == "shop:S2")
    assert kept.item(0, "family_name") is None and kept.item(0, "email") == "t@example.jp"


def test_quarantine_shape_and_no_personal_data(result):
    q = result.quarantine
    assert q.schema == pl.Schema(QUARANTINE_SCHEMA)
    text = " ".join(q.get_column("reason").to_list())
    for value in (BAD_EMAIL, "佐藤", "高橋", "山田", "taro"):
        assert value not in text
    assert set(CANONICAL_FIELDS) <= set(result.admitted.columns)


def test_required_fields_per_source():
    res = quarantine_records(_mapped(ROWS), required_fields={"shop": ["email"]})
    rejected = res.quarantine.filter(pl.col("rule") == "required_field_present")
    assert rejected.select("record_key", "field", "disposition").rows() == [("shop:C1", "email", "rejected")]
    counts = dict(rejected_rows_by_source(res.quarantine).iter_rows())
    assert counts == {"crm": 4, "shop": 1}


def test_refuses_unknown_required_field_and_missing_lineage():
    with pytest.raises(FrameContractError):
        quarantine_records(_mapped(ROWS), required_fields={"crm": ["shoe_size"]})
    with pytest.raises(FrameContractError, match="source_row"):
        quarantine_records(_mapped(ROWS).drop("source_row"))


def _ingested(rows: list[dict]) -> pl.DataFrame:
    """Mapped rows as ingestion makes them: an empty id is null and so is the record key derived from it."""
    return _mapped(rows).with_columns(
        record_key=pl.when(pl.col("source_record_id") == "").then(None).otherwise(pl.col("record_key")),
        source_record_id=pl.col("source_record_id").replace("", None),
    )


NO_ID = {"source_system": "crm", "source_record_id": "", "source_row": 2, "family_name": "鈴木", "email": None}


def test_an_empty_id_gives_one_row_naming_the_file_row_and_id_column():
    ok = {"source_system": "crm", "source_record_id": "C1", "source_row": 1, "family_name": "山田", "email": None}
    result = quarantine_records(_ingested([ok, NO_ID]), id_columns={"crm": "cust_id"})
    q = result.quarantine
    assert q.select("source_file", "source_row", "rule", "field", "disposition").rows() == [
        ("data/raw/crm.csv", 2, "source_record_id_present", "source_record_id", "rejected")
    ]
    assert q.item(0, "reason") == (
        "the id column 'cust_id' is empty or missing, so the row cannot be tied to a record; the record was excluded"
    )
    assert result.admitted.get_column("record_key").to_list() == ["crm:C1"]


def test_broken_lineage_beside_an_empty_id_is_still_reported():
    broken = _ingested([NO_ID]).with_columns(file_hash=pl.lit(None, dtype=pl.Utf8))
    rules = quarantine_records(broken).quarantine.select("rule", "field").rows()
    assert rules == [("lineage_present", "file_hash"), ("source_record_id_present", "source_record_id")]


def _quarantine_row(file: str, row: int, key: str | None, rule: str = "source_record_id_present", source: str = "crm") -> dict:
    return {
        "record_key": key,
        "source_system": source,
        "source_record_id": key.split(":")[1] if key else None,
        "source_file": file,
        "source_row": row,
        "file_hash": f"hash of {file}",
        "rule": rule,
        "field": "source_record_id",
        "reason": "a reason",
        "disposition": "rejected",
    }


def _quarantine(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=QUARANTINE_SCHEMA)


def _delivered(*files: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"source_system": s, "source_file": f, "file_hash": f"new hash of {f}"} for s, f in files],
        schema={"source_system": pl.Utf8, "source_file": pl.Utf8, "file_hash": pl.Utf8},
    )


PREVIOUS = _quarantine(
    [
        _quarantine_row("exports/crm_1.csv", 4, None),
        _quarantine_row("exports/crm_1.csv", 5, None),
        _quarantine_row("exports/crm_1.csv", 6, "crm:C6", rule="duplicate_source_record_id"),
        _quarantine_row("exports/shop_1.csv", 2, None, source="shop"),
    ]
)


def _sites(frame: pl.DataFrame) -> list[tuple]:
    return sorted(frame.select("source_file", "source_row").rows())


def test_rows_without_an_id_stay_in_quarantine_on_later_nights():
    nothing = current_quarantine(PREVIOUS, _quarantine([]), admitted=pl.Series([], dtype=pl.Utf8), delivered=_delivered())
    assert nothing.equals(PREVIOUS)  # the same partition again: nothing new, nothing settled
    other_file = _quarantine([_quarantine_row("exports/crm_2.csv", 1, None)])
    next_day = current_quarantine(
        PREVIOUS, other_file, admitted=pl.Series(["crm:C7"]), delivered=_delivered(("crm", "exports/crm_2.csv"))
    )
    assert _sites(next_day) == sorted(_sites(PREVIOUS) + [("exports/crm_2.csv", 1)])


def test_a_row_leaves_when_its_record_is_admitted_or_its_file_is_delivered_again():
    admitted = current_quarantine(PREVIOUS, _quarantine([]), admitted=pl.Series(["crm:C6"]), delivered=_delivered())
    assert ("exports/crm_1.csv", 6) not in _sites(admitted) and admitted.height == 3
    # crm_1.csv again, corrected but for row 5: its new rows replace the old ones; the shop's row stays
    still_bad = _quarantine([_quarantine_row("exports/crm_1.csv", 5, None) | {"file_hash": "new hash of exports/crm_1.csv"}])
    redelivered = current_quarantine(
        PREVIOUS, still_bad, admitted=pl.Series(["crm:C4"]), delivered=_delivered(("crm", "exports/crm_1.csv"))
    )
    assert _sites(redelivered) == [("exports/crm_1.csv", 5), ("exports/shop_1.csv", 2)]
    assert redelivered.filter(pl.col("source_system") == "crm").item(0, "file_hash") == "new hash of exports/crm_1.csv"


def test_a_newer_snapshot_supersedes_the_rows_of_its_source():
    newer = current_quarantine(
        PREVIOUS,
        _quarantine([]),
        admitted=pl.Series(["crm:C1"]),
        delivered=_delivered(("crm", "exports/crm_2.csv")),
        snapshot_sources=["crm"],
    )
    assert _sites(newer) == [("exports/shop_1.csv", 2)]


# --- exports as a spreadsheet leaves them ----------------------------------------


def _pos(rows: list[tuple[str | None, str | None, str | None]]) -> pl.DataFrame:
    """(id, full name, email) rows of source `pos`, numbered from 1."""
    return _ingested(
        [
            {"source_system": "pos", "source_record_id": i or "", "source_row": n, "full_name": name, "email": email}
            for n, (i, name, email) in enumerate(rows, start=1)
        ]
    )


MEMBERS = [("0000001", "佐々木　桃子", None), ("0000002", "沢田　太郎", "taro@example.jp"), ("0000003", "高橋 健", None)]


@pytest.mark.parametrize(
    "total",
    [
        ("合計", "654件", None),  # Excel's total line under a cp932 table: the drill's case
        ("Total:", None, None),
        ("TOTAL 3", None, "x@example.jp"),  # a label is enough, whatever else the row holds
        ("合計件数", "3", None),
        ("0000004", "合計", "y@example.jp"),  # the label in the name column, a count in the id column
        ("3 records", None, None),  # an id unlike the others on a row that names no one
        ("件 3", "3件", None),  # an id unlike the others and a count as the name
    ],
)
def test_a_total_row_is_no_customer_and_gets_one_quarantine_row(total):
    result = quarantine_records(_pos([*MEMBERS, total]), id_columns={"pos": "会員ID"})
    assert result.admitted["source_record_id"].to_list() == ["0000001", "0000002", "0000003"]
    q = result.quarantine
    assert q.select("source_row", "rule", "field", "disposition").rows() == [(4, "not_a_total_row", None, "rejected")]
    assert q.item(0, "reason").startswith("the row looks like a total or footer line a spreadsheet added, not a customer")
    assert "654" not in q.item(0, "reason")


@pytest.mark.parametrize(
    "member",
    [
        ("X-1", "山田 太郎", None),  # an odd id on a row that names a person is a customer
        ("0000004", "Sum", "sum@example.jp"),  # Sum is a surname, not a label
        ("0000004", "Totalova Anna", None),
        ("0000004", "一郎", None),  # kanji numerals are no digits
    ],
)
def test_a_customer_is_not_taken_for_a_total_row(member):
    result = quarantine_records(_pos([*MEMBERS, member]))
    assert result.admitted.height == 4 and result.quarantine.is_empty()


def test_a_name_with_digits_is_cleared_and_the_record_kept_if_it_has_an_email():
    result = quarantine_records(_pos([*MEMBERS, ("0000004", "山田 ２号", "yamada@example.jp"), ("0000005", "Room 12", None)]))
    kept = result.admitted.filter(pl.col("source_record_id") == "0000004")
    assert kept.item(0, "full_name") is None and kept.item(0, "email") == "yamada@example.jp"
    q = result.quarantine.select("source_record_id", "rule", "field", "disposition").rows()
    assert q == [
        ("0000004", "name_without_digits", "full_name", "field_nulled"),
        ("0000005", "identifying_field_present", None, "rejected"),
        ("0000005", "name_without_digits", "full_name", "rejected"),
    ]
    reason = result.quarantine.item(0, "reason")
    assert reason == "full_name contains digits, which a person's name does not (a count, total or code?); the field was cleared and the record kept"


SCIENTIFIC_NOTE = (
    "{n} row(s) with an id a spreadsheet wrote in scientific notation (like 1.2E+4) quarantined: "
    "export the id column as text and deliver the file again"
)


@pytest.mark.parametrize("mangled", ["1.20E+4", "1.23457E+11", "4E+05", "9.9e-3"])
def test_an_id_in_scientific_notation_is_refused_saying_a_spreadsheet_rewrote_it(mangled):
    # two customers whose ids Excel turned into the same number: neither is admitted, neither is a "duplicate"
    rows = [*MEMBERS, (mangled, "Jones, Patricia", None), (mangled, "Davies, Linda", "linda@example.org")]
    result = quarantine_records(_pos(rows), id_columns={"pos": "CUST_NO"})
    assert result.admitted["source_record_id"].to_list() == ["0000001", "0000002", "0000003"]
    q = result.quarantine
    assert q.select("source_row", "rule", "field").rows() == [
        (4, "source_record_id_not_scientific", "source_record_id"),
        (5, "source_record_id_not_scientific", "source_record_id"),
    ]
    assert q.item(0, "reason") == (
        "the id column 'CUST_NO' holds a number a spreadsheet rewrote in scientific notation (like 1.2E+4), which "
        "drops digits and can give different customers one id; export the id column as text; the record was excluded"
    )
    assert spreadsheet_notes(q) == [SCIENTIFIC_NOTE.format(n=2)]


@pytest.mark.parametrize("kept", ["12E+4", "3E7", "1e10", "E12345", "1.2E+45678"])
def test_ids_that_only_resemble_scientific_notation_are_kept(kept):
    result = quarantine_records(_pos([(kept, "山田 太郎", None)]))
    assert result.admitted.height == 1 and result.quarantine.is_empty()


def test_spreadsheet_notes_count_input_rows_of_each_kind():
    q = quarantine_records(_pos([*MEMBERS, ("合計", "3件", None), ("1.2E+4", "高橋 健", None)])).quarantine
    assert spreadsheet_notes(q) == [SCIENTIFIC_NOTE.format(n=1), "1 total or footer row(s) quarantined (not customers)"]
    assert spreadsheet_notes(q.filter(pl.col("rule") == "email_shape")) == []
