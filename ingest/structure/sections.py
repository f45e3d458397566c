"""The numbered section tree of a part: 一、 → （一） → 1. → （1）, and 第一章 →
第一节 → 第一条 for regulations (条 numbered through the whole text), 第一部分 above
them all. A heading's level comes from its numbering kind, so skipping a level (一、
then 1.) nests correctly and a 1. never closes an outer 一、.

方案 and 办法 also head sections with unnumbered labels: a short line of its own
("工作目标", "主要任务", "总  则" when Word's chapter numbering was lost) or a
bracketed label ("【工作要求】"). Such a label is a section only where it carries the
outline: where no numbered kind at its level competes with it (see `_label_rank`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.document import Section, page_at
from ingest.structure.text import Line, is_page_number, squash
from ingest.text import chinese_number

_CN = "一二三四五六七八九十百零〇两"
# (kind, rank, pattern); rank orders kinds from outermost to innermost.
_KINDS = [
    ("部分", -1, re.compile(rf"^(第[{_CN}\d]+部分)\s*(.*)$")),
    ("章", 0, re.compile(rf"^(第[{_CN}\d]+章)\s*(.*)$")),
    ("节", 1, re.compile(rf"^(第[{_CN}\d]+节)\s*(.*)$")),
    ("条", 2, re.compile(rf"^(第[{_CN}\d]+条)\s*(.*)$")),
    ("一", 3, re.compile(rf"^([{_CN}]+\s*[、．.])\s*(.*)$")),
    ("（一）", 4, re.compile(rf"^([（(]\s*[{_CN}]+\s*[）)])\s*(.*)$")),
    ("1", 5, re.compile(r"^(\d{1,2}\s*[.．、](?![\d．.]))\s*(.*)$")),
    ("（1）", 6, re.compile(r"^([（(]\s*\d{1,2}\s*[）)])\s*(.*)$")),
]
_SENTENCE_END = re.compile(r"[。！？；]")


@dataclass
class Heading:
    kind: str
    rank: int
    value: int
    number: str
    title: str
    rest: str  # the heading line's words after the title
    line: Line


def _value(number: str) -> int | None:
    digits = re.sub(r"[第章节条部分、．.（）()\s]", "", number)
    if not digits:
        return None
    if digits.isdigit():
        # 第111…1条 of thousands of digits is no heading (and int() refuses over 4,300 digits)
        return int(digits) if len(digits) <= 9 else None
    try:
        return chinese_number(digits)
    except (ValueError, KeyError):
        return None


def _split_title(kind: str, words: str) -> tuple[str, str]:
    """Heading title and the rest of the line: "加强思想引领。认真宣传…" → title up to
    the first 。; a short line without sentence punctuation is all title; a
    sentence (wrapped 条 text, a list item) has no title."""
    words = words.strip()
    if not words:
        return "", ""
    m = _SENTENCE_END.search(words)
    # a colon between digits is a ratio or a clock time (1:1比例, 18:00前), not a label's end
    colon = re.search(r"(?<![0-9０-９])[：:]|[：:](?![0-9０-９])", words)
    if kind != "条" and colon and colon.start() <= 20 and (not m or colon.start() < m.start()):
        # "（二）家庭总收入：包括…" — a label before a colon
        return squash(words[: colon.start()]), words[colon.end():].strip()
    if m:
        head = words[: m.start()]
        if kind == "条" or len(head) > 80:
            return "", words
        if (kind in ("1", "（1）") and not words[m.end():].strip()
                and ("，" in head or "," in head or len(head) > 20)):
            # "1．各县（市、区）总工会要于每月5日前报送…。": a list item that is one whole
            # sentence carries text, not a title
            return "", words
        return squash(head), words[m.end():].strip()
    limit = 16 if kind == "条" else 40
    if kind == "条" and words.endswith(("：", ":")):
        return "", words  # "第六条 资金渠道：" leads into its items: a sentence, not a title
    if len(words) <= limit and "，" not in words and "," not in words:
        return squash(words).rstrip("：:").strip(), ""
    return "", words


def find_heading(line: Line) -> Heading | None:
    text = line.text
    if not text or "\t" in text or is_page_number(text):
        return None
    text = re.sub(r"^[-*]\s+", "", text)  # markdown bullets
    for kind, rank, pat in _KINDS:
        m = pat.match(text)
        if not m:
            continue
        number = re.sub(r"\s+", "", m.group(1))
        value = _value(number)
        if value is None or value == 0:
            return None
        words = m.group(2)
        if kind in ("1", "一") and re.match(r"^[\d年月日%]", words):
            return None  # a date or figure, not a heading
        title, rest = _split_title(kind, words)
        return Heading(kind, rank, value, number, title, rest, line)
    return None


# A label heading: a short line of words alone ("工作目标", "总  则"), or a bracketed
# label ("【工作要求】" with or without text after it).
_BRACKET_LABEL = re.compile(r"^[【［\[]\s*([\u3400-\u9fff][\u3400-\u9fff\s]{1,15})\s*[】］\]]\s*(.*)$")
_PLAIN_LABEL = re.compile(r"^[\u3400-\u9fff]{2,12}$")
# words that end a document or form title, a name list or a signature, not a heading
_NOT_LABEL_END = re.compile(r"(通知|通报|意见|方案|办法|规定|条例|细则|决定|报告|请示|批复|函|纪要|公告|通告|"
                            r"名单|名册|花名册|表|单|书|证明|此致|敬礼|特此通知|特此通报)$")


def _label(line: Line, nxt: Line | None) -> Heading | None:
    """A label heading on `line` (nxt: the next non-blank line), or None."""
    from ingest.structure.dates import date_only
    from ingest.structure.text import looks_like_organ

    text = line.text
    if not text or "\t" in text or is_page_number(text):
        return None
    m = _BRACKET_LABEL.match(text)
    if m:
        title = squash(m.group(1))
        rest = m.group(2).strip()
        return Heading("label", 99, 0, "", title, rest, line)
    words = squash(text).rstrip("：:")
    if not _PLAIN_LABEL.match(words) or _NOT_LABEL_END.search(words) or looks_like_organ(words) or date_only(words):
        return None
    if nxt is None:
        return None
    follow = squash(nxt.text)
    # a label leads into a heading or a paragraph; a short line below it makes it part of
    # a list, a roster or a wrapped title instead
    if "\t" in nxt.text:
        return None  # a form's caption over its cells
    if not (find_heading(nxt) or _BRACKET_LABEL.match(nxt.text) or re.search(r"[。；]", follow)
            or (len(follow) > 25 and not re.search(r"[：:]", follow))):
        return None
    return Heading("label", 99, 0, "", words, "", line)


def _label_rank(labels: list[tuple[Heading, Heading | None]], raw: list[Heading]) -> tuple[float, list[Heading]] | None:
    """Where the labels of a part sit in its outline and which of them are sections, or
    None. `labels` pairs each candidate with the numbered heading right below it (if
    any); `raw` are the part's numbered headings. Labels over 第…条 are the chapters
    whose numbers a converted file lost; over 一、 they are sections only where each
    opens a new 一、 run; over （一）/1. (or no numbering) they are the top of the outline.
    Beside 第…部分 or numbered chapters without 条 they are not the outline."""
    kinds = {h.kind for h in raw}
    if "部分" in kinds:
        return None
    if "条" in kinds:
        rank, keep = 0, [h for h, below in labels if below is not None and below.kind == "条"]
    elif kinds & {"章", "节"}:
        return None
    elif "一" in kinds:
        rank, keep = -1, [h for h, below in labels if below is not None and below.kind == "一" and below.value == 1]
    else:
        rank, keep = 2.5, [h for h, _ in labels]
    plain = [h for h in keep if not _BRACKET_LABEL.match(h.line.text)]
    if not keep or (plain and len(keep) < 2):
        return None  # one stray short line is not an outline
    return rank, keep


def build_sections(text: str, lines: list[Line], start: int, end: int, page_starts: list[int]) -> tuple[list[Section], int | None]:
    """Sections of text[start:end] from its lines; returns (top sections, offset
    where the first section begins)."""
    inside = [l for l in lines if l.start >= start and l.end <= end and l.text]
    raw: dict[int, Heading] = {}
    for line in inside:
        h = find_heading(line)
        if h is not None:
            raw[line.idx] = h
    labels: list[tuple[Heading, Heading | None]] = []
    for n, line in enumerate(inside):
        if line.idx in raw:
            continue
        nxt = inside[n + 1] if n + 1 < len(inside) else None
        lab = _label(line, nxt)
        if lab is not None:
            labels.append((lab, raw.get(nxt.idx) if nxt is not None else None))
    chosen = _label_rank(labels, list(raw.values()))
    label_at: dict[int, Heading] = {}
    if chosen is not None:
        rank, keep = chosen
        for h in keep:
            h.rank = rank
            label_at[h.line.idx] = h

    heads: list[Heading] = []
    last_value: dict[tuple, int] = {}
    last_any: dict[str, int] = {}  # some texts number 1. through the whole part
    stack: list[Heading] = []
    for line in inside:
        if line.idx in label_at:
            h = label_at[line.idx]
            stack = [s for s in stack if s.rank < h.rank] + [h]
            heads.append(h)
            continue
        h = raw.get(line.idx)
        if h is None:
            continue
        # numbering must run on: 1 opens a level, otherwise previous + 1 (a gap of
        # one is forgiven); 条 count through the whole part
        parents = [s for s in stack if s.rank < h.rank]
        key = (h.kind,) if h.kind == "条" else (h.kind, tuple(id(p) for p in parents))
        prev = last_value.get(key)
        if prev is None:
            ok = h.value == 1 or h.value == last_any.get(h.kind, -9) + 1
        else:
            ok = h.value in (prev + 1, prev + 2)
        if not ok and prev is None and h.kind in ("条", "章"):
            ok = True  # an excerpt may start mid-way
        if not ok:
            continue
        last_value[key] = h.value
        last_any[h.kind] = h.value
        if h.kind == "一" and any(p.kind in ("章", "节", "条") for p in parents):
            # 条 hold （一） and 1. items; an 一、 after them opens new material
            parents = []
        stack = parents + [h]
        heads.append(h)
    if not heads:
        return [], None
    # nest by rank with a stack, then fill offsets and text
    roots: list[Section] = []
    open_: list[tuple[Heading, Section]] = []
    flat: list[tuple[Heading, Section]] = []
    for h in heads:
        while open_ and open_[-1][0].rank >= h.rank:
            open_.pop()
        if h.kind == "一" and any(o[0].kind in ("章", "节", "条") for o in open_):
            open_ = []
        path = [s.heading for _, s in open_]
        sec = Section(number=h.number, title=h.title, level=len(open_) + 1, path=[], text="",
                      start=h.line.start, end=end, page=page_at(page_starts, h.line.start))
        sec.path = path + [sec.heading]
        (open_[-1][1].children if open_ else roots).append(sec)
        open_.append((h, sec))
        flat.append((h, sec))
    for n, (h, sec) in enumerate(flat):
        # a section ends where the next heading of the same or an outer level begins
        sec.end = end
        for h2, s2 in flat[n + 1:]:
            if h2.rank <= h.rank or s2.level <= sec.level:
                sec.end = s2.start
                break
        own_end = flat[n + 1][1].start if n + 1 < len(flat) else end
        own_end = min(own_end, sec.end)
        body = text[h.line.end:own_end].strip("\n")
        first = h.rest.strip()
        sec.text = "\n".join(x for x in (first, body.strip()) if x).replace("**", "")
        sec.end = _rstrip_offset(text, sec.start, sec.end)
    return roots, heads[0].line.start


def _rstrip_offset(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end
