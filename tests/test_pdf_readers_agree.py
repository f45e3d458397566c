"""The PDFium reader (the default) parses every PDF into the same document as the
pdfplumber reader it replaced (every page through pdfminer, still selectable with
GONGWEN_PDF_READER=pdfplumber): metadata, section tree, text, tables, page starts,
warnings. Run on the sample and real notices and on the PDFs the reader tests
build (letterheads, page-number styles, running headers, fake bold, forms, tables)."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fixtures_make import encrypt_pdf, make_notice_pdf, make_text_pdf, strip_tounicode, truncate_file

from ingest import errors
from ingest.load import load, load_bytes
from ingest.readers.pdf import READER_ENV, READERS
from nlp.resources import shared_root

ROOT = Path(__file__).resolve().parents[1]
REAL = shared_root(ROOT) / "real-notices"
CORPUS = sorted([*ROOT.glob("corpora/notices/*.pdf"), *ROOT.glob("corpora/renderings/*.pdf"), *REAL.glob("*.pdf")])


def parsed(path: Path, monkeypatch) -> dict[str, dict | str]:
    """Each reader's document as a dict, or the error it raised."""
    out: dict[str, dict | str] = {}
    for reader in READERS:
        monkeypatch.setenv(READER_ENV, reader)
        try:
            out[reader] = load(path).to_dict()
        except errors.GongwenError as e:
            out[reader] = f"{type(e).__name__}: {e}"
    return out


def has_text_layer(path: Path) -> bool:
    doc = pdfium.PdfDocument(str(path))
    try:
        return any(page.get_textpage().count_chars() for page in doc)
    finally:
        doc.close()


def assert_same(docs: dict) -> None:
    a, b = (docs[r] for r in READERS)
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:  # one key at a time: a failure names what differs
            assert a[key] == b[key], key
    assert a == b


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_readers_agree_on_sample_and_real_pdfs(path, monkeypatch):
    if not has_text_layer(path):
        # A scan: both readers hand it to OCR, which this comparison need not run.
        import ingest.readers.ocr as ocr

        class Handed(errors.GongwenError):
            pass

        def handed(p):
            raise Handed(str(p))

        monkeypatch.setattr(ocr, "ocr_pdf", handed)
        for reader in READERS:
            monkeypatch.setenv(READER_ENV, reader)
            with pytest.raises(Handed):
                load(path)
        return
    docs = parsed(path, monkeypatch)
    assert isinstance(docs["pdfium"], dict), docs["pdfium"]
    assert_same(docs)


def test_the_sample_corpus_is_there():
    assert len([p for p in CORPUS if ROOT in p.parents]) >= 4


@pytest.mark.parametrize(
    "style,running_header", [("— {n} —", True), ("-{n}-", False), ("第{n}页 共4页", True), ("{n}/4", False), ("{n}", True)]
)
def test_readers_agree_on_built_notices(tmp_path, monkeypatch, style, running_header):
    info = make_notice_pdf(tmp_path / "n.pdf", page_number_style=style, running_header=running_header)
    docs = parsed(info.path, monkeypatch)
    assert docs["pdfium"]["tables"], "the built notice has a ruled table"
    assert_same(docs)


@pytest.mark.parametrize(
    "pages,kw",
    [
        ([["各单位名额如下：", "15", "请按时上报。", "合计：", "30", "以上。"]], {}),
        ([["困难职工家庭复查表", "姓名：", "单位：", "单位工会意见：", "年 月 日"]] * 4, {"size": 16, "top": 90}),
        ([["关于做好2024年职工疗休养工作的通知", "各县（市、区）总工会：", "请各单位认真贯彻执行。"]], {"overprint": True}),
        ([["Page one of a mixed page: ASCII words, numbers 1.5 and 3.28", "ﬁnance ﬂow"]], {}),
    ],
    ids=["bare-numbers", "repeated-forms", "fake-bold", "latin-ligatures"],
)
def test_readers_agree_on_built_pages(tmp_path, monkeypatch, pages, kw):
    assert_same(parsed(make_text_pdf(tmp_path / "p.pdf", pages, **kw), monkeypatch))


def test_readers_agree_on_broken_and_locked_files(tmp_path, monkeypatch):
    notice = make_notice_pdf(tmp_path / "n.pdf").path
    owner_only = parsed(encrypt_pdf(notice, tmp_path / "owner.pdf", user_password=""), monkeypatch)
    assert isinstance(owner_only["pdfium"], dict)
    assert_same(owner_only)
    for broken, error in [
        (encrypt_pdf(notice, tmp_path / "locked.pdf"), "EncryptedFile"),
        (strip_tounicode(notice, tmp_path / "cid.pdf"), "CorruptFile"),
        (truncate_file(notice, tmp_path / "half.pdf", 0.5), "CorruptFile"),
    ]:
        docs = parsed(broken, monkeypatch)
        assert all(isinstance(d, str) and d.startswith(error) for d in docs.values()), docs


@pytest.mark.parametrize("reader", READERS)
def test_an_upload_reads_as_its_file(tmp_path, monkeypatch, reader):
    # uploads reach the PDF reader as bytes (no temporary file): the same document as from disk
    monkeypatch.setenv(READER_ENV, reader)
    notice = make_notice_pdf(tmp_path / "n.pdf").path
    for path in [notice, *[p for p in CORPUS if ROOT in p.parents]]:
        from_disk, uploaded = load(path).to_dict(), load_bytes(path.read_bytes(), path.name).to_dict()
        from_disk.pop("source")
        uploaded.pop("source")
        assert uploaded == from_disk, path.name


def test_readers_agree_on_rotated_pages_and_inherited_boxes(tmp_path, monkeypatch):
    # a landscape page turned by /Rotate (pdfplumber reads it), a MediaBox moved off
    # the origin, and the page size inherited from the page tree
    import pypdf
    from pypdf.generic import NameObject

    notice = make_notice_pdf(tmp_path / "n.pdf").path
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(notice)))
    writer.pages[1].rotate(90)
    box = writer.pages[2].mediabox
    writer.pages[2].mediabox = pypdf.generic.RectangleObject([10, 20, float(box.right) + 10, float(box.top) + 20])
    writer.write(tmp_path / "turned.pdf")
    assert_same(parsed(tmp_path / "turned.pdf", monkeypatch))

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(notice)))
    root = writer._root_object["/Pages"]
    root[NameObject("/MediaBox")] = writer.pages[0]["/MediaBox"]
    for page in writer.pages:
        del page[NameObject("/MediaBox")]
    writer.write(tmp_path / "inherited.pdf")
    docs = parsed(tmp_path / "inherited.pdf", monkeypatch)
    assert isinstance(docs["pdfium"], dict), docs["pdfium"]
    assert_same(docs)
