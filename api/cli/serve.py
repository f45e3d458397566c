"""CLI commands: serve (the web app and JSON API over the embedded store)."""
from __future__ import annotations

import errno
import inspect
import os
import secrets
import socket
from pathlib import Path

import typer

from api.cli.common import DataDirOption, DbOption, err, fail, settings, user_errors

# uvicorn's httptools protocol with limits on the request head and JSON bodies for the
# requests it refuses itself (by name: worker processes load it too)
HTTP = "api.http_head:HeadLimitedHttp"
# No route speaks WebSocket: without a WebSocket protocol an upgrade request is answered as
# the plain request it also is (JSON), not with the WebSocket library's text 400 or empty 403
PROTOCOLS = {"http": HTTP, "ws": "none"}


def address_problem(host: str, port: int) -> str | None:
    """Why uvicorn could not listen on host:port (None: it can), found before
    anything is loaded or announced. Bound the way uvicorn binds (SO_REUSEADDR),
    so a port in TIME_WAIT is not taken for a busy one."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return f"无法识别监听地址 {host}（--host）"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return f"端口 {port} 已被占用：请用 --port 换一个端口，或先停止占用它的程序"
            if e.errno in (errno.EACCES, errno.EPERM):
                return f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限）"
            if e.errno == errno.EADDRNOTAVAIL:
                return f"本机没有地址 {host}（--host）"
            return f"无法监听 {host}:{port}（{e.strerror or e}）"
    return None


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="监听地址"),
        port: int = typer.Option(8000, min=0, max=65535, help="端口"),
        demo: bool = typer.Option(False, "--demo", help="先导入自带的示例通知和日志，打开即可看到结果"),
        workers: int = typer.Option(0, "--workers", min=0, max=32,
                                    help="工作进程数；0 = 按 CPU 核数（最多 4 个），多核机器上提高并发检索吞吐"),
        engine: str = typer.Option(None, help="检索引擎 tantivy|whoosh（环境变量 GONGWEN_ENGINE）"),
        api_key: str = typer.Option(None, "--api-key", help="写操作的 API 密钥（环境变量 GONGWEN_API_KEY；不设则随机生成并显示）"),
        data_dir: Path = DataDirOption,
        db: str = DbOption,
    ) -> None:
        """启动网页和 JSON API（uvicorn）。"""
        problem = address_problem(host, port)
        if problem:
            fail(problem)
        import uvicorn

        from api.app import chinese_stop_log, create_app
        from api.service import Gongwen

        if workers == 0:
            # One process per core: a search holds the GIL for about two thirds of its
            # time (HTTP, query plan, snippets), so one process cannot use a second core.
            from index.search.parallel import usable_cpus

            workers = min(4, usable_cpus())
        s = settings(data_dir, db, creates=True, engine=engine, api_key=api_key)
        if not s.api_key:
            # Writes are never open by accident: without a configured key, make one for this run.
            s.api_key = secrets.token_urlsafe(16)
            err.print(f"本次运行的写操作 API 密钥：[bold]{s.api_key}[/]（用 --api-key 或 GONGWEN_API_KEY 固定）")
        with user_errors():
            svc = Gongwen(s)
            # the database answers (or one line says why not: a server down, a database not
            # created), before the server is announced; else every request would be a 500
            svc.store  # noqa: B018 - opening it connects and migrates
            if (outdated := svc.index_outdated()) and svc.index_unwritable():
                # an index folder on read-only media (the data folder, even with the store in a
                # PostgreSQL server that takes writes), or a store that takes none: nothing can
                # be rebuilt there, and the rest is worth serving; every search says this line (503)
                err.print(f"[yellow]注意[/] {outdated}", highlight=False)
            elif outdated:
                # After an upgrade that changed the index format: rebuilt from the store (the
                # source of truth) before the first search, instead of failing every search.
                from api.cli.search import rebuild_index

                err.print("检索索引是旧版本 gongwen 建立的，先从数据库重建（文件和日志不受影响）…")
                rebuild_index(svc)
            try:  # index work an interrupted run left behind, before the first search is served
                svc.drain_index(wait=30.0)
            except Exception as e:  # noqa: BLE001 - serving the store is still worth it; the work stays queued
                from api.service.results import damaged_database

                damaged = damaged_database(e)
                if damaged:
                    fail(damaged)  # not worth serving: every request would fail on it
                err.print(f"[yellow]注意[/] 检索索引暂未补齐（{type(e).__name__}：{e}），"
                          "已记录待索引的改动，稍后可运行 gongwen reindex --pending", highlight=False)
            if demo:
                svc.load_demo(progress=True)
            application = create_app(s, svc) if workers == 1 else None
            if application is not None:  # (workers of --workers N load in api.app.app_from_env)
                from api import warm

                warm.load(svc)  # the log models load before serving (api.warm), not in the first writes
        err.print(f"gongwen 已启动：http://{host}:{port}/  （API 文档 http://{host}:{port}/docs；工作进程 {workers} 个）")
        if application is not None:
            from ingest.pool import close_shared

            chinese_stop_log(s.stop_grace)
            try:
                # a stop waits s.stop_grace seconds for requests in flight, then cuts them: without
                # that cap a client sending its body slowly kept a SIGTERM'd server up for good
                uvicorn.run(application, host=host, port=port, log_level="warning",
                            timeout_graceful_shutdown=s.stop_grace, **PROTOCOLS)
            finally:
                # an upload cut by the stop leaves its thread waiting for a parse worker, and the
                # interpreter waits for that thread: the workers go now (a worker process of
                # --workers N closes them at its exit, before its threads are waited for)
                close_shared()
            return
        svc.close()
        # worker processes rebuild the app from the environment: hand them these settings
        os.environ.update({"GONGWEN_DATA": str(s.data_dir), "GONGWEN_ENGINE": s.engine, "GONGWEN_API_KEY": s.api_key})
        if s.db_url:
            os.environ["GONGWEN_DB"] = s.db_url
        # uvicorn (0.30+) kills a worker that misses a 5 s health ping, requests in flight and
        # all: on a busy machine that lost answers to stored writes (bench/http_concurrent_writes.py)
        patient = ({"timeout_worker_healthcheck": 120}
                   if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters else {})
        uvicorn.run("api.app:app_from_env", factory=True, workers=workers, host=host, port=port, log_level="warning",
                    timeout_graceful_shutdown=s.stop_grace, **PROTOCOLS, **patient)
