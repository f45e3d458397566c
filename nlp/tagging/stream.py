"""Tag a stream of JSON Lines records: good records come back as
`{"id", "tasks", "risks"}`, bad ones as `{"id"?, "line", "error": {"code",
"message"}}` in their place, and the stream goes on (or stops on the first bad
record when strict). Records are tagged in batches for speed; output order is
input order."""
from __future__ import annotations

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


def check_record(raw: bytes | str, line: int, max_bytes: int = MAX_TEXT_BYTES) -> dict:
    """The parsed record, or BadRecord saying why it cannot be tagged."""
    if isinstance(raw, bytes):
        if len(raw) > 6 * max_bytes + 1024:  # surely over the limit: do not even parse it
            raise BadRecord(line, "text_too_large", f"记录超过 {max_bytes} 字节上限")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRecord(line, "invalid_encoding", "不是 UTF-8 编码（JSON Lines 文件应以 UTF-8 保存：GBK 或 UTF-16 的文件可用记事本“另存为” UTF-8）") from None
    try:
        rec = json.loads(raw.lstrip("\ufeff"))
    except json.JSONDecodeError as e:
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
            rows.append(next(tags).to_dict(r["id"] if "id" in r else n))
    return rows


def tag_lines(lines: Iterable[bytes | str], tagger, *, strict: bool = False, batch: int = 1000,
              max_bytes: int = MAX_TEXT_BYTES, on_line: Callable[[int], None] | None = None,
              n_jobs: int = 1) -> Iterator[dict]:
    """Output dicts for the input lines (blank lines are skipped), in input order.

    Strict: the records before the first bad one are tagged and yielded, then
    `BadRecord` is raised."""
    stop: list[BadRecord] = []

    def chunks():
        pending: list[tuple[int, dict | BadRecord]] = []
        for n, raw in enumerate(lines, 1):
            if on_line:
                on_line(len(raw))
            if not raw.strip():
                continue
            try:
                pending.append((n, check_record(raw, n, max_bytes)))
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
