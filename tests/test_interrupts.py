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
