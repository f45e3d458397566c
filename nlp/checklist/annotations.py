"""Checklist annotations of text we may not copy: gold stored as offsets into the source.

The real notices under `../shared/real-corpus` may be annotated but not copied into the
repository. An annotation file (`corpora/annotations/checklist/*.json`) therefore keeps
the gold of `../shared/gold/SCHEMA.md` with every piece of source text replaced by
character spans into the source file, plus the file's SHA-256 so a changed source is
detected instead of silently mis-sliced:

    {"file": "real-corpus/notices-b/jzzgh/x.txt", "sha256": "…", "site": "jzzgh.com",
     "gold": {… the SCHEMA gold, each text value as {"$t": [[start, end], "〔", …]} …}}

A text value is encoded as a list of pieces: `[start, end]` slices of the source (read as
UTF-8, newlines untouched) and, only where a character does not occur in the source at
all (a normalised bracket 〔〕, a restored separator), a short literal. Values that are
not source text (tier, kinds, numbers, normalised dates) are kept as they are.

`encode(gold, source)` and `decode(annotation, shared_root)` convert between the two;
`load_all(dir, shared_root)` rebuilds every gold file for the scorer."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

# keys whose string values are normalised labels or values, not source text
_NOT_TEXT = {"tier", "modality", "kind", "unit", "recurrence", "every", "date", "doc_type",
             "id", "source", "year", "month", "day", "min", "max"}
_TAG = "$t"


def read_source(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode_text(value: str, source: str) -> dict:
    """Greedy cover of `value` by the longest substrings of `source`, left to right."""
    pieces: list[Any] = []
    i = 0
    while i < len(value):
        lo, hi, best = 1, len(value) - i, 0
        # longest prefix of value[i:] that occurs in source (occurrence is monotone in length)
        while lo <= hi:
            mid = (lo + hi) // 2
            if source.find(value[i:i + mid]) >= 0:
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        if best == 0:
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += value[i]
            else:
                pieces.append(value[i])
            i += 1
            continue
        start = source.find(value[i:i + best])
        pieces.append([start, start + best])
        i += best
    return {_TAG: pieces}


def _decode_text(enc: dict, source: str) -> str:
    return "".join(p if isinstance(p, str) else source[p[0]:p[1]] for p in enc[_TAG])


def _walk(obj: Any, fn, key: str | None = None) -> Any:
    if isinstance(obj, dict):
        if _TAG in obj and len(obj) == 1:
            return fn(obj, key)
        return {k: _walk(v, fn, k) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk(v, fn, key) for v in obj]
    if isinstance(obj, str):
        return fn(obj, key)
    return obj


def encode(gold: dict, source: str) -> dict:
    """The gold with every source-text string replaced by spans into `source`."""
    def enc(v, key):
        if isinstance(v, str) and key not in _NOT_TEXT:
            return _encode_text(v, source)
        return v
    return _walk(gold, enc)


def decode(annotation: dict, shared_root: Path) -> dict:
    """The SCHEMA gold rebuilt from an annotation and the shared source file."""
    path = Path(shared_root) / annotation["file"]
    source = read_source(path)
    if sha256(source) != annotation["sha256"]:
        raise ValueError(f"{path}: source changed since it was annotated (sha256 differs)")

    def dec(v, key):
        return _decode_text(v, source) if isinstance(v, dict) else v
    gold = _walk(annotation["gold"], dec)
    gold["source"] = annotation["file"]
    return gold


def make_annotation(gold: dict, shared_root: Path, file: str, site: str) -> dict:
    source = read_source(Path(shared_root) / file)
    ann = {"file": file, "sha256": sha256(source), "site": site, "gold": encode(gold, source)}
    if decode(ann, shared_root) | {"source": gold.get("source")} != gold | {"source": gold.get("source")}:
        raise AssertionError(f"{file}: annotation does not round-trip")
    return ann


def load_all(directory: Path, shared_root: Path) -> list[tuple[dict, dict]]:
    """(annotation, rebuilt gold) for every annotation file in `directory`, sorted by name."""
    out = []
    for p in sorted(Path(directory).glob("*.json")):
        ann = json.loads(p.read_text(encoding="utf-8"))
        out.append((ann, decode(ann, shared_root)))
    return out
