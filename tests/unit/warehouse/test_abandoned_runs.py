"""Runs whose process is gone are told apart from runs still under way."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from warehouse.abandoned_runs import UnfinishedRun, abandoned_runs, process_start

BEGAN = 1_800_000_000.0


def _run(run_id: str, status: str = "STARTED", *, cli: bool = True, pid: int | None = 4242) -> UnfinishedRun:
    return UnfinishedRun(run_id, status, cli, pid, BEGAN)


def _ids(runs: list[UnfinishedRun]) -> list[str]:
    return [r.run_id for r in runs]


def test_a_nayose_run_without_the_run_lock_is_gone_whatever_its_pid() -> None:
    runs = [_run("killed"), _run("never-started", "NOT_STARTED"), _run("queued", "QUEUED"), _run("done", "SUCCESS")]
    alive = lambda pid: BEGAN - 5  # noqa: E731 - its pid names a process older than the run: it would pass for alive
    assert _ids(abandoned_runs(runs, run_lock_free=True, process_start=alive)) == ["killed", "never-started"]
    assert _ids(abandoned_runs(runs, run_lock_free=False, process_start=alive)) == []


def test_a_run_whose_worker_process_is_gone_or_another_is_failed() -> None:
    runs = [
        _run("gone", cli=False, pid=1),
        _run("reused", cli=False, pid=2),
        _run("running", cli=False, pid=3),
        _run("unknown-pid", cli=False, pid=None),
        _run("starting", "STARTING", cli=False, pid=1),  # the daemon's run monitoring owns a launch that hangs
    ]
    started = {1: None, 2: BEGAN + 60, 3: BEGAN - 2}
    assert _ids(abandoned_runs(runs, run_lock_free=False, process_start=started.get)) == ["gone", "reused"]


def test_process_start_of_a_living_and_an_ended_process() -> None:
    here = process_start(os.getpid())
    assert here is not None and here <= time.time()
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert process_start(child.pid) is None
