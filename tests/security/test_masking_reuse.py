"""Last night's masked steward copies reused for tonight's unchanged rows:
identical files when the manifest proves them current, the whole table
masked in every other case."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from governance.masking import mask_frame
from security import masking_reuse
from security.masking_reuse import (
    MANIFEST,
    appended,
    masking_fingerprint,
    previous_copy,
    spliced,
)
from security.role_outputs import (
    review_dir,
    stage_steward_material,
    start_steward_copies,
    write_steward_material,
)
from security.settings import SecuritySettings
from warehouse import ProjectPaths, Publication
from warehouse.store import TablePatch

GOLDEN = pl.DataFrame(
    {
        "golden_id": [f"G{i:04d}" for i in range(0, 40, 2)],
        "family_name": [f"山田{i}" for i in range(20)],
        "email": [f"person{i}@example.com" for i in range(20)],
        "birth_date": [date(1980, 1, 1 + i) for i in range(20)],
        "record_count": pl.Series(range(1, 21), dtype=pl.UInt32),
        "building": [None] * 20,
    },
    schema_overrides={"building": pl.Utf8},
)
EVENTS = pl.DataFrame(
    {"event_type": ["created"] * 20, "golden_id": GOLDEN["golden_id"], "related_golden_id": [None] * 20, "run_id": ["r1"] * 20},
    schema_overrides={"related_golden_id": pl.Utf8},
)
# tonight: G0002 changed, G0010 retired, G0011 and G0099 created
TONIGHT_ROWS = pl.DataFrame(
    {
        "golden_id": ["G0099", "G0002", "G0011"],
        "family_name": ["鈴木", "佐藤", "高橋"],
        "email": ["new@example.com", None, "x@example.org"],
        "birth_date": [None, date(1990, 5, 5), date(2000, 1, 1)],
        "record_count": pl.Series([1, 2, 1], dtype=pl.UInt32),
        "building": [None, None, None],
    },
    schema_overrides={"building": pl.Null},  # as polars holds an all-null column; stored as text
)
PATCH = TablePatch("golden_id", pl.Series("golden_id", ["G0002", "G0010", "G0099", "G0011"]), TONIGHT_ROWS)
NEW_EVENTS = pl.DataFrame(
    {"golden_id": ["G0099", "G0011"], "event_type": ["created", "created"], "related_golden_id": [None, None], "run_id": ["r2", "r2"]}
)  # another column order, and an all-null column: added by name, as text


def _tonight_golden() -> pl.DataFrame:
    kept = GOLDEN.filter(~pl.col("golden_id").is_in(PATCH.keys.implode()))
    return pl.concat([kept, TONIGHT_ROWS.with_columns(pl.col("building").cast(pl.Utf8))]).sort("golden_id")


def _tonight_events() -> pl.DataFrame:
    return pl.concat([EVENTS, NEW_EVENTS.select(EVENTS.columns).with_columns(pl.col("related_golden_id").cast(pl.Utf8))])


def _store(database: Path, tables: dict[str, pl.DataFrame]) -> None:
    con = duckdb.connect(str(database))
    try:
        for name, frame in tables.items():
            con.register("incoming", frame.to_arrow())
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
    finally:
        con.close()


@pytest.fixture
def published(tmp_path: Path) -> ProjectPaths:
    """A project after last night: its warehouse and the steward's copies made from it (with their manifest)."""
    paths = ProjectPaths.of(tmp_path / "project")
    paths.warehouse_dir.mkdir(parents=True)
    _store(paths.warehouse, {"golden_records": GOLDEN, "identity_events": EVENTS})
    write_steward_material(paths, SecuritySettings())
    return paths


@pytest.fixture
def masked_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows of golden records each masking masked."""
    seen: list[int] = []

    def spy(frame: pl.DataFrame) -> pl.DataFrame:
        if "family_name" in frame.columns:
            seen.append(frame.height)
        return mask_frame(frame)

    monkeypatch.setattr(masking_reuse, "mask_frame", spy)
    return seen


def _publish_tonight(
    paths: ProjectPaths,
    settings: SecuritySettings,
    *,
    reuse: bool = True,
    events: pl.DataFrame | None = None,
    new_events: pl.DataFrame = NEW_EVENTS,
) -> set[str]:
    """Tonight's publication of the steward's copies: the warehouse (whose
    identity_events are `events`) built beside the published one, the copies
    started from the run's frames, kept when they are the built tables.
    Returns the copies started."""
    golden = _tonight_golden()
    built = paths.warehouse.with_name("next.duckdb")
    shutil.copy2(paths.warehouse, built)
    _store(built, {"golden_records": golden, "identity_events": _tonight_events() if events is None else events})
    with Publication(paths.data) as publication:
        started = start_steward_copies(
            publication,
            paths,
            settings,
            {"golden_records": golden},
            published=paths.warehouse if reuse else None,
            patches={"golden_records": PATCH},
            appends={"identity_events": new_events, "runs": pl.DataFrame({"run_id": ["r2"]})},
        )
        stage_steward_material(publication, paths, settings, database=built, frames={"golden_records": golden}, started=started)
        publication.commit()
    built.replace(paths.warehouse)  # published with the copies (a rename keeps the file's identity)
    return started


def _assert_copies_are_the_masked_tables(paths: ProjectPaths) -> None:
    folder = review_dir(paths)
    for table, want in {"golden_records": _tonight_golden(), "identity_events": _tonight_events()}.items():
        got = pl.read_parquet(folder / f"{table}.parquet")
        assert got.schema == mask_frame(want).schema and got.equals(mask_frame(want), null_equal=True), table
    assert sorted(p.name for p in folder.iterdir()) == [MANIFEST, "golden_records.parquet", "identity_events.parquet"]


def test_last_nights_copies_are_extended_by_tonights_rows(published: ProjectPaths, masked_rows: list[int]) -> None:
    _publish_tonight(published, SecuritySettings())

    _assert_copies_are_the_masked_tables(published)
    assert masked_rows == [3]  # the patch's rows only, not the 21 golden records
    # and the next night may reuse tonight's copies in turn
    folder, fingerprint = review_dir(published), masking_fingerprint(SecuritySettings())
    assert previous_copy(folder, "golden_records", published.warehouse, fingerprint) is not None
    assert previous_copy(folder, "identity_events", published.warehouse, fingerprint) is not None


def test_a_full_run_masks_whole(published: ProjectPaths, masked_rows: list[int]) -> None:
    _publish_tonight(published, SecuritySettings(), reuse=False)
    _assert_copies_are_the_masked_tables(published)
    assert masked_rows == [21]


def test_a_damaged_copy_under_its_recorded_stamp_is_masked_whole(published: ProjectPaths, masked_rows: list[int]) -> None:
    for table in ("golden_records", "identity_events"):
        copy = review_dir(published) / f"{table}.parquet"
        stamp = copy.stat()
        copy.write_bytes(b"\0" * stamp.st_size)
        os.utime(copy, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # the manifest still names it

    _publish_tonight(published, SecuritySettings())

    _assert_copies_are_the_masked_tables(published)
    assert masked_rows == [21]


def test_history_rows_of_other_columns_are_copied_from_the_warehouse(published: ProjectPaths) -> None:
    events = _tonight_events().with_columns(pl.lit(1, pl.Int64).alias("record_count"))  # the table gained a column
    new_events = NEW_EVENTS.with_columns(pl.lit(1, pl.Int64).alias("record_count"))

    started = _publish_tonight(published, SecuritySettings(), events=events, new_events=new_events)

    assert "identity_events" in started  # then found not to be the table
    got = pl.read_parquet(review_dir(published) / "identity_events.parquet")
    assert got.equals(events, null_equal=True)


def _proven(paths: ProjectPaths, settings: SecuritySettings | None = None) -> bool:
    fingerprint = masking_fingerprint(settings or SecuritySettings())
    return previous_copy(review_dir(paths), "golden_records", paths.warehouse, fingerprint) is not None


def test_the_copies_just_written_are_proven(published: ProjectPaths) -> None:
    assert _proven(published)


def test_other_security_settings_are_not_proven(published: ProjectPaths) -> None:
    assert not _proven(published, SecuritySettings.model_validate({"roles": {"steward": {"masked": False}}}))
    assert not _proven(published, SecuritySettings.model_validate({"suppression_mirror": "/var/lib/nayose/s"}))


def test_another_masking_version_is_not_proven(published: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(masking_reuse, "MASKING_VERSION", masking_reuse.MASKING_VERSION + 1)
    assert not _proven(published)


def test_a_rewritten_warehouse_is_not_proven(published: ProjectPaths) -> None:
    # an erasure or a retention sweep rewrites the warehouse (and appends its audit row)
    con = duckdb.connect(str(published.warehouse))
    try:
        con.execute("DELETE FROM golden_records WHERE golden_id = 'G0004'")
    finally:
        con.close()
    assert not _proven(published)


def test_a_missing_or_foreign_copy_is_not_proven(published: ProjectPaths) -> None:
    copy = review_dir(published) / "golden_records.parquet"
    mask_frame(GOLDEN.head(3)).write_parquet(copy)  # another file under its name
    assert not _proven(published)
    copy.unlink()
    assert not _proven(published)


@pytest.mark.parametrize("manifest", [None, "{not json", "[]", json.dumps({"format": 0})])
def test_a_missing_or_damaged_manifest_proves_nothing(published: ProjectPaths, manifest: str | None) -> None:
    path = review_dir(published) / MANIFEST
    if manifest is None:
        path.unlink()
    else:
        path.write_text(manifest)
    assert not _proven(published)


def test_a_manifest_whose_copies_are_not_a_mapping_proves_nothing(published: ProjectPaths) -> None:
    path = review_dir(published) / MANIFEST
    manifest = json.loads(path.read_text())
    path.write_text(json.dumps(manifest | {"copies": list(manifest["copies"])}))  # all else as written
    assert not _proven(published)


def test_splices_give_the_whole_tables_masked(tmp_path: Path) -> None:
    previous = tmp_path / "golden_records.parquet"
    mask_frame(GOLDEN).write_parquet(previous)
    tonight = _tonight_golden()
    copy = spliced(previous, tonight, PATCH, masked=True)
    assert copy is not None and copy.schema == mask_frame(tonight).schema
    assert copy.equals(mask_frame(tonight), null_equal=True)
    assert spliced(previous, tonight, PATCH, masked=False).equals(tonight, null_equal=True)
    # rows without a masked column, a frame in another order, a patch of another copy: not spliced
    assert spliced(previous, tonight, TablePatch("golden_id", PATCH.keys, TONIGHT_ROWS.drop("email")), True) is None
    assert spliced(previous, tonight.reverse(), PATCH, masked=True) is None
    assert spliced(previous, tonight, TablePatch("golden_id", PATCH.keys.head(1), TONIGHT_ROWS), True) is None


def test_appends_give_the_whole_tables_masked(tmp_path: Path) -> None:
    previous = tmp_path / "identity_events.parquet"
    EVENTS.write_parquet(previous)
    events = appended(previous, NEW_EVENTS, masked=True)
    assert events is not None and events.equals(_tonight_events(), null_equal=True)
    assert appended(previous, NEW_EVENTS.drop("run_id"), masked=True) is None
    assert appended(previous, NEW_EVENTS.with_columns(pl.lit(1).alias("record_count")), masked=True) is None
