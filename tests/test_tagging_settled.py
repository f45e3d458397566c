"""Arrears a report ends by saying were paid are no signal; part-paid, promised, sought or still
owed pay stays one (nlp.tagging.settled and its use in Tagger.predict)."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.tagging.normalize import normalize
from nlp.tagging.settled import pay_settled

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
