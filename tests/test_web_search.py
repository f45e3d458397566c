"""The search page pages through its hits as the other lists do: 上一页 and 下一页 keeping
the query, kind and order, where it is among them, and a page past the end showing the last."""
from __future__ import annotations

import re
from html import unescape

import pytest
from apps import store_client

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with store_client(tmp_path_factory, "web-search", "search-key") as c:
        logs = [{"id": f"S{i:02d}", "date": f"2024-05-{i + 1:02d}", "text": f"第{i}次走访园区企业，宣传工会法。"}
                for i in range(25)]
        assert c.post("/api/logs", json=logs, headers={"X-API-Key": "search-key"}).status_code == 201
        yield c


def hits(html: str) -> list[str]:
    return re.findall(r'<span class="meta">(S\d\d)</span>', html)


def json_link(html: str) -> str:
    return unescape(re.search(r'<a class="json" href="([^"]+)"', html).group(1))


def test_search_page_pages_both_ways_and_keeps_the_query(client):
    """Before: only 下一页, no way back but the browser's, and no word of where one was."""
    params = {"q": "走访", "kind": "log", "sort": "date"}
    shown, url, page = [], "/?" + "&".join(f"{k}={v}" for k, v in params.items()), 1
    while True:
        html = client.get(url).text
        on_page = hits(html)
        assert f"（第 {page} / 3 页）" in html and f"第 {len(shown) + 1}–{len(shown) + len(on_page)} 项，共 25 项" in html
        api = client.get(json_link(html)).json()
        assert [h["id"] for h in api["hits"]] == on_page
        if page > 1:
            back = unescape(re.search(r'<a href="([^"]+)">« 上一页', html).group(1))
            assert hits(client.get(back).text) == shown[-10:]
        shown += on_page
        nxt = re.search(r'<a href="([^"]+)">下一页', html)
        if not nxt:
            break
        url, page = unescape(nxt.group(1)), page + 1
        assert "kind=log" in url and "sort=date" in url
    assert page == 3 and sorted(shown) == [f"S{i:02d}" for i in range(25)]
    assert shown[:3] == ["S24", "S23", "S22"]  # by date, newest first, kept across pages


def test_a_search_page_past_the_end_shows_the_last_one(client):
    """Before: ?page=9 said 共 25 条结果 and showed none, with no link back."""
    html = client.get("/", params={"q": "走访", "kind": "log", "sort": "date", "page": "9"}).text
    assert hits(html) == [f"S0{i}" for i in range(4, -1, -1)] and "（第 3 / 3 页）" in html
    assert [h["id"] for h in client.get(json_link(html)).json()["hits"]] == hits(html)


@pytest.mark.parametrize("params, said", [
    ({"q": "走访", "kind": "logs"}, "检索范围 logs 无法识别：只能是 document（文件）"),
    ({"q": "走访", "sort": "newest"}, "排序 newest 无法识别：只能是 relevance（按相关度）、date（按日期）"),
    ({"kind": "日志"}, "检索范围 日志 无法识别"),
])
def test_a_kind_or_order_the_api_refuses_is_refused_on_the_page(client, params, said):
    """Before: ?kind=logs searched every kind and ?sort=newest by relevance, without a word,
    while the page's JSON link said 422."""
    r = client.get("/", params=params)
    assert r.status_code == 422 and said in r.text and hits(r.text) == []
    api = client.get(json_link(r.text))
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_body"
