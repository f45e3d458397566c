"""File names as a person typed them, from the bytes a client or a file system gives.

A name reaches gongwen as bytes in some encoding nobody declares: UTF-8 from browsers, curl and
Linux; GBK from an older Windows client in a Chinese locale and in zips made there (unpacked
without `unzip -O GBK`); Big5 from a Windows client in Taiwan or Hong Kong; now and then UTF-8
that some client read as Latin-1 and encoded again (å³äº…), or percent-escaped (%E5%8A%B3…).
A name is a handful of characters, too few for a statistical guess (charset-normalizer reads
GBK 工会通知 as Korean cp949 and GBK 通知, whose four bytes are also valid UTF-8, as UTF-8), so
each reading is scored by whether its characters are ones a Chinese file name is made of:
common hanzi of the table the encoding belongs to (GB2312 for GBK, Big5's common level for
Big5), letters, digits, punctuation; private-use code points, lone combining marks and rare
characters count against it. charset-normalizer's guess is one more candidate, scored the same
way, asked only when no fixed reading is mostly right. Imports only the standard library.
"""
from __future__ import annotations

import re
import unicodedata

_PERCENT = re.compile(rb"%[0-9A-Fa-f]{2}")
_GB = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "gb_2312", "csgb2312", "ms936"}
_BIG5 = ("big5hkscs", "cp950", "big5")
# A Big5 reading must beat the GB18030 one by this much: a mainland client's GBK is the common
# case, and many short names read as common hanzi both ways. On 8,963 names of 2-20 characters
# cut from real notices and logs (+ .docx/.pdf/.txt/none; measured, not kept): GBK read right
# 8,878 (before this module 8,869: the 71 left are GBK that is also plausible UTF-8, as 一.txt ->
# һ.txt), Big5 2,841 of the 3,353 Big5 can encode (before 197), UTF-8 8,963 (all, as before).
# Margin 0.1: GBK 8,858, Big5 2,997; 0.3: GBK 8,883, Big5 2,667.
BIG5_MARGIN = 0.2


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _good_unicode(text: str) -> float:
    """Share of the non-ASCII characters of a name (read as UTF-8) that a name is made of:
    letters, digits, punctuation and symbols of assigned, non-private blocks; a combining mark
    only right after a letter (é typed on a Mac comes as e + U+0301)."""
    odd = [i for i, ch in enumerate(text) if ord(ch) > 0x7F]
    if not odd:
        return 1.0
    good = 0
    for i in odd:
        cat = unicodedata.category(text[i])
        if cat[0] == "M":
            good += i > 0 and unicodedata.category(text[i - 1])[0] == "L"
        elif cat[0] in "LNPS" or cat == "Zs":
            good += not ("\u0080" <= text[i] <= "\u00bf" and cat[0] != "L" and text[i] not in "\u00b7\u00a9\u00ae")
    return good / len(odd)


def _non_ascii_mean(text: str, weight) -> float:
    """Mean `weight` of the non-ASCII characters of a reading (1.0 when it has none)."""
    odd = [ch for ch in text if ord(ch) > 0x7F]
    return sum(map(weight, odd)) / len(odd) if odd else 1.0


def _gb_weight(ch: str) -> float:
    """GB2312's common hanzi and symbols count 1 (level 2: 0.8), GBK's other hanzi (traditional
    ones, 堃) 0.6, anything else (private use, GB18030's four-byte ranges) 0."""
    try:
        return 0.8 if ch.encode("gb2312")[0] >= 0xD8 else 1.0
    except UnicodeEncodeError:
        return 0.6 if _cjk(ch) and len(ch.encode("gbk", "ignore")) == 2 else 0.0


def _big5_weight(ch: str) -> float:
    """Big5's symbols and 5,401 common hanzi (A140–C67E) count 1, its 7,652 less common ones
    (C940–F9D5) 0.6, anything else 0."""
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return 0.0
    if len(b) == 2 and (0xA1 <= b[0] <= 0xC5 or (b[0] == 0xC6 and b[1] <= 0x7E)):
        return 1.0
    return 0.6 if len(b) == 2 and 0xC9 <= b[0] <= 0xF9 else 0.0


def _good_gb(text: str) -> float:
    """How much the non-ASCII characters of a GB18030 reading look like a Chinese name."""
    return _non_ascii_mean(text, _gb_weight)


def _good_big5(text: str) -> float:
    """The same for a Big5 reading."""
    return _non_ascii_mean(text, _big5_weight)


def decode_or_none(raw: bytes, enc: str) -> str | None:
    """`raw` read in `enc`, or None when it is not valid there (or `enc` is no codec)."""
    try:
        return raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _mojibake(text: str) -> str | None:
    """UTF-8 a client read as Latin-1 or Windows-1252 and encoded again (关于 -> å…³äºŽ): the
    bytes it came from, when they are UTF-8 holding Chinese."""
    if text.isascii():
        return None
    for enc in ("cp1252", "latin-1"):
        try:
            raw = text.encode(enc)
        except UnicodeEncodeError:
            continue
        fixed = decode_or_none(raw, "utf-8")
        if fixed is not None and any(_cjk(ch) for ch in fixed):
            return fixed
    return None


def _legacy(raw: bytes) -> str:
    """Bytes that are not UTF-8 (or read worse as UTF-8): the best-scored of GB18030, Big5 and
    charset-normalizer's guess; GB18030 with replacement characters when none reads."""
    readings: list[tuple[float, int, str]] = []
    gb = decode_or_none(raw, "gb18030")
    if gb is not None:
        readings.append((_good_gb(gb), 3, gb))
    for enc in _BIG5:
        big5 = decode_or_none(raw, enc)
        if big5 is not None:
            readings.append((_good_big5(big5) - BIG5_MARGIN, 2, big5))
            break
    western = decode_or_none(raw, "cp1252")
    if western is not None and (gb is None or not any(_cjk(ch) for ch in gb)):
        readings.append((_good_unicode(western), 1.5, western))  # Café.txt from a Western client
    if not readings or max(readings)[0] < 0.5:  # a name with one rare hanzi (张堃) stays GBK
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(raw).best()
        except Exception:  # noqa: BLE001 - a guess that fails is no reading
            best = None
        if best is not None:
            guess = decode_or_none(raw, best.encoding)
            if guess is not None:
                readings.append((_good_unicode(guess) * 0.99, 1, guess))  # a guess loses a tie
    if not readings:
        return raw.decode("gb18030", "replace")
    return max(readings)[2]


def _decode(raw: bytes) -> str:
    text = decode_or_none(raw, "utf-8")
    if text is None:
        return _legacy(raw)
    fixed = _mojibake(text)
    if fixed is not None:
        return fixed
    if _good_unicode(text) >= 1.0:
        return text
    other = _legacy(raw)
    # GBK 通知 (CD A8 D6 AA) is also UTF-8: two lone combining marks, U+0368 U+05AA
    return other if max(_good_gb(other), _good_big5(other)) > _good_unicode(text) else text


def _unescape(text: str) -> str:
    """A name sent percent-escaped (%E5%8A%B3%E6%A8%A1.txt): its bytes, when they hold
    non-ASCII text; a name that only has %20 or 100%25 in it stays as it is."""
    raw = text.encode("ascii")
    if not _PERCENT.search(raw):
        return text
    from urllib.parse import unquote_to_bytes

    unescaped = unquote_to_bytes(raw)
    if unescaped.isascii():
        return text
    fixed = _decode(unescaped)
    return fixed if any(_cjk(ch) for ch in fixed) else text


def _tidy(name: str) -> str:
    # control characters are the client's, not the file's: a NUL (SQLite kept it, PostgreSQL
    # made it a space) or a terminal escape would reach the listing and `gongwen` output
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", name)


def decode_name(raw: bytes) -> str:
    """A file name's bytes (an upload's `filename`, a file system's name) as readable text."""
    text = _decode(raw)
    if text.isascii():
        text = _unescape(text)
    return _tidy(text)


def extended_name(value: str) -> str | None:
    """An RFC 5987 / RFC 2231 `filename*` value (UTF-8''%E9%80%9A%E7%9F%A5.txt, GBK''%CD%A8.txt),
    which RFC 6266 says wins over `filename`: the name, or None when it is malformed."""
    from urllib.parse import unquote_to_bytes

    value = value.strip().strip('"')
    parts = value.split("'", 2)
    if len(parts) != 3 or not parts[2]:
        return None
    charset, _, escaped = parts
    raw = unquote_to_bytes(escaped.encode("latin-1", "replace"))  # the header as its bytes came (api.uploads)
    charset = charset.strip().lower()
    text = decode_or_none(raw, "gb18030" if charset in _GB else charset) if charset else None
    # a declared charset that does not read the bytes (or an unknown one): scored like any name
    name = _tidy(text) if text is not None and _good_unicode(text) >= 1.0 else decode_name(raw)
    return name or None


def repair_name(name: str) -> str:
    """A name Python already holds as text, readable: Linux hands over a name that is not
    UTF-8 with its bytes as lone surrogates (a GBK name from a zip made on Chinese Windows),
    and a GBK name can also be valid UTF-8 that reads as nonsense (通知 -> ֪ͨ). Each part of
    a path is read on its own, so a GBK file name in a UTF-8 folder keeps the folder's name."""
    if name.isascii():
        return name  # a name on disk with %E5… in it is that name: only an upload's is unescaped
    import os

    if not any("\udc80" <= ch <= "\udcff" for ch in name) and _good_unicode(name) >= 1.0 and _mojibake(name) is None:
        return name
    try:
        parts = os.fsencode(name).split(b"/")
    except UnicodeEncodeError:  # a surrogate no file system gave (not of a byte): not a name's bytes
        return name
    return "/".join(decode_name(p) if not p.isascii() else p.decode("ascii") for p in parts)
