"""Capture errors: how a source's record differs from the person's true values.

Every error is drawn per record at a tunable rate and applied column-wise:
kanji variants (高 -> 髙), IME homophone slips (斎 -> 斉), long-vowel kana
(ユウコ -> ユーコ), one-character typos, an appended honorific (様), swapped
name order, a transposed birth day/month, a changed e-mail domain, and missing
fields at per-source rates.  The rates stay low enough that no record loses
every identifying field at once: a record that would lose its birth date,
e-mail and phone together keeps its birth date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from samples.population import ALTERNATE_DOMAINS
from samples.randomness import RandomStreams, pick

KANJI_VARIANTS: dict[str, str] = {
    "高": "髙", "崎": "﨑", "斎": "齋", "辺": "邊", "沢": "澤", "浜": "濱", "島": "嶋",
    "桜": "櫻", "国": "國", "広": "廣", "竜": "龍", "斉": "齊", "籠": "篭",
}
IME_HOMOPHONES: dict[str, str] = {
    "斎": "斉", "斉": "斎", "裕": "祐", "祐": "裕", "浩": "宏", "宏": "浩", "智": "知", "知": "智",
    "美": "実", "実": "美", "恵": "惠", "藤": "籐", "一": "市", "義": "善", "秀": "英",
}
LONG_VOWELS: dict[str, str] = {
    "ョウ": "ョー", "オウ": "オー", "ユウ": "ユー", "コウ": "コー", "ソウ": "ソー", "トウ": "トー",
    "ロウ": "ロー", "ヨウ": "ヨー", "ドウ": "ドー", "ゴウ": "ゴー", "ホウ": "ホー", "ノウ": "ノー",
    "モウ": "モー", "ュウ": "ュー", "ボウ": "ボー",
}
_KANA_ALPHABET = tuple("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン")
_LATIN_ALPHABET = tuple("abcdefghijklmnopqrstuvwxyz")

SOURCE_MISSING_RATES: dict[str, dict[str, float]] = {
    "crm": {"birth_date": 0.04, "gender": 0.05, "email": 0.15, "phone": 0.12, "postal_code": 0.04, "kana": 0.05},
    "store_pos": {"birth_date": 0.08, "gender": 0.1, "email": 0.3, "phone": 0.1, "postal_code": 0.08, "kana": 0.03},
    "ec_shop": {"birth_date": 0.2, "gender": 0.3, "email": 0.0, "phone": 0.25, "postal_code": 0.02, "kana": 0.3},
    "global_web": {"birth_date": 0.1, "gender": 1.0, "email": 0.05, "phone": 0.3, "postal_code": 0.05, "kana": 1.0},
}


@dataclass(frozen=True)
class CorruptionRates:
    """Per-record probabilities of each capture error (missing fields are per source)."""

    kanji_variant: float = 0.08
    ime_homophone: float = 0.01
    kana_long_vowel: float = 0.04
    kana_typo: float = 0.01
    latin_typo: float = 0.015
    kanji_deletion: float = 0.003
    honorific: float = 0.02
    name_order_swap: float = 0.01
    birth_date_transposed: float = 0.005
    email_domain_change: float = 0.03
    email_domain_change_repeat_signup: float = 0.5  # a second ec_shop account usually has another address
    missing: dict[str, dict[str, float]] = field(default_factory=lambda: SOURCE_MISSING_RATES)

    def scaled(self, factor: float) -> CorruptionRates:
        """The same rates multiplied by ``factor`` (0 gives clean records), missing rates included."""
        return CorruptionRates(
            **{k: min(1.0, v * factor) for k, v in self.__dict__.items() if isinstance(v, float)},
            missing={s: {f: min(1.0, r * factor) for f, r in m.items()} for s, m in self.missing.items()},
        )


def typo(column: str, mask: pl.Series, position: pl.Series, substitute: pl.Series, delete: pl.Series) -> pl.Expr:
    """One-character typo in ``column`` where ``mask``: delete or substitute the character at ``position``.

    ``position`` is uniform in [0, 1) and scaled to the value's length;
    values of one character are left alone.
    """
    value = pl.col(column)
    length = value.str.len_chars()
    at = (pl.lit(position) * length).floor().cast(pl.Int64)
    head, tail = value.str.slice(0, at), value.str.slice(at + 1)
    changed = pl.when(pl.lit(delete)).then(pl.concat_str([head, tail])).otherwise(pl.concat_str([head, pl.lit(substitute), tail]))
    return pl.when(pl.lit(mask) & (length > 1)).then(changed).otherwise(value).alias(column)


def _replace_where(column: str, mask: pl.Series, mapping: dict[str, str]) -> pl.Expr:
    """Replace ``mapping``'s keys by its values in ``column`` where ``mask`` is true."""
    patterns, replacements = list(mapping), list(mapping.values())
    value = pl.col(column)
    return pl.when(pl.lit(mask)).then(value.str.replace_many(patterns, replacements)).otherwise(value).alias(column)


def _missing_mask(streams: RandomStreams, records: pl.DataFrame, field_name: str, rates: CorruptionRates) -> pl.Series:
    """True where ``field_name`` is not captured, at the record's source rate."""
    rate = records["source"].replace_strict({s: m.get(field_name, 0.0) for s, m in rates.missing.items()},
                                            return_dtype=pl.Float64)
    return streams.bernoulli(f"missing.{field_name}", records.height, rate)


def corrupt_records(records: pl.DataFrame, seed: int, rates: CorruptionRates = CorruptionRates()) -> pl.DataFrame:
    """Apply capture errors to ``true_record_values`` output; same columns plus ``swap_name_order``.

    Missing fields become null; ``swap_name_order`` tells the exporter to write
    the given name where the family name belongs.
    """
    streams = RandomStreams(seed)
    n = records.height

    def draw(name: str, p: float) -> pl.Series:
        return streams.bernoulli(f"corrupt.{name}", n, p)

    def u(name: str) -> pl.Series:
        return streams.uniform(f"corrupt.{name}", n)

    kana_sub = pick(_KANA_ALPHABET, streams.integers("corrupt.kana_char", n, 0, len(_KANA_ALPHABET)))
    latin_sub = pick(_LATIN_ALPHABET, streams.integers("corrupt.latin_char", n, 0, len(_LATIN_ALPHABET)))
    half = u("typo_kind") < 0.5
    is_ja = records["origin"] == "ja"
    out = records.with_columns(
        _replace_where("family_name", draw("variant.family", rates.kanji_variant), KANJI_VARIANTS),
        _replace_where("given_name", draw("variant.given", rates.kanji_variant / 2), KANJI_VARIANTS),
        _replace_where("given_kana", draw("long_vowel", rates.kana_long_vowel), LONG_VOWELS),
    ).with_columns(
        _replace_where("given_name", draw("ime", rates.ime_homophone), IME_HOMOPHONES),
        typo("family_kana", draw("kana_typo.f", rates.kana_typo), u("kana_pos.f"), kana_sub, half),
        typo("given_kana", draw("kana_typo.g", rates.kana_typo), u("kana_pos.g"), kana_sub, half),
        typo("family_romaji", draw("latin_typo.f", rates.latin_typo), u("latin_pos.f"), latin_sub, half),
        typo("given_romaji", draw("latin_typo.g", rates.latin_typo), u("latin_pos.g"), latin_sub, half),
    ).with_columns(
        # Western names in their own script get the same typo as their ASCII form; kanji slips
        # are deletions only, since a random kanji is not a plausible typo.
        pl.when(pl.col("origin") == "west")
        .then(typo("family_name", draw("latin_typo.f", rates.latin_typo), u("latin_pos.f"), latin_sub, half))
        .otherwise(typo("family_name", draw("kanji_deletion", rates.kanji_deletion), u("kanji_pos"), kana_sub,
                        pl.Series([True] * n)))
        .alias("family_name"),
    )
    honorific = draw("honorific", rates.honorific) & is_ja
    day, month = pl.col("birth_date").dt.day(), pl.col("birth_date").dt.month()
    transposed = pl.lit(draw("dob_transposed", rates.birth_date_transposed)) & (day <= 12) & (day != month)
    repeat_signup = (pl.col("source") == "ec_shop") & (pl.int_range(pl.len()).over("person_id", "source") > 0)
    domain_change = pl.lit(draw("email_domain", rates.email_domain_change)) | (
        repeat_signup & pl.lit(draw("email_repeat", rates.email_domain_change_repeat_signup))
    )
    new_domain = pick(ALTERNATE_DOMAINS, streams.integers("corrupt.domain", n, 0, len(ALTERNATE_DOMAINS)))
    out = out.with_columns(
        pl.when(pl.lit(honorific)).then(pl.col("given_name") + "様").otherwise(pl.col("given_name")).alias("given_name"),
        pl.when(transposed).then(pl.date(pl.col("birth_date").dt.year(), day, month)).otherwise(pl.col("birth_date"))
        .alias("birth_date"),
        pl.when(domain_change & ~pl.col("email").str.ends_with(pl.concat_str([pl.lit("@"), pl.lit(new_domain)])))
        .then(pl.concat_str([pl.col("email").str.split("@").list.first(), pl.lit("@"), pl.lit(new_domain)]))
        .otherwise(pl.col("email")).alias("email"),
        pl.lit(draw("swap", rates.name_order_swap)).alias("swap_name_order"),
    )
    missing = {f: _missing_mask(streams, out, f, rates) for f in ("birth_date", "gender", "email", "phone", "postal_code", "kana")}
    # Never lose every strong identifier at once: keep the birth date then.
    missing["birth_date"] = missing["birth_date"] & ~(missing["email"] & missing["phone"])
    return out.with_columns(
        *[pl.when(pl.lit(missing[f])).then(None).otherwise(pl.col(f)).alias(f)
          for f in ("birth_date", "gender", "email", "phone", "postal_code")],
        *[pl.when(pl.lit(missing["kana"])).then(None).otherwise(pl.col(c)).alias(c) for c in ("family_kana", "given_kana")],
    )
