import polars as pl

from quality_checks.match_kpis import cluster_size_distribution, match_kpis, match_weight_histogram


def _crosswalk() -> pl.DataFrame:
    sizes = {"g1": 1, "g2": 2, "g3": 12}
    keys = [(f"r{g}-{i}", g) for g, n in sizes.items() for i in range(n)]
    return pl.DataFrame(keys, schema={"record_key": pl.Utf8, "golden_id": pl.Utf8}, orient="row")


def test_duplicate_rate_and_cluster_buckets():
    kpis = match_kpis(_crosswalk(), pl.DataFrame({"match_weight": [1.0], "match_probability": [0.7]}), 4)
    assert kpis.records == 15 and kpis.golden_records == 3
    assert abs(kpis.duplicate_rate - 0.8) < 1e-9
    assert kpis.review_backlog == 4 and kpis.pairs_scored == 1
    sizes = {r["cluster_size"]: r["clusters"] for r in cluster_size_distribution(_crosswalk()).to_dicts()}
    assert sizes["1"] == 1 and sizes["2"] == 1 and sizes["10+"] == 1 and sizes["5"] == 0


def test_histogram_bins_are_fixed_and_open_ended():
    hist = match_weight_histogram(pl.DataFrame({"match_weight": [-30.0, -10.0, 0.5, 19.9, 20.0, 45.0, None]}))
    counts = dict(zip(hist.get_column("bin"), hist.get_column("pairs")))
    assert counts["< -10"] == 1 and counts["-10 to -8"] == 1 and counts["0 to 2"] == 1
    assert counts["18 to 20"] == 1 and counts[">= 20"] == 2
    assert hist.get_column("pairs").sum() == 6
    empty = match_weight_histogram(pl.DataFrame({"match_weight": []}, schema={"match_weight": pl.Float64}))
    assert empty.height == hist.height and empty.get_column("pairs").sum() == 0
