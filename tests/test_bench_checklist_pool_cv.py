"""bench/checklist_pool_cv.py compare: per partition (the real notices and each page set apart, all pages,
pooled) the counts of two training-material arms and a paired site bootstrap of the difference. Counts are
made up here (the figures come from real notices and cached pages)."""
from __future__ import annotations

import json

import pytest

from scripts import load_script

pool = load_script("bench/checklist_pool_cv.py")


def test_partition_names_the_page_set_and_calls_the_rest_real():
    assert pool.partition("pages2/a.txt") == "pages2" and pool.partition("pages/b.txt") == "pages"
    assert pool.partition("real-corpus/notices-b/x/y.txt") == "real" == pool.partition("real-notices/z.pdf")


def test_compare_sums_counts_by_partition_and_pairs_the_sites(tmp_path, capsys):
    names = ["real-corpus/s1/a.txt", "real-corpus/s2/b.txt", "pages2/c.txt", "pages2/d.txt"]
    groups = ["s1", "s2", "c.cn", "d.cn"]
    # found, hard, correct, predicted, qdf right, qdf gold, actors right, actors gold
    old = [[4, 5, 4, 5, 2, 3, 3, 5], [2, 2, 2, 3, 1, 1, 1, 2], [1, 2, 1, 2, 0, 1, 0, 2], [2, 2, 2, 2, 1, 1, 1, 2]]
    new = [[4, 5, 4, 5, 2, 3, 4, 5], [2, 2, 2, 3, 1, 1, 2, 2], [1, 2, 1, 2, 0, 1, 2, 2], [2, 2, 2, 2, 1, 1, 2, 2]]
    out = tmp_path / "pool.json"
    out.write_text(json.dumps({"names": names, "groups": groups, "1": {"bbb": old, "bpb": new}}), encoding="utf-8")
    pool.compare(out, "bbb", "bpb", draws=200)
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in lines[1:]}
    assert lines[0] == "seed 1: bbb -> bpb"
    assert "actors 4/7 -> 6/7" in rows["real"] and "R 6/7 -> 6/7 [+0.0, +0.0]" in rows["real"]
    assert "actors 1/4 -> 4/4" in rows["pages2"] and "(2 sites)" in rows["pages2"]
    assert "actors 5/11 -> 10/11" in rows["pooled"] and "(4 sites)" in rows["pooled"]
    # every site gains or holds its actors, so no paired draw falls below zero
    lo = float(rows["pooled"].split("actors")[1].split("[")[1].split(",")[0])
    assert lo > 0


def test_upper_case_actor_material_leaves_the_new_sets_out(monkeypatch):
    from nlp.checklist import actor_model

    calls = []

    def fake_fit(golds, crf_golds=()):
        calls.append((list(golds), list(crf_golds)))
        return actor_model.Stage(f"crf{len(calls)}", f"subject{len(calls)}")

    monkeypatch.setattr(actor_model, "fit", fake_fit)
    real, pages = ["r1", "r2"], {"p": ["old", "new"], "P": ["old"]}
    fitted: dict = {}
    pool._actor_stage("C", fitted, real, pages)
    pool._actor_stage("c", fitted, real, pages)
    pool._actor_stage("P", fitted, real, pages)
    assert calls == [(real, ["old"]), (real, ["old", "new"]), (real + ["old"], [])]
    # S: the real notices' CRF with the subject reader of the old page material, each fitted once per fold
    stage = pool._actor_stage("S", fitted, real, pages)
    assert (stage.crf, stage.subject) == ("crf4", "subject3") and calls[3] == (real, [])
    assert pool._actor_stage("S", fitted, real, pages) is stage and len(calls) == 4


def test_compare_pairs_the_same_arm_of_two_runs_and_refuses_other_notices(tmp_path, capsys):
    # arm B read from a second run over the same notices (a set trained on there, only predicted here)
    names, groups = ["real-corpus/s1/a.txt", "pages13/b.txt", "pages13/c.txt"], ["s1", "b.cn", "c.cn"]
    only_predicted = [[3, 4, 3, 4, 1, 2, 2, 4], [1, 2, 1, 1, 0, 1, 0, 2], [0, 1, 0, 1, 0, 0, 0, 1]]
    trained_too = [[3, 4, 3, 4, 1, 2, 2, 4], [2, 2, 2, 2, 1, 1, 1, 2], [1, 1, 1, 1, 0, 0, 1, 1]]
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps({"names": names, "groups": groups, "1": {"bPC": only_predicted}}), encoding="utf-8")
    new.write_text(json.dumps({"names": names, "groups": groups, "1": {"bPC": trained_too}}), encoding="utf-8")
    pool.compare(old, "bPC", "bPC", draws=200, b_from=new)
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in lines[1:]}
    assert lines[0] == "seed 1: bPC -> bPC of new.json"
    assert "R 1/3 -> 3/3" in rows["pages13"] and "actors 0/3 -> 2/3" in rows["pages13"]
    assert "actors 2/4 -> 2/4 [+0.0, +0.0]" in rows["real"] and "R 4/7 -> 6/7" in rows["pooled"]
    # a run over other notices (another deal of the folds) cannot be paired
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"names": names[:2], "groups": groups[:2], "1": {"bPC": trained_too[:2]}}),
                     encoding="utf-8")
    with pytest.raises(SystemExit):
        pool.compare(old, "bPC", "bPC", draws=200, b_from=other)
