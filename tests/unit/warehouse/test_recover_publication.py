"""A run killed while writing leaves temporary files that may hold personal data: the next run deletes them."""

from __future__ import annotations

import json
import shutil
from contextlib import suppress
from pathlib import Path

import warehouse.publication as publication_module
from warehouse.publication import JOURNAL, Publication, recover_publication


def test_temporary_files_and_a_temporary_warehouse_log_of_a_killed_run_are_deleted(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "warehouse").mkdir(parents=True)
    (data / "golden").mkdir()
    stray = [
        data / "warehouse" / ".nayose.duckdb.6318.tmp",
        data / "warehouse" / ".nayose.duckdb.6318.tmp.wal",  # DuckDB's log of the temporary warehouse
        data / "golden" / ".golden_records.parquet.6318.tmp",
    ]
    kept = [data / "warehouse" / "nayose.duckdb", data / "golden" / "golden_records.parquet"]
    for path in (*stray, *kept):
        path.write_bytes(b"x")

    done = recover_publication(data)

    assert done == "removed 3 temporary file(s) of an interrupted run"
    assert not any(path.exists() for path in stray)
    assert all(path.exists() for path in kept)


def _staged(data: Path) -> list[tuple[Path, Path]]:
    """A publication killed during its renames: one file renamed, one still staged."""
    (data / "golden").mkdir(parents=True)
    renames = []
    for name in ("golden_records.parquet", "crosswalk.parquet"):
        target = data / "golden" / name
        target.write_bytes(b"last night")
        tmp = data / "golden" / f".{name}.6318.tmp"
        tmp.write_bytes(b"tonight")
        renames.append((tmp, target))
    return renames


def _killed_during_renames(data: Path) -> list[tuple[Path, Path]]:
    renames = _staged(data)
    publication = Publication(data)
    publication.staged = list(renames)
    real_apply = publication_module._apply

    def die_after_first(staged):
        real_apply(staged[:1])
        raise KeyboardInterrupt  # killed

    publication_module._apply = die_after_first
    try:
        with suppress(KeyboardInterrupt):
            publication.commit()
    finally:
        publication_module._apply = real_apply
    return renames


def test_the_journal_names_files_relative_to_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    _killed_during_renames(data)
    assert json.loads((data / JOURNAL).read_text()) == [
        ["golden/.golden_records.parquet.6318.tmp", "golden/golden_records.parquet"],
        ["golden/.crosswalk.parquet.6318.tmp", "golden/crosswalk.parquet"],
    ]


def test_a_project_copied_during_the_renames_rolls_forward_its_own_files(tmp_path: Path) -> None:
    original = tmp_path / "original" / "data"
    _killed_during_renames(original)
    copy = tmp_path / "copy" / "data"
    shutil.copytree(original.parent, copy.parent)

    assert recover_publication(copy) == "completed an interrupted publication (2 file(s))"
    assert (copy / "golden" / "crosswalk.parquet").read_bytes() == b"tonight"
    assert (original / "golden" / "crosswalk.parquet").read_bytes() == b"last night"  # the original's: untouched
    assert (original / "golden" / ".crosswalk.parquet.6318.tmp").exists()
    assert recover_publication(original) == "completed an interrupted publication (2 file(s))"
    assert (original / "golden" / "crosswalk.parquet").read_bytes() == b"tonight"


def test_an_older_journal_of_absolute_paths_is_read_as_the_copys_own(tmp_path: Path) -> None:
    original = tmp_path / "data" / "original" / "data"  # a folder named as the data folder above the project too
    renames = _staged(original)
    (original / JOURNAL).write_text(json.dumps([[str(t), str(d)] for t, d in renames]))  # as journals were written
    copy = tmp_path / "copy" / "data"
    shutil.copytree(original.parent, copy.parent)

    assert recover_publication(copy) == "completed an interrupted publication (2 file(s))"
    assert {p.name: p.read_bytes() for p in (copy / "golden").iterdir()} == {
        "golden_records.parquet": b"tonight", "crosswalk.parquet": b"tonight"
    }
    assert {p.name for p in (original / "golden").iterdir()} == {
        "golden_records.parquet", "crosswalk.parquet", ".golden_records.parquet.6318.tmp", ".crosswalk.parquet.6318.tmp"
    }


def test_a_journal_line_that_leaves_the_data_folder_is_not_followed(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(b"not ours")
    renames = _staged(data)
    lines = [[str(p.relative_to(data)) for p in pair] for pair in renames] + [["golden/.x.tmp", "../../elsewhere.txt"]]
    (data / JOURNAL).write_text(json.dumps(lines))
    (data / "golden" / ".x.tmp").write_bytes(b"x")

    done = recover_publication(data)
    assert done.startswith("completed an interrupted publication (2 file(s)); left 1 rename(s) of its journal alone")
    assert outside.read_bytes() == b"not ours"
