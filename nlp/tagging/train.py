"""Train the field-log tagger from `corpora/logs/train.jsonl` (plus the hand-written
`train_supplement.jsonl` when present), evaluate it on `test.jsonl` (and on the
hand-written `heldout_unseen.jsonl` when present, for the card only: never trained or
tuned on) and write `models/tagger/` (artifact, metrics.json, MODEL_CARD.md)."""
from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ingest.errors import GongwenError
from nlp.tagging.card import model_card
from nlp.tagging.metrics import score
from nlp.tagging.model import Tagger, TaggerConfig
from nlp.tagging.taxonomy import load_taxonomy


SUPPLEMENT = "train_supplement.jsonl"
HELDOUT = "heldout_unseen.jsonl"  # scored for the card; never trained or tuned on


class CorpusError(GongwenError):
    code = "bad_corpus"


def read_logs(path: Path) -> list[dict]:
    """Labelled logs of a JSONL file; a broken line is an error naming the line."""
    rows = []
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise CorpusError("找不到日志语料文件", path=str(path)) from None
    with fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                raise CorpusError(f"第 {n} 行不是合法的 JSON", path=str(path)) from None
            if not isinstance(r, dict) or not isinstance(r.get("text"), str) or not r["text"].strip():
                raise CorpusError(f"第 {n} 行缺少 text", path=str(path))
            r.setdefault("id", f"{path.stem}-{n}")
            rows.append(r)
    if not rows:
        raise CorpusError("日志语料为空", path=str(path))
    return rows


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def evaluate(tagger: Tagger, rows: list[dict]) -> dict:
    preds = tagger.predict([r["text"] for r in rows])
    return score(rows, [p.to_dict(r["id"]) for r, p in zip(rows, preds)])


def train(corpora_dir: str | Path, models_dir: str | Path, config: TaggerConfig | None = None,
          progress: Callable[[str], None] | None = None, limit: int | None = None) -> dict:
    """Fit on train.jsonl, score on test.jsonl, write `<models_dir>/tagger/`. Returns the metrics."""
    say = progress or (lambda s: None)
    corpora_dir, models_dir = Path(corpora_dir), Path(models_dir)
    say("读取语料")
    taxonomy = load_taxonomy(corpora_dir / "taxonomy.toml")
    train_path, test_path = corpora_dir / "logs" / "train.jsonl", corpora_dir / "logs" / "test.jsonl"
    tr = read_logs(train_path)
    te = read_logs(test_path)
    if limit:
        tr = tr[:limit]
    # Hand-written logs in another hand than the generated corpus: phrasings the
    # templates lack (women-related activities that are no risk, workers' own words).
    supp_path = corpora_dir / "logs" / SUPPLEMENT
    if supp_path.exists() and not limit:
        tr = tr + read_logs(supp_path)
    held_path = corpora_dir / "logs" / HELDOUT
    held = read_logs(held_path) if held_path.exists() else None
    t0 = time.perf_counter()
    tagger = Tagger(taxonomy, config).fit([r["text"] for r in tr], [r.get("tasks") or [] for r in tr],
                                          [r.get("risks") or [] for r in tr], progress=say)
    seconds = time.perf_counter() - t0
    say("测试集评估")
    t1 = time.perf_counter()
    test_scores = evaluate(tagger, te)
    pred_seconds = time.perf_counter() - t1
    held_scores = evaluate(tagger, held) if held else None
    out = models_dir / "tagger"
    say("保存模型")
    tagger.save(out)
    metrics = {
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "training_seconds": round(seconds, 2),
        "test_predict_seconds": round(pred_seconds, 3),
        "data": {"train": "corpora/logs/train.jsonl", "test": "corpora/logs/test.jsonl",
                 "train_sha256": sha256(train_path), "test_sha256": sha256(test_path),
                 "n_train": len(tr), "n_test": len(te), "taxonomy_sha256": taxonomy.sha256,
                 **({"supplement": f"corpora/logs/{SUPPLEMENT}", "supplement_sha256": sha256(supp_path)}
                    if supp_path.exists() and not limit else {}),
                 **({"heldout": f"corpora/logs/{HELDOUT}", "heldout_sha256": sha256(held_path),
                     "n_heldout": len(held)} if held else {})},
        "tagger": {**tagger.info, "task_thresholds": tagger.task_thresholds,
                   "risk_thresholds": tagger.risk_thresholds, "weak_keywords": tagger.weak_keywords},
        "test": test_scores,
    }
    if held_scores:
        metrics["heldout"] = held_scores
    (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(model_card(metrics, tagger), encoding="utf-8")
    return metrics
