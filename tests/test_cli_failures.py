"""The CLI's last line of defence: an error nobody foresaw is one Chinese line on
stderr and a non-zero exit, never a traceback; a reader that goes away
(`gongwen … | head -1`) ends the command quietly; `gongwen serve` on a port that
is taken says so in one line before announcing anything."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from conftest import ROOT

from api import cli


def run_main(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """`gongwen ARGV` through the real entry point (api.cli.main and its handler)."""
    monkeypatch.setattr(sys, "argv", ["gongwen", *argv])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    captured = capsys.readouterr()
    return exit_.value.code, captured.out, captured.err


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and lines[0].startswith("错误：")
    return lines[0]


@pytest.mark.db
def test_an_alert_id_no_database_can_hold_is_simply_not_found(monkeypatch, capsys, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "alerts", "ack", "99999999999999999999999",
                            "--data-dir", str(tmp_path))
    assert code == 1
    assert "不存在" in one_line(err)


def test_an_unexpected_error_is_one_chinese_line(monkeypatch, capsys, tmp_path):
    from api.service import Gongwen

    def broken(self, *args, **kwargs):
        raise ValueError("something nobody planned for")

    monkeypatch.setattr(Gongwen, "search", broken)
    code, out, err = run_main(monkeypatch, capsys, "search", "工会", "--data-dir", str(tmp_path))
    assert code == 1 and out == ""
    line = one_line(err)
    assert "内部错误" in line and "ValueError" in line and "GONGWEN_DEBUG" in line


def test_debug_shows_the_traceback(monkeypatch, capsys, tmp_path):
    from api.service import Gongwen

    monkeypatch.setattr(Gongwen, "search", lambda self, *a, **k: 1 / 0)
    monkeypatch.setenv("GONGWEN_DEBUG", "1")
    code, _, err = run_main(monkeypatch, capsys, "search", "工会", "--data-dir", str(tmp_path))
    assert code == 1 and "Traceback" in err and "ZeroDivisionError" in err


@pytest.mark.parametrize("argv", [["--help"], ["documents", "--help"], ["version"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(argv):
    """stdout is a pipe whose reader has already closed it: every write fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "api.cli", *argv], stdout=write, stderr=subprocess.PIPE,
                          env=env, timeout=120)
    os.close(write)
    assert done.stderr.decode() == ""  # no traceback, no "Exception ignored"
    assert done.returncode != 0


def test_serve_on_a_taken_port_says_so_before_announcing_anything(monkeypatch, capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_main(monkeypatch, capsys, "serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert code == 1
    line = one_line(err)
    assert str(port) in line and "已被占用" in line
    assert "已启动" not in out + err and "API 密钥" not in err
    assert not (tmp_path / "gongwen.db").exists()  # nothing loaded or created first


def test_serve_on_an_unknown_host_says_so(monkeypatch, capsys, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "serve", "--host", "no-such-host.invalid", "--data-dir", str(tmp_path))
    assert code == 1 and "监听地址" in one_line(err)
