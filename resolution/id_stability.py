"""How well a run kept golden ids: the measure behind "ids stay put".

An entity is *untouched* by a run when none of its records (in the previous
crosswalk) arrived again, changed or left. Such an entity keeps its id when
every one of its records still carries that id afterwards; new records may
join it. An untouched entity can still lose its id for a reason: a new record
bridging it to another entity (a merge), or a steward's cannot-link (a
split). Those changes, and every id that appears or disappears, must be
named by one of the run's identity events; whatever is not, is *unexplained*.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from resolution.golden_ids import CrosswalkMoves, crosswalk_moves

# the events that account for an id leaving (as golden_id) or arriving (as golden_id)
_LEAVING = ("merged", "retired", "erased")
_ARRIVING = ("created", "split")


@dataclass(frozen=True)
class IdStability:
    untouched_entities: int  # previous golden ids none of whose records arrived, changed or left
    kept: int  # of those, the ids every one of their records still carries
    unexplained: pl.Series  # golden ids whose change no identity event of the run names (sorted)

    @property
    def kept_share(self) -> float | None:
        """Share of untouched entities that kept their id; None when the run touched every entity."""
        return self.kept / self.untouched_entities if self.untouched_entities else None

    def summary(self) -> dict:
        """The figures for the run summary (no ids: they are opaque, but they are not needed there)."""
        share = self.kept_share
        return {
            "untouched_entities": self.untouched_entities,
            "untouched_ids_kept": self.kept,
            "untouched_ids_kept_share": None if share is None else round(share, 6),
            "unexplained_id_changes": self.unexplained.len(),
        }


def measure_id_stability(
    previous: pl.DataFrame,
    current: pl.DataFrame,
    arrived: pl.Series,
    events: pl.DataFrame,
    moves: CrosswalkMoves | None = None,
) -> IdStability:
    """Compare the crosswalks before and after a run.

    `previous`, `current`: record_key, golden_id; `arrived`: the record keys
    the run took in new or changed (a record re-delivered unchanged leaves its
    entity untouched; records that left are found as keys
    of `previous` missing from `current`); `events`: the run's identity events
    (event_type, golden_id, related_golden_id); `moves`:
    `crosswalk_moves(previous, current)`, when already known.

    Only the moved rows are compared id by id; the whole crosswalks are
    scanned for small sets of ids (a run at 1M records moves a few thousand)."""
    moves = crosswalk_moves(previous, current) if moves is None else moves
    left = moves.before.filter(~pl.col("record_key").is_in(moves.now["record_key"].implode()))
    touched = (
        pl.concat([previous.filter(pl.col("record_key").is_in(arrived.implode()))["golden_id"], left["golden_id"]])
        .drop_nulls()
        .unique()
    )
    moved = moves.before["golden_id"].drop_nulls().unique()  # ids that lost a record (or all of them)
    lost = moved.filter(~moved.is_in(touched.implode()))
    untouched = previous["golden_id"].drop_nulls().n_unique() - touched.len()

    named = pl.concat([events["golden_id"], events["related_golden_id"]]).drop_nulls()
    leaving = events.filter(pl.col("event_type").is_in(_LEAVING))["golden_id"]
    arriving = events.filter(pl.col("event_type").is_in(_ARRIVING))["golden_id"]
    gained = moves.now["golden_id"].drop_nulls().unique()  # ids that gained a record (or are new)
    gone = moved.filter(~moved.is_in(_held(current, moved).implode()))
    new = gained.filter(~gained.is_in(_held(previous, gained).implode()))
    unexplained = pl.concat(
        [
            lost.filter(~lost.is_in(named.implode())),  # an untouched entity lost its id, and no event says why
            gone.filter(~gone.is_in(leaving.implode())),
            new.filter(~new.is_in(arriving.implode())),
        ]
    )
    return IdStability(
        untouched_entities=untouched, kept=untouched - lost.len(), unexplained=unexplained.unique().sort()
    )


def _held(crosswalk: pl.DataFrame, ids: pl.Series) -> pl.Series:
    """Those of `ids` some row of `crosswalk` carries."""
    return crosswalk.filter(pl.col("golden_id").is_in(ids.implode()))["golden_id"]
