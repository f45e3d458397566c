"""CLI command `gongwen checklist FILE|ID`: read a notice (or take a stored notice's
checklist, as GET /api/documents/{id}/checklist does) and print its checklist (who must
do what, quotas, deadlines, frequencies, source clause) as JSON, Markdown, CSV or iCalendar."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from api.cli.common import (
    SHORT_ID,
    DataDirOption,
    DbOption,
    document_id,
    err,
    fail,
    ocr_progress,
    settings,
    user_errors,
    write_whole,
)
from api.settings import Settings


class ChecklistFormat(str, Enum):
    json = "json"
    md = "md"
    csv = "csv"
    ics = "ics"


def _write(content: str | bytes, output: Optional[Path]) -> None:
    import sys

    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None:
        sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
        sys.stdout.flush()
        return
    write_whole(data, output)


def _say_if_no_events(format: ChecklistFormat, content: str | bytes) -> None:
    """A calendar with no event imports as nothing at all: say why, on stderr, before a person
    goes looking for the deadlines in their calendar."""
    if format is not ChecklistFormat.ics:
        return
    from nlp.checklist.export import NO_EVENTS_NOTE, ics_events

    if not ics_events(content):
        err.print(f"注意：{NO_EVENTS_NOTE}", highlight=False)


def checklist(
    file: Path = typer.Argument(..., metavar="FILE|ID",
                                help="公文文件（txt / pdf / docx / doc / html），或已入库公文的编号（见 gongwen documents；给前 4 位以上即可）"),
    format: ChecklistFormat = typer.Option(ChecklistFormat.json, "--format", "-f", help="输出格式：json、md、csv、ics"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（默认打印到屏幕）"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """从通知中提取任务清单：谁、做什么、指标、时限、频次及原文出处；已入库的公文给编号即可（同 GET /api/documents/{id}/checklist）。"""
    # a stored notice's id (its file's sha256, first 16 hex digits) or its first digits, as gongwen show takes it
    if not file.exists() and SHORT_ID.fullmatch(str(file)):
        _stored(str(file), format, output, data_dir, db)
        return
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.export import render

    with user_errors(), ocr_progress():
        s = Settings()  # the same size limits as gongwen parse / ingest
        doc = load(file, max_bytes=s.max_file_bytes, max_chars=s.max_text_chars)
        result = extract(doc)
    content, _ = render(result, format.value)
    _write(content, output)
    _say_if_no_events(format, content)
    if output is not None:
        hard = sum(1 for o in result.obligations if o.tier == "hard")
        err.print(f"已写入 {output}：任务 {len(result.obligations)} 项（刚性 {hard} 项），"
                  f"名单 {len(result.roster)} 人，表格 {len(result.tables)} 张。", highlight=False)


def _stored(doc_id: str, format: ChecklistFormat, output: Optional[Path], data_dir: Optional[Path],
            db: Optional[str]) -> None:
    """The stored checklist of a notice, as GET /api/documents/{id}/checklist gives it (the
    one made when the notice went in, not a new reading of its file)."""
    from api.service import Gongwen

    with user_errors(), Gongwen(settings(data_dir, db)) as svc:
        doc_id = document_id(svc.store, doc_id)
        if not svc.has_document(doc_id):
            fail(f"找不到公文：{doc_id}（也没有这个文件）")
        body, _ = svc.checklist_export(doc_id, format.value)
    if format is ChecklistFormat.json:
        body = json.dumps(body, ensure_ascii=False, indent=2)
    _write(body, output)
    _say_if_no_events(format, body)
    if output is not None:
        err.print(f"已写入 {output}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command(name="checklist")(checklist)
