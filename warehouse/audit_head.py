"""The audit log's head, recorded outside the warehouse file.

A hash chain shows an entry edited or removed in the middle, but not entries
cut from the end: the shortened chain is still a valid chain. So each time a
warehouse file is swapped in (`store.swap_in`: every publish, audit entry,
erasure and retention sweep goes through it), the last entry's sequence
number and hash are appended to a small JSON-lines file beside it
(`nayose.audit-head.jsonl`), and `nayose audit verify` checks that every
head recorded there is still in the log, with the same hash.

The file lives in `data/warehouse/`, so a backup holds it and a restore puts
back the backup's copy (or removes the live one when the backup has none)
along with the warehouse it describes. It holds sequence numbers, hashes and
times only. A project without it (older than this file) is verified by its
chain alone and gets a head on its next write.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class AuditHead:
    """The last audit entry of a warehouse as it was published."""

    seq: int
    hash: str


def head_path(database: Path) -> Path:
    """Where `database`'s audit heads are recorded: beside it (`nayose.duckdb` -> `nayose.audit-head.jsonl`)."""
    return database.with_name(f"{database.stem}.audit-head.jsonl")


def current_head(database: Path) -> AuditHead | None:
    """The last entry (highest seq) of `database`'s audit log; None without a file, table or entry."""
    if not database.exists():
        return None
    con = duckdb.connect(str(database), read_only=True)
    try:
        if not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'audit_log'").fetchall():
            return None
        row = con.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return AuditHead(int(row[0]), str(row[1])) if row else None


def recorded_heads(database: Path) -> list[AuditHead]:
    """Every head recorded for `database`, oldest first (empty when none was
    recorded yet). A line that does not parse (a torn write) is skipped."""
    path = head_path(database)
    if not path.exists():
        return []
    heads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            heads.append(AuditHead(int(entry["seq"]), str(entry["hash"])))
        except (ValueError, KeyError, TypeError):
            continue
    return heads


def record_head(database: Path) -> AuditHead | None:
    """Append `database`'s current audit head to its head file (created 0600,
    fsynced) unless it is the last one recorded. Returns the head (None when
    the warehouse has no audit entry)."""
    head = current_head(database)
    if head is None:
        return None
    recorded = recorded_heads(database)
    if recorded and recorded[-1] == head:
        return head
    line = json.dumps({"seq": head.seq, "hash": head.hash, "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    fd = os.open(head_path(database), os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return head
