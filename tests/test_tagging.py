"""Field-log tagger: keyword negation scope, training determinism, save/load,
evidence offsets, severities, and the `gongwen tag` / `gongwen log add` /
`gongwen logs` / `gongwen alerts` commands.

A small model is trained once per session on a subset of the project's own log
corpus into a temporary folder (the determinism check fits two tiny models of
its own); one test checks the shipped model in models/tagger."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from nlp.tagging import Tagger, TaggerConfig, load_taxonomy
from nlp.tagging.keywords import KeywordMatcher
from nlp.tagging.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"
SHIPPED = ROOT / "models" / "tagger"
SUBSET = 400
CONFIG = TaggerConfig(folds=2, max_word=8000, max_char=30000)


def read(path: Path, n: int | None = None) -> list[dict]:
    rows = [json.loads(l) for l in path.open(encoding="utf-8") if l.strip()]
    return rows[:n] if n else rows


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(CORPORA / "taxonomy.toml")


@pytest.fixture(scope="session")
def train_rows():
    return read(CORPORA / "logs" / "train.jsonl", SUBSET)


@pytest.fixture(scope="session")
def test_rows():
    return read(CORPORA / "logs" / "test.jsonl", 150)


def fit(taxonomy, rows) -> Tagger:
    return Tagger(taxonomy, CONFIG).fit([r["text"] for r in rows], [r["tasks"] for r in rows],
                                        [r["risks"] for r in rows], negated=[r.get("negated") for r in rows])


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, taxonomy, train_rows):
    d = tmp_path_factory.mktemp("tagger")
    fit(taxonomy, train_rows).save(d)
    return d


@pytest.fixture(scope="session")
def tagger(model_dir):
    return Tagger.load(model_dir)


@pytest.fixture(scope="module")
def small_model(taxonomy, train_rows) -> Tagger:
    """A model of the first 150 rows, fitted once for the tests that compare one with its
    reversed-order twin and with its saved-and-loaded copy (they only read it)."""
    return fit(taxonomy, train_rows[:150])


# ------------------------------------------------------------------ keyword scope

@pytest.mark.parametrize("text,keyword,negated", [
    ("经核查未发现拖欠工资", "拖欠工资", True),          # cue before, same clause
    ("欠薪问题已全部结清", "欠薪", True),                # resolution after
    ("欠薪问题尚未解决", "欠薪", False),                 # the resolution word is itself negated
    ("企业拖欠工资，职工意见很大", "拖欠工资", False),
    ("上月未发现欠薪，但本月有工人讨薪", "讨薪", False),  # 但 ends the negation's reach
    ("上月未发现欠薪，但本月有工人讨薪", "欠薪", True),
    ("全年無工傷事故", "工伤", True),                   # traditional characters, one-char cue right before
])
def test_keyword_negation_scope(taxonomy, text, keyword, negated):
    hits = [h for h in KeywordMatcher(taxonomy).find(text) if h.kind == "risk" and h.keyword == keyword]
    assert hits, f"{keyword} not found in {text}"
    assert all(h.negated == negated for h in hits)
    for h in hits:  # offsets point into the original text
        assert normalize(text[h.start:h.end]) == keyword


def test_one_char_cue_only_reaches_the_next_word(taxonomy):
    hits = [h for h in KeywordMatcher(taxonomy).find("工地无人管理，脚手架存在安全隐患") if h.kind == "risk"]
    assert hits and not any(h.negated for h in hits)


# ------------------------------------------------------------------ model

def test_negation_suppresses_the_risk(tagger):
    for text in ("经核查未发现拖欠工资", "欠薪问题已全部结清", "經核查未發現拖欠工資。"):
        assert "wage_arrears" not in tagger.predict_one(text).risk_ids, text


def test_a_nul_in_a_log_tags_as_a_space(tagger):
    # NUL separates clauses inside the feature code; one pasted into a log must not break it
    text = "工厂拖欠{}工资三个月，职工准备集体上访"
    with_nul, with_space = tagger.predict([text.format("\x00"), text.format(" ")])
    assert with_nul == with_space


def test_present_risk_is_raised_with_keyword_evidence(tagger, taxonomy):
    text = "走访恒达机械制造有限公司，二十多名工人反映企业拖欠工资三个月，情绪激动。"
    res = tagger.predict_one(text)
    risk = next(r for r in res.risks if r["id"] == "wage_arrears")
    ev = risk["evidence"]
    assert text[ev["start"]:ev["end"]] == ev["text"] and "拖欠" in ev["text"]
    assert risk["severity"] == taxonomy.severity("wage_arrears") == "high"


def test_implied_wage_arrears_from_the_shipped_model():
    """No taxonomy keyword: the classifier must read the situation (shipped model)."""
    if not (SHIPPED / "tagger.json").exists():
        pytest.fail("models/tagger is missing: run `gongwen train`")
    res = Tagger.load(SHIPPED).predict([
        "老板说下个月再发工资，工人已经两个月没拿到钱",
        "经核查未发现拖欠工资",
        "欠薪问题已全部结清",
    ])
    assert "wage_arrears" in res[0].risk_ids
    ev = next(r for r in res[0].risks if r["id"] == "wage_arrears")["evidence"]
    assert "老板说下个月再发工资，工人已经两个月没拿到钱"[ev["start"]:ev["end"]] == ev["text"]
    assert res[1].risks == [] and res[2].risks == []


def test_every_log_gets_a_task_and_evidence_points_at_the_text(tagger, taxonomy, test_rows):
    texts = [r["text"] for r in test_rows] + ["車間發生工傷事故，３名工人受傷。", "请假一天。"]
    for text, res in zip(texts, tagger.predict(texts)):
        assert res.tasks and set(res.tasks) <= set(taxonomy.task_ids)
        if "other" in res.tasks:
            assert res.tasks == ["other"]
        for r in res.risks:
            ev = r["evidence"]
            assert 0 <= ev["start"] < ev["end"] <= len(text)
            assert text[ev["start"]:ev["end"]] == ev["text"]
            assert r["severity"] == taxonomy.severity(r["id"])


def test_traditional_and_full_width_text_keeps_original_offsets(tagger):
    text = "車間發生工傷事故，３名工人受傷。"
    risk = next(r for r in tagger.predict_one(text).risks if r["id"] == "safety_health")
    assert risk["evidence"]["text"] == text[risk["evidence"]["start"]:risk["evidence"]["end"]]
    assert any(ch in risk["evidence"]["text"] for ch in "傷故")


def test_training_is_deterministic_and_order_free(taxonomy, train_rows, test_rows, small_model):
    one, two = small_model, fit(taxonomy, list(reversed(train_rows[:150])))
    texts = [r["text"] for r in test_rows]
    a = [r.to_dict(scores=True) for r in one.predict(texts)]
    b = [r.to_dict(scores=True) for r in two.predict(texts)]
    assert a == b
    assert one.task_thresholds == two.task_thresholds and one.risk_thresholds == two.risk_thresholds


def test_fitted_and_loaded_models_agree(tmp_path, small_model, test_rows):
    """What `fit` returns is what `load` gives back (coefficients are rounded to
    their stored precision at fit time)."""
    m = small_model
    m.save(tmp_path)
    texts = [r["text"] for r in test_rows[:60]]
    assert [r.to_dict(scores=True) for r in Tagger.load(tmp_path).predict(texts)] == \
           [r.to_dict(scores=True) for r in m.predict(texts)]


def test_a_tasks_only_fit_tags_tasks_as_the_full_model(taxonomy, train_rows, test_rows, small_model):
    """bench/tag_cv.py --tasks-only judges task recipes with task heads alone: they must
    be the full model's task heads, thresholds and decisions."""
    rows = train_rows[:150]
    only = Tagger(taxonomy, CONFIG).fit([r["text"] for r in rows], [r["tasks"] for r in rows],
                                        [r["risks"] for r in rows], tasks_only=True)
    texts = [r["text"] for r in test_rows[:80]]
    assert only.task_thresholds == small_model.task_thresholds
    assert [t for t, _ in only.predict_tasks(texts)] == [r.tasks for r in small_model.predict(texts)]


def test_texts_with_tasks_only_train_the_task_heads_and_leave_risks_alone(taxonomy, train_rows, test_rows,
                                                                          small_model):
    """Passages a person gave task labels but no risk labels (risks None) must not teach
    the risk side that they hold no risk."""
    rows, extra = train_rows[:150], train_rows[150:230]
    m = Tagger(taxonomy, CONFIG).fit([r["text"] for r in rows + extra], [r["tasks"] for r in rows + extra],
                                     [r["risks"] for r in rows] + [None] * len(extra),
                                     negated=[r.get("negated") for r in rows + extra])
    texts = [r["text"] for r in test_rows[:80]]
    assert m.risk_thresholds == small_model.risk_thresholds
    assert [p.to_dict()["risks"] for p in m.predict(texts)] == [p.to_dict()["risks"] for p in small_model.predict(texts)]
    assert m.info["n_tasks_only"] == len(extra)
    assert (m.log_coef != small_model.log_coef).any()


def test_whole_text_task_head_alone_saves_and_tags_alike(tmp_path, taxonomy, train_rows, test_rows):
    """task_window=False (the whole-text task head alone) round-trips through save/load,
    and the risk side still has its windows."""
    from dataclasses import replace

    rows = train_rows[:150]
    m = Tagger(taxonomy, replace(CONFIG, task_window=False)).fit(
        [r["text"] for r in rows], [r["tasks"] for r in rows], [r["risks"] for r in rows])
    m.save(tmp_path)
    texts = [r["text"] for r in test_rows[:60]]
    back = Tagger.load(tmp_path)
    assert back.config.task_window is False
    assert [r.to_dict(scores=True) for r in back.predict(texts)] == [r.to_dict(scores=True) for r in m.predict(texts)]
    assert [t for t, _ in m.predict_tasks(texts)] == [r.tasks for r in m.predict(texts)]


def test_per_label_task_head_weights_save_and_tag_alike(tmp_path, taxonomy, train_rows, test_rows):
    """task_mix=True chooses a whole-text head weight per label from MIX_GRID; the weights
    round-trip through save/load and tag as the fitted model does."""
    from dataclasses import replace

    from nlp.tagging.model import MIX_GRID

    rows = train_rows[:150]
    m = Tagger(taxonomy, replace(CONFIG, task_mix=True)).fit(
        [r["text"] for r in rows], [r["tasks"] for r in rows], [r["risks"] for r in rows])
    assert set(m.task_mix) == set(m.task_labels) and set(m.task_mix.values()) <= set(MIX_GRID)
    m.save(tmp_path)
    texts = [r["text"] for r in test_rows[:60]]
    back = Tagger.load(tmp_path)
    assert back.task_mix == m.task_mix
    assert [r.to_dict(scores=True) for r in back.predict(texts)] == [r.to_dict(scores=True) for r in m.predict(texts)]
    assert [t for t, _ in m.predict_tasks(texts)] == [r.tasks for r in m.predict(texts)]


def test_load_refuses_a_missing_or_foreign_model(tmp_path):
    from nlp.tagging import ModelError

    with pytest.raises(ModelError, match="gongwen train"):
        Tagger.load(tmp_path)
    (tmp_path / "tagger.json").write_text(json.dumps({"format": 1}), encoding="utf-8")
    (tmp_path / "tagger.npz").write_bytes(b"")
    with pytest.raises(ModelError, match="格式版本"):
        Tagger.load(tmp_path)


def test_save_load_round_trip_and_severity_from_taxonomy(tmp_path, model_dir, tagger, test_rows):
    texts = [r["text"] for r in test_rows[:40]]
    loaded = Tagger.load(model_dir)
    assert [r.to_dict(scores=True) for r in loaded.predict(texts)] == \
           [r.to_dict(scores=True) for r in tagger.predict(texts)]
    # a federation that raises a severity in its taxonomy sees it in the tags
    raw = (CORPORA / "taxonomy.toml").read_text(encoding="utf-8")
    start = raw.index('id = "safety_health"')
    changed = raw[:start] + raw[start:].replace('severity = "high"', 'severity = "critical"', 1)
    (tmp_path / "taxonomy.toml").write_text(changed, encoding="utf-8")
    custom = Tagger.load(model_dir, taxonomy=load_taxonomy(tmp_path / "taxonomy.toml"))
    risks = custom.predict_one("车间发生一起工伤事故，两名工人受伤送医。").risks
    assert {"id": "safety_health", "severity": "critical"}.items() <= \
        next(r for r in risks if r["id"] == "safety_health").items()


def test_parallel_tagging_gives_the_same_tags(tagger, test_rows):
    texts = [r["text"] for r in test_rows] * 3
    tagger.config.batch_size = 100
    try:
        assert [r.to_dict() for r in tagger.predict(texts, n_jobs=2)] == [r.to_dict() for r in tagger.predict(texts)]
    finally:
        tagger.config.batch_size = 1000


# ------------------------------------------------------------------ CLI

BAD_AND_GOOD = [
    '{"id": "a", "text": "车间发生一起工伤事故，两名工人受伤。"}',
    "这不是 JSON",
    '{"id": "b", "region": "城关镇"}',
    '{"id": "c", "text": "   "}',
    "",
    '{"id": "d", "text": "组织职工开展技能比武，评出一等奖3名。"}',
    '{"id": "e", "text": "' + "很长的日志" * 40 + '"}',
    '{"text": "为困难职工送温暖，发放慰问金。"}',
]


def test_cli_tag_streams_good_and_error_lines(tmp_path, model_dir):
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(BAD_AND_GOOD) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(f), "--json", "--model", str(model_dir), "--jobs", "1", "--max-bytes", "300"])
    # every line is processed, but bad records make the exit code 1 (as `gongwen ingest` does for bad files)
    assert result.exit_code == 1, result.output
    assert "已标注 3 条，坏记录 4 条" in result.stderr
    rows = [json.loads(l) for l in result.stdout.splitlines() if l.strip()]
    assert [r.get("id") for r in rows] == ["a", None, "b", "c", "d", "e", 8]
    assert [r["error"]["code"] for r in rows if "error" in r] == ["invalid_json", "missing_text", "empty_text",
                                                                  "text_too_large"]
    assert [r["line"] for r in rows if "error" in r] == [2, 3, 4, 7]
    assert "safety_health" in [x["id"] for x in rows[0]["risks"]]
    assert all(r["tasks"] for r in rows if "error" not in r)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-16"])
def test_a_line_too_long_for_any_record_is_not_held_whole(tmp_path, encoding):
    """Before: a JSON Lines file with no line feed for tens of MB (a JSON array on one line, a disk
    image; /dev/zero) was read as one line, whole, before any limit was looked at: `gongwen log add
    /dev/zero` and `gongwen tag /dev/zero` ended in 内部错误（MemoryError） after taking the
    machine's memory. Now such a line is kept to its beginning (the rest read past in chunks),
    refused as too large, and the records after it are read."""
    import tracemalloc

    from nlp.tagging.stream import BadRecord, blank_line, check_record, decoded_lines

    good = ['{"id": "a", "text": "走访企业，了解工资发放情况。"}', '{"id": "b", "text": "工人反映两个月没发工资。"}']
    f = tmp_path / "long.jsonl"
    cap = 6 * 1024 * 1024 + 1024  # the longest line a record within tag's default --max-bytes (1 MB) can be
    long = "\x00" * (4 * cap) if encoding == "utf-8" else "长" * (cap + cap // 5)
    f.write_bytes(("\n".join([good[0], long, good[1]]) + "\n").encode(encoding))
    del long
    tracemalloc.start()
    try:
        with f.open("rb") as stream:
            lines, _ = decoded_lines(stream)
            got = []
            for n, raw in enumerate(lines, 1):
                if blank_line(raw):
                    continue
                assert len(raw) <= cap + 1, (n, len(raw))
                try:
                    got.append(check_record(raw, n)["id"])
                except BadRecord as e:
                    got.append(e.record_code)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got == ["a", "text_too_large", "b"]
    if encoding == "utf-8":
        assert peak < 3 * cap, peak  # the line alone is 4 × 6 MB


@pytest.mark.parametrize("line, reason", [
    ('{"id": "b", "text": "x",}', "多了一个逗号"),
    ('{"id": "b" "text": "x"}', "缺少逗号"),
    ('{"id": "b", "text": "x', "缺少结尾的引号"),
    ('{"id": "b"} {"id": "c"}', "多个 JSON 值"),
])
def test_a_broken_json_line_is_explained_in_chinese(line, reason):
    from nlp.tagging.stream import BadRecord, check_record

    with pytest.raises(BadRecord) as e:
        check_record(line, 5)
    assert e.value.record_code == "invalid_json"
    assert reason in e.value.message and "列" in e.value.message
    assert not any("a" <= ch.lower() <= "z" for ch in e.value.message.replace("JSON", ""))  # no English left


def test_cli_tag_exits_0_when_every_record_is_tagged(tmp_path, model_dir):
    f = tmp_path / "good.jsonl"
    f.write_text("\n".join(l for l in BAD_AND_GOOD if l.startswith("{") and '"text": "' in l
                           and "很长" not in l and '"   "' not in l) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["tag", str(f), "--model", str(model_dir), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "已标注 3 条，坏记录 0 条" in result.stderr


def test_cli_tag_for_people_prints_chinese_labels_and_severity(tmp_path, model_dir, taxonomy):
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps({"id": "x1", "text": "车间发生一起工伤事故，两名工人受伤送医。"}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    human = CliRunner().invoke(app, ["tag", str(f), "--text", "--model", str(model_dir), "--jobs", "1"])
    assert human.exit_code == 0, human.output
    line = human.stdout.strip()
    assert line.startswith("x1") and taxonomy.risk("safety_health").name in line and "（高" in line
    assert "safety_health" not in line  # ids are for --json
    js = CliRunner().invoke(app, ["tag", str(f), "--json", "--model", str(model_dir), "--jobs", "1"])
    row = json.loads(js.stdout)
    assert [r["id"] for r in row["risks"]] == ["safety_health"] and row["risks"][0]["severity"] == "high"
    # redirected without a flag (a program reads it): JSON Lines with the ids
    piped = CliRunner().invoke(app, ["tag", str(f), "--model", str(model_dir), "--jobs", "1"])
    assert json.loads(piped.stdout) == row


def test_cli_tag_strict_stops_at_the_first_bad_record(tmp_path, model_dir):
    exe = Path(sys.executable).with_name("gongwen")
    p = subprocess.run([str(exe), "tag", "-", "--json", "--model", str(model_dir), "--strict"],
                       input="\n".join(BAD_AND_GOOD) + "\n", capture_output=True, text=True, timeout=120,
                       env={**os.environ, "COLUMNS": "200"})
    assert p.returncode == 1
    assert [json.loads(l)["id"] for l in p.stdout.splitlines()] == ["a"]  # the records before it are tagged
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "第 2 行" in lines[0] and "Traceback" not in p.stderr


def test_cli_log_add_stores_logs_and_prints_alerts(settings, tmp_path, model_dir):
    from index.store import Store

    result = CliRunner().invoke(app, ["log", "add", "--text", "车间发生一起工伤事故，两名工人受伤送医。",
                                      "--region", "城关镇", "--date", "2025-06-01", "--id", "log-1",
                                      "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    # the log's own tags and its alert are both named
    assert "安全生产" in result.stdout and "log-1" in result.stdout and "预警" in result.stdout
    with Store(settings.database_url) as store:
        log = store.get_log("log-1")
    assert log["region"] == "城关镇" and log["tasks"]
    assert [a["risk"] for a in log["alerts"]] == ["safety_health"]
    assert log["alerts"][0]["severity"] == "high"


# ------------------------------------------------------------------ read commands

def _store_two_logs(model_dir) -> None:
    rows = [{"id": "L1", "text": "车间发生一起工伤事故，两名工人受伤送医。", "region": "城关镇", "date": "2025-06-01"},
            {"id": "L2", "text": "组织职工开展技能比武，评出一等奖3名。", "region": "开发区", "date": "2025-07-01"}]
    f = Path(os.environ["GONGWEN_DATA"]).parent / "two.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["log", "add", str(f), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output


def test_cli_logs_lists_stored_logs_with_filters(settings, model_dir):
    _store_two_logs(model_dir)
    runner = CliRunner()
    rows = [json.loads(l) for l in runner.invoke(app, ["logs", "--json"]).stdout.splitlines()]
    assert [r["id"] for r in rows] == ["L2", "L1"]  # newest first
    only = runner.invoke(app, ["logs", "--risk", "safety_health", "--json"]).stdout.splitlines()
    assert [json.loads(l)["id"] for l in only] == ["L1"]
    dated = runner.invoke(app, ["logs", "--from", "2025-06-15", "--region", "开发区", "--json"]).stdout.splitlines()
    assert [json.loads(l)["id"] for l in dated] == ["L2"]
    table = runner.invoke(app, ["logs", "--limit", "5"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "安全生产" in table.stdout and "城关镇" in table.stdout
    bad = runner.invoke(app, ["logs", "--from", "六月"])
    assert bad.exit_code == 1 and "Traceback" not in bad.output


def test_cli_alerts_list_and_acknowledge(settings, model_dir):
    _store_two_logs(model_dir)
    runner = CliRunner()
    open_ = [json.loads(l) for l in runner.invoke(app, ["alerts", "--status", "open", "--json"]).stdout.splitlines()]
    assert [(a["log_id"], a["risk"], a["severity"]) for a in open_] == [("L1", "safety_health", "high")]
    table = runner.invoke(app, ["alerts"], env={"COLUMNS": "200"})
    # the same word for an open alert as on the web page (api/labels.py)
    assert table.exit_code == 0 and "待处理" in table.stdout and "未确认" not in table.stdout and "高" in table.stdout
    ack = runner.invoke(app, ["alerts", "ack", str(open_[0]["id"]), "--by", "张三"])
    assert ack.exit_code == 0 and "已确认" in ack.stdout
    after = runner.invoke(app, ["alerts"], env={"COLUMNS": "200"})
    assert "已确认（张三）" in after.stdout and "待处理" not in after.stdout
    assert runner.invoke(app, ["alerts", "--status", "open", "--json"]).stdout.strip() == ""
    done = [json.loads(l) for l in runner.invoke(app, ["alerts", "--status", "acknowledged", "--json"]).stdout.splitlines()]
    assert done[0]["acknowledged_by"] == "张三" and done[0]["status"] == "acknowledged"
    missing = runner.invoke(app, ["alerts", "ack", "999"])
    assert missing.exit_code == 1 and "不存在" in missing.output
    bad = runner.invoke(app, ["alerts", "--status", "closed"])
    assert bad.exit_code == 1 and "open" in bad.output


def test_cli_logs_and_alerts_come_in_pages_like_the_api(settings):
    """gongwen logs and gongwen alerts take --offset beside --limit, as /api/logs and /api/alerts
    (and the /logs and /alerts pages) page them, and say on stderr how many there are when a
    page leaves some out; the pages join to the whole list. Before: no --offset (an unknown
    option), so past the 500 a --limit allows nothing could be listed, and no total."""
    from api.service import Gongwen

    with Gongwen(settings) as svc:  # labels given: no tagger needed; a high risk raises an alert
        svc.add_logs([{"id": f"P{i}", "text": f"第{i}次走访，车间发生工伤事故。", "date": f"2025-06-{i + 1:02d}",
                       "tasks": [], "risks": [{"id": "safety_health", "severity": "high"}]} for i in range(7)])
    runner = CliRunner()
    for command, key in (("logs", "id"), ("alerts", "id")):
        whole = [json.loads(x)[key] for x in runner.invoke(app, [command, "--limit", "500", "--json"]).stdout.splitlines()]
        assert len(whole) == 7, command
        got = []
        for offset in range(0, 7, 3):
            r = runner.invoke(app, [command, "--limit", "3", "--offset", str(offset), "--json"])
            assert r.exit_code == 0, r.output
            got += [json.loads(x)[key] for x in r.stdout.splitlines()]
            assert f"共 7 条，列出第 {offset + 1}–{min(offset + 3, 7)} 条" in r.stderr, (command, r.stderr)
        assert got == whole, command
        r = runner.invoke(app, [command, "--offset", "7"])
        assert r.exit_code == 0 and "共 7 条，--offset 7 之后没有了" in r.stderr, r.stderr
        assert runner.invoke(app, [command, "--offset", "-1"]).exit_code != 0


def test_vectorised_ngram_counts_match_a_plain_count():
    """The numpy n-gram counter gives the counts a plain Python loop gives, never
    joins two clauses, and counts dictionary words (overlaps included)."""
    from collections import Counter

    from nlp.tagging.features import ClauseFeatures

    train = ["企业拖欠工资三个月", "工人集体讨薪", "拖欠工资问题已解决", "车间发生工伤事故", "工伤事故", "讨薪"]
    f = ClauseFeatures(word=True, char_ngrams=(1, 3), min_df=1)
    f.fit_counts(train)
    assert "拖欠工资" in f.words or "拖欠" in f.words
    clauses = ["拖欠工资", "工伤事故已处理", "𠀀外来字拖欠"]  # a character outside the vocabulary
    C = f.clause_counts(clauses).toarray()
    vocab_keys = {}
    ids = {int(c): i + 2 for i, c in enumerate(f.chars)}
    for j, k in enumerate(f.keys.tolist()):
        vocab_keys[k] = j
    for row, text in enumerate(clauses):
        want = Counter()
        for n in (1, 2, 3):
            for i in range(len(text) - n + 1):
                key = 0
                for ch in text[i:i + n]:
                    key = (key << 16) | ids.get(ord(ch), 1)
                if key in vocab_keys:
                    want[vocab_keys[key]] += 1
        for j, w in enumerate(f.words):
            want[len(f.keys) + j] += sum(text.startswith(w, i) for i in range(len(text)))
        got = {j: int(v) for j, v in enumerate(C[row]) if v}
        assert got == {j: v for j, v in want.items() if v}, text
    # clauses are counted apart: "个月" and "三个月" across "…三个|月" are not counted
    both = f.clause_counts(["拖欠工资三个", "月"]).toarray()
    joined = f.clause_counts(["拖欠工资三个月"]).toarray()
    assert (both.sum(axis=0) <= joined[0]).all() and both.sum() < joined.sum()


def test_fixed_bars_hold_in_a_fit_of_the_risk_cv_bench(tmp_path, monkeypatch, taxonomy, train_rows):
    """bench/tag_risk_cv.py --fixed-bars: every fold's fit keeps the given risk bars (here the
    shipped model's) instead of those its own inner CV chooses, so two variants are compared on
    the same bars; a file that holds no bars is refused with one line."""
    from bench.tag_risk_cv import fix_bars, read_bars

    monkeypatch.setattr(Tagger, "_tune", Tagger._tune)  # fix_bars patches the class: undone after
    bars = read_bars(SHIPPED)
    fix_bars(bars)
    rows = train_rows[:150]
    m = Tagger(taxonomy, CONFIG).fit([r["text"] for r in rows], [r["tasks"] for r in rows],
                                     [r["risks"] for r in rows], risks_only=True)
    assert m.risk_thresholds == {lab: bars[lab] for lab in m.risk_labels}
    bad = tmp_path / "bars.json"
    bad.write_text('{"wage_arrears": 0.5}', encoding="utf-8")
    with pytest.raises(SystemExit, match="不是风险阈值"):
        read_bars(bad)
