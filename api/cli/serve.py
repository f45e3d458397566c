"""CLI commands: serve (the web app and JSON API over the embedded store)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import typer

from api.cli.common import DataDirOption, DbOption, err, settings, user_errors


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="监听地址"),
        port: int = typer.Option(8000, help="端口"),
        demo: bool = typer.Option(False, "--demo", help="先导入自带的示例通知和日志，打开即可看到结果"),
        workers: int = typer.Option(0, "--workers", min=0, max=32,
                                    help="工作进程数；0 = 按 CPU 核数（最多 4 个），多核机器上提高并发检索吞吐"),
        engine: str = typer.Option(None, help="检索引擎 tantivy|whoosh（环境变量 GONGWEN_ENGINE）"),
        api_key: str = typer.Option(None, "--api-key", help="写操作的 API 密钥（环境变量 GONGWEN_API_KEY；不设则随机生成并显示）"),
        data_dir: Path = DataDirOption,
        db: str = DbOption,
    ) -> None:
        """启动网页和 JSON API（uvicorn）。"""
        import uvicorn

        from api.app import create_app
        from api.service import Gongwen

        if workers == 0:
            # One process per core: a search holds the GIL for about two thirds of its
            # time (HTTP, query plan, snippets), so one process cannot use a second core.
            from index.search.parallel import usable_cpus

            workers = min(4, usable_cpus())
        s = settings(data_dir, db, engine=engine, api_key=api_key)
        if not s.api_key:
            # Writes are never open by accident: without a configured key, make one for this run.
            s.api_key = secrets.token_urlsafe(16)
            err.print(f"本次运行的写操作 API 密钥：[bold]{s.api_key}[/]（用 --api-key 或 GONGWEN_API_KEY 固定）")
        with user_errors():
            svc = Gongwen(s)
            if demo:
                svc.load_demo(progress=True)
            application = create_app(s, svc) if workers == 1 else None
        err.print(f"gongwen 已启动：http://{host}:{port}/  （API 文档 http://{host}:{port}/docs；工作进程 {workers} 个）")
        if application is not None:
            uvicorn.run(application, host=host, port=port, log_level="warning")
            return
        svc.close()
        # worker processes rebuild the app from the environment: hand them these settings
        os.environ.update({"GONGWEN_DATA": str(s.data_dir), "GONGWEN_ENGINE": s.engine, "GONGWEN_API_KEY": s.api_key})
        if s.db_url:
            os.environ["GONGWEN_DB"] = s.db_url
        uvicorn.run("api.app:app_from_env", factory=True, workers=workers, host=host, port=port, log_level="warning")
