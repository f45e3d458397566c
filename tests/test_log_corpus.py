"""Checks on the labelled field-log corpus (corpora/logs) and the taxonomy it uses.

The figures are computed from the committed files, so a regenerated corpus that
loses coverage (a thin label, too few denied risks, leakage between the splits)
fails here.
"""
from __future__ import annotations

import json
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
LOGS = CORPORA / "logs"
KINDS = {"蹲点日志", "走访记录", "工作简报"}


def _load(name):
    with (LOGS / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def taxonomy():
    with (CORPORA / "taxonomy.toml").open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def train():
    return _load("train.jsonl")


@pytest.fixture(scope="module")
def test():
    return _load("test.jsonl")


def test_taxonomy_shape(taxonomy):
    assert taxonomy["meta"]["version"]
    tasks = {t["id"] for t in taxonomy["tasks"]}
    risks = {r["id"] for r in taxonomy["risks"]}
    assert {"political_guidance", "organizing", "rights_services", "labor_relations", "workforce_reform",
            "research", "union_building", "other"} == tasks
    assert len(risks) == 8 and "wage_arrears" in risks and "mental_health" in risks
    for lab in taxonomy["tasks"] + taxonomy["risks"]:
        assert lab["name"] and lab["description"]
        assert len(set(lab["keywords"])) == len(lab["keywords"]), lab["id"]
        if lab["id"] != "other":
            assert 15 <= len(lab["keywords"]) <= 40, lab["id"]
    for r in taxonomy["risks"]:
        assert r["severity"] in {"critical", "high", "medium", "low"}
    cues = taxonomy["cues"]
    for key in ("negation", "resolution", "scope_breakers"):
        assert len(cues[key]) >= 5
    assert {"未发现", "暂无", "不存在"} <= set(cues["negation"])
    assert {"已全部结清", "已补缴", "已妥善处置"} <= set(cues["resolution"])
    assert {"但", "但是", "。"} <= set(cues["scope_breakers"])


@pytest.mark.parametrize("split", ["train", "test"])
def test_rows_well_formed(split, request, taxonomy):
    rows = request.getfixturevalue(split)
    tasks = {t["id"] for t in taxonomy["tasks"]}
    risks = {r["id"] for r in taxonomy["risks"]}
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["text"].strip()
        d = date.fromisoformat(r["date"])
        assert date(2022, 1, 1) <= d <= date(2025, 12, 31), r["id"]
        assert r["region"].count("/") == 2 and r["unit"]
        assert r["kind"] in KINDS
        assert r["tasks"] and set(r["tasks"]) <= tasks, r["id"]
        assert set(r["risks"]) <= risks, r["id"]
        assert len(set(r["tasks"])) == len(r["tasks"]) and len(set(r["risks"])) == len(r["risks"])
        # `other` only when nothing else fits
        assert r["tasks"] == ["other"] or "other" not in r["tasks"], r["id"]
        assert isinstance(r["negated"], bool)


def test_train_counts(train):
    assert len(train) >= 2000
    tasks = Counter(t for r in train for t in r["tasks"])
    risks = Counter(x for r in train for x in r["risks"])
    for t in ("political_guidance", "organizing", "rights_services", "labor_relations", "workforce_reform",
              "research", "union_building", "other"):
        assert tasks[t] >= 100, (t, tasks[t])
    for x in ("wage_arrears", "layoffs_paycuts", "collective_incident", "safety_health", "gig_worker_rights",
              "women_workers", "disaster_emergency", "mental_health"):
        assert risks[x] >= 60, (x, risks[x])
    assert sum(r["negated"] for r in train) >= 200
    # denied/settled without any risk left: the hard negatives a tagger must not flag
    assert sum(r["negated"] and not r["risks"] for r in train) >= 150
    assert sum(r.get("implied", False) for r in train) >= 100


def test_test_split_counts(test):
    assert len(test) >= 450
    assert sum(r.get("source") == "handwritten" for r in test) >= 40
    risks = Counter(x for r in test for x in r["risks"])
    assert all(risks[x] >= 15 for x in risks) and len(risks) == 8
    assert sum(r["negated"] for r in test) >= 50


def test_seasons_are_realistic(train, test):
    for r in train + test:
        m = int(r["date"][5:7])
        if "送清凉" in r["text"]:
            assert 5 <= m <= 9, r["id"]
        if "送温暖" in r["text"]:
            assert m in (11, 12, 1, 2), r["id"]
        if "汛" in r["text"]:
            assert 5 <= m <= 9, r["id"]


def test_some_traditional_and_varied_layouts(train):
    trad = sum(any(c in r["text"] for c in "職會資們個這廠發") for r in train)
    assert 0.02 * len(train) <= trad <= 0.12 * len(train)
    assert sum(len(r["text"]) < 30 for r in train) >= 50          # telegraphic one-liners
    assert sum(len(r["text"]) > 150 for r in train) >= 200        # long multi-activity days
    assert sum("1. " in r["text"] or "一、" in r["text"] for r in train) >= 50  # numbered lists


def _windows(text, n=20):
    t = "".join(text.split())
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def test_no_leakage_between_splits(train, test):
    train_texts = {r["text"] for r in train}
    assert not [r["id"] for r in test if r["text"] in train_texts]
    grams = set()
    for r in train:
        grams |= _windows(r["text"])
    shared = [r["id"] for r in test if _windows(r["text"]) & grams]
    assert len(shared) <= 0.03 * len(test), shared[:10]


def test_cue_lists_are_clean(taxonomy):
    cues = taxonomy["cues"]
    for key in ("negation", "resolution", "scope_breakers"):
        assert len(set(cues[key])) == len(cues[key]), key
    assert not set(cues["negation"]) & set(cues["resolution"])


def test_committed_files_match_the_generator(tmp_path):
    """The .jsonl files are exactly what the seeded generator writes (no hand edits drift in)."""
    import subprocess
    import sys

    gen = CORPORA / "tools" / "logs" / "generate.py"
    subprocess.run([sys.executable, str(gen), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in ("train.jsonl", "test.jsonl"):
        assert (tmp_path / name).read_bytes() == (LOGS / name).read_bytes(), name


def test_no_placeholder_or_template_syntax_leaks(train, test):
    for r in train + test:
        t = r["text"]
        assert "\x00" not in t and "{" not in t and "[" not in t and "|" not in t, r["id"]


def test_denied_logs_use_taxonomy_cues(train, taxonomy):
    """Most negated logs carry a cue from taxonomy.toml, so cue-based negation handling has a handle."""
    cues = taxonomy["cues"]["negation"] + taxonomy["cues"]["resolution"]
    neg = [r for r in train if r["negated"]]
    covered = sum(any(c in r["text"] for c in cues) for r in neg)
    assert covered >= 0.85 * len(neg)


def test_sentence_parts_agree_with_log_labels(train, test):
    """Train rows carry per-sentence labels; the log labels are their union (other only alone)."""
    modes = {"activity", "errand", "present", "implied", "denied", "settled", "response"}
    for r in train:
        parts = r["parts"]
        assert parts and {p["mode"] for p in parts} <= modes, r["id"]
        risks = set().union(*(p["risks"] for p in parts))
        tasks = set().union(*(p["tasks"] for p in parts))
        assert risks == set(r["risks"]), r["id"]
        real = tasks - {"other"}
        assert set(r["tasks"]) == (real or {"other"}), r["id"]
        for p in parts:
            if p["mode"] in ("denied", "settled"):
                assert not p["risks"] and r["negated"], r["id"]
            if p["mode"] in ("present", "implied", "response"):
                assert len(p["risks"]) == 1, r["id"]
    assert not any("parts" in r for r in test)


def test_test_hand_uses_other_provinces(train, test):
    """The test hand places its logs in provinces the train hand never uses."""
    prov = lambda rows: {r["region"].split("/")[0] for r in rows}  # noqa: E731
    assert len(prov(train)) >= 12 and len(prov(test)) >= 10
    assert not prov(train) & prov(test)
