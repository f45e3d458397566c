"""Real labelled report passages (`<shared>/real-corpus/batch-*.jsonl`, labelled by
another hand) for training and grouped evaluation, and the site each comes from.

The passages are read from the shared folder at run time and never copied into the
repository: the project stores only ids, offsets and labels that refer to them
(`corpora/annotations/tagging/`).

A passage's group is its source site: the host of its `source` URL, with mirror
and mobile prefixes dropped and sub-sites of one paper merged into its registered
domain (acftu.people.com.cn and society.people.com.cn are one paper; big5.workercn.cn
mirrors workercn.cn). Cross-validation never puts one site in both train and test.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

from nlp.resources import shared_root

BATCHES = ("batch-risk.jsonl", "batch-routine.jsonl")
UNLABELLED = "passages.jsonl"
# second-level labels under which the registered domain has three parts (people.com.cn)
_SLD = {"com", "org", "gov", "net", "edu", "ac"}


def shared_dir() -> Path | None:
    """The shared material (nlp.resources.shared_root) when it holds the real corpus, else None."""
    root = shared_root()
    return root if (root / "real-corpus").is_dir() else None


def site(source: str | None) -> str:
    """The group of a passage: the registered domain of its source URL (an IP keeps
    its address; a source without a URL is its own text, "unknown:<text>")."""
    host = urlparse(source or "").hostname or ""
    if not host:
        return "unknown:" + (source or "")
    parts = host.split(".")
    if all(p.isdigit() for p in parts):
        return host
    if len(parts) >= 3 and parts[-2] in _SLD and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def labelled_passages(shared: Path | None = None) -> list[dict]:
    """The labelled real passages, each with its `site`; [] when the shared folder is absent."""
    shared = shared or shared_dir()
    if shared is None:
        return []
    rows = []
    for name in BATCHES:
        p = shared / "real-corpus" / name
        if p.exists():
            rows += read_jsonl(p)
    for r in rows:
        r["site"] = site(r.get("source"))
    return rows


def unlabelled_passages(shared: Path | None = None) -> list[dict]:
    shared = shared or shared_dir()
    p = (shared / "real-corpus" / UNLABELLED) if shared else None
    rows = read_jsonl(p) if p and p.exists() else []
    for r in rows:
        r["site"] = site(r.get("source"))
    return rows


def task_labelled_passages(annotations: Path, shared: Path | None = None,
                           risks: Path | None = None) -> list[dict]:
    """The untagged passages (`passages.jsonl`) that a person gave task labels in
    `annotations` (`*.jsonl`: id, tasks, sha of the passage text), with `site` and `tasks`.
    Their `risks` and `negated` come from the risk labels in `risks` (`*.jsonl`: id, risks,
    negated, sha) where a person gave them; otherwise their risks are unknown (None) and they
    train the task heads alone. A label whose passage text changed is left out."""
    from nlp.tagging.annotations import passage_sha

    rows = {r["id"]: r for r in unlabelled_passages(shared)}
    risk_of = {}
    for p in _jsonl_files(risks):
        for a in read_jsonl(p):
            r = rows.get(a["id"])
            if r is not None and passage_sha(r["text"]) == a["sha"]:
                risk_of[a["id"]] = {"risks": list(a["risks"]), "negated": bool(a.get("negated"))}
    out = []
    for p in _jsonl_files(annotations):
        for a in read_jsonl(p):
            r = rows.get(a["id"])
            if r is not None and passage_sha(r["text"]) == a["sha"]:
                out.append({**r, "tasks": list(a["tasks"]), "risks": None, **risk_of.get(a["id"], {})})
    return out


def _jsonl_files(folder: Path | None) -> list[Path]:
    return sorted(Path(folder).glob("*.jsonl")) if folder is not None and Path(folder).is_dir() else []


# Notices (通知) by others: the text files of `real-corpus/notices*.jsonl` (site: their source
# URL) and the county federation's files of `real-notices/` (one site; the scanned PDF has no
# text layer). Their risk words are mostly prevention, campaigns, aid rules and backgrounds
# (杜绝意外事故发生, 安全生产月, 疫情防控常态化, 意外事故致困户): status material only.
NOTICE_LISTS = ("notices.jsonl", "notices-b.jsonl")
NOTICE_FILES = "real-notices"
NOTICE_FILES_SITE = "real-notices:cx"  # 长兴县总工会: every file there is one issuer's


def notice_passages(ids: set[str] | None = None, shared: Path | None = None) -> list[dict]:
    """The shared notices as passages (`id`: the path under the shared folder, `site`, `text`);
    with `ids`, only those (reading a PDF costs a second or two: read only the labelled ones).
    A file the readers refuse is left out."""
    shared = shared or shared_dir()
    if shared is None:
        return []
    rows = []
    for name in NOTICE_LISTS:
        p = shared / "real-corpus" / name
        for r in read_jsonl(p) if p.exists() else []:
            pid = f"real-corpus/{r['file']}"
            f = shared / pid
            if (ids is None or pid in ids) and f.exists():
                rows.append({"id": pid, "site": site(r.get("source")), "text": f.read_text(encoding="utf-8")})
    # the files its metadata.gold.jsonl lists without an expected error (the scanned PDF has one:
    # no text layer, so reading it would mean OCR)
    gold = shared / NOTICE_FILES / "metadata.gold.jsonl"
    for g in read_jsonl(gold) if gold.exists() else []:
        pid, f = f"{NOTICE_FILES}/{g['file']}", shared / NOTICE_FILES / g["file"]
        if "error" in g or (ids is not None and pid not in ids) or not f.exists():
            continue
        from ingest.errors import GongwenError
        from ingest.read import read_path

        try:
            text = read_path(f)[0].text
        except GongwenError:
            continue
        rows.append({"id": pid, "site": NOTICE_FILES_SITE, "text": text})
    return rows
