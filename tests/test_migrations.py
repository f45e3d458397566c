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
