"""Spotting special-category data and My Numbers in an export before it is ingested.

Japan's APPI (要配慮個人情報: race, creed, social status, medical history,
criminal record, being a crime victim, disability...), the GDPR (art. 9:
health, religion, ethnicity, political opinion, trade-union membership, sexual
orientation, genetic and biometric data) and the My Number Act (個人番号 may
only be held for statutory purposes) all say: do not collect these without a
stated purpose (Brazil's LGPD says the same of its "sensitive personal data").
So a column whose *name* says it holds such data (in English, Japanese,
Portuguese, Spanish, French, German, Italian or Dutch), or whose
*values* are My Numbers (12 digits with a valid check digit), is refused
unless nayose.yaml allows that column of that source for a stated purpose
(`privacy.allowed_sensitive_columns`). Findings name columns, never values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

MY_NUMBER = "my_number"

# kind -> (English name tokens, Japanese name fragments). English tokens match
# whole words of the column name (snake, kebab, camelCase); Japanese fragments
# match anywhere in it.
NAME_PATTERNS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    MY_NUMBER: (
        frozenset({"mynumber", "mynumbers", "individualnumber", "kojinbango", "kojinbangou", "mynum"}),
        ("マイナンバー", "個人番号", "まいなんばー"),
    ),
    "health": (
        frozenset({
            "health", "medical", "diagnosis", "diagnoses", "disease", "illness", "allergy", "allergies",
            "medication", "medications", "prescription", "patient", "pregnancy", "pregnant", "symptom",
            "symptoms", "hospital", "clinical", "healthcare", "bloodtype",
        }),
        ("病歴", "病名", "既往", "健康", "診断", "疾患", "病気", "服薬", "通院", "入院", "妊娠", "アレルギー",
         "持病", "症状", "治療", "診療", "カルテ", "血液型", "健診"),
    ),
    "disability": (frozenset({"disability", "disabilities", "handicap", "impairment"}), ("障害", "障がい", "障碍")),
    "religion": (frozenset({"religion", "religious", "faith", "belief", "beliefs", "creed"}), ("宗教", "信仰", "信条", "宗派")),
    "race_or_ethnicity": (
        frozenset({"race", "racial", "ethnicity", "ethnic", "caste"}),
        ("人種", "民族", "門地", "社会的身分", "出自"),
    ),
    "criminal_record": (
        frozenset({"criminal", "conviction", "convictions", "offence", "offense", "offences", "offenses", "arrest", "arrests", "crime"}),
        ("犯罪", "前科", "犯歴", "逮捕", "刑事", "被害歴"),
    ),
    "trade_union": (frozenset({"union", "unionmember", "tradeunion", "laborunion", "labourunion"}), ("労働組合", "組合員")),
    "sexual_orientation": (
        frozenset({"sexualorientation", "sexuality", "lgbt", "lgbtq", "sexlife"}),
        ("性的指向", "性生活", "性自認"),
    ),
    "biometric": (
        frozenset({"biometric", "biometrics", "fingerprint", "fingerprints", "faceprint", "iris", "retina", "voiceprint", "faceid"}),
        ("生体", "指紋", "顔認証", "静脈", "虹彩", "声紋"),
    ),
    "genetic": (frozenset({"genetic", "genetics", "genome", "dna", "gene"}), ("遺伝", "ゲノム")),
    "political_opinion": (frozenset({"political", "politics", "politicalparty"}), ("政治", "支持政党", "政党")),
}

EUROPEAN_NAME_WORDS: dict[str, frozenset[str]] = {
    "health": frozenset({
        "saude", "doenca", "doencas", "diagnostico", "diagnosticos", "medicamento", "medicamentos", "alergia",
        "alergias", "gravidez", "gestante", "prontuario",  # Portuguese
        "salud", "enfermedad", "enfermedades", "embarazo", "embarazada",  # Spanish
        "sante", "maladie", "maladies", "diagnostic", "medicament", "medicaments", "allergie", "allergies",
        "grossesse", "enceinte",  # French
        "gesundheit", "gesundheitszustand", "gesundheitsdaten", "krankheit", "krankheiten", "diagnose",
        "medikament", "medikamente", "allergien", "schwangerschaft", "schwanger", "vorerkrankung",
        "vorerkrankungen", "krankengeschichte",  # German
        "salute", "malattia", "malattie", "diagnosi", "farmaco", "farmaci", "allergia", "gravidanza",  # Italian
        "gezondheid", "ziekte", "ziektes", "medicatie", "medicijn", "medicijnen", "zwangerschap",
        "zwanger",  # Dutch
    }),
    "disability": frozenset({
        "deficiencia", "deficiente", "discapacidad", "discapacitado", "behinderung", "schwerbehinderung",
        "disabilita", "invalidita", "invalidite", "handicape", "gehandicapt",
    }),
    "religion": frozenset({
        "religiao", "religioso", "religiosa", "crenca", "creencia", "creencias", "confesion", "confissao",
        "religione", "konfession", "religionszugehorigkeit", "religionszugehoerigkeit", "glaube",
        "glaubensrichtung", "bekenntnis", "religie", "geloof", "godsdienst", "kerkgenootschap",
    }),
    "race_or_ethnicity": frozenset({
        "raca", "racacor", "corraca", "etnia", "etnico", "etnica", "raza", "origenetnico",  # cor alone is colour
        "ethnie", "ethnique", "origineethnique", "rasse", "ethnisch", "ethnische", "ethnischeherkunft",
        "razza", "etniciteit", "etnisch", "etnische", "etnischeafkomst",
    }),
    "criminal_record": frozenset({
        "criminais", "criminales", "antecedentescriminais", "antecedentescriminales", "antecedentespenales",
        "condenacao", "condenacoes", "condena", "condenas", "delito", "delitos",
        "casierjudiciaire", "condamnation", "condamnations", "infraction", "infractions",
        "vorstrafe", "vorstrafen", "strafregister", "fuhrungszeugnis", "fuehrungszeugnis", "straftat",
        "straftaten", "verurteilung", "verurteilungen",
        "casellariogiudiziale", "precedentipenali", "condanna", "condanne", "reato", "reati",
        "strafblad", "veroordeling", "veroordelingen", "strafrechtelijk",
    }),
    "trade_union": frozenset({
        "sindicato", "sindical", "filiacaosindical", "afiliacionsindical", "syndicat", "syndical", "syndicale",
        "gewerkschaft", "gewerkschaftsmitglied", "gewerkschaftszugehorigkeit", "gewerkschaftszugehoerigkeit",
        "sindacato", "sindacale", "vakbond", "vakbondslid", "vakbondslidmaatschap",
    }),
    "sexual_orientation": frozenset({
        "orientacaosexual", "orientacionsexual", "orientationsexuelle", "sexuelleorientierung",
        "orientamentosessuale", "seksuelegeaardheid", "geaardheid", "sexualidade", "sexualidad", "sexualite",
        "sexualitat", "sessualita", "seksualiteit",
    }),
    "biometric": frozenset({
        "biometria", "biometrico", "biometrica", "biometricos", "impressaodigital", "impressoesdigitais",
        "huelladactilar", "huelladigital", "huellasdactilares", "biometrie", "biometrique", "biometriques",
        "empreintedigitale", "empreintesdigitales", "biometrisch", "biometrische", "fingerabdruck",
        "fingerabdrucke", "improntadigitale", "improntedigitali", "vingerafdruk", "vingerafdrukken",
    }),
    "genetic": frozenset({
        "genetico", "genetica", "geneticos", "genetici", "genetiche", "adn", "genetique", "genetiques", "genetisch", "genetische",
        "erbgut", "gentest", "erfelijk", "erfelijkheid",
    }),
    "political_opinion": frozenset({
        # not politica, politique: also "policy" (politica_privacidade)
        "politico", "opiniaopolitica", "opinionpolitica", "partidopolitico", "filiacaopartidaria",
        "afiliacionpolitica", "opinionpolitique", "opinionspolitiques", "partipolitique", "politisch",
        "politische", "parteizugehorigkeit", "parteizugehoerigkeit", "parteimitgliedschaft",
        "opinionepolitica", "orientamentopolitico", "partitopolitico", "politieke", "politiekevoorkeur",
        "partijvoorkeur",
    }),
}
"""Portuguese, Spanish, French, German, Italian and Dutch words for the
special categories (GDPR art. 9 and 10, Brazil's LGPD art. 11), as a
column's folded name writes them (`_name_tokens`: accents dropped,
lower-case, whole words or two joined: `religião` religiao, `raca_cor`
raca, `condicao_saude` saude, `orientação sexual` orientacaosexual). Words
that are also ordinary columns are left out: `cor` (colour), `politica` and
`politique` (policy), `partido`/`partei` (a party), `herkunft` (a lead's
source), `tratamiento` (a salutation), `sanitario` (a product's health
registration)."""

_KIND_WORDS = {
    MY_NUMBER: "My Number (個人番号)",
    "health": "health or medical (病歴など)",
    "disability": "disability (障害)",
    "religion": "religion or creed (信条)",
    "race_or_ethnicity": "race, ethnicity or social origin (人種・門地)",
    "criminal_record": "criminal record (犯罪の経歴)",
    "trade_union": "trade-union membership",
    "sexual_orientation": "sexual orientation or sex life",
    "biometric": "biometric",
    "genetic": "genetic",
    "political_opinion": "political opinion",
}

# The official check-digit weights (番号法施行令 / 総務省令 第5条): for the
# first 11 digits, left to right, Q = 6,5,4,3,2,7,6,5,4,3,2.
MY_NUMBER_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = " \u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d"
_DIGIT_RUN = r"\d(?:[" + re.escape(_SEPARATORS) + r"]?\d)*"
MY_NUMBER_SHARE = 0.5
"""A column is a My Number column when at least this share of its 12-digit
numbers carry a valid check digit (random 12-digit ids pass about 1 in 10)..."""
MY_NUMBER_MIN_VALID_IN_PHONE_COLUMN = 3
"""...and, in a column of phone numbers, at least this many do: one 12-digit
phone number (a German mobile, say) passes the check digit by chance one time
in eleven. Elsewhere (an id, a memo) one is enough. Columns named like My
Number are refused by name whatever their values."""
_PHONE_LIKE = r"^[+(0０（][\d\s\-()+ー－（）]{8,20}$"

ROW_COLUMN = "source_row"


@dataclass(frozen=True)
class SensitiveFinding:
    """A column that looks sensitive: `kind` (e.g. `my_number`, `health`) and why (no values)."""

    column: str
    kind: str
    reason: str


def my_number_check_digit(first_eleven: str) -> int:
    """The check digit of an 11-digit My Number body (the official algorithm).
    Refuses (ValueError) anything but exactly 11 ASCII digits."""
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("a My Number body is exactly 11 digits")
    remainder = sum(int(d) * w for d, w in zip(first_eleven, MY_NUMBER_WEIGHTS)) % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(text: str) -> bool:
    """True when `text` is 12 digits (any width; spaces/hyphens allowed) with a valid check digit."""
    digits = "".join(c for c in unicodedata.normalize("NFKC", text) if c not in _SEPARATORS)
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def _name_tokens(column: str) -> set[str]:
    """The words of a column name, folded (accents dropped, `ß` as `ss`,
    lower-case), split at anything but a letter or digit and at camelCase,
    and each two neighbours joined (`sexual_orientation` sexualorientation)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", column).replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    return set(words) | {a + b for a, b in zip(words, words[1:])}


def column_name_kind(column: str) -> tuple[str, str] | None:
    """(`kind`, the word that matched) when the column's name suggests sensitive data, else None."""
    tokens = _name_tokens(column)
    folded = unicodedata.normalize("NFKC", column)
    for kind, (english, japanese) in NAME_PATTERNS.items():
        words = english | EUROPEAN_NAME_WORDS.get(kind, frozenset())
        hit = next(iter(sorted(tokens & words)), None) or next((j for j in japanese if j in folded), None)
        if hit:
            return kind, hit
    return None


def my_number_expr(token: pl.Expr) -> pl.Expr:
    """True where a 12-ASCII-digit `token` carries a valid check digit (vectorised)."""
    total = pl.sum_horizontal(
        [token.str.slice(i, 1).cast(pl.Int32) * w for i, w in enumerate(MY_NUMBER_WEIGHTS)]
    )
    remainder = total % 11
    expected = pl.when(remainder <= 1).then(0).otherwise(11 - remainder)
    return expected == token.str.slice(11, 1).cast(pl.Int32)


DIGIT_BEARING = r"[\d\x{B2}-\x{B3}\x{B9}\x{BC}-\x{BE}\x{2070}\x{2074}-\x{2079}\x{2080}-\x{2089}\x{2150}-\x{215F}\x{2189}\x{2460}-\x{249B}\x{24EA}\x{3251}-\x{325F}\x{32B1}-\x{32CB}\x{3358}-\x{3370}\x{3378}-\x{3379}\x{339F}-\x{33A6}\x{33A8}\x{33AF}\x{33E0}-\x{33FE}\x{1F100}-\x{1F10A}]"
"""Every character whose NFKC form holds a decimal digit: the digits themselves
(\\d is Unicode) plus superscripts, fractions, circled and parenthesized
numbers, squared units ... (a test recomputes this class from unicodedata). A
value without one cannot hold a 12-digit number once folded."""


def my_number_counts(raw: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Per text column: `twelve_digit` (12-digit numbers found in its values,
    also inside longer text) and `valid` (those with a valid My Number check digit).

    The columns are counted in one parallel `collect_all`: run one after another
    (about 20 columns an export, each a chain of eager steps) they took 0.04-0.06 s
    of a 5k-row export."""
    counts = pl.collect_all(
        [
            _twelve_digit_numbers(raw.lazy(), column).select(
                column=pl.lit(column, pl.Utf8),
                twelve_digit=pl.len().cast(pl.Int64),
                valid=my_number_expr(pl.col("token")).sum().cast(pl.Int64),
            )
            for column in columns
        ]
    )
    schema = {"column": pl.Utf8, "twelve_digit": pl.Int64, "valid": pl.Int64}
    return pl.concat(counts) if counts else pl.DataFrame(schema=schema)


def _twelve_digit_numbers(raw: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """`token`: each run of 12 digits in `column`'s values (any width, separators
    dropped), also inside longer text; a run after `+` is a phone number, never one."""
    return (
        raw.select(pl.col(column).cast(pl.Utf8))
        .filter(pl.col(column).str.contains(DIGIT_BEARING).fill_null(False))  # only these are folded
        .select(pl.col(column).str.normalize("NFKC").str.extract_all(r"\+?" + _DIGIT_RUN).alias("run"))
        .explode("run")
        .filter(~pl.col("run").str.starts_with("+").fill_null(False))  # +81 ...: a phone, never a My Number
        .select(pl.col("run").str.replace_all("[" + re.escape(_SEPARATORS) + "]", "").alias("token"))
        .filter(pl.col("token").str.contains(r"^[0-9]{12}$").fill_null(False))
    )


def _phone_like(frame: pl.DataFrame, column: str) -> bool:
    """Most of the column's values are written like phone numbers."""
    values = frame.get_column(column).cast(pl.Utf8).drop_nulls()
    return values.len() > 0 and values.str.strip_chars().str.contains(_PHONE_LIKE).mean() >= 0.8


def find_sensitive_columns(raw: pl.DataFrame, allowed: set[str], *, sample_rows: int | None = None) -> list[SensitiveFinding]:
    """Columns of a parsed export (all text) that look like special-category
    data or hold My Numbers, except the `allowed` ones.

    In: the raw frame (`source_row` is skipped), the column names nayose.yaml
    allows for this source, optionally a row sample size (default: all rows).
    Out: one finding per refused column (first by name, then by values); an
    empty list means the file may be ingested. Values are never returned."""
    findings: list[SensitiveFinding] = []
    columns = [c for c in raw.columns if c != ROW_COLUMN and c not in allowed]
    for column in columns:
        match = column_name_kind(column)
        if match:
            kind, word = match
            findings.append(
                SensitiveFinding(column, kind, f"the column name ('{word}') suggests {_KIND_WORDS[kind]} data")
            )
    named = {f.column for f in findings}
    sample = raw if sample_rows is None or raw.height <= sample_rows else raw.sample(sample_rows, seed=0)
    text_columns = [c for c in columns if c not in named and sample.schema[c] in (pl.Utf8, pl.Int64, pl.UInt64)]
    for row in my_number_counts(sample, text_columns).iter_rows(named=True):
        if not row["valid"] or row["valid"] < MY_NUMBER_SHARE * row["twelve_digit"]:
            continue  # no column without a valid number needs to be looked at as phone numbers
        needed = MY_NUMBER_MIN_VALID_IN_PHONE_COLUMN if _phone_like(sample, row["column"]) else 1
        if row["valid"] >= needed:
            findings.append(
                SensitiveFinding(
                    row["column"],
                    MY_NUMBER,
                    f"{row['valid']} of {row['twelve_digit']} 12-digit numbers in it carry a valid My Number check digit",
                )
            )
    return findings


def refusal_message(source: str, display_name: str, findings: list[SensitiveFinding]) -> str:
    """One line for the blocking check: the file, each refused column and why,
    and how to allow a column (no values)."""
    listed = "; ".join(f"column '{f.column}': {f.reason}" for f in findings)
    first = findings[0].column if findings else "COLUMN"
    return (
        f"{display_name}: refused, it looks like it holds sensitive personal data ({listed}). "
        "Remove the column from the export, or, if the law and a stated purpose allow holding it, add "
        f"{{source: {source}, column: {first}, purpose: \"...\"}} to privacy.allowed_sensitive_columns in nayose.yaml"
    )
