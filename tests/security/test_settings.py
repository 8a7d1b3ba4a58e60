from __future__ import annotations

import pytest
from pydantic import ValidationError

from governance.extracts import DIRECT_IDENTIFIERS, EXTRACT_COLUMNS
from security.settings import ANALYST_COLUMNS, PERSONAL_COLUMNS, SecuritySettings


def test_defaults_give_each_role_its_material() -> None:
    s = SecuritySettings()
    assert s.roles.analyst.paths == ["data/extracts/*"] and s.roles.analyst.columns == list(EXTRACT_COLUMNS)
    assert s.roles.steward.masked and "review_queue" in s.roles.steward.tables
    assert s.roles.privacy_officer.paths == ["*"]
    assert not s.encryption.enabled and s.encryption.key_env == "NAYOSE_PARQUET_KEY"


def test_a_role_given_overrides_only_its_keys() -> None:
    s = SecuritySettings.model_validate({"roles": {"analyst": {"group": "analysts"}}, "encryption": {"enabled": True}})
    assert s.roles.analyst.group == "analysts" and s.roles.analyst.paths == ["data/extracts/*"]
    assert s.roles.steward.masked


def test_unknown_role_and_empty_columns_are_refused() -> None:
    with pytest.raises(ValidationError, match="unknown role"):
        SecuritySettings.model_validate({"roles": {"auditor": {}}})
    with pytest.raises(ValidationError, match="columns is empty"):
        SecuritySettings.model_validate({"encryption": {"columns": []}})


def test_column_lists_agree_with_governance() -> None:
    assert ANALYST_COLUMNS == EXTRACT_COLUMNS
    assert set(PERSONAL_COLUMNS) == set(DIRECT_IDENTIFIERS) - {"golden_id"}
