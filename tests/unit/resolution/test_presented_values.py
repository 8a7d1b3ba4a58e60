"""Presented golden values: the surviving record's own spelling of a standardized value."""

from __future__ import annotations

import polars as pl
import pytest

from nayose_config import SurvivorshipConfig
from resolution.presented_values import (
    PRESENTED_ATTRIBUTES,
    folded,
    folded_expr,
    japanese_spelling,
    presented_value,
    with_presented_values,
)
from resolution.survivorship import survive


@pytest.mark.parametrize(
    ("standardized", "raws", "expected"),
    [
        ("godard", ("Godard",), "Godard"),  # case
        ("munchen", ("München",), "München"),  # accents
        ("strasse", ("Straße",), "Straße"),  # ß folds to ss
        ("obrien", ("O'Brien",), "O'Brien"),  # apostrophe
        ("smithjones", ("Smith-Jones",), "Smith-Jones"),  # hyphenated name
        ("jeanpierre", ("Jean Pierre",), "Jean Pierre"),  # a two-word given name
        ("godard", (None, "Marie Godard"), "Godard"),  # family name split from the full name
        ("marie", (None, "Dr. Marie Godard"), "Marie"),  # given name split, the title left out
        ("obrien", (None, "Mary O'Brien"), "O'Brien"),
        ("j", ("J.",), "J."),  # an initial keeps its full stop
        ("237 rue oceane marion", ("237 rue Océane Marion, 75001 Paris",), "237 rue Océane Marion"),  # line held code and city
        ("munchen", (None, "Leopoldstraße 3, 80802 München"), "München"),  # city found in the raw line
        ("12 main st", ("12 Main Street",), "12 Main Street"),  # abbreviated by standardization
        ("12 main st apt 4", ("12 Main St., Apt #4",), "12 Main St., Apt #4"),  # punctuation dropped by it
        ("heintzestr 34", ("Heintzestr. 34",), "Heintzestr. 34"),
        ("hauptstr 1", ("Hauptstraße 1",), "Hauptstraße 1"),  # the German street suffix, abbreviated by it
        ("hauptstr 1", ("Hauptstrasse 1",), "Hauptstrasse 1"),
        ("hauptstr 1", ("Hauptstr. 1",), "Hauptstr. 1"),
        ("berliner str 5", ("BERLINER STRASSE 5, 10115 Berlin",), "BERLINER STRASSE 5"),
        ("str des 17 juni 135", ("Straße des 17. Juni 135",), "Straße des 17. Juni 135"),
        ("giessen", ("Gießen",), "Gießen"),
        ("r augusta 15 apt 12", ("R. Augusta, nº 15, apto 12 - Consolação",), "R. Augusta, nº 15, apto 12"),  # number sign dropped
        ("av paulista 900", ("Avenida Paulista, 900",), "Avenida Paulista, 900"),
        ("apt 2507 al noor tower al nuaimiya", ("Al Noor Tower, Flat No 2507, Al Nuaimiya, Ajman",), "Flat No 2507, Al Noor Tower, Al Nuaimiya"),  # flat moved first
        ("BAYERN", ("Bayern",), "Bayern"),  # upper-cased region
        ("ann", ("Anna",), "ann"),  # a span must end on a word boundary
        ("godard", ("Dupont",), "godard"),  # nothing aligns: the standardized value
        ("godard", (None, None), "godard"),
        ("高橋", ("髙橋",), "髙橋"),  # Japanese: the record's kanji, not the matching's folding
        ("高橋", (None, "髙橋 一郎"), "髙橋"),  # found in the full name
        ("沢井", ("澤井",), "澤井"),
        ("斎藤", ("齋藤",), "齋藤"),
        ("雅", ("鴉",), "雅"),  # 鴉 is no variant of 雅 (ja-itaiji's loose family folded it): as standardized
        ("高橋", ("高橋",), "高橋"),
        ("高橋", ("佐藤",), "高橋"),  # no raw value folds to it: as standardized
        ("1-2-3", ("東京都千代田区丸の内1-2-3",), "1-2-3"),  # a raw value in Japanese script too
        ("ヤマダ", ("やまだ",), "ヤマダ"),
    ],
)
def test_presented_value_aligns_the_raw_spelling(standardized: str, raws: tuple, expected: str) -> None:
    assert presented_value(standardized, *raws) == expected


def test_a_full_name_may_hold_its_words_in_another_order() -> None:
    assert presented_value("godardmarie", "Marie Godard", reordered=True) == "Marie Godard"
    assert presented_value("godardjeanpierre", "Mr Jean Pierre Godard", reordered=True) == "Jean Pierre Godard"
    assert presented_value("godardmarie", "Godard, Marie", reordered=True) == "Godard, Marie"
    assert presented_value("godardmarie", "Marie Godard") == "godardmarie"  # only where asked for
    assert presented_value("godardmarie", "Marie Dupont", reordered=True) == "godardmarie"


@pytest.mark.parametrize(
    ("standardized", "raws", "expected"),
    [
        ("vanpasman", ("Pasman, van",), "van Pasman"),  # a comma's list order is undone
        ("vanderberg", ("Berg, van der",), "van der Berg"),
        ("estevescorreia", ("Esteves da Correia",), "Esteves da Correia"),
        ("pereirasouza", (None, "RAFAEL PEREIRA DE SOUZA"), "PEREIRA DE SOUZA"),  # was `souzapereirade`
        ("souzaconceicao", (None, "LUIZ HENRIQUE DE SOUZA DA CONCEIÇÃO"), "DE SOUZA DA CONCEIÇÃO"),
        ("teixeiraramos", (None, "PAULO TEIXEIRA RAMOS JÚNIOR"), "TEIXEIRA RAMOS"),  # was `JÚNIOR`
        ("souzaneves", (None, "de Souza das Neves, Mateus"), "de Souza das Neves"),
        ("santos", (None, "Júlia dos Santos"), "dos Santos"),  # with its particle
        ("gomezleon", (None, "Arturo Gomez-de Leon"), "Gomez-de Leon"),
        ("godard", (None, "'Godard', Marie"), "Godard"),
    ],
)
def test_a_family_name_is_shown_as_its_written_surnames(standardized: str, raws: tuple, expected: str) -> None:
    """A family name key drops Spanish and Portuguese particles and suffixes
    (`pereirasouza`); the golden record shows the words that key came from,
    particles first, never the key (a Brazilian ERP's golden records showed
    `RAFAEL souzapereirade`)."""
    spec = PRESENTED_ATTRIBUTES["family_name"]
    assert presented_value(standardized, *raws, reordered=spec.reordered, surnames=spec.surnames) == expected


def test_a_full_name_is_shown_as_its_record_wrote_it() -> None:
    """A full name is shown as written (cleaned, titles and notes left out), not
    rebuilt from the parts it was split into: `MARIA APARECIDA DA SILVA
    FALCÃO` was `MARIA FALCÃO`, `PAULO TEIXEIRA RAMOS JÚNIOR` `PAULO JÚNIOR`."""
    frame = pl.DataFrame(
        {
            "std_family_name": ["silvafalcao", "teixeiraramos", "smith", "gerard"],
            "std_given_name": ["maria", "paulo", "john", "stephane"],
            "std_full_name": ["silvafalcaomaria", "teixeiraramospaulo", "smithjohn", "gerardstephane"],
            "_raw_family_name": [None, None, None, "Gérard"],
            "_raw_given_name": [None, None, None, "Stéphane"],
            "_raw_full_name": ["MARIA APARECIDA DA SILVA  FALCÃO", "PAULO TEIXEIRA RAMOS JÚNIOR", "Mr. John (Jack) Smith Jr.", None],
        }
    )
    columns = {"family_name": "std_family_name", "given_name": "std_given_name", "full_name": "std_full_name"}
    out = with_presented_values(frame, columns)
    assert out["std_full_name"].to_list() == [
        "MARIA APARECIDA DA SILVA FALCÃO", "PAULO TEIXEIRA RAMOS JÚNIOR", "John Smith Jr.", "Stéphane Gérard",
    ]  # fmt: skip
    assert out["std_family_name"].to_list() == ["DA SILVA FALCÃO", "TEIXEIRA RAMOS", "Smith", "Gérard"]


def test_the_expression_folds_as_python_does() -> None:
    values = ["O'Brien", "Straße", "München", "ÆSIR Øre", "İstanbul", "ΟΔΟΣ", "12 Main St.", "Łódź", "ﬁne", "ß", "x"]
    got = pl.DataFrame({"v": values}).select(folded_expr(pl.col("v")))["v"].to_list()
    assert got == [folded(v) for v in values]


def _frame(rows: list[tuple]) -> pl.DataFrame:
    schema = {"std_family_name": pl.Utf8, "_raw_family_name": pl.Utf8, "_raw_full_name": pl.Utf8, "std_prefecture": pl.Utf8, "_raw_prefecture": pl.Utf8}
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_presented_columns_agree_with_presented_value_row_by_row() -> None:
    rows = [
        ("godard", "Godard", None, "BAYERN", "Bayern"),  # whole values: by expressions
        ("godard", " Godard ", None, "CA", "ca"),  # cleaned; a short code stays upper-case
        ("obrien", None, "Mary O'Brien", "NSW", "NSW"),  # in Python
        ("godard", "'Godard'", None, None, "Bayern"),  # quotes around: a span, in Python
        ("高橋", "髙橋", None, "東京都", "東京"),  # the record's kanji
        ("ann", "Anna", None, "HESSEN", "Hessen"),
        (None, "Godard", None, None, None),
    ]
    out = with_presented_values(_frame(rows), {"family_name": "std_family_name", "prefecture": "std_prefecture", "email": "x"})
    assert out["std_family_name"].to_list() == ["Godard", "Godard", "O'Brien", "Godard", "髙橋", "ann", None]
    assert out["std_prefecture"].to_list() == ["Bayern", "CA", "NSW", None, "東京都", "Hessen", None]
    for (std, family, full, *_), shown in zip(rows, out["std_family_name"], strict=True):
        if std is not None:
            assert shown == presented_value(std, *(v if v is None else v.strip() for v in (family, full)))
    assert out.columns == _frame(rows).columns


def _source_records(keys: list[str], **columns: list) -> pl.DataFrame:
    """Records `keys` (`source:id`) with the raw and standardized `columns` given."""
    return pl.DataFrame(
        {
            "record_key": keys,
            "source_system": [key.split(":")[0] for key in keys],
            "source_record_id": [key.split(":")[1] for key in keys],
            **columns,
        }
    )


def test_survive_presents_the_chosen_records_spelling_and_keeps_lineage() -> None:
    records = _source_records(
        ["web:1", "shop:2"],
        family_name=["Godard", None],
        full_name=[None, "Marie GODARD"],
        address_line=["237 rue Océane Marion", "9 rue de Paris"],
        std_family_name=["godard", "godard"],
        std_given_name=["marie", "marie"],
        std_address=["237 rue oceane marion", "9 rue de paris"],
        std_email=["Marie@Example.com", None],
    )
    crosswalk = records.select("record_key", golden_id=pl.lit("G1"))
    for priority, family, given, line in (
        (["web", "shop"], "Godard", "marie", "237 rue Océane Marion"),  # web has no given name column
        (["shop", "web"], "GODARD", "Marie", "9 rue de Paris"),
    ):
        survived = survive(records, crosswalk, SurvivorshipConfig(default="source_priority", source_priority=priority))
        golden = survived.golden_records.row(0, named=True)
        assert (golden["family_name"], golden["given_name"], golden["address_line"]) == (family, given, line)
        assert golden["email"] == "Marie@Example.com"  # not a presented attribute
        assert set(survived.lineage["source_system"]) == {priority[0], "web"}  # the email is web's alone
    bare = survive(records.drop("family_name", "full_name", "address_line"), crosswalk, SurvivorshipConfig())
    assert bare.golden_records["family_name"][0] == "godard"  # no raw columns: the standardized values


def test_a_new_presentation_rebuilds_every_golden_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """The golden rules fingerprint changes with `PRESENTATION_VERSION`, so the next night builds every
    golden record again instead of keeping the published ones in the old spelling."""
    from assets import golden
    from nayose_config import parse_config
    from tests.conftest import TINY_CONFIG

    config = parse_config(TINY_CONFIG)
    before = golden.golden_rules_fingerprint(config)
    monkeypatch.setattr(golden, "PRESENTATION_VERSION", golden.PRESENTATION_VERSION + 1)
    assert golden.golden_rules_fingerprint(config) != before


def test_a_full_name_no_raw_value_spells_is_shown_as_its_presented_parts() -> None:
    """Family and given names in their own columns: the standardized full name
    is a key (`gerardstephane`); the golden full name reads `Stéphane Gérard`.
    A raw full name still wins; a Japanese full name stays as written."""
    frame = pl.DataFrame(
        {
            "std_family_name": ["gerard", "godard", "山田", "gerard"],
            "std_given_name": ["stephane", "marie", "太郎", None],
            "std_full_name": ["gerardstephane", "godardmarie", "山田太郎", "gerard"],
            "_raw_family_name": ["Gérard", None, "山田", "Gérard"],
            "_raw_given_name": ["Stéphane", None, "太郎", None],
            "_raw_full_name": [None, "Marie  GODARD", None, None],
        }
    )
    columns = {"family_name": "std_family_name", "given_name": "std_given_name", "full_name": "std_full_name"}
    out = with_presented_values(frame, columns)
    assert out["std_full_name"].to_list() == ["Stéphane Gérard", "Marie GODARD", "山田太郎", "Gérard"]
    assert out.columns == frame.columns


def test_a_hangul_full_name_is_shown_family_first_and_unspaced() -> None:
    frame = pl.DataFrame(
        {
            "std_family_name": ["김", "남궁"],
            "std_given_name": ["민준", "민수"],
            "std_full_name": ["김민준", "남궁민수"],
            "_raw_family_name": ["김", "남궁"],
            "_raw_given_name": ["민준", "민수"],
            "_raw_full_name": [None, None],
        }
    )
    columns = {"family_name": "std_family_name", "given_name": "std_given_name", "full_name": "std_full_name"}
    assert with_presented_values(frame, columns)["std_full_name"].to_list() == ["김민준", "남궁민수"]


def test_a_given_name_column_is_shown_whole_where_matching_keeps_its_first_name() -> None:
    frame = pl.DataFrame(
        {
            "std_given_name": ["mary", "william", "maria", "ann", "太郎", "an", "robert"],
            "_raw_given_name": ["Mary Ann", "William J.", None, "Annabel Lee", "太郎 次郎", "Văn An", "J. Robert"],
            "_raw_full_name": [None, None, "María Cristina García López", None, None, None, None],
        }
    )
    out = with_presented_values(frame, {"given_name": "std_given_name"})
    # from the full name only the matched word: where the given names end is not known there;
    # a Vietnamese given name with the middle name matching leaves out
    assert out["std_given_name"].to_list() == ["Mary Ann", "William J.", "María", "ann", "太郎", "Văn An", "Robert"]


def test_a_composed_full_name_carries_the_whole_given_name() -> None:
    frame = pl.DataFrame(
        {
            "std_family_name": ["smith"],
            "std_given_name": ["mary"],
            "std_full_name": ["smithmary"],
            "_raw_family_name": ["Smith"],
            "_raw_given_name": ["Mary Ann"],
            "_raw_full_name": [None],
        },
        schema_overrides={"_raw_full_name": pl.Utf8},
    )
    columns = {"family_name": "std_family_name", "given_name": "std_given_name", "full_name": "std_full_name"}
    assert with_presented_values(frame, columns).row(0) == ("Smith", "Mary Ann", "Mary Ann Smith", "Smith", "Mary Ann", None)


def test_a_composed_full_name_keeps_the_suffix_its_parts_were_written_with() -> None:
    """Family and given names in their own columns, one of them ending with a
    suffix: the golden full name keeps it as written, after the family name
    (`Jeremy Miles Jr.`, `Caio Rocha Silva Neto`); it was `Jeremy Miles`.
    The given name is shown without it (`JOHN`, not `JOHN JR`)."""
    frame = pl.DataFrame(
        {
            "std_family_name": ["miles", "rochasilva", "smith", "smith", "neto"],
            "std_given_name": ["jeremy", "caio", "john", "john", "ana"],
            "std_full_name": ["milesjeremy", "rochasilvacaio", "smithjohn", "smithjohn", "netoana"],
            "_raw_family_name": ["Miles Jr.", "Rocha Silva Neto", "Smith", "SMITH", "Neto"],
            "_raw_given_name": ["Jeremy", "Caio", "John, Jr.", "JOHN JR", "Ana"],
            "_raw_full_name": [None] * 5,
        },
        schema_overrides={"_raw_full_name": pl.Utf8},
    )
    columns = {"family_name": "std_family_name", "given_name": "std_given_name", "full_name": "std_full_name"}
    out = with_presented_values(frame, columns)
    assert out["std_full_name"].to_list() == [
        "Jeremy Miles Jr.", "Caio Rocha Silva Neto", "John Smith, Jr.", "JOHN SMITH JR", "Ana Neto",
    ]  # fmt: skip
    assert out["std_given_name"].to_list() == ["Jeremy", "Caio", "John", "JOHN", "Ana"]


@pytest.mark.parametrize(
    ("standardized", "raws", "place", "expected"),
    [
        ("高橋", ("髙橋",), False, "髙橋"),
        ("高橋", (None, "髙橋 涼子"), False, "髙橋"),  # split from the full name (spaces left out)
        ("高橋涼子", ("髙橋 涼子",), False, "髙橋涼子"),
        ("斎藤", ("齊藤",), False, "齊藤"),  # a variant matching folds: the golden record must not
        ("塩竃市", ("宮城県塩竈市",), True, "塩竈市"),
        ("四条畷市", ("〒575-0035 大阪府四條畷市雁屋北町8-24",), True, "四條畷市"),
        ("松ケ谷1-2-3", ("松が谷1丁目2番3号",), True, "松が谷1-2-3"),  # the street block stays normalized
        ("上野字中原123", ("大字上野字中原123",), True, "上野字中原123"),  # 大字 stays dropped
        ("桜ケ丘2-32-1", ("2-32-1", "横須賀市桜が丘"), True, "桜が丘2-32-1"),  # the town in the city column
        ("霞ケ関", ("霞ケ関",), True, "霞ケ関"),
        ("佐藤", ("髙橋",), False, "佐藤"),  # no raw value folds to it
        ("松ケ谷", ("松が谷",), False, "松ケ谷"),  # a name is not folded as a place
    ],
)
def test_japanese_values_are_shown_in_the_records_own_kanji(standardized, raws, place, expected) -> None:
    assert japanese_spelling(standardized, *raws, place=place) == expected


def test_survive_shows_japanese_names_and_places_as_the_chosen_record_wrote_them() -> None:
    """Matching folds kanji variants (`髙橋` -> `高橋`, `塩竈市` -> `塩竃市`,
    `松が谷` -> `松ケ谷`); golden values are in a spelling a source used."""
    records = _source_records(
        ["core:1", "web:2"],
        full_name=["髙橋\u3000涼子", None],
        family_name=[None, "澤井"],
        given_name=[None, "花子"],
        city=["宮城県塩竈市", "横須賀市桜が丘"],
        address_line=["松が谷１丁目２番３号", "2-32-1"],
        std_family_name=["高橋", "沢井"],
        std_given_name=["涼子", "花子"],
        std_full_name=["高橋涼子", "沢井花子"],
        std_city=["塩竃市", "横須賀市"],
        std_address=["松ケ谷1-2-3", "桜ケ丘2-32-1"],
    )
    crosswalk = records.select("record_key", golden_id=pl.Series(["G1", "G2"]))
    golden = survive(records, crosswalk, SurvivorshipConfig()).golden_records
    assert golden.select("family_name", "given_name", "full_name", "city", "address_line").rows() == [
        ("髙橋", "涼子", "髙橋涼子", "塩竈市", "松が谷1-2-3"),
        ("澤井", "花子", "澤井花子", "横須賀市", "桜が丘2-32-1"),
    ]


def test_a_full_name_written_family_comma_given_is_shown_given_first() -> None:
    """A POS export's `Larsen, Nicole` reads `Nicole Larsen` in the golden record; a
    family name with its particles after the comma, a name of two commas and a
    Japanese name stay as written."""
    frame = pl.DataFrame(
        {
            "std_full_name": ["larsennicole", "smithjohn", "bergvander", "abc", "山田太郎"],
            "_raw_full_name": ["Larsen, Nicole", "SMITH , JOHN", "Berg, van der", "A, B, C", "山田,太郎"],
        }
    )
    out = with_presented_values(frame, {"full_name": "std_full_name"})
    assert out["std_full_name"].to_list() == ["Nicole Larsen", "JOHN SMITH", "Berg, van der", "A, B, C", "山田太郎"]
