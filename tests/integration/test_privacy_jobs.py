"""The privacy officer's Dagster jobs: identifiers come from a request file, never run config."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from pipelines.cli import execute_nightly
from pipelines.project_definitions import build_definitions
from warehouse import ProjectPaths


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NAYOSE_PSEUDONYM_KEY", "test-key-not-for-production-0123456789")


def _job_config(op: str, **config) -> dict:
    return {"ops": {op: {"config": config}}, "resources": {}}


def test_access_then_erasure_jobs(tiny_project: Path, tmp_path: Path, key: None) -> None:
    paths = ProjectPaths.of(tiny_project)
    defs = build_definitions(tiny_project)
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(paths, "2026-11-25", instance=instance)
        request = tmp_path / "request.json"
        out = tmp_path / "access.json"
        request.write_text(json.dumps({"email": "hanako@example.jp"}))
        result = defs.resolve_job_def("access_request").execute_in_process(
            instance=instance,
            run_config=_job_config("export_subject", request_file=str(request), requested_by="dpo", out_file=str(out)),
        )
        assert result.success and not request.exists()
        held = json.loads(out.read_text())
        assert held["found"] and {r["source_system"] for r in held["source_records"]} == {"crm", "shop"}

        request.write_text(json.dumps({"email": "hanako@example.jp"}))
        result = defs.resolve_job_def("erasure_request").execute_in_process(
            instance=instance,
            run_config=_job_config("erase_subject", request_file=str(request), requested_by="dpo"),
        )
        assert result.success and not request.exists()
        run_config_text = json.dumps(instance.get_run_by_id(result.run_id).run_config)
        assert "hanako" not in run_config_text
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert not crosswalk.filter(pl.col("source_record_id").is_in(["2", "A2"])).height
