"""The security log export (JSON lines) and the incident KPIs."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from governance.erasure import erase_person
from pipelines.cli import CliError
from security.log_export import SecurityEvent, audit_events, dagster_events, export_lines, incident_kpis
from tests.conftest import run_nightly
from warehouse import ProjectPaths, read_table

PERSONAL = ["taro@example.com", "山田", "太郎", "+819012345678", "090-1234-5678", "hanako", "佐藤"]


def test_export_holds_run_steward_privacy_events_and_failed_runs_without_personal_data(
    published: Path, pseudonym_key_env: bytes
) -> None:
    paths = ProjectPaths.of(published)
    erase_person(paths, email="taro@example.com", key=pseudonym_key_env, actor="privacy-officer")
    broken = published / "exports" / "crm_2026-11-26.csv"
    broken.write_text("something,else\n1,2\n", encoding="utf-8")  # the mapped columns are missing: blocking check
    with pytest.raises(CliError, match="blocking check"):
        run_nightly(published, "2026-11-26")
    broken.unlink()
    run_nightly(published, "2026-11-26")  # the same partition, fixed

    events = audit_events(read_table(paths.warehouse, "audit_log"))
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        events += dagster_events(instance)
    text = export_lines(events)
    lines = [json.loads(line) for line in text.splitlines()]
    assert all({"timestamp", "actor", "action", "object", "outcome", "category", "source"} <= set(e) for e in lines)
    assert [e["timestamp"] for e in lines] == sorted(e["timestamp"] for e in lines)
    kinds = {(e["source"], e["action"], e["outcome"]) for e in lines}
    assert ("audit_log", "erasure", "success") in kinds and ("audit_log", "nightly_run", "success") in kinds
    assert ("dagster", "run", "failure") in kinds and ("dagster", "check_blocked", "blocked") in kinds
    assert ("dagster", "run", "success") in kinds
    assert {e["category"] for e in lines} >= {"run", "privacy"}
    assert not [v for v in PERSONAL if v in text]

    kpis = incident_kpis(events)
    assert kpis["incidents"] == 1 and kpis["open_incidents"] == 0 and kpis["blocked_checks"] >= 1
    assert kpis["mttd_seconds"] >= 0 and kpis["mttr_seconds"] > 0


def _run(at: str, outcome: str, run_id: str, duration: float = 60.0) -> SecurityEvent:
    return SecurityEvent(at, "dagster:schedule", "run", f"run {run_id}", outcome, "run", "dagster",
                         {"run_id": run_id, "duration_seconds": duration})


def test_incident_kpis_measure_detection_and_resolution() -> None:
    events = [
        _run("2026-11-25T02:01:00+00:00", "success", "a"),
        SecurityEvent("2026-11-26T02:00:30+00:00", "dagster:schedule", "check_blocked", "run b check crm_exports:export_quality",
                      "blocked", "run", "dagster", {"run_id": "b"}),
        _run("2026-11-26T02:01:00+00:00", "failure", "b"),
        _run("2026-11-26T05:00:00+00:00", "failure", "c"),
        _run("2026-11-26T08:01:00+00:00", "success", "d"),
        _run("2026-11-27T02:01:00+00:00", "failure", "e"),
    ]
    kpis = incident_kpis(events)
    assert kpis["incidents"] == 2 and kpis["open_incidents"] == 1 and kpis["failed_runs"] == 3
    assert kpis["mttr_seconds"] == 6 * 3600 + 30  # 02:00:30 -> 08:01:00
    assert kpis["mttd_seconds"] == (30 + 60) / 2  # 30 s into run b; run e detected at its end
    assert incident_kpis([])["mttr_seconds"] is None
