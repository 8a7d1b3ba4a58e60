"""The ingestion ledger is read from the warehouse once a run, and again when
the warehouse file changes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import assets.ingestion as ingestion
from assets.ingestion import LEDGER_SCHEMA, _ingestion_ledger
from nayose_config import SourceConfig
from pipelines.resources import NayoseProject
from warehouse import ProjectPaths, publish_warehouse


def _source(name: str) -> SourceConfig:
    return SourceConfig(name=name, path=f"exports/{name}_*.csv", format="csv", id="id", fields={"email": "mail"})


def _ledger(*files: tuple[str, str]) -> pl.DataFrame:
    rows = [
        {"source_system": s, "file_hash": h, "source_file": f"{s}.csv", "rows": 1, "partition": "2026-11-25",
         "file_size": 10, "file_mtime_ns": 1}
        for s, h in files
    ]
    return pl.DataFrame(rows, schema=LEDGER_SCHEMA)


def test_every_source_step_shares_one_read_until_the_warehouse_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = NayoseProject(project_dir=str(tmp_path))
    database = ProjectPaths.of(tmp_path).warehouse
    database.parent.mkdir(parents=True)
    publish_warehouse(database, replace={"ingested_files": _ledger(("crm", "a"), ("shop", "b"))}, append={})
    reads: list[str] = []
    read_table = ingestion.read_table
    monkeypatch.setattr(ingestion, "read_table", lambda db, table: reads.append(table) or read_table(db, table))

    assert _ingestion_ledger(project, _source("crm"))["file_hash"].to_list() == ["a"]
    assert _ingestion_ledger(project, _source("shop"))["file_hash"].to_list() == ["b"]
    assert reads == ["ingested_files"]  # the second source's step did not open the warehouse

    publish_warehouse(database, replace={}, append={"ingested_files": _ledger(("crm", "c"))})
    assert _ingestion_ledger(project, _source("crm"))["file_hash"].to_list() == ["a", "c"]
    assert reads == ["ingested_files", "ingested_files"]  # a new warehouse file is read again
