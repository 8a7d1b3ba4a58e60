"""Places of Southeast Asia an address line names at its end, and the words
its streets are written with, so that one-line addresses of the
Philippines, Thailand, Malaysia, Indonesia and Vietnam split as
`international_addresses` splits other countries' and fold to one spelling.

The lists are of provinces and states (a country's first-level divisions,
which change rarely), not of towns: a line's town is read from where its
country writes it, the province from this list only, so that a town of the
same name as a province (`Cebu City`, `Quezon City`) is no region.
"""

from __future__ import annotations

import unicodedata

import polars as pl

PH_PROVINCES = frozenset(
    ["Metro Manila", "NCR", "National Capital Region", "Abra", "Agusan del Norte", "Agusan del Sur", "Aklan",
     "Albay", "Antique", "Apayao", "Aurora", "Basilan", "Bataan", "Batanes", "Batangas", "Benguet", "Biliran",
     "Bohol", "Bukidnon", "Bulacan", "Cagayan", "Camarines Norte", "Camarines Sur", "Camiguin", "Capiz",
     "Catanduanes", "Cavite", "Cebu", "Cotabato", "North Cotabato", "Compostela Valley", "Davao de Oro",
     "Davao del Norte", "Davao del Sur", "Davao Occidental", "Davao Oriental", "Dinagat Islands", "Eastern Samar",
     "Guimaras", "Ifugao", "Ilocos Norte", "Ilocos Sur", "Iloilo", "Isabela", "Kalinga", "La Union", "Laguna",
     "Lanao del Norte", "Lanao del Sur", "Leyte", "Maguindanao", "Maguindanao del Norte", "Maguindanao del Sur",
     "Marinduque", "Masbate", "Misamis Occidental", "Misamis Oriental", "Mountain Province", "Negros Occidental",
     "Negros Oriental", "Northern Samar", "Nueva Ecija", "Nueva Vizcaya", "Occidental Mindoro", "Oriental Mindoro",
     "Palawan", "Pampanga", "Pangasinan", "Quezon", "Quirino", "Rizal", "Romblon", "Samar", "Sarangani",
     "Siquijor", "Sorsogon", "South Cotabato", "Southern Leyte", "Sultan Kudarat", "Sulu", "Surigao del Norte",
     "Surigao del Sur", "Tarlac", "Tawi-Tawi", "Zambales", "Zamboanga del Norte", "Zamboanga del Sur",
     "Zamboanga Sibugay"]
)  # fmt: skip
"""Provinces of the Philippines and its capital region, as a line writes them
between the town and the ZIP code (`…, Makati City, Metro Manila 1203`)."""

ID_PROVINCES = frozenset(
    ["Aceh", "Nanggroe Aceh Darussalam", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
     "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
     "Jakarta", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "D.I. Yogyakarta", "Daerah Istimewa Yogyakarta",
     "Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "NTB", "Nusa Tenggara Timur", "NTT",
     "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
     "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat",
     "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan", "Papua Tengah",
     "Papua Pegunungan", "West Java", "Central Java", "East Java", "North Sumatra", "West Sumatra",
     "South Sumatra", "South Sulawesi", "North Sulawesi", "East Kalimantan", "West Kalimantan"]
)  # fmt: skip
"""Provinces of Indonesia, in Indonesian and as English-language forms write
the large ones (`Jawa Barat`, `West Java`), between the town and the postal
code (`…, Kota Bandung, Jawa Barat 40115`)."""

MY_STATES: dict[str, str] = {
    "JOHOR": "JHR", "KEDAH": "KDH", "KELANTAN": "KTN", "MELAKA": "MLK", "MALACCA": "MLK",
    "NEGERI SEMBILAN": "NSN", "PAHANG": "PHG", "PERAK": "PRK", "PERLIS": "PLS", "PULAU PINANG": "PNG",
    "PENANG": "PNG", "SABAH": "SBH", "SARAWAK": "SWK", "SELANGOR": "SGR", "TERENGGANU": "TRG",
    "WILAYAH PERSEKUTUAN": "KUL", "WILAYAH PERSEKUTUAN KUALA LUMPUR": "KUL", "WP KUALA LUMPUR": "KUL",
    "FEDERAL TERRITORY OF KUALA LUMPUR": "KUL", "KUALA LUMPUR": "KUL", "WILAYAH PERSEKUTUAN LABUAN": "LBN",
    "WP LABUAN": "LBN", "LABUAN": "LBN", "WILAYAH PERSEKUTUAN PUTRAJAYA": "PJY", "WP PUTRAJAYA": "PJY",
    "PUTRAJAYA": "PJY",
    **{code: code for code in ("JHR", "KDH", "KTN", "MLK", "NSN", "PHG", "PRK", "PLS", "PNG", "SBH", "SWK",
                               "SGR", "TRG", "KUL", "LBN", "PJY")},
}  # fmt: skip
"""States and federal territories of Malaysia (upper-case, `.` dropped: `W.P.
Kuala Lumpur` is `WP KUALA LUMPUR`) by the codes Malaysian forms use. A
line names its state after the postcode and town (`…, 53100 Kuala Lumpur,
Wilayah Persekutuan`); `Kuala Lumpur` there is the town."""

MY_STATES_AT_LINE_END = tuple(
    sorted((name for name in MY_STATES if len(name) > 3 and name != "KUALA LUMPUR"), key=len, reverse=True)
)
"""State names a Malaysian line may end with after its town (codes and the
capital's name are a town's or a word's as often)."""

TH_PROVINCES: dict[str, str] = {
    "กรุงเทพมหานคร": "Bangkok", "กรุงเทพฯ": "Bangkok", "กรุงเทพ": "Bangkok", "กทม.": "Bangkok", "กทม": "Bangkok",
    "กระบี่": "Krabi", "กาญจนบุรี": "Kanchanaburi", "กาฬสินธุ์": "Kalasin", "กำแพงเพชร": "Kamphaeng Phet",
    "ขอนแก่น": "Khon Kaen", "จันทบุรี": "Chanthaburi", "ฉะเชิงเทรา": "Chachoengsao", "ชลบุรี": "Chon Buri",
    "ชัยนาท": "Chai Nat", "ชัยภูมิ": "Chaiyaphum", "ชุมพร": "Chumphon", "เชียงราย": "Chiang Rai",
    "เชียงใหม่": "Chiang Mai", "ตรัง": "Trang", "ตราด": "Trat", "ตาก": "Tak", "นครนายก": "Nakhon Nayok",
    "นครปฐม": "Nakhon Pathom", "นครพนม": "Nakhon Phanom", "นครราชสีมา": "Nakhon Ratchasima",
    "นครศรีธรรมราช": "Nakhon Si Thammarat", "นครสวรรค์": "Nakhon Sawan", "นนทบุรี": "Nonthaburi",
    "นราธิวาส": "Narathiwat", "น่าน": "Nan", "บึงกาฬ": "Bueng Kan", "บุรีรัมย์": "Buri Ram",
    "ปทุมธานี": "Pathum Thani", "ประจวบคีรีขันธ์": "Prachuap Khiri Khan", "ปราจีนบุรี": "Prachin Buri",
    "ปัตตานี": "Pattani", "พระนครศรีอยุธยา": "Phra Nakhon Si Ayutthaya", "อยุธยา": "Phra Nakhon Si Ayutthaya",
    "พะเยา": "Phayao", "พังงา": "Phangnga", "พัทลุง": "Phatthalung", "พิจิตร": "Phichit",
    "พิษณุโลก": "Phitsanulok", "เพชรบุรี": "Phetchaburi", "เพชรบูรณ์": "Phetchabun", "แพร่": "Phrae",
    "ภูเก็ต": "Phuket", "มหาสารคาม": "Maha Sarakham", "มุกดาหาร": "Mukdahan", "แม่ฮ่องสอน": "Mae Hong Son",
    "ยโสธร": "Yasothon", "ยะลา": "Yala", "ร้อยเอ็ด": "Roi Et", "ระนอง": "Ranong", "ระยอง": "Rayong",
    "ราชบุรี": "Ratchaburi", "ลพบุรี": "Lop Buri", "ลำปาง": "Lampang", "ลำพูน": "Lamphun", "เลย": "Loei",
    "ศรีสะเกษ": "Si Sa Ket", "สกลนคร": "Sakon Nakhon", "สงขลา": "Songkhla", "สตูล": "Satun",
    "สมุทรปราการ": "Samut Prakan", "สมุทรสงคราม": "Samut Songkhram", "สมุทรสาคร": "Samut Sakhon",
    "สระแก้ว": "Sa Kaeo", "สระบุรี": "Saraburi", "สิงห์บุรี": "Sing Buri", "สุโขทัย": "Sukhothai",
    "สุพรรณบุรี": "Suphan Buri", "สุราษฎร์ธานี": "Surat Thani", "สุรินทร์": "Surin", "หนองคาย": "Nong Khai",
    "หนองบัวลำภู": "Nong Bua Lam Phu", "อ่างทอง": "Ang Thong", "อำนาจเจริญ": "Amnat Charoen",
    "อุดรธานี": "Udon Thani", "อุตรดิตถ์": "Uttaradit", "อุทัยธานี": "Uthai Thani",
    "อุบลราชธานี": "Ubon Ratchathani",
}  # fmt: skip
"""The provinces of Thailand in Thai script (Bangkok as its forms write it:
`กรุงเทพมหานคร`, `กรุงเทพฯ`, `กทม.`) by their Royal Thai General System
names: a Thai bank's `… จ.ขอนแก่น 40000` and a wallet's `…, Khon Kaen 40000`
name one city (`std_city` of Thailand is its province, as the Latin lines
write it before the postcode)."""

TH_PROVINCES = {unicodedata.normalize("NFKC", name): latin for name, latin in TH_PROVINCES.items()}
# keyed as `clean_text` (NFKC) spells them: the vowel `ำ` is `ํา` there (`ลำปาง`)

THAI_PROVINCE_SIGN = r"(?:จ\.|จังหวัด)"
"""`จังหวัด` (province) or its abbreviation, before a province's name."""

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
"""Thai numerals, which NFKC leaves as they are: `๙๙/๑` is `99/1`."""

THAI_ADDRESS_WORDS: dict[str, str] = {
    unicodedata.normalize("NFKC", pattern): abbreviation
    for pattern, abbreviation in {
        r"ถนน|ถ\.": "ถ.",
        r"ซอย|ซ\.": "ซ.",
        r"หมู่ที่|หมู่|ม\.": "ม.",
        r"แขวง|ตำบล|ต\.": "ต.",
        r"เขต|อำเภอ|อ\.": "อ.",
        r"เลขที่": "",
    }.items()
}
"""The words of a Thai address line, spelled out or abbreviated, as one
abbreviation (a pattern each, longest first): road `ถนน`/`ถ.`, lane
`ซอย`/`ซ.`, village `หมู่`/`ม.`, subdistrict (`แขวง` in Bangkok, `ตำบล`
elsewhere, `ต.`) and district (`เขต` in Bangkok, `อำเภอ` elsewhere,
`อ.`); the number sign `เลขที่` dropped. Spelled as `clean_text` (NFKC)
leaves them (`ตำบล` as `ตําบล`). A word glued to what follows
(`ถ.สุขุมวิท`, `แขวงคลองเตย`) stays glued: the street key ignores spaces."""


def thai_digits_to_ascii(expr: pl.Expr) -> pl.Expr:
    """`expr` with Thai numerals as ASCII digits (`๑๐๑๑๐` -> `10110`)."""
    return expr.str.replace_many(list(THAI_DIGITS), [str(digit) for digit in range(10)])


def fold_thai_address_words(expr: pl.Expr) -> pl.Expr:
    """`expr` (an address in Thai script; other text passes unchanged) with
    `THAI_ADDRESS_WORDS` as their abbreviations, each where a word of a Thai
    address starts (after a space, a digit or the line's start)."""
    for pattern, abbreviation in THAI_ADDRESS_WORDS.items():
        expr = expr.str.replace_all(rf"(^|[\s0-9/])(?:{pattern})\s*", f"${{1}}{abbreviation}")
    return expr


def thai_province(expr: pl.Expr) -> pl.Expr:
    """The RTGS name of the Thai province `expr` names in Thai script
    (`จ.ขอนแก่น`, `จังหวัดขอนแก่น`, `ขอนแก่น` -> `Khon Kaen`; `กรุงเทพฯ` ->
    `Bangkok`), else `expr` as it is."""
    bare = expr.str.strip_chars().str.replace(rf"^{THAI_PROVINCE_SIGN}\s*", "")
    return pl.coalesce(bare.replace_strict(TH_PROVINCES, default=None, return_dtype=pl.Utf8), expr)


VN_CITIES: dict[str, str] = {
    "ha noi": "ha noi", "hanoi": "ha noi", "ho chi minh": "ho chi minh", "hcm": "ho chi minh",
    "hcmc": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh", "saigon": "ho chi minh",
    "da nang": "da nang", "danang": "da nang", "hai phong": "hai phong", "haiphong": "hai phong",
    "can tho": "can tho", "hue": "hue",
}  # fmt: skip
"""Vietnam's centrally governed cities (and Huế) as `latin_text` spells the
ways exports write them (`Hà Nội`, `Hanoi`; `TP. Hồ Chí Minh`, `HCMC`,
`Saigon`), without the `TP`/`Thành phố` before or `City` after
(`VN_CITY_AFFIXES`), by one name: the city a line ends with, and its
spellings in a city column, meet."""

VN_CITY_AFFIXES = r"^(?:tp|thanh pho)\s+|\s+city$"
"""`Thành phố` (city) or its abbreviation before a Vietnamese city's name,
`City` after it, as `latin_text` spells them."""

VN_TOWN_AT_LINE_END = (
    r"(?i:(?:tp\.?\s*|(?:thành phố|thanh pho|tỉnh|tinh)\s+)[^,\d][^,]*?"
    r"|(?:hà nội|ha noi|hanoi|hồ chí minh|ho chi minh|hcmc?|sài gòn|sai gon|saigon|đà nẵng|da nang|danang"
    r"|hải phòng|hai phong|haiphong|cần thơ|can tho|huế|hue)(?:\s+city)?)"
)
"""The last part of a Vietnamese line that is its town: one marked a city or
province (`TP. Hồ Chí Minh`, `Tỉnh Bình Dương`) or a centrally governed
city in any spelling (`Hà Nội`, `Hanoi`, `HCMC`). Any other last part may be
a ward or district (`Quận Hoàn Kiếm`), and is left in the street."""


def vietnamese_city(expr: pl.Expr) -> pl.Expr:
    """`expr` (a city as `latin_text` spells it) by its `VN_CITIES` name where
    it is one of them, `VN_CITY_AFFIXES` dropped (`tp ho chi minh`, `hcmc`,
    `ho chi minh city` -> `ho chi minh`), else as it is."""
    bare = expr.str.replace_all(VN_CITY_AFFIXES, "").str.replace_all(r"\s+", " ")
    return pl.coalesce(bare.replace_strict(VN_CITIES, default=None, return_dtype=pl.Utf8), expr)


ID_NEIGHBOURHOOD_UNITS = r"(?i)(?:^|\s*,)?\s*\bRT\.?\s*\d{1,3}\s*[/,]?\s*RW\.?\s*\d{1,3}\b"
"""An Indonesian line's neighbourhood units (`RT 03/RW 04`, `RT.003 RW.004`,
`, RT 3, RW 4`): numbers one export writes and another leaves out, which
read as a house number would make one home two neighbours'. Dropped from
the street of a record of Indonesia (`without_neighbourhood_units`)."""


def without_neighbourhood_units(street: pl.Expr) -> pl.Expr:
    """`street` (an Indonesian one) without `ID_NEIGHBOURHOOD_UNITS`."""
    return street.str.replace_all(ID_NEIGHBOURHOOD_UNITS, "").str.strip_chars(" ,")
