"""Concurrent writers queue instead of failing: two `gongwen ingest` processes and a
stream of log writes through the service (two service instances, as two server
workers) at once. No "database is locked", every acknowledged write stored, store
and index agree at the end. On SQLite (WAL, BEGIN IMMEDIATE, busy timeout, retry)
and PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from test_index_outbox import assert_whole_and_agreeing, make_notices, service


@pytest.mark.slow
def test_two_ingests_and_a_log_stream_all_land(database_url, tmp_path, forked_cli):
    data = tmp_path / "data"
    make_notices(tmp_path / "a", 8, start=0)
    make_notices(tmp_path / "b", 8, start=100)
    with service(data, database_url) as svc:
        svc.store.count_documents()  # the schema exists before the writers start

    acknowledged: list[str] = []
    errors: list[str] = []
    running = threading.Event()
    running.set()

    def writer(worker: int) -> None:
        svc = service(data, database_url)
        n = 0
        try:
            while running.is_set() or n < 20:
                batch = [{"id": f"w{worker}-{n + k}", "text": f"第{n + k}条蹲点日志：职工反映加班费未发", "date": "2024-05-01",
                          "tasks": [], "risks": [{"id": "wage_arrears", "severity": "high"}]} for k in range(1 + n % 3)]
                try:
                    stored = svc.add_logs(batch, tag=False)
                    acknowledged.extend(x["id"] for x in stored["items"])
                except Exception as e:  # noqa: BLE001 - collected: the test asserts there are none
                    errors.append(f"{type(e).__name__}: {e}")
                n += len(batch)
        finally:
            svc.close()

    args = ["--data-dir", str(data), "--db", database_url]
    env = {"GONGWEN_INDEX_BATCH": "2"}
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    pids = [forked_cli.start("ingest", tmp_path / f, *args, env=env, log=str(tmp_path / f"{f}.log")) for f in "ab"]
    codes = [forked_cli.wait(pid, timeout=600) for pid in pids]
    running.clear()
    for t in threads:
        t.join(timeout=300)

    logs = {f: (tmp_path / f"{f}.log").read_text(encoding="utf-8", errors="replace") for f in "ab"}
    assert codes == [0, 0], logs
    assert not any("locked" in text for text in logs.values()), logs
    assert errors == []
    assert len(acknowledged) >= 40
    with service(data, database_url) as svc:
        assert set(svc.store.get_logs(acknowledged)) == set(acknowledged)  # every acknowledged write is there
        assert svc.store.count_logs() == len(set(acknowledged))
        assert svc.store.count_alerts("open") == len(set(acknowledged))  # one alert per high-risk log, no more
        svc.drain_index(wait=30)  # what the next command does
        assert assert_whole_and_agreeing(svc) == 16
    print(f"concurrent writes: 2 ingests × 8 files, {len(acknowledged)} logs acknowledged and stored, 0 errors")


def test_another_program_holding_the_write_lock_blocks_no_read_and_a_write_says_so(tmp_path, monkeypatch):
    """Another program (a database tool, a long write) holds SQLite's write lock: reads go on
    (WAL), and a write that waits past the busy timeout says the database is busy in one line,
    storing nothing. Before: opening the store took the write lock only to read the schema
    revision, so `gongwen logs` waited the busy timeout too, and both failed with 无法打开数据库
    （OperationalError）：请检查 --db 或 GONGWEN_DB 的写法 (the URL was right)."""
    import sqlite3

    from typer.testing import CliRunner

    import index.store.store as store_module
    from api.cli import app
    from api.service import Gongwen
    from api.settings import Settings

    monkeypatch.delenv("GONGWEN_DB", raising=False)
    data = tmp_path / "data"
    with Gongwen(Settings(data_dir=data)) as svc:
        svc.add_logs([{"id": "first", "text": "走访企业，了解工资发放情况。", "tasks": [], "risks": []}])
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)  # the wait, not the behaviour: the test need not sit 20 s
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 2)
    holder = sqlite3.connect(data / "gongwen.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the other program's write lock
    try:
        runner = CliRunner()
        env = {"GONGWEN_DATA": str(data)}
        r = runner.invoke(app, ["logs", "--json"], env=env)
        assert r.exit_code == 0 and '"first"' in r.stdout, r.output
        r = runner.invoke(app, ["log", "add", "--text", "走访园区企业，发展会员12人。", "--json"], env=env)
        said = [line for line in r.stderr.splitlines() if line.strip()]
        assert r.exit_code == 1 and len(said) == 1 and "另一个程序占用" in said[0] and "写法" not in said[0], r.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Gongwen(Settings(data_dir=data)) as svc:
        assert svc.store.count_logs() == 1


@pytest.mark.db
def test_two_writers_storing_one_new_log_id_at_once_both_succeed(database_url):
    """On PostgreSQL two processes storing the same new log id at once (two `gongwen log add` of
    one file): the second's insert met the first's row. Before: it failed with 数据库出错
    （IntegrityError）：duplicate key value violates unique constraint "logs_pkey" (seen with two
    real `log add` runs of 300 logs); now it replaces that log's labels, as a known id does.
    The other writer stores the id the moment this one is about to insert it."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from index.store import Store
    from index.store.models import LogRow

    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite 一次只让一个写入者进来，不会相撞")
    first, other = Store(database_url), Store(database_url)
    fired = []

    def meanwhile(session, _ctx, _instances):
        if not fired and any(isinstance(o, LogRow) for o in session.new):
            fired.append(1)
            other.add_logs([{"id": "same", "text": "另一进程先存了这条日志。", "tasks": [], "risks": []}])

    event.listen(Session, "before_flush", meanwhile)
    try:
        ids = first.add_logs([{"id": "same", "text": "走访企业，职工反映工资拖欠。", "tasks": ["research"],
                               "risks": [{"id": "wage_arrears", "severity": "high"}]}])
    finally:
        event.remove(Session, "before_flush", meanwhile)
    assert fired and ids == ["same"] and first.count_logs() == 1
    log = first.get_log("same")
    assert log["text"] == "走访企业，职工反映工资拖欠。" and [a["risk"] for a in log["alerts"]] == ["wage_arrears"]
    first.close()
    other.close()
