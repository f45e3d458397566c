"""The first thing every HTTP request meets (a pure ASGI middleware, so it runs
before FastAPI reads a byte of the body):

* a write route refuses a missing or wrong API key from the headers alone — 401
  before the body is read, so an anonymous client cannot make the server spool a
  multi-GB upload to disk or memory;
* the body is counted while it streams in and stopped at the limit (413): the
  upload route's limit is the file size limit plus room for the multipart framing,
  every other body gets `Settings.max_body_bytes`;
* a JSON body declared in another charset (`charset=gbk`) is handed on as UTF-8
  (api.json_charset), or refused with a line naming the charset;
* a query string whose percent-escapes are no UTF-8 (a link made by a GBK system) is
  refused with a line naming the parameter (400 bad_encoding), instead of read as
  replacement characters that match nothing or make a search say it has no words;
* a browser page of this site may give the key through the key cookie instead of the
  header (`page_key`), and a key it sent in the header that was right is remembered in
  that cookie for the other pages (`Guard`);
* security headers on every response (CSP with a per-request script nonce for the
  pages, nosniff, no framing, no referrer across sites).
"""
from __future__ import annotations

import asyncio
import hmac
import html
import re
import secrets
from typing import Any, Callable, Mapping
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

import orjson
from fastapi import HTTPException
from starlette.requests import cookie_parser

from api.json_charset import CharsetRefused, as_utf8, declared_charset, read_all, to_utf8
from api.settings import Settings

UPLOAD_SLACK = 1024 * 1024  # multipart boundaries, part headers, the file name

KEY_MESSAGE = "缺少或错误的 API 密钥（请求头 X-API-Key）"


def key_matches(given: str | None, expected: str | None) -> bool:
    return bool(expected and given and hmac.compare_digest(given.encode(), expected.encode()))


def key_from_headers(x_api_key: str | None, authorization: str | None) -> str | None:
    if x_api_key:
        return x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:]
    return None


# The cookie the pages keep the key in (the key form, /key, and a right key a page's form sent):
# HttpOnly (no page script reads it) and SameSite=Strict (no other site's page sends it).
KEY_COOKIE = "gongwen_key"
# Browsers keep a cookie only while its name and value take at most 4096 bytes (Chromium,
# Firefox; Safari counts a little more) and drop a longer one without a word, so the page
# would just ask for the key again. Kept under that with room to spare.
COOKIE_BYTES = 4000


def cookie_value(key: str) -> str | None:
    """The key as the cookie holds it (percent-encoded: a cookie value cannot hold every
    character), or None when a browser would not keep it (COOKIE_BYTES)."""
    value = quote(key, safe="")
    return value if len(KEY_COOKIE) + len(value) <= COOKIE_BYTES else None


def key_cookie(headers: Mapping[str, str]) -> str | None:
    """The key the request's cookie holds (whoever sent it)."""
    value = cookie_parser(headers.get("cookie", "")).get(KEY_COOKIE)
    return unquote(value) if value else None


def from_own_page(headers: Mapping[str, str]) -> bool:
    """Whether a browser says a page of this site sent the request: Sec-Fetch-Site (set by the
    browser, whatever a proxy did to Host), else an Origin naming the Host asked for. Neither
    for a request another site's page made, nor for a program that sends no such header."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin, host = headers.get("origin"), headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc.lower() == host.lower()


def page_key(headers: Mapping[str, str]) -> str | None:
    """The key cookie as the key of a request a page of this site sent without the header
    (a key typed once is good on every page); None for any other request, so another site's
    page cannot write with a visitor's cookie."""
    return key_cookie(headers) if from_own_page(headers) else None


def given_key(headers: Mapping[str, str]) -> str | None:
    """The key a request gives: X-API-Key, else a bearer token, else a page's key cookie."""
    return key_from_headers(headers.get("x-api-key"), headers.get("authorization")) or page_key(headers)


def remembered_cookie(headers: Mapping[str, str], secure: bool) -> bytes | None:
    """The Set-Cookie that keeps a right key a page of this site sent in the header, for the
    other pages; None when there is nothing to keep (another client, the cookie holds it
    already, or it is too long for a browser to keep: the page says it is asked again then)."""
    key = key_from_headers(headers.get("x-api-key"), headers.get("authorization"))
    if not key or not from_own_page(headers) or key_cookie(headers) == key:
        return None
    value = cookie_value(key)
    if value is None:
        return None
    return f"{KEY_COOKIE}={value}; HttpOnly; Path=/; SameSite=strict{'; Secure' if secure else ''}".encode()


def unreadable_query(query: bytes) -> str | None:
    """Why a query string cannot be read (None when it can): a parameter whose bytes, percent
    escapes undone, are no UTF-8. Said with what GBK would read, the likely sender's encoding."""
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        raw_name, raw_value = (unquote_to_bytes(x.replace(b"+", b" ")) for x in (name, value))
        try:
            raw_name.decode("utf-8")
            raw_value.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        shown = raw_name.decode("utf-8", "replace")[:40]
        try:
            as_gbk = raw_value.decode("gb18030")
        except UnicodeDecodeError:
            as_gbk = ""
        hint = f"（按 GBK 读是“{as_gbk[:40]}”）" if any("\u4e00" <= ch <= "\u9fff" for ch in as_gbk) else ""
        return f"查询参数 {shown} 不是 UTF-8 编码的文字{hint}：请按 UTF-8 编码后再发送（浏览器和 curl 默认即是）"
    return None


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body passes its limit. An HTTPException so that
    FastAPI's body reader passes it on instead of turning it into a 400."""

    def __init__(self, message: str):
        super().__init__(413, {"code": "file_too_large", "message": message})


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def error_body(code: str, message: str) -> bytes:
    """The documented error body, for answers written below FastAPI (here and api.http_head)."""
    return orjson.dumps({"error": {"code": code, "message": message, "detail": None}})


def _without_body(send: Callable) -> Callable:
    async def send_head(message: dict) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head


STOPPING_MESSAGE = "服务器正在停止，本次请求未完成即被中断；请在服务恢复后重试"


def _json(status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> tuple[dict, dict]:
    body = error_body(code, message)
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         (b"connection", b"close"), *(headers or [])]}
    return start, {"type": "http.response.body", "body": body}


# pages: scripts from this server or inline with this response's nonce (the templates carry it);
# /docs is Swagger UI from local files (api.web), so it needs nothing from elsewhere either
PAGE_CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                  (b"referrer-policy", b"same-origin")]


class Guard:
    def __init__(self, app, settings: Settings, writes: Callable[[], list[tuple[set[str], re.Pattern]]]):
        self.app = app
        self.settings = settings
        self._writes = writes  # (methods, path regex) of the routes that need the key, read once the app is built
        self._write_routes: list[tuple[set[str], re.Pattern]] | None = None

    def needs_key(self, method: str, path: str) -> bool:
        if self._write_routes is None:
            self._write_routes = self._writes()
        return any(method in methods and rx.match(path) for methods, rx in self._write_routes)

    def body_limit(self, method: str, path: str) -> tuple[int, str]:
        """(bytes, the Chinese message when they are passed)."""
        if method == "POST" and path.rstrip("/") == "/api/documents":
            return (self.settings.max_file_bytes + UPLOAD_SLACK,
                    f"文件超过大小上限 {self.settings.max_file_mb:g} MB")
        limit = self.settings.max_body_bytes
        return limit, f"请求内容超过大小上限 {_mb(limit)}"

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "HEAD":
            # a server that answers GET answers HEAD (RFC 9110 §9.1): a monitor's `curl -I` or
            # `wget --spider` of /api/health got 405. The GET's status and headers, no body.
            scope, send = {**scope, "method": "GET"}, _without_body(send)
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        security = self._security_headers(path, nonce)

        async def send_secured(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *security]}
            await send(message)

        unreadable = unreadable_query(scope.get("query_string", b""))
        if unreadable and not path.startswith("/api/") and "text/html" in headers.get("accept", ""):
            await self._reply_page(send_secured, 400, unreadable)  # a person followed a link
            return
        if unreadable:
            await self._reply(send_secured, 400, "bad_encoding", unreadable)
            return
        if self.needs_key(method, path):
            if not key_matches(given_key(headers), self.settings.api_key):
                await self._reply(send_secured, 401, "unauthorized", KEY_MESSAGE)
                return
            remember = remembered_cookie(headers, scope.get("scheme") == "https")
            if remember is not None:  # the key was right: the site's other pages need not ask for it
                security = [*security, (b"set-cookie", remember)]
        limit, too_large = self.body_limit(method, path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._reply(send_secured, 413, "file_too_large", too_large)
            return
        received = 0

        async def counted_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(too_large)
            return message

        started = False

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_secured(message)

        try:
            charset = declared_charset(headers.get("content-type", ""))
            if charset:  # a JSON body in GBK and the like: the app reads UTF-8 only
                body = await read_all(counted_receive)
                if body is None:
                    return  # the client went away
                try:
                    scope, app_receive = as_utf8(scope, to_utf8(body, charset), counted_receive)
                except CharsetRefused as e:
                    await self._reply(send_secured, e.status, e.code, e.message)
                    return
            else:
                app_receive = counted_receive
            await self.app(scope, app_receive, tracked_send)
        except BodyTooLarge as e:
            if started:
                raise
            await self._reply(send_secured, 413, "file_too_large", e.detail["message"])
        except asyncio.CancelledError:
            # uvicorn cancels the requests still open when a stopping server's grace period ends
            # (Settings.stop_grace): the client gets the error shape, not uvicorn's text 500,
            # and the server log no traceback. The request task ends here either way.
            if started:
                raise
            await self._reply(send_secured, 503, "shutting_down", STOPPING_MESSAGE)

    @staticmethod
    async def _reply(send: Callable, status: int, code: str, message: str) -> None:
        start, body = _json(status, code, message)
        await send(start)
        await send(body)

    @staticmethod
    async def _reply_page(send: Callable, status: int, message: str) -> None:
        body = ('<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>请求有误 · gongwen</title>'
                f'<p>{html.escape(message)}</p><p><a href="/">回到检索</a></p></html>').encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _security_headers(path: str, nonce: str) -> list[tuple[bytes, bytes]]:
        if path.startswith("/api/") or path == "/openapi.json":
            csp = API_CSP
        else:
            csp = PAGE_CSP.format(nonce=nonce)
        return [(b"content-security-policy", csp.encode()), *COMMON_HEADERS]


def all_routes(app: Any) -> list[Any]:
    """Every route of the app, those of included routers too: FastAPI keeps an included
    router as one entry (`original_router`) rather than copying its routes into
    `app.routes`. The routers are included without a prefix of their own, so each
    route's path is the one it answers."""
    out: list[Any] = []
    todo = list(app.routes)
    while todo:
        route = todo.pop(0)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            todo[:0] = list(inner.routes)
        else:
            out.append(route)
    return out


def write_routes(app: Any) -> list[tuple[set[str], re.Pattern]]:
    """(methods, path regex) of every route that depends on the write key."""
    from fastapi.routing import APIRoute

    out = []
    for route in all_routes(app):
        if isinstance(route, APIRoute) and any(getattr(d.dependency, "needs_write_key", False)
                                               for d in route.dependencies):
            out.append((set(route.methods), route.path_regex))
    return out
