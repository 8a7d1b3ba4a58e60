"""The hash-chained audit log: a clean chain verifies; tampering is found."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import polars as pl
import pytest

from governance.audit import AUDIT_SCHEMA, GENESIS, AuditEvent, chain_entries, verify_chain

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
EVENTS = [
    AuditEvent("pipeline", "run", "run-1", "success", {"records": 120}),
    AuditEvent("steward:suzuki", "steward_decision", "G1|G2", "merged", {"note": "同一人物", "pairs": [1, 2]}),
    AuditEvent("privacy:tanaka", "erasure", "G7", "erased", {}),
    AuditEvent("pipeline", "run", "run-2", "failed", {"error": "IngestError"}),
]


def _log() -> pl.DataFrame:
    return chain_entries(None, EVENTS, now=NOW)


def test_chain_entries_links_each_entry_to_the_previous():
    log = _log()

    assert dict(log.schema) == AUDIT_SCHEMA
    assert log["seq"].to_list() == [1, 2, 3, 4]
    assert log["prev_hash"].to_list() == [GENESIS, *log["hash"].to_list()[:-1]]
    assert log["at"].unique().to_list() == ["2026-11-25T03:00:00+00:00"]
    assert log["details"][1] == '{"note": "同一人物", "pairs": [1, 2]}'
    assert verify_chain(log) == []


def test_continued_chain_verifies_as_one():
    first = chain_entries(None, EVENTS[:2], now=NOW)
    second = chain_entries(first, EVENTS[2:], now=datetime(2026, 11, 26, tzinfo=timezone.utc))

    assert second["seq"].to_list() == [3, 4]
    assert second["prev_hash"][0] == first["hash"][-1]
    assert verify_chain(pl.concat([first, second])) == []


@pytest.mark.parametrize("log", [None, pl.DataFrame(schema=AUDIT_SCHEMA)])
def test_chain_starts_at_genesis(log):
    new = chain_entries(log, EVENTS[:1], now=NOW)
    assert new.select("seq", "prev_hash").row(0) == (1, GENESIS)


def test_no_events_gives_no_rows():
    assert chain_entries(_log(), [], now=NOW).height == 0


def test_storage_order_does_not_matter():
    assert verify_chain(_log().reverse()) == []


def test_empty_log_verifies():
    assert verify_chain(pl.DataFrame(schema=AUDIT_SCHEMA)) == []


def _edit(column: str, value):
    def tamper(log: pl.DataFrame) -> pl.DataFrame:
        return log.with_columns(
            pl.when(pl.col("seq") == 2).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
        )

    return tamper


def _rehash_edit(log: pl.DataFrame) -> pl.DataFrame:
    """Edit entry 2 and recompute its own hash: the next link breaks."""
    forged = dataclasses.replace(EVENTS[1], actor="steward:someone_else")
    edited = chain_entries(log.filter(pl.col("seq") == 1), [forged], now=NOW)
    return pl.concat([log.filter(pl.col("seq") != 2), edited]).sort("seq")


def _swap_seq(log: pl.DataFrame) -> pl.DataFrame:
    return log.with_columns(seq=pl.col("seq").replace({2: 3, 3: 2}))


def _swap_content(log: pl.DataFrame) -> pl.DataFrame:
    content = ["actor", "action", "object", "outcome", "details"]
    rows = log.to_dicts()
    for c in content:
        rows[1][c], rows[2][c] = rows[2][c], rows[1][c]
    return pl.DataFrame(rows, schema=AUDIT_SCHEMA)


@pytest.mark.parametrize(
    ("tamper", "first_broken"),
    [
        pytest.param(_edit("actor", "steward:someone_else"), 2, id="edit-actor"),
        pytest.param(_edit("outcome", "rejected"), 2, id="edit-outcome"),
        pytest.param(_edit("object", "G1|G3"), 2, id="edit-object"),
        pytest.param(_edit("details", '{"note": "別人", "pairs": [1, 2]}'), 2, id="edit-details"),
        pytest.param(_edit("at", "2026-11-24T03:00:00+00:00"), 2, id="edit-timestamp"),
        pytest.param(_edit("hash", "f" * 64), 2, id="edit-hash"),
        pytest.param(_edit("prev_hash", "0" * 64), 2, id="edit-prev-hash"),
        pytest.param(_rehash_edit, 3, id="edit-and-rehash-entry"),
        pytest.param(lambda log: log.filter(pl.col("seq") != 2), 3, id="delete-middle-entry"),
        pytest.param(lambda log: log.filter(pl.col("seq") != 1), 2, id="delete-first-entry"),
        pytest.param(_swap_seq, 2, id="reorder-by-seq"),
        pytest.param(_swap_content, 2, id="reorder-content"),
    ],
)
def test_tampering_is_detected(tamper, first_broken):
    broken = verify_chain(tamper(_log()))
    assert broken, "tampering went unnoticed"
    assert min(broken) == first_broken
