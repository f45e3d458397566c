"""OFD (GB/T 33190) and WPS Office (.wps) files: an OFD rendering of a corpus
notice parses to the same document as its .txt; a damaged or oversized OFD and a
.wps that is not in the Word 97 format are refused with a clear error."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import CORPORA
from fixtures_make import make_doc
from fixtures_ofd import write_ofd

from ingest import errors
from ingest.load import load
from ingest.read import read_bytes, read_path
from nlp.resources import shared_root
from scripts import load_script

make_notices = load_script("corpora/tools/make_notices.py")

needs_catdoc = pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc is not installed")
SHARED = shared_root(Path(__file__).resolve().parents[1]) / "real-notices"


def _render(tmp_path: Path, stem: str) -> tuple[Path, Path]:
    lines = make_notices.parse_src(CORPORA / "tools" / "src" / f"{stem}.txt")
    txt = tmp_path / f"{stem}.txt"
    make_notices.write_txt(lines, txt)
    return txt, write_ofd(tmp_path / f"{stem}.ofd", list(make_notices.blocks(lines)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _structure(doc):
    """Parts and their section trees: each section's level, heading and own text (line
    breaks aside: the OFD is laid out in printed lines, the .txt in paragraphs)."""
    return [
        (p.kind, p.title, p.label, _squash(p.preamble),
         [(s.level, s.heading, _squash(s.text)) for s in p.walk()], len(p.tables))
        for p in doc.parts
    ]


# letterhead, 文号, two-line title, 第一章/第一条 levels, 抄送/印发 lines; 一、（一）1. levels;
# a number wrapped over two lines (10|0万元) and the 印发 line of an office
@pytest.mark.parametrize("stem", ["2021_mianyang_bangfu_banfa", "2022_hunan_xinjiuye_yijian", "2024_jian_zhongda_shixiang"])
def test_ofd_parses_like_the_txt(tmp_path, stem):
    txt, ofd = _render(tmp_path, stem)
    a, b = load(txt), load(ofd)
    assert b.source.format == "ofd"
    assert b.metadata() == a.metadata()
    assert _structure(b) == _structure(a)
    assert len(b.page_starts) >= 2  # pages and their offsets come through
    # every section's page is known and sections never go back a page
    pages = [s.page for _, s in b.sections()]
    assert None not in pages and pages == sorted(pages)


def test_ofd_docinfo_is_read(tmp_path):
    lines = [("body", "各基层工会：请于本月底前报送职工之家建设情况，每个单位不少于一份，逾期不再受理。")]
    raw, _ = read_path(write_ofd(tmp_path / "t.ofd", lines, doc_title="关于报送职工之家建设情况的通知"))
    assert raw.properties["title"] == "关于报送职工之家建设情况的通知"
    assert raw.properties["created"] == "2025-01-01"


def test_ofd_upload_bytes(tmp_path):
    _, ofd = _render(tmp_path, "2025_nanchang_liaoxiuyang_jingfei")
    raw, src = read_bytes(ofd.read_bytes(), "通知.ofd")
    assert src.format == "ofd" and src.pages and "疗休养" in raw.text


def _rezip(src: Path, dst: Path, *, drop: str | None = None, replace: tuple[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == drop:
                continue
            data = zin.read(item.filename)
            if replace and item.filename == replace[0]:
                data = replace[1]
            zout.writestr(item, data)
    return dst


def test_corrupt_ofd_is_refused_with_a_clear_error(tmp_path):
    _, ofd = _render(tmp_path, "2025_nanchang_liaoxiuyang_jingfei")
    truncated = tmp_path / "cut.ofd"
    truncated.write_bytes(ofd.read_bytes()[: ofd.stat().st_size // 2])
    cases = [
        truncated,
        _rezip(ofd, tmp_path / "noroot.ofd", drop="OFD.xml"),
        _rezip(ofd, tmp_path / "nopage.ofd", drop="Doc_0/Pages/Page_0/Content.xml"),
        _rezip(ofd, tmp_path / "badxml.ofd", replace=("Doc_0/Document.xml", b"<ofd:Document><unclosed>")),
    ]
    for path in cases:
        with pytest.raises(errors.CorruptFile) as e:
            read_path(path)
        assert "OFD" in e.value.message, path.name


def test_ofd_zip_bomb_is_refused_before_inflating(tmp_path):
    _, ofd = _render(tmp_path, "2025_nanchang_liaoxiuyang_jingfei")
    bomb = _rezip(ofd, tmp_path / "bomb.ofd")
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Doc_0/Res/pad.xml", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(errors.SuspiciousArchive):
        read_path(bomb)


@needs_catdoc
def test_wps_in_word97_format_reads_through_the_doc_path(tmp_path):
    paragraphs = ["关于开展职工技能竞赛的通知", "各基层工会：", "请于6月30日前报送参赛名单。", "县总工会", "2024年5月8日"]
    doc = make_doc(tmp_path / "a.doc", paragraphs, [["单位", "人数"], ["一分会", "3"]])
    wps = tmp_path / "a.wps"
    wps.write_bytes(doc.read_bytes())
    raw_doc, _ = read_path(doc)
    raw_wps, src = read_path(wps)
    assert src.format == "wps"
    assert raw_wps.text == raw_doc.text


@needs_catdoc
@pytest.mark.skipif(not (SHARED / "cx-kunnan-bangfu-banfa.doc").exists(), reason="shared real notices not present")
def test_real_word97_file_saved_as_wps(tmp_path):
    wps = tmp_path / "real.wps"
    wps.write_bytes((SHARED / "cx-kunnan-bangfu-banfa.doc").read_bytes())
    assert load(wps).metadata() == load(SHARED / "cx-kunnan-bangfu-banfa.doc").metadata()


def test_wps_in_another_format_names_what_is_missing(tmp_path):
    works = make_doc(tmp_path / "w.doc", ["x"], stream="CONTENTS")  # OLE without WordDocument
    old = tmp_path / "old.wps"
    old.write_bytes(b"\xff\x00WPS" + bytes(2000))  # pre-2005 WPS: not OLE at all
    for path in (works.rename(tmp_path / "works.wps"), old):
        with pytest.raises(errors.UnsupportedFormat) as e:
            read_path(path)
        assert "WordDocument" in e.value.message and ".docx" in e.value.message
