"""After an erasure rewrites an export, the warehouse's rows of that file
carry the lineage a `--full` rebuild gives them (the rewritten file's hash,
rows renumbered): quarantine, id-less rows included, and records agree.
Generated people only."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import polars as pl

from governance.erasure import erase_person
from pipelines.cli import DEFAULT_DAGSTER_YAML, execute_nightly
from tests.conftest import run_nightly
from warehouse import ProjectPaths, read_table

HEADER = " cust_id , last , first ,kana_last,kana_first, dob ,mail, tel ,zip, addr\n"
DELIVERY = HEADER + (
    ",山田,太郎,ヤマダ,タロウ,19800301,taro@example.com,090-9999-0000,100-0001,東京都千代田区千代田1-2-3\n"  # Taro, no id
    "7,架空,一郎,カクウ,イチロウ,19700102,kakuu1@example.com,090-0000-1111,100-0001,東京都千代田区千代田1-1\n"
    ",架空,二郎,カクウ,ジロウ,19710203,kakuu2@example.com,090-0000-2222,100-0001,東京都千代田区千代田1-2\n"  # Jiro, no id
    "8,架空,三郎,カクウ,サブロウ,19720304,kakuu3@example.com,090-0000-3333,100-0001,東京都千代田区千代田1-3\n"
)


def _full_rebuild(project: Path, partition: str) -> None:
    paths = ProjectPaths.of(project)
    (paths.dagster_home / "dagster.yaml").write_text(DEFAULT_DAGSTER_YAML)
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        execute_nightly(paths, partition, full=True, instance=instance)


def _lineage(project: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    warehouse = ProjectPaths.of(project).warehouse
    quarantine = read_table(warehouse, "quarantine").drop("reason").sort(pl.all(), nulls_last=True)
    records = read_table(warehouse, "records").select("record_key", "source_file", "source_row", "file_hash").sort("record_key")
    return quarantine, records


def test_after_an_erasure_a_full_rebuild_gives_the_same_quarantine_and_lineage(
    published_project: Path, pseudonym_key_env: bytes, tmp_path: Path
) -> None:
    paths = ProjectPaths.of(published_project)
    (published_project / "exports" / "crm_2026-11-26.csv").write_text(DELIVERY, encoding="utf-8")
    run_nightly(published_project, "2026-11-26")
    before = read_table(paths.warehouse, "quarantine").filter(pl.col("record_key").is_null())
    assert sorted(before["source_row"].to_list()) == [1, 3]  # Taro's and Jiro's id-less rows

    report = erase_person(paths, email="taro@example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.complete and "exports/crm_2026-11-26.csv" in report.exports_rewritten
    quarantine, records = _lineage(published_project)
    rewritten = quarantine.filter(pl.col("source_file") == "exports/crm_2026-11-26.csv")
    assert rewritten["source_row"].to_list() == [2]  # Jiro's row, after Taro's went
    assert {r["source_row"] for r in records.filter(pl.col("record_key").is_in(["crm:7", "crm:8"])).iter_rows(named=True)} == {1, 3}
    landing = sorted(p.stem for p in (paths.raw / "crm").glob("*.parquet"))
    assert set(rewritten["file_hash"]) <= set(landing)  # the landing copy moved to the rewritten file's hash

    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(published_project, rebuilt)
    _full_rebuild(rebuilt, "2026-11-26")
    full_quarantine, full_records = _lineage(rebuilt)
    assert quarantine.equals(full_quarantine, null_equal=True)
    assert records.equals(full_records)

    run_nightly(published_project, "2026-11-27")  # the next night takes nothing in again
    assert _lineage(published_project)[0].equals(quarantine, null_equal=True)
