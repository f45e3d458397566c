"""Errors a user can meet when gongwen reads a file. Each carries a stable `code`
(for the API's JSON error body and for tests) and a Chinese message for people.
The CLI prints `str(error)` as its one line; the API maps `http_status`; `detail`
keeps the failing library's own words for the server log and GONGWEN_DEBUG=1.
`os_reason` names an OS error in Chinese. Imports only the standard library.
"""
from __future__ import annotations

import errno


def readable_name(name: str) -> str:
    """A file name or path as a person reads it. Linux gives Python the bytes of a name that
    is not UTF-8 as lone surrogates (a zip made on Chinese Windows, unpacked without
    `unzip -O GBK`, has GBK names), which can be neither stored, printed nor sent as JSON;
    and a short GBK name can be valid UTF-8 that reads as nonsense (通知 -> ֪ͨ): such a name is
    read as an upload's is (ingest.names)."""
    if name.isascii():
        return name
    from ingest.names import repair_name

    return repair_name(name)


class GongwenError(Exception):
    """Base of every error gongwen reports to a user."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, path: str | None = None, detail: str | None = None):
        self.message = message
        path = readable_name(path) if path else path
        self.path = path
        self._detail = detail
        super().__init__(f"{path}: {message}" if path else message)

    @property
    def detail(self) -> str | None:
        """The technical reason behind the message, in the words of the library that
        failed (`UnidentifiedImageError: cannot identify image file`): for the server
        log and `GONGWEN_DEBUG=1`, never part of the message a person reads."""
        if getattr(self, "_detail", None):
            return self._detail
        cause = self.__cause__
        if cause is None:
            return None
        said = str(cause).strip().splitlines()
        return f"{type(cause).__name__}: {said[0][:300]}" if said else type(cause).__name__


# The OS errors a user meets through a path, in words for people: the one table, used
# by the readers (ingest.read) and the CLI (api.cli.common, which adds its --data-dir hints).
OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.EEXIST: "已存在同名的文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EIO: "磁盘读写出错",
    errno.ENOMEM: "内存不足",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过系统允许的大小",
    errno.EROFS: "只读文件系统，无法写入",
}


def os_reason(e: OSError) -> str:
    return OS_REASONS.get(e.errno, f"系统错误 {e.errno}" if e.errno else "系统错误")


class IngestError(GongwenError):
    """A file could not be read into a document; nothing was stored."""

    code = "ingest_error"
    http_status = 422


class UnsupportedFormat(IngestError):
    code = "unsupported_format"
    http_status = 415


class FileTooLarge(IngestError):
    code = "file_too_large"
    http_status = 413


class EmptyFile(IngestError):
    code = "empty_file"


class EncryptedFile(IngestError):
    code = "encrypted"


class ScannedPdf(IngestError):
    """A scan (image-only PDF or an image) that OCR could not turn into text."""

    code = "scanned"


class ScanWithoutText(ScannedPdf):
    """OCR found no Chinese text on the scan (a photo, a blank or unreadable page)."""

    code = "ocr_no_text"


class TooManyPages(IngestError):
    """A scan with more pages than the OCR page limit (OCR costs seconds per page)."""

    code = "too_many_pages"
    http_status = 413


class CorruptFile(IngestError):
    code = "corrupt"


class SuspiciousArchive(CorruptFile):
    """A DOCX whose zip would expand far beyond its size (a zip bomb)."""

    code = "zip_bomb"


class UndecodableText(IngestError):
    """Bytes that are not text in any encoding we accept (binary named .txt)."""

    code = "undecodable"


class MissingTool(IngestError):
    """A system tool a reader needs (catdoc for .doc) is not installed."""

    code = "missing_tool"
    http_status = 500


def missing_library(e: ImportError) -> str:
    """The message for a Python library a reader could not import: the installation,
    not the file, is what needs fixing."""
    name = (e.name or "").split(".")[0]
    named = f" {name}" if name else ""
    return (f"缺少读取此文件所需的 Python 组件{named}（安装未完成或不完整），文件本身不一定有问题："
            "请等待安装完成或重新安装 gongwen 的依赖后再试")


# Words of the reader warnings that say part of what the file shows was not read, or may
# be read wrong: an embedded chunk no reader takes (未能读取), PDF pages without a text
# layer (未提取文字), glyphs without a mapping (乱码), a PDF read by the fallback reader
# (可能不准确), a file cut short (截断), a web page with little body (内容很少), OCR
# below the confidence threshold (置信度低于). The service shows these when the file is
# ingested, not only with the stored document, so nobody takes a partial text for whole.
TEXT_AT_RISK = ("未能读取", "未提取文字", "乱码", "可能不准确", "截断", "内容很少", "置信度低于")


def text_at_risk(warning: str) -> bool:
    return any(word in warning for word in TEXT_AT_RISK)


class NameTooLong(IngestError):
    """An uploaded file's name longer than a file system allows (and the store's column holds)."""

    code = "name_too_long"


class NotADocument(IngestError):
    """Text was read but holds nothing a 公文 parser can use."""

    code = "not_a_document"
