"""Given names that are one name: a nickname and its name (`bob`, `robert`),
an initial and the name it starts (`r`, `ryan`), spellings of one name
(`md`, `mohd`, `muhammad`: `mohammed`), and a compound given name and its
lead name alone (`mohammed-shahidul`, `mohammed`).

The `nicknames` package's hand-curated English table says which names are
nicknames of which (`bob`/`robert`, `bill`/`will`, `kate`/`katherine`). The
match model weighs a pair of them at a level of its own (the given-name
comparison's `NicknamesLevel`, on the match key `mk_given_names`), and the
pair rules do not take them for two people (`households._name_flags`): both
ask `names_of` here, so they agree on what a nickname is. The Russian,
Ukrainian and Belarusian forms of one name (`Алексей`, `Олексій`, `Aleksei`,
`Oleksii`) are one name there too (`east_slavic_names`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import polars as pl

LATIN_GIVEN_NAME = r"^[A-Za-z][A-Za-z .'-]*$"
"""A given name the nickname table may know: Latin letters (a standardized
Latin name is folded to ASCII: `Jérôme` is `jerome`)."""

TABLED_GIVEN_NAME = r"^(?:[A-Za-z][A-Za-z .'-]*|\p{Cyrillic}[\p{Cyrillic} .'’-]*)$"
"""A given name `names_of` may know: a `LATIN_GIVEN_NAME`, or one in
Cyrillic letters (`east_slavic_names`: `Олексій`, `Алексей`). A regular
expression of polars (Rust's regex knows the Cyrillic script class)."""


SPELLINGS_OF_ONE_NAME = {
    "mohammed": ("md", "mohd", "mohamed", "mohammad", "mohamad", "muhammad", "muhammed", "muhamad", "muhamed", "mhd"),
    "abdul": ("abdur", "abdel", "abdal", "abdol", "abdus", "abdun", "abd"),
    "syed": ("sayed", "sayyed", "sayyid", "saiyed", "syad"),
    "sheikh": ("shaikh", "shaik", "sheik", "shekh"),
    "jose": (),
    "maria": ("ma",),
    "juan": (),
    "ana": (),
    "luis": (),
}
"""Standardized (lower-case ASCII) spellings of one given name, by the one
compared. Arabic names are spelled in Latin letters many ways (محمد is written
`Mohammed`, `Muhammad`, `Mohamed`, abbreviated `Md.` or `Mohd`): they
disagreed outright, and the pair rules held a customer's two records apart.
`Abdul` takes the Arabic article's assimilated forms (`Abdur Rahman`,
`Abdus Salam`). `Ma.` is how Filipino and Spanish forms abbreviate María
(`Ma. Cristina`, `Ma. del Carmen`), as `Md.` Mohammed. Every name here is a
`LEAD_NAMES` name."""

LEAD_NAMES = frozenset(SPELLINGS_OF_ONE_NAME)
"""Given names that most often lead a compound given name, the next word
telling their bearers apart: devotional leads (`Mohammed Shahidul`, `Syed
Imran`, `Abdul Karim`, where `Abdul` is never a name alone) and the Spanish
and Portuguese firsts of compounds (`María Guadalupe`, `José Luis`, `Juan
Carlos`, `Ana Paula`). Compared alone they made one name of every Mohammed
of one family name, and of every María. A compound is compared with its
next word (`compound_given_name`)."""

NEVER_ALONE = frozenset({"abdul"})
"""`LEAD_NAMES` that are no name alone (`Abdul`, "servant of", is always
followed by the name it makes one with): a full name of one of them and one
more word (`ABDUL HANNAN`) is a given name without a family name."""

_SPELLING = {spelling: name for name, spellings in SPELLINGS_OF_ONE_NAME.items() for spelling in (name, *spellings)}
_ABDUL_JOINED = re.compile(r"^(?:abdul|abdur|abdel|abdal|abdol|abdus|abdun)([a-z]{4,})$")
"""`Abdulrahman`, `Abdurrahman`, `Abdelaziz`: `Abdul` and its next word
written as one (a name of three letters after it, `Abdullah`, stays one word)."""

COMPOUND_SEPARATOR = "-"
"""Between a compound's lead name and the rest of it in a standardized given
name (`mohammed-shahidul`): a standardized Latin name has no other hyphen."""


def one_spelling(name: str) -> str:
    """The spelling a standardized given name is compared in: one of
    `SPELLINGS_OF_ONE_NAME` (`md` -> `mohammed`), `Abdul` written together
    with its next word split from it (`abdurrahman` -> `abdul-rahman`), else
    the name itself."""
    if joined := _ABDUL_JOINED.match(name):
        return f"abdul{COMPOUND_SEPARATOR}{joined.group(1)}"
    return _SPELLING.get(name, name)


def compound_given_name(names: list[str]) -> str:
    """The given name compared, of a given name's standardized words from
    its first name on (`one_spelling` each): a `LEAD_NAMES` name with the
    names after it up to the first that is no lead name, after
    `COMPOUND_SEPARATOR` (`mohammed abdur rahman` -> `mohammed-abdulrahman`,
    `maria guadalupe` -> `maria-guadalupe`), else the first name alone
    (`william`, `mohammed`). Two compounds of one lead whose rests differ
    are two names; a lead alone and a compound of it agree
    (`comparisons.LeadNameLevel`, `initial_agrees`)."""
    spelled = [one_spelling(name) for name in names if name]
    if not spelled:
        return ""
    lead, _, joined_rest = spelled[0].partition(COMPOUND_SEPARATOR)
    if lead not in LEAD_NAMES:
        return spelled[0]
    rest = [joined_rest] if joined_rest else []
    for name in spelled[1:] if not rest else []:
        rest.append(name.replace(COMPOUND_SEPARATOR, ""))
        if name not in LEAD_NAMES:
            break
    return COMPOUND_SEPARATOR.join([lead, "".join(rest)]) if rest else lead


NAMES_OF_THEIR_OWN = frozenset(
    {
        "ann", "anne", "anna", "nancy", "hannah", "susan", "joanna", "mary", "mercy", "mercedes", "joy", "joyce",
        "peter", "patrick", "john", "ian", "ivan", "agnes", "inez", "amelia", "emily", "emma", "amos", "moses",
        "alice", "lisa", "helen", "ellen", "elaine", "eileen", "eleanor", "nora", "lena", "jane", "jean", "janet",
        "lucy", "louise", "lois", "eric", "derrick", "sandra", "alexandra", "cecilia", "sheila", "margaret", "megan",
    }
)  # fmt: skip
"""Given names in their own right that the `nicknames` table ties to
another such name, as a nickname of it or of a name both are nicknames of
(`nancy` has the nickname `ann`; `patrick` `peter`; `ian` is `john`'s;
`tony` is `antonia`'s and `ann`'s): each stands for itself alone in
`names_of`, so two of them are two names, while their own nicknames still
meet them (`nan` and `nancy`, `pete` and `peter`). The table made twins
`NANCY` and `ANN` of one family one name: nicknames of one name at the
model (a level that weighs for a pair), and no disagreement for the pair
rules that hold twins of one household apart (linked at +33.6 bits)."""


@cache
def _nicknamer() -> Any:
    """The `nicknames` table, loaded on first use (importing the package costs
    30 ms of every run's start-up, most of which never looks a nickname up)."""
    from nicknames import NickNamer

    return NickNamer()


def names_of(given: str | None) -> list[str] | None:
    """The names `given` (a standardized given name, Latin or Cyrillic) may
    stand for: itself and the names it is a nickname of (lower case), and
    the East Slavic family it is a form of (`east_slavic_names.east_slavic_family`:
    `oleksandr`, `Александр` and `Alexander` all hold `ru:aleksandr`),
    sorted; None when neither table knows it, so a match key built from it
    is null for most given names. Two given names are nicknames or forms of
    one name (or one a nickname of the other) exactly when their lists share
    a name. A name of `NAMES_OF_THEIR_OWN` stands for itself alone in the
    nickname table."""
    if not given:
        return None
    # imported here: the table folds spellings with the standardization package, which imports this module
    from resolution.east_slavic_names import east_slavic_family

    name = given.lower()
    family = east_slavic_family(name)
    nicknamer = _nicknamer()
    known = name.isascii() and bool(nicknamer.canonicals_of(name) or nicknamer.nicknames_of(name))
    if not known and not family:
        return None
    names = nicknamer.canonicals_of(name) | {name} if known and name not in NAMES_OF_THEIR_OWN else {name}
    return sorted(names | ({family} if family else set()))


def nicknames_agree(left: str | None, right: str | None) -> bool:
    """Whether one given name is a nickname of the other, or both nicknames
    (or the name) of one name (`names_of`)."""
    left_names, right_names = names_of(left), names_of(right)
    return bool(left_names and right_names and set(left_names) & set(right_names))


def initial_agrees(left: pl.Expr, right: pl.Expr) -> pl.Expr:
    """Whether one romanized given name is a single letter that the other
    starts with (`r`, `ryan`: a form that asked for an initial, `R. Ashton`),
    or a part of the other's compound, its lead name or the rest after it
    (`mohammed` or `shahidul`, `mohammed-shahidul`: a web form's short name).
    Two single letters agree only when equal, as exact names do. The SQL of
    the given-name comparison's `comparisons.InitialLevel` and
    `comparisons.LeadNameLevel` says the same."""

    def initial_of(initial: pl.Expr, name: pl.Expr) -> pl.Expr:
        return (initial.str.len_chars() == 1) & (name.str.slice(0, 1) == initial)

    def part_of(part: pl.Expr, compound: pl.Expr) -> pl.Expr:
        lead = compound.str.extract(f"^([^{COMPOUND_SEPARATOR}]+){COMPOUND_SEPARATOR}", 1)
        rest = compound.str.extract(f"^[^{COMPOUND_SEPARATOR}]+{COMPOUND_SEPARATOR}(.+)$", 1)
        return ((part == lead) | (part == rest)).fill_null(False)  # no compound: no part of one

    return initial_of(left, right) | initial_of(right, left) | part_of(left, right) | part_of(right, left)
