"""Names in Arabic script: compared form, split, and the consonant key they
share with their Latin spellings (fictional people)."""

from __future__ import annotations

import pytest

from resolution.standardization.arabic_names import (
    arabic_written_name,
    consonant_skeleton,
    latin_consonant_skeleton,
    split_arabic_full_name,
)


def test_written_form_drops_vowel_marks_hamza_seats_and_folds_interchanged_letters():
    assert arabic_written_name("فَاطِمَة") == arabic_written_name("فاطمه") == "فاطمه"
    assert arabic_written_name("أحمد") == arabic_written_name("احمد")
    assert arabic_written_name("عبد الله") == "عبدالله"
    assert arabic_written_name("مصطفى") == "مصطفي"
    assert arabic_written_name("ﻓﺎﻃﻤﺔ") == "فاطمه"  # presentation forms, as some exports hold them


@pytest.mark.parametrize(
    ("full", "family", "given"),
    [
        ("فاطمة الفلاسي", "الفلاسي", "فاطمة"),
        ("نورة بنت سعيد النعيمي", "النعيمي", "نورة"),  # the patronymic chain is neither part
        ("عبد الرحمن خليفة الكتبي", "الكتبي", "عبد الرحمن"),  # a compound given name
        ("الشيخ حمدان آل مكتوم", "آل مكتوم", "حمدان"),  # a title dropped, `آل` kept with its family
        ("سالم بن راشد", "بن راشد", "سالم"),  # as the Latin split keeps `bin Rashid`
    ],
)
def test_a_full_name_splits_given_first(full, family, given):
    assert split_arabic_full_name(full) == (family, given)


def test_a_single_word_does_not_split():
    assert split_arabic_full_name("مريم") is None
    assert split_arabic_full_name("الشيخ مريم") is None


@pytest.mark.parametrize(
    ("arabic", "latin", "family"),
    [
        ("فاطمة", "fatima fatma fathima fatimah", False),
        ("محمد", "mohammed muhammad mohamed mohammad mohd md", False),
        ("عائشة", "aisha ayesha aysha", False),
        ("عبدالله", "abdullah abdulla abdallah", False),
        ("عبدالرحمن", "abdulrahman abdurrahman", False),  # the article assimilated as spoken
        ("يوسف", "yousef yusuf youssef yousuf", False),
        ("حسين", "hussein hussain husain", False),
        ("خالد", "khalid khaled", False),
        ("إبراهيم", "ibrahim ebrahim", False),
        ("حصة", "hessa hissa", False),
        ("جمعة", "juma jumaa", False),
        ("الفلاسي", "alfalasi falasi alfalasy", True),
        ("المزروعي", "almazrouei almazroui", True),
        ("آل مكتوم", "almaktoum maktoum", True),
        ("العلي", "alali ali", True),
        ("الظاهري", "aldhaheri dhaheri", True),
    ],
)
def test_arabic_and_its_latin_spellings_share_one_consonant_key(arabic, latin, family):
    key = consonant_skeleton(arabic_written_name(arabic), family)
    assert key and key.isupper()
    assert {latin_consonant_skeleton(spelling, family) for spelling in latin.split()} == {key}


def test_the_key_keeps_names_that_differ_in_consonants_or_a_first_vowel_apart():
    assert consonant_skeleton("احمد", False) != latin_consonant_skeleton("hamad", False)  # AHMD, HMD
    assert consonant_skeleton("يوسف", False) != latin_consonant_skeleton("saif", False)  # YSF, SF
    assert consonant_skeleton("خالد", False) != latin_consonant_skeleton("khan", False)
    assert latin_consonant_skeleton("alawi", True) == consonant_skeleton("علوي", True) == "AL"  # no article there


def test_other_scripts_have_no_latin_consonant_key():
    assert latin_consonant_skeleton("فاطمه", False) is None
    assert latin_consonant_skeleton("иванов", True) is None
    assert consonant_skeleton("山田", True) is None
    assert latin_consonant_skeleton("ea", False) is None  # no consonant: no key
