"""Search in the service: a query over the search index, answered in the documented
JSON shape. May import the service's core.
"""
from __future__ import annotations

from typing import Any

from api.service.core import ServiceCore


class Search(ServiceCore):
    """Searching notices, their sections and obligations, and field logs."""

    def search(self, q: str = "", *, filters: dict | None = None, page: int = 1, per_page: int = 10,
               sort: str = "relevance") -> dict[str, Any]:
        res = self.search_index.search(q, filters=filters or {}, page=page, per_page=per_page, sort=sort)
        # By hand, not SearchResults.to_dict(): dataclasses.asdict deep-copies every hit's stored
        # fields, a fifth of a search's time at 100,000 items; each hit is built fresh per search
        # (common.make_hit), so a shallow copy is enough.
        return {"total": res.total, "hits": [dict(vars(h)) for h in res.hits],
                # Facet values as text (years are ints in the index), so every consumer sees one type.
                "facets": {k: [[str(v), c] for v, c in vs] for k, vs in res.facets.items()},
                "took_ms": res.took_ms, "page": res.page, "per_page": res.per_page, "query": res.query,
                "relaxed": res.relaxed, "note": res.note}
