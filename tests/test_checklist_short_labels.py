"""A short line's label stays in its duty: `名称：一句短话。` (a plain label, not a doer's name, before one
short sentence) and a numbered item whose name the outline reads as its heading (1、甲地疗休养：8月3日至8日。)
say what the duty is about, so the item as printed (`to_dict`, what the export and the scorer read) keeps
them, while the learned stages read the duty without it; a long section after 报名办法： does not take its
label. The notice is written for the test."""
from __future__ import annotations

import pytest
from fixtures_make import make_text

from ingest.load import load
from nlp.checklist.extract import _short_body, extract

NOTICE = """关于组织职工疗休养和评选先进的通知

各分会：
    为关心职工身心健康，经研究，决定组织职工疗休养并评选先进个人。现将有关事项通知如下：
    一、疗休养安排
    1、东湖疗休养：8月3日至8日。
    2、西山疗休养：9月7日至12日。
    二、评选名额
    先进个人：每个分会推荐2名会员。
    三、报名办法
    报名办法：各分会组织职工自愿报名，填写报名表后汇总。各分会于7月20日前将报名表报送工会办公室。

市总工会
2024年7月1日
"""


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    return load(make_text(tmp_path_factory.mktemp("labels") / "notice.txt", NOTICE))


@pytest.fixture(scope="module")
def items(doc):
    return extract(doc).obligations


def _item(items, words):
    hit = [o for o in items if words in o.text]
    assert len(hit) == 1, [o.text for o in items]
    return hit[0]


def test_one_short_sentence_is_a_short_body():
    assert _short_body("每个分会推荐2名会员。")
    assert not _short_body("各分会组织职工自愿报名，填写报名表后汇总。各分会于7月20日前将报名表报送工会办公室。")


def test_a_numbered_items_name_stays_with_its_dates(doc, items):
    o = _item(items, "8月3日")
    printed = o.to_dict()
    assert printed["text"].startswith("东湖疗休养：8月3日")
    assert doc.text[printed["start"]:].startswith("东湖疗休养")
    assert [(d.month, d.day) for d in o.deadlines] == [(8, 8)]


def test_a_plain_label_stays_with_its_short_duty(items):
    o = _item(items, "推荐2名")
    assert o.to_dict()["text"].startswith("先进个人：每个分会")
    assert [(q.min, q.max) for q in o.quotas] == [(2, 2)]


def test_a_long_section_does_not_take_its_label(items):
    assert not any(o.to_dict()["text"].startswith("报名办法") for o in items)
    assert _item(items, "7月20日前").actors == ["各分会"]
