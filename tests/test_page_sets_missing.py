"""A page cache known to lack pages: the readers of page annotations refuse by default and, only
when asked (`missing="skip"`, the looks' `--missing skip`), leave out the pages the cache lacks and
name them; a cached text that no longer hashes stays an error either way. Texts written here."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.checklist.annotations import load_all, load_set, pages_left_out
from nlp.tagging.annotations import passage_sha
from nlp.tagging.pages import PAGES, PageCacheError, page_key, page_passages, page_set
from scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
KEPT = "关于开展职工书屋建设的通知\n各基层工会：\n请各基层工会于6月30日前报送书屋建设情况。\n"
GONE = "关于举办职工羽毛球比赛的通知\n各分会：\n每个分会限报4人。\n"
URL_KEPT, URL_GONE = "https://a.example.cn/n/1.htm", "https://b.example.cn/n/2.htm"


def _ann(text: str, file: str, url: str, duty: str) -> dict:
    start = text.index(duty)
    return {"page": url, "file": file, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "site": url.split("/")[2],
            "gold": {"metadata": {}, "obligations": [{"tier": "hard", "text": {"$t": [[start, start + len(duty)]]}}]}}


def _checklist_set(tmp_path: Path) -> tuple[Path, Path]:
    """Two page annotations; the cache holds the first page only."""
    ann, cache = tmp_path / "ann", tmp_path / "cache"
    ann.mkdir()
    cache.mkdir()
    (ann / "kept.json").write_text(json.dumps(_ann(KEPT, "kept.txt", URL_KEPT, "请各基层工会于6月30日前报送书屋建设情况")),
                                   encoding="utf-8")
    (ann / "gone.json").write_text(json.dumps(_ann(GONE, "gone.txt", URL_GONE, "每个分会限报4人")), encoding="utf-8")
    (cache / "kept.txt").write_text(KEPT, encoding="utf-8")
    return ann, cache


def test_a_missing_page_is_refused_unless_skipping_is_asked(tmp_path):
    ann, cache = _checklist_set(tmp_path)
    with pytest.raises(ValueError, match="gone.txt: not in the page cache"):
        load_all(ann, tmp_path, cache)
    with pytest.raises(ValueError, match="not in the page cache"):
        load_set(ann, tmp_path, cache)
    pairs, left = load_set(ann, tmp_path, cache, missing="skip")
    assert left == [("gone.txt", URL_GONE)]
    assert [a["file"] for a, _ in pairs] == ["kept.txt"]
    assert pairs[0][1]["obligations"][0]["text"] == "请各基层工会于6月30日前报送书屋建设情况"


def test_skipping_never_hides_a_changed_text_or_a_missing_cache(tmp_path):
    ann, cache = _checklist_set(tmp_path)
    (cache / "kept.txt").write_text(KEPT.replace("6月30日", "7月31日"), encoding="utf-8")
    with pytest.raises(ValueError, match="not the annotated text"):
        load_set(ann, tmp_path, cache, missing="skip")
    with pytest.raises(ValueError, match="not in the page cache"):
        load_set(ann, tmp_path, tmp_path / "no-such-cache", missing="skip")
    with pytest.raises(ValueError, match="one of refuse, skip"):
        pages_left_out([], cache, missing="ignore")


def test_page_passages_of_a_missing_page_are_left_out_only_when_asked(tmp_path):
    corpora, cache = tmp_path / "corpora", tmp_path / "cache"
    (corpora / PAGES).mkdir(parents=True)
    cache.mkdir()
    labels = []
    for i, (url, text) in enumerate(((URL_KEPT, KEPT), (URL_GONE, GONE))):
        start, end = text.index("\n") + 1, len(text) - 1
        labels.append({"id": f"pg-{i}", "url": url, "start": start, "end": end, "sha": passage_sha(text[start:end]),
                       "tasks": ["other"], "risks": [], "negated": False})
    (corpora / PAGES / "x.jsonl").write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in labels),
                                             encoding="utf-8")
    (cache / f"{page_key(URL_KEPT)}.txt").write_text(KEPT, encoding="utf-8")
    with pytest.raises(PageCacheError, match="缺少 pg-1"):
        page_passages(corpora, cache)
    rows, left = page_set(corpora, cache, missing="skip")
    assert [r["id"] for r in rows] == ["pg-0"] and rows[0]["text"].startswith("各基层工会")
    assert left == [(f"{page_key(URL_GONE)}.txt", URL_GONE)]


def test_relevance_leaves_out_a_missing_page_notice_and_the_queries_judged_on_it(tmp_path, monkeypatch):
    bench = load_script("bench/relevance.py")
    ann, cache = _checklist_set(tmp_path)
    monkeypatch.setattr(bench, "PAGE_ANNOTATIONS", ann)
    with pytest.raises(ValueError, match="gone.txt"):
        bench.page_files(cache)
    files, left = bench.page_files(cache, "skip")
    assert [name for name, _ in files] == ["pages/a.example.cn/kept.txt"] and left == [("gone.txt", URL_GONE)]
    on_gone = {"id": "q1", "relevant": {"pages/b.example.cn/gone.txt#0123456789": 2, "pages/a.example.cn/kept.txt@doc": 1}}
    only_kept = {"id": "q2", "relevant": {"pages/a.example.cn/kept.txt#0123456789": 2,
                                          "pages/b.example.cn/gone.txt@doc": 0}}
    assert bench.on_left_out_page(on_gone, left) and not bench.on_left_out_page(only_kept, left)


def test_the_checklist_look_names_the_page_it_left_out_and_counts_the_rest(tmp_path):
    ann, cache = _checklist_set(tmp_path)
    look = [sys.executable, str(ROOT / "bench" / "checklist_pages_look.py"), str(ann), "--pages", str(cache),
            "--quiet", "--draws", "20"]
    refused = subprocess.run(look, capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode != 0 and "gone.txt" in refused.stderr
    run = subprocess.run(look + ["--missing", "skip"], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"left out  gone.txt  {URL_GONE}" in run.stdout
    assert "1 notices, 1 sites" in run.stdout and "recall    " in run.stdout


def test_eval_checklist_skips_a_missing_page_only_when_asked_and_names_it(tmp_path):
    from typer.testing import CliRunner

    from api.cli import app
    from api.cli.evaluate import MissingPages
    from nlp.checklist.annotations import MISSING

    assert tuple(m.value for m in MissingPages) == MISSING
    ann, cache = _checklist_set(tmp_path)
    runner = CliRunner()
    base = ["eval", "checklist", str(ann), "--shared", str(tmp_path), "--pages", str(cache)]
    refused = runner.invoke(app, base)
    assert refused.exit_code == 1 and "gone.txt" in refused.output and "Traceback" not in refused.output
    assert "缺少 1 个网页" in refused.output and "--missing skip" in refused.output
    table = runner.invoke(app, base + ["--missing", "skip"])
    assert table.exit_code == 0, table.output
    assert "略去 gone.txt" in table.stderr and URL_GONE in table.stderr
    assert "微平均（1 篇）" in table.stdout
    res = runner.invoke(app, base + ["--missing", "skip", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert list(data["documents"]) == ["kept.txt"] and data["micro"]["documents"] == 1
    assert data["left_out"] == [{"file": "gone.txt", "page": URL_GONE}]
    wrong = runner.invoke(app, base + ["--missing", "ignore"])
    assert wrong.exit_code == 2
