"""Flatten what gongwen knows into index `Item`s: a parsed `Document` (one item for
the whole document, one per section, one per checklist obligation) and a field log."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from typing import Any

from ingest.document import Document

from .analysis import corpora_dir
from .base import Item
from .query import normalize_doc_number

_REGION = re.compile(r"^(.{2,}?(?:自治区|自治州|特别行政区|省|市|县|区|盟|旗))")


def region_of(issuer: str | None) -> str | None:
    """The place an issuer belongs to (九江市总工会 → 九江市), when it names one."""
    if not issuer or issuer.startswith(("中华全国", "全国")):
        return "全国" if issuer and issuer.startswith(("中华全国", "全国")) else None
    m = _REGION.match(issuer)
    return m.group(1) if m else None


@lru_cache(maxsize=1)
def label_names() -> dict[str, str]:
    """Taxonomy id → Chinese name (corpora/taxonomy.toml), so facets and filters
    speak Chinese: wage_arrears → 欠薪 (the name given there)."""
    path = corpora_dir() / "taxonomy.toml"
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError):
        return {}
    return {t["id"]: t["name"] for key in ("tasks", "risks") for t in data.get(key, []) if "id" in t and "name" in t}


def label_name(v: str) -> str:
    return label_names().get(v, v)


def _labels(values: Any) -> list[str]:
    """Tags/risks as Chinese names, whether given as ids, names or {"label": …} dicts."""
    out: list[str] = []
    for v in values or []:
        if isinstance(v, dict):
            v = v.get("label") or v.get("name") or v.get("id") or v.get("category") or v.get("type")
        if v:
            out.append(label_name(str(v)))
    return list(dict.fromkeys(out))


def items_from_document(doc: Document, checklist: dict | None = None, *, tags: list[str] | None = None) -> list[Item]:
    """The document item, its sections (with their numbering path and the
    document's title/文号/issuer/date) and its checklist obligations."""
    did = doc.id
    common = dict(
        doc_id=did,
        title=doc.title or doc.source.name,
        issuer=doc.issuer,
        doc_number=normalize_doc_number(doc.doc_number) if doc.doc_number else None,
        doc_type=doc.doc_type,
        date=doc.anchor_date,  # the year filter and facet: a web copy with no 成文日期 by the day it went up
        region=region_of(doc.issuer),
        tags=list(tags or []),
    )
    src = {"source": doc.source.name, "format": doc.source.format}
    first_lead = lead_of(doc.parts[0].preamble) if doc.parts else ""
    items = [
        Item(id=did, kind="document", text=doc.text, heading="", path="",
             extras={**src, "recipients": doc.recipients, "issuers": doc.issuers}, **common)
    ]
    for pi, part in enumerate(doc.parts):
        prefix = [part.label] if part.kind == "attachment" and part.label else []
        around = [doc.title, part.title if part.kind != "notice" else None, lead_of(part.preamble) or first_lead]
        for si, s in enumerate(part.walk()):
            path = prefix + list(s.path or [s.heading])
            items.append(Item(
                id=f"{did}:p{pi}s{si}", kind="section", text=s.text, heading=s.heading,
                path=" > ".join(p for p in path if p), context=context_of(around, path[:-1]),
                extras={**src, "start": s.start, "end": s.end, "page": s.page, "level": s.level,
                        "number": s.number, "part": part.kind, "part_title": part.title},
                **common))
    sections = [it for it in items if it.kind == "section"]
    for ob in (checklist or {}).get("obligations", []) or []:
        oid = str(ob.get("id") or len(items))
        actors = [a if isinstance(a, str) else str(a.get("name", a)) for a in ob.get("actors") or []]
        section = ob.get("section") or []
        if isinstance(section, str):
            section = [section]
        extras = {k: ob.get(k) for k in ("actors", "action", "modality", "tier", "quotas", "deadlines",
                                         "frequency", "start", "end", "page", "part") if k in ob}
        item = Item(
            id=f"{did}:o{oid}", kind="obligation", text=ob.get("text") or "",
            heading=section[-1] if section else "", path=" > ".join(section),
            context=context_of([doc.title, first_lead], section[:-1]),
            extras={**src, **extras, "obligation_id": oid},
            **{**common, "tags": list(dict.fromkeys(common["tags"] + actors))})
        fold_duty(clause_of(item, sections) or items[0], item)
        items.append(item)
    return items


LEAD_CHARS = 100  # a notice's opening words a passage inherits (its subject when the title is missing)


def lead_of(preamble: str | None) -> str:
    """The opening words of a part (what precedes its first section): where a notice
    says what it is about (…特举办2019年职工拔河比赛), often the only place when the
    file has no title line."""
    return " ".join((preamble or "").split())[:LEAD_CHARS] if LEAD_CHARS > 0 else ""


def context_of(around: list[str | None], above: list[str]) -> str:
    """A passage's context field: what is `around` it (notice title, part title, lead)
    and the headings `above` its own, one to a line, none repeated."""
    return "\n".join(dict.fromkeys(x for x in [*around, *above] if x))


def clause_of(duty: Item, sections: list[Item]) -> Item | None:
    """The innermost section whose span holds the duty's span: the clause the duty
    was extracted from (the same sentence, which would otherwise be a second hit).
    Decided by span, never by text: the checklist may word a duty otherwise than its
    clause (trimmed, an actor filled in). None when no section holds it (a notice
    without numbered sections, its opening lines, a closing line after the last one):
    the caller folds it into the document item, the one passage holding that text."""
    s, e = duty.extras.get("start"), duty.extras.get("end")
    if not isinstance(s, int) or not isinstance(e, int):
        return None
    best = None
    for sec in sections:
        a, b = sec.extras.get("start"), sec.extras.get("end")
        if isinstance(a, int) and isinstance(b, int) and a <= s and e <= b and (
                best is None or b - a < best.extras["end"] - best.extras["start"]):
            best = sec
    return best


def fold_duty(clause: Item, duty: Item) -> None:
    """One hit per passage: the clause carries the duty (shown inside its hit, its
    actors among its tags, so tag filters still find it), and the duty item is
    marked as folded (`passage`): searches leave it out unless they ask for duties
    alone (kind:obligation, the checklist view), where it is listed itself."""
    keep = ("obligation_id", "actors", "action", "modality", "tier", "quotas", "deadlines", "frequency")
    clause.extras.setdefault("duties", []).append(
        {"id": duty.id, "text": duty.text, **{k: duty.extras[k] for k in keep if k in duty.extras}})
    clause.tags = list(dict.fromkeys(clause.tags + [t for t in duty.tags if t not in clause.tags]))
    duty.extras["passage"] = clause.id


def item_from_log(log: dict) -> Item:
    """A field log (蹲点日志) dict → one item. Reads the corpus record keys (id, text,
    date, region, unit, kind, tasks, risks) and common variants (content, title,
    author, tags/labels). Task and risk ids become their Chinese names; ids stay in extras."""
    text = log.get("text") or log.get("content") or log.get("body") or ""
    lid = str(log.get("id") or log.get("log_id"))
    first = text.strip().split("\n", 1)[0]
    title = log.get("title") or (first[:30] + ("…" if len(first) > 30 else ""))
    tasks = log.get("tags") or log.get("labels") or log.get("tasks") or []
    risks = log.get("risks") or log.get("risk") or []
    known = {"id", "log_id", "text", "content", "body", "title", "date", "region", "place", "tags", "labels",
             "tasks", "risks", "risk", "issuer", "unit", "author", "kind"}
    extras = {k: v for k, v in log.items() if k not in known}
    extras.update({k: log[k] for k in ("unit", "author") if log.get(k)})
    extras.update(task_ids=list(tasks) if all(isinstance(t, str) for t in tasks) else [],
                  risk_ids=list(risks) if all(isinstance(r, str) for r in risks) else [])
    return Item(
        id=lid, kind="log", doc_id=lid, text=text, title=title,
        heading=log.get("unit") or "", path="",
        issuer=log.get("issuer") or log.get("author"),
        date=(str(log["date"])[:10] if log.get("date") else None),
        region=log.get("region") or log.get("place"),
        tags=_labels(tasks), risks=_labels(risks),
        doc_type=log.get("kind") or "蹲点日志",
        extras=extras,
    )
