"""Purpose-limited extracts for analysts.

An extract holds only golden records whose merged consent covers its purpose,
keyed by a pseudonym (a keyed hash of the golden id, different per purpose, so
two extracts cannot be joined on it without the key), with quasi-identifiers
generalised (birth year, prefecture) and no direct identifier at all. Its
columns are an allow-list: a golden column added later stays out until it is
added here.

Every extract written is an `extract` entry of the audit log (purpose, rows,
where), so erasure and retention reach it wherever it was written, and say so
when it is no longer where it was written.

Where is recorded so that a project only ever reaches its own files: an
extract inside the project by its path relative to the project (a copy or a
restore elsewhere finds its own copy of the file, never the original's); one
written outside it (`--out`) by its absolute path and the project folder that
wrote it, followed only by the project in that folder. Entries written before
(absolute paths, no folder) are read the same way: one of the project's own
files, or of its `data/extracts/` as another folder laid it out (a copy's
inherited entry, mapped into the copy's own folder); one outside only when
the log's own entries show it was written in this folder. Any other is left
alone, with a note (`lost_extract_notes`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from governance.audit import AuditEvent, append_audit
from governance.consent import consent_covers
from governance.pseudonymization import hash_series
from governance.suppression import check_key
from warehouse import ProjectPaths, read_table, warehouse_lock, write_parquet_atomically
from warehouse.store import TablePatch

EXTRACT_ACTION = "extract"
"""The audit action of an extract written."""

DIRECT_IDENTIFIERS = (
    "golden_id", "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "email", "phone", "postal_code", "address_line", "building", "city", "national_id",
)
"""Golden columns that never appear in an extract (city with birth year narrows too far in small towns)."""

EXTRACT_COLUMNS = ("pseudonym", "birth_year", "prefecture", "gender", "country", "record_count", "source_systems", "updated_year")


def pseudonym_domain(purpose: str) -> str:
    """The keyed-hash domain of an extract's pseudonyms."""
    return f"extract:{purpose}"


def purpose_extract(golden: pl.DataFrame, consent: pl.DataFrame, purpose: str, key: bytes) -> pl.DataFrame:
    """The analyst extract for `purpose`: one row per consented golden record
    with the columns of `EXTRACT_COLUMNS` (those the golden table can supply).

    In: golden records (`golden_id` + attributes), merged consent
    (`golden_id`, `consent_<purpose>`...), the pseudonymization key. Refused:
    a purpose without a consent column (ValueError). A golden record without a
    consent row, or with a null or false decision, is left out."""
    covered = consent.select("golden_id").with_columns(consent_covers(consent, purpose)).filter("covered")
    chosen = golden.join(covered.select("golden_id"), on="golden_id", how="semi")
    birth = pl.col("birth_date").cast(pl.Date, strict=False).dt.year() if "birth_date" in chosen.columns else None
    updated = pl.col("updated_at").cast(pl.Datetime("us"), strict=False).dt.year() if "updated_at" in chosen.columns else None
    derived = {
        "pseudonym": hash_series(chosen["golden_id"], key, domain=pseudonym_domain(purpose)),
        "birth_year": chosen.select(birth.cast(pl.Int32))[:, 0] if birth is not None else None,
        "updated_year": chosen.select(updated.cast(pl.Int32))[:, 0] if updated is not None else None,
    }
    columns = []
    for name in EXTRACT_COLUMNS:
        if name in derived:
            if derived[name] is not None:
                columns.append(derived[name].alias(name))
        elif name in chosen.columns:
            columns.append(chosen[name])
    extract = pl.DataFrame(columns)
    leaked = [c for c in extract.columns if c in DIRECT_IDENTIFIERS]
    if leaked:  # an allow-list edit gone wrong must not ship identifiers
        raise AssertionError(f"extract would hold direct identifier column(s) {leaked}")
    return extract.sort("pseudonym")


def extract_path(paths: ProjectPaths, purpose: str, on: date) -> Path:
    """The default file of an extract: `data/extracts/<purpose>_<date>.parquet`."""
    return paths.data / "extracts" / f"{purpose}_{on.isoformat()}.parquet"


@dataclass(frozen=True)
class RecordedExtract:
    """An extract the audit log records, as this project sees it: the file it
    reaches (absolute), or None with the reason it leaves the file alone."""

    purpose: str
    file: Path | None
    note: str | None = None


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def extract_location(root: Path, target: Path) -> dict[str, str]:
    """How an `extract` audit entry records where `target` (absolute) was
    written by the project in `root`: its path relative to the project when
    inside it, else its absolute path and the project folder, so that a copy
    of the project never takes the file for its own."""
    if _under(target, root):
        return {"path": target.relative_to(root).as_posix()}
    return {"path": str(target), "project": str(root)}


def _in_own_extracts(root: Path, written: Path) -> Path | None:
    """An old absolute entry in some folder's `data/extracts/` mapped into this
    project's own `data/extracts/` (a copy inherits the original's entries)."""
    parts = written.parts
    for i in range(len(parts) - 2, 0, -1):
        if parts[i - 1 : i + 1] == ("data", "extracts"):
            return root / "data" / "extracts" / Path(*parts[i + 1 :])
    return None


def _written_in(root: Path, old_entries: list[Path]) -> bool:
    """Whether the entries of the old form (absolute paths) were written by the
    project in `root`: some lie in its `data/extracts/`, where an extract goes
    by default, and none in another folder's (a copy's inherited entries lie
    in the original's; a log with both is not trusted with outside files)."""
    laid_out = [p for p in old_entries if _in_own_extracts(root, p) is not None]
    return bool(laid_out) and all(_under(p, root) for p in laid_out)


def recorded_extracts(root: Path, entries: list[dict]) -> list[RecordedExtract]:
    """The `extract` entries' details (`purpose`, `path`, `project` when
    outside) as the project in `root` (absolute) reaches them, in log order:
    a relative path under `root`; an outside path when `project` is `root`;
    an old absolute path under `root`, or mapped from another folder's
    `data/extracts/` into `root`'s, or outside when the old entries show the
    log was written in `root` (`_written_in`). Anything else: file None and a
    note, so that a copied or restored project never rewrites another's files."""
    old = [Path(e["path"]) for e in entries if Path(e["path"]).is_absolute() and "project" not in e]
    here = _written_in(root, old)
    out = []
    for entry in entries:
        reached = _reached(root, entry, here)
        if isinstance(reached, Path):
            out.append(RecordedExtract(entry["purpose"], reached))
        else:
            out.append(RecordedExtract(entry["purpose"], None, f"extract {entry['path']} (audit log) {reached}: {_LEFT_ALONE}"))
    return out


_LEFT_ALONE = "not touched; if it is this project's, remove the records there by hand"


def _reached(root: Path, entry: dict, here: bool) -> Path | str:
    """The file an `extract` entry names for the project in `root` (see
    `recorded_extracts`), or why the project leaves it alone."""
    written = Path(entry["path"])
    if not written.is_absolute():
        file = Path(os.path.normpath(root / written))
        return file if _under(file, root) else "is not inside the project"
    if "project" in entry:
        if Path(entry["project"]) == root:
            return written
        return f"was written by the project in {entry['project']}, not this folder (a copy, a restore elsewhere or a move)"
    if _under(written, root):
        return written
    if (mapped := _in_own_extracts(root, written)) is not None:
        return mapped
    if here:
        return written
    return "lies outside the project, written before entries named their project, and nothing shows this folder wrote it"


def _recorded(paths: ProjectPaths) -> list[RecordedExtract]:
    """Every extract the audit log says was written, as this project reaches it (`recorded_extracts`)."""
    log = read_table(paths.warehouse, "audit_log")
    if log is None:
        return []
    entries = [json.loads(details) for details in log.filter(pl.col("action") == EXTRACT_ACTION)["details"]]
    return recorded_extracts(paths.root, entries)


def _recorded_extracts(paths: ProjectPaths) -> dict[Path, str]:
    """Every extract the audit log says was written that this project reaches: its file (absolute) -> purpose."""
    return {r.file: r.purpose for r in _recorded(paths) if r.file is not None}


def extract_files(paths: ProjectPaths) -> list[Path]:
    """The extracts there are: the files under `data/extracts/` and those the
    audit log records elsewhere (written with `--out`) that are still there."""
    folder = paths.data / "extracts"
    inside = {p.resolve() for p in folder.rglob("*.parquet")} if folder.exists() else set()
    return sorted(inside | {p for p in _recorded_extracts(paths) if p.is_file()})


def lost_extracts(paths: ProjectPaths) -> list[Path]:
    """The extracts the audit log records that are no longer where they were
    written (moved or deleted since): out of an erasure's or a sweep's reach."""
    return sorted(p for p in _recorded_extracts(paths) if not p.exists())


def lost_extract_notes(paths: ProjectPaths) -> list[str]:
    """A note per extract out of an erasure's or a sweep's reach, for its
    report: one no longer where it was written, and one the audit log records
    that this project leaves alone (another folder's: `recorded_extracts`)."""
    lost = [
        f"extract {paths.display(p)} (audit log) is no longer there: remove the records from where it went"
        for p in lost_extracts(paths)
    ]
    return lost + list(dict.fromkeys(r.note for r in _recorded(paths) if r.note is not None))


def extract_purposes(paths: ProjectPaths) -> dict[Path, str]:
    """Each extract there is (`extract_files`) -> its purpose: the audit log's
    entry, else the `<purpose>_<date>.parquet` its name carries."""
    recorded = {p.resolve(): purpose for p, purpose in _recorded_extracts(paths).items()}
    return {f: recorded.get(f.resolve(), f.stem.rsplit("_", 1)[0]) for f in extract_files(paths)}


def refreshed_extract_rows(paths: ProjectPaths, golden: pl.DataFrame, key: bytes) -> dict[Path, TablePatch]:
    """Patches (by pseudonym) of the extracts there are, for golden records
    built again (`golden`: golden records with their merged consent, as
    `resolution.golden_records.build_golden` gives them): each rebuilt
    record's row of an extract becomes the row `purpose_extract` gives it now,
    or goes when its consent no longer covers the extract's purpose (or the
    purpose is no longer configured). A rebuilt record the extract did not
    hold is not added: an extract stays the snapshot it was. Files without
    such a row get no patch. Refuses (PseudonymKeyMismatch) a `key` the
    suppression list was not written with, as `extract_pseudonyms` does."""
    check_key(paths, key)
    patches = {}
    for file, purpose in extract_purposes(paths).items():
        try:
            held = pl.read_parquet(file, columns=["pseudonym"])["pseudonym"]
        except (OSError, pl.exceptions.PolarsError):
            continue  # the rewrite that would apply the patch refuses the file, naming it
        mine = hash_series(golden["golden_id"], key, domain=pseudonym_domain(purpose))
        replaced = mine.filter(mine.is_in(held.implode()))
        if not replaced.len():
            continue
        try:
            rows = purpose_extract(golden, golden, purpose, key)
        except ValueError:  # no consent column for the purpose any more: nothing covers it
            rows = pl.DataFrame(schema={"pseudonym": pl.Utf8})
        patches[file] = TablePatch(
            key="pseudonym", keys=replaced.sort(), rows=rows.filter(pl.col("pseudonym").is_in(replaced.implode()))
        )
    return patches


def extract_pseudonyms(paths: ProjectPaths, golden_ids: Iterable[str], purposes: Iterable[str], key: bytes) -> list[str]:
    """The pseudonyms `golden_ids` have in the extracts of `purposes`, of the
    purposes the audit log records extracts for, and of those extract files
    under `data/extracts/` are named for (`<purpose>_<date>.parquet`: a
    purpose dropped from nayose.yaml since), sorted. Refuses
    (PseudonymKeyMismatch) a `key` the suppression list was not written with
    (its pseudonyms would match nothing); the caller holds the warehouse lock
    (an older list gets the key's check value, governance.suppression.check_key)."""
    check_key(paths, key)
    folder = paths.data / "extracts"
    named = {f.stem.rsplit("_", 1)[0] for f in folder.rglob("*.parquet")} if folder.exists() else set()
    named |= set(_recorded_extracts(paths).values())
    ids = pl.Series("golden_id", sorted(set(golden_ids)), dtype=pl.Utf8)
    found: set[str] = set()
    for purpose in sorted(set(purposes) | named):
        found |= set(hash_series(ids, key, domain=pseudonym_domain(purpose)).drop_nulls().to_list())
    return sorted(found)


def extracts_holding(paths: ProjectPaths, golden_ids: Iterable[str], purposes: Iterable[str], key: bytes) -> list[dict]:
    """The extracts that hold the golden records `golden_ids` (by their
    pseudonyms), for an access request's list of disclosures: the file (as the
    project displays it) and its rows of the person. A file that does not read
    is listed with `rows: None`."""
    pseudonyms = extract_pseudonyms(paths, golden_ids, purposes, key)
    held = []
    for file in extract_files(paths):
        try:
            rows = pl.scan_parquet(file).filter(pl.col("pseudonym").is_in(pseudonyms)).select(pl.len()).collect().item()
        except (OSError, pl.exceptions.PolarsError):
            rows = None
        if rows != 0:
            held.append({"file": paths.display(file), "rows": rows})
    return held


def write_extract(extract: pl.DataFrame, target: Path) -> Path:
    """Write the extract as Parquet (atomically) and return its path."""
    write_parquet_atomically(extract, target)
    return target


def publish_extract(paths: ProjectPaths, extract: pl.DataFrame, purpose: str, target: Path, *, actor: str) -> Path:
    """Write `extract` to `target` and record it in the audit log (who, purpose,
    rows, where: `extract_location`), holding the warehouse lock: an erasure or
    a sweep sees the file and its entry together. Returns the absolute path."""
    target = target.resolve()
    with warehouse_lock(paths.warehouse):
        write_extract(extract, target)
        details = {"purpose": purpose, "rows": extract.height, **extract_location(paths.root, target)}
        append_audit(paths.warehouse, [AuditEvent(actor, EXTRACT_ACTION, f"purpose {purpose}", "success", details)])
    return target
