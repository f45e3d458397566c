"""Files as downloads leave them. Cut short (a download or a copy that stopped early): a
text file or web page cut inside its last character is read without it and says so,
instead of the whole notice being refused as "not text"; a web archive (MHT) that ends
inside its page says the text may stop short. Saved under the name of the link they
came from (downfile.jsp, getFile): read as what their first bytes say, while other
formats under names we do not read are still refused by name. Real files: the notice
encoded by Python's codecs, a web archive written by the email library, PDF, DOCX, web
page and Word 97 files from the test builders."""
from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_make import NOTICE_TEXT, SIGNER, make_gov_html, make_junk, make_mht, make_text

from ingest import errors
from ingest.read import read_bytes, read_path
from ingest.readers.txt import CUT_SHORT


def _cut_inside_last_character(data: bytes, encoding: str) -> bytes:
    """The bytes up to one byte before the end of the last non-ASCII character."""
    text = data.decode(encoding)
    last = max(i for i, ch in enumerate(text) if ord(ch) > 127)
    return text[: last + 1].encode(encoding)[:-1]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le", "utf-16"])
def test_a_text_file_cut_inside_its_last_character_is_read_and_says_so(tmp_path, encoding):
    # before: "无法识别文件的文字编码（…可能是二进制文件）", the whole notice refused
    whole = make_text(tmp_path / "whole.txt", encoding=encoding).read_bytes()
    data = _cut_inside_last_character(whole, encoding)
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    for raw, _ in (read_path(path), read_bytes(data, "cut.txt")):
        assert CUT_SHORT in raw.warnings
        assert SIGNER in raw.text and NOTICE_TEXT.startswith(raw.text.split("\n")[0])
        assert "\ufffd" not in raw.text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_text_file_followed_by_nul_bytes_is_read_and_says_so(tmp_path, encoding):
    """A save or copy stopped by a crash, or space a download set aside, leaves the text followed
    by NUL bytes. Before: 无法识别文件的文字编码（…可能是二进制文件）, the whole notice refused
    for its padding. A NUL inside the text still refuses it (as does binary)."""
    from ingest.errors import text_at_risk

    whole = make_text(tmp_path / "whole.txt", encoding=encoding).read_bytes()
    for data, cut in ((whole + b"\x00" * 4096, False), (_cut_inside_last_character(whole, encoding) + b"\x00" * 7, True)):
        path = tmp_path / "padded.txt"
        path.write_bytes(data)
        for raw, _ in (read_path(path), read_bytes(data, "padded.txt")):
            said = [w for w in raw.warnings if "空字节" in w]
            assert len(said) == 1 and text_at_risk(said[0]), raw.warnings
            nuls = len(data) - len(data.rstrip(b"\x00"))
            assert f"文件末尾有 {nuls:,} 个空字节" in said[0]
            assert (CUT_SHORT in said[0]) == cut
            assert SIGNER in raw.text and "\x00" not in raw.text and "\ufffd" not in raw.text
    inside = tmp_path / "inside.txt"
    inside.write_bytes(whole.replace("通知".encode(encoding), "通\x00知".encode(encoding), 1) + b"\x00" * 16)
    with pytest.raises(errors.UndecodableText):
        read_path(inside)


def test_a_whole_text_file_has_no_cut_warning_and_binary_is_still_refused(tmp_path):
    raw, _ = read_path(make_text(tmp_path / "whole.txt", encoding="gb18030"))
    assert CUT_SHORT not in raw.warnings
    with pytest.raises(errors.UndecodableText):
        read_path(make_junk(tmp_path / "junk.txt"))


def test_a_web_page_cut_inside_its_last_character_is_read_and_says_so(tmp_path):
    whole = make_gov_html(tmp_path / "page.html").read_bytes()
    body_end = whole.rindex("。".encode()) + 3  # just after the last full stop of the page
    data = whole[: body_end - 1]
    raw, _ = read_bytes(data, "page.html")
    assert CUT_SHORT in raw.warnings


def test_a_web_page_cut_between_characters_says_the_text_may_stop_short(tmp_path):
    # before: only a web archive (MHT) was flagged; a page cut at a character boundary
    # was read as whole, its missing end unnoticed
    whole = make_gov_html(tmp_path / "page.html").read_bytes()
    raw, _ = read_path(tmp_path / "page.html")
    assert not any("截断" in w for w in raw.warnings), raw.warnings
    cut = whole[: whole.rindex("。".encode()) + 3]  # just after the last full stop of the page
    for encoding in ("utf-8", "utf-16"):
        data = cut if encoding == "utf-8" else cut.decode("utf-8").encode("utf-16")
        p = tmp_path / f"cut-{encoding}.html"
        p.write_bytes(data)
        for raw, _ in (read_path(p), read_bytes(data, "page.html")):
            assert sum("截断" in w for w in raw.warnings) == 1, raw.warnings
    short = tmp_path / "short.html"  # a short page may leave its end tags out
    short.write_bytes("<html><body><p>关于开展职工技能竞赛的通知</p><p>请于11月30日前报送。".encode())
    assert not any("截断" in w for w in read_path(short)[0].warnings)


def test_a_web_archive_that_ends_inside_its_page_says_the_text_may_stop_short(tmp_path):
    whole = make_mht(tmp_path / "n.mht")
    raw, _ = read_path(whole)
    assert not any("截断" in w for w in raw.warnings)
    cut = tmp_path / "cut.mht"
    cut.write_bytes(whole.read_bytes().split(b"image/png")[0][:-2000])  # inside the page part
    raw, _ = read_path(cut)
    assert any("MHT" in w and "截断" in w for w in raw.warnings), raw.warnings
    # cut in the image after the page: the text is whole, nothing to say
    tail = tmp_path / "tail.mht"
    tail.write_bytes(whole.read_bytes().rstrip()[:-10])  # its closing boundary gone
    raw, _ = read_path(tail)
    assert not any("截断" in w for w in raw.warnings), raw.warnings


# --- files under the name of the link they were downloaded from --------------------------

def _named(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["downfile.jsp", "getFile", "附件1", "content.aspx"])
def test_a_notice_saved_under_its_download_link_s_name_is_read_as_what_it_is(tmp_path, name):
    # before: "不支持的文件格式：.jsp" (or "（无扩展名）") for a PDF, DOCX or page that reads fine
    from fixtures_make import TITLE, make_docx, make_gov_html, make_text_pdf

    make = {"downfile.jsp": lambda p: make_text_pdf(p, [[TITLE, "请各单位于2024年11月30日前将活动总结报送县总工会。"]]),
            "getFile": make_docx, "附件1": make_docx, "content.aspx": make_gov_html}[name]
    data = make(tmp_path / "src").read_bytes()
    for raw, source in (read_path(_named(tmp_path, name, data)), read_bytes(data, name)):
        assert TITLE in raw.text
        assert source.name == name
        said = "文件没有扩展名" if "." not in name else f"文件扩展名为 {name[name.rindex('.'):]}"
        assert any(w.startswith(said) and "已按" in w for w in raw.warnings), raw.warnings


def test_other_formats_under_names_we_do_not_read_are_still_refused_by_name(tmp_path):
    from fixtures_make import make_doc, make_not_docx_zip

    for name, data in (("名单.xlsx", make_not_docx_zip(tmp_path / "z").read_bytes()),
                       ("表.xls", make_doc(tmp_path / "x", ["一"], stream="Workbook").read_bytes()),
                       ("图.svg", '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>通知</text></svg>'.encode()),
                       ("空.jsp", b"")):
        for read in (lambda n=name, d=data: read_path(_named(tmp_path, n, d)), lambda n=name, d=data: read_bytes(d, n)):
            with pytest.raises(errors.UnsupportedFormat) as e:
                read()
            assert "不支持的文件格式" in e.value.message


@pytest.mark.db
def test_a_folder_takes_downloads_under_link_names_by_content_and_counts_the_rest(tmp_path):
    # before: a folder skipped downfile.jsp / getFile / 附件1 (跳过 .jsp 1 个、无扩展名 2 个)
    # while the same file named on the command line was read
    from backends import fresh_db_url
    from fixtures_make import TITLE, make_doc, make_docx, make_not_docx_zip, make_text_pdf

    from api.service import Gongwen
    from api.settings import Settings

    src = tmp_path / "in"
    src.mkdir()
    make_text_pdf(src / "downfile.jsp", [[TITLE, "请各单位于2024年11月30日前将活动总结报送县总工会。"]])
    make_docx(src / "getFile")
    (src / "附件1").write_bytes(make_gov_html(tmp_path / "p.html").read_bytes())
    make_not_docx_zip(src / "名单.xlsx")
    make_doc(src / "表.xls", ["一"], stream="Workbook")
    (src / "空.jsp").write_bytes(b"")
    (src / "readme").write_bytes(b"\x00\x01 not a notice")
    svc = Gongwen(Settings(data_dir=tmp_path / "data", db_url=fresh_db_url()))
    summary = svc.ingest_paths([src])
    assert sorted(Path(r.path).name for r in summary.results) == ["downfile.jsp", "getFile", "附件1"]
    assert summary.failed == 0, [r.error for r in summary.results]
    assert sorted(Path(f).name for f in summary.skipped) == ["readme", "名单.xlsx", "空.jsp", "表.xls"]
    assert svc.search(TITLE)["total"] >= 1


def test_a_text_too_long_for_one_notice_is_refused_after_reading_with_what_to_do(tmp_path):
    # before: read, then minutes of checklist and indexing (a 4 MB text: 43 CPU-s, a 50 MB
    # one past the upload's 300 s parse limit); now one Chinese line right after reading
    from ingest.read import MAX_TEXT_CHARS

    line = "请各单位于2024年11月30日前将活动总结报送县总工会。\n"
    data = (line * (MAX_TEXT_CHARS // len(line) + 2)).encode("gb18030")
    path = _named(tmp_path, "汇总.txt", data)
    for read in (lambda: read_path(path), lambda: read_bytes(data, "汇总.txt")):
        with pytest.raises(errors.FileTooLarge) as e:
            read()
        assert "文字过多" in e.value.message and "拆分" in e.value.message
    ok = _named(tmp_path, "通知.txt", (line * (MAX_TEXT_CHARS // len(line) - 2)).encode("gb18030"))
    assert len(read_path(ok)[0].text) <= MAX_TEXT_CHARS


def test_the_text_limit_is_a_setting_and_its_refusal_names_the_limit(tmp_path, monkeypatch):
    """GONGWEN_MAX_TEXT_CHARS: before, the 2-million-character limit was a constant the
    variable did not move (the file below went in whatever it said)."""
    from typer.testing import CliRunner

    from api.cli import app
    from api.service import Gongwen
    from api.settings import Settings

    line = "请各单位于2024年11月30日前将活动总结报送县总工会。\n"
    path = _named(tmp_path, "汇总.txt", (NOTICE_TEXT + line * 250).encode("gb18030"))  # ≈ 7,000 characters
    data = tmp_path / "data"
    runner = CliRunner()
    for args in (["ingest", str(path), "--data-dir", str(data)], ["checklist", str(path)], ["parse", str(path)]):
        r = runner.invoke(app, args, env={"GONGWEN_MAX_TEXT_CHARS": "5000"})
        assert r.exit_code == 1, (args, r.output)
        assert "上限为 5,000 字" in r.output and "GONGWEN_MAX_TEXT_CHARS" in r.output, r.output
    r = runner.invoke(app, ["parse", str(path)], env={"GONGWEN_MAX_TEXT_CHARS": "0"})
    assert r.exit_code == 1 and "GONGWEN_MAX_TEXT_CHARS" in r.output and "正整数" in r.output, r.output
    with Gongwen(Settings(data_dir=data)) as svc:
        assert svc.store.count_documents() == 0  # the refused file left nothing behind
    monkeypatch.setenv("GONGWEN_MAX_TEXT_CHARS", "10000")
    with Gongwen(Settings(data_dir=data)) as svc:
        assert svc.ingest_paths([path]).ingested == 1
