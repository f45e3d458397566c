"""Search in the service: a query over the search index, answered in the documented
JSON shape. May import the service's core and its label check (api.service.logs).
"""
from __future__ import annotations

from typing import Any

from api.service.core import ServiceCore
from api.service.logs import _taxonomy, label_id
from ingest.errors import GongwenError

# Characters a query may have, on the CLI and over HTTP (GET /api/search's `q`): a query's
# cost grows faster than its length (3,500 characters ≈ 1.6 CPU-s; 40,000 on the CLI took
# 23 CPU-s, and 1.2 GB for one word repeated), and no question needs more.
MAX_QUERY_CHARS = 1000


class QueryTooLong(GongwenError):
    code = "bad_query"
    http_status = 400


def _check_risk_terms(q: str) -> None:
    """`risk:…` in a query names a risk of the taxonomy (its id or Chinese name), as the `risk`
    filter must (`label_id`): any other value found nothing and said nothing about why
    (risk:zzz, a typo, or a task category). Refused as the query's other unreadable values
    are (kind:zzz), with the risks there are. Without a taxonomy to check against, unchecked."""
    if ":" not in q and "：" not in q:
        return
    from index.search.query import And, FieldTerm, Not, Or, QuerySyntaxError, parse

    tax = _taxonomy()
    if tax is None:
        return
    known = {x for label in tax.risks for x in (label.id, label.name)}
    todo = [parse(q)]
    while todo:
        node = todo.pop()
        if isinstance(node, (And, Or)):
            todo.extend(node.items)
        elif isinstance(node, Not):
            todo.append(node.item)
        elif isinstance(node, FieldTerm) and node.field == "risks" and node.value not in known:
            raise QuerySyntaxError(f"第 {node.pos + 1} 个字符处的风险信号“{node.value[:40]}”不存在；可用："
                                   + "、".join(f"{label.name}（{label.id}）" for label in tax.risks),
                                   position=node.pos + 1, query=q)


class Search(ServiceCore):
    """Searching notices, their sections and obligations, and field logs."""

    def search(self, q: str = "", *, filters: dict | None = None, page: int = 1, per_page: int = 10,
               sort: str = "relevance") -> dict[str, Any]:
        if len(q) > MAX_QUERY_CHARS:
            raise QueryTooLong(f"查询过长：{len(q):,} 个字符，上限 {MAX_QUERY_CHARS:,} 个字符；请缩短查询，只留关键的词语")
        if isinstance((filters or {}).get("risks"), str):
            # a closed set, as on /api/logs: a risk that names no label would find nothing and not say why.
            # (`tag` stays open: in the index it also holds a duty's actors.)
            filters = {**filters, "risks": label_id(filters["risks"], risks_only=True, what="risk")}
        _check_risk_terms(q)
        res = self.search_index.search(q, filters=filters or {}, page=page, per_page=per_page, sort=sort)
        # By hand, not SearchResults.to_dict(): dataclasses.asdict deep-copies every hit's stored
        # fields, a fifth of a search's time at 100,000 items; each hit is built fresh per search
        # (common.make_hit), so a shallow copy is enough.
        return {"total": res.total, "hits": [dict(vars(h)) for h in res.hits],
                # Facet values as text (years are ints in the index), so every consumer sees one type.
                "facets": {k: [[str(v), c] for v, c in vs] for k, vs in res.facets.items()},
                "took_ms": res.took_ms, "page": res.page, "per_page": res.per_page, "query": res.query,
                "relaxed": res.relaxed, "note": res.note, "warnings": self._unindexed()}

    def _unindexed(self) -> list[str]:
        """What a search cannot find: what was stored but not yet indexed (queued in the
        outbox, or set aside after the index refused it). Where the index folder takes no
        writes (a data folder on read-only media, the store's or not) it stays so, as no
        drain can write the index there; elsewhere the index refused it (a full disk) or a
        drain is under way, and `gongwen reindex --pending` does it. One count query."""
        pending, failed = self.store.count_unindexed()
        if not pending and not failed:
            return []
        folder = self.index_unwritable()
        if folder:
            return [f"{folder}，另有 {pending + failed} 项已入库但尚未编入检索索引，检索不到："
                    "请把该文件夹复制到可写的位置后运行 gongwen reindex --pending"]
        out = []
        if pending:
            out.append(f"另有 {pending} 项已入库但尚未编入检索索引，暂时检索不到（正在编入，或检索索引拒收了：如磁盘已满）；"
                       "如一直如此，请运行 gongwen reindex --pending 补做")
        if failed:
            out.append(f"另有 {failed} 项已入库，但检索索引多次拒收、已搁置，检索不到："
                       "请运行 gongwen check 查看原因，解决后运行 gongwen reindex --pending 重试")
        return out
