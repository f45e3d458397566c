"""Tag a stream of JSON Lines records: good records come back as
`{"id", "tasks", "risks"}`, bad ones as `{"id"?, "line", "error": {"code",
"message"}}` in their place, and the stream goes on (or stops on the first bad
record when strict). Records are tagged in batches for speed; output order is
input order."""
from __future__ import annotations

import codecs
import json
from typing import Callable, Iterable, Iterator

from ingest.errors import GongwenError
from ingest.text import blank

MAX_TEXT_BYTES = 1024 * 1024

# the json module's reasons, said for the user (its own are English)
_JSON_REASONS = (
    ("Expecting property name", "应为用双引号括起的字段名，或多了一个逗号"),
    ("Expecting value", "缺少值"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Invalid control character", "字符串里有控制字符"),
    ("Invalid \\uXXXX escape", "\\u 转义不完整"),
    ("Invalid \\escape", "反斜杠转义无效"),
    ("Extra data", "一行里有多个 JSON 值"),
)


def json_reason(e: json.JSONDecodeError) -> str:
    reason = next((zh for en, zh in _JSON_REASONS if e.msg.startswith(en)), "格式错误")
    return f"{reason}，第 {e.colno} 列"


class BadRecord(GongwenError):
    """One input record that cannot be tagged (strict mode raises it)."""

    code = "bad_record"

    def __init__(self, line: int, code: str, message: str, id=None):
        self.line, self.record_code, self.id = line, code, id
        super().__init__(f"第 {line} 行：{message}")
        self.message = message  # the error line carries "line" separately

    def __reduce__(self):  # picklable, to cross into tagging worker processes
        return (BadRecord, (self.line, self.record_code, self.message, self.id))

    def to_dict(self) -> dict:
        d = {} if self.id is None else {"id": self.id}
        d.update(line=self.line, error={"code": self.record_code, "message": self.message})
        return d


# How much of a JSON Lines file is looked at to tell its encoding
PEEK_BYTES = 256 * 1024
# Encodings a log file not in UTF-8 is read in, with the name said to the user: what Excel
# (GBK, mainland Windows' code page) and Notepad (UTF-16) save. Others (Big5, a guess of
# charset-normalizer's) stay refused: on short Chinese records the guess is often wrong.
READ_AS = {"gb18030": "GBK（GB18030）", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}


def record_cap(max_bytes: int) -> int:
    """The length (bytes of the file, or characters of a GBK or UTF-16 one) past which a line
    cannot hold a record whose text is within `max_bytes`, escapes and all: `check_record`
    refuses it unread, and `decoded_lines` keeps no more of it than that."""
    return 6 * max_bytes + 1024


def decoded_lines(stream, max_bytes: int = MAX_TEXT_BYTES) -> tuple[Iterator[bytes | str], str | None]:
    """The lines of a JSON Lines byte stream, and the name of the encoding they were read
    in when not UTF-8 (None: UTF-8 or undecided, lines as bytes for `check_record` to
    judge one by one). A file in GBK or UTF-16 is told by its first `PEEK_BYTES` with the
    rules text files are read by (ingest.readers.txt.decode_text); with fewer than 20
    Chinese characters GBK is taken only when they are all common simplified ones and
    nothing else odd appears (Big5 bytes read as GBK give rare characters and kana). On
    373 real passages as one-line and five-line files cut to 6-200 characters: GBK 2,684
    right, 25 refused, none wrong of 2,700; UTF-16 none wrong; Big5 1 wrong of 1,030.
    A line longer than `record_cap(max_bytes)` (a file with no line feed: a JSON array on one
    line, a disk image, /dev/zero) comes as a `LongLine` of its beginning, the rest read past
    in chunks, not held whole in memory (before: MemoryError, or all the machine's memory)."""
    cap = record_cap(max_bytes)
    peek = stream.read(PEEK_BYTES)
    enc = None if _utf8(peek) else (_legacy(peek) or _legacy_but_some_lines(peek))
    if enc is None:
        return _lone_cr_ends_lines(_byte_lines(peek, stream, cap)), None
    return _lone_cr_ends_lines(_text_lines(peek, iter(lambda: stream.read(1 << 16), b""), enc, cap)), READ_AS[enc]


def _lone_cr_ends_lines(lines: Iterator[bytes | str]) -> Iterator[bytes | str]:
    """A carriage return not before a line feed ends a line too (a file saved with classic
    Mac line ends, records joined from several files), as editors show it: JSON cannot hold
    a raw CR inside a string, so there it can only end a record. Before, such records were
    one line, refused as 一行里有多个 JSON 值."""
    for line in lines:
        if isinstance(line, Undecodable):  # LongLine too
            yield line
            continue
        cr, lf = (b"\r", b"\n") if isinstance(line, bytes) else ("\r", "\n")
        body = line.rstrip(cr + lf)
        if cr not in body:
            yield line
            continue
        for part in body.split(cr):
            yield part + lf


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.reason == "unexpected end of data" and e.start >= len(data) - 3  # cut by the peek
    return True


def _legacy(peek: bytes) -> str | None:
    from ingest.readers.txt import decode_text

    try:
        text, enc, _ = decode_text(peek)  # the peek may end inside a character
    except GongwenError:
        return None
    enc = enc.lower().replace("_", "-")
    if enc not in READ_AS:
        return None
    if enc == "gb18030":
        hanzi = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
        if len(hanzi) < 20:  # too little for decode_text's common-character check
            common = sum(_common(ch) for ch in hanzi)
            odd = any("\u3040" <= ch <= "\u30ff" or "\ue000" <= ch <= "\uf8ff" or "\u00c0" <= ch <= "\u024f"
                      for ch in text)
            if odd or common < 0.9 * len(hanzi):
                return None
    return enc


# Stands for bytes a line's encoding cannot read: a lone surrogate, which no strict
# decode of GB18030 or UTF-16 gives, so the line is known to be damaged.
_UNREAD = "\udfff"


def _mark(e: UnicodeDecodeError) -> tuple[str, int]:
    return _UNREAD, e.end  # Python's decoders end a bad sequence before a line feed


codecs.register_error("gongwen-unread", _mark)


def _legacy_but_some_lines(peek: bytes) -> str | None:
    """The encoding of a peek that is neither whole UTF-8 nor a whole legacy text because of
    a few damaged lines (a bad byte sequence in one record): the encoding in which at most
    a quarter of its whole lines cannot be read and the rest are told as that encoding, so
    the damaged record fails alone (`Undecodable`), as a bad line of a UTF-8 file does.
    UTF-8 first: such a file stays on the byte path, which judges its lines one by one."""
    if peek.startswith(codecs.BOM_UTF8):
        return None
    utf16_bom = peek.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for enc in ("utf-16",) if utf16_bom else ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
        text = peek.decode(enc, "gongwen-unread")
        lines = text.split("\n")[:-1]  # the last may be cut by the peek
        good = [line for line in lines if _UNREAD not in line]
        if not good or 3 * (len(lines) - len(good)) > len(good):
            continue
        if enc == "utf-8":
            if "\x00" not in "".join(good):  # UTF-16 text of ASCII letters is valid UTF-8 too
                return None
            continue
        rest = "\n".join(good) + "\n"
        told = _legacy(rest.encode("utf-16" if enc == "utf-16" else enc))
        if told is not None and told.startswith(enc[:6]):
            return enc
    return None


class Undecodable(str):
    """A line of a GBK or UTF-16 file with bytes its encoding cannot read: `check_record`
    refuses that record alone."""

    reason = ""


class LongLine(Undecodable):
    """The beginning of a line longer than any record can be (`record_cap`), its rest not kept:
    `check_record` refuses it as too large."""


_SHOWN = 1024  # of a LongLine: what is kept of it


def _long_line(head: bytes | str) -> LongLine:
    if isinstance(head, bytes):
        head = head[:_SHOWN].decode("utf-8", "replace")
    return LongLine(head[:_SHOWN] or "\ufffd")


def _common(ch: str) -> bool:
    try:
        return 0xB0 <= ch.encode("gb2312")[0] <= 0xD7  # GB2312 level 1: the 3,755 common characters
    except UnicodeEncodeError:
        return False


def _byte_lines(peek: bytes, stream, cap: int) -> Iterator[bytes | LongLine]:
    *lines, tail = peek.split(b"\n")
    for line in lines:
        yield line + b"\n" if len(line) <= cap else _long_line(line)
    # the line the peek cut, then the stream's own lines, none read past `cap` bytes at once
    line = tail + stream.readline(max(cap - len(tail), 0) + 1) if len(tail) <= cap else tail
    while line:
        if len(line) > cap and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # the rest of a line too long to be a record: read past, not kept
            line = _long_line(line)
        yield line
        line = stream.readline(cap + 1)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _text_lines(peek: bytes, rest: Iterator[bytes], enc: str, cap: int) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-16" if enc == "utf-16" else enc)("gongwen-unread")
    held: list[str] = []  # the line read so far (a long one comes in many chunks)
    size = 0  # its characters
    long = None  # the beginning of a line past `cap`, whose rest is read past
    chunks = _chain(peek, rest)
    while True:
        chunk = next(chunks, None)
        text = decoder.decode(chunk or b"", final=chunk is None)
        *lines, last = text.split("\n")
        for line in lines:
            yield long if long is not None else _line("".join(held) + line + "\n", enc)
            held.clear()
            size, long = 0, None
        if long is None:
            held.append(last)
            size += len(last)
            if size > cap:
                long = _long_line("".join(held))
                held.clear()
        if chunk is None:
            break
    if long is not None:
        yield long
    elif "".join(held):
        yield _line("".join(held), enc)


def _line(text: str, enc: str) -> str:
    if _UNREAD in text:
        line = Undecodable(text)
        line.reason = f"有无法按 {READ_AS[enc]} 读取的字节（文件按 {READ_AS[enc]} 读取；这一条记录可能已损坏）"
        return line
    if enc == "gb18030":
        from ingest.readers.txt import is_utf8_chinese

        # a UTF-8 record in a GBK file (two files joined): mostly valid GB18030 too, it would
        # be stored as other characters (职工 → 鑱屽伐)
        if is_utf8_chinese(text.encode("gb18030")):
            line = Undecodable(text)
            line.reason = (f"这一条是 UTF-8 编码，而文件按 {READ_AS[enc]} 读取（文件混用了两种编码）；为免存入乱码未读取，"
                           "请把文件统一另存为 UTF-8 后重试")
            return line
    return text


# Unicode's other line ends (LINE SEPARATOR, PARAGRAPH SEPARATOR, NEXT LINE): JSON Lines
# ends a record at \n only, and inside a JSON string they are ordinary characters, but
# editors show them as line ends and some exports (Word's manual line break, JavaScript
# writers) put one after a record. Outside a value they are no JSON whitespace, so at a
# record's edges they can only be such stray ends: dropped there, as a byte order mark is.
OTHER_LINE_ENDS = "\u2028\u2029\x85"
_EDGES = " \t\r\n\ufeff" + OTHER_LINE_ENDS
_NAMES = {"\u2028": "U+2028 行分隔符", "\u2029": "U+2029 段分隔符", "\x85": "U+0085 下一行"}


def blank_line(raw: bytes | str) -> bool:
    """A line with nothing but spaces, skipped; a byte order mark counts as nothing (Notepad
    writes one before a first line that may be empty, `cat` of such files puts one mid-file),
    and so does a stray Unicode line end (OTHER_LINE_ENDS)."""
    if isinstance(raw, bytes):
        for mark in ("\ufeff", *OTHER_LINE_ENDS):
            raw = raw.replace(mark.encode("utf-8"), b"")
        return not raw.strip()
    return not raw.replace("\ufeff", "").strip()  # str.strip takes the other line ends already


def check_record(raw: bytes | str, line: int, max_bytes: int = MAX_TEXT_BYTES) -> dict:
    """The parsed record, or BadRecord saying why it cannot be tagged."""
    if isinstance(raw, LongLine):
        raise BadRecord(line, "text_too_large", f"记录超过 {max_bytes} 字节上限")
    if isinstance(raw, Undecodable):
        raise BadRecord(line, "invalid_encoding", raw.reason)
    if isinstance(raw, bytes):
        if len(raw) > record_cap(max_bytes):  # surely over the limit: do not even parse it
            raise BadRecord(line, "text_too_large", f"记录超过 {max_bytes} 字节上限")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRecord(line, "invalid_encoding", "不是 UTF-8 编码（JSON Lines 文件应以 UTF-8 保存：GBK 或 UTF-16 的文件可用记事本“另存为” UTF-8）") from None
    raw = raw.strip(_EDGES)
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError as e:
        between = raw[e.pos] if e.msg.startswith("Extra data") and e.pos < len(raw) else ""
        if between in _NAMES:  # between two values: editors show two lines, JSON Lines reads one
            raise BadRecord(line, "invalid_json", f"不是合法的 JSON（记录后有 {_NAMES[between]}，第 {e.colno} 列；"
                                                  "JSON Lines 的记录只能以换行分隔）") from None
        raise BadRecord(line, "invalid_json", f"不是合法的 JSON（{json_reason(e)}）") from None
    if not isinstance(rec, dict):
        raise BadRecord(line, "not_an_object", "应为 JSON 对象")
    rid = rec.get("id")
    if "text" not in rec or rec["text"] is None:
        raise BadRecord(line, "missing_text", "缺少 text 字段", rid)
    if not isinstance(rec["text"], str):
        raise BadRecord(line, "invalid_text", "text 应为字符串", rid)
    if blank(rec["text"]):  # spaces or control characters only
        raise BadRecord(line, "empty_text", "text 为空", rid)
    if len(rec["text"].encode("utf-8")) > max_bytes:
        raise BadRecord(line, "text_too_large", f"text 超过 {max_bytes} 字节上限", rid)
    return rec


def _tag_chunk(tagger, chunk: list[tuple[int, dict | BadRecord]]) -> list[dict]:
    good = [r["text"] for _, r in chunk if isinstance(r, dict)]
    tags = iter(tagger._predict_batch(good) if good else [])
    rows = []
    for n, r in chunk:
        if isinstance(r, BadRecord):
            rows.append(r.to_dict())
        else:
            # a record without an id (none, or null) is named by its line number
            rows.append(next(tags).to_dict(r["id"] if r.get("id") is not None else n))
    return rows


def tag_lines(lines: Iterable[bytes | str], tagger, *, strict: bool = False, batch: int = 1000,
              max_bytes: int = MAX_TEXT_BYTES, on_line: Callable[[int], None] | None = None,
              n_jobs: int = 1, on_record: Callable[[int, dict], None] | None = None) -> Iterator[dict]:
    """Output dicts for the input lines (blank lines are skipped), in input order.
    `on_record(line, record)` sees each good record as read (its other fields, say a date).

    Strict: the records before the first bad one are tagged and yielded, then
    `BadRecord` is raised."""
    stop: list[BadRecord] = []

    def chunks():
        pending: list[tuple[int, dict | BadRecord]] = []
        for n, raw in enumerate(lines, 1):
            if on_line:
                on_line(len(raw))
            if blank_line(raw):
                continue
            try:
                rec = check_record(raw, n, max_bytes)
                pending.append((n, rec))
                if on_record:
                    on_record(n, rec)
            except BadRecord as e:
                if strict:
                    stop.append(e)
                    break
                pending.append((n, e))
            if len(pending) >= batch:
                yield pending
                pending = []
        if pending:
            yield pending

    for rows in tagger.map_batches(_tag_chunk, chunks(), n_jobs):
        yield from rows
    if stop:
        raise stop[0]
