"""Shared CLI plumbing: settings from global flags, one-line errors, consoles."""
from __future__ import annotations

import errno
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

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


# Chinese wording for the OS errors a user meets through paths they typed
OS_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EEXIST: "已存在同名文件，无法用作数据文件夹（请检查 --data-dir）",
    errno.ENOTDIR: "路径中有一段不是文件夹（请检查 --data-dir）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读文件系统，无法写入",
}


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
    except OSError as e:
        # e.g. a missing input file, or --data-dir naming an existing file (FileExistsError / NotADirectoryError)
        where = f"{e.filename}：" if e.filename else ""
        fail(f"{where}{OS_ERRORS.get(e.errno, e.strerror or str(e))}")
    except SQLAlchemyError as e:
        # a --db / GONGWEN_DB that names no usable database
        fail(f"无法打开数据库（{type(e).__name__}）：请检查 --db 或 GONGWEN_DB 的写法，例如 sqlite:///路径/gongwen.db")


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
