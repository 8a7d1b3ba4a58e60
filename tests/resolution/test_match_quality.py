"""Match keys, comparison levels and model design: small, fast checks of what
each level and key is for (the benchmarks live in bench/)."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from resolution.comparisons import (
    AddressComparison,
    BirthDateComparison,
    CityComparison,
    EmailComparison,
    NamePartsSwappedLevel,
    PersonNamePartComparison,
    PostalCodeComparison,
)
from resolution.match_keys import add_match_keys
from resolution.model import check_blocking_rules, design_model
from resolution.standardization.readings import comparable_romanization

DUCKDB = "duckdb"  # comparisons are instantiated for this dialect


def _keys(**columns) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame({"record_key": [f"t:{i}" for i in range(n)], **columns})
    return add_match_keys(frame)


def _level_of(comparison, left: dict, right: dict) -> str:
    """Label of the first level of `comparison` that a pair of records reaches."""
    columns = sorted(set(left) | set(right))
    row = {f"{c}_l": left.get(c) for c in columns} | {f"{c}_r": right.get(c) for c in columns}
    con = duckdb.connect()
    con.execute("CREATE TABLE p AS SELECT " + ", ".join(f"?::VARCHAR AS \"{k}\"" for k in row), list(row.values()))
    for level in comparison.get_comparison(DUCKDB).comparison_levels:
        if level.sql_condition.strip().upper() == "ELSE" or con.execute(f"SELECT count(*) FROM p WHERE {level.sql_condition}").fetchone()[0]:
            return level.label_for_charts
    raise AssertionError("no level matched")


@pytest.mark.parametrize(
    ("a", "b"),
    [("ショウタロウ", "shotaro"), ("ソーイチ", "ソウイチ"), ("ユウカ", "Yuka"), ("ナンバ", "namba"), ("オオノ", "Ohno")],
)
def test_romanization_folds_kana_romaji_and_long_vowels(a, b):
    assert comparable_romanization(a) == comparable_romanization(b)


def test_romanization_keeps_different_names_apart():
    assert comparable_romanization("ハナコ") != comparable_romanization("ハナミ")
    assert comparable_romanization("123") is None


def test_match_keys_name_pair_is_order_free_and_address_keys():
    keys = _keys(
        std_family_name=["mason", "madeline", None],
        std_given_name=["madeline", "mason", "ann"],
        std_address=["54 Hoseason St.", "54 hoseason st", "名瀬町2-2-56"],
    )
    assert keys["mk_name_pair"][0] == keys["mk_name_pair"][1] == "madeline|mason"
    assert keys["mk_name_pair"][2] is None  # one part missing: no pair key
    assert keys["mk_address"].to_list()[:2] == ["54hoseasonst", "54hoseasonst"]
    assert keys["mk_address_numbers"].to_list() == ["54", "54", "2-2-56"]
    assert keys["mk_family_start"][0] == "mas"


def test_match_keys_city_is_null_without_a_city():
    keys = _keys(std_prefecture=["NSW", "東京都"], std_city=[None, "新宿区"])
    assert keys["mk_city"].to_list() == [None, "東京都新宿区"]
    assert keys["mk_prefecture"].to_list() == ["NSW", "東京都"]


def _name(family, given, family_kana=None, given_kana=None):
    frame = _keys(
        std_family_name=[family],
        std_given_name=[given],
        std_family_kana=pl.Series([family_kana], dtype=pl.Utf8),
        std_given_kana=pl.Series([given_kana], dtype=pl.Utf8),
    )
    columns = ("std_family_name", "std_family_kana", "mk_family", "mk_family_roman", "mk_given_roman", "mk_family_alt",
               "mk_family_consonants", "mk_family_cjk", "mk_name_words")  # fmt: skip
    return frame.select(columns).row(0, named=True)


def test_name_levels_exact_romanized_swapped_and_typo():
    family = PersonNamePartComparison("family")
    kana = _name("北井", "愛美", "キタイ", "アイミ")
    assert _level_of(family, kana, _name("kitai", "aimi")) == "same romanized spelling"
    swapped = _level_of(family, _name("mason", "madeline"), _name("madeline", "mason"))
    assert "order swapped" in swapped and "exactly" in swapped
    # symmetric: the same level whichever record is on the left
    assert _level_of(family, _name("madeline", "mason"), _name("mason", "madeline")) == swapped
    assert _level_of(family, _name("lazaroff", "x"), _name("lazavroff", "y")) == "one typo or Jaro-Winkler >= 0.92"
    assert _level_of(family, _name("green", "a"), _name("nguyen", "b")) == "All other comparisons"


@pytest.mark.parametrize(
    ("part", "left", "right", "label"),
    [
        # a name held in kana only (or only its reading) and the same name in kanji
        ("given", (None, None, "カンダ", "カズヤ"), ("神田", "和也", "カンダ", "カズヤ"), "same romanized spelling"),
        ("given", ("かんだ", "かずや", "カンダ", "カズヤ"), ("神田", "和也", "カンダ", "カズヤ"), "same romanized spelling"),
        # homophones: two names of one reading
        ("given", ("広田", "浩", "ヒロタ", "ヒロシ"), ("広田", "博", "ヒロタ", "ヒロシ"), "same reading, other kanji"),
        # a long vowel only apart: a romaji record may drop it (Ono for 大野), a kana one may write it ー
        ("family", ("小野", "由美", "オノ", "ユミ"), ("ono", "yumi", None, None), "same romanized spelling"),
        ("family", ("大野", "由美", "オオノ", "ユミ"), ("ono", "yumi", None, None), "same romanized spelling"),
        ("family", (None, None, "オーノ", "ユミ"), ("大野", "由美", "オオノ", "ユミ"), "same romanized spelling"),
        # two kanji names of their own readings, a long vowel apart: one typo
        ("family", ("大野", "由美", "オオノ", "ユミ"), ("小野", "由美", "オノ", "ユミ"), "one typo or Jaro-Winkler >= 0.92"),
    ],
)  # fmt: skip
def test_kana_kanji_and_homophone_name_levels(part, left, right, label):
    def keyed(name: tuple) -> dict:
        columns = ("std_family_name", "std_given_name", "std_family_kana", "std_given_kana")
        frame = _keys(**{column: pl.Series([value], dtype=pl.Utf8) for column, value in zip(columns, name, strict=True)})
        keys = ("mk_family", "mk_given", "mk_family_roman", "mk_given_roman", "mk_family_alt", "mk_given_alt", "mk_family_consonants", "mk_given_consonants", "mk_family_cjk", "mk_given_cjk", "mk_name_words", "mk_middle_names")
        return frame.select(*columns[:3], *keys).row(0, named=True)

    comparison = PersonNamePartComparison(part)
    # symmetric: the same level whichever record is on the left
    assert [_level_of(comparison, keyed(a), keyed(b)) for a, b in ((left, right), (right, left))] == [label, label]


def test_a_surname_left_out_has_a_family_name_level_of_its_own():
    """A Spanish record without the second surname (`garcia`, `garcialopez`)
    and a Portuguese one without the first (`souza`, `pereirasouza`): a
    level of their own, whichever record is on the left; not for a Japanese
    reading that ends another (`naka`, `tanaka`), nor for two names that only
    share a few letters."""
    family = PersonNamePartComparison("family")
    left_out = "a surname left out (one starts or ends the other)"
    assert _level_of(family, _name("souza", "rafael"), _name("pereirasouza", "rafael")) == left_out
    assert _level_of(family, _name("pereirasouza", "rafael"), _name("souza", "rafael")) == left_out
    assert _level_of(family, _name("garcia", "ana"), _name("garcialopez", "ana")) == left_out
    assert _level_of(family, _name("中", "x", "ナカ"), _name("田中", "y", "タナカ")) != left_out
    assert _level_of(family, _name("sa", "x"), _name("sousa", "y")) != left_out  # too short to tell
    assert _level_of(family, _name("green", "a"), _name("nguyen", "b")) == "All other comparisons"


def _given_level(left: tuple[str, str], right: tuple[str, str]) -> str:
    """Level of the given-name comparison that two records reach, each a
    (given name, country), with their match keys."""
    keys = _keys(
        std_family_name=["smith", "smith"],
        std_given_name=[left[0], right[0]],
        std_country=[left[1], right[1]],
    ).select("std_given_name", "mk_given", "mk_given_roman", "mk_family_roman", "mk_given_alt", "mk_given_consonants", "mk_given_cjk", "mk_given_names", "mk_name_words", "mk_middle_names")
    pair = pl.concat(
        [keys.head(1).select(pl.all().name.suffix("_l")), keys.tail(1).select(pl.all().name.suffix("_r"))],
        how="horizontal",
    )
    con = duckdb.connect()
    con.register("p", pair.to_arrow())
    for level in PersonNamePartComparison("given").get_comparison(DUCKDB).comparison_levels:
        if level.sql_condition.strip().upper() == "ELSE" or con.execute(f"SELECT count(*) FROM p WHERE {level.sql_condition}").fetchone()[0]:
            return level.label_for_charts
    raise AssertionError("no level matched")


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        (("bob", "US"), ("robert", "US"), "nicknames of one name"),
        (("mike", "DE"), ("michael", "DE"), "nicknames of one name"),
        (("liz", "GB"), ("elizabeth", "US"), "nicknames of one name"),
        (("peggy", "US"), ("maggie", "US"), "nicknames of one name"),  # both nicknames of margaret
        (("kate", "US"), ("katie", "US"), "one typo or Jaro-Winkler >= 0.92"),  # a typo stays a typo
        (("brenda", "US"), ("john", "US"), "All other comparisons"),
        (("r", "GB"), ("ryan", "GB"), "one is the other's initial"),  # R. Ashton, Ryan Ashton
        (("ryan", "GB"), ("r", "GB"), "one is the other's initial"),
        (("r", "GB"), ("ry", "GB"), "one is the other's initial"),  # not a typo
        (("m", "GB"), ("p", "GB"), "All other comparisons"),  # two initials are no typo of one name
        (("m", "GB"), ("paul", "GB"), "All other comparisons"),
        (("jon", "GB"), ("jo", "GB"), "one typo or Jaro-Winkler >= 0.92"),
        # a compound and its lead alone or its rest: a short form of one name
        (("mohammed-tariqul", "IN"), ("mohammed", "GB"), "one is the other's compound name in part"),
        (("tariqul", "IN"), ("mohammed-tariqul", "AE"), "one is the other's compound name in part"),
        (("maria-remedios", "MX"), ("maria", "MX"), "one is the other's compound name in part"),
        (("maria", "MX"), ("mariana", "MX"), "one typo or Jaro-Winkler >= 0.92"),  # no compound: as before
        # two compounds of one lead with other rests are two names, a typo in the rest is a typo
        (("mohammed-tariqul", "IN"), ("mohammed-abdulsobhan", "IN"), "All other comparisons"),
        (("maria-remedios", "MX"), ("maria-rosario", "MX"), "All other comparisons"),
        (("abdul-sobhan", "IN"), ("abdul-sobhon", "IN"), "one typo or Jaro-Winkler >= 0.92"),
        (("mohammed-tariqul", "AE"), ("mohammed-tarigul", "AE"), "one typo or Jaro-Winkler >= 0.92"),
        # Russian, Ukrainian and Latin forms of one name (`east_slavic_names`)
        (("петро", "UA"), ("pyotr", "RU"), "nicknames of one name"),
        (("oleksandr", "UA"), ("alexander", "DE"), "nicknames of one name"),
        (("iurii", "KZ"), ("юрий", "RU"), "mk_given_roman is the other's spelling in its own script's language (mk_given_alt)"),
        (("iurii", "DE"), ("юрий", "RU"), "nicknames of one name"),  # abroad `Iurii` could be romaji: no folded spelling
    ],
)
def test_given_names_that_are_nicknames_of_one_name_agree(left, right, label):
    assert _given_level(left, right) == label


def test_only_given_names_the_nickname_table_knows_have_a_names_key():
    # a Japanese Ken is no Kenneth: records of Japan have none
    keys = _keys(std_given_name=["bob", "zorblax", "ken", None, "yuri", "айгуль"], std_country=["US", "US", "JP", "US", "JP", "KZ"])
    assert keys["mk_given_names"].to_list()[1:] == [None, None, None, None, None]  # a Japanese Yuri is no Юрий
    assert {"bob", "robert"} <= set(keys["mk_given_names"][0].split("|"))
    family = PersonNamePartComparison("family").get_comparison(DUCKDB).comparison_levels
    assert not any("mk_given_names" in level.sql_condition for level in family)


def _parts(family: str | None, given: str | None) -> dict:
    """A record's match keys of both name parts, for either name comparison."""
    keys = _keys(std_family_name=[family], std_given_name=[given], std_family_kana=pl.Series([None], dtype=pl.Utf8))
    return keys.select(
        "std_family_name", "std_given_name", "std_family_kana", "mk_family", "mk_given", "mk_family_roman",
        "mk_given_roman", "mk_family_alt", "mk_given_alt", "mk_family_consonants", "mk_given_consonants",
        "mk_family_cjk", "mk_given_cjk", "mk_given_names", "mk_name_words", "mk_middle_names",
    ).row(0, named=True)  # fmt: skip


@pytest.mark.parametrize("part", ["family", "given"])
def test_order_swapped_needs_both_names_swapped(part):
    comparison = PersonNamePartComparison(part)
    # a call centre's `Jung Maximilian` read family first, and Julia Jung: one name in the other's place
    assert "order swapped" not in _level_of(comparison, _parts("maximilian", "jung"), _parts("jung", "julia"))
    assert "order swapped" not in _level_of(comparison, _parts("peter", "blocher"), _parts("peters", "melanie"))
    swapped = _level_of(comparison, _parts("mason", "madeline"), _parts("madeline", "mason"))
    assert "order swapped" in swapped and "exactly" in swapped
    with_typo = _level_of(comparison, _parts("mason", "madeline"), _parts("madeleine", "masen"))
    assert "order swapped" in with_typo and "Jaro-Winkler" in with_typo


def test_swapped_level_with_typo_uses_jaro_winkler():
    level = NamePartsSwappedLevel("mk_family_roman", "mk_given_roman", jaro_winkler_threshold=0.9)
    sql = level.get_comparison_level(DUCKDB).sql_condition
    assert "jaro_winkler" in sql and "AND" in sql


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("1980-03-01", "1980-03-01", "Exact match on mk_birth_date"),
        ("1980-03-01", "1980-01-03", "day and month transposed"),
        ("1980-03-01", "1980-03-07", "one-digit typo"),
        ("1980-03-01", "1980-03-28", "same year and month"),
        ("1980-03-01", "1980-11-28", "same year"),
        ("1980-03-01", "1975-11-28", "All other comparisons"),
    ],
)
def test_birth_date_levels(left, right, label):
    comparison = BirthDateComparison()
    assert _level_of(comparison, {"mk_birth_date": left}, {"mk_birth_date": right}) == label


def _email(email: str, given: str | None = None, family: str | None = None) -> dict:
    """A record's email columns (`std_email`, `std_email_local`, `mk_email_mailbox`) with its name."""
    keyed = _keys(std_email=[email], std_email_local=[email.split("@")[0]], std_given_name=[given], std_family_name=[family])
    return keyed.select("std_email", "std_email_local", "mk_email_mailbox").row(0, named=True)


SAME_LOCAL, SIMILAR = "same local part, more than the name", "similar, same digits (Jaro-Winkler >= 0.92), more than the name"
NAME_ALONE = "a mailbox of the name alone, same or similar (weighed by the names)"


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        ("david.berg31@example.net", "david.berg31@example.net", "Exact match on std_email"),
        ("david.berg31@example.net", "david.berg31@example.jp", SAME_LOCAL),
        ("david.brg31@example.net", "david.berg31@example.net", SIMILAR),
        ("david.berg@example.net", "david.breg@example.net", SIMILAR),
        ("david.berg31@example.net", "david.berg22@example.net", "All other comparisons"),  # a namesake's
        ("david.berg31@example.net", "david.berg@example.net", "All other comparisons"),
    ],
)
def test_email_levels_tell_namesakes_numbers_apart(left, right, label):
    assert _level_of(EmailComparison(), _email(left), _email(right)) == label


@pytest.mark.parametrize(
    ("left", "right", "label"),
    [
        # the name alone at another provider, in the other order, or with the initial: what the names say
        (("ranjitsingh@gmail.com", "ranjit", "singh"), ("ranjitsingh@hotmail.com", "ranjit", "singh"), NAME_ALONE),
        (("nasrin.miah@yahoo.com", "nasrin", "miah"), ("nasrinmiah@yahoo.com", "nasrin", "miah"), NAME_ALONE),
        (("miah.nasrin@yahoo.com", "nasrin", "miah"), ("miah.nasrin@hotmail.com", "nasrin", "miah"), NAME_ALONE),
        (("r.singh@outlook.com", "ranjit", "singh"), ("r.singh@yahoo.com", "ranjit", "singh"), NAME_ALONE),
        (("hashimoto.ai@example.jp", "愛", "橋本"), ("hashimoto.ai@example.com", "アイ", "ハシモト"), NAME_ALONE),
        # one address is the same mailbox, whatever it spells
        (("ranjitsingh@gmail.com", "ranjit", "singh"), ("ranjitsingh@gmail.com", "ranjit", "singh"), "Exact match on std_email"),
        # digits, or words beyond the record's name, are the customer's own
        (("ranjit87@gmail.com", "ranjit", "singh"), ("ranjit87@hotmail.com", "ranjit", "singh"), SAME_LOCAL),
        (("sunbeam.kaur@gmail.com", "ranjit", "kaur"), ("sunbeam.kaur@yahoo.com", "ranjit", "kaur"), SAME_LOCAL),
        # a record of no name: the other's mailbox of the name alone is still a namesake's as readily
        (("ranjitsingh@gmail.com", "ranjit", "singh"), ("ranjitsingh@hotmail.com", None, None), NAME_ALONE),
    ],
)
def test_a_mailbox_of_the_name_alone_says_no_more_than_the_name(left, right, label):
    """`ranjitsingh@gmail.com` and `ranjitsingh@hotmail.com` are two
    namesakes' as readily as one customer's: the names already weighed
    what the mailbox says (a null level); a number or another word in it,
    or the same whole address, still weighs."""
    assert _level_of(EmailComparison(), _email(*left), _email(*right)) == label


def _address(street):
    return _keys(std_address=[street]).select("mk_address", "mk_address_numbers").row(0, named=True)


def test_address_neighbours_are_not_a_typo():
    comparison = AddressComparison()
    typo = _level_of(comparison, _address("54 hoseason st"), _address("54 hoseasno st"))
    assert typo == "same numbers, edit distance <= 2"
    neighbour = _level_of(comparison, _address("163 chelsea branch"), _address("239 chelsea branch"))
    assert neighbour == "similar street, other numbers"


def test_a_move_is_weighed_by_the_postal_code_alone():
    """Postal codes of other areas: a street or city that differs too is the
    same move, at a null level (weight 0); without both postal codes the city
    weighs the move and a street that differs with it is not weighed again;
    in one area, a different street or city is weighed as before."""
    moved = "postal codes of other areas (weighed there)"
    street_moved = "postal codes of other areas, or other cities without one (weighed there)"
    here = _address("1-2-3 dogenzaka") | {"mk_postal_area": "150", "mk_city": "渋谷区", "mk_prefecture": "東京都"}
    there = _address("4-5-6 umeda") | {"mk_postal_area": "530", "mk_city": "大阪市北区", "mk_prefecture": "大阪府"}
    assert _level_of(AddressComparison(), here, there) == street_moved
    assert _level_of(CityComparison(), here, there) == moved
    unknown = there | {"mk_postal_area": None}
    assert _level_of(AddressComparison(), here, unknown) == street_moved  # the city weighs this move
    assert _level_of(CityComparison(), here, unknown) == "All other comparisons"
    nowhere = unknown | {"mk_city": None}
    assert _level_of(AddressComparison(), here, nowhere) == "All other comparisons"
    neighbouring_town = there | {"mk_postal_area": "150"}  # another city of the same postal area: no move
    assert _level_of(AddressComparison(), here, neighbouring_town) == "All other comparisons"
    neighbour = _address("1-9-8 dogenzaka") | {"mk_postal_area": "150"}
    assert _level_of(AddressComparison(), here, neighbour) == "similar street, other numbers"
    same_prefecture = there | {"mk_prefecture": "東京都", "mk_city": "八王子市"}
    assert _level_of(CityComparison(), here, same_prefecture) == moved  # the move, not the prefecture, decides
    assert _level_of(CityComparison(), here, same_prefecture | {"mk_postal_area": "150"}) == "same prefecture/state"
    assert _level_of(CityComparison(), here, there | {"mk_city": "渋谷区"}).startswith("Exact match")
    for comparison in (AddressComparison(), CityComparison()):
        levels = comparison.get_comparison(DUCKDB).comparison_levels
        assert [lv.is_null_level for lv in levels].count(True) == 2  # the null values and the move


def test_postal_code_one_typo_level():
    comparison = PostalCodeComparison()
    left = {"std_postal_code": "4881", "mk_postal_area": "488"}
    right = {"std_postal_code": "4818", "mk_postal_area": "481"}
    assert _level_of(comparison, left, right) == "one typo"


def _people(n: int) -> pl.DataFrame:
    return add_match_keys(
        pl.DataFrame(
            {
                "record_key": [f"t:{i}" for i in range(n)],
                "std_family_name": [f"family{i % 50}" for i in range(n)],
                "std_given_name": [f"given{i % 37}" for i in range(n)],
                "std_birth_date": [date(1950 + i % 40, 1 + i % 12, 1 + i % 28) for i in range(n)],
                "std_postal_code": ["1000001"] * n,  # everyone shares one postal code
            }
        )
    )


def test_blocking_analysis_drops_a_rule_that_explodes():
    records = _people(1_600)  # one postal code: the postal-only rule would compare everyone (~1.3M pairs)
    counts = check_blocking_rules(records, (("mk_birth_date", "mk_given_roman"), ("std_postal_code",)))
    assert counts[0].kept and not counts[1].kept
    assert counts[1].marginal_comparisons > 1_000_000


def test_design_records_blocking_counts_and_keeps_fingerprint_free_of_them():
    records = _people(300)
    design = design_model(records)
    assert {"family_name", "given_name", "birth_date", "postal_code"} <= set(design.comparisons)
    assert design.blocking_counts and all(c.marginal_comparisons >= 0 for c in design.blocking_counts)
    assert design_model(records, check_counts=False).fingerprint == design.fingerprint


def test_the_nickname_level_reads_on_spark_too():
    """Spark's split takes a regular expression: the separator is bracketed."""
    import sqlglot

    levels = {level.label_for_charts: level for level in PersonNamePartComparison("given").get_comparison("spark").comparison_levels}
    level = levels["nicknames of one name"]
    assert "arrays_overlap" in level.sql_condition and "'[|]'" in level.sql_condition
    sqlglot.parse_one(level.sql_condition, read="spark")


def test_hanzi_and_hangul_names_meet_their_latin_spelling():
    family = PersonNamePartComparison("family")
    latin = _name("wang", "wei")
    hanzi = _name("王", "偉", "ワン", "ウェイ")  # read ワン in Japanese kana: `wan`
    assert hanzi["mk_family_roman"] == "wan" and hanzi["mk_family_alt"] == "wang"
    label = _level_of(family, hanzi, latin)
    assert "spelling in its own script's language" in label
    assert _level_of(family, latin, hanzi) == label  # either record on the left
    traditional = _name("張", "偉", "チョウ", "イ")
    assert _level_of(family, _name("张", "伟"), traditional) == label  # both spelled zhang
    assert _level_of(family, _name("김", "민준"), _name("kim", "minjun")) == label
    katakana = _name("キム", "ミンジュン")
    assert _level_of(family, katakana, _name("kim", "minjun")) == label
    assert _level_of(family, hanzi, _name("li", "wei")) == "All other comparisons"
    # a Latin name's other spelling is the transliterations' fold (w as v); romaji-like ones have none
    assert _name("wang", "wei")["mk_family_alt"] == "vang"
    assert _name("kitai", "wei")["mk_family_alt"] is None


def test_the_initial_levels_read_on_spark_too():
    """The initial level and the typo level's guard name their columns in
    Spark's quotes (a double-quoted name is a string there)."""
    import sqlglot

    levels = {level.label_for_charts: level for level in PersonNamePartComparison("given").get_comparison("spark").comparison_levels}
    for label in ("one is the other's initial", "one is the other's compound name in part", "one typo or Jaro-Winkler >= 0.92"):
        condition = levels[label].sql_condition
        assert '"' not in condition and "`mk_given_roman_l`" in condition
        sqlglot.parse_one(condition, read="spark")


@pytest.mark.parametrize(
    ("postal_code", "area"),
    [("M72LF", "M7"), ("SW1A1AA", "SW1A"), ("B51LW", "B5"), ("EC1A1BB", "EC1A"), ("1500001", "150"), ("10001", "100"), ("K1A0B1", "K1A")],
)
def test_the_postal_area_of_a_uk_postcode_is_its_outward_code(postal_code, area):
    """`M7 2LF` and `M72 ...` are other districts: the first three characters
    (`M72`) mixed the district with the sector. Other countries' codes keep
    their first three (a Canadian FSA is three)."""
    assert _keys(std_postal_code=[postal_code])["mk_postal_area"].to_list() == [area]


def test_every_name_level_written_for_spark_scores_alike_on_duckdb():
    """A model trained on Spark scores its review pairs on DuckDB
    (`engines.settings_for_dialect`): each level transpiled from Spark's SQL
    must agree with the level DuckDB writes itself, pair by pair. sqlglot
    wrote the nickname level's list overlap as `&&`, which Splink's parser
    refused, and its split as a regular expression split."""
    from resolution.engines import transpile_condition

    names = [("bob", "US"), ("robert", "US"), ("r", "US"), ("ryan", "US"), ("m", "US"), ("p", "US"), ("katherine", "US"),
             ("mohammed", "IN"), ("mohammed-tariqul", "IN"), ("mohammed-abdulsobhan", "IN"), ("tariqul", "IN")]  # fmt: skip
    keys = _keys(
        std_family_name=["smith"] * len(names),
        std_given_name=[n for n, _ in names],
        std_country=[c for _, c in names],
    ).with_columns(  # name words and middle names as `match_keys.name_words` writes them (no delivered names here)
        mk_name_words=pl.Series([None, "robert smith", "lee smith", "ryan smith", None, "lee p smith", "katherine smith", "ali mohammed smith",
                                 "ali mohammed tariqul smith", "mohammed smith", "smith tariqul"], dtype=pl.Utf8),
        mk_middle_names=pl.Series([None, None, "lee", None, None, "lee", None, "ali", "ali", None, None], dtype=pl.Utf8),
    ).select("std_given_name", "mk_given", "mk_given_roman", "mk_family_roman", "mk_given_alt", "mk_given_consonants", "mk_given_cjk", "mk_given_names", "mk_name_words", "mk_middle_names")
    left, right = keys.select(pl.all().name.suffix("_l")), keys.select(pl.all().name.suffix("_r"))
    pairs = left.join(right, how="cross")
    con = duckdb.connect()
    con.register("p", pairs.to_arrow())
    native = PersonNamePartComparison("given").get_comparison(DUCKDB).comparison_levels
    spark = PersonNamePartComparison("given").get_comparison("spark").comparison_levels
    checked = 0
    for mine, theirs in zip(native, spark, strict=True):
        if mine.sql_condition.strip().upper() == "ELSE":
            continue
        transpiled = transpile_condition(theirs.sql_condition, "spark", DUCKDB)
        query = "SELECT list(({c})::INT ORDER BY std_given_name_l, std_given_name_r) FROM p"
        assert con.execute(query.format(c=transpiled)).fetchone() == con.execute(query.format(c=mine.sql_condition)).fetchone(), mine.label_for_charts
        checked += 1
    assert checked >= 8


def test_an_arabic_name_meets_its_latin_spellings_and_latin_names_never_meet_on_consonants():
    """`فاطمة الفلاسي` (a CRM) and `FATIMA AL FALASI` (a loyalty card) were
    names that disagree outright; Latin namesakes are compared as before."""
    family, given = PersonNamePartComparison("family"), PersonNamePartComparison("given")
    columns = ("std_family_name", "std_given_name", "std_family_kana", "mk_family", "mk_given", "mk_family_roman", "mk_given_roman",
               "mk_family_alt", "mk_given_alt", "mk_family_consonants", "mk_given_consonants", "mk_family_cjk", "mk_given_cjk", "mk_given_names", "mk_name_words", "mk_middle_names")  # fmt: skip
    keys = _keys(
        std_family_name=["الفلاسي", "alfalasi", "falasy", "alhashimi", "khan", "khan"],
        std_given_name=["فاطمه", "fatima", "fathima", "fatima", "mohammed", "muhammad"],
        std_country=["AE"] * 6,
        std_family_kana=pl.Series([None] * 6, dtype=pl.Utf8),
    ).select(columns).to_dicts()
    arabic, loyalty, typed, other_family, khan, other_khan = keys
    label = _level_of(family, arabic, loyalty)
    assert "spelling in its own script's language" in label
    assert _level_of(family, loyalty, arabic) == label == _level_of(family, typed, arabic)
    assert _level_of(given, arabic, typed) == _level_of(given, arabic, loyalty) == label.replace("family", "given")
    assert _level_of(family, arabic, other_family) == "All other comparisons"
    # two Latin spellings keep their levels: consonants are compared against Arabic script only
    assert _level_of(given, khan, other_khan) != label.replace("family", "given")
    assert _level_of(given, loyalty, other_family) == "same written name"


@pytest.mark.parametrize(
    ("left", "right", "agree"),
    [("r", "ryan", True), ("m", "p", False), ("mohammed", "mohammed-tariqul", True), ("mohammed-tariqul", "tariqul", True),
     ("mohammed-tariqul", "mohammed-abdulsobhan", False), ("maria", "mariana", False), ("tariqul", "mohammed", False)],
)  # fmt: skip
def test_the_pair_rules_read_a_compound_in_part_as_the_given_name_level_does(left, right, agree):
    """`given_names.initial_agrees` (the pair rules' `_nickname` flag) and the
    comparison's initial and compound levels say the same."""
    from resolution.given_names import initial_agrees

    frame = pl.DataFrame({"l": [left, right], "r": [right, left]})
    assert frame.select(initial_agrees(pl.col("l"), pl.col("r")))["l"].to_list() == [agree, agree]


def _cjk_name(family: str, given: str, script: str, country: str) -> dict:
    frame = _keys(
        std_family_name=[family], std_given_name=[given], std_name_script=[script], std_country=[country],
        std_family_kana=pl.Series([None], dtype=pl.Utf8),
    )
    columns = ("std_family_name", "std_given_name", "std_family_kana", "mk_family", "mk_given", "mk_family_roman", "mk_given_roman",
               "mk_family_alt", "mk_given_alt", "mk_family_consonants", "mk_given_consonants", "mk_family_cjk",
               "mk_given_cjk", "mk_given_names", "mk_name_words", "mk_middle_names")  # fmt: skip
    return frame.select(columns).row(0, named=True)


def test_a_name_in_hanzi_or_hangul_meets_its_latin_spellings_on_the_folded_key():
    """张怡君 (a Taiwanese shop) and `Chang Yi-Chun` (its web store); 박서준 and
    `Bak Suh-joon`: the same spelling in the name's own language, either way
    round. Two Latin spellings, or two Hangul names the fold joins (연, 윤),
    do not meet there."""
    own = "is the other's spelling in its own script's language"
    family, given = PersonNamePartComparison("family"), PersonNamePartComparison("given")
    pairs = [
        (family, _cjk_name("张", "怡君", "zh", "TW"), _cjk_name("chang", "yichun", "latin", "TW")),
        (given, _cjk_name("张", "怡君", "zh", "TW"), _cjk_name("chang", "yichun", "latin", "TW")),
        (family, _cjk_name("陈", "大文", "zh", "CN"), _cjk_name("chan", "taiman", "latin", "HK")),
        (family, _cjk_name("박", "서준", "ko", "KR"), _cjk_name("bak", "suhjoon", "latin", "KR")),
        (given, _cjk_name("박", "서준", "ko", "KR"), _cjk_name("bak", "suhjoon", "latin", "KR")),
    ]
    for comparison, left, right in pairs:
        assert own in _level_of(comparison, left, right)
        assert own in _level_of(comparison, right, left)
    two_latin = (_cjk_name("lee", "yeon", "latin", "KR"), _cjk_name("yi", "yun", "latin", "KR"))
    assert own not in _level_of(family, *two_latin)
    assert own not in _level_of(given, _cjk_name("김", "지연", "ko", "KR"), _cjk_name("김", "지윤", "ko", "KR"))


def test_wong_meets_both_names_it_spells_and_they_stay_two_names():
    """`Wong` is how Hong Kong writes 王 and 黄 alike: it meets each at the
    level of the same spelling, while 黄 no longer meets `Wang` there, nor 王
    `Huang` (keyed alike, the two were one name)."""
    own = "is the other's spelling in its own script's language"
    family = PersonNamePartComparison("family")
    wang, huang = _cjk_name("王", "敏婷", "zh", "TW"), _cjk_name("黄", "敏婷", "zh", "TW")
    for written in (wang, huang):
        latin = _cjk_name("wong", "manting", "latin", "HK")
        assert own in _level_of(family, written, latin) and own in _level_of(family, latin, written)
    assert own in _level_of(family, wang, _cjk_name("wang", "minting", "latin", "TW"))
    assert own in _level_of(family, huang, _cjk_name("huang", "minting", "latin", "TW"))
    assert own not in _level_of(family, huang, _cjk_name("wang", "minting", "latin", "TW"))
    assert own not in _level_of(family, wang, _cjk_name("huang", "minting", "latin", "TW"))


SINGLE_NAME = "a single name, a family name alone in one record and a given name alone in the other"


def test_a_single_name_in_the_other_box_agrees_at_the_given_name():
    """`Wagino` in one form's last-name box and another's one-word full name
    (given name alone) agree once, at the given name; the family name leaves
    the pair missing, as it does for two given names alone."""
    given, family = PersonNamePartComparison("given"), PersonNamePartComparison("family")
    fam_only, given_only = _parts("wagino", None), _parts(None, "wagino")
    assert _level_of(given, fam_only, given_only) == SINGLE_NAME
    assert _level_of(given, given_only, fam_only) == SINGLE_NAME
    assert "missing" in _level_of(family, fam_only, given_only)
    # another single name, a two-name record, or both in one box: no such level
    assert "missing" in _level_of(given, fam_only, _parts(None, "suyatno"))
    assert "missing" in _level_of(given, fam_only, _parts("hartono", "wagino"))
    assert _level_of(given, given_only, _parts(None, "wagino")) == "same written name"
