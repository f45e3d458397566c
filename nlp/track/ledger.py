"""The ledger (督办台账): every duty with its occurrences, the evidence under each
and a status computed against a given day:

- 已完成: a kept link in the occurrence's window whose sentence says it is done
- 进行中: a kept link in the window (evidence found)
- 逾期未见进展: the due date has passed and no evidence was found
- 未到期: otherwise (due date ahead, or a standing duty without evidence)
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nlp.track.duties import Duty
from nlp.track.occurrences import Occurrence, expand

NOT_DUE, IN_PROGRESS, DONE, OVERDUE = "未到期", "进行中", "已完成", "逾期未见进展"
STATUSES = (NOT_DUE, IN_PROGRESS, DONE, OVERDUE)


@dataclass
class Evidence:
    log_id: str
    log_date: dt.date | None
    score: float
    sentence: str
    done: bool
    state: str = "auto"  # auto | confirmed (rejected links are not evidence)
    link_id: int | None = None
    region: str | None = None
    text: str | None = None

    def to_dict(self) -> dict:
        return {"link_id": self.link_id, "log_id": self.log_id,
                "log_date": self.log_date.isoformat() if self.log_date else None, "score": self.score,
                "sentence": self.sentence, "done": self.done, "state": self.state, "region": self.region}


@dataclass
class OccurrenceRow:
    occurrence: Occurrence
    status: str
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict:
        o = self.occurrence
        return {"label": o.label, "kind": o.kind, "start": o.start.isoformat() if o.start else None,
                "due": o.due.isoformat() if o.due else None, "status": self.status,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class DutyRow:
    duty: Duty
    occurrences: list[OccurrenceRow]

    @property
    def current(self) -> OccurrenceRow:
        """The occurrence a reader looks at first: the earliest overdue one without
        evidence, else the last one (in progress or next due)."""
        for o in self.occurrences:
            if o.status == OVERDUE:
                return o
        return self.occurrences[-1]

    @property
    def next_due(self) -> dt.date | None:
        return self.occurrences[-1].occurrence.due if self.occurrences else None

    def to_dict(self) -> dict:
        d = self.duty
        return {"document_id": d.document_id, "obligation_id": d.obligation_id, "notice_title": d.notice_title,
                "text": d.text, "action": d.action, "actors": d.actors, "tier": d.tier,
                "frequency": (d.frequency or {}).get("text"), "deadlines": [x.get("text") for x in d.deadlines],
                "status": self.current.status, "next_due": self.next_due.isoformat() if self.next_due else None,
                "occurrences": [o.to_dict() for o in self.occurrences]}


def status_of(occ: Occurrence, evidence: list[Evidence], today: dt.date) -> str:
    if any(e.done for e in evidence):
        return DONE
    if evidence:
        return IN_PROGRESS
    if occ.due is not None and occ.due < today:
        return OVERDUE
    return NOT_DUE


def build(duties: list[Duty], evidence: dict[tuple[str, str], list[Evidence]], today: dt.date) -> list[DutyRow]:
    """Ledger rows of `duties`; `evidence` holds the kept links per duty key. A link
    goes to the occurrence whose window holds the log's date (a log after the last
    window still counts for the last occurrence: a late report is progress)."""
    rows = []
    for duty in duties:
        occs = expand(duty, today)
        buckets: list[list[Evidence]] = [[] for _ in occs]
        for e in evidence.get(duty.key, []):
            if e.log_date and e.log_date > today:
                continue  # not known yet on that day
            idx = next((i for i, o in enumerate(occs) if o.contains(e.log_date)), None)
            if idx is None and occs and (e.log_date is None or occs[-1].due is None or e.log_date > occs[-1].due):
                idx = len(occs) - 1
            if idx is not None:
                buckets[idx].append(e)
        rows.append(DutyRow(duty, [OccurrenceRow(o, status_of(o, b, today), sorted(b, key=lambda e: -e.score))
                                   for o, b in zip(occs, buckets)]))
    return rows


def overdue(rows: list[DutyRow]) -> list[tuple[DutyRow, OccurrenceRow]]:
    return [(r, o) for r in rows for o in r.occurrences if o.status == OVERDUE]
