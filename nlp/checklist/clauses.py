"""Cutting section text into paragraphs, sentences and clauses the way 公文 are
written: a line broken in mid-sentence is joined to the next; sentences end at
。！？； and clauses at ，, but never inside brackets, quotes or book-title marks
(“6+4”, 《工会法》, （市、区）). A short opening phrase ending in 。 or ：
(突出一条主线。 / 综合组：) is a label heading, not a sentence."""
from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = "（(“‘《【「〔["
CLOSE = "）)”’》】」〕]"
SENT_END = "。！？；!?;"
_COMPLETE_LINE = re.compile(r"[。！？；：:!?;”’」）)]\s*$")
_ROSTER_LINE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff]{1,2}|[\u4e00-\u9fff]{1,3})[ \u3000\t]+\S")
_HEADING_LINE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百]+[章条])")
# a colon between digits (1:1比例, 18:00前) is a ratio or a time, not a label's end
# 地点：…, 集合时间：…, 对象：…: a line opening on a short field name and a colon starts a
# field of its own (时间：X / 地点：Y lines carry no end punctuation, yet are not one sentence)
_FIELD_LINE = re.compile(r"^[\u4e00-\u9fff]{2,6}[：:]")
_LABEL = re.compile(r"^([^，。；：:,;“”《》\s]{2,14})(?:(?<![0-9０-９])[：:]|[：:](?![0-9０-９]))")
# the name of a time field ends on one of these (报名时间, 比赛日期, 截止时间, 报名截止): the line it
# opens is a time line, a dated duty of whoever holds or takes that step
TIME_WORDS = r"(?:时间|日期|时限|期限|截止)"
# such a name opening a clause, with its colon or verb (报名截止时间：, 比赛时间定于, 截止日期为)
TIME_LINE = re.compile(r"^[^，,。；;：:]{0,12}?" + TIME_WORDS + r"\s*(?:[:：]|为|是|定于|拟定于|拟于)")
_LABEL_SENTENCE = re.compile(r"^([^，。；：:,;、\d０-９]{2,12})。")


@dataclass
class Span:
    text: str
    start: int
    end: int


def _standalone(line: str) -> bool:
    s = line.strip()
    from nlp.checklist.roster import inline_roles

    return ("\t" in line or bool(_ROSTER_LINE.match(s)) or bool(_HEADING_LINE.match(s)) or s.startswith("附件")
            or bool(inline_roles(s)))


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans of `text`; a line that stops mid-sentence is joined with the
    next non-empty line (PDF and Word exports break lines anywhere)."""
    lines: list[Span] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            lines.append(Span(raw.strip(), pos + lead, pos + lead + len(raw.strip())))
        pos += len(raw) + 1
    out: list[Span] = []
    # what is known of out[-1] is kept as lines join it, not read again from the whole
    # paragraph at each line (time growing with the square of its length: 80,000 short
    # lines with no end punctuation took 24 CPU-seconds). It ends as its last line ends; a
    # joined paragraph stands alone only by a tab in a line's indent: the other tests of
    # `_standalone` read its first line, which did not, and `inline_roles` reads one line.
    last, alone = "", False
    for ln in lines:
        if (out and not _COMPLETE_LINE.search(last) and not alone
                and not _standalone(ln.text) and not _FIELD_LINE.match(ln.text)):
            prev = out[-1]
            out[-1] = Span(text[prev.start:ln.end], prev.start, ln.end)
            alone = "\t" in text[prev.end:ln.end]
        else:
            out.append(ln)
            alone = _standalone(ln.text)
        last = ln.text
    return out


def _split(text: str, marks: str, offset: int = 0) -> list[Span]:
    out: list[Span] = []
    depth = 0
    straight = False
    start = 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
        elif ch in marks and depth == 0 and not straight:
            piece = text[start:i + 1]
            if piece.strip():
                out.append(_trim(piece, offset + start))
            start = i + 1
    if text[start:].strip():
        out.append(_trim(text[start:], offset + start))
    return out


def _trim(piece: str, at: int) -> Span:
    lead = len(piece) - len(piece.lstrip())
    core = piece.strip()
    return Span(core, at + lead, at + lead + len(core))


def sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentences of one paragraph (terminal punctuation kept)."""
    return _split(text, SENT_END, offset)


def clauses(sentence: str, offset: int = 0) -> list[Span]:
    """Comma clauses of one sentence (the comma kept on the left clause)."""
    return _split(sentence, "，,", offset)


def strip_punct(text: str) -> str:
    """A clause as shown to people: no outer punctuation, no inner line breaks or
    typesetting spaces (kept between two Latin letters or digits)."""
    t = re.sub(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z0-9])", "\x00", text)
    t = re.sub(r"\s+", "", t).replace("\x00", " ")
    t = t.strip("。！？；，,;!?：: ")
    if t[:1] in "（(" and t[-1:] in "）)" and t.count("（") + t.count("(") == 1:
        t = t[1:-1]
    return t.strip("。；，")


def label(paragraph: str) -> tuple[str, int] | None:
    """A label heading opening a paragraph: '综合组：负责…' → ('综合组', 4);
    '突出一条主线。围绕…' → ('突出一条主线', 7). None when there is none."""
    m = _LABEL.match(paragraph)
    if m:
        return m.group(1), m.end()
    m = _LABEL_SENTENCE.match(paragraph)
    if m and len(paragraph) > m.end() + 4 and not re.match(r"^(?:要|应|须|必须|需|可)", m.group(1)):
        return m.group(1), m.end()
    return None
