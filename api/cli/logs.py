"""CLI commands for field logs: `gongwen train` (fit the tagger), `gongwen tag`
(tag JSON Lines, streaming), `gongwen log add` (store logs with their tags and
show the alerts they raise), and the read commands that mirror the web pages:
`gongwen logs` (stored logs with tags and risks) and `gongwen alerts` /
`gongwen alerts ack ID` (risk alerts and their acknowledgement)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import (
    DataDirOption,
    DbOption,
    alert_status,
    check_by,
    err,
    fail,
    first_problem,
    label_filter,
    out,
    refuse_reversed_range,
    say_page,
    settings,
    user_errors,
)
from api.labels import SEVERITY_NAMES, STATUS_NAMES
from api.settings import Settings

log_app = typer.Typer(help="蹲点日志：保存日志并自动标注、生成风险预警。", no_args_is_help=True)



def _model_dir(model: Optional[Path]) -> Path:
    """`--model` may name the tagger folder itself or a models folder holding `tagger/`."""
    base = model if model is not None else Settings().models_dir
    return base if (base / "tagger.json").exists() else base / "tagger"


def _load_tagger(model: Optional[Path]):
    from nlp.tagging import Tagger

    return Tagger.load(_model_dir(model))


def print_metrics(metrics: dict) -> None:
    cv = metrics.get("grouped_cv")
    test = cv or metrics["test"]
    where = (f"真实段落按站点交叉验证（{cv['folds']} 折，{cv['n_sites']} 个站点）" if cv else "测试集")
    for field, title in (("tasks", "任务类别"), ("risks", "风险信号")):
        f = test[field]
        table = Table(title=f"{where} {title}：macro-F1 {f['macro_f1']:.3f}  micro-F1 {f['micro_f1']:.3f}  完全一致 {f['exact_match']:.3f}")
        for col in ("标签", "P", "R", "F1", "样本数"):
            table.add_column(col, justify="left" if col == "标签" else "right")
        for lab, s in f["per_label"].items():
            table.add_row(lab, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"]))
        out.print(table)
    if "negated" in test:
        v = test["negated"]
        out.print(f"否定/已解决日志误报：{v['false_alarms']}/{v['n']}（{v['false_alarm_rate']:.1%}）")
    if cv:
        t = metrics["test"]
        out.print(f"测试集（本项目日志）：任务 macro-F1 {t['tasks']['macro_f1']:.3f}，风险 macro-F1 {t['risks']['macro_f1']:.3f}")


def train_cmd(
    corpora: Optional[Path] = typer.Option(None, "--corpora", help="语料目录（含 taxonomy.toml 和 logs/），默认 corpora/"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="模型目录，模型写入其下 tagger/（默认 数据目录/models/）"),
    in_place: bool = typer.Option(False, "--in-place", help="覆盖仓库中随附的模型（models/tagger）"),
    cv_folds: int = typer.Option(5, "--cv-folds", min=0, help="真实段落按站点交叉验证的折数（0 = 不做）"),
    chars_only: bool = typer.Option(False, "--chars-only", help="只用字 n-gram 特征（不分词，更快）"),
    page_cache: Optional[Path] = typer.Option(
        None, "--page-cache", help="网页段落原文缓存目录：给出时，--page-set 的网页段落也用于训练任务类别"),
    page_set: str = typer.Option(
        "annotations/tagging/pages", "--page-set", help="与 --page-cache 同用：语料目录下的网页段落标注目录"),
    genre_pages: list[str] = typer.Option(
        [], "--genre-pages", help="网页段落标注目录=缓存目录（可重复）：其标注用于训练体裁判断（泛谈/假设的文本不报风险）；缓存缺的页跳过并说明"),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """训练蹲点日志标注模型（任务类别 + 风险信号）：先在真实段落上按站点交叉验证，再用全部数据训练，写出模型卡。"""
    from nlp.tagging import TaggerConfig
    from nlp.tagging.pages import PageCacheError
    from nlp.tagging.train import train

    if in_place and out_dir is not None:
        fail("--out 和 --in-place 只能选一个")
    s = settings(data_dir, creates=True)
    corpora = corpora or s.corpora_dir
    # the tracked model in models/ is only replaced when asked for
    out_dir = s.models_dir if in_place else (out_dir or s.data_dir / "models")
    with user_errors():
        with err.status("训练标注模型…") as status:
            try:
                metrics = train(corpora, out_dir, TaggerConfig(word=not chars_only), cv_folds=cv_folds,
                                progress=lambda step: status.update(f"训练标注模型：{step}…"), page_cache=page_cache,
                                page_set=page_set, genre_pages=genre_pages)
            except PageCacheError as e:  # before any fit: nothing written
                fail(str(e))
    print_metrics(metrics)
    hint = "" if in_place else f"；使用时加 --model {out_dir / 'tagger'}"
    out.print(f"训练 {metrics['data']['n_train']} 条（其中真实段落 {metrics['data']['n_real']} 条），"
              f"用时 {metrics['training_seconds']:.1f} 秒；模型已写入 {out_dir / 'tagger'}{hint}")


def _lines(path: str):
    if path == "-":
        return sys.stdin.buffer, None
    p = Path(path)
    if not p.exists():
        fail(f"{path}：文件不存在")
    if p.is_dir():
        fail(f"{path}：是目录，不是 JSON Lines 文件")
    return p.open("rb"), p.stat().st_size


def _read_lines(stream, path: str, max_bytes: int):
    """The stream's lines; a file saved in GBK (Excel) or UTF-16 (Notepad) is read as
    such, and the user told which encoding was read (nlp.tagging.stream.decoded_lines).
    A line too long for a record of `max_bytes` is not held whole (a LongLine)."""
    from nlp.tagging.stream import decoded_lines

    lines, read_as = decoded_lines(stream, max_bytes)
    if read_as:
        where = "标准输入" if path == "-" else path
        from ingest.errors import readable_name

        err.print(f"[yellow]注意[/] {readable_name(where)}：不是 UTF-8 编码，已按 {read_as} 读取", highlight=False)
    return lines


def tag_cmd(
    file: str = typer.Argument(..., help="JSON Lines 文件（每行含 text），或 - 表示标准输入"),
    model: Optional[Path] = typer.Option(None, "--model", help="模型目录（默认 models/tagger）"),
    strict: bool = typer.Option(False, "--strict", help="遇到第一条坏记录即报错退出（默认处理完其余记录，有坏记录时退出码为 1）"),
    max_bytes: int = typer.Option(1024 * 1024, "--max-bytes", help="单条 text 的字节上限"),
    batch: int = typer.Option(1000, "--batch", min=1, help="每批标注的条数"),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="并行进程数（0 = 按 CPU 核数）"),
    as_json: Optional[bool] = typer.Option(
        None, "--json/--text",
        help="--json 输出 JSON Lines（{\"id\",\"tasks\",\"risks\"}，标签为 id），供程序读取；--text 输出中文标签。"
             "默认：输出到终端时为中文，重定向到文件或管道时为 JSON Lines"),
) -> None:
    """给蹲点日志打标签：逐行读 JSON Lines，每条输出任务类别、风险信号（中文名、严重程度、证据）；重定向或 --json 时输出 JSON Lines。坏记录输出错误行，处理完其余记录后以退出码 1 结束。"""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from api.service.logs import future_dates
    from nlp.tagging.stream import BadRecord, tag_lines

    def on_record(line: int, rec: dict) -> None:  # a log dated after today, as log add and POST /api/logs say
        if not isinstance(rec.get("date"), str):  # most records: no clock read per line
            return
        named = {"id": rec["id"] if rec.get("id") is not None else line, "date": rec.get("date")}
        for warning in future_dates([named], stored=False):
            err.print(f"[yellow]注意[/] {escape(warning)}", highlight=False)

    with user_errors():
        tagger = _load_tagger(model)
    stream, size = _lines(file)
    if as_json is None:
        # a program reading the output (a file, a pipe) gets JSON Lines, as before the Chinese view existed
        as_json = not sys.stdout.isatty()
    render = (lambda row: json.dumps(row, ensure_ascii=False)) if as_json else _human_line(tagger.taxonomy)
    counts = {"ok": 0, "bad": 0, "risks": 0}
    progress = None
    if size:
        progress = Progress(TextColumn("标注"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=err, transient=True, disable=not err.is_terminal)
        task = progress.add_task("tag", total=size)
        progress.start()
    write = sys.stdout.write
    try:
        with stream:
            on_line = None
            if progress:
                pending = [0]

                def on_line(nbytes: int) -> None:  # advancing per line costs more than tagging it
                    pending[0] += nbytes
                    if pending[0] >= 1 << 20:
                        progress.advance(task, pending[0])
                        pending[0] = 0
            for row in tag_lines(_read_lines(stream, file, max_bytes), tagger, strict=strict, batch=batch, max_bytes=max_bytes,
                                 on_line=on_line, n_jobs=jobs or min(4, os.cpu_count() or 1), on_record=on_record):
                if "error" in row:
                    counts["bad"] += 1
                else:
                    counts["ok"] += 1
                    counts["risks"] += bool(row["risks"])
                write(render(row) + "\n")
    except BadRecord as e:
        sys.stdout.flush()
        if progress:
            progress.stop()
        fail(str(e))
    finally:
        if progress:
            progress.stop()
    sys.stdout.flush()
    err.print(f"已标注 {counts['ok']} 条，坏记录 {counts['bad']} 条，其中 {counts['risks']} 条有风险信号")
    if counts["bad"]:
        # Same convention as `gongwen ingest`: the rest is processed, but a script must see that some failed.
        raise typer.Exit(1)


def _human_line(taxonomy):
    """One readable line per tagged record: Chinese label names, severity, the evidence
    and the cue that shows its status (ids stay in --json)."""
    from nlp.tagging.status import STATUS_NAMES as MENTION_STATUS

    names = {l.id: l.name for l in list(taxonomy.tasks) + list(taxonomy.risks)}

    def line(row: dict) -> str:
        head = f"{row['id']}  " if row.get("id") is not None else ""
        if "error" in row:
            return f"{head}第 {row['line']} 行 错误：{row['error']['message']}"
        return f"{head}任务：{'、'.join(names.get(t, t) for t in row['tasks'])}  风险：{_risk_text(row['risks'], names, MENTION_STATUS)}"

    return line


def _risk_text(risks, names: dict, status_names: dict) -> str:
    parts = []
    for r in risks or []:
        ev = r.get("evidence") or {}
        what = f"{names.get(r['id'], r['id'])}（{SEVERITY_NAMES.get(r.get('severity'), r.get('severity') or '')}"
        if ev.get("status"):
            what += f"，{status_names.get(ev['status'], ev['status'])}"
        what += "）"
        if ev.get("text"):
            what += f"「{_short(ev['text'], 30)}」"
        if (ev.get("cue") or {}).get("text"):
            what += f"〔{ev['cue']['text']}〕"
        parts.append(what)
    return "；".join(parts) or "无"


def _log_problem(rec: dict, options: dict[str, str] | None = None) -> tuple[dict, str | None]:
    """`rec` held to the limits POST /api/logs holds a log to (api.schemas.LogIn: the store's
    200-character columns, a YYYY-MM-DD date, extra fields of a shape the index keeps), and
    stored as the API stores it: (the record, None), or (`rec`, one Chinese line saying what
    is wrong, a field named by `options`' name for it when given)."""
    from pydantic import ValidationError

    from api.schemas import LogIn

    if type(rec.get("id")) is int:  # an export's numbered rows: the number is the id
        rec = {**rec, "id": str(rec["id"])}
    try:
        log = LogIn.model_validate(rec)
    except ValidationError as e:
        error, said = first_problem(e)
        where, problem = said["where"], said["problem"]
        if error["type"] == "string_type" and where == "id":
            problem = "应为字符串或整数"
        where = (options or {}).get(where, where)
        return rec, f"{where} {problem}" if where else problem
    # what the API stores of it: extra fields the index reads as text made text, labels as lists
    return {**rec, **log.model_dump(mode="json", exclude_none=True, include=set(log.model_extra or ()))}, None


def _storable(rec: dict, line: int) -> dict:
    """A record of a log file as the API would store it, or BadRecord naming its line. Before:
    an id over 200 characters was stored on SQLite and failed PostgreSQL's VARCHAR(200) as
    无法打开数据库（DataError）…请检查 --db; a list as id was stored as the text "['a']"; a nested
    extra field or a number past 2^53, which the API refuses, was stored."""
    from nlp.tagging.stream import BadRecord

    rec, problem = _log_problem(rec)
    if problem:
        raise BadRecord(line, "invalid_record", problem, rec.get("id") if isinstance(rec.get("id"), str) else None)
    return rec


_OPTIONS = {"id": "--id", "region": "--region", "date": "--date", "unit": "--unit", "text": "--text"}


@log_app.command("add")
def log_add(
    file: Optional[str] = typer.Argument(None, help="JSON Lines 文件（每行一条日志），或 - 表示标准输入"),
    text: Optional[str] = typer.Option(None, "--text", help="直接给出一条日志正文"),
    region: Optional[str] = typer.Option(None, "--region", help="地区（用于 --text）"),
    date: Optional[str] = typer.Option(None, "--date", help="日期 YYYY-MM-DD（用于 --text）"),
    unit: Optional[str] = typer.Option(None, "--unit", help="蹲点单位（用于 --text）"),
    log_id: Optional[str] = typer.Option(None, "--id", help="日志编号（用于 --text，默认自动生成）"),
    model: Optional[Path] = typer.Option(None, "--model", help="模型目录（默认 models/tagger）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON Lines 输出保存的日志及其预警"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """保存蹲点日志：自动标注任务类别和风险信号，高/严重风险生成预警并列出。"""
    from ingest.settings import MAX_LOG_CHARS
    from nlp.tagging.stream import BadRecord, blank_line, check_record

    if (file is None) == (text is None):
        fail("请给出一个 JSON Lines 文件（或 -），或者用 --text 给出一条日志")
    records: list[dict] = []
    if text is not None:
        from ingest.text import blank

        if blank(text):
            fail("日志内容不能为空")
        rec = {"text": text, "region": region, "date": date, "unit": unit}
        if log_id:
            rec["id"] = log_id
        # the API's limits here too, or the store names the log by the id it made up for it
        rec, problem = _log_problem({k: v for k, v in rec.items() if v is not None}, _OPTIONS)
        if problem:
            fail(problem + (f"，收到：{date}" if problem.startswith("--date") else ""))
        records.append(rec)
    else:
        stream, _ = _lines(file)
        with stream:
            try:  # nothing is stored when any record is bad
                for n, raw in enumerate(_read_lines(stream, file, 4 * MAX_LOG_CHARS), 1):
                    if blank_line(raw):
                        continue
                    # held to the API's limit in characters (MAX_LOG_CHARS, in _storable), not
                    # to `tag`'s in bytes: a record can be no longer in UTF-8 than 4 bytes a character
                    records.append(_storable(check_record(raw, n, 4 * MAX_LOG_CHARS), n))
            except BadRecord as e:
                fail(str(e))
        if not records:
            fail("没有可保存的日志")
    from api.service import Gongwen

    for r in records:  # this command tags every log itself, labels in the file or not
        r.pop("tasks", None)
        r.pop("risks", None)
    with user_errors():
        tagger = _load_tagger(model)
        with Gongwen(settings(data_dir, db, creates=True)) as app:
            # through the service, like POST /api/logs: control characters dropped before tagging,
            # stored, alerts raised AND indexed for search
            saved = app.add_logs(records, tagger=tagger)
            stored = saved["items"]
    ids = [log["id"] for log in stored]
    alerts = saved["alerts"]
    for warning in saved["warnings"]:  # stored all the same, as POST /api/logs does, and said
        err.print(f"[yellow]注意[/] {escape(warning)}", highlight=False)
    replaced = set(saved["replaced"])
    for log_id in saved["replaced"]:  # --id of a stored log replaces it, as POST /api/logs does
        err.print(f"已替换日志 {escape(log_id)}（原有内容已覆盖）", highlight=False)
    if as_json:
        for log in stored:
            sys.stdout.write(json.dumps({"id": log["id"], "tasks": log["tasks"], "risks": log["risks"],
                                         "alerts": log.get("alerts", []), "replaced": log["id"] in replaced},
                                        ensure_ascii=False) + "\n")
        err.print(f"已保存 {len(ids)} 条日志，生成预警 {len(alerts)} 条")
        return
    from nlp.tagging.status import STATUS_NAMES as MENTION_STATUS

    names = {l.id: l.name for l in list(tagger.taxonomy.tasks) + list(tagger.taxonomy.risks)}
    per_log: dict = {}
    for a in alerts:
        per_log.setdefault(str(a["log_id"]), []).append(a)
    table = Table(title=f"已保存日志 {len(stored)} 条")
    for col in ("日志", "任务类别", "风险信号", "预警"):
        table.add_column(col)
    for log in stored:
        mine = per_log.get(str(log["id"]), [])
        table.add_row(str(log["id"]), "、".join(names.get(t, t) for t in log["tasks"]),
                      _risk_text(log["risks"], names, MENTION_STATUS),
                      "、".join(f"{a['id']}号 {names.get(a['risk'], a['risk'])}" for a in mine if "id" in a)
                      or (f"{len(mine)} 条" if mine else "无"))
    out.print(table)
    if alerts:
        table = Table(title=f"风险预警 {len(alerts)} 条")
        for col in ("日志", "风险", "严重程度", "证据"):
            table.add_column(col)
        for a in alerts:
            ev = a.get("evidence") or {}
            table.add_row(str(a["log_id"]), names.get(a["risk"], a["risk"]), SEVERITY_NAMES.get(a["severity"], a["severity"]),
                          ev.get("text", "") if isinstance(ev, dict) else "")
        out.print(table)
    err.print(f"已保存 {len(ids)} 条日志，生成预警 {len(alerts)} 条")


def _label_names() -> dict[str, str]:
    """Chinese names of the task and risk ids (ids themselves when no taxonomy is found)."""
    try:
        from nlp.tagging import load_taxonomy

        tax = load_taxonomy(Settings().corpora_dir / "taxonomy.toml")
    except Exception:  # the listing still works with bare ids
        return {}
    return {l.id: l.name for l in list(tax.tasks) + list(tax.risks)}


def _risk_ids(risks) -> list[str]:
    return [r["id"] if isinstance(r, dict) else str(r) for r in risks or []]


def _short(text: str, n: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def logs_cmd(
    tag: Optional[str] = typer.Option(None, "--tag", help="按标签筛选：任务类别或风险，中文名或 id（如 劳动关系协调 或 labor_relations）"),
    risk: Optional[str] = typer.Option(None, "--risk", help="按风险信号筛选：中文名或 id（如 欠薪欠保 或 wage_arrears）"),
    region: Optional[str] = typer.Option(None, "--region", help="按地区筛选"),
    date_from: Optional[str] = typer.Option(None, "--from", "--date-from", help="起始日期 YYYY-MM-DD（含）"),
    date_to: Optional[str] = typer.Option(None, "--to", "--date-to", help="截止日期 YYYY-MM-DD（含）"),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="最多列出条数"),
    offset: int = typer.Option(0, "--offset", min=0, max=10**9, help="跳过前几条（翻页）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON Lines 输出"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """列出已保存的蹲点日志及其任务类别和风险信号（新的在前）。"""
    refuse_reversed_range(date_from, date_to)
    tag, risk = label_filter("--tag", tag, risks_only=False), label_filter("--risk", risk, risks_only=True)
    from api.service import Gongwen

    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            page = app.list_logs(tag=tag, risk=risk, region=region, date_from=date_from, date_to=date_to,
                                 limit=limit, offset=offset)
    rows = page["items"]
    # a page, as /api/logs and the /logs page give it: what was left out is said on stderr
    paged = say_page(page["total"], offset, len(rows), "条")
    if as_json:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    names = _label_names()
    table = Table(title=f"蹲点日志 {len(rows)} 条")
    for col in ("编号", "日期", "地区", "任务类别", "风险信号", "内容"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["id"]), r.get("date") or "", r.get("region") or "",
                      "、".join(names.get(t, t) for t in r.get("tasks") or []),
                      "、".join(names.get(x, x) for x in _risk_ids(r.get("risks"))) or "无",
                      _short(r.get("text", "")))
    out.print(table)
    if not paged:
        err.print(f"共列出 {len(rows)} 条日志")


alerts_app = typer.Typer(help="风险预警：列出预警（默认），ack 确认一条预警。", invoke_without_command=True)


@alerts_app.callback()
def alerts_cmd(
    ctx: typer.Context,
    status: Optional[str] = typer.Option(None, "--status", help=f"按状态筛选：open（{STATUS_NAMES['open']}）或 acknowledged（{STATUS_NAMES['acknowledged']}）"),
    limit: int = typer.Option(100, "--limit", min=1, max=500, help="最多列出条数"),
    offset: int = typer.Option(0, "--offset", min=0, max=10**9, help="跳过前几条（翻页）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON Lines 输出"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """列出风险预警（新的在前）；gongwen alerts ack ID 确认一条预警。"""
    ctx.obj = {"data_dir": data_dir, "db": db}
    if ctx.invoked_subcommand is not None:
        return
    status = alert_status(status)
    from api.service import Gongwen

    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            rows, total = app.list_alerts(status=status, limit=limit, offset=offset), app.count_alerts(status)
    paged = say_page(total, offset, len(rows), "条")  # as /api/alerts and the /alerts page page them
    if as_json:
        for a in rows:
            sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
        return
    names = _label_names()
    table = Table(title=f"风险预警 {len(rows)} 条")
    for col in ("编号", "日志", "日期", "地区", "风险", "严重程度", "状态", "证据"):
        table.add_column(col)
    for a in rows:
        log = a.get("log") or {}
        ev = a.get("evidence") or {}
        state = STATUS_NAMES.get(a["status"], a["status"])
        if a["status"] == "acknowledged":
            state += f"（{a.get('acknowledged_by') or '—'}）"
        table.add_row(str(a["id"]), str(a["log_id"]), log.get("date") or "", log.get("region") or "",
                      names.get(a["risk"], a["risk"]), SEVERITY_NAMES.get(a["severity"], a["severity"]), state,
                      ev.get("text", "") if isinstance(ev, dict) else "")
    out.print(table)
    if not paged:
        err.print(f"共列出 {len(rows)} 条预警")


@alerts_app.command("ack")
def alerts_ack(
    ctx: typer.Context,
    alert_id: int = typer.Argument(..., help="预警编号"),
    by: Optional[str] = typer.Option(None, "--by", help="确认人"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出确认后的预警"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """确认一条风险预警（已确认的保留首次确认的时间和确认人）。"""
    parent = ctx.obj or {}
    check_by(by)  # as POST /api/alerts/{id}/ack checks its body
    from api.service import Gongwen

    with user_errors():
        with Gongwen(settings(data_dir or parent.get("data_dir"), db or parent.get("db"))) as app:
            alert = app.acknowledge_alert(alert_id, by=by)
    if alert is None:
        fail(f"预警 {alert_id} 不存在")
    if as_json:
        sys.stdout.write(json.dumps(alert, ensure_ascii=False) + "\n")
        return
    out.print(f"预警 {alert['id']} 已确认（{alert.get('acknowledged_by') or '未署名'}，{alert.get('acknowledged_at')}）")


def register(app: typer.Typer) -> None:
    app.command("train")(train_cmd)
    app.command("tag")(tag_cmd)
    app.add_typer(log_app, name="log")
    app.command("logs")(logs_cmd)
    app.add_typer(alerts_app, name="alerts")
