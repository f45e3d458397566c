"""Duty tracking through the HTTP API and the CLI on a real store: new logs are
linked to the open duties as they are stored, the ledger's statuses follow a
fixed day, a person's confirm/reject needs the key and changes the status, and
the XLSX holds the rows the CLI shows."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from backends import fresh_db_url
from conftest import NOTICES
from fastapi.testclient import TestClient
from typer.testing import CliRunner

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "test-key"}
NOTICE = NOTICES / "2024_jian_zhongda_shixiang.txt"
LOGS = [
    {"id": "T1", "date": "2024-05-04", "region": "江西省/吉安市/泰和县", "tasks": [], "risks": [],
     "author_unit": "泰和县总工会", "text": "上午走访两家企业。4月份劳动关系风险隐患排查情况已上报市总工会，共排查企业36家。"},
    {"id": "T2", "date": "2024-05-06", "region": "江西省/吉安市/泰和县", "tasks": [], "risks": [],
     "text": "组织职工开展羽毛球比赛，24人参加。"},
]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir = tmp_path_factory.mktemp("track-api")
    s.db_url = fresh_db_url()
    s.api_key = "test-key"
    with TestClient(create_app(s)) as c:
        r = c.post("/api/documents", files={"file": (NOTICE.name, NOTICE.read_bytes())}, headers=KEY)
        assert r.status_code == 201, r.text
        doc_id = r.json()["document_id"] if "document_id" in r.json() else r.json()["id"]
        assert c.post("/api/logs", json=LOGS, headers=KEY).status_code in (200, 201)
        yield c, doc_id, s


def _monthly(ledger: dict) -> dict:
    return next(d for d in ledger["duties"] if "每月5日前" in d["deadlines"])


def test_new_logs_are_linked_as_they_are_stored(api):
    c, doc_id, _ = api
    r = c.get(f"/api/track/{doc_id}", params={"today": "2024-05-10"})
    assert r.status_code == 200, r.text
    duty = _monthly(r.json())
    by_due = {o["due"]: o for o in duty["occurrences"]}
    may = by_due["2024-05-05"]
    assert may["status"] == "已完成" and may["evidence"][0]["log_id"] == "T1"
    assert "排查情况已上报" in may["evidence"][0]["sentence"]
    assert by_due["2024-06-05"]["status"] == "未到期"
    assert all(e["log_id"] != "T2" for d in r.json()["duties"] for o in d["occurrences"] for e in o["evidence"])


def test_statuses_and_filters_follow_the_day(api):
    c, doc_id, _ = api
    r = c.get("/api/track", params={"today": "2024-07-06", "status": "逾期未见进展", "document_id": doc_id})
    duty = _monthly(r.json())
    assert [o["status"] for o in duty["occurrences"]][:4] == ["逾期未见进展", "已完成", "逾期未见进展", "逾期未见进展"]
    assert c.get("/api/track", params={"status": "差不多"}).status_code == 422
    r = c.get("/api/track/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_reject_and_confirm_need_the_key_and_change_the_status(api):
    c, doc_id, _ = api
    link_id = _monthly(c.get(f"/api/track/{doc_id}", params={"today": "2024-05-10"}).json())["occurrences"][1][
        "evidence"][0]["link_id"]
    assert c.post(f"/api/track/links/{link_id}/reject").status_code == 401
    r = c.post(f"/api/track/links/{link_id}/reject", json={"by": "张三"}, headers=KEY)
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    duty = _monthly(c.get(f"/api/track/{doc_id}", params={"today": "2024-05-10"}).json())
    assert duty["occurrences"][1]["status"] == "逾期未见进展" and not duty["occurrences"][1]["evidence"]
    assert c.post("/api/track/match", headers=KEY).status_code == 200  # a re-match does not bring it back
    duty = _monthly(c.get(f"/api/track/{doc_id}", params={"today": "2024-05-10"}).json())
    assert not duty["occurrences"][1]["evidence"]
    assert c.post(f"/api/track/links/{link_id}/confirm", headers=KEY).json()["state"] == "confirmed"
    duty = _monthly(c.get(f"/api/track/{doc_id}", params={"today": "2024-05-10"}).json())
    assert duty["occurrences"][1]["evidence"][0]["state"] == "confirmed"
    assert c.post("/api/track/links/999999/confirm", headers=KEY).status_code == 404


def test_overdue_alerts_like_risk_alerts(api):
    """Today's overdue occurrences (the sample notice's 2024 ones by now) are stored as alerts,
    raised once, and acknowledged with the key."""
    c, doc_id, _ = api
    r = c.get("/api/track/alerts", params={"status": "open", "limit": 500})
    items = r.json()["items"]
    assert r.json()["preview"] is False and r.json()["today"] == date.today().isoformat()
    assert items and all(a["id"] and a["due"] < date.today().isoformat() for a in items)
    assert all(a["due"] != "2024-05-05" or a["obligation_id"] != _monthly(
        c.get(f"/api/track/{doc_id}").json())["obligation_id"] for a in items)  # that month has evidence
    again = c.get("/api/track/alerts", params={"status": "open", "limit": 500, "today": date.today().isoformat()})
    assert again.json()["items"] == items  # the real date given is today: the same alerts, none added
    assert c.post(f"/api/track/alerts/{items[0]['id']}/ack").status_code == 401
    assert c.post(f"/api/track/alerts/{items[0]['id']}/ack", headers=KEY).json()["status"] == "acknowledged"


def _stored_alerts(c) -> list[dict]:
    """The alerts stored, read without raising any (as a person would see them after)."""
    from index.store.track import TrackStore

    return TrackStore(c.app.state.service.store).alerts()


def test_alerts_for_another_day_are_a_preview_that_stores_nothing(api):
    """GET /api/track/alerts?today=<not today> answers what would be overdue on that day,
    marked preview, a page of it with the whole count, and stores nothing; alerts already
    stored carry their id and status in it. Before: every occurrence overdue on that day was
    stored as an open alert for everyone (a fuzzed today=2988-03-15 stored 12,454, 620 before)."""
    c, _, _ = api
    today = date.today()
    c.get("/api/track/alerts")  # today's alerts, stored
    before = _stored_alerts(c)
    assert before
    far = f"{today.year + 60}-01-01"
    totals = {}
    for day in ("2024-07-06", (today + timedelta(days=1)).isoformat(), far):
        body = c.get("/api/track/alerts", params={"today": day, "limit": 3}).json()
        assert body["preview"] is True and body["today"] == day and "预览" in body["note"], body
        assert len(body["items"]) == 3 and all(a["due"] < day for a in body["items"]), body
        whole = c.get("/api/track/alerts", params={"today": day, "limit": 500}).json()
        assert whole["total"] == body["total"] and whole["items"][:3] == body["items"]
        totals[day] = body["total"]
        assert _stored_alerts(c) == before, day
    assert totals["2024-07-06"] < len(before) < totals[far]  # a far day: more overdue, counted, not built
    tomorrow = c.get("/api/track/alerts", params={"today": (today + timedelta(days=1)).isoformat(),
                                                  "limit": 500}).json()["items"]
    by_id = {a["id"]: a["status"] for a in tomorrow if a["id"] is not None}
    assert by_id == {a["id"]: a["status"] for a in before}  # overdue today is overdue tomorrow
    assert all(a["status"] == "open" and a["created_at"] is None for a in tomorrow if a["id"] is None)
    acked = [a for a in before if a["status"] == "acknowledged"]
    opened = c.get("/api/track/alerts", params={"today": far, "status": "open", "limit": 500}).json()
    assert opened["total"] == totals[far] - len(acked) and not {a["id"] for a in acked} & {
        a["id"] for a in opened["items"]}
    assert _stored_alerts(c) == before


def test_a_day_out_of_range_is_refused_with_nothing_stored(api):
    """today further than 100 years from now: 409 date_out_of_range with one Chinese line on
    the alerts, the ledger and the match (a valid date the schema cannot refuse, as a reversed
    date range is 409); not a date: 422 as before; the CLI exits 1 with one line. Before: 200,
    and the alerts of every occurrence up to year 2988 stored."""
    from api.cli import app as cli

    c, doc_id, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    before = _stored_alerts(c)
    far = ("2988-03-15", f"{date.today().year + 101}-01-01", f"{date.today().year - 101}-12-31")
    for day in (*far, "2024-02-30"):
        for url in ("/api/track/alerts", "/api/track", f"/api/track/{doc_id}", "/api/track/export.xlsx"):
            r = c.get(url, params={"today": day})
            status, code = (409, "date_out_of_range") if day in far else (422, "invalid_body")
            assert r.status_code == status and r.json()["error"]["code"] == code, (url, day, r.text)
            assert "today" in r.json()["error"]["message"], r.text
        r = c.post("/api/track/match", json={"log_ids": ["T1"], "today": day}, headers=KEY)
        assert r.status_code == (409 if day in far else 422), r.text
        for command in ("track-alerts", "track", "track-match"):
            r = CliRunner().invoke(cli, [command, "--today", day], env=env)
            assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, (command, r.stderr)
            assert r.stderr.startswith("错误：--today") and day in r.stderr, r.stderr
    r = c.get("/api/track/alerts", params={"today": "2988-03-15"})
    assert "100 年" in r.json()["error"]["message"], r.text
    for path in ("/track", f"/track/{doc_id}"):  # the pages say so and show today's ledger
        page = c.get(path, params={"today": "2988-03-15"}).text
        assert "收到：2988-03-15，以下按今天计算" in page and f"today={date.today()}" in page, path
    assert _stored_alerts(c) == before


def test_cli_alerts_for_another_day_are_a_preview(api):
    """gongwen track-alerts --today <not today> lists what would be overdue then, says so in
    Chinese (table title and stderr) and stores nothing; the same rows as the API's preview."""
    import json

    from api.cli import app as cli

    c, _, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    before = _stored_alerts(c)
    day = f"{date.today().year + 30}-06-30"
    r = CliRunner().invoke(cli, ["track-alerts", "--today", day, "--limit", "5", "--json"], env=env)
    assert r.exit_code == 0 and "预览" in r.stderr and "未保存" in r.stderr, r.output
    api_page = c.get("/api/track/alerts", params={"today": day, "limit": 5}).json()
    assert [json.loads(line) for line in r.stdout.splitlines()] == api_page["items"]
    assert f"共 {api_page['total']} 条" in r.stderr, r.stderr
    r = CliRunner().invoke(cli, ["track-alerts", "--today", day, "--limit", "5"], env=env, terminal_width=200)
    assert r.exit_code == 0 and f"按 {day} 预览" in r.stdout and "未保存" in r.stdout, r.stdout
    assert _stored_alerts(c) == before


def test_the_ledger_and_overdue_alerts_come_in_pages(api):
    """/api/track, /api/track/{id} and /api/track/alerts page as the other lists do (limit
    1..500, offset from 0; total counts them all). Before, each answered everything at once
    (629 alerts on a working database) and refused nothing."""
    c, doc_id, _ = api
    for url, key in (("/api/track", "duties"), (f"/api/track/{doc_id}", "duties"), ("/api/track/alerts", "items")):
        whole = c.get(url, params={"today": "2024-07-06", "limit": 500}).json()
        assert whole["total"] == len(whole[key]) > 3, url
        pages = [c.get(url, params={"today": "2024-07-06", "limit": 2, "offset": o}).json()
                 for o in range(0, whole["total"], 2)]
        assert all(p["total"] == whole["total"] and len(p[key]) <= 2 for p in pages), url
        assert [x for p in pages for x in p[key]] == whole[key], url
        for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"offset": 2**64}):
            r = c.get(url, params=bad)
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_body", (url, bad)


def test_the_overdue_overview_page_pages_instead_of_showing_all(api, monkeypatch):
    """/track shows PER_PAGE overdue duties a page, with links to the others; every duty is on
    exactly one page. Before, one page held them all (66 for the 13 sample notices by 2030)."""
    import re

    import api.track_web as track_web

    c, _, _ = api
    total = c.get("/api/track", params={"today": "2030-01-01", "status": "逾期未见进展"}).json()["total"]
    assert total > 2
    monkeypatch.setattr(track_web, "PER_PAGE", 2, raising=False)
    shown, page = [], 1
    while True:
        html = c.get("/track", params={"today": "2030-01-01", "page": page}).text
        rows = re.findall(r"<tr><td>(.*?)</td>", html)
        assert 1 <= len(rows) <= 2 and f"共 {total} 项" in html, page
        shown += rows
        if "下一页" not in html:
            break
        page += 1
    assert len(shown) == total and page == -(-total // 2)
    assert "上一页" in html and "下一页" in c.get("/track", params={"today": "2030-01-01", "page": "abc"}).text


def _key(alert: dict) -> tuple[str, str, str]:
    return alert["document_id"], alert["obligation_id"], alert["due"]


def test_cli_overdue_alerts_come_in_pages_and_say_the_total(api):
    """gongwen track-alerts lists a page (--limit 1..500, --offset) as gongwen alerts does and
    says how many there are when it leaves some out; the pages join to the whole list, as
    /api/track/alerts gives it. Before: no --limit/--offset (an unknown option), every alert."""
    import json

    from api.cli import app as cli

    c, _, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    whole = c.get("/api/track/alerts", params={"today": "2030-01-01", "limit": 500}).json()
    assert whole["total"] > 3
    runner = CliRunner()
    ids = []
    for offset in range(0, whole["total"], 3):
        r = runner.invoke(cli, ["track-alerts", "--today", "2030-01-01", "--limit", "3", "--offset", str(offset),
                                "--json"], env=env)
        assert r.exit_code == 0, r.output
        page = [_key(json.loads(x)) for x in r.stdout.splitlines()]
        assert 1 <= len(page) <= 3 and f"共 {whole['total']} 条" in r.stderr, r.output
        ids += page
    assert ids == [_key(a) for a in whole["items"]]
    r = runner.invoke(cli, ["track-alerts", "--limit", "0"], env=env)
    assert r.exit_code != 0


def test_cli_json_and_xlsx_hold_the_same_rows(api, tmp_path):
    import json

    from openpyxl import load_workbook

    from api.cli import app as cli

    _, doc_id, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}  # None: the default file
    runner = CliRunner()
    r = runner.invoke(cli, ["track", doc_id, "--today", "2024-07-06", "--json"], env=env)
    assert r.exit_code == 0, r.output
    duties = json.loads(r.stdout)["duties"]
    target = tmp_path / "台账.xlsx"
    r = runner.invoke(cli, ["track", doc_id, "--today", "2024-07-06", "--format", "xlsx", "-o", str(target)], env=env)
    assert r.exit_code == 0, r.output
    wb = load_workbook(target)
    assert len(wb.sheetnames) == 1
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("序号", "任务", "责任单位", "完成时限", "进展情况", "佐证日志")
    assert [row[1] for row in rows[1:]] == [d["text"] for d in duties]
    assert [row[4].split("（")[0] for row in rows[1:]] == [d["status"] for d in duties]
    assert any("T1" in (row[5] or "") for row in rows[1:])
    r = runner.invoke(cli, ["track", doc_id, "--status", "差不多"], env=env)
    assert r.exit_code != 0 and "状态只能是" in r.output
    r = runner.invoke(cli, ["track", "no-such-doc"], env=env)
    assert r.exit_code != 0 and "找不到公文" in r.output


def test_cli_ledger_comes_in_pages_like_the_api(api):
    """gongwen track lists a page of duties (--limit 1..500, default 100, --offset) in the order
    /api/track gives them; --json carries total and the page's duties as the API does, and the
    table says on stderr what it left out. Before: every duty of every notice at once (no
    --limit/--offset: an unknown option) and no total in the JSON."""
    import json

    from api.cli import app as cli

    c, _, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    whole = c.get("/api/track", params={"today": "2030-01-01", "limit": 500}).json()
    assert whole["total"] > 3
    runner = CliRunner()
    got = []
    for offset in range(0, whole["total"], 3):
        r = runner.invoke(cli, ["track", "--today", "2030-01-01", "--limit", "3", "--offset", str(offset), "--json"],
                          env=env)
        assert r.exit_code == 0, r.output
        page = json.loads(r.stdout)
        assert page["total"] == whole["total"] and 1 <= len(page["duties"]) <= 3, r.output
        assert f"共 {whole['total']} 项" in r.stderr, r.stderr
        got += page["duties"]
    assert got == whole["duties"]
    r = runner.invoke(cli, ["track", "--today", "2030-01-01", "--limit", "2"], env=env)
    assert r.exit_code == 0 and f"共 {whole['total']} 项，列出第 1–2 项" in r.stderr, r.stderr
    r = runner.invoke(cli, ["track", "--today", "2030-01-01", "--offset", str(whole["total"])], env=env)
    assert r.exit_code == 0 and "之后没有了" in r.stderr
    for bad in (["--limit", "0"], ["--limit", "501"], ["--offset", "-1"]):
        r = runner.invoke(cli, ["track", *bad], env=env)
        assert r.exit_code != 0, bad


def test_cli_xlsx_to_a_folder_or_a_missing_folder_names_it_and_leaves_nothing(api, tmp_path):
    """`gongwen track --format xlsx -o` a folder, or a file in a folder that does not exist:
    one line naming what was given, and no `.part` file left beside it. Before: 错误：
    outdir.part：这是文件夹, with an empty outdir.part left behind (and x.xlsx.part named)."""
    from api.cli import app as cli

    _, _, s = api
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    folder = tmp_path / "out"
    folder.mkdir()
    for target in (folder, tmp_path / "missing" / "x.xlsx"):
        r = CliRunner().invoke(cli, ["track", "--format", "xlsx", "-o", str(target)], env=env)
        assert r.exit_code == 1 and f"无法写入 {target}：" in r.stderr and ".part" not in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and not any(folder.iterdir())


def test_re_matching_a_log_keeps_its_links_to_the_duties_it_completed(tmp_path):
    """`gongwen track-match --log ID` / POST /api/track/match run again on a log that already
    completed a one-off duty (信息员名单 due 2024-04-10) leaves its links as they are, whether
    the link is the matcher's or a person confirmed it. Before: the rerun saw the duty closed by
    that very link, dropped the link and linked the log to another duty instead (each rerun
    flipped between the two); a confirmed link stayed but gained a second link beside it."""
    from api.app import create_app
    from api.cli import app as cli
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key = tmp_path, fresh_db_url(), "test-key"
    env = {"GONGWEN_DATA": str(s.data_dir), "GONGWEN_DB": s.db_url}
    log = {"id": "R1", "date": "2024-04-08", "region": "江西省/吉安市/泰和县", "tasks": [], "risks": [],
           "text": "县总工会已指定1名工作人员担任信息员，信息员名单已报送市总工会权益保障部。"}
    with TestClient(create_app(s)) as c:
        r = c.post("/api/documents", files={"file": (NOTICE.name, NOTICE.read_bytes())}, headers=KEY)
        doc_id = r.json()["id"]
        assert c.post("/api/logs", json=[log], headers=KEY).status_code == 201

        def links() -> list[tuple[str, str, str]]:
            ledger = c.get(f"/api/track/{doc_id}", params={"today": "2024-04-09"}).json()
            return sorted((d["text"], o["status"], e["state"]) for d in ledger["duties"] for o in d["occurrences"]
                          for e in o["evidence"] if e["log_id"] == "R1")

        first = links()
        assert [(status, state) for text, status, state in first if "信息员名单" in text] == [("已完成", "auto")]

        def rerun(expected: list[tuple[str, str, str]]) -> None:
            result = CliRunner().invoke(cli, ["track-match", "--log", "R1", "--today", "2024-04-09"], env=env)
            assert result.exit_code == 0, result.output
            assert links() == expected
            r = c.post("/api/track/match", json={"log_ids": ["R1"], "today": "2024-04-09"}, headers=KEY)
            assert r.status_code == 200, r.text
            assert links() == expected

        rerun(first)
        ledger = c.get(f"/api/track/{doc_id}", params={"today": "2024-04-09"}).json()
        link_id = next(e["link_id"] for d in ledger["duties"] if "信息员名单" in d["text"]
                       for o in d["occurrences"] for e in o["evidence"] if e["log_id"] == "R1")
        assert c.post(f"/api/track/links/{link_id}/confirm", headers=KEY).status_code == 200
        confirmed = [(text, status, "confirmed" if "信息员名单" in text else state) for text, status, state in first]
        assert links() == confirmed
        rerun(confirmed)


def test_xlsx_keeps_a_duty_that_begins_with_an_equals_sign_as_text(tmp_path):
    """A clause pasted from a web page or a spreadsheet can begin with "=": the 督办台账 XLSX holds
    it as the text it is. Before, it went in as a formula, so Excel showed #NAME? or asked to repair
    the file (and "=HYPERLINK(…)" would have been a live link in the ledger)."""
    import io

    from openpyxl import load_workbook

    from api.app import create_app
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url, s.api_key = tmp_path / "data", fresh_db_url(), "test-key"
    notice = ("关于报送职工书屋建设情况的通知\n各基层工会：\n=各基层工会须于6月30日前报送书屋建设情况。\n"
              "=SUM(1,2)各分会须于7月10日前上报读书活动名单。\n某某市总工会\n2024年5月6日\n")
    with TestClient(create_app(s)) as c:
        r = c.post("/api/documents", files={"file": ("书屋.txt", notice.encode("utf-8"))}, headers=KEY)
        assert r.status_code == 201, r.text
        ledger = c.get("/api/track", params={"today": "2024-05-10"}).json()["duties"]
        written = [(d["text"], "、".join(d["actors"])) for d in ledger]
        assert any(text.startswith("=") for text, _ in written), written  # the case this test is about
        r = c.get("/api/track/export.xlsx", params={"today": "2024-05-10"})
        assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [(row[1], row[2] or "") for row in sheet.iter_rows(min_row=2, values_only=True)] == written
