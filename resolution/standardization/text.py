"""Text normalization shared by every standardizer, as polars expressions.

Everything here takes a Utf8 expression and returns a Utf8 expression; nulls
stay null and values that become empty become null.
"""

from __future__ import annotations

import re

import polars as pl

# Dash-like characters that people type instead of "-" in numbers: the
# long-vowel mark (full and half width), full-width hyphen-minus, hyphen,
# horizontal bar, minus sign, en/em dash, non-breaking hyphen, figure dash.
DASH_CHARACTERS = "ー－‐―−–—‑ｰ‒﹣⁃"
DASH_CLASS = "[" + DASH_CHARACTERS + "-]"

HIRAGANA = "".join(chr(code) for code in range(0x3041, 0x3097))
KATAKANA = "".join(chr(code + 0x60) for code in range(0x3041, 0x3097))

# Regex classes (Rust regex syntax, also valid in Python's `re` for these).
JAPANESE_SCRIPT = r"[\p{Han}\p{Hiragana}\p{Katakana}々〆ヶ]"

JAPANESE_HONORIFICS = ("様", "さま", "サマ", "殿", "どの", "さん", "くん", "ちゃん")
LATIN_HONORIFICS = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "herr", "frau", "mme", "mlle")

THAI_TITLES = ("นางสาว", "น.ส.", "นาง", "นาย", "เด็กชาย", "เด็กหญิง", "ด.ช.", "ด.ญ.", "ดร.")
"""Thai titles before a name (Miss, Mrs, Mr, boy, girl, Dr), in the
order they are tried (`นางสาว` before `นาง`): Thai forms write them glued to
the name as often as spaced (`นายกิตติ`, `นาย กิตติ`)."""

_THAI_TITLE = (
    r"^(?:" + "|".join(re.escape(title) for title in THAI_TITLES) + r")\s*([\x{0e01}-\x{0e2e}\x{0e40}-\x{0e44}])"
)
"""A Thai title and the letter that starts the name after it, a consonant or
a vowel written before one (`เ`, `แ`, `โ`, `ใ`, `ไ`): a title's letters
followed by a vowel or tone mark start a name (`นายิกา`), not a title.
Not `คุณ` (Khun): glued, it starts names (`คุณวุฒิ`)."""

ABBREVIATED_TITLES = (
    r"dipl\.?\s*-\s*\p{L}+\.?(?:\s*\(fh\))?",  # Dipl.-Ing., Dipl.-Kfm., Dipl.-Kffr., Dipl.-Ing. (FH)
    r"dipl\.\s*\p{L}+\.(?:\s*\(fh\))?",  # Dipl. Ing., Dipl.Kfm.
    r"dr\.?\s*-\s*ing\.",  # Dr.-Ing.
    r"univ\.?\s*-\s*prof\.",  # Univ.-Prof.
    r"mag\.\s*a\b\.?",  # Mag.a, the Austrian Magistra
    r"(?:dott|prof)\.?\s*ssa\b\.?",  # Dott.ssa, Prof.ssa
    r"(?:m?mag|ddr|lic|ing|dkfm|bakk|dott|avv|geom|rag)\.",  # Mag., Ing., lic., Dott., Avv.
)
"""Academic and professional titles as German, Austrian, Swiss and Italian
exports write them before or after a name: only abbreviated, with their dots
(`Ing`, `Mag`, `Dott` alone may be names or a given name cut short)."""

DEGREE_FIELDS = r"(?:med|dent|vet|rer|nat|pol|soc|oec|publ|phil|jur|iur|theol|techn|mont|habil|sc|mult|univ|h\.\s*c)\."
"""The field of a doctorate or licentiate after it (`Dr. med.`, `Dr. rer. nat.`,
`lic. iur.`, `Dr. h.c.`): abbreviated, with the dot."""

POST_NOMINAL_DEGREES = ("msc", "bsc", "mba", "phd", "llm", "meng", "beng")
"""Degrees written after a name (`Anna Mayer, MSc`, `Ph.D.`), with or without
dots. Not `MA` nor `BA`: Ma and Ba are family names."""


def with_computed_where(
    frame: pl.DataFrame, name: str, where: pl.Expr, value: pl.Expr, otherwise: pl.Expr
) -> pl.DataFrame:
    """`frame` with column `name`: `value` on the rows where `where` holds,
    else `otherwise`, computing `value` over those rows only: for a cleaning
    step most values need none of (a regex pass over a million plain emails
    costs more than finding the few with a display name)."""
    column = frame.with_columns(otherwise.alias(name)).get_column(name)  # a literal too: one per row
    rows = frame.select(where.fill_null(False)).to_series()
    if rows.any():
        computed = frame.filter(rows).select(value.cast(column.dtype)).to_series()
        column = column.scatter(rows.arg_true(), computed)
    return frame.with_columns(column)


DECIMAL_ZERO = r"^(\d+)\.0+$"
"""A whole number as a float column writes it (`9012345678.0`); group 1 is the number."""


def without_decimal_zero(expr: pl.Expr) -> pl.Expr:
    """A whole number as a float column writes it, without its `.0`
    (`9012345678.0` -> `9012345678`); any other text as it is."""
    return expr.str.replace(DECIMAL_ZERO, "$1")


def empty_to_null(expr: pl.Expr) -> pl.Expr:
    """Return `expr` with empty strings replaced by null."""
    # `replace`, not `when(...).then(expr)`: that would evaluate `expr` twice.
    return expr.replace("", None)


PICTOGRAPHS_AND_FORMATTING = (
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\x{200D}\x{FE0E}\x{FE0F}\x{20E3}"
    r"\x{202A}-\x{202E}\x{2066}-\x{2069}]"
)
"""Emoji (with their joiners, flags, variation selectors, keycaps) and bidi
controls: no part of a person's name, and the kana reader reads a name with
an emoji twice (`花子🌸` -> `ハナコハナコ`)."""


def without_pictographs(expr: pl.Expr) -> pl.Expr:
    """`expr` without `PICTOGRAPHS_AND_FORMATTING` characters."""
    return expr.cast(pl.Utf8).str.replace_all(PICTOGRAPHS_AND_FORMATTING, "")


def clean_text(expr: pl.Expr) -> pl.Expr:
    """NFKC-fold width, collapse every whitespace variant to one space, trim.

    NFKC turns full-width ASCII into ASCII, half-width katakana into full-width
    katakana, the ideographic space and NBSP into spaces. Kanji variants and
    dash variants are *not* touched (see `fold_kanji_variants`, `dashes_to_hyphen`).
    """
    folded = expr.cast(pl.Utf8).str.normalize("NFKC")
    collapsed = folded.str.replace_all(r"[\s\u00a0\u3000\u200b\ufeff]+", " ").str.strip_chars()
    return empty_to_null(collapsed)


def cell_text(expr: pl.Expr) -> pl.Expr:
    """`clean_text` without the apostrophe a spreadsheet puts before a value
    it is to keep as text (`'01001`, `'D02 X285`, `'1980-03-01`: leading
    zeros kept, no date conversion, no formula from a leading `+` or `-`),
    which some exports write out. Only for values no apostrophe can start
    (codes, dates, numbers): a name may (`'t Hooft`)."""
    return empty_to_null(clean_text(expr).str.strip_prefix("'").str.strip_chars_start())


def dashes_to_hyphen(expr: pl.Expr) -> pl.Expr:
    """Replace every dash variant with "-" (for phones and postal codes only:
    in names and building names "ー" is a real long-vowel mark)."""
    return expr.str.replace_all(DASH_CLASS, "-")


def dashes_between_digits_to_hyphen(expr: pl.Expr) -> pl.Expr:
    """Replace dash variants (with optional spaces around) only between two
    digits, so `1ー2ー3 コーポ` becomes `1-2-3 コーポ`. Applied twice because
    adjacent matches share a digit."""
    pattern = r"(\d)\s*(?:[" + DASH_CHARACTERS + r"]|\s-|-\s)\s*(\d)"
    once = expr.str.replace_all(pattern, "${1}-${2}")
    return once.str.replace_all(pattern, "${1}-${2}")


def hiragana_to_katakana(expr: pl.Expr) -> pl.Expr:
    """Map each hiragana character to its katakana counterpart."""
    return expr.str.replace_many(list(HIRAGANA), list(KATAKANA))


def remove_spaces(expr: pl.Expr) -> pl.Expr:
    """Remove all spaces (after `clean_text` only plain spaces remain)."""
    return empty_to_null(expr.str.replace_all(" ", "", literal=True))


def _dotted(word: str) -> str:
    """A pattern of `word` with a dot allowed after each letter (`Ph.D.`)."""
    return "".join(re.escape(letter) + r"\.?" for letter in word)


_TITLE = (
    r"(?:(?:" + "|".join(ABBREVIATED_TITLES) + r")\s*"
    r"|(?:" + "|".join(LATIN_HONORIFICS) + r")(?:\.\s*|\s+))"
    r"(?:" + DEGREE_FIELDS + r"\s*)*"
)
"""A title before a name, with the space after it (`Prof. Dr. med. `, `Mr `, `Mag.a `)."""

_TRAILING_TITLES = (
    r"(?i)(?:[\s,]+(?:(?:" + "|".join(ABBREVIATED_TITLES) + r")|(?:dr|prof)\.|(?:"
    + "|".join(_dotted(degree) for degree in POST_NOMINAL_DEGREES)
    + r"))(?:\s*" + DEGREE_FIELDS + r")*)+$"
)
"""Titles after a name, with the commas and spaces before them (`Gruber, Josef Mag.`, `Anna Mayer, MSc, MBA`)."""

_DI_BEFORE = r"(?:(?-i:DI)\s+(?:" + _TITLE + r")*((?-i:\p{Lu}\p{Ll})))?"
_DI_AFTER = r"(\p{Ll}\.?)[\s,]+DI$"
"""Austria's Diplom-Ingenieur, `DI`, in capitals before or after a name not
in capitals (`DI Ursula Berger`, `Gruber, Maria DI`): `Di Stefano`,
`DI STEFANO Marco` and `Marco DI STEFANO` keep their particle. Before a
name, the pattern keeps the name's first two letters (group 1 or 2)."""


ACCENT_MARKS = r"(^|[^\p{L}\p{M}]|[\p{Latin}\p{Greek}\p{Cyrillic}\p{Arabic}\p{Hebrew}])\p{M}+"
"""Combining marks on a Latin, Greek, Cyrillic, Arabic or Hebrew letter, or
on no letter, with what they follow (group 1): the marks one export writes
and another leaves out (`transliteration.without_accents` says why)."""


def without_accent_marks(expr: pl.Expr) -> pl.Expr:
    """`expr` in NFKD without `ACCENT_MARKS` (`José` -> `Jose`): a mark on a
    letter of another script is part of it and stays (Thai `กรุงเทพ`, whose
    vowel ุ went, read `กรงเทพ`, another city's name)."""
    return expr.str.normalize("NFKD").str.replace_all(ACCENT_MARKS, "$1")


def strip_honorifics(expr: pl.Expr) -> pl.Expr:
    """Strip a trailing Japanese honorific (様, 殿, さん, くん, ちゃん), Latin
    titles before a name, at its start or after the comma of `Family, Given`
    (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Herr, Frau, Mme, Mlle with or without a
    dot, and `ABBREVIATED_TITLES` with theirs, each with its `DEGREE_FIELDS`:
    `Prof. Dr. Hans Müller`, `Dipl.-Ing. Jürg Meier`, `Huber, Dr. med.
    Anna` -> `Huber, Anna`), titles after it (`ABBREVIATED_TITLES`, `Dr.`,
    `Prof.`, `POST_NOMINAL_DEGREES`: `Gruber, Josef Mag.`, `Anna Mayer,
    MSc`), Austria's `DI` where it is a title (`_DI_BEFORE`, `_DI_AFTER`),
    and `M.` (Monsieur) before two more words (`M. Dupont` may be an
    initial), and Thai titles (`THAI_TITLES`, spaced or glued: `นายกิตติ` ->
    `กิตติ`). A value that is nothing but an honorific is left as it is."""
    japanese = r"\s*(?:" + "|".join(JAPANESE_HONORIFICS) + r")$"
    before = r"(?:" + _TITLE + r")*" + _DI_BEFORE
    monsieur = r"^M\.\s+(\S+\s+\S)"
    stripped = (
        expr.str.replace(japanese, "")
        .str.replace(_THAI_TITLE, "$1")
        .str.replace(r"(?i)^" + before, "$1")
        .str.replace(r"(?i)(,\s*)" + before, "${1}${2}")
        .str.replace(_TRAILING_TITLES, "")
        .str.replace(_DI_AFTER, "$1")
        .str.replace(monsieur, "$1")
        .str.strip_chars(" ,")
    )
    return pl.when(stripped.str.len_chars() > 0).then(stripped).otherwise(expr)


def has_japanese_script(expr: pl.Expr) -> pl.Expr:
    """True when the value contains kanji or kana."""
    return expr.str.contains(JAPANESE_SCRIPT)
