"""Masking personal values before anyone but the privacy officer sees them."""

from __future__ import annotations

import resource
import subprocess
import sys
from datetime import date

import polars as pl
import pytest

from governance.masking import mask_email, mask_frame, mask_phone, mask_text


def _one(expr_of, value, dtype=pl.Utf8):
    return pl.DataFrame({"v": [value]}, schema={"v": dtype}).select(expr_of(pl.col("v")).alias("v"))["v"].item()


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("taro@example.com", "t***@example.com"),
        ("TARO.YAMADA@Example.co.jp", "T***@Example.co.jp"),
        ("山田@例え.jp", "山***@例え.jp"),
        ("not-an-email", "n***********"),
        (None, None),
    ],
)
def test_mask_email(value, masked):
    assert _one(mask_email, value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+819012345678", "*******78"),
        ("090-1234-5678", "*******78"),
        ("5", "*******5"),
        (None, None),
    ],
)
def test_mask_phone(value, masked):
    assert _one(mask_phone, value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("山田", "山***"),  # at least three stars, whatever the length
        ("ヤマダタロウ", "ヤ*****"),
        (None, None),
    ],
)
def test_mask_text(value, masked):
    assert _one(mask_text, value) == masked


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))


def test_mask_text_of_empty_text():
    # Run in a child with capped memory: the bug would otherwise take the test run down with it.
    code = (
        "import polars as pl; from governance.masking import mask_text; "
        "print(pl.DataFrame({'v': ['']}).select(mask_text(pl.col('v')).alias('v'))['v'].item())"
    )
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory
    )
    assert child.returncode == 0
    assert child.stdout.strip() == "***"


PEOPLE = pl.DataFrame(
    {
        "record_key": ["crm:1", "crm:2"],
        "source_system": ["crm", "crm"],
        "family_name": ["山田", None],
        "std_full_name": ["山田太郎", None],
        "std_full_kana": ["ヤマダタロウ", None],
        "email": ["taro@example.com", None],
        "std_email": ["taro@example.com", None],
        "std_email_local": ["taro", None],
        "phone": ["090-1234-5678", None],
        "std_phone": ["+819012345678", None],
        "std_birth_date": [date(1980, 3, 1), None],
        "postal_code": ["100-0001", None],
        "std_address": ["千代田1-2-3", None],
        "building": ["千代田ビル101", None],
        "std_phone_type": ["mobile", None],
        "std_gender": ["M", None],
        "prefecture": ["東京都", None],
        "city": ["千代田区", None],
        "std_country": ["JP", None],
        "record_count": [3, None],
    }
)

MASKED = {
    "family_name": "山***",
    "std_full_name": "山***",
    "std_full_kana": "ヤ*****",
    "email": "t***@example.com",
    "std_email": "t***@example.com",
    "std_email_local": "t***",
    "phone": "*******78",
    "std_phone": "*******78",
    "std_birth_date": "1*********",
    "postal_code": "1*******",
    "std_address": "千*******",
    "building": "千*******",
}


def test_mask_frame_masks_personal_columns_only():
    masked = mask_frame(PEOPLE)

    assert masked.columns == PEOPLE.columns
    assert {c: masked[c][0] for c in MASKED} == MASKED
    untouched = [c for c in PEOPLE.columns if c not in MASKED]
    assert masked.select(untouched).equals(PEOPLE.select(untouched))


def test_mask_frame_keeps_nulls_null():
    masked = mask_frame(PEOPLE)
    assert masked.row(1) == PEOPLE.row(1)


def test_mask_frame_leaves_no_personal_value_visible():
    masked = mask_frame(PEOPLE)
    shown = " ".join(str(v) for v in masked.row(0))
    for secret in ("山田太郎", "taro@", "12345678", "1980-03-01", "100-0001", "1-2-3", "ビル101"):
        assert secret not in shown


def test_mask_frame_without_personal_columns_is_unchanged():
    frame = pl.DataFrame({"record_key": ["crm:1"], "rule": ["most_recent"]})
    assert mask_frame(frame).equals(frame)
