"""Organisations among customers: businesses are parties, not people.

Real customer masters mix businesses in with people: a utility's customer
with `Anrede = Firma`, `Müller GmbH`, `Bäckerei Schmidt`, `Acme Ltd`,
`株式会社山田商店`. Read as a person's name, `Perret AG` becomes family `ag`,
given `perret`, and `Kühn GmbH` the family `kuhngmbh` that a person's `kuhn`
meets at "surname left out"; with the address and landline the business
shares with its owner's household, it joined them into one customer.

A record is an organisation (`std_party` `organisation`) when a name column
carries a legal form (`LEGAL_FORMS`: whole words, of any of the languages
listed), begins with a trade (`TRADE_WORDS`:
`Bäckerei`, `Hotel`, `Pharmacie`) or ends with one (`商店`, `病院`), or its
salutation/gender column says so (`ORGANISATION_SALUTATIONS`: `Firma`,
`Company`, `Société`, `法人`; no `gender_unrecognized` issue then). It is a
person (`person`) when anything about a person is known: a given name, a
birth date or a gender. A record with a family name alone is neither (null):
a web form's `Kühn` may be the business or the man.

Short legal forms are words in people's names too: `AS` (`van As`,
`Mehmet As`), `SA` (`de Sa`, `Kim Sa`), `AB`, `Ek`. Those of
`SHORT_LEGAL_FORMS` count only as written there (`Perret AG`, not `Perret
Ag`), at the end of a name with lower-case letters, after a word that is not
a name particle and without a comma before them (`Osterhaus, Ab` is a given
name); `e.K.` and `e.V.` only with their dots. The unambiguous ones
(`GmbH`, `Ltd`, `Inc`, `株式会社`) count anywhere.

An organisation's name is not split into family and given name: the whole
name, without its legal form, is its family name key (`organisation_key`:
`Kühn GmbH & Co. KG` and `Kühn GmbH` are both `kuhn`; `Bäckerei Schmidt`
keeps its trade: `backereischmidt`), and the golden record shows it as
written (`with_written_organisation_names`).
"""

from __future__ import annotations

import re

import polars as pl

from resolution.standardization.distinct import map_distinct
from resolution.standardization.issues import issue_column
from resolution.standardization.latin_names import FAMILY_NAME_PARTICLES
from resolution.standardization.names import clean_name, family_name_key
from resolution.standardization.text import (
    clean_text,
    with_computed_where,
    without_accent_marks,
)
from resolution.standardization.transliteration import without_accents

PARTY_COLUMN = "std_party"
PERSON, ORGANISATION = "person", "organisation"
PARTIES = (PERSON, ORGANISATION)

ORGANISATION_SALUTATIONS = frozenset(
    {
        # German, Dutch, Polish, Czech, Nordic, Portuguese: `Firma`; `Fa.` its abbreviation
        "firma", "fa", "unternehmen", "gesellschaft", "betrieb", "juristische person",
        "company", "business", "organisation", "organization", "corporation", "corporate", "firm", "legal entity",
        "société", "entreprise", "personne morale",
        "ditta", "società", "azienda", "impresa", "persona giuridica",
        "empresa", "compañía", "sociedad", "persona jurídica", "companhia", "pessoa jurídica",
        "bedrijf", "onderneming", "spółka", "společnost", "företag", "virksomhed", "bedrift", "yritys", "şirket",
        "法人", "企業", "会社", "団体", "법인", "회사",
    }
)  # fmt: skip
"""Values of a salutation or gender column (`Anrede`, `civilité`) that say
the customer is a business: lower-case, without a trailing dot. The gender
standardizer reads them as no gender, without an issue."""

LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "de": ("gmbh", "gesmbh", "ges.m.b.h.", "mbh", "gmbh & co kg", "gmbh & co ohg", "ag & co kg", "gbr", "ohg",
           "kgaa", "partg", "partgmbb", "e.k.", "e.kfm.", "e.kfr.", "e.v.", "e.u.", "e.gen.", "& söhne", "& sohn",
           "& partner"),
    "en": ("ltd", "limited", "inc", "incorporated", "llc", "l.l.c.", "llp", "plc", "corp", "corporation",
           "pty ltd", "pvt ltd", "private limited", "pte ltd", "& co", "& sons", "& son"),
    "fr": ("sarl", "s.à r.l.", "s.a r.l.", "sàrl", "sasu", "eurl", "& cie", "& fils"),
    "it": ("srl", "srls", "s.p.a.", "sapa", "sagl", "& figli"),
    "es": ("s.l.", "slu", "s.a.u.", "sa de cv", "s. de r.l.", "ltda"),
    "pt": ("ltda", "eireli"),
    "nl": ("bvba", "sprl", "vzw", "asbl"),
    "nordic": ("a/s", "aps", "asa", "oyj", "ehf"),
    "central-european": ("sp. z o.o.", "s.r.o.", "spol. s r.o.", "kft", "zrt", "nyrt", "d.o.o."),
    "gulf": ("fze", "fzco", "fz-llc", "fzc", "wll", "w.l.l."),
    "ru": ("ооо", "оао", "зао", "пао"),
    "dotted": ("a.g.", "s.a.", "a.s.", "b.v.", "n.v."),
}  # fmt: skip
"""Legal forms by language or region, lower-case, matched in any case: a
name carrying one (a whole word; `&` stands for `&`, `+`, `und`, `and`,
`et`, `y`) is an organisation's. A form written here without dots may be
written with them (`gmbh` = `G.m.b.H.`); one written with dots needs them
(`e.k.`: `Ek` is a Swedish family name). The forms of `LEGAL_FORMS_AT_END`
count at the end of a name only; every other anywhere (`Müller GmbH
Niederlassung Süd`)."""

SHORT_LEGAL_FORMS = ("AG", "KG", "OG", "eG", "SA", "AS", "AB", "Oy", "BV", "NV", "UG", "SAS", "SNC", "SE", "Lda", "Pty")
"""Legal forms that are also words of people's names (`Mehmet As`, `Kim Sa`,
`Péter Sas`, `van As`): an organisation's only as written here (`Perret AG`,
`Nokia Oy`, not `Perret Ag`), at the end of a name that has lower-case letters
(in `PERRET AG` the case tells nothing), after a word that is not a name
particle, without a comma before (`Osterhaus, Ab` is a given name). Written
with dots (`S.A.`, `A.G.`) they count as `LEGAL_FORMS`."""

LEGAL_FORMS_AT_END = frozenset(
    {"e.u.", "& co", "& sons", "& son", "& cie", "& fils", "& figli", "& söhne", "& sohn", "& partner",
     "a.g.", "s.a.", "a.s.", "b.v.", "n.v."}
)  # fmt: skip
"""Legal forms that need a name before them: an organisation's only at the
end of a name, after a word, without a comma before (`Smith & Co.`)."""

CJK_LEGAL_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(合)", "(資)", "(名)", "法人",
    "주식회사", "유한회사", "(주)", "(유)", "有限公司", "股份公司",
)  # fmt: skip
"""Japanese, Korean and Chinese legal forms (NFKC: `㈱` is `(株)`), before or
after the name, written without spaces: matched anywhere. `法人` covers
`一般社団法人`, `医療法人`, `NPO法人`."""

PREFIX_FORMS = ("firma", "fa.")
"""Words before a name that make it a business's (`Firma Müller`, `Fa. Schmitz`)."""

TRADE_WORDS = frozenset(
    {
        "bäckerei", "metzgerei", "fleischerei", "konditorei", "friseursalon", "friseur", "frisörsalon", "gasthof",
        "gasthaus", "gaststätte", "hotel", "restaurant", "café", "cafe", "apotheke", "autohaus", "praxis",
        "arztpraxis", "zahnarztpraxis", "tierarztpraxis", "kanzlei", "schreinerei", "tischlerei", "zimmerei",
        "hausverwaltung", "immobilien", "eigentümergemeinschaft", "wohnungseigentümergemeinschaft", "weg",
        "stadtwerke", "kirchengemeinde", "kindergarten", "stiftung", "verein", "autowerkstatt",
        "boulangerie", "boucherie", "pharmacie", "auberge", "brasserie", "garage", "cabinet", "société",
        "ristorante", "pizzeria", "trattoria", "farmacia", "albergo", "panetteria", "macelleria",
        "restaurante", "panadería", "cafetería", "clínica", "clinic",
    }
)  # fmt: skip
"""Trades and institutions that begin a business's name (`Bäckerei Schmidt`,
`Hotel Adler`, `WEG Hauptstraße 5`): matched as the first word of a name
column followed by more, accents and umlauts optional (`Baeckerei`)."""

CJK_TRADE_ENDINGS = ("商店", "商会", "工務店", "病院", "医院", "クリニック", "歯科", "薬局", "事務所", "組合", "協会")
"""Endings of a Japanese business's name (`山田商店`, `佐藤歯科`): no
person's name ends so."""


_CONNECTOR = r"(?:\s*[&+]\s*|\s+(?:und|and|et|e|y)\s+)"
"""`&` in a legal form: a sign, or a word between spaces (`Grayson` is no `Gray & Son`)."""


def _word_pattern(word: str) -> str:
    """A legal form's word as a regex: a word with dots needs them (`e.k.`),
    one without may have them between its letters (`gmbh`, `g.m.b.h.`), one
    with a hyphen a space there or nothing (`fz-llc`); a trailing dot is
    optional."""
    if "." in word:
        return r"\.\s?".join(re.escape(part) for part in word.rstrip(".").split(".")) + r"\.?"
    if "-" in word:
        return r"[-\s]?".join(re.escape(part) for part in word.split("-")) + r"\.?"
    return r"(?:\.\s?)?".join(re.escape(c) for c in word) + r"\.?"


def _form_pattern(form: str) -> str:
    """A legal form as a regex: its words (`_word_pattern`) apart or not, `&` a `_CONNECTOR`."""
    pattern = ""
    for word in form.split(" "):
        if word == "&":
            pattern += _CONNECTOR
        else:
            pattern += (r"\s*" if pattern and not pattern.endswith(_CONNECTOR) else "") + _word_pattern(word)
    return pattern


def _alternatives(forms: list[str]) -> str:
    return "|".join(_form_pattern(form) for form in sorted(forms, key=len, reverse=True))


_ALL_FORMS = sorted({form for forms in LEGAL_FORMS.values() for form in forms})
_PARTICLES = "|".join(sorted(FAMILY_NAME_PARTICLES, key=len, reverse=True))
_AT_END = _alternatives(sorted(LEGAL_FORMS_AT_END))
_SHORT = "|".join(SHORT_LEGAL_FORMS)

LEGAL_FORM_ANYWHERE = r"(?:^|[\s,(])(?:" + _alternatives([f for f in _ALL_FORMS if f not in LEGAL_FORMS_AT_END]) + r")(?:$|[\s,)])"
"""A legal form that may stand anywhere in a lower-cased name, as a whole word."""
LEGAL_FORM_AT_END = r"[^\s,]\s*(?:" + _AT_END + r")$"
"""A legal form of `LEGAL_FORMS_AT_END` ending a lower-cased name after a word."""
SHORT_FORM_AT_END = r"[^\s,]\s+(?:" + _SHORT + r")\.?$"
"""A `SHORT_LEGAL_FORMS` form, as written there, ending a name (as written) after a word."""
PARTICLE_AND_SHORT_FORM = r"(?i)(?:^|\s)(?:" + _PARTICLES + r")\s+(?:" + _SHORT + r")\.?$"
"""A name ending in a particle and a short form: a family name (`van AS`, `de SA`)."""
PREFIX_FORM = r"^(?:" + "|".join(re.escape(p) for p in PREFIX_FORMS) + r")\s+\S"
"""A lower-cased name after a word that makes it a business's."""
CJK_FORM = "|".join(re.escape(form) for form in CJK_LEGAL_FORMS)
CJK_TRADE_ENDING = r"\S(?:" + "|".join(re.escape(ending) for ending in CJK_TRADE_ENDINGS) + r")$"


def _folded_word(word: str) -> set[str]:
    """A trade word as a name may write it: accents stripped (`backerei`) or
    German umlauts spelt out (`baeckerei`)."""
    spelt = word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return {without_accents(word).replace("ß", "ss"), without_accents(spelt)}


TRADE_START = r"^(?:" + "|".join(sorted({f for w in TRADE_WORDS for f in _folded_word(w)}, key=len, reverse=True)) + r")[\s-]+\S"
"""A lower-cased, accent-stripped name that begins with a trade and goes on."""


def _folded(expr: pl.Expr) -> pl.Expr:
    """Lower case, accents stripped (NFKD without combining marks), `ß` as `ss`."""
    return without_accent_marks(expr.str.to_lowercase()).str.replace_all("ß", "ss", literal=True)


def names_an_organisation(name: pl.Expr) -> pl.Expr:
    """True where a cleaned name is a business's: a legal form (`LEGAL_FORMS`,
    `SHORT_LEGAL_FORMS`, `CJK_LEGAL_FORMS`, `PREFIX_FORMS`) or a trade
    (`TRADE_WORDS`, `CJK_TRADE_ENDINGS`); false where it is not, null for no name."""
    lower = name.str.to_lowercase()
    return (
        lower.str.contains(LEGAL_FORM_ANYWHERE)
        | lower.str.contains(LEGAL_FORM_AT_END)
        | (name.str.contains(SHORT_FORM_AT_END) & name.str.contains(r"\p{Ll}") & ~name.str.contains(PARTICLE_AND_SHORT_FORM))
        | lower.str.contains(PREFIX_FORM)
        | name.str.contains(CJK_FORM)
        | name.str.contains(CJK_TRADE_ENDING)
        | _folded(name).str.contains(TRADE_START)
    )


def salutes_an_organisation(gender: pl.Expr) -> pl.Expr:
    """True where a salutation or gender value (cleaned) is one of
    `ORGANISATION_SALUTATIONS` (any case, accents optional, trailing dot dropped)."""
    text = gender.str.to_lowercase().str.strip_chars_end(".")
    words = sorted(ORGANISATION_SALUTATIONS | {without_accents(word) for word in ORGANISATION_SALUTATIONS})
    return text.is_in(words)


_FORM_AT_END = re.compile(r"[\s,]*(?:" + _AT_END + r")$", re.IGNORECASE)
_SHORT_FORM = re.compile(r"\s+(?:" + _SHORT + r")\.?$")
_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(p) for p in PREFIX_FORMS) + r")\s+", re.IGNORECASE)


def without_legal_form(name: str) -> str:
    """A business's cleaned name without its legal forms (`Kühn GmbH & Co. KG`
    -> `Kühn`, `Firma Müller` -> `Müller`, `株式会社山田商店` -> `山田商店`);
    the name itself where nothing else is left (`GmbH`)."""
    text = re.sub(CJK_FORM, "", _PREFIX.sub("", name, count=1))
    anywhere = re.compile(LEGAL_FORM_ANYWHERE, re.IGNORECASE)
    while found := anywhere.search(text):  # `Müller Holding GmbH & Co. KG`; `GmbH` in the middle of a name
        text = (text[: found.start()] + " " + text[found.end() :]).strip(" ,")
    text = _FORM_AT_END.sub("", text).strip(" ,")
    if re.search(SHORT_FORM_AT_END, text) and any(c.islower() for c in text) and not re.search(PARTICLE_AND_SHORT_FORM, text):
        text = _SHORT_FORM.sub("", text)
    return text.strip(" ,") or name


def organisation_key(name: str | None) -> tuple[str | None]:
    """(The compared name of a business: its cleaned name without its legal
    form, keyed as a family name is, `names.family_name_key`: `Kühn GmbH` ->
    `kuhn`, `Bäckerei Schmidt` -> `backereischmidt`.)"""
    return (family_name_key(without_legal_form(name)) if name else None,)


NAME_COLUMNS = ("family_name", "given_name", "full_name")


def standardize_party(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_party`: `organisation` where a name column names one
    (`organisation_names`, over each column's distinct values) or the
    `gender` column salutes one (`salutes_an_organisation`), else null
    (`with_persons` tells people). Needs the raw name columns and `gender`."""
    named = pl.any_horizontal(
        pl.col(column).is_in(organisation_names(frame.get_column(column)).implode()) for column in NAME_COLUMNS
    )
    saluted = salutes_an_organisation(clean_text(pl.col("gender"))).fill_null(False)
    return frame.with_columns(pl.when(named | saluted).then(pl.lit(ORGANISATION)).otherwise(pl.lit(None, pl.Utf8)).alias(PARTY_COLUMN))


def organisation_names(values: pl.Series) -> pl.Series:
    """The distinct `values` (a name column, as delivered) that name an
    organisation (`names_an_organisation`) as cleaned for names
    (`names.clean_name`: `Müller UG (haftungsbeschränkt)` without its note)
    or as written (`clean_text`: `(株)山田`)."""
    distinct = values.drop_nulls().unique().to_frame("name")
    cleaned = distinct.with_columns(_named=clean_name(pl.col("name")), _written=clean_text(pl.col("name")))
    business = names_an_organisation(pl.col("_named")) | names_an_organisation(pl.col("_written"))
    return cleaned.filter(business.fill_null(False)).get_column("name")


def written_organisation_name(family: pl.Expr, given: pl.Expr, full: pl.Expr) -> pl.Expr:
    """A business's name as its record wrote it (cleaned name columns): the
    full name, else the given and family name columns joined (`Bäckerei`
    `Schmidt`: a form's two name lines)."""
    return pl.coalesce(full, pl.concat_str([given, family], separator=" ", ignore_nulls=True).replace("", None))


NAME_KEYS = ("std_family_name", "std_full_name")
PERSON_ONLY = ("std_given_name", "std_family_kana", "std_given_kana", "std_full_kana", "std_kana_generated", "std_name_suffix")
"""The name columns an organisation's record holds its key in, and those it leaves empty."""


def with_organisation_names(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (standardized names, `std_party`) with each organisation's name
    not split: `NAME_KEYS` its `organisation_key`, `PERSON_ONLY` null (a
    reading of `カブシキガイシャ` is no name's), no `name_unsplit` or
    `name_kana_unavailable` issue. Other records as they are; a frame
    without `std_party` as it is."""
    if PARTY_COLUMN not in frame.columns:
        return frame
    business = (pl.col(PARTY_COLUMN) == ORGANISATION).fill_null(False)
    written = written_organisation_name(*(clean_name(pl.col(c)) for c in NAME_COLUMNS))
    frame = map_distinct(
        with_computed_where(frame, "_organisation_name", business, written, pl.lit(None, pl.Utf8)),
        ["_organisation_name"],
        organisation_key,
        {"_organisation_key": pl.Utf8},
    )
    issues = [issue_column("name", "split"), issue_column("name", "kana")]
    return frame.with_columns(
        *(pl.when(business).then(pl.col("_organisation_key")).otherwise(pl.col(c)).alias(c) for c in NAME_KEYS),
        *(pl.when(~business).then(pl.col(c)).alias(c) for c in PERSON_ONLY if c in frame.columns),
        *(pl.when(~business).then(pl.col(c)).alias(c) for c in issues if c in frame.columns),
    ).drop("_organisation_name", "_organisation_key")


def with_persons(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (standardized) with `std_party` `person` where it is not an
    organisation and anything about a person is known: a given name, a
    birth date or a gender."""
    personal = pl.any_horizontal(pl.col(c).is_not_null() for c in ("std_given_name", "std_birth_date", "std_gender"))
    return frame.with_columns(
        pl.when(pl.col(PARTY_COLUMN) == ORGANISATION)
        .then(pl.lit(ORGANISATION))
        .when(personal)
        .then(pl.lit(PERSON))
        .alias(PARTY_COLUMN)
    )


def with_written_organisation_names(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Golden names (`frame`: chosen records with `std_party` and their raw
    name columns as `_raw_<column>`; `columns`: golden attribute -> column)
    of an organisation shown as its record wrote it, legal form included
    (`Kühn GmbH & Co. KG`, `(株)山田商店`), as the family and the full name,
    without a given name: not `KG Peters`, nor the key's `Kühn`. People's
    names as they are; a frame without `std_party` as it is."""
    if PARTY_COLUMN not in frame.columns:
        return frame
    raw = (
        clean_text(pl.col(f"_raw_{c}")) if f"_raw_{c}" in frame.columns else pl.lit(None, pl.Utf8) for c in NAME_COLUMNS
    )
    written = written_organisation_name(*raw)
    business = (pl.col(PARTY_COLUMN) == ORGANISATION).fill_null(False) & written.is_not_null()
    shown = {"family_name": written, "full_name": written, "given_name": pl.lit(None, pl.Utf8)}
    return frame.with_columns(
        pl.when(business).then(value).otherwise(pl.col(columns[a])).alias(columns[a]) for a, value in shown.items() if a in columns
    )
