"""Entry point for reading a file: `read_path` for a file on disk, `read_bytes` for
an upload. Checks size and emptiness before reading, dispatches on the extension
to `ingest.readers.<format>`, and describes the original in a `Source`.

Every failure a user can cause raises an `ingest.errors` class with a Chinese
message; an unexpected library error on a damaged file becomes `CorruptFile`.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from ingest.document import RawText, Source
from ingest.errors import CorruptFile, EmptyFile, FileTooLarge, GongwenError, IngestError, UnsupportedFormat

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # scans, read by OCR

SUPPORTED = (".txt", ".pdf", ".docx", ".doc", ".wps", ".html", ".htm", ".ofd") + IMAGES
MAX_BYTES = 50 * 1024 * 1024


def _reader(ext: str) -> Callable[[Path], RawText]:
    # Imported lazily: pdfplumber and python-docx cost import time nobody reading a .txt should pay.
    if ext == ".txt":
        from ingest.readers.txt import read_txt as f
    elif ext == ".pdf":
        from ingest.readers.pdf import read_pdf as f
    elif ext == ".docx":
        from ingest.readers.docx import read_docx as f
    elif ext == ".doc":
        from ingest.readers.doc import read_doc as f
    elif ext == ".wps":
        from ingest.readers.doc import read_wps as f
    elif ext == ".ofd":
        from ingest.readers.ofd import read_ofd as f
    elif ext in IMAGES:
        from ingest.readers.ocr import read_image as f
    else:
        from ingest.readers.html import read_html as f
    return f


def _ext(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext not in SUPPORTED:
        shown = ext or "（无扩展名）"
        raise UnsupportedFormat(f"不支持的文件格式：{shown}（支持 {' '.join(SUPPORTED)}）")
    return ext


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"文件过大：{_mb(size)}，上限为 {_mb(max_bytes)}")
    if size == 0:
        raise EmptyFile("文件是空的（0 字节）")


def _run(reader: Callable[[Path], RawText], path: Path | bytes) -> RawText:
    try:
        raw = reader(path)
    except GongwenError:
        raise
    except MemoryError as e:
        raise CorruptFile("文件内容过于庞大，无法读取") from e
    except Exception as e:  # noqa: BLE001 - a damaged file must not surface as a traceback
        raise CorruptFile(f"文件已损坏或格式异常，无法读取（{type(e).__name__}）") from e
    if not raw.text.strip():
        raise EmptyFile("文件中没有可读取的文字")
    return raw


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_path(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> tuple[RawText, Source]:
    """Read a file on disk into text. Raises an `ingest.errors.IngestError` subclass."""
    p = Path(path)
    # Existence first: a folder or a typo'd path must not be reported as "unsupported format".
    if p.is_dir():
        raise IngestError("这是文件夹，不是文件（入库整个文件夹请用 gongwen ingest）", path=str(p))
    if not p.is_file():
        raise IngestError("文件不存在或不是普通文件", path=str(p))
    ext = _ext(p.name)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise IngestError(f"无法访问文件（{e.strerror or type(e).__name__}）", path=str(p)) from e
    _check_size(size, max_bytes)
    try:
        digest = _sha256_file(p)
    except OSError as e:
        raise IngestError(f"无法读取文件（{e.strerror or type(e).__name__}）", path=str(p)) from e
    raw = _run(_reader(ext), p)
    return raw, _source(p.name, raw, digest, size, os.path.abspath(p))


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> tuple[RawText, Source]:
    """Read uploaded bytes named `name` (only its extension and base name are used)."""
    base = os.path.basename(name.replace("\\", "/")) or "upload"
    ext = _ext(base)
    _check_size(len(data), max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if ext == ".pdf":
        # the PDF reader takes bytes: PDFium reads from memory, no temporary file
        raw = _run(_reader(ext), data)
        return raw, _source(base, raw, digest, len(data), None)
    with tempfile.TemporaryDirectory(prefix="gongwen-") as tmp:
        # Some libraries (pdfplumber, catdoc) want a path; the temp folder goes away afterwards.
        p = Path(tmp) / f"upload{ext}"
        p.write_bytes(data)
        raw = _run(_reader(ext), p)
    return raw, _source(base, raw, digest, len(data), None)


def _source(name: str, raw: RawText, digest: str, size: int, path: str | None) -> Source:
    return Source(
        name=name,
        format=raw.format,
        sha256=digest,
        size=size,
        path=path,
        encoding=raw.encoding,
        pages=len(raw.page_starts) or None,
        ocr=raw.ocr,
    )
