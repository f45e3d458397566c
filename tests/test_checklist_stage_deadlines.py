"""A stage heading that gives a time (（二）复赛阶段（6月20日前）, 1.总结阶段（2024年7月）。…) passes it
to the duties under it that name no date or cycle of their own. The notice is written for
the test."""
from __future__ import annotations

import pytest

from ingest.load import load
from nlp.checklist.deadlines import stage_windows
from nlp.checklist.extract import extract

NOTICE = """关于开展职工技能比武活动的通知

各基层工会：
    为提升职工技能水平，决定开展技能比武活动。现将有关事项通知如下：
    一、活动安排
    （一）初赛阶段（5月10日—5月31日）
    各基层工会组织本单位职工开展初赛，择优推荐选手参加复赛。
    （二）复赛阶段（6月20日前）
    1.各基层工会将复赛选手名单报送市总工会劳动竞赛部。
    2.市总工会组织专家评审，每月通报一次进展。
    3.各基层工会于6月5日前完成复赛场地布置。
    （三）总结阶段（2024年4-5月）。各基层工会认真总结活动经验，形成书面材料报市总工会。
    二、工作要求
    各基层工会要高度重视，精心组织，确保活动安全有序。

市总工会
2024年4月1日
"""


def _obligations(tmp_path_factory, text: str):
    path = tmp_path_factory.mktemp("stage") / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return extract(load(path)).obligations


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    return _obligations(tmp_path_factory, NOTICE)


def _dates(items, words):
    hit = [o for o in items if words in o.text]
    assert len(hit) == 1, [o.text for o in items]
    return [(d.month, d.day) for d in hit[0].deadlines]


def test_a_window_in_a_stage_heading_is_due_by_its_end(items):
    assert _dates(items, "开展初赛") == [(5, 31)]


def test_a_date_in_a_stage_heading_reaches_its_numbered_items(items):
    assert _dates(items, "复赛选手名单") == [(6, 20)]


def test_a_duty_with_its_own_date_keeps_it(items):
    assert _dates(items, "场地布置") == [(6, 5)]


def test_a_duty_with_a_cycle_of_its_own_is_still_bounded_by_its_stage(items):
    # annotation convention (corpora/annotations/checklist/README.md): the stage's time is a
    # deadline of each clause under it; the cx annotator gives it to cycled clauses too
    hit = next(o for o in items if "专家评审" in o.text)
    assert [(d.month, d.day) for d in hit.deadlines] == [(6, 20)]
    assert hit.frequency is not None and hit.frequency.every == "month"


def test_a_span_of_months_in_an_inline_stage_label_gives_its_last_month(items):
    assert _dates(items, "总结活动经验") == [(5, None)]


def test_the_stage_ends_at_the_next_heading_of_its_level(items):
    assert _dates(items, "高度重视") == []


def test_headings_without_a_stage_time_open_no_window(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("一、活动安排\n（一）初赛阶段\n各单位组织初赛。\n（二）比赛时间（6月20日）\n各单位报名。\n", encoding="utf-8")
    assert stage_windows(load(path), 2024) == []




def test_the_stage_heading_itself_is_no_duty(items):
    assert not [o for o in items if o.text.startswith(("复赛阶段", "初赛阶段", "总结阶段"))]
def test_a_page_in_traditional_characters_has_the_same_windows_read_from_one_view(tmp_path):
    from opencc import OpenCC

    from nlp.checklist.view import plain_at, view

    trad = OpenCC("s2t").convert(NOTICE)
    assert "階段" in trad
    (tmp_path / "s.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "t.txt").write_text(trad, encoding="utf-8")
    simple, printed = load(tmp_path / "s.txt"), load(tmp_path / "t.txt")
    # one view per notice, made once, its offsets those of the page as printed
    v = view(printed)
    assert v is view(printed) and view(v) is v and view(simple) is simple
    assert len(v.text) == len(printed.text) and "阶段" in v.text
    at = printed.text.index("複賽選手")
    assert plain_at(printed, "複賽選手", at) == "复赛选手"
    assert stage_windows(printed, 2024) == stage_windows(simple, 2024) != []
    # each duty of the simplified twin is found on the printed page, due by the same date
    dates = {o.start: [(d.month, d.day) for d in o.deadlines] for o in extract(printed).obligations}
    for o in extract(simple).obligations:
        assert dates.get(o.start) == [(d.month, d.day) for d in o.deadlines], o.text
NOTICE_FORMS = """关于开展职工读书征文活动的通知

各分工会：
    现将有关事项通知如下：
    一、活动安排
    （一）第一阶段：征文初选（2024年5月）。
    各分工会组织会员撰写征文，择优推荐参加评选。
    （二）集中展示（6月1日—6月15日）
    1.各分工会布置展板，展示优秀作品。
    （三）报名方式
    各分工会于4月20日前报送联系人名单。
    二、复赛安排
第一阶段：组织复赛。
7月10日前完成。各分工会组织入围作者修改作品。
各分工会推荐评委一名报校工会。
第二阶段：表彰总结
"""


@pytest.fixture(scope="module")
def form_items(tmp_path_factory):
    return _obligations(tmp_path_factory, NOTICE_FORMS)


def test_a_stage_heading_with_a_title_before_its_time_bounds_its_clauses(form_items):
    assert _dates(form_items, "撰写征文") == [(5, None)]


def test_a_numbered_step_with_a_time_in_brackets_bounds_its_clauses(form_items):
    assert _dates(form_items, "布置展板") == [(6, 15)]


def test_a_heading_without_a_time_after_a_timed_one_opens_none(form_items):
    assert _dates(form_items, "联系人名单") == [(4, 20)]


def test_a_bare_stage_line_takes_the_close_printed_under_it(form_items):
    assert _dates(form_items, "修改作品") == [(7, 10)]
    assert _dates(form_items, "推荐评委") == [(7, 10)]
