"""Number words shared by the quota and deadline readers: one regex fragment for an
Arabic or Chinese number, and its conversion: cn2an's, with the common small numbers
read without importing it (ingest.text.small_chinese_number: importing cn2an costs a
seventh of a one-notice CLI call)."""
from __future__ import annotations

import re

from ingest.text import small_chinese_number

# An Arabic number (full-width digits are folded by the caller's regex class) or a
# run of Chinese numerals; spaces around numbers are common in typeset notices.
CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# A number starts where a run of digits or numerals starts: without the look-behind every regex built on
# NUM tried each position inside a long run of digits again (a line of 2,000 digits cost the
# checklist 8 CPU-seconds, 100,000 digits hours); a match that starts inside a run is none anyway.
NUM = rf"(?:(?<![0-9０-９])[0-9０-９]+(?:\.[0-9]+)?|(?<![{CN_DIGITS}])[{CN_DIGITS}]+)"
# What joins the two ends of a range (5月8日—5月20日, 8-12件, 3～5人): hyphens, the Chinese dash
# (U+2014, or U+2015 where a page went through GBK/CP936, which maps its dash there), tildes.
DASHES = "-－—―~～〜"
_FULLWIDTH = str.maketrans("０１２３４５６７８９％", "0123456789%")
_INTEGER = re.compile("[0-9]+")


def to_number(text: str) -> float | int | None:
    """'13' -> 13, '三' -> 3, '两' -> 2, '十五' -> 15, '2.5' -> 2.5; None if not a number."""
    s = text.strip().translate(_FULLWIDTH)
    if not s:
        return None
    if _INTEGER.fullmatch(s):
        # a run of digits longer than a bigint is no quota or date (and int() refuses over
        # 4,300 digits: a damaged or odd file must not stop the checklist)
        return int(s) if len(s) <= 18 else None
    small = small_chinese_number(s)
    if small is not None:
        return small
    if s in ("百", "千", "万"):  # a unit without a number (百余人, 千方百计): none, as cn2an says
        return None
    import cn2an

    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, TypeError):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def is_arabic(text: str) -> bool:
    return text.strip().translate(_FULLWIDTH)[:1].isdigit()
