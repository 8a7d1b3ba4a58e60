"""The audit log: append-only, hash-chained entries (who did what, when, with
what outcome). Each entry's hash covers its content and the previous hash, so
editing or deleting an earlier entry breaks every later link. Entries cut
from the end leave a valid, shorter chain: the head recorded outside the
warehouse at each write (`warehouse.audit_head`) shows them missing."""

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


def verify_heads(log: pl.DataFrame | None, heads: list[tuple[int, str]]) -> tuple[list[int], list[int]]:
    """(missing, altered) against the heads (seq, hash) recorded at earlier
    writes: the sequence numbers up to the highest recorded head that are not
    in `log` (entries cut from the end, or from the middle), and the recorded
    heads whose entry is there with another hash (rewritten and re-chained)."""
    if not heads:
        return [], []
    hashes = dict(zip(log["seq"].to_list(), log["hash"].to_list(), strict=True)) if log is not None else {}
    last = max(seq for seq, _ in heads)
    missing = [seq for seq in range(1, last + 1) if seq not in hashes]
    altered = sorted({seq for seq, digest in heads if seq in hashes and hashes[seq] != digest})
    return missing, altered


@dataclass(frozen=True)
class AuditCheck:
    """What `check_audit` found: entries in the log, sequence numbers whose
    entry breaks the chain, those missing although a recorded head covers
    them, those whose hash differs from the recorded head, and whether any
    head was recorded (a project older than the head file has none)."""

    entries: int
    broken: list[int]
    missing: list[int]
    altered: list[int]
    anchored: bool

    @property
    def intact(self) -> bool:
        return not (self.broken or self.missing or self.altered)

    @property
    def failing(self) -> list[int]:
        """Every sequence number that does not verify, sorted."""
        return sorted(set(self.broken) | set(self.missing) | set(self.altered))


def check_audit(database) -> AuditCheck:
    """The warehouse's audit log checked by its chain and against the heads
    recorded beside it. A missing log with no recorded head is empty and intact."""
    from warehouse import read_table
    from warehouse.audit_head import recorded_heads

    log = read_table(database, "audit_log")
    heads = recorded_heads(database)
    missing, altered = verify_heads(log, [(h.seq, h.hash) for h in heads])
    return AuditCheck(
        entries=0 if log is None else log.height,
        broken=[] if log is None else verify_chain(log),
        missing=missing,
        altered=altered,
        anchored=bool(heads),
    )


def verify_audit(database) -> tuple[int, list[int]]:
    """(entries checked, sequence numbers that do not verify: chain breaks,
    entries missing or altered against the recorded heads) for the
    warehouse's audit log; a missing log with no recorded head is (0, [])."""
    check = check_audit(database)
    return check.entries, check.failing


def seq_ranges(seqs: list[int]) -> str:
    """Sequence numbers as ranges, for a message: [3, 7, 8, 9] -> '3, 7-9'."""
    parts: list[str] = []
    for seq in sorted(seqs):
        if parts and seq == int(parts[-1].split("-")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{seq}"
        else:
            parts.append(str(seq))
    return ", ".join(parts)


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
