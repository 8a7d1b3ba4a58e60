"""Copies made from the warehouse for other readers, which an erasure or a
retention sweep must reach as well as the warehouse itself.

- The steward's review material (`data/review/*.parquet`, masked copies of
  warehouse tables): written again from the rewritten warehouse, so it holds
  no row the warehouse lost (a masked row still names the golden id, record
  keys, city, prefecture and consent).
- The review comparison viewer (`data/reports/review_comparison_viewer.html`):
  Splink's page shows the review pairs' values unmasked. It is removed; the
  next nightly run writes it again from what is left.
- The steward decisions (`data/stewardship/steward_decisions.jsonl`): the
  decisions on a pair with a removed record leave the file. Otherwise the next
  run would load them into the warehouse again, with their record keys and
  the steward's free-text reason.
"""

from __future__ import annotations

import json
from pathlib import Path

from governance.rewrite import RewriteOutcome, RowSelection
from security.file_modes import secure_tree
from security.role_outputs import write_steward_material
from security.settings import SecuritySettings
from warehouse import ProjectPaths, write_text_atomically


def remove_review_viewer(paths: ProjectPaths) -> RewriteOutcome:
    """Delete the review comparison viewer, if there is one."""
    outcome = RewriteOutcome()
    if paths.review_viewer.exists():
        paths.review_viewer.unlink()
        outcome.notes.append(f"{paths.display(paths.review_viewer)} removed: the next run writes it again")
    return outcome


def _decisions(paths: ProjectPaths) -> list[tuple[str, dict | None]]:
    """Each line of the decisions file with its decision (None for a blank line)."""
    path = paths.steward_decisions
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True) if path.exists() else []
    read = []
    for number, line in enumerate(lines, 1):
        try:
            read.append((line, json.loads(line) if line.strip() else None))
        except json.JSONDecodeError:
            raise ValueError(
                f"{paths.display(path)} line {number}: not a JSON decision; mend or remove the line, then run again"
            ) from None
    return read


def _names_a_selected_record(decision: dict | None, selection: RowSelection) -> bool:
    return decision is not None and bool({decision.get("record_key_l"), decision.get("record_key_r")} & selection.record_keys)


def steward_decisions_naming(paths: ProjectPaths, selection: RowSelection) -> list[dict]:
    """The decisions of the decisions file on a pair with a selected record
    (what an erasure removes from it, for an access export)."""
    return [d for _line, d in _decisions(paths) if _names_a_selected_record(d, selection)]


def rewrite_steward_decisions(paths: ProjectPaths, selection: RowSelection) -> RewriteOutcome:
    """The decisions file without the decisions naming a selected record key
    (rewritten atomically; left as it is when none does)."""
    outcome = RewriteOutcome()
    path = paths.steward_decisions
    if not path.exists() or not selection.record_keys:
        return outcome
    lines = _decisions(paths)
    kept = [line for line, decision in lines if not _names_a_selected_record(decision, selection)]
    if len(kept) < len(lines):
        write_text_atomically("".join(kept), path)
        outcome.rows_removed[paths.display(path)] = len(lines) - len(kept)
        outcome.files_rewritten.append(paths.display(path))
    return outcome


def rewrite_steward_material(
    paths: ProjectPaths, settings: SecuritySettings, *, database: Path | None = None
) -> RewriteOutcome:
    """The steward's review material written again from the rewritten
    warehouse (`database`: the new file before it is swapped in; default the
    published one), with its modes and groups."""
    outcome = RewriteOutcome()
    written = write_steward_material(paths, settings, database=database)
    secure_tree(paths, settings)
    outcome.files_rewritten += [paths.display(path) for path in written]
    return outcome
