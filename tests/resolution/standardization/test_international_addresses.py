"""One-line addresses outside Japan: split where their end has their country's shape, else left whole."""

import polars as pl
import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization.international_addresses import (
    LINE_PATTERNS,
    split_international_lines,
)
from tests.resolution.standardization.conftest import issue_codes

SPLIT_LINES = [
    # (line, country) -> (street, town, region, code)
    (("1600 Amphitheatre Pkwy, Mountain View, CA 94043", "US"), ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043")),
    (("1600 Amphitheatre Pkwy, Mountain View, CA 94043-1351, USA", "US"), ("1600 Amphitheatre Pkwy", "Mountain View", "CA", "94043")),
    # without commas the town cannot be told from the street: it stays in it
    (("1600 Amphitheatre Pkwy Mountain View CA 94043", "US"), ("1600 Amphitheatre Pkwy Mountain View", None, "CA", "94043")),
    (("Flat 3, 12 High St, Springfield, IL 62701", "US"), ("Flat 3, 12 High St", "Springfield", "IL", "62701")),
    # a region written out, in any case
    (("1600 Amphitheatre Pkwy, Mountain View, California 94043", "US"), ("1600 Amphitheatre Pkwy", "Mountain View", "California", "94043")),
    (("1 Main St, Charleston West Virginia 25301", "US"), ("1 Main St", "Charleston", "West Virginia", "25301")),
    (("350 rue Sherbrooke O, Montréal, Québec H3A 1B2", "CA"), ("350 rue Sherbrooke O", "Montréal", "Québec", "H3A 1B2")),
    (("1 George St, Sydney, new south wales 2000", "AU"), ("1 George St", "Sydney", "new south wales", "2000")),
    (("350 rue Sherbrooke O, Montréal QC h3a 1b2", "CA"), ("350 rue Sherbrooke O", "Montréal", "QC", "H3A 1B2")),
    (("Apt. 487 47 Silva Drive, New Donald, NT 2594, Australia", "AU"), ("Apt. 487 47 Silva Drive", "New Donald", "NT", "2594")),
    (("221B Baker Street, London NW1 6XE, United Kingdom", "GB"), ("221B Baker Street", "London", None, "NW1 6XE")),
    (("10 Downing St, London, SW1A 2AA", "GB"), ("10 Downing St", "London", None, "SW1A 2AA")),
    # a county between the town and the postcode is the region; alone before it, a county town is the town
    (("176 Jason Shores, Whiteberg, Staffordshire S72 2US", "GB"), ("176 Jason Shores", "Whiteberg", "Staffordshire", "S72 2US")),
    (("1 Front St, Chester-le-Street, County Durham, DH3 3AA", "GB"), ("1 Front St", "Chester-le-Street", "County Durham", "DH3 3AA")),
    (("1 Palace Green, Durham DH1 3HP", "GB"), ("1 Palace Green", "Durham", None, "DH1 3HP")),
    (("Flat 3, 12 High St, London SW1A 1AA", "GB"), ("Flat 3, 12 High St", "London", None, "SW1A 1AA")),
    (("12 Queen St, Auckland 1010", "NZ"), ("12 Queen St", "Auckland", None, "1010")),
    (("Hauptstraße 5, 10115 Berlin", "DE"), ("Hauptstraße 5", "Berlin", None, "10115")),
    (("Hauptstraße 5 10115 Berlin, Deutschland", "DE"), ("Hauptstraße 5", "Berlin", None, "10115")),
    (("12, rue de la Paix, 75002 Paris, France", "FR"), ("12, rue de la Paix", "Paris", None, "75002")),
    (("Calle Mayor 5, 28013 Madrid, España", "ES"), ("Calle Mayor 5", "Madrid", None, "28013")),
    (("Damrak 1, 1012 LG Amsterdam", "NL"), ("Damrak 1", "Amsterdam", None, "1012 LG")),
    (("Aiméesingel 6, 7706mw Herpen, Nederland", "NL"), ("Aiméesingel 6", "Herpen", None, "7706MW")),
    (("Rue Neuve 1, 1000 Bruxelles", "BE"), ("Rue Neuve 1", "Bruxelles", None, "1000")),
    (("ul. Marszałkowska 1, 00-624 Warszawa", "PL"), ("ul. Marszałkowska 1", "Warszawa", None, "00-624")),
    # an Italian province after the town is the region
    (("Via Roma 10, 00184 Roma RM", "IT"), ("Via Roma 10", "Roma", "RM", "00184")),
    (("Corso Buenos Aires 1, 20124 Milano (MI), Italia", "IT"), ("Corso Buenos Aires 1", "Milano", "MI", "20124")),
    (("Via Po 2, 10124 Torino", "IT"), ("Via Po 2", "Torino", None, "10124")),
    (("10115 Berlin", "DE"), (None, "Berlin", None, "10115")),
    # a 5-digit code that lost its leading zero, after a comma (the zero is put back by standardize_postal_code)
    (("Birkenallee 36, 1067 Dresden", "DE"), ("Birkenallee 36", "Dresden", None, "1067")),
    (("Mühlenweg 62 C, D-4109 Leipzig", "DE"), ("Mühlenweg 62 C", "Leipzig", None, "4109")),
    (("Calle Mayor 5, 8001 Barcelona", "ES"), ("Calle Mayor 5", "Barcelona", None, "8001")),
    (("Am Ring 1234, 01067 Dresden", "DE"), ("Am Ring 1234", "Dresden", None, "01067")),
    # Brazil: street, number, complement - district, town - state [, CEP]; the district stays in the street
    (("Rua Augusta, 1500, apto 12 - Consolação, São Paulo - SP", "BR"), ("Rua Augusta, 1500, apto 12 - Consolação", "São Paulo", "SP", None)),
    (("AV. PAULISTA, 900 - BELA VISTA, SAO PAULO - SP, 01310-100", "BR"), ("AV. PAULISTA, 900 - BELA VISTA", "SAO PAULO", "SP", "01310-100")),
    (("Rua das Flores, 10 - Centro - Campinas/SP", "BR"), ("Rua das Flores, 10 - Centro", "Campinas", "SP", None)),
    (("Rua Sete, 45, Embu-Guaçu - sp, CEP 06900-000, Brasil", "BR"), ("Rua Sete, 45", "Embu-Guaçu", "sp", "06900-000")),
    # the Emirates: a known town at the end, after a comma or not; a P.O. box and the country dropped
    (("Al Noor Tower, Flat No 2507, Al Nuaimiya, Ajman, UAE", "AE"), ("Al Noor Tower, Flat No 2507, Al Nuaimiya", "Ajman", None, None)),
    (("Apt 1905 Al Noor Tower Al Nuaimiya Ajman, P.O. Box 69934", "AE"), ("Apt 1905 Al Noor Tower Al Nuaimiya", "Ajman", None, None)),
    (("Sky View Tower, Flat 412, Al Majaz 2, Sharjah, United Arab Emirates, PO Box 60539", "AE"), ("Sky View Tower, Flat 412, Al Majaz 2", "Sharjah", None, None)),
    (("Villa 9, Street 7, Al Mushrif, P.O. Box 18993", "AE"), ("Villa 9, Street 7, Al Mushrif", None, None, None)),
    # an area named after its town is no town
    (("Flat 5, Palm Tower, Bur Dubai", "AE"), ("Flat 5, Palm Tower, Bur Dubai", None, None, None)),
    (("Apt 309 Palm Residency Bur Dubai Dubai", "AE"), ("Apt 309 Palm Residency Bur Dubai", "Dubai", None, None)),
    # the Philippines and Indonesia: town, a province where the line names one, code; the barangay stays in the street
    (("12 Rizal St., Brgy. San Antonio, Makati City, Metro Manila 1203", "PH"), ("12 Rizal St., Brgy. San Antonio", "Makati City", "Metro Manila", "1203")),
    (("Blk 4 Lot 9 Luna St., Bgy. Lahug, Cebu City, Cebu, 6000, Philippines", "PH"), ("Blk 4 Lot 9 Luna St., Bgy. Lahug", "Cebu City", "Cebu", "6000")),
    (("88 Quirino Ave., Barangay Poblacion, Davao City 8000", "PH"), ("88 Quirino Ave., Barangay Poblacion", "Davao City", None, "8000")),
    (("5 Sampaguita St., Quezon City, Metro Manila", "PH"), ("5 Sampaguita St.", "Quezon City", "Metro Manila", None)),
    (("Jl. Melati No. 7, RT 03/RW 04, Kel. Sukajadi, Kota Bandung, Jawa Barat 40162", "ID"), ("Jl. Melati No. 7, RT 03/RW 04, Kel. Sukajadi", "Kota Bandung", "Jawa Barat", "40162")),
    (("Jl. Melati No. 7, Bandung 40162", "ID"), ("Jl. Melati No. 7", "Bandung", None, "40162")),
    # Thailand: the province before the code, after a comma in Latin letters, marked or known in Thai script
    (("45/2 Soi Ari, Phaya Thai, Bangkok 10400", "TH"), ("45/2 Soi Ari, Phaya Thai", "Bangkok", None, "10400")),
    (("45/2 ซอยอารีย์ แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400", "TH"), ("45/2 ซอยอารีย์ แขวงสามเสนใน เขตพญาไท", "กรุงเทพมหานคร", None, "10400")),
    (("7 หมู่ 3 ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่ 50200", "TH"), ("7 หมู่ 3 ต.สุเทพ อ.เมืองเชียงใหม่", "จ.เชียงใหม่", None, "50200")),
    (("7 หมู่ 3 ต.สุเทพ อ.เมืองเชียงใหม่ 50200", "TH"), ("7 หมู่ 3 ต.สุเทพ อ.เมืองเชียงใหม่", None, None, "50200")),
    # Malaysia: code and town, the state after them if at all
    (("No. 8, Jalan Tun Razak, 50400 Kuala Lumpur", "MY"), ("No. 8, Jalan Tun Razak", "Kuala Lumpur", None, "50400")),
    (("12, Jln SS 15/4, Taman Subang, 47500 Subang Jaya, Selangor, Malaysia", "MY"), ("12, Jln SS 15/4, Taman Subang", "Subang Jaya", "Selangor", "47500")),
    (("3 Lorong Kenari, 10450 George Town, Pulau Pinang", "MY"), ("3 Lorong Kenari", "George Town", "Pulau Pinang", "10450")),
    (("Lot 5, Jalan Ipoh, 51200 Kuala Lumpur, W.P. Kuala Lumpur", "MY"), ("Lot 5, Jalan Ipoh", "Kuala Lumpur", "W.P. Kuala Lumpur", "51200")),
    # Vietnam: a city or province at the end
    (("Số 15 Lý Thường Kiệt, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội", "VN"), ("Số 15 Lý Thường Kiệt, Phường Tràng Tiền, Quận Hoàn Kiếm", "Hà Nội", None, None)),
    (("22 Nguyen Trai, Phuong 2, Quan 5, TP. Ho Chi Minh 700000", "VN"), ("22 Nguyen Trai, Phuong 2, Quan 5", "TP. Ho Chi Minh", None, "700000")),
    (("9 Tran Phu, Hai Chau, Tỉnh Quảng Nam", "VN"), ("9 Tran Phu, Hai Chau", "Tỉnh Quảng Nam", None, None)),
    (("1 Raffles Place, Singapore 048616", "SG"), ("1 Raffles Place", "Singapore", None, "048616")),
    # Russia, Ukraine, Kazakhstan: the town first (after its word or the postal code), then the street
    (("101000, г. Москва, ул. Ленина, д. 5, кв. 12", "RU"), ("ул. Ленина, д. 5, кв. 12", "Москва", None, "101000")),
    (("г. Новосибирск, ул. Ленина, д. 96, кв. 155, 630000", "RU"), ("ул. Ленина, д. 96, кв. 155", "Новосибирск", None, "630000")),
    (("630000, Новосибирск, ул. Ленина, д. 96", "RU"), ("ул. Ленина, д. 96", "Новосибирск", None, "630000")),
    (("Московская обл., г. Химки, ул. Мира, д. 3", "RU"), ("ул. Мира, д. 3", "Химки", "Московская обл.", None)),
    (("м. Київ, вул. Хрещатик, 1", "UA"), ("вул. Хрещатик, 1", "Київ", None, None)),
    (("г. Алматы, пр. Абая, 10", "KZ"), ("пр. Абая, 10", "Алматы", None, None)),
]

WHOLE_LINES = [
    ("122 Ryan Place", "US"),  # no town, region or code
    ("12 Main St, Springfield", "US"),
    ("1600 Amphitheatre Pkwy, Mountain View, ZZ 94043", "US"),  # no US state
    ("Kirkegade 1234 Kobenhavn", "DK"),  # four digits without a comma: as likely a house number
    ("Im Feld 1234 Dresden", "DE"),  # so where five are written
    ("Pasadizo de Francisco Arce, 85", "ES"),
    ("Rua Augusta, 1500, apto 12", "BR"),  # no state: the town cannot be told
    ("Rua Augusta, 1500 - Consolação, São Paulo - ZZ", "BR"),  # no Brazilian state
    ("Hauptstraße 5, 10115 Berlin, France", "DE"),  # another country's name ends it
    ("1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005", "JP"),  # Japanese lines have their own rules
    ("Hauptstraße 5, 10115 Berlin", None),
    (None, "US"),
    ("12 Rizal St., Brgy. San Antonio, Makati City", "PH"),  # no code nor province: the last part may be the barangay
    ("Blk 3 Lot 1203", "PH"),  # a lot number is no code
    ("Số 15 Lý Thường Kiệt, Phường Tràng Tiền, Quận Hoàn Kiếm", "VN"),  # a district is no town
    ("99 Jalan Ampang Kuala Lumpur", "MY"),
    ("ул. Ленина, д. 5, кв. 12", "RU"),  # no town word nor code: the first part is the street
]


@pytest.mark.parametrize(("given", "expected"), SPLIT_LINES)
def test_a_line_ending_as_its_country_writes_addresses_is_split(given, expected):
    frame = pl.DataFrame([given], schema=["line", "country"], orient="row")
    assert split_international_lines(frame).select("street", "town", "region", "code").row(0) == expected


@pytest.mark.parametrize(("line", "country"), WHOLE_LINES)
def test_other_lines_are_left_whole(line, country):
    frame = pl.DataFrame([(line, country)], schema=["line", "country"], orient="row")
    assert split_international_lines(frame).select("street", "town", "region", "code").row(0) == (None,) * 4


def test_every_row_keeps_its_place_and_repeated_lines_split_alike():
    lines = [("Hauptstraße 5, 10115 Berlin", "DE"), ("122 Ryan Place", "US"), ("Hauptstraße 5, 10115 Berlin", "DE")]
    frame = pl.DataFrame(lines, schema=["line", "country"], orient="row").with_row_index("row")
    split = split_international_lines(frame)
    assert split["row"].to_list() == [0, 1, 2]
    assert split["code"].to_list() == ["10115", None, "10115"]


def test_every_country_with_a_pattern_names_its_code_or_town():
    assert all("(?P<code>" in pattern or "(?P<town>" in pattern for pattern in LINE_PATTERNS.values())
    assert "JP" not in LINE_PATTERNS


def test_a_one_line_record_standardizes_as_its_twin_with_address_columns(standardize):
    result = standardize(
        {"address_line": "1600 Amphitheatre Parkway, Mountain View, CA 94043-1351, USA"},
        {"address_line": "1600 Amphitheatre Parkway", "city": "Mountain View", "prefecture": "CA", "postal_code": "94043"},
        {"address_line": "Hauptstraße 5, 10115 Berlin", "country": "DE"},
        {"address_line": "Hauptstraße 5", "city": "Berlin", "postal_code": "10115", "country": "DE"},
        source_country="US",
    )
    columns = ("std_postal_code", "std_prefecture", "std_city", "std_address")
    rows = result.records.select(columns).rows()
    assert rows[0] == rows[1] == ("94043", "CA", "mountain view", "1600 amphitheatre parkway")
    assert rows[2] == rows[3] == ("10115", None, "berlin", "hauptstr 5")
    keys = add_match_keys(result.records).select("mk_address", "mk_city", "mk_postal_area").rows()
    assert keys[0] == keys[1] and keys[2] == keys[3]
    assert issue_codes(result, "postal_code") == [None] * 4


def test_a_records_own_postal_code_wins_over_its_lines(standardize):
    result = standardize(
        {"address_line": "221B Baker Street, London NW1 6XE", "postal_code": "NW1 6XF"}, source_country="GB"
    )
    assert result.records.select("std_postal_code", "std_city", "std_address").row(0) == (
        "NW16XF",
        "london",
        "221b baker st",
    )
    assert issue_codes(result, "postal_code") == ["postal_code_address_mismatch"]


def test_a_region_written_out_is_its_code(standardize):
    result = standardize(
        {"address_line": "1600 Amphitheatre Pkwy, Mountain View, California 94043"},
        {"address_line": "1600 Amphitheatre Pkwy", "city": "Mountain View", "prefecture": "california", "postal_code": "94043"},
        {"address_line": "1600 Amphitheatre Pkwy", "city": "Mountain View", "prefecture": "CA", "postal_code": "94043"},
        {"address_line": "1 George St, Sydney NSW 2000", "country": "AU"},
        {"address_line": "1 George St", "city": "Sydney", "prefecture": "New South Wales", "country": "AU"},
        {"address_line": "Hauptstraße 5", "prefecture": "Berlin", "country": "DE"},  # no codes known: as written
        source_country="US",
    )
    assert result.records["std_prefecture"].to_list() == ["CA", "CA", "CA", "NSW", "NSW", "BERLIN"]


def test_a_line_of_only_a_code_and_a_town_leaves_no_street(standardize):
    result = standardize({"address_line": "10115 Berlin", "country": "DE"})
    assert result.records.select("std_postal_code", "std_city", "std_address").row(0) == ("10115", "berlin", None)


def test_a_lines_postal_code_gets_back_the_zero_a_spreadsheet_dropped(standardize):
    result = standardize(
        {"address_line": "Birkenallee 36, 1067 Dresden", "country": "DE"},
        {"address_line": "Birkenallee 36", "city": "Dresden", "postal_code": "01067", "country": "DE"},
        {"address_line": "Hauptplatz 7, 5020 Salzburg", "country": "AT"},  # four digits are Austria's codes
        source_country="DE",
    )
    rows = result.records.select("std_postal_code", "std_city", "std_address").rows()
    assert rows[0] == rows[1] == ("01067", "dresden", "birkenallee 36")
    assert rows[2] == ("5020", "salzburg", "hauptplatz 7")
    assert issue_codes(result, "postal_code") == ["postal_code_zeros_restored", None, None]


def test_southeast_asian_spellings_of_one_home_meet(standardize):
    result = standardize(
        {"address_line": "12 Rizal St., Brgy. San Antonio, Makati City, Metro Manila 1203", "country": "PH"},
        {"address_line": "12 Rizal Street, Barangay San Antonio, Makati City, NCR 1203", "country": "PH"},
        {"address_line": "12 Rizal St, Bgy. San Antonio, Makati City, Metro Manila, 1203", "country": "PH"},
        {"address_line": "No. 5, Jalan Ampang, Taman Melawati, 53100 Kuala Lumpur", "country": "MY"},
        {"address_line": "5, Jln. Ampang, Tmn Melawati, 53100 Kuala Lumpur", "country": "MY"},
        {"address_line": "Số 12 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm", "city": "TP. Hồ Chí Minh", "country": "VN"},
        {"address_line": "12 Pho Hue, P. Hang Bai, Q. Hoan Kiem, HCMC", "country": "VN"},
        # Indonesian neighbourhood units are no house number
        {"address_line": "Jl. Kenanga No. 9, RT 01/RW 02, Surabaya 60271", "country": "ID"},
        {"address_line": "Jalan Kenanga No 9, Surabaya, Jawa Timur 60271", "country": "ID"},
        source_country="PH",
    )
    rows = result.records.select("std_postal_code", "std_prefecture", "std_city", "std_address").rows()
    assert rows[0] == rows[1] == rows[2] == ("1203", "NCR", "makati city", "12 rizal st brgy san antonio")
    assert rows[3] == rows[4] == ("53100", None, "kuala lumpur", "5 jln ampang tmn melawati")
    assert rows[5] == rows[6] == (None, None, "ho chi minh", "12 pho hue p hang bai q hoan kiem")
    assert rows[7][::3] == rows[8][::3] == ("60271", "jln kenanga 9")


def test_a_russian_line_meets_its_twin_written_out_or_with_its_code(standardize):
    """`ул.`/`улица`, `д.`/`дом`, `кв.`/`квартира` are one word; the postal
    code first or last, or in its own column, is the record's; the town is its city."""
    result = standardize(
        {"address_line": "101000, г. Москва, ул. Ленина, д. 5, кв. 12"},
        {"address_line": "г. Москва, улица Ленина, дом 5, квартира 12, 101000"},
        {"address_line": "улица Ленина, дом 5, кв. 12", "city": "Москва", "postal_code": "101000"},
        source_country="RU",
    )
    rows = result.records.select("std_postal_code", "std_city", "std_address").rows()
    assert rows[0] == rows[1] == rows[2] == ("101000", "москва", "ул ленина д 5 кв 12")


def test_a_thai_address_in_thai_script_meets_its_latin_spelling(standardize):
    result = standardize(
        {"address_line": "99/1 ถนนสุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพฯ 10110"},
        {"address_line": "๙๙/๑ ถ.สุขุมวิท แขวงคลองเตย เขตคลองเตย กรุงเทพมหานคร ๑๐๑๑๐"},
        {"address_line": "99/1 Sukhumvit Rd, Khlong Toei, Bangkok 10110", "country": "TH"},
        {"address_line": "7 หมู่ที่ 3 ตำบลสุเทพ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200"},
        {"address_line": "7 ม.3 ต.สุเทพ อ.เมืองเชียงใหม่ จ.เชียงใหม่ 50200"},
        {"address_line": "7 Moo 3", "city": "เชียงใหม่", "country": "TH"},
        source_country="TH",
    )
    rows = result.records.select("std_postal_code", "std_city", "std_address").rows()
    assert rows[0] == rows[1] == ("10110", "bangkok", "99/1 ถ สุขุมวิท ต คลองเตย อ คลองเตย")
    assert rows[2] == ("10110", "bangkok", "99/1 sukhumvit rd khlong toei")
    assert rows[3] == rows[4] == ("50200", "chiang mai", "7 ม 3 ต สุเทพ อ เมืองเชียงใหม่")
    assert rows[5][1] == "chiang mai"
    assert issue_codes(result, "postal_code") == [None] * 6


def test_a_southeast_asian_postal_code_of_another_shape_is_invalid(standardize):
    result = standardize(
        {"address_line": "12 Rizal St.", "postal_code": "12034", "country": "PH"},
        {"address_line": "12 Rizal St.", "postal_code": "1203", "country": "PH"},
        {"address_line": "9 Jalan Raja", "postal_code": "5300", "country": "MY"},  # a spreadsheet dropped its zero
        source_country="PH",
    )
    assert result.records["std_postal_code"].to_list() == [None, "1203", "05300"]
    assert issue_codes(result, "postal_code") == ["postal_code_invalid", None, "postal_code_zeros_restored"]
