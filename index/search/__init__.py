"""Full-text search over 公文 items (documents, sections, checklist obligations,
field logs) with two embedded engines behind one interface and one query language.

    from index.search import open_index, items_from_document
    ix = open_index(path)                 # engine: argument, else $GONGWEN_ENGINE, else tantivy
    ix.add(items_from_document(doc, checklist))
    ix.search('蹲点 "工作制度" year:2023', page=1, per_page=10, sort="relevance")
"""
from __future__ import annotations

from pathlib import Path

from ingest.settings import DEFAULT_ENGINE, Settings  # DEFAULT_ENGINE: faster at equal relevance, see bench/search.py

from .base import FACETS, KINDS, Hit, Item, SearchIndex, SearchResults
from .common import IndexBusy, IndexMismatch
from .items import item_from_log, items_from_document
from .query import QuerySyntaxError, parse, plan

ENGINES = ("tantivy", "whoosh")


def engine_name(engine: str | None = None) -> str:
    name = (engine or Settings().engine).strip().lower()
    if name not in ENGINES:
        raise IndexMismatch(f"不支持的搜索引擎“{name}”；可用：{'、'.join(ENGINES)}")
    return name


def open_index(path, engine: str | None = None) -> SearchIndex:
    """Open (or create) the index in folder `path` with the chosen engine.

    `path` may also be an `api.settings.Settings` (anything with `index_dir` and
    `engine`): its index folder and engine are used unless `engine` is given."""
    if hasattr(path, "index_dir"):
        engine = engine or getattr(path, "engine", None)
        name = engine_name(engine)
        path = Path(path.data_dir) / f"index-{name}" if hasattr(path, "data_dir") else path.index_dir
    name = engine_name(engine)
    if name == "whoosh":
        from .whoosh_engine import WhooshIndex

        return WhooshIndex(path)
    from .tantivy_engine import TantivyIndex

    return TantivyIndex(path)


items_for_document = items_from_document  # the name api.service's hook looks for

__all__ = [
    "ENGINES", "DEFAULT_ENGINE", "FACETS", "KINDS", "Hit", "Item", "SearchIndex", "SearchResults",
    "IndexBusy", "IndexMismatch", "QuerySyntaxError", "engine_name", "open_index", "items_from_document",
    "items_for_document", "item_from_log", "parse", "plan",
]
