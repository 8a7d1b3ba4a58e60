"""Names written in Cyrillic or Greek: their Latin spelling, and one folded
spelling the common transliteration systems share.

A Russian, Ukrainian, Bulgarian or Serbian customer writes `Иванов` in one
system and `Ivanov` (English, passports), `Iwanow` (German, Polish) or
`Ivanof` in another; a Greek one `Παπαδόπουλος` and `Papadopoulos` or
`Papadopulos`. `latin_spelling` gives the Cyrillic or Greek letters the
spelling passports use (Russian and Ukrainian as in English usage, `й` `y`,
`х` `kh`; Serbian and Macedonian as their own Latin alphabet writes them once
accents are dropped; Greek ELOT 743), so the romanized name key meets the
English spelling exactly. `phonetic_fold` then folds what the systems write
differently (`w`/`v`, `j`/`y`/`i`, `sch`/`sz`/`sh`/`zh`, `kh`/`ch`/`h`, `ou`/`u`,
Greek `mp`/`b` ...), on the Latin side as on the Cyrillic and Greek one, so
`Iwanow`, `Ivanov` and `Иванов` share one folded spelling.
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC_COUNTRIES = frozenset({"RU", "UA", "BY", "KZ", "KG", "TJ", "UZ", "MN", "BG", "RS", "MK"})
"""Countries whose registers write (or wrote until lately) names in Cyrillic:
a Latin name of a record there is a transliteration, never romanized
Japanese (`other_scripts.transliterated_alternative`: `Iurii`, `Boiko`)."""

CYRILLIC_OR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u1f00-\u1fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

RUSSIAN_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
"""Russian (and Bulgarian, Belarusian letters alike) as English usage and
passports spell it (BGN/PCGN, `й` y rather than ICAO's i: `phonetic_fold`
makes them meet)."""

UKRAINIAN_LETTERS = {**RUSSIAN_LETTERS, "г": "h", "ґ": "g", "є": "ye", "и": "y", "і": "i", "ї": "yi", "ў": "u"}
"""Ukrainian (national system: `г` h, `и` y) and Belarusian `ў`; used for a
name part holding a letter Russian lacks (`і`, `ї`, `є`, `ґ`, `ў`)."""
_UKRAINIAN = re.compile(r"[ієїґў]")

SERBIAN_LETTERS = {
    **RUSSIAN_LETTERS, "ђ": "d", "ж": "z", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "х": "h", "ц": "c",
    "ч": "c", "џ": "dz", "ш": "s", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
"""Serbian and Macedonian as their Latin alphabet writes them, accents
dropped as the standardized Latin name drops them (`Ђорђевић` -> `dordevic`,
as `Đorđević`); used for a name part holding a letter only they have."""
_SERBIAN = re.compile(r"[ђјљњћџѓќѕ]")

_HARD_SIGN_VOWEL = re.compile(r"ъ(?![еёюя])")
"""`ъ` before a consonant or at the end is Bulgarian's vowel (`Събев`
Sabev); Russian writes it only before `е`, `ё`, `ю`, `я`, as a silent sign."""

GREEK_DIGRAPHS = (
    (re.compile(r"([αεη])υ(?=[θκξπστφχψ]|$)"), {"α": "af", "ε": "ef", "η": "if"}),
    (re.compile(r"([αεη])υ"), {"α": "av", "ε": "ev", "η": "iv"}),
)
"""`αυ`, `ευ`, `ηυ`: `af`, `ef`, `if` before a voiceless consonant or at the
end, else `av`, `ev`, `iv` (ELOT 743)."""

GREEK_LETTERS = {
    "ου": "ou", "γγ": "ng", "γξ": "nx", "γχ": "nch", "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z",
    "η": "i", "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r",
    "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o", "ϊ": "i", "ϋ": "y",
}  # fmt: skip
"""Greek as ELOT 743 (Greek passports) spells it, accents dropped."""
_GREEK_LETTER = re.compile("|".join(sorted(GREEK_LETTERS, key=len, reverse=True)))


def latin_spelling(text: str) -> str:
    """`иванов` -> `ivanov`, `шевченко` -> `shevchenko`, `андрій` -> `andriy`,
    `παπαδοπουλος` -> `papadopoulos`: a lower-case name with its Cyrillic and
    Greek letters spelled in Latin, accents dropped (`without_accents`). Which
    Cyrillic table: Serbian/Macedonian or Ukrainian when the text has a letter
    only they use, else Russian (`ганна` is `ganna`, though a Ukrainian
    passport writes Hanna: the letters do not tell)."""
    text = without_accents(text)
    if _CYRILLIC.search(text):
        table = (
            SERBIAN_LETTERS if _SERBIAN.search(text) else UKRAINIAN_LETTERS if _UKRAINIAN.search(text) else RUSSIAN_LETTERS
        )
        text = _HARD_SIGN_VOWEL.sub("a", text)
        text = "".join(table.get(c, c) for c in text)
    for pattern, spelled in GREEK_DIGRAPHS:
        text = pattern.sub(lambda m, spelled=spelled: spelled[m.group(1)], text)
    return _GREEK_LETTER.sub(lambda m: GREEK_LETTERS[m.group(0)], text)


def without_accents(text: str) -> str:
    """`παπαδόπουλος` -> `παπαδοπουλος`, `josé` -> `jose`, `ёлкин` ->
    `елкин` (as Russian is mostly written): combining accents dropped, but
    not the breve of a Cyrillic letter (`й`, `ў`) nor the diaeresis of `ї`,
    which make letters of their own (`й` is no `и`). Only the marks of Latin,
    Greek and Cyrillic letters go, where an accent is what one export writes
    and another leaves out, and those of Arabic and Hebrew, whose short vowels
    are written in teaching texts only (`_ACCENTED_LETTER`), and marks on no
    letter at all. A mark on a letter of another script is part of the
    letter, a vowel or tone of Thai (`คำแก้ว`, `กุ้ง`), Devanagari or Tamil,
    a kana's voicing mark (`が`), and stays (`text.without_accent_marks` is
    the same rule for polars)."""
    kept: list[str] = []
    base = ""
    for c in unicodedata.normalize("NFD", text):
        if not unicodedata.category(c).startswith("M"):
            base = c  # marks stack on their letter: Thai `กุ้` is ก, a vowel and a tone
        elif unicodedata.combining(c) and not _of_another_script(base) and not _LETTER_MARK.match(base + c):
            continue
        kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept))


_ACCENTED_LETTER = re.compile(
    "[\u00c0-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff"  # Latin (ASCII is no letter of another script)
    "\u0370-\u03ff\u1f00-\u1fff"  # Greek
    "\u0400-\u052f\u2de0-\u2dff\ua640-\ua69f"  # Cyrillic
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"  # Arabic
    "\u0590-\u05ff\ufb1d-\ufb4f]"  # Hebrew
)


def _of_another_script(c: str) -> bool:
    """A letter, not ASCII nor of `_ACCENTED_LETTER`'s alphabets: its marks are its own."""
    return c.isalpha() and not c.isascii() and not _ACCENTED_LETTER.match(c)


_LETTER_MARK = re.compile("[\u0400-\u04ff]\u0306|[іІ]\u0308")


PHONETIC_FOLDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"schtsch|szcz|shtch", "shch"),  # щ: German, Polish
        (r"tsch", "ch"),  # ч: German
        (r"sch|sz|zh", "sh"),  # ш/ж: German sch, Polish sz; ж zh
        (r"cz", "ch"),  # ч: Polish
        (r"[kc]h", "h"),  # х kh/ch/h, Greek χ ch/h; ч ch with it
        (r"ph", "f"),
        (r"x", "ks"),
        (r"tz|ts", "c"),  # ц: ts, Polish c
        (r"w", "v"),
        (r"j", "y"),
        (r"^ye|^ie", "e"),  # е, є: Yevgeny, Ievgen, Evgeny
        (r"y", "i"),  # й y/i/j, ы y, Greek υ y/i
        (r"mp|mb", "b"),  # Greek μπ, ντ, γκ: mp/b, nt/d, gk/g
        (r"nt|nd", "d"),
        (r"gk|gg", "g"),
        (r"ou", "u"),  # Greek ου, French-style transliterations
        (r"ai", "e"),  # Greek αι, ει, οι as spoken: e, i; Sergei, Sergey
        (r"[eo]i", "i"),
        (r"(.)\1+", r"\1"),  # doubled letters, from the folds too (ii, shh)
    )
)
"""The spellings that Cyrillic and Greek transliteration systems (English,
German, Polish, ICAO, ELOT 743 and spoken Greek) write differently, folded to
one, in this order. Applied to Latin names too, so it folds names of other
origins alike (`Jan` and `Ian`, `Anna` and `Ana`): the folded spelling is an
alternative spelling, compared after the romanized one."""


def phonetic_fold(roman: str) -> str:
    """`iwanow`, `ivanov` -> `ivanov`; `yuriy`, `jurij`, `yuri` -> `iuri`;
    `sergey`, `sergej`, `sergei` -> `sergi`; `papadopoulos` -> `papadopulos`:
    a lower-case ASCII name with `PHONETIC_FOLDS` applied."""
    for pattern, replacement in PHONETIC_FOLDS:
        roman = pattern.sub(replacement, roman)
    return roman
