"""Real report passages gathered from stored web pages (the search tool's "pages" corpus),
labelled by the project but never stored in it: the repository keeps each passage's page
address, offsets, a hash of its text and the labels (`corpora/annotations/tagging/pages/`);
the text itself lives in a page cache outside the repository, one file per page, named by
the first 16 hex digits of the SHA-256 of its address (`<cache>/<key>.txt`, UTF-8).

The cache folder comes from the caller (a `--page-cache` flag) or `GONGWEN_PAGE_CACHE`.
A missing cache, a missing page or a passage whose hash differs from its label's is an
error, not a silent skip: a figure measured on fewer passages than labelled would not be
the figure the labels promise. Only `page_set(…, missing="skip")` leaves out the pages the
cache lacks, and returns them for the caller to name (a look at a cache known to be incomplete).

Imports: nlp.tagging.real (sites, jsonl), nlp.tagging.annotations (passage hash),
ingest.settings (the cache folder, shared with the checklist page annotations),
nlp.checklist.annotations (pages_left_out: which pages `missing="skip"` leaves out, for both sets).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from nlp.tagging.annotations import passage_sha
from nlp.tagging.real import read_jsonl, site

PAGES = Path("annotations") / "tagging" / "pages"
# A second set (session 18), blind until session 20; a development set since session 21 (its README says why).
# It stays in its own folder, read only when a caller names it.
PAGES2 = Path("annotations") / "tagging" / "pages2"
# A third unseen set (session 20), for the same reason: read only when a caller names it.
PAGES3 = Path("annotations") / "tagging" / "pages3"
# A development set (session 20) of report passages that only name a risk, with their present counterparts:
# unlike PAGES2/PAGES3 it may be read and trained on, but it too is read only when a caller names it.
PAGES4 = Path("annotations") / "tagging" / "pages4"
# A fifth unseen set (session 20) of settled, denied, rumoured and hypothetical risks beside present ones, from
# sites none of the other sets showed: a measurement like PAGES2/PAGES3, read only when a caller names it.
PAGES5 = Path("annotations") / "tagging" / "pages5"
# A development set (session 22) of settled, past and hypothetical risks beside present ones from new sites,
# read only when a caller names it, like PAGES4.
PAGES6 = Path("annotations") / "tagging" / "pages6"
# A development set (session 22) built the same way from still newer sites, kept untuned that session so it
# could serve as the check partition for what was tuned on PAGES6; read only when a caller names it.
PAGES7 = Path("annotations") / "tagging" / "pages7"
# A development set (session 23) weighted towards risks told as settled or as past background, the statuses the
# blind sets hold in forms the other development sets lack; read only when a caller names it.
PAGES8 = Path("annotations") / "tagging" / "pages8"


class PageCacheError(ValueError):
    """The page cache cannot give back the labelled passages (message in Chinese, for people)."""


def page_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def cache_dir(flag: str | Path | None = None) -> Path | None:
    """The page cache: `flag` if given, else $GONGWEN_PAGE_CACHE, else None."""
    from ingest.settings import page_cache

    return page_cache(flag)


def page_passages(corpora_dir: Path, cache: Path | None, folder: str | Path = PAGES) -> list[dict]:
    """The labelled page passages (`<corpora>/<folder>/*.jsonl`, by default
    `annotations/tagging/pages/`; an absolute `folder` is taken as it is) rebuilt from
    `cache`, each with `site`, `source` (its address), `text`, `tasks`, `risks`, `negated` and
    the per-risk `statuses` the labeller read. [] when nothing is labelled; PageCacheError when
    labels exist but the cache is missing or does not hold their text."""
    return page_set(corpora_dir, cache, folder)[0]


def page_set(corpora_dir: Path, cache: Path | None, folder: str | Path = PAGES,
             missing: str = "refuse") -> tuple[list[dict], list[tuple[str, str]]]:
    """page_passages, and the (cache file, address) of the pages left out under `missing`
    (nlp.checklist.annotations.pages_left_out: with "skip", the pages the cache lacks)."""
    from nlp.checklist.annotations import pages_left_out

    folder = Path(corpora_dir) / folder
    labels = [a for p in sorted(folder.glob("*.jsonl")) for a in read_jsonl(p)]
    if not labels:
        return [], []
    if cache is None or not Path(cache).is_dir():
        raise PageCacheError(f"页面缓存目录不存在：{cache or '未指定'}（用 --page-cache 或 GONGWEN_PAGE_CACHE 指定；"
                             f"页面地址见 {folder}）")
    left = pages_left_out([(f"{page_key(a['url'])}.txt", a["url"]) for a in labels], cache, missing)
    gone = {url for _, url in left}
    rows = []
    for a in labels:
        if a["url"] in gone:
            continue
        f = Path(cache) / f"{page_key(a['url'])}.txt"
        if not f.is_file():
            raise PageCacheError(f"页面缓存缺少 {a['id']} 的页面：{a['url']}（应为 {f.name}）")
        text = f.read_text(encoding="utf-8")[int(a["start"]):int(a["end"])]
        if passage_sha(text) != a["sha"]:
            raise PageCacheError(f"页面缓存与标注不符：{a['id']} 的文本哈希为 {passage_sha(text)}，标注为 {a['sha']}"
                                 f"（{a['url']}）")
        rows.append({"id": a["id"], "source": a["url"], "site": site(a["url"]), "text": text,
                     "tasks": list(a["tasks"]), "risks": list(a["risks"]), "negated": bool(a["negated"]),
                     "statuses": dict(a.get("statuses") or {})})
    return rows, left


def page_sets(corpora_dir: Path, specs: list[str], cache: str | Path | None = None,
              missing: str = "refuse") -> tuple[list[dict], list[tuple[str, str]]]:
    """The page passages of several label folders pooled (their ids differ by set), and the pages
    left out under `missing`. A spec is a label folder (absolute, relative to the working folder, or
    relative to `corpora_dir` as PAGES is), or `FOLDER=CACHE` when that set's texts lie in a cache of
    their own (the tagging sets were each rebuilt into one); without `=CACHE` a set reads `cache`."""
    rows, left = [], []
    for spec in specs:
        folder, _, own = spec.partition("=")
        path = Path(folder).resolve() if Path(folder).is_dir() else Path(folder)  # else under corpora_dir
        got, gone = page_set(corpora_dir, cache_dir(own or cache), path, missing)
        rows += got
        left += gone
    return rows, left


def mention_statuses(rows: list[dict], held: bool = True) -> dict:
    """(passage id, start, end, risk) → status for every risk-keyword hit of the page passages whose
    risk the labeller gave a status: the passage's reading of that risk stands for each of its
    mentions (the page labels are per risk, not per mention), so the status classifier can learn
    settled, denied and rumour mentions from them. `held` False leaves out the risks the passage
    holds: a held risk's status (present) need not be every mention's (a 安全生产 campaign named
    beside an accident), while no mention of a risk the passage does not hold raises it."""
    from nlp.tagging.annotations import risk_mentions

    out = {}
    for r in rows:
        for h in risk_mentions(r["text"]):
            st = r["statuses"].get(h.label)
            if st is not None and (held or h.label not in r["risks"]):
                out[(r["id"], h.start, h.end, h.label)] = st
    return out
