"""A DOCX whose zip directory lies about its sizes is refused while it inflates,
without inflating it in memory (the archive is built here, byte by byte)."""
from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest

from ingest.errors import CorruptFile, SuspiciousArchive
from ingest.readers.docx import MAX_RATIO, read_docx

MB = 1024 * 1024
DOCUMENT_START = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                  b'wordprocessingml/2006/main"><w:body>')


def lying_docx(real_size: int, declared_size: int, member: str = "word/document.xml") -> bytes:
    """A zip whose `member` (word/document.xml) inflates to `real_size` bytes while both its local
    header and the central directory declare `declared_size`."""
    out, central = io.BytesIO(), []

    def add(name: str, chunks, declared: int, crc: int = 0) -> None:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        offset, raw_name = out.tell(), name.encode()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, 0, declared, len(raw_name), 0)
                  + raw_name)
        start = out.tell()
        for chunk in chunks:
            out.write(packer.compress(chunk))
        out.write(packer.flush())
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, out.tell() - start,
                                   declared, len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)

    types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    add("[Content_Types].xml", [types], len(types), zlib.crc32(types))

    def body():
        yield DOCUMENT_START
        left = real_size - len(DOCUMENT_START)
        while left > 0:
            n = min(left, MB)
            left -= n
            yield b" " * n

    add(member, body(), declared_size)
    directory = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - directory,
                          directory, 0))
    return out.getvalue()


def test_a_zip_that_lies_about_its_sizes_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "lies.docx"
    path.write_bytes(lying_docx(real_size=200 * MB, declared_size=5 * MB))
    infos = {i.filename: i for i in zipfile.ZipFile(path).infolist()}
    doc = infos["word/document.xml"]
    assert doc.file_size < MAX_RATIO * doc.compress_size  # the directory's ratio looks harmless
    tracemalloc.start()
    try:
        with pytest.raises(SuspiciousArchive) as err:
            read_docx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code == "zip_bomb" and "word/document.xml" in err.value.message
    assert peak < 20 * MB  # never more than a few steps of the 200 MB it would inflate to


def test_a_member_shorter_than_declared_is_corrupt(tmp_path):
    path = tmp_path / "short.docx"
    path.write_bytes(lying_docx(real_size=500_000, declared_size=900_000))
    with pytest.raises(CorruptFile) as err:
        read_docx(path)
    assert not isinstance(err.value, SuspiciousArchive) and "word/document.xml" in err.value.message


def test_an_ofd_that_lies_about_its_sizes_is_refused_too(tmp_path):
    from ingest.readers.ofd import read_ofd

    path = tmp_path / "lies.ofd"
    path.write_bytes(lying_docx(real_size=200 * MB, declared_size=5 * MB, member="OFD.xml"))
    tracemalloc.start()
    try:
        with pytest.raises(SuspiciousArchive) as err:
            read_ofd(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "OFD.xml" in err.value.message and peak < 20 * MB


def test_a_docx_nested_deeper_than_any_word_file_says_so(tmp_path):
    # before: "文档内容不是完整的 XML", as for a file cut short, though every tag was closed
    import random
    import zipfile

    from ingest import errors
    from ingest.read import read_path

    rng = random.Random(0)
    depth = 5000  # attributes that do not compress: below the zip-bomb ratio
    body = "".join(f'<w:p w:rsidR="{rng.getrandbits(32):08X}">' for _ in range(depth))
    body += "<w:r><w:t>关于开展职工技能竞赛的通知</w:t></w:r>" + "</w:p>" * depth
    path = tmp_path / "deep.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                                        f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    with pytest.raises(errors.CorruptFile) as e:
        read_path(path)
    assert "嵌套" in e.value.message and "不是完整的 XML" not in e.value.message, e.value.message
