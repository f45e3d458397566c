"""A log sent again under a stored id replaces that log (by design), and says so: a line on
`gongwen log add`'s stderr and the ids in POST /api/logs' `replaced`. Before: only 已保存."""
from __future__ import annotations

import json

import pytest
from apps import store_client
from typer.testing import CliRunner

from api.cli import app

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "replace-key"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with store_client(tmp_path_factory, "replace", "replace-key") as c:
        yield c


def add(client, text, *extra):
    return CliRunner().invoke(app, ["log", "add", "--text", text, "--id", "R1", "--date", "2024-05-06",
                                    *extra, *client.where])


def test_log_add_says_it_replaced_a_stored_log(client):
    first = add(client, "上午走访物流园区，了解快递员参保情况。")
    assert first.exit_code == 0, first.output
    assert "已替换" not in first.stderr  # a new id is only saved
    again = add(client, "下午回访物流园区，快递员参保登记已完成。", "--json")
    assert again.exit_code == 0, again.output
    assert "已替换日志 R1（原有内容已覆盖）" in again.stderr
    assert json.loads(again.stdout)["replaced"] is True
    stored = client.get("/api/logs").json()["items"]
    assert [log["text"] for log in stored if log["id"] == "R1"] == ["下午回访物流园区，快递员参保登记已完成。"]


def test_the_api_names_the_logs_it_replaced(client):
    r = client.post("/api/logs", json=[{"id": "R2", "text": "走访社区服务站，收集职工意见。"}], headers=KEY)
    assert r.status_code == 201 and r.json()["replaced"] == []
    r = client.post("/api/logs", json=[{"id": "R2", "text": "回访社区服务站，意见已转交。"},
                                       {"id": "R3", "text": "走访产业园，了解用工情况。"}], headers=KEY)
    assert r.status_code == 201 and r.json()["replaced"] == ["R2"]


def test_a_replaced_log_keeps_only_the_alerts_its_new_text_supports(client):
    """Before (real gongwen serve): a log replaced by a text stating no risk kept its alerts —
    an open critical one quoting 集体上访 at offsets 22..26 of a text that no longer holds it —
    and POST /api/logs answered them as the new text's alerts. Now an alert of a risk the new
    text still states stays (acknowledged stays acknowledged) with the new text's evidence; the
    others are removed, and the answer says which (warnings)."""
    first = client.post("/api/logs", json={"id": "R4", "text": "走访物流园，司机反映公司拖欠工资三个月，准备集体上访。"},
                        headers=KEY).json()
    raised = {a["risk"]: a for a in first["alerts"]}
    assert {"wage_arrears", "collective_incident"} <= raised.keys(), first["alerts"]
    assert client.post(f"/api/alerts/{raised['wage_arrears']['id']}/ack", json={"by": "值班员"}, headers=KEY).status_code == 200

    still = "回访物流园，司机反映公司仍拖欠工资两个月。"
    r = client.post("/api/logs", json={"id": "R4", "text": still}, headers=KEY).json()
    assert r["replaced"] == ["R4"]
    alerts = [a for a in client.get("/api/alerts", params={"limit": 500}).json()["items"] if a["log_id"] == "R4"]
    assert [a["risk"] for a in alerts] == ["wage_arrears"], alerts
    [kept] = alerts
    assert kept["id"] == raised["wage_arrears"]["id"] and kept["status"] == "acknowledged"
    ev = kept["evidence"]
    assert still[ev["start"]:ev["end"]] == ev["text"]
    assert [a["risk"] for a in r["alerts"]] == ["wage_arrears"]
    assert any("R4" in w and "不再提到" in w and "撤销" in w for w in r["warnings"]), r["warnings"]

    r = client.post("/api/logs", json={"id": "R4", "text": "回访物流园，工资已全部结清。"}, headers=KEY).json()
    assert r["alerts"] == [] and any("已确认" in w for w in r["warnings"]), r
    assert not [a for a in client.get("/api/alerts", params={"limit": 500}).json()["items"] if a["log_id"] == "R4"]
