"""An erasure rewrites an export in the encoding it was delivered in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.rewrite import rewrite_export_file
from ingestion import ExportFile
from nayose_config.model import SourceConfig

ROWS = ["会員番号\t氏名\r\n", "P1\t㈱山田商事\r\n", "P2\t上野　花子\r\n", "P3\t鈴木　一郎①\r\n"]


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("utf-16", lambda text: b"\xfe\xff" + text.encode("utf-16-be")),  # big-endian with its BOM
        ("utf-16", lambda text: b"\xff\xfe" + text.encode("utf-16-le")),  # Excel's "Unicode text"
        ("euc-jp", lambda text: text.encode("euc_jis_2004")),  # ㈱ and ① in NEC's row 13
        ("utf-8-sig", lambda text: text.encode("utf-8-sig")),
    ],
)
def test_rewrite_keeps_encoding_byte_order_and_bom(tmp_path: Path, encoding, encode):
    path = tmp_path / "members.txt"
    path.write_bytes(encode("".join(ROWS)))
    source = SourceConfig(
        name="members", path="members.txt", format="csv", encoding=encoding, delimiter="\t",
        id="会員番号", fields={"full_name": "氏名"},
    )
    export = ExportFile(source_system="members", path=path, display_name="members.txt", file_hash="x")

    rewrite_export_file(export, source, {2})  # data row 2: 上野　花子

    assert path.read_bytes() == encode(ROWS[0] + ROWS[1] + ROWS[3])


def test_rewrite_keeps_an_excel_sep_line_and_counts_rows_after_the_header(tmp_path: Path):
    path = tmp_path / "shop.csv"
    path.write_bytes('sep=;\r\nKunde;Name\r\n1;"Müller, Anna"\r\n2;Zoë Weber\r\n'.encode("cp1252"))
    source = SourceConfig(
        name="shop", path="shop.csv", format="csv", encoding="cp1252", delimiter=";", id="Kunde",
        fields={"full_name": "Name"},
    )
    rewrite_export_file(ExportFile(source_system="shop", path=path, display_name="shop.csv", file_hash="x"), source, {2})
    assert path.read_bytes() == 'sep=;\r\nKunde;Name\r\n1;"Müller, Anna"\r\n'.encode("cp1252")


def test_rewrite_of_a_json_array_export_drops_the_element(tmp_path: Path):
    path = tmp_path / "app.json"
    path.write_text('[\n  {"id": 1, "name": "山田 太郎"},\n  {"id": 2, "name": "鈴木 花子", "tags": ["a"]}\n]\n', encoding="utf-8")
    source = SourceConfig(name="app", path="app.json", format="jsonl", id="id", fields={"full_name": "name"})
    rewrite_export_file(ExportFile(source_system="app", path=path, display_name="app.json", file_hash="x"), source, {1})
    assert json.loads(path.read_text(encoding="utf-8")) == [{"id": 2, "name": "鈴木 花子", "tags": ["a"]}]
    rewrite_export_file(ExportFile(source_system="app", path=path, display_name="app.json", file_hash="x"), source, {1})
    assert json.loads(path.read_text(encoding="utf-8")) == []


def test_rewrite_removes_the_row_ingestion_numbered_in_a_file_with_doubled_carriage_returns(tmp_path: Path):
    # a CRLF export converted once more ends its lines in CR CR LF: ingestion (polars) reads one row a
    # line; Python's splitlines() saw an empty line after each, and the row before the person's went
    path = tmp_path / "crm.csv"
    lines = ["id,name\r\r\n", "1,上野　花子\r\r\n", "2,鈴木　一郎\r\r\n", "3,Jane Doe\u2028Smith\r\r\n", "4,佐藤　健\r\r\n"]
    path.write_bytes("".join(lines).encode("utf-8"))
    source = SourceConfig(name="crm", path="crm.csv", format="csv", encoding="utf-8", id="id", fields={"full_name": "name"})
    from ingestion import read_export

    export = ExportFile(source_system="crm", path=path, display_name="crm.csv", file_hash="x")
    numbered = read_export(export, source)
    assert dict(zip(numbered["id"], numbered["source_row"])) == {"1": 1, "2": 2, "3": 3, "4": 4}
    rewrite_export_file(export, source, {2, 4})
    assert path.read_bytes() == (lines[0] + lines[1] + lines[3]).encode("utf-8")


def test_rewrite_of_json_lines_counts_lines_as_ingestion_does(tmp_path: Path):
    path = tmp_path / "app.jsonl"
    rows = ['{"id": 1, "name": "Jane\u2028Doe"}\r\n', '{"id": 2, "name": "鈴木 花子"}\r\n', '{"id": 3, "name": "山田 太郎"}\r\n']
    path.write_bytes("".join(rows).encode("utf-8"))
    source = SourceConfig(name="app", path="app.jsonl", format="jsonl", id="id", fields={"full_name": "name"})
    from ingestion import read_export

    export = ExportFile(source_system="app", path=path, display_name="app.jsonl", file_hash="x")
    assert dict(zip(read_export(export, source)["id"], read_export(export, source)["source_row"])) == {"1": 1, "2": 2, "3": 3}
    rewrite_export_file(export, source, {2})
    assert path.read_bytes() == (rows[0] + rows[2]).encode("utf-8")
