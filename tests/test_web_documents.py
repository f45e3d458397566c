"""The /documents page as a person filters it: by 发文机关, 年份, 文种 and 文号, the same
notices as GET /api/documents with the same filters, the values kept in the pager and JSON
links, and a value neither can read refused with the API's status and a Chinese reason."""
from __future__ import annotations

import re
import unicodedata
from html import unescape

import pytest
from apps import store_client
from backends import fresh_db_url
from fastapi.testclient import TestClient
from filter_notices import store_notices

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "docs-key"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with store_client(tmp_path_factory, "web-documents", "docs-key") as c:
        c.ids = store_notices(c, KEY)
        yield c


def rows(html: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/documents/([^"]+)">', html)


def json_link(html: str) -> str:
    return unescape(re.search(r'<a class="json" href="([^"]+)"', html).group(1))


@pytest.mark.parametrize("query, numbers", [
    ({"issuer": "九江"}, ["九工发〔2024〕15号", "九工发〔2023〕5号"]),
    ({"year": "2024"}, ["九工发〔2024〕15号", "吉工字〔2024〕12号"]),
    ({"type": "意见"}, ["吉工字〔2024〕12号"]),
    ({"issuer": "九江", "year": "2023"}, ["九工发〔2023〕5号"]),
    # the bracket around the year as typed on any keyboard; 5号 is not 15号
    ({"doc_number": "九工发[2024]15号"}, ["九工发〔2024〕15号"]),
    ({"doc_number": "九工发（2024）15号"}, ["九工发〔2024〕15号"]),
    ({"doc_number": "九工发〔2024〕5号"}, []),
    ({"doc_number": "工发"}, ["九工发〔2024〕15号", "九工发〔2023〕5号"]),
    ({"doc_number": "100%"}, []),
    ({"year": "２０２４", "type": "通知"}, ["九工发〔2024〕15号"]),  # full-width digits, an input method's default
])
def test_documents_page_lists_what_the_api_lists_for_the_same_filters(client, query, numbers):
    """Before: /documents took no filter at all (?issuer=九江 listed every notice) and the API
    had no 文号 filter."""
    r = client.get("/documents", params=query)
    assert r.status_code == 200, r.text
    assert rows(r.text) == [client.ids[n] for n in numbers], query
    assert f"文件（{len(numbers)}）" in r.text
    for name, value in query.items():  # the form shows what was asked (a year in digits)
        if name != "type":
            shown = unicodedata.normalize("NFKC", value) if name == "year" else value
            assert f'name="{name}" value="{shown}"' in r.text
    if "type" in query:
        assert f'<option value="{query["type"]}" selected>' in r.text
    api = client.get(json_link(r.text))
    assert api.status_code == 200 and [d["id"] for d in api.json()["items"]] == rows(r.text), json_link(r.text)
    if not numbers:
        assert "没有符合筛选条件的文件" in r.text


def test_the_pager_keeps_the_filters(client, monkeypatch):
    import api.web as web

    monkeypatch.setattr(web, "PER_PAGE", 1)
    first = client.get("/documents", params={"issuer": "九江"}).text
    assert rows(first) == [client.ids["九工发〔2024〕15号"]] and "共 2 项" in first
    nxt = unescape(re.search(r'<a href="([^"]+)">下一页', first).group(1))
    second = client.get(nxt).text
    assert rows(second) == [client.ids["九工发〔2023〕5号"]], nxt
    assert "下一页" not in second and "上一页" in second
    assert [d["id"] for d in client.get(json_link(second)).json()["items"]] == rows(second)


@pytest.mark.parametrize("query, said, api_said", [
    ({"year": "abc", "issuer": "九江"}, "年份应为整数", "year：应为整数"),
    ({"year": "1800"}, "年份应不小于 1949", "year：应不小于 1949"),
    ({"doc_number": "工" * 129}, "文号太长（最多 128 个字符）", "doc_number：太长（最多 128 个字符）"),
    ({"issuer": "总" * 257}, "发文机关太长（最多 256 个字符）", "issuer：太长（最多 256 个字符）"),
])
def test_a_filter_that_cannot_be_read_is_refused_on_the_page_and_in_json(client, query, said, api_said):
    """The page says in Chinese which field is wrong and lists nothing (422, as the API); its
    JSON link gets the API's 422 JSON error for the same values."""
    r = client.get("/documents", params=query)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert f"筛选条件有误：{said}" in r.text and rows(r.text) == []
    api = client.get(json_link(r.text))
    assert api.status_code == 422 and api.json()["error"]["code"] == "invalid_body"
    assert api_said in api.json()["error"]["message"]


def test_the_type_choices_are_the_stored_types_with_counts(client):
    page = client.get("/documents").text
    assert '<option value="通知">通知（2）</option>' in page and '<option value="意见">意见（1）</option>' in page


SAME = "关于开展金秋助学活动的通知\n各基层工会：\n请于9月30日前报送困难职工子女名单。\n市总工会\n2024年8月1日\n".encode()


def test_the_same_file_under_a_second_name_keeps_that_name(client):
    """The same bytes uploaded again as 金秋助学（转发）.txt: still one notice (nothing stored
    twice), and the second name is kept with its file, said in the answer and shown in its
    JSON and on its page. Before: the answer said nothing and the name was lost."""
    first = client.post("/api/documents", files={"file": ("金秋助学.txt", SAME)}, headers=KEY).json()
    total = client.get("/api/documents").json()["total"]
    again = client.post("/api/documents", files={"file": ("金秋助学（转发）.txt", SAME)}, headers=KEY)
    assert again.status_code == 201, again.text
    body = again.json()
    assert body["id"] == first["id"] and body["status"] == "unchanged" and not body["created"]
    assert "金秋助学（转发）.txt" in body["message"]
    assert client.get("/api/documents").json()["total"] == total
    files = client.get(f"/api/documents/{first['id']}").json()["files"]
    assert [(f["name"], f["other_names"]) for f in files] == [("金秋助学.txt", ["金秋助学（转发）.txt"])]
    assert "同一文件的其他文件名：金秋助学（转发）.txt" in client.get(f"/documents/{first['id']}").text
    # neither name again adds anything, nor says so
    for name in ("金秋助学.txt", "金秋助学（转发）.txt"):
        r = client.post("/api/documents", files={"file": (name, SAME)}, headers=KEY).json()
        assert r["status"] == "unchanged" and not r["message"], r
    assert client.get(f"/api/documents/{first['id']}").json()["files"][0]["other_names"] == ["金秋助学（转发）.txt"]
    # deleted, the names go with it: stored again, the file starts with the name it came with
    assert client.delete(f"/api/documents/{first['id']}", headers=KEY).status_code == 204
    r = client.post("/api/documents", files={"file": ("金秋助学（转发）.txt", SAME)}, headers=KEY).json()
    assert r["status"] == "ingested"
    files = client.get(f"/api/documents/{r['id']}").json()["files"]
    assert [(f["name"], f["other_names"]) for f in files] == [("金秋助学（转发）.txt", [])]
    client.delete(f"/api/documents/{r['id']}", headers=KEY)


def test_copies_in_a_folder_are_one_notice_with_every_name(settings, tmp_path):
    """A folder holding a notice and a renamed copy (下载 (1).txt): one document, both names."""
    from api.service import Gongwen

    folder = tmp_path / "收文"
    folder.mkdir()
    (folder / "金秋助学.txt").write_bytes(SAME)
    (folder / "下载 (1).txt").write_bytes(SAME)
    with Gongwen(settings) as app:
        summary = app.ingest_paths([folder])
        assert sorted(r.status for r in summary.results) == ["ingested", "unchanged"]
        doc_id = summary.results[0].document_id
        assert app.store.count_documents() == 1
        [f] = app.store.document_files(doc_id)
        assert sorted([f["name"], *f["other_names"]]) == ["下载 (1).txt", "金秋助学.txt"]


@pytest.mark.parametrize("typed", ["docs-key", "ｄｏｃｓ－ｋｅｙ", " docs-key\n"])
def test_the_key_form_takes_the_key_as_typed_in_full_width_or_pasted(tmp_path, typed):
    """With reads locked, the key form (POST /key) is how a browser gets in. Before: a key typed
    in a Chinese input method's full-width mode, or pasted with a space, was kept as it was and
    the page asked for the key again, now saying it was wrong."""
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key, s.read_needs_key = tmp_path, fresh_db_url(), "docs-key", True
    with TestClient(create_app(s)) as c:
        assert c.get("/documents").status_code == 401
        r = c.post("/key", data={"key": typed, "next": "/documents"})
        assert r.status_code == 200 and r.url.path == "/documents" and "上传文件" in r.text, r.text[:300]


@pytest.mark.parametrize("typed, size", [("x" * 5000, "5,000"), ("密" * 500, "500")])
def test_a_key_too_long_for_a_cookie_is_said_and_not_kept(tmp_path, typed, size):
    """A browser drops a cookie of more than 4096 bytes without a word (tests/test_server.py
    shows it in Chromium); 500 Chinese characters are 4,500 bytes percent-encoded. Before: a
    303 with that cookie, so the browser came back to the same form, not told why."""
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key, s.read_needs_key = tmp_path, fresh_db_url(), "docs-key", True
    with TestClient(create_app(s)) as c:
        r = c.post("/key", data={"key": typed, "next": "/documents?issuer=九江"}, follow_redirects=False)
        assert r.status_code == 400 and "set-cookie" not in r.headers
        assert f"密钥太长（{size} 个字符），浏览器无法保存" in r.text and "密钥不正确" not in r.text
        assert 'name="next" value="/documents?issuer=九江"' in r.text  # the way back is kept


@pytest.mark.parametrize("today", ["2024-13-45", "昨天", "20240710"])
def test_a_ledger_day_that_cannot_be_read_is_said(client, today):
    """The ledger pages take ?today= as /api/track does. Before: a day they could not read was
    replaced by today without a word (and 20240710, which the API refuses, was read)."""
    doc_id = client.ids["九工发〔2024〕15号"]
    for path in (f"/track/{doc_id}", "/track"):
        page = client.get(path, params={"today": today}).text
        assert f"日期 {today} 无法识别（应为 YYYY-MM-DD" in page, path
        assert client.get(json_link(page)).status_code == 200  # its JSON: the ledger it shows, for today
        assert client.get(f"/api{path}", params={"today": today}).status_code == 422
        good = client.get(path, params={"today": "2024-07-10"}).text
        assert "无法识别" not in good and "按 2024-07-10 计算" in good
