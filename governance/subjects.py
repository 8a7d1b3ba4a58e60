"""Who a data subject is in the project's stores.

An erasure or access request names a person by email, phone, national
identifier (a South African ID, a BVN, a passport number ...; its kind
optional) or golden id.
The person is every golden record one of their source records belongs to,
and every source record of those golden records: a person linked across
three systems is found from the email only one of them holds.

A source record is theirs when any row the project holds of it carries the
email, phone or national identifier asked for, standardized as records are
(a number held as another kind than the one asked for is someone else's):
its current version in the warehouse, a superseded one in a landing copy or
an export (governance.held_rows), so a former email identifies the person
as well as the current one. A row no golden
record holds (quarantined without an id, deleted by the source, dropped by a
snapshot) is theirs when it carries one of their identifiers that no other
customer's record carries.

A golden id a merge retired is followed to the id it was merged into
(`identity_events` records each merge; there is no other alias table), and
the ids merged into the person's golden records are theirs too: older
extracts and identity events name them.

Erasure and access both call `find_subject`: what one finds, the other does.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from governance.held_rows import IDENTITY_COLUMNS, held_rows
from governance.pseudonymization import keyed_hash
from governance.rewrite import RowSelection
from governance.suppression import (
    IDENTITY_KINDS,
    NATIONAL_ID_NUMBER,
    NATIONAL_ID_OF_KIND,
    carries_any,
    entry_rows,
    identity_probes,
    identity_values,
)
from nayose_config import NayoseConfig, load_config
from resolution.golden_ids import IdFate, follow_merges, merged_into
from warehouse import ProjectPaths, read_table

NAME_COLUMNS = (
    "family_name", "given_name", "full_name", "family_name_kana", "given_name_kana", "full_name_kana",
    "std_full_name", "std_full_kana",
)
EMAIL_COLUMNS = ("email", "std_email")
NATIONAL_ID_COLUMNS = ("national_id", "std_national_id")
RECORD_IDENTITY_COLUMNS = (*NAME_COLUMNS, *EMAIL_COLUMNS, "phone", "address_line", "std_phone", *NATIONAL_ID_COLUMNS)
"""Columns whose values the residual search looks for after an erasure."""
NAME_PART_COLUMNS = ("std_family_name", "std_given_name", "std_family_kana", "std_given_kana", "mk_family_roman", "mk_given_roman")
"""A name split into its parts (from a full name a source writes whole) and
romanized (the match keys: 美音 is `mine`): a value another customer holds so
is not searched for."""

_NAME_PAIRS = (("family_name", "given_name"), ("family_name_kana", "given_name_kana"))
_SEPARATORS = ("", " ", "\u3000")


class SubjectRequestError(ValueError):
    """A request that names no identifier (or an unusable one)."""


@dataclass(frozen=True)
class StandardizedRequest:
    """A request (`given`) with its identifiers as the records'
    standardization writes them (`std_email`, `std_phone`, `std_national_id`,
    `std_national_id_type`). Made once per request (SubjectRequest.standardized,
    a standardization pass of its own) and passed to whatever needs them: the
    search, the audit reference, the residual search."""

    given: SubjectRequest
    email: str | None = None
    phone: str | None = None
    national_id: str | None = None
    national_id_type: str | None = None

    @property
    def golden_id(self) -> str | None:
        return self.given.golden_id

    def reference(self, key: bytes) -> str:
        """A keyed hash naming the request in the audit log (no identifier in clear)."""
        named = "|".join(
            f"{k}={v}"
            for k, v in (
                ("email", self.email),
                ("phone", self.phone),
                ("golden_id", self.golden_id),
                ("national_id", self.national_id),
                ("national_id_type", self.national_id_type),
            )
            if v
        )
        return keyed_hash(named, key, domain="subject_request")[:16]


def _national_id_problem(issue: str | None, kind: str | None) -> str:
    """Why a request's national id cannot be used, in words that do not repeat it."""
    from resolution.standardization.national_ids import (
        ANY_SHAPE_EXPECTED,
        SHAPES_EXPECTED,
    )

    if issue == "national_id_my_number":
        return (
            "the national id given is a Japanese My Number, which this project never holds (the My Number Act): "
            "name the person by email, phone or golden id"
        )
    shape = SHAPES_EXPECTED.get(kind or "", ANY_SHAPE_EXPECTED)
    of_kind = f"a {kind} number" if kind else "a national id"
    return (
        f"the national id given is not usable as {of_kind}: once spaces, dashes, dots and slashes are removed, "
        f"it must be {shape} (check the number, its type and the country it is read in)"
    )


@dataclass(frozen=True)
class SubjectRequest:
    """The identifiers a request names, standardized like source records
    (`country` is the one a phone without +CC and a national id without a
    type are read in, as a source's `country`)."""

    email: str | None = None
    phone: str | None = None
    golden_id: str | None = None
    country: str = "JP"
    national_id: str | None = None
    national_id_type: str | None = None

    def standardized(self) -> StandardizedRequest:
        """The request's identifiers standardized (once per request: the
        result is passed along). Refuses (SubjectRequestError)
        a request with no identifier, a national id type without a number, and
        an email, phone or national id that cannot be standardized (the message
        says why, without the value)."""
        if self.national_id_type and not self.national_id:
            raise SubjectRequestError("--national-id-type says what kind a --national-id is: give the number too")
        if not (self.email or self.phone or self.golden_id or self.national_id):
            raise SubjectRequestError("name the person: --email, --phone, --national-id or --golden-id")
        if not (self.email or self.phone or self.national_id):
            return StandardizedRequest(self)
        from resolution.standardization import standardize_records
        from resolution.standardization.national_ids import (
            national_id_kind,
            national_id_text,
            national_id_type,
        )

        given = {"email": self.email, "phone": self.phone, "national_id": self.national_id, "national_id_type": self.national_id_type}
        frame = pl.DataFrame(
            {"record_key": ["request"], "source_country": [self.country]} | {k: [v] for k, v in given.items()},
            schema={c: pl.Utf8 for c in ("record_key", "source_country", *given)},
        )
        standardized = standardize_records(frame)
        row = standardized.records.row(0, named=True)
        if self.email and row["std_email"] is None:
            raise SubjectRequestError("the email given is not a usable address (after trimming and lower-casing)")
        if self.phone and row["std_phone"] is None:
            raise SubjectRequestError(f"the phone given is not a valid number for country {self.country} (give +CC...)")
        if self.national_id and row["std_national_id"] is None:
            issue = standardized.issues.filter(pl.col("field") == "national_id")["issue_code"].first()
            kind = frame.select(
                national_id_kind(
                    national_id_text(pl.col("national_id")),
                    national_id_type(pl.col("national_id_type")),
                    pl.col("source_country").str.to_uppercase(),
                )
            ).item()
            raise SubjectRequestError(_national_id_problem(issue, kind))
        return StandardizedRequest(self, row["std_email"], row["std_phone"], row["std_national_id"], row["std_national_id_type"])


@dataclass(frozen=True)
class Subject:
    """The person's rows: golden ids (held now), source record keys, the
    (file_hash, source_row) of every row held of them, their warehouse
    records, and their held rows (governance.held_rows.IDENTITY_COLUMNS).

    `former_golden_ids`: ids merged into theirs. `followed`: (id asked for,
    id it was merged into). `identifiers`: per identity kind, the
    standardized values that are theirs alone, and the request's.
    `others`: every held row that is not theirs. `notes`: what became of a
    golden id asked for that is not held, and files that could not be read
    (no values, no ids: notes go to the audit log)."""

    golden_ids: frozenset[str]
    record_keys: frozenset[str]
    file_rows: frozenset[tuple[str, int]]
    records: pl.DataFrame
    held: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=IDENTITY_COLUMNS))
    others: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=IDENTITY_COLUMNS))
    former_golden_ids: frozenset[str] = frozenset()
    followed: tuple[tuple[str, str], ...] = ()
    identifiers: dict[str, frozenset[str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.golden_ids or self.record_keys or self.file_rows)

    def selection(self, pseudonyms: frozenset[str] = frozenset()) -> RowSelection:
        """The rows an erasure removes (and an access export shows): the
        person's golden ids and those merged into them, record keys, held rows,
        and `pseudonyms` (theirs in purpose extracts)."""
        return RowSelection(self.golden_ids | self.former_golden_ids, self.record_keys, self.file_rows, pseudonyms)

    def literal_values(self) -> list[str]:
        """The person's names, emails, phones and addresses as held, former ones
        included (for the residual search)."""
        values = set(_literal_values(self.held, RECORD_IDENTITY_COLUMNS))
        for phone in self.held["std_phone"].drop_nulls().to_list():
            if phone.startswith("+81"):
                values.add("0" + phone[3:])
        return sorted(v for v in values if len(v.strip()) >= 2)

    def word_values(self) -> set[str]:
        """Those of `literal_values` that are names, emails or national ids,
        which the residual search matches as words (governance.word_boundaries):
        a name inside another customer's email, an email inside a longer one
        (`kyoe.umei@…` in `new.kyoe.umei@…`), or a Kenyan ID's eight digits
        inside a longer number (a timestamp in a run's log) is not theirs."""
        return set(_literal_values(self.held, (*NAME_COLUMNS, *EMAIL_COLUMNS, *NATIONAL_ID_COLUMNS)))


def _literal_value_exprs(columns: list[str], wanted: tuple[str, ...]) -> list[pl.Expr]:
    """Expressions (each a column `v`) for a row's identity values as held:
    each of `wanted`, and names written family + given three ways (kana too)."""
    exprs = [pl.col(c).cast(pl.Utf8).alias("v") for c in wanted if c in columns]
    for family, given in _NAME_PAIRS:
        if {family, given} <= set(columns) and family in wanted:
            exprs += [
                pl.concat_str([pl.col(family).cast(pl.Utf8), pl.col(given).cast(pl.Utf8)], separator=s).alias("v")
                for s in _SEPARATORS
            ]
    return exprs


def _literal_values(rows: pl.DataFrame, wanted: tuple[str, ...]) -> list[str]:
    values: set[str] = set()
    for expr in _literal_value_exprs(rows.columns, wanted):
        values |= set(rows.select(expr)["v"].drop_nulls().to_list())
    return sorted(values)


def _folded(values: pl.Expr) -> pl.Expr:
    """Values as the residual search equates them: NFKC (full-width Latin and
    half-width kana folded) and lower-cased."""
    return values.str.normalize("NFKC").str.to_lowercase()


def values_others_hold(subject: Subject, values: list[str]) -> set[str]:
    """Those of `values` another customer's row holds as well, in any form the
    residual search would find (`ﾅｵｴ` for `ナオエ`), as a whole identity value
    or as a word of one of their names (a family name, a full name, a given
    name inside a full name or a source's name split, a shared family
    email): they are not the person's residue, and searching for them would
    find every namesake."""
    others = subject.others
    if not others.height or not values:
        return set()
    held: set[str] = set()
    for expr in _literal_value_exprs(others.columns, (*RECORD_IDENTITY_COLUMNS, *NAME_PART_COLUMNS)):
        held |= set(others.select(_folded(expr)).drop_nulls()["v"].unique().to_list())
    for expr in _literal_value_exprs(others.columns, NAME_COLUMNS):
        words = others.select(_folded(expr).str.replace_all("\u3000", " ").str.split(" ").explode())
        held |= set(words.drop_nulls()["v"].unique().to_list())
    wanted = pl.DataFrame({"value": sorted(set(values))}, schema={"value": pl.Utf8})
    folded = wanted.with_columns(_folded(pl.col("value")).alias("v"))
    return set(folded.filter(pl.col("v").is_in(sorted(held)))["value"].to_list())


def _fate_note(fate: IdFate) -> str:
    """What became of a golden id asked for that is not held (without the id: notes reach the audit log)."""
    through = " (through its merges)" if fate.merges else ""
    if fate.ended_by is None:
        return f"the golden id asked for{through} is not held, and no identity event says why"
    return f"the golden id asked for{through} was {fate.ended_by} ({fate.ended_in}): nothing is held under it"


def _row_id() -> pl.Expr:
    """A held row's place, (file hash, source row), as one text."""
    return pl.concat_str([pl.col("file_hash"), pl.col("source_row").cast(pl.Utf8)], separator="#").alias("row_id")


def _identifiers(rows: pl.DataFrame) -> dict[str, set[str]]:
    values = identity_values(rows) if rows.height else pl.DataFrame(schema={k: pl.Utf8 for k in IDENTITY_KINDS})
    return {kind: set(values[kind].drop_nulls().to_list()) for kind in IDENTITY_KINDS}


def _holding(rows: pl.DataFrame, identifiers: dict[str, set[str]]) -> pl.Series:
    """True for each of `rows` (IDENTITY_COLUMNS) carrying one of
    `identifiers` (plain values per identity kind), matched as the
    suppression list matches (governance.suppression.NATIONAL_ID_PROBES): a
    national id of its kind, or of no kind known (a passport number that is
    also someone's NIN is not the person's)."""
    listed = {k: pl.Series(sorted(v), dtype=pl.Utf8) for k, v in identifiers.items()}
    return carries_any(identity_probes(rows), listed)


def _of_kinds_known(numbers_of_kind: set[str]) -> set[str]:
    """`national_id_of_kind` values without `:N` (N of no kind known: of any
    kind) where N is there of a kind too: the person's number held without a
    kind in a quarantined row, or asked without `--national-id-type`, is the
    one their other rows hold as a ZA ID, and is not suppressed as a passport."""
    known = {v.partition(":")[2] for v in numbers_of_kind if not v.startswith(":")}
    return {v for v in numbers_of_kind if not (v.startswith(":") and v[1:] in known)}


def resolve_subject(
    std_email: str | None,
    std_phone: str | None,
    golden_id: str | None,
    rows: pl.DataFrame,
    crosswalk: pl.DataFrame,
    events: pl.DataFrame | None = None,
    records: pl.DataFrame | None = None,
    *,
    national_id: str | None = None,
    national_id_type: str | None = None,
) -> Subject:
    """The person named by a standardized email/phone/national id (of
    `national_id_type` when known) or a golden id among every held row
    (`rows`, governance.held_rows), given the crosswalk (record_key,
    golden_id) and the identity events. `records` (the warehouse's) gives the
    Subject its records."""
    asked = {kind: set() for kind in IDENTITY_KINDS} | {"email": {std_email} - {None}, "phone": {std_phone} - {None}}
    if national_id is not None:  # of its kind, or of any kind when none is given
        asked |= {NATIONAL_ID_OF_KIND: {f"{national_id_type or ''}:{national_id}"}, NATIONAL_ID_NUMBER: {national_id}}
    named = rows.height and (std_email or std_phone or national_id)
    direct = rows.filter(_holding(rows, asked)) if named else rows.head(0)
    attached = crosswalk.select("record_key", "golden_id")
    golden = set(attached.filter(pl.col("record_key").is_in(direct["record_key"].drop_nulls().implode()))["golden_id"].to_list())
    followed: tuple[tuple[str, str], ...] = ()
    notes: list[str] = []
    if golden_id:
        fate = follow_merges(golden_id, set(attached["golden_id"].to_list()), events)
        if fate.held_id is not None:
            golden.add(fate.held_id)
            followed = ((golden_id, fate.held_id),) if fate.merges else ()
        else:
            notes.append(_fate_note(fate))
    keys = set(direct["record_key"].drop_nulls().to_list())
    keys |= set(attached.filter(pl.col("golden_id").is_in(sorted(golden)))["record_key"].to_list())
    # the person's identifiers: on their rows, and on no row another golden record holds
    theirs = rows.filter(pl.col("record_key").is_in(sorted(keys)).fill_null(False))
    another = attached.filter(~pl.col("golden_id").is_in(sorted(golden)))["record_key"]
    others_attached = rows.filter(pl.col("record_key").is_in(another.implode()).fill_null(False))
    mine, shared = _identifiers(pl.concat([theirs, direct])), _identifiers(others_attached)
    identifiers = {k: (mine[k] - shared[k]) | asked[k] for k in IDENTITY_KINDS}
    identifiers[NATIONAL_ID_OF_KIND] = _of_kinds_known(identifiers[NATIONAL_ID_OF_KIND])
    # rows no golden record holds join them by those identifiers (with their record's other rows)
    unattached = rows.filter((~pl.col("record_key").is_in(attached["record_key"].implode())).fill_null(True))
    joining = unattached.filter(_holding(unattached, identifiers)) if unattached.height else unattached
    keys |= set(joining["record_key"].drop_nulls().to_list())
    found_rows = pl.concat([direct, joining]).select(_row_id())["row_id"]
    is_mine = pl.col("record_key").is_in(sorted(keys)).fill_null(False) | _row_id().is_in(found_rows.implode()).fill_null(False)
    held, others = rows.filter(is_mine), rows.filter(~is_mine)
    file_rows = {(h, int(r)) for h, r in held.select("file_hash", "source_row").drop_nulls().iter_rows()}
    person_records = (
        records.filter(pl.col("record_key").is_in(sorted(keys))) if records is not None else pl.DataFrame()
    )
    return Subject(
        golden_ids=frozenset(golden),
        record_keys=frozenset(keys),
        file_rows=frozenset(file_rows),
        records=person_records,
        held=held,
        others=others,
        former_golden_ids=frozenset(merged_into(golden, events)),
        followed=followed,
        identifiers={k: frozenset(v) for k, v in identifiers.items()},
        notes=tuple(notes),
    )


def find_subject(paths: ProjectPaths, request: StandardizedRequest, config: NayoseConfig | None = None) -> Subject:
    """The person named by `request` (SubjectRequest.standardized) in every
    store the project holds source rows in (the warehouse, landing copies,
    exports inside the project). A person not held gives a Subject with
    `found` False."""
    config = config or load_config(paths.root)
    records = read_table(paths.warehouse, "records")
    crosswalk = read_table(paths.warehouse, "crosswalk")
    if crosswalk is None:
        crosswalk = pl.DataFrame(schema={"record_key": pl.Utf8, "golden_id": pl.Utf8})
    held = held_rows(paths, config, records)
    subject = resolve_subject(
        request.email, request.phone, request.golden_id, held.rows, crosswalk, read_table(paths.warehouse, "identity_events"),
        records, national_id=request.national_id, national_id_type=request.national_id_type,
    )
    return replace(subject, notes=(*subject.notes, *held.notes))


def subject_suppression_entries(subject: Subject, key: bytes) -> pl.DataFrame:
    """`kind`, `hash` suppression rows for the person's identifiers
    (`Subject.identifiers`: theirs alone and the request's, so erasing one
    person never suppresses another's shared landline; a national id of its
    kind, and as a number only when no other customer holds it of any kind)."""
    return pl.concat(
        [entry_rows(kind, pl.Series(sorted(subject.identifiers.get(kind, ())), dtype=pl.Utf8), key) for kind in IDENTITY_KINDS]
    )
