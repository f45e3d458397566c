"""Checklist annotations of notices read from public web pages (corpora/annotations/checklist-pages):
the repository keeps the page address, offsets and the hash of the text; the text lives in a page
cache outside it. The loader rebuilds the gold from the cache folder given (--pages or
GONGWEN_PAGE_CACHE) and refuses, naming the page, when the cache is missing or its text differs.
The fixture is one of the project's own notices standing in for a cached page."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from nlp.checklist.annotations import PAGE_CACHE_ENV, decode, make_annotation

ROOT = Path(__file__).resolve().parents[1]
PAGES_ANN = ROOT / "corpora" / "annotations" / "checklist-pages"
PAGES2_ANN = ROOT / "corpora" / "annotations" / "checklist-pages2"  # the second unseen set (session 18)
PAGES3_ANN = ROOT / "corpora" / "annotations" / "checklist-pages3"  # the third unseen set (session 20)
PAGES4_ANN = ROOT / "corpora" / "annotations" / "checklist-pages4"  # a development set of the blind sets' kinds
PAGES5_ANN = ROOT / "corpora" / "annotations" / "checklist-pages5"  # the fourth blind set (session 20)
PAGES6_ANN = ROOT / "corpora" / "annotations" / "checklist-pages6"  # a second development set of the blind kinds
PAGES7_ANN = ROOT / "corpora" / "annotations" / "checklist-pages7"  # a third one, mostly whole notices
PAGES8_ANN = ROOT / "corpora" / "annotations" / "checklist-pages8"  # the coordinator's untuned check (session 23)
PAGES9_ANN = ROOT / "corpora" / "annotations" / "checklist-pages9"  # a fresh untuned check (session 24)
PAGES11_ANN = ROOT / "corpora" / "annotations" / "checklist-pages11"  # a development set with actors (session 25)
PAGES12_ANN = ROOT / "corpora" / "annotations" / "checklist-pages12"  # a development set with actors (session 25)
PAGES10_ANN = ROOT / "corpora" / "annotations" / "checklist-pages10"  # another one, union work notices (session 25)
PAGES14_ANN = ROOT / "corpora" / "annotations" / "checklist-pages14"  # a development set, several doers each (session 27)
PAGES13_ANN = ROOT / "corpora" / "annotations" / "checklist-pages13"  # a development set of event notices (session 27)
PAGES15_ANN = ROOT / "corpora" / "annotations" / "checklist-pages15"  # an untuned check of union notices (session 28)
STEM = "2024_jian_zhongda_shixiang"
URL = "https://example.cn/info/1.htm"
runner = CliRunner()


def _cached(tmp_path: Path) -> tuple[dict, dict, Path]:
    cache = tmp_path / "pages"
    cache.mkdir()
    shutil.copy(ROOT / "corpora" / "notices" / f"{STEM}.txt", cache / f"{STEM}.txt")
    gold = json.loads((ROOT / "corpora" / "gold" / f"{STEM}.gold.json").read_text(encoding="utf-8"))
    ann = make_annotation(gold, tmp_path / "no-shared", f"{STEM}.txt", "example.cn", page=URL, pages=cache)
    return ann, gold, cache


def test_page_annotation_keeps_address_and_offsets_and_rebuilds_from_the_cache(tmp_path, monkeypatch):
    ann, gold, cache = _cached(tmp_path)
    assert ann["page"] == URL and len(ann["sha256"]) == 64
    assert gold["obligations"][0]["text"] not in json.dumps(ann, ensure_ascii=False)  # offsets, not copied text
    assert decode(ann, tmp_path, cache)["obligations"] == gold["obligations"]
    monkeypatch.setenv(PAGE_CACHE_ENV, str(cache))
    assert decode(ann, tmp_path)["obligations"] == gold["obligations"]


def test_page_annotation_refuses_a_missing_or_changed_cache(tmp_path, monkeypatch):
    ann, _, cache = _cached(tmp_path)
    monkeypatch.delenv(PAGE_CACHE_ENV, raising=False)
    with pytest.raises(ValueError, match=f"{URL}.*page-cache folder"):
        decode(ann, tmp_path)
    with pytest.raises(ValueError, match="not in the page cache"):
        decode(ann, tmp_path, tmp_path / "elsewhere")
    with open(cache / f"{STEM}.txt", "a", encoding="utf-8") as f:
        f.write("。")
    with pytest.raises(ValueError, match="not the annotated text"):
        decode(ann, tmp_path, cache)


def test_eval_of_page_annotations_without_cache_exits_with_one_readable_line(monkeypatch):
    monkeypatch.delenv(PAGE_CACHE_ENV, raising=False)
    r = runner.invoke(app, ["eval", "checklist", str(PAGES_ANN)])
    assert r.exit_code != 0
    assert "标注无法读取" in r.output and PAGE_CACHE_ENV in r.output


@pytest.mark.parametrize(("folder", "size"), [(PAGES_ANN, 27), (PAGES2_ANN, 27), (PAGES3_ANN, 19),
                                           (PAGES4_ANN, 14), (PAGES5_ANN, 15), (PAGES6_ANN, 14),
                                           (PAGES7_ANN, 14), (PAGES8_ANN, 15), (PAGES9_ANN, 13),
                                           (PAGES11_ANN, 20), (PAGES12_ANN, 15), (PAGES10_ANN, 11),
                                           (PAGES14_ANN, 15), (PAGES13_ANN, 14), (PAGES15_ANN, 12)],
                         ids=["pages", "pages2", "pages3", "pages4", "pages5", "pages6", "pages7", "pages8", "pages9",
                              "pages11", "pages12", "pages10", "pages14", "pages13", "pages15"])
def test_shipped_page_annotations_name_their_page_and_hold_offsets(folder, size):
    files = sorted(folder.glob("*.json"))
    assert len(files) >= size
    for p in files:
        ann = json.loads(p.read_text(encoding="utf-8"))
        assert ann["page"].startswith("http") and ann["site"] and len(ann["sha256"]) == 64, p.name
        # text values are spans: the only literal pieces are a normalised bracket or a restored separator
        texts = [o["text"]["$t"] for o in ann["gold"]["obligations"]]
        assert all(isinstance(piece, list) for t in texts for piece in t), p.name



def _sites(folder: Path) -> set[str]:
    return {json.loads(p.read_text(encoding="utf-8"))["site"] for p in folder.glob("*.json")}


def _domain(site: str) -> str:
    """The registered domain of a site name (gh.example.edu.cn -> example.edu.cn)."""
    parts = site.split("/")[0].lower().split(".")
    keep = 3 if ".".join(parts[-2:]) in {"edu.cn", "com.cn", "gov.cn", "org.cn", "net.cn", "ac.cn"} else 2
    return ".".join(parts[-keep:])


# each page set after the first, its least number of sites, and why it must be fresh: a blind set measures
# code developed on the sets before it, a development set worked on in place of the blind sets' notices
# would otherwise carry that work into their figures, and a check partition nobody tuned on would
# otherwise carry the tuning of the sets before it
_LATER_SETS = [(PAGES2_ANN, 25), (PAGES3_ANN, 19), (PAGES4_ANN, 14), (PAGES5_ANN, 15), (PAGES6_ANN, 14), (PAGES7_ANN, 14),
               (PAGES8_ANN, 15), (PAGES9_ANN, 13), (PAGES11_ANN, 20), (PAGES12_ANN, 15), (PAGES10_ANN, 11),
               (PAGES14_ANN, 15), (PAGES13_ANN, 14), (PAGES15_ANN, 12)]


@pytest.mark.parametrize(("k", "size"), [(k, size) for k, (_, size) in enumerate(_LATER_SETS)],
                         ids=["pages2", "pages3", "pages4", "pages5", "pages6", "pages7", "pages8", "pages9",
                              "pages11", "pages12", "pages10", "pages14", "pages13", "pages15"])
def test_each_page_set_shares_no_site_with_the_sets_before_it(k, size):
    # (the shared corpus, whose sites the 75 annotated notices name by folder, was checked by page address
    # when each set was gathered; the seventh is also checked against those folders below)
    later = {_domain(s) for s in _sites(_LATER_SETS[k][0])}
    assert len(later) >= size
    earlier = [PAGES_ANN] + [folder for folder, _ in _LATER_SETS[:k]]
    assert not later & set().union(*({_domain(s) for s in _sites(f)} for f in earlier))


@pytest.mark.parametrize("folder", [PAGES7_ANN, PAGES8_ANN, PAGES9_ANN, PAGES11_ANN, PAGES12_ANN, PAGES10_ANN,
                                    PAGES14_ANN, PAGES13_ANN, PAGES15_ANN],
                         ids=["pages7", "pages8", "pages9", "pages11", "pages12", "pages10", "pages14", "pages13", "pages15"])
def test_later_page_sets_share_no_site_with_the_annotated_notices(folder):
    # the 75 annotated notices' `site` is a shared-corpus folder led by the site's short name, compared here
    # with each domain's first label (checked from the seventh set on; the earlier ones by page address)
    later = {_domain(s) for s in _sites(folder)}
    folders = {json.loads(p.read_text(encoding="utf-8"))["site"].split("-")[0]
               for p in (ROOT / "corpora" / "annotations" / "checklist").glob("*.json")}
    assert not {d.split(".")[0] for d in later} & folders


def test_page_notices_join_the_duty_stage_data_only_from_a_cache(tmp_path):
    # `duty_model train/cv --pages DIR` reads the page notices like the shared ones: labelled
    # candidates under the page's site, named apart from the shared files
    from nlp.checklist import duty_model as dm

    ann, gold, cache = _cached(tmp_path)
    folder = tmp_path / "checklist-pages"
    folder.mkdir()
    (folder / "one.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    (ex,) = dm.page_examples(cache, tmp_path / "no-shared", folder)
    assert ex.name == f"pages/{STEM}.txt" and ex.group == "example.cn"
    assert ex.gold["obligations"] == gold["obligations"]
    assert len(ex.labels) == len(ex.rows) > 0 and 0 < sum(ex.labels) < len(ex.labels)
    with pytest.raises(ValueError, match="not in the page cache"):
        dm.page_examples(tmp_path / "elsewhere", tmp_path / "no-shared", folder)


def test_page_sets_join_as_training_material_each_from_its_own_cache(tmp_path):
    # `duty_model train/cv --page-set FOLDER=CACHE` (and the actor stage's): several page sets pooled,
    # each read from its own cache and named after its set so a CV can score each set apart; a
    # missing page is refused unless skipped, and a blind set is never training material
    from nlp.checklist import duty_model as dm

    ann, gold, cache = _cached(tmp_path)
    other = tmp_path / "other-cache"
    other.mkdir()
    shutil.copy(cache / f"{STEM}.txt", other / f"{STEM}.txt")
    for name in ("checklist-pages", "checklist-pages7"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "one.json").write_text(json.dumps(ann, ensure_ascii=False), encoding="utf-8")
    lost = dict(ann, file="absent.txt", page="https://example.cn/info/2.htm")
    (tmp_path / "checklist-pages7" / "two.json").write_text(json.dumps(lost, ensure_ascii=False), encoding="utf-8")
    specs = [str(tmp_path / "checklist-pages"), f"{tmp_path / 'checklist-pages7'}={other}"]
    with pytest.raises(ValueError, match="not in the page cache"):
        dm.page_set_examples(specs, tmp_path / "no-shared", cache)
    exs = dm.page_set_examples(specs, tmp_path / "no-shared", cache, missing="skip")
    assert [e.name for e in exs] == [f"pages/{STEM}.txt", f"pages7/{STEM}.txt"]
    assert all(e.gold["obligations"] == gold["obligations"] and sum(e.labels) > 0 for e in exs)
    with pytest.raises(ValueError, match="not in the page cache"):  # without =CACHE a set reads the cache given
        dm.page_set_examples([str(tmp_path / "checklist-pages7")], tmp_path / "no-shared", tmp_path / "x", "skip")
    for measured in ("checklist-pages5", "checklist-pages8", "checklist-pages9", "checklist-pages15"):  # blind, untuned checks
        (tmp_path / measured).mkdir()
        with pytest.raises(ValueError, match="blind"):
            dm.page_set_examples([f"{tmp_path / measured}={cache}"], tmp_path / "no-shared")
