"""Survivorship: each rule picks the expected record, groups survive together, lineage explains it."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from nayose_config import SurvivorshipConfig
from resolution.survivorship import (
    ATTRIBUTE_GROUPS,
    GOLDEN_COLUMNS,
    LINEAGE_SCHEMA,
    survive,
)

SCHEMA = {
    "record_key": pl.Utf8,
    "source_system": pl.Utf8,
    "source_record_id": pl.Utf8,
    "std_family_name": pl.Utf8,
    "std_given_name": pl.Utf8,
    "std_birth_date": pl.Date,
    "std_email": pl.Utf8,
    "std_postal_code": pl.Utf8,
    "std_city": pl.Utf8,
    "std_updated_at": pl.Datetime("us"),
}


def _records(rows: list[dict]) -> pl.DataFrame:
    """Rows with only some std_* keys given; `record_key` is built from source and id."""
    return pl.DataFrame(
        [
            {
                **{c: None for c in SCHEMA},
                **row,
                "record_key": f"{row['source_system']}:{row['source_record_id']}",
            }
            for row in rows
        ],
        schema=SCHEMA,
    )


def _crosswalk(records: pl.DataFrame, golden_id: str = "G1") -> pl.DataFrame:
    return records.select("record_key", golden_id=pl.lit(golden_id))


# One person, four records; each rule prefers a different one for email.
#   crm:1  most complete (name, birth date, email, address)
#   pos:2  same email as crm:1 (so that email is the most frequent), highest priority
#   shop:3 longest email, oldest
#   web:4  most recent
PERSON = _records(
    [
        dict(
            source_system="crm", source_record_id="1", std_family_name="山田", std_given_name="太郎",
            std_birth_date=date(1980, 3, 1), std_email="taro@example.com", std_postal_code="1000001",
            std_city="千代田区", std_updated_at=datetime(2024, 1, 1),
        ),
        dict(source_system="pos", source_record_id="2", std_email="taro@example.com", std_updated_at=datetime(2023, 1, 1)),
        dict(
            source_system="shop", source_record_id="3", std_email="yamada.taro.1980@example.com",
            std_updated_at=datetime(2022, 1, 1),
        ),
        dict(source_system="web", source_record_id="4", std_email="t.yamada@example.net", std_updated_at=datetime(2025, 1, 1)),
    ]
)
PRIORITY = ["pos", "crm", "shop", "web"]


def _email_lineage(result) -> tuple[str, str, str]:
    row = result.lineage.filter(pl.col("attribute") == "email").row(0, named=True)
    return row["source_system"], row["source_record_id"], row["rule"]


@pytest.mark.parametrize(
    ("rule", "email", "source"),
    [
        ("most_recent", "t.yamada@example.net", ("web", "4")),
        ("source_priority", "taro@example.com", ("pos", "2")),
        ("most_complete", "taro@example.com", ("crm", "1")),
        # taro@ appears twice (crm:1, pos:2); the tie between them goes to the more recent crm:1
        ("most_frequent", "taro@example.com", ("crm", "1")),
        ("longest", "yamada.taro.1980@example.com", ("shop", "3")),
    ],
)
@pytest.mark.parametrize("configured_as", ["default", "per_field"])
def test_each_rule_picks_expected_record(rule, email, source, configured_as):
    config = (
        SurvivorshipConfig(default=rule, source_priority=PRIORITY)
        if configured_as == "default"
        else SurvivorshipConfig(default="most_recent", source_priority=PRIORITY, fields={"email": rule})
    )
    for records in (PERSON, PERSON.reverse()):  # input order never matters
        result = survive(records, _crosswalk(records), config)
        assert result.golden_records["email"].to_list() == [email]
        assert _email_lineage(result) == (*source, rule)


def test_most_recent_prefers_a_dated_record_over_an_undated_one():
    records = _records(
        [
            dict(source_system="crm", source_record_id="1", std_email="old@example.com", std_updated_at=datetime(2020, 1, 1)),
            dict(source_system="crm", source_record_id="2", std_email="undated@example.com"),
        ]
    )
    result = survive(records, _crosswalk(records), SurvivorshipConfig())
    assert result.golden_records["email"].item() == "old@example.com"


@pytest.mark.parametrize(
    ("rule", "priority", "expected"),
    [
        # same timestamp, no priority: smallest record key
        ("most_recent", [], "crm:1"),
        # same timestamp: source priority decides
        ("most_recent", ["pos", "crm"], "pos:1"),
        # same source priority (neither listed), same timestamp: smallest record key
        ("source_priority", [], "crm:1"),
        ("longest", [], "crm:1"),
        ("most_frequent", [], "crm:1"),
        ("most_complete", [], "crm:1"),
    ],
)
def test_ties_are_deterministic(rule, priority, expected):
    records = _records(
        [
            dict(source_system="pos", source_record_id="1", std_email="bbbb@example.com", std_updated_at=datetime(2024, 5, 5)),
            dict(source_system="crm", source_record_id="2", std_email="cccc@example.com", std_updated_at=datetime(2024, 5, 5)),
            dict(source_system="crm", source_record_id="1", std_email="aaaa@example.com", std_updated_at=datetime(2024, 5, 5)),
        ]
    )
    config = SurvivorshipConfig(default=rule, source_priority=priority)
    picks = {
        survive(r, _crosswalk(r), config).lineage.filter(pl.col("attribute") == "email")["source_record_id"].item()
        for r in (records, records.reverse(), records.sort("std_email"))
    }
    source_system, record_id = expected.split(":")
    assert picks == {record_id}
    result = survive(records, _crosswalk(records), config)
    assert _email_lineage(result)[:2] == (source_system, record_id)


def test_address_survives_as_a_group():
    # The newest record has a postal code but no city: the golden address must not
    # borrow the older record's city.
    records = _records(
        [
            dict(source_system="crm", source_record_id="1", std_email="a@example.com", std_postal_code="1000001",
                 std_city="千代田区", std_updated_at=datetime(2020, 1, 1)),
            dict(source_system="pos", source_record_id="2", std_email="b@example.com", std_postal_code="5300001",
                 std_updated_at=datetime(2025, 1, 1)),
        ]
    )
    result = survive(records, _crosswalk(records), SurvivorshipConfig(default="most_recent"))

    golden = result.golden_records.row(0, named=True)
    assert (golden["postal_code"], golden["city"]) == ("5300001", None)
    address = result.lineage.filter(pl.col("attribute").is_in(["postal_code", "city"]))
    assert address.select("attribute", "source_system", "source_record_id").rows() == [("postal_code", "pos", "2")]


def test_a_country_alone_does_not_win_the_address_group():
    """A record without an address still has its source's default country:
    the newest such record must not blank the golden address (and give it
    its source's country); the newest record with an address part wins."""
    records = _records(
        [
            dict(source_system="shop", source_record_id="1", std_postal_code="66324", std_city="millerville",
                 std_updated_at=datetime(2023, 12, 6)),
            dict(source_system="loyalty", source_record_id="2", std_email="d@example.com", std_updated_at=datetime(2024, 2, 11)),
        ]
    ).with_columns(std_country=pl.Series(["US", "DE"]))
    result = survive(records, _crosswalk(records), SurvivorshipConfig(default="most_recent"))

    golden = result.golden_records.row(0, named=True)
    assert (golden["postal_code"], golden["city"], golden["country"]) == ("66324", "millerville", "US")
    address = result.lineage.filter(pl.col("attribute").is_in(["postal_code", "city", "country"]))
    assert set(address["source_system"]) == {"shop"}
    # a group of a country alone (no address part anywhere) still takes it
    bare = records.with_columns(std_postal_code=pl.lit(None, pl.Utf8), std_city=pl.lit(None, pl.Utf8))
    assert survive(bare, _crosswalk(bare), SurvivorshipConfig(default="most_recent")).golden_records["country"].to_list() == ["DE"]


def test_name_parts_survive_together_under_one_field_rule():
    # A rule configured for one attribute of a group applies to the whole group.
    records = _records(
        [
            dict(source_system="crm", source_record_id="1", std_family_name="山田", std_given_name="太郎",
                 std_updated_at=datetime(2025, 1, 1)),
            dict(source_system="pos", source_record_id="2", std_family_name="山田", std_given_name="太",
                 std_updated_at=datetime(2020, 1, 1)),
            dict(source_system="web", source_record_id="3", std_family_name="YAMADA",
                 std_updated_at=datetime(2026, 1, 1)),
        ]
    )
    config = SurvivorshipConfig(default="most_recent", source_priority=["pos", "crm", "web"], fields={"given_name": "source_priority"})
    result = survive(records, _crosswalk(records), config)

    golden = result.golden_records.row(0, named=True)
    assert (golden["family_name"], golden["given_name"]) == ("山田", "太")
    assert set(result.lineage.filter(pl.col("attribute").is_in(["family_name", "given_name"]))
               .select("source_record_id", "rule").rows()) == {("2", "source_priority")}


def test_lineage_has_one_row_per_non_null_golden_attribute():
    crosswalk = pl.concat(
        [_crosswalk(PERSON.head(2), "G1"), _crosswalk(PERSON.tail(2), "G2")]
    )
    result = survive(PERSON, crosswalk, SurvivorshipConfig(default="most_recent", source_priority=PRIORITY))

    golden = result.golden_records
    assert golden["golden_id"].to_list() == ["G1", "G2"]
    attributes = [c for c in golden.columns if c not in {"golden_id", "record_count", "source_systems", "updated_at"}]
    expected = {
        (row["golden_id"], a) for row in golden.iter_rows(named=True) for a in attributes if row[a] is not None
    }
    assert result.lineage.height == len(expected)
    assert set(result.lineage.select("golden_id", "attribute").rows()) == expected
    assert dict(result.lineage.schema) == LINEAGE_SCHEMA
    assert result.lineage.null_count().row(0) == (0,) * len(LINEAGE_SCHEMA)
    # every lineage row names a real record of that golden id
    keys = set(crosswalk.rows())
    assert all(
        (f"{row['source_system']}:{row['source_record_id']}", row["golden_id"]) in keys
        for row in result.lineage.iter_rows(named=True)
    )


def test_golden_record_summary_columns():
    crosswalk = pl.concat([_crosswalk(PERSON.head(3), "G1"), _crosswalk(PERSON.tail(1), "G2")])
    result = survive(PERSON, crosswalk, SurvivorshipConfig())

    summary = result.golden_records.select("golden_id", "record_count", "source_systems", "updated_at").rows()
    assert summary == [
        ("G1", 3, "crm,pos,shop", datetime(2024, 1, 1)),
        ("G2", 1, "web", datetime(2025, 1, 1)),
    ]
    g1 = result.golden_records.row(0, named=True)
    assert g1["birth_date"] == date(1980, 3, 1)
    assert g1["email"] == "taro@example.com"


def test_attribute_no_record_has_is_null_without_lineage():
    records = _records([dict(source_system="crm", source_record_id="1", std_email="a@example.com")])
    result = survive(records, _crosswalk(records), SurvivorshipConfig())
    golden = result.golden_records.row(0, named=True)
    assert golden["family_name"] is None and golden["postal_code"] is None
    assert result.lineage.select("attribute").to_series().to_list() == ["email"]


def test_records_without_std_updated_at_still_survive():
    records = PERSON.drop("std_updated_at")
    result = survive(records, _crosswalk(records), SurvivorshipConfig(default="most_recent", source_priority=PRIORITY))
    # no recency: source priority decides the tie
    assert _email_lineage(result)[:2] == ("pos", "2")
    assert result.golden_records["updated_at"].item() is None


# --- Japanese customers: the name's written form, its reading, the address's postal code ---

NAME_SCHEMA = {
    **{c: pl.Utf8 for c in ("record_key", "source_system", "source_record_id")},
    **{GOLDEN_COLUMNS[a]: pl.Utf8 for a in (*ATTRIBUTE_GROUPS["name"], "postal_code", "prefecture", "city", "address_line")},
    "std_kana_generated": pl.Boolean,
    "std_updated_at": pl.Datetime("us"),
}


def _person(source: str, record_id: str, name: tuple, kana: tuple | None, generated: bool | None, year: int, **address):
    """One record: `name` (family, given), `kana` (family, given) or None."""
    family, given = name
    family_kana, given_kana = kana or (None, None)
    return {
        **{c: None for c in NAME_SCHEMA},
        "record_key": f"{source}:{record_id}", "source_system": source, "source_record_id": record_id,
        "std_family_name": family, "std_given_name": given, "std_full_name": f"{family}{given}",
        "std_family_kana": family_kana, "std_given_kana": given_kana,
        "std_full_kana": f"{family_kana}{given_kana}" if kana else None,
        "std_kana_generated": generated, "std_updated_at": datetime(year, 1, 1), **address,
    }


def _survive_people(rows: list[dict], config: SurvivorshipConfig | None = None):
    records = pl.DataFrame(rows, schema=NAME_SCHEMA)
    results = [survive(r, _crosswalk(r), config or SurvivorshipConfig()) for r in (records, records.reverse())]
    assert results[0].golden_records.equals(results[1].golden_records)  # input order never matters
    return results[0]


def _lineage_of(result, attribute: str) -> tuple[str, str]:
    row = result.lineage.filter(pl.col("attribute") == attribute).row(0, named=True)
    return f"{row['source_system']}:{row['source_record_id']}", row["rule"]


KATO_CORE = _person("core", "1", ("加藤", "悠斗"), ("カトウ", "ユウト"), False, 2020)
KATO_CALL = _person("call", "2", ("カトウ", "ユウト"), ("カトウ", "ユウト"), False, 2023)
KATO_WEB = _person("web", "3", ("katou", "yuuto"), None, None, 2024)


def test_a_kanji_name_wins_over_newer_kana_and_romaji_names():
    """The newest record (a web form in romaji, a call centre in katakana)
    must not replace the customer's kanji name, nor blank its reading."""
    result = _survive_people([KATO_CORE, KATO_CALL, KATO_WEB])
    golden = result.golden_records.row(0, named=True)
    assert (golden["family_name"], golden["given_name"], golden["full_name"]) == ("加藤", "悠斗", "加藤悠斗")
    assert golden["full_name_kana"] == "カトウユウト"
    assert _lineage_of(result, "full_name") == ("core:1", "most_recent")
    # without a kanji record: katakana beats romaji; romaji alone is taken as it is
    assert _survive_people([KATO_CALL, KATO_WEB]).golden_records["full_name"].item() == "カトウユウト"
    older_web = {**KATO_WEB, "std_updated_at": datetime(2019, 1, 1)}
    assert _survive_people([older_web, {**KATO_WEB, "source_record_id": "4", "record_key": "web:4",
                                        "std_given_name": "yuto", "std_full_name": "katouyuto"}]
                           ).golden_records["given_name"].item() == "yuto"
    # among kanji names, the rule decides (a changed name is the newest)
    married = _person("call", "5", ("佐藤", "悠斗"), ("サトウ", "ユウト"), True, 2025)
    assert _survive_people([KATO_CORE, married, KATO_WEB]).golden_records["family_name"].item() == "佐藤"


def test_a_foreign_customers_own_latin_spelling_wins_over_a_katakana_transliteration():
    """A hotel wrote a Spanish guest in katakana, the shop as she spells
    herself: the golden record shows her name, not `ガルシアロペスマリア`."""
    hotel = _person("hotel", "1", ("ガルシアロペス", "マリア"), ("ガルシアロペス", "マリア"), False, 2024)
    shop = _person("shop", "2", ("García López", "María"), None, None, 2020)
    result = _survive_people([hotel, shop])
    assert (result.golden_records["family_name"].item(), result.golden_records["given_name"].item()) == (
        "García López", "María"
    )
    assert _lineage_of(result, "family_name") == ("shop:2", "most_recent")
    wang = [_person("hotel", "3", ("ワン", "ウェイ"), ("ワン", "ウェイ"), False, 2024), _person("shop", "4", ("Wang", "Wei"), None, None, 2020)]
    assert _survive_people(wang).golden_records["full_name"].item() == "WangWei"
    # a kanji record is the original still; a romaji-like Latin name is no foreign one
    assert _survive_people([*wang, _person("loyalty", "5", ("王", "偉"), ("ワン", "ウェイ"), False, 2019)]).golden_records[
        "full_name"
    ].item() == "王偉"
    assert _survive_people([KATO_CALL, KATO_WEB]).golden_records["full_name"].item() == "カトウユウト"
    kim = [_person("hotel", "6", ("キム", "ミンジュン"), ("キム", "ミンジュン"), False, 2024), _person("shop", "7", ("kim", "minjun"), None, None, 2020)]
    assert _survive_people(kim).golden_records["full_name"].item() == "キムミンジュン"


def _spelled_people(rows: list[dict]) -> dict:
    schema = {**SCHEMA, "std_full_name": pl.Utf8, "family_name": pl.Utf8, "given_name": pl.Utf8,
              "mk_family_roman": pl.Utf8, "mk_given_roman": pl.Utf8}
    records = pl.DataFrame([{**{c: None for c in schema}, **r, "record_key": f"{r['source_system']}:{r['source_record_id']}"} for r in rows], schema=schema)
    return survive(records, _crosswalk(records), SurvivorshipConfig()).golden_records.row(0, named=True)


def test_a_name_is_shown_with_the_umlaut_a_record_of_its_romanized_twins_wrote():
    """A web portal's `Mueller` is the newest record; an SAP record of the same
    customer wrote `Müller` (standardized `muller`, another name than
    `mueller`, one romanized key). The golden record shows `Müller`."""
    rows = [
        dict(source_system="web", source_record_id="1", std_family_name="mueller", std_given_name="frank",
             mk_family_roman="muller", mk_given_roman="frank", family_name="Mueller", given_name="Frank",
             std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="sap", source_record_id="2", std_family_name="muller", std_given_name="frank",
             mk_family_roman="muller", mk_given_roman="frank", family_name="Müller", given_name="Frank",
             std_updated_at=datetime(2020, 1, 1)),
    ]
    assert (_spelled_people(rows)["family_name"]) == "Müller"


def test_names_that_share_a_reading_are_not_spelled_from_one_another():
    """A Japanese record's romanized key is its reading: `UENO` (newest) and a
    mistyped `Uno` do not become one name, nor 浩 and 博 (both `hiroshi`):
    the newest record's name stays."""
    rows = [
        dict(source_system="web", source_record_id="1", std_family_name="ueno", std_given_name="ken",
             mk_family_roman="ueno", mk_given_roman="ken", family_name="UENO", given_name="KEN", std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="pos", source_record_id="2", std_family_name="uno", std_given_name="ken",
             mk_family_roman="uno", mk_given_roman="ken", family_name="Uno", given_name="Ken", std_updated_at=datetime(2020, 1, 1)),
    ]
    assert _spelled_people(rows)["family_name"] == "UENO"
    rows = [
        dict(source_system="web", source_record_id="1", std_family_name="田中", std_given_name="浩",
             mk_family_roman="tanaka", mk_given_roman="hiroshi", family_name="田中", given_name="浩", std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="pos", source_record_id="2", std_family_name="tanaka", std_given_name="hiroshi",
             mk_family_roman="tanaka", mk_given_roman="hiroshi", family_name="Tanaka", given_name="Hiroshi", std_updated_at=datetime(2020, 1, 1)),
    ]
    assert _spelled_people(rows)["given_name"] == "浩"


def test_a_name_is_shown_as_best_spelled_among_the_records_holding_it():
    """A cp1252 CRM folded `Çetin` to `Cetin` and a POS wrote `ÇETIN`; the
    newest record's name survives, spelled as the record that wrote it fully."""
    schema = {**SCHEMA, "std_full_name": pl.Utf8, "family_name": pl.Utf8, "given_name": pl.Utf8}
    rows = [
        dict(source_system="crm", source_record_id="1", std_family_name="cetin", std_given_name="necdet",
             std_full_name="cetinnecdet", family_name="Cetin", given_name="Necdet", std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="pos", source_record_id="2", std_family_name="cetin", std_given_name="necdet",
             std_full_name="cetinnecdet", family_name="ÇETIN", given_name="NECDET", std_updated_at=datetime(2024, 1, 1)),
        dict(source_system="web", source_record_id="3", std_family_name="cetin", std_given_name="necdet",
             std_full_name="cetinnecdet", family_name="Çetin", given_name="Necdet", std_updated_at=datetime(2023, 1, 1)),
    ]
    records = pl.DataFrame([{**{c: None for c in schema}, **r, "record_key": f"{r['source_system']}:{r['source_record_id']}"} for r in rows], schema=schema)
    result = survive(records, _crosswalk(records), SurvivorshipConfig())
    golden = result.golden_records.row(0, named=True)
    assert (golden["family_name"], golden["given_name"]) == ("Çetin", "Necdet")
    lineage = result.lineage.filter(pl.col("attribute") == "family_name").row(0, named=True)
    assert (lineage["source_system"], lineage["rule"]) == ("web", "most_recent")
    # another name is another name: the newest record's survives, however it is spelled
    renamed = records.with_columns(
        pl.when(pl.col("source_system") == "crm").then(pl.lit("yilmaz")).otherwise(pl.col("std_family_name")).alias("std_family_name"),
        pl.when(pl.col("source_system") == "crm").then(pl.lit("YILMAZ")).otherwise(pl.col("family_name")).alias("family_name"),
    )
    assert survive(renamed, _crosswalk(renamed), SurvivorshipConfig()).golden_records["family_name"].item() == "YILMAZ"


def test_a_configured_source_priority_still_wins_over_the_written_form():
    config = SurvivorshipConfig(default="most_recent", source_priority=["web", "call", "core"], fields={"full_name": "source_priority"})
    result = _survive_people([KATO_CORE, KATO_CALL, KATO_WEB], config)
    assert result.golden_records["full_name"].item() == "katouyuuto"
    assert _lineage_of(result, "full_name") == ("web:3", "source_priority")
    # the form decides between records of the most trusted source
    kanji_web = {**KATO_CORE, "source_system": "web", "source_record_id": "9", "record_key": "web:9"}
    result = _survive_people([KATO_CORE, KATO_CALL, KATO_WEB, kanji_web], config)
    assert _lineage_of(result, "full_name") == ("web:9", "source_priority")


def test_a_captured_reading_beats_a_generated_one_of_the_same_written_name():
    """The newest record's name survives with the reading the customer gave
    for that same name (`千尋` read `チヒロ`, not the generated `センジン`)."""
    core = _person("core", "1", ("阿部", "千尋"), ("アベ", "チヒロ"), False, 2020)
    call = _person("call", "2", ("阿部", "千尋"), ("アベ", "センジン"), True, 2024)
    result = _survive_people([core, call])
    golden = result.golden_records.row(0, named=True)
    assert (golden["full_name"], golden["family_name_kana"], golden["given_name_kana"], golden["full_name_kana"]) == (
        "阿部千尋", "アベ", "チヒロ", "アベチヒロ"
    )
    assert _lineage_of(result, "full_name") == ("call:2", "most_recent")
    for attribute in ("family_name_kana", "given_name_kana", "full_name_kana"):
        assert _lineage_of(result, attribute) == ("core:1", "captured_reading")
    # the customer's reading given with a romaji name (a web form) reads the same kanji name
    web = _person("web", "3", ("yamada", "masaru"), ("ヤマダ", "マサル"), False, 2019)
    kanji = _person("core", "4", ("山田", "勝"), ("ヤマダ", "カチ"), True, 2023)
    result = _survive_people([web, kanji])
    assert result.golden_records.select("full_name", "full_name_kana").row(0) == ("山田勝", "ヤマダマサル")
    assert _lineage_of(result, "full_name_kana") == ("web:3", "captured_reading")


def test_a_reading_of_another_name_is_not_taken():
    # an old kanji name (before marriage) with furigana; a romaji name of another family reading
    maiden = _person("core", "1", ("鈴木", "翔子"), ("スズキ", "ショウコ"), False, 2020)
    romaji = _person("web", "2", ("suzuki", "shoko"), ("スズキ", "ショウコ"), False, 2021)
    married = _person("call", "3", ("和田", "翔子"), ("ワダ", "ショウコ"), True, 2024)
    result = _survive_people([maiden, romaji, married])
    assert result.golden_records.select("full_name", "full_name_kana").row(0) == ("和田翔子", "ワダショウコ")
    assert _lineage_of(result, "full_name_kana") == ("call:3", "most_recent")
    # a captured reading of the chosen record itself stays
    own = _person("call", "4", ("阿部", "千尋"), ("アベ", "チヒロ"), False, 2024)
    other = _person("core", "5", ("阿部", "千尋"), ("アベ", "チヒロ"), False, 2020)
    assert _lineage_of(_survive_people([own, other]), "full_name_kana") == ("call:4", "most_recent")


def test_the_postal_code_of_the_same_address_fills_the_chosen_one():
    """A call-centre record (newest, no postal code) gives the address; the
    postal code comes from a record of the same city and street."""
    address = dict(std_prefecture="東京都", std_city="渋谷区", std_address="渋谷2-21-1")
    core = _person("core", "1", ("加藤", "悠斗"), None, None, 2020, std_postal_code="1500002", **address)
    moved = _person("web", "2", ("加藤", "悠斗"), None, None, 2021, std_postal_code="1600023",
                    std_prefecture="東京都", std_city="新宿区", std_address="西新宿1-1-1")
    call = _person("call", "3", ("加藤", "悠斗"), None, None, 2024, **address)
    result = _survive_people([core, moved, call])
    golden = result.golden_records.row(0, named=True)
    assert (golden["postal_code"], golden["city"], golden["address_line"]) == ("1500002", "渋谷区", "渋谷2-21-1")
    assert _lineage_of(result, "city") == ("call:3", "most_recent")
    assert _lineage_of(result, "postal_code") == ("core:1", "same_address")
    # another street, or the same city and street in another prefecture, gives none
    elsewhere = {**core, "std_address": "渋谷2-21-2"}
    other_prefecture = {**core, "std_prefecture": "大阪府"}
    for giver in (elsewhere, other_prefecture):
        result = _survive_people([giver, call])
        assert result.golden_records["postal_code"].item() is None
        assert "postal_code" not in result.lineage["attribute"].to_list()


def test_a_latin_spelling_wins_over_a_name_in_arabic_script_only():
    """A Gulf CRM writes `فاطمة الفلاسي`, the loyalty system `Fatima Al Falasi`:
    the golden record shows the Latin name the analysts read, even when the
    Arabic record is the newest; the Arabic stays in its source record
    (fictional people)."""
    crm = _person("crm", "1", ("الفلاسي", "فاطمه"), None, None, 2025)
    loyalty = _person("loyalty", "2", ("alfalasi", "fatima"), None, None, 2020)
    result = _survive_people([crm, loyalty])
    assert result.golden_records["full_name"].item() == "alfalasifatima"
    assert _lineage_of(result, "full_name") == ("loyalty:2", "most_recent")
    # names all in Arabic: one of them is shown
    assert _survive_people([crm]).golden_records["full_name"].item() == "الفلاسيفاطمه"
    # the configured source priority still comes first
    priority = SurvivorshipConfig(default="source_priority", source_priority=["crm", "loyalty"])
    assert _survive_people([crm, loyalty], priority).golden_records["full_name"].item() == "الفلاسيفاطمه"


def test_an_organisations_golden_name_is_shown_as_written():
    """A business's name keyed `kranich` (its legal form left out for
    matching) is shown as its record wrote it, legal form included, as the
    family and the full name with no given name: `Kranich GmbH & Co. KG`, not
    `Kranich`; a call centre's `Perrin AG` not as `AG Perrin`."""
    schema = {**SCHEMA, "std_full_name": pl.Utf8, "std_party": pl.Utf8, "family_name": pl.Utf8, "full_name": pl.Utf8}
    rows = [
        dict(source_system="sap", source_record_id="1", std_family_name="kranich", std_full_name="kranich",
             std_party="organisation", family_name="Kranich GmbH & Co. KG", std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="calls", source_record_id="2", std_family_name="perrin", std_full_name="perrin",
             std_party="organisation", full_name="Perrin AG", std_updated_at=datetime(2025, 1, 1)),
        dict(source_system="sap", source_record_id="3", std_family_name="kranich", std_given_name="frank",
             std_full_name="kranichfrank", std_party="person", family_name="Kranich", std_updated_at=datetime(2025, 1, 1)),
    ]
    records = pl.DataFrame([{**{c: None for c in schema}, **r, "record_key": f"{r['source_system']}:{r['source_record_id']}"} for r in rows], schema=schema)
    crosswalk = records.select("record_key", golden_id=pl.Series(["G1", "G2", "G3"]))
    golden = survive(records, crosswalk, SurvivorshipConfig()).golden_records
    assert golden.select("family_name", "given_name", "full_name").rows() == [
        ("Kranich GmbH & Co. KG", None, "Kranich GmbH & Co. KG"),
        ("Perrin AG", None, "Perrin AG"),
        ("Kranich", "frank", "frank Kranich"),  # a person as before
    ]
