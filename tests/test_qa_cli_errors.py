"""QA: the CLI's answer to paths and settings a user gets wrong — one Chinese line,
non-zero exit, no traceback — and the search command's readable output."""
from __future__ import annotations

import shutil

import pytest
from backends import fresh_db_url
from conftest import NOTICES
from typer.testing import CliRunner

from api.cli import app

runner = CliRunner()


def one_error_line(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("错误：")
    return lines[0]


def test_data_dir_that_is_a_file_is_one_line(tmp_path):
    not_a_folder = tmp_path / "gongwen.db"
    not_a_folder.write_text("x")
    line = one_error_line(runner.invoke(app, ["documents", "--data-dir", str(not_a_folder)]))
    assert "--data-dir" in line


def test_unknown_database_url_is_one_line(tmp_path):
    line = one_error_line(runner.invoke(app, ["documents", "--data-dir", str(tmp_path), "--db", "nosuchdb://x"]))
    assert "数据库" in line


def test_parse_a_folder_says_it_is_a_folder(tmp_path):
    line = one_error_line(runner.invoke(app, ["parse", str(tmp_path)]))
    assert "文件夹" in line and "不支持的文件格式" not in line


def test_parse_missing_file_with_odd_extension_says_missing(tmp_path):
    line = one_error_line(runner.invoke(app, ["parse", str(tmp_path / "nope.xyz")]))
    assert "不存在" in line


@pytest.fixture(scope="module")
def store_with_notice(tmp_path_factory):
    data = tmp_path_factory.mktemp("qa-data")
    src = tmp_path_factory.mktemp("qa-src")
    shutil.copy(NOTICES / "2023_ganzhou_dundian_fangan.docx", src)
    url = fresh_db_url()
    args = ["--data-dir", str(data), *(["--db", url] if url else [])]
    r = runner.invoke(app, ["ingest", str(src), *args])
    assert r.exit_code == 0, r.output
    return args  # where the store is, for every command


@pytest.mark.db
def test_search_output_names_result_kinds_in_chinese(store_with_notice):
    r = runner.invoke(app, ["search", "蹲点", *store_with_notice])
    assert r.exit_code == 0, r.output
    facet_line = r.output.strip().splitlines()[-1]
    assert "类型：" in facet_line
    for english in ("section(", "obligation(", "document("):
        assert english not in facet_line


@pytest.mark.db
def test_search_document_snippet_is_one_line(store_with_notice):
    # the document-level hit's snippet is the notice's head, which has line breaks in the source
    r = runner.invoke(app, ["search", "", "--kind", "document", *store_with_notice])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("1. "))
    # title line, meta line, snippet line, then a blank line or the facets
    assert lines[start + 3].strip() == "" or lines[start + 3].startswith(("发文机关", "年份"))


@pytest.mark.db
def test_search_page_past_the_end_says_so(store_with_notice):
    r = runner.invoke(app, ["search", "蹲点", "--page", "99", *store_with_notice])
    assert r.exit_code == 0
    assert "第 99 页没有结果" in r.output


@pytest.mark.db
def test_no_hits_never_claims_partial_results(store_with_notice):
    r = runner.invoke(app, ["search", "'; DROP TABLE documents; --", *store_with_notice])
    assert r.exit_code == 0
    assert "共 0 条结果" in r.output
    assert "以下结果" not in r.output


def test_parse_md_shows_joint_issuers_only_when_there_are_several():
    r = runner.invoke(app, ["parse", str(NOTICES / "2024_jiujiang_songqingliang_tongzhi.pdf"), "--format", "md"])
    assert r.exit_code == 0, r.output
    assert "| 发文机关 |" in r.output
    assert "联合发文机关" not in r.output


@pytest.mark.db
def test_topics_on_an_empty_store_says_why_counts_are_zero(tmp_path):
    r = runner.invoke(app, ["topics", "--data-dir", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "库中还没有日志" in r.output


def test_topics_rejects_an_unknown_format(tmp_path):
    one_error_line(runner.invoke(app, ["topics", "--format", "xml", "--data-dir", str(tmp_path)]))


@pytest.mark.parametrize("args, words", [
    (["checklist", str(NOTICES / "2024_jian_zhongda_shixiang.txt"), "--format", "xyz"], ["--format", "json"]),
    (["show"], ["缺少参数"]),
    (["documents", "--limit", "0"], ["--limit", "应不小于 1"]),
    (["search", "x", "--bogus"], ["没有这个选项", "--bogus"]),
    (["nosuchcmd"], ["没有这个命令"]),
])
def test_usage_errors_are_one_chinese_line(args, words, tmp_path):
    # through the real entry point (python -m api.cli), where typer would otherwise draw an English box
    import subprocess
    import sys

    env = {**__import__("os").environ, "GONGWEN_DATA": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "api.cli", *args], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "╭" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误："), r.stderr
    for w in words:
        assert w in lines[0]


def test_checklist_output_into_missing_folder_is_chinese(tmp_path):
    line = one_error_line(runner.invoke(app, ["checklist", str(NOTICES / "2024_jian_zhongda_shixiang.txt"),
                                              "-o", str(tmp_path / "nope" / "x.ics"), "-f", "ics"]))
    assert "不存在" in line


@pytest.mark.db
def test_documents_with_a_filter_counts_what_matched(tmp_path):
    import json

    src, data = tmp_path / "src", tmp_path / "data"
    src.mkdir()
    for name in ("2021_mianyang_bangfu_banfa.txt", "2024_jian_zhongda_shixiang.txt"):
        shutil.copy(NOTICES / name, src)
    assert runner.invoke(app, ["ingest", str(src), "--data-dir", str(data)]).exit_code == 0
    r = runner.invoke(app, ["documents", "--year", "2021", "--data-dir", str(data)])
    assert "符合条件的公文 1 篇（库中共 2 篇）" in r.output
    r = runner.invoke(app, ["documents", "--year", "2021", "--json", "--data-dir", str(data)])
    assert json.loads(r.output)["total"] == 1


@pytest.mark.db
def test_a_search_longer_than_the_api_allows_is_refused_on_the_cli_too(store_with_notice):
    # before: the CLI took any length (40,000 characters: 23 CPU-seconds; one word repeated
    # 20,000 times: 1.2 GB) while GET /api/search refuses more than 1,000
    args = store_with_notice
    r = runner.invoke(app, ["search", "工会" * 20_000, *args])
    assert r.exit_code == 1 and "查询过长" in r.output and "1,000" in r.output, r.output
    assert runner.invoke(app, ["search", "工会" * 500, *args]).exit_code == 0
