"""The 督办台账 pages: one notice's duties with their occurrences and evidence
(confirm / reject a link with the API key), and an overview of overdue duties
across notices. Over the same Tracker as `gongwen track` and /api/track."""
from __future__ import annotations

from datetime import date as Date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

# the other pages' templates, key form and lock: one set of shared words (the old-browser line,
# the key box's hint) and a key form that leads back to the page and says a wrong key
from api.web import _DAY, _key_form, _link, _locked, _paging, templates

router = APIRouter(include_in_schema=False)
STATUS_CLASS = {"未到期": "st-notdue", "进行中": "st-progress", "已完成": "st-done", "逾期未见进展": "st-overdue"}


def _day(value: str | None) -> tuple[Date, str | None]:
    """The day a ledger is worked out for, read as /api/track reads `today`; a value it cannot
    read or refuses gives today, and the line saying so (the page still shows the ledger, for today)."""
    from nlp.track.days import out_of_range, real_today

    if not value or not value.strip():
        return real_today(), None
    try:
        day = _DAY.validate_python(value.strip())
    except ValidationError:
        return real_today(), f"日期 {value[:40]} 无法识别（应为 YYYY-MM-DD，如 2024-07-10），以下按今天计算"
    if line := out_of_range(day):  # as /api/track refuses it
        return real_today(), f"日期{line}，以下按今天计算"
    return day, None


def _page(request: Request, name: str, json_url: str, **context) -> HTMLResponse:
    if _locked(request):
        return _key_form(request)
    return templates.TemplateResponse(request, name, {"json_url": json_url, "status_class": STATUS_CLASS, **context})


PER_PAGE = 100  # duties on one overview page: a working database has hundreds overdue


@router.get("/track", response_class=HTMLResponse)
def overview_page(request: Request, today: str | None = None, page: str = "1"):
    from nlp.track.tracker import Filters, Tracker

    day, day_error = _day(today)
    rows = Tracker(request.app.state.service.store).ledger(Filters(status="逾期未见进展"), today=day)
    paging = _paging(page, len(rows), PER_PAGE)
    start = paging["start"]
    notices = {}
    for r in rows[start:start + PER_PAGE]:
        notices.setdefault((r.duty.document_id, r.duty.notice_title), []).append(r)
    query = {"status": "逾期未见进展", "today": day, "limit": PER_PAGE, "offset": start}
    return _page(request, "track_overview.html", "/api/track?" + urlencode(query), today=day, notices=notices,
                 day_error=day_error, page_url=_link("/track", {"today": day}), **paging)


@router.get("/track/{doc_id}", response_class=HTMLResponse)
def notice_page(request: Request, doc_id: str, today: str | None = None):
    from nlp.track.tracker import Filters, Tracker, TrackError

    day, day_error = _day(today)
    try:
        rows = Tracker(request.app.state.service.store).ledger(Filters(document_id=doc_id), today=day)
    except TrackError as e:
        return templates.TemplateResponse(request, "notfound.html", {"json_url": None, "message": str(e)},
                                          status_code=404)
    title = rows[0].duty.notice_title if rows else doc_id
    return _page(request, "track.html", f"/api/track/{doc_id}?" + urlencode({"today": day}), today=day, rows=rows,
                 doc_id=doc_id, title=title, day_error=day_error)
