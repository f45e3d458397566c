"""Tables of a notice as checklist data: header plus rows, a leader cell that spans
several rows repeated down (the first cell left empty below it), names typeset
with inner spaces ('李 虎') joined."""
from __future__ import annotations

import re


def _cell(value) -> str:
    s = "" if value is None else str(value).strip()
    # CJK words split by typesetting spaces (李 虎, 修 水 县) are one word
    if re.fullmatch(r"[\u4e00-\u9fff]+(?:[ \u3000]+[\u4e00-\u9fff]+)+", s) and len(re.sub(r"\s", "", s)) <= 8:
        s = re.sub(r"[ \u3000]+", "", s)
    return s


def table_dict(table, fallback_title: str | None = None) -> dict:
    header = [_cell(c) for c in table.header]
    rows: list[list[str]] = []
    for raw in table.rows:
        row = [_cell(c) for c in raw]
        if not any(row):
            continue
        if header and 0 < len(row) < len(header):
            # a row short of cells lost its leading merged cells (a leader spanning rows)
            row = [""] * (len(header) - len(row)) + row
        for j in range(len(row)):
            # merged leading cells span down: fill them from the row above
            if row[j] or not rows or j >= len(rows[-1]) or not any(row[j + 1:]):
                break
            row[j] = rows[-1][j]
        rows.append(row)
    return {"title": table.title or fallback_title, "header": header, "rows": rows,
            "start": table.start, "end": table.end, "page": table.page}


def extract_tables(doc) -> list[dict]:
    tables = list(doc.tables)
    owner: dict[int, str | None] = {}
    for part in doc.parts:
        for t in part.tables:
            owner[id(t)] = part.title
            if not any(t is x or (t.start is not None and t.start == x.start and t.rows == x.rows) for x in tables):
                tables.append(t)
    return [table_dict(t, owner.get(id(t))) for t in tables]


# an attachment whose title names a form or a list (…申报表, 回执, 花名册, 名单): what it holds
# is filled in, not done, apart from the notes printed under it (此表一式3份，4月15日前上报)
FORM_PART = re.compile(r"表|申请书|证明|花名册|回执|清单|名单|登记|样式|格式|模板")


def table_spans(doc) -> list[tuple[int, int]]:
    """Where the notice's tables lie in `doc.text` (the reader's spans): a PDF's or a
    Word file's table reaches the text as its cells run together, one row a line."""
    seen = list(doc.tables) + [t for p in doc.parts for t in p.tables]
    return sorted({(t.start, t.end) for t in seen if t.start is not None and t.end is not None})


def is_form(part) -> bool:
    """An attachment that is a form or a list (its title says so)."""
    return part.kind == "attachment" and bool(FORM_PART.search(part.title or ""))


def form_spans(doc) -> list[tuple[int, int]]:
    """Where the attachments that are forms or lists lie in `doc.text`."""
    return [(p.start, p.end) for p in doc.parts if is_form(p)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b + 1 for a, b in spans)
