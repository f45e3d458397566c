"""/api/alerts…: the risk alerts raised by field logs, and acknowledging one (key).
May import api.schemas and api.routes.keys.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from api import schemas
from api.routes.keys import MAX_OFFSET, not_found, read_key, write_key
from api.schemas import MAX_ID

router = APIRouter()


@router.get("/api/alerts", response_model=schemas.AlertList, tags=["logs"], dependencies=[Depends(read_key)])
def list_alerts(request: Request, status: Literal["open", "acknowledged"] | None = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 100,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
    """风险预警列表（status=open|acknowledged，最新的在前；total 为全部条数，items 为这一页）。"""
    svc = request.app.state.service
    return {"total": svc.count_alerts(status), "items": svc.list_alerts(status=status, limit=limit, offset=offset)}


@router.post("/api/alerts/{alert_id}/ack", response_model=schemas.AlertOut, tags=["logs"], dependencies=[Depends(write_key)],
             responses=schemas.STORAGE_FULL)
def acknowledge_alert(request: Request, alert_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: schemas.AckIn | None = None):
    alert = request.app.state.service.acknowledge_alert(alert_id, by=body.by if body else None)
    if alert is None:
        raise not_found("预警", alert_id)
    return alert
