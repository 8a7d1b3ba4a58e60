"""A project reaches only its own extracts: the audit log records an extract
inside the project by its project-relative path, one outside by its path and
the project that wrote it, so a copied or restored project never rewrites the
original's files (older entries, absolute paths, are read the same way)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import polars as pl

from governance.audit import AuditEvent, append_audit
from governance.extracts import (
    EXTRACT_ACTION,
    extract_location,
    extract_path,
    pseudonym_domain,
    publish_extract,
    recorded_extracts,
    write_extract,
)
from governance.pseudonymization import hash_series
from governance.retention import sweep_retention
from governance.settings import RetentionSettings
from security.backup import backup, restore
from warehouse import ProjectPaths, read_table

ROOT = Path("/srv/nayose/customers")


def test_an_extract_inside_the_project_is_recorded_relative_to_it_and_one_outside_with_its_project() -> None:
    assert extract_location(ROOT, ROOT / "data" / "extracts" / "analytics_2026-11-25.parquet") == {
        "path": "data/extracts/analytics_2026-11-25.parquet"
    }
    assert extract_location(ROOT, Path("/share/q4.parquet")) == {"path": "/share/q4.parquet", "project": str(ROOT)}


def test_recorded_extracts_are_the_projects_own_files() -> None:
    copy = Path("/srv/nayose/copy")
    entries = [
        {"purpose": "analytics", "path": "data/extracts/analytics_2026-11-25.parquet"},
        {"purpose": "analytics", "path": "/share/q4.parquet", "project": str(ROOT)},
        {"purpose": "analytics", "path": "../other/data/extracts/x.parquet"},
    ]
    here = recorded_extracts(ROOT, entries)
    assert [r.file for r in here] == [ROOT / "data/extracts/analytics_2026-11-25.parquet", Path("/share/q4.parquet"), None]
    elsewhere = recorded_extracts(copy, entries)
    assert [r.file for r in elsewhere] == [copy / "data/extracts/analytics_2026-11-25.parquet", None, None]
    assert f"written by the project in {ROOT}" in elsewhere[1].note and "not touched" in elsewhere[1].note


def test_older_absolute_entries_are_mapped_into_the_project_or_left_alone_with_a_note() -> None:
    old = [
        {"purpose": "analytics", "path": str(ROOT / "data/extracts/analytics_2026-11-25.parquet")},
        {"purpose": "analytics", "path": "/share/q4.parquet"},  # written with --out
    ]
    # in place: the default extract lies in the project, so the log was written here and --out is followed
    assert [r.file for r in recorded_extracts(ROOT, old)] == [
        ROOT / "data/extracts/analytics_2026-11-25.parquet", Path("/share/q4.parquet")
    ]
    # a copy: the original's extract is mapped into the copy's own folder; --out is not the copy's to rewrite
    copy = Path("/srv/nayose/copy")
    mapped, outside = recorded_extracts(copy, old)
    assert mapped.file == copy / "data/extracts/analytics_2026-11-25.parquet"
    assert outside.file is None and "/share/q4.parquet" in outside.note


def _pseudonyms(ids: list[str], key: bytes) -> pl.DataFrame:
    return pl.DataFrame({"pseudonym": hash_series(pl.Series(ids), key, domain=pseudonym_domain("analytics")).sort()})


def _rows(path: Path) -> int:
    return pl.read_parquet(path).height


def test_a_sweep_of_a_copied_or_restored_project_leaves_the_originals_extracts_alone(
    published_project: Path, tmp_path: Path, pseudonym_key_env: bytes
) -> None:
    paths = ProjectPaths.of(published_project)
    everyone = sorted(set(pl.read_parquet(paths.crosswalk)["golden_id"]))
    extract = _pseudonyms(everyone, pseudonym_key_env)
    recorded = publish_extract(paths, extract, "analytics", extract_path(paths, "analytics", date(2027, 5, 1)), actor="ana")
    outside = publish_extract(paths, extract, "analytics", tmp_path / "share" / "all.parquet", actor="ana")
    # an extract recorded as an older version recorded it: by its absolute path
    older = write_extract(extract, extract_path(paths, "analytics", date(2027, 4, 1)))
    append_audit(paths.warehouse, [AuditEvent("ana", EXTRACT_ACTION, "purpose analytics", "success",
                                              {"purpose": "analytics", "rows": extract.height, "path": str(older)})])
    logged = [json.loads(d) for d in read_table(paths.warehouse, "audit_log").filter(pl.col("action") == EXTRACT_ACTION)["details"]]
    assert logged[0] == {"purpose": "analytics", "rows": extract.height, "path": "data/extracts/analytics_2027-05-01.parquet"}
    assert logged[1]["project"] == str(paths.root)
    originals = {p: p.read_bytes() for p in (recorded, outside, older)}

    copy = ProjectPaths.of(tmp_path / "copy")
    shutil.copytree(paths.root, copy.root)
    backup(paths, tmp_path / "backup")
    restored = ProjectPaths.of(tmp_path / "restored")
    restore(tmp_path / "backup", restored.root)

    settings = RetentionSettings(sources={"pos": 30, "shop": 30})
    for project in (copy, restored):
        report = sweep_retention(project, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env)
        assert report.golden_records_removed
        assert {p: p.read_bytes() for p in originals} == originals, project.root  # not a byte of the original's
        for own in (extract_path(project, "analytics", date(2027, 5, 1)), extract_path(project, "analytics", date(2027, 4, 1))):
            assert _rows(own) < extract.height, own  # its own copies are swept
        assert [n for n in report.notes if str(outside) in n] == [
            f"extract {outside} (audit log) was written by the project in {paths.root}, not this folder (a copy, "
            "a restore elsewhere or a move): not touched; if it is this project's, remove the records there by hand"
        ]

    report = sweep_retention(paths, settings, today=date(2027, 6, 1), actor="officer", key=pseudonym_key_env)
    assert all(_rows(p) < extract.height for p in originals)  # the original's own sweep reaches all three
    assert not [n for n in report.notes if "not touched" in n]
