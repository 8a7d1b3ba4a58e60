"""Whether a name (or an email) found inside a longer text is that value, or part of another word.

The residual search after an erasure looks for the person's names in every
file. A name is short and common letters: found as a mere substring, the
given name "Mine" turns up in another customer's `inoe_mine@ezweb.ne.jp`,
and 美香 in another's 美香子, and the erasure reports values left behind
where nothing of the person is. So a name counts only where it stands as a
word: the characters next to it are not letters of its own script (Latin,
kanji, hiragana, katakana: Japanese writes no spaces, so 直恵 inside 野石直恵
is another full name, while 直恵さん or 直恵, is the name), and a Latin name is
not joined by `.`, `-`, `_`, `+`, `'` or `@` to more letters (a handle or an
email address). An honorific after a name (様, 殿, 氏, さん ...) ends it.
Emails are matched so too: `kyoe.umei@outlook.jp` inside another customer's
`new.kyoe.umei@outlook.jp` is theirs.

Neighbours are read in the text form the match was found in: bytes are
decoded around the match in the encoding searched (JSON's `\\uXXXX`
escapes included); bytes that decode to no letter are a boundary.
"""

from __future__ import annotations

import re
import unicodedata

JOINERS = frozenset(".-_+'@")
"""Characters that join a Latin name to more letters into one token (an email, a handle)."""

HONORIFICS = ("様", "殿", "氏", "さん", "さま", "くん", "ちゃん", "君")
"""Words written straight after a Japanese name: the name ends where they start."""

_WINDOW = 12  # bytes decoded on each side of a match: three characters in any searched encoding
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def script(char: str) -> str | None:
    """The script class of one character (after NFKC, so full-width Latin is
    Latin and half-width kana is katakana): `latin` (digits and `_` too),
    `han`, `hiragana`, `katakana`, `kana` (marks both kana use), another
    script's name, or None for a character that is no letter or digit."""
    folded = unicodedata.normalize("NFKC", char)[:1] or char
    if folded == "_":
        return "latin"
    if not folded.isalnum():
        return None
    name = unicodedata.name(folded, "")
    if name.startswith("KATAKANA-HIRAGANA") or name.startswith("COMBINING KATAKANA-HIRAGANA"):
        return "kana"
    for prefix, label in (("CJK", "han"), ("IDEOGRAPHIC", "han"), ("HIRAGANA", "hiragana"), ("KATAKANA", "katakana")):
        if name.startswith(prefix):
            return label
    if name.startswith("LATIN") or unicodedata.category(folded) == "Nd":
        return "latin"
    return name.split(" ", 1)[0] or None


def _joined(edge: str, neighbour: str) -> bool:
    mine, theirs = script(edge), script(neighbour)
    if mine is None or theirs is None:
        return False
    if mine == theirs:
        return True
    kana = {"hiragana", "katakana", "kana"}
    return "kana" in (mine, theirs) and mine in kana and theirs in kana


def stands_alone(before: str, form: str, after: str) -> bool:
    """Whether `form`, written between `before` and `after` (the text next to
    it, nearest characters at the inner ends, up to three each), stands as a
    word of its own."""
    if not form:
        return False
    if before and _joined(form[0], before[-1]):
        return False
    if after and _joined(form[-1], after[0]) and not after.startswith(HONORIFICS):
        return False
    if script(form[0]) == "latin" and len(before) >= 2 and before[-1] in JOINERS and script(before[-2]) == "latin":
        return False
    if script(form[-1]) == "latin" and len(after) >= 2 and after[0] in JOINERS and script(after[1]) == "latin":
        return False
    return True


def occurs_as_word(text: str, form: str) -> bool:
    """Whether `form` occurs in `text` standing alone at least once."""
    start = text.find(form)
    while start >= 0:
        end = start + len(form)
        if stands_alone(text[max(0, start - 3):start], form, text[end:end + 3]):
            return True
        start = text.find(form, start + 1)
    return False


def json_unescaped(text: str) -> str:
    """`text` with JSON's `\\uXXXX` escapes written as the characters they
    stand for (a surrogate pair as its one character beyond the BMP, a lone
    surrogate as U+FFFD)."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _decoded_before(data: bytes, start: int, encoding: str) -> str:
    if encoding in ("cp932", "euc_jp"):
        # two-byte encodings do not resynchronise mid-text: decode from the line's start,
        # where a newline byte (never part of a two-byte character) left the text aligned
        line = data.rfind(b"\n", max(0, start - 256), start) + 1 or max(0, start - 256)
        return data[line:start].decode(encoding, "replace")[-3:]
    window = data[max(0, start - _WINDOW - 6 * 3):start] if encoding == "json" else data[max(0, start - _WINDOW):start]
    if encoding == "json":
        return json_unescaped(window.decode("latin-1"))[-3:]
    return window.decode(encoding, "replace")[-3:]


def _decoded_after(data: bytes, end: int, encoding: str) -> str:
    if encoding == "json":
        return json_unescaped(data[end:end + _WINDOW + 6 * 3].decode("latin-1"))[:3]
    return data[end:end + _WINDOW].decode(encoding, "replace")[:3]


def bytes_hold_word(data: bytes, pattern: bytes, form: str, encoding: str) -> bool:
    """Whether `pattern` (`form` encoded in `encoding`, or `json` for its ASCII
    `\\uXXXX` escape) occurs in `data` standing alone at least once."""
    start = data.find(pattern)
    while start >= 0:
        end = start + len(pattern)
        if stands_alone(_decoded_before(data, start, encoding), form, _decoded_after(data, end, encoding)):
            return True
        start = data.find(pattern, start + 1)
    return False
