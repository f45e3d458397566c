"""Reading one zip member (DOCX, OFD) without trusting its directory entry.

zipfile inflates a member's whole compressed stream in one call and only then cuts the
result to the declared size: 1 MB of deflate that claims 5 MB can take 1 GB of memory
first. Here a member is inflated `_STEP` bytes at a time and refused as soon as it
passes its declared size; a short member, an incomplete stream or a wrong checksum is
a damaged file.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO

from ingest.errors import CorruptFile, EncryptedFile, SuspiciousArchive

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature … file name length, extra field length
_STEP = 64 * 1024


def read_member(f: BinaryIO, info: zipfile.ZipInfo, label: str) -> bytes:
    """One member's bytes, inflated at most `_STEP` at a time and never past its declared size."""
    if info.flag_bits & 0x1:
        raise EncryptedFile(f"{label} 文件已加密，无法读取（请提供未加密的文件）")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise CorruptFile(f"{label} 文件使用了不支持的压缩方式（{info.filename}）")
    f.seek(info.header_offset)
    header = f.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise CorruptFile(f"{label} 文件已损坏（{info.filename} 的文件头无效）")
    _, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    f.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    out = bytearray()
    lie = SuspiciousArchive(f"{label} 文件的压缩目录与内容不符（{info.filename} 声明 {info.file_size} 字节，"
                            "实际解压后更大），疑似压缩炸弹，已拒绝")
    left = info.compress_size
    while left > 0:
        chunk = f.read(min(_STEP, left))
        if not chunk:
            raise CorruptFile(f"{label} 文件已损坏（{info.filename} 不完整）")
        left -= len(chunk)
        if inflater is None:
            out += chunk
        else:
            # a full step may leave output pending inside zlib with no input left: ask again
            full = True
            while chunk or (full and not inflater.eof):
                try:
                    piece = inflater.decompress(chunk, _STEP)
                except zlib.error as e:  # damaged deflate data (a bad copy, a flipped byte)
                    raise CorruptFile(f"{label} 文件已损坏（{info.filename} 的压缩数据无法解压）") from e
                chunk, full = inflater.unconsumed_tail, len(piece) == _STEP
                out += piece
                if len(out) > info.file_size:
                    raise lie
        if len(out) > info.file_size:
            raise lie
    if inflater is not None:
        if not inflater.eof:
            raise CorruptFile(f"{label} 文件已损坏（{info.filename} 的压缩数据不完整）")
        out += inflater.flush()
    if len(out) != info.file_size:
        raise lie if len(out) > info.file_size else CorruptFile(
            f"{label} 文件已损坏（{info.filename} 比目录声明的短）")
    if zlib.crc32(out) != info.CRC:
        raise CorruptFile(f"{label} 文件已损坏（{info.filename} 校验和不符）")
    return bytes(out)


