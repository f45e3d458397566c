"""The 公文 structure parser (ingest.structure) and ingest.load: metadata, parts,
section trees and tables, on small notices written here in the genre's layouts
and on the project's own sample notices (corpora/notices, real txt/docx/pdf/html)."""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import NOTICES

from ingest.document import RawText, Source
from ingest.errors import NotADocument
from ingest.load import load, load_bytes
from ingest.structure import parse
from ingest.structure.dates import date_only, parse_date
from ingest.structure.metadata import normalise_doc_number, split_recipients


def parse_text(text: str, name: str = "t.txt"):
    data = text.encode("utf-8")
    src = Source(name=name, format="txt", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return parse(RawText(text=text, format="txt", encoding="utf-8"), src)


JOINT = """\
长 兴 县 总 工 会
长 兴 县 旅 游 委 员 会   文件

长总工【2018】15 号

关于印发《2018年度长兴县职工就近疗养休假
奖补资金管理使用办法》的通知

各镇人民政府（街道、开发区管委会），各乡镇（街
道、园区）（总）工会（委）、县直属产（行）业工会（委）、
有关旅游企业：

现将《2018年度长兴县职工就近疗养休假奖补资金管理使用办法》印发给你们，请抓好贯彻落实。

附件：1．2018年县内职工疗养休假定点接待旅行社名单
2．长兴县职工就近疗养休假申报表

长兴县旅游委员会    长兴县总工会

二〇一八年四月十六日

2018年度长兴县职工就近疗养休假
奖补资金管理使用办法

为鼓励我县职工在县内就近疗养休假，制定本办法。

一、工作目标

提高非公企业组织职工疗养休假的积极性。

二、资金筹集使用

（一）县旅委安排专项资金。具体按有关规定进行奖励。

1．奖励对象。组织职工团队来我县疗养休假的旅游企业。

（1）四星级旅行社。每组织1-2个团给予奖励。

（2）其他旅行社。按实际人数奖励。

2．奖励标准。人均500元（含）以下部分给予25%的奖励。

（二）县总工会安排专项资金。用于补助职工就近疗养休假。

三、工作要求

各单位于2018年12月前完成结算。

附件1

2018年县内职工疗养休假定点接待旅行社名单

长兴远山交通旅行有限公司
长兴青禾旅游有限公司

附件2

长兴县职工就近疗养休假
申报表

单位名称\t联系人\t参加人数
东溪镇总工会\t王 芳\t80
南岭镇总工会\t李 虎\t30

抄送：市总工会，县委办、县政府办。
长兴县总工会办公室        2018年4月16日印发
"""


def test_joint_notice_metadata():
    doc = parse_text(JOINT)
    assert doc.letterhead == "长兴县总工会长兴县旅游委员会文件"
    assert doc.doc_number == "长总工〔2018〕15号"
    assert doc.title == "关于印发《2018年度长兴县职工就近疗养休假奖补资金管理使用办法》的通知"
    assert doc.recipients == ["各镇人民政府（街道、开发区管委会）", "各乡镇（街道、园区）（总）工会（委）",
                              "县直属产（行）业工会（委）", "有关旅游企业"]
    assert doc.date == "2018-04-16"
    # 长总工 abbreviates 长兴县总工会, though the 落款 names the 旅游委员会 first
    assert doc.issuer == "长兴县总工会"
    assert doc.issuers == ["长兴县旅游委员会", "长兴县总工会"]
    assert doc.signers == ["长兴县旅游委员会", "长兴县总工会"]
    assert doc.doc_type == "通知"
    assert doc.cc == ["市总工会", "县委办", "县政府办"]
    assert doc.printed_by == "长兴县总工会办公室"
    assert doc.printed_date == "2018-04-16"
    assert doc.attachment_note == ["2018年县内职工疗养休假定点接待旅行社名单", "长兴县职工就近疗养休假申报表"]
    for key in ("letterhead", "doc_number", "title", "recipients", "date"):
        span = doc.spans[key]
        assert span.start < span.end
    assert doc.text[doc.spans["date"].start:doc.spans["date"].end] == "二〇一八年四月十六日"
    assert "15" in doc.text[doc.spans["doc_number"].start:doc.spans["doc_number"].end]


def test_issued_document_body_and_attachments():
    doc = parse_text(JOINT)
    kinds = [(p.kind, p.label, p.title) for p in doc.parts]
    assert kinds == [
        ("notice", None, doc.title),
        ("body", None, "2018年度长兴县职工就近疗养休假奖补资金管理使用办法"),
        ("attachment", "附件1", "2018年县内职工疗养休假定点接待旅行社名单"),
        ("attachment", "附件2", "长兴县职工就近疗养休假申报表"),
    ]
    assert doc.embedded[0] == {"title": "2018年度长兴县职工就近疗养休假奖补资金管理使用办法", "kind": "正文"}
    notice, body, att1, att2 = doc.parts
    # parts follow each other and the 版记 belongs to none of them
    assert notice.start == 0 and notice.end <= body.start < body.end <= att1.start < att2.start
    assert "抄送" not in att2.text and "印发" not in att2.text
    assert "现将" in notice.preamble
    assert "长兴远山交通旅行有限公司" in att1.text


def test_section_tree_levels_and_offsets():
    doc = parse_text(JOINT)
    body = doc.parts[1]
    tops = [s.heading for s in body.sections]
    assert tops == ["一、工作目标", "二、资金筹集使用", "三、工作要求"]
    two = body.sections[1]
    assert [c.heading for c in two.children] == ["（一）县旅委安排专项资金", "（二）县总工会安排专项资金"]
    one = two.children[0]
    assert one.text.startswith("具体按有关规定进行奖励")
    assert [c.heading for c in one.children] == ["1．奖励对象", "2．奖励标准"]
    sub = one.children[0].children
    assert [c.heading for c in sub] == ["（1）四星级旅行社", "（2）其他旅行社"]
    # "每组织1-2个团" inside a sentence is no heading; path runs from the part's top
    assert sub[0].path == ["二、资金筹集使用", "（一）县旅委安排专项资金", "1．奖励对象", "（1）四星级旅行社"]
    assert sub[0].level == 4 and sub[0].text == "每组织1-2个团给予奖励。"
    for _, s in doc.sections():
        assert doc.text[s.start:s.end].replace("**", "").startswith(s.number)
    assert one.start < one.children[0].start < one.end <= two.end
    assert two.children[1].start >= one.end


def test_text_tables_attach_to_their_part():
    doc = parse_text(JOINT)
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert t.title == "长兴县职工就近疗养休假申报表"
    assert t.header == ["单位名称", "联系人", "参加人数"]
    assert t.rows == [["东溪镇总工会", "王 芳", "80"], ["南岭镇总工会", "李 虎", "30"]]
    assert doc.parts[3].tables == [t]
    assert doc.text[t.start:t.end].startswith("单位名称")


def test_real_tables_from_reader_are_kept_and_deduplicated():
    from ingest.document import Table

    text = "关于报送名单的通知\n\n请按下表报送。\n\n姓名\t单位\n王 星\t市总工会\n"
    start = text.index("姓名")
    real = Table(title=None, header=["姓名", "单位"], rows=[["王星", "市总工会"]], start=start, end=len(text) - 1)
    other = Table(title="另表", header=["a", "b"], rows=[], start=None, end=None)
    raw = RawText(text=text, format="docx", tables=[real, other])
    doc = parse(raw, Source("t.docx", "docx", "0" * 64, len(text)))
    # the same rows read back from the text are not listed twice
    assert len(doc.tables) == 2
    assert doc.tables[0] is real and doc.tables[1] is other
    assert doc.parts[0].tables == [real]


OPINION = """\
九江市总工会文件

九工办发（2022）2号

九江市总工会办公室关于完善 工会机关干部下沉基层蹲点工作机制的意见

各县（市、区）总工会、市总工会机关各部室及所属单位：

为巩固拓展蹲点工作成果，现提出如下意见。

一、主要任务

**（一）加强思想引领。**认真宣传党的理论和路线方针政策。

1. 建立工作台账。2022年3月1日前完成。

2022年起每年选派3%至5%的干部赴基层蹲点。

2. 开展调研。每年至少确定一项调研课题。

(二) 扩大工会覆盖。推动基层工会建起来。

二、组织领导

联络指导小组名单如下：

陈望舒 市总工会党组副书记、常务副主席

李 虎 市总工会经费审查委员会主任

九江市总工会办公室

二〇二二年三月一日
"""


def test_opinion_issuer_is_the_office_that_signs():
    doc = parse_text(OPINION)
    assert doc.letterhead == "九江市总工会文件"
    assert doc.doc_number == "九工办发〔2022〕2号"
    # the space wrapping left inside the title is gone
    assert doc.title == "九江市总工会办公室关于完善工会机关干部下沉基层蹲点工作机制的意见"
    assert doc.doc_type == "意见"
    assert doc.recipients == ["各县（市、区）总工会", "市总工会机关各部室及所属单位"]
    assert doc.date == "2022-03-01"
    assert doc.signers == ["九江市总工会办公室"]
    # the letterhead names the parent body; 九工办 and the 落款 name the 办公室
    assert doc.issuer == "九江市总工会办公室" and doc.issuers == ["九江市总工会办公室"]
    assert len(doc.parts) == 1 and doc.parts[0].kind == "notice"


def test_opinion_sections_bold_halfwidth_and_false_headings():
    doc = parse_text(OPINION)
    part = doc.parts[0]
    one = part.sections[0]
    assert [c.heading for c in one.children] == ["（一）加强思想引领", "(二)扩大工会覆盖"]
    first = one.children[0]
    assert first.text.startswith("认真宣传党的理论") and "**" not in first.text
    assert [c.heading for c in first.children] == ["1.建立工作台账", "2.开展调研"]
    # a line starting with a year is text of the item above, not a heading
    assert "2022年起每年选派" in first.children[0].text
    roster = part.sections[1]
    assert roster.heading == "二、组织领导"
    assert "陈望舒 市总工会党组副书记、常务副主席" in roster.text
    assert "李 虎 市总工会经费审查委员会主任" in roster.text
    # the 落款 is not part of the last section
    assert "二〇二二年" not in roster.text


MEASURES = """\
长兴县困难职工帮扶实施办法
（试行）

第一章 总 则

第一条 为规范困难职工帮扶工作，帮助困难职工解决生活难题，制定本办法。

第二条 困难职工帮扶工作由县总工会统筹组织实施。

第二章 帮扶标准

第三条 生活帮扶

（一）列入全国级困难职工档案的家庭，年帮扶资金3000元至6000元/户。

（二）列入省级困难职工档案的家庭，年帮扶资金2000元至4000元/户。

第四条 本办法自2018年4月11日起执行。
"""


def test_measures_without_header_chapters_and_articles():
    doc = parse_text(MEASURES)
    assert doc.title == "长兴县困难职工帮扶实施办法（试行）"
    assert doc.doc_type == "办法"
    assert doc.doc_number is None and doc.issuer is None and doc.date is None and doc.recipients == []
    part = doc.parts[0]
    assert [s.heading for s in part.sections] == ["第一章总则", "第二章帮扶标准"]
    ch2 = part.sections[1]
    assert [s.heading for s in ch2.children] == ["第三条生活帮扶", "第四条"]
    art3 = ch2.children[0]
    assert [s.number for s in art3.children] == ["（一）", "（二）"]
    assert art3.children[0].path == ["第二章帮扶标准", "第三条生活帮扶", art3.children[0].heading]
    art1 = part.sections[0].children[0]
    assert art1.title == "" and art1.text.startswith("为规范困难职工帮扶工作")


WEB_COPY = """\
上饶市总工会关于推荐2025年度“上饶工匠”人选的通知
发布时间：2025-03-10 09:30  来源：上饶市总工会
饶工字(2025)8号
各县（市、区）总工会，上饶经开区、上饶高铁经济试验区总工会，市直各产业工会：
市总工会决定开展2025年度“上饶工匠”推荐评选工作。现将有关事项通知如下。
一、评选名额
2025年度全市评选“上饶工匠”20名。
上饶市总工会
2025年3月10日
"""


def test_web_copy_prints_title_before_doc_number():
    doc = parse_text(WEB_COPY)
    assert doc.title == "上饶市总工会关于推荐2025年度“上饶工匠”人选的通知"
    assert doc.doc_number == "饶工字〔2025〕8号"
    assert doc.recipients == ["各县（市、区）总工会", "上饶经开区、上饶高铁经济试验区总工会", "市直各产业工会"]
    assert doc.issuer == "上饶市总工会" and doc.date == "2025-03-10"
    assert doc.letterhead is None
    assert [s.heading for s in doc.parts[0].sections] == ["一、评选名额"]


def test_report_without_header_is_typed_by_its_genre():
    text = ("修水县总工会开展“送清凉”慰问活动\n\n"
            "7月16日，修水县总工会带领机关干部走进环卫作业点，为高温一线劳动者送去防暑降温物资。\n\n"
            "（通讯员 黎小红）\n")
    doc = parse_text(text)
    assert doc.title == "修水县总工会开展“送清凉”慰问活动"
    assert doc.doc_type == "报道"
    assert doc.issuer == "修水县总工会"  # the organ the headline begins with
    assert doc.doc_number is None and doc.recipients == []


@pytest.mark.parametrize("printed, expected", [
    ("九工办发（2022）2号", "九工办发〔2022〕2号"),
    ("九工办发(2022)2号", "九工办发〔2022〕2号"),
    ("九工办发[2022]2号", "九工办发〔2022〕2号"),
    ("九工办发【2022】2号", "九工办发〔2022〕2号"),
    ("长总工〔2018〕4 号", "长总工〔2018〕4号"),
    # the schema normalises the brackets only: a serial printed 04 stays 04 (as the gold of the
    # page notices reads 校工字[2015]02号)
    ("长总工 〔 2018 〕 04 号", "长总工〔2018〕04号"),
])
def test_doc_number_brackets_and_spaces(printed, expected):
    assert normalise_doc_number(printed)[0] == expected
    doc = parse_text(f"某某市总工会文件\n\n{printed}\n\n关于做好工作的通知\n\n各县总工会：\n\n请认真落实。\n")
    assert doc.doc_number == expected


@pytest.mark.parametrize("printed, iso", [
    ("2022年3月1日", "2022-03-01"),
    ("2022 年 3 月 1 日", "2022-03-01"),
    ("二〇二二年三月一日", "2022-03-01"),
    ("二○二二年十一月十五日", "2022-11-15"),
    ("二零二三年十二月三十一日", "2023-12-31"),
])
def test_dates_digits_and_chinese_numerals(printed, iso):
    assert date_only(printed) == iso
    assert parse_date(f"于{printed}印发") == iso


def test_not_dates():
    assert date_only("年 月 日") is None
    assert date_only("2022年13月1日") is None
    assert date_only("2022年3月1日印发") is None


def test_recipients_split_outside_brackets_only():
    assert split_recipients("各县（市、区）总工会、市总工会机关各部室及所属单位：") == [
        "各县（市、区）总工会", "市总工会机关各部室及所属单位"]
    # 县直、产（行）业工会 share their ending: one recipient
    assert split_recipients("各乡镇（街道、园区）（总）工会（委），县直、产（行）业工会（委）：") == [
        "各乡镇（街道、园区）（总）工会（委）", "县直、产（行）业工会（委）"]


# ---------------------------------------------------------------- sample corpus


def test_corpus_docx_issues_a_plan_with_two_attachments():
    doc = load(NOTICES / "2023_ganzhou_dundian_fangan.docx")
    assert doc.letterhead == "赣州市总工会文件"
    assert doc.doc_number == "赣工办发〔2023〕12号"
    assert doc.issuer == "赣州市总工会办公室"
    assert doc.date == "2023-04-12"
    assert doc.doc_type == "通知"
    assert [(p.kind, p.label) for p in doc.parts] == [
        ("notice", None), ("body", None), ("attachment", "附件1"), ("attachment", "附件2")]
    assert doc.parts[1].title == "全市工会领导机关干部赴基层驻点蹲点工作实施方案"
    assert [s.heading for s in doc.parts[1].sections][:3] == ["一、工作目标", "二、蹲点安排", "三、主要任务"]
    assert doc.parts[3].tables, "the DOCX table of 附件2 is kept"


def test_corpus_pdf_opinion_has_pages():
    doc = load(NOTICES / "2022_hunan_xinjiuye_yijian.pdf")
    assert doc.doc_number == "湘工发〔2022〕9号"
    assert doc.title == "湖南省总工会关于加强新就业形态劳动者入会和服务工作的意见"
    assert doc.doc_type == "意见" and doc.issuer == "湖南省总工会" and doc.date == "2022-06-20"
    assert doc.page_starts and doc.spans["title"].page == 1
    secs = [s for _, s in doc.sections()]
    assert any(s.heading == "（1）推动协商协调" for s in secs)
    deep = next(s for s in secs if s.heading == "（1）推动协商协调")
    assert deep.path[0] == "二、重点工作" and deep.level == 4 and deep.page >= 1


def test_corpus_gb18030_measures_notice():
    doc = load(NOTICES / "2021_mianyang_bangfu_banfa.txt")
    assert doc.doc_number == "绵工发〔2021〕27号"
    assert doc.title == "绵阳市总工会关于印发《绵阳市总工会困难职工帮扶资金管理办法》的通知"
    assert doc.date == "2021-09-06" and doc.printed_date == "2021-09-08"
    body = doc.parts[1]
    assert body.kind == "body" and body.title == "绵阳市总工会困难职工帮扶资金管理办法"
    assert body.sections[0].heading == "第一章总则"
    assert body.sections[0].children[0].number == "第一条"


def test_corpus_html_web_copy_and_chinese_date():
    doc = load(NOTICES / "2025_shangrao_gongjiang_tuijian.html")
    assert doc.title == "上饶市总工会关于推荐2025年度“上饶工匠”人选的通知"
    assert doc.doc_number == "饶工字〔2025〕8号"
    assert doc.date == "2025-03-10"


def test_corpus_every_sample_parses_with_consistent_offsets():
    files = sorted(p for p in NOTICES.iterdir() if p.is_file())
    assert len(files) >= 10
    for f in files:
        doc = load(f)
        assert doc.title, f.name
        for part in doc.parts:
            assert doc.text[part.start:part.end] == part.text
        for _, s in doc.sections():
            assert 0 <= s.start < s.end <= len(doc.text)


def test_load_bytes_and_not_a_document():
    data = (NOTICES / "2024_jian_zhongda_shixiang.txt").read_bytes()
    doc = load_bytes(data, "x.txt")
    assert doc.doc_number and doc.doc_type == "通知"
    with pytest.raises(NotADocument):
        load_bytes("12345, 67890\n3.14, 2.71\n".encode(), "numbers.txt")


def test_signature_and_date_on_one_line_and_chinese_attachment_number():
    doc = parse_text("九江市总工会文件\n九工发〔2022〕5号\n关于表彰2021年度先进集体的决定\n各县（市、区）总工会：\n"
                     "经研究，决定表彰先进集体。\n附件：先进集体名单\n九江市总工会　　　2022年5月1日\n"
                     "附件一\n先进集体名单\n修水县总工会\n武宁县总工会\n")
    assert doc.doc_type == "决定"
    assert doc.date == "2022-05-01" and doc.signers == ["九江市总工会"]
    assert doc.attachment_note == ["先进集体名单"]
    assert [(p.kind, p.label, p.title) for p in doc.parts][1:] == [("attachment", "附件1", "先进集体名单")]


def test_headerless_title_does_not_swallow_the_first_paragraph():
    doc = parse_text("工会法人资格变更须知\n申请变更的基层工会应当提交下列材料\n一、变更登记表\n"
                     "填写《工会法人资格变更登记表》一式三份。\n")
    assert doc.title == "工会法人资格变更须知"
    assert doc.doc_type == "其他"
    assert [s.heading for s in doc.parts[0].sections] == ["一、变更登记表"]


def test_unrecognised_issued_text_after_the_signature_keeps_its_sections():
    doc = parse_text("关于印发《工作要点》的通知\n各县总工会：\n现将《工作要点》印发给你们。\n某某市总工会\n2023年1月5日\n"
                     "二〇二三年全市工会重点任务安排\n一、强化思想引领\n开展主题教育。\n二、深化产业工人队伍建设改革\n推进改革试点。\n")
    headings = [s.heading for _, s in doc.sections()]
    assert headings == ["一、强化思想引领", "二、深化产业工人队伍建设改革"]
    assert doc.date == "2023-01-05"


def test_table_merged_leading_cells_are_repeated():
    doc = parse_text("关于对口联系的通知\n\n各县总工会：\n\n请按下表联系。\n\n对口联系安排表\n"
                     "市总工会领导\t县级工会\t联系人\n陈望舒\t修水县\t林可为\n\t武宁县\t赵一禾\n孙晓川\t庐山市\t\n")
    t = doc.tables[0]
    assert t.title == "对口联系安排表"
    assert t.rows == [["陈望舒", "修水县", "林可为"], ["陈望舒", "武宁县", "赵一禾"], ["孙晓川", "庐山市", ""]]


@pytest.mark.parametrize("layout", ["header", "web"])
def test_wrapped_title_whose_first_line_ends_like_a_title(layout):
    title = "关于进一步加强和改进工会经费管理办法\n执行情况监督检查的通知"
    if layout == "header":
        text = f"九江市总工会文件\n九工发〔2022〕5号\n{title}\n各县（市、区）总工会：\n请认真落实。\n"
    else:
        text = f"{title}\n发布时间：2022-01-01\n九工发〔2022〕5号\n各县（市、区）总工会：\n请认真落实。\n"
    doc = parse_text(text)
    assert doc.title == "关于进一步加强和改进工会经费管理办法执行情况监督检查的通知"
    assert doc.doc_type == "通知" and doc.doc_number == "九工发〔2022〕5号"
    assert doc.recipients == ["各县（市、区）总工会"]


def test_one_notice_in_txt_docx_pdf_parses_alike():
    renderings = sorted((NOTICES.parent / "renderings").glob("2023_ganzhou_dundian_fangan.*"))
    assert {p.suffix for p in renderings} == {".txt", ".docx", ".pdf"}
    docs = [load(p) for p in renderings]
    first = docs[0]
    for doc in docs[1:]:
        assert doc.metadata() == first.metadata(), doc.source.name
        assert [(p.kind, p.label, p.title) for p in doc.parts] == [(p.kind, p.label, p.title) for p in first.parts]
        assert [s.path for _, s in doc.sections()] == [s.path for _, s in first.sections()]


def _joined(items):
    return re.sub(r"[、，,；;：:\s]", "", "".join(items or []))


GOLD = sorted((NOTICES.parent / "gold").glob("*.gold.json"))


@pytest.mark.parametrize("gold_path", GOLD, ids=[p.name.split(".")[0] for p in GOLD])
def test_corpus_metadata_matches_gold(gold_path):
    """Metadata of each sample notice against the corpus's hand-written gold."""
    gold = json.loads(gold_path.read_text("utf-8"))
    meta = gold["metadata"]
    stem = Path(gold.get("source") or gold_path.name.replace(".gold.json", "")).stem
    (source,) = [p for p in NOTICES.iterdir() if p.stem == stem]
    doc = load(source)
    got = doc.metadata()
    for key in ("issuer", "doc_number", "title", "date", "doc_type"):
        if key in meta:
            assert re.sub(r"\s", "", str(got[key])) == re.sub(r"\s", "", str(meta[key])), key
    if "recipients" in meta:
        # where to split 县直、产（行）业工会 is a matter of taste: compared as one line
        assert _joined(got["recipients"]) == _joined(meta["recipients"])
    if "embedded" in meta:
        assert [(e["kind"], e["title"]) for e in got["embedded"]] == [(e["kind"], e["title"]) for e in meta["embedded"]]


def test_page_at_counts_the_pages_begun_at_or_before_an_offset():
    # what every checklist item's page and every section's page come from
    from ingest.document import page_at

    starts = [0, 100, 100, 250]  # page 3 is blank: pages 2 and 3 begin at the same offset
    assert [page_at(starts, o) for o in (0, 99, 100, 249, 250, 10**6)] == [1, 1, 3, 3, 4, 4]
    assert page_at([5, 10], 0) == 1 and page_at([], 3) is None
