"""Golden-id stability of one run, measured from the crosswalks and the identity events."""

import polars as pl

from resolution.id_stability import measure_id_stability


def _crosswalk(rows: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame({"record_key": list(rows), "golden_id": list(rows.values())})


def _events(*rows: tuple[str, str, str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"event_type": t, "golden_id": g, "related_golden_id": r} for t, g, r in rows],
        schema={"event_type": pl.Utf8, "golden_id": pl.Utf8, "related_golden_id": pl.Utf8},
    )


PREVIOUS = _crosswalk({"a1": "GA", "a2": "GA", "b1": "GB", "c1": "GC", "c2": "GC"})
NOTHING = pl.Series([], dtype=pl.Utf8)


def test_a_quiet_run_keeps_every_id():
    stability = measure_id_stability(PREVIOUS, PREVIOUS, NOTHING, _events())
    assert (stability.untouched_entities, stability.kept, stability.kept_share) == (3, 3, 1.0)
    assert stability.unexplained.len() == 0


def test_a_new_record_joining_an_entity_leaves_it_untouched_and_kept():
    current = _crosswalk({"a1": "GA", "a2": "GA", "a3": "GA", "b1": "GB", "c1": "GC", "c2": "GC"})
    stability = measure_id_stability(PREVIOUS, current, pl.Series(["a3"]), _events())
    assert (stability.untouched_entities, stability.kept) == (3, 3)


def test_entities_with_a_redelivered_or_departed_record_are_not_counted():
    current = _crosswalk({"a1": "GA", "a2": "GA", "b1": "GB", "c1": "GC"})  # b1 re-delivered, c2 deleted
    stability = measure_id_stability(PREVIOUS, current, pl.Series(["b1"]), _events())
    assert (stability.untouched_entities, stability.kept) == (1, 1)  # only GA: GB re-delivered, GC lost c2


def test_a_merge_by_a_bridging_record_counts_against_the_share_but_is_explained():
    current = _crosswalk({"a1": "GA", "a2": "GA", "n1": "GA", "b1": "GA", "c1": "GC", "c2": "GC"})
    merged = _events(("merged", "GB", "GA"))
    stability = measure_id_stability(PREVIOUS, current, pl.Series(["n1"]), merged)
    assert (stability.untouched_entities, stability.kept) == (3, 2)
    assert stability.unexplained.len() == 0
    # the same change with no event is reported, by id
    assert measure_id_stability(PREVIOUS, current, pl.Series(["n1"]), _events()).unexplained.to_list() == ["GB"]


def test_a_split_is_explained_by_the_event_naming_the_id_split_from():
    current = _crosswalk({"a1": "GA", "a2": "GN", "b1": "GB", "c1": "GC", "c2": "GC"})
    stability = measure_id_stability(PREVIOUS, current, NOTHING, _events(("split", "GN", "GA")))
    assert (stability.untouched_entities, stability.kept) == (3, 2)
    assert stability.unexplained.len() == 0
    unexplained = measure_id_stability(PREVIOUS, current, NOTHING, _events()).unexplained.to_list()
    assert unexplained == ["GA", "GN"]  # GA lost a record without an event; GN appeared without one


def test_an_id_that_disappears_without_an_event_is_unexplained_even_when_touched():
    current = _crosswalk({"a1": "GA", "a2": "GA", "b1": "GC", "c1": "GC", "c2": "GC"})
    stability = measure_id_stability(PREVIOUS, current, pl.Series(["b1"]), _events())
    assert stability.unexplained.to_list() == ["GB"]
    retired = measure_id_stability(PREVIOUS, current, pl.Series(["b1"]), _events(("merged", "GB", "GC")))
    assert retired.unexplained.len() == 0


def test_a_run_that_touches_everything_has_no_share():
    stability = measure_id_stability(PREVIOUS, PREVIOUS, PREVIOUS["record_key"], _events())
    assert stability.untouched_entities == 0
    assert stability.kept_share is None
    assert stability.summary()["untouched_ids_kept_share"] is None
