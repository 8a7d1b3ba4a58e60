"""A source's name order (`name_order` in nayose.yaml), French `NOM Prénom`
exports, Arabic family-name particles (`El`, `Ben`, `Ould`, `Aït`) and the
French generational words `Fils` and `Père`."""

from __future__ import annotations

import pytest

from nayose_config.model import SourceConfig
from resolution.standardization import names
from resolution.standardization.latin_names import (
    compared_given_name,
    split_latin_full_name,
)

PATHS = {"per_record": 10**9, "expressions": 0}


def _split(standardize, rows: list[dict[str, str]], source_country: str) -> list[tuple[str | None, ...]]:
    records = standardize(*rows, source_country=source_country).records
    return records.select("std_family_name", "std_given_name", "std_name_suffix").rows()


@pytest.mark.parametrize("path", PATHS)
def test_a_family_first_source_reads_mixed_case_names_family_first(monkeypatch, standardize, path):
    """`Diallo Khady` in a French `NOM Prénom` export is a Diallo, as its
    `DIALLO Khady` is; a capital family name still says where it is
    (`Khady DIALLO`), and `auto` keeps the given name first."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    written = ["Diallo Khady", "DIALLO Khady", "Khady DIALLO", "DIALLO KHADY", "Ndiaye Awa Marie"]
    rows = [{"full_name": name, "source_name_order": "family_first"} for name in written]
    rows += [{"full_name": "Diallo Khady", "source_name_order": "auto"}, {"full_name": "Diallo Khady"}]
    assert _split(standardize, rows, "SN") == [
        *[("diallo", "khady", None)] * 4,
        ("ndiaye", "awa", None),
        ("khady", "diallo", None),
        ("khady", "diallo", None),
    ]


@pytest.mark.parametrize("path", PATHS)
def test_a_given_first_source_reads_capitals_given_first_in_a_family_first_country(monkeypatch, standardize, path):
    """A Japanese source that types `JOHN SMITH` given first says so; by
    default a JP source's names all in capitals are family first."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    rows = [{"full_name": "JOHN SMITH", "source_name_order": "given_first"}, {"full_name": "SMITH JOHN"}]
    assert _split(standardize, rows, "JP") == [("smith", "john", None)] * 2


@pytest.mark.parametrize("path", PATHS)
def test_arabic_particles_stay_with_their_family_name(monkeypatch, standardize, path):
    """`El Amrani Fatima-Zahra` gave the given name `el`; `Mohamed Ben Ali`
    the family name `ali` beside `BEN ALI Mohamed`'s `benali`."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    written = [
        ("El Amrani Fatima-Zahra", "MA"),
        ("EL AMRANI Fatima-Zahra", "MA"),
        ("Fatima-Zahra El Amrani", "FR"),
        ("Ould Abbes Yasmine", "DZ"),
        ("Yasmine OULD-ABBES", "DZ"),
        ("Aït Ahmed Karim", "DZ"),
    ]
    rows = [{"full_name": name, "country": country} for name, country in written]
    families = [family for family, _, _ in _split(standardize, rows, "SN")]
    assert families == ["elamrani"] * 3 + ["ouldabbes"] * 2 + ["aitahmed"]


@pytest.mark.parametrize("path", PATHS)
def test_ben_and_bin_of_a_maghrebi_name_key_alike_and_malay_bin_stays_a_patronymic(monkeypatch, standardize, path):
    """`BIN ALI Mohamad` was family `ali` and `BEN ALI` `benali`: in a
    Maghrebi record `Bin` is `Ben`, the family name's particle, in any place
    and order; a Malaysian's `bin` still leads the father's name, compared
    without it (`Azman bin Amir` is an Amir), and `Ben` leads an English
    given name elsewhere (`Ben James Carter`)."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    maghrebi = ["BEN ALI Mohamed", "BIN ALI Mohamad", "Mohamed Ben Ali", "Ben Ali Mohamed", "Mohamed BENALI"]
    rows = [{"full_name": name, "country": "TN"} for name in maghrebi]
    rows += [{"family_name": "Bin Ali", "given_name": "Mohamed", "country": "MA"}]
    rows += [
        {"full_name": "Azman bin Amir", "country": "MY"},
        {"full_name": "AZMAN BIN AMIR", "country": "MY"},
        {"family_name": "bin Amir", "given_name": "Azman", "country": "MY"},
        {"full_name": "Khalid bin Saeed", "country": "AE"},
        {"full_name": "Ben James Carter", "country": "GB"},
    ]
    got = [(family, given) for family, given, _ in _split(standardize, rows, "SN")]
    assert got == [
        *[("benali", "mohammed")] * 6,
        *[("amir", "azman")] * 3,
        ("saeed", "khalid"),
        ("carter", "ben"),
    ]


@pytest.mark.parametrize("path", PATHS)
def test_a_father_and_his_fils_differ_by_their_suffix(monkeypatch, standardize, path):
    """`THIAM Khady Père` and `THIAM Khady Fils` are two people of one name;
    `Diallo Khady Père` gave the family name `pere`."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    written = ["THIAM Khady Père", "THIAM Khady Fils", "Diallo Khady Père"]
    rows = [{"full_name": name, "source_name_order": "family_first"} for name in written]
    assert _split(standardize, rows, "SN") == [("thiam", "khady", "sr"), ("thiam", "khady", "jr"), ("diallo", "khady", "sr")]


def test_name_order_is_auto_by_default_and_refuses_other_words():
    fields = {"full_name": "nom_complet"}
    source = SourceConfig(name="fr", path="x.csv", format="csv", id="id", fields=fields)
    assert source.name_order == "auto"
    with pytest.raises(ValueError, match="name_order"):
        SourceConfig(name="fr", path="x.csv", format="csv", id="id", fields=fields, name_order="surname_first")


def test_split_in_a_family_first_source_keeps_particles_and_double_surnames():
    split = split_latin_full_name
    assert split("van der Berg Jan", name_order="family_first") == ("van der Berg", "Jan")
    assert split("Garcia Lopez Maria", name_order="family_first") == ("Garcia Lopez", "Maria")
    assert split("Ben Salah Sonia", name_order="family_first") == ("Ben Salah", "Sonia")
    assert split("Ben Salah Sonia") == ("Sonia", "Ben Salah")  # outside the Maghreb `Ben` leads a given name


def test_ben_ends_a_compound_given_name():
    """`Mohamed Ben Salah` in a first-name box compared `mohammed-ben`: `Ben`
    leads the family name, as `bin` does the father's."""
    assert compared_given_name("Mohamed Ben Salah") == "mohammed"
    assert compared_given_name("Ben") == "ben"


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Иванов Иван Петрович", ("Иванов", "Иван Петрович")),  # Фамилия Имя Отчество
        ("ИВАНОВ ИВАН ПЕТРОВИЧ", ("ИВАНОВ", "ИВАН ПЕТРОВИЧ")),
        ("Иван Петрович Иванов", ("Иванов", "Иван Петрович")),  # Имя Отчество Фамилия
        ("Петрова Анна Сергеевна", ("Петрова", "Анна Сергеевна")),
        ("Шевченко Олена Іванівна", ("Шевченко", "Олена Іванівна")),  # Ukrainian
        ("Нурланов Аскар Болатұлы", ("Нурланов", "Аскар Болатұлы")),  # Kazakh
        ("Ivanov Ivan Petrovich", ("Ivanov", "Ivan Petrovich")),  # transliterated, after a Russian surname
        ("NURLANOV ASKAR BOLATULY", ("NURLANOV", "ASKAR BOLATULY")),  # Kazakh, transliterated
        ("Akhmetova Dinara Serikkyzy", ("Akhmetova", "Dinara Serikkyzy")),
    ],
)
def test_a_patronymic_tells_the_order_of_an_east_slavic_name(full, expected):
    assert split_latin_full_name(full) == expected


def test_a_latin_name_ending_like_a_patronymic_is_not_read_as_one():
    """`Petrovich` is a family name after given names that are no Russian surname."""
    assert split_latin_full_name("Ana Maria Petrovich")[0] == "Petrovich"


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Шевченко Алёна", ("Шевченко", "Алёна")),  # a form's Фамилия Имя
        ("Алёна Шевченко", ("Шевченко", "Алёна")),  # a shop's Имя Фамилия
        ("Петров Валентин", ("Петров", "Валентин")),  # a given name ending -ин is no surname
        ("Иванова Марина", ("Иванова", "Марина")),
        ("Лев Толстой", ("Толстой", "Лев")),  # neither shaped: the last word, as before
    ],
)
def test_of_two_cyrillic_words_the_one_shaped_as_a_surname_is_the_family_name(full, expected):
    assert split_latin_full_name(full) == expected


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("NURLANOV ASKAR", ("NURLANOV", "ASKAR")),  # a Kazakh passport's Latin name, family first
        ("Askar Nurlanov", ("Nurlanov", "Askar")),  # a shop's, given first
        ("ZHUMABAEVA DINARA", ("ZHUMABAEVA", "DINARA")),
        ("IVANOV IVAN", ("IVANOV", "IVAN")),  # a Russian export's transliteration of Иванов Иван
        ("PETROW MYKHAILO", ("PETROW", "MYKHAILO")),  # German transliteration
        ("KOVALSKA OKSANA", ("KOVALSKA", "OKSANA")),
        ("TKACHENKO TARAS", ("TKACHENKO", "TARAS")),
        ("Kovalchuk Iryna", ("Kovalchuk", "Iryna")),
        ("BOLATULY ERLAN", ("BOLATULY", "ERLAN")),  # a Kazakh surname made of the father's name
        ("KARIMOVA MADINA", ("KARIMOVA", "MADINA")),  # a given name ending -ina beside a surname
        ("SOROKINA IRINA", ("SOROKINA", "IRINA")),  # -ina beside a known given name
        ("Marina Sorokina", ("Sorokina", "Marina")),
        ("SMIRNOVA LYUBOV", ("SMIRNOVA", "LYUBOV")),  # a given name of a surname's shape is known
        ("SEYTKALIEVA AIGUL MARAT", ("SEYTKALIEVA", "AIGUL MARAT")),  # three words, surname first
        ("Ivan Sergey Lebedev", ("Lebedev", "Ivan Sergey")),
    ],
)
def test_a_latin_name_of_a_cyrillic_country_has_its_surname_first_or_last(full, expected):
    assert split_latin_full_name(full, cyrillic_country=True) == expected


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("SMITH KEVIN", ("KEVIN", "SMITH")),  # Kevin, Marvin, Robin are given names: the last word, as before
        ("MARVIN JONES", ("JONES", "MARVIN")),
        ("JONES ROBIN", ("ROBIN", "JONES")),
        ("Nuriddin Rakhimberdi", ("Rakhimberdi", "Nuriddin")),  # -in beside a name no table knows tells nothing
        ("PETROVICH ASKAR", ("ASKAR", "PETROVICH")),  # a patronymic is no family name
        ("IVANOVA PETROVA", ("PETROVA", "IVANOVA")),  # two surnames tell nothing
        ("ANNA IVANOVA MARIA", ("MARIA", "ANNA IVANOVA")),  # a surname in the middle tells nothing
        ("Marko Petrovic", ("Petrovic", "Marko")),
        ("Aigul Marat Bolatuly", ("Bolatuly", "Aigul Marat")),  # -uly ends a patronymic only after a surname
    ],
)
def test_a_surname_shape_that_tells_nothing_leaves_the_order_as_it_was(full, expected):
    assert split_latin_full_name(full, cyrillic_country=True) == expected == split_latin_full_name(full)


def test_surname_shapes_of_latin_names_only_in_a_cyrillic_country_and_auto():
    """Elsewhere `IVANOV IVAN` is given name first, as `SMITH JOHN` is; a
    source's `name_order` is followed as written."""
    assert split_latin_full_name("IVANOV IVAN") == ("IVAN", "IVANOV")
    assert split_latin_full_name("IVANOV IVAN", cyrillic_country=True, name_order="given_first") == ("IVAN", "IVANOV")
    assert split_latin_full_name("Ivan Ivanov", cyrillic_country=True, name_order="family_first") == ("Ivan", "Ivanov")


@pytest.mark.parametrize("path", PATHS)
def test_twins_of_a_kazakh_bank_keep_their_family_name_and_their_given_names(monkeypatch, standardize, path):
    """`BEKMUKHANOV ASKAR` and `BEKMUKHANOV DANIIAR` are two Bekmukhanovs (a
    record of Kazakhstan, of Russia, or of no country in a Kazakh source),
    as `Askar Bekmukhanov` and `Бекмуханов Аскар` are; a record of Germany
    in that source is read as before."""
    monkeypatch.setattr(names, "_FAST_NAMES_MIN_RECORDS", PATHS[path])
    rows = [
        {"full_name": "BEKMUKHANOV ASKAR", "country": "KZ"},
        {"full_name": "BEKMUKHANOV DANIIAR", "country": "Казахстан"},
        {"full_name": "Askar Bekmukhanov"},
        {"full_name": "IVANOV IVAN", "country": "RU"},
        {"full_name": "Бекмуханов Аскар"},
        {"full_name": "SCHMIDT KEVIN", "country": "DE"},
    ]
    assert _split(standardize, rows, "KZ") == [
        ("bekmukhanov", "askar", None),
        ("bekmukhanov", "daniiar", None),
        ("bekmukhanov", "askar", None),
        ("ivanov", "ivan", None),
        ("бекмуханов", "аскар", None),
        ("kevin", "schmidt", None),
    ]
