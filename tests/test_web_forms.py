"""The web pages' forms (upload a notice, add a log, acknowledge an alert, confirm a link)
as a browser runs them: their inline scripts under node with a stand-in DOM and fetch,
so what a person sees is checked for every kind of answer — gongwen's JSON error, a proxy's
HTML page (nginx's 413 for a large upload, a 502), no answer at all, no file chosen."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

HARNESS = Path(__file__).parent / "js" / "form_harness.js"
NODE = shutil.which("node") or shutil.which("nodejs")
pytestmark = pytest.mark.skipif(NODE is None, reason="需要 node 运行网页里的脚本（apt 包 nodejs）")

PROXY_413 = {"status": 413, "type": "text/html", "body": "<html><body><h1>413 Request Entity Too Large</h1>nginx</body></html>"}
PROXY_502 = {"status": 502, "type": "text/html", "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}
NO_ANSWER = {"network": True}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from api.app import create_app
    from api.settings import Settings

    s = Settings(data_dir=tmp_path_factory.mktemp("web-forms"), api_key="k")
    with TestClient(create_app(s)) as c:
        c.cookies.set("gongwen_key", "k")
        yield c


@pytest.fixture(scope="module")
def pages(client):
    return lambda path: client.get(path, headers={"X-API-Key": "k"}).text


def run(page: str, **case) -> dict:
    scripts = re.findall(r"<script nonce=\"[^\"]*\">(.*?)</script>", page, re.S)
    assert scripts, page[:500]
    proc = subprocess.run([NODE, str(HARNESS)], input=json.dumps({"scripts": scripts, **case}), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("reply, said", [(PROXY_413, "413"), (PROXY_502, "502"), (NO_ANSWER, "无法连接服务器")])
def test_an_upload_says_why_it_failed_whatever_came_back(pages, reply, said):
    """Before: the page read every answer as JSON; a proxy's HTML page or no answer threw in
    the script and the page showed nothing at all, as if the button did nothing."""
    got = run(pages("/documents"), form="upload", out="upload-result", files=["通知.pdf"], reply=reply)
    assert got["error"] is None and got["shown"].startswith("上传失败：") and said in got["shown"], got
    assert got["cls"] == "error" and got["href"] == ""


def test_an_upload_with_no_file_chosen_says_to_choose_one(pages):
    """Before: the string "undefined" was sent as the file: 上传失败：不支持的文件格式：（无扩展名）."""
    got = run(pages("/documents"), form="upload", out="upload-result", files=[], reply=PROXY_502)
    assert got["sent"] == [] and "请先选择" in got["shown"], got


def test_an_upload_that_went_in_opens_the_notice_and_an_api_error_is_shown_as_said(pages):
    ok = {"status": 201, "type": "application/json", "body": json.dumps({"id": "abc123"})}
    assert run(pages("/documents"), form="upload", out="upload-result", files=["a.txt"], reply=ok)["href"] == "/documents/abc123"
    refused = {"status": 422, "type": "application/json",
               "body": json.dumps({"error": {"code": "empty_file", "message": "文件是空的（0 字节）"}})}
    got = run(pages("/documents"), form="upload", out="upload-result", files=["a.txt"], reply=refused)
    assert got["shown"] == "上传失败：文件是空的（0 字节）", got


@pytest.mark.parametrize("reply, said", [(PROXY_502, "502"), (NO_ANSWER, "无法连接服务器")])
def test_a_log_from_the_form_says_why_it_failed_whatever_came_back(pages, reply, said):
    got = run(pages("/logs"), form="addlog", out="addlog-result", reply=reply)
    assert got["error"] is None and got["shown"].startswith("提交失败：") and said in got["shown"], got


def _said(r) -> dict:
    """A real answer of the running API, as the stand-in fetch hands it to the page."""
    return {"status": r.status_code, "type": r.headers["content-type"], "body": r.text}


def test_acknowledging_an_alert_marks_it_or_says_why_not(client, pages):
    """/alerts' 确认 button sends the typed key to that alert's ack; on success the button gives
    way to 已确认, otherwise the reason is shown in Chinese and the button stays for another try."""
    from api.labels import STATUS_NAMES

    page = pages("/alerts")
    ok = {"status": 200, "type": "application/json", "body": json.dumps({"id": 1, "status": "acknowledged"})}
    got = run(page, button="ack1", button_class="ack", out="ack-result", values={"ackkey": "k"}, reply=ok)
    assert got["sent"] == ["/api/alerts/1/ack"] and got["keys"] == ["k"], got
    assert got["error"] is None and got["replaced"] == STATUS_NAMES["acknowledged"] and got["shown"] == "", got
    wrong_key = _said(client.post("/api/alerts/1/ack", headers={"X-API-Key": "wrong"}))
    assert wrong_key["status"] == 401
    for reply, said in ((wrong_key, json.loads(wrong_key["body"])["error"]["message"]), (PROXY_502, "502"),
                        (NO_ANSWER, "无法连接服务器")):
        got = run(page, button="ack1", button_class="ack", out="ack-result", values={"ackkey": "wrong"}, reply=reply)
        assert got["error"] is None and said in got["shown"] and got["shown"].startswith("确认失败："), got
        assert got["cls"] == "error" and got["replaced"] is None, got


def test_confirming_a_link_reloads_the_ledger_or_says_why_not(client, pages):
    """A notice's ledger (/track/{id}): 确认 sends the typed key to the link's confirm and keeps
    it nowhere a page script reads (the server's HttpOnly cookie keeps a right one); on success the page reloads to show the new state, otherwise it says why."""
    text = "关于开展夏季送清凉活动的通知\n各基层工会：\n请各基层工会于2026年7月31日前报送活动总结。\n市总工会\n2026年6月1日\n"
    r = client.post("/api/documents", files={"file": ("送清凉通知.txt", text.encode())}, headers={"X-API-Key": "k"})
    assert r.status_code in (200, 201), r.text
    page = pages(f"/track/{r.json()['id']}")
    ok = {"status": 200, "type": "application/json", "body": json.dumps({"id": 1, "state": "confirmed"})}
    got = run(page, button="link1", button_class="decide", out="track-result", values={"trackkey": "k"}, reply=ok)
    assert got["sent"] == ["/api/track/links/1/confirm"] and got["keys"] == ["k"], got
    assert got["error"] is None and got["reloaded"] and got["stored"] == {}, got
    gone = _said(client.post("/api/track/links/1/confirm", headers={"X-API-Key": "k"}))
    assert gone["status"] == 404
    for reply, said in ((gone, json.loads(gone["body"])["error"]["message"]), (PROXY_502, "502"),
                        (NO_ANSWER, "无法连接服务器")):
        got = run(page, button="link1", button_class="decide", out="track-result", values={"trackkey": "k"}, reply=reply)
        assert got["error"] is None and said in got["shown"] and got["shown"].startswith("操作失败："), got
        assert got["cls"] == "error" and not got["reloaded"], got


def _stored(client, bodies: list[str]) -> int:
    """How many logs the real API holds after it is sent each of the page's requests."""
    before = client.get("/api/logs").json()["total"]
    for body in bodies:
        r = client.post("/api/logs", content=body.encode(), headers={"X-API-Key": "k", "Content-Type": "application/json"})
        assert r.status_code == 201, r.text
    return client.get("/api/logs").json()["total"] - before


def test_a_double_press_of_the_log_button_stores_one_log(client, pages):
    """Before: the button stayed live while the server tagged the log (seconds), and each press
    sent the log without an id, so a double click stored it twice (and raised its alerts twice)."""
    ok = {"status": 201, "type": "application/json", "body": json.dumps({"items": [{"id": "x"}]})}
    got = run(pages("/logs"), form="addlog", out="addlog-result", reply=ok, presses=2)
    assert got["error"] is None and got["href"] == "/logs?added=x", got
    assert _stored(client, got["bodies"]) == 1, got["bodies"]


def test_a_log_sent_again_after_no_answer_is_the_same_log_and_the_next_one_is_new(client, pages):
    """No answer may still mean stored (the connection dropped after the commit): pressing again
    sends the same log, which replaces it; once one went in, the next log is a new one."""
    ok = {"status": 201, "type": "application/json", "body": json.dumps({"items": [{"id": "x"}]})}
    got = run(pages("/logs"), form="addlog", out="addlog-result", reply=NO_ANSWER, then=[PROXY_502, ok, ok])
    ids = [json.loads(b)["id"] for b in got["bodies"]]
    assert len(ids) == 4 and ids[0] == ids[1] == ids[2] != ids[3] and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    assert _stored(client, got["bodies"][:3]) == 1 and _stored(client, got["bodies"][3:]) == 1


@pytest.mark.parametrize("typed", ["ｋ", "k ", "\tk\n", "ｋ　"], ids=["full-width", "space", "pasted", "ideographic-space"])
def test_a_key_typed_in_full_width_or_pasted_with_spaces_is_the_key(client, pages, typed):
    """A Chinese input method in full-width mode types ｋ for k (and its space is U+3000), and a
    pasted key brings a space or line end with it. Before: a full-width character made the
    browser's fetch throw and the page said 无法连接服务器 (nothing was sent); spaces and line
    ends were already trimmed by the browser."""
    ok = {"status": 201, "type": "application/json", "body": json.dumps({"id": "abc123"})}
    got = run(pages("/documents"), form="upload", out="upload-result", files=["a.txt"], key=typed, reply=ok)
    assert got["error"] is None and got["keys"] == ["k"] and got["href"] == "/documents/abc123", got
    # what the page sends is what the server takes
    r = client.post("/api/logs", json={"text": "走访企业"}, headers={"X-API-Key": got["keys"][0]})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("form, out, said", [("upload", "upload-result", "上传失败："), ("addlog", "addlog-result", "提交失败：")])
def test_a_key_with_chinese_characters_is_named_not_taken_for_a_lost_connection(pages, form, out, said):
    page = pages("/documents" if form == "upload" else "/logs")
    got = run(page, form=form, out=out, files=["a.txt"], key="密钥k", reply=PROXY_502)
    assert got["sent"] == [] and got["shown"].startswith(said) and "API 密钥" in got["shown"], got
    assert "无法连接服务器" not in got["shown"] and got["cls"] == "error"


def test_the_ack_button_sends_the_key_as_meant(pages):
    ok = {"status": 200, "type": "application/json", "body": json.dumps({"id": 1, "status": "acknowledged"})}
    got = run(pages("/alerts"), button="ack1", button_class="ack", out="ack-result", values={"ackkey": "ｋ "}, reply=ok)
    assert got["keys"] == ["k"] and got["error"] is None and got["shown"] == "", got


@pytest.mark.parametrize("has_fetch", [False, True])
def test_a_browser_too_old_for_the_pages_scripts_is_told_so(pages, has_fetch):
    """IE's compatibility mode (common on office machines) cannot run the forms' scripts (no
    fetch, no async): each page says so at the top instead of buttons that do nothing."""
    page = pages("/alerts")
    script = next(s for s in re.findall(r"<script nonce=\"[^\"]*\">(.*?)</script>", page, re.S) if "oldbrowser" in s)
    probe = ("const box = {style: {display: 'none'}};"
             "require('vm').runInNewContext(process.argv[1], {%sdocument: {getElementById: () => box}});"
             "console.log(box.style.display);") % ("fetch() {}, " if has_fetch else "")
    out = subprocess.run([NODE, "-e", probe, script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ("none" if has_fetch else "block")
    assert "极速模式" in page.split('id="oldbrowser"', 1)[1].split("</p>", 1)[0]


def _notice(body: str) -> bytes:
    return (f"九江市总工会文件\n九工发〔2024〕21号\n关于开展职工书屋建设的通知\n各基层工会：\n{body}\n"
            "九江市总工会\n2024年4月1日\n").encode()


def test_what_the_server_says_about_an_upload_stays_on_the_page(client, pages):
    """Before: every stored upload jumped to the notice's page, so the answer's warning (a revision
    of a stored notice: same 文号, another text — 请核对) and notes (the file was stored already)
    were never shown in the web app. Now a plain new notice still opens; anything said stays on
    screen with a link to the notice (and to the earlier one)."""
    page = pages("/documents")
    first = client.post("/api/documents", files={"file": ("书屋.txt", _notice("请于5月31日前报送书屋名单。"))},
                        headers={"X-API-Key": "k"})
    assert first.status_code == 201 and not first.json()["warning"], first.text
    got = run(page, form="upload", out="upload-result", files=["书屋.txt"], reply=_said(first))
    assert got["href"] == f"/documents/{first.json()['id']}" and got["error"] is None, got  # new: opened
    revised = client.post("/api/documents", files={"file": ("书屋（修订）.txt", _notice("请于6月30日前报送书屋名单及照片。"))},
                          headers={"X-API-Key": "k"})
    said = revised.json()
    assert said["warning"] and said["related_id"] == first.json()["id"], said
    got = run(page, form="upload", out="upload-result", files=["书屋（修订）.txt"], reply=_said(revised))
    assert got["href"] == "" and got["shown"] == "已入库：" + said["warning"] and got["cls"] == "error", got
    assert got["links"]["upload-open"] == {"href": f"/documents/{said['id']}", "hidden": False}, got
    assert got["links"]["upload-related"] == {"href": f"/documents/{first.json()['id']}", "hidden": False}, got
    again = client.post("/api/documents", files={"file": ("书屋.txt", _notice("请于5月31日前报送书屋名单。"))},
                        headers={"X-API-Key": "k"})
    got = run(page, form="upload", out="upload-result", files=["书屋.txt"], reply=_said(again))
    assert got["href"] == "" and "已在库中" in got["shown"] and got["cls"] == "ok", got
    assert got["links"]["upload-open"]["href"] == f"/documents/{first.json()['id']}", got


def test_rejecting_a_link_asks_first(client, pages):
    """A rejected evidence link leaves the ledger and the page has no way back to it. Before: one
    (mis)click on 驳回 rejected it at once; now the page asks, and a no sends nothing."""
    r = client.post("/api/documents", files={"file": ("书屋.txt", _notice("请于5月31日前报送书屋名单。"))},
                    headers={"X-API-Key": "k"})
    assert r.status_code == 201, r.text
    page = pages(f"/track/{r.json()['id']}")  # the ledger page's script (the buttons are the harness's)
    ok = {"status": 200, "type": "application/json", "body": json.dumps({"id": 1, "state": "rejected"})}
    kept = run(page, button="link1", button_class="decide", out="track-result", values={"trackkey": "k"},
               action="reject", confirm=False, reply=ok)
    assert kept["sent"] == [] and not kept["reloaded"] and "确定驳回" in kept["dialogs"][0], kept
    done = run(page, button="link1", button_class="decide", out="track-result", values={"trackkey": "k"},
               action="reject", reply=ok)
    assert done["sent"] == ["/api/track/links/1/reject"] and done["reloaded"] and len(done["dialogs"]) == 1, done
    confirmed = run(page, button="link1", button_class="decide", out="track-result", values={"trackkey": "k"}, reply=ok)
    assert confirmed["dialogs"] == [] and confirmed["sent"] == ["/api/track/links/1/confirm"], confirmed


def test_a_refused_log_names_the_fields_as_the_form_does(client, pages):
    """Before: 提交失败：请求内容不合法（text：日志内容不能为空；region：太长…）, the API's field names."""
    refused = _said(client.post("/api/logs", json={"text": "  ", "region": "区" * 201}, headers={"X-API-Key": "k"}))
    assert refused["status"] == 422
    got = run(pages("/logs"), form="addlog", out="addlog-result", reply=refused)
    assert got["shown"].startswith("提交失败：日志内容：") and "；地区：太长（最多 200 个字符）" in got["shown"], got
    assert "text" not in got["shown"] and "region" not in got["shown"], got
