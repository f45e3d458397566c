"""The HTTP API (FastAPI). Every route is a thin shell over `api.service.Gongwen`,
the same object the CLI uses, so the web app and the command line agree.

Errors always come back as `{"error": {"code", "message", "detail"}}` with a
Chinese message; writes need the API key (header `X-API-Key` or
`Authorization: Bearer …`), reads too when `GONGWEN_READ_NEEDS_KEY=1`.
"""
from __future__ import annotations

import logging
from importlib.metadata import version as pkg_version
from typing import Annotated, Any, Literal

import anyio
import orjson
from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import schemas
from api.guard import KEY_MESSAGE, Guard, key_from_headers, key_matches, write_routes
from api.schemas import MAX_ID, IsoDate
from api.service import Gongwen
from api.settings import Settings
from api.uploads import UPLOAD_BODY, read_upload
from api.validation import describe
from ingest.errors import GongwenError
from ingest.pool import parse_upload, shared_pool

log = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorResponse} for code in (400, 401, 404, 413, 415, 422)
}

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "file_too_large", 415: "unsupported_format",
              422: "invalid_body", 500: "internal"}
MAX_OFFSET = 10**9  # past every real table; a larger OFFSET overflows the database driver at 2^63


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
        return error_response(exc.http_status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        message, problems = describe(exc.errors(), getattr(exc, "body", None))
        return error_response(422, "invalid_body", message, problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if (exc.status_code == 404 and not request.url.path.startswith("/api")
                and "text/html" in request.headers.get("accept", "")):
            from api.web import not_found_page  # a person in a browser gets a page, not JSON

            return not_found_page(request)
        headers = getattr(exc, "headers", None)  # 405 carries Allow, 401 may carry WWW-Authenticate
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path only (GET /api/logs, not its POST)
            allowed = sorted({m for r in app.routes if getattr(r, "path_regex", None) is not None
                              and r.path_regex.match(request.url.path) for m in getattr(r, "methods", None) or ()})
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        if isinstance(exc.detail, dict) and "code" in exc.detail:
            return error_response(exc.status_code, exc.detail["code"], exc.detail["message"], headers=headers)
        messages = {404: "找不到该地址", 405: "不支持该请求方法"}
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else messages.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, HTTP_CODES.get(exc.status_code, "error"), message, headers=headers)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception):
        # a bug: the traceback goes to the server log, the client gets the documented shape
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal", "服务器内部错误，请稍后重试；如果反复出现，请联系管理员并提供请求时间")

    # ---------- keys ----------
    def _check_key(x_api_key: str | None, authorization: str | None) -> None:
        if not key_matches(key_from_headers(x_api_key, authorization), settings.api_key):
            raise HTTPException(401, {"code": "unauthorized", "message": KEY_MESSAGE})

    def write_key(x_api_key: Annotated[str | None, Header()] = None,
                  authorization: Annotated[str | None, Header()] = None) -> None:
        _check_key(x_api_key, authorization)

    write_key.needs_write_key = True  # Guard checks these routes' key before their body is read

    # async: a plain check with no I/O, so it runs on the event loop instead of costing
    # every read request an extra trip through the thread pool.
    async def read_key(x_api_key: Annotated[str | None, Header()] = None,
                       authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.read_needs_key:
            _check_key(x_api_key, authorization)

    def not_found(what: str, ident: Any) -> HTTPException:
        return HTTPException(404, {"code": "not_found", "message": f"找不到{what}：{ident}"})

    # ---------- routes ----------
    @app.get("/api/health", response_model=schemas.Health, tags=["system"])
    def health(x_api_key: Annotated[str | None, Header()] = None,
               authorization: Annotated[str | None, Header()] = None):
        h = svc.health()
        if settings.read_needs_key and not key_matches(key_from_headers(x_api_key, authorization), settings.api_key):
            # what is stored is for key holders only; a load balancer still sees "ok"
            h.update(documents=None, logs=None, open_alerts=None)
        return h

    @app.get("/api/search", response_model=schemas.SearchResponse, tags=["search"], dependencies=[Depends(read_key)])
    def search(
        q: Annotated[str, Query(max_length=1000, description="查询：词语、\"短语\"、AND/OR/NOT、字段 issuer: year: type: tag: risk: region: doc_number:")] = "",
        issuer: str | None = None,
        year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
        type: str | None = None,
        doc_number: str | None = None,
        kind: Literal["document", "section", "obligation", "log"] | None = None,
        tag: str | None = None,
        risk: str | None = None,
        region: str | None = None,
        date_from: IsoDate | None = None,
        date_to: IsoDate | None = None,
        page: Annotated[int, Query(ge=1, le=1000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = 10,
        sort: Literal["relevance", "date"] = "relevance",
    ):
        filters = {k: v for k, v in {"issuer": issuer, "year": year, "doc_type": type, "doc_number": doc_number,
                                     "kind": kind, "tags": tag, "risks": risk, "region": region,
                                     "date_from": date_from.isoformat() if date_from else None,
                                     "date_to": date_to.isoformat() if date_to else None}.items() if v is not None}
        # the service builds exactly the documented shape: skip re-validating every hit (≈ 1 ms a search)
        # …and encode with orjson: a tenth of json's time on a 20 KB result
        return Response(orjson.dumps(svc.search(q, filters=filters, page=page, per_page=per_page, sort=sort)),
                        media_type="application/json")

    @app.get("/api/documents", response_model=schemas.DocumentList, tags=["documents"], dependencies=[Depends(read_key)])
    def list_documents(
        issuer: str | None = None,
        year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
        type: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ):
        items = svc.store.list_documents(issuer=issuer, year=year, doc_type=type, limit=limit, offset=offset)
        return {"total": svc.store.count_documents(issuer=issuer, year=year, doc_type=type), "items": items}

    @app.get("/api/documents/{doc_id}", response_model=schemas.DocumentDetail, tags=["documents"], dependencies=[Depends(read_key)])
    def get_document(doc_id: str):
        doc = svc.store.get_document(doc_id)
        if doc is None:
            raise not_found("文档", doc_id)
        d = doc.to_dict()
        return {"id": doc.id, "metadata": doc.metadata(), "source": d["source"], "files": svc.store.document_files(doc_id),
                "parts": d["parts"], "checklist": svc.store.get_checklist(doc_id)}

    @app.post("/api/documents", response_model=schemas.IngestResponse, status_code=201, tags=["documents"],
              dependencies=[Depends(write_key)], openapi_extra={"requestBody": UPLOAD_BODY})
    async def upload_document(request: Request):
        # The body is read here, not by FastAPI: the key was checked first (Guard, write_key),
        # the file is collected in memory and the read stops at the limit (api.uploads).
        name, data = await read_upload(request, settings.max_file_bytes,
                                       f"文件超过大小上限 {settings.max_file_mb:g} MB")
        # Parsing and checklist extraction take seconds on a large file: in a worker
        # process with a time limit, so this worker's event loop and searches go on.
        pool = shared_pool(settings.parse_workers)
        doc, checklist = await anyio.to_thread.run_sync(
            lambda: pool.run(parse_upload, data, name, settings.max_file_bytes, timeout=settings.parse_timeout))
        result = await run_in_threadpool(svc.ingest_parsed, name, doc, checklist)
        if result.status == "failed":
            raise result.exception
        checklist = svc.store.get_checklist(result.document_id) or {}
        return {"id": result.document_id, "created": result.status == "ingested", "status": result.status,
                "message": result.message, "warning": result.warning, "related_id": result.related_document_id,
                "title": result.title, "obligations": len(checklist.get("obligations", []))}

    @app.delete("/api/documents/{doc_id}", status_code=204, tags=["documents"], dependencies=[Depends(write_key)])
    def delete_document(doc_id: str):
        if not svc.delete_document(doc_id):
            raise not_found("文档", doc_id)
        return Response(status_code=204)

    @app.get("/api/documents/{doc_id}/checklist", tags=["documents"], dependencies=[Depends(read_key)],
             responses={200: {"content": {"application/json": {}, "text/markdown": {}, "text/csv": {}, "text/calendar": {}}}})
    def get_checklist(doc_id: str, format: Literal["json", "md", "csv", "ics"] = "json"):
        if svc.store.get_document_row(doc_id) is None:
            raise not_found("文档", doc_id)
        body, media_type = svc.checklist_export(doc_id, format)
        if format == "json":
            return JSONResponse(body)
        ext = {"md": "md", "csv": "csv", "ics": "ics"}[format]
        return Response(body, media_type=media_type,
                        headers={"Content-Disposition": f'inline; filename="checklist-{doc_id}.{ext}"'})

    @app.post("/api/logs", response_model=schemas.LogsCreated, status_code=201, tags=["logs"],
              dependencies=[Depends(write_key)])
    def add_logs(body: schemas.LogIn | list[schemas.LogIn]):
        records = body if isinstance(body, list) else [body]
        if not records:  # an empty batch is a valid batch: nothing stored, nothing to report
            return {"items": [], "alerts": []}
        if len(records) > 5000:
            raise HTTPException(413, {"code": "too_many", "message": "一次最多提交 5000 条日志"})
        # labels are the model's to give: a client cannot submit its own tasks or risks
        bodies = [{k: v for k, v in r.model_dump(mode="json", exclude_none=True).items() if k not in ("tasks", "risks")}
                  for r in records]
        return svc.add_logs(bodies)

    @app.get("/api/logs", response_model=schemas.LogList, tags=["logs"], dependencies=[Depends(read_key)])
    def list_logs(
        tag: str | None = None,
        risk: str | None = None,
        region: str | None = None,
        date_from: IsoDate | None = None,
        date_to: IsoDate | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ):
        filters = {"tag": tag, "risk": risk, "region": region, "date_from": date_from, "date_to": date_to}
        return {"total": svc.store.count_logs(**filters), "items": svc.store.list_logs(**filters, limit=limit, offset=offset)}

    @app.get("/api/alerts", response_model=schemas.AlertList, tags=["logs"], dependencies=[Depends(read_key)])
    def list_alerts(status: Literal["open", "acknowledged"] | None = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100,
                    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
        return {"items": svc.store.list_alerts(status=status, limit=limit, offset=offset)}

    @app.post("/api/alerts/{alert_id}/ack", response_model=schemas.AlertOut, tags=["logs"], dependencies=[Depends(write_key)])
    def acknowledge_alert(alert_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: schemas.AckIn | None = None):
        alert = svc.store.acknowledge_alert(alert_id, by=body.by if body else None)
        if alert is None:
            raise not_found("预警", alert_id)
        return alert

    @app.get("/api/topics", tags=["topics"], dependencies=[Depends(read_key)])
    def list_topics():
        return svc.topics()

    @app.get("/api/topics/{topic_id}", tags=["topics"], dependencies=[Depends(read_key)])
    def get_topic(topic_id: Annotated[int, Path(ge=0, le=MAX_ID)]):
        topic = svc.topic(topic_id)
        if topic is None:
            raise not_found("课题", topic_id)
        return topic

    from api.track_routes import router as track_router  # 督办台账: /api/track…

    app.include_router(track_router)
    from api.track_web import router as track_pages  # 督办台账 pages: /track, /track/{doc_id}

    app.include_router(track_pages)
    from api.web import router as web_router  # the HTML pages, over the same service

    app.include_router(web_router)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (`gongwen serve --workers N`): each worker process
    builds its app from the environment that `serve` set up."""
    return create_app(Settings())
