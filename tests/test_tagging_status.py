"""Risk mentions read in context (status per mention), the site grouping of the real
passages, and `gongwen train` writing where it is told.

The model-level checks use the shipped model (no training here); `gongwen train` is
run on a 60-log corpus without the real passages."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from api.cli import app
from nlp.tagging import Tagger, TaggerConfig, load_taxonomy
from nlp.tagging.keywords import KeywordMatcher
from nlp.tagging.real import site
from nlp.tagging.status import RAISING, STATUSES, VOTE_NAMES, StatusFeatures, status_cue, vote_features

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / "tagger"


@pytest.fixture(scope="module")
def shipped():
    return Tagger.load(SHIPPED)


def test_site_groups_mirrors_and_sub_sites_of_one_paper():
    assert site("http://big5.workercn.cn/a/1.html") == site("https://www.workercn.cn/b") == "workercn.cn"
    assert site("http://acftu.people.com.cn/x") == site("http://society.people.com.cn/y") == "people.com.cn"
    assert site("http://m.example.org/p") == site("https://www.example.org/q")
    assert site("http://1.13.252.233:8082/a") == "1.13.252.233"
    assert site("http://a.gov.cn/") != site("http://b.gov.cn/")


def test_every_mention_gets_a_status_and_offsets_into_the_text(shipped):
    text = "網傳某廠發生安全事故，經核實系謠言，生產正常。另一家企業拖欠工資兩個月，工人扬言去区政府。"
    res = shipped.predict_one(text)
    assert res.mentions
    for m in res.mentions:
        assert m["status"] in STATUSES and text[m["start"]:m["end"]] == m["text"]
        if "cue" in m:
            assert text[m["cue"]["start"]:m["cue"]["end"]] == m["cue"]["text"]
    for r in res.risks:  # a raised risk shows its mention and a raising status
        assert r["evidence"]["status"] in RAISING


@pytest.mark.parametrize("text, risk", [
    ("前期反映的欠薪问题已协调解决，企业月初足额补发，职工签字确认。", "wage_arrears"),
    ("联合劳动监察抽查园区20家企业工资台账，均无拖欠。", "wage_arrears"),
    ("网传某厂发生安全事故，经核实系谣言，生产正常。", "safety_health"),
    ("台风过境，走访的几家工厂均未受损。", "disaster_emergency"),
])
def test_settled_denied_and_dispelled_risks_raise_nothing(shipped, text, risk):
    assert risk not in shipped.predict_one(text).risk_ids


@pytest.mark.parametrize("text, risk", [
    ("建筑工地三十多名农民工反映被拖欠工资四个月，包工头电话打不通。", "wage_arrears"),
    ("两名工人在车间作业时被机器夹伤，已送医院。", "safety_health"),
    # plain short reports whose words also frame settled or denied cases elsewhere
    # (已经/了/没/未/还没, a threat of petitioning): an office must get these alerts
    ("工人反映老板已经拖欠工资三个月，十几个人准备明天去政府上访。", "wage_arrears"),
    ("工人反映老板已经拖欠工资三个月，十几个人准备明天去政府上访。", "collective_incident"),
    ("某电子厂两个月没发工资，二十多名工人堵在厂门口讨薪。", "wage_arrears"),
    ("物流公司三名员工被拖欠工资，至今未发。", "wage_arrears"),
    ("包工头欠了十几个农民工的工钱，快过年了还没给。", "wage_arrears"),
    ("服装厂订单不足，下月起裁员三十人。", "layoffs_paycuts"),
    ("外卖骑手反映平台随意罚款，已有几十人在群里商量集体停工。", "collective_incident"),
])
def test_present_risks_are_raised_with_their_mention(shipped, text, risk):
    r = next(x for x in shipped.predict_one(text).risks if x["id"] == risk)
    ev = r["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["text"] and ev["status"] in RAISING


def test_union_service_to_drivers_is_no_gig_alert_but_their_hardship_is(shipped):
    # the window reads 货车司机 as the gig risk in both; only the second tells a harm (no risk
    # keyword in either: the window alone would raise it)
    service = "区总工会在物流园区建成司机之家并正式启用，货车司机可在这里免费吃饭、休息、洗澡，现场还有二十多名司机办理了入会。"
    hardship = "货车司机老张说，运费一降再降，一个月跑下来油钱都不够，吃住都在车上。"
    assert not shipped.predict_one(service).mentions
    assert "gig_worker_rights" not in shipped.predict_one(service).risk_ids
    assert "gig_worker_rights" in shipped.predict_one(hardship).risk_ids


def test_false_alarms_count_negated_texts_raising_a_risk_they_do_not_hold():
    from nlp.tagging.model import _negated_alarms

    pred = np.array([True, True, False, True])
    gold = np.array([False, True, False, False])
    neg = np.array([True, True, True, False])  # the last raises it, but says nothing is settled
    assert _negated_alarms(pred, gold, None, neg) == pytest.approx(1 / 3)
    assert _negated_alarms(pred, gold, None, None) == 0.0
    # two kinds of text: the mean of their shares (real passages 1/2, logs 0/1)
    assert _negated_alarms(pred, gold, np.array([True, True, False, False]), neg) == pytest.approx(0.25)


def test_untagged_texts_give_their_hand_labelled_mentions_to_the_status_classifier():
    tagger = Tagger(load_taxonomy(ROOT / "corpora" / "taxonomy.toml"))
    text = "前期拖欠的工资已全部补发到位。"
    h = next(h for h in tagger.matcher.find(text) if h.kind == "risk")
    feats, labels, sites, weights = tagger._extra_mentions([{"id": "u1", "text": text, "site": "a.cn"}],
                                                           {("u1", h.start, h.end, h.label): "settled"})
    assert labels == ["settled"] and sites == ["a.cn"] and feats[0] and list(weights) == [1.0]
    # a text's status_weight weighs its mentions (page mention rows at a weight of their own)
    _, _, _, weights = tagger._extra_mentions([{"id": "u1", "text": text, "site": "a.cn", "status_weight": 0.5}],
                                              {("u1", h.start, h.end, h.label): "settled"})
    assert list(weights) == [0.5]
    feats, labels, sites, weights = tagger._extra_mentions([{"id": "u2", "text": text, "site": "a.cn"}], {})
    assert (feats, labels, sites, len(weights)) == ([], [], [], 0)
    # page_mentions_src: a row of a named source carries a feature naming it (never on at tagging time)
    row = {"id": "u1", "text": text, "site": "a.cn", "status_source": "page"}
    key = {("u1", h.start, h.end, h.label): "settled"}
    assert "src=page" not in tagger._extra_mentions([row], key)[0][0]
    src = Tagger(load_taxonomy(ROOT / "corpora" / "taxonomy.toml"), TaggerConfig(page_mentions_src=1))
    assert "src=page" in src._extra_mentions([row], key)[0][0]


def test_status_cue_is_the_nearest_cue_of_that_status():
    tax = load_taxonomy(ROOT / "corpora" / "taxonomy.toml")
    text = "欠薪问题已全部结清"
    h = next(h for h in KeywordMatcher(tax).find(text) if h.kind == "risk")
    f = StatusFeatures()
    c = status_cue(text, h, "settled", f.cues(text))
    assert c is not None and c.start >= h.end and c.word in ("已全部", "结清")
    assert status_cue(text, h, "rumour", f.cues(text)) is None


def _tiny_corpora(tmp: Path) -> Path:
    d = tmp / "corpora"
    (d / "logs").mkdir(parents=True)
    (d / "taxonomy.toml").write_text((ROOT / "corpora" / "taxonomy.toml").read_text(encoding="utf-8"), encoding="utf-8")
    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (d / "logs" / "train.jsonl").write_text("\n".join(lines[:60]) + "\n", encoding="utf-8")
    (d / "logs" / "test.jsonl").write_text("\n".join(lines[60:80]) + "\n", encoding="utf-8")
    return d


def test_train_writes_to_out_and_leaves_the_shipped_model_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGWEN_SHARED", str(tmp_path / "no-shared"))  # no real passages: a small fit
    before = (SHIPPED / "tagger.npz").stat().st_mtime_ns
    corpora = _tiny_corpora(tmp_path)
    r = CliRunner().invoke(app, ["train", "--corpora", str(corpora), "--out", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "m" / "tagger" / "tagger.json").exists()
    assert json.loads((tmp_path / "m" / "tagger" / "metrics.json").read_text(encoding="utf-8"))["data"]["n_real"] == 0
    assert (SHIPPED / "tagger.npz").stat().st_mtime_ns == before
    bad = CliRunner().invoke(app, ["train", "--corpora", str(corpora), "--out", str(tmp_path / "m"), "--in-place"])
    assert bad.exit_code != 0 and (SHIPPED / "tagger.npz").stat().st_mtime_ns == before


def test_train_defaults_to_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGWEN_SHARED", str(tmp_path / "no-shared"))
    corpora = _tiny_corpora(tmp_path)
    r = CliRunner().invoke(app, ["train", "--corpora", str(corpora), "--data-dir", str(tmp_path / "data")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "data" / "models" / "tagger" / "tagger.npz").exists()


def test_the_risk_vote_reads_all_mentions_of_a_risk_in_text_order():
    """The vote over a text's mentions of one risk sees its first and last mention by
    offset (a lead that names arrears, a last sentence that says they were paid), and the
    text's mentions of other risks only through the text-wide columns."""
    settled = STATUSES.index("settled")
    P = np.zeros((3, len(STATUSES)))
    P[0, 0], P[0, settled] = 0.1, 0.9  # text 0, risk 0, told last (offset 50): settled
    P[1, 0], P[1, settled] = 0.8, 0.2  # text 0, risk 0, told first (offset 5): present
    P[2, 1] = 1.0  # text 1, risk 1: threatened
    keys, X = vote_features(P, np.array([0, 0, 1]), np.array([0, 0, 1]), np.array([50, 5, 3]), 2,
                            np.full((2, 2), 0.5), np.array([0.0, 0.7]))
    assert keys.tolist() == [0, 3]  # (text 0, risk 0), (text 1, risk 1)
    a, b = (dict(zip(VOTE_NAMES, row)) for row in X)
    assert (a["first"], a["last"], a["max"]) == (0.8, 0.1, 0.8) and abs(a["mean"] - 0.45) < 1e-9
    assert a["share"] == 0.5 and abs(a["mean_settled"] - 0.55) < 1e-9 and a["calm"] == 0.0
    assert b["first"] == b["last"] == 1.0 and b["calm"] == 0.7 and b["window"] == 0.0


def _complaints(n: int) -> tuple[str, list]:
    """A made-up log repeating one complaint n times, and its risk mentions (工资拖欠)."""
    from nlp.tagging.keywords import Hit

    piece = "工人反映工资拖欠，已登记转办。"
    text = piece * n
    at = piece.index("工资拖欠")
    hits = [Hit("wage_arrears", "risk", "工资拖欠", k * len(piece) + at, k * len(piece) + at + 4) for k in range(n)]
    return text, hits


def test_a_mention_reads_a_bounded_number_of_far_cues_in_a_long_log():
    """Every cue of the text went into every mention's features: a 420,000-character log of
    one repeated complaint (28,000 mentions) took 20 GB in POST /api/logs and the server was
    killed. A mention now reads the cues around its sentence and at most FAR_CUES of each far
    zone; a text with fewer cues than that on each side is read as before."""
    from nlp.tagging.normalize import CLAUSE_END
    from nlp.tagging.status import FAR_CUES, SENTENCE

    sf = StatusFeatures()
    sizes = []
    for n in (400, 800):
        text, hits = _complaints(n)
        assert len(sf.cues(text)) > 2 * FAR_CUES
        rows = sf.mention_features(text, hits)
        sizes.append(len(rows[n // 2]))  # a mention in the middle: far cues on both sides
    assert sizes[0] == sizes[1], sizes  # before: 821 and 1,621 feature strings
    # a log with fewer cues: the same features as reading every cue
    text, hits = _complaints(30)
    cues = sf.cues(text)
    assert len(cues) <= 2 * FAR_CUES
    c_bounds = [0] + [m.end() for m in CLAUSE_END.finditer(text)]
    s_bounds = [0] + [m.end() for m in SENTENCE.finditer(text)]
    every = [sf._one(text, h, cues, c_bounds, s_bounds, {})[0] for h in hits]
    assert [list(r) for r in sf.mention_features(text, hits, cues)] == every


def test_keyword_negation_and_the_status_cue_read_only_the_cues_near_a_mention(monkeypatch):
    """KeywordMatcher._negated and status_cue read every cue of the text per mention: a
    120,000-character log of one repeated complaint took 83 CPU-s to tag. Each now gets the cues
    that can reach the mention (bisected on their ends), and says the same."""
    from nlp.tagging.keywords import Hit
    from nlp.tagging.status import CUE_OF, cue_index

    km = KeywordMatcher(load_taxonomy())
    seen = []
    real = KeywordMatcher._negated
    monkeypatch.setattr(KeywordMatcher, "_negated",
                        staticmethod(lambda *a: seen.append(sum(map(len, a[-3:]))) or real(*a)))
    piece = "车间反映拖欠工资，说是下周才能解决，目前没有停工。"
    widest = []
    for n in (200, 400):
        seen.clear()
        assert km.find(piece * n, kind="risk")
        widest.append(max(seen))
    assert widest[0] == widest[1] > 0, widest  # before: every cue of the text, 2 × as many
    # the status cue: the same with the index as reading every cue, for each status
    sf = StatusFeatures()
    text = ("网传厂里拖欠工资，经核实不属实。去年拖欠工资，已补发。目前仍拖欠工资。没有拖欠工资。"
            "如果拖欠工资就上报。有人担心年底可能拖欠工资。") * 30
    cues = sf.cues(text)
    index = cue_index(cues)
    assert index is not None
    at = [i for i in range(len(text)) if text.startswith("拖欠工资", i)]
    hits = [Hit("wage_arrears", "risk", "拖欠工资", i, i + 4) for i in at]
    found = set()
    for h in hits:
        for status in CUE_OF:
            c = status_cue(text, h, status, cues, index)
            assert c == status_cue(text, h, status, cues)
            found |= {status} if c else set()
    assert found == set(CUE_OF), found  # each status has a cue to find somewhere


def test_a_log_repeating_one_complaint_word_reads_only_its_first_mentions(shipped):
    """Probed: 欠薪，× 25,000 (75,000 characters, under POST /api/logs' 100,000) built the status
    features of all 25,000 mentions at once: 48 s and 3.1 GB resident for one request (a server
    has two workers). Now each risk's first MAX_MENTIONS are read (real texts hold at most 15;
    `gongwen tag --json` of corpora/logs and ../shared real-corpus is byte-identical before and
    after): the risk is still found, its evidence among those mentions and inside the text."""
    import nlp.tagging.model as model

    most = getattr(model, "MAX_MENTIONS", 50)
    text = "欠薪，" * 2000
    res = shipped.predict_one(text)
    assert 0 < len(res.mentions) <= most  # before: 2,000
    [risk] = [r for r in res.risks if r["id"] == "wage_arrears"]
    ev = risk["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["text"] and ev["start"] < 3 * most


def test_the_small_vote_forms_share_one_bias_and_read_only_their_inputs():
    from nlp.tagging.status import SMALL_VOTE, fit_vote

    rng = np.random.default_rng(0)
    X = rng.random((120, len(VOTE_NAMES)))
    y = X[:, 0] + 0.3 * rng.random(120) > 0.7
    j = rng.integers(0, 3, 120)
    _, bias = fit_vote(X, y, np.ones(120), j, 3)
    assert len(set(np.round(bias, 6))) == 3  # the default: a bias per risk
    coef, bias = fit_vote(X, y, np.ones(120), j, 3, form=1)
    assert len(set(bias)) == 1 and np.count_nonzero(coef) == len(VOTE_NAMES)
    coef, bias = fit_vote(X, y, np.ones(120), j, 3, form=2)
    assert len(set(bias)) == 1 and {VOTE_NAMES[k] for k in np.flatnonzero(coef)} <= set(SMALL_VOTE)


def test_page_passages_train_the_risk_vote_only_with_page_vote():
    """`fit(vote_extra=...)` rows join the vote's fit (read by inner folds' heads), and only with
    TaggerConfig.page_vote > 0; made-up texts."""
    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()[:60]
    logs = [json.loads(x) for x in lines]
    pages = [{"id": f"pg-{k}", "site": f"s{k % 4}.cn", "text": t, "risks": r, "negated": not r}
             for k, (t, r) in enumerate([("工地拖欠工资三个月，工人上门讨薪。", ["wage_arrears"]),
                                         ("去年拖欠的工资已经全部结清。", []),
                                         ("网传某厂拖欠工资，经核实系谣言。", []),
                                         ("物流园区多名司机反映被拖欠运费和工资。", ["wage_arrears"])] * 2)]
    tax = load_taxonomy(ROOT / "corpora" / "taxonomy.toml")

    def fit(cfg):
        return Tagger(tax, cfg).fit([r["text"] for r in logs], [r.get("tasks") or [] for r in logs],
                                    [r.get("risks") or [] for r in logs], risks_only=True, vote_extra=pages)

    off = fit(TaggerConfig(folds=3))
    on = fit(TaggerConfig(folds=3, page_vote=1.0))
    assert "vote_extra" not in off.info
    assert on.info["vote_extra"]["texts"] == len(pages) and on.info["vote_extra"]["pairs"] >= len(pages)
    assert not np.allclose(on.vote_coef, off.vote_coef)
