"""What a `kill -9` during `gongwen ingest` leaves behind, and what the next run
repairs: issue 13's reproduction (200 small notices, killed when about half are
stored, then ingest run again to completion), as real processes started the way a
user starts them (`python -m api.cli ingest …`, a fresh interpreter each).

    python bench/crash_ingest.py [--files 200] [--kills 1] [--code DIR] [--db URL]

`--code DIR` runs the ingest processes from another checkout of gongwen (e.g. a
`git archive` of an older commit), to compare before and after; the counting is
done with this checkout's store and index code. Printed per phase: documents in
the store, documents in the search index, stored but not searchable.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sqlalchemy as sa  # noqa: E402
from fixtures_make import DOC_NUMBER, NOTICE_TEXT  # noqa: E402


def make_notices(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        text = NOTICE_TEXT.replace(DOC_NUMBER, DOC_NUMBER.replace("7", str(100 + i)))
        (folder / f"n{i:04d}.txt").write_text(text.replace("示范点2个", f"示范点{i + 2}个"), encoding="utf-8")


def counts(data: Path, url: str) -> tuple[int, int]:
    from index.search import open_index

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT count(*) FROM documents")).scalar()
    engine.dispose()
    ix = open_index(data / "index-tantivy", "tantivy")
    return stored, len(ix.ids("document"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--kills", type=int, default=1, help="kill/restart cycles before the run to completion")
    ap.add_argument("--code", type=Path, default=ROOT, help="the gongwen checkout the ingest processes run")
    ap.add_argument("--db", help="SQLAlchemy URL (default: a SQLite file in the data folder)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sys.path.append(str(ROOT / "bench"))  # after the repository: bench/ingest.py is no package
    from gongwen_scratch import scratch_folder

    tmp = scratch_folder("gongwen-crash-")  # removed at exit, on an error and on SIGTERM
    folder, data = tmp / "in", tmp / "data"
    make_notices(folder, args.files)
    url = args.db or f"sqlite:///{data / 'gongwen.db'}"
    env = {**os.environ, "PYTHONPATH": str(args.code.resolve())}
    cmd = [sys.executable, "-m", "api.cli", "ingest", str(folder), "--data-dir", str(data), "--db", url]
    print(f"code {args.code}, {args.files} files, {args.kills} kill(s), data {tmp}")
    engine = None
    for k in range(args.kills):
        stored_before = 0 if engine is None else counts(data, url)[0]
        left = args.files - stored_before
        target = stored_before + max(1, int(left * rng.uniform(0.3, 0.7)))
        p = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        engine = sa.create_engine(url)
        while p.poll() is None:
            try:
                with engine.connect() as conn:
                    if conn.execute(sa.text("SELECT count(*) FROM documents")).scalar() >= target:
                        break
            except sa.exc.OperationalError:  # no table yet
                pass
            time.sleep(0.01)
        p.send_signal(signal.SIGKILL)
        p.wait()
        stored, indexed = counts(data, url)
        print(f"after kill {k + 1}: stored {stored}, indexed {indexed}, stored but not searchable {stored - indexed}")
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True)
    stored, indexed = counts(data, url)
    table = [ln for ln in done.stdout.splitlines() if "│" in ln]
    print(f"re-run to completion (exit {done.returncode}, {time.perf_counter() - t0:.1f} s): stored {stored}, "
          f"indexed {indexed}, stored but not searchable {stored - indexed}; ingest reported {table[-1] if table else '?'}")


if __name__ == "__main__":
    main()
