"""The ledger as a 督办台账 table (序号, 任务, 责任单位, 完成时限, 进展情况, 佐证日志),
one table per notice: what `gongwen track` prints and what its XLSX holds."""
from __future__ import annotations

import io
import re
from collections import OrderedDict

from nlp.track.ledger import DONE, OVERDUE, DutyRow

COLUMNS = ("序号", "任务", "责任单位", "完成时限", "进展情况", "佐证日志")


def deadline_text(row: DutyRow) -> str:
    d = row.duty
    parts = [x.get("text") for x in d.deadlines if x.get("text")]
    if not parts and d.frequency:
        parts.append(d.frequency.get("text") or "")
    nxt = row.next_due
    if nxt and len(row.occurrences) > 1 or (nxt and not parts):
        parts.append(f"下次 {nxt:%Y-%m-%d}")
    return "；".join(p for p in parts if p) or "—"


def progress_text(row: DutyRow) -> str:
    cur = row.current
    text = cur.status
    if len(row.occurrences) > 1:
        overdue = sum(o.status == OVERDUE for o in row.occurrences)
        done = sum(o.status == DONE for o in row.occurrences)
        text += f"（{cur.occurrence.label}；共{len(row.occurrences)}期，已完成{done}期，逾期{overdue}期）"
    return text


def evidence_text(row: DutyRow, limit: int = 3) -> str:
    ev = [e for o in row.occurrences for e in o.evidence]
    ev.sort(key=lambda e: (e.log_date is None, e.log_date), reverse=True)
    lines = [f"{e.log_id}（{e.log_date or '无日期'}{'，已确认' if e.state == 'confirmed' else ''}）：{e.sentence}"
             for e in ev[:limit]]
    if len(ev) > limit:
        lines.append(f"另有 {len(ev) - limit} 条")
    return "\n".join(lines)


def tables(rows: list[DutyRow]) -> "OrderedDict[tuple[str, str], list[dict]]":
    """(document id, title) → the table rows of that notice."""
    out: OrderedDict[tuple[str, str], list[dict]] = OrderedDict()
    for r in rows:
        key = (r.duty.document_id, r.duty.notice_title or r.duty.document_id)
        table = out.setdefault(key, [])
        table.append({"序号": len(table) + 1, "任务": r.duty.text, "责任单位": "、".join(r.duty.actors),
                      "完成时限": deadline_text(r), "进展情况": progress_text(r), "佐证日志": evidence_text(r),
                      "obligation_id": r.duty.obligation_id})
    return out


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(rows: list[DutyRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for (doc_id, title), table in tables(rows).items():
        name = _BAD_SHEET.sub("", title)[:28] or doc_id[:28]
        base, n = name, 2
        while name in used:
            name = f"{base[:26]}-{n}"
            n += 1
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append(list(COLUMNS))
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in table:
            ws.append([r[c] for c in COLUMNS])
        for col, width in zip("ABCDEF", (6, 48, 22, 22, 30, 60)):
            ws.column_dimensions[col].width = width
        for line in ws.iter_rows(min_row=2):
            for c in line:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(c.value, str) and c.value.startswith("="):
                    # openpyxl writes such a string as a formula: a clause that begins with "=" is
                    # text (Excel showed #NAME? or a repair prompt; =HYPERLINK(…) a live link)
                    c.data_type, c.quotePrefix = "s", True
    if not wb.sheetnames:
        wb.create_sheet("督办台账").append(list(COLUMNS))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
