from __future__ import annotations

import random

import polars as pl
import pytest
from pydantic import ValidationError

from governance.sensitive import (
    find_sensitive_columns,
    is_my_number,
    my_number_check_digit,
    refusal_message,
)
from governance.settings import PrivacySettings


def generated_my_numbers(n: int, seed: int = 3) -> list[str]:
    """Made-up 12-digit numbers with a valid check digit (random bodies, never real ones)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body = "".join(rng.choice("0123456789") for _ in range(11))
        out.append(body + str(my_number_check_digit(body)))
    return out


def test_check_digit_follows_the_official_weights() -> None:
    # 1*6 + 2*5 + 3*4 + 4*3 + 5*2 + 6*7 + 7*6 + 8*5 + 9*4 + 0*3 + 1*2 = 212; 212 % 11 = 3; 11 - 3 = 8
    assert my_number_check_digit("12345678901") == 8
    assert my_number_check_digit("00000000000") == 0  # remainder 0 -> 0
    with pytest.raises(ValueError):
        my_number_check_digit("1234")


def test_my_number_in_any_width_and_with_separators() -> None:
    number = generated_my_numbers(1)[0]
    spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert is_my_number(number) and is_my_number(spaced) and is_my_number(wide)
    assert is_my_number(f"{number[:4]}ー{number[4:8]}ー{number[8:]}")
    wrong = number[:11] + str((int(number[11]) + 1) % 10)
    assert not is_my_number(wrong) and not is_my_number(number[:11])


def test_my_number_values_are_found_without_returning_them() -> None:
    numbers = generated_my_numbers(20)
    raw = pl.DataFrame(
        {
            "source_row": list(range(1, 21)),
            "customer_ref": numbers,  # innocent name, sensitive values
            "memo": ["call back"] * 19 + [f"番号 {numbers[0][:4]}-{numbers[0][4:8]}-{numbers[0][8:]}"],
            "tel": ["090-1234-5678"] * 20,
        }
    )
    findings = find_sensitive_columns(raw, set())
    assert {(f.column, f.kind) for f in findings} == {("customer_ref", "my_number"), ("memo", "my_number")}
    text = " ".join(f.reason for f in findings) + refusal_message("crm", "exports/crm.csv", findings)
    assert not any(n in text or n[:4] in text for n in numbers)


def test_random_twelve_digit_ids_are_not_taken_for_my_numbers() -> None:
    rng = random.Random(11)
    ids = ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(200)]
    assert find_sensitive_columns(pl.DataFrame({"order_id": ids}), set()) == []


@pytest.mark.parametrize(
    "column, kind",
    [("my_number", "my_number"), ("マイナンバー", "my_number"), ("個人番号", "my_number"), ("MyNumber", "my_number"),
     ("病歴", "health"), ("diagnosis_code", "health"), ("medicalHistory", "health"), ("既往歴", "health"),
     ("religion", "religion"), ("宗教", "religion"), ("race", "race_or_ethnicity"), ("犯罪歴", "criminal_record"),
     ("union_member", "trade_union"), ("sexual_orientation", "sexual_orientation"), ("fingerprint_hash", "biometric")],
)
def test_sensitive_column_names_in_japanese_and_english(column: str, kind: str) -> None:
    findings = find_sensitive_columns(pl.DataFrame({column: ["x"]}), set())
    assert [(f.column, f.kind) for f in findings] == [(column, kind)]


@pytest.mark.parametrize(
    "column, kind",
    [("religião", "religion"), ("raca_cor", "race_or_ethnicity"), ("condicao_saude", "health"),
     ("Orientação Sexual", "sexual_orientation"), ("filiacao_sindical", "trade_union"),
     ("antecedentes_criminais", "criminal_record"), ("impressao_digital", "biometric"),  # Portuguese (LGPD)
     ("etnia", "race_or_ethnicity"), ("afiliacionSindical", "trade_union"), ("huella_dactilar", "biometric"),
     ("enfermedades", "health"),  # Spanish
     ("santé", "health"), ("casier_judiciaire", "criminal_record"), ("opinion_politique", "political_opinion"),
     ("SYNDICAT", "trade_union"),  # French
     ("Konfession", "religion"), ("Gesundheitszustand", "health"), ("Führungszeugnis", "criminal_record"),
     ("Gewerkschaft", "trade_union"), ("sexuelle Orientierung", "sexual_orientation"),  # German
     ("religione", "religion"), ("razza", "race_or_ethnicity"), ("dati_genetici", "genetic"),  # Italian
     ("godsdienst", "religion"), ("vakbondslid", "trade_union"), ("zwangerschap", "health"),  # Dutch
     ("teste_genetico", "genetic"), ("Behinderung", "disability")],
)
def test_sensitive_column_names_in_european_languages_are_matched_without_accents(column: str, kind: str) -> None:
    findings = find_sensitive_columns(pl.DataFrame({column: ["x"]}), set())
    assert [(f.column, f.kind) for f in findings] == [(column, kind)]


@pytest.mark.parametrize(
    "column",
    ["cor", "cor_preferida", "politica_privacidade", "politique_de_confidentialite", "partido", "Herkunft",
     "tratamiento", "registro_sanitario", "nome_completo", "data_nascimento", "sexo", "Geschlecht", "civilité"],
)
def test_ordinary_european_columns_pass(column: str) -> None:
    assert find_sensitive_columns(pl.DataFrame({column: ["x"]}), set()) == []


@pytest.mark.parametrize("column", ["trace_id", "party_size", "email", "氏名", "電話", "treatment_group", "grace_period"])
def test_ordinary_columns_pass(column: str) -> None:
    assert find_sensitive_columns(pl.DataFrame({column: ["x"]}), set()) == []


def test_allowed_column_is_not_refused_and_message_says_how_to_allow() -> None:
    raw = pl.DataFrame({"allergy": ["卵"]})
    findings = find_sensitive_columns(raw, set())
    message = refusal_message("shop", "exports/shop.csv", findings)
    assert "exports/shop.csv" in message and "allergy" in message and "privacy.allowed_sensitive_columns" in message
    assert "卵" not in message
    settings = PrivacySettings(allowed_sensitive_columns=[{"source": "shop", "column": "allergy", "purpose": "allergy warnings on deliveries"}])
    assert find_sensitive_columns(raw, settings.allowed_columns("shop")) == []


def test_settings_refuse_an_allowance_without_a_stated_purpose() -> None:
    with pytest.raises(ValidationError):
        PrivacySettings(allowed_sensitive_columns=[{"source": "shop", "column": "allergy", "purpose": ""}])
    with pytest.raises(ValidationError):
        PrivacySettings(retention={"fields": {"shoe_size": 10}})


def test_international_phone_numbers_are_not_my_numbers():
    from governance.sensitive import my_number_check_digit

    # 12-digit international numbers whose digits happen to carry a valid check digit
    body = "44207946012"
    phone = "+" + body + str(my_number_check_digit(body))
    raw = pl.DataFrame({"phone": [phone, phone.replace("+44", "+44 ")], "source_row": [1, 2]})
    assert find_sensitive_columns(raw, set()) == []


def test_one_phone_number_passing_the_check_digit_by_chance_is_not_refused():
    body = "01513553265"  # a 12-digit national mobile number's first eleven digits
    lone = body + str(my_number_check_digit(body))
    assert find_sensitive_columns(pl.DataFrame({"phone": [lone, "030 1234567"], "source_row": [1, 2]}), set()) == []


def test_digit_bearing_class_is_every_character_whose_nfkc_form_holds_a_digit():
    import sys
    import unicodedata

    import polars as pl

    from governance.sensitive import DIGIT_BEARING

    points = [cp for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    chars = pl.Series("c", [chr(cp) for cp in points])
    matched = chars.str.contains(DIGIT_BEARING).to_list()
    expected = [any(ch.isdecimal() for ch in unicodedata.normalize("NFKC", c)) for c in chars.to_list()]
    missed = [hex(cp) for cp, m, e in zip(points, matched, expected) if e and not m]
    assert not missed, f"{len(missed)} digit-bearing characters not matched, e.g. {missed[:5]}"
    # The regex engine may know newer digits than this Python's Unicode tables; nothing else extra.
    extra = [hex(cp) for cp, m, e in zip(points, matched, expected) if m and not e and unicodedata.category(chr(cp)) != "Cn"]
    assert not extra, f"{len(extra)} characters matched without a digit, e.g. {extra[:5]}"
