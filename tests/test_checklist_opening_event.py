"""The opening of a notice that decides the issuer's own event with its date (…，校工会定于5月10日举办…，
现将有关事项通知如下：) gives that event as a hard item of its own, without the purpose clauses before
it or the announcement after it; the same decision with no date gives none. The notices are written
for the test."""
from __future__ import annotations

from ingest.load import load
from nlp.checklist.extract import extract_rules

DATED = """关于举办教职工羽毛球比赛的通知

各分工会：
    为增强教职工体质，活跃校园文化，校工会定于2024年5月10日举办教职工羽毛球比赛，现将有关事项通知如下：
    一、比赛项目
    男子单打、女子单打。
    二、报名
    请各分工会于5月6日前将报名表报送校工会。

校工会
2024年4月20日
"""

UNDATED = DATED.replace("定于2024年5月10日举办", "决定举办")


def _rules(tmp_path, text):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    return extract_rules(load(path)).obligations


def test_a_dated_decision_in_the_opening_is_the_issuers_dated_duty(tmp_path):
    items = [o for o in _rules(tmp_path, DATED) if "羽毛球比赛" in o.text and "举办" in o.text]
    assert len(items) == 1, [o.text for o in items]
    o = items[0]
    assert o.tier == "hard"
    assert o.text.startswith("校工会定于") and o.text.endswith("教职工羽毛球比赛")  # no purpose, no announcement
    assert [(d.month, d.day) for d in o.deadlines] == [(5, 10)]


def test_an_undated_decision_in_the_opening_gives_no_rule_item(tmp_path):
    items = _rules(tmp_path, UNDATED)
    assert not [o for o in items if "决定举办" in o.text]
    assert [o for o in items if "5月6日前" in o.text]  # (the rest of the notice is read as before)
