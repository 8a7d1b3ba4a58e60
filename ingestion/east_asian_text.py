"""Which East Asian code page an export's bytes were written in, when the one
declared reads them without an error.

The East Asian double-byte code pages put their everyday characters at the
same bytes (lead bytes 0xB0-0xF7), so a Korean EUC-KR file declared `euc-jp`
decodes cleanly into level-1 kanji (`噺据腰硲`), a GB18030 file declared
`cp949` into Hangul and hanja. Errors do not tell them apart; what does is
that a file in its own code page spells the characters names and addresses
are made of (`COMMON_CHARACTERS`: kana, the usual family and given names'
Hangul and han characters, 市/区/路/号), and one read in another code page
spells characters picked nearly at random from some 20,000. Only the
characters where two readings differ are compared (`_differing_shares`): the
kana both EUC-JP and GB2312 write at the same bytes read alike in both.
"""

from __future__ import annotations

from collections import Counter

_HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097))
_KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30FB)) + "ー"
_HANGUL = (
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민나진지엄채원천방공현함변염여추"
    "도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용리림"
    "준호영수희경숙자순미혜재훈태동규상철빈아예은하나다라서윤율건우찬혁환석범근광일승기택형병창중욱웅"
    "시구군읍면동리로길번호층아파트빌딩특별광역도청남북대로중앙역"
)
_HAN = (
    # family names: Japanese, Chinese (simplified and traditional), Korean hanja
    "佐藤鈴木高橋田中伊渡辺山本村小林加吉松井上斎清水崎森池阿部石川下島前岡長谷後近遠青坂福太西原野三浦金子"
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾萧蕭董袁潘"
    "于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范廖贾賈夏韦韋方白邹鄒孟熊秦邱江尹薛闫段雷侯"
    "龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯欧歐阳陽朴申权權洪文孫裴許柳"
    # given names
    "伟偉芳娜敏静靜丽麗强強磊军軍洋勇艳豔杰傑娟涛濤明超秀霞平刚剛桂英华華玉兰蘭萍红紅飞飛鹏鵬建志国國宇婷"
    "怡君雅淑芬美玲惠佳慧欣宏家俊豪文浩思涵子翔雪梅琳晶云雲辉輝宁寧林民成和正德德智贤賢珍娥恩熙秀姬"
    "太郎一二三四五六七八九十次夫男雄彦司誠大翔蓮陽菜結愛花奈央真由里恵千代和幸裕直人健郁亮介輔樹"
    # addresses
    "都道府県县縣市区區町丁目番地号號路街巷弄段楼樓室栋棟单單元小镇鎮乡鄉村省自治州海京东東南北中新"
    "台臺湾灣香港澳门門上广廣深圳天津重庆慶成杭州武汉漢苏蘇沪滬首尔爾釜"
)
COMMON_CHARACTERS = frozenset(_HIRAGANA + _KATAKANA + _HANGUL + _HAN)
"""Characters that make up much of any East Asian customer export's names and
addresses (a few hundred of the ~20,000 an East Asian code page holds)."""

EAST_ASIAN_ENCODINGS = ("cp932", "euc-jp", "cp949", "gb18030", "cp950", "big5hkscs")
"""The declarable double-byte code pages, each read under another's name
without an error often enough."""

_SAME_BYTES = {"cp950": "big5hkscs", "big5hkscs": "cp950"}
"""Code pages that write the everyday characters at the same bytes: either
reads the other's names right."""

MIN_CHARACTERS = 40
"""Fewer non-ASCII characters than this are too few to judge by."""

LIKELY = 0.4
"""A reading is an East Asian export's when at least this share of its
non-ASCII characters is common (exports in their own code page: 0.42-0.84),
and another reading is refused for it when its share is under a third of
that (Korean read as EUC-JP 0.04, Big5 as GB18030 0.24)."""


def common_share(text: str) -> tuple[float, int]:
    """The share of `text`'s non-ASCII characters in `COMMON_CHARACTERS`, and their count."""
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if not wide:
        return 0.0, 0
    return sum(c in COMMON_CHARACTERS for c in wide) / len(wide), len(wide)


def east_asian_encoding_of(sample: bytes, *, besides: str = "") -> tuple[str | None, float]:
    """The code page (or UTF-8) other than `besides` (and its twin in
    `_SAME_BYTES`) whose reading of `sample` holds most common characters,
    and that share; (None, 0.0) when no reading reaches `LIKELY` or the
    sample has too few characters. `sample` ends at a line end."""
    best, best_share = None, 0.0
    for candidate in ("utf-8", *EAST_ASIAN_ENCODINGS):
        if candidate in (besides, _SAME_BYTES.get(besides)):
            continue
        try:
            share, count = common_share(sample.decode(candidate.replace("-", "_")))
        except UnicodeDecodeError:
            continue
        if count >= MIN_CHARACTERS and share > best_share:
            best, best_share = candidate, share
    return (best, best_share) if best_share >= LIKELY else (None, 0.0)


def _differing_shares(declared_text: str, other_text: str) -> tuple[float, float, int]:
    """The share of common characters among what each reading holds that the
    other does not (as multisets of non-ASCII characters), and the smaller
    count. Characters both code pages put at the same bytes cancel out: EUC-JP
    and GB2312 both keep JIS X 0208's kana rows, so a Japanese file read as
    GB18030 keeps its kana (its furigana column reads right) and only its
    kanji turn to chance characters; judged on the whole text, the kana
    carried the wrong reading past the check."""
    declared = Counter(c for c in declared_text if ord(c) > 0x7F and not c.isspace())
    other = Counter(c for c in other_text if ord(c) > 0x7F and not c.isspace())
    declared_only, other_only = declared - other, other - declared
    declared_count, other_count = declared_only.total(), other_only.total()
    if not declared_count or not other_count:
        return 0.0, 0.0, 0
    common = COMMON_CHARACTERS.__contains__
    return (
        sum(n for c, n in declared_only.items() if common(c)) / declared_count,
        sum(n for c, n in other_only.items() if common(c)) / other_count,
        min(declared_count, other_count),
    )


def likelier_east_asian_encoding(sample: bytes, declared: str, declared_text: str) -> str | None:
    """The code page (or UTF-8) whose reading of `sample` looks like East
    Asian names and addresses where the declared one's reading
    (`declared_text`) does not: among the characters where the two readings
    differ (`_differing_shares`), the other's share of common characters
    reaches `LIKELY` and is over three times the declared one's. None when
    the declared one reads it well, no other does, the readings differ in
    too few characters to judge, or `declared` is not an East Asian code page."""
    if declared not in EAST_ASIAN_ENCODINGS:
        return None
    best, best_share = None, 0.0
    for candidate in ("utf-8", *EAST_ASIAN_ENCODINGS):
        if candidate in (declared, _SAME_BYTES.get(declared)):
            continue
        try:
            other_text = sample.decode(candidate.replace("-", "_"))
        except UnicodeDecodeError:
            continue
        declared_share, other_share, count = _differing_shares(declared_text, other_text)
        if count >= MIN_CHARACTERS and other_share >= LIKELY and declared_share * 3 < other_share and other_share > best_share:
            best, best_share = candidate, other_share
    return best
