"""/api/logs: submit field logs (key; the model tags them) and list them by tag,
risk, region and date. May import api.schemas and api.routes.keys.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api import schemas
from api.routes.keys import MAX_OFFSET, check_date_range, read_key, write_key
from api.schemas import IsoDate

router = APIRouter()


@router.post("/api/logs", response_model=schemas.LogsCreated, status_code=201, tags=["logs"],
             dependencies=[Depends(write_key)],
             responses={409: {"model": schemas.ErrorResponse, "description": "同一批日志中编号重复，未保存任何日志"},
                        **schemas.STORAGE_FULL})
def add_logs(request: Request, body: schemas.LogIn | list[schemas.LogIn]):
    records = body if isinstance(body, list) else [body]
    if not records:  # an empty batch is a valid batch: nothing stored, nothing to report
        return {"items": [], "alerts": [], "warnings": [], "replaced": []}
    if len(records) > 5000:
        raise HTTPException(413, {"code": "too_many", "message": "一次最多提交 5000 条日志"})
    # labels are the model's to give: a client cannot submit its own tasks or risks
    bodies = [{k: v for k, v in r.model_dump(mode="json", exclude_none=True).items() if k not in ("tasks", "risks")}
              for r in records]
    return request.app.state.service.add_logs(bodies)


@router.get("/api/logs", response_model=schemas.LogList, tags=["logs"], dependencies=[Depends(read_key)],
            responses=schemas.DATE_RANGE_REVERSED)
def list_logs(
    request: Request,
    tag: Annotated[str | None, Query(description="任务类别或风险信号：id 或中文名（如 labor_relations 或 劳动关系协调）")] = None,
    risk: Annotated[str | None, Query(description="风险信号：id 或中文名（如 wage_arrears 或 欠薪欠保）")] = None,
    region: str | None = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    """蹲点日志列表（新的在前）；tag、risk 为标签体系中没有的值时 422（unknown_label），并列出可用的标签。"""
    check_date_range(date_from, date_to)
    return request.app.state.service.list_logs(tag=tag, risk=risk, region=region, date_from=date_from, date_to=date_to,
                                               limit=limit, offset=offset)
