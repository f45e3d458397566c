"""Check the gold checklist annotations in `corpora/gold/` against their sources.

For each `<stem>.gold.json`: the JSON has the schema's keys and value types, and
every obligation text, quota text, deadline text, roster name and table cell is
found in the text of the source file in `corpora/notices/` (read from the real
file: .txt in UTF-8 or GB18030, .docx via python-docx, .pdf via pypdf, .html via
BeautifulSoup), with all whitespace removed on both sides so a line wrapped by
the page layout still matches.

usage: python corpora/tools/check_gold.py        (exit status 1 on any problem)
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1]
GOLD = CORPORA / "gold"
NOTICES = CORPORA / "notices"

TOP_KEYS = {"source", "metadata", "obligations", "roster", "tables"}
META_KEYS = {"issuer", "doc_number", "title", "date", "recipients", "doc_type", "embedded"}
OB_KEYS = {"id", "tier", "text", "section", "actors", "action", "modality", "quotas", "deadlines",
           "frequency"}
QUOTA_KINDS = {"percent", "count", "duration", "money", "people"}
RECURRENCES = {"yearly", "monthly", "once", "relative"}
EVERY = {"day", "week", "half-month", "month", "two-months", "quarter", "half-year", "year"}
PAGE_FOOTER = re.compile(r"—\d+—")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def source_text(path: Path) -> str:
    """The text of a notice file, whatever its format."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        data = path.read_bytes()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("gb18030")
    if suffix == ".docx":
        import docx

        doc = docx.Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.append("\t".join(c.text for c in row.cells))
        return "\n".join(parts)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    if suffix in (".html", ".htm"):
        from bs4 import BeautifulSoup

        return BeautifulSoup(path.read_bytes(), "lxml").get_text("\n")
    raise ValueError(f"unknown format: {path.name}")


def searchable(path: Path) -> str:
    text = squash(source_text(path))
    if path.suffix.lower() == ".pdf":
        text = PAGE_FOOTER.sub("", text)  # page numbers can fall inside a paragraph's text
    return text


def check(gold_path: Path) -> list[str]:
    """Problems found in one gold file (empty when it is fine)."""
    errs: list[str] = []
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [f"not valid JSON: {exc}"]
    if set(gold) != TOP_KEYS:
        errs.append(f"top-level keys {sorted(gold)}")
        return errs
    src = NOTICES / gold["source"]
    if not src.exists():
        return [f"source not found: {gold['source']}"]
    text = searchable(src)

    def find(what: str, s: str | None) -> None:
        if s and squash(s) not in text:
            errs.append(f"{what} not in source: {s}")

    meta = gold["metadata"]
    if set(meta) != META_KEYS:
        errs.append(f"metadata keys {sorted(meta)}")
    if meta.get("date") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]):
        errs.append(f"date not ISO: {meta['date']}")
    if meta.get("doc_number") and not re.search(r"〔\d{4}〕", meta["doc_number"]):
        errs.append(f"doc_number brackets not normalised: {meta['doc_number']}")
    for r in meta.get("recipients") or []:
        find("recipient", r)

    ids = set()
    for ob in gold["obligations"]:
        oid = ob.get("id")
        if set(ob) != OB_KEYS:
            errs.append(f"{oid}: keys {sorted(ob)}")
            continue
        if oid in ids:
            errs.append(f"{oid}: duplicate id")
        ids.add(oid)
        if ob["tier"] not in ("hard", "soft"):
            errs.append(f"{oid}: tier {ob['tier']}")
        if ob["modality"] not in ("must", "should", "may"):
            errs.append(f"{oid}: modality {ob['modality']}")
        find(f"{oid} text", ob["text"])
        for q in ob["quotas"]:
            if q.get("kind") not in QUOTA_KINDS or set(q) != {"text", "kind", "min", "max", "unit"}:
                errs.append(f"{oid}: bad quota {q}")
            for k in ("min", "max"):
                if q.get(k) is not None and not isinstance(q[k], (int, float)):
                    errs.append(f"{oid}: quota {k} not a number")
            if squash(q["text"]) not in squash(ob["text"]):
                errs.append(f"{oid}: quota text not in duty text: {q['text']}")
        for d in ob["deadlines"]:
            if d.get("recurrence") not in RECURRENCES or set(d) != {"text", "recurrence", "month", "day", "year"}:
                errs.append(f"{oid}: bad deadline {d}")
            if d.get("recurrence") == "once" and d.get("year") is None:
                errs.append(f"{oid}: once-deadline without year")
            if squash(d["text"]) not in squash(ob["text"]):
                errs.append(f"{oid}: deadline text not in duty text: {d['text']}")
        f = ob["frequency"]
        if f is not None:
            if f.get("every") not in EVERY:
                errs.append(f"{oid}: bad frequency {f}")
            if squash(f["text"]) not in squash(ob["text"]):
                errs.append(f"{oid}: frequency text not in duty text: {f['text']}")
            if any(d["recurrence"] == "yearly" for d in ob["deadlines"]) and f["every"] == "year":
                errs.append(f"{oid}: yearly deadline carries a frequency")
        if ob["tier"] == "soft" and (ob["quotas"] or ob["deadlines"] or ob["frequency"]):
            errs.append(f"{oid}: soft duty with quota/deadline/frequency")
    for r in gold["roster"]:
        if set(r) != {"name", "title", "group", "role"}:
            errs.append(f"roster keys {sorted(r)}")
        find("roster name", r.get("name"))
        find("roster title", r.get("title"))
    for t in gold["tables"]:
        if set(t) != {"title", "header", "rows"}:
            errs.append(f"table keys {sorted(t)}")
        find("table title", t.get("title"))
        for cell in t["header"] + [c for row in t["rows"] for c in row]:
            find("table cell", cell)
        if any(len(row) != len(t["header"]) for row in t["rows"]):
            errs.append("table row length differs from header")
    return errs


def main() -> int:
    files = sorted(GOLD.glob("*.gold.json"))
    bad = 0
    for path in files:
        errs = check(path)
        gold = json.loads(path.read_text(encoding="utf-8")) if not errs or "JSON" not in errs[0] else {}
        obs = gold.get("obligations", [])
        hard = sum(o.get("tier") == "hard" for o in obs)
        status = "ok" if not errs else f"{len(errs)} problem(s)"
        print(f"{path.name}: {hard} hard, {len(obs) - hard} soft, {len(gold.get('roster', []))} roster, "
              f"{sum(len(t['rows']) for t in gold.get('tables', []))} table rows — {status}")
        for e in errs:
            print(f"    {e}")
        bad += bool(errs)
    print(f"{len(files)} gold files, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
