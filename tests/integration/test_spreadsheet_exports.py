"""Exports as Excel leaves them (found by the third drill): a cp932 CSV with
blank lines, a total row under the table and ids Excel turned into scientific
notation; the same file delivered again under a new name; two sources failing
in one night."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.cli import CliError, execute_nightly
from warehouse import ProjectPaths

CONFIG = """\
project: excel
timezone: Asia/Tokyo
sources:
  - name: pos
    path: exports/pos_*.csv
    format: csv
    encoding: cp932
    id: 会員ID
    country: JP
    fields: {full_name: 氏名, birth_date: 生年月日, phone: 電話番号, email: メール}
"""
PEOPLE = [
    ("山田　太郎", "1980/03/01"),
    ("佐藤　花子", "1975/05/12"),
    ("鈴木　一郎", "1990/01/01"),
    ("高橋　健", "1970/07/07"),
    ("田中　美咲", "1988/11/20"),
    ("伊藤　大輔", "1982/02/14"),
]


def _excel_export() -> bytes:
    """Every person twice (two member ids), quoted cells and CRLF as Excel writes
    them, a blank line and an empty row inside, one id Excel reformatted, and
    the total row and trailing blank lines under the table."""
    lines = ['"会員ID","氏名","生年月日","電話番号","メール"']
    for offset in (0, 100):
        for i, (name, dob) in enumerate(PEOPLE, start=1):
            lines.append(f'"{offset + i:07d}","{name}","{dob}","090-1111-{1000 + i}","user{i}@example.com"')
        lines.append("")  # a blank line between the blocks
    lines.append('"","","","",""')  # a row of empty cells
    lines.append('"1.20E+4","渡辺　直美","1985/04/04","090-2222-3333","naomi@example.com"')  # 12000 as Excel shows it
    lines.append('"合計","13件","","",""')
    return ("\r\n".join(lines) + "\r\n\r\n\r\n").encode("cp932")


def _run(project: Path, partition: str) -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(ProjectPaths.of(project), partition, instance=instance)


def _quarantine(project: Path) -> list[tuple]:
    con = duckdb.connect(str(ProjectPaths.of(project).warehouse), read_only=True)
    rows = con.execute("SELECT source_row, source_record_id, rule, disposition FROM quarantine ORDER BY source_row").fetchall()
    con.close()
    return rows


def test_an_excel_export_gives_customers_only_and_a_resend_is_told(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = tmp_path / "p"
    (project / "exports").mkdir(parents=True)
    (project / "nayose.yaml").write_text(CONFIG, encoding="utf-8")
    export = project / "exports" / "pos_2026-11-25.csv"
    export.write_bytes(_excel_export())
    caplog.set_level(logging.INFO, logger="nayose.progress")
    _run(project, "2026-11-25")
    # blank rows are no rows: counted once on the progress line, not quarantined
    assert "[ingest] pos: exports/pos_2026-11-25.csv: 14 rows (5 blank row(s) skipped)" in caplog.messages
    assert _quarantine(project) == [
        (16, "1.20E+4", "source_record_id_not_scientific", "rejected"),
        (17, "合計", "not_a_total_row", "rejected"),  # rows as the file numbers them, blank ones counted
    ]
    assert any("1 total or footer row(s) quarantined" in m for m in caplog.messages)
    crosswalk = pl.read_parquet(ProjectPaths.of(project).crosswalk)
    assert crosswalk.height == 12 and {"合計", "1.20E+4"}.isdisjoint(crosswalk["source_record_id"].to_list())

    caplog.clear()
    (project / "exports" / "pos_2026-11-26_resend.csv").write_bytes(export.read_bytes())
    _run(project, "2026-11-26")
    assert "[ingest] pos: 0 new file(s)" in caplog.messages
    assert (
        "[ingest] pos: exports/pos_2026-11-26_resend.csv: same content as exports/pos_2026-11-25.csv "
        "ingested on 2026-11-25, skipped"
    ) in caplog.messages


def _pandas_parquet(path: Path, ids: list, phones: list) -> None:
    """A member export as pandas writes it: integer columns with a gap stored as floats."""
    pl.DataFrame(
        {
            "member_id": ids,
            "name": [name for name, _ in PEOPLE],
            "dob": [float(dob.replace("/", "")) for _, dob in PEOPLE],  # 19800301.0
            "sex": [1.0, 2.0, 1.0, 1.0, 2.0, None],
            "tel": phones,
        }
    ).write_parquet(path)


def test_a_float_id_and_the_same_id_as_an_integer_are_one_record(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "exports").mkdir(parents=True)
    (project / "nayose.yaml").write_text(
        "project: floats\ntimezone: Asia/Tokyo\nsources:\n  - name: shop\n    path: exports/shop_*.parquet\n"
        "    format: parquet\n    id: member_id\n    country: JP\n"
        "    fields: {full_name: name, birth_date: dob, gender: sex, phone: tel}\n",
        encoding="utf-8",
    )
    phones = [9011111000.0 + i for i in range(1, 6)] + [None]  # the leading zero lost too
    _pandas_parquet(project / "exports" / "shop_2026-11-25.parquet", [float(i) for i in range(1, 7)], phones)
    _run(project, "2026-11-25")
    paths = ProjectPaths.of(project)
    first = pl.read_parquet(paths.crosswalk).select("source_record_id", "golden_id").sort("source_record_id")
    assert first["source_record_id"].to_list() == ["1", "2", "3", "4", "5", "6"]
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    read = con.execute("SELECT std_birth_date, std_gender, std_phone FROM records ORDER BY record_key").fetchall()
    con.close()
    assert read[0] == (date(1980, 3, 1), "M", "+819011111001")

    # the next night's export holds the ids as integers, one phone changed: a re-delivery, not a new customer
    _pandas_parquet(project / "exports" / "shop_2026-11-26.parquet", list(range(1, 7)), [*phones[:5], 9033334444.0])
    _run(project, "2026-11-26")
    second = pl.read_parquet(paths.crosswalk).select("source_record_id", "golden_id").sort("source_record_id")
    assert second.equals(first)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    assert con.execute("SELECT count(*), count(*) FILTER (std_phone = '+819033334444') FROM records").fetchall() == [(6, 1)]
    con.close()


def test_every_source_that_fails_its_blocking_check_is_named(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "exports").mkdir(parents=True)
    config = "project: two\nsources:\n" + "".join(
        f"  - name: {name}\n    path: exports/{name}_*.csv\n    format: csv\n    id: id\n    fields: {{email: mail}}\n"
        for name in ("crm", "shop")
    )
    (project / "nayose.yaml").write_text(config, encoding="utf-8")
    for name in ("crm", "shop"):  # both lack the mapped column
        (project / "exports" / f"{name}_2026-11-25.csv").write_text("id,email_address\n1,taro@example.jp\n", encoding="utf-8")
    with pytest.raises(CliError) as failure:
        _run(project, "2026-11-25")
    reason = str(failure.value)
    assert reason.startswith("2 blocking checks failed: ")
    assert "crm_exports" in reason and "exports/crm_2026-11-25.csv" in reason
    assert "shop_exports" in reason and "exports/shop_2026-11-25.csv" in reason
    assert "taro" not in reason
