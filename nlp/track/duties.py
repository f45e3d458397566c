"""Duties as the tracker sees them: one obligation of a stored checklist plus
what the notice around it says about where and when it applies."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from nlp.checklist.deadlines import due_date

# The place an issuer governs is the start of its name up to the first
# administrative unit: 九江市总工会办公室 → 九江市, 安福县总工会 → 安福县.
_PLACE = re.compile(r"^(.{1,12}?(?:自治区|自治州|自治县|省|市|州|盟|县|区|旗))")
# A bracketed note inside an actor (各县（市、区）总工会) says nothing about who it is.
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def jurisdiction(issuers: list[str] | None) -> str | None:
    for issuer in issuers or []:
        m = _PLACE.match(issuer or "")
        if m:
            return m.group(1)
    return None


def actor_core(actor: str) -> str:
    """The part of an actor that a unit's name would repeat: 各县（市、区）总工会 →
    县总工会, 市总工会组织部 → 组织部 (the department is what the author unit names)."""
    a = _BRACKETS.sub("", actor).lstrip("各每")
    m = re.search(r"总工会(.{2,10})$", a)
    if m:
        return m.group(1)
    return a


@dataclass
class Duty:
    document_id: str
    obligation_id: str
    text: str
    action: str
    actors: list[str]
    deadlines: list[dict]
    frequency: dict | None
    section: list[str] = field(default_factory=list)
    notice_date: dt.date | None = None
    notice_title: str | None = None
    jurisdiction: str | None = None
    tier: str = "hard"
    until: dt.date | None = None  # recurring duties stop here (the notice's last one-off deadline)

    @property
    def key(self) -> tuple[str, str]:
        return (self.document_id, self.obligation_id)

    @property
    def match_text(self) -> str:
        """What a log is compared with: the clause (it holds the action) and the
        innermost section title (it names the topic the clause leaves implicit)."""
        head = self.section[-1] if self.section else ""
        return f"{head} {self.text}" if self.action in self.text else f"{head} {self.action} {self.text}"


def as_date(value) -> dt.date | None:
    """A date from a date or an ISO string (a stored log or notice date); None if there is none."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


_TITLE_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")


def campaign_end(title: str | None, obligations: list[dict], notice_date: dt.date | None) -> dt.date | None:
    """A notice whose title names a year (关于做好2024年夏季“送清凉”活动…, 2025年度…)
    is a campaign of that year: its recurring duties end with the last one-off
    deadline of that year, or with the year. Other notices (办法, 意见, 制度) stand."""
    m = _TITLE_YEAR.search(title or "")
    if not m:
        return None
    year = int(m.group(1))
    onces = [d for o in obligations for x in o.get("deadlines") or []
             if x.get("recurrence") == "once" and (d := due_date(x, notice_date)) and d.year == year]
    return max(onces) if onces else dt.date(year, 12, 31)


def duties_of(document_id: str, checklist: dict, *, title: str | None = None, date=None,
              issuers: list[str] | None = None) -> list[Duty]:
    """The duties of one stored checklist (its `document` block fills what the
    arguments leave out)."""
    meta = checklist.get("document") or {}
    # a web copy with no 成文日期 counts from the day it went up (`Document.anchor_date`)
    notice_date = as_date(date or meta.get("date") or meta.get("published"))
    issuers = issuers or meta.get("issuers") or ([meta["issuer"]] if meta.get("issuer") else [])
    place = jurisdiction(issuers)
    obligations = checklist.get("obligations") or []
    until = campaign_end(title or meta.get("title"), obligations, notice_date)
    return [
        Duty(document_id=document_id, obligation_id=o["id"], text=o.get("text") or "", action=o.get("action") or "",
             actors=list(o.get("actors") or []), deadlines=list(o.get("deadlines") or []),
             frequency=o.get("frequency"), section=list(o.get("section") or []), notice_date=notice_date,
             notice_title=title or meta.get("title"), jurisdiction=place, tier=o.get("tier") or "hard", until=until)
        for o in obligations
    ]
