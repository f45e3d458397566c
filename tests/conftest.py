"""Shared fixtures. Tests use the project's own sample corpus (corpora/) and
write only into pytest's temporary folders; tests that take `database_url` run
once on a SQLite file and once on a throwaway PostgreSQL cluster."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
NOTICES = CORPORA / "notices"


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings pointing at an empty data folder of this test's own."""
    from api.settings import Settings

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("GONGWEN_DB", raising=False)
    return Settings()


# ------------------------------------------------------------ PostgreSQL cluster


def _find_initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else shutil.which("initdb")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory):
    """A PostgreSQL server of our own, on a unix socket in a temporary folder.

    CI needs the `postgresql` apt package (initdb under /usr/lib/postgresql/*/bin).
    """
    initdb = _find_initdb()
    if not initdb:
        pytest.skip("PostgreSQL 未安装（需要 apt 包 postgresql，提供 initdb）")
    pytest.importorskip("psycopg", reason="需要 psycopg[binary]")
    bindir = Path(initdb).parent
    as_user: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("以 root 运行且没有 postgres 系统用户，无法启动 PostgreSQL")
        # initdb refuses to run as root: run the server as the `postgres` system user,
        # in a folder that user can enter (pytest's root tmp folders are 0700).
        as_user = ["runuser", "-u", "postgres", "--"]
        base = Path(tempfile.mkdtemp(prefix="gongwen-pg-"))
        shutil.chown(base, "postgres")
    else:
        base = tmp_path_factory.mktemp("pg")
    data, sock = base / "data", base / "sock"
    for d in (data, sock):
        d.mkdir()
        if as_user:
            shutil.chown(d, "postgres")
    run = lambda *cmd: subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
    port = _free_port()
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
        f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off", "start")
    try:
        yield {"host": str(sock), "port": port}
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        if as_user:
            shutil.rmtree(base, ignore_errors=True)


def new_pg_database(cluster: dict) -> str:
    """A fresh, empty database in the cluster, as a SQLAlchemy URL."""
    import psycopg

    name = f"t{time.time_ns()}"
    with psycopg.connect(host=cluster["host"], port=cluster["port"], user="postgres", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@/{name}?host={cluster['host']}&port={cluster['port']}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty database: a SQLite file of this test's own, or a new database in the
    session's PostgreSQL cluster (skipped where PostgreSQL is not installed)."""
    if request.param == "sqlite":
        (tmp_path / "store").mkdir(exist_ok=True)
        return f"sqlite:///{tmp_path / 'store' / 'gongwen.db'}"
    return new_pg_database(request.getfixturevalue("pg_cluster"))


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

    def start(self, *argv: str, env: dict | None = None, log: str | None = None) -> int:
        import json

        self.proc.stdin.write((json.dumps({"argv": [str(a) for a in argv], "env": env or {}, "log": log}) + "\n").encode())
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
