"""The label-free blocking recall estimate counts which probable matches a rule set generates."""

from __future__ import annotations

import polars as pl

from resolution.blocking_recall import _covered


def test_a_pair_is_covered_when_some_rule_has_all_its_columns_equal_and_present() -> None:
    records = pl.DataFrame(
        {
            "record_key": ["a", "b", "c", "d"],
            "std_email": ["x@e.jp", "x@e.jp", None, None],
            "mk_birth_date": ["1980-01-01", "1990-01-01", "1970-01-01", "1970-01-01"],
            "mk_given": ["タロウ", "タロウ", None, None],
        }
    )
    pairs = pl.DataFrame({"record_key_l": ["a", "c", "a"], "record_key_r": ["b", "d", "c"]})
    rules = (("std_email",), ("mk_birth_date", "mk_given"))
    assert _covered(pairs, records, rules).to_series().to_list() == [True, False, False]
    assert _covered(pairs, records, (("mk_birth_date",),)).to_series().to_list() == [False, True, False]
