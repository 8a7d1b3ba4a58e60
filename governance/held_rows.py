"""Every source row the project holds, as the identifiers it carries.

The warehouse's `records` hold each record's current version only. The
landing copies (`data/raw/<source>/<file hash>.parquet`) and the exports
inside the project also hold what a person was before: a superseded version
with their former email, a row quarantined without an id, a record the source
deleted or a snapshot dropped. A request naming an identifier only such a row
carries must still find the person, and an erasure must remove those rows, so
erasure and access both find the person among these rows (governance.subjects).

Rows are keyed by (file hash, source row): an export and its landing copy are
the same file and are read once. The warehouse's records are taken as they
are; only the rows it does not hold are mapped and standardized, which at the
first night of a project is none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from governance.progress import step
from governance.rewrite import mapped_or_none, project_exports
from governance.suppression import with_identity_columns
from ingestion import IngestError, read_export
from ingestion.exports import known_hashes
from nayose_config import NayoseConfig
from warehouse import ProjectPaths, read_table

IDENTITY_COLUMNS = {
    "record_key": pl.Utf8, "file_hash": pl.Utf8, "source_row": pl.Int64,
    "std_email": pl.Utf8, "std_phone": pl.Utf8, "std_full_name": pl.Utf8, "std_birth_date": pl.Utf8,
    "family_name": pl.Utf8, "given_name": pl.Utf8, "full_name": pl.Utf8,
    "family_name_kana": pl.Utf8, "given_name_kana": pl.Utf8, "full_name_kana": pl.Utf8,
    "email": pl.Utf8, "phone": pl.Utf8, "address_line": pl.Utf8, "std_full_kana": pl.Utf8,
    "std_family_name": pl.Utf8, "std_given_name": pl.Utf8, "std_family_kana": pl.Utf8, "std_given_kana": pl.Utf8,
    "mk_family_roman": pl.Utf8, "mk_given_roman": pl.Utf8, "mk_name_pair": pl.Utf8,
    "national_id": pl.Utf8, "std_national_id": pl.Utf8, "std_national_id_type": pl.Utf8,
}
"""What is kept of each row: where it is, who it is (the standardized email,
phone, national id and its kind, name and birth date a request or a
suppression hash is compared with, the name's romanized parts in sorted
order among them), the values as held, which the residual search looks for,
and the name's parts and romanization, which tell it the values another
customer holds."""


@dataclass(frozen=True)
class HeldRows:
    """`rows` (IDENTITY_COLUMNS; `record_key` null for a row without an id),
    one per (file hash, source row); `notes` name files that could not be read
    or mapped (no values)."""

    rows: pl.DataFrame
    notes: list[str] = field(default_factory=list)


def identity_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (standardized records) as IDENTITY_COLUMNS, missing ones null."""
    if not frame.height:
        return pl.DataFrame(schema=IDENTITY_COLUMNS)
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in IDENTITY_COLUMNS.items()
    )


def _standardized(mapped: pl.DataFrame) -> pl.DataFrame:
    return identity_rows(with_identity_columns(mapped))


def _new_rows(raw: pl.DataFrame, file_hash: str, seen: pl.DataFrame) -> pl.DataFrame:
    """The rows of `raw` (one file) whose (file hash, source row) is not in `seen`."""
    known = seen.filter(pl.col("file_hash") == file_hash)["source_row"]
    return raw.filter(~pl.col("source_row").cast(pl.Int64).is_in(known.implode()))


def held_rows(paths: ProjectPaths, config: NayoseConfig, records: pl.DataFrame | None = None) -> HeldRows:
    """The warehouse's `records` (read when not given) and every other row of
    the landing copies and the exports inside the project, standardized."""
    records = read_table(paths.warehouse, "records") if records is None else records
    parts = [identity_rows(records)] if records is not None and records.height else []
    seen = pl.concat(parts).select("file_hash", "source_row") if parts else pl.DataFrame(schema={"file_hash": pl.Utf8, "source_row": pl.Int64})
    notes: list[str] = []
    unheld: list[pl.DataFrame] = []  # mapped rows the warehouse does not hold
    ledger = read_table(paths.warehouse, "ingested_files")
    for source in config.sources:
        for path in sorted((paths.raw / source.name).glob("*.parquet")):
            raw = _new_rows(pl.read_parquet(path), path.stem, seen)
            if not raw.height:
                continue
            step(f"  landing copy {paths.display(path)}: {raw.height} row(s) the warehouse does not hold")
            mapped = mapped_or_none(raw, source, config, paths.display(path), path.stem)
            if mapped is None:
                notes.append(f"{paths.display(path)}: no longer maps with nayose.yaml; its rows are found by record only")
                continue
            unheld.append(mapped)
            seen = pl.concat([seen, mapped.select("file_hash", "source_row")])
        for export in project_exports(paths, source, known_hashes(ledger)):
            try:
                raw = _new_rows(read_export(export, source), export.file_hash, seen)
            except IngestError:
                notes.append(f"{export.display_name}: unreadable, not searched")
                continue
            if not raw.height:
                continue
            step(f"  export {export.display_name}: {raw.height} row(s) no landing copy holds")
            mapped = mapped_or_none(raw, source, config, export.display_name, export.file_hash)
            if mapped is None:
                notes.append(f"{export.display_name}: does not map with nayose.yaml, not searched")
                continue
            unheld.append(mapped)
            seen = pl.concat([seen, mapped.select("file_hash", "source_row")])
    if unheld:  # standardized at once: a call costs 0.2-0.4 s even for one row
        parts.append(_standardized(pl.concat(unheld, how="diagonal_relaxed")))
    rows = pl.concat(parts, how="vertical_relaxed") if parts else identity_rows(pl.DataFrame())
    return HeldRows(rows.unique(["file_hash", "source_row", "record_key"], maintain_order=True), notes)
