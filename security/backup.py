"""Backup and restore of a project's state.

A backup is a folder: the warehouse DuckDB (which holds the audit log), the
golden Parquet (still encrypted where it was), models, steward decisions, the
suppression list, reports, landing copies, extracts and `nayose.yaml`, each
with its sha256 in `manifest.json`, whose own sha256 is `manifest.sha256`.
It is taken under the warehouse writer lock, so no run or erasure writes
while it is copied (a consistent snapshot), and written under a temporary
name that is renamed when complete. Files 0600, folders 0700.

A restore verifies every checksum first (nothing is written when one does
not match), copies the files back under the lock, then re-applies erasures:
the suppression list restored is the union of the backup's, the project's
current one and the mirror outside the project (security.suppression_mirror),
and every person held whose email, phone or name + birth date is on it is
erased again (governance.erasure), so a restore never resurrects an erased
person. Audit entries made after the backup are not in it: the exported
security log (`nayose logs export`) is where they outlive a restore. With no
mirror configured, a backup (`mirror_warnings`) and a restore into a folder
with no list of its own (`RestoreReport.warnings`) say that erasures made
after the backup cannot be re-applied.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from governance.audit import AuditEvent, append_audit, verify_audit
from governance.suppression import read_suppression, suppressed_mask, suppression_path, verify_key
from security.suppression_mirror import (
    MirrorMisplaced,
    mirror_file,
    read_list,
    union_lists,
    write_list,
)
from warehouse import ProjectPaths, read_table, warehouse_lock
from warehouse.table_copies import COPIES_DIR

FORMAT = "nayose-backup/1"
MANIFEST, MANIFEST_SUM = "manifest.json", "manifest.sha256"
BACKED_UP = ("nayose.yaml", "data/warehouse", "data/golden", "data/models", "data/stewardship", "data/governance",
             "data/reports", "data/raw", "data/extracts", "data/review")
"""What a backup holds (project-relative). Not: the staging scratch space, the table copies, Dagster's instance, the exports (their source systems keep them)."""
RESTORED_DIRS = tuple(p for p in BACKED_UP if p.startswith("data/") and p != "data/governance")
"""Folders a restore makes identical to the backup (files not in it are removed); the suppression list is merged instead."""


NO_MIRROR_WARNING = ("erasures made after this backup cannot be re-applied: no suppression mirror is configured "
                     "(NAYOSE_SUPPRESSION_DIR or security.suppression_mirror); see README")
"""Said by `backup`, and by a restore into a folder with no suppression list of
its own, when no mirror outside the project holds the list: an erasure made
after the backup then lives only in the project's list, lost with the project."""


class BackupCorrupt(Exception):
    """A backup file is missing or its checksum does not match the manifest."""


class BackupRefused(Exception):
    """The backup target is not usable (exists and is not empty, or is inside the project)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_scratch(relative: Path) -> bool:
    """Temporary files of atomic writes, the lock file, the staging area, and
    the Parquet copies of tables (a restored warehouse is another file: the
    copies would be stale, and the next night writes them again)."""
    return relative.name.startswith(".") or "staging" in relative.parts or COPIES_DIR in relative.parts


def backup_files(paths: ProjectPaths) -> list[Path]:
    """The project files a backup holds, project-relative, sorted."""
    files: list[Path] = []
    for item in BACKED_UP:
        target = paths.root / item
        if target.is_file():
            files.append(Path(item))
        elif target.is_dir():
            files += [p.relative_to(paths.root) for p in target.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(f for f in files if not _is_scratch(f))


def _copy_private(source: Path, target: Path) -> None:
    """Copy `source` to `target` through a 0600 temporary file and an atomic rename."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(target)


def _audit_summary(database: Path) -> dict:
    checked, broken = verify_audit(database)
    log = read_table(database, "audit_log")
    last = log.sort("seq").row(-1, named=True)["hash"] if log is not None and log.height else None
    return {"entries": checked, "verifies": not broken, "last_hash": last}


def mirror_warnings(paths: ProjectPaths) -> list[str]:
    """[NO_MIRROR_WARNING] when the project configures no suppression mirror,
    [why the mirror is refused] when it is inside the project, else []."""
    from nayose_config import ConfigError

    try:
        try:
            name, configured = _project_name(paths)
        except ConfigError:  # a bare data directory: only the environment can name a mirror
            name, configured = paths.root.name, None
        return [] if mirror_file(paths, name, configured) is not None else [NO_MIRROR_WARNING]
    except MirrorMisplaced as exc:
        return [f"erasures made after this backup cannot be re-applied: {exc}"]


def backup(paths: ProjectPaths, out_dir: Path, *, actor: str | None = None) -> dict:
    """Write a consistent, checksummed snapshot of the project to `out_dir`.

    In: the project's paths, a folder that does not exist yet (or is empty)
    outside the project directory. Out: the manifest (format, created_at,
    project, audit summary, files with sha256 and size). A `backup` audit entry
    (counts and the manifest's sha256, no paths of people) is appended to the
    live log after the copy. Refuses (BackupRefused) a target inside the
    project or holding files; WarehouseBusy when the lock cannot be had."""
    out_dir = Path(out_dir).resolve()
    if out_dir == paths.root or paths.root in out_dir.parents:
        raise BackupRefused(f"{out_dir} is inside the project directory: a backup must live outside it")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupRefused(f"{out_dir} exists and is not empty: choose a new folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    try:
        with warehouse_lock(paths.warehouse):
            entries = []
            for relative in backup_files(paths):
                _copy_private(paths.root / relative, tmp / relative)
                entries.append({"path": relative.as_posix(), "sha256": _sha256(tmp / relative), "bytes": (tmp / relative).stat().st_size})
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "project_dir_name": paths.root.name,
                "audit": _audit_summary(paths.warehouse),
                "files": entries,
            }
            text = json.dumps(manifest, indent=1, sort_keys=True)
            (tmp / MANIFEST).write_text(text, encoding="utf-8")
            (tmp / MANIFEST_SUM).write_text(hashlib.sha256(text.encode("utf-8")).hexdigest() + "\n", encoding="utf-8")
            for item in tmp.rglob("*"):
                os.chmod(item, 0o700 if item.is_dir() else 0o600)
            if out_dir.exists():
                out_dir.rmdir()
            tmp.rename(out_dir)
            if paths.warehouse.exists():
                append_audit(paths.warehouse, [AuditEvent(
                    actor=actor or getpass.getuser(), action="backup", object=f"backup {manifest['created_at']}", outcome="success",
                    details={"files": len(entries), "bytes": sum(e["bytes"] for e in entries),
                             "manifest_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()},
                )])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def verify_backup(backup_dir: Path) -> dict:
    """The manifest of `backup_dir` after checking the manifest's own sha256
    and every file's. Refuses (BackupCorrupt, naming the first bad file) a
    missing, altered or extra-short file, or an altered manifest."""
    backup_dir = Path(backup_dir)
    manifest_path, sum_path = backup_dir / MANIFEST, backup_dir / MANIFEST_SUM
    if not manifest_path.exists() or not sum_path.exists():
        raise BackupCorrupt(f"{backup_dir} holds no {MANIFEST}/{MANIFEST_SUM}: not a nayose backup")
    text = manifest_path.read_text(encoding="utf-8")
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sum_path.read_text(encoding="utf-8").strip():
        raise BackupCorrupt(f"{manifest_path}: checksum does not match {MANIFEST_SUM}; the manifest was altered")
    manifest = json.loads(text)
    if manifest.get("format") != FORMAT:
        raise BackupCorrupt(f"{manifest_path}: format {manifest.get('format')!r}, expected {FORMAT}")
    for entry in manifest["files"]:
        path = backup_dir / entry["path"]
        if not path.is_file():
            raise BackupCorrupt(f"{entry['path']} is listed in the manifest but missing from the backup")
        if _sha256(path) != entry["sha256"]:
            raise BackupCorrupt(f"{entry['path']}: sha256 does not match the manifest; the backup was altered or damaged")
    return manifest


@dataclass
class RestoreReport:
    """What a restore did (counts and file names, no personal values)."""

    backup_created_at: str
    files_restored: int = 0
    files_removed: list[str] = field(default_factory=list)
    suppression_entries: int = 0
    erasures_reapplied: int = 0
    erasure_reports: list[dict] = field(default_factory=list)
    audit_entries: int = 0
    audit_verifies: bool = True
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _held_suppressed_golden_ids(paths: ProjectPaths, suppression: pl.DataFrame, key: bytes) -> list[str]:
    """Golden ids of records held in the warehouse whose person is on the suppression list."""
    records, crosswalk = read_table(paths.warehouse, "records"), read_table(paths.warehouse, "crosswalk")
    if records is None or crosswalk is None or not records.height or not suppression.height:
        return []
    hit_keys = records.filter(suppressed_mask(records, suppression, key))["record_key"].implode()
    return sorted(set(crosswalk.filter(pl.col("record_key").is_in(hit_keys))["golden_id"].to_list()))


def _sweep_landing_copies(paths: ProjectPaths, suppression: pl.DataFrame, key: bytes) -> None:
    """Drop from the landing copies every row whose person is on the list,
    held or not (a quarantined row of an erased person is in no golden record)."""
    from governance.rewrite import RowSelection, rewrite_landing_copies
    from nayose_config import load_config

    def suppressed(raw: pl.DataFrame, mapped: pl.DataFrame) -> pl.Series:
        return suppressed_mask(mapped, suppression, key)

    rewrite_landing_copies(paths, load_config(paths.root), RowSelection(), suppressed)


def _project_name(paths: ProjectPaths) -> tuple[str, str | None]:
    """(project name, configured mirror folder) from the restored nayose.yaml."""
    from nayose_config import load_config

    config = load_config(paths.root)
    security = getattr(config, "security", None)
    return config.project, getattr(security, "suppression_mirror", None)


def restore(backup_dir: Path, project_dir: Path, *, key: bytes | None = None, actor: str | None = None) -> RestoreReport:
    """Bring `project_dir` (existing or not) back to the state of `backup_dir`
    and re-apply every erasure on the suppression list.

    In: a backup folder, the project folder, the pseudonymization key (needed
    as soon as the merged suppression list is not empty). Out: a RestoreReport.
    Refuses, before writing anything: BackupCorrupt on a checksum mismatch;
    PseudonymKeyMissing when erasures would have to be re-applied without the
    key, PseudonymKeyMismatch with a key the suppression list was not written
    with (only `nayose.yaml` is copied back by then). Files of the restored folders that the backup does not hold are
    removed (they belong to a later state); the suppression list is merged,
    never replaced by an older one."""
    from governance.erasure import erase_person
    from governance.pseudonymization import PseudonymKeyMissing, pseudonym_key

    backup_dir = Path(backup_dir).resolve()
    manifest = verify_backup(backup_dir)
    paths = ProjectPaths.of(project_dir)
    paths.root.mkdir(parents=True, exist_ok=True)
    report = RestoreReport(backup_created_at=manifest["created_at"])
    backed_list = read_list(backup_dir / suppression_path(paths).relative_to(paths.root))
    had_list = suppression_path(paths).exists()
    current_list = read_suppression(paths) if had_list else read_list(None)

    with warehouse_lock(paths.warehouse):
        # nayose.yaml first: it names the project, hence the mirror file
        if (backup_dir / "nayose.yaml").exists():
            _copy_private(backup_dir / "nayose.yaml", paths.root / "nayose.yaml")
        name, configured = _project_name(paths)
        mirror = mirror_file(paths, name, configured)
        if mirror is None and not had_list:  # only the backup's list: later erasures are nowhere to be found
            report.warnings.append(NO_MIRROR_WARNING)
        merged = union_lists(backed_list, current_list, read_list(mirror))
        if merged.height and key is None:
            try:
                key = pseudonym_key()
            except PseudonymKeyMissing as exc:
                raise PseudonymKeyMissing(f"{exc} (the restore must re-apply {merged.height} suppression entries)") from None
        if merged.height:
            verify_key(merged, key)  # under another key no erasure would be re-applied: refused before the copy
        listed = {entry["path"] for entry in manifest["files"]}
        for folder in RESTORED_DIRS:
            for stale in sorted((paths.root / folder).rglob("*")) if (paths.root / folder).exists() else []:
                relative = stale.relative_to(paths.root)
                if stale.is_file() and relative.as_posix() not in listed and relative.name != ".lock":
                    stale.unlink()
                    report.files_removed.append(relative.as_posix())
        if paths.staging.exists():
            shutil.rmtree(paths.staging)  # scratch of a later run
        for entry in manifest["files"]:
            if entry["path"] in ("nayose.yaml", suppression_path(paths).relative_to(paths.root).as_posix()):
                continue
            _copy_private(backup_dir / entry["path"], paths.root / entry["path"])
            report.files_restored += 1
        paths.root.joinpath("data/warehouse/nayose.duckdb.wal").unlink(missing_ok=True)
        if merged.height:
            write_list(merged, suppression_path(paths))
            if mirror is not None:
                write_list(merged, mirror)
        report.suppression_entries = merged.height
        for golden_id in _held_suppressed_golden_ids(paths, merged, key) if merged.height else []:
            erased = erase_person.unlocked(paths, golden_id=golden_id, key=key, actor="nayose restore (re-applied erasure)")
            report.erasures_reapplied += 1
            report.erasure_reports.append({k: v for k, v in erased.as_dict().items() if k in ("request", "complete", "golden_records_removed", "source_records_removed", "residual_files")})
        if merged.height:
            _sweep_landing_copies(paths, merged, key)
        if paths.warehouse.exists():
            append_audit(paths.warehouse, [AuditEvent(
                actor=actor or getpass.getuser(), action="restore", object=f"backup {manifest['created_at']}", outcome="success",
                details={"files": report.files_restored, "erasures_reapplied": report.erasures_reapplied,
                         "suppression_entries": report.suppression_entries},
            )])
        checked, broken = verify_audit(paths.warehouse)
        report.audit_entries, report.audit_verifies = checked, not broken
    return report
