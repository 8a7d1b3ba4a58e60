"""Decode an export's bytes to UTF-8, streaming, with errors that name the line.

DuckDB and polars read only UTF-8 natively here, so Shift_JIS (cp932), EUC-JP,
the Korean and Chinese code pages (cp949, GB18030, Big5), UTF-16 (Excel's
"Unicode text"), the European, Thai, Hebrew and Arabic code pages and
BOM-prefixed files are decoded in Python in fixed-size chunks and written to a
UTF-8 working copy.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ingestion.east_asian_text import (
    EAST_ASIAN_ENCODINGS,
    east_asian_encoding_of,
    likelier_east_asian_encoding,
)
from ingestion.errors import IngestError
from nayose_config.model import SOURCE_ENCODINGS

CHUNK_BYTES = 8 * 1024 * 1024
SAMPLE_BYTES = 64 * 1024
"""How much of a file is read in each East Asian code page to judge which one wrote it."""

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
"""Bytes latin-1 reads as control characters and Windows' cp1252 as `’ “ ” € œ Š –`:
a file declared latin-1 that holds them was written in cp1252."""

MULTI_BYTE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16", *EAST_ASIAN_ENCODINGS})
SINGLE_BYTE_ENCODINGS = frozenset(SOURCE_ENCODINGS) - MULTI_BYTE_ENCODINGS
"""Code pages in which (nearly) every byte is a character, so a file in another
one decodes without an error: a UTF-8 file declared as one is refused by its
bytes' being valid UTF-8. Every other encoding an export may declare."""

WINDOWS_CODE_PAGE_OF = {
    "latin-1": "cp1252", "iso-8859-15": "cp1252", "iso-8859-2": "cp1250", "iso-8859-5": "cp1251",
    "iso-8859-7": "cp1253", "iso-8859-9": "cp1254", "iso-8859-13": "cp1257", "iso-8859-8": "cp1255",
}  # fmt: skip
"""An ISO-8859 code page and the Windows code page that writes its letters
at the same bytes and adds characters at 0x80-0x9F (`’`, `€`, `œ`, `Š`),
which the ISO one reads as control characters (`_C1_BYTES`)."""

WESTERN_CODE_PAGES = frozenset({"cp1252", "latin-1", "iso-8859-15"})
_OTHER_CODE_PAGE_LETTERS = re.compile(r"[A-Za-z][¹²³±¶¼¥£¿][A-Za-zß-ÿ]|[À-ÖØ-öø-ÿ]{4}")
"""In a file read in a Western code page, what another code page's names
become: a Central European letter read as a sign between letters (`W³adyka`,
`Suwa³ki`: cp1250's `ł`; `Wo¼niak`: ISO-8859-2's `ź`), or a Cyrillic or
Greek word read as a run of accented Latin letters (`Èâàíîâ`: cp1251's
`Иванов`). Western names hold neither."""

_LETTERS = r"[^\W\d_]"
_CP1254_LETTERS_AS_WESTERN = "ýþðÝÞÐ"
"""The letters a Western code page reads cp1254's `ı ş ğ İ Ş Ğ` as: a chunk
without any is not searched for Turkish words (a plain `in` per letter takes
about 1 ms for 10 MB of text, the word pattern over a second)."""
_NOT_TURKISH = r"áéíóúæÁÉÍÓÚÆ"
_TURKISH_AS_WESTERN = re.compile(
    rf"(?<!{_LETTERS})"
    rf"(?:(?={_LETTERS}*[{_CP1254_LETTERS_AS_WESTERN}]{_LETTERS}*[çÇüÜâîû]|{_LETTERS}*[çÇüÜâîû]{_LETTERS}*[{_CP1254_LETTERS_AS_WESTERN}])"
    rf"|(?!{_LETTERS}*[{_NOT_TURKISH}])(?={_LETTERS}*ý{_LETTERS}*ý|{_LETTERS}+þ))"
    rf"{_LETTERS}+"
)
"""In a file read in a Western code page, a Turkish word read as cp1252
reads cp1254's `ı ş ğ İ Ş Ğ` (0xFD 0xFE 0xF0 0xDD 0xDE 0xD0) as the
Icelandic `ý þ ð Ý Þ Ð`: `Yýldýz`, `Kýlýç`, `Ayþe`, `Beþiktaþ`, `Büþra`. What
the languages that do write those letters never hold in one word: one of
them beside `ç`, `ü` or a circumflex; two `ý`; or a `þ` after a letter,
without the acute vowels or `æ` of Icelandic and Czech (`Arnþór`,
`Þórðardóttir`, `Novotný` are not taken)."""
_ICELANDIC_WORD = re.compile(
    rf"(?<!{_LETTERS})(?={_LETTERS}*[{_CP1254_LETTERS_AS_WESTERN}])(?={_LETTERS}*[{_NOT_TURKISH}]){_LETTERS}+"
)
"""Words that hold `ý þ ð` and an acute vowel or `æ`, as Icelandic and
Faroese names do (`Þórðardóttir`, `Guðrún`, `Eyþór`) and Turkish ones read
in cp1252 do not: a file is refused only when the Turkish-looking words
outnumber these (a Western customer list keeps an odd `Výborný`)."""

_CP932_SINGLE_BYTES_OUTSIDE_SHIFT_JIS = re.compile("[\x80\uf8f0-\uf8f3]")
"""What Python's cp932, like Windows, reads the single bytes 0x80, 0xA0 and
0xFD-0xFF as (U+0080, private-use U+F8F0-U+F8F3): no Shift_JIS standard has
a character there. MacJapanese writes a no-break space, `©`, `™` and `…`
there, and some old systems other signs; read as cp932 they went on
invisible inside names and addresses (`山田\uf8f0太郎` no longer `山田 太郎`),
so the file is refused naming the line, as for any byte that is no character
of the declared code page. (The user-defined area, 0xF040-0xF9FC, is read
as Windows reads it, private-use U+E000-U+E757: a company's own kanji.)"""

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
EUC_JP_ERRORS = "nayose-euc-jp-nec"
"""Error handler of the `euc-jp` codec: EUC-JP as Japanese systems write it
(eucJP-ms, CP51932) holds NEC's special characters in row 13 (`①`, `Ⅲ`, `㈱`,
`№`), which Python's strict `euc_jp` lacks; JIS X 0213 puts them at the same
bytes, so those two bytes are read and written as `euc_jis_2004` does."""


def _nec_row_13(exc: UnicodeError) -> tuple[str | bytes, int]:
    if isinstance(exc, UnicodeDecodeError):
        pair = exc.object[exc.start : exc.start + 2]
        if len(pair) == 2 and pair[0] == 0xAD:
            try:
                return pair.decode("euc_jis_2004"), exc.start + 2
            except UnicodeDecodeError:
                pass
    elif isinstance(exc, UnicodeEncodeError):
        char = exc.object[exc.start]
        try:
            pair = char.encode("euc_jis_2004")
        except UnicodeEncodeError:
            pair = b""
        if len(pair) == 2 and pair[0] == 0xAD:
            return pair, exc.start + 1
    raise exc


codecs.register_error(EUC_JP_ERRORS, _nec_row_13)


@dataclass(frozen=True)
class TextCodec:
    """How a file declared in a source `encoding` is read: Python's codec, the
    leading bytes that are a byte-order mark and not data (kept when the
    file is rewritten), and the codec's error handler."""

    name: str
    bom: bytes = b""
    errors: str = "strict"

    def decode(self, data: bytes) -> str:
        return data[len(self.bom) :].decode(self.name, self.errors)

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.name, self.errors)


def text_codec(encoding: str, head: bytes, *, display_name: str) -> TextCodec:
    """The codec of a file declared `encoding` whose first bytes are `head`.

    `utf-16` follows the file's byte-order mark (Excel writes little-endian
    with one); without a mark, the side its ASCII characters' zero bytes are
    on. A file declared utf-16 with neither is refused: UTF-8 or Shift_JIS
    bytes would read as nonsense CJK characters, not as an error. So is a
    file with a UTF-16 byte-order mark declared as anything else (`ÿþ` and
    NULs in cp1252)."""
    if encoding != "utf-16" and any(head.startswith(bom) for bom in UTF16_BOMS):
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but its byte-order mark says UTF-16; declare `encoding: utf-16` in nayose.yaml",
            row=1,
        )
    if encoding in ("utf-8", "utf-8-sig"):
        return TextCodec("utf-8", UTF8_BOM if head.startswith(UTF8_BOM) else b"")
    if encoding == "euc-jp":
        return TextCodec("euc_jp", errors=EUC_JP_ERRORS)
    if encoding == "utf-16":
        for bom, name in UTF16_BOMS.items():
            if head.startswith(bom):
                return TextCodec(name, bom)
        pairs = head[: len(head) // 2 * 2]
        zeros_first, zeros_second = pairs[0::2].count(0), pairs[1::2].count(0)
        if zeros_first + zeros_second or not head:  # an empty file is refused as empty by its parser
            return TextCodec("utf-16-be" if zeros_first > zeros_second else "utf-16-le")
        raise IngestError(
            display_name,
            "the file is declared utf-16 but has no byte-order mark and no UTF-16 characters; "
            "check the source's `encoding` in nayose.yaml",
            row=1,
        )
    return TextCodec(encoding)


def header_encoding_hint(columns: list[str], wanted: str, encoding: str) -> str:
    """A hint for a mapped column `wanted` that the header read in the
    declared `encoding` lacks: the first other encoding (`SOURCE_ENCODINGS`
    order) in which the header's bytes spell it, e.g. `이름` from a Korean
    file declared euc-jp, whose header read `噺据`. Empty when none does
    (the mapping, not the encoding, is then what to check)."""
    try:
        codec = text_codec(encoding, b"", display_name="")
        written = [column.encode(codec.name, codec.errors) for column in columns]
    except (IngestError, UnicodeEncodeError):
        return ""
    wanted_folded = wanted.casefold()
    for candidate in SOURCE_ENCODINGS:
        if candidate in (encoding, "utf-8-sig", "utf-16"):
            continue
        other = text_codec(candidate, b"", display_name="")
        try:
            reread = [column.decode(other.name, other.errors).casefold() for column in written]
        except UnicodeDecodeError:
            continue
        if wanted_folded in reread:
            return (
                f" (the file's header reads as {candidate}, where it has '{wanted}': "
                f"check the source's `encoding: {encoding}` in nayose.yaml)"
            )
    return ""


def file_sha256(path: Path) -> str:
    """sha256 hex of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _declared_but_utf8(encoding: str) -> str:
    return (
        f"the file is declared {encoding} but its bytes are UTF-8 (read as {encoding}, `é` would become `Ã©`); "
        "declare `encoding: utf-8` (or utf-8-sig) in nayose.yaml"
    )


def _sample(path: Path) -> bytes:
    """The file's first `SAMPLE_BYTES`, up to its last line end there (an
    ASCII newline is never part of a double-byte character)."""
    with open(path, "rb") as src:
        sample = src.read(SAMPLE_BYTES)
    return sample[: sample.rfind(b"\n") + 1] if b"\n" in sample else sample


def _refuse_other_east_asian(path: Path, codec: TextCodec, encoding: str, display_name: str) -> None:
    """Refuse a file declared in one East Asian code page that another one
    wrote: it decodes without an error into characters names seldom hold
    (EUC-KR read as EUC-JP: `噺据腰硲`), see `east_asian_text`."""
    sample = _sample(path)
    try:
        declared_text = codec.decode(sample)
    except UnicodeDecodeError:
        return  # refused line by line below
    likely = likelier_east_asian_encoding(sample, encoding, declared_text)
    if likely is not None:
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but reads as {likely}: read in {encoding}, its names and "
            f"addresses are characters customer data seldom holds; declare `encoding: {likely}` in nayose.yaml",
            row=1,
        )


def _east_asian_hint(path: Path, encoding: str) -> str:
    """`(it reads as cp949)` for a file refused in `encoding` that an East Asian code page reads well."""
    likely, _ = east_asian_encoding_of(_sample(path), besides=encoding)
    return f" (it reads as {likely})" if likely is not None else ""


def decode_to_utf8(path: Path, encoding: str, target: Path, *, display_name: str) -> None:
    """Write `path` decoded from `encoding` to `target` as UTF-8 (no BOM).

    Refuses bytes that are not valid in the declared encoding with an
    `IngestError` naming the file and line, and suggesting the fix (the
    East Asian code page that reads the file, where one does); and a file
    declared in one East Asian code page that reads as another's
    (`_refuse_other_east_asian`); in cp932, the single bytes no Shift_JIS
    standard has (`_CP932_SINGLE_BYTES_OUTSIDE_SHIFT_JIS`); in a file declared in a Western code page,
    letters that read as another code page's (`_OTHER_CODE_PAGE_LETTERS`) or
    words that read as Turkish in cp1254 (`_TURKISH_AS_WESTERN`)."""
    with open(path, "rb") as src:
        head = src.read(4096)
    codec = text_codec(encoding, head, display_name=display_name)
    if encoding in EAST_ASIAN_ENCODINGS:
        _refuse_other_east_asian(path, codec, encoding, display_name)
    decoder = codecs.getincrementaldecoder(codec.name)(errors=codec.errors)
    # A single-byte code page reads any bytes: UTF-8 declared as one would pass as mojibake (`JosÃ©`).
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="strict") if encoding in SINGLE_BYTE_ENCODINGS else None
    utf8_line: int | None = None  # the first line holding a character UTF-8 spells in several bytes
    c1_line: int | None = None  # in a file declared ISO-8859, the first line holding a byte of `_C1_BYTES`
    other_page_line: int | None = None  # in a Western code page, the first line `_OTHER_CODE_PAGE_LETTERS` finds
    turkish_line: int | None = None  # in a Western code page, the first line `_TURKISH_AS_WESTERN` finds
    turkish_words = icelandic_words = 0
    line = 1
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        src.seek(len(codec.bom))  # a BOM is never data
        while True:
            chunk = src.read(CHUNK_BYTES)
            final = not chunk
            if utf8 is not None:
                try:
                    utf8.decode(chunk, final=final)
                    if utf8_line is None and not chunk.isascii():
                        utf8_line = line + chunk[: _NON_ASCII.search(chunk).start()].count(b"\n")
                except UnicodeDecodeError:
                    utf8 = None  # not UTF-8: the code page it is declared in
            if encoding in WINDOWS_CODE_PAGE_OF and c1_line is None and (c1 := _C1_BYTES.search(chunk)):
                c1_line = line + chunk[: c1.start()].count(b"\n")
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                bad_line = line + chunk[: exc.start].decode(codec.name, "replace").count("\n")
                if utf8 is not None:  # a code page lacking a byte UTF-8 uses (`И` is D0 98, 98 is none of cp1251's)
                    raise IngestError(display_name, _declared_but_utf8(encoding), row=bad_line) from None
                raise IngestError(
                    display_name,
                    f"bytes are not valid {encoding}{_east_asian_hint(path, encoding)}; check the source's "
                    f"`encoding` in nayose.yaml ({', '.join(SOURCE_ENCODINGS)}) or re-export the file",
                    row=bad_line,
                ) from None
            if encoding in WESTERN_CODE_PAGES and other_page_line is None and (found := _OTHER_CODE_PAGE_LETTERS.search(text)):
                other_page_line = line + text[: found.start()].count("\n")
            if encoding in WESTERN_CODE_PAGES and any(letter in text for letter in _CP1254_LETTERS_AS_WESTERN):
                turkish = [found.start() for found in _TURKISH_AS_WESTERN.finditer(text)]  # one pass of the pattern
                if turkish:
                    turkish_line = turkish_line if turkish_line is not None else line + text[: turkish[0]].count("\n")
                    turkish_words += len(turkish)
                    icelandic_words += len(_ICELANDIC_WORD.findall(text))
            if codec.name == "cp932" and (outside := _CP932_SINGLE_BYTES_OUTSIDE_SHIFT_JIS.search(text)):
                raise IngestError(
                    display_name,
                    f"the file holds a byte that is no Shift_JIS character (0x{outside.group().encode('cp932').hex().upper()}: "
                    "Windows reads it as a private-use code, MacJapanese writes a no-break space, ©, ™ or … there); "
                    "re-export the file as cp932 or UTF-8, or correct the line, and run again",
                    row=line + text[: outside.start()].count("\n"),
                )
            line += text.count("\n")
            dst.write(text)
            if final:
                break
    if utf8 is not None and utf8_line is not None:
        raise IngestError(display_name, _declared_but_utf8(encoding), row=utf8_line)
    if c1_line is not None:
        windows = WINDOWS_CODE_PAGE_OF[encoding]
        example = " as ’ “ ” € œ (a name such as N’Diaye would be cleared)" if windows == "cp1252" else ""
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but holds bytes that {encoding} reads as control characters and "
            f"Windows' {windows}{example}; declare `encoding: {windows}` in nayose.yaml",
            row=c1_line,
        )
    if turkish_line is not None and turkish_words > icelandic_words:
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but its words read as Turkish written in Windows' cp1254: "
            f"{encoding} reads its ı ş ğ İ as ý þ ð Ý; declare `encoding: cp1254` "
            "(or iso-8859-9) in nayose.yaml",
            row=turkish_line,
        )
    if other_page_line is not None:
        raise IngestError(
            display_name,
            f"the file is declared {encoding} but its letters read as another code page's: a Central European "
            "letter as a sign inside a word (ł as ³), or a Cyrillic or Greek word as accented Latin letters; "
            "declare the export's code page in nayose.yaml (cp1250 or iso-8859-2 for Polish, Czech, Hungarian; "
            "cp1251 or koi8-r for Cyrillic; cp1253 or iso-8859-7 for Greek; cp1254 for Turkish) or utf-8",
            row=other_page_line,
        )
