"""Shared CLI plumbing: settings from global flags, one-line errors, consoles."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console

from api.settings import Settings
from ingest.errors import GongwenError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDirOption = typer.Option(None, "--data-dir", help="数据目录（默认 ./gongwen-data，或环境变量 GONGWEN_DATA）")
DbOption = typer.Option(None, "--db", help="数据库：SQLite 文件路径或 SQLAlchemy URL（环境变量 GONGWEN_DB）")


def settings(data_dir: Path | None = None, db: str | None = None, **overrides) -> Settings:
    s = Settings()
    if data_dir is not None:
        s.data_dir = data_dir
    if db is not None:
        s.db_url = db
    for k, v in overrides.items():
        if v is not None:
            setattr(s, k, v)
    return s


def fail(message: str, code: int = 1) -> None:
    """Print one readable line on stderr and exit non-zero."""
    err.print(f"[bold red]错误：[/]{message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn gongwen's own errors into one line and a non-zero exit, never a traceback."""
    try:
        yield
    except GongwenError as e:
        fail(str(e))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        fail(f"{e.filename}: {e.strerror}")


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
