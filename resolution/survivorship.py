"""Survivorship: which record's value each golden attribute takes, and why.

Attributes that belong together survive together (a name's parts and its
reading; an address's postal code, prefecture, city, street and building), so
a golden record never mixes two addresses. Every golden value carries its
lineage: source system, source record id, and the rule that chose it.

Records are ranked on their standardized values; a chosen name or address
part is then shown in its record's own spelling (`presented_values`), so a
golden record reads `Godard`, not the matching key `godard`, and `髙橋`, not
the folded `高橋`.

Two things a rule alone gets wrong for Japanese customers are settled here:
the name group comes from a record whose name is in its most complete written
form (`NAME_FORMS`: kanji before kana before romaji), and a golden value may be
completed from another record of the same golden record that says the same
thing (`CAPTURED_READING`: the customer's own furigana of the same written
name beats a generated reading; `SAME_ADDRESS`: the postal code of the same
city and street fills a chosen address without one). Lineage names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from nayose_config import SurvivorshipConfig
from resolution.presented_values import PRESENTED_ATTRIBUTES, with_presented_values
from resolution.standardization.mojibake import MOJIBAKE_FIELDS, without_mojibake
from resolution.standardization.organisations import (
    PARTY_COLUMN,
    with_written_organisation_names,
)

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
    "national_id": "std_national_id",
    "national_id_type": "std_national_id_type",
}

ATTRIBUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "name": ("family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana"),
    "birth_date": ("birth_date",),
    "gender": ("gender",),
    "email": ("email",),
    "phone": ("phone",),
    "address": ("postal_code", "prefecture", "city", "address_line", "building", "country"),
    "national_id": ("national_id", "national_id_type"),  # a number and its kind from one record
}

SURVIVORSHIP_VERSION = "name-form/7"
"""Changes whenever `survive` chooses other values from the same records and
rules (it joins the golden rules' fingerprint: the next night rebuilds every
golden record once). name-form/2: `NAME_FORMS`, `CAPTURED_READING`,
`SAME_ADDRESS`. name-form/3: a foreign Latin name before kana (`ROMAJI_NAME`).
name-form/4: the best-spelled record of the chosen name (`_best_spelled`).
name-form/5: a Latin name before one in Arabic script only (`ARABIC_ONLY_NAME`).
name-form/6: the best spelling among the romanized twins of the chosen name
(`_same_name`: `Müller` for `Mueller`). name-form/7: the national
identifier and its kind (`national_id`, `national_id_type`)."""

NOT_ALONE = ("country",)
"""Attributes that alone do not give their group a value while another record
of the golden record has more: a record's country is its source's default
where the export has none, so a record without an address would otherwise
win the address group with its country alone."""

NAME_FORMS = (
    ("kanji", r"[\x{3400}-\x{9fff}\x{f900}-\x{faff}\x{20000}-\x{3ffff}々〆]"),
    ("kana", r"[\x{3041}-\x{30ff}]"),
)
"""Written forms of a name, most complete first (a name in none of them,
romaji or any other script, comes after): the name group is chosen among the
records whose name is in the most complete form of the golden record, by its
rule. A Japanese customer is written in kanji; katakana or romaji (often
given name first, long vowels spelt out: `YUUTO KATOU`) are how a call
centre or a web form caught the name, and the newest record should not
replace the kanji with them. A golden record whose names are all in romaji
(a Western project) is ranked by its rule alone. Under `source_priority` the
configured priority comes first (the user said which source to trust), the
form second."""

_ROMAJI_SYLLABLE = r"(?:(?:kk|ss|tt|pp|cch|tch)?(?:ch|sh|ts|[kgsztdnhbpmrfjwy])?y?[aiueo]|n|m)"
ROMAJI_NAME = rf"^(?:\s*{_ROMAJI_SYLLABLE}+)*\s*$"
"""A Latin name all of whose words Japanese romanization can spell
(`katou yuuto`, `ryouta`, `shinichi`; macrons folded): a name matching it may
be a Japanese customer's romaji; a Latin name that does not
(`Robert García López`, `Wei Wang`, an initial) is a foreign customer's own
spelling. In a golden record holding such a name, the kana records are
transliterations of it (`ロバートガルシアロペス`, which matching reads but no
customer writes): the foreign Latin name ranks before kana, after kanji (a
Chinese customer's `王偉`). A golden record without one ranks as
`NAME_FORMS` says."""

ARABIC_ONLY_NAME = r"^[^A-Za-z]*[\x{0600}-\x{06ff}\x{0750}-\x{077f}\x{fb50}-\x{fdff}\x{fe70}-\x{feff}][^A-Za-z]*$"
"""A name written in Arabic script and no Latin letter (`فاطمة الفلاسي`): it
ranks after every other form. A Gulf customer is written in Arabic by one
system (a CRM's Arabic interface) and in Latin by others (loyalty cards,
e-commerce, passports); the golden record shows the Latin spelling, which the
analysts, the other systems and the customer's own documents share. The
Arabic stays in its source record (the crosswalk leads to it). A golden record
whose names are all in Arabic shows one of them."""

CAPTURED_READING = "captured_reading"
"""Lineage rule of a reading taken from another record: where the chosen name
has a generated reading (`std_kana_generated`) or none, the reading group
comes from the best-ranked record of the golden record with the customer's
own reading of the same written name (standardized full name, parts not in
conflict); failing that, for a kanji name, from a record that wrote the name
in kana or romaji with its furigana (a web form's `Yamada Masaru`, `ヤマダ
マサル`) and the same family reading (another family reading is another
name: a maiden name). A generated reading is a guess (`千尋` read `センジン`,
`勝` read `カチ`); the name still survives from one record."""

SAME_ADDRESS = "same_address"
"""Lineage rule of a postal code taken from another record: where the chosen
address has none, the best-ranked record of the golden record with the same
standardized city and street (and no other prefecture) that has one gives it.
Call-centre records are the newest and rarely carry a postal code."""

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


def _in_best_form(rule: str) -> pl.Expr:
    """True for the records of a golden record whose name is in its most
    complete written form (`_form`, `NAME_FORMS`); under `source_priority`,
    the most complete form of its most trusted source. Filtering the rule's
    ranking by it ranks by form first without another sort."""
    key = pl.col("_form").cast(pl.Int64)
    if rule == "source_priority":
        key = pl.col("_priority") * (len(NAME_FORMS) + 2) + key  # forms 0 .. len + 1
    return key == key.min().over("_gid")


def _name_form(name_cols: list[str]) -> pl.Expr:
    """Rank of a record's written name in `NAME_FORMS` (0: kanji; one past
    the last: romaji, another script or no name; two past: a name in Arabic
    script only, `ARABIC_ONLY_NAME`)."""
    text = pl.concat_str([pl.col(c) for c in name_cols], ignore_nulls=True)
    form = pl.when(text.str.contains(ARABIC_ONLY_NAME)).then(pl.lit(len(NAME_FORMS) + 1, pl.UInt8)).otherwise(pl.lit(len(NAME_FORMS), pl.UInt8))
    for rank, (_, pattern) in reversed(list(enumerate(NAME_FORMS))):
        form = pl.when(text.str.contains(pattern)).then(pl.lit(rank, pl.UInt8)).otherwise(form)
    return form.fill_null(len(NAME_FORMS))


def _foreign_latin_first(base: pl.DataFrame, name_cols: list[str]) -> pl.DataFrame:
    """`base` (`_gid`, `_row`, `_form`) with the foreign Latin names of a
    golden record that also holds kana ranked before the kana (`ROMAJI_NAME`):
    there, 0 for kanji, 1 for a Latin name Japanese romanization cannot spell,
    2 for the rest. Only the Latin names of golden records with kana are read,
    once per distinct name: a Western project reads none."""
    other = len(NAME_FORMS)
    with_kana = base.filter(pl.col("_form") == 1).select("_gid").unique()
    latin = base.join(with_kana, on="_gid", how="semi").filter(pl.col("_form") == other).select(
        "_gid", "_row", _text=pl.concat_str([pl.col(c) for c in name_cols], ignore_nulls=True, separator=" ")
    )
    if latin.height == 0:
        return base
    folded = pl.col("_text").str.to_lowercase().str.replace_many(["ā", "ī", "ū", "ē", "ō"], ["a", "i", "u", "e", "o"])
    folded = folded.str.replace_all(r"['’.\-]", "")
    names = latin.select("_text").unique().with_columns(_foreign=~folded.str.contains(ROMAJI_NAME))
    foreign = latin.join(names.filter("_foreign"), on="_text", how="semi")
    if foreign.height == 0:
        return base
    in_record = pl.col("_gid").is_in(foreign["_gid"].unique().implode())
    return base.with_columns(
        _form=pl.when((pl.col("_form") > 0) & in_record)
        .then(pl.when(pl.col("_row").is_in(foreign["_row"].implode())).then(pl.lit(1, pl.UInt8)).otherwise(pl.lit(2, pl.UInt8)))
        .otherwise(pl.col("_form"))
    )


def _completed(
    chosen: pl.DataFrame,
    ranked: pl.DataFrame,
    wanting: pl.Expr,
    giving: pl.Expr,
    same: list[str],
    compatible: list[str],
    given: list[str],
) -> pl.DataFrame:
    """`chosen` (one row per `_gid`) with its `given` columns taken from the
    best-ranked row of `ranked` (all records, best first per `_gid`) that
    `giving` selects, has the same `same` columns and no other value in a
    `compatible` column (null on either side agrees), where `wanting` holds
    for the chosen row and nothing was taken for it yet. Keeps (adds) the
    giving record in `_by_source_system`, `_by_source_record_id`, null where
    nothing was taken."""
    if "_by_source_record_id" not in chosen.columns:
        chosen = chosen.with_columns(_by_source_system=pl.lit(None, pl.Utf8), _by_source_record_id=pl.lit(None, pl.Utf8))
    wanted = chosen.filter(wanting & pl.col("_by_source_record_id").is_null()).select(
        "_gid", *same, *(pl.col(c).alias(f"_want_{c}") for c in compatible)
    )
    givers = (
        ranked.lazy()  # only the columns read below are filtered
        .filter(giving)
        .select(
            "_gid", *same, *compatible, *(pl.col(c).alias(f"_new_{c}") for c in given),
            _new_source_system="source_system", _new_source_record_id="source_record_id",
        )
        .join(wanted.lazy(), on=["_gid", *same], how="inner", maintain_order="left")
        .filter(pl.all_horizontal(True, *((pl.col(c) == pl.col(f"_want_{c}")).fill_null(True) for c in compatible)))
        .group_by("_gid", maintain_order=True)
        .first()
        .select("_gid", *(f"_new_{c}" for c in given), "_new_source_system", "_new_source_record_id")
        .collect()
    )
    taken = pl.col("_new_source_record_id").is_not_null()
    return (
        chosen.join(givers, on="_gid", how="left", maintain_order="left")
        .with_columns(
            *(pl.when(taken).then(pl.col(f"_new_{c}")).otherwise(pl.col(c)).alias(c) for c in given),
            _by_source_system=pl.coalesce("_by_source_system", "_new_source_system"),
            _by_source_record_id=pl.coalesce("_by_source_record_id", "_new_source_record_id"),
        )
        .drop(*(f"_new_{c}" for c in given), "_new_source_system", "_new_source_record_id")
    )


def _completed_group(
    group: str, chosen: pl.DataFrame, ranked: pl.DataFrame, cols: list[str]
) -> tuple[pl.DataFrame, str | None, list[str]]:
    """(`chosen` completed from other records of its golden record, the
    lineage rule of what was taken, the columns it may have been taken for):
    a name's reading (`CAPTURED_READING`), an address's postal code
    (`SAME_ADDRESS`); other groups, or groups without the columns, as they are."""
    kana = [c for c in ("std_family_kana", "std_given_kana", "std_full_kana") if c in cols]
    if group == "name" and "std_kana_generated" in chosen.columns and {"std_full_name", "std_full_kana"} <= set(cols):
        captured = ((pl.col("std_kana_generated") == False) & pl.col("std_full_kana").is_not_null()).fill_null(False)  # noqa: E712
        wanting = ~captured & pl.col("std_full_name").is_not_null()
        parts = [c for c in ("std_family_name", "std_given_name") if c in cols]
        chosen = _completed(chosen, ranked, wanting, captured, ["std_full_name"], parts, kana)
        if "std_family_kana" in kana:
            chosen = _completed(
                chosen, ranked, wanting & (pl.col("_form") == 0), captured & (pl.col("_form") > 0), ["std_family_kana"], [], kana
            )
        return chosen, CAPTURED_READING, kana
    if group == "address" and {"std_postal_code", "std_city", "std_address"} <= set(cols):
        located = pl.col("std_city").is_not_null() & pl.col("std_address").is_not_null()
        chosen = _completed(
            chosen, ranked, pl.col("std_postal_code").is_null() & located, pl.col("std_postal_code").is_not_null() & located,
            ["std_city", "std_address"], [c for c in ("std_prefecture",) if c in cols], ["std_postal_code"],
        )
        return chosen, SAME_ADDRESS, ["std_postal_code"]
    return chosen, None, []


SPELLED_NAME_COLUMNS = ("family_name", "given_name", "full_name")
"""The raw name columns whose spelling `_best_spelled` compares."""


def _spelling(records: pl.DataFrame, rows: pl.Series) -> pl.Series:
    """How fully the raw name of each of `rows` (of `records`) is spelled: 1
    for mixed case (lower-case letters and no word all in capitals: not
    `ÇETIN`), 1 for letters beyond ASCII (`Çetin`, not `Cetin`); 0 without
    raw name columns."""
    present = [c for c in SPELLED_NAME_COLUMNS if c in records.columns]
    if not present:
        return pl.Series("_spelling", [0] * rows.len(), dtype=pl.Int8)
    text = pl.concat_str([pl.col(c).cast(pl.Utf8) for c in present], separator=" ", ignore_nulls=True)
    lower = (text.str.contains(r"\p{Ll}") & ~text.str.contains(r"\b\p{Lu}{2,}\b")).fill_null(False).cast(pl.Int8)
    beyond_ascii = text.str.contains(r"[\p{L}&&[^A-Za-z]]").fill_null(False).cast(pl.Int8)
    return records.select(present)[rows].select((lower + beyond_ascii).alias("_spelling")).to_series()


ROMANIZED_RIVALS = {"std_family_name": "mk_family_roman", "std_given_name": "mk_given_roman"}
"""A Latin name part's romanized match key, which `_best_spelled` equates its
spellings by: `Müller`, `Mueller` and `Muller` are one key where
transliterations are folded (`match_keys.without_german_transliterations`),
though `mueller` and `muller` are two standardized names."""


def _same_name(records: pl.DataFrame, rows: pl.Series) -> pl.Series:
    """Per row of `rows` (of `records`), the name `_best_spelled` compares
    records by: its family and given names, each a Latin one by its romanized
    key (`ROMANIZED_RIVALS`) and any other as standardized (a kanji name is
    not equated with another of its reading, nor a Japanese `Ueno` with
    `Uno`: their romanized keys are readings); the full name alone when it
    has neither part."""
    parts = []
    for std, roman in ROMANIZED_RIVALS.items():
        if std not in records.columns:
            continue
        part = pl.col(std)
        if roman in records.columns:
            latin = part.str.contains(r"^[a-z][a-z' -]*$").fill_null(False)
            part = pl.when(latin & pl.col(roman).is_not_null()).then(pl.col(roman)).otherwise(part)
        parts.append(part.fill_null(""))
    full = pl.col("std_full_name") if "std_full_name" in records.columns else pl.lit(None, pl.Utf8)
    if not parts:
        return records[rows].select(full.alias("_same")).to_series()
    split = pl.concat_str(parts, separator="|")
    has_part = pl.any_horizontal(pl.col(c).is_not_null() for c in ROMANIZED_RIVALS if c in records.columns)
    return records[rows].select(pl.when(has_part).then(split).otherwise(full).alias("_same")).to_series()


def _best_spelled(chosen: pl.DataFrame, candidates: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """`chosen` with each golden record's name taken from the best-spelled of
    its candidates that hold the same name (`_same_name`, `_spelling`): the
    rule chose the name, and where a record wrote it `ÇETIN`, `Cetin` or
    `Mueller` and another of the same golden record `Çetin` or `Müller`, the
    golden record shows `Çetin`, `Müller` (its lineage names that record).
    Only a strictly better spelling replaces the chosen record's; names
    without case or accents (kanji, kana) never do."""
    several = candidates.group_by("_gid").len().filter(pl.col("len") > 1).select("_gid")
    if several.height == 0 or not any(c in chosen.columns for c in ("std_family_name", "std_given_name", "std_full_name")):
        return chosen
    rivals = candidates.join(several, on="_gid", how="semi")
    rivals = rivals.with_columns(_same=_same_name(records, rivals["_row"]))
    # the chosen record is one of its golden record's candidates: its name is read there, not again
    keys = rivals.join(chosen.select("_gid", "_row"), on=["_gid", "_row"]).select("_gid", "_same")
    rivals = rivals.join(keys, on=["_gid", "_same"], how="semi", nulls_equal=True)
    rivals = rivals.with_columns(_spelling=_spelling(records, rivals["_row"]))
    best = rivals.with_columns(_order=pl.int_range(pl.len())).sort(["_gid", "_spelling", "_order"], descending=[False, True, False])
    best = best.group_by("_gid", maintain_order=True).first()
    # the chosen record is one of its golden record's rivals: its spelling is read there, not again
    mine = rivals.join(chosen.select("_gid", "_row"), on=["_gid", "_row"]).select("_gid", _mine=pl.col("_spelling"))
    better = best.join(mine, on="_gid").filter(pl.col("_spelling") > pl.col("_mine")).select(chosen.columns)
    if better.height == 0:
        return chosen
    return chosen.join(better.select("_gid"), on="_gid", how="anti").vstack(better.select(chosen.columns)).sort("_gid")


def _presented(chosen: pl.DataFrame, records: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """`chosen` (rows of `records` by `_row`) with the standardized `columns`
    (attribute -> column) of `PRESENTED_ATTRIBUTES` in their records' spelling."""
    sources = sorted({s for a in columns if a in PRESENTED_ATTRIBUTES for s in PRESENTED_ATTRIBUTES[a].raw_columns})
    sources = [s for s in sources if s in records.columns]
    if not sources:
        return chosen
    raw = records.select(pl.col(s).cast(pl.Utf8).alias(f"_raw_{s}") for s in sources)[chosen["_row"]]
    # shown as standardization read them: a record keeps its delivered mojibake (`MÃ¼ller`), a golden record does not
    raw = raw.with_columns(without_mojibake(pl.col(f"_raw_{s}")) for s in sources if s in MOJIBAKE_FIELDS)
    presented = with_presented_values(pl.concat([chosen, raw], how="horizontal"), columns)
    return with_written_organisation_names(presented, columns)


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
    for column in ("std_updated_at", "std_kana_generated", PARTY_COLUMN):
        if column in records.columns and column not in needed:
            needed.append(column)
    name_cols = [c for c in ("std_family_name", "std_given_name", "std_full_name") if c in std_cols]
    # `_row` finds a chosen record's raw values in `records` without carrying them through the sorts.
    base = records.select(needed).with_row_index("_row").join(crosswalk.select("record_key", "golden_id"), on="record_key").with_columns(
        _updated_at=(pl.col("std_updated_at") if "std_updated_at" in records.columns else pl.lit(None, pl.Datetime)),
        _priority=pl.col("source_system").replace_strict(priority, default=len(priority), return_dtype=pl.Int64),
        _filled=pl.sum_horizontal([pl.col(c).is_not_null().cast(pl.Int32) for c in std_cols]) if std_cols else pl.lit(0),
        _gid=pl.col("golden_id").rank("dense").cast(pl.UInt64),
        _form=_name_form(name_cols) if name_cols else pl.lit(len(NAME_FORMS), pl.UInt8),
    )
    if name_cols:
        base = _foreign_latin_first(base, name_cols)
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
        extra = ["_form", "_priority", *(c for c in ("std_kana_generated", PARTY_COLUMN) if c in base.columns)] if group == "name" else []
        candidates = ranked[ranking].select("_gid", "_row", "source_system", "source_record_id", *cols, *extra).filter(valued)
        if group == "name":
            candidates = candidates.filter(_in_best_form(rule))
        chosen = candidates.group_by("_gid", maintain_order=True).first()
        if group == "name":
            chosen = _best_spelled(chosen, candidates, records)
        chosen, completed_by, taken = _completed_group(group, chosen, ranked[ranking], cols)
        chosen = _presented(chosen, records, {a: GOLDEN_COLUMNS[a] for a in present})
        golden = golden.join(chosen.select("_gid", *[pl.col(GOLDEN_COLUMNS[a]).alias(a) for a in present]), on="_gid", how="left")
        for attribute in present:
            source = {"source_system": pl.col("source_system"), "source_record_id": pl.col("source_record_id"), "rule": pl.lit(rule)}
            if GOLDEN_COLUMNS[attribute] in taken:
                by = pl.col("_by_source_record_id").is_not_null()
                source = {
                    "source_system": pl.when(by).then(pl.col("_by_source_system")).otherwise(pl.col("source_system")),
                    "source_record_id": pl.when(by).then(pl.col("_by_source_record_id")).otherwise(pl.col("source_record_id")),
                    "rule": pl.when(by).then(pl.lit(completed_by)).otherwise(pl.lit(rule)),
                }
            lineage_parts.append(
                chosen.filter(pl.col(GOLDEN_COLUMNS[attribute]).is_not_null()).select(
                    "_gid", attribute=pl.lit(attribute), **source
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
