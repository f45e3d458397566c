"""HTTP routes of duty tracking (督办台账): the ledger as JSON or XLSX, matching,
confirming or rejecting a link (needs the key), overdue alerts. May import
api.track_schemas, api.schemas, api.routes.keys and nlp.track (late)."""
from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response

from api import track_schemas as ts
from api.routes.keys import MAX_OFFSET, read_key, write_key
from api.schemas import MAX_ID, STORAGE_FULL, ErrorResponse, IsoDate

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]  # past SQLite's INTEGER the driver overflows
# the bounds of the other list endpoints (/api/documents, /api/logs, /api/alerts): a working
# database holds hundreds of duties and alerts, one answer should not carry them all
Limit = Annotated[int, Query(ge=1, le=500, description="每页条数")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="跳过条数")]


router = APIRouter(prefix="/api/track", tags=["track"])

# 409, not 422 (as api.routes.keys.check_date_range): the day is a valid date, refused for how far
# it is from the real one, which the OpenAPI schema cannot say
DAY_OUT_OF_RANGE: dict[int | str, dict] = {
    409: {"model": ErrorResponse, "description": "today 距今超过 100 年（date_out_of_range），未计算、未保存"}}


def _checked(today: Date | None) -> Date | None:
    """`today` of the track operations: within nlp.track.days.MAX_YEARS of the real date."""
    from nlp.track.days import out_of_range

    if today is not None and (line := out_of_range(today)):
        raise HTTPException(409, {"code": "date_out_of_range", "message": f"today {line}"})
    return today



def _tracker(request: Request):
    from nlp.track.tracker import Tracker

    return Tracker(request.app.state.service.store)


def _ledger(request: Request, document_id, actor, status, due_before, today):
    from nlp.track.tracker import Filters, TrackError

    today = _checked(today)
    try:
        return _tracker(request).ledger(Filters(document_id, actor, status, due_before), today=today)
    except TrackError as e:
        code, status_code = ("not_found", 404) if "找不到" in str(e) else ("bad_request", 400)
        raise HTTPException(status_code, {"code": code, "message": str(e)}) from None


@router.get("", response_model=ts.Ledger, dependencies=[Depends(read_key)], responses=DAY_OUT_OF_RANGE)
def ledger(request: Request, document_id: str | None = None, actor: str | None = None,
           status: ts.Status | None = None, due_before: IsoDate | None = None, today: IsoDate | None = None,
           limit: Limit = 100, offset: Offset = 0):
    """督办台账：所有（或一份）公文的任务、各期状态和佐证日志（total 为全部条数，duties 为这一页）。"""
    rows = _ledger(request, document_id, actor, status, due_before, today)
    return _page(rows, today, limit, offset)


def _page(rows, today, limit: int, offset: int) -> dict:
    from nlp.track.days import real_today

    return {"today": today or real_today(), "total": len(rows),
            "duties": [r.to_dict() for r in rows[offset:offset + limit]]}


@router.get("/export.xlsx", dependencies=[Depends(read_key)],
            responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
                       **DAY_OUT_OF_RANGE})
def export_xlsx(request: Request, document_id: str | None = None, actor: str | None = None,
                status: ts.Status | None = None, due_before: IsoDate | None = None, today: IsoDate | None = None):
    """督办台账 XLSX：每份公文一个工作表（序号、任务、责任单位、完成时限、进展情况、佐证日志）。"""
    from nlp.track.export import to_xlsx

    rows = _ledger(request, document_id, actor, status, due_before, today)
    return Response(to_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6.xlsx"})


@router.post("/match", response_model=ts.MatchOut, dependencies=[Depends(write_key)],
             responses={**STORAGE_FULL, **DAY_OUT_OF_RANGE})
def match(request: Request, body: ts.MatchIn | None = None):
    """关联日志与任务：给出 log_ids 时只匹配这些日志（对未完成的任务），否则全部重新匹配。"""
    from nlp.track.tracker import TrackError

    tracker = _tracker(request)
    if body and body.log_ids:
        try:
            return tracker.match_new(body.log_ids, _checked(body.today))
        except TrackError as e:  # a log id not stored: nothing matched
            raise HTTPException(404, {"code": "not_found", "message": str(e)}) from None
    return tracker.rematch()


def _decide(request: Request, link_id: int, state: str, body: ts.DecisionIn | None):
    link = _tracker(request).track.decide(link_id, state, body.by if body else None)
    if link is None:
        raise HTTPException(404, {"code": "not_found", "message": f"找不到关联：{link_id}"})
    link.pop("log", None)
    return link


@router.post("/links/{link_id}/confirm", response_model=ts.LinkOut, dependencies=[Depends(write_key)],
             responses=STORAGE_FULL)
def confirm(request: Request, link_id: RowId, body: ts.DecisionIn | None = None):
    """确认一条佐证关联（重新匹配时保留）。"""
    return _decide(request, link_id, "confirmed", body)


@router.post("/links/{link_id}/reject", response_model=ts.LinkOut, dependencies=[Depends(write_key)],
             responses=STORAGE_FULL)
def reject(request: Request, link_id: RowId, body: ts.DecisionIn | None = None):
    """驳回一条佐证关联（此后不再提出）。"""
    return _decide(request, link_id, "rejected", body)


@router.get("/alerts", response_model=ts.TrackAlertList, dependencies=[Depends(read_key)],
            responses={**STORAGE_FULL, **DAY_OUT_OF_RANGE})  # it writes: today's overdue alerts are raised first
def alerts(request: Request, status: Literal["open", "acknowledged"] | None = None, today: IsoDate | None = None,
           limit: Limit = 100, offset: Offset = 0):
    """任务逾期预警（待处理 / 已确认，先到期的在前；total 为全部条数，items 为这一页）；先为当天逾期未见进展的任务生成预警。
    today 为今天以外的日期时是预览（preview 为 true）：按该日计算将逾期的任务，不保存任何预警。"""
    from nlp.track import days

    today = _checked(today)
    tracker = _tracker(request)
    if days.is_preview(today):
        total, items = tracker.preview_alerts(today, status, limit, offset)
        return {"total": total, "items": items, "today": today, "preview": True, "note": days.preview_note(today)}
    note = tracker.refresh_alerts_or_say()
    return {"total": tracker.track.count_alerts(status), "items": tracker.alerts(status, limit, offset),
            "today": days.real_today(), "note": note}


@router.post("/alerts/{alert_id}/ack", response_model=ts.TrackAlertOut, dependencies=[Depends(write_key)],
             responses=STORAGE_FULL)
def ack(request: Request, alert_id: RowId, body: ts.DecisionIn | None = None):
    """确认一条任务逾期预警。"""
    a = _tracker(request).track.acknowledge(alert_id, body.by if body else None)
    if a is None:
        raise HTTPException(404, {"code": "not_found", "message": f"找不到预警：{alert_id}"})
    return a


@router.get("/{document_id}", response_model=ts.Ledger, dependencies=[Depends(read_key)],
            responses=DAY_OUT_OF_RANGE)
def notice_ledger(request: Request, document_id: str, actor: str | None = None, status: ts.Status | None = None,
                  due_before: IsoDate | None = None, today: IsoDate | None = None,
                  limit: Limit = 100, offset: Offset = 0):
    """一份公文的督办台账（total 为全部条数，duties 为这一页）。"""
    rows = _ledger(request, document_id, actor, status, due_before, today)
    return _page(rows, today, limit, offset)
