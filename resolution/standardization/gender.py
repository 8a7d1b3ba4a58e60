"""Gender codes: `M`, `F`, `X` from Japanese, Korean, Chinese, English, German, French,
Spanish, Dutch, Polish, Czech, Turkish, Scandinavian, Russian, Ukrainian, Kazakh,
Baltic, Greek and Southeast Asian (Vietnamese, Thai, Malay, Indonesian, Filipino) words and their initials, salutations (`Herr`, `Mrs.`, `Madame`), symbols and JIS X 0303
codes. A Spanish export's `M` (mujer) is read as male like every other
`M`: map it with a `CASE` (README)."""

from __future__ import annotations

import polars as pl

from resolution.standardization.distinct import over_distinct
from resolution.standardization.issues import issue_column, issue_when
from resolution.standardization.organisations import ORGANISATION_SALUTATIONS
from resolution.standardization.text import clean_text, without_decimal_zero
from resolution.standardization.transliteration import without_accents

# JIS X 0303: 0 = not known, 1 = male, 2 = female, 9 = not applicable.
GENDER_CODES: dict[str, str | None] = {
    "m": "M",
    "male": "M",
    "man": "M",
    "1": "M",
    "男": "M",
    "男性": "M",
    "f": "F",
    "female": "F",
    "woman": "F",
    "2": "F",
    "女": "F",
    "女性": "F",
    # European exports: the word, its initial, or the salutation a form asks for (Anrede, civilité)
    "männlich": "M",
    "mannlich": "M",
    "maennlich": "M",
    "mann": "M",
    "herr": "M",
    "homme": "M",
    "h": "M",
    "masculin": "M",
    "hombre": "M",
    "masculino": "M",
    "mr": "M",
    "mister": "M",
    "monsieur": "M",
    "sr": "M",
    "señor": "M",
    "sig": "M",
    "signor": "M",
    "♂": "M",
    "mężczyzna": "M",  # Polish; its initial is `m`
    "muž": "M",
    "erkek": "M",
    "mand": "M",  # Danish, Norwegian
    "weiblich": "F",
    "vrouw": "F",  # Dutch; `v` its initial (`m` is man)
    "v": "F",
    "kobieta": "F",  # Polish; `k` its initial
    "k": "F",
    "žena": "F",
    "kadın": "F",  # Turkish; `k` its initial too
    "kvinde": "F",
    "kvinne": "F",
    "kvinna": "F",
    "frau": "F",
    "w": "F",
    "femme": "F",
    "féminin": "F",
    "feminin": "F",
    "mujer": "F",
    "femenino": "F",
    "mrs": "F",
    "ms": "F",
    "miss": "F",
    "madame": "F",
    "mme": "F",
    "mademoiselle": "F",
    "mlle": "F",
    "sra": "F",
    "srta": "F",
    "señora": "F",
    "señorita": "F",
    "signora": "F",
    "♀": "F",
    # Korean and Chinese exports: the word, the polite form, the salutation
    "남": "M",
    "남자": "M",
    "남성": "M",
    "여": "F",
    "여자": "F",
    "여성": "F",
    "男士": "M",
    "先生": "M",
    "女士": "F",
    "小姐": "F",
    # Southeast Asian exports: Vietnamese (`Nam`/`Nữ`, `Nu` without accents), Thai (the word, with
    # เพศ "sex" before it, or the title a form asks for: นาย Mr, นาง Mrs, นางสาว/น.ส. Miss), Malay and
    # Indonesian (`L`/`P` are the initials an Indonesian form writes: Laki-laki/Perempuan), Filipino
    "nam": "M",
    "nam giới": "M",
    "nữ": "F",
    "nữ giới": "F",
    "ชาย": "M",
    "เพศชาย": "M",
    "นาย": "M",
    "หญิง": "F",
    "เพศหญิง": "F",
    "นาง": "F",
    "นางสาว": "F",
    "น.ส": "F",  # น.ส. with its last dot stripped like `Mrs.`
    "lelaki": "M",
    "laki-laki": "M",
    "laki laki": "M",
    "pria": "M",
    "l": "M",
    "lalaki": "M",
    "perempuan": "F",
    "wanita": "F",
    "p": "F",
    "babae": "F",
    # Cyrillic exports: Russian (`М`/`Ж`, `муж.`/`жен.`, the word, the salutation), Ukrainian (`ч`/`ж`,
    # `чол.`/`жін.`), Kazakh (`ер`/`әйел`); Baltic (Latvian, Lithuanian, Estonian) and Greek words
    "м": "M",
    "муж": "M",
    "мужской": "M",
    "мужчина": "M",
    "г-н": "M",
    "господин": "M",
    "ч": "M",
    "чол": "M",
    "чоловік": "M",
    "чоловіча": "M",
    "чоловічий": "M",
    "пан": "M",
    "ер": "M",
    "ж": "F",
    "жен": "F",
    "женский": "F",
    "женщина": "F",
    "г-жа": "F",
    "госпожа": "F",
    "жін": "F",
    "жінка": "F",
    "жіноча": "F",
    "жіночий": "F",
    "пані": "F",
    "әйел": "F",
    "vīrietis": "M",
    "vyras": "M",
    "mees": "M",
    "sieviete": "F",
    "moteris": "F",
    "naine": "F",
    "άνδρας": "M",
    "άρρεν": "M",
    "γυναίκα": "F",
    "θήλυ": "F",
    "기타": "X",
    "其他": "X",
    "d": "X",
    "divers": "X",
    "diverse": "X",
    "x": "X",
    "other": "X",
    "non-binary": "X",
    "nonbinary": "X",
    "その他": "X",
    # Explicitly "not known", or a web form's "prefer not to answer": null, but not worth a flag.
    "0": None,
    "9": None,
    "u": None,
    "unknown": None,
    "不明": None,
    "保密": None,  # Chinese shops' "kept private"
    "未知": None,
    "未填写": None,
    "未填寫": None,
    "선택안함": None,
    "선택 안 함": None,
    "응답안함": None,
    "모름": None,
    "未回答": None,
    "無回答": None,
    "回答しない": None,
    "回答しません": None,
    "回答なし": None,
    "答えたくない": None,
    "答えない": None,
    "未選択": None,
    "選択しない": None,
    "n/a": None,
    "na": None,
    "-": None,
    "keine angabe": None,
    "möchte ich nicht angeben": None,
    "unbekannt": None,
    "prefer not to say": None,
    "prefer not to answer": None,
    "rather not say": None,
    "not specified": None,
    "not stated": None,
    "prefiero no decir": None,
    "prefiero no decirlo": None,
    "prefiero no responder": None,
    "prefiero no contestar": None,
    "no especificado": None,
    "desconocido": None,
    "não informar": None,
    "não informado": None,
    "prefiro não informar": None,
    "prefiro não dizer": None,
    "ne souhaite pas répondre": None,
    "ne se prononce pas": None,
    "non renseigné": None,
    "inconnu": None,
    "preferisco non rispondere": None,
    "non specificato": None,
    "zeg ik liever niet": None,
    "onbekend": None,
}


GENDER_CODES |= dict.fromkeys(ORGANISATION_SALUTATIONS)
# ...a business's salutation (`Firma`, `Company`): no gender, and no issue (`organisations`)

GENDER_CODES |= {
    without_accents(code): value
    for code, value in GENDER_CODES.items()
    if without_accents(code).isascii() and without_accents(code) not in GENDER_CODES
}
# ...and a Latin word as a system that drops accents writes it (`nao informar`, `non renseigne`, `senora`)


def standardize_gender(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `std_gender`; a value not in `GENDER_CODES` -> null + flag."""
    return over_distinct(frame, ["gender"], _add_gender_columns)


def _add_gender_columns(frame: pl.DataFrame) -> pl.DataFrame:
    # `Mrs.`, `Sr.`; a code column of floats writes `1.0`
    text = without_decimal_zero(clean_text(pl.col("gender"))).str.to_lowercase().str.strip_chars_end(".")
    code = text.replace_strict(GENDER_CODES, default=None, return_dtype=pl.Utf8)
    return frame.with_columns(
        code.alias("std_gender"),
        issue_when(
            text.is_not_null() & ~text.is_in(list(GENDER_CODES)), "gender_unrecognized"
        ).alias(issue_column("gender")),
    )
