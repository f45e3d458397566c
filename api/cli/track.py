"""`gongwen track`: the duty ledger (督办台账) of stored notices — each duty, its
occurrences and status, the field logs that are evidence for it — as a table,
JSON or an XLSX with one sheet per notice; `gongwen track-match` links logs to
duties, `gongwen track-link confirm|reject` records a person's decision,
`gongwen track-alerts` lists (and raises, for today) overdue alerts, or
previews another day's without storing them."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.table import Table

from api.cli.common import (
    DataDirOption,
    DbOption,
    alert_status,
    check_by,
    document_id,
    err,
    fail,
    out,
    say_page,
    settings,
    user_errors,
    write_whole,
)
from api.labels import STATUS_NAMES

STATUS_HELP = "未到期、进行中、已完成、逾期未见进展"


def _day(value: Optional[str], what: str) -> Optional[dt.date]:
    if value is None:
        return None
    from api.schemas import ISO_DATE
    from nlp.track.days import out_of_range

    try:
        # YYYY-MM-DD only, as /api/track reads it (api.schemas.IsoDate): Python also reads 20240710
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{what}应为 YYYY-MM-DD，收到：{value}")
    if line := out_of_range(day):  # as /api/track refuses it (api.track_schemas.TrackDay)
        fail(f"{what}{line}")
    return day


def track_cmd(
    doc_id: Optional[str] = typer.Argument(None, help="公文编号（前 4 位以上即可；省略则列出所有公文的任务）"),
    actor: Optional[str] = typer.Option(None, "--actor", help="按责任单位筛选（包含该文字）"),
    status: Optional[str] = typer.Option(None, "--status", help=f"按状态筛选：{STATUS_HELP}"),
    due_before: Optional[str] = typer.Option(None, "--due-before", help="只列出该日期前到期且未完成的任务 YYYY-MM-DD"),
    today: Optional[str] = typer.Option(None, "--today", help="按哪一天计算状态 YYYY-MM-DD（默认今天）"),
    limit: int = typer.Option(100, "--limit", min=1, max=500, help="最多列出任务项数（xlsx 不分页，含全部）"),
    offset: int = typer.Option(0, "--offset", min=0, max=10**9, help="跳过前几项（翻页）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（含每期的状态和佐证日志；total 为全部项数，duties 为这一页）"),
    fmt: str = typer.Option("table", "--format", help="table 或 xlsx（每份公文一个工作表）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="xlsx 写到该文件（默认 督办台账.xlsx）"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """督办台账：通知中的每项任务、各期完成时限、状态和佐证日志。"""
    if fmt not in ("table", "xlsx"):
        fail(f"--format 只能是 table 或 xlsx，收到：{fmt}")
    from api.service import Gongwen
    from nlp.track.days import real_today
    from nlp.track.export import COLUMNS, tables, to_xlsx
    from nlp.track.tracker import Filters, Tracker, TrackError

    day = _day(today, "--today") or real_today()
    filters = Filters(doc_id, actor, status, _day(due_before, "--due-before"))
    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            if doc_id:
                filters.document_id = document_id(app.store, doc_id)
            try:
                rows = Tracker(app.store).ledger(filters, today=day)
            except TrackError as e:
                fail(str(e))
    if fmt == "xlsx":
        target = output or Path("督办台账.xlsx")
        write_whole(to_xlsx(rows), target)  # whole or not at all; a folder or a missing one named as such
        err.print(f"已写出 {target}（{len(rows)} 项任务）")
        return
    # a page of the ledger, as /api/track gives it (total, then this page's duties): a working
    # database holds hundreds of duties; what was left out is said on stderr
    total, rows = len(rows), rows[offset:offset + limit]
    if as_json:
        sys.stdout.write(json.dumps({"today": day.isoformat(), "total": total, "duties": [r.to_dict() for r in rows]},
                                    ensure_ascii=False, indent=2) + "\n")
        say_page(total, offset, len(rows))
        return
    for (doc, title), table_rows in tables(rows).items():
        table = Table(title=f"{title}（{doc}）", show_lines=True)
        for col in COLUMNS:
            table.add_column(col, overflow="fold")
        for r in table_rows:
            table.add_row(*(str(r[c]) for c in COLUMNS))
        out.print(table)
    if not say_page(total, offset, len(rows)):
        err.print(f"共 {total} 项任务（按 {day} 计算状态）")



def match_cmd(
    log_ids: Optional[List[str]] = typer.Option(None, "--log", help="只匹配这些新日志（只对未完成的任务），可重复"),
    today: Optional[str] = typer.Option(None, "--today", help="判断任务是否已完成所按的日期 YYYY-MM-DD"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """把蹲点日志与通知任务关联（全部重新匹配，人工确认/驳回的关联保留）。"""
    from api.service import Gongwen
    from nlp.track.tracker import Tracker, TrackError

    day = _day(today, "--today")  # checked with or without --log, as POST /api/track/match checks it
    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            tracker = Tracker(app.store)
            try:
                r = tracker.match_new(log_ids, day) if log_ids else tracker.rematch()
            except TrackError as e:  # a --log id not stored, as the API's 404
                fail(str(e))
    err.print(f"任务 {r['duties']} 项，日志 {r['logs']} 条，新建关联 {r['links']} 条")


link_app = typer.Typer(help="佐证关联：confirm 确认、reject 驳回（重新匹配时保留）。", no_args_is_help=True)


def _decide(link_id: int, state: str, by: Optional[str], data_dir, db) -> None:
    check_by(by)  # as POST /api/track/links/{id}/confirm|reject checks its body
    from api.service import Gongwen
    from nlp.track.tracker import Tracker

    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            link = Tracker(app.store).track.decide(link_id, state, by)
    if link is None:
        fail(f"关联 {link_id} 不存在")
    out.print(f"关联 {link_id}（日志 {link['log_id']} → 任务 {link['obligation_id']}）已{'确认' if state == 'confirmed' else '驳回'}")


@link_app.command("confirm")
def link_confirm(link_id: int = typer.Argument(..., help="关联编号"),
                 by: Optional[str] = typer.Option(None, "--by", help="确认人"),
                 data_dir: Optional[Path] = DataDirOption, db: Optional[str] = DbOption) -> None:
    """确认一条佐证关联。"""
    _decide(link_id, "confirmed", by, data_dir, db)


@link_app.command("reject")
def link_reject(link_id: int = typer.Argument(..., help="关联编号"),
                by: Optional[str] = typer.Option(None, "--by", help="驳回人"),
                data_dir: Optional[Path] = DataDirOption, db: Optional[str] = DbOption) -> None:
    """驳回一条佐证关联（此后重新匹配不再提出）。"""
    _decide(link_id, "rejected", by, data_dir, db)


def alerts_cmd(
    refresh: bool = typer.Option(True, "--refresh/--no-refresh", help="先为今天逾期未见进展的任务生成预警"),
    status: Optional[str] = typer.Option(None, "--status", help="open（待处理）或 acknowledged（已确认）"),
    ack: Optional[int] = typer.Option(None, "--ack", help="确认这条预警"),
    by: Optional[str] = typer.Option(None, "--by", help="确认人"),
    today: Optional[str] = typer.Option(None, "--today", help="按哪一天判断逾期 YYYY-MM-DD；今天以外的日期只是预览，不生成预警"),
    limit: int = typer.Option(100, "--limit", min=1, max=500, help="最多列出条数"),
    offset: int = typer.Option(0, "--offset", min=0, max=10**9, help="跳过前几条（翻页）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON Lines 输出"),
    data_dir: Optional[Path] = DataDirOption,
    db: Optional[str] = DbOption,
) -> None:
    """任务逾期预警：到期未见佐证日志的任务（待处理 / 已确认，先到期的在前）；--today 为别的日期时是预览。"""
    status = alert_status(status)
    check_by(by)
    day = _day(today, "--today")
    from api.service import Gongwen
    from nlp.track import days
    from nlp.track.tracker import Tracker

    preview = days.is_preview(day)
    with user_errors():
        with Gongwen(settings(data_dir, db)) as app:
            tracker = Tracker(app.store)
            if ack is not None:
                a = tracker.track.acknowledge(ack, by)
                if a is None:
                    fail(f"预警 {ack} 不存在")
                out.print(f"预警 {ack} 已确认")
                return
            if preview:  # another day's alerts are worked out, never stored (nlp.track.days)
                total, rows = tracker.preview_alerts(day, status, limit, offset)
                err.print(f"[yellow]注意[/] {escape(days.preview_note(day))}", highlight=False)
            else:
                if refresh and (note := tracker.refresh_alerts_or_say()):
                    err.print(f"[yellow]注意[/] {escape(note)}", highlight=False)
                rows, total = tracker.alerts(status, limit, offset), tracker.track.count_alerts(status)
    # a page of them, as `gongwen alerts` and /api/track/alerts give: a working database has
    # hundreds; what was left out is said (on stderr, so --json output stays JSON Lines)
    say_page(total, offset, len(rows), "条")
    if as_json:
        for a in rows:
            sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
        return
    title = f"按 {day} 预览的任务逾期预警 {len(rows)} 条（未保存）" if preview else f"任务逾期预警 {len(rows)} 条"
    table = Table(title=title)
    for col in ("编号", "公文", "任务", "责任单位", "期次", "完成时限", "状态"):
        table.add_column(col, overflow="fold")
    for a in rows:
        table.add_row(str(a["id"] or "—"), a.get("notice_title") or a["document_id"], a.get("task") or a["obligation_id"],
                      "、".join(a.get("actors") or []), a["label"], a["due"], STATUS_NAMES.get(a["status"], a["status"]))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("track")(track_cmd)
    app.command("track-match")(match_cmd)
    app.add_typer(link_app, name="track-link")
    app.command("track-alerts")(alerts_cmd)
