"""Dates as 公文 print them ("2022年3月1日", "2022 年 3 月 1 日", "二〇二二年三月一日")
turned into ISO strings. Chinese numerals go through ingest.text.chinese_number."""
from __future__ import annotations

import calendar
import datetime
import re

from ingest.text import chinese_number, fold_digits

_NUM = r"[0-9０-９]{1,4}|[〇○零О一二三四五六七八九十]{1,4}"
DATE = re.compile(
    rf"(?P<y>[0-9０-９]{{4}}|[〇○零ОoOＯ一二三四五六七八九]{{4}}|(?=[0-9〇○零ОoOＯ一二三四五六七八九]*[〇○零ОoOＯ一二三四五六七八九])[0-9〇○零ОoOＯ一二三四五六七八九]{{4}})\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日"
)
_DATE_ONLY = re.compile(rf"^\s*(?:{DATE.pattern})\s*$")


def _number(s: str) -> int:
    s = fold_digits(s)
    if s.isdigit():
        return int(s)
    s = re.sub("[○ОoOＯ零]", "〇", s)  # 二O一四年: a Latin O typed for 〇 (gh.sspu page; common in Word date fields)
    if len(s) == 4 and "十" not in s:  # a year read digit by digit, maybe mixed: 二0一二
        s = "".join(c if c.isdigit() else str(chinese_number(c)) for c in s)
        return int(s)
    return chinese_number(s)


def to_iso(m: re.Match) -> str | None:
    try:
        y, mo, d = _number(m.group("y")), _number(m.group("m")), _number(m.group("d"))
    except (ValueError, KeyError):
        return None
    if not (1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def parse_date(s: str) -> str | None:
    """ISO date of the first date written in `s`, or None."""
    m = DATE.search(s)
    return to_iso(m) if m else None


_NUMERIC_ONLY = re.compile(r"^\s*((?:19|20)\d{2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\s*$")


def date_only(s: str) -> str | None:
    """ISO date when the whole line is a date (the 成文日期 under a signature);
    web copies also print it as 2022-03-01."""
    m = _DATE_ONLY.match(s)
    if m:
        return to_iso(m)
    m = _NUMERIC_ONLY.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})(\d{1,2})(\d{1,2})\s*$")


def compact_date(s: str, anchor: str | None = None) -> str | None:
    """ISO date of a line written without separators (20141210; 2021115, read with a
    two-digit month when one fits): only trusted right under a signing organ. Two digits after
    the year (202228: the page dropped 年, 月 and 日 around one-digit ones) read one way, but
    201911 may as well be a month: that reading is taken only when `anchor` (the page's
    publication date, ISO) falls on it or within 60 days after."""
    m = _COMPACT.match(s)
    if not m:
        return None
    y, digits = int(m.group(1)), m.group(2) + m.group(3)
    if len(digits) < 3:
        mo, d = int(digits[0]), int(digits[1])
        if not (anchor and mo and d):
            return None
        gap = (datetime.date.fromisoformat(anchor) - datetime.date(y, mo, d)).days
        return f"{y:04d}-{mo:02d}-{d:02d}" if 0 <= gap <= 60 else None
    cuts = [2, 1] if len(digits) == 3 else [2]
    for c in cuts:
        mo, d = int(digits[:c]), int(digits[c:])
        if 1 <= mo <= 12 and 1 <= d <= 31 and len(digits[c:]) <= 2:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def month_day_reads(md: str, year: int = 2000) -> set[tuple[int, int]]:
    """Every (month, day) that digits with the 月 dropped between them can be (37 -> 3-7,
    111 -> 1-11 and 11-1), days checked against `year` (a leap year unless given)."""
    reads = set()
    for k in range(1, len(md)):
        mo, d = md[:k], md[k:]
        if mo[0] != "0" and len(d) <= 2 and 1 <= int(mo) <= 12 and 1 <= int(d) <= calendar.monthrange(year, int(mo))[1]:
            reads.add((int(mo), int(d)))
    return reads


_LOST_MONTH = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*([0-9]{2,4})\s*日\s*$")


def lost_month_date(s: str, anchor: str | None = None) -> str | None:
    """ISO date of a date line whose 月 the web page dropped (2018年52日 -> 2018-05-02, 2018年1230日
    -> 2018-12-30), as the deadline reader reads 37日前 (gh.hnuu, dhdengcheng-xgh pages): only when
    the digits are past 31 and read one way (2018年112日, 1-12 or 11-2, is none). Trusted only
    right under a signing organ. With `anchor` (the page's publication date, ISO), a date read two
    ways is the reading on or before it and nearest, when that one is within 60 days of it."""
    m = _LOST_MONTH.match(s)
    if not m or int(m.group(2)) <= 31:
        return None
    y, md = int(m.group(1)), m.group(2)
    reads = month_day_reads(md, y)
    if len(reads) > 1 and anchor:
        a = datetime.date.fromisoformat(anchor)
        gaps = sorted(((a - datetime.date(y, mo, d)).days, (mo, d)) for mo, d in reads)
        near = [r for gap, r in gaps if 0 <= gap <= 60]
        reads = {near[0]} if near else reads
    if len(reads) != 1:
        return None
    mo, d = reads.pop()
    return f"{y:04d}-{mo:02d}-{d:02d}"


# a 成文日期 that lost a mark but keeps its 月, which fixes where month and day begin: 2021年3月16 (日 lost),
# 20223月1 (年 and 日 lost), 二一四年十一月四日 (the year's 〇 lost); 3 sites of the dev pages (gipc and nenu
# of checklist-pages12, jips of pages7)
_LOST_MARKS = re.compile(r"^\s*((?:19|20)\d{2})\s*年?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_LOST_ZERO = re.compile(r"^\s*二([一二])([〇○零一二三四五六七八九])\s*年")


def lost_mark_date(s: str) -> str | None:
    """ISO date of a date line that lost its 年 or 日, or the 〇 of a year in Chinese digits (二一四年 reads
    2014: with the 〇 put back it is the only year of this century). Only trusted beside or right under a
    signing organ."""
    if m := _LOST_MARKS.match(s):
        y, mo, d = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1] else None
    if z := _LOST_ZERO.match(s):
        return date_only(f"二〇{z.group(1)}{z.group(2)}年{s[z.end():]}")
    return None
