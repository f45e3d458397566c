"""The sample corpus and its gold annotations are sound test data: gold files have
the schema's shape and point at text that is really in the source files; the
generated PDFs carry a text layer and an embedded CJK font; the GB18030 files are
not UTF-8; the three renderings of one notice hold the same text."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
NOTICES = CORPORA / "notices"
RENDERINGS = CORPORA / "renderings"
GOLD_FILES = sorted((CORPORA / "gold").glob("*.gold.json"))


def _load_checker():
    return load_script("corpora/tools/check_gold.py")


checker = _load_checker()


def test_corpus_has_every_format():
    suffixes = [p.suffix for p in NOTICES.iterdir()]
    assert len(suffixes) >= 12
    assert suffixes.count(".docx") >= 3
    assert suffixes.count(".pdf") >= 3
    assert suffixes.count(".html") >= 1
    assert suffixes.count(".txt") >= 4


def test_gold_covers_formats_roster_and_tables():
    assert len(GOLD_FILES) >= 6
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in GOLD_FILES]
    assert {Path(g["source"]).suffix for g in golds} >= {".txt", ".docx", ".pdf"}
    assert any(g["roster"] and g["tables"] for g in golds)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_shape(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert set(gold) == {"source", "metadata", "obligations", "roster", "tables"}
    assert set(gold["metadata"]) == {"issuer", "doc_number", "title", "date", "recipients", "doc_type",
                                     "embedded"}
    for ob in gold["obligations"]:
        assert set(ob) == {"id", "tier", "text", "section", "actors", "action", "modality", "quotas",
                           "deadlines", "frequency"}
        assert ob["tier"] in ("hard", "soft")
        for q in ob["quotas"]:
            assert q["min"] is None or isinstance(q["min"], (int, float))
            assert q["max"] is None or isinstance(q["max"], (int, float))
            if q["min"] is not None and q["max"] is not None:
                assert q["min"] <= q["max"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_texts_found_in_source(path):
    assert checker.check(path) == []


def test_checker_catches_text_not_in_source(tmp_path, monkeypatch):
    gold = json.loads(GOLD_FILES[0].read_text(encoding="utf-8"))
    gold["obligations"][0]["text"] = "市总工会每年向月球派出蹲点工作组"
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    errs = checker.check(bad)
    assert any("not in source" in e for e in errs)


PDFS = sorted(NOTICES.glob("*.pdf")) + sorted(RENDERINGS.glob("*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdf_has_text_layer_and_embedded_cjk_font(path):
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 300
    assert "总工会" in text
    fonts = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            # simple TrueType subset (reportlab) or a Type0 font with descendants
            for f in [font] + [d.get_object() for d in font.get("/DescendantFonts") or []]:
                desc = f.get("/FontDescriptor")
                if desc is not None and "/FontFile2" in desc.get_object():
                    fonts.add(str(font["/BaseFont"]))
    assert any("DroidSansFallback" in f for f in fonts), fonts
    # page numbers in the 公文 style at the foot of each page
    assert "— 1 —" in (reader.pages[0].extract_text() or "")


def test_gb18030_files_are_not_utf8():
    gb = [p for p in NOTICES.glob("*.txt") if _is_gb18030(p)]
    assert len(gb) >= 2
    for p in gb:
        with pytest.raises(UnicodeDecodeError):
            p.read_bytes().decode("utf-8")
        assert "总工会" in p.read_bytes().decode("gb18030")


def _is_gb18030(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def test_renderings_hold_the_same_text():
    stems = {p.stem for p in RENDERINGS.iterdir()}
    assert stems, "no renderings"
    for stem in stems:
        lines = (RENDERINGS / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
        for fmt in ("docx", "pdf"):
            text = checker.searchable(RENDERINGS / f"{stem}.{fmt}")
            # every paragraph and every table cell of the .txt is there, whatever the
            # layout (wrapping, page numbers, a merged leader cell)
            for line in lines:
                for cell in line.split("\t"):
                    assert checker.squash(cell) in text, (fmt, cell)
            # and nothing else but page numbers: same length up to repeated merged cells
            assert len(text) >= len(checker.squash("".join(lines)))


def test_html_copy_has_title_before_doc_number():
    page = next(NOTICES.glob("*.html")).read_text(encoding="utf-8")
    h1 = page.index("<h1")
    assert re.search(r"〔\d{4}〕\d+号", page[h1:])
    assert "当前位置" in page[:h1]
