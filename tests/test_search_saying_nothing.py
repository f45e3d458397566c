"""A search with nothing relevant says so: no hits and a Chinese note, the same in
the API, the CLI and the web page; a search with an answer lists it with no note.
The field logs here are written for the test."""
from __future__ import annotations

import re
from html import unescape

import pytest
from backends import fresh_db_url
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from index.search import rerank
from index.search.common import NOTHING_RELEVANT

pytestmark = pytest.mark.db

LOGS = [
    {"id": "sn-1", "text": "组织职工乒乓球比赛，每队五人，报名截止本月底。", "date": "2025-03-02"},
    {"id": "sn-2", "text": "拔河比赛每队十人，其中女职工不少于三人。", "date": "2025-03-03"},
    {"id": "sn-3", "text": "比赛规则另行通知，请各分会做好准备。", "date": "2025-03-04"},
    {"id": "sn-4", "text": "走访园区企业，了解职工工资发放情况。", "date": "2025-03-05"},
]
NOTHING = "游泳比赛 奖品"  # no log holds 游泳 or 奖品: the logs sharing only 比赛 are no answer
ANSWERED = "乒乓球 比赛"


@pytest.fixture(scope="module")
def app_settings(tmp_path_factory):
    from api.service import Gongwen
    from api.settings import Settings

    s = Settings()
    s.data_dir = tmp_path_factory.mktemp("saying-nothing")
    s.db_url = fresh_db_url()  # SQLite: None, the data folder's own file
    Gongwen(s).add_logs([{**r, "tasks": [], "risks": []} for r in LOGS])
    return s


@pytest.fixture(scope="module")
def client(app_settings):
    from api.app import create_app

    with TestClient(create_app(app_settings)) as c:
        yield c


def test_silence_ships_on():
    assert rerank.SILENT_COVER > 0


def test_api_answers_nothing_with_the_note(client):
    body = client.get("/api/search", params={"q": NOTHING}).json()
    assert body["total"] == 0 and body["hits"] == [] and body["note"] == NOTHING_RELEVANT
    body = client.get("/api/search", params={"q": ANSWERED}).json()
    assert body["hits"] and body["hits"][0]["id"] == "sn-1" and body["note"] == ""


def test_web_page_shows_the_note_and_no_hits(client):
    page = client.get("/", params={"q": NOTHING}).text
    assert NOTHING_RELEVANT in unescape(page) and '<div class="hit">' not in page
    assert "以下结果包含其中部分词语" not in page  # not told that loose matches follow
    page = client.get("/", params={"q": ANSWERED}).text
    assert NOTHING_RELEVANT not in unescape(page) and '<div class="hit">' in page


def test_cli_prints_the_note_and_no_hits(app_settings):
    from api.cli import app

    where = ["--data-dir", str(app_settings.data_dir)] + (["--db", app_settings.db_url] if app_settings.db_url else [])
    res = CliRunner().invoke(app, ["search", NOTHING, *where])
    assert res.exit_code == 0, res.output
    text = re.sub(r"\s+", "", res.output)  # rich wraps long lines
    assert re.sub(r"\s+", "", NOTHING_RELEVANT) in text and "共0条结果" in text
    assert not any(log["text"][:6] in text for log in LOGS)  # no loose match listed
    res = CliRunner().invoke(app, ["search", ANSWERED, *where])
    assert res.exit_code == 0 and "1." in res.output and NOTHING_RELEVANT not in res.output
