"""A JSON body sent in the charset its Content-Type declares (`application/json; charset=gbk`).

FastAPI reads a JSON body as UTF-8 (or UTF-16/32 by its first bytes) whatever the header says,
so a GBK client got 400 bad_json. Here, before the app reads it, a body declared in another
charset Python knows is decoded strictly and handed on as UTF-8; a charset Python does not know,
or bytes that are not text in the declared one, are refused with a line naming the charset.
Imports only the standard library and python-multipart (its header parser).
"""
from __future__ import annotations

import codecs
from typing import Callable

from python_multipart.multipart import parse_options_header

# WHATWG: browsers read gb2312 and gbk labels with the GB18030 decoder, a superset; Python's
# gb2312 codec would refuse the GBK characters a client labelled gb2312 actually sends
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}


class CharsetRefused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def declared_charset(content_type: str) -> str | None:
    """The charset a JSON body declares, when it is not UTF-8 (None: nothing to do)."""
    kind, options = parse_options_header(content_type)
    charset = options.get(b"charset", b"").decode("latin-1").strip()
    if kind != b"application/json" or not charset:
        return None
    try:
        if codecs.lookup(charset).name == "utf-8":
            return None
    except LookupError:
        pass  # refused with its name by to_utf8
    return charset


def to_utf8(body: bytes, charset: str) -> bytes:
    try:
        codec = codecs.lookup(charset).name
        text = body.decode(SUPERSETS.get(codec, codec))  # strict; a bytes-to-bytes codec (base64) is LookupError
    except LookupError:
        raise CharsetRefused(415, "unsupported_media_type",
                             f"不支持 Content-Type 声明的字符集 {charset[:40]}：请以 UTF-8 发送 JSON（也接受 GBK、GB18030 等常见字符集）") from None
    except UnicodeError:
        raise CharsetRefused(400, "bad_json",
                             f"请求体不是合法的 {charset[:40]} 文字（Content-Type 声明的字符集）：请检查编码，或以 UTF-8 发送 JSON") from None
    return text.encode("utf-8", "surrogatepass")


async def read_all(receive: Callable) -> bytes | None:
    """The whole body (None if the client went away)."""
    parts = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


def as_utf8(scope: dict, body: bytes, receive: Callable) -> tuple[dict, Callable]:
    """The scope and receive the app sees: the body in UTF-8, its headers saying so."""
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"content-type", b"content-length")]
    headers += [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return {**scope, "headers": headers}, replay
