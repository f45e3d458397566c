"""Tables and queries of duty tracking (督办台账): evidence links between field
logs and the duties of stored checklists, and overdue alerts.

A link is kept per (document, obligation, log). The matcher writes `auto` links;
a person turns one into `confirmed` or `rejected`. A full re-match replaces the
`auto` links only, so a person's decision survives it (a rejected link is never
proposed again). Links and alerts go with their document or log (ON DELETE CASCADE).
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from index.store.models import Base, ChecklistRow, DocumentRow, LogRow, utcnow

LINK_STATES = ("auto", "confirmed", "rejected")
TRACK_ALERT_STATUSES = ("open", "acknowledged")
# Keys of the PostgreSQL advisory locks that serialise rewriting the links and raising alerts
# (any constants, apart from index.store.migrate's)
_LINKS_LOCK, _ALERTS_LOCK = 7_160_530_882, 7_160_530_883


class TrackLinkRow(Base):
    __tablename__ = "track_links"
    __table_args__ = (sa.UniqueConstraint("document_id", "obligation_id", "log_id", name="uq_track_link"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    obligation_id: Mapped[str] = mapped_column(sa.String(64))
    log_id: Mapped[str] = mapped_column(sa.ForeignKey("logs.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(sa.Float)
    sentence: Mapped[str] = mapped_column(sa.Text)
    done: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    state: Mapped[str] = mapped_column(sa.String(16), default="auto", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[str | None] = mapped_column(sa.String(200))


class TrackAlertRow(Base):
    """An occurrence of a duty whose due date passed without evidence."""

    __tablename__ = "track_alerts"
    __table_args__ = (sa.UniqueConstraint("document_id", "obligation_id", "due", name="uq_track_alert"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    obligation_id: Mapped[str] = mapped_column(sa.String(64))
    due: Mapped[dt.date]
    label: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(200))


def link_dict(r: TrackLinkRow, log: LogRow | None = None) -> dict:
    d = {"id": r.id, "document_id": r.document_id, "obligation_id": r.obligation_id, "log_id": r.log_id,
         "score": r.score, "sentence": r.sentence, "done": r.done, "state": r.state,
         "decided_at": r.decided_at.isoformat() if r.decided_at else None, "decided_by": r.decided_by}
    if log is not None:
        d["log"] = {"id": log.id, "date": log.date.isoformat() if log.date else None, "region": log.region,
                    "unit": log.unit, "author": log.author, "text": log.text}
    return d


def alert_dict(a: TrackAlertRow) -> dict:
    return {"id": a.id, "document_id": a.document_id, "obligation_id": a.obligation_id, "due": a.due.isoformat(),
            "label": a.label, "status": a.status, "created_at": a.created_at.isoformat(),
            "acknowledged_at": a.acknowledged_at.isoformat() if a.acknowledged_at else None,
            "acknowledged_by": a.acknowledged_by}


class TrackStore:
    """Tracking queries over a `Store` (same engine, same transactions)."""

    def __init__(self, store):
        self.store = store

    @contextmanager
    def _serialised(self, key: int) -> Iterator[Session]:
        """A write transaction that reads what it will write over (the links or alerts stored)
        and must not race another doing the same: two at once would both insert what neither saw,
        which the unique constraints refuse (IntegrityError on PostgreSQL). SQLite's write lock,
        taken at BEGIN (`write=True`), serialises them; on PostgreSQL an advisory lock held to
        the end of the transaction does."""
        with self.store.session(write=True) as s:
            if s.get_bind().dialect.name == "postgresql":
                s.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield s

    def checklists(self, document_id: str | None = None) -> list[dict]:
        """Stored checklists with the document columns the tracker needs."""
        q = sa.select(DocumentRow.id, DocumentRow.title, DocumentRow.date, DocumentRow.issuers, ChecklistRow.data).join(
            ChecklistRow, ChecklistRow.document_id == DocumentRow.id)
        if document_id:
            q = q.where(DocumentRow.id == document_id)
        with self.store.session() as s:
            return [{"id": i, "title": t, "date": d, "issuers": iss or [], "checklist": data}
                    for i, t, d, iss, data in s.execute(q.order_by(DocumentRow.date, DocumentRow.id))]

    def has_document(self, document_id: str) -> bool:
        return self.store.has_document(document_id)

    def logs(self, ids: Iterable[str] | None = None) -> list[dict]:
        cols = (LogRow.id, LogRow.text, LogRow.date, LogRow.region, LogRow.unit, LogRow.author, LogRow.meta)
        q = sa.select(*cols)
        if ids is not None:
            q = q.where(LogRow.id.in_(list(ids)))
        with self.store.session() as s:
            return [{"id": i, "text": t, "date": d, "region": r, "unit": u, "author": a, "meta": m or {}}
                    for i, t, d, r, u, a, m in s.execute(q)]

    def replace_auto_links(self, links: Iterable[Any], *, log_ids: Iterable[str] | None = None,
                           duties: set[tuple[str, str]] | None = None) -> int:
        """Write the matcher's links: for the given logs (all logs when None) the
        old `auto` links go — only those to `duties` ((document_id, obligation_id)) when
        given, the duties the matcher was asked about — confirmed and rejected ones stay
        and are not duplicated."""
        links = list(links)
        with self._serialised(_LINKS_LOCK) as s:
            q = sa.delete(TrackLinkRow).where(TrackLinkRow.state == "auto")
            if log_ids is not None:
                q = q.where(TrackLinkRow.log_id.in_(list(log_ids)))
            if duties is not None:
                old = s.execute(sa.select(TrackLinkRow.id, TrackLinkRow.document_id, TrackLinkRow.obligation_id)
                                .where(q.whereclause)).all()
                ids = [i for i, doc, ob in old if (doc, ob) in duties]
                for start in range(0, len(ids), 500):  # under any backend's bound-parameter limit
                    s.execute(sa.delete(TrackLinkRow).where(TrackLinkRow.id.in_(ids[start:start + 500])))
            else:
                s.execute(q)
            decided = set(s.execute(sa.select(TrackLinkRow.document_id, TrackLinkRow.obligation_id,
                                               TrackLinkRow.log_id)).all())
            rows = [{"document_id": l.document_id, "obligation_id": l.obligation_id, "log_id": l.log_id,
                     "score": l.score, "sentence": l.sentence, "done": l.done, "state": "auto", "created_at": utcnow()}
                    for l in links if (l.document_id, l.obligation_id, l.log_id) not in decided]
            if rows:
                s.execute(sa.insert(TrackLinkRow), rows)
            return len(rows)

    def links(self, document_id: str | None = None, *, states: tuple[str, ...] = ("auto", "confirmed")) -> list[dict]:
        q = sa.select(TrackLinkRow, LogRow).join(LogRow, LogRow.id == TrackLinkRow.log_id).where(
            TrackLinkRow.state.in_(states))
        if document_id:
            q = q.where(TrackLinkRow.document_id == document_id)
        with self.store.session() as s:
            return [link_dict(r, log) for r, log in s.execute(q)]

    def get_link(self, link_id: int) -> dict | None:
        if not self.store.holds_row_id(link_id):
            return None
        with self.store.session() as s:
            row = s.get(TrackLinkRow, int(link_id))
            return link_dict(row, s.get(LogRow, row.log_id)) if row else None

    def decide(self, link_id: int, state: str, by: str | None = None) -> dict | None:
        if state not in ("confirmed", "rejected"):
            raise ValueError(state)
        if not self.store.holds_row_id(link_id):
            return None
        with self.store.session(write=True) as s:
            row = s.get(TrackLinkRow, int(link_id))
            if row is None:
                return None
            row.state, row.decided_at, row.decided_by = state, utcnow(), by
            return link_dict(row, s.get(LogRow, row.log_id))

    # ---------------------------------------------------------------- alerts
    def raise_alerts(self, overdue: Iterable[tuple[str, str, dt.date, str]]) -> int:
        """Alerts for overdue occurrences not alerted yet; returns how many are new."""
        new = 0
        with self._serialised(_ALERTS_LOCK) as s:
            known = set(s.execute(sa.select(TrackAlertRow.document_id, TrackAlertRow.obligation_id,
                                            TrackAlertRow.due)).all())
            for doc, ob, due, label in overdue:
                if (doc, ob, due) not in known:
                    known.add((doc, ob, due))
                    s.add(TrackAlertRow(document_id=doc, obligation_id=ob, due=due, label=label, status="open"))
                    new += 1
        return new

    def alerts(self, status: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
        q = sa.select(TrackAlertRow)
        if status:
            q = q.where(TrackAlertRow.status == status)
        q = q.order_by(TrackAlertRow.due, TrackAlertRow.id).limit(limit).offset(offset or None)
        with self.store.session() as s:
            return [alert_dict(a) for a in s.scalars(q)]

    def count_alerts(self, status: str | None = None) -> int:
        q = sa.select(sa.func.count(TrackAlertRow.id))
        if status:
            q = q.where(TrackAlertRow.status == status)
        with self.store.session() as s:
            return s.scalar(q) or 0

    def acknowledge(self, alert_id: int, by: str | None = None) -> dict | None:
        if not self.store.holds_row_id(alert_id):
            return None
        with self.store.session(write=True) as s:
            row = s.get(TrackAlertRow, int(alert_id))
            if row is None:
                return None
            if row.status != "acknowledged":
                row.status, row.acknowledged_at, row.acknowledged_by = "acknowledged", utcnow(), by
            return alert_dict(row)
