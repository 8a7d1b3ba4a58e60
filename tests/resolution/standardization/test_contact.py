"""Phones, e-mails, postal codes, gender, country."""

import polars as pl
import pytest

from resolution.standardization.countries import (
    NOT_COUNTRIES_AT_LINE_END,
    country_names,
    line_country_names,
)
from resolution.standardization.international_addresses import REGION_NAMES
from tests.resolution.standardization.conftest import issue_codes

PHONES = [
    ("090-1234-5678", "JP", "+819012345678", "mobile", None),
    ("０９０ー１２３４ー５６７８", "JP", "+819012345678", "mobile", None),
    ("090ｰ1234ｰ5678", "JP", "+819012345678", "mobile", None),
    ("+81 90 1234 5678", "JP", "+819012345678", "mobile", None),
    ("(03) 1234-5678", "JP", "+81312345678", "fixed_line", None),
    ("tel:+81-3-1234-5678", "JP", "+81312345678", "fixed_line", None),
    ("0120-123-456", "JP", "+81120123456", "other", None),
    ("(212) 555-0123", "US", "+12125550123", "other", None),
    ("020 7946 0958", "GB", "+442079460958", "fixed_line", None),
    # B2B and form exports write more than the number: an extension, a note, a second number
    ("03-1234-5678 内線123", "JP", "+81312345678", "fixed_line", None),
    ("03-1234-5678（内線：123）", "JP", "+81312345678", "fixed_line", None),
    ("03-1234-5678（代表）", "JP", "+81312345678", "fixed_line", None),
    ("携帯：090-1234-5678", "JP", "+819012345678", "mobile", None),
    ("090-1234-5678 / 03-1234-5678", "JP", "+819012345678", "mobile", None),
    ("03-1234-5678、090-1111-2222", "JP", "+81312345678", "fixed_line", None),
    ("(212) 736-5000 ext. 12", "US", "+12127365000", "other", None),
    ("(home) 020 7946 0958", "GB", "+442079460958", "fixed_line", None),
    ("030/1234567", "DE", "+49301234567", "fixed_line", None),  # a slash inside a number is not a separator
    ("代表", "JP", None, None, "phone_invalid"),
    ("9012345678", "JP", "+819012345678", "mobile", None),  # saved as a number: the leading 0 dropped
    ("9012345678.0", "JP", "+819012345678", "mobile", None),  # ... from a float column
    ("123", "JP", None, None, "phone_invalid"),
    ("call me", "JP", None, None, "phone_invalid"),
    ("9" * 60, "JP", None, None, "phone_invalid"),
    (None, "JP", None, None, None),
    # `00` as the international prefix, as people write `+` the world over
    ("0081-90-1234-5678", "JP", "+819012345678", "mobile", None),
    ("0081 3 1234 5678", "US", "+81312345678", "fixed_line", None),
    ("0044 20 7946 0958", "JP", "+442079460958", "fixed_line", None),
    # numbers of an older numbering plan, read as the number the plan made of them
    ("+52 1 55 2468 1357", "MX", "+525524681357", "other", None),  # Mexico's mobile `1`, dropped 2019
    ("044 55 2468 1357", "MX", "+525524681357", "other", None),  # the old mobile prefixes
    ("045 81 2468 1357", "MX", "+528124681357", "other", None),
    ("01 33 2468 1357", "MX", "+523324681357", "other", None),  # the old long-distance prefix
    ("+52 1 55 2468 1357", "US", "+525524681357", "other", None),
    ("(11) 8765-4321", "BR", "+5511987654321", "mobile", None),  # Brazil's mobiles got a leading 9
    ("+55 21 8654-3210", "BR", "+5521986543210", "mobile", None),
    ("(11) 3765-4321", "BR", "+551137654321", "fixed_line", None),  # a fixed line is no old mobile
    ("(10) 8765-4321", "BR", None, None, "phone_invalid"),  # no area code 10: no mobile with a 9 either
    ("+52 1 55 2468 135", "MX", None, None, "phone_invalid"),  # 9 digits after the `1`
]


@pytest.mark.parametrize(("raw", "country", "e164", "kind", "issue"), PHONES)
def test_phone(standardize, raw, country, e164, kind, issue):
    result = standardize({"phone": raw}, source_country=country)
    assert result.records.select("std_phone", "std_phone_type").row(0) == (e164, kind)
    assert issue_codes(result, "phone") == [issue]


def test_phone_uses_record_country_over_source_country(standardize):
    result = standardize({"phone": "(212) 555-0123", "country": "us"}, source_country="JP")
    assert result.records["std_phone"].to_list() == ["+12125550123"]


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("090-1234-5678", "US", "+819012345678"),  # a foreign customer's Japanese mobile
        ("080 2079 4089", "kr", "+818020794089"),
        ("010-86-138-0013-8000", "CN", "+8613800138000"),  # dialled abroad the Japanese way
        ("010-82-10-1234-5678", "KR", "+821012345678"),
        ("138 0013 8000", "CN", "+8613800138000"),  # valid in the customer's country: theirs
    ],
)
def test_a_number_no_valid_one_of_the_customers_country_is_read_as_the_source_wrote_it(standardize, raw, country, e164):
    result = standardize({"phone": raw, "country": country}, source_country="JP")
    assert result.records["std_phone"].to_list() == [e164]
    assert issue_codes(result, "phone") == [None]


EMAILS = [
    (" Hanako.Test@Example.COM ", "hanako.test@example.com", "hanako.test", None),
    ("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "hanako@example.com", "hanako", None),
    ("ha..nako@docomo.ne.jp", "ha..nako@docomo.ne.jp", "ha..nako", "email_legacy_carrier"),
    ("hanako.@ezweb.ne.jp", "hanako.@ezweb.ne.jp", "hanako.", "email_legacy_carrier"),
    ("hanako..x@i.softbank.jp", "hanako..x@i.softbank.jp", "hanako..x", "email_legacy_carrier"),
    ("Taro+Shop@Example.jp", "taro+shop@example.jp", "taro", None),  # a +tag filters the same mailbox
    # Gmail ignores dots in the mailbox: the address stays as written, the mailbox compared has none
    ("Taro.Yamada+shop@Gmail.com", "taro.yamada+shop@gmail.com", "taroyamada", None),
    ("t.a.r.o.yamada@googlemail.com", "t.a.r.o.yamada@googlemail.com", "taroyamada", None),
    ("taro.yamada@gmail.co.jp", "taro.yamada@gmail.co.jp", "taro.yamada", None),
    ("ha..nako@example.com", None, None, "email_invalid"),
    ("hanako example.com", None, None, "email_invalid"),
    ("hana ko@docomo.ne.jp", None, None, "email_invalid"),
    ("hanako@", None, None, "email_invalid"),
    ("@", None, None, "email_invalid"),
    # what exports write around an address
    ("mailto:Hanako@Example.com", "hanako@example.com", "hanako", None),
    ("Hanako Test <hanako@example.com>", "hanako@example.com", "hanako", None),
    ("<hanako@example.com>", "hanako@example.com", "hanako", None),
    ("hanako@example.com; h.test@example.jp", "hanako@example.com", "hanako", None),
    ("hanako@example.com、h.test@example.jp", "hanako@example.com", "hanako", None),
    ("hanako @ example.com", "hanako@example.com", "hanako", None),
    ("hanako@example.com.", "hanako@example.com", "hanako", None),
    ("mailto:", None, None, "email_invalid"),
    (None, None, None, None),
]


@pytest.mark.parametrize(("raw", "email", "local", "issue"), EMAILS)
def test_email(standardize, raw, email, local, issue):
    result = standardize({"email": raw})
    assert result.records.select("std_email", "std_email_local").row(0) == (email, local)
    assert issue_codes(result, "email") == [issue]


def test_legacy_carrier_is_a_flag(standardize):
    result = standardize({"email": "ha..nako@docomo.ne.jp"})
    assert result.issues["severity"].to_list() == ["flag"]


POSTAL_CODES = [
    ("100-0001", "JP", "1000001", "東京都", None),
    ("〒100-0001", "JP", "1000001", "東京都", None),
    ("１００ー０００１", "JP", "1000001", "東京都", None),
    ("〒 100 0001", "JP", "1000001", "東京都", None),
    ("0000000", "JP", None, None, "postal_code_placeholder"),  # zeros alone: a placeholder, no code
    ("100-001", "JP", None, None, "postal_code_invalid"),
    ("abcdefg", "JP", None, None, "postal_code_invalid"),
    ("90210", "US", "90210", None, None),
    ("90210-1234", "US", "90210", None, None),
    ("9021-", "US", None, None, "postal_code_invalid"),
    # a code saved as a number loses its leading zeros (060-0001 -> 600001): put back, flagged
    ("600001", "JP", "0600001", "北海道", "postal_code_zeros_restored"),
    ("600001.0", "JP", "0600001", "北海道", "postal_code_zeros_restored"),
    ("1000001.0", "JP", "1000001", "東京都", None),
    ("0600001.0", "JP", "0600001", "北海道", None),  # only the .0 dropped: no zeros were restored
    ("2134", "US", "02134", None, "postal_code_zeros_restored"),
    ("501", "US", "00501", None, "postal_code_zeros_restored"),
    ("1067", "DE", "01067", None, "postal_code_zeros_restored"),
    ("800", "AU", "0800", None, "postal_code_zeros_restored"),
    # countries without a checked shape too: Pretoria, Nairobi, Helsinki, Oslo, Mexico City, São Paulo, Medellín
    ("83", "ZA", "0083", None, "postal_code_zeros_restored"),
    ("181.0", "ZA", "0181", None, "postal_code_zeros_restored"),
    ("2000", "ZA", "2000", None, None),
    ("1", "ZA", None, None, "postal_code_invalid"),  # one digit left: too little to be sure of
    ("100", "KE", "00100", None, "postal_code_zeros_restored"),
    ("100", "FI", "00100", None, "postal_code_zeros_restored"),
    ("150", "NO", "0150", None, "postal_code_zeros_restored"),
    ("6700", "MX", "06700", None, "postal_code_zeros_restored"),
    ("1310100", "BR", "01310100", None, "postal_code_zeros_restored"),
    ("50001", "CO", "050001", None, "postal_code_zeros_restored"),
    ("1001", "UA", "01001", None, "postal_code_zeros_restored"),
    ("12", "JP", None, None, "postal_code_invalid"),
    ("sw1a 1aa", "GB", "SW1A1AA", None, None),
    ("K1A 0B1", "CA", "K1A0B1", None, None),
    ("2000", "AU", "2000", None, None),
    ("10115", "DE", "10115", None, None),
    ("75001", "FR", "75001", None, None),
    ("1234 ab", "NL", "1234AB", None, None),
    # a spreadsheet's text mark before the code (Excel's `'01001`, to keep the zero)
    ("'01001", "US", "01001", None, None),
    ("'D02 X285", "IE", "D02X285", None, None),
    ("'100-0001", "JP", "1000001", "東京都", None),
    ("'", "US", None, None, None),  # a mark alone: no code
    (None, "JP", None, None, None),
]


@pytest.mark.parametrize(("raw", "country", "code", "prefecture", "issue"), POSTAL_CODES)
def test_postal_code(standardize, raw, country, code, prefecture, issue):
    result = standardize({"postal_code": raw}, source_country=country)
    assert result.records.select("std_postal_code", "std_postal_prefecture").row(0) == (code, prefecture)
    assert issue_codes(result, "postal_code") == [issue]


GENDERS = [
    ("男", "M", None),
    ("男性", "M", None),
    ("女", "F", None),
    ("male", "M", None),
    ("Female", "F", None),
    ("m", "M", None),
    ("F", "F", None),
    ("1", "M", None),
    ("2", "F", None),
    ("１", "M", None),
    ("X", "X", None),
    ("0", None, None),
    ("9", None, None),
    ("不明", None, None),
    ("無回答", None, None),
    # a web form's "prefer not to answer": no value, no issue
    ("回答しない", None, None),
    ("答えたくない", None, None),
    ("Prefer not to say", None, None),
    ("Prefiero no decir", None, None),
    ("Não informar", None, None),
    ("NAO INFORMAR", None, None),  # accents dropped
    ("Ne souhaite pas répondre", None, None),
    # European exports: the word, its initial, the salutation (Anrede, civilité)
    ("Herr", "M", None),
    ("Frau", "F", None),
    ("weiblich", "F", None),
    ("W", "F", None),
    ("d", "X", None),
    ("Mrs.", "F", None),
    ("Mr", "M", None),
    ("Mme", "F", None),
    ("M.", "M", None),
    ("Sra.", "F", None),
    ("♀", "F", None),
    ("N/A", None, None),
    ("2.0", "F", None),  # a code column of floats
    ("V", "F", None),  # Dutch vrouw
    ("K", "F", None),  # Polish kobieta
    ("Kobieta", "F", None),
    ("Mężczyzna", "M", None),
    ("Señora", "F", None),
    ("Senora", "F", None),
    ("H", "M", None),  # hombre, homme
    ("banana", None, "gender_unrecognized"),
    (None, None, None),
    ("남", "M", None),
    ("여자", "F", None),
    ("여성", "F", None),
    ("男", "M", None),
    ("女士", "F", None),
    ("保密", None, None),  # a Chinese shop's "kept private"
    # Southeast Asian exports
    ("Nam", "M", None),  # Vietnamese
    ("Nữ", "F", None),
    ("Nu\u031b\u0303", "F", None),  # decomposed (NFD) as some exports write it
    ("NU", "F", None),  # accents dropped
    ("ชาย", "M", None),  # Thai
    ("หญิง", "F", None),
    ("นางสาว", "F", None),  # the title a Thai form asks for
    ("น.ส.", "F", None),
    ("นาย", "M", None),
    ("Laki-laki", "M", None),  # Indonesian
    ("PEREMPUAN", "F", None),
    ("L", "M", None),
    ("P", "F", None),
    ("Lelaki", "M", None),  # Malay
    ("Wanita", "F", None),
    ("Lalaki", "M", None),  # Filipino
    ("Babae", "F", None),
    # Cyrillic exports (Russian, Ukrainian, Kazakh), Baltic and Greek
    ("М", "M", None),
    ("Ж", "F", None),
    ("муж.", "M", None),
    ("ЖЕН.", "F", None),
    ("Женский", "F", None),
    ("чол.", "M", None),
    ("жін.", "F", None),
    ("Әйел", "F", None),
    ("Sieviete", "F", None),
    ("Vyras", "M", None),
    ("Γυναίκα", "F", None),
]


def test_an_unrecognized_gender_is_invalid_so_validity_counts_it(standardize):
    result = standardize({"gender": "banana"})
    assert result.issues.select("issue_code", "severity").row(0) == ("gender_unrecognized", "invalid")


@pytest.mark.parametrize(("raw", "expected", "issue"), GENDERS)
def test_gender(standardize, raw, expected, issue):
    result = standardize({"gender": raw})
    assert result.records["std_gender"].to_list() == [expected]
    assert issue_codes(result, "gender") == [issue]


COUNTRIES = [
    (None, "JP", "JP", None),
    ("jp", "US", "JP", None),
    ("日本", "US", "JP", None),
    ("United Kingdom", "JP", "GB", None),
    # names in the export's own language (CLDR's, by babel)
    ("Frankreich", "DE", "FR", None),
    ("Kanada", "DE", "CA", None),
    ("Italien", "DE", "IT", None),
    ("Irland", "DE", "IE", None),
    ("Österreich", "DE", "AT", None),
    ("Vereinigte Staaten", "DE", "US", None),
    ("Allemagne", "FR", "DE", None),
    ("États-Unis", "FR", "US", None),
    ("Etats-Unis", "FR", "US", None),  # accents dropped
    ("Alemania", "ES", "DE", None),
    ("Germania", "IT", "DE", None),
    ("Duitsland", "NL", "DE", None),
    ("ドイツ", "JP", "DE", None),
    ("アメリカ合衆国", "JP", "US", None),
    ("  FRANKREICH ", "DE", "FR", None),
    # everyday names CLDR does not give
    ("Großbritannien", "DE", "GB", None),
    ("USA", "DE", "US", None),
    ("Holland", "DE", "NL", None),
    # abbreviations exports write, and names in the scripts of the Gulf and South Asia
    ("UAE", "AE", "AE", None),
    ("U.A.E.", "IN", "AE", None),
    ("KSA", "AE", "SA", None),
    ("U.K.", "US", "GB", None),
    ("PRC", "JP", "CN", None),
    ("ROK", "JP", "KR", None),
    ("RSA", "GB", "ZA", None),
    ("EE.UU.", "MX", "US", None),
    ("الإمارات", "AE", "AE", None),  # "the Emirates"
    ("الامارات", "AE", "AE", None),  # without the hamza
    ("الإمارات العربية المتحدة", "IN", "AE", None),  # CLDR's Arabic name
    ("المملكة العربية السعودية", "AE", "SA", None),
    ("भारत", "AE", "IN", None),  # CLDR's Hindi name
    ("ไทย", "JP", "TH", None),  # CLDR's Thai name
    # nationality as passports and residence cards write it: ISO alpha-3, official names
    ("CHN", "JP", "CN", None),
    ("KOR", "JP", "KR", None),
    ("VNM", "JP", "VN", None),
    ("JPN", "US", "JP", None),
    ("大韓民国", "JP", "KR", None),
    ("中華人民共和国", "JP", "CN", None),
    ("ベトナム社会主義共和国", "JP", "VN", None),
    ("Korea, Republic of", "JP", "KR", None),
    ("ミャンマー", "JP", "MM", None),  # CLDR: ミャンマー (ビルマ)
    ("Hong Kong", "JP", "HK", None),
    # Greater China and Korea as marketplaces' country pickers write them
    ("Mainland China", "KR", "CN", None),
    ("China (Mainland)", "KR", "CN", None),
    ("中国大陆", "TW", "CN", None),
    ("Hong Kong SAR", "KR", "HK", None),
    ("中國香港", "TW", "HK", None),
    ("Macau SAR", "KR", "MO", None),
    ("Republic of China (Taiwan)", "KR", "TW", None),
    ("Taiwan, Province of China", "KR", "TW", None),
    ("臺灣", "CN", "TW", None),
    ("中国台湾", "CN", "TW", None),
    ("한국", "JP", "KR", None),
    ("South Korea", "JP", "KR", None),
    # a value saying no country was given: the source's, no issue
    ("-", "DE", "DE", None),
    ("k.A.", "DE", "DE", None),
    ("unknown", "US", "US", None),
    ("NA", "DE", "NA", None),  # Namibia
    # a value naming no country: unknown, not the source's default
    ("Atlantis", "JP", None, "country_unrecognized"),
    ("Frankreich!!", "DE", None, "country_unrecognized"),
]


@pytest.mark.parametrize(("raw", "source", "expected", "issue"), COUNTRIES)
def test_country(standardize, raw, source, expected, issue):
    result = standardize({"country": raw}, source_country=source)
    assert result.records["std_country"].to_list() == [expected]
    assert issue_codes(result, "country") == [issue]


def test_a_national_mobile_of_a_country_written_as_an_abbreviation_is_that_countrys(standardize):
    """A Gulf CRM's `UAE` customer: the country is read, and the mobile typed
    without its country code is a UAE mobile, not `phone_invalid`."""
    result = standardize({"country": "UAE", "phone": "050 123 4567"}, source_country="IN")
    assert result.records.select("std_country", "std_phone").row(0) == ("AE", "+971501234567")
    assert issue_codes(result, "phone") == [None]


def test_an_unrecognized_country_is_invalid_and_lends_its_record_no_default(standardize):
    """A French customer of a German CRM whose country cell the CRM wrote in
    a way nobody can read: the French mobile number is no German landline
    (`+49611823285`), and the issue counts against the country's validity."""
    result = standardize(
        {"country": "Fronkreich", "phone": "06 11 82 32 85", "postal_code": "75002"},
        {"country": "Frankreich", "phone": "06 11 82 32 85", "postal_code": "75002"},
        {"country": "Kanada", "phone": "(416) 555-0143", "postal_code": "M5V 2T6"},
        source_country="DE",
    )
    rows = result.records.select("std_country", "std_phone", "std_postal_code").rows()
    assert rows == [
        (None, None, "75002"),  # a national number of an unknown country cannot be read; the code is kept
        ("FR", "+33611823285", "75002"),
        ("CA", "+14165550143", "M5V2T6"),
    ]
    assert issue_codes(result, "phone") == ["phone_invalid", None, None]
    severity = dict(result.issues.filter(pl.col("field") == "country").select("issue_code", "severity").rows())
    assert severity == {"country_unrecognized": "invalid"}


def test_a_record_of_unknown_country_reads_its_names_by_its_source(standardize):
    """How a Japanese source writes names does not depend on a country cell nobody can read."""
    known = standardize({"country": "日本", "full_name": "Yamada Taro"}, source_country="JP")
    unknown = standardize({"country": "???", "full_name": "Yamada Taro"}, source_country="JP")
    columns = ("std_family_name", "std_given_name")
    assert unknown.records.select(columns).row(0) == known.records.select(columns).row(0)


def test_every_country_name_that_is_also_a_region_is_no_country_at_a_line_end():
    """`…, Atlanta, Georgia` ends with a US state, not with the country."""
    region_names = {name for names in REGION_NAMES.values() for name in names}
    assert region_names & set(country_names()) <= NOT_COUNTRIES_AT_LINE_END
    assert not region_names & set(line_country_names())


LINE_COUNTRIES = [
    ("112 Larry Route, Jasonmouth, MP 98903, US", None, "US"),  # a Japanese shop's customer abroad
    ("Insa-Reinhardt-Allee 38, Nabburg, Hessen 11661, DE", None, "DE"),
    ("Rue de Rivoli 3, 75001 Paris, France", None, "FR"),  # a country name needs no postal code before it
    ("4-17-10 Shibuya, Shibuya-ku, Tokyo 150-0002, Japan", None, "JP"),
    ("12 Main St, Springfield, CA", None, "JP"),  # California after the street, not Canada: the source's
    ("112 Larry Route, Jasonmouth, MP 98903, US", "GB", "GB"),  # the record's own country wins
    ("東京都新宿区西新宿2-8-1", None, "JP"),
    ("121 Marshall Circle, Hewittton, Norfolk , GB", None, "GB"),  # no postal code: GB is no US state
    ("21 Frost Pike, Lake Stephanie, NH , US", None, "US"),
    ("Cathrin-Bohlander-Weg 90, Jüterbog, Berlin , DE", None, "JP"),  # Delaware or Germany: not taken
    ("12 Main St, Apt 4, Springfield, CA", None, "JP"),
    ("12 rue de la Paix, 75002 Paris, Frankreich", None, "FR"),  # a German export's name of France
    ("12 Peachtree St, Atlanta, Georgia", None, "JP"),  # a US state, not the country
]


@pytest.mark.parametrize(("line", "country", "expected"), LINE_COUNTRIES)
def test_a_country_the_address_line_ends_with_comes_before_the_sources(standardize, line, country, expected):
    result = standardize({"address_line": line, "country": country}, source_country="JP")
    assert result.records["std_country"].to_list() == [expected]
