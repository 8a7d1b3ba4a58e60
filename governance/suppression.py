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
another day is not suppressed. A national identifier (a South African ID, a
BVN, a passport number ...) is hashed as the number standardization compares
(`std_national_id`: `8001015009087` and `800101 5009 087` alike) with its
kind (`std_national_id_type`, which names the country where the kind has one:
`ZA_ID`, `NG_BVN`, `KE_ID`; a passport's issuing country is not in the record
contract, and the address country is not its issuer), so a passport number
that equals an erased South African ID is not suppressed. A number whose kind
is not known (a source that maps no type, from a country that does not make
it certain) matches every kind, as the request that finds the person does
(governance.subjects): see NATIONAL_ID_PROBES.

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
NATIONAL_ID_OF_KIND = "national_id_of_kind"
"""`KIND:number` (`ZA_ID:8001015009087`; `:number` when no kind is known)."""
NATIONAL_ID_NUMBER = "national_id_number"
"""The number alone, looked up only for a row whose kind is not known."""
KINDLESS_NATIONAL_ID = "national_id"
"""The number alone, as the first erasures by national id (before kinds)
hashed it. Such an entry is never written again, and keeps
suppressing the number by value alone, of any kind: safe (it may keep out a
passport that equals an erased person's ID number, never let them back in);
re-hashing it with its kind is impossible (the list holds no values)."""
_PLAIN_KINDS = ("email", "phone", "name_birth", "name_pair_birth")
IDENTITY_KINDS = (*_PLAIN_KINDS, NATIONAL_ID_OF_KIND, NATIONAL_ID_NUMBER)
"""The kinds an erasure writes. `name_pair_birth` and the national ids came
later: a list written before them holds no hashes of their kind, and its
others still suppress what they did (each kind is matched against its own
rows only; the key check is a row of its own kind)."""
NATIONAL_ID_PROBES = (
    (NATIONAL_ID_OF_KIND, NATIONAL_ID_OF_KIND),
    ("national_id_any_kind", NATIONAL_ID_OF_KIND),
    ("national_id_unknown_kind", NATIONAL_ID_NUMBER),
    ("national_id_by_value", KINDLESS_NATIONAL_ID),
)
"""How a row's national id is looked up: (the row's value, the kind of entry
it is compared with). A row carrying number N of kind K is the erased
person's when the list holds `K:N` (N erased as K), `:N` (N erased with no
kind known: of any kind), or, when the row's own kind is not known, N erased
as any kind (`national_id_number`), or a kind-less entry of N from before
kinds (KINDLESS_NATIONAL_ID)."""
PROBES = (*((kind, kind) for kind in _PLAIN_KINDS), *NATIONAL_ID_PROBES)
"""Every (row value, entry kind) looked up to tell whether a row is an erased person's."""
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


def _national_id_columns(frame: pl.DataFrame) -> tuple[pl.Expr, pl.Expr]:
    """The standardized number and its kind (null where a warehouse written
    before national identifiers, or before their kinds, has none)."""
    def column(name: str) -> pl.Expr:
        return pl.col(name).cast(pl.Utf8) if name in frame.columns else pl.lit(None, pl.Utf8)

    return column("std_national_id"), column("std_national_id_type")


def identity_values(records: pl.DataFrame) -> pl.DataFrame:
    """Per input row (same order): the identifiers suppression hashes
    (IDENTITY_KINDS), in clear: `email`, `phone`, `name_birth` (std full name
    `|` std birth date), `name_pair_birth` (the name's romanized parts in
    sorted order `|` std birth date: the same for `山田 太郎`, `太郎 山田` and
    `Taro Yamada`), `national_id_of_kind` (`std_national_id_type:std_national_id`,
    the kind empty when not known) and `national_id_number`
    (`std_national_id`), null where missing. `records` holds std columns or
    canonical fields."""
    frame = with_identity_columns(records)
    number, kind = _national_id_columns(frame)
    return frame.select(
        pl.col("std_email").alias("email"),
        pl.col("std_phone").alias("phone"),
        _with_birth_date(pl.col("std_full_name")).alias("name_birth"),
        _with_birth_date(pl.col("mk_name_pair")).alias("name_pair_birth"),
        pl.concat_str([kind.fill_null(""), number], separator=":").alias(NATIONAL_ID_OF_KIND),
        number.alias(NATIONAL_ID_NUMBER),
    )


def identity_probes(records: pl.DataFrame) -> pl.DataFrame:
    """Per input row (same order): the values looked up, one column per
    PROBES entry (named as its first element), in clear: the row's
    identity_values, and for its national id `:number` (an entry erased with
    no kind known), the number when the row's kind is not known, and the
    number for kind-less entries from before kinds."""
    frame = with_identity_columns(records)  # once: identity_values finds it done
    number, kind = _national_id_columns(frame)
    extra = frame.select(
        (pl.lit(":") + number).alias("national_id_any_kind"),
        pl.when(kind.is_null()).then(number).alias("national_id_unknown_kind"),
        number.alias("national_id_by_value"),
    )
    return pl.concat([identity_values(frame), extra], how="horizontal")


def carries_any(probes: pl.DataFrame, listed: dict[str, pl.Series]) -> pl.Series:
    """True for each row of `probes` (identity_probes, or their keyed
    hashes) whose value for some PROBES entry is among `listed` of that
    entry's kind (values or hashes alike; a kind not in `listed` matches
    nothing)."""
    empty = pl.Series([], dtype=pl.Utf8)
    hit = pl.any_horizontal(
        pl.col(probe).is_in(listed.get(kind, empty).implode()).fill_null(False) for probe, kind in PROBES
    )
    return probes.select(hit.alias("hit"))["hit"]


def identity_hashes(records: pl.DataFrame, key: bytes, kinds: set[str] | None = None) -> pl.DataFrame:
    """identity_probes with each value keyed-hashed in the domain of the
    entry kind it is compared with (null where missing); with `kinds`, only
    the probes of those entry kinds are hashed (the others are null: a list
    without kind-less national ids costs no hashing for them)."""
    plain = identity_probes(records)
    return pl.DataFrame(
        [
            hash_series(plain[probe], key, domain=f"suppression:{kind}")
            if kinds is None or kind in kinds
            else pl.Series(probe, [None] * plain.height, dtype=pl.Utf8)
            for probe, kind in PROBES
        ]
    )


def entry_rows(kind: str, values: pl.Series, key: bytes) -> pl.DataFrame:
    """`kind`, `hash` rows for `values` (plain identifiers of `kind`; nulls give null hashes)."""
    hashes = hash_series(values.cast(pl.Utf8), key, domain=f"suppression:{kind}")
    return pl.DataFrame({"kind": [kind] * len(hashes), "hash": hashes}, schema={"kind": pl.Utf8, "hash": pl.Utf8})


def suppression_entries(records: pl.DataFrame, key: bytes, *, now: datetime | None = None) -> pl.DataFrame:
    """Suppression rows (`kind`, `hash`, `added_at`) for every identifier of `records`."""
    plain = identity_values(records)
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    rows = pl.concat([entry_rows(kind, plain[kind], key) for kind in IDENTITY_KINDS])
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
    """True for each row of `records` whose email, phone, national id (of its
    kind, see NATIONAL_ID_PROBES) or name + birth date (as written, or its
    romanized parts in any order) is on the suppression list.

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
    listed = {kind: frame["hash"] for (kind,), frame in suppression.group_by("kind")}
    return carries_any(identity_hashes(records, key, set(listed)), listed).alias("suppressed")


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
