"""Character-level text helpers every package shares: folding full-width digits and
letters to ASCII, and the numbers that open a heading or list item in a 公文
(一、 （一） 1. 第一条). Every fold maps one character to one, so offsets found in
folded text point at the same characters of the original. `blank` says whether a
text holds nothing to read (white space and control characters only).

(Line-level helpers of the structure parser live in ingest.structure.text.)
Imports nothing but the standard library, so ingest, nlp and index may all use it.
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


# White space and control characters (C0, DEL, C1, no-break and ideographic spaces, the
# zero-width space, the BOM): a text made only of these shows as blank. Written with
# escapes only, so the class reads the same as a Python and an ECMA (JSON Schema) regex:
# the HTTP API states it in its OpenAPI schema (api.schemas.LogIn).
BLANK_CLASS = r"[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]"
_BLANK = re.compile(BLANK_CLASS + "*")


def blank(text: str) -> bool:
    """Whether `text` holds no character to read (a log of NULs and BELs is as empty as one of spaces)."""
    return _BLANK.fullmatch(text) is not None
