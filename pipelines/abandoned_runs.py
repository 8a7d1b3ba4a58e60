"""Reporting failed, in the project's Dagster instance, the runs whose process
is gone (`warehouse.abandoned_runs` decides which), with Dagster's own call
for a run that failed outside its process (`DagsterInstance.report_run_failed`,
which Dagster's run monitoring uses too): the run then ends as FAILURE in the
UI, the security log export and the report's incident figures."""

from __future__ import annotations

from warehouse import ProjectPaths
from warehouse.abandoned_runs import (
    ABANDONED_TAG,
    UNFINISHED,
    UnfinishedRun,
    abandoned_runs,
    failure_message,
    process_start,
)
from warehouse.locking import run_lock_free


def _unfinished(instance) -> list[UnfinishedRun]:
    from dagster import DagsterEventType, DagsterRunStatus, RunsFilter

    records = instance.get_run_records(filters=RunsFilter(statuses=[DagsterRunStatus(s) for s in UNFINISHED]))
    runs = []
    for record in records:
        run = record.dagster_run
        started = instance.all_logs(run.run_id, of_type=DagsterEventType.RUN_START)
        pid = started[0].dagster_event.pid if started and started[0].dagster_event is not None else None
        runs.append(
            UnfinishedRun(
                run_id=run.run_id,
                status=run.status.value,
                from_cli=run.tags.get("nayose/trigger") == "cli",
                pid=pid,
                started_at=record.start_time or (started[0].timestamp if started else None),
            )
        )
    return runs


def fail_abandoned_runs(instance, paths: ProjectPaths, *, holding_run_lock: bool = False) -> list[str]:
    """Report failed every run of `instance` whose process is gone; returns a
    line per run for the command's output (run id and reason: no values).
    `holding_run_lock`: the caller is a `nayose run` holding the project's
    run lock. Otherwise the lock is probed after the runs are listed: a run
    listed as unfinished whose `nayose run` still held the lock would hold it
    still, and one that ended meanwhile is read again before it is reported."""
    runs = _unfinished(instance)
    if not runs:
        return []
    free = holding_run_lock or run_lock_free(paths.warehouse)
    lines = []
    for run in abandoned_runs(runs, run_lock_free=free, process_start=process_start):
        current = instance.get_run_by_id(run.run_id)
        if current is None or current.status.value not in UNFINISHED:
            continue  # it ended while we looked
        message = failure_message(run)
        instance.add_run_tags(run.run_id, {ABANDONED_TAG: "true"})
        instance.report_run_failed(current, message=message)
        lines.append(f"run {run.run_id[:8]} ({run.status}) reported failed: {message}")
    return lines
