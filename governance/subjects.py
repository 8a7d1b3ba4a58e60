"""Who a data subject is in the project's stores.

An erasure or access request names a person by email, phone or golden id.
The person is every golden record one of their source records belongs to,
and every source record of those golden records: a person linked across
three systems is found from the email only one of them holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from governance.pseudonymization import keyed_hash
from governance.suppression import IDENTITY_KINDS, identity_hashes
from warehouse import ProjectPaths, read_table

RECORD_IDENTITY_COLUMNS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "email", "phone", "address_line", "std_full_name", "std_full_kana", "std_email", "std_phone",
)
"""Columns whose values the residual search looks for after an erasure."""


class SubjectRequestError(ValueError):
    """A request that names no identifier (or an unusable one)."""


@dataclass(frozen=True)
class SubjectRequest:
    """The identifiers a request names, standardized like source records."""

    email: str | None = None
    phone: str | None = None
    golden_id: str | None = None
    country: str = "JP"

    def standardized(self) -> tuple[str | None, str | None]:
        """(`std_email`, `std_phone`) of the request. Refuses (SubjectRequestError)
        a request with no identifier, or an email/phone that cannot be standardized."""
        if not (self.email or self.phone or self.golden_id):
            raise SubjectRequestError("name the person: --email, --phone or --golden-id")
        if not (self.email or self.phone):
            return None, None
        from resolution.standardization import standardize_records

        frame = pl.DataFrame(
            {"record_key": ["request"], "source_country": [self.country], "email": [self.email], "phone": [self.phone]},
            schema={"record_key": pl.Utf8, "source_country": pl.Utf8, "email": pl.Utf8, "phone": pl.Utf8},
        )
        row = standardize_records(frame).records.row(0, named=True)
        if self.email and row["std_email"] is None:
            raise SubjectRequestError("the email given is not a usable address (after trimming and lower-casing)")
        if self.phone and row["std_phone"] is None:
            raise SubjectRequestError(f"the phone given is not a valid number for country {self.country} (give +CC...)")
        return row["std_email"], row["std_phone"]

    def reference(self, key: bytes) -> str:
        """A keyed hash naming the request in the audit log (no identifier in clear)."""
        std_email, std_phone = self.standardized()
        named = "|".join(f"{k}={v}" for k, v in (("email", std_email), ("phone", std_phone), ("golden_id", self.golden_id)) if v)
        return keyed_hash(named, key, domain="subject_request")[:16]


@dataclass(frozen=True)
class Subject:
    """The person's rows: golden ids, source record keys, the (file_hash,
    source_row) of those records' landing rows, and their records (std columns)."""

    golden_ids: frozenset[str]
    record_keys: frozenset[str]
    file_rows: frozenset[tuple[str, int]]
    records: pl.DataFrame

    @property
    def found(self) -> bool:
        return bool(self.golden_ids or self.record_keys)

    def literal_values(self) -> list[str]:
        """The person's names, emails, phones and addresses as held (for the residual search)."""
        values = {v for expr in _literal_value_exprs(self.records.columns) for v in self.records.select(expr)["v"].drop_nulls()}
        for phone in self.records["std_phone"].drop_nulls().to_list() if "std_phone" in self.records.columns else []:
            if phone.startswith("+81"):
                values.add("0" + phone[3:])
        return sorted(v for v in values if len(v.strip()) >= 2)


def _literal_value_exprs(columns: list[str]) -> list[pl.Expr]:
    """Expressions (each a column `v`) for a record's identity values as held:
    each identity column, and the name written family + given three ways."""
    exprs = [pl.col(c).cast(pl.Utf8).alias("v") for c in RECORD_IDENTITY_COLUMNS if c in columns]
    if {"family_name", "given_name"} <= set(columns):
        family, given = pl.col("family_name").cast(pl.Utf8), pl.col("given_name").cast(pl.Utf8)
        exprs += [pl.concat_str([family, given], separator=separator).alias("v") for separator in ("", " ", "\u3000")]
    return exprs


def values_others_hold(paths: ProjectPaths, subject: Subject, values: list[str]) -> set[str]:
    """Those of `values` another customer's record holds as well, as a whole
    identity value (a family name, a full name, a shared family email): they
    are not the person's residue, and searching for them would find every
    namesake."""
    records = read_table(paths.warehouse, "records")
    if records is None or not values:
        return set()
    others = records.filter(~pl.col("record_key").is_in(sorted(subject.record_keys)))
    wanted = pl.Series(sorted(set(values)), dtype=pl.Utf8).implode()
    found: set[str] = set()
    for expr in _literal_value_exprs(others.columns):
        found |= set(others.select(expr).filter(pl.col("v").is_in(wanted))["v"].unique().to_list())
    return found


def _empty_subject() -> Subject:
    return Subject(frozenset(), frozenset(), frozenset(), pl.DataFrame())


def find_subject(paths: ProjectPaths, request: SubjectRequest) -> Subject:
    """The person named by `request` in the published warehouse (`records`,
    `crosswalk`). A person not held gives a Subject with `found` False."""
    std_email, std_phone = request.standardized()
    records = read_table(paths.warehouse, "records")
    crosswalk = read_table(paths.warehouse, "crosswalk")
    if records is None or crosswalk is None:
        return _empty_subject()
    hit = pl.lit(False)
    if std_email:
        hit = hit | (pl.col("std_email") == std_email).fill_null(False)
    if std_phone:
        hit = hit | (pl.col("std_phone") == std_phone).fill_null(False)
    matched_keys = set(records.filter(hit)["record_key"].to_list())
    golden = set(crosswalk.filter(pl.col("record_key").is_in(list(matched_keys)))["golden_id"].to_list())
    if request.golden_id and request.golden_id in set(crosswalk["golden_id"].to_list()):
        golden.add(request.golden_id)
    keys = matched_keys | set(crosswalk.filter(pl.col("golden_id").is_in(list(golden)))["record_key"].to_list())
    held = records.filter(pl.col("record_key").is_in(list(keys)))
    file_rows = {(h, int(r)) for h, r in held.select("file_hash", "source_row").drop_nulls().iter_rows()}
    return Subject(frozenset(golden), frozenset(keys), frozenset(file_rows), held)


def subject_identity_hashes(paths: ProjectPaths, subject: Subject, request: SubjectRequest, key: bytes) -> dict[str, set[str]]:
    """Per identity kind, the keyed hashes that identify the person and nobody
    else held: an identifier shared with another golden record (a family's
    landline) is left out, so erasing one person never erases another. The
    request's own email/phone are always included."""
    records = read_table(paths.warehouse, "records")
    mine = identity_hashes(subject.records, key) if subject.records.height else None
    others = (
        identity_hashes(records.filter(~pl.col("record_key").is_in(list(subject.record_keys))), key)
        if records is not None and records.height
        else None
    )
    result: dict[str, set[str]] = {}
    for kind in IDENTITY_KINDS:
        own = set(mine[f"{kind}_hash"].drop_nulls().to_list()) if mine is not None else set()
        shared = set(others[f"{kind}_hash"].drop_nulls().to_list()) if others is not None else set()
        result[kind] = own - shared
    std_email, std_phone = request.standardized()
    if std_email:
        result["email"].add(keyed_hash(std_email, key, domain="suppression:email"))
    if std_phone:
        result["phone"].add(keyed_hash(std_phone, key, domain="suppression:phone"))
    return result
