"""The real thing: `gongwen serve --demo` started as a process with uvicorn,
talked to over HTTP, and its pages rendered by a real headless Chromium."""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from backends import fresh_db_env
from browser import HTTP_TIMEOUT, Browser, render
from servers import serving

# starts a real `gongwen serve`. The demo's load and the HTTP tests run on SQLite and on
# PostgreSQL (`db`); the real-browser tests on SQLite only: what a page shows comes through the
# same store calls the `db` tests of the web pages (test_web_*.py) run on both backends, and the
# scripts a browser runs do not know the backend, so a second browser pass bought nothing but
# a minute of the CI budget.
pytestmark = [pytest.mark.server]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    with serving({"GONGWEN_DATA": str(data), "GONGWEN_API_KEY": "served-key", **fresh_db_env()}, "--demo", seconds=240) as (base, _, _):
        yield base


@pytest.mark.db
def test_demo_serves_the_sample_corpus_over_http(server):
    health = httpx.get(server + "/api/health", timeout=HTTP_TIMEOUT).json()
    assert health["documents"] >= 10 and health["logs"] > 0
    docs = httpx.get(server + "/api/documents", params={"limit": 100}, timeout=HTTP_TIMEOUT).json()["items"]
    assert len(docs) >= 10
    r = httpx.get(server + "/api/search", params={"q": "工会", "per_page": 5}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.json()["total"] > 0


@pytest.mark.db
def test_concurrent_searches_and_a_write(server):
    queries = ["蹲点", "职工之家", "\"第一时间\"", "新业态", "工资 OR 欠薪", "type:通知"] * 5
    with ThreadPoolExecutor(max_workers=6) as pool:
        write = pool.submit(httpx.post, server + "/api/logs", json={"text": "走访企业，宣传工会法，发展会员5人。"},
                            headers={"X-API-Key": "served-key"}, timeout=30)
        codes = list(pool.map(lambda q: httpx.get(server + "/api/search", params={"q": q}, timeout=30).status_code, queries))
        assert write.result().status_code == 201
    assert codes == [200] * len(queries)
    r = httpx.get(server + "/api/search", params={"q": '"未闭合'}, timeout=HTTP_TIMEOUT)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_query"


def test_pages_in_a_real_browser(server, tmp_path):
    dom = render(server + "/?q=%E8%B9%B2%E7%82%B9", tmp_path)  # q=蹲点
    assert "共" in dom and "条结果" in dom and "<mark>" in dom
    doc_id = httpx.get(server + "/api/documents", timeout=HTTP_TIMEOUT).json()["items"][0]["id"]
    dom = render(f"{server}/documents/{doc_id}", tmp_path)
    assert "全文" in dom and "JSON" in dom
    dom = render(server + "/alerts", tmp_path)
    assert "风险预警" in dom


def test_web_app_pages_in_a_real_browser(server, tmp_path):
    """What each page must show a person, in Chromium: the home page's counts, a
    notice's full text and tables, a log just saved at the top of the list, and the
    interactive API docs drawn from local files (the test browser has no internet)."""
    health = httpx.get(server + "/api/health", timeout=HTTP_TIMEOUT).json()
    dom = render(server + "/", tmp_path)
    assert f"<b>{health['documents']}</b><br>份公文" in dom and "最新公文" in dom and "待处理预警" in dom

    docs = httpx.get(server + "/api/documents", params={"limit": 100}, timeout=HTTP_TIMEOUT).json()["items"]
    with_table = next(d for d in (httpx.get(f"{server}/api/documents/{x['id']}", timeout=HTTP_TIMEOUT).json() for x in docs)
                      if any(p["tables"] for p in d["parts"]))
    dom = render(f"{server}/documents/{with_table['id']}", tmp_path)
    table = next(t for p in with_table["parts"] for t in p["tables"])
    assert 'class="doctable"' in dom and all(f"<td>{c}</td>" in dom for c in table["rows"][0] if c)
    section = next(s for p in with_table["parts"] for s in p["sections"] if len(s["text"].strip()) > 20)
    assert section["text"].strip().splitlines()[0] in dom

    r = httpx.post(server + "/api/logs", json={"text": "深夜走访物流园区，骑手反映平台单价又降了，准备集体停工。",
                                                "date": time.strftime("%Y-%m-%d")}, headers={"X-API-Key": "served-key"},
                   timeout=HTTP_TIMEOUT)
    assert r.status_code == 201
    dom = render(server + "/logs", tmp_path)
    assert 'type="date"' in dom
    first_row = dom.split("<tbody>", 1)[-1].split("骑手反映平台单价", 1)[0]
    assert first_row.count("<tr") <= 2  # header row, then the new log

    dom = render(server + "/docs", tmp_path)
    assert "opblock" in dom and "/api/search" in dom  # Swagger UI ran and drew the routes


def test_topics_page_in_a_real_browser(server, tmp_path):
    """Suggested research topics with their evidence and the two charts, drawn."""
    dom = render(server + "/topics", tmp_path)
    assert "建议的重点调研课题" in dom and "代表日志" in dom
    assert "·" not in dom.split("建议的重点调研课题", 1)[1].split("全部话题", 1)[0]  # subjects, not keyword lists
    for name in ("trend", "regions"):
        assert f'src="/topics/charts/{name}.png"' in dom
        r = httpx.get(f"{server}/topics/charts/{name}.png", timeout=60)
        assert r.status_code == 200 and r.content[:4] == b"\x89PNG"


def test_log_typed_into_the_form_is_listed_first_in_a_real_browser(server, tmp_path):
    """A person types a log into the form on /logs (its date field says today) and presses
    the button: the page that follows lists it first, and its alert shows that date."""
    browser = Browser(tmp_path)
    try:
        browser.open(server + "/logs")
        today = browser.js("document.getElementById('addlog').date.value")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", today)  # the form offers today's date
        text = "夜里走访工地，四十多名工人说包工头拖欠三个月工资，明早要去堵政府大门讨薪。"
        browser.js(f"""(() => {{ const f = document.getElementById('addlog');
            f.text.value = {text!r}; f.region.value = '江西省/九江市';
            f.key.value = 'served-key'; f.querySelector('button').click(); }})()""")
        browser.wait_for("location.search.includes('added=') && document.readyState === 'complete'", timeout=HTTP_TIMEOUT)
        first = browser.js("[...document.querySelectorAll('table tr')][1].innerText")
        assert text[:10] in first and today in first
        said = browser.js("document.getElementById('addlog-result').innerText")  # as `gongwen log add` says it
        assert "已保存并标注" in said and "生成预警 1 条" in said and "欠薪欠保" in said, said
        browser.open(server + "/alerts")
        row = browser.js(f"[...document.querySelectorAll('tr')].map(r => r.innerText).find(t => t.includes({text[:10]!r})) || ''")
        assert today in row and not re.search(r"[0-9a-f]{32}", row)
    finally:
        browser.close()


def test_what_the_api_said_of_a_log_from_the_form_is_shown_after_it_in_a_real_browser(server, tmp_path):
    """POST /api/logs answers with warnings besides the id (here: control characters pasted with
    the text, dropped before tagging). Before: the form went straight to /logs?added=ID and the
    answer's warnings were lost, so the person who typed the log never saw them. Now the page
    that follows says them (注意：…), once, and a plain log gets no such line."""
    browser = Browser(tmp_path)
    try:
        for text, warned in (("走访\x07园区\x1b[31m企业，了解职工\x0b诉求。", True), ("走访园区企业，了解职工诉求。", False)):
            browser.open(server + "/logs")
            browser.js(f"""(() => {{ const f = document.getElementById('addlog');
                f.text.value = {text!r}; f.key.value = 'served-key'; f.querySelector('button').click(); }})()""")
            browser.wait_for("location.search.includes('added=') && document.readyState === 'complete'", timeout=HTTP_TIMEOUT)
            notes = browser.js("[...document.querySelectorAll('p.warning')].filter(p => p.id !== 'readonly').map(p => p.innerText)")
            assert "已保存并标注" in browser.js("document.getElementById('addlog-result').innerText")
            if warned:
                assert len(notes) == 1 and notes[0].startswith("注意：") and "去掉了 3 个控制字符" in notes[0], notes
            else:
                assert notes == [], notes
    finally:
        browser.close()


def test_a_key_typed_once_is_remembered_by_a_real_browser_for_the_other_pages(server, tmp_path):
    """The key typed into /logs' form is kept by Chromium (the server's HttpOnly, SameSite=Strict
    cookie, set because the browser said the page was this site's: Sec-Fetch-Site/Origin), so
    /alerts says it is remembered and the next log goes in with the key box left empty. Before:
    every form asked for the key again."""
    browser = Browser(tmp_path)
    try:
        for n, key in enumerate(("served-key", "")):
            browser.open(server + "/logs")
            browser.js(f"""(() => {{ const f = document.getElementById('addlog');
                f.text.value = '第{n + 1}次走访园区企业，宣传工会法。'; f.key.value = {key!r}; f.querySelector('button').click(); }})()""")
            browser.wait_for("location.search.includes('added=') && document.readyState === 'complete'", timeout=HTTP_TIMEOUT)
            assert f"第{n + 1}次走访园区企业" in browser.js("[...document.querySelectorAll('table tr')][1].innerText")
            if not key:
                break
            browser.open(server + "/alerts")
            assert "已记住本浏览器输入过的密钥" in browser.js("document.body.innerText")
    finally:
        browser.close()


def test_acknowledging_an_alert_in_a_real_browser(server, tmp_path):
    """/alerts' 确认 button as a person uses it in Chromium: without the key the page says why
    and the alert stays open; with the key typed, the button gives way to 已确认, the API has
    the alert acknowledged, and the open list no longer holds it."""
    open_alerts = httpx.get(server + "/api/alerts", params={"status": "open", "limit": 1}, timeout=HTTP_TIMEOUT).json()
    assert open_alerts["total"] >= 1
    alert_id = open_alerts["items"][0]["id"]
    browser = Browser(tmp_path)
    try:
        browser.open(server + "/alerts?status=open")
        button = f"document.querySelector('button.ack[data-id=\"{alert_id}\"]')"
        assert browser.js(f"!!{button}")
        browser.js(f"{button}.click()")
        browser.wait_for("document.getElementById('ack-result').textContent.includes('确认失败')")
        assert "缺少或错误的 API 密钥" in browser.js("document.getElementById('ack-result').textContent")
        assert browser.js(f"!!{button}")  # still there for another try
        browser.js(f"{button}.closest('tr').id = 'acked-row'")  # to find the row once its button is gone
        browser.js(f"document.getElementById('ackkey').value = 'served-key'; {button}.click()")
        browser.wait_for(f"!{button}")
        status = browser.js("document.getElementById('acked-row').lastElementChild.innerText")
        assert "已确认" in status and "确认失败" not in status, status
        assert browser.js("document.getElementById('ack-result').textContent") == ""
        acked = httpx.get(server + "/api/alerts", params={"status": "acknowledged", "limit": 500}, timeout=HTTP_TIMEOUT).json()
        assert alert_id in [a["id"] for a in acked["items"]]
        after = httpx.get(server + "/api/alerts", params={"status": "open", "limit": 1}, timeout=HTTP_TIMEOUT).json()
        assert after["total"] == open_alerts["total"] - 1
    finally:
        browser.close()


def test_forms_sent_by_a_browser_running_no_scripts_keep_the_key_out_of_the_address(server, tmp_path):
    """Where the pages' scripts do not run (IE's compatibility mode, scripts turned off) the
    browser sends the upload and log forms itself. Before: by GET, so the typed key went into
    the address (/logs?text=…&key=…: history, server logs) and the page came back as if nothing
    happened; now by POST, answered with what to do instead."""
    browser = Browser(tmp_path)
    try:
        browser.call("Emulation.setScriptExecutionDisabled", value=True)
        notice = tmp_path / "通知.txt"
        notice.write_text("关于开展金秋助学活动的通知\n各基层工会：\n请于9月30日前报送名单。\n", encoding="utf-8")
        for page, form in (("/logs", "addlog"), ("/documents", "upload")):
            browser.open(server + page)
            if form == "upload":  # a file chosen, as a person would (the field is required)
                root = browser.call("DOM.getDocument")["root"]["nodeId"]
                node = browser.call("DOM.querySelector", nodeId=root, selector="#upload input[type=file]")["nodeId"]
                browser.call("DOM.setFileInputFiles", files=[str(notice)], nodeId=node)
            browser.js(f"""(() => {{ const f = document.getElementById('{form}');
                if (f.text) f.text.value = '走访企业，了解职工诉求。';
                f.key.value = 'served-key'; f.querySelector('button').click(); }})()""")
            browser.wait_for("document.title.includes('需要脚本') && document.readyState === 'complete'")
            assert "served-key" not in browser.js("location.href")
            assert "切换到浏览器的极速模式" in browser.js("document.body.innerText")
    finally:
        browser.close()


def test_a_key_too_long_for_a_cookie_is_said_on_the_key_form_in_a_real_browser(tmp_path):
    """With reads locked, the key form keeps the key in a cookie. Chromium drops a cookie whose
    name and value pass 4096 bytes without a word, so a key pasted with extra text (here 5,000
    characters) brought back the same form, not even saying the key was wrong. Now the form
    says the key is too long; a key just under the bound the form takes is kept and gets in."""
    longest = "k" * (4000 - len("gongwen_key"))  # api.web.COOKIE_BYTES: the longest key the form keeps
    env = {"GONGWEN_DATA": str(tmp_path / "data"), "GONGWEN_API_KEY": longest, "GONGWEN_READ_NEEDS_KEY": "1",
           **fresh_db_env()}
    with serving(env) as (base, _, _):
        browser = Browser(tmp_path)
        try:
            for typed, said in (("x" * 5000, "密钥太长（5,000 个字符），浏览器无法保存"), (longest, None)):
                browser.open(base + "/documents")
                assert "需要 API 密钥" in browser.js("document.body.innerText")
                browser.js(f"""(() => {{ window.formPage = true; const f = document.getElementById('keyform');
                    f.key.value = {typed!r}; f.querySelector('button').click(); }})()""")
                browser.wait_for("!window.formPage && document.readyState === 'complete'")  # the page that follows
                text = browser.js("document.body.innerText")
                if said:
                    assert said in text, text[:500]
                else:  # Chromium kept the cookie: the page itself, not the form again
                    assert "需要 API 密钥" not in text and "上传" in text, text[:500]
        finally:
            browser.close()
