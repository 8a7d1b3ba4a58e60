"""The `nayose` command sets polars' allocator before polars is imported, on
incremental nights only, and leaves a user's own allocator options alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.launch import (
    MEMORY_DECAY,
    POLARS_ALLOCATOR,
    WAREHOUSE,
    incremental_night,
    with_memory_decay,
)
from warehouse import ProjectPaths

ROOT = Path(__file__).resolve().parents[3]


def test_memory_decay_is_set_unless_the_user_chose_a_decay() -> None:
    environ: dict[str, str] = {}
    with_memory_decay(environ)
    assert environ == {POLARS_ALLOCATOR: MEMORY_DECAY}
    own = {POLARS_ALLOCATOR: "dirty_decay_ms:0"}
    with_memory_decay(own)
    assert own == {POLARS_ALLOCATOR: "dirty_decay_ms:0"}
    other = {POLARS_ALLOCATOR: "background_thread:false"}
    with_memory_decay(other)
    assert other == {POLARS_ALLOCATOR: f"background_thread:false,{MEMORY_DECAY}"}
    # what a parent process that imported polars hands down is polars' choice, not the user's
    inherited = {POLARS_ALLOCATOR: "dirty_decay_ms:500,muzzy_decay_ms:1000,dirty_decay_ms:500,muzzy_decay_ms:1000"}
    with_memory_decay(inherited)
    assert inherited == {POLARS_ALLOCATOR: MEMORY_DECAY}


def test_polars_reads_the_decay_after_its_own_defaults() -> None:
    """jemalloc takes the last value of an option: polars puts its defaults
    (0.5 s / 1 s) first and the variable's value after them, so ours holds."""
    environ = {k: v for k, v in os.environ.items() if k != POLARS_ALLOCATOR}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from pipelines.launch import with_memory_decay; with_memory_decay(os.environ); "
            "import polars; print(os.environ['_RJEM_MALLOC_CONF'])",
        ],
        cwd=ROOT, env=environ, capture_output=True, text=True, check=True,
    )
    options = done.stdout.strip().split(",")
    assert options[-2:] == MEMORY_DECAY.split(",")
    assert "dirty_decay_ms:500" in options  # polars' own, overridden by the later value


def test_only_a_run_on_a_published_base_is_an_incremental_night(tmp_path: Path, monkeypatch) -> None:
    assert ProjectPaths.of(tmp_path).warehouse == tmp_path.resolve() / WAREHOUSE
    project = str(tmp_path)
    assert not incremental_night(["run", "--project", project])  # a first run: nothing published yet
    (tmp_path / WAREHOUSE).parent.mkdir(parents=True)
    (tmp_path / WAREHOUSE).touch()
    assert incremental_night(["run", "--project", project, "--date", "2026-11-26"])
    assert incremental_night(["run", f"--project={project}"])
    assert incremental_night(["run", "--proj", project])  # argparse takes an abbreviation
    assert not incremental_night(["run", "--project", project, "--full"])
    assert not incremental_night(["run", "--project", project, "--fu"])
    assert not incremental_night(["train", "--project", project])
    assert not incremental_night(["review", "list", "--project", project])
    assert not incremental_night([])
    monkeypatch.chdir(tmp_path)
    assert incremental_night(["run"])  # the current directory by default
