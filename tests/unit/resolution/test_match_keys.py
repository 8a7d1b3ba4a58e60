"""Match keys of a night's arrivals: a name the base has romanized already is
not romanized again, and the keys are those derived from scratch."""

from __future__ import annotations

import polars as pl

from resolution import match_keys
from resolution.match_keys import add_match_keys

RECORDS = pl.DataFrame(
    {
        "record_key": ["crm:1", "crm:2", "crm:3", "web:4"],
        "std_family_kana": ["ヤマダ", "サトウ", None, None],
        "std_given_kana": ["タロウ", None, None, None],
        "std_family_name": ["山田", "佐藤", "高橋", "Smith"],  # 高橋 without a reading: no Latin spelling
        "std_given_name": ["太郎", "Hanako", None, "John"],
    }
)


def test_names_the_base_romanized_are_lent_not_romanized_again(monkeypatch) -> None:
    from_scratch = add_match_keys(RECORDS)
    known = add_match_keys(RECORDS.head(3))  # the earlier versions of the first three
    assert known["mk_family_roman"].to_list() == ["yamada", "sato", None]
    romanized, romanize = [], match_keys.comparable_romanization

    def counted(name: str, **kwargs: bool) -> str | None:
        romanized.append(name)
        return romanize(name, **kwargs)

    monkeypatch.setattr(match_keys, "comparable_romanization", counted)
    assert add_match_keys(RECORDS, known=known).equals(from_scratch)
    # 高橋's missing spelling is known too; `John` (abroad) is read as written and, for its alternative, as romaji
    assert sorted(romanized) == ["John", "John", "Smith"]


def test_without_name_keys_nothing_is_lent() -> None:
    known = add_match_keys(RECORDS.head(1)).drop("mk_given_roman")
    assert add_match_keys(RECORDS, known=known.drop("mk_family_roman")).equals(add_match_keys(RECORDS))


GERMAN = pl.DataFrame(
    {
        "record_key": ["crm:1", "web:2", "web:3", "crm:4", "web:5", "jp:6", "jp:7", "crm:8"],
        "std_country": ["DE", "DE", "US", "DE", "DE", "JP", "JP", "ES"],
        "std_family_kana": [None, None, None, None, None, None, "ウエノ", None],
        "std_family_name": ["muller", "mueller", "muller", "bohm", "boehm", "ueno", "上野", "vasquez"],
        "std_given_name": ["jurgen", "juergen", "jurgen", "gotz", "goetz", "maeda", None, "manuel"],
    }
)


def test_german_transliterations_share_the_romanized_spelling_outside_japan() -> None:
    """`Müller` (standardized `muller`), `Mueller` and `Muller`: one romanized
    spelling, not a typo (and `Böhm`/`Boehm`, `bohm`, no outright disagreement); a
    Japanese record's `ue`, `ae` stay (`Ueno` is not `Uno`), and so do `ue`
    after a vowel, `q` or `g`. The written key (`mk_family`) is untouched."""
    keyed = add_match_keys(GERMAN)
    assert keyed["mk_family_roman"].to_list() == ["muller", "muller", "muller", "bohm", "bohm", "ueno", "ueno", "vasquez"]
    assert keyed["mk_given_roman"].to_list() == ["jurgen", "jurgen", "jurgen", "gotz", "gotz", "maeda", None, "manuel"]
    assert keyed["mk_family"].to_list() == GERMAN["std_family_name"].to_list()[:6] + ["ウエノ", "vasquez"]


def test_an_ae_oe_ue_that_spells_no_umlaut_is_not_folded() -> None:
    """The `-el` of `Michael`, `Rafael`, `Samuel` (`Michaela`, `Samuelsson`),
    and an `e` ending the name or before `y` (`Zoe`, `Joe`, `Joey`) spell no
    umlaut: folded, they were `Michal`, `Rafal`, `Jo`, `Joy`, other names
    of the same romanized spelling. Umlauts before a consonant still fold."""
    written = ["michael", "rafael", "israel", "samuel", "joel", "michaela", "samuelsson", "zoe", "joe", "joey", "sue"]
    folded = {"moeller": "moller", "huelsmann": "hulsmann", "schroeder": "schroder", "baer": "bar", "jaeger": "jager"}
    names = [*written, *folded]
    records = pl.DataFrame({"record_key": names, "std_given_name": names, "std_country": ["DE"] * len(names)})
    assert add_match_keys(records)["mk_given_roman"].to_list() == [*written, *folded.values()]


def test_a_latin_name_abroad_keeps_its_long_vowels() -> None:
    """`Pooja`, `Moore`, `Souza` of a record outside Japan are not romaji:
    their keys were `poja`, `more`, `soza`, the same romanized spelling as
    those names. Their romaji reading is their alternative spelling (where
    `Satoh` abroad meets `Sato`); a record of Japan reads them as romaji."""
    records = pl.DataFrame(
        {
            "record_key": ["in:1", "us:2", "br:3", "us:4", "jp:5"],
            "std_country": ["IN", "US", "BR", "US", "JP"],
            "std_family_name": ["sharma", "moore", "souza", "satoh", "satoh"],
            "std_given_name": ["pooja", "john", "ana", "yuuko", "yuuko"],
        }
    )
    keyed = add_match_keys(records)
    assert keyed["mk_family_roman"].to_list() == ["sharma", "moore", "souza", "satoh", "sato"]
    assert keyed["mk_given_roman"].to_list() == ["pooja", "john", "ana", "yuuko", "yuko"]
    assert keyed["mk_family_alt"].to_list() == [None, "more", "soza", "sato", None]
    assert keyed["mk_given_alt"].to_list() == ["poja", "jon", None, "yuko", None]


def test_a_name_whose_key_depends_on_its_country_is_not_lent() -> None:
    """`ueno` of a German record is `uno`, of a Japanese one `ueno`: lending
    the known record's key to the other would give the other country's."""
    german = add_match_keys(GERMAN.head(6).with_columns(pl.lit("DE").alias("std_country")))
    assert german["mk_family_roman"][5] == "uno"
    assert add_match_keys(GERMAN, known=german).equals(add_match_keys(GERMAN))


def test_a_refused_phone_keeps_the_last_eight_digits_it_was_written_with() -> None:
    """A number phonenumbers refused (a UK mobile typed without its country
    code in a UAE export) ends as its E.164 twin does; a value of fewer than
    8 digits, or none, gives no key; an extension is not part of the number."""
    records = pl.DataFrame(
        {
            "record_key": ["pos:1", "uae:2", "uae:3", "uae:4", "crm:5", "crm:6"],
            "phone": ["07700 900123", "07700 900123", "call me", "12345", "03-1234-5678 ext. 99", None],
            "std_phone": ["+447700900123", None, None, None, None, None],
        }
    )
    assert add_match_keys(records)["mk_phone_last8"].to_list() == ["00900123", "00900123", None, None, "12345678", None]


def test_a_compound_given_name_keeps_its_lead_apart_in_its_romanized_key() -> None:
    """The comparison tells a compound's lead from its rest by the separator
    (`comparisons.LeadNameLevel`): romanizing the whole name dropped it."""
    records = pl.DataFrame({"record_key": ["a", "b"], "std_given_name": ["mohammed-tariqul", "tariqul"], "std_country": ["IN", "IN"]})
    assert add_match_keys(records)["mk_given_roman"].to_list() == ["mohammed-tariqul", "tariqul"]


def test_a_mailbox_of_the_name_alone_has_no_mailbox_key() -> None:
    """`mk_email_mailbox` is the local part where it holds more than the
    record's name: null for the name alone as an email writes it (given and
    family in either order, the initial, a part of it; the name as
    standardized, `pooja`, though its romanized key is `poja`; the romanized
    reading of 橋本 愛; the pinyin of 王 偉), kept for digits, for another
    person's name (a family mailbox) and for a record of no name."""
    rows = [
        ("ranjitsingh", "ranjit", "singh", None, None, None),
        ("singh.ranjit", "ranjit", "singh", None, None, None),
        ("r_singh", "ranjit", "singh", None, None, None),
        ("pooja.kumar", "pooja", "kumar", None, None, None),
        ("guadalupe.rodriguez", "guadalupe", "rodriguezrodriguez", None, None, None),
        ("hashimoto.ai", "愛", "橋本", "アイ", "ハシモト", None),
        ("wei.wang", "偉", "王", None, None, None),
        ("ranjit87", "ranjit", "singh", None, None, "ranjit87"),
        ("mishrakavita", "anjali", "mishra", None, None, "mishrakavita"),
        ("ranjitsingh", None, None, None, None, "ranjitsingh"),
    ]
    records = pl.DataFrame(
        {
            "record_key": [f"t:{i}" for i in range(len(rows))],
            "source_country": ["JP" if r[3] else "CN" if r[1] == "偉" else "GB" for r in rows],
            "std_email_local": [r[0] for r in rows],
            "std_given_name": [r[1] for r in rows],
            "std_family_name": [r[2] for r in rows],
            "std_given_kana": [r[3] for r in rows],
            "std_family_kana": [r[4] for r in rows],
        }
    )
    assert add_match_keys(records)["mk_email_mailbox"].to_list() == [r[5] for r in rows]
    assert add_match_keys(records.drop("std_email_local"))["mk_email_mailbox"].null_count() == len(rows)


def test_a_latin_name_of_a_cyrillic_country_is_no_romaji() -> None:
    """`Iurii` and `Yuri` of a Kazakh or Russian record meet `Юрий` on their
    alternative spelling; a Japanese `Yuri` and a `Keiko` abroad keep none."""
    records = pl.DataFrame(
        {
            "std_given_name": ["iurii", "yuri", "юрий", "yuri", "keiko"],
            "std_family_name": ["boiko", "boiko", "бойко", "tanaka", "kato"],
            "std_country": ["KZ", "RU", "RU", "JP", "US"],
        }
    )
    keys = add_match_keys(records)
    assert keys["mk_given_alt"].to_list() == ["iuri", "iuri", "iuri", None, None]
    assert keys["mk_family_alt"].to_list()[:3] == ["biko", "biko", "biko"]
