"""The `privacy` section of nayose.yaml, as typed settings for governance.

Proposed shape (the config model includes `PrivacySettings` as `privacy`):

```yaml
privacy:
  purposes: [marketing_email, marketing_dm, analytics, third_party_sharing]
  allowed_sensitive_columns:          # sensitive columns are refused at ingest unless listed here
    - {source: clinic, column: allergy, purpose: "food allergy warnings on deliveries (explicit consent form 2026-04)"}
  retention:
    action: delete                    # delete | archive (archive: data/archive/ Parquet, then delete)
    sources: {pos: 1095}              # days after a record's last update (else its ingestion date)
    fields: {birth_date: 1825, phone: 730}  # days after which the field's value is cleared
```
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_PURPOSES = ("marketing_email", "marketing_dm", "analytics", "third_party_sharing")

_RETAINABLE_FIELDS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "birth_date", "gender", "email", "phone", "postal_code", "prefecture", "city", "address_line",
    "building", "country",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AllowedSensitiveColumn(_Strict):
    """One sensitive column a source may deliver, and the stated purpose it is held for."""

    source: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="the source's name")
    column: str = Field(min_length=1, description="the column name as in the export (trimmed)")
    purpose: str = Field(min_length=10, description="why it is held, in words a data subject would understand")


class RetentionSettings(_Strict):
    """How long records and field values are kept (days; absent: no limit)."""

    action: Literal["delete", "archive"] = "delete"
    sources: dict[str, int] = Field(default_factory=dict, description="source name -> days a record is kept")
    fields: dict[str, int] = Field(default_factory=dict, description="canonical field -> days its value is kept")

    @field_validator("sources", "fields")
    @classmethod
    def _positive(cls, days: dict[str, int]) -> dict[str, int]:
        bad = [k for k, v in days.items() if v <= 0]
        if bad:
            raise ValueError(f"retention days must be positive; not for {bad}")
        return days

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: dict[str, int]) -> dict[str, int]:
        unknown = [k for k in fields if k not in _RETAINABLE_FIELDS and not k.startswith("consent_")]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; allowed: {', '.join(_RETAINABLE_FIELDS)}")
        return fields


class PrivacySettings(_Strict):
    """Purposes of processing, sensitive columns allowed, retention."""

    purposes: list[str] = Field(default_factory=lambda: list(DEFAULT_PURPOSES))
    allowed_sensitive_columns: list[AllowedSensitiveColumn] = Field(default_factory=list)
    retention: RetentionSettings = RetentionSettings()

    @field_validator("purposes")
    @classmethod
    def _snake_case(cls, purposes: list[str]) -> list[str]:
        bad = [p for p in purposes if not p.replace("_", "a").isalnum() or not p[:1].isalpha() or p != p.lower()]
        if bad:
            raise ValueError(f"purposes must be snake_case names; not {bad}")
        return purposes

    @model_validator(mode="after")
    def _unique_allowances(self) -> "PrivacySettings":
        keys = [(a.source, a.column) for a in self.allowed_sensitive_columns]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"allowed_sensitive_columns repeats (source, column) {repeated}")
        return self

    def allowed_columns(self, source: str) -> set[str]:
        """Columns of `source` that are allowed despite looking sensitive."""
        return {a.column for a in self.allowed_sensitive_columns if a.source == source}

    def unknown_sources(self, source_names: list[str]) -> list[str]:
        """Source names used here that nayose.yaml does not define (for the config's cross-check)."""
        used = [a.source for a in self.allowed_sensitive_columns] + list(self.retention.sources)
        return sorted({s for s in used if s not in source_names})
