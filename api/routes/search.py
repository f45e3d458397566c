"""GET /api/search: the query language and filters over notices, sections,
obligations and logs. May import api.limits, api.schemas and api.routes.keys.
"""
from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import schemas
from api.limits import MAX_PAGE, MAX_PER_PAGE
from api.routes.keys import check_date_range, read_key
from api.schemas import IsoDate
from api.service.search import MAX_QUERY_CHARS

router = APIRouter()


@router.get("/api/search", response_model=schemas.SearchResponse, tags=["search"], dependencies=[Depends(read_key)],
            responses=schemas.DATE_RANGE_REVERSED)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="查询：词语、\"短语\"、AND/OR/NOT、字段 issuer: year: type: tag: risk: region: doc_number:")] = "",
    issuer: str | None = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
    type: str | None = None,
    doc_number: str | None = None,
    kind: Literal["document", "section", "obligation", "log"] | None = None,
    tag: Annotated[str | None, Query(description="标签：日志的任务类别，或任务的责任主体")] = None,
    risk: Annotated[str | None, Query(description="日志的风险信号：id 或中文名（如 wage_arrears 或 欠薪欠保）；其他值 422")] = None,
    region: str | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 10,
    sort: Literal["relevance", "date"] = "relevance",
):
    check_date_range(date_from, date_to)
    filters = {k: v for k, v in {"issuer": issuer, "year": year, "doc_type": type, "doc_number": doc_number,
                                 "kind": kind, "tags": tag, "risks": risk, "region": region,
                                 "date_from": date_from.isoformat() if date_from else None,
                                 "date_to": date_to.isoformat() if date_to else None}.items() if v is not None}
    svc = request.app.state.service
    # the service builds exactly the documented shape: skip re-validating every hit (≈ 1 ms a search)
    # …and encode with orjson: a tenth of json's time on a 20 KB result
    return Response(orjson.dumps(svc.search(q, filters=filters, page=page, per_page=per_page, sort=sort)),
                    media_type="application/json")
