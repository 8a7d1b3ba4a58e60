"""The suppression list: keyed hashes of erased people's identifiers, so a
re-delivered export does not bring them back.

Stored as `data/governance/suppression.parquet` with only `kind`, `hash` and
`added_at`: the list itself holds no email, phone or name, and without the
key (`NAYOSE_PSEUDONYM_KEY`) a guessed identifier cannot be tested against it.
Identifiers are hashed after standardization (the record contract's
`std_email`, E.164 `std_phone`, and `std_full_name` + `std_birth_date`), so
`TARO@example.com` and `taro@example.com`, `090-1234-5678` and
`+81 90 1234 5678` hash alike. A name is hashed a second way too, as its
parts' romanized readings in sorted order (the match key `mk_name_pair`)
with the birth date (`name_pair_birth`): another source that writes the
erased 山田 太郎 as `太郎 山田`, `Taro Yamada` or `YAMADA TARO` is suppressed
as well. A name is never hashed without the birth date: a namesake born on
another day is not suppressed. A national identifier (`std_national_id`: a
South African ID, a BVN, a passport number ...) is hashed as the number
standardization compares (`8001015009087` and `800101 5009 087` alike),
without its kind, which a source may leave unmapped.

The list also holds one row of kind `key_check`: the check value of the key
it was written with (governance.pseudonymization.key_check_value), so it
travels wherever the list goes (mirror, backup, restore). Every use of the key
against the list refuses another key (`PseudonymKeyMismatch`) before anything
changes; a list written before check values gets one on its next use with a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from governance.pseudonymization import (
    PseudonymKeyMismatch,
    hash_series,
    key_check_value,
    pseudonym_key,
)
from warehouse import ProjectPaths, warehouse_lock, write_parquet_atomically

SUPPRESSION_SCHEMA = {"kind": pl.Utf8, "hash": pl.Utf8, "added_at": pl.Utf8}
IDENTITY_KINDS = ("email", "phone", "name_birth", "name_pair_birth", "national_id")
"""`name_pair_birth` and `national_id` came later: a list written before them
holds no hashes of their kind, and its others still suppress what they did
(each kind is matched against its own rows only; the key check is a row of
its own kind)."""
KEY_CHECK_KIND = "key_check"
_STD_COLUMNS = ("std_email", "std_phone", "std_full_name", "std_birth_date")


def suppression_path(paths: ProjectPaths) -> Path:
    """Where the project's suppression list lives."""
    return paths.data / "governance" / "suppression.parquet"


def read_suppression(paths: ProjectPaths) -> pl.DataFrame:
    """The suppression list (empty frame when there is none)."""
    path = suppression_path(paths)
    if not path.exists():
        return pl.DataFrame(schema=SUPPRESSION_SCHEMA)
    return pl.read_parquet(path)


def with_identity_columns(records: pl.DataFrame) -> pl.DataFrame:
    """`records` with the standardized identity columns and the name pair
    match key (`mk_name_pair`); mapped (canonical) records are standardized
    first (needs `record_key`)."""
    if not all(c in records.columns for c in _STD_COLUMNS):
        from resolution.standardization import standardize_records

        records = standardize_records(records).records
    if "mk_name_pair" not in records.columns:
        from resolution.match_keys import add_match_keys

        records = add_match_keys(records)
    return records


def _with_birth_date(name: pl.Expr) -> pl.Expr:
    """`name|birth date`, null unless both are known: a name alone never identifies."""
    birth = pl.col("std_birth_date").cast(pl.Utf8)
    return pl.when(name.is_not_null() & birth.is_not_null()).then(name + "|" + birth)


def identity_values(records: pl.DataFrame) -> pl.DataFrame:
    """Per input row (same order): the identifiers suppression hashes, in
    clear: `email`, `phone`, `name_birth` (std full name `|` std birth date),
    `name_pair_birth` (the name's romanized parts in sorted order `|` std
    birth date: the same for `山田 太郎`, `太郎 山田` and `Taro Yamada`),
    `national_id` (`std_national_id`), null where missing. `records` holds
    std columns or canonical fields (a warehouse written before national
    identifiers has no `std_national_id`: null)."""
    frame = with_identity_columns(records)
    national_id = pl.col("std_national_id") if "std_national_id" in frame.columns else pl.lit(None, pl.Utf8)
    return frame.select(
        pl.col("std_email").alias("email"),
        pl.col("std_phone").alias("phone"),
        _with_birth_date(pl.col("std_full_name")).alias("name_birth"),
        _with_birth_date(pl.col("mk_name_pair")).alias("name_pair_birth"),
        national_id.cast(pl.Utf8).alias("national_id"),
    )


def identity_hashes(records: pl.DataFrame, key: bytes) -> pl.DataFrame:
    """Per input row (same order): `<kind>_hash` per IDENTITY_KINDS
    (null where the identifier is missing). `records` holds std columns or canonical fields."""
    plain = identity_values(records)
    return pl.DataFrame(
        [hash_series(plain[kind], key, domain=f"suppression:{kind}").alias(f"{kind}_hash") for kind in IDENTITY_KINDS]
    )


def suppression_entries(records: pl.DataFrame, key: bytes, *, now: datetime | None = None) -> pl.DataFrame:
    """Suppression rows (`kind`, `hash`, `added_at`) for every identifier of `records`."""
    hashes = identity_hashes(records, key)
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    rows = pl.concat(
        [hashes.select(pl.lit(kind).alias("kind"), pl.col(f"{kind}_hash").alias("hash")) for kind in IDENTITY_KINDS]
    )
    return rows.drop_nulls("hash").unique(maintain_order=True).with_columns(pl.lit(at).alias("added_at"))


def key_check_entry(key: bytes, *, now: datetime | None = None) -> pl.DataFrame:
    """The suppression row holding `key`'s check value (kind `key_check`)."""
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    return pl.DataFrame([{"kind": KEY_CHECK_KIND, "hash": key_check_value(key), "added_at": at}], schema=SUPPRESSION_SCHEMA)


def verify_key(suppression: pl.DataFrame, key: bytes) -> bool:
    """Whether `suppression` holds a key check value; refuses
    (PseudonymKeyMismatch) a `key` whose check value is not the stored one
    (or a list holding two: its hashes were made with two keys). False for
    a list written before check values: any key passes, none is proved."""
    stored = set(suppression.filter(pl.col("kind") == KEY_CHECK_KIND)["hash"].to_list())
    if stored and stored != {key_check_value(key)}:
        raise PseudonymKeyMismatch()
    return bool(stored)


def _write_suppression(paths: ProjectPaths, frame: pl.DataFrame) -> None:
    # the list outlives the project dir
    from security.suppression_mirror import sync_suppression_mirror

    write_parquet_atomically(frame.select(list(SUPPRESSION_SCHEMA)), suppression_path(paths))
    sync_suppression_mirror(paths)


def check_key(paths: ProjectPaths, key: bytes) -> pl.DataFrame:
    """The project's suppression list, once `key` is shown to be the one it
    was written with. Call before the key is used against stored hashes.

    Refuses (PseudonymKeyMismatch), before anything changes, another key. A
    non-empty list written before check values gets `key`'s now (the caller
    holds the warehouse lock: the list is rewritten); an empty list needs none
    (the first erasure writes it with its entries)."""
    current = read_suppression(paths)
    if current.height and not verify_key(current, key):
        current = pl.concat([current.select(list(SUPPRESSION_SCHEMA)), key_check_entry(key)])
        _write_suppression(paths, current)
    return current


def check_run_key(paths: ProjectPaths) -> None:
    """Refuse a nightly run, new files or not, whose `NAYOSE_PSEUDONYM_KEY`
    is missing (PseudonymKeyMissing) or is not the one the project's
    suppression list was written with (PseudonymKeyMismatch), so a wrong key
    is said the night it is set, not on the first night that brings a file.
    Costs a read of the list and one keyed hash; nothing without a list. A
    list written before check values gets the key's (the caller holds the
    warehouse lock)."""
    suppression = read_suppression(paths)
    if suppression.height:
        check_key(paths, pseudonym_key())


def add_to_suppression(paths: ProjectPaths, entries: pl.DataFrame, key: bytes | None = None) -> int:
    """Append `entries` to the stored list (atomic rewrite, duplicates kept
    once). With `key` (the one `entries` were hashed with), refuses
    (PseudonymKeyMismatch) a list written with another key, and stores the
    key's check value when the list has none yet. Returns how many hashes
    were new (the check value not counted)."""
    current = read_suppression(paths)
    new = entries.select(list(SUPPRESSION_SCHEMA)).join(current, on=["kind", "hash"], how="anti")
    check = pl.DataFrame(schema=SUPPRESSION_SCHEMA)
    if key is not None and not verify_key(current, key) and (new.height or current.height):
        check = key_check_entry(key)
    if new.height or check.height:
        _write_suppression(paths, pl.concat([current.select(list(SUPPRESSION_SCHEMA)), new, check]))
    return new.height


def suppressed_mask(records: pl.DataFrame, suppression: pl.DataFrame, key: bytes | None) -> pl.Series:
    """True for each row of `records` whose email, phone, national id or name +
    birth date (as written, or its romanized parts in any order) is on the
    suppression list.

    In: records with std identity columns, or mapped canonical fields (then
    standardized here, which costs a standardization pass). With an empty list
    nothing is computed and no key is needed. Refuses (ValueError) a non-empty
    list without a key: suppression cannot be checked, ingesting would risk
    bringing an erased person back; and (PseudonymKeyMismatch) a key that is
    not the one the list was written with (its `key_check` row)."""
    if not suppression.height:
        return pl.Series("suppressed", [False] * records.height, dtype=pl.Boolean)
    if key is None:
        raise ValueError(
            "the suppression list is not empty but no pseudonymization key was given: set NAYOSE_PSEUDONYM_KEY"
        )
    verify_key(suppression, key)
    hashes = identity_hashes(records, key)
    hit = pl.any_horizontal(
        pl.col(f"{kind}_hash").is_in(suppression.filter(pl.col("kind") == kind)["hash"].implode()).fill_null(False)
        for kind in IDENTITY_KINDS
    )
    return hashes.select(hit.alias("suppressed"))["suppressed"]


SUPPRESSED_RULE = "suppressed_by_erasure"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class ScreenedExport:
    """An export after suppression: `raw` and `mapped` without the erased
    people's rows, and one quarantine row per row left out (no values)."""

    raw: pl.DataFrame
    mapped: pl.DataFrame
    quarantine: pl.DataFrame


def screen_suppressed(paths: ProjectPaths, raw: pl.DataFrame, mapped: pl.DataFrame) -> ScreenedExport:
    """Drop the rows of one parsed (`raw`) and mapped export whose person is on
    the suppression list, before anything of them is written.

    Rows are matched on `source_row`. The quarantine rows carry lineage, rule
    `suppressed_by_erasure` and disposition `suppressed` (not a rejection: they
    do not count against the source's failure threshold). With an empty list
    this costs nothing; otherwise the key must be set (PseudonymKeyMissing)
    and be the one the list was written with (PseudonymKeyMismatch); a list
    written before check values gets the key's, under the warehouse lock."""
    from quality_checks.quarantine import QUARANTINE_SCHEMA

    suppression = read_suppression(paths)
    if not suppression.height or not mapped.height:
        return ScreenedExport(raw, mapped, pl.DataFrame(schema=QUARANTINE_SCHEMA))
    key = pseudonym_key()
    if not verify_key(suppression, key):  # an older list: record this key's check value (an erasure may be writing)
        with warehouse_lock(paths.warehouse):
            suppression = check_key(paths, key)
    mask = suppressed_mask(mapped, suppression, key)
    rows = mapped.filter(mask)["source_row"].implode()
    quarantine = mapped.filter(mask).select(
        *[pl.col(c) for c in ("record_key", "source_system", "source_record_id", "source_file", "source_row", "file_hash")],
        pl.lit(SUPPRESSED_RULE).alias("rule"),
        pl.lit(None, pl.Utf8).alias("field"),
        pl.lit("the person asked for erasure and is on the suppression list; the row was not ingested").alias("reason"),
        pl.lit(SUPPRESSED).alias("disposition"),
    )
    return ScreenedExport(
        raw.filter(~pl.col("source_row").is_in(rows)),
        mapped.filter(~mask),
        quarantine.select([pl.col(c).cast(t) for c, t in QUARANTINE_SCHEMA.items()]),
    )
