"""Outputs per role: the steward's review material.

Analysts get the purpose-limited extracts (governance.extracts, under
`data/extracts/`), the privacy officer everything. Stewards get, under
`data/review/`, one Parquet per warehouse table of `roles.steward.tables`,
with personal values masked (governance.masking) when `roles.steward.masked`
is set, so they can work the review queue without the warehouse file.
"""

from __future__ import annotations

from pathlib import Path

from governance.masking import mask_frame
from security.file_modes import write_parquet_privately
from security.settings import SecuritySettings
from warehouse import ProjectPaths, read_table


def review_dir(paths: ProjectPaths) -> Path:
    """Where the steward's material is written."""
    return paths.data / "review"


def write_steward_material(paths: ProjectPaths, settings: SecuritySettings) -> list[Path]:
    """Write the steward's tables from the published warehouse (masked when
    configured), each atomically with mode 0600 (`secure_tree` then gives the
    steward group). Tables the warehouse lacks are skipped; a table no longer
    listed has its file removed. Returns the files written."""
    role = settings.roles.steward
    written = []
    folder = review_dir(paths)
    for table in role.tables:
        if table == "*":
            continue
        frame = read_table(paths.warehouse, table)
        if frame is None:
            continue
        target = folder / f"{table}.parquet"
        write_parquet_privately((mask_frame(frame) if role.masked else frame).to_arrow(), target)
        written.append(target)
    for stale in folder.glob("*.parquet") if folder.exists() else []:
        if stale not in written:
            stale.unlink()
    return written
