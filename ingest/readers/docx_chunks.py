"""Embedded chunks of a Word document (w:altChunk), which Word renders as part of the
body: what web systems exporting "Word" write (the whole body is often one HTML chunk)
and what merging documents writes (an RTF, MHT or DOCX file inside the DOCX). Used by
the DOCX reader's walk (`ingest.readers.docx`). May import ingest.document,
ingest.errors, ingest.read (the one place that decides what bytes are) and the readers.
"""
from __future__ import annotations

import io
from pathlib import Path

from ingest.document import RawText
from ingest.readers.assemble import TextBuilder

CHUNK_UNREAD = "文档中有一段嵌入内容"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# what a chunk may be, as its first bytes say (ingest.read decides, as for a file), and the
# reader that takes it; HTML, a web archive and plain text are read from memory
_CHUNK_READERS = {".rtf": "RTF", ".docx": "DOCX", ".wordxml": "Word XML", ".ole": "Word 97-2003"}


def alt_chunk(el, b: TextBuilder, document) -> None:
    """An embedded chunk (w:altChunk), which Word renders as part of the body: what web
    systems exporting "Word" write (the whole body is often one HTML chunk), and what
    merging documents writes (an RTF, MHT or DOCX file inside the DOCX). Read by the
    reader of what its bytes are; one no reader takes, or that fails, is named in a warning."""
    from ingest.errors import IngestError
    from ingest.read import _content
    from ingest.readers.html import html_text, mht_text
    from ingest.readers.txt import decode_bytes

    part = document.part.related_parts.get(el.get(_R_ID))
    kind = getattr(part, "content_type", "") or ""
    data = part.blob if part is not None else b""
    real = _content(data[:1024], lambda: io.BytesIO(data)) if data else None
    if real == ".zip":  # a zip in a Word document is a Word document (one damaged: its reader says how)
        real = ".docx"
    try:
        if real == ".html":
            raw = html_text(data)
        elif real == ".mht":
            raw = mht_text(data)
        elif real in _CHUNK_READERS:
            raw = _read_chunk_file(data, real)
        elif real is None and data and kind == "text/plain":
            raw = RawText(text=decode_bytes(data)[0], format="txt")
        else:
            raw = None
    except ImportError:  # a missing library is the installation's fault (ingest.read), not the chunk's
        raise
    except Exception as e:  # noqa: BLE001 - a damaged chunk must not cost the rest of the file
        reason = e.message if isinstance(e, IngestError) else "内容已损坏"
        b.warnings.append(f"{CHUNK_UNREAD}（{_CHUNK_READERS.get(real, kind or '类型不明')}）未能读取：{reason}，请核对原文件")
        return
    if raw is None:
        b.warnings.append(f"{CHUNK_UNREAD}（{kind or '类型不明'}）未能读取，请核对原文件")
        return
    if real in _CHUNK_READERS:  # (a web page's "little text" warning would mislead here)
        b.warnings.extend(raw.warnings)
    at = 0
    for t in sorted(raw.tables, key=lambda t: t.start or 0):
        for line in raw.text[at:t.start].split("\n"):
            b.line(line)
        b.table([t.header, *t.rows])
        at = t.end or at
    for line in raw.text[at:].split("\n"):
        b.line(line)


def _read_chunk_file(data: bytes, real: str) -> RawText:
    """A chunk read by a reader that wants a file (catdoc for RTF and Word 97; the DOCX
    reader checks the zip's sizes on disk), through a temporary folder."""
    import tempfile

    from ingest.read import _reader

    with tempfile.TemporaryDirectory(prefix="gongwen-chunk-") as tmp:
        path = Path(tmp) / f"chunk{'.doc' if real == '.ole' else real}"
        path.write_bytes(data)
        return _reader(".doc" if real == ".ole" else real)(path)


def chunks_unparsed() -> None:
    """Have python-docx keep embedded chunks (w:altChunk parts) as bytes. A DOCX merged
    into another is stored under the content type of a document body, which python-docx
    would parse as XML and fail on: the whole file was then refused as damaged."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part, PartFactory

    previous = PartFactory.part_class_selector
    if getattr(previous, "keeps_chunks", False):
        return

    def selector(content_type: str, reltype: str):
        if reltype == RT.A_F_CHUNK:
            return Part
        return previous(content_type, reltype) if previous is not None else None

    selector.keeps_chunks = True  # type: ignore[attr-defined]
    PartFactory.part_class_selector = selector
