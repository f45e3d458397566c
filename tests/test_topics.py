"""Topic discovery: the recurring problems come out as topics, the same logs give
the same topics, ids persist when logs are added, a growing risky problem is
flagged and suggested, and the CLI works on a JSON Lines file without a store."""
from __future__ import annotations

import json
import random
import warnings

import pytest
from typer.testing import CliRunner

from nlp.topics import TopicModel, discover

# Four problems a county federation would recognise, phrased in several ways each.
THEMES = {
    "arrears": ["{c}拖欠农民工工资已经两个月，工人多次讨薪未果", "{c}老板说资金周转困难，工资推迟发放，工人意见很大",
                "协调{c}补发拖欠的工资，涉及职工{n}人", "{c}工资迟迟不到账，部分工人准备去劳动监察投诉"],
    "riders": ["外卖骑手反映没有签劳动合同，平台算法压单严重", "走访配送站点，骑手入会意愿不高，担心要交会费",
               "为网约车司机和外卖骑手集中办理入会，发放会员服务卡", "骑手说送餐超时罚款太重，站点没有歇脚的地方"],
    "home": ["{c}职工之家长期闲置，职工书屋无人管理", "检查{c}职工之家建设，活动室设施陈旧需要更新",
             "指导{c}完善职工之家活动计划和管理制度", "{c}职工之家图书室锁着门，职工说从来没进去过"],
    "heat": ["{c}车间高温作业，降温设施明显不足", "{c}高温天气仍安排露天作业，有工人中暑",
             "为{c}高温岗位职工送清凉，检查防暑降温措施", "{c}车间温度超过38度，降温风扇坏了没人修"],
}
COMPANIES = ["恒达机械", "锦程纺织", "宏远电子", "华兴建材", "瑞丰食品", "利民包装"]
REGIONS = ["九江市修水县", "赣州市南康区", "上饶市玉山县", "吉安市泰和县"]


def make_logs(n: int = 360, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    logs = []
    for i in range(n):
        theme = rng.choice(list(THEMES))
        month = rng.randint(1, 12)
        if theme == "arrears" and rng.random() < 0.6:
            month = rng.choice([10, 11, 12])  # wage arrears grows at the end of the year
        company = rng.choice(COMPANIES)
        # a log about one problem usually touches two of its aspects
        text = "，".join(t.format(c=company, n=rng.randint(5, 80)) for t in rng.sample(THEMES[theme], 2))
        logs.append({"id": f"L{i:04d}", "text": text + "。" + rng.choice(["下一步继续跟进。", "已向镇总工会报告。", ""]),
                     "date": f"2024-{month:02d}-{rng.randint(1, 28):02d}", "region": rng.choice(REGIONS),
                     "theme": theme, "risks": ["wage_arrears"] if theme == "arrears" else []})
    return logs


@pytest.fixture(scope="module")
def fitted():
    logs = make_logs()
    model, report = discover(logs, n_topics=4)
    return logs, model, report


def purity(logs, report) -> float:
    by_topic: dict[int, list[str]] = {}
    theme = {log["id"]: log["theme"] for log in logs}
    for a in report["assignments"]:
        by_topic.setdefault(a["topic"], []).append(theme[a["id"]])
    return sum(max(map(v.count, set(v))) for v in by_topic.values()) / len(logs)


def test_topics_recover_the_recurring_problems(fitted):
    logs, model, report = fitted
    assert purity(logs, report) >= 0.9
    labels = " ".join(t["label"] + " " + " ".join(t["terms"]) for t in report["topics"])
    for word in ("工资", "骑手", "职工之家", "高温"):
        assert word in labels


def test_same_logs_same_topics(fitted):
    logs, _, report = fitted
    _, again = discover(logs, n_topics=4)
    assert [t["terms"] for t in again["topics"]] == [t["terms"] for t in report["topics"]]
    assert again["assignments"] == report["assignments"]


def test_ids_persist_when_ten_percent_more_logs_arrive(fitted):
    logs, model, report = fitted
    more = logs + make_logs(36, seed=99)
    for i, log in enumerate(more[len(logs):]):
        log["id"] = f"N{i}"
    refit, _ = discover(more, previous=model)
    old = {t.id: set(t.terms[:5]) for t in model.topics}
    kept = [t for t in refit.topics if t.id in old and len(old[t.id] & set(t.terms[:5])) >= 2]
    assert len(kept) >= 3


def test_growing_risky_problem_is_emerging_and_suggested_first(fitted):
    logs, _, report = fitted
    arrears = max(report["topics"], key=lambda t: next((r["share"] for r in t["risks"] if r["id"] == "wage_arrears"), 0))
    assert arrears["risks"][0]["id"] == "wage_arrears" and arrears["risks"][0]["share"] > 0.9
    assert arrears["emerging"] > 0.5
    others = [t["emerging"] for t in report["topics"] if t["id"] != arrears["id"]]
    assert arrears["emerging"] > max(others)
    top = report["suggestions"][0]
    assert top["topic"] == arrears["id"] and "欠薪" in top["reason"]
    assert set(top["supporting_logs"]) <= {log["id"] for log in logs}


def test_trend_shares_add_up_per_month(fitted):
    _, _, report = fitted
    for i, _period in enumerate(report["periods"]):
        assert sum(t["trend"][i]["share"] for t in report["topics"]) == pytest.approx(1.0, abs=1e-3)


def test_saved_model_assigns_new_logs_without_refitting(fitted, tmp_path):
    _, model, _ = fitted
    model.save(tmp_path / "topics")
    loaded = TopicModel.load(tmp_path / "topics")
    [(tid, weight)] = loaded.transform(["园区企业拖欠工资三个月，工人准备集体讨薪"])
    arrears = next(t for t in loaded.topics if "工资" in t.terms)
    assert tid == arrears.id and weight > 0


def test_a_save_that_fails_changes_nothing_and_the_earlier_model_still_loads(fitted, tmp_path):
    """A refit whose save fails on a later file (here the card: a folder stands where it goes)
    leaves the earlier model with its own topics.json, and nothing of itself. Before: the new
    model file and topics.json were already swapped in when the card failed, so a failed save
    had replaced the model; a failure or kill between the two swaps left a model and a
    topics.json of different fits."""
    _, model, _ = fitted
    folder = tmp_path / "topics"
    model.save(folder)
    before = sorted(p.name for p in folder.iterdir())
    other, _ = discover(make_logs(80, seed=2), n_topics=3)
    (folder / "MODEL_CARD.md").unlink()
    (folder / "MODEL_CARD.md").mkdir()
    (folder / "MODEL_CARD.md" / "笔记.txt").write_text("有人在这里放了文件夹", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        other.save(folder)
    loaded = TopicModel.load(folder)
    assert loaded.nmf_.n_components == len(loaded.topics) == len(model.topics) == 4
    assert [t.label for t in loaded.topics] == [t.label for t in model.topics]
    assert sorted(p.name for p in folder.iterdir()) == before
    # with the folder gone the same save goes through whole, leaving one model file
    (folder / "MODEL_CARD.md" / "笔记.txt").unlink()
    (folder / "MODEL_CARD.md").rmdir()
    other.save(folder)
    again = TopicModel.load(folder)
    assert again.nmf_.n_components == len(again.topics) == 3
    assert len(list(folder.glob("*.joblib"))) == 1 and "3 topics" in (folder / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_a_save_keeps_the_model_file_of_another_save_running_beside_it(fitted, tmp_path):
    """Two refits into one folder at once: each writes its model file, then swaps in its
    topics.json. A save removes only the model file the folder's topics.json named before it,
    so the other save's file, written but not yet named, is there when its topics.json goes in."""
    _, model, _ = fitted
    folder, beside = tmp_path / "topics", tmp_path / "beside"
    model.save(folder)
    other, _ = discover(make_logs(80, seed=2), n_topics=3)
    other.save(beside)  # what the other save has written: its model file (copied in) and its manifest (held)
    [written] = beside.glob("*.joblib")
    (folder / written.name).write_bytes(written.read_bytes())
    third, _ = discover(make_logs(80, seed=3), n_topics=2)
    third.save(folder)
    assert (folder / written.name).exists()
    (folder / "topics.json").write_bytes((beside / "topics.json").read_bytes())  # the other save's swap
    loaded = TopicModel.load(folder)
    assert loaded.nmf_.n_components == len(loaded.topics) == 3


class _Killed(BaseException):
    """A kill that lands at one rename of a save."""


def _kill_at(k: int, calls: list[int], real):
    def rename(src, dst, *a, **kw):
        calls[0] += 1
        if calls[0] == k:
            raise _Killed
        return real(src, dst, *a, **kw)
    return rename


def test_a_kill_at_any_rename_of_a_save_leaves_a_card_that_describes_the_model_in_use(fitted, tmp_path, monkeypatch):
    """Whichever rename of a refit's save a kill stops, the folder's card, topics.json and
    model file are of one fit. Before: the card was renamed into place before topics.json,
    so a kill at topics.json's rename left the new fit's card beside the earlier model."""
    import os

    _, model, _ = fitted
    other, _ = discover(make_logs(80, seed=2), n_topics=3)
    for k in range(1, 8):
        folder = tmp_path / f"topics{k}"
        model.save(folder)
        calls = [0]
        with monkeypatch.context() as m:  # (pathlib's replace and rename call these)
            m.setattr(os, "replace", _kill_at(k, calls, os.replace))
            m.setattr(os, "rename", _kill_at(k, calls, os.rename))
            try:
                other.save(folder)
            except _Killed:
                pass
        loaded = TopicModel.load(folder)
        card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert f"; {len(loaded.topics)} topics" in card and f"on {loaded.n_docs_} logs" in card, k
        if calls[0] < k:  # the save ran to its end before the k-th rename
            assert len(loaded.topics) == 3
            break
    else:
        raise AssertionError("every save was killed")


def test_report_on_no_logs_is_empty_not_an_error(fitted):
    from nlp.topics import report

    empty = report(fitted[1], [])
    assert empty["n_logs"] == 0 and empty["assignments"] == []
    # no topic holds a log: none is listed, each is named as left out
    assert empty["topics"] == [] and empty["suggestions"] == []
    assert empty["topics_without_logs"] == [t.id for t in fitted[1].topics]


def test_number_of_topics_chosen_by_coherence_when_not_given():
    model, _ = discover(make_logs(200, seed=3))
    assert model.n_topics_ in model.candidates
    assert model.coherence == pytest.approx(max(model.coherence_by_k.values()), abs=1e-4)


def test_charts_render_chinese(fitted, tmp_path):
    from nlp.topics.charts import cjk_font, write_charts

    assert cjk_font() is not None, "a CJK font must be installed (scripts/setup.sh)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" for boxes
        files = write_charts(fitted[2], tmp_path)
    assert [f.name for f in files] == ["topics-trend.png", "topics-regions.png"]
    assert all(f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in files)


def test_cli_fit_on_a_jsonl_file_without_a_store(tmp_path, monkeypatch):
    from api.cli import app

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    path = tmp_path / "logs.jsonl"
    lines = [json.dumps(log, ensure_ascii=False) for log in make_logs(120, seed=5)]
    path.write_text("\n".join(lines + ["not json", '{"id": "x"}']) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["topics", "fit", str(path), "--k", "4", "--format", "json",
                                      "--model-dir", str(tmp_path / "model")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"topics", "assignments", "suggestions"} <= data.keys()
    assert len(data["assignments"]) == 120
    assert {"id", "label", "terms", "size", "trend", "emerging"} <= data["topics"][0].keys()
    assert (tmp_path / "model" / "topics.json").exists()
    assert not (tmp_path / "data" / "gongwen.db").exists()  # no store was needed


def test_fitting_topics_reads_a_log_file_saved_in_gbk_as_log_add_does(tmp_path, monkeypatch):
    """A JSON Lines file saved by Excel in GBK: `gongwen topics fit` used to stop on it with
    内部错误（UnicodeDecodeError…） while `gongwen log add` read the same file; a text that is
    not a string ({"text": 5}) was counted as a log."""
    from typer.testing import CliRunner

    from api.cli import app

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    path = tmp_path / "logs.jsonl"
    lines = [json.dumps(log, ensure_ascii=False) for log in make_logs(60, seed=7)]
    path.write_bytes(("\n".join(lines + ['{"id": "n", "text": 5}']) + "\n").encode("gbk"))
    result = CliRunner().invoke(app, ["topics", "fit", str(path), "--k", "3", "--format", "json",
                                      "--model-dir", str(tmp_path / "model")])
    assert result.exit_code == 0, result.output
    assert "GBK" in result.stderr and "跳过 1 行" in result.stderr
    assert len(json.loads(result.stdout.strip().splitlines()[-1])["assignments"]) == 60


ERRANDS = ["明天开会，去打印材料、布置会场", "安排外地来的客人住宿，订了车", "整理笔记，把出差票据贴好报销",
           "办公室打扫卫生，领了办公用品", "准备会议材料，复印装订二十份"]


@pytest.fixture(scope="module")
def with_errands():
    """The four problems plus a fifth group of logs that are errands (the `other` task)."""
    rng = random.Random(11)
    logs = make_logs(300, seed=13)
    for i in range(90):
        logs.append({"id": f"E{i:03d}", "text": "，".join(rng.sample(ERRANDS, 2)) + "。",
                     "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "region": rng.choice(REGIONS),
                     "theme": "errand", "tasks": ["other"], "risks": []})
    for log in logs[:300]:
        log["tasks"] = ["labor_relations"]
    model, report = discover(logs, n_topics=5)
    return logs, model, report


def test_topics_are_named_as_subjects_from_phrases_not_keyword_lists(fitted):
    logs, _, report = fitted
    texts = [log["text"] for log in logs]
    for t in report["topics"]:
        assert "·" not in t["label"] and t["label"].endswith(("问题", "情况"))
        assert t["phrases"], t
        # a key phrase is words that stand next to each other in the logs, not a list of words
        for phrase in t["phrases"][:2]:
            assert len(phrase) >= 4 and sum(phrase in x for x in texts) >= 3
    arrears = max(report["topics"], key=lambda t: t["risk_share"])
    assert arrears["label"].endswith("问题")  # its logs report a risk far more often than the rest


def test_errand_topics_are_not_suggested(with_errands):
    logs, _, report = with_errands
    theme = {log["id"]: log["theme"] for log in logs}
    members: dict[int, list[str]] = {}
    for a in report["assignments"]:
        members.setdefault(a["topic"], []).append(theme[a["id"]])
    errand_topic = max(members, key=lambda t: members[t].count("errand") / len(members[t]))
    t = next(t for t in report["topics"] if t["id"] == errand_topic)
    assert t["other_share"] > 0.8 and t["excluded"] and "没有工会业务" in t["excluded"]
    assert errand_topic not in [s["topic"] for s in report["suggestions"]]
    assert len(report["suggestions"]) == 4


def test_suggestions_carry_their_evidence(fitted):
    logs, _, report = fitted
    by_id = {log["id"]: log for log in logs}
    top = report["suggestions"][0]
    ev = top["evidence"]
    assert ev["logs"] == next(t["size"] for t in report["topics"] if t["id"] == top["topic"])
    assert len(ev["examples"]) == 3 and all(by_id[e["id"]]["text"].startswith(e["text"].rstrip("…")) for e in ev["examples"])
    assert ev["regions"] and ev["regions"][0]["count"] >= ev["regions"][-1]["count"]
    assert ev["risks"][0]["name"] == "欠薪欠保" and "上升" in ev["trend"]
    scores = [s["score"] for s in report["suggestions"]]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0


def test_region_chart_takes_the_largest_regions_not_the_first_in_order():
    from nlp.topics.charts import largest_regions

    topics = [{"regions": [{"region": "安徽省/合肥市", "count": 1}, {"region": "浙江省/温州市", "count": 9}]},
              {"regions": [{"region": "浙江省/温州市", "count": 3}, {"region": "江西省/九江市", "count": 5}]}]
    assert largest_regions(topics, 2) == ["浙江省/温州市", "江西省/九江市"]


def test_trend_chart_has_few_lines_and_spaced_labels(fitted):
    from nlp.topics.charts import trend_figure

    logs, _, report = fitted
    many = dict(report, periods=[f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)])
    for rep in (report, many):
        fig = trend_figure(rep, top=5)
        ax = fig.axes[0]
        assert 1 <= len(ax.get_lines()) <= 5
        assert len([t for t in ax.get_xticklabels() if t.get_text()]) <= 13


def test_cli_fit_without_model_dir_writes_to_the_data_folder(tmp_path, monkeypatch):
    from api.cli import app
    from api.settings import Settings

    shipped = Settings().models_dir / "topics" / "topics.json"
    before = shipped.stat().st_mtime if shipped.exists() else None
    path = tmp_path / "logs.jsonl"
    path.write_text("\n".join(json.dumps(log, ensure_ascii=False) for log in make_logs(80, seed=2)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["topics", "fit", str(path), "--k", "4", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "models" / "topics" / "topics.json").exists()
    assert (shipped.stat().st_mtime if shipped.exists() else None) == before


def test_words_are_jiebas_cut_without_hmm():
    """Topics cut logs with the search analyzer's automaton: the words jieba gives."""
    from pathlib import Path

    import jieba

    from nlp.language import load_user_dict
    from nlp.topics.model import _log_text, _segment

    load_user_dict()
    logs = Path(__file__).resolve().parents[1] / "corpora" / "logs" / "train.jsonl"
    texts = [_log_text(json.loads(line)) for line in logs.read_text(encoding="utf-8").splitlines()[:1500] if line.strip()]
    texts += [log["text"] for log in make_logs(60)]
    texts += ["二〇二四年三月走访", "第一行\r\n第二行 ABC123 x-ray 50% ＡＢＣ", "", "  ", "C919大飞机、5G基站"]
    for t in texts:
        assert _segment(t) == jieba.lcut(t, HMM=False), t


def _old_candidates(tokens: list[str], stop: frozenset[str]) -> set[tuple[str, ...]]:
    """The phrase candidates as nlp.topics.phrases found them before it counted them with
    numpy: every 2–3 word n-gram of a run of Chinese words whose end words are content
    words, no stopwords, not of a time/adverb/… tag."""
    import re

    from nlp.topics.phrases import _BAD_ENDS, _tags, runs

    content, tags, found = re.compile(r"^[\u4e00-\u9fff]{2,}$"), _tags(), set()
    for run in runs(tokens):
        for n in (2, 3):
            for i in range(len(run) - n + 1):
                gram = tuple(run[i:i + n])
                if all(content.match(w) and w not in stop and tags.get(w) not in _BAD_ENDS for w in (gram[0], gram[-1])):
                    found.add(gram)
    return found


def _sample_logs(n: int) -> list[dict]:
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "corpora" / "logs" / "train.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:n] if line.strip()]


def test_phrase_table_counts_each_texts_candidates_once():
    """The phrase table (numpy over the whole corpus) holds what the per-text candidates
    of the sample logs add up to, phrase by phrase."""
    from collections import Counter

    from nlp.topics.model import log_segments, stopwords
    from nlp.topics.phrases import PhraseTable, candidates

    segs = log_segments(_sample_logs(1500)) + [[], ["。"], ["工资"], ["拖欠", "工资"]]
    stop = stopwords()
    expected = Counter(g for t in segs for g in _old_candidates(t, stop))
    assert len(expected) > 1000
    assert PhraseTable(segs, stop).document_frequencies() == expected
    assert all(candidates(t, stop) == _old_candidates(t, stop) for t in segs)


def test_topics_from_stored_words_are_the_topics_from_cutting_the_texts():
    """Words stored with a log (cut once when stored) give the same report as cutting
    every log at fit time; words cut with other dictionaries are not used."""
    from nlp.analysis import dictionary_version, log_words

    logs = _sample_logs(1200)
    assert sum(1 for log in logs if log.get("unit") and log["unit"] in log["text"]) > 10  # units blanked out
    model, cut_here = discover(logs, n_topics=6)
    with_words = [dict(log, words=log_words(log), words_version=dictionary_version()) for log in logs]
    assert discover(with_words, n_topics=6)[1] == cut_here
    stale = [dict(log, words=["旧词"] * 3, words_version="another") for log in logs]
    assert discover(stale, n_topics=6)[1] == cut_here
    from nlp.topics import report

    assert report(model, with_words) == report(model, logs)


def _sklearn_vectorizer(model, table):
    """The straightforward path: sklearn's TfidfVectorizer over each text's content words."""
    from nlp.topics.model import content_words

    texts = [[table.words[i] for i in table.token_ids[table.token_docs == d]] for d in range(table.n_docs)]
    vec = model._vectorizer(table.n_docs)
    return vec, vec.fit_transform([content_words(t) for t in texts])


@pytest.mark.parametrize("n, max_features", [(1500, 20000), (1500, 300), (30, 20000)])
def test_term_counts_from_the_phrase_table_are_sklearns_to_the_last_bit(n, max_features):
    """The TF-IDF matrix counted with numpy is sklearn's: same vocabulary, idf, and the
    same values stored in the same order (NMF starts from it), also when max_features
    cuts ties and when few logs keep every word."""
    import numpy as np

    from nlp.topics.model import log_segments, stopwords
    from nlp.topics.phrases import PhraseTable

    model = TopicModel(n_topics=4, max_features=max_features)
    table = PhraseTable(log_segments(_sample_logs(n)), stopwords())
    ours, X = model._fit_vectorizer(table)
    theirs, Y = _sklearn_vectorizer(model, table)
    assert ours.vocabulary_ == theirs.vocabulary_ and len(ours.vocabulary_) <= max_features
    assert np.array_equal(ours.idf_, theirs.idf_)
    assert type(X) is type(Y) and X.shape == Y.shape
    for a in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(X, a), getattr(Y, a)), a
    texts = [log["text"] for log in _sample_logs(20)]
    assert (ours.transform(texts) != theirs.transform(texts)).nnz == 0


def test_topics_are_those_of_sklearns_vectorizer(monkeypatch):
    """The whole report (topics, ids, labels, member logs, trends, suggestions) is the one
    the straightforward sklearn vectorizer gives, first fit and refit alike."""
    logs = _sample_logs(1500)
    model, fast = discover(logs, n_topics=6)
    refit = discover(logs[:1400], previous=model)[1]
    monkeypatch.setattr(TopicModel, "_fit_vectorizer", _sklearn_vectorizer)
    plain_model, plain = discover(logs, n_topics=6)
    assert fast == plain
    assert discover(logs[:1400], previous=plain_model)[1] == refit


def test_cli_charts_on_a_store_without_logs_or_to_a_file_say_so(tmp_path, monkeypatch):
    """`gongwen topics --charts DIR` on a store with no logs writes no empty chart and says
    why, without matplotlib's English warning of a legend with nothing in it; `--charts`
    naming a file is one Chinese line. Before: a chart with no lines and a UserWarning with
    a source line on stderr; for a file, 内部错误（FileExistsError：[Errno 17] …）."""
    from api.cli import app

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))
    (tmp_path / "data").mkdir()  # a store without logs (a data folder that does not exist is refused)
    runner = CliRunner()
    charts = tmp_path / "charts"
    r = runner.invoke(app, ["topics", "--charts", str(charts)])
    assert r.exit_code == 0 and "未生成图表" in r.stderr and "Warning" not in r.stderr, r.stderr
    assert not charts.exists()
    from api.service import Gongwen
    from api.settings import Settings

    with Gongwen(Settings()) as svc:  # logs to draw
        svc.add_logs([{**log, "tasks": [], "risks": []} for log in make_logs(20, seed=3)])
    a_file = tmp_path / "a.png"
    a_file.write_bytes(b"x")
    r = runner.invoke(app, ["topics", "--charts", str(a_file)])
    said = [line for line in r.stderr.splitlines() if line.startswith("错误")]
    assert r.exit_code == 1 and len(said) == 1 and "应为一个文件夹" in said[0] and "Errno" not in said[0], r.stderr
    assert a_file.read_bytes() == b"x"


def test_region_chart_keeps_every_label_inside_the_picture_when_a_region_is_long():
    """A region is typed freely (a street written out ten times over, a village with its committee and
    no "/"): its label is shortened, so matplotlib can lay the chart out (before: a "Tight layout not
    applied" warning on the user's terminal and the topic names cut off at the picture's left edge)."""
    from nlp.topics.charts import regions_figure

    regions = ["某某街道" * 10, "江西省/九江市/修水县"]
    topics = [{"id": i, "label": f"职工反映工资拖欠情况{i}", "size": 5, "excluded": None, "trend": [],
               "regions": [{"region": g, "count": i + j + 1} for j, g in enumerate(regions)]} for i in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = regions_figure({"topics": topics, "suggestions": []})
        fig.canvas.draw()
    renderer, frame = fig.canvas.get_renderer(), fig.bbox
    labels = [t for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert {t.get_text() for t in labels} >= {"修水县", "职工反映工资拖欠情况0"}
    for t in labels:
        box = t.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0, t.get_text()


def test_a_topic_whose_logs_have_no_date_says_its_trend_cannot_be_told(fitted):
    """Logs saved without a date (`gongwen log add --text …` with no --date) have no month: the
    suggestion says the trend cannot be told instead of "平稳（近3个月占 0.0%，此前占 0.0%）"."""
    from nlp.topics import report

    logs, model, dated = fitted
    assert all("无法判断" not in s["reason"] for s in dated["suggestions"])
    undated = report(model, [{k: v for k, v in log.items() if k != "date"} for log in logs])
    assert undated["suggestions"]
    for s in undated["suggestions"]:
        assert "趋势无法判断（这些日志都没有日期）" in s["reason"] and "0.0%" not in s["reason"], s["reason"]
        assert s["evidence"]["trend"] == "无法判断（这些日志都没有日期）"


def test_cli_fit_on_a_small_file_fits_or_says_why_in_chinese(tmp_path, monkeypatch):
    """Before, `gongwen topics fit` on 8 logs took the shipped model's 12 topics as its count
    and stopped with sklearn's English (init = 'nndsvd' can only be used when n_components <=
    …); so did --k 20 on 10 logs, 4 logs saying one thing, and logs of stop words only
    (empty vocabulary …). Now a count carried over from the saved model that the logs cannot
    hold is chosen anew (the ids still matched to the saved model's); a --k too large, or logs
    without two words to tell topics by, are one Chinese line and exit 1, nothing saved."""
    from api.cli import app

    monkeypatch.setenv("GONGWEN_DATA", str(tmp_path / "data"))

    def fit(name, logs, *extra):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(log, ensure_ascii=False) + "\n" for log in logs), encoding="utf-8")
        return CliRunner().invoke(app, ["topics", "fit", str(path), "--format", "json", *extra])

    eight = fit("eight", make_logs(8, seed=3))
    assert eight.exit_code == 0, eight.output
    data = json.loads(eight.stdout.strip().splitlines()[-1])
    assert len(data["assignments"]) == 8 and 2 <= len(data["topics"]) < 8
    for name, logs, extra, words in [
            ("many", make_logs(10, seed=4), ["--k", "20"], "话题数 20"),
            ("same", [{"id": str(i), "text": "骑手"} for i in range(4)], [], "词"),
            ("stop", [{"id": str(i), "text": "。"} for i in range(5)], [], "词")]:
        result = fit(name, logs, *extra, "--model-dir", str(tmp_path / name))
        assert result.exit_code == 1, (name, result.output)
        line = result.output.strip()
        assert line.startswith("错误：") and words in line and "\n" not in line, (name, line)
        assert not any("a" <= ch <= "z" for ch in line), (name, line)
        assert not (tmp_path / name).exists()
