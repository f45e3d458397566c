"""Shared CLI plumbing: settings from global flags, one-line errors, consoles."""
from __future__ import annotations

import errno
import logging
import os
import re
import signal
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console

from api.settings import Settings
from ingest.errors import GongwenError, os_reason

# A batch of logs goes to PostgreSQL through psycopg's pipeline; when the write fails (a full
# disk), psycopg logs "error ignored terminating <Pipeline …>" beside the error the command
# says in Chinese: a second, English line about the same failure.
logging.getLogger("psycopg").setLevel(logging.ERROR)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DataDirOption = typer.Option(None, "--data-dir", help="数据目录（默认 ./gongwen-data，或环境变量 GONGWEN_DATA）")
DbOption = typer.Option(None, "--db", help="数据库：SQLite 文件路径或 SQLAlchemy URL（环境变量 GONGWEN_DB）")


def settings(data_dir: Path | None = None, db: str | None = None, *, creates: bool = False,
             **overrides) -> Settings:
    """The settings of a command that opens the store (a command that never does reads
    `Settings()` itself). The data folder must exist unless the command `creates` a store
    (ingest, log add, serve, train, topics fit FILE) or --db / GONGWEN_DB names the
    database: a mistyped --data-dir on a command that reads is one line and exit 1, not a
    new empty folder answering 0 results as if the documents were gone."""
    s = Settings()
    if data_dir is not None:
        s.data_dir = data_dir
    if db is not None:
        s.db_url = db
    for k, v in overrides.items():
        if v is not None:
            setattr(s, k, v)
    if not creates and not s.db_url:
        refuse_missing_data_dir(s.data_dir)
    return s


def refuse_missing_data_dir(data_dir: Path) -> None:
    """One line and exit 1 when `data_dir` does not exist (a dangling link included). Any
    other trouble with it (a file on the path, no permission) is left to the command, which
    says it as it always has (`user_errors`)."""
    try:
        os.stat(data_dir)
    except FileNotFoundError:
        from rich.markup import escape

        fail(f"数据目录不存在：{escape(str(data_dir))}（请检查 --data-dir 或 GONGWEN_DATA；"
             "新建数据请先用 gongwen ingest 或 gongwen serve）")
    except (OSError, ValueError):
        pass


# Chinese wording for the OS errors a user meets through paths they typed: ingest.errors'
# table, with what to check where the path is the data folder's
OS_ERRORS = {
    errno.EEXIST: "已存在同名文件，无法用作数据文件夹（请检查 --data-dir）",
    errno.ENOTDIR: "路径中有一段不是文件夹（请检查 --data-dir）",
}


def os_words(e: OSError) -> str:
    return OS_ERRORS.get(e.errno) or os_reason(e)


def fail(message: str, code: int = 1, *, error: BaseException | None = None) -> None:
    """Print one readable line on stderr and exit non-zero (with GONGWEN_DEBUG=1, then
    the technical detail of `error`)."""
    err.print(f"[bold red]错误：[/]{message}", highlight=False)
    show_detail(error)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn gongwen's own errors into one line and a non-zero exit, never a traceback."""
    try:
        yield
    except GongwenError as e:
        fail(str(e), error=e)
    except OSError as e:
        # e.g. a missing input file, or --data-dir naming an existing file (FileExistsError / NotADirectoryError)
        where = f"{e.filename}：" if e.filename else ""
        fail(f"{where}{os_words(e)}")
    except Exception as e:
        if not _database_error(e):
            raise
        from api.service.results import (
            busy_database,
            damaged_database,
            database_trouble,
            denied_database,
            storage_refused,
            unreachable_database,
        )

        if storage_refused(e):  # the URL is right: the disk will not take the write
            fail(f"{database_trouble(e)}：这次的写入没有保存；腾出磁盘空间（或解除只读、配额限制）后重试")
        busy = busy_database(e)
        if busy:  # the URL is right: another program holds the write lock
            fail(f"{busy}：这次的写入没有保存；等另一个程序（如正在运行的 gongwen 命令或数据库工具）结束后重试")
        damaged = damaged_database(e)
        if damaged:
            fail(damaged)  # the URL is right: the file behind it is damaged
        denied = denied_database(e)
        if denied:  # the URL is right and the server let us in: the role lacks a privilege
            fail(f"{denied}；这次的操作没有完成（已回滚）", error=e)
        unreachable = unreachable_database(e)
        if unreachable:  # the URL's form is right: the server said why it would not let us in
            fail(f"无法连接数据库：{unreachable}；请检查 --db 或 GONGWEN_DB 所指的服务器")
        if getattr(e, "statement", None):  # the database was opened: a statement failed, not the URL
            fail(f"{database_trouble(e)}；这次的操作没有完成（已回滚）", error=e)
        # a --db / GONGWEN_DB that names no usable database
        fail(f"无法打开数据库（{type(e).__name__}）：请检查 --db 或 GONGWEN_DB 的写法，例如 sqlite:///路径/gongwen.db")


_interrupt_said = False
_stopped_by = signal.SIGINT  # the signal that stopped the command (SIGTERM: `stop_on_sigterm`)


def stop_on_sigterm() -> None:
    """SIGTERM (`timeout`, `kill`, a service manager stopping the job) stops a command as
    Ctrl+C does, so an ingest makes what it stored searchable and says what it did, instead
    of dying between two commits. Not when something else handles SIGTERM already."""
    def stop(signum, frame):
        global _stopped_by
        _stopped_by = signal.SIGTERM
        raise KeyboardInterrupt

    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, stop)


def interrupted(message: str) -> None:
    """Ctrl+C (or SIGTERM) stopped the command: one line saying what was done and what to
    do, exit 128 + the signal's number (130 for SIGINT, as a shell reports it). A command
    that says nothing gets `run`'s general line."""
    global _interrupt_said
    err.print(f"[bold yellow]已中断：[/]{message}", highlight=False)
    _interrupt_said = True
    raise typer.Exit(128 + _stopped_by)


def show_detail(e: BaseException | None) -> None:
    """With GONGWEN_DEBUG=1, the library's own words behind a Chinese message (a line of its own)."""
    detail = getattr(e, "detail", None)
    if isinstance(detail, str) and detail and _debug():
        from rich.markup import escape

        err.print(f"[dim]详细信息：{escape(detail)}[/]", highlight=False)


def _database_error(e: Exception) -> bool:
    # sqlalchemy costs a fifth of a second to import; a command that never imported
    # it (parse, checklist) cannot have raised one of its errors
    exc = sys.modules.get("sqlalchemy.exc")
    return exc is not None and isinstance(e, exc.SQLAlchemyError)


SHORT_ID = re.compile(r"[0-9a-fA-F]{4,16}")  # a stored notice's id, or its first digits (at least 4)


def document_id(store, given: str) -> str:
    """The stored notice's id that `given` names: the id itself, or its first digits (4 or
    more, as `gongwen documents` prints it, shortened as git shortens a commit's) when one
    notice's id starts so; several are listed and refused (exit 1). Else `given` as it is,
    for the caller's 找不到公文. One rule for gongwen show, checklist, delete and track."""
    if store.has_document(given) or not SHORT_ID.fullmatch(given):
        return given
    found = store.documents_starting(given.lower(), limit=6)
    if len(found) == 1:
        return found[0][0]
    if found:
        listed = "、".join(f"{i}（{(t or '无标题')[:20]}）" for i, t in found[:5])
        more = "等" if len(found) > 5 else ""
        fail(f"编号 {given} 不止对应一篇公文：{listed}{more}；请多给几位或给出完整编号")
    return given


def say_page(total: int, offset: int, shown: int, unit: str = "项") -> bool:
    """Say on stderr (stdout stays the data) which part of `total` a page of a list shows,
    when it leaves some out, as the web pages' 第 a–b 项，共 N 项 does; whether it did."""
    if shown >= total:
        return False
    err.print(f"共 {total} {unit}，列出第 {offset + 1}–{offset + shown} {unit}（用 --limit / --offset 翻页）"
              if shown else f"共 {total} {unit}，--offset {offset} 之后没有了")
    return True


def refuse_reversed_range(date_from: str | None, date_to: str | None) -> None:
    """--from after --to matches nothing: most likely swapped, so one line and exit 1, as the
    API answers such a range 409 date_range_reversed (the same words)."""
    from api.schemas import reversed_range

    message = reversed_range(date_from, date_to, ("--from", "--to"))
    if message:
        fail(message)


@contextmanager
def ocr_progress() -> Iterator[None]:
    """A one-file command (parse, checklist) on a scan: OCR takes seconds a page, so a person is
    told it is running (a line on stderr, the page count updated in place on a terminal) instead
    of a minute of silence. Nothing is said for a file with a text layer."""
    from ingest.readers.ocr import progress_to

    status = None

    def on_page(done: int, total: int) -> None:
        nonlocal status
        line = f"扫描件：正在 OCR 识别第 {min(done + 1, total)}/{total} 页（每页需数秒）"
        if status is None:
            if not err.is_terminal:
                err.print(f"扫描件：正在 OCR 识别 {total} 页（每页需数秒）…", highlight=False)
                status = False
                return
            status = err.status(line)
            status.start()
        elif status:
            status.update(line)

    try:
        with progress_to(on_page):
            yield
    finally:
        if status:
            status.stop()


def alert_status(status: str | None) -> str | None:
    """An alert status filter as `gongwen alerts` and `gongwen track-alerts` take it: the id or the
    Chinese name the tables print (待处理 → open); anything else refused in one line."""
    from api.labels import STATUS_NAMES

    if status is None:
        return None
    wanted = status.strip()
    for key, name in STATUS_NAMES.items():
        if wanted in (key, name):
            return key
    fail(f"预警状态只能是 {' 或 '.join(f'{k}（{n}）' for k, n in STATUS_NAMES.items())}，收到：{status}")


def label_filter(option: str, value: str | None, risks_only: bool) -> str | None:
    """The label id a --tag / --risk value names (its id or Chinese name), as GET /api/logs and
    /api/search read it; one that names no label is one line and exit 1 (api.service.logs.label_id)."""
    from api.service.logs import UnknownLabel, label_id

    try:
        return label_id(value, risks_only=risks_only, what=option)
    except UnknownLabel as e:
        fail(e.message)


def check_by(by: str | None) -> None:
    """--by (who acknowledged, confirmed or rejected) held to the API's bound for it
    (api.schemas.AckIn, the store's 200-character column): one line and exit 1, nothing stored."""
    if by is None:
        return
    from pydantic import ValidationError

    from api.schemas import AckIn

    try:
        AckIn(by=by)
    except ValidationError as e:
        fail(f"--by {first_problem(e)[1]['problem']}")


def first_problem(e) -> tuple[dict, dict]:
    """pydantic's first error of `e` (a ValidationError) and its {where, problem} in Chinese, as
    the API says it (api.validation), a value too long saying its own length too: one line."""
    from api.validation import problems

    error = e.errors()[0]
    said = problems([error])[0]
    if error["type"] == "string_too_long":
        said = {**said, "problem": f"太长（{len(error['input']):,} 个字符，最多 {error['ctx']['max_length']} 个字符）"}
    return error, said


def write_whole(data: bytes, output: Path) -> None:
    """Write `output` whole or not at all (beside it, then a rename); on failure one line naming
    `output` itself, and no `.part` left behind."""
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(output)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:  # no .part was made: its folder is missing, or a file (ENOTDIR, not ENOENT)
            pass
        fail(f"无法写入 {output}：{os_reason(e)}")


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


try:  # typer ≥ 0.2x vendors its own click; its usage errors are these classes
    from typer._click import exceptions as click
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click  # type: ignore[no-redef]


# click / pydantic reasons a user meets on the command line, in Chinese (others are shown as they are)
_REASONS = [
    (re.compile(r"'(?P<v>[^']*)' is not one of (?P<c>.+?)\.?$"), lambda m: _choices(m["v"], m["c"])),
    (re.compile(r"valid integer"), lambda m: "应为整数"),
    (re.compile(r"valid number"), lambda m: "应为数字"),
    (re.compile(r"greater than or equal to (?P<n>\S+)"), lambda m: f"应不小于 {m['n']}"),
    (re.compile(r"less than or equal to (?P<n>\S+)"), lambda m: f"应不大于 {m['n']}"),
    (re.compile(r"No such command '(?P<v>[^']*)'"), lambda m: f"没有这个命令：{m['v']}"),
    (re.compile(r"does not exist"), lambda m: "不存在"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<v>.*)\)"),
     lambda m: f"多余的参数：{m['v']}（含空格的内容请用引号括起来）"),
]


def _choices(value: str, choices: str) -> str:
    return f"“{value}”不可用，可选：" + "、".join(re.findall(r"'([^']*)'", choices))


def _zh(reason: str) -> str:
    for pattern, make in _REASONS:
        m = pattern.search(reason)
        if m:
            return make(m)
    return reason


def _usage_line(e: click.UsageError) -> str:
    """A click usage error (English, boxed by typer) as one Chinese line."""
    msg = e.format_message()
    param = getattr(e, "param", None)
    name = (param.opts[0] if getattr(param, "opts", None) else getattr(param, "name", None)) if param else None
    if isinstance(e, click.MissingParameter):
        text = f"缺少参数 {(name or '').upper() if name and not name.startswith('-') else name}"
    elif isinstance(e, click.NoSuchOption) and re.fullmatch(r"-\d+(\.\d+)?", e.option_name or ""):
        # a negative id where a positional id goes (track-link confirm -1): the parser reads it as an option
        text = f"{e.option_name} 不能作为编号：编号不是负数"
    elif isinstance(e, click.NoSuchOption):
        text = f"没有这个选项：{e.option_name}"
    elif isinstance(e, click.BadParameter):
        # the reason itself comes from click/pydantic (English); the Chinese lead names the parameter
        reason = msg.split(": ", 1)[-1] if ": " in msg else msg
        text = f"参数 {name} 的值不对：{_zh(reason)}"
    else:
        text = f"命令用法不对：{_zh(msg)}"
    command = e.ctx.command_path if e.ctx else "gongwen"
    return f"{text}；用 {command} --help 查看用法"


def _silence_stdout() -> None:
    """The reader of our output went away (`gongwen … | head`): point stdout at
    /dev/null so the interpreter's last flush cannot print a traceback either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test runner's buffer): nothing to silence
        pass


def _broken_pipe(e: BaseException) -> bool:
    return isinstance(e, BrokenPipeError) or (isinstance(e, OSError) and e.errno == errno.EPIPE)


def unexpected_line(e: BaseException) -> str:
    """One Chinese line for an error gongwen did not foresee (a bug or an odd environment)."""
    detail = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
    return (f"内部错误（{type(e).__name__}{'：' + detail if detail else ''}）；"
            f"设置环境变量 GONGWEN_DEBUG=1 可显示详细信息")


def _debug() -> bool:
    try:
        return Settings().debug
    except GongwenError:  # a setting that cannot be read: no tracebacks either
        return False


def run(app: typer.Typer) -> None:
    """Run the CLI so that every error, expected or not, is one Chinese line on
    stderr and a non-zero exit; a closed pipe on stdout ends quietly."""
    try:
        code = app(standalone_mode=False)
    except click.UsageError as e:
        if type(e).__name__ == "NoArgsIsHelpError":  # `gongwen`, `gongwen log`: the help shown says it all
            sys.exit(e.exit_code)
        err.print(f"[bold red]错误：[/]{_usage_line(e)}", highlight=False)
        sys.exit(e.exit_code)
    except typer.Abort:
        err.print("已取消")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("已取消")
        sys.exit(130)
    except GongwenError as e:  # raised outside a command's user_errors(), e.g. a bad setting
        err.print(f"[bold red]错误：[/]{e}", highlight=False)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 - the last line of defence: never a traceback
        if _broken_pipe(e):
            _silence_stdout()
            sys.exit(141)  # what a shell reports for a process ended by SIGPIPE
        if _debug():
            traceback.print_exc()
        try:
            err.print(f"[bold red]错误：[/]{unexpected_line(e)}", highlight=False)
        except Exception:  # stderr itself is gone
            pass
        sys.exit(1)
    if code == 130 and not _interrupt_said:
        # typer turns Ctrl+C during a command into exit code 130, silently
        err.print("[bold yellow]已中断[/]" + ("（Ctrl+C）" if _stopped_by == signal.SIGINT else "（收到 SIGTERM）"),
                  highlight=False)
    if code == 130:
        code = 128 + _stopped_by
    sys.exit(code if isinstance(code, int) else 0)
