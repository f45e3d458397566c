"""The learned actor stage: who is named as the doer inside a duty's own text.

The rules name a doer at the head of a clause (`actors.clause_actors`); when they find
none they fall back on a heading, the lead-in, the 主送 units or the issuer. Real
notices often name the doer where the rules do not look (所有参赛人员须…, 各支会的参赛
队员…, after a date or a condition). A linear-chain CRF (sklearn-crfsuite) labels the
characters of a duty text B/I/O for the doers the annotators wrote there; where the
rules fell back, a doer it finds near the start of the text replaces the fallback.

Training: the gold duties of the real annotations and of the project's gold (a doer
is labelled where its name occurs in the duty text). Judged by grouped CV by site on
the real notices (`cross_validate`): pooled actor accuracy of the rule checklists with
and without the stage. The model ships as models/checklist/actors.joblib
(`python -m nlp.checklist.actor_model train`) and as the CRFsuite model file inside it,
actors.crfsuite, which `refine` opens with python-crfsuite directly: the same tagger
without importing sklearn-crfsuite and scikit-learn (a CPU-second at start-up)."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODEL_PATH = ROOT / "models" / "checklist" / "actors.joblib"
TAGGER_PATH = MODEL_PATH.with_name("actors.crfsuite")
# a doer found further into the text than this is an object, not the subject
MAX_START = 16
_MODAL = "须需应要请将负责"


def _tokens(text: str) -> list[tuple[str, str]]:
    from nlp.analysis import pos

    return pos(text)


def char_features(text: str) -> list[dict[str, Any]]:
    """Per character: itself and its neighbours, its place in its jieba word and the
    word's part of speech, closeness to the start, modal characters."""
    pos_of: list[tuple[str, str]] = []
    for w, f in _tokens(text):
        for i, _ in enumerate(w):
            place = "S" if len(w) == 1 else "B" if i == 0 else "E" if i == len(w) - 1 else "M"
            pos_of.append((place, f))
    feats = []
    n = len(text)
    ends = _head_ends(text)
    for i, ch in enumerate(text):
        place, flag = pos_of[i] if i < len(pos_of) else ("S", "x")
        f = {"c": ch, "p": place, "t": flag, "pt": place + flag, "start": i == 0, "near": i < MAX_START,
             "modal": ch in _MODAL, "digit": ch.isdigit(), "punct": ch in "，。；：:,;、（）()“”"}
        for d in (-2, -1, 1, 2):
            j = i + d
            f[f"c{d}"] = text[j] if 0 <= j < n else "^" if j < 0 else "$"
        f["b-1"] = (text[i - 1] if i else "^") + ch
        f["b+1"] = ch + (text[i + 1] if i + 1 < n else "$")
        f["w"] = pos_of[i][1] if i < len(pos_of) else "x"
        # the last character of an organ, unit or people word (工会, 部门, 人员 …): where a doer ends
        f["head_end"] = i in ends
        f["after_head"] = i - 1 in ends
        feats.append(f)
    return feats


def _head_ends(text: str) -> set[int]:
    from nlp.checklist.actors import HEADS

    return {m.end() - 1 for m in re.finditer("|".join(map(re.escape, HEADS)), text)}


def bio(text: str, actors: list[str]) -> list[str]:
    labels = ["O"] * len(text)
    for a in sorted({a for a in actors if a}, key=len, reverse=True):
        for m in re.finditer(re.escape(a), text):
            if any(labels[k] != "O" for k in range(m.start(), m.end())):
                continue
            labels[m.start()] = "B"
            for k in range(m.start() + 1, m.end()):
                labels[k] = "I"
    return labels


def spans(labels: list[str]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, lab in enumerate(labels + ["O"]):
        if lab == "B" or lab == "O":
            if start is not None:
                out.append((start, i))
                start = None
            if lab == "B":
                start = i
        elif lab == "I" and start is None:
            start = i
    return out


def _norm(s: str) -> str:
    from nlp.simplified import to_simplified

    return to_simplified(re.sub(r"\s+", "", s))


def sequences(golds: list[dict]) -> tuple[list, list]:
    xs, ys = [], []
    for gold in golds:
        for g in gold.get("obligations", []):
            t = _norm(g["text"])
            if not t:
                continue
            xs.append(char_features(t))
            ys.append(bio(t, [_norm(a) for a in g.get("actors") or []]))
    return xs, ys


def fit(golds: list[dict]):
    import sklearn_crfsuite

    xs, ys = sequences(golds)
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.05, max_iterations=150,
                               all_possible_transitions=True)
    crf.fit(xs, ys)
    return crf


def doers(crf, text: str) -> list[str]:
    """Doers the model names near the start of `text` (as printed in `text`)."""
    t = re.sub(r"\s+", "", text)
    if not t:
        return []
    feats = char_features(_norm(t))
    # a pycrfsuite.Tagger (the shipped model) or a fitted sklearn_crfsuite.CRF
    labels = crf.tag(feats) if hasattr(crf, "tag") else crf.predict_single(feats)
    return [t[a:b] for a, b in spans(list(labels))
            if a < MAX_START and b - a >= 2 and _named(t[a:b]) and not _GOVERNED.search(t[:a])]


# a span right after a verb or preposition that governs it is its object (负责市总领导…, 报送县总工会)
_GOVERNED = re.compile(r"(?:负责|协助|配合|联系|指导|督促|会同|报送|报|交|送|对|向|与|和|及|给|为|把|将|经|在|从|到|至)$")


def _named(span: str) -> bool:
    """A doer ends on an organ, unit or people word (工会, 部门, 人员, 教职工 …): a span the
    tagger marks that ends otherwise is a thing or a measure (参赛作品, 各类)."""
    from nlp.checklist.actors import _is_head

    if re.match(r"(?:经|在|对|向|于|按|将|把|从|为|给|与)", span) or re.search(r".(?:向|对|把|将|经)", span):
        return False  # 经二级党委… / 申请人向所在单位工会: a preposition's object, not the subject
    # 市总 / 省总 / 县总: the usual short name of a 总工会
    return _is_head(span) or span.endswith(_PEOPLE_ENDS) or re.search(r"[省市州县区旗]总$", span) is not None


# people words the actor rules' head list leaves out (they rarely head a name there)
_PEOPLE_ENDS = ("职工", "员工", "教师", "老师", "者", "员", "队", "组", "会", "校", "院", "室", "站", "所", "团", "家")


def resolve(crf, checklist) -> Any:
    """Replace the rules' fallback doers by those the model finds in the duty's text."""
    from nlp.checklist.extract import _EVENT

    for o in checklist.obligations:
        if o.actor_source == "clause" or o.actor_source == "document" and _EVENT.search(o.text):
            continue  # (…代表大会定于…召开: the event's organiser, not a body named in its title)
        found = doers(crf, o.text)
        if found:
            o.actors, o.actor_source = found, "model"
    return checklist


@lru_cache(maxsize=1)
def load_model():
    """The shipped tagger (pycrfsuite.Tagger on models/checklist/actors.crfsuite), or None."""
    if not TAGGER_PATH.is_file():
        return None
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(TAGGER_PATH))
    return tagger


def load_crf():
    """The fitted sklearn_crfsuite.CRF of models/checklist/actors.joblib, or None."""
    if not MODEL_PATH.is_file():
        return None
    import joblib

    return joblib.load(MODEL_PATH)


def export(crf, path: Path = TAGGER_PATH) -> None:
    """Write the CRFsuite model file of a fitted CRF (what `load_model` opens)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(Path(crf.modelfile.name).read_bytes())
    tmp.replace(path)


def refine(checklist):
    crf = load_model()
    return checklist if crf is None else resolve(crf, checklist)


def _project_golds(root: Path = ROOT) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for d in (root / "corpora/gold", root / "corpora/heldout/gold") for p in sorted(d.glob("*.gold.json"))]


def cross_validate(real, folds: int = 5, project: list[dict] | None = None) -> dict[str, Any]:
    """Grouped-by-site CV on real notices (`duty_model.Example`s): pooled scores of the
    rule checklists with and without the actor stage on each test fold."""
    import copy

    from sklearn.model_selection import GroupKFold

    from nlp.checklist.evaluate import micro_average, score

    project = _project_golds() if project is None else project
    groups = [e.group for e in real]
    k = min(folds, len(set(groups)))
    with_stage: dict[str, dict] = {}
    for train_idx, test_idx in GroupKFold(n_splits=k).split(real, groups=groups):
        crf = fit([real[i].gold for i in train_idx] + project)
        for i in test_idx:
            cl = resolve(crf, copy.deepcopy(real[i].checklist))
            with_stage[real[i].name] = score(real[i].gold, cl.to_dict())
    base = micro_average([score(e.gold, e.checklist.to_dict()) for e in real])
    staged = micro_average([with_stage[e.name] for e in real])
    return {"folds": k, "groups": len(set(groups)), "documents": len(real),
            "actors_rules": base["attributes"]["actors"], "actors_with_stage": staged["attributes"]["actors"]}


def pipeline_folds(real, folds: int = 5) -> dict[str, Any]:
    """The whole pipeline's grouped CV (`duty_model.cross_validate`: split, duty and actor
    stages fitted per fold) pooled over the test folds and per fold, for the card."""
    import copy

    from sklearn.model_selection import GroupKFold

    from nlp.checklist import duty_model
    from nlp.checklist.evaluate import micro_average, score

    keep: dict = {}
    cv = duty_model.cross_validate(real, folds=folds, keep=keep)
    groups = [e.group for e in real]
    fold_of = {real[i].name: k for k, (_, test) in
               enumerate(GroupKFold(n_splits=cv["folds"]).split(real, groups=groups)) for i in test}
    per_fold: dict[int, list] = {}
    for name, (e, p, crf) in keep.items():
        cl = duty_model._rebuild(e, p, cv["keep_below"], cv["add_above"]) if len(p) else copy.deepcopy(e.checklist)
        if crf is not None:
            cl = resolve(crf, cl)
        per_fold.setdefault(fold_of[name], []).append(score(e.gold, cl.to_dict()))
    return {"pooled": duty_model._brief(cv["pooled"]),
            "folds": [duty_model._brief(micro_average(per_fold[k])) for k in sorted(per_fold)]}


def train(ann_dir: Path, shared: Path, folds: int = 5) -> dict:
    import joblib

    from nlp.checklist.duty_model import real_examples

    real = real_examples(ann_dir, shared)
    cv = cross_validate(real, folds=folds)
    cv["pipeline"] = pipeline_folds(real, folds=folds)
    crf = fit([e.gold for e in real] + _project_golds())
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(crf, MODEL_PATH, compress=3)
    export(crf)
    metrics_path = MODEL_PATH.parent / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.is_file() else {}
    metrics["actors_cv"] = cv
    metrics_path.write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if "cv" in metrics:
        from nlp.checklist.duty_model import card

        (MODEL_PATH.parent / "MODEL_CARD.md").write_text(card(metrics), encoding="utf-8")
    return cv


def _main() -> int:
    import argparse
    import importlib

    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description="fit the checklist actor stage (models/checklist)")
    # export: actors.crfsuite from the shipped actors.joblib, without fitting again
    ap.add_argument("command", choices=["train", "cv", "export"])
    ap.add_argument("--annotations", type=Path, default=ROOT / "corpora/annotations/checklist")
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    shared = a.shared or shared_root(ROOT)
    am = importlib.import_module("nlp.checklist.actor_model")  # pickles must name this module
    if a.command == "export":
        am.export(am.load_crf())
        out = {"tagger": str(am.TAGGER_PATH)}
    elif a.command == "train":
        out = am.train(a.annotations, shared, folds=a.folds)
    else:
        from nlp.checklist.duty_model import real_examples

        out = am.cross_validate(real_examples(a.annotations, shared), folds=a.folds)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
