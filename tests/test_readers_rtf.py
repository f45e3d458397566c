"""RTF in the ways programs write Chinese (self-written by the RTF specification, as the
RTF of tests/test_readers.py): GBK bytes as \\'hh escapes (WordPad, TextEdit, Word under
\\ansicpg936) mixed with ASCII, \\uN with its two GBK bytes as fallback under \\uc2, and
characters above U+7FFF as negative \\uN. catdoc alone turned each into Latin-1 letters
or "?" in the middle of the text, silently."""
from __future__ import annotations

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
