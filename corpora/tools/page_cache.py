"""Check a page cache against a page-annotation set: which pages are missing or no longer hash.

usage: python corpora/tools/page_cache.py SET_DIR [--pages CACHE_DIR]     (exit status 1 on any problem)

SET_DIR is a folder of page annotations; both naming conventions in use are read:
- checklist sets (`corpora/annotations/checklist-pages*/*.json`): the cache file is the
  annotation's `file`, and `sha256` is the hash of its whole text
  (`nlp.checklist.annotations.read_source` + `sha256`, as the loader checks it);
- tagging sets (`corpora/annotations/tagging/pages*/*.jsonl`): the cache file is
  `nlp.tagging.pages.page_key(url)`.txt, and each passage's `sha` is
  `nlp.tagging.annotations.passage_sha` of text[start:end] (read as `page_passages` reads it).

CACHE_DIR defaults to $GONGWEN_PAGE_CACHE. Each page missing from the cache or whose text does
not give the annotated hash is listed with its address and, when the set folder has a
`REBUILD.tsv` (tab-separated, header `file	page	query`: the cache file name, the page address
and the keywords that found the page in the search tool's "pages" corpus), the query that
finds it again. The loaders themselves stop at the first bad page; this lists all of them.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from ingest.settings import page_cache  # noqa: E402
from nlp.checklist.annotations import read_source, sha256  # noqa: E402
from nlp.tagging.annotations import passage_sha  # noqa: E402
from nlp.tagging.pages import page_key  # noqa: E402
from nlp.tagging.real import read_jsonl  # noqa: E402

REBUILD = "REBUILD.tsv"


@dataclass
class Page:
    """One cached page a set needs, and how to tell its text is the annotated one."""
    file: str
    page: str
    whole_sha256: str | None = None  # checklist convention
    passages: list[tuple[int, int, str]] = field(default_factory=list)  # tagging: (start, end, sha)

    def holds(self, path: Path) -> bool:
        if self.whole_sha256 is not None:
            return sha256(read_source(path)) == self.whole_sha256
        text = path.read_text(encoding="utf-8")  # as nlp.tagging.pages.page_passages reads it
        return all(passage_sha(text[s:e]) == h for s, e, h in self.passages)


def set_pages(set_dir: Path) -> list[Page]:
    """The pages a set folder's annotations point into, in file order."""
    pages: dict[str, Page] = {}
    for p in sorted(Path(set_dir).glob("*.json")):
        ann = json.loads(p.read_text(encoding="utf-8"))
        if "page" in ann:
            pages[ann["file"]] = Page(ann["file"], ann["page"], whole_sha256=ann["sha256"])
    for p in sorted(Path(set_dir).glob("*.jsonl")):
        for a in read_jsonl(p):
            name = f"{page_key(a['url'])}.txt"
            pages.setdefault(name, Page(name, a["url"])).passages.append((int(a["start"]), int(a["end"]), a["sha"]))
    return list(pages.values())


def rebuild_queries(set_dir: Path) -> dict[str, str]:
    """Page address → the search query that found it (the set's REBUILD.tsv; {} without one)."""
    path = Path(set_dir) / REBUILD
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["page"]: r["query"] for r in csv.DictReader(f, delimiter="\t")}


def problems(set_dir: Path, cache: Path) -> list[dict]:
    """Each page of the set that the cache lacks (`missing`) or holds with another text (`changed`)."""
    queries = rebuild_queries(set_dir)
    out = []
    for pg in set_pages(set_dir):
        path = Path(cache) / pg.file
        state = "missing" if not path.is_file() else None if pg.holds(path) else "changed"
        if state:
            out.append({"file": pg.file, "page": pg.page, "state": state, "query": queries.get(pg.page)})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="核对页面缓存：列出缺少或哈希不符的页面")
    ap.add_argument("set_dir", type=Path, help="标注集目录（corpora/annotations/checklist-pages* 或 tagging/pages*）")
    ap.add_argument("--pages", type=Path, help="页面缓存目录（默认 $GONGWEN_PAGE_CACHE）")
    a = ap.parse_args(argv)
    cache = page_cache(a.pages)
    if cache is None or not cache.is_dir():
        print(f"页面缓存目录不存在：{cache or '未指定'}（用 --pages 或 GONGWEN_PAGE_CACHE 指定）", file=sys.stderr)
        return 2
    pages = set_pages(a.set_dir)
    if not pages:
        print(f"{a.set_dir} 中没有页面标注", file=sys.stderr)
        return 2
    bad = problems(a.set_dir, cache)
    label = {"missing": "缺少", "changed": "哈希不符"}
    for b in bad:
        query = f"  检索词：{b['query']}" if b["query"] else f"  （{REBUILD} 中无检索词）"
        print(f"{label[b['state']]}  {b['file']}  {b['page']}{query}")
    print(f"{len(pages) - len(bad)}/{len(pages)} 个页面齐全（{cache}）")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
