"""Hand-labelled risk-mention statuses: the stored annotation refers to the shared
passages by offsets and hash only, and the loader drops labels whose passage changed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.tagging.annotations import CODES, passage_sha, read_annotations, risk_mentions, statuses
from nlp.tagging.normalize import normalize
from nlp.tagging.real import labelled_passages, notice_passages, unlabelled_passages
from nlp.tagging.status import STATUSES, StatusFeatures

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "corpora" / "annotations" / "tagging"


def _write(folder: Path, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "x.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_codes_cover_every_status():
    assert sorted(CODES.values()) == sorted(STATUSES)


def test_a_label_whose_passage_changed_is_left_out(tmp_path):
    text = "工地拖欠工资三个月，工人多次讨要无果。"
    h = risk_mentions(text)[0]
    row = {"id": "p1", "start": h.start, "end": h.end, "risk": h.label, "status": "present"}
    _write(tmp_path, [{**row, "sha": passage_sha(text)}])
    key = ("p1", h.start, h.end, h.label)
    assert statuses(tmp_path, [{"id": "p1", "text": text}]) == {key: "present"}
    assert statuses(tmp_path, [{"id": "p1", "text": text + "后已结清。"}]) == {}
    assert statuses(tmp_path, []) == {}
    assert statuses(tmp_path) == {key: "present"}  # without passages nothing is checked


def test_an_unknown_status_is_an_error(tmp_path):
    _write(tmp_path, [{"id": "p1", "start": 0, "end": 2, "risk": "wage_arrears", "status": "maybe"}])
    with pytest.raises(ValueError):
        read_annotations(tmp_path)


def test_shipped_labels_point_at_risk_mentions_of_the_shared_passages():
    passages = labelled_passages()
    if not passages:
        pytest.skip("../shared/real-corpus is not here")
    rows = read_annotations(FOLDER)
    # the untagged passages' and the notices' labels train the status classifier only
    passages += unlabelled_passages() + notice_passages({a["id"] for a in rows if "/" in a["id"]})
    assert len(rows) >= 300
    by_id = {p["id"]: p for p in passages}
    for a in rows:
        text = by_id[a["id"]]["text"]
        assert a["sha"] == passage_sha(text)
        assert (a["start"], a["end"], a["risk"]) in {(h.start, h.end, h.label) for h in risk_mentions(text)}
    assert len(statuses(FOLDER, passages)) == len(rows)
    assert len({by_id[a["id"]]["site"] for a in rows}) >= 50


def test_a_verdict_sentences_later_reaches_the_mention():
    text = "网传某厂发生爆炸。记者赶到现场。经核实，该消息不实。"
    t = normalize(text)
    hs = [h for h in risk_mentions(text) if h.label == "safety_health"]
    f = StatusFeatures().mention_features(t, hs)[0]
    assert "rumour@F:safety_health" in f or "rumour@N:safety_health" in f
    # the words of the mention's own clause, not those of its sentence's other clauses
    two = "某厂发生爆炸，周边群众正常上班。"
    g = StatusFeatures().mention_features(normalize(two), [h for h in risk_mentions(two) if h.label == "safety_health"])[0]
    assert "cb=发生" in g and "cb=上班" not in g


def test_status_only_passages_of_held_out_sites_are_left_out():
    from nlp.tagging.train import extra_mentions

    if not labelled_passages():
        pytest.skip("../shared/real-corpus is not here")
    root = Path(__file__).resolve().parents[1] / "corpora"
    rows, st = extra_mentions(root)
    assert rows and st and {k[0] for k in st} == {r["id"] for r in rows}
    site = rows[0]["site"]
    kept, kept_st = extra_mentions(root, {site})
    assert kept and all(r["site"] != site for r in kept)
    assert {k[0] for k in kept_st} == {r["id"] for r in kept}


def test_notice_labels_join_the_status_material_and_leave_with_their_site():
    """The shared notices' labelled mentions (notice_mentions.jsonl: county aid rules, safety-month
    and epidemic-background notices) train the status classifier; a fold holding out the county
    federation's site (all of real-notices/) or a notice's web site drops them."""
    from nlp.tagging.real import NOTICE_FILES_SITE
    from nlp.tagging.train import extra_mentions

    if not labelled_passages():
        pytest.skip("../shared/real-corpus is not here")
    root = ROOT / "corpora"
    rows, st = extra_mentions(root)
    notices = {r["id"]: r["site"] for r in rows if "/" in r["id"]}
    assert any(i.startswith("real-notices/") for i in notices) and any(i.startswith("real-corpus/") for i in notices)
    assert {k[0] for k in st} >= set(notices)
    web = next(s for i, s in notices.items() if i.startswith("real-corpus/"))
    kept, kept_st = extra_mentions(root, {NOTICE_FILES_SITE, web})
    left = {r["id"] for r in kept}
    assert not any(i.startswith("real-notices/") for i in left) and all(r["site"] != web for r in kept)
    assert {k[0] for k in kept_st} == left


def test_task_labels_of_untagged_passages_point_at_them_and_skip_held_out_sites():
    """corpora/annotations/tagging/tasks/: task labels by id and hash of passages.jsonl,
    valid taxonomy ids, risks from risks/ (valid risk ids) where labelled; a fold's held-out
    sites are left out."""
    from nlp.tagging import load_taxonomy
    from nlp.tagging.train import task_rows

    if not unlabelled_passages():
        pytest.skip("../shared/real-corpus is not here")
    root = ROOT / "corpora"
    rows = task_rows(root)
    stored = sum(1 for p in (FOLDER / "tasks").glob("*.jsonl") for l in p.open(encoding="utf-8") if l.strip())
    assert len(rows) == stored  # every label still matches its passage's text
    tax = load_taxonomy(root / "taxonomy.toml")
    tasks, risks = set(tax.task_ids), set(tax.risk_ids)
    assert all(r["tasks"] and set(r["tasks"]) <= tasks for r in rows)
    labelled = sum(1 for p in (FOLDER / "risks").glob("*.jsonl") for l in p.open(encoding="utf-8") if l.strip())
    assert sum(r["risks"] is not None for r in rows) == labelled
    assert all(r["risks"] is None or set(r["risks"]) <= risks for r in rows)
    site = rows[0]["site"]
    assert all(r["site"] != site for r in task_rows(root, {site}))


def test_a_task_label_whose_passage_changed_is_left_out(tmp_path):
    from nlp.tagging.real import task_labelled_passages

    shared = tmp_path / "shared"
    (shared / "real-corpus").mkdir(parents=True)
    text = "区总工会开展夏送清凉慰问活动。"
    (shared / "real-corpus" / "passages.jsonl").write_text(
        json.dumps({"id": "p1", "source": "http://a.example.com/x", "text": text}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    _write(tmp_path / "ann", [{"id": "p1", "tasks": ["rights_services"], "sha": passage_sha(text)},
                              {"id": "p2", "tasks": ["other"], "sha": passage_sha(text)}])
    assert [r["tasks"] for r in task_labelled_passages(tmp_path / "ann", shared)] == [["rights_services"]]
    _write(tmp_path / "ann", [{"id": "p1", "tasks": ["rights_services"], "sha": passage_sha(text + "。")}])
    assert task_labelled_passages(tmp_path / "ann", shared) == []


def test_risk_labels_of_untagged_passages_apply_only_while_the_text_is_the_same(tmp_path):
    from nlp.tagging.real import task_labelled_passages

    shared = tmp_path / "shared"
    (shared / "real-corpus").mkdir(parents=True)
    texts = {"p1": "工人聚集讨要被拖欠的工资。", "p2": "网传某厂欠薪，经核实工资已全部发放。"}
    (shared / "real-corpus" / "passages.jsonl").write_text("".join(
        json.dumps({"id": k, "source": "http://a.example.com/x", "text": t}, ensure_ascii=False) + "\n"
        for k, t in texts.items()), encoding="utf-8")
    _write(tmp_path / "ann", [{"id": k, "tasks": ["other"], "sha": passage_sha(t)} for k, t in texts.items()])
    _write(tmp_path / "risks", [
        {"id": "p1", "risks": ["wage_arrears", "collective_incident"], "negated": False, "sha": passage_sha(texts["p1"])},
        {"id": "p2", "risks": [], "negated": True, "sha": passage_sha(texts["p2"] + "。")}])
    rows = {r["id"]: r for r in task_labelled_passages(tmp_path / "ann", shared, risks=tmp_path / "risks")}
    assert rows["p1"]["risks"] == ["wage_arrears", "collective_incident"] and not rows["p1"]["negated"]
    assert rows["p2"]["risks"] is None  # its text changed since it was labelled: tasks only
    assert all(r["risks"] is None for r in task_labelled_passages(tmp_path / "ann", shared))


def test_risk_labelled_untagged_passages_are_held_out_with_their_site():
    """bench/tag_risk_cv.py scores them in the fold of their site: a site shared with the
    batches keeps the batches' fold; the others are spread over all folds."""
    from nlp.tagging.train import _extra_folds

    real = [{"id": f"b{i}", "site": f"s{i % 5}"} for i in range(10)]
    splits = [(None, [i for i in range(10) if i % 5 == k]) for k in range(5)]
    rows = [{"id": "x0", "site": "s3", "risks": []}, {"id": "t", "site": "s9", "risks": None}] + [
        {"id": f"x{i}", "site": f"n{i}", "risks": ["wage_arrears"]} for i in range(1, 11)]
    folds = _extra_folds(rows, splits, real, 5)
    assert folds["x0"] == 3 and "t" not in folds
    assert sorted(set(folds[f"x{i}"] for i in range(1, 11))) == [0, 1, 2, 3, 4]


def test_task_text_drops_a_logs_risk_sentences_and_keeps_its_activities():
    """bench/tag_cv.py --strip-risk-parts: the task heads see a project log without the parts
    that carry no task (present, implied, denied, settled risks); activities and the response
    to a risk stay, and a part the text does not hold verbatim changes nothing."""
    from nlp.tagging.train import task_text

    log = {"text": "到园区企业走访。三名工人反映工资拖欠两个月。工会协调企业补发。",
           "parts": [{"text": "到园区企业走访", "mode": "activity", "tasks": ["research"]},
                     {"text": "三名工人反映工资拖欠两个月", "mode": "present", "tasks": []},
                     {"text": "工会协调企业补发", "mode": "response", "tasks": ["labor_relations"]},
                     {"text": "此前未发现欠薪", "mode": "denied", "tasks": []}]}
    out = task_text(log)
    assert "拖欠" not in out
    assert "到园区企业走访" in out and "工会协调企业补发" in out
    assert task_text({"text": "只有正文", "parts": []}) == "只有正文"
    assert task_text({"text": "没有分句信息的日志"}) == "没有分句信息的日志"
