"""Where the checklist's doers go wrong, in counts: the pooled CV's fold loop (arm bPC of
bench/checklist_pool_cv.py, one seed) and, for every gold doer of a matched hard duty, (a) the provenance
(`actor_source`) of the doers given, (b) where the gold doer is printed (the item before / after its first
task verb, the sentence before, the heading chain, the 主送, the issuer, the opening, an organiser line, the
落款, elsewhere, nowhere), (c) which reader's proposal holds it (an oracle chooser over the proposals
`actor_chooser` and the readers make) and whether it is in the text at all (an oracle span finder).
Prints counts only; OUT.json holds per gold doer its flags and site, no text (keep it in /tmp anyway).

usage: python bench/checklist_actor_audit.py OUT.json [--page-set FOLDER=CACHE ...] [--seed 1] [--new-sets ...]"""
from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.checklist_pool_cv import _actor_stage, _fit_duty, partition  # noqa: E402


def norm(s):
    return re.sub(r"\s+", "", s or "")


def hit(a, xs):
    a = norm(a)
    return any(a in norm(x) or norm(x) in a for x in xs if norm(x))


def candidates(o, i, obs, rule_o, stage, meta, doctext):
    from nlp.checklist import actor_model as am
    from nlp.checklist import subject_model as sm
    from nlp.checklist.actors import addressees, clause_actors
    from nlp.checklist.extract import organiser

    c = {}
    c["final"] = list(o.actors)
    c["rules"] = list(rule_o.actors)
    try:
        c["crf"] = am.doers(stage.crf, o.text)
    except Exception:
        c["crf"] = []
    rec = meta.get("recipients") or []
    c["subject"] = sm.subject(stage.subject, o.text, rec) if stage.subject is not None else []
    c["subject_low"] = sm.subject(stage.subject, o.text, rec, accept=0.0) if stage.subject is not None else []
    ca = []
    for piece in re.split(r"[，,；;。]", norm(o.text)):
        m = clause_actors(piece)
        if m:
            ca += list(m.names)
    c["comma_clauses"] = ca
    hd = []
    for h in reversed(o.section or []):
        for piece in re.split(r"[，,；;。]", norm(h)):
            m = clause_actors(piece)
            if m:
                hd += list(m.names)
        try:
            hd += am.doers(stage.crf, h)
        except Exception:
            pass
    c["heading"] = hd
    prev = [p for p in obs[:i] if p.actors]
    c["prev_item"] = list(prev[-1].actors) if prev else []
    same = [p for p in obs[:i] if p.actors and list(p.section[:1]) == list(o.section[:1])
            and p.actor_source not in ("document",)]
    c["prev_named_in_section"] = list(same[-1].actors) if same else []
    c["recipients"] = addressees(rec)
    c["issuer"] = [meta["issuer"]] if meta.get("issuer") else []
    try:
        org = organiser(doctext)
    except Exception:
        org = None
    c["organiser"] = [org] if org else []
    # all subject spans of the text (a span proposer's pool)
    t = norm(o.text)
    c["_spans"] = [t[s:e] for s, e, _ in sm.candidates(t)][:60]
    return c


MODAL = re.compile(r"请|须|要|应|需|务必|可|负责|报送|参加|组织|提交|上报|做好|开展|推荐|落实|报名")


def where(a, gtext, o, meta, doctext, start):
    a = norm(a)
    t = norm(gtext)
    if a in t:
        k = t.find(a)
        m = MODAL.search(t)
        return "clause_before_verb" if (m is None or k <= m.start()) else "clause_after_verb"
    if start is not None:
        before = norm(doctext[max(0, start - 200):start])
        cut = max(before.rfind("。", 0, len(before) - 1), 0)
        if a in before[cut:]:
            return "sentence_before"
    if any(a in norm(h) for h in (o.section or [])):
        return "heading_chain"
    rec = norm("".join(meta.get("recipients") or []))
    if a and a in rec:
        return "recipients"
    if a and a in norm(meta.get("issuer") or ""):
        return "issuer"
    d = norm(doctext)
    if a in d[:400]:
        return "lead_in"
    if re.search(r"(主办|承办|协办|组织单位)[^。\n]{0,30}" + re.escape(a), d):
        return "organiser_line"
    if a in d[-300:]:
        return "signature"
    if a in d:
        return "elsewhere_in_text"
    return "nowhere"


def summary(rows: list[dict]) -> list[str]:
    """The counts of the audit, as lines."""
    bad = [r for r in rows if not r["ok"]]
    out = [f"gold doers of matched hard duties: {len(rows)}; right {len(rows) - len(bad)}; wrong or none "
           f"{len(bad)} (none given {sum(r['missing'] for r in bad)}); sites with a wrong one {len({r['site'] for r in bad})}"]

    def tally(title: str, key) -> None:
        out.append(title)
        for k, v in Counter(key(r) for r in bad).most_common():
            out.append(f"   {k:30s} {v:4d}  sites {len({r['site'] for r in bad if key(r) == k})}")

    tally("(a) provenance of the doers given (actor_source of the matched items), wrong ones:", lambda r: "+".join(r["source"]))
    tally("(b) where the gold doer is printed, wrong ones:", lambda r: r["where"])
    out.append("(c) the proposals that hold the gold doer:")
    keys = sorted({k for r in rows for k in r["cand_ok"]})
    for k in keys:
        out.append(f"   {k:24s} holds {sum(r['cand_ok'].get(k, False) for r in bad):4d} of the wrong ones, "
                   f"{sum(r['cand_ok'].get(k, False) for r in rows):5d}/{len(rows)} of all")
    core = [k for k in keys if k != "subject_low"]
    saved = [r for r in bad if any(r["cand_ok"].get(k) for k in core)]
    out.append(f"   perfect chooser over the proposals ({', '.join(core)}): +{len(saved)} of {len(bad)}, "
               f"sites {len({r['site'] for r in saved})}")
    out.append(f"   + the subject reader at any score and every subject span: "
               f"+{sum(any(r['cand_ok'].get(k) for k in keys) or r['span_ok'] for r in bad)}")
    near = ("clause_before_verb", "clause_after_verb", "sentence_before", "heading_chain")
    out.append(f"   perfect span finder (the gold doer anywhere in the notice): +{sum(r['in_text'] for r in bad)}; "
               f"in the item, the sentence before or a heading: +{sum(r['where'] in near for r in bad)}")
    for part in sorted({r["part"] for r in rows}):
        rs = [r for r in rows if r["part"] == part]
        b = [r for r in rs if not r["ok"]]
        out.append(f"   {part:8s} matched {len(rs):4d} wrong {len(b):4d} "
                   f"chooser +{sum(any(r['cand_ok'].get(k) for k in core) for r in b)} span +{sum(r['in_text'] for r in b)}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--page-set", action="append", default=[])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--new-sets", nargs="*", default=["pages6", "pages7", "pages10", "pages11", "pages12", "pages13",
                                                      "pages14"])
    a = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    from nlp.checklist import actor_model, split_model
    from nlp.checklist import duty_model as dm
    from nlp.checklist.evaluate import covers
    from nlp.resources import shared_root

    shared = shared_root(ROOT)
    weights = json.loads(dm.WEIGHTS_PATH.read_text(encoding="utf-8"))
    kb, aa = weights["keep_below"], weights["add_above"]
    real = dm.real_examples(ROOT / "corpora/annotations/checklist", shared)
    if a.page_set:
        real += dm.page_set_examples(a.page_set, shared, missing="skip")
    project = dm.project_examples()
    project_golds = [e.gold for e in project]
    groups = [e.group for e in real]
    is_page = [partition(e.name) != "real" for e in real]
    is_new = [partition(e.name) in a.new_sets for e in real]
    rows = []
    kfold = GroupKFold(n_splits=5, shuffle=True, random_state=a.seed)
    for train_idx, test_idx in kfold.split(real, groups=groups):
        material = {"b": [i for i in train_idx if not is_page[i]], "p": list(train_idx),
                    "P": [i for i in train_idx if not is_new[i]]}
        real_golds = [real[i].gold for i in material["b"]] + project_golds
        page_golds = {m: [real[i].gold for i in material[m] if is_page[i]] for m in "pP"}
        fitted = {}
        splitter = dm.fit_split([real[i] for i in material["b"]] + project)
        with split_model.using(splitter):
            read = {i: dm.reread(real[i]) for i in list(train_idx) + list(test_idx)}
            proj = [dm.reread(e) for e in project]
        model = _fit_duty([read[i] for i in material["P"]] + proj, 1.0)
        stage = _actor_stage("C", fitted, real_golds, page_golds)
        for i in test_idx:
            e = read[i]
            p = model.predict_proba(e.rows)[:, 1] if e.rows else []
            cl = dm._rebuild(e, p, kb, aa) if len(p) else e.checklist
            rule = copy.deepcopy(cl)
            done = actor_model.resolve(stage, copy.deepcopy(cl))
            meta = done.document or {}
            obs = done.obligations
            doctext = e.doc.text
            for g in e.gold.get("obligations", []):
                if g.get("tier") != "hard" or not g.get("actors"):
                    continue
                js = [j for j, o in enumerate(obs) if covers(o.text, g["text"]) >= 0.6]
                if not js:
                    continue
                gstart = doctext.find(g["text"][:12]) if g.get("text") else -1
                cands = {}
                for j in js:
                    for k, v in candidates(obs[j], j, obs, rule.obligations[j], stage, meta, doctext).items():
                        cands.setdefault(k, []).extend(v)
                pa = [x for j in js for x in obs[j].actors]
                for ga in g["actors"]:
                    rows.append({"name": e.name, "part": partition(e.name), "site": e.group,
                                 "ok": hit(ga, pa), "source": sorted({obs[j].actor_source for j in js}),
                                 "missing": not pa,
                                 "where": where(ga, g["text"], obs[js[0]], meta, doctext, gstart if gstart >= 0 else None),
                                 "cand_ok": {k: hit(ga, v) for k, v in cands.items() if not k.startswith("_")},
                                 "span_ok": hit(ga, cands["_spans"]) if any(norm(ga) == norm(s) or norm(s) in norm(ga) for s in cands["_spans"]) else False,
                                 "in_text": norm(ga) in norm(doctext),
                                 "ncand": {k: len(v) for k, v in cands.items()}})
        print("fold done", flush=True)
    Path(a.out).write_text(json.dumps(rows), encoding="utf-8")
    print("\n".join(summary(rows)))


if __name__ == "__main__":
    main()
