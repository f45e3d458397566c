"""A first page that every word typed finds only a few passages for is filled with the
other sections of the notices found, below every passage found: those holding more of
the query first, then in their order in the notice (index.search.common.with_siblings). Texts here are written for the tests."""
from __future__ import annotations

import pytest

from index.search import Item, common, open_index


@pytest.fixture(params=["tantivy", "whoosh"])
def engine(request):
    return request.param


def _sec(doc: str, n: int, heading: str, text: str, title: str) -> Item:
    return Item(id=f"{doc}:p0s{n}", kind="section", doc_id=doc, heading=heading, text=text, title=title)


ITEMS = [
    _sec("F", 0, "一、申请", "填写申请登记表。", "关于工会有关事项的通知"),
    _sec("F", 1, "二、变更", "工会法人资格变更须提交下列材料。", "关于工会有关事项的通知"),
    _sec("F", 2, "三、材料", "登记表一式三份。", "关于工会有关事项的通知"),
    _sec("F", 3, "四、联系人", "工会办公室。", "关于工会有关事项的通知"),
    _sec("G", 0, "一、比赛时间", "拔河比赛定于十月举行。", "关于举办拔河比赛的通知"),
    _sec("G", 1, "二、比赛地点", "学校体育场。", "关于举办拔河比赛的通知"),
]


def _hits(ix, q, **kw):
    return [h.id for h in ix.search(q, facets=(), **kw).hits]


def test_the_other_sections_of_the_notice_found_follow_its_passage(tmp_path, engine):
    ix = open_index(tmp_path / "s", engine)
    ix.add(ITEMS)
    res = ix.search("法人资格变更", facets=())
    ids = [h.id for h in res.hits]
    assert ids[0] == "F:p0s1"  # the passage holding the words first
    assert ids[1:] == ["F:p0s0", "F:p0s2", "F:p0s3"]  # then its notice's other sections, in order
    assert res.total == 4 and all(h.score == 0.0 for h in res.hits[1:])
    assert not any(i.startswith("G") for i in ids)  # never another notice's sections
    ix.close()


def test_a_full_page_a_relaxed_result_and_a_filtered_kind_are_left_alone(tmp_path, engine, monkeypatch):
    ix = open_index(tmp_path / "t", engine)
    ix.add(ITEMS)
    assert _hits(ix, "法人资格变更", per_page=1) == ["F:p0s1"]  # a full page: nothing added
    assert len(_hits(ix, "拔河 足球")) <= 2  # relaxed (no passage holds 足球): not filled with F
    assert all(i.startswith("G") for i in _hits(ix, "拔河 足球"))
    assert _hits(ix, "法人资格变更", filters={"kind": "document"}) == []
    monkeypatch.setattr(common, "SIBLINGS", 0)
    assert _hits(ix, "法人资格变更") == ["F:p0s1"]
    ix.close()


H_TITLE = "关于开展三八节活动的通知"
H_ITEMS = [
    Item(id="H", kind="document", doc_id="H", title=H_TITLE,
         text="为庆祝三八节，举办女教职工跑步活动。一、参赛范围 在职女教职工。二、集合地点 东校区运动场。"
              "三、报名 各女工委将参赛人员名单盖章后报校工会。"),
    _sec("H", 0, "一、参赛范围", "在职女教职工。", H_TITLE),
    _sec("H", 1, "二、集合地点", "东校区运动场。", H_TITLE),
    _sec("H", 2, "三、报名", "各女工委将参赛人员名单盖章后报校工会。", H_TITLE),
]


def test_the_filling_sections_holding_more_of_the_query_come_first(tmp_path, engine, monkeypatch):
    # only the notice's document item holds every word (跑步 is in its opening line only):
    # the section holding the other words it was asked with comes right after it
    ix = open_index(tmp_path / "h", engine)
    ix.add(H_ITEMS)
    ids = _hits(ix, "女工委 跑步 名单 盖章")
    assert ids[:2] == ["H", "H:p0s2"] and sorted(ids[2:]) == ["H:p0s0", "H:p0s1"]
    monkeypatch.setattr(common, "SIBLINGS_BY_COVER", False)
    assert _hits(ix, "女工委 跑步 名单 盖章") == ["H", "H:p0s0", "H:p0s1", "H:p0s2"]  # the notice's order
    ix.close()
