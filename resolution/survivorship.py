"""Survivorship: which record's value each golden attribute takes, and why.

Attributes that belong together survive together (a name's parts and its
reading; an address's postal code, prefecture, city, street and building), so
a golden record never mixes two addresses. Every golden value carries its
lineage: source system, source record id, and the rule that chose it.

Records are ranked on their standardized values; a chosen name or address
part is then shown in its record's own spelling (`presented_values`), so a
golden record reads `Godard`, not the matching key `godard`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from nayose_config import SurvivorshipConfig
from resolution.presented_values import PRESENTED_ATTRIBUTES, with_presented_values

# golden attribute -> standardized column it is taken from
GOLDEN_COLUMNS: dict[str, str] = {
    "family_name": "std_family_name",
    "given_name": "std_given_name",
    "full_name": "std_full_name",
    "family_name_kana": "std_family_kana",
    "given_name_kana": "std_given_kana",
    "full_name_kana": "std_full_kana",
    "birth_date": "std_birth_date",
    "gender": "std_gender",
    "email": "std_email",
    "phone": "std_phone",
    "postal_code": "std_postal_code",
    "prefecture": "std_prefecture",
    "city": "std_city",
    "address_line": "std_address",
    "building": "std_building",
    "country": "std_country",
}

ATTRIBUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana"),
    "birth_date": ("birth_date",),
    "gender": ("gender",),
    "email": ("email",),
    "phone": ("phone",),
    "address": ("postal_code", "prefecture", "city", "address_line", "building", "country"),
}

SURVIVORSHIP_VERSION = "not-alone/1"
"""Changes whenever `survive` chooses other values from the same records and
rules (it joins the golden rules' fingerprint: the next night rebuilds every
golden record once)."""

NOT_ALONE = ("country",)
"""Attributes that alone do not give their group a value while another record
of the golden record has more: a record's country is its source's default
where the export has none, so a record without an address would otherwise
win the address group with its country alone."""

LINEAGE_SCHEMA = {
    "golden_id": pl.Utf8,
    "attribute": pl.Utf8,
    "source_system": pl.Utf8,
    "source_record_id": pl.Utf8,
    "rule": pl.Utf8,
}


@dataclass(frozen=True)
class SurvivedRecords:
    golden_records: pl.DataFrame  # golden_id, attributes..., record_count, source_systems, updated_at
    lineage: pl.DataFrame  # LINEAGE_SCHEMA, one row per golden_id x attribute with a value


def _rule_for(group: str, config: SurvivorshipConfig) -> str:
    for attribute in ATTRIBUTE_GROUPS[group]:
        if attribute in config.fields:
            return config.fields[attribute]
    return config.default


def _ranking(rule: str, value_cols: list[str]) -> tuple[list[pl.Expr], list[bool]]:
    """Sort keys (best first) for a rule; ties fall through to recency, then
    source priority, then record key, so the choice is deterministic."""
    recency = [pl.col("_updated_at"), pl.col("_priority"), pl.col("record_key")]
    recency_desc = [True, False, False]
    if rule == "most_recent":
        return recency, recency_desc
    if rule == "source_priority":
        return [pl.col("_priority"), pl.col("_updated_at"), pl.col("record_key")], [False, True, False]
    if rule == "most_complete":
        return [pl.col("_filled"), *recency], [True, *recency_desc]
    if rule == "most_frequent":
        return [pl.len().over("golden_id", *value_cols), *recency], [True, *recency_desc]
    if rule == "longest":
        length = pl.sum_horizontal([pl.col(c).cast(pl.Utf8).str.len_chars().fill_null(0) for c in value_cols])
        return [length, *recency], [True, *recency_desc]
    raise ValueError(f"unknown survivorship rule {rule!r}")


def _presented(chosen: pl.DataFrame, records: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """`chosen` (rows of `records` by `_row`) with the standardized `columns`
    (attribute -> column) of `PRESENTED_ATTRIBUTES` in their records' spelling."""
    sources = sorted({s for a in columns if a in PRESENTED_ATTRIBUTES for s in PRESENTED_ATTRIBUTES[a].sources})
    sources = [s for s in sources if s in records.columns]
    if not sources:
        return chosen
    raw = records.select(pl.col(s).cast(pl.Utf8).alias(f"_raw_{s}") for s in sources)[chosen["_row"]]
    return with_presented_values(pl.concat([chosen, raw], how="horizontal"), columns)


def survive(records: pl.DataFrame, crosswalk: pl.DataFrame, config: SurvivorshipConfig) -> SurvivedRecords:
    """Build one golden record per golden id from its standardized source records.

    `records` holds the std_* columns plus `record_key`, `source_system`,
    `source_record_id`, and may hold the raw canonical columns (`family_name`,
    `address_line` ...) that the chosen values are presented in (without them
    the standardized values are the golden values); `crosswalk` maps
    record_key -> golden_id."""
    std_cols = [c for c in GOLDEN_COLUMNS.values() if c in records.columns]
    priority = {name: i for i, name in enumerate(config.source_priority)}
    # Only the columns survivorship reads, and an integer stand-in for the golden id
    # (`_gid`, in golden-id order): every sort and join below moves narrow rows on integers.
    needed = ["record_key", "source_system", "source_record_id", *std_cols]
    if "std_updated_at" in records.columns and "std_updated_at" not in std_cols:
        needed.append("std_updated_at")
    # `_row` finds a chosen record's raw values in `records` without carrying them through the sorts.
    base = records.select(needed).with_row_index("_row").join(crosswalk.select("record_key", "golden_id"), on="record_key").with_columns(
        _updated_at=(pl.col("std_updated_at") if "std_updated_at" in records.columns else pl.lit(None, pl.Datetime)),
        _priority=pl.col("source_system").replace_strict(priority, default=len(priority), return_dtype=pl.Int64),
        _filled=pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in std_cols]) if std_cols else pl.lit(0),
        _gid=pl.col("golden_id").rank("dense").cast(pl.UInt64),
    )
    source_systems = (
        base.select("_gid", "source_system").unique().sort("_gid", "source_system")
        .group_by("_gid", maintain_order=True).agg(source_systems=pl.col("source_system").str.join(","))
    )
    golden = base.group_by("_gid").agg(
        golden_id=pl.col("golden_id").first(), record_count=pl.len(), updated_at=pl.col("_updated_at").max()
    ).join(source_systems, on="_gid", how="left")
    ranked: dict[tuple, pl.DataFrame] = {}  # one sort per distinct ranking, shared by the groups using it
    lineage_parts: list[pl.DataFrame] = []
    for group, attributes in ATTRIBUTE_GROUPS.items():
        present = [a for a in attributes if GOLDEN_COLUMNS[a] in base.columns]
        if not present:
            continue
        cols = [GOLDEN_COLUMNS[a] for a in present]
        rule = _rule_for(group, config)
        ranking = (rule, tuple(cols)) if rule in ("most_frequent", "longest") else (rule,)
        if ranking not in ranked:
            keys, descending = _ranking(rule, cols)
            # Every ranking ends in record_key, so the order is total: filtering after sorting
            # picks the same rows as sorting after filtering.
            ranked[ranking] = base.sort([pl.col("_gid"), *keys], descending=[False, *descending], nulls_last=True)
        valued = pl.any_horizontal([pl.col(c).is_not_null() for c in cols])
        telling = [pl.col(GOLDEN_COLUMNS[a]).is_not_null() for a in present if a not in NOT_ALONE]
        if 0 < len(telling) < len(present):
            told = pl.any_horizontal(telling)
            valued = told | (valued & ~told.any().over("_gid"))
        chosen = (
            ranked[ranking]
            .select("_gid", "_row", "source_system", "source_record_id", *cols)
            .filter(valued)
            .group_by("_gid", maintain_order=True)
            .first()
        )
        chosen = _presented(chosen, records, {a: GOLDEN_COLUMNS[a] for a in present})
        golden = golden.join(chosen.select("_gid", *[pl.col(GOLDEN_COLUMNS[a]).alias(a) for a in present]), on="_gid", how="left")
        for attribute in present:
            lineage_parts.append(
                chosen.filter(pl.col(GOLDEN_COLUMNS[attribute]).is_not_null()).select(
                    "_gid",
                    attribute=pl.lit(attribute),
                    source_system="source_system",
                    source_record_id="source_record_id",
                    rule=pl.lit(rule),
                )
            )
    golden = golden.sort("_gid")
    ordered = ["golden_id", *[a for a in GOLDEN_COLUMNS if a in golden.columns], "record_count", "source_systems", "updated_at"]
    if lineage_parts:
        # Sorted by (golden id, attribute name) through one integer key.
        attribute_order = {a: i for i, a in enumerate(sorted(GOLDEN_COLUMNS))}
        lineage = (
            pl.concat(lineage_parts)
            .sort(pl.col("_gid") * 64 + pl.col("attribute").replace_strict(attribute_order, return_dtype=pl.UInt64))
            .join(golden.select("_gid", "golden_id"), on="_gid", how="left", maintain_order="left")
            .select(list(LINEAGE_SCHEMA))
            .cast(LINEAGE_SCHEMA)
        )
    else:
        lineage = pl.DataFrame(schema=LINEAGE_SCHEMA)
    return SurvivedRecords(golden_records=golden.select(ordered), lineage=lineage)
