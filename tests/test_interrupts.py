"""A command stopped from outside loses nothing and blocks nothing: a `gongwen`
process killed (SIGKILL) while its segmenting workers run leaves no worker holding
the index lock; Ctrl+C during a folder ingest says so in one Chinese line, and
what was stored before it is searchable at once. Real processes, a real SQLite
file and a real index on disk."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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


def test_ctrl_c_in_a_folder_ingest_says_what_was_done_and_leaves_it_searchable(tmp_path):
    """Before: Ctrl+C ended `gongwen ingest` with exit code 130 and not a word, and the
    notices stored since the last index commit (up to 64) stayed unsearchable until some
    later command that writes."""
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
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (out, err)
    said = [line for line in err.splitlines() if line.strip()]
    assert said and said[-1].startswith("已中断：已处理 ") and "再次运行同一命令即可继续" in said[-1], err
    with Gongwen(Settings(data_dir=data)) as svc:
        stored = assert_whole_and_agreeing(svc)  # no drain here: the interrupted run indexed what it stored
        assert 3 <= stored < 40
        done = int(said[-1].split("已处理 ")[1].split("/")[0])
        assert done >= stored
        summary = svc.ingest_paths([inbox])  # running it again does the rest
        assert summary.ingested == 40 - stored and summary.unchanged == stored
        assert assert_whole_and_agreeing(svc) == 40
