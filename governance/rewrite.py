"""Removing rows from every store the project writes, leaving no bytes behind.

A deleted row can survive in a DuckDB file's free blocks or a Parquet file's
old pages, so nothing here deletes in place: each store is rebuilt without the
rows into a new file beside it and renamed over the old one (the same atomic
swap the nightly publish uses). Used by erasure and the retention sweep.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl
import pyarrow as pa

from governance.progress import step
from ingestion import (
    ExportFile,
    IngestError,
    find_export_files,
    map_to_canonical,
    read_export,
)
from ingestion.decoding import text_codec
from ingestion.parsing import excel_separator, is_json_array
from nayose_config import NayoseConfig, SourceConfig, load_config
from warehouse import ProjectPaths, write_parquet_atomically
from warehouse.store import (
    RowFilter,
    TablePatch,
    append_rows,
    discard,
    swap_in,
    with_patch_rows,
    write_fresh_warehouse,
)
from warehouse.table_copies import remove_table_copies

if TYPE_CHECKING:
    from governance.erasure import ErasureReport
    from governance.retention import RetentionReport

KEY_COLUMNS = ("record_key", "record_key_l", "record_key_r")
GOLDEN_COLUMNS = ("golden_id", "golden_id_l", "golden_id_r")
"""Not `related_golden_id`: an identity event of another golden record (split
from one that is removed) is that record's history, and stays."""
KEPT_TABLES = ("audit_log",)
"""Tables never filtered: the audit log is append-only and holds no personal values."""

RowMatcher = Callable[[pl.DataFrame, pl.DataFrame], pl.Series]
"""(raw landing/export rows, their mapped canonical rows) -> True for rows to drop."""


@dataclass(frozen=True)
class RowSelection:
    """Rows to remove, by any of: golden id, record key (`source:id`), the
    (file_hash, source_row) of a landing row, or the pseudonym of a golden
    record in a purpose extract (`governance.extracts.extract_pseudonyms`)."""

    golden_ids: frozenset[str] = frozenset()
    record_keys: frozenset[str] = frozenset()
    file_rows: frozenset[tuple[str, int]] = frozenset()
    pseudonyms: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (self.golden_ids or self.record_keys or self.file_rows or self.pseudonyms)


@dataclass
class RewriteOutcome:
    """What a rewrite removed: rows per table or file (project-relative names)."""

    rows_removed: dict[str, int] = field(default_factory=dict)
    files_rewritten: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def merge_outcome(report: ErasureReport | RetentionReport, outcome: RewriteOutcome) -> None:
    """Add what a rewrite did to the report of the erasure or sweep that made it."""
    report.rows_removed |= outcome.rows_removed
    report.files_rewritten += outcome.files_rewritten
    report.notes += outcome.notes


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def frame_drop_mask(frame: pl.DataFrame, selection: RowSelection) -> pl.Series:
    """True for rows of `frame` that belong to `selection`, judged by whichever
    of its key columns the frame has (record keys, source system + id, golden
    ids, pseudonyms, file hash + row)."""
    keys, golden = list(selection.record_keys), list(selection.golden_ids)
    hit = pl.lit(False)
    for column in KEY_COLUMNS:
        if column in frame.columns:
            hit = hit | pl.col(column).is_in(keys).fill_null(False)
    if {"source_system", "source_record_id"} <= set(frame.columns):
        hit = hit | (pl.col("source_system") + ":" + pl.col("source_record_id")).is_in(keys).fill_null(False)
    for column in GOLDEN_COLUMNS:
        if column in frame.columns:
            hit = hit | pl.col(column).is_in(golden).fill_null(False)
    if "pseudonym" in frame.columns:
        hit = hit | pl.col("pseudonym").is_in(sorted(selection.pseudonyms)).fill_null(False)
    if {"file_hash", "source_row"} <= set(frame.columns) and selection.file_rows:
        pairs = pl.DataFrame(list(selection.file_rows), schema={"file_hash": pl.Utf8, "source_row": pl.Int64}, orient="row")
        tagged = frame.select(pl.col("file_hash").cast(pl.Utf8), pl.col("source_row").cast(pl.Int64)).join(
            pairs.with_columns(pl.lit(True).alias("_hit")), on=["file_hash", "source_row"], how="left", maintain_order="left"
        )
        return frame.select(hit.alias("drop"))["drop"] | tagged["_hit"].fill_null(False)
    return frame.select(hit.alias("drop"))["drop"]


def _where_kept(columns: list[str]) -> str:
    """SQL condition keeping rows outside the registered `_drop_*` tables."""
    conditions = []
    for column in KEY_COLUMNS:
        if column in columns:
            conditions.append(f'coalesce("{column}" IN (SELECT k FROM _drop_keys), false)')
    if {"source_system", "source_record_id"} <= set(columns):
        conditions.append("coalesce(source_system || ':' || source_record_id IN (SELECT k FROM _drop_keys), false)")
    for column in GOLDEN_COLUMNS:
        if column in columns:
            conditions.append(f'coalesce("{column}" IN (SELECT g FROM _drop_golden), false)')
    if {"file_hash", "source_row"} <= set(columns):
        conditions.append(
            "EXISTS (SELECT 1 FROM _drop_rows d WHERE d.h = CAST(file_hash AS VARCHAR) AND d.r = CAST(source_row AS BIGINT))"
        )
    return "NOT (" + " OR ".join(conditions) + ")" if conditions else "true"


def rows_like(rows: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """`rows` with exactly `schema`'s columns, in its order and types (a
    column `rows` lacks is null, one `schema` lacks is left out): patch rows
    for a table or file written with that schema."""
    return rows.select(
        (pl.col(c) if c in rows.columns else pl.lit(None)).cast(dtype).alias(c) for c, dtype in schema.items()
    )


def rewrite_warehouse(
    database: Path,
    selection: RowSelection,
    *,
    replace: dict[str, pl.DataFrame] | None = None,
    patch: dict[str, TablePatch] | None = None,
    append: dict[str, pl.DataFrame] | None = None,
    before_swap: Callable[[Path], pl.DataFrame | None] | None = None,
) -> RewriteOutcome:
    """Rebuild the warehouse without the selected rows and swap it in atomically.

    Every table is copied row by row minus the selected rows (the audit log is
    copied whole) into a fresh file, never a byte copy of the old one, whose
    free blocks could still hold erased values; tables in `replace` are written
    as given instead, and tables in `patch` have the rows of the patch's keys
    replaced by its rows (which must have the table's columns), and tables in
    `append` get its rows after the selected ones left (the `erased` identity
    events). The Parquet copies of tables are removed (the next
    night writes them again). `before_swap`, given the finished new file, may return
    audit rows to append (it can search the new file first). A missing
    warehouse is left missing; on failure the live file is unchanged and the
    new one removed."""
    outcome = RewriteOutcome()
    if not database.exists():
        return outcome
    tmp = database.with_name(f".{database.name}.{os.getpid()}.rewrite.tmp")
    keep = RowFilter(
        condition=lambda table, columns: "true" if table in KEPT_TABLES else _where_kept(columns),
        # registered, never stored: the selection itself does not land in the new file
        lookups={
            "_drop_keys": pl.DataFrame({"k": sorted(selection.record_keys)}, schema={"k": pl.Utf8}),
            "_drop_golden": pl.DataFrame({"g": sorted(selection.golden_ids)}, schema={"g": pl.Utf8}),
            "_drop_rows": pl.DataFrame(sorted(selection.file_rows), schema={"h": pl.Utf8, "r": pl.Int64}, orient="row"),
        },
    )
    outcome.rows_removed = write_fresh_warehouse(
        database, tmp, replace=replace or {}, append=append or {}, keep=keep, patch=patch or {}
    )
    # the Parquet copies of tables hold the removed rows: gone before anything (a residual search) looks
    remove_table_copies(database)
    try:
        audit = before_swap(tmp) if before_swap else None
        if audit is not None and audit.height:
            append_rows(tmp, {"audit_log": audit})
    except BaseException:
        discard(tmp)
        raise
    swap_in(tmp, database)
    return outcome


class UnreadableOutput(Exception):
    """An output file an erasure or sweep must search does not read as Parquet."""


def _patched(frame: pl.DataFrame, patch: TablePatch) -> pl.DataFrame:
    """`frame` with the rows of the patch's keys replaced by its rows (cast to
    `frame`'s columns, in their order within a key), still ordered by the key
    if it was."""
    rows = rows_like(patch.rows, frame.schema).lazy()
    return with_patch_rows(frame.lazy(), patch.key, patch.keys, rows).collect()


def rewrite_parquet_files(
    paths: ProjectPaths,
    files: list[Path],
    drop: Callable[[pl.DataFrame], pl.Series],
    patches: dict[Path, TablePatch] | None = None,
) -> RewriteOutcome:
    """Rewrite each Parquet file without the rows `drop` marks (atomic rename;
    files with nothing to drop are left untouched); a file of `patches` (one
    of `files`, sorted by the patch's key) has its rows of the patch's keys
    replaced by the patch's rows too.

    Every file is read before any is written: one that does not read is
    refused (UnreadableOutput, naming it) with no file changed, so callers
    run this before their other rewrites. The files to rewrite are read
    again then, so only one is held at a time."""
    from security.encryption import parquet_key, read_parquet, rewrite_like

    patches = {p: t for p, t in (patches or {}).items() if t.keys.len()}
    # golden Parquet may carry encrypted columns: read and rewrite them with the project's key
    key = parquet_key(load_config(paths.root).security.encryption, paths.root)
    dropping = []
    for path in files:
        try:
            frame = read_parquet(path, key)
        except (OSError, pa.ArrowException, pl.exceptions.PolarsError) as exc:
            raise UnreadableOutput(
                f"{paths.display(path)} does not read as Parquet ({type(exc).__name__}), so its rows cannot be "
                "searched: restore it from a backup or delete it, then run again; nothing was changed"
            ) from None
        if path in patches or drop(frame).any():
            dropping.append(path)
    outcome = RewriteOutcome()
    for path in dropping:
        step(f"  {paths.display(path)}")
        frame = read_parquet(path, key)
        mask = drop(frame)
        kept = frame.filter(~mask)
        rewrite_like(_patched(kept, patches[path]) if path in patches else kept, path, key)
        if mask.any():
            outcome.rows_removed[paths.display(path)] = int(mask.sum())
        outcome.files_rewritten.append(paths.display(path))
    return outcome


def mapped_or_none(
    raw: pl.DataFrame, source: SourceConfig, config: NayoseConfig, display_name: str, file_hash: str
) -> pl.DataFrame | None:
    """`raw` mapped to canonical fields, or None for a file that no longer maps with nayose.yaml."""
    try:
        return map_to_canonical(raw, source, display_name=display_name, file_hash=file_hash, consent_fields=config.consent_fields)
    except IngestError:
        return None


@dataclass(frozen=True)
class HeldFileRows:
    """One landing copy or export: its rows as read (`raw`, with `source_row`),
    which of them a selection names (`mask`), and a note when it could only be
    matched by row (it no longer maps with nayose.yaml)."""

    path: Path
    display: str
    raw: pl.DataFrame
    mask: pl.Series
    note: str | None = None


def _selected_rows(
    raw: pl.DataFrame, mapped: pl.DataFrame | None, file_hash: str, selection: RowSelection, matcher: RowMatcher | None
) -> pl.Series:
    mask = frame_drop_mask(raw.with_columns(pl.lit(file_hash).alias("file_hash")), selection)
    if mapped is not None:
        mask = mask | frame_drop_mask(mapped, selection)
        if matcher is not None:
            mask = mask | matcher(raw, mapped)
    return mask


def landing_copy_rows(
    paths: ProjectPaths, config: NayoseConfig, selection: RowSelection, matcher: RowMatcher | None = None
) -> Iterator[HeldFileRows]:
    """Each landing copy (`data/raw/<source>/<file hash>.parquet`) with the
    rows `selection` names: by (file hash, row), by record key of any
    version, and by `matcher`. What an erasure removes and an access export
    shows."""
    for source in config.sources:
        for path in sorted((paths.raw / source.name).glob("*.parquet")):
            step(f"  landing copy {paths.display(path)}")
            raw = pl.read_parquet(path)
            mapped = mapped_or_none(raw, source, config, paths.display(path), path.stem)
            note = None if mapped is not None else f"{paths.display(path)}: no longer maps with nayose.yaml; matched by row only"
            yield HeldFileRows(path, paths.display(path), raw, _selected_rows(raw, mapped, path.stem, selection, matcher), note)


def rewrite_landing_copies(
    paths: ProjectPaths, config: NayoseConfig, selection: RowSelection, matcher: RowMatcher | None = None
) -> RewriteOutcome:
    """Rewrite the landing copies without the rows `landing_copy_rows` names
    (`matcher`: e.g. the identifiers on a suppression list, which also finds
    quarantined rows)."""
    outcome = RewriteOutcome()
    for held in landing_copy_rows(paths, config, selection, matcher):
        if held.note:
            outcome.notes.append(held.note)
        if held.mask.any():
            write_parquet_atomically(held.raw.filter(~held.mask), held.path)
            outcome.rows_removed[held.display] = int(held.mask.sum())
            outcome.files_rewritten.append(held.display)
    return outcome


def _lines(text: str, breaks: str) -> list[str]:
    """`text` cut after each line break as ingestion's reader sees them
    (`breaks`: a regex), breaks kept. Not `str.splitlines`, which also breaks
    at a lone `\\r` and at U+2028 and the like: a file whose lines end in
    `\\r\\r\\n` (a CRLF file converted once more) would have its rows
    miscounted, and the row after the person's removed instead of theirs."""
    parts = re.split(f"({breaks})", text)
    return [line + end for line, end in zip(parts[0::2], parts[1::2])] + ([parts[-1]] if parts[-1] else [])


def _csv_without_rows(text: str, rows: set[int], delimiter: str) -> str:
    """The CSV text minus data rows `rows` (1-based, header not counted, as
    ingestion numbers them); every other byte of the text is kept as is."""
    lines = _lines(text, "\n")  # polars ends a CSV line at a newline only
    before_header = 1 if lines and excel_separator(lines[0]) else 0  # Excel's `sep=;` line, kept
    kept, lines = lines[:before_header], lines[before_header:]
    reader = csv.reader(iter(lines), delimiter=delimiter)
    consumed = 0
    record = -1  # the header is record 0
    for _ in reader:
        record += 1
        span = lines[consumed:reader.line_num]
        consumed = reader.line_num
        if record not in rows:
            kept.extend(span)
    kept.extend(lines[consumed:])
    return "".join(kept)


def _jsonl_without_rows(text: str, rows: set[int]) -> str:
    """JSON lines minus lines `rows`, every other line as it was; a JSON array
    export minus elements `rows` (as ingestion numbers them), written again
    (one element a line, values unchanged, formatting not kept)."""
    if is_json_array(text[:1024]):
        kept = [value for number, value in enumerate(json.loads(text), start=1) if number not in rows]
        elements = ",\n".join(json.dumps(value, ensure_ascii=False) for value in kept)
        return f"[\n{elements}\n]\n" if kept else "[]\n"
    # ingestion numbers JSON lines as Python's text files read them: CR LF, CR or LF ends a line
    return "".join(line for number, line in enumerate(_lines(text, "\r\n|\r|\n"), start=1) if number not in rows)


def _write_bytes_atomically(data: bytes, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    shutil.copymode(target, tmp)
    _fsync(tmp)
    tmp.replace(target)


def rewrite_export_file(export: ExportFile, source: SourceConfig, rows: set[int]) -> None:
    """Rewrite one export file without data rows `rows`, keeping its format and
    encoding (CSV and JSON lines: every other line byte-identical after the
    decode/encode round trip)."""
    if source.format == "parquet":
        frame = pl.read_parquet(export.path)
        keep = ~pl.Series(range(1, frame.height + 1)).is_in(list(rows))
        tmp = export.path.with_name(f".{export.path.name}.{os.getpid()}.tmp")
        frame.filter(keep).write_parquet(tmp)
        _fsync(tmp)
        tmp.replace(export.path)
        return
    data = export.path.read_bytes()
    codec = text_codec(source.encoding, data[:4096], display_name=export.display_name)
    text = codec.decode(data)
    kept = _csv_without_rows(text, rows, source.delimiter) if source.format == "csv" else _jsonl_without_rows(text, rows)
    _write_bytes_atomically(codec.encode(kept), export.path)


def project_exports(paths: ProjectPaths, source: SourceConfig, known: dict | None = None) -> list[ExportFile]:
    """The source's export files inside the project directory (`known`:
    hashes already computed, as `find_export_files` takes them)."""
    return [e for e in find_export_files(paths.root, source, known) if paths.root in e.path.resolve().parents]


def export_rows(
    paths: ProjectPaths, config: NayoseConfig, selection: RowSelection, matcher: RowMatcher | None = None
) -> Iterator[tuple[ExportFile, SourceConfig, HeldFileRows]]:
    """Each export file inside the project directory with the rows
    `selection` (and `matcher`) names, as `landing_copy_rows` (exports outside
    it belong to their source systems and are neither held nor edited). An
    unreadable export comes with an empty frame and a note."""
    for source in config.sources:
        for export in project_exports(paths, source):
            step(f"  export {export.display_name}")
            try:
                raw = read_export(export, source)
            except IngestError:
                empty = pl.DataFrame(schema={"source_row": pl.Int64})
                yield export, source, HeldFileRows(export.path, export.display_name, empty, pl.Series([], dtype=pl.Boolean), f"{export.display_name}: unreadable, not checked")
                continue
            mapped = mapped_or_none(raw, source, config, export.display_name, export.file_hash)
            mask = _selected_rows(raw, mapped, export.file_hash, selection, matcher)
            yield export, source, HeldFileRows(export.path, export.display_name, raw, mask)


@dataclass(frozen=True)
class RewrittenExport:
    """An export inside the project rewritten without `removed_rows` (its
    data rows as ingestion numbers them): its content hash went from
    `old_hash` to `new_hash`, and each later row moved up by the rows
    removed before it."""

    source: str
    display_name: str
    old_hash: str
    new_hash: str
    removed_rows: frozenset[int]


def rewrite_exports(
    paths: ProjectPaths, config: NayoseConfig, selection: RowSelection, matcher: RowMatcher | None = None
) -> tuple[RewriteOutcome, list[RewrittenExport]]:
    """Rewrite the export files inside the project directory without the rows
    `export_rows` names. Returns the outcome and each file rewritten (for the
    ingestion ledger and `follow_rewritten_exports`)."""
    from ingestion.decoding import file_sha256

    outcome, rewritten = RewriteOutcome(), []
    for export, source, held in export_rows(paths, config, selection, matcher):
        if held.note:
            outcome.notes.append(held.note)
        if not held.mask.any():
            continue
        rows = set(held.raw.filter(held.mask)["source_row"].to_list())
        rewrite_export_file(export, source, rows)
        outcome.rows_removed[export.display_name] = len(rows)
        outcome.files_rewritten.append(export.display_name)
        rewritten.append(
            RewrittenExport(source.name, export.display_name, export.file_hash, file_sha256(export.path), frozenset(rows))
        )
    return outcome, rewritten


def _removed_rows(rewritten: list[RewrittenExport]) -> pl.DataFrame:
    return pl.DataFrame(
        [(r.old_hash, row) for r in rewritten for row in sorted(r.removed_rows)],
        schema={"h": pl.Utf8, "r": pl.Int64},
        orient="row",
    )


def renumbered_rows(source_row: pl.Expr, removed_rows: frozenset[int]) -> pl.Expr:
    """`source_row` of a file after `removed_rows` left it: less the rows
    removed before it (what ingestion numbers the rewritten file's row)."""
    removed = pl.Series(sorted(removed_rows), dtype=pl.Int64)
    return source_row - pl.lit(removed).search_sorted(source_row.cast(pl.Int64), side="left").cast(pl.Int64)


def follow_rewritten_exports(database: Path, rewritten: list[RewrittenExport]) -> None:
    """Give the rows of rewritten exports the lineage a `--full` run reading
    them again gives: in the unpublished warehouse file `database`, every
    table's (file_hash, source_row) of an old hash becomes the new hash and
    the renumbered row (`records`, and `quarantine`, whose id-less rows have
    no other key). Otherwise the incremental state and a `--full` rebuild
    disagree on every row after a removed one. Only hashes and row numbers
    change (no personal value), so an in-place update is fine here. The
    landing copies follow once the warehouse is in place (`move_landing_copies`)."""
    if not rewritten:
        return
    moved = pl.DataFrame(
        [(r.old_hash, r.new_hash) for r in rewritten], schema={"h": pl.Utf8, "new_h": pl.Utf8}, orient="row"
    )
    con = duckdb.connect(str(database))
    try:
        con.register("_moved", moved.to_arrow())
        con.register("_removed", _removed_rows(rewritten).to_arrow())
        tables = con.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'main' "
            "AND column_name IN ('file_hash', 'source_row') GROUP BY table_name HAVING count(*) = 2"
        ).fetchall()
        for (table,) in tables:
            con.execute(
                f'UPDATE main."{table}" AS t SET file_hash = m.new_h, source_row = t.source_row - '
                "(SELECT count(*) FROM _removed d WHERE d.h = t.file_hash AND d.r < t.source_row) "
                "FROM _moved m WHERE t.file_hash = m.h"
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    _fsync(database)


def move_landing_copies(paths: ProjectPaths, rewritten: list[RewrittenExport]) -> None:
    """Each rewritten export's landing copy under its new hash, rows
    renumbered (as `follow_rewritten_exports` did in the warehouse): the copy
    a `--full` run would land. One already under the new name is left alone."""
    for r in rewritten:
        old, new = paths.raw / r.source / f"{r.old_hash}.parquet", paths.raw / r.source / f"{r.new_hash}.parquet"
        if not old.exists() or new.exists():
            continue
        copy = pl.read_parquet(old)
        row = renumbered_rows(pl.col("source_row"), r.removed_rows).cast(copy.schema["source_row"])
        write_parquet_atomically(copy.with_columns(row), new)
        old.unlink()
