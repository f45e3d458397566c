"""Entry point for reading a file: `read_path` for a file on disk, `read_bytes` for
an upload. Checks size and emptiness before reading, decides once what the file is
from its first bytes (its extension when they say nothing else; `_by_content`),
dispatches to `ingest.readers.<format>`, and describes the original in a `Source`.

Every failure a user can cause raises an `ingest.errors` class with a Chinese
message; an unexpected library error on a damaged file becomes `CorruptFile`.
Importing this module silences the PDF and image libraries' warnings and log lines
below ERROR for the process (not with GONGWEN_DEBUG=1): the readers say what is wrong.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Callable

from ingest.document import RawText, Source
from ingest.errors import (
    CorruptFile,
    EmptyFile,
    FileTooLarge,
    GongwenError,
    IngestError,
    MissingTool,
    NameTooLong,
    UnsupportedFormat,
    missing_library,
    os_reason,
    readable_name,
)
from ingest.settings import MAX_TEXT_CHARS, debug_requested

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # scans, read by OCR

# Libraries that complain about a damaged file on stderr, in English, as they read it
# (`incorrect startxref pointer`, `Could not get FontBBox`, `Corrupt EXIF data`): lines
# around the CLI's one Chinese line and noise in the server log. The readers say what
# is wrong themselves; with GONGWEN_DEBUG=1 the libraries speak again.
_CHATTY = ("pdfminer", "pypdf", "pdfplumber", "PIL")


def _quiet_libraries() -> None:
    if debug_requested():  # Settings.debug, read before any Settings exists
        return
    import logging
    import warnings

    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"(%s)(\.|$)" % "|".join(_CHATTY))


_quiet_libraries()

SUPPORTED = (".txt", ".pdf", ".docx", ".doc", ".wps", ".rtf", ".html", ".htm", ".mht", ".mhtml", ".ofd") + IMAGES
MAX_BYTES = 50 * 1024 * 1024
# Characters of an uploaded file's name: what file systems allow (255), within what the store
# keeps (files.name, VARCHAR(512): PostgreSQL refused a longer one with an internal error)
MAX_NAME_CHARS = 255


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
    elif ext == ".rtf":
        from ingest.readers.doc import read_rtf as f
    elif ext == ".wps":
        from ingest.readers.doc import read_wps as f
    elif ext == ".ofd":
        from ingest.readers.ofd import read_ofd as f
    elif ext in (".mht", ".mhtml"):
        from ingest.readers.html import read_mht as f
    elif ext == ".wordxml":  # a content kind only (`_by_content`), no name we accept
        from ingest.readers.wordxml import read_word_xml as f
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


# The one place that decides what a file is. A notice saved or downloaded under the
# wrong extension (a PDF named .docx, a DOCX named .pdf, a Word 97 file named .docx)
# is read as what its first bytes say, with a warning, instead of being refused as a
# damaged file of the format its name claims. The readers trust this: each gets the
# content it reads (the OLE reader still walks the container, and tells a Word 97 file
# from an encrypted Office file, which is an OLE container too).
HEAD = 1024  # bytes read to decide: a Word-saved web page may open with a long comment
_MAGIC = ((b"%PDF-", ".pdf"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"),
          (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".ole"),
          (b"{\\rtf", ".rtf"))
_ZIPPED = (("word/document.xml", ".docx"), ("OFD.xml", ".ofd"))
# names a Word file goes by: a web page or a zip under one of them is Word's doing
# ("save as web page", a .docx renamed); under other names, markup may be the text itself
_WORD = (".doc", ".wps", ".docx", ".rtf")
# names of formats no page is saved as: markup under one of them is a page a download returned
_BINARY = (".pdf", ".ofd", ".png")  # (.png: every image name, `_family`)
_FORMAT_NAME = {".pdf": "PDF", ".docx": "DOCX（.docx）", ".ofd": "OFD", ".png": "图片", ".jpg": "图片", ".tif": "图片",
                ".doc": "旧版 Word（.doc）", ".rtf": "RTF", ".html": "网页（HTML）", ".wordxml": "Word XML",
                ".mht": "单个文件网页（MHT）"}
# a web archive opens with mail-style header lines (MIME-Version:, Content-Type:, From: …)
_MIME_HEAD = re.compile(rb"\s*[A-Za-z][A-Za-z0-9-]*:[^\r\n]*\r?\n")


def _family(ext: str) -> str:
    return ".png" if ext in IMAGES else ".html" if ext == ".htm" else ".mht" if ext == ".mhtml" else ext


def _looks_like_html(head: bytes) -> bool:
    h = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return h.startswith((b"<html", b"<!doctype", b"<?xml", b"<head", b"<meta")) or b"<html" in h[:512]


def _content(head: bytes, opened: Callable[[], object]) -> str | None:
    """What the first bytes say: a format's extension, ".ole" (a compound file: Word 97,
    WPS, or an encrypted Office file), ".rtf", ".zip" (neither DOCX nor OFD, or damaged),
    ".wordxml" (a Word document saved as XML), ".mht" (a web archive), ".html" (other
    markup), or None."""
    real = next((e for magic, e in _MAGIC if head.startswith(magic)), None)
    if real is None and head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(opened()) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return ".zip"
        real = next((e for member, e in _ZIPPED if member in names), ".zip")
    if real is None and _MIME_HEAD.match(head) and b"multipart/related" in head.lower():
        real = ".mht"
    if real is None and _looks_like_html(head):
        from ingest.readers.wordxml import is_word_xml

        real = ".wordxml" if is_word_xml(head) else ".html"
    return real


def _by_content(ext: str, head: bytes, opened: Callable[[], object]) -> str:
    """The reader the content calls for (a key of `_reader`): `ext` unless the first bytes
    are another format's."""
    real = _content(head, opened)
    if real == ".ole":
        # Word 97 under any name; a .wps is one when WPS wrote it (its reader says when not)
        return ext if ext in (".doc", ".wps") else ".doc"
    if real == ".html" and _family(ext) in _BINARY:
        # a download that returned a page (an error or login page) instead of the file: said so,
        # rather than as a damaged file of the format its name claims
        claimed = _FORMAT_NAME[_family(ext)]
        claimed = f" {claimed} " if claimed.isascii() else claimed
        raise CorruptFile(f"文件扩展名为 {ext}，实际是网页（HTML）：下载到的可能是出错页或登录页，"
                          f"不是{claimed}文件；请在浏览器中打开原链接重新下载")
    if real in (".html", ".zip"):
        # a web page or a zip under a Word name: read as the page, or as the DOCX it claims
        # to be (whose reader names a damaged zip or a missing word/document.xml)
        if ext not in _WORD:
            return ext
        real = ".html" if real == ".html" else ".docx"
    if real is None or _family(real) == _family(ext):
        return ext
    return real


def _misnamed(raw: RawText, ext: str, real: str) -> RawText:
    if real != ext:
        name = _FORMAT_NAME[real]
        said = f"文件扩展名为 {ext}" if ext else "文件没有扩展名"
        raw.warnings.append(f"{said}，实际是 {name} 文件，已按 {name} 读取")
    return raw


def _name(name: str) -> tuple[str, UnsupportedFormat | None]:
    """The extension of `name`, and the refusal to give when it is none we read and the
    content does not say what the file is either (`_unnamed`)."""
    try:
        return _ext(name), None
    except UnsupportedFormat as e:
        return os.path.splitext(name)[1].lower(), e


def _unnamed(head: bytes, opened: Callable[[], object], data: Callable[[], bytes], refusal: UnsupportedFormat) -> str:
    """The reader for a file under a name we do not read (no extension, or the name of the
    download link it came from: downfile.jsp, getFile.do, content.aspx) whose first bytes
    say it is a format we do read; `refusal` otherwise. A zip that is no DOCX or OFD
    (.xlsx), an Office 97 file without a Word document (.xls, .ppt) or an encrypted one,
    and markup that is no web page (.xml, .svg) keep the refusal."""
    real = _content(head, opened)
    if real == ".html" and not re.search(rb"<html|<!doctype\s+html", head, re.IGNORECASE):
        real = None
    if real == ".ole":
        from ingest.readers.doc import check_ole

        try:
            check_ole(data())
        except IngestError:
            real = None
        else:
            real = ".doc"
    if real is None or real == ".zip":
        raise refusal
    return real


# Names of formats that are never a notice's own file (a spreadsheet, slides, a drawing,
# an archive): a folder's files under them are skipped by name, without opening them.
NOT_NOTICES = (".xlsx", ".xlsm", ".xls", ".et", ".csv", ".pptx", ".ppt", ".dps", ".svg", ".zip", ".rar", ".7z")


def readable_by_content(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> bool:
    """Whether `read_path` reads this file: under a name we read, or under another name
    (none, or a download link's: downfile.jsp, getFile) when its first bytes say a format
    we read, as `_unnamed` decides for a file named on its own. A folder's files go in by
    this; names in `NOT_NOTICES` and empty or oversize files are not opened."""
    p = Path(path)
    ext = os.path.splitext(p.name)[1].lower()
    if ext in SUPPORTED:
        return True
    if ext in NOT_NOTICES:
        return False
    try:
        if not 0 < p.stat().st_size <= max_bytes:
            return False
        with open(p, "rb") as f:
            head = f.read(HEAD)
        _unnamed(head, lambda: p, lambda: p.read_bytes(), UnsupportedFormat(""))
    except (IngestError, OSError):
        return False
    return True


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(f"文件过大：{_mb(size)}，上限为 {_mb(max_bytes)}")
    if size == 0:
        raise EmptyFile("文件是空的（0 字节）")


def _chars(n: int) -> str:
    return f"{n / 10_000:.0f} 万字" if n >= 100_000 else f"{n:,} 字"


def _run(reader: Callable[[Path], RawText], path: Path | bytes, max_chars: int | None = None) -> RawText:
    try:
        raw = reader(path)
    except GongwenError:
        raise
    except MemoryError as e:
        raise CorruptFile("文件内容过于庞大，无法读取") from e
    except ImportError as e:
        # a library the reader needs is missing (an install not finished or broken): the
        # file is not at fault, and calling it damaged would have it deleted or sent again
        raise MissingTool(missing_library(e)) from e
    except Exception as e:  # noqa: BLE001 - a damaged file must not surface as a traceback
        raise CorruptFile("文件已损坏或格式异常，无法读取：请确认它能用对应的软件正常打开") from e
    if not raw.text.strip():
        raise EmptyFile("文件中没有可读取的文字")
    max_chars = MAX_TEXT_CHARS if max_chars is None else max_chars  # read now: bench/huge_text.py raises it
    if len(raw.text) > max_chars:
        raise FileTooLarge(f"文件文字过多：{_chars(len(raw.text))}，上限为 {_chars(max_chars)}"
                           "（一份公文通常不足 10 万字；如是合订本或导出的汇总，请拆分后分别入库。"
                           "上限由环境变量 GONGWEN_MAX_TEXT_CHARS 设定，处理时间约每百万字 30 CPU 秒）")
    return raw


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_path(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES,
              max_chars: int | None = None) -> tuple[RawText, Source]:
    """Read a file on disk into text. Raises an `ingest.errors.IngestError` subclass."""
    p = Path(path)
    # Existence first: a folder or a typo'd path must not be reported as "unsupported format".
    if p.is_dir():
        raise IngestError("这是文件夹，不是文件（入库整个文件夹请用 gongwen ingest）", path=str(p))
    if not p.is_file():
        raise IngestError("文件不存在或不是普通文件", path=str(p))
    ext, refusal = _name(p.name)
    try:
        before = _identity(p)
    except OSError as e:
        raise IngestError(f"无法访问文件（{os_reason(e)}）", path=str(p)) from e
    size = before[0]
    if refusal is not None and not 0 < size <= max_bytes:
        raise refusal
    _check_size(size, max_bytes)
    try:
        digest = _sha256_file(p)
    except OSError as e:
        raise IngestError(f"无法读取文件（{os_reason(e)}）", path=str(p)) from e
    try:
        with open(p, "rb") as f:
            head = f.read(HEAD)
    except OSError as e:
        raise IngestError(f"无法读取文件（{os_reason(e)}）", path=str(p)) from e
    if refusal is not None:
        real = _unnamed(head, lambda: p, lambda: p.read_bytes(), refusal)
    else:
        real = _by_content(ext, head, lambda: p)
    raw = _misnamed(_run(_reader(real), p, max_chars), ext, real)
    try:
        changed = _identity(p) != before
    except OSError:
        changed = True
    if changed:
        # the hash (the document's id) and the text would be of two different files: the
        # next run would call the file read unchanged and never store it
        raise IngestError("文件在读取过程中被改动（可能仍在复制或保存中），未入库：等它写完后再次运行即可", path=str(p))
    return raw, _source(readable_name(p.name), raw, digest, size, readable_name(os.path.abspath(p)))


def _identity(p: Path) -> tuple[int, int, int, int]:
    """Size, modification time and inode: a write or a file put in place changes one."""
    st = p.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES,
               max_chars: int | None = None) -> tuple[RawText, Source]:
    """Read uploaded bytes named `name` (only its extension and base name are used)."""
    base = os.path.basename(name.replace("\\", "/")) or "upload"
    if len(base) > MAX_NAME_CHARS:
        raise NameTooLong(f"文件名过长：{len(base):,} 个字符，上限为 {MAX_NAME_CHARS} 个字符；请改短文件名后重新上传")
    ext, refusal = _name(base)
    if refusal is not None and not 0 < len(data) <= max_bytes:
        raise refusal
    _check_size(len(data), max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    import io

    if refusal is not None:
        real = _unnamed(data[:HEAD], lambda: io.BytesIO(data), lambda: data, refusal)
    else:
        real = _by_content(ext, data[:HEAD], lambda: io.BytesIO(data))
    if real == ".pdf":
        # the PDF reader takes bytes: PDFium reads from memory, no temporary file
        raw = _misnamed(_run(_reader(real), data, max_chars), ext, real)
        return raw, _source(base, raw, digest, len(data), None)
    with tempfile.TemporaryDirectory(prefix="gongwen-") as tmp:
        # Some libraries (pdfplumber, catdoc) want a path; the temp folder goes away afterwards.
        p = Path(tmp) / f"upload{real}"
        p.write_bytes(data)
        raw = _misnamed(_run(_reader(real), p, max_chars), ext, real)
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
        page_headers=list(raw.page_headers),
        page_footers=list(raw.page_footers),
        first_page_header=list(raw.first_page_header),
    )
