"""A log dated after today is stored (schema-valid data is never refused) but said: a
Chinese line in POST /api/logs' `warnings`, on `gongwen log add`'s stderr and on the /logs
page the form lands on; `gongwen tag` (which stores nothing) says it on stderr. Before:
stored without a word everywhere."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from apps import store_client
from typer.testing import CliRunner

from api.cli import app
from api.service.logs import latest_today

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "future-key"}
TEXT = "走访园区企业，了解职工诉求。"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with store_client(tmp_path_factory, "future", "future-key") as c:
        yield c


def later(days: int) -> str:
    return (latest_today() + timedelta(days=days)).isoformat()


def test_the_api_stores_a_future_log_and_says_so(client):
    logs = [{"id": "F1", "text": TEXT, "date": later(400)}, {"id": "F2", "text": TEXT, "date": latest_today().isoformat()},
            {"id": "F3", "text": TEXT, "date": "2024-06-01"}, {"id": "F4", "text": TEXT}]
    r = client.post("/api/logs", json=logs, headers=KEY)
    assert r.status_code == 201, r.text
    assert [log["id"] for log in r.json()["items"]] == ["F1", "F2", "F3", "F4"]  # all stored
    [warning] = r.json()["warnings"]  # today, a past day and no date are not warned of
    assert warning.startswith(f"日志 F1 的日期 {later(400)} 晚于今天") and "请核对" in warning
    assert [log["id"] for log in client.get("/api/logs", params={"date_from": later(400)}).json()["items"]] == ["F1"]
    schema = client.get("/openapi.json").json()["components"]["schemas"]["LogsCreated"]
    assert "warnings" in schema["properties"] and "中文" in schema["properties"]["warnings"]["description"]


def test_the_cli_stores_a_future_log_and_says_so_on_stderr(client):
    result = CliRunner().invoke(app, ["log", "add", "--text", TEXT, "--id", "F5", "--date", later(30), "--json",
                                      *client.where])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "F5"  # stdout stays the data
    assert f"注意 日志 F5 的日期 {later(30)} 晚于今天" in result.stderr
    past = CliRunner().invoke(app, ["log", "add", "--text", TEXT, "--id", "F6", "--date", "2024-01-02", *client.where])
    assert past.exit_code == 0 and "晚于今天" not in past.stderr


def test_tag_says_so_on_stderr(tmp_path):
    """`gongwen tag` warns of a future date as log add does, through the same words less
    已照常保存 (it stores nothing). Before: not a word. A record with no id is named by its
    line, as its output row is; a date not YYYY-MM-DD (六月, which sorts after digits) is no date."""
    records = [{"id": "T1", "text": TEXT, "date": later(400)}, {"id": "T2", "text": TEXT, "date": "2024-06-01"},
               {"id": "T3", "text": TEXT, "date": "六月"}, {"text": TEXT, "date": later(1)}]
    src = tmp_path / "logs.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(src), "--json", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["T1", "T2", "T3", 4]
    warnings = [line for line in result.stderr.splitlines() if "晚于今天" in line]
    assert warnings == [f"注意 日志 T1 的日期 {later(400)} 晚于今天（{latest_today()}），请核对日期是否写错",
                        f"注意 日志 4 的日期 {later(1)} 晚于今天（{latest_today()}），请核对日期是否写错"]


def test_the_logs_page_says_so_after_the_form_stored_it(client):
    client.post("/api/logs", json={"id": "F7", "text": TEXT, "date": later(2)}, headers=KEY)
    page = client.get("/logs", params={"added": "F7"}).text
    assert "已保存并标注" in page and f"注意：日志 F7 的日期 {later(2)} 晚于今天" in page
    client.post("/api/logs", json={"id": "F8", "text": TEXT, "date": "2024-06-01"}, headers=KEY)
    plain = client.get("/logs", params={"added": "F8"}).text
    assert "已保存并标注" in plain and "晚于今天" not in plain



@pytest.mark.parametrize("added", ["\x00", "日" * 300, "no-such-log"])
def test_the_logs_page_reads_any_added_id(client, added):
    """?added= comes from the address bar: an id never stored, one longer than the column or
    with a NUL (which PostgreSQL refuses in a string) lists the page as usual."""
    page = client.get("/logs", params={"added": added})
    assert page.status_code == 200 and "晚于今天" not in page.text
