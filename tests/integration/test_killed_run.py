"""A run killed in the middle of writing its outputs leaves the previous
outputs intact, and the next run completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from security.log_export import dagster_events
from tests.conftest import CRM_CSV, assert_warehouse_holds_published
from warehouse import ProjectPaths
from warehouse.abandoned_runs import ABANDONED_TAG

# Runs `nayose run` in a child process that SIGKILLs itself when the publication
# commits, once the files written on other threads are in: after every output
# (the new warehouse, the Parquet files, reports, the steward's copies) is
# written under its temporary name and before any is renamed into place.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from warehouse.publication import Publication
    def stage_then_die(self):
        self._collect_exports()
        os.kill(os.getpid(), signal.SIGKILL)
    Publication.commit = stage_then_die
    from pipelines.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def _nayose(project: Path, *args: str, killer: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, DAGSTER_HOME=str(project / "dagster_home"))
    command = [sys.executable, "-c", KILLER] if killer else [sys.executable, "-m", "pipelines.cli"]
    return subprocess.run([*command, "run", "--project", str(project), *args], env=env, capture_output=True, text=True)


def _outputs(project: Path) -> dict[str, bytes]:
    data = ProjectPaths.of(project).data
    return {
        str(p.relative_to(data)): p.read_bytes()
        for folder in ("golden", "warehouse", "warehouse/table_copies", "reports", "review")
        for p in sorted((data / folder).glob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_killed_run_keeps_previous_outputs_and_next_run_completes(tiny_project: Path) -> None:
    first = _nayose(tiny_project, "--date", "2026-11-25")
    assert first.returncode == 0, first.stderr
    before = _outputs(tiny_project)

    day2 = CRM_CSV.splitlines()[0] + "\n6,田中,次郎,タナカ,ジロウ,19600101,jiro@example.com,,,\n"
    (tiny_project / "exports" / "crm_2026-11-26.csv").write_text(day2, encoding="utf-8")
    killed = _nayose(tiny_project, "--date", "2026-11-26", killer=True)
    assert killed.returncode == -9, killed.stderr

    assert _outputs(tiny_project) == before  # byte for byte: nothing was renamed into place
    paths = ProjectPaths.of(tiny_project)
    staged = {p.parent.name for p in paths.data.rglob(".*.tmp")}
    assert {"golden", "warehouse", "table_copies", "reports", "review"} <= staged, "the killed run had staged its outputs"
    con = duckdb.connect(str(paths.warehouse), read_only=True)  # the previous warehouse still opens
    assert con.execute("SELECT count(*) FROM runs").fetchall()[0][0] == 1
    con.close()

    shutil.rmtree(paths.staging, ignore_errors=True)  # as if the machine rebooted
    again = _nayose(tiny_project, "--date", "2026-11-26")
    assert again.returncode == 0, again.stderr
    assert not list(paths.data.rglob(".*.tmp")), "temporary files of the killed run are swept"
    crosswalk = pl.read_parquet(paths.crosswalk)
    assert "6" in crosswalk.filter(pl.col("source_system") == "crm")["source_record_id"].to_list()
    assert_warehouse_holds_published(paths)  # the tables' Parquet copies too: patched, current

    # Dagster held the killed run as STARTED: the next run reported it failed, so it counts as the failure it was
    assert "reported failed: the process ended without finishing: killed?" in again.stderr
    with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
        runs = sorted(
            (r.dagster_run.tags["dagster/partition"], r.dagster_run.status.value, ABANDONED_TAG in r.dagster_run.tags)
            for r in instance.get_run_records()
        )
        assert runs == [
            ("2026-11-25", "SUCCESS", False),
            ("2026-11-26", "FAILURE", True),
            ("2026-11-26", "SUCCESS", False),
        ]
        outcomes = [e.outcome for e in dagster_events(instance) if e.action == "run"]
    assert sorted(outcomes) == ["failure", "success", "success"]
