"""Purpose-limited extracts for analysts.

An extract holds only golden records whose merged consent covers its purpose,
keyed by a pseudonym (a keyed hash of the golden id, different per purpose, so
two extracts cannot be joined on it without the key), with quasi-identifiers
generalised (birth year, prefecture) and no direct identifier at all. Its
columns are an allow-list: a golden column added later stays out until it is
added here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import polars as pl

from governance.consent import consent_covers
from governance.pseudonymization import hash_series
from warehouse import ProjectPaths, write_parquet_atomically

DIRECT_IDENTIFIERS = (
    "golden_id", "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "email", "phone", "postal_code", "address_line", "building", "city",
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


def extract_files(paths: ProjectPaths) -> list[Path]:
    """The extracts written under `data/extracts/` (an extract written elsewhere
    with `--out` is out of the project's reach)."""
    folder = paths.data / "extracts"
    return sorted(folder.rglob("*.parquet")) if folder.exists() else []


def extract_pseudonyms(paths: ProjectPaths, golden_ids: Iterable[str], purposes: Iterable[str], key: bytes) -> list[str]:
    """The pseudonyms `golden_ids` have in the extracts of `purposes` and of the
    purposes the extract files are named for (`<purpose>_<date>.parquet`: a
    purpose dropped from nayose.yaml since), sorted."""
    named = {f.stem.rsplit("_", 1)[0] for f in extract_files(paths)}
    ids = pl.Series("golden_id", sorted(set(golden_ids)), dtype=pl.Utf8)
    found: set[str] = set()
    for purpose in sorted(set(purposes) | named):
        found |= set(hash_series(ids, key, domain=pseudonym_domain(purpose)).drop_nulls().to_list())
    return sorted(found)


def write_extract(extract: pl.DataFrame, target: Path) -> Path:
    """Write the extract as Parquet (atomically) and return its path."""
    write_parquet_atomically(extract, target)
    return target
