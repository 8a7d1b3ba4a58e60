"""The privacy officer's `nayose` commands: erase, access, extract, retention
sweep, audit verify. `pipelines.cli` adds them with `add_governance_commands`.

Output never carries the person's data except where asked for (`access
--out FILE`, or stdout without --out); errors name what to fix, not values.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from nayose_config import load_config
from warehouse import ProjectPaths


def _handled() -> tuple[type[Exception], ...]:
    # imported when a governance command runs: `nayose run` never needs these modules
    from governance.pseudonymization import PseudonymKeyMismatch, PseudonymKeyMissing
    from governance.rewrite import UnreadableOutput
    from governance.subjects import SubjectRequestError
    from security.encryption import ParquetKeyMismatch, ParquetKeyMissing

    return (
        PseudonymKeyMissing, PseudonymKeyMismatch, ParquetKeyMissing, ParquetKeyMismatch, SubjectRequestError, UnreadableOutput
    )


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the governance errors a user can meet into one line on stderr and exit 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            with _progress_on_stderr():
                return command(args)
        except _handled() as exc:
            print(f"nayose {args.command} failed: {exc}", file=sys.stderr)
            return 1

    return run


@contextmanager
def _progress_on_stderr() -> Iterator[None]:
    """While a command runs, print the long steps' progress lines
    (`nayose.progress`: steps, files, counts) on stderr; stdout stays the
    command's report."""
    logger = logging.getLogger("nayose.progress")
    handler, level, propagate = logging.StreamHandler(sys.stderr), logger.level, logger.propagate
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths.of(args.project)


def _identifiers(args: argparse.Namespace) -> dict:
    return {
        "email": args.email, "phone": args.phone, "golden_id": args.golden_id, "country": args.country,
        "national_id": args.national_id, "national_id_type": args.national_id_type,
    }


def _privacy(paths: ProjectPaths):
    from nayose_config import load_config

    return load_config(paths.root).privacy


def _today(paths: ProjectPaths) -> date:
    from nayose_config import load_config

    return datetime.now(ZoneInfo(load_config(paths.root).timezone)).date()


def cmd_erase(args: argparse.Namespace) -> int:
    from governance.erasure import erase_person
    from governance.pseudonymization import pseudonym_key

    paths = _paths(args)
    report = erase_person(paths, key=pseudonym_key(), actor=args.actor or getpass.getuser(), **_identifiers(args))
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    for asked, held in report.golden_id_followed.items():
        print(f"nayose erase: golden id {asked} was merged into {held}; erased {held}", file=sys.stderr)
    if not report.found:
        print("nayose erase: nobody held matches; the identifiers were added to the suppression list", file=sys.stderr)
    if not report.complete:
        print(f"nayose erase: values remain in {', '.join(report.residual_files)}", file=sys.stderr)
        return 2
    return 0


def cmd_access(args: argparse.Namespace) -> int:
    from governance.access import access_request
    from governance.pseudonymization import pseudonym_key

    paths = _paths(args)
    config = load_config(paths.root)
    held = access_request(
        paths,
        purposes=config.privacy.purposes,
        timezone=config.timezone,
        actor=args.actor or getpass.getuser(),
        key=pseudonym_key(),
        **_identifiers(args),
    )
    text = json.dumps(held, ensure_ascii=False, indent=1)
    for asked, now in held["golden_id_followed"].items():
        print(f"nayose access: golden id {asked} was merged into {now}; exported what is held under {now}", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"nayose access: wrote {args.out} ({len(held['source_records'])} source record(s))")
    else:
        print(text)
    return 0 if held["found"] else 3


def cmd_extract(args: argparse.Namespace) -> int:
    from governance.consent import merge_consent
    from governance.extracts import extract_path, publish_extract, purpose_extract
    from governance.pseudonymization import pseudonym_key
    from governance.suppression import check_key
    from warehouse import read_table, warehouse_lock

    paths = _paths(args)
    purposes = _privacy(paths).purposes
    if args.purpose not in purposes:
        print(f"nayose extract failed: unknown purpose '{args.purpose}'; privacy.purposes are {purposes}", file=sys.stderr)
        return 1
    records, crosswalk = read_table(paths.warehouse, "records"), read_table(paths.warehouse, "crosswalk")
    if records is None or crosswalk is None or not paths.golden_records.exists():
        print("nayose extract failed: no published golden records: run `nayose run` first", file=sys.stderr)
        return 1
    config = load_config(paths.root)
    consent = merge_consent(records, crosswalk, [args.purpose], config.timezone)
    from security.encryption import parquet_key, read_parquet

    golden = read_parquet(paths.golden_records, parquet_key(config.security.encryption, paths.root))
    key = pseudonym_key()
    with warehouse_lock(paths.warehouse):
        check_key(paths, key)  # pseudonyms under another key would escape erasure and retention
    extract = purpose_extract(golden, consent, args.purpose, key)
    target = Path(args.out) if args.out else extract_path(paths, args.purpose, _today(paths))
    target = publish_extract(paths, extract, args.purpose, target, actor=args.actor or getpass.getuser())
    print(f"nayose extract: {extract.height} consented record(s) for '{args.purpose}' -> {paths.display(target)} (audit-logged)")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from governance.pseudonymization import KEY_ENV, pseudonym_key
    from governance.retention import sweep_retention
    from governance.settings import RetentionSettings

    paths = _paths(args)
    retention = getattr(_privacy(paths), "retention", None) or RetentionSettings()
    today = date.fromisoformat(args.today) if args.today else _today(paths)
    # the key is needed only when expired golden records must also leave the purpose extracts
    key = pseudonym_key() if os.environ.get(KEY_ENV) else None
    report = sweep_retention(paths, retention, today=today, actor=args.actor or getpass.getuser(), key=key)
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from governance.audit import check_audit, seq_ranges
    from warehouse.audit_head import head_path

    paths = _paths(args)
    check = check_audit(paths.warehouse)
    if not check.intact:
        problems = []
        if check.missing:
            problems.append(f"{len(check.missing)} entries missing (seq {seq_ranges(check.missing[:1000])}; "
                            f"recorded in {paths.display(head_path(paths.warehouse))})")
        if check.broken or check.altered:
            altered = sorted(set(check.broken) | set(check.altered))
            problems.append(f"{len(altered)} of {check.entries} entries do not verify (seq {seq_ranges(altered[:1000])})")
        print(f"nayose audit verify: TAMPERED: {'; '.join(problems)}", file=sys.stderr)
        return 1
    anchor = "head matches" if check.anchored else "no head recorded yet (checked by the chain alone)"
    print(f"nayose audit verify: {check.entries} entries, chain intact, {anchor}")
    return 0


def add_governance_commands(sub: argparse._SubParsersAction) -> None:
    """Add `erase`, `access`, `extract`, `retention sweep` and `audit verify` to the `nayose` parser."""

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--project", default=".", help="project directory holding nayose.yaml (default: .)")
        return p

    def person(p: argparse.ArgumentParser) -> None:
        p.add_argument("--email")
        p.add_argument("--phone", help="any format; without +CC it is read in --country")
        p.add_argument("--golden-id", dest="golden_id")
        p.add_argument(
            "--national-id", dest="national_id",
            help="a national identifier (SA ID, BVN, NIN, Kenyan ID, passport ...), spaces and dashes allowed",
        )
        p.add_argument(
            "--national-id-type", dest="national_id_type",
            help="its kind as a source maps it (ZA_ID / SA ID, NG_BVN / BVN, NG_NIN / NIN, KE_ID, PASSPORT ...); "
            "without it, a number of any kind (a 13-digit ZA or 7-8 digit KE number with --country ZA/KE is checked as one)",
        )
        p.add_argument("--country", default="JP", help="country for a phone without +CC and a national id without a type (default JP)")
        p.add_argument("--actor", help="who handles the request, for the audit log (default: the OS user)")

    erase = add("erase", "Erase a person from every store of the project and suppress re-ingestion (needs NAYOSE_PSEUDONYM_KEY).")
    person(erase)
    erase.set_defaults(func=_guarded(cmd_erase))

    access = add("access", "Export everything held about a person, with sources, as JSON.")
    person(access)
    access.add_argument("--out", help="write the JSON to this file (default: stdout)")
    access.set_defaults(func=_guarded(cmd_access))

    extract = add("extract", "Write a purpose-limited, pseudonymized extract of consented golden records.")
    extract.add_argument("--purpose", required=True)
    extract.add_argument("--out", help="Parquet file (default: data/extracts/<purpose>_<date>.parquet); logged, so erasure reaches it")
    extract.add_argument("--actor")
    extract.set_defaults(func=_guarded(cmd_extract))

    retention = add("retention", "Retention: `sweep` deletes or archives what has expired, logged.")
    retention.add_argument("action", choices=["sweep"])
    retention.add_argument("--today", help="sweep as of YYYY-MM-DD (default: today)")
    retention.add_argument("--actor")
    retention.set_defaults(func=_guarded(cmd_retention))

    audit = add("audit", "Audit log: `verify` checks the hash chain and fails when an entry was altered or removed.")
    audit.add_argument("action", choices=["verify"])
    audit.set_defaults(func=_guarded(cmd_audit))
