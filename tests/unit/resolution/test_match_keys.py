"""Match keys of a night's arrivals: a name the base has romanized already is
not romanized again, and the keys are those derived from scratch."""

from __future__ import annotations

import polars as pl

from resolution import match_keys
from resolution.match_keys import add_match_keys

RECORDS = pl.DataFrame(
    {
        "record_key": ["crm:1", "crm:2", "crm:3", "web:4"],
        "std_family_kana": ["ヤマダ", "サトウ", None, None],
        "std_given_kana": ["タロウ", None, None, None],
        "std_family_name": ["山田", "佐藤", "高橋", "Smith"],  # 高橋 without a reading: no Latin spelling
        "std_given_name": ["太郎", "Hanako", None, "John"],
    }
)


def test_names_the_base_romanized_are_lent_not_romanized_again(monkeypatch) -> None:
    from_scratch = add_match_keys(RECORDS)
    known = add_match_keys(RECORDS.head(3))  # the earlier versions of the first three
    assert known["mk_family_roman"].to_list() == ["yamada", "sato", None]
    romanized, romanize = [], match_keys.comparable_romanization

    def counted(name: str) -> str | None:
        romanized.append(name)
        return romanize(name)

    monkeypatch.setattr(match_keys, "comparable_romanization", counted)
    assert add_match_keys(RECORDS, known=known).equals(from_scratch)
    assert sorted(romanized) == ["John", "Smith"]  # 高橋's missing spelling is known too


def test_without_name_keys_nothing_is_lent() -> None:
    known = add_match_keys(RECORDS.head(1)).drop("mk_given_roman")
    assert add_match_keys(RECORDS, known=known.drop("mk_family_roman")).equals(add_match_keys(RECORDS))
