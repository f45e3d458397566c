"""Which database the suite stores into.

`GONGWEN_TEST_DB=postgresql` runs the suite against a throwaway PostgreSQL cluster
of its own (`initdb` into a temporary folder, a unix socket, no TCP port): every
test marked `db` (the tests that touch the store) gets a new empty database, as
`GONGWEN_DB` in its environment and from `fresh_db_url()`. Unset or `sqlite`, the
same tests use SQLite files in their temporary folders. `make test` runs the whole
suite on SQLite, then the `db` tests again on PostgreSQL.

CI needs the `postgresql` apt package (initdb under /usr/lib/postgresql/*/bin) and
psycopg; as root it runs the server as the `postgres` system user (initdb refuses root).

With pytest-xdist (`make test` runs two workers) the first pytest process starts the
cluster and its workers connect to it: GONGWEN_TEST_PG (socket folder:port) is set in
the environment they inherit, and database names carry the process id.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BACKEND = (os.environ.get("GONGWEN_TEST_DB") or "sqlite").strip().lower()
BACKENDS = ("sqlite", "postgresql")
SHARED = "GONGWEN_TEST_PG"
_made = itertools.count()


class Unavailable(RuntimeError):
    """PostgreSQL cannot be started here (not installed, no psycopg, no postgres user)."""


def _find_initdb() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return found[-1] if found else shutil.which("initdb")


def _memory_folder(need: int = 4 << 30) -> str | None:
    """/dev/shm when it is a tmpfs with `need` bytes free (the cluster's files then live in
    memory), else None (the default temporary folder). Each `db` test's database is a copy of
    an 8 MB template: on the disk (ext4, 2 cores, load 10-12) CREATE DATABASE took 0.17-1.2 s
    wall and 0.09-0.36 CPU-s of the server a copy, in memory 0.06-0.13 s and 0.03-0.05 CPU-s.
    A container's default /dev/shm (64 MB) is too small: the disk is used there."""
    try:
        st = os.statvfs("/dev/shm")
        with open("/proc/mounts", encoding="utf-8") as f:
            tmpfs = any(line.split()[1:3] == ["/dev/shm", "tmpfs"] for line in f)
    except OSError:
        return None
    ok = tmpfs and st.f_bavail * st.f_frsize >= need and os.access("/dev/shm", os.W_OK | os.X_OK)
    return "/dev/shm" if ok else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Admin:
    """A connection to a cluster's `postgres` database that sends one statement at a time
    and lets the suite go on while the server runs it (libpq's asynchronous query). No
    thread: a second thread in a test process would change what tests see (index.search.
    parallel forks its workers only from a process with one thread)."""

    def __init__(self, host: str, port: int) -> None:
        from psycopg import pq

        self._pq, self._sent = pq, None
        self._conn = pq.PGconn.connect(f"host='{host}' port={port} user=postgres dbname=postgres".encode())
        if self._conn.status != pq.ConnStatus.OK:
            raise RuntimeError(self._conn.get_error_message())

    def send(self, sql: str) -> None:
        """Send `sql` once the statement sent before has ended (its failure raised here)."""
        self.wait()
        self._conn.send_query(sql.encode())
        self._sent = sql

    def wait(self) -> None:
        """Wait for the statement sent last; raise its failure."""
        sql, self._sent, failed = self._sent, None, None
        if sql is None:
            return
        while (res := self._conn.get_result()) is not None:
            if res.status != self._pq.ExecStatus.COMMAND_OK:
                failed = res.get_error_message()
        if failed:
            raise RuntimeError(f"{sql}: {failed}")

    def close(self) -> None:
        self._conn.finish()


class Cluster:
    """A PostgreSQL server of the test session's own, on a unix socket in a temporary folder."""

    owner = True

    def __init__(self, *, language: str | None = None, hba: str | None = None, share: bool = True) -> None:
        """`language`: the server speaks it (gettext's LANGUAGE, with lc_messages C.UTF-8 so it
        is heeded); `hba`: pg_hba.conf's text; `share`: the suite's cluster, announced to its
        xdist workers (a test's own cluster is not)."""
        initdb = _find_initdb()
        if not initdb:
            raise Unavailable("PostgreSQL 未安装（需要 apt 包 postgresql，提供 initdb）")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise Unavailable("需要 psycopg[binary]") from None
        self.bindir = Path(initdb).parent
        self._template: str | None = None
        self._spare: str | None = None
        self._admin: dict[str, _Admin] = {}
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("以 root 运行且没有 postgres 系统用户，无法启动 PostgreSQL") from None
            # pytest's root tmp folders are 0700: the `postgres` user needs one it can enter.
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.base = Path(tempfile.mkdtemp(prefix="gongwen-pg-", dir=_memory_folder()))
        data, sock = self.base / "data", self.base / "sock"
        for d in (self.base, data, sock):
            d.mkdir(exist_ok=True)
            if self.as_user:
                shutil.chown(d, "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-locale")
        if hba is not None:
            (data / "pg_hba.conf").write_text(hba, encoding="utf-8")  # keeps its owner: the server reads it
        self.host, self.port = str(sock), _free_port()
        self.shared = share
        env = ["env", f"LANGUAGE={language}"] if language else []
        # fsync off: a test cluster need not survive a power cut; many test databases and
        # several server processes need more than the default 100 connections.
        self._run(*env, str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.base / "log"), "-w", "-o",
                  f"-k {sock} -p {self.port} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
                  "-c synchronous_commit=off -c max_connections=300" + (" -c lc_messages=C.UTF-8" if language else ""),
                  "start")
        if share:
            os.environ[SHARED] = f"{self.host}:{self.port}"

    @classmethod
    def attach(cls, shared: str) -> Cluster:
        """The cluster another pytest process started (an xdist worker's controller)."""
        self = cls.__new__(cls)
        host, port = shared.rsplit(":", 1)
        self.host, self.port, self.owner, self._template = host, int(port), False, None
        self._spare, self._admin = None, {}
        return self

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self.as_user, *cmd], check=True, capture_output=True, text=True)

    def info(self) -> dict:
        return {"host": self.host, "port": self.port}

    def new_database(self, template: str | None = None) -> str:
        """A fresh, empty database, as a SQLAlchemy URL; with `template`, a copy of that
        database (PostgreSQL copies its files)."""
        import psycopg

        name = f"t{os.getpid()}_{time.time_ns()}_{next(_made)}"  # xdist workers share the cluster
        with psycopg.connect(host=self.host, port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def migrated_database(self) -> str:
        """A new database holding gongwen's tables and no row: a copy of one this process
        made once and brought to the newest schema by gongwen itself (index.store.Store, the
        migrations run as on any new database). Each new database that gongwen opens runs
        all its migrations first, ~0.5 s of the server and the test a database (PostgreSQL
        pass, 2 cores, load 6): a copy opens at the newest schema in 0.05 s. The template
        is this process's own (xdist workers share the cluster; PostgreSQL copies a database
        no one else is connected to)."""
        if self._template is None:
            from index.store import Store

            url = self.new_database()
            Store(url).close()  # the engine's connections go with it: the database can be copied
            self._template = self._url(url)
        if self._spare is None:
            name = self._url(self.new_database(template=self._template))
        else:
            self._statement("create").wait()
            name = self._spare
        # The next test's copy is made while this test runs: the same CREATE DATABASE ...
        # TEMPLATE it would wait for at its start, sent now without waiting for the answer.
        self._spare = f"t{os.getpid()}_{time.time_ns()}_{next(_made)}"
        self._statement("create").send(f'CREATE DATABASE "{self._spare}" TEMPLATE "{self._template}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@/{name}?host={self.host}&port={self.port}"

    @staticmethod
    def _url(url: str) -> str:
        """The database name in a URL of url()."""
        return url.split("@/", 1)[1].split("?", 1)[0]

    def _statement(self, what: str) -> _Admin:
        if what not in self._admin:
            self._admin[what] = _Admin(self.host, self.port)
        return self._admin[what]

    def drop_database(self, url: str, *, wait: bool = True) -> None:
        """Drop a test's database (disconnecting what still holds it): a thousand
        leftover databases would fill the disk of a small CI machine. `wait=False`: the
        server drops it while the suite goes on (its failure is raised by the next drop)."""
        sql = f'DROP DATABASE IF EXISTS "{self._url(url)}" WITH (FORCE)'
        if not wait:
            self._statement("drop").send(sql)
            return
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def stop(self) -> None:
        admin, self._admin = self._admin, {}
        try:  # the spare copy made and dropped, the last drop done, before the server goes
            if "create" in admin:
                admin["create"].wait()
            if self._spare is not None:
                self.drop_database(self.url(self._spare))
            if "drop" in admin:
                admin["drop"].wait()
        finally:
            self._spare = None
            for a in admin.values():
                a.close()
        if not self.owner:  # the process that started it stops it
            return
        if self.shared:
            os.environ.pop(SHARED, None)
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


_cluster: Cluster | None = None


def cluster() -> Cluster:
    """The session's cluster, started on first use (conftest stops it at the end)."""
    global _cluster
    if _cluster is None:
        shared = os.environ.get(SHARED)
        _cluster = Cluster.attach(shared) if shared else Cluster()
    return _cluster


def stop_cluster() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def fresh_db_url(backend: str | None = None, folder: Path | None = None, *, migrated: bool = False) -> str | None:
    """A new empty database on the suite's backend. SQLite: None (gongwen's default
    file in the data folder), or a file in `folder` when given; PostgreSQL: a new
    database in the session's cluster, with gongwen's tables already made when
    `migrated` (Cluster.migrated_database; without, gongwen makes them on first open)."""
    if (backend or BACKEND) == "postgresql":
        return cluster().migrated_database() if migrated else cluster().new_database()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'gongwen.db'}"


def fresh_db_env() -> dict[str, str]:
    """Environment for a `gongwen` process storing into a new database on the suite's
    backend (empty on SQLite: the default file in its data folder)."""
    url = fresh_db_url()
    return {"GONGWEN_DB": url} if url else {}
