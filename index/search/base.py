"""The search interface every engine implements (`SearchIndex`), the unit that is
indexed (`Item`) and what a search returns (`SearchResults`, `Hit`).

Engines differ only in storage and scoring internals; query parsing
(`index.search.query`), analysis (`index.search.analysis`) and snippets
(`index.search.highlight`) are shared so both engines give the same answers.
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Sequence

KINDS = ("document", "section", "obligation", "log")
FACETS = ("issuer", "year", "doc_type", "tags", "risks", "kind")
SORTS = ("relevance", "date")


@dataclass
class Item:
    """One searchable unit: a whole document, one of its sections, one checklist
    obligation, or one field log. `extras` is stored (JSON) and returned in hits."""

    id: str
    kind: str  # document | section | obligation | log
    doc_id: str
    text: str = ""
    title: str = ""
    heading: str = ""
    path: str = ""
    # what a passage inherits from around it (items.context_of): its notice's title, the
    # headings above its own, the notice's opening words; searched as a field of its own
    # at a lower weight (query.CONTEXT_BOOST), never shown in snippets
    context: str = ""
    issuer: str | None = None
    doc_number: str | None = None
    doc_type: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    year: int | None = None
    region: str | None = None
    tags: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.year is None and self.date and self.date[:4].isdigit():
            self.year = int(self.date[:4])

    @property
    def datenum(self) -> int:
        """yyyymmdd as an int (0 when unknown), for ranges and date sort."""
        d = (self.date or "").replace("-", "")
        if len(d) >= 8 and d[:8].isdigit():
            return int(d[:8])
        if self.year:
            return int(self.year) * 10000 + 101
        return 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Hit:
    id: str
    kind: str
    score: float
    doc_id: str
    title: str
    heading: str
    path: str
    doc_number: str | None
    issuer: str | None
    date: str | None
    snippet: str  # HTML-escaped, query words wrapped in <mark>…</mark>
    fields: dict[str, Any] = field(default_factory=dict)  # every stored field of the item

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]]
    took_ms: float
    page: int = 1
    per_page: int = 10
    query: str = ""
    relaxed: bool = False  # nothing had every word: these hits have some of them (say so to the user)
    note: str = ""  # said to the user instead of hits when nothing found is relevant (common.NOTHING_RELEVANT)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["facets"] = {k: [[v, c] for v, c in vs] for k, vs in self.facets.items()}
        return d


def sources(doc_ids: Iterable[str], items: Sequence[Item]) -> list[str]:
    """The documents (or logs) `replace_documents(doc_ids, items)` removes: those named
    and those the new items belong to (their old items go too), each once."""
    return list(dict.fromkeys([*doc_ids, *(it.doc_id for it in items)]))


class SearchIndex(ABC):
    """A full-text index on disk. Writes are atomic (a crash keeps the last commit);
    every search sees the latest commit."""

    engine: str = ""

    @property
    def outdated(self) -> str | None:
        """What to tell the user when the folder holds an index in an older format of
        this engine (rebuilt by `reindex`); None when the index is current."""
        return None

    @property
    def unavailable_code(self) -> str | None:
        """The error code of the searches refused while `outdated` is said; None when current."""
        return None

    @abstractmethod
    def add(self, items: Sequence[Item]) -> int:
        """Insert or replace (by id) these items in one commit; returns how many."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> None: ...

    @abstractmethod
    def delete_document(self, doc_id: str) -> None:
        """Remove a document with its sections and obligations (every item with this doc_id)."""

    @abstractmethod
    def search(
        self,
        query: str = "",
        *,
        filters: dict | None = None,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        facets: Sequence[str] = FACETS,
    ) -> SearchResults: ...

    def replace_documents(self, doc_ids: Iterable[str], items: Sequence[Item]) -> int:
        """Remove every item of these documents (or logs), then add `items`: one commit
        in the engines, so a search sees a document's old items or its new ones. An id
        with no item in `items` is simply removed. Engines override this; the fallback
        commits twice. Returns how many items were added."""
        items = list(items)
        for doc_id in sources(doc_ids, items):
            self.delete_document(doc_id)
        return self.add(items)

    def ids(self, kind: str) -> set[str]:
        """The ids of every item of one kind (document ids for kind document, log ids
        for kind log): what `gongwen check` compares with the store."""
        raise NotImplementedError

    def contains(self, item_id: str) -> bool:
        """Whether an item with this id is in the latest commit."""
        raise NotImplementedError

    def count_kind(self, kind: str) -> int:
        return self.search("", filters={"kind": kind}, per_page=1, facets=()).total

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def reindex(self, items: Iterable[Item], *, batch: int = 5000, progress=None, refused=None) -> int:
        """Replace the whole index with `items`; `progress(n)` is called every
        `batch` items. Engines override this with one atomic commit; this
        fallback commits batch by batch. Returns the count. `refused(item, error)`:
        when given, a source (document or log) one of whose items the engine cannot
        build is left out whole and reported there instead of failing the rebuild
        (the engines; this fallback builds nothing of its own)."""
        self.clear()
        n = 0
        buf: list[Item] = []
        for it in items:
            buf.append(it)
            if len(buf) >= batch:
                n += self.add(buf)
                buf = []
                if progress:
                    progress(n)
        if buf:
            n += self.add(buf)
            if progress:
                progress(n)
        return n

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Timer:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def ms(self) -> float:
        return round((time.perf_counter() - self.t0) * 1000, 2)
