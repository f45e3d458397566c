"""Scans through OCR (RapidOCR): an image-only PDF or an image of a notice parses to
the metadata of the notice's text PDF, a red seal over the date does not hide the
date, the OCR record and low-confidence warnings reach the document, and a scan
without Chinese or over the page limit is refused before anything is stored.

OCR costs seconds a page: each test reads one or two pages."""
from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPORA
from fixtures_make import make_scanned_pdf, stamp_seal

from ingest import errors
from ingest.load import load
from ingest.read import read_path
from nlp.resources import shared_root
from scripts import load_script

if sys.version_info >= (3, 13):  # no build of the engine yet (pyproject): scans are refused there
    pytest.importorskip("rapidocr_onnxruntime")
else:  # `make test` installs it: a missing engine is a failed install, not a reason to skip
    import rapidocr_onnxruntime  # noqa: F401

SHARED = shared_root(Path(__file__).resolve().parents[1]) / "real-notices"
NOTICE_PDF = CORPORA / "notices" / "2025_nanchang_liaoxiuyang_jingfei.pdf"  # 2 pages


def _pages(pdf: Path, dpi: int) -> list:
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [Image.fromarray(np.asarray(doc[i].render(scale=dpi / 72).to_pil().convert("RGB"))) for i in range(len(doc))]
    finally:
        doc.close()


def _date_box(pdf: Path, page: int, dpi: int) -> tuple[float, float, float]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as p:
        for ln in p.pages[page].extract_text_lines():
            if re.fullmatch(r"\s*\d{4}\s*年\s*\d+\s*月\s*\d+\s*日\s*", ln["text"]):
                k = dpi / 72
                return (ln["x0"] + ln["x1"]) / 2 * k, (ln["top"] + ln["bottom"]) / 2 * k, (ln["x1"] - ln["x0"]) * k
    raise AssertionError("no date line")


def test_scanned_notice_with_a_seal_parses_like_its_text_pdf(tmp_path):
    """Two pages as a multi-page TIFF at 200 dpi, a seal stamped over signer and date."""
    dpi = 200
    pages = _pages(NOTICE_PDF, dpi)
    cx, cy, w = _date_box(NOTICE_PDF, len(pages) - 1, dpi)
    pages[-1] = stamp_seal(pages[-1], cx, cy - w * 0.15, w * 0.55)
    tif = tmp_path / "scan.tif"
    pages[0].save(tif, save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_lzw")
    scanned, text = load(tif), load(NOTICE_PDF)
    assert scanned.metadata() == text.metadata()
    assert [s.heading for _, s in scanned.sections()] == [s.heading for _, s in text.sections()]
    assert scanned.source.format == "image" and scanned.source.pages == 2
    assert scanned.source.ocr["mean_confidence"] > 0.9
    assert any("OCR" in w for w in scanned.warnings)


@pytest.mark.skipif(not (SHARED / "cx-jingfei-xize-scanned.pdf").exists(), reason="shared real notices not present")
def test_real_scanned_notice_parses_to_the_gold_metadata(tmp_path):
    """Page 1 of the shared scan (the seal covers part of the date): what a person read."""
    import pypdf

    gold = next(
        json.loads(l) for l in (SHARED / "scanned.gold.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()
    )
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(str(SHARED / gold["file"])).pages[0])
    first = tmp_path / "page1.pdf"
    with open(first, "wb") as f:
        writer.write(f)
    meta = load(first).metadata()
    for key in ("issuer", "issuers", "doc_number", "title", "date", "doc_type"):
        assert meta[key] == gold[key], key
    # as the shared scorer compares 主送: the organs in order, separators aside
    assert _joined(meta["recipients"]) == _joined(gold["recipients"])


def _joined(items: list[str]) -> str:
    return re.sub(r"[、，,；;：:\s]", "", "".join(items))


def test_ruled_table_of_a_scan_reads_as_in_the_text_pdf(tmp_path):
    """The page of a notice with a ruled table (merged cells in its first column),
    scanned at 200 dpi: the table comes out with the text PDF's rows, not as lines."""
    make_notices = load_script("corpora/tools/make_notices.py")
    pdf = tmp_path / "notice.pdf"
    make_notices.write_pdf(make_notices.parse_src(CORPORA / "tools" / "src" / "2023_zhuzhou_anquan_jiandu.txt"), pdf)
    text, _ = read_path(pdf)
    assert len(text.tables) == 1
    page = text.page_at(text.tables[0].start)
    png = tmp_path / "page.png"
    _pages(pdf, 200)[page - 1].save(png, dpi=(200, 200))
    scanned, _ = read_path(png)
    assert [(t.header, t.rows) for t in scanned.tables] == [(text.tables[0].header, text.tables[0].rows)]


def test_an_image_over_the_pixel_cap_is_read_at_a_lower_resolution(tmp_path, monkeypatch):
    """A 600 dpi scan took 1.6 GB to recognise: an image over MAX_PIXELS (as a rendered
    PDF page) is scaled down first, and reads as the notice it is."""
    import ingest.readers.ocr as ocr

    cap, seen = 3_000_000, []
    monkeypatch.setattr(ocr, "MAX_PIXELS", cap)  # the A4 page at 300 dpi is 8.7 million
    real = ocr.ocr_lines
    monkeypatch.setattr(ocr, "ocr_lines", lambda rgb, dpi: seen.append(rgb.shape[0] * rgb.shape[1]) or real(rgb, dpi))
    png = tmp_path / "page1.png"
    _pages(NOTICE_PDF, 300)[0].save(png, dpi=(300, 300))
    scanned, text = load(png), load(NOTICE_PDF)
    assert seen and max(seen) <= cap
    meta, want = scanned.metadata(), text.metadata()
    assert (meta["title"], meta["doc_number"], meta["issuer"]) == (want["title"], want["doc_number"], want["issuer"])


def test_low_confidence_pages_are_flagged(tmp_path, monkeypatch):
    import ingest.readers.ocr as ocr

    monkeypatch.setattr(ocr, "LOW_CONFIDENCE", 1.01)  # every page is below it
    raw, src = read_path(make_scanned_pdf(tmp_path / "scan.pdf", pages=1))
    assert src.ocr["low_confidence_pages"] == [1]
    assert any("置信度" in w and "第 1 页" in w for w in raw.warnings)


def test_scan_without_chinese_is_refused_and_nothing_stored(tmp_path):
    from PIL import Image, ImageDraw

    from api.service import Gongwen
    from api.settings import Settings

    img = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(img)
    for i in range(8):  # a form of boxes and lines, no text
        d.rectangle([100, 150 + i * 180, 1140, 290 + i * 180], outline="black", width=3)
    path = tmp_path / "form.png"
    img.save(path, dpi=(150, 150))
    with Gongwen(Settings(data_dir=tmp_path / "data")) as svc:
        result = svc.ingest_file(path)
        assert result.status == "failed" and result.error and "中文" in result.error
        assert svc.store.count_documents() == 0


def test_page_limit_is_checked_before_ocr(tmp_path, monkeypatch):
    import ingest.readers.ocr as ocr

    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    monkeypatch.setattr(ocr, "ocr_lines", lambda *a, **k: pytest.fail("OCR ran on a scan over the limit"))
    with pytest.raises(errors.TooManyPages) as e:
        read_path(make_scanned_pdf(tmp_path / "long.pdf", pages=3))
    assert "3 页" in e.value.message and "2 页" in e.value.message


def test_corrupt_image_is_refused(tmp_path):
    buf = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (200, 200), "white").save(buf, format="PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buf.getvalue()[:60])
    with pytest.raises(errors.CorruptFile):
        read_path(path)


def test_straight_quotes_and_mixed_brackets_of_the_recogniser_are_set_right():
    from ingest.readers.ocr import fix_punctuation

    assert fix_punctuation('开展"五小"创新活动') == "开展“五小”创新活动"
    assert fix_punctuation('开展“五小"创新活动') == "开展“五小”创新活动"
    assert fix_punctuation("“建功'十四五’奋进”") == "“建功‘十四五’奋进”"
    state = [False, False]  # a quotation wrapped over two lines
    assert fix_punctuation("开展“建功", state) + fix_punctuation('奋进新征程"劳动竞赛', state) == "开展“建功奋进新征程”劳动竞赛"
    assert fix_punctuation("洪工发〔2025】4号") == "洪工发〔2025〕4号"
    assert fix_punctuation("每个县（市、区)总工会") == fix_punctuation("每个县(市、区）总工会") == "每个县（市、区）总工会"
    assert fix_punctuation("按(一)执行，见（二）") == "按(一)执行，见（二）"  # one width in a pair: as printed
    assert fix_punctuation("it's 1,000") == "it's 1,000"  # no Chinese: left alone
    assert fix_punctuation("一3一") == fix_punctuation("-3—") == "— 3 —"  # page numbers


def test_one_file_commands_say_ocr_is_running_on_a_scan(tmp_path):
    """`gongwen parse` / `gongwen checklist` on a scan say on stderr that OCR is running (seconds a
    page) before the first page is read; before, they were silent for as long as the OCR took.
    A file with a text layer gets no such line."""
    from typer.testing import CliRunner

    from api.cli import app

    scan = make_scanned_pdf(tmp_path / "scan.pdf", pages=1)
    runner = CliRunner()
    for command in (["parse", str(scan)], ["checklist", str(scan), "--format", "md"]):
        res = runner.invoke(app, command)
        assert res.exit_code == 0, res.output
        assert "扫描件：正在 OCR 识别 1 页" in res.stderr, res.stderr
    text = runner.invoke(app, ["parse", str(NOTICE_PDF)])
    assert text.exit_code == 0 and "OCR" not in text.stderr
