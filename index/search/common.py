"""What both engines share besides the query plan: the indexed field values of an
item, the stored payload, hits built from it, facet ordering, write-lock errors, and
the life of an index folder (`FolderIndex`: opening, an older format, the write lock)."""
from __future__ import annotations

import gc
import glob
import json
import os
import re
import shutil
import threading
import time
from abc import abstractmethod
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import orjson

from ingest.errors import GongwenError
from ingest.savedir import swap_in, sweep

from .analysis import normalize
from .base import FACETS, Hit, Item, SearchIndex
from .highlight import snippet
from .questions import markers

SCHEMA_VERSION = 2  # 2: folded duties (one hit per passage); an engine may keep its own (tantivy_engine, whoosh_engine)
MARKER = "gongwen-index.json"
FACET_SIZE = 50  # values per facet, most frequent first (a page shows 8; more is a report, not a filter)
LOCK_WAIT_S = 30.0  # how long a write waits for another process's write lock before IndexBusy


class IndexBusy(GongwenError):
    """Another process holds the index's write lock for too long."""

    code = "index_busy"
    http_status = 503


class IndexMismatch(GongwenError):
    """The folder holds an index of another engine or an older schema."""

    code = "index_mismatch"
    http_status = 500


class IndexOutdated(IndexMismatch):
    """The folder holds this engine's index in an older format (`found`): `gongwen reindex`
    rebuilds it from the store. Until then search is unavailable (503), which is no fault of
    the request and no crash of the server."""

    http_status = 503

    def __init__(self, message: str, found: Any = None) -> None:
        super().__init__(message)
        self.found = found


class IndexUnavailable(IndexOutdated):
    """No index in the folder, and none can be made there (the data folder on read-only
    media): its own code, for there is nothing of another engine or format to mismatch."""

    code = "index_unavailable"


class IndexDamaged(IndexOutdated):
    """The folder is marked as this engine's current index but cannot be opened (files
    missing, cut short or overwritten). Handled as an outdated index: every use says so in
    one line, and `gongwen reindex` rebuilds it beside and puts it in its place (it could
    not open the damaged one to rebuild it in place)."""

    def __init__(self, path: Path, said: str, reason: str | None = None) -> None:
        """`said`: the engine's own words (kept as `detail`); `reason`: in Chinese, else
        told from them."""
        if reason is None:
            reason = ("索引文件缺失" if "DoesNotExist" in said or "No such file" in said
                      else "索引文件内容已损坏" if re.search(r"corrupt|mismatch|deserializ", said, re.I) else "无法打开")
        super().__init__(f"检索索引 {path} 已损坏（{reason}），{REINDEX_DAMAGED}；数据库中的文件和日志不受影响",
                         "damaged")
        self._detail = said.strip().splitlines()[0][:300] if said.strip() else None


REINDEX = "请运行 gongwen reindex 重建"
REINDEX_DAMAGED = "请运行 gongwen reindex 从数据库重建"
# an index that is not there, in a data folder where it cannot be made
MISSING = "检索索引 {path} 不存在，{advice}；在此之前不能检索，数据库中的文件和日志不受影响"


def unwritable(folder: Path) -> str | None:
    """Why `folder` takes no writes (a read-only mount, no write permission), else None."""
    try:
        return ("是只读挂载的" if os.statvfs(folder).f_flag & os.ST_RDONLY
                else None if os.access(folder, os.W_OK) else "没有写入权限")
    except OSError:
        return None


def reindex_advice(folder: Path, default: str = REINDEX, verb: str = "重建") -> str:
    """What to do about an index to be rebuilt: `gongwen reindex`, or where the data folder
    takes no writes (a backup on read-only media) a copy that does, for reindex would fail."""
    why = unwritable(folder)
    return default if why is None else f"而数据文件夹 {folder} {why}，无法在原处{verb}：请把它复制到可写的位置后运行 gongwen reindex"


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections():
    """Collect garbage less often while items are analysed: segmentation makes
    millions of short-lived tuples and lists but no cycles, and the default
    threshold (700 allocations) spent about a tenth of indexing time in the
    collector. Re-entrant and thread-safe; the old thresholds come back after."""
    global _gc_users, _gc_saved
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(max(_gc_saved[0], 200_000), *_gc_saved[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)


def built_whole(items: Iterable, build: Callable, refused: Callable[[Item, Exception], None] | None = None) -> Iterator:
    """`build(x)` of every x in `items` (an Item, or a tuple that starts with one), yielded a
    source at a time (a document's items, or a log's, come together: they share a doc_id).
    With `refused`, a source one of whose items cannot be built is left out whole, so the
    index never holds half a document, and `refused(item, error)` is told once; without
    it, the error propagates (and the caller's commit is abandoned)."""
    group: list = []
    source, bad = None, False
    for x in items:
        it = x[0] if isinstance(x, tuple) else x
        if it.doc_id != source:
            yield from group
            group, source, bad = [], it.doc_id, False
        if bad:
            continue
        try:
            group.append(build(x))
        except Exception as e:  # noqa: BLE001 - one item's fault: its source is set aside, the rest goes on
            if refused is None:
                raise
            refused(it, e)
            group, bad = [], True
    yield from group


def clean_kw(v: Any) -> str:
    return str(v).strip().replace(",", "，")


def text_fields(it: Item) -> dict[str, str]:
    """Analysed text fields: title, heading, body text, meta (issuer, 文号, region, section
    path) and context (what a passage inherits: Item.context)."""
    # + the kinds of quantity the passage states (questions.markers; a clause's heading is
    # often the whole clause, 2、每场比赛采用5局3胜制) and those the checklist extracted
    # from it: a question about an amount, a count, a time or a frequency favours them
    duties = it.extras.get("duties") or ([it.extras] if it.kind == "obligation" else [])
    kinds = markers(f"{it.heading or ''}\n{it.text or ''}", duties)
    meta = " ".join(x for x in (it.issuer, it.doc_number, it.region, it.path, *kinds) if x)
    return {
        "title": it.title or "",
        "heading": it.heading or "",
        "text": it.text or "",
        "meta": meta,
        "issuer_t": it.issuer or "",
        "doc_number_t": it.doc_number or "",
        "context": it.context or "",
    }


def keyword_fields(it: Item) -> dict[str, list[str]]:
    one = lambda v: [clean_kw(v)] if v not in (None, "") else []  # noqa: E731
    return {
        "id": [it.id],
        "doc_id": one(it.doc_id),
        "kind": one(it.kind),
        # a duty folded into its clause (items.fold_duty): searches count the passage once
        "folded": ["1"] if it.kind == "obligation" and it.extras.get("passage") else [],
        "issuer": one(it.issuer),
        "doc_type": one(it.doc_type),
        "region": one(it.region),
        "doc_number": one(it.doc_number),
        "tags": [clean_kw(t) for t in it.tags if t],
        "risks": [clean_kw(t) for t in it.risks if t],
    }


def payload(it: Item) -> str:
    # The item's fields as JSON, as it.to_dict() would give them, without asdict's
    # deep copy (a tenth of the indexing time); orjson also encodes a dataclass
    # inside extras, and is several times faster than json here and in make_hit.
    return orjson.dumps(vars(it), option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def make_hit(stored: str | bytes, score: float, marks: list[str]) -> Hit:
    d = orjson.loads(stored)
    # Cut the snippet from the first of text/heading/title holding a query word
    # (a section may be all heading: "（二）企业拖欠职工工资…的").
    cands = [d.get("text") or "", d.get("heading") or "", d.get("title") or ""]
    body = next((c for c in cands if c and any(m in normalize(c) for m in marks)), None)
    if body is None:
        body = next((c for c in cands if c), "")
    return Hit(
        id=d["id"], kind=d["kind"], score=round(float(score), 4), doc_id=d.get("doc_id") or "",
        title=d.get("title") or "", heading=d.get("heading") or "", path=d.get("path") or "",
        doc_number=d.get("doc_number"), issuer=d.get("issuer"), date=d.get("date"),
        snippet=snippet(body, marks), fields=d,
    )


# Stored payloads decoded for the second look, by payload (so a changed item is decoded
# afresh), up to this many; read only (the page's hits are decoded fresh by make_hit). A
# window is 100 hits or more, most of them in the next search's window too. 0: off.
DECODED_CACHE = 4096
_decoded_cache: dict = {}


def _decoded(stored: str | bytes) -> dict:
    d = _decoded_cache.get(stored)
    if d is None:
        d = orjson.loads(stored)
        if DECODED_CACHE > 0:
            if len(_decoded_cache) >= DECODED_CACHE:
                # wholesale, like the engine's id cache: searching threads may add meanwhile
                _decoded_cache.clear()
            _decoded_cache[stored] = d
    return d


def reranked(rows: list, pl, doc_freq, n_items: int, offset: int, per_page: int) -> list:
    """One page of (score, stored payload) `rows`, best first from the top of the result
    (rerank.RERANK_N of them or more), after rerank.rerank; ties by id."""
    from .rerank import rerank

    decoded = [(score, d["id"], d) for score, d in ((score, _decoded(stored)) for score, stored in rows)]
    keep = {d["id"]: stored for (_, stored), (_, _, d) in zip(rows, decoded)}
    decoded.sort(key=lambda r: (-r[0], r[1]))
    hand: list = []
    out = rerank(decoded, pl.concepts, doc_freq, n_items, getattr(pl, "slots", ()), getattr(pl, "question", False),
                 relaxed=getattr(pl, "relaxed", False), hand=hand, kinds=getattr(pl, "kinds", ()))
    if hand:  # the learned ranker ordered the page: saying nothing is still read from the hand formula's
        pl.silence_docs = [d for _, _, d in hand[offset:offset + per_page]]
    return [(score, keep[rid]) for score, rid, _ in out][offset:offset + per_page]


# A first page that every word typed finds only a few passages for is filled with the other
# sections of the notices found (their order in the notice), below every passage found: a
# notice about the thing asked (法人资格变更, 年度工作总结, 联欢会 经费预算) prints the words in
# one or two passages, and its other sections (二、变更 › 3.…) answer too. Measured on the
# older judged sets (corpora/relevance/README.md, eighth round). 0: not filled.
SIBLINGS = 1
# The filling sections are ordered by the idf-weighted share of the query's words each holds
# (rerank's cover), then by their place in the notice: when only a notice's document item holds
# every word typed (女工委 跑步 名单 盖章: 跑步 is in its opening lines only), the section
# holding the rest (四、报名… 女工委…名单盖章后报…) comes first rather than where it stands.
# False: the notice's order only (as before the twelfth round).
SIBLINGS_BY_COVER = True


_PLACE = re.compile(r":p(\d+)s(\d+)$")


def _place(item_id: str) -> tuple[int, ...]:
    """Where a section stands in its notice (items.py names it <doc>:p<part>s<n>)."""
    m = _PLACE.search(item_id)
    return (int(m.group(1)), int(m.group(2))) if m else (1 << 30,)


def with_siblings(engine, res, filters: dict | None, sort: str, words_only: bool,
                  pl: Any = None, doc_freq: Any = None, n_items: int = 0) -> Any:
    """`res` (a first page holding every hit of a strict query of bare words only: no
    phrase, field, OR or exclusion, whose matches are a contract), filled up to
    its size with the other sections of the hits' notices, each scored 0 and counted in
    the total (the facets stay those of the passages found). With the plan and the
    engine's document frequencies, the filling sections holding more of the query come
    first (SIBLINGS_BY_COVER)."""
    if (not SIBLINGS or sort != "relevance" or res.page != 1 or res.relaxed or res.note or not words_only
            or not 0 < res.total < res.per_page or len(res.hits) != res.total):
        return res
    want = dict(filters or {})
    kinds = want.get("kind")
    if kinds and "section" not in ([kinds] if isinstance(kinds, str) else list(kinds)):
        return res
    docs = list(dict.fromkeys(h.doc_id for h in res.hits if h.kind in ("section", "document")))
    if not docs:
        return res
    want.update(kind="section", doc_id=docs)
    seen = {h.id for h in res.hits}
    more = engine.search("", filters=want, per_page=min(1000, res.per_page + len(seen)), facets=())
    order = {d: i for i, d in enumerate(docs)}
    held = None
    if SIBLINGS_BY_COVER and pl is not None and doc_freq:
        from . import rerank

        held = rerank.passage_cover(list(getattr(pl, "concepts", None) or ()), doc_freq, n_items)
    extra = sorted((h for h in more.hits if h.id not in seen),
                   key=lambda h: (-(held(h.fields) if held else 0.0), order.get(h.doc_id, len(order)), _place(h.id)))
    extra = [replace(h, score=0.0) for h in extra[:res.per_page - len(res.hits)]]
    if not extra:
        return res
    return replace(res, hits=res.hits + extra, total=res.total + len(extra), facets=_counted(res.facets, extra))


def _counted(facets: dict, hits: list) -> dict:
    """`facets` with `hits` counted too (each hit's stored fields, as the index keys them)."""
    out = {}
    for f, pairs in facets.items():
        counts = dict(pairs)
        for h in hits:
            v = h.fields.get(f)
            for k in (v if isinstance(v, list) else [v]):
                k = (int(k) if f == "year" else clean_kw(k)) if k not in (None, "") else None
                if k is not None:
                    counts[k] = counts.get(k, 0) + 1
        out[f] = order_facet(counts)
    return out


NOTHING_RELEVANT = "没有找到与查询相关的内容：找到的段落只含查询中的个别常见词语，与所问关系不大。可换个说法或换个词再试。"


def silence_page(pl, hits: list) -> list[dict]:
    """The stored fields `nothing_relevant` reads: the first page's hits, or, when the learned
    ranker ordered the page (reranked), the page the hand formula would show — whether to say
    nothing is decided as before the ranker."""
    return getattr(pl, "silence_docs", None) or [h.fields for h in hits]


def nothing_relevant(pl, docs: list[dict], doc_freq, n_items: int) -> bool:
    """True when `pl` may match items without every word typed (Plan.any_word) and the
    best of `docs` (the stored fields of the first page's hits) covers less than
    rerank.SILENT_COVER of the query's concepts, and none holds a rare one of them
    (rerank.silence_cover): the result would be noise, so search answers nothing."""
    from . import rerank

    if not pl.any_word or rerank.SILENT_COVER <= 0 or not pl.concepts or not docs:
        return False
    return rerank.silence_cover(docs, pl.concepts, doc_freq, n_items, pl.question) < rerank.SILENT_COVER


def order_facet(counts: dict[Any, int]) -> list[tuple[Any, int]]:
    return sorted(((k, c) for k, c in counts.items() if k not in (None, "") and c > 0),
                  key=lambda kc: (-kc[1], str(kc[0])))[:FACET_SIZE]


def check_facets(facets) -> list[str]:
    from .query import QuerySyntaxError

    out = []
    for f in facets or ():
        if f not in FACETS:
            raise QuerySyntaxError(f"不能按“{f}”统计；可用：{'、'.join(FACETS)}")
        out.append(f)
    return out


def check_paging(page: int, per_page: int, sort: str) -> None:
    from .query import QuerySyntaxError

    if int(page) < 1 or int(per_page) < 1 or int(per_page) > 1000:
        raise QuerySyntaxError("页码须从 1 开始，每页条数须在 1 到 1000 之间")
    if sort not in ("relevance", "date"):
        raise QuerySyntaxError(f"排序方式“{sort}”不存在；可用：relevance（相关度）、date（日期）")


def read_marker(path: Path) -> dict | None:
    m = path / MARKER
    if m.exists():
        try:
            mk = json.loads(m.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as e:  # overwritten or cut short
            raise IndexDamaged(path, f"{type(e).__name__}: {e}", f"标记文件 {MARKER} 无法读取") from None
        if not isinstance(mk, dict):
            raise IndexDamaged(path, repr(mk)[:100], f"标记文件 {MARKER} 内容不对")
        return mk
    return None


def _owner_gone(folder: Path, from_end: int) -> bool:
    """Whether the process whose id the folder's name holds (the `from_end`th field from the
    end, fields split by "-") is gone: its folder is a leftover, not work under way."""
    return not _alive(int(folder.name.rsplit("-", from_end)[-from_end]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# "(os error 28)" in tantivy's messages, "Os { code: 30, kind: ReadOnlyFilesystem … }" where
# it failed to take its lock file (a read-only mount, a folder this user may not write)
_OS_ERROR = re.compile(r"\(os error (\d+)\)|\bOs \{ code: (\d+)")


def as_os_error(e: BaseException, path: Path) -> OSError | None:
    """The OSError behind `e`, named by the index folder: tantivy reports a failed file
    operation as a ValueError ("An IO error occurred: 'No space left on device (os error
    28) at path …/.tmpXYZ'"), which would reach a person in English, or be taken for a
    held lock or another engine's index. None when `e` is no file error."""
    if isinstance(e, OSError):
        return e
    m = _OS_ERROR.search(str(e))
    if m is None:
        return None
    n = int(m.group(1) or m.group(2))
    return OSError(n, os.strerror(n), str(path))


def create_dir(path: Path, engine: str, make, version: int = SCHEMA_VERSION) -> None:
    """Make a new index so that `path` is either absent/empty or a complete, marked index:
    `make(folder)` writes the engine's files into a sibling folder, the marker follows, and
    one rename puts it in place. A process killed half-way leaves only a hidden sibling
    (removed by the next creation), never a folder that is neither empty nor an index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep(path.parent, f".{glob.escape(path.name)}.creating-*", lambda p: _owner_gone(p, 2))
    tmp = path.parent / f".{path.name}.creating-{os.getpid()}-{threading.get_ident()}"
    tmp.mkdir()
    try:
        make(tmp)
        write_marker(tmp, engine, version)
        if path.exists() and not any(path.iterdir()):
            path.rmdir()
        os.rename(tmp, path)
    except OSError:
        # another process put its index in place first: use that one
        if read_marker(path) is None:
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


OUTDATED = "检索索引 {path} 是旧版本建立的（格式 {found}，当前 {want}），{advice}；数据库中的文件和日志不受影响"


def rebuild_beside(path: Path, build: Callable[[Path], int]) -> int:
    """`reindex` over an index of an older format: `build(folder)` writes the new index
    (from the store) into a folder beside `path`, which takes the old one's place once
    complete, in one step (`ingest.savedir.swap_in`; until then the old folder stays as
    it was, and a reader never finds the folder missing; a rebuild that dies leaves a
    hidden folder that the next one removes). Returns what `build` returned."""
    parent, name = path.parent, path.name
    for kind in ("rebuild", "outdated"):  # (.outdated-: the two renames of before)
        sweep(parent, f".{glob.escape(name)}.{kind}-*", lambda p: _owner_gone(p, 1))
    new = parent / f".{name}.rebuild-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    n = build(new)
    swap_in(new, path, last=MARKER)
    return n


def write_marker(path: Path, engine: str, version: int = SCHEMA_VERSION) -> None:
    m = path / MARKER
    tmp = m.with_suffix(".tmp")
    tmp.write_text(json.dumps({"engine": engine, "schema": version}), encoding="utf-8")
    os.replace(tmp, m)


def prepare_dir(path: Path, engine: str, version: int = SCHEMA_VERSION) -> bool:
    """Check the folder's marker; True if there is no index yet (absent or empty folder),
    which the engine then makes with `create_dir`. IndexOutdated: the engine's index in
    another format."""
    if not path.exists():
        return True
    mk = read_marker(path)
    if mk is None:
        if any(path.iterdir()):
            raise IndexMismatch(f"索引目录 {path} 不是空目录，也不是 gongwen 索引")
        return True
    if mk.get("engine") != engine:
        raise IndexMismatch(f"索引目录 {path} 由 {mk.get('engine')} 引擎创建，不能用 {engine} 打开")
    if mk.get("schema") != version:
        raise IndexOutdated(f"索引目录 {path} 的结构版本已过期，请运行 gongwen reindex 重建", mk.get("schema"))
    return False


class FolderIndex(SearchIndex):
    """An engine's index in a marked folder, opened the same way by every engine: made
    when absent (create_dir), opened all the same when it holds an older format (said by
    `outdated`, rebuilt by `reindex` beside it), written under a write lock waited for.
    An engine supplies its format (`version`), how to make and open its files (`_create`,
    `_open_index`, which sets `self.index`) and a writer (`_new_writer`)."""

    # what `_new_writer` raises while another process holds the write lock
    lock_errors: tuple[type[Exception], ...] = ()

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.index = None
        self._outdated: str | None = None  # what to tell the user when the folder holds an older format
        self._missing = False  # ... or holds no index and none can be made (read-only media)
        self._olock = threading.Lock()
        self._wlock = threading.Lock()
        self._open()

    @property
    @abstractmethod
    def version(self) -> int:
        """The format this engine writes (the folder's marker must name it)."""

    @abstractmethod
    def _create(self, folder: Path) -> None:
        """Write a new, empty index into `folder`."""

    @abstractmethod
    def _open_index(self) -> None:
        """Open the folder's current-format index as `self.index`, dropping whatever
        was read from the one before (searchers, caches)."""

    @abstractmethod
    def _new_writer(self):
        """A writer of `self.index`; one of `lock_errors` while another holds the lock."""

    @abstractmethod
    def _write(self, fn) -> None:
        """`fn(writer)` in one commit, under the write lock (`_writer`); nothing of it if `fn` fails."""

    @abstractmethod
    def _delete_term(self, writer, field: str, value: str) -> None:
        """Have `writer` remove every item whose keyword `field` is `value`."""

    def _lock_held(self, error: Exception) -> bool:
        """Whether `error` (one of `lock_errors`) means the lock is held, worth waiting for."""
        return True

    def _open(self) -> None:
        self._missing = False
        try:
            fresh = prepare_dir(self.path, self.engine, self.version)
        except IndexDamaged as e:
            self._outdated = self._damaged(e)  # rebuilt beside by `reindex`, as an older format is
            return
        except IndexOutdated as e:
            # Opened all the same: `reindex` rebuilds it from the store (`gongwen reindex`);
            # anything else says so in one line.
            self._outdated = OUTDATED.format(path=self.path, found=e.found, want=self.version,
                                             advice=reindex_advice(self.path.parent))
            return
        try:
            if fresh:
                try:
                    create_dir(self.path, self.engine, self._create, self.version)
                except OSError:
                    # no index in a folder that takes no writes (a backup on read-only media):
                    # the store is read all the same, and every search says why it cannot be
                    if unwritable(self.path.parent) is None:
                        raise
                    self._outdated = MISSING.format(path=self.path, advice=reindex_advice(self.path.parent, verb="建立"))
                    self._missing = True
                    return
            self._open_index()
        except IndexDamaged as e:
            self._outdated = self._damaged(e)
            return
        except ValueError as e:  # a disk that is full or read-only, in the engine's words
            if (os_error := as_os_error(e, self.path)) is not None:
                raise os_error from e
            raise
        self._outdated = None

    def _damaged(self, e: IndexDamaged) -> str:
        return e.message.replace(REINDEX_DAMAGED, reindex_advice(self.path.parent, REINDEX_DAMAGED))

    @property
    def outdated(self) -> str | None:
        """Looked at again each time while outdated: another process's `gongwen reindex`
        may have rebuilt it since."""
        if self._outdated is not None:
            with self._olock:
                if self._outdated is not None:
                    self._open()
        return self._outdated

    @property
    def unavailable_code(self) -> str | None:
        """The error code searches answer with while `outdated` (index_unavailable: no index
        and none can be made; index_mismatch: an older format or a damaged one)."""
        if self.outdated is None:
            return None
        return (IndexUnavailable if self._missing else IndexOutdated).code

    def _ready(self):
        """The engine's index; IndexOutdated while the folder holds an older format,
        IndexUnavailable while there is none."""
        outdated = self.outdated
        if outdated is not None:
            raise (IndexUnavailable if self._missing else IndexOutdated)(outdated)
        return self.index

    def _rebuild_outdated(self, items: Iterable[Item], **kw) -> int:
        """`reindex` over an index of an older format: built beside it by a fresh index of
        this engine, then swapped in (rebuild_beside)."""
        n = rebuild_beside(self.path, lambda new: type(self)(new).reindex(items, **kw))
        with self._olock:
            self._open()
        return n

    def _writer(self):
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                return self._new_writer()
            except self.lock_errors as e:
                if (os_error := as_os_error(e, self.path)) is not None:
                    raise os_error from e  # the disk, not another writer
                if not self._lock_held(e) or time.monotonic() > deadline:
                    raise IndexBusy(f"索引 {self.path} 正被其他进程写入，请稍后再试") from e
                time.sleep(0.2)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self._write(lambda w: [self._delete_term(w, "id", i) for i in ids])

    def delete_document(self, doc_id: str) -> None:
        self._write(lambda w: self._delete_term(w, "doc_id", doc_id))
