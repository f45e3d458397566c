"""Word XML reader: a Word document saved as one XML file — "Word 2003 XML"
(WordprocessingML 2003, `<w:wordDocument>`) or "Word XML" of Word 2007+ (Flat OPC,
`<pkg:package>`). Office systems and WPS write these under a .doc name; read as a web
page they gave no text at all.

Flat OPC is the DOCX package written out part by part: its parts are put back into a
zip in memory and read by the DOCX reader's walk. WordprocessingML 2003 has the same
paragraphs, runs and tables under another namespace, inside section wrappers
(`wx:sect`, `wx:sub-section`) and revision marks (`aml:annotation`): its elements are
moved into the 2006 namespace, the wrappers unwrapped and comments dropped, and the
body walked the same way, so both read exactly as a DOCX of the same text reads.
May import ingest.document, ingest.errors and ingest.readers.docx.
"""
from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile
from ingest.readers.assemble import TextBuilder
from ingest.readers.docx import W_NS, read_package, walk_body
from ingest.readers.docx_chunks import chunks_unparsed
from ingest.readers.docx_numbering import Numbering
from ingest.readers.docx_parts import Notes, margin_lines, note_lines

W2003 = "http://schemas.microsoft.com/office/word/2003/wordml"
_WX = "http://schemas.microsoft.com/office/word/2003/auxHint"
_AML = "http://schemas.microsoft.com/aml/2001/core"
_PKG = "http://schemas.microsoft.com/office/2006/xmlPackage"
# 2003 names that differ from 2006 ones in more than the namespace
_RENAMED = {"vmerge": "vMerge", "hlink": "hyperlink"}
_RESAVE = "：请用 Word 或 WPS 打开检查，另存为 .docx 后再入库"


def is_word_xml(head: bytes) -> bool:
    """Whether the first bytes of an XML file are a Word XML document's."""
    return b"Word.Document" in head or W2003.encode() in head or _PKG.encode() in head


def read_word_xml(path: Path) -> RawText:
    from lxml import etree

    # no entities resolved, nothing fetched: the file is untrusted
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as e:
        raise CorruptFile(f"Word XML 文件已损坏（不是完整的 XML）{_RESAVE}") from e
    # Word declares no entities; one that a file declares stays unresolved and is dropped
    etree.strip_elements(root, etree.Entity, with_tail=False)
    if root.tag == f"{{{_PKG}}}package":
        raw = _read_flat_opc(root)
    elif root.tag == f"{{{W2003}}}wordDocument":
        raw = _read_2003(root)
    else:
        raise CorruptFile(f"XML 文件不是 Word 文档（根元素为 {etree.QName(root).localname}）{_RESAVE}")
    raw.format = "wordxml"
    return raw


def _read_flat_opc(root) -> RawText:
    import docx
    from lxml import etree

    parts: dict[str, tuple[str, bytes]] = {}
    for part in root.iterchildren(f"{{{_PKG}}}part"):
        name = part.get(f"{{{_PKG}}}name", "").lstrip("/")
        kind = part.get(f"{{{_PKG}}}contentType", "")
        xml = part.find(f"{{{_PKG}}}xmlData")
        binary = part.find(f"{{{_PKG}}}binaryData")
        if name and xml is not None and len(xml):
            parts[name] = (kind, etree.tostring(xml[0], xml_declaration=True, encoding="UTF-8", standalone=True))
        elif name and binary is not None:
            parts[name] = (kind, base64.b64decode(binary.text or "", validate=False))
    if "word/document.xml" not in parts:
        raise CorruptFile(f"Word XML 文件不完整（缺少正文部分 /word/document.xml）{_RESAVE}")
    overrides = "".join(f'<Override PartName="/{n}" ContentType="{k}"/>' for n, (k, _) in parts.items() if k)
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", types)
        for name, (_, data) in parts.items():
            zf.writestr(name, data)
    package.seek(0)
    chunks_unparsed()
    try:
        document = docx.Document(package)
    except ImportError:
        raise
    except Exception as e:  # noqa: BLE001 - python-docx raises KeyError, ValueError… on a broken package
        raise CorruptFile(f"Word XML 文件已损坏（文档结构不完整）{_RESAVE}") from e
    return read_package(document)


def _read_2003(root) -> RawText:
    from lxml import etree

    body = root.find(f"{{{W2003}}}body")
    if body is None:
        raise CorruptFile(f"Word XML 文件不完整（没有正文 w:body）{_RESAVE}")
    for el in list(body.iter(f"{{{_AML}}}annotation")):
        if el.get(f"{{{W2003}}}type") == "Word.Comment":
            el.getparent().remove(el)  # a reviewer's comment is no text of the notice
    _list_labels(body)
    # Notes are written inline in 2003 XML (w:footnote inside the run that refers to
    # them): moved out, a reference left in their place, read as a DOCX's notes are.
    notes_root = etree.Element(f"{{{W2003}}}notes")
    for kind in ("footnote", "endnote"):
        for i, note in enumerate(list(body.iter(f"{{{W2003}}}{kind}")), 1):
            ref = etree.Element(f"{{{W2003}}}{kind}Reference", {f"{{{W2003}}}id": str(i)})
            note.addprevious(ref)
            note.getparent().remove(note)
            note.set(f"{{{W2003}}}id", str(i))
            notes_root.append(note)
    # page headers and footers sit in the section properties (w:sectPr/w:hdr, w:ftr); the
    # first page shows the first section's w:type="first" header when it asks for one
    # (w:titlePg), else its "odd" one (2003 XML's name for the default)
    margins_root = etree.Element(f"{{{W2003}}}margins")
    sections = list(body.iter(f"{{{W2003}}}sectPr"))
    title_pg = sections[0].find(f"{{{W2003}}}titlePg") if sections else None
    want = "first" if title_pg is not None and title_pg.get(f"{{{W2003}}}val", "on") not in ("0", "off", "false") \
        else "odd"
    shown_first: list[bool] = []
    for el in list(body.iter(f"{{{W2003}}}hdr", f"{{{W2003}}}ftr")):
        shown_first.append(el.tag == f"{{{W2003}}}hdr" and el.getparent() is sections[0]
                           and el.get(f"{{{W2003}}}type", "odd") == want)
        el.getparent().remove(el)
        margins_root.append(el)
    body, notes_root, margins_root = (_to_2006(el) for el in (body, notes_root, margins_root))
    notes = Notes()
    for note in notes_root:
        kind = "footnote" if note.tag == f"{{{W_NS}}}footnote" else "endnote"
        notes.texts[kind][note.get(f"{{{W_NS}}}id")] = note_lines(note)
    b = TextBuilder("docx")
    walk_body(body, b, Numbering(), notes=notes)
    raw = b.build()
    m = margin_lines([(el.tag == f"{{{W_NS}}}hdr", el, first) for el, first in zip(margins_root, shown_first)])
    raw.page_headers, raw.page_footers, raw.first_page_header = m.headers, m.footers, m.first_page
    return raw


def _to_2006(root):
    """A 2003 element tree in the 2006 namespace, wrappers unwrapped, as python-docx elements."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    for el in list(root.iter(f"{{{_WX}}}*", f"{{{_AML}}}*")):
        _unwrap(el)
    for el in root.iter(f"{{{W2003}}}*"):
        local = etree.QName(el).localname
        el.tag = f"{{{W_NS}}}{_RENAMED.get(local, local)}"
        for key in [k for k in el.attrib if k.startswith(f"{{{W2003}}}")]:
            el.set(f"{{{W_NS}}}{etree.QName(key).localname}", el.attrib.pop(key))
    etree.cleanup_namespaces(root)
    # parsed again by python-docx's parser so paragraphs and runs get its element classes
    return parse_xml(etree.tostring(root))


def _list_labels(body) -> None:
    """Word's automatic numbering as text in front of the paragraph: 2003 XML carries the
    rendered label (`w:listPr/wx:t wx:val="一、"`), as the DOCX reader renders it."""
    from lxml import etree

    for label in list(body.iter(f"{{{_WX}}}t")):
        listpr = label.getparent()
        ppr = listpr.getparent() if listpr is not None else None
        p = ppr.getparent() if ppr is not None else None
        text = label.get(f"{{{_WX}}}val")
        if not text or p is None or etree.QName(listpr).localname != "listPr":
            continue
        run = etree.Element(f"{{{W2003}}}r")
        etree.SubElement(run, f"{{{W2003}}}t").text = text
        p.insert(p.index(ppr) + 1, run)


def _unwrap(el) -> None:
    """Put an element's children in its place (a section or revision wrapper)."""
    parent = el.getparent()
    if parent is None:
        return
    i = parent.index(el)
    for child in list(el):
        parent.insert(i, child)
        i += 1
    parent.remove(el)
