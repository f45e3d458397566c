"""CPU-seconds to ingest one very large plain-text notice, by stage.

The text is the repository's sample .txt notices (corpora/notices) joined and repeated
to each size (in MB of UTF-8). Each size runs in a fresh process (`--one`), measured with
`resource` (user+sys of that process), through the service's own path for one file
(`Gongwen.ingest_paths`: read, parse, checklist, store, search index); the read+parse
stage is timed alone first. A text over `GONGWEN_MAX_TEXT_CHARS` (2 million) is refused after
reading, so only that stage's cost is paid.

    python bench/huge_text.py [--sizes 1,4,16]

`--checklist 0.5,1,2,4`: the checklist extraction alone on texts of that many million
characters (past the reading limit, which this mode lifts), CPU-seconds per million
characters: flat when its cost is linear in the text. On 2026-12-06 (load 12-21, the old and
new code run side by side): 23.8/25.6/28.2/32.5 before section_doer was made one pass,
23.4/24.0/23.7/23.2 after; 475 MB peak at 4 million.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def build(mb: float, where: Path) -> Path:
    from ingest.readers.txt import decode_bytes

    parts = [decode_bytes(p.read_bytes())[0] for p in sorted((ROOT / "corpora" / "notices").glob("*.txt"))]
    unit = "\n".join(parts).encode("utf-8")
    want = int(mb * 1024 * 1024)
    data = (unit * (want // len(unit) + 1))[:want].decode("utf-8", "ignore").encode("utf-8")
    p = where / f"huge-{mb:g}mb.txt"
    p.write_bytes(data)
    return p


def one(mb: float) -> dict:
    from api.service import Gongwen
    from api.settings import Settings
    from ingest.errors import IngestError
    from ingest.load import load

    with tempfile.TemporaryDirectory(prefix="gongwen-huge-") as tmp:
        p = build(mb, Path(tmp))
        c0 = _cpu()
        try:
            doc = load(p)
            parsed, chars = _cpu() - c0, len(doc.text)
        except IngestError as e:
            return {"mb": mb, "read+parse": round(_cpu() - c0, 2), "refused": str(e)}
        svc = Gongwen(Settings(data_dir=Path(tmp) / "data"))
        c1 = _cpu()
        summary = svc.ingest_paths([p])
        return {"mb": mb, "chars": chars, "read+parse": round(parsed, 2),
                "ingest (all stages)": round(_cpu() - c1, 2), "ingested": summary.ingested}


def checklist_only(mchars: float) -> dict:
    """CPU-seconds of `nlp.checklist.extract` on a text of `mchars` million characters."""
    import ingest.read
    from ingest.load import load
    from nlp.checklist import extract

    ingest.read.MAX_TEXT_CHARS = 10**9  # measuring the cost the limit guards against
    with tempfile.TemporaryDirectory(prefix="gongwen-huge-") as tmp:
        p = build(mchars * 3.2, Path(tmp))  # about 3 bytes a character: cut to size below
        p.write_text(p.read_text(encoding="utf-8")[:int(mchars * 1e6)], encoding="utf-8")
        doc = load(p)
    c0 = _cpu()
    items = len(extract(doc).obligations)
    spent = _cpu() - c0
    n = len(doc.text)
    return {"million_chars": round(n / 1e6, 3), "checklist_cpu_s": round(spent, 2),
            "per_million": round(spent / n * 1e6, 2), "items": items,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4,16")
    ap.add_argument("--one", type=float)
    ap.add_argument("--checklist", help="million characters, e.g. 0.5,1,2,4: the checklist stage alone")
    ap.add_argument("--checklist-one", type=float)
    a = ap.parse_args()
    if a.one is not None:
        print(json.dumps(one(a.one), ensure_ascii=False))
        return
    if a.checklist_one is not None:
        print(json.dumps(checklist_only(a.checklist_one)))
        return
    runs = [("--checklist-one", s) for s in a.checklist.split(",")] if a.checklist else \
        [("--one", s) for s in a.sizes.split(",")]
    for flag, size in runs:
        r = subprocess.run([sys.executable, __file__, flag, size], capture_output=True, text=True)
        print(r.stdout.strip() or r.stderr.strip()[-400:], flush=True)


if __name__ == "__main__":
    main()
