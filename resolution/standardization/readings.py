"""Generated readings of Japanese names with pykakasi (offline dictionary).

pykakasi drops kanji it does not know (髙橋 -> nothing for 髙): callers fold
kanji variants first. A generated reading is only returned when every
character got one; otherwise None.
"""

from __future__ import annotations

import gc
import re
from functools import cache, lru_cache, partial

import pykakasi
from pykakasi.kanji import JConv

from resolution.standardization.text import HIRAGANA, KATAKANA
from resolution.standardization.transliteration import CYRILLIC_OR_GREEK, latin_spelling

_KATAKANA_READING = re.compile(r"^[\u30a1-\u30faー]+$")
_HIRAGANA_TO_KATAKANA = str.maketrans(HIRAGANA, KATAKANA)


@cache
def _converter() -> pykakasi.kakasi:
    # pykakasi unpickles its 10 MB kanji dictionary here: without the cyclic
    # garbage collector running over the new objects, in half the time (0.34 s, not 0.66 s)
    collecting = gc.isenabled()
    gc.disable()
    try:
        converter = pykakasi.kakasi()
    finally:
        if collecting:
            gc.enable()
    jconv = getattr(getattr(converter, "_kakasi", None), "_jconv", None)
    if isinstance(jconv, JConv):  # pykakasi 2.x; otherwise its own lookup stays
        jconv.convert = lru_cache(maxsize=512)(partial(_longest_kanji_reading, jconv))
    return converter


def _longest_kanji_reading(jconv: JConv, itext: str, btext: str) -> tuple[str, int]:
    """pykakasi's `JConv.convert` (2.3.0) with dictionary lookups in place of its
    scan over every entry starting with the same kanji (the bulk of a reading's
    cost). Same answer: the longest entry that starts `itext`, and its first
    reading whose context fits `btext`; then pykakasi's own variation-selector
    step, unchanged."""
    max_len = 0
    reading = ""
    text = jconv._itaiji.convert(itext)
    num_vs = len(itext) - len(text)
    table = jconv._kanwa.load(text[0])
    if table is None:
        return "", 0
    for length in range(len(text), 0, -1):
        for yomi, context in table.get(text[:length], ()):
            if context is None or btext in context:
                reading, max_len = yomi, length
                break
        if max_len:
            break
    for _ in range(num_vs):
        if max_len > len(itext):
            break
        if text[max_len - 1] != itext[max_len - 1] or (
            max_len < num_vs + len(text) and max_len <= len(itext) and jconv._is_vschr(itext[max_len])
        ):
            max_len += 1
    return reading, max_len


@lru_cache(maxsize=200_000)
def generated_reading(name: str) -> str | None:
    """Full-width katakana reading of a kanji/kana name, or None when pykakasi
    cannot read all of it (unknown or Latin characters)."""
    reading = "".join(part["kana"] for part in _converter().convert(name))
    return reading if _KATAKANA_READING.match(reading) else None


def dictionary_readings(name: str) -> set[str]:
    """Every katakana reading pykakasi's dictionary holds for `name` as one
    entry, whatever its context (河野: コウノ and カワノ); empty when it holds
    none (or pykakasi is not 2.x, whose dictionary this reads)."""
    jconv = getattr(getattr(_converter(), "_kakasi", None), "_jconv", None)
    if not name or not isinstance(jconv, JConv):
        return set()
    table = jconv._kanwa.load(name[0]) or {}
    readings = (yomi.translate(_HIRAGANA_TO_KATAKANA) for yomi, _ in table.get(name, ()))
    return {reading for reading in readings if _KATAKANA_READING.match(reading)}


def romanized_readings(name: str) -> set[str]:
    """Hepburn and passport romanizations (`satou`, `sato`) of a name."""
    parts = _converter().convert(name)
    return {
        "".join(part[system] for part in parts).lower() for system in ("hepburn", "passport")
    } - {""}


_LONG_VOWELS = ((re.compile(r"o[ou]|oh(?=[^aeiou]|$)"), "o"), (re.compile(r"uu"), "u"), (re.compile(r"m(?=[bpm])"), "n"))
_NOT_ASCII_LETTER = re.compile(r"[^a-z]")

LEGACY_KANA_SPELLINGS = (
    (re.compile(r"(sh|ch|j)iy(?=ou|uu|un)"), r"\1"),
    (re.compile(r"([kgnhbpmr])iy(?=ou|uu|un)"), r"\1y"),
    (re.compile(r"(?<=[aeiou])tsu([tp])"), r"\1\1"),
)
"""Readings written without small kana, as old mainframe and bank (全銀)
exports write them (`ｷﾖｳｺ` for キョウコ, `ｼﾕﾝｲﾁ` for シュンイチ, `ﾊﾂﾄﾘ` for
ハットリ), romanized as the small kana would have been (`kyou`, `shun`,
`hatt`), where the large-kana spelling is hardly ever a name of its own:
a yōon before a long vowel or `n` (`kiyou`, `shiyuu`, `jiyun`) and `tsu`
before t/p after a vowel. Not elsewhere, so that names that differ only
there stay apart: キヨコ (Kiyoko) is not キョウコ (Kyoko), キヨシ not キョシ,
ミユキ not ミュキ, イツキ (Itsuki) not イッキ (Ikki); such a legacy spelling
(`ｼﾞﾕﾘ` for ジュリ) stays one letter off, as before. Applied to Latin
input too (idempotent), so a romaji record meets either kana spelling."""


ROMAJI = re.compile(
    r"^(?:(?:[kgsztdnhbpmrjc]y|sh|ch|ts|[kgsztdnhbpmrfvwyj])?[aiueo]|n|m(?=[bpm])|h(?![aiueoy])|([kgstcdbpfjz])(?=\1|ch))+$"
)
"""A Latin name that romanized Japanese can spell: syllables of Hepburn,
Kunrei or passport spelling (`shotaro`, `syouta`, `jyunko`), `n` alone,
`m` before b/p/m (`Homma`), `h` lengthening a vowel (`Ohno`, `Satoh`) and a
doubled consonant (`Hattori`, `Matcha`). `Brouwer`, `Noort`, `Bos`,
`Timmermans` are not: their letters are not folded as romaji."""


@lru_cache(maxsize=200_000)
def comparable_romanization(name: str, japanese: bool = False, romaji: bool = True) -> str | None:
    """One Latin spelling for a name in kana or romaji, so `ショウタロウ`,
    `shoutarou`, `Shotaro` and `Shohtaro` all give `shotaro`.

    Kana is romanized (Hepburn), then readings a legacy export wrote without
    small kana are spelled as with them (`LEGACY_KANA_SPELLINGS`: `キヨウコ`
    -> `kyouko`), long vowels (`ou`, `oo`, `oh`, `uu`) are shortened as
    passports write them and `m` before b/p/m becomes `n`. Latin input gets
    the same folding when romanized Japanese can spell it (`ROMAJI`): other
    names keep their letters (`Brouwer`, `Boos` and `Bos`, `Timmermans`).
    Cyrillic and Greek are spelled in Latin first (`transliteration.latin_spelling`:
    `Иванов` -> `ivanov`). `japanese`: the text is Japanese whatever its
    letters (a place name with `Pref.`), folded as romaji. `romaji` False:
    Latin input is not read as romaji whatever it spells (a name of a record
    outside Japan: `Pooja`, `Moore`, `Souza` are not `Poja`, `More`, `Soza`);
    kana is folded still. Kanji is not read here (pass its reading). Returns
    None when nothing Latin is left."""
    text = name.lower()
    kana = any("\u3040" <= c <= "\u30ff" for c in text)
    if kana:
        text = "".join(part["hepburn"] for part in _converter().convert(text))
    elif CYRILLIC_OR_GREEK.search(text):
        text = latin_spelling(text)
    text = _NOT_ASCII_LETTER.sub("", text)
    if kana or japanese or (romaji and ROMAJI.match(text)):
        for pattern, replacement in (*LEGACY_KANA_SPELLINGS, *_LONG_VOWELS):
            text = pattern.sub(replacement, text)
    return text or None
