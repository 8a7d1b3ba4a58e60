"""The audit log's head, recorded beside the warehouse at each write: entries
cut from the end of the log are found by `nayose audit verify`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from governance.audit import (
    AuditEvent,
    append_audit,
    chain_entries,
    check_audit,
    seq_ranges,
    verify_audit,
)
from governance.erasure import erase_person
from pipelines.cli import build_parser
from warehouse import ProjectPaths, read_table
from warehouse.audit_head import head_path, recorded_heads


def _cli(*argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return args.func(args)


def _sql(paths: ProjectPaths, statement: str) -> None:
    """What a tester with the duckdb shell does to the live file."""
    con = duckdb.connect(str(paths.warehouse))
    con.execute(statement)
    con.close()


def _event(n: int) -> AuditEvent:
    return AuditEvent("officer", "access_export", f"request {n}", "success", {"n": n})


def test_an_untouched_log_verifies_and_its_head_is_recorded(published_project: Path, capsys: pytest.CaptureFixture) -> None:
    paths = ProjectPaths.of(published_project)
    log = read_table(paths.warehouse, "audit_log").sort("seq")
    heads = recorded_heads(paths.warehouse)
    assert heads and (heads[-1].seq, heads[-1].hash) == (log["seq"][-1], log["hash"][-1])  # written by the nightly publish
    assert head_path(paths.warehouse).stat().st_mode & 0o777 == 0o600
    assert _cli("audit", "verify", "--project", str(published_project)) == 0
    assert "chain intact, head matches" in capsys.readouterr().out


def test_entries_cut_from_the_end_are_found(published_project: Path, pseudonym_key_env: bytes, capsys: pytest.CaptureFixture) -> None:
    paths = ProjectPaths.of(published_project)
    append_audit(paths.warehouse, [_event(1), _event(2)])
    erase_person(paths, phone="03-1234-5678", key=pseudonym_key_env, actor="privacy-officer")  # a rewrite of the warehouse
    entries = read_table(paths.warehouse, "audit_log").height
    assert recorded_heads(paths.warehouse)[-1].seq == entries and verify_audit(paths.warehouse) == (entries, [])

    _sql(paths, "DELETE FROM audit_log WHERE seq >= 3")  # the shorter chain is still a valid chain
    check = check_audit(paths.warehouse)
    assert check.broken == [] and check.missing == list(range(3, entries + 1)) and not check.intact
    assert verify_audit(paths.warehouse) == (2, list(range(3, entries + 1)))
    assert _cli("audit", "verify", "--project", str(published_project)) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "TAMPERED" in err[0] and f"seq 3-{entries}" in err[0]


def test_a_cut_tail_stays_found_after_the_next_write(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    append_audit(paths.warehouse, [_event(1), _event(2), _event(3)])  # seq 3-5; head 5 recorded
    _sql(paths, "DELETE FROM audit_log WHERE seq >= 4")
    append_audit(paths.warehouse, [_event(4)])  # a new seq 4 and head: the last head alone would match
    check = check_audit(paths.warehouse)
    assert check.broken == [] and check.missing == [5] and check.altered == []
    append_audit(paths.warehouse, [_event(5)])  # a new seq 5: there, but not the entry recorded
    check = check_audit(paths.warehouse)
    assert check.missing == [] and check.altered == [5] and not check.intact


def test_an_entry_deleted_from_the_middle_is_still_found(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    append_audit(paths.warehouse, [_event(1), _event(2)])
    _sql(paths, "DELETE FROM audit_log WHERE seq = 2")
    assert verify_audit(paths.warehouse)[1] == [2, 3]  # missing, and the next one's link is broken
    assert _cli("audit", "verify", "--project", str(published_project)) == 1


def test_a_rewritten_and_rechained_tail_is_found(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    append_audit(paths.warehouse, [_event(1)])
    log = read_table(paths.warehouse, "audit_log")
    last = log.sort("seq").row(-1, named=True)
    forged_event = AuditEvent(last["actor"], last["action"], last["object"], "not_found", json.loads(last["details"]))
    forged = chain_entries(log.filter(pl.col("seq") < last["seq"]), [forged_event]).row(0, named=True)
    _sql(paths, f"""UPDATE audit_log SET outcome = 'not_found', "at" = '{forged["at"]}', hash = '{forged["hash"]}'
                    WHERE seq = {last["seq"]}""")
    check = check_audit(paths.warehouse)
    assert check.broken == [] and check.altered == [last["seq"]]


def test_an_older_project_verifies_by_its_chain_and_gets_a_head_on_the_next_write(
    published_project: Path, capsys: pytest.CaptureFixture
) -> None:
    paths = ProjectPaths.of(published_project)
    head_path(paths.warehouse).unlink()  # a project published before heads were recorded
    check = check_audit(paths.warehouse)
    assert check.intact and not check.anchored
    assert _cli("audit", "verify", "--project", str(published_project)) == 0
    assert "no head recorded yet" in capsys.readouterr().out

    append_audit(paths.warehouse, [_event(1)])
    assert recorded_heads(paths.warehouse)[-1].seq == read_table(paths.warehouse, "audit_log").height
    _sql(paths, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    assert not check_audit(paths.warehouse).intact


def test_a_warehouse_gone_with_its_head_recorded_is_not_intact(published_project: Path) -> None:
    paths = ProjectPaths.of(published_project)
    entries = read_table(paths.warehouse, "audit_log").height
    _sql(paths, "DROP TABLE audit_log")
    assert verify_audit(paths.warehouse) == (0, list(range(1, entries + 1)))


def test_an_unchanged_head_is_recorded_once_and_a_torn_line_is_skipped(published_project: Path) -> None:
    from warehouse.audit_head import record_head

    paths = ProjectPaths.of(published_project)
    before = recorded_heads(paths.warehouse)
    record_head(paths.warehouse)
    assert recorded_heads(paths.warehouse) == before
    with open(head_path(paths.warehouse), "a", encoding="utf-8") as fh:
        fh.write('{"seq": 9')  # a write cut short
    assert recorded_heads(paths.warehouse) == before and check_audit(paths.warehouse).intact


def test_seq_ranges() -> None:
    assert seq_ranges([9, 3, 7, 8]) == "3, 7-9" and seq_ranges([]) == ""
