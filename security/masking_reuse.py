"""Last night's masked steward copies, reused for the rows that did not change.

Masking the golden records costs about 0.6 CPU-s at 1M records (494k golden
records) every night, although a 1% day changes a few percent of them; and
`identity_events` only grows, yet its copy was read back whole from the
warehouse built tonight (0.1 CPU-s, then 0.2-0.5 s of writing at the end of
the publish step, with nothing left to overlap it). So the steward's copy of
such a table is last night's copy with tonight's change applied: the rows of
a `TablePatch` masked and spliced in by key into the masked columns of last
night's copy, the other columns being tonight's table's own (`spliced`), or
tonight's history rows masked and added at the end, where the warehouse's
scan returns them (`appended`). Measured alone at 494k golden records: 0.15
CPU-s instead of 0.63 for the golden records.

Last night's copy is used only when the manifest written with the copies
(`data/review/.masked_copies.json`, `copies_manifest`) proves it
(`previous_copy`): it names the warehouse file the copies were made from
(`table_copies.file_identity`: modification time and size; an erasure, a
retention sweep or any other rewrite of the warehouse changes it), the
fingerprint of the masking (`masking_fingerprint`: the security settings, the
masking code, `MASKING_VERSION`, polars' version), and each copy's own
identity (a copy rewritten, replaced or damaged since is not the one named).
Without that proof (no manifest, a missing, foreign or unreadable copy, a
`--full` run, which asks for whole copies) the table is masked whole, as
before. Nothing is kept across runs but the published copies themselves.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from governance import masking
from governance.masking import mask_expressions, mask_frame
from security.settings import SecuritySettings
from warehouse.store import TablePatch
from warehouse.table_copies import file_identity

MANIFEST = ".masked_copies.json"

MASKING_VERSION = 1
"""Bump when what a masked value looks like changes without a change of
governance/masking.py (whose text the fingerprint holds anyway): every copy
is then masked whole once."""

_FORMAT = 1


def as_stored(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its Null columns as text, as the warehouse stores them."""
    nulls = [c for c, t in frame.schema.items() if t == pl.Null]
    return frame.with_columns(pl.col(nulls).cast(pl.Utf8)) if nulls else frame


def steward_copy(frame: pl.DataFrame, masked: bool) -> pl.DataFrame:
    """What the steward's file holds for `frame`: its rows as stored, masked when `masked`."""
    frame = as_stored(frame)
    return mask_frame(frame) if masked else frame


def masking_fingerprint(settings: SecuritySettings) -> str:
    """A digest of everything that decides a steward copy's values: the
    security settings (all of them: any change masks whole once), the text of
    governance/masking.py, `MASKING_VERSION` and polars' version."""
    digest = hashlib.sha256()
    given = {"version": MASKING_VERSION, "polars": pl.__version__, "security": settings.model_dump(mode="json")}
    digest.update(json.dumps(given, sort_keys=True).encode())
    digest.update(Path(masking.__file__).read_bytes())
    return digest.hexdigest()[:32]


def copies_manifest(database: Path, fingerprint: str, copies: Mapping[str, Path]) -> str:
    """The manifest (JSON) for steward `copies` (table -> written file, under
    any name a rename keeps the identity of) made from the warehouse file
    `database` with the masking of `fingerprint`. Names files and digests only."""
    return json.dumps(
        {
            "format": _FORMAT,
            "warehouse": file_identity(database),
            "fingerprint": fingerprint,
            "copies": {table: file_identity(path) for table, path in copies.items()},
        }
    )


def previous_copy(folder: Path, table: str, database: Path, fingerprint: str) -> Path | None:
    """The steward's copy of `table` in `folder` when its manifest proves it
    the copy of the table of warehouse file `database` (the published one,
    which tonight's patches and appended rows change) masked as `fingerprint`
    masks; else None. Reads the manifest and two file stamps, not the copy."""
    target = folder / f"{table}.parquet"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        proven = (
            isinstance(manifest, dict)
            and manifest.get("format") == _FORMAT
            and manifest.get("fingerprint") == fingerprint
            and manifest.get("warehouse") == file_identity(database)
            and isinstance(copies := manifest.get("copies"), dict)
            and copies.get(table) == file_identity(target)
        )
    except (OSError, ValueError):
        return None
    return target if proven else None


def spliced(previous: Path, frame: pl.DataFrame, patch: TablePatch, masked: bool) -> pl.DataFrame | None:
    """The steward's copy of `frame` (tonight's table, sorted by `patch.key`,
    which `patch` made of the table that the copy `previous` was made of):
    its masked columns taken from `previous`, without the rows of
    `patch.keys`, with `patch.rows` masked, sorted by the key; its other
    columns are `frame`'s own (as a whole masking leaves them). Reads only
    the masked columns of `previous`. None when the rows' masked columns are
    not the copy's, or the keys do not come out as `frame`'s, in its order (a
    frame not sorted by the key, a patch not of this copy); unmasked, the
    copy is `frame` itself.

    One lazy query, as `mask_frame` is: run eagerly, the same filter, concat
    and sort took 1.5 CPU-s beside the publish step's other work instead of
    0.15 alone (polars' eager thread pool spins when the streaming engine's
    threads hold both cores)."""
    frame = as_stored(frame)
    columns = [e.meta.output_name() for e in mask_expressions(frame.schema)] if masked else []
    if not columns:
        return frame
    if patch.key in columns or not set(columns) <= set(patch.rows.columns):
        return None
    old = pl.scan_parquet(previous).select(patch.key, *columns)
    schema = old.collect_schema()  # from the footer: a copy that does not read fails here
    rows = mask_frame(as_stored(patch.rows).select(patch.key, *columns))
    if rows.schema != schema:
        return None
    kept = old.filter(~pl.col(patch.key).is_in(patch.keys.implode()))
    # a sort of the whole costs less than merge_sorted or a gather into the frame's order
    merged = pl.concat([kept, rows.lazy()]).sort(patch.key).collect()
    if merged.height != frame.height or not merged[patch.key].equals(frame[patch.key]):
        return None
    return frame.with_columns(merged.drop(patch.key).get_columns())


def appended(previous: Path, rows: pl.DataFrame, masked: bool) -> pl.DataFrame | None:
    """The copy `previous` with history `rows` (as `steward_copy`) added at
    the end, as an insert by column name adds them to the table (one lazy
    query, as in `spliced`); None when `rows` have other columns or types
    than the copy (the table gained a column, say)."""
    old = pl.scan_parquet(previous)
    schema = old.collect_schema()
    if sorted(rows.columns) != sorted(schema.names()):
        return None
    rows = steward_copy(rows.select(schema.names()), masked)
    return pl.concat([old, rows.lazy()]).collect() if rows.schema == schema else None
