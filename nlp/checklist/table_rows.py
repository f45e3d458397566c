"""Duties read from a notice's tables, one item per row.

Two kinds of table lay down duties row by row:
- a quota table: a column of units (单位, 科室, 部门, 分工会…) and a column of counts (名额, 人数,
  节目数…): each row is the unit's duty, the unit its doer, the count its quota (`1—2` is min 1,
  max 2; a bare number is exact);
- an events table: a column of events (项目, 活动, 内容…) and a column of times (时间, 日期, 月份):
  each row is a dated event line, its organisers (组织者, 主办, 承办…) its doers, else the notice's
  addressees; the time is its deadline (a month alone is that month).

Both reach the extractor in two shapes, read here through one component (`row_tables`): the
real tables of a PDF or a Word file (`ingest` writes each row as a line of tab-separated cells
and keeps the table), and the tables of a scraped web page, which arrive as lines of cells cut
by `|` (a row a line, or a cell a line: `nlp.checklist.tables.cell_line_tables`). A header row,
a repeated header, a total (合计, 小计…) and a row missing its unit, count or time give no item;
nor does a list of people (姓名, 性别, 身份证…), a table of contacts or of any other shape, or a
table of an attachment: inside one that is a form or a list (`tables.is_form`) or titled 附表/附件.
What an attached form holds is filled in, and the annotated notices read an attached
名额分配表 as data (the duty is the clause that sends the units to it), while a table in the
body of the notice is read row by row (the page sets' convention)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.checklist.deadlines import Deadline, find_deadlines
from nlp.checklist.quantities import Quota
from nlp.checklist.tables import Cell, cell_line_tables, is_form, tab_line_rows

_UNIT_HEAD = re.compile(r"单位|部门|科室|院系|系部|分工会|工会|分会|代表队|队名|乡镇|街道|学院|^系$")
_COUNT_HEAD = re.compile(r"名额|人数|数量|节目数|队数|件数|份数|篇数|场次|指标|任务数|^数$")
_EVENT_HEAD = re.compile(r"项目|活动|内容|课程|赛事|比赛|主题")
_TIME_HEAD = re.compile(r"时间|日期|月份|时段")
_ORGANISER_HEAD = re.compile(r"组织者|组织单位|组织部门|主办|承办|负责单位|负责部门|牵头|责任单位|责任部门")
# a list of people (a roster, a sign-up form), not duties; a contact column beside a unit's count
# (联系人, 联系电话) is no such list: it only says whom to call
_PERSON_HEAD = re.compile(r"姓名|性别|身份证|出生|民族|政治面貌")
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计|总数|总人数|累计)")
_COUNT = re.compile(r"^(\d{1,4})(?:\s*[—\-－–~～至到]+\s*(\d{1,4}))?\s*([个人名项件支队篇份场]?)$")
_MONTH = re.compile(r"^(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月份?$")
_SPLIT = re.compile(r"[、，,；;/和及与]")
_NUMBERING = re.compile(r"^(?:序号|编号|序)$")
# a table titled as attached (附表：…名额分配表, 附件2 …) is an attachment the parser kept in the body
_ATTACHED = re.compile(r"^附(?:表|件)")


@dataclass
class Row:
    cells: list[Cell]


@dataclass
class RowTable:
    header: list[str]
    rows: list[Row]
    start: int
    end: int


def row_tables(doc) -> list[RowTable]:
    """The notice's tables with each cell where it lies in `doc.text`: the reader's real tables
    (outside form attachments) and the cell lines of a scraped page."""
    forms = [(p.start, p.end) for p in doc.parts if is_form(p)]
    seen: set[tuple[int, int]] = set()
    out: list[RowTable] = []
    for t in [*doc.tables, *(t for p in doc.parts for t in p.tables)]:
        if t.start is None or t.end is None or (t.start, t.end) in seen:
            continue
        seen.add((t.start, t.end))
        if any(a <= t.start and t.end <= b + 1 for a, b in forms) or _ATTACHED.match(re.sub(r"\s", "", t.title or "")):
            continue
        lines = tab_line_rows(doc.text, t.start, t.end)
        if len(lines) >= 2:
            out.append(RowTable([c.text for c in lines[0]], [Row(r) for r in lines[1:]], t.start, t.end))
    for header, rows, start, end in cell_line_tables(doc.text):
        if not any(s <= start < e for s, e in seen):
            out.append(RowTable(header, [Row(r) for r in rows], start, end))
    return out


def _column(header: list[str], pattern: re.Pattern, skip: set[int] = frozenset()) -> int | None:
    return next((j for j, h in enumerate(header) if j not in skip and pattern.search(re.sub(r"\s", "", h))), None)


def _quota(cell: str, head: str) -> Quota | None:
    m = _COUNT.match(re.sub(r"\s", "", cell))
    if not m:
        return None
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else low
    if high < low:
        return None
    unit = m.group(3) or (u.group(1) if (u := re.search(r"[（(]([^）)]{1,3})[）)]", head)) else "个")
    return Quota(text=cell, kind="count", min=low, max=high, unit=unit)


def _deadline(cell: str, year: int | None) -> Deadline | None:
    found = find_deadlines(cell, year)
    if found:
        return found[0]
    m = _MONTH.match(re.sub(r"\s", "", cell))
    if m and 1 <= int(m.group("m")) <= 12:
        return Deadline(text=cell, recurrence="once", month=int(m.group("m")), day=None,
                        year=int(m.group("y")) if m.group("y") else year)
    return None


def _at(cells: list[str], j: int | None) -> str:
    return cells[j].strip() if j is not None and j < len(cells) else ""


def _names(cell: str) -> list[str]:
    return [n.strip() for n in _SPLIT.split(cell) if len(n.strip()) >= 2]


def row_items(doc, fallback: list[str]) -> list:
    """One hard item per row of the notice's quota and events tables (`Obligation`s, actor
    source `table`); `fallback`: the doers of an events table that names no organiser."""
    from nlp.checklist.extract import Obligation

    year = doc.anchor_year
    items = []
    for t in row_tables(doc):
        head = [re.sub(r"\s", "", h) for h in t.header]
        if any(_PERSON_HEAD.search(h) for h in head):
            continue
        count = _column(head, _COUNT_HEAD)
        unit = _column(head, _UNIT_HEAD, {count} if count is not None else set())
        time = _column(head, _TIME_HEAD)
        event = _column(head, _EVENT_HEAD, {time} if time is not None else set())
        organiser = _column(head, _ORGANISER_HEAD)
        quota_table = count is not None and unit is not None
        event_table = not quota_table and time is not None and event is not None
        if not (quota_table or event_table):
            continue
        above: list[str] = []
        for row in t.rows:
            cells = [c.text for c in row.cells]
            # a cell merged down several rows (one month for two events) is read in each of them
            cells = [c or (above[j] if j < len(above) and any(cells[j + 1:]) else "") for j, c in enumerate(cells)]
            above = cells
            if [re.sub(r"\s", "", c) for c in cells] == head or any(_TOTAL.match(c) for c in cells if c):
                continue
            if quota_table:
                q = _quota(_at(cells, count), head[count])
                if not _at(cells, unit) or q is None:
                    continue
                d = _deadline(_at(cells, time), year) if time is not None and _at(cells, time) else None
                actors, quotas, action = [_at(cells, unit)], [q], f"{_at(cells, unit)} {head[count]} {_at(cells, count)}"
            else:
                d = _deadline(_at(cells, time), year)
                if not _at(cells, event) or d is None:
                    continue
                named = _names(_at(cells, organiser)) if organiser is not None else []
                actors, quotas, action = named or list(fallback), [], _at(cells, event)
            # the row's span without its running number (序号), which says nothing of the duty
            kept = [c for j, c in enumerate(row.cells) if c.text and not (j < len(head) and _NUMBERING.match(head[j]))]
            start, end = min(c.start for c in kept), max(c.end for c in kept)
            text = doc.text[start:end]
            items.append(Obligation(
                id="", text=text, section=[], actors=actors, action=action[:40], modality="must", tier="hard",
                quotas=quotas, deadlines=[d] if d else [], frequency=None, start=start, end=end,
                page=doc.page_at(start) if doc.page_starts else None, part=None,
                actor_source="table"))
    return items
