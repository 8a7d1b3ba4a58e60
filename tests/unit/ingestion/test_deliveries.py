"""Settling a source's files in delivery order: later versions replace earlier
ones, tombstones and a snapshot's absentees delete, blank ids and same-file
repeats are left for quarantine."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingestion.deliveries import (
    emptied_snapshot,
    in_delivery_order,
    missing_deliveries,
    new_deliveries,
    settle_delivery,
)
from ingestion.exports import ExportFile


def _file(rows: list[tuple[str | None, str, bool]]) -> pl.DataFrame:
    """(id, email, is_deleted) rows of one file of source `crm`."""
    return pl.DataFrame(
        {
            "record_key": [None if i is None else f"crm:{i}" for i, _, _ in rows],
            "source_record_id": [i for i, _, _ in rows],
            "source_row": list(range(1, len(rows) + 1)),
            "email": [e for _, e, _ in rows],
            "is_deleted": [d for _, _, d in rows],
        },
        schema_overrides={"record_key": pl.Utf8, "source_record_id": pl.Utf8},
    )


def _emails(frame: pl.DataFrame) -> list[str]:
    return frame["email"].to_list()


def test_a_later_file_replaces_a_record_and_a_tombstone_deletes_it() -> None:
    day1 = _file([("1", "a@old", False), ("2", "b@old", False), ("3", "c@old", False)])
    day2 = _file([("1", "a@new", False), ("2", "", True)])
    settled = settle_delivery([day1, day2], snapshot=False)
    assert _emails(settled.current) == ["c@old", "a@new"]  # delivery order kept
    assert settled.deleted["record_key"].to_list() == ["crm:2"]
    assert settled.superseded == 2  # crm:1's and crm:2's day-1 rows
    assert "is_deleted" not in settled.current.columns


def test_a_record_delivered_after_its_tombstone_is_back() -> None:
    settled = settle_delivery(
        [_file([("1", "a@1", False)]), _file([("1", "", True)]), _file([("1", "a@3", False)])], snapshot=False
    )
    assert _emails(settled.current) == ["a@3"] and settled.deleted.is_empty()


def test_the_newest_snapshot_is_the_whole_source() -> None:
    day1 = _file([("1", "a@1", False), ("2", "b@1", False), ("3", "c@1", False)])
    day2 = _file([("1", "a@2", False), ("3", "c@2", False)])
    settled = settle_delivery([day1, day2], snapshot=True)
    assert _emails(settled.current) == ["a@2", "c@2"]
    assert settled.deleted["record_key"].to_list() == ["crm:2"]
    # as a delta source, the same files only update
    assert _emails(settle_delivery([day1, day2], snapshot=False).current) == ["b@1", "a@2", "c@2"]


def test_blank_ids_and_repeats_within_a_file_are_left_for_quarantine() -> None:
    day1 = _file([(None, "x@1", False), ("", "y@1", False), ("1", "a@1", False)])
    day2 = _file([("1", "a@2", False), ("1", "a@2b", False), ("  ", "z@2", False), ("", "w@2", True)])
    settled = settle_delivery([day1, day2], snapshot=False)
    # a tombstone without an id deletes nothing and goes to quarantine like any row without one
    assert _emails(settled.current) == ["x@1", "y@1", "a@2", "a@2b", "z@2", "w@2"]
    assert settled.deleted.is_empty() and settled.superseded == 1


def test_files_are_taken_in_the_order_runs_first_ingested_them() -> None:
    def export(name: str, digest: str) -> ExportFile:
        return ExportFile("crm", Path(name), name, digest, 1, 1)

    files = [export("exports/a.csv", "h-a"), export("exports/b.csv", "h-b"), export("exports/c.csv", "h-c")]
    ledger = pl.DataFrame({"file_hash": ["h-b", "h-a", "h-b"], "partition": ["2026-11-01", "2026-11-02", "2026-11-03"]})
    assert [f.display_name for f in in_delivery_order(files, ledger)] == ["exports/b.csv", "exports/a.csv", "exports/c.csv"]
    assert [f.display_name for f in in_delivery_order(files, None)] == ["exports/a.csv", "exports/b.csv", "exports/c.csv"]


def test_an_empty_newest_snapshot_of_a_source_that_held_records_is_told() -> None:
    day1, empty = _file([("1", "a@1", False)]), _file([])
    assert emptied_snapshot([day1, empty], known_rows=0)  # an earlier file of the run held rows
    assert emptied_snapshot([empty], known_rows=3)  # earlier nights did
    assert not emptied_snapshot([empty], known_rows=0)  # a source that never held a record
    assert not emptied_snapshot([empty, day1], known_rows=3) and not emptied_snapshot([], known_rows=3)


def test_ids_in_scientific_notation_replace_nothing_across_files() -> None:
    # Excel wrote 12,000 and 12,045 both as 1.20E+4: day 2's customer must not replace day 1's
    day1 = _file([("1.20E+4", "a@1", False), ("7", "b@1", False)])
    day2 = _file([("1.20E+4", "c@2", False), ("1.20E+4", "d@2", True)])
    settled = settle_delivery([day1, day2], snapshot=True)
    assert _emails(settled.current) == ["a@1", "c@2", "d@2"]  # every row goes on to quarantine
    assert settled.deleted["record_key"].to_list() == ["crm:7"] and settled.superseded == 1  # the snapshot lacks 7


def _export(name: str, digest: str) -> ExportFile:
    return ExportFile("call", Path(name), name, digest, 1, 1)


LEDGER = pl.DataFrame(
    {
        "file_hash": ["h1", "h2", "h2"],
        "source_file": ["exports/call_0501.csv", "exports/call_0502.csv", "exports/call_0502.csv"],
        "partition": ["2024-05-01", "2024-05-02", "2024-05-04"],  # a --full run on the 4th recorded it again
    }
)


def test_a_file_delivered_again_under_a_new_name_is_skipped_and_told() -> None:
    matching = [
        _export("exports/call_0501.csv", "h1"),
        _export("exports/call_0502.csv", "h2"),
        _export("exports/call_0503_resend.csv", "h2"),  # the 2nd's bytes under a new name
        _export("exports/call_0503.csv", "h3"),
        _export("exports/call_0503_copy.csv", "h3"),  # tonight's new file, twice
    ]
    files, repeats = new_deliveries(matching, LEDGER)
    assert [f.display_name for f in files] == ["exports/call_0503.csv"]  # ingested files are left out silently
    assert [r.message for r in repeats] == [
        "exports/call_0503_resend.csv: same content as exports/call_0502.csv ingested on 2024-05-02, skipped",
        "exports/call_0503_copy.csv: same content as exports/call_0503.csv read in this run, skipped",
    ]


def test_a_full_rebuild_reads_every_file_once_and_tells_the_repeats() -> None:
    matching = [_export("exports/call_0501.csv", "h1"), _export("exports/call_0502.csv", "h2"), _export("exports/call_0502_resend.csv", "h2")]
    files, repeats = new_deliveries(matching, LEDGER, full=True)
    assert [f.display_name for f in files] == ["exports/call_0501.csv", "exports/call_0502.csv"]
    assert [r.message for r in repeats] == [
        "exports/call_0502_resend.csv: same content as exports/call_0502.csv ingested on 2024-05-02, skipped"
    ]
    assert new_deliveries(matching[:1], None) == ([matching[0]], [])  # a first night


def test_files_ingested_before_and_no_longer_in_place_are_named() -> None:
    """What a --full run would rebuild a source without: a pruned file. A file
    an erasure rewrote (new bytes, same name), a resend of a pruned file's
    bytes under another name and a file that held no row are in place or harmless."""
    ledger = pl.DataFrame(
        {
            "file_hash": ["h1", "h2", "h3", "h4", "h5"],
            "source_file": ["exports/a.csv", "exports/b.csv", "exports/c.csv", "exports/d.csv", "exports/e.csv"],
            "rows": [10, 10, 10, 10, 0],
        }
    )
    matching = [_export("exports/b.csv", "h2x"), _export("exports/c_resend.csv", "h3"), _export("exports/f.csv", "h6")]
    assert missing_deliveries(matching, ledger) == ["exports/a.csv", "exports/d.csv"]
    assert missing_deliveries(matching, None) == [] and missing_deliveries([], ledger.clear()) == []
