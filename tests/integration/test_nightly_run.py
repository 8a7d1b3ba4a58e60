"""The nightly run, end to end, in-process through Dagster on a tiny project."""

from __future__ import annotations

import gc
import json
import logging
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines import cli
from pipelines.cli import CliError, execute_nightly
from resolution.standardization.issues import DATED_ISSUES
from tests.conftest import assert_warehouse_holds_published
from warehouse import ProjectPaths, Staging, read_table, table_copies
from warehouse.table_copies import copies_directory


def _run(project: Path, partition: str = "2026-11-25", **kw) -> dict:
    with dg.DagsterInstance.ephemeral() as instance:
        return execute_nightly(ProjectPaths.of(project), partition, instance=instance, **kw)


def test_whole_graph_writes_contract_outputs(tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assets.quality

    groundwork_threads = []
    groundwork = assets.quality.quality_groundwork

    def observed_groundwork(*args, **kwargs):
        groundwork_threads.append(threading.current_thread().name)
        return groundwork(*args, **kwargs)

    monkeypatch.setattr(assets.quality, "quality_groundwork", observed_groundwork)
    summary = _run(tiny_project)
    # the quality stage's groundwork ran once, beside the resolve and golden stages
    assert len(groundwork_threads) == 1 and groundwork_threads[0].startswith("nayose-ahead")
    paths = ProjectPaths.of(tiny_project)
    for path in (paths.golden_records, paths.crosswalk, paths.warehouse,
                 paths.reports / "quality_report.json", paths.reports / "quality_report.html"):
        assert path.exists(), path
    golden = pl.read_parquet(paths.golden_records)
    assert golden.columns[0] == "golden_id"
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert {"source_system", "source_record_id", "golden_id"} <= set(crosswalk.columns)
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    assert {"quarantine", "review_queue", "quality_scores", "identity_events", "audit_log", "golden_records", "crosswalk"} <= tables
    quarantined = pl.from_arrow(con.sql("SELECT DISTINCT source_system, source_record_id, reason FROM quarantine WHERE disposition = 'rejected'").to_arrow_table())
    con.close()
    # Every source record is in the crosswalk or rejected to quarantine with a reason.
    crm_ids, pos_ids, shop_ids = {"1", "2", "3", "4", "5"}, {"P1", "P2"}, {"A1", "A2", "A3", "A4"}
    seen = {(r["source_system"], r["source_record_id"]) for r in crosswalk.iter_rows(named=True)}
    seen |= {(r["source_system"], r["source_record_id"]) for r in quarantined.iter_rows(named=True)}
    expected = {("crm", i) for i in crm_ids} | {("pos", i) for i in pos_ids} | {("shop", i) for i in shop_ids}
    assert expected <= seen
    assert quarantined.filter(pl.col("source_record_id") == "5")["reason"].str.len_chars().min() > 10
    # The same person across three systems, three encodings, wareki and full-width digits: one golden record.
    taro = crosswalk.filter(pl.col("source_record_id").is_in(["1", "P1", "A1"]))
    assert taro["golden_id"].n_unique() == 1
    assert summary["golden_records"] == golden.height
    assert gc.get_freeze_count() == 0  # what the run froze is collectable again for a caller that goes on


def test_the_collector_waits_while_the_run_loads_and_runs_with_it_but_through_an_incremental_night(
    tiny_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines import project_definitions
    from warehouse import staging

    seen: dict[str, bool] = {}
    build_definitions, deferred_writes = project_definitions.build_definitions, staging.deferred_writes

    def observed_build(project_dir: Path):
        seen["loading definitions"] = gc.isenabled()
        return build_definitions(project_dir)

    def observed_writes():
        seen["running"] = gc.isenabled()
        return deferred_writes()

    monkeypatch.setattr(project_definitions, "build_definitions", observed_build)
    monkeypatch.setattr(staging, "deferred_writes", observed_writes)
    _run(tiny_project)  # the first run builds the base
    assert seen == {"loading definitions": False, "running": True}
    assert gc.isenabled()
    _run(tiny_project)  # a night on the published base
    assert seen == {"loading definitions": False, "running": False}
    assert gc.isenabled()
    _run(tiny_project, full=True)
    assert seen == {"loading definitions": False, "running": True}
    with pytest.raises(CliError):  # a refused date turns it back on too
        _run(tiny_project, "2999-01-01")
    assert gc.isenabled()


def test_command_exits_with_mains_code_and_skips_tracing_at_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.entry()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_rerun_changes_no_golden_id(tiny_project: Path) -> None:
    _run(tiny_project)
    paths = ProjectPaths.of(tiny_project)
    first = pl.read_parquet(paths.crosswalk)
    _run(tiny_project, "2026-11-26")
    second = pl.read_parquet(paths.crosswalk)
    assert first.sort("source_system", "source_record_id").equals(second.sort("source_system", "source_record_id"))
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    events = con.execute("SELECT run_id, count(*) FROM identity_events GROUP BY run_id").fetchall()
    runs = con.execute("SELECT count(*) FROM runs").fetchall()[0][0]
    con.close()
    assert runs == 2 and len(events) == 1  # only the first run created ids


def test_missing_mapped_column_fails_blocking_check_and_keeps_outputs(tiny_project: Path) -> None:
    _run(tiny_project)
    paths = ProjectPaths.of(tiny_project)
    before = paths.golden_records.read_bytes(), paths.warehouse.read_bytes()
    bad = "cust_id,last,first,dob,mail,tel,zip,addr\n9,田中,次郎,19600101,jiro@example.com,,,\n"
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(CliError) as failure:
        _run(tiny_project, "2026-11-26")
    message = str(failure.value)
    assert "crm_2026-11-26.csv" in message and "kana_last" in message and "export_quality" in message
    assert "田中" not in message
    assert (paths.golden_records.read_bytes(), paths.warehouse.read_bytes()) == before


def test_cli_reports_config_errors_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "nayose.yaml").write_text("sources:\n  - name: crm\n    path: x.csv\n    format: xlsx\n    id: id\n    fields: {email: e}\n")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--project", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "sources[crm].format" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("day", ["2999-01-01", "2019-12-31"])
def test_a_date_without_a_partition_is_refused_in_one_line_before_anything_runs(tmp_path: Path, day: str) -> None:
    (tmp_path / "nayose.yaml").write_text("sources:\n  - name: crm\n    path: x.csv\n    format: csv\n    id: id\n    fields: {email: e}\n")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--project", str(tmp_path), "--date", day],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith(f"nayose run failed: --date {day} has no nightly partition")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data").exists()


def test_source_deletions_retire_golden_records(tiny_project: Path) -> None:
    config = (tiny_project / "nayose.yaml").read_text()
    config = config.replace(
        "    id: member_id\n", "    id: member_id\n    deleted_when: \"status = 'deleted'\"\n"
    ).replace("    id: cust_id\n", "    id: cust_id\n    delivery: snapshot\n")
    (tiny_project / "nayose.yaml").write_text(config)
    import json as _json

    shop = (tiny_project / "exports" / "shop_2026-11-25.jsonl")
    rows = [_json.loads(line) | {"status": "active"} for line in shop.read_text().splitlines()]
    shop.write_text("\n".join(_json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    _run(tiny_project)
    paths = ProjectPaths.of(tiny_project)
    before = pl.read_parquet(paths.crosswalk)
    suzuki = before.filter(pl.col("source_record_id") == "3")["golden_id"].item()  # only record of its person
    # day 2: the shop deletes A4 (tombstone); the CRM snapshot no longer has customer 3
    (tiny_project / "exports" / "shop_2026-11-26.jsonl").write_text(
        _json.dumps({"member_id": "A4", "name": None, "dob": None, "email": None, "tel": None, "status": "deleted"}) + "\n"
    )
    crm_lines = (tiny_project / "exports" / "crm_2026-11-25.csv").read_text().splitlines()
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text("\n".join(l for l in crm_lines if not l.startswith("3,")) + "\n")
    _run(tiny_project, "2026-11-26")
    after = pl.read_parquet(paths.crosswalk)
    gone = {("shop", "A4"), ("crm", "3")}
    assert not {(r["source_system"], r["source_record_id"]) for r in after.iter_rows(named=True)} & gone
    assert_warehouse_holds_published(paths)  # the retired id's rows left the patched tables too
    con = duckdb.connect(str(paths.warehouse), read_only=True)
    retired = {r[0] for r in con.execute("SELECT golden_id FROM identity_events WHERE event_type = 'retired'").fetchall()}
    con.close()
    assert suzuki in retired
    # the CRM snapshot re-delivered its other records as they were: their entities stay untouched
    runs = read_table(paths.warehouse, "runs").sort("finished_at")
    crm_entities = before.filter((pl.col("source_system") == "crm") & (pl.col("source_record_id") != "3"))["golden_id"]
    touched_by_shop = before.filter(pl.col("source_record_id") == "A4")["golden_id"]
    assert runs["untouched_entities"][-1] == before["golden_id"].n_unique() - 2  # all but suzuki's and A4's
    assert set(crm_entities) - set(touched_by_shop) <= set(after["golden_id"])
    # a --full rebuild re-reads day 1's files too: the deleted records stay deleted, and the earlier versions of
    # re-delivered records are replaced, not quarantined as duplicates
    _run(tiny_project, "2026-11-26", full=True)
    assert pl.read_parquet(paths.crosswalk).sort("record_key").equals(after.sort("record_key"))
    quarantine = read_table(paths.warehouse, "quarantine")
    assert quarantine.filter(pl.col("rule") == "duplicate_source_record_id").is_empty()


DAY2_CRM = (
    "cust_id,last,first,kana_last,kana_first,dob,mail,tel,zip,addr\n"
    "6,山田,太郎,ヤマダ,タロウ,19800301,taro.new@example.com,090-1234-5678,100-0001,東京都千代田区千代田1-2-3\n"
    "2,佐藤,花子,サトウ,ハナコ,19750512,hanako@example.jp,03-1234-5678,150-0001,東京都渋谷区神宮前5-5-5\n"
)
"""A second day of the tiny project's CRM: one new record (crm:6, the same person as crm:1), one changed (crm:2)."""


def _sorted_table(paths: ProjectPaths, table: str) -> pl.DataFrame:
    rows = read_table(paths.warehouse, table)
    return rows.sort(rows.columns, nulls_last=True)


def test_patched_pairs_and_issues_are_the_whole_tables(tiny_project: Path, tmp_path: Path, monkeypatch) -> None:
    """An incremental night patches match_pairs (by left record) and
    standardization_issues (by record) into the warehouse: the tables equal
    those the same night gives when it publishes them whole."""
    monkeypatch.setattr(table_copies, "COMPACT_SHARE", 1.0)  # a tiny project: keep each night's patch as a part
    config = tiny_project / "nayose.yaml"
    deletions = "    id: member_id\n    deleted_when: \"status = 'deleted'\"\n"
    config.write_text(config.read_text().replace("    id: member_id\n", deletions))
    shop = tiny_project / "exports" / "shop_2026-11-25.jsonl"
    rows = [json.loads(line) | {"status": "active"} for line in shop.read_text().splitlines()]
    rows[3]["dob"] = "03/04/1970"  # A4 has an issue: day or month first?
    shop.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    _run(tiny_project)
    first = {t: _sorted_table(ProjectPaths.of(tiny_project), t) for t in ("match_pairs", "standardization_issues")}
    assert "shop:A4" in set(first["standardization_issues"]["record_key"])
    crm2_pairs = first["match_pairs"].filter(pl.col("record_key_l") == "crm:2")
    assert crm2_pairs.select("record_key_l", "record_key_r").rows() == [("crm:2", "shop:A2")]
    whole_project = tmp_path / "whole"
    shutil.copytree(tiny_project, whole_project, symlinks=True)
    # day 2: crm:6 new (crm:1's person), crm:2 now someone else (its pair with shop:A2 goes), crm:7 with
    # issues; the shop deletes A4 (its issues go)
    crm = DAY2_CRM.replace(
        "2,佐藤,花子,サトウ,ハナコ,19750512,hanako@example.jp,03-1234-5678,150-0001,東京都渋谷区神宮前5-5-5",
        "2,伊藤,誠,イトウ,マコト,19620815,makoto@example.org,06-9876-5432,530-0001,大阪府大阪市北区梅田2-2-2",
    )
    crm += "7,田中,一郎,タナカ,イチロウ,03/04/1990,ichiro@example.jp,,,\n"
    tombstone = json.dumps(
        {"member_id": "A4", "name": None, "dob": None, "email": None, "tel": None, "status": "deleted"}
    )
    tables = ("match_pairs", "standardization_issues")
    patched = {}
    for project, patching in ((tiny_project, True), (whole_project, False)):
        (project / "exports" / "crm_2026-11-26.csv").write_text(crm, encoding="utf-8")
        (project / "exports" / "shop_2026-11-26.jsonl").write_text(tombstone + "\n", encoding="utf-8")
        if not patching:  # the patches are not staged: the night publishes the whole frames
            write_patch = Staging.write_patch
            monkeypatch.setattr(
                Staging, "write_patch", lambda self, t, p, w=write_patch: w(self, t, None if t in tables else p)
            )
        _run(project, "2026-11-26")
        paths = ProjectPaths.of(project)
        parts = json.loads((copies_directory(paths.warehouse) / "manifest.json").read_text())["tables"]
        assert len(parts["match_pairs"]["parts"]) == (2 if patching else 1)
        patched[patching] = {t: _sorted_table(paths, t) for t in tables}
        assert_warehouse_holds_published(paths)
    for table in tables:
        assert patched[True][table].height and patched[True][table].equals(patched[False][table]), table
    issues, pairs = patched[True]["standardization_issues"], patched[True]["match_pairs"]
    assert {"crm:7", "crm:2", "shop:A4"} & set(issues["record_key"]) == {"crm:7"}
    assert "crm:2" not in set(pairs["record_key_l"]) | set(pairs["record_key_r"])


def test_a_snapshot_night_standardizes_only_what_changed_and_agrees_with_a_full_run(
    tiny_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A snapshot source re-delivers every record: those unchanged keep their
    standardized columns from the base instead of being standardized again,
    and the base comes out as a --full run builds it."""
    config = tiny_project / "nayose.yaml"
    config.write_text(config.read_text().replace("    id: cust_id\n", "    id: cust_id\n    delivery: snapshot\n"))
    crm = tiny_project / "exports" / "crm_2026-11-25.csv"
    crm.write_text(crm.read_text(encoding="utf-8").replace(",19900101,", ",19901301,"), encoding="utf-8")
    _run(tiny_project)
    paths = ProjectPaths.of(tiny_project)
    issues = read_table(paths.warehouse, "standardization_issues")
    dated = set(issues.filter(pl.col("issue_code").is_in(DATED_ISSUES))["record_key"])
    day1 = (tiny_project / "exports" / "crm_2026-11-25.csv").read_text(encoding="utf-8").splitlines()
    day2 = [line.replace("hanako@example.jp", "hanako@example.org") for line in day1]  # crm:2 changed
    day2.append("6,山田,太郎,ヤマダ,タロウ,19800301,taro.new@example.com,090-1234-5678,100-0001,東京都千代田区千代田1-2-3")
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text("\n".join(day2) + "\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="nayose.progress"):
        _run(tiny_project, "2026-11-26")
    unchanged = {"crm:1", "crm:3", "crm:4", "crm:5"} & set(read_table(paths.warehouse, "records")["record_key"])
    carried = len(unchanged - dated)
    assert carried >= 2 and "crm:3" in unchanged - dated & set(issues["record_key"]), (unchanged, dated)  # its issue too
    line = next(r.getMessage() for r in caplog.records if r.getMessage().startswith("[standardize]"))
    assert f"({carried} re-delivered unchanged: standardized before)" in line, line
    incremental = _sorted_table(paths, "records")
    incremental_issues = read_table(paths.warehouse, "standardization_issues").sort(pl.all())
    assert set(incremental.filter(pl.col("source_system") == "crm")["source_file"]) == {"exports/crm_2026-11-26.csv"}
    assert_warehouse_holds_published(paths)  # the moved deliveries were set in place, the copies patched whole
    _run(tiny_project, "2026-11-26", full=True)  # standardizes every record of the newest snapshot again
    assert incremental.equals(_sorted_table(paths, "records"))
    assert incremental_issues.equals(read_table(paths.warehouse, "standardization_issues").sort(pl.all()))


@pytest.mark.parametrize("lineage_file", ["as_published", "reordered"])
def test_full_rebuild_agrees_with_incremental_state(tiny_project: Path, lineage_file: str, monkeypatch) -> None:
    monkeypatch.setattr(table_copies, "COMPACT_SHARE", 1.0)  # a tiny project: keep each night's patch as a part
    _run(tiny_project)
    if lineage_file == "reordered":  # not in golden-id order: the night exports the table instead of patching the file
        lineage = ProjectPaths.of(tiny_project).golden_lineage
        pl.read_parquet(lineage).reverse().write_parquet(lineage)
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(DAY2_CRM, encoding="utf-8")
    _run(tiny_project, "2026-11-26")  # incremental: one new record, one changed
    paths = ProjectPaths.of(tiny_project)
    incremental = pl.read_parquet(paths.crosswalk).sort("record_key")
    incremental_golden = pl.read_parquet(paths.golden_records)
    incremental_lineage = pl.read_parquet(paths.golden_lineage)
    assert_warehouse_holds_published(paths)
    copies = json.loads((copies_directory(paths.warehouse) / "manifest.json").read_text())["tables"]
    records = copies["records"]
    assert [part["n"] for part in records["parts"]] == [records["rows"] - 1, 2]  # patched: the two arrivals, one replacing
    assert len(copies["golden_records"]["parts"]) == len(copies["crosswalk"]["parts"]) == 2  # patched by golden id
    assert len(copies["match_pairs"]["parts"]) == 2  # patched by left record
    _run(tiny_project, "2026-11-26", full=True)
    full = pl.read_parquet(paths.crosswalk).sort("record_key")
    assert incremental.equals(full)
    # only the touched golden records were rebuilt incrementally, yet all agree with a full rebuild
    assert incremental_golden.equals(pl.read_parquet(paths.golden_records).select(incremental_golden.columns))
    assert incremental_lineage.equals(pl.read_parquet(paths.golden_lineage))
    assert incremental.filter(pl.col("record_key").is_in(["crm:1", "crm:6"]))["golden_id"].n_unique() == 1


def test_config_changes_are_audited_once(tiny_project: Path) -> None:
    _run(tiny_project)
    _run(tiny_project, "2026-11-26")  # same config: no new entry
    config = tiny_project / "nayose.yaml"
    config.write_text(config.read_text().replace("project: tiny", "project: tiny-renamed"))
    _run(tiny_project, "2026-11-24")
    con = duckdb.connect(str(ProjectPaths.of(tiny_project).warehouse), read_only=True)
    changes = con.execute("SELECT details FROM audit_log WHERE action = 'config_change' ORDER BY seq").fetchall()
    con.close()
    assert len(changes) == 2  # the first version, then the edit


def test_a_second_run_of_a_project_is_refused_at_once(tiny_project: Path, capsys) -> None:
    from warehouse.locking import run_lock

    paths = ProjectPaths.of(tiny_project)
    with run_lock(paths.warehouse):  # a run under way
        code = cli.main(["run", "--project", str(tiny_project), "--date", "2026-11-25"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "another nayose run of this project is under way" in err[0]
    assert not paths.golden_records.exists()  # refused before any stage ran


def test_a_failed_step_names_nayoses_own_errors_without_their_class_path() -> None:
    line = "governance.pseudonymization.PseudonymKeyMissing: NAYOSE_PSEUDONYM_KEY is not set"
    assert cli._without_our_class_path(line) == "NAYOSE_PSEUDONYM_KEY is not set"
    assert cli._without_our_class_path("ValueError: bad value") == "ValueError: bad value"
    assert cli._without_our_class_path("duckdb.duckdb.IOException: disk full") == "duckdb.duckdb.IOException: disk full"


def test_a_source_whose_path_matches_no_file_is_said_so(tiny_project: Path, caplog) -> None:
    config = tiny_project / "nayose.yaml"
    config.write_text(config.read_text().replace("path: exports/pos_*.csv", "path: exports/postypo_*.csv"))
    with caplog.at_level(logging.INFO, logger="nayose.progress"):
        _run(tiny_project)
    assert "[ingest] pos: no file matches `exports/postypo_*.csv` (check its `path` in nayose.yaml)" in caplog.text
    assert "[ingest] crm: 1 new file(s)" in caplog.text


def test_an_empty_newest_snapshot_is_refused_and_keeps_outputs(tiny_project: Path) -> None:
    config = tiny_project / "nayose.yaml"
    config.write_text(config.read_text().replace("    id: cust_id\n", "    id: cust_id\n    delivery: snapshot\n"))
    _run(tiny_project)
    paths = ProjectPaths.of(tiny_project)
    before = paths.golden_records.read_bytes(), paths.warehouse.read_bytes()
    header = (tiny_project / "exports" / "crm_2026-11-25.csv").read_text(encoding="utf-8").splitlines()[0]
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(header + "\n", encoding="utf-8")  # a failed export
    with pytest.raises(CliError) as failure:
        _run(tiny_project, "2026-11-26")
    message = str(failure.value)
    assert "crm_2026-11-26.csv: the newest snapshot of 'crm' holds no rows" in message and "export_quality" in message
    assert (paths.golden_records.read_bytes(), paths.warehouse.read_bytes()) == before


def test_a_night_after_the_pair_rules_changed_scores_every_pair_once(
    tiny_project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Pairs kept from a night scored under other rules (households, identifiers)
    were never filtered by today's: the next night scores them all again, and
    the one after is incremental again."""
    import assets.resolution

    caplog.set_level(logging.INFO, logger="nayose.progress")
    _run(tiny_project)
    monkeypatch.setattr(assets.resolution, "PAIR_RULES", "a rule added since")
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(DAY2_CRM, encoding="utf-8")
    caplog.clear()
    _run(tiny_project, "2026-11-26")
    resolve = [r.getMessage() for r in caplog.records if r.getMessage().startswith("[resolve]")]
    assert resolve and "full: every record scored (the rules that keep pairs apart changed" in resolve[-1]
    runs = read_table(ProjectPaths.of(tiny_project).warehouse, "runs").sort("finished_at")
    assert runs["pair_rules"].to_list()[-1] == "a rule added since"
    caplog.clear()
    _run(tiny_project, "2026-11-26")
    resolve = [r.getMessage() for r in caplog.records if r.getMessage().startswith("[resolve]")]
    assert resolve and resolve[-1].startswith("[resolve] incremental")


def test_a_base_standardized_by_earlier_rules_asks_for_a_full_run_until_it_has_one(
    tiny_project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Records standardized by older rules may not meet new records in the same
    forms. The night after an upgrade does not rebuild on its own (a --full run
    re-reads the exports, and pruned ones would take their customers with
    them): every night says a --full run is due, until one has run."""
    import resolution.standardization

    caplog.set_level(logging.INFO, logger="nayose.progress")
    _run(tiny_project)
    monkeypatch.setattr(resolution.standardization, "STANDARDIZATION_VERSION", "rules of a newer nayose")
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(DAY2_CRM, encoding="utf-8")

    def night(**kw) -> tuple[dict, list[str]]:
        caplog.clear()
        summary = _run(tiny_project, "2026-11-26", **kw)
        return summary, [r.getMessage() for r in caplog.records if "standardized by an earlier version" in r.getMessage()]

    summary, warned = night()
    assert warned and "nayose run --full" in warned[0] and summary["full_rebuild"] is False
    previous = summary["standardization"]
    assert previous != "rules of a newer nayose"
    summary, warned = night()  # still due: the base was not rebuilt
    assert warned and summary["standardization"] == previous
    summary, warned = night(full=True)
    assert not warned and summary["standardization"].startswith("rules of a newer nayose@")
    summary, warned = night()
    assert not warned and summary["standardization"].startswith("rules of a newer nayose@")


def test_a_base_standardized_in_another_time_zone_asks_for_a_full_run(
    tiny_project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The project's zone reads timestamps written with an offset: records
    standardized before the project named another zone may not meet new ones
    in the same forms, as after an upgrade. The night says so, naming both
    zones, and no longer once a --full run has rebuilt the base."""
    caplog.set_level(logging.INFO, logger="nayose.progress")
    summary = _run(tiny_project)
    zone = summary["standardization"].partition("@")[2]
    assert zone
    config = tiny_project / "nayose.yaml"
    text = config.read_text(encoding="utf-8")
    other = "Pacific/Auckland" if zone != "Pacific/Auckland" else "Europe/Berlin"
    lines = [line for line in text.splitlines() if not line.startswith("timezone:")]
    config.write_text("\n".join([f"timezone: {other}", *lines]) + "\n", encoding="utf-8")
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(DAY2_CRM, encoding="utf-8")

    def night(**kw) -> tuple[dict, list[str]]:
        caplog.clear()
        summary = _run(tiny_project, "2026-11-26", **kw)
        return summary, [r.getMessage() for r in caplog.records if "in another time zone" in r.getMessage()]

    summary, warned = night()
    assert warned and f"({zone}) than the project's ({other})" in warned[0] and "nayose run --full" in warned[0]
    summary, warned = night(full=True)
    assert not warned and summary["standardization"].endswith(f"@{other}")


def test_a_full_run_without_an_export_ingested_before_is_refused(tiny_project: Path) -> None:
    """A project that prunes delivered exports: --full rebuilds from the files in
    place, so it would drop the pruned file's customers. It is refused, naming
    the file, and the outputs stay as they were; with the file back it runs."""
    _run(tiny_project)
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(DAY2_CRM, encoding="utf-8")
    _run(tiny_project, "2026-11-26")
    paths = ProjectPaths.of(tiny_project)
    before = paths.golden_records.read_bytes(), paths.crosswalk.read_bytes()
    pruned = tiny_project / "exports" / "crm_2026-11-25.csv"
    kept = pruned.read_bytes()
    pruned.unlink()
    with pytest.raises(CliError, match=r"--full rebuilds 'crm'.*1 file\(s\) ingested before are not there \(exports/crm_2026-11-25\.csv\)"):
        _run(tiny_project, "2026-11-26", full=True)
    assert (paths.golden_records.read_bytes(), paths.crosswalk.read_bytes()) == before
    pruned.write_bytes(kept)
    _run(tiny_project, "2026-11-26", full=True)
    assert pl.read_parquet(paths.crosswalk).filter(pl.col("source_system") == "crm").height >= 4
