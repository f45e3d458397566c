"""`gongwen parse / ingest / documents / show` and the ingest service, on the
project's sample notices (real .txt/.pdf/.docx files) and a real SQLite file."""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil

import pytest
import sqlalchemy as sa
from conftest import NOTICES
from typer.testing import CliRunner

from api.cli import app
from api.service import Gongwen
from api.settings import Settings
from index.store.models import Base

TXT = NOTICES / "2021_xinyu_laodong_jingsai.txt"
PDF = next(iter(sorted(NOTICES.glob("*.pdf"))), None)
DOCX = next(iter(sorted(NOTICES.glob("*.docx"))), None)

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def table_counts(svc: Gongwen) -> dict[str, int]:
    with svc.store.session() as s:
        return {t.name: s.scalar(sa.select(sa.func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_parse_json_has_the_schema_key_names():
    result = run("parse", TXT, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"document", "parts", "source"}
    assert set(data["document"]) >= {"issuer", "issuers", "doc_number", "title", "date", "recipients", "doc_type"}
    # Values read off the file itself: 新工字[2021]18号 … 2021年4月2日.
    assert data["document"]["date"] == "2021-04-02"
    assert data["document"]["doc_number"] == "新工字〔2021〕18号"
    assert "劳动竞赛" in data["document"]["title"]
    assert data["source"]["sha256"] == hashlib.sha256(TXT.read_bytes()).hexdigest()
    assert data["source"]["format"] == "txt"
    headings = [s["number"] + s["title"] for p in data["parts"] for s in p["sections"]]
    assert "一、竞赛范围" in headings and "五、有关要求" in headings
    assert "\\u" not in result.stdout  # Chinese printed as Chinese


def test_parse_markdown_is_readable():
    result = run("parse", TXT, "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# 新余市总工会关于")
    assert "| 发文字号 | 新工字〔2021〕18号 |" in md
    assert "### 二、竞赛内容" in md and "#### （一）比进度" in md


@pytest.mark.parametrize("sample", [PDF, DOCX], ids=["pdf", "docx"])
def test_parse_pdf_and_docx(sample):
    if sample is None:
        pytest.skip("corpora/notices 中没有该格式的样例")
    result = run("parse", sample, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["source"]["format"] == sample.suffix[1:]
    assert data["document"]["title"] and data["parts"]


def test_parse_errors_are_one_chinese_line(tmp_path):
    missing = run("parse", tmp_path / "没有这个文件.txt")
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"this is not a pdf at all")
    result = run("parse", broken)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：") and "broken.pdf" in lines[0]


@pytest.mark.db
def test_ingest_same_file_twice_is_one_document(tmp_path):
    data = tmp_path / "data"
    first = run("ingest", TXT, "--data-dir", data)
    assert first.exit_code == 0, first.output
    assert "已入库" in first.stdout
    second = run("ingest", TXT, "--data-dir", data)
    assert second.exit_code == 0, second.output
    listed = json.loads(run("documents", "--json", "--data-dir", data).stdout)
    assert listed["total"] == 1 and listed["items"][0]["date"] == "2021-04-02"

    svc = Gongwen(Settings(data_dir=data))
    again = svc.ingest_file(TXT)
    assert again.status == "unchanged" and again.document_id == listed["items"][0]["id"]
    copy = tmp_path / "同一文件换个名字.txt"
    shutil.copy(TXT, copy)
    assert svc.ingest_file(copy).status == "unchanged"  # same bytes, another name
    assert svc.store.count_documents() == 1


@pytest.mark.db
def test_folder_with_a_bad_file_stores_the_good_one_and_exits_1(tmp_path):
    folder = tmp_path / "通知"
    (folder / "子目录").mkdir(parents=True)
    shutil.copy(TXT, folder / "子目录" / "good.txt")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated garbage")
    (folder / "readme.xyz").write_text("not a notice")  # unsupported: not picked up from a folder
    data = tmp_path / "data"
    result = run("ingest", folder, "--data-dir", data)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "broken.pdf" in result.stderr and "失败" in result.stderr
    assert "readme.xyz" not in result.output
    svc = Gongwen(Settings(data_dir=data))
    rows = svc.store.list_documents()
    assert [r["file_name"] for r in rows] == ["good.txt"]
    assert table_counts(svc)["files"] == 1

    summary = svc.ingest_paths([folder, tmp_path / "不存在"])
    assert (summary.ingested, summary.unchanged, summary.failed) == (0, 1, 2)
    assert {r.error for r in summary.failures} >= {"文件或文件夹不存在"}


@pytest.mark.db
def test_whole_sample_folder_ingests_every_format(tmp_path):
    svc = Gongwen(Settings(data_dir=tmp_path / "data"))
    seen = []
    summary = svc.ingest_paths([NOTICES], on_progress=lambda done, total, r: seen.append((done, total)))
    assert summary.failed == 0, [(r.path, r.error) for r in summary.failures]
    files = sorted(p for p in NOTICES.iterdir() if p.suffix in {".txt", ".pdf", ".docx", ".doc", ".html"})
    assert summary.ingested == len(files) == svc.store.count_documents()
    assert seen[0] == (0, len(files)) and seen[-1] == (len(files), len(files))
    formats = {r["format"] for r in svc.store.list_documents(limit=1000)}
    assert {"txt", "pdf", "docx"} <= formats
    # A stored document comes back as the same structure.
    doc = svc.parse_file(TXT)
    assert svc.store.get_document(doc.id) == doc


@pytest.mark.db
def test_index_failure_undoes_the_store_write(tmp_path, monkeypatch):
    svc = Gongwen(Settings(data_dir=tmp_path / "data"))

    def broken_index(pairs):
        raise RuntimeError("索引写入失败")

    monkeypatch.setattr(svc, "_index_documents", broken_index)
    result = svc.ingest_file(TXT)
    assert result.status == "failed" and "索引写入失败" in result.error
    assert set(table_counts(svc).values()) == {0}


@pytest.mark.db
def test_batch_index_failure_undoes_the_whole_batch(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (TXT.name, "2024_jian_zhongda_shixiang.txt"):
        shutil.copy(NOTICES / name, folder / name)
    svc = Gongwen(Settings(data_dir=tmp_path / "data"))

    def broken_index(pairs):
        raise RuntimeError("索引磁盘已满")

    monkeypatch.setattr(svc, "_index_documents", broken_index)
    summary = svc.ingest_paths([folder])
    assert summary.failed == 2 and all("索引磁盘已满" in r.error for r in summary.failures)
    assert set(table_counts(svc).values()) == {0}
    monkeypatch.undo()
    assert svc.ingest_paths([folder]).ingested == 2  # nothing was left behind to make them "unchanged"


@pytest.mark.db
def test_documents_list_and_show(tmp_path):
    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    for name in (TXT.name, "2021_mianyang_bangfu_banfa.txt", "2024_jian_zhongda_shixiang.txt"):
        shutil.copy(NOTICES / name, folder / name)
    assert run("ingest", folder, "--data-dir", data).exit_code == 0
    listed = json.loads(run("documents", "--json", "--year", "2021", "--data-dir", data).stdout)
    assert listed["items"] and all(r["date"].startswith("2021") for r in listed["items"])
    table = run("documents", "--data-dir", data)
    assert table.exit_code == 0 and "已入库公文" in table.stdout

    doc_id = next(r["id"] for r in listed["items"] if r["doc_number"] == "新工字〔2021〕18号")
    shown = json.loads(run("show", doc_id, "--format", "json", "--data-dir", data).stdout)
    assert shown["document"]["id"] == doc_id and "checklist" in shown
    md = run("show", doc_id, "--data-dir", data)
    assert md.exit_code == 0 and md.stdout.startswith("# 新余市总工会关于")
    missing = run("show", "0000000000000000", "--data-dir", data)
    assert missing.exit_code == 1 and "找不到公文" in missing.stderr

    assert run("delete", doc_id, "--data-dir", data).exit_code == 0
    assert run("show", doc_id, "--data-dir", data).exit_code == 1
    assert run("delete", doc_id, "--data-dir", data).exit_code == 1


@pytest.mark.db
def test_stored_document_is_checklisted_indexed_and_deleted_everywhere(tmp_path):
    svc = Gongwen(Settings(data_dir=tmp_path / "data"))
    result = svc.ingest_file(TXT)
    assert result.status == "ingested"
    index = svc.search_index
    if index is None:
        pytest.skip("index.search 尚未提供 open_index")
    assert index.count() > 0
    hits = index.search("劳动竞赛", filters={"kind": "document"})
    assert result.document_id in [h.doc_id for h in hits.hits]
    if importlib.util.find_spec("nlp.checklist"):
        assert svc.store.get_checklist(result.document_id) is not None
    assert svc.delete_document(result.document_id)
    assert index.count() == 0
    assert set(table_counts(svc).values()) == {0}
    svc.close()


@pytest.mark.db
def test_service_logs_take_severity_from_the_taxonomy(tmp_path):
    svc = Gongwen(Settings(data_dir=tmp_path / "data"))
    out = svc.add_logs([
        {"id": "s1", "text": "企业拖欠工资两个月，职工情绪激动。", "tasks": ["labor_relations"], "risks": ["wage_arrears"]},
        {"id": "s2", "text": "骑手反映没有劳动合同。", "tasks": ["rights_services"],
         "risks": [{"id": "gig_worker_rights", "evidence": {"text": "没有劳动合同", "start": 4, "end": 10}}]},
    ], tag=False)
    severities = {i["id"]: [r["severity"] for r in i["risks"]] for i in out["items"]}
    assert severities == {"s1": ["high"], "s2": ["medium"]}  # corpora/taxonomy.toml: 欠薪欠保 high, 新就业形态 medium
    assert [(a["log_id"], a["risk"]) for a in out["alerts"]] == [("s1", "wage_arrears")]
    if svc.search_index is not None:
        hits = svc.search("拖欠工资", filters={"kind": "log"})
        assert [h["id"] for h in hits["hits"]] == ["s1"]
    svc.close()


def _two_notices_sharing_an_id_start(folder) -> str:
    """Two made-up notices whose ids (sha256, first 16 hex digits) start with the same 4 digits."""
    base = "关于开展示例检查的通知\n各单位：请于2025年5月1日前报送材料。{}\n示例局\n"
    seen: dict[str, int] = {}
    for n in range(100_000):
        start = hashlib.sha256(base.format(n).encode()).hexdigest()[:4]
        if start in seen:
            for k in (seen[start], n):
                (folder / f"n{k}.txt").write_text(base.format(k), encoding="utf-8")
            return start
        seen[start] = n
    raise AssertionError("no two ids share 4 digits")


def test_show_checklist_delete_and_track_take_the_first_digits_of_an_id(tmp_path):
    """Before: `gongwen show 8489` said 找不到公文, `gongwen checklist 8489` said 文件不存在或不是普通文件,
    for a notice 8489… (ids are 16 hex digits; a user copies the first few). Now one rule for show,
    checklist, delete and track: 4 or more first digits naming one notice name it; naming several,
    they are listed (exit 1)."""
    data, folder = tmp_path / "data", tmp_path / "in"
    folder.mkdir()
    start = _two_notices_sharing_an_id_start(folder)
    shutil.copy(TXT, folder / TXT.name)
    assert run("ingest", folder, "--data-dir", data).exit_code == 0
    ids = [r["id"] for r in json.loads(run("documents", "--json", "--data-dir", data).stdout)["items"]]
    one = next(i for i in ids if not i.startswith(start))
    for command in ("show", "checklist", "track"):
        r = run(command, one[:6].upper() if command == "track" else one[:6], "--data-dir", data)
        assert r.exit_code == 0, (command, r.output)
        assert "新余市总工会" in r.stdout or "劳动竞赛" in r.stdout, (command, r.stdout[:200])
        r = run(command, start, "--data-dir", data)
        assert r.exit_code == 1 and "不止对应一篇公文" in r.stderr, (command, r.output)
        assert all(i in r.stderr for i in ids if i.startswith(start)), r.stderr
    r = run("delete", start, "--data-dir", data)
    assert r.exit_code == 1 and len(json.loads(run("documents", "--json", "--data-dir", data).stdout)["items"]) == 3
    r = run("delete", one[:5], "--data-dir", data)
    assert r.exit_code == 0 and one in r.stderr, r.output
    r = run("checklist", one[:5], "--data-dir", data)
    assert r.exit_code == 1 and f"找不到公文：{one[:5]}" in r.stderr, r.output
