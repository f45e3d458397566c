"""Clause-level readers of the checklist extractor, on phrases whose expected values
were written by hand from their meaning."""
from __future__ import annotations

import pytest

from nlp.checklist.actors import clause_actors, restore_shared_head, split_coordination
from nlp.checklist.clauses import clauses, label, paragraphs, sentences, strip_punct
from nlp.checklist.deadlines import find_deadlines
from nlp.checklist.frequency import find_frequencies
from nlp.checklist.modality import find_modals, modality_of
from nlp.checklist.quantities import find_quotas
from nlp.checklist.roster import appointments, inline_roles, parse_person
from nlp.language import nlp, segment, tokenizer
from nlp.resources import corpora_dir, models_dir


def q(text):
    return [(x.kind, x.min, x.max, x.unit) for x in find_quotas(text)]


@pytest.mark.parametrize("text,expected", [
    ("市总工会每年抽调 3%至 5%的机关干部下沉蹲点", [("percent", 3, 5, "%")]),
    ("市、县两级每年选派3%到5%综合素质好的优秀干部", [("percent", 3, 5, "%")]),
    ("分别对口联系1-2个县级工会", [("count", 1, 2, "个")]),
    ("每年至少选定一项重点调研题目", [("count", 1, None, "项")]),
    ("另自选4件以上蹲点工作任务", [("count", 4, None, "件")]),
    ("时间一般不少于 3 个月", [("duration", 3, None, "月")]),
    ("蹲点时间不少于三个月", [("duration", 3, None, "月")]),
    ("每批时间不少于60天", [("duration", 60, None, "天")]),
    ("每批工作经费不超过2000元", [("money", None, 2000, "元")]),
    ("上述部门各派 1 名干部作为联络员", [("people", 1, 1, "名")]),
    ("对全市13个县级工会全覆盖", [("count", 13, 13, "个")]),
    ("力争用3到5年的时间", [("duration", 3, 5, "年")]),
    ("安排不少于上年度经费收入百分之十的资金", [("percent", 10, None, "%")]),
    ("每个工作组由三至五人组成", [("people", 3, 5, "人")]),
    ("给予每家3000元至5000元的补助", [("money", 3000, 5000, "元")]),
])
def test_quotas(text, expected):
    assert q(text) == expected


@pytest.mark.parametrize("text", [
    "2022年3月1日印发", "完成四项重点任务", "坚持两个结合", "全市蹲点工作任务采取“6+4”模式",
    "每半年向市总党组书面汇报一次整体工作情况", "实行24小时值班",
])
def test_not_quotas(text):
    assert find_quotas(text) == []


def d(text, year=None):
    return [(x.recurrence, x.month, x.day, x.year) for x in find_deadlines(text, year)]


def test_deadlines():
    assert d("市总工会各蹲点工作组需在每年3月25日前上报蹲点单位") == [("yearly", 3, 25, None)]
    assert d("须于2022年3月1日前完成") == [("once", 3, 1, 2022)]
    assert d("调度时间为相应月份的 28 日前") == [("monthly", None, 28, None)]
    assert d("于每月5日前报送上月排查情况") == [("monthly", None, 5, None)]
    assert d("每年蹲点结束后，由派出单位进行评估") == [("relative", None, None, None)]
    assert find_deadlines("每年蹲点结束后，由派出单位进行评估")[0].text == "蹲点结束后"
    assert d("第一时间向当地工会报告") == [("relative", None, None, None)]
    assert d("重要情况及时请示报告") == []  # 及时 is not a deadline
    # 3月底: the month's last day; a date without year is read in the document's year
    assert d("3月底前报送", 2024) == [("once", 3, 31, 2024)]
    # a bare date joined to a yearly one recurs too
    assert d("于每年6月25日前和12月10日前分别报送") == [("yearly", 6, 25, None), ("yearly", 12, 10, None)]


@pytest.mark.parametrize("text,every", [
    ("蹲点工作组每月向派出单位报告工作进展", "month"),
    ("组织召开双月调度会议", "two-months"),
    ("每两个月召开一次", "two-months"),
    ("每半年向市总党组作一次汇报", "half-year"),
    ("每季度通报一次工作进展", "quarter"),
    ("每周五前报送工作周报", "week"),
    ("每天开放不少于10小时", "day"),
    ("每半月报送一次", "half-month"),
    ("每年至少确定一项课题", "year"),
])
def test_frequency(text, every):
    assert [f.every for f in find_frequencies(text)][:1] == [every]


@pytest.mark.parametrize("text", ["将蹲点工作专项经费列入年度预算", "蹲点时间为第二三季度", "上半年总结", "定期编发工作信息"])
def test_not_frequency(text):
    assert find_frequencies(text) == []


def test_modality():
    assert modality_of(find_modals("蹲点工作组要建立临时党组织")) == "must"
    assert modality_of(find_modals("市总工会蹲点工作组需在每年3月25日前上报名单")) == "must"
    assert modality_of(find_modals("各县（市、区）总工会可结合本地实际自行选派")) == "may"
    assert modality_of(find_modals("蹲点时间一般不少于3个月")) == "should"
    # 重要, 需要, 可持续 and 认可 are not modal words
    assert find_modals("可持续发展得到认可，重要的是需要沟通") == []


@pytest.mark.parametrize("clause,names", [
    ("全市各级工会领导机关要把蹲点工作列入年度重点任务", ["全市各级工会领导机关"]),
    ("由派出单位干部赴基层蹲点联络指导小组对各工作组进行考核", ["派出单位干部赴基层蹲点联络指导小组"]),
    ("组织和宣教网络部牵头", ["组织和宣教网络部"]),
    ("市、县两级每年选派干部", ["市、县两级"]),
    ("县（市、区）要继续采取改造完善等方式", ["县（市、区）"]),
    ("每年从市总工会和县（市、区）总工会选调部分业务骨干", ["市总工会", "县（市、区）总工会"]),
    ("市总工会由综合保障部门、干部人事部门牵头统筹蹲点工作", ["综合保障部门", "干部人事部门"]),
    ("市总工会、各县（市、区）总工会工作专班于每年10月25日前提交总结",
     ["市总工会工作专班", "各县（市、区）总工会工作专班"]),
    ("其中，市总工会蹲点工作组需在每年3月25日前上报名单", ["市总工会蹲点工作组"]),
])
def test_actors(clause, names):
    m = clause_actors(strip_punct(clause))
    assert m is not None and m.names == names


@pytest.mark.parametrize("clause", ["推动基层工会建起来、转起来", "建立健全政府和工会联席会议制度", "做好风险隐患排查和报告",
                                    "蹲点时间一般为每年第二三季度", "全省头部平台企业建会率达到100%"])
def test_no_actor(clause):
    assert clause_actors(clause) is None


def test_shared_head_and_coordination():
    assert restore_shared_head(["市总工会", "各县（市、区）总工会蹲点工作组"]) == [
        "市总工会蹲点工作组", "各县（市、区）总工会蹲点工作组"]
    assert split_coordination("市总工会领导班子成员、机关各部门") == ["市总工会领导班子成员", "机关各部门"]
    assert split_coordination("市、县工会") == ["市、县工会"]


def test_clauses_respect_brackets_quotes_and_broken_lines():
    text = "综合组：负责专班会商。（组织和宣教网络部牵头，财务部参与）\n按照“有活动场所、有\n规范标识”的标准，推进建设。"
    paras = paragraphs(text)
    assert [p.text.replace("\n", "") for p in paras] == [
        "综合组：负责专班会商。（组织和宣教网络部牵头，财务部参与）", "按照“有活动场所、有规范标识”的标准，推进建设。"]
    assert label(paras[0].text) == ("综合组", 4)
    assert label("突出一条主线。紧扣学习宣传贯彻党的二十大精神，持续强化思想引领。")[0] == "突出一条主线"
    sents = sentences(paras[1].text, paras[1].start)
    assert len(sents) == 1 and text[sents[0].start:sents[0].end] == sents[0].text
    assert [strip_punct(c.text) for c in clauses("市、县工会之间可联合组成蹲点工作组，采取“6+4”模式（见《工会法》，略）。")] == [
        "市、县工会之间可联合组成蹲点工作组", "采取“6+4”模式（见《工会法》，略）"]


def test_roster_lines():
    assert parse_person("李 虎 市总工会党组成员、经审委主任") == ("李虎", "市总工会党组成员、经审委主任")
    assert parse_person("陈望舒 市总工会党组副书记、常务副主席") == ("陈望舒", "市总工会党组副书记、常务副主席")
    assert inline_roles("组　长：郑一帆  市总工会党组书记、常务副主席") == ("组长", [("郑一帆", "市总工会党组书记、常务副主席")])
    assert inline_roles("成  员：张三、李四") == ("成员", [("张三", None), ("李四", None)])
    assert appointments("办公室设在权益保障部，由方明远同志兼任办公室主任。") == [("方明远", "办公室主任")]


def test_language_pipeline_is_cached_and_uses_the_domain_dictionary(tmp_path, monkeypatch):
    assert nlp() is nlp() and tokenizer() is nlp().tokenizer
    words = [t.text for t in nlp()("蹲点工作组要建立临时党组织")]
    assert "蹲点工作组" in words and "要" in words
    assert "新就业形态" in segment("新就业形态快速发展")
    assert "职工之家" in segment("规范职工之家建设")
    monkeypatch.setenv("GONGWEN_CORPORA", str(tmp_path))
    monkeypatch.setenv("GONGWEN_MODELS", str(tmp_path / "m"))
    assert corpora_dir() == tmp_path and models_dir() == tmp_path / "m"


def test_roster_typeset_as_a_table():
    from ingest.document import Table
    from nlp.checklist.roster import roster_from_table

    t = Table("领导小组名单", ["小组职务", "姓名", "单位及职务"],
              [["组长", "王 某", "市总工会主席"], ["副组长", "李四", "市总工会副主席"], ["", "赵五", "市总工会副主席"],
               ["成员", "钱六", "办公室主任"]])
    got = [(e.name, e.role, e.title) for e in roster_from_table(t, "领导小组")]
    # the role cell spans down: 赵五 is a deputy too
    assert got == [("王某", "组长", "市总工会主席"), ("李四", "副组长", "市总工会副主席"),
                   ("赵五", "副组长", "市总工会副主席"), ("钱六", "成员", "办公室主任")]
    assert roster_from_table(Table("安排表", ["市总工会领导", "县级工会", "联系人"], [["陈望舒", "修水县", "林可为"]]), None) == []


def test_table_rows_fill_merged_leading_cells():
    from ingest.document import Table
    from nlp.checklist.tables import table_dict

    t = Table("安排表", ["市总工会领导", "县级工会", "联系人"],
              [["陈望舒", "修水县", "林可为"], ["", "武宁县", "赵一禾"], ["庐山市", "许 宁"],
               ["孙晓川", "柴桑区", "吴清远"]])
    rows = table_dict(t)["rows"]
    # an empty or missing leading cell repeats the leader above; spaced names are joined
    assert rows == [["陈望舒", "修水县", "林可为"], ["陈望舒", "武宁县", "赵一禾"], ["陈望舒", "庐山市", "许宁"],
                    ["孙晓川", "柴桑区", "吴清远"]]


def test_field_lines_are_paragraphs_of_their_own():
    # a line opening on 地点： is no continuation of the 时间 line above it; a broken sentence still joins
    text = "时间：2024年5月9日 14:00\n地点：学校体育馆\n参加人员：各分工会会员。\n请各分工会按时组织会员参加，并于\n5月6日前报送名单。"
    paras = [p.text.replace("\n", "") for p in paragraphs(text)]
    assert paras == ["时间：2024年5月9日 14:00", "地点：学校体育馆", "参加人员：各分工会会员。",
                     "请各分工会按时组织会员参加，并于5月6日前报送名单。"]
