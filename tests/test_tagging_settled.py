"""Arrears a report ends by saying were paid are no signal; part-paid, promised, sought or still
owed pay stays one (nlp.tagging.settled and its use in Tagger.predict)."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.tagging.normalize import normalize
from nlp.tagging.settled import agreement_settles, disaster_passed, dispute_settled, matter_resolved, pay_settled

ROOT = Path(__file__).resolve().parents[1]
STORY = "去年冬天，工地上的二十多名农民工被拖欠工资四万多元，多次讨要无果，找到区总工会求助。工会干部联系劳动监察大队和总包单位协调。"


@pytest.mark.parametrize("end", ["上周，二十多名工人终于拿到了被拖欠的全部工资。",
                                 "经协调，总包单位已于7月21日将工资全部结清。",
                                 "所欠工资已通过银行专用账户全部发放到工人手中。"])
def test_a_story_that_ends_with_the_pay_received_is_settled(end):
    assert pay_settled(normalize(STORY + end))


@pytest.mark.parametrize("end", ["上周，工人们拿到了部分工资，其余工资仍未发放。",
                                 "包工头承诺月底结清工资。",
                                 "工人们意图讨回欠薪，堵住了工地大门。",
                                 "工人们担心能否及时拿到工钱。",
                                 "上周工人们拿到了工资。但仍有十人的工资尚未发放。",
                                 "工人们只拿到了一张欠条。"])
def test_part_paid_promised_sought_or_still_owed_pay_is_not_settled(end):
    assert pay_settled(normalize(STORY + end)) is None


def test_the_tagger_drops_the_settled_arrears_and_shows_the_settlement_as_cue():
    from nlp.tagging import Tagger

    tagger = Tagger.load(ROOT / "models" / "tagger")
    paid, part = tagger.predict([STORY + "上周，二十多名工人终于拿到了被拖欠的全部工资。",
                                 STORY + "上周，工人们拿到了部分工资，其余工资仍未发放。"])
    assert "wage_arrears" not in [r["id"] for r in paid.risks]
    wage = [m for m in paid.mentions if m["id"] == "wage_arrears"]
    assert wage and all(m["status"] not in ("present", "threatened") for m in wage)
    assert any("拿到了被拖欠的全部工资" == m.get("cue", {}).get("text") for m in wage)
    assert "wage_arrears" in [r["id"] for r in part.risks]


DISPUTE = "去年底，一家电子厂以经营困难为由裁员，职工小李被辞退后没有拿到经济补偿，到区总工会求助。工会调解员约企业和小李面谈，讲清法律规定。"


@pytest.mark.parametrize("end", ["最终双方达成调解协议，企业当场支付小李经济补偿金两万元。",
                                 "经过三轮协商，双方握手言和。",
                                 "这起劳动争议就此圆满解决。"])
def test_a_dispute_that_ends_agreed_is_settled(end):
    assert dispute_settled(normalize(DISPUTE + end))


@pytest.mark.parametrize("end", ["最终双方达成调解协议，企业承诺下月支付经济补偿金。",
                                 "双方达成调解协议，企业先支付了40%的补偿。",
                                 "双方未能达成一致，小李已申请仲裁。",
                                 "下午，调解一起年休假争议，双方握手言和。",
                                 "工会推动企业与职工代表开展集体协商，达成协议。",
                                 "区总工会建立劳动争议多元化解机制，调解成功率九成。"])
def test_a_promised_part_failed_or_other_agreement_settles_nothing(end):
    assert dispute_settled(normalize(DISPUTE + end)) is None


def test_an_agreement_after_a_new_diary_item_or_naming_another_risk_settles_nothing():
    text = normalize("上午，职工反映企业欠薪三个月。下午，经协调，企业已给女职工补发产假工资，纠纷得到圆满解决。")
    arrears = text.index("欠薪")
    assert agreement_settles(text, {"wage_arrears": [(arrears, arrears + 2)]},
                             [("wage_arrears", arrears), ("women_workers", text.index("产假"))]) is None
    text = normalize("职工反映企业欠薪三个月，到工会求助。经工会调解，双方达成调解协议，企业当场付清。")
    arrears = text.index("欠薪")
    assert agreement_settles(text, {"wage_arrears": [(arrears, arrears + 2)]}, [("wage_arrears", arrears)])[2] == {
        "wage_arrears"}


def test_the_tagger_drops_a_dispute_settled_by_agreement_and_shows_the_agreement_as_cue():
    from nlp.tagging import Tagger

    tagger = Tagger.load(ROOT / "models" / "tagger")
    agreed, promised = tagger.predict([DISPUTE + "最终双方达成调解协议，企业当场支付小李经济补偿金两万元。",
                                       DISPUTE + "最终双方达成调解协议，企业承诺下月支付小李经济补偿金两万元。"])
    assert "layoffs_paycuts" not in [r["id"] for r in agreed.risks]
    ms = [m for m in agreed.mentions if m["id"] == "layoffs_paycuts"]
    assert ms and all(m["status"] == "settled" and m["cue"]["text"] == "达成调解协议" for m in ms)
    assert "layoffs_paycuts" in [r["id"] for r in promised.risks]


STORM = "本周强台风正面登陆，厂区一带狂风暴雨。公司工会连夜组织人员加固厂房、清理排水沟，把沙袋送到低洼车间。"


@pytest.mark.parametrize("end", ["台风过后清点，除一处仓库屋顶漏雨外，没有造成人员伤亡和财产损失。",
                                 "经过统计，各车间均没有损伤，生产经营一切正常。",
                                 "各方齐心协力，把台风造成的损失降低到了最低程度。"])
def test_a_disaster_that_ends_without_harm_has_passed(end):
    assert disaster_passed(normalize(STORM + end))


@pytest.mark.parametrize("end", ["台风过后，工会帮助受灾职工清理家园，力促将损失降到最低。",
                                 "厂区没有造成财产损失，但仍有两名职工家中被淹，需要转移安置。",
                                 "台风过后，三个车间被淹，一名职工受伤。"])
def test_harm_still_told_or_no_harm_as_an_aim_has_not_passed(end):
    assert disaster_passed(normalize(STORM + end)) is None


def test_the_tagger_drops_a_disaster_that_passed_without_harm_and_keeps_one_that_harmed():
    from nlp.tagging import Tagger

    tagger = Tagger.load(ROOT / "models" / "tagger")
    passed, aim, other = tagger.predict([STORM + "台风过后清点，除一处仓库屋顶漏雨外，没有造成人员伤亡和财产损失。",
                                         STORM + "台风过后，工会帮助受灾职工清理家园，力促将损失降到最低。",
                                         STORM + "下午，到另一家企业走访，一切正常。"])
    assert "disaster_emergency" not in [r["id"] for r in passed.risks]
    ms = [m for m in passed.mentions if m["id"] == "disaster_emergency"]
    assert ms and all(m["status"] == "settled" and m["cue"]["text"] == "没有造成人员伤亡" for m in ms)
    assert "disaster_emergency" in [r["id"] for r in aim.risks]
    assert "disaster_emergency" in [r["id"] for r in other.risks]


@pytest.mark.parametrize("end", ["经协调，总包单位当场支付了二十多名工人工资四万余元。",
                                 "经统计，这次为工人发放的工资共有四万余元。"])
def test_pay_handed_out_with_its_sum_is_settled(end):
    assert pay_settled(normalize(STORY + end))


@pytest.mark.parametrize("end", ["总包单位承诺第二天支付工人应发的工资总额四万余元。",
                                 "包工头却将发放给工人的工资共计四万余元携款潜逃。",
                                 "包工头以没收到工程款为由暂不支付工人工资四万元。"])
def test_a_sum_promised_due_taken_or_withheld_is_not_settled(end):
    assert pay_settled(normalize(STORY + end)) is None


CHECK = "本月，公司工会组织群监员深入车间开展安全隐患排查，发现配电箱漏电、消防通道堵塞、高处作业无防护等安全隐患23处。"
INJURY = "去年秋天，某物流公司分拣员小张在搬运货物时摔伤腰部，公司拒绝承担工伤待遇，小张找到市总工会法律援助中心求助。"


@pytest.mark.parametrize("text,hazard", [(CHECK + "截至月底，查出的隐患均已整改完毕，整改率100%。", True),
                                         (CHECK + "目前，这些隐患已全部整改完成。", True),
                                         (INJURY + "在工会律师的帮助下，这起工伤待遇纠纷得到妥善解决。", False),
                                         (INJURY + "经过两次开庭，案结事了，小张拿到了赔偿。", False)])
def test_a_case_closed_or_hazards_all_rectified_is_resolved(text, hazard):
    found = matter_resolved(normalize(text))
    assert found is not None and found[3] is hazard


@pytest.mark.parametrize("end", ["检查组要求企业限期整改到位。",
                                 "企业负责人表示将尽快全部整改到位。",
                                 "截至月底，隐患已全部整改完成，但仍有两处正在施工加固。"])
def test_hazards_ordered_promised_or_still_open_are_not_resolved(end):
    assert matter_resolved(normalize(CHECK + end)) is None


def test_a_case_still_fought_or_closing_as_an_aim_is_not_resolved():
    assert matter_resolved(normalize(INJURY + "工会律师正在帮他申请劳动仲裁，力争让纠纷得到妥善解决。")) is None
    assert matter_resolved(normalize(INJURY + "这起纠纷得到妥善解决，但公司不服，已提起上诉。")) is None


def test_the_tagger_drops_rectified_hazards_and_keeps_an_accident_told_beside_them():
    from nlp.tagging import Tagger

    tagger = Tagger.load(ROOT / "models" / "tagger")
    end = "截至月底，查出的隐患均已整改完毕，整改率100%。"
    rectified, ordered, accident = tagger.predict([
        CHECK + end, CHECK + "检查组要求企业限期整改到位。",
        "上周，一名工人在车间检修时触电受伤，送医抢救。事后，工会组织群监员排查，发现配电箱漏电等安全隐患5处。" + end])
    assert "safety_health" not in [r["id"] for r in rectified.risks]
    ms = [m for m in rectified.mentions if m["id"] == "safety_health" and m.get("cue", {}).get("text") == "均已整改完毕"]
    assert ms and all(m["status"] == "settled" for m in ms)
    assert "safety_health" in [r["id"] for r in ordered.risks]
    assert "safety_health" in [r["id"] for r in accident.risks]
