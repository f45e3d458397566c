"""The tantivy engine's page of hits (TantivyEngine._page) takes shortcuts: the count
search's hits are reused, a tie at the page's cut is fetched in one go, only hits that
can reach the page are read, ids come from the payload's head, ids and payloads from
per-commit caches.
Whatever the shortcut, a search must answer exactly what the straightforward page
gives: the top min(count, page end + TIE_FETCH) hits, every id read, ordered by
(value, id), sliced."""
from __future__ import annotations

import random

import orjson
import pytest

from index.search import Item, open_index
from index.search import tantivy_engine as te

TEXTS = ["职工反映平台拖欠工资", "企业欠薪，职工上访", "职工之家建设", "送清凉活动，慰问一线职工",
         "工资集体协商", "欠薪 欠薪 职工", "高温津贴没有发放，职工反映欠薪"]
QUERIES = ["", "欠薪", "职工 欠薪", "kind:log", "工资 OR 欠薪", "职工", '"集体协商"', "职工 -欠薪",
           "慰问 职工 高温"]
PAGES = [(1, 10), (2, 10), (3, 7), (1, 50), (2, 50), (1, 1), (9, 13)]


def straightforward_page(s, cache, q, order, offset, per_page, count, first=None):
    want = offset + per_page
    top = s.search(q, limit=max(1, min(count, want + te.TIE_FETCH)), count=False, **order).hits if count else []
    rows = []
    for value, addr in top:
        stored = s.doc(addr).get_first("payload")
        rows.append((value, orjson.loads(stored)["id"], stored))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return rows[offset:want]


@pytest.fixture(scope="module")
def tied_index(tmp_path_factory):
    r = random.Random(3)
    ids = [f"log:{i:04d}" for i in range(160)] + ['log:"quoted"', "log:back\\slash", "日志:一", "log:tab\tx"]
    r.shuffle(ids)
    items = [Item(id=i, kind="log" if n % 4 else "section", doc_id=i, text=r.choice(TEXTS),
                  date=f"2024-0{r.randint(1, 3)}-01", issuer=r.choice(["甲市总工会", "乙县总工会"]))
             for n, i in enumerate(ids)]
    ix = open_index(tmp_path_factory.mktemp("ties") / "ix", "tantivy")
    for k in range(0, len(items), 41):  # several commits: several segments, doc addresses out of id order
        ix.add(items[k:k + 41])
    return ix


def answers(ix, filters=None):
    out = []
    for q in QUERIES:
        for sort in ("relevance", "date"):
            for page, per_page in PAGES:
                res = ix.search(q, filters=filters, page=page, per_page=per_page, sort=sort)
                out.append((q, sort, page, per_page, res.total,
                            [(h.id, h.score, h.snippet, h.fields) for h in res.hits], res.facets))
    return out


@pytest.mark.parametrize("tie_fetch,tie_slack,id_cache,payload_bytes", [
    (2000, 64, 1 << 17, 16 << 20),  # the defaults: every tie group is whole
    (2000, 1, 1 << 17, 16 << 20),  # a tie past the slack: the query runs again for the group
    (5, 1, 3, 16 << 20),  # groups cut at the cap; the id cache overflows
    (5, 9, 1 << 17, 16 << 20),  # the slack reaches past the cap: its top is the cap's top
    (2000, 64, 1 << 17, 600),  # the payload cache overflows every few payloads
])
def test_pages_equal_the_straightforward_page(tied_index, monkeypatch, tie_fetch, tie_slack, id_cache, payload_bytes):
    monkeypatch.setattr(te, "TIE_FETCH", tie_fetch)
    monkeypatch.setattr(te, "TIE_SLACK", tie_slack)
    monkeypatch.setattr(te, "ID_CACHE", id_cache)
    monkeypatch.setattr(te, "PAYLOAD_CACHE_BYTES", payload_bytes)
    tied_index._gen = None  # a fresh commit cache: ids are read, then reused
    fast = [answers(tied_index), answers(tied_index), answers(tied_index, {"issuer": "甲市总工会"})]
    with monkeypatch.context() as m:
        m.setattr(te.TantivyIndex, "_page", staticmethod(straightforward_page))
        plain = [answers(tied_index), answers(tied_index), answers(tied_index, {"issuer": "甲市总工会"})]
    assert fast == plain
    # the cases the shortcuts are for do occur: hits tied at a page's cut, odd ids on a page
    assert any(len({h[1] for h in a[5]}) < len(a[5]) for a in plain[0])
    assert {'log:"quoted"', "log:back\\slash", "日志:一", "log:tab\tx"} <= {h[0] for a in plain[0] for h in a[5]}
