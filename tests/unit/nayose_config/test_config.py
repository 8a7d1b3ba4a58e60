"""`nayose.yaml` parsing: a valid file gives the typed model; a bad one names the key path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nayose_config import (
    CANONICAL_FIELDS,
    ConfigError,
    NayoseConfig,
    load_config,
    parse_config,
)

VALID = """\
project: shop
sources:
  - name: crm
    path: exports/crm_*.csv
    format: csv
    encoding: cp932
    id: cust_id
    fields:
      family_name: last
      given_name: first
      email: mail
      consent_marketing_email: opt_in
      consent_marketing_email_at: opt_in_at
    quality: {warn: 0.1, fail: 0.2}
  - name: shop
    path: exports/shop_*.jsonl
    format: jsonl
    id: member_id
    country: US
    fields:
      full_name: concat_ws(' ', first, last)
      phone: tel
survivorship:
  default: most_recent
  source_priority: [crm, shop]
  fields: {email: most_frequent}
"""


def _with(mutate) -> str:
    """VALID with one change applied to its parsed form."""
    raw = yaml.safe_load(VALID)
    mutate(raw)
    return yaml.safe_dump(raw, allow_unicode=True)


def test_valid_config_parses_into_typed_model():
    config = parse_config(VALID)

    assert isinstance(config, NayoseConfig)
    assert [s.name for s in config.sources] == ["crm", "shop"]
    crm = config.source("crm")
    assert crm.encoding == "cp932"
    assert crm.country == "JP"  # the default
    assert crm.quality.warn == 0.1 and crm.quality.fail == 0.2
    assert (crm.quality.field_loss_warn, crm.quality.field_loss_min_values) == (0.5, 20)  # the defaults
    assert config.source("shop").fields["full_name"] == "concat_ws(' ', first, last)"
    assert config.survivorship.source_priority == ["crm", "shop"]
    assert config.survivorship.fields == {"email": "most_frequent"}
    assert config.mapped_fields == ("family_name", "given_name", "full_name", "email", "phone")
    assert config.consent_fields == ("consent_marketing_email", "consent_marketing_email_at")


def test_date_order_is_optional_per_source():
    config = parse_config(_with(lambda r: r["sources"][1].update(date_order="MDY")))
    assert [s.date_order for s in config.sources] == [None, "MDY"]


def test_mapping_values_are_trimmed():
    config = parse_config(_with(lambda r: r["sources"][0]["fields"].update(email="  mail  ")))
    assert config.source("crm").fields["email"] == "mail"


def test_unknown_source_name_lookup_raises_key_error():
    with pytest.raises(KeyError):
        parse_config(VALID).source("erp")


@pytest.mark.parametrize(
    ("mutate", "key_path", "says"),
    [
        pytest.param(
            lambda r: r["sources"][0].update(format="xlsx"), "sources[crm].format", "csv", id="bad-format"
        ),
        pytest.param(
            lambda r: r["sources"][1].update(encoding="utf-32"), "sources[shop].encoding", "utf-8", id="bad-encoding"
        ),
        pytest.param(
            lambda r: r["sources"][0]["fields"].update(favourite_colour="col"),
            "sources[crm].fields",
            "unknown canonical field",
            id="unknown-canonical-field",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(fields={}), "sources[crm].fields", "at least 1", id="empty-mapping"
        ),
        pytest.param(
            lambda r: r["sources"][0]["fields"].update(email="   "),
            "sources[crm].fields",
            "empty column",
            id="empty-mapping-value",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(fields={"birth_date": "dob"}),
            "sources[crm]",
            "identifying field",
            id="no-identifying-field",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(required_fields=["phone"]),
            "sources[crm]",
            "required_fields",
            id="required-field-not-mapped",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(quality={"warn": 0.6, "fail": 0.5}),
            "sources[crm].quality",
            "warn (0.6) must not exceed fail (0.5)",
            id="warn-above-fail",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(quality={"warn": 1.5}),
            "sources[crm].quality.warn",
            "less than or equal to 1",
            id="threshold-above-one",
        ),
        pytest.param(
            lambda r: r["sources"][0].update(quality={"field_loss_warn": 0}),
            "sources[crm].quality.field_loss_warn",
            "greater than 0",
            id="field-loss-share-zero",
        ),
        pytest.param(
            lambda r: r["sources"][1].update(colour="blue"), "sources[shop].colour", "Extra inputs", id="extra-key"
        ),
        pytest.param(
            lambda r: r["sources"][1].update(country="japan"), "sources[shop].country", "pattern", id="bad-country"
        ),
        pytest.param(
            lambda r: r["sources"][0].update(date_order="DD.MM.YYYY"),
            "sources[crm].date_order",
            "Input should be 'YMD', 'DMY' or 'MDY'",
            id="bad-date-order",
        ),
        pytest.param(lambda r: r.update(timezone="Europe/Bonn"), "timezone", "unknown time zone", id="bad-timezone"),
        pytest.param(
            lambda r: r["sources"][1].update(name="crm"),
            "(top level)",
            "source names must be unique; repeated: ['crm']",
            id="duplicate-source-names",
        ),
        pytest.param(
            lambda r: r["survivorship"].update(source_priority=["crm", "erp"]),
            "(top level)",
            "survivorship.source_priority names unknown source(s) ['erp']",
            id="priority-names-unknown-source",
        ),
        pytest.param(
            lambda r: r["survivorship"].update(fields={"shoe_size": "longest"}),
            "survivorship.fields",
            "unknown canonical field",
            id="survivorship-unknown-field",
        ),
        pytest.param(
            lambda r: r["survivorship"].update(default="loudest"), "survivorship.default", "most_recent", id="bad-rule"
        ),
        pytest.param(
            lambda r: r.update(matching={"review_lower": 0.9, "review_upper": 0.6}),
            "matching",
            "review_lower must not exceed review_upper",
            id="review-band-reversed",
        ),
        pytest.param(lambda r: r.update(sources=[]), "sources", "at least 1", id="no-sources"),
    ],
)
def test_invalid_config_names_key_path(mutate, key_path, says):
    with pytest.raises(ConfigError) as caught:
        parse_config(_with(mutate), origin="proj/nayose.yaml")
    message = str(caught.value)
    assert message.startswith("proj/nayose.yaml: ")
    assert f"{key_path}: " in message
    assert says in message


def test_source_without_name_is_named_by_index():
    text = _with(lambda r: r["sources"][1].pop("name"))
    with pytest.raises(ConfigError, match=r"sources\[1\]\.name: Field required"):
        parse_config(text)


def test_every_problem_is_reported_at_once():
    def two_problems(raw):
        raw["sources"][0]["format"] = "xlsx"
        raw["sources"][1]["encoding"] = "utf-32"

    with pytest.raises(ConfigError) as caught:
        parse_config(_with(two_problems))
    assert "sources[crm].format" in str(caught.value)
    assert "sources[shop].encoding" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("sources: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("", "expected a mapping at the top level"),
    ],
)
def test_not_a_yaml_mapping_is_refused(text, says):
    with pytest.raises(ConfigError, match=says):
        parse_config(text)


def test_consent_fields_are_allowed_beside_canonical_fields():
    config = parse_config(_with(lambda r: r["sources"][1]["fields"].update(consent_analytics="a")))
    assert "consent_analytics" in config.source("shop").fields
    assert "consent_analytics" not in CANONICAL_FIELDS


def test_load_config_reads_project_dir(tmp_path: Path):
    (tmp_path / "nayose.yaml").write_text(VALID, encoding="utf-8")
    assert load_config(tmp_path).project == "shop"


def test_load_config_missing_file_names_the_path(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(tmp_path / "nayose.yaml") in str(caught.value)
    assert "no such file" in str(caught.value)


def test_load_config_errors_name_the_file(tmp_path: Path):
    (tmp_path / "nayose.yaml").write_text(_with(lambda r: r["sources"][0].update(format="xlsx")), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'nayose.yaml'}: sources[crm].format")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "euc-jp", "utf-16"])
def test_western_code_pages_are_encodings_a_source_may_declare(encoding):
    # found by the third drill: a Windows Excel CSV in cp1252 could not be declared at all;
    # nor could a Unix system's EUC-JP or Excel's "Unicode text" (UTF-16)
    config = parse_config(_with(lambda r: r["sources"][1].update(encoding=encoding)))
    assert config.source("shop").encoding == encoding


def test_column_aliases_parse_and_refuse_a_name_given_twice():
    config = parse_config(_with(lambda r: r["sources"][1].update(column_aliases={"tel": ["phone_number"]})))
    assert config.source("shop").column_aliases == {"tel": ("phone_number",)}
    with pytest.raises(ConfigError, match=r"sources\[shop\]\.column_aliases"):
        parse_config(_with(lambda r: r["sources"][1].update(column_aliases={"tel": ["TEL"], "fax": ["tel"]})))


@pytest.mark.parametrize(
    ("written", "read"),
    [("Shift_JIS", "cp932"), ("EUC-KR", "cp949"), ("GBK", "gb18030"), ("GB2312", "gb18030"), ("Big5", "cp950"), ("big5-hkscs", "big5hkscs"), ("TIS-620", "cp874"), ("windows-1256", "cp1256"), ("sjis", "cp932"), ("windows-1252", "cp1252"), ("ISO-8859-1", "latin-1"),
     ("UTF8", "utf-8"), ("utf-16le", "utf-16"), ("EUC_JP", "euc-jp"), ("windows-1254", "cp1254"), ("ISO-8859-9", "iso-8859-9"),
     ("windows-1258", "cp1258"), ("IBM850", "cp850"), ("cp437", "cp437"), ("ibm866", "cp866"), ("macintosh", "mac-roman"), ("MacRoman", "mac-roman")],
)  # fmt: skip
def test_an_encoding_may_be_declared_by_the_names_users_write(written, read):
    config = parse_config(_with(lambda r: r["sources"][1].update(encoding=written)))
    assert config.source("shop").encoding == read


def test_json_tsv_and_an_unquoted_tab_are_read_as_meant():
    """`format: json` is what `jsonl` reads (lines or one array); `format: tsv`
    is a CSV with a tab for delimiter; `delimiter: \\t` unquoted in YAML is a
    backslash and a t, which can only mean the tab."""
    assert parse_config(_with(lambda r: r["sources"][1].update(format="json"))).source("shop").format == "jsonl"
    tsv = parse_config(_with(lambda r: r["sources"][1].update(format="tsv"))).source("shop")
    assert (tsv.format, tsv.delimiter) == ("csv", "\t")
    semicolon = parse_config(_with(lambda r: r["sources"][1].update(format="TSV", delimiter=";"))).source("shop")
    assert (semicolon.format, semicolon.delimiter) == ("csv", ";")
    unquoted = parse_config(_with(lambda r: r["sources"][1].update(format="csv", delimiter="\\t"))).source("shop")
    assert unquoted.delimiter == "\t"
    with pytest.raises(ConfigError, match=r"sources\[shop\]\.encoding"):
        parse_config(_with(lambda r: r["sources"][1].update(encoding="klingon")))
