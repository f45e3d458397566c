"""Readers on real files built at test time (tests/fixtures_make.py): every format,
every supported text encoding, and the bad inputs users send (encrypted, scanned,
truncated, empty, binary, zip bombs, oversize, wrong extension)."""
from __future__ import annotations

import hashlib
import shutil
import zipfile

import pytest
from fixtures_make import (
    DATE,
    DOC_NUMBER,
    DOCX_TABLE,
    LETTERHEAD,
    NOTICE_TEXT,
    NUMBERED_DOCX,
    PARAGRAPHS,
    RECIPIENTS,
    REVISED_DOCX_LINE,
    RUNNING_HEADER,
    SIGNER,
    TABLE_ROWS,
    TABLE_TITLE,
    TITLE,
    WORD2003_LINES,
    encrypt_pdf,
    make_alt_chunk_docx,
    make_doc,
    make_docx,
    make_flat_opc,
    make_gov_html,
    make_junk,
    make_mht,
    make_not_docx_zip,
    make_notice_pdf,
    make_numbered_docx,
    make_old_gov_html,
    make_revised_docx,
    make_scanned_pdf,
    make_text,
    make_text_pdf,
    make_textbox_docx,
    make_word2003_xml,
    make_zip_bomb_docx,
    strip_tounicode,
    truncate_file,
)

from ingest import errors
from ingest.read import SUPPORTED, read_bytes, read_path

needs_catdoc = pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc is not installed")


def lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


# --- the notice PDF is built once per module: reportlab with a CJK TTF takes ~0.5 s ---


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory):
    return make_notice_pdf(tmp_path_factory.mktemp("pdf") / "notice.pdf")


@pytest.fixture(scope="module")
def notice_raw(notice_pdf):
    return read_path(notice_pdf.path)


# --- txt ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,bom,expected",
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8-sig"),
        ("gb18030", False, "gb18030"),
        ("gbk", False, "gb18030"),  # GBK is read as its superset GB18030
        ("gb2312", False, "gb18030"),
        ("utf-16-le", True, "utf-16-le"),
        ("utf-16-be", True, "utf-16-be"),
        ("utf-16-le", False, "utf-16-le"),
        ("utf-16-be", False, "utf-16-be"),
    ],
)
def test_txt_encodings(tmp_path, encoding, bom, expected):
    path = make_text(tmp_path / "n.txt", encoding=encoding, bom=bom, crlf=True)
    raw, src = read_path(path)
    assert raw.encoding == expected == src.encoding
    assert raw.format == src.format == "txt"
    assert "\r" not in raw.text
    assert lines(raw.text) == lines(NOTICE_TEXT)


def test_txt_gb18030_only_characters(tmp_path):
    # 㐀 (CJK Extension A) and 𠀀 exist in GB18030 but not in GBK: a GBK decode would fail.
    text = "关于㐀𠀀字库的通知\n各单位：请于2024年5月1日前上报。\n" * 3
    raw, _ = read_path(make_text(tmp_path / "x.txt", text, encoding="gb18030"))
    assert raw.encoding == "gb18030"
    assert "㐀𠀀" in raw.text


def test_txt_normalises_spaces_and_keeps_chinese_punctuation(tmp_path):
    text = "\u3000\u3000为深入贯彻落实，现通知如下：\u00a0第一条\r\n序号\t单位\t名额\r\n"
    raw, _ = read_path(make_text(tmp_path / "s.txt", text))
    assert lines(raw.text) == ["为深入贯彻落实，现通知如下： 第一条", "序号\t单位\t名额"]


@pytest.mark.parametrize(
    "encoding,text",
    [
        ("shift_jis", "労働組合の活動について、各部署は注意してください。職場の安全を守りましょう。\n"),
        ("big5", "關於開展職工技能競賽活動的通知，各單位要高度重視，認真組織實施。\n"),
    ],
)
def test_txt_other_legacy_encodings_never_mojibake(tmp_path, encoding, text):
    # Such bytes are often valid GB18030 too; the reader must not hand back mojibake.
    path = make_text(tmp_path / "x.txt", text * 5, encoding=encoding)
    try:
        raw, _ = read_path(path)
    except errors.UndecodableText:
        return
    assert lines(raw.text) == lines(text * 5)


# A traditional-Chinese notice as a Hong Kong or Taiwan editor saves it: Big5 with the
# HKSCS 〇 of a date written out (二〇二四年), which plain big5 reads as the kana ま.
BIG5_NOTICE = ("關於開展職工技能競賽活動的通知\n各區工會：\n為進一步深化勞動和技能競賽，經研究決定，"
               "開展本年度職工技能競賽活動。請各單位於六月三十日前報送參賽名單。\n市總工會\n二〇二四年五月十日\n")


def test_txt_big5_notice_with_hkscs_date_is_read_whole(tmp_path):
    raw, src = read_path(make_text(tmp_path / "b.txt", BIG5_NOTICE, encoding="big5hkscs"))
    assert lines(raw.text) == lines(BIG5_NOTICE)
    assert src.encoding == "big5hkscs"


def test_html_declaring_big5_with_hkscs_date_is_read_whole(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in lines(BIG5_NOTICE))
    page = f'<html><head><meta charset="big5"><title>通知</title></head><body>{body}</body></html>'
    p = tmp_path / "b.html"
    p.write_bytes(page.encode("big5hkscs"))
    raw, _ = read_path(p)
    assert "二〇二四年五月十日" in lines(raw.text)


@pytest.mark.parametrize("nul", [True, False])
def test_txt_binary_junk_is_undecodable(tmp_path, nul):
    with pytest.raises(errors.UndecodableText) as e:
        read_path(make_junk(tmp_path / "junk.txt", nul=nul))
    assert "编码" in str(e.value)


@pytest.mark.parametrize("data", [b"\x00\x01\x02garbage", b"\x00\x01\x02garbage" * 30, b"ab\x00cdefgh"],
                         ids=["short", "long", "one-nul"])
def test_txt_ascii_bytes_with_a_nul_are_not_read_as_utf_16(tmp_path, data):
    # before: read as UTF-16 without a BOM (Ā朂牡慢敧…, the ASCII bytes two by two), stored as a
    # notice of 0 tasks, exit 0; a UTF-16 text has NULs from its ASCII and line breaks
    path = tmp_path / "b.txt"
    path.write_bytes(data)
    with pytest.raises(errors.UndecodableText) as e:
        read_path(path)
    assert "二进制" in str(e.value)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_txt_utf_16_without_bom_of_one_short_line_is_read(tmp_path, encoding):
    path = make_text(tmp_path / "s.txt", "一、二\n", encoding=encoding)
    raw, src = read_path(path)
    assert lines(raw.text) == ["一、二"] and src.encoding == encoding


def test_txt_zip_named_txt_is_undecodable(tmp_path):
    path = tmp_path / "a.txt"
    shutil.copy(make_not_docx_zip(tmp_path / "a.zip"), path)
    with pytest.raises(errors.UndecodableText):
        read_path(path)


def test_docx_named_txt_is_read_as_docx(tmp_path):
    # never decoded as text (mojibake): its first bytes say DOCX, and the user is told
    path = tmp_path / "a.txt"
    shutil.copy(make_docx(tmp_path / "a.docx"), path)
    raw, src = read_path(path)
    assert TITLE in lines(raw.text) and src.format == "docx"
    assert any(".txt" in w and "DOCX" in w for w in raw.warnings)


def test_txt_typed_table_is_a_table(tmp_path):
    rows = ["\t".join(r).rstrip("\t") for r in TABLE_ROWS]
    text = "\n".join([TABLE_TITLE, *rows, "以上名额请于月底前落实。"])
    raw, _ = read_path(make_text(tmp_path / "t.txt", text))
    assert lines(raw.text) == [TABLE_TITLE, *rows, "以上名额请于月底前落实。"]
    (table,) = raw.tables
    assert table.title == TABLE_TITLE and table.header == TABLE_ROWS[0]
    assert raw.text[table.start : table.end] == "\n".join(rows)


def test_txt_whitespace_only_is_empty(tmp_path):
    with pytest.raises(errors.EmptyFile):
        read_path(make_text(tmp_path / "w.txt", " \u3000\n\n\t\n"))


# --- PDF ------------------------------------------------------------------------------


def test_pdf_page_numbers_and_running_header_dropped(notice_pdf, notice_raw):
    raw, src = notice_raw
    assert src.pages == notice_pdf.pages >= 3
    assert len(raw.page_starts) == notice_pdf.pages
    for n in range(1, notice_pdf.pages + 1):
        assert f"— {n} —" not in raw.text
    assert RUNNING_HEADER not in raw.text
    assert not any(ln.strip().isdigit() for ln in raw.text.split("\n"))


def test_pdf_letterhead_number_and_title_lines(notice_raw):
    raw, _ = notice_raw
    ls = lines(raw.text)
    assert ls[0] == LETTERHEAD  # letter-spaced letterhead on its own line
    assert ls[1] == DOC_NUMBER  # not merged into the letterhead or the title
    assert ls[2] == TITLE  # the title wrapped over two centred lines is one line again
    assert ls[3] == RECIPIENTS


def test_pdf_wrapped_and_page_split_paragraphs_rejoined(notice_pdf, notice_raw):
    raw, _ = notice_raw
    assert notice_pdf.split_paragraphs, "the builder must split a paragraph across pages"
    ls = lines(raw.text)
    for p in PARAGRAPHS:
        assert p in ls, p
    # the page boundary falls inside the rejoined paragraph's line
    split = notice_pdf.split_paragraphs[-1]
    start = raw.text.index(split)
    assert any(start < ps < start + len(split) for ps in raw.page_starts)
    assert raw.page_at(start + len(split) - 1) == raw.page_at(start) + 1


def test_pdf_ruled_table_as_tab_rows(notice_raw):
    raw, _ = notice_raw
    rows = ["\t".join(r).rstrip("\t") for r in TABLE_ROWS]
    ls = lines(raw.text)
    i = ls.index(rows[0])
    assert ls[i : i + len(rows)] == rows
    assert ls[i - 1] == TABLE_TITLE
    # the table's text is not written a second time around the table
    assert raw.text.count("洪桥镇总工会") == 1
    (table,) = raw.tables
    assert table.header == TABLE_ROWS[0] and table.rows == TABLE_ROWS[1:]
    assert table.title == TABLE_TITLE
    assert raw.text[table.start : table.end] == "\n".join(rows)
    assert table.page == len(raw.page_starts)
    assert ls[-2:] == [SIGNER, DATE]


@pytest.mark.parametrize("style", ["-{n}-", "- {n} -", "第{n}页 共4页", "{n}/4", "{n}"])
def test_pdf_page_number_styles(tmp_path, style):
    info = make_notice_pdf(tmp_path / "p.pdf", page_number_style=style, running_header=False)
    raw, _ = read_path(info.path)
    for n in range(1, info.pages + 1):
        assert style.format(n=n) not in lines(raw.text)
    assert lines(raw.text)[-2:] == [SIGNER, DATE]


def test_pdf_bare_number_inside_text_kept(tmp_path):
    path = make_text_pdf(tmp_path / "n.pdf", [["各单位名额如下：", "15", "请按时上报。", "合计：", "30", "以上。"]])
    raw, _ = read_path(path)
    assert lines(raw.text) == ["各单位名额如下：", "15", "请按时上报。", "合计：", "30", "以上。"]


def test_pdf_without_tounicode_is_refused_not_garbled(tmp_path, notice_pdf):
    # Neither pdfminer nor the PDFium fallback can map these glyphs: refuse, don't return (cid:…) junk.
    with pytest.raises(errors.CorruptFile) as e:
        read_path(strip_tounicode(notice_pdf.path, tmp_path / "cid.pdf"))
    assert "ToUnicode" in str(e.value)


def test_pdf_pdfium_fallback_extractor_reads_text(notice_pdf):
    from ingest.readers.pdf import _pdfium_pages

    pages = _pdfium_pages(notice_pdf.path)
    assert len(pages) == notice_pdf.pages
    assert DOC_NUMBER in [ln.text for ln in pages[0].lines]


def test_pdf_repeated_form_title_is_not_a_running_header(tmp_path):
    # Four attachment pages, each a copy of the same form: its title and its last
    # line repeat on every page, at body size, and are content.
    page = ["困难职工家庭复查表", "姓名：", "单位：", "单位工会意见：", "年 月 日"]
    raw, _ = read_path(make_text_pdf(tmp_path / "forms.pdf", [page] * 4, size=16, top=90))
    assert lines(raw.text) == page * 4


def test_pdf_centred_signature_lines_not_joined(tmp_path):
    from fixtures_make import _register_font, _wrap, draw
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    path = tmp_path / "sig.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 700
    for ln in _wrap(PARAGRAPHS[6], 16, A4[0] - 2 * 79):  # a body paragraph sets the margins
        draw(c, 79, y, ln, 16)
        y -= 28
    # a joint notice: three organs side by side, a fourth centred below, then the date
    signers = ["长兴县总工会    长兴县旅游委员会    长兴县财政局", "长兴县人力资源和社会保障局"]
    for t in [*signers, DATE]:
        y -= 28
        draw(c, 0, y, t, 16, centre=A4[0] / 2)
    c.showPage()
    c.save()
    raw, _ = read_path(path)
    assert lines(raw.text) == [PARAGRAPHS[6], signers[0].replace("    ", " "), signers[1], DATE]


@pytest.mark.parametrize(
    "line,new_block",
    [
        ("一、指导思想", True),
        ("（二）工作要求", True),
        ("3.加强督查", True),
        ("5.2018 年职工疗休养名额分配表", True),
        ("第十二条 助学帮扶", True),
        ("附件：", True),
        ("附件 2", True),
        ("抄送：市总工会", True),
        ("长 兴 县 总 工 会", True),  # letter-spaced letterhead
        ("长总工〔2018〕4 号", True),
        ("2018 年 4 月 13 日", True),
        # words that only look like labels: a wrapped line may start with them
        ("印发给你们，请认真贯彻执行。", False),
        ("附件2所列单位于月底前上报。", False),
        ("2018年3月20日前上报县总工会。", False),
        ("5倍以上的，按规定执行。", False),
        ("3.28—3.30 在县工人文化宫举办。", False),
    ],
)
def test_pdf_line_starts_a_block(line, new_block):
    from ingest.readers.pdf import stands_alone, starts_block

    assert (starts_block(line) or stands_alone(line)) is new_block


def test_pdf_fake_bold_overprint_read_once(tmp_path):
    page = [TITLE[:20], RECIPIENTS, "请各单位认真贯彻执行。"]
    raw, _ = read_path(make_text_pdf(tmp_path / "bold.pdf", [page], overprint=True))
    assert lines(raw.text) == page


def test_pdf_encrypted(tmp_path, notice_pdf):
    path = encrypt_pdf(notice_pdf.path, tmp_path / "enc.pdf")
    with pytest.raises(errors.EncryptedFile) as e:
        read_path(path)
    assert str(e.value) == "PDF 已加密，无法读取（请提供未加密的文件）"


def test_pdf_owner_password_only_is_readable(tmp_path, notice_pdf):
    # Restrictions without an open password: the file opens with the empty password.
    raw, _ = read_path(encrypt_pdf(notice_pdf.path, tmp_path / "owner.pdf", user_password=""))
    assert TITLE in raw.text


def test_pdf_scanned_is_read_by_ocr(tmp_path):
    # more on OCR in test_ocr.py; here: a scan is no longer refused, and says it was OCR'd
    raw, src = read_path(make_scanned_pdf(tmp_path / "scan.pdf", pages=1))
    assert "长兴县总工会文件" in raw.text
    assert src.ocr["engine"] and 0 < src.ocr["mean_confidence"] <= 1
    assert any("OCR" in w for w in raw.warnings)


def test_pdf_truncated(tmp_path, notice_pdf):
    with pytest.raises(errors.CorruptFile):
        read_path(truncate_file(notice_pdf.path, tmp_path / "half.pdf", 0.5))


def test_pdf_not_a_pdf(tmp_path):
    path = make_text(tmp_path / "fake.pdf", "这不是 PDF 文件")
    with pytest.raises(errors.CorruptFile):
        read_path(path)


@pytest.mark.parametrize("reader", ["pdfium", "pdfplumber"])
def test_pdf_with_a_library_missing_is_missing_tool_not_damaged(notice_pdf, monkeypatch, reader):
    # A venv still being installed (pdfplumber not there yet) had every valid text PDF
    # refused as damaged; a benchmark then skipped them. The install is at fault, not the file.
    import sys

    for name in [m for m in sys.modules if m == "pdfplumber" or m.startswith("pdfplumber.")] + ["pdfplumber"]:
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules: the import fails
    monkeypatch.setenv("GONGWEN_PDF_READER", reader)
    with pytest.raises(errors.MissingTool) as e:
        read_path(notice_pdf.path)
    assert "pdfplumber" in str(e.value) and "损坏" not in str(e.value)


# --- DOCX -----------------------------------------------------------------------------


def test_docx_paragraphs_and_table_in_order(tmp_path):
    raw, src = read_path(make_docx(tmp_path / "n.docx"))
    assert src.format == raw.format == "docx"
    ls = lines(raw.text)
    rows = ["\t".join(r) for r in DOCX_TABLE]
    i = ls.index(rows[0])
    assert ls[:i] == [DOC_NUMBER.replace(" ", ""), TITLE, RECIPIENTS, PARAGRAPHS[0], PARAGRAPHS[1]]
    assert ls[i : i + 3] == rows
    # merged cells: the horizontal merge is written once, the vMerge continuation blank
    assert ls[i + 3] == "合计\t\t全县"
    assert ls[i + 4] == PARAGRAPHS[2]
    # a tab inside a paragraph is not a table cell; a line break is a new line
    assert "联系人：张三 联系电话：0572-6022447" in ls
    assert "邮箱：test@example.com" in ls
    (table,) = raw.tables
    assert table.header == DOCX_TABLE[0]
    assert table.rows[-1] == ["合计", "", "全县", ""]
    assert raw.text[table.start : table.end].split("\n")[0] == rows[0]


def test_docx_text_inside_revisions_fields_and_content_controls_is_read(tmp_path):
    # python-docx's Paragraph.text reads only direct runs: this line was "请各单位于"
    raw, _ = read_path(make_revised_docx(tmp_path / "rev.docx"))
    assert lines(raw.text) == [REVISED_DOCX_LINE]


def test_docx_whose_body_is_an_embedded_html_chunk_is_read(tmp_path):
    # web systems export "Word" as one w:altChunk; python-docx sees an empty body
    raw, _ = read_path(make_alt_chunk_docx(tmp_path / "export.docx"))
    rows = ["\t".join(r).rstrip("\t") for r in TABLE_ROWS]
    assert lines(raw.text) == [TITLE, RECIPIENTS, *PARAGRAPHS[:4], *rows, PARAGRAPHS[-1], SIGNER]
    (table,) = raw.tables
    assert [table.header, *table.rows] == TABLE_ROWS


def test_docx_chunk_of_a_kind_not_read_is_named(tmp_path):
    # a chunk no reader takes (an image's bytes): named, not dropped without a word
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    raw, _ = read_path(make_alt_chunk_docx(tmp_path / "a.docx", kind="image/png", lead=TITLE, data=png,
                                           name="/word/afchunk.png"))
    assert lines(raw.text) == [TITLE]
    assert raw.warnings == ["文档中有一段嵌入内容（image/png）未能读取，请核对原文件"]
    with pytest.raises(errors.CorruptFile) as e:  # nothing else: not "no text", but why
        read_path(make_alt_chunk_docx(tmp_path / "b.docx", kind="image/png", data=png, name="/word/afchunk.png"))
    assert "正文是嵌入的其他格式内容" in str(e.value)


def test_docx_automatic_numbering_rendered(tmp_path):
    raw, _ = read_path(make_numbered_docx(tmp_path / "num.docx"))
    assert lines(raw.text) == [shown for _, _, shown in NUMBERED_DOCX] + ["要点"]


def test_docx_text_box_letterhead_read_once(tmp_path):
    raw, _ = read_path(make_textbox_docx(tmp_path / "box.docx"))
    assert lines(raw.text) == [LETTERHEAD.replace(" ", ""), DOC_NUMBER.replace(" ", ""), TITLE]


def test_docx_number_formats():
    from ingest.readers.docx_numbering import format_number

    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 23)] == ["一", "十", "十一", "二十三"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV" and format_number(28, "lowerLetter") == "bb"


# --- Word XML (a Word document saved as one XML file, published under a .doc name) -------


@pytest.mark.parametrize("make", [make_docx, make_numbered_docx, make_textbox_docx])
def test_word_xml_package_reads_as_the_docx_it_was_saved_from(tmp_path, make):
    docx_path = make(tmp_path / "n.docx")
    raw_docx, _ = read_path(docx_path)
    raw, src = read_path(make_flat_opc(docx_path, tmp_path / "n.doc"))
    assert src.format == raw.format == "wordxml"
    assert raw.text == raw_docx.text
    assert [t.rows for t in raw.tables] == [t.rows for t in raw_docx.tables]
    assert raw.warnings == ["文件扩展名为 .doc，实际是 Word XML 文件，已按 Word XML 读取"]


def test_word_2003_xml_reads_sections_list_labels_tables_and_revisions(tmp_path):
    raw, src = read_path(make_word2003_xml(tmp_path / "n.doc"))
    assert src.format == "wordxml"
    assert lines(raw.text) == WORD2003_LINES
    assert "此处请再核对" not in raw.text  # a reviewer's comment is no text of the notice
    (table,) = raw.tables
    assert table.rows[-1] == ["合计", "", ""]


def test_word_2003_xml_is_a_notice_with_its_checklist(tmp_path):
    from ingest.load import load
    from nlp.checklist import extract

    doc = load(make_word2003_xml(tmp_path / "n.doc"))
    assert doc.title == TITLE
    dated = [o for o in extract(doc).obligations if "活动总结" in o.text]
    assert [(d.year, d.month, d.day) for o in dated for d in o.deadlines] == [(2024, 11, 30)]


def test_word_xml_and_web_archive_uploads_read_as_the_files_do(tmp_path):
    for path in (make_word2003_xml(tmp_path / "a.doc"), make_mht(tmp_path / "b.doc")):
        raw, src = read_bytes(path.read_bytes(), "上传的通知.doc")
        assert raw.text == read_path(path)[0].text and src.name == "上传的通知.doc"


def test_word_xml_cut_short_is_a_damaged_file_in_chinese(tmp_path):
    path = make_word2003_xml(tmp_path / "n.doc")
    path.write_bytes(path.read_bytes()[:1500])
    with pytest.raises(errors.CorruptFile) as e:
        read_path(path)
    assert "Word XML 文件已损坏" in str(e.value) and "另存为 .docx" in str(e.value)


def test_word_xml_package_without_its_body_part_says_so(tmp_path):
    path = make_flat_opc(make_docx(tmp_path / "n.docx"), tmp_path / "n.doc")
    text = path.read_text(encoding="utf-8").replace('pkg:name="/word/document.xml"', 'pkg:name="/word/other.xml"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(errors.CorruptFile) as e:
        read_path(path)
    assert "/word/document.xml" in str(e.value)


def test_word_xml_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    path = make_word2003_xml(tmp_path / "n.doc")
    text = path.read_text(encoding="utf-8")
    text = text.replace("<w:wordDocument ", f'<!DOCTYPE w:wordDocument [<!ENTITY x SYSTEM "file://{secret}">]>'
                        "<w:wordDocument ", 1).replace(SIGNER, SIGNER + "&x;")
    path.write_text(text, encoding="utf-8")
    raw, _ = read_path(path)
    assert "机密内容" not in raw.text and SIGNER in raw.text


@pytest.mark.parametrize("name", ["n.doc", "n.mht"])
def test_web_archive_reads_as_the_page_inside_it(tmp_path, name):
    path = make_mht(tmp_path / name)
    raw_page, _ = read_path(path.with_suffix(".page.htm"))
    raw, src = read_path(path)
    assert src.format == raw.format == "mht"
    assert raw.text == raw_page.text and TITLE in raw.text  # GB2312 decoded from the part's header
    assert [t.rows for t in raw.tables] == [t.rows for t in raw_page.tables]
    misnamed = [w for w in raw.warnings if "扩展名" in w]
    assert misnamed == (["文件扩展名为 .doc，实际是 单个文件网页（MHT） 文件，已按 单个文件网页（MHT） 读取"]
                        if name == "n.doc" else [])


def test_web_archive_without_a_page_says_so(tmp_path):
    with pytest.raises(errors.CorruptFile) as e:
        read_path(make_mht(tmp_path / "n.doc", with_page=False))
    assert "MHT 文件中没有网页内容" in str(e.value)


@needs_catdoc
def test_docx_that_is_really_doc(tmp_path):
    raw, src = read_path(make_doc(tmp_path / "old.docx", [TITLE, PARAGRAPHS[1]]))
    assert lines(raw.text) == [TITLE, PARAGRAPHS[1]]
    assert any(".doc" in w for w in raw.warnings)


def test_docx_encrypted(tmp_path):
    with pytest.raises(errors.EncryptedFile):
        read_path(make_doc(tmp_path / "locked.docx", [TITLE], stream="EncryptedPackage"))


def test_docx_truncated(tmp_path):
    path = truncate_file(make_docx(tmp_path / "a.docx"), tmp_path / "half.docx", 0.6)
    with pytest.raises(errors.CorruptFile):
        read_path(path)


def test_docx_zip_without_document_xml(tmp_path):
    with pytest.raises(errors.CorruptFile) as e:
        read_path(make_not_docx_zip(tmp_path / "x.docx"))
    assert "word/document.xml" in str(e.value)


def test_docx_zip_bomb_refused_without_inflating(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=300)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(errors.SuspiciousArchive) as e:
        read_path(path)
    assert e.value.code == "zip_bomb"


def test_docx_high_ratio_refused(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "ratio.docx", inflated_mb=20)  # small, but ~1000:1
    with pytest.raises(errors.SuspiciousArchive):
        read_path(path)


# --- DOC ------------------------------------------------------------------------------


def test_doc_that_is_really_docx(tmp_path):
    path = tmp_path / "n.doc"
    shutil.copy(make_docx(tmp_path / "n.docx"), path)
    raw, src = read_path(path)
    assert TITLE in lines(raw.text)
    assert any(".docx" in w for w in raw.warnings)


DOC_TABLE = [["序号", "单位", "名额"], ["1", "洪桥镇总工会", "2"], ["2", "画溪街道总工会", "3"]]


@needs_catdoc
def test_doc_read_through_catdoc(tmp_path):
    paragraphs = [DOC_NUMBER.replace(" ", ""), TITLE, RECIPIENTS, *PARAGRAPHS, SIGNER, DATE]
    raw, src = read_path(make_doc(tmp_path / "old.doc", paragraphs, DOC_TABLE))
    assert src.format == raw.format == "doc"
    ls = lines(raw.text)
    assert ls[: len(paragraphs)] == paragraphs
    assert ls[len(paragraphs) :] == ["\t".join(r) for r in DOC_TABLE]
    (table,) = raw.tables
    assert table.header == DOC_TABLE[0] and table.rows == DOC_TABLE[1:]
    assert raw.text[table.start : table.end] == "\n".join("\t".join(r) for r in DOC_TABLE)


@needs_catdoc
def test_doc_word95_gbk_8bit_text(tmp_path):
    paragraphs = [TITLE, *PARAGRAPHS[:3]]
    raw, src = read_path(make_doc(tmp_path / "w95.doc", paragraphs, legacy_gbk=True))
    assert lines(raw.text) == paragraphs
    assert src.encoding == "gb18030"


@needs_catdoc
def test_doc_read_bytes(tmp_path):
    data = make_doc(tmp_path / "old.doc", [TITLE, PARAGRAPHS[1]]).read_bytes()
    raw, src = read_bytes(data, "旧通知.doc")
    assert lines(raw.text) == [TITLE, PARAGRAPHS[1]] and src.format == "doc"


def test_doc_without_catdoc_is_missing_tool(tmp_path, monkeypatch):
    path = make_doc(tmp_path / "old.doc", [TITLE])
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(errors.MissingTool) as e:
        read_path(path)
    assert str(e.value) == "需要系统工具 catdoc 才能读取 .doc 文件：apt-get install catdoc"


@pytest.mark.parametrize("kind", ["fib-flag", "encrypted-docx-renamed"])
def test_doc_encrypted(tmp_path, kind):
    if kind == "fib-flag":
        path = make_doc(tmp_path / "locked.doc", [TITLE], encrypted=True)
    else:
        path = make_doc(tmp_path / "locked.doc", [TITLE], stream="EncryptedPackage")
    with pytest.raises(errors.EncryptedFile):
        read_path(path)


@pytest.mark.parametrize("name", ["locked.docx", "locked.doc", "locked.txt", "locked.pdf", "locked.ofd"])
@pytest.mark.parametrize("kind", ["EncryptedPackage", "fib-flag"])
def test_an_encrypted_office_file_is_called_encrypted_whatever_its_name(tmp_path, name, kind):
    # one content check at the read entry sends every OLE file to the reader that walks it
    path = (make_doc(tmp_path / "x.doc", [TITLE], encrypted=True) if kind == "fib-flag"
            else make_doc(tmp_path / "x.doc", [TITLE], stream="EncryptedPackage")).rename(tmp_path / name)
    with pytest.raises(errors.EncryptedFile):
        read_path(path)
    with pytest.raises(errors.EncryptedFile):
        read_bytes(path.read_bytes(), name)


@needs_catdoc
@pytest.mark.parametrize("name", ["old.docx", "old.txt", "old.pdf"])
def test_a_word97_file_under_another_name_is_read_as_doc(tmp_path, name):
    path = make_doc(tmp_path / "x.doc", [TITLE, PARAGRAPHS[1]]).rename(tmp_path / name)
    raw, src = read_path(path)
    assert lines(raw.text) == [TITLE, PARAGRAPHS[1]] and src.format == "doc"
    assert any(name[3:] in w and "Word" in w for w in raw.warnings), raw.warnings


def test_an_office_container_without_a_word_document_says_so(tmp_path):
    path = make_doc(tmp_path / "x.doc", ["x"], stream="CONTENTS").rename(tmp_path / "sheet.docx")
    with pytest.raises(errors.CorruptFile) as e:
        read_path(path)
    assert "不是 Word 文档" in e.value.message  # was: DOCX 文件已加密


@needs_catdoc
def test_doc_broken_ole_is_corrupt(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(errors.CorruptFile):
        read_path(path)


@needs_catdoc
def test_doc_truncated_is_corrupt(tmp_path):
    path = make_doc(tmp_path / "old.doc", [TITLE, *PARAGRAPHS])
    with pytest.raises(errors.CorruptFile):
        read_path(truncate_file(path, tmp_path / "half.doc", 0.3))


def test_doc_that_is_neither_ole_nor_zip(tmp_path):
    with pytest.raises(errors.CorruptFile):
        read_path(make_junk(tmp_path / "x.doc", nul=False))


# --- HTML -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312"])
def test_html_gov_page_article_only(tmp_path, encoding):
    raw, src = read_path(make_gov_html(tmp_path / "n.htm", encoding=encoding))
    assert src.format == "html"
    assert raw.encoding == ("utf-8" if encoding == "utf-8" else "gb18030")
    ls = lines(raw.text)
    assert ls[0] == TITLE
    assert DOC_NUMBER.replace(" ", "") in ls[:3]
    for p in [RECIPIENTS, *PARAGRAPHS, SIGNER, DATE]:
        assert p in ls
    rows = ["\t".join(r).rstrip("\t") for r in TABLE_ROWS]
    i = ls.index(rows[0])
    assert ls[i : i + len(rows)] == rows
    # menus, breadcrumbs, related links, footer and scripts are gone
    for junk in ("首页", "政策法规", "当前位置", "相关链接", "版权所有", "不要读取", "关于做好困难职工帮扶工作的通知"):
        assert junk not in raw.text
    (table,) = raw.tables
    assert raw.text[table.start : table.end] == "\n".join(rows)


def test_html_with_lxml_missing_is_missing_tool_not_damaged(tmp_path, monkeypatch):
    # Without lxml, bs4 has no "lxml" tree builder and raises FeatureNotFound (a ValueError):
    # a valid page was refused as 网页文件无法解析. The install is at fault, not the page.
    import bs4

    monkeypatch.setattr(bs4.builder_registry, "lookup", lambda *features: None)  # as with lxml absent
    with pytest.raises(errors.MissingTool) as e:
        read_path(make_gov_html(tmp_path / "n.htm"))
    assert "lxml" in str(e.value) and "损坏" not in str(e.value) and "无法解析" not in str(e.value)


def test_html_cited_number_in_article_is_not_the_doc_number(tmp_path):
    cited = "根据《关于加强基层工会建设的意见》（浙总工〔2023〕12号）精神，结合我县实际，现通知如下。"
    body = "".join(f"<p>{p}</p>" for p in [cited, *PARAGRAPHS])
    page = f"<html><head><title>{TITLE}</title></head><body><div id='content'>{body}</div></body></html>"
    path = tmp_path / "c.html"
    path.write_text(page, encoding="utf-8")
    raw, _ = read_path(path)
    assert lines(raw.text) == [TITLE, cited, *PARAGRAPHS]


def test_html_title_from_heading_when_title_tag_is_the_site_name(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><title>长兴县总工会</title></head><body><h1>长兴县总工会</h1>"
        f"<ul><li><a href='/1'><b>关于召开全委会议的通知</b></a></li></ul><h2>{TITLE}</h2>"
        f"<div class='content'>{body}</div></body></html>"
    )
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    raw, _ = read_path(path)
    assert lines(raw.text) == [TITLE, *PARAGRAPHS]


def test_html_article_split_over_sibling_blocks(tmp_path):
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[4:])
    page = (
        f"<html><head><title>{TITLE}_长兴县总工会</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/a'>通知公告</a></div>"
        f"<div class='main'><div class='part'>{first}</div><div class='part'>{second}</div>"
        "<div class='share'><a href='#'>分享到微信</a> <a href='#'>打印本页</a></div></div>"
        "<div class='footer'>版权所有 长兴县总工会</div></body></html>"
    )
    path = tmp_path / "split.html"
    path.write_text(page, encoding="utf-8")
    raw, _ = read_path(path)
    assert lines(raw.text) == [TITLE, *PARAGRAPHS]


def test_html_aspnet_form_wrapper_and_article_header(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (
        "<html><head><title>通知公告</title></head><body><form id='form1' method='post'>"
        "<input type='hidden' name='__VIEWSTATE' value='x'/>"
        f"<article><header><h1>{TITLE}</h1></header><div class='article-body'>{body}</div></article>"
        "</form></body></html>"
    )
    path = tmp_path / "aspx.html"
    path.write_text(page, encoding="utf-8")
    raw, _ = read_path(path)
    assert lines(raw.text) == [TITLE, *PARAGRAPHS]


def test_html_table_colspan_keeps_columns(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    table = (
        "<table><tr><th>序号</th><th>单位</th><th>名额</th></tr>"
        "<tr><td>1</td><td>洪桥镇总工会</td><td>2</td></tr><tr><td colspan='2'>合计</td><td>2</td></tr></table>"
    )
    page = f"<html><head><title>{TITLE}</title></head><body><div class='TRS_Editor'>{body}{table}</div></body></html>"
    path = tmp_path / "t.html"
    path.write_text(page, encoding="utf-8")
    raw, _ = read_path(path)
    assert lines(raw.text)[-3:] == ["序号\t单位\t名额", "1\t洪桥镇总工会\t2", "合计\t\t2"]
    assert raw.tables[0].rows[-1] == ["合计", "", "2"]


def test_html_old_table_layout_gbk(tmp_path):
    raw, _ = read_path(make_old_gov_html(tmp_path / "old.html"))
    assert raw.encoding == "gb18030"
    ls = lines(raw.text)
    assert ls[0] == TITLE
    assert ls[1] == DOC_NUMBER.replace(" ", "")
    assert ls[2:] == [RECIPIENTS, *PARAGRAPHS, SIGNER, DATE]


# --- dispatch, limits, sources ----------------------------------------------------------


def test_the_upload_page_offers_every_format_the_readers_take():
    import re
    from pathlib import Path

    page = (Path(__file__).parents[1] / "api" / "templates" / "documents.html").read_text(encoding="utf-8")
    (accept,) = re.findall(r'type="file"[^>]*accept="([^"]+)"', page)
    assert sorted(accept.split(",")) == sorted(SUPPORTED)
    assert {".pdf", ".docx", ".doc", ".wps", ".ofd", ".mht", ".txt"} <= set(SUPPORTED)


def test_unsupported_extension(tmp_path):
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(errors.UnsupportedFormat) as e:
        read_path(path)
    assert ".xlsx" in str(e.value)


def test_empty_file(tmp_path):
    for ext in SUPPORTED:
        path = tmp_path / f"empty{ext}"
        path.write_bytes(b"")
        with pytest.raises(errors.EmptyFile):
            read_path(path)


def test_size_limit_checked_before_reading(tmp_path):
    path = make_junk(tmp_path / "big.pdf", size=2048)  # not a PDF: size must fail first
    with pytest.raises(errors.FileTooLarge) as e:
        read_path(path, max_bytes=1024)
    assert "上限" in str(e.value)
    with pytest.raises(errors.FileTooLarge):
        read_bytes(path.read_bytes(), "big.pdf", max_bytes=1024)


def test_source_describes_the_file(tmp_path, notice_pdf):
    data = notice_pdf.path.read_bytes()
    raw, src = read_path(notice_pdf.path)
    assert src.sha256 == hashlib.sha256(data).hexdigest()
    assert src.size == len(data)
    assert src.name == "notice.pdf" and src.path == str(notice_pdf.path)
    assert src.pages == len(raw.page_starts)


def test_read_bytes_matches_read_path(tmp_path, notice_pdf):
    by_path, src1 = read_path(notice_pdf.path)
    by_bytes, src2 = read_bytes(notice_pdf.path.read_bytes(), "上传/通知.PDF")
    assert by_bytes.text == by_path.text
    assert src2.sha256 == src1.sha256
    assert src2.name == "通知.PDF" and src2.path is None


def test_read_bytes_gbk_text_and_docx(tmp_path):
    raw, src = read_bytes(NOTICE_TEXT.encode("gbk"), "通知.txt")
    assert src.encoding == "gb18030" and lines(raw.text) == lines(NOTICE_TEXT)
    raw, _ = read_bytes(make_docx(tmp_path / "a.docx").read_bytes(), "a.docx")
    assert TITLE in raw.text


def test_missing_file(tmp_path):
    with pytest.raises(errors.IngestError):
        read_path(tmp_path / "nope.txt")


def test_errors_carry_chinese_messages(tmp_path):
    cases = [
        (make_junk(tmp_path / "j.txt"), errors.UndecodableText),
        (make_not_docx_zip(tmp_path / "z.docx"), errors.CorruptFile),
    ]
    for path, cls in cases:
        with pytest.raises(cls) as e:
            read_path(path)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message)


def test_zip_bomb_builder_is_a_real_zip(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "b.docx", inflated_mb=5)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    assert info.file_size == 5 * 1024 * 1024 and info.compress_size < info.file_size / 100


# an RTF notice as Word writes Chinese (\uN? escapes), self-written
RTF = (b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0 "
       + "".join(f"\\u{ord(c)}?" for c in "关于开展工作的通知").encode() + b"\\par\n"
       + "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in "各单位请于3月1日前上报。").encode() + b"\\par\n}")


@needs_catdoc
@pytest.mark.parametrize("name", ["notice.doc", "notice.wps", "notice.txt"])
def test_rtf_is_read_under_a_word_or_text_name_and_labelled_rtf(tmp_path, name):
    # the warning named RTF while the stored format said doc
    path = tmp_path / name
    path.write_bytes(RTF)
    for raw, source in (read_path(path), read_bytes(RTF, name)):
        assert raw.text.splitlines()[:2] == ["关于开展工作的通知", "各单位请于3月1日前上报。"]
        assert source.format == "rtf" and any("实际是 RTF" in w for w in raw.warnings), raw.warnings


PAGE = '<!DOCTYPE html><html><head><title>404</title></head><body><h1>页面不存在</h1></body></html>'.encode()


@pytest.mark.parametrize("name", ["notice.pdf", "notice.ofd", "scan.jpg"])
def test_a_web_page_under_a_pdf_ofd_or_image_name_is_called_a_page(tmp_path, name):
    # what a download returns when the link is gone or wants a login; it was "damaged PDF"
    # (缺少 %PDF 文件头), "OFD 不是有效的 zip" or "图片已损坏"
    path = tmp_path / name
    path.write_bytes(PAGE)
    for read in (lambda: read_path(path), lambda: read_bytes(PAGE, name)):
        with pytest.raises(errors.CorruptFile) as e:
            read()
        assert "实际是网页" in e.value.message and "重新下载" in e.value.message


@pytest.mark.parametrize("name", ["page.txt", "page.doc", "page.html"])
def test_a_web_page_under_a_text_word_or_page_name_is_still_read(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(PAGE)
    raw, _ = read_path(path)
    assert "页面不存在" in raw.text


def test_doc_binary_junk_lines_are_not_read_as_text(tmp_path, monkeypatch):
    # catdoc gives some .doc files' binary data as lines of stray marks and Latin-1 letters
    # and lines of control pictures, unassigned code points and random CJK, between the real
    # paragraphs: the reader keeps the paragraphs and drops those lines (digits among them
    # too), where a short line away from such junk (a page number, a list number) stays
    from ingest.readers import doc as doc_reader

    junk = ["\t\u201d@", '"', "$", "&", "0", "2", "4", "\u00c4", "\u00ee", "\u2431\u5701D\u6100$\u6467\u7405",
            "\u4439\u4457\u00c8\u245b\u5c00$\u8460\u0280\u6467\u0c64\u00fe"]
    out = "\n".join([PARAGRAPHS[0], *junk, PARAGRAPHS[1], "第3页", "（一）", "1"]) + "\n"
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: "/usr/bin/catdoc")
    monkeypatch.setattr(doc_reader, "_run_catdoc", lambda exe, path, *extra: out)
    raw = doc_reader._catdoc(tmp_path / "old.doc")
    assert lines(raw.text) == [PARAGRAPHS[0], PARAGRAPHS[1], "第3页", "（一）", "1"]
