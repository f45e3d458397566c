"""A refit of the checklist stages (duty_model.train, actor_model.train) writes
models/checklist as one switch: a save that fails part way (here a real obstacle in the
folder, a folder where the card or metrics file goes) leaves the earlier set whole, card
included; a save that succeeds leaves the new set whole. Run on a copy of the shipped
folder with the shipped fits (loading them costs a second; fitting would cost minutes)."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from nlp.checklist import actor_model as am
from nlp.checklist import duty_model as dm
from nlp.checklist import split_model, subject_model

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "checklist"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "checklist"
    shutil.copytree(SHIPPED, out)
    return out


def _metrics() -> dict:
    m = json.loads((SHIPPED / "metrics.json").read_text(encoding="utf-8"))
    m["fitted"] = "2031-01-01T00:00:00Z"
    return m


def _duty_save(folder: Path) -> None:
    model, _, _ = dm.load_pipeline()
    dm.save(folder, model, 0.25, 0.75, _metrics(), splitter=split_model.Linear.load(SHIPPED / "split.json"))


def _actor_save(folder: Path) -> None:
    m = _metrics()
    cv = copy.deepcopy(m["actors_cv"])
    cv["documents"] = cv["documents"] + 1
    am.save(folder, am.Stage(am.load_crf(), subject_model.Linear.load(SHIPPED / "subject.json")), cv, m["cv"])


@pytest.mark.parametrize("save", [_duty_save, _actor_save], ids=["duty", "actor"])
@pytest.mark.parametrize("obstacle", ["MODEL_CARD.md", "metrics.json"])
def test_a_save_that_fails_part_way_leaves_the_earlier_set_whole(folder, save, obstacle):
    # the file the save writes is a folder: writing it fails after the model files were written
    (folder / obstacle).unlink()
    (folder / obstacle).mkdir()
    before = _files(folder)
    with pytest.raises(IsADirectoryError):
        save(folder)
    assert _files(folder) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["checklist"]  # no staging folder left


@pytest.mark.parametrize("save", [_duty_save, _actor_save], ids=["duty", "actor"])
def test_a_save_that_succeeds_switches_model_metrics_and_card_together(folder, save):
    before = _files(folder)
    save(folder)
    after = _files(folder)
    assert set(after) == set(before)
    assert after["metrics.json"] != before["metrics.json"]
    metrics = json.loads(after["metrics.json"])
    assert after["MODEL_CARD.md"].decode("utf-8") == dm.card(metrics)  # the card is that of the metrics
    if save is _duty_save:
        assert json.loads(after["duty.json"])["keep_below"] == 0.25
    else:
        assert metrics["actors_cv"]["documents"] == json.loads(before["metrics.json"])["actors_cv"]["documents"] + 1


def test_the_card_says_when_the_fit_was_given_its_thresholds():
    # `duty_model train --pair KB/AA` ships a pair the inner CVs did not choose: the card must say so and name
    # what they chose, and say nothing of it for a fit that took the inner choice
    metrics = json.loads((SHIPPED / "metrics.json").read_text(encoding="utf-8"))
    metrics["cv"]["inner_choices"] = ["0.6/0.7", "0.6/0.7", "0.7/0.5"]
    given = dm.card(dict(metrics, pair_given=True, keep_below=0.7, add_above=0.5))
    chosen = dm.card(dict(metrics, pair_given=False))
    assert "given to this fit with `--pair`" in given and "chose 0.6/0.7, 0.6/0.7, 0.7/0.5" in given
    assert "given to this fit with `--pair`" not in chosen
