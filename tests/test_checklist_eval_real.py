"""`gongwen eval checklist` on offsets-only annotations (the format of the real-notice
gold): decoded against a shared directory, scored per source site and pooled. The
fixture is the project's own notices and gold, annotated the same way in a temporary
shared directory."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from nlp.checklist.annotations import make_annotation

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "corpora" / "notices"
GOLD = ROOT / "corpora" / "gold"
runner = CliRunner()
# two notices of one "site" and one of another
FIXTURE = {"2024_jian_zhongda_shixiang": "a.example.cn", "2023_yichun_jitixieshang_lianhe": "a.example.cn",
           "2024_xiushui_songqingliang_baodao": "b.example.cn"}


def _annotated(tmp_path: Path) -> tuple[Path, Path]:
    shared, ann_dir = tmp_path / "shared", tmp_path / "ann"
    ann_dir.mkdir()
    for stem, site in FIXTURE.items():
        rel = f"real-corpus/{site}/{stem}.txt"
        (shared / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTICES / f"{stem}.txt", shared / rel)
        gold = json.loads((GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"))
        ann = make_annotation(gold, shared, rel, site)
        assert "关于" not in json.dumps(ann["gold"], ensure_ascii=False)  # offsets, not copied text
        (ann_dir / f"{stem}.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    return shared, ann_dir


def test_eval_on_annotations_reports_sites_and_pooled(tmp_path):
    shared, ann_dir = _annotated(tmp_path)
    res = runner.invoke(app, ["eval", "checklist", str(ann_dir), "--shared", str(shared), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data["sites"]) == {"a.example.cn", "b.example.cn"}
    assert data["sites"]["a.example.cn"]["documents"] == 2
    micro = data["micro"]
    # pooled counts are the sum of the sites' counts
    for k in ("gold_hard", "predicted", "found"):
        assert micro["obligations"][k] == sum(s["obligations"][k] for s in data["sites"].values())
    assert micro["obligations"]["recall"] >= 0.9
    assert set(micro["metadata"]["fields"]) >= {"issuer", "title", "date"}
    actors = micro["attributes"]["actors"]  # precision beside accuracy: extra names show
    assert actors["given"] == sum(s["attributes"]["actors"]["given"] for s in data["sites"].values())
    assert 0.0 <= actors["precision"] <= 1.0
    table = runner.invoke(app, ["eval", "checklist", str(ann_dir), "--shared", str(shared)])
    assert table.exit_code == 0 and "微平均（3 篇）" in table.stdout and "主体查准" in table.stdout


def test_eval_on_annotations_refuses_changed_source(tmp_path):
    shared, ann_dir = _annotated(tmp_path)
    src = shared / "real-corpus/b.example.cn/2024_xiushui_songqingliang_baodao.txt"
    src.write_text(src.read_text(encoding="utf-8") + "\n补充", encoding="utf-8")
    res = runner.invoke(app, ["eval", "checklist", str(ann_dir), "--shared", str(shared)])
    assert res.exit_code == 1 and "sha256" in res.output


def test_eval_cv_on_annotations(tmp_path, monkeypatch):
    from nlp.checklist import duty_model

    monkeypatch.setattr(duty_model, "project_examples", lambda root=None: [])  # the fixture alone
    shared, ann_dir = _annotated(tmp_path)
    res = runner.invoke(app, ["eval", "checklist", str(ann_dir), "--shared", str(shared), "--cv", "--folds", "2", "--json"])
    assert res.exit_code == 0, res.output
    cv = json.loads(res.stdout)["cv"]
    assert cv["folds"] == 2 and cv["groups"] == 2 and cv["documents"] == 3
    assert cv["pooled_rules"]["obligations"]["gold_hard"] == json.loads(res.stdout)["micro"]["obligations"]["gold_hard"]
