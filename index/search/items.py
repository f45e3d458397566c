"""Flatten what gongwen knows into index `Item`s: a parsed `Document` (one item for
the whole document, one per section, one per checklist obligation) and a field log."""
from __future__ import annotations

import re
from typing import Any

from ingest.document import Document

from .base import Item
from .query import normalize_doc_number

_REGION = re.compile(r"^(.+?(?:自治区|自治州|特别行政区|省|市|县|区|州|盟|旗))")


def region_of(issuer: str | None) -> str | None:
    """The place an issuer belongs to (九江市总工会 → 九江市), when it names one."""
    if not issuer or issuer.startswith(("中华全国", "全国")):
        return "全国" if issuer and issuer.startswith(("中华全国", "全国")) else None
    m = _REGION.match(issuer)
    return m.group(1) if m else None


def _labels(values: Any) -> list[str]:
    """Tags/risks as plain strings, whether given as strings or {"label": …} dicts."""
    out: list[str] = []
    for v in values or []:
        if isinstance(v, dict):
            v = v.get("label") or v.get("name") or v.get("category") or v.get("type")
        if v:
            out.append(str(v))
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
        date=doc.date,
        region=region_of(doc.issuer),
        tags=list(tags or []),
    )
    src = {"source": doc.source.name, "format": doc.source.format}
    items = [
        Item(id=did, kind="document", text=doc.text, heading="", path="",
             extras={**src, "recipients": doc.recipients, "issuers": doc.issuers}, **common)
    ]
    for pi, part in enumerate(doc.parts):
        prefix = [part.label] if part.kind == "attachment" and part.label else []
        for si, s in enumerate(part.walk()):
            path = prefix + list(s.path or [s.heading])
            items.append(Item(
                id=f"{did}:p{pi}s{si}", kind="section", text=s.text, heading=s.heading,
                path=" > ".join(p for p in path if p),
                extras={**src, "start": s.start, "end": s.end, "page": s.page, "level": s.level,
                        "number": s.number, "part": part.kind, "part_title": part.title},
                **common))
    for ob in (checklist or {}).get("obligations", []) or []:
        oid = str(ob.get("id") or len(items))
        actors = [a if isinstance(a, str) else str(a.get("name", a)) for a in ob.get("actors") or []]
        section = ob.get("section") or ""
        items.append(Item(
            id=f"{did}:o{oid}", kind="obligation", text=ob.get("text") or "",
            heading=section if isinstance(section, str) else str(section), path=section if isinstance(section, str) else "",
            extras={**src, **{k: ob.get(k) for k in ("actors", "action", "modality", "tier", "quotas", "deadlines",
                                                     "frequency", "start", "end") if k in ob}, "obligation_id": oid},
            **{**common, "tags": list(dict.fromkeys(common["tags"] + actors))}))
    return items


def item_from_log(log: dict) -> Item:
    """A field log (蹲点日志) dict → one item; tolerant of the key names in use
    (id, text/content/body, title, author, date, region/place, tags/labels, risks)."""
    text = log.get("text") or log.get("content") or log.get("body") or ""
    lid = str(log.get("id") or log.get("log_id"))
    title = log.get("title") or text.strip().split("\n", 1)[0][:30]
    known = {"id", "log_id", "text", "content", "body", "title", "date", "region", "place", "tags", "labels",
             "risks", "risk", "issuer", "unit", "author"}
    return Item(
        id=lid, kind="log", doc_id=lid, text=text, title=title,
        heading=log.get("author") or "", path="",
        issuer=log.get("issuer") or log.get("unit") or log.get("author"),
        date=(str(log["date"])[:10] if log.get("date") else None),
        region=log.get("region") or log.get("place"),
        tags=_labels(log.get("tags") or log.get("labels")),
        risks=_labels(log.get("risks") or log.get("risk")),
        doc_type="蹲点日志",
        extras={k: v for k, v in log.items() if k not in known} | ({"author": log["author"]} if log.get("author") else {}),
    )
