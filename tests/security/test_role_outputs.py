"""The steward's material: masked copies of warehouse tables, optionally from
frames the caller already holds instead of a read of the warehouse."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from governance.masking import mask_frame
from security import role_outputs
from security.file_modes import restrictive_umask
from security.masking_reuse import MANIFEST
from security.role_outputs import (
    review_dir,
    stage_steward_material,
    start_steward_copies,
    write_steward_material,
)
from security.settings import SecuritySettings
from warehouse import ProjectPaths, Publication, read_table

GOLDEN = pl.DataFrame(
    {
        "golden_id": ["g1", "g2", "g3"],
        "family_name": ["山田", None, ""],
        "full_name_kana": ["ヤマダタロウ", "スズキ", None],
        "birth_date": [date(1980, 3, 1), None, date(2001, 12, 31)],
        "email": ["taro@example.com", None, "no-at-sign"],
        "phone": ["090-1234-5678", None, "5"],
        "record_count": pl.Series([3, 1, 2], dtype=pl.UInt32),
        "consent_marketing_email": [True, None, False],
        "consent_marketing_email_at": [datetime(2026, 11, 25, 10, 0), None, datetime(2026, 1, 1)],
        "building": [None, None, None],  # all null: text in the warehouse
    },
    schema_overrides={"building": pl.Utf8},
)
REVIEW_QUEUE = pl.DataFrame(
    {"pair_id": ["p1"], "std_family_name_l": ["山田"], "std_family_name_r": ["山本"], "match_probability": [0.7]}
)
EVENTS = pl.DataFrame({"event_type": ["created", "created", "merged"], "golden_id": ["g1", "g2", "g3"], "run_id": ["r1", "r1", "r2"]})


def _project(tmp_path: Path) -> ProjectPaths:
    """A project whose published warehouse holds golden_records, review_queue and
    identity_events (no quarantine, no quality_scores)."""
    paths = ProjectPaths.of(tmp_path / "project")
    paths.warehouse_dir.mkdir(parents=True)
    con = duckdb.connect(str(paths.warehouse))
    try:
        for name, frame in {"golden_records": GOLDEN, "review_queue": REVIEW_QUEUE, "identity_events": EVENTS}.items():
            con.register("incoming", frame.to_arrow())
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
    finally:
        con.close()
    return paths


def _reference(paths: ProjectPaths, settings: SecuritySettings) -> dict[str, pl.DataFrame]:
    """What the steward's files held before `frames`: each table read back, masked."""
    return {
        t: mask_frame(frame)
        for t in settings.roles.steward.tables
        if t != "*" and (frame := read_table(paths.warehouse, t)) is not None
    }


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables write_steward_material reads from the warehouse."""
    seen: list[str] = []
    original = role_outputs.fetch_table

    def spy(con, table):
        seen.append(table)
        return original(con, table)

    monkeypatch.setattr(role_outputs, "fetch_table", spy)
    return seen


def test_without_frames_every_table_is_read_masked_and_private(tmp_path: Path, reads: list[str]) -> None:
    paths = _project(tmp_path)
    settings = SecuritySettings()
    folder = review_dir(paths)
    folder.mkdir(parents=True)
    (folder / "quarantine.parquet").write_bytes(b"stale")  # the warehouse no longer has it
    (folder / "old_table.parquet").write_bytes(b"stale")  # no longer listed

    with restrictive_umask():
        written = write_steward_material(paths, settings)

    # in the order of roles.steward.tables; quarantine and quality_scores are not in the warehouse
    assert [p.name for p in written] == ["review_queue.parquet", "identity_events.parquet", "golden_records.parquet"]
    assert sorted(p.name for p in folder.iterdir() if p.name != MANIFEST) == sorted(p.name for p in written)
    assert sorted(reads) == ["golden_records", "identity_events", "review_queue"]
    for table, want in _reference(paths, settings).items():
        target = folder / f"{table}.parquet"
        got = pl.read_parquet(target)
        assert got.schema == want.schema and got.equals(want, null_equal=True)
        assert pq.read_schema(target).equals(want.to_arrow().schema)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    golden = pl.read_parquet(folder / "golden_records.parquet")
    assert golden["email"].to_list() == ["t***@e******.com", None, "n*********"]  # not a public provider: masked
    assert golden["family_name"].to_list() == ["山***", None, "***"]


def test_frames_are_written_instead_of_a_warehouse_read(tmp_path: Path, reads: list[str]) -> None:
    paths = _project(tmp_path)
    settings = SecuritySettings()
    reference = _reference(paths, settings)
    # the same rows in another order (as the run holds them), and a column polars holds as Null
    golden = GOLDEN.reverse().with_columns(pl.lit(None).alias("building"))
    assert golden.schema["building"] == pl.Null

    with restrictive_umask():
        written = write_steward_material(
            paths, settings, frames={"golden_records": golden, "review_queue": REVIEW_QUEUE}
        )

    assert reads == ["identity_events"]  # only the table not given is read
    target = review_dir(paths) / "golden_records.parquet"
    got = pl.read_parquet(target)
    assert got.equals(mask_frame(GOLDEN.reverse()), null_equal=True)  # the frame's rows, in its order
    assert got.sort("golden_id").equals(reference["golden_records"].sort("golden_id"), null_equal=True)
    assert pq.read_schema(target).equals(reference["golden_records"].to_arrow().schema)  # Null written as text, as read
    assert pl.read_parquet(review_dir(paths) / "review_queue.parquet").equals(reference["review_queue"])
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)


def test_a_frame_that_is_not_the_published_table_is_not_used(tmp_path: Path, reads: list[str]) -> None:
    paths = _project(tmp_path)
    settings = SecuritySettings()
    reference = _reference(paths, settings)
    frames = {
        "identity_events": EVENTS.tail(1),  # a history table's new rows alone
        "golden_records": GOLDEN.with_columns(pl.col("record_count").cast(pl.Int64)),  # other types
        "review_queue": REVIEW_QUEUE.select(reversed(REVIEW_QUEUE.columns)),  # other column order
    }

    write_steward_material(paths, settings, frames=frames)

    assert sorted(reads) == ["golden_records", "identity_events", "review_queue"]
    for table, want in reference.items():
        assert pl.read_parquet(review_dir(paths) / f"{table}.parquet").equals(want, null_equal=True)


def test_copies_started_before_the_warehouse_is_built_are_kept_only_when_their_frame_is_the_table(
    tmp_path: Path, reads: list[str]
) -> None:
    paths = _project(tmp_path)
    settings = SecuritySettings()
    reference = _reference(paths, settings)
    frames = {
        "golden_records": GOLDEN.reverse().with_columns(pl.lit(None).alias("building")),  # the table: kept
        "review_queue": REVIEW_QUEUE.select(reversed(REVIEW_QUEUE.columns)),  # not the table: its copy instead
        "quarantine": pl.DataFrame({"record_key": ["k1"]}),  # no such table: no file
    }

    with restrictive_umask(), Publication(paths.data) as publication:
        started = start_steward_copies(publication, paths, settings, frames)
        written = stage_steward_material(
            publication, paths, settings, database=paths.warehouse, frames=frames, started=started
        )
        publication.commit()

    assert started == {"golden_records", "review_queue", "quarantine"}
    assert sorted(reads) == ["identity_events", "review_queue"]
    assert [p.name for p in written] == ["review_queue.parquet", "identity_events.parquet", "golden_records.parquet"]
    folder = review_dir(paths)
    assert sorted(p.name for p in folder.iterdir() if p.name != MANIFEST) == sorted(p.name for p in written)  # nor a temporary file
    assert pl.read_parquet(folder / "golden_records.parquet").equals(mask_frame(GOLDEN.reverse()), null_equal=True)
    assert pq.read_schema(folder / "golden_records.parquet").equals(reference["golden_records"].to_arrow().schema)
    assert pl.read_parquet(folder / "review_queue.parquet").equals(reference["review_queue"])
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)


def test_frames_without_a_warehouse_write_nothing(tmp_path: Path) -> None:
    paths = ProjectPaths.of(tmp_path / "project")
    assert write_steward_material(paths, SecuritySettings(), frames={"golden_records": GOLDEN}) == []
    assert not review_dir(paths).exists()


def test_unmasked_steward_material_is_the_table_as_published(tmp_path: Path) -> None:
    paths = _project(tmp_path)
    settings = SecuritySettings.model_validate({"roles": {"steward": {"masked": False}}})
    held = GOLDEN.with_columns(pl.lit(None).alias("building"))  # polars' Null type, stored as text
    write_steward_material(paths, settings, frames={"golden_records": held})
    target = review_dir(paths) / "golden_records.parquet"
    assert pl.read_parquet(target).equals(GOLDEN, null_equal=True)
    assert pq.read_schema(target).equals(read_table(paths.warehouse, "golden_records").to_arrow().schema)

