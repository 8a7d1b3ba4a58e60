"""What `nayose review list` shows: masked values, how each pair of values compares, in a stated order."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from resolution.review_listing import (
    field_comparisons,
    ordered,
    render_listing,
    review_listing,
)


def _queue(**fields: tuple[list, list]) -> pl.DataFrame:
    n = len(next(iter(fields.values()))[0])
    columns = {
        "pair_id": [f"crm:{i}|web:{i}" for i in range(n)],
        "record_key_l": [f"crm:{i}" for i in range(n)],
        "record_key_r": [f"web:{i}" for i in range(n)],
        "match_probability": [0.6] * n,
        "match_weight": [0.5] * n,
        "held_by": pl.Series([None] * n, dtype=pl.Utf8),
    }
    for field, (left, right) in fields.items():
        columns[f"{field}_l"], columns[f"{field}_r"] = left, right
    return pl.DataFrame(columns)


def _compared(field: str, left: list, right: list, **others: tuple[list, list]) -> list:
    return field_comparisons(_queue(**{field: (left, right)}, **others))[f"cmp_{field}"].to_list()


def test_equal_missing_and_differing_values_are_told_apart():
    assert _compared("std_family_name", ["weber", "weber", None, "weber", None], ["weber", "webber", "weber", "schulz", None]) == [
        "same", "differs (1 edit)", "one missing", "differs (6 edits)", None
    ]
    assert _compared("std_gender", ["F", "F"], ["M", "F"]) == ["differs", "same"]  # no edit count where it says nothing


def test_emails_say_whether_the_mailbox_or_the_domain_differs():
    left = ["k.ito@gmail.com", "k.ito@ito-shoten.co.jp", "k.ito@ito-shoten.co.jp", "k.ito@gmail.com", "no-at-sign"]
    right = ["k.ito@outlook.jp", "y.ito@ito-shoten.co.jp", "k.ito@ito-shoten.co.jp", "m.sato@web.de", "no-at-signs"]
    assert _compared("std_email", left, right) == [
        "same mailbox, other domain",
        "same domain, other mailbox (1 edit)",
        "same",
        "differs",
        "differs",
    ]


def test_names_written_in_the_other_order_and_swapped_day_and_month_are_named():
    queue = _queue(
        std_family_name=(["hung", "novak"], ["le", "novak"]),
        std_given_name=(["le", "eva"], ["hung", "eve"]),
        std_birth_date=([date(1985, 4, 7), date(1985, 4, 7)], [date(1985, 7, 4), date(1985, 4, 8)]),
    )
    compared = field_comparisons(queue)
    assert compared["cmp_std_family_name"].to_list() == ["the other's given_name", "same"]
    assert compared["cmp_std_given_name"].to_list() == ["the other's family_name", "differs (1 edit)"]
    assert compared["cmp_std_birth_date"].to_list() == ["day and month swapped", "differs (1 edit)"]


def test_a_name_in_latin_letters_against_one_in_another_script_is_said_so():
    """`Юрий` and `Iurii`: an edit count across scripts says nothing (7 edits
    for a spelling the model weighs for the pair)."""
    assert _compared("std_given_name", ["юрий", "юрий", "yuri"], ["iurii", "юра", "yuriy"]) == [
        "in another script",
        "differs (2 edits)",
        "differs (1 edit)",
    ]


def test_the_source_system_is_shown_not_compared():
    assert "cmp_source_system" not in field_comparisons(_queue(source_system=(["crm"], ["web"]))).columns


@pytest.mark.parametrize(
    ("order", "want"),
    [("likeliest", ["a|b", "c|d", "e|f", "g|h"]), ("uncertain", ["e|f", "g|h", "c|d", "a|b"])],
)
def test_pairs_are_listed_in_the_order_asked(order, want):
    queue = pl.DataFrame({"pair_id": ["e|f", "a|b", "g|h", "c|d"], "match_probability": [0.52, 0.99, 0.52, 0.8]})
    assert ordered(queue, order)["pair_id"].to_list() == want


def test_pairs_a_rule_holds_come_after_the_others_likeliest_first():
    """A rule holds a pair for what the model does not weigh (birth dates
    apart in one household): its probability of 0.99 and more put two
    people at the top of the list."""
    queue = pl.DataFrame(
        {
            "pair_id": ["a|b", "c|d", "e|f", "g|h", "i|j"],
            "match_probability": [0.999, 0.7, 0.95, 0.6, 0.8],
            "held_by": ["birth_date", None, "name_order", None, None],
        }
    )
    assert ordered(queue, "likeliest")["pair_id"].to_list() == ["i|j", "c|d", "g|h", "a|b", "e|f"]
    assert ordered(queue, "uncertain")["pair_id"].to_list() == ["g|h", "c|d", "i|j", "e|f", "a|b"]


def test_another_order_is_refused():
    with pytest.raises(ValueError, match="unknown order 'newest'"):
        ordered(pl.DataFrame({"pair_id": ["a|b"], "match_probability": [0.6]}), "newest")


def test_a_listing_masks_values_and_keeps_each_fields_weight():
    queue = _queue(
        std_family_name=(["reinholdt"], ["reinholt"]),
        std_email=(["info@reinholdt-bau.de"], ["info@reinholdt-bau.de"]),
        std_city=(["wunsiedel"], ["wunsiedel"]),
        std_prefecture=(["BY"], ["BY"]),
    ).with_columns(mw_family_name=pl.lit(4.0), mw_tf_adj_family_name=pl.lit(1.5), mw_email=pl.lit(9.0))
    listing = review_listing(queue, limit=0)
    row = listing.pairs.row(0, named=True)
    assert (row["std_family_name_l"], row["std_email_l"], row["std_city_l"]) == ("r********", "i***@r" + "*" * 12 + ".de", "w********")
    assert row["std_prefecture_l"] == "BY"  # a state names no one
    assert (row["cmp_std_family_name"], row["cmp_std_email"], row["cmp_std_city"]) == ("differs (1 edit)", "same", "same")
    assert (row["w_std_family_name"], row["w_std_email"]) == (5.5, 9.0)
    text = render_listing(listing)
    for secret in ("reinholdt", "reinholt", "reinholdt-bau", "wunsiedel"):
        assert secret not in text
    assert "family_name" in text and "+5.5" in text and "+9.0" in text


def test_a_listing_says_how_many_it_shows_of_how_many():
    queue = _queue(std_family_name=([f"name{i}" for i in range(5)], [f"name{i}" for i in range(5)]))
    shown = render_listing(review_listing(queue, limit=2))
    assert shown.startswith("5 pair(s) waiting for a decision; showing 2 of 5, likeliest the same person first")
    assert "--limit 0 all" in shown and "\n2. pair " in shown and "\n3. pair " not in shown
    assert "showing all 5, nearest 0.5 first" in render_listing(review_listing(queue, order="uncertain", limit=0))


def test_wide_characters_keep_the_columns_aligned():
    queue = _queue(std_family_name=(["高橋"], ["髙橋"]), std_given_kana=(["ハナコ"], ["ハナコ"]))
    block = render_listing(review_listing(queue)).splitlines()[-3:]
    # the `compared` column starts at the same terminal column on every row of the block
    starts = [_display_width(line[: line.index(word)]) for line, word in zip(block, ("compared", "differs", "same"), strict=True)]
    assert len(set(starts)) == 1


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_a_listing_shows_no_digit_of_a_national_id_only_whether_they_agree():
    queue = _queue(std_national_id=(["8001015009087", "12345678"], ["8001015009087", "23456789"])).with_columns(
        mw_national_id=pl.Series([20.0, -13.0])
    )
    listing = review_listing(queue, limit=0)
    assert listing.pairs["cmp_std_national_id"].to_list() == ["same", "differs"]
    assert listing.pairs["w_std_national_id"].to_list() == [20.0, -13.0]
    text = render_listing(listing)
    for secret in ("8001015009087", "800101", "12345678", "2345678"):
        assert secret not in text
