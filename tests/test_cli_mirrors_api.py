"""The list commands mirror their API endpoints on one real store: `gongwen documents`
takes GET /api/documents' filters (文号 too) through the same model and lists the same
notices, refusing what the API refuses in its words; `gongwen logs` and `gongwen search`
refuse a reversed date range as the API's 409 does, in one Chinese line."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest
from apps import store_client
from filter_notices import store_notices
from typer.testing import CliRunner

from api.cli import app

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "mirror-key"}
LOGS = [{"id": "M1", "text": "走访困难职工家庭三户，了解帮扶需求。", "region": "城关镇", "date": "2025-06-01"},
        {"id": "M2", "text": "组织职工开展技能比武，评出一等奖3名。", "region": "开发区", "date": "2025-07-01"}]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with store_client(tmp_path_factory, "mirror", "mirror-key") as c:
        store_notices(c, KEY)
        assert c.post("/api/logs", json=LOGS, headers=KEY).status_code == 201
        yield c


def cli(store, *args: str):
    return CliRunner().invoke(app, [*args, *store.where])


@pytest.mark.parametrize("query", [
    {"doc_number": "九工发[2024]15号"},  # the bracket as typed on any keyboard
    {"doc_number": "九工发〔2024〕5号"},  # 5号 is not 15号
    {"doc_number": "工发", "year": "2024"},
    {"issuer": "九江", "type": "通知"},
    {"year": "２０２４"},  # full-width digits, an input method's default
])
def test_documents_lists_what_the_api_lists(store, query):
    """Before: no --doc-number (没有这个选项), and a full-width year was refused as no integer."""
    options = [x for k, v in query.items() for x in (f"--{k.replace('_', '-')}", v)]
    result = cli(store, "documents", "--json", *options)
    assert result.exit_code == 0, result.output
    # the page's reading: a full-width year is the year in digits (the API takes digits only)
    api = store.get("/api/documents", params={k: unicodedata.normalize("NFKC", v) for k, v in query.items()})
    assert api.status_code == 200
    assert json.loads(result.stdout) == api.json()


@pytest.mark.parametrize("options, said, param", [
    (["--year", "1800"], "--year 应不小于 1949", {"year": "1800"}),
    (["--year", "abc"], "--year 应为整数", {"year": "abc"}),
    (["--doc-number", "工" * 129], "--doc-number 太长（最多 128 个字符）", {"doc_number": "工" * 129}),
    (["--issuer", "总" * 257], "--issuer 太长（最多 256 个字符）", {"issuer": "总" * 257}),
])
def test_documents_refuses_what_the_api_refuses(store, options, said, param):
    """Before: a year of 1800 or a value longer than its column listed nothing with exit 0,
    as if no notice matched."""
    result = cli(store, "documents", *options)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == f"错误：筛选条件有误：{said}"
    api = store.get("/api/documents", params=param)
    assert api.status_code == 422 and said.split(" ", 1)[1] in api.json()["error"]["message"]


@pytest.mark.parametrize("command", ["logs", "search"])
def test_a_reversed_date_range_is_refused_as_the_api_does(store, command):
    """Before: 蹲点日志 0 条 (exit 0) for --from 2025-07-01 --to 2025-06-01, as if none were there."""
    result = cli(store, command, "--from", "2025-07-01", "--to", "2025-06-01")
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "--from 2025-07-01 晚于 --to 2025-06-01" in result.stderr and "写反" in result.stderr
    api = store.get(f"/api/{command}", params={"q": "职工", "date_from": "2025-07-01", "date_to": "2025-06-01"})
    assert api.status_code == 409 and api.json()["error"]["code"] == "date_range_reversed"


def test_logs_take_the_api_s_date_names_and_list_the_same_logs(store):
    """--date-from/--date-to, GET /api/logs' names, beside --from/--to; one day (from = to) lists it."""
    for options in (["--date-from", "2025-06-15"], ["--from", "2025-06-01", "--to", "2025-06-01"],
                    ["--date-from", "2025-06-01", "--date-to", "2025-07-01"]):
        result = cli(store, "logs", "--json", *options)
        assert result.exit_code == 0, result.output
        params = {"date_from" if o in ("--from", "--date-from") else "date_to": v
                  for o, v in zip(options[::2], options[1::2])}
        api = store.get("/api/logs", params=params).json()
        assert [json.loads(line) for line in result.stdout.splitlines()] == api["items"], options


@pytest.mark.parametrize("query", [{"doc_number": "九工发[2024]15号"}, {"doc_number": "工发", "year": "2023"},
                                   {"issuer": "九江", "type": "通知", "q": "活动"}])
def test_search_takes_the_api_s_filters_and_finds_what_it_finds(store, query):
    """Before: gongwen search had no --doc-number (没有这个选项), which GET /api/search takes."""
    query = {"q": "工会", **query}
    options = [x for k, v in query.items() if k != "q" for x in (f"--{k.replace('_', '-')}", v)]
    result = cli(store, "search", query["q"], "--json", *options)
    assert result.exit_code == 0, result.output
    api = store.get("/api/search", params=query).json()
    mine = json.loads(result.stdout)
    assert api["total"] > 0 and [h["id"] for h in mine["hits"]] == [h["id"] for h in api["hits"]]
    assert mine["total"] == api["total"]


def test_search_refuses_a_year_the_api_refuses(store):
    """Before: --year 1800 searched and found nothing (exit 0) where the API answers 422."""
    result = subprocess.run([sys.executable, "-m", "api.cli", "search", "工会", "--year", "1800", *store.where],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().startswith("错误：参数 --year 的值不对：应不小于 1949；")
    assert store.get("/api/search", params={"q": "工会", "year": "1800"}).status_code == 422



@pytest.mark.parametrize("fmt", ["json", "md", "csv", "ics"])
def test_checklist_of_a_stored_notice_is_the_api_s(store, fmt):
    """`gongwen checklist ID` gives GET /api/documents/{id}/checklist's answer in each format.
    Before: only a file could be given (ID：找不到文件), so a stored notice's calendar or
    table needed its file again."""
    doc_id = store.get("/api/documents", params={"doc_number": "九工发〔2024〕15号"}).json()["items"][0]["id"]
    result = cli(store, "checklist", doc_id, "--format", fmt)
    assert result.exit_code == 0, result.output
    api = store.get(f"/api/documents/{doc_id}/checklist", params={"format": fmt})
    assert api.status_code == 200
    if fmt == "json":
        assert json.loads(result.stdout) == api.json() and api.json()["obligations"]
    else:
        assert result.stdout_bytes.strip() == api.content.strip()  # byte for byte, CRLF lines kept


def test_matching_a_log_id_not_stored_says_so(store):
    """`track-match --log ID` / POST /api/track/match with log_ids naming a log that is not
    stored (a typo). Before: exit 0 / 200 with 日志 0 条, as if the log had been looked at."""
    stored = store.get("/api/logs", params={"limit": 1}).json()["items"][0]["id"]
    result = cli(store, "track-match", "--log", stored, "--log", "no-such-log")
    assert result.exit_code == 1 and result.stderr.strip() == "错误：找不到日志：no-such-log；没有匹配任何日志", result.stderr
    r = store.post("/api/track/match", json={"log_ids": [stored, "no-such-log"]}, headers=KEY)
    assert r.status_code == 404 and r.json()["error"]["message"] == "找不到日志：no-such-log；没有匹配任何日志", r.text
    assert cli(store, "track-match", "--log", stored).exit_code == 0
    assert store.post("/api/track/match", json={"log_ids": [stored]}, headers=KEY).status_code == 200


def test_checklist_of_an_id_not_stored_says_so(store):
    result = cli(store, "checklist", "ffffffffffffffff")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "错误：找不到公文：ffffffffffffffff（也没有这个文件）"


@pytest.mark.parametrize("command, api", [(["track"], "/api/track"), (["track-alerts"], "/api/track/alerts"),
                                          (["track-match"], None)])
def test_the_ledger_reads_today_as_the_api_does(store, command, api):
    """--today is YYYY-MM-DD, as /api/track reads it. Before: 20240710 (which Python also reads)
    was taken as 2024-07-10 where the API answers 422, and track-match took --today 六月
    without a word when no --log was given."""
    for day in ("20240710", "六月"):
        result = cli(store, *command, "--today", day)
        assert result.exit_code == 1 and result.stderr.strip() == f"错误：--today应为 YYYY-MM-DD，收到：{day}"
        if api:
            assert store.get(api, params={"today": day}).status_code == 422
    assert cli(store, *command, "--today", "2024-07-10").exit_code == 0


def test_who_acknowledged_is_held_to_the_api_s_bound(store):
    """--by is the API's `by` (at most 200 characters, the store's column). Before: a longer one
    was stored on SQLite and failed PostgreSQL as 数据库出错（DataError）…, where the API answers
    422; the alert stays open either way now."""
    r = store.post("/api/logs", json={"id": "M3", "text": "车间发生一起工伤事故，两名工人受伤送医。", "date": "2025-06-02"},
                   headers=KEY)
    [alert] = r.json()["alerts"]
    long_by = "张" * 201
    result = cli(store, "alerts", "ack", str(alert["id"]), "--by", long_by)
    assert result.exit_code == 1 and result.stderr.strip() == "错误：--by 太长（201 个字符，最多 200 个字符）"
    assert store.post(f"/api/alerts/{alert['id']}/ack", json={"by": long_by}, headers=KEY).status_code == 422
    assert [a["id"] for a in store.get("/api/alerts", params={"status": "open"}).json()["items"]] == [alert["id"]]
    for command in (["track-link", "confirm", "1"], ["track-link", "reject", "1"], ["track-alerts", "--ack", "1"]):
        refused = cli(store, *command, "--by", long_by)
        assert refused.exit_code == 1 and "--by 太长（201 个字符" in refused.stderr, command
    done = cli(store, "alerts", "ack", str(alert["id"]), "--by", "张" * 200)
    assert done.exit_code == 0 and store.get("/api/alerts", params={"status": "open"}).json()["total"] == 0


def test_documents_say_which_page_they_list(store):
    """As gongwen logs, alerts and track do (on stderr: --json stays JSON). Before: --limit 1
    listed one notice of three and --offset past the end an empty list, without a word."""
    first = cli(store, "documents", "--json", "--limit", "1", "--issuer", "九江")
    assert json.loads(first.stdout)["total"] == 2
    assert first.stderr.strip() == "共 2 篇，列出第 1–1 篇（用 --limit / --offset 翻页）"
    past = cli(store, "documents", "--offset", "5")
    assert past.exit_code == 0 and past.stderr.strip() == "共 3 篇，--offset 5 之后没有了"
    whole = cli(store, "documents", "--json")
    assert whole.stderr == "" and len(json.loads(whole.stdout)["items"]) == 3


def test_documents_page_within_the_api_s_bounds(store):
    """--limit and --offset are held to GET /api/documents' bounds (500; 10^9), one Chinese line
    and exit 2 as `gongwen logs --limit 501` says. Before: --limit 10000 listed, where the API
    answers 422."""
    for option, value, said in (("--limit", "501", "应不大于 500"), ("--offset", str(10**9 + 1), "应不大于 1000000000")):
        result = subprocess.run([sys.executable, "-m", "api.cli", "documents", option, value, *store.where],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().startswith(f"错误：参数 {option} 的值不对：{said}；"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert store.get("/api/documents", params={option[2:]: value}).status_code == 422
    edge = cli(store, "documents", "--json", "--limit", "500", "--offset", str(10**9))
    assert edge.exit_code == 0 and json.loads(edge.stdout) == store.get(
        "/api/documents", params={"limit": 500, "offset": 10**9}).json()


def test_one_topic_is_the_api_s(store):
    """`gongwen topics show ID` gives GET /api/topics/{id}'s topic. Before: no such command
    (the CLI printed every topic at once, in a slimmer shape)."""
    listing = store.get("/api/topics").json()
    topics = listing["topics"]
    assert topics
    for topic in topics[:2]:
        result = cli(store, "topics", "show", str(topic["id"]))
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == store.get(f"/api/topics/{topic['id']}").json() == topic
    # past the topics that hold no stored log too: the model has those
    missing = max([t["id"] for t in topics] + listing["topics_without_logs"]) + 1
    result = cli(store, "topics", "show", str(missing))
    assert result.exit_code == 1 and result.stderr.strip() == f"错误：找不到课题：{missing}"
    assert store.get(f"/api/topics/{missing}").status_code == 404


@pytest.mark.parametrize("q", ["risk:zzz", "工会 AND risk:劳动关系协调", "工会 OR NOT 风险:wage_arrearz"])
def test_a_risk_in_the_query_naming_no_risk_is_refused_as_the_risk_filter_is(store, q):
    """Before: q=risk:zzz (a typo, or a task category where a risk goes) answered 200 with no
    hit and no word, on GET /api/search and `gongwen search` (exit 0), where the risk filter
    (risk=zzz, --risk zzz) is refused with the risks there are. Now the query's risk: is
    checked as its kind: is: 400 bad_query, the risks listed; the CLI says the same line, exit 1.
    A risk by its id or Chinese name still searches."""
    api = store.get("/api/search", params={"q": q})
    assert api.status_code == 400, api.text
    error = api.json()["error"]
    assert error["code"] == "bad_query" and "的风险信号“" in error["message"]
    assert "欠薪欠保（wage_arrears）" in error["message"]
    result = cli(store, "search", q)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == f"错误：{error['message']}"
    for ok in ("risk:欠薪欠保", "risk:wage_arrears", "工会 OR risk:欠薪欠保"):
        assert store.get("/api/search", params={"q": ok}).status_code == 200
        assert cli(store, "search", ok).exit_code == 0


def test_search_pages_within_the_api_s_bounds(store):
    """`gongwen search --page` is held to GET /api/search's bound (page 1000, 100 a page): one
    Chinese line and exit 2, where the API answers 422. Before: the CLI took pages up to
    1,000,000 (--page 1000000 --per-page 100 searched, exit 0) where the API stops at 1000."""
    for option, value, said in (("--page", "1001", "应不大于 1000"), ("--per-page", "101", "应不大于 100")):
        result = subprocess.run([sys.executable, "-m", "api.cli", "search", "工会", option, value, *store.where],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip().startswith(f"错误：参数 {option} 的值不对：{said}；"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert store.get("/api/search", params={"q": "工会", option[2:].replace("-", "_"): value}).status_code == 422
    edge = cli(store, "search", "工会", "--json", "--page", "1000", "--per-page", "100")
    assert edge.exit_code == 0, edge.output
    api = store.get("/api/search", params={"q": "工会", "page": 1000, "per_page": 100}).json()
    assert json.loads(edge.stdout)["total"] == api["total"] > 0
