"""Character-level text helpers every package shares: folding full-width digits and
letters to ASCII, and the numbers that open a heading or list item in a 公文
(一、 （一） 1. 第一条). Every fold maps one character to one, so offsets found in
folded text point at the same characters of the original. `blank` says whether a
text holds nothing to read (white space and control characters only);
`chinese_number` / `chinese_numeral` convert the small numbers of headings and dates;
`markdown_cell` makes a text one cell of a Markdown table (the parse and checklist exports).

(Line-level helpers of the structure parser live in ingest.structure.text.)
Imports nothing but the standard library (and cn2an for the rare large numeral), so
ingest, nlp and index may all use it.
"""
from __future__ import annotations

import re

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# The number that opens a heading or a list item, at the start of a line: 第一章 / 第3条,
# 一、 / 一. , （一） / (1), 1. / 1、 (one or two digits, not the start of 2024.5 or 1.5).
# One home for these patterns: readers that take only some kinds build on the parts.
ARTICLE_NUMBER = r"第[一二三四五六七八九十百零〇\d]+[章节条]"
LIST_NUMBER = r"(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\d))"
CIRCLED_NUMBER = r"[⑴-⒇①-⑳]"  # ⑴ ①: list items in some notices, never a heading of the outline
HEADING_NUMBER = rf"(?:{ARTICLE_NUMBER}|{LIST_NUMBER})"
HEADING_START = re.compile("^" + HEADING_NUMBER)


def fold_digits(text: str) -> str:
    """Full-width digits → ASCII digits."""
    return text.translate(FULLWIDTH_DIGITS)


def fold_width_table(symbols: str = "", *, lower: bool = False) -> dict[int, int]:
    """A `str.translate` table: full-width digits and Latin letters → ASCII, the
    full-width forms of `symbols` → those symbols, the ideographic space → a space;
    with `lower`, Latin letters of either width → lower case. Full-width Chinese
    punctuation (，（）：) is never folded: the text's own clause marks."""
    table = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
    table.update({ord(s) + 0xFEE0: ord(s) for s in symbols})
    table[0x3000] = 0x20
    if lower:
        table = {k: ord(chr(v).lower()) for k, v in table.items()}
        table.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
    return table


# White space, control characters (C0, DEL, C1) and Unicode's default-ignorable code points
# of the BMP (zero-width space and joiners, bidi marks, soft hyphen, variation selectors,
# word joiner, Hangul fillers, the BOM): a text made only of these shows as blank. Written
# with escapes only, so the class reads the same as a Python and an ECMA (JSON Schema)
# regex: the HTTP API states it in its OpenAPI schema (api.schemas.LogIn).
BLANK_CLASS = (r"[\u0000-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f"
               r"\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]")
_BLANK = re.compile(BLANK_CLASS + "*")


def blank(text: str) -> bool:
    """Whether `text` holds no character to read (a log of NULs and BELs is as empty as one of spaces)."""
    return _BLANK.fullmatch(text) is not None


# Control characters that end a line where they come from: Word's manual line break (VT), a
# page break (FF), the file/group/record separators and NEL (U+0085, EBCDIC's line end)
_LINE_CONTROLS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85]")
# the other C0 controls but tab and line feed, DEL and the C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def without_controls(text: str) -> tuple[str, int]:
    """A text as stored: a line ending of another system (CR LF, a lone CR) or a control character
    that ends a line (VT, FF, NEL …) becomes a line feed; any other control character (NUL, BEL,
    ESC of a terminal colour, DEL, C1) is dropped. With the number of control characters dropped
    or made line feeds, CR LF and a lone CR not counted (an ordinary line end)."""
    if text.isprintable() or not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in text):
        return text, 0
    counted = sum(1 for ch in text if ch not in "\r\n\t" and (ch < " " or "\x7f" <= ch <= "\x9f"))
    return _CONTROLS.sub("", _LINE_CONTROLS.sub("\n", text)), counted


def one_line_without_controls(value: str) -> tuple[str, int]:
    """A one-line field (a log's region, unit, author) as stored, and as a filter on it is read:
    with control characters (`without_controls`), those that end a line and tabs made spaces,
    and no white space at either end ("" for a field of white space alone: `blank`). With the
    number of control characters (as `without_controls` counts them)."""
    text, dropped = without_controls(value)
    text = text.replace("\t", " ").replace("\n", " ").strip()
    return ("" if blank(text) else text), dropped


# Chinese numerals. cn2an reads and writes them all, but importing it costs 0.2-0.3
# CPU-s (it builds its tables and regexes at import), a seventh of a one-notice
# `gongwen checklist` call, which meets only the numbers of headings and dates (一 to
# 九十九, and years read digit by digit). Those are read and written here; anything
# else goes to cn2an, imported then. tests/test_text.py checks both agree with cn2an.
_DIGITS = "〇一二三四五六七八九"
_SMALL = re.compile("(?:([一二三四五六七八九]?)(十))?([一二三四五六七八九]?)")  # fullmatch: `$` passes a final \n


def small_chinese_number(text: str) -> int | None:
    """The value of 〇/零, 两 or a numeral from 一 to 九十九; None for anything else."""
    if text in ("〇", "零"):
        return 0
    if text == "两":
        return 2
    m = _SMALL.fullmatch(text)
    if not m or not text:
        return None
    tens = (_DIGITS.index(m[1]) if m[1] else 1) if m[2] else 0
    return tens * 10 + (_DIGITS.index(m[3]) if m[3] else 0)


def chinese_number(text: str) -> int:
    """The value of a Chinese numeral (一 → 1, 二十三 → 23; cn2an's "smart" reading);
    ValueError or KeyError (cn2an's) when it is none."""
    small = small_chinese_number(text)
    if small is not None:
        return small
    import cn2an

    return int(cn2an.cn2an(text, "smart"))


def chinese_numeral(n: int) -> str:
    """n written in Chinese numerals (11 → 十一), as cn2an.an2cn writes it."""
    if 0 <= n < 100:
        tens, ones = divmod(n, 10)
        if not tens:
            return "零" if not ones else _DIGITS[ones]
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    import cn2an

    return cn2an.an2cn(n)


def markdown_cell(text: str) -> str:
    """`text` as one cell of a Markdown table row: a "|" escaped and a line break made a space,
    or the cell splits into columns (or ends the table) in any Markdown reader."""
    return text.replace("|", "\\|").replace("\n", " ")
