"""With few logs most of the saved model's topics hold none: a topic no log falls into
is no finding, so `gongwen topics`, GET /api/topics and the 调研课题 page leave it out
of their list alike and say how many they left out; asked for by id, it is told apart
from an id the model does not have."""
from __future__ import annotations

import json
import re

import pytest
from apps import store_client
from typer.testing import CliRunner

from api.cli import app

pytestmark = pytest.mark.db  # stores: runs on SQLite and on PostgreSQL

KEY = {"X-API-Key": "few-key"}
LOGS = [{"id": "F1", "text": "到一家机械厂走访，工人说三个月没发工资，老板躲着不见。", "region": "城南区", "date": "2025-03-02"},
        {"id": "F2", "text": "机械厂补发了一个月工资，剩下的欠薪约定月底前结清。", "region": "城南区", "date": "2025-03-20"},
        {"id": "F3", "text": "给环卫工人送去防暑药品和凉茶，检查了休息点的空调。", "region": "城北区", "date": "2025-07-15"}]


@pytest.fixture(scope="module")
def few(tmp_path_factory):
    with store_client(tmp_path_factory, "few-logs", "few-key") as c:
        assert c.post("/api/logs", json=LOGS, headers=KEY).status_code == 201
        yield c


def _listed(page: str) -> list[str]:
    """The topic ids in the page's 全部话题 table."""
    table = page.split("<h3>全部话题</h3>", 1)[1] if "<h3>全部话题</h3>" in page else ""
    return re.findall(r'<tr[^>]*><td class="nowrap">(\d+)</td>', table)


def test_topics_without_logs_are_left_out_alike(few):
    from nlp.topics import TopicModel

    api = few.get("/api/topics", headers=KEY).json()
    model_ids = {t.id for t in TopicModel.load(few.app.state.service.topic_dir()).topics}
    listed = [t["id"] for t in api["topics"]]
    assert api["n_logs"] == 3 and listed
    assert all(t["size"] > 0 for t in api["topics"]), [(t["id"], t["size"]) for t in api["topics"]]
    assert sum(t["size"] for t in api["topics"]) == 3
    # the model still holds the others; the answer says which ones it left out
    assert set(api["topics_without_logs"]) == model_ids - set(listed) != set()

    result = CliRunner().invoke(app, ["topics", "--format", "json", *few.where])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert [t["id"] for t in cli["topics"]] == listed
    assert cli["topics_without_logs"] == api["topics_without_logs"]

    note = f"另有 {len(api['topics_without_logs'])} 个话题在这些日志中没有出现，未列出"
    table = CliRunner().invoke(app, ["topics", *few.where], terminal_width=200)
    assert table.exit_code == 0, table.output
    assert note in table.stdout
    rows = [line for line in table.stdout.splitlines() if re.match(r"^\s*│\s*\d+\s*│", line)]
    assert sorted(int(r.split("│")[1]) for r in rows) == sorted(listed)

    page = few.get("/topics", headers=KEY).text
    assert sorted(map(int, _listed(page))) == sorted(listed)
    assert note in page and f"发现 {len(listed)} 个话题" in page


def test_a_topic_without_logs_is_told_apart_from_an_unknown_id(few):
    """Before: `topics show` and GET /api/topics/{id} answered 找不到课题 for a topic the
    model holds but no stored log falls into, as for an id the model does not have."""
    api = few.get("/api/topics", headers=KEY).json()
    empty = api["topics_without_logs"][0]
    unknown = max([t["id"] for t in api["topics"]] + api["topics_without_logs"]) + 1

    held = few.get(f"/api/topics/{empty}", headers=KEY)
    assert held.status_code == 404
    error = held.json()["error"]
    assert error["code"] == "topic_without_logs"
    assert str(empty) in error["message"] and "没有日志" in error["message"]
    gone = few.get(f"/api/topics/{unknown}", headers=KEY)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "not_found" != error["code"]
    assert gone.json()["error"]["message"] == f"找不到课题：{unknown}"

    result = CliRunner().invoke(app, ["topics", "show", str(empty), *few.where])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"错误：{error['message']}"
    result = CliRunner().invoke(app, ["topics", "show", str(unknown), *few.where])
    assert result.exit_code == 1 and result.stderr.strip() == f"错误：找不到课题：{unknown}"
