"""Parsing decoded exports into all-text frames with 1-based `source_row`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from ingestion.errors import IngestError
from ingestion.parsing import (
    ROW_COLUMN,
    parse_csv,
    parse_jsonl,
    parse_parquet,
    without_blank_rows,
)


def _csv(tmp_path: Path, text: str, delimiter: str = ",") -> pl.DataFrame:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return parse_csv(path, delimiter=delimiter, display_name="exports/crm.csv")


def _jsonl(tmp_path: Path, text: str) -> pl.DataFrame:
    path = tmp_path / "export.jsonl"
    path.write_text(text, encoding="utf-8")
    return parse_jsonl(path, display_name="exports/shop.jsonl")


# --- CSV -------------------------------------------------------------------


def test_csv_headers_and_values_are_trimmed_and_empty_is_null(tmp_path: Path):
    frame = _csv(tmp_path, " id ,  name ,zip\n 1 , 山田 太郎 ,\n2,   , 100-0001 \n")

    assert frame.columns == [ROW_COLUMN, "id", "name", "zip"]
    assert frame.schema == pl.Schema({ROW_COLUMN: pl.Int64, "id": pl.Utf8, "name": pl.Utf8, "zip": pl.Utf8})
    assert frame.to_dicts() == [
        {ROW_COLUMN: 1, "id": "1", "name": "山田 太郎", "zip": None},
        {ROW_COLUMN: 2, "id": "2", "name": None, "zip": "100-0001"},
    ]


@pytest.mark.parametrize(
    ("value", "kept"),
    [("00123", "00123"), ("1e5", "1e5"), ("2024-01-02", "2024-01-02"), ("true", "true"), ("090-1234", "090-1234")],
)
def test_csv_values_stay_text_exactly(tmp_path: Path, value, kept):
    frame = _csv(tmp_path, f"id,v\n1,{value}\n")
    assert frame["v"].to_list() == [kept]


def test_csv_quoted_values_and_other_delimiter(tmp_path: Path):
    frame = _csv(tmp_path, 'id;addr\n1;"東京都; 千代田区"\n2;"a ""b"""\n', delimiter=";")
    assert frame["addr"].to_list() == ["東京都; 千代田区", 'a "b"']


def test_csv_header_only_gives_no_rows(tmp_path: Path):
    frame = _csv(tmp_path, "id,name\n")
    assert frame.height == 0
    assert frame.columns == [ROW_COLUMN, "id", "name"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("id,,name\n1,a,b\n", "a header cell is empty", id="empty-header"),
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("\n\n", "the file is empty", id="blank-lines-only"),
    ],
)
def test_csv_bad_header_or_empty_file_refused(tmp_path: Path, text, says):
    with pytest.raises(IngestError) as caught:
        _csv(tmp_path, text)
    assert caught.value.file == "exports/crm.csv"
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("id,name\n1,Hanako\n2,Taro,extra\n", "line 3 has 3 fields, the header 2", id="extra-field"),
        pytest.param('id,name\n1,"Hanako\n2,Taro\n', "quoting breaks at line", id="unclosed-quote"),
    ],
)
def test_a_malformed_csv_is_refused_naming_its_line_not_its_values(tmp_path: Path, text, says):
    with pytest.raises(IngestError) as caught:
        _csv(tmp_path, text)
    message = str(caught.value)
    assert message.startswith("exports/crm.csv: not a well-formed CSV (") and says in message
    assert "Hanako" not in message and "Taro" not in message and "Error" not in message


@pytest.mark.parametrize(
    ("text", "columns", "values"),
    [
        pytest.param("id,住所,住所,tel\n1,東京都,千代田区1-1,03\n", ["id", "住所_1", "住所_2", "tel"], ["1", "東京都", "千代田区1-1", "03"], id="repeated"),
        pytest.param("id , name,name \n1,a,b\n", ["id", "name_1", "name_2"], ["1", "a", "b"], id="repeated-after-trim"),
        pytest.param("id,name_1,name,name\n1,a,b,c\n", ["id", "name_1", "name_2", "name_3"], ["1", "a", "b", "c"], id="a-number-taken"),
        pytest.param("id,name,name,\n1,a,b,\n", ["id", "name_1", "name_2"], ["1", "a", "b"], id="lines-ending-with-the-delimiter"),
    ],
)
def test_a_repeated_header_name_is_numbered_wherever_it_appears(tmp_path: Path, text, columns, values):
    # polars alone would call the second one name_duplicated_0, and a mapping of `name` would take the first
    frame = _csv(tmp_path, text)
    assert frame.columns == [ROW_COLUMN, *columns]
    assert frame.drop(ROW_COLUMN).row(0) == tuple(values)


def test_a_repeated_json_key_after_trimming_is_numbered(tmp_path: Path):
    frame = _jsonl(tmp_path, '{"id": "1", "name": "a", "name ": "b"}\n')
    assert frame.drop(ROW_COLUMN).columns == ["id", "name_1", "name_2"]
    assert frame.drop(ROW_COLUMN).row(0) == ("1", "a", "b")


def test_two_empty_header_cells_are_refused(tmp_path: Path):
    with pytest.raises(IngestError, match="a header cell is empty"):
        _csv(tmp_path, "id,,name,\n1,a,b,\n")


def test_csv_bom_in_header_is_not_part_of_column_name(tmp_path: Path):
    frame = _csv(tmp_path, "\ufeffid,name\n1,a\n")
    assert frame.columns == [ROW_COLUMN, "id", "name"]


# --- JSON lines --------------------------------------------------------------


def test_jsonl_every_value_is_text_and_row_is_line_number(tmp_path: Path):
    lines = [
        json.dumps({"id": 1, "name": " 山田 太郎 ", "points": 1.5, "vip": True}, ensure_ascii=False),
        "",  # a blank line is skipped but still counted
        json.dumps({"id": 2, "name": "", "points": None, "vip": False}),
        json.dumps({"id": 3, "extra": "only here"}),
    ]
    frame = _jsonl(tmp_path, "\n".join(lines) + "\n")

    assert set(frame.columns) == {ROW_COLUMN, "id", "name", "points", "vip", "extra"}
    assert frame[ROW_COLUMN].dtype == pl.Int64
    assert all(frame[c].dtype == pl.Utf8 for c in frame.columns if c != ROW_COLUMN)
    assert frame.select(ROW_COLUMN, "id", "name", "points", "vip", "extra").rows() == [
        (1, "1", "山田 太郎", "1.5", "true", None),
        (3, "2", None, None, "false", None),
        (4, "3", None, None, None, "only here"),
    ]


def test_jsonl_nested_object_becomes_json_text(tmp_path: Path):
    frame = _jsonl(tmp_path, json.dumps({"id": "A1", "address": {"zip": "100-0001", "lines": ["1-2-3"]}}) + "\n")
    assert json.loads(frame["address"].item()) == {"zip": "100-0001", "lines": ["1-2-3"]}


def test_jsonl_list_becomes_json_text(tmp_path: Path):
    frame = _jsonl(tmp_path, '{"id": "A1", "tags": ["gold", "web"]}\n{"id": "A2", "tags": null}\n')
    assert json.loads(frame["tags"][0]) == ["gold", "web"]
    assert frame["tags"][1] is None


def test_jsonl_null_nested_object_stays_null(tmp_path: Path):
    frame = _jsonl(tmp_path, '{"id": "A1", "address": {"zip": "1000001"}}\n{"id": "A2", "address": null}\n')
    assert frame["address"].to_list()[1] is None


def test_jsonl_list_of_objects_becomes_json_text(tmp_path: Path):
    frame = _jsonl(tmp_path, '{"id": "A1", "orders": [{"sku": "X1", "qty": 2}]}\n')
    assert json.loads(frame["orders"].item()) == [{"sku": "X1", "qty": 2}]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('{"id": 1}\n{"id": 2,\n{"id": 3}\n', 2, id="broken-json"),
        pytest.param('{"id": 1}\n\n[1, 2]\n', 3, id="not-an-object"),
        pytest.param('"text"\n', 1, id="scalar"),
    ],
)
def test_jsonl_bad_line_reported_with_its_number(tmp_path: Path, text, line):
    with pytest.raises(IngestError) as caught:
        _jsonl(tmp_path, text)
    assert caught.value.row == line
    assert str(caught.value).startswith(f"exports/shop.jsonl, row {line}: ")


@pytest.mark.parametrize("text", ["", "\n  \n"])
def test_jsonl_without_objects_refused(tmp_path: Path, text):
    with pytest.raises(IngestError, match="no JSON objects"):
        _jsonl(tmp_path, text)


# --- Parquet -----------------------------------------------------------------


def test_parquet_is_read_as_trimmed_text(tmp_path: Path):
    path = tmp_path / "export.parquet"
    pl.DataFrame(
        {
            " id ": [1, 2],
            "dob": [date(1980, 3, 1), None],
            "name": [" 山田 ", ""],
            "score": [1.5, None],
        }
    ).write_parquet(path)

    frame = parse_parquet(path, display_name="exports/erp.parquet")

    assert frame.columns == [ROW_COLUMN, "id", "dob", "name", "score"]
    assert all(frame[c].dtype == pl.Utf8 for c in ("id", "dob", "name", "score"))
    assert frame.rows() == [(1, "1", "1980-03-01", "山田", "1.5"), (2, "2", None, None, None)]


def test_whole_floats_are_read_as_the_integers_they_hold(tmp_path: Path):
    """pandas stores an integer column with a gap as floats: an id, a phone, a
    code or a yyyymmdd date then arrives as `12345.0`; it is the number 12345."""
    path = tmp_path / "export.parquet"
    pl.DataFrame(
        {
            "id": [2900000001.0, 7.0, None, -3.0, float("inf")],
            "gender": [1.0, 2.0, float("nan"), 0.0, 1.0],
            "updated": [20240602.0, 1.5, 1e20, 0.1, float("-inf")],
        }
    ).write_parquet(path)

    frame = parse_parquet(path, display_name="exports/erp.parquet")

    assert frame.drop(ROW_COLUMN).rows() == [
        ("2900000001", "1", "20240602"),
        ("7", "2", "1.5"),
        (None, None, "1e+20"),  # NaN is no value; a float past exact integers stays as written
        ("-3", "0", "0.1"),
        (None, "1", None),  # nor is an infinity (a source_record_id_present quarantine, not the id "inf")
    ]


def test_whole_floats_of_json_lines_are_read_as_integers(tmp_path: Path):
    frame = _jsonl(tmp_path, '{"member_id": 12345.0, "zip": 1000001}\n{"member_id": 12346, "zip": null}\n')
    assert frame.select("member_id", "zip").rows() == [("12345", "1000001"), ("12346", None)]


def test_nested_parquet_columns_are_read_as_json_text(tmp_path: Path):
    path = tmp_path / "export.parquet"
    pl.DataFrame({"id": ["1"], "tags": [["vip", "jp"]]}).write_parquet(path)
    assert parse_parquet(path, display_name="exports/erp.parquet")["tags"].to_list() == ['["vip","jp"]']


def test_unreadable_parquet_refused(tmp_path: Path):
    path = tmp_path / "export.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(IngestError, match="not a readable Parquet file") as caught:
        parse_parquet(path, display_name="exports/erp.parquet")
    assert caught.value.file == "exports/erp.parquet"


def test_jsonl_field_mixing_objects_and_values_refused_without_quoting_a_value(tmp_path: Path):
    text = '{"id": "1", "zip": 1000001}\n{"id": "2", "zip": {"code": "5300001"}}\n'
    with pytest.raises(IngestError, match="shop.jsonl") as refused:
        _jsonl(tmp_path, text)
    assert "objects or lists on some lines" in str(refused.value)
    assert "1000001" not in str(refused.value) and "5300001" not in str(refused.value)


def test_wholly_blank_rows_are_dropped_and_counted_keeping_row_numbers(tmp_path: Path):
    # what Excel leaves: empty lines (CRLF) and rows of empty cells, between and after the data
    text = 'id,name,zip\r\n1,山田 太郎,\r\n\r\n" ",,\r\n2,,100-0001\r\n,,\r\n\r\n'
    frame, blank = without_blank_rows(_csv(tmp_path, text))
    assert blank == 4
    assert frame.select(ROW_COLUMN, "id").rows() == [(1, "1"), (4, "2")]  # the 4th data line of the file
    again, none = without_blank_rows(frame)
    assert none == 0 and again.equals(frame)
    header_only = _csv(tmp_path, "id,name\n")
    assert without_blank_rows(header_only)[1] == 0


# --- what spreadsheets write around a CSV ------------------------------------


def test_excel_sep_line_is_not_the_header_and_rows_keep_their_numbers(tmp_path: Path):
    frame = _csv(tmp_path, 'sep=;\r\nid;name\r\n1;Hanako\r\n2;"Taro"\r\n', delimiter=";")
    assert frame.columns == [ROW_COLUMN, "id", "name"]
    assert frame.rows() == [(1, "1", "Hanako"), (2, "2", "Taro")]
    with pytest.raises(IngestError) as caught:  # a malformed line is counted from the file's first line
        _csv(tmp_path, "sep=;\nid;name\n1;Hanako\n2;Taro;x\n", delimiter=";")
    assert "line 4 has 3 fields" in str(caught.value)


def test_excel_sep_line_naming_another_delimiter_is_refused(tmp_path: Path):
    with pytest.raises(IngestError) as caught:
        _csv(tmp_path, "sep=;\nid;name\n1;Hanako\n", delimiter=",")
    assert caught.value.row == 1 and "sep=;" in str(caught.value) and "delimiter" in str(caught.value)


def test_a_delimiter_ending_every_line_adds_no_column(tmp_path: Path):
    assert _csv(tmp_path, "id;name;\n1;Hanako;\n2;Taro;\n", delimiter=";").columns == [ROW_COLUMN, "id", "name"]
    with pytest.raises(IngestError, match="a header cell is empty"):  # an unnamed column with values is refused
        _csv(tmp_path, "id;name;\n1;Hanako;x\n", delimiter=";")


# --- a JSON export that is one array -------------------------------------------


def test_a_json_array_export_is_read_with_its_elements_as_rows(tmp_path: Path):
    frame = _jsonl(tmp_path, '\ufeff[\n {"id": 1, "name": "Hanako", "tags": ["a"]},\n {"id": 2, "name": "Taro"}\n]\n')
    rows = frame.select(ROW_COLUMN, "id", "name", "tags").rows()
    assert rows == [(1, "1", "Hanako", '["a"]'), (2, "2", "Taro", None)]


BAD_JSON_ARRAYS = {
    '[{"id": 1, "name": "Hanako"}, "Taro"]': "element 2 of the JSON array is not an object",
    '[\n{"id": 1, "name": "Hanako"},\n{"id": 2 "name": "Taro"}\n]': "row 3: not readable as a JSON array",
    "[]": "holds no JSON objects",
}


def test_a_bad_json_array_is_refused_without_its_values(tmp_path: Path):
    for text, says in BAD_JSON_ARRAYS.items():
        with pytest.raises(IngestError) as caught:
            _jsonl(tmp_path, text)
        message = str(caught.value)
        assert says in message and "Hanako" not in message and "Taro" not in message, text
