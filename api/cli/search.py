"""CLI commands: search (the same results as GET /api/search), reindex (all, or
only the queued index work) and check (do the store and the index agree?)."""
from __future__ import annotations

import html
import json
import re
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.common import (
    DataDirOption,
    DbOption,
    err,
    fail,
    label_filter,
    out,
    refuse_reversed_range,
    settings,
    user_errors,
    write_stdout,
)
from api.labels import FACET_NAMES, KIND_NAMES
from api.limits import MAX_PAGE, MAX_PER_PAGE

EngineOption = typer.Option(None, "--engine", help="检索引擎 tantivy|whoosh（环境变量 GONGWEN_ENGINE）")


def _marks_to_rich(snippet: str) -> str:
    """The API's HTML snippet (<mark>…</mark>, escaped) as rich markup."""
    parts = re.split(r"(</?mark>)", snippet)
    text, bold = [], False
    for p in parts:
        if p in ("<mark>", "</mark>"):
            bold = p == "<mark>"
            continue
        plain = escape(html.unescape(p))
        text.append(f"[bold yellow]{plain}[/]" if bold else plain)
    return "".join(text)


def rebuild_index(svc) -> dict[str, int]:
    """`svc.reindex` with a progress bar and the closing counts; a refused item is said
    in one line (the caller decides the exit code). Used by `reindex` and by `serve`,
    which rebuilds an index of an older format before it answers a search."""
    # Refreshed by hand, not by rich's timer thread: with no other thread alive the
    # index may fork worker processes to segment a large rebuild (index.search.parallel).
    with Progress(TextColumn("重建索引"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, auto_refresh=False, disable=not err.is_terminal) as bar:
        task = bar.add_task("reindex", total=None)
        shown = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            bar.update(task, completed=done, total=total)
            if now - shown[0] > 0.1 or done == total:
                bar.refresh()
                shown[0] = now

        counts = svc.reindex(progress)
    out.print(f"已重建索引：文件 {counts['documents']} 份，日志 {counts['logs']} 条，索引条目 {counts['items']} 条"
              f"（引擎 {svc.settings.engine}）"
              + (f"；按当前词典重新切分日志 {counts['recut']} 条" if counts.get("recut") else ""))
    if counts.get("refused"):
        err.print(f"[bold red]错误：[/]有 {counts['refused']} 项被检索索引拒绝，未能重建，已搁置："
                  "运行 gongwen check 查看原因", highlight=False)
    return counts


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        words: Optional[List[str]] = typer.Argument(
            None, metavar="查询", help='查询：词语（几个词可不加引号）、"短语"、AND / OR / NOT、字段 issuer: year: type: tag: risk: region: doc_number:'),
        issuer: str = typer.Option(None, help="发文机关"),
        year: int = typer.Option(None, min=1949, max=2100, help="年份"),
        doc_type: str = typer.Option(None, "--type", help="文种：通知、意见、实施方案、办法…"),
        doc_number: str = typer.Option(None, "--doc-number", help="文号（年份两边的括号任写一种都算）"),
        kind: str = typer.Option(None, help="document | section | obligation | log"),
        tag: str = typer.Option(None, help="标签：日志任务类别（也含任务的责任主体）"),
        risk: str = typer.Option(None, help="日志风险信号：中文名或 id（如 欠薪欠保 或 wage_arrears）"),
        region: str = typer.Option(None, help="地区"),
        date_from: str = typer.Option(None, "--from", "--date-from", help="起始日期 YYYY-MM-DD"),
        date_to: str = typer.Option(None, "--to", "--date-to", help="截止日期 YYYY-MM-DD"),
        page: int = typer.Option(1, min=1, max=MAX_PAGE, help=f"第几页（1–{MAX_PAGE}）"),
        per_page: int = typer.Option(10, "--per-page", min=1, max=MAX_PER_PAGE, help="每页条数"),
        sort: str = typer.Option("relevance", help="relevance | date"),
        as_json: bool = typer.Option(False, "--json", help="输出与 /api/search 相同的 JSON"),
        engine: str = EngineOption,
        data_dir: Path = DataDirOption,
        db: str = DbOption,
    ) -> None:
        """全文检索文件、条款、任务和日志。"""
        refuse_reversed_range(date_from, date_to)
        risk = label_filter("--risk", risk, risks_only=True)
        from api.service import Gongwen

        # `gongwen search 困难职工 帮扶`: words the shell split are one query, as if quoted
        query = " ".join(words or [])

        filters = {k: v for k, v in {"issuer": issuer, "year": year, "doc_type": doc_type, "doc_number": doc_number,
                                     "kind": kind, "tags": tag,
                                     "risks": risk, "region": region, "date_from": date_from,
                                     "date_to": date_to}.items() if v is not None}
        with user_errors():
            res = Gongwen(settings(data_dir, db, engine=engine)).search(query, filters=filters, page=page,
                                                                         per_page=per_page, sort=sort)
        for line in res.get("warnings", ()):
            err.print(f"[yellow]注意[/] {escape(line)}", highlight=False)
        if as_json:
            sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")
            return
        out.print(f"共 [bold]{res['total']}[/] 条结果（{res['took_ms']:.1f} 毫秒）", highlight=False)
        if res["total"] and not res["hits"]:
            pages = -(-res["total"] // per_page)
            out.print(f"第 {page} 页没有结果（共 {pages} 页）")
        if res.get("note"):
            out.print(escape(res["note"]), highlight=False)
        if res.get("relaxed") and res["hits"]:
            out.print("[dim]没有同时包含全部词语的结果，以下结果包含其中部分词语。[/]")
        first = (page - 1) * per_page
        for i, h in enumerate(res["hits"], first + 1):
            where = f" › {escape(h['path'])}" if h.get("path") else ""
            meta = " ".join(x for x in (h.get("issuer"), h.get("doc_number"), h.get("date")) if x)
            out.print(f"\n[bold]{i}. [{KIND_NAMES.get(h['kind'], h['kind'])}] {escape(h.get('title') or h['id'])}[/]{where}",
                      highlight=False)
            if meta:
                out.print(f"   [dim]{escape(meta)}[/]", highlight=False)
            # a document-level snippet is the notice's raw head with its line breaks: show it as one line
            snippet = re.sub(r"\s+", " ", h.get("snippet") or "").strip()
            out.print("   " + _marks_to_rich(snippet), highlight=False)
        facets = [f"{FACET_NAMES.get(k, k)}：" + "、".join(f"{KIND_NAMES.get(v, v) if k == 'kind' else v}({c})"
                                                           for v, c in vs[:5])
                  for k, vs in res["facets"].items() if vs]
        if facets:
            out.print("\n[dim]" + escape("；".join(facets)) + "[/]", highlight=False)

    @app.command()
    def reindex(
        pending: bool = typer.Option(False, "--pending", help="只补做待索引的改动（中断的入库等留下的），不全部重建"),
        engine: str = EngineOption,
        data_dir: Path = DataDirOption,
        db: str = DbOption,
    ) -> None:
        """从数据库重建检索索引（数据库是唯一可信来源）。"""
        from api.service import Gongwen

        if pending:
            with user_errors(), Gongwen(settings(data_dir, db, engine=engine)) as svc:
                retried = svc.store.retry_failed()  # the set-aside ones get a new round of attempts
                done = svc.drain_index(wait=60.0)
                left = svc.store.count_pending()
            out.print(f"已补做待索引的改动 {done} 项" + (f"（其中曾被索引拒绝而搁置的 {retried} 项已重试）" if retried else "")
                      + (f"（仍有 {left} 项待处理）" if left else "") + f"（引擎 {svc.settings.engine}）")
            return
        with user_errors():
            svc = Gongwen(settings(data_dir, db, engine=engine))
            counts = rebuild_index(svc)
        if counts.get("refused"):
            raise typer.Exit(1)

    @app.command()
    def check(
        as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
        engine: str = EngineOption,
        data_dir: Path = DataDirOption,
        db: str = DbOption,
    ) -> None:
        """核对数据库与检索索引是否一致（不一致时退出码为 1）。"""
        from api.service import Gongwen

        with user_errors(), Gongwen(settings(data_dir, db, engine=engine)) as svc:
            damaged = _sqlite_damage(svc.store.engine)
            if damaged:
                fail(f"数据库文件已损坏（SQLite 完整性检查：{damaged}）：请从备份恢复，或用另一个 --data-dir 重新入库")
            report = svc.consistency()
        if as_json:
            write_stdout(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            for key, name, unit in (("documents", "公文", "篇"), ("logs", "日志", "条")):
                r = report[key]
                line = f"{name}：库中 {r['store']} {unit}，索引中 {r['index']} {unit}"
                if r["missing"]:
                    line += f"；索引缺少 {r['missing']} 项（如 {'、'.join(r['missing_ids'][:3])}）"
                if r["extra"]:
                    line += f"；索引多出 {r['extra']} 项（如 {'、'.join(r['extra_ids'][:3])}）"
                out.print(line, highlight=False)
            if report["pending"]:
                out.print(f"待索引的改动：{report['pending']} 项", highlight=False)
            if report["failed"]:
                out.print(f"索引多次拒绝、已搁置的改动：{report['failed']} 项", highlight=False)
                for f in report["failed_items"][:5]:
                    out.print(f"  {f['kind']} {f['target']}：尝试 {f['attempts']} 次，{f['error']}", highlight=False)
        if not report["agree"]:
            err.print("[bold red]错误：[/]数据库与检索索引不一致：运行 gongwen reindex --pending 补做待索引的改动，"
                      "仍不一致再运行 gongwen reindex 全部重建", highlight=False)
            raise typer.Exit(1)
        if not as_json:
            out.print("一致" + ("（有待索引的改动，下次写入时自动补做）" if report["pending"] else ""))


def _sqlite_damage(engine) -> str | None:
    """SQLite's first complaint about its file (None: sound, or not SQLite). Counting rows
    can succeed on a file whose other pages are damaged: `check` would call it consistent."""
    if engine.dialect.name != "sqlite":
        return None
    import sqlalchemy as sa

    try:
        with engine.connect() as conn:
            rows = [r[0] for r in conn.execute(sa.text("PRAGMA quick_check(3)"))]
    except sa.exc.DatabaseError as e:
        return str(getattr(e, "orig", None) or e).splitlines()[0]
    return None if rows == ["ok"] else "；".join(rows)
