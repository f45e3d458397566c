"""A command stopped from outside loses nothing and blocks nothing: a `gongwen`
process killed (SIGKILL) while its segmenting workers run leaves no worker holding
the index lock; Ctrl+C during a folder ingest says so in one Chinese line, and
what was stored before it is searchable at once; a disk that refuses writes stops
a folder ingest at once, in Chinese, and the next run completes it. Real processes,
a real SQLite file and a real index on disk."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from api.service import Gongwen
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

# Holds the index work lock (as a drain or `gongwen reindex` does) with segmenting
# workers forked under it, then waits to be killed.
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from api.service import Gongwen
    from api.settings import Settings
    from index.search.parallel import Segmenter

    svc = Gongwen(Settings(data_dir=Path(sys.argv[1])))
    with svc._index_work() as got:
        assert got
        with Segmenter(None, n_workers=2) as seg:
            print(" ".join(str(p) for p in seg._pool._processes), flush=True)
            time.sleep(300)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_workers_of_a_killed_rebuild_end_and_the_index_lock_is_free_again(tmp_path):
    """Before: the forked workers of a `gongwen reindex` killed with SIGKILL waited on
    their task queue for ever, holding the lock's descriptor: every later ingest stored
    notices the index never got, and `gongwen reindex` said another process was busy."""
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data)], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        workers = [int(p) for p in holder.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(p) for p in workers)
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert not any(_alive(p) for p in workers), "the killed process's workers live on"
        with Gongwen(Settings(data_dir=data)) as svc:
            svc.store.add_logs([{"id": "L1", "text": "走访企业，了解职工工资发放情况。", "tasks": [], "risks": []}])
            assert svc.drain_index(wait=5) == 1  # the lock is free: the log reaches the index
            assert svc.search_index.ids("log") == {"L1"}
    finally:
        for p in workers:
            if _alive(p):
                os.kill(p, signal.SIGKILL)


def _stored(db: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_in_a_folder_ingest_says_what_was_done_and_leaves_it_searchable(tmp_path, sig):
    """Before: Ctrl+C ended `gongwen ingest` with exit code 130 and not a word, SIGTERM
    (`timeout`, a service manager) killed it at once, and the notices stored since the last
    index commit (up to 64) stayed unsearchable until some later command that writes."""
    from test_index_outbox import assert_whole_and_agreeing, make_notices

    inbox, data = tmp_path / "in", tmp_path / "data"
    make_notices(inbox, 40)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGWEN_INDEX_BATCH": "64"}
    # a Ctrl+C from the terminal: SIGINT to a process that has Python's own handler for it
    proc = subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(inbox), "--data-dir", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while _stored(data / "gongwen.db") < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + sig, (out, err)
    said = [line for line in err.splitlines() if line.strip()]
    assert said and said[-1].startswith("已中断：已处理 ") and "再次运行同一命令即可继续" in said[-1], err
    with Gongwen(Settings(data_dir=data)) as svc:
        stored = assert_whole_and_agreeing(svc)  # no drain here: the interrupted run indexed what it stored
        assert 3 <= stored < 40
        done = int(said[-1].split("已处理 ")[1].split("/")[0])
        assert done == stored  # a file whose store commit landed as the signal came is counted too
        summary = svc.ingest_paths([inbox])  # running it again does the rest
        assert summary.ingested == 40 - stored and summary.unchanged == stored
        assert assert_whole_and_agreeing(svc) == 40


def after_commit(n: int, act: str) -> str:
    """A script running `gongwen ingest` (its arguments) that does `act` (Python code) the moment
    the store has committed its `n`-th document, before the store call returns."""
    return textwrap.dedent("""
        import os, resource, runpy, signal, sys
        from sqlalchemy import event
        from sqlalchemy.orm import Session
        from index.store.models import DocumentRow

        stored = []

        @event.listens_for(Session, "before_commit")
        def _seen(s):
            s.info["document"] = any(isinstance(o, DocumentRow) for o in s.new)

        @event.listens_for(Session, "after_commit")
        def _act(s):
            if s.info.pop("document", False):
                stored.append(1)
                if len(stored) == {n}:
                    {act}

        sys.argv = ["gongwen", "ingest", *sys.argv[1:]]
        runpy.run_module("api.cli", run_name="__main__")
    """).format(n=n, act=act)


# sends itself SIGINT (as Ctrl+C does) once the third document is stored
SIGNAL_AFTER_COMMIT = after_commit(3, "os.kill(os.getpid(), signal.SIGINT)")


def test_the_files_done_after_ctrl_c_count_a_file_committed_as_the_signal_came(tmp_path):
    """Before: 已处理 2/10 while the store held 3 notices (the file whose commit the signal
    followed was not counted, nor said as stored)."""
    from test_index_outbox import assert_whole_and_agreeing, make_notices

    inbox, data = tmp_path / "in", tmp_path / "data"
    make_notices(inbox, 10)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", SIGNAL_AFTER_COMMIT, str(inbox), "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 130 and said and said[-1].startswith("已中断：已处理 "), proc.stderr
    with Gongwen(Settings(data_dir=data)) as svc:
        assert assert_whole_and_agreeing(svc) == 3  # stored and searchable
    assert said[-1].startswith("已处理 3/10 个文件", 4), said[-1]


def test_a_disk_that_refuses_writes_stops_a_folder_ingest_in_chinese_and_the_next_run_completes_it(tmp_path):
    """The store cannot be written (here the process's file size limit, RLIMIT_FSIZE, as a
    full disk or a quota would): before, every remaining file was read and extracted and
    then failed, one English line each (数据库出错（OperationalError）：disk I/O error,
    处理失败（ValueError）：An IO error occurred: 'No space left on device (os error 28)…');
    now the batch stops at the first such failure with what to do."""
    from test_index_outbox import assert_whole_and_agreeing, make_notices

    inbox, data = tmp_path / "in", tmp_path / "data"
    paths = make_notices(inbox, 30)
    with Gongwen(Settings(data_dir=data)) as svc:  # store, index and caches made without a limit
        assert svc.ingest_paths([paths[0]]).ingested == 1
    limit = (data / "gongwen.db").stat().st_size + 64 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "api.cli", "ingest", str(inbox), "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, cwd=ROOT, preexec_fn=limited, timeout=600)
    assert proc.returncode == 1, proc.stderr
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    failures = [line for line in said if line.startswith("失败 ")]
    assert failures and all("无法写入" in line and "Error" not in line for line in failures), said
    stop = [line for line in said if line.startswith("已停止：")]
    assert len(stop) == 1 and "其余" in stop[0] and "再次运行同一命令" in stop[0], said
    assert int(stop[0].split("其余 ")[1].split(" ")[0]) > 0  # stopped before the end
    with Gongwen(Settings(data_dir=data)) as svc:
        summary = svc.ingest_paths([inbox])  # the disk has room again: the same command completes it
        assert summary.failed == 0 and summary.stopped is None
        assert assert_whole_and_agreeing(svc) == 30


# its disk fills (the file size limit drops to one byte) once the fifth document is stored: the
# index commit of the batch fails, and so does the store's undo of the batch (the delete must write too)
DISK_FULL_AFTER_COMMIT = after_commit(5, "resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))")


def test_a_notice_the_full_disk_would_not_let_go_of_is_reported_stored_not_failed(tmp_path):
    """Before: the five notices stored before the disk filled were reported 失败 …无法写入
    (the index refused them, and undoing them failed on the same disk), yet stayed stored:
    the next run called them 未变化. Now each is said as stored and not yet searchable, and
    the next run, with room, makes them searchable."""
    import hashlib

    from test_index_outbox import assert_whole_and_agreeing, make_notices

    inbox, data = tmp_path / "in", tmp_path / "data"
    paths = make_notices(inbox, 10)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGWEN_INDEX_BATCH": "64"}
    proc = subprocess.run([sys.executable, "-c", DISK_FULL_AFTER_COMMIT, str(inbox), "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and any(line.startswith("已停止：") for line in said), proc.stderr
    with Gongwen(Settings(data_dir=data)) as svc:
        stored = {d["id"] for d in svc.store.list_documents(limit=100)}
    by_id = {hashlib.sha256(p.read_bytes()).hexdigest()[:16]: p for p in paths}
    kept = {str(by_id[i]) for i in stored}
    assert len(kept) == 5, said
    reported_failed = {line.split(" ", 1)[1].split("：", 1)[0] for line in said if line.startswith("失败 ")}
    assert reported_failed and not reported_failed & kept, said  # what failed left nothing behind
    said_unsearchable = {line.split(" ", 1)[1].split("：", 1)[0] for line in said
                         if line.startswith("注意 ") and "已入库，但检索索引无法写入" in line}
    assert said_unsearchable == kept, said
    with Gongwen(Settings(data_dir=data)) as svc:  # room again: the same command completes it
        summary = svc.ingest_paths([inbox])
        assert summary.failed == 0 and summary.unchanged == 5 and summary.ingested == 5
        assert assert_whole_and_agreeing(svc) == 10


# Writes items to a real tantivy index while the process may write no file past 20 KB.
FULL_INDEX = textwrap.dedent("""
    import random, resource, sys
    from pathlib import Path
    from index.search import item_from_log, open_index

    ix = open_index(Path(sys.argv[1]), "tantivy")
    resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
    rng = random.Random(0)
    text = lambda: "".join(chr(rng.randint(0x4e00, 0x9fa5)) for _ in range(3000))
    try:
        ix.add([item_from_log({"id": f"L{i}", "text": text(), "tags": [], "risks": []}) for i in range(20)])
    except OSError as e:
        print("OSError", e.errno, e.filename)
    except BaseException as e:
        print(type(e).__name__, e)
""")


def test_an_index_the_disk_refuses_says_it_as_the_os_error_it_is(tmp_path):
    """tantivy reports a failed write as ValueError("An IO error occurred: '… (os error 27)
    at path …/.tmpXYZ'"): before, that reached a person in English (内部错误（ValueError…),
    处理失败（ValueError）…) or was taken for a lock another process held (IndexBusy)."""
    import errno

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    folder = tmp_path / "index-tantivy"
    out = subprocess.run([sys.executable, "-c", FULL_INDEX, str(folder)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=300).stdout.split()
    assert out[:2] == ["OSError", str(errno.EFBIG)] and out[2] == str(folder), out


# The HTTP API over a store the disk refuses to grow: a batch of logs posted after the
# process's file size limit is set just above the database's size.
FULL_API = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from fastapi.testclient import TestClient
    from api.app import create_app
    from api.settings import Settings

    s = Settings(data_dir=Path(sys.argv[1]), api_key="k")
    with TestClient(create_app(s), raise_server_exceptions=False) as c:
        key = {"X-API-Key": "k"}
        assert c.post("/api/logs", json={"id": "first", "text": "走访企业，了解工资发放情况。"}, headers=key).status_code == 201
        size = (Path(sys.argv[1]) / "gongwen.db").stat().st_size
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, resource.RLIM_INFINITY))
        batch = [{"id": f"L{i}", "text": "走访企业，了解工资发放情况。" * 3000} for i in range(20)]
        r = c.post("/api/logs", json=batch, headers=key)
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        print(json.dumps({"status": r.status_code, "type": r.headers.get("content-type"), "body": r.json(),
                          "total": c.get("/api/logs").json()["total"]}, ensure_ascii=False))
""")


def test_the_api_says_in_json_when_the_disk_refuses_a_write(tmp_path):
    """Before: 500 internal (服务器内部错误) as for a bug; now 507 storage_full in Chinese,
    and nothing of the batch is kept."""
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", FULL_API, str(tmp_path / "data")], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=300)
    assert out.stdout.strip(), out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["status"] == 507 and got["type"].startswith("application/json"), got
    assert got["body"]["error"]["code"] == "storage_full" and "未保存" in got["body"]["error"]["message"], got
    assert got["total"] == 1  # the batch is all or nothing


def test_log_add_on_a_disk_that_refuses_writes_says_so_and_keeps_nothing(tmp_path):
    """Before: 无法打开数据库（OperationalError）：请检查 --db 或 GONGWEN_DB 的写法 — the URL
    was right, the disk was what refused."""
    import json

    data = tmp_path / "data"
    with Gongwen(Settings(data_dir=data)) as svc:
        svc.add_logs([{"id": "first", "text": "走访企业，了解工资发放情况。"}])
    logs = tmp_path / "logs.jsonl"
    logs.write_text("".join(json.dumps({"id": f"B{i}", "text": "走访企业，了解工资发放情况。" * 200}, ensure_ascii=False) + "\n"
                            for i in range(200)), encoding="utf-8")
    limit = (data / "gongwen.db").stat().st_size + 20_000

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "api.cli", "log", "add", str(logs), "--data-dir", str(data)],
                          capture_output=True, text=True, env=env, cwd=ROOT, preexec_fn=limited, timeout=600)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and len(said) == 1, proc.stderr
    assert "数据库无法写入" in said[0] and "--db" not in said[0], said
    with Gongwen(Settings(data_dir=data)) as svc:
        assert svc.store.count_logs() == 1  # the file's logs: all or none


def test_postgresql_errors_that_refuse_every_write_are_said_as_sqlite_s_are():
    """Before: PostgreSQL's full disk, lack of memory or read-only server gave the generic
    数据库出错（OperationalError）… line and a folder ingest went on failing every file; the
    SQLSTATE says which, whatever language the server's messages are in."""
    import psycopg.errors as pg
    from sqlalchemy.exc import IntegrityError, InternalError, OperationalError

    from api.service.results import database_trouble, storage_refused

    def wrapped(cls, err):
        return cls("INSERT INTO documents …", {}, err)

    full = wrapped(OperationalError, pg.DiskFull('could not extend file "base/16384/2619": 设备上没有空间'))
    sqlite_full = wrapped(OperationalError, Exception("database or disk is full"))
    assert storage_refused(full) and "数据库无法写入（磁盘空间不足" in database_trouble(full)
    assert database_trouble(full).split("；")[0] == database_trouble(sqlite_full).split("；")[0]
    read_only = wrapped(InternalError, pg.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction"))
    assert storage_refused(read_only) and "只读" in database_trouble(read_only)
    memory = wrapped(OperationalError, pg.OutOfMemory("out of memory"))
    assert storage_refused(memory) and "内存不足" in database_trouble(memory)
    duplicate = wrapped(IntegrityError, pg.UniqueViolation("duplicate key value violates unique constraint"))
    assert not storage_refused(duplicate) and database_trouble(duplicate).startswith("数据库出错（IntegrityError）")


def test_a_read_only_database_is_said_as_such_and_keeps_nothing(database_url, tmp_path):
    """A database that takes reads but no writes (SQLite opened read-only; on PostgreSQL a
    read-only server or default_transaction_read_only, SQLSTATE 25006): `gongwen log add`
    says so in one line, not 无法打开数据库…请检查 --db (the URL is right) nor 数据库出错."""
    data = tmp_path / "data"
    with Gongwen(Settings(data_dir=data, db_url=database_url)) as svc:
        svc.add_logs([{"id": "first", "text": "走访企业，了解工资发放情况。"}])
    if database_url.startswith("sqlite"):
        read_only = f"sqlite:///file:{database_url.split(':///', 1)[1]}?mode=ro&uri=true"
    else:
        read_only = database_url + "&options=-c%20default_transaction_read_only%3Don"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGWEN_DB": read_only}
    proc = subprocess.run([sys.executable, "-m", "api.cli", "log", "add", "--text", "走访园区企业，发展会员12人。",
                           "--data-dir", str(data)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    said = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 1 and len(said) == 1, proc.stderr
    assert "数据库无法写入" in said[0] and "只读" in said[0] and "--db" not in said[0], said
    with Gongwen(Settings(data_dir=data, db_url=database_url)) as svc:
        assert svc.store.count_logs() == 1
