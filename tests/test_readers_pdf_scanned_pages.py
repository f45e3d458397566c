"""A text PDF with pages that are scans (a signed last page, a scanned attachment): those
pages go through OCR and their text is read in its place, named in a warning, instead of
being left out with only a warning; a page OCR finds no Chinese on (a photo) is still
named as not read. Real files: reportlab text pages and image pages joined by pypdf."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fixtures_make import PARAGRAPHS, TITLE, make_photo_pdf, make_scanned_pdf, make_text_pdf

from ingest.read import read_path

if sys.version_info >= (3, 13):  # no OCR engine built for it (pyproject)
    pytest.importorskip("rapidocr_onnxruntime")

TEXT_PAGE = [TITLE, "请各单位于2024年11月30日前将活动总结报送县总工会。"]


def _joined(path: Path, *parts: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        for page in PdfReader(part).pages:
            writer.add_page(page)
    with open(path, "wb") as f:
        writer.write(f)
    return path


def test_a_scanned_page_of_a_text_pdf_is_read_by_ocr(tmp_path):
    # before: 以下页面没有文字层（可能是扫描页），未提取文字：第 2 页 — its text left out
    path = _joined(tmp_path / "mixed.pdf", make_text_pdf(tmp_path / "t.pdf", [TEXT_PAGE]),
                   make_scanned_pdf(tmp_path / "s.pdf", pages=1))
    # (an upload's bytes go the same way: tests/test_bad_input.py sends such a PDF to the API)
    raw, source = read_path(path)
    assert TEXT_PAGE[1] in raw.text.replace("\n", "")
    scanned = raw.text[raw.page_starts[1]:]
    assert PARAGRAPHS[1][:15] in scanned.replace("\n", "")  # the scan's own words
    assert raw.warnings == ["以下页面是扫描页（没有文字层），文字由 OCR 识别，请与原件核对：第 2 页"]
    assert source.ocr["pages"] == [2] and source.pages == 2


def test_a_page_that_is_a_photo_without_writing_is_still_named(tmp_path):
    path = _joined(tmp_path / "photo.pdf", make_text_pdf(tmp_path / "t.pdf", [TEXT_PAGE]),
                   make_photo_pdf(tmp_path / "p.pdf"))
    raw, source = read_path(path)
    assert raw.warnings == ["以下页面没有文字层（可能是扫描页），未提取文字：第 2 页"]
    assert source.ocr is None
