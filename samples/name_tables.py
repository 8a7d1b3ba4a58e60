"""Name tables: which names exist and how often, for Japanese and Western people.

Japanese family and given names come from Faker's ``ja_JP`` kanji/kana pairs
(the common head, with Faker's real-world counts for family names) plus a
compositional generator for the long tail: two kanji elements with their
readings (山/やま + 村/むら -> 山村/ヤマムラ, with rendaku 田/た -> だ).  Western
names come from Faker's locale tables.  Every table carries a Zipf-like weight
so that a few names are common and thousands are rare, as in a real
population.  The tables depend on a fixed internal seed, not on the sample's
seed: they describe the "country", the sample's seed only draws people from it.
"""

from __future__ import annotations

import importlib
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# The country's name distribution is fixed; sample seeds only draw from it.
_TABLE_SEED = 20261125

# Share of Japanese people carrying one of Faker's 50 most common family names;
# with Faker's counts this puts 佐藤 at about 1.7% of people.
_JA_FAMILY_HEAD_SHARE = 0.26


@dataclass(frozen=True)
class NameTable:
    """Parallel arrays of names with readings, romanizations and probabilities."""

    names: tuple[str, ...]  # kanji (Japanese) or Latin spelling (Western)
    kana: tuple[str, ...]  # full-width katakana reading ("" for Western names)
    romaji: tuple[str, ...]  # Latin spelling (Japanese: passport-style Hepburn)
    probs: tuple[float, ...]  # sums to 1

    def __len__(self) -> int:
        return len(self.names)


# --- Japanese compositional elements (kanji, reading, rendaku reading or "") ---

_FAMILY_FIRST: tuple[tuple[str, str], ...] = (
    ("山", "やま"), ("中", "なか"), ("小", "こ"), ("大", "おお"), ("上", "かみ"),
    ("下", "しも"), ("川", "かわ"), ("石", "いし"), ("松", "まつ"), ("竹", "たけ"),
    ("杉", "すぎ"), ("森", "もり"), ("林", "はやし"), ("北", "きた"), ("南", "みなみ"),
    ("西", "にし"), ("東", "ひがし"), ("浅", "あさ"), ("岡", "おか"), ("長", "なが"),
    ("高", "たか"), ("古", "ふる"), ("今", "いま"), ("宮", "みや"), ("村", "むら"),
    ("野", "の"), ("原", "はら"), ("藤", "ふじ"), ("吉", "よし"), ("安", "やす"),
    ("黒", "くろ"), ("白", "しろ"), ("青", "あお"), ("赤", "あか"), ("金", "かね"),
    ("桜", "さくら"), ("梅", "うめ"), ("菊", "きく"), ("平", "ひら"), ("福", "ふく"),
    ("秋", "あき"), ("春", "はる"), ("千", "ち"), ("水", "みず"), ("池", "いけ"),
    ("岩", "いわ"), ("坂", "さか"), ("前", "まえ"), ("横", "よこ"), ("内", "うち"),
    ("堀", "ほり"), ("新", "にい"), ("奥", "おく"), ("熊", "くま"), ("鶴", "つる"),
    ("亀", "かめ"), ("柴", "しば"), ("谷", "たに"), ("荒", "あら"), ("広", "ひろ"),
    ("清", "きよ"), ("増", "ます"), ("永", "なが"), ("富", "とみ"), ("豊", "とよ"),
    ("沢", "さわ"), ("津", "つ"), ("島", "しま"), ("崎", "さき"), ("浜", "はま"),
    ("片", "かた"), ("早", "はや"), ("若", "わか"), ("宇", "う"), ("足", "あし"),
)

_FAMILY_SECOND: tuple[tuple[str, str, str], ...] = (
    ("田", "た", "だ"), ("中", "なか", ""), ("山", "やま", ""), ("川", "かわ", "がわ"),
    ("村", "むら", ""), ("木", "き", "ぎ"), ("井", "い", ""), ("野", "の", ""),
    ("原", "はら", "ばら"), ("本", "もと", ""), ("島", "しま", "じま"), ("崎", "さき", "ざき"),
    ("沢", "さわ", "ざわ"), ("口", "くち", "ぐち"), ("谷", "たに", "や"), ("部", "べ", ""),
    ("瀬", "せ", ""), ("江", "え", ""), ("尾", "お", ""), ("岡", "おか", ""),
    ("橋", "はし", "ばし"), ("浜", "はま", ""), ("池", "いけ", ""), ("宮", "みや", ""),
    ("森", "もり", ""), ("林", "はやし", "ばやし"), ("内", "うち", ""), ("上", "うえ", "がみ"),
    ("下", "した", "しも"), ("垣", "かき", "がき"), ("屋", "や", ""), ("倉", "くら", "ぐら"),
    ("坂", "さか", "ざか"), ("住", "すみ", "ずみ"), ("藤", "とう", "どう"), ("城", "しろ", "じょう"),
    ("間", "ま", ""), ("元", "もと", ""), ("戸", "と", "ど"), ("石", "いし", ""),
    ("松", "まつ", ""), ("畑", "はた", "ばた"), ("塚", "つか", "づか"), ("関", "せき", "ぜき"),
    ("丸", "まる", ""), ("海", "うみ", ""), ("月", "つき", ""), ("場", "ば", ""),
    ("辺", "べ", ""), ("浦", "うら", ""), ("出", "で", ""), ("西", "にし", ""),
    ("沼", "ぬま", ""), ("葉", "は", "ば"), ("地", "ち", ""), ("永", "なが", ""),
)

_FAMILY_SINGLE: tuple[tuple[str, str], ...] = (
    ("林", "はやし"), ("森", "もり"), ("原", "はら"), ("堀", "ほり"), ("岡", "おか"),
    ("関", "せき"), ("辻", "つじ"), ("南", "みなみ"), ("東", "あずま"), ("谷", "たに"),
    ("桜", "さくら"), ("泉", "いずみ"), ("岸", "きし"), ("港", "みなと"), ("星", "ほし"),
    ("秋", "あき"), ("滝", "たき"), ("森", "もり"), ("宮", "みや"), ("沖", "おき"),
)

_MALE_FIRST: tuple[tuple[str, str], ...] = (
    ("大", "だい"), ("健", "けん"), ("翔", "しょう"), ("拓", "たく"), ("和", "かず"),
    ("正", "まさ"), ("浩", "こう"), ("隆", "たか"), ("達", "たつ"), ("優", "ゆう"),
    ("勇", "ゆう"), ("康", "やす"), ("秀", "ひで"), ("英", "ひで"), ("信", "のぶ"),
    ("俊", "とし"), ("敏", "とし"), ("直", "なお"), ("哲", "てつ"), ("博", "ひろ"),
    ("裕", "ゆう"), ("義", "よし"), ("慎", "しん"), ("真", "しん"), ("修", "しゅう"),
    ("悠", "ゆう"), ("蒼", "そう"), ("颯", "そう"), ("陽", "はる"), ("晴", "はる"),
    ("海", "かい"), ("光", "こう"), ("幸", "こう"), ("孝", "たか"), ("昭", "あき"),
    ("明", "あき"), ("智", "とも"), ("友", "とも"), ("克", "かつ"), ("勝", "かつ"),
    ("茂", "しげ"), ("武", "たけ"), ("竜", "りゅう"), ("亮", "りょう"), ("良", "りょう"),
    ("圭", "けい"), ("啓", "けい"), ("賢", "けん"), ("純", "じゅん"), ("潤", "じゅん"),
    ("文", "ふみ"), ("政", "まさ"), ("雅", "まさ"), ("洋", "よう"), ("恭", "きょう"),
    ("清", "きよ"), ("公", "きみ"), ("春", "はる"), ("宗", "むね"), ("忠", "ただ"),
)

_MALE_SECOND: tuple[tuple[str, str], ...] = (
    ("太", "た"), ("郎", "ろう"), ("太郎", "たろう"), ("一", "いち"), ("一郎", "いちろう"),
    ("二", "じ"), ("介", "すけ"), ("輔", "すけ"), ("也", "や"), ("哉", "や"),
    ("樹", "き"), ("貴", "き"), ("人", "と"), ("斗", "と"), ("彦", "ひこ"),
    ("雄", "お"), ("男", "お"), ("夫", "お"), ("平", "へい"), ("司", "じ"),
    ("治", "じ"), ("志", "し"), ("史", "し"), ("之", "ゆき"), ("行", "ゆき"),
    ("典", "のり"), ("紀", "のり"), ("成", "なり"), ("吾", "ご"), ("悟", "ご"),
    ("馬", "ま"), ("朗", "ろう"), ("次", "じ"), ("三", "ぞう"), ("輝", "き"),
)

_MALE_SINGLE: tuple[tuple[str, str], ...] = (
    ("誠", "まこと"), ("翔", "しょう"), ("学", "まなぶ"), ("進", "すすむ"), ("実", "みのる"),
    ("稔", "みのる"), ("茂", "しげる"), ("清", "きよし"), ("勉", "つとむ"), ("豊", "ゆたか"),
    ("剛", "つよし"), ("聡", "さとし"), ("武", "たけし"), ("仁", "ひとし"), ("修", "おさむ"),
    ("浩", "ひろし"), ("博", "ひろし"), ("隆", "たかし"), ("崇", "たかし"), ("悟", "さとる"),
    ("亮", "りょう"), ("蓮", "れん"), ("湊", "みなと"), ("陸", "りく"), ("樹", "いつき"),
    ("蒼", "あおい"), ("大和", "やまと"), ("優", "まさる"), ("勝", "まさる"), ("徹", "とおる"),
)

_FEMALE_FIRST: tuple[tuple[str, str], ...] = (
    ("美", "み"), ("愛", "あい"), ("優", "ゆう"), ("真", "ま"), ("恵", "え"),
    ("由", "ゆ"), ("智", "とも"), ("明", "あけ"), ("幸", "さち"), ("久", "ひさ"),
    ("直", "なお"), ("京", "きょう"), ("陽", "ひな"), ("裕", "ゆ"), ("麻", "ま"),
    ("奈", "な"), ("千", "ち"), ("佳", "か"), ("沙", "さ"), ("彩", "あや"),
    ("結", "ゆ"), ("早", "さ"), ("紗", "さ"), ("理", "り"), ("里", "り"),
    ("友", "とも"), ("和", "かず"), ("典", "のり"), ("悦", "えつ"), ("節", "せつ"),
    ("康", "やす"), ("弘", "ひろ"), ("純", "すみ"), ("清", "きよ"), ("芳", "よし"),
    ("静", "しず"), ("文", "ふみ"), ("晴", "はる"), ("春", "はる"), ("秋", "あき"),
    ("夏", "なつ"), ("冬", "ふゆ"), ("桃", "もも"), ("菜", "な"), ("花", "はな"),
    ("莉", "り"), ("咲", "さ"), ("玲", "れい"), ("瑞", "みず"), ("詩", "うた"),
)

_FEMALE_SECOND: tuple[tuple[str, str], ...] = (
    ("子", "こ"), ("美", "み"), ("香", "か"), ("代", "よ"), ("恵", "え"),
    ("奈", "な"), ("菜", "な"), ("花", "か"), ("里", "り"), ("江", "え"),
    ("枝", "え"), ("乃", "の"), ("穂", "ほ"), ("希", "き"), ("衣", "い"),
    ("絵", "え"), ("佳", "か"), ("紀", "き"), ("世", "よ"), ("音", "ね"),
    ("実", "み"), ("那", "な"), ("華", "か"), ("帆", "ほ"), ("葉", "は"),
    ("羽", "は"), ("緒", "お"),
)

_FEMALE_SINGLE: tuple[tuple[str, str], ...] = (
    ("葵", "あおい"), ("凛", "りん"), ("杏", "あん"), ("舞", "まい"), ("幸", "さち"),
    ("恵", "めぐみ"), ("光", "ひかる"), ("薫", "かおる"), ("静", "しずか"), ("忍", "しのぶ"),
    ("茜", "あかね"), ("楓", "かえで"), ("萌", "もえ"), ("愛", "あい"), ("泉", "いずみ"),
)

# Western locales per country of residence (AU and US share English tables).
WESTERN_NAME_LOCALES: dict[str, str] = {
    "US": "en_US", "GB": "en_GB", "AU": "en_GB", "DE": "de_DE", "FR": "fr_FR", "ES": "es_ES",
}


def hiragana_to_katakana(text: str) -> str:
    """Return ``text`` with hiragana shifted to full-width katakana."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def zipf_mandelbrot(n: int, *, offset: float, exponent: float = 1.0) -> list[float]:
    """Return probabilities proportional to ``(rank + offset) ** -exponent`` for ranks 1..n."""
    weights = [(rank + offset) ** -exponent for rank in range(1, n + 1)]
    total = sum(weights)
    return [w / total for w in weights]


def _normalized(weights: list[float], share: float = 1.0) -> list[float]:
    """Scale ``weights`` so that they sum to ``share``."""
    total = sum(weights)
    return [w / total * share for w in weights]


@lru_cache(maxsize=None)
def _kakasi():  # noqa: ANN202 - pykakasi has no type hints
    import pykakasi

    return pykakasi.kakasi()


def romanize(kana: str) -> str:
    """Return a passport-style romanization of a katakana reading (``ユウコ`` -> ``Yuko``)."""
    roman = "".join(part["passport"] for part in _kakasi().convert(kana))
    # Passport spelling drops long vowels: shouta -> shota, yuuko -> yuko, oono -> ono.
    return re.sub("ou|uu|oo", lambda m: m.group(0)[0], roman).capitalize()


def _compose(
    firsts: tuple[tuple[str, str], ...],
    seconds: tuple[tuple[str, ...], ...],
    rng: random.Random,
    *,
    rendaku_share: float = 0.6,
    alternate_reading_share: float = 0.08,
) -> list[tuple[str, str, float]]:
    """Combine two element lists into (kanji, hiragana, rank score) names.

    Elements are listed commonest first, so the product of their positions
    (jittered) ranks the combination: 小川 before 亀垣.  Rendaku voices some
    second elements, and a few names get both readings (山崎 ヤマザキ / ヤマサキ).
    """
    out: list[tuple[str, str, float]] = []
    for i, (first_kanji, first_reading) in enumerate(firsts):
        for j, second in enumerate(seconds):
            second_kanji, plain = second[0], second[1]
            voiced = second[2] if len(second) > 2 else ""
            if first_kanji == second_kanji:
                continue
            score = (i + 1) * (j + 1) * rng.uniform(0.4, 2.5)
            reading = voiced if voiced and rng.random() < rendaku_share else plain
            out.append((first_kanji + second_kanji, first_reading + reading, score))
            if voiced and rng.random() < alternate_reading_share:
                other = plain if reading == voiced else voiced
                out.append((first_kanji + second_kanji, first_reading + other, score * 3))
    return out


def _singles(entries: tuple[tuple[str, str], ...], rng: random.Random, spacing: float) -> list[tuple[str, str, float]]:
    """Single-element names with rank scores spread like the composed ones."""
    return [(k, r, (i + 1) * spacing * rng.uniform(0.4, 2.5)) for i, (k, r) in enumerate(entries)]


def _table(
    entries: list[tuple[str, str, float]],
    head: list[tuple[str, str]],
    head_weights: list[float] | None,
    head_share: float,
    tail_offset: float,
    rng: random.Random,
) -> NameTable:
    """Merge a weighted head with a Zipf-ranked compositional tail into one ``NameTable``."""
    head_keys = {name for name, _ in head}
    ranked = sorted((e for e in entries if e[0] not in head_keys), key=lambda e: e[2])
    tail = list(dict.fromkeys((k, r) for k, r, _ in ranked))
    tail_probs = _normalized(zipf_mandelbrot(len(tail), offset=tail_offset), 1.0 - head_share)
    head_probs = _normalized(head_weights or [1.0] * len(head), head_share) if head else []
    rows = head + tail
    kana = [hiragana_to_katakana(r) for _, r in rows]
    return NameTable(
        names=tuple(k for k, _ in rows),
        kana=tuple(kana),
        romaji=tuple(romanize(k) for k in kana),
        probs=tuple(_normalized(head_probs + tail_probs)),
    )


@lru_cache(maxsize=None)
def japanese_family_names() -> NameTable:
    """Japanese family names: Faker's 50 commonest (with counts) plus ~4,000 composed ones."""
    from faker.providers.person.ja_JP import Provider

    rng = random.Random(_TABLE_SEED)
    head = [(kanji, kana) for (kanji, kana, _), _ in Provider.last_name_pairs.items()]
    counts = [float(c) for c in Provider.last_name_pairs.values()]
    composed = _compose(_FAMILY_FIRST, _FAMILY_SECOND, rng)
    composed += _singles(_FAMILY_SINGLE, rng, spacing=40.0)
    return _table(composed, head, counts, _JA_FAMILY_HEAD_SHARE, tail_offset=100.0, rng=rng)


@lru_cache(maxsize=None)
def japanese_given_names(gender: str) -> NameTable:
    """Japanese given names for ``gender`` ('M' or 'F'): Faker's pairs plus composed names."""
    from faker.providers.person.ja_JP import Provider

    if gender not in ("M", "F"):
        raise ValueError(f"gender must be 'M' or 'F', got {gender!r}")
    rng = random.Random(_TABLE_SEED + (1 if gender == "M" else 2))
    if gender == "M":
        pairs = Provider.first_name_male_pairs
        composed = _compose(_MALE_FIRST, _MALE_SECOND, rng) + _singles(_MALE_SINGLE, rng, spacing=8.0)
    else:
        pairs = Provider.first_name_female_pairs
        composed = _compose(_FEMALE_FIRST, _FEMALE_SECOND, rng) + _singles(_FEMALE_SINGLE, rng, spacing=8.0)
        # Three-kanji names ending in 子 (美奈子, 由美子), common among older women.
        composed += [
            (k + "子", r + "こ", score * 2) for k, r, score in composed[::3] if len(k) == 2 and not k.endswith("子")
        ]
    head = [(kanji, kana.translate(_KATA_TO_HIRA)) for kanji, kana, _ in pairs]
    return _table(composed, head, None, head_share=0.12, tail_offset=30.0, rng=rng)


_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}


def _strip_accents(text: str) -> str:
    """Return ``text`` without combining accents (``José`` -> ``Jose``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _locale_names(values: object, rng: random.Random) -> tuple[list[str], list[float]]:
    """Names and weights from a Faker table: its own weights when it has them, else Zipf over a fixed shuffle."""
    if isinstance(values, dict):
        names = list(values.keys())
        weights = [float(w) for w in values.values()]
    else:
        names = list(dict.fromkeys(values))  # type: ignore[arg-type]
        rng.shuffle(names)
        weights = zipf_mandelbrot(len(names), offset=20.0)
    return names, _normalized(weights)


@lru_cache(maxsize=None)
def western_names(country: str, part: str) -> NameTable:
    """Western names for residents of ``country``; ``part`` is 'family', 'M' or 'F'."""
    locale = WESTERN_NAME_LOCALES[country]
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    rng = random.Random(_TABLE_SEED + sum(map(ord, country + part)))
    source = {
        "family": provider.last_names,
        "M": provider.first_names_male,
        "F": provider.first_names_female,
    }[part]
    names, probs = _locale_names(source, rng)
    return NameTable(
        names=tuple(names),
        kana=("",) * len(names),
        romaji=tuple(_strip_accents(n) for n in names),
        probs=tuple(probs),
    )
