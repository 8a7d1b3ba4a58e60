"""A name's words compared as a set, and its middle names (fictional people throughout)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
from splink import DuckDBAPI

from resolution.comparisons import PersonNamePartComparison
from resolution.households import GENERATIONS_APART, middle_names_apart
from resolution.match_keys import add_match_keys
from resolution.standardization import standardize_records

DUCKDB = DuckDBAPI(connection=duckdb.connect()).sql_dialect.sql_dialect_str

NAME_COLUMNS = ("family_name", "given_name", "full_name")


def _records(*names: dict[str, str], country: str = "KE") -> list[dict]:
    """Standardized records with their match keys, one per name (fields of `NAME_COLUMNS`)."""
    rows = [{"record_key": f"t:{i}", "source_country": country, **{c: name.get(c) for c in NAME_COLUMNS}} for i, name in enumerate(names)]
    frame = pl.DataFrame(rows, schema={"record_key": pl.Utf8, "source_country": pl.Utf8, **{c: pl.Utf8 for c in NAME_COLUMNS}})
    return add_match_keys(standardize_records(frame, today=date(2026, 11, 26)).records).to_dicts()


def _level_of(comparison: PersonNamePartComparison, left: dict, right: dict) -> str:
    """Label of the first level of `comparison` a pair of records reaches (DuckDB)."""
    con = duckdb.connect()
    columns = sorted(c for c in left if c.startswith(("mk_", "std_")))
    row = {f"{c}_{side}": record[c] for c in columns for side, record in (("l", left), ("r", right))}
    con.execute("CREATE TABLE p AS SELECT " + ", ".join(f'?::VARCHAR AS "{k}"' for k in row), [None if v is None else str(v) for v in row.values()])
    for level in comparison.get_comparison(DUCKDB).comparison_levels:
        if level.sql_condition.strip().upper() == "ELSE" or con.execute(f"SELECT count(*) FROM p WHERE {level.sql_condition}").fetchone()[0]:
            return level.label_for_charts
    raise AssertionError("no level matched")


FAMILY, GIVEN = PersonNamePartComparison("family"), PersonNamePartComparison("given")
WORDS = "the same name words in another order, or one's words among the other's"
MIDDLE = "same first given name, other middle names"


def test_a_name_in_another_order_agrees_as_its_words_at_both_parts():
    """`KARANJA MARGARET NJOKI` surname first, and `Margaret` / `Karanja`:
    the splitter takes the last word for the family name, and both parts
    disagreed outright."""
    full, parts, same_words, other = _records(
        {"full_name": "KARANJA MARGARET NJOKI"},
        {"family_name": "Karanja", "given_name": "Margaret"},
        {"full_name": "NJOKI KARANJA MARGARET"},
        {"full_name": "KAMAU MARGARET NJERI"},
    )
    assert full["mk_name_words"] == parts["mk_name_words"] + " njoki" == "karanja margaret njoki"
    assert _level_of(GIVEN, full, parts) == WORDS
    # each part among the other's words: `njoki` is not among Margaret Karanja's
    assert _level_of(FAMILY, full, parts) != WORDS
    assert _level_of(FAMILY, full, same_words) == _level_of(GIVEN, full, same_words) == WORDS
    # a shared given name and another family name: no word set holds the other
    assert _level_of(FAMILY, full, other) != WORDS and _level_of(GIVEN, parts, other) != WORDS


def test_a_familys_words_are_no_agreement_of_its_members():
    """`Del Rosario` / `Rosario` holds only words of `Del Rosario` / `Miguel`,
    whose given name is none of its own: two members of one family."""
    rosario, miguel = _records({"family_name": "Del Rosario", "given_name": "Rosario"}, {"family_name": "Del Rosario", "given_name": "Miguel"}, country="PH")
    assert _level_of(GIVEN, rosario, miguel) != WORDS


def test_one_word_in_common_is_no_word_agreement():
    """A record of one word only has no words to compare (null key)."""
    single, two = _records({"full_name": "MARGARET"}, {"full_name": "MARGARET KAMAU"})
    assert single["mk_name_words"] is None and two["mk_name_words"] == "kamau margaret"


def test_a_father_and_son_of_one_first_given_name_and_other_middle_names():
    """`Akinola / Gbenga Oluwatobi` and `Akinola / Gbenga Segun` agreed as
    the same given name; a record without the middle name does not
    disagree, nor a middle name the other record holds elsewhere."""
    father, son, plain, typo, elsewhere = _records(
        {"family_name": "Akinola", "given_name": "Gbenga Oluwatobi"},
        {"family_name": "Akinola", "given_name": "Gbenga Segun"},
        {"family_name": "Akinola", "given_name": "Gbenga"},
        {"family_name": "Akinola", "given_name": "Gbenga Oluwatobii"},
        {"full_name": "Gbenga Akinola Oluwatobi"},
        country="NG",
    )
    assert (father["mk_middle_names"], son["mk_middle_names"], plain["mk_middle_names"]) == ("oluwatobi", "segun", None)
    assert _level_of(GIVEN, father, son) == MIDDLE
    assert _level_of(GIVEN, father, plain) == _level_of(GIVEN, son, plain) == "same written name"
    assert _level_of(GIVEN, father, typo) == "same written name"
    assert _level_of(GIVEN, father, elsewhere) != MIDDLE


def test_a_particle_of_the_family_name_is_no_middle_name():
    (record,) = _records({"family_name": "du Plessis", "given_name": "Liezel"}, country="ZA")
    assert record["mk_name_words"] == "du liezel plessis" and record["mk_middle_names"] is None


def test_letters_of_no_accent_are_spelled_as_the_standardized_name_spells_them():
    """`Nguyễn Đức Hưng` and `Nguyen Duc Hung`: one middle name (`đ` has no
    accent to drop), so no other middle name."""
    accented, plain = _records({"full_name": "Nguyễn Đức Hưng"}, {"full_name": "Nguyen Duc Hung"}, country="VN")
    assert accented["mk_middle_names"] == plain["mk_middle_names"] == "duc"
    assert _level_of(GIVEN, accented, plain) != MIDDLE


def test_titles_and_suffixes_are_no_name_words():
    (record,) = _records({"family_name": "Miles", "given_name": "Dr. Jeremy Jr."}, country="US")
    assert record["mk_name_words"] == "jeremy miles"


def test_a_cyrillic_father_and_son_of_one_name_and_other_patronymics():
    """`Зайцев Алексей Михайлович` and `Алексей Алексеевич Зайцев` (a CRM
    writes either order): one given and family name, other patronymics, and
    the patronymic was never read as a middle name. A record without a
    patronymic says nothing against either."""
    father, son, plain = _records(
        {"full_name": "Зайцев Алексей Михайлович"},
        {"full_name": "Алексей Алексеевич Зайцев"},
        {"family_name": "Зайцев", "given_name": "Алексей"},
        country="RU",
    )
    assert father["mk_middle_names"] == "mihelovih mikhaylovich"
    assert son["mk_middle_names"] is not None and "alekseevich" in son["mk_middle_names"]
    assert plain["mk_middle_names"] is None
    assert _level_of(GIVEN, father, son) == MIDDLE
    assert _level_of(GIVEN, father, plain) == _level_of(GIVEN, son, plain) == "same written name"


def test_a_cyrillic_patronymic_meets_its_latin_spellings():
    """`Михайлович` and a passport's or a Ukrainian shop's `Mikhailovich`,
    `Mykhailovna` of the same person are one patronymic (the same fold),
    not other middle names; another patronymic in Latin letters disagrees."""
    cyrillic, russian, ukrainian, other = _records(
        {"full_name": "Коваленко Анна Михайловна"},
        {"full_name": "KOVALENKO ANNA MIKHAILOVNA"},
        {"family_name": "Kovalenko", "given_name": "Anna Mykhailovna"},
        {"full_name": "KOVALENKO ANNA PETROVNA"},
        country="UA",
    )
    for latin in (russian, ukrainian):
        assert "mihelovna" in latin["mk_middle_names"].split()
        assert _level_of(GIVEN, cyrillic, latin) != MIDDLE
    assert _level_of(GIVEN, cyrillic, other) == MIDDLE


def test_a_greek_middle_name_is_read_as_a_cyrillic_one_is():
    """A Greek name's middle word (a father's name, `Γεώργιος Νικολάου
    Παπαδόπουλος`) is its middle name in Latin letters; one without says nothing."""
    named, plain = _records(
        {"family_name": "Παπαδόπουλος", "given_name": "Γεώργιος Νικολάου"},
        {"family_name": "Παπαδόπουλος", "given_name": "Γεώργιος"},
        country="GR",
    )
    assert named["mk_middle_names"] is not None and named["mk_middle_names"].isascii()
    assert plain["mk_middle_names"] is None
    assert _level_of(GIVEN, named, plain) == "same written name"


def test_a_father_and_son_joined_through_a_record_without_patronymic_are_split():
    """`Зайцев Алексей Михайлович` and `Алексей Алексеевич Зайцев` of one
    cluster, both linked to a shop's `Зайцев Алексей` that says nothing: a
    cannot-link between father and son alone; none with the record without
    a patronymic, with one a typo apart (`Михаилович`), nor across clusters."""
    records = pl.DataFrame(
        _records(
            {"full_name": "Зайцев Алексей Михайлович"},
            {"full_name": "Алексей Алексеевич Зайцев"},
            {"family_name": "Зайцев", "given_name": "Алексей"},
            {"full_name": "Зайцев Алексей Михаилович"},
            {"full_name": "Зайцев Алексей Петрович"},
            country="RU",
        )
    )
    clusters = pl.DataFrame({"record_key": records["record_key"], "cluster_id": ["1", "1", "1", "1", "2"]})
    pairs = pl.DataFrame(
        {"record_key_l": ["t:3", "t:0"], "record_key_r": ["t:1", "t:2"], "match_probability": [0.99, 0.99], "held_by": [None, None]},
        schema_overrides={"held_by": pl.Utf8},
    )
    apart = middle_names_apart(clusters, records, pairs.head(0), link_threshold=0.9)
    assert sorted(apart.select("record_key_l", "record_key_r").rows()) == [("t:0", "t:1"), ("t:1", "t:3")]
    assert set(apart["steward"]) == {GENERATIONS_APART}
    # a pair linked directly (a birth date or email outweighed the given names) is not cut
    linked = middle_names_apart(clusters, records, pairs, link_threshold=0.9)
    assert linked.select("record_key_l", "record_key_r").rows() == [("t:0", "t:1")]
    assert middle_names_apart(clusters, records.drop("mk_middle_names"), pairs, link_threshold=0.9).height == 0
