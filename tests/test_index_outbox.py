"""Store and search index never disagree for long: index work is recorded in the
store's transaction (index_outbox) and drained by the next writer; a stored file
missing from the index is indexed by the next ingest; `gongwen check` tells; and
`kill -9` of a real `gongwen ingest` at random points leaves, after the next
command, a store and an index that agree exactly. On SQLite and PostgreSQL."""
from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from fixtures_make import DOC_NUMBER, NOTICE_TEXT
from typer.testing import CliRunner

from api.cli import app
from api.service import Gongwen
from api.settings import Settings
from index.search import item_from_log, items_from_document
from index.store.models import ChecklistRow, DocumentRow, FileRow, PartRow
from index.store.store import INDEX_ATTEMPTS

runner = CliRunner()


def make_notices(folder: Path, n: int, start: int = 0) -> list[Path]:
    """Small notices that differ in 文号 and one quota, so none is another's duplicate."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(100 + i)))
        text = text.replace("示范点2个", f"示范点{i + 2}个")
        path = folder / f"n{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def service(data: Path, url: str) -> Gongwen:
    return Gongwen(Settings(data_dir=data, db_url=url))


def expected_items(svc: Gongwen) -> dict[str, set[str]]:
    """Item ids per kind that the index must hold for what the store holds."""
    out: dict[str, set[str]] = {k: set() for k in ("document", "section", "obligation", "log")}
    docs = svc.store.documents_for_index(svc.store.document_ids())
    for doc, checklist in docs.values():
        for it in items_from_document(doc, checklist):
            out[it.kind].add(it.id)
    for log in svc.store.iter_logs():
        out["log"].add(item_from_log(log).id)
    return out


def assert_whole_and_agreeing(svc: Gongwen) -> int:
    """Nothing half-written in the store, and the index holds exactly the store's items."""
    with svc.store.session() as s:
        docs = s.scalar(sa.select(sa.func.count()).select_from(DocumentRow))
        # every stored document came with its file, parts and checklist (one transaction)
        assert s.scalar(sa.select(sa.func.count()).where(~DocumentRow.id.in_(sa.select(ChecklistRow.document_id)))) == 0
        assert s.scalar(sa.select(sa.func.count()).where(~DocumentRow.id.in_(sa.select(PartRow.document_id)))) == 0
        assert s.scalar(sa.select(sa.func.count()).where(
            ~DocumentRow.file_sha256.in_(sa.select(FileRow.sha256)))) == 0
        assert s.scalar(sa.select(sa.func.count()).where(
            ~FileRow.sha256.in_(sa.select(DocumentRow.file_sha256)))) == 0  # no file left without its document
        if s.bind.dialect.name == "sqlite":
            assert s.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
    want = expected_items(svc)
    for kind, ids in want.items():
        assert svc.search_index.ids(kind) == ids, kind
    report = svc.consistency()
    assert report["agree"] and report["pending"] == 0, report
    return docs


def test_ingest_logs_and_delete_keep_store_and_index_in_step(database_url, tmp_path):
    svc = service(tmp_path / "data", database_url)
    paths = make_notices(tmp_path / "in", 3)
    summary = svc.ingest_paths([tmp_path / "in"])
    assert summary.ingested == 3, [r.error for r in summary.failures]
    svc.add_logs([{"id": "L1", "text": "某厂拖欠工资三个月", "tasks": [], "risks": []}], tag=False)
    assert assert_whole_and_agreeing(svc) == 3
    assert svc.index_status() == {"agree": True, "pending": 0, "failed": 0, "documents": {"store": 3, "index": 3},
                                  "logs": {"store": 1, "index": 1}}
    gone = svc.parse_file(paths[0]).id
    assert svc.delete_document(gone)
    assert assert_whole_and_agreeing(svc) == 2
    assert svc.search("示范点", filters={"kind": "document"})["total"] == 2
    svc.close()


def test_stored_file_missing_from_the_index_is_indexed_by_the_next_ingest(database_url, tmp_path):
    """The state the old ingest left after a kill: stored, never indexed, and re-running
    ingest said `unchanged`."""
    svc = service(tmp_path / "data", database_url)
    make_notices(tmp_path / "in", 2)
    svc.ingest_paths([tmp_path / "in"])
    lost = svc.store.document_ids()[0]
    svc.search_index.replace_documents([lost], [])  # the index never got it
    report = svc.consistency()
    assert not report["agree"] and report["documents"]["missing_ids"] == [lost]

    again = svc.ingest_paths([tmp_path / "in"])
    assert again.unchanged == 2 and again.reindexed == 1
    assert [r.document_id for r in again.results if r.reindexed] == [lost]
    assert_whole_and_agreeing(svc)
    svc.close()


def test_a_file_another_ingest_stored_and_has_yet_to_index_is_no_missing_file(database_url, tmp_path, forked_cli):
    """Two ingests of one folder at once: a file the other process stored (its index work
    queued, drained at the end of its batch) after this one began is only `unchanged` here,
    and indexed by the end of this batch. Before: 库中已有，但检索索引中缺少，已重新加入索引 for
    each such file, as if the index had lost it, and a second queue entry. The other process
    stores the second notice the moment this one has committed its first."""
    import textwrap

    paths = make_notices(tmp_path / "in", 3)
    data, err = tmp_path / "data", tmp_path / "stderr"
    url = database_url if database_url else f"sqlite:///{data / 'gongwen.db'}"
    prelude = textwrap.dedent(f"""
        from sqlalchemy import event
        from sqlalchemy.orm import Session
        from index.store.models import DocumentRow

        done = []

        @event.listens_for(Session, "before_commit")
        def _seen(s):
            s.info["document"] = any(isinstance(o, DocumentRow) for o in s.new)

        @event.listens_for(Session, "after_commit")
        def _other(s):
            if s.info.pop("document", False) and not done:
                done.append(1)
                from index.store import Store
                from ingest.load import load

                other = Store({url!r})  # another process's store: stored and queued, not drained
                other.add_document(load({str(paths[1])!r}))
                other.close()
    """)
    code = forked_cli.wait(forked_cli.start("ingest", tmp_path / "in", "--data-dir", data, "--db", url,
                                            prelude=prelude, err=str(err)))
    said = err.read_text(encoding="utf-8")
    assert code == 0 and "检索索引中缺少" not in said, said
    with service(data, url) as svc:
        assert svc.store.count_documents() == 3 and svc.consistency()["agree"]
        assert not svc.store.has_pending()


def test_work_the_index_refused_stays_queued_until_the_next_drain(database_url, tmp_path, monkeypatch):
    data = tmp_path / "data"
    svc = service(data, database_url)

    def index_down(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(svc.search_index, "replace_documents", index_down)
    result = svc.add_logs([{"id": f"L{i}", "text": f"第{i}条日志", "tasks": [], "risks": []} for i in range(3)],
                          tag=False)
    assert [x["id"] for x in result["items"]] == ["L0", "L1", "L2"]  # acknowledged: stored
    assert svc.store.count_logs() == 3 and svc.store.count_pending() == 3
    assert svc.index_status()["agree"] is False
    svc.close()
    monkeypatch.undo()

    args = ["--data-dir", str(data), "--db", database_url]
    checked = runner.invoke(app, ["check", *args])
    assert checked.exit_code == 1 and "索引缺少 3 项" in checked.stdout and "reindex --pending" in checked.stderr
    fixed = runner.invoke(app, ["reindex", "--pending", *args])
    assert fixed.exit_code == 0 and "3 项" in fixed.stdout
    assert runner.invoke(app, ["check", *args]).exit_code == 0
    svc = service(data, database_url)
    assert svc.search("日志", filters={"kind": "log"})["total"] == 3
    assert_whole_and_agreeing(svc)
    svc.close()


def refusing(monkeypatch, svc: Gongwen, method: str, bad: str) -> list[int]:
    """Make the index refuse every commit that holds `bad` (a log or document id) and
    take the rest; returns a list that grows by one per refusal."""
    real, refusals = getattr(svc, method), []

    def index(items):
        ids = [it["id"] if isinstance(it, dict) else it[0].id for it in items]
        if bad in ids:
            refusals.append(1)
            raise ValueError(f"index refuses {bad}")
        return real(items)

    monkeypatch.setattr(svc, method, index)
    return refusals


def test_a_log_the_index_keeps_refusing_is_set_aside_shown_and_retried_on_demand(database_url, tmp_path, monkeypatch):
    data = tmp_path / "data"
    svc = service(data, database_url)
    refusals = refusing(monkeypatch, svc, "_index_logs", "BAD")
    log = lambda i: {"id": i, "text": f"日志{i}", "tasks": [], "risks": []}  # noqa: E731
    stored = svc.add_logs([log("L0"), log("BAD"), log("L1")], tag=False)
    assert [x["id"] for x in stored["items"]] == ["L0", "BAD", "L1"]  # acknowledged: stored
    assert svc.search_index.ids("log") == {"L0", "L1"}  # the refused one does not hold the others back
    assert svc.store.count_pending() == 1 and svc.store.count_failed() == 0
    for i in range(2, 2 + INDEX_ATTEMPTS):  # every later write drains and tries it again
        svc.add_logs([log(f"L{i}")], tag=False)
    assert svc.search_index.ids("log") == {f"L{i}" for i in range(2 + INDEX_ATTEMPTS)}
    assert svc.store.count_pending() == 0 and svc.store.count_failed() == 1
    tries = len(refusals)
    svc.add_logs([log("LAST")], tag=False)
    assert len(refusals) == tries  # set aside: no longer retried by every drain
    (aside,) = svc.store.failed_index()
    assert (aside["kind"], aside["target"], aside["attempts"]) == ("log", "BAD", INDEX_ATTEMPTS)
    assert "index refuses BAD" in aside["error"]
    assert svc.health()["index"] == {"agree": False, "pending": 0, "failed": 1}
    svc.close()
    monkeypatch.undo()

    args = ["--data-dir", str(data), "--db", database_url]
    checked = runner.invoke(app, ["check", *args])
    assert checked.exit_code == 1 and "已搁置的改动：1 项" in checked.stdout and "BAD" in checked.stdout
    assert "index refuses BAD" in checked.stdout and "reindex --pending" in checked.stderr
    fixed = runner.invoke(app, ["reindex", "--pending", *args])
    assert fixed.exit_code == 0 and "已重试" in fixed.stdout, fixed.output
    assert runner.invoke(app, ["check", *args]).exit_code == 0
    with service(data, database_url) as svc:
        assert "BAD" in svc.search_index.ids("log") and svc.store.count_failed() == 0
        assert_whole_and_agreeing(svc)


def test_a_document_the_index_refuses_is_undone_and_the_rest_of_the_batch_stored(database_url, tmp_path, monkeypatch):
    svc = service(tmp_path / "data", database_url)
    paths = make_notices(tmp_path / "in", 4)
    bad = svc.parse_file(paths[1]).id
    refusing(monkeypatch, svc, "_index_documents", bad)
    summary = svc.ingest_paths([tmp_path / "in"])
    assert summary.ingested == 3 and summary.failed == 1
    assert [r.error for r in summary.failures] and "index refuses" in summary.failures[0].error
    assert bad not in svc.store.document_ids() and len(svc.store.document_ids()) == 3
    assert assert_whole_and_agreeing(svc) == 3
    svc.close()


BUILDERS = {"tantivy": "_doc", "whoosh": "_fields"}  # each engine's item → stored document


@pytest.mark.parametrize("engine", sorted(BUILDERS))
def test_a_full_rebuild_sets_aside_what_the_index_refuses_and_rebuilds_the_rest(
        database_url, tmp_path, monkeypatch, engine):
    data = tmp_path / "data"
    svc = Gongwen(Settings(data_dir=data, db_url=database_url, engine=engine))
    svc.ingest_paths([make_notices(tmp_path / "in", 3)[0].parent])
    log = lambda i: {"id": i, "text": f"日志{i}", "tasks": [], "risks": []}  # noqa: E731
    svc.add_logs([log("L0"), log("BAD"), log("L1")], tag=False)
    assert_whole_and_agreeing(svc)
    docs = sorted(svc.store.document_ids())
    bad_doc = docs[1]
    before = expected_items(svc)
    bad_section = sorted(i for i in before["section"] if i.startswith(bad_doc))[-1]  # not the document's first item
    svc.close()

    engine_class, name = type(svc.search_index), BUILDERS[engine]
    real = getattr(engine_class, name)

    def build(self, it, *rest):
        if it.id in (bad_section, "BAD"):
            raise ValueError(f"index refuses {it.id}")
        return real(self, it, *rest)

    monkeypatch.setattr(engine_class, name, build)
    args = ["--data-dir", str(data), "--db", database_url, "--engine", engine]
    rebuilt = runner.invoke(app, ["reindex", *args])
    assert rebuilt.exit_code == 1, rebuilt.output
    assert "2 项被检索索引拒绝" in rebuilt.stderr and "gongwen check" in rebuilt.stderr
    assert len(rebuilt.stderr.strip().splitlines()) == 1
    with Gongwen(Settings(data_dir=data, db_url=database_url, engine=engine)) as svc:
        index = svc.search_index
        # the rest is rebuilt; the refused document is left out whole, not half-indexed
        assert index.ids("log") == {"L0", "L1"}
        assert index.ids("document") == set(docs) - {bad_doc}
        assert index.ids("section") == {i for i in before["section"] if not i.startswith(bad_doc + ":")}
        assert not any(i.startswith(bad_doc + ":") for i in index.ids("obligation"))
        aside = {(f["kind"], f["target"]): f["error"] for f in svc.store.failed_index()}
        assert set(aside) == {("document", bad_doc), ("log", "BAD")}
        assert f"index refuses {bad_section}" in aside[("document", bad_doc)]
        assert svc.store.count_pending() == 0  # set aside at once: not retried by every drain
    checked = runner.invoke(app, ["check", *args])
    assert checked.exit_code == 1 and "已搁置的改动：2 项" in checked.stdout and bad_doc in checked.stdout
    monkeypatch.undo()
    fixed = runner.invoke(app, ["reindex", "--pending", *args])
    assert fixed.exit_code == 0 and "已重试" in fixed.stdout, fixed.output
    assert runner.invoke(app, ["check", *args]).exit_code == 0


def test_a_full_rebuild_that_dies_keeps_the_old_index(database_url, tmp_path, monkeypatch):
    svc = service(tmp_path / "data", database_url)
    svc.ingest_paths([make_notices(tmp_path / "in", 2)[0].parent])
    svc.add_logs([{"id": "L0", "text": "日志", "tasks": [], "risks": []}], tag=False)
    before = {k: svc.search_index.ids(k) for k in ("document", "log")}

    def dies(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(svc.store, "iter_logs", dies)  # after every document was added
    with pytest.raises(OSError):
        svc.reindex()
    assert {k: svc.search_index.ids(k) for k in ("document", "log")} == before
    assert svc.store.count_failed() == 0
    svc.close()


def test_a_full_rebuild_cuts_again_the_log_words_cut_under_other_dictionaries(database_url, tmp_path):
    from index.store.models import LogRow
    from nlp.analysis import dictionary_version, stored_words

    svc = service(tmp_path / "data", database_url)
    svc.add_logs([{"id": f"L{i}", "text": f"职工之家建设第{i}次走访", "tasks": [], "risks": []} for i in range(3)],
                 tag=False)
    fresh = {log["id"]: log["words"] for log in svc.store.iter_logs(words=True)}
    with svc.store.session(write=True) as s:
        s.execute(sa.update(LogRow).where(LogRow.id != "L1").values(words=["旧"], words_version="old"))
    assert svc.reindex()["recut"] == 2
    logs = list(svc.store.iter_logs(words=True))
    assert {log["id"]: stored_words(log) for log in logs} == fresh
    assert {log["words_version"] for log in logs} == {dictionary_version()}
    assert svc.reindex()["recut"] == 0
    assert_whole_and_agreeing(svc)
    svc.close()


def test_a_second_drainer_leaves_the_work_to_the_one_draining(database_url, tmp_path):
    """Two processes never apply index work at once (an older read of the store could
    overwrite a newer one); the one that finds the lock taken relies on the holder
    re-reading the outbox after it lets go."""
    svc = service(tmp_path / "data", database_url)
    svc.store.add_logs([{"id": "L1", "text": "日志", "tasks": [], "risks": []}])
    other = service(tmp_path / "data", database_url)
    with other._index_work() as got:
        assert got
        assert svc.drain_index() == 0  # does not wait, does not apply
        assert svc.store.count_pending() == 1
    assert svc.drain_index() == 1 and svc.store.count_pending() == 0
    assert svc.search_index.ids("log") == {"L1"}


def _counter(url: str):
    """How many documents the store holds, read the way another process would."""
    engine = sa.create_engine(url)

    def documents() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()

    return documents


@pytest.mark.slow
def test_kill_9_during_ingest_then_the_next_command_makes_store_and_index_agree(
        database_url, tmp_path, forked_cli):
    """A real `gongwen ingest` process killed (SIGKILL) at 10 random points: while it
    reads and extracts, between a store commit and the index commit, inside an index
    commit, or in the start-up drain of what the previous kill left. After each kill
    the next command (in-process, or the next killed ingest's own start) brings the
    index level with the store; at the end an uninterrupted ingest of every file
    stores each once and the two agree exactly."""
    seed = int(os.environ.get("GONGWEN_CRASH_SEED", time.time_ns() % 100_000))
    rng = random.Random(seed)
    inbox, data = tmp_path / "in", tmp_path / "data"
    with service(data, database_url) as svc:
        svc.store.count_documents()  # the schema exists before the first poll
    _documents = _counter(database_url)
    env = {"GONGWEN_INDEX_BATCH": "2"}  # several index commits per run: more kinds of kill points
    kills, left_queued, n_files, rounds = 0, 0, 0, 0
    # a run may finish before its kill lands (more likely the faster the machine): such a
    # round tests nothing, so rounds go on until 10 runs were killed running (20 at most)
    for round_ in range(20):
        if kills == 10:
            break
        rounds += 1
        # each run gets 3 new files and the previous run's (which the kill may have cut short)
        make_notices(inbox / f"r{round_}", 3, start=n_files)
        n_files += 3
        folders = [inbox / f"r{r}" for r in (round_ - 1, round_) if r >= 0]
        before = _documents()
        target = before + rng.randint(0, 2)
        pid = forked_cli.start("ingest", *folders, "--data-dir", data, "--db", database_url, env=env)
        deadline = time.monotonic() + 60
        while forked_cli.poll(pid) is None and _documents() < target and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.12))
        kills += forked_cli.kill9(pid) == -9
        with service(data, database_url) as svc:
            left_queued += svc.store.has_pending()
            if round_ % 2 == 0:  # the next command here; on odd rounds, the next (killed) ingest's start
                svc.drain_index(wait=30)
                assert_whole_and_agreeing(svc), f"seed {seed}, round {round_}"
    assert kills == 10, f"seed {seed}: only {kills} of {rounds} runs were still running when killed"
    pid = forked_cli.start("ingest", inbox, "--data-dir", data, "--db", database_url)
    assert forked_cli.wait(pid) == 0
    with service(data, database_url) as svc:
        assert assert_whole_and_agreeing(svc) == n_files, f"seed {seed}"
    print(f"kill -9 (seed {seed}): {kills} of {rounds} runs killed, {left_queued} left index work queued; "
          f"all {n_files} files stored once, store and index agree")


def test_health_shows_whether_store_and_index_agree(database_url, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = Settings(data_dir=tmp_path / "data", db_url=database_url, api_key="k")
    svc = Gongwen(settings)
    svc.add_logs([{"id": "L1", "text": "日志", "tasks": [], "risks": []}], tag=False)
    with TestClient(create_app(settings, svc)) as client:
        assert client.get("/api/health").json()["index"] == {"agree": True, "pending": 0, "failed": 0}
        svc.store.queue_index("log", ["L1"])
        svc.search_index.replace_documents(["L1"], [])
        assert client.get("/api/health").json()["index"] == {"agree": False, "pending": 1, "failed": 0}


def test_serve_does_what_a_crash_left_before_serving(database_url, tmp_path, monkeypatch):
    import uvicorn

    data, url = tmp_path / "data", database_url
    with service(data, url) as svc:
        svc.store.add_logs([{"id": "L1", "text": "日志", "tasks": [], "risks": []}])  # stored; the process "died"
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: served.append(True))
    result = runner.invoke(app, ["serve", "--workers", "1", "--port", "0", "--api-key", "k",
                                 "--data-dir", str(data), "--db", url])
    assert result.exit_code == 0 and served, result.output
    with service(data, url) as svc:
        assert svc.store.count_pending() == 0 and svc.search_index.ids("log") == {"L1"}
