"""Benchmark: the parser's metadata (issuer, 文号, title, 成文日期, 主送) on real notices
written by others, field by field, against what a person read from them:

- ../shared/real-corpus/notices-b.jsonl (50 notices: issuer, doc_number, title, date, recipients)
- ../shared/real-corpus/notices.jsonl (18 notices: issuer, title, year; the collector's
  bracketed notes on the issuer name accepted variants: "X (signed Y)" accepts X or Y)
- ../shared/real-notices/metadata.gold.jsonl (7 PDFs/.doc; the scanned file is skipped)

Fields compare as the shared scorer does (whitespace ignored, recipients without
separators); 文号 brackets compare normalised to 〔〕 (the schema's form), and the
notices.jsonl names, which the collector wrote in simplified characters, compare with
the parser's after traditional→simplified. Prints per-set and pooled figures and, with --errors, each wrong field.

usage: python bench/metadata_real.py [--errors] [--json]"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _norm(s) -> str:
    return re.sub(r"\s+", "", "" if s is None else str(s))


def _joined(items) -> str:
    return re.sub(r"[、，,；;：:\s]", "", "".join(items or []))


def _brackets(s: str) -> str:
    return re.sub(r"[\[［【(（﹝]((?:19|20)\d\d)[\]］】)）﹞]", r"〔\1〕", s)


def _issuer_variants(s: str) -> set[str]:
    """Accepted spellings of a notices.jsonl issuer with the collector's notes."""
    main = re.split(r"\s[(（]|,\s", s)[0]
    out = {_norm(main)}
    m = re.search(r"signed\s+([^);]+)", s)
    if m:
        out.add(_norm(m.group(1)))
    return out


def _shared() -> Path:
    from nlp.resources import shared_root

    return shared_root(ROOT)


def _cases() -> list[tuple[str, Path, dict]]:
    """(set name, file, expected fields) where a field's value is a set of accepted strings
    or, for recipients, the joined list."""
    cases = []
    SHARED = _shared()
    rc = SHARED / "real-corpus"
    for line in (rc / "notices-b.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        cases.append(("notices-b", rc / d["file"], {k: d[k] for k in ("issuer", "doc_number", "title", "date", "recipients")}))
    for line in (rc / "notices.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        cases.append(("notices", rc / d["file"], {"issuer": _issuer_variants(d["issuer"]), "title": d["title"], "year": d["year"]}))
    rn = SHARED / "real-notices"
    for line in (rn / "metadata.gold.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if "expect_error" in d or "error" in d or d.get("issuer") is None:
            continue
        cases.append(("real-notices", rn / d["file"], {k: d[k] for k in ("issuer", "doc_number", "title", "date", "recipients") if k in d}))
    return cases


def check(doc, want: dict) -> dict[str, tuple[bool, object, object]]:
    got = {"issuer": doc.issuer, "doc_number": doc.doc_number, "title": doc.title, "date": doc.date,
           "recipients": doc.recipients, "year": (doc.date or "")[:4] or None}
    res = {}
    for k, w in want.items():
        g = got[k]
        if k == "recipients":
            ok = _joined(w) == _joined(g)
        elif isinstance(w, set):
            from ingest.simplified import to_simplified

            ok = to_simplified(_norm(g)) in w
        elif k == "doc_number" and w:
            ok = _brackets(_norm(w)) == _brackets(_norm(g))
        elif w in (None, ""):
            ok = g in (None, "")
        else:
            ok = _norm(w) == _norm(g)
        res[k] = (ok, w, g)
    return res


def main() -> int:
    from ingest.errors import GongwenError
    from ingest.load import load

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="list each wrong field")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    per: dict[str, dict[str, list[int]]] = {}
    errors = []
    SHARED = _shared()
    for name, path, want in _cases():
        try:
            doc = load(path)
        except GongwenError as e:
            res = {k: (False, w, f"error: {e}") for k, w in want.items()}
        else:
            res = check(doc, want)
        for k, (ok, w, g) in res.items():
            c = per.setdefault(name, {}).setdefault(k, [0, 0])
            c[0] += ok
            c[1] += 1
            if not ok:
                errors.append(f"{path.relative_to(SHARED)}  {k}: want {w!r} got {g!r}")
    pooled = [0, 0]
    out = {}
    for name, fields in per.items():
        ok = sum(v[0] for v in fields.values())
        n = sum(v[1] for v in fields.values())
        pooled[0] += ok
        pooled[1] += n
        out[name] = {"fields": {k: f"{v[0]}/{v[1]}" for k, v in fields.items()}, "exact": round(ok / n, 3)}
    out["pooled"] = {"exact": round(pooled[0] / pooled[1], 3), "fields": pooled[1]}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for name, r in out.items():
            print(f"{name:<13} exact {r['exact']:.3f}  " + ("  ".join(f"{k} {v}" for k, v in r["fields"].items()) if isinstance(r["fields"], dict) else f"{r['fields']} fields"))
    if args.errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
