"""Writing a checklist for people and tools: JSON (the SCHEMA.md shape), Markdown
(a to-do list grouped by actor, with badges and the source clause), CSV (one row per
duty, UTF-8 with BOM so Excel opens the Chinese right) and iCalendar (one event per
dated deadline, a month without a day on the end of that month or of its 上旬/中旬: yearly and
monthly ones recur; relative ones are not calendar events)."""
from __future__ import annotations

import calendar as _cal
import csv
import hashlib
import io
import json
from datetime import date, datetime, timezone

from ingest.text import markdown_cell
from nlp.checklist.deadlines import due_date, due_day, reversed_window
from nlp.checklist.extract import Checklist

EVERY_ZH = {"day": "每天", "week": "每周", "half-month": "每半月", "month": "每月", "two-months": "每两个月",
            "quarter": "每季度", "half-year": "每半年", "year": "每年"}
RECURRENCE_ZH = {"yearly": "每年", "monthly": "每月", "once": "一次性", "relative": "相对时限"}
MODALITY_ZH = {"must": "必须", "should": "倡导", "may": "可以"}
TIER_ZH = {"hard": "刚性", "soft": "一般"}
NO_ACTOR = "（未写明主体）"


def _data(checklist: Checklist | dict) -> dict:
    return checklist.to_dict() if isinstance(checklist, Checklist) else checklist


def to_json(checklist: Checklist | dict, indent: int | None = 2) -> str:
    return json.dumps(_data(checklist), ensure_ascii=False, indent=indent)


def _quota_zh(q: dict) -> str:
    return q.get("text") or ""


def _badges(o: dict) -> list[str]:
    out = []
    for q in o.get("quotas") or []:
        out.append(f"`指标 {_quota_zh(q)}`")
    for d in o.get("deadlines") or []:
        out.append(f"`时限 {d.get('text')}`")
    if o.get("frequency"):
        out.append(f"`频次 {EVERY_ZH.get(o['frequency'].get('every'), o['frequency'].get('text'))}`")
    return out


def _md_row(cells) -> str:
    return "| " + " | ".join(markdown_cell(str("" if c is None else c)) for c in cells) + " |"


def to_markdown(checklist: Checklist | dict) -> str:
    """A to-do list grouped by actor; each item shows its badges, the source clause
    and the section it comes from."""
    d = _data(checklist)
    meta = d.get("document") or {}
    lines = [f"# 任务清单：{meta.get('title') or '（无标题）'}", ""]
    info = [f"发文机关：{meta['issuer']}" if meta.get("issuer") else None,
            f"文号：{meta['doc_number']}" if meta.get("doc_number") else None,
            f"成文日期：{meta['date']}" if meta.get("date") else None]
    info = [x for x in info if x]
    if info:
        lines += ["　".join(info), ""]
    obligations = d.get("obligations") or []
    hard = sum(1 for o in obligations if o.get("tier") == "hard")
    lines += [f"共 {len(obligations)} 项任务，其中刚性任务 {hard} 项。", ""]
    groups: dict[str, list[dict]] = {}
    for o in obligations:
        key = "、".join(o.get("actors") or []) or NO_ACTOR
        groups.setdefault(key, []).append(o)
    for actor, items in groups.items():
        lines += [f"## {actor}", ""]
        for o in items:
            head = o.get("action") or o.get("text")
            tags = [f"**{TIER_ZH.get(o.get('tier'), '')}**", MODALITY_ZH.get(o.get("modality"), "")] + _badges(o)
            lines.append(f"- [ ] {head}　" + " ".join(t for t in tags if t))
            lines.append(f"  - 原文：{o.get('text')}")
            if o.get("section"):
                lines.append(f"  - 出处：{' › '.join(o['section'])}")
        lines.append("")
    roster = d.get("roster") or []
    if roster:
        lines += ["## 组织机构名单", "", "| 机构 | 职务 | 姓名 | 现任职务 |", "| --- | --- | --- | --- |"]
        for r in roster:
            lines.append(_md_row([r.get("group"), r.get("role"), r.get("name"), r.get("title")]))
        lines.append("")
    for t in d.get("tables") or []:
        lines += [f"## {t.get('title') or '表格'}", ""]
        header = t.get("header") or []
        if header:
            lines += [_md_row(header), "|" + " --- |" * len(header)]
        for row in t.get("rows") or []:
            lines.append(_md_row(row))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


CSV_HEADER = ["编号", "层级", "责任主体", "任务", "约束", "指标", "时限", "频次", "原文", "出处", "起始位置", "页码"]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell a spreadsheet will not run: one starting like a formula (a clause
    can begin with "-" or "=") gets a leading apostrophe (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(checklist: Checklist | dict) -> str:
    """One row per duty. The text starts with a BOM so Excel reads it as UTF-8."""
    d = _data(checklist)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    for o in d.get("obligations") or []:
        w.writerow([csv_cell(v) for v in (
            o.get("id"), TIER_ZH.get(o.get("tier"), o.get("tier")), "、".join(o.get("actors") or []),
            o.get("action"), MODALITY_ZH.get(o.get("modality"), o.get("modality")),
            "；".join(q.get("text", "") for q in o.get("quotas") or []),
            "；".join(x.get("text", "") for x in o.get("deadlines") or []),
            EVERY_ZH.get((o.get("frequency") or {}).get("every"), "") if o.get("frequency") else "",
            o.get("text"), " › ".join(o.get("section") or []), o.get("start"), o.get("page") or "",
        )])
    return "\ufeff" + buf.getvalue()


def _uid(doc_key: str, o: dict, d: dict) -> str:
    raw = f"{doc_key}|{o.get('text')}|{d.get('text')}|{d.get('month')}|{d.get('day')}|{d.get('year')}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:24] + "@gongwen"


# said where a calendar holds no event (the CLI's 注意 line, the calendar's own description, the
# notice's web page): importing such a file shows nothing, and a person should not have to find out
NO_EVENTS_NOTE = ("日历中没有事件：这份通知没有写明具体日期的时限（“收到通知后5个工作日内”“活动结束后”之类的相对时限"
                  "和没有日期的定期要求不写入日历），导入日历后不会看到任何条目；时限见任务清单")


def ics_events(calendar: bytes | str) -> int:
    """How many events an exported calendar holds."""
    data = calendar.encode("utf-8") if isinstance(calendar, str) else calendar
    return data.splitlines().count(b"BEGIN:VEVENT")


def to_ics(checklist: Checklist | dict, today: date | None = None) -> bytes:
    """An iCalendar file: one all-day VEVENT per dated deadline. Yearly deadlines
    recur (RRULE FREQ=YEARLY) from the document's year, monthly ones recur on their
    day of the month; relative deadlines (蹲点结束后, 第一时间) are left out.

    A deadline that names a month but no day (6月份, 每年1月, 9月中旬) is due, as in the
    督办台账, at the end of the part of the month it names (`deadlines.due_day`): a calendar
    shows it on that day, its summary keeps the words of the notice, and its description says
    the notice gives no day. A day its month lacks (4月31日, 6月0日, 每月32日, 每年4月31日: typos)
    is held to the month's last day, as the 督办台账 reads it, and its description says so; an
    RRULE names days 1 to 31 (or -1) only, and a yearly one recurs every year. A window whose
    start falls after its end (5月20日至5月10日) keeps the end it printed and says the two are the
    wrong way round.

    A checklist with no dated deadline gives a calendar with no event that says so in its own
    description (RFC 7986 DESCRIPTION and X-WR-CALDESC, which calendar programs show), so a file
    passed on without the CLI's or the API's word still explains itself."""
    from icalendar import Calendar, Event

    d = _data(checklist)
    meta = d.get("document") or {}
    today = today or date.today()
    # a web copy with no 成文日期 counts from the day it went up (`Document.anchor_date`)
    notice = meta.get("date") or meta.get("published")
    doc_year = int(notice[:4]) if notice and str(notice)[:4].isdigit() else today.year
    doc_key = meta.get("doc_number") or meta.get("title") or ""
    cal = Calendar()
    cal.add("prodid", "-//gongwen//checklist//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"任务时限：{meta.get('title') or ''}")
    # a fixed DTSTAMP keeps the file byte-stable for the same document
    stamp = datetime(doc_year, 1, 1, tzinfo=timezone.utc)
    for o in d.get("obligations") or []:
        for dl in o.get("deadlines") or []:
            rec, month, day = dl.get("recurrence"), dl.get("month"), dl.get("day")
            ev = Event()
            if rec == "yearly" and month:
                end = due_day(dl, doc_year)
                start = _safe_date(doc_year, month, end)
                # a month named alone recurs on its last day (-1: February's is the 28th or the 29th), and so
                # does a day no year gives the month (4月31日, 3月0日: BYMONTHDAY=31 in April never recurs)
                # or not every year (2月29日: a leap year's only)
                every = (day if day and day <= (28 if month == 2 else _cal.monthrange(2001, month)[1])
                         else -1 if day is not None else end if end < 28 else -1)
                ev.add("rrule", {"freq": "yearly", "bymonth": month, "bymonthday": every})
            elif rec == "monthly" and day is not None:
                first_month = int(str(notice)[5:7]) if notice else 1
                # 每月0日 / 每月32日 (a typo) are due on the month's last day, as the 督办台账 reads them;
                # BYMONTHDAY takes 1 to 31 only (RFC 5545), a 32 made the whole file one a calendar may refuse
                every = day if 1 <= day <= 31 else 31
                start = _safe_date(doc_year, first_month, every)
                # 每月30日 / 每月31日: a month without that day is due on its last day, as in the
                # 督办台账 (nlp.track.occurrences); BYMONTHDAY=31 alone skips those months (RFC 5545)
                ev.add("rrule", {"freq": "monthly", "bymonthday": every} if every < 29 else
                       {"freq": "monthly", "bymonthday": list(range(28, every + 1)), "bysetpos": -1})
            elif rec == "once" and month:
                # 1月底前 in a December notice is next January (`once_year`); undated notices take this year
                start = due_date(dl, notice, doc_year)
            else:
                continue  # relative deadlines have no calendar date
            if start is None:
                continue
            actors = "、".join(o.get("actors") or [])
            ev.add("uid", _uid(doc_key, o, dl))
            ev.add("dtstamp", stamp)
            ev.add("dtstart", start)
            ev.add("summary", f"{actors + '：' if actors else ''}{o.get('action') or o.get('text')}（{dl.get('text')}）")
            desc = [f"原文：{o.get('text')}"]
            if day is None:
                desc.append(f"时限：{dl.get('text')}（通知未写到哪一天，日历上记在{start.month}月{start.day}日）")
            elif rec == "monthly" and not 1 <= day <= 31:
                desc.append(f"时限：{dl.get('text')}（没有哪个月有{day}日，日历上记在每月的最后一天）")
            elif rec == "yearly" and every == -1:
                # 每年2月29日 is the 29th in a leap year and the 28th in another: only the other days say so
                if not (month == 2 and day == 29):
                    desc.append(f"时限：{dl.get('text')}（没有{month}月{day}日，日历上记在每年{month}月的最后一天）")
            elif rec != "monthly" and start.day != day:
                # a day the month lacks (2月30日, 4月31日, 6月0日: a typo) is held to the month's last day;
                # said, so an imported event does not pass for a day the notice gave (每月31日 recurs by its
                # RRULE). 0 is a day as well: 6月0日 is not a notice naming the month alone
                desc.append(f"时限：{dl.get('text')}（{start.year}年没有{month}月{day}日，"
                            f"日历上记在这个月的最后一天{start.month}月{start.day}日）")
            backwards = reversed_window(dl.get("text") or "") if rec == "once" else None
            if backwards:
                # 5月20日至5月10日: which of the two is the typo the notice does not say; the event keeps the
                # end it printed (the checklist's and the 督办台账's day) and says the two are the wrong way round
                desc.append(f"时限：{dl.get('text')}（起止日期先后颠倒：开始的{backwards[0]}晚于结束的{backwards[1]}；"
                            f"日历上记在所写的结束日{start.month}月{start.day}日，请核对通知原文）")
            if o.get("section"):
                desc.append(f"出处：{' › '.join(o['section'])}")
            if meta.get("title"):
                desc.append(f"文件：{meta['title']}")
            ev.add("description", "\n".join(desc))
            cal.add_component(ev)
    if not cal.walk("VEVENT"):
        cal.add("description", NO_EVENTS_NOTE)
        cal.add("x-wr-caldesc", NO_EVENTS_NOTE)
    return cal.to_ical()


def _safe_date(year: int, month: int, day: int | None) -> date | None:
    try:
        return date(year, month, min(day, _cal.monthrange(year, month)[1]))
    except (ValueError, TypeError):
        return None


MEDIA_TYPES = {
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


def render(checklist: Checklist | dict, format: str) -> tuple[str | bytes, str]:
    """The checklist in `format` (json | md | csv | ics) and its media type."""
    writers = {"json": to_json, "md": to_markdown, "csv": to_csv, "ics": to_ics}
    if format not in writers:
        raise ValueError(f"不支持的导出格式：{format}（可选 json、md、csv、ics）")
    return writers[format](checklist), MEDIA_TYPES[format]
