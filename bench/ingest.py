"""Ingest throughput: scales the sample notices (corpora/notices/*) up to N
documents and prints documents/s and MB/s per format, parse-only and
parse+store (one transaction per document, a fresh SQLite file or --db URL).

Every copy gets different bytes, so each is a new document for the store:
a trailing line for text formats, a trailing PDF comment for PDF, a zip
archive comment for DOCX. `--full` also runs the whole service
pipeline (`Gongwen.ingest_paths`: checklist extraction and search index included).

    python bench/ingest.py [-n 2000] [--db URL] [--full] [--formats pdf]

`--ocr` measures scans instead: every corpus notice is rendered to a text PDF
(corpora/tools/make_notices.py), its pages rasterised (pypdfium2, --dpi) into an
image-only PDF and read back through OCR. Per notice: character error rate against
the text layer (whitespace ignored), OCR pages/s, and whether metadata and checklist
equal those of the text PDF.

    python bench/ingest.py --ocr [--dpi 300,200] [--only STEM] [--cache DIR]
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.settings import Settings  # noqa: E402
from ingest.load import load_bytes  # noqa: E402
from ingest.read import SUPPORTED  # noqa: E402


def variant(data: bytes, name: str, i: int) -> bytes:
    """The same document with bytes that differ (a new sha256)."""
    ext = Path(name).suffix.lower()
    tag = f"bench-{i}"
    if ext == ".pdf":
        return data + f"\n%{tag}\n".encode()
    if ext == ".docx":
        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a") as z:
            z.comment = tag.encode()
        return buf.getvalue()
    if ext in (".html", ".htm"):
        return data + f"\n<!-- {tag} -->\n".encode()
    if ext == ".txt":
        # Keep the file's own encoding: the marker is ASCII, valid in GB18030/UTF-8/Big5.
        return data + f"\n\n{tag}\n".encode()
    return data  # .doc: parse-only (varying OLE bytes safely is not worth it here)


def corpus(n: int, formats: list[str] | None = None) -> list[tuple[str, bytes]]:
    files = sorted(p for p in (ROOT / "corpora" / "notices").iterdir() if p.suffix.lower() in SUPPORTED
                   and (not formats or p.suffix.lower().lstrip(".") in formats))
    if not files:
        sys.exit("corpora/notices 中没有样例文件")
    raw = [(p.name, p.read_bytes()) for p in files]
    return [(f"{i:05d}-{raw[i % len(raw)][0]}", variant(raw[i % len(raw)][1], raw[i % len(raw)][0], i))
            for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="documents (default 2000)")
    ap.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file in a temp folder)")
    ap.add_argument("--formats", help="only these sample formats, e.g. pdf or pdf,docx (default: all)")
    ap.add_argument("--full", action="store_true", help="also time the service pipeline (checklist + index)")
    ap.add_argument("--ocr", action="store_true", help="scans: CER per notice and OCR pages/s (see above)")
    ap.add_argument("--dpi", default="300,200", help="--ocr: rasterising resolutions")
    ap.add_argument("--only", action="append", help="--ocr: only these notice stems")
    ap.add_argument("--cache", help="--ocr: keep the engine's raw results in this folder, keyed by the page "
                                    "image's hash (re-running after a change of line assembly costs no OCR; "
                                    "speed figures then count only the pages not found there)")
    args = ap.parse_args()
    if args.ocr:
        ocr_bench([int(d) for d in args.dpi.split(",")], args.only, args.cache)
        return

    docs = corpus(args.n, args.formats.lower().split(",") if args.formats else None)
    max_bytes = Settings().max_file_bytes
    parse_t: dict[str, float] = defaultdict(float)
    total_t: dict[str, float] = defaultdict(float)
    size: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    duplicates = 0

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), db_url=args.db)
        from index.store import Store

        store = Store(settings.database_url)

        t_all = time.perf_counter()
        for i, (name, data) in enumerate(docs, 1):
            fmt = Path(name).suffix.lower().lstrip(".")
            t0 = time.perf_counter()
            try:
                doc = load_bytes(data, name, max_bytes=max_bytes)
            except Exception as e:  # a variant a reader rejects: count it, keep going
                failed[fmt] += 1
                if failed[fmt] == 1:
                    print(f"  {fmt}: {type(e).__name__}: {e}", file=sys.stderr)
                continue
            t1 = time.perf_counter()
            _, created = store.add_document(doc)
            t2 = time.perf_counter()
            duplicates += not created
            parse_t[fmt] += t1 - t0
            total_t[fmt] += t2 - t0
            size[fmt] += len(data)
            count[fmt] += 1
            if i % 200 == 0:
                print(f"  {i}/{len(docs)} …", file=sys.stderr)
        wall = time.perf_counter() - t_all
        stored = store.count_documents()
        db_size = sum(f.stat().st_size for f in Path(tmp).glob("*.db*"))
        store.close()
        full = service_run(docs, Path(tmp) / "service") if args.full else None

    mode = "Store.add_document"
    print(f"\ningest benchmark: {sum(count.values())} documents, store = {mode}, "
          f"db = {args.db.split('://')[0] if args.db else 'sqlite file'}")
    head = f"{'format':<6} {'docs':>5} {'MB':>7} | {'parse doc/s':>11} {'parse MB/s':>10} | " \
           f"{'+store doc/s':>12} {'+store MB/s':>11} | {'store ms/doc':>12}"
    print(head)
    print("-" * len(head))
    rows = sorted(count) + ["all"]
    for fmt in rows:
        if fmt == "all":
            n, mb = sum(count.values()), sum(size.values()) / 2**20
            tp, total = sum(parse_t.values()), sum(total_t.values())
        else:
            n, mb, tp, total = count[fmt], size[fmt] / 2**20, parse_t[fmt], total_t[fmt]
        if not n:
            continue
        print(f"{fmt:<6} {n:>5} {mb:>7.2f} | {n / tp:>11.1f} {mb / tp:>10.2f} | "
              f"{n / total:>12.1f} {mb / total:>11.2f} | {1000 * (total - tp) / n:>12.2f}")
    print(f"stored {stored} documents ({duplicates} duplicates skipped), wall {wall:.1f} s"
          + (f", database file {db_size / 2**20:.1f} MB" if not args.db else "")
          + (f", failed: {dict(failed)}" if failed else ""))
    if full:
        print(full)
    print(pdf_limit(docs, max_bytes))


def pdf_limit(docs: list[tuple[str, bytes]], max_bytes: int, rounds: int = 7) -> str:
    """gongwen's PDF reading beside its limit, in the same run on the same files:
    pypdfium2 pulling the text of every page (the floor any PDF reader pays). All in
    pages per CPU-second of this process, best of `rounds` interleaved rounds, so
    the ratios do not swing with the load of other processes. "reading": the text
    with its layout (`read_bytes`, the RawText); "+ parsing": the 公文 structure too
    (`load_bytes`); "pdfplumber reader": the reader before PDFium
    (GONGWEN_PDF_READER=pdfplumber), one round."""
    import os

    import pypdfium2 as pdfium

    from ingest.read import read_bytes

    pdfs = {name.split("-", 1)[1]: data for name, data in docs if name.lower().endswith(".pdf")}
    if not pdfs:
        return "PDF: no PDF among the documents"
    pages = sum(len(pdfium.PdfDocument(data)) for data in pdfs.values())

    def floor():
        for data in pdfs.values():
            doc = pdfium.PdfDocument(data)
            for page in doc:
                page.get_textpage().get_text_range()
            doc.close()

    def reading():
        for name, data in pdfs.items():
            read_bytes(data, name, max_bytes=max_bytes)

    def parsing():
        for name, data in pdfs.items():
            load_bytes(data, name, max_bytes=max_bytes)

    def cpu(f) -> float:
        t0 = time.process_time()
        f()
        return time.process_time() - t0

    best = {"floor": float("inf"), "reading": float("inf"), "parsing": float("inf")}
    for _ in range(rounds):
        for key, f in (("floor", floor), ("reading", reading), ("parsing", parsing)):
            best[key] = min(best[key], cpu(f))
    before = os.environ.get("GONGWEN_PDF_READER")
    os.environ["GONGWEN_PDF_READER"] = "pdfplumber"
    try:
        old = cpu(reading)
    finally:
        if before is None:
            del os.environ["GONGWEN_PDF_READER"]
        else:
            os.environ["GONGWEN_PDF_READER"] = before
    ps = {k: pages / v for k, v in best.items()}
    return (f"\nPDF reading, {len(pdfs)} files ({pages} pages), pages per CPU-second (best of {rounds}): "
            f"pypdfium2 text {ps['floor']:.0f} (the limit) | gongwen reading {ps['reading']:.0f} "
            f"({best['reading'] / best['floor']:.1f}×, goal ≤ 3×) | + parsing {ps['parsing']:.0f} "
            f"({best['parsing'] / best['floor']:.1f}×) | pdfplumber reader {pages / old:.0f} "
            f"({old / best['floor']:.1f}×)")


def service_run(docs: list[tuple[str, bytes]], where: Path) -> str:
    """The whole pipeline as `gongwen ingest FOLDER` runs it: parse, checklist,
    store, search index (batched commits), on files written to disk."""
    from api.service import Gongwen

    folder = where / "in"
    folder.mkdir(parents=True)
    for name, data in docs:
        (folder / name).write_bytes(data)
    svc = Gongwen(Settings(data_dir=where / "data"))
    t0, c0 = time.perf_counter(), time.process_time()
    summary = svc.ingest_paths([folder])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    svc.close()
    per: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for r in summary.results:
        if r.ok:
            per[r.format or "?"][0] += 1
            per[r.format or "?"][1] += r.seconds
    mb = summary.bytes / 2**20
    return "\n".join([
        f"\nservice (gongwen ingest: parse + checklist + store + search index, one index commit per "
        f"{Gongwen.index_batch} docs): {summary.ingested} ingested, {summary.failed} failed, "
        f"{summary.ingested / wall:.1f} doc/s, {mb / wall:.2f} MB/s, wall {wall:.1f} s",
        "  per format without the index: " + ", ".join(
            f"{fmt} {n / sec:.1f} doc/s" for fmt, (n, sec) in sorted(per.items())),
        f"  CPU {cpu:.1f} s" + (f", PDF pages per CPU-second of the whole pipeline: {pdf_pages / cpu:.0f} "
                                f"({pdf_pages} pages; goal ≥ 60)" if (pdf_pages := _pdf_pages(docs)) else ""),
    ])


def _pdf_pages(docs: list[tuple[str, bytes]]) -> int:
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(data)) for name, data in docs if name.lower().endswith(".pdf"))


def _make_notices():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notices", ROOT / "corpora" / "tools" / "make_notices.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_notices", mod)
    spec.loader.exec_module(mod)
    return mod


def _checklist_key(d):
    """A checklist without what differs between two files of one notice by
    construction: item ids (from the file hash) and character offsets."""
    if isinstance(d, dict):
        return {k: _checklist_key(v) for k, v in d.items() if k not in ("id", "start", "end")}
    if isinstance(d, list):
        return [_checklist_key(v) for v in d]
    return d


def _cache_engine(ocr_mod, folder: Path) -> None:
    """Wrap the OCR engine call with a cache of its raw results on disk."""
    import hashlib
    import pickle

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    engine = ocr_mod.recognise

    def cached(img):
        arr = np.ascontiguousarray(img)
        key = hashlib.sha1(arr.tobytes() + repr(arr.shape).encode()).hexdigest()
        path = folder / f"{key}.pkl"
        if path.exists():
            return pickle.loads(path.read_bytes())
        result = engine(img)
        path.write_bytes(pickle.dumps(result))
        return result

    ocr_mod.recognise = cached


def ocr_bench(dpis: list[int], only: list[str] | None, cache: str | None = None) -> None:
    import os
    import re

    import pdfplumber
    import pypdfium2 as pdfium
    from rapidfuzz.distance import Levenshtein

    from ingest.load import load
    from ingest.readers.ocr import progress_to
    from nlp.checklist import extract

    mn = _make_notices()
    import ingest.readers.ocr as ocr_mod

    # the page texts OCR returns inside `load`, for the CER against the text layer:
    # every recognised line in reading order, a table's cells included as the lines
    # they are printed on (the text layer's order), not as the rows the assembly gets
    recorded: list[str] = []
    plain_ocr, plain_tables = ocr_mod.ocr_lines, ocr_mod._tables
    page_boxes: list = []

    def spying_tables(img, unit, boxes):
        page_boxes.append(list(boxes))
        return plain_tables(img, unit, boxes)

    def recording(img, dpi):
        page_boxes.clear()
        lines = plain_ocr(img, dpi)
        texts = [l.text for l in lines]
        if any(l.table is not None for l in lines):
            quotes = [False, False]
            texts = [ocr_mod.fix_punctuation(ocr_mod._merge(r).text, quotes) for r in ocr_mod._rows(page_boxes[0])]
        recorded.append("".join(texts))
        return lines

    ocr_mod.ocr_lines = recording
    ocr_mod._tables = spying_tables
    if cache:
        _cache_engine(ocr_mod, Path(cache))
    stems = sorted(p.stem for p in (ROOT / "corpora" / "tools" / "src").glob("*.txt"))
    stems = [s for s in stems if not only or s in only]
    squash = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
    print(f"OCR benchmark: {len(stems)} notices, dpi {dpis}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"{'notice':38} {'pages':>5} " + " ".join(f"{'CER@' + str(d):>8} {'p/s':>5} {'meta':>4} {'list':>4}"
                                                    for d in dpis))
    totals = {d: [0, 0, 0.0, 0, 0, 0] for d in dpis}  # errors, chars, seconds, pages, meta ok, checklist ok
    cpu_s = {d: 0.0 for d in dpis}  # CPU seconds (all threads): less disturbed by other jobs than wall time
    with tempfile.TemporaryDirectory() as tmp:
        for stem in stems:
            lines = mn.parse_src(ROOT / "corpora" / "tools" / "src" / f"{stem}.txt")
            pdf = Path(tmp) / f"{stem}.pdf"
            mn.write_pdf(lines, pdf)
            text_doc = load(pdf)
            text_list = _checklist_key(extract(text_doc).to_dict())
            with pdfplumber.open(str(pdf)) as p:
                refs = [squash(pg.extract_text() or "") for pg in p.pages]
            row = []
            for dpi in dpis:
                doc = pdfium.PdfDocument(str(pdf))
                imgs = [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
                doc.close()
                scan = Path(tmp) / f"{stem}-{dpi}.pdf"
                imgs[0].save(scan, save_all=True, append_images=imgs[1:], resolution=dpi)
                recorded.clear()
                t0, c0 = time.perf_counter(), time.process_time()
                with progress_to(None):
                    scanned = load(scan)
                sec = time.perf_counter() - t0
                cpu_s[dpi] += time.process_time() - c0
                errs = sum(Levenshtein.distance(ref, squash(hyp)) for ref, hyp in zip(refs, recorded))
                chars = sum(len(ref) for ref in refs)
                meta_ok = scanned.metadata() == text_doc.metadata()
                scan_list = _checklist_key(extract(scanned).to_dict())
                list_ok = scan_list == text_list
                if not list_ok:
                    key = next(k for k in text_list if text_list[k] != scan_list.get(k))
                    a, b = text_list[key], scan_list.get(key)
                    if isinstance(a, list) and isinstance(b, list):
                        a, b = next(((x, y) for x, y in zip(a, b) if x != y), (len(a), len(b)))
                    print(f"    {stem}@{dpi} checklist differs in {key}, first: {a} | {b}", file=sys.stderr)
                t = totals[dpi]
                t[0] += errs; t[1] += chars; t[2] += sec; t[3] += len(imgs); t[4] += meta_ok; t[5] += list_ok
                row.append(f"{100 * errs / max(1, chars):7.2f}% {len(imgs) / sec:5.2f} {'yes' if meta_ok else 'NO':>4} "
                           f"{'yes' if list_ok else 'NO':>4}")
                if not meta_ok:
                    a, b = text_doc.metadata(), scanned.metadata()
                    diff = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
                    print(f"    {stem}@{dpi} metadata differs: {diff}", file=sys.stderr)
            print(f"{stem[:38]:38} {len(refs):>5} " + " ".join(row), flush=True)
    for dpi, (e, c, sec, pages, m, l) in totals.items():
        print(f"all @{dpi} dpi: CER {100 * e / max(1, c):.2f}% ({e}/{c} chars), {pages / sec:.3f} pages/s "
              f"({sec / max(1, pages):.1f} s/page, {cpu_s[dpi] / max(1, pages):.1f} CPU s/page), "
              f"metadata equal {m}/{len(stems)}, checklist equal {l}/{len(stems)}")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
