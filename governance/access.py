"""Access requests: everything the project holds about a person, as JSON.

The export is for the person (through the privacy officer): it holds their
personal data in clear, so it is returned to the caller, written only where
the caller says, and never logged; the audit entry records that an export
was made, by whom, how long it took, and how many rows it held.

It covers every store an erasure removes the person from, found the same
way: the person is `governance.subjects.find_subject` (a former identifier
or a merged golden id finds them too), and each store's rows are those the
erasure's own row selection names (`Subject.selection`, `frame_drop_mask`,
`landing_copy_rows`, `export_rows`, `steward_decisions_naming`), so the two
cannot drift apart.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any

import polars as pl

from governance.audit import AuditEvent, append_audit
from governance.consent import merge_consent
from governance.derived_copies import steward_decisions_naming
from governance.extracts import extracts_holding
from governance.masking import mask_record_key
from governance.rewrite import (
    GOLDEN_COLUMNS,
    KEPT_TABLES,
    KEY_COLUMNS,
    RowSelection,
    export_rows,
    frame_drop_mask,
    landing_copy_rows,
)
from governance.subjects import SubjectRequest, find_subject
from governance.suppression import check_key
from nayose_config import load_config
from warehouse import ProjectPaths, holding_warehouse_lock, read_tables

PERSON_TABLES = ("golden_records", "crosswalk", "golden_lineage", "quarantine", "identity_events", "review_queue", "standardization_issues")
"""Warehouse tables every export lists (empty when nothing is held); any other
table with a record key, golden id or file row is listed too."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _rows(frame: pl.DataFrame | None, selection: RowSelection) -> list[dict]:
    if frame is None or not frame.height or selection.is_empty():
        return []
    return [_own_side(_jsonable(r), selection) for r in frame.filter(frame_drop_mask(frame, selection)).to_dicts()]


def _own_side(row: dict, selection: RowSelection) -> dict:
    """A row of a pair of records (`record_key_l`, `record_key_r`: the review
    queue, match pairs, steward decisions) with the other record's values
    left out: the pair is about the person, the other record is someone
    else's (or theirs, when both sides are). Its record key is masked
    (`crm:******64`), its golden id and `_l`/`_r` values are null; the
    comparison of the two (levels, weights) stays."""
    sides = {side: row.get(f"record_key_{side}") in selection.record_keys or row.get(f"golden_id_{side}") in selection.golden_ids
             for side in "lr"}
    if "record_key_l" not in row or "record_key_r" not in row or all(sides.values()) or not any(sides.values()):
        return row
    other = "r" if sides["l"] else "l"
    redacted = {}
    for column, value in row.items():
        if column == f"record_key_{other}" and isinstance(value, str):
            redacted[column] = mask_record_key(value)
        elif column.endswith(f"_{other}") and column != f"record_key_{other}":
            redacted[column] = None
        else:
            redacted[column] = value
    return redacted


def _names_a_person(columns: list[str]) -> bool:
    return bool(set(columns) & {*KEY_COLUMNS, *GOLDEN_COLUMNS}) or {"file_hash", "source_row"} <= set(columns)


def _warehouse_rows(paths: ProjectPaths, selection: RowSelection) -> dict[str, list[dict]]:
    """Per warehouse table (but `records`, which is `source_records`, and the
    audit log), the rows an erasure of `selection` removes."""
    present = read_tables(paths.warehouse).present
    names = sorted(present - {"records", *KEPT_TABLES})
    tables = read_tables(paths.warehouse, *names)
    held = {name: [] for name in PERSON_TABLES}
    for name in names:
        if name in PERSON_TABLES or _names_a_person(tables[name].columns):
            held[name] = _rows(tables[name], selection)
    return held


def _file_rows(paths: ProjectPaths, selection: RowSelection) -> dict[str, list[dict]]:
    """The person's rows of the landing copies and exports inside the project,
    as the files hold them (every column, all text), by file."""
    config = load_config(paths.root)
    held: dict[str, list[dict]] = {"landing_copies": [], "exports": []}
    if selection.is_empty():
        return held
    for files in (landing_copy_rows(paths, config, selection), (rows for _e, _s, rows in export_rows(paths, config, selection))):
        for rows in files:
            if rows.mask.len() and rows.mask.any():
                store = "landing_copies" if rows.path.is_relative_to(paths.raw) else "exports"
                held[store].append({"file": rows.display, "rows": [_jsonable(r) for r in rows.raw.filter(rows.mask).to_dicts()]})
    return held


def _archived_rows(paths: ProjectPaths, selection: RowSelection) -> list[dict]:
    """The person's records a retention sweep archived (`data/archive/`)."""
    folder = paths.data / "archive"
    held = []
    for path in sorted(folder.rglob("*.parquet")) if folder.exists() and not selection.is_empty() else []:
        rows = _rows(pl.read_parquet(path), selection)
        if rows:
            held.append({"file": paths.display(path), "rows": rows})
    return held


def _steward_decisions(paths: ProjectPaths, selection: RowSelection, in_warehouse: list[dict]) -> list[dict]:
    """The decisions on the person's records: the warehouse's, and those of
    the decisions file the next run has not loaded yet."""
    loaded = {d.get("decision_id") for d in in_warehouse}
    recorded = [d for d in steward_decisions_naming(paths, selection) if d.get("decision_id") not in loaded]
    return in_warehouse + [_own_side(_jsonable(d), selection) for d in recorded]


@holding_warehouse_lock
def access_request(
    paths: ProjectPaths,
    *,
    email: str | None = None,
    phone: str | None = None,
    golden_id: str | None = None,
    purposes: list[str] | None = None,
    timezone: str = "UTC",
    actor: str | None = None,
    key: bytes | None = None,
    country: str = "JP",
    national_id: str | None = None,
    national_id_type: str | None = None,
) -> dict:
    """Everything held about the person named by email, phone, national id
    (of `national_id_type`, or read in `country`) or golden id
    (found as an erasure finds them: a former email, or a golden id merged
    into another, names them too): golden records, source records (with
    source system, file and row), their rows in the landing copies and in the
    exports inside the project (superseded versions, rows quarantined without
    an id, records deleted by the source), archived records, lineage, merged
    consent per purpose (with its source; times in the project's
    `timezone`), quarantine rows, identity events (of their golden ids and of
    those merged into them), review-queue pairs, match pairs, standardization
    issues, steward decisions, and (with `key`) the purpose extracts that hold
    them. A JSON-serialisable dict; `found` is False when nothing is held;
    `golden_id_followed` maps a merged id asked for to the id held now.

    With `actor`, an `access_export` audit entry (counts and duration only; the
    subject named by a keyed hash when `key` is given) is appended to the warehouse. Refuses (SubjectRequestError) a request without
    a usable identifier, and (PseudonymKeyMismatch) a `key` the suppression list was not written with."""
    started = time.perf_counter()
    if key is not None:
        check_key(paths, key)
    request = SubjectRequest(
        email=email, phone=phone, golden_id=golden_id, country=country, national_id=national_id, national_id_type=national_id_type
    ).standardized()  # once: the search and the audit reference share it
    subject = find_subject(paths, request)
    selection = subject.selection()
    keys, golden = sorted(subject.record_keys), sorted(subject.golden_ids)
    held: dict[str, Any] = {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "found": subject.found,
        "golden_ids": golden,
        "golden_id_followed": dict(subject.followed),
        "merged_golden_ids": sorted(subject.former_golden_ids),
        "notes": list(subject.notes),
        "source_records": [_jsonable(r) for r in subject.records.to_dicts()],
    }
    tables = _warehouse_rows(paths, selection)
    tables["steward_decisions"] = _steward_decisions(paths, selection, tables.get("steward_decisions", []))
    held |= tables | _file_rows(paths, selection) | {"archive": _archived_rows(paths, selection)}
    crosswalk = read_tables(paths.warehouse, "crosswalk")["crosswalk"]
    if purposes and subject.records.height and crosswalk is not None:
        consent = merge_consent(subject.records, crosswalk.filter(pl.col("record_key").is_in(keys)), purposes, timezone)
        held["consent"] = [_jsonable(r) for r in consent.to_dicts()]
    else:
        held["consent"] = []
    # the disclosures: purpose extracts that hold the person, under their pseudonym (which needs the key)
    ids = golden + sorted(subject.former_golden_ids)
    held["extracts"] = extracts_holding(paths, ids, purposes or [], key) if key and ids else []
    if actor is not None and paths.warehouse.exists():
        counts = {k: len(v) for k, v in held.items() if isinstance(v, list) and k != "notes"}
        append_audit(
            paths.warehouse,
            [
                AuditEvent(
                    actor=actor,
                    action="access_export",
                    object=f"subject {request.reference(key)}" if key else "subject (no key: unreferenced)",
                    outcome="success" if subject.found else "not_found",
                    details={"rows": counts, "duration_seconds": round(time.perf_counter() - started, 3)},
                )
            ],
        )
    return held
