"""CLI command `gongwen checklist FILE`: read a notice and print its checklist
(who must do what, quotas, deadlines, frequencies, source clause) as JSON,
Markdown, CSV or iCalendar."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from api.cli.common import err, settings, user_errors, write_whole


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


def checklist(
    file: Path = typer.Argument(..., help="公文文件（txt / pdf / docx / doc / html）"),
    format: ChecklistFormat = typer.Option(ChecklistFormat.json, "--format", "-f", help="输出格式：json、md、csv、ics"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="写入文件（默认打印到屏幕）"),
) -> None:
    """从通知中提取任务清单：谁、做什么、指标、时限、频次及原文出处。"""
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.export import render

    with user_errors():
        s = settings()  # the same size limits as gongwen parse / ingest
        doc = load(file, max_bytes=s.max_file_bytes, max_chars=s.max_text_chars)
        result = extract(doc)
    content, _ = render(result, format.value)
    _write(content, output)
    if output is not None:
        hard = sum(1 for o in result.obligations if o.tier == "hard")
        err.print(f"已写入 {output}：任务 {len(result.obligations)} 项（刚性 {hard} 项），"
                  f"名单 {len(result.roster)} 人，表格 {len(result.tables)} 张。", highlight=False)


def register(app: typer.Typer) -> None:
    app.command(name="checklist")(checklist)
