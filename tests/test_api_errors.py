"""Every answer under /api is JSON in the documented shape, whatever the request:
bugs, absurd numbers, deep nesting, wrong methods; plus the headers and cookie
that keep the pages safe in a browser, and what /api/health tells a stranger."""
from __future__ import annotations

import orjson
import pytest
from backends import fresh_db_url
from fastapi.testclient import TestClient

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "err-key"}


def make_client(tmp_path, **overrides):
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key = tmp_path, fresh_db_url(), "err-key"
    for k, v in overrides.items():
        setattr(s, k, v)
    return TestClient(create_app(s), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with make_client(tmp_path_factory.mktemp("errors")) as c:
        yield c


def error(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()["error"]
    assert body["code"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    return body


def test_an_unexpected_error_is_json_and_logged(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(client.app.state.service, "search", broken)
    with caplog.at_level("ERROR"):
        error(client.get("/api/search", params={"q": "工会"}), 500, "internal")
    assert any("a bug" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_deep_nesting_is_a_clear_400(client):
    for q in ("(" * 260 + "工会" + ")" * 260, "-" * 100 + "非 " * 200 + "工会"):
        body = error(client.get("/api/search", params={"q": q}), 400, "bad_query")
        assert "嵌套过深" in body["message"]
    assert client.get("/api/search", params={"q": "((工会 OR 职工) AND NOT 欠薪)"}).status_code == 200


@pytest.mark.parametrize("method, url, params", [
    ("get", "/api/logs", {"offset": 2**63}),
    ("get", "/api/documents", {"offset": 2**64}),
    ("get", "/api/alerts", {"offset": -1}),
    ("post", "/api/alerts/9223372036854775808/ack", {}),
    ("post", "/api/alerts/0/ack", {}),
    ("get", "/api/topics/99999999999999999999", {}),
    ("get", "/api/logs", {"date_to": "0"}),
    ("get", "/api/search", {"date_from": "1700000000"}),
])
def test_numbers_and_dates_out_of_range_are_422(client, method, url, params):
    error(getattr(client, method)(url, params=params, headers=KEY), 422, "invalid_body")


@pytest.mark.parametrize("url", ["/api/logs", "/api/search"])
def test_a_date_range_that_ends_before_it_starts_is_named(client, url):
    """Before: swapped dates answered an empty list (200, total 0), as if no log were there."""
    r = client.post("/api/logs", json={"text": "五月走访园区企业，宣传工会法。", "date": "2024-05-10"}, headers=KEY)
    assert r.status_code == 201, r.text
    q = {"q": "走访"} if url == "/api/search" else {}
    body = error(client.get(url, params={**q, "date_from": "2024-06-01", "date_to": "2024-05-01"}), 409,
                 "date_range_reversed")
    assert "date_from 2024-06-01 晚于 date_to 2024-05-01" in body["message"] and "写反" in body["message"]
    # a conflict of two valid dates (which the schema cannot state): 409, documented on the operation
    answers = client.get("/openapi.json").json()["paths"][url]["get"]["responses"]
    assert answers["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    for start, end in (("2024-05-01", "2024-06-01"), ("2024-05-10", "2024-05-10")):  # in order, or one day
        r = client.get(url, params={**q, "date_from": start, "date_to": end})
        assert r.status_code == 200 and r.json()["total"] >= 1, r.text


def test_nul_characters_and_ids_past_a_database_integer_match_nothing(client):
    """PostgreSQL text cannot hold NUL and its row ids are 32-bit (both were 500s there,
    not on SQLite): such a value in a filter or an id answers like any value that
    matches nothing, and a log written with NULs is stored and found by the same filter."""
    for url in ("/api/logs?region=a%00b", "/api/documents?issuer=%00", "/logs?region=%00"):
        assert client.get(url, headers=KEY).status_code == 200, url
    for url in ("/api/logs?tag=%00", "/api/logs?risk=%00"):  # no label: refused as any unknown label is
        error(client.get(url, headers=KEY), 422, "unknown_label")
    for url in ("/api/documents/ab%00c", "/api/logs/a%00", "/api/documents/%00/checklist", "/api/track/%00"):
        assert client.get(url, headers=KEY).status_code == 404, url
    for url in (f"/api/alerts/{2**31}/ack", f"/api/track/alerts/{2**31}/ack", f"/api/track/links/{2**62}/confirm"):
        error(client.post(url, headers=KEY), 404, "not_found")
    r = client.post("/api/logs", json={"id": "nul\x00id", "text": "走访企业\x00，职工反映拖欠工资", "region": "城关\x00镇"},
                    headers=KEY)
    assert r.status_code == 201, r.text
    found = client.get("/api/logs", params={"region": "城关\x00镇"}, headers=KEY).json()["items"]
    assert [x["id"].replace("\x00", " ") for x in found] == ["nul id"]


def test_a_tag_or_risk_naming_no_label_is_refused_with_the_labels_there_are(client):
    """Before, GET /api/logs?risk=foo answered 200 with an empty list, as if no log held that risk:
    a typo or another system's name said nothing. A tag or risk outside the taxonomy is now 422 in
    Chinese with the labels it takes, on /api/logs and on /api/search's risk (the search tag also
    holds duties' actors, so it stays open); the OpenAPI schema lists the values. A label by its
    Chinese name lists what its id lists; an empty value is no filter."""
    client.app.state.service.add_logs([
        {"id": "label-a", "text": "职工反映工资拖欠两个月。", "tasks": ["labor_relations"],
         "risks": [{"id": "wage_arrears", "severity": "high", "evidence": {"text": "工资拖欠", "start": 4, "end": 8}}]},
        {"id": "label-b", "text": "组织职工读书分享会。", "tasks": ["other"], "risks": []}], tag=False)

    def ids(**params):
        r = client.get("/api/logs", params={**params, "limit": 500})
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()["items"]} & {"label-a", "label-b"}

    assert ids(risk="wage_arrears") == ids(risk="欠薪欠保") == ids(tag="欠薪欠保") == {"label-a"}
    assert ids(tag="labor_relations") == ids(tag="劳动关系协调") == {"label-a"}
    assert ids(risk="") == ids() == {"label-a", "label-b"}
    for url, params in (("/api/logs", {"risk": "foo"}), ("/api/logs", {"tag": "欠薪"}), ("/api/logs", {"risk": "other"}),
                        ("/api/search", {"q": "工资", "risk": "foo"})):
        body = error(client.get(url, params=params), 422, "unknown_label")
        assert "欠薪欠保（wage_arrears）" in body["message"], body
    assert client.get("/api/search", params={"q": "工资", "risk": "欠薪欠保"}).status_code == 200
    spec = client.get("/openapi.json").json()["paths"]
    for path, name in (("/api/logs", "risk"), ("/api/logs", "tag"), ("/api/search", "risk")):
        param = next(p for p in spec[path]["get"]["parameters"] if p["name"] == name)
        enum = param["schema"]["anyOf"][0]["enum"]
        assert {"wage_arrears", "欠薪欠保", ""} <= set(enum) and "foo" not in enum, (path, name)
    search_tag = next(p for p in spec["/api/search"]["get"]["parameters"] if p["name"] == "tag")
    assert "enum" not in search_tag["schema"]["anyOf"][0]


def test_an_empty_log_batch_is_accepted_and_stores_nothing(client):
    before = client.get("/api/logs").json()["total"]
    r = client.post("/api/logs", json=[], headers=KEY)
    assert r.status_code == 201 and r.json() == {"items": [], "alerts": [], "warnings": [], "replaced": []}
    assert client.get("/api/logs").json()["total"] == before
    error(client.post("/api/logs", json=[], headers={"X-API-Key": "wrong"}), 401, "unauthorized")


def test_a_wrong_method_says_which_ones_are_allowed(client):
    r = client.put("/api/health")
    error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET"
    r = client.delete("/api/logs", headers=KEY)
    error(r, 405, "method_not_allowed")
    assert set(r.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize("url", ["/api/health", "/api/documents", "/api/documents/0000000000000000", "/"])
def test_head_answers_as_get_without_a_body(client, url):
    """RFC 9110 §9.1: a server answering GET answers HEAD; a monitor's `curl -I` or `wget --spider`
    of /api/health got 405 before."""
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_a_wrong_method_on_a_router_path_names_that_path_s_methods(client):
    # /api/track/match is also matched by /api/track/{document_id} (GET): the path met first counts
    for method, url, allowed in (("PUT", "/api/track/match", "POST"), ("PUT", "/api/track/alerts", "GET"),
                                 ("GET", "/api/track/links/1/confirm", "POST")):
        r = client.request(method, url, headers=KEY)
        error(r, 405, "method_not_allowed")
        assert r.headers["allow"] == allowed


def test_a_log_body_over_the_limit_is_413(tmp_path):
    with make_client(tmp_path, max_body_mb=0.01) as c:
        r = c.post("/api/logs", json={"text": "走访企业。" * 2000}, headers=KEY)
        error(r, 413, "file_too_large")
        error(c.post("/api/logs", json={"text": "走访企业。" * 2000}), 401, "unauthorized")  # the key comes first


def test_every_write_route_wants_the_key_before_its_body(tmp_path):
    # the routes live in routers (api.routes): the guard must find them there too
    big = {"log_ids": ["x" * 40] * 1000}
    with make_client(tmp_path, max_body_mb=0.01) as c:
        for url in ("/api/logs", "/api/alerts/1/ack", "/api/track/match", "/api/track/links/1/confirm"):
            error(c.post(url, json=big), 401, "unauthorized")


def test_upload_body_must_be_a_form_with_a_file(client):
    error(client.post("/api/documents", content=b"plain", headers={**KEY, "Content-Type": "text/plain"}),
          422, "invalid_body")
    error(client.post("/api/documents", files={"other": ("a.txt", "内容".encode())}, headers=KEY), 422, "invalid_body")


def test_security_headers_on_pages_and_api(client):
    for url in ("/", "/api/health", "/documents"):
        h = client.get(url).headers
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "same-origin" and "frame-ancestors 'none'" in h["content-security-policy"]
    page = client.get("/logs")
    csp = page.headers["content-security-policy"]
    nonce = csp.split("'nonce-", 1)[1].split("'", 1)[0]
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert f'<script nonce="{nonce}">' in page.text  # the page's own script still runs
    assert client.get("/logs").headers["content-security-policy"] != csp  # a new nonce per answer


def test_key_cookie_is_httponly_and_health_hides_counts(tmp_path):
    with make_client(tmp_path, read_needs_key=True) as c:
        h = c.get("/api/health").json()
        assert h["status"] == "ok" and h["documents"] is None and h["logs"] is None and h["open_alerts"] is None
        assert c.get("/api/health", headers=KEY).json()["documents"] == 0
        r = c.post("/key", data={"key": "err-key", "next": "/logs"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/logs"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert c.get("/logs").status_code == 200
        r = c.post("/key", data={"key": "x", "next": "//evil.example/"}, follow_redirects=False)
        assert r.headers["location"] == "/"  # only back into this site


def test_topics_report_is_computed_once_until_logs_change(client, monkeypatch):
    import nlp.topics

    svc = client.app.state.service
    if svc.topics() is None:
        pytest.skip("no topic model")
    calls = []
    real = nlp.topics.report
    monkeypatch.setattr(nlp.topics, "report", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = client.get("/api/topics").json()
    assert client.get("/api/topics").json() == first and calls == []  # served from the fitted result
    client.post("/api/logs", json={"text": "走访园区企业，职工反映加班费没有按时发放。"}, headers=KEY)
    assert client.get("/api/topics").json()["n_logs"] == first["n_logs"] + 1 and calls == [1]


@pytest.mark.parametrize("url", ["/api/logs", "/api/track/match", "/api/alerts/1/ack"])
@pytest.mark.parametrize("body, said", [
    (b'{"text": "\xff\xfe\xe5\xb7"}', "UTF-8"),  # bytes that are no UTF-8
    (b"[" * 5000 + b"]" * 5000, "嵌套"),  # deeper than the JSON parser's recursion limit
])
def test_a_body_no_json_parser_can_read_is_named_in_chinese(client, url, body, said):
    """Before: 400 "There was an error parsing the body" (FastAPI's English words)."""
    r = client.post(url, content=body, headers={**KEY, "Content-Type": "application/json"})
    assert said in error(r, 400, "bad_json")["message"]


def test_a_lone_surrogate_in_a_string_is_named_in_chinese(client):
    r = client.post("/api/logs", content=b'{"text": "\\ud800 \xe5\xb7\xa5\xe4\xbc\x9a"}',
                    headers={**KEY, "Content-Type": "application/json"})
    body = error(r, 422, "invalid_body")
    assert "Input should" not in body["message"] and "Unicode" in body["message"]


def test_an_upload_whose_text_passes_the_limit_is_413_and_nothing_is_kept(tmp_path):
    """GONGWEN_MAX_TEXT_CHARS on the upload path: a real notice with more characters than
    the limit is refused with 413 in a line naming the limit and the variable, and neither
    the store nor the index holds it; the same limit lets a shorter notice through."""
    from conftest import NOTICES

    long_one, short_one = (NOTICES / n for n in ("2024_jian_zhongda_shixiang.txt", "2021_xinyu_laodong_jingsai.txt"))
    n_long, n_short = (len(p.read_text(encoding="utf-8").strip()) for p in (long_one, short_one))
    limit = (n_long + n_short) // 2
    assert n_short < limit < n_long, (n_short, n_long)
    with make_client(tmp_path, max_text_chars=limit) as c:
        r = c.post("/api/documents", files={"file": (long_one.name, long_one.read_bytes())}, headers=KEY)
        message = error(r, 413, "file_too_large")["message"]
        assert f"上限为 {limit:,} 字" in message and "GONGWEN_MAX_TEXT_CHARS" in message
        assert c.get("/api/documents").json()["total"] == 0
        r = c.post("/api/documents", files={"file": (short_one.name, short_one.read_bytes())}, headers=KEY)
        assert r.status_code == 201, r.text
        kept = r.json()["id"]
        listed = c.get("/api/documents").json()
        assert listed["total"] == 1 and listed["items"][0]["id"] == kept
        # the index holds the short notice and nothing of the refused one (its issuer, its topic)
        def found(q):
            return {h["doc_id"] for h in c.get("/api/search", params={"q": q, "per_page": 100}).json()["hits"]}
        assert found("劳动竞赛") == {kept}
        assert found("吉安市总工会 重大事项报告") <= {kept}


def test_an_upload_cut_inside_its_file_is_refused_and_nothing_is_kept(tmp_path):
    """A multipart body that ends inside the file part (a client that stopped sending, a proxy's
    limit) has no boundary after the file: the parser hands over what came. Before: 201 and
    half a real notice stored as the whole notice."""
    from conftest import NOTICES

    note = (NOTICES / "2024_jian_zhongda_shixiang.txt").read_bytes()
    head = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="notice.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    multipart = {**KEY, "Content-Type": "multipart/form-data; boundary=b0undary"}
    with make_client(tmp_path) as c:
        for cut in (note[: len(note) // 2], note):  # half the file; the whole file without its closing boundary
            message = error(c.post("/api/documents", content=head + cut, headers=multipart), 422, "invalid_body")["message"]
            assert "中断" in message and "重新上传" in message
        assert c.get("/api/documents").json()["total"] == 0
        r = c.post("/api/documents", content=head + note + b"\r\n--b0undary--\r\n", headers=multipart)
        assert r.status_code == 201, r.text
        assert c.get("/api/documents").json()["total"] == 1


def test_an_upload_named_with_control_characters_is_stored_under_a_clean_name(tmp_path):
    """A file name is whatever the client sends: a NUL (PostgreSQL text cannot hold one) or
    a terminal escape must not fail the upload nor reach the listing."""
    from conftest import NOTICES

    note = (NOTICES / "2021_xinyu_laodong_jingsai.txt").read_bytes()
    head = b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a\x00\x1b[31mb.txt"\r\n\r\n'
    with make_client(tmp_path) as c:
        r = c.post("/api/documents", content=head + note + b"\r\n--b0undary--\r\n",
                   headers={**KEY, "Content-Type": "multipart/form-data; boundary=b0undary"})
        assert r.status_code == 201, r.text
        detail = c.get(f"/api/documents/{r.json()['id']}").json()
        assert detail["source"]["name"] == "a[31mb.txt" and [f["name"] for f in detail["files"]] == ["a[31mb.txt"]


def test_an_upload_named_in_a_legacy_or_extended_form_is_stored_under_its_chinese_name(tmp_path):
    """Names as clients send them (seen on a real gongwen serve). Before: GBK 通知.txt (CD A8 D6 AA,
    also valid UTF-8) stored as U+0368 U+05AA .txt; Big5 names stored as GB18030 nonsense with
    private-use characters; a `filename*` (RFC 5987, .NET's HttpClient) dropped — beside an ASCII
    `filename` the ASCII name was kept, alone the upload was refused (无扩展名); UTF-8 read as
    Latin-1 and encoded again, and a percent-escaped name, kept as sent."""
    from urllib.parse import quote

    multipart = {**KEY, "Content-Type": "multipart/form-data; boundary=b0undary"}
    body = "关于开展{}的通知\n各基层工会：\n请于9月20日前报送名单。\n某某区总工会\n2024年8月2日\n"
    sent = {
        "GBK that is also UTF-8": (b'filename="' + "通知.txt".encode("gbk") + b'"', "通知.txt"),
        "GBK": (b'filename="' + "书香职工评选.txt".encode("gbk") + b'"', "书香职工评选.txt"),
        "Big5": (b'filename="' + "職工書屋評選.txt".encode("big5") + b'"', "職工書屋評選.txt"),
        "filename* beside filename": (b"filename=\"notice.txt\"; filename*=UTF-8''" + quote("读书月活动.txt").encode(),
                                      "读书月活动.txt"),
        "filename* alone": (b"filename*=utf-8''" + quote("读书月总结.docx.txt").encode(), "读书月总结.docx.txt"),
        "filename* in GBK": (b"filename*=GBK''" + quote("读书月名单.txt".encode("gbk")).encode(), "读书月名单.txt"),
        "UTF-8 read as Latin-1": (b'filename="' + "读书月方案.txt".encode().decode("latin-1").encode() + b'"',
                                  "读书月方案.txt"),
        "percent-escaped": (b'filename="' + quote("读书月简报.txt").encode() + b'"', "读书月简报.txt"),
        "UTF-8": (b'filename="' + "读书月通讯.txt".encode() + b'"', "读书月通讯.txt"),
    }
    with make_client(tmp_path) as c:
        for n, (how, (disposition, name)) in enumerate(sent.items()):
            head = b'--b0undary\r\nContent-Disposition: form-data; name="file"; ' + disposition + b"\r\n\r\n"
            note = body.format(f"读书活动{n}").encode()
            r = c.post("/api/documents", content=head + note + b"\r\n--b0undary--\r\n", headers=multipart)
            assert r.status_code == 201, (how, r.text)
            files = c.get(f"/api/documents/{r.json()['id']}").json()["files"]
            assert [f["name"] for f in files] == [name], how


def test_an_upload_whose_file_name_is_too_long_is_named_and_nothing_is_kept(tmp_path):
    """The multipart parser refuses a part header line past its limit (4,224 bytes); the line is
    the one with the file name. Before: 422 "multipart 格式错误", which names nothing."""
    from conftest import NOTICES
    from python_multipart.multipart import DEFAULT_MAX_HEADER_SIZE

    from ingest.read import MAX_NAME_CHARS

    note = (NOTICES / "2021_xinyu_laodong_jingsai.txt").read_bytes()
    multipart = {**KEY, "Content-Type": "multipart/form-data; boundary=b0undary"}

    def upload(c, name: str):
        head = f'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n'.encode()
        return c.post("/api/documents", content=head + note + b"\r\n--b0undary--\r\n", headers=multipart)

    with make_client(tmp_path) as c:
        message = error(upload(c, "劳动竞赛" * 1500 + ".txt"), 422, "invalid_body")["message"]  # ~18 KB
        assert "文件名过长" in message and f"{DEFAULT_MAX_HEADER_SIZE:,} 字节" in message
        assert c.get("/api/documents").json()["total"] == 0
        # 3.6 KB: a name the parser still reads, longer than a file system allows (and than
        # PostgreSQL's files.name holds: before, an internal error there)
        message = error(upload(c, "劳动竞赛" * 300 + ".txt"), 422, "name_too_long")["message"]
        assert "文件名过长" in message and f"上限为 {MAX_NAME_CHARS} 个字符" in message
        assert c.get("/api/documents").json()["total"] == 0
        r = upload(c, "劳" * (MAX_NAME_CHARS - 4) + ".txt")  # the longest name allowed
        assert r.status_code == 201, r.text
        assert c.get("/api/documents").json()["total"] == 1


def test_a_json_body_in_the_charset_it_declares_is_read_in_that_charset(tmp_path):
    """A client in a Chinese locale sends `Content-Type: application/json; charset=gbk` with GBK
    bytes. Before: 400 bad_json (请求体不是 UTF-8). Now the declared charset decodes it (a gb2312
    label too, read as browsers read it: 镕 is GBK, not GB2312); a charset Python does not know, or
    bytes that are not text in the declared one, are refused naming the charset, nothing stored."""
    log = {"id": "gbk-1", "text": "走访园区企业，工人反映老板已经拖欠工资三个月，朱镕基路口的店铺也欠薪。", "region": "示例县"}
    as_json = orjson.dumps(log).decode("utf-8")

    def post(c, body: bytes, charset: str):
        return c.post("/api/logs", content=body, headers={**KEY, "Content-Type": f"application/json; charset={charset}"})

    with make_client(tmp_path) as c:
        message = error(post(c, as_json.encode("utf-8"), "klingon-8"), 415, "unsupported_media_type")["message"]
        assert "klingon-8" in message and "UTF-8" in message
        message = error(post(c, as_json.encode("utf-8") + b"\xff", "gbk"), 400, "bad_json")["message"]
        assert "gbk" in message
        assert c.get("/api/logs").json()["total"] == 0
        labels = {"gbk": "gbk", "GB2312": "gbk", "utf-16": "utf-16", '"gb18030"': "gb18030", "utf-8": "utf-8"}
        for n, (charset, codec) in enumerate(labels.items()):
            sent = {**log, "id": f"gbk-{n}"}
            r = post(c, orjson.dumps(sent).decode("utf-8").encode(codec), charset)
            assert r.status_code == 201, (charset, r.text)
            stored = {i["id"]: i for i in c.get("/api/logs", params={"per_page": 100}).json()["items"]}
            assert stored[sent["id"]]["text"] == log["text"], charset
