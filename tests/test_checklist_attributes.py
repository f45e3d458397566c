"""The attribute grammar on the forms real notices use (sentences written here): a time
of day between a date and 前, set days and date windows, copies, caps and Chinese counts."""
from __future__ import annotations

import pytest

from nlp.checklist.deadlines import find_deadlines
from nlp.checklist.quantities import find_quotas


@pytest.mark.parametrize("text, month, day", [
    ("请于3月9日中午前报送材料", 3, 9),
    ("请于6月2日(周五)下班前报校工会", 6, 2),
    ("6月2日（星期五）下午5点前报送", 6, 2),
    ("于6月2日上午11:00前交到工会办公室", 6, 2),
    ("定于6月12日下午2:30在礼堂召开", 6, 12),
    ("请各单位于6月12日交到工会", 6, 12),
    ("报名截止时间为6月20日", 6, 20),
    ("5月8日—5月20日，各单位组织初赛", 5, 20),  # a window is due by its end
    ("9月1日至10日完成自查", 9, 10),
])
def test_deadlines(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text", ["根据2021年3月1日印发的办法", "自2024年1月1日起施行", "2023年以来共举办三次"])
def test_dates_that_are_no_deadline(text):
    assert find_deadlines(text, 2024) == []


@pytest.mark.parametrize("text, mn, mx", [
    ("材料一式三份报工会", 3, 3),
    ("申报表一式2份", 2, 2),
    ("每人补助上限300元", None, 300),
    ("每单位限报两个项目", None, 2),
    ("每人仅限报名1次", None, 1),
    ("作品不超过3张", None, 3),
    ("每人可报送1-3幅作品", 1, 3),
    ("视频时长15秒到90秒", 15, 90),
    ("每队演唱两首歌曲", 2, 2),
    ("男、女各一队", 1, 1),
    ("3.4个课时", 4, 4),  # item 3. followed by 4个课时
])
def test_quotas(text, mn, mx):
    assert [(q.min, q.max) for q in find_quotas(text)] == [(mn, mx)]


@pytest.mark.parametrize("text", ["坚持两个维护", "落实四项任务", "期限为三年的规划"])
def test_names_with_numbers_are_no_quota_of_the_new_kinds(text):
    assert all(q.unit not in ("份", "首", "队", "幅") for q in find_quotas(text))
