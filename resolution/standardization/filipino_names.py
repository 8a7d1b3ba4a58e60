"""Filipino names in Latin letters: the middle name is the mother's surname.

A Filipino is named `Given [Given] Middle Surname` (`Juan Santos Dela Cruz`:
given name Juan, middle name Santos, his mother's maiden surname, family name
Dela Cruz), and forms ask for the three apart (first, middle, last name);
the middle name is as often written as an initial (`Juan S. Dela Cruz`) or
left out. Read as a Spanish double surname (`María García López`), the
middle name had joined the family name (`santosdelacruz`), and no record
without it met this one; left in the given part it made a compound of a
lead name (`Juan Santos`, `juan-santos`).
"""

from __future__ import annotations

import unicodedata

from resolution.standardization.transliteration import without_accents

MIDDLE_NAME_COUNTRIES = frozenset({"PH"})
"""Countries whose names carry the mother's surname as a middle name before
the family name, and no double surname."""

FILIPINO_FAMILY_NAMES = frozenset(
    {"santos", "reyes", "cruz", "bautista", "ocampo", "garcia", "mendoza", "torres", "castillo", "flores",
     "villanueva", "ramos", "castro", "rivera", "aquino", "navarro", "salazar", "mercado", "manalo", "dizon",
     "gonzales", "gonzalez", "lopez", "rosario", "guzman", "leon", "soriano", "pascual", "aguilar", "fernandez",
     "valdez", "gutierrez", "perez", "marquez", "sison", "villegas", "roxas", "diaz", "evangelista", "hernandez",
     "morales", "rosales", "galang", "macaraeg", "dimaculangan", "panganiban", "magbanua", "lacson", "pangilinan",
     "ramirez", "cortez", "medina", "mangubat", "gatdula", "cabrera", "vergara", "sarmiento", "tolentino",
     "javier", "alvarez", "santiago", "enriquez", "jimenez", "romero", "padilla"}
)  # fmt: skip
"""Common Philippine surnames (lower case, without accents; `Cruz`,
`Rosario`, `Guzman` of `Dela Cruz`, `Del Rosario`, `De Guzman`): the word
before the family name of a Filipino full name that is one of them is the
middle name. Left out: those that are as often given names (`Tomas`,
`Agustin`, `Francisco`, `Domingo`, `Ignacio`), which may be a second given
name there (`Jose Francisco Reyes`). A middle name of no listed surname
(`Juan Macapagal Reyes`) stays in the given part, where only a compound's
lead (`Juan`) would take it."""


def without_middle_name(given_words: list[str], particles: frozenset[str]) -> list[str]:
    """The given words of a Filipino full name without the middle name that
    ends them (`Juan Santos` -> `Juan`, `Maria Cristina Dela Cruz` ->
    `Maria Cristina`): its last word when it is a `FILIPINO_FAMILY_NAMES`
    surname, with the `particles` before it, so long as a given name is left
    (`Mark Anthony`, `Santos` alone and an initial `S.`, which the given name
    compared stops at, are kept)."""
    end = len(given_words)
    if end < 2 or _key(given_words[-1]) not in FILIPINO_FAMILY_NAMES:
        return given_words
    end -= 1
    while end > 1 and _key(given_words[end - 1]) in particles:
        end -= 1
    return given_words[:end]


def _key(word: str) -> str:
    return without_accents(unicodedata.normalize("NFKD", word.lower())).strip(".,")
