"""Schema changes go through Alembic migrations (index/store/migrations): a store
opens any database at the newest revision, and a database made by the last
release before migrations (tests/data/schema_0_1_0.*.sql, its `create_all`
output) is upgraded with its data kept. On SQLite and PostgreSQL."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from test_store import make_doc

from index.store import Store
from index.store.migrate import SchemaTooNew, current_revision, head_revision
from index.store.migrations import HEAD
from index.store.models import AlertRow, Base, ChecklistRow, LogLabelRow, LogRow
from index.store.store import INDEX_ATTEMPTS, _document_row, _file_row

# database_url: a database with no table yet, also on PostgreSQL (conftest._test_database)
pytestmark = pytest.mark.blank_db

DATA = Path(__file__).parent / "data"


def old_release_database(url: str, *, without: tuple[str, ...] = ()) -> None:
    """Tables exactly as gongwen 0.1.0 created them (minus `without`), filled with a
    document (file, parts, sections, checklist) and a log with its labels and alert."""
    engine = sa.create_engine(url)
    ddl = (DATA / f"schema_0_1_0.{engine.dialect.name}.sql").read_text(encoding="utf-8")
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", ddl).split(";") if s.strip()]
    with engine.begin() as conn:
        for stmt in statements:
            if not any(re.search(rf"\b(TABLE|ON) {t}\b", stmt) for t in without):
                conn.exec_driver_sql(stmt)
    doc = make_doc()
    with Session(engine) as s, s.begin():
        s.add(_file_row(doc))
        s.flush()
        row = _document_row(doc)
        row.checklist = ChecklistRow(data={"obligations": [{"id": "1", "text": "每季度报送"}]}, extractor_version="old")
        s.add(row)
        # the log's columns of 0.1.0 only (the model has more since: words, words_version)
        s.execute(sa.insert(LogRow).values(id="L1", text="拖欠工资", meta={}, tasks=[],
                                           risks=[{"id": "wage_arrears", "severity": "high"}]))
        s.add(LogLabelRow(log_id="L1", kind="risk", label="wage_arrears"))
        s.add(AlertRow(log_id="L1", risk="wage_arrears", severity="high", evidence=[], status="open"))
    engine.dispose()


def test_head_constant_names_the_newest_script():
    assert HEAD == head_revision()


def test_a_new_database_matches_the_models(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = Store(database_url)
    with store.engine.connect() as conn:
        assert current_revision(conn) == HEAD
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    store.close()
    assert diffs == []  # a model change without its migration fails here


@pytest.mark.parametrize("without", [(), ("document_files",)], ids=["0.1.0", "before-document-files"])
def test_an_old_release_database_is_upgraded_with_its_data(database_url, without):
    old_release_database(database_url, without=without)
    store = Store(database_url)
    doc = make_doc()
    assert store.get_document(doc.id) == doc
    assert store.get_checklist(doc.id)["obligations"][0]["text"] == "每季度报送"
    assert [r["id"] for r in store.list_logs(tag="wage_arrears")] == ["L1"]
    assert [a["risk"] for a in store.list_alerts()] == ["wage_arrears"]
    with store.engine.connect() as conn:
        assert current_revision(conn) == HEAD
    # the upgraded store works as a new one: new writes queue their index work
    assert store.count_pending() == 0
    assert store.attach_file(doc.id, make_doc("a.pdf", salt="pdf")) is True
    assert store.document_files(doc.id)[1]["name"] == "a.pdf"
    store.add_logs([{"id": "L2", "text": "新日志"}])
    assert store.pending_index() and store.pending_index()[-1][1:] == ("log", "L2")
    store.close()
    Store(database_url).close()  # opening again: already at head


def test_a_database_from_a_newer_gongwen_is_refused_in_one_line(database_url):
    url = database_url
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="请升级 gongwen"):
        Store(url)


def at_revision(database_url: str, revision: str, insert: str) -> None:
    """A database migrated only up to `revision`, holding the rows `insert` writes."""
    from alembic import command

    from index.store.migrate import config

    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        command.upgrade(config(conn), revision)
        conn.execute(sa.text(insert))
    engine.dispose()


def test_outbox_entries_queued_before_the_dead_letter_columns_stay_queued(database_url):
    """0004 adds attempts / error / failed_at to index_outbox: work a 0003 database had
    queued is still waiting after the upgrade, with no attempts counted."""
    at_revision(database_url, "0003", "INSERT INTO index_outbox (kind, target, created_at) VALUES "
                "('log', 'L1', CURRENT_TIMESTAMP), ('document', 'D1', CURRENT_TIMESTAMP)")
    store = Store(database_url)
    with store.engine.connect() as conn:
        assert current_revision(conn) == HEAD
    assert [e[1:] for e in store.pending_index()] == [("log", "L1"), ("document", "D1")]
    assert store.count_pending() == 2 and store.count_failed() == 0
    first = store.pending_index()[0][0]
    for _ in range(INDEX_ATTEMPTS):
        store.index_refused({first: "ValueError: refused"})
    assert store.count_pending() == 1 and store.failed_index()[0]["target"] == "L1"
    assert store.retry_failed() == 1 and store.count_pending() == 2
    store.close()


def test_logs_stored_before_words_were_kept_are_cut_when_read(database_url):
    """0005 adds logs.words / words_version: a log of a 0004 database has none after the
    upgrade (topics cut it and store its words), a log stored after has them."""
    from nlp.analysis import dictionary_version, log_words, stored_words

    at_revision(database_url, "0004", "INSERT INTO logs (id, text, meta, tasks, risks, created_at) VALUES "
                "('L1', '拖欠工资两个月', '{}', '[]', '[]', CURRENT_TIMESTAMP)")
    store = Store(database_url)
    store.add_logs([{"id": "L2", "text": "走访职工之家"}])
    old, new = sorted(store.iter_logs(words=True), key=lambda x: x["id"])
    assert old["words"] is None and stored_words(old) is None
    assert new["words_version"] == dictionary_version() and stored_words(new) == log_words(new)
    store.set_log_words({"L1": log_words(old)}, dictionary_version())
    assert stored_words(next(store.iter_logs(words=True))) == log_words(old)
    store.close()


def test_a_log_stored_on_sqlite_with_a_nul_in_its_id_is_reachable_again(tmp_path, monkeypatch):
    """Before every bound string's NUL became a space on SQLite too (as on PostgreSQL), a log
    id with a NUL was stored raw there. 0006 gives each such log the id a lookup of the old
    one asks for now (numbered when another log holds it), labels and alerts kept, and moves
    its search-index entry. Before: it listed, but sending it again stored a second log, and
    `gongwen reindex` dropped it from the index so `gongwen check` never agreed again."""
    import json
    import sqlite3

    from typer.testing import CliRunner

    from api.cli import app as cli
    from api.service import Gongwen, log_item
    from api.settings import Settings
    from index.search import open_index

    monkeypatch.delenv("GONGWEN_DB", raising=False)
    data = tmp_path / "data"
    with Gongwen(Settings(data_dir=data)) as app:  # a store and index at today's head
        app.add_logs([{"id": "c d", "text": "走访企业，了解工会会员发展情况。"}])
        db = app.store.engine.url.database
    # what an older gongwen wrote on SQLite: raw NULs in ids, in the store and in the index
    old = [{"id": "a\x00b", "text": "职工反映宿舍漏水，三个月无人维修。", "risks": [{"id": "wage_arrears", "severity": "high"}]},
           {"id": "c\x00d", "text": "蹲点发现食堂卫生检查记录缺失。", "risks": []}]
    with sqlite3.connect(db) as raw:
        for log in old:
            raw.execute("INSERT INTO logs (id, text, meta, tasks, risks, created_at) VALUES (?, ?, '{}', '[]', ?, "
                        "CURRENT_TIMESTAMP)", (log["id"], log["text"], json.dumps(log["risks"])))
        raw.execute("INSERT INTO log_labels (log_id, kind, label) VALUES (?, 'risk', 'wage_arrears')", ("a\x00b",))
        raw.execute("INSERT INTO alerts (log_id, risk, severity, evidence, status, created_at) VALUES "
                    "(?, 'wage_arrears', 'high', '[]', 'open', CURRENT_TIMESTAMP)", ("a\x00b",))
        raw.execute("UPDATE alembic_version SET version_num = '0005'")
        raw.execute("DROP TABLE file_names")  # made by 0007: the database as 0005 left it
    index = open_index(Settings(data_dir=data))
    index.replace_documents([log["id"] for log in old], [log_item({**log, "tasks": []}) for log in old])
    index.close()

    runner = CliRunner()
    env = {"GONGWEN_DATA": str(data)}
    listed = runner.invoke(cli, ["logs", "--json"], env=env)
    logs = {r["id"]: r for r in map(json.loads, listed.stdout.splitlines())}
    assert set(logs) == {"a b", "c d", "c d（2）"}, listed.output
    assert logs["c d（2）"]["text"] == old[1]["text"] and logs["a b"]["risks"][0]["id"] == "wage_arrears"
    alerts = runner.invoke(cli, ["alerts", "--json"], env=env)
    assert [json.loads(a)["log_id"] for a in alerts.stdout.splitlines()] == ["a b"], alerts.output
    again = tmp_path / "again.jsonl"  # the first log sent again, NUL and all: it is that log, not a new one
    again.write_text(json.dumps({"id": "a\x00b", "text": old[0]["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = runner.invoke(cli, ["log", "add", str(again)], env=env)
    assert r.exit_code == 0, r.output
    assert len(runner.invoke(cli, ["logs", "--json"], env=env).stdout.splitlines()) == 3
    r = runner.invoke(cli, ["check"], env=env)
    assert r.exit_code == 0 and "一致" in r.output, r.output
    r = runner.invoke(cli, ["reindex"], env=env)
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["check"], env=env)
    assert r.exit_code == 0 and "日志：库中 3 条，索引中 3 条" in r.output, r.output
    found = runner.invoke(cli, ["search", "食堂卫生", "--json"], env=env)
    assert found.exit_code == 0 and found.stdout.count("食堂卫生检查记录缺失") >= 1, found.output


def test_a_checklist_stored_before_the_year_roll_gets_its_deadline_year_and_loses_the_false_alert(database_url):
    """Before 55c3cd5 a stored checklist kept the notice's year for 1月底前 in a December notice,
    so its calendar and its 督办台账 dated the duty before the notice, and an overdue alert could
    be raised for that day. 0008 reads each such deadline again: the year rolls, a printed year
    and a later day stay, the open alert of the old day goes (an acknowledged one stays), and
    the notice is queued for the index."""
    from icalendar import Calendar

    from index.store.track import TrackStore
    from nlp.checklist.export import to_ics

    def deadline(text, month, day, year):
        return {"text": text, "recurrence": "once", "month": month, "day": day, "year": year}

    store = Store(database_url)
    doc = make_doc(date="2021-12-06")
    checklist = {"document": {"title": doc.title, "date": "2021-12-06"}, "obligations": [
        {"id": "o1", "text": "各基层工会于1月底前报送总结", "actors": ["各基层工会"], "deadlines": [deadline("1月底前", 1, 31, 2021)]},
        {"id": "o2", "text": "于2021年3月底前完成", "deadlines": [deadline("2021年3月底前", 3, 31, 2021)]},
        {"id": "o3", "text": "于12月20日前报送名单", "deadlines": [deadline("12月20日前", 12, 20, 2021)]},
        {"id": "o4", "text": "于2月底前完成自查", "deadlines": [deadline("2月底前", 2, 28, 2021)]}]}
    store.add_document(doc, checklist)
    track = TrackStore(store)
    track.raise_alerts([(doc.id, "o1", sa_date(2021, 1, 31), "2021-01-31前"), (doc.id, "o4", sa_date(2021, 2, 28), "x"),
                        (doc.id, "o2", sa_date(2021, 3, 31), "2021-03-31前")])
    acknowledged = next(a for a in track.alerts() if a["obligation_id"] == "o4")
    track.acknowledge(acknowledged["id"], by="张三")
    store.clear_pending([e[0] for e in store.pending_index()])
    with store.engine.begin() as conn:  # the database as 0007 left it
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0007'"))
    store.close()

    store = Store(database_url)
    got = {o["id"]: o["deadlines"][0] for o in store.get_checklist(doc.id)["obligations"]}
    assert {k: (d["year"], d["month"], d["day"]) for k, d in got.items()} == {
        "o1": (2022, 1, 31), "o2": (2021, 3, 31), "o3": (2021, 12, 20), "o4": (2022, 2, 28)}
    assert sorted((a["obligation_id"], a["due"]) for a in TrackStore(store).alerts()) == [
        ("o2", "2021-03-31"), ("o4", "2021-02-28")]
    assert [e[1:] for e in store.pending_index()] == [("document", doc.id)]
    days = [str(e.decoded("dtstart")) for e in Calendar.from_ical(to_ics(store.get_checklist(doc.id))).walk("VEVENT")]
    assert "2022-01-31" in days and "2021-01-31" not in days
    store.close()
    Store(database_url).close()  # at head: nothing runs again


def sa_date(*ymd):
    import datetime

    return datetime.date(*ymd)


def test_a_log_of_an_old_release_lists_over_http(database_url, tmp_path):
    """gongwen 0.1.0 stored a log's risks without evidence, and the store kept it as an empty
    list, which the API's schema refuses: GET /api/logs answered 500 on an upgraded store (and
    on any log stored with labels but no evidence). A risk without evidence now lists with
    `evidence: null`, as the schema says."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    old_release_database(database_url)
    s = Settings()
    s.data_dir, s.db_url = tmp_path / "data", database_url
    with TestClient(create_app(s), raise_server_exceptions=False) as client:
        r = client.get("/api/logs", params={"risk": "wage_arrears"})
        assert r.status_code == 200, r.text
        assert r.json()["items"][0]["risks"] == [{"id": "wage_arrears", "severity": "high", "evidence": None}]
        client.app.state.service.add_logs([{"id": "L2", "text": "拖欠工资", "tasks": [],
                                            "risks": [{"id": "wage_arrears", "severity": "high"}]}], tag=False)
        assert client.get("/api/logs").status_code == 200
