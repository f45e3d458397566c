"""Tables of a notice as checklist data: header plus rows, a leader cell that spans
several rows repeated down (the first cell left empty below it), names typeset
with inner spaces ('李 虎') joined."""
from __future__ import annotations

import re
from dataclasses import dataclass


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
    out = [table_dict(t, owner.get(id(t))) for t in tables]
    # a scraped page's table, which the reader left as lines of `|`-separated cells
    return out + [{"title": None, "header": header, "rows": [[c.text for c in row] for row in rows],
                   "start": start, "end": end, "page": None}
                  for header, rows, start, end in cell_line_tables(doc.text)]


# an attachment whose title names a form or a list (…申报表, 回执, 花名册, 名单): what it holds
# is filled in, not done, apart from the notes printed under it (此表一式3份，4月15日前上报)
FORM_PART = re.compile(r"表|申请书|证明|花名册|回执|清单|名单|登记|样式|格式|模板")


def table_spans(doc) -> list[tuple[int, int]]:
    """Where the notice's tables lie in `doc.text`: the reader's spans (a PDF's or a Word
    file's table reaches the text as its cells run together, one row a line) and a scraped
    page's lines of cells (`cell_line_tables`)."""
    seen = list(doc.tables) + [t for p in doc.parts for t in p.tables]
    spans = {(t.start, t.end) for t in seen if t.start is not None and t.end is not None}
    return sorted(spans | {(a, b) for _, _, a, b in cell_line_tables(doc.text)})


@dataclass
class Cell:
    text: str
    start: int  # offsets into the notice's text
    end: int


def _cells_at(line: str, at: int, sep: str) -> list[Cell]:
    out, pos = [], at
    for piece in line.split(sep):
        lead = len(piece) - len(piece.lstrip())
        core = piece.strip()
        out.append(Cell(core, pos + lead, pos + lead + len(core)))
        pos += len(piece) + len(sep)
    return out


def tab_line_rows(text: str, start: int, end: int) -> list[list[Cell]]:
    """The rows of a reader's table, read back from `text[start:end]` where the reader wrote
    each row as a line of tab-separated cells, every cell with its offsets."""
    rows, pos = [], start
    for line in text[start:end].split("\n"):
        if "\t" in line:
            rows.append(_cells_at(line, pos, "\t"))
        pos += len(line) + 1
    return rows


# a scraped page's table: `|` after every cell, a row a line (a | b | c |) or a cell a line (a |)
_ROW_LINE = re.compile(r"^[^|\n]*(?:\|[^|\n]*){2,}$")
_CELL_LINE = re.compile(r"^[^|\n]*\|\s*$")  # (an empty cell is a bare `|`)
_NUMBER = re.compile(r"^[\d.%％]+(?:\s*[—\-－–~～至到]+\s*[\d.%％]+)?\s*[个人名项件支队篇份场]?$")
_DATE = re.compile(r"\d\s*月|\d{4}\s*[-./年]\s*\d")


def _kind(cell: str) -> str | None:
    if not cell:
        return None
    return "number" if _NUMBER.match(cell) else "date" if _DATE.search(cell) else "text"


def _width(cells: list[str]) -> int | None:
    """How many cells a row holds in a run of one-cell lines: the least width (2–8) at which
    the first row is all words (a header) and every column below it keeps one kind (number,
    date or words; an empty cell fits any), one of them not words; None when no width fits."""
    for w in range(2, min(8, len(cells) // 2) + 1):
        if len(cells) % w or any(_kind(c) != "text" for c in cells[:w]):
            continue
        kinds = [{_kind(cells[i]) for i in range(j + w, len(cells), w)} - {None} for j in range(w)]
        if all(len(k) == 1 for k in kinds) and any(k != {"text"} for k in kinds):
            return w
    return None


def cell_line_tables(text: str) -> list[tuple[list[str], list[list[Cell]], int, int]]:
    """The tables of a scraped page as (header, rows of cells, start, end): runs of two or more
    lines of `|`-separated cells (two or more filled), or runs of four or more lines that each
    hold one cell and a `|`, cut into rows at the width `_width` finds."""
    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((line, pos))
        pos += len(line) + 1
    out: list[tuple[list[str], list[list[Cell]], int, int]] = []
    i = 0
    while i < len(lines):
        j = i
        rows: list[list[Cell]] = []
        while j < len(lines) and _ROW_LINE.match(lines[j][0]):
            cells = _cells_at(lines[j][0], lines[j][1], "|")
            while cells and not cells[-1].text:
                cells.pop()
            if sum(bool(c.text) for c in cells) < 2:
                break
            rows.append(cells)
            j += 1
        if len(rows) >= 2:
            out.append(([c.text for c in rows[0]], rows[1:], rows[0][0].start, max(c.end for c in rows[-1])))
            i = j
            continue
        j = i
        while j < len(lines) and _CELL_LINE.match(lines[j][0]):
            j += 1
        if j - i >= 4:
            cells = [_cells_at(line, at, "|")[0] for line, at in lines[i:j]]
            w = _width([c.text for c in cells])
            if w:
                rows = [cells[k:k + w] for k in range(0, len(cells), w)]
                out.append(([c.text for c in rows[0]], rows[1:], rows[0][0].start, rows[-1][-1].end))
            i = j
            continue
        i += 1
    return out


def is_form(part) -> bool:
    """An attachment that is a form or a list (its title says so)."""
    return part.kind == "attachment" and bool(FORM_PART.search(part.title or ""))


def form_spans(doc) -> list[tuple[int, int]]:
    """Where the attachments that are forms or lists lie in `doc.text`."""
    return [(p.start, p.end) for p in doc.parts if is_form(p)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b + 1 for a, b in spans)
