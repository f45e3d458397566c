"""/api/documents…: list, read, upload (key), delete (key) and the checklist in four
formats. May import api.schemas, api.uploads, api.routes.keys and ingest.pool.
"""
from __future__ import annotations

from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api import schemas
from api.parse_job import parse_upload, warm_up
from api.routes.keys import MAX_OFFSET, not_found, read_key, write_key
from api.uploads import UPLOAD_BODY, read_upload
from ingest.pool import shared_pool

router = APIRouter()


@router.get("/api/documents", response_model=schemas.DocumentList, tags=["documents"], dependencies=[Depends(read_key)])
def list_documents(
    request: Request,
    filters: Annotated[schemas.DocumentFilters, Query()],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    return request.app.state.service.list_documents(issuer=filters.issuer, year=filters.year, doc_type=filters.type,
                                                    doc_number=filters.doc_number, limit=limit, offset=offset)


@router.get("/api/documents/{doc_id}", response_model=schemas.DocumentDetail, tags=["documents"], dependencies=[Depends(read_key)])
def get_document(request: Request, doc_id: str):
    detail = request.app.state.service.document_detail(doc_id)
    if detail is None:
        raise not_found("文档", doc_id)
    return detail


@router.post("/api/documents", response_model=schemas.IngestResponse, status_code=201, tags=["documents"],
             dependencies=[Depends(write_key)], openapi_extra={"requestBody": UPLOAD_BODY}, responses=schemas.STORAGE_FULL)
async def upload_document(request: Request):
    settings, svc = request.app.state.settings, request.app.state.service
    read_only = await run_in_threadpool(lambda: svc.store.read_only)
    if read_only:  # a data folder on read-only media: said before seconds of parsing, not after
        from index.store.store import StoreUnwritable

        raise StoreUnwritable(read_only)
    # The body is read here, not by FastAPI: the key was checked first (Guard, write_key),
    # the file is collected in memory and the read stops at the limit (api.uploads).
    name, data = await read_upload(request, settings.max_file_bytes,
                                   f"文件超过大小上限 {settings.max_file_mb:g} MB")
    # Parsing and checklist extraction take seconds on a large file: in a worker
    # process with a time limit, so this worker's event loop and searches go on.
    pool = shared_pool(settings.parse_workers, warm_up)
    doc, checklist = await anyio.to_thread.run_sync(
        lambda: pool.run(parse_upload, data, name, settings.max_file_bytes, settings.max_text_chars,
                         timeout=settings.parse_timeout))
    result = await run_in_threadpool(svc.ingest_parsed, name, doc, checklist)
    if result.status == "failed":
        raise result.exception
    checklist = svc.checklist(result.document_id) or {}
    return {"id": result.document_id, "created": result.status == "ingested", "status": result.status,
            "message": result.message, "warning": result.warning, "related_id": result.related_document_id,
            "title": result.title, "obligations": len(checklist.get("obligations", []))}


@router.delete("/api/documents/{doc_id}", status_code=204, tags=["documents"], dependencies=[Depends(write_key)],
               responses=schemas.STORAGE_FULL)
def delete_document(request: Request, doc_id: str):
    if not request.app.state.service.delete_document(doc_id):
        raise not_found("文档", doc_id)
    return Response(status_code=204)


@router.get("/api/documents/{doc_id}/checklist", tags=["documents"], dependencies=[Depends(read_key)],
            responses={200: {"content": {"application/json": {}, "text/markdown": {}, "text/csv": {}, "text/calendar": {}},
                             "headers": {"X-Calendar-Events": {
                                 "description": "format=ics：日历中的事件数（0：通知没有写明具体日期的时限，日历的说明中写明）",
                                 "schema": {"type": "integer"}}}}})
def get_checklist(request: Request, doc_id: str, format: Literal["json", "md", "csv", "ics"] = "json"):
    svc = request.app.state.service
    if not svc.has_document(doc_id):
        raise not_found("文档", doc_id)
    body, media_type = svc.checklist_export(doc_id, format)
    if format == "json":
        return JSONResponse(body)
    ext = {"md": "md", "csv": "csv", "ics": "ics"}[format]
    headers = {"Content-Disposition": f'inline; filename="checklist-{doc_id}.{ext}"'}
    if format == "ics":
        from nlp.checklist.export import ics_events

        # a calendar with no event is still the answer (a subscription or a script keeps working),
        # but a client can tell it apart without parsing it; the calendar's description says why
        headers["X-Calendar-Events"] = str(ics_events(body))
    return Response(body, media_type=media_type, headers=headers)
