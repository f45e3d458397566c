"""Data classes passed along the pipeline: what a reader returns (`RawText`) and
what the 公文 parser builds from it (`Document` with its `Part`s, `Section`s and
`Table`s). Every element keeps character offsets into `Document.text` (and a page
number where the source has pages) so a user can always be shown the original.

Plain data only: no parsing logic lives here.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any, Iterator


@dataclass
class Table:
    """A table as rows of cell strings. In `RawText.text` a table is written as one
    line per row with cells separated by a tab, so a table read from DOCX or PDF and
    the same table typed into a .txt file look the same to the parser."""

    title: str | None
    header: list[str]
    rows: list[list[str]]
    start: int | None = None
    end: int | None = None
    page: int | None = None


@dataclass
class RawText:
    """A reader's result: text with layout (one paragraph per line, blank lines
    between blocks, table rows as tab-separated cells), whatever the file format."""

    text: str
    format: str  # txt | pdf | docx | doc | wps | rtf | html | ofd | image: the content's, whatever the file's name
    encoding: str | None = None  # txt/html: the encoding detected and used
    page_starts: list[int] = field(default_factory=list)  # offset where each page begins
    tables: list[Table] = field(default_factory=list)  # real tables of the file, offsets into text
    warnings: list[str] = field(default_factory=list)
    # set when the text was recognised from images: engine, mean_confidence,
    # page_confidence, low_confidence_pages, threshold
    ocr: dict[str, Any] | None = None
    # the file's own document properties (OFD DocInfo: title, author, created)
    properties: dict[str, str] = field(default_factory=dict)
    # text of the page headers and footers (DOCX), page numbers left out: not part of `text`
    page_headers: list[str] = field(default_factory=list)
    page_footers: list[str] = field(default_factory=list)
    # the lines of the header shown on the first page (also in page_headers): a letterhead may be there
    first_page_header: list[str] = field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        return page_at(self.page_starts, offset)


def page_at(page_starts: list[int], offset: int) -> int | None:
    """1-based page number holding `offset`, or None when the source has no pages."""
    if not page_starts:
        return None
    # page starts ascend: the page is the count of starts at or before `offset` (a binary
    # search: the checklist asks once per item, thousands of times in a long PDF)
    return max(1, bisect_right(page_starts, offset))


@dataclass
class Source:
    """The original file: enough to find it again and to tell whether it changed."""

    name: str
    format: str
    sha256: str
    size: int
    path: str | None = None
    encoding: str | None = None
    pages: int | None = None
    ocr: dict[str, Any] | None = None  # the OCR record of a scan (see RawText.ocr)
    # what the original's page headers and footers say (page numbers left out): shown in
    # Word but not part of the notice's text (see ingest.readers.docx_parts); the first
    # page's header lines again apart, where the parser looks for a letterhead the body lacks
    page_headers: list[str] = field(default_factory=list)
    page_footers: list[str] = field(default_factory=list)
    first_page_header: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One numbered unit of a body: 一、 / （一） / 1. / （1） / 第一章 / 第一条.

    `text` is the section's own text (the heading line's remainder and the lines up
    to its first child), `start`/`end` span the whole section including children.
    """

    number: str  # "三、", "（三）", "1.", "第一条"; "" for an unnumbered label heading
    title: str  # heading words after the number ("工作制度"); "" when the number stands alone
    level: int  # 1 = top of its part
    path: list[str]  # headings from the part's top down to this one
    text: str
    start: int
    end: int
    page: int | None = None
    children: list[Section] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Part:
    """A self-contained piece of a file: the covering notice (`notice`), the document
    it issues (`body`, 正文 of 关于印发《…》的通知), or an attachment (`attachment`)."""

    kind: str  # notice | body | attachment
    title: str | None
    text: str
    start: int
    end: int
    label: str | None = None  # "附件1" for attachments
    preamble: str = ""  # text before the first section
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page: int | None = None

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()


@dataclass
class Span:
    """Where a metadata value was found in `Document.text`."""

    start: int
    end: int
    page: int | None = None


@dataclass
class Document:
    """A parsed 公文 (GB/T 9704-2012): its metadata, its parts and their sections."""

    text: str
    source: Source
    letterhead: str | None = None  # 发文机关标志, e.g. 九江市总工会文件
    issuer: str | None = None  # the organ that signs and numbers it
    issuers: list[str] = field(default_factory=list)  # every signing organ (joint notices)
    doc_number: str | None = None  # 发文字号, brackets normalised to 〔〕
    title: str | None = None
    date: str | None = None  # 成文日期, ISO
    # a web copy's publication date (发布时间 under its title), ISO: never the 成文日期, which the page
    # may not print; relative dates (本周五, 明天) count from it when no 成文日期 is printed (`anchor_date`)
    published: str | None = None
    recipients: list[str] = field(default_factory=list)  # 主送机关
    signers: list[str] = field(default_factory=list)  # 落款 organs as printed
    cc: list[str] = field(default_factory=list)  # 抄送
    printed_by: str | None = None  # 印发机关
    printed_date: str | None = None  # 印发日期, ISO
    doc_type: str | None = None  # 通知 | 意见 | 实施方案 | 办法 | 条例 | 报道 | 其他 ...
    attachment_note: list[str] = field(default_factory=list)  # 附件说明 items
    parts: list[Part] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)  # metadata field -> where found
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable id: same content, same document."""
        return self.source.sha256[:16]

    @property
    def anchor_date(self) -> str | None:
        """The day the notice's relative and yearless dates count from: its 成文日期, else the day
        its web copy went up."""
        return self.date or self.published

    @property
    def anchor_year(self) -> int | None:
        """The year of `anchor_date` (what a yearless 3月25日前 falls in), if it has one."""
        d = self.anchor_date
        return int(d[:4]) if d and d[:4].isdigit() else None

    @property
    def embedded(self) -> list[dict[str, str]]:
        kinds = {"body": "正文", "attachment": "附件"}
        return [{"title": p.title or "", "kind": kinds[p.kind]} for p in self.parts if p.kind in kinds]

    def sections(self) -> Iterator[tuple[Part, Section]]:
        for part in self.parts:
            for s in part.walk():
                yield part, s

    def page_at(self, offset: int) -> int | None:
        return page_at(self.page_starts, offset)

    def metadata(self) -> dict[str, Any]:
        """The metadata in the key names of the checklist schema (shared/gold/SCHEMA.md)."""
        return {
            "issuer": self.issuer,
            "issuers": list(self.issuers),
            "doc_number": self.doc_number,
            # the schema's title is a string: a page that shows none has the empty title
            "title": self.title or "",
            "date": self.date,
            "published": self.published,
            "recipients": list(self.recipients),
            "doc_type": self.doc_type,
            "letterhead": self.letterhead,
            "signers": list(self.signers),
            "cc": list(self.cc),
            "printed_by": self.printed_by,
            "printed_date": self.printed_date,
            "attachment_note": list(self.attachment_note),
            "embedded": self.embedded,
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        def section(s: dict) -> Section:
            s = dict(s)
            s["children"] = [section(c) for c in s.get("children", [])]
            return Section(**s)

        def part(p: dict) -> Part:
            p = dict(p)
            p["sections"] = [section(s) for s in p.get("sections", [])]
            p["tables"] = [Table(**t) for t in p.get("tables", [])]
            return Part(**p)

        d = dict(d)
        d["source"] = Source(**d["source"])
        d["parts"] = [part(p) for p in d.get("parts", [])]
        d["tables"] = [Table(**t) for t in d.get("tables", [])]
        d["spans"] = {k: Span(**v) for k, v in d.get("spans", {}).items()}
        return cls(**d)
