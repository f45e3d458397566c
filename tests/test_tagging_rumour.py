"""A risk told only as the claim a rebuttal answers is no signal; what the rebuttal reports as
real stays one (nlp.tagging.rumour and its use in Tagger.predict)."""
from __future__ import annotations

from pathlib import Path

from nlp.tagging.normalize import normalize
from nlp.tagging.rumour import rumour_framed

ROOT = Path(__file__).resolve().parents[1]
CLAIM = "有网友发帖称城南一家纺织厂发生疫情，厂区已被封控，数百名工人被隔离在宿舍。"
REBUTTAL = "经区防控办核实，该消息不实。"
REAL = "网传城北工地塔吊倒塌致三人死亡的消息为谣言。经住建局核实，当天一名安装工人在塔吊升降作业中坠落身亡，事故原因正在调查。"


def test_a_claim_before_its_rebuttal_is_rumour_framed():
    text = normalize(CLAIM + REBUTTAL)
    assert rumour_framed(text, [(text.index("疫情"), True)]) == "不实"


def test_what_is_reported_real_after_the_rebuttal_is_not():
    text = normalize(REAL)
    assert rumour_framed(text, [(text.index("倒塌"), True), (text.index("坠落"), True)]) is None
    # a mention outside any claim frame, before the rebuttal
    text = normalize("工地上有三名工人在高温下中暑晕倒，已送医治疗。另外，网传工地停工的消息不实。")
    assert rumour_framed(text, [(text.index("中暑"), True)]) is None


def test_the_tagger_drops_the_rebutted_claim_and_keeps_the_real_accident():
    from nlp.tagging import Tagger

    tagger = Tagger.load(ROOT / "models" / "tagger")
    claim, real = tagger.predict([CLAIM + REBUTTAL, REAL])
    assert "disaster_emergency" not in [r["id"] for r in claim.risks]
    dis = [m for m in claim.mentions if m["id"] == "disaster_emergency"]
    assert dis and all(m["status"] not in ("present", "threatened") for m in dis)
    assert "safety_health" in [r["id"] for r in real.risks]
