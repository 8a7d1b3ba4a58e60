"""Training when the duplicates only exist across scripts: a kanji source
(with kana readings) and a romaji web source, no duplicate inside either,
and namesakes living in the same postal area.

The EM session that blocks on names must meet the kanji record and its
romaji twin; blocking on the written name (or its kana) finds only
namesakes, and EM then learns that half of all matches have unrelated birth
dates, emails and phones, so namesakes at one postal code link."""

from __future__ import annotations

import math
import random
from datetime import date

import polars as pl
import pytest

from nayose_config import MatchingConfig
from resolution.linking import make_duckdb_api, predict_and_cluster, train_model
from resolution.match_keys import add_match_keys
from resolution.model import build_settings, design_model
from resolution.probability_floor import level_weights

# (kanji, katakana, romaji) of made-up name parts
FAMILY = [
    ("山田", "ヤマダ", "yamada"), ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"), ("中村", "ナカムラ", "nakamura"),
]
GIVEN = [
    ("太郎", "タロウ", "taro"), ("花子", "ハナコ", "hanako"), ("健", "ケン", "ken"), ("美咲", "ミサキ", "misaki"),
    ("大輔", "ダイスケ", "daisuke"), ("陽子", "ヨウコ", "yoko"), ("翔太", "ショウタ", "shota"), ("誠", "マコト", "makoto"),
]
POSTAL = [("1500002", "渋谷区", "渋谷"), ("1000001", "千代田区", "千代田"), ("2200011", "横浜市西区", "高島")]


def _two_scripts(people: int, seed: int) -> tuple[pl.DataFrame, dict[str, int]]:
    """Every person in the kanji CRM; about 60% also in the romaji web source
    (same birth date, email, phone and address). 64 name combinations over
    `people` people: many namesakes share a postal code and city."""
    rng = random.Random(seed)
    rows, person_of = [], {}
    for p in range(people):
        (fk, fr, fl), (gk, gr, gl) = rng.choice(FAMILY), rng.choice(GIVEN)
        postal, city, town = rng.choice(POSTAL)
        born = date(1950 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28))
        shared = {
            "std_birth_date": born,
            "std_email": f"{gl}.{fl}{p}@example.jp",
            "std_phone": f"+8190{p:08d}",
            "std_postal_code": postal,
            "std_prefecture": "東京都",
            "std_city": city,
            "std_address": f"{town}{1 + p % 5}-{1 + p % 17}-{1 + p % 13}",
        }
        rows.append({"record_key": f"crm:{p}", "source_system": "crm", "std_family_name": fk, "std_given_name": gk,
                     "std_family_kana": fr, "std_given_kana": gr, "std_gender": rng.choice(["M", "F"]), **shared})
        person_of[f"crm:{p}"] = p
        if rng.random() < 0.6:
            rows.append({"record_key": f"web:{p}", "source_system": "web", "std_family_name": fl, "std_given_name": gl,
                         "std_family_kana": None, "std_given_kana": None, "std_gender": None, **shared})
            person_of[f"web:{p}"] = p
    return add_match_keys(pl.DataFrame(rows)), person_of


@pytest.fixture(scope="module")
def trained():
    base, person_of = _two_scripts(600, seed=3)
    design = design_model(base)
    settings = train_model(make_duckdb_api(), base, design, build_settings(design, MatchingConfig()))
    return base, person_of, settings


def test_a_name_block_meets_the_twin_in_the_other_script(trained):
    base, _, _ = trained
    design = design_model(base)
    name_block = next(b for b in design.training_blocks if any("family" in c for c in b))
    twin = base.filter(pl.col("source_system") == "web")["record_key"][0].removeprefix("web:")
    twins = base.filter(pl.col("record_key").is_in([f"crm:{twin}", f"web:{twin}"]))
    assert twins.height == 2
    assert twins.select(name_block).unique().height == 1


def test_unrelated_birth_dates_weigh_strongly_against_a_link(trained):
    _, _, settings = trained
    levels = {(w.comparison, w.level): w for w in level_weights(settings)}
    other = levels[("birth_date", "All other comparisons")]
    assert other.weight is not None and other.weight < -8  # it was -1.0 bits blocking on the written name
    exact = next(w for (c, _), w in levels.items() if c == "birth_date" and w.level.startswith("Exact"))
    assert exact.m_probability > 0.9


def test_namesakes_in_one_postal_area_are_not_linked(trained):
    base, person_of, settings = trained
    linked = predict_and_cluster(make_duckdb_api(), base, settings, score_threshold=0.5, link_threshold=0.9)
    pairs = linked.pairs.filter(pl.col("match_probability") >= 0.9)
    wrong = [
        (left, right)
        for left, right in pairs.select("record_key_l", "record_key_r").iter_rows()
        if person_of[left] != person_of[right]
    ]
    true_pairs = sum(1 for key in person_of if key.startswith("web:"))
    assert len(wrong) <= math.ceil(0.005 * true_pairs), len(wrong)
    assert pairs.height - len(wrong) >= 0.95 * true_pairs
