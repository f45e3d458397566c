"""Plain-text reader and the byte-decoding used by every text-like format.

Accepts UTF-8 (with or without BOM), GB18030/GBK/GB2312 and UTF-16/32. The
encoding is chosen from a BOM, a strict UTF-8 attempt, then charset-normalizer;
legacy Chinese is always decoded as GB18030 (a superset of GBK and GB2312). A
guess that yields replacement characters or junk raises `UndecodableText` rather
than returning mojibake.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ingest.document import RawText
from ingest.errors import UndecodableText
from ingest.names import decode_or_none
from ingest.readers.assemble import TextBuilder, normalise_newlines

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# charset-normalizer names that mean "legacy simplified Chinese": decode all with GB18030.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "hz_gb_2312"}
# Names that mean "traditional Chinese Big5": decoded with the widest table that takes
# the bytes. Plain big5 reads HKSCS's 〇 (C6E2, in every date written 二〇二四年) as the
# kana ま and refuses HKSCS characters; big5hkscs lacks cp950's few additions (€), so
# cp950 is next.
_BIG5_FAMILY = {"big5", "big5hkscs", "cp950", "big5-tw", "csbig5"}
_BIG5_ORDER = ("big5hkscs", "cp950", "big5")


def _big5(data: bytes) -> str:
    return next((e for e in _BIG5_ORDER if decode_or_none(data, e) is not None), "big5")

UNDECODABLE = "无法识别文件的文字编码（不是 UTF-8、GB18030/GBK、Big5 或 UTF-16 文本，可能是二进制文件）"
# Unicode encodings; the others (GB18030, Big5, …) can hide a UTF-8 line: UTF-8 Chinese
# is mostly valid GB18030 too, and comes out as other, rarer characters (职工 → 鑱屽伐).
_UNICODE = ("utf-8", "utf-16", "utf-32")


def mixed_message(enc: str, line: int) -> str:
    return (f"文件混用了两种文字编码：按 {enc} 读取，但第 {line} 行是 UTF-8；为免存入乱码未读取，"
            "请把文件统一另存为 UTF-8 后重试")


def is_utf8_chinese(line: bytes) -> bool:
    """Bytes that are UTF-8 holding at least two CJK characters or CJK punctuation marks.
    Text in GB18030 or Big5 almost never is: of 300,000 spans of 2-10 characters of the
    real corpus encoded in GB18030, 4 (all of 2-3 characters) were valid UTF-8 with one
    such character, none with two."""
    if line.isascii():
        return False
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef") >= 2


def utf8_line(data: bytes) -> int | None:
    """The number of the first line of `data` (not UTF-8 as a whole) that is UTF-8 Chinese."""
    for n, line in enumerate(data.split(b"\n"), 1):
        if is_utf8_chinese(line):
            return n
    return None


def _sample(text: str, n: int = 60_000) -> str:
    """Beginning, middle and end of a long text: enough to judge an encoding
    without a per-character Python loop over a 50 MB file."""
    if len(text) <= 3 * n:
        return text
    mid = len(text) // 2
    return text[:n] + text[mid : mid + n] + text[-n:]


def plausibility(text: str) -> float:
    """Share of characters a Chinese or Western text is made of: CJK ideographs and
    punctuation, Latin letters, digits, ordinary punctuation and whitespace.
    Mojibake and binary decoded as text score low (rare blocks, controls, U+FFFD)."""
    if not text:
        return 0.0
    text = _sample(text)
    good = 0
    for ch in text:
        o = ord(ch)
        if ch in "\n\t\r" or 0x20 <= o < 0x7F:
            good += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x30FF or 0xFF00 <= o <= 0xFFEF:
            good += 1
        elif 0x2000 <= o <= 0x206F or 0x2150 <= o <= 0x218F or 0x2460 <= o <= 0x24FF:
            good += 1  # general punctuation, number forms, circled numbers
        elif 0xA0 <= o <= 0x24F and unicodedata.category(ch)[0] in "LPSZN":
            good += 1  # Latin-1 and Latin Extended letters
        elif 0x3400 <= o <= 0x4DBF or 0x2E80 <= o <= 0x2FDF or 0x3200 <= o <= 0x33FF or 0x25A0 <= o <= 0x26FF:
            good += 0.5  # rare CJK, radicals, enclosed CJK, shapes: real but rare
    return good / len(text)


def common_hanzi_share(text: str) -> float:
    """Share of the Chinese characters that are among the 3,755 common ones (GB2312
    level 1). Real simplified-Chinese prose scores above 0.95; bytes of another
    legacy encoding (Shift-JIS, Big5) read as GB18030 give rare characters and
    score far lower, though every character is "valid"."""
    hanzi = [ch for ch in _sample(text) if "\u4e00" <= ch <= "\u9fff"]
    if len(hanzi) < 20:
        return 1.0  # too little text to judge
    common = 0
    for ch in hanzi:
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= b[0] <= 0xD7
    return common / len(hanzi)


# a character of a UTF-16 text that puts a NUL byte in it: a line break, a tab, ASCII
_ASCII_IN_UTF16 = re.compile("[\t\n\r\x20-\x7e]")


def _utf16_text(text: str) -> bool:
    """Whether bytes read as UTF-16 (or UTF-32) without a BOM gave a text: one with an ASCII
    character, a tab or a line break (what puts NUL bytes in a UTF-16 text), and Chinese of
    common characters. ASCII bytes with a NUL among them (\\x00\\x01garbage), read two by
    two, give "CJK" characters (Ā朂牡慢敧), rare ones mostly, and no ASCII."""
    return _ASCII_IN_UTF16.search(text) is not None and common_hanzi_share(text) >= 0.7


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII characters leave NUL bytes at even (BE) or
    odd (LE) positions; pure-CJK text has none, so try both and keep a plausible one."""
    if len(data) % 2:
        return None
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        t = decode_or_none(data, enc)
        if t is None or not _utf16_text(t):
            continue
        if plausibility(t) >= 0.97 and (best is None or plausibility(t) > plausibility(best[1])):
            best = (enc, t)
    return best[1] if best else None


CUT_SHORT = "文件末尾有不完整的字符（可能下载或复制时被截断），已读取其余内容，请核对原文件结尾"
NUL_PADDED = ("文件末尾有 {n:,} 个空字节（NUL，保存或复制中断、下载时预留空间常留下它们，可能被截断），已忽略并读取其余内容，"
              "请核对原文件结尾")


def decode_text(data: bytes, *, declared: str | None = None, one_encoding: bool = False) -> tuple[str, str, str | None]:
    """`decode_bytes`, and a file cut inside its last character (a download or copy cut
    short: 1-3 bytes of a UTF-8, GB18030 or UTF-16 character) read without that
    character, with the warning `CUT_SHORT` as the third value, instead of the whole
    notice refused as not being text."""
    try:
        return (*decode_bytes(data, declared=declared, one_encoding=one_encoding), None)
    except UndecodableText:
        # a text followed by a run of NUL bytes (a save or copy stopped by a crash, space a
        # download set aside and never filled) and no NUL before it: the text, and the run said.
        # UTF-16 text, NULs throughout, was read above or keeps a NUL in what is left.
        text = data.rstrip(b"\x00")
        if len(text) < len(data) and b"\x00" not in text and len(text) >= 16:
            read, enc, cut = decode_text(text, declared=declared, one_encoding=one_encoding)
            padded = NUL_PADDED.format(n=len(data) - len(text))
            return read, enc, padded if cut is None else f"{padded}；{cut}"
        for n in (1, 2, 3):
            head = data[:-n]
            if len(head) < 64:  # too little left to judge the rest as text on its own
                break
            # only when the rest is whole in an encoding we read (a binary file is not tried again)
            if any(decode_or_none(head, enc) is not None for enc in _CUT_ENCODINGS):
                try:
                    return (*decode_bytes(head, declared=declared, one_encoding=one_encoding), CUT_SHORT)
                except UndecodableText:
                    continue
        raise


_CUT_ENCODINGS = ("utf-8", "gb18030", "utf-16-le", "utf-16-be", "big5hkscs")


def decode_bytes(data: bytes, *, declared: str | None = None, one_encoding: bool = False) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding name). `declared` is an encoding
    the container names (an HTML meta charset): tried first, but still checked.
    `one_encoding` (plain text files): a file read in a legacy encoding with a line of
    UTF-8 Chinese in it (two files joined, a paragraph pasted in from another editor)
    is refused, naming that line, which would be stored as other characters. (Not for
    HTML, where such a line is mostly in a script or footer; JSON Lines judge it per record.)"""
    text, enc = _decode_bytes(data, declared)
    if one_encoding and not enc.replace("_", "-").startswith(_UNICODE):
        line = utf8_line(data)
        if line is not None:
            raise UndecodableText(mixed_message(_NAMES.get(enc, enc), line))
    return text, enc


_NAMES = {"gb18030": "GBK（GB18030）"}


def _decode_bytes(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            t = decode_or_none(data[len(bom):], enc.replace("-sig", ""))
            if t is None:
                raise UndecodableText(f"文件以 {enc} 字节序标记开头，但内容不是有效的 {enc} 文本")
            return t, enc
    candidates: list[tuple[str, str]] = []
    # Strict UTF-8 first, even before a declared charset: non-ASCII bytes that decode
    # as UTF-8 are UTF-8 in practice, and pages often declare gb2312 while serving UTF-8.
    t = decode_or_none(data, "utf-8")
    if t is not None:
        candidates.append((t, "utf-8"))
    if declared:
        enc = declared.lower().replace("_", "-")
        if enc.replace("-", "") in {"gb2312", "gbk", "gb18030", "cp936", "xgbk"}:
            enc = "gb18030"
        if enc in _BIG5_FAMILY or enc.replace("-", "") in _BIG5_FAMILY:
            enc = _big5(data)
        t = decode_or_none(data, enc)
        if t is not None:
            candidates.append((t, enc))
    if b"\x00" in data:
        t = _utf16_without_bom(data)
        if t is not None:
            enc = "utf-16-le" if decode_or_none(data, "utf-16-le") == t else "utf-16-be"
            candidates.append((t, enc))
    t = decode_or_none(data, "gb18030")
    if t is not None:
        candidates.append((t, "gb18030"))
    for t, enc in candidates:
        if enc == "gb18030" and common_hanzi_share(t) < 0.7:
            continue  # mojibake: valid GB18030 bytes, but not Chinese anyone writes
        if "\x00" not in t and plausibility(t) >= 0.9:
            return t, enc
    # Last resort: charset-normalizer's best guess (e.g. Big5, cp1252), accepted only if clean.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        enc = best.encoding.lower()
        if enc in _GB_FAMILY:
            enc = "gb18030"
        if enc in _BIG5_FAMILY:
            enc = _big5(data)
        t = decode_or_none(data, enc)
        if enc == "gb18030" and t is not None and common_hanzi_share(t) < 0.7:
            t = None
        if enc.replace("_", "-").startswith(("utf-16", "utf-32")) and t is not None and not _utf16_text(t):
            t = None
        if t is not None and "\x00" not in t and "\ufffd" not in t and plausibility(t) >= 0.9:
            return t, enc
    raise UndecodableText(_mixed_utf8(data) or UNDECODABLE)


def _mixed_utf8(data: bytes) -> str | None:
    """What to say of a file that is UTF-8 Chinese but for some lines in another encoding
    (a GBK paragraph pasted in, two files joined), rather than 可能是二进制文件."""
    utf8 = other = None
    for n, line in enumerate(data.split(b"\n"), 1):
        if utf8 is None and is_utf8_chinese(line):
            utf8 = n
        if other is None and decode_or_none(line, "utf-8") is None:
            other = n
        if utf8 and other:
            return (f"文件混用了两种文字编码：第 {utf8} 行是 UTF-8，第 {other} 行不是 UTF-8（可能是 GBK）；"
                    "为免存入乱码未读取，请把文件统一另存为 UTF-8 后重试")
    return None


def read_txt(path: Path) -> RawText:
    data = Path(path).read_bytes()
    text, enc, cut = decode_text(data, one_encoding=True)
    b = TextBuilder("txt", encoding=enc)
    if cut:
        b.warnings.append(cut)
    rows: list[list[str]] = []

    def flush_rows() -> None:
        # Two or more consecutive tab-separated lines are a table typed into text.
        if len(rows) >= 2:
            b.table(rows)
        else:
            for r in rows:
                b.line("\t".join(r), keep_tabs=True)
        rows.clear()

    for line in normalise_newlines(text).split("\n"):
        inner = line.strip(" \t\u3000\u00a0")
        if "\t" in inner:
            rows.append([c.strip(" \u3000\u00a0") for c in line.strip(" \u3000\u00a0\t").split("\t")])
            continue
        flush_rows()
        if inner:
            b.line(line)
        else:
            b.blank()
    flush_rows()
    return b.build()
