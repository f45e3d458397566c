"""Shared fixtures. Tests use the project's own sample corpus (corpora/) and
write only into pytest's temporary folders. Tests marked `db` (and those taking
`settings` or `database_url`) store into a database of their own: a SQLite file, or
with GONGWEN_TEST_DB=postgresql a new database in a throwaway PostgreSQL cluster."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import backends
import pytest

from ingest.threads import cap_threads

# One BLAS/OpenMP thread in the suite and the processes it starts: `make test` runs two
# xdist workers on two cores, and OpenBLAS's second thread spins while it waits for the
# core the other worker holds (fitting a small tagger took 8x the CPU). Set before any
# test module imports numpy; the product's own cap (GONGWEN_THREADS) does the same.
cap_threads(1)

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
NOTICES = CORPORA / "notices"


# ------------------------------------------------------------ database backend
# The suite runs on SQLite, or with GONGWEN_TEST_DB=postgresql on a PostgreSQL cluster
# of its own (tests/backends.py); the tests marked `db` are those that store.


def pytest_configure(config):
    config.addinivalue_line("markers", "db: stores into a database; `make test` runs it on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "blank_db: a `db` test whose database must hold no table yet (migrations)")
    config.addinivalue_line("markers", "server: starts a real `gongwen serve` process (uvicorn); `-m 'not server'` "
                                       "leaves these out of a quick run")
    # the developer's own GONGWEN_DB must never point the suite at a real database
    os.environ.pop("GONGWEN_DB", None)
    if hasattr(config, "workerinput"):
        # an xdist worker starts with COLUMNS=80 LINES=24: rich would fix the CLI's console
        # at 80 columns on import, and the tests that invoke it with COLUMNS=200 see 80
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    if backends.BACKEND not in backends.BACKENDS:
        raise pytest.UsageError(f"GONGWEN_TEST_DB={backends.BACKEND}: use one of {', '.join(backends.BACKENDS)}")
    if backends.BACKEND == "postgresql":
        try:  # asked for explicitly: a missing PostgreSQL fails the run instead of skipping it
            backends.cluster()
        except (backends.Unavailable, subprocess.CalledProcessError) as e:
            raise pytest.UsageError(f"GONGWEN_TEST_DB=postgresql, but PostgreSQL cannot start: {e}") from None
    _ocr_on_one_thread()


def _ocr_on_one_thread() -> None:
    """`make test` runs two xdist workers on two cores: ONNX Runtime's thread pool (one
    thread per core) would spin against the other worker, half again the CPU for the
    same recognised text. The engine is built as gongwen builds it, on one thread."""
    import functools

    import ingest.readers.ocr as ocr

    build = ocr._get_engine

    def one_thread():
        if ocr._engine is not None:
            return ocr._engine
        try:
            import rapidocr_onnxruntime as rapidocr
        except ImportError:
            return build()  # gongwen's own message about the missing package
        cls = rapidocr.RapidOCR
        rapidocr.RapidOCR = functools.partial(cls, intra_op_num_threads=1, inter_op_num_threads=1)
        try:
            return build()
        finally:
            rapidocr.RapidOCR = cls

    ocr._get_engine = one_thread


def pytest_unconfigure(config):
    backends.stop_cluster()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if {"settings", "database_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
    # Files with a slow or server test first, each file's own order kept: with xdist
    # (`make test`) a worker takes whole files in this order, and a long file left to
    # the end would run alone on one core while the other waits. (xdist's default then reorders
    # files by their number of tests; passing --no-loadscope-reorder was slower in a clean-clone
    # SQLite pass, 490 s against 444 s, session 29.)
    heavy = {item.path for item in items if item.get_closest_marker("slow") or item.get_closest_marker("server")}
    items.sort(key=lambda item: item.path not in heavy)


def pytest_report_header(config):
    return f"database backend: {backends.BACKEND}"


@pytest.fixture(autouse=True)
def _test_database(request, monkeypatch):
    """A `db` test gets a new empty database of the suite's backend as GONGWEN_DB (what
    `Settings()`, the CLI and child processes read); other tests get none. On PostgreSQL it
    holds gongwen's tables already (no row: backends.Cluster.migrated_database), but for the
    tests marked `blank_db` (the migrations' own), which get one without any table; the
    databases the tests make themselves (fresh_db_url) have none either, so gongwen's
    migrations still run on new PostgreSQL databases in the pass."""
    db = request.node.get_closest_marker("db")
    url = backends.fresh_db_url(migrated=not request.node.get_closest_marker("blank_db")) if db else None
    if url:
        monkeypatch.setenv("GONGWEN_DB", url)
    else:
        monkeypatch.delenv("GONGWEN_DB", raising=False)
    yield url
    if url:
        backends.cluster().drop_database(url, wait=False)  # in the background (backends.Cluster)


@pytest.fixture
def settings(tmp_path, monkeypatch, _test_database):
    """Settings pointing at an empty data folder (and database) of this test's own."""
    from api.settings import Settings

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    return Settings()


@pytest.fixture
def database_url(tmp_path, _test_database) -> str:
    """The URL of this test's empty database: a SQLite file of its own, or a new
    database in the session's PostgreSQL cluster."""
    return _test_database or backends.fresh_db_url(folder=tmp_path / "store")


# ------------------------------------------------------------ gongwen as real processes


class ForkedCli:
    """Client of tests/forked_cli.py: start `gongwen …` as real processes that start
    in milliseconds, see when they end, kill them."""

    def __init__(self) -> None:
        import sys

        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "forked_cli.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=str(ROOT))
        self._buf = b""
        self.exits: dict[int, int] = {}
        first = self._event(timeout=300)
        assert first == {"ready": True}, first

    def _event(self, timeout: float) -> dict | None:
        import json
        import select

        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    raise RuntimeError("the fork server ended")
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        event = json.loads(line)
        if "exit" in event:
            self.exits[event["exit"]] = event["code"]
        return event

    def start(self, *argv: str, env: dict | None = None, log: str | None = None, prelude: str | None = None,
              err: str | None = None) -> int:
        """`gongwen ARGV` in a new child; `log` takes its stdout (and stderr unless `err` is
        given), `prelude` is Python the child runs first (tests/forked_cli.py)."""
        import json

        req = {"argv": [str(a) for a in argv], "env": env or {}, "log": log, "prelude": prelude, "err": err}
        self.proc.stdin.write((json.dumps(req) + "\n").encode())
        self.proc.stdin.flush()
        while True:
            event = self._event(timeout=60)
            assert event is not None, "the fork server did not answer"
            if "pid" in event:
                return event["pid"]

    def poll(self, pid: int) -> int | None:
        while pid not in self.exits and self._event(timeout=0) is not None:
            pass
        return self.exits.get(pid)

    def wait(self, pid: int, timeout: float = 300) -> int:
        deadline = time.monotonic() + timeout
        while pid not in self.exits:
            assert self._event(timeout=max(0.0, deadline - time.monotonic())) is not None, f"{pid} still runs"
        return self.exits[pid]

    def kill9(self, pid: int) -> int:
        import signal

        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self.wait(pid)

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def forked_cli():
    cli = ForkedCli()
    yield cli
    cli.close()
