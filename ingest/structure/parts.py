"""Split a file into its parts: the covering notice, the document it issues (for
关于印发《X》的通知 / 转发, found where X's title reappears after the notice's
落款) and each attachment (附件标识 "附件1" on a line of its own, title below it).
Also reads the 附件说明 ("附件：1．…\n2．…")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.structure.metadata import TITLE_END, _doc_number_line, _letterhead_line
from ingest.structure.text import Line, bigram_sim, is_page_number, join_wrapped, squash
from ingest.text import HEADING_START, chinese_number, fold_digits

_LABEL = re.compile(r"^附\s*件\s*(?P<n>[0-9０-９一二三四五六七八九十]{1,3})?\s*[：:]?\s*$")
# "附件1：title" on one line (number before the colon) is an attachment's label with its title;
# "附件：1．title" (after the colon) is the 附件说明 of the text above.
_LABEL_TITLE = re.compile(r"^附\s*件\s*(?P<n>[0-9０-９]{1,3})\s*[：:]\s*(?P<t>[^。]{2,60})$")
_NOTE = re.compile(r"^(?:附\s*件|附)\s*[：:]\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^(?P<n>\d{1,2})\s*[.．、]\s*(?P<t>.+)$")
_BRACKET_ONLY = re.compile(r"^[（(][^）)]{1,8}[）)]$")
_ATT_TITLE_END = re.compile(r"(表|单|名单|办法|方案|意见|通知|细则|规定|制度|说明|书|证明|目录|清单|汇总|指南|要点|标准|流程|格式|样式|模板)$")


@dataclass
class PartSpec:
    kind: str
    start_line: int  # index into lines
    title: str | None = None
    label: str | None = None
    title_span: tuple[int, int] | None = None  # offsets of the title lines
    title_end_line: int | None = None


def _nb(lines: list[Line], i: int) -> int | None:
    """Index of the next non-blank, non page-number line at or after i."""
    while i < len(lines):
        if lines[i].text and not is_page_number(lines[i].text):
            return i
        i += 1
    return None


def _title_lines(lines: list[Line], i: int, max_lines: int = 3) -> tuple[str, int] | None:
    """A title starting at line i, joined across wrapped lines; (title, last index)."""
    first = lines[i].text
    c = squash(first)
    if not c or len(c) > 60 or "。" in c or "\t" in first or c.endswith(("：", ":")):
        return None
    parts = [first]
    last = i
    while len(parts) < max_lines + 1:
        j = _nb(lines, last + 1)
        if j is None or j - last > 2:
            break
        nxt = squash(lines[j].text)
        if _BRACKET_ONLY.match(nxt):
            parts.append(lines[j].text)
            last = j
            break
        if len(parts) >= max_lines or TITLE_END.search(join_wrapped(parts)) or _ATT_TITLE_END.search(join_wrapped(parts)):
            break
        if not nxt or len(nxt) > 40 or "。" in nxt or "\t" in lines[j].text or nxt.endswith(("：", ":")):
            break
        if HEADING_START.match(nxt):
            break
        # join only when the joined text now reads as a title
        if not (TITLE_END.search(join_wrapped(parts + [lines[j].text])) or _ATT_TITLE_END.search(join_wrapped(parts + [lines[j].text]))):
            break
        parts.append(lines[j].text)
        last = j
    return join_wrapped(parts), last


def find_body(lines: list[Line], embedded: list[str], start: int, stop: int) -> PartSpec | None:
    """Where the issued document X begins: the first title-like lines after `start`
    that read like X (bigram similarity ≥ 0.6; the reprinted title may differ a bit)."""
    if not embedded:
        return None
    x = embedded[0]
    for i in range(start, stop):
        t = lines[i].text
        if (not t or is_page_number(t) or "《" in t or "印发" in t or len(squash(t)) > 60 or _LABEL.match(t)
                or _is_header_line(t)):
            continue
        best = (0.0, None)
        texts: list[str] = []
        j = i
        for _ in range(3):
            if j is None or j >= stop:
                break
            tj = squash(lines[j].text)
            if not tj or "。" in tj or len(tj) > 60 or _is_header_line(lines[j].text):
                break
            texts.append(lines[j].text)
            sim = bigram_sim(x, join_wrapped(texts))
            if sim > best[0]:
                best = (sim, j)
            j = _nb(lines, j + 1)
        if best[0] >= 0.6:
            last = best[1]
            title = join_wrapped([lines[k].text for k in range(i, last + 1) if lines[k].text])
            nxt = _nb(lines, last + 1)
            if nxt is not None and _BRACKET_ONLY.match(squash(lines[nxt].text)):
                title += squash(lines[nxt].text)
                last = nxt
            start_line = i
            # the issued document's label ("附件：") or, for a 转发, its own header
            # (发文机关标志, 文号) belongs to it
            for _ in range(4):
                prev = _prev_nb(lines, start_line - 1)
                if prev is None or prev < start:
                    break
                if _LABEL.match(lines[prev].text) or _is_header_line(lines[prev].text):
                    start_line = prev
                else:
                    break
            return PartSpec("body", start_line, title, None, (lines[i].start, lines[last].end), last)
    return None


def _is_header_line(t: str) -> bool:
    return bool(_doc_number_line(t)) or _letterhead_line(t) is not None


def _prev_nb(lines: list[Line], i: int) -> int | None:
    while i >= 0:
        if lines[i].text and not is_page_number(lines[i].text):
            return i
        i -= 1
    return None


def _title_by_note(lines: list[Line], j: int, notes: list[str]) -> tuple[str, int] | None:
    """The attachment title that reads like an item of the 附件说明, joined over as
    many wrapped lines (up to 3) as fit it best."""
    best = (0.0, None, None)
    parts: list[str] = []
    k = j
    for _ in range(3):
        if k is None:
            break
        t = lines[k].text
        c = squash(t)
        if not c or len(c) > 60 or "。" in c or "\t" in t:
            break
        parts.append(t)
        joined = join_wrapped(parts)
        sim = max(bigram_sim(joined, n) for n in notes)
        if sim > best[0]:
            best = (sim, joined, k)
        k = _nb(lines, k + 1)
    if best[0] >= 0.6:
        return best[1], best[2]
    return None


def find_attachments(lines: list[Line], start: int, stop: int, skip: set[int],
                     notes: list[str] | None = None) -> list[PartSpec]:
    out: list[PartSpec] = []
    for i in range(start, stop):
        if i in skip:
            continue
        t = re.sub(r"^[-*]\s+", "", lines[i].text)
        m = _LABEL.match(t)
        if m:
            j = _nb(lines, i + 1)
            if j is None or j >= stop:
                continue
            if _ITEM.match(squash(lines[j].text)) or squash(lines[j].text).startswith("《"):
                continue  # "附件：" over a numbered list is the 附件说明
            got = (_title_by_note(lines, j, notes) if notes else None) or _title_lines(lines, j)
            n = m.group("n")
            label = f"附件{_arabic(n) if n else len(out) + 1}"
            if got:
                title, last = got
                out.append(PartSpec("attachment", i, title, label, (lines[j].start, lines[last].end), last))
            else:
                out.append(PartSpec("attachment", i, None, label, None, i))
            continue
        m = _LABEL_TITLE.match(t)
        if m and not _ITEM.match(m.group("t")):
            title = squash(m.group("t"))
            out.append(PartSpec("attachment", i, title, f"附件{_arabic(m.group('n'))}",
                                (lines[i].start, lines[i].end), i))
    return out


def _arabic(n: str) -> str:
    n = fold_digits(n)
    if n.isdigit():
        return str(int(n))
    return str(chinese_number(n))


def _continues_item(item: str, nxt: str) -> bool:
    from ingest.structure.dates import date_only
    from ingest.structure.text import looks_like_organ

    c = squash(nxt)
    if not c or len(c) > 30 or date_only(c) or looks_like_organ(c) or _LABEL.match(c) or _LABEL_TITLE.match(c):
        return False
    if TITLE_END.search(squash(item)) or _ATT_TITLE_END.search(squash(item)) or c.endswith(("：", ":")):
        return False
    return True


def attachment_note(lines: list[Line], start: int, stop: int) -> tuple[list[str], int | None]:
    """Items of the first 附件说明 between start and stop, and its line index."""
    items, first, _ = note_block(lines, start, stop)
    return items, first


# "1．报名表；2．名额分配表" printed on one line
_INLINE_ITEMS = re.compile(r"[；;，,]\s*(?=\d{1,2}\s*[.．、])")


def note_block(lines: list[Line], start: int, stop: int) -> tuple[list[str], int | None, int | None]:
    """Items of the first 附件说明 between start and stop, with its first and last line."""
    for i in range(start, stop):
        t = re.sub(r"^[-*]\s+", "", lines[i].text)
        m = _NOTE.match(t)
        if not m:
            continue
        items: list[str] = []
        rest = m.group("rest").strip()
        j = i + 1
        if rest:
            items.append(rest)
        else:
            k = _nb(lines, i + 1)
            if k is None or k >= stop or not (_ITEM.match(squash(lines[k].text)) or squash(lines[k].text).startswith("《")):
                continue  # a bare "附件：" label heads an attachment, not a note
            items.append(lines[k].text)
            j = k + 1
        while True:
            k = _nb(lines, j)
            if k is None or k >= stop:
                break
            t = lines[k].text
            mt = _ITEM.match(squash(t))
            if "。" in t:
                break
            if not mt:
                if not _continues_item(items[-1], t):
                    break
                items[-1] = items[-1] + t  # a wrapped item
            else:
                items.append(t)
            j = k + 1
        clean = []
        for it in [x for item in items for x in _INLINE_ITEMS.split(squash(item))]:
            it = squash(it)
            mt = _ITEM.match(it)
            if mt:
                it = mt.group("t")
            it = it.strip()
            if it.startswith("《") and it.endswith("》"):
                it = it[1:-1]
            if it:
                clean.append(it)
        if clean:
            return clean, i, max(i, j - 1)
    return [], None, None
