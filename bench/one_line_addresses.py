"""One-line international addresses through the plain user path: `nayose.yaml` + `nayose run`.

Generated people (Faker, nine locales: US, GB, DE, FR, CA, AU, NL, ES, IT)
in two exports: `shop` with the address in columns (street, city, zip,
state), `crm` with the whole address in one field, written as each country
writes it (`…, Mountain View, CA 94043`, `…, London NW1 6XE`, `…, 10115
Berlin`, sometimes `, USA` after it). The crm copy of a person often lacks
the email, phone and birth date and has a typo in the name, so the address
carries much of the evidence. The golden records are scored against the
generated person of each record (every pair of records sharing a golden id is
a predicted match).

    .venv/bin/python bench/one_line_addresses.py [--people 2000] [--seed 7] [--work /tmp/nayose-one-line]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from generated_people import RUN_DATE, run_and_score  # a sibling script, not a package

LOCALES = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "en_CA": "CA", "en_AU": "AU", "nl_NL": "NL", "es_ES": "ES", "it_IT": "IT"}
COUNTRY_NAMES = {"US": "USA", "GB": "United Kingdom", "DE": "Deutschland", "FR": "France", "CA": "Canada", "AU": "Australia", "NL": "Nederland", "ES": "España", "IT": "Italia"}

CONFIG = """project: one-line-addresses
sources:
  - name: shop
    path: data/shop_*.csv
    format: csv
    encoding: utf-8
    id: id
    fields:
      full_name: name
      email: email
      phone: phone
      address_line: street
      city: city
      postal_code: zip
      prefecture: state
      birth_date: dob
      country: country
  - name: crm
    path: data/crm_*.csv
    format: csv
    encoding: utf-8
    id: cid
    fields:
      full_name: Full Name
      email: E-mail
      phone: Tel
      address_line: Address
      birth_date: Birthday
      country: Country
"""


def one_line(street: str, city: str, region: str, code: str, country: str) -> str:
    """The address as the country writes it on one line."""
    if country in ("US", "AU"):
        return f"{street}, {city}, {region} {code}"
    if country == "CA":
        return f"{street}, {city} {region} {code}"
    if country == "GB":
        return f"{street}, {city} {code}"
    return f"{street}, {code} {city}"


def swapped(text: str, rnd: random.Random) -> str:
    """`text` with two neighbouring characters swapped (a typo)."""
    if len(text) < 4:
        return text
    i = rnd.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def write_project(project: Path, people: int, seed: int) -> pl.DataFrame:
    """The two exports and nayose.yaml under `project`; returns the truth (record_key, person)."""
    from faker import Faker

    rnd = random.Random(seed)
    shop, crm, truth = [], [], []
    for person in range(people):
        locale = rnd.choice(list(LOCALES))
        country = LOCALES[locale]
        fake = Faker(locale)
        fake.seed_instance(person + seed * 100_000)
        first, last = fake.first_name(), fake.last_name()
        street, city, code = fake.street_address().replace("\n", ", "), fake.city(), fake.postcode()
        region = fake.state_abbr() if locale in ("en_US", "en_AU") else fake.province_abbr() if locale == "en_CA" else ""
        email = f"{first}.{last}{rnd.randint(1, 99)}@{fake.free_email_domain()}".lower().replace(" ", "")
        phone, born = fake.phone_number(), fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat()
        in_shop = rnd.random() < 0.8
        if in_shop:
            shop.append({"id": f"S{person}", "name": f"{first} {last}", "email": email, "phone": phone, "street": street,
                         "city": city, "zip": code, "state": region, "country": country, "dob": born})
            truth.append((f"shop:S{person}", person))
        if not in_shop or rnd.random() < 0.6:
            line = one_line(street, city, region, code, country)
            if rnd.random() < 0.3:
                line += f", {COUNTRY_NAMES[country]}"
            name = f"{first} {last}"
            crm.append({"cid": f"C{person}", "Full Name": swapped(name, rnd) if rnd.random() < 0.25 else name,
                        "E-mail": email if rnd.random() < 0.3 else "", "Tel": phone if rnd.random() < 0.4 else "",
                        "Address": line, "Country": country, "Birthday": born if rnd.random() < 0.5 else ""})
            truth.append((f"crm:C{person}", person))
    (project / "data").mkdir(parents=True)
    for name, rows in (("shop", shop), ("crm", crm)):
        with open(project / "data" / f"{name}_{RUN_DATE}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    (project / "nayose.yaml").write_text(CONFIG, encoding="utf-8")
    return pl.DataFrame(truth, schema={"record_key": pl.Utf8, "person": pl.Int64}, orient="row")


def main(argv: list[str] | None = None) -> int:
    return run_and_score(argv, __doc__.splitlines()[0], write_project, people=2000, seed=7, work="/tmp/nayose-one-line")


if __name__ == "__main__":
    sys.exit(main())
