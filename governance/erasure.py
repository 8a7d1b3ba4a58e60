"""Erasure requests: remove a person from every store the project writes.

The person is found by governance.subjects (as an access request finds
them): by an identifier (email, phone, national id) any held row carries, a
former one included, or by a golden id, a merged one followed to the id it
was merged into. Each golden id
removed (theirs and those merged into them) gets an `erased` identity event,
which explains to the systems that knew it why the id is gone.

Order matters for a crash half-way: the suppression list first (so a re-run
cannot bring the person back), then landing copies and exports inside the
project, golden/extract/archive Parquet (extracts wherever the audit log
records them), the steward decisions, the staging
scratch space and the review comparison viewer, and the warehouse last, whose
rewrite also carries the audit entry. Before the new warehouse is swapped in,
the steward's masked copies are written again from it (governance.
derived_copies), then the whole project directory (but `.git` folders and
virtual environments) is searched byte for byte (governance.residuals) for
the person's values; what is found is named (file only) in the report and the
audit entry, which then says `incomplete`.

Not covered: backups and copies outside the project directory, and exports
outside it (they belong to their source systems); Dagster's `dagster_home/`
is searched, never edited (the project keeps personal data out of it).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from governance.audit import AuditEvent, chain_entries
from governance.derived_copies import (
    remove_review_viewer,
    rewrite_steward_decisions,
    rewrite_steward_material,
)
from governance.extracts import extract_files, extract_pseudonyms, lost_extract_notes
from governance.progress import step
from governance.residuals import find_residuals
from governance.rewrite import (
    RewrittenExport,
    follow_rewritten_exports,
    frame_drop_mask,
    merge_outcome,
    move_landing_copies,
    rewrite_exports,
    rewrite_landing_copies,
    rewrite_parquet_files,
    rewrite_warehouse,
)
from governance.subjects import (
    StandardizedRequest,
    Subject,
    SubjectRequest,
    find_subject,
    subject_suppression_entries,
    values_others_hold,
)
from governance.suppression import add_to_suppression, check_key
from nayose_config import load_config
from resolution.golden_ids import erased_events
from security.encryption import parquet_key
from warehouse import ProjectPaths, holding_warehouse_lock, read_table


@dataclass
class ErasureReport:
    """What an erasure did (no personal values: the request is a keyed hash)."""

    request: str
    found: bool
    golden_records_removed: int = 0
    source_records_removed: int = 0
    golden_id_followed: dict[str, str] = field(default_factory=dict)  # id asked for -> the id it was merged into
    merged_golden_ids_removed: int = 0  # ids merged into theirs earlier (older extracts, identity events)
    rows_removed: dict[str, int] = field(default_factory=dict)
    files_rewritten: list[str] = field(default_factory=list)
    exports_rewritten: list[str] = field(default_factory=list)
    suppression_added: int = 0
    residual_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.residual_files

    def as_dict(self) -> dict:
        return asdict(self) | {"complete": self.complete}

    def for_the_log(self) -> dict:
        """`as_dict` without the golden ids the request named: what Dagster's
        log and the audit log keep, where a request is named by its keyed hash."""
        return {k: v for k, v in self.as_dict().items() if k != "golden_id_followed"}


def _output_parquet_files(paths: ProjectPaths) -> list[Path]:
    """Every Parquet output other than landing copies and the suppression list
    (the extracts wherever the audit log says they were written)."""
    files = []
    for directory in (paths.golden_dir, paths.data / "archive"):
        files += sorted(directory.rglob("*.parquet")) if directory.exists() else []
    return files + extract_files(paths)


def _ledger_with_rewritten(paths: ProjectPaths, rewritten: list[RewrittenExport]) -> pl.DataFrame | None:
    """`ingested_files` plus a row per rewritten export that was already ingested,
    so the next run does not ingest the rest of it a second time."""
    ledger = read_table(paths.warehouse, "ingested_files")
    if ledger is None or not rewritten:
        return None
    added = []
    for export in rewritten:
        source, old, new = export.source, export.old_hash, export.new_hash
        previous = ledger.filter((pl.col("source_system") == source) & (pl.col("file_hash") == old))
        if previous.height:
            row = previous.head(1).with_columns(pl.lit(new).alias("file_hash"))
            # the rewritten file has another size and time: the old ones must not vouch for its hash
            stale = [c for c in ("file_size", "file_mtime_ns") if c in row.columns]
            added.append(row.with_columns([pl.lit(None, dtype=row.schema[c]).alias(c) for c in stale]))
    return pl.concat([ledger, *added], how="vertical_relaxed") if added else None


def _search_values(subject: Subject, std: StandardizedRequest) -> tuple[list[str], set[str]]:
    """What the residual search looks for, and which of it are names and
    emails (matched as words): the person's values, former ones included,
    and the request's identifiers, but those another customer holds too (a
    namesake's name, a shared family email), which stay with that customer."""
    values = set(subject.literal_values())
    request = std.given
    asked_words = {request.email, std.email, request.national_id, std.national_id} - {None}
    values |= {v for v in (request.phone, std.phone) if v} | asked_words
    searched = values - values_others_hold(subject, sorted(values))
    words = subject.word_values() | asked_words
    return sorted(searched), words & searched


@holding_warehouse_lock
def erase_person(
    paths: ProjectPaths,
    *,
    email: str | None = None,
    phone: str | None = None,
    golden_id: str | None = None,
    key: bytes,
    actor: str,
    country: str = "JP",
    national_id: str | None = None,
    national_id_type: str | None = None,
) -> ErasureReport:
    """Erase the person named by email, phone, national id or golden id from
    every store under the project directory and add them to the suppression
    list (a national id as the keyed hash of its kind and number, like the others). An
    identifier only a superseded version, an export or a quarantined row
    still carries names them too; a golden id a merge retired is followed to
    the id it was merged into (`golden_id_followed`).

    In: the project's paths, at least one identifier (a phone without `+`,
    and a national id without `national_id_type`, are read in `country`),
    the pseudonymization key, who asked (for the audit).
    Out: an ErasureReport (counts, rewritten files, residual files: empty when
    a byte-level search finds nothing left). A person not held is still added
    to the suppression list by the identifiers given. Refuses, before
    anything changes, a request without a usable identifier
    (SubjectRequestError), a key the suppression list was not written with
    (PseudonymKeyMismatch) and, with `security.encryption` enabled, a missing
    Parquet key (ParquetKeyMissing: the encrypted golden Parquet could not be
    read to remove the person from it)."""
    started = time.perf_counter()
    check_key(paths, key)
    std = SubjectRequest(
        email=email, phone=phone, golden_id=golden_id, country=country, national_id=national_id, national_id_type=national_id_type
    ).standardized()  # once: the reference, the search and the residual search share it
    report = ErasureReport(request=std.reference(key), found=False)
    config = load_config(paths.root)
    parquet_key(config.security.encryption, paths.root)  # before the search: a missing key is said at once
    step("[erase] looking for the person in the warehouse, landing copies and exports")
    subject = find_subject(paths, std, config)
    step(f"[erase] {len(subject.golden_ids)} golden record(s), {len(subject.record_keys)} source record(s) found")
    report.found = subject.found
    report.golden_records_removed = len(subject.golden_ids)
    report.source_records_removed = len(subject.record_keys)
    report.golden_id_followed = dict(subject.followed)
    report.merged_golden_ids_removed = len(subject.former_golden_ids)
    if subject.followed:
        report.notes.append("the golden id asked for was merged into another: that one is erased (golden_id_followed)")
    report.notes += list(subject.notes)
    golden_ids = subject.golden_ids | subject.former_golden_ids
    pseudonyms = extract_pseudonyms(paths, golden_ids, config.privacy.purposes, key)
    selection = subject.selection(frozenset(pseudonyms))
    # first: it refuses an output file it cannot read before anything has changed
    step("[erase] golden outputs and extracts")
    merge_outcome(
        report, rewrite_parquet_files(paths, _output_parquet_files(paths), lambda f: frame_drop_mask(f, selection))
    )
    report.notes += lost_extract_notes(paths)

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    entries = subject_suppression_entries(subject, key).with_columns(pl.lit(now).alias("added_at"))
    report.suppression_added = add_to_suppression(paths, entries, key)

    step("[erase] landing copies")
    merge_outcome(report, rewrite_landing_copies(paths, config, selection))
    step("[erase] source exports inside the project")
    exports, rewritten = rewrite_exports(paths, config, selection)
    merge_outcome(report, exports)
    report.exports_rewritten = exports.files_rewritten
    merge_outcome(report, rewrite_steward_decisions(paths, selection))
    if not selection.is_empty():
        merge_outcome(report, remove_review_viewer(paths))
    if paths.staging.exists():
        shutil.rmtree(paths.staging)  # scratch copies of the last run, personal data included
        report.notes.append("staging scratch space deleted")

    values, words = _search_values(subject, std)

    def audit_rows(new_warehouse: Path) -> pl.DataFrame:
        step("[erase] searching every file of the project for what is left")
        residuals = find_residuals(paths.root, values, skip=[paths.warehouse], words=words)
        # The new warehouse is still under its temporary name: report it by its real one.
        report.residual_files = sorted({paths.display(paths.warehouse if r.path == new_warehouse else r.path) for r in residuals})
        report.duration_seconds = round(time.perf_counter() - started, 3)
        event = AuditEvent(
            actor=actor,
            action="erasure",
            object=f"subject {report.request}",
            outcome=("success" if report.complete else "incomplete") if report.found else "not_found",
            details={k: v for k, v in report.for_the_log().items() if k != "request"},
        )
        return chain_entries(read_table(paths.warehouse, "audit_log"), [event])

    def before_swap(new_warehouse: Path) -> pl.DataFrame:
        # the rows of rewritten exports where a --full run would read them (new hash, renumbered)
        follow_rewritten_exports(new_warehouse, rewritten)
        # the stewards' masked copies of the new tables first, so the search sees them as they will be
        merge_outcome(report, rewrite_steward_material(paths, config.security, database=new_warehouse))
        return audit_rows(new_warehouse)

    ledger = _ledger_with_rewritten(paths, rewritten)
    if paths.warehouse.exists():
        step("[erase] rewriting the warehouse")
        events = erased_events(golden_ids, run_id=f"erasure:{report.request}@{now}")
        outcome = rewrite_warehouse(
            paths.warehouse,
            selection,
            replace={"ingested_files": ledger} if ledger is not None else None,
            append={"identity_events": events} if events.height else None,
            before_swap=before_swap,
        )
        report.rows_removed |= {f"warehouse:{t}": n for t, n in outcome.rows_removed.items()}
        report.files_rewritten.append(paths.display(paths.warehouse))
    else:
        report.notes.append("no warehouse yet: nothing published to erase from, no audit entry written")
        audit_rows(paths.warehouse)
    move_landing_copies(paths, rewritten)  # after the warehouse, whose rows now name the new hashes
    return report
