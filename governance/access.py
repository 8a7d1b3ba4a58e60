"""Access requests: everything the project holds about a person, as JSON.

The export is for the person (through the privacy officer): it holds their
personal data in clear, so it is returned to the caller, written only where
the caller says, and never logged; the audit entry records that an export
was made, by whom, how long it took, and how many rows it held.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any

import polars as pl

from governance.audit import AuditEvent, append_audit
from governance.consent import merge_consent
from governance.extracts import extracts_holding
from governance.subjects import SubjectRequest, find_subject
from governance.suppression import check_key
from warehouse import ProjectPaths, holding_warehouse_lock, read_table

PERSON_TABLES = ("golden_records", "crosswalk", "golden_lineage", "quarantine", "identity_events", "review_queue", "standardization_issues")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _rows(frame: pl.DataFrame | None, mask: pl.Expr) -> list[dict]:
    if frame is None or not frame.height:
        return []
    return [_jsonable(r) for r in frame.filter(mask).to_dicts()]


def _mask_for(frame: pl.DataFrame | None, keys: list[str], golden: list[str]) -> pl.Expr:
    hit = pl.lit(False)
    if frame is None:
        return hit
    for column in ("record_key", "record_key_l", "record_key_r"):
        if column in frame.columns:
            hit = hit | pl.col(column).is_in(keys).fill_null(False)
    for column in ("golden_id", "golden_id_l", "golden_id_r", "related_golden_id"):
        if column in frame.columns:
            hit = hit | pl.col(column).is_in(golden).fill_null(False)
    return hit


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
) -> dict:
    """Everything held about the person named by email, phone or golden id:
    golden records, source records (with source system, file and row),
    lineage, merged consent per purpose (with its source; times in the
    project's `timezone`), quarantine rows,
    identity events, review-queue pairs, standardization issues, and (with
    `key`) the purpose extracts that hold them. A
    JSON-serialisable dict; `found` is False when nothing is held.

    With `actor`, an `access_export` audit entry (counts and duration only; the
    subject named by a keyed hash when `key` is given) is appended to the warehouse. Refuses (SubjectRequestError) a request without
    a usable identifier, and (PseudonymKeyMismatch) a `key` the suppression list was not written with."""
    started = time.perf_counter()
    if key is not None:
        check_key(paths, key)
    request = SubjectRequest(email=email, phone=phone, golden_id=golden_id, country=country)
    subject = find_subject(paths, request)
    keys, golden = sorted(subject.record_keys), sorted(subject.golden_ids)
    tables = {name: read_table(paths.warehouse, name) for name in PERSON_TABLES}
    held: dict[str, Any] = {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "found": subject.found,
        "golden_ids": golden,
        "source_records": [_jsonable(r) for r in subject.records.to_dicts()],
    }
    for name, frame in tables.items():
        held[name] = _rows(frame, _mask_for(frame, keys, golden))
    crosswalk = tables["crosswalk"]
    if purposes and subject.records.height and crosswalk is not None:
        consent = merge_consent(subject.records, crosswalk.filter(pl.col("record_key").is_in(keys)), purposes, timezone)
        held["consent"] = [_jsonable(r) for r in consent.to_dicts()]
    else:
        held["consent"] = []
    # the disclosures: purpose extracts that hold the person, under their pseudonym (which needs the key)
    held["extracts"] = extracts_holding(paths, golden, purposes or [], key) if key and golden else []
    if actor is not None and paths.warehouse.exists():
        counts = {k: len(v) for k, v in held.items() if isinstance(v, list)}
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
