"""The hand-written log sets beside the generated corpus: `heldout_unseen.jsonl`
(scored for the model card, never trained on) and `train_supplement.jsonl`
(trained on), and the genre phrasings and scope rules they brought in.

The held-out set only stays a fair measure while nothing of it reaches training:
no shared 20-character window with any training file, and the trainer reads it
for scoring only."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.tagging import Tagger, load_taxonomy
from nlp.tagging.keywords import KeywordMatcher
from nlp.tagging.train import HELDOUT, SUPPLEMENT

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "corpora" / "logs"
HELDOUT_2 = "heldout_round2.jsonl"  # second hand-written round; scored by hand, never trained on
WINDOW = 30  # official stock titles (习近平总书记关于…的重要论述) run to ~25 characters


def read(name: str) -> list[dict]:
    return [json.loads(l) for l in (LOGS / name).open(encoding="utf-8") if l.strip()]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(ROOT / "corpora" / "taxonomy.toml")


@pytest.fixture(scope="module")
def matcher(taxonomy):
    return KeywordMatcher(taxonomy)


def risks_of(matcher, text: str) -> dict[str, bool]:
    """risk label → True when every mention of it is denied or settled."""
    out: dict[str, bool] = {}
    for h in matcher.find(text):
        if h.kind == "risk":
            out[h.label] = out.get(h.label, True) and h.negated
    return out


@pytest.mark.parametrize("name", [HELDOUT, HELDOUT_2, SUPPLEMENT])
def test_hand_written_sets_use_the_taxonomy_labels(name, taxonomy):
    rows = read(name)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["text"].strip()
        assert r["tasks"] and set(r["tasks"]) <= set(taxonomy.task_ids), r["id"]
        assert "other" not in r["tasks"] or r["tasks"] == ["other"], r["id"]
        assert set(r["risks"]) <= set(taxonomy.risk_ids), r["id"]


def test_heldout_covers_every_label_and_the_hard_cases(taxonomy):
    rows = read(HELDOUT)
    assert len(rows) >= 80
    for lab in taxonomy.risk_ids:
        assert sum(lab in r["risks"] for r in rows) >= 5, lab
    for lab in taxonomy.task_ids:
        assert any(lab in r["tasks"] for r in rows), lab
    assert sum(r["negated"] for r in rows) >= 15
    assert sum(r["implied"] for r in rows) >= 15
    assert sum(not r["risks"] for r in rows) >= 25


def test_second_heldout_round_covers_the_labels(taxonomy):
    rows = read(HELDOUT_2)
    assert len(rows) >= 60
    for lab in taxonomy.risk_ids + taxonomy.task_ids:
        assert any(lab in r["risks"] or lab in r["tasks"] for r in rows), lab
    assert sum(r["negated"] for r in rows) >= 8
    assert sum(not r["risks"] for r in rows) >= 25


@pytest.mark.parametrize("name", [HELDOUT, HELDOUT_2])
def test_heldout_shares_no_text_with_any_training_file(name):
    held = read(name)
    seen = set()
    for name in ("train.jsonl", SUPPLEMENT):
        for r in read(name):
            t = r["text"]
            seen.update(t[i:i + WINDOW] for i in range(max(1, len(t) - WINDOW + 1)))
    for r in held:
        t = r["text"]
        shared = [t[i:i + WINDOW] for i in range(max(1, len(t) - WINDOW + 1)) if t[i:i + WINDOW] in seen]
        assert not shared, (r["id"], shared[:1])


def test_trainer_never_reads_the_heldout_set_as_training_data():
    src = (ROOT / "nlp" / "tagging" / "train.py").read_text(encoding="utf-8")
    # the held-out sets are only ever read for evaluate(), never into the rows handed to fit()
    assert "tr = tr + read_logs(supp_path)" in src
    assert '"scores": evaluate(tagger, read_logs(p))' in src
    fits = [line for line in src.splitlines() if "_fit(taxonomy" in line]
    assert fits and not any("held" in line or "HELDOUT" in line for line in fits)
    assert "HELDOUT" not in src.split("def training_rows")[1].split("def _fit")[0]


@pytest.mark.parametrize("text, label, denied", [
    ("今天一早就有二十多人堵在厂办门口要说法。", "collective_incident", False),
    ("老板跑路了，手机关机，工人们急得团团转。", "wage_arrears", False),
    ("车间开了一半，另一半的人放了假，啥时候复工没个准信。", "layoffs_paycuts", False),
    ("工厂整体停产，复工遥遥无期。", "layoffs_paycuts", False),
    ("外面都说厂里拖欠工资，去了一看工资已全部发放，属误传。", "wage_arrears", True),
    ("上次说的欠薪，这周老板把钱都结了。", "wage_arrears", True),
    ("本单位连续三年零事故。", "safety_health", True),
    ("有人说他想轻生，找他本人聊过了，人没事，情绪挺好。", "mental_health", True),
    ("骑手们都签了协议，也上了职业伤害保障，暂未发现问题。", "gig_worker_rights", True),
    ("暴雨冲坏的宿舍已经修好，大家都搬回去住了。", "disaster_emergency", True),
    # a rumour in one sentence, its verdict in a later one
    ("群里有人说物流公司老板跑路了。我们当天上门，老板在办公室，工资照常发，纯属误会。", "wage_arrears", True),
    ("听说灯具厂要裁员，十几个人堵在厂门口。", "layoffs_paycuts", False),
    ("钟表厂这个月起上三休四，工人都在家歇着。", "layoffs_paycuts", False),
])
def test_genre_phrasings_and_their_scope(matcher, text, label, denied):
    assert risks_of(matcher, text).get(label) is denied


def test_women_related_activities_are_no_keyword_evidence(matcher):
    # night shifts and maternity rooms are ordinary; a pregnant worker put on nights is not
    assert "women_workers" not in risks_of(matcher, "夜班的十几个人被困在二楼。")
    assert risks_of(matcher, "怀孕七个月还被安排上夜班。").get("women_workers") is False


def test_shipped_model_reads_workers_words():
    tagger = Tagger.load(ROOT / "models" / "tagger")
    res = tagger.predict([
        "包工头欠着大伙儿半年的工钱，老板跑路了，二十几个人堵在项目部门口不肯走。",
        "经核查，关于物流公司拖欠工资的反映不属实，工资均按月足额发放。",
    ])
    assert {"wage_arrears", "collective_incident"} <= set(res[0].risk_ids)
    assert res[1].risk_ids == []
