"""Hand-labelling the status of risk mentions in the real passages, offsets only.

usage: python corpora/tools/tag_mentions.py list [--ids rr-0001,...] [--unlabelled | --notices | --pages SET=CACHE]  > /tmp/work.txt
       python corpora/tools/tag_mentions.py encode WORK.txt --out corpora/annotations/tagging/NAME.jsonl [--pages SET=CACHE]
       python corpora/tools/tag_mentions.py check corpora/annotations/tagging/page_mentions/NAME.jsonl --pages SET=CACHE

`list` prints each passage of `../shared/real-corpus/batch-*.jsonl` (or `passages.jsonl`, or
with --notices the shared notices: `nlp.tagging.real.notice_passages`, ids are their paths)
that has a risk keyword, followed by its numbered mentions in context, for a person to
read. Its output holds shared text: keep it outside the repository. With --pages (a tagging
page set and its cache, as `nlp.tagging.pages.page_sets` reads them) it lists that set's
passages instead; their labels go to `page_mentions/` (outside the folder the shared
passages' loader globs), one file per set.

`check` compares a page set's mention labels with its passage labels (`risks`, per-risk
`statuses`) and prints each (passage, risk) where they disagree.

The working file a person writes has one line per passage, `<id> <n>:<code> ...`, with
codes p present, t threatened, s settled, d denied/none found, r rumour dispelled,
h hypothetical/prevention, o historical (over), g generic (the word names a topic or a
campaign, or is no risk at all); `#` starts a comment. `encode` turns it into the
annotation (`id`, `start`, `end`, `risk`, `status`, `sha`: see the folder's README).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from nlp.tagging.annotations import CODES, passage_sha, risk_mentions  # noqa: E402
from nlp.tagging.real import labelled_passages, notice_passages, unlabelled_passages  # noqa: E402


def _rows(a) -> list[dict]:
    if a.pages:
        from nlp.tagging.pages import page_sets

        return page_sets(Path(__file__).resolve().parents[1], a.pages, missing=a.missing)[0]
    if a.notices:
        return notice_passages(set(a.ids.split(",")) if a.ids else None)
    return unlabelled_passages() if a.unlabelled else labelled_passages()


def cmd_list(a) -> int:
    want = set(a.ids.split(",")) if a.ids else None
    for r in _rows(a):
        if want and r["id"] not in want:
            continue
        ms = risk_mentions(r["text"])
        if not ms:
            continue
        t = r["text"]
        print(f"=== {r['id']} [{r['site']}]\n{t}\n---")
        for k, h in enumerate(ms, 1):
            left, right = t[max(0, h.start - a.context):h.start], t[h.end:h.end + a.context]
            print(f"{k:>2} {h.label:<20} {left}【{t[h.start:h.end]}】{right}".replace("\n", "⏎"))
    return 0


def cmd_encode(a) -> int:
    pids = {line.split("#", 1)[0].split()[0] for line in a.work.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip()}
    notices = {p for p in pids if "/" in p}  # notices are named by their path
    by_id = {r["id"]: r for r in (_rows(a) if a.pages else labelled_passages() + unlabelled_passages()
                                  + (notice_passages(notices) if notices else []))}
    out: dict = {}  # a later line for the same mention overrides an earlier one (a second pass)
    for n, line in enumerate(a.work.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        pid, *items = line.split()
        if pid not in by_id:
            sys.exit(f"第 {n} 行：未知段落 {pid}")
        text = by_id[pid]["text"]
        ms = risk_mentions(text)
        for it in items:
            k, code = it.split(":")
            k = int(k)
            if not 1 <= k <= len(ms) or code not in CODES:
                sys.exit(f"第 {n} 行：{it} 不对（{pid} 有 {len(ms)} 处提及）")
            h = ms[k - 1]
            out[(pid, h.start, h.end, h.label)] = {"id": pid, "start": h.start, "end": h.end, "risk": h.label,
                                                   "status": CODES[code], "sha": passage_sha(text)}
    out = [out[k] for k in sorted(out)]
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    tmp.replace(a.out)
    print(f"{len(out)} mentions, {len({o['id'] for o in out})} passages -> {a.out}", file=sys.stderr)
    return 0


RAISING = {"present", "threatened"}


def disagreements(rows: list[dict], st: dict) -> list[tuple[str, str, str, str]]:
    """(passage id, risk, passage reading, mention reading) where a page passage's labels and its
    mentions' labels disagree: a held risk none of whose mentions is present or threatened, a risk
    not held with such a mention, or a per-risk status none of its mentions carries."""
    by_pr: dict = {}
    for (pid, _s, _e, risk), status in st.items():
        by_pr.setdefault((pid, risk), []).append(status)
    out = []
    for r in rows:
        for risk in sorted({k[1] for k in by_pr if k[0] == r["id"]} | set(r["risks"]) | set(r["statuses"])):
            got = by_pr.get((r["id"], risk), [])
            want = r["statuses"].get(risk, "present" if risk in r["risks"] else "-")
            mine = ",".join(sorted(set(got))) or "(no hit)"
            held, raised = risk in r["risks"], bool(RAISING & set(got))
            if got and (held != raised or (want not in RAISING and want != "-" and want not in got)):
                out.append((r["id"], risk, want, mine))
    return out


def cmd_check(a) -> int:
    from nlp.tagging.annotations import statuses

    rows = _rows(a)
    ann = a.annotation
    with tempfile.TemporaryDirectory() as tmp:  # statuses() reads a folder of files
        (Path(tmp) / ann.name).write_text(ann.read_text(encoding="utf-8"), encoding="utf-8")
        st = statuses(Path(tmp), rows)
    stale = sum(1 for line in ann.read_text(encoding="utf-8").splitlines() if line.strip()) - len(st)
    bad = disagreements(rows, st)
    for pid, risk, want, mine in bad:
        print(f"{pid}\t{risk}\t{want}\t{mine}")
    by_status = Counter(st.values())
    held = {(r["id"], risk) for r in rows for risk in r["risks"]}
    hit = {(pid, risk) for pid, _s, _e, risk in st}
    mixed = {(pid, risk) for (pid, _s, _e, risk), v in st.items() if (pid, risk) in held and v not in RAISING}
    print(f"{len(st)} mentions ({stale} stale) in {len({k[0] for k in st})} passages of "
          f"{len({r['site'] for r in rows if r['id'] in {k[0] for k in st}})} sites: "
          + ", ".join(f"{k} {v}" for k, v in by_status.most_common())
          + f"; held risks {len(held)}, with a hit {len(held & hit)}, with a quiet mention {len(mixed)}; "
          f"{len(bad)} disagreements", file=sys.stderr)
    return 1 if bad or stale else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("list")
    p.add_argument("--ids")
    p.add_argument("--unlabelled", action="store_true")
    p.add_argument("--notices", action="store_true", help="the shared notices (real-corpus/notices*, real-notices)")
    p.add_argument("--context", type=int, default=22)
    p.set_defaults(fn=cmd_list)
    p = sub.add_parser("encode")
    p.add_argument("work", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(fn=cmd_encode)
    p = sub.add_parser("check")
    p.add_argument("annotation", type=Path)
    p.set_defaults(fn=cmd_check, notices=False, unlabelled=False)
    for p in sub.choices.values():
        p.add_argument("--pages", action="append", help="a tagging page set: FOLDER=CACHE (repeatable)")
        p.add_argument("--missing", choices=["refuse", "skip"], default="refuse",
                       help="skip: leave out the pages a cache known to be incomplete lacks (page sets 1 and 2)")
    a = ap.parse_args()
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
