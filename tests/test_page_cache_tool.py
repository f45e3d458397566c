"""corpora/tools/page_cache.py: a page cache checked against a set folder lists every page that is
missing or whose text changed, with its address and the query that finds it again, under both
naming conventions (checklist `file` + whole-text sha256; tagging page_key(url).txt + passage sha).
Texts are written here; no page cache is needed."""
from __future__ import annotations

import json
from pathlib import Path

from nlp.checklist.annotations import sha256
from nlp.tagging.annotations import passage_sha
from nlp.tagging.pages import page_key
from scripts import load_script

page_cache = load_script("corpora/tools/page_cache.py")

TEXT = "关于开展职工读书月活动的通知\r\n各分会：\r\n请于5月10日前报送书目。\n"
LINES = TEXT.replace("\r\n", "\n")  # a tagging page is read with newlines translated


def _sets(tmp_path: Path) -> tuple[Path, Path, Path]:
    checklist, tagging, cache = tmp_path / "checklist", tmp_path / "tagging", tmp_path / "cache"
    for d in (checklist, tagging, cache):
        d.mkdir()
    for name, url in (("ok.txt", "https://a.example.cn/1.htm"), ("gone.txt", "https://b.example.cn/2.htm"),
                      ("edited.txt", "https://c.example.cn/3.htm")):
        ann = {"page": url, "file": name, "sha256": sha256(TEXT), "site": "example.cn", "gold": {}}
        (checklist / f"{name[:-4]}.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    (checklist / "REBUILD.tsv").write_text("file\tpage\tquery\ngone.txt\thttps://b.example.cn/2.htm\t读书月 通知\n",
                                           encoding="utf-8")
    (cache / "ok.txt").write_bytes(TEXT.encode("utf-8"))
    (cache / "edited.txt").write_bytes(TEXT.replace("\r\n", "\n").encode("utf-8"))  # newlines are part of the hash
    url = "https://d.example.cn/4.htm"
    rows = [{"id": "pg-1", "url": url, "start": 0, "end": 14, "sha": passage_sha(LINES[:14])},
            {"id": "pg-2", "url": url, "start": 19, "end": 29, "sha": passage_sha(LINES[19:29])},
            {"id": "pg-3", "url": "https://e.example.cn/5.htm", "start": 0, "end": 5, "sha": "0" * 16}]
    (tagging / "set.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (cache / f"{page_key(url)}.txt").write_bytes(TEXT.encode("utf-8"))
    return checklist, tagging, cache


def test_lists_each_missing_or_changed_page_with_its_address_and_query(tmp_path, capsys):
    checklist, tagging, cache = _sets(tmp_path)
    found = {(p["file"], p["state"], p["query"]) for p in page_cache.problems(checklist, cache)}
    assert found == {("gone.txt", "missing", "读书月 通知"), ("edited.txt", "changed", None)}
    bad = page_cache.problems(tagging, cache)
    assert [(p["page"], p["state"]) for p in bad] == [("https://e.example.cn/5.htm", "missing")]
    assert page_cache.main([str(checklist), "--pages", str(cache)]) == 1
    out = capsys.readouterr().out
    assert "https://b.example.cn/2.htm" in out and "读书月 通知" in out and "1/3" in out


def test_a_complete_cache_passes_and_a_changed_passage_is_caught(tmp_path):
    _, tagging, cache = _sets(tmp_path)
    (tagging / "set.jsonl").write_text("".join(l + "\n" for l in (tagging / "set.jsonl").read_text().splitlines()[:2]),
                                       encoding="utf-8")
    assert page_cache.main([str(tagging), "--pages", str(cache)]) == 0
    f = next(cache.glob(f"{page_key('https://d.example.cn/4.htm')}.txt"))
    f.write_text(LINES.replace("5月10日", "6月10日"), encoding="utf-8")  # second passage only
    assert [p["state"] for p in page_cache.problems(tagging, cache)] == ["changed"]
