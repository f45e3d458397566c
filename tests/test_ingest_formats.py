"""One notice saved in two formats is ONE document with two files: ingest (service,
CLI, HTTP) attaches the second format to the stored document when issuer(s) and
文号 — or, without a 文号, title, issuer(s) and date — and the body text agree; a
revised text under the same 文号 is stored as a new document with a warning.

The notices are written here and rendered to .txt, .docx and .pdf with the
corpus renderer (corpora/tools/make_notices.py); everything runs on a real
SQLite file and a real search index."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from backends import fresh_db_url
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app
from api.service import Gongwen
from index.store.dedup import compare_texts, doc_number_key
from index.store.models import DocumentFileRow, DocumentRow, FileRow
from scripts import load_script

make_notices = load_script("corpora/tools/make_notices.py")

NOTICE = """@letterhead 临川县总工会文件

@docno 临总工发〔2025〕9号

@title 临川县总工会关于开展2025年夏季
@title 职工安全生产知识竞赛的通知

各乡镇（街道）总工会，县直各产业工会：

为增强职工安全生产意识，县总工会决定在全县开展夏季职工安全生产知识竞赛，现将有关事项通知如下。

一、竞赛对象

全县各类企业在岗职工，每个乡镇（街道）总工会推荐参赛队伍不少于2支，每支队伍3人。

二、时间安排

（一）报名。各单位于6月20日前将参赛队伍名单报县总工会劳动保护部。

（二）初赛。7月上旬以乡镇（街道）为单位组织初赛，每周通报一次进度。

三、工作要求

各单位要高度重视，落实专人负责，确保竞赛活动安全有序开展，活动结束后5个工作日内报送总结。

@right 临川县总工会
@right 2025年5月26日
"""

# The same 文号, a revised text: a later deadline and one more team per township.
REVISED = NOTICE.replace("6月20日前", "6月30日前").replace("不少于2支", "不少于3支")

# A notice without a 文号 (a work-unit notice), later rendered to .txt and .docx.
NO_NUMBER = """@title 临川县总工会关于举办职工书法摄影作品展的通知

各乡镇（街道）总工会，县直各产业工会：

为丰富职工文化生活，县总工会定于7月举办职工书法摄影作品展，请各单位于6月15日前报送作品，每单位不超过10件。

临川县总工会
2025年5月28日
"""


def render(src: str, folder: Path, stem: str, *formats: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.src").write_text(src, encoding="utf-8")
    lines = make_notices.parse_src(folder / f"{stem}.src")
    out = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        make_notices.WRITERS[fmt](lines, path)
        out.append(path)
    return out


def counts(svc: Gongwen) -> tuple[int, int, int]:
    with svc.store.session() as s:
        return tuple(s.scalar(sa.select(sa.func.count()).select_from(t)) for t in (DocumentRow, FileRow, DocumentFileRow))


def document_hits(svc: Gongwen, q: str) -> list[str]:
    """The document ids of every search hit (documents, sections, checklist items)."""
    res = svc.search(q, per_page=100)
    return [h.get("doc_id") or h.get("document_id") for h in res["hits"]]


@pytest.fixture
def svc(settings):
    with Gongwen(settings) as s:
        yield s


def test_txt_and_pdf_of_one_notice_are_one_document_with_two_files(svc, tmp_path):
    txt, pdf = render(NOTICE, tmp_path / "a", "jingsai", "txt", "pdf")
    first = svc.ingest_file(txt)
    assert first.status == "ingested", first.error
    hits_before = document_hits(svc, "安全生产知识竞赛")
    assert hits_before and set(hits_before) == {first.document_id}

    second = svc.ingest_file(pdf)
    assert second.status == "attached", (second.error, second.warning)
    assert second.document_id == first.document_id and second.warning is None
    assert "临总工发〔2025〕9号" in second.message and "另一格式" in second.message
    assert counts(svc) == (1, 2, 1)
    files = svc.store.document_files(first.document_id)
    assert [(f["format"], f["primary"]) for f in files] == [("txt", True), ("pdf", False)]
    # the structure, checklist and index entries are the first file's: no second set of hits
    assert document_hits(svc, "安全生产知识竞赛") == hits_before
    assert svc.store.get_document(first.document_id).source.format == "txt"

    # idempotent: both files again change nothing
    again = [svc.ingest_file(p) for p in (txt, pdf)]
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert {r.document_id for r in again} == {first.document_id}
    assert counts(svc) == (1, 2, 1)
    assert document_hits(svc, "安全生产知识竞赛") == hits_before

    # deleting the document removes both files
    assert svc.delete_document(first.document_id)
    assert counts(svc) == (0, 0, 0) and document_hits(svc, "安全生产知识竞赛") == []


def test_a_batch_with_three_formats_stores_one_document(svc, tmp_path):
    paths = render(NOTICE, tmp_path / "b", "jingsai", "txt", "docx", "pdf")
    summary = svc.ingest_paths([tmp_path / "b"])
    assert (summary.ingested, summary.attached, summary.failed) == (1, 2, 0), [r.to_dict() for r in summary.results]
    assert counts(svc) == (1, 3, 2)
    (doc_id,) = svc.store.document_ids()
    assert {f["name"] for f in svc.store.document_files(doc_id)} == {p.name for p in paths}
    assert set(document_hits(svc, "劳动保护部")) == {doc_id}
    assert svc.ingest_paths([tmp_path / "b"]).unchanged == 3


def test_a_revised_text_under_the_same_number_is_a_new_document_with_a_warning(svc, tmp_path):
    (old,) = render(NOTICE, tmp_path / "old", "jingsai", "txt")
    (new,) = render(REVISED, tmp_path / "new", "jingsai", "docx")
    first = svc.ingest_file(old)
    second = svc.ingest_file(new)
    assert second.status == "ingested" and second.document_id != first.document_id
    assert second.related_document_id == first.document_id
    assert "临总工发〔2025〕9号" in second.warning and "正文不同" in second.warning
    assert "不少于[2]支" in second.warning and "不少于[3]支" in second.warning  # the first difference is shown
    assert counts(svc) == (2, 2, 0)
    # idempotent for the revision too, and no second warning
    again = svc.ingest_file(new)
    assert again.status == "unchanged" and again.warning is None


def test_without_a_number_title_issuer_date_and_text_decide(svc, tmp_path):
    txt, docx = render(NO_NUMBER, tmp_path / "c", "zhanlan", "txt", "docx")
    first = svc.ingest_file(txt)
    assert first.status == "ingested" and svc.store.get_document(first.document_id).doc_number is None
    second = svc.ingest_file(docx)
    assert second.status == "attached" and second.document_id == first.document_id
    assert "同一标题、发文机关和成文日期" in second.message
    # same title, issuer and date but another text: a new document, with a warning
    (other,) = render(NO_NUMBER.replace("不超过10件", "不超过20件"), tmp_path / "d", "zhanlan", "txt")
    third = svc.ingest_file(other)
    assert third.status == "ingested" and third.warning and third.related_document_id == first.document_id
    assert counts(svc) == (2, 3, 1)


def test_other_notices_of_the_same_issuer_are_not_merged(svc, tmp_path):
    (a,) = render(NOTICE, tmp_path / "e", "a", "txt")
    (b,) = render(NOTICE.replace("〔2025〕9号", "〔2025〕10号"), tmp_path / "f", "b", "txt")
    results = [svc.ingest_file(p) for p in (a, b)]
    assert [r.status for r in results] == ["ingested", "ingested"]
    assert all(r.warning is None for r in results)


def test_the_text_rule_ignores_format_noise_but_not_numbers():
    text = "一、竞赛对象\n全县各类企业在岗职工，每支队伍3人。" * 20
    assert compare_texts(text, text.replace("\n", " ").replace("，", ",")).same
    assert not compare_texts(text, text.replace("3人", "4人", 1)).same
    assert not compare_texts(text, text + "新增条款：各单位须另报预算，逾期不予受理，相关费用由各单位自行承担。" * 3).same
    assert doc_number_key("临总工发[2025] 9号") == doc_number_key("临总工发〔2025〕9号")


@pytest.mark.db
def test_cli_says_the_file_was_attached_and_warns_of_a_revision(tmp_path):
    folder = tmp_path / "g"
    txt, pdf = render(NOTICE, folder, "jingsai", "txt", "pdf")
    (rev,) = render(REVISED, tmp_path / "h", "jingsai_xiuding", "txt")
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    first = runner.invoke(app, ["ingest", str(txt), *data])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["ingest", str(pdf), *data], env={"COLUMNS": "300"})
    assert second.exit_code == 0, second.output
    assert "已存在：同一文号（临总工发〔2025〕9号）" in second.stderr
    assert "已作为该文件的另一格式（pdf）附加" in second.stderr
    third = runner.invoke(app, ["ingest", str(rev), *data], env={"COLUMNS": "300"})
    assert third.exit_code == 0, third.output
    assert "注意" in third.stderr and "正文不同" in third.stderr and "已作为新文件入库" in third.stderr
    listed = runner.invoke(app, ["documents", "--json", *data])
    assert '"total": 2' in listed.stdout
    doc_id = next(i["id"] for i in json.loads(listed.stdout)["items"] if i["file_name"] == txt.name)
    shown = runner.invoke(app, ["show", doc_id, *data])
    assert shown.exit_code == 0 and "同一公文的其他格式：jingsai.pdf（pdf）" in shown.stderr
    as_json = json.loads(runner.invoke(app, ["show", doc_id, "--format", "json", *data]).stdout)
    assert [f["name"] for f in as_json["files"]] == ["jingsai.txt", "jingsai.pdf"]


@pytest.mark.db
def test_api_reports_attached_and_lists_both_files(tmp_path):
    from api.app import create_app
    from api.settings import Settings

    txt, docx = render(NOTICE, tmp_path / "i", "jingsai", "txt", "docx")
    (rev,) = render(REVISED, tmp_path / "j", "jingsai_v2", "txt")
    s = Settings()
    s.data_dir, s.db_url, s.api_key = tmp_path / "api-data", fresh_db_url(), "k"
    key = {"X-API-Key": "k"}
    with TestClient(create_app(s)) as c:
        def post(p: Path):
            r = c.post("/api/documents", files={"file": (p.name, p.read_bytes())}, headers=key)
            assert r.status_code == 201, r.text
            return r.json()

        first, second = post(txt), post(docx)
        assert first["status"] == "ingested" and first["created"] is True
        assert second["status"] == "attached" and second["created"] is False and second["id"] == first["id"]
        assert "另一格式" in second["message"] and second["warning"] is None
        assert second["obligations"] == first["obligations"]
        detail = c.get(f"/api/documents/{first['id']}").json()
        assert [f["format"] for f in detail["files"]] == ["txt", "docx"]
        page = c.get(f"/documents/{first['id']}").text  # the web page lists the other format too
        assert "其他格式" in page and docx.name in page
        assert c.get("/api/documents").json()["total"] == 1
        assert post(docx)["status"] == "unchanged"
        revised = post(rev)
        assert revised["status"] == "ingested" and revised["related_id"] == first["id"]
        assert "正文不同" in revised["warning"]
        assert c.get("/api/documents").json()["total"] == 2
