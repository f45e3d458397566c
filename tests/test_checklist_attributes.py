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
    ("定于9月12日―9月23日举行比赛", 9, 23),  # the dash a page read through GBK/CP936 carries (U+2015)
])
def test_deadlines(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text, month, day", [
    ("活动时间：2015年11月1日---12月10日", 12, 10),
    ("3.12月10日前各工会小组报送名单", 12, 10),  # item 3. then the date
    ("评比工作于2013年1月中旬完成", 1, None),
    ("拟定于4月中下旬举办运动会", 4, None),
])
def test_more_deadline_forms(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text, month, day", [
    ("比赛于4月11日、4月12日举行", 4, 12),  # a list of days whose days repeat the month
    ("比赛于4月30日和5月1日举行", 5, 1),
    ("时间：4月11日（周五）、12日（周六）", 4, 12),  # each day with its weekday
    ("计划5月份在图书馆举行读书会", 5, None),  # planned work: its month, as after 于
    ("拟6月8日召开座谈会", 6, 8),
    ("比赛时间为5月下旬", 5, None),  # a part of a month where a set day is read
    ("5月中旬，各分会组织初赛", 5, None),
    ("到2024年7月底，全面完成会员登记", 7, 31),  # a target by a month's close, as 7月底前
    ("截至9月末完成自查", 9, 30),
    ("初步定于4月底举行", 4, None),  # after 定于 the month of a set time
])
def test_lists_of_days_and_month_level_times(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text", ["企业拖欠的11月份工资已全部发放", "今年1-6月份累计支出"])
def test_a_month_named_outside_a_planned_time_is_no_deadline(text):
    assert find_deadlines(text, 2024) == []


def test_a_duty_due_by_the_closing_date_the_notice_states(tmp_path):
    text = ("关于举办羽毛球比赛的通知\n各分会：\n一、比赛时间：6月10日、11日。\n二、报名截止时间为6月4日。\n"
            "三、请各分会于截止日期前将参赛名单报送校工会。\n校工会\n2024年5月20日\n")
    cl = _checklist(text, tmp_path, "n.txt")
    due = [(d.month, d.day) for o in cl.obligations if "参赛名单" in o.text for d in o.deadlines]
    assert due == [(6, 4)]


@pytest.mark.parametrize("text, month, day", [
    ("书法比赛（5月9日下午3:00-4:30在二楼活动室）", 5, 9),  # an event's day in a bracket
    ("征文时间：5月-7月底", 7, 31),  # a span closed by a part of its last month
    ("时间：2024年5月下旬或6月上旬", 6, 10),  # a choice of two: due by the later
    ("请各单位在5月20之前报送", 5, 20),  # typed without 日
    ("请于5月16-17日报到", 5, 17),
    ("11月份召开全体会员大会", 11, None),
])
def test_deadline_forms_of_real_notices(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text", ["于2024年5月至7月开展走访", "每年5月至7月开展", "5月至7月，全面铺开"])
def test_a_bare_span_of_months_is_a_period_not_a_deadline(text):
    assert find_deadlines(text, 2024) == []


@pytest.mark.parametrize("text, iso", [
    ("请于明天中午12点前报送", "2023-04-25"),
    ("请于本周五下班前报送", "2023-04-28"),
    ("请于下周二前报送", "2023-05-02"),
    ("请各部门今天下班前回复", "2023-04-24"),
    ("名单于明天下午交到工会", "2023-04-25"),  # a set day after 于, no 前
    ("拟于本周三、周四晚上演出", "2023-04-27"),  # a list of weekdays: the last
    ("定于下周一、二举行", "2023-05-02"),
])
def test_days_counted_from_the_notice_date(text, iso):
    from nlp.checklist.deadlines import ANCHOR

    token = ANCHOR.set("2023-04-24")  # a Monday
    try:
        d = find_deadlines(text, 2023)
    finally:
        ANCHOR.reset(token)
    assert [f"{x.year}-{x.month:02d}-{x.day:02d}" for x in d] == [iso]
    assert all(x.recurrence == "relative" for x in find_deadlines(text, 2023)) or find_deadlines(text, 2023) == []


# web pages that dropped 月 between month and day (gh.hnuu.edu.cn, dhdengcheng-xgh; made-up sentences)
@pytest.mark.parametrize("text, month, day", [
    ("请各单位于37日前将名单报工会", 3, 7),
    ("务必于1230日前完成", 12, 30),
    ("请于415日(周三)下午5点前报送", 4, 15),
])
def test_a_date_whose_month_character_was_lost(text, month, day):
    d = find_deadlines(text, 2016)
    assert [(x.month, x.day, x.year) for x in d] == [(month, day, 2016)]


# a window the notice opens (gh.shutcm.edu.cn, shaoyanpeng.com; made-up sentences): due by its last day
@pytest.mark.parametrize("text, month, day", [
    ("征集时间：即日起至6月30日", 6, 30),
    ("报名时间：即日起到2010年11月4日（周五）16∶00止", 11, 4),
    ("即日起—5月8日", 5, 8),
])
def test_a_window_from_today_is_due_by_its_last_day(text, month, day):
    assert [(x.month, x.day) for x in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text", ["于12日前报送", "共37日前往", "请于111日前报送", "30日内完成", "第305日前"])
def test_numbers_before_ri_that_are_no_lost_month(text):
    assert all(x.recurrence == "relative" for x in find_deadlines(text, 2016))


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
    ("每单位推荐2―4件作品", 2, 4),  # U+2015, as a GBK page has it
    ("视频时长15秒到90秒", 15, 90),
    ("每队演唱两首歌曲", 2, 2),
    ("男、女各一队", 1, 1),
    ("3.4个课时", 4, 4),  # item 3. followed by 4个课时
])
def test_quotas(text, mn, mx):
    assert [(q.min, q.max) for q in find_quotas(text)] == [(mn, mx)]


@pytest.mark.parametrize("text, mn, mx", [
    ("每个学院推荐名额2个", None, 2),  # places allotted: at most that many
    ("推荐名额为3名", None, 3),
    ("到会会员须超过全体会员的2/3", 66.67, None),
    ("每单位可报领队一人", 1, 1),
    ("本学期组织一次座谈会", 1, 1),
    ("提交作品30幅左右", 30, 30),  # an approximation reads as its value
    ("最高资助金额为1.5万元", None, 15000),  # a cap named before the sum it caps, 万 converted
    ("每户最高补助限额为800元", None, 800),
])
def test_more_quota_forms(text, mn, mx):
    assert [(q.min, q.max) for q in find_quotas(text)] == [(mn, mx)]


@pytest.mark.parametrize("text, mn, mx", [
    ("市总工会安排专项经费不少于80 万", 800000, None),
    ("区财政安排配套资金（30万）用于职工疗休养", 300000, 300000),
    ("每所学校资助金额最高5万", None, 50000),
])
def test_a_sum_in_wan_without_yuan_is_money(text, mn, mx):
    assert [(q.kind, q.min, q.max, q.unit) for q in find_quotas(text)] == [("money", mn, mx, "元")]


@pytest.mark.parametrize("text", ["宣传视频阅读量达10万", "服务全市12万职工", "征文限3万字以内的作品"])
def test_wan_with_no_money_before_it_or_a_word_after_it_is_no_sum(text):
    assert all(q.kind != "money" for q in find_quotas(text))


@pytest.mark.parametrize("text", ["一次性补助", "实行一人一档", "时间为2/3", "名额分配到各单位"])
def test_words_that_look_like_the_new_quota_forms(text):
    assert find_quotas(text) == []


@pytest.mark.parametrize("text", ["坚持两个维护", "落实四项任务", "期限为三年的规划"])
def test_names_with_numbers_are_no_quota_of_the_new_kinds(text):
    assert all(q.unit not in ("份", "首", "队", "幅") for q in find_quotas(text))


NOTICE = """关于举办教职工拔河比赛的通知
各分工会：
为丰富教职工文化生活，校工会决定举办拔河比赛。现将有关事项通知如下：
一、参赛要求
每个分工会限报一队，每队12人。所有参赛人员须穿运动鞋。
二、报名
请各分工会于5月10日（周五）下班前将报名表报校工会办公室。
校工会
2024年4月28日
"""


def _checklist(text: str, tmp_path, name: str):
    from ingest.load import load
    from nlp.checklist import extract

    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return extract(load(p))


def test_traditional_page_reads_like_simplified_and_keeps_its_script(tmp_path):
    from opencc import OpenCC

    trad = OpenCC("s2t").convert(NOTICE)
    assert trad != NOTICE
    simple = _checklist(NOTICE, tmp_path, "s.txt")
    cl = _checklist(trad, tmp_path, "t.txt")
    assert len(cl.obligations) == len(simple.obligations) > 0
    for o, s in zip(cl.obligations, simple.obligations):
        assert o.text in trad  # the page's own characters, verbatim
        assert [(d.month, d.day) for d in o.deadlines] == [(d.month, d.day) for d in s.deadlines]
        assert [(q.min, q.max) for q in o.quotas] == [(q.min, q.max) for q in s.quotas]
        assert len(o.actors) == len(s.actors) and all(a in trad for a in o.actors)
    assert cl.document["issuer"] == OpenCC("s2t").convert("校工会")


def test_people_named_as_the_doers(tmp_path):
    cl = _checklist(NOTICE, tmp_path, "s.txt")
    shoes = next(o for o in cl.obligations if "运动鞋" in o.text)
    assert shoes.actors == ["所有参赛人员"]
    form = next(o for o in cl.obligations if "报名表" in o.text)
    assert form.actors == ["各分工会"] and (form.deadlines[0].month, form.deadlines[0].day) == (5, 10)


EVENT = """关于举办教职工趣味运动会的通知
各分工会：
一、时间
2024年5月25日（星期六）上午8:30
二、报名
请各分工会于5月10日前将报名表报校工会。3月20日（周四）下午5点前各单位将名单报送校工会办公室。
校工会
2024年4月28日
"""


def test_event_time_is_the_issuers_and_a_date_before_the_doer(tmp_path):
    cl = _checklist(EVENT, tmp_path, "e.txt")
    when = next(o for o in cl.obligations if o.text.startswith("2024年5月25日"))
    assert when.actors == ["校工会"]
    names = next(o for o in cl.obligations if "名单报送" in o.text)
    assert names.actors == ["各单位"]


@pytest.mark.parametrize("text, word", [
    ("请各单位接通知后立即组织报名", "接通知后"),
    ("并于会后将有关材料报工会备案", "会后"),
    ("比赛前需提供本人工作证", "比赛前"),
    ("放假前走访慰问困难职工", "放假前"),
    ("代表选出后，各分会将结果报送工会", "代表选出后"),
    ("申请报告须提前一周报工会", "提前一周"),
    ("全体参会人员应提前10分钟进入会场", "提前10分钟"),  # minutes and half an hour too (sasu, yyvtc)
    ("请各队提前半小时到场热身", "提前半小时"),
])
def test_times_counted_from_an_event_of_the_notice(text, word):
    assert [(d.text, d.recurrence, d.month, d.day) for d in find_deadlines(text, 2024)] == [(word, "relative", None, None)]


@pytest.mark.parametrize("text", ["活动前期做好宣传", "会议期间保持手机静音", "社会后勤服务"])
def test_event_words_that_are_no_time(text):
    assert find_deadlines(text, 2024) == []


@pytest.mark.parametrize("text, word", [
    ("各分会接到通知后马上组织摸底", "接到通知后"),
    ("请在通知下发后立即着手准备", "通知下发后"),
    ("收到本通知后3个工作日内报送名单", "收到本通知后3个工作日内"),
])
def test_notice_receipt_with_urgency_is_a_relative_deadline(text, word):
    assert [(d.text, d.recurrence) for d in find_deadlines(text, 2024)] == [(word, "relative")]


@pytest.mark.parametrize("text, word", [
    ("希望各分会接到通知后，认真做好推荐工作", "接到通知后"),
    ("要求各基层工会在接到通知后及时选派队员", "接到通知后"),
    ("各基层工会收到比赛通知以后要组织初赛", "收到比赛通知以后"),
])
def test_notice_receipt_alone_is_a_relative_deadline(text, word):
    # ruling 7 (corpora/annotations/checklist/README.md): no urgency word is needed; 及时 adds nothing
    assert [(d.text, d.recurrence) for d in find_deadlines(text, 2024)] == [(word, "relative")]


def test_notice_receipt_and_a_date_are_two_deadlines():
    found = find_deadlines("各单位接通知后落实参训人员，并于3月20日前上报名单", 2024)
    assert [(d.recurrence, d.month, d.day) for d in found] == [("relative", None, None), ("once", 3, 20)]


@pytest.mark.parametrize("text", [
    "本次比赛设一等奖1名、二等奖3名、三等奖5名",
    "比赛设团体奖（东校区3个，西校区2个）和参与奖",
    "所有参赛者均获纪念奖一份",
    "各组按成绩取前六名颁发奖品",
    "对获得前三名的代表队，校工会将予以表彰",
    "拟设一等奖2名，价值500元奖品",
])
def test_prize_counts_are_no_quotas(text):
    assert find_quotas(text, prizes=False) == []


@pytest.mark.parametrize("text, value", [
    ("市总工会给予每位获奖职工2000元奖励", (2000, 2000)),
    ("每单位推荐前3名人选", (3, 3)),
    ("各分会推荐一等奖候选人2名", (2, 2)),
])
def test_sums_granted_and_places_asked_stay_quotas(text, value):
    assert [(q.min, q.max) for q in find_quotas(text, prizes=False)] == [value]


@pytest.mark.parametrize("clause, names", [
    ("请与会人员注意交通安全", ["与会人员"]),
    ("参加活动人员一律于当日上午8点到校集中", ["参加活动人员"]),
    ("因故不能出席的会员代表应提前请假", ["因故不能出席的会员代表"]),
    ("各支会要提前组织排练", ["各支会"]),
    ("校工会要求各分工会认真组织报名", ["各分工会"]),  # the body asked does the task
])
def test_doers_named_by_what_they_do_or_by_who_asks_them(clause, names):
    from nlp.checklist.actors import clause_actors

    assert list(clause_actors(clause).names) == names


MEETING = """关于召开教职工代表大会的通知
各分工会：
经研究，学校第五届教职工代表大会定于6月13日（周二）在学术报告厅召开。现将有关事项通知如下：
一、会议安排
全体代表上午8:00签到，8:30准时开会。
二、有关要求
请各分工会认真总结本单位年度工作，字数不少于3000字。
校工会
2024年6月1日
"""


def test_a_clock_time_is_on_the_event_day_and_a_measure_cut_off_qualifies_the_duty(tmp_path):
    cl = _checklist(MEETING, tmp_path, "m.txt")
    sign_in = next(o for o in cl.obligations if "签到" in o.text)
    assert [(d.month, d.day) for d in sign_in.deadlines] == [(6, 13)]
    summary = [o for o in cl.obligations if "认真总结" in o.text]
    assert summary and all((q.min, q.max) == (3000, None) for o in summary for q in o.quotas)
    assert any(q.min == 3000 for o in summary for q in o.quotas)


@pytest.mark.parametrize("text, every", [
    ("走访慰问一年一次", "year"),
    ("工作例会原则上一个月一次", "month"),
    ("安全检查一季度一报", "quarter"),
    ("半年一次集中通报", "half-year"),
])
def test_once_per_period_is_a_frequency(text, every):
    from nlp.checklist.frequency import find_frequencies

    assert [f.every for f in find_frequencies(text)] == [every]


@pytest.mark.parametrize("text", ["上半年一次性发放", "第一年一次性补助", "一年一度的评选"])
def test_one_period_is_no_frequency(text):
    from nlp.checklist.frequency import find_frequencies

    assert find_frequencies(text) == []


def test_a_clock_time_in_words_is_on_the_event_day_too(tmp_path):
    text = MEETING.replace("全体代表上午8:00签到，8:30准时开会。", "全体代表须于上午七点半前签到。")
    cl = _checklist(text, tmp_path, "m2.txt")
    sign_in = next(o for o in cl.obligations if "签到" in o.text)
    assert [(d.month, d.day) for d in sign_in.deadlines] == [(6, 13)]


@pytest.mark.parametrize("line", ["全体代表须于当日14点10分在大厅集中入场。", "全体代表须于当天上午820分前到大厅签到。"])
def test_a_time_on_the_same_day_is_on_the_event_day(tmp_path, line):
    # a clock in 点…分, or one whose colon the page lost, after 当日/当天
    text = MEETING.replace("全体代表上午8:00签到，8:30准时开会。", line)
    cl = _checklist(text, tmp_path, "m3.txt")
    item = next(o for o in cl.obligations if "当" in o.text)
    assert [(d.month, d.day) for d in item.deadlines] == [(6, 13)]


@pytest.mark.parametrize("text", [
    "走访慰问一年一次", "工作例会原则上一个月一次", "安全检查一季度一报", "半年一次集中通报", "每月5日前报送",
    "双月召开例会", "每季度通报一次", "季度小结", "年度考核", "按月报送", "逐季度分析", "按季度报送", "每人每年500元", "每周三下午",
    "半个月一次调度", "一周一次", "一星期一次", "一天一报", "每学年评选一次",
])
def test_the_cheap_frequency_test_never_skips_a_frequency(text):
    from nlp.checklist.frequency import find_frequencies, may_hold

    assert find_frequencies(text) and may_hold(text)


NAMED_DEADLINE = """关于征集职工摄影作品的通知
各基层工会：
为展示职工风采，市总工会决定征集职工摄影作品。作品征集截止5月20日。
请各基层工会广泛发动职工参加，于截止日期前将作品报市总工会宣传部。
市总工会
2024年4月8日
"""


def test_a_duty_due_by_the_deadline_named_elsewhere_takes_its_date(tmp_path):
    assert [(d.recurrence, d.month) for d in find_deadlines("于截止日期前将作品报送", 2024)] == [("relative", None)]
    cl = _checklist(NAMED_DEADLINE, tmp_path, "n.txt")
    send = next(o for o in cl.obligations if "报市总工会宣传部" in o.text)
    assert [(d.month, d.day) for d in send.deadlines] == [(5, 20)]


def test_a_named_deadline_stays_open_where_the_notice_names_two_dates(tmp_path):
    # two closing dates stated (a closing date stated wins over the dates duties name: see below)
    text = NAMED_DEADLINE.replace("请各基层工会广泛", "初评截止5月28日。请各基层工会广泛")
    cl = _checklist(text, tmp_path, "n2.txt")
    send = next(o for o in cl.obligations if "报市总工会宣传部" in o.text)
    assert all(d.month is None for d in send.deadlines)


PRIZES = """关于举办教职工象棋比赛的通知
各分工会：
为丰富教职工文化生活，校工会定于5月20日举办象棋比赛。
一、请各分工会于5月10日前将报名表报校工会，每个分工会限报3人。
二、本届设一等奖1名，二等奖2名，三等奖3名，各组取前六名颁发奖品。
校工会
2024年4月28日
"""


def test_a_checklist_shows_no_prize_count_as_a_quota(tmp_path):
    cl = _checklist(PRIZES, tmp_path, "p.txt")
    entry = next(o for o in cl.obligations if "限报" in o.text)
    assert (None, 3) in [(q.min, q.max) for q in entry.quotas]
    prizes = [o for o in cl.obligations if "等奖" in o.text or "前六名" in o.text]
    assert prizes and all(not o.quotas for o in prizes)


MEET = """关于举办教职工运动会的通知
各分工会：
学校将于10月15-16日举办秋季运动会，教职工趣味项目将于10月15日在东区体育场进行。现将有关事项通知如下：
1.请各分工会组织入场方队，7:30东区体育场集合；
2.请各分工会于10月8日前将报名表报送校工会。
校工会
2024年9月20日
"""


def test_a_clock_time_is_on_the_day_of_the_event_line_before_it_when_the_notice_names_several(tmp_path):
    cl = _checklist(MEET, tmp_path, "meet.txt")
    line_up = next(o for o in cl.obligations if "集合" in o.text)
    assert [(d.month, d.day) for d in line_up.deadlines] == [(10, 15)]
    report = next(o for o in cl.obligations if "报名表" in o.text)
    assert [(d.month, d.day) for d in report.deadlines] == [(10, 8)]


@pytest.mark.parametrize("text, month, day", [
    ("培训时间：2019年4月11日、12日晚上分两场举行", 4, 12),  # an event over a list of days
    ("下周二、三（9月3、4日）下午3:00在东操场", 9, 4),  # the first day typed without 日
    ("演出定于12月2日、3日和5日晚上", 12, 5),
])
def test_a_list_of_days_is_due_by_the_last(text, month, day):
    assert [(d.month, d.day) for d in find_deadlines(text, 2024)] == [(month, day)]


@pytest.mark.parametrize("text, bounds", [
    ("各院系限报教师、学生代表各2名，每队另配教练1人", [(None, 2), (1, 1)]),  # the bound word before 各N
    ("每个街道至少建成职工书屋和爱心驿站各3个", [(3, None)]),
    ("每位选手只能报名一个项目", [(None, 1)]),
    ("每名会员只允许提交两件作品", [(None, 2)]),
    ("限报4人，男女各2名", [(None, 4), (2, 2)]),  # a bound with its own number bounds only that
    ("每个代表队可配领队、队医各1名", [(1, 1)]),
])
def test_a_bound_word_earlier_in_the_clause(text, bounds):
    assert [(q.min, q.max) for q in find_quotas(text)] == bounds


@pytest.mark.parametrize("text, found", [
    ("混双每单位可报2对", [(2, 2, "对")]),
    ("每个部门选派一对夫妻参加", [(1, 1, "对")]),
    ("开展一对一帮扶", []),  # 对 as no count
    ("做好结对帮扶和对接工作", []),
])
def test_pairs_fielded_in_doubles(text, found):
    assert [(q.min, q.max, q.unit) for q in find_quotas(text)] == found


# a one-off day with no year of its own: the notice's year, or the next one when the day lies
# more than a month before the notice (a December notice asking for reports 1月底前)
@pytest.mark.parametrize("text, notice, iso", [
    ("各基层工会于1月底前报送总结", "2021-12-06", "2022-01-31"),
    ("请于3月10日前上报名单", "2021-11-15", "2022-03-10"),
    ("请于2月底前完成自查", "2023-12-01", "2024-02-29"),  # the next year's February end
    ("请于4月1日前上报名单", "2021-04-12", "2021-04-01"),  # a few days back: the notice's own year
    ("各单位于2021年1月底前报送总结", "2021-12-06", "2021-01-31"),  # a printed year stands
    ("请于6月30日前报送材料", "2021-03-02", "2021-06-30"),
])
def test_a_one_off_day_before_the_notice_date_is_next_year(text, notice, iso):
    from nlp.checklist.deadlines import ANCHOR

    token = ANCHOR.set(notice)
    try:
        d = find_deadlines(text, int(notice[:4]))
    finally:
        ANCHOR.reset(token)
    assert [f"{x.year}-{x.month:02d}-{x.day:02d}" for x in d if x.recurrence == "once"] == [iso]



@pytest.mark.parametrize("text, word", [
    ("投稿时须写明作者所在部门和手机号码", "投稿时"),
    ("各工会小组上报时附上推荐理由", "上报时"),
    ("作品不少于3件报送时注明作者单位", "报送时"),
    ("预报名时一并提交子女身份证复印件", "预报名时"),
])
def test_a_step_timed_by_the_act_of_handing_in_is_a_relative_deadline(text, word):
    # the annotators read 报送时注明… as a relative deadline (README of checklist-pages12 and 13)
    from nlp.checklist.deadlines import act_times

    assert [(d.text, d.recurrence, d.month, d.day) for d in act_times(text, 2024)] == [(word, "relative", None, None)]


@pytest.mark.parametrize("text", ["报名时间另行通知", "报送时限以邮件为准", "登山时注意人身安全", "撰写论文时注意格式",
                                  "请于5月20日结束前完成"])  # (a date read already)
def test_other_acts_and_time_words_after_them_are_no_act_time(text):
    from nlp.checklist.deadlines import act_times

    assert act_times(text, 2024) == []


@pytest.mark.parametrize("text, word", [
    ("各队须在开幕式开始前20分钟完成检录", "开幕式开始前20分钟"),
    ("请于本学期结束前完成小组评议", "本学期结束前"),
    ("双方队长赛前十分钟提交出场名单", "赛前十分钟"),
])
def test_a_time_before_an_event_starts_or_ends_is_a_relative_deadline(text, word):
    from nlp.checklist.deadlines import act_times

    assert [(d.text, d.recurrence, d.month, d.day) for d in act_times(text, 2024)] == [(word, "relative", None, None)]


@pytest.mark.parametrize("text", ["选拔赛前5名进入决赛", "活动开始前期做好宣传发动"])
def test_ranks_and_periods_before_an_event_are_no_act_time(text):
    from nlp.checklist.deadlines import act_times

    assert act_times(text, 2024) == []


def test_act_times_are_no_feature_of_the_learned_stages():
    # find_deadlines feeds the split and duty stages' features: it reads these forms as before
    assert find_deadlines("投稿时须写明作者所在部门", 2024) == []
    assert find_deadlines("请于本学期结束前完成小组评议", 2024) == []


ACT_TIMES = """关于征集教职工读书心得的通知
各分工会：
为营造书香校园，校工会决定征集教职工读书心得。
一、各分工会于5月15日前将读书心得报校工会。
二、投稿时请各分工会注明作者姓名和联系电话。
三、颁奖仪式开始前15分钟，获奖教职工到礼堂签到。
校工会
2024年4月20日
"""


def test_an_item_timed_by_an_act_gets_its_relative_deadline(tmp_path):
    cl = _checklist(ACT_TIMES, tmp_path, "acts.txt")
    note = next(o for o in cl.obligations if "注明作者姓名" in o.text)
    assert [(d.text, d.recurrence) for d in note.deadlines] == [("投稿时", "relative")]
    sign = next(o for o in cl.obligations if "签到" in o.text)
    assert ("颁奖仪式开始前15分钟", "relative") in [(d.text, d.recurrence) for d in sign.deadlines]
    due = next(o for o in cl.obligations if "读书心得报校工会" in o.text)
    assert [(d.month, d.day) for d in due.deadlines] == [(5, 15)]


# dates a page printed with a part lost or a template's placeholder (huvtc.edu.cn, lnpc.edu.cn, zuel.edu.cn,
# tsinghua, 99spj.com, alatiku.com; made-up sentences): read by `lost_dates`, after the learned stages
@pytest.mark.parametrize("text, anchor, due", [
    ("演讲稿务必于516前交到分工会王老师处", "2021-05-02", [("516前", 5, 16, 2021)]),  # 月 and 日 dropped
    ("职工书屋申报截止时间为123日，请将材料发送到邮箱", "2023-11-25", [("123日", 12, 3, 2023)]),  # 1-23 or 12-3
    ("维修申报截止时间：2022517", "2022-05-06", [("2022517", 5, 17, 2022)]),  # a year glued on
    ("在活动时间段（412?526日）内自行完成即可", "2022-04-01", [("412?526日", 5, 26, 2022)]),  # a garbled dash
    ("20xx年6月15日（周三）9点整（暂定）。", None, [("20xx年6月15日（周三）9点", 6, 15, None)]),  # a template's year
    ("本单位工会拟20**年元月下旬举办迎春茶话会", "2019-12-02", [("20**年元月下旬", 1, None, 2019)]),
    ("定于2021年元月9日召开工会委员会", "2020-12-20", [("2021年元月9日", 1, 9, 2021)]),  # 元月 is 1月
])
def test_a_date_printed_with_a_part_lost_or_a_placeholder(text, anchor, due):
    from nlp.checklist.deadlines import lost_dates

    year = int(anchor[:4]) if anchor else None
    assert find_deadlines(text, year) == []  # (the reader the learned stages take their features from: none)
    assert [(d.text, d.month, d.day, d.year) for d in lost_dates(text, year, anchor)] == due


@pytest.mark.parametrize("text", ["请于111日前报送", "于2023前完成", "录取前100名", "共有350名职工参加", "于5月20日前报送",
                                  "工作满20年以上的职工", "职工书屋申报截止时间为123日"])
def test_numbers_that_are_no_lost_date(text):
    # 111: 1-11 or 11-1; 2023 and 100 read as no month and day; 123 with no notice date: 1-23 or 12-3
    from nlp.checklist.deadlines import lost_dates

    assert lost_dates(text, 2024) == []


def test_lost_dates_join_the_items_after_the_learned_stages():
    from nlp.checklist.actor_model import fallback_rules
    from nlp.checklist.deadlines import Deadline
    from nlp.checklist.extract import Checklist, Obligation

    def item(text, deadlines=()):
        return Obligation(id="x", text=text, section=[], actors=["分工会"], action="报送", modality="须", tier="hard",
                          deadlines=list(deadlines), start=0, end=len(text))

    cl = Checklist(document={"date": None, "published": "2021-05-02"}, roster=[], tables=[],
                   obligations=[item("演讲稿务必于516前交到分工会王老师处"),
                                item("作品于5月10日前报送", [Deadline("5月10日前", "once", 5, 10, 2021)])])
    cl = fallback_rules(cl)
    assert [[(d.month, d.day, d.year) for d in o.deadlines] for o in cl.obligations] == [[(5, 16, 2021)], [(5, 10, 2021)]]
