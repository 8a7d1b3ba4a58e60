"""Who a request names, among every held row (pure: no project needed; generated people)."""

from __future__ import annotations

import polars as pl

from governance.held_rows import IDENTITY_COLUMNS
from governance.subjects import resolve_subject, values_others_hold

CROSSWALK = pl.DataFrame(
    {"record_key": ["crm:1", "shop:A1", "crm:2", "crm:3"], "golden_id": ["G1", "G1", "G2", "G3"]}
)


def _rows(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in IDENTITY_COLUMNS} for r in rows], schema=IDENTITY_COLUMNS)


ROWS = _rows(
    # crm:1 now, and as a first night delivered it, with the email it had then
    {"record_key": "crm:1", "file_hash": "h2", "source_row": 1, "std_email": "new@example.jp", "std_phone": "+819011112222",
     "std_full_name": "山田太郎", "std_birth_date": "1980-03-01"},
    {"record_key": "crm:1", "file_hash": "h1", "source_row": 1, "std_email": "old@example.jp", "std_phone": "+819011112222",
     "std_full_name": "山田太郎", "std_birth_date": "1980-03-01"},
    {"record_key": "shop:A1", "file_hash": "h3", "source_row": 4, "std_phone": "+81312345678", "std_full_name": "山田太郎"},
    # his wife: the family landline
    {"record_key": "crm:2", "file_hash": "h1", "source_row": 2, "std_phone": "+81312345678", "std_full_name": "山田花子",
     "full_name_kana": "ﾔﾏﾀﾞ ﾊﾅｺ"},
    # a row without an id (quarantined) with his name and birth date; one with another's phone
    {"record_key": None, "file_hash": "h2", "source_row": 7, "std_full_name": "山田太郎", "std_birth_date": "1980-03-01"},
    {"record_key": None, "file_hash": "h2", "source_row": 8, "std_phone": "+819099990000"},
    # a record the source deleted, with his mobile
    {"record_key": "crm:9", "file_hash": "h1", "source_row": 9, "std_phone": "+819011112222"},
)


def test_a_former_email_names_the_person_and_brings_every_row_of_theirs() -> None:
    subject = resolve_subject("old@example.jp", None, None, ROWS, CROSSWALK)
    assert subject.golden_ids == {"G1"}
    assert subject.record_keys == {"crm:1", "shop:A1", "crm:9"}  # the deleted record carries his mobile
    assert subject.file_rows == {("h2", 1), ("h1", 1), ("h3", 4), ("h2", 7), ("h1", 9)}
    # the landline his wife has too is not his alone: not suppressed, and her rows are not his
    assert subject.identifiers["phone"] == {"+819011112222"}
    assert subject.identifiers["email"] == {"new@example.jp", "old@example.jp"}
    assert ("h1", 2) not in subject.file_rows and ("h2", 8) not in subject.file_rows


def test_a_phone_only_a_quarantined_row_carries_names_that_row() -> None:
    subject = resolve_subject(None, "+819099990000", None, ROWS, CROSSWALK)
    assert subject.found and subject.golden_ids == set() and subject.record_keys == set()
    assert subject.file_rows == {("h2", 8)}


def test_a_golden_id_merged_into_another_is_followed() -> None:
    events = pl.DataFrame(
        {"event_type": ["created", "merged", "erased"], "golden_id": ["G0", "G0", "G7"],
         "related_golden_id": [None, "G1", None], "record_count": [1, 1, 0], "run_id": ["r1", "r2", "erasure:x@t"]}
    )
    subject = resolve_subject(None, None, "G0", ROWS, CROSSWALK, events)
    assert subject.golden_ids == {"G1"} and subject.followed == (("G0", "G1"),)
    assert subject.former_golden_ids == {"G0"}
    assert subject.selection().golden_ids == {"G0", "G1"}
    gone = resolve_subject(None, None, "G7", ROWS, CROSSWALK, events)
    assert not gone.found and gone.notes == ("the golden id asked for was erased (erasure:x@t): nothing is held under it",)


def test_a_value_another_customer_holds_in_any_form_or_as_a_word_is_theirs() -> None:
    subject = resolve_subject("old@example.jp", None, None, ROWS, CROSSWALK)
    # ハナコ is a word of her half-width kana name; 山田 is nobody else's whole value here
    assert values_others_hold(subject, ["ハナコ", "ﾊﾅｺ", "山田", "+81312345678", "old@example.jp"]) == {
        "ハナコ", "ﾊﾅｺ", "+81312345678"
    }


def test_a_national_id_names_the_person_of_its_kind_only() -> None:
    """A (generated) number held as one man's NIN and, by a clerk's slip,
    as another's passport: asked as a NIN it names the first, as a number of
    no kind both; a quarantined row carrying it joins the one it names."""
    rows = _rows(
        {"record_key": "crm:1", "file_hash": "h1", "source_row": 1, "std_national_id": "12345678901", "std_national_id_type": "NG_NIN",
         "national_id": "123 4567 8901"},
        {"record_key": "crm:2", "file_hash": "h1", "source_row": 2, "std_national_id": "12345678901", "std_national_id_type": "PASSPORT"},
        {"record_key": None, "file_hash": "h1", "source_row": 3, "std_national_id": "12345678901"},
    )
    as_nin = resolve_subject(None, None, None, rows, CROSSWALK, national_id="12345678901", national_id_type="NG_NIN")
    assert as_nin.golden_ids == {"G1"} and as_nin.file_rows == {("h1", 1), ("h1", 3)}
    # suppressed as a NIN (the quarantined row's number of no kind is that NIN), and as a number of no kind
    assert as_nin.identifiers["national_id_of_kind"] == {"NG_NIN:12345678901"}
    assert as_nin.identifiers["national_id_number"] == {"12345678901"}
    assert "123 4567 8901" in as_nin.word_values()  # searched for as written, as a word
    any_kind = resolve_subject(None, None, None, rows, CROSSWALK, national_id="12345678901")
    assert any_kind.golden_ids == {"G1", "G2"}
