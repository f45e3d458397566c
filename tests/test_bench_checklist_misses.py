"""bench/checklist_misses.py: the kinds a missed hard duty is sorted into. The notice below is written
for the test (the figures come from real notices and cached pages, outside the repository)."""
from __future__ import annotations

from fixtures_make import make_text

from ingest.load import load
from nlp.checklist import duty_model as dm
from scripts import load_script

misses = load_script("bench/checklist_misses.py")

NOTICE = """关于举办教职工象棋友谊赛的通知

各分工会：
    为丰富教职工业余生活，校工会决定举办教职工象棋友谊赛。
    一、报名要求
    请各分工会于5月12日前将报名表报送校工会办公室，每个分工会限报3人。

校工会
2024年5月2日
"""


def _example(tmp_path, gold_texts):
    doc = load(make_text(tmp_path / "xiangqi.txt", NOTICE))
    gold = {"obligations": [{"text": t, "tier": "hard"} for t in gold_texts]}
    return dm.example(doc, gold, "made-up/xiangqi.txt", "made-up", splits=False)


def test_locate_ignores_whitespace_and_falls_back_on_the_opening():
    text = "一、要求\n  请各单位 于3月1日前\n报送名单。"
    a, b = misses._locate(text, "请各单位于3月1日前报送名单")
    assert text[a:b].replace(" ", "").replace("\n", "") == "请各单位于3月1日前报送名单"
    assert misses._locate(text, "请各单位于3月1日前报送名单并附说明材料") is not None  # its first 12 characters
    assert misses._locate(text, "另一段话完全不在文中出现过") is None


def test_a_duty_no_candidate_covers_is_told_why(tmp_path):
    e = _example(tmp_path, [])
    assert misses.detail(e, [], "关于举办教职工象棋友谊赛的通知", "none")[0] == "none:head"
    assert misses.detail(e, [], "各学院须于6月1日前提交总结材料", "none")[0] == "none:unlocated"
    # kinds other than a rejection or no candidate pass through
    assert misses.detail(e, [], "每个分工会限报3人", "inside") == ("inside", None)


def test_a_rejected_duty_is_told_by_what_its_candidate_carries(tmp_path):
    e = _example(tmp_path, [])
    ask = next(j for j, c in enumerate(e.cands) if c.text.startswith("请各分工会"))
    probs = [0.1] * len(e.cands)
    probs[ask] = 0.42
    kind, p = misses.detail(e, probs, e.cands[ask].text, "rejected")
    assert kind == "rejected:asks" and p == 0.42
