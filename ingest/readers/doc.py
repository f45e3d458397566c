"""Legacy Word (.doc), WPS Office (.wps) and RTF reader through the system tool `catdoc`.

WPS Office writes .wps files in the Word 97 binary format (an OLE compound file
with a WordDocument stream), which catdoc reads as it reads a .doc. Other files
named .wps (Microsoft Works documents, the pre-2005 WPS format) have no such
stream and no reader on Debian: they are refused with what is missing.

Many ".doc" files people have are something else under that name: a DOCX (zip),
a Word-saved HTML page, an RTF file. `ingest.read` recognises those by their first
bytes and hands them to the right reader (RTF to `read_rtf` here, labelled rtf); the
other readers here read OLE files only. catdoc writes table cells separated by tabs, one paragraph per line
with `-w`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile, EmptyFile, EncryptedFile, MissingTool, UnsupportedFormat
from ingest.readers.assemble import TextBuilder, normalise_newlines

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT_S = 30
_ENDOFCHAIN = 0xFFFFFFFE
_TRUNCATED = ".doc 文件不完整或已损坏（可能下载或复制时被截断）"
_ENCRYPTED = "Word 文件已加密，无法读取（请提供未加密的文件）"


def read_doc(path: Path) -> RawText:
    """A Word 97-2003 file (an OLE compound file; `ingest.read` sends other content,
    whatever its name, to the reader it needs)."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(len(OLE_MAGIC))
    if not head.startswith(OLE_MAGIC):
        raise CorruptFile("不是有效的 Word 97-2003（.doc）文件")
    check_ole(path)
    return _catdoc(path)


def read_rtf(path: Path) -> RawText:
    """An RTF file (Word's other old format, often named .doc): catdoc reads it too,
    its Chinese first put in the one form catdoc reads right (`rtf_for_catdoc`);
    labelled rtf, as the warning of a misnamed file names it."""
    data = Path(path).read_bytes()
    fixed = rtf_tables_for_catdoc(rtf_for_catdoc(data))
    if fixed == data:
        raw = _catdoc(path, rtf=True)
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="gongwen-rtf-") as tmp:
            copy = Path(tmp) / "fixed.rtf"
            copy.write_bytes(fixed)
            raw = _catdoc(copy, rtf=True)
    raw.format = "rtf"
    if rtf_cut_short(data):
        raw.warnings.append(RTF_CUT_SHORT)
    return raw


RTF_CUT_SHORT = "RTF 文件不完整（结尾缺少“}”，可能下载或复制时被截断），正文可能缺少末尾部分，请核对原文件"


def rtf_cut_short(data: bytes) -> bool:
    """Whether groups are still open at the end: a file cut short (catdoc reads what there
    is without a word). An escaped brace (\\{ \\}) is text and \\bin data is skipped, as
    a reader of RTF does."""
    depth = 0
    at = 0
    while (m := _RTF_TOKEN.search(data, at)) is not None:
        at = m.end()
        tok = m.group(0)
        if tok == b"{":
            depth += 1
        elif tok == b"}":
            depth -= 1
        elif m.group(1) == b"bin" and m.group(2):
            at = m.end() + max(0, int(m.group(2)))
    return depth > 0


# What catdoc writes for the marks `rtf_tables_for_catdoc` puts in (it passes these two
# ASCII separators through; it turns \u28 into a tab and \u30 into a line break)
_CELL_END = "\x1f"  # the end of a table cell
_CELL_BREAK = "\x1d"  # a paragraph or line break inside a cell
_RTF_TOKEN = re.compile(rb"\\(?:([a-zA-Z]{1,32})(-?\d{1,10})? ?|.)|[{}]", re.S)


def rtf_tables_for_catdoc(data: bytes) -> bytes:
    """RTF whose tables catdoc can give back: it drops \\cell and \\row, so a table came out
    as all its cells and rows run into one line, with the paragraph after the table
    glued on (A1B1C1A2B2C2After). Each \\cell becomes a mark catdoc passes through
    (`_CELL_END`), each \\row a paragraph end, and a paragraph or line break inside a cell
    (a paragraph marked \\intbl, up to its \\pard) another mark (`_CELL_BREAK`), so `_catdoc`
    reads the table's rows and cells as the DOCX reader reads a Word table. catdoc also
    drops \\line (Shift+Enter), gluing the two lines: outside a table it becomes a paragraph
    end, as the DOCX reader reads a Word line break. A nested table's cells and rows are
    breaks inside the outer cell, as the DOCX reader joins them. A backslash before a line
    feed or carriage return is \\par (the specification's other way to write it), which
    catdoc drops after a line feed. `data` unchanged when it has none of these."""
    if not any(mark in data for mark in (b"\\cell", b"\\line", b"\\\n", b"\\\r")):
        return data
    out: list[bytes] = []
    pos = 0  # what is before it is in `out`
    at = 0  # where the scan goes on
    in_table = False  # the current paragraph is a table cell's (\\intbl)
    saved: list[bool] = []  # paragraph properties are scoped by groups
    while (m := _RTF_TOKEN.search(data, at)) is not None:
        at = m.end()
        tok, word = m.group(0), m.group(1)
        if tok == b"{":
            saved.append(in_table)
        elif tok == b"}":
            in_table = saved.pop() if saved else in_table
        elif word == b"bin" and m.group(2):
            at = m.end() + max(0, int(m.group(2)))  # binary data: skipped unread, it may hold any byte
        elif word == b"pard":
            in_table = False
        elif word == b"intbl":
            in_table = True
        elif word is not None or tok in (b"\\\n", b"\\\r"):
            if word is None:
                word = b"par"  # the line end after it (and an LF after a CR) is not text in RTF
            new = None
            if word == b"cell":
                new = b"\\u31?"
            elif word == b"row":
                new = b"\\par "
            elif word in (b"nestcell", b"nestrow") or word in (b"par", b"line") and in_table:
                new = b"\\u29?"
            elif word == b"line" or tok in (b"\\\n", b"\\\r"):
                new = b"\\par "
            if new is not None:
                out += [data[pos:m.start()], new]
                pos = m.end()
    out.append(data[pos:])
    return b"".join(out)


_UC = re.compile(rb"\\uc(\d+)(?![0-9])")
_CHINESE_CODEPAGE = re.compile(rb"\\ansicpg(936|54936)(?![0-9])")
_HEX_RUN = re.compile(rb"(?:\\'[0-9a-fA-F]{2})+")
_AFTER_U = re.compile(rb"\\u-?\d+ ?$")
_NEGATIVE_U = re.compile(rb"\\u-(\d{1,5})(?![0-9])")


def rtf_for_catdoc(data: bytes) -> bytes:
    """RTF with its Chinese written as \\uN? escapes, the one form catdoc reads right.
    catdoc reads each \\'hh byte as a character of a Western code page, so GBK bytes
    (\\'b9\\'d8, how WordPad, TextEdit and Word write Chinese under \\ansicpg936) came
    out as Latin-1 letters whenever a file mixed them with anything else; and it skips one
    byte after \\uN whatever \\ucN says, so \\uN\\'b9\\'d8 under \\uc2 left a Latin-1
    letter after every character; and it prints "?" for \\u-N, the spec's way to write a
    character above U+7FFF (written as 65536 - N instead). Runs of \\'hh that are whole GBK text become \\uN?;
    the fallback bytes after \\uN are cut to one \\uN? when the file declares one count.
    `data` unchanged when it names no Chinese code page and needs neither."""
    # the spec writes characters above U+7FFF as negative numbers (Word does): catdoc
    # prints "?" for those, about 40% of the common Chinese characters
    data = _NEGATIVE_U.sub(lambda m: b"\\u%d" % (65536 - int(m.group(1))), data)
    counts = {int(m) for m in _UC.findall(data)}
    if len(counts) == 1 and (n := counts.pop()) >= 2:
        data = re.sub(rb"(\\u-?\d+) ?(?:\\'[0-9a-fA-F]{2}){%d}" % n, rb"\1?", data)
    if not _CHINESE_CODEPAGE.search(data):
        return data

    def escaped(m: re.Match) -> bytes:
        if _AFTER_U.search(data, max(0, m.start() - 12), m.start()):
            return m.group(0)  # the fallback of a \\uN catdoc reads: left as it is
        raw = bytes(int(m.group(0)[i + 2:i + 4], 16) for i in range(0, len(m.group(0)), 4))
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            return m.group(0)  # a trail byte written as a plain character: left to catdoc
        if any(ord(ch) > 0xFFFF for ch in text):
            return m.group(0)
        return b"".join(b"\\u%d?" % ord(ch) for ch in text)

    return _HEX_RUN.sub(escaped, data)


class NoWordStream(CorruptFile):
    """An OLE compound file without a WordDocument stream."""


_WPS_OTHER = (
    "无法读取此 .wps 文件：它不是 WPS 文字的 Word 97 兼容格式（缺少 WordDocument 流，"
    "可能是 Microsoft Works 或早期 WPS 格式），catdoc 无法读取，也没有可用的转换工具；"
    "请在 WPS Office 中另存为 .docx 或 .doc 后再导入"
)


def read_wps(path: Path) -> RawText:
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(len(OLE_MAGIC))
    if not head.startswith(OLE_MAGIC):
        raise UnsupportedFormat(_WPS_OTHER)
    try:
        check_ole(path)
    except NoWordStream as e:
        raise UnsupportedFormat(_WPS_OTHER) from e
    raw = _catdoc(path, kind=".wps")
    raw.format = "wps"
    return raw


def check_ole(path: Path | bytes) -> None:
    """Check the compound-file structure catdoc will walk: the FAT sectors, the
    directory and the WordDocument stream must lie inside the file. catdoc loops
    forever on a truncated file instead of failing, so this is checked first.
    `path` may be the file's bytes."""
    import struct

    data = path if isinstance(path, bytes) else Path(path).read_bytes()
    if len(data) < 1024:
        raise CorruptFile(_TRUNCATED)
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise CorruptFile(".doc 文件结构异常（扇区大小无效）")
    size = 1 << shift
    n_sectors = (len(data) - 512 + size - 1) // size
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    difat = struct.unpack_from("<109I", data, 0x4C)
    fat_sectors = [s for s in difat[: min(n_fat, 109)]]
    if not n_fat or any(s >= n_sectors for s in fat_sectors):
        raise CorruptFile(_TRUNCATED)
    fat: list[int] = []
    for sec in fat_sectors:
        off = 512 + sec * size
        if off + size > len(data):
            raise CorruptFile(_TRUNCATED)
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, off))

    def chain(start: int) -> list[int]:
        out, cur = [], start
        while cur != _ENDOFCHAIN:
            if cur >= n_sectors or cur >= len(fat) or len(out) > n_sectors:
                raise CorruptFile(_TRUNCATED)
            if 512 + cur * size + size > len(data):
                raise CorruptFile(_TRUNCATED)
            out.append(cur)
            cur = fat[cur]
        return out

    directory = b"".join(data[512 + s * size : 512 + (s + 1) * size] for s in chain(first_dir))
    for i in range(0, len(directory), 128):
        entry = directory[i : i + 128]
        name_len = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(0, name_len - 2)].decode("utf-16-le", "replace")
        if name == "EncryptedPackage":
            raise EncryptedFile(_ENCRYPTED)
        if name == "WordDocument" and entry[66] == 2:
            start, length = struct.unpack_from("<II", entry, 116)
            if length >= 4096:
                sectors = chain(start)
                if len(sectors) * size < length:
                    raise CorruptFile(_TRUNCATED)
                flags = struct.unpack_from("<H", data, 512 + sectors[0] * size + 10)[0]
                if flags & 0x0100:  # FIB fEncrypted
                    raise EncryptedFile(_ENCRYPTED)
            return
    # an Office 97-2003 container without a Word document: an Excel or PowerPoint file, or Works
    raise NoWordStream("不是 Word 文档：文件是 Office 97-2003 格式，但其中没有 Word 文档内容"
                       "（缺少 WordDocument 流，可能是 Excel 或 PowerPoint 文件）")


def _run_catdoc(exe: str, path: Path, *extra: str) -> str:
    try:
        proc = subprocess.run(
            [exe, *extra, "-d", "utf-8", "-w", str(path)],
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise CorruptFile(f"读取 .doc 文件超时（超过 {TIMEOUT_S} 秒），文件可能已损坏") from e
    out = proc.stdout.decode("utf-8", errors="replace")
    if proc.returncode != 0 and not out.strip():
        err = proc.stderr.decode("utf-8", errors="replace").strip()
        raise CorruptFile(".doc 文件已损坏，无法解析：请用 Word 或 WPS 打开后另存为 .docx 再入库",
                          detail=f"catdoc exit {proc.returncode}: {err[:300]}")
    return out


def _looks_latin1_mojibake(text: str) -> bool:
    """8-bit Chinese text (Word 6/95 files) read as a Western code page: mostly
    Latin-1 letters, almost no Chinese characters."""
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < 10:
        return False
    latin1 = sum(1 for ch in chars if 0x80 <= ord(ch) <= 0xFF)
    cjk = sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff")
    return latin1 > len(chars) * 0.3 and cjk < len(chars) * 0.05


# characters no text catdoc gives carries: NUL and the C1 controls, the Control Pictures block
# (␱), private-use and surrogate code points (unassigned ones: `binary_junk`). Not the other C0
# controls: Word's line break (0x0B), field marks and the two marks of `rtf_tables_for_catdoc`
# may come through inside real text
_JUNK_CHAR = re.compile("[\x00\x7f-\x9f\u2400-\u243f\ue000-\uf8ff\ud800-\udfff]")
# a line of one or two marks or Latin-1 letters and nothing else ($, &, Ä, ”@)
_STRAY = re.compile("[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u00a1-\u024f\u2018-\u201f]{1,2}")


def drop_binary_junk(lines: list[str]) -> list[str]:
    """`lines` without catdoc's readings of binary data (`binary_junk`), and without the
    short lines of no Chinese (0, 2, 4, :) in a run of short lines that holds such junk:
    the digits there are bytes of the same data, not page numbers."""
    out: list[str] = []
    run: list[str] = []  # consecutive short lines with no Chinese, undecided

    def short(line: str) -> bool:
        t = line.strip(" \t\u3000\u00a0")
        return len(t) <= 2 and not re.search(r"[\u4e00-\u9fff]", t)

    junk_in_run = False
    for line in lines + [None]:
        if line is not None and (short(line) or binary_junk(line.strip(" \t\u3000\u00a0"))):
            junk_in_run |= binary_junk(line.strip(" \t\u3000\u00a0"))
            run.append(line)
            continue
        if junk_in_run:
            kept = [x for x in run if not x.strip(" \t\u3000\u00a0")][:1]  # one blank line for the paragraph break
        else:
            kept = run
        out += kept
        run, junk_in_run = [], False
        if line is not None:
            out.append(line)
    return out


def binary_junk(line: str) -> bool:
    """A line catdoc made of a .doc's binary data rather than its text: some files
    (fast-saved, or with embedded objects) give runs of one-character lines ($, &, Ä)
    and lines mixing control characters, control pictures and unassigned code points
    with random CJK (␱崁榄怀墄…), which would be read as words of the notice. Such a
    line holds a character no text carries, or is one or two stray marks alone."""
    import unicodedata

    if _STRAY.fullmatch(line):
        return True
    return bool(_JUNK_CHAR.search(line)) or any(unicodedata.category(c) == "Cn" for c in line)


def _catdoc(path: Path, *, rtf: bool = False, kind: str = ".doc") -> RawText:
    """catdoc's reading of `path` as text with layout. `rtf`: the file went through
    `rtf_tables_for_catdoc`, its table rows are the lines holding `_CELL_END` marks.
    `kind`: the format as messages name it (.doc, .wps; RTF with `rtf`)."""
    kind = "RTF" if rtf else kind
    exe = shutil.which("catdoc")
    if exe is None:
        raise MissingTool(f"需要系统工具 catdoc 才能读取 {kind} 文件：apt-get install catdoc")
    out = _run_catdoc(exe, path)
    encoding = None
    if _looks_latin1_mojibake(out):
        # catdoc knows only single-byte code pages: read the bytes through ISO 8859-1
        # (one byte, one character, reversible) and decode them as Chinese.
        from ingest.errors import UndecodableText
        from ingest.readers.txt import decode_bytes

        raw_bytes = _run_catdoc(exe, path, "-s", "8859-1").encode("latin-1", errors="replace")
        try:
            out, encoding = decode_bytes(raw_bytes)
        except UndecodableText:
            pass  # keep catdoc's own reading; the mojibake check below will refuse it
    b = TextBuilder("doc", encoding=encoding)
    rows: list[list[str]] = []
    lines = normalise_newlines(out).split("\n")
    if rtf:
        # a break inside a cell stays in the cell (the table builder joins its lines as the
        # DOCX reader joins a cell's paragraphs); one outside any row ends a line
        lines = [x for line in lines
                 for x in ([line.replace(_CELL_BREAK, "\n")] if _CELL_END in line else line.split(_CELL_BREAK))]
    kept = drop_binary_junk(lines)
    for line in kept:
        if rtf and _CELL_END in line:
            # a row: each cell ends on its mark; a tab inside a cell is a space, as in a DOCX cell
            cells = [c.replace("\t", " ") for c in line.strip(" \u3000\u00a0").split(_CELL_END)]
            rows.append(cells[:-1] + [cells[-1]] if cells[-1].strip() else cells[:-1])
            continue
        # catdoc separates table cells with tabs; consecutive such lines are one table.
        stripped = line.strip(" \u3000\u00a0")
        if "\t" in stripped.strip("\t"):
            rows.append(stripped.rstrip("\t").split("\t"))
            continue
        if rows:
            b.table(rows)
            rows = []
        if not stripped.strip("\t"):
            b.blank()
        else:
            b.line(stripped)
    if rows:
        b.table(rows)
    raw = b.build()
    if not raw.text.strip() and len(kept) < len(lines):
        raise CorruptFile(f"{kind} 文件内容无法正确解码（catdoc 输出乱码），文件可能已损坏")  # junk only
    if not raw.text.strip():
        raise EmptyFile(f"{kind} 文件中没有可读取的文字（可能是空文档、图片或已损坏）")
    if raw.text.count("\ufffd") > max(5, len(raw.text) // 50) or _looks_latin1_mojibake(raw.text):
        raise CorruptFile(f"{kind} 文件内容无法正确解码（catdoc 输出乱码），文件可能已损坏")
    return raw
