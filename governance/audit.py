"""The audit log: append-only, hash-chained entries (who did what, when, with
what outcome). Each entry's hash covers its content and the previous hash, so
editing or deleting an earlier entry breaks every later link."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

import polars as pl

AUDIT_SCHEMA = {
    "seq": pl.Int64,
    "at": pl.Utf8,
    "actor": pl.Utf8,
    "action": pl.Utf8,
    "object": pl.Utf8,
    "outcome": pl.Utf8,
    "details": pl.Utf8,
    "prev_hash": pl.Utf8,
    "hash": pl.Utf8,
}
GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEvent:
    actor: str
    action: str
    object: str
    outcome: str
    details: dict


def _entry_hash(prev_hash: str, seq: int, at: str, event: AuditEvent) -> str:
    body = json.dumps(
        [prev_hash, seq, at, event.actor, event.action, event.object, event.outcome, event.details],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def chain_entries(log: pl.DataFrame | None, events: list[AuditEvent], *, now: datetime | None = None) -> pl.DataFrame:
    """New rows continuing `log`'s chain (only the new rows are returned)."""
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    if log is not None and log.height:
        tail = log.sort("seq").row(-1, named=True)
        seq, prev = tail["seq"], tail["hash"]
    else:
        seq, prev = 0, GENESIS
    rows = []
    for event in events:
        seq += 1
        digest = _entry_hash(prev, seq, at, event)
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": event.actor,
                "action": event.action,
                "object": event.object,
                "outcome": event.outcome,
                "details": json.dumps(event.details, ensure_ascii=False, sort_keys=True, default=str),
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return pl.DataFrame(rows, schema=AUDIT_SCHEMA)


def verify_chain(log: pl.DataFrame) -> list[int]:
    """Sequence numbers whose entry does not verify (empty list: the chain is intact)."""
    broken = []
    prev = GENESIS
    expected_seq = 1
    for row in log.sort("seq").iter_rows(named=True):
        event = AuditEvent(row["actor"], row["action"], row["object"], row["outcome"], json.loads(row["details"]))
        if (
            row["seq"] != expected_seq
            or row["prev_hash"] != prev
            or _entry_hash(prev, row["seq"], row["at"], event) != row["hash"]
        ):
            broken.append(row["seq"])
        prev = row["hash"]
        expected_seq = row["seq"] + 1
    return broken


REQUEST_ACTIONS = ("erasure", "access_export")
"""Audit actions whose processing time is a KPI of the quality report."""


def append_audit(database, events: list[AuditEvent], *, now: datetime | None = None) -> pl.DataFrame:
    """Chain `events` onto the warehouse's audit log and publish them (an atomic
    rewrite of the warehouse file). Returns the new rows."""
    from warehouse import publish_warehouse, read_table

    rows = chain_entries(read_table(database, "audit_log"), events, now=now)
    publish_warehouse(database, replace={}, append={"audit_log": rows})
    return rows


def verify_audit(database) -> tuple[int, list[int]]:
    """(entries checked, sequence numbers that do not verify) for the warehouse's
    audit log; a missing log is (0, [])."""
    from warehouse import read_table

    log = read_table(database, "audit_log")
    if log is None:
        return 0, []
    return log.height, verify_chain(log)


def request_kpis(log: pl.DataFrame | None) -> dict[str, dict[str, float | int]]:
    """Per request kind (`erasure`, `access_export`): how many were handled and
    their processing time (median and max seconds), from the audit log's
    `duration_seconds` details. For the quality report."""
    out: dict[str, dict[str, float | int]] = {}
    for action in REQUEST_ACTIONS:
        durations = []
        if log is not None and log.height:
            for details in log.filter(pl.col("action") == action)["details"].to_list():
                seconds = json.loads(details).get("duration_seconds")
                if isinstance(seconds, (int, float)):
                    durations.append(float(seconds))
        series = pl.Series(durations, dtype=pl.Float64)
        out[action] = {
            "count": len(durations),
            "median_seconds": float(series.median()) if durations else 0.0,
            "max_seconds": float(series.max()) if durations else 0.0,
        }
    return out
