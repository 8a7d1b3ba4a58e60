"""A copy of the suppression list outside the project directory.

The suppression list (`data/governance/suppression.parquet`) is what keeps an
erased person from coming back. A backup holds the list as it was at backup
time; an erasure made later lives only in the project's list, which a
destroyed project directory takes with it. So every change of the list is
also written to a mirror folder outside the project (`NAYOSE_SUPPRESSION_DIR`,
else `security.suppression_mirror`), as `<project>.suppression.parquet`, and a
restore re-applies the union of the backup's, the project's and the mirror's
lists. The mirror holds keyed hashes only (no identifier in clear).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from governance.suppression import SUPPRESSION_SCHEMA, read_suppression, suppression_path
from security.file_modes import write_parquet_privately
from warehouse import ProjectPaths

MIRROR_ENV = "NAYOSE_SUPPRESSION_DIR"


class MirrorMisplaced(Exception):
    """The configured mirror folder is inside the project directory."""


def mirror_file(paths: ProjectPaths, project_name: str, configured: str | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where the project's mirrored list lives: `$NAYOSE_SUPPRESSION_DIR`, else
    `configured` (security.suppression_mirror); None when neither is set.
    Refuses (MirrorMisplaced) a folder inside the project directory: it would
    be lost with the project."""
    folder = (os.environ if environ is None else environ).get(MIRROR_ENV) or configured
    if not folder:
        return None
    resolved = Path(folder).expanduser().resolve()
    if resolved == paths.root or paths.root in resolved.parents:
        raise MirrorMisplaced(f"the suppression mirror {resolved} is inside the project directory: choose a folder outside it")
    return resolved / f"{project_name}.suppression.parquet"


def read_list(path: Path | None) -> pl.DataFrame:
    """A suppression list file (empty frame when absent or None)."""
    if path is None or not path.exists():
        return pl.DataFrame(schema=SUPPRESSION_SCHEMA)
    return pl.read_parquet(path).select(list(SUPPRESSION_SCHEMA))


def union_lists(*lists: pl.DataFrame) -> pl.DataFrame:
    """Suppression lists merged, each (kind, hash) once, earliest `added_at` kept."""
    frames = [f.select(list(SUPPRESSION_SCHEMA)) for f in lists if f.height]
    if not frames:
        return pl.DataFrame(schema=SUPPRESSION_SCHEMA)
    return pl.concat(frames).sort("added_at").unique(["kind", "hash"], keep="first", maintain_order=True)


def write_list(frame: pl.DataFrame, target: Path) -> None:
    """Write a suppression list atomically, mode 0600 (folder 0700 when created)."""
    if not target.parent.exists():
        target.parent.mkdir(parents=True, mode=0o700)
    write_parquet_privately(frame.select(list(SUPPRESSION_SCHEMA)), target)


def sync_suppression_mirror(paths: ProjectPaths, environ: Mapping[str, str] | None = None) -> int:
    """Merge the project's suppression list into its mirror (and the mirror's
    back into the project's). Call after every change of the list (erasure).
    Returns the number of entries in the merged list; 0 and nothing written
    when no mirror is configured."""
    from nayose_config import ConfigError, load_config
    from security.settings import SecuritySettings

    try:
        config = load_config(paths.root)
        project, security = config.project, config.security
    except ConfigError:  # a bare data directory: only the environment can name a mirror
        project, security = paths.root.name, SecuritySettings()
    target = mirror_file(paths, project, security.suppression_mirror, environ)
    if target is None:
        return 0
    current, mirrored = read_suppression(paths), read_list(target)
    merged = union_lists(mirrored, current)
    if merged.height != mirrored.height:
        write_list(merged, target)
    if merged.height != current.height:
        write_list(merged, suppression_path(paths))
    return merged.height
