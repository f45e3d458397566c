"""Tables written as tab-separated lines (how every reader lays out a table):
consecutive lines with at least two cells become a `Table`, titled by the
title-like line just above it."""
from __future__ import annotations

from ingest.document import Table, page_at
from ingest.structure.text import Line, is_page_number, squash


def _cells(line: Line, raw: str) -> list[str] | None:
    if "\t" not in raw:
        return None
    cells = [c.strip() for c in raw.strip("\r\n").split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells if len([c for c in cells if c]) >= 1 and len(cells) >= 2 else None


def text_tables(text: str, lines: list[Line], page_starts: list[int]) -> list[Table]:
    tables: list[Table] = []
    run: list[tuple[Line, list[str]]] = []

    def flush(prev_title: str | None) -> None:
        if len(run) >= 1 and (len(run) >= 2 or len(run[0][1]) >= 3):
            first, last = run[0][0], run[-1][0]
            header = run[0][1]
            rows = [_fit(r, len(header)) for _, r in run[1:]]
            tables.append(Table(title=prev_title, header=header, rows=_fill_merged(rows),
                                start=first.start, end=last.end, page=page_at(page_starts, first.start)))

    title: str | None = None
    candidate: str | None = None
    prev_blank = True
    for line in lines:
        raw = text[_line_raw_start(text, line):_line_raw_end(text, line)]
        cells = _cells(line, raw)
        if cells is not None:
            if not run:
                title = candidate
            run.append((line, cells))
            continue
        if run:
            flush(title)
            run = []
        if not line.text:
            prev_blank = True
            continue
        if not is_page_number(line.text):
            c = squash(line.text)
            ok = len(c) <= 60 and not c.endswith(("。", "；", "：", ":", "，"))
            # a title wrapped over two lines ("…本地行" / "申报表") is read as one
            if ok and candidate and not prev_blank and len(candidate) + len(c) <= 60:
                candidate = candidate + c
            else:
                candidate = c if ok else None
        prev_blank = False
    if run:
        flush(title)
    return tables


def _fit(row: list[str], width: int) -> list[str]:
    """Rows as wide as the header: an empty last cell stays a cell."""
    row = list(row)
    while len(row) > width and not row[-1]:
        row.pop()
    return row + [""] * (width - len(row))


def _fill_merged(rows: list[list[str]]) -> list[list[str]]:
    """Leading empty cells under a filled one are a vertically merged cell (a leader
    listed once for two counties): repeat the value so every row reads on its own."""
    out: list[list[str]] = []
    for row in rows:
        row = list(row)
        if out:
            prev = out[-1]
            for i, cell in enumerate(row):
                if cell:
                    break
                if i < len(prev) and i < len(row) - 1:
                    row[i] = prev[i]
        out.append(row)
    return out


def _line_raw_start(text: str, line: Line) -> int:
    s = text.rfind("\n", 0, line.start) + 1
    return s


def _line_raw_end(text: str, line: Line) -> int:
    e = text.find("\n", line.start)
    return len(text) if e < 0 else e
