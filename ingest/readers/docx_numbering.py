"""Word automatic numbering (w:numPr) rendered as text for the DOCX reader.

python-docx returns a paragraph's typed text only; a heading numbered by Word
("一、", "（一）", "1.", "第一条" from a numbering definition) would lose its
number, and with it the section structure the 公文 parser reads. This module
evaluates numbering.xml: abstract definitions, per-instance start overrides,
level counters that restart below a higher level, and the usual formats
(decimal, Chinese counting, circled numbers, letters, Roman numerals).
Bullets render as nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.text import chinese_numeral

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Renders the number of each numbered paragraph, in document order."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    starts: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start override
    abstract_of: dict[str, str] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId -> (numId, ilvl)
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # abstractNumId -> counters
    seen: set[str] = field(default_factory=set)

    @classmethod
    def from_document(cls, document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        try:
            styles = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles = None
        return cls.from_elements(root, styles)

    @classmethod
    def from_elements(cls, root, styles) -> Numbering:
        """From the numbering part's and the styles part's root elements (either None)."""
        n = cls()
        if root is not None:
            abstract: dict[str, dict[int, _Level]] = {}
            for an in root.iterchildren(f"{_W}abstractNum"):
                lv: dict[int, _Level] = {}
                for lvl in an.iterchildren(f"{_W}lvl"):
                    i = int(lvl.get(f"{_W}ilvl", "0"))
                    lv[i] = _Level(
                        fmt=_val(lvl, "numFmt") or "decimal",
                        text=_val(lvl, "lvlText") or "",
                        start=int(_val(lvl, "start") or 1),
                    )
                abstract[an.get(f"{_W}abstractNumId")] = lv
            for num in root.iterchildren(f"{_W}num"):
                num_id = num.get(f"{_W}numId")
                aid = _val(num, "abstractNumId")
                n.abstract_of[num_id] = aid
                n.levels[num_id] = abstract.get(aid, {})
                for ov in num.iterchildren(f"{_W}lvlOverride"):
                    start = _val(ov, "startOverride")
                    if start is not None:
                        n.starts.setdefault(num_id, {})[int(ov.get(f"{_W}ilvl", "0"))] = int(start)
        if styles is not None:
            for st in styles.iterchildren(f"{_W}style"):
                ppr = st.find(f"{_W}pPr")
                numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
                if numpr is not None and _val(numpr, "numId"):
                    n.style_num[st.get(f"{_W}styleId")] = (_val(numpr, "numId"), int(_val(numpr, "ilvl") or 0))
        return n

    def label(self, p) -> str:
        """The number Word shows before paragraph element `p` ('' if none), advancing the counters."""
        ppr = p.find(f"{_W}pPr")
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id, ilvl = None, 0
        if numpr is not None:
            num_id, ilvl = _val(numpr, "numId"), int(_val(numpr, "ilvl") or 0)
        elif ppr is not None and _val(ppr, "pStyle") in self.style_num:
            num_id, ilvl = self.style_num[_val(ppr, "pStyle")]
        if not num_id or num_id == "0" or num_id not in self.levels:
            return ""
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        key = self.abstract_of.get(num_id) or num_id
        counters = self.counters.setdefault(key, [None] * 9)
        if num_id not in self.seen:
            self.seen.add(num_id)
            if self.starts.get(num_id):  # an instance with a start override restarts the list
                counters[:] = [None] * 9
        start = self.starts.get(num_id, {}).get(ilvl, levels[ilvl].start)
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None  # a higher level restarts the levels below it
        if levels[ilvl].fmt in ("bullet", "none"):
            return ""
        text = levels[ilvl].text
        for k in range(ilvl, -1, -1):
            lv = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else self.starts.get(num_id, {}).get(k, lv.start)
            text = text.replace(f"%{k + 1}", format_number(value, lv.fmt))
        return text


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz
    n = max(n, 1)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "ideographDigital", "chineseLegalSimplified"):
        if fmt != "chineseLegalSimplified":
            return chinese_numeral(n)
        import cn2an

        return cn2an.an2cn(n, "up")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("ideographTraditional",) and 1 <= n <= len(_TIANGAN):
        return _TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    return str(n)
