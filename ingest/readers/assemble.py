"""Text assembly shared by every reader: whitespace normalisation and a builder
that writes lines, page breaks and tables into one string while recording the
offsets `RawText` promises (page starts, table start/end)."""
from __future__ import annotations

import re

from ingest.document import RawText, Table

# Full-width space, NBSP and the typographic spaces all become a plain space; the
# parser and the search index should not have to know about them.
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Control characters (category Cc) other than the tab.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
# Zero-width characters and a stray BOM carry no text.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def clean_line(s: str, *, keep_tabs: bool = False) -> str:
    """One line of text: normalised spaces, no control characters, stripped."""
    s = _SPACES.sub(" ", s)
    s = _INVISIBLE.sub("", s)
    if not keep_tabs:
        s = s.replace("\t", " ")
    s = _CONTROL.sub("", s)
    return s.strip(" ")


def clean_cell(s: str | None) -> str:
    """A table cell as one line: inner line breaks removed (a CJK cell wrapped by
    layout is one phrase), tabs turned into spaces so the row stays parseable."""
    if not s:
        return ""
    parts = [clean_line(p) for p in s.replace("\r", "\n").split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        out = join_text(out, p) if out else p
    return out


def normalise_newlines(s: str) -> str:
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def join_text(a: str, b: str) -> str:
    """Join two pieces of one wrapped line: no space between CJK characters, one
    space between two Latin words or numbers, none inside a number that Chinese
    text wrapped (金额10|0万元: Chinese layout breaks lines between any two
    characters, digits included)."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        if a[-1].isdigit() and b[0].isdigit() and _CJK_RUN.search(a[-12:]):
            return a + b
        return f"{a} {b}"
    return a + b


_CJK_RUN = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]*$")


class TextBuilder:
    """Collects lines and tables in reading order and builds a `RawText`."""

    def __init__(self, fmt: str, encoding: str | None = None):
        self.fmt = fmt
        self.encoding = encoding
        self.lines: list[str] = []
        self.tables: list[tuple[int, int, Table]] = []  # (first line, last line + 1, table)
        self.page_marks: list[tuple[int, int]] = []  # (line index, char offset in that line)
        self.warnings: list[str] = []

    def line(self, text: str, *, keep_tabs: bool = False) -> None:
        text = clean_line(text, keep_tabs=keep_tabs)
        if text:
            self.lines.append(text)

    def extend(self, text: str) -> None:
        """Append to the last line (a line or sentence wrapped by layout)."""
        text = clean_line(text)
        if not text:
            return
        if not self.lines or self.lines[-1] == "":
            self.lines.append(text)
        else:
            self.lines[-1] = join_text(self.lines[-1], text)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def page(self) -> None:
        """Mark that the next text written belongs to a new page. If that text is
        joined onto the current last line, the page starts inside that line."""
        if self.lines and self.lines[-1] != "":
            self.page_marks.append((len(self.lines) - 1, len(self.lines[-1])))
        else:
            self.page_marks.append((len(self.lines), 0))

    def table(self, rows: list[list[str]], *, title: str | None = None, page: int | None = None) -> None:
        rows = [[clean_cell(c) for c in row] for row in rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        if title is None:
            title = self._title_above()
        first = len(self.lines)
        for r in rows:
            self.lines.append("\t".join(r).rstrip("\t") or " ")
        self.tables.append((first, len(self.lines), Table(title=title, header=rows[0], rows=rows[1:], page=page)))

    def _title_above(self) -> str | None:
        """A table's caption is the short line just above it naming a table (…表)."""
        for t in reversed(self.lines[-2:]):
            if t and len(t) <= 60 and "\t" not in t and t.rstrip("：:").endswith(("表", "名单", "清单", "一览")):
                return t
        return None

    def build(self) -> RawText:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        offsets = []
        pos = 0
        for ln in self.lines:
            offsets.append(pos)
            pos += len(ln) + 1
        end = max(pos - 1, 0)

        def at(i: int, within: int = 0) -> int:
            if i >= len(offsets):
                return end
            return offsets[i] + within

        tables = []
        for first, last, t in self.tables:
            t.start = at(first)
            t.end = at(last - 1) + len(self.lines[last - 1])
            tables.append(t)
        page_starts = []
        for i, within in self.page_marks:
            if i < len(self.lines) and within >= len(self.lines[i]) and within:
                # The page's first text was not joined onto line i: it starts on the next line.
                p = at(i + 1)
            else:
                p = at(i, within)
            page_starts.append(min(p, end))
        return RawText(
            text="\n".join(self.lines),
            format=self.fmt,
            encoding=self.encoding,
            page_starts=page_starts,
            tables=tables,
            warnings=list(self.warnings),
        )

