"""A name in hanzi or Hangul has no romanized key: the blocking rules must
still bring it together with its Latin spelling in another export, through
the folded Chinese or Korean keys (`mk_*_cjk`). All people are generated."""

from __future__ import annotations

from datetime import date

import polars as pl

from resolution.match_keys import add_match_keys
from resolution.model import design_model

# (written family, written given, script, country) of one made-up person per pair, then its web twin
PAIRS = [
    (("박", "서준", "ko", "KR"), ("Park", "Suh Joon", "latin", "KR")),
    (("김", "도윤", "ko", "KR"), ("Kim", "Do-yun", "latin", "KR")),
    (("张", "怡君", "zh", "TW"), ("Chang", "Yi-Chun", "latin", "TW")),
    (("陈", "家明", "zh", "CN"), ("Chen", "Jiaming", "latin", "CN")),
    # the web form's boxes filled family name first (`first_name: PARK`)
    (("박", "상우", "ko", "KR"), ("Sang U", "PARK", "latin", "KR")),
]


def _records() -> pl.DataFrame:
    """Each pair shares its birth date and nothing else (other email, phone,
    postal code); every record is born on a day of its own otherwise."""
    rows = []
    for i, pair in enumerate(PAIRS):
        for side, (family, given, script, country) in enumerate(pair):
            rows.append({
                "record_key": f"s{side}:{i}", "source_system": f"s{side}", "std_family_name": family.lower(),
                "std_given_name": given.lower(), "std_name_script": script, "std_country": country,
                "std_birth_date": date(1970 + i, 1 + i, 1 + i), "std_email": f"p{i}.{side}@example.com",
                "std_phone": f"+8210{i:04d}{side:04d}", "std_postal_code": f"{i:03d}{side:02d}",
            })  # fmt: skip
    return add_match_keys(pl.DataFrame(rows))


def _rules_meeting(records: pl.DataFrame, left: str, right: str, rules) -> list[tuple[str, ...]]:
    a, b = (records.filter(pl.col("record_key") == key).row(0, named=True) for key in (left, right))
    return [rule for rule in rules if all(a[c] is not None and a[c] == b[c] for c in rule)]


def test_a_name_in_hanzi_or_hangul_blocks_with_its_latin_spelling_on_the_cjk_keys():
    records = _records()
    rules = design_model(records, check_counts=False).blocking_rules
    for i in range(len(PAIRS)):
        meeting = _rules_meeting(records, f"s0:{i}", f"s1:{i}", rules)
        assert ("mk_birth_date", "mk_given_cjk") in meeting, PAIRS[i]
        # the romanized rules cannot: the hanzi/Hangul side has no romanized key
        assert not [rule for rule in meeting if any(c.endswith("_roman") for c in rule)]


def test_a_latin_name_written_given_name_first_is_keyed_the_other_way_round():
    records = _records().filter(pl.col("record_key").is_in(["s0:4", "s1:4"]))
    family, given = records["mk_family_cjk"].to_list(), records["mk_given_cjk"].to_list()
    assert family[0] == family[1] and given[0] == given[1]
    assert records["mk_family_roman"].to_list()[1] == "sangu"  # the written name's own keys stay as written
