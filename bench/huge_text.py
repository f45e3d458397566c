"""CPU-seconds to ingest one very large plain-text notice, by stage.

The text is the repository's sample .txt notices (corpora/notices) joined and repeated
to each size (in MB of UTF-8). Each size runs in a fresh process (`--one`), measured with
`resource` (user+sys of that process), through the service's own path for one file
(`Gongwen.ingest_paths`: read, parse, checklist, store, search index); the read+parse
stage is timed alone first. A text over `ingest.read.MAX_TEXT_CHARS` is refused after
reading, so only that stage's cost is paid.

    python bench/huge_text.py [--sizes 1,4,16]
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,4,16")
    ap.add_argument("--one", type=float)
    a = ap.parse_args()
    if a.one is not None:
        print(json.dumps(one(a.one), ensure_ascii=False))
        return
    for mb in (float(s) for s in a.sizes.split(",")):
        r = subprocess.run([sys.executable, __file__, "--one", str(mb)], capture_output=True, text=True)
        print(r.stdout.strip() or r.stderr.strip()[-400:], flush=True)


if __name__ == "__main__":
    main()
