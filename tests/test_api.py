"""The HTTP API through FastAPI's TestClient on a real store and index in a
temporary folder: upload → parse → checklist → search; logs → tags → alerts;
the error shape, keys and limits."""
from __future__ import annotations

import json

import pytest
from backends import fresh_db_url
from conftest import NOTICES
from fastapi.testclient import TestClient
from icalendar import Calendar

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "test-key"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir = tmp_path_factory.mktemp("api-data")
    s.db_url = fresh_db_url()
    s.api_key = "test-key"
    s.max_file_mb = 2
    with TestClient(create_app(s)) as c:
        yield c


def sample(ext: str):
    return sorted(p for p in NOTICES.glob(f"*{ext}"))[0]


@pytest.fixture(scope="module")
def uploaded(client):
    ids = {}
    for ext in (".txt", ".docx", ".pdf"):
        path = sample(ext)
        r = client.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=KEY)
        assert r.status_code == 201, r.text
        ids[ext] = r.json()
    return ids


def assert_error(r, status: int, code: str):
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"]["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"]), "message is for people: Chinese"


def test_upload_parses_stores_and_extracts(client, uploaded):
    for _ext, info in uploaded.items():
        assert info["created"] is True and info["title"]
        doc = client.get(f"/api/documents/{info['id']}").json()
        assert doc["metadata"]["title"] == info["title"]
        assert doc["parts"] and doc["parts"][0]["kind"] in ("notice", "body")
        assert doc["checklist"] is not None and len(doc["checklist"]["obligations"]) == info["obligations"]


def test_same_file_twice_is_one_document(client, uploaded):
    path = sample(".txt")
    before = client.get("/api/documents").json()["total"]
    r = client.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=KEY)
    assert r.status_code == 201 and r.json()["created"] is False
    assert r.json()["id"] == uploaded[".txt"]["id"]
    assert client.get("/api/documents").json()["total"] == before


def test_checklist_exports(client, uploaded):
    doc_id = uploaded[".txt"]["id"]
    js = client.get(f"/api/documents/{doc_id}/checklist").json()
    assert {"document", "obligations", "roster", "tables"} <= js.keys()
    md = client.get(f"/api/documents/{doc_id}/checklist?format=md")
    assert md.headers["content-type"].startswith("text/markdown") and "- [ ]" in md.text
    csv = client.get(f"/api/documents/{doc_id}/checklist?format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    ics = client.get(f"/api/documents/{doc_id}/checklist?format=ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    Calendar.from_ical(ics.content)  # valid iCalendar
    assert_error(client.get(f"/api/documents/{doc_id}/checklist?format=xls"), 422, "invalid_body")


def test_a_calendar_with_no_event_says_so(client):
    """A notice whose deadlines are all relative: its calendar is still a calendar (200), but it
    says why it is empty (its description), the answer counts its events (X-Calendar-Events: 0), and
    the notice's page says so beside the link. Before: 200 and an empty VCALENDAR, not a word.
    JSON, Markdown and CSV stay as they were."""
    relative = ("关于报送职工书屋台账的通知\n各基层工会：\n请各基层工会收到通知后7个工作日内报送书屋台账。\n"
                "某某区总工会\n2024年5月8日\n").encode()
    r = client.post("/api/documents", files={"file": ("书屋台账.txt", relative)}, headers=KEY)
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    ics = client.get(f"/api/documents/{doc_id}/checklist?format=ics")
    assert ics.status_code == 200 and ics.headers["x-calendar-events"] == "0"
    cal = Calendar.from_ical(ics.content)
    assert not cal.walk("VEVENT")
    assert "没有写明具体日期的时限" in str(cal["DESCRIPTION"]) and "没有写明具体日期的时限" in str(cal["X-WR-CALDESC"])
    assert "没有写明具体日期的时限" in client.get(f"/documents/{doc_id}").text
    for fmt in ("md", "csv"):
        answer = client.get(f"/api/documents/{doc_id}/checklist?format={fmt}")
        assert "x-calendar-events" not in answer.headers and "没有写明" not in answer.text
    assert "没有写明" not in json.dumps(client.get(f"/api/documents/{doc_id}/checklist").json(), ensure_ascii=False)

    dated = ("关于报送职工书屋情况的通知\n各基层工会：\n请各基层工会于6月28日前报送书屋情况。\n"
             "某某区总工会\n2024年5月8日\n").encode()
    r = client.post("/api/documents", files={"file": ("书屋情况.txt", dated)}, headers=KEY)
    assert r.status_code == 201, r.text
    ics = client.get(f"/api/documents/{r.json()['id']}/checklist?format=ics")
    assert ics.headers["x-calendar-events"] == "1" and "X-WR-CALDESC" not in ics.text
    assert "没有写明具体日期的时限" not in client.get(f"/documents/{r.json()['id']}").text


def test_search_finds_sections_with_highlights_and_facets(client, uploaded):
    doc = client.get(f"/api/documents/{uploaded['.txt']['id']}").json()
    title_word = doc["metadata"]["title"][-6:-2]
    r = client.get("/api/search", params={"q": title_word})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 1 and "<mark>" in "".join(h["snippet"] for h in body["hits"])
    assert "kind" in body["facets"] and body["facets"]["kind"]
    sections = client.get("/api/search", params={"q": title_word, "kind": "section"}).json()
    assert all(h["kind"] == "section" and h["path"] is not None for h in sections["hits"])


def test_malformed_query_is_a_clear_400(client):
    assert_error(client.get("/api/search", params={"q": '"蹲点 时间'}), 400, "bad_query")
    assert_error(client.get("/api/search", params={"q": "AND"}), 400, "bad_query")
    assert_error(client.get("/api/search", params={"q": "colour:红"}), 400, "bad_query")


def test_logs_are_tagged_and_serious_risks_raise_alerts(client):
    logs = [
        {"id": "api-1", "text": "走访园区企业，工人反映老板已经拖欠工资三个月，十几个人准备明天去政府上访。", "region": "示例县", "date": "2025-05-06"},
        {"id": "api-2", "text": "经核查，该企业未发现拖欠工资情况，工资均按时足额发放。", "region": "示例县", "date": "2025-05-07"},
    ]
    r = client.post("/api/logs", json=logs, headers=KEY)
    assert r.status_code == 201, r.text
    items = {i["id"]: i for i in r.json()["items"]}
    risks = {x["id"] for x in items["api-1"]["risks"]}
    assert "wage_arrears" in risks
    ev = next(x for x in items["api-1"]["risks"] if x["id"] == "wage_arrears")["evidence"]
    assert logs[0]["text"][ev["start"]:ev["end"]] == ev["text"]
    assert items["api-2"]["risks"] == []
    alerts = client.get("/api/alerts", params={"status": "open"}).json()["items"]
    mine = [a for a in alerts if a["log_id"] == "api-1"]
    assert mine and all(a["severity"] in ("high", "critical") for a in mine)
    assert not [a for a in alerts if a["log_id"] == "api-2"]
    ack = client.post(f"/api/alerts/{mine[0]['id']}/ack", json={"by": "张三"}, headers=KEY)
    assert ack.status_code == 200 and ack.json()["status"] == "acknowledged"
    listed = client.get("/api/logs", params={"risk": "wage_arrears"}).json()["items"]
    assert "api-1" in {i["id"] for i in listed}


def test_alert_list_gives_the_count_of_every_matching_alert(client):
    """GET /api/alerts says how many alerts match (`total`) beside the page it returns
    (`items`), as GET /api/track/alerts does, so a client knows how far to page.
    Before, it gave the page only."""
    logs = [{"id": f"total-{i}", "text": "老板拖欠四十多个工人三个月工资，工人准备集体堵厂门讨薪。", "region": "计数县",
             "date": f"2025-06-0{i + 1}"} for i in range(3)]
    assert client.post("/api/logs", json=logs, headers=KEY).status_code == 201
    first = client.get("/api/alerts", params={"status": "open", "limit": 500}).json()["items"]
    assert len(first) >= 3
    client.post(f"/api/alerts/{first[0]['id']}/ack", headers=KEY)
    for status in ("open", "acknowledged", None):
        params = {"status": status} if status else {}
        every = [a["id"] for a in client.get("/api/alerts", params={**params, "limit": 500}).json()["items"]]
        paged, offset = [], 0
        while True:
            page = client.get("/api/alerts", params={**params, "limit": 2, "offset": offset}).json()
            assert page["total"] == len(every), (status, offset)
            if not page["items"]:
                break
            paged += [a["id"] for a in page["items"]]
            offset += 2
        assert paged == every and every, status
    op = client.get("/openapi.json").json()
    assert "total" in op["components"]["schemas"]["AlertList"]["required"]
    assert "total" in op["paths"]["/api/alerts"]["get"]["description"]


def test_writes_need_the_key(client):
    path = sample(".txt")
    assert_error(client.post("/api/documents", files={"file": (path.name, path.read_bytes())}), 401, "unauthorized")
    assert_error(client.post("/api/logs", json={"text": "测试"}, headers={"X-API-Key": "wrong"}), 401, "unauthorized")


def test_bad_uploads(client):
    assert_error(client.post("/api/documents", files={"file": ("a.xlsx", b"PK\x03\x04junk")}, headers=KEY), 415, "unsupported_format")
    big = b"\xe4\xb8\x80" * (1024 * 1024)  # 3 MB of text, over the 2 MB limit of this app
    assert_error(client.post("/api/documents", files={"file": ("big.txt", big)}, headers=KEY), 413, "file_too_large")
    assert_error(client.post("/api/documents", files={"file": ("broken.pdf", b"%PDF-1.4\n%broken")}, headers=KEY), 422, "corrupt")
    assert_error(client.post("/api/documents", files={"file": ("empty.txt", b"")}, headers=KEY), 422, "empty_file")


def test_invalid_bodies_are_422_with_json(client):
    r = client.post("/api/logs", content=b"{not json", headers={**KEY, "Content-Type": "application/json"})
    assert_error(r, 422, "invalid_body")
    assert_error(client.post("/api/logs", json={"text": "   "}, headers=KEY), 422, "invalid_body")
    assert_error(client.post("/api/logs", json={"id": "x"}, headers=KEY), 422, "invalid_body")
    assert_error(client.get("/api/documents/nope"), 404, "not_found")


def test_health_and_openapi(client, uploaded):
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["documents"] >= 3
    spec = client.get("/openapi.json").json()
    from openapi_spec_validator import validate

    validate(spec)
    assert "/api/search" in spec["paths"] and "/api/documents/{doc_id}/checklist" in spec["paths"]


def test_pages_render_in_chinese_with_json_twins(client, uploaded):
    page = client.get("/", params={"q": "工会"})
    assert page.status_code == 200 and "检索" in page.text and 'href="/api/search?' in page.text
    doc_id = uploaded[".txt"]["id"]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and "任务清单" in page.text and f"/api/documents/{doc_id}" in page.text
    for url in ("/documents", "/logs", "/alerts", "/topics"):
        assert client.get(url).status_code == 200
    assert json.loads(client.get("/api/documents").text)["total"] >= 3


def test_validation_messages_are_chinese_and_name_the_field(client):
    r = client.get("/api/search", params={"q": "工会", "page": 0})
    assert_error(r, 422, "invalid_body")
    assert "page" in r.json()["error"]["message"] and "应不小于 1" in r.json()["error"]["message"]
    r = client.post("/api/logs", json={"region": "示例县"}, headers=KEY)
    assert "text" in r.json()["error"]["message"] and "缺少必填字段" in r.json()["error"]["message"]
    assert "list[" not in r.json()["error"]["message"]  # one branch of "one object or a list", not both
    r = client.post("/api/logs", content=b"{oops", headers={**KEY, "Content-Type": "application/json"})
    assert "不是合法的 JSON" in r.json()["error"]["message"]


def test_filtered_totals_count_what_matched(client, uploaded):
    everything = client.get("/api/documents").json()["total"]
    one_year = client.get("/api/documents", params={"year": 1999}).json()
    assert one_year["total"] == 0 and one_year["items"] == [] and everything >= 3
    logs = client.get("/api/logs", params={"region": "没有这个地区"}).json()
    assert logs["total"] == 0


def test_search_response_has_the_documented_shape(client, uploaded):
    from api.schemas import SearchResponse

    body = client.get("/api/search", params={"q": "工会", "per_page": 3}).json()
    SearchResponse.model_validate(body)  # the route skips response validation for speed: check it here
    assert body["per_page"] == 3 and body["page"] == 1 and body["query"] == "工会"
