"""Runs whose process is gone: a `nayose run` killed (`kill -9`, the OOM
killer, a power loss) never reports its end, and Dagster keeps it STARTED for
ever. Such a run is no success, yet neither the security log export nor the
report's incident figures would count it as a failure. The next command that
opens the project's instance tells them apart here and reports them failed
(`pipelines.abandoned_runs`).

Two proofs that a run's process is gone:
- a run of `nayose run` (tagged `nayose/trigger: cli`) holds the project's run
  lock from before Dagster creates it until after it ends, so when the lock
  is free (or held by the command asking), no such run still runs, whatever
  process ids say (a copy of the project has its own lock);
- the run worker's process (the pid on its RUN_START event) no longer exists,
  or is another process that started after the run (its pid used again).

Dagster's own run monitoring cannot tell: it needs the daemon, and its default
run launcher cannot check a worker's health, nor does it see runs executed in
process, as `nayose run` executes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ABANDONED_TAG = "nayose/abandoned"
"""Tag of a run reported failed because its process was gone."""

ABANDONED_REASON = "the process ended without finishing: killed?"

UNFINISHED = ("NOT_STARTED", "STARTING", "STARTED", "CANCELING")
"""Dagster run statuses of a run that has not ended (QUEUED runs wait for the daemon, which owns them)."""

PID_REUSE_SLACK_SECONDS = 1.0
"""A process that started this long after the run began is not its worker."""


@dataclass(frozen=True)
class UnfinishedRun:
    """A run the instance holds as not ended, as far as telling whether its
    process still runs needs: its status name, whether `nayose run` started
    it, the pid of its worker and the time (epoch seconds) it started."""

    run_id: str
    status: str
    from_cli: bool
    pid: int | None
    started_at: float | None


ProcessStart = Callable[[int], float | None]
"""pid -> when that process started (epoch seconds; 0.0 when alive but unknown), None when there is none."""


def abandoned_runs(runs: list[UnfinishedRun], *, run_lock_free: bool, process_start: ProcessStart) -> list[UnfinishedRun]:
    """The runs of `runs` whose process is gone: a `nayose run` run in any
    unfinished status when no `nayose run` holds the run lock
    (`run_lock_free`: the lock is free, or the asking command holds it); a
    STARTED run whose worker's pid names no process, or one that started
    after the run began. A run of unknown pid that no lock vouches for is
    left as it is."""
    gone = []
    for run in runs:
        if run.status not in UNFINISHED:
            continue
        if run.from_cli and run_lock_free:
            gone.append(run)
            continue
        if run.status != "STARTED" or run.pid is None:
            continue
        started = process_start(run.pid)
        if started is None or (run.started_at is not None and started > run.started_at + PID_REUSE_SLACK_SECONDS):
            gone.append(run)
    return gone


def failure_message(run: UnfinishedRun) -> str:
    """What the run's failure says, in Dagster and the command's output."""
    how = (
        "no nayose run of the project holds its run lock any more"
        if run.from_cli
        else f"its process (pid {run.pid}) is gone"
    )
    return f"{ABANDONED_REASON} ({how}); reported failed by the next nayose command"


def _boot_time() -> float | None:
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("btime "):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def process_start(pid: int) -> float | None:
    """When process `pid` started (epoch seconds), from /proc on Linux; None
    when there is no such process (or only its zombie). Without /proc: 0.0
    when a process of that id exists, None when none does."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else _signal_probe(pid)
    except OSError:
        return _signal_probe(pid)
    if fields[0] in ("Z", "X"):  # exited, waiting for its parent to collect it
        return None
    boot = _boot_time()
    if boot is None:
        return 0.0
    return boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _signal_probe(pid: int) -> float | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return 0.0  # another user's process: it exists
    return 0.0
