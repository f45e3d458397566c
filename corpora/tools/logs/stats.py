"""Print the label counts of corpora/logs/{train,test}.jsonl as a Markdown table.

usage: python corpora/tools/logs/stats.py [LOGS_DIR]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engine import RISK_ORDER, TASK_ORDER  # noqa: E402


def counts(path):
    rows = [json.loads(x) for x in path.open(encoding="utf-8") if x.strip()]
    c = Counter()
    for r in rows:
        c.update(r["tasks"])
        c.update(r["risks"])
        c["negated"] += r["negated"]
        c["negated, no risk"] += r["negated"] and not r["risks"]
        c["implied"] += r.get("implied", False)
        c["no risk"] += not r["risks"]
        c["hand-written"] += r.get("source") == "handwritten"
        c["traditional chars"] += any(ch in r["text"] for ch in "職會資們個這廠發")
        c[r["kind"]] += 1
    c["logs"] = len(rows)
    return c


def main(argv):
    d = Path(argv[1]) if len(argv) > 1 else HERE.parents[1] / "logs"
    tr, te = counts(d / "train.jsonl"), counts(d / "test.jsonl")
    keys = (["logs"] + TASK_ORDER + RISK_ORDER + ["negated", "negated, no risk", "implied", "no risk",
            "蹲点日志", "走访记录", "工作简报", "traditional chars", "hand-written"])
    print("| label / count | train | test |\n|---|---:|---:|")
    for k in keys:
        print(f"| {k} | {tr[k]} | {te[k]} |")


if __name__ == "__main__":
    main(sys.argv)
