"""The parts of a Word document outside its body that a reader sees in Word: footnotes,
endnotes, page headers and footers. Used by the DOCX reader (and the Word XML reader,
which goes through it).

Footnotes and endnotes are the notice's text (a note on who qualifies, where to send a
form): each is written as a line of its own right after the paragraph (or table) that
refers to it, marked "注1：" (footnote) or "尾注1：" (endnote), numbered in reading
order as Word numbers them; a note with a custom mark (*, ※) keeps that mark. Placed
there rather than at the end, they stay beside what they explain and do not come
after the signature and date, where the 公文 parser reads the 落款.

Page headers and footers are not part of the reading text: they repeat on every page
(the PDF reader drops the same lines as running text, so a notice reads alike from
both), they hold page numbers, and a header line (the issuer's name, 规范性文件) put
in front of the body would be read as the letterhead or the title. Page numbers
(the PAGE, NUMPAGES and SECTIONPAGES fields, and lines of nothing but a number and
its dashes) are dropped; what else they say is returned apart (`Margins`) and kept
with the file's description (`Source.page_headers`, `Source.page_footers`), so
nothing a reader of the file saw is lost. The header Word shows on the first page (its own
first-page header when the first section has one, else the section's default header) is
kept as well (`Source.first_page_header`): some notices print the red letterhead there,
and the structure parser reads it as the letterhead when the body has none.
May import ingest.readers.assemble and docx (python-docx) only.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# a reference inside these is not shown (deleted revision, moved-away text, a drawing's fallback copy)
_HIDDEN = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback"})
KINDS = (("footnote", "脚注"), ("endnote", "尾注"))  # (kind, its name for people)
_MARK = {"footnote": "注", "endnote": "尾注"}  # the mark in front of a note's line


@dataclass
class Notes:
    """Footnote and endnote texts by id, and the numbers given out so far."""

    texts: dict[str, dict[str, list[str]]] = field(default_factory=lambda: {k: {} for k, _ in KINDS})
    numbers: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in KINDS})
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_document(cls, document) -> Notes:
        return cls.from_parts([(kind, rel.target_part.blob) for kind, _ in KINDS for rel in document.part.rels.values()
                               if not rel.is_external and rel.reltype == f"{_RT}{kind}s"])

    @classmethod
    def from_parts(cls, parts: list[tuple[str, bytes]]) -> Notes:
        """From the bytes of footnotes and endnotes parts: (kind, bytes) pairs."""
        from docx.oxml.parser import parse_xml
        from lxml import etree

        notes = cls()
        for kind, blob in parts:
            label = dict(KINDS)[kind]
            try:
                root = parse_xml(blob)
            except (etree.XMLSyntaxError, ValueError):
                # python-docx never parses this part: a damaged one must not cost the body
                notes.warnings.append(f"文档的{label}部分已损坏，{label}未能读取，请核对原文件")
                continue
            for note in root.iterchildren(f"{_W}{kind}"):
                if note.get(f"{_W}type") in (None, "normal"):
                    notes.texts[kind][note.get(f"{_W}id", "")] = note_lines(note)
        return notes

    def lines_for(self, el, *, skip=None) -> list[str]:
        """The note lines of the references under `el`, in order (not those under `skip`
        tags: the text boxes a paragraph's walk reads on their own)."""
        out = []
        for ref in el.iter(f"{_W}footnoteReference", f"{_W}endnoteReference"):
            if _hidden(ref, el, skip or frozenset()):
                continue
            kind = "footnote" if ref.tag == f"{_W}footnoteReference" else "endnote"
            lines = self.texts[kind].get(ref.get(f"{_W}id", ""))
            if not lines:
                continue
            mark = _custom_mark(ref)
            if mark is None:
                self.numbers[kind] += 1
                mark = str(self.numbers[kind])
            out.append(f"{_MARK[kind]}{mark}：{lines[0]}")
            out.extend(lines[1:])
        return out


def _hidden(ref, el, skip) -> bool:
    """Whether a reference below `el` sits in a hidden place, or in a part read apart
    (`skip`), between itself and `el` (what lies above `el` does not count: the
    paragraphs of a text box are walked with the box as their top)."""
    for a in ref.iterancestors():
        if a is el:
            return False
        if a.tag in _HIDDEN or a.tag in skip:
            return True
    return False


def note_lines(note) -> list[str]:
    from ingest.readers.docx import paragraph_text

    lines = [paragraph_text(p).replace("\t", " ").strip() for p in note.iter(f"{_W}p")]
    return [ln for ln in lines if ln]


def _custom_mark(ref) -> str | None:
    """A note marked by the author's own sign (w:customMarkFollows): the run after the
    reference holds it, and Word gives the note no number."""
    if ref.get(f"{_W}customMarkFollows") not in ("1", "true", "on"):
        return None
    run = ref.getparent()
    nxt = run.getnext() if run is not None else None
    text = "".join(t.text or "" for t in nxt.iter(f"{_W}t")) if nxt is not None else ""
    return text.strip() or "*"


# ---------------------------------------------------------------- headers and footers

_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION")
# what is left of a page-number line once its fields are gone: dashes, 第…页 共…页, Page … of …
_PAGE_LINE = re.compile(r"(?i)(?:[\s\d\-—–－_·•./|／第页共()（）]|page|of)*")


def _is_page_field(instr: str | None) -> bool:
    words = (instr or "").split()
    return bool(words) and words[0].upper() in _PAGE_FIELDS


def drop_page_fields(root) -> None:
    """Remove page-number fields (simple and complex) from `root`, in place."""
    for f in list(root.iter(f"{_W}fldSimple")):
        if _is_page_field(f.get(f"{_W}instr")):
            f.getparent().remove(f)
    stack: list[tuple[list[str], list]] = []  # open complex fields: (instruction, their runs)
    doomed: list = []
    for r in list(root.iter(f"{_W}r")):
        fc = r.find(f"{_W}fldChar")
        kind = fc.get(f"{_W}fldCharType") if fc is not None else None
        if kind == "begin":
            stack.append(([], [r]))
            continue
        if not stack:
            continue
        instr, runs = stack[-1]
        runs.append(r)
        instr.extend(t.text or "" for t in r.iter(f"{_W}instrText"))
        if kind == "end":
            stack.pop()
            if _is_page_field("".join(instr)):
                doomed.extend(runs)
            elif stack:
                stack[-1][1].extend(runs)
    for r in doomed:
        if r.getparent() is not None:
            r.getparent().remove(r)


@dataclass
class Margins:
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    first_page: list[str] = field(default_factory=list)  # the first page's header lines


def _on(el, tag: str) -> bool:
    """A Word on/off property present and not switched off (<w:titlePg/>, w:val="1")."""
    prop = el.find(f"{_W}{tag}")
    return prop is not None and prop.get(f"{_W}val", "1") not in ("0", "false", "off")


def _sections(root) -> list:
    """The section properties in document order, those of a tracked change left out."""
    return [s for s in root.iter(f"{_W}sectPr") if s.getparent().tag != f"{_W}sectPrChange"]


def margins(document) -> Margins:
    """The text of the document's page headers and footers, each line once, page numbers
    left out. Read from copies: the document itself is not changed."""
    from docx.oxml.parser import parse_xml

    found = []
    related = document.part.related_parts
    sections = _sections(document.element.body)
    # the first page shows the first section's first-page header when the section asks
    # for one (w:titlePg), else its default header; a type it lacks shows nothing there
    want = "first" if sections and _on(sections[0], "titlePg") else "default"
    for n, sect in enumerate(sections):
        for ref in sect.iterchildren(f"{_W}headerReference", f"{_W}footerReference"):
            part = related.get(ref.get(_R_ID))
            if part is None:
                continue
            # python-docx parses header parts; one under an unexpected content type is a plain part
            element = copy.deepcopy(part.element) if hasattr(part, "element") else parse_xml(part.blob)
            is_header = ref.tag == f"{_W}headerReference"
            first = n == 0 and is_header and ref.get(f"{_W}type", "default") == want
            found.append((is_header, element, first))
    return margin_lines(found)


def margin_lines(found) -> Margins:
    """`found`: (is a header, its element, shown on the first page) triples, in document
    order; the elements are changed (their page fields removed)."""
    from ingest.readers.assemble import TextBuilder
    from ingest.readers.docx import walk_body
    from ingest.readers.docx_numbering import Numbering

    out = Margins()
    seen: set[str] = set()
    for is_header, element, first in found:
        drop_page_fields(element)
        b = TextBuilder("docx")
        walk_body(element, b, Numbering())
        for line in b.build().text.split("\n"):
            line = line.strip()
            if not line or _PAGE_LINE.fullmatch(line):
                continue
            if first:
                out.first_page.append(line)
            if line not in seen:
                seen.add(line)
                (out.headers if is_header else out.footers).append(line)
    return out
