"""Hand-labelled statuses of risk mentions in the real passages
(`corpora/annotations/tagging/*.jsonl`): ids, offsets and a hash of the passage, never
its text (format: that folder's README).

A mention is a risk-keyword hit of the taxonomy's matcher (`KeywordMatcher` without
weak keywords) in the normalised passage; offsets are the same in the original text.
An annotation whose passage hash no longer matches the shared file is skipped: its
offsets may point elsewhere.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from nlp.tagging.keywords import Hit, KeywordMatcher
from nlp.tagging.normalize import normalize
from nlp.tagging.status import STATUSES
from nlp.tagging.taxonomy import load_taxonomy

CODES = {"p": "present", "t": "threatened", "s": "settled", "d": "denied", "r": "rumour", "h": "hypothetical",
         "o": "historical", "g": "generic"}
assert set(CODES.values()) == set(STATUSES)


def passage_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _matcher() -> KeywordMatcher:
    return KeywordMatcher(load_taxonomy())


def risk_mentions(text: str) -> list[Hit]:
    """The candidate risk mentions of `text`, in order (the units a person labels)."""
    return [h for h in _matcher().find(normalize(text), normalized=True) if h.kind == "risk"]


def read_annotations(folder: Path) -> list[dict]:
    rows = []
    for p in sorted(Path(folder).glob("*.jsonl")) if Path(folder).is_dir() else []:
        with p.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    a = json.loads(line)
                    if a.get("status") not in STATUSES:
                        raise ValueError(f"{p}:{n}: unknown status {a.get('status')!r}")
                    rows.append(a)
    return rows


def statuses(folder: Path, passages: list[dict] | None = None) -> dict:
    """(passage id, start, end, risk) → status. With `passages` (dicts with id and text),
    annotations whose `sha` does not match their passage's text are left out."""
    texts = {r["id"]: r["text"] for r in passages} if passages is not None else None
    out = {}
    for a in read_annotations(folder):
        if texts is not None and "sha" in a:
            t = texts.get(a["id"])
            if t is None or passage_sha(t) != a["sha"]:
                continue
        out[(str(a["id"]), int(a["start"]), int(a["end"]), a["risk"])] = a["status"]
    return out
