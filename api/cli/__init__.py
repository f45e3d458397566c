"""The `gongwen` command. Each command group lives in its own module and adds
itself to the one typer app through `register(app)`."""
from __future__ import annotations

import typer

from api.cli import checklist, documents, evaluate, logs, search, serve, topics, track
from api.cli.help_zh import install as _chinese_help

_chinese_help()

app = typer.Typer(
    name="gongwen",
    help="公文智能：检索政策、从通知生成任务清单、蹲点日志标注与风险预警、调研课题发现。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def root() -> None:
    """公文智能：检索政策、从通知生成任务清单、蹲点日志标注与风险预警、调研课题发现。"""


for module in (documents, checklist, evaluate, logs, search, serve, topics, track):
    module.register(app)


@app.command()
def version() -> None:
    """显示版本。"""
    from importlib.metadata import version as v

    typer.echo(f"gongwen {v('gongwen')}")


def main() -> None:
    from api.cli.common import run, stop_on_sigterm

    _cap_threads()
    stop_on_sigterm()
    run(app)


def _cap_threads() -> None:
    """The numeric libraries' threads capped (Settings.threads) before any command loads
    numpy; `gongwen serve`'s workers inherit the cap."""
    from ingest.settings import Settings, SettingsError
    from ingest.threads import cap_threads

    try:
        cap_threads(Settings().threads)
    except SettingsError:  # the command itself reports the bad setting in one line
        pass
