"""Parsing uploads in separate processes, with a time limit.

Parsing a large file holds the CPU (and, in a thread, the GIL) for seconds; in the
server's process it would make every search on that worker wait. A `ParsePool`
keeps a few worker processes (started on first use, at a lower CPU priority so
that searches win a busy core), hands each job to an idle one, and kills a worker
that passes the time limit (a new one takes its place). The limit counts the
worker's CPU time, not the clock: a worker at nice 10 on a busy machine may get a
tenth of a core, and a valid file must not be refused for the load of others. A
wall-clock backstop (WALL_FACTOR times the limit) still ends a worker that is stuck
without using the CPU. A worker that dies (out
of memory, a crash in a C library) is replaced too; the job fails with a Chinese
message, never hangs.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import threading
import time
from typing import Any, Callable

from ingest.errors import GongwenError, IngestError

NICENESS = 10
START_CPU = 180.0  # CPU-seconds a new worker may use to get ready (imports, models, warm-up)
START_WALL = 1800.0  # and the clock's backstop for that (a niced start on a busy machine is slow)
WALL_FACTOR = 10.0  # wall-clock backstop of a parse = this times its CPU limit
POLL = 0.2  # seconds between looks at the worker's CPU time
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


STOPPED = "服务器正在停止，文件解析已中止，未入库；请在服务恢复后重新上传"


class ParseTimeout(IngestError):
    code = "parse_timeout"
    http_status = 422


class ParseCrashed(IngestError):
    code = "parse_failed"
    http_status = 422


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (all its threads) from /proc; None where
    there is no /proc (the limit then falls back to the clock)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()  # the name in (...) may hold spaces
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def _wait(conn, pid: int, cpu_limit: float, wall_limit: float) -> str:
    """Wait for the worker's answer: "ready", or "cpu" / "wall" when a limit passed first."""
    start_cpu, start_wall = cpu_seconds(pid), time.monotonic()
    while True:
        if conn.poll(POLL):
            return "ready"
        waited = time.monotonic() - start_wall
        used = cpu_seconds(pid)
        if start_cpu is None:  # no /proc: the clock is all there is
            if waited > cpu_limit:
                return "cpu"
        elif used is not None and used - start_cpu > cpu_limit:
            return "cpu"
        if waited > wall_limit:
            return "wall"


def _orphan_watch(parent: int) -> None:
    # a server killed mid-parse must not leave its worker parsing on
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def _serve(conn, warm_up: Callable[[], Any] | None) -> None:
    threading.Thread(target=_orphan_watch, args=(os.getppid(),), daemon=True).start()
    try:
        os.nice(NICENESS)
    except OSError:
        pass
    # run once before the worker says it is ready: imports, dictionaries and language models load
    # then, so a job's time limit counts its own work only
    if warm_up is not None:
        try:
            warm_up()
        except Exception:  # noqa: BLE001 - the real job will report what is wrong
            pass
    conn.send("ready")
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        try:
            result = ("ok", fn(*args))
        except BaseException as e:  # noqa: BLE001 - everything goes back to the caller
            state = dict(getattr(e, "__dict__", {}))
            if isinstance(e, GongwenError):
                state["_detail"] = e.detail  # its cause stays in this process: the library's words go with it
            result = ("error", (type(e), e.args, state))
        try:
            conn.send(result)
        except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", (RuntimeError, (f"{type(e).__name__}: {e}",), {})))


def _rebuild(kind: type, args: tuple, state: dict) -> BaseException:
    """The worker's exception, rebuilt without calling its __init__ (whose signature
    may not match its args, e.g. GongwenError's keyword-only path)."""
    e = kind.__new__(kind)
    e.args = args
    e.__dict__.update(state)
    return e


_KILL_LOCK = threading.Lock()


class _Worker:
    def __init__(self, ctx, warm_up: Callable[[], Any] | None, started: Callable[[_Worker], None] | None = None):
        self.conn, child = ctx.Pipe()
        # daemonic where allowed (a daemonic process, e.g. some servers' workers, may not have children)
        self.process = ctx.Process(target=_serve, args=(child, warm_up), name="gongwen-parse",
                                   daemon=not multiprocessing.current_process().daemon)
        self.process.start()
        child.close()
        if started is not None:  # the pool knows it while it gets ready: a close() kills it then too
            started(self)
        try:
            ready = (_wait(self.conn, self.process.pid, START_CPU, START_WALL) == "ready"
                     and self.conn.recv() == "ready")
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise ParseCrashed("无法启动解析文件的进程，请稍后重试")

    def kill(self) -> None:
        """Stop the process and close the pipe, once: a stopping server's close() and the thread
        whose parse it ended both call it, and a second os.close of the pipe's descriptor fails
        with EBADF (or closes a file another thread has just opened under the same number)."""
        with _KILL_LOCK:
            if self.conn.closed:
                return
            self.process.kill()
            self.process.join(5)
            self.conn.close()


class ParsePool:
    """`warm_up`, importable (pickled by name), runs in each new worker before it takes a job."""

    def __init__(self, workers: int = 1, warm_up: Callable[[], Any] | None = None):
        self._ctx = multiprocessing.get_context("spawn")  # no fork of a server with threads
        self._warm_up = warm_up
        self._size = max(1, workers)
        self._slots = threading.BoundedSemaphore(self._size)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float, wall_timeout: float | None = None) -> Any:
        """fn(*args) in a worker process; blocks. `fn` must be importable (pickled by name).
        `timeout`: CPU-seconds the worker may spend on it; `wall_timeout`: seconds on the
        clock (default WALL_FACTOR × timeout), for a worker stuck without using the CPU."""
        wall = WALL_FACTOR * timeout if wall_timeout is None else wall_timeout
        with self._slots:
            worker = self._take()
            try:
                worker.conn.send((fn, args))
                outcome = _wait(worker.conn, worker.process.pid, timeout, wall)
                if outcome == "cpu":
                    raise ParseTimeout(
                        f"文件解析超时（解析用去的 CPU 时间超过 {timeout:g} 秒），已中止。文件本身不一定有问题，"
                        "可稍后重试；服务器管理员可调高 GONGWEN_PARSE_TIMEOUT（单位：秒）放宽此限制")
                if outcome == "wall":
                    raise ParseTimeout(
                        f"文件解析超时（等待超过 {wall:g} 秒仍未完成），已中止。文件本身不一定有问题，"
                        f"可稍后重试；服务器管理员可调高 GONGWEN_PARSE_TIMEOUT（等待上限为其 {WALL_FACTOR:g} 倍）放宽此限制")
                kind, value = worker.conn.recv()
            except ParseTimeout:
                self._discard(worker)
                raise
            except (EOFError, OSError, BrokenPipeError) as e:
                self._discard(worker)
                if self._closed:  # a stopping server closed the pool under this parse
                    raise ParseCrashed(STOPPED) from e
                raise ParseCrashed("解析文件的进程意外退出（文件可能过于庞大或已损坏）") from e
            self._give_back(worker)
        if kind == "error":
            raise _rebuild(*value)
        return value

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                self._all.discard(worker)
        worker = _Worker(self._ctx, self._warm_up, self._started)  # outside the lock: a start takes seconds
        with self._lock:
            closed = self._closed
        if closed:  # closed while it started: the job does not run on
            worker.kill()
            raise ParseCrashed(STOPPED)
        return worker

    def _started(self, worker: _Worker) -> None:
        with self._lock:
            closed = self._closed
            if not closed:
                self._all.add(worker)
        if closed:
            worker.kill()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        # start its replacement now, so the next upload does not wait for a worker to warm up
        threading.Thread(target=self._replace, daemon=True, name="gongwen-parse-start").start()

    def _replace(self) -> None:
        if self._closed:  # a stopping server closed the pool: no new worker
            return
        try:
            worker = _Worker(self._ctx, self._warm_up)
        except Exception:  # noqa: BLE001 - the next upload starts one itself and reports the problem
            return
        with self._lock:
            if self._closed or len(self._all) >= self._size:  # an upload started one meanwhile
                keep = False
            else:
                keep = True
                self._all.add(worker)
                self._idle.append(worker)
        if not keep:
            worker.kill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle = set(self._idle)
            workers, self._all, self._idle = list(self._all), set(), []
        for worker in workers:
            if worker in idle:
                worker.kill()
            else:  # a thread is reading its pipe (a parse, a start): it sees the end and closes the pipe itself
                worker.process.kill()


_shared: ParsePool | None = None
_shared_lock = threading.Lock()


def shared_pool(workers: int = 1, warm_up: Callable[[], Any] | None = None) -> ParsePool:
    """One pool per process: every app in it (tests build many) shares the workers."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ParsePool(workers, warm_up)
            # at exit, before multiprocessing joins (waits for) every non-daemonic child
            multiprocessing.util.Finalize(_shared, _shared.close, exitpriority=10)
        return _shared


def close_shared() -> None:
    """Stop the shared pool's workers now, also one still starting (a stopping server): a request
    thread waiting for a parse gets ParseCrashed at once instead of keeping the process alive
    until the parse ends (the interpreter waits for such threads before the at-exit Finalize
    above would close the pool). A later shared_pool() makes a new pool."""
    global _shared
    with _shared_lock:
        pool, _shared = _shared, None
    if pool is not None:
        pool.close()
