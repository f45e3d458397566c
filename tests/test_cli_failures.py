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


def test_an_os_error_is_named_in_chinese_and_only_the_data_folder_hint_is_the_data_folders(monkeypatch, capsys, tmp_path):
    # one table of OS errors (ingest.errors.OS_REASONS): writing the checklist under a path through
    # a file said 请检查 --data-dir, which checklist does not take
    from conftest import NOTICES

    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    notice = NOTICES / "2021_xinyu_laodong_jingsai.txt"
    code, _, err = run_main(monkeypatch, capsys, "checklist", str(notice), "-o", str(blocker / "out.md"))
    line = one_line(err)
    assert code == 1 and "路径中有一段不是文件夹" in line and "--data-dir" not in line


def test_an_os_error_the_cli_did_not_foresee_is_still_chinese(capsys):
    # it printed the system's English words (Input/output error)
    import errno

    import typer

    from api.cli.common import user_errors

    with pytest.raises(typer.Exit):
        with user_errors():
            raise OSError(errno.EIO, "Input/output error", "notice.pdf")
    line = one_line(capsys.readouterr().err)
    assert "notice.pdf" in line and "磁盘读写出错" in line and "Input/output" not in line


def test_search_takes_the_words_the_shell_split_as_one_query(monkeypatch, capsys, tmp_path):
    """`gongwen search 困难职工 帮扶`, what a person types first. Before: exit 2 with
    命令用法不对：Got unexpected extra argument(s) (帮扶), in English, and no search."""
    from api.service import Gongwen

    asked = []

    def search(self, query, **kw):
        asked.append(query)
        return {"total": 0, "hits": [], "facets": {}, "took_ms": 0.0, "page": 1, "per_page": 10, "query": query,
                "relaxed": False, "note": ""}

    monkeypatch.setattr(Gongwen, "search", search)
    for argv in (["困难职工", "帮扶"], ["困难职工 帮扶"]):
        code, _, err = run_main(monkeypatch, capsys, "search", *argv, "--json", "--data-dir", str(tmp_path))
        assert code == 0, err
    assert asked == ["困难职工 帮扶", "困难职工 帮扶"]


def test_an_extra_argument_is_named_in_chinese(monkeypatch, capsys, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "show", "abc", "def", "--data-dir", str(tmp_path))
    line = one_line(err)
    assert code == 2 and "多余的参数：def" in line and "引号" in line and "Got" not in line, line


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens on it once the socket is closed


def test_a_database_server_that_is_not_running_is_said_as_such(tmp_path):
    """The URL is well formed and names a PostgreSQL server that is down. Before: every command
    said 无法打开数据库（OperationalError）：请检查 --db 或 GONGWEN_DB 的写法 (the same for a database
    not created yet or an unknown user); `gongwen serve` announced 已启动 and then answered every
    request, /api/health included, with 500 服务器内部错误."""
    pytest.importorskip("psycopg", reason="需要 psycopg 连接 PostgreSQL")
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/gongwen"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGWEN_DB": url, "GONGWEN_API_KEY": "k"}
    for argv in (["documents"], ["serve", "--port", str(_closed_port()), "--workers", "1"]):
        proc = subprocess.run([sys.executable, "-m", "api.cli", *argv, "--data-dir", str(tmp_path)], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=120)
        line = one_line(proc.stderr)
        assert proc.returncode == 1 and "无法连接数据库" in line and "连接被拒绝" in line, proc.stderr
        assert "已启动" not in proc.stderr


def test_the_api_says_503_in_json_while_the_database_server_is_down(tmp_path):
    pytest.importorskip("psycopg", reason="需要 psycopg 连接 PostgreSQL")
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    s = Settings(data_dir=tmp_path, db_url=f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/gongwen")
    with TestClient(create_app(s), raise_server_exceptions=False) as c:
        for path in ("/api/health", "/api/documents", "/api/logs"):
            r = c.get(path)
            assert r.status_code == 503 and r.json()["error"]["code"] == "database_unavailable", (path, r.text)
            assert "连接被拒绝" in r.json()["error"]["message"]
        # the answer is in the API's description, in the shape every other error has
        paths = c.get("/openapi.json").json()["paths"]
        for path, ops in paths.items():
            for method, op in ops.items():
                documented = op["responses"].get("503", {})
                assert documented.get("content", {}).get("application/json", {}).get("schema") == {
                    "$ref": "#/components/schemas/ErrorResponse"}, (method, path)


@pytest.fixture(scope="module")
def chinese_server():
    """A PostgreSQL server of this module's own that answers in Chinese (lc_messages as a
    server in a Chinese-speaking office would have it), with one role that needs a password."""
    pytest.importorskip("psycopg", reason="需要 psycopg 连接 PostgreSQL")
    import psycopg
    from backends import Cluster, Unavailable

    hba = "local all pw scram-sha-256\nlocal all all trust\n"
    try:
        server = Cluster(language="zh_CN", hba=hba, share=False)
    except (Unavailable, subprocess.CalledProcessError) as e:
        pytest.skip(f"无法启动 PostgreSQL：{e}")
    try:
        with psycopg.connect(host=server.host, port=server.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE ROLE pw LOGIN PASSWORD 'right'")
        try:
            psycopg.connect(host=server.host, port=server.port, user="postgres", dbname="nosuch")
        except psycopg.OperationalError as e:
            if "does not exist" in str(e):
                pytest.skip("这台机器的 PostgreSQL 没有中文消息翻译（postgres-*.mo）")
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("who, said", [("postgres@/nosuch", "数据库 nosuch 不存在，需先在服务器上创建（如 createdb nosuch）"),
                                       ("nobody@/postgres", "数据库用户 nobody 不存在"),
                                       ("pw:wrong@/postgres", "用户 pw 的密码错误或认证失败"),
                                       ("pw@/postgres", "用户 pw 需要密码")])
def test_a_server_answering_in_chinese_is_understood_by_its_sqlstate(chinese_server, tmp_path, who, said):
    """Why a server refused gongwen is read from the SQLSTATE of its answer, not its English
    words: a server whose lc_messages is Chinese (数据库 "nosuch" 不存在) gets the same reason
    as one answering in English, in the CLI and the API. Before: the generic 无法打开数据库
    （OperationalError）：请检查 --db 或 GONGWEN_DB 的写法 line, and 500 from the API."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from api.app import create_app
    from api.settings import Settings

    url = f"postgresql+psycopg://{who}?host={chinese_server.host}&port={chinese_server.port}"
    r = CliRunner().invoke(cli.app, ["documents", "--db", url, "--data-dir", str(tmp_path)])
    line = one_line(r.stderr)
    assert r.exit_code == 1 and "无法连接数据库" in line and said in line, r.stderr
    with TestClient(create_app(Settings(data_dir=tmp_path, db_url=url)), raise_server_exceptions=False) as c:
        r = c.get("/api/documents")
    assert r.status_code == 503 and r.json()["error"]["code"] == "database_unavailable", r.text
    assert said in r.json()["error"]["message"]


@pytest.mark.parametrize("password, said", [("wrong", "用户 pw 的密码错误或认证失败"), ("right", None)])
def test_a_password_from_the_password_file_counts_as_given(chinese_server, tmp_path, monkeypatch, password, said):
    """A URL without a password whose password libpq finds in ~/.pgpass (here PGPASSFILE):
    a wrong one is said as a wrong password, not as 需要密码：请在 URL 中写上…或写入 ~/.pgpass
    (the person did write it there), in the CLI and the API; the right one connects."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from api.app import create_app
    from api.settings import Settings

    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:pw:{password}\n", encoding="utf-8")
    passfile.chmod(0o600)  # libpq ignores a password file others may read
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    import psycopg

    with psycopg.connect(host=chinese_server.host, port=chinese_server.port, user="postgres", dbname="postgres",
                         autocommit=True) as conn:  # a database of pw's own, where it may make gongwen's tables
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'pwdb'").fetchone():
            conn.execute("CREATE DATABASE pwdb OWNER pw")
    url = f"postgresql+psycopg://pw@/pwdb?host={chinese_server.host}&port={chinese_server.port}"
    r = CliRunner().invoke(cli.app, ["logs", "--db", url, "--data-dir", str(tmp_path)])
    with TestClient(create_app(Settings(data_dir=tmp_path, db_url=url)), raise_server_exceptions=False) as c:
        answer = c.get("/api/logs")
    if said is None:
        assert r.exit_code == 0 and answer.status_code == 200, (r.stderr, answer.text)
        return
    line = one_line(r.stderr)
    assert r.exit_code == 1 and said in line and "需要密码" not in line, r.stderr
    assert answer.status_code == 503 and said in answer.json()["error"]["message"], answer.text


def test_a_user_without_the_right_to_make_tables_is_told_so_not_refused_entry(chinese_server, tmp_path):
    """A role that may log in but not create gongwen's tables (PostgreSQL 15+: no CREATE on the
    schema public of a database it does not own; SQLSTATE 42501 on the CREATE TABLE): one line
    naming the missing right, and 503 database_unavailable from the API. Before: 无法连接数据库：
    用户  没有连接数据库  的权限 (a connection refusal, with empty names: the statement's 42501
    was read as the connection's)."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from api.app import create_app
    from api.settings import Settings

    url = f"postgresql+psycopg://pw:right@/postgres?host={chinese_server.host}&port={chinese_server.port}"
    r = CliRunner().invoke(cli.app, ["logs", "--db", url, "--data-dir", str(tmp_path)])
    line = one_line(r.stderr)
    assert r.exit_code == 1 and "没有所需的权限" in line and "无法连接" not in line and "用户  " not in line, r.stderr
    with TestClient(create_app(Settings(data_dir=tmp_path, db_url=url)), raise_server_exceptions=False) as c:
        answer = c.get("/api/logs")
    assert answer.status_code == 503 and answer.json()["error"]["code"] == "database_unavailable", answer.text
    assert "没有所需的权限" in answer.json()["error"]["message"] and "无法连接" not in answer.text, answer.text


@pytest.mark.parametrize("argv", [["track-link", "confirm", "-1"], ["alerts", "ack", "-5"], ["topics", "show", "-1"]])
def test_a_negative_number_where_an_id_goes_is_said_as_such(monkeypatch, capsys, argv):
    """A negative id is read by the command-line parser as an option. Before: 没有这个选项：-1,
    which sent a person looking for an option -1; now the line says the value is a number an
    id cannot be, as the API's 422 for the same id does."""
    code, _, err = run_main(monkeypatch, capsys, *argv)
    line = one_line(err)
    assert code == 2 and argv[-1] in line and "不是负数" in line and "没有这个选项" not in line, line


@pytest.mark.parametrize("argv", [[], ["log"], ["track-link"]])
def test_a_command_group_without_a_command_shows_its_help_and_no_empty_error(monkeypatch, capsys, argv):
    """`gongwen` or `gongwen log` alone prints the help, nothing else. Before: after the help,
    错误：命令用法不对：；用 gongwen --help 查看用法 (a usage error with no words in it)."""
    code, out, err = run_main(monkeypatch, capsys, *argv)
    assert "用法" in out + err and "错误：" not in out + err, err
    assert code == 2  # click's code for a command line that did no work


def test_a_database_url_whose_driver_is_missing_is_said_as_such(monkeypatch, capsys, tmp_path):
    """--db mysql://… (no MySQL driver here). Before: 内部错误（ModuleNotFoundError：No module
    named 'MySQLdb'）."""
    import importlib.util

    if importlib.util.find_spec("MySQLdb") is not None:
        pytest.skip("这台机器装有 MySQL 驱动")
    code, _, err = run_main(monkeypatch, capsys, "documents", "--db", "mysql://u@localhost/gongwen",
                            "--data-dir", str(tmp_path))
    line = one_line(err)
    assert code == 1 and "MySQLdb" in line and "没有安装" in line and "内部错误" not in line, err


def test_a_statement_the_opened_database_refuses_is_not_called_a_bad_url(monkeypatch, capsys, tmp_path):
    """A store whose table was dropped by hand: the failing statement is named, not the --db
    URL, which was right. Before: 无法打开数据库（OperationalError）：请检查 --db 或 GONGWEN_DB 的写法."""
    import sqlite3

    from api.service import Gongwen
    from api.settings import Settings

    monkeypatch.delenv("GONGWEN_DB", raising=False)
    with Gongwen(Settings(data_dir=tmp_path)) as svc:
        svc.add_logs([{"id": "a", "text": "走访企业。", "tasks": [], "risks": []}])
    with sqlite3.connect(tmp_path / "gongwen.db") as raw:
        raw.execute("DROP TABLE log_labels")
    code, _, err = run_main(monkeypatch, capsys, "log", "add", "--text", "走访企业，职工反映工资拖欠。",
                            "--data-dir", str(tmp_path))
    line = one_line(err)
    assert code == 1 and "no such table: log_labels" in line and "写法" not in line, err


@pytest.mark.db
def test_logs_filter_takes_the_chinese_label_the_tables_print_and_refuses_a_label_that_is_none(
        monkeypatch, capsys, tmp_path):
    """`gongwen logs` prints 欠薪欠保, and a person filters by what they read: --risk 欠薪欠保 lists
    the same logs as --risk wage_arrears, and a value that names no label is refused with the
    labels there are. Before, both the Chinese name and a typo listed no log and exited 0."""
    import json

    from backends import fresh_db_url

    from api.service import Gongwen
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url = tmp_path, fresh_db_url()
    with Gongwen(s) as app:
        app.add_logs([
            {"id": "A", "text": "职工反映工资拖欠两个月。", "tasks": ["labor_relations"],
             "risks": [{"id": "wage_arrears", "severity": "high"}]},
            {"id": "B", "text": "组织职工书屋读书分享会。", "tasks": ["other"], "risks": []}])
    where = ["--data-dir", str(tmp_path)] + (["--db", s.db_url] if s.db_url else [])

    def listed(*argv: str) -> list[str]:
        code, out, err = run_main(monkeypatch, capsys, "logs", *argv, "--json", *where)
        assert code == 0, err
        return [json.loads(line)["id"] for line in out.splitlines()]

    assert listed("--risk", "wage_arrears") == ["A"]
    assert listed("--risk", "欠薪欠保") == ["A"]
    assert listed("--tag", "劳动关系协调") == ["A"]
    code, _, err = run_main(monkeypatch, capsys, "logs", "--risk", "欠薪", *where)
    assert code == 1
    line = one_line(err)
    assert "--risk 欠薪 不是风险信号" in line and "欠薪欠保（wage_arrears）" in line
    # gongwen search --risk as GET /api/search?risk= (before: a typo searched on and found nothing)
    code, _, err = run_main(monkeypatch, capsys, "search", "工资", "--risk", "欠薪", *where)
    assert code == 1 and "--risk 欠薪 不是风险信号" in one_line(err)
    code, out, err = run_main(monkeypatch, capsys, "search", "工资", "--risk", "欠薪欠保", "--json", *where)
    assert code == 0, err
    assert [h["doc_id"] for h in json.loads(out)["hits"]] == ["A"]


@pytest.mark.db
def test_alert_status_filters_take_the_chinese_name_the_tables_print(monkeypatch, capsys, tmp_path):
    """`gongwen alerts` prints 待处理 / 已确认 in its 状态 column: --status 待处理 lists what --status
    open lists, on both alert commands; anything else is one Chinese line naming both. Before, the
    Chinese name was refused as an unknown status."""
    import json

    from backends import fresh_db_url

    from api.service import Gongwen
    from api.settings import Settings

    s = Settings()
    s.data_dir, s.db_url = tmp_path, fresh_db_url()
    with Gongwen(s) as app:
        app.add_logs([{"id": "A", "text": "职工反映工资拖欠两个月。", "tasks": ["labor_relations"],
                       "risks": [{"id": "wage_arrears", "severity": "high"}]}])
    where = ["--data-dir", str(tmp_path)] + (["--db", s.db_url] if s.db_url else [])

    def listed(*argv: str) -> list[str]:
        code, out, err = run_main(monkeypatch, capsys, *argv, "--json", *where)
        assert code == 0, err
        return [json.loads(line)["log_id"] for line in out.splitlines()]

    assert listed("alerts", "--status", "待处理") == listed("alerts", "--status", "open") == ["A"]
    assert listed("alerts", "--status", "已确认") == []
    code, _, err = run_main(monkeypatch, capsys, "track-alerts", "--status", "已确认", "--no-refresh", *where)
    assert code == 0, err
    for command in ("alerts", "track-alerts"):
        code, _, err = run_main(monkeypatch, capsys, command, "--status", "差不多", *where)
        assert code == 1
        assert "open（待处理） 或 acknowledged（已确认）" in one_line(err)


@pytest.mark.parametrize("case", ["missing file", "damaged database", "data folder is a file", "empty folder"])
def test_ingest_that_fails_says_one_line_and_no_empty_line_before_it(monkeypatch, capsys, tmp_path, case):
    """Before: every `gongwen ingest` whose stderr is not a terminal began it with an empty line
    (rich's transient progress bar, stopped on a non-terminal, ends with a line feed), so the first
    line a log or a script read was empty; `one_line` above skips empty lines and missed it."""
    notice = tmp_path / "通知.txt"
    notice.write_text("关于开展读书活动的通知\n各基层工会：\n请于5月10日前报送名单。\n某某区总工会\n2024年4月1日\n",
                      encoding="utf-8")
    (tmp_path / "bad.db").write_text("not a database", encoding="utf-8")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    argv = {"missing file": [str(tmp_path / "none.txt"), "--data-dir", str(tmp_path / "d")],
            "damaged database": [str(notice), "--db", f"sqlite:///{tmp_path / 'bad.db'}", "--data-dir", str(tmp_path / "d")],
            "data folder is a file": [str(notice), "--data-dir", str(tmp_path / "a-file")],
            "empty folder": [str(tmp_path / "empty"), "--data-dir", str(tmp_path / "d")]}[case]
    code, _, err = run_main(monkeypatch, capsys, "ingest", *argv)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].strip() and "Traceback" not in err, err
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert code == (0 if case == "empty folder" else 1), err


def test_tag_and_reindex_begin_no_stderr_with_an_empty_line(monkeypatch, capsys, tmp_path):
    logs = tmp_path / "logs.jsonl"
    logs.write_text('{"id": "1", "text": "走访企业，职工反映食堂饭菜价格偏高。"}\n', encoding="utf-8")
    (tmp_path / "d").mkdir()  # an empty store: reindex refuses a data folder that does not exist
    for argv in (["tag", str(logs), "--json"], ["reindex", "--data-dir", str(tmp_path / "d")]):
        code, _, err = run_main(monkeypatch, capsys, *argv)
        assert code == 0 and not err.startswith("\n"), (argv, err)


# a command that only reads (or changes what a store already holds), on a data folder that does not exist
READ_COMMANDS = [
    ["search", "职工"], ["documents"], ["show", "0123456789abcdef"], ["delete", "0123456789abcdef"],
    ["checklist", "0123456789abcdef"], ["logs"], ["alerts"], ["alerts", "ack", "1"], ["reindex"],
    ["reindex", "--pending"], ["check"], ["topics"], ["topics", "show", "1"], ["topics", "fit"], ["track"],
    ["track", "--format", "xlsx", "-o", "ledger.xlsx"], ["track-match"], ["track-link", "confirm", "1"],
    ["track-alerts"],
]


@pytest.mark.parametrize("argv", READ_COMMANDS, ids=" ".join)
def test_a_read_command_on_a_missing_data_folder_says_so_and_creates_nothing(monkeypatch, capsys, tmp_path, argv):
    """A mistyped --data-dir is one line naming it and exit 1, and no folder is made. Before:
    the folder was created and the command answered as if the store were empty (共 0 条结果,
    已入库公文（共 0 篇）, 已重建索引：文件 0 份…), telling a user their data was gone."""
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "gongwen-dta"
    code, out, err = run_main(monkeypatch, capsys, *argv, "--data-dir", str(typo))
    assert code == 1 and out == "", (out, err)
    line = one_line(err)
    assert "数据目录不存在" in line and str(typo) in line and "--data-dir" in line, line
    assert not typo.exists() and not (tmp_path / "ledger.xlsx").exists()


def test_the_data_folder_named_by_gongwen_data_is_checked_too(monkeypatch, capsys, tmp_path):
    typo = tmp_path / "no" / "such"
    monkeypatch.setenv("GONGWEN_DATA", str(typo))
    code, _, err = run_main(monkeypatch, capsys, "documents")
    assert code == 1 and "数据目录不存在" in one_line(err) and not (tmp_path / "no").exists()


def test_a_read_command_with_a_database_named_needs_no_data_folder(monkeypatch, capsys, tmp_path):
    """--db names the database: the data folder is not where the documents are, so not refused."""
    code, out, err = run_main(monkeypatch, capsys, "documents", "--json", "--data-dir", str(tmp_path / "absent"),
                              "--db", str(tmp_path / "elsewhere.db"))
    assert code == 0 and '"total": 0' in out, err


def test_a_command_that_writes_still_makes_its_data_folder(monkeypatch, capsys, tmp_path):
    """ingest (of an empty folder here) and log add start a store where none was."""
    (tmp_path / "empty").mkdir()
    code, _, err = run_main(monkeypatch, capsys, "ingest", str(tmp_path / "empty"), "--data-dir", str(tmp_path / "a"))
    assert code == 0 and (tmp_path / "a").is_dir(), err
    code, _, err = run_main(monkeypatch, capsys, "log", "add", "--text", "走访一家物流企业，了解司机排班",
                            "--data-dir", str(tmp_path / "b" / "c"))
    assert code == 0 and (tmp_path / "b" / "c").is_dir(), err
    code, out, err = run_main(monkeypatch, capsys, "logs", "--json", "--data-dir", str(tmp_path / "b" / "c"))
    assert code == 0 and "物流企业" in out, err
