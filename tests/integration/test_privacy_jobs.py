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


def test_jobs_take_a_national_id_and_fail_on_an_unusable_one_without_repeating_it(tmp_path: Path, key: None) -> None:
    from tests.conftest import LERATO_ID, write_za_project

    project = write_za_project(tmp_path / "project")
    paths = ProjectPaths.of(project)
    defs = build_definitions(project)
    request, out = tmp_path / "request.json", tmp_path / "access.json"
    with dg.DagsterInstance.ephemeral() as instance:
        execute_nightly(paths, "2026-11-25", instance=instance)
        request.write_text(json.dumps({"national_id": f"{LERATO_ID[:6]} {LERATO_ID[6:]}", "national_id_type": "SA ID"}))
        result = defs.resolve_job_def("access_request").execute_in_process(
            instance=instance,
            run_config=_job_config("export_subject", request_file=str(request), requested_by="dpo", out_file=str(out)),
        )
        assert result.success and not request.exists()
        assert {r["record_key"] for r in json.loads(out.read_text())["source_records"]} == {"crm:1", "app:M1"}

        mistyped = LERATO_ID[:-1] + str((int(LERATO_ID[-1]) + 1) % 10)
        request.write_text(json.dumps({"national_id": mistyped, "country": "ZA"}))
        result = defs.resolve_job_def("erasure_request").execute_in_process(
            instance=instance,
            run_config=_job_config("erase_subject", request_file=str(request), requested_by="dpo"),
            raise_on_error=False,
        )
        assert not result.success and not request.exists()
        failure = result.failure_data_for_node("erase_subject").error
        assert "not usable as a ZA_ID number" in failure.message and mistyped not in failure.to_string()

        request.write_text(json.dumps({"national_id": LERATO_ID, "country": "ZA"}))
        result = defs.resolve_job_def("erasure_request").execute_in_process(
            instance=instance,
            run_config=_job_config("erase_subject", request_file=str(request), requested_by="dpo"),
        )
        assert result.success
        logged = json.dumps([str(e) for e in instance.all_logs(result.run_id)])
        assert LERATO_ID not in logged
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert not crosswalk.filter(pl.col("record_key").is_in(["crm:1", "app:M1"])).height
