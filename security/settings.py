"""The `security` section of nayose.yaml, as typed settings.

```yaml
security:
  roles:                      # each role: what it may read; unset keys keep the defaults below
    analyst:         {group: analysts}            # data/extracts/** only, extract columns only
    steward:         {group: stewards, masked: true}
    privacy_officer: {}                           # everything (the service account, or a member of every group)
  encryption:
    enabled: true
    key_env: NAYOSE_PARQUET_KEY                   # or key_file: /etc/nayose/parquet.key (outside the project)
  suppression_mirror: /var/lib/nayose/suppression # a copy of the suppression list outside the project dir
```

Paths are patterns relative to the project directory (fnmatch: `*` also
crosses folders). A file is readable by the roles whose patterns match it;
on disk it gets the group of the least-privileged such role that names one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ROLE_NAMES = ("analyst", "steward", "privacy_officer")
"""Roles from least to most privileged (a file shared by several gets the first one's group)."""

PERSONAL_COLUMNS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "email", "phone", "postal_code", "address_line", "building", "city", "national_id",
)
"""Golden columns encrypted at rest by default (the direct identifiers of governance.extracts, minus golden_id)."""

ANALYST_COLUMNS = ("pseudonym", "birth_year", "prefecture", "gender", "country", "record_count", "source_systems", "updated_year")
"""The purpose-limited extract's columns (governance.extracts.EXTRACT_COLUMNS)."""

STEWARD_TABLES = ("review_queue", "quarantine", "quality_scores", "identity_events", "golden_records")

_DEFAULT_ROLES: dict[str, dict[str, Any]] = {
    "analyst": {"paths": ["data/extracts/*"], "tables": [], "columns": list(ANALYST_COLUMNS), "masked": False},
    "steward": {
        "paths": ["data/reports/*", "data/review/*", "data/stewardship/*"],
        "tables": list(STEWARD_TABLES),
        "columns": None,
        "masked": True,
    },
    "privacy_officer": {"paths": ["*"], "tables": ["*"], "columns": None, "masked": False},
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleSettings(_Strict):
    """What one role may read and which Unix group carries that right."""

    paths: list[str] = Field(description="file patterns relative to the project dir that the role may read")
    tables: list[str] = Field(default_factory=list, description="warehouse tables whose material the role receives ('*': all)")
    columns: list[str] | None = Field(None, description="allow-list of columns in the role's files (None: any)")
    masked: bool = Field(False, description="personal values in the role's material are masked")
    group: str | None = Field(None, pattern=r"^[a-z_][a-z0-9_.-]*\$?$", description="Unix group whose members hold the role")


class Roles(_Strict):
    """The three roles; a role given in nayose.yaml overrides only the keys it names."""

    analyst: RoleSettings
    steward: RoleSettings
    privacy_officer: RoleSettings

    @model_validator(mode="before")
    @classmethod
    def _over_defaults(cls, given: Any) -> Any:
        given = dict(given or {})
        unknown = [k for k in given if k not in ROLE_NAMES]
        if unknown:
            raise ValueError(f"unknown role(s) {unknown}; roles are {', '.join(ROLE_NAMES)}")
        merged = {}
        for name in ROLE_NAMES:
            value = given.get(name) or {}
            merged[name] = value if isinstance(value, RoleSettings) else {**_DEFAULT_ROLES[name], **dict(value)}
        return merged

    def items(self) -> list[tuple[str, RoleSettings]]:
        """(name, settings) from least to most privileged."""
        return [(name, getattr(self, name)) for name in ROLE_NAMES]


class EncryptionSettings(_Strict):
    """Parquet modular encryption of the golden records' personal columns."""

    enabled: bool = False
    key_env: str = Field("NAYOSE_PARQUET_KEY", pattern=r"^[A-Z_][A-Z0-9_]*$")
    key_file: str | None = Field(None, description="file holding the key (outside the project dir, mode 0600)")
    columns: list[str] = Field(default_factory=lambda: list(PERSONAL_COLUMNS))
    plaintext_footer: bool = Field(
        True, description="keep the footer readable so readers without the key can read the other columns"
    )

    @field_validator("columns")
    @classmethod
    def _some(cls, columns: list[str]) -> list[str]:
        if not columns:
            raise ValueError("encryption.columns is empty: list the personal columns to encrypt")
        return columns


class SecuritySettings(_Strict):
    """Roles, encryption at rest, and where the suppression list is mirrored."""

    roles: Roles = Field(default_factory=lambda: Roles())
    encryption: EncryptionSettings = EncryptionSettings()
    suppression_mirror: str | None = Field(
        None, description="absolute folder outside the project that keeps a copy of the suppression list"
    )
