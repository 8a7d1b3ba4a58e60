"""Erasure in a population where names repeat: the byte-level residual search
looks for what was the person's alone, so another customer with the same
family name (or the same full name) does not make every erasure `incomplete`."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from governance.erasure import erase_person
from governance.residuals import find_residuals
from tests.conftest import GeneratedNight
from warehouse import ProjectPaths, read_table


def test_an_erasure_among_namesakes_is_complete_and_leaves_no_email_or_phone(
    generated_night: GeneratedNight, tmp_path: Path, pseudonym_key_env: bytes
) -> None:
    root = tmp_path / "project"
    shutil.copytree(generated_night.root, root)
    paths = ProjectPaths.of(root)
    records = read_table(paths.warehouse, "records")
    golden = read_table(paths.warehouse, "crosswalk").join(records, on="record_key")
    # a person (one golden record) with an email and a phone whose family name other customers have too
    shared_family = records.group_by("family_name").agg(pl.len().alias("n")).filter(pl.col("n") >= 5).drop_nulls()
    person = (
        golden.filter(pl.col("family_name").is_in(shared_family["family_name"].implode()))
        .filter(pl.col("std_email").is_not_null() & pl.col("std_phone").is_not_null())
        .sort("record_key")
        .row(0, named=True)
    )
    theirs = golden.filter(pl.col("golden_id") == person["golden_id"])
    emails, phones = set(theirs["std_email"].drop_nulls()), set(theirs["std_phone"].drop_nulls())
    assert not records.filter(~pl.col("record_key").is_in(theirs["record_key"].implode()))["std_email"].is_in(sorted(emails)).any()

    report = erase_person(paths, golden_id=person["golden_id"], key=pseudonym_key_env, actor="privacy-officer")
    assert report.found and report.source_records_removed == theirs.height
    assert report.complete, report.residual_files  # other people named like them are not their residue
    assert find_residuals(root, sorted(emails | phones)) == []
    left = read_table(paths.warehouse, "records")
    namesakes = records.filter(
        (pl.col("family_name") == person["family_name"]) & ~pl.col("record_key").is_in(theirs["record_key"].implode())
    ).height
    assert left.filter(pl.col("family_name") == person["family_name"]).height == namesakes > 0  # they stay
