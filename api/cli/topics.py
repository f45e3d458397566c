"""CLI commands: topics (research-topic discovery over field logs)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from api.cli.common import DataDirOption, DbOption, err, fail, out, settings, user_errors
from ingest.errors import os_reason

topics_app = typer.Typer(help="调研课题发现：从日志中找出反复出现的问题、趋势和建议课题。", invoke_without_command=True)


def read_jsonl_logs(path: str) -> list[dict]:
    """Logs from a JSON Lines file (or - for stdin), read as `gongwen log add` reads one (a
    file saved in GBK or UTF-16 too); lines that are not a JSON object with a text are
    reported and skipped."""
    from api.cli.logs import _lines, _read_lines
    from ingest.settings import MAX_LOG_CHARS

    stream, _ = _lines(path)
    logs, bad = [], 0
    with stream:
        # a line too long for a log (as gongwen log add holds them) is a skipped line, not read whole
        for n, line in enumerate(_read_lines(stream, path, 4 * MAX_LOG_CHARS), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:  # not JSON, or bytes that are not UTF-8 in a file that mostly is
                bad += 1
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
                bad += 1
                continue
            rec.setdefault("id", str(n))
            logs.append(rec)
    if bad:
        err.print(f"跳过 {bad} 行（不是 JSON 或没有文字 text）")
    return logs


def print_report(report: dict, top: int) -> None:
    table = Table(title=f"话题（{report['n_logs']} 条日志）")
    for col in ("编号", "话题", "关键短语", "日志数", "新兴度", "主要风险", "地区数"):
        table.add_column(col)
    for t in sorted(report["topics"], key=lambda t: -t["size"])[:top]:
        risk = t["risks"][0] if t["risks"] else None
        table.add_row(str(t["id"]), t["label"] + ("（不作课题）" if t.get("excluded") else ""), "、".join((t.get("phrases") or t["terms"])[:4]), str(t["size"]), f"{t['emerging']:+.2f}",
                      f"{risk['name']} {risk['share']:.0%}" if risk else "", str(len(t["regions"])))
    out.print(table)
    from nlp.topics.report import unlisted_note

    if note := unlisted_note(report):
        out.print(note)
    if report["suggestions"]:
        out.print("[bold]建议的重点调研课题[/]")
        for i, s in enumerate(report["suggestions"], 1):
            out.print(f"{i}. {s['label']}：{s['reason']}")


def _finish(report: dict, fmt: str, charts: Path | None, top: int) -> None:
    if fmt == "json":
        keys = ("id", "label", "phrases", "terms", "size", "trend", "emerging", "regions", "risks", "representative", "excluded")
        slim = {"topics": [{k: t[k] for k in keys} for t in report["topics"]],
                "topics_without_logs": report.get("topics_without_logs", []),
                "assignments": report["assignments"], "suggestions": report["suggestions"],
                "coherence": report["coherence"]}
        sys.stdout.write(json.dumps(slim, ensure_ascii=False) + "\n")
    else:
        print_report(report, top)
    if charts is not None:
        from nlp.topics.charts import write_charts

        try:
            written = write_charts(report, charts)
        except RuntimeError as e:
            fail(str(e))
        except OSError as e:  # --charts names a file, or a folder that cannot be written
            fail(f"无法把图表写到 {charts}：{os_reason(e)}（--charts 应为一个文件夹）")
        for p in written:
            err.print(f"图表：{p}")
        if not written:
            err.print("没有可画的日志，未生成图表")


@topics_app.callback()
def topics(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "--format", help="table | json"),
    charts: Path = typer.Option(None, "--charts", help="把趋势图和地区图（PNG）写到这个目录"),
    top: int = typer.Option(15, help="表中最多显示的话题数"),
    data_dir: Path = DataDirOption,
    db: str = DbOption,
) -> None:
    """用已保存的话题模型分析库中的日志（不重新训练）。"""
    ctx.obj = {"data_dir": data_dir, "db": db}  # gongwen topics --data-dir X show 3
    if ctx.invoked_subcommand is not None:
        return
    if fmt not in ("table", "json"):
        fail("--format 只能是 table 或 json")
    from api.service import Gongwen

    with user_errors():
        report = Gongwen(settings(data_dir, db)).topics()
    if report is None:
        fail("还没有话题模型：先运行 gongwen topics fit")
    if not report["n_logs"]:
        # no topic holds a log, so none is listed: say why
        err.print("库中还没有日志，没有可列出的话题。先用 gongwen log add 保存日志（或 gongwen serve --demo 导入示例），"
                  "或用 gongwen topics fit 文件.jsonl 分析一个日志文件。")
    _finish(report, fmt, charts, top)


@topics_app.command("fit")
def fit(
    file: str = typer.Argument(None, help="JSON Lines 日志文件（id、text，可选 date、region、risks）；- 为标准输入；不给则用库中的日志"),
    k: int = typer.Option(None, "--k", help="话题数；不给则按一致性（NPMI）自动选择"),
    fresh: bool = typer.Option(False, "--fresh", help="不沿用已保存模型的话题编号"),
    fmt: str = typer.Option("table", "--format", help="table | json"),
    charts: Path = typer.Option(None, "--charts", help="把趋势图和地区图（PNG）写到这个目录"),
    model_dir: Path = typer.Option(None, "--model-dir", help="模型保存目录（默认：数据目录下的 models/topics，不覆盖随程序发布的模型）"),
    top: int = typer.Option(15, help="表中最多显示的话题数"),
    data_dir: Path = DataDirOption,
    db: str = DbOption,
) -> None:
    """重新训练话题模型并保存；话题延续时保留原编号。"""
    from api.service import Gongwen

    if fmt not in ("table", "json"):
        fail("--format 只能是 table 或 json")
    with user_errors():
        svc = Gongwen(settings(data_dir, db, creates=file is not None))  # a file given: a model made from it
        logs = read_jsonl_logs(file) if file else None
        with err.status("正在训练话题模型…"):
            try:
                report = svc.fit_topics(logs, k=k, fresh=fresh, model_dir=model_dir)
            except ValueError as e:
                fail(str(e))
    err.print(f"话题数 {len(report['topics']) + len(report.get('topics_without_logs', []))}，一致性（NPMI）{report['coherence']:.3f}，日志 {report['n_logs']} 条")
    err.print(f"模型已保存到 {report['model_dir']}")
    _finish(report, fmt, charts, top)


@topics_app.command("show")
def show(
    ctx: typer.Context,
    topic_id: int = typer.Argument(..., min=0, help="话题编号（见 gongwen topics）"),
    data_dir: Path = DataDirOption,
    db: str = DbOption,
) -> None:
    """显示一个话题的全部内容（JSON，同 GET /api/topics/{id}）：标签、关键短语、趋势、地区、风险和代表日志。"""
    from api.service import Gongwen

    parent = ctx.obj or {}
    with user_errors():
        svc = Gongwen(settings(data_dir or parent.get("data_dir"), db or parent.get("db")))
        if svc.topics() is None:
            fail("还没有话题模型：先运行 gongwen topics fit")
        topic = svc.topic(topic_id)
        without_logs = topic is None and svc.topic_without_logs(topic_id)
    if without_logs:
        fail(without_logs)
    if topic is None:
        fail(f"找不到课题：{topic_id}")
    sys.stdout.write(json.dumps(topic, ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer) -> None:
    app.add_typer(topics_app, name="topics")
