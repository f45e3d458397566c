"""The HTTP protocol `gongwen serve` gives uvicorn: uvicorn's httptools protocol with
limits on a request's head and the documented JSON error body for a request it
cannot parse.

uvicorn answers a request its parser refuses itself, before the app sees it, with a
plain-text `400 Invalid HTTP request received.`; and httptools has no limit on the
request line or the headers: a URL over 64 KB failed that way, a 100 MB header was
held in memory. Here the request line is limited to LINE_LIMIT (414), the whole head
to HEAD_LIMIT (431), and every such answer, the parser's own 400 too, has the body
`{"error": {"code", "message", "detail"}}` with a Chinese message and the security
headers (api.guard's body and headers), as the app's errors have. Bytes over 0x7f in the
request line (a Chinese query typed into curl) are read as their %XX escapes, in each
request of a pipelined read too. Loaded by uvicorn by
name (`http="api.http_head:HeadLimitedHttp"`), so the worker processes of
`serve --workers N` load it too. May import uvicorn and api.guard only.
"""
from __future__ import annotations

import asyncio
import re

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from api.guard import API_CSP, COMMON_HEADERS, error_body

# A search of 1,000 Chinese characters (the longest q) is about 9 KB percent-encoded:
# room for it and its filters, while a longer URL is refused before it is parsed.
LINE_LIMIT = 32 * 1024
HEAD_LIMIT = 64 * 1024  # request line and headers; the app takes no cookies

REFUSALS = {
    400: ("bad_request", "HTTP 请求格式错误，服务器无法解析"),
    414: ("uri_too_long", f"请求地址太长（上限 {LINE_LIMIT // 1024} KB）：请缩短检索词或参数"),
    431: ("headers_too_large", f"请求头太大（上限 {HEAD_LIMIT // 1024} KB）"),
}


_RAW = re.compile(rb"[\x80-\xff]")


def _escaped(line: bytes) -> bytes:
    """`line` (a request line, or a piece of one) with every byte over 0x7f as its %XX escape."""
    return _RAW.sub(lambda m: b"%%%02X" % m.group()[0], line)


class HeadTooLarge(Exception):
    """Raised from a parser callback: httptools stops and uvicorn answers with
    send_400_response, which reads the status from `_refusal`."""


class HeadLimitedHttp(HttpToolsProtocol):
    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_open, self._head_bytes, self._refusal = True, 0, None
        self._in_line = True  # the request line has not ended yet
        self._body_left: int | None = None  # bytes of the current body still to come, when declared
        self._refused = False  # a refusal was sent: what the client still sends is dropped

    def data_received(self, data: bytes) -> None:
        # Bytes over 0x7f in a request line (curl "…?q=工会" sends the UTF-8 as it is; browsers
        # and httpx escape it) are refused by the parser with no reason given: read as their
        # escapes instead, as nginx does (a GBK query then gets Guard's line). One read may hold
        # several pipelined requests, so a head goes to the parser a line at a time and a body
        # of declared length up to its end: each request's line is known wherever it starts.
        if self._refused:
            return
        while data and not self.transport.is_closing():
            if self._head_open:
                end = data.find(b"\n") + 1 or len(data)
                piece, data = data[:end], data[end:]
                if self._in_line:
                    piece, self._in_line = _escaped(piece), not piece.endswith(b"\n")
                self._head_bytes += len(piece)
            else:  # a chunked body is not measured: the parser takes the rest of the read
                end = len(data) if self._body_left is None else self._body_left
                piece, data = data[:end], data[end:]
                if self._body_left is not None:
                    self._body_left -= len(piece)
            if not piece:
                break
            super().data_received(piece)
            # httptools holds a header value until it ends: a line is judged when it is fed,
            # so what it holds stays under the limit plus one read
            if self._head_open and self._head_bytes > HEAD_LIMIT and not self.transport.is_closing():
                self._refusal = 414 if len(getattr(self, "url", b"")) > LINE_LIMIT else 431
                self.send_400_response("head too large")

    def _unsupported_upgrade_warning(self) -> None:
        """Quiet: serve runs without a WebSocket protocol on purpose (api.cli.serve.PROTOCOLS),
        so uvicorn's advice to install one is wrong here."""

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > LINE_LIMIT:
            self._refusal = 414
            raise HeadTooLarge

    def on_headers_complete(self) -> None:
        self._head_open = False
        length = dict(self.headers).get(b"content-length")
        chunked = any(name == b"transfer-encoding" for name, _ in self.headers)
        self._body_left = int(length) if length and length.isdigit() and not chunked else None
        # the same limit for a head that came in one read (data_received judges only one still open)
        if len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers) > HEAD_LIMIT:
            self._refusal = 431
            raise HeadTooLarge
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        # the next bytes on this connection are the next request's head
        self._head_open, self._head_bytes, self._in_line = True, 0, True
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        status = self._refusal or 400
        code, message = REFUSALS[status]
        body = error_body(code, message)
        headers = [*self.server_state.default_headers, (b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
                   (b"content-security-policy", API_CSP.encode()), *COMMON_HEADERS]
        head = [STATUS_LINE[status]]
        for name, value in headers:
            head += [name, b": ", value, b"\r\n"]
        head.append(b"\r\n")
        self.transport.write(b"".join(head) + body)
        # Closed at once, a socket with the client's unread bytes in it sends a reset, and the
        # client's kernel drops the answer it has not read yet (a 1 MB URL sometimes got an
        # empty reply): end our side, drop what still comes for a moment, then close.
        if self.transport.can_write_eof():
            self._refused = True
            self.transport.write_eof()
            asyncio.get_running_loop().call_later(2.0, self.transport.close)
        else:
            self.transport.close()
