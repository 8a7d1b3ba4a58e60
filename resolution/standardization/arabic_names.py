"""Names written in Arabic script: their compared form, how a full name
splits, and a consonant key they share with their Latin spellings.

A Gulf retailer's CRM writes `فاطمة الفلاسي` where its loyalty system writes
`FATIMA AL FALASI` (or `Fatma Al-Falasy`). Arabic script leaves out short
vowels, and Latin spellings of one Arabic name differ mostly in their vowels
(`Mohammed`, `Muhammad`, `Mohamed`; `Hussein`, `Hussain`), so a letter-by-
letter transliteration (`ftmh`) meets no Latin spelling. Both sides are
keyed instead by their consonants (`consonant_skeleton`): the letters Arabic
writes, in the classes Latin spellings do not tell apart (`ث`/`ت` as `t`,
`ح`/`ه` as `h`, `kh`/`k`, `sh`/`s`, `j`/`g`), vowels, medial `w`/`y` and
a final `h` dropped, the article `al-`/`el-` of a family name dropped, and a
name that starts with a vowel (`ع`, `ا`, `Omar`, `Ibrahim`) marked as such:
`فاطمة`, `Fatima`, `Fatma` and `Fathima` all give `FTM`; `أحمد` and `Ahmed`
give `AHMD`, which `Hamad` (`HMD`) does not.

The key is loose on purpose (`Saeed` and `Suad` share `SD`): it is compared
only between an Arabic-script part and a Latin one (`comparisons.AlternativeSpellingLevel`),
where a written name agrees nowhere else, and the other fields of a pair
decide; two Latin names never meet through it. It is upper case, so no
romanized key or other alternative spelling (lower case) ever equals it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from resolution.standardization.latin_names import latin_name

ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
"""Arabic script: the Arabic block and its supplements (Persian and Urdu
letters among them) and the presentation forms some exports hold."""

_WRITTEN_FOLDS = str.maketrans({"ى": "ي", "ی": "ي", "ے": "ي", "ة": "ه", "ۃ": "ه", "ہ": "ه", "ھ": "ه", "ک": "ك", "ٱ": "ا"})
"""Spellings of one letter that Arabic typists use interchangeably: final
`ى` for `ي`, `ة` for `ه`, and the Persian/Urdu forms of `ي`, `ه`, `ك`.
Hamza seats (`أ`, `إ`, `آ`, `ؤ`, `ئ`) and short-vowel marks are dropped by
`latin_name` (NFKD) already."""

PARTICLES = frozenset({"ال", "آل", "بن", "بنت", "ابن", "أبو", "ابو", "عبد", "أم", "ام"})
"""Words that belong to the name after them: the article (`ال`, and `آل`,
"family of"), `بن`/`بنت` (son/daughter of) and the first word of a compound
(`عبد الله`, `أبو بكر`)."""

TITLES = frozenset({"السيد", "السيدة", "الشيخ", "الشيخة", "الدكتور", "الدكتورة", "د"})
"""Forms of address written before a name (Mr, Mrs, Sheikh, Dr); not `سيد`,
which is a given name too (Syed)."""


def arabic_written_name(value: str) -> str | None:
    """`فاطمة`, `فاطمه`, `فَاطِمَة` -> `فاطمه`; `عبد الله` -> `عبدالله`: a name
    part in Arabic script as compared, without spaces, short-vowel marks,
    tatweel or hamza seats, letters typists interchange folded (`_WRITTEN_FOLDS`)."""
    written = latin_name(value)
    return written.translate(_WRITTEN_FOLDS) if written else None


def split_arabic_full_name(full: str) -> tuple[str, str] | None:
    """(family, given) of a full name in Arabic script, written given name
    first as Gulf names are: the first word is the given name (with the word
    after it for a compound: `عبد الرحمن`); the last word is the family name
    with the particles before it (`آل نهيان`, `بن راشد`, as the Latin split
    keeps `bin Rashid`); the patronymic chain between (`بنت سعيد`) is
    neither. Titles first (`الشيخ`) are dropped. None for a single word."""
    words = [word for word in full.split() if word]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    if len(words) < 2:
        return None
    given_end = 2 if words[0] in PARTICLES and len(words) > 2 else 1
    family_start = len(words) - 1
    while family_start > given_end and words[family_start - 1] in PARTICLES:
        family_start -= 1
    return " ".join(words[family_start:]), " ".join(words[:given_end])


ARABIC_CONSONANTS = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "t", "ج": "g", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r",
    "ز": "z", "س": "s", "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "d", "غ": "g", "ف": "f", "ق": "k",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y",
    "پ": "b", "چ": "s", "ژ": "z", "گ": "g", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n",
}  # fmt: skip
"""Each Arabic letter (as `arabic_written_name` leaves it) in the consonant
class its Latin spellings share (`LATIN_CONSONANTS`): `ث` is `th` or `t`,
`ذ`/`ض`/`ظ` `dh` or `d`, `ح`/`ه` `h`, `خ` `kh`, `ق` `q` or `k`, `ج` `j`
or `g`. `ا` is a vowel, `و`/`ي` vowels or glides; `ع` and `ء` have no Latin
letter of their own (a vowel at the start of a name). Persian and Urdu
letters of Pakistani and Iranian names alike."""

LATIN_CONSONANTS = (
    (re.compile(r"kh|ck|[qck]"), "k"),
    (re.compile(r"gh|j"), "g"),
    (re.compile(r"[sc]h"), "s"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"ph|v"), "f"),
    (re.compile(r"p"), "b"),
    (re.compile(r"x"), "ks"),
)
"""Latin spellings of Arabic consonants folded to the classes of
`ARABIC_CONSONANTS`, in this order."""

ASSIMILATED_ARTICLES = (
    (re.compile(r"^abd[aeiou](?=(t|d|r|z|s|n|sh)\1)"), "abdal"),
    (re.compile(r"[aeiou]ddin$"), "aldin"),
)
"""The article of a compound as Latin spells it spoken, assimilated to the
letter after it (`Abdur Rahman`, `Abdus Salam`, `Nooruddin`) where Arabic
writes `ال` (`عبدالرحمن`, `نورالدين`)."""

LATIN_ABBREVIATIONS = {"mohd": "mohammed", "muhd": "mohammed", "mhd": "mohammed", "md": "mohammed"}
"""Given names written abbreviated in Latin only (`Mohd`, `Md.`): Arabic
script writes the name whole."""

_ARTICLE = {"latin": re.compile(r"^(?:al|el)(?=[a-z]{4})"), "arabic": re.compile(r"^ال(?=\w{3})")}
"""The article of a family name (`Al Falasi`, `alfalasi`, `الفلاسي`; `آل`
is `ال` once written), when a name follows it: three Arabic letters, four
Latin ones (which spell vowels too: `Alawi`, `علوي` keep their `al`)."""
_LATIN_NAME = re.compile(r"^[a-z]+$")
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiouwy]")


@lru_cache(maxsize=200_000)
def consonant_skeleton(name: str, family: bool) -> str | None:
    """`فاطمه`, `fatima`, `fatma`, `fathima` -> `FTM`; `الفلاسي`, `alfalasi`,
    `falasy` -> `FLS` (family); `عمر`, `omar` -> `AMR`; `mohd` -> `MHMD`.

    In: a standardized name part, Latin (lower-case ASCII letters) or Arabic
    (`arabic_written_name`). Out: its consonants in upper case, the first
    letter `A` when the name starts with a vowel, `w`/`y` kept only first
    (`Yousef` `YSF`, `Saif` `SF`), a final `h` dropped (`Fatimah`, `عبدالله`).
    None for other scripts, and for a name with no consonant left."""
    if ARABIC_LETTER.search(name):
        if family:
            name = _ARTICLE["arabic"].sub("", name)
        spelled = "".join(ARABIC_CONSONANTS.get(c, "a" if c == "ع" and i == 0 else "") for i, c in enumerate(name))
    elif _LATIN_NAME.match(name):
        spelled = _ARTICLE["latin"].sub("", name) if family else LATIN_ABBREVIATIONS.get(name, name)
        for pattern, replacement in ASSIMILATED_ARTICLES:
            spelled = pattern.sub(replacement, spelled)
        for pattern, replacement in LATIN_CONSONANTS:
            spelled = pattern.sub(replacement, spelled)
    else:
        return None
    if not spelled:
        return None
    first = "a" if spelled[0] in "aeiou" else spelled[0]
    # doubled once the vowels are gone: Arabic writes a doubled consonant once (`Hessa`, `حصة`)
    key = _DOUBLED.sub(r"\1", first + _VOWELS.sub("", spelled[1:])).upper()
    key = key[:-1] if len(key) > 1 and key.endswith("H") else key
    return key if key not in ("A", "W", "Y") else None


def latin_consonant_skeleton(name: str, family: bool) -> str | None:
    """`consonant_skeleton` of a Latin name part (lower-case ASCII letters),
    None for any other: the key a Latin record offers an Arabic-script one
    (which holds its own in its alternative spelling)."""
    return consonant_skeleton(name, family) if _LATIN_NAME.match(name) else None
