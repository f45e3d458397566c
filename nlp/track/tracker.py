"""Duty tracking over a store: duties from the stored checklists, links from the
matcher (full re-match or one new batch of logs), the ledger and its alerts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from index.store.track import TrackStore
from nlp.track.days import real_today
from nlp.track.duties import Duty, duties_of
from nlp.track.ledger import DONE, STATUSES, DutyRow, Evidence, build, overdue
from nlp.track.linking import MatchConfig, Matcher, says_done


class TrackError(ValueError):
    """A bad filter or an unknown document/link (the CLI and API turn it into one line)."""


@dataclass
class Filters:
    document_id: str | None = None
    actor: str | None = None
    status: str | None = None
    due_before: dt.date | None = None

    def check(self) -> None:
        if self.status and self.status not in STATUSES:
            raise TrackError(f"状态只能是：{'、'.join(STATUSES)}；收到：{self.status}")


class Tracker:
    def __init__(self, store, config: MatchConfig | None = None):
        self.track = TrackStore(store)
        self.config = config

    def duties(self, document_id: str | None = None) -> list[Duty]:
        out = []
        for c in self.track.checklists(document_id):
            out += duties_of(c["id"], c["checklist"], title=c["title"], date=c["date"], issuers=c["issuers"])
        return out

    # ---------------------------------------------------------------- matching
    def rematch(self) -> dict:
        """Match every stored log against every duty; people's decisions are kept."""
        duties = self.duties()
        logs = self.track.logs()
        links = Matcher(duties, self.config).match(logs) if duties else {}
        n = self.track.replace_auto_links([l for ls in links.values() for l in ls])
        return {"duties": len(duties), "logs": len(logs), "links": n}

    def match_new(self, log_ids: list[str], today: dt.date | None = None) -> dict:
        """Match new logs against the open duties only: those whose occurrence in
        progress on `today` is not done yet (a finished duty needs no more evidence).
        Open is judged without these logs' own links, and only their auto links to the open
        duties are replaced: run again on a log that completed a duty, the duty is not closed
        by that very link (which would drop it and link the log elsewhere), so a rerun gives
        the links the first run gave."""
        today = today or real_today()
        logs = self.track.logs(log_ids)
        missing = sorted(set(log_ids) - {log["id"] for log in logs})
        if missing:  # a mistyped id would otherwise give 日志 0 条 as if it had been looked at
            raise TrackError(f"找不到日志：{'、'.join(missing[:5])}" + (f" 等 {len(missing)} 条" if len(missing) > 5 else "")
                             + "；没有匹配任何日志")
        duties = self.duties()
        given = set(log_ids)
        others = {key: [e for e in ev if e.log_id not in given] for key, ev in self._evidence().items()}
        rows = build(duties, others, today)
        open_keys = {r.duty.key for r in rows if r.occurrences and r.occurrences[-1].status != DONE}
        links = Matcher([d for d in duties if d.key in open_keys], self.config).match(logs) if open_keys else {}
        n = self.track.replace_auto_links([l for ls in links.values() for l in ls], log_ids=log_ids, duties=open_keys)
        return {"duties": len(open_keys), "logs": len(logs), "links": n}

    # ---------------------------------------------------------------- ledger
    def _evidence(self, document_id: str | None = None) -> dict[tuple[str, str], list[Evidence]]:
        out: dict[tuple[str, str], list[Evidence]] = {}
        for l in self.track.links(document_id):
            log = l["log"]
            day = dt.date.fromisoformat(log["date"]) if log["date"] else None
            # a person's confirmation is evidence whatever the score; done is re-read from the sentence
            out.setdefault((l["document_id"], l["obligation_id"]), []).append(
                Evidence(l["log_id"], day, l["score"], l["sentence"], bool(l["done"]) or says_done(l["sentence"]),
                         l["state"], l["id"], log["region"], log["text"]))
        return out

    def _ledger(self, duties: list[Duty], today: dt.date, document_id: str | None = None) -> list[DutyRow]:
        return build(duties, self._evidence(document_id), today)

    def ledger(self, filters: Filters, today: dt.date | None = None) -> list[DutyRow]:
        filters.check()
        today = today or real_today()
        if filters.document_id and not self.track.has_document(filters.document_id):
            raise TrackError(f"找不到公文：{filters.document_id}")
        duties = self.duties(filters.document_id)
        if filters.actor:
            duties = [d for d in duties if any(filters.actor in a for a in d.actors)]
        rows = self._ledger(duties, today, filters.document_id)
        if filters.status:
            rows = [r for r in rows if any(o.status == filters.status for o in r.occurrences)]
        if filters.due_before:
            rows = [r for r in rows if any(o.occurrence.due and o.occurrence.due < filters.due_before
                                           and o.status != DONE for o in r.occurrences)]
        return rows

    def alerts(self, status: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Stored overdue alerts (earliest due first; a page of them with `limit`/`offset`)
        with the duty's text, actors and notice title."""
        duties = {d.key: d for d in self.duties()}
        out = []
        for a in self.track.alerts(status, limit, offset):
            d = duties.get((a["document_id"], a["obligation_id"]))
            out.append({**a, "task": d.text if d else None, "actors": d.actors if d else [],
                        "notice_title": d.notice_title if d else None})
        return out

    def preview_alerts(self, day: dt.date, status: str | None = None, limit: int | None = None,
                       offset: int = 0) -> tuple[int, list[dict]]:
        """What the alert list would hold on `day` (`days.is_preview`): every occurrence overdue
        on it without evidence, earliest due first, as (how many, this page of them); nothing is
        stored. An occurrence already alerted carries its stored alert's id and status (`status`
        filters on it: acknowledged, or open for the rest); one not alerted yet has no id."""
        duties = self.duties()
        keyed = {(a["document_id"], a["obligation_id"], a["due"]): a for a in self.track.alerts()}
        by_key: dict = {}
        for r, o in overdue(self._ledger(duties, day)):
            key = (o.occurrence.due.isoformat(), r.duty.document_id, r.duty.obligation_id)
            stored = keyed.get((key[1], key[2], key[0]))
            if status and (stored or {}).get("status", "open") != status:
                continue
            by_key.setdefault(key, (*key, r.duty, o.occurrence.label, stored))  # one alert a key, as raise_alerts
        found = sorted(by_key.values(), key=lambda x: x[:3])
        end = None if limit is None else offset + limit
        items = [{**(stored or {"id": None, "status": "open", "created_at": None, "acknowledged_at": None,
                                "acknowledged_by": None}),
                  "document_id": doc, "obligation_id": ob, "due": due, "label": label, "task": d.text,
                  "actors": d.actors, "notice_title": d.notice_title}
                 for due, doc, ob, d, label, stored in found[offset:end]]
        return len(found), items

    def refresh_alerts_or_say(self) -> str | None:
        """`refresh_alerts` before a listing of the alerts; on a store that takes no writes (a
        data folder on read-only media) the line saying the list holds only the stored alerts."""
        folder = getattr(self.track.store, "read_only_folder", None)
        if folder:
            return f"{folder}，未能为当天逾期未见进展的任务生成新的预警：以下只是已保存的预警"
        self.refresh_alerts()
        return None

    def refresh_alerts(self) -> int:
        """Raise an alert (待处理) for every occurrence overdue today without evidence. Today
        only: an alert raised for another day would be stored as true (`days`); that day's
        list is `preview_alerts`."""
        rows = self._ledger(self.duties(), real_today())
        return self.track.raise_alerts((r.duty.document_id, r.duty.obligation_id, o.occurrence.due,
                                        o.occurrence.label) for r, o in overdue(rows))

def link_new_logs_quietly(store, log_ids: list[str]) -> None:
    """New logs meet the open duties as they are stored (`Gongwen.add_logs`). The
    logs are stored already: a failure here is logged, never the caller's error;
    `gongwen track-match` repairs it."""
    import logging

    try:
        Tracker(store).match_new(log_ids)
    except Exception:  # noqa: BLE001 - linking is secondary to storing the log
        logging.getLogger(__name__).warning("linking new logs to duties failed", exc_info=True)
