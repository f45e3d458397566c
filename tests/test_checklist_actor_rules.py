"""Who acts in a clause (nlp.checklist.actors.clause_actors) where real notices name the
doer after a lead word: 要求X / 请X, a time word before the doer, a body asked in a later
comma clause. Self-written sentences."""
from __future__ import annotations

import pytest

from nlp.checklist.actors import clause_actors


def _rules_items(tmp_path, text: str):
    """The rules path's checklist items for a notice written to a file and read as a user's."""
    from ingest.load import load
    from nlp.checklist.extract import extract_rules

    src = tmp_path / "n.txt"
    src.write_text(text, encoding="utf-8")
    return extract_rules(load(src)).obligations


@pytest.mark.parametrize("clause, names", [
    ("要求各部门组织本部门职工报名", ["各部门"]),          # 要求 before the doer, not 要 + 求…
    ("请参赛选手自带球拍", ["参赛选手"]),                # 请 + people, no modal word after them
    ("赛前各代表队应到检录处签到", ["各代表队"]),          # a time word before the doer
    ("要求各分会至少组织一次观影活动", ["各分会"]),        # 至少 + a verb: the body acts
    ("参赛员工须自备运动服装", ["参赛员工"]),              # 员工 / 运动员 name people who act
    ("报名的运动员需携带身份证", ["报名的运动员"]),
])
def test_doer_after_a_lead_word(clause, names):
    m = clause_actors(clause)
    assert m is not None and list(m.names) == names


@pytest.mark.parametrize("clause", [
    "并于会后将签到表的复印件报区工会",  # a preposition phrase is no qualified name
    "专职工作人员至少3名",              # the subject is a measure, not a doer
    "每队12人",                         # a team counted: the units that field it act
    "每队报名人数10-12人",
    "每支队伍人数为8人",
    "参加投票的会员必须超过全体会员的一半",  # a quorum: the count of those people is measured
    "申报表经单位负责人签字后报区工会",  # a thing whose handling a body signs
    "领队会定于6月2日在体育馆召开",  # the event is the subject, the people in its name do not act
    "教职工拔河比赛将于5月9日举行",
    "9月3日上午9:30(工人文化宫二楼报告厅)召开队长会议",  # a place in brackets is no subject
    "各项工作要落实到位",  # 各项 / 各类 name things, not units
    "各类材料须于5月1日前报送",
])
def test_no_doer(clause):
    assert clause_actors(clause) is None


@pytest.mark.parametrize("clause, names", [
    ("每个支会集体演唱两首歌曲", ["每个支会"]),  # a distributive body that acts stays the doer
    ("每位教职工可报送3幅作品", ["每位教职工"]),
    ("各队须于5月1日前报名", ["各队"]),
    # 各 + a unit word the head list lacks, bound right after (jieba glues some into one idiom token)
    ("各教研室须于5月1日前报送名单", ["各教研室"]),
    ("各处室要认真组织", ["各处室"]),
    ("成员由各科室负责人组成", ["各科室负责人"]),  # 负责人 is the name's end, not 负责
    ("各年段要按时参加", ["各年段"]),
    ("各二级党组织要积极推荐", ["各二级党组织"]),
    # the issuing school naming itself before its act
    ("我校将于10月8日举办运动会", ["我校"]),
    ("本院决定于3月1日起开展长跑活动", ["本院"]),
])
def test_each_body_that_acts_is_the_doer(clause, names):
    m = clause_actors(clause)
    assert m is not None and list(m.names) == names


def test_a_counted_team_goes_to_the_units_that_field_it(tmp_path):
    """男、女各一队，每队12人 under the units' own line: the units, not 每队."""
    items = _rules_items(tmp_path, "关于举办教职工排球赛的通知\n各部门工会：\n校工会定于5月举办教职工排球赛。现将有关事项通知如下：\n"
                                   "一、报名办法\n各单位可报领队一人。每队12人，另设替补2人。\n"
                                   "校工会\n2024年4月1日\n")
    counted = [o for o in items if "每队12人" in o.text]
    assert counted and all("每队" not in o.actors for o in counted)


def test_asked_is_marked():
    assert clause_actors("请各基层工会积极组织").asked
    assert not clause_actors("各基层工会要积极组织").asked


def test_body_asked_in_a_later_clause_acts(tmp_path):
    """区总工会近日发文…，请各基层工会…: the checklist names the body asked."""
    from ingest.load import load
    from nlp.checklist.extract import extract

    src = tmp_path / "n.txt"
    src.write_text("关于组织参加职工书法比赛的通知\n各基层工会：\n"
                   "近日区总工会下发通知，将举办职工书法比赛，请各基层工会广泛发动，于6月10日前报送作品。\n"
                   "某某街道总工会\n2024年5月6日\n", encoding="utf-8")
    items = [o for o in extract(load(src)).obligations if "作品" in o.text]
    assert items and all("各基层工会" in o.actors and "区总工会" not in o.actors for o in items)


@pytest.mark.parametrize("name, parts", [
    ("各开发区、区县（市）总工会", ["各开发区总工会", "区县（市）总工会"]),  # a conjunct with a bracketed place list
    ("各市州、县市区总工会", ["各市州总工会", "县市区总工会"]),
    ("市、县两级工会", ["市、县两级工会"]),  # one-character conjuncts: a level, not two bodies
    # the shared body word with its own bracket or 组织 (the annotators restore it on each)
    ("各镇（街道）、市直产业（行业）工会组织", ["各镇（街道）工会组织", "市直产业（行业）工会组织"]),
    ("各镇（街道）、产业（行业）工会（工委）", ["各镇（街道）工会（工委）", "产业（行业）工会（工委）"]),
    # two whole names, the first with its own bracket after the body word
    ("各镇（街道）（总）工会（委）、有关产业（行业）工会（工委）", ["各镇（街道）（总）工会（委）", "有关产业（行业）工会（工委）"]),
])
def test_shared_body_word_restored(name, parts):
    from nlp.checklist.actors import split_coordination

    assert split_coordination(name) == parts


@pytest.mark.parametrize("clause, names", [
    ("各镇（街道）、市直产业（行业）工会组织负责受理申请", ["各镇（街道）工会组织", "市直产业（行业）工会组织"]),
    ("各镇（街道）（总）工会（委）、有关产业（行业）工会（工委）须在5个工作日内上报",
     ["各镇（街道）（总）工会（委）", "有关产业（行业）工会（工委）"]),
    ("各县（区）总工会要做好统计", ["各县（区）总工会"]),
])
def test_place_bracketed_bodies_at_the_head(clause, names):
    m = clause_actors(clause)
    assert m is not None and list(m.names) == names


def test_addressees_split_the_recipient_list():
    from nlp.checklist.actors import addressees

    assert addressees(["各开发区、区县（市）总工会", "市直各基层工会"]) == ["各开发区总工会", "区县（市）总工会", "市直各基层工会"]


def test_tagger_spans_must_end_on_a_doer_word():
    from nlp.checklist.actor_model import _named

    assert _named("各基层工会") and _named("参赛职工") and _named("市总")
    assert not _named("参赛作品") and not _named("各类")
    assert not _named("经区委组织部")  # a preposition's object is no subject
    assert not _named("申请人向所在单位工会")


@pytest.mark.parametrize("name", [
    "宣传统战部", "宣传部", "组织部",          # a department named after its remit (宣传, 组织 are task verbs too)
    "有意向申报的单位", "参加线下比赛的老师",  # a relative clause before its people or unit head
    "参加活动人员", "参加教师",               # 参加 + the participants
    "经手人", "与会人员", "洋浦经济开发区工会",  # 经 / 与 / 向 inside a word, not a preposition
])
def test_names_that_open_on_a_verb_or_hold_a_preposition_character(name):
    from nlp.checklist.actor_model import may_be_subject

    assert may_be_subject(name, 0, len(name))


@pytest.mark.parametrize("name", ["建立健全政府和工会部门", "加强工会组织", "在各单位", "经二级党委", "申请人向所在单位工会"])
def test_a_task_verb_or_a_preposition_before_a_name_is_still_no_subject(name):
    from nlp.checklist.actor_model import may_be_subject

    assert not may_be_subject(name, 0, len(name))


def _item(actors, source="clause", text="各单位做好工作"):
    from nlp.checklist.extract import Obligation

    return Obligation(id="x", text=text, section=[], actors=list(actors), action=text, modality="须", tier="hard",
                      actor_source=source)


def test_a_count_read_into_a_clause_doer_is_cut_off():
    """每个分会选派3名教职工 names 每个分会; 每场比赛选派5名队员 and (体育中心 name no one, and the item goes
    back to the notice-wide fallback for the learned readers; a count opening a name qualifies it."""
    from nlp.checklist.actor_model import no_names
    from nlp.checklist.extract import Checklist

    items = [_item(["每个分会选派3名教职工"]), _item(["每队", "每场比赛选派5名队员"]),
             _item(["(体育中心"]), _item(["100名教职工以上工会"]), _item(["各单位", "教练二人(男、女队"])]
    cl = Checklist(document={"recipients": ["各分会"], "issuer": "某某大学工会"}, obligations=items, roster=[], tables=[])
    no_names(cl)
    assert [o.actors for o in cl.obligations] == [["每个分会"], ["每队"], ["各分会"], ["100名教职工以上工会"], ["各单位"]]
    assert [o.actor_source for o in cl.obligations] == ["clause", "clause", "document", "clause", "clause"]


NOTICE = """关于开展职工读书月活动的通知
各基层工会：
为丰富职工文化生活，现将有关事项通知如下：
一、活动内容
各基层工会要组织职工开展读书分享活动。
二、工作要求
各分会要高度重视，认真组织，确保活动取得实效。
于6月20日前将活动总结报送区总工会办公室。
请各分会认真组织推荐。并于6月25日前报送推荐名单。
某某区总工会
2024年5月6日
"""


def test_a_sections_doer_goes_on_to_its_subjectless_duties(tmp_path):
    items = _rules_items(tmp_path, NOTICE)
    summary = next(o for o in items if "活动总结" in o.text)
    assert summary.actors == ["各分会"]  # the section's doer, not the 主送 unit
    names = next(o for o in items if "推荐名单" in o.text)
    assert names.actors == ["各分会"]  # 并于…: the sentence goes on from the one before


@pytest.mark.parametrize("opening, who", [
    ("为丰富职工生活，经校工会研究，决定举办趣味运动会。", "校工会"),
    ("为庆祝三八节，区总工会研究决定，开展女职工读书活动。", "区总工会"),
    ("根据院工会2024年工作计划，现将有关事项通知如下：", "院工会"),
    ("经研究，决定举办职工运动会。", None),  # no body named
    ("为活跃职工生活，机关工会将于10月中旬举办乒乓球比赛。", "机关工会"),  # the body that will hold it
    ("教职工运动会将于10月中旬举行。", None),  # the event itself is no organiser
])
def test_organiser_named_in_the_opening(opening, who):
    from nlp.checklist.extract import organiser

    assert organiser(opening) == who


EVENT = """关于举办职工趣味运动会的通知
各分工会：
为丰富教职工业余生活，经校工会研究，决定举办职工趣味运动会。现将有关事项通知如下：
一、活动时间
2024年5月18日上午
二、报名要求
各分工会须于5月10日前将报名表报送校工会办公室。
某某学院工会委员会
2024年4月20日
"""


def test_the_events_own_date_goes_to_its_organiser(tmp_path):
    items = _rules_items(tmp_path, EVENT)
    day = next(o for o in items if o.text.startswith("2024年5月18日"))
    assert day.actors == ["校工会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各分工会"]


def test_an_event_time_line_whose_number_the_page_dropped_goes_to_its_organiser(tmp_path):
    # a scraped page kept the 、 of 一、 but not its numeral
    text = EVENT.replace("一、活动时间\n2024年5月18日上午", "、比赛时间：2024年5月中旬，具体时间另行通知")
    items = _rules_items(tmp_path, text)
    day = next(o for o in items if "2024年5月中旬" in o.text)
    assert day.actors == ["校工会"]


CAMPAIGN = """关于开展职工健步走活动的通知
各工会小组：
为增强职工体质，经校工会研究，决定开展职工健步走活动。现将有关事项通知如下：
一、活动时间
2024年4月1日至5月31日
二、比赛时间
2024年6月3日至6月5日
三、活动要求
请各工会小组认真组织，于6月10日前报送活动总结。
四、读书月
定于2024年7月1日至8月31日开展读书月活动。
某某学院工会委员会
2024年3月20日
"""


def test_a_window_of_weeks_is_the_addressees_not_the_organisers_event(tmp_path):
    items = _rules_items(tmp_path, CAMPAIGN)
    campaign = next(o for o in items if o.text.startswith("2024年4月1日"))
    assert campaign.actors == ["各工会小组"]  # two months in which the groups walk
    match = next(o for o in items if o.text.startswith("2024年6月3日"))
    assert match.actors == ["校工会"]  # three days of the organiser's own match
    decided = next(o for o in items if "读书月" in o.text)
    assert decided.actors == ["校工会"]  # a decision line is the deciding body's, however long


DECIDED = """关于评选优秀工会积极分子的通知
各分工会：
根据院工会2024年工作计划，现将有关事项通知如下：
一、评选安排
决定组织评选2024年度优秀工会积极分子，各分工会推荐不超过2名。
二、颁奖时间
颁奖仪式当天（拟定于5月20日下午）
三、推荐要求
各分工会须于5月10日前报送推荐表。
某某学院工会委员会
2024年4月20日
"""


def test_a_decision_line_and_a_bracketed_event_date_go_to_the_organiser(tmp_path):
    items = _rules_items(tmp_path, DECIDED)
    decided = next(o for o in items if o.text.startswith("决定组织"))
    assert decided.actors == ["院工会"]  # the deciding body, not the 主送 units it asks to recommend
    day = next(o for o in items if "拟定于" in o.text)
    assert day.actors == ["院工会"]  # the event's own date, printed in a bracket after its name
    entry = next(o for o in items if "推荐表" in o.text)
    assert entry.actors == ["各分工会"]


@pytest.mark.parametrize("text, days", [
    ("2015年11月1日---12月10日", 39),
    ("竞赛时间：6月-9月底", 84),
    ("4月3日-4月15日", 12),
    ("12月1日至1月15日", 45),  # into the next year
    ("2009年3月下旬或4月上旬", 0),  # a choice of dates, no span
    ("定于5月8日举办", 0),
])
def test_window_days(text, days):
    from nlp.checklist.deadlines import window_days

    assert window_days(text) == days


class _Tags:
    """A stand-in tagger that marks one span of the text it is given."""

    def __init__(self, text: str, span: str):
        self.labels = ["O"] * len(text)
        i = text.index(span)
        self.labels[i] = "B"
        for k in range(i + 1, i + len(span)):
            self.labels[k] = "I"

    def tag(self, feats):
        return self.labels


@pytest.mark.parametrize("text, span, kept", [
    ("各分工会于5月10日前报送名单", "各分工会", True),
    ("5月10日前各分工会报送名单", "各分工会", True),       # after a date: still the subject
    ("负责区总工会领导联系点的协调", "区总工会领导", False),  # the object of 负责
    ("将名单报送区总工会", "区总工会", False),              # the object of 报送
    # a page in traditional characters: the same words, judged as the rules read them
    ("各工會小組於5月10日前報送名單", "各工會小組", True),
    ("將名單報送區總工會", "區總工會", False),
])
def test_tagger_spans_that_are_objects_are_dropped(text, span, kept):
    from nlp.checklist.actor_model import doers

    assert doers(_Tags(text, span), text) == ([span] if kept else [])


LEAD_IN = """关于做好困难职工帮扶申报工作的通知
各乡镇工会：
一、申报时间
各乡镇工会、产业工会报送申报材料须遵循以下时间：
（一）子女助学：在当年7月10日前报送至县职工服务中心。
（二）生活救助：在当年10月20日前报送至县职工服务中心。
二、工作安排
县总工会近期将开展帮扶工作检查，现将有关事项通知如下：
（一）检查材料：于11月5日前报送检查表。
某某县总工会
2024年6月3日
"""


def test_a_lead_in_gives_its_doer_to_the_items_below_it(tmp_path):
    items = _rules_items(tmp_path, LEAD_IN)
    for key in ("7月10日", "10月20日"):
        item = next(o for o in items if key in o.text)
        assert item.actors == ["各乡镇工会", "产业工会"]  # …须遵循以下时间：names who reports
    # 现将有关事项通知如下：announces the items; the body an earlier clause names is not their doer
    check = next(o for o in items if "检查表" in o.text)
    assert "县总工会" not in check.actors



def test_the_units_an_item_is_done_by_are_its_doers(tmp_path):
    """以X为单位…: X acts, not the head count that follows (每队报领队1人…), read on the finished
    items (the whole pipeline, shipped models) so that no clause moves between items."""
    from ingest.load import load
    from nlp.checklist import extract

    src = tmp_path / "n.txt"
    src.write_text("关于举办教职工排球联赛的通知\n各分工会、直属部门工会：\n校工会定于5月16日举办教职工排球比赛。具体安排如下：\n"
                   "一、参加办法\n以分工会、直属部门工会为单位组队，每单位限报男、女代表队各1队，每队报领队1人、教练1人、运动员12人。\n"
                   "二、报名\n各单位于4月26日前将报名表送交校工会办公室。\n校工会\n2024年4月8日\n", encoding="utf-8")
    items = [o for o in extract(load(src)).obligations if o.text.startswith("以分工会")]
    assert items and all(o.actors == ["分工会", "直属部门工会"] for o in items)


MEETING = """关于举办教职工羽毛球比赛的通知
各分会：
根据校工会2024年工作计划，经研究，决定举办教职工羽毛球比赛。现将有关事项通知如下：
一、比赛安排
教职工羽毛球比赛拟在5月中旬举行。
二、报名
各分会于4月26日前将报名表送交校工会办公室。
4月28日下午3:00在体育馆二楼会议室召开领队会议并进行抽签。
某某大学工会
2024年4月8日
"""


def test_a_dated_meeting_line_and_a_planned_event_go_to_the_organiser(tmp_path):
    """召开领队会议 on a dated line under the sign-up heading is the organiser's meeting, not the
    sign-up's time line; 拟在…举行 is the organiser's decision line, as 拟于 is (the whole pipeline)."""
    from ingest.load import load
    from nlp.checklist import extract

    src = tmp_path / "n.txt"
    src.write_text(MEETING, encoding="utf-8")
    items = extract(load(src)).obligations
    meeting = next(o for o in items if "领队会议" in o.text)
    assert meeting.actors == ["校工会"]
    planned = next(o for o in items if "拟在" in o.text)
    assert planned.actors == ["校工会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各分会"]


@pytest.mark.parametrize("text, name, counted", [
    ("运动员3名，替补队员不超过2名", "运动员", True),      # people before their own count
    ("每队人数限报6名", "每队", True),                     # a team's size, bounded
    ("领队：1人", "领队", True),
    ("每单位限报1队", "每单位", False),                    # a unit before a count sends them
    ("参赛选手须自带球拍", "参赛选手", False),
    ("其他人员不少于50元", "其他人员", False),            # an amount each gives, not a head count
    ("队员6-9人", "队员", True),                           # a range of people counts them too
    ("每组队员若干名", "每组队员", True),
    ("教练员1人（可由队员兼任），队员8人", "队员", True),   # counted where it stands the second time
    ("队员须统一着装", "队员", False),
])
def test_people_before_their_own_count_are_counted_not_doers(text, name, counted):
    from nlp.checklist.actors import counted_after

    assert counted_after(text, name) is counted


def test_a_team_make_up_line_is_the_units_not_the_people_it_counts():
    """每个分会报领队1人…队员6-9人 and 每分工会报领队1人…队员8人 name the unit at their head; 大组队员12人 the
    group; 三名队员 alone is a count (the item goes back to the notice-wide fallback); a unit that
    sends people without a count after them (各分会选派队员参加) is not touched."""
    from nlp.checklist.actor_model import no_names
    from nlp.checklist.extract import Checklist

    lines = [(["队员"], "每个分会报领队1人，队员6-9人，另设替补2人"),
             (["队员"], "每分工会报领队1人，教练员2人（可由队员兼任），队员8人"),
             (["大组队员"], "大组队员12人，其中女职工4名"),
             (["三名队员"], "三名队员的年龄须在50岁以下"),
             (["各分会"], "各分会选派队员参加")]
    cl = Checklist(document={"recipients": ["各分会"], "issuer": "某某大学工会"},
                   obligations=[_item(a, "clause", t) for a, t in lines], roster=[], tables=[])
    no_names(cl)
    assert [o.actors for o in cl.obligations] == [["每个分会"], ["每分工会"], ["大组"], ["各分会"], ["各分会"]]
    assert [o.actor_source for o in cl.obligations] == ["clause", "clause", "clause", "document", "clause"]


def test_the_counts_after_a_units_line_go_to_those_units(tmp_path):
    """以X为单位组队，每队领队一名，运动员3名…: the items the counts are cut into are the units' (the whole
    pipeline, shipped models), not the people counted nor the issuer."""
    from ingest.load import load
    from nlp.checklist import extract

    src = tmp_path / "n.txt"
    src.write_text("关于举办教职工篮球赛的通知\n校工会定于10月举办教职工篮球赛，有关事项如下：\n"
                   "一、组队方法\n组队方法：以各学院工会为单位组队参赛，每队领队一名，运动员8名（男运动员6名，女运动员2名），"
                   "替补队员不超过3名。\n二、报名\n各学院工会于9月20日前将报名表送交校工会。\n某某大学工会\n2024年9月1日\n",
                   encoding="utf-8")
    items = [o for o in extract(load(src)).obligations if "运动员8名" in o.text or "替补队员" in o.text]
    assert items and all(o.actors == ["各学院工会"] for o in items)


def test_people_named_by_what_they_do_bind_a_later_clause():
    """会议期间不得缺席，确因公务需要缺席者，须…; 凡申报的优秀个人，均需…; 采取…形式，参加疗养人员享受…: the
    people a later comma clause opens on and binds are the doers, not the 主送 units guessed for the item;
    an act (组织本单位职工参加…) and a quorum (…会员必须超过全体会员的一半) name no one."""
    from nlp.checklist.actor_model import people_subject
    from nlp.checklist.extract import Checklist

    texts = ["会议期间原则上不得缺席，确因公务需要缺席者，须向校工会书面说明",
             "凡申报的优秀个人，均需填写推荐表",
             "采取自费为主的形式，参加疗养人员享受每人300元的补贴",
             "在本年度内，组织本单位职工参加疗养活动，人均费用不超过800元",
             "投票时，参加投票的会员必须超过全体会员的一半"]
    cl = Checklist(document={"recipients": ["各分会"], "issuer": "某某大学工会"},
                   obligations=[_item(["各分会"], "document", t) for t in texts], roster=[], tables=[])
    people_subject(cl)
    assert [o.actors for o in cl.obligations] == [["确因公务需要缺席者"], ["申报的优秀个人"], ["参加疗养人员"],
                                                  ["各分会"], ["各分会"]]


def test_the_host_named_in_a_line_of_its_own_organises():
    from nlp.checklist.extract import home_body, organiser

    assert organiser("关于举办教职工羽毛球赛的通知\n一、主办单位：院工会\n二、承办单位：体育部\n") == "院工会"
    assert organiser("主办：校工会、体育学院\n时间：5月8日\n") == "校工会、体育学院"
    # no issuer printed: the union the notice has things handed to, or says will act itself
    assert home_body("各支会于5月1日前将名单报院工会。对获奖支会，院工会将颁发奖状。") == "院工会"
    assert home_body("各基层工会要认真组织。") is None


def test_an_event_line_goes_to_the_home_union_when_no_issuer_is_printed(tmp_path):
    """A web page with no head and no signature: the event's date line is the union's that the
    notice has entries handed to, not the addressees'; the entries stay the addressees'."""
    items = _rules_items(tmp_path, "为丰富教职工文化生活，现将有关事项通知如下：\n一、比赛安排\n比赛定于5月18日在体育馆举行。\n"
                                   "二、报名\n各分会须于5月10日前将报名表报院工会。\n")
    event = next(o for o in items if "5月18日" in o.text)
    assert event.actors == ["院工会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各分会"]


def test_a_closing_date_under_a_heading_that_binds_a_doer_is_that_doers():
    """截止时间：… under 2、外聘人员自愿参加互助保障，个人缴纳会费30元: the people the heading binds owe it, not the
    主送 units; an event's own date under 1.时间 stays the organiser's, a bare label heading gives no one."""
    from nlp.checklist.actor_model import heading_doer
    from nlp.checklist.extract import Checklist, Obligation

    def item(text, section):
        return Obligation(id="x", text=text, section=section, actors=["各分会"], action=text, modality="",
                          tier="hard", actor_source="document")

    items = [item("截止时间：2024年3月5日", ["二、参加办法", "2、外聘人员自愿参加互助保障，个人缴纳会费30元"]),
             item("2024年3月5日", ["二、参加办法", "2、外聘人员自愿参加互助保障，个人缴纳会费30元", "截止时间"]),
             item("2024年4月2日下午3时", ["一、教职工跳绳比赛，各分会组队参加", "1.时间"]),
             item("截止时间：2024年3月5日", ["三、报名截止时间"])]
    cl = Checklist(document={"recipients": ["各分会"], "issuer": "校工会"}, obligations=items, roster=[], tables=[])
    heading_doer(cl)
    assert [o.actors for o in cl.obligations] == [["外聘人员"], ["外聘人员"], ["各分会"], ["各分会"]]


def test_a_body_or_people_a_request_names_by_what_they_do_act():
    """因名额有限，请有意参加的单位（以教研室为单位）于周五前告知…: those asked act, not the 主送 units
    guessed for the item; a 请 with no doer of its own stays the addressees'."""
    from nlp.checklist.actor_model import people_subject
    from nlp.checklist.extract import Checklist

    texts = ["因名额有限，请有意参加的单位（以教研室为单位）于周五前电话告知校工会",
             "请需要住宿的老师提前一天告知会务组",
             "请于5月1日前将报名表报送校工会"]
    cl = Checklist(document={"recipients": ["各分会"], "issuer": "某某大学工会"},
                   obligations=[_item(["各分会"], "document", t) for t in texts], roster=[], tables=[])
    people_subject(cl)
    assert [o.actors for o in cl.obligations] == [["有意参加的单位"], ["需要住宿的老师"], ["各分会"]]


def test_the_hosts_a_sentence_names_organise():
    """此次比赛由X主办 / 本次活动由甲、乙联合举办: those bodies hold the event (every one of them, as printed);
    a 由 that hands a task to someone (由分管领导负责组织) or to each unit names no host."""
    from nlp.checklist.extract import organiser

    assert organiser("一、比赛安排\n此次比赛由校工会主办，体育部协办。\n") == "校工会"
    assert organiser("为庆祝建会周年，现通知如下：\n本次征文活动由某某区总工会、某某农商银行联合举办。\n") \
        == "某某区总工会、某某农商银行"
    assert organiser("请各单位高度重视，由分管领导负责组织。\n") is None
    assert organiser("各项比赛由各分会举办。\n") is None


def test_the_organisers_judging_of_the_entries_is_theirs(tmp_path):
    """An item with no doer of its own in which the organiser judges or commends the entries (组织专家…评审,
    举办…表彰会) is the organiser's: not the 主送 units', nor the doer of the section's entries."""
    from ingest.load import load
    from nlp.checklist.extract import extract

    src = tmp_path / "n.txt"
    src.write_text("关于举办教职工摄影比赛的通知\n各分会：\n为丰富教职工文化生活，现将有关事项通知如下：\n"
                   "一、作品征集\n1.各分会须于5月10日前将参赛作品报校工会。\n"
                   "2.作品评审。5月下旬，组织专家对参赛作品进行评审，评出一等奖3名。\n"
                   "3.表彰。6月上旬，举办获奖作品表彰会。\n"
                   "某某大学工会\n2024年4月1日\n", encoding="utf-8")
    items = extract(load(src)).obligations
    assert next(o for o in items if "参赛作品报" in o.text).actors == ["各分会"]
    judged = [o for o in items if "评审" in o.text or "表彰会" in o.text]
    assert len(judged) == 2 and all(o.actors == ["某某大学工会"] for o in judged)


@pytest.mark.parametrize("text, name, made_up", [
    ("每队10人，另设替补2人", "每队", True),
    ("每队须报教练、领队各1人，队员6-8人", "每队", True),
    ("每支队伍共9人", "每支队伍", True),
    ("每个代表队4名正式队员", "每个代表队", True),
    ("每队自备统一服装", "每队", False),
    ("每队可换人两次", "每队", False),
    ("每单位报队员5人", "每单位", False),
])
def test_a_team_word_before_its_own_make_up(text, name, made_up):
    from nlp.checklist.actors import team_made_up

    assert team_made_up(text, name) is made_up


def _placed(actors, text, start):
    o = _item(actors, "clause", text)
    o.start, o.end = start, start + len(text)
    return o


def test_a_team_make_up_line_under_the_line_that_fields_the_teams_is_the_units():
    """由甲、乙组队参赛 then 每队报…N人: the units the line before names; 每队 stays where the item before
    fields no team, where the team acts on its own, or where the fielding line is a paragraph away."""
    from nlp.checklist.actor_model import team_units
    from nlp.checklist.extract import Checklist

    def run(items):
        team_units(Checklist(document={}, obligations=items, roster=[], tables=[]))
        return [o.actors for o in items]

    fields = "决赛由各市总工会、各产业工会组队参赛"
    assert run([_placed(["各市总工会", "各产业工会"], fields, 0),
                _placed(["每队"], "每队报领队1人，队员5人", len(fields) + 1)])[1] == ["各市总工会", "各产业工会"]
    assert run([_placed(["学院工会"], "以学院工会为单位组队", 0),
                _placed(["每队"], "每队自备统一服装", 12)])[1] == ["每队"]
    assert run([_placed(["校工会"], "校工会将于6月举办拔河比赛", 0),
                _placed(["每队"], "每队报领队1人，队员5人", 15)])[1] == ["每队"]
    assert run([_placed(["学院工会"], "以学院工会为单位组队", 0),
                _placed(["每队"], "每队报领队1人，队员5人", 400)])[1] == ["每队"]


@pytest.mark.parametrize("line, units", [
    ("本次比赛由各学院工会、机关工会组队参赛。每队报领队1人，队员8人。", ["各学院工会", "机关工会"]),
    ("比赛采用单循环赛制。每队报领队1人，队员8人。", ["每队"]),
])
def test_a_team_line_takes_the_units_the_sentence_before_names(tmp_path, line, units):
    """The whole pipeline (shipped models): a team's make-up line under a sentence naming the units that enter
    teams is theirs; under a sentence naming none it stays 每队."""
    from ingest.load import load
    from nlp.checklist import extract

    src = tmp_path / "n.txt"
    src.write_text("关于举办教职工拔河比赛的通知\n各分工会：\n校工会定于5月20日举办教职工拔河比赛，有关事项如下：\n"
                   f"一、参赛办法\n{line}\n二、报名\n各分工会于5月10日前将报名表送交校工会办公室。\n"
                   "某某大学工会\n2024年4月8日\n", encoding="utf-8")
    items = [o for o in extract(load(src)).obligations if o.text.startswith("每队")]
    assert items and all(o.actors == units for o in items)


@pytest.mark.parametrize("opening, who", [
    ("为丰富职工生活，甲区总工会、甲区体育局和甲区羽毛球协会决定举办职工羽毛球赛。", "甲区总工会、甲区体育局和甲区羽毛球协会"),
    ("为做好暑期服务，区总工会联合区妇联决定组织职工子女托管服务。", "区总工会联合区妇联"),
    ("五四前夕，市委宣传部、市总工会等单位将联合举办青年歌手大赛。", "市委宣传部、市总工会"),
    ("为庆祝节日，经校工会和校妇委会共同研究，决定开展系列活动。", "校工会和校妇委会"),
    ("为丰富员工生活，公司工会决定在国庆期间开展文体活动。", "公司工会"),  # 决定在/于 a time, then the act
    ("根据安排，甲区文化和旅游局决定举办读书节。", "甲区文化和旅游局"),
    ("为此，各分会、各部门决定联合开展活动。", None),  # the addressees acting together host nothing
    ("为活跃气氛，大家决定联合举办联欢会。", None),  # no body among the names
])
def test_the_bodies_an_opening_says_decided_or_hold_the_event_together(opening, who):
    from nlp.checklist.extract import organiser

    assert organiser(opening) == who


@pytest.mark.parametrize("who, parts", [
    ("甲区总工会、甲区体育局和甲区羽毛球协会", ["甲区总工会", "甲区体育局", "甲区羽毛球协会"]),
    ("校工会和教务处", ["校工会", "教务处"]),
    ("县总工会联 合县妇联", ["县总工会", "县妇联"]),  # a page broken inside 联合
    ("甲区文化和旅游体育局", ["甲区文化和旅游体育局"]),  # 和 inside one body's name
    ("各片区工会联合会", ["各片区工会联合会"]),  # 联合会 is a body, not a join
])
def test_an_organiser_list_is_read_as_its_bodies(who, parts):
    from nlp.checklist.extract import bodies

    assert bodies(who) == parts


def test_a_host_and_the_partners_that_decided_with_it_hold_its_time_line(tmp_path):
    """甲、乙、丙决定举办… then 由甲主办，乙、丙承办: the event's own time line is the three bodies', each a doer;
    the entries stay the addressees'."""
    items = _rules_items(tmp_path, "关于举办职工羽毛球赛的通知\n各基层工会：\n"
                                   "为丰富职工生活，某区总工会、某区体育局、某区羽毛球协会决定举办职工羽毛球赛。有关安排如下：\n"
                                   "一、主办单位\n比赛由某区总工会主办，某区体育局、某区羽毛球协会承办。\n"
                                   "二、比赛时间：2024年9月中旬\n"
                                   "三、报名\n各基层工会须于9月1日前将报名表报区总工会。\n")
    day = next(o for o in items if "9月中旬" in o.text)
    assert day.actors == ["某区总工会", "某区体育局", "某区羽毛球协会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各基层工会"]


@pytest.mark.parametrize("opening, who", [
    # 经X研究 with X a body the rules do not list (a 集团, a 校委会): the deciding body all the same
    ("为推进民主管理，经甲乙集团研究，决定召开第五届职工代表大会。", "甲乙集团"),
    ("年关将至，经校委会研究决定，组织教工开展拔河友谊赛。", "校委会"),
    # X拟/将 (在…) 组织/开展 …: the body that will hold it
    ("为增强体质，机关工会拟统一安排会员开展秋季登山活动。", "机关工会"),
    ("区总工会将在辖区各企业开展安全知识竞赛，请遵照执行：", "区总工会"),
    # 根据X…工作部署: as 根据X工作计划 reads
    ("根据校工会2023年工作部署，决定于11月举办教职工棋类比赛。", "校工会"),
    ("为活跃校园文化，根据院工会年度工作计划，开展教工排球联赛。", "院工会"),  # a plan with no year
    ("根据院工会二〇二三年工作安排，决定举办读书分享会。", "院工会"),  # its year in Chinese numerals
    # still nothing: the event itself, the addressees, a plan that names no body
    ("教职工运动会拟于10月举行。", None),
    ("各分会将组织会员开展健步走活动。", None),
    ("经大会研究，决定如下：", None),
    # a body the old reading found keeps its place before a new one (根据X计划 before 经Y研究)
    ("根据院工会2024年工作计划，经校委会研究决定，举办趣味运动会。", "院工会"),
])
def test_the_lead_in_names_its_events_organiser_in_more_words(opening, who):
    from nlp.checklist.extract import organiser

    assert organiser(opening) == who


def test_the_event_time_line_goes_to_the_body_the_lead_in_says_will_hold_it(tmp_path):
    """机关工会拟组织…开展… in the opening: the event's time line under 一、活动时间 is that body's, not the 主送 units'
    (the units keep what they are asked to send)."""
    items = _rules_items(tmp_path, "关于开展秋季登山活动的通知\n机关各分会：\n"
                                   "为增强体质，机关工会拟统一安排会员开展秋季登山活动。具体安排如下：\n"
                                   "一、活动时间\n2024年10月12日上午\n"
                                   "二、报名\n请各分会于10月8日前将报名表发至指定邮箱。\n")
    day = next(o for o in items if o.text.startswith("2024年10月12日"))
    assert day.actors == ["机关工会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各分会"]


ROUNDS = """关于举办教职工象棋积分赛的通知
各分工会：
为活跃教职工业余生活，经校工会研究，决定举办第三届教职工象棋积分赛。现将有关事项通知如下：
一、比赛时间
初赛时间：2024年3月4日至4月26日
决赛时间：暂定于2024年5月10日
二、开展时间
2024年5月开展
三、报名办法
各分工会须于2月28日前将报名表报校工会。
某某大学工会委员会
2024年2月20日
"""


def test_a_rounds_time_line_is_the_organisers_however_long(tmp_path):
    """初赛时间：… / 决赛时间：暂定于…: a round of the organiser's event, its own line even over weeks (no
    campaign of the addressees); a bare month under 开展时间 too (the verb of the event held)."""
    items = _rules_items(tmp_path, ROUNDS)
    first = next(o for o in items if o.text.startswith("初赛时间"))
    assert first.actors == ["校工会"]
    final = next(o for o in items if o.text.startswith("决赛时间"))
    assert final.actors == ["校工会"]
    month = next(o for o in items if o.text.startswith("2024年5月开展"))
    assert month.actors == ["校工会"]
    entry = next(o for o in items if "报名表" in o.text)
    assert entry.actors == ["各分工会"]


def test_the_issuers_own_act_on_a_page_with_no_issuer_is_the_organisers(tmp_path):
    """予以表彰 / 进行表彰 in an item with no doer of its own, on a notice that prints no issuer (a web page): the
    organiser its lead-in names, not the 主送 units (who are commended)."""
    from ingest.load import load
    from nlp.checklist.extract import extract_rules

    src = tmp_path / "n.txt"
    src.write_text("关于开展春季读书分享活动的通知\n各工会小组：\n为营造书香氛围，机关工会拟组织开展春季读书分享活动。"
                   "现将有关事项通知如下：\n一、活动安排\n1.各工会小组须于4月10日前报送读书心得。\n"
                   "2.5月上旬，对优秀读书心得予以表彰奖励。\n", encoding="utf-8")
    doc = load(src)
    assert not doc.issuer
    items = extract_rules(doc).obligations
    assert next(o for o in items if "表彰" in o.text).actors == ["机关工会"]
    assert next(o for o in items if "读书心得。" in o.text or o.text.startswith("各工会小组")).actors == ["各工会小组"]


def test_the_tagger_leaves_a_line_under_a_time_heading_on_its_holder():
    """1、时间地点 over …运动会开幕式后在某体育场举行: the event's own line (`extract.event_line`), which neither the
    tagger nor the subject reader takes from its holder; a line there with an act of the addressees is no such line."""
    from nlp.checklist.extract import event_line

    line = _item(["市总工会"], "document", "职工运动会开幕式后在某体育场举行")
    line.section = ["三、关于田径比赛", "1、时间地点"]
    assert event_line(line)
    asked = _item(["各基层工会"], "document", "各队须于4月1日前报到")
    asked.section = ["三、关于田径比赛", "1、时间地点"]
    assert not event_line(asked)
    labelled = _item(["市总工会"], "document", "时间地点：4月20日在某体育场")
    assert event_line(labelled)
