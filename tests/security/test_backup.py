"""Backup and restore: destroy the project, restore it, compare; an erasure
made after the backup still holds after the restore."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from governance.audit import verify_audit
from governance.erasure import erase_person
from governance.residuals import find_residuals
from governance.suppression import read_suppression
from security.backup import BackupCorrupt, BackupRefused, backup, restore, verify_backup
from security.suppression_mirror import MIRROR_ENV, MirrorMisplaced, sync_suppression_mirror
from warehouse import ProjectPaths, read_table

TARO = ["taro@example.com", "山田", "太郎", "+819012345678"]
TARO_RECORDS = {"crm:1", "pos:P1", "shop:A1"}


def _state(paths: ProjectPaths) -> dict[str, pl.DataFrame]:
    return {
        "golden": pl.read_parquet(paths.golden_records),
        "crosswalk": pl.read_parquet(paths.crosswalk),
        "lineage": pl.read_parquet(paths.golden_lineage),
        "records": read_table(paths.warehouse, "records"),
    }


def test_destroyed_project_is_restored_identically(published: Path, tmp_path: Path) -> None:
    paths = ProjectPaths.of(published)
    before = _state(paths)
    manifest = backup(paths, tmp_path / "backups" / "b1", actor="ops")
    assert manifest["audit"]["verifies"] and manifest["audit"]["entries"] == 2  # the config recorded, the run
    assert {"nayose.yaml", "data/warehouse/nayose.duckdb", "data/golden/golden_records.parquet"} <= {f["path"] for f in manifest["files"]}
    assert any(f["path"].startswith("data/models/") for f in manifest["files"])
    assert (paths.warehouse_dir / "table_copies").exists()
    assert not any("table_copies" in f["path"] for f in manifest["files"])  # the tables' copies are rewritten, not kept
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert (tmp_path / "backups" / "b1").stat().st_mode & 0o777 == 0o700

    shutil.rmtree(published)
    report = restore(tmp_path / "backups" / "b1", published, actor="ops")
    after = _state(paths)
    for name, frame in before.items():
        assert after[name].equals(frame), name
    assert report.audit_verifies and report.erasures_reapplied == 0
    checked, broken = verify_audit(paths.warehouse)
    # the `backup` entry went to the live log after the copy: the snapshot's chain ends with the run
    actions = read_table(paths.warehouse, "audit_log").sort("seq")["action"].to_list()
    assert broken == [] and checked == 3 and actions == ["config_change", "nightly_run", "restore"]


def test_an_erasure_after_the_backup_holds_after_restoring_a_destroyed_project(
    published: Path, tmp_path: Path, pseudonym_key_env: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = ProjectPaths.of(published)
    mirror = tmp_path / "suppression-mirror"  # outside the project: survives its destruction
    monkeypatch.setenv(MIRROR_ENV, str(mirror))
    before = _state(paths)
    backup(paths, tmp_path / "b1")

    report = erase_person(paths, email="taro@example.com", key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.complete
    assert sync_suppression_mirror(paths) == read_suppression(paths).height > 0  # the wiring erase_person gets

    shutil.rmtree(published)
    restored = restore(tmp_path / "b1", published, actor="ops")
    assert restored.erasures_reapplied == 1 and restored.audit_verifies
    assert all(r["complete"] for r in restored.erasure_reports)

    after = _state(paths)
    assert not TARO_RECORDS & set(after["crosswalk"]["record_key"])
    assert not TARO_RECORDS & set(after["records"]["record_key"])
    taro_golden = set(before["crosswalk"].filter(pl.col("record_key").is_in(list(TARO_RECORDS)))["golden_id"])
    assert after["golden"].equals(before["golden"].filter(~pl.col("golden_id").is_in(list(taro_golden))))
    assert find_residuals(paths.root / "data", TARO) == []
    assert read_suppression(paths).height == restored.suppression_entries > 0
    checked, broken = verify_audit(paths.warehouse)
    assert broken == []
    log = read_table(paths.warehouse, "audit_log")
    assert {"erasure", "restore"} <= set(log["action"])


def test_a_damaged_backup_is_refused_before_anything_is_written(published: Path, tmp_path: Path) -> None:
    paths = ProjectPaths.of(published)
    backup(paths, tmp_path / "b1")
    verify_backup(tmp_path / "b1")
    golden = tmp_path / "b1" / "data" / "golden" / "golden_records.parquet"
    golden.write_bytes(golden.read_bytes()[:-10] + b"0123456789")
    target = tmp_path / "elsewhere"
    with pytest.raises(BackupCorrupt, match="golden_records.parquet"):
        restore(tmp_path / "b1", target)
    assert not target.exists()
    manifest = tmp_path / "b1" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format"', '"format" ', 1))
    with pytest.raises(BackupCorrupt, match="manifest was altered"):
        verify_backup(tmp_path / "b1")


def test_backup_targets_inside_the_project_or_not_empty_are_refused(published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = ProjectPaths.of(published)
    with pytest.raises(BackupRefused, match="inside the project"):
        backup(paths, published / "backup")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BackupRefused, match="not empty"):
        backup(paths, tmp_path / "full")
    monkeypatch.setenv(MIRROR_ENV, str(published / "mirror"))
    with pytest.raises(MirrorMisplaced):
        sync_suppression_mirror(paths)


def test_manifest_holds_no_personal_value(published: Path, tmp_path: Path) -> None:
    manifest = backup(ProjectPaths.of(published), tmp_path / "b1")
    text = json.dumps(manifest, ensure_ascii=False)
    assert not [v for v in TARO if v in text]


def test_the_audit_head_travels_with_the_warehouse(published: Path, tmp_path: Path) -> None:
    from governance.audit import AuditEvent, append_audit, check_audit
    from warehouse.audit_head import head_path, recorded_heads

    paths = ProjectPaths.of(published)
    manifest = backup(paths, tmp_path / "b1")
    assert "data/warehouse/nayose.audit-head.jsonl" in {f["path"] for f in manifest["files"]}
    append_audit(paths.warehouse, [AuditEvent("officer", "access_export", "request", "success", {})])  # after the backup

    fresh = ProjectPaths.of(tmp_path / "fresh")
    restore(tmp_path / "b1", fresh.root)
    assert check_audit(fresh.warehouse).intact and check_audit(fresh.warehouse).anchored

    # in place: the heads recorded after the backup go with the warehouse they described
    restore(tmp_path / "b1", published)
    check = check_audit(paths.warehouse)
    assert check.intact and recorded_heads(paths.warehouse)[-1].seq == check.entries

    # a backup older than the head file: the live heads, now ahead of the restored log, are removed
    (tmp_path / "b1" / "data/warehouse/nayose.audit-head.jsonl").unlink()
    files = [f for f in manifest["files"] if f["path"] != "data/warehouse/nayose.audit-head.jsonl"]
    older = json.loads((tmp_path / "b1" / "manifest.json").read_text()) | {"files": files}
    text = json.dumps(older, indent=1, sort_keys=True)
    (tmp_path / "b1" / "manifest.json").write_text(text, encoding="utf-8")
    import hashlib

    (tmp_path / "b1" / "manifest.sha256").write_text(hashlib.sha256(text.encode()).hexdigest() + "\n", encoding="utf-8")
    append_audit(paths.warehouse, [AuditEvent("officer", "access_export", "request", "success", {})] * 3)
    restore(tmp_path / "b1", published)
    assert check_audit(paths.warehouse).intact and head_path(paths.warehouse).exists()
