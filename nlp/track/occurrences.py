"""Recurring duties become dated occurrences: 每月5日前 → one due on the 5th of
every month, 每年3月31日前 → one per year, 每季度 → one per quarter ending with it;
a one-off deadline gives one occurrence; a duty without a date is one standing
occurrence that is never overdue.

Each occurrence has a window [start, due]: the evidence for it is dated inside
it. Occurrences run from the notice's date to the first one due on or after
"today" (the one in progress), and recurring ones stop at `Duty.until` (a notice
whose one-off deadlines close a campaign — 送清凉 until 9月30日 — does not ask for
its monthly checks forever).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nlp.checklist.deadlines import due_date, due_day
from nlp.track.duties import Duty, _month_end

ONE_DAY = dt.timedelta(days=1)
# Periods of a frequency, in months. Checks more often than monthly (每日, 每周)
# are kept per month: a ledger row per day or week is unreadable, and offices
# report them monthly.
PERIOD_MONTHS = {"day": 1, "week": 1, "half-month": 1, "month": 1, "two-months": 2, "quarter": 3,
                 "half-year": 6, "year": 12}
RECURRENCE_NAMES = {"once": "一次性", "monthly": "每月", "yearly": "每年", "period": "周期", "standing": "常态"}


@dataclass(frozen=True)
class Occurrence:
    start: dt.date | None
    due: dt.date | None
    kind: str  # once | monthly | yearly | period | standing
    label: str

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return self.due is None
        return (self.start is None or day >= self.start) and (self.due is None or day <= self.due)


def _add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def _safe(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return _month_end(year, month)


def expand(duty: Duty, today: dt.date, *, max_occurrences: int = 400) -> list[Occurrence]:
    """The duty's occurrences from the notice date up to the one in progress on `today`."""
    begin = duty.notice_date
    year = begin.year if begin else today.year
    dated = []
    for d in duty.deadlines:
        rec = d.get("recurrence")
        if rec == "once" and (day := due_date(d, begin, year)):
            dated.append(("once", d, day))
        elif rec in ("monthly", "yearly") and d.get("day" if rec == "monthly" else "month"):
            dated.append((rec, d, None))
    recurring = [x for x in dated if x[0] != "once"]
    if recurring:
        return _recurring(recurring[0][0], recurring[0][1], begin, duty.until, today, max_occurrences)
    if dated:
        out, prev = [], begin
        for _, _d, day in sorted(dated, key=lambda x: x[2]):
            out.append(Occurrence(prev, day, "once", f"{day:%Y-%m-%d}前"))
            prev = day + ONE_DAY
        return out
    every = (duty.frequency or {}).get("every")
    if every in PERIOD_MONTHS:
        return _periods(PERIOD_MONTHS[every], begin, duty.until, today, max_occurrences)
    return [Occurrence(begin, None, "standing", "持续")]


def _recurring(kind: str, d: dict, begin: dt.date | None, until: dt.date | None, today: dt.date,
               limit: int) -> list[Occurrence]:
    start = begin or dt.date(today.year, 1, 1)
    out: list[Occurrence] = []
    if kind == "monthly":
        cursor = dt.date(start.year, start.month, 1)
        step = 1
    else:
        cursor = dt.date(start.year, 1, 1)
        step = 12
    prev = start
    while len(out) < limit:
        due = (_safe(cursor.year, cursor.month, d["day"]) if kind == "monthly"
               else _safe(cursor.year, d["month"], due_day(d, cursor.year)))
        cursor = _add_months(cursor, step)
        if due < start:
            continue
        if until and due > until and out:
            break
        label = f"{due:%Y年%m月}" if kind == "monthly" else f"{due:%Y}年度"
        out.append(Occurrence(prev, due, kind, label))
        prev = due + ONE_DAY
        if due >= today:
            break
    return out


def _periods(months: int, begin: dt.date | None, until: dt.date | None, today: dt.date,
             limit: int) -> list[Occurrence]:
    start = begin or dt.date(today.year, 1, 1)
    # calendar periods (quarters, halves, two-month blocks from January)
    cursor = dt.date(start.year, (start.month - 1) // months * months + 1, 1)
    out: list[Occurrence] = []
    while len(out) < limit:
        nxt = _add_months(cursor, months)
        due = nxt - ONE_DAY
        if until and cursor > until and out:
            break
        out.append(Occurrence(max(cursor, start), due, "period", _period_label(cursor, months)))
        cursor = nxt
        if due >= today:
            break
    return out


def _period_label(first: dt.date, months: int) -> str:
    if months == 1:
        return f"{first:%Y年%m月}"
    if months == 3:
        return f"{first.year}年第{(first.month - 1) // 3 + 1}季度"
    if months == 6:
        return f"{first.year}年{'上' if first.month <= 6 else '下'}半年"
    if months == 12:
        return f"{first.year}年度"
    return f"{first.year}年{first.month}-{first.month + months - 1}月"


def occurrence_for(occurrences: list[Occurrence], day: dt.date | None) -> Occurrence | None:
    for occ in occurrences:
        if occ.contains(day):
            return occ
    return None
