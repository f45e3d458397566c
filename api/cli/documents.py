"""CLI commands for documents: `parse` (show a file's structure, store nothing),
`ingest` (files and folders into the store), `documents` (list what is stored)
and `show` (one stored document). Also the JSON / Markdown renderings of a
parsed `Document` they share."""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from api.cli.common import (
    DataDirOption,
    DbOption,
    document_id,
    err,
    fail,
    interrupted,
    ocr_progress,
    out,
    say_page,
    settings,
    show_detail,
    user_errors,
    write_stdout,
)
from api.labels import PART_NAMES
from api.settings import Settings
from ingest.document import Document, Section, Table
from ingest.text import markdown_cell

META_LABELS = [
    ("title", "标题"), ("issuer", "发文机关"), ("issuers", "联合发文机关"), ("doc_number", "发文字号"),
    ("date", "成文日期"), ("published", "发布日期"), ("doc_type", "文种"), ("recipients", "主送机关"),
    ("letterhead", "版头"), ("signers", "落款"), ("cc", "抄送"), ("printed_by", "印发机关"),
    ("printed_date", "印发日期"), ("attachment_note", "附件说明"),
]


class Format(str, Enum):
    json = "json"
    md = "md"


# ---------------------------------------------------------------- renderings


def _section_dict(s: Section) -> dict[str, Any]:
    return {"number": s.number, "title": s.title, "level": s.level, "path": s.path, "text": s.text,
            "start": s.start, "end": s.end, "page": s.page, "children": [_section_dict(c) for c in s.children]}


def document_json(doc: Document, **extra: Any) -> dict[str, Any]:
    """The parsed structure: metadata under `document` (checklist-schema key names),
    parts with their section trees and tables, and the source file."""
    return {
        "document": {"id": doc.id, **doc.metadata()},
        "parts": [
            {"kind": p.kind, "label": p.label, "title": p.title, "start": p.start, "end": p.end, "page": p.page,
             "preamble": p.preamble, "sections": [_section_dict(s) for s in p.sections],
             "tables": [asdict(t) for t in p.tables]}
            for p in doc.parts
        ],
        "source": asdict(doc.source),
        "warnings": list(doc.warnings),
        **extra,
    }


def _cell(value: Any) -> str:
    return markdown_cell("、".join(value) if isinstance(value, list) else ("" if value is None else str(value)))


def _md_table(t: Table) -> list[str]:
    width = max([len(t.header), *(len(r) for r in t.rows)] or [0])
    if not width:
        return []
    header = list(t.header) + [""] * (width - len(t.header)) if t.header else [""] * width
    lines = [f"**{_cell(t.title)}**", ""] if t.title else []
    lines.append("| " + " | ".join(_cell(c) for c in header) + " |")
    lines.append("|" + " --- |" * width)
    for row in t.rows:
        row = list(row) + [""] * (width - len(row))
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return lines + [""]


def _heading(s: Section) -> str:
    # 第一章 总则 / 第五条 … need a space where the number has no punctuation of its own.
    if s.number and s.title and s.number[-1] not in "、.．)）":
        return f"{s.number} {s.title}"
    return s.heading or "（无标题）"


def _md_section(s: Section, depth: int) -> list[str]:
    heading = _heading(s)
    if depth <= 3:  # ###, ####, ##### under the part's ##
        lines = [f"{'#' * (depth + 2)} {heading}", ""]
        if s.text.strip():
            lines += [s.text.strip(), ""]
    else:  # deeper levels read better as a list than as tiny headings
        indent = "  " * (depth - 4)
        lines = [f"{indent}- **{heading}** {s.text.strip()}".rstrip()]
    for child in s.children:
        lines += _md_section(child, depth + 1)
    if depth == 4 and s.children:
        lines.append("")
    return lines


def document_markdown(doc: Document) -> str:
    meta = doc.metadata()
    lines = [f"# {doc.title or doc.source.name}", "", "| 字段 | 内容 |", "| --- | --- |"]
    for key, label in META_LABELS:
        value = meta.get(key)
        if key == "issuers" and len(value or []) < 2:
            continue  # a single issuer is already the 发文机关 row; "联合" only when there are several
        if value:
            lines.append(f"| {label} | {_cell(value)} |")
    src = doc.source
    lines.append(f"| 来源文件 | {_cell(src.name)}（{src.format}，{src.size} 字节"
                 + (f"，{src.pages} 页" if src.pages else "") + "） |")
    lines.append(f"| 文档编号 | {doc.id} |")
    lines.append("")
    for part in doc.parts:
        name = part.label or PART_NAMES.get(part.kind, part.kind)
        lines += [f"## {name}：{part.title}" if part.title else f"## {name}", ""]
        if part.preamble.strip():
            lines += [part.preamble.strip(), ""]
        for s in part.sections:
            lines += _md_section(s, 1)
        if lines[-1] != "":
            lines.append("")
        for t in part.tables:
            lines += _md_table(t)
    in_parts = [t for p in doc.parts for t in p.tables]
    loose = [t for t in doc.tables if t not in in_parts]  # tables no part claimed
    if loose:
        lines += ["## 表格", ""]
        for t in loose:
            lines += _md_table(t)
    if doc.warnings:
        lines += ["## 提示", ""] + [f"- {w}" for w in doc.warnings] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _print_document(doc: Document, fmt: Format, **extra: Any) -> None:
    if fmt is Format.json:
        write_stdout(json.dumps(document_json(doc, **extra), ensure_ascii=False, indent=2))
    else:
        write_stdout(document_markdown(doc))


# ------------------------------------------------------------------ commands

FILTER_OPTIONS = {"issuer": "--issuer ", "year": "--year ", "type": "--type ", "doc_number": "--doc-number "}


def register(app: typer.Typer) -> None:
    @app.command()
    def parse(
        file: Path = typer.Argument(..., help="公文文件：.txt .pdf .docx .doc .html"),
        format: Format = typer.Option(Format.json, "--format", "-f", help="输出格式：json 或 md"),
    ) -> None:
        """解析一个公文文件并输出其结构（不入库）。"""
        from api.service import Gongwen

        with user_errors(), ocr_progress():
            doc = Gongwen(Settings()).parse_file(file)
        _print_document(doc, format)

    @app.command()
    def ingest(
        paths: List[Path] = typer.Argument(..., help="文件或文件夹（文件夹会递归查找支持的格式）"),
        data_dir: Optional[Path] = DataDirOption,
        db: Optional[str] = DbOption,
    ) -> None:
        """把公文文件或文件夹入库（同一文件重复入库不会重复；同一公文的另一格式附加到已有公文）。"""
        from api.service import Gongwen

        with user_errors(), Gongwen(settings(data_dir, db, creates=True)) as svc:
            with Progress(TextColumn("[bold]入库"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), console=err, transient=True,
                          disable=not err.is_terminal) as bar:
                task = bar.add_task("", total=None)
                counts: Counter = Counter()
                said = [time.monotonic()]

                def on_progress(done: int, total: int, result) -> None:
                    name = Path(result.path).name if result else ""
                    bar.update(task, completed=done, total=total, description=name)
                    if result is None:
                        return
                    counts[result.status] += 1
                    # the bar is drawn on a terminal only: into a log or a pipe, a line at each
                    # tenth of the folder (or each minute) says how far a long run has got
                    if not err.is_terminal and done < total and (
                            done % max(1, total // 10) == 0 or time.monotonic() - said[0] >= 60):
                        said[0] = time.monotonic()
                        err.print(f"入库进度：{done}/{total}（已入库 {counts['ingested']}，另一格式已附加 "
                                  f"{counts['attached']}，未变化 {counts['unchanged']}，失败 {counts['failed']}）",
                                  highlight=False)

                def on_page(done: int, total: int) -> None:
                    bar.update(task, description=f"OCR 识别第 {min(done + 1, total)}/{total} 页")

                from ingest.readers.ocr import progress_to

                with progress_to(on_page):  # scans: OCR takes seconds a page
                    summary = svc.ingest_paths(paths, on_progress=on_progress)

        for r in summary.results:
            if r.status == "attached" or r.reindexed:
                err.print(f"{r.path}：{r.message}", highlight=False)
            if r.warning:
                err.print(f"[yellow]注意[/] {r.path}：{r.warning}", highlight=False)
        table = RichTable(title="入库结果", show_header=True, header_style="bold")
        for col in ("已入库", "另一格式已附加", "未变化", "失败", "合计", "用时"):
            table.add_column(col, justify="right")
        table.add_row(str(summary.ingested), str(summary.attached), str(summary.unchanged), str(summary.failed),
                      str(len(summary.results)), f"{summary.seconds:.1f} 秒")
        out.print(table)
        for r in summary.failures:
            err.print(f"[red]失败[/] {r.path}：{r.error}", highlight=False)
            show_detail(r.exception)
        if summary.skipped:
            kinds = Counter(os.path.splitext(f)[1].lower() or "无扩展名" for f in summary.skipped)
            shown = "、".join(f"{ext} {n} 个" for ext, n in kinds.most_common())
            err.print(f"[yellow]跳过[/] 文件夹中 {len(summary.skipped)} 个文件格式不受支持，未入库（{shown}）", highlight=False)
        if summary.unread:
            names = "、".join(os.path.basename(f) for f in summary.unread[:5]) + ("等" if len(summary.unread) > 5 else "")
            err.print(f"[yellow]跳过[/] 文件夹中 {len(summary.unread)} 个不是普通文件的条目，未入库（{names}）：失效的链接、管道、"
                      "设备或指向文件夹的链接（不跟随；要入库请直接指定链接指向的文件或文件夹）", highlight=False)
        if not summary.results and not summary.interrupted:  # stopped before the first file is no empty folder
            from ingest.read import SUPPORTED

            err.print("没有找到可入库的文件（支持 " + " ".join(SUPPORTED) + "）", highlight=False)
        if summary.stopped:
            left = summary.found - len(summary.results)
            err.print(f"[bold red]已停止：[/]{summary.stopped}，其余 {left} 个文件未处理；"
                      f"{summary.stopped_fix}后再次运行同一命令即可继续，已入库的文件会跳过",
                      highlight=False)
        if summary.interrupted:
            left = summary.found - len(summary.results)
            interrupted(f"已处理 {len(summary.results)}/{summary.found} 个文件，已入库的均可检索；"
                        f"其余 {left} 个未处理：再次运行同一命令即可继续（已入库的文件会跳过）")
        if summary.failed:
            raise typer.Exit(1)

    @app.command("documents")
    def list_documents(
        issuer: Optional[str] = typer.Option(None, "--issuer", help="发文机关（部分匹配，含联合发文机关）"),
        year: Optional[str] = typer.Option(None, "--year", help="成文年份"),
        doc_type: Optional[str] = typer.Option(None, "--type", help="文种，如 通知、意见、实施方案"),
        doc_number: Optional[str] = typer.Option(
            None, "--doc-number", help="文号（部分匹配；年份两边的括号〔〕［］[]【】（）() 任写一种都算）"),
        # GET /api/documents' bounds (api.routes.documents; MAX_OFFSET of api.routes.keys), as logs and alerts do
        limit: int = typer.Option(50, "--limit", min=1, max=500, help="最多列出篇数"),
        offset: int = typer.Option(0, "--offset", min=0, max=10**9, help="跳过前几篇（翻页）"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
        data_dir: Optional[Path] = DataDirOption,
        db: Optional[str] = DbOption,
    ) -> None:
        """列出已入库的公文（筛选条件与 GET /api/documents、/documents 页面相同）。"""
        from api.schemas import DocumentFilters

        # the API's model reads the filters, so a value it refuses is refused here in the same words
        given, filters, problem = DocumentFilters.read(
            {"issuer": issuer, "year": year, "type": doc_type, "doc_number": doc_number}, FILTER_OPTIONS)
        if filters is None:
            fail(f"筛选条件有误：{problem}")
        from api.service import Gongwen

        with user_errors(), Gongwen(settings(data_dir, db)) as svc:
            page = svc.list_documents(issuer=filters.issuer, year=filters.year, doc_type=filters.type,
                                      doc_number=filters.doc_number, limit=limit, offset=offset)
            rows, matched = page["items"], page["total"]
            filtered = bool(given)
            # with a filter the user wants to know how many matched, and of how many
            total = svc.list_documents(limit=1)["total"] if filtered else matched
        say_page(matched, offset, len(rows), "篇")  # as gongwen logs / alerts / track say a page (stderr)
        if as_json:
            write_stdout(json.dumps({"total": matched, "items": rows}, ensure_ascii=False, indent=2))
            return
        title = f"符合条件的公文 {matched} 篇（库中共 {total} 篇）" if filtered else f"已入库公文（共 {total} 篇）"
        table = RichTable(title=title, header_style="bold")
        for col in ("编号", "成文日期"):
            table.add_column(col, no_wrap=True)
        table.add_column("发文机关", overflow="fold", max_width=16)
        table.add_column("发文字号", overflow="fold", max_width=18)
        table.add_column("标题", overflow="fold", ratio=1, min_width=12)
        for col in ("文种", "清单"):
            table.add_column(col, no_wrap=True)
        for r in rows:
            table.add_row(r["id"], r["date"] or "", r["issuer"] or "", r["doc_number"] or "", r["title"] or "",
                          r["doc_type"] or "", "有" if r["has_checklist"] else "")
        out.print(table)

    @app.command()
    def show(
        doc_id: str = typer.Argument(..., metavar="ID", help="公文编号（见 gongwen documents；给前 4 位以上即可）"),
        format: Format = typer.Option(Format.md, "--format", "-f", help="输出格式：json 或 md"),
        data_dir: Optional[Path] = DataDirOption,
        db: Optional[str] = DbOption,
    ) -> None:
        """显示一篇已入库的公文。"""
        from api.service import Gongwen

        with user_errors(), Gongwen(settings(data_dir, db)) as svc:
            doc_id = document_id(svc.store, doc_id)
            doc = svc.store.get_document(doc_id)
            checklist = svc.store.get_checklist(doc_id) if doc else None
            files = svc.store.document_files(doc_id) if doc else []
        if doc is None:
            fail(f"找不到公文：{doc_id}")
        if format is Format.json:
            _print_document(doc, format, checklist=checklist, files=files)
        else:
            _print_document(doc, format)
            others = [f for f in files if not f["primary"]]
            if others:
                err.print("同一公文的其他格式：" + "、".join(f"{f['name']}（{f['format']}）" for f in others),
                          highlight=False)

    @app.command()
    def delete(
        doc_id: str = typer.Argument(..., metavar="ID", help="公文编号（见 gongwen documents；给前 4 位以上即可）"),
        data_dir: Optional[Path] = DataDirOption,
        db: Optional[str] = DbOption,
    ) -> None:
        """从库和检索索引中删除一篇公文（连同其章节和任务清单）。"""
        from api.service import Gongwen

        with user_errors(), Gongwen(settings(data_dir, db)) as svc:
            doc_id = document_id(svc.store, doc_id)
            deleted = svc.delete_document(doc_id)
        if not deleted:
            fail(f"找不到公文：{doc_id}")
        err.print(f"已删除公文 {doc_id}")
