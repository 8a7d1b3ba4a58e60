"""Latin full names: suffixes, particles, middle names, comma and ALL-CAPS
forms, double surnames, titles; the same on the per-record and the expression
path, and the same whether a source maps one full name or two name fields."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from resolution.match_keys import add_match_keys
from resolution.standardization import names
from resolution.standardization.latin_names import (
    compared_given_name,
    compared_surnames,
    generational_suffix,
    given_first,
    particles_first,
    split_latin_full_name,
    without_name_suffixes,
)
from resolution.standardization.text import strip_honorifics

PATHS = {"per_record": 10**9, "expressions": 0}

# full name -> (std_family_name, std_given_name)
FULL_NAMES = [
    ("Sean Taylor Jr.", ("taylor", "sean")),
    ("Sean Taylor, Jr.", ("taylor", "sean")),
    ("Sean Taylor Jr", ("taylor", "sean")),
    ("Sean Taylor Sr.", ("taylor", "sean")),
    ("Sean Taylor II", ("taylor", "sean")),
    ("Sean Taylor III", ("taylor", "sean")),
    ("Sean Taylor IV", ("taylor", "sean")),
    ("Jane Smith PhD", ("smith", "jane")),
    ("Jane Smith, Ph.D.", ("smith", "jane")),
    ("Jane Smith MD", ("smith", "jane")),
    ("John Doe Esq.", ("doe", "john")),
    ("David van Dijk", ("vandijk", "david")),
    ("Anna van der Berg", ("vanderberg", "anna")),
    ("Otto von Bismarck", ("vonbismarck", "otto")),
    ("Maria de la Cruz", ("cruz", "maria")),
    ("Luca del Monte", ("monte", "luca")),
    ("Pedro da Silva", ("silva", "pedro")),
    ("João dos Santos", ("santos", "joao")),
    ("Marco di Stefano", ("distefano", "marco")),
    ("Jean du Pont", ("dupont", "jean")),
    ("Claire Le Roux", ("leroux", "claire")),
    ("Anna La Rosa", ("larosa", "anna")),
    ("Maria De Souza", ("souza", "maria")),
    ("Jan ter Horst", ("terhorst", "jan")),
    ("Jan ten Cate", ("tencate", "jan")),
    ("Ahmad bin Ismail", ("ismail", "ahmad")),  # the father's name, as `Ahmad Ismail` writes it
    ("Omar al Rashid", ("alrashid", "omar")),
    ("Sean St. John", ("stjohn", "sean")),
    ("Sean O'Brien", ("obrien", "sean")),
    ("Gina D'Angelo", ("dangelo", "gina")),
    ("William J. Moore", ("moore", "william")),
    ("J. William Moore", ("moore", "william")),
    ("Robert Louise MacDonald", ("macdonald", "robert")),
    ("PATRICIA S PAUL", ("paul", "patricia")),  # all in capitals, a middle initial: given first
    ("JOHN A. SMITH", ("smith", "john")),
    ("J SMITH", ("smith", "j")),
    ("TAYLOR, Sean J.", ("taylor", "sean")),
    ("Taylor, Sean", ("taylor", "sean")),
    ("DAVIES, José J. III", ("davies", "jose")),
    ("FERNÁNDEZ DE LA CRUZ, Elizabeth J.", ("fernandezcruz", "elizabeth")),
    ("Dijk, David van", ("vandijk", "david")),
    ("OKADA Naomi", ("okada", "naomi")),
    ("Naomi OKADA", ("okada", "naomi")),
    ("David van DIJK", ("vandijk", "david")),
    ("GARCÍA LÓPEZ María", ("garcialopez", "maria")),
    ("María García López", ("garcialopez", "maria")),
    ("Maria Anne García López", ("garcialopez", "maria-anne")),  # a compound led by María
    ("Elizabeth Fernández de la Cruz", ("fernandezcruz", "elizabeth")),
    ("Ana Pereira de Souza", ("pereirasouza", "ana")),
    ("Elizabeth James Davies", ("davies", "elizabeth")),  # a middle name is not a second surname
    ("John Martin Garcia", ("garcia", "john")),  # Martin: a given name too, not taken as a surname
    ("Mr. Sean Taylor", ("taylor", "sean")),
    ("Mrs Jane Smith", ("smith", "jane")),
    ("Ms. Jane Smith", ("smith", "jane")),
    ("Dr. Jane Smith", ("smith", "jane")),
    ("Prof. Dr. Hans Müller", ("muller", "hans")),
    ("Herr Hans Müller", ("muller", "hans")),
    ("Frau Anna Schmidt", ("schmidt", "anna")),
    ("M. Jean Dupont", ("dupont", "jean")),
    ("Mme Claire Dubois", ("dubois", "claire")),
    ("M. Dupont", ("dupont", "m")),  # an initial and a family name: nothing to drop
    ("Taylor, Dr. Sean", ("taylor", "sean")),
    ("Al Smith", ("smith", "al")),  # a particle as the only given name stays the given name
    # letters of other scripts are the name too (they were dropped, leaving the record nameless)
    ("Иван Петров", ("петров", "иван")),
    ("Γιώργος Παπαδόπουλος", ("παπαδοπουλος", "γιωργος")),
    ("김민준", ("김", "민준")),  # Hangul: family first
    ("김 민준", ("김", "민준")),
    ("남궁민수", ("남궁", "민수")),  # a two-syllable family name
    # a note in brackets is not the name
    ("John (Jack) Smith", ("smith", "john")),
    ("Jane Smith (née Jones)", ("smith", "jane")),
]


@pytest.mark.parametrize("path", PATHS)
def test_latin_full_names_split_on_both_paths(monkeypatch, standardize, path):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    result = standardize(*({"full_name": full} for full, _ in FULL_NAMES), source_country="US")
    got = dict(zip((full for full, _ in FULL_NAMES), result.records.select("std_family_name", "std_given_name").rows()))
    assert got == {full: expected for full, expected in FULL_NAMES}


# (family_name, given_name) of a source with two fields -> the full name another source writes
SAME_PERSON = [
    (("van Dijk", "David"), "David van Dijk"),
    (("Van Dijk", "David"), "DIJK, David van"),
    (("van der Berg", "Anna Marie"), "Anna van der Berg"),
    (("Moore", "William J."), "William Moore"),
    (("Moore", "William"), "MOORE, William J."),
    (("MacDonald", "Robert Louise"), "Robert MacDonald"),
    (("García López", "Elena"), "Elena Anne García López"),
    (("García López", "María"), "GARCÍA LÓPEZ, María"),
    (("Fernández de la Cruz", "Elizabeth"), "Elizabeth Fernández de la Cruz"),
    (("Taylor", "Sean"), "Sean Taylor Jr."),
    (("Taylor Jr.", "Sean"), "TAYLOR, Sean III"),
    (("St. John", "Sean"), "Sean St. John"),
    (("Müller", "Dr. Hans"), "Herr Hans Müller"),
]
KEYS = (
    "std_family_name", "std_given_name", "std_full_name", "mk_family", "mk_given", "mk_family_roman", "mk_given_roman",
)  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_name_fields_and_full_name_give_one_matching_value(monkeypatch, standardize, path):
    """A record with family/given fields and one with the full name compare
    equal on every name column Splink reads."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    rows = []
    for (family, given), full in SAME_PERSON:
        rows += [{"family_name": family, "given_name": given}, {"full_name": full}]
    records = add_match_keys(standardize(*rows, source_country="GB").records).select(KEYS).rows()
    for index, ((family, given), full) in enumerate(SAME_PERSON):
        fields, written = records[2 * index], records[2 * index + 1]
        assert fields == written, (family, given, full)
        assert None not in fields


def test_double_surname_record_meets_a_single_surname_record(standardize):
    """`García López` is compared as one word that starts with `garcia`, so a
    record with only the first surname is a close spelling for the model's
    Jaro-Winkler levels, where the last word alone (`lopez`) is not similar."""
    result = standardize({"full_name": "María García López"}, {"family_name": "García", "given_name": "María"})
    double, single = result.records["std_family_name"].to_list()
    assert (double, single) == ("garcialopez", "garcia")
    similarity = "SELECT jaro_winkler_similarity(?, ?)"
    with duckdb.connect() as con:
        assert con.execute(similarity, [double, single]).fetchone()[0] >= 0.9
        assert con.execute(similarity, ["lopez", single]).fetchone()[0] < 0.8


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Sean Taylor, Jr.", "Sean Taylor"), ("DAVIES, José J. III", "DAVIES, José J."), ("Jane Smith M.D.", "Jane Smith"),
     ("Taylor Jr. II", "Taylor"), ("Jr.", "Jr."), ("Ivy Smith", "Ivy Smith"), ("Sean Taylor", "Sean Taylor")],
)  # fmt: skip
def test_without_name_suffixes(value, expected):
    assert without_name_suffixes(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("William J.", "william"), ("Robert Louise", "robert"), ("J. Robert", "robert"), ("J.R.", "jr"),
     ("Dr. Sean Jr.", "sean"), ("Anne-Marie", "annemarie"), ("Sean", "sean"),
     ("Văn An", "an"), ("VAN AN", "an"), ("Thị Hoa", "hoa"), ("Van", "van"), ("Thi", "thi")],
)  # fmt: skip
def test_compared_given_name(value, expected):
    """A Vietnamese middle name (`Văn`, `Thị`) is not the given name compared:
    every Vietnamese man of one family name shared the given name `van`."""
    assert compared_given_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Mohammed Tariqul", "mohammed-tariqul"), ("MD. TARIQUL", "mohammed-tariqul"), ("Mohd Tariqul", "mohammed-tariqul"),
     ("Muhammad", "mohammed"), ("Mohammed bin Faris", "mohammed"), ("Muhammad Abdus Sobhan", "mohammed-abdulsobhan"),
     ("Abdus Sobhan", "abdul-sobhan"), ("Abdussobhan", "abdul-sobhan"), ("Abdel Sobhan", "abdul-sobhan"),
     ("Abdullah", "abdullah"), ("Syed Tariq K.", "syed-tariq"), ("María Remedios", "maria-remedios"),
     ("MARIA DOS REMÉDIOS", "maria-remedios"), ("José Evaristo", "jose-evaristo"), ("Mariana", "mariana"),
     ("John Evaristo", "john"), ("Ma. Cristina", "maria-cristina"), ("MA. DEL CARMEN", "maria-carmen")],
)  # fmt: skip
def test_compound_given_names_keep_the_name_after_their_lead(value, expected):
    """A compound led by a name half its bearers share (Mohammed, María, José)
    is compared with the name after its lead, and every spelling of the lead
    is one; a Western middle name stays out of the comparison."""
    assert compared_given_name(value) == expected


def test_family_first_romanized_names_only_where_told():
    known = frozenset({"yamada"})
    assert split_latin_full_name("Yamada Taro", known) == ("Yamada", "Taro")
    assert split_latin_full_name("Yamada Taro") == ("Taro", "Yamada")
    assert split_latin_full_name("Madonna Jr.") == (None, "Madonna")
    assert split_latin_full_name("Taylor, Jr.") == (None, "Taylor")


@pytest.mark.parametrize("full", ["VELLAISAMY", "MRS. VELLAISAMY", "Vellaisamy Jr."])
def test_one_word_is_a_given_name(full):
    """A customer known by one name keeps it, as a given name (it was unsplit,
    leaving the record no name part to compare)."""
    assert split_latin_full_name(full)[0] is None
    assert split_latin_full_name(full)[1].lower() == "vellaisamy"


def test_abdul_and_one_more_word_is_a_given_name():
    """`Abdul` is never a name alone: `ABDUL SOBHAN` is one given name (it was
    family `SOBHAN`, given `ABDUL`); three words keep their family name."""
    assert split_latin_full_name("ABDUL SOBHAN") == (None, "ABDUL SOBHAN")
    assert split_latin_full_name("Abdus Sobhan") == (None, "Abdus Sobhan")
    assert split_latin_full_name("ABDUL SOBHAN KHAN") == ("KHAN", "ABDUL SOBHAN")
    assert split_latin_full_name("ABDULLAH KHAN") == ("KHAN", "ABDULLAH")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Prof. Dr. Hans Müller", "Hans Müller"), ("Herr Müller", "Müller"), ("Frau Anna Schmidt", "Anna Schmidt"),
     ("Mme Dubois", "Dubois"), ("Mlle. Claire Dubois", "Claire Dubois"), ("M. Jean Dupont", "Jean Dupont"),
     ("M. Dupont", "M. Dupont"), ("Mr.", "Mr."), ("Herrmann Hesse", "Herrmann Hesse")],
)  # fmt: skip
def test_latin_titles_stripped(raw, expected):
    frame = pl.DataFrame({"value": [raw]})
    assert frame.select(strip_honorifics(pl.col("value")))["value"].to_list() == [expected]


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("SMITH JOHN", ("SMITH", "JOHN")),
        ("WANG WEI", ("WANG", "WEI")),
        ("NGUYEN VAN AN", ("NGUYEN", "AN")),  # `VAN` is a middle name here, not a particle
        ("SMITH JOHN MICHAEL", ("SMITH", "JOHN MICHAEL")),
        ("VAN DER BERG JAN", ("VAN DER BERG", "JAN")),
        ("GARCIA LOPEZ MARIA", ("GARCIA LOPEZ", "MARIA")),
        ("John SMITH", ("SMITH", "John")),  # mixed case: the capitals tell
        ("David van der Berg", ("van der Berg", "David")),
    ],
)
def test_capitals_family_first_in_a_family_first_source(full, expected):
    assert split_latin_full_name(full, capitals_family_first=True) == expected


def test_capitals_given_first_elsewhere():
    assert split_latin_full_name("JOHN SMITH") == ("SMITH", "JOHN")


# (full name, its kana, source country) -> (family, given, script, name issue codes)
FOREIGN_NAMES_IN_JAPAN = [
    (("SMITH JOHN", None, "JP"), ("smith", "john", "latin", [])),  # a passport copied by a Japanese hotel
    (("SMITH JOHN", None, "US"), ("john", "smith", "latin", [])),
    (("ワン・ウェイ", "ワン・ウェイ", "JP"), ("ワン", "ウェイ", "ja", [])),
    (("ウェイ・ワン", None, "JP"), ("ワン", "ウェイ", "ja", [])),
    (("ジャン=ピエール・マルタン", "ジャン＝ピエール・マルタン", "JP"), (None, None, "ja", ["name_unsplit"])),
    (("김민준", None, "JP"), ("김", "민준", "ko", [])),
]


# the name as a source writes it -> the generational suffix kept (`std_name_suffix`)
SUFFIXES = [
    ({"full_name": "Miles, Jeremy Sr."}, "sr"),
    ({"full_name": "JEREMY MILES JR"}, "jr"),
    ({"full_name": "King, Emma III, PhD"}, "iii"),
    ({"full_name": "Sean Taylor, Jr."}, "jr"),
    ({"family_name": "Taylor Jr.", "given_name": "Sean"}, "jr"),
    ({"family_name": "Taylor", "given_name": "Sean II"}, "ii"),
    ({"full_name": "Ann Lee, PhD"}, None),  # academic and professional suffixes are not kept
    ({"full_name": "Jane Smith M.D."}, None),
    ({"full_name": "Ivy Smith"}, None),
    ({"full_name": "Jr."}, None),  # nothing but a suffix is no name with one
    ({"full_name": "山田 太郎"}, None),
]


@pytest.mark.parametrize("path", PATHS)
def test_foreign_names_in_a_japanese_source(monkeypatch, standardize, path):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    for (full, kana, country), (family, given, script, codes) in FOREIGN_NAMES_IN_JAPAN:
        result = standardize({"full_name": full, "full_name_kana": kana}, source_country=country)
        row = result.records.select("std_family_name", "std_given_name", "std_name_script").row(0)
        assert row == (family, given, script), full
        assert sorted(result.issues.filter(pl.col("field") == "name")["issue_code"]) == codes, full


@pytest.mark.parametrize("path", PATHS)
def test_a_generational_suffix_is_kept_apart_from_the_name(monkeypatch, standardize, path):
    """A father and his son of one name differ only in `Jr.`/`Sr.`: the
    name compared drops it (records with and without it agree), the suffix
    is kept as its own column, the same on both paths."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    result = standardize(*(row for row, _ in SUFFIXES), source_country="GB")
    assert result.records["std_name_suffix"].to_list() == [suffix for _, suffix in SUFFIXES]
    assert result.records["std_family_name"].to_list()[:2] == ["miles", "miles"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Berg, van der", "van der Berg"), ("Pasman, van", "van Pasman"), ("Dijk, Van", "Van Dijk"),
     ("Stein, von und zu", "Stein, von und zu"), ("Roux, le", "le Roux"), ("Smith, John", "Smith, John"),
     ("de Vries", "de Vries"), (", van", ", van")],
)  # fmt: skip
def test_particles_after_a_family_name_go_before_it(value, expected):
    assert particles_first(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Pereira de Souza", "Pereira Souza"), ("de Souza das Neves", "Souza Neves"), ("Gómez-de León", "Gómez León"),
     ("Hernández de la Cruz", "Hernández Cruz"), ("Ortiz-Díaz", "Ortiz Díaz"), ("van der Berg", "van der Berg"),
     ("de", "de"), ("La Rosa", "La Rosa")],
)  # fmt: skip
def test_compared_surnames_drop_spanish_and_portuguese_particles(value, expected):
    assert compared_surnames(value) == expected


@pytest.mark.parametrize("path", PATHS)
def test_one_written_surname_keys_alike_in_every_country(monkeypatch, standardize, path):
    """`Berg, van der` is keyed as `van der Berg`; a Brazilian double surname
    keys the same in a Brazilian, a US and a Mexican record, in capitals or
    not, with its particles or without (a mover in a US export was missed:
    `nevessouzadas` in Brazil, `desouzadasneves` in the US)."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    rows = [
        {"family_name": "Berg, van der", "given_name": "Jan", "source_country": "NL"},
        {"family_name": "van der Berg", "given_name": "Jan", "source_country": "NL"},
        {"full_name": "MATEUS DE SOUZA DAS NEVES", "source_country": "BR"},
        {"full_name": "de Souza das Neves, Mateus", "source_country": "US"},
        {"family_name": "Souza Neves", "given_name": "Mateus", "source_country": "MX"},
        {"family_name": "Esteves da Correia", "given_name": "Ana", "source_country": "PT"},
        {"family_name": "Esteves da Correia", "given_name": "Ana", "source_country": "ES"},
        {"full_name": "Arturo Gomez-de Leon", "source_country": "US"},
        {"family_name": "Gómez de León", "given_name": "Arturo", "source_country": "MX"},
        {"full_name": "JÚLIA DA SILVA DOS SANTOS", "source_country": "BR"},
    ]
    got = standardize(*rows).records["std_family_name"].to_list()
    assert got == ["vanderberg", "vanderberg", *["souzaneves"] * 3, *["estevescorreia"] * 2, *["gomezleon"] * 2,
                   "silvasantos"]  # fmt: skip


# (name as written, words before an agnome) -> (name without suffixes, generational suffix)
AGNOMES = [
    (("ANTÔNIO NUNES ARAÚJO FILHO", 2), ("ANTÔNIO NUNES ARAÚJO", "jr")),
    (("Paulo Teixeira Ramos Júnior", 2), ("Paulo Teixeira Ramos", "jr")),
    (("PAULO TEIXEIRA RAMOS JÚNIOR", 2), ("PAULO TEIXEIRA RAMOS", "jr")),
    (("Fábio Cardoso Rocha Neto", 2), ("Fábio Cardoso Rocha", "neto")),
    (("José Pérez Sobrinho", 2), ("José Pérez", "sobrinho")),
    (("Juan Pérez hijo", 2), ("Juan Pérez", "jr")),
    (("Ana Neto", 2), ("Ana Neto", None)),  # Neto is her surname
    (("Rocha Neto", 1), ("Rocha", "neto")),  # a family name column
    (("Neto", 1), ("Neto", None)),
    (("Sean Taylor, Jr.", 2), ("Sean Taylor", "jr")),
    # Filho abbreviated as Brazilian systems write it (`Fº` is `Fo` once cleaned, NFKC)
    (("JOSE DA SILVA FO.", 2), ("JOSE DA SILVA", "jr")),
    (("RAFAEL LIMA Fo", 2), ("RAFAEL LIMA", "jr")),
    (("Silva F°", 1), ("Silva", "jr")),
    (("Ana Fo", 2), ("Ana Fo", None)),  # a surname
    # the suffix ends the family name of a name written as a sorted list
    (("SILVA FILHO, JOSE", 2), ("SILVA, JOSE", "jr")),
    (("Smith Jr., John", 2), ("Smith, John", "jr")),
    (("Smith Jr., John, PhD", 2), ("Smith, John", "jr")),
    (("Neto, Ana", 2), ("Neto, Ana", None)),
]


@pytest.mark.parametrize(("written", "expected"), AGNOMES)
def test_filho_junior_neto_sobrinho_are_generational_suffixes(written, expected):
    """`Filho`, `Júnior`, `hijo` (a son), `Neto` (a grandson), `Sobrinho` (a
    nephew) after a surname are no family name: the father and his Filho were
    `rocha` and `filho`, and the Filho's `JÚNIOR` was a family name where his
    `JR.` was a suffix."""
    (value, words), (without, suffix) = written, expected
    assert without_name_suffixes(value, words) == without
    got = pl.DataFrame({"v": [value]}).select(generational_suffix(pl.col("v"), words))["v"].to_list()
    assert got == [suffix]


@pytest.mark.parametrize("path", PATHS)
def test_a_filho_has_his_fathers_family_name_and_a_suffix(monkeypatch, standardize, path):
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    rows = [
        {"full_name": "CAIO RODRIGUES ROCHA FILHO"},
        {"full_name": "CAIO RODRIGUES ROCHA"},
        {"full_name": "CAIO RODRIGUES ROCHA JR."},
        {"family_name": "Rodrigues Rocha Neto", "given_name": "Caio"},
    ]
    got = standardize(*rows, source_country="BR").records.select("std_family_name", "std_given_name", "std_name_suffix")
    assert got.rows() == [("rodriguesrocha", "caio", s) for s in ("jr", None, "jr", "neto")]


@pytest.mark.parametrize("path", PATHS)
def test_a_filho_abbreviated_or_before_the_comma_is_a_filho(monkeypatch, standardize, path):
    """`FO.`, `Fº` and a Filho or Jr. ending the family name of `Family, Given`
    are the son's suffix: they were the family name `fo` and no suffix."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    written = ["RAFAEL LIMA FO.", "RAFAEL LIMA Fº", "LIMA FILHO, RAFAEL", "Lima Jr., Rafael", "Rafael Lima Jr."]
    got = standardize(*({"full_name": name} for name in written), source_country="BR").records
    assert got.select("std_family_name", "std_given_name", "std_name_suffix").rows() == [("lima", "rafael", "jr")] * 5


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Larsen, Nicole", "Nicole Larsen"),
        ("Smith,John", "John Smith"),
        ("Smith , Mary Ann", "Mary Ann Smith"),
        ("Smith, John Jr.", "John Smith Jr."),
        ("Smith, John, PhD", "John Smith, PhD"),
        ("Smith Jr., John", "John Smith Jr."),
        ("DE LA CRUZ, MARIA", "MARIA DE LA CRUZ"),
        ("Berg, van der", "Berg, van der"),  # a family name with its particles after it
        ("Berg, van der, Jan", "Berg, van der, Jan"),  # two commas: left
        ("Nicole Larsen", "Nicole Larsen"),
        (",John", ",John"),
        ("Smith,", "Smith,"),
    ],
)
def test_a_name_written_as_a_sorted_list_writes_it_is_given_first(written: str, spoken: str) -> None:
    assert pl.select(given_first(pl.lit(written))).item() == spoken


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("THIAM Khady Père", ("THIAM Khady", "sr")),
        ("THIAM Khady Fils", ("THIAM Khady", "jr")),
        ("Diallo Khady pere", ("Diallo Khady", "sr")),
        ("BOUDIAF KARIM FILS", ("BOUDIAF KARIM", "jr")),
        ("Khady Fils", ("Khady Fils", None)),  # Fils after one word: a name
    ],
)
def test_fils_and_pere_are_generational_suffixes(value, expected):
    """`THIAM Khady Père` and `THIAM Khady Fils` were one person of one name
    (linked on it), and `Diallo Khady Père` had the family name `pere`."""
    got = pl.DataFrame({"v": [value]}).select(generational_suffix(pl.col("v"), 2))["v"].to_list()
    assert (without_name_suffixes(value), got[0]) == expected
