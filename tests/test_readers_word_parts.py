"""Word text outside the body: footnotes and endnotes (read as the notice's text, after
the paragraph that refers to them), page headers and footers (kept apart from the text,
page numbers dropped). Real files: python-docx documents with footnote and endnote parts
added through its package API, and Word 2003 XML as Word writes it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures_make import PARAGRAPHS, RECIPIENTS, SIGNER, TABLE_ROWS, TITLE, make_flat_opc

from ingest.load import load
from ingest.read import read_bytes, read_path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'
HEADER = "长兴县总工会规范性文件"
FOOTER_NOTE = "本通知由县总工会经济工作部负责解释"
FOOTNOTE = "示范点是指职工人数在100人以上、已建立工会组织的企业。"
FOOTNOTE_2 = "名额不足的可由县总工会调剂。"
ENDNOTE = "联系人：张三，电话：1234567。"
TABLE_NOTE = "含新建工会。"


def lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


def _complex_field(instr: str, shown: str) -> str:
    return (f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r {W}><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r {W}><w:t>{shown}</w:t></w:r>'
            f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>')


def _ref(kind: str, i: int, custom: str | None = None) -> str:
    attr = ' w:customMarkFollows="1"' if custom else ""
    run = f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="{i}"{attr}/></w:r>'
    return run + (f'<w:r {W}><w:t>{custom}</w:t></w:r>' if custom else "")


def _notes_xml(kind: str, notes: dict[int, str]) -> bytes:
    sep = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
           f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')
    body = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:{kind}>'
                   for i, t in notes.items())
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {W}>{sep}{body}</w:{kind}s>'.encode()


def make_notes_docx(path: Path, *, footnotes: bytes | None = None) -> Path:
    """A notice as Word saves it with a running header (the issuer's rule-book line), a
    footer of "— PAGE —" and "第 PAGE 页 共 NUMPAGES 页" fields and a line of text, two
    footnotes on one paragraph, one with a custom mark in a table cell, and an endnote."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = HEADER
    footer = section.footer
    footer.paragraphs[0]._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve">— </w:t></w:r>'))
    footer.paragraphs[0]._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    footer.paragraphs[0]._p.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve"> —</w:t></w:r>'))
    p = footer.add_paragraph("第 ")
    for xml in (_complex_field("PAGE", "1"), f'<w:r {W}><w:t xml:space="preserve"> 页 共 </w:t></w:r>',
                _complex_field("NUMPAGES", "3"), f'<w:r {W}><w:t xml:space="preserve"> 页</w:t></w:r>'):
        for el in parse_xml(f"<w:p {W}>{xml}</w:p>"):
            p._p.append(el)
    footer.add_paragraph(FOOTER_NOTE)

    d.add_paragraph(TITLE)
    d.add_paragraph(RECIPIENTS)
    d.add_paragraph(PARAGRAPHS[2])
    p = d.add_paragraph(PARAGRAPHS[3][:20])
    p._p.append(parse_xml(_ref("footnote", 1)))
    p.add_run(PARAGRAPHS[3][20:])
    p._p.append(parse_xml(_ref("footnote", 2)))
    table = d.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_ROWS[0]))
    for r, row in enumerate(TABLE_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for el in parse_xml(f"<w:p {W}>{_ref('footnote', 3, custom='*')}</w:p>"):
        table.cell(3, 3).paragraphs[0]._p.append(el)
    p = d.add_paragraph(PARAGRAPHS[-1])
    p._p.append(parse_xml(_ref("endnote", 1)))
    d.add_paragraph(SIGNER)
    for kind, notes, ct, rt in (("footnote", {1: FOOTNOTE, 2: FOOTNOTE_2, 3: TABLE_NOTE}, CT.WML_FOOTNOTES, RT.FOOTNOTES),
                                ("endnote", {1: ENDNOTE}, CT.WML_ENDNOTES, RT.ENDNOTES)):
        xml = footnotes if kind == "footnote" and footnotes is not None else _notes_xml(kind, notes)
        d.part.relate_to(Part(PackURI(f"/word/{kind}s.xml"), ct, xml, d.part.package), rt)
    d.save(str(path))
    return Path(path)


ROWS = ["\t".join(r).rstrip("\t") for r in TABLE_ROWS]
EXPECTED = [TITLE, RECIPIENTS, PARAGRAPHS[2], PARAGRAPHS[3], f"注1：{FOOTNOTE}", f"注2：{FOOTNOTE_2}",
            *ROWS[:3], ROWS[3] + "*", f"注*：{TABLE_NOTE}", PARAGRAPHS[-1], f"尾注1：{ENDNOTE}", SIGNER]


def test_docx_notes_are_read_after_what_they_explain_and_page_numbers_are_not(tmp_path):
    # before: footnotes and endnotes were lost without a word; headers and footers too
    path = make_notes_docx(tmp_path / "n.docx")
    raw, source = read_path(path)
    assert lines(raw.text) == EXPECTED
    assert source.page_headers == [HEADER]
    assert source.page_footers == [FOOTER_NOTE]  # "— 1 —" and "第 1 页 共 3 页" are page numbers
    assert not any(ch.isdigit() for ch in "".join(source.page_footers))
    up_raw, up_source = read_bytes(path.read_bytes(), "上传.docx")
    assert up_raw.text == raw.text and up_source.page_headers == [HEADER]


def test_a_header_line_is_not_taken_for_the_title_or_the_letterhead(tmp_path):
    doc = load(make_notes_docx(tmp_path / "n.docx"))
    assert doc.title == TITLE
    assert HEADER not in doc.text and doc.letterhead != HEADER
    assert doc.source.page_headers == [HEADER]
    stored = type(doc).from_dict(doc.to_dict())  # what the store keeps and gives back
    assert stored.source.page_headers == [HEADER] and stored.source.page_footers == [FOOTER_NOTE]


def test_a_damaged_footnotes_part_is_named_and_the_rest_is_read(tmp_path):
    # python-docx never parses the notes: a cut-off footnotes.xml must not cost the body
    raw, _ = read_path(make_notes_docx(tmp_path / "n.docx", footnotes=_notes_xml("footnote", {1: FOOTNOTE})[:-40]))
    assert lines(raw.text) == [ln for ln in EXPECTED if not ln.startswith("注")]
    assert raw.warnings == ["文档的脚注部分已损坏，脚注未能读取，请核对原文件"]


def test_word_xml_package_reads_notes_and_margins_as_the_docx(tmp_path):
    docx_path = make_notes_docx(tmp_path / "n.docx")
    raw_docx, source_docx = read_path(docx_path)
    raw, source = read_path(make_flat_opc(docx_path, tmp_path / "n.xml.doc"))
    assert raw.text == raw_docx.text
    assert (source.page_headers, source.page_footers) == (source_docx.page_headers, source_docx.page_footers)


def _w2003_para(text: str, extra: str = "") -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r>{extra}</w:p>"


def write_word2003(path: Path, body: str, sect: str) -> Path:
    """A Word 2003 XML document (`.doc` as Word saves it) of `body` paragraphs and `sect`
    section properties (headers, footers)."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" '
        'xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint">'
        f"<w:body><wx:sect>{body}{sect}</wx:sect></w:body></w:wordDocument>",
        encoding="utf-8",
    )
    return Path(path)


def make_word2003_notes(path: Path) -> Path:
    """Word 2003 XML writes a note inline, inside the run that refers to it, and the
    header and footer inside the section properties."""
    para = _w2003_para
    note = f'<w:r><w:footnote><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t> {FOOTNOTE}</w:t></w:r></w:p></w:footnote></w:r>'
    endnote = f'<w:r><w:endnote><w:p><w:r><w:t>{ENDNOTE}</w:t></w:r></w:p></w:endnote></w:r>'
    page = '<w:r><w:t>— </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple><w:r><w:t> —</w:t></w:r>'
    sect = (f'<w:sectPr><w:hdr w:type="odd">{para(HEADER)}</w:hdr>'
            f'<w:ftr w:type="odd"><w:p>{page}</w:p></w:ftr></w:sectPr>')
    body = (para(TITLE) + para(RECIPIENTS) + para(PARAGRAPHS[3], note) + para(PARAGRAPHS[-1], endnote)
            + para(SIGNER))
    return write_word2003(path, body, sect)


def test_word_2003_xml_notes_follow_their_paragraph_instead_of_splitting_it(tmp_path):
    # before: the note's text was read into the middle of the paragraph that refers to it
    raw, source = read_path(make_word2003_notes(tmp_path / "n.doc"))
    assert lines(raw.text) == [TITLE, RECIPIENTS, PARAGRAPHS[3], f"注1：{FOOTNOTE}",
                               PARAGRAPHS[-1], f"尾注1：{ENDNOTE}", SIGNER]
    assert source.page_headers == [HEADER] and source.page_footers == []


# --- embedded chunks (w:altChunk) of other kinds than HTML ---------------------------------

# an RTF notice as Word writes Chinese (\uN with a one-byte fallback), self-written
RTF = (b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0 "
       + "".join(f"\\u{ord(c)}?" for c in TITLE).encode() + b"\\par\n"
       + "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in PARAGRAPHS[-1]).encode() + b"\\par\n}")


def _chunks(tmp_path: Path) -> dict[str, tuple[str, str, bytes]]:
    """kind -> (content type, part name, bytes) of files merged into a DOCX as Word does."""
    import docx
    from fixtures_make import make_mht

    inner = docx.Document()
    for text in (TITLE, RECIPIENTS, PARAGRAPHS[-1]):
        inner.add_paragraph(text)
    inner.save(str(tmp_path / "inner.docx"))
    return {
        "rtf": ("application/rtf", "/word/afchunk.rtf", RTF),
        "mht": ("message/rfc822", "/word/afchunk.mht", make_mht(tmp_path / "inner.mht").read_bytes()),
        "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                 "/word/afchunk.docx", (tmp_path / "inner.docx").read_bytes()),
    }


@pytest.mark.parametrize("kind", ["rtf", "mht", "docx"])
def test_a_chunk_of_rtf_mht_or_docx_reads_as_the_file_itself_reads(tmp_path, kind):
    # before: only named in a warning ("嵌入内容（application/rtf）未能读取"), its text lost
    from fixtures_make import make_alt_chunk_docx

    if kind == "rtf" and shutil.which("catdoc") is None:
        pytest.skip("catdoc is not installed")
    ctype, name, data = _chunks(tmp_path)[kind]
    alone = tmp_path / f"alone{Path(name).suffix.replace('.rtf', '.doc')}"  # (.rtf is no name we take)
    alone.write_bytes(data)
    expected, _ = read_path(alone)
    raw, _ = read_path(make_alt_chunk_docx(tmp_path / "merged.docx", kind=ctype, data=data, name=name, lead=SIGNER))
    assert lines(raw.text) == [SIGNER, *lines(expected.text)]
    assert [t.rows for t in raw.tables] == [t.rows for t in expected.tables]
    assert not any("未能读取" in w for w in raw.warnings), raw.warnings


def test_a_damaged_chunk_is_named_with_the_reason_and_the_rest_is_read(tmp_path):
    from fixtures_make import make_alt_chunk_docx

    ctype, name, data = _chunks(tmp_path)["docx"]
    raw, _ = read_path(make_alt_chunk_docx(tmp_path / "m.docx", kind=ctype, data=data[:200], name=name, lead=TITLE))
    assert lines(raw.text) == [TITLE]
    (warning,) = raw.warnings
    assert warning.startswith("文档中有一段嵌入内容（DOCX）未能读取：") and "损坏" in warning


# --- a package python-docx refuses while its body is whole ---------------------------------


def _damaged(src: Path, dst: Path, name: str, data: bytes | None) -> Path:
    """`src` with member `name` replaced by `data` (None: left out)."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == name:
                if data is not None:
                    zout.writestr(info, data)
            else:
                zout.writestr(info, zin.read(info.filename))
    return dst


@pytest.mark.parametrize("name, data", [
    ("docProps/core.xml", b"garbage"),  # the document properties
    ("word/styles.xml", None),
    ("[Content_Types].xml", None),
    ("word/_rels/document.xml.rels", b"<Relationships"),
])
def test_a_docx_with_a_damaged_side_part_is_read_from_its_body(tmp_path, name, data):
    # before: "DOCX 文件已损坏，无法打开" — the whole notice refused for a part Word repairs
    from fixtures_make import make_numbered_docx

    healthy = make_notes_docx(tmp_path / "ok.docx")
    raw_ok, _ = read_path(healthy)
    raw, _ = read_path(_damaged(healthy, tmp_path / "bad.docx", name, data))
    assert raw.text == raw_ok.text  # body, tables and notes all there
    assert raw.warnings[0].startswith("DOCX 文件的部分结构已损坏（") and name in raw.warnings[0]
    numbered = make_numbered_docx(tmp_path / "num.docx")  # Word's numbering still rendered
    assert read_path(_damaged(numbered, tmp_path / "num-bad.docx", name, data))[0].text == read_path(numbered)[0].text


# --- a letterhead in VML WordArt --------------------------------------------------------------


def make_word_art_docx(path: Path) -> Path:
    """A notice whose red letterhead is VML WordArt (v:textpath), as templates made before
    Word 2010 keep it; plus a DrawingML shape with its VML copy in mc:Fallback, whose text
    box is what Word shows (the copy must not be read twice)."""
    import docx
    from docx.oxml import parse_xml
    from fixtures_make import DOC_NUMBER, LETTERHEAD

    ns = (f'{W} xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
    art = LETTERHEAD.replace(" ", "")
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {ns}><w:pict><v:shape id="PowerPlusWaterMarkObject" type="#_x0000_t136" '
        f'style="width:400pt;height:50pt" fillcolor="red" stroked="f"><v:textpath style="font-family:&quot;方正小标宋简体&quot;" '
        f'string="{art}"/></v:shape></w:pict></w:r>'))
    d.add_paragraph(DOC_NUMBER.replace(" ", ""))
    box = "<w:txbxContent><w:p><w:r><w:t>（此件公开发布）</w:t></w:r></w:p></w:txbxContent>"
    p = d.add_paragraph(TITLE)
    p._p.append(parse_xml(
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp>'
        f'</mc:Choice><mc:Fallback><w:pict><v:shape><v:textpath string="（此件公开发布）"/><v:textbox>{box}</v:textbox>'
        '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    d.add_paragraph(PARAGRAPHS[3])
    d.save(str(path))
    return Path(path)


def test_a_letterhead_in_word_art_is_read_and_found(tmp_path):
    # before: the WordArt letterhead was not read (python-docx reads runs' w:t only)
    from fixtures_make import DOC_NUMBER, LETTERHEAD

    path = make_word_art_docx(tmp_path / "art.docx")
    raw, _ = read_path(path)
    art = LETTERHEAD.replace(" ", "")
    assert lines(raw.text) == [art, DOC_NUMBER.replace(" ", ""), "（此件公开发布）", TITLE, PARAGRAPHS[3]]
    doc = load(path)
    assert doc.letterhead and doc.letterhead.replace(" ", "") == art and doc.title == TITLE


# --- a letterhead in the first page's header ---------------------------------------------------


def make_header_letterhead_docx(path: Path, *, first: str | None, default: str | None,
                                body_letterhead: str | None = None, header_number: str | None = None,
                                body_number: bool = True) -> Path:
    """A notice whose red letterhead Word keeps in the first page's own header (`first`,
    with 首页不同 on) while later pages show `default`; the body opens on the 文号 (or on
    `body_letterhead`) and is signed with its date only, so the issuer comes from the head.
    `header_number`: a 文号 printed under the letterhead in that header; `body_number`
    False: the body opens on the title."""
    import docx
    from fixtures_make import DATE, DOC_NUMBER

    d = docx.Document()
    section = d.sections[0]
    if first is not None:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = first
        if header_number:
            section.first_page_header.add_paragraph(header_number)
    if default is not None:
        section.header.paragraphs[0].text = default
    head = ([body_letterhead] if body_letterhead else []) + ([DOC_NUMBER] if body_number else [])
    for text in head + [TITLE, RECIPIENTS, *PARAGRAPHS, DATE]:
        d.add_paragraph(text)
    d.save(str(path))
    return Path(path)


def test_a_letterhead_in_the_first_page_header_is_the_letterhead_and_names_the_issuer(tmp_path):
    # before: kept in page_headers only; the notice had no letterhead and no issuer
    from fixtures_make import LETTERHEAD, RUNNING_HEADER, SIGNER

    path = make_header_letterhead_docx(tmp_path / "h.docx", first=LETTERHEAD, default=RUNNING_HEADER)
    doc = load(path)
    assert doc.letterhead == "长兴县总工会文件" and doc.issuer == SIGNER
    assert doc.title == TITLE and doc.doc_number == "长总工〔2024〕7号"
    assert LETTERHEAD not in doc.text  # a header is still no part of the reading text
    assert doc.source.first_page_header == [LETTERHEAD]
    assert doc.source.page_headers == [LETTERHEAD, RUNNING_HEADER]  # nothing the header says is lost
    stored = type(doc).from_dict(doc.to_dict())
    assert stored.source.first_page_header == [LETTERHEAD]
    from nlp.checklist import extract

    meta = extract(doc).to_dict()["document"]
    assert (meta["letterhead"], meta["issuer"]) == ("长兴县总工会文件", SIGNER)


def test_only_the_header_the_first_page_shows_counts_and_the_body_letterhead_wins(tmp_path):
    from fixtures_make import LETTERHEAD

    # 首页不同 on with an empty first-page header: the organ in the later pages' header is not
    # over the notice
    doc = load(make_header_letterhead_docx(tmp_path / "a.docx", first="", default="长兴县总工会"))
    assert doc.letterhead is None and doc.source.first_page_header == []
    # without 首页不同 the default header is on the first page too
    doc = load(make_header_letterhead_docx(tmp_path / "b.docx", first=None, default="长兴县总工会"))
    assert doc.letterhead == "长兴县总工会" and doc.issuer == "长兴县总工会"
    # a header that names no organ (规范性文件) is no letterhead
    doc = load(make_header_letterhead_docx(tmp_path / "c.docx", first="长兴县总工会规范性文件", default=None))
    assert doc.letterhead is None
    # the body's own letterhead decides over the header's
    doc = load(make_header_letterhead_docx(tmp_path / "d.docx", first="湖州市总工会", default=None,
                                           body_letterhead=LETTERHEAD))
    assert doc.letterhead.replace(" ", "") == "长兴县总工会文件"


def test_word_2003_xml_first_page_header_is_read_as_the_docx_one(tmp_path):
    from fixtures_make import LETTERHEAD

    para = _w2003_para
    sect = (f'<w:sectPr><w:hdr w:type="odd">{para("长兴县总工会规范性文件")}</w:hdr>'
            f'<w:hdr w:type="first">{para(LETTERHEAD)}</w:hdr><w:titlePg/></w:sectPr>')
    from fixtures_make import DOC_NUMBER

    body = "".join(para(t) for t in (DOC_NUMBER, TITLE, RECIPIENTS, PARAGRAPHS[3]))
    doc = load(write_word2003(tmp_path / "h.doc", body, sect))
    assert doc.source.first_page_header == [LETTERHEAD] and doc.letterhead == "长兴县总工会文件"


def test_a_doc_number_in_the_first_page_header_is_the_doc_number(tmp_path):
    # before: the 文号 printed under a header letterhead was kept in page_headers only: the
    # notice had no 文号 (and nothing for the issuer's abbreviation to match)
    from fixtures_make import DOC_NUMBER, LETTERHEAD, RUNNING_HEADER, SIGNER

    doc = load(make_header_letterhead_docx(tmp_path / "h.docx", first=LETTERHEAD, default=RUNNING_HEADER,
                                           header_number=DOC_NUMBER, body_number=False))
    assert doc.doc_number == "长总工〔2024〕7号" and doc.letterhead == "长兴县总工会文件"
    assert doc.issuer == SIGNER and doc.title == TITLE
    assert DOC_NUMBER not in doc.text and doc.source.first_page_header == [LETTERHEAD, DOC_NUMBER]
    # the body's own 文号 decides over the header's
    doc = load(make_header_letterhead_docx(tmp_path / "b.docx", first=LETTERHEAD, default=None,
                                           header_number="长总工〔2023〕99号"))
    assert doc.doc_number == "长总工〔2024〕7号"
    # a 文号 in the header of the later pages only is not the notice's
    doc = load(make_header_letterhead_docx(tmp_path / "c.docx", first="", default=DOC_NUMBER, body_number=False))
    assert doc.doc_number is None


def test_word_2003_xml_doc_number_in_the_first_page_header_is_read(tmp_path):
    from fixtures_make import DOC_NUMBER, LETTERHEAD

    para = _w2003_para
    sect = f'<w:sectPr><w:hdr w:type="first">{para(LETTERHEAD)}{para(DOC_NUMBER)}</w:hdr><w:titlePg/></w:sectPr>'
    body = "".join(para(t) for t in (TITLE, RECIPIENTS, PARAGRAPHS[3]))
    doc = load(write_word2003(tmp_path / "h.doc", body, sect))
    assert doc.doc_number == "长总工〔2024〕7号" and doc.letterhead == "长兴县总工会文件" and doc.title == TITLE
