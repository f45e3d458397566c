"""ingest.names: a file name's bytes read as their writer typed them (names made up here)."""
from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from ingest.names import decode_name, extended_name, repair_name


@pytest.mark.parametrize("name, encoding", [
    ("读书月通知.docx", "utf-8"), ("通知.txt", "gbk"), ("书香职工评选.pdf", "gbk"), ("张堃简历.doc", "gbk"),
    ("職工書屋評選.txt", "big5"), ("2025年工作要點（徵求意見稿）.doc", "big5"), ("Café.txt", "cp1252"),
    ("café.txt", "utf-8"), ("отчёт.docx", "utf-8"), ("①附件.txt", "gbk"), ("readme.txt", "ascii"),
])
def test_a_name_is_read_in_the_encoding_it_was_written_in(name, encoding):
    assert decode_name(name.encode(encoding)) == name


def test_mojibake_percent_escapes_and_control_characters():
    assert decode_name("读书月方案.txt".encode().decode("latin-1").encode()) == "读书月方案.txt"
    assert decode_name(quote("读书月简报.txt").encode()) == "读书月简报.txt"
    assert decode_name(b"100%25 done.txt") == "100%25 done.txt"  # escapes of ASCII stay
    assert decode_name("a\x00\x1b[1mb.txt".encode()) == "a[1mb.txt"
    assert decode_name("cafe\u0301.txt".encode()) == "caf\u00e9.txt"  # a Mac's NFD, composed


def test_extended_names():
    assert extended_name("UTF-8''" + quote("读书月活动.txt")) == "读书月活动.txt"
    assert extended_name("gbk'zh'" + quote("读书月名单.txt".encode("gbk"))) == "读书月名单.txt"
    assert extended_name("utf-8''" + quote("读书月名单.txt".encode("gbk"))) == "读书月名单.txt"  # charset wrong
    assert extended_name("no quotes at all") is None


def test_a_path_is_repaired_part_by_part():
    path = os.fsdecode("/srv/读书月/".encode() + "通知.txt".encode("gbk"))
    assert repair_name(path) == "/srv/读书月/通知.txt"
    assert repair_name("/srv/读书月/通知.txt") == "/srv/读书月/通知.txt"
    assert repair_name("/srv/%E9%80%9A.txt") == "/srv/%E9%80%9A.txt"  # a name on disk is that name
    assert repair_name("a\ud800b.txt") == "a\ud800b.txt"  # not a file system's byte: left as it is
