"""One settings object: every GONGWEN_* variable is read by ingest.settings.Settings
and nowhere else, code below the API sees the same values as the API, and a value
that is not a number stops a command with one line naming the variable."""
from __future__ import annotations

import ast
import sys

import pytest
from conftest import ROOT

from api import cli
from ingest.settings import Settings, SettingsError

PACKAGES = ("ingest", "nlp", "index", "api")
# `gongwen serve` hands its settings to the uvicorn worker processes through the
# environment: it writes variables, it does not read them.
WRITERS = {"api/cli/serve.py"}


def _env_reads(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            if f.attr == "getenv" or (f.attr == "get" and isinstance(f.value, ast.Attribute) and f.value.attr == "environ"):
                lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            v = node.value
            if isinstance(v, ast.Attribute) and v.attr == "environ":
                lines.append(node.lineno)
    return lines


def test_only_the_settings_module_reads_the_environment():
    found = {}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            rel = p.relative_to(ROOT).as_posix()
            if rel in ("ingest/settings.py", *WRITERS):
                continue
            lines = _env_reads(ast.parse(p.read_text(encoding="utf-8")))
            if lines:
                found[rel] = lines
    assert found == {}, "read environment variables through a field of ingest.settings.Settings (and list it in the README)"


def test_the_finder_sees_a_read():
    assert _env_reads(ast.parse("import os\nos.environ.get('X')\nos.getenv('Y')\nos.environ['Z']")) == [2, 3, 4]


def test_lower_packages_see_the_same_folders_as_the_api(monkeypatch, tmp_path):
    from index.search import engine_name
    from index.search.parallel import workers
    from nlp.resources import corpora_dir, models_dir
    from nlp.tagging.taxonomy import default_path

    monkeypatch.setenv("GONGWEN_CORPORA", str(tmp_path / "c"))
    monkeypatch.setenv("GONGWEN_MODELS", str(tmp_path / "m"))
    monkeypatch.setenv("GONGWEN_ENGINE", "whoosh")
    monkeypatch.setenv("GONGWEN_INDEX_WORKERS", "3")
    s = Settings()
    assert corpora_dir() == s.corpora_dir == tmp_path / "c" and models_dir() == s.models_dir == tmp_path / "m"
    assert default_path() == tmp_path / "c" / "taxonomy.toml"
    assert engine_name() == s.engine == "whoosh" and workers() == s.index_workers == 3


def test_a_setting_that_is_not_a_number_names_its_variable(monkeypatch):
    monkeypatch.setenv("GONGWEN_MAX_FILE_MB", "fifty")
    with pytest.raises(SettingsError, match="GONGWEN_MAX_FILE_MB"):
        Settings()


def test_the_cli_stops_on_a_bad_setting_with_one_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("GONGWEN_PARSE_TIMEOUT", "soon")
    monkeypatch.setattr(sys, "argv", ["gongwen", "search", "通知", "--data-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert exit_.value.code != 0 and len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("错误：") and "GONGWEN_PARSE_TIMEOUT" in lines[0]
