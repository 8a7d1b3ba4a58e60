"""Japanese households and web-form addresses through the plain user path: `nayose.yaml` + `nayose run`.

Generated people (Faker ja_JP: kanji names with their katakana readings) in
two exports a Japanese retailer might have:
- `members`: a membership system's CSV in Shift_JIS (cp932). Full names in
  one column, with or without a space; readings in half- or full-width
  katakana; birth dates in wareki (`昭和55年3月1日`, `S55.03.01`); postal codes
  with or without `〒`; the whole address in one column, sometimes in
  full-width digits or as `1丁目2番3号`; some people registered twice.
- `web`: a web shop's JSON array. Family and given name apart, readings in
  hiragana, ISO birth dates (often missing), phones often `+81`, and the
  address as a web form takes it: prefecture, "address 1" (city and town)
  in the `city` field, "address 2" (the block). Some people moved (another
  address and postal code).

One person in ten has a family member at the same address: same family name,
postal code and landline, another given name, birth date and email. These
are the pairs a model weighing family name and place would link. The golden
records are scored against the generated person of each record (every pair
of records sharing a golden id is a predicted match).

With `--next-day`, a second night follows on which 5% of the members
moved (a delta export of their new addresses); its scores, identity events
and the golden ids kept are printed as a second line. With
`--web-without-postal-code`, the web shop's postal code is not mapped: the
moved customers' records then have no postal code to compare on one side.
With `--legacy-kana`, the members' readings are written without small kana
(`ｷﾖｳｺ` for キョウコ), as an old mainframe or bank (全銀) data writes them.

    .venv/bin/python bench/japanese_households.py [--people 1500] [--seed 3] [--work /tmp/nayose-jp-households] [--next-day] [--web-without-postal-code] [--legacy-kana]
"""

from __future__ import annotations

import csv
import json
import random
import sys
import unicodedata
from datetime import date
from pathlib import Path

import polars as pl
from faker import Faker

sys.path.insert(0, str(Path(__file__).parent))
from generated_people import run_and_score  # a sibling script, not a package

VARIANTS = {"高": "髙", "崎": "﨑", "斎": "齋", "辺": "邊", "沢": "澤"}
ERAS = (("R", "令和", 2019), ("H", "平成", 1989), ("S", "昭和", 1926))

CONFIG = """project: japanese-households
timezone: Asia/Tokyo
sources:
  - name: members
    path: exports/members_*.csv
    format: csv
    encoding: cp932
    id: 会員番号
    country: JP
    fields:
      full_name: 氏名
      full_name_kana: シメイカナ
      birth_date: 生年月日
      gender: 性別
      postal_code: 郵便番号
      address_line: 住所
      building: 建物名
      phone: 電話番号
      email: メールアドレス
      updated_at: 更新日時
  - name: web
    path: exports/web_*.json
    format: jsonl
    id: memberNo
    country: JP
    fields:
      family_name: sei
      given_name: mei
      family_name_kana: seiKana
      given_name_kana: meiKana
      birth_date: birthday
      phone: tel
      email: mail
      postal_code: zip
      prefecture: pref
      city: addr1
      address_line: addr2
      building: bldg
"""


def _half_width_katakana() -> dict[str, str]:
    """Full-width katakana (and voiced forms) -> half-width, from NFKC's inverse."""
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        half = chr(code)
        full = unicodedata.normalize("NFKC", half)
        if len(full) == 1:
            table.setdefault(full, half)
    for full, half in list(table.items()):
        for mark, half_mark in (("\u3099", "ﾞ"), ("\u309a", "ﾟ")):
            voiced = unicodedata.normalize("NFC", full + mark)
            if len(voiced) == 1:
                table.setdefault(voiced, half + half_mark)
    return table


HALF_WIDTH = str.maketrans(_half_width_katakana())


def hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


def full_width_digits(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else "－" if c == "-" else c for c in text)


def wareki(day: date, rnd: random.Random) -> str:
    for letter, era, start in ERAS:
        if day.year >= start:
            year = day.year - start + 1
            if rnd.random() < 0.5:
                return f"{era}{year}年{day.month}月{day.day}日"
            return f"{letter}{year}.{day.month:02d}.{day.day:02d}"
    return day.isoformat()


def block(rnd: random.Random) -> str:
    return f"{rnd.randint(1, 9)}-{rnd.randint(1, 30)}-{rnd.randint(1, 20)}"


def people(fake: Faker, rnd: random.Random, count: int) -> list[dict]:
    """`count` people, then one family member for every tenth (same family name, address, landline)."""
    out = []
    for _ in range(count):
        female = rnd.random() < 0.5
        family, family_kana, _ = fake.last_name_pair()
        given, given_kana, _ = fake.first_name_female_pair() if female else fake.first_name_male_pair()
        out.append(
            {
                "family": family, "family_kana": family_kana, "given": given, "given_kana": given_kana,
                "female": female, "birth": fake.date_of_birth(minimum_age=18, maximum_age=85),
                "prefecture": fake.prefecture(), "city": fake.city(), "town": fake.town(), "block": block(rnd),
                "building": rnd.choice(["", "", f"{fake.building_name()}{rnd.randint(1, 12)}0{rnd.randint(1, 9)}"]),
                "email": f"{fake.user_name()}{rnd.randint(1, 999)}@{fake.free_email_domain()}",
                "phone": fake.phone_number(), "postal_code": fake.zipcode(),
            }
        )
    for _ in range(count // 10):
        relative = dict(out[rnd.randrange(count)])
        relative["female"] = rnd.random() < 0.5
        pair = fake.first_name_female_pair() if relative["female"] else fake.first_name_male_pair()
        relative["given"], relative["given_kana"] = pair[0], pair[1]
        relative["birth"] = fake.date_of_birth(minimum_age=18, maximum_age=85)
        relative["email"] = f"{fake.user_name()}{rnd.randint(1, 999)}@{fake.free_email_domain()}"
        out.append(relative)
    return out


def member_row(person: dict, member_id: int, rnd: random.Random) -> dict:
    family = person["family"]
    if rnd.random() < 0.1:
        family = family.translate(str.maketrans(VARIANTS))
    kana = person["family_kana"] + rnd.choice([" ", "\u3000", ""]) + person["given_kana"]
    address = person["prefecture"] + person["city"] + person["town"]
    address += rnd.choice([person["block"], "{}丁目{}番{}号".format(*person["block"].split("-"))])
    phone = person["phone"] if rnd.random() < 0.8 else ""
    email = person["email"] if rnd.random() < 0.7 else ""
    return {
        "会員番号": member_id,
        "氏名": family + rnd.choice(["", " ", "\u3000"]) + person["given"],
        "シメイカナ": kana.translate(HALF_WIDTH) if rnd.random() < 0.4 else kana,
        "生年月日": wareki(person["birth"], rnd) if rnd.random() < 0.9 else "",
        "性別": rnd.choice(["女", "女性", "F"]) if person["female"] else rnd.choice(["男", "男性", "M"]),
        "郵便番号": rnd.choice(["〒", ""]) + person["postal_code"],
        "住所": full_width_digits(address) if rnd.random() < 0.3 else address,
        "建物名": person["building"],
        "電話番号": full_width_digits(phone) if phone and rnd.random() < 0.3 else phone,
        "メールアドレス": email.upper() if email and rnd.random() < 0.1 else email,
        "更新日時": f"2026/11/{rnd.randint(1, 24):02d} {rnd.randint(0, 23)}:{rnd.randint(0, 59):02d}",
    }


def web_row(person: dict, web_id: str, fake: Faker, rnd: random.Random) -> dict:
    moved = rnd.random() < 0.1
    phone = person["phone"]
    return {
        "memberNo": web_id,
        "sei": person["family"], "mei": person["given"],
        "seiKana": hiragana(person["family_kana"]), "meiKana": hiragana(person["given_kana"]),
        "birthday": person["birth"].isoformat() if rnd.random() < 0.7 else None,
        "tel": "+81 " + phone[1:] if phone.startswith("0") and rnd.random() < 0.5 else phone,
        "mail": person["email"] if rnd.random() < 0.85 else None,
        "zip": (fake.zipcode() if moved else person["postal_code"]).replace("-", ""),
        "pref": fake.prefecture() if moved else person["prefecture"],
        "addr1": fake.city() + fake.town() if moved else person["city"] + person["town"],
        "addr2": block(rnd) if moved else person["block"],
        "bldg": person["building"] or None,
    }


def read_members(export: Path) -> list[dict]:
    with open(export, encoding="cp932", newline="") as handle:
        return list(csv.DictReader(handle))


def write_members(export: Path, members: list[dict]) -> None:
    """The membership system's export: Shift_JIS, every value quoted."""
    with open(export, "w", encoding="cp932", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(members[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(members)


def write_project(project: Path, count: int, seed: int) -> pl.DataFrame:
    """The two exports and nayose.yaml under `project`; returns the truth (record_key, person)."""
    rnd = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    members, web, truth = [], [], []
    member_id = 1000
    for number, person in enumerate(people(fake, rnd, count)):
        for _ in range((rnd.random() < 0.85) + (rnd.random() < 0.1)):
            member_id += rnd.randint(1, 3)
            members.append(member_row(person, member_id, rnd))
            truth.append((f"members:{member_id}", number))
        if rnd.random() < 0.6:
            web_id = f"W{number:06d}"
            web.append(web_row(person, web_id, fake, rnd))
            truth.append((f"web:{web_id}", number))
    exports = project / "exports"
    exports.mkdir(parents=True)
    write_members(exports / "members_20261125.csv", members)
    (exports / "web_20261125.json").write_text(json.dumps(web, ensure_ascii=False), encoding="utf-8")
    (project / "nayose.yaml").write_text(CONFIG, encoding="utf-8")
    return pl.DataFrame(truth, schema={"record_key": pl.Utf8, "person": pl.Int64}, orient="row")


MOVED_NEXT_DAY = 0.05
"""The share of members who move on the next day (`--next-day`)."""


def write_moves(project: Path, seed: int) -> None:
    """The next day's members export, a delta: `MOVED_NEXT_DAY` of the members
    moved, each to another member's postal code and address (and building),
    updated that day; the other columns as they were."""
    exports = project / "exports"
    members = read_members(exports / "members_20261125.csv")
    rnd = random.Random(seed + 1)
    moved = []
    for member in rnd.sample(members, round(len(members) * MOVED_NEXT_DAY)):
        home = rnd.choice(members)
        moved.append(member | {k: home[k] for k in ("郵便番号", "住所", "建物名")} | {"更新日時": "2026/11/26 9:00"})
    write_members(exports / "members_20261126.csv", moved)


def without_web_postal_code(project: Path) -> None:
    """The web shop's postal code left unmapped in nayose.yaml (a form without one)."""
    config = project / "nayose.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      postal_code: zip\n", ""), encoding="utf-8")


SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶｧｨｩｪｫｯｬｭｮ", "アイウエオツヤユヨワカケｱｲｳｴｵﾂﾔﾕﾖ")


def with_legacy_kana(project: Path) -> None:
    """The members' readings without small kana, as an old mainframe (or
    bank 全銀 data) writes them: `ｷﾖｳｺ` for キョウコ, `ﾊﾂﾄﾘ` for ハットリ."""
    export = project / "exports" / "members_20261125.csv"
    members = read_members(export)
    write_members(export, [member | {"シメイカナ": member["シメイカナ"].translate(SMALL_KANA)} for member in members])


def main(argv: list[str] | None = None) -> int:
    return run_and_score(
        argv,
        __doc__.splitlines()[0],
        write_project,
        people=1500,
        seed=3,
        work="/tmp/nayose-jp-households",
        next_day=(f"then a night on which {MOVED_NEXT_DAY:.0%} of the members moved (a delta file)", write_moves),
        variants={
            "--web-without-postal-code": (
                "leave the web shop's postal code unmapped (a form without one)",
                without_web_postal_code,
            ),
            "--legacy-kana": ("the members' readings without small kana (an old mainframe's)", with_legacy_kana),
        },
    )


if __name__ == "__main__":
    sys.exit(main())
