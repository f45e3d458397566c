"""A model folder's files switch together (ingest.savedir.switched_folder): the topic model's
and the tagger's saves write the whole set beside the folder and swap it in at once, so a
kill or a failed write never leaves a card, metrics or arrays of another fit."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ingest import savedir
from ingest.savedir import switched_folder

ROOT = Path(__file__).resolve().parents[1]


def _set(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file()}


def _old(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    os.chmod(folder, 0o755)
    for name, text in {"model-a.bin": "A", "manifest.json": "a", "MODEL_CARD.md": "card a", "notes.txt": "mine"}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _write_new(stage: Path) -> None:
    (stage / "model-a.bin").unlink()
    for name, text in {"model-b.bin": "B", "manifest.json": "b", "MODEL_CARD.md": "card b"}.items():
        (stage / name).write_text(text, encoding="utf-8")


NEW = {"model-b.bin": "B", "manifest.json": "b", "MODEL_CARD.md": "card b", "notes.txt": "mine"}


@pytest.mark.parametrize("one_step", [True, False])
def test_the_new_set_replaces_the_old_and_keeps_what_the_save_does_not_write(tmp_path, monkeypatch, one_step):
    folder = _old(tmp_path)
    if not one_step:  # a system without renameat2: files moved in one by one, manifest last
        monkeypatch.setattr(savedir, "_exchange", lambda a, b: False)
    with switched_folder(folder, last="manifest.json") as stage:
        assert _set(stage)["notes.txt"] == "mine"
        _write_new(stage)
    assert _set(folder) == NEW
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]  # no staging folder or earlier set left


def test_a_folder_that_is_a_mount_point_is_switched_file_by_file_across_file_systems(tmp_path, monkeypatch):
    # the swap is refused for a mount point (EBUSY), and the staging folder beside it is on
    # another file system: a plain rename of each file fails with EXDEV
    folder = _old(tmp_path)
    monkeypatch.setattr(savedir, "_exchange", lambda a, b: False)
    real = os.replace

    def across(src, dst):
        if Path(src).parent != Path(dst).parent:
            raise OSError(18, "Invalid cross-device link")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", across)
    with switched_folder(folder, last="manifest.json") as stage:
        _write_new(stage)
    assert _set(folder) == NEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"] and not list(folder.glob(".*"))


def test_a_save_that_fails_midway_leaves_the_earlier_set_whole(tmp_path):
    folder = _old(tmp_path)
    before = _set(folder)
    with pytest.raises(OSError):
        with switched_folder(folder, last="manifest.json") as stage:
            (stage / "model-b.bin").write_text("B", encoding="utf-8")
            (stage / "MODEL_CARD.md").write_text("card b", encoding="utf-8")
            raise OSError(28, "No space left on device")
    assert _set(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_first_save_makes_a_folder_others_can_read(tmp_path):
    with switched_folder(tmp_path / "new" / "model", last="manifest.json") as stage:
        (stage / "manifest.json").write_text("b", encoding="utf-8")
    folder = tmp_path / "new" / "model"
    assert _set(folder) == {"manifest.json": "b"}
    assert stat.S_IMODE(folder.stat().st_mode) & 0o055  # (mkdtemp's 0700 would lock other users out)


def test_a_folder_reached_through_a_symlink_stays_a_symlink(tmp_path):
    folder = _old(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(folder)
    with switched_folder(link, last="manifest.json") as stage:
        _write_new(stage)
    assert link.is_symlink() and _set(link) == NEW


def _tiny_corpora(tmp: Path, n: int) -> Path:
    d = tmp / f"corpora{n}"
    (d / "logs").mkdir(parents=True)
    (d / "taxonomy.toml").write_text((ROOT / "corpora" / "taxonomy.toml").read_text(encoding="utf-8"), encoding="utf-8")
    lines = (ROOT / "corpora" / "logs" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    (d / "logs" / "train.jsonl").write_text("\n".join(lines[:n]) + "\n", encoding="utf-8")
    (d / "logs" / "test.jsonl").write_text("\n".join(lines[60:80]) + "\n", encoding="utf-8")
    return d


def test_a_training_whose_card_cannot_be_written_leaves_the_earlier_tagger_folder_whole(tmp_path, monkeypatch):
    """Before: the arrays and tagger.json were swapped in, then metrics.json written, then the
    card: a failure or kill in between left the new model with the earlier fit's card (or
    the new arrays beside the earlier tagger.json)."""
    from nlp.tagging import train as tr

    monkeypatch.setenv("GONGWEN_SHARED", str(tmp_path / "no-shared"))  # no real passages: a small fit
    tr.train(_tiny_corpora(tmp_path, 60), tmp_path / "m", cv_folds=0)
    folder = tmp_path / "m" / "tagger"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert json.loads(before["metrics.json"])["data"]["n_train"] == 60

    def no_card(*a, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tr, "model_card", no_card)
    with pytest.raises(OSError):
        tr.train(_tiny_corpora(tmp_path, 50), tmp_path / "m", cv_folds=0)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["tagger"]


def test_what_a_killed_save_or_index_build_left_goes_at_the_next_and_work_under_way_stays(tmp_path):
    """The folders a kill leaves beside a model folder (.NAME.saving-…, gone once a day old) and
    beside a search index (.NAME.creating-PID-…, .NAME.rebuild-PID, .NAME.outdated-PID: gone once
    that process is) are removed by the next save or index build; a younger save's folder, a live
    process's and a link to a folder elsewhere stay."""
    import subprocess
    import sys
    import time

    from index.search import common

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    dead, alive = int(ended.stdout), running.pid
    day_old = time.time() - 25 * 3600
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "x").mkdir(parents=True)
    os.utime(elsewhere, (day_old, day_old))
    left = {".model.saving-k1ll3d_1": day_old, ".model.saving-runn1ng0": None,
            f".index-t.creating-{dead}-1": None, f".index-t.creating-{alive}-1": None,
            f".index-t.rebuild-{dead}": None, f".index-t.outdated-{dead}": None, f".index-t.rebuild-{alive}": None}
    for name, mtime in left.items():
        (tmp_path / name / "part").mkdir(parents=True)
        if mtime:
            os.utime(tmp_path / name, (mtime, mtime))
    (tmp_path / ".model.saving-link0000").symlink_to(elsewhere)

    try:
        with switched_folder(tmp_path / "model", "manifest.json") as stage:
            (stage / "manifest.json").write_text("{}", encoding="utf-8")
        common.create_dir(tmp_path / "index-t", "whoosh", lambda folder: None)
        common.rebuild_beside(tmp_path / "index-t", lambda folder: folder.mkdir() or 0)
    finally:
        running.kill()
        running.wait()
    kept = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert kept == sorted([".model.saving-runn1ng0", ".model.saving-link0000", f".index-t.creating-{alive}-1",
                           f".index-t.rebuild-{alive}"])
    assert (elsewhere / "x").is_dir()
