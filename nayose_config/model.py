"""The one typed model of `nayose.yaml`.

Every other module receives these objects, never raw dicts. Validation
errors name the key path and what is wrong (see `loading.load_config`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from governance.settings import PrivacySettings
from security.settings import SecuritySettings

CANONICAL_FIELDS: tuple[str, ...] = (
    "family_name",
    "given_name",
    "full_name",
    "family_name_kana",
    "given_name_kana",
    "full_name_kana",
    "birth_date",
    "gender",
    "email",
    "phone",
    "postal_code",
    "prefecture",
    "city",
    "address_line",
    "building",
    "country",
    "updated_at",
    "national_id",
    "national_id_type",
)
"""Canonical customer fields a source may map (any subset). Consent fields are
`consent_<purpose>` and `consent_<purpose>_at`, with purposes from `privacy.purposes`."""

NAME_FIELDS = ("family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana")
IDENTIFYING_FIELDS = NAME_FIELDS + ("email", "phone")

SURVIVORSHIP_RULES = ("source_priority", "most_recent", "most_complete", "most_frequent", "longest")
SurvivorshipRule = Literal["source_priority", "most_recent", "most_complete", "most_frequent", "longest"]

SourceEncoding = Literal[
    "utf-8", "utf-8-sig", "cp932", "euc-jp", "utf-16", "cp1252", "latin-1",
    "iso-8859-15", "cp1250", "iso-8859-2", "cp1251", "iso-8859-5", "koi8-r", "koi8-u",
    "cp1253", "iso-8859-7", "cp1254", "iso-8859-9", "cp1257", "iso-8859-13",
    "cp949", "gb18030", "cp950", "big5hkscs", "cp874", "cp1255", "iso-8859-8", "cp1256", "iso-8859-6",
    "cp1258", "cp437", "cp850", "cp852", "cp857", "cp866", "mac-roman",
]  # fmt: skip
SOURCE_ENCODINGS: tuple[str, ...] = get_args(SourceEncoding)
"""Encodings an export may declare: UTF-8 (with or without a BOM), Shift_JIS as
Windows writes it (cp932), EUC-JP as Unix systems write it (NEC's special
characters included), UTF-16 as Excel saves "Unicode text" (either byte order),
and the European code pages a Windows Excel (cp125x) or an older system
(ISO-8859-x, KOI8) saves CSV in: Western (cp1252, latin-1, ISO-8859-15),
Central European (cp1250, ISO-8859-2), Cyrillic (cp1251, ISO-8859-5, KOI8-R,
KOI8-U), Greek (cp1253, ISO-8859-7), Turkish (cp1254, ISO-8859-9) and Baltic
(cp1257, ISO-8859-13); and the East Asian, Thai, Hebrew and Arabic code pages:
Korean as Windows writes it (cp949, Unified Hangul Code, a superset of
EUC-KR), simplified Chinese (GB18030, a superset of GBK and GB2312),
traditional Chinese (cp950, Windows' Big5; Big5-HKSCS for Hong Kong's own
characters), Thai (cp874, a superset of TIS-620), Hebrew (cp1255, ISO-8859-8),
Arabic (cp1256, ISO-8859-6) and Vietnamese (cp1258); and what Excel's other
CSV formats write: "CSV (MS-DOS)" in the DOS (OEM) code page of the
Windows' language (cp437 US, cp850 Western European, cp852 Central European,
cp857 Turkish, cp866 Cyrillic), "CSV (Macintosh)" in Mac OS Roman."""

ENCODING_NAMES: dict[str, str] = {
    "utf8": "utf-8", "utf-8-bom": "utf-8-sig", "utf8-sig": "utf-8-sig", "utf-8-sig": "utf-8-sig",
    "shift-jis": "cp932", "shiftjis": "cp932", "sjis": "cp932", "s-jis": "cp932", "ms932": "cp932",
    "windows-31j": "cp932", "cp-932": "cp932", "eucjp": "euc-jp", "euc-jp-ms": "euc-jp", "ujis": "euc-jp",
    "utf16": "utf-16", "utf-16le": "utf-16", "utf-16-le": "utf-16", "utf-16be": "utf-16", "utf-16-be": "utf-16",
    "unicode": "utf-16", "windows-1252": "cp1252", "win-1252": "cp1252", "cp-1252": "cp1252", "ansi": "cp1252",
    "latin1": "latin-1", "iso-8859-1": "latin-1", "iso8859-1": "latin-1", "l1": "latin-1",
    "latin9": "iso-8859-15", "latin-9": "iso-8859-15", "iso8859-15": "iso-8859-15",
    "windows-1250": "cp1250", "latin2": "iso-8859-2", "latin-2": "iso-8859-2", "iso8859-2": "iso-8859-2",
    "windows-1251": "cp1251", "cyrillic": "iso-8859-5", "iso8859-5": "iso-8859-5", "koi8r": "koi8-r", "koi8u": "koi8-u",
    "windows-1253": "cp1253", "greek": "iso-8859-7", "iso8859-7": "iso-8859-7",
    "windows-1254": "cp1254", "latin5": "iso-8859-9", "latin-5": "iso-8859-9", "iso8859-9": "iso-8859-9",
    "windows-1257": "cp1257", "latin7": "iso-8859-13", "latin-7": "iso-8859-13", "iso8859-13": "iso-8859-13",
    "euc-kr": "cp949", "euckr": "cp949", "uhc": "cp949", "ms949": "cp949", "windows-949": "cp949", "cp-949": "cp949",
    "ks-c-5601-1987": "cp949", "ks-c-5601": "cp949", "ksc5601": "cp949", "korean": "cp949",
    "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "windows-936": "gb18030",
    "gb-18030": "gb18030", "euc-cn": "gb18030", "euccn": "gb18030", "gb-2312": "gb18030",
    "big5": "cp950", "big-5": "cp950", "ms950": "cp950", "windows-950": "cp950", "cp-950": "cp950",
    "big5-hkscs": "big5hkscs", "hkscs": "big5hkscs",
    "tis-620": "cp874", "tis620": "cp874", "iso-8859-11": "cp874", "iso8859-11": "cp874", "windows-874": "cp874",
    "thai": "cp874", "windows-1255": "cp1255", "hebrew": "iso-8859-8", "iso8859-8": "iso-8859-8",
    "windows-1256": "cp1256", "arabic": "iso-8859-6", "iso8859-6": "iso-8859-6", "windows-1258": "cp1258",
    "ibm437": "cp437", "ibm850": "cp850", "ibm852": "cp852", "ibm857": "cp857", "ibm866": "cp866",
    "macroman": "mac-roman", "mac-roman": "mac-roman", "x-mac-roman": "mac-roman", "macintosh": "mac-roman",
}  # fmt: skip
"""Other names of `SOURCE_ENCODINGS` (compared lower-case, `_` read as `-`):
`Shift_JIS` is read as Windows writes it (cp932, a superset), Excel's
"Unicode" as UTF-16 in either byte order, `windows-1252` as cp1252; and
likewise `EUC-KR` as cp949, `GBK` and `GB2312` as GB18030, `Big5` as cp950,
`TIS-620` as cp874: the superset each system writes when it says the older
name (a Korean name whose syllable EUC-KR lacks, 똠, is in cp949 only)."""

FORMAT_NAMES: dict[str, str] = {"json": "jsonl", "ndjson": "jsonl", "json-lines": "jsonl", "jsonlines": "jsonl", "pq": "parquet"}
"""Other names of the formats: a `json` export may be JSON lines or one JSON array, which `jsonl` reads."""

_CONSENT = re.compile(r"^consent_([a-z][a-z0-9_]*?)(_at)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QualityThresholds(_Strict):
    """Share of a source's rows that may be rejected to quarantine, and of a
    mapped field's values that may be lost in standardization.

    `warn` shows in the UI; `fail` is a blocking check that stops the run.
    `field_loss_warn`: the run warns (a line printed, the quality report's
    `field_loss`) when at least this share of a mapped field's non-empty values
    standardized to nothing, out of at least `field_loss_min_values` supplied
    that night (`quality_checks.field_loss`)."""

    warn: float = Field(0.05, ge=0, le=1)
    fail: float = Field(0.5, ge=0, le=1)
    field_loss_warn: float = Field(0.5, gt=0, le=1)
    field_loss_min_values: int = Field(20, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> "QualityThresholds":
        if self.warn > self.fail:
            raise ValueError(f"warn ({self.warn}) must not exceed fail ({self.fail})")
        return self


class SourceConfig(_Strict):
    """One source system's exports and how its columns map to canonical fields."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="short snake_case name, e.g. crm")
    path: str = Field(description="glob of export files, relative to the project dir or absolute")
    format: Literal["csv", "jsonl", "parquet"]
    encoding: SourceEncoding = "utf-8"
    delimiter: str = Field(",", min_length=1, max_length=1)
    id: str = Field(min_length=1, description="the record id column")
    country: str = Field("JP", pattern=r"^[A-Z]{2}$", description="default country for phone/postal parsing")
    date_order: Literal["YMD", "DMY", "MDY"] | None = Field(
        None,
        description="order of day and month in the source's year-last numeric dates (03.01.1980, 03/01/1980); "
        "default: the custom of `country` (MDY for US, YMD for JP, DMY for most others)",
    )
    name_order: Literal["auto", "family_first", "given_first"] = Field(
        "auto",
        description="order of the names in the source's full names where case does not tell (an ALL-CAPS family "
        "name always does): family_first (`Diallo Khady`, French `NOM Prénom` exports), given_first, or auto "
        "(given name first; all in capitals family first in a JP, CN, KR, TW or VN source)",
    )
    fields: dict[str, str] = Field(min_length=1)
    required_fields: tuple[str, ...] = Field(
        (), description="canonical fields this export must provide; a missing column fails the run"
    )
    quality: QualityThresholds = QualityThresholds()
    delivery: Literal["delta", "snapshot"] = Field(
        "delta",
        description="delta: files carry new and changed records; snapshot: each file is the whole source, "
        "so records missing from the newest file are deleted",
    )
    deleted_when: str | None = Field(
        None, description="DuckDB SQL over the source's columns, true for a record the source deleted (a tombstone)"
    )
    column_aliases: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="a column's other names in some files (renamed between deliveries): a file without the "
        "column but with one of these reads it under the column's name, e.g. {tel: [phone_number]}",
    )

    @model_validator(mode="before")
    @classmethod
    def _names_users_write(cls, data: Any) -> Any:
        """Read the names users write for an encoding, a format and a tab:
        `Shift_JIS`, `windows-1252` (`ENCODING_NAMES`), `json` (`FORMAT_NAMES`),
        `tsv` (a CSV whose delimiter is a tab, unless one is given), and an
        unquoted `delimiter: \\t` (YAML reads it as a backslash and a t)."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("encoding"), str):
            written = data["encoding"].strip().lower().replace("_", "-")
            data["encoding"] = ENCODING_NAMES.get(written, written)
        if isinstance(data.get("format"), str):
            written = data["format"].strip().lower()
            if written == "tsv":
                data["format"] = "csv"
                data.setdefault("delimiter", "\t")
            else:
                data["format"] = FORMAT_NAMES.get(written, written)
        if data.get("delimiter") in ("\\t", "tab", "TAB"):
            data["delimiter"] = "\t"
        return data

    @field_validator("column_aliases")
    @classmethod
    def _aliases_distinct(cls, aliases: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        names = [name.strip().casefold() for column, others in aliases.items() for name in (column, *others)]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"a column name appears more than once among the aliases: {repeated}")
        if any(not name for name in names) or any(not others for others in aliases.values()):
            raise ValueError("every alias is a non-empty column name and every column has at least one alias")
        return {column.strip(): tuple(name.strip() for name in others) for column, others in aliases.items()}

    @field_validator("fields")
    @classmethod
    def _canonical_keys(cls, fields: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in fields if k not in CANONICAL_FIELDS and not _CONSENT.match(k)]
        if unknown:
            raise ValueError(
                f"unknown canonical field(s) {unknown}; allowed: {', '.join(CANONICAL_FIELDS)}, consent_<purpose>[_at]"
            )
        empty = [k for k, v in fields.items() if not str(v).strip()]
        if empty:
            raise ValueError(f"field(s) {empty} map to an empty column/expression")
        return {k: str(v).strip() for k, v in fields.items()}

    @model_validator(mode="after")
    def _identifying(self) -> "SourceConfig":
        if not any(f in self.fields for f in IDENTIFYING_FIELDS):
            raise ValueError(f"source '{self.name}' maps no identifying field (one of {', '.join(IDENTIFYING_FIELDS)})")
        missing = [f for f in self.required_fields if f not in self.fields]
        if missing:
            raise ValueError(f"required_fields {missing} are not mapped in fields")
        return self


class MatchingConfig(_Strict):
    """Thresholds are match probabilities. Pairs at or above `link_threshold`
    are linked; pairs from `review_lower` up to `review_upper` go to the
    steward review queue (the model was unsure of them)."""

    link_threshold: float = Field(0.9, gt=0, lt=1)
    review_lower: float = Field(0.5, gt=0, lt=1)
    review_upper: float = Field(0.97, gt=0, lt=1)
    blocking_rules: list[str] | None = Field(
        None, description="Splink blocking rules as SQL (l./r. prefixes); default: derived from the fields present"
    )
    comparisons: dict[str, dict] | None = Field(
        None, description="per comparison name, a Splink comparison dict overriding the derived one"
    )
    max_pairs_for_u: float = Field(1e6, gt=0, description="random pairs sampled to estimate u (at most)")
    blocking_recall_budget: float = Field(
        0.001,
        ge=0,
        lt=1,
        description=(
            "share of a sample's matches that the derived blocking rules dropped after training may lose "
            "together (resolution/blocking_yield.py); 0 drops only rules that find no match alone"
        ),
    )

    @model_validator(mode="after")
    def _ordered(self) -> "MatchingConfig":
        if not self.review_lower <= self.review_upper:
            raise ValueError("review_lower must not exceed review_upper")
        return self


class SurvivorshipConfig(_Strict):
    """How each golden attribute picks its value among a cluster's records."""

    default: SurvivorshipRule = "most_recent"
    source_priority: list[str] = Field(default_factory=list, description="source names, most trusted first")
    fields: dict[str, SurvivorshipRule] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in fields if k not in CANONICAL_FIELDS]
        if unknown:
            raise ValueError(f"unknown canonical field(s) {unknown}")
        return fields


class NayoseConfig(_Strict):
    """The whole `nayose.yaml`."""

    project: str = "nayose"
    engine: Literal["duckdb", "spark"] = "duckdb"
    sources: list[SourceConfig] = Field(min_length=1)
    matching: MatchingConfig = MatchingConfig()
    survivorship: SurvivorshipConfig = SurvivorshipConfig()
    privacy: PrivacySettings = PrivacySettings()
    security: SecuritySettings = SecuritySettings()
    timezone: str = Field(
        "Asia/Tokyo",
        description="IANA time zone of the project: its run dates, and the wall-clock time of every std_updated_at",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {timezone!r}; give an IANA name such as Asia/Tokyo or Europe/Berlin") from None
        return timezone

    @model_validator(mode="after")
    def _consistent(self) -> "NayoseConfig":
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"source names must be unique; repeated: {dupes}")
        unknown = [s for s in self.survivorship.source_priority if s not in names]
        if unknown:
            raise ValueError(f"survivorship.source_priority names unknown source(s) {unknown}")
        unknown = self.privacy.unknown_sources(names)
        if unknown:
            raise ValueError(f"privacy settings name unknown source(s) {unknown}")
        return self

    def source(self, name: str) -> SourceConfig:
        for s in self.sources:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def mapped_fields(self) -> tuple[str, ...]:
        """Canonical fields mapped by at least one source, in canonical order."""
        present = {f for s in self.sources for f in s.fields}
        return tuple(f for f in CANONICAL_FIELDS if f in present)

    @property
    def consent_fields(self) -> tuple[str, ...]:
        return tuple(sorted({f for s in self.sources for f in s.fields if _CONSENT.match(f)}))


def resolve_source_glob(project_dir: Path, source: SourceConfig) -> str:
    """The source's glob as an absolute pattern."""
    p = Path(source.path)
    return str(p if p.is_absolute() else project_dir / p)
