"""Does washing out red seals before OCR help? Reads the same pages with and
without `ingest.readers.ocr.suppress_seals`:

- the page with the 落款 and 成文日期 of every corpus notice, rasterised at --dpi
  with a red seal stamped over signer and date (tests/fixtures_make.stamp_seal):
  CER against the text layer, and whether the date line is read intact;
- page 1 of the shared scanned notice (a real seal over the date): whether the
  parsed 成文日期 equals the gold one (../shared/real-notices/scanned.gold.jsonl).

    python bench/ocr_seal.py [--dpi 200]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    import numpy as np
    import pdfplumber
    import pypdf
    import pypdfium2 as pdfium
    from fixtures_make import stamp_seal
    from rapidfuzz.distance import Levenshtein

    import ingest.readers.ocr as ocr
    from bench.ingest import _make_notices
    from ingest.load import load
    from nlp.resources import shared_root

    squash = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
    washed = ocr.suppress_seals
    modes = {"washed": washed, "as is": lambda img: np.asarray(img)}
    mn = _make_notices()
    res = {m: [0, 0, 0, 0] for m in modes}  # errors, chars, dates read, pages
    print(f"{'notice':38} " + " ".join(f"{m + ' CER':>11} {'date':>4}" for m in modes))
    with tempfile.TemporaryDirectory() as tmp:
        for src in sorted((ROOT / "corpora" / "tools" / "src").glob("*.txt")):
            pdf = Path(tmp) / f"{src.stem}.pdf"
            mn.write_pdf(mn.parse_src(src), pdf)
            with pdfplumber.open(str(pdf)) as p:
                found = None
                for n, pg in enumerate(p.pages):
                    for ln in pg.extract_text_lines():
                        if DATE.match(ln["text"]):
                            found = (n, ln, squash(pg.extract_text() or ""))
                if found is None:
                    continue
            n, ln, ref = found
            k = args.dpi / 72
            cx, cy, w = (ln["x0"] + ln["x1"]) / 2 * k, (ln["top"] + ln["bottom"]) / 2 * k, (ln["x1"] - ln["x0"]) * k
            doc = pdfium.PdfDocument(str(pdf))
            img = stamp_seal(doc[n].render(scale=k).to_pil().convert("RGB"), cx, cy - w * 0.15, w * 0.55)
            doc.close()
            row = []
            for m, fn in modes.items():
                ocr.suppress_seals = fn
                hyp = squash("".join(l.text for l in ocr.ocr_lines(np.asarray(img), args.dpi)))
                e = Levenshtein.distance(ref, hyp)
                date_ok = squash(ln["text"]) in hyp
                r = res[m]
                r[0] += e; r[1] += len(ref); r[2] += date_ok; r[3] += 1
                row.append(f"{100 * e / len(ref):10.2f}% {'yes' if date_ok else 'NO':>4}")
            print(f"{src.stem[:38]:38} " + " ".join(row), flush=True)
        for m, (e, c, d, pages) in res.items():
            print(f"{m:7}: CER {100 * e / max(1, c):.2f}% on {pages} stamped pages, date line intact on {d}/{pages}")

        shared = shared_root(ROOT) / "real-notices"
        gold_path = shared / "scanned.gold.jsonl"
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8").splitlines()[0])
            w = pypdf.PdfWriter()
            w.add_page(pypdf.PdfReader(str(shared / gold["file"])).pages[0])
            first = Path(tmp) / "scan-p1.pdf"
            with open(first, "wb") as f:
                w.write(f)
            for m, fn in modes.items():
                ocr.suppress_seals = fn
                doc = load(first)
                print(f"real scan page 1, {m}: date {doc.date} (gold {gold['date']}), "
                      f"signers {doc.signers}, mean confidence {doc.source.ocr['mean_confidence']:.4f}")
    ocr.suppress_seals = washed


if __name__ == "__main__":
    main()
