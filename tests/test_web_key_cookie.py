"""A key entered once in the browser is good on every page: the key form's cookie, or a
right key a page's form sent in its header, lets the site's own pages write without typing
it again; another site's page or a program without the site's Origin cannot use the cookie."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

KEY = "page-key"
OWN = {"Origin": "http://testserver"}  # what a browser adds to a page script's POST (Host: testserver)
LOG = [{"text": "走访企业，了解工资发放情况。", "date": "2024-05-01"}]


@pytest.fixture()
def client(tmp_path):
    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path / "data", api_key=KEY, read_needs_key=True))) as c:
        yield c


def test_the_key_form_s_key_lets_the_pages_write_without_typing_it_again(client):
    """Before: the key form's cookie opened the pages for reading only; every write form asked
    for the key again (401 without X-API-Key)."""
    r = client.post("/key", data={"key": KEY, "next": "/logs"}, follow_redirects=False)
    assert r.status_code == 303 and client.cookies.get("gongwen_key") == KEY
    assert "已记住本浏览器输入过的密钥" in client.get("/logs").text
    r = client.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": ""})  # the form's key box left empty
    assert r.status_code == 201, r.text
    r = client.post("/api/logs", json=LOG, headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://evil.example"}, {"Sec-Fetch-Site": "cross-site", **OWN},
                                     {"Sec-Fetch-Site": "same-site"}])
def test_the_cookie_is_no_key_for_another_site_or_a_program(client, headers):
    """A form on another site posting to gongwen (the browser sends the cookie only if it lets
    it, but the server does not rely on that), or a program with the cookie and no Origin."""
    client.cookies.set("gongwen_key", KEY)
    r = client.post("/api/logs", json=LOG, headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", r.text
    assert client.get("/api/logs", headers={"X-API-Key": KEY}).json()["total"] == 0


def test_a_right_key_typed_in_a_page_s_form_is_remembered_for_the_other_pages(client):
    """Before: the key typed in the log form was gone on the next page (/alerts, /track, the
    upload form asked for it again). A wrong key is not remembered, nor one sent by a program."""
    r = client.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": "wrong"})
    assert r.status_code == 401 and "gongwen_key" not in client.cookies
    r = client.post("/api/logs", json=LOG, headers={"X-API-Key": KEY})  # a program: no cookie for it
    assert r.status_code == 201 and "set-cookie" not in r.headers
    r = client.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": KEY})
    assert r.status_code == 201 and "HttpOnly" in r.headers["set-cookie"] and "SameSite=strict" in r.headers["set-cookie"]
    assert client.cookies.get("gongwen_key") == KEY
    for page in ("/documents", "/alerts", "/logs"):
        text = client.get(page).text
        assert "已记住本浏览器输入过的密钥" in text and "数据文件夹是只读的" not in text, page
    assert client.get("/api/health").json()["writable"] is True
    r = client.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": KEY})  # kept already: not set again
    assert r.status_code == 201 and "set-cookie" not in r.headers


def test_a_key_too_long_for_a_cookie_is_not_remembered_and_the_pages_say_so(tmp_path):
    from api.app import create_app
    from api.settings import Settings

    key = "k" * 5000
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", api_key=key))) as c:
        r = c.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": key})
        assert r.status_code == 201 and "set-cookie" not in r.headers
        assert "的密钥无法记住" in c.get("/logs").text


@pytest.mark.parametrize("page", ["/track", "/alerts"])
def test_the_ledger_pages_key_form_leads_back_to_the_ledger_and_says_a_wrong_key(client, page):
    """With reads locked, /track showed a key form of its own that led to the search page (no
    `next`) and never said a key was wrong, and its old-browser line was empty (the 督办台账
    pages rendered through templates without the shared words)."""
    text = client.get(page).text
    assert 'name="next" value="' + page + '"' in text, text[:2000]
    assert "极速模式" in text.split('id="oldbrowser"', 1)[1].split("</p>", 1)[0]
    r = client.post("/key", data={"key": "wrong", "next": page}, follow_redirects=False)
    assert r.headers["location"] == page
    assert "密钥不正确" in client.get(page).text
    client.post("/key", data={"key": KEY, "next": page})
    text = client.get(page).text
    assert "keyform" not in text and "极速模式" in text.split('id="oldbrowser"', 1)[1].split("</p>", 1)[0]


def test_a_remembered_key_can_be_forgotten(client):
    """On a shared office computer the key stayed until the browser closed, with nothing on the
    pages to clear it. The header's 忘记密钥 (a form posting an empty key to /key) removes it:
    the pages then ask for it again and a page's write without it is refused."""
    client.post("/key", data={"key": KEY, "next": "/logs"})
    page = client.get("/logs").text
    assert "忘记密钥" in page and 'name="key" value=""' in page
    r = client.post("/key", data={"key": "", "next": "/logs"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/logs" and "gongwen_key" not in client.cookies
    assert 'id="keyform"' in client.get("/logs").text  # reads are locked here: the key form again
    r = client.post("/api/logs", json=LOG, headers={**OWN, "X-API-Key": ""})
    assert r.status_code == 401, r.text
