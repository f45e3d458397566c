"""The offsets-only checklist annotations of real notices (corpora/annotations/checklist):
every file rebuilds its gold from ../shared, holds offsets rather than copied text, and an
annotation of a PDF or .doc (anchored in a named extraction of the file) refuses a changed
file or a changed extraction instead of slicing the wrong text."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from nlp.checklist.annotations import decode, file_sha256, load_all, sha256, source_text
from nlp.resources import shared_root

ROOT = Path(__file__).resolve().parents[1]
ANN = ROOT / "corpora" / "annotations" / "checklist"
SHARED = shared_root()
PDF_ANN = ANN / "real-notices__cx-2018-ban-03-peixun.pdf.json"

pytestmark = pytest.mark.skipif(not (SHARED / "real-notices").is_dir(), reason="../shared not beside the repository")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _literals(obj) -> list[str]:
    """The pieces of text values that are not spans of the source."""
    if isinstance(obj, dict):
        if "$t" in obj:
            return [p for p in obj["$t"] if isinstance(p, str)]
        return [x for v in obj.values() for x in _literals(v)]
    if isinstance(obj, list):
        return [x for v in obj for x in _literals(v)]
    return []


def test_every_annotation_rebuilds_from_offsets():
    pairs = load_all(ANN, SHARED)
    assert len(pairs) >= 75
    for ann, gold in pairs:
        # offsets, not copied text: only a few short pieces absent from the source (a comma, a bracket)
        lits = _literals(ann["gold"])
        assert len(lits) <= 10 and all(len(p) <= 3 for p in lits), ann["file"]
        assert ann.get("site"), ann["file"]
        for o in gold["obligations"]:
            assert o["tier"] in ("hard", "soft") and o["text"], ann["file"]
    assert {a["site"] for a, _ in pairs if a["file"].startswith("real-notices/")} == {"cx"}


def test_pdf_annotation_rebuilds_gold_from_the_pdf_text():
    ann = json.loads(PDF_ANN.read_text(encoding="utf-8"))
    pdf = SHARED / ann["file"]
    assert ann["extraction"] == "pdfium-text" and ann["file_sha256"] == file_sha256(pdf)
    text = source_text(pdf, "pdfium-text")
    assert sha256(text) == ann["sha256"]
    gold = decode(ann, SHARED)
    hard = [o for o in gold["obligations"] if o["tier"] == "hard"]
    assert hard
    flat = _norm(text)
    for o in gold["obligations"]:
        # a clause is the PDF's text with its line breaks joined, its values inside it
        assert _norm(o["text"]) in flat
        for v in [q["text"] for q in o["quotas"]] + [d["text"] for d in o["deadlines"]]:
            assert _norm(v) in _norm(o["text"])
    # each span lies inside the extracted text
    for o in ann["gold"]["obligations"]:
        for piece in o["text"]["$t"]:
            if not isinstance(piece, str):
                assert 0 <= piece[0] < piece[1] <= len(text)


def test_annotated_metadata_agrees_with_the_shared_metadata_gold():
    """The publisher's metadata gold of ../shared/real-notices is a second reading of the heads."""
    theirs = {}
    for line in (SHARED / "real-notices" / "metadata.gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "error" not in row:
            theirs[row["file"]] = row
    checked = 0
    for ann, gold in load_all(ANN, SHARED):
        row = theirs.get(Path(ann["file"]).name)
        if row is None:
            continue
        checked += 1
        m = gold["metadata"]
        for k in ("issuer", "doc_number", "title", "date", "doc_type"):
            assert _norm(str(m[k])) == _norm(str(row[k])), (ann["file"], k)
        assert _norm("".join(m["recipients"])) == _norm("".join(row["recipients"])), ann["file"]
    assert checked >= 6


def _copy(tmp_path: Path) -> tuple[dict, Path]:
    ann = json.loads(PDF_ANN.read_text(encoding="utf-8"))
    shared = tmp_path / "shared"
    (shared / ann["file"]).parent.mkdir(parents=True)
    shutil.copy(SHARED / ann["file"], shared / ann["file"])
    return ann, shared


def test_changed_pdf_is_refused(tmp_path):
    ann, shared = _copy(tmp_path)
    assert decode(ann, shared)["metadata"] == decode(ann, SHARED)["metadata"]
    with open(shared / ann["file"], "ab") as f:
        f.write(b"\n%")
    with pytest.raises(ValueError, match="file_sha256"):
        decode(ann, shared)


def test_changed_extraction_is_refused(tmp_path):
    ann, shared = _copy(tmp_path)
    ann["sha256"] = "0" * 64  # what another pdfium would give: the same file, other text
    with pytest.raises(ValueError, match="extraction pdfium-text"):
        decode(ann, shared)
    ann["extraction"] = "no-such-reader"
    with pytest.raises(ValueError, match="unknown extraction"):
        decode(ann, shared)


def test_doc_annotation_rebuilds_through_catdoc():
    if shutil.which("catdoc") is None:
        pytest.skip("catdoc not installed (scripts/setup.sh installs it)")
    ann = json.loads((ANN / "real-notices__cx-kunnan-bangfu-banfa.doc.json").read_text(encoding="utf-8"))
    assert ann["extraction"] == "catdoc-utf8"
    gold = decode(ann, SHARED)
    text = _norm(source_text(SHARED / ann["file"], "catdoc-utf8"))
    assert all(_norm(o["text"]) in text for o in gold["obligations"])
    assert gold["metadata"]["doc_number"] == "长总工〔2018〕14号"
