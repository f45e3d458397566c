"""QA: the web pages as a user reads them — Chinese labels, facet links that work
for values with brackets, no "联合发文" row for a notice with one issuer."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
from backends import fresh_db_url
from conftest import NOTICES
from fastapi.testclient import TestClient

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "qa-key"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir = tmp_path_factory.mktemp("qa-web")
    s.db_url = fresh_db_url()
    s.api_key = "qa-key"
    with TestClient(create_app(s)) as c:
        path = NOTICES / "2024_jiujiang_songqingliang_tongzhi.pdf"
        r = c.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=KEY)
        assert r.status_code in (200, 201), r.text
        c.doc_id = r.json()["id"]
        yield c


def facet_links(page: str) -> dict[str, str]:
    """link text → decoded query of every facet link on a search page."""
    block = page.split('<div class="facets">', 1)[1].split('<div class="hit">', 1)[0]
    return {unescape(text): unquote(unescape(href)) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)}


def test_kind_facet_is_chinese(client):
    page = client.get("/", params={"q": "送清凉"}).text
    links = facet_links(page)
    assert {"条款", "任务"} & set(links)
    assert not {"section", "obligation", "document"} & set(links)


def test_facet_link_with_brackets_finds_results(client):
    page = client.get("/", params={"q": "服务站点"}).text
    links = facet_links(page)
    bracketed = [t for t in links if "（" in t]
    assert bracketed, links
    query = links[bracketed[0]].split("q=", 1)[1].split("&")[0]
    r = client.get("/api/search", params={"q": query})
    assert r.status_code == 200, r.text
    assert r.json()["total"] > 0, query


def test_single_issuer_has_no_joint_issuer_row(client):
    page = client.get(f"/documents/{client.doc_id}").text
    assert "发文机关" in page
    assert "联合发文" not in page


def test_logs_filter_offers_label_names_and_filters_by_them(client):
    page = client.get("/logs").text
    assert '<select name="risk">' in page and '<select name="tag">' in page
    tasks, risks = client.app.state.service.label_names()
    rid, rname = next(iter(risks.items()))
    assert f'<option value="{rid}"' in page and rname in page


def test_alerts_page_shows_the_log_with_its_evidence(client):
    text = "几十个工人堵在厂门口讨要工资，老板已经三个月没发工资了。"
    r = client.post("/api/logs", json={"text": text, "region": "九江市", "date": "2024-06-01"}, headers=KEY)
    assert r.status_code in (200, 201), r.text
    alerts = client.get("/api/alerts", params={"status": "open"}).json()["items"]
    assert alerts, "a strike-and-wage log should raise an alert"
    page = client.get("/alerts?status=open").text
    assert "九江市" in page and "2024-06-01" in page
    assert "<mark>" in page
    assert 'class="ack"' in page
    assert "待处理" in page and "未确认" not in page  # the CLI's word for an open alert too
    assert alerts[0]["created_at"] not in page  # raw ISO timestamps are not what a cadre reads


def test_topics_page_links_labels_to_their_logs(client):
    page = client.get("/topics").text
    if "还没有课题模型" in page:
        pytest.fail("the shipped topic model (models/topics) should be found")
    assert "主要风险" in page and "主要地区" in page
    assert re.search(r'<a href="/\?q=[^"]+&amp;kind=log">', page) or re.search(r'<a href="/\?q=[^"]+&kind=log">', page)


def test_log_hits_show_where_not_a_copy_of_the_text(client):
    text = "走访修水县某鞋厂，职工反映工资按时发放，食堂伙食有改善。"
    r = client.post("/api/logs", json={"text": text, "region": "修水县", "unit": "某鞋厂"}, headers=KEY)
    assert r.status_code in (200, 201), r.text
    page = client.get("/", params={"q": "伙食", "kind": "log"}).text
    assert "修水县 · 某鞋厂" in page


@pytest.mark.parametrize("path", ["/", "/?q=送清凉", "/documents", "/logs", "/alerts", "/topics"])
def test_pages_need_the_key_when_reads_do(path, tmp_path):
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir = tmp_path
    s.db_url = fresh_db_url()
    s.api_key = "qa-key"
    s.read_needs_key = True
    with TestClient(create_app(s)) as c:
        assert c.get("/api/documents").status_code == 401  # the API already refused
        r = c.get(path)
        assert r.status_code == 401
        assert "需要 API 密钥" in r.text and "<table" not in r.text
        c.cookies.set("gongwen_key", "wrong")
        assert "密钥不正确" in c.get(path).text
        c.cookies.set("gongwen_key", "qa-key")
        assert c.get(path).status_code == 200


def test_api_reference_page_works_offline_and_lists_every_route(client):
    page = client.get("/apidocs").text
    assert "cdn." not in page  # /docs (Swagger UI) needs a CDN; this page must not
    spec = client.get("/openapi.json").json()
    for path in spec["paths"]:
        assert f"<code>{path}</code>" in page
    assert "全文检索" in page and 'href="/apidocs"' in page


def test_document_structure_reads_well(client, tmp_path):
    path = NOTICES / "2021_mianyang_bangfu_banfa.txt"
    r = client.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=KEY)
    assert r.status_code in (200, 201), r.text
    page = client.get(f"/documents/{r.json()['id']}").text
    assert "<b>第一章 总则</b>" in page  # number and title apart, as in the notice
    # the page carries the notice's text, each article's words right under its number
    assert re.search(r"<b>第一条</b>.*?</div>\s*<div class=\"fulltext\">为规范困难职工帮扶资金管理", page, re.S)
    assert "刚性" in page and "硬性" not in page  # the same word as the CLI and the Markdown checklist


def test_search_page_survives_a_hand_edited_page_number(client):
    r = client.get("/", params={"q": "送清凉", "page": "abc"})
    assert r.status_code == 200 and "<html" in r.text


def test_unknown_document_page_is_a_chinese_html_404(client):
    r = client.get("/documents/nope")
    assert r.status_code == 404 and "<html" in r.text and "找不到该文件" in r.text


def test_search_page_says_when_nothing_was_found(client):
    page = client.get("/", params={"q": "'; DROP TABLE documents; --"}).text
    assert "没有找到结果" in page and "以下结果包含其中部分词语" not in page


def _part_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_document_page_shows_text_tables_and_labelled_attachments(client):
    docs = {}
    for name in ("2024_pingxiang_changgai_diaodu.docx", "2023_ganzhou_dundian_fangan.docx"):
        path = NOTICES / name
        r = client.post("/api/documents", files={"file": (path.name, path.read_bytes())}, headers=KEY)
        assert r.status_code in (200, 201), r.text
        docs[name] = client.get(f"/api/documents/{r.json()['id']}").json() | {"page": client.get(f"/documents/{r.json()['id']}").text}
    d = docs["2024_pingxiang_changgai_diaodu.docx"]
    tables = [t for p in d["parts"] for t in p["tables"]]
    assert tables, "the notice has a task table"
    assert all(t in d["tables"] for t in tables), "the page's JSON lists every table the page shows"
    page = d["page"]
    for t in tables:
        for row in t["rows"]:
            cells = "".join(f"<td>{c}</td>" for c in row)
            assert cells in page  # each row once, as a table row …
            assert page.count("\t".join(row)) == 0  # … and not again as tab-joined text
    body_text = [s["text"].strip() for p in d["parts"] for s in p["sections"] if "\t" not in s["text"]]
    assert any(t and t.splitlines()[0] in _part_text(page) for t in body_text)
    g = docs["2023_ganzhou_dundian_fangan.docx"]
    attachments = [p for p in g["parts"] if p["kind"] == "attachment"]
    assert attachments
    for a in attachments:
        assert f"{a['label']}：{a['title']}" in unescape(g["page"])
    assert "附件 附件" not in g["page"]


def test_home_page_shows_counts_recent_notices_and_open_alerts(client):
    client.post("/api/logs", json={"text": "工地老板拖欠工人工资三个月，工人说明天要去堵门讨薪。", "date": "2025-05-02"},
                headers=KEY)
    health = client.get("/api/health").json()
    page = client.get("/").text
    stats = re.findall(r"<b>(\d+)</b><br>([^<]+)</a>", page)
    assert (str(health["documents"]), "份公文") in stats and (str(health["open_alerts"]), "条待处理预警") in stats
    latest = client.get("/api/documents").json()["items"][0]
    assert 'href="/documents/' + latest["id"] + '"' in page
    assert "待处理预警" in page and "2025-05-02" in page


def test_a_log_from_the_form_is_listed_first_and_alerts_show_dates_not_ids(client):
    from datetime import date

    page = client.get("/logs").text
    today = date.today().isoformat()
    assert f'type="date" name="date" value="{today}"' in page  # the form dates a log today unless changed
    client.post("/api/logs", json={"text": "走访企业，宣传工会法。", "date": "2024-03-01"}, headers=KEY)
    r = client.post("/api/logs", json={"text": "老板跑路了，四十多个工人两个月工资没拿到，明天准备去堵政府大门。",
                                        "date": today}, headers=KEY)  # what the form sends
    assert r.status_code == 201
    page = client.get("/logs").text
    first_row = page.split("<th>风险</th></tr>", 1)[1].split("</tr>", 1)[0]
    assert "老板跑路了" in first_row
    # a log stored through the API without a date: its alert shows when it came, not its id
    r = client.post("/api/logs", json={"text": "厂里欠了工人三个月工资，几十个人围在厂门口讨薪。"}, headers=KEY)
    log_id = r.json()["items"][0]["id"]
    alerts = client.get("/alerts").text
    for needle in ("老板跑路了", "围在厂门口"):
        # the row as a reader sees it: the evidence inside the log text is wrapped in <mark>
        row = next(x for x in alerts.split("<tr>") if needle in re.sub(r"<[^>]+>", "", x))
        assert log_id not in row and re.search(r"\d{4}-\d{2}-\d{2}", row)


def test_document_list_keeps_short_columns_on_one_line(client):
    page = client.get("/documents").text
    assert re.search(r'<td class="nowrap">[^<]*</td></tr>', page)  # the 文种 cell


def test_topics_page_shows_suggestions_with_evidence_and_charts(client):
    client.post("/api/logs", json=[{"text": "外卖骑手在配送站点说平台算法压单，送餐超时罚款，没有职业伤害保障。",
                                    "date": f"2025-0{m}-10", "region": "江西省/九江市"} for m in range(1, 7)], headers=KEY)
    page = client.get("/topics").text
    assert "建议的重点调研课题" in page and "代表日志" in page and "趋势" in page
    for name in ("trend", "regions"):
        assert f'src="/topics/charts/{name}.png"' in page
        r = client.get(f"/topics/charts/{name}.png")
        assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    assert client.get("/topics/charts/nothing.png").status_code == 404


def test_logs_and_alerts_pages_page_through_every_row_keeping_the_filter(client, monkeypatch):
    """/logs and /alerts show PER_PAGE rows a page with 上一页/下一页 links that keep the
    filter; every row is on exactly one page, and each page's JSON link names the same rows.
    Before, /logs stopped at 200 rows and /alerts at 500, with no way to the others."""
    import api.web as web

    texts = [f"分页第{i}号：老板拖欠四十多个工人三个月工资，工人准备集体堵厂门讨薪。" for i in range(5)]
    r = client.post("/api/logs", json=[{"text": t, "region": "分页测试区", "date": "2024-07-0" + str(i + 1)}
                                       for i, t in enumerate(texts)], headers=KEY)
    assert r.status_code == 201, r.text
    open_ids = {a["id"] for a in client.get("/api/alerts", params={"status": "open", "limit": 500}).json()["items"]}
    assert len(open_ids) > 2
    monkeypatch.setattr(web, "PER_PAGE", 2, raising=False)

    def walk(path: str, params: dict, row: str, api_row) -> list[str]:
        shown, page = [], 1
        while True:
            html = client.get(path, params={**params, "page": page}).text
            rows = re.findall(row, html)
            assert 1 <= len(rows) <= 2, (path, page)
            json_url = unescape(re.search(r'<a class="json" href="([^"]+)"', html).group(1))
            assert [api_row(x) for x in client.get(json_url).json()["items"]] == rows, json_url
            shown += rows
            nxt = re.search(r'<a href="([^"]+)">下一页', html)
            if not nxt:
                break
            assert all(f"{k}={v}" in unquote(unescape(nxt.group(1))) for k, v in params.items())  # filter kept
            page += 1
        assert page > 1 and "上一页" in html
        first = client.get(path, params={**params, "page": "abc"}).text  # hand-edited: page 1
        assert re.findall(row, first) == shown[:2] and "下一页" in first
        return shown

    logs = walk("/logs", {"region": "分页测试区"}, r"<td>分页测试区</td><td>(分页第\d号)",
                lambda x: x["text"][:5])
    assert sorted(logs) == sorted(t[:5] for t in texts)
    alerts = walk("/alerts", {"status": "open"}, r'<button class="ack" data-id="(\d+)"', lambda x: str(x["id"]))
    assert sorted(alerts) == sorted(str(i) for i in open_ids)
    assert f"共 {len(open_ids)} 项" in client.get("/alerts", params={"status": "open"}).text


def test_documents_page_pages_through_every_notice(client, monkeypatch):
    """/documents shows PER_PAGE notices a page with 上一页/下一页 links and 第 a–b 项，共 N 项;
    every notice is on exactly one page, each page's JSON link names the same notices, and a
    hand-edited ?page=abc shows page 1, one past the end the last page. Before, the page
    stopped at the newest 500 notices with no way to the others."""
    import api.web as web

    for i in range(4):  # small notices: the fixture's few real ones and these make several pages
        text = f"关于开展分页测试第{i}号活动的通知\n\n各基层工会：\n\n请于2024年8月{i + 1}日前报送活动总结。\n\n市总工会\n2024年7月1日\n"
        r = client.post("/api/documents", files={"file": (f"paging{i}.txt", text.encode())}, headers=KEY)
        assert r.status_code == 201, r.text
    every = client.get("/api/documents", params={"limit": 500}).json()
    assert every["total"] == len(every["items"]) >= 5
    monkeypatch.setattr(web, "PER_PAGE", 2, raising=False)
    last = -(-every["total"] // 2)

    def rows(html: str) -> list[str]:
        return re.findall(r'<tr><td><a href="/documents/([^"]+)">', html)

    shown, url, page = [], "/documents", 1
    while True:
        html = client.get(url).text
        on_page = rows(html)
        assert 1 <= len(on_page) <= 2, (url, on_page)
        assert f"第 {len(shown) + 1}–{len(shown) + len(on_page)} 项，共 {every['total']} 项（第 {page} / {last} 页）" in html
        json_url = unescape(re.search(r'<a class="json" href="([^"]+)"', html).group(1))
        assert [d["id"] for d in client.get(json_url).json()["items"]] == on_page, json_url
        shown += on_page
        nxt = re.search(r'<a href="([^"]+)">下一页', html)
        if not nxt:
            break
        url, page = unescape(nxt.group(1)), page + 1
    assert page == last and "上一页" in html
    assert shown == [d["id"] for d in every["items"]]  # each once, newest first
    assert rows(client.get("/documents", params={"page": "abc"}).text) == shown[:2]
    assert rows(client.get("/documents", params={"page": last + 5}).text) == on_page
