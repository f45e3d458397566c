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
