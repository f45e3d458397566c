"""One hit per passage: a duty the checklist extracted from a clause is shown inside
that clause's hit, not as a second hit with the same sentence; facets and totals
count the passage once; asking for duties alone still lists each duty."""
from __future__ import annotations

from pathlib import Path

import pytest

from index.search import items_from_document, open_index
from ingest.load import load
from nlp.checklist.extract import extract

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "corpora" / "notices" / "2021_mianyang_bangfu_banfa.txt"


@pytest.fixture(scope="module")
def items():
    doc = load(NOTICE)
    cl = extract(doc)
    return items_from_document(doc, cl.to_dict() if hasattr(cl, "to_dict") else cl.model_dump())


@pytest.fixture(params=["tantivy", "whoosh"])
def ix(request, tmp_path, items):
    ix = open_index(tmp_path / request.param, request.param)
    ix.add(items)
    yield ix
    ix.close()


def _words(text: str) -> str:
    """A query of the duty's own longest words (found wherever its text is)."""
    from index.search.analysis import segment

    return " ".join(sorted({w for w in segment(text) if len(w) > 1}, key=len, reverse=True)[:3])


def _folded(items):
    return [i for i in items if i.kind == "obligation" and i.extras.get("passage")]


def test_a_duty_is_folded_into_the_clause_it_came_from(items):
    folded = _folded(items)
    assert folded, "the sample notice's duties come from its clauses"
    by_id = {i.id: i for i in items}
    for duty in folded:
        clause = by_id[duty.extras["passage"]]
        assert clause.kind in ("section", "document")
        if clause.kind == "section":
            assert clause.extras["start"] <= duty.extras["start"] and duty.extras["end"] <= clause.extras["end"]
        else:  # the one passage holding a duty no section holds
            assert not any(i.kind == "section" and i.extras["start"] <= duty.extras["start"]
                           and duty.extras["end"] <= i.extras["end"] for i in items)
        assert duty.id in [d["id"] for d in clause.extras["duties"]]
        assert set(duty.extras.get("actors") or []) <= set(clause.tags)


def test_a_page_holds_each_passage_once_with_the_duty_inside(ix, items):
    duty = _folded(items)[0]
    res = ix.search(_words(duty.text), per_page=50)
    ids = [h.id for h in res.hits]
    assert duty.id not in ids
    clause = next(h for h in res.hits if h.id == duty.extras["passage"])
    assert duty.id in [d["id"] for d in clause.fields["extras"]["duties"]]
    assert res.total == len(ids)
    kinds = dict(res.facets["kind"])
    assert sum(kinds.values()) == res.total and "obligation" not in kinds


def test_asking_for_duties_alone_lists_each_duty(ix, items):
    duty = _folded(items)[0]
    res = ix.search(_words(duty.text) + " kind:obligation", per_page=50)
    assert duty.id in [h.id for h in res.hits]
    assert all(h.kind == "obligation" for h in res.hits)
    res = ix.search("", filters={"kind": "obligation"}, per_page=200)
    assert res.total == sum(1 for i in items if i.kind == "obligation")


# A notice of our own: a duty in the opening lines (no numbered section holds it), one in a
# numbered clause, and a notice with no numbered sections at all. The checklist words each
# duty otherwise than the text it came from (trimmed, the date in digits), as it may.
SPORTS = """关于举办教职工趣味运动会的通知

各分工会：
为丰富教职工业余生活，校工会决定举办趣味运动会。请各分工会于十月八日前将参赛名单报送校工会办公室。

一、比赛时间
十月二十日上午八时开始。
二、比赛项目
拔河、跳绳、托球跑。每个分工会限报一支拔河队。

校工会
二〇二五年九月二十日
"""
READING = """关于开展读书月活动的通知

各部门工会：
本年度读书月活动即日起开始，请各部门工会组织会员踊跃参加，并于五月底前上报读书心得。
特此通知。

校工会
二〇二五年四月一日
"""


def _own_notice(tmp_path, name, text, duties):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    doc = load(f)
    obligations = []
    for i, (source, worded) in enumerate(duties):
        start = doc.text.index(source)
        obligations.append({"id": f"d{i}", "text": worded, "start": start, "end": start + len(source),
                            "actors": ["分工会"], "deadlines": [{"text": worded}]})
    return items_from_document(doc, {"obligations": obligations})


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_a_duty_worded_otherwise_than_its_passage_is_one_hit(tmp_path, engine):
    items = _own_notice(tmp_path, "sports.txt", SPORTS, [
        ("请各分工会于十月八日前将参赛名单报送校工会办公室", "各分工会10月8日前报送参赛名单"),
        ("每个分工会限报一支拔河队", "每个分工会报一支拔河队")])
    items += _own_notice(tmp_path, "reading.txt", READING, [
        ("并于五月底前上报读书心得", "各部门工会于5月底前上报读书心得")])
    assert all(i.extras.get("passage") for i in items if i.kind == "obligation")
    ix = open_index(tmp_path / engine, engine)
    ix.add(items)
    try:
        for query in ("参赛名单", "拔河队", "读书心得"):
            res = ix.search(query, per_page=50)
            assert res.hits, query
            assert all(h.kind != "obligation" for h in res.hits), query
            assert res.total == len(res.hits)
            # the passage the duty came from is the hit, the duty shown inside it
            assert any(query in d["text"] for h in res.hits for d in h.fields["extras"].get("duties", [])), query
    finally:
        ix.close()
