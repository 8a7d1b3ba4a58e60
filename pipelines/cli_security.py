"""Security operations on the command line: `access check|secure`, `backup`,
`restore`, `logs export`, `key rotate`. `pipelines.cli` adds them with
`add_security_commands` (after `add_governance_commands`: `access check`
extends the governance `access` command).

Output names files, columns, counts and key fingerprints, never a record
value or a key.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from warehouse import ProjectPaths, WarehouseBusy


def _handled() -> tuple[type[Exception], ...]:
    from governance.pseudonymization import PseudonymKeyMissing
    from security.backup import BackupCorrupt, BackupRefused
    from security.encryption import ParquetKeyMismatch, ParquetKeyMissing
    from security.file_modes import AccessSetupError
    from security.suppression_mirror import MirrorMisplaced

    return (AccessSetupError, ParquetKeyMissing, ParquetKeyMismatch, BackupCorrupt, BackupRefused, MirrorMisplaced,
            PseudonymKeyMissing, WarehouseBusy)


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the security errors a user can meet into one line on stderr and exit 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except _handled() as exc:
            print(f"nayose {args.command} failed: {exc}", file=sys.stderr)
            return 1

    return run


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.of(args.project)


def security_settings(paths: ProjectPaths):
    """The project's `security` settings (defaults while nayose.yaml has none)."""
    from nayose_config import load_config
    from security.settings import SecuritySettings

    return getattr(load_config(paths.root), "security", None) or SecuritySettings()


def cmd_access_check(args: argparse.Namespace) -> int:
    from security.file_modes import access_check

    paths = _paths(args)
    findings = access_check(paths, security_settings(paths))
    flagged = [f for f in findings if f.flagged]
    if args.json:
        print(json.dumps([f.__dict__ | {"flagged": f.flagged} for f in findings], indent=1))
    else:
        for f in findings:
            mark = "FLAG" if f.flagged else "ok  "
            print(f"{mark} {f.path}  holds={f.holds}  roles={','.join(f.roles) or '-'}  readable_by={','.join(f.readable_by)}"
                  + (f"  -> {f.problem}" if f.problem else ""))
        print(f"nayose access check: {len(findings)} file(s), {len(flagged)} flagged"
              + ("; run `nayose access secure` to restore the modes" if flagged else ""))
    return 1 if flagged else 0


def cmd_access_secure(args: argparse.Namespace) -> int:
    from security.file_modes import secure_tree

    paths = _paths(args)
    changed = secure_tree(paths, security_settings(paths))
    print(f"nayose access secure: {changed} mode/group change(s) under {paths.display(paths.data)}/")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from security.backup import backup, mirror_warnings

    paths = _paths(args)
    manifest = backup(paths, Path(args.out), actor=args.actor)
    for warning in mirror_warnings(paths):
        print(f"nayose backup: warning: {warning}", file=sys.stderr)
    size = sum(f["bytes"] for f in manifest["files"])
    print(f"nayose backup: {len(manifest['files'])} file(s), {size} bytes -> {Path(args.out).resolve()} "
          f"(audit log: {manifest['audit']['entries']} entries, chain {'intact' if manifest['audit']['verifies'] else 'BROKEN'})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from security.backup import restore

    report = restore(Path(args.source), Path(args.project), actor=args.actor)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    for warning in report.warnings:
        print(f"nayose restore: warning: {warning}", file=sys.stderr)
    if not report.audit_verifies:
        print("nayose restore: the restored audit chain does not verify", file=sys.stderr)
        return 2
    return 0


def cmd_logs_export(args: argparse.Namespace) -> int:
    from security.log_export import audit_events, dagster_events, export_lines
    from warehouse import read_table

    paths = _paths(args)
    events = audit_events(read_table(paths.warehouse, "audit_log"))
    if (paths.dagster_home / "dagster.yaml").exists():
        import dagster as dg

        from pipelines.abandoned_runs import fail_abandoned_runs

        with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
            for line in fail_abandoned_runs(instance, paths):  # a killed run is exported as the failure it is
                print(f"nayose logs export: {line}", file=sys.stderr)
            events += dagster_events(instance)
    text = export_lines(events)
    if args.out:
        from warehouse import write_text_atomically

        write_text_atomically(text, Path(args.out))
        print(f"nayose logs export: {len(events)} event(s) -> {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_key_rotate(args: argparse.Namespace) -> int:
    from governance.audit import AuditEvent, append_audit
    from security.encryption import ParquetKeyMissing, key_from_env, rotate_key
    from warehouse import warehouse_lock

    paths = _paths(args)
    old, new = key_from_env(args.old_env), key_from_env(args.new_env)
    if old is None or new is None:
        raise ParquetKeyMissing(f"set both ${args.old_env} (the current key) and ${args.new_env} (the new one)")
    files = sorted(paths.golden_dir.glob("*.parquet")) if paths.golden_dir.exists() else []
    with warehouse_lock(paths.warehouse):
        rotated = rotate_key(files, old, new)
        if paths.warehouse.exists():
            append_audit(paths.warehouse, [AuditEvent(
                actor=args.actor or getpass.getuser(), action="key_rotation", object="parquet key", outcome="success",
                details={"files": len(rotated), "old_fingerprint": old.fingerprint, "new_fingerprint": new.fingerprint},
            )])
    print(f"nayose key rotate: {len(rotated)} file(s) re-encrypted from key {old.fingerprint} to {new.fingerprint}; "
          f"now set the key variable (security.encryption.key_env) to the new key")
    return 0


def _access_dispatch(original: Callable[[argparse.Namespace], int] | None) -> Callable[[argparse.Namespace], int]:
    """`nayose access check|secure` run ours; `nayose access --email ...` runs the governance access request."""
    check, secure = _guarded(cmd_access_check), _guarded(cmd_access_secure)

    def run(args: argparse.Namespace) -> int:
        if args.access_action == "check":
            return check(args)
        if args.access_action == "secure":
            return secure(args)
        if original is None:
            print("nayose access: say `check` or `secure`", file=sys.stderr)
            return 1
        return original(args)

    return run


def add_security_commands(sub: argparse._SubParsersAction) -> None:
    """Add `access check|secure`, `backup`, `restore`, `logs export` and `key rotate` to the `nayose` parser."""

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--project", default=".", help="project directory holding nayose.yaml (default: .)")
        return p

    access = sub.choices.get("access") or add("access", "File access by role.")
    access.add_argument("access_action", nargs="?", choices=["check", "secure"],
                        help="check: who can read what, flags files readable beyond their role; secure: restore the modes")
    access.add_argument("--json", action="store_true", help="access check: print findings as JSON")
    access.set_defaults(func=_access_dispatch(access.get_default("func")))

    backup = add("backup", "Write a consistent, checksummed snapshot of the project to a new folder.")
    backup.add_argument("--out", required=True, help="a new (or empty) folder outside the project")
    backup.add_argument("--actor", help="who takes it, for the audit log (default: the OS user)")
    backup.set_defaults(func=_guarded(cmd_backup))

    restore = add("restore", "Restore a project from a backup, then re-apply every erasure on the suppression list.")
    restore.add_argument("--from", dest="source", required=True, help="the backup folder")
    restore.add_argument("--actor", help="who restores, for the audit log (default: the OS user)")
    restore.set_defaults(func=_guarded(cmd_restore))

    logs = add("logs", "Security log: `export` writes run, access, steward and privacy events as JSON lines.")
    logs.add_argument("action", choices=["export"])
    logs.add_argument("--out", help="JSON lines file (default: stdout)")
    logs.set_defaults(func=_guarded(cmd_logs_export))

    key = add("key", "Parquet encryption key: `rotate` re-encrypts the golden Parquet under a new key.")
    key.add_argument("action", choices=["rotate"])
    key.add_argument("--old-env", required=True, help="variable holding the current key")
    key.add_argument("--new-env", required=True, help="variable holding the new key")
    key.add_argument("--actor")
    key.set_defaults(func=_guarded(cmd_key_rotate))
