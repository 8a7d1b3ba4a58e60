"""Names written in Thai script: their Royal Thai General System spelling, and
one folded spelling that the usual Latin spellings of a Thai name share.

A Thai bank writes `ธนากร คำแก้ว`; the same customer's e-wallet, passport or
remittance form writes `Thanakorn Khamkaeo`, `Tanakorn Kumkaew` or
`Thanakon Khamkaew`. `rtgs` spells a Thai name part as the Royal Institute's
system (RTGS) does, syllable by syllable by the rules of the script (an
unwritten `a` or `o`, final consonants as their sound: `ร` `n`, `ส` `t`;
silent letters under `์`), which is how Thai passports and most Latin
spellings start. `thai_spelling_key` then folds what the Latin spellings
write differently (`th`/`t`, `ph`/`p`, `kh`/`k`, `ch`/`j`, `ee`/`i`,
`oo`/`u`, `aa`/`a`, `w`/`o` after a vowel, final `-d`/`-s`/`-t`, an
English `r` after a vowel: `Suchart`, `Thanakorn`), on the Latin side as on
the romanized Thai one, so `ธนากร`, `Thanakorn`, `Tanakorn` and `Thanakon`
share one key. Rules, not a dictionary: irregular spellings (`พรหม` phrom,
doubled consonants as in `ณัฐพล` natthaphon) are not all right, and an
English `u` for a short `a` (`Nuttapol`) is not folded: those meet on the
other fields, as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

THAI_NAME = re.compile(r"^[\u0e01-\u0e4e]+$")
"""A name part in Thai letters and marks alone (no digits, no `ๆ`)."""

INITIAL_SOUNDS = {
    "ก": "k", "ข": "kh", "ฃ": "kh", "ค": "kh", "ฅ": "kh", "ฆ": "kh", "ง": "ng", "จ": "ch", "ฉ": "ch", "ช": "ch",
    "ซ": "s", "ฌ": "ch", "ญ": "y", "ฎ": "d", "ฏ": "t", "ฐ": "th", "ฑ": "th", "ฒ": "th", "ณ": "n", "ด": "d",
    "ต": "t", "ถ": "th", "ท": "th", "ธ": "th", "น": "n", "บ": "b", "ป": "p", "ผ": "ph", "ฝ": "f", "พ": "ph",
    "ฟ": "f", "ภ": "ph", "ม": "m", "ย": "y", "ร": "r", "ล": "l", "ว": "w", "ศ": "s", "ษ": "s", "ส": "s",
    "ห": "h", "ฬ": "l", "อ": "", "ฮ": "h", "ฤ": "rue", "ฦ": "lue",
}  # fmt: skip
"""Each consonant starting a syllable, as RTGS spells it (`อ` carries a vowel and is silent)."""

FINAL_SOUNDS = {
    **dict.fromkeys("กขฃคฅฆ", "k"), **dict.fromkeys("จฉชซฌฎฏฐฑฒดตถทธศษส", "t"),
    **dict.fromkeys("บปผฝพฟภ", "p"), **dict.fromkeys("ญณนรลฬ", "n"), "ม": "m", "ง": "ng", "ย": "i", "ว": "o",
}  # fmt: skip
"""Each consonant ending a syllable, as RTGS spells its sound."""

CONSONANTS = frozenset(INITIAL_SOUNDS)
LEADING_VOWELS = frozenset("เแโใไ")
FOLLOWING_VOWELS = frozenset("ะัาำิีึืุู็")
"""Vowel signs written after (above, below) the consonant they follow; `LEADING_VOWELS` are written before it."""

CLUSTER_FIRSTS = frozenset("กขคปผพตทบด")
"""Consonants that start a cluster with `ร`, `ล` or `ว` (`ประ` pra, `กวาง` kwang, `ความ` khwam)."""
SILENT_R_AFTER = frozenset("ศสซ")
"""`ร` after these is silent (`ศรี` si, `เสริม` soem); after `ท` the pair is `s` (`ทราย` sai)."""
SILENT_H_BEFORE = frozenset("งญนมยรลว")
"""`ห` before these only sets the tone (`หญิง` ying)."""

_TONE_MARKS = re.compile("[\u0e48-\u0e4b\u0e4c\u0e4d\u0e4e]")
_SILENT_SYLLABLE = re.compile("(?<=[\u0e01-\u0e2e])[ทตดษ][รณ]\u0e4c|[\u0e01-\u0e2e][ิุ]?\u0e4c")
"""Letters silenced by `์` (thanthakhat): the consonant under it with its
vowel (`สวัสดิ์` sawat), and a pair ending a syllable (`จันทร์` chan,
`ลักษณ์` lak)."""

_LEADING = {"ีย": "ia", "ือ": "uea", "าะ": "o", "า": "ao", "ิ": "oe", "อ": "oe", "ะ": "e", "็": "e", "ย": "oei"}
"""The vowels written with `เ` around the consonant, longest first, and `เ` alone `e`."""
_FOLLOWING = {"ัว": "ua", "ัย": "ai", "ือ": "ue", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue",
              "ื": "ue", "ุ": "u", "ู": "u", "ะ": "a", "็": "o"}  # fmt: skip
"""The vowels written after (above, below) their consonant, longest first;
none written is an unwritten `a` (an open syllable) or `o` (a closed one)."""


def rtgs(value: str) -> str | None:
    """`ธนากร` -> `thanakon`, `คำแก้ว` -> `khamkaeo`, `สุขสวัสดิ์` ->
    `suksawat`, `ศรีสุข` -> `sisuk`: a name part in Thai script spelled by
    the Royal Thai General System, lower case; None for a value that is not
    Thai letters alone. Computed once per distinct value."""
    if not ("\u0e01" <= value[:1] <= "\u0e4e" and THAI_NAME.match(value)):  # the first letter tells most names
        return None
    return _rtgs(value)


@lru_cache(maxsize=100_000)
def _rtgs(value: str) -> str | None:
    # NFKC (the standardized name) writes `ำ` as `ํ` and `า`
    text = _TONE_MARKS.sub("", _SILENT_SYLLABLE.sub("", value.replace("\u0e4d\u0e32", "ำ")))
    spelled: list[str] = []
    i, closed = 0, False  # closed: the last syllable ended on a consonant
    while i < len(text):
        syllable, i, closed = _syllable(text, i, closed)
        spelled.append(syllable)
    return "".join(spelled) or None


def _syllable(text: str, i: int, after_final: bool) -> tuple[str, int, bool]:
    """The syllable of `text` starting at `i`: (its spelling, where the next
    starts, whether it ends on a consonant)."""
    n = len(text)
    lead = text[i] if text[i] in LEADING_VOWELS else ""
    i += bool(lead)
    if i >= n or text[i] not in CONSONANTS:  # a stray mark
        return "", i + 1, False
    first = text[i]
    i += 1

    def starts_vowel(j: int) -> bool:
        return j < n and text[j] in FOLLOWING_VOWELS

    def can_end(j: int) -> bool:
        """The consonant at `j` may end a syllable: it starts no vowel of its own,
        and does not leave a consonant alone at the end (`ธนากร` tha-na-kon)."""
        alone_after = j + 2 == n and text[j + 1] in CONSONANTS
        return not (starts_vowel(j + 1) or text.startswith(("อ", "รร"), j + 1) or alone_after)

    # `เพชร`, `บุตร`, `วัตร`: a `ร` after a closed syllable, starting no vowel, is silent
    if first == "ร" and after_final and not lead and not starts_vowel(i) and not text.startswith("อ", i):
        return "", i, after_final
    initial = INITIAL_SOUNDS[first]
    if i < n and text[i] in CONSONANTS and (lead or starts_vowel(i + 1)):
        second = text[i]
        if first == "ห" and second in SILENT_H_BEFORE:
            initial, i = INITIAL_SOUNDS[second], i + 1
        elif first == "อ" and second == "ย":
            initial, i = "y", i + 1
        elif second == "ร" and first in SILENT_R_AFTER:
            i += 1
        elif second == "ร" and first == "ท":
            initial, i = "s", i + 1
        elif first in CLUSTER_FIRSTS and (second in "รล" or (second == "ว" and starts_vowel(i + 1))):
            initial, i = initial + INITIAL_SOUNDS[second], i + 1
    vowel = ""
    if lead == "เ":
        vowel, i = _match(text, i, _LEADING, "e")
    elif lead:
        vowel, i = {"แ": "ae", "โ": "o"}.get(lead, "ai"), i + (i < n and text[i] in "ะ็")
        if lead in "ใไ" and i < n and text[i] == "ย" and not starts_vowel(i + 1):
            i += 1  # `ไทย` thai
    else:
        vowel, i = _match(text, i, _FOLLOWING, "")
    if not vowel:
        if text.startswith("รร", i):  # `วรรณ` wan, `ธรรม` tham
            vowel, i = "a", i + 2
            if i >= n or text[i] not in CONSONANTS:
                return initial + "an", i, True
        elif i < n and text[i] == "อ" and not starts_vowel(i + 1):
            vowel, i = "o", i + 1  # `ทอง` thong
        elif i + 1 < n and text[i] == "ว" and text[i + 1] in CONSONANTS and not starts_vowel(i + 2):
            vowel, i = "ua", i + 1  # `ชวน` chuan
        elif i < n and text[i] in CONSONANTS and can_end(i):
            vowel = "o"  # `สม` som, `พร` phon: a closed syllable without a written vowel
        else:
            return initial + "a", i, False  # `ธนากร` tha-na-kon: an open syllable
    # a final consonant: one that starts no vowel of its own
    open_vowel = text[i - 1] == "ะ" or vowel in ("ai", "am", "ao", "oei")  # written with their own end
    closing = text[i - 1] == "ั" or can_end(i)  # `ั` is always followed by its final (`วัตร` wat)
    if i < n and text[i] in FINAL_SOUNDS and closing and not open_vowel and not (text[i] == "ว" and vowel[-1] in "ou"):
        # `ฐ`, `ฒ` end a syllable of a Pali word and start the next with `a` too (`ณัฐพล` nat-tha-phon),
        # unless a `th` is written there (`ณัฐธิดา` nat-thi-da)
        linked = "tha" if text[i] in "ฐฒ" and i + 1 < n and text[i + 1] in CONSONANTS.difference("ฐฑฒถทธ") else ""
        return initial + vowel + FINAL_SOUNDS[text[i]] + linked, i + 1, not linked
    return initial + vowel, i, vowel.endswith("am")


def _match(text: str, i: int, vowels: dict[str, str], default: str) -> tuple[str, int]:
    """The vowel of `vowels` written at `i` (longest first), and where it ends; `default` without one."""
    for signs in vowels:  # written longest first
        if text.startswith(signs, i):
            return vowels[signs], i + len(signs)
    return default, i


THAI_SPELLING_FOLDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^a-z]", ""),
        (r"v", "w"),  # `Vichai`, `Wichai`
        (r"(?<!n)g", "k"),  # `Gitti`, `Kitti`; `ng` stays
        (r"sr", "s"),  # `Srisuk`, RTGS `Sisuk`: `ศร` is `s`
        (r"j", "ch"),  # `Jaidee`, `Chaidee`: `จ`
        (r"tch", "ch"),  # `Petchsuwan`, `Phetsuwan`
        (r"([tpk])h", r"\1"),  # aspirates written or not: `Thanakorn`, `Tanakorn`
        (r"ch(?=[^aeiouy]|$)", "t"),  # a final `ช`, `ช` ... is `t`: `Piyanuch`, `Piyanut`
        (r"ch", "c"),
        (r"(?<=[aeiou])r(?![aeiou])", ""),  # an English `r` after a vowel: `Suchart`, `Thanakorn`, `Karnchana`
        (r"[sd]$", "t"),  # final `ส`, `ด`: `Wongsawas`, `Wongsawat`
        (r"l$", "n"),  # final `ล`: `Chaimongkol`, `Chaimongkhon`
        (r"ti$", "t"),  # a last `ติ`, `ธิ`, mostly silent (`ชาติ` Chat) and not always written (`กิตติ` Kitti, Kit)
        (r"uea|ue", "ua"),  # `เรือง`: `Rueang`, `Ruang`
        (r"oe", "e"),  # `เ-อ`, `เ-ิ`: `Prasoet`, `Prasert`
        (r"ee|ii", "i"),  # `Malee`, `Mali`
        (r"oo|ou", "u"),  # `Boonma`, `Bunma`; `Roungsri`
        (r"(?<=[aeiou])w(?![aeiou])", "o"),  # `Khamkaew`, `Khamkaeo`
        (r"ae", "a"),  # `Saengthong`, `Sangthong`
        (r"(?<=[aeiou])y(?![aeiou])", "i"),  # `Somchay`, `Somchai`
        (r"(.)\1+", r"\1"),  # doubled letters, from the folds too: `Boonmaa`, `Nattapon`
    )
)
"""What the Latin spellings of one Thai name write differently, folded to
one, in this order (applied to the RTGS spelling of a Thai name and to Latin
names alike)."""

THAI_KEY_MARK = "th:"
"""Starts every Thai spelling key: the keys share their column with the
folded Chinese and Korean spellings (`mk_*_cjk`), which they must not meet."""


def thai_spelling_key(value: str) -> str | None:
    """`ธนากร`, `Thanakorn`, `Tanakorn`, `Thanakon` -> `th:tanakon`;
    `คำแก้ว`, `Khamkaew`, `Kamkaew`, `Khamkaeo` -> `th:kamkao`: the folded
    spelling (`THAI_SPELLING_FOLDS`) of a name part in Thai script (by its
    `rtgs` spelling) or in Latin letters. None for other scripts, and for a
    name the folds leave without letters."""
    if THAI_NAME.match(value):
        spelled = rtgs(value)
    elif value.isascii():
        spelled = value.lower()
    else:
        return None
    if not spelled:
        return None
    for pattern, replacement in THAI_SPELLING_FOLDS:
        spelled = pattern.sub(replacement, spelled)
    return THAI_KEY_MARK + spelled if spelled else None
