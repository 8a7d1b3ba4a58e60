"""A run whose process is gone is reported failed in the project's instance,
and so counts as the failure it is in the security log and the incident figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.storage.dagster_run import DagsterRun, DagsterRunStatus

from pipelines.abandoned_runs import fail_abandoned_runs
from security.log_export import dagster_events, incident_kpis
from warehouse import ProjectPaths
from warehouse.abandoned_runs import ABANDONED_REASON, ABANDONED_TAG
from warehouse.locking import run_lock


def _started(instance: dg.DagsterInstance, pid: int, **tags: str) -> str:
    run = instance.add_run(DagsterRun(job_name="nightly", status=DagsterRunStatus.NOT_STARTED, tags=tags))
    instance.report_dagster_event(DagsterEvent(DagsterEventType.RUN_START.value, job_name="nightly", pid=pid), run_id=run.run_id)
    return run.run_id


def _ended_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_killed_runs_are_reported_failed_and_live_ones_left(tmp_path: Path) -> None:
    paths = ProjectPaths.of(tmp_path / "project")
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        killed_cli = _started(instance, _ended_pid(), **{"nayose/trigger": "cli"})
        live_cli = _started(instance, os.getpid(), **{"nayose/trigger": "cli"})
        killed_ui = _started(instance, _ended_pid())
        live_ui = _started(instance, os.getpid())

        with run_lock(paths.warehouse):  # a nayose run under way (this process): its run is no proof of death
            lines = fail_abandoned_runs(instance, paths)
        assert sorted(line[4:12] for line in lines) == sorted([killed_cli[:8], killed_ui[:8]])
        status = {r: instance.get_run_by_id(r).status for r in (killed_cli, live_cli, killed_ui, live_ui)}
        assert status == {
            killed_cli: DagsterRunStatus.FAILURE, live_cli: DagsterRunStatus.STARTED,
            killed_ui: DagsterRunStatus.FAILURE, live_ui: DagsterRunStatus.STARTED,
        }
        failure = instance.all_logs(killed_cli, of_type=DagsterEventType.RUN_FAILURE)[0]
        assert ABANDONED_REASON in failure.dagster_event.message
        assert instance.get_run_by_id(killed_cli).tags[ABANDONED_TAG] == "true"

        # the lock free (the run ended, or was killed), every nayose run still STARTED is gone
        fail_abandoned_runs(instance, paths)
        assert instance.get_run_by_id(live_cli).status == DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(live_ui).status == DagsterRunStatus.STARTED  # its process runs: not ours to fail

        events = dagster_events(instance)
    failed = {e.details["run_id"]: e for e in events if e.action == "run" and e.outcome == "failure"}
    assert set(failed) == {killed_cli, live_cli, killed_ui} and all(e.details["abandoned"] for e in failed.values())
    assert incident_kpis(events)["failed_runs"] == 3
