"""Generating a whole sample: people, their records in four sources, the exports and the ground truth."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from samples.corruption import CorruptionRates, corrupt_records
from samples.exports import (
    partition_name, render_crm, render_ec_shop, render_global_web, render_store_pos, write_csv, write_jsonl,
)
from samples.population import generate_people
from samples.randomness import RandomStreams
from samples.records import plan_records, records_per_person, true_record_values

# source -> (render function, file suffix, encoding or "jsonl")
_SOURCES = {
    "crm": (render_crm, "csv", "utf-8-sig"),
    "store_pos": (render_store_pos, "csv", "cp932"),
    "ec_shop": (render_ec_shop, "jsonl", "jsonl"),
    "global_web": (render_global_web, "csv", "utf-8"),
}


@dataclass(frozen=True)
class SampleManifest:
    """What ``generate_sample`` wrote."""

    files: list[Path]  # export files written
    truth_path: Path  # CSV: source_system, source_record_id, person_id
    n_people: int
    n_records: int


def generate_sample(
    out_dir: Path, *, n_records: int = 4000, seed: int = 7, date: str = "2026-11-25",
    rates: CorruptionRates = CorruptionRates(),
) -> SampleManifest:
    """Write ``n_records`` source records of generated people into ``out_dir``, with their ground truth.

    Files: ``crm_<date>.csv``, ``store_pos_<date>.csv``, ``ec_shop_<date>.jsonl``,
    ``global_web_<date>.csv`` (a source that got no record still gets a file with
    its header) and ``truth_<date>.csv``.  Same ``seed`` and arguments, same
    bytes.  Refuses ``n_records < 1`` and dates not in ``YYYY-MM-DD`` form.
    """
    if n_records < 1:
        raise ValueError(f"n_records must be at least 1, got {n_records}")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise ValueError(f"date must be YYYY-MM-DD, got {date!r}") from exc
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    streams = RandomStreams(seed)
    counts = records_per_person(streams, n_records)
    people = generate_people(len(counts), seed)
    records = corrupt_records(true_record_values(plan_records(people, counts, seed, day), people), seed, rates)
    files: list[Path] = []
    truth: list[pl.DataFrame] = []
    for source, (render, suffix, encoding) in _SOURCES.items():
        frame = render(records.filter(pl.col("source") == source), streams)
        path = out_dir / partition_name(source, day, suffix)
        export = frame.drop("person_id")
        if encoding == "jsonl":
            write_jsonl(export, path)
        else:
            write_csv(export, path, encoding)
        files.append(path)
        truth.append(frame.select(
            pl.lit(source).alias("source_system"),
            frame.to_series(0).cast(pl.String).alias("source_record_id"),
            "person_id",
        ))
    truth_path = out_dir / f"truth_{day.isoformat()}.csv"
    pl.concat(truth).write_csv(truth_path)
    return SampleManifest(files=files, truth_path=truth_path, n_people=len(counts), n_records=records.height)
