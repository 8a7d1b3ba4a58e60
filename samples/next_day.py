"""A next day's delivery for a generated sample: 1% new people, 1% changed records.

`write_next_day` writes, beside day 1's exports, each source's export for the
next day: people generated afresh (with ids day 1 does not use) and 1% of
day 1's records re-delivered under their own ids with a new email (half of
them) or a new address (the other half, a move). It is the day the nightly
benchmark times and the id-stability test runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from samples.exports import write_csv, write_jsonl
from samples.generator import generate_sample

# Each sample source's export: file glob, encoding, id column (as in the sample's nayose.yaml).
SOURCES = {
    "crm": ("crm_*.csv", "utf-8-sig", "顧客番号"),
    "store_pos": ("store_pos_*.csv", "cp932", "会員番号"),
    "ec_shop": ("ec_shop_*.jsonl", "jsonl", "member_id"),
    "global_web": ("global_web_*.csv", "utf-8", "id"),
}


def read_export(path: Path, encoding: str) -> pl.DataFrame:
    """An export as all-text polars (JSON lines keep their own types)."""
    if encoding == "jsonl":
        return pl.read_ndjson(path)
    data = path.read_bytes().decode(encoding)
    return pl.read_csv(data.encode("utf-8"), infer_schema=False)


def write_export(frame: pl.DataFrame, path: Path, encoding: str) -> None:
    if encoding == "jsonl":
        write_jsonl(frame, path)
    else:
        write_csv(frame, path, encoding)


def _new_id(source: str, column: pl.Expr) -> pl.Expr:
    """Ids of the next day's new people, disjoint from day 1's (same shape per source)."""
    if source == "ec_shop":
        return column.cast(pl.Int64) + 50_000_000
    if source == "store_pos":
        return pl.lit("39") + column.cast(pl.Utf8).str.slice(2)
    return pl.lit("N") + column.cast(pl.Utf8).str.slice(1)


def _changed_contact(source: str, frame: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The same records with a new email (half) or a new address (the other half, a move)."""
    email = {"crm": "メール ", "store_pos": "メールアドレス", "ec_shop": "email", "global_web": "email"}[source]
    address = {"crm": "住所", "store_pos": "番地", "ec_shop": "address", "global_web": "street"}[source]
    moved_from = frame.select(pl.col(address).shuffle(seed=seed)).to_series()
    flip = pl.int_range(pl.len()) % 2 == 0
    return frame.with_columns(
        pl.when(flip & pl.col(email).is_not_null())
        .then(pl.lit("new.") + pl.col(email))
        .otherwise(pl.col(email))
        .alias(email),
        pl.when(~flip).then(pl.lit(moved_from)).otherwise(pl.col(address)).alias(address),
    )


def write_next_day(sample_dir: Path, n_records: int, seed: int, day1: str, day2: str) -> dict:
    """Write `day2`'s exports next to `day1`'s (a sample of `n_records`):
    1% new people and 1% of day 1's records re-delivered with changed
    contact data. Writes the new people's truth as truth_<day2>.csv, with
    person ids prefixed `day2-`. Returns the counts of new and changed records."""
    n_new = max(1, n_records // 100)
    fresh_dir = sample_dir.parent / "day2_fresh"
    shutil.rmtree(fresh_dir, ignore_errors=True)
    generate_sample(fresh_dir, n_records=n_new, seed=seed + 1000, date=day2)
    fresh_truth = pl.read_csv(next(fresh_dir.glob("truth_*.csv")), infer_schema=False)
    truth_parts, new_rows, changed_rows = [], 0, 0
    for source, (pattern, encoding, id_col) in SOURCES.items():
        earlier = read_export(sample_dir / pattern.replace("*", day1), encoding)
        fresh = read_export(fresh_dir / pattern.replace("*", day2), encoding)
        changed = _changed_contact(source, earlier.sample(fraction=0.01, seed=seed, shuffle=True), seed)
        renamed = fresh.with_columns(_new_id(source, pl.col(id_col)).alias(id_col))
        delivered = pl.concat([changed, renamed.cast(changed.schema, strict=False)], how="vertical_relaxed")
        write_export(delivered, sample_dir / pattern.replace("*", day2), encoding)
        src_truth = fresh_truth.filter(pl.col("source_system") == source)
        old_ids = fresh.select(pl.col(id_col).cast(pl.Utf8)).to_series()
        new_ids = renamed.select(pl.col(id_col).cast(pl.Utf8)).to_series()
        id_map = dict(zip(old_ids.to_list(), new_ids.to_list(), strict=True))
        truth_parts.append(
            src_truth.with_columns(
                pl.col("source_record_id").replace_strict(id_map, return_dtype=pl.Utf8),
                (pl.lit("day2-") + pl.col("person_id")).alias("person_id"),
            )
        )
        new_rows += fresh.height
        changed_rows += changed.height
    pl.concat(truth_parts).write_csv(sample_dir / f"truth_{day2}.csv")
    shutil.rmtree(fresh_dir, ignore_errors=True)
    return {"new_records": new_rows, "changed_records": changed_rows}


def as_snapshots(sample_dir: Path, day1: str, day2: str) -> dict:
    """Rewrite each source's `day2` export (as `write_next_day` wrote it) as
    a whole snapshot of the source: day 1's records it did not re-deliver, as
    they were, then its own rows. For a project whose sources are
    `delivery: snapshot` the day's changes are the same; every record is
    delivered again. Returns the rows per source."""
    rows = {}
    for source, (pattern, encoding, id_col) in SOURCES.items():
        earlier = read_export(sample_dir / pattern.replace("*", day1), encoding)
        target = sample_dir / pattern.replace("*", day2)
        delivered = read_export(target, encoding)
        kept = earlier.join(delivered.select(pl.col(id_col).cast(earlier.schema[id_col])), on=id_col, how="anti")
        whole = pl.concat([kept, delivered.cast(kept.schema, strict=False)], how="vertical_relaxed")
        write_export(whole, target, encoding)
        rows[source] = whole.height
    return rows
