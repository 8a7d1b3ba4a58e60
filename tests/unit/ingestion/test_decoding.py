"""Decoding exports to UTF-8: BOMs dropped, bad bytes reported by file and line."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from ingestion import decoding
from ingestion.decoding import decode_to_utf8, file_sha256
from ingestion.errors import IngestError

TEXT = "会員番号,氏名\nP1,山田　太郎\nP2,髙橋　健\n"


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        ("cp932", TEXT.encode("cp932")),
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", TEXT.encode("utf-8-sig")),
        ("utf-8-sig", TEXT.encode("utf-8")),  # a BOM is optional under utf-8-sig
        ("utf-8", TEXT.encode("utf-8-sig")),  # a stray BOM is never data
    ],
)
def test_decodes_to_utf8_without_bom(tmp_path: Path, encoding, raw):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(raw)

    decode_to_utf8(source, encoding, target, display_name="exports/in.csv")

    assert target.read_bytes() == TEXT.encode("utf-8")


WESTERN = "CUST_NO,NAME\r\n000002,\"O'BRIEN, Zoë\"\r\n000005,Núñez José Œ €\r\n"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_code_pages_decode(tmp_path: Path, encoding):
    # a Windows Excel CSV (cp1252) or an older system's (latin-1); latin-1 has no Œ or €
    text = WESTERN if encoding == "cp1252" else WESTERN.replace(" Œ €", "")
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(encoding))
    decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert target.read_bytes() == text.encode()


def test_crlf_line_endings_are_kept(tmp_path: Path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("a,b\r\n山田,太郎\r\n".encode("cp932"))
    decode_to_utf8(source, "cp932", target, display_name="in.csv")
    assert target.read_bytes() == "a,b\r\n山田,太郎\r\n".encode("utf-8")


@pytest.mark.parametrize(
    ("encoding", "raw", "line"),
    [
        ("utf-8", b"\xff,b\n1,2\n", 1),
        ("utf-8", b"a,b\n1,2\n\xff,3\n", 3),
        ("utf-8-sig", "\ufeffa,b\n1,2\n".encode("utf-8") + b"\xe3\x81\n", 3),
        ("cp932", "a,b\n山田,太郎\n".encode("cp932") + b"\x81\n", 3),
        ("utf-8", "a,b\n山田,太郎\n".encode("cp932"), 2),  # cp932 bytes declared as utf-8
        ("utf-8", "a,b\n1,José\n".encode("cp1252"), 2),  # cp1252 bytes declared as utf-8
        ("cp1252", b"a,b\n1,\x81\n", 2),  # a byte cp1252 leaves undefined
        ("utf-8", "a,b\n1,2\n山".encode("utf-8")[:-1], 3),  # file cut inside a character
    ],
)
def test_invalid_bytes_name_file_and_line(tmp_path: Path, encoding, raw, line):
    source = tmp_path / "in.csv"
    source.write_bytes(raw)

    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, encoding, tmp_path / "out.csv", display_name="exports/pos_1.csv")

    error = caught.value
    assert error.file == "exports/pos_1.csv"
    assert error.row == line
    assert str(error).startswith(f"exports/pos_1.csv, row {line}: ")
    assert encoding in str(error) and "nayose.yaml" in str(error)


@pytest.mark.parametrize("byte", [b"\x80", b"\xa0", b"\xfd", b"\xfe", b"\xff"])
def test_cp932_single_bytes_no_shift_jis_standard_has_are_refused_naming_the_line(tmp_path: Path, monkeypatch, byte):
    """Python's cp932 reads 0x80, 0xA0 and 0xFD-0xFF without an error, as
    U+0080 and private-use characters that then sit invisible in a name;
    the file is refused naming the line and the byte, not the value. The
    same bytes as the second byte of a character (`÷` is 81 80, `◇` 81 A0) read."""
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 7)  # found across chunks
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("会員番号,氏名\nP1,山田　太郎\nP2,".encode("cp932") + "髙橋".encode("cp932") + byte + "健\n".encode("cp932"))
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "cp932", target, display_name="exports/kokyaku.csv")
    assert caught.value.row == 3 and f"0x{byte.hex().upper()}" in str(caught.value)
    assert "髙橋" not in str(caught.value) and "re-export the file as cp932 or UTF-8" in str(caught.value)
    source.write_bytes("会員番号,記号\nP1,÷◇\n".encode("cp932"))
    decode_to_utf8(source, "cp932", target, display_name="exports/kokyaku.csv")
    assert target.read_text(encoding="utf-8") == "会員番号,記号\nP1,÷◇\n"


def test_line_is_counted_across_chunks(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 4)
    source = tmp_path / "in.csv"
    source.write_bytes("ab\n山田\ncd\nef\n".encode("utf-8") + b"\xff\n")

    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "utf-8", tmp_path / "out.csv", display_name="in.csv")
    assert caught.value.row == 5


def test_multibyte_character_split_across_chunks_decodes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 3)
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(("\ufeff" + TEXT).encode("utf-8"))
    decode_to_utf8(source, "utf-8-sig", target, display_name="in.csv")
    assert target.read_text(encoding="utf-8") == TEXT


def test_file_sha256_is_hash_of_bytes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 5)
    data = TEXT.encode("cp932") * 3
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_utf8_declared_as_a_western_code_page_is_refused(tmp_path: Path, encoding):
    """Every byte is a character in these code pages, so a UTF-8 file declared
    as one would pass as mojibake (`Zoë` as `ZoÃ«`): its bytes being valid
    UTF-8 with characters beyond ASCII give it away; the line of the first is named."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(WESTERN.replace(" Œ €", "").encode())
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert caught.value.row == 2 and "declare `encoding: utf-8`" in str(caught.value)
    source.write_bytes(b"CUST_NO,NAME\r\n000002,OBRIEN\r\n")  # plain ASCII reads the same either way
    decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert target.read_bytes() == b"CUST_NO,NAME\r\n000002,OBRIEN\r\n"


def test_cp1252_declared_as_latin_1_is_refused_naming_the_line(tmp_path: Path, monkeypatch):
    """latin-1 reads cp1252's `’` (0x92) and `œ` (0x9C) as control characters,
    which then clear the name they are in (`N’Diaye`): a file declared
    latin-1 holding such bytes is refused, naming the first line and
    cp1252. A latin-1 file without them reads as before."""
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 16)  # the byte is found across chunks
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("id;name\r\n1;Zoë Müller\r\n2;Aïssatou N’Diaye\r\n".encode("cp1252"))
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "latin-1", target, display_name="exports/crm.csv")
    assert caught.value.row == 3 and "declare `encoding: cp1252`" in str(caught.value)
    decode_to_utf8(source, "cp1252", target, display_name="exports/crm.csv")
    assert "N’Diaye" in target.read_text(encoding="utf-8")
    source.write_bytes("id;name\r\n1;Zoë Müller\r\n".encode("latin-1"))
    decode_to_utf8(source, "latin-1", target, display_name="exports/crm.csv")
    assert target.read_bytes().decode("utf-8") == "id;name\r\n1;Zoë Müller\r\n"


EUROPEAN_NAMES = {
    "cp1250": "nazwisko;imię;miasto\r\n1;Władyka;Suwałki\r\n2;Woźniak;Łódź\r\n",
    "iso-8859-2": "nazwisko;imię;miasto\r\n1;Władyka;Suwałki\r\n2;Dvořák;Brno\r\n",
    "cp1251": "Фамилия;Имя\r\n1;Иванов;Єлисей\r\n2;Петренко;Олена\r\n",
    "koi8-r": "Фамилия;Имя\r\n1;Иванов;Сергей\r\n",
    "cp1253": "επώνυμο;όνομα\r\n1;Παπαδόπουλος;Γιώργος\r\n",
    "iso-8859-7": "επώνυμο;όνομα\r\n1;Καρυδά;Ελένη\r\n",
    "cp1254": "soyad;ad\r\n1;Öztürk;Şahin\r\n2;Ağaoğlu;İpek\r\n",
    "iso-8859-9": "soyad;ad\r\n1;Çetin;Işıl\r\n",
    "cp1257": "pavardė;vardas\r\n1;Kazlauskas;Žydrūnas\r\n",
}


@pytest.mark.parametrize("encoding", sorted(EUROPEAN_NAMES))
def test_european_code_pages_are_read(tmp_path: Path, encoding):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(EUROPEAN_NAMES[encoding].encode(encoding))
    decode_to_utf8(source, encoding, target, display_name="exports/shop.csv")
    assert target.read_bytes().decode("utf-8") == EUROPEAN_NAMES[encoding]


@pytest.mark.parametrize(("written_in", "declared"), [("cp1250", "cp1252"), ("iso-8859-2", "latin-1"), ("cp1251", "cp1252"), ("cp1253", "iso-8859-15")])
def test_another_code_page_declared_as_a_western_one_is_refused_naming_the_line(tmp_path: Path, written_in, declared):
    """A Polish shop's "ANSI" export declared cp1252 read `Władyka` as
    `W³adyka` in 111 of 277 records, without an issue; a Cyrillic one reads
    as runs of accented letters (`Èâàíîâ`). The line is named, not the value."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(EUROPEAN_NAMES[written_in].encode(written_in))
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, declared, target, display_name="exports/sklep.csv")
    message = str(caught.value)
    assert caught.value.row in (1, 2) and "another code page" in message and "cp1250" in message
    assert "adyka" not in message and "Иванов" not in message


@pytest.mark.parametrize("name", ["Zoë Müller", "Þórðardóttir", "Søren Kierkegaard", "Gonçalves", "François-Xavier Œuvray", "Ærøskøbing"])
def test_western_names_read_in_a_western_code_page_are_not_taken_for_another(tmp_path: Path, name):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(f"id;name\r\n1;{name}\r\n".encode("cp1252"))
    decode_to_utf8(source, "cp1252", target, display_name="exports/crm.csv")
    assert name in target.read_text(encoding="utf-8")


TURKISH = "soyad;ad;adres\r\n1;Yıldız;Ayşe;Beşiktaş\r\n2;Kılıç;Büşra;Kadıköy\r\n3;Doğan;İbrahim;Şişli\r\n"


@pytest.mark.parametrize("declared", ["cp1252", "latin-1", "iso-8859-15"])
def test_turkish_declared_as_a_western_code_page_is_refused_naming_cp1254(tmp_path: Path, declared):
    """A Western code page reads cp1254's ı ş ğ İ as the Icelandic ý þ ð Ý
    (`Yýldýz`, `Ayþe`): no error and no `Ã`, only wrong letters. Words
    Icelandic never holds (`Kýlýç`, `Beþiktaþ`) give the file away; the
    first such line is named, not the value."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(TURKISH.encode("cp1254"))
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, declared, target, display_name="exports/musteri.csv")
    assert caught.value.row == 2 and "declare `encoding: cp1254`" in str(caught.value)
    assert "Yýldýz" not in str(caught.value) and "Yıldız" not in str(caught.value)
    for turkish in ("cp1254", "iso-8859-9"):
        decode_to_utf8(source, turkish, target, display_name="exports/musteri.csv")
        assert target.read_bytes().decode("utf-8") == TURKISH


def test_icelandic_names_and_a_stray_turkish_looking_word_are_read_in_a_western_code_page(tmp_path: Path):
    """ý þ ð are Icelandic, Faroese and Czech letters: a list of such names
    reads, and one word shaped like Turkish read as cp1252 among more
    Icelandic ones does not refuse the file."""
    text = "id;nafn\r\n1;Þórðardóttir Guðrún\r\n2;Arnþór Sigurður\r\n3;Eyþór Hallþór\r\n4;Výborný Lýður\r\n"
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode("cp1252"))
    decode_to_utf8(source, "cp1252", target, display_name="exports/vidskiptavinir.csv")
    assert target.read_bytes().decode("utf-8") == text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        # Vietnamese: cp1258 writes a tone as a combining mark after the letter (họ, Nguyễn, Thị)
        ("cp1258", "ho\u0323;tên\r\n1;Nguyê\u0303n;Thi\u0323 Hương\r\n"),
        ("cp850", "CUST_NO;NAME\r\n1;Zoë Müller\r\n2;Núñez José\r\n"),  # Excel's "CSV (MS-DOS)"
        ("cp437", "CUST_NO;NAME\r\n1;Müller Françoise\r\n"),
        ("cp852", "nazwisko;imię\r\n1;Władyka;Łódź\r\n"),
        ("cp857", "soyad;ad\r\n1;Yıldız;Ayşe\r\n"),
        ("cp866", "Фамилия;Имя\r\n1;Иванов;Сергей\r\n"),
        ("mac-roman", "CUST_NO;NAME\r\n1;Zoë Müller\r\n2;François Œuvray\r\n"),  # Excel's "CSV (Macintosh)"
    ],
)
def test_dos_mac_and_vietnamese_code_pages_are_read(tmp_path: Path, encoding, text):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(encoding))
    decode_to_utf8(source, encoding, target, display_name="exports/legacy.csv")
    assert unicodedata.normalize("NFC", target.read_bytes().decode("utf-8")) == unicodedata.normalize("NFC", text)


def test_utf8_declared_as_a_code_page_lacking_one_of_its_bytes_says_utf8(tmp_path: Path):
    """UTF-8 Cyrillic holds 0x98 (`И` is D0 98), which cp1251 has no
    character for: the decode fails there, and the message names UTF-8, not
    only the list of encodings."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(EUROPEAN_NAMES["cp1251"].encode("utf-8"))
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "cp1251", target, display_name="exports/shop.csv")
    assert caught.value.row == 1 and "declare `encoding: utf-8`" in str(caught.value)


def test_cp1250_declared_as_iso_8859_2_names_cp1250(tmp_path: Path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("nazwisko\r\nŚwiątek\r\n".encode("cp1250"))  # Ś is 0x8C in cp1250
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "iso-8859-2", target, display_name="exports/sklep.csv")
    assert caught.value.row == 2 and "declare `encoding: cp1250`" in str(caught.value)


UNICODE_TEXT = "会員番号\t氏名\t住所\r\nP1\t㈱山田商事　山田　太郎\t東京都千代田区丸の内①\r\nP2\t髙橋　健\t大阪府\r\n"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"),  # Excel's "Unicode text": little-endian with a BOM
        b"\xfe\xff" + UNICODE_TEXT.encode("utf-16-be"),
        UNICODE_TEXT.encode("utf-16-le"),  # no BOM: the zero bytes of ASCII characters tell the order
        UNICODE_TEXT.encode("utf-16-be"),
    ],
)
def test_utf16_decodes_in_either_byte_order(tmp_path: Path, raw):
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(raw)
    decode_to_utf8(source, "utf-16", target, display_name="exports/unicode.txt")
    assert target.read_bytes() == UNICODE_TEXT.encode("utf-8")


def test_utf16_split_across_chunks_counts_lines_by_character(tmp_path: Path, monkeypatch):
    # 上 is 0x0A 0x4E in UTF-16-LE: a newline byte that is not a newline
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 3)
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    text = "a\tb\n上野\t上田\n"
    source.write_bytes(b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xdc\n\x00")  # a lone surrogate on line 3
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "utf-16", target, display_name="in.txt")
    assert caught.value.row == 3
    source.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    decode_to_utf8(source, "utf-16", target, display_name="in.txt")
    assert target.read_text(encoding="utf-8") == text


def test_an_empty_file_declared_utf16_decodes_to_nothing(tmp_path: Path):
    # the parser then says the file is empty, not that it is no UTF-16
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(b"")
    decode_to_utf8(source, "utf-16", target, display_name="exports/unicode.txt")
    assert target.read_bytes() == b""


def test_utf8_declared_utf16_is_refused_and_utf16_declared_utf8_is_named(tmp_path: Path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(TEXT.encode("utf-8"))  # would read as nonsense CJK characters, not as an error
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "utf-16", target, display_name="exports/in.csv")
    assert caught.value.row == 1 and "utf-16" in str(caught.value)
    source.write_bytes(b"\xff\xfe" + TEXT.encode("utf-16-le"))
    for declared in ("utf-8", "cp932", "cp1252"):  # in cp1252 it would read as `ÿþ` and NULs
        with pytest.raises(IngestError) as caught:
            decode_to_utf8(source, declared, target, display_name="exports/in.csv")
        assert caught.value.row == 1 and "declare `encoding: utf-16`" in str(caught.value)


def test_euc_jp_reads_nec_special_characters(tmp_path: Path):
    """EUC-JP as Japanese Unix systems write it (eucJP-ms) holds `①` and `㈱`
    in row 13, which Python's strict euc_jp refuses; other bytes it cannot
    map still name their line."""
    text = "会員番号,氏名,住所\nP1,㈱山田商事,丸の内①\nP2,鈴木　一郎,Ⅲ番館\n"
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode("euc_jis_2004"))
    decode_to_utf8(source, "euc-jp", target, display_name="exports/legacy.csv")
    assert target.read_text(encoding="utf-8") == text
    assert decoding.text_codec("euc-jp", b"", display_name="x").encode(text) == text.encode("euc_jis_2004")
    source.write_bytes(text.encode("euc_jis_2004") + b"P3,\xff\xfe\n")
    with pytest.raises(IngestError) as caught:
        decode_to_utf8(source, "euc-jp", target, display_name="exports/legacy.csv")
    assert caught.value.row == 4


def _east_asian_export(family: str, given: str, street: str) -> str:
    """A small generated export of fictional people: `family` x `given` names, one street."""
    rows = [f"K{i},{f}{g},{street} {i}" for i, (f, g) in enumerate((f, g) for f in family for g in given)]
    return "id,name,address\n" + "\n".join(rows) + "\n"


KOREAN = _east_asian_export("김이박최정강", ["민준", "서연", "지호", "하은"], "서울특별시 강남구 테헤란로")
SIMPLIFIED = _east_asian_export("王李张刘陈杨", ["伟", "芳", "秀英", "志强"], "广东省深圳市南山区科技路")
TRADITIONAL = _east_asian_export("陳林黃張李王", ["怡君", "雅婷", "志明", "淑芬"], "臺北市大安區忠孝東路")
JAPANESE = _east_asian_export(["佐藤", "鈴木", "高橋", "田中"], ["太郎", "花子", "さくら", "健"], "東京都港区芝公園")


@pytest.mark.parametrize(
    ("encoding", "text", "written"),
    [
        ("cp949", KOREAN, "cp949"),
        ("cp949", KOREAN + "K99,똠방각하,서울\n", "cp949"),  # a syllable EUC-KR lacks
        ("gb18030", SIMPLIFIED, "gbk"),
        ("cp950", TRADITIONAL, "big5"),
        ("big5hkscs", TRADITIONAL, "big5hkscs"),
        ("cp932", JAPANESE, "cp932"),
        ("euc-jp", JAPANESE, "euc_jp"),
    ],
)
def test_east_asian_code_pages_decode(tmp_path: Path, encoding, text, written):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(written))

    decode_to_utf8(source, encoding, target, display_name="exports/in.csv")

    assert target.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("text", "written", "declared"),
    [
        (KOREAN, "cp949", "euc-jp"),  # decodes without an error into level-1 kanji
        (KOREAN, "cp949", "gb18030"),
        (TRADITIONAL, "big5", "gb18030"),
        (SIMPLIFIED, "gbk", "euc-jp"),
        (JAPANESE, "euc_jp", "cp949"),
    ],
)
def test_a_file_declared_in_another_east_asian_code_page_is_refused_naming_the_likely_one(
    tmp_path: Path, text, written, declared
):
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode(written))

    with pytest.raises(IngestError) as info:
        decode_to_utf8(source, declared, tmp_path / "out.csv", display_name="exports/in.csv")

    likely = {"euc_jp": "euc-jp", "big5": "cp950", "gbk": "gb18030"}.get(written, written)
    assert f"declared {declared} but reads as {likely}" in str(info.value)
    assert f"`encoding: {likely}`" in str(info.value)
    assert "민준" not in str(info.value) and "王" not in str(info.value)


def _japanese_export_with_furigana() -> str:
    """Generated Japanese customers with a katakana reading column, as a call
    centre's EUC-JP export holds: most of its characters are kana."""
    families = {"佐藤": "サトウ", "鈴木": "スズキ", "高橋": "タカハシ", "田中": "タナカ", "渡辺": "ワタナベ"}
    givens = {"太郎": "タロウ", "花子": "ハナコ", "健": "ケン", "陽菜": "ヒナ"}
    rows = [
        f"C{i},{f}　{g},{fk} {gk},東京都港区芝公園{i}丁目"
        for i, ((f, fk), (g, gk)) in enumerate((fam, giv) for fam in families.items() for giv in givens.items())
    ]
    return "受付番号,氏名,カナ,住所\n" + "\n".join(rows) + "\n"


@pytest.mark.parametrize(("written", "declared"), [("euc_jp", "gb18030"), ("euc_jp", "euc-jp")])
def test_a_japanese_file_with_kana_declared_gb18030_is_refused(tmp_path: Path, written, declared):
    """EUC-JP and GB2312 keep JIS X 0208's kana rows at the same bytes, so
    GB18030 reads an EUC-JP file's kana right and only its kanji as chance
    characters (佐藤 as 捍疲): judged on the whole text the kana made the
    wrong reading look plausible; judged on the characters where the two
    readings differ, it is refused, naming EUC-JP. Declared right, it reads."""
    text = _japanese_export_with_furigana()
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(written))
    if declared == "euc-jp":
        decode_to_utf8(source, declared, target, display_name="exports/call.csv")
        assert target.read_text(encoding="utf-8") == text
        return
    with pytest.raises(IngestError) as info:
        decode_to_utf8(source, declared, target, display_name="exports/call.csv")
    assert "declared gb18030 but reads as euc-jp" in str(info.value) and "`encoding: euc-jp`" in str(info.value)
    assert "佐藤" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "written", "declared", "likely"),
    [(TRADITIONAL, "big5", "utf-8", "cp950"), (KOREAN, "cp949", "utf-8", "cp949"), (KOREAN, "utf-8", "cp949", "utf-8")],
)
def test_a_file_not_valid_in_its_declared_code_page_names_the_one_that_reads_it(
    tmp_path: Path, text, written, declared, likely
):
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode(written))

    with pytest.raises(IngestError, match=rf"bytes are not valid {declared} \(it reads as {likely}\)"):
        decode_to_utf8(source, declared, tmp_path / "out.csv", display_name="exports/in.csv")


def test_few_characters_are_not_judged(tmp_path: Path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes("id,name\n1,김민준\n".encode("cp949"))

    decode_to_utf8(source, "euc-jp", target, display_name="exports/in.csv")  # too few to tell: read as declared

    assert target.read_text(encoding="utf-8").startswith("id,name")


@pytest.mark.parametrize(
    ("header", "written", "declared", "wanted", "likely"),
    [
        (["회원번호", "이름"], "cp949", "euc-jp", "이름", "cp949"),
        (["Фамилия", "Имя"], "cp1251", "cp1252", "Имя", "cp1251"),
        (["姓名", "電話"], "big5", "gb18030", "姓名", "cp950"),
    ],
)
def test_header_encoding_hint_names_the_encoding_that_reads_the_column(header, written, declared, wanted, likely):
    raw = ",".join(header).encode(written)
    codec = decoding.text_codec(declared, b"", display_name="")
    columns = codec.decode(raw).split(",")

    assert f"reads as {likely}, where it has '{wanted}'" in decoding.header_encoding_hint(columns, wanted, declared)
    assert decoding.header_encoding_hint(header, "missing", "utf-8") == ""
