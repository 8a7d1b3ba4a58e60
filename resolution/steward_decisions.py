"""Steward decisions: "same person" (must-link) and "not the same person"
(cannot-link) between two source records, obeyed by every later run.

Decisions name records by `record_key` (`source_system:source_record_id`),
so they survive retraining and re-clustering. They are kept append-only in a
JSON lines file; the latest decision on a pair wins.

Applying them to clusters: a must-link joins the two records' clusters; a
cluster holding a cannot-link pair is rebuilt by adding its links strongest
first (must-links first of all) and skipping any link that would put a
cannot-link pair together, so the split happens at the weakest evidence even
when the model chains the two records through others.

Decisions can contradict one another through transitivity: must-links A-B
and B-C with a cannot-link A-C. The cannot-link is kept and one of the
must-links (the last one added, in record-key order) is not applied.
`decision_conflicts` names each such contradiction, for the run's log and
metadata and for the steward who records the decision that makes it
(`contradicted_by`), by decision ids and masked record keys only.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import polars as pl

from governance.masking import mask_record_key
from resolution.households import links
from resolution.row_matching import with_each_side

DecisionKind = Literal["must_link", "cannot_link"]

DECISION_SCHEMA = {
    "decision_id": pl.Utf8,
    "record_key_l": pl.Utf8,
    "record_key_r": pl.Utf8,
    "decision": pl.Utf8,
    "steward": pl.Utf8,
    "reason": pl.Utf8,
    "decided_at": pl.Utf8,
}


@dataclass(frozen=True)
class StewardDecision:
    record_key_l: str
    record_key_r: str
    decision: DecisionKind
    steward: str
    reason: str
    decided_at: str
    decision_id: str

    @classmethod
    def make(cls, left: str, right: str, decision: DecisionKind, *, steward: str, reason: str) -> "StewardDecision":
        """A new decision, the pair in canonical order. Refuses (ValueError) a
        pair of one record, an unknown decision, or a missing steward/reason."""
        if decision not in ("must_link", "cannot_link"):
            raise ValueError(f"decision must be must_link or cannot_link, not {decision!r}")
        left, right = left.strip(), right.strip()
        if not left or not right or left == right:
            raise ValueError("a decision needs two different record keys (source_system:source_record_id)")
        if ":" not in left or ":" not in right:
            raise ValueError("record keys look like source_system:source_record_id")
        if not steward.strip() or not reason.strip():
            raise ValueError("a decision records who made it (--by) and why (--reason)")
        l, r = sorted((left, right))
        return cls(
            record_key_l=l,
            record_key_r=r,
            decision=decision,
            steward=steward.strip(),
            reason=reason.strip(),
            decided_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            decision_id=uuid.uuid4().hex,
        )


def append_decision(path: Path, decision: StewardDecision) -> None:
    """Append one decision durably (flushed and fsynced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(decision), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def unknown_record_keys(database: Path, keys: list[str]) -> list[str]:
    """Those of `keys` the published warehouse holds no record for (all of
    them when nothing is published yet): a decision on a mistyped key would
    sit in the decisions file, obeyed by nothing."""
    import duckdb

    if not database.exists():
        return sorted(set(keys))
    con = duckdb.connect(str(database), read_only=True)
    try:
        found = {row[0] for row in con.execute("SELECT record_key FROM records WHERE record_key IN ?", [sorted(set(keys))]).fetchall()}
    except duckdb.CatalogException:  # no records table yet
        found = set()
    finally:
        con.close()
    return sorted(set(keys) - found)


def latest_per_pair(decisions: pl.DataFrame) -> pl.DataFrame:
    """The last decision (in the frame's order: the order they were made) on each pair."""
    return decisions.with_row_index("_order").sort("_order").unique(
        ["record_key_l", "record_key_r"], keep="last", maintain_order=True
    ).drop("_order")


def load_decisions(path: Path) -> pl.DataFrame:
    """The current decision per pair (the latest wins), DECISION_SCHEMA columns."""
    if not path.exists() or path.stat().st_size == 0:
        return pl.DataFrame(schema=DECISION_SCHEMA)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return latest_per_pair(pl.DataFrame(rows, schema=DECISION_SCHEMA))


def live_decisions(decisions: pl.DataFrame, record_keys: pl.Series) -> pl.DataFrame:
    """The decisions both of whose records are among `record_keys` (the others
    wait: a record erased, or not delivered yet)."""
    named = pl.concat([decisions["record_key_l"], decisions["record_key_r"]]).unique().implode()
    present = record_keys.filter(record_keys.is_in(named)).implode()  # the few keys decisions name, looked up
    return decisions.filter(pl.col("record_key_l").is_in(present) & pl.col("record_key_r").is_in(present))


def decided_pair_ids(decisions: pl.DataFrame) -> pl.Series:
    """`pair_id`s (as in the review queue) of every decided pair."""
    return decisions.select(pl.concat_str(["record_key_l", "record_key_r"], separator="|").alias("pair_id"))["pair_id"]


class _UnionFind:
    def __init__(self, items: list[str]):
        self.parent = {i: i for i in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _forbidden(cannot: pl.DataFrame) -> dict[str, set[str]]:
    """Each record of a cannot-link -> the records it must stay apart from."""
    forbidden: dict[str, set[str]] = {}
    for row in cannot.iter_rows(named=True):
        forbidden.setdefault(row["record_key_l"], set()).add(row["record_key_r"])
        forbidden.setdefault(row["record_key_r"], set()).add(row["record_key_l"])
    return forbidden


def _linked_apart(
    keys: list[str], edges: list[tuple[str, str]], forbidden: dict[str, set[str]]
) -> tuple[_UnionFind, list[tuple[str, str]]]:
    """`keys` grouped by `edges` taken in order, skipping each edge that would
    put a `forbidden` pair together; the groups and the edges skipped."""
    groups = _UnionFind(keys)
    group_members = {k: {k} for k in groups.parent}
    skipped = []
    for left, right in edges:
        ra, rb = groups.find(left), groups.find(right)
        if ra == rb:
            continue
        if any(forbidden.get(k, set()) & group_members[rb] for k in group_members[ra]):
            skipped.append((left, right))  # this link would put a cannot-link pair together
            continue
        groups.union(ra, rb)
        root = groups.find(ra)
        absorbed = rb if root == ra else ra
        group_members[root] = group_members[root] | group_members.pop(absorbed)
    return groups, skipped


def apply_decisions(
    clusters: pl.DataFrame, pairs: pl.DataFrame, decisions: pl.DataFrame, *, link_threshold: float
) -> pl.DataFrame:
    """Clusters (record_key, cluster_id) with steward decisions obeyed.

    Decisions about records not in `clusters` are ignored (the record may
    have been erased or not yet delivered)."""
    if decisions.height == 0:
        return clusters
    live = live_decisions(decisions, clusters["record_key"])
    must = live.filter(pl.col("decision") == "must_link")
    cannot = live.filter(pl.col("decision") == "cannot_link")
    clusters = clusters.select("record_key", pl.col("cluster_id").cast(pl.Utf8))

    # Must-links: join the two clusters (union-find over the cluster ids they name; the others stay).
    if must.height:
        ends = with_each_side(must, clusters, cluster=pl.col("cluster_id")).select("cluster_l", "cluster_r")
        merged_ids = _UnionFind(sorted(set(ends["cluster_l"]) | set(ends["cluster_r"])))
        for left, right in ends.rows():
            merged_ids.union(left, right)
        clusters = clusters.with_columns(
            cluster_id=pl.col("cluster_id").replace({c: merged_ids.find(c) for c in merged_ids.parent})
        )

    if cannot.height == 0:
        return clusters
    ends = with_each_side(cannot, clusters, cluster=pl.col("cluster_id"))
    violated = set(ends.filter(pl.col("cluster_l") == pl.col("cluster_r"))["cluster_l"])
    if not violated:
        return clusters
    members = clusters.filter(pl.col("cluster_id").is_in(list(violated)))
    member_keys = members["record_key"].implode()
    edges = pl.concat(
        [
            links(pairs, link_threshold).filter(
                pl.col("record_key_l").is_in(member_keys) & pl.col("record_key_r").is_in(member_keys)
            ).select("record_key_l", "record_key_r", pl.col("match_probability").cast(pl.Float64)),
            must.filter(pl.col("record_key_l").is_in(member_keys) & pl.col("record_key_r").is_in(member_keys)).select(
                "record_key_l", "record_key_r", match_probability=pl.lit(2.0)  # must-links first
            ),
        ]
    ).sort(["match_probability", "record_key_l", "record_key_r"], descending=[True, False, False])
    groups, _ = _linked_apart(
        members["record_key"].to_list(), edges.select("record_key_l", "record_key_r").rows(), _forbidden(cannot)
    )
    rebuilt = pl.DataFrame(
        {
            "record_key": members["record_key"],
            "cluster_id": [f"split:{groups.find(k)}" for k in members["record_key"]],
        }
    )
    return pl.concat([clusters.filter(~pl.col("cluster_id").is_in(list(violated))), rebuilt])


@dataclass(frozen=True)
class DecidedPair:
    """One decision, as a contradiction names it: its id and its two record keys."""

    decision_id: str
    record_key_l: str
    record_key_r: str

    def masked(self) -> str:
        """`crm:******64|shop:****59 (decision 6b8da695)`: no record's id in clear."""
        return f"{mask_record_key(self.record_key_l)}|{mask_record_key(self.record_key_r)} (decision {self.decision_id[:8]})"


@dataclass(frozen=True)
class DecisionConflict:
    """A cannot-link whose two records the must-links join through others
    (`chain`, the shortest such path of must-links); `overridden`: the
    must-links of the chain a run does not apply (`apply_decisions` keeps
    the cannot-link). Decisions by id and record key only."""

    cannot_link: DecidedPair
    chain: tuple[DecidedPair, ...]
    overridden: tuple[DecidedPair, ...]

    def describe(self) -> str:
        """One line, record keys masked."""
        chain = ", ".join(m.masked() for m in self.chain)
        kept_apart = f"cannot-link {self.cannot_link.masked()} contradicts must-link(s) {chain}"
        if not self.overridden:
            return kept_apart
        return kept_apart + "; not applied: " + ", ".join(m.masked() for m in self.overridden)

    def involves(self, decision_id: str) -> bool:
        return decision_id in {self.cannot_link.decision_id, *(m.decision_id for m in self.chain)}


def _pair(row: dict) -> DecidedPair:
    return DecidedPair(row["decision_id"], row["record_key_l"], row["record_key_r"])


def _chain(adjacent: dict[str, list[tuple[str, DecidedPair]]], start: str, goal: str) -> tuple[DecidedPair, ...]:
    """The must-links of a shortest path from `start` to `goal` (breadth first)."""
    came: dict[str, tuple[str, DecidedPair] | None] = {start: None}
    frontier = [start]
    while frontier and goal not in came:
        following = []
        for key in frontier:
            for other, decision in adjacent.get(key, []):
                if other not in came:
                    came[other] = (key, decision)
                    following.append(other)
        frontier = following
    path, key = [], goal
    while came.get(key) is not None:
        key, decision = came[key]
        path.append(decision)
    return tuple(reversed(path))


def decision_conflicts(decisions: pl.DataFrame) -> list[DecisionConflict]:
    """Every cannot-link of `decisions` (the current decision per pair) whose
    two records the must-links join, directly or through other records, with
    the chain of must-links and those of it that `apply_decisions` leaves
    out, sorted by the cannot-link's record keys. Empty when the decisions
    agree."""
    must = decisions.filter(pl.col("decision") == "must_link").sort("record_key_l", "record_key_r")
    cannot = decisions.filter(pl.col("decision") == "cannot_link").sort("record_key_l", "record_key_r")
    if not must.height or not cannot.height:
        return []
    edges = [(r["record_key_l"], r["record_key_r"]) for r in must.iter_rows(named=True)]
    keys = sorted({k for edge in edges for k in edge} | set(cannot["record_key_l"]) | set(cannot["record_key_r"]))
    joined = _UnionFind(keys)
    for left, right in edges:
        joined.union(left, right)
    adjacent: dict[str, list[tuple[str, DecidedPair]]] = {}
    for row in must.iter_rows(named=True):
        adjacent.setdefault(row["record_key_l"], []).append((row["record_key_r"], _pair(row)))
        adjacent.setdefault(row["record_key_r"], []).append((row["record_key_l"], _pair(row)))
    # the must-links a run leaves out: taken in apply_decisions' order (they come before any model link)
    _, skipped = _linked_apart(keys, edges, _forbidden(cannot))
    left_out = set(skipped)
    conflicts = []
    for row in cannot.iter_rows(named=True):
        if joined.find(row["record_key_l"]) != joined.find(row["record_key_r"]):
            continue
        chain = _chain(adjacent, row["record_key_l"], row["record_key_r"])
        overridden = tuple(m for m in chain if (m.record_key_l, m.record_key_r) in left_out)
        conflicts.append(DecisionConflict(_pair(row), chain, overridden))
    return conflicts


def contradicted_by(decisions: pl.DataFrame, made: StewardDecision) -> list[DecisionConflict]:
    """The contradictions `made` brings to the current `decisions` (one per
    pair): those it takes part in once it is added (it replaces an earlier
    decision on its own pair, which is a change of mind, no contradiction)."""
    after = latest_per_pair(pl.concat([decisions, pl.DataFrame([asdict(made)], schema=DECISION_SCHEMA)], how="diagonal_relaxed"))
    return [c for c in decision_conflicts(after) if c.involves(made.decision_id)]
