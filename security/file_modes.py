"""Who may read the project's files: restrictive modes, role groups, and the
access check.

The pipeline's service account owns every file under `data/`; by default
files are 0600 and folders 0700, so only that account (the privacy officer's
tooling) reads them. A file that a role with a Unix `group` may read gets that
group and mode 0640 (its folder 0750); a folder on the way to files of several
groups is 0711 (traverse, not list). Set the process umask to 0077 as well
(`restrictive_umask`), so a file is never world-readable between its atomic
write and `secure_tree`.
"""

from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from security.settings import PERSONAL_COLUMNS, SecuritySettings
from warehouse import ProjectPaths
from warehouse.store import temporary_name, write_output_parquet

PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
GROUP_FILE, GROUP_DIR, TRAVERSE_DIR = 0o640, 0o750, 0o711

PSEUDONYMOUS_COLUMNS = ("golden_id", "record_key", "source_record_id", "pseudonym", "record_key_l", "record_key_r")


class AccessSetupError(Exception):
    """A role's group does not exist or cannot be given to the project's files."""


@contextmanager
def restrictive_umask(mask: int = 0o077) -> Iterator[None]:
    """Create files within the block without group/other bits (restores the previous umask)."""
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def stage_parquet_privately(table: pa.Table | pl.DataFrame, target: Path, **options) -> Path:
    """Write `table` under `target`'s temporary name (warehouse.store.temporary_name),
    created 0600 whatever the umask, fsynced; return that path (for a
    `warehouse.Publication` to rename). A polars frame is written by polars
    (columns compressed on every core, with statistics); an Arrow table by
    `pyarrow.parquet.write_table`, which `options` go to (encryption, say)."""
    if isinstance(table, pl.DataFrame) and options:
        raise TypeError("writer options are for Arrow tables (pyarrow.parquet.write_table)")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(target)
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(table, pl.DataFrame):
                write_output_parquet(table, fh)
            else:
                pq.write_table(table, fh, compression="zstd", **options)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_parquet_privately(table: pa.Table | pl.DataFrame, target: Path, **options) -> None:
    """`stage_parquet_privately`, then renamed over `target` (atomic, mode 0600)."""
    stage_parquet_privately(table, target, **options).replace(target)


def _relative(paths: ProjectPaths, path: Path) -> str:
    return path.relative_to(paths.root).as_posix()


def roles_for(relative: str, settings: SecuritySettings) -> list[str]:
    """Roles (least privileged first) whose path patterns match the project-relative `relative`."""
    return [name for name, role in settings.roles.items() if any(fnmatchcase(relative, p) for p in role.paths)]


def group_for(relative: str, settings: SecuritySettings) -> str | None:
    """The group a file gets: that of the least-privileged role that may read it and names one."""
    for name in roles_for(relative, settings):
        group = getattr(settings.roles, name).group
        if group:
            return group
    return None


def _gid(group: str, role_file: str) -> int:
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise AccessSetupError(
            f"security.roles: group '{group}' (for {role_file}) does not exist on this machine: create it or remove it from nayose.yaml"
        ) from None


def _project_files(paths: ProjectPaths) -> list[Path]:
    """Every regular file under `data/` (symlinks are not followed)."""
    if not paths.data.exists():
        return []
    return sorted(p for p in paths.data.rglob("*") if p.is_file() and not p.is_symlink())


def secure_tree(paths: ProjectPaths, settings: SecuritySettings) -> int:
    """Give every file and folder under `data/` its restrictive mode and role
    group (see the module docstring). Returns how many modes or groups changed.
    Refuses (AccessSetupError) a configured group that does not exist or that
    the service account cannot give (it must be a member)."""
    changed = 0
    dir_groups: dict[Path, set[str]] = {}
    for path in _project_files(paths):
        group = group_for(_relative(paths, path), settings)
        changed += _apply(path, GROUP_FILE if group else PRIVATE_FILE, group, _relative(paths, path))
        if group:
            for parent in path.parents:
                if parent == paths.root or paths.root not in parent.parents:
                    break
                dir_groups.setdefault(parent, set()).add(group)
    folders = (
        [paths.data, *sorted(p for p in paths.data.rglob("*") if p.is_dir() and not p.is_symlink())]
        if paths.data.exists()
        else []
    )
    for folder in folders:
        groups = dir_groups.get(folder, set())
        if len(groups) == 1:
            changed += _apply(folder, GROUP_DIR, next(iter(groups)), _relative(paths, folder))
        else:
            changed += _apply(folder, TRAVERSE_DIR if groups else PRIVATE_DIR, None, _relative(paths, folder))
    return changed


def _apply(path: Path, mode: int, group: str | None, shown: str) -> int:
    st = path.stat()
    changed = 0
    if group is not None:
        gid = _gid(group, shown)
        if st.st_gid != gid:
            try:
                os.chown(path, -1, gid)
            except PermissionError:
                raise AccessSetupError(
                    f"{shown}: cannot give it group '{group}': the service account must be a member"
                ) from None
            changed += 1
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)
        changed += 1
    return changed


@dataclass(frozen=True)
class Finding:
    """One file: what it holds, which roles may read it, who can read it on disk, and what is wrong (None: nothing)."""

    path: str
    holds: str  # personal | pseudonymous | none
    roles: tuple[str, ...]
    readable_by: tuple[str, ...]  # owner, group:<name>, world
    problem: str | None = None

    @property
    def flagged(self) -> bool:
        return self.problem is not None


def holds(path: Path) -> str:
    """What a project file holds: `personal` (direct identifiers, or data that
    cannot be inspected), `pseudonymous` (keys, ids, pseudonyms), or `none`."""
    if path.suffix == ".duckdb" or path.suffix == ".wal" or "raw" in path.parts:
        return "personal"
    if path.suffix == ".parquet":
        try:
            names = set(pq.read_schema(path).names)
        except Exception:  # an encrypted footer or a damaged file: assume the worst
            return "personal"
        if names & set(PERSONAL_COLUMNS) or any(n.startswith("std_") for n in names):
            return "personal"
        return "pseudonymous" if names & set(PSEUDONYMOUS_COLUMNS) else "none"
    if path.suffix == ".jsonl" or "governance" in path.parts:
        return "pseudonymous"  # steward decisions name record keys; the suppression list holds keyed hashes
    return "none"  # reports and models hold counts, weights and names of fields only


def _readers(st: os.stat_result) -> tuple[str, ...]:
    mode = stat.S_IMODE(st.st_mode)
    readers = ["owner"]
    if mode & stat.S_IRGRP:
        try:
            readers.append(f"group:{grp.getgrgid(st.st_gid).gr_name}")
        except KeyError:
            readers.append(f"group:{st.st_gid}")
    if mode & stat.S_IROTH:
        readers.append("world")
    return tuple(readers)


def _columns_beyond(path: Path, roles: list[str], settings: SecuritySettings) -> list[str]:
    """Columns of a Parquet file that a (non-privacy-officer) role reading it is not allowed."""
    if path.suffix != ".parquet":
        return []
    try:
        names = pq.read_schema(path).names
    except Exception:
        return []
    extra: set[str] = set()
    for name in roles:
        allowed = getattr(settings.roles, name).columns
        if allowed is not None:
            extra |= {c for c in names if c not in allowed}
    return sorted(extra)


def access_check(paths: ProjectPaths, settings: SecuritySettings) -> list[Finding]:
    """Every file under `data/`: who may read it by role, who can read it on
    disk; a finding is flagged when a file holding personal or pseudonymous
    data is readable by the world or by a group no allowed role has, or when a
    role's file holds columns beyond the role's allow-list (an identifier in an
    analyst extract). Names files and columns only, never values."""
    findings = []
    for path in _project_files(paths):
        relative = _relative(paths, path)
        roles = roles_for(relative, settings)
        kind = holds(path)
        readers = _readers(path.stat())
        allowed_groups = {
            f"group:{getattr(settings.roles, r).group}" for r in roles if getattr(settings.roles, r).group
        }
        problems = []
        if kind != "none":
            if "world" in readers:
                problems.append(f"{kind} data readable by every user (mode {stat.S_IMODE(path.stat().st_mode):04o})")
            beyond = [r for r in readers if r.startswith("group:") and r not in allowed_groups]
            if beyond:
                problems.append(f"{kind} data readable by {beyond[0]}, which no role allowed to read it has")
        extra = _columns_beyond(path, roles, settings)
        if extra:
            problems.append(f"holds column(s) {extra} beyond what role(s) {roles} may read")
        findings.append(Finding(relative, kind, tuple(roles), readers, "; ".join(problems) or None))
    return findings
