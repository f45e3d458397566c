"""CLI group `gongwen eval`: measure the project's extractors against gold
annotations. `gongwen eval checklist GOLD_DIR SOURCE_DIR` scores checklist
extraction on verbatim gold files; `gongwen eval checklist` alone (or with an
annotation directory) scores it on the offsets-only annotations of real notices
(corpora/annotations/checklist, decoded against ../shared), per source site and
pooled; `--cv` adds the grouped-by-site cross-validation of the learned duty
classifier; `--missing skip` scores a page set on a page cache that lacks some pages, naming
them (as the bench looks' option of that name). Other evaluations add their command to `eval_app`."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer
from rich.markup import escape
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


# the choices of nlp.checklist.annotations.MISSING (the bench looks' --missing), as typer offers them
MissingPages = Enum("MissingPages", {m: m for m in ("refuse", "skip")}, type=str)


ANNOTATIONS = Path(__file__).resolve().parents[2] / "corpora" / "annotations" / "checklist"


def _is_annotation_dir(d: Path) -> bool:
    return not any(d.glob("*.gold.json")) and any(d.glob("*.json"))


@eval_app.command("checklist")
def eval_checklist(
    gold_dir: Path = typer.Argument(None, help="金标准目录（*.gold.json，或仅含偏移的标注 *.json；默认 corpora/annotations/checklist）"),
    source_dir: Path = typer.Argument(None, help="原文目录（*.gold.json 金标准时必填）"),
    shared: Path = typer.Option(None, "--shared", help="共享材料目录（标注的原文所在，默认仓库旁的 shared）"),
    pages: Path = typer.Option(None, "--pages", help="网页原文缓存目录（网页标注的原文所在，默认取环境变量 GONGWEN_PAGE_CACHE）"),
    missing: MissingPages = typer.Option(MissingPages.refuse, "--missing",
                                         help="网页缓存中缺少的网页：refuse 停止评测（默认），skip 略去并列出，只评其余"),
    cv: bool = typer.Option(False, "--cv", help="另做按来源网站分组的交叉验证（学习的任务判别器）"),
    folds: int = typer.Option(5, "--folds", help="交叉验证折数"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出全部分数"),
) -> None:
    """任务清单提取评测：刚性任务查准率/查全率，指标、时限、频次、主体准确率与主体查准率，名单与表格 F1。"""
    gold_dir = gold_dir or ANNOTATIONS
    if not gold_dir.is_dir():
        fail(f"金标准目录不存在：{gold_dir}")
    if _is_annotation_dir(gold_dir):
        _eval_annotations(gold_dir, shared, pages, cv, folds, as_json, missing.value)
        return
    if source_dir is None:
        fail("请给出原文目录（SOURCE_DIR）")
    _eval_gold_files(gold_dir, source_dir, as_json)


def _eval_annotations(ann_dir: Path, shared: Path | None, pages: Path | None, cv: bool, folds: int,
                      as_json: bool, missing: str = "refuse") -> None:
    from nlp.checklist.annotations import load_set
    from nlp.checklist.evaluate import by_site
    from nlp.resources import shared_root

    shared = shared or shared_root()
    if not shared.is_dir():
        fail(f"共享材料目录不存在：{shared}")
    try:
        pairs, left = load_set(ann_dir, shared, pages, missing)
    except (OSError, ValueError, KeyError) as e:
        fail(f"标注无法读取：{e}" + _skip_hint(ann_dir, pages, missing))
    for line in _left_out_lines(left):
        err.print(line, highlight=False)
    results, sites, problems = score_annotations(pairs, shared, pages)
    if not results:
        fail("没有可评测的文件：" + "；".join(problems))
    report = by_site(results, sites)
    if cv:
        from nlp.checklist.duty_model import cross_validate

        report["cv"] = cross_validate(pairs, shared, folds=folds)
    if as_json:
        out.print_json(json.dumps({"documents": results, **report, "problems": problems,
                                   "left_out": [{"file": f, "page": page} for f, page in left]}, ensure_ascii=False))
        return
    t = _table(f"任务清单提取评测：真实公文标注 {len(results)} 篇，按来源网站（P/R 为刚性任务）", "来源网站")
    t.add_column("篇", no_wrap=True)
    t.add_column("元数据", no_wrap=True)
    for site, r in report["sites"].items():
        t.add_row(*_row(site, r), str(r["documents"]), _pct(r["metadata"]["accuracy"]))
    m = report["micro"]
    t.add_row(*_row("合计（微平均）", m), str(m["documents"]), _pct(m["metadata"]["accuracy"]), style="bold")
    out.print(t)
    _summary(m)
    fields = m["metadata"].get("fields", {})
    if fields:
        out.print("元数据逐项：" + "，".join(f"{k} {v['correct']}/{v['gold']}" for k, v in fields.items()),
                  highlight=False)
    if cv:
        c = report["cv"]
        out.print(f"按来源网站分组交叉验证（{c['folds']} 折，{c['groups']} 个网站，{c['clauses']} 个分句）："
                  f"分句任务判别 P={_pct(c['precision'])} R={_pct(c['recall'])} F1={_pct(c['f1'])}"
                  f"（仅规则 P={_pct(c['rules']['precision'])} R={_pct(c['rules']['recall'])} "
                  f"F1={_pct(c['rules']['f1'])}）", highlight=False)
        stages = "规则 → 规则+学习的分句切分" if c.get("pooled_split") else "规则"
        out.print(f"测试折合计（微平均），{stages} → 全部学习环节（切分、任务判别、主体识别）：", highlight=False)
        _summary(c["pooled_rules"])
        if c.get("pooled_split"):
            _summary(c["pooled_split"])
        _summary(c["pooled"])
        if c.get("pooled_inner"):
            out.print(f"阈值改由各折训练部分内层交叉验证选定（{'，'.join(c['inner_choices'])}），测试折合计：", highlight=False)
            _summary(c["pooled_inner"])
    for p in problems:
        err.print(f"[yellow]跳过：[/]{p}", highlight=False)


def _skip_hint(ann_dir: Path, pages: Path | None, missing: str) -> str:
    """When the refusal came from pages the cache lacks: how many, and the option that leaves them out."""
    from ingest.settings import page_cache
    from nlp.checklist.annotations import pages_left_out

    if missing != "refuse":
        return ""
    try:
        anns = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(ann_dir.glob("*.json"))]
        lacking = pages_left_out([(a["file"], a["page"]) for a in anns if "page" in a], page_cache(pages), "skip")
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return f"\n网页缓存中缺少 {len(lacking)} 个网页；加 --missing skip 可略去它们，只评其余" if lacking else ""


def _left_out_lines(left: list[tuple[str, str]]) -> list[str]:
    """What `--missing skip` left out, first (the figures that follow are on the rest)."""
    if not left:
        return []
    return ([f"网页缓存中缺少 {len(left)} 个网页，已略去（--missing skip），以下分数只计其余："]
            + [f"  略去 {escape(f)}  {escape(page)}" for f, page in left])


def score_annotations(pairs, shared: Path, pages: Path | None = None) -> tuple[dict[str, dict], dict[str, str], list[str]]:
    """Run the extractor on each annotated source file and score it against its gold."""
    from ingest.errors import GongwenError
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.annotations import source_path
    from nlp.checklist.evaluate import score

    results: dict[str, dict] = {}
    sites: dict[str, str] = {}
    problems: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("评测任务清单", total=len(pairs))
        for ann, gold in pairs:
            bar.advance(task)
            try:
                pred = extract(load(source_path(ann, shared, pages))).to_dict()
            except GongwenError as e:
                problems.append(f"{ann['file']}：{e}")
                continue
            results[ann["file"]] = score(gold, pred)
            sites[ann["file"]] = ann.get("site") or ann["file"].split("/")[-2]
    return results, sites, problems


def _table(title: str, first: str) -> RichTable:
    t = RichTable(title=title)
    t.add_column(first, overflow="fold", min_width=12)
    for col in ("P", "R", "F1", "指标", "时限", "频次", "主体", "主体查准", "名单", "表格"):
        t.add_column(col, no_wrap=True)
    return t


def _row(name: str, r: dict) -> list[str]:
    o, a = r["obligations"], r["attributes"]
    return [name, _pct(o["precision"]), _pct(o["recall"]), _pct(o["f1"]),
            _pct(a["quotas"]["accuracy"]), _pct(a["deadlines"]["accuracy"]), _pct(a["frequency"]["accuracy"]),
            _pct(a["actors"]["accuracy"]), _pct(a["actors"].get("precision")), _pct((r.get("roster") or {}).get("f1")),
            _pct((r.get("tables") or {}).get("f1"))]


def _summary(total: dict) -> None:
    o, a = total["obligations"], total["attributes"]
    n = total["documents"]
    out.print(f"微平均（{n} 篇）：刚性任务 P={_pct(o['precision'])} R={_pct(o['recall'])} "
              f"F1={_pct(o['f1'])}（金标准 {o['gold_hard']} 项，预测 {o['predicted']} 项，找到 {o['found']} 项）；"
              f"指标 {_pct(a['quotas']['accuracy'])}，时限 {_pct(a['deadlines']['accuracy'])}，"
              f"频次 {_pct(a['frequency']['accuracy'])}，主体 {_pct(a['actors']['accuracy'])}"
              f"（主体查准 {_pct(a['actors'].get('precision'))}）；"
              f"名单 F1 {_pct((total.get('roster') or {}).get('f1'))}，表格 F1 {_pct((total.get('tables') or {}).get('f1'))}",
              highlight=False)


def _eval_gold_files(gold_dir: Path, source_dir: Path, as_json: bool) -> None:
    from ingest.errors import GongwenError
    from ingest.load import load
    from nlp.checklist import extract
    from nlp.checklist.evaluate import micro_average, score

    if not source_dir.is_dir():
        fail(f"原文目录不存在：{source_dir}")
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        fail(f"{gold_dir} 中没有 *.gold.json 文件")
    results: dict[str, dict] = {}
    problems: list[str] = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True, disable=not err.is_terminal) as bar:
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
    t = _table("任务清单提取评测（P/R/F1 为刚性任务；名单、表格为 F1）", "文件")
    for name, r in results.items():
        t.add_row(*_row(name, r))
    t.add_row(*_row("合计", total), style="bold")
    out.print(t)
    _summary(total)
    for p in problems:
        err.print(f"[yellow]跳过：[/]{p}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
