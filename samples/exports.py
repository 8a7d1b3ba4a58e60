"""Writing each source system's export (each render keeps ``person_id`` last, for the ground truth) in its own shape, encoding and conventions.

- ``crm``: UTF-8 with BOM CSV, Japanese headers (some padded with spaces), split
  names with full-width katakana readings, ``1980/03/01`` dates.
- ``store_pos``: Shift_JIS (cp932) CSV, one name field, half-width kana,
  wareki birth dates, full-width digits, a three-column address.
- ``ec_shop``: JSON lines with English keys, ``+81 90 ...`` phones, ISO dates.
- ``global_web``: UTF-8 CSV for customers abroad, national phone formats.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from samples.randomness import RandomStreams

COUNTRY_CALLING_CODES: dict[str, str] = {"JP": "81", "US": "1", "GB": "44", "AU": "61", "DE": "49", "FR": "33", "ES": "34"}

_FULL_WIDTH_DIGITS = {str(d): chr(0xFF10 + d) for d in range(10)}
def _half_width_kana_map() -> dict[str, str]:
    """Full-width katakana -> half-width forms (voiced ones as two characters, ダ -> ﾀﾞ)."""
    plain_full = "ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー　"
    plain_half = "ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ "
    mapping = dict(zip(plain_full, plain_half, strict=True))
    for voiced, base in zip("ガギグゲゴザジズゼゾダヂヅデドバビブベボ", "カキクケコサシスセソタチツテトハヒフヘホ", strict=True):
        mapping[voiced] = mapping[base] + "ﾞ"
    for semi, base in zip("パピプペポ", "ハヒフヘホ", strict=True):
        mapping[semi] = mapping[base] + "ﾟ"
    mapping["ヴ"] = "ｳﾞ"
    return mapping


HALF_WIDTH_KANA = _half_width_kana_map()
HIRAGANA = {chr(c): chr(c - 0x60) for c in range(ord("ァ"), ord("ヶ") + 1)}


def to_full_width_digits(expr: pl.Expr, hyphen: str = "－") -> pl.Expr:
    """Digits to full-width (``0`` -> ``０``) and ``-`` to ``hyphen``."""
    return expr.str.replace_many([*_FULL_WIDTH_DIGITS, "-"], [*_FULL_WIDTH_DIGITS.values(), hyphen])


def international_phone(phone: pl.Expr, country: pl.Expr) -> pl.Expr:
    """``090-1234-5678`` (JP) -> ``+81 90 1234 5678``; ``(212) 345-6789`` (US) -> ``+1 212 345 6789``."""
    spaced = phone.str.replace_all(r"[()]", "").str.replace_all("-", " ")
    national = pl.when(country.is_in(["US", "ES"])).then(spaced).otherwise(spaced.str.strip_prefix("0"))
    code = country.replace_strict(COUNTRY_CALLING_CODES, default="81")
    return pl.concat_str([pl.lit("+"), code, pl.lit(" "), national])


def wareki(date: pl.Expr, short: pl.Expr) -> pl.Expr:
    """Japanese era dates: ``昭和55年3月1日`` (``平成元年...`` for year 1), or ``S55.3.1`` where ``short``."""
    showa = date < pl.date(1989, 1, 8)
    era_year = pl.when(showa).then(date.dt.year() - 1925).otherwise(date.dt.year() - 1988)
    long_year = pl.when(era_year == 1).then(pl.lit("元")).otherwise(era_year.cast(pl.String))
    month, day = date.dt.month().cast(pl.String), date.dt.day().cast(pl.String)
    long = pl.concat_str([pl.when(showa).then(pl.lit("昭和")).otherwise(pl.lit("平成")), long_year, pl.lit("年"),
                          month, pl.lit("月"), day, pl.lit("日")])
    abbreviated = pl.concat_str([pl.when(showa).then(pl.lit("S")).otherwise(pl.lit("H")), era_year.cast(pl.String),
                                 pl.lit("."), month, pl.lit("."), day])
    return pl.when(short).then(abbreviated).otherwise(long)


def _family_given(swap: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """Family/given name and kana columns as written, swapped where the record swapped them."""
    def pick(a: str, b: str) -> pl.Expr:
        return pl.when(swap).then(pl.col(b)).otherwise(pl.col(a))

    return (pick("family_name", "given_name"), pick("given_name", "family_name"),
            pick("family_kana", "given_kana"), pick("given_kana", "family_kana"))


def _record_ids(frame: pl.DataFrame, streams: RandomStreams, stream: str, prefix: str, width: int, start: int) -> pl.Series:
    """Sequential ids in a random order, so that ids do not reveal who belongs with whom."""
    order = streams.uniform(stream, frame.height).rank("ordinal").cast(pl.Int64) - 1 + start
    return prefix + order.cast(pl.String).str.zfill(width)


def render_crm(records: pl.DataFrame, streams: RandomStreams) -> pl.DataFrame:
    """The CRM export frame (columns already carry the file's header names, spaces included)."""
    n = records.height
    u = {k: streams.uniform(f"crm.{k}", n) for k in ("date", "phone", "zip", "chome", "pref", "width", "consent")}
    family, given, family_kana, given_kana = _family_given(pl.col("swap_name_order"))
    block = pl.col("block")
    parts = block.str.split("-")
    chome_block = pl.concat_str([parts.list.get(0), pl.lit("丁目"), parts.list.get(1), pl.lit("番"), parts.list.get(2),
                                 pl.lit("号")])
    street = pl.when(pl.lit(u["chome"]) < 0.15).then(chome_block).otherwise(block)
    street = pl.when(pl.lit(u["width"]) < 0.05).then(to_full_width_digits(street, "－")).otherwise(street)
    address = pl.concat_str(
        [pl.when(pl.lit(u["pref"]) < 0.05).then(pl.lit("")).otherwise(pl.col("prefecture")), pl.col("city"),
         pl.col("town"), street, pl.when(pl.col("building").is_not_null()).then(pl.lit(" ")).otherwise(pl.lit("")),
         pl.col("building").fill_null("")]
    )
    birth = pl.when(pl.lit(u["date"]) < 0.1).then(pl.col("birth_date").dt.strftime("%Y/%-m/%-d")).otherwise(
        pl.col("birth_date").dt.strftime("%Y/%m/%d"))
    phone = pl.when(pl.lit(u["phone"]) < 0.2).then(pl.col("phone").str.replace_all("-", "")).otherwise(pl.col("phone"))
    postal = pl.when(pl.lit(u["zip"]) < 0.1).then(pl.col("postal_code")).otherwise(
        pl.concat_str([pl.col("postal_code").str.slice(0, 3), pl.lit("-"), pl.col("postal_code").str.slice(3)]))
    ids = _record_ids(records, streams, "crm.id", "C", 7, 1)
    return records.select(
        ids.alias("顧客番号"), family.alias("姓"), given.alias("名"), family_kana.alias("セイ"), given_kana.alias("メイ"),
        birth.alias("生年月日"), pl.col("gender").replace_strict({"M": "男", "F": "女"}, default=None).alias("性別"),
        pl.col("email").alias("メール "), phone.alias(" 電話番号 "), postal.alias("郵便番号"), address.alias("住所"),
        pl.col("updated_at").dt.strftime("%Y/%m/%d %H:%M:%S").alias("更新日時"),
        pl.when(pl.lit(u["consent"]) < 0.6).then(pl.lit("希望する")).otherwise(pl.lit("希望しない")).alias("メール配信"),
        "person_id",
    ).sort("顧客番号")


def render_store_pos(records: pl.DataFrame, streams: RandomStreams) -> pl.DataFrame:
    """The store POS export frame (cp932-encodable text)."""
    n = records.height
    u = {k: streams.uniform(f"pos.{k}", n) for k in ("space", "era", "phone", "hyphen", "zip")}
    family, given, family_kana, given_kana = _family_given(pl.col("swap_name_order"))
    name = pl.concat_str([family, pl.when(pl.lit(u["space"]) < 0.75).then(pl.lit("　")).otherwise(pl.lit("")), given])
    kana = pl.concat_str([family_kana, pl.lit(" "), given_kana]).str.replace_many(
        list(HALF_WIDTH_KANA), list(HALF_WIDTH_KANA.values()))
    wide = pl.lit(u["phone"]) < 0.5
    phone = pl.when(wide).then(
        pl.when(pl.lit(u["hyphen"]) < 0.5).then(to_full_width_digits(pl.col("phone"), "ー"))
        .otherwise(to_full_width_digits(pl.col("phone"), "－"))
    ).otherwise(pl.col("phone"))
    postal_wide = pl.concat_str([pl.lit("〒"), to_full_width_digits(
        pl.concat_str([pl.col("postal_code").str.slice(0, 3), pl.lit("-"), pl.col("postal_code").str.slice(3)]))])
    postal = pl.when(pl.lit(u["zip"]) < 0.5).then(postal_wide).otherwise(pl.col("postal_code"))
    parts = pl.col("block").str.split("-")
    banchi = pl.concat_str([parts.list.get(0), pl.lit("丁目"), parts.list.get(1), pl.lit("番"), parts.list.get(2), pl.lit("号")])
    ids = _record_ids(records, streams, "pos.id", "29", 8, 1)
    return records.select(
        ids.alias("会員番号"), name.alias("氏名"), kana.alias("氏名カナ"),
        wareki(pl.col("birth_date"), pl.lit(u["era"]) < 0.3).alias("生年月日"),
        pl.col("gender").replace_strict({"M": "1", "F": "2"}, default=None).alias("性別"),
        phone.alias("電話番号"), pl.col("email").alias("メールアドレス"), postal.alias("郵便番号"),
        pl.col("prefecture").alias("都道府県"), pl.concat_str(["city", "town"]).alias("市区町村"), banchi.alias("番地"),
        pl.col("building").alias("建物名"), pl.col("updated_at").dt.strftime("%Y%m%d").alias("最終来店日"),
        "person_id",
    ).sort("会員番号")


def render_ec_shop(records: pl.DataFrame, streams: RandomStreams) -> pl.DataFrame:
    """The e-commerce member export frame (one JSON object per row)."""
    n = records.height
    u = {k: streams.uniform(f"ec.{k}", n) for k in ("name", "hira", "upper", "tel", "zip", "optin")}
    family, given, family_kana, given_kana = _family_given(pl.col("swap_name_order"))
    west = pl.col("origin") == "west"
    kana = pl.concat_str([family_kana, pl.lit(" "), given_kana])
    kana = pl.when(pl.lit(u["hira"]) < 0.2).then(kana.str.replace_many(list(HIRAGANA), list(HIRAGANA.values()))).otherwise(kana)
    kanji = pl.when(pl.lit(u["name"]) < 0.25).then(pl.concat_str([family, given])).otherwise(
        pl.concat_str([family, given], separator=" "))
    kana_only = (pl.lit(u["name"]) > 0.92) & kana.is_not_null()
    name = (pl.when(west).then(pl.concat_str([given, family], separator=" "))
            .when(kana_only).then(kana).otherwise(kanji))
    email = pl.when(pl.lit(u["upper"]) < 0.1).then(pl.col("email").str.to_uppercase()).otherwise(pl.col("email"))
    tel = pl.when(pl.col("foreign") | (pl.lit(u["tel"]) < 0.5)).then(international_phone(pl.col("phone"), pl.col("country"))
                                                                    ).otherwise(pl.col("phone").str.replace_all("-", ""))
    zip_code = pl.when(~pl.col("foreign") & (pl.lit(u["zip"]) < 0.5)).then(
        pl.concat_str([pl.col("postal_code").str.slice(0, 3), pl.lit("-"), pl.col("postal_code").str.slice(3)])
    ).otherwise(pl.col("postal_code"))
    address = pl.when(pl.col("foreign")).then(
        pl.concat_str([pl.col("street"), pl.lit(", "), pl.col("city"), pl.lit(", "), pl.col("prefecture"), pl.lit(" "),
                       pl.col("postal_code").fill_null(""), pl.lit(", "), pl.col("country")])
    ).otherwise(pl.concat_str(["prefecture", "city", "town", "block", pl.col("building").fill_null("")]))
    ordered = records.with_columns(pl.int_range(pl.len()).alias("_row")).sort("updated_at", "_row")
    return ordered.select(
        (pl.int_range(pl.len()) + 100001).alias("member_id"),
        name.alias("name"), pl.when(west).then(None).otherwise(kana).alias("name_kana"),
        email.alias("email"), tel.alias("tel"), zip_code.alias("zip"), address.alias("address"),
        pl.col("birth_date").dt.strftime("%Y-%m-%d").alias("dob"),
        pl.col("gender").replace_strict({"M": "male", "F": "female"}, default=None).alias("gender"),
        pl.col("updated_at").dt.strftime("%Y-%m-%dT%H:%M:%S+09:00").alias("registered_at"),
        (pl.lit(u["optin"]).gather(pl.col("_row")) < 0.45).alias("marketing_opt_in"),
        "person_id",
    )


def render_global_web(records: pl.DataFrame, streams: RandomStreams) -> pl.DataFrame:
    """The global web-shop export frame for customers abroad."""
    n = records.height
    u = {k: streams.uniform(f"gw.{k}", n) for k in ("ascii", "upper", "intl", "swap")}
    west = pl.col("origin") == "west"
    # Japanese abroad write their romanized name, and swap its order more often than others.
    swap = pl.col("swap_name_order") | (~west & (pl.lit(u["swap"]) < 0.08))
    family_latin = pl.when(west & (pl.lit(u["ascii"]) >= 0.2)).then(pl.col("family_name")).otherwise(pl.col("family_romaji"))
    given_latin = pl.when(west & (pl.lit(u["ascii"]) >= 0.2)).then(pl.col("given_name")).otherwise(pl.col("given_romaji"))
    family_latin = pl.when(pl.lit(u["upper"]) < 0.03).then(family_latin.str.to_uppercase()).otherwise(family_latin)
    phone = pl.when(pl.lit(u["intl"]) < 0.3).then(international_phone(pl.col("phone"), pl.col("country"))).otherwise(pl.col("phone"))
    ids = _record_ids(records, streams, "gw.id", "W", 8, 1)
    return records.select(
        ids.alias("id"),
        pl.when(swap).then(family_latin).otherwise(given_latin).alias("first_name"),
        pl.when(swap).then(given_latin).otherwise(family_latin).alias("last_name"),
        pl.col("birth_date").dt.strftime("%Y%m%d").alias("date_of_birth"),
        pl.col("email"), phone.alias("phone"), pl.col("street"), pl.col("city"), pl.col("prefecture").alias("state"),
        pl.col("postal_code").alias("postcode"), pl.col("country"),
        (pl.col("updated_at") - pl.duration(hours=9)).dt.strftime("%Y-%m-%d %H:%M:%S").alias("updated_at"),
        "person_id",
    ).sort("id")


def write_csv(frame: pl.DataFrame, path: Path, encoding: str) -> None:
    """Write ``frame`` as CSV text in ``encoding`` (``utf-8``, ``utf-8-sig`` or ``cp932``)."""
    text = frame.write_csv(line_terminator="\r\n" if encoding == "cp932" else "\n")
    path.write_bytes(text.encode(encoding))


def write_jsonl(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` as JSON lines (UTF-8, non-ASCII kept as is, nulls as ``null``)."""
    frame.write_ndjson(path)


def partition_name(source: str, date: dt.date, suffix: str) -> str:
    """``crm_2026-11-25.csv``: the file name of ``source``'s export for ``date``."""
    return f"{source}_{date.isoformat()}.{suffix}"
