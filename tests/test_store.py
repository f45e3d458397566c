"""The store on a real SQLite file and, when PostgreSQL is installed, on a
throwaway PostgreSQL cluster (the `database_url` fixture, conftest.py):
idempotent, all-or-nothing writes, filters, field logs and their alerts."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from index.store import InvalidRecord, Store
from index.store.models import Base
from ingest.document import Document, Part, Section, Source


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()


# ------------------------------------------------------------------ documents


def make_doc(name="a.txt", *, issuer="九江市总工会", date="2024-03-05", doc_type="通知", salt="",
             title="关于开展困难职工帮扶工作的通知", issuers=None) -> Document:
    """A small but complete 公文 with real offsets: one part, a two-level section tree."""
    lines = [
        f"{issuer}文件", "九工发〔2024〕5号", title, "各县（市、区）总工会：", "为做好帮扶工作，现通知如下。",
        "一、工作目标", "全面摸清困难职工底数。", "（一）摸底排查", "各基层工会于3月31日前完成摸底。",
        "二、工作要求", "每季度报送一次工作情况。", issuer, "2024年3月5日", salt,
    ]
    text = "\n".join(lines)
    at = text.index

    def sec(number, title, level, path, own, end_marker, children=()):
        start = at(number + title)
        end = at(end_marker) if end_marker else len(text)
        return Section(number=number, title=title, level=level, path=path, text=own, start=start, end=end,
                       children=list(children))

    child = sec("（一）", "摸底排查", 2, ["一、工作目标", "（一）摸底排查"], "各基层工会于3月31日前完成摸底。", "二、")
    s1 = sec("一、", "工作目标", 1, ["一、工作目标"], "全面摸清困难职工底数。", "二、", [child])
    s2 = sec("二、", "工作要求", 1, ["二、工作要求"], "每季度报送一次工作情况。", issuer + "\n2024")
    part = Part(kind="notice", title=title, text=text, start=0, end=len(text),
                preamble="为做好帮扶工作，现通知如下。", sections=[s1, s2])
    import hashlib

    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(
        text=text, source=Source(name=name, format="txt", sha256=sha, size=len(text.encode()), path=f"/x/{name}",
                                 encoding="utf-8"),
        letterhead=f"{issuer}文件", issuer=issuer, issuers=issuers or [issuer], doc_number="九工发〔2024〕5号",
        title=title, date=date, recipients=["各县（市、区）总工会"], doc_type=doc_type, parts=[part],
    )


def table_counts(store: Store) -> dict[str, int]:
    """Rows of stored data per table (the index outbox is work for the search index, not data)."""
    with store.session() as s:
        return {t.name: s.scalar(sa.select(sa.func.count()).select_from(t)) for t in Base.metadata.sorted_tables
                if t.name != "index_outbox"}


def test_add_document_is_idempotent_and_round_trips(store):
    doc = make_doc()
    assert store.add_document(doc, {"tasks": [{"id": "t1"}]}) == (doc.id, True)
    assert store.add_document(make_doc()) == (doc.id, False)  # same bytes again
    counts = table_counts(store)
    assert counts["documents"] == 1 and counts["files"] == 1 and counts["checklists"] == 1
    assert counts["parts"] == 1 and counts["sections"] == 3
    assert store.get_document(doc.id) == doc  # the full structure comes back unchanged
    assert store.get_checklist(doc.id) == {"tasks": [{"id": "t1"}]}
    row = store.get_document_row(doc.id)
    assert row["issuer"] == "九江市总工会" and row["date"] == "2024-03-05" and row["has_checklist"]
    assert row["metadata"]["doc_number"] == "九工发〔2024〕5号"
    assert row["file"]["sha256"] == doc.source.sha256 and row["n_sections"] == 3
    assert store.get_document("nope") is None and store.get_document_row("nope") is None


def test_sections_keep_their_tree(store):
    doc = make_doc()
    store.add_document(doc)
    from index.store.models import SectionRow

    with store.session() as s:
        rows = {r.number: r for r in s.scalars(sa.select(SectionRow))}
    assert rows["（一）"].parent_id == rows["一、"].id and rows["一、"].parent_id is None
    assert rows["（一）"].path_text == "一、工作目标 / （一）摸底排查"
    assert doc.text[rows["二、"].start:rows["二、"].end].startswith("二、工作要求")


def test_failure_midway_leaves_nothing(store):
    bad = make_doc()
    bad.parts[0].sections[1].start = None  # a NOT NULL column, written after file, document and part rows
    with pytest.raises(sa.exc.IntegrityError):
        store.add_document(bad)
    assert set(table_counts(store).values()) == {0}

    # A checklist that cannot be stored is the last row of the transaction.
    with pytest.raises((TypeError, sa.exc.StatementError), match="not JSON serializable"):
        store.add_document(make_doc(), {"due": {1, 2}})
    assert set(table_counts(store).values()) == {0}
    assert store.add_document(make_doc()) == (make_doc().id, True)  # and the store still works


def test_delete_removes_everything_of_the_document(store):
    keep, gone = make_doc("keep.txt", salt="1"), make_doc("gone.txt", salt="2")
    store.add_document(keep, {"tasks": []})
    store.add_document(gone, {"tasks": []})
    assert store.delete_document(gone.id) is True
    assert store.delete_document(gone.id) is False
    counts = table_counts(store)
    assert counts["documents"] == counts["files"] == counts["checklists"] == 1
    assert counts["sections"] == 3 and counts["parts"] == 1
    assert store.add_document(gone) == (gone.id, True)  # can come back after deletion


def test_same_notice_in_another_format_is_attached_not_stored_twice(store):
    import dataclasses

    doc = make_doc()
    store.add_document(doc, {"tasks": []})
    pdf = make_doc("a.pdf")
    pdf.source = dataclasses.replace(pdf.source, format="pdf", sha256="f" * 64)
    pdf.text = pdf.text.replace("\n", " \n")  # what another reader makes of the same page
    match = store.find_same_notice(pdf)
    assert match.document_id == doc.id and match.same and match.by == "doc_number"
    assert store.attach_file(doc.id, pdf) is True
    assert store.attach_file(doc.id, pdf) is False
    assert store.document_for_file("f" * 64) == doc.id and store.document_for_file(doc.source.sha256) == doc.id
    assert [f["format"] for f in store.get_document_row(doc.id)["files"]] == ["txt", "pdf"]
    counts = table_counts(store)
    assert counts["documents"] == 1 and counts["files"] == 2 and counts["document_files"] == 1

    revised = make_doc("b.txt", salt="补充：逾期未报的单位由县总工会通报并约谈主要负责人。")
    match = store.find_same_notice(revised)
    assert match.document_id == doc.id and not match.same
    assert store.find_same_notice(make_doc("c.txt", issuer="赣州市总工会")) is None  # another issuer

    assert store.delete_document(doc.id)
    assert set(table_counts(store).values()) == {0}


def test_list_documents_filters(store):
    docs = [
        make_doc("a.txt", issuer="九江市总工会", date="2024-03-05", doc_type="通知", salt="a"),
        make_doc("b.txt", issuer="九江市总工会", date="2023-11-20", doc_type="实施方案", salt="b"),
        make_doc("c.txt", issuer="柴桑区总工会", date="2024-06-01", doc_type="通知", salt="c",
                 issuers=["柴桑区总工会", "柴桑区人力资源和社会保障局"]),
        make_doc("d.txt", issuer="江西省总工会", date=None, doc_type="意见", salt="d"),
    ]
    for d in docs:
        store.add_document(d)
    names = lambda rows: [r["file_name"] for r in rows]  # noqa: E731
    assert names(store.list_documents()) == ["c.txt", "a.txt", "b.txt", "d.txt"]  # newest first, undated last
    assert names(store.list_documents(issuer="九江市")) == ["a.txt", "b.txt"]
    assert names(store.list_documents(issuer="人力资源和社会保障局")) == ["c.txt"]  # a joint issuer
    assert names(store.list_documents(year=2024)) == ["c.txt", "a.txt"]
    assert names(store.list_documents(doc_type="通知", year=2024, issuer="九江")) == ["a.txt"]
    assert names(store.list_documents(limit=2, offset=1)) == ["a.txt", "b.txt"]
    assert store.count_documents() == 4
    assert sorted(d.id for d in store.iter_documents(batch=3)) == sorted(d.id for d in docs)
    assert store.list_documents(issuer="100%_") == []  # LIKE wildcards are taken literally


def test_a_web_copy_with_no_date_of_its_own_is_listed_by_the_day_it_went_up(store):
    # a page's 发布时间 is no 成文日期 (Document.published), but a person filtering by year or reading
    # the newest first still finds the notice where its page dates it, not among the undated
    dated = make_doc("a.txt", date="2024-03-05", salt="a")
    web = make_doc("w.txt", date=None, salt="w")
    web.published = "2024-05-20"
    undated = make_doc("u.txt", date=None, salt="u")
    for d in (dated, web, undated):
        store.add_document(d)
    names = lambda rows: [r["file_name"] for r in rows]  # noqa: E731
    assert names(store.list_documents()) == ["w.txt", "a.txt", "u.txt"]
    assert names(store.list_documents(year=2024)) == ["w.txt", "a.txt"]
    got = store.get_document(web.id)  # the two dates stay apart in what is stored
    assert got.date is None and got.published == "2024-05-20"
    assert store.get_document_row(web.id)["metadata"]["published"] == "2024-05-20"
    from index.search.items import items_from_document

    assert {i.year for i in items_from_document(web)} == {2024}  # the search index's year filter and facet


def test_a_nul_in_a_filter_means_the_same_on_both_backends(store):
    """A NUL is stored as a space (PostgreSQL text cannot hold one), and a filter value is
    read the same way on every backend: `?issuer=%00` is `?issuer=%20`. Before, SQLite's
    LIKE ended the pattern at the NUL (`%` + NUL + `%` was `%`), so it matched every
    document, while PostgreSQL matched only issuers with a space."""
    store.add_document(make_doc("a.txt", issuer="九江市总工会", salt="a"))
    store.add_document(make_doc("b.txt", issuer="九江市 总工会", salt="b"))
    store.add_document(make_doc("c.txt", issuer="九江\x00总工会", salt="c"))
    names = lambda rows: sorted(r["file_name"] for r in rows)  # noqa: E731
    for issuer in ("\x00", "九江\x00", "\x00总工会"):
        assert names(store.list_documents(issuer=issuer)) == names(store.list_documents(issuer=issuer.replace("\x00", " ")))
    assert names(store.list_documents(issuer="\x00")) == ["b.txt", "c.txt"]
    assert store.count_documents(issuer="\x00") == 2
    assert names(store.list_documents(doc_type="\x00")) == []


def test_checklist_set_and_replace(store):
    doc = make_doc()
    store.add_document(doc)
    assert store.get_checklist(doc.id) is None
    assert store.set_checklist(doc.id, {"tasks": [1]}, extractor_version="v1")
    assert store.set_checklist(doc.id, {"tasks": [2]})
    assert store.get_checklist(doc.id) == {"tasks": [2]}
    assert store.set_checklist("missing", {"tasks": []}) is False


# ----------------------------------------------------------------------- logs


def log(id, risks=(), tasks=("rights_services",), **kw):
    return {"id": id, "text": f"走访记录 {id}：企业职工反映情况。", "date": kw.pop("date", "2024-05-03"),
            "region": kw.pop("region", "柴桑区"), "unit": "某制造企业", "author": "张三",
            "tasks": list(tasks), "risks": list(risks), "meta": {"source": "test"}, **kw}


def test_high_and_critical_risks_raise_alerts(store):
    ids = store.add_logs([
        log("L1", [{"id": "wage_arrears", "severity": "high", "evidence": ["工资拖欠三个月"]}]),
        log("L2", [{"id": "gig_worker_rights", "severity": "medium", "evidence": ["骑手无劳动合同"]}]),
        log("L3", [{"id": "collective_incident", "severity": "critical", "evidence": ["集体上访"]},
                   {"id": "women_workers", "severity": "low", "evidence": []}]),
        log("L4"),
    ])
    assert ids == ["L1", "L2", "L3", "L4"]
    alerts = store.list_alerts()
    assert sorted((a["log_id"], a["risk"], a["severity"]) for a in alerts) == [
        ("L1", "wage_arrears", "high"), ("L3", "collective_incident", "critical")]
    assert all(a["status"] == "open" for a in alerts)
    l1 = next(a for a in alerts if a["log_id"] == "L1")
    assert l1["evidence"] == ["工资拖欠三个月"] and l1["log"]["region"] == "柴桑区"

    acked = store.acknowledge_alert(l1["id"], by="李四")
    assert acked["status"] == "acknowledged" and acked["acknowledged_by"] == "李四" and acked["acknowledged_at"]
    again = store.acknowledge_alert(l1["id"], by="王五")  # a second click keeps the first
    assert again["acknowledged_by"] == "李四"
    assert [a["log_id"] for a in store.list_alerts(status="open")] == ["L3"]
    assert [a["log_id"] for a in store.list_alerts(status="acknowledged")] == ["L1"]
    assert store.acknowledge_alert(99999) is None
    with pytest.raises(InvalidRecord):
        store.list_alerts(status="closed")

    # The same log stored again (re-tagged) gets no second alert for the same risk.
    store.add_logs([log("L1", [{"id": "wage_arrears", "severity": "high", "evidence": ["再次反映"]}])])
    assert len(store.list_alerts()) == 2
    assert store.get_log("L1")["risks"][0]["evidence"] == ["再次反映"]
    assert [a["risk"] for a in store.get_log("L3")["alerts"]] == ["collective_incident"]


def test_list_logs_filters(store):
    store.add_logs([
        log("A", [{"id": "wage_arrears", "severity": "high"}], ("labor_relations",), date="2024-01-10"),
        log("B", [], ("rights_services", "research"), date="2024-02-15", region="濂溪区"),
        log("C", [{"id": "safety_health", "severity": "high"}], ("rights_services",), date="2024-03-20"),
        {"text": "没有编号和日期的日志。", "tasks": ["other"]},
    ])
    ids = lambda rows: [r["id"] for r in rows]  # noqa: E731
    everything = store.list_logs()
    assert ids(everything)[:3] == ["C", "B", "A"] and len(everything) == 4  # newest first, undated last
    assert len(everything[3]["id"]) == 32  # a generated uuid
    assert ids(store.list_logs(tag="rights_services")) == ["C", "B"]
    assert ids(store.list_logs(tag="wage_arrears")) == ["A"]
    assert ids(store.list_logs(risk="safety_health")) == ["C"]
    assert ids(store.list_logs(risk="rights_services")) == []  # a task label is not a risk
    assert ids(store.list_logs(region="濂溪区")) == ["B"]
    assert ids(store.list_logs(date_from="2024-02-15", date_to=dt.date(2024, 3, 20))) == ["C", "B"]
    assert ids(store.list_logs(limit=1, offset=1)) == ["B"]
    assert store.count_logs(tag="rights_services") == 2
    assert sorted(r["id"] for r in store.iter_logs(batch=2)) == sorted(ids(everything))


def test_a_log_just_saved_is_listed_first_on_its_day(store):
    """Logs of the same day: the last saved comes first (the page a person lands on after
    saving one shows it on top), not whichever id sorts first."""
    for log_id in ("A", "M", "Z"):
        store.add_logs([log(log_id, [], ("research",), date="2024-05-01")])
    assert [r["id"] for r in store.list_logs()] == ["Z", "M", "A"]
    store.add_logs([log("B", [], ("research",), date="2024-05-01")])
    assert [r["id"] for r in store.list_logs()][0] == "B"


def test_bad_log_record_writes_nothing(store):
    with pytest.raises(InvalidRecord, match="日期"):
        store.add_logs([log("ok", [{"id": "wage_arrears", "severity": "high"}]), log("bad", date="三月五日")])
    with pytest.raises(InvalidRecord, match="text"):
        store.add_logs([{"id": "x", "text": "  "}])
    assert store.list_logs() == [] and store.list_alerts() == []


def test_sqlite_file_uses_wal_and_foreign_keys(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'deep' / 'g.db'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_a_log_is_stored_with_its_words_cut_once(store, settings):
    """Storing a log keeps its words (cut with its unit's name blanked) and the version of
    the dictionaries; a re-stored text is cut again; reads for people do not carry them;
    a topic fit over the store cuts logs without current words and stores them."""
    from api.service import Gongwen
    from nlp.analysis import dictionary_version, log_words, stored_words

    store.add_logs([{"id": "W1", "text": "恒达机械拖欠工资两个月，恒达机械职工准备投诉。", "unit": "恒达机械"},
                    {"id": "W2", "text": "走访职工之家"}])
    got = {log["id"]: log for log in store.iter_logs(words=True)}
    assert got["W1"]["words_version"] == dictionary_version()
    assert stored_words(got["W1"]) == log_words(got["W1"]) and "恒达" not in "".join(got["W1"]["words"])
    assert "words" not in store.get_log("W1") and "words" not in store.list_logs()[0]
    store.add_logs([{"id": "W2", "text": "高温天气送清凉"}])
    assert "".join(next(x for x in store.iter_logs(words=True) if x["id"] == "W2")["words"]) == "高温天气送清凉"

    store.set_log_words({"W2": ["旧"]}, "old-dictionaries")
    assert stored_words(next(x for x in store.iter_logs(words=True) if x["id"] == "W2")) is None
    with Gongwen(settings) as svc:
        svc.store.add_logs([{"id": f"T{i}", "text": t} for i, t in enumerate(
            ["拖欠工资", "职工之家", "高温送清凉", "骑手入会", "拖欠工资投诉", "职工之家建设"])])
        svc.store.set_log_words({"T0": ["旧"]}, "old-dictionaries")
        svc.fit_topics(k=2, model_dir=settings.data_dir / "topics")
        assert all(stored_words(x) == log_words(x) for x in svc.store.iter_logs(words=True))


def test_a_sqlite_url_in_uri_form_makes_no_folder_where_gongwen_runs(tmp_path, monkeypatch):
    """`--db 'sqlite:///file:/data/gongwen.db?mode=ro&uri=true'` (SQLite's URI form, e.g. to open a
    store read-only) made a folder `file:/data/` under the current folder before opening the
    right file; the store now reads the path after `file:`."""
    db = tmp_path / "data" / "gongwen.db"
    Store(f"sqlite:///{db}").close()  # a store at head
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    store = Store(f"sqlite:///file:{db}?mode=ro&uri=true")
    assert store.count_logs() == 0
    store.close()
    assert list(cwd.iterdir()) == []


def test_the_unindexed_count_fails_as_a_sqlalchemy_connection_would(tmp_path):
    """Every search asks the store what it has yet to index, on the pool's driver connection:
    a failure must still reach the API as SQLAlchemy's error with the driver's own (what its
    503 and 500 lines read), with the statement when one ran and none when the database could
    not be opened (api.service.results tells a refused login by that)."""
    import sqlite3

    from api.service.results import database_trouble

    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    assert store.count_unindexed() == (0, 0)
    with sqlite3.connect(tmp_path / "g.db") as raw:
        raw.execute("DROP TABLE index_outbox")
    with pytest.raises(sa.exc.OperationalError) as ran:
        store.count_unindexed()
    assert isinstance(ran.value.orig, sqlite3.OperationalError) and "index_outbox" in ran.value.statement
    assert "index_outbox" in database_trouble(ran.value)
    store.engine.dispose()
    (tmp_path / "g.db").unlink()
    (tmp_path / "g.db").mkdir()  # no file SQLite can open any more
    with pytest.raises(sa.exc.OperationalError) as refused:
        store.count_unindexed()
    assert isinstance(refused.value.orig, sqlite3.OperationalError) and refused.value.statement is None
