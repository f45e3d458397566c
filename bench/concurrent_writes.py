"""Concurrent writers: two `gongwen ingest` processes (fresh interpreters, the way a
user starts them) and a stream of single-log writes through the service from
several threads (each its own `Gongwen`, like server workers) on one store. Counts
what failed ("database is locked" and the rest), what was acknowledged and what the
store holds at the end.

    python bench/concurrent_writes.py [--files 50] [--logs 3000] [--threads 4] [--code DIR] [--db URL]

`--code DIR` runs everything (ingest processes and the service) from another
checkout, e.g. a `git archive` of an older commit, to compare before and after.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=50, help="files per ingest process")
    ap.add_argument("--logs", type=int, default=3000, help="log writes at least (more while the ingests run)")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--code", type=Path, default=ROOT)
    ap.add_argument("--db")
    args = ap.parse_args()
    code = args.code.resolve()
    sys.path[:0] = [str(code), str(ROOT / "tests")]
    import sqlalchemy as sa
    from fixtures_make import DOC_NUMBER, NOTICE_TEXT

    from api.service import Gongwen
    from api.settings import Settings

    sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package
    from gongwen_scratch import scratch_folder

    tmp = scratch_folder("gongwen-conc-")  # removed at exit, on an error and on SIGTERM
    data = tmp / "data"
    url = args.db or f"sqlite:///{data / 'gongwen.db'}"
    for f, base in (("a", 0), ("b", 5000)):
        (tmp / f).mkdir()
        for i in range(base, base + args.files):
            text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(100 + i)))
            (tmp / f / f"n{i:05d}.txt").write_text(text.replace("示范点2个", f"示范点{i + 2}个"), encoding="utf-8")
    settings = Settings(data_dir=data, db_url=url)
    Gongwen(settings).store.count_documents()  # schema first

    errors: collections.Counter = collections.Counter()
    acknowledged: list[str] = []
    lock = threading.Lock()
    ingests_running = threading.Event()
    ingests_running.set()
    next_id = iter(range(10**9))

    def writer() -> None:
        svc = Gongwen(Settings(data_dir=data, db_url=url))
        while ingests_running.is_set() or len(acknowledged) < args.logs:
            with lock:
                i = next(next_id)
            rec = {"id": f"log{i}", "text": f"第{i}条蹲点日志：职工反映加班费未发", "date": "2024-05-01",
                   "tasks": [], "risks": [{"id": "wage_arrears", "severity": "high"}]}
            try:
                svc.add_logs([rec], tag=False)
                with lock:
                    acknowledged.append(rec["id"])
            except Exception as e:  # noqa: BLE001 - counted
                errors[f"{type(e).__name__}: {str(e).splitlines()[0][:80]}"] += 1
        svc.close()

    env = {**os.environ, "PYTHONPATH": str(code)}
    t0 = time.perf_counter()
    threads = [threading.Thread(target=writer) for _ in range(args.threads)]
    for t in threads:
        t.start()
    procs = [subprocess.Popen([sys.executable, "-m", "api.cli", "ingest", str(tmp / f), "--data-dir", str(data),
                               "--db", url], env=env, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for f in "ab"]
    outputs = [p.communicate()[0] for p in procs]
    ingests_running.clear()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        docs = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()
        logs = set(conn.execute(sa.text("SELECT id FROM logs")).scalars())
    failed_files = sum(1 for out in outputs for line in out.splitlines() if line.startswith("失败 "))
    print(f"code {code}: {seconds:.1f} s")
    print(f"ingests: exit {[p.returncode for p in procs]}, {docs}/{2 * args.files} documents stored, "
          f"{failed_files} files reported failed, 'locked' in output: {sum('locked' in o for o in outputs)}")
    print(f"logs: {len(acknowledged) + sum(errors.values())} writes, {len(acknowledged)} acknowledged, "
          f"{sum(errors.values())} failed, acknowledged but not stored {len(set(acknowledged) - logs)}")
    for e, n in errors.most_common(5):
        print(f"  {n} × {e}")


if __name__ == "__main__":
    main()
