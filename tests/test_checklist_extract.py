"""End-to-end checklist extraction on the project's sample notices (real files of
several formats). Expected duties, quotas, deadlines, roster entries and table rows
were read off the notices by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.load import load
from nlp.checklist import EXTRACTOR_VERSION, Checklist, extract

NOTICES = Path(__file__).resolve().parents[1] / "corpora" / "notices"


@pytest.fixture(scope="module")
def jian() -> Checklist:
    return extract(load(NOTICES / "2024_jian_zhongda_shixiang.txt"))


def _find(cl: Checklist, fragment: str):
    hits = [o for o in cl.obligations if fragment in o.text]
    assert hits, f"no obligation holds {fragment!r}"
    return hits[0]


def test_shape_follows_the_schema(jian):
    d = jian.to_dict()
    assert set(d) >= {"document", "obligations", "roster", "tables"}
    assert d["document"]["doc_number"] == "吉工办发〔2024〕11号"
    for o in d["obligations"]:
        assert set(o) >= {"id", "text", "section", "actors", "action", "modality", "tier", "quotas", "deadlines",
                          "frequency", "start", "end", "part"}
        assert o["tier"] in ("hard", "soft") and o["modality"] in ("must", "should", "may")
    assert len({o["id"] for o in d["obligations"]}) == len(d["obligations"])
    json.dumps(d, ensure_ascii=False)
    assert EXTRACTOR_VERSION


def test_offsets_point_at_the_source_clause(jian):
    doc = load(NOTICES / "2024_jian_zhongda_shixiang.txt")
    for o in extract(doc).obligations:
        source = "".join(doc.text[o.start:o.end].split())
        assert "".join(o.text.split()) in source


def test_duties_of_the_notice(jian):
    urgent = _find(jian, "第一时间电话报告市总工会")
    assert urgent.tier == "hard" and urgent.modality == "must"
    assert any("县（市、区）总工会" in a for a in urgent.actors)
    assert [d.recurrence for d in urgent.deadlines] == ["relative"]
    assert urgent.section == ["二、报告时限", "（一）紧急报告"]

    monthly = _find(jian, "每月5日前")
    assert [(d.recurrence, d.day) for d in monthly.deadlines] == [("monthly", 5)]
    assert monthly.actors == ["各县（市、区）总工会"]
    scan = _find(jian, "每月开展一次排查")
    assert scan.frequency is not None and scan.frequency.every == "month"

    roster = _find(jian, "信息员名单")
    assert [(d.recurrence, d.year, d.month, d.day) for d in roster.deadlines] == [("once", 2024, 4, 10)]
    assert [(x.kind, x.min, x.max) for x in roster.quotas] == [("people", 1, 1)]

    office = _find(jian, "负责重大事项报告的受理")
    assert office.actors == ["市总工会权益保障部"] and office.tier == "hard"


def test_no_signature_date_items_and_condition_cases_are_no_hard_duties(jian):
    texts = " ".join(o.text for o in jian.obligations)
    assert "印发" not in texts and "2024年3月28日" not in texts
    # a case listed under 一、报告范围 is a condition of the report duty, not a duty of the
    # addressees: at most a soft item with no doer, as the gold reads eligibility clauses
    cases = [o for o in jian.obligations if o.text.startswith("涉及30人以上")]
    assert all(o.tier == "soft" and not o.actors for o in cases)


def test_docx_roster_and_table():
    cl = extract(load(NOTICES / "2023_ganzhou_dundian_fangan.docx"))
    roster = {(r.name, r.role) for r in cl.roster}
    assert {("钟华明", "组长"), ("刘洋", "副组长"), ("黄斌", "副组长"), ("谢建国", "成员"), ("肖文彬", "成员"),
            ("温静", "办公室主任")} <= roster
    assert all(r.group and "领导小组" in r.group for r in cl.roster)
    (table,) = cl.tables
    assert table["header"] == ["联系领导", "蹲点工作组", "蹲点单位", "组长"]
    # the leader's cell spans two rows: repeated down
    assert ["钟华明", "第二工作组", "赣州经济技术开发区", "温静"] in table["rows"]
    yearly = _find(cl, "2月底前")
    assert [(d.recurrence, d.month, d.day) for d in yearly.deadlines] == [("yearly", 2, 28)]
    assert [(q.min, q.max, q.unit) for q in yearly.quotas] == [(2, 3, "个")]


def test_pdf_notice():
    cl = extract(load(NOTICES / "2024_jiujiang_songqingliang_tongzhi.pdf"))
    plan = _find(cl, "制定本地活动方案")
    assert [(d.recurrence, d.year, d.month, d.day) for d in plan.deadlines] == [("once", 2024, 6, 15)]
    assert plan.actors == ["各县（市、区）总工会"]
    patrol = _find(cl, "巡查一次")
    assert patrol.frequency.every == "month"
    # contact lines are not duties
    assert not any("0792" in o.text for o in cl.obligations)


NOTICE = """某某市总工会文件

某工发〔2024〕5号

某某市总工会关于做好2024年职工书屋建设工作的通知

各县（市、区）总工会：

为推进职工书屋建设，现将有关事项通知如下。

一、工作目标

到2024年底，全市新建职工书屋不少于30家。

二、工作任务

（一）各县（市、区）总工会负责本地职工书屋的申报和初审，每年3月31日前将申报材料报市总工会宣教部。

（二）市总工会宣教部每季度对职工书屋开展一次抽查。

三、工作要求

各单位要高度重视。要加强宣传，营造良好氛围。

联系人：张三，电话：0791-1234567。

某某市总工会

2024年1月10日
"""


def test_a_plain_notice_written_here(tmp_path):
    path = tmp_path / "shuwu.txt"
    path.write_text(NOTICE, encoding="utf-8")
    cl = extract(load(path))
    target = _find(cl, "不少于30家")
    assert [(d.recurrence, d.year, d.month, d.day) for d in target.deadlines] == [("once", 2024, 12, 31)]
    assert [(q.kind, q.min, q.max, q.unit) for q in target.quotas] == [("count", 30, None, "家")]
    assert "为推进职工书屋建设" not in " ".join(o.text for o in cl.obligations)  # purpose, not a duty

    first = _find(cl, "负责本地职工书屋的申报和初审")
    assert first.actors == ["各县（市、区）总工会"] and first.tier == "hard"
    assert [(d.recurrence, d.month, d.day) for d in first.deadlines] == [("yearly", 3, 31)]
    check = _find(cl, "开展一次抽查")
    assert check.actors == ["市总工会宣教部"] and check.frequency.every == "quarter"

    # a short first sentence with a modal word is a duty, not a label heading
    care = _find(cl, "各单位要高度重视")
    assert care.actors == ["各单位"] and care.modality == "must" and care.tier == "hard"
    assert not any("电话" in o.text or "联系人" in o.text for o in cl.obligations)


TIME_FIELDS = """关于举办教职工气排球比赛的通知
各基层工会：
为推动全民健身，院工会决定举办教职工气排球比赛，具体事项如下：
1. 报名截止日期：11月10日。
2. 决赛时间：11月25日下午3:00
3. 领队会议时间：11月15日中午12:30，地点：工会会议室。
4. 各基层工会可组队1支，队员8-10人。
院工会
2022年11月1日
"""


def test_a_time_line_keeps_its_field_name(tmp_path):
    # 报名截止日期：11月10日 is the duty, as annotators mark it; the date alone is too short a part of
    # it to match, and the field's name (领队会议) is not the line's doer
    p = tmp_path / "n.txt"
    p.write_text(TIME_FIELDS, encoding="utf-8")
    doc = load(p)
    items = {o.text: o for o in extract(doc).obligations}
    for text, day in (("报名截止日期：11月10日", (11, 10)), ("决赛时间：11月25日下午3:00", (11, 25)),
                      ("领队会议时间：11月15日中午12:30，地点：工会会议室", (11, 15))):
        o = items[text]
        assert [(d.month, d.day) for d in o.deadlines] == [day]
        assert doc.text[o.start:o.end].replace(" ", "") .startswith(text[:4])
    assert items["领队会议时间：11月15日中午12:30，地点：工会会议室"].actors == ["院工会"]


OPENING_TIME = """关于举办教职工拔河比赛的通知
各分工会：
校工会决定举办教职工拔河比赛，现将有关事项通知如下：
比赛时间：10月20日
比赛地点：东区田径场
一、报名
请各分工会于10月12日前将报名表报送校工会。
校工会
2023年10月6日
"""


def test_a_time_line_in_the_opening_is_a_dated_duty(tmp_path):
    # the lines of a notice's opening are read only when they ask (请, 须); a time line is a dated duty
    # all the same, and the place line beside it stays no duty
    p = tmp_path / "n.txt"
    p.write_text(OPENING_TIME, encoding="utf-8")
    items = {o.text: o for o in extract(load(p)).obligations}
    assert [(d.month, d.day) for d in items["比赛时间：10月20日"].deadlines] == [(10, 20)]
    assert not any("比赛地点" in t for t in items)
