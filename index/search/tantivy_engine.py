"""The tantivy engine: text is segmented by `analysis` in Python and handed to
tantivy as one string per field (`analysis.joined`) that tantivy's own analyzer
(`analyzer`) cuts into `analysis.analyze`'s tokens (word positions, sub-words at their
word's position); keyword fields are raw, fast fields where facets count them. A
search reloads the reader when the index's meta.json changed (a commit, from this or
another process), so it sees the latest commit; commits are atomic."""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import orjson
import tantivy
from tantivy import Occur, Order, PreTokenizedString, Query, Token

from ingest.settings import Settings

from . import common, parallel
from . import rerank as _rerank
from .analysis import JOIN, MAX_SUBWORD_PARENT, analyze, backend, joined, joined_parts
from .base import FACETS, Item, SearchResults, Timer, sources
from .query import PAbbrev, PAll, PBool, PCompound, PKeyword, PNone, PPhrase, PRange, PTerm, bare_words, field_boosts, plan

TEXT = ("title", "heading", "text", "meta", "issuer_t", "doc_number_t", "context")
KEYWORDS = ("id", "doc_id", "kind", "issuer", "doc_type", "region", "doc_number", "tags", "risks", "folded")
HEAP = 256_000_000
# One indexing thread: segmentation in Python is the bottleneck, and a second thread
# only adds merging work and segments (measured at 100k items on 2 cores: 1,588 items/s
# with 54.8 s CPU and 1 segment, against 1,421 items/s, 67.3 s CPU, 2 segments).
WRITER_THREADS = 1
# Facet counts kept per query (for the current commit only); 0 turns the cache off.
FACET_CACHE = Settings().facet_cache  # GONGWEN_FACET_CACHE
# how many items past a page a tie at its last place may pull in to be ordered by id
# (a larger tie, e.g. a filter-only query over a big index, keeps tantivy's order past that)
TIE_FETCH = 2000
# hits fetched past a page to see whether the tie at its last place ends there: a tie
# that does is ordered without running the query again (a few more hits cost ~nothing)
TIE_SLACK = 64
# item ids remembered per commit by doc address (for ordering tied hits); ~150 bytes each
ID_CACHE = 1 << 16
# Stored payloads remembered per commit by doc address, up to this many bytes. The learned
# ranker reads the payloads of 100 hits a search, and tantivy's document store keeps only
# the last 100 decompressed blocks: hits scattered over the index each cost a block's
# decompression (a window's reads 0.6 CPU-ms more than the same reads again at once).
PAYLOAD_CACHE_BYTES = 16 << 20


# 6: duties outside every section folded into their document item (one hit per passage, by span)
# 5: a duration marker in meta (questions.markers: 会期一天, 3个月; asked by 几天, 多久)
# 4: a context field (Item.context: what a passage inherits from its notice and headings)
# 3: text fields cut by ANALYZER from analysis.joined (were pre-tokenized, with the same
#    tokens); no fast fields for doc_id, region and doc_number (no facet or sort reads them)
# 2: folded duties (one hit per passage)
SCHEMA_VERSION = 6
ANALYZER = "gongwen_joined"
# keyword fields facets count (aggregations read fast fields); the rest are filters only
FAST = ("kind", "issuer", "doc_type", "tags", "risks")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    for f in TEXT:
        sb.add_text_field(f, stored=False, tokenizer_name=ANALYZER, index_option="position")
    for f in KEYWORDS:
        sb.add_text_field(f, stored=False, fast=f in FAST, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    sb.add_integer_field("datenum", stored=False, indexed=True, fast=True)
    sb.add_bytes_field("payload", stored=True, indexed=False, fast=False)
    return sb.build()


def analyzer(parts: Iterable[str] | None = None) -> tantivy.TextAnalyzer:
    """What cuts `analysis.joined` strings into `analysis.analyze`'s tokens: white space
    between words, then split_compound (leftmost-longest over `parts`, the words and
    sub-words the strings join; a token that is not wholly made of them stays whole),
    then the JOIN pieces dropped. `parts` None: every dictionary word that can be one
    (built once per process: ~0.8 CPU-s and ~90 MB, worth it for a full rebuild only).
    Offsets are not kept: tantivy stores none, and snippets are cut from the payload."""
    if parts is None:
        return _full_analyzer(backend())
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
            .filter(tantivy.Filter.split_compound(sorted(set(parts) | {JOIN})))
            .filter(tantivy.Filter.custom_stopword([JOIN]))
            .build())


@lru_cache(maxsize=1)
def _full_analyzer(b) -> tantivy.TextAnalyzer:
    # a dictionary word of 2..MAX_SUBWORD_PARENT characters: a word with sub-words, or a sub-word
    return analyzer(w for w in b.auto.keys() if 2 <= len(w) <= MAX_SUBWORD_PARENT)


def _add_text(d: tantivy.Document, name: str, value: str, s: str | None, parts: set | None) -> None:
    """Field `name` of `d`: `value` as `s` (its analysis.joined string, worked out here
    when None). `parts` collects what the split dictionary must hold for it."""
    if s is None:
        s = _joined_context(value) if name == "context" else joined(value)
        if s is None:  # a word the analyzer could cut otherwise: the tokens themselves
            d.add_pre_tokenized_text(name, PreTokenizedString(value, analyze(value, Token)))
            return
    d.add_text(name, s)
    if parts is not None and JOIN in s:
        parts.update(joined_parts((s,)))


def _joined_context(value: str) -> str | None:
    """analysis.joined of a context field, a line at a time: its lines (notice title,
    headings above, the notice's opening words) repeat across a notice's passages, so
    each is cut once (_joined_line) instead of once a passage."""
    lines = [_joined_line(x) for x in value.split("\n")]
    return None if None in lines else " ".join(x for x in lines if x)


@lru_cache(maxsize=8192)
def _joined_line(line: str) -> str | None:
    return joined(line)


def _with_fields(items: Iterable[Item]) -> Iterator[tuple[Item, dict | Exception]]:
    """Each item with its text fields, worked out once (for the workers and the document);
    an item whose fields cannot be worked out carries the error, which building its
    document raises (so a rebuild sets its source aside: common.built_whole)."""
    for it in items:
        try:
            yield it, common.text_fields(it)
        except Exception as e:  # noqa: BLE001 - this item's fault, told where its document is built
            yield it, e


def _long_texts(pair: tuple[Item, dict | Exception]) -> list[str | None]:
    """The texts worker processes segment: the long ones. Short ones (titles, headings,
    issuers) repeat across a document's items and are cut here once (analysis.joined
    caches them)."""
    fields = pair[1]
    if isinstance(fields, Exception):
        return [None] * len(TEXT)
    # the context field is cut here too, a line at a time (_joined_context)
    return [v if len(v) > SHORT and k != "context" else None for k, v in fields.items()]


SHORT = 64


class TantivyIndex(common.FolderIndex):
    engine = "tantivy"
    # tantivy refuses a writer with a ValueError, a held lock included (told by its message)
    lock_errors = (ValueError,)

    def __init__(self, path: str | Path):
        self.schema = _schema()
        self._slock = threading.Lock()
        self._gen = None  # meta.json's (inode, mtime, size) when the searcher was taken
        self._s = None
        self._cache = _CommitCache()
        self._view: Path | None = None  # where a folder that takes no writes is read from
        super().__init__(path)

    @property
    def version(self) -> int:
        return SCHEMA_VERSION  # read when used: a test writes an older format by setting it

    def _create(self, folder: Path) -> None:
        tantivy.Index(self.schema, path=str(folder), reuse=False)

    def _open_index(self) -> None:
        # the folder is marked as a current index (prepare_dir), so it was made with a meta.json:
        # without it tantivy would start a new, empty index there and every search find nothing
        if not (self.path / "meta.json").exists():
            raise common.IndexDamaged(self.path, "meta.json: No such file")
        try:
            self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        except ValueError as e:
            if (os_error := common.as_os_error(e, self.path)) is not None:
                if os_error.errno in (errno.EROFS, errno.EACCES, errno.EPERM) and self._read_through_view():
                    return
                raise os_error from e  # the folder cannot be read
            # the marker says this is the current format (prepare_dir): its files are damaged
            raise common.IndexDamaged(self.path, str(e)) from None
        self._gen = None  # the next search takes a searcher of this index

    def _read_through_view(self) -> bool:
        """Open an index whose folder takes no writes (read-only media, no permission) for
        reading: tantivy takes a lock file in the folder even to read, so it reads through a
        temporary folder of links to the index's files, where its lock files can be made.
        Writing stays refused (`_new_writer`). False when that cannot be made either."""
        try:
            view = Path(tempfile.mkdtemp(prefix="gongwen-index-readonly-"))
        except OSError:
            return False
        weakref.finalize(self, shutil.rmtree, view, True)  # also at exit
        try:
            for f in self.path.iterdir():
                if not (f.name.startswith(".tantivy-") and f.name.endswith(".lock")):
                    (view / f.name).symlink_to(f.resolve())
            self.index = tantivy.Index(self.schema, path=str(view), reuse=True)
        except (OSError, ValueError):
            shutil.rmtree(view, ignore_errors=True)
            return False
        self._view = view
        self._gen = None
        return True

    # ----------------------------------------------------------- writing
    def _new_writer(self):
        if self._view is not None:  # a writer would write into the temporary view, not the folder
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self.path))
        return self.index.writer(heap_size=HEAP, num_threads=WRITER_THREADS)

    @staticmethod
    def _delete_term(writer, field: str, value: str) -> None:
        writer.delete_documents_by_term(field, value)

    def _lock_held(self, error: Exception) -> bool:
        # waiting helps only a held lock: any other refusal is IndexBusy at once
        return "lock" in str(error).lower()

    def _doc(self, it: Item, texts: list | None = None, fields: dict | Exception | None = None,
             parts: set | None = None) -> tantivy.Document:
        """`texts`: analysis.joined of the text fields, worked out elsewhere, in `_long_texts`
        order (None, or None for a field: work it out here; parallel.Failed: the worker doing
        them failed, and so does this item). `fields`: common.text_fields(it) when already
        worked out. `parts` collects what the split dictionary must hold (`analyzer`)."""
        if isinstance(texts, parallel.Failed):
            raise texts.error()
        if isinstance(fields, Exception):
            raise fields
        d = tantivy.Document()
        for k, (name, value) in enumerate((fields or common.text_fields(it)).items()):
            if value:
                _add_text(d, name, value, texts[k] if texts else None, parts)
        for name, values in common.keyword_fields(it).items():
            for v in values:
                d.add_text(name, v)
        if it.year:
            d.add_integer("year", int(it.year))
        d.add_integer("datenum", it.datenum)
        d.add_bytes("payload", common.payload(it).encode("utf-8"))
        return d

    def _write(self, fn, parts: Iterable[str] | None = ()) -> None:
        """`fn(writer)` in one commit. `parts`: what the split dictionary must hold for the
        texts `fn` adds (`analyzer`; None: every dictionary word, for items not known yet)."""
        index = self._ready()
        with self._wlock:
            # a writer cuts text with the analyzer registered when it was made
            index.register_tokenizer(ANALYZER, analyzer(parts))
            w = self._writer()
            try:
                fn(w)
                w.commit()
            except BaseException as e:
                try:
                    w.rollback()
                except Exception:  # noqa: BLE001 - the first error says what went wrong
                    pass
                if (os_error := common.as_os_error(e, self.path)) is not None and os_error is not e:
                    raise os_error from e  # a full or read-only disk, said as the OS error it is
                raise
            finally:
                w.wait_merging_threads()  # also releases the lock file
                self._gen = None  # the next search reloads, whatever meta.json's stat says

    def _analysed(self, items: list[Item]) -> tuple[list[tantivy.Document], set[str]]:
        parts: set[str] = set()
        with common.fewer_collections():
            # analyse before taking the lock (in worker processes for a large batch)
            with parallel.Segmenter(len(items)) as seg:
                docs = [self._doc(it, texts, fields, parts) for (it, fields), texts in seg.map(_with_fields(items), _long_texts)]
        return docs, parts

    def add(self, items: Sequence[Item]) -> int:
        items = list(items)
        if not items:
            return 0
        self._ready()
        docs, parts = self._analysed(items)

        def run(w):
            upsert = self.count() > 0  # deleting ids that cannot exist costs time
            for it, d in zip(items, docs):
                if upsert:
                    self._delete_term(w, "id", it.id)
                w.add_document(d)

        self._write(run, parts)
        return len(items)

    def reindex(self, items: Iterable[Item], *, batch: int = 5000, progress=None, refused=None) -> int:
        """Replace everything with `items` in ONE commit: until it lands, searches
        see the old index; if it fails (or the process dies), the old index stays.
        `refused(item, error)`: see `common.built_whole`. An index of an older format
        is rebuilt beside it and put in its place once complete."""
        if self.outdated is not None:
            return self._rebuild_outdated(items, batch=batch, progress=progress, refused=refused)
        items = iter(items)
        head = list(islice(items, parallel.Segmenter.MIN_ITEMS))
        small = len(head) < parallel.Segmenter.MIN_ITEMS
        parts: set[str] | None = set() if small else None  # small: a split dictionary of its own words
        n = 0

        def run(w):
            nonlocal n
            w.delete_all_documents()
            for d in docs if small else common.built_whole(made(), lambda x: self._doc(*x), refused):
                w.add_document(d)
                n += 1
                if progress and n % batch == 0:
                    progress(n)

        def made():
            return ((it, texts, fields) for (it, fields), texts in seg.map(_with_fields(chain(head, items)), _long_texts))

        # worker processes (for a large rebuild) start before the writer's threads do
        with common.fewer_collections(), parallel.Segmenter() as seg:
            if small:
                docs = list(common.built_whole(made(), lambda x: self._doc(*x, parts), refused))
            self._write(run, parts)
        if parts is None:
            # the whole-dictionary analyzer (~90 MB) was for this rebuild only: a server
            # that rebuilt an old index at start-up should not carry it while it serves
            _full_analyzer.cache_clear()
            self._ready().register_tokenizer(ANALYZER, analyzer(()))
        if progress:
            progress(n)
        return n

    def replace_documents(self, doc_ids: Iterable[str], items: Sequence[Item]) -> int:
        items = list(items)
        doc_ids = sources(doc_ids, items)
        if not doc_ids:
            return 0
        self._ready()
        docs, parts = self._analysed(items) if items else ([], set())

        def run(w):
            # a delete in a commit applies to what was added before it, not after
            if self.count() > 0:
                for doc_id in doc_ids:
                    self._delete_term(w, "doc_id", doc_id)
            for d in docs:
                w.add_document(d)

        self._write(run, parts)
        return len(items)

    def clear(self) -> None:
        self._write(lambda w: w.delete_all_documents())

    # ----------------------------------------------------------- reading
    def _searcher(self):
        self._ready()
        # Reloading costs more than a stat: reload only when a commit rewrote meta.json
        # (tantivy replaces it atomically, so inode and mtime change with every commit).
        try:
            st = os.stat(self.path / "meta.json")
            gen = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            gen = None
        with self._slock:
            if gen is None or gen != self._gen or self._s is None:
                self.index.reload()
                self._s = self.index.searcher()
                self._gen = gen
                self._cache = _CommitCache()  # what was read from the old commit is stale
            return self._s, self._cache

    def count(self) -> int:
        return self._searcher()[0].num_docs

    def ids(self, kind: str) -> set[str]:
        # the term dictionary, counted over live items of the kind: deleted items drop out
        s, _ = self._searcher()
        return {t for t, _ in s.terms_with_prefix("id", "", filter_query=Query.term_query(self.schema, "kind", kind))}

    def contains(self, item_id: str) -> bool:
        s, _ = self._searcher()
        return s.search(Query.term_query(self.schema, "id", item_id), limit=1, count=True).count > 0

    def count_kind(self, kind: str) -> int:
        s, _ = self._searcher()
        return s.search(Query.term_query(self.schema, "kind", kind), limit=1, count=True).count

    def _facets(self, s, cache: OrderedDict, key, q: Query, facets: list[str]) -> dict[str, list]:
        """Facet counts of the full match set. They depend only on the query, the
        filters and the commit, not on the page or the sort: paging through a
        result (and a popular query) reuses them until the next commit."""
        if FACET_CACHE > 0:
            with self._slock:
                hit = cache.get(key)
                if hit is not None:
                    cache.move_to_end(key)
                    return {f: list(v) for f, v in hit.items()}
        # one aggregation request for every facet asked: one pass over the matches
        # more buckets than are shown, so values tied at the cut are ordered as whoosh orders them
        aggs = s.aggregate(q, {f: {"terms": {"field": f, "size": 4 * common.FACET_SIZE}} for f in facets})
        fc = {f: common.order_facet({(int(b["key"]) if f == "year" else b["key"]): int(b["doc_count"])
                                     for b in aggs.get(f, {}).get("buckets", [])})
              for f in facets}
        if FACET_CACHE > 0:
            with self._slock:
                cache[key] = fc
                while len(cache) > FACET_CACHE:
                    cache.popitem(last=False)
            fc = {f: list(v) for f, v in fc.items()}
        return fc

    def _q(self, p, df=None) -> Query:
        """`df(word)`: how many items hold `word` in their text (for PCompound)."""
        s = self.schema
        if isinstance(p, (PCompound, PAbbrev)):
            return self._q(p.expanded(df), df)
        if isinstance(p, PAll):
            return Query.all_query()
        if isinstance(p, PNone):
            return Query.empty_query()
        if isinstance(p, PTerm):
            return Query.boolean_query([
                (Occur.Should, Query.boost_query(Query.term_query(s, f, p.word, index_option="freq"), b * p.boost))
                for f, b in field_boosts().items()])
        if isinstance(p, PPhrase):
            fields = {p.field: 1.0} if p.field else field_boosts()
            one = (lambda f: Query.term_query(s, f, p.words[0], index_option="freq")) if len(p.words) == 1 else (
                lambda f: Query.phrase_query(s, f, list(p.words), slop=p.slop))
            return Query.boolean_query([(Occur.Should, Query.boost_query(one(f), b * p.boost)) for f, b in fields.items()])
        if isinstance(p, PKeyword):
            return Query.term_query(s, p.field, p.value)
        if isinstance(p, PRange):
            return Query.range_query(s, p.field, tantivy.FieldType.Integer, p.lo, p.hi)
        if isinstance(p, PBool):
            parts = [(Occur.Must, self._q(c, df)) for c in p.must]
            parts += [(Occur.Should, self._q(c, df)) for c in p.should]
            parts += [(Occur.MustNot, self._q(c, df)) for c in p.must_not]
            q = Query.boolean_query(parts)
            return q if p.scored else Query.const_score_query(q, 0.0)
        raise TypeError(p)

    def search(self, query: str = "", *, filters: dict | None = None, page: int = 1, per_page: int = 10,
               sort: str = "relevance", facets: Sequence[str] = FACETS) -> SearchResults:
        t = Timer()
        common.check_paging(page, per_page, sort)
        facets = common.check_facets(facets)
        pl = plan(query, filters)
        s, cache = self._searcher()
        order = dict(order_by_field="datenum", order=Order.Desc) if sort == "date" else {}
        offset, per_page = (int(page) - 1) * int(per_page), int(per_page)
        df = cache.doc_freq(s)
        def full(pq) -> Query:  # the plan's query with its filter and exclusions
            q = self._q(pq, df)
            if pl.filter is not None:
                q = Query.boolean_query([(Occur.Must, q),
                                         (Occur.Must, Query.const_score_query(self._q(pl.filter, df), 0.0))])
            if pl.exclude is not None:
                q = Query.boolean_query([(Occur.Must, q), (Occur.MustNot, self._q(pl.exclude, df))])
            return q

        while True:
            q = full(pl.query)
            rerank = (sort == "relevance" and _rerank.worth(pl.concepts) and offset < _rerank.RERANK_N
                      and _rerank.active())
            # the page's window from the top (the rerank window when reranked), counted in the
            # same pass: `_page` starts from these hits instead of running the query again
            window = max(offset + per_page, _rerank.RERANK_N) if rerank else offset + per_page
            res = s.search(q, limit=window + TIE_SLACK, count=True, **order)
            if res.count or not pl.relaxable:
                break
            pl = plan(query, filters, relax=True)  # no item has every word: take items with some
        if rerank:
            rows = self._page(s, cache, q, order, 0, window, res.count, res.hits)
            top = [(score, "", stored) for score, stored in
                   common.reranked([(v, st) for v, _, st in rows], pl, df, s.num_docs, offset, per_page)]
        else:
            top = self._page(s, cache, q, order, offset, per_page, res.count, res.hits)
        hits = [common.make_hit(stored, value if sort == "relevance" else 0.0, pl.marks) for value, _, stored in top]
        if offset == 0 and sort == "relevance" and common.nothing_relevant(pl, common.silence_page(pl, hits), df, s.num_docs):
            return SearchResults(total=0, hits=[], facets={f: [] for f in facets}, took_ms=t.ms(), page=page,
                                 per_page=per_page, query=query or "", relaxed=pl.relaxed, note=common.NOTHING_RELEVANT)
        if facets and res.count:  # nothing asked or nothing found: no aggregation at all
            fc = self._facets(s, cache.facets, (repr(pl.query), repr(pl.filter), tuple(facets)), q, facets)
        else:
            fc = {f: [] for f in facets}
        return common.with_siblings(self, SearchResults(total=res.count, hits=hits, facets=fc, took_ms=t.ms(), page=page,
                             per_page=per_page, query=query or "", relaxed=pl.relaxed), filters, sort, bare_words(pl.ast),
                             pl, df, s.num_docs)

    @staticmethod
    def _page(s, cache: _CommitCache, q: Query, order: dict, offset: int, per_page: int, count: int,
              first: list | None = None) -> list[tuple[float, str, bytes]]:
        """(score or date, id, payload) of one page, ties broken by id. Tantivy breaks
        ties by doc address, which depends on how the items fell into segments (one
        batch per commit, a rebuild, a background merge): the same query on the same
        items would page differently after `reindex`. So when the page's last place is
        tied with the next hit, fetch until the tied group is complete (up to TIE_FETCH
        more), then order by id. `first`: the query's top `offset + per_page + TIE_SLACK`
        hits, already fetched (with the count).

        Only the hits valued at least as high as the page's last place can be on the
        page once ordered, so only those are read from the store. Reading a wider top
        than needed leaves the page unchanged (the hits above the cut, and the whole
        tied group once complete, are in any wider top), so a tie goes straight to
        the widest fetch instead of growing it a query at a time. `ids`: the item id
        at each doc address of this commit, as far as read before (a filter-only query
        ties thousands of hits, and reading each from the store is most of its time), and
        the page's payloads from `cache.payload`."""
        want = offset + per_page
        if want <= 0 or count <= 0:
            return []
        cap = min(count, want + TIE_FETCH)
        if first is None or len(first) < min(want + 1, count):
            first = s.search(q, limit=want + TIE_SLACK, count=False, **order).hits
        top = first[:cap]  # a wider search's top `cap` hits are a `cap` search's hits
        cut = top[min(want, len(top)) - 1][0]
        if len(top) < cap and top[-1][0] == cut:
            # every hit fetched after the page's last place is tied with it: the group may run on
            top = s.search(q, limit=cap, count=False, **order).hits
        rows, ids = [], cache.ids
        for value, addr in top:
            if value < cut:  # hits come best first: none after this one can reach the page
                break
            key = (addr.segment_ord << 32) | addr.doc
            rid = ids.get(key)
            if rid is None:
                rid = _payload_id(cache.payload(s, key, addr))
                if len(ids) >= ID_CACHE:
                    ids.clear()
                ids[key] = rid
            rows.append((value, rid, addr, key))
        rows.sort(key=lambda r: (-r[0], r[1]))
        return [(value, rid, cache.payload(s, key, addr)) for value, rid, addr, key in rows[offset:want]]

    def close(self) -> None:
        pass


class _CommitCache:
    """What searches read from one commit and may reuse until the next: facet counts per
    query (an LRU, FACET_CACHE entries), item ids per doc address (ID_CACHE), stored
    payloads per doc address (PAYLOAD_CACHE_BYTES) and words' document frequencies (ID_CACHE)."""

    __slots__ = ("facets", "ids", "payloads", "payload_bytes", "freqs")

    def __init__(self) -> None:
        self.facets: OrderedDict = OrderedDict()
        self.ids: dict[int, str] = {}
        self.payloads: dict[int, bytes] = {}
        self.payload_bytes = 0
        self.freqs: dict[str, int] = {}

    def doc_freq(self, s):
        """word → how many items of this commit hold it in their text. A search asks for the
        same words several times (expansion, the second look's weights, saying nothing), and
        the next searches for many of them again."""
        freqs = self.freqs

        def df(word: str) -> int:
            n = freqs.get(word)
            if n is None:
                n = s.doc_freq("text", word)
                if len(freqs) >= ID_CACHE:
                    freqs.clear()
                freqs[word] = n
            return n
        return df

    def payload(self, s, key: int, addr) -> bytes:
        """The stored payload at doc address `addr` (`key` packs it) of this commit."""
        stored = self.payloads.get(key)
        if stored is None:
            stored = s.doc(addr).get_first("payload")
            if self.payload_bytes + len(stored) > PAYLOAD_CACHE_BYTES:
                # wholesale, like the ids: searching threads may add meanwhile, and an
                # entry costs only its reading again
                self.payloads.clear()
                self.payload_bytes = 0
            self.payloads[key] = stored
            self.payload_bytes += len(stored)
        return stored


_ID_HEAD = b'{"id":"'


def _payload_id(stored: bytes) -> str:
    """The item id from a stored payload (common.payload: `vars(item)`, id first) without
    decoding the whole item: a tied group at a page's cut may hold thousands of hits."""
    if stored.startswith(_ID_HEAD):
        end = stored.find(b'"', len(_ID_HEAD))
        raw = stored[len(_ID_HEAD):end]
        if end > 0 and b"\\" not in raw:  # an escaped character: let orjson read it
            return raw.decode("utf-8")
    return orjson.loads(stored)["id"]
