"""Russian, Ukrainian and Belarusian forms of one given name: `Александр`,
`Олександр` and `Аляксандр` are one name, and so are their Latin spellings
(`Aleksandr`, `Alexander`, `Oleksandr`, `Aliaksandr`).

A customer of a CIS or Baltic retailer is written in Russian by one system
and in Ukrainian by another (a Kyiv shop writes `Олексій`, a Moscow CRM
`Алексей`), and in Latin letters by a bank, a passport or a loyalty card, in
whichever transliteration it follows (passport ICAO `Iurii`, BGN `Yuriy`,
German `Jurij`, French `Iouri`, English `Yuri`). The forms of one name
disagreed outright: the model weighed them as other names, and the pair
rules held two records of one customer sharing a phone apart as two people.

Each family here lists the Cyrillic forms of one name (Russian, Ukrainian,
Belarusian) and the Latin forms no transliteration of those gives
(`Alexander`, `Halyna`); a name is looked up by its folded spelling
(`transliteration.phonetic_fold` of its Latin spelling: `Jurij`, `Iurii`,
`Yuriy`, `Юрий` and `Юрій` are all `iuri`), so every usual transliteration
of a form meets it without being listed. Families are per gender and never
share a folded spelling (`Aleksandr`/`Aleksandra`, `Evgeny`/`Evgenia`,
`Yuri`/`Yulia` stay other names); a family whose forms all fold alike is
listed still, so its Latin spellings that romanized Japanese could also
spell (`Iurii`, `Mariia`, which `mk_*_alt` leaves without a folded spelling)
meet the others. Latin forms that are other names elsewhere are left out
(`Hanna` is Ганна in Ukrainian but a name of its own in German beside
`Anna`; Belarusian `Алена`, Elena, is Russian `Алёна` once `ё` is folded).
A Ukrainian or Belarusian form without a letter Russian lacks is spelled as
Russian (`Ганна` `ganna`, `Сяргей` `syargey`): its own Latin spelling is
listed (`Siarhei`, `Halyna`).
Diminutives (`Саша`, `Дима`) are not here.
"""

from __future__ import annotations

from functools import cache

from resolution.standardization.readings import comparable_romanization
from resolution.standardization.transliteration import phonetic_fold

FAMILY_MARK = "ru:"
"""Before a family's name in `mk_given_names` (`ru:aleksandr`): no name of
the English nickname table starts so, so a family meets its own forms alone."""

EAST_SLAVIC_GIVEN_NAMES = {
    # men
    "aleksandr": "александр олександр аляксандр alexander alexandre",
    "aleksey": "алексей олексій аляксей",
    "anatoly": "анатолий анатолій анатоль",
    "andrey": "андрей андрій андрэй",
    "anton": "антон",
    "arkady": "аркадий аркадій аркадзь",
    "arseny": "арсений арсеній арсень",
    "artyom": "артём артем artyom",
    "bogdan": "богдан багдан bohdan",
    "boris": "борис барыс",
    "vadim": "вадим вадзім",
    "valentin": "валентин валянцін",
    "valery": "валерий валерій валерый",
    "vasily": "василий василь васіль",
    "viktor": "виктор віктор віктар victor",
    "vitaly": "виталий віталій віталь",
    "vladimir": "владимир володимир уладзімір",
    "vladislav": "владислав владислав уладзіслаў",
    "vsevolod": "всеволод усевалад",
    "vyacheslav": "вячеслав в'ячеслав вячаслаў",
    "gennady": "геннадий геннадій генадзь hienadz",
    "georgy": "георгий георгій",
    "gleb": "глеб гліб hleb",
    "grigory": "григорий григорій рыгор ryhor",
    "daniil": "даниил данило даніла даниїл",
    "denis": "денис дзяніс",
    "dmitry": "дмитрий дмитро дзмітрый",
    "evgeny": "евгений євген євгеній яўген yevgen",
    "egor": "егор єгор ягор yahor",
    "ivan": "иван іван",
    "igor": "игорь ігор ігар",
    "ilya": "илья ілля ілья",
    "kirill": "кирилл кирило кірыл",
    "konstantin": "константин костянтин канстанцін",
    "leonid": "леонид леонід леанід",
    "maksim": "максим максім maxim",
    "matvey": "матвей матвій мацвей",
    "mikhail": "михаил михайло міхаіл",
    "nikita": "никита микита мікіта",
    "nikolay": "николай микола мікалай",
    "oleg": "олег алег",
    "pavel": "павел павло",
    "pyotr": "пётр петро пятро pyotr",
    "roman": "роман раман",
    "ruslan": "руслан",
    "semyon": "семён семен сямён semyon",
    "sergey": "сергей сергій сяргей siarhei",
    "stanislav": "станислав станіслав станіслаў",
    "stepan": "степан сцяпан",
    "taras": "тарас",
    "timofey": "тимофей тимофій цімафей",
    "fyodor": "фёдор федір фёдар fyodor",
    "yuri": "юрий юрій юрый",
    "yakov": "яков яків якаў",
    "yaroslav": "ярослав ярослаў",
    # women
    "aleksandra": "александра олександра аляксандра alexandra",
    "alyona": "алёна альона alyona",
    "alina": "алина аліна",
    "alla": "алла",
    "anastasia": "анастасия анастасія анастасія",
    "anna": "анна ганна",
    "valentina": "валентина валянціна",
    "valeria": "валерия валерія",
    "vera": "вера віра",
    "viktoria": "виктория вікторія вікторыя victoria",
    "galina": "галина галіна halyna",
    "darya": "дарья дар'я дар'я",
    "evgenia": "евгения євгенія яўгенія",
    "ekaterina": "екатерина катерина кацярына",
    "elena": "елена олена",
    "elizaveta": "елизавета єлизавета лізавета",
    "zhanna": "жанна",
    "zoya": "зоя",
    "inna": "инна інна",
    "irina": "ирина ірина ірына",
    "kristina": "кристина христина крысціна",
    "ksenia": "ксения ксенія",
    "larisa": "лариса ларыса",
    "lidia": "лидия лідія",
    "lyubov": "любовь любов",
    "lyudmila": "людмила ludmila",
    "margarita": "маргарита маргарыта",
    "marina": "марина марына",
    "maria": "мария марія марыя",
    "nadezhda": "надежда надія надзея",
    "natalya": "наталья наталия наталія наталля",
    "nina": "нина ніна",
    "oksana": "оксана аксана",
    "olga": "ольга вольга olha volha",
    "polina": "полина поліна",
    "svetlana": "светлана світлана святлана",
    "sofia": "софия софья софія соф'я",
    "tamara": "тамара",
    "tatyana": "татьяна тетяна таццяна",
    "ulyana": "ульяна уляна",
    "yulia": "юлия юлія",
    "yana": "яна",
}
"""The families: a family's name (its usual English spelling of the Russian
form) and its forms, Cyrillic (standardized: lower case, `ё` kept or folded
alike) and the Latin forms no transliteration of them gives."""


def east_slavic_spelling(name: str) -> str | None:
    """The folded spelling a given name (standardized, Latin or Cyrillic) is
    looked up by: `phonetic_fold` of its Latin spelling, not read as
    romaji (`Юрий`, `Jurij`, `Iurii`, `Yuri` -> `iuri`)."""
    roman = comparable_romanization(name, romaji=False)
    return phonetic_fold(roman) if roman else None


@cache
def _families_by_spelling() -> dict[str, str]:
    """Folded spelling -> the family it is a form of. Raises when two
    families share one: they would be one name."""
    families: dict[str, str] = {}
    for family, forms in EAST_SLAVIC_GIVEN_NAMES.items():
        for form in (family, *forms.split()):
            spelling = east_slavic_spelling(form)
            if spelling is None:
                continue
            if families.setdefault(spelling, family) != family:
                raise ValueError(f"{form!r} ({spelling}) is a form of both {families[spelling]!r} and {family!r}")
    return families


def east_slavic_family(name: str | None) -> str | None:
    """The family (`FAMILY_MARK` and its name: `ru:aleksandr`) a standardized
    given name is a form of, None for a name no family holds."""
    if not name:
        return None
    spelling = east_slavic_spelling(name)
    family = _families_by_spelling().get(spelling) if spelling else None
    return f"{FAMILY_MARK}{family}" if family else None
