"""Latin-script person names: where the family name starts in a full name,
and which spelling of each part is compared.

Rules work on one (distinct) cleaned value at a time; leading honorifics are
already stripped (`text.strip_honorifics`). A generational or professional
suffix (`Jr.`, `III`, `PhD`) is no part of either name; family-name particles
(`van der`, `de la`, `St.`) belong to the family name; a Spanish/Portuguese
double surname keeps both surnames (`García López`); the given name compared
is the first given name, without middle names or initials (`William J.` ->
`william`), so records with and without a middle name agree, but with the
name after a compound's lead (`Mohammed Shahidul`, `María Guadalupe`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import polars as pl

from resolution.given_names import (
    NEVER_ALONE,
    compound_given_name,
    names_of,
    one_spelling,
)
from resolution.standardization.filipino_names import (
    FILIPINO_FAMILY_NAMES,
    without_middle_name,
)
from resolution.standardization.text import LATIN_HONORIFICS
from resolution.standardization.transliteration import without_accents
from resolution.standardization.vietnamese_names import split_vietnamese_name

NAME_SUFFIXES = (
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "dds", "dvm", "mba", "cpa", "obe", "mbe", "cbe", "kc", "qc",
)  # fmt: skip
"""Suffixes after a name, compared without dots (`Ph.D.` = `phd`)."""

FAMILY_NAME_PARTICLES = frozenset(
    {"van", "von", "vom", "zu", "zum", "zur", "der", "den", "ter", "ten", "de", "del", "della", "degli", "dela",
     "delos", "delas", "di", "da", "das", "do", "dos", "du", "des", "la", "le", "lo", "bin", "ibn", "al", "el", "st",
     "ste", "saint"}
)  # fmt: skip
"""Lower-case words (dot dropped: `St.` = `st`) that start a family name
(`van Dijk`, `de la Cruz`). `O'Brien`, `D'Angelo` are one word already."""

IBERIAN_FAMILY_NAMES_FILE = "data/iberian_family_names.txt"

JOINED_ARTICLE_PARTICLES = ("dela", "delos", "delas")
"""`de la`, `de los`, `de las` written as one word, as Filipino names write
them (`Dela Cruz`, `Delos Santos`), and often joined to the surname too
(`Delacruz`, `DELOSSANTOS`): one family name that `De la Cruz` writes
Spanish-style, keyed alike (`compared_surnames`)."""

_JOINED_ARTICLE = re.compile(r"^(?:" + "|".join(JOINED_ARTICLE_PARTICLES) + r")(?=[^\W\d_]{4,}$)", re.IGNORECASE)
"""A joined particle before a surname of four letters or more (`Delacruz`,
`Delossantos`; not `Delano`)."""

DROPPED_PARTICLES = frozenset({"de", "del", "da", "das", "do", "dos", *JOINED_ARTICLE_PARTICLES})
"""The Spanish and Portuguese particles (`de`, `da`, `dos` ...; `la`, `las`,
`los` after `de`; `Dela`, `Delos` of Filipino names) a family name is
compared without: exports write them or leave them out (`Pereira de Souza`,
`PEREIRA SOUZA`), before either surname (`de Souza das Neves`) or joined by
a hyphen (`Gómez-de León`). Other particles (`van`, `von`, `le`, `St.`)
stay: `van Dijk` is keyed `vandijk`."""

SURNAME_AGNOMES = {
    "filho": "jr", "fo": "jr", "fº": "jr", "f°": "jr", "junior": "jr", "júnior": "jr", "hijo": "jr",
    "neto": "neto", "sobrinho": "sobrinho", "fils": "jr", "père": "sr", "pere": "sr",
}  # fmt: skip
"""Portuguese, Spanish and French words after the surnames that tell a son
(`Filho`, `Júnior`, `hijo`, `Fils`: `jr`), a father (`Père`: `sr`), a grandson
(`Neto`) or a nephew (`Sobrinho`) from the relative he is named after: no
family name (`ANTÔNIO NUNES ARAÚJO FILHO` is an Araújo, `Diallo Khady Père` no
Père), kept as the generational suffix. Only after a surname: `Ana Neto`
is a Neto. Brazilian systems abbreviate Filho `FO.`, `Fº` (which NFKC, and so
a cleaned name, writes `Fo`) or `F°`: read as Filho, they had made `FO` the
family name (`RAFAEL LIMA FO.`) and no son of his father."""

ARABIC_FAMILY_PARTICLES = frozenset({"ben", "ould", "ait", "aït"})
"""Arabic and Berber words that start a Maghrebi family name and belong to
it (`Ben Ali`, `Ould Abbes`, `Aït Ahmed`), written joined too (`BENALI`): kept
and keyed with it (`benali`, as `el` and `al` of `El Amrani` are). Not among
`FAMILY_NAME_PARTICLES`, which also read lists (`Smith, Ben` is a Ben)."""

LEADING_FAMILY_PARTICLES = frozenset({"el", "ould", "ait", "aït"})
"""Particles that no given name is (`El Amrani Fatima-Zahra`, `Ould Abbes
Yasmine`): a name of three words or more that starts with one is family
first, as French-speaking exports write `NOM Prénom`. `Ben` and `Bin` do so
only in a Maghrebi record (`MAGHREB_COUNTRIES`): elsewhere `Ben` is a given
name (`Ben James Carter`), and `bin` never starts a Malaysian or Gulf name.
`Abou` is left out: West Africa gives it as a given name (`Abou Diallo`)."""

MAGHREB_COUNTRIES = frozenset({"MA", "DZ", "TN", "LY", "MR"})
"""Countries whose family names start with `Ben` (`BEN ALI`, `Ben Salah`),
also written `Bin` (`BIN ALI`): there `bin` is that particle (`Ben`), not a
Malaysian or Gulf patronymic's marker (`Azman bin Amir`: the father's name).
A name of theirs that starts with `Ben`/`Bin` is family first."""

FAMILY_FIRST_COUNTRIES = frozenset({"JP", "CN", "KR", "TW", "VN"})
"""Countries whose sources write a name in capitals family first, as the
passport does (`SMITH JOHN`, `WANG WEI`, `NGUYEN VAN AN`): a hotel or airline
system there copies the passport's order, whatever the guest's nationality."""

_NOT_LATIN_NAME_CHARACTER = re.compile(r"[^a-z0-9]")
# Letters NFKD does not decompose.
LATIN_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i"})
# Each letter of a suffix may be followed by a dot (`Ph.D.`, `M.D.`).
_SUFFIX_PATTERNS = ("".join(re.escape(c) + r"\.?" for c in suffix) for suffix in NAME_SUFFIXES)
_SUFFIXES_AT_END = re.compile(r"(?:[\s,]+(?:" + "|".join(_SUFFIX_PATTERNS) + r"))+$", re.IGNORECASE)
# `J`, `J.`, `J.R.`: one letter, or letters each followed by a dot.
_AGNOME_AT_END = re.compile(r"[\s,]+(" + "|".join(map(re.escape, SURNAME_AGNOMES)) + r")\.?$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]\.?$")


_NAME_CHARACTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd", "Mn", "Mc"})
"""Letters, digits and the marks `without_accents` keeps (Thai vowels and
tones) of every script; modifier letters (`ʼ`, `ʻ` written as apostrophes)
are not among them."""

HANGUL_NAME = re.compile(r"^[\uac00-\ud7a3]+(?: [\uac00-\ud7a3]+)*$")
KOREAN_TWO_SYLLABLE_FAMILY_NAMES = frozenset({"남궁", "황보", "제갈", "사공", "선우", "서문", "독고", "동방"})


def latin_name(value: str) -> str | None:
    """`José` -> `jose`, `O'Brien` -> `obrien`, `Smith-Jones` -> `smithjones`:
    lower-case, accents stripped, everything but letters and digits dropped.
    Letters of other scripts are kept (`Иванов` -> `иванов`, `Παπαδόπουλος`
    -> `παπαδοπουλος`, `김민준`; `й` and `ї` keep their marks, which make
    letters of their own: `transliteration.without_accents`): the name is all
    a record may have of its person."""
    # NFC after the accents are gone puts back the Hangul syllables NFKD took apart
    stripped = without_accents(unicodedata.normalize("NFKD", value.lower().translate(LATIN_LETTERS)))
    if stripped.isascii():
        return _NOT_LATIN_NAME_CHARACTER.sub("", stripped) or None
    return "".join(c for c in stripped if unicodedata.category(c) in _NAME_CHARACTER_CATEGORIES) or None


def split_hangul_full_name(full: str) -> tuple[str, str] | None:
    """(family, given) of a Korean name in Hangul, family first: the first
    word of a spaced name (`김 민준`); of an unspaced one the first syllable,
    or the first two for a two-syllable family name (`남궁민수`)."""
    words = full.split(" ")
    if len(words) > 1:
        return words[0], "".join(words[1:])
    if len(full) < 2:
        return None
    size = 2 if len(full) > 2 and full[:2] in KOREAN_TWO_SYLLABLE_FAMILY_NAMES else 1
    return full[:size], full[size:]


@cache
def iberian_family_names() -> frozenset[str]:
    """The bundled Spanish/Portuguese family names (`IBERIAN_FAMILY_NAMES_FILE`)."""
    text = resources.files("resolution.standardization").joinpath(IBERIAN_FAMILY_NAMES_FILE).read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def without_name_suffixes(value: str, words_before_agnome: int = 2) -> str:
    """`Sean Taylor, Jr.` -> `Sean Taylor`, `DAVIES, José J. III` ->
    `DAVIES, José J.`, `PAULO TEIXEIRA RAMOS JÚNIOR` -> `PAULO TEIXEIRA
    RAMOS`: trailing `NAME_SUFFIXES` dropped (with the commas and spaces
    before them), and a `SURNAME_AGNOMES` word after at least
    `words_before_agnome` words (2 in a full name, a given name and a
    surname: `Ana Neto` keeps its Neto; 1 in a family name, `Rocha Neto`). A
    value that is nothing but a suffix is kept.

    A name written as a sorted list (`Family, Given`: one comma left) also
    loses those that end its family name, as a family name column would
    (`Smith Jr., John` -> `Smith, John`, `SILVA FILHO, JOSE` -> `SILVA,
    JOSE`): read as part of the family name, Filho had made a son's family
    name another than his father's."""
    value = _without_trailing_suffixes(value, words_before_agnome)
    family, comma, given = value.partition(",")
    if comma and "," not in given and given.strip():
        return _without_trailing_suffixes(family.rstrip(), 1) + comma + given
    return value


def _without_trailing_suffixes(value: str, words_before_agnome: int) -> str:
    """`without_name_suffixes` at the end of `value` alone."""
    while True:
        value = _SUFFIXES_AT_END.sub("", value).rstrip(" ,") or value
        agnome = _AGNOME_AT_END.search(value)
        if agnome is None or len(value[: agnome.start()].split()) < words_before_agnome:
            return value
        value = value[: agnome.start()]


GENERATIONAL_SUFFIXES = ("jr", "sr", "ii", "iii", "iv", "neto", "sobrinho")
"""The `NAME_SUFFIXES` and `SURNAME_AGNOMES` that tell a father from his son
of one name (`jr`, `sr`; `ii`, `iii`; `Filho` and `Júnior` are `jr`, `Neto` a
grandson's, `Sobrinho` a nephew's): kept as the record's `std_name_suffix`.
Academic and professional ones (`PhD`, `MD`) say nothing about who the person is."""


def generational_suffix(name: pl.Expr, words_before_agnome: int | None = 2) -> pl.Expr:
    """The generational suffix (`GENERATIONAL_SUFFIXES`, lower case without
    dots) among a cleaned name's trailing `NAME_SUFFIXES` (those
    `without_name_suffixes` drops), else its trailing `SURNAME_AGNOMES` word
    after `words_before_agnome` words (None: no agnome, as in a given name):
    `Miles, Jeremy Sr.` -> `sr`, `JEREMY MILES JR` -> `jr`, `King, Emma III,
    PhD` -> `iii`, `CAIO RODRIGUES ROCHA FILHO` -> `jr`, `Fábio Rocha Neto` ->
    `neto`, `Ann Lee, PhD`, `Ana Neto` and `Lee` -> null. A polars expression
    over a text column: no Python per value."""
    suffix = _trailing_generational_suffix(name, words_before_agnome)
    if words_before_agnome is None:
        return suffix
    # `Smith Jr., John`, `SILVA FILHO, JOSE`: the suffix ends the family name of a sorted list
    core = name.str.replace("(?i)" + _SUFFIXES_AT_END.pattern, "").str.strip_chars(" ,")
    family = core.str.extract(r"^([^,]*[^\s,])\s*,[^,]*[^\s,][^,]*$", 1)
    return pl.coalesce(suffix, _trailing_generational_suffix(family, 1))


def written_suffixes(name: pl.Expr, words_before_agnome: int | None) -> pl.Expr:
    """The end of a cleaned name that `without_name_suffixes` drops, as
    written and with the comma or space before it (`Miles Jr.` -> ` Jr.`,
    `John, Jr.` -> `, Jr.`, `Rocha Neto` -> ` Neto` with
    `words_before_agnome` 1; None: no agnome, as in a given name); null
    where there is none. A polars expression over a text column."""
    core = name.str.replace("(?i)" + _SUFFIXES_AT_END.pattern, "").str.strip_chars_end(" ,")
    if words_before_agnome is not None:
        agnome = core.str.contains("(?i)" + _AGNOME_AT_END.pattern) & (core.str.count_matches(r"\S+") > words_before_agnome)
        core = pl.when(agnome).then(core.str.replace("(?i)" + _AGNOME_AT_END.pattern, "")).otherwise(core)
    kept = core.str.len_chars()
    return pl.when((kept > 0) & (kept < name.str.len_chars())).then(name.str.slice(kept))


def _trailing_generational_suffix(name: pl.Expr, words_before_agnome: int | None) -> pl.Expr:
    """`generational_suffix` of the end of `name` alone."""
    trailing = name.str.extract("(?i)(" + _SUFFIXES_AT_END.pattern + ")", 1)
    words = trailing.str.replace_all(".", "", literal=True).str.replace_all(r"[\s,]+", " ").str.to_lowercase()
    suffix = words.str.split(" ").list.eval(pl.element().filter(pl.element().is_in(GENERATIONAL_SUFFIXES))).list.first()
    if words_before_agnome is None:
        return suffix
    core = name.str.replace("(?i)" + _SUFFIXES_AT_END.pattern, "").str.strip_chars(" ,")
    agnome = core.str.extract("(?i)" + _AGNOME_AT_END.pattern, 1).str.to_lowercase()
    after_surname = core.str.count_matches(r"\S+") > words_before_agnome
    return pl.coalesce(suffix, pl.when(after_surname).then(agnome.replace_strict(SURNAME_AGNOMES, default=None)))


def given_first(name: pl.Expr) -> pl.Expr:
    """A Latin full name written as a sorted list writes it (`Larsen, Nicole`,
    `Smith, John Jr.`, `Smith, John, PhD`) in the order it is spoken: `Nicole
    Larsen`, `John Smith Jr.`, `John Smith, PhD` (trailing `NAME_SUFFIXES`
    stay at the end, with the comma or space before them). Only a name of one
    comma between two parts: a family name with its particles after it
    (`Berg, van der`), and anything else, stay as they are. A polars
    expression over a text column."""
    suffixes = "(?i)" + _SUFFIXES_AT_END.pattern
    trailing = name.str.extract("(" + suffixes + ")", 1).fill_null("")
    core = name.str.replace(suffixes, "").str.strip_chars(" ,")
    family = core.str.extract(r"^([^,]*[^\s,])\s*,", 1)
    given = core.str.extract(r",\s*([^,\s][^,]*)$", 1)
    particles_only = (
        given.str.to_lowercase().str.replace_all(".", "", literal=True).str.split(" ")
        .list.eval(pl.element().is_in(sorted(FAMILY_NAME_PARTICLES))).list.all()
    )
    swapped = pl.concat_str([given, pl.lit(" "), family, trailing])
    one_comma = core.str.count_matches(",", literal=True) == 1
    return pl.when(one_comma & family.is_not_null() & given.is_not_null() & ~particles_only).then(swapped).otherwise(name)


def particles_first(family: str) -> str:
    """`Berg, van der` -> `van der Berg`, `Pasman, van` -> `van Pasman`: a
    family name written as a sorted list writes it (`Surname, particles`),
    in the order it is spoken; a family name whose words after the comma are
    not all `FAMILY_NAME_PARTICLES` is left as it is."""
    name, comma, after = family.partition(",")
    words = after.split()
    if comma and name.strip() and words and all(_word_key(word) in FAMILY_NAME_PARTICLES for word in words):
        return " ".join([*words, name.strip()])
    return family


def _without_joined_article(word: str) -> str:
    """`Delacruz` -> `cruz`, `DELOSSANTOS` -> `SANTOS`: a joined article dropped
    where what follows is a Filipino or Iberian surname
    (`filipino_names.FILIPINO_FAMILY_NAMES`, `iberian_family_names`); French
    names that start so stay whole (`Delattre` was keyed `ttre`, `Delacroix`
    `croix`)."""
    rest = _JOINED_ARTICLE.sub("", word)
    if rest == word:
        return word
    key = _word_key(rest)
    return rest if key in FILIPINO_FAMILY_NAMES or key in iberian_family_names() else word


def compared_surnames(family: str) -> str:
    """The words of a family name that are compared: without
    `DROPPED_PARTICLES` (and `la`, `las`, `los` after `de`), hyphens read as
    spaces, in the order written: `Pereira de Souza` -> `Pereira Souza`, `de
    Souza das Neves` -> `Souza Neves`, `Gómez-de León` -> `Gómez León`,
    `Hernández de la Cruz` -> `Hernández Cruz`, `Dela Cruz` and `Delacruz`
    -> `Cruz` (`JOINED_ARTICLE_PARTICLES`), `van Dijk` -> `van Dijk`,
    `bin Yusof` -> `Yusof` (`MALAY_PATRONYMIC_MARKERS`). The
    same written surname gives the same words whatever the record's country,
    case or particles; a name of nothing but particles is left as it is."""
    words = [_without_joined_article(word) for word in family.replace("-", " ").split()]
    if len(words) > 1 and _word_key(words[0]) in MALAY_PATRONYMIC_MARKERS:
        words = words[1:]  # `bin Yusof`: the father's name
    kept = []
    for index, word in enumerate(words):
        key = _word_key(word)
        after_de = index > 0 and _word_key(words[index - 1]) in DROPPED_PARTICLES
        if key not in DROPPED_PARTICLES and not (after_de and key in ("la", "las", "los")):
            kept.append(word)
    return " ".join(kept) if kept else family


VIETNAMESE_MIDDLE_NAMES = frozenset({"van", "thi"})
"""`Văn` and `Thị`, the middle names most Vietnamese men and women carry
before their given name (`Nguyễn Văn An`, `Trần Thị Hoa`): compared, they
made every Vietnamese man of one family name share the given name `van`."""


COMPOUND_CONNECTORS = frozenset({"de", "da", "das", "do", "dos", "del", "la", "las", "los"})
"""Words between the names of a Spanish or Portuguese compound given name
(`María de los Ángeles`, `Maria das Graças`): skipped, the name after them
is the compound's."""

MALAY_PATRONYMIC_MARKERS = frozenset({"bin", "binti", "binte", "bte", "bt", "a/l", "a/p", "s/o", "d/o"})
"""Words between a Malaysian or Singaporean's own name and the father's name
that stands for a family name (`Ahmad bin Ismail`, `Siti binti Tarudin`,
`Muthu a/l Rajan`, `PRIYA A/P ARUMUGAM`, `Ravi s/o Kumar`): the same person
is `Ahmad Ismail` elsewhere, and `bin Ismail` in a last-name column. The
father's name is the family name compared (`compared_surnames`), without it."""

PATRONYMIC_MARKERS = frozenset({"bint", "ibn", "ben", "al", "el", *MALAY_PATRONYMIC_MARKERS})
"""Words after which a given name's next word is the father's (`Mohammed bin
Rashid`, `Ravi s/o Kumar`) or a family name's (`al`, `ben`: `Mohamed Ben
Salah`): no part of a compound."""


def compared_given_name(value: str) -> str | None:
    """The standardized given name compared: `latin_name` of its first
    word that is neither a title (`LATIN_HONORIFICS`), an initial, nor a
    Vietnamese middle name before another word (`VIETNAMESE_MIDDLE_NAMES`)
    (else of its first word): `William J.` -> `william`, `J. Robert` ->
    `robert`, `Dr. Sean Jr.` -> `sean`, `Văn An` -> `an`, `J.R.` -> `jr`;
    so records with and without a middle name agree. Where that word
    leads a compound (`given_names.LEAD_NAMES`), the compound up to its
    first name that is no lead (`given_names.compound_given_name`):
    `Mohammed Shahidul` -> `mohammed-shahidul`, `Md. Abdur Rahman` ->
    `mohammed-abdulrahman`, `María de los Ángeles` -> `maria-angeles`,
    `Mohammed bin Rashid` -> `mohammed`, `Muhammad` -> `mohammed`. The words
    after the lead stop at an initial or a `PATRONYMIC_MARKERS` word and skip
    `COMPOUND_CONNECTORS`."""
    names = _given_names(value)
    start = next((i for i, word in enumerate(names) if not _INITIALS.match(word)), None)
    if start is None:
        return latin_name(names[0] if names else value)
    words: list[str] = []
    for word in names[start:]:
        key = _word_key(word)
        if words and (key in PATRONYMIC_MARKERS or _INITIALS.match(word)):
            break
        if not words or key not in COMPOUND_CONNECTORS:
            words.append(latin_name(word) or "")
    return compound_given_name(words) or None


def _given_names(value: str) -> list[str]:
    """The words of a given name without suffixes, titles (`LATIN_HONORIFICS`)
    and a Vietnamese middle name before another word (`VIETNAMESE_MIDDLE_NAMES`)."""
    words = [word for word in without_name_suffixes(value).replace(",", " ").split() if word]
    if not words:
        return []
    names = [word for word in words if _word_key(word) not in LATIN_HONORIFICS] or words
    if len(names) > 1 and without_accents(_word_key(names[0])) in VIETNAMESE_MIDDLE_NAMES:
        names = names[1:]
    return names


def split_latin_full_name(
    full: str,
    family_first: frozenset[str] | None = None,
    capitals_family_first: bool = False,
    maternal_middle_name: bool = False,
    name_order: str | None = None,
    maghrebi: bool = False,
    cyrillic_country: bool = False,
) -> tuple[str | None, str] | None:
    """(family, given) from a Latin full name, or None when it cannot be split.

    A name of one word (titles and suffixes aside) is a given name alone,
    family None (`ROKEYA`, `MRS. REVATHI`, `Madonna Jr.`): a customer known
    by one name (Tamil, Javanese, Burmese customers, or a cashier who typed
    only the first name). Left unsplit, the record had no name part to
    compare and its golden record no name. So is a name of two words led by
    a name that is never one alone (`given_names.NEVER_ALONE`: `ABDUL HANNAN`).

    Suffixes are dropped first. `Family, Given` (a particle at the end of the
    given part moves to the family: `Dijk, David van` -> `van Dijk`); a run
    of ALL-CAPS words at the start or end is the family name (`OKADA Naomi`,
    `Maria DE SOUZA`); a name in `family_first` (romanized family names, for
    a Japanese record) first, and not last, means family-first (`Yamada Taro`);
    with `capitals_family_first` (a source of `FAMILY_FIRST_COUNTRIES`) a name
    all in capitals is family first, the family name taking its particles and,
    when both are common Spanish/Portuguese surnames, the surname after it
    (`VAN DER BERG JAN`, `GARCIA LOPEZ MARIA`, `NGUYEN VAN AN`); otherwise `Given [Middle] Family` where the family name takes the
    particles before it (`David van der Berg`) and, when both are common
    Spanish/Portuguese surnames, the surname before it (`María García López`).
    The given part keeps middle names; `compared_given_name` picks the one compared.
    A name in Hangul is family-first (`split_hangul_full_name`).

    Two kinds of name tell their order themselves, before case and
    particles are looked at: a Malaysian patronymic is given name first, the
    father's name after its marker the family name (`AZMAN BIN AMIR`,
    `Muthu a/l Rajan`: `MALAY_PATRONYMIC_MARKERS`); a name with a common
    Vietnamese family name at one end is read by
    `vietnamese_names.split_vietnamese_name` (`Tran Van Son`, `LE THI DUNG`,
    `Son Nguyen`), with `capitals_family_first` standing for a source of a
    family-first country: a wallet of Vietnam holds Thais and Malaysians too,
    and `Nguyễn Văn Sơn` is family first in any case.

    Where case tells nothing (a name all in capitals or none), the source's
    `name_order` (`nayose_config.SourceConfig.name_order`; None is `auto`) decides: `family_first`
    reads `Diallo Khady` family first, `given_first` reads `SMITH JOHN`
    given first whatever `capitals_family_first` and `family_first` say. In
    `auto` (and `family_first`), a name of three words or more that starts
    with a `LEADING_FAMILY_PARTICLES` word, or with `Ben` in a `maghrebi`
    record, is family first (`El Amrani Fatima-Zahra`, `Ben Ali Mohamed`).
    `ARABIC_FAMILY_PARTICLES` stay with their family name (`Mohamed Ben Ali`).
    In `auto`, a Latin name of two or three words of a `cyrillic_country`
    record has its family name where its surname is, first or last
    (`_slavic_surname_either_end`: `NURLANOV ASKAR`, `Askar Nurlanov`).
    """
    if HANGUL_NAME.match(full):
        return split_hangul_full_name(full)
    full = without_name_suffixes(full)
    if "," in full:
        family, _, given = (part.strip() for part in full.partition(","))
        words = given.split(" ")
        start = _particles_before(words, len(words))
        if start < len(words):
            family, given = " ".join([*words[start:], family]), " ".join(words[:start])
        return (family, given) if family and given else None
    words = full.split(" ")
    if len(words) < 2:
        return (None, words[0]) if words[0] else None
    named = [word for word in words if _word_key(word) not in LATIN_HONORIFICS]
    if len(named) == 1 or (len(named) == 2 and one_spelling(latin_name(named[0]) or "") in NEVER_ALONE):
        return None, " ".join(named)
    if name_order == "given_first":
        capitals_family_first, family_first = False, None
    elif name_order == "family_first":
        capitals_family_first = True
    patronymic = _malay_patronymic(named) or _east_slavic_patronymic(named)
    if patronymic is not None:
        return patronymic
    surname = _slavic_surname_either_end(named) if cyrillic_country and name_order is None else None
    if surname is not None:
        return surname
    vietnamese = split_vietnamese_name(named, capitals_family_first)
    if vietnamese is not None:
        return vietnamese
    # imported here: cjk_names imports (through other_scripts and arabic_names) this module
    from resolution.standardization.cjk_names import chinese_family_name_first

    chinese = chinese_family_name_first(named)
    if chinese is not None:
        return chinese
    capitals = [_is_capitalized_name(word) for word in words]
    # a name written all in capitals, initials included (`PATRICIA S PAUL`), has no capital family name
    # to tell: the initial is no lower-case word, and it made `PATRICIA` the family name
    all_capitals = all(word.isupper() or not any(c.isalpha() for c in word) for word in words)
    if not all_capitals:
        leading = next(i for i, capital in enumerate(capitals) if not capital)
        if leading:
            return " ".join(words[:leading]), " ".join(words[leading:])
        trailing = next(i for i, capital in enumerate(reversed(capitals)) if not capital)
        if trailing:
            start = _particles_before(words, len(words) - trailing)
            return " ".join(words[start:]), " ".join(words[:start])
    leading_particle = _word_key(named[0]) in LEADING_FAMILY_PARTICLES or (maghrebi and _word_key(named[0]) == "ben")
    if name_order == "family_first" or (capitals_family_first and all_capitals) or (
        name_order != "given_first" and leading_particle and len(named) > 2
    ):
        end = _family_end(words)
        return " ".join(words[:end]), " ".join(words[end:])
    if family_first and latin_name(words[0]) in family_first and latin_name(words[-1]) not in family_first:
        return words[0], " ".join(words[1:])
    start = _family_start(words, double_surname=not maternal_middle_name)
    given = without_middle_name(words[:start], FAMILY_NAME_PARTICLES) if maternal_middle_name else words[:start]
    return " ".join(words[start:]), " ".join(given)


EAST_SLAVIC_PATRONYMIC = re.compile(
    r"^[^\W\d_]+(?:ович|евич|ьич|овна|евна|ична|инична|івна|ївна|ұлы|улы|қызы|кызы)$", re.IGNORECASE
)
"""A patronymic in Cyrillic: Russian, Ukrainian, Belarusian (`Петрович`,
`Сергеевна`, `Ільїч`, `Іванівна`), Kazakh (`Болатұлы`, `Нұрланқызы`)."""

LATIN_PATRONYMIC = re.compile(r"^[a-z]+(?:ovich|evich|ovych|evych|ovna|evna|ivna)$", re.IGNORECASE)
"""A patronymic transliterated (`Petrovich`, `Sergeevna`, `Ivanivna`), read as
one only after a surname of Russian or Ukrainian shape (`EAST_SLAVIC_SURNAME`):
`Ana Maria Petrovich` is no Petrovich's daughter Ana."""

KAZAKH_LATIN_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:uly|uli|kyzy|qyzy|kizi)$", re.IGNORECASE)
"""A Kazakh patronymic transliterated (`Bolatuly`, `Nurlankyzy`), read as one
only as the last of three words after a surname of Russian shape
(`NURLANOV ASKAR BOLATULY`, as `Нурланов Аскар Болатұлы`); of two words it is
the family name many Kazakhs took (`BOLATULY ERLAN`: `LATIN_SURNAME`)."""

EAST_SLAVIC_SURNAME = re.compile(r"^[a-z]+(?:ov|ev|in|ova|eva|ina|sky|skiy|skii|skaya|enko|uk|chuk|ko)$", re.IGNORECASE)


def _east_slavic_patronymic(words: list[str]) -> tuple[str, str] | None:
    """(`Иванов`, `Иван Петрович`) of `Иванов Иван Петрович`: a name of three
    words whose last is a patronymic is family name, given name, patronymic,
    the order of a Russian, Ukrainian or Kazakh form (`Фамилия Имя
    Отчество`), in any case; one whose middle word is, given name,
    patronymic, family name (`Иван Петрович Иванов`). The patronymic stays
    with the given name, as a middle name. Read by the rule of the last word
    (`Фамилия`) they split backwards (family `петрович`, given `иванов`), and
    twins of one patronymic had one key."""
    if len(words) == 2:
        return _east_slavic_surname_first(words)
    if len(words) != 3:
        return None

    def patronymic(word: str, surname: str) -> bool:
        return bool(EAST_SLAVIC_PATRONYMIC.match(word)) or (
            bool(LATIN_PATRONYMIC.match(word)) and bool(EAST_SLAVIC_SURNAME.match(surname))
        )

    kazakh = bool(KAZAKH_LATIN_PATRONYMIC.match(words[2]) and EAST_SLAVIC_SURNAME.match(words[0]))
    last, middle = patronymic(words[2], words[0]) or kazakh, patronymic(words[1], words[2])
    if last and not middle:
        return words[0], " ".join(words[1:])
    if middle and not last:
        return words[2], " ".join(words[:2])
    return None


CYRILLIC_SURNAME = re.compile(r"^[\u0400-\u04ff]{2,}(?:ов|ев|ёв|ова|ева|ёва|ский|ская|цкий|цкая|енко|ук|юк|чук)$", re.IGNORECASE)
"""A Cyrillic word of five letters or more shaped as a surname is (`Петров`,
`Иванова`, `Шевченко`, `Ковальчук`): no given name ends so (`Лев` is short;
the endings `-ин`, `-ина` are left out, as `Валентин`, `Марина` end so)."""


def _east_slavic_surname_first(words: list[str]) -> tuple[str, str] | None:
    """(`Шевченко`, `Алёна`) of `Шевченко Алёна` and of `Алёна Шевченко`: of
    two Cyrillic words, the one shaped as a surname (`CYRILLIC_SURNAME`) is
    the family name, written first or last (a form's `Фамилия Имя`, a shop's
    `Имя Фамилия`); None when both or neither are."""
    shaped = [bool(CYRILLIC_SURNAME.match(word)) for word in words]
    if shaped == [True, False]:
        return words[0], words[1]
    if shaped == [False, True]:
        return words[1], words[0]
    return None


LATIN_SURNAME = re.compile(
    r"^[a-z][a-z'-]+(?:ov|ev|ova|eva|ow|ew|owa|ewa|sky|skiy|skii|skyi|skyy|ski|skaya|skaia|ska|enko|uk|chuk|yuk"
    r"|uly|uli|kyzy|qyzy|kizi|uulu)$"
)
"""A Latin word shaped as an East Slavic, Bulgarian or Central Asian surname
(`Nurlanov`, `Bekmukhanova`, `Seytkaliev`, German `Petrow`, `Kovalskyi`,
`Shevchenko`, `Kovalchuk`, Kazakh `Bolatuly`, `Nurlankyzy`), two letters or
more before its ending (`Lev`, `Eva` are given names). A given name of that
shape is known (`Yakov`, `Lyubov`: `_known_given_name`)."""

LATIN_SURNAME_IN = re.compile(r"^[a-z][a-z'-]+(?:in|ina|yn|yna)$")
"""A Latin word ending as the surnames `Sorokin`, `Pushkina`, `Ilyin` do,
and as many given names do too (`Marina`, `Valentin`, `Kevin`, `Madina`):
a surname only beside a known given name (`_slavic_surname_either_end`)."""

SURNAME_SHAPED_GIVEN_NAMES = frozenset(
    {
        "robin", "colin", "gavin", "karin", "dustin", "quentin", "sabina", "carolina", "albina", "selina",
        "adelina", "madina", "zarina", "amina", "karina", "ramina", "amin", "ramin", "yasin", "alin", "aydin",
        "aidyn", "nuriddin", "zainiddin", "kamoliddin", "faruk", "lev", "eva",
    }
)  # fmt: skip
"""Given names of a surname's shape that the given-name tables
(`given_names.names_of`) do not know: English (`Robin`, `Colin`) and
Central Asian (`Madina`, `Zarina`, `Aidyn`, `Nuriddin`, `Faruk`)."""


def _known_given_name(key: str) -> bool:
    return key in SURNAME_SHAPED_GIVEN_NAMES or names_of(key) is not None


def _slavic_surname_either_end(words: list[str]) -> tuple[str, str] | None:
    """(`NURLANOV`, `ASKAR`) of `NURLANOV ASKAR` and of `ASKAR NURLANOV`: of
    a Latin name of two or three words of a record of a country writing
    Cyrillic, the one word at either end shaped as a surname (`LATIN_SURNAME`)
    is the family name, the others the given name, where no other word is;
    a word ending `-in`/`-ina` (`LATIN_SURNAME_IN`) is the family name only
    when no word has that shape and every other is a known given name
    (`SOROKINA IRINA`). A known given name (`_known_given_name`: `Yakov`,
    `Kevin`, `Marina`) and a patronymic (`Petrovich`, `Ilyich`,
    `Sergeevna`) are never family names. A Kazakh bank writes passport
    names family first in capitals (`BEKMUKHANOV DANIIAR`), a Russian
    export its transliterations too (`IVANOV IVAN`), a shop the other way
    round: read by the rule of the last word, twins of one family name had
    one key, and one person's Cyrillic and Latin records disagreed. None
    when the shapes tell nothing (no surname, two, or one in the middle)."""
    if len(words) not in (2, 3):
        return None
    keys = [without_accents(_word_key(word)) for word in words]
    named = [
        None if LATIN_PATRONYMIC.match(key) or key.endswith("ich") or _known_given_name(key) else key for key in keys
    ]
    shaped = [i for i, key in enumerate(named) if key and LATIN_SURNAME.match(key)]
    if not shaped:
        ending_in = [i for i, key in enumerate(named) if key and LATIN_SURNAME_IN.match(key)]
        others_known = len(ending_in) == 1 and all(named[i] is None for i in range(len(words)) if i != ending_in[0])
        shaped = ending_in if others_known else []
    if len(shaped) != 1 or shaped[0] not in (0, len(words) - 1):
        return None
    family = shaped[0]
    return words[family], " ".join(word for i, word in enumerate(words) if i != family)


def _malay_patronymic(words: list[str]) -> tuple[str, str] | None:
    """(`bin Amir`, `AZMAN`) of `AZMAN BIN AMIR`: a name with a
    `MALAY_PATRONYMIC_MARKERS` word between its own name and the father's,
    given name first whatever its case or its source's country. Not when a
    family-name particle follows (`Mohammed bin Rashid Al Maktoum`: an Arab's
    family name is `Al Maktoum`)."""
    marker = next((i for i, word in enumerate(words[1:-1], 1) if _word_key(word) in MALAY_PATRONYMIC_MARKERS), None)
    if marker is None or any(_word_key(word) in FAMILY_NAME_PARTICLES for word in words[marker + 1 :]):
        return None
    return " ".join(words[marker:]), " ".join(words[:marker])


def _family_start(words: list[str], double_surname: bool = True) -> int:
    """Index of the first family-name word of `Given [Middle] Family`; with
    `double_surname`, of a Spanish/Portuguese double surname's first."""
    start = _particles_before(words, len(words) - 1)
    if start > 1 and _joined_to_next(words[start - 1]):  # `Arturo Gomez-de Leon`
        return _particles_before(words, start - 1)
    iberian = iberian_family_names()
    double = latin_name(words[-1]) in iberian or start < len(words) - 1
    if double_surname and double and start >= 2 and latin_name(words[start - 1]) in iberian:
        # the particles of the first surname too (`JÚLIA DA SILVA DOS SANTOS`)
        return _particles_before(words, start - 1)
    return start


def _joined_to_next(word: str) -> bool:
    """A word joined by a hyphen to the surname after it: `Gomez-de` of
    `Gomez-de Leon`, `Gomez-` of `Gomez- Leon`."""
    head, hyphen, tail = word.rpartition("-")
    return bool(hyphen and head) and (not tail or _word_key(tail) in FAMILY_NAME_PARTICLES)


def _family_end(words: list[str]) -> int:
    """Index after the family name of `Family Given [Middle]`: its particles,
    its word, and a second Spanish/Portuguese surname, leaving one word."""
    end = 0
    while end < len(words) - 2 and _is_particle(words[end]):
        end += 1
    end += 1
    iberian = iberian_family_names()
    if end < len(words) - 1 and latin_name(words[end - 1]) in iberian and latin_name(words[end]) in iberian:
        end += 1
    return end


def _particles_before(words: list[str], start: int) -> int:
    """`start` moved back over the particles before it, leaving one word."""
    while start > 1 and _is_particle(words[start - 1]):
        start -= 1
    return start


def _is_particle(word: str) -> bool:
    """A word of `FAMILY_NAME_PARTICLES` or `ARABIC_FAMILY_PARTICLES`: part of the family name after it."""
    key = _word_key(word)
    return key in FAMILY_NAME_PARTICLES or key in ARABIC_FAMILY_PARTICLES


def _word_key(word: str) -> str:
    return word.lower().strip(".,")


def _is_capitalized_name(word: str) -> bool:
    """An ALL-CAPS word of two or more letters that is not initials (`J.R.`)."""
    return word.isupper() and sum(c.isalpha() for c in word) > 1 and not _INITIALS.match(word)
