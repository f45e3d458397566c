"""A duty cut out of a sentence whose other clause names the time (…申报表，于5月20日前报送 /
一般于每年9月底前启动，… / 每年重阳节慰问，由…负责) is due by that time and keeps that cycle,
where it names no date or cycle of its own. The notice is written for the test."""
from __future__ import annotations

import pytest
from fixtures_make import make_text

from ingest.load import load
from nlp.checklist.deadlines import sentence_deadlines, sentence_span
from nlp.checklist.extract import extract

NOTICE = """关于开展职工文体活动的通知

各基层工会：
    为丰富职工业余生活，决定开展职工文体活动。现将有关事项通知如下：
    一、活动安排
    请各基层工会认真组织本单位职工报名，并于5月20日前将报名表报送市总工会宣教部。一般于每年9月底前启动，市总工会将活动方案发放给各基层工会。
    二、工作要求
    每年重阳节慰问退休职工，由各基层工会负责组织实施。各基层工会于6月10日前报送活动总结，市总工会于6月30日前完成评比。
    三、其他事项
    各基层工会要加强宣传，营造良好氛围。

市总工会
2024年4月1日
"""


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    return extract(load(make_text(tmp_path_factory.mktemp("sentence") / "notice.txt", NOTICE))).obligations


def _item(items, words):
    hit = [o for o in items if words in o.text]
    assert len(hit) == 1, [o.text for o in items]
    return hit[0]


def _dates(o):
    return [(d.month, d.day) for d in o.deadlines]


def test_a_date_later_in_the_sentence_reaches_the_clause_before_it():
    text = "请各单位认真组织，并于5月20日前报送报名表。各单位要加强宣传。"
    start = text.index("请")
    found = sentence_deadlines(text, start, text.index("，"), 2024)
    assert [(d.month, d.day) for d in found] == [(5, 20)]
    assert text[found[0].start:found[0].end].startswith("5月20日")  # offsets into the whole text


def test_a_time_in_another_sentence_does_not_reach():
    text = "各单位于5月20日前报送名单。各单位要加强宣传。"
    start = text.index("各单位要")
    assert sentence_deadlines(text, start, len(text) - 1, 2024) == []
    assert sentence_span(text, start, len(text) - 1) == (start, len(text) - 1)


def test_cut_duties_take_the_time_of_their_sentence(items):
    # however the sentence is cut, each of its duties is due by the date it names
    assert (5, 20) in _dates(_item(items, "认真组织本单位职工报名"))
    assert (5, 20) in _dates(_item(items, "报名表报送"))
    assert _dates(_item(items, "活动方案发放")) == [(9, 30)]


def test_a_cycle_in_the_lead_clause_reaches_the_duty_it_was_cut_from(items):
    o = _item(items, "负责组织实施")
    assert o.frequency is not None and o.frequency.every == "year"


def test_a_duty_keeps_its_own_date(items):
    assert _dates(_item(items, "报送活动总结")) == [(6, 10)]
    assert _dates(_item(items, "完成评比")) == [(6, 30)]


def test_a_sentence_without_a_time_gives_none(items):
    o = _item(items, "加强宣传")
    assert o.deadlines == [] and o.frequency is None
