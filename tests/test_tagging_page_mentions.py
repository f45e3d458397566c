"""Mention-level statuses of the tagging page sets (`corpora/annotations/tagging/page_mentions/`):
written by `corpora/tools/tag_mentions.py` from a person's working file, read back by the same
loader as the shared passages' labels, and checked against the passages' own labels."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.tagging.annotations import passage_sha, read_annotations, risk_mentions, statuses
from nlp.tagging.pages import PageCacheError, page_key, page_passages
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "corpora" / "annotations" / "tagging"
TEXT = "工地拖欠工资三个月，工人们很着急。去年那次欠薪早已结清。"
URL = "http://example.org/a.html"


def _page_set(tmp_path: Path, risks: list[str], text: str = TEXT) -> tuple[Path, str]:
    folder, cache = tmp_path / "set", tmp_path / "cache"
    folder.mkdir()
    cache.mkdir()
    label = {"id": "pgx-001", "url": URL, "start": 3, "end": 3 + len(text), "sha": passage_sha(text), "tasks": ["other"],
             "risks": risks, "negated": not risks, "statuses": {"wage_arrears": "present" if risks else "settled"}}
    (folder / "fresh.jsonl").write_text(json.dumps(label, ensure_ascii=False) + "\n", encoding="utf-8")
    (cache / f"{page_key(URL)}.txt").write_text("页眉\n" + text + "\n页脚", encoding="utf-8")
    return tmp_path, f"{folder}={cache}"


def _run(tool, monkeypatch, *argv: str) -> int:
    monkeypatch.setattr("sys.argv", ["tag_mentions.py", *argv])
    return tool.main()


def test_a_working_file_of_a_page_set_becomes_offsets_the_loader_reads(tmp_path, monkeypatch):
    tool = load_script("corpora/tools/tag_mentions.py")
    root, spec = _page_set(tmp_path, ["wage_arrears"])
    work, out = root / "work.txt", root / "ann" / "pagesx.jsonl"
    work.write_text("pgx-001 1:p 2:o  # the second is last year's\n", encoding="utf-8")
    assert _run(tool, monkeypatch, "encode", str(work), "--out", str(out), "--pages", spec) == 0
    rows = read_annotations(out.parent)
    assert "工地" not in out.read_text(encoding="utf-8")  # offsets and a hash, no text
    hits = risk_mentions(TEXT)
    assert [(a["start"], a["end"], a["status"]) for a in rows] == [
        (hits[0].start, hits[0].end, "present"), (hits[1].start, hits[1].end, "historical")]
    [page] = page_passages(root, spec.split("=")[1], root / "set")
    assert statuses(out.parent, [page]) == {("pgx-001", h.start, h.end, h.label): s
                                            for h, s in zip(hits, ["present", "historical"])}
    # a page whose text changed no longer takes the labels
    assert statuses(out.parent, [{**page, "text": TEXT + "又欠了。"}]) == {}


@pytest.mark.parametrize("risks, codes, bad", [
    (["wage_arrears"], "1:p 2:o", []),
    (["wage_arrears"], "1:s 2:o", [("pgx-001", "wage_arrears", "present", "historical,settled")]),
    ([], "1:p 2:s", [("pgx-001", "wage_arrears", "settled", "present,settled")]),
    ([], "1:o 2:o", [("pgx-001", "wage_arrears", "settled", "historical")]),
])
def test_check_names_each_risk_whose_mentions_disagree_with_the_passage(tmp_path, monkeypatch, capsys, risks, codes, bad):
    tool = load_script("corpora/tools/tag_mentions.py")
    root, spec = _page_set(tmp_path, risks)
    work, out = root / "work.txt", root / "ann" / "pagesx.jsonl"
    work.write_text(f"pgx-001 {codes}\n", encoding="utf-8")
    _run(tool, monkeypatch, "encode", str(work), "--out", str(out), "--pages", spec)
    capsys.readouterr()
    assert _run(tool, monkeypatch, "check", str(out), "--pages", spec) == (1 if bad else 0)
    printed = [tuple(line.split("\t")) for line in capsys.readouterr().out.splitlines()]
    assert printed == bad


def test_shipped_page_mentions_point_into_their_sets_passages():
    """Without a page cache: every label names a passage of its set by id and hash, and its
    offsets lie inside that passage."""
    files = sorted((FOLDER / "page_mentions").glob("*.jsonl"))
    assert files
    for f in files:
        labels = {}
        for p in sorted((FOLDER / f.stem).glob("*.jsonl")):
            for line in p.read_text(encoding="utf-8").splitlines():
                a = json.loads(line)
                labels[a["id"]] = a
        rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()]
        assert rows
        for r in rows:
            page = labels[r["id"]]
            assert r["sha"] == page["sha"]
            assert 0 <= r["start"] < r["end"] <= page["end"] - page["start"]
    # the shared passages' loader does not take them for its own
    assert not any(str(a["id"]).startswith("pg") for a in read_annotations(FOLDER))


def test_a_page_the_cache_lacks_is_refused_unless_skipped(tmp_path, monkeypatch, capsys):
    tool = load_script("corpora/tools/tag_mentions.py")
    root, spec = _page_set(tmp_path, ["wage_arrears"])
    (root / "cache" / f"{page_key(URL)}.txt").unlink()
    with pytest.raises(PageCacheError, match="缺少"):
        _run(tool, monkeypatch, "list", "--pages", spec)
    assert _run(tool, monkeypatch, "list", "--pages", spec, "--missing", "skip") == 0
    assert "pgx-001" not in capsys.readouterr().out
