"""Issue 6's journeys: broken values lower the validity score and land in
quarantine with reasons; a missing required column stops the run with the
file and column named; no golden record is lost either way."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.cli import CliError, execute_nightly
from warehouse import ProjectPaths

HEADER = "cust_id,last,first,kana_last,kana_first,dob,mail,tel,zip,addr"
PEOPLE = [
    ("山田", "太郎", "ヤマダ", "タロウ", "19800301"),
    ("佐藤", "花子", "サトウ", "ハナコ", "19750512"),
    ("鈴木", "一郎", "スズキ", "イチロウ", "19900101"),
    ("高橋", "健", "タカハシ", "ケン", "19700707"),
    ("田中", "美咲", "タナカ", "ミサキ", "19881120"),
    ("伊藤", "大輔", "イトウ", "ダイスケ", "19820214"),
]
CONFIG = """\
project: gates
sources:
  - name: crm
    path: exports/crm_*.csv
    format: csv
    id: cust_id
    required_fields: [email]
    fields: {family_name: last, given_name: first, family_name_kana: kana_last, given_name_kana: kana_first,
             birth_date: dob, email: mail, phone: tel, postal_code: zip, address_line: addr}
"""


def _export(broken_every: int | None, id_offset: int = 0) -> str:
    rows = [HEADER]
    for i, (fam, giv, fk, gk, dob) in enumerate(PEOPLE, start=1):
        record_id = i + id_offset
        email = f"user{i}@example.com"
        if broken_every and i % broken_every == 0:
            email = f"user{i} at example dot com"
        rows.append(f"{record_id},{fam},{giv},{fk},{gk},{dob},{email},090-1111-{1000 + i},100-000{i},東京都千代田区千代田{i}-1-1")
    return "\n".join(rows) + "\n"


def _project(root: Path, broken_every: int | None, *, email_required: bool = False) -> Path:
    (root / "exports").mkdir(parents=True)
    config = CONFIG if email_required else CONFIG.replace("    required_fields: [email]\n", "")
    (root / "nayose.yaml").write_text(config, encoding="utf-8")
    (root / "exports" / "crm_2026-11-25.csv").write_text(_export(broken_every), encoding="utf-8")
    # the same people signed up twice (duplicates give the model pairs to learn from)
    (root / "exports" / "crm_2026-11-25b.csv").write_text(_export(None, id_offset=100), encoding="utf-8")
    return root


def _run(project: Path, partition: str = "2026-11-25") -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(ProjectPaths.of(project), partition, instance=instance)


def _validity(project: Path) -> float:
    report = json.loads((ProjectPaths.of(project).reports / "quality_report.json").read_text())
    return next(d["score"] for d in report["by_dimension"] if d["dimension"] == "validity" and d.get("source_system", "*") == "*")


def test_broken_emails_lower_validity_and_are_quarantined_with_reasons(tmp_path: Path) -> None:
    clean, broken = _project(tmp_path / "clean", None), _project(tmp_path / "broken", 3)
    _run(clean)
    _run(broken)
    assert _validity(broken) < _validity(clean)
    con = duckdb.connect(str(ProjectPaths.of(broken).warehouse), read_only=True)
    rows = pl.from_arrow(con.sql("SELECT source_record_id, field, reason, disposition FROM quarantine").to_arrow_table())
    con.close()
    emails = rows.filter(pl.col("field") == "email")
    assert sorted(emails["source_record_id"].to_list()) == ["3", "6"]
    assert set(emails["disposition"].to_list()) == {"field_nulled"}
    assert all(len(r) > 20 and "example" not in r for r in emails["reason"].to_list())
    # the people are kept (field cleared), so no golden record is lost
    assert pl.read_parquet(ProjectPaths.of(broken).golden_records).height == len(PEOPLE)


def test_missing_required_column_fails_the_run_naming_file_and_column(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", None, email_required=True)
    _run(project)
    golden_before = ProjectPaths.of(project).golden_records.read_bytes()
    no_email = "\n".join(",".join(c for j, c in enumerate(line.split(",")) if j != 6) for line in _export(None).splitlines())
    (project / "exports" / "crm_2026-11-26.csv").write_text(no_email + "\n", encoding="utf-8")
    with pytest.raises(CliError) as failure:
        _run(project, "2026-11-26")
    assert "crm_2026-11-26.csv" in str(failure.value) and "'mail'" in str(failure.value)
    assert ProjectPaths.of(project).golden_records.read_bytes() == golden_before


def test_quarantined_rows_are_readmitted_when_a_corrected_file_arrives(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", None)
    bad = _export(None).replace("2,佐藤,花子,サトウ,ハナコ", "2,,,,")  # record 2 arrives without a name
    bad = bad.replace("user2@example.com", "").replace("090-1111-1002", "")  # and nothing else to identify it
    (project / "exports" / "crm_2026-11-25.csv").write_text(bad, encoding="utf-8")
    _run(project)
    paths = ProjectPaths.of(project)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    rejected = {r[0] for r in con.execute("SELECT source_record_id FROM quarantine WHERE disposition = 'rejected'").fetchall()}
    con.close()
    assert "2" in rejected
    (project / "exports" / "crm_2026-11-26.csv").write_text(_export(None), encoding="utf-8")  # the corrected file
    _run(project, "2026-11-26")
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    still = {r[0] for r in con.execute("SELECT source_record_id FROM quarantine WHERE source_system = 'crm'").fetchall()}
    con.close()
    assert "2" not in still
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert "2" in crosswalk.filter(pl.col("source_system") == "crm")["source_record_id"].to_list()


def test_a_small_delivery_of_distinct_people_keeps_them_apart(tmp_path: Path) -> None:
    root = tmp_path / "distinct"
    (root / "exports").mkdir(parents=True)
    (root / "nayose.yaml").write_text(CONFIG.replace("    required_fields: [email]\n", ""), encoding="utf-8")
    rows = [HEADER] + [
        f"{i},{fam},{giv},{fk},{gk},{dob},user{i}@example.com,090-1111-{1000 + i},100-0001,東京都千代田区千代田{i}-1-1"
        for i, (fam, giv, fk, gk, dob) in enumerate(PEOPLE, start=1)
    ]  # nobody twice, all in one postal code: no pairs to learn from
    (root / "exports" / "crm_2026-11-25.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    _run(root)
    assert pl.read_parquet(ProjectPaths.of(root).golden_records).height == len(PEOPLE)


def _quarantined(project: Path) -> list[tuple]:
    con = duckdb.connect(str(ProjectPaths.of(project).warehouse), read_only=True)
    rows = con.execute(
        "SELECT source_file, source_row, rule, disposition, reason FROM quarantine ORDER BY source_file, source_row, rule"
    ).fetchall()
    con.close()
    return rows


def test_a_row_without_an_id_stays_quarantined_until_its_file_is_delivered_corrected(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", None)
    export = project / "exports" / "crm_2026-11-25.csv"
    corrected = export.read_text(encoding="utf-8")
    export.write_text(corrected.replace("\n2,佐藤,", "\n,佐藤,"), encoding="utf-8")  # row 2 arrives without its id
    _run(project)
    reason = "the id column 'cust_id' is empty or missing, so the row cannot be tied to a record; the record was excluded"
    no_id = [("exports/crm_2026-11-25.csv", 2, "source_record_id_present", "rejected", reason)]
    assert _quarantined(project) == no_id  # one row: the key missing with the id is no broken structure
    _run(project)  # the same partition again
    assert _quarantined(project) == no_id
    (project / "exports" / "crm_2026-11-26.csv").write_text(_export(None, id_offset=200), encoding="utf-8")
    _run(project, "2026-11-26")  # the next day, other files
    assert _quarantined(project) == no_id
    export.write_text(corrected, encoding="utf-8")  # the file again, corrected
    _run(project, "2026-11-27")
    assert _quarantined(project) == []
    crosswalk = pl.read_parquet(ProjectPaths.of(project).crosswalk)
    assert "2" in crosswalk.filter(pl.col("source_system") == "crm")["source_record_id"].to_list()


def test_rows_without_an_id_count_one_each_against_the_rejection_threshold(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", None)
    config = project / "nayose.yaml"
    config.write_text(config.read_text().replace("    id: cust_id\n", "    id: cust_id\n    quality: {warn: 0.05, fail: 0.1}\n"))
    export = project / "exports" / "crm_2026-11-25.csv"
    export.write_text(export.read_text(encoding="utf-8").replace("\n2,", "\n,").replace("\n5,", "\n,"), encoding="utf-8")
    with pytest.raises(CliError, match="2 of 12 rows rejected"):
        _run(project)


def test_a_field_the_export_wrote_in_an_unread_form_is_warned_about_and_listed(tmp_path: Path, capsys) -> None:
    """Dates in a form no parser reads became null one by one, and the run
    passed quietly; now the run says which source lost which field."""
    from pipelines.cli import _print_summary

    project = _project(tmp_path / "p", None)
    config = project / "nayose.yaml"
    config.write_text(config.read_text().replace("    id: cust_id\n", "    id: cust_id\n    quality: {field_loss_min_values: 10}\n"))
    for export in (project / "exports").glob("*.csv"):
        unread = [line.replace(",19", ",Marz 19", 1) for line in export.read_text(encoding="utf-8").splitlines()]
        export.write_text("\n".join(unread) + "\n", encoding="utf-8")
    paths = ProjectPaths.of(project)
    with dg.DagsterInstance.ephemeral() as instance:
        summary = execute_nightly(paths, "2026-11-25", instance=instance)
        checks = [
            entry.dagster_event.event_specific_data
            for entry in instance.all_logs(summary["run_id"], of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
            if entry.dagster_event.event_specific_data.asset_check_key.name == "mapped_fields_kept"
        ]
    warning = summary["field_loss_warnings"]
    # the UI shows it as a warning on standardized_records; the run went on
    assert [(c.passed, c.severity, c.description) for c in checks] == [(False, dg.AssetCheckSeverity.WARN, warning)]
    assert warning.startswith("source 'crm': 12 of 12 birth_date values (100%) standardized to nothing (birth_date_unparseable 12)")
    assert "Marz" not in warning and "山田" not in warning
    report = json.loads((paths.reports / "quality_report.json").read_text())
    assert [(f["source_system"], f["field"], f["lost"]) for f in report["field_loss"]] == [("crm", "birth_date", 12)]
    _print_summary(summary, paths)
    assert f"  warning: {warning}" in capsys.readouterr().out
    # the next night's export is read: no warning
    (project / "exports" / "crm_2026-11-26.csv").write_text(_export(None, id_offset=300), encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        assert "field_loss_warnings" not in execute_nightly(paths, "2026-11-26", instance=instance)
    assert json.loads((paths.reports / "quality_report.json").read_text())["field_loss"] == []
