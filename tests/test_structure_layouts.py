"""Layouts of the genre the GB/T 9704 parser has to read beyond the standard red-header
notice: a headline wrapped over lines with nothing above it (a web page or .txt copy),
the 附件说明 printed before the 落款 in its several shapes, and 方案/办法 whose sections
are unnumbered labels (工作目标, 【工作要求】, 第一部分, chapters whose numbers a
converted .doc lost) — while 一是……二是…… runs, form captions and rosters stay text.
Every sample is written here."""
from __future__ import annotations

import hashlib

import pytest

from ingest.document import RawText, Source
from ingest.structure import parse


def parse_text(text: str):
    data = text.encode("utf-8")
    src = Source(name="t.txt", format="txt", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return parse(RawText(text=text, format="txt", encoding="utf-8"), src)


def headings(part):
    return ["/".join(s.path) for s in part.walk()]


# ---------------------------------------------------------------- headless wrapped titles

HEADLESS_BODY = """\
为推动基层工会规范化建设，经研究，决定开展验收工作。现将有关事项通知如下：

一、验收范围

2022年以来新建或整改的基层工会。

二、验收程序

（一）自查申报。各单位于6月30日前完成自查。

（二）实地验收。市总工会组织验收组抽查。

南昌市总工会
2024年5月20日
"""
TITLE = "关于开展2024年度“职工之家”建设达标验收工作的通知"


@pytest.mark.parametrize("above, title, below, recipients, expected", [
    ("", "关于开展2024年度“职工之家”建设\n达标验收工作的通知", "", False, TITLE),
    ("", "关于开展2024年度“职工之家”建设\n达标验收工作的通知", "", True, TITLE),
    ("", "关于开展2024年度“职工之家”\n建设达标验收\n工作的通知", "", False, TITLE),
    ("", "　　关于开展2024年度“职工之家”建设\n\n　　达标验收工作的通知", "", False, TITLE),
    # the first line already ends like a title (…安排), the wrap goes on
    ("", "关于做好2024年度职工疗休养工作安排\n的通知", "", False, "关于做好2024年度职工疗休养工作安排的通知"),
    # a web page: breadcrumb or column name above, publication line below
    ("首页 > 通知公告\n", "关于开展2024年度“职工之家”建设\n达标验收工作的通知", "", False, TITLE),
    ("通知公告\n", "关于开展2024年度“职工之家”建设\n达标验收工作的通知",
     "发布时间：2024-05-21  来源：南昌市总工会\n", False, TITLE),
    # a batch mark under the title is the title's, not the first recipient's
    ("", "关于开展2024年度“职工之家”建设\n达标验收工作的通知\n（第二批）", "", True, TITLE + "（第二批）"),
    # the organ printed on a line of its own above 关于… is a letterhead without 文件, not
    # part of the title (how people read such real pages: ../shared/real-corpus/notices-b.jsonl)
    ("", "南昌市总工会\n关于开展2024年度“职工之家”建设达标验收工作的通知", "", False, TITLE),
])
def test_headless_wrapped_title(above, title, below, recipients, expected):
    to = "各县（市、区）总工会，市直各产业工会：\n\n" if recipients else ""
    doc = parse_text(f"{above}{title}\n\n{below}{to}{HEADLESS_BODY}")
    assert doc.title == expected
    assert doc.doc_type == "通知"
    assert doc.issuer == "南昌市总工会" and doc.signers == ["南昌市总工会"]
    assert doc.date == "2024-05-20"
    assert doc.recipients == (["各县（市、区）总工会", "市直各产业工会"] if recipients else [])
    assert doc.doc_number is None and doc.letterhead is None
    notice = doc.parts[0]
    assert notice.preamble.startswith("为推动基层工会规范化建设")
    assert headings(notice) == ["一、验收范围", "二、验收程序", "二、验收程序/（一）自查申报", "二、验收程序/（二）实地验收"]


# ---------------------------------------------------------------- 附件说明 before the 落款

NOTICE_HEAD = """\
南昌市总工会文件
洪工字〔2024〕9号
关于举办全市职工乒乓球比赛的通知
各县（市、区）总工会，市直各产业工会：
为丰富职工业余生活，市总工会定于5月举办全市职工乒乓球比赛，具体事项通知如下：
一、比赛时间
2024年6月15日至16日，在市体育中心举行。
二、报名方式
各单位于5月31日前报送报名表。
"""
ATTACHMENT_BODIES = """\
附件1
全市职工乒乓球比赛报名表
单位\t姓名\t性别\t联系电话
\t\t\t
附件2
参赛名额分配表
单位\t名额
东湖区总工会\t4
西湖区总工会\t4
"""


@pytest.mark.parametrize("note", [
    "附件：1. 全市职工乒乓球比赛报名表\n      2. 参赛名额分配表\n",
    "附件：\n1. 全市职工乒乓球比赛报名表\n2. 参赛名额分配表\n",
    "附件:1、全市职工乒乓球比赛报名表\n     2、参赛名额分配表\n",
    "附件：1. 全市职工乒乓球比赛报名表；2. 参赛名额分配表\n",
])
@pytest.mark.parametrize("closing", [
    "南昌市总工会\n2024年5月10日\n",
    "南昌市总工会\n（盖章）\n二〇二四年五月十日\n",
    "南昌市总工会　　　2024年5月10日\n",
])
def test_attachment_list_before_the_signature(note, closing):
    doc = parse_text(f"{NOTICE_HEAD}\n{note}\n{closing}\n{ATTACHMENT_BODIES}")
    assert doc.date == "2024-05-10" and doc.signers == ["南昌市总工会"]
    assert doc.attachment_note == ["全市职工乒乓球比赛报名表", "参赛名额分配表"]
    assert [(p.kind, p.label, p.title) for p in doc.parts] == [
        ("notice", None, "关于举办全市职工乒乓球比赛的通知"),
        ("attachment", "附件1", "全市职工乒乓球比赛报名表"),
        ("attachment", "附件2", "参赛名额分配表"),
    ]
    notice = doc.parts[0]
    # the list's numbered items are neither sections nor text of the last section
    assert headings(notice) == ["一、比赛时间", "二、报名方式"]
    assert "报名表" in notice.sections[-1].text and "参赛名额分配表" not in notice.sections[-1].text
    assert "参赛名额分配表" in notice.text  # the list itself belongs to the notice
    assert doc.parts[2].tables and doc.parts[2].tables[0].rows[0] == ["东湖区总工会", "4"]


def test_issued_document_ending_with_its_own_attachment_list():
    doc = parse_text("""\
关于印发《全市职工疗休养补助办法》的通知
各县（市、区）总工会：
现将《全市职工疗休养补助办法》印发给你们，请认真贯彻执行。
南昌市总工会
2024年3月1日
全市职工疗休养补助办法
为做好职工疗休养工作，制定本办法。
一、补助对象
全市在职职工。
二、有关要求
（一）各单位自行联系疗休养基地。
（二）补助资金于12月前结算。
附件：
1.疗休养申报表
2.疗休养补助申请表
3.疗休养人员花名册
附件1
疗休养申报表
单位名称\t\t联系电话
""")
    assert doc.date == "2024-03-01"
    assert [p.kind for p in doc.parts] == ["notice", "body", "attachment"]
    body = doc.parts[1]
    assert headings(body) == ["一、补助对象", "二、有关要求", "二、有关要求/（一）各单位自行联系疗休养基地",
                              "二、有关要求/（二）补助资金于12月前结算"]
    assert not any("花名册" in s.text for s in body.walk())
    assert "3.疗休养人员花名册" in body.text and body.end <= doc.parts[2].start


# ---------------------------------------------------------------- label headings

PLAN = """\
南昌市2024年职工心理关爱行动实施方案

为深入推进职工心理健康服务，制定本方案。

工作目标

到2024年底，全市建成职工心理服务站20个，培训心理服务骨干200名。

主要任务

（一）建设服务阵地。各县（市、区）总工会至少建成1个职工心理服务站。

（二）培育服务队伍。市总工会每季度举办一期心理服务骨干培训班。

保障措施

一是加强组织领导。各级工会要把心理关爱行动列入重要议事日程；二是强化经费保障。市总工会安排专项经费50万元；
三是注重宣传引导。利用工会新媒体宣传典型经验。

工作要求
各单位于12月10日前报送工作总结。
"""
PLAN_OUTLINE = ["工作目标", "主要任务", "主要任务/（一）建设服务阵地", "主要任务/（二）培育服务队伍", "保障措施", "工作要求"]


def test_plan_with_unnumbered_label_headings():
    doc = parse_text(PLAN)
    assert doc.doc_type == "实施方案"
    part = doc.parts[0]
    assert part.preamble == "为深入推进职工心理健康服务，制定本方案。"
    assert headings(part) == PLAN_OUTLINE
    goal, tasks, measures, duties = part.sections
    assert goal.number == "" and goal.title == "工作目标" and goal.level == 1
    assert goal.text.startswith("到2024年底") and "主要任务" not in goal.text
    assert [c.level for c in tasks.children] == [2, 2]
    # 一是……二是…… is an enumeration inside the text, not sections
    assert measures.children == [] and "二是强化经费保障" in measures.text and "三是注重宣传引导" in measures.text
    assert duties.text == "各单位于12月10日前报送工作总结。"
    assert doc.text[goal.start:goal.end].startswith("工作目标")


def test_bracketed_label_headings():
    text = (PLAN.replace("工作目标\n", "【工作目标】\n").replace("主要任务\n", "【主要任务】\n")
            .replace("保障措施\n", "【保障措施】\n").replace("工作要求\n", "【工作要求】"))
    doc = parse_text(text)
    assert headings(doc.parts[0]) == PLAN_OUTLINE
    assert doc.parts[0].sections[-1].text == "各单位于12月10日前报送工作总结。"


def test_part_headings_above_numbered_sections():
    text = (PLAN.replace("工作目标", "第一部分 工作目标").replace("主要任务", "第二部分　主要任务")
            .replace("保障措施", "第三部分 保障措施").replace("工作要求", "第四部分 工作要求"))
    doc = parse_text(text)
    assert [s.heading for s in doc.parts[0].sections] == ["第一部分工作目标", "第二部分主要任务", "第三部分保障措施",
                                                          "第四部分工作要求"]
    assert [c.path for c in doc.parts[0].sections[1].children][0] == ["第二部分主要任务", "（一）建设服务阵地"]


def test_labels_each_opening_a_new_numbered_run():
    doc = parse_text("""\
职工书屋建设工作方案
为推进职工书屋建设，制定本方案。
总体要求
一、坚持服务职工。书屋建在职工身边。
二、坚持共建共享。整合各方资源。
重点任务
一、建设示范书屋。每个县建设2家示范书屋。
二、开展读书活动。每季度组织一次主题读书活动。
""")
    assert headings(doc.parts[0]) == ["总体要求", "总体要求/一、坚持服务职工", "总体要求/二、坚持共建共享",
                                      "重点任务", "重点任务/一、建设示范书屋", "重点任务/二、开展读书活动"]


def test_measures_whose_chapter_numbers_were_lost():
    """A Word file converted to text keeps 第…条 but loses the automatic 第…章 numbers."""
    doc = parse_text("""\
某县困难职工帮扶办法
总  则
第一条 为建立困难职工帮扶长效机制，制定本办法。
第二条 帮扶工作由县总工会统一领导。
帮扶对象
第三条 全县在职职工中生活困难的，可以申请帮扶：
（一）家庭人均收入低于当地最低生活保障标准的；
（二）因大病致困的。
资金使用
第四条 帮扶资金专款专用。
""")
    part = doc.parts[0]
    assert [s.heading for s in part.sections] == ["总则", "帮扶对象", "资金使用"]
    assert [s.heading for s in part.sections[1].children] == ["第三条"]
    assert [c.path for c in part.sections[1].children[0].children][1] == ["帮扶对象", "第三条", "（二）因大病致困的"]


def test_short_lines_that_are_not_headings():
    doc = parse_text("""\
关于调整工会工作领导小组的通知
各部门：
经研究，决定调整工会工作领导小组。现将有关事项通知如下：
一、领导小组组成
组长
陈望舒
副组长
李虎、张明
二、工作职责
领导小组负责统筹全年工会工作。
三、报送材料
请填写下表。
职工疗休养申报表
单位名称\t联系人\t电话
活动安排
各单位自行安排。
某某公司工会
2024年1月5日
""")
    assert headings(doc.parts[0]) == ["一、领导小组组成", "二、工作职责", "三、报送材料"]
    assert "组长\n陈望舒" in doc.parts[0].sections[0].text


def test_one_stray_short_line_is_not_an_outline():
    doc = parse_text("关于做好节日慰问的通知\n各基层工会：\n（一）走访慰问困难职工。\n节日安排\n春节期间各单位要安排好值班。\n"
                     "（二）做好安全生产。\n某某区总工会\n2024年1月20日\n")
    assert headings(doc.parts[0]) == ["（一）走访慰问困难职工", "（二）做好安全生产"]


# ---------------------------------------------------------------- web copies of real notices: head and 落款

WEB_BODY = "各分工会：\n为丰富教职工生活，决定举办拔河比赛。请各分工会于5月10日前报名。\n"


@pytest.mark.parametrize("closing, issuer, date", [
    ("工 会\n2018年5月2日\n", "工会", "2018-05-02"),  # a school union signs with the bare 工会
    ("工 會\n2018年5月2日\n", "工會", "2018-05-02"),  # traditional-character mirror, name as printed
    ("校工会\n20180502\n", "校工会", "2018-05-02"),  # date without separators
    ("校工会\n\n\n20180502\n", "校工会", "2018-05-02"),  # …blank lines under the signer
    ("校工会\n二0一八年五月二日\n", "校工会", "2018-05-02"),  # year with a mixed 0
    ("校工会 妇委会\n2018年5月2日\n", "校工会、妇委会", "2018-05-02"),  # joint, unnumbered
    ("院工会\n院女工委\n2018年5月2日\n", "院工会、院女工委", "2018-05-02"),
    ("群团工作部(总工会、团委、妇联)\n2018年5月2日\n", "群团工作部(总工会、团委、妇联)", "2018-05-02"),
    ("附件：报名表\n市直属机关工会委员会\n", "市直属机关工会委员会", None),  # the date dropped by the copy
])
def test_web_copy_closing(closing, issuer, date):
    doc = parse_text(WEB_BODY + closing)
    assert doc.issuer == issuer
    assert doc.date == date
    assert doc.recipients == ["各分工会"]


@pytest.mark.parametrize("head, number", [
    ("梧工发〔2015〕12号关于举办拔河比赛的通知\n", "梧工发〔2015〕12号"),
    ("校工会[2012]1号关于举办拔河比赛的通知\n", "校工会〔2012〕1号"),
    ("梧工發〔2015〕12號關于举办拔河比赛的通知\n", "梧工發〔2015〕12號"),
])
def test_doc_number_run_into_title(head, number):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == number
    assert doc.title.endswith("于举办拔河比赛的通知") and doc.title[0] in "关關"


def test_unnumbered_joint_notice_with_number_goes_to_numbering_organ():
    doc = parse_text("平总工〔2018〕4号\n关于举办拔河比赛的通知\n" + WEB_BODY
                     + "平安县劳动竞赛委员会　　平安县总工会\n2018年5月2日\n")
    assert doc.issuer == "平安县总工会"
    assert doc.issuers == ["平安县劳动竞赛委员会", "平安县总工会"]


def test_issuer_from_printed_by_when_unsigned():
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + "二○一八年五月二日\n"
                     + "南通市总工会办公室印发　　　2018年5月2日印发\n")
    assert doc.issuer == "南通市总工会办公室"


# ---------------------------------------------------------------- page furniture and publication lines in the head
# Web copies of real notices in the pages store (zdgh.sysu, xgh.njucm, fjchx, the nbxinxi
# mirror of a county 教育工会) print, in and around the head, lines that are not the
# notice's: "|" rows of a table layout, a 朗读 widget, the bare publication date (with a
# view count) under the title. Samples written here.

@pytest.mark.parametrize("head, title", [
    ("|\n|\n", None),  # no title: the 主送机关 come first
    ("关于举办拔河比赛的通知\n2018-05-03\n", "关于举办拔河比赛的通知"),
    ("关于举办拔河比赛的通知\n2018-05-03 浏览量:63\n", "关于举办拔河比赛的通知"),
    ("关于举办拔河比赛的通知\n2018-05-03 09:16\n", "关于举办拔河比赛的通知"),
    ("朗读\n校工会〔2018〕4号\n关于举办拔河比赛的通知\n", "关于举办拔河比赛的通知"),
])
def test_page_furniture_in_the_head(head, title):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == title
    assert doc.recipients == ["各分工会"]
    assert doc.date == "2018-05-02"  # the 成文日期 under the signature, not the publication date


def test_publication_date_between_title_and_number():
    doc = parse_text("关于同意召开会员代表大会的批复\n2018-05-03\n校工会〔2018〕4号\n"
                     + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == "校工会〔2018〕4号"
    assert doc.recipients == ["各分工会"]


def test_publication_date_is_no_date_of_the_notice():
    # a page's publication date is not its 成文日期 (the rulings of checklist-pages2, 6, 10, 13 and 14): a
    # notice that prints none has none; relative dates still count from the day the page went up
    doc = parse_text("关于举办拔河比赛的通知\n2018-05-03 浏览量:63\n" + WEB_BODY + "校工会\n")
    assert doc.date is None
    assert doc.published == "2018-05-03" and doc.anchor_date == "2018-05-03"
    assert doc.metadata()["published"] == "2018-05-03"
    assert doc.issuer == "校工会"


def test_date_under_the_signature_wins_over_the_publication_date():
    doc = parse_text("关于举办拔河比赛的通知\n发布时间:2018-05-03\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.date == "2018-05-02" and doc.anchor_date == "2018-05-02"
    assert doc.published == "2018-05-03"


def test_unsigned_web_copy_with_furniture_below():
    doc = parse_text(WEB_BODY + "市直属机关工会委员会\n|\n")
    assert doc.issuer == "市直属机关工会委员会"


# ---------------------------------------------------------------- 成文日期 in brackets under the title
# 意见, 讲话 and documents a meeting adopted print their date under the title and sign
# nowhere (a provincial federation's speech in the pages store, jiceng.hebzgfw).

@pytest.mark.parametrize("dated, iso", [
    ("（2019年6月3日）", "2019-06-03"),
    ("(2019年6月3日)", "2019-06-03"),
    ("（二〇一九年六月三日）", "2019-06-03"),
    ("（2019年6月3日某市总工会第五届委员会第三次全体会议通过）", "2019-06-03"),
])
def test_date_in_brackets_under_the_title(dated, iso):
    doc = parse_text(f"某市总工会关于加强基层工会建设的意见\n{dated}\n"
                     "为加强基层工会建设，提出如下意见。\n一、各级工会要每年开展一次检查。\n")
    assert doc.title == "某市总工会关于加强基层工会建设的意见"
    assert doc.date == iso
    assert doc.issuer == "某市总工会"


@pytest.mark.parametrize("page", [
    # the column name above the breadcrumb, the title printed again under its 作者/日期 line
    "通知公告\n当前位置: 网站首页 · 校园新闻 · 通知公告 · 正文\n关于举办拔河比赛的通知\n"
    "作者:     责任编辑:张三     日期:2018-05-03     点击数:\n\n关于举办拔河比赛的通知\n\n",
    "通知通告\n\n通知通告\n\n当前位置: 首页 > 通知通告 > 正文\n\n关于举办拔河比赛的通知\n\n作者:工会  来源:工会\n\n",
])
def test_column_name_and_breadcrumb_above_the_title(page):
    doc = parse_text(page + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_joint_signers_joined_by_a_comma_mark():
    # two organs signing on one line joined by 、 issue the unnumbered notice together
    doc = parse_text(WEB_BODY + "某集团公司工会、职工书画协会\n二0一五年三月九日\n")
    assert doc.issuer == "某集团公司工会、职工书画协会"
    assert doc.signers == ["某集团公司工会", "职工书画协会"]
    assert doc.date == "2015-03-09"


@pytest.mark.parametrize("body, kind", [
    (WEB_BODY.replace("决定举办拔河比赛。", "决定举办拔河比赛，现将有关事项通知如下：\n一、比赛时间\n5月20日。\n"), "通知"),
    (WEB_BODY + "特此通知。\n", "通知"),
    (WEB_BODY, None),  # an untitled text that says nothing of its kind
    # under a 主送 line, a cover note passing on a notice it cites
    ("各分工会：\n现将市总工会《关于举办职工拔河比赛的通知》转发给你们，请于5月10日前报名。\n", "通知"),
])
def test_untitled_notice_that_calls_itself_one(body, kind):
    doc = parse_text(body + "校工会\n2018年5月2日\n")
    assert doc.title is None
    assert doc.doc_type == kind


@pytest.mark.parametrize("head", [
    "通知公告\n最近更新\n校工会举办拔河比赛的通知\n\n",  # column labels over a title not opened by 关于
    "关于举办拔河比赛的通知\n\n发布者:系统管理员发布时间:2018-03-29浏览次数:0\n\n",
    "关于举办拔河比赛的通知\n发布人:admin  发布时间:2018-03-29   浏览次数:25\n",
])
def test_publisher_lines_and_column_labels_in_the_head(head):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title.endswith("举办拔河比赛的通知") and not doc.title.startswith(("通知公告", "最近更新"))
    assert doc.recipients == ["各分工会"]


# ---------------------------------------------------------------- a web page's furniture above the head
# Pages of university and county union sites print their menu bar, the site's name (a spam
# mirror puts its own name in the school's place), column labels and a byline line above the
# notice (hnuu, lwvc, ncepu, sasu, gpoenergy copies in corpora/annotations/checklist-pages).

@pytest.mark.parametrize("head", [
    # the site's name and its menu bar over the breadcrumb
    "某某大学工会\n首页 | 工会概况 | 组织机构 | 工会动态 | 通知公告\n当前位置：首页 > 通知公告\n关于举办拔河比赛的通知\n",
    "某某大学工会\n首页 工会概况 组织机构 工会动态\n当前位置：首页 > 通知公告\n关于举办拔河比赛的通知\n",
    "某某娱乐城官方网站欢迎您\n某某大学工会\n校工会举办拔河比赛的通知\n",  # site names over a whole title
    "首页\n某某大学工会\nEnglish\n网站地图\n工会动态\n校工会举办拔河比赛的通知\n",  # more lines than a title wraps over
    # a menu printed one item a line
    "某某大学工会\n首页\n工会概况\n组织机构\n工会动态\n通知公告\n教代会\n女工工作\n文体活动\n困难帮扶\n下载专区\n"
    "联系我们\nEnglish\n通知公告\n关于举办拔河比赛的通知\n发布时间：2018-05-03\n",
    "关于举办拔河比赛的通知\n文章来源：校工会 更新时间：2018-05-03\n",  # byline keys
    "关于举办拔河比赛的通知\n2018-05-03 来源：校工会 作者：张三\n",  # the date first
])
def test_site_furniture_above_the_head(head):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title.endswith("举办拔河比赛的通知") and doc.title.startswith(("关于", "校工会"))
    assert doc.recipients == ["各分工会"]
    assert doc.issuer == "校工会"


def test_organ_over_the_title_issues_an_unsigned_copy():
    # 文号, then the organ's name on its own line over the title, and no signature (the copy ends early)
    doc = parse_text("常教工〔2018〕4号\n某县教育工会委员会\n关于举办拔河比赛的通知\n" + WEB_BODY)
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.issuer == "某县教育工会委员会"
    signed = parse_text("常教工〔2018〕4号\n某县教育工会委员会\n关于举办拔河比赛的通知\n" + WEB_BODY
                        + "某县教育工会\n2018年5月2日\n")
    assert signed.issuer == "某县教育工会"  # a signature still wins


# ---------------------------------------------------------------- a web page's furniture below the signature

@pytest.mark.parametrize("closing, issuer, date", [
    # the office's address and phone under an undated signature (a university union's page)
    ("某某大学工会委员会\n地址：某某路1号\n邮编：550025\n电话：0851-1234567\n(官方微信公众号)\n", "某某大学工会委员会", None),
    ("校工会\n附件：报名表.docx\n", "校工会", None),
    # the date whose 月 the page dropped: read when only one reading fits
    ("校工会\n2018年52日\n", "校工会", "2018-05-02"),
    ("校工会\n2018年1230日\n", "校工会", "2018-12-30"),
    ("校工会\n2018年112日\n", "校工会", None),  # 1-12 or 11-2: no date, but the signer stands
])
def test_signature_above_page_furniture(closing, issuer, date):
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + closing)
    assert doc.issuer == issuer
    assert doc.date == date


@pytest.mark.parametrize("closing, issuer, date", [
    ("某某大学工会委员会\n二O一四年九月十六日\n", "某某大学工会委员会", "2014-09-16"),  # a Latin O typed for 〇
    ("某某大学工会委员会\n二Ｏ一四年九月十六日\n", "某某大学工会委员会", "2014-09-16"),
    ("校工会\n收藏\n", "校工会", None),
    ("校工会\n【供稿单位：校工会 作者：张三 编辑：李四】\n", "校工会", None),
])
def test_signature_date_with_latin_o_and_foot_lines(closing, issuer, date):
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + closing)
    assert doc.issuer == issuer
    assert doc.date == date


@pytest.mark.parametrize("closing", [", 某某大学工会委员会\n2015年3月1日\n", "，某某大学工会委员会，\n2015年3月1日\n",
                                     "、某某大学工会委员会\n"])
def test_signer_with_separators_a_scrape_left_around_it(closing):
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + closing)
    assert doc.issuer == "某某大学工会委员会"


@pytest.mark.parametrize("closing, issuer, date", [
    # a unit's party office or branch signs beside its union, under a dotted date
    ("工会\n党办\n2015.05.05\n", "工会、党办", "2015-05-05"),
    ("党总支、工会\n2008.10.17\n", "党总支、工会", "2008-10-17"),
    ("院工会、院办\n2018年5月2日\n", "院工会、院办", "2018-05-02"),
    # a page's layout rules between the signer and its date
    ("|\n校工会\n|\n2018年5月2日\n|\n", "校工会", "2018-05-02"),
])
def test_short_joint_signers_and_layout_rules_in_the_closing(closing, issuer, date):
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + closing)
    assert doc.issuer == issuer
    assert doc.date == date


def test_short_party_names_in_the_body_are_no_signature():
    # a two-character name is a signer only in the 落款: a body line naming one is still text
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + "党委\n要高度重视。\n校工会\n2018年5月2日\n")
    assert doc.issuer == "校工会"


def test_doc_number_keeps_its_printed_serial():
    # only the brackets are normalised: a serial printed with a leading zero stays so
    doc = parse_text("校工字[2015]02号\n关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == "校工字〔2015〕02号"
    doc = parse_text("长总工〔2018〕3 号\n关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == "长总工〔2018〕3号"


@pytest.mark.parametrize("signer", ["某某app娱乐平台工会", "某市第2人民医院工会"])
def test_signer_with_latin_letters_or_digits(signer):
    # a spam mirror prints its own name (with Latin letters) where the school's stood; digits in a name
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + f"{signer}\n2018年5月2日\n")
    assert doc.issuer == signer
    assert doc.date == "2018-05-02"


@pytest.mark.parametrize("dated", ["2018年114日", "2018年114日 浏览次数：12", "2018年1204日 09:12"])
def test_publication_date_with_its_month_dropped_is_no_recipient(dated):
    # the page dropped 月 from the date it prints under the title: still a publication line
    doc = parse_text(f"关于举办拔河比赛的通知\n{dated}\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]
    assert doc.date == "2018-05-02"


@pytest.mark.parametrize("published, date", [
    ("2018-11-05", "2018-11-04"),  # 114: 1-14 or 11-4; the page went up on 11-5
    ("2018-01-20", "2018-01-14"),
    (None, None),  # nothing to settle it
])
def test_dropped_month_settled_by_the_page_date(published, date):
    head = "关于举办拔河比赛的通知\n" + (f"发布时间：{published}\n" if published else "")
    doc = parse_text(head + WEB_BODY + "校工会\n2018年114日\n")
    assert doc.issuer == "校工会"
    assert doc.date == (date or None)


@pytest.mark.parametrize("tail", ["附件：\n1.报名表\n2.汇总表\n", "附件1：报名表\n附件2：汇总表.xls\n"])
def test_undated_signature_above_an_attachment_list(tail):
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n" + tail)
    assert doc.issuer == "校工会"
    body = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + tail)
    assert body.issuer is None  # the list alone names no signer


def test_site_names_over_a_title_ending_in_a_bare_notice_word():
    # 系列活动通知, 报名通知: a whole title without 的 before its kind
    doc = parse_text("某某娱乐城官方网站欢迎您\n某某大学工会\n校工会拔河比赛报名通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "校工会拔河比赛报名通知"
    assert doc.recipients == ["各分工会"]


# ---------------------------------------------------------------- cell bars a scrape leaves at a line's end
# A page laid out in a table keeps a "|" after the words of its title, byline and 落款 lines
# (alex-chef, tlzx and mmm2012 pages of checklist-pages2; tagging pages of several sites).

def test_cell_bars_after_head_and_closing_lines():
    doc = parse_text("关于举办拔河比赛的通知 |\n发布时间:2018-05-03 浏览次数:10 |\n" + WEB_BODY
                     + "某某中学工会委员会 |\n2018年5月2日 |\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.issuer == "某某中学工会委员会"
    assert doc.date == "2018-05-02"
    assert doc.recipients == ["各分工会"]


@pytest.mark.parametrize("closing, date", [
    # 年, 月 and 日 dropped around one-digit ones (szu page of checklist-pages2): read so only when the
    # page's publication date agrees
    ("校工会\n\n\n201852\n", "2018-05-02"),
    ("校工会\n201911\n", None),  # a month, or a number: no 成文日期 (the publication date is none)
])
def test_date_line_without_any_separator(closing, date):
    doc = parse_text("关于举办拔河比赛的通知\n发布日期:2018-05-03\n" + WEB_BODY + closing)
    assert doc.date == date


def test_signer_over_a_date_line_without_separators():
    doc = parse_text("关于举办拔河比赛的通知\n发布日期:2018-05-03\n" + WEB_BODY + "校工会\n\n\n201852\n")
    assert doc.issuer == "校工会"


# ---------------------------------------------------------------- a signer whose name ends like no organ
# The line right above the 成文日期 signs the notice (a name the page cut short, a company's name),
# but only when no organ signs above any date line and no prose follows the date.

def test_name_line_above_the_date_signs():
    doc = parse_text(WEB_BODY + "某某学院工会委员\n2018年5月2日\n附件:名额分配表\n单位 |\n名额 |\n")
    assert doc.issuer == "某某学院工会委员"
    assert doc.date == "2018-05-02"


@pytest.mark.parametrize("tail", [
    "报名截止\n2018年5月10日\n请按时报名。\n校工会\n2018年5月2日\n",  # an organ signs below
    "报名截止\n2018年5月10日\n请各分工会按时报名，逾期不再受理。\n",  # prose follows the date
])
def test_a_dated_label_in_the_body_does_not_sign(tail):
    doc = parse_text(WEB_BODY + tail)
    assert doc.issuer != "报名截止"


@pytest.mark.parametrize("line", ["关于举办拔河比赛的通知 (校工会〔2021〕3号)", "关于举办拔河比赛的通知（校工会[2021]3号）"])
def test_doc_number_in_brackets_after_the_title(line):
    doc = parse_text(line + "\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.doc_number == "校工会〔2021〕3号"


def test_bracket_after_a_title_that_is_no_number_stays():
    doc = parse_text("关于举办拔河比赛的通知（第二批）\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知（第二批）"
    assert doc.doc_number is None


# ---------------------------------------------------------------- publication lines in words the byline keys do not know
# A column's name or a forum's 发表于 before the page's numeric date, a mirror's garbled 发布时间 (yesadapter
# page of checklist-pages2; tagging pages of 2 more sites): read as the page's publication line, never as 主送.

@pytest.mark.parametrize("byline", [
    "某某频道 2021-06-14 发布于江苏",
    "发表于 2021-03-05 08:12 | 只看楼主",
    "發(fā)布時間: 2016-05-03",
])
def test_publication_line_in_unknown_words(byline):
    doc = parse_text(f"关于举办拔河比赛的通知\n{byline}\n" + WEB_BODY + "校工会\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_title_run_into_its_byline_stays_the_title():
    doc = parse_text("关于举办拔河比赛的通知 时间:2016-04-21 来源:某某网\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title.startswith("关于举办拔河比赛的通知")
    assert doc.date == "2018-05-02"


# ---------------------------------------------------------------- web heads, round 2 (checklist pages6 classes)

@pytest.mark.parametrize("crumb", [
    "您当前所在的位置: 首页 > 工会动态", "您现在的位置是: 首页| 工会新闻", "您當前所在位置: 首頁", "您當(dāng)前的位置:",
])
def test_breadcrumb_label_wordings_are_no_recipients(crumb):
    doc = parse_text(f"{crumb}\n关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_mirror_pinyin_and_traditional_head_read_and_given_as_printed():
    head = ("您當(dāng)前的位置:\n瀏覽次數(shù):\n信息名稱:關(guān)于舉辦拔河比賽的通知\n索 引 號:0001/2022-00009\n"
            "文件編號:某教工〔2022〕7號 組配分類:其他\n生成日期:2021-03-04 公開日期:2021-03-05\n"
            "關(guān)于舉辦拔河比賽的通知\n某教工〔2022〕7號\n各縣(區(qū))教育局、各學(xué)校工會:\n")
    doc = parse_text(head + "為豐富教職工生活,決定舉辦拔河比賽。\n")
    assert doc.title == "關(guān)于舉辦拔河比賽的通知"
    assert doc.doc_number == "某教工〔2022〕7號"
    assert doc.recipients == ["各縣(區(qū))教育局", "各學(xué)校工會"]


@pytest.mark.parametrize("line, number", [
    ("某学院工会〔20186            签发人:张某", "某学院工会〔2018〕6号"),
    ("校工发〔201915", "校工发〔2019〕15号"),
])
def test_doc_number_whose_bracket_and_hao_the_scrape_dropped(line, number):
    doc = parse_text(f"{line}\n关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == number
    assert doc.title == "关于举办拔河比赛的通知"


def test_year_in_brackets_with_no_serial_is_no_doc_number():
    doc = parse_text("关于公布（2019）年度先进集体名单的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number is None


def test_doc_number_run_on_after_the_title():
    doc = parse_text("关于举办拔河比赛的通知某总工字〔2020〕6号\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.doc_number == "某总工字〔2020〕6号"


@pytest.mark.parametrize("head, title, number", [
    # the page's short title and byline, then the document's numbered head with its own title
    ("关于举办拔河比赛的通知\n资料来源:      日期:2018年5月2日 10:39     浏览量:\n某学院工会〔2018〕6号\n"
     "某学院关于举办拔河比赛的通知\n", "某学院关于举办拔河比赛的通知", "某学院工会〔2018〕6号"),
    ("关于举办拔河比赛的通知\n发布时间:2018-05-02  访问计数:12\n关于举办“强健体魄”\n第三届教职工拔河比赛的通知\n"
     "校工发〔2018〕6号\n", "关于举办“强健体魄”第三届教职工拔河比赛的通知", "校工发〔2018〕6号"),
])
def test_the_documents_own_head_below_the_page_title(head, title, number):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == title
    assert doc.doc_number == number
    assert doc.recipients == ["各分工会"]


def test_a_second_title_in_the_body_stays_body():
    doc = parse_text("关于举办拔河比赛的通知\n发布时间:2018-05-02\n关于拔河比赛场地安排的通知\n"
                     "为丰富教职工生活，决定举办拔河比赛。\n校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"


@pytest.mark.parametrize("closing, issuer", [
    ("某某师范学院体育运动委员会\n工 会\n2018年5月2日\n", "某某师范学院体育运动委员会、工 会"),
    ("某州市教育局  中国教育工会某州市委员会\n2018年5月2日\n", "某州市教育局、中国教育工会某州市委员会"),
])
def test_joint_doc_number_prefix_names_all_signers(closing, issuer):
    number = "某师工〔2018〕5号" if "师范" in closing else "某教工〔2018〕5号"
    doc = parse_text(f"{number}\n关于举办拔河比赛的通知\n" + WEB_BODY + closing)
    assert doc.issuer.replace(" ", "") == issuer.replace(" ", "")


def test_a_dated_byline_in_words_is_the_pages_and_no_checklist_item(tmp_path):
    from ingest.load import load
    from nlp.checklist.extract import extract

    byline = "资料来源:      日期:2018年5月2日 10:39     浏览量:"
    text = ("关于举办拔河比赛的通知\n" + byline + "\n某学院工会〔2018〕6号\n某学院关于举办拔河比赛的通知\n"
            + WEB_BODY + "某学院工会\n2018年5月3日\n")
    doc = parse_text(text)
    start = text.index("资料来源")
    assert (doc.spans["byline"].start, doc.spans["byline"].end) == (start, start + len(byline))
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    items = extract(load(path)).obligations
    assert items and not any("浏览量" in o.text for o in items)


@pytest.mark.parametrize("above, between", [("ENGLISH\n", "banner.jpg\n"), ("A-\nA+\n", "Share\n")])
def test_latin_site_controls_in_the_head_are_furniture(above, between):
    doc = parse_text(f"{above}关于举办拔河比赛的通知\n{between}" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_a_latin_date_line_in_the_head_is_still_read():
    doc = parse_text("关于举办拔河比赛的通知\n2018-05-02\n" + WEB_BODY + "校工会\n")
    assert doc.published == "2018-05-02" and doc.date is None


def test_traditional_letterhead_and_number_given_as_printed():
    doc = parse_text("平安縣總工會文件\n平總工〔2018〕4號\n關於舉辦拔河比賽的通知\n各分工會：\n為豐富職工生活，決定舉辦拔河比賽。\n")
    assert doc.letterhead == "平安縣總工會文件"
    assert doc.doc_number == "平總工〔2018〕4號"
    assert doc.issuer == "平安縣總工會"


def test_traditional_title_names_its_issuer():
    doc = parse_text("平安縣總工會關於舉辦拔河比賽的通知\n為豐富職工生活，決定舉辦拔河比賽。\n")
    assert doc.issuer == "平安縣總工會"


def test_the_pages_own_title_above_the_documents_head_is_no_checklist_clause():
    from nlp.checklist import duty_model
    from nlp.checklist.extract import extract_rules

    page_title = "关于举办教职工登山活动的通知"
    text = (page_title + "\n发布时间:2018-05-02  访问计数:12\n某学院工会〔2018〕6号\n某学院关于举办教职工登山活动的通知\n"
            "各分工会：\n为丰富教职工生活，决定举办教职工登山活动。请各分工会于5月10日前报名。\n某学院工会\n2018年5月3日\n")
    doc = parse_text(text)
    assert doc.title == "某学院关于举办教职工登山活动的通知"
    assert (doc.spans["page_title"].start, doc.spans["page_title"].end) == (0, len(page_title))
    rules = extract_rules(doc)
    cands = duty_model.candidates(doc, rules.obligations, rules.roster)
    assert any("5月10日前报名" in c.text for c in cands)
    assert not any(c.start < len(page_title) for c in cands)


# ---------------------------------------------------------------- head lines a scrape ran together or labelled

@pytest.mark.parametrize("title", ["关于举办拔河比赛的通知\n", ""])
def test_recipients_run_into_the_first_sentence(title):
    from nlp.checklist import duty_model
    from nlp.checklist.extract import extract_rules

    doc = parse_text(title + "各分工会、各直属单位:为丰富教职工生活，决定举办拔河比赛。请各单位于5月10日前报名。\n"
                     "二、比赛地点\n校体育馆。\n校工会\n2018年5月2日\n")
    assert doc.recipients == ["各分工会", "各直属单位"]
    rules = extract_rules(doc)
    cands = duty_model.candidates(doc, rules.obligations, rules.roster)
    assert any("5月10日前报名" in c.text for c in cands)  # the sentence after them stays the notice's text


@pytest.mark.parametrize("line", [
    "各单位要高度重视，认真组织：一是成立领导小组，二是按时报送材料。",  # a duty with a colon, no addressee list
    "各单位于5月10日前报名，联系电话:12345678，联系人张三。",  # a colon after digits
])
def test_a_first_sentence_opening_with_ge_is_no_recipient_list(line):
    doc = parse_text("关于举办拔河比赛的通知\n" + line + "\n校工会\n2018年5月2日\n")
    assert doc.recipients == []


@pytest.mark.parametrize("head", [
    "【工会通知】关于举办拔河比赛的通知\n",  # a column's label in front of the title
    "校园文化月系列活动之三\n——关于举办拔河比赛的通知\n",  # a series' name over a dash
])
def test_label_before_the_title_is_not_the_title(head):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_issuer_before_the_title_stays_the_title():
    doc = parse_text("某市总工会关于举办拔河比赛的通知\n" + WEB_BODY + "某市总工会\n2018年5月2日\n")
    assert doc.title == "某市总工会关于举办拔河比赛的通知"


# ---------------------------------------------------------------- a head run into one line with the text

@pytest.mark.parametrize("line, title", [
    # a store's chunk number, the issuer's name opening the title, no space before the addressees
    ("1、某市总工会办公室关于做好年度统计工作的通知各县区总工会、市直机关工会：为掌握全市工会情况，现将有关事项通知如下。",
     "某市总工会办公室关于做好年度统计工作的通知"),
    # a re-publisher's words in front, spaces around the title
    ("欢迎老师们踊跃报名 关于举办教职工歌咏比赛的通知 各部门工会、各直属单位： 为丰富校园生活，决定举办歌咏比赛。",
     "关于举办教职工歌咏比赛的通知"),
])
def test_title_and_recipients_run_into_the_first_sentence(line, title):
    from nlp.checklist import duty_model
    from nlp.checklist.extract import extract_rules

    doc = parse_text(line + "请各单位于5月10日前报名。\n校工会\n2018年5月2日\n")
    assert doc.title == title
    assert doc.recipients[-1] in ("市直机关工会", "各直属单位")
    assert len(doc.recipients) == 2
    rules = extract_rules(doc)
    cands = duty_model.candidates(doc, rules.obligations, rules.roster)
    assert any("5月10日前报名" in c.text for c in cands)  # the sentence after them stays the notice's text


def test_run_on_head_under_a_stores_file_name_is_the_documents():
    doc = parse_text("关于开展拔河比赛的通知.docx\n《关于开展拔河比赛的通知.docx》由会员上传，可在线阅读。\n"
                     "1、关于举办教职工拔河比赛的通知各分工会：为丰富教职工生活，决定举办拔河比赛。请于5月10日前报名。\n")
    assert doc.title == "关于举办教职工拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


@pytest.mark.parametrize("line", [
    # a sentence cites a notice before addressing units: no head
    "根据上级部署，按照关于做好安全检查的通知各单位要求：立即开展自查，并于5月10日前报送结果。",
    # a name in the list that is no complete organ
    "关于举办拔河比赛的通知 各位老师好：为丰富教职工生活，决定举办拔河比赛，请于5月10日前报名。",
])
def test_a_cited_notice_inside_a_sentence_is_no_run_on_head(line):
    doc = parse_text(line + "\n校工会\n2018年5月2日\n")
    assert doc.recipients == []


# ---------------------------------------------------------------- page labels that end in a colon

BYLINE_LABELS = [
    "• 2018-05-02\n• 党政办\n• 阅读量:\n",  # a byline printed as a list, its count lost
    "【栏目名称】:工会工作 【发布时间】:2018-05-02 【点击数】:\n",  # a byline's keys in 【】
]


@pytest.mark.parametrize("furniture", BYLINE_LABELS + [
    "服务热线:0101-12345678\n距离2026年春节还有:\n",  # a hotline and a countdown
])
def test_page_labels_ending_in_a_colon_are_no_recipients(furniture):
    doc = parse_text(furniture + "关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.recipients in ([], ["各分工会"])
    assert not any(any(ch.isdigit() for ch in r) or "量" in r or "】" in r for r in doc.recipients)


@pytest.mark.parametrize("furniture", BYLINE_LABELS)
def test_byline_labels_above_the_title_leave_the_head_readable(furniture):
    doc = parse_text(furniture + "关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_byline_in_brackets_under_the_title_is_read_past():
    doc = parse_text("关于举办拔河比赛的通知\n【栏目名称】:工会工作 【发布时间】:2018-05-02 【点击数】:\n" + WEB_BODY + "校工会\n")
    assert doc.recipients == ["各分工会"]
    assert doc.published == "2018-05-02" and doc.date is None


def test_a_dated_byline_ends_the_title_over_the_recipients():
    doc = parse_text("机关工会开展合理化建议征集活动\n某某公司 2018-05-02\n机关、后勤各工会小组:\n"
                     "为激发会员热情，决定开展征集活动。请各小组于5月10日前报送建议。\n机关工会\n")
    assert doc.title == "机关工会开展合理化建议征集活动"
    assert doc.recipients == ["机关、后勤各工会小组"]


# ---------------------------------------------------------------- a 成文日期 that lost a mark

@pytest.mark.parametrize("closing, issuer, date", [
    ("人事处\n2019年4月23\n", "人事处", "2019-04-23"),  # the 日 lost
    ("某某大学工会委员会        20195月7\n", "某某大学工会委员会", "2019-05-07"),  # 年 and 日 lost, signer beside it
    ("校工会\n二一九年四月二十三日\n", "校工会", "2019-04-23"),  # the year's 〇 lost
])
def test_signature_date_that_lost_a_mark(closing, issuer, date):
    doc = parse_text(WEB_BODY + closing)
    assert doc.issuer == issuer
    assert doc.date == date


@pytest.mark.parametrize("line", ["2019年13月2", "2019年2月30", "201945"])
def test_a_date_line_that_reads_no_date_stays_undated(line):
    doc = parse_text(WEB_BODY + "校工会\n" + line + "\n")
    assert doc.date is None


def test_a_forwarding_note_signed_with_a_damaged_date_is_the_notice():
    doc = parse_text("各学院、部门:\n现将上级通知转发给你们，请于5月10日前报送材料。\n科研处\n2019年4月23\n"
                     "某省工会文件\n关于征集技术成果的通知\n各直属工会:\n请于5月20日前报送。\n某省工会\n2019年4月2日\n")
    assert doc.issuer == "科研处"
    assert doc.date == "2019-04-23"


def test_relative_deadline_of_an_undated_web_copy_counts_from_its_publication_date(tmp_path):
    from ingest.load import load
    from nlp.checklist.extract import extract

    # the page went up on a Monday and prints no 成文日期: 本周五 is that week's Friday
    text = ("关于举办拔河比赛的通知\n发布时间:2018-04-23\n各分工会：\n为丰富教职工生活，决定举办拔河比赛。"
            "请各分工会于本周五下班前将报名表报校工会。\n校工会\n")
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    cl = extract(load(path))
    assert cl.document["date"] is None and cl.document["published"] == "2018-04-23"
    dues = [(d.year, d.month, d.day) for o in cl.obligations for d in o.deadlines]
    assert (2018, 4, 27) in dues


# ---------------------------------------------------------------- compilation pages of model-text sites
# A heading counting the notices the page holds, then each notice under a label repeating the heading with
# its number (dawenxue, alatiku, 52xueshu, bookm, 010zaixian pages of checklist-pages7, 11 and 14). Made up.

@pytest.mark.parametrize("head", [
    "教职工拔河比赛通知(通用3篇)\n\n时间:\n\n教职工拔河比赛通知 篇1\n",
    "教职工拔河比赛通知实用2篇\n【引言】本站为您整理了教职工拔河比赛通知两篇，供参考。\n教职工拔河比赛通知1\n",
    "教职工拔河比赛通知\n时间:2020-03-02\n教职工拔河比赛通知\n下面是小编整理的拔河比赛通知，希望大家喜欢！\n教职工拔河比赛通知1\n",
    "拔河比赛活动方案精选\n\n拔河比赛活动方案精选篇一\n",
])
def test_compilation_heading_is_no_title(head):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n教职工拔河比赛通知 篇2\n各部门：\n请报名。\n")
    assert doc.title is None
    assert doc.recipients == ["各分工会"]
    assert doc.date == "2018-05-02" and doc.issuer == "校工会"


def test_first_notice_of_a_compilation_gives_its_own_title():
    doc = parse_text("拔河比赛的通知(精选5篇)\n1.拔河比赛的通知 篇一\n关于举办教职工\n拔河比赛的通知\n" + WEB_BODY
                     + "某学院工会\n2018年5月2日\n2.拔河比赛的通知 篇二\n")
    assert doc.title == "关于举办教职工拔河比赛的通知"
    assert doc.recipients == ["各分工会"]
    assert doc.issuer == "某学院工会"


@pytest.mark.parametrize("title", ["关于举办第2届教职工拔河比赛的通知", "2018年教职工拔河比赛方案"])
def test_a_title_with_numbers_is_no_compilation(title):
    doc = parse_text(f"{title}\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == title
    assert doc.recipients == ["各分工会"]


# ---------------------------------------------------------------- a site's service lines over the page
# A hotline, a search box, contact details, a field's name, a menu of other notices cut short (dhslgz, lasc,
# ysu, hxxy pages of checklist-pages11 to 14). Made up.

@pytest.mark.parametrize("above", [
    "服务热线:0123-4567890\n距离2030年运动会还有:\n00 00 00\n文章标题\n",
    "快捷搜索:简历 总结 计划\n",
    "• 联系方式\n  • 电话:0123-4567890\n  • 地址:某市某路8号某楼(100000)\n",
    "站内搜索:\n信息公告\n· 关于举办教职工登山活动...\n· 关于组织会员体检的…\n某大学工会\n当前位置: 首页>>信息公告>>正文\n",
])
def test_service_lines_above_the_title_are_read_past(above):
    doc = parse_text(above + "• 关于举办拔河比赛的通知\n" + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_a_run_on_recipients_line_ending_in_a_colon_is_no_service_line():
    # the first line holds a year and ends in a colon, as a lost label's does, but it is a sentence
    doc = parse_text("各分工会:我校第三届教代会定于2018年12月下旬召开。为做好提案征集工作,现将有关事项通知如下:\n"
                     "一、请各分工会于5月10日前报名。\n")
    assert doc.recipients == ["各分工会"]


# ---------------------------------------------------------------- run-on pages
# A scrape that dropped the page's line breaks ends its last line with the signer and the date (alexchef,
# tbllts, kavyakalra pages of checklist-pages2, 11 and 13). Made up.

RUN_ON = ("关于举办拔河比赛的通知 各分工会: 为丰富教职工生活,决定举办拔河比赛。 一、比赛时间:5月中旬。 "
          "二、报名:请各分工会于5月10日前将报名表报送校工会办公室,联系电话:12345678。 三、其他事宜另行通知。 "
          "附件: 1、拔河比赛报名表 ")


@pytest.mark.parametrize("end, issuer", [
    ("某某学院工会 2018年5月2日", "某某学院工会"),
    ("某某大学工会 委员会 2018年5月2日 |", "某某大学工会委员会"),  # a name cut at a space before a bare organ word
])
def test_signer_and_date_at_the_end_of_a_run_on_page(end, issuer):
    doc = parse_text(RUN_ON + end + "\n|\n")
    assert doc.issuer == issuer and doc.date == "2018-05-02"
    assert "另行通知" in doc.parts[0].text  # the line stays the text's


@pytest.mark.parametrize("end", ["报名截止时间 2018年5月2日", "校工会 2018年5月2日 请准时参加。"])
def test_a_run_on_page_ending_in_no_signature(end):
    doc = parse_text(RUN_ON + end + "\n")
    assert doc.issuer is None and doc.date is None


# ---------------------------------------------------------------- head lines a page repeats or marks as a list
# A byline field behind a list mark (- 浏览次数:…, | 浏览量:, • 阅读量:: gyhmdt of checklist-pages7, pjszgh of
# pages10, yijiayoulu of pages14), the title printed again under the byline on lines wrapped otherwise (gyhmdt,
# bsmz, pjszgh, lnpc, tikeco, hongcai33), and a further 文号 line (the page printing the number again, a joint
# notice's second 文号: pjszgh, yjnet) are read past; all samples made up here.

@pytest.mark.parametrize("byline", [
    "- 发布日期:2018-05-03\n- 浏览次数:27\n",
    "| 浏览量:\n",
    "• 2018-05-03\n• 阅读量:\n",
])
def test_a_byline_behind_a_list_mark_ends_the_title(byline):
    doc = parse_text("关于举办拔河比赛的通知\n" + byline + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title == "关于举办拔河比赛的通知"
    assert doc.recipients == ["各分工会"]


def test_a_list_of_times_in_the_body_is_no_byline():
    doc = parse_text("关于举办拔河比赛的通知\n" + WEB_BODY + "一、比赛安排\n- 时间:5月12日下午\n- 地点:东操场\n"
                     + "校工会\n2018年5月2日\n")
    assert doc.recipients == ["各分工会"]
    assert doc.date == "2018-05-02"


@pytest.mark.parametrize("head", [
    "abc888工会关于举办拔河比赛的 通\n知\n发布日期:2018-05-03\nabc888工会关于举办拔河比赛的\n通 知\n",
    "第三届教职工拔河比赛实施方案\n2018-05-03\n第三届教职工\n拔河比赛实施方案\n",
])
def test_the_title_printed_again_on_other_lines_is_read_past(head):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.title.endswith(("拔河比赛的通知", "拔河比赛实施方案")) and doc.title.count("拔河") == 1
    assert doc.recipients == ["各分工会"]


@pytest.mark.parametrize("head, number", [
    # the page prints the 文号 in its title line, then again on a line of its own
    ("某工发[2018]12号 关于举办拔河比赛的通知\n发布日期:2018-05-03\n某工发[2018]12号\n关于举办拔河比赛的通知\n",
     "某工发〔2018〕12号"),
    # a joint notice: each issuer's 文号 on its line
    ("关于组建镇街工会的通知\n\n        某编〔2001〕5号\n                 某工字〔2001〕9号\n", "某编〔2001〕5号"),
])
def test_a_further_number_line_in_the_head_is_read_past(head, number):
    doc = parse_text(head + WEB_BODY + "校工会\n2018年5月2日\n")
    assert doc.doc_number == number
    assert doc.recipients == ["各分工会"]


def test_organs_stacked_over_an_undated_close_sign_together():
    # as over a date line: each organ on its line, the 成文日期 dropped by the page
    doc = parse_text("关于举办书法作品展的通知\n" + WEB_BODY + "\n        校工会\n\n        某某书法研究会\n")
    assert doc.signers == ["校工会", "某某书法研究会"]
    assert doc.issuer == "校工会、某某书法研究会"
    assert doc.date is None


def test_a_sentence_over_an_undated_signer_does_not_sign():
    doc = parse_text("关于举办书法作品展的通知\n" + WEB_BODY + "请各分工会按时报送作品。\n校工会\n")
    assert doc.signers == ["校工会"] and doc.issuer == "校工会"
