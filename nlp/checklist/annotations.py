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

Files that are not text (PDF, legacy .doc) are anchored in the text of a named,
fixed extraction of the file (`EXTRACTIONS`: a library or system-tool call, not the
project's own readers, so the gold does not move when a reader changes). Such an
annotation also records `extraction` (the name), `file_sha256` (the file's bytes) and
`extracted_with` (tool versions, to explain a mismatch); `sha256` is then the hash of
the extracted text the offsets point into. The loader re-runs the extraction and fails
when the file or the text it yields differs from what was annotated.

Notices gathered from public web pages (the search tool's stored pages, as
`../shared/real-corpus` was) are anchored in a *page cache* kept outside the repository:
such an annotation records `page` (the address the text was read from) and `file` (its
name in the cache folder, given by `--pages` or the `GONGWEN_PAGE_CACHE` variable);
`sha256` is the hash of the cached text. The loader refuses, naming the page, when no
cache folder is given, the file is not in it, or its text is not the annotated one.

`encode(gold, source)` and `decode(annotation, shared_root)` convert between the two;
`load_all(dir, shared_root)` rebuilds every gold file for the scorer. `load_set(…, missing="skip")`
leaves out the pages the cache lacks and names them (`pages_left_out`, shared with the tagging
page passages): for a look at a cache known to be incomplete, never by default."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
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


def _pdfium_text(path: Path) -> str:
    """pdfium's text layer, page by page (its own line breaks), pages joined by a form feed."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\f".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pdfium_version() -> str:
    from pypdfium2 import version

    return f"pypdfium2 {version.PYPDFIUM_INFO} / pdfium {version.PDFIUM_INFO}"


def _catdoc_text(path: Path) -> str:
    if shutil.which("catdoc") is None:
        raise ValueError(f"{path}: catdoc is needed to rebuild this annotation's text (apt install catdoc)")
    run = subprocess.run(["catdoc", "-d", "utf-8", "-w", str(path)], capture_output=True, timeout=60)
    if run.returncode != 0:
        raise ValueError(f"{path}: catdoc failed ({run.stderr.decode('utf-8', 'replace').strip()[:200]})")
    return run.stdout.decode("utf-8")


def _catdoc_version() -> str:
    run = subprocess.run(["catdoc", "-V"], capture_output=True, text=True, timeout=10)
    return (run.stdout or run.stderr).strip()


# name -> (text of the file, versions of the tools that made it)
EXTRACTIONS = {
    "pdfium-text": (_pdfium_text, _pdfium_version),
    "catdoc-utf8": (_catdoc_text, _catdoc_version),
}


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def source_text(path: Path, extraction: str | None = None) -> str:
    """The text an annotation's offsets point into: the file itself, or its named extraction."""
    if extraction is None:
        return read_source(path)
    if extraction not in EXTRACTIONS:
        raise ValueError(f"{path}: unknown extraction {extraction!r} (known: {', '.join(EXTRACTIONS)})")
    return EXTRACTIONS[extraction][0](Path(path))


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


PAGE_CACHE_ENV = "GONGWEN_PAGE_CACHE"


def source_path(annotation: dict, shared_root: Path, pages: Path | None = None) -> Path:
    """Where an annotation's source lives: the shared folder, or the page cache for a web page."""
    if "page" not in annotation:
        return Path(shared_root) / annotation["file"]
    from ingest.settings import page_cache

    root = page_cache(pages)
    if root is None:
        raise ValueError(f"{annotation['file']}: the text of {annotation['page']} is kept outside the repository; "
                         f"give its page-cache folder (--pages DIR or {PAGE_CACHE_ENV})")
    path = root / annotation["file"]
    if not path.is_file():
        raise ValueError(f"{path}: not in the page cache (text of {annotation['page']})")
    return path


def decode(annotation: dict, shared_root: Path, pages: Path | None = None) -> dict:
    """The SCHEMA gold rebuilt from an annotation and its source (shared file or cached page)."""
    path = source_path(annotation, shared_root, pages)
    extraction = annotation.get("extraction")
    if extraction is not None and file_sha256(path) != annotation["file_sha256"]:
        raise ValueError(f"{path}: source file changed since it was annotated (file_sha256 differs)")
    source = source_text(path, extraction)
    if sha256(source) != annotation["sha256"]:
        if extraction is not None:
            raise ValueError(f"{path}: extraction {extraction} no longer gives the annotated text (sha256 differs; "
                             f"annotated with {annotation.get('extracted_with')}, now {EXTRACTIONS[extraction][1]()})")
        if "page" in annotation:
            raise ValueError(f"{path}: cached text of {annotation['page']} is not the annotated text (sha256 differs)")
        raise ValueError(f"{path}: source changed since it was annotated (sha256 differs)")

    def dec(v, key):
        return _decode_text(v, source) if isinstance(v, dict) else v
    gold = _walk(annotation["gold"], dec)
    gold["source"] = annotation["file"]
    return gold


def make_annotation(gold: dict, shared_root: Path, file: str, site: str, extraction: str | None = None,
                    page: str | None = None, pages: Path | None = None) -> dict:
    """An annotation of `file` under `shared_root`, or (with `page`, its address) of `file` in the page cache."""
    ann: dict[str, Any] = {"page": page} if page else {}
    ann["file"] = file
    path = source_path(ann, shared_root, pages)
    source = source_text(path, extraction)
    ann["sha256"] = sha256(source)
    if extraction is not None:
        ann |= {"extraction": extraction, "file_sha256": file_sha256(path),
                "extracted_with": EXTRACTIONS[extraction][1]()}
    ann |= {"site": site, "gold": encode(gold, source)}
    if decode(ann, shared_root, pages) | {"source": gold.get("source")} != gold | {"source": gold.get("source")}:
        raise AssertionError(f"{file}: annotation does not round-trip")
    return ann


MISSING = ("refuse", "skip")


def pages_left_out(needed, cache: Path | None, missing: str = "refuse") -> list[tuple[str, str]]:
    """The pages a reader leaves out under `missing` (the `--missing` option of the page-set
    looks), of `needed`: (file name in the page cache, page address) pairs.

    "refuse" (the default) leaves out none, so the reader stops at the first page the cache
    lacks: a figure on fewer pages than were annotated is not the figure the annotations
    promise. "skip" leaves out the pages whose file the cache folder lacks (sorted, once each),
    for the caller to name and to report its figures on the n it really measured. A cached
    text that no longer gives its hash is never left out, nor is a missing cache folder: the
    reader refuses both either way."""
    if missing not in MISSING:
        raise ValueError(f"missing={missing!r}: one of {', '.join(MISSING)}")
    if missing == "refuse" or cache is None or not Path(cache).is_dir():
        return []
    return sorted({(f, page) for f, page in needed if not (Path(cache) / f).is_file()})


def left_out_lines(left: list[tuple[str, str]]) -> list[str]:
    """What a look prints for the pages `--missing skip` left out, one line each ([] for none)."""
    if not left:
        return []
    return ([f"--missing skip: {len(left)} page(s) absent from the page cache left out; "
             "the figures below are on the rest:"] + [f"  left out  {f}  {page}" for f, page in left])


def load_set(directory: Path, shared_root: Path, pages: Path | None = None,
             missing: str = "refuse") -> tuple[list[tuple[dict, dict]], list[tuple[str, str]]]:
    """(annotation, rebuilt gold) for every annotation file in `directory`, sorted by name, and
    the (file, address) of the pages left out under `missing` (pages_left_out)."""
    from ingest.settings import page_cache

    anns = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(directory).glob("*.json"))]
    left = pages_left_out([(a["file"], a["page"]) for a in anns if "page" in a], page_cache(pages), missing)
    gone = {f for f, _ in left}
    return [(a, decode(a, shared_root, pages)) for a in anns if not ("page" in a and a["file"] in gone)], left


def load_all(directory: Path, shared_root: Path, pages: Path | None = None) -> list[tuple[dict, dict]]:
    """(annotation, rebuilt gold) for every annotation file in `directory`, sorted by name;
    refuses at the first page the cache lacks."""
    return load_set(directory, shared_root, pages)[0]
