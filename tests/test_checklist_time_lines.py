"""Time lines kept whole by the split stage: a clock range before who attends (…9:00—10:30，
各分会参加), a window whose opening clause follows a time field's name (投稿时间：自即日起，到…止), and a
list item that opens on a date (2、5月14日…), whose number hid the date from the date reader; a
clause that is only a time, partly unread (a clock in words, 即日起…, a bare span of months), before
the clause of the duty it times. The notices are written for the test."""
from __future__ import annotations

import pytest
from fixtures_make import make_text

from ingest.load import load
from nlp.checklist.extract import _is_adverbial, _time_only, extract

NOTICE = """关于举办职工趣味运动会的通知

各分会：
    为丰富职工业余生活，经研究，决定举办职工趣味运动会。现将有关事项通知如下：
    一、参加人员和时间
    1、本单位在职职工均可报名。
    2、5月14日上午9:00—10:30，第一分会、第二分会参加。
    5月15日上午9:00—10:30，第三分会、第四分会参加。
    二、作品征集
    各分会请将参赛口号汇总后报送工会办公室。
    投稿时间：自即日起，到2024年5月6日止。

校工会
2024年4月20日
"""


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    return extract(load(make_text(tmp_path_factory.mktemp("timelines") / "notice.txt", NOTICE))).obligations


def _item(items, words):
    hit = [o for o in items if words in o.text]
    assert len(hit) == 1, [o.text for o in items]
    return hit[0]


@pytest.mark.parametrize("clause", ["5月15日上午9:00—10:30", "5月15日上午9:00-10:30", "5月15日9:00至10:30"])
def test_a_date_with_a_clock_range_is_a_time_not_a_predicate(clause):
    assert _is_adverbial(clause, False)


def test_a_clock_time_with_a_predicate_stays_a_predicate():
    assert not _is_adverbial("5月15日9:00在体育馆集合", False)
    assert not _is_adverbial("比赛时间定于5月15日上午9:00", False)


def test_a_time_fields_name_before_a_start_is_a_time():
    assert _is_adverbial("投稿时间：自即日起", False)
    assert not _is_adverbial("投稿时请注明姓名", False)


def test_an_attendance_line_is_one_dated_duty(items):
    o = _item(items, "5月15日上午")
    assert o.text.endswith("第三分会、第四分会参加")
    assert [(d.month, d.day) for d in o.deadlines] == [(5, 15)]


def test_a_list_item_opening_on_a_date_is_read_without_its_number(items):
    o = _item(items, "5月14日上午")
    assert o.text.startswith("5月14日")
    assert o.text.endswith("第二分会参加")
    assert [(d.month, d.day) for d in o.deadlines] == [(5, 14)]


def test_a_submission_window_is_one_item_with_its_field_name(items):
    o = _item(items, "2024年5月6日")
    assert o.text.startswith("投稿时间")
    assert [(d.month, d.day) for d in o.deadlines] == [(5, 6)]


TIMED = """关于开展职工健步走活动的通知

各分会：
    为增强职工体质，决定开展职工健步走活动。现将有关事项通知如下：
    一、报名时间：6月3日下午四点之前，各分会将参赛名单报送工会办公室。
    二、即日起至9月底，各分会自行组织健步走活动。

校工会
2024年5月20日
"""


@pytest.mark.parametrize("clause", ["报名时间：6月3日下午四点之前", "即日起至9月底", "7月—8月", "截止时间：6月3日"])
def test_a_time_partly_unread_is_still_a_time(clause):
    assert _time_only(clause)


def test_a_time_with_a_predicate_after_it_is_no_bare_time():
    assert not _time_only("6月3日下午四点前报送名单")
    assert not _time_only("即日起至9月底组织健步走")


@pytest.fixture(scope="module")
def timed(tmp_path_factory):
    path = tmp_path_factory.mktemp("timed") / "notice.txt"
    path.write_text(TIMED, encoding="utf-8")
    return extract(load(path)).obligations


def test_a_time_field_stays_with_the_duty_after_it(timed):
    o = _item(timed, "参赛名单")
    assert o.text.startswith("报名时间")
    assert [(d.month, d.day) for d in o.deadlines] == [(6, 3)]
    assert o.actors == ["各分会"]


def test_a_span_up_to_a_month_end_stays_with_the_duty_after_it(timed):
    o = _item(timed, "健步走活动")
    assert o.text.startswith("即日起至9月底")
    assert o.actors == ["各分会"]
