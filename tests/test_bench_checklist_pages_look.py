"""bench/checklist_pages_look.py: the per-notice counts and misses it reports for a page set, and its
site bootstrap. Self-written gold and predictions (unit cases only; the figures come from real pages)."""
from __future__ import annotations

from scripts import load_script

look_mod = load_script("bench/checklist_pages_look.py")

DUTY = "请各分会于5月20日前将报名表报送校工会"
GOLD = {"metadata": {"issuer": "校工会", "date": "2024-05-10"},
        "obligations": [
            {"tier": "hard", "text": DUTY, "actors": ["各分会"], "quotas": [],
             "deadlines": [{"text": "5月20日前", "recurrence": "once", "month": 5, "day": 20}], "frequency": None},
            {"tier": "hard", "text": "每个分会限报2人参加比赛", "actors": ["每个分会"],
             "quotas": [{"text": "限报2人", "kind": "people", "min": None, "max": 2}], "deadlines": [],
             "frequency": None}]}


def test_counts_and_misses_name_each_class():
    pred = {"document": {"issuer": "校工会", "date": None},
            "obligations": [
                {"text": DUTY, "actors": ["校工会"], "quotas": [],
                 "deadlines": [{"month": 5, "day": 2}]},
                {"text": "比赛地点在体育馆东侧的风雨操场内", "actors": [], "quotas": [], "deadlines": []}]}
    counts, miss = look_mod.look(GOLD, pred)
    # a missed duty misses its attributes too (as the scorer counts); its misses are listed under recall
    assert counts["recall"] == [1, 2] and counts["precision"] == [1, 2]
    assert counts["qdf"] == [0, 2] and counts["actors"] == [0, 2] and counts["metadata"] == [1, 2]
    assert [m["gold"] for m in miss["recall"]] == ["每个分会限报2人参加比赛"]
    assert miss["qdf"][0]["kind"] == "deadline" and miss["qdf"][0]["gold"][1:] == [5, 20]
    assert miss["actors"][0]["gold"] == "各分会" and miss["actors"][0]["pred"] == ["校工会"]
    assert [m["pred"] for m in miss["precision"]] == ["比赛地点在体育馆东侧的风雨操场内"]
    assert miss["metadata"] == [{"field": "date", "gold": "2024-05-10", "pred": None}]


def test_site_bootstrap_draws_sites_whole_and_pairs_two_runs():
    perfect = {m: [3, 3] for m in look_mod.MEASURES}
    half = {m: [1, 2] for m in look_mod.MEASURES}
    sites = {"a.cn": perfect, "b.cn": half}
    ci = look_mod.bootstrap(sites, draws=400, seed=1)
    # a draw holds only whole sites: all of a (1.0), all of b (0.5), or both (4/5)
    assert ci["recall"][0] >= 0.5 and ci["recall"][1] == 1.0 and ci["recall"][0] < ci["recall"][1]
    same = look_mod.bootstrap(sites, draws=100, seed=1, other=sites)
    assert same["actors"] == (0.0, 0.0)
