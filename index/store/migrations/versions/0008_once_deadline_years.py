"""Stored checklists get the year the deadline reader now gives a one-off deadline: a day
more than a month before the notice's date with no year of its own words is next year's
(1月底前 in a December notice). Checklists stored before that rule kept the notice's year,
so the calendar export and the 督办台账 dated such a duty before the notice was issued, and an
overdue alert may have been raised for that date. Each such deadline is read again
(nlp.checklist.deadlines.reread_year, the reader's own rule; a deadline that already has its
year is left as it is, so running this on a newer store changes nothing), the open overdue
alerts of the old date are removed (acknowledged ones are kept: a person acted on them) and
the notice is queued to be indexed again.

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CHECKLISTS = sa.table("checklists", sa.column("document_id", sa.String), sa.column("data", sa.JSON))
_DOCUMENTS = sa.table("documents", sa.column("id", sa.String), sa.column("date", sa.Date))
_ALERTS = sa.table("track_alerts", sa.column("document_id", sa.String), sa.column("obligation_id", sa.String),
                   sa.column("due", sa.Date), sa.column("status", sa.String))
_OUTBOX = sa.table("index_outbox", sa.column("kind", sa.String), sa.column("target", sa.String),
                   sa.column("created_at", sa.DateTime), sa.column("attempts", sa.Integer))


def reread(data: dict, notice_date) -> tuple[dict, list[tuple[str, dt.date]]]:
    """The checklist with its one-off deadlines' years read again, and (obligation id, old due
    day) of each deadline that moved."""
    from nlp.checklist.deadlines import due_date, reread_year

    moved: list[tuple[str, dt.date]] = []
    obligations = []
    for o in data.get("obligations") or []:
        deadlines = []
        for d in o.get("deadlines") or []:
            new = reread_year(d, notice_date) if isinstance(d, dict) else d
            if new is not d and (old := due_date(d, notice_date)):
                moved.append((str(o.get("id")), old))
            deadlines.append(new)
        obligations.append({**o, "deadlines": deadlines} if "deadlines" in o else o)
    return ({**data, "obligations": obligations} if moved else data), moved


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_CHECKLISTS.c.document_id, _CHECKLISTS.c.data, _DOCUMENTS.c.date)
                        .join(_DOCUMENTS, _DOCUMENTS.c.id == _CHECKLISTS.c.document_id)).all()
    for doc_id, data, date in rows:
        if not isinstance(data, dict):
            continue
        notice = date or (data.get("document") or {}).get("date")
        new, moved = reread(data, notice.isoformat() if isinstance(notice, dt.date) else notice)
        if not moved:
            continue
        bind.execute(_CHECKLISTS.update().where(_CHECKLISTS.c.document_id == doc_id).values(data=new))
        for obligation, old in moved:
            bind.execute(_ALERTS.delete().where(_ALERTS.c.document_id == doc_id, _ALERTS.c.obligation_id == obligation,
                                                _ALERTS.c.due == old, _ALERTS.c.status == "open"))
        bind.execute(_OUTBOX.insert().values(kind="document", target=doc_id, created_at=dt.datetime.now(dt.timezone.utc)
                                             .replace(tzinfo=None), attempts=0))


def downgrade() -> None:
    pass  # the old years were the defect; nothing to put back
