"""CLI group `gongwen eval`: measure the project's extractors against gold
annotations. `gongwen eval checklist GOLD_DIR SOURCE_DIR` scores checklist
extraction; other evaluations add their command to `eval_app`."""
from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table as RichTable

from api.cli.common import err, fail, out

eval_app = typer.Typer(name="eval", help="评测：用人工标注的金标准衡量提取与标注质量。", no_args_is_help=True)


def _source_for(gold_path: Path, gold: dict, source_dir: Path) -> Path | None:
    name = gold.get("source")
    if name and (source_dir / name).is_file():
        return source_dir / name
    stem = Path(name).stem if name else gold_path.name.removesuffix(".gold.json")
    for cand in sorted(source_dir.glob(f"{stem}.*")):
        if cand.is_file() and not cand.name.endswith(".gold.json"):
            return cand
    return None


def _pct(v) -> str:
    return "—" if v is None else f"{v:.3f}"


@eval_app.command("checklist")
def eval_checklist(
    gold_dir: Path = typer.Argument(..., help="金标准目录（*.gold.json）"),
    source_dir: Path = typer.Argument(..., help="原文目录"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出全部分数"),
) -> None:
    """任务清单提取评测：刚性任务查准率/查全率，指标、时限、频次、主体准确率，名单与表格 F1。"""
    from ingest.errors import GongwenError
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.evaluate import micro_average, score

    if not gold_dir.is_dir():
        fail(f"金标准目录不存在：{gold_dir}")
    if not source_dir.is_dir():
        fail(f"原文目录不存在：{source_dir}")
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        fail(f"{gold_dir} 中没有 *.gold.json 文件")
    results: dict[str, dict] = {}
    problems: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("评测任务清单", total=len(golds))
        for gp in golds:
            bar.advance(task)
            try:
                gold = json.loads(gp.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                problems.append(f"{gp.name}：金标准无法读取（{e}）")
                continue
            src = _source_for(gp, gold, source_dir)
            if src is None:
                problems.append(f"{gp.name}：在 {source_dir} 中找不到原文")
                continue
            try:
                pred = extract(load(src)).to_dict()
            except GongwenError as e:
                problems.append(f"{gp.name}：{e}")
                continue
            results[src.name] = score(gold, pred)
    if not results:
        fail("没有可评测的文件：" + "；".join(problems))
    total = micro_average(list(results.values()))
    if as_json:
        out.print_json(json.dumps({"documents": results, "micro": total, "problems": problems}, ensure_ascii=False))
        return
    t = RichTable(title="任务清单提取评测（P/R/F1 为刚性任务；名单、表格为 F1）")
    t.add_column("文件", overflow="fold", min_width=12)
    for col in ("P", "R", "F1", "指标", "时限", "频次", "主体", "名单", "表格"):
        t.add_column(col, no_wrap=True)

    def row(name: str, r: dict) -> list[str]:
        o, a = r["obligations"], r["attributes"]
        return [name, _pct(o["precision"]), _pct(o["recall"]), _pct(o["f1"]),
                _pct(a["quotas"]["accuracy"]), _pct(a["deadlines"]["accuracy"]), _pct(a["frequency"]["accuracy"]),
                _pct(a["actors"]["accuracy"]), _pct((r.get("roster") or {}).get("f1")),
                _pct((r.get("tables") or {}).get("f1"))]

    for name, r in results.items():
        t.add_row(*row(name, r))
    t.add_row(*row("合计", total), style="bold")
    out.print(t)
    o, a = total["obligations"], total["attributes"]
    out.print(f"微平均（{len(results)} 篇）：刚性任务 P={_pct(o['precision'])} R={_pct(o['recall'])} "
              f"F1={_pct(o['f1'])}（金标准 {o['gold_hard']} 项，预测 {o['predicted']} 项，找到 {o['found']} 项）；"
              f"指标 {_pct(a['quotas']['accuracy'])}，时限 {_pct(a['deadlines']['accuracy'])}，"
              f"频次 {_pct(a['frequency']['accuracy'])}，主体 {_pct(a['actors']['accuracy'])}；"
              f"名单 F1 {_pct((total.get('roster') or {}).get('f1'))}，表格 F1 {_pct((total.get('tables') or {}).get('f1'))}",
              highlight=False)
    for p in problems:
        err.print(f"[yellow]跳过：[/]{p}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
