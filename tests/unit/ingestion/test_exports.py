"""Finding a source's export files and reading one end to end."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polars as pl
import pytest

from ingestion import ExportFile, IngestError, find_export_files, known_hashes, read_export
from ingestion.parsing import ROW_COLUMN
from nayose_config import SourceConfig


def _source(path: str, *, format: str = "csv", encoding: str = "utf-8") -> SourceConfig:
    return SourceConfig(name="crm", path=path, format=format, encoding=encoding, id="id", fields={"email": "mail"})


def test_find_export_files_globs_sorted_with_hashes(tmp_path: Path):
    exports = tmp_path / "exports"
    (exports / "2026" / "crm_2026-11-27.csv").parent.mkdir(parents=True)
    files = {
        "exports/crm_2026-11-26.csv": b"id,mail\n2,b\n",
        "exports/crm_2026-11-25.csv": b"id,mail\n1,a\n",
        "exports/pos_2026-11-25.csv": b"other source\n",
        "exports/crm_notes.txt": b"not an export\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (exports / "crm_dir.csv").mkdir()  # a directory matching the glob is not a file

    found = find_export_files(tmp_path, _source("exports/crm_*.csv"))

    assert [f.display_name for f in found] == ["exports/crm_2026-11-25.csv", "exports/crm_2026-11-26.csv"]
    assert all(f.source_system == "crm" for f in found)
    assert [f.file_hash for f in found] == [
        hashlib.sha256(files["exports/crm_2026-11-25.csv"]).hexdigest(),
        hashlib.sha256(files["exports/crm_2026-11-26.csv"]).hexdigest(),
    ]
    assert found[0].path == tmp_path / "exports/crm_2026-11-25.csv"


def test_find_export_files_recursive_glob(tmp_path: Path):
    (tmp_path / "exports" / "a" / "b").mkdir(parents=True)
    (tmp_path / "exports" / "top.csv").write_text("id,mail\n", encoding="utf-8")
    (tmp_path / "exports" / "a" / "b" / "deep.csv").write_text("id,mail\n", encoding="utf-8")

    found = find_export_files(tmp_path, _source("exports/**/*.csv"))

    assert sorted(f.display_name for f in found) == ["exports/a/b/deep.csv", "exports/top.csv"]


def test_find_export_files_outside_project_keeps_full_path(tmp_path: Path):
    project, elsewhere = tmp_path / "project", tmp_path / "dropbox"
    project.mkdir()
    elsewhere.mkdir()
    (elsewhere / "crm.csv").write_text("id,mail\n", encoding="utf-8")

    found = find_export_files(project, _source(str(elsewhere / "*.csv")))

    assert [f.display_name for f in found] == [str(elsewhere / "crm.csv")]


def test_find_export_files_none_matching(tmp_path: Path):
    assert find_export_files(tmp_path, _source("exports/*.csv")) == []


def _export(path: Path) -> ExportFile:
    return ExportFile("crm", path, f"exports/{path.name}", "hash")


@pytest.mark.parametrize(
    ("format", "encoding", "write"),
    [
        pytest.param(
            "csv", "cp932", lambda p: p.write_bytes(" id , mail \n1, 山田@example.jp \n".encode("cp932")), id="csv-cp932"
        ),
        pytest.param(
            "csv", "utf-8-sig", lambda p: p.write_bytes(" id , mail \n1, 山田@example.jp \n".encode("utf-8-sig")),
            id="csv-utf8-bom",
        ),
        pytest.param(
            "jsonl",
            "utf-8-sig",
            lambda p: p.write_bytes(("\ufeff" + json.dumps({"id": 1, "mail": "山田@example.jp"}) + "\n").encode("utf-8")),
            id="jsonl-utf8-bom",
        ),
        pytest.param(
            "parquet",
            "cp932",  # ignored for Parquet
            lambda p: pl.DataFrame({"id": [1], "mail": [" 山田@example.jp"]}).write_parquet(p),
            id="parquet",
        ),
    ],
)
def test_read_export_gives_trimmed_text(tmp_path: Path, format, encoding, write):
    path = tmp_path / f"crm.{format}"
    write(path)

    frame = read_export(_export(path), _source("exports/*", format=format, encoding=encoding))

    assert frame.select(ROW_COLUMN, "id", "mail").rows() == [(1, "1", "山田@example.jp")]


def test_read_export_bad_bytes_name_the_display_file(tmp_path: Path):
    path = tmp_path / "crm.csv"
    path.write_bytes("id,mail\n1,山田\n".encode("cp932"))

    with pytest.raises(IngestError) as caught:
        read_export(_export(path), _source("exports/*", encoding="utf-8"))
    assert caught.value.file == "exports/crm.csv"
    assert caught.value.row == 2


def test_a_file_unchanged_since_it_was_ingested_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from ingestion import exports as exports_module

    path = tmp_path / "exports" / "crm_2026-11-25.csv"
    path.parent.mkdir()
    path.write_bytes(b"id,mail\n1,a\n")
    first = find_export_files(tmp_path, _source("exports/crm_*.csv"))[0]
    ledger = pl.DataFrame(
        {"source_file": [first.display_name], "file_size": [first.size], "file_mtime_ns": [first.mtime_ns], "file_hash": [first.file_hash]}
    )
    reads = []
    monkeypatch.setattr(exports_module, "file_sha256", lambda p: reads.append(p) or hashlib.sha256(p.read_bytes()).hexdigest())

    again = find_export_files(tmp_path, _source("exports/crm_*.csv"), known_hashes(ledger))
    assert again == [first] and reads == []  # same name, size and time: the recorded hash is trusted

    path.write_bytes(b"id,mail\n1,b\n")  # same size, new content and time
    os.utime(path, ns=(first.mtime_ns + 10**9, first.mtime_ns + 10**9))  # a later time, whatever the clock's tick
    changed = find_export_files(tmp_path, _source("exports/crm_*.csv"), known_hashes(ledger))
    assert reads == [path] and changed[0].file_hash == hashlib.sha256(b"id,mail\n1,b\n").hexdigest()


def test_ledger_rows_without_size_and_time_vouch_for_nothing():
    old = pl.DataFrame({"source_file": ["exports/a.csv"], "file_hash": ["abc"]})
    assert known_hashes(old) == {}
    assert known_hashes(None) == {}
    partial = pl.DataFrame({"source_file": ["a", "b"], "file_size": [1, None], "file_mtime_ns": [2, 3], "file_hash": ["h1", "h2"]})
    assert known_hashes(partial) == {("a", 1, 2): "h1"}


# Found by the third drill: a web export renamed `tel` to `phone_number` and a
# call-centre export its id column from 顧客ID to 受付番号 between two days;
# nothing in nayose.yaml could map both days, so the second day failed the run.
def _aliased(tmp_path: Path, header: str) -> pl.DataFrame:
    path = tmp_path / "crm.csv"
    path.write_text(f"{header}\nC1,090-1234-5678,a@example.jp\n", encoding="utf-8")
    source = SourceConfig(
        name="crm", path="exports/*", format="csv", id="顧客ID", fields={"phone": "tel", "email": "mail"},
        column_aliases={"tel": ["phone_number", "TEL No"], "顧客ID": ["受付番号"]},
    )  # fmt: skip
    return read_export(_export(path), source)


@pytest.mark.parametrize("header", ["顧客ID,tel,mail", "受付番号,phone_number,mail", "受付番号,tel no,mail"])
def test_a_renamed_column_is_read_under_its_configured_name(tmp_path: Path, header):
    frame = _aliased(tmp_path, header)
    assert frame.select("顧客ID", "tel", "mail").rows() == [("C1", "090-1234-5678", "a@example.jp")]


def test_a_file_with_a_column_under_two_of_its_names_is_refused(tmp_path: Path):
    with pytest.raises(IngestError, match="2 names of one column: tel, phone_number"):
        _aliased(tmp_path, "顧客ID,tel,phone_number")


def test_aliases_are_mapped_like_the_column(tmp_path: Path):
    from ingestion.mapping import map_to_canonical

    frame = _aliased(tmp_path, "受付番号,phone_number,mail")
    source = SourceConfig(name="crm", path="x", format="csv", id="顧客ID", fields={"phone": "tel"})
    mapped = map_to_canonical(frame, source, display_name="exports/crm.csv", file_hash="h")
    assert mapped.select("record_key", "phone").rows() == [("crm:C1", "090-1234-5678")]
