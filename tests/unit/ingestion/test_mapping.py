"""Mapping source columns onto canonical fields: names, SQL expressions, lineage, errors."""

from __future__ import annotations

import polars as pl
import pytest

from ingestion import LINEAGE_COLUMNS, IngestError, map_to_canonical, missing_columns
from ingestion.parsing import ROW_COLUMN
from nayose_config import CANONICAL_FIELDS, SourceConfig

PERSONAL = ("山田", "太郎", "taro@example.com", "090-1234-5678")

RAW = pl.DataFrame(
    {
        ROW_COLUMN: [1, 2, 3],
        "cust_id": [" 1 ", "2", None],
        "last": ["山田", "Smith", None],
        "first": ["太郎", None, None],
        "MAIL": ["taro@example.com", None, None],
        "tel": ["090-1234-5678", "  ", None],
        "opt_in": ["1", "0", None],
    },
    schema_overrides={ROW_COLUMN: pl.Int64},
)


def _source(fields: dict[str, str], *, id: str = "cust_id") -> SourceConfig:
    return SourceConfig(name="crm", path="exports/*.csv", format="csv", id=id, country="JP", fields=fields)


def _identified(fields: dict[str, str]) -> dict[str, str]:
    """`fields` plus an email mapping, so that the source is valid whatever `fields` tests."""
    return {"email": "MAIL", **fields}


def _map(fields: dict[str, str], **kwargs) -> pl.DataFrame:
    return map_to_canonical(
        RAW, _source(_identified(fields), **kwargs), display_name="exports/crm_1.csv", file_hash="abc123"
    )


def test_lineage_columns_and_every_canonical_field():
    mapped = _map({})

    assert sorted(mapped.columns) == sorted([*LINEAGE_COLUMNS, "is_deleted", *CANONICAL_FIELDS])
    assert mapped["is_deleted"].to_list() == [False, False, False]  # no deleted_when configured
    assert all(mapped[f].dtype == pl.Utf8 for f in CANONICAL_FIELDS)
    assert mapped["source_row"].dtype == pl.Int64
    assert mapped.select(LINEAGE_COLUMNS).rows() == [
        ("crm:1", "crm", "1", "exports/crm_1.csv", 1, "abc123", "JP", None, "auto"),
        ("crm:2", "crm", "2", "exports/crm_1.csv", 2, "abc123", "JP", None, "auto"),
        (None, "crm", None, "exports/crm_1.csv", 3, "abc123", "JP", None, "auto"),
    ]
    unmapped = [f for f in CANONICAL_FIELDS if f != "email"]
    assert mapped.select(unmapped).null_count().row(0) == (3,) * len(unmapped)


def test_the_source_date_order_is_carried_as_lineage():
    source = SourceConfig(
        name="kunden", path="exports/*.csv", format="csv", id="cust_id", country="DE", date_order="DMY",
        fields={"email": "MAIL"},
    )  # fmt: skip
    mapped = map_to_canonical(RAW, source, display_name="exports/kunden_1.csv", file_hash="abc123")
    assert mapped.select("source_country", "source_date_order").unique().rows() == [("DE", "DMY")]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        pytest.param("family_name", "last", ["山田", "Smith", None], id="exact-column"),
        pytest.param("email", "mail", ["taro@example.com", None, None], id="case-insensitive-column"),
        pytest.param("email", "MAIL", ["taro@example.com", None, None], id="exact-upper-column"),
        pytest.param("phone", "tel", ["090-1234-5678", None, None], id="blank-becomes-null"),
        pytest.param("full_name", "concat_ws(' ', last, first)", ["山田 太郎", "Smith", None], id="concat-ws"),
        pytest.param("full_name", "last || first", ["山田太郎", None, None], id="concat-operator"),
        pytest.param("gender", "' '", [None, None, None], id="blank-literal-becomes-null"),
        pytest.param("country", "upper('jp')", ["JP", "JP", "JP"], id="constant-expression"),
        pytest.param(
            "phone", "replace(tel, '-', '')", ["09012345678", None, None], id="expression-result-trimmed"
        ),
    ],
)
def test_field_maps_from_column_or_expression(field, value, expected):
    assert _map({field: value})[field].to_list() == expected


def test_an_id_written_as_a_float_is_the_whole_number():
    """pandas writes an id column with a gap to CSV as `12345.0`; a night that writes `12345` re-delivers it."""
    raw = RAW.with_columns(pl.Series("cust_id", ["12345.0", "12345", "A-1.0"]))
    mapped = map_to_canonical(raw, _source(_identified({})), display_name="exports/crm_1.csv", file_hash="abc123")
    assert mapped["source_record_id"].to_list() == ["12345", "12345", "A-1.0"]
    assert mapped["record_key"].to_list() == ["crm:12345", "crm:12345", "crm:A-1.0"]


def test_id_column_matched_case_insensitively_and_trimmed():
    mapped = _map({"email": "MAIL"}, id="CUST_ID")
    assert mapped["source_record_id"].to_list() == ["1", "2", None]


def test_a_repeated_header_name_is_mapped_by_its_number_and_its_bare_name_is_refused_saying_so():
    raw = RAW.rename({"last": "名前_1", "first": "名前_2"})
    mapped = map_to_canonical(
        raw, _source(_identified({"family_name": "名前_1", "given_name": "名前_2"})), display_name="exports/crm_1.csv", file_hash="abc"
    )
    assert mapped["family_name"].to_list()[:1] == ["山田"] and mapped["given_name"].to_list()[:1] == ["太郎"]
    with pytest.raises(IngestError) as caught:
        map_to_canonical(raw, _source(_identified({"family_name": "名前"})), display_name="exports/crm_1.csv", file_hash="abc")
    assert (
        "columns named like it are 名前_1, 名前_2 (a header name that repeats is read numbered): map the one meant"
        in str(caught.value)
    )
    assert caught.value.file == "exports/crm_1.csv"


def test_consent_fields_are_added_when_asked():
    mapped = map_to_canonical(
        RAW,
        _source({"email": "MAIL", "consent_marketing_email": "opt_in"}),
        display_name="exports/crm_1.csv",
        file_hash="abc123",
        consent_fields=("consent_analytics", "consent_marketing_email"),
    )
    assert {"consent_analytics", "consent_marketing_email"} < set(mapped.columns)
    assert mapped["consent_marketing_email"].to_list() == ["1", "0", None]
    assert mapped["consent_analytics"].to_list() == [None, None, None]


@pytest.mark.parametrize(
    ("fields", "id", "column"),
    [
        pytest.param({"phone": "tel_no"}, "cust_id", "tel_no", id="missing-mapped-column"),
        pytest.param({"family_name": "姓"}, "cust_id", "姓", id="missing-japanese-column"),
        pytest.param({"full_name": "concat_ws(' ', last, middle)"}, "cust_id", "middle", id="missing-in-expression"),
        pytest.param({}, "member_id", "member_id", id="missing-id-column"),
    ],
)
def test_missing_column_names_file_and_column_without_personal_values(fields, id, column):
    with pytest.raises(IngestError) as caught:
        _map(fields, id=id)

    error = caught.value
    assert error.file == "exports/crm_1.csv"
    assert error.column == column
    assert str(error).startswith(f"exports/crm_1.csv, column '{column}': ")
    assert "columns are: cust_id, last, first, MAIL, tel, opt_in" in str(error)
    assert not any(value in str(error) for value in PERSONAL)


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("strptime(last, '%Y%m%d')", id="conversion-of-a-personal-value"),
        pytest.param("CAST(tel AS INTEGER)", id="cast-of-a-personal-value"),
        pytest.param("no_such_function(last)", id="unknown-function"),
    ],
)
def test_failing_expression_is_reported_without_personal_values(expression):
    with pytest.raises(IngestError) as caught:
        _map({"family_name": expression})

    message = str(caught.value)
    assert message.startswith("exports/crm_1.csv: ")
    assert "check `family_name` in source 'crm'" in message  # the failing field is named, its values are not
    assert not any(value in message for value in PERSONAL)


@pytest.mark.parametrize(
    ("raw_columns", "fields", "id", "missing"),
    [
        (["cust_id", "mail"], {"email": "mail"}, "cust_id", []),
        (["CUST_ID", "Mail"], {"email": "mail"}, "cust_id", []),
        (["mail"], {"email": "mail"}, "cust_id", ["cust_id"]),
        (["cust_id"], {"email": "mail", "phone": "tel"}, "cust_id", ["mail", "tel"]),
        (["cust_id"], {"full_name": "concat_ws(' ', a, b)", "email": "mail"}, "cust_id", ["mail"]),
        (["cust_id"], {"email": "cust_id"}, "cust_id", []),
    ],
)
def test_missing_columns_lists_plain_names_only(raw_columns, fields, id, missing):
    assert missing_columns(raw_columns, _source(fields, id=id)) == missing


def test_an_address_written_on_several_lines_is_one_line_and_a_name_is_left_to_the_checks():
    raw = pl.DataFrame(
        {
            ROW_COLUMN: [1],
            "cust_id": ["1"],
            "addr": ["Hauptstr. 5\r\n10115 Berlin"],
            "bldg": ["丸の内ビル\n 5F"],
            "last": ["山田\n"],
            "MAIL": [None],
        },
        schema_overrides={ROW_COLUMN: pl.Int64},
    )
    source = _source(_identified({"address_line": "addr", "building": "bldg", "family_name": "last"}))
    mapped = map_to_canonical(raw, source, display_name="exports/crm_1.csv", file_hash="abc123")
    assert mapped.select("address_line", "building").row(0) == ("Hauptstr. 5 10115 Berlin", "丸の内ビル 5F")
    assert mapped["family_name"].to_list() == ["山田"]  # trimmed as before; one inside a name stays for the checks


def test_exports_are_mapped_in_cursors_of_one_database(monkeypatch):
    """The in-memory database is started once per process (15-25 ms each), not per export; each export
    is mapped in its own cursor, so what one registers is not what another reads, on any thread."""
    import threading

    import duckdb

    from ingestion import mapping

    started = []
    connect = duckdb.connect
    monkeypatch.setattr(mapping, "_database", None)
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: started.append(1) or connect(*a, **k))
    other = RAW.with_columns(MAIL=pl.Series(["hanako@example.jp", None, "jiro@example.jp"]))
    results: dict[str, list] = {}

    def map_one(name: str, raw: pl.DataFrame) -> None:
        for _ in range(5):
            mapped = map_to_canonical(raw, _source(_identified({})), display_name=f"{name}.csv", file_hash=name)
            results.setdefault(name, []).append(mapped["email"].to_list())

    threads = [threading.Thread(target=map_one, args=args) for args in (("first", RAW), ("second", other))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert started == [1]
    assert results["first"] == [["taro@example.com", None, None]] * 5
    assert results["second"] == [["hanako@example.jp", None, "jiro@example.jp"]] * 5
    with pytest.raises(IngestError):  # a failing export leaves the next one unharmed
        _map({"gender": "no_such_function(last)"})
    assert _map({})["email"].to_list() == ["taro@example.com", None, None]


@pytest.mark.parametrize(("header", "shown"), [("Kundennr;Nachname;Vorname", ";"), ("id\tname", "\\t")])
def test_a_header_read_as_one_column_holding_a_delimiter_names_the_delimiter(header, shown):
    """A semicolon (or tab) file read with the default comma gives one column
    named after the whole header: the error says which delimiter to declare."""
    raw = pl.DataFrame({ROW_COLUMN: [1], header: ["100001;Müller;Jan"]}, schema_overrides={ROW_COLUMN: pl.Int64})
    with pytest.raises(IngestError) as caught:
        map_to_canonical(raw, _source({"email": "E-Mail"}, id="Kundennr"), display_name="exports/crm.csv", file_hash="h")
    assert f'`delimiter: "{shown}"`' in str(caught.value)
    with pytest.raises(IngestError) as caught:  # a file of several columns gets no such hint
        _map({"phone": "tel_no"})
    assert "delimiter" not in str(caught.value)


def test_a_column_named_in_the_other_width_is_that_column():
    """A legacy export's header in full-width letters and brackets (`顧客ＣＤ`,
    `電話番号（携帯）`) is named in nayose.yaml as people type it (`顧客CD`)."""
    raw = pl.DataFrame(
        {ROW_COLUMN: [1], "顧客ＣＤ": ["C1"], "電話番号（携帯）": ["090-1234-5678"], "ＭＡＩＬ": ["a@example.com"]},
        schema_overrides={ROW_COLUMN: pl.Int64},
    )
    source = _source({"phone": "電話番号(携帯)", "email": "mail"}, id="顧客CD")
    mapped = map_to_canonical(raw, source, display_name="exports/core.txt", file_hash="h")
    assert mapped.select("source_record_id", "phone", "email").rows() == [("C1", "090-1234-5678", "a@example.com")]
