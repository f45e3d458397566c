"""RTF in the ways programs write Chinese (self-written by the RTF specification, as the
RTF of tests/test_readers.py): GBK bytes as \\'hh escapes (WordPad, TextEdit, Word under
\\ansicpg936) mixed with ASCII, \\uN with its two GBK bytes as fallback under \\uc2, and
characters above U+7FFF as negative \\uN. catdoc alone turned each into Latin-1 letters
or "?" in the middle of the text, silently."""
from __future__ import annotations

import random
import shutil

import pytest

from ingest.read import read_bytes, read_path

pytestmark = pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc is not installed")

LINES = ["关于开展2024年度职工技能竞赛的通知", "各单位：请于6月30日前将名单报送县总工会（联系电话：1234567）。"]
HEAD = b"{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}}\\f0 "


def _gbk(text: str) -> bytes:  # WordPad: every byte above 0x7F as \'hh, ASCII as it is
    return b"".join(b"\\'%02x" % b if b > 0x7F else bytes([b]) for b in text.encode("gbk"))


def _u_with_fallback(text: str) -> bytes:  # \uN then the character's GBK bytes (\uc2)
    return b"".join(b"\\u%d" % (ord(c) if ord(c) < 32768 else ord(c) - 65536)
                    + b"".join(b"\\'%02x" % b for b in c.encode("gbk")) if ord(c) > 127 else c.encode()
                    for c in text)


def _negative_u(text: str) -> bytes:  # \uN? with N signed 16-bit, as the specification says
    return b"".join(b"\\u%d?" % (ord(c) if ord(c) < 32768 else ord(c) - 65536) if ord(c) > 127 else c.encode()
                    for c in text)


RTFS = {
    "gbk-bytes": HEAD + b"\\par ".join(_gbk(t) for t in LINES) + b"\\par}",
    "u-with-gbk-fallback": HEAD.replace(b"\\deff0", b"\\uc2\\deff0") + b"\\par ".join(_u_with_fallback(t) for t in LINES) + b"\\par}",
    "negative-u": HEAD + b"\\par ".join(_negative_u(t) for t in LINES) + b"\\par}",
    "mixed": HEAD + _gbk(LINES[0]) + b"\\par " + _negative_u(LINES[1]) + b"\\par}",
}


@pytest.mark.parametrize("kind", sorted(RTFS))
def test_chinese_rtf_reads_whole_however_it_is_written(tmp_path, kind):
    data = RTFS[kind]
    path = tmp_path / "notice.doc"  # how RTF notices are published
    path.write_bytes(data)
    for raw, source in (read_path(path), read_bytes(data, "notice.doc")):
        assert raw.text.split("\n") == LINES
        assert source.format == "rtf"


def test_an_rtf_file_under_its_own_name_is_read_and_a_folder_takes_it(tmp_path):
    # before: a folder skipped .rtf files (跳过 .rtf 1 个) though the reader existed
    from api.service.documents import supported_extensions

    path = tmp_path / "notice.rtf"
    path.write_bytes(RTFS["gbk-bytes"])
    raw, source = read_path(path)
    assert raw.text.split("\n") == LINES and source.format == "rtf"
    assert not any("扩展名" in w for w in raw.warnings), raw.warnings
    assert ".rtf" in supported_extensions()
    page = tmp_path / "page.rtf"  # a web page saved under a Word name is read as the page
    page.write_bytes("<html><body><p>关于开展职工技能竞赛的通知</p></body></html>".encode())
    assert "关于开展职工技能竞赛的通知" in read_path(page)[0].text


# --- tables ----------------------------------------------------------------------------------

ROWS = [["序号", "单位", "名额", "备注"], ["1", "洪桥镇总工会", "2", "含示范点"], ["2", "画溪街道总工会", "3", ""]]
TITLE = "名额分配表"
CONTACT = ["联系人：张三", "联系电话：1234567"]
AFTER = "请各单位于6月30日前报送。"


def _word_table_rtf() -> bytes:
    """A table as Word writes RTF (row properties before the cells and again, in a group,
    before \\row; each cell's paragraphs marked \\intbl, the second paragraph of a cell after
    \\par), the Chinese as GBK \\'hh escapes, a paragraph with a line break (\\line) under it."""
    widths = b"".join(b"\\clbrdrt\\brdrs\\cellx%d" % (1500 * (i + 1)) for i in range(4))
    props = b"\\trowd \\irow0\\irowband0\\trgaph108\\trleft-108" + widths
    out = HEAD + _gbk(TITLE) + b"\\par\n"
    for r, row in enumerate(ROWS):
        out += props + b"\n"
        for c, cell in enumerate(row):
            para = b"\\pard\\plain \\ql \\li0\\ri0\\widctlpar\\intbl\\aspalpha {\\f0 "
            if (r, c) == (1, 1):  # a cell of two paragraphs: 洪桥镇 / 总工会
                out += para + _gbk(cell[:3]) + b"\\par }" + para + _gbk(cell[3:]) + b"}\\cell \n"
            else:
                out += para + _gbk(cell) + b"}\\cell \n"
        out += b"\\pard\\plain \\ql \\li0\\ri0\\widctlpar\\intbl {" + props + b"\\row }\n"
    out += b"\\pard\\plain \\ql {\\f0 " + _gbk(CONTACT[0]) + b"\\line " + _gbk(CONTACT[1]) + b"\\par }"
    return out + b"\\pard {\\f0 " + _gbk(AFTER) + b"\\par }}"


def _same_docx(path):
    """The same notice made with python-docx: what the DOCX reader gives is the reference."""
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE)
    table = d.add_table(rows=len(ROWS), cols=len(ROWS[0]))
    for r, row in enumerate(ROWS):
        for c, cell in enumerate(row):
            if (r, c) == (1, 1):
                table.cell(r, c).text = cell[:3]
                table.cell(r, c).add_paragraph(cell[3:])
            else:
                table.cell(r, c).text = cell
    p = d.add_paragraph(CONTACT[0])
    p.runs[0].add_break()
    p.add_run(CONTACT[1])
    d.add_paragraph(AFTER)
    d.save(str(path))
    return path


def test_an_rtf_table_keeps_its_rows_and_cells_as_the_docx_reader_reads_them(tmp_path):
    # before: catdoc ran every cell and row into one line with the next paragraph glued on
    # (序号单位名额备注1洪桥镇…), and a \line joined its two lines
    path = tmp_path / "table.doc"
    path.write_bytes(_word_table_rtf())
    raw, source = read_path(path)
    ref, _ = read_path(_same_docx(tmp_path / "table.docx"))
    assert source.format == "rtf"
    assert [ln for ln in raw.text.split("\n") if ln] == [ln for ln in ref.text.split("\n") if ln]
    assert raw.text.split("\n")[1:4] == ["\t".join(r).rstrip("\t") for r in ROWS]
    assert [(t.header, t.rows) for t in raw.tables] == [(ROWS[0], ROWS[1:])] == [(t.header, t.rows) for t in ref.tables]
    assert CONTACT[0] in raw.text.split("\n") and CONTACT[1] in raw.text.split("\n")


def test_rtf_table_rewrite_leaves_literal_backslashes_and_binary_data_alone():
    from ingest.readers.doc import rtf_tables_for_catdoc

    # an escaped backslash followed by "cell" is text; \bin data may hold anything
    data = b"{\\rtf1 a\\\\cell b{\\pict\\bin4 \\row}\\par}"
    assert rtf_tables_for_catdoc(data) == data
    assert rtf_tables_for_catdoc(b"{\\rtf1\\trowd\\cellx100\\pard\\intbl x\\cell\\row}") == \
        b"{\\rtf1\\trowd\\cellx100\\pard\\intbl x\\u31?\\par }"


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_a_backslash_before_a_line_end_is_a_paragraph_end(tmp_path, newline):
    """The specification: a backslash followed by a line feed or carriage return is \\par
    (hand-made and some exported RTF end paragraphs so). Before: catdoc dropped it after a
    line feed and glued the two paragraphs (关于开展…的通知各单位：…), and one before a
    carriage return split a table cell's paragraphs into two rows."""
    end = b"\\" + newline
    body = HEAD + end.join(_gbk(t) for t in LINES) + end
    # a table whose second row has a cell of two paragraphs, the first ended the same way
    row = b"\\trowd\\cellx1500\\cellx3000\\pard\\intbl "
    body += row + _gbk(ROWS[0][1]) + b"\\cell " + _gbk(ROWS[0][2]) + b"\\cell\\row "
    body += row + _gbk(ROWS[1][1][:3]) + end + _gbk(ROWS[1][1][3:]) + b"\\cell " + _gbk(ROWS[1][2]) + b"\\cell\\row "
    body += b"\\pard " + _gbk(AFTER) + b"\\par}"
    path = tmp_path / "notice.rtf"
    path.write_bytes(body)
    raw, _ = read_path(path)
    assert [ln for ln in raw.text.split("\n") if ln] == [*LINES, "单位\t名额", "洪桥镇总工会\t2", AFTER]
    assert [(t.header, t.rows) for t in raw.tables] == [(["单位", "名额"], [["洪桥镇总工会", "2"]])]


def test_an_rtf_file_cut_short_is_read_and_says_so(tmp_path):
    """A download or copy that stopped early: before, read without a word (its last groups
    never closed); now read as far as it goes, with a warning the ingest shows."""
    from api.service import Gongwen
    from api.settings import Settings

    whole = RTFS["gbk-bytes"]
    raw, _ = read_bytes(whole, "notice.rtf")
    assert not any("截断" in w for w in raw.warnings)
    cut = whole[: whole.index(b"\\par ") + 30]  # into the second paragraph
    path = tmp_path / "cut.rtf"
    path.write_bytes(cut)
    raw, _ = read_path(path)
    assert raw.text.split("\n")[0] == LINES[0] and LINES[1].startswith(raw.text.split("\n")[1])
    assert any("截断" in w and "RTF" in w for w in raw.warnings), raw.warnings
    with Gongwen(Settings(data_dir=tmp_path / "data")) as svc:
        result = svc.ingest_paths([path]).results[0]
    assert result.ok and "截断" in result.warning
    # an escaped brace is text, and \bin data may hold any byte: neither counts as a group
    raw, _ = read_bytes(HEAD + _gbk(LINES[0]) + b"\\{" + b"{\\pict\\bin2 {{}\\par}", "b.rtf")
    assert not any("截断" in w for w in raw.warnings), raw.warnings


def test_rtf_that_catdoc_cannot_decode_is_called_rtf(tmp_path):
    # before: "….doc 文件内容无法正确解码…" for a file named and read as RTF
    from ingest import errors

    path = tmp_path / "junk.rtf"
    path.write_bytes(b"{\\rtf1 " + random.Random(0).randbytes(3000))  # bytes no program wrote
    with pytest.raises(errors.CorruptFile) as e:
        read_path(path)
    assert "RTF" in e.value.message and ".doc" not in e.value.message, e.value.message
