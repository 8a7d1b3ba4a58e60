"""The `nayose` command's entry point: what must be set before polars is
imported, then the command line (`pipelines.cli`)."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping, Sequence
from pathlib import Path

POLARS_ALLOCATOR = "_RJEM_MALLOC_CONF"
"""The environment variable polars' allocator (jemalloc) reads its options
from, once, when polars is imported; polars puts its own defaults before
what it holds, and jemalloc takes the last value of each option."""

MEMORY_DECAY = "dirty_decay_ms:3000,muzzy_decay_ms:5000"
"""How long polars' allocator keeps the memory a frame freed before handing
it back to the system, on an incremental night (`incremental_night`).
Polars' own 0.5 s / 1 s suits an interactive session; a night frees and
allocates frames of the base every few seconds, and every page handed back
is faulted in and zeroed again when the next frame takes it. At 1M records,
on a quiet machine (medians of 3, alternated), a 1% night took 1.7M page
faults and 5.1 s of system time; kept 3 s / 5 s, 1.3M faults, 4.0 s and a
second less of wall time (14.9 -> 13.9 s), for about 0.25 GB more at its
peak (3.9 GB). A full rebuild holds much more at once: kept so,
its peak rose from 5.3 to 6.3 GiB, so it keeps polars' defaults."""

WAREHOUSE = Path("data", "warehouse", "nayose.duckdb")
"""The published warehouse, relative to the project (`warehouse.ProjectPaths.warehouse`)."""


def incremental_night(argv: Sequence[str]) -> bool:
    """Whether the command's arguments `argv` run a night on a published base:
    `run` without `--full` (or an abbreviation argparse accepts), in a
    project whose warehouse exists. A first run and `train` build as much
    as a full rebuild. Read by hand: the parser lives beside polars."""
    if not argv or argv[0] != "run" or any(a.startswith("--f") for a in argv[1:]):
        return False
    project = "."
    for i, arg in enumerate(argv[1:], start=1):
        name, equals, value = arg.partition("=")
        if len(name) > 3 and "--project".startswith(name):
            project = value if equals else (argv[i + 1] if i + 1 < len(argv) else project)
    return (Path(project) / WAREHOUSE).is_file()


POLARS_DEFAULTS = ("dirty_decay_ms:500", "muzzy_decay_ms:1000")
"""The options polars itself writes into `POLARS_ALLOCATOR` when imported: a
parent process that imported polars (a benchmark, a scheduler in Python)
hands them down, and they are not the user's choice."""


def with_memory_decay(environ: MutableMapping[str, str]) -> None:
    """Set `MEMORY_DECAY` for polars' allocator unless the user chose a decay
    there (theirs is kept whole); other options of theirs stay before it."""
    own = [o for o in environ.get(POLARS_ALLOCATOR, "").split(",") if o and o not in POLARS_DEFAULTS]
    if not any(o.startswith(("dirty_decay_ms:", "muzzy_decay_ms:")) for o in own):
        environ[POLARS_ALLOCATOR] = ",".join([*own, MEMORY_DECAY])


def entry() -> None:
    """The `nayose` command (`pipelines.cli.entry`), polars' allocator set
    first on an incremental night."""
    if incremental_night(sys.argv[1:]):
        with_memory_decay(os.environ)
    from pipelines import cli  # imports polars

    cli.entry()
