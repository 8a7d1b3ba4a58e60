"""`assign_golden_ids` and `affected_golden_ids` decide exactly as the simple
implementation they replaced (kept below as the reference): same crosswalk
rows and order, same events, same minted ids, same affected ids, on generated
runs with splits, merges, moves, retirements, new records and ties."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import polars as pl
import pytest

from resolution import golden_ids, row_matching
from resolution.golden_ids import (
    IDENTITY_EVENT_SCHEMA,
    affected_golden_ids,
    assign_golden_ids,
)

# --- the reference: the implementation before the fast path, verbatim --------------------------


def reference_assign(clusters: pl.DataFrame, previous: pl.DataFrame, *, run_id: str, mint: Callable[[], str]):
    members = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8)).join(
        previous.select("record_key", "golden_id"), on="record_key", how="left"
    )
    sizes = members.group_by("cluster_id").agg(pl.len().alias("cluster_size"))
    votes = (
        members.filter(pl.col("golden_id").is_not_null())
        .group_by("cluster_id", "golden_id")
        .agg(pl.len().alias("n"))
    )
    owners = votes.sort(["golden_id", "n", "cluster_id"], descending=[False, True, False]).unique(
        "golden_id", keep="first", maintain_order=True
    )
    ranked = owners.sort(["cluster_id", "n", "golden_id"], descending=[False, True, False]).with_columns(
        rank=pl.int_range(pl.len()).over("cluster_id")
    )
    kept = ranked.filter(pl.col("rank") == 0).select("cluster_id", "golden_id")
    merged = ranked.filter(pl.col("rank") > 0).join(kept.rename({"golden_id": "survivor"}), on="cluster_id")
    fresh_clusters = sizes.join(kept, on="cluster_id", how="anti").sort("cluster_id")
    fresh = fresh_clusters.with_columns(golden_id=pl.Series([mint() for _ in range(fresh_clusters.height)], dtype=pl.Utf8))
    cluster_ids = pl.concat([kept, fresh.select("cluster_id", "golden_id")])
    crosswalk = members.select("record_key", "cluster_id").join(cluster_ids, on="cluster_id").select(
        "record_key", "golden_id"
    )
    split_from = (
        votes.join(fresh.select("cluster_id"), on="cluster_id")
        .sort(["cluster_id", "n", "golden_id"], descending=[False, True, False])
        .unique("cluster_id", keep="first", maintain_order=True)
        .select("cluster_id", pl.col("golden_id").alias("split_from"))
    )
    fresh = fresh.join(split_from, on="cluster_id", how="left")
    previous_ids = previous.select("golden_id").unique()
    retired = previous_ids.join(owners.select("golden_id"), on="golden_id", how="anti")
    events = pl.concat(
        [
            fresh.select(
                event_type=pl.when(pl.col("split_from").is_null()).then(pl.lit("created")).otherwise(pl.lit("split")),
                golden_id="golden_id",
                related_golden_id="split_from",
                record_count=pl.col("cluster_size").cast(pl.Int64),
            ),
            merged.select(
                event_type=pl.lit("merged"),
                golden_id="golden_id",
                related_golden_id="survivor",
                record_count=pl.col("n").cast(pl.Int64),
            ),
            retired.select(
                event_type=pl.lit("retired"),
                golden_id="golden_id",
                related_golden_id=pl.lit(None, dtype=pl.Utf8),
                record_count=pl.lit(0, dtype=pl.Int64),
            ),
        ],
        how="vertical_relaxed",
    ).select(run_id=pl.lit(run_id), *[pl.col(c) for c in ("event_type", "golden_id", "related_golden_id", "record_count")])  # noqa: B026
    return golden_ids.GoldenIdAssignment(
        crosswalk=crosswalk.sort("record_key"),
        events=events.cast(IDENTITY_EVENT_SCHEMA).sort("event_type", "golden_id"),
        moves=golden_ids.crosswalk_moves(previous, crosswalk),
    )


def reference_affected(previous: pl.DataFrame, crosswalk: pl.DataFrame, changed_keys: pl.Series) -> pl.Series:
    now = crosswalk.select("record_key", "golden_id")
    before = previous.select("record_key", "golden_id")
    moved = pl.concat(
        [
            now.join(before, on=["record_key", "golden_id"], how="anti")["golden_id"],
            before.join(now, on=["record_key", "golden_id"], how="anti")["golden_id"],
            now.filter(pl.col("record_key").is_in(changed_keys.implode()))["golden_id"],
        ]
    )
    ids = moved.unique()
    return ids.filter(ids.is_in(now["golden_id"].implode()))


# --- generated runs -----------------------------------------------------------------------------


def _minter() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"N{next(counter):04d}"


def _previous(rng: random.Random, n_records: int, n_ids: int) -> pl.DataFrame:
    # Ids like G1, G10, G2: text order differs from number order, and ties are frequent.
    ids = [f"G{i}" for i in rng.sample(range(1, 3 * n_ids + 2), n_ids)]
    keys = [f"{rng.choice(['crm', 'pos', 'web'])}:{i:05d}" for i in rng.sample(range(10 * n_records + 1), n_records)]
    return pl.DataFrame(
        {"record_key": keys, "golden_id": [rng.choice(ids) for _ in keys]}, schema={"record_key": pl.Utf8, "golden_id": pl.Utf8}
    )


def _next_run(rng: random.Random, previous: pl.DataFrame, *, change: float, n_new: int) -> pl.DataFrame:
    """This run's clusters: mostly the previous entities, some changed."""
    groups: dict[str, list[str]] = {}
    for key, gid in previous.iter_rows():
        groups.setdefault(gid, []).append(key)
    clusters: list[list[str]] = []
    for keys in groups.values():
        keys = [k for k in keys if rng.random() > change / 3]  # deleted records
        if not keys:
            continue
        r = rng.random()
        if r < change and len(keys) > 1:  # split, sometimes into equal halves
            rng.shuffle(keys)
            cut = len(keys) // 2 if rng.random() < 0.5 else rng.randint(1, len(keys) - 1)
            clusters += [keys[:cut], keys[cut:]]
        elif r < 2 * change and clusters:  # merge into an earlier cluster
            clusters[rng.randrange(len(clusters))].extend(keys)
        else:
            clusters.append(keys)
    for _ in range(int(len(clusters) * change)):  # single records moving
        a, b = rng.randrange(len(clusters)), rng.randrange(len(clusters))
        if len(clusters[a]) > 1:
            clusters[b].append(clusters[a].pop(rng.randrange(len(clusters[a]))))
    for j in range(n_new):  # new records: their own clusters or joining one
        key = f"new:{j:04d}"
        if clusters and rng.random() < 0.4:
            clusters[rng.randrange(len(clusters))].append(key)
        else:
            clusters.append([key])
    labels = rng.sample(range(10 * len(clusters) + 10), len(clusters))
    rows = [(key, f"c{label}") for label, keys in zip(labels, clusters) for key in keys]
    rng.shuffle(rows)
    return pl.DataFrame(rows, schema={"record_key": pl.Utf8, "cluster_id": pl.Utf8}, orient="row")


def _assert_same_assignment(clusters: pl.DataFrame, previous: pl.DataFrame, *, exact_order: bool = True) -> None:
    expected = reference_assign(clusters, previous, run_id="r", mint=_minter())
    got = assign_golden_ids(clusters, previous, run_id="r", mint=_minter())
    if exact_order:
        assert got.crosswalk.equals(expected.crosswalk)
    else:  # duplicate record keys: their order among themselves was never defined
        assert got.crosswalk.sort(pl.all()).equals(expected.crosswalk.sort(pl.all()))
    assert got.crosswalk.schema == expected.crosswalk.schema
    assert got.events.columns == expected.events.columns  # run_id last, as it always was
    assert got.events.equals(expected.events)
    moves = golden_ids.crosswalk_moves(previous, got.crosswalk)  # what assign_golden_ids found on the way
    for side in ("before", "now"):
        assert getattr(got.moves, side).sort(pl.all()).equals(getattr(moves, side).sort(pl.all()))


@pytest.mark.parametrize("seed", range(40))
def test_assignment_matches_reference_on_generated_runs(seed):
    rng = random.Random(seed)
    n_records = rng.choice([0, 1, 5, 30, 200])
    previous = _previous(rng, n_records, max(1, n_records // rng.choice([1, 2, 3])))
    clusters = _next_run(rng, previous, change=rng.choice([0.0, 0.05, 0.3, 0.8]), n_new=rng.choice([0, 1, 10]))
    _assert_same_assignment(clusters, previous)


def test_assignment_matches_reference_at_scale():
    rng = random.Random(7)
    previous = _previous(rng, 20_000, 9_000)
    _assert_same_assignment(_next_run(rng, previous, change=0.02, n_new=400), previous)


def _named_by_their_ids(clusters: pl.DataFrame, previous: pl.DataFrame, rng: random.Random) -> pl.DataFrame:
    """`clusters` relabelled as incremental linking names the clusters it left alone, `g:<golden id>`:
    here each cluster by the previous id of one of its records (so changed clusters too, and two
    clusters given one name become one), some by an id none of their records had."""
    held = clusters.join(previous, on="record_key", how="left").group_by("cluster_id").agg(
        pl.col("golden_id").drop_nulls().first()
    )
    names = {
        c: f"g:{g}" if g is not None and rng.random() < 0.9 else f"g:G{rng.randrange(1000)}" if rng.random() < 0.5 else c
        for c, g in held.iter_rows()
    }
    return clusters.with_columns(pl.col("cluster_id").replace_strict(names))


@pytest.mark.parametrize("seed", range(40))
def test_assignment_matches_reference_with_clusters_named_by_their_ids(seed):
    """Clusters labelled `g:<id>` are skipped when they are exactly that id's records, and only then."""
    rng = random.Random(1000 + seed)
    n_records = rng.choice([0, 1, 5, 30, 200])
    previous = _previous(rng, n_records, max(1, n_records // rng.choice([1, 2, 3])))
    clusters = _next_run(rng, previous, change=rng.choice([0.0, 0.05, 0.3, 0.8]), n_new=rng.choice([0, 1, 10]))
    _assert_same_assignment(_named_by_their_ids(clusters, previous, rng), previous)


def test_assignment_matches_reference_with_integer_cluster_ids():
    rng = random.Random(3)
    previous = _previous(rng, 300, 120)
    clusters = _next_run(rng, previous, change=0.2, n_new=20)
    # integer ids order differently as numbers and as text (9 < 10, "9" > "10")
    clusters = clusters.with_columns(pl.col("cluster_id").str.slice(1).cast(pl.Int64))
    _assert_same_assignment(clusters, previous)


def test_assignment_matches_reference_with_nulls_and_duplicates():
    rng = random.Random(11)
    previous = _previous(rng, 300, 100)
    clusters = _next_run(rng, previous, change=0.2, n_new=10)
    # a null previous id, a null cluster id, a record in two clusters, a record twice in the previous crosswalk
    previous = pl.concat(
        [
            previous.with_columns(golden_id=pl.when(pl.int_range(pl.len()) == 3).then(None).otherwise("golden_id")),
            previous.slice(10, 1).with_columns(golden_id=pl.lit("G999")),
        ]
    )
    clusters = pl.concat(
        [
            clusters.with_columns(cluster_id=pl.when(pl.int_range(pl.len()) % 50 == 0).then(None).otherwise("cluster_id")),
            clusters.slice(20, 2).with_columns(cluster_id=pl.lit("c-extra")),
        ]
    )
    _assert_same_assignment(clusters, previous, exact_order=False)


@pytest.mark.parametrize(
    ("clusters", "previous"),
    [
        ({}, {}),
        ({"x": ["a"]}, {}),
        ({}, {"G1": ["a"]}),
        ({"x": ["a", "b"], "y": ["c", "d"]}, {"G1": ["a", "b", "c", "d"]}),  # equal halves
        ({"x": ["a", "b", "c", "d"]}, {"G9": ["a", "b"], "G10": ["c", "d"]}),  # merge tie: "G10" < "G9"
        ({"x": ["a", "c"], "y": ["b", "d"]}, {"G1": ["a", "b"], "G2": ["c", "d"]}),  # two ids, each split evenly
    ],
)
def test_assignment_matches_reference_on_edge_cases(clusters, previous):
    def frame(groups, column):
        rows = [(k, g) for g, keys in groups.items() for k in keys]
        return pl.DataFrame(rows, schema={"record_key": pl.Utf8, column: pl.Utf8}, orient="row")

    _assert_same_assignment(frame(clusters, "cluster_id"), frame(previous, "golden_id"))


def test_hash_collisions_change_nothing(monkeypatch):
    """Keys are joined on hashes, then compared as text: with a hash that
    collides all the time the answers are still exact."""
    monkeypatch.setattr(row_matching, "key_hash", lambda column: pl.col(column).str.len_bytes().cast(pl.UInt64))
    rng = random.Random(5)
    previous = _previous(rng, 400, 150)
    clusters = _next_run(rng, previous, change=0.2, n_new=15)
    _assert_same_assignment(clusters, previous)
    crosswalk = assign_golden_ids(clusters, previous, run_id="r", mint=_minter()).crosswalk
    changed = clusters["record_key"].sample(20, seed=1)
    assert sorted(affected_golden_ids(previous, crosswalk, changed)) == sorted(reference_affected(previous, crosswalk, changed))


@pytest.mark.parametrize("seed", range(25))
def test_affected_ids_match_reference(seed):
    rng = random.Random(100 + seed)
    n_records = rng.choice([0, 3, 40, 300])
    previous = _previous(rng, n_records, max(1, n_records // 2))
    clusters = _next_run(rng, previous, change=rng.choice([0.0, 0.1, 0.5]), n_new=rng.choice([0, 5]))
    crosswalk = assign_golden_ids(clusters, previous, run_id="r", mint=_minter()).crosswalk
    pool = clusters["record_key"].to_list() + ["gone:1", None]
    changed = pl.Series(rng.sample(pool, min(len(pool), rng.choice([0, 1, 10]))), dtype=pl.Utf8)
    if seed % 5 == 0 and previous.height:  # duplicated rows and a null id on either side
        previous = pl.concat([previous, previous.head(2), pl.DataFrame({"record_key": ["z"], "golden_id": [None]}, schema=previous.schema)])
        crosswalk = pl.concat([crosswalk, crosswalk.head(1)])
    got = affected_golden_ids(previous, crosswalk, changed)
    expected = reference_affected(previous, crosswalk, changed)
    assert got.name == expected.name and got.dtype == expected.dtype
    assert sorted(got.to_list()) == sorted(expected.to_list())
    assert got.n_unique() == got.len()
