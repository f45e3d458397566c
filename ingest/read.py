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
from ingest.errors import CorruptFile, EmptyFile, FileTooLarge, GongwenError, IngestError, UnsupportedFormat, os_reason

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # scans, read by OCR

# Libraries that complain about a damaged file on stderr, in English, as they read it
# (`incorrect startxref pointer`, `Could not get FontBBox`, `Corrupt EXIF data`): lines
# around the CLI's one Chinese line and noise in the server log. The readers say what
# is wrong themselves; with GONGWEN_DEBUG=1 the libraries speak again.
_CHATTY = ("pdfminer", "pypdf", "pdfplumber", "PIL")


def _quiet_libraries() -> None:
    if os.environ.get("GONGWEN_DEBUG") == "1":  # Settings.debug, read before any Settings exists
        return
    import logging
    import warnings

    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"(%s)(\.|$)" % "|".join(_CHATTY))


_quiet_libraries()

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


# What a file's first bytes say it is. A notice saved or downloaded under the wrong
# extension (a PDF named .docx, a DOCX named .pdf) is read as what it is, with a warning,
# instead of being refused as a damaged file of the format its name claims.
_MAGIC = ((b"%PDF-", ".pdf"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"),
          (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"))
_ZIPPED = (("word/document.xml", ".docx"), ("OFD.xml", ".ofd"))
_FORMAT_NAME = {".pdf": "PDF", ".docx": "DOCX", ".ofd": "OFD", ".png": "图片", ".jpg": "图片", ".tif": "图片"}


def _family(ext: str) -> str:
    return ".png" if ext in IMAGES else ".html" if ext == ".htm" else ext


def _by_content(ext: str, head: bytes, opened: Callable[[], object]) -> str:
    """The extension the content calls for: `ext` unless the first bytes are another format's."""
    if ext in (".doc", ".wps"):
        return ext  # OLE containers: their reader tells .doc, .docx and encrypted apart itself
    real = next((e for magic, e in _MAGIC if head.startswith(magic)), None)
    if real is None and head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(opened()) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ext  # a damaged zip: its own reader says so
        real = next((e for member, e in _ZIPPED if member in names), None)
    if real is None or _family(real) == _family(ext):
        return ext
    return real


def _misnamed(raw: RawText, ext: str, real: str) -> RawText:
    if real != ext:
        name = _FORMAT_NAME[real]
        raw.warnings.append(f"文件扩展名为 {ext}，实际是 {name} 文件，已按 {name} 读取")
    return raw


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
        raise CorruptFile("文件已损坏或格式异常，无法读取：请确认它能用对应的软件正常打开") from e
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
        raise IngestError(f"无法访问文件（{os_reason(e)}）", path=str(p)) from e
    _check_size(size, max_bytes)
    try:
        digest = _sha256_file(p)
    except OSError as e:
        raise IngestError(f"无法读取文件（{os_reason(e)}）", path=str(p)) from e
    try:
        with open(p, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise IngestError(f"无法读取文件（{os_reason(e)}）", path=str(p)) from e
    real = _by_content(ext, head, lambda: p)
    raw = _misnamed(_run(_reader(real), p), ext, real)
    return raw, _source(p.name, raw, digest, size, os.path.abspath(p))


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> tuple[RawText, Source]:
    """Read uploaded bytes named `name` (only its extension and base name are used)."""
    base = os.path.basename(name.replace("\\", "/")) or "upload"
    ext = _ext(base)
    _check_size(len(data), max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    import io

    real = _by_content(ext, data[:16], lambda: io.BytesIO(data))
    if real == ".pdf":
        # the PDF reader takes bytes: PDFium reads from memory, no temporary file
        raw = _misnamed(_run(_reader(real), data), ext, real)
        return raw, _source(base, raw, digest, len(data), None)
    with tempfile.TemporaryDirectory(prefix="gongwen-") as tmp:
        # Some libraries (pdfplumber, catdoc) want a path; the temp folder goes away afterwards.
        p = Path(tmp) / f"upload{real}"
        p.write_bytes(data)
        raw = _misnamed(_run(_reader(real), p), ext, real)
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
