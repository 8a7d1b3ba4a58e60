"""Rewriting the steward decisions for an erasure or a sweep."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.derived_copies import rewrite_steward_decisions
from governance.rewrite import RowSelection
from resolution.steward_decisions import StewardDecision, append_decision, load_decisions
from warehouse import ProjectPaths


def test_a_malformed_decision_line_is_named_and_the_file_left_as_it_was(tmp_path: Path) -> None:
    paths = ProjectPaths.of(tmp_path)
    append_decision(paths.steward_decisions, StewardDecision.make("crm:1", "pos:1", "must_link", steward="s", reason="r"))
    with open(paths.steward_decisions, "a", encoding="utf-8") as fh:
        fh.write('{"record_key_l": "crm:2", \n')  # cut off mid-write
    before = paths.steward_decisions.read_bytes()

    with pytest.raises(ValueError, match=r"steward_decisions\.jsonl line 2: not a JSON decision"):
        rewrite_steward_decisions(paths, RowSelection(record_keys=frozenset({"crm:1"})))

    assert paths.steward_decisions.read_bytes() == before


def test_only_decisions_naming_a_selected_record_leave(tmp_path: Path) -> None:
    paths = ProjectPaths.of(tmp_path)
    for left, right in (("crm:1", "pos:1"), ("crm:2", "pos:2"), ("pos:1", "shop:9")):
        append_decision(paths.steward_decisions, StewardDecision.make(left, right, "cannot_link", steward="s", reason="r"))

    outcome = rewrite_steward_decisions(paths, RowSelection(record_keys=frozenset({"pos:1"})))

    assert load_decisions(paths.steward_decisions).select("record_key_l", "record_key_r").rows() == [("crm:2", "pos:2")]
    assert outcome.rows_removed == {"data/stewardship/steward_decisions.jsonl": 2}
