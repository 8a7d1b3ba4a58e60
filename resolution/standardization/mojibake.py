"""Mojibake inside a UTF-8 export: text that was UTF-8, read as cp1252 or
latin-1 and written out as UTF-8 again, repaired value by value.

An upstream system that once read UTF-8 bytes in a Western code page
delivers `MÃ¼ller`, `FranÃ§ois`, `St. Maryâ€™s`, `ç”°ä¸­` (田中) inside a
file that is otherwise good UTF-8: ingestion's file-level encoding checks
cannot see it (every byte is valid UTF-8), the keys never meet the clean
spelling's, and NFKC mangles the garbage further (`â€™` -> `â€TM`). A
file declared in the wrong code page is refused at ingestion
(`ingestion.decoding`); this is the row-level remainder.

A value is repaired only where the repair is certain: `ftfy` judges it
mojibake and undoes it (its encoding fixes only: no quotes uncurled, no
HTML unescaped), the repair holds no replacement character (bytes lost
upstream), and reading the repaired text's UTF-8 in cp1252 (as Windows
does, undefined bytes kept) or latin-1 (once, or twice for double mojibake)
gives the delivered value back exactly. Legitimate text (`São Paulo`,
`Ångström`, `Þórðardóttir`, `Nguyễn`, `İstanbul`, Thai, kanji) stays as it
is. Only values holding a tell-tale pair (`MOJIBAKE_TELL`, found in polars)
reach Python, once per distinct value.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers `sloppy-windows-1252`, cp1252 as Windows decodes it)
import polars as pl

from nayose_config import CANONICAL_FIELDS
from resolution.standardization.issues import issue_column, issue_when

CP1252_SIGNS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
"""What cp1252 reads bytes 0x80-0x9F as (latin-1 reads C1 controls)."""
MOJIBAKE_TELL = f"[\u00c2-\u00f4][\u0080-\u00bf{CP1252_SIGNS}]"
"""A UTF-8 lead byte (0xC2-0xF4) read as cp1252 or latin-1 (`Â`-`ô`),
followed by a continuation byte (0x80-0xBF) read the same way (`€`-`Ÿ`,
C1 controls, no-break space to `¿`): `Ã¼`, `â€`, `ç”`. Legitimate text
seldom holds the pair (a letter then a sign: `ç”` in no word); `ftfy`
judges the values that do."""

MOJIBAKE_FIELDS = tuple(
    field
    for field in CANONICAL_FIELDS
    if field not in ("birth_date", "gender", "email", "phone", "postal_code", "updated_at")
)
"""The canonical fields of free text people read (names, readings, address parts, country), where mojibake shows."""

MISREAD_CODECS = ("sloppy-windows-1252", "latin-1")
"""How UTF-8 text is misread into mojibake: Windows' cp1252 (with its five
undefined bytes kept as C1 controls, as Windows keeps them) and latin-1."""

_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    replace_lossy_sequences=False,  # a byte lost upstream is not guessed back
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)
"""`ftfy` undoing mojibake and nothing else (its other fixes would change
legitimate values: `’` to `'`, `&amp;` to `&`)."""

REPAIR_ISSUE = "text_mojibake_repaired"
TRIMMED_BYTES = ("\u00a0", "\u0085")
"""Continuation bytes that cp1252 or latin-1 read as a space parsing trims
off a value's end: 0xA0 (no-break space; `à` is C3 A0, `誠` E8 AA A0) and,
in latin-1, 0x85 (next line; `…` is E2 80 A6, `ễ` E1 BB 85)."""
_TELL = re.compile(MOJIBAKE_TELL)
_CP1252_SIGN = re.compile(f"[{CP1252_SIGNS}]")
_TWO_CAPITALS = re.compile("[A-Z]{2}")
_MAX_LAYERS = 2  # mojibake of mojibake (`ÃƒÂ©`) is undone too; three layers is noise


def _misread(text: str, codec: str) -> str | None:
    """`text`'s UTF-8 bytes read in `codec`, or None when it cannot read them."""
    try:
        return text.encode("utf-8").decode(codec)
    except UnicodeDecodeError:
        return None


def _without_no_break_spaces(text: str) -> str:
    return text.replace("\u00a0", " ").strip()  # `strip`, as parsing's `strip_chars`: spaces, 0xA0, 0x85


def _gives_back(repaired: str, delivered: str) -> bool:
    """Whether misreading `repaired` (in one of `MISREAD_CODECS`, one or two
    layers) gives `delivered`: a no-break space (`à` is C3 A0) that became a
    plain space or was trimmed off the value's end counts as itself."""
    wanted = _without_no_break_spaces(delivered)
    for codec in MISREAD_CODECS:
        text: str | None = repaired
        for _ in range(_MAX_LAYERS):
            text = _misread(text, codec) if text is not None else None
            if text is None:
                break
            if _without_no_break_spaces(text) == wanted:
                return True
    return False


def repaired_text(value: str) -> str | None:
    """The UTF-8 text `value` was before it was misread in cp1252 or latin-1
    (`MÃ¼ller` -> `Müller`, `St. Maryâ€™s` -> `St. Mary’s`, `ç”°ä¸­` -> `田中`),
    or None when `value` is not certainly such mojibake: `ftfy` finds nothing
    to undo (`São Paulo`, `Ãlvaro`), its repair lost bytes (U+FFFD), or the
    repair misread does not give `value` back (`_gives_back`). A value in
    capitals is repaired in capitals (`_in_capitals`). A value's last byte
    may have been trimmed off with its spaces (`_repaired_with_trimmed_byte`)."""
    repaired: str | None = ftfy.fix_encoding(value, _ENCODING_ONLY)
    if not _certain(repaired, value):
        repaired = _repaired_with_trimmed_byte(value)
    if repaired is None:
        return None
    return _in_capitals(repaired) if _written_in_capitals(value) else repaired


def _certain(repaired: str, value: str) -> bool:
    """Whether `repaired` (ftfy's) is certainly what `value` was: changed, no byte lost, given back."""
    return repaired != value and "\ufffd" not in repaired and _gives_back(repaired, value)


def _repaired_with_trimmed_byte(value: str) -> str | None:
    """`ftfy`'s repair of `value` with the byte parsing trimmed off its end, where
    mojibake before its last letter says it is mojibake: a character ending in
    byte 0xA0 ends in a no-break space read in cp1252 or latin-1, one ending in
    0x85 in latin-1's next-line control, both spaces to a trim (`Nguyá»…n Thá»‹ HÃ`
    is `Nguyễn Thị Hà`, `åŽŸç”°èª` is `原田誠`), and only one of those bytes
    gives a repair (latin-1's `HÃ` may be `Hà` or `HÅ`). Alone, the letter
    before the lost byte is a word (`IRMÃ`, `Voilà`'s `VoilÃ`)."""
    if not _TELL.search(value[:-1]):
        return None
    # a sign only cp1252 has (`€`, `’`, `Ÿ`) says it was cp1252, which reads 0x85 as `…`, kept by a trim
    trimmed_bytes = TRIMMED_BYTES[:1] if _CP1252_SIGN.search(value) else TRIMMED_BYTES
    repairs = {ftfy.fix_encoding(value + trimmed, _ENCODING_ONLY).strip() for trimmed in trimmed_bytes}
    repairs = {repaired for repaired in repairs if _certain(repaired, value)}
    return repairs.pop() if len(repairs) == 1 else None  # two bytes that fit: `é\x9b` is 雅 or 雠


def _written_in_capitals(value: str) -> bool:
    """Whether `value` was written in capitals: no lower-case letter, and two
    capital Latin letters in a row (what mojibake's signs leave of a word
    proper: `LÃª` is `Lê`, a Greek or Japanese name's mojibake has none)."""
    return value.upper() == value and _TWO_CAPITALS.search(value) is not None


def _in_capitals(text: str) -> str:
    """`text` in capitals, a letter without a one-letter capital (`ß`) as it is:
    an export that writes names in capitals upper-cased the mojibake, whose
    signs have none (`Ã’GÃºNLÃ¨YÃ¨` is `ÒGúNLèYè` undone, `ÒGÚNLÈYÈ` meant)."""
    return "".join(upper if len(upper := letter.upper()) == 1 else letter for letter in text)


def _repairs(values: pl.Series) -> dict[str, str]:
    """Delivered value -> repaired value, for the distinct values of `values`
    holding `MOJIBAKE_TELL` that `repaired_text` repairs."""
    suspicious = values.filter(values.str.contains(MOJIBAKE_TELL).fill_null(False)).unique()
    return {value: fixed for value in suspicious.to_list() if (fixed := repaired_text(value)) is not None}


def _applied(values: pl.Series, repairs: dict[str, str]) -> pl.Series:
    return values.replace(repairs) if repairs else values


def repaired_values(values: pl.Series) -> pl.Series:
    """`values` (Utf8) with each value `repaired_text` repairs repaired; the
    rest, and nulls, as they are."""
    return _applied(values, _repairs(values))


def without_mojibake(expr: pl.Expr) -> pl.Expr:
    """`repaired_values` as an expression: for text shown to people from
    delivered values (golden records' spelling), as standardization reads it."""
    return expr.cast(pl.Utf8).map_batches(repaired_values, return_dtype=pl.Utf8, is_elementwise=True)


def with_mojibake_repaired(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """`frame` with the `MOJIBAKE_FIELDS` it holds repaired
    (`repaired_values`), an issue column per field with a repair
    (`text_mojibake_repaired`, a flag: the steward sees it was repaired),
    and the delivered values of those fields (field -> column, in `frame`'s
    row order), which the record keeps: lineage shows what the source sent."""
    delivered: dict[str, pl.Series] = {}
    fields = [field for field in MOJIBAKE_FIELDS if field in frame.columns]
    # one pass over every field at once (polars runs them in parallel): most nights no value holds the tell
    told = frame.select(pl.col(field).str.contains(MOJIBAKE_TELL).any() for field in fields).row(0) if fields else ()
    for field in (field for field, found in zip(fields, told, strict=True) if found):
        values = frame.get_column(field)
        repairs = _repairs(values)
        if not repairs:
            continue
        delivered[field] = values
        frame = frame.with_columns(_applied(values, repairs).alias(field)).with_columns(
            issue_when(pl.col(field).ne_missing(values), REPAIR_ISSUE).alias(issue_column(field, "mojibake"))
        )
    return frame, delivered
