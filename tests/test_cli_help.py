"""`--help` screens speak Chinese all through: the frame (用法, 选项, 命令, 默认,
显示此帮助并退出) and not only the texts the project wrote."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from api.cli import app

ENGLISH_FRAME = ("Usage", "Options", "Commands", "Arguments", "[default", "Show this message", "[OPTIONS]", "COMMAND")


@pytest.mark.parametrize("args", [["--help"], ["topics", "fit", "--help"], ["log", "--help"], ["search", "--help"]])
def test_help_frame_is_chinese(args):
    result = CliRunner().invoke(app, args, terminal_width=120)
    assert result.exit_code == 0, result.output
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.output)
    assert "用法：gongwen" in text and "选项" in text and "显示此帮助并退出" in text
    assert not [w for w in ENGLISH_FRAME if w in text], text


def test_defaults_are_shown_in_chinese():
    result = CliRunner().invoke(app, ["topics", "fit", "--help"], terminal_width=120)
    assert "[默认：15]" in re.sub(r"\x1b\[[0-9;]*m", "", result.output)
