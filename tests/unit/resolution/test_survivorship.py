"""Survivorship: each rule picks the expected record, groups survive together, lineage explains it."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from nayose_config import SurvivorshipConfig
from resolution.survivorship import LINEAGE_SCHEMA, survive

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
