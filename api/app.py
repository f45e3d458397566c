"""The HTTP API (FastAPI): the app, its error handlers and middleware. The routes
live in api.routes (one module per resource) and api.web / api.track_web (pages); every
route is a thin shell over `api.service.Gongwen`, the same object the CLI uses, so
the web app and the command line agree.

Errors always come back as `{"error": {"code", "message", "detail"}}` with a
Chinese message; writes need the API key (header `X-API-Key` or
`Authorization: Bearer …`), reads too when `GONGWEN_READ_NEEDS_KEY=1`.
"""
from __future__ import annotations

import logging
from importlib.metadata import version as pkg_version
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import schemas
from api.guard import Guard, all_routes, write_routes
from api.routes import ROUTERS
from api.service import Gongwen
from api.service.results import busy_database, denied_database, storage_refused, unreachable_database
from api.settings import Settings
from api.validation import describe
from ingest.errors import GongwenError, os_reason

log = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **{code: {"model": schemas.ErrorResponse} for code in (400, 401, 404, 413, 415, 422)},
    # every route reads or writes the store (the pages of /api/health too): while the database
    # server is down or refuses gongwen (database_unavailable, _internal_error), or another
    # process holds the search index's lock (index_busy), the request may succeed later
    503: {"model": schemas.ErrorResponse,
          "description": "暂时无法连接数据库（database_unavailable）、数据库正被占用（database_busy）或检索索引正忙（index_busy），"
                         "本次请求未完成，请稍后重试；检索索引不存在且无法建立（index_unavailable）或为旧版本、已损坏"
                         "（index_mismatch）时检索不可用，需运行 gongwen reindex"},
}

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "file_too_large", 415: "unsupported_format",
              422: "invalid_body", 500: "internal"}


# FastAPI's words for a JSON body its parser gave up on with anything other than a
# syntax error (bytes that are no UTF-8, nesting past the recursion limit)
UNPARSED_BODY = "There was an error parsing the body"


def _unparsed_body(cause: BaseException | None) -> str:
    if isinstance(cause, UnicodeDecodeError):
        return "请求体不是 UTF-8 编码的文字：请以 UTF-8 发送 JSON，或在 Content-Type 中声明所用字符集（如 charset=gbk）"
    if isinstance(cause, RecursionError):
        return "请求体的 JSON 嵌套过深，无法解析"
    return "请求体无法解析为 JSON"


def error_response(status: int, code: str, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "detail": detail}}
    return JSONResponse(body, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, service: Gongwen | None = None) -> FastAPI:
    settings = settings or Settings()
    svc = service or Gongwen(settings)
    app = FastAPI(
        title="gongwen 公文智能 API",
        version=pkg_version("gongwen"),
        description="检索政策、通知任务清单、蹲点日志标注与风险预警、调研课题。错误统一为 "
        '`{"error": {"code", "message", "detail"}}`。写操作需要 API 密钥（请求头 X-API-Key）。',
        responses=ERROR_RESPONSES,
        docs_url=None, redoc_url=None,  # /docs is served by api.web from local files (works offline)
    )
    app.state.service = svc
    app.state.settings = settings
    # key and size checks before FastAPI reads the body; security headers on every answer
    app.add_middleware(Guard, settings=settings, writes=lambda: write_routes(app))

    # ---------- errors: one shape everywhere ----------
    @app.exception_handler(GongwenError)
    async def _gongwen_error(request: Request, exc: GongwenError):
        if exc.detail:  # the library's own words on a damaged file: for the server log, not the client
            log.warning("%s %s refused (%s): %s", request.method, request.url.path, exc.code, exc.detail)
        return error_response(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        body = getattr(exc, "body", None)
        if isinstance(body, (bytes, bytearray)) and any(e.get("loc", ("",))[0] == "body" for e in exc.errors()):
            # FastAPI reads a body as JSON only when it says so: `curl -d '{…}'` sends a JSON object
            # as a form, which would otherwise be refused as "not a JSON object"
            sent = request.headers.get("content-type", "").split(";")[0].strip() or "（无）"
            return error_response(415, "unsupported_media_type",
                                  f"请求体应为 JSON：请加请求头 Content-Type: application/json（收到的是 {sent}）")
        message, problems = describe(exc.errors(), body)
        return error_response(422, "invalid_body", message, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if (exc.status_code == 404 and not request.url.path.startswith("/api")
                and "text/html" in request.headers.get("accept", "")):
            from api.web import not_found_page  # a person in a browser gets a page, not JSON

            return not_found_page(request)
        headers = getattr(exc, "headers", None)  # 405 carries Allow, 401 may carry WWW-Authenticate
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path only (GET /api/logs, not its POST):
            # every method of the path the request met first (/api/track/match, not /api/track/{document_id})
            met = [r for r in all_routes(app) if getattr(r, "path_regex", None) is not None
                   and r.path_regex.match(request.url.path)]
            allowed = sorted({m for r in met if r.path == met[0].path for m in getattr(r, "methods", None) or ()})
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        if exc.status_code == 400 and exc.detail == UNPARSED_BODY:
            return error_response(400, "bad_json", _unparsed_body(exc.__cause__))
        if isinstance(exc.detail, dict) and "code" in exc.detail:
            return error_response(exc.status_code, exc.detail["code"], exc.detail["message"], headers=headers)
        messages = {404: "找不到该地址", 405: "不支持该请求方法"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, HTTP_CODES.get(exc.status_code, "error"), message, headers=headers)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        if storage_refused(exc):
            # not a bug: the disk refuses the store's or the index's writes; nothing of the request was kept
            log.error("%s %s: storage refuses writes: %s", request.method, request.url.path, exc)
            reason = os_reason(exc) if isinstance(exc, OSError) else "数据库无法写入"
            return error_response(507, "storage_full", f"服务器无法保存数据（{reason}），本次提交未保存；请联系管理员腾出磁盘空间后重试")
        busy = busy_database(exc)
        if busy:  # not a bug: another program kept the database's write lock past the wait
            log.error("%s %s: database busy: %s", request.method, request.url.path, exc)
            return error_response(503, "database_busy", f"{busy}，本次请求未完成（未保存任何内容）；请稍后重试")
        denied = denied_database(exc)
        if denied:  # not a bug: the database's role lacks a privilege; an administrator can grant it
            log.error("%s %s: database denied: %s", request.method, request.url.path, exc)
            return error_response(503, "database_unavailable", f"{denied}；本次请求未完成（未保存任何内容）")
        unreachable = unreachable_database(exc)
        if unreachable:
            # not a bug: the database server is down or refuses gongwen; the request may succeed later
            log.error("%s %s: database unreachable: %s", request.method, request.url.path, exc)
            return error_response(503, "database_unavailable", f"暂时无法连接数据库（{unreachable}），本次请求未完成；"
                                  "请稍后重试，如果反复出现请联系管理员")
        # a bug: the traceback goes to the server log, the client gets the documented shape
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal", "服务器内部错误，请稍后重试；如果反复出现，请联系管理员并提供请求时间")

    # ---------- routes: one module per resource (api.routes) ----------
    for router in ROUTERS:
        app.include_router(router)
    from api.track_web import router as track_pages  # 督办台账 pages: /track, /track/{doc_id}

    app.include_router(track_pages)
    from api.web import router as web_router  # the HTML pages, over the same service

    app.include_router(web_router)
    _label_enums(app)
    return app


# The query parameters that take a label of the taxonomy (corpora/taxonomy.toml, read when the
# schema is first asked for): the search index's `tag` also holds duties' actors, so it stays open.
LABEL_FILTERS = {"/api/logs": ("tag", "risk"), "/api/search": ("risk",)}


def _label_enums(app: FastAPI) -> None:
    """The tag and risk filters list the labels they take (ids and Chinese names; empty for no
    filter) in the OpenAPI schema: a value outside them is refused with 422, as a value outside
    any other enum of the schema is, and a client reads which values are valid."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from api.service.logs import label_choices

            schema, choices = plain(), label_choices()
            for path, names in LABEL_FILTERS.items():
                for param in schema["paths"][path]["get"].get("parameters", []):
                    if param["in"] == "query" and param["name"] in names and choices[param["name"]]:
                        branches = param["schema"]["anyOf"]
                        branches[0] = {**branches[0], "enum": ["", *choices[param["name"]]]}
        return app.openapi_schema

    app.openapi = openapi


class _StopLog(logging.Filter):
    """uvicorn's line on the requests it cancelled at the end of a stopping server's grace
    period (Settings.stop_grace), in Chinese. Without that cap uvicorn waited for every open
    request, and a client sending its body slowly kept a SIGTERM'd server up for good."""

    def __init__(self, grace: float):
        super().__init__()
        self.grace = grace

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Cancel %s running task(s)"):
            record.msg = f"停止服务：%s 个请求超过 {self.grace:g} 秒仍未完成，已中断"
        return True


def chinese_stop_log(grace: float) -> None:
    """Installed on uvicorn's logger after uvicorn configured its logging (a logger keeps its
    filters through that dictConfig)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _StopLog) for f in logger.filters):
        logger.addFilter(_StopLog(grace))


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (`gongwen serve --workers N`): each worker process
    builds its app from the environment that `serve` set up."""
    import multiprocessing

    from ingest.threads import cap_threads

    parent = multiprocessing.parent_process()
    if parent is not None:
        # a worker of uvicorn's supervisor (a multiprocessing child; not when uvicorn runs the
        # factory in its own process): it ends with the supervisor, also one killed by SIGKILL
        # (which cannot stop its workers), instead of serving on and writing into the data
        # folder (ingest.children). Called in the worker's main thread (uvicorn loads the app there).
        from ingest.children import die_with_parent

        die_with_parent(parent.pid)
    settings = Settings()
    cap_threads(settings.threads)  # a server started by uvicorn itself, not `gongwen serve`
    app = create_app(settings)
    from api import warm

    warm.load(app.state.service)  # each worker loads the log models before serving, not in its first writes
    chinese_stop_log(settings.stop_grace)
    return app
