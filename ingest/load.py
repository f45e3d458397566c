"""One call from a file to a parsed 公文: read it (`ingest.read`) and parse its
structure (`ingest.structure.parse`). A file whose text yields neither a title
nor any body text is refused with `NotADocument`."""
from __future__ import annotations

import os
import re

from ingest.document import Document, RawText, Source
from ingest.errors import NotADocument
from ingest.structure import parse

MAX_BYTES = 50 * 1024 * 1024


def load(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES, max_chars: int | None = None) -> Document:
    """Read and parse a file on disk. Raises an `ingest.errors.IngestError` subclass."""
    from ingest.read import read_path

    raw, source = read_path(path, max_bytes=max_bytes, max_chars=max_chars)
    return _parse_checked(raw, source, str(path))


def load_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES, max_chars: int | None = None) -> Document:
    """Read and parse an uploaded file's bytes (`name` gives the format)."""
    from ingest.read import read_bytes

    raw, source = read_bytes(data, name, max_bytes=max_bytes, max_chars=max_chars)
    return _parse_checked(raw, source, name)


def _parse_checked(raw: RawText, source: Source, where: str) -> Document:
    doc = parse(raw, source)
    if not doc.title and raw.properties.get("title"):
        # the printed title decides; the file's own title property only fills a gap
        doc.title = raw.properties["title"]
    # body text: some Chinese words beyond the title (a CSV of numbers or a blank form is not a 公文)
    words = len(re.findall(r"[\u3400-\u9fff]", doc.text)) - len(re.findall(r"[\u3400-\u9fff]", doc.title or ""))
    has_body = words >= 10
    if not doc.title and not has_body:
        raise NotADocument("文件中没有可识别的公文内容（既无标题也无正文）", path=where)
    return doc
