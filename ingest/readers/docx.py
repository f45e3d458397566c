"""DOCX reader (python-docx): paragraphs and tables in document order.

The zip is checked before python-docx opens it: a declared uncompressed size over
200 MB or a compression ratio over 100 is treated as a zip bomb (read from the
central directory only, nothing is inflated). Then every member is inflated by
us, in small steps, and stopped as soon as it passes the size its directory entry
declares: a zip that lies about its sizes is refused with a clear error instead of
being inflated in memory (zipfile would inflate a member's whole stream in one
call before cutting it to the declared size). python-docx reads the checked
members from a stored (uncompressed) copy. A package python-docx refuses while
word/document.xml is whole (a missing [Content_Types].xml, a damaged relationship list,
styles, settings or document properties: parts Word repairs) is read from its body
(`read_body_only`), with a warning naming the damaged parts.

Tables: one line per row, cells joined by a tab. A horizontally merged cell
(gridSpan) is written once followed by empty cells for the columns it spans, so
columns stay aligned; the continuation of a vertically merged cell (vMerge without
"restart") is written as an empty cell instead of repeating the text above.
Tabs inside a paragraph become spaces (a tab in the text means "table cell").
Word's automatic numbering is rendered in front of the paragraph text
(`docx_numbering`). Text boxes and VML WordArt are read before the paragraph that
anchors them. Footnotes and endnotes follow the paragraph that refers to them; page headers
and footers are read apart from the body, page numbers left out (`docx_parts`).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile, SuspiciousArchive
from ingest.readers.assemble import TextBuilder, join_text
from ingest.readers.docx_chunks import CHUNK_UNREAD, alt_chunk, chunks_unparsed
from ingest.readers.docx_numbering import Numbering
from ingest.readers.docx_parts import Notes, margins
from ingest.readers.zipmember import read_member

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_RESAVE = "：请用 Word 或 WPS 打开检查，另存为新的 .docx 后再入库"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"


def check_zip(path: Path) -> None:
    """Refuse what is not a DOCX zip, and zip bombs, without inflating anything."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptFile("DOCX 文件已损坏（不是有效的 zip 压缩包）") from e
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise CorruptFile("DOCX 文件已损坏（缺少 word/document.xml）")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise SuspiciousArchive(
            f"DOCX 文件解压后过大（{total / 1024 / 1024:.0f} MB，上限 {MAX_UNCOMPRESSED // 1024 // 1024} MB），疑似压缩炸弹"
        )
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise SuspiciousArchive(f"DOCX 文件压缩比异常（{i.filename} 超过 {MAX_RATIO} 倍），疑似压缩炸弹")
    if total > 1024 * 1024 and total > MAX_RATIO * max(packed, 1):
        raise SuspiciousArchive(f"DOCX 文件压缩比异常（超过 {MAX_RATIO} 倍），疑似压缩炸弹")


def checked_copy(path: Path) -> io.BytesIO:
    """The DOCX's members inflated through `read_member`, as an uncompressed zip in memory.
    Call after `check_zip`: the declared sizes, so the memory used, are bounded there."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptFile("DOCX 文件已损坏（不是有效的 zip 压缩包）") from e
    copy = io.BytesIO()
    with open(path, "rb") as f, zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for info in infos:
            if not info.is_dir():
                out.writestr(info.filename, read_member(f, info, "DOCX"))
    copy.seek(0)
    return copy


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Runs below a paragraph that are not its text as Word shows it: deleted revisions, the old
# place of moved text, a text box's paragraphs (read apart, before the paragraph), the
# fallback copy of a drawing, the phonetic guide over ruby text.
_NOT_TEXT = frozenset({f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}rt"})


def paragraph_text(p) -> str:
    """A paragraph's text with revisions accepted: its runs at any depth. python-docx's
    Paragraph.text reads only the runs and hyperlinks directly below the paragraph, so
    the text of a tracked insertion (w:ins), an inline content control (w:sdt, template
    fields such as the 文号 or date), a simple field, a smart tag or custom XML was lost."""
    out = []
    for r in p.iter(f"{_W}r"):
        up = r.getparent()
        while up is not None and up is not p and up.tag not in _NOT_TEXT:
            up = up.getparent()
        if up is p:
            out.append(r.text)  # python-docx's run text: w:t, tabs, breaks, hyphens
    return "".join(out)


def _cell_text(tc) -> str:
    # Paragraphs of nested tables are included (iter over all w:p below the cell).
    parts = [paragraph_text(p).replace("\t", " ").strip() for p in tc.iter(f"{_W}p")]
    # Joined as the PDF reader joins a wrapped cell: no space between Chinese characters.
    text = ""
    for part in parts:
        if part:
            text = join_text(text, part) if text else part
    return text


def _table_rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        row: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if tcpr is not None:
                gs = tcpr.find(f"{_W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(f"{_W}val", "1")))
                    except ValueError:
                        span = 1
                vm = tcpr.find(f"{_W}vMerge")
                continued = vm is not None and vm.get(f"{_W}val", "continue") != "restart"
            row.append("" if continued else _cell_text(tc))
            row.extend([""] * (span - 1))
        rows.append(row)
    return rows


def _text_boxes(p) -> list:
    """w:txbxContent elements of a paragraph. A DrawingML box is usually written
    twice (mc:Choice and a VML mc:Fallback copy): the fallback copy is skipped."""
    boxes = []
    for box in p.iter(f"{_W}txbxContent"):
        if any(a.tag == f"{_MC}Fallback" for a in box.iterancestors()):
            continue
        if any(a.tag == f"{_W}txbxContent" for a in box.iterancestors()):
            continue  # nested box: read with its outer box
        boxes.append(box)
    return boxes


_VML_TEXTPATH = "{urn:schemas-microsoft-com:vml}textpath"


def _word_art(p) -> list[str]:
    """The text of a paragraph's VML WordArt (v:textpath string="…"): the red letterhead
    (发文机关标志) of many templates made before Word 2010, kept so in files saved since.
    Not the VML copy a DrawingML shape keeps in mc:Fallback (its text box is read), nor
    one inside a text box (read with the box)."""
    out = []
    for tp in p.iter(_VML_TEXTPATH):
        if any(a.tag in (f"{_MC}Fallback", f"{_W}txbxContent") for a in tp.iterancestors()):
            continue
        if tp.get("string"):
            out.append(tp.get("string"))
    return out


def walk_body(parent, b: TextBuilder, numbering: Numbering, document=None, notes: Notes | None = None) -> None:
    """Paragraphs, tables and text boxes under `parent` (a w:body) into `b`, in order;
    with the python-docx `document`, also the chunks it embeds; with `notes`, each
    footnote and endnote after the paragraph or table that refers to it."""
    for el in parent.iterchildren():
        tag = el.tag
        if tag == f"{_W}p":
            # Text boxes anchored in the paragraph (a letterhead is often one) come first.
            for box in _text_boxes(el):
                walk_body(box, b, numbering, document, notes)
            for art in _word_art(el):
                for line in art.replace("\r", "\n").split("\n"):
                    b.line(line)
            text = paragraph_text(el)
            label = numbering.label(el)
            if label and text.strip():
                text = label + text.lstrip()
            for line in text.replace("\r", "\n").split("\n"):  # w:br gives a line break
                b.line(line)
            if notes is not None:
                for line in notes.lines_for(el, skip=_BOXES):
                    b.line(line)
        elif tag == f"{_W}tbl":
            b.table(_table_rows(el))
            if notes is not None:
                for line in notes.lines_for(el):
                    b.line(line)
        elif tag in (f"{_W}sdt", f"{_W}customXml"):
            content = el.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else el
            if content is not None:
                walk_body(content, b, numbering, document, notes)
        elif tag == f"{_W}altChunk" and document is not None:
            alt_chunk(el, b, document)


_BOXES = frozenset({f"{_W}txbxContent"})


def read_package(document) -> RawText:
    """A python-docx document's text: its body with notes and embedded chunks, and, apart,
    the text of its page headers and footers (`docx_parts`)."""
    b = TextBuilder("docx")
    notes = Notes.from_document(document)
    b.warnings.extend(notes.warnings)
    walk_body(document.element.body, b, Numbering.from_document(document), document, notes)
    raw = b.build()
    m = margins(document)
    raw.page_headers, raw.page_footers, raw.first_page_header = m.headers, m.footers, m.first_page
    return raw


_BODY_ONLY = ("DOCX 文件的部分结构已损坏（{parts}），已直接读取正文；编号、脚注或嵌入内容可能不准确，"
              "请用 Word 打开核对")


def read_body_only(copy: io.BytesIO, refused: Exception) -> RawText:
    """The body of a DOCX python-docx refused (`refused`: a missing or damaged part it
    needs — [Content_Types].xml, a relationship list, styles, settings, document
    properties — while word/document.xml is whole, which Word repairs and opens): read
    from word/document.xml with the numbering and notes parts that parse, with a
    warning naming the damage. A body that is not whole XML is the damaged file it was."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    def part(name: str):
        try:
            return parse_xml(zf.read(name)) if name in names else None
        except (etree.XMLSyntaxError, ValueError):
            damaged.append(name)
            return None

    damaged: list[str] = []
    with zipfile.ZipFile(copy) as zf:
        names = set(zf.namelist())
        try:
            root = parse_xml(zf.read("word/document.xml"))
        except (etree.XMLSyntaxError, ValueError) as e:
            if "Excessive depth" in str(e):  # lxml's guard against nesting no Word writes
                raise CorruptFile(f"DOCX 文件结构异常：文档内容嵌套超过 256 层，不像 Word 或 WPS 保存的文件，无法读取{_RESAVE}") from e
            raise CorruptFile(f"DOCX 文件已损坏，无法打开（文档内容不是完整的 XML）{_RESAVE}") from e
        body = root.find(f"{_W}body")
        if body is None:
            raise CorruptFile(f"DOCX 文件已损坏，无法打开（文档结构不完整）{_RESAVE}") from refused
        numbering = Numbering.from_elements(part("word/numbering.xml"), part("word/styles.xml"))
        notes = Notes.from_parts([(kind, zf.read(f"word/{kind}s.xml")) for kind in ("footnote", "endnote")
                                  if f"word/{kind}s.xml" in names])
        safe = etree.XMLParser(resolve_entities=False, no_network=True)
        for name in sorted(names):
            if name.endswith((".xml", ".rels")) and name not in damaged and name != "word/document.xml":
                try:
                    etree.fromstring(zf.read(name), safe)
                except etree.XMLSyntaxError:
                    damaged.append(name)
    for name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"):
        if name not in names:
            damaged.append(f"缺少 {name}")
    b = TextBuilder("docx")
    b.warnings.extend(notes.warnings)
    walk_body(body, b, numbering, None, notes)
    if body.find(f".//{_W}altChunk") is not None:
        b.warnings.append(f"{CHUNK_UNREAD}未能读取（文档的关系列表不可用），请核对原文件")
    b.warnings.insert(0, _BODY_ONLY.format(parts="、".join(damaged) or "文档结构不完整"))
    return b.build()


def read_docx(path: Path) -> RawText:
    path = Path(path)
    check_zip(path)
    copy = checked_copy(path)
    import docx

    chunks_unparsed()

    try:
        document = docx.Document(copy)
    except ImportError:  # a missing library is not a damaged file (ingest.read)
        raise
    except Exception as e:  # noqa: BLE001 - KeyError, ValueError, lxml's XMLSyntaxError… on a damaged package
        raw = read_body_only(copy, e)
    else:
        raw = read_package(document)
    if not raw.text.strip() and any(w.startswith(CHUNK_UNREAD) for w in raw.warnings):
        raise CorruptFile(f"DOCX 文件的正文是嵌入的其他格式内容，无法读取{_RESAVE}")
    return raw
