"""The whoosh engine (pure Python, BM25F). Text goes through `JiebaTokenizer`,
which wraps `analysis.analyze` so positions are word positions (sub-words share
their word's position) and offsets are characters: jieba's stock whoosh
ChineseAnalyzer stores character offsets as positions, which breaks phrases.
A searcher is refreshed per query, so searches see the latest commit while a
writer works; whoosh writes new segments and then swaps its TOC atomically."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Sequence

from whoosh import index as windex
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.writing import CLEAR

from . import common
from . import rerank as _rerank
from .analysis import analyze
from .base import FACETS, Item, SearchResults, Timer, sources
from .query import PAbbrev, PAll, PBool, PCompound, PKeyword, PNone, PPhrase, PRange, PTerm, bare_words, field_boosts, plan

TEXT_NAMES = ("title", "heading", "text", "meta", "issuer_t", "doc_number_t", "context")
# 5: duties outside every section folded into their document item (one hit per passage, by span)
# 4: a duration marker in meta (questions.markers: 会期一天, 3个月; asked by 几天, 多久)
# 3: a context field (Item.context: what a passage inherits from its notice and headings)
# 2: folded duties (one hit per passage)
SCHEMA_VERSION = 5


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over `analysis.analyze` (the same tokens tantivy indexes)."""

    def __eq__(self, other):
        return other.__class__ is self.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for tok in analyze(value):
            t.text = tok.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = tok.text
            if positions:
                t.pos = start_pos + tok.pos
            if chars:
                t.startchar, t.endchar = start_char + tok.start, start_char + tok.end
            yield t


def _schema() -> Schema:
    text = lambda: TEXT(analyzer=JiebaTokenizer(), phrase=True, stored=False)  # noqa: E731
    return Schema(
        **{f: text() for f in TEXT_NAMES},
        id=ID(unique=True),
        doc_id=ID,
        kind=ID(sortable=True),
        issuer=ID(sortable=True),
        doc_type=ID(sortable=True),
        region=ID,
        doc_number=ID,
        folded=ID,
        tags=KEYWORD(commas=True, lowercase=False),
        risks=KEYWORD(commas=True, lowercase=False),
        # signed: whoosh's unsigned 32-bit ranges return wrong sets for some bounds
        year=NUMERIC(int, bits=32, sortable=True, signed=True),
        datenum=NUMERIC(int, bits=32, sortable=True, signed=True),
        payload=STORED,
    )


class WhooshIndex(common.FolderIndex):
    engine = "whoosh"
    lock_errors = (LockError,)

    def __init__(self, path: str | Path):
        self._searcher = None
        self._slock = threading.Lock()
        super().__init__(path)

    @property
    def version(self) -> int:
        return SCHEMA_VERSION  # read when used: a test writes an older format by setting it

    def _create(self, folder: Path) -> None:
        windex.create_in(str(folder), _schema())

    def _open_index(self) -> None:
        try:
            self.index = windex.open_dir(str(self.path))
        except OSError:
            raise
        except Exception as e:  # noqa: BLE001 - the marker says current format: its files are damaged
            raise common.IndexDamaged(self.path, f"{type(e).__name__}: {e}") from None
        with self._slock:
            self._searcher = None

    # ----------------------------------------------------------- writing
    def _new_writer(self):
        return self._ready().writer(limitmb=256)

    @staticmethod
    def _delete_term(writer, field: str, value: str) -> None:
        writer.delete_by_term(field, value)

    def _fields(self, it: Item) -> dict:
        d: dict = {k: v for k, v in common.text_fields(it).items() if v}
        for name, values in common.keyword_fields(it).items():
            if values:
                d[name] = ",".join(values) if name in ("tags", "risks") else values[0]
        if it.year:
            d["year"] = int(it.year)
        d["datenum"] = it.datenum
        d["payload"] = common.payload(it)
        return d

    def _write(self, fn, **commit) -> None:
        with self._wlock:
            w = self._writer()
            try:
                fn(w)
            except BaseException:
                w.cancel()
                raise
            w.commit(**commit)

    def add(self, items: Sequence[Item]) -> int:
        items = list(items)
        if not items:
            return 0
        empty = self._ready().doc_count_all() == 0  # plain add is much faster than update

        def run(w):
            for it in items:
                (w.add_document if empty else w.update_document)(**self._fields(it))

        self._write(run)
        return len(items)

    def reindex(self, items: Iterable[Item], *, batch: int = 5000, progress=None, refused=None) -> int:
        """Replace everything with `items` in ONE commit (old segments dropped at
        commit): until then searches see the old index; a failure keeps it.
        `refused(item, error)`: see `common.built_whole`. An index of an older format
        is rebuilt beside it and put in its place once complete."""
        if self.outdated is not None:
            return self._rebuild_outdated(items, batch=batch, progress=progress, refused=refused)
        n = 0

        def run(w):
            nonlocal n
            for fields in common.built_whole(items, self._fields, refused):
                w.add_document(**fields)
                n += 1
                if progress and n % batch == 0:
                    progress(n)

        self._write(run, mergetype=CLEAR)
        if progress:
            progress(n)
        return n

    def replace_documents(self, doc_ids: Iterable[str], items: Sequence[Item]) -> int:
        items = list(items)
        doc_ids = sources(doc_ids, items)
        if not doc_ids:
            return 0
        empty = self._ready().doc_count_all() == 0

        def run(w):
            if not empty:
                for doc_id in doc_ids:
                    self._delete_term(w, "doc_id", doc_id)
            for it in items:
                w.add_document(**self._fields(it))

        self._write(run)
        return len(items)

    def clear(self) -> None:
        self._write(lambda w: None, mergetype=CLEAR)

    # ----------------------------------------------------------- reading
    def _get_searcher(self):
        self._ready()
        with self._slock:
            if self._searcher is None:
                self._searcher = self.index.searcher()
            elif not self._searcher.up_to_date():
                # Searcher.refresh() fails on an empty reader in whoosh-reloaded: reopen
                # instead. The old searcher is not closed here, as another thread may be
                # reading from it; it closes when the last reference goes.
                self._searcher = self.index.searcher()
            return self._searcher

    def count(self) -> int:
        return self._get_searcher().doc_count()

    def ids(self, kind: str) -> set[str]:
        s = self._get_searcher()
        live = set(s.docs_for_query(wq.Term("kind", kind)))  # deleted items are not matched
        if not live:
            return set()
        out: set[str] = set()
        reader = s.reader()
        for term in reader.lexicon("id"):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if any(n in live for n in s.docs_for_query(wq.Term("id", text))):
                out.add(text)
        return out

    def contains(self, item_id: str) -> bool:
        return bool(list(self._get_searcher().docs_for_query(wq.Term("id", item_id))))

    def count_kind(self, kind: str) -> int:
        return sum(1 for _ in self._get_searcher().docs_for_query(wq.Term("kind", kind)))

    def _q(self, p, df=None):
        """`df(word)`: how many items hold `word` in their text (for PCompound)."""
        if isinstance(p, (PCompound, PAbbrev)):
            return self._q(p.expanded(df), df)
        if isinstance(p, PAll):
            return wq.Every()
        if isinstance(p, PNone):
            return wq.NullQuery
        if isinstance(p, PTerm):
            return wq.Or([wq.Term(f, p.word, boost=b * p.boost) for f, b in field_boosts().items()])
        if isinstance(p, PPhrase):
            fields = {p.field: 1.0} if p.field else field_boosts()
            if len(p.words) == 1:
                return wq.Or([wq.Term(f, p.words[0], boost=b * p.boost) for f, b in fields.items()])
            return wq.Or([wq.Phrase(f, list(p.words), slop=1 + p.slop, boost=b * p.boost) for f, b in fields.items()])  # whoosh: 1 = adjacent
        if isinstance(p, PKeyword):
            return wq.Term(p.field, p.value)
        if isinstance(p, PRange):
            return wq.NumericRange(p.field, p.lo, p.hi)
        if isinstance(p, PBool):
            if p.must:
                pos = wq.And([self._q(c, df) for c in p.must])
                if p.should:
                    pos = wq.AndMaybe(pos, wq.Or([self._q(c, df) for c in p.should]))
            else:
                pos = wq.Or([self._q(c, df) for c in p.should])
            if p.must_not:
                # Not AndNot: whoosh's AndNotMatcher lets some excluded documents
                # through (seen with phrase positives); And + Not is exact.
                pos = wq.And([pos, wq.Not(wq.Or([self._q(c, df) for c in p.must_not]))])
            return pos if p.scored else wq.ConstantScoreQuery(pos, 0.0)
        raise TypeError(p)

    def search(self, query: str = "", *, filters: dict | None = None, page: int = 1, per_page: int = 10,
               sort: str = "relevance", facets: Sequence[str] = FACETS) -> SearchResults:
        t = Timer()
        common.check_paging(page, per_page, sort)
        facets = common.check_facets(facets)
        pl = plan(query, filters)
        s = self._get_searcher()
        df = lambda w: s.doc_frequency("text", w)  # noqa: E731
        fq = self._q(pl.filter, df) if pl.filter is not None else None
        grouped = {f: sorting.FieldFacet(f, allow_overlap=f in ("tags", "risks"), maptype=sorting.Count)
                   for f in facets}
        rerank = sort == "relevance" and (int(page) - 1) * int(per_page) < _rerank.RERANK_N and _rerank.active()
        kw = dict(limit=max(int(page) * int(per_page), _rerank.RERANK_N if rerank else 0), filter=fq, terms=False)
        if grouped:
            kw["groupedby"] = grouped
        if sort == "date":
            kw.update(sortedby="datenum", reverse=True)
        if pl.exclude is not None:
            kw["mask"] = self._q(pl.exclude, df)
        while True:
            res = s.search(self._q(pl.query, df), **kw)
            if len(res) or not pl.relaxable:
                break
            pl = plan(query, filters, relax=True)  # no item has every word: take items with some
        start = (int(page) - 1) * int(per_page)
        if rerank and _rerank.worth(pl.concepts):
            rows = [(h.score or 0.0, h["payload"]) for h in res[:kw["limit"]]]
            top = common.reranked(rows, pl, df, s.doc_count(), start, int(per_page))
            hits = [common.make_hit(stored, score, pl.marks) for score, stored in top]
        else:
            hits = [common.make_hit(h["payload"], h.score if sort == "relevance" and h.score is not None else 0.0,
                                    pl.marks) for h in res[start : start + int(per_page)]]
        if start == 0 and sort == "relevance" and common.nothing_relevant(pl, common.silence_page(pl, hits), df, s.doc_count()):
            return SearchResults(total=0, hits=[], facets={f: [] for f in facets}, took_ms=t.ms(), page=page,
                                 per_page=per_page, query=query or "", relaxed=pl.relaxed, note=common.NOTHING_RELEVANT)
        fc = {}
        for f in facets:
            groups = res.groups(f)
            fc[f] = common.order_facet({(int(k) if f == "year" and k is not None else k): v
                                        for k, v in groups.items()})
        return common.with_siblings(self, SearchResults(total=len(res), hits=hits, facets=fc, took_ms=t.ms(), page=page,
                             per_page=per_page, query=query or "", relaxed=pl.relaxed), filters, sort, bare_words(pl.ast),
                             pl, df, s.doc_count())

    def close(self) -> None:
        with self._slock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
