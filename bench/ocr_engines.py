"""OCR engine comparison: RapidOCR (PP-OCRv4 ONNX, models in the wheel) against
Tesseract (Debian tesseract-ocr + chi_sim) on the same pages. Text PDFs are
rasterised with pypdfium2 (300 and 200 dpi), each engine reads the image, and the
character error rate is taken against the PDF's own text layer (whitespace removed,
so layout spaces do not count). Prints CER and seconds per page per engine and dpi.

    python bench/ocr_engines.py [--pages 1] [--engines rapidocr,tesseract] [--dpi 300,200] [FILE.pdf ...]

Default files: the project's PDF notices (corpora/notices, corpora/renderings) and
the text PDFs in ../shared/real-notices (first --pages pages of each).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def default_files() -> list[Path]:
    own = sorted((ROOT / "corpora" / "notices").glob("*.pdf")) + sorted((ROOT / "corpora" / "renderings").glob("*.pdf"))
    from nlp.resources import shared_root

    shared = shared_root(ROOT) / "real-notices"
    real = sorted(p for p in shared.glob("*.pdf") if "scanned" not in p.name) if shared.is_dir() else []
    return own + real


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def cer(ref: str, hyp: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = squash(ref), squash(hyp)
    return Levenshtein.distance(ref, hyp) / max(1, len(ref))


def text_layer(path: Path, page: int) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(l["text"] for l in pdf.pages[page].extract_text_lines(layout=False, strip=True))


def rasterise(path: Path, page: int, dpi: int):
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return np.asarray(doc[page].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        doc.close()


def ocr_rapid(img) -> str:
    from ingest.readers.ocr import ocr_lines

    return "\n".join(l.text for l in ocr_lines(img, dpi=0))


def ocr_tesseract(img) -> str:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "page.png")
        Image.fromarray(img).save(p)
        out = subprocess.run(["tesseract", p, "-", "-l", "chi_sim", "--psm", "3"], capture_output=True, check=True)
    return out.stdout.decode("utf-8", errors="replace")


ENGINES = {"rapidocr": ocr_rapid, "tesseract": ocr_tesseract}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as
    one): less disturbed than wall time when other jobs share the cores."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--pages", type=int, default=1, help="first N pages of each file")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--dpi", default="300,200")
    args = ap.parse_args()
    import pypdfium2 as pdfium

    files = args.files or default_files()
    engines = args.engines.split(",")
    dpis = [int(d) for d in args.dpi.split(",")]
    totals: dict[tuple[str, int], list[float]] = {}
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'file':42} {'p':>2} " + " ".join(f"{e[:5]}@{d:<3}" for e in engines for d in dpis))
    for f in files:
        n = min(args.pages, len(pdfium.PdfDocument(str(f))))
        for page in range(n):
            ref = text_layer(f, page)
            if len(squash(ref)) < 20:
                continue
            row = []
            for e in engines:
                for dpi in dpis:
                    img = rasterise(f, page, dpi)
                    t0, c0 = time.perf_counter(), _cpu()
                    hyp = ENGINES[e](img)
                    dt, cpu = time.perf_counter() - t0, _cpu() - c0
                    c = cer(ref, hyp)
                    totals.setdefault((e, dpi), []).append((c, dt, len(squash(ref)), cpu))
                    row.append(f"{c * 100:5.1f}%/{dt:4.1f}s")
            print(f"{f.stem[:42]:42} {page + 1:>2} " + " ".join(row), flush=True)
    print("\nengine     dpi  pages  CER(char-weighted)  s/page  pages/s  CPU s/page")
    for (e, dpi), rows in totals.items():
        chars = sum(r[2] for r in rows)
        w = sum(r[0] * r[2] for r in rows) / max(1, chars)
        s = sum(r[1] for r in rows) / len(rows)
        cpu = sum(r[3] for r in rows) / len(rows)
        print(f"{e:10} {dpi:4} {len(rows):6}  {w * 100:17.2f}%  {s:6.1f}  {1 / s:7.3f}  {cpu:10.1f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
