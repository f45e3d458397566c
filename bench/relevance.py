"""Relevance of search, on two judged sets, both engines.

* `--set sample` (default): the project's own notices (corpora/notices/*), the judged
  queries of corpora/relevance/queries.jsonl, section search (kind=section).
* `--set real`: the real notices others published (../shared/real-corpus/notices*/,
  ../shared/real-notices, ../shared/seeds), the queries of
  corpora/relevance/real_queries.jsonl (written before any result was seen) and
  their judgments in corpora/relevance/real_judgments.jsonl. Passage search:
  sections, and documents (a notice without numbered headings has no section, so
  its document item is its only passage). A judged passage is named
  "<path under shared/>#<hash of its heading path and text>" ("…@doc" for the
  document item), never by its text or headings, so the shared text stays out
  of the repository.

Prints nDCG@10 (graded: 2 = answers the query, 1 = related), recall@10 and MRR,
overall and per query type; for no-answer queries (no passage judged 1 or 2) it
prints how many came back empty ("silent").

    python bench/relevance.py [--set real] [--engines tantivy,whoosh] [--show-misses]
    python bench/relevance.py --set real --pool ID[,ID…]   # pooled candidates to judge
    python bench/relevance.py --set real --folds 5          # grouped cross-validation of the tuned settings
    python bench/relevance.py --set real --folds 5 --tune COVER_WEIGHT,SILENT_COVER   # only these chosen
    python bench/relevance.py --set real --queries A.jsonl,B.jsonl   # several judged sets scored as one
    python bench/relevance.py --set real --queries corpora/relevance/heldout_queries.jsonl
    python bench/relevance.py --set real --queries corpora/relevance/fresh_queries.jsonl --setting COVER_WEIGHT=2.0
    python bench/relevance.py --set real --queries corpora/relevance/pages_queries.jsonl --pages DIR --missing skip

`--missing skip` (with `--pages`): a page notice the cache lacks is left out of the index, named,
and so is every query with a judged passage in it (named by id); the figures' n is then the
queries really scored. By default a missing page is refused; a text that no longer hashes always is.

No-answer queries count as silent when search came back empty (index.search.rerank.
SILENT_COVER: nothing found covers enough of the query). `--setting NAME=VALUE`
scores with a GRID value other than the shipped one.

`--folds K` makes the figures honest about the settings that were tuned on this set
(GRID: mined-synonym threshold, abbreviation rarity, question boost, thesaurus rarity,
and the second look's weights — chosen stage by stage, STAGES): the
queries are grouped by the notice site their answers come from (a site's queries all
fall in one fold, so no setting is chosen on queries about the same notice it is
scored on; no-answer queries are spread by id), each fold's settings are chosen on
the other folds only, and the held-out folds' figures are reported — next to the
shipped settings scored on all queries (in-sample, optimistic). The index is built once
an engine; each ranking setting is searched once for every fold, and every SILENT_COVER
is scored from that one search (CoverProbe); the real notices' items are kept on disk
between runs (real_items). It prints the CPU-seconds the searches took.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gongwen_scratch import remove_stale, sigterm_raises  # noqa: E402
from index.search import items_from_document, open_index  # noqa: E402
from ingest.load import load  # noqa: E402
from nlp.checklist.annotations import MISSING, left_out_lines  # noqa: E402
from nlp.resources import shared_root  # noqa: E402

K = 10

SHARED = shared_root(ROOT)
SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".doc")


def corpus_items(folder: Path) -> list:
    items = []
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in SUFFIXES:
            items += items_from_document(load(p))
    return items


def real_files(shared: Path = SHARED) -> list[Path]:
    files = sorted(shared.glob("real-corpus/notices*/*/*.txt"))
    files += sorted(p for p in (shared / "real-notices").glob("*") if p.suffix.lower() in SUFFIXES)
    files += sorted((shared / "seeds").glob("*.txt"))
    return files


_MADE_BY: list[str] = []


def made_by() -> str:
    """A digest of what makes items and checklists: the code of ingest/ and nlp/ and the
    fitted models they load (models/checklist, models/tagger; cards and figures aside).
    Keyed by the extractor version alone, the temp folder kept checklists of a model refitted
    since (64 of 78 notices' checklists stale after a day), so two runs of the same code in
    different temp folders indexed different items (1547 vs 1602): captures differed in
    ~40 result rows and 540 of 783 reranker windows (issue #12)."""
    if not _MADE_BY:
        h = hashlib.sha1()
        files = sorted(q for d in ("ingest", "nlp") for q in (ROOT / d).rglob("*.py"))
        files += sorted(q for d in ("checklist", "tagger") for q in (ROOT / "models" / d).glob("*")
                        if q.is_file() and q.suffix != ".md" and q.name != "metrics.json")
        # the word lists they read (corpora/checklist/*.toml: the extractor's; the user
        # dictionary, the taxonomy): an edited list changes checklists as edited code does
        files += sorted(q for pat in ("checklist/*.toml", "*.toml", "*.txt") for q in (ROOT / "corpora").glob(pat))
        for p in files:
            h.update(str(p.relative_to(ROOT)).encode() + hashlib.sha1(p.read_bytes()).digest())
        # and the libraries that read the files (pdfplumber, the OCR engine, opencc ...): a
        # venv of other versions may read a notice otherwise
        h.update("\n".join(installed()).encode())
        _MADE_BY.append(h.hexdigest()[:12])
    return _MADE_BY[0]


def installed() -> list[str]:
    """The installed distributions with their versions, as their metadata folders name them
    ("pdfplumber-0.11.4.dist-info"): read in milliseconds (importlib.metadata takes ~1 s)."""
    import sysconfig

    where = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    return sorted(p.name for s in where for p in Path(s).glob("*.dist-info"))


def checklist_of(doc, path: Path) -> dict:
    """The checklist an import stores with the notice (nlp.checklist), kept in the temp
    folder by file hash, extractor version and the code and models that extract it
    (made_by): extracting takes seconds a notice."""
    from nlp.checklist import EXTRACTOR_VERSION, extract

    h = hashlib.sha1(path.read_bytes()).hexdigest()[:16]
    cache = (Path(tempfile.gettempdir()) / "gongwen-relevance-checklists"
             / f"{EXTRACTOR_VERSION}-{made_by()}-{h}.json")
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    cl = extract(doc).to_dict()
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(cl, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache)
    return cl


PAGE_ANNOTATIONS = ROOT / "corpora" / "annotations" / "checklist-pages"
BLIND_PAGE_SETS = ("3", "5", "8", "9", "15")  # blind (3, 5) and check (8, 9, 15) sets: never indexed here


def page_files(pages: Path, missing: str = "refuse", annotations: Path | None = None) -> tuple[list[tuple[str, Path]], list[tuple[str, str]]]:
    """The unseen page notices (corpora/annotations/checklist-pages, or the page set
    `annotations`: checklist-pagesN) as (name, cached file):
    the name is "pages/<site>/<file>" (site_of reads the site), the text comes from the page
    cache outside the repository and must hash as annotated (else ValueError naming the page);
    and the (file, address) of the pages left out under `missing` (pages_left_out: with "skip",
    those the cache lacks; by default none, a missing page is refused)."""
    from ingest.settings import page_cache
    from nlp.checklist.annotations import pages_left_out, sha256, source_path

    anns = [json.loads(a.read_text(encoding="utf-8")) for a in sorted(Path(annotations or PAGE_ANNOTATIONS).glob("*.json"))]
    left = pages_left_out([(a["file"], a["page"]) for a in anns], page_cache(pages), missing)
    gone = {f for f, _ in left}
    out = []
    for ann in anns:
        if ann["file"] in gone:
            continue
        path = source_path(ann, SHARED, pages)
        if sha256(path.read_text(encoding="utf-8")) != ann["sha256"]:
            raise ValueError(f"{path}: cached text of {ann['page']} is not the annotated text (sha256 differs)")
        out.append((f"pages/{ann['site']}/{ann['file']}", path))
    return out, left


def on_left_out_page(q: dict, left: list[tuple[str, str]]) -> bool:
    """Whether a judged passage of query `q` lies in a page notice left out (page_files): its
    figure would count a passage the index cannot hold, so the query is not scored."""
    gone = {f for f, _ in left}
    return any(k.startswith("pages/") and k.rsplit("#", 1)[0].removesuffix("@doc").split("/")[-1] in gone
               for k, g in q["relevant"].items() if g > 0)


def real_items(shared: Path = SHARED, checklists: bool = True, pages: Path | None = None,
               missing: str = "refuse", page_sets: tuple[tuple[Path, Path], ...] = ()) -> tuple[list, dict[str, str]]:
    """Items of the real notices, as an import indexes them (with their checklists:
    duties folded into their clauses), and doc_id → path under shared/ (file names
    repeat across sites, so the path names a notice). Files the readers refuse (a scan
    without a text layer) are skipped, as an import would skip them, each named on stderr
    with the reason, and the items are then not kept on disk.
    With `pages` (a page-cache folder), the unseen page notices join them (page_files; `missing`
    as there); `page_sets`, (checklist-pagesN folder, its page cache) pairs, add those sets' notices
    the same way (named pages/<site>/<file> too: no (site, file) repeats across the sets).
    Kept in the temp folder under a hash of what they are made of: each file's name (under
    shared/, or pages/<site>/<file>) and contents, and every module, model, word list and
    library that makes items (made_by, index/search/items.py and base.py); not where the
    files lie, so a fresh clone (CI: a new folder each run, ../shared beside it) finds the
    items an earlier checkout made of the same files with the same code. Reading the
    notices, an OCR scan among them, takes ~50 CPU-s; scoring one setting a few."""
    import pickle

    extra = page_files(pages, missing)[0] if pages is not None else []
    for ann_dir, cache_dir in page_sets:
        extra += page_files(cache_dir, missing, ann_dir)[0]
    h = hashlib.sha1(f"{checklists}-{made_by()}".encode())
    named = [(str(p.relative_to(shared)), p) for p in real_files(shared)] + list(extra)
    named += [(str(p.relative_to(ROOT)), p) for p in (ROOT / "index" / "search" / "items.py", ROOT / "index" / "search" / "base.py")]
    for name, p in named:
        h.update(name.encode() + b"\0" + hashlib.sha1(p.read_bytes()).digest())
    cache = Path(tempfile.gettempdir()) / "gongwen-relevance-items" / f"{h.hexdigest()[:20]}.pkl"
    try:
        return pickle.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    items, where, refused = _real_items(shared, checklists, extra)
    out = items, where
    if refused:
        # not kept: a refusal may pass (a set cached once without the six cx text PDFs, most
        # likely refused while the venv was still installing pdfplumber, lowered every figure)
        print(f"real_items: {len(refused)} of {len(real_files(shared))} real files not read, "
              "items not kept on disk (the next run reads them again)", file=sys.stderr)
        return out
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(out))
    tmp.replace(cache)
    return out


def _real_items(shared: Path, checklists: bool, extra: list[tuple[str, Path]] = ()) -> tuple[list, dict[str, str], dict[str, str]]:
    """Items, doc_id → path, and path → why the readers refused it (said on stderr)."""
    from ingest.errors import GongwenError

    items, where, refused = [], {}, {}
    for name, p in [(str(p.relative_to(shared)), p) for p in real_files(shared)] + list(extra):
        try:
            doc = load(p)
        except GongwenError as e:
            refused[name] = f"{type(e).__name__}: {e.message}" + (f" ({e.detail})" if e.detail else "")
            print(f"real_items: skipped {name}: {refused[name]}", file=sys.stderr)
            continue
        its = items_from_document(doc, checklist_of(doc, p) if checklists else None)
        where[its[0].doc_id] = name
        items += its
    return items, where, refused


def real_key(path: str, kind: str, extras: dict, item_path: str = "", text: str = "") -> str:
    """A passage of the real set: its file under shared/ and a hash of its heading
    path and text ("@doc" for the document item) — no text of theirs, and stable
    when a parser change moves the passage within the parsed text."""
    if kind == "document":
        return f"{path}@doc"
    digest = hashlib.sha1(" ".join(f"{item_path}\n{text}".split()).encode("utf-8")).hexdigest()[:10]
    return f"{path}#{digest}"


def stale_judged(queries: list[dict], items: list, where: dict[str, str]) -> list[str]:
    """Judged passages of an indexed notice that no passage of the index is any more: a
    parser change altered their heading path or text, so their key (real_key hashes both)
    names nothing and every query judging them counts them missed, a drop no ranking made
    (the page set lost 0.028 nDCG@10 so in session 18-19: two closing sections lost a
    trailing signer line). Named by main() so they are re-keyed, not read as a regression."""
    held = {real_key(where[i.doc_id], i.kind, {}, i.path, i.text) for i in items
            if i.kind in ("section", "document") and i.doc_id in where}
    notices = set(where.values())
    judged = dict.fromkeys(k for q in queries for k, g in q["relevant"].items() if g > 0)
    return [k for k in judged if k not in held and k.rsplit("#", 1)[0].removesuffix("@doc") in notices]


def dcg(gains: list[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_key(hit) -> str:
    return f"{hit.fields['extras']['source']}#{hit.path}"


class CoverProbe:
    """While active, search never says nothing: the first page's cover of the query
    (rerank.silence_cover, what common.nothing_relevant compares with SILENT_COVER) is
    recorded instead, or None when the search could not be silenced (every word
    matched). Every SILENT_COVER is then scored from one search a query (`silenced`):
    the threshold changes no ranking, only whether the page is shown."""

    def __init__(self) -> None:
        self.cover: float | None = None

    def __enter__(self) -> CoverProbe:
        from index.search import common, rerank

        def probe(pl, docs, doc_freq, n_items) -> bool:
            if pl.any_word and pl.concepts and docs:
                self.cover = rerank.silence_cover(docs, pl.concepts, doc_freq, n_items, pl.question)
            return False

        self._saved = common.nothing_relevant
        common.nothing_relevant = probe
        return self

    def __exit__(self, *exc) -> None:
        from index.search import common

        common.nothing_relevant = self._saved


def silenced(rows: list[dict], threshold: float) -> list[dict]:
    """Rows scored with CoverProbe → the rows search gives with SILENT_COVER = threshold."""
    out = []
    for r in rows:
        c = r.get("cover")
        if threshold > 0 and c is not None and c < threshold:
            r = {**r, "top": [], "n": 0}
            if "ndcg" in r:
                r.update(ndcg=0.0, recall=0.0, rr=0.0, missed=list(r["missed_all"]))
        out.append(r)
    return out


def evaluate(ix, queries: list[dict], key=sample_key, kinds="section", probe: CoverProbe | None = None) -> tuple[dict, list]:
    """Figures over all queries (with "by_type": the same per query type) and per query.
    With `probe` (active), each row also holds the first page's "cover" (see CoverProbe)."""
    per = []
    for q in queries:
        rel = {k: g for k, g in q["relevant"].items() if g > 0}
        if probe is not None:
            probe.cover = None
        hits = ix.search(q["query"], filters={"kind": kinds}, per_page=K, facets=()).hits
        got = list(dict.fromkeys(key(h) for h in hits))
        row = {"id": q["id"], "type": q.get("type", "sample"), "query": q["query"], "top": got[:3], "n": len(got)}
        if probe is not None:
            row["cover"] = probe.cover
            row["missed_all"] = list(rel)
        if rel:
            gains = [rel.get(k, 0) for k in got]
            ideal = dcg(sorted(rel.values(), reverse=True)[:K])
            row.update(ndcg=dcg(gains) / ideal, recall=sum(1 for k in rel if k in got) / len(rel),
                       rr=next((1 / (i + 1) for i, k in enumerate(got) if rel.get(k, 0) > 0), 0.0),
                       missed=[k for k in rel if k not in got])
        per.append(row)
    by_type = summarize(per)
    return {**by_type["all"], "by_type": by_type}, per


def summarize(per: list[dict]) -> dict:
    out: dict = {}
    groups = defaultdict(list)
    for p in per:
        groups["all"].append(p)
        groups[p["type"]].append(p)
    for name, ps in groups.items():
        judged = [p for p in ps if "ndcg" in p]
        empty = [p for p in ps if "ndcg" not in p]
        m = {"n": len(ps)}
        if judged:
            m.update({"nDCG@10": sum(p["ndcg"] for p in judged) / len(judged),
                      "recall@10": sum(p["recall"] for p in judged) / len(judged),
                      "MRR": sum(p["rr"] for p in judged) / len(judged)})
        if empty:
            m["silent"] = sum(1 for p in empty if p["n"] == 0) / len(empty)
        out[name] = m
    return out


# Settings tuned on judged queries, and the values tried (the first is what ships).
GRID = {
    # index.search.query: the context field (a passage's notice title, headings above, the
    # notice's opening words: base.Item.context), this far below the text (0: not searched)
    "CONTEXT_BOOST": (0.25, 0.0, 0.5, 1.0),
    "COVER_CONTEXT": (True, False),  # index.search.rerank: the second look reads a passage's context too
    "MINED_SIM": (0.6, 0.8),  # 9.0 (no mined pair used) was never chosen on a fold
    "QUESTION_BOOST": (8.0, 4.0),
    "ABBR_RARE_DF": (10, 3),
    "THES_RARE_DF": (2, 0),  # -1 (no thesaurus) and THES_BOOST 0.5 were never chosen either
    # index.search.rerank, the second look at the top hits (COVER_WEIGHT 0: none)
    "COVER_WEIGHT": (2.0, 1.0, 0.0),
    "DOC_PRIOR": (-0.1, 0.0),
    "NEAR_CREDIT": (0.5, 0.0),  # 0: words said alike do not count
    "RERANK_ONE": (False, True),  # index.search.rerank: a one-concept query looked at again too
    "VEC_SIM": (0.65,),  # index.search.vectors: how alike a word-vector neighbour must be (0.72 measured no better)
    # index.search.vectors / query: a word the index lacks widened to the most alike words it holds (9: none)
    "VEC_FAR_SIM": (0.65, 9.0, 0.55, 0.7),
    "FAR_BOOST": (1.0, 0.5),
    # index.search.rerank: a relaxed result covering less of the query is answered with nothing (0: never)
    "SILENT_COVER": (0.0, 0.3, 0.2, 0.4, 0.5),
    # index.search.rerank: a page holding a query word at most this share of the index holds is not silenced
    "SILENT_RARE": (0.01, 0.0, 0.02),
    # index.search.rerank: who may take part / what to hand in / how (questions.INTENTS), tenth round
    "INTENT_WEIGHT": (0.0, 0.5, 1.0),
    # index.search.vectors: an everyday compound neither the vectors nor the index hold, by its characters
    "COMP_SIM": (0.5, 9.0, 0.55),
    # index.search.questions: 啥 / 谁 / 咋 read as interrogatives
    "COLLOQUIAL_ASKS": (True, False),
    # index.search.rerank: a long notice's document item below its sections for a question
    "QUESTION_DOC_PRIOR": (0.0, -0.2, -0.4),
    "COMP_SILENT": (True, False),
    # index.search.query: an abbreviation's candidates holding it whole are no expansions
    "ABBR_SKIP_WHOLE": (1, 0, 2),
    # index.search.rerank: a section naming who receives / decides, for a question asking it (0: off)
    "ACTOR_WEIGHT": (0.0, 0.5),
    # index.search.rerank: a document item below its own section covering the query as much (session 31)
    "DOC_BELOW": (False, "own"),
    # index.search.rerank: a question's notice led by the clause stating the kind of value asked (session 32)
    "SLOT_CHOOSER": (False, True, "first", "best"),
}
# Chosen stage by stage (each stage's settings together, the others as chosen so far):
# the whole product would be 30,720 settings to score.
STAGES = (("CONTEXT_BOOST", "COVER_CONTEXT"), ("MINED_SIM", "QUESTION_BOOST", "ABBR_RARE_DF", "THES_RARE_DF"),
          ("COVER_WEIGHT", "DOC_PRIOR", "NEAR_CREDIT", "VEC_SIM"),
          ("RERANK_ONE",), ("DOC_BELOW",), ("SLOT_CHOOSER",),
          ("VEC_FAR_SIM", "FAR_BOOST"),
          ("COLLOQUIAL_ASKS", "INTENT_WEIGHT", "QUESTION_DOC_PRIOR"), ("COMP_SIM", "COMP_SILENT"),
          ("SILENT_COVER", "SILENT_RARE"))
MODULES = {"MINED_SIM": "analysis", "COVER_WEIGHT": "rerank", "DOC_PRIOR": "rerank", "NEAR_CREDIT": "rerank",
           "VEC_SIM": "vectors", "VEC_FAR_SIM": "vectors", "SILENT_COVER": "rerank", "RERANK_ONE": "rerank",
           "COVER_CONTEXT": "rerank", "SILENT_RARE": "rerank",
           "INTENT_WEIGHT": "rerank", "COMP_SIM": "vectors",
           "COLLOQUIAL_ASKS": "questions", "QUESTION_DOC_PRIOR": "rerank", "COMP_SILENT": "rerank",
           "ACTOR_WEIGHT": "rerank", "DOC_BELOW": "rerank", "SLOT_CHOOSER": "rerank"}


def gain(row: dict) -> float | None:
    """What one query adds to the figure settings are chosen by: nDCG@10 for a query
    with an answer; for a no-answer query 1 when search came back empty, else 0 (so
    saying nothing where nothing fits is worth as much as a perfect answer elsewhere)."""
    if "ndcg" in row:
        return row["ndcg"]
    return 1.0 if row["n"] == 0 else 0.0


def apply_settings(cfg: dict) -> None:
    """Set the tunables of index.search for the next searches."""
    import importlib

    from index.search import analysis, vectors

    for name, value in cfg.items():
        setattr(importlib.import_module("index.search." + MODULES.get(name, "query")), name, value)
    if "MINED_SIM" in cfg:
        analysis._mined = None
        analysis.mined_synonyms.cache_clear()
        analysis.mined_names.cache_clear()
    vectors.clear()  # found with the old VEC_SIM / VEC_FAR_SIM


def shipped_settings() -> dict:
    import importlib

    return {n: getattr(importlib.import_module("index.search." + MODULES.get(n, "query")), n) for n in GRID}


def site_of(key: str) -> str:
    """The site a judged passage comes from: real-corpus/notices*/<site>/…, pages/<site>/…
    (the unseen page notices), else the folder."""
    parts = key.split("/")
    if parts[0] == "pages" and len(parts) > 2:
        return parts[1]
    return parts[2] if parts[0] == "real-corpus" and len(parts) > 3 else parts[0]


def query_group(q: dict) -> str:
    """The site holding most of a query's answer (grade 2 counts double)."""
    weight: dict[str, int] = defaultdict(int)
    for k, g in q["relevant"].items():
        if g > 0:
            weight[site_of(k)] += g
    if not weight:
        return "none:" + q["id"]
    return max(sorted(weight), key=lambda s: weight[s])


def make_folds(queries: list[dict], k: int) -> list[set[str]]:
    """Query ids in k folds; all queries of one site in one fold, largest sites placed
    first into the fold with fewest queries (deterministic)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        groups[query_group(q)].append(q["id"])
    folds: list[set[str]] = [set() for _ in range(k)]
    answered = sorted((g for g in groups if not g.startswith("none:")), key=lambda g: (-len(groups[g]), g))
    for g in answered + sorted(g for g in groups if g.startswith("none:")):
        min(folds, key=len).update(groups[g])
    return folds


def cross_validate(ix, queries: list[dict], key, kinds, k: int, tune: tuple[str, ...] | None = None) -> dict:
    """Per fold: settings chosen on the other folds, stage by stage (STAGES: every
    combination of a stage's GRID values, the other settings as chosen so far, the
    best mean gain on the other folds kept); the held-out queries scored with it.
    `tune`: only these settings are chosen (the others stay as shipped).
    Each ranking setting is searched once for all queries and folds (cached); the
    SILENT_COVER values are scored from that one search (CoverProbe).
    Returns the held-out per-query rows, the in-sample rows of the shipped settings,
    the settings each fold chose and the CPU-seconds the searches took."""
    import itertools

    cache: dict[tuple, dict] = {}
    cpu = [0.0]

    def rows(cfg: dict) -> dict:
        ranking = {n: v for n, v in cfg.items() if n != "SILENT_COVER"}
        keyc = tuple(sorted(ranking.items()))
        if keyc not in cache:
            apply_settings(ranking)
            t = time.process_time()
            with CoverProbe() as probe:
                cache[keyc] = evaluate(ix, queries, key, kinds, probe)[1]
            cpu[0] += time.process_time() - t
        return {p["id"]: p for p in silenced(cache[keyc], cfg.get("SILENT_COVER", 0.0))}

    def score(cfg: dict, skip: set) -> float:
        gs = [gain(r) for qid, r in rows(cfg).items() if qid not in skip]
        return round(sum(gs) / max(1, len(gs)), 6)

    stages = [tuple(n for n in st if tune is None or n in tune) for st in STAGES]
    stages = [st for st in stages if st]

    def choose(skip: set) -> dict:
        best = shipped_settings()
        for stage in stages:
            cands = [{**best, **dict(zip(stage, vals))} for vals in itertools.product(*(GRID[n] for n in stage))]
            best = max(cands, key=lambda c: (score(c, skip), c == best))
        return best

    shipped = shipped_settings()
    base = dict(rows(shipped))
    folds = make_folds(queries, k)
    held, chosen = [], []
    for f in folds:
        cfg = choose(f)
        chosen.append({n: cfg[n] for n in GRID if tune is None or n in tune})
        held += [rows(cfg)[qid] for qid in sorted(f)]
    best_all = choose(set())
    apply_settings(shipped)
    return {"held": held, "shipped": list(base.values()), "chosen": chosen,
            "best_all": {n: best_all[n] for n in GRID if tune is None or n in tune},
            "sizes": [len(f) for f in folds], "scored": len(cache), "cpu_s": round(cpu[0], 1)}


def silence_line(per_engine: dict) -> str:
    """How many no-answer queries (none judged relevant) came back empty, per engine."""
    parts = []
    for e, rows in per_engine.items():
        none = [r for r in rows if "ndcg" not in r]
        parts.append(f"{e} {sum(1 for r in none if r['n'] == 0)}/{len(none)}")
    return "no-answer queries silent: " + "  ".join(parts)


def print_table(results: dict, engines: list[str]) -> None:
    types = list(results[engines[0]])
    cols = [(e, m) for e in engines for m in ("nDCG@10", "recall@10", "MRR")]
    print(f"{'type':<13}{'n':>4}" + "".join(f"{e[:4] + ' ' + m.split('@')[0][:4]:>11}" for e, m in cols))
    for t in types:
        row = f"{t:<13}{results[engines[0]][t]['n']:>4}"
        for e, m in cols:
            r = results[e].get(t, {})
            row += f"{r[m]:>11.3f}" if m in r else (f"{'silent ' + format(r['silent'], '.1f'):>11}" if m == "nDCG@10" and "silent" in r else f"{'':>11}")
        print(row)


@contextlib.contextmanager
def terminable():
    """An ExitStack whose callbacks (temp folders of indexes) also run when the run is
    ended by SIGTERM (kill, a timeout): by default SIGTERM ends Python without unwinding,
    and each killed run left its index folder in the temp dir (dozens of gongwen-relevance-*
    and gongwen-ltr-* folders, issue #12). SIGTERM now raises SystemExit(143) instead."""
    with sigterm_raises(), contextlib.ExitStack() as stack:
        yield stack


def main() -> None:
    with terminable() as stack:  # the indexes' temp folder goes on every way out
        _main(stack)


def _main(stack: contextlib.ExitStack) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("sample", "real"), default="sample")
    ap.add_argument("--engines", default="tantivy,whoosh")
    ap.add_argument("--notices", type=Path, default=ROOT / "corpora" / "notices")
    ap.add_argument("--queries", help="the queries' file (real set: several, comma-separated, are scored as one set)")
    ap.add_argument("--show-misses", action="store_true", help="list the queries below nDCG 0.8")
    ap.add_argument("--pool", help="query ids (or 'all'): print the pooled top hits of every engine, to judge")
    ap.add_argument("--json", type=Path, help="write the per-query figures here")
    ap.add_argument("--no-checklists", action="store_true",
                    help="index the real notices without their checklists (as before issue 12's second round)")
    ap.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                    help="score with a GRID setting other than the shipped one (e.g. COVER_WEIGHT=2.0)")
    ap.add_argument("--folds", type=int, default=0,
                    help="grouped cross-validation (by answer site) of the GRID settings, K folds")
    ap.add_argument("--tune", help="with --folds: choose only these GRID settings (comma-separated); the rest as shipped")
    ap.add_argument("--pages", type=Path, metavar="DIR",
                    help="real set: index the unseen page notices too (corpora/annotations/checklist-pages), "
                         "their texts read from this page-cache folder; "
                         "the blind set, blind_queries.jsonl, needs it")
    ap.add_argument("--page-set", action="append", default=[], metavar="N=DIR",
                    help="real set: index a dev page set too, corpora/annotations/checklist-pagesN, its texts "
                         "read from the page cache DIR (repeatable; with --missing as for --pages)")
    ap.add_argument("--missing", choices=MISSING, default="refuse",
                    help="with --pages, a page notice the cache lacks: refuse (default) or leave it out, "
                         "naming it, with the queries judged on it")
    a = ap.parse_args()
    if a.setting:
        shipped = shipped_settings()
        cfg = {}
        for kv in a.setting:
            name, _, value = kv.partition("=")
            if name not in GRID:
                ap.error(f"--setting {name}: not one of {', '.join(GRID)}")
            kind = type(shipped[name])
            if kind is bool and value.lower() not in ("true", "1", "false", "0"):
                cfg[name] = value  # a named variant of a switch (DOC_BELOW=own)
            else:
                cfg[name] = value.lower() in ("true", "1") if kind is bool else kind(value)  # bool("False") is True
        apply_settings(cfg)
    if a.set == "real":
        queries = []
        # several files (comma-separated) are one set: the same notices, ids distinct
        for qfile in (Path(f) for f in str(a.queries or ROOT / "corpora" / "relevance" / "real_queries.jsonl").split(",")):
            jfile = qfile.with_name(qfile.name.replace("queries", "judgments"))
            judged = {j["id"]: j["relevant"] for j in load_jsonl(jfile)} if jfile.exists() else {}
            for q in load_jsonl(qfile):
                q["relevant"] = judged.get(q["id"], {})
                queries.append(q)
        if len({q["id"] for q in queries}) != len(queries):
            ap.error("--queries: the files share query ids")
        pages = a.pages  # explicit only: a cache in the environment must not change the other sets' index
        if pages is None and any(k.startswith("pages/") for q in queries for k in q["relevant"]):
            ap.error("--queries: these queries are answered by page notices; give their page cache (--pages DIR)")
        page_sets = []
        for spec in a.page_set:
            n, sep, d = spec.partition("=")
            if n in BLIND_PAGE_SETS:
                ap.error(f"--page-set {n}: a blind or check set (checklist-pages{n}); only the coordinator measures it")
            if not sep or not (ROOT / "corpora" / "annotations" / f"checklist-pages{n}").is_dir():
                ap.error(f"--page-set {spec}: N=DIR, N naming corpora/annotations/checklist-pagesN")
            page_sets.append((ROOT / "corpora" / "annotations" / f"checklist-pages{n}", Path(d)))
        if pages is None and page_sets:
            ap.error("--page-set: give --pages (checklist-pages) too")
        try:
            left = page_files(pages, a.missing)[1] if pages is not None else []
            for ann_dir, cache_dir in page_sets:
                left += page_files(cache_dir, a.missing, ann_dir)[1]
            items, where = real_items(checklists=not a.no_checklists, pages=pages, missing=a.missing,
                                      page_sets=tuple(page_sets))
        except ValueError as e:
            ap.error(str(e))
        for line in left_out_lines(left):
            print(line)
        dropped = [q["id"] for q in queries if on_left_out_page(q, left)]
        if dropped:
            print(f"  left out with them: {len(dropped)} queries judged on them: {', '.join(dropped)}")
            queries = [q for q in queries if q["id"] not in dropped]
        stale = stale_judged(queries, items, where)
        if stale:
            print(f"judged passages the index no longer holds (scored as missed; re-key them): {len(stale)}: "
                  + ", ".join(stale))
        texts = {it.id: it.text for it in items}
        kinds = ["section", "document"]

        def key(hit) -> str:
            return real_key(where.get(hit.doc_id, hit.doc_id), hit.kind, {}, hit.path, texts.get(hit.id, ""))
        src = SHARED
    else:
        queries = load_jsonl(Path(a.queries) if a.queries else ROOT / "corpora" / "relevance" / "queries.jsonl")
        items = corpus_items(a.notices)
        kinds = "section"
        key = sample_key
        src = a.notices
    n_sections = sum(1 for i in items if i.kind == "section")
    print(f"{len(queries)} queries; corpus: {len(items)} items ({n_sections} sections) from {src}")
    engines = [e.strip() for e in a.engines.split(",") if e.strip()]
    remove_stale("gongwen-relevance-")  # what runs ended by SIGKILL left (the caches' names stay)
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gongwen-relevance-")))
    if a.pool:
        want = None if a.pool == "all" else set(a.pool.split(","))
        texts = {}
        for it in items:
            texts[it.id] = it.text
        pools: dict[str, dict[str, str]] = defaultdict(dict)
        for e in engines:
            ix = open_index(folder / e, e)
            ix.add(items)
            for q in queries:
                if want is None or q["id"] in want:
                    for h in ix.search(q["query"], filters={"kind": kinds}, per_page=K, facets=()).hits:
                        pools[q["id"]].setdefault(key(h), " ".join(texts.get(h.id, "").split())[:70])
            ix.close()
        for q in queries:
            if q["id"] in pools or (want and q["id"] in want):
                print(f"\n{q['id']} [{q.get('type')}] {q['query']}")
                for k, t in pools.get(q["id"], {}).items():
                    print(f"   {q['relevant'].get(k, '?')} {k}  | {t}")
        return
    if a.folds:
        tune = tuple(t.strip() for t in a.tune.split(",")) if a.tune else None
        if tune and set(tune) - set(GRID):
            ap.error(f"--tune: not in GRID: {', '.join(sorted(set(tune) - set(GRID)))}")
        cv = {}
        for e in engines:
            ix = open_index(folder / e, e)
            ix.add(items)
            cv[e] = cross_validate(ix, queries, key, kinds, a.folds, tune)
            ix.close()
        print(f"\n{a.folds} folds grouped by answer site, sizes {cv[engines[0]]['sizes']}")
        print("\nshipped settings, all queries (in-sample: they were tuned on these):")
        print_table({e: summarize(cv[e]["shipped"]) for e in engines}, engines)
        print(silence_line({e: cv[e]["shipped"] for e in engines}))
        print("\nheld-out folds (settings chosen on the other folds):")
        print_table({e: summarize(cv[e]["held"]) for e in engines}, engines)
        print(silence_line({e: cv[e]["held"] for e in engines}))
        for e in engines:
            print(f"{e}: chosen per fold {cv[e]['chosen']}; best on all {cv[e]['best_all']}")
            print(f"{e}: {cv[e]['scored']} ranking settings searched, {cv[e]['cpu_s']} CPU-s of searching")
        if a.json:
            a.json.write_text(json.dumps(cv, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    results = {}
    for e in engines:
        ix = open_index(folder / e, e)
        ix.add(items)
        t = time.perf_counter()
        results[e] = evaluate(ix, queries, key, kinds)
        results[e][0]["ms/query"] = (time.perf_counter() - t) * 1000 / len(queries)
        ix.close()
    types = list(results[engines[0]][0]["by_type"])
    cols = [(e, m) for e in engines for m in ("nDCG@10", "recall@10", "MRR")]
    print(f"\n{'type':<13}{'n':>4}" + "".join(f"{e[:4] + ' ' + m.split('@')[0][:4]:>11}" for e, m in cols))
    for t in types:
        row = f"{t:<13}{results[engines[0]][0]['by_type'][t]['n']:>4}"
        for e, m in cols:
            r = results[e][0]["by_type"][t]
            row += f"{r[m]:>11.3f}" if m in r else (f"{'silent ' + format(r['silent'], '.1f'):>11}" if m == "nDCG@10" and "silent" in r else f"{'':>11}")
        print(row)
    print(silence_line({e: results[e][1] for e in engines}))
    print("ms/query: " + "  ".join(f"{e} {results[e][0]['ms/query']:.1f}" for e in engines))
    if a.json:
        a.json.write_text(json.dumps({e: {"summary": results[e][0], "per": results[e][1]} for e in engines},
                                     ensure_ascii=False, indent=1), encoding="utf-8")
    if a.show_misses:
        for e in engines:
            print(f"\n{e}: queries below nDCG 0.8")
            for p in results[e][1]:
                if p.get("ndcg", 1) < 0.8:
                    print(f"  {p['id']} {p['query']!r} nDCG={p['ndcg']:.2f} recall={p['recall']:.2f}")
                    print(f"      missed: {p['missed']}")
                    print(f"      top: {p['top']}")


if __name__ == "__main__":
    main()
