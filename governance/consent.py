"""Consent per purpose: normalised from the sources, merged per golden record.

A source delivers `consent_<purpose>` as free text (`true`, `yes`, `1`,
`希望する`, `同意しない`...) and optionally `consent_<purpose>_at`, the time the
decision was given (else the record's `std_updated_at` stands for it). The
golden record keeps one decision per purpose with its time and its source
(`source_system:source_record_id`), so the privacy officer can show where it
came from.

Merging rule: the most recent decision wins; a withdrawal (false) wins a tie
and wins whenever its own time is unknown (it may be the latest); an opt-in
with no time never overrides a dated withdrawal. Unreadable values are no
decision (null), never an opt-in.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from resolution.standardization.dates import distinct_with_date_order, timestamps
from resolution.standardization.text import DECIMAL_ZERO

OPT_IN = frozenset({
    "true", "t", "yes", "y", "1", "on", "opt-in", "optin", "opt_in", "ok", "agree", "agreed", "granted", "subscribed",
    "accepted", "optedin", "opted-in", "consented",
    # German, Dutch, French, Spanish, Italian, Portuguese, as European exports write them
    "ja", "j", "zugestimmt", "einverstanden", "oui", "o", "accepté", "sí", "si", "s", "sim",
    "同意", "同意する", "同意します", "同意済", "同意済み", "同意あり", "希望", "希望する", "希望します", "はい", "可",
    "許可", "許諾", "承諾", "○", "〇", "◯", "あり", "有", "有り", "要", "受け取る", "受信する", "購読",
})
OPT_OUT = frozenset({
    "false", "f", "no", "n", "0", "off", "opt-out", "optout", "opt_out", "ng", "disagree", "refused", "denied",
    "withdrawn", "revoked", "unsubscribed", "declined", "optedout", "opted-out",
    "nein", "abgelehnt", "abgemeldet", "widerrufen", "nee", "non", "refusé", "não", "nao",
    "同意しない", "同意しません", "不同意", "非同意", "拒否", "希望しない",
    "希望しません", "いいえ", "不可", "不許可", "×", "✕", "なし", "無", "無し", "不要", "撤回", "同意撤回",
    "配信停止", "停止", "受け取らない", "受信しない", "解除",
})


CONSENT_READING_VERSION = 3
"""Changes when the same consent cells would read otherwise (`consent_value`):
the nightly run then rebuilds every golden record (`assets.golden.golden_rules_fingerprint`).
2: a flag column of floats (`1.0`, `0.0`) reads as its integer. 3: European
languages' yes and no (`ja`/`nein`, `oui`/`non`, `sí`, `sim`/`não`)."""


def consent_value(text: str | None) -> bool | None:
    """One consent cell -> True (opt-in), False (withdrawal/refusal) or None
    (absent or unreadable). A flag written as a float (`1.0`, from a column
    pandas stored as floats) reads as its integer."""
    if text is None:
        return None
    folded = unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")
    folded = re.sub(DECIMAL_ZERO, r"\1", folded)
    if folded in OPT_IN:
        return True
    if folded in OPT_OUT:
        return False
    return None


def normalize_consent(values: pl.Series) -> pl.Series:
    """`consent_value` of every cell (computed once per distinct text); Boolean series."""
    text = values.cast(pl.Utf8)
    mapping = {v: consent_value(v) for v in text.drop_nulls().unique().to_list()}
    if not mapping:
        return pl.Series(values.name, [None] * values.len(), dtype=pl.Boolean)
    return text.replace_strict(mapping, default=None, return_dtype=pl.Boolean)


def _parsed_time(records: pl.DataFrame, column: str, timezone: str) -> pl.Series:
    """`column` (text or datetime) as Datetime(us), null when absent or
    unparseable; text is read like `updated_at` (by the record's source date
    order, in the project's `timezone`)."""
    if column not in records.columns:
        return pl.Series(column, [None] * records.height, dtype=pl.Datetime("us"))
    if records.schema[column].is_temporal():
        return records[column].cast(pl.Datetime("us"))
    texts = records.with_columns(pl.col(column).cast(pl.Utf8))
    lookup, keys = distinct_with_date_order(texts, column)
    lookup = timestamps(
        lookup, column, order="_date_order", buddhist_era="_buddhist_era", timezone=timezone
    ).select(*keys, "_timestamp")
    return texts.select(keys).join(lookup, on=keys, how="left", nulls_equal=True, maintain_order="left")["_timestamp"]


def consent_decisions(records: pl.DataFrame, purpose: str, timezone: str = "UTC") -> pl.DataFrame:
    """Every decision on `purpose` in `records`: `record_key`, `source`,
    `decision` (bool), `decided_at` (its own time in `timezone`, else
    `std_updated_at`). Records without a readable decision are left out."""
    column = f"consent_{purpose}"
    if column not in records.columns:
        return pl.DataFrame(schema={"record_key": pl.Utf8, "source": pl.Utf8, "decision": pl.Boolean, "decided_at": pl.Datetime("us")})
    fallback = _parsed_time(records, "std_updated_at", timezone)
    return (
        records.select(
            "record_key",
            (pl.col("source_system") + ":" + pl.col("source_record_id")).alias("source"),
        )
        .with_columns(
            normalize_consent(records[column]).alias("decision"),
            pl.coalesce(_parsed_time(records, f"{column}_at", timezone), fallback).alias("decided_at"),
        )
        .filter(pl.col("decision").is_not_null())
    )


def _merged_purpose(decisions: pl.DataFrame, purpose: str) -> pl.DataFrame:
    column = f"consent_{purpose}"
    undated_withdrawal = (~pl.col("decision") & pl.col("decided_at").is_null()).cast(pl.Int8)
    return (
        decisions.sort(
            [undated_withdrawal, pl.col("decided_at"), pl.col("decision").cast(pl.Int8), pl.col("source")],
            descending=[True, True, False, False],
            nulls_last=True,
        )
        .group_by("golden_id", maintain_order=True)
        .first()
        .select(
            "golden_id",
            pl.col("decision").alias(column),
            pl.col("decided_at").alias(f"{column}_at"),
            pl.col("source").alias(f"{column}_source"),
        )
    )


def merge_consent(
    records: pl.DataFrame, crosswalk: pl.DataFrame, purposes: list[str], timezone: str = "UTC"
) -> pl.DataFrame:
    """One row per golden id of `crosswalk` with, per purpose, `consent_<p>`
    (bool, null: no decision), `consent_<p>_at` (Datetime, the wall-clock
    time of the project's `timezone`, like `std_updated_at`) and
    `consent_<p>_source` (`source_system:source_record_id`).

    In: source records with `record_key`, `source_system`, `source_record_id`,
    `consent_<p>` text, optional `consent_<p>_at` and `std_updated_at`; the
    crosswalk (`record_key`, `golden_id`). Records missing from the crosswalk
    are ignored. Refuses (ValueError) inputs without those key columns."""
    for name, frame, needed in (
        ("records", records, ("record_key", "source_system", "source_record_id")),
        ("crosswalk", crosswalk, ("record_key", "golden_id")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"merge_consent: {name} lacks column(s) {missing}")
    result = crosswalk.select("golden_id").unique(maintain_order=True)
    links = crosswalk.select("record_key", "golden_id")
    for purpose in purposes:
        decisions = consent_decisions(records, purpose, timezone).join(links, on="record_key", how="inner")
        result = result.join(_merged_purpose(decisions, purpose), on="golden_id", how="left")
        result = result.with_columns(
            pl.col(f"consent_{purpose}").cast(pl.Boolean),
            pl.col(f"consent_{purpose}_at").cast(pl.Datetime("us")),
            pl.col(f"consent_{purpose}_source").cast(pl.Utf8),
        )
    return result


def consent_covers(consent: pl.DataFrame, purpose: str) -> pl.Series:
    """True for golden ids whose merged consent for `purpose` is an opt-in (null is not consent).
    Refuses (ValueError) a purpose the consent table has no column for."""
    column = f"consent_{purpose}"
    if column not in consent.columns:
        raise ValueError(f"no consent column for purpose '{purpose}'; purposes held: "
                         f"{sorted(c.removeprefix('consent_') for c in consent.columns if c.startswith('consent_') and not c.endswith(('_at', '_source')))}")
    return consent[column].fill_null(False).alias("covered")
