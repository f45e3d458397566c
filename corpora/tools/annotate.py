"""Turn a working gold file (SCHEMA.md, verbatim text) into an offsets-only annotation.

usage: python corpora/tools/annotate.py WORK.gold.json --file real-corpus/notices-b/x/y.txt \
           --site example.edu.cn [--shared ../shared] [--out corpora/annotations/checklist/NAME.json]
           [--extraction pdfium-text|catdoc-utf8]   (PDF and .doc: offsets into that extraction's text)
       python corpora/tools/annotate.py WORK.gold.json --file NAME.txt --site example.edu.cn \
           --page URL --pages CACHE_DIR --out corpora/annotations/checklist-pages/NAME.json
           (a web page's text, kept in a cache folder outside the repository)
       python corpora/tools/annotate.py --decode corpora/annotations/checklist/NAME.json [--pages CACHE_DIR]

The working file stays outside the repository (it holds copied text); only the
annotation, which holds offsets and the source's hash, is committed."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from nlp.checklist.annotations import EXTRACTIONS, decode, make_annotation  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("work", type=Path)
    ap.add_argument("--file")
    ap.add_argument("--site")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--decode", action="store_true")
    ap.add_argument("--extraction", choices=sorted(EXTRACTIONS))
    ap.add_argument("--page", help="address of the web page the cached text was read from")
    ap.add_argument("--pages", type=Path, help="page-cache folder (default $GONGWEN_PAGE_CACHE)")
    a = ap.parse_args()
    if a.decode:
        print(json.dumps(decode(json.loads(a.work.read_text(encoding="utf-8")), a.shared, a.pages),
                         ensure_ascii=False, indent=1))
        return 0
    gold = json.loads(a.work.read_text(encoding="utf-8"))
    ann = make_annotation(gold, a.shared, a.file, a.site, a.extraction, a.page, a.pages)
    out = a.out or REPO / "corpora/annotations/checklist" / (a.file.replace("/", "__").removesuffix(".txt") + ".json")
    out.write_text(json.dumps(ann, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    literals = [p for p in json.dumps(ann["gold"], ensure_ascii=False).split('"') if p and not p.isascii()]
    print(f"wrote {out} (literal pieces: {literals[:8]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
