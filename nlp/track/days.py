"""The day a ledger or an alert list is worked out for.

Alerts are stored (raised once, then acknowledged): only the real date may raise
them. Any other day is a preview, what would be overdue on that day, computed and
answered but never stored: alerts raised for a day not yet come are false today and
stay open for everyone (a fuzzed today=2988-03-15 once stored 12,454 of them), and a
past day ignores the late reports that count as progress now.

A day further than `MAX_YEARS` from the real date is refused: no notice plans that far,
and it only costs the longest expansion of every recurring duty.
"""
from __future__ import annotations

import datetime as dt

MAX_YEARS = 100


def real_today() -> dt.date:
    return dt.date.today()


def is_preview(day: dt.date | None) -> bool:
    """A day given that is not the real date: computed, never stored."""
    return day is not None and day != real_today()


def out_of_range(day: dt.date) -> str | None:
    """The Chinese line refusing `day`, or None for a day within MAX_YEARS of the real date."""
    year = real_today().year
    low, high = dt.date(max(year - MAX_YEARS, 1), 1, 1), dt.date(min(year + MAX_YEARS, 9999), 12, 31)
    if low <= day <= high:
        return None
    return f"应在 {low} 至 {high} 之间（今天前后 {MAX_YEARS} 年内），收到：{day}"


def preview_note(day: dt.date) -> str:
    return f"预览：以下是按 {day} 计算将逾期未见进展的任务，未保存为预警（只有按今天 {real_today()} 才生成预警）"
