"""Reading an uploaded file from a multipart/form-data body as it streams in.

Starlette's form parser spools every file part to a temporary file on disk (and
FastAPI runs it before any dependency, the key check included). Here the `file`
part is collected in memory and the read stops as soon as it passes the size
limit, so an upload over the limit costs at most the limit, and nothing is
written to disk.
"""
from __future__ import annotations

import re

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError, MultipartParseError
from python_multipart.multipart import DEFAULT_MAX_HEADER_SIZE, MultipartParser, parse_options_header

from ingest.errors import FileTooLarge

FIELD = "file"
MAX_OTHER_FIELDS = 64 * 1024  # bytes of other form fields we are willing to skip over

UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": [FIELD],
        "properties": {FIELD: {"type": "string", "format": "binary",
                               "description": "公文文件：.txt .pdf .docx .doc .html"}},
    }}},
}


def _file_name(raw: bytes, extended: str | None = None) -> str:
    """Browsers and curl send a file name as UTF-8 bytes; an older Windows client in a Chinese
    locale sends GBK, one in Taiwan Big5 (read by ingest.names). A `filename*` (RFC 5987, sent
    by .NET's HttpClient and some scripts, alone or beside an ASCII `filename`) wins, as RFC 6266
    says: python-multipart drops it, so it is read from the raw header."""
    from ingest.names import decode_name, extended_name

    if extended:
        name = extended_name(extended)
        if name:
            return name
    return decode_name(raw)


_EXTENDED = re.compile(r"""(?:^|;)\s*filename\*\s*=\s*("[^"]*"|[^;]*)""", re.I)


def _invalid(message: str) -> HTTPException:
    return HTTPException(422, {"code": "invalid_body", "message": message})


MALFORMED = "请求内容不合法（multipart 格式错误）"


def _header_too_long(collector: _Collector) -> HTTPException:
    """python-multipart stops at a part header line longer than DEFAULT_MAX_HEADER_SIZE bytes
    (its guard against unbounded headers; we keep it). In practice that line is the
    Content-Disposition carrying the file name: say so, with the limit, not "格式错误"."""
    from ingest.read import MAX_NAME_CHARS

    header = collector.header_field.decode("latin-1")[:40] or "?"
    if header.lower() == "content-disposition":
        return _invalid(f"文件名过长：文件名所在的 Content-Disposition 头超过 {DEFAULT_MAX_HEADER_SIZE:,} 字节的上限"
                        f"（文件名上限为 {MAX_NAME_CHARS} 个字符）；请改短文件名后重新上传")
    return _invalid(f"请求内容不合法（表单中 {header} 头超过 {DEFAULT_MAX_HEADER_SIZE:,} 字节的上限）")


class _Collector:
    def __init__(self, limit: int, too_large: str):
        self.limit, self.too_large = limit, too_large
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.headers: dict[str, str] = {}
        self.name: str | None = None
        self.filename: str | None = None
        self.data: bytearray | None = None
        self.found = False
        self.ended = False  # the file part was closed by the next boundary
        self.other = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.part_begin, "on_header_field": self.header_field_data,
            "on_header_value": self.header_value_data, "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished, "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers, self.name = {}, None

    def header_field_data(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        # latin-1 keeps the bytes as they came: parse_options_header encodes the value back to
        # latin-1 and fails on a UTF-8 file name decoded here (通知.docx), refusing the upload
        self.headers[self.header_field.decode("latin-1").lower()] = bytes(self.header_value).decode("latin-1")
        self.header_field.clear()
        self.header_value.clear()

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get("content-disposition", ""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        if self.name == FIELD and self.found:
            # storing the first and dropping the rest would lose files without a word
            raise _invalid(f"请求内容不合法（一次只能上传一个文件：字段 {FIELD} 出现了多次，请逐个上传）")
        if self.name == FIELD:
            self.found = True
            extended = _EXTENDED.search(self.headers.get("content-disposition", ""))
            self.filename = _file_name(options.get(b"filename", b""), extended and extended.group(1)) or "upload"
            self.data = bytearray()
        else:
            self.name = None  # another field: skipped

    def part_end(self) -> None:
        if self.name == FIELD:
            self.ended = True

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.name == FIELD and self.data is not None:
            self.data += data[start:end]
            if len(self.data) > self.limit:
                raise FileTooLarge(self.too_large)
        else:
            self.other += end - start
            if self.other > MAX_OTHER_FIELDS:
                raise _invalid(f"请求内容不合法（除 {FIELD} 外的表单字段过大）")


async def read_upload(request: Request, limit: int, too_large: str) -> tuple[str, bytes]:
    """(file name, bytes) of the form's `file` field; FileTooLarge past `limit`."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise _invalid(f"请求内容不合法（请以 multipart/form-data 上传，文件放在字段 {FIELD}）")
    collector = _Collector(limit, too_large)
    try:
        parser = MultipartParser(boundary, collector.callbacks())
        async for chunk in request.stream():
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except MultipartParseError as e:
        raise _header_too_long(collector) if "header size" in str(e) else _invalid(MALFORMED) from e
    except (FormParserError, ValueError) as e:
        raise _invalid(MALFORMED) from e
    if not collector.found or collector.data is None:
        raise _invalid(f"请求内容不合法（{FIELD}：缺少必填字段）")
    if not collector.ended:
        # a body cut inside the file (a client that stopped sending, a proxy's limit): the
        # parser hands over what came, which would be stored as if it were the whole file
        raise _invalid(f"请求内容不完整（字段 {FIELD} 的文件在结束前中断，只收到 {len(collector.data):,} 字节）：请重新上传")
    return collector.filename or "upload", bytes(collector.data)
