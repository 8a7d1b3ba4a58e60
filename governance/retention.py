"""Retention: records and field values kept no longer than nayose.yaml says.

A record's age runs from its last update (`std_updated_at`), else from the
day its file was ingested (`ingested_files.partition`); a record whose age is
unknown is kept and counted. The sweep removes expired records from every
store (the erasure rewrite: no bytes left behind), clears expired field
values in the warehouse base and the landing copies, optionally archives
what it removes (`data/archive/`, itself subject to erasure), and appends a
`retention_sweep` audit entry. A golden record that keeps some of its records
(or one of whose records lost a field value) is rebuilt from what remains, by
the nightly run's survivorship and consent merge, in the warehouse and the
golden Parquet alike: no golden value or lineage row is left that came from
an expired record or value. It keeps its golden id (a shrink is no identity
event: the nightly run logs none when a golden record loses a record either). A golden record removed leaves the purpose
extracts too (those under `data/extracts/` and those the audit log records
elsewhere), found by its pseudonyms (which need the pseudonymization key),
with the ids merged into it earlier; each of those ids gets an `erased`
identity event (as an erasure writes), which explains why it is gone. Exports inside the project are the source
systems' files and are not edited: a `--full` rebuild re-reads them, and the
next sweep expires them again.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

from governance.audit import AuditEvent, chain_entries
from governance.derived_copies import (
    remove_review_viewer,
    rewrite_steward_decisions,
    rewrite_steward_material,
)
from governance.extracts import (
    extract_files,
    extract_pseudonyms,
    lost_extract_notes,
    refreshed_extract_rows,
)
from governance.progress import step
from governance.pseudonymization import KEY_ENV, PseudonymKeyMissing
from governance.rewrite import (
    RowSelection,
    frame_drop_mask,
    merge_outcome,
    rewrite_landing_copies,
    rewrite_parquet_files,
    rewrite_warehouse,
    rows_like,
)
from governance.settings import RetentionSettings
from nayose_config import NayoseConfig, load_config
from resolution.golden_ids import erased_events, merged_into
from resolution.golden_records import build_golden
from warehouse import (
    ProjectPaths,
    holding_warehouse_lock,
    read_table,
    write_parquet_atomically,
)
from warehouse.store import TablePatch, read_tables

_FAMILY_KEYS = ("mk_family", "mk_family_roman", "mk_family_start", "mk_family_alt", "mk_family_consonants", "mk_family_cjk")
_GIVEN_KEYS = ("mk_given", "mk_given_roman", "mk_given_start", "mk_given_names", "mk_given_alt", "mk_given_consonants", "mk_given_cjk")
_NAME_KEYS = ("mk_name_pair", "mk_email_mailbox", "mk_name_words", "mk_middle_names")
"""Match keys derived from a name part (`match_keys.add_match_keys`), or from
both (the email's mailbox is null where it spells the name alone)."""

FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "family_name": ("family_name", "std_family_name", "std_full_name", "std_name_suffix", *_FAMILY_KEYS, *_NAME_KEYS),
    "given_name": ("given_name", "std_given_name", "std_full_name", "std_name_suffix", *_GIVEN_KEYS, *_NAME_KEYS),
    "full_name": (
        "full_name", "std_family_name", "std_given_name", "std_full_name", "std_name_suffix",
        *_FAMILY_KEYS, *_GIVEN_KEYS, *_NAME_KEYS,
    ),
    # a name part's match keys read its kana where there is one (`mk_family` is the reading)
    "family_name_kana": ("family_name_kana", "std_family_kana", "std_full_kana", *_FAMILY_KEYS, *_NAME_KEYS),
    "given_name_kana": ("given_name_kana", "std_given_kana", "std_full_kana", *_GIVEN_KEYS, *_NAME_KEYS),
    "full_name_kana": (
        "full_name_kana", "std_family_kana", "std_given_kana", "std_full_kana", *_FAMILY_KEYS, *_GIVEN_KEYS, *_NAME_KEYS,
    ),
    "birth_date": ("birth_date", "std_birth_date", "mk_birth_date"),
    "email": ("email", "std_email", "std_email_local", "mk_email_mailbox"),
    "phone": ("phone", "std_phone", "std_phone_type", "mk_phone_last8"),
    "postal_code": ("postal_code", "std_postal_code", "std_postal_prefecture", "mk_postal_area"),
    "address_line": ("address_line", "std_address", "mk_address"),
    "building": ("building", "std_building"),
    "city": ("city", "std_city", "mk_city"),
    "national_id": ("national_id", "national_id_type", "std_national_id", "std_national_id_type"),
}
"""Columns of the `records` table that hold (or are derived from) each canonical field."""


def _reference_dates(records: pl.DataFrame, ingested: pl.DataFrame | None) -> pl.DataFrame:
    """`record_key`, `source_system`, `file_hash`, `source_row`, `since` (Date or null)."""
    frame = records.select("record_key", "source_system", "file_hash", "source_row", "std_updated_at")
    if ingested is not None and ingested.height:
        days = ingested.select("file_hash", pl.col("partition").str.to_date(strict=False).alias("_ingested")).unique("file_hash")
        frame = frame.join(days, on="file_hash", how="left")
    else:
        frame = frame.with_columns(pl.lit(None, pl.Date).alias("_ingested"))
    return frame.with_columns(
        pl.coalesce(pl.col("std_updated_at").cast(pl.Datetime("us")).dt.date(), pl.col("_ingested")).alias("since")
    ).drop("std_updated_at", "_ingested")


def expired_records(records: pl.DataFrame, retention: RetentionSettings, today: date, ingested: pl.DataFrame | None = None) -> pl.DataFrame:
    """Records past their source's retention: `record_key`, `source_system`,
    `file_hash`, `source_row`, `since`. Sources without a period never expire."""
    if not retention.sources or not records.height:
        return _reference_dates(records.head(0), None)
    dated = _reference_dates(records, ingested)
    days = pl.col("source_system").replace_strict(retention.sources, default=None, return_dtype=pl.Int64)
    age = (pl.lit(today) - pl.col("since")).dt.total_days()
    return dated.filter((age > days).fill_null(False))


def expired_fields(records: pl.DataFrame, retention: RetentionSettings, today: date, ingested: pl.DataFrame | None = None) -> pl.DataFrame:
    """(`record_key`, `field`, `file_hash`, `source_row`) for every field value
    past its field's retention (only where the value is present)."""
    parts = []
    if retention.fields and records.height:
        dated = _reference_dates(records, ingested)
        age = (pl.lit(today) - pl.col("since")).dt.total_days()
        for name, days in retention.fields.items():
            if name not in records.columns:
                continue
            present = records.select("record_key", pl.col(name).is_not_null().alias("_present"))
            parts.append(
                dated.join(present, on="record_key")
                .filter(pl.col("_present") & (age > days).fill_null(False))
                .select("record_key", pl.lit(name).alias("field"), "file_hash", "source_row")
            )
    schema = {"record_key": pl.Utf8, "field": pl.Utf8, "file_hash": pl.Utf8, "source_row": pl.Int64}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def clear_fields(frame: pl.DataFrame, expired: pl.DataFrame, columns_of: dict[str, tuple[str, ...]]) -> pl.DataFrame:
    """`frame` with the columns of each expired (`record_key`, `field`) set to null."""
    for name in expired["field"].unique().to_list():
        keys = expired.filter(pl.col("field") == name)["record_key"].implode()
        hit = pl.col("record_key").is_in(keys)
        frame = frame.with_columns(
            pl.when(hit).then(None).otherwise(pl.col(c)).alias(c) for c in columns_of.get(name, (name,)) if c in frame.columns
        )
    return frame


@dataclass
class RetentionReport:
    """What a sweep removed or cleared (counts and file names, no values)."""

    today: str
    records_expired: int = 0
    golden_records_removed: int = 0
    golden_records_rebuilt: int = 0
    field_values_cleared: int = 0
    records_of_unknown_age: int = 0
    archived_to: str | None = None
    rows_removed: dict[str, int] = field(default_factory=dict)
    files_rewritten: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _clear_landing_fields(paths: ProjectPaths, expired: pl.DataFrame) -> list[str]:
    """Null expired fields in landing copies where the field maps to a plain column."""
    config = load_config(paths.root)
    rewritten = []
    for source in config.sources:
        for path in sorted((paths.raw / source.name).glob("*.parquet")):
            hits = expired.filter(pl.col("file_hash") == path.stem)
            if not hits.height:
                continue
            raw = pl.read_parquet(path)
            columns_of = {f: (source.fields[f],) for f in hits["field"].unique().to_list() if source.fields.get(f) in raw.columns}
            if not columns_of:
                continue
            keyed = raw.with_columns(pl.col("source_row").cast(pl.Utf8).alias("record_key"))
            cleared = clear_fields(keyed, hits.with_columns(pl.col("source_row").cast(pl.Utf8).alias("record_key")), columns_of)
            write_parquet_atomically(cleared.drop("record_key"), path)
            rewritten.append(paths.display(path))
    return rewritten


def rebuilt_golden(
    kept: pl.DataFrame, crosswalk: pl.DataFrame, golden_ids: set[str], config: NayoseConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The golden records `golden_ids` (and their lineage) built again from
    their records in `kept` (the records that stay, expired values cleared),
    as the nightly run builds them. Ids left with no record in `kept` get no
    row (they go with their records)."""
    remaining = crosswalk.filter(
        pl.col("golden_id").is_in(sorted(golden_ids)) & pl.col("record_key").is_in(kept["record_key"].implode())
    )
    records = kept.filter(pl.col("record_key").is_in(remaining["record_key"].implode()))
    return build_golden(records, remaining, config)


def _golden_patches(
    paths: ProjectPaths, ids: set[str], golden: pl.DataFrame, lineage: pl.DataFrame
) -> tuple[dict[str, TablePatch], dict[Path, TablePatch]]:
    """The rebuilt golden records and lineage as patches (by golden id) of the
    warehouse tables that exist, shaped like each table, and of the golden
    Parquet files that exist (shaped there as each file is)."""
    keys = pl.Series("golden_id", sorted(ids), dtype=pl.Utf8)
    empty = read_tables(  # the tables' columns only: no row is read
        paths.warehouse,
        "golden_records",
        "golden_lineage",
        substitute=lambda con, present: {
            t: pl.from_arrow(con.sql(f'SELECT * FROM "{t}" LIMIT 0').to_arrow_table()) for t in present
        },
    )
    tables = {
        table: TablePatch(key="golden_id", keys=keys, rows=rows_like(rows, empty[table].schema))
        for table, rows in (("golden_records", golden), ("golden_lineage", lineage))
        if empty[table] is not None
    }
    files = {  # the rows in each file's order within a golden id (the lineage's: by attribute)
        path: TablePatch(key="golden_id", keys=keys, rows=rows.sort(order))
        for path, rows, order in (
            (paths.golden_records, golden, ["golden_id"]),
            (paths.golden_lineage, lineage, ["golden_id", "attribute"]),
        )
        if path.exists()
    }
    return tables, files


@holding_warehouse_lock
def sweep_retention(
    paths: ProjectPaths, retention: RetentionSettings, *, today: date, actor: str, key: bytes | None = None
) -> RetentionReport:
    """Apply `retention` to the project's stores as of `today` and log it.

    Expired records leave every store (golden records whose every record
    expired go with them, from the purpose extracts too: `key` is the
    pseudonymization key, needed only when extracts exist); expired field
    values are cleared in the warehouse base and landing copies. A golden
    record that keeps some of its records, or whose records lost a value, is
    rebuilt from what remains (`rebuilt_golden`) in the warehouse, the golden
    Parquet and its rows of the purpose extracts (`refreshed_extract_rows`:
    a birth year or a consent that came from an expired record goes). With
    `action: archive`, removed records are first written to
    `data/archive/retention_<today>.parquet`. Returns the RetentionReport.

    Refuses (`PseudonymKeyMissing`), before changing anything, a sweep that
    removes or rebuilds golden records while extracts exist and `key` is None."""
    started = time.perf_counter()
    report = RetentionReport(today=today.isoformat())
    records = read_table(paths.warehouse, "records")
    if records is None or not records.height:
        return report
    ingested = read_table(paths.warehouse, "ingested_files")
    expired = expired_records(records, retention, today, ingested)
    report.records_of_unknown_age = _reference_dates(records, ingested).filter(pl.col("since").is_null()).height
    keys = set(expired["record_key"].to_list())
    crosswalk = read_table(paths.warehouse, "crosswalk")
    gone_golden: set[str] = set()
    if crosswalk is not None and keys:
        per_golden = crosswalk.group_by("golden_id").agg(pl.col("record_key").is_in(list(keys)).all().alias("all_expired"))
        gone_golden = set(per_golden.filter("all_expired")["golden_id"].to_list())
    fields = expired_fields(records.filter(~pl.col("record_key").is_in(list(keys))), retention, today, ingested)
    # golden records that lose a record or a value but stay: rebuilt from what they keep
    touched = keys | set(fields["record_key"].to_list())
    rebuilding = set() if crosswalk is None else set(
        crosswalk.filter(pl.col("record_key").is_in(sorted(touched)))["golden_id"].to_list()
    ) - gone_golden
    extracts = extract_files(paths) if gone_golden or rebuilding else []
    if extracts and key is None:
        raise PseudonymKeyMissing(
            f"{len(gone_golden)} golden record(s) expire and {len(rebuilding)} are rebuilt, and "
            f"{paths.display(extracts[0].parent)} holds purpose extracts, keyed by pseudonyms: set {KEY_ENV} "
            "(the key the extracts were written with) so their rows are removed or rebuilt too; nothing was changed"
        )
    config = load_config(paths.root)
    removed_ids = gone_golden | merged_into(gone_golden, read_table(paths.warehouse, "identity_events"))
    selection = RowSelection(
        frozenset(removed_ids),
        frozenset(keys),
        frozenset((h, int(r)) for h, r in expired.select("file_hash", "source_row").drop_nulls().iter_rows()),
        frozenset(extract_pseudonyms(paths, removed_ids, config.privacy.purposes, key) if extracts and key else ()),
    )
    report.records_expired, report.golden_records_removed, report.field_values_cleared = len(keys), len(gone_golden), fields.height
    step(
        f"[retention] {len(keys)} record(s) expired, {fields.height} field value(s) to clear; "
        f"{len(gone_golden)} golden record(s) go, {len(rebuilding)} are rebuilt"
    )
    if selection.is_empty() and not fields.height:
        return report
    kept = clear_fields(records.filter(~pl.col("record_key").is_in(list(keys))), fields, FIELD_COLUMNS)
    golden, lineage = rebuilt_golden(kept, crosswalk, rebuilding, config) if rebuilding else (None, None)
    table_patches, file_patches = _golden_patches(paths, rebuilding, golden, lineage) if rebuilding else ({}, {})
    if rebuilding and extracts and key is not None:  # their extract rows too: a birth year or consent may have gone
        file_patches |= refreshed_extract_rows(paths, golden, key)
    report.golden_records_rebuilt = len(rebuilding)
    # first: it refuses an output file it cannot read before anything has changed
    step("[retention] golden outputs and extracts")
    outputs = rewrite_parquet_files(
        paths,
        sorted(paths.golden_dir.glob("*.parquet")) + extracts,
        lambda f: frame_drop_mask(f, selection),
        file_patches,
    )
    if gone_golden or rebuilding:  # the extracts the audit log records that the sweep could not reach
        report.notes += lost_extract_notes(paths)
    if retention.action == "archive" and keys:
        target = paths.data / "archive" / f"retention_{today.isoformat()}.parquet"
        write_parquet_atomically(records.filter(pl.col("record_key").is_in(list(keys))), target)
        report.archived_to = paths.display(target)
    step("[retention] landing copies")
    landing = rewrite_landing_copies(paths, config, selection)
    report.rows_removed = landing.rows_removed | outputs.rows_removed
    report.files_rewritten = landing.files_rewritten + outputs.files_rewritten + _clear_landing_fields(paths, fields)

    def audit_rows(_new) -> pl.DataFrame:
        report.duration_seconds = round(time.perf_counter() - started, 3)
        event = AuditEvent(actor, "retention_sweep", f"as of {today.isoformat()}", "success", report.as_dict())
        return chain_entries(read_table(paths.warehouse, "audit_log"), [event])

    merge_outcome(report, rewrite_steward_decisions(paths, selection))
    if not selection.is_empty():
        merge_outcome(report, remove_review_viewer(paths))
    step("[retention] rewriting the warehouse")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    events = erased_events(removed_ids, run_id=f"retention_sweep:{today.isoformat()}@{now}")
    outcome = rewrite_warehouse(
        paths.warehouse,
        selection,
        replace={"records": kept},
        patch=table_patches,
        append={"identity_events": events} if events.height else None,
        before_swap=audit_rows,
    )
    report.rows_removed |= {f"warehouse:{t}": n for t, n in outcome.rows_removed.items()}
    report.files_rewritten.append(paths.display(paths.warehouse))
    merge_outcome(report, rewrite_steward_material(paths, config.security))  # masked copies of the new tables
    return report

