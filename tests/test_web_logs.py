"""The /logs page's date range as GET /api/logs has it (and /alerts' status as /api/alerts'):
the same logs for the same dates, the dates kept in the pager and JSON links, and values
neither can use refused with the API's status and a Chinese reason."""
from __future__ import annotations

import re
from html import unescape

import pytest
from apps import store_client

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "logs-key"}
LOGS = [("2024-05-10", "五月走访园区企业，宣传工会法。"), ("2024-06-20", "六月走访物流站点，了解骑手入会情况。"),
        ("2024-06-25", "六月下旬回访物流站点，骑手入会八人。"), (None, "未写日期的走访记录，了解职工诉求。")]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with store_client(tmp_path_factory, "web-logs", "logs-key") as c:
        r = c.post("/api/logs", json=[{"id": f"L{i}", "text": text, **({"date": day} if day else {})}
                                      for i, (day, text) in enumerate(LOGS)], headers=KEY)
        assert r.status_code == 201, r.text
        yield c


def shown(html: str) -> list[str]:
    """The logs a page lists, by their ids (each row's text is its log's)."""
    return [f"L{i}" for i, (_, text) in enumerate(LOGS) if f"<td>{text}</td>" in html]


def json_link(html: str) -> str:
    return unescape(re.search(r'<a class="json" href="([^"]+)"', html).group(1))


@pytest.mark.parametrize("query, ids", [
    ({"date_from": "2024-06-01"}, ["L1", "L2"]),
    ({"date_to": "2024-05-31"}, ["L0"]),
    ({"date_from": "2024-06-20", "date_to": "2024-06-20"}, ["L1"]),
    ({"date_from": "2024-01-01", "date_to": "2024-12-31"}, ["L0", "L1", "L2"]),
])
def test_logs_page_lists_what_the_api_lists_for_the_same_dates(client, query, ids):
    """Before: /logs had no date fields and ignored ?date_from= (every log listed)."""
    r = client.get("/logs", params=query)
    assert r.status_code == 200 and sorted(shown(r.text)) == ids, query
    for name, value in query.items():
        assert f'name="{name}" value="{value}"' in r.text
    api = client.get(json_link(r.text))
    assert api.status_code == 200 and sorted(x["id"] for x in api.json()["items"]) == ids, json_link(r.text)


def test_the_pager_keeps_the_dates(client, monkeypatch):
    import api.web as web

    monkeypatch.setattr(web, "PER_PAGE", 1)
    first = client.get("/logs", params={"date_from": "2024-06-01"}).text
    nxt = unescape(re.search(r'<a href="([^"]+)">下一页', first).group(1))
    assert "date_from=2024-06-01" in nxt
    assert sorted(shown(first) + shown(client.get(nxt).text)) == ["L1", "L2"]


@pytest.mark.parametrize("query, status, said, code", [
    ({"date_from": "2024-13-01"}, 422, "起始日期应为日期 YYYY-MM-DD", "invalid_body"),
    ({"date_to": "6月1日"}, 422, "截止日期应为日期 YYYY-MM-DD", "invalid_body"),
    ({"date_from": "2024-06-30", "date_to": "2024-06-01"}, 409, "起始日期 2024-06-30 晚于 截止日期 2024-06-01",
     "date_range_reversed"),
])
def test_dates_that_cannot_be_used_are_refused_on_the_page_and_in_json(client, query, status, said, code):
    r = client.get("/logs", params=query)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert f"筛选条件有误：{said}" in r.text and shown(r.text) == []
    api = client.get(json_link(r.text))
    assert api.status_code == status and api.json()["error"]["code"] == code


def test_a_reversed_range_is_said_in_the_api_s_words(client):
    """The page says GET /api/logs' 409 message, its two dates called by the form's names.
    Before: its own wording (起始日期晚于截止日期，不会有任何结果；是否写反了？) without the dates."""
    query = {"date_from": "2024-06-30", "date_to": "2024-06-01"}
    r = client.get("/logs", params=query)
    api = client.get("/api/logs", params=query).json()["error"]["message"]
    assert api.startswith("date_from 2024-06-30 晚于 date_to 2024-06-01，")
    said = api.replace("date_from", "起始日期").replace("date_to", "截止日期")
    assert r.status_code == 409 and f"筛选条件有误：{said}" in r.text


@pytest.mark.parametrize("status", ["closed", "OPEN", "待处理"])
def test_an_alert_status_the_api_refuses_is_refused_on_the_page(client, status):
    """Before: /alerts?status=closed listed every alert as 全部, while its JSON link and
    GET /api/alerts?status=closed said 422."""
    r = client.get("/alerts", params={"status": status})
    assert r.status_code == 422 and f"状态 {status} 无法识别：只能是 open（待处理）、acknowledged（已确认）" in r.text
    assert 'class="ack"' not in r.text
    api = client.get(json_link(r.text))
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_body"
    for good in ("open", ""):
        assert client.get("/alerts", params={"status": good}).status_code == 200


def test_a_label_the_api_refuses_is_refused_on_the_page(client):
    """Before: /logs?risk=foo listed nothing and said nothing, as GET /api/logs did (200, no
    items). Now both say 422 with the labels there are; a label typed by its Chinese name is
    read as its id (the form's select shows it chosen)."""
    for params, said in (({"risk": "foo"}, "风险 foo 不是风险信号"), ({"tag": "读书"}, "任务类别 读书 不是任务类别或风险信号")):
        r = client.get("/logs", params=params)
        assert r.status_code == 422 and f"筛选条件有误：{said}" in r.text and "欠薪欠保（wage_arrears）" in r.text
        assert shown(r.text) == []
        api = client.get(json_link(r.text))
        assert api.status_code == 422 and api.json()["error"]["code"] == "unknown_label"
    r = client.get("/logs", params={"risk": "欠薪欠保"})
    assert r.status_code == 200 and '<option value="wage_arrears" selected>' in r.text
    assert client.get(json_link(r.text)).status_code == 200
