"""The web pages (server-rendered, Chinese). Each page shows what one JSON
endpoint returns and links to it, Datasette-style."""
from __future__ import annotations

import hmac
import threading
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import TypeAdapter, ValidationError

from api.guard import COOKIE_BYTES, KEY_COOKIE, cookie_value, key_cookie, key_matches
from api.labels import FACET_NAMES, KIND_NAMES, PART_NAMES, SEVERITY_NAMES, STATUS_NAMES
from api.limits import MAX_PAGE
from api.schemas import DocumentFilters, IsoDate, reversed_range
from api.service.logs import UnknownLabel, future_dates, label_id
from api.validation import describe
from ingest.errors import GongwenError

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)

FACET_FIELDS = {"doc_type": "type", "tags": "tag", "risks": "risk"}
META_FIELDS = [("letterhead", "发文机关标志"), ("issuer", "发文机关"), ("issuers", "联合发文"), ("doc_number", "发文字号"),
               ("doc_type", "文种"), ("recipients", "主送机关"), ("date", "成文日期"), ("published", "发布日期"),
               ("signers", "署名"), ("cc", "抄送"), ("printed_by", "印发机关"), ("printed_date", "印发日期"), ("attachment_note", "附件")]




def _locked(request: Request) -> bool:
    """With GONGWEN_READ_NEEDS_KEY=1 the pages need the key too (a browser cannot send
    X-API-Key, so it comes from a cookie the key form sets)."""
    settings = request.app.state.settings
    if not settings.read_needs_key:
        return False
    expected = settings.api_key or ""
    given = unquote(request.cookies.get(KEY_COOKIE, ""))
    return not (expected and given and hmac.compare_digest(given.encode(), expected.encode()))


def key_remembered(request: Request) -> bool:
    """Whether this browser's key cookie holds the right key (the pages then need it typed nowhere)."""
    return key_matches(key_cookie(request.headers), request.app.state.settings.api_key)


templates.env.globals["key_remembered"] = key_remembered


def key_hint(request: Request) -> str:
    """What the write forms say beside their key box: whether this browser's key cookie holds
    the right key (then the box may stay empty: api.guard.page_key), else that a right key
    typed there is kept for the other pages, and when it is not."""
    if key_remembered(request):
        return "已记住本浏览器输入过的密钥，可不填（页首“忘记密钥”可清除）"
    return (f"输入正确后本浏览器会记住，其他页面不必再填（关闭浏览器后失效；"
            f"超过约 {COOKIE_BYTES - len(KEY_COOKIE):,} 个字符的密钥无法记住）")


templates.env.globals["key_hint"] = key_hint


def _key_form(request: Request, next_url: str | None = None, problem: str | None = None,
              status: int = 401) -> HTMLResponse:
    if next_url is None:
        next_url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return templates.TemplateResponse(request, "key.html", {"json_url": None, "wrong": KEY_COOKIE in request.cookies,
                                                            "next_url": next_url, "problem": problem},
                                      status_code=status)


@router.post("/key")
async def set_key(request: Request):
    """The key form's target: the key goes into an HttpOnly cookie (no page script can
    read it), SameSite=Strict (no other site's page sends it), then back to the page."""
    form = await request.form()
    # as the pages' scripts send it (base.html gwSend): full-width letters as ASCII, no pasted spaces
    key = unicodedata.normalize("NFKC", str(form.get("key") or "")).strip()
    next_url = str(form.get("next") or "/")
    if not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        next_url = "/"  # only back into this site
    if not key:  # the header's 忘记密钥 (a shared computer): the cookie goes, the pages ask again
        response = RedirectResponse(next_url, status_code=303)
        response.delete_cookie(KEY_COOKIE, path="/", httponly=True, samesite="strict",
                               secure=request.url.scheme == "https")
        return response
    value = cookie_value(key)  # percent-encoded, as _locked reads it
    if value is None:  # the browser would drop it: say so, keep nothing
        return _key_form(request, next_url, status=400, problem=(
            f"密钥太长（{len(key):,} 个字符），浏览器无法保存，未保存：请检查是否多粘贴了内容；"
            f"网页中能保存的密钥最长约 {COOKIE_BYTES - len(KEY_COOKIE):,} 个英文字符，"
            "如果管理员设置的密钥确实这么长，请改用较短的密钥（命令行和 API 不受此限）"))
    response = RedirectResponse(next_url, status_code=303)
    response.set_cookie(KEY_COOKIE, value, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


def not_found_page(request: Request, message: str = "找不到该页面。") -> HTMLResponse:
    """An HTML 404 for people (the JSON API keeps its JSON error). Also meant for the
    app's 404 handler on non-/api paths a browser asks for."""
    return templates.TemplateResponse(request, "notfound.html", {"json_url": None, "message": message},
                                      status_code=404)


NO_SCRIPT = ("当前浏览器没有运行本页面的脚本（版本过旧、处于兼容模式或禁用了脚本），上传、提交和确认都不能使用：请换用新版 "
             "Chrome、Edge、Firefox，或切换到浏览器的极速模式后重试。")
templates.env.globals["NO_SCRIPT"] = NO_SCRIPT
READ_ONLY = ("数据文件夹是只读的（只读挂载或没有写入权限）：可以查看和检索，但上传、提交日志和确认都不会保存；"
             "请管理员改用可写的数据文件夹")
templates.env.globals["READ_ONLY"] = READ_ONLY


def read_only(request: Request) -> bool:
    """Whether the store this page was read from takes no writes (a data folder on read-only
    media), so every page says so before a person types what would not be kept. Only a store
    already opened is asked: the key form and error pages must not open one."""
    store = getattr(getattr(request.app.state, "service", None), "_store", None)
    return bool(getattr(store, "read_only", None))


templates.env.globals["read_only"] = read_only


@router.post("/documents", response_class=HTMLResponse)
@router.post("/logs", response_class=HTMLResponse)
def form_without_script(request: Request):
    """The upload and log forms are sent by the pages' scripts (the key goes in a request
    header). Where the scripts do not run, the browser sends the form itself: by POST, so the
    key is never put into the address (history, server logs), and answered here, unread,
    with what to do instead of a JSON 405."""
    return templates.TemplateResponse(request, "notfound.html", {"json_url": None, "message": NO_SCRIPT,
                                                                 "page_title": "需要脚本"}, status_code=400)


def _render(request: Request, name: str, json_url: str | None, status_code: int = 200, **context) -> HTMLResponse:
    """The page, or the key form (401) in its place while the pages are locked; `status_code`
    as the API would answer the same request (422 for a value it refuses, …)."""
    if _locked(request):
        return _key_form(request)
    return templates.TemplateResponse(request, name, {"json_url": json_url, **context}, status_code=status_code)


def _unknown(what: str, value: str, names: dict[str, str]) -> str:
    """A filter value the API would refuse, said with the values it takes and their Chinese names."""
    return f"{what} {value[:40]} 无法识别：只能是 {'、'.join(f'{k}（{v}）' for k, v in names.items())}"


def _names(request: Request) -> dict:
    tasks, risks = request.app.state.service.label_names()
    return {"task_names": tasks, "risk_names": risks}


SORT_NAMES = {"relevance": "按相关度", "date": "按日期"}


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: str = "", kind: str = "", sort: str = "relevance", page: str = "1"):
    if _locked(request):
        return _key_form(request)
    svc = request.app.state.service
    results, error = None, None
    kind = kind.strip()
    # a kind or order GET /api/search would refuse is refused here too (422), not silently dropped
    refused = [_unknown(what, value, names) for what, value, names in (("检索范围", kind, KIND_NAMES), ("排序", sort, SORT_NAMES))
               if value and value not in names]
    error = "；".join(refused) or None
    filters = {"kind": kind} if kind else {}
    # a hand-edited ?page=abc gives page 1, not a JSON validation error in the browser
    page = max(1, min(int(page) if page.strip().isdigit() else 1, MAX_PAGE))
    paging: dict = {"page": page, "last": 1}
    if (q.strip() or filters) and not error:
        try:
            results = svc.search(q, filters=filters, page=page, per_page=10, sort=sort)
            # the pager of the other lists; a page past the end shows the last one (the API pages up to MAX_PAGE)
            paging = _paging(str(page), min(results["total"], MAX_PAGE * 10), 10)
            if paging["page"] != page:
                page = paging["page"]
                results = svc.search(q, filters=filters, page=page, per_page=10, sort=sort)
            paging["total"] = results["total"]
        except GongwenError as e:
            error = e.message
    json_url = "/api/search?" + urlencode({"q": q, **filters, "sort": sort, "page": page})
    overview = None if results is not None or error else svc.overview()
    return _render(request, "search.html", json_url, q=q, kind=kind, sort=sort, per_page=10,
                   results=results, error=error, kinds=list(KIND_NAMES.items()), kind_names=KIND_NAMES,
                   facet_names=FACET_NAMES, facet_fields=FACET_FIELDS, overview=overview,
                   page_url=_link("/", {"q": q, "kind": kind, "sort": sort}),
                   severity_names=SEVERITY_NAMES, status_code=422 if refused else 200, **paging, **_names(request))


FILTER_NAMES = {"issuer": "发文机关", "year": "年份", "type": "文种", "doc_number": "文号"}


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, issuer: str = "", year: str = "", type: str = "", doc_number: str = "",
                   page: str = "1"):
    if _locked(request):
        return _key_form(request)
    svc = request.app.state.service
    form = {"issuer": issuer, "year": year, "type": type, "doc_number": doc_number}
    # checked as GET /api/documents checks them (one model), a refusal in the form's own field names
    kept, filters, error = DocumentFilters.read(form, FILTER_NAMES)
    # a filter that cannot be read lists nothing and says why, with the API's status (422)
    values = {} if filters is None else {"issuer": filters.issuer, "year": filters.year, "doc_type": filters.type,
                                         "doc_number": filters.doc_number}
    paging = _paging(page, svc.store.count_documents(**values) if filters else 0)
    items = svc.store.list_documents(**values, limit=PER_PAGE, offset=paging["start"]) if filters else []
    json_url = _link("/api/documents", kept) + urlencode({"limit": PER_PAGE, "offset": paging["start"]})
    form = {k: kept.get(k, "") for k in form}  # as read: trimmed, a full-width year in digits
    return _render(request, "documents.html", json_url, items=items, form=form, error=error, filtered=bool(kept),
                   types=svc.store.document_types(), page_url=_link("/documents", kept),
                   status_code=422 if error else 200, **paging)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str):
    if _locked(request):
        return _key_form(request)
    d = request.app.state.service.document_detail(doc_id)
    if d is None:
        return not_found_page(request, "找不到该文件（可能已被删除）。")
    in_parts = [t for p in d["parts"] for t in p["tables"]]
    calendar_events = None
    if d["checklist"]:
        from nlp.checklist.export import ics_events, to_ics

        # the calendar link of a notice with no dated deadline says so before it is clicked
        calendar_events = ics_events(to_ics(d["checklist"]))
    return _render(request, "document.html", f"/api/documents/{doc_id}", id=doc_id, meta=d["metadata"],
                   calendar_events=calendar_events,
                   source=d["source"], parts=[_place_tables(p) for p in d["parts"]], checklist=d["checklist"],
                   loose_tables=[t for t in d["tables"] if t not in in_parts],
                   other_files=[f for f in d["files"] if not f["primary"]],
                   other_names=next((f["other_names"] for f in d["files"] if f["primary"]), []),
                   fields=META_FIELDS, part_names=PART_NAMES)


def _without_table_rows(text: str, tables: list[dict]) -> str:
    """A section's text less the rows of the tables shown beside it: readers write a
    table into the text as tab-separated lines, so the page would show it twice."""
    titles = {t["title"] for t in tables if t.get("title")}
    return "\n".join(line for line in text.splitlines() if "\t" not in line and line.strip() not in titles)


def _place_tables(part: dict) -> dict:
    """Each table goes under the section (or the preamble) whose own text holds it, so a
    notice reads in order; a table without offsets stays at the end of its part."""
    pending = [t for t in part["tables"] if t.get("start") is not None]
    part = {**part, "tables": [t for t in part["tables"] if t.get("start") is None], "preamble_tables": []}

    def own(start: int, end: int) -> list[dict]:
        mine = [t for t in pending if start <= t["start"] < end]
        for t in mine:
            pending.remove(t)
        return mine

    def visit(sec: dict) -> dict:
        own_end = sec["children"][0]["start"] if sec["children"] else sec["end"]
        tables = own(sec["start"], own_end)
        children = [visit(c) for c in sec["children"]]
        return {**sec, "children": children, "tables": tables,
                "text": _without_table_rows(sec["text"], tables) if tables else sec["text"]}

    first = part["sections"][0]["start"] if part["sections"] else part["end"]
    part["preamble_tables"] = own(part["start"], first)
    if part["preamble_tables"]:
        part["preamble"] = _without_table_rows(part["preamble"], part["preamble_tables"])
    part["sections"] = [visit(x) for x in part["sections"]]
    part["tables"] += pending
    if part["tables"] and not part["sections"]:
        part["text"] = _without_table_rows(part["text"], part["tables"])
    return part


PER_PAGE = 100  # rows on one /documents, /logs or /alerts page; a working federation has thousands of each


def _paging(page: str, total: int, per_page: int | None = None) -> dict:
    """Which rows one page of a list shows (`per_page`: PER_PAGE unless the page has its
    own). A hand-edited ?page=abc or one past the end shows a page that exists, not an error."""
    per_page = per_page or PER_PAGE
    last = max(1, -(-total // per_page))
    page_no = min(int(page) if page.strip().isdigit() and int(page) > 0 else 1, last)
    start = (page_no - 1) * per_page
    return {"page": page_no, "last": last, "start": start, "total": total,
            "first_row": start + 1, "last_row": min(start + per_page, total)}


def _link(path: str, filters: dict) -> str:
    """`path?` plus the filters in force, ready for `page=N` (the pager's links keep them)."""
    query = urlencode({k: v for k, v in filters.items() if v})
    return f"{path}?{query}&" if query else f"{path}?"


_DAY = TypeAdapter(IsoDate)
DATE_NAMES = {"date_from": "起始日期", "date_to": "截止日期"}


def _log_dates(given: dict[str, str]) -> tuple[dict[str, date], str | None, int]:
    """The /logs form's dates read as GET /api/logs reads them: (the dates, or the refusal in
    the form's words with the API's status: 422 a date it cannot read, 409 a reversed range)."""
    days, problems = {}, []
    for name, value in given.items():
        try:
            days[name] = _DAY.validate_python(value)
        except ValidationError as e:
            problems.append(f"{DATE_NAMES[name]}{describe(e.errors())[1][0]['problem']}")
    if problems:
        return {}, "；".join(problems), 422
    # the API's 409 words (api.schemas.reversed_range), with the form's names for the two dates
    reversed_ = reversed_range(days.get("date_from"), days.get("date_to"), (DATE_NAMES["date_from"], DATE_NAMES["date_to"]))
    if reversed_:
        return {}, reversed_, 409
    return days, None, 200


@router.get("/logs", response_class=HTMLResponse)
def logs_page(request: Request, tag: str | None = None, risk: str | None = None, region: str | None = None,
              date_from: str = "", date_to: str = "", added: str | None = None, page: str = "1"):
    if _locked(request):
        return _key_form(request)
    svc = request.app.state.service
    dates = {k: v.strip() for k, v in (("date_from", date_from), ("date_to", date_to)) if v.strip()}
    days, error, status = _log_dates(dates)
    try:  # a label typed into the address by its Chinese name reads as its id; an unknown one is refused
        tag, risk = label_id(tag, risks_only=False, what="任务类别"), label_id(risk, risks_only=True, what="风险")
    except UnknownLabel as e:
        error, status = "；".join(filter(None, [error, e.message])), 422
    filters = {"tag": tag or None, "risk": risk or None, "region": region or None, **dates}
    if error:  # nothing listed under dates that cannot be read: said why, with the API's status
        paging = _paging("1", 0)
        items = []
    else:
        found = {**filters, **days}
        paging = _paging(page, svc.store.count_logs(**found))
        items = svc.store.list_logs(**found, limit=PER_PAGE, offset=paging["start"])
    json_url = _link("/api/logs", filters) + urlencode({"limit": PER_PAGE, "offset": paging["start"]})
    # the log just sent from the form: a date after today was stored as given, and is said (as the API says it)
    just_added = svc.store.get_log(added) if added else None
    warnings = future_dates([just_added]) if just_added else []
    return _render(request, "logs.html", json_url, items=items, tag=tag, risk=risk, region=region, added=added,
                   warnings=warnings, just_added=just_added,
                   date_from=dates.get("date_from", ""), date_to=dates.get("date_to", ""), error=error,
                   today=date.today().isoformat(), page_url=_link("/logs", filters), status_code=status, **paging,
                   **_names(request))


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, status: str | None = None, page: str = "1"):
    if _locked(request):
        return _key_form(request)
    svc = request.app.state.service
    status = (status or "").strip() or None
    # a status GET /api/alerts would refuse is refused here too (422, nothing listed), not read as 全部
    error = None if status is None or status in STATUS_NAMES else _unknown("状态", status, STATUS_NAMES)
    paging = _paging(page, 0 if error else svc.store.count_alerts(status))
    items = [] if error else svc.list_alerts(status=status, limit=PER_PAGE, offset=paging["start"])
    json_url = _link("/api/alerts", {"status": status}) + urlencode({"limit": PER_PAGE, "offset": paging["start"]})
    return _render(request, "alerts.html", json_url, items=items, status=None if error else status, error=error,
                   status_names=STATUS_NAMES, severity_names=SEVERITY_NAMES, page_url=_link("/alerts", {"status": status}),
                   status_code=422 if error else 200, **paging, **_names(request))


_chart_lock = threading.Lock()


def _topic_report(request: Request) -> dict | None:
    return request.app.state.service.topics()  # kept by the service until the model or the logs change


@router.get("/topics", response_class=HTMLResponse)
def topics_page(request: Request):
    if _locked(request):
        return _key_form(request)
    data = _topic_report(request)
    from nlp.topics.charts import cjk_font, has_regions, has_trend

    font = cjk_font() is not None
    # only the charts there is something to draw in: logs without a date have no trend, and an
    # <img> of a chart that answers 404 shows the browser's broken-image mark
    charts = [name for name, ok in (("trend", has_trend), ("regions", has_regions))
              if font and data and data.get("n_logs") and ok(data)]
    from nlp.topics.report import unlisted_note

    return _render(request, "topics.html", "/api/topics", data=data, charts=charts, font=font,
                   unlisted=unlisted_note(data) if data else None, **_names(request))


@router.get("/topics/charts/{name}.png")
def topic_chart(request: Request, name: str):
    from fastapi.responses import Response

    if _locked(request):
        return Response(status_code=401)
    from nlp.topics.charts import png, regions_figure, trend_figure

    draw = {"trend": trend_figure, "regions": regions_figure}.get(name)
    data = _topic_report(request)
    if draw is None or not data or not data.get("n_logs"):
        return Response(status_code=404)
    try:
        with _chart_lock:  # pyplot keeps global state: one figure at a time across threads
            fig = draw(data)
            body = png(fig) if fig is not None else None
    except RuntimeError:  # no CJK font on this machine: the page says so instead of drawing boxes
        return Response(status_code=404)
    if body is None:
        return Response(status_code=404)
    return Response(body, media_type="image/png", headers={"Cache-Control": "no-cache"})


# Chinese one-liners for the API reference page (the OpenAPI summaries are generated from English function names)
ROUTE_NAMES = {
    ("get", "/api/health"): "运行状态：文件数、日志数、待处理预警数、检索引擎、标注模型",
    ("get", "/api/search"): "全文检索：命中片段（加亮）和分面计数",
    ("get", "/api/documents"): "已入库公文列表",
    ("post", "/api/documents"): "上传公文（multipart 字段 file）：解析、入库、提取任务清单、建索引",
    ("get", "/api/documents/{doc_id}"): "一篇公文：元数据、结构、任务清单",
    ("delete", "/api/documents/{doc_id}"): "删除一篇公文（连同章节、任务清单和索引）",
    ("get", "/api/documents/{doc_id}/checklist"): "任务清单：format=json|md|csv|ics",
    ("post", "/api/logs"): "保存蹲点日志（一个对象或列表）并自动标注、生成预警",
    ("get", "/api/logs"): "蹲点日志列表（可按任务类别、风险、地区、日期筛选）",
    ("get", "/api/alerts"): "风险预警列表（status=open|acknowledged；total 为全部条数，items 为这一页）",
    ("post", "/api/alerts/{alert_id}/ack"): "确认一条预警",
    ("get", "/api/topics"): "调研课题：话题、趋势、建议",
    ("get", "/api/topics/{topic_id}"): "一个话题的详情",
}
PARAM_PLACES = {"query": "查询参数", "path": "路径", "header": "请求头"}


@router.get("/apidocs", response_class=HTMLResponse)
def api_docs_page(request: Request):
    """The API reference rendered on the server, in Chinese (Swagger UI on /docs is
    interactive but English)."""
    if _locked(request):
        return _key_form(request)
    spec = request.app.openapi()
    routes = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {"name": p["name"], "place": PARAM_PLACES.get(p.get("in"), p.get("in")), "required": p.get("required", False),
                 "description": p.get("description") or ""}
                for p in op.get("parameters", []) if p["name"].lower() not in ("x-api-key", "authorization")
            ]
            body = ", ".join(op.get("requestBody", {}).get("content", {}).keys())
            writes = method != "get"
            routes.append({"method": method.upper(), "path": path, "params": params, "body": body, "writes": writes,
                           "summary": ROUTE_NAMES.get((method, path), op.get("summary", ""))})
    return _render(request, "apidocs.html", "/openapi.json", routes=routes)


# Swagger UI's own files, from the swagger-ui-bundle package: /docs works without
# internet (FastAPI's default page loads them from a CDN and stays blank offline)
DOCS_ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}
STATIC = Path(__file__).parent / "static"


def _swagger_dir() -> Path | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(swagger_ui_path)


@router.get("/docs", response_class=HTMLResponse)
def swagger_page(request: Request):
    if _locked(request):
        return _key_form(request)
    if _swagger_dir() is None:  # the package is missing: the server-rendered reference still works
        return api_docs_page(request)
    return templates.TemplateResponse(request, "swagger.html", {})


@router.get("/docs-assets/{name}")
def swagger_asset(name: str):
    if name == "swagger-init.js":
        return FileResponse(STATIC / name, media_type="text/javascript")
    folder = _swagger_dir()
    if name not in DOCS_ASSETS or folder is None:
        return HTMLResponse("", status_code=404)
    # the files change only with the package version: let the browser keep them for a day
    return FileResponse(folder / name, media_type=DOCS_ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})
