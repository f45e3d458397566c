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
