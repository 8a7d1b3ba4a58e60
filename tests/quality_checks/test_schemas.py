import datetime as dt

import polars as pl
import pytest

from quality_checks.schemas import (
    FrameContractError,
    MappedRecordSchema,
    StandardizedRecordSchema,
    failure_rows,
)


def _mapped(**columns: list) -> pl.DataFrame:
    n = len(next(iter(columns.values())))
    base = {
        "record_key": [f"crm:{i}" for i in range(n)],
        "source_system": ["crm"] * n,
        "source_record_id": [str(i) for i in range(n)],
        "source_file": ["data/raw/crm.csv"] * n,
        "source_row": list(range(1, n + 1)),
        "file_hash": ["ab" * 32] * n,
    }
    return pl.DataFrame({**base, **columns}, schema_overrides={"source_row": pl.Int64})


def test_mapped_failures_are_named_rules_without_values():
    frame = _mapped(
        family_name=["山田", "Ta\x00naka", "x" * 101, None],
        email=["taro@example.jp", "not-an-address", None, None],
        phone=[None, None, "0312345678", None],
    )
    rows = failure_rows(MappedRecordSchema, frame)
    assert rows.columns == ["row_index", "field", "rule"]
    found = set(rows.iter_rows())
    assert (1, "family_name", "no_control_characters") in found
    assert (1, "email", "email_shape") in found
    assert (2, "family_name", "max_length") in found
    assert (3, None, "identifying_field_present") in found
    assert 0 not in rows.get_column("row_index").to_list()
    # every rule name is a method of the schema class, so a steward finds it there
    assert all(hasattr(MappedRecordSchema, rule) for rule in rows.get_column("rule"))


def test_full_width_email_passes_the_loose_mapped_check():
    frame = _mapped(email=["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "a.b.@docomo.ne.jp"])
    assert failure_rows(MappedRecordSchema, frame).height == 0


def test_missing_lineage_column_is_a_contract_error():
    with pytest.raises(FrameContractError, match="file_hash"):
        failure_rows(MappedRecordSchema, _mapped(email=["a@b.jp"]).drop("file_hash"))


def test_standardized_rules():
    frame = pl.DataFrame(
        {
            "record_key": ["a:1", "a:2", "a:3"],
            "source_system": ["a"] * 3,
            "std_email": ["taro@example.jp", "taro example.jp", None],
            "std_phone": ["+819012345678", "09012345678", None],
            "std_country": ["JP", "JP", "US"],
            "std_postal_code": ["1000001", "100-0001", "94105"],
            "std_birth_date": [dt.date(1980, 1, 2), dt.date(1899, 12, 31), None],
        }
    )
    found = set(failure_rows(StandardizedRecordSchema, frame).iter_rows())
    assert found == {
        (1, "std_email", "email_format"),
        (1, "std_email", "no_spaces"),
        (1, "std_phone", "e164_format"),
        (1, "std_postal_code", "jp_postal_code_format"),
        (1, "std_birth_date", "birth_date_in_range"),
    }


def test_a_frame_that_passes_is_judged_without_pandera(monkeypatch):
    """A clean frame is answered by one pass over all the checks (pandera's own run costs 3x as much);
    pandera still runs for a frame that fails, so its failure cases stay the report."""
    clean = _mapped(family_name=["山田", None], email=["taro@example.jp", None], phone=[None, "0312345678"])
    failing = _mapped(family_name=["山田", "Ta\x00naka"], email=["taro@example.jp", None])

    def refused(*_args, **_kwargs):
        raise AssertionError("pandera ran on a frame that passes")

    with monkeypatch.context() as patched:
        patched.setattr(MappedRecordSchema, "validate", refused)
        assert failure_rows(MappedRecordSchema, clean).height == 0
    assert set(failure_rows(MappedRecordSchema, failing).iter_rows()) == {(1, "family_name", "no_control_characters")}


@pytest.mark.parametrize(
    "breach",
    [
        lambda f: f.drop("file_hash"),  # a required column missing
        lambda f: f.with_columns(pl.col("source_row").cast(pl.Int32)),  # a column of another dtype
        lambda f: f.with_columns(email=pl.lit("not-an-address")),  # a column check
        lambda f: f.with_columns(family_name=pl.lit(None, pl.String)),  # a frame check: nobody identifiable
    ],
)
def test_the_one_pass_sends_every_kind_of_breach_to_pandera(breach):
    from quality_checks.schemas import _passes_every_check

    frame = _mapped(family_name=["山田", "田中"], email=["taro@example.jp", None])
    assert _passes_every_check(MappedRecordSchema, frame)
    assert not _passes_every_check(MappedRecordSchema, breach(frame))


def test_a_null_key_of_the_standardized_frame_is_a_breach():
    from quality_checks.schemas import _passes_every_check

    frame = pl.DataFrame({"record_key": ["a:1", None], "source_system": ["a", "a"], "std_gender": ["F", None]})
    assert _passes_every_check(StandardizedRecordSchema, frame.head(1))
    assert not _passes_every_check(StandardizedRecordSchema, frame)
    assert (1, "record_key", "not_nullable") in set(failure_rows(StandardizedRecordSchema, frame).iter_rows())


def test_a_nan_in_a_non_nullable_float_column_is_a_breach_as_pandera_has_it():
    import pandera.polars as pa

    from quality_checks.schemas import _passes_every_check

    class Measured(pa.DataFrameModel):
        weight: float = pa.Field(nullable=False)

    frame = pl.DataFrame({"weight": [61.5, float("nan")]})
    assert _passes_every_check(Measured, frame.head(1))
    assert not _passes_every_check(Measured, frame)
    with pytest.raises(pa.errors.SchemaErrors):
        Measured.validate(frame, lazy=True)


def test_a_schema_asking_for_unique_values_is_judged_by_pandera():
    """The one pass does not judge uniqueness (nor strictness, order, coercion):
    such a schema's duplicates must still be failure rows."""
    import pandera.polars as pa

    from quality_checks.schemas import _passes_every_check

    class Keyed(pa.DataFrameModel):
        record_key: str = pa.Field(nullable=False, unique=True)

    frame = pl.DataFrame({"record_key": ["a:1", "a:1"]})
    assert not _passes_every_check(Keyed, frame)
    assert failure_rows(Keyed, frame).height
