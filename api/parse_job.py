"""The job an upload runs in a parse worker (`ingest.pool`): the parsed document and its
checklist, both CPU-bound. Here, not in ingest, because it needs nlp (ingest imports no
other gongwen package); kept apart from the web modules so a worker imports no FastAPI."""
from __future__ import annotations

from typing import Any

# parsed once by each new worker before it says it is ready (`warm_up`)
WARM_UP = "关于做好职工帮扶工作的通知\n各县（市、区）总工会：\n请于2024年5月1日前报送帮扶对象名单。\n"


def parse_upload(data: bytes, name: str, max_bytes: int, max_chars: int | None = None) -> tuple[Any, dict]:
    """Run in a worker: the parsed document and its checklist."""
    from ingest.load import load_bytes
    from nlp.checklist import extract

    doc = load_bytes(data, name, max_bytes=max_bytes, max_chars=max_chars)
    return doc, extract(doc).to_dict()


def warm_up() -> None:
    parse_upload(WARM_UP.encode(), "warm-up.txt", 1024 * 1024)
