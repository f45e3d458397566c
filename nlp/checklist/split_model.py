"""The learned split stage: where one sentence holds several duties.

Real notices pack several duties into one sentence: two doer–duty pairs
(`X每季度走访2家企业，Y每月走访1户`), a 并-clause with a doer of its own
(`…，并由所在单位工会公示七天`; one with the same doer, `各单位要A，并于X前B`, stays in the
duty before it, as the judges' seed gold reads it), a cap in a bracket (`（每人限报2项）`), an exhortation before
the task proper (`请广泛宣传动员，积极组织实施，…于X前推荐…`). The rules cut a sentence's
comma clauses into items (`extract._group`) at a new actor, a 负责 remit or a new
frequency; they leave the other classes in one item, which then covers no gold duty
(the scorer does not match an item more than 2.5 × as long as the duty) and carries
the wrong doer or deadline.

A logistic regression decides at each comma between the clauses of a sentence whether
a new duty starts there, from features of the clause before and the clause after
(their first and last characters, own doer, modal words, quantity, deadline,
frequency, adverbial, length, the first word's part of speech) and of the item so
far, with the rules' own decision as one feature. Training: the clause sequences the
rules meet in the annotated notices (`record`), each comma labelled from the gold
duties' texts (a new duty starts where the clauses on either side fall in different
gold duties, or where a clause in none meets one in some). `cross_validate` in
`duty_model` refits it on the training folds only. The model ships as plain weights in
models/checklist/split.json (`python -m nlp.checklist.duty_model train` fits it first).
Without a model the rules decide, as before."""
from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from nlp.checklist.linear import Linear

ROOT = Path(__file__).resolve().parents[2]
MODEL_PATH = ROOT / "models" / "checklist" / "split.json"
SEED = 0
THRESHOLD = 0.6  # p(cut) to cut where the rules do not
KEEP_BELOW = 0.4  # p(cut) under which a cut of the rules is undone

# the model in use: None = the shipped one; `NO_MODEL` = the rules alone (CV folds set theirs)
NO_MODEL = object()
_MODEL: ContextVar[Any] = ContextVar("checklist_split_model", default=None)
# where `decide` writes the commas it meets (training data), None when nobody listens
_RECORD: ContextVar[list | None] = ContextVar("checklist_split_record", default=None)

_OPENERS = re.compile(r"^(?:并于|并在|并将|并按|并|同时|另外|此外|且|再|然后|请|望|希望|要求|务必|须|需|要|应|"
                      r"不得|严禁|每|经|待|凡|如|若|由|于|在|将|对|按|逾期|届时|具体|其中|报名|联系)")


# 请 asks the reader to act (提请 / 申请 / 邀请 do not)
_PLEASE = re.compile(r"(?<![提申邀聘敬宴])请|^望|^希望")
# openers that start a further predicate of a duty (并于X前…, 同时…, 逾期…)
_GATE = {"并于", "并在", "并将", "并按", "并", "同时", "另外", "此外", "且", "请", "望", "希望", "要求", "务必",
         "须", "需", "要", "应", "不得", "严禁", "每", "逾期", "届时"}


def _first_word(text: str) -> tuple[str, str]:
    from nlp.analysis import analyse

    for w, f in analyse(text[:12]).pos:
        if w.strip():
            return w, f
    return "", "x"


def _clause_facts(text: str, year: int | None) -> dict[str, Any]:
    """What a clause says on its own (cached: a clause is read once per notice). 明天 / 本周五
    are dates only where the notice's date anchors them (`deadlines.ANCHOR`), so whether one is
    set is part of the key: a notice with no date must not reuse a dated notice's reading."""
    from nlp.checklist.deadlines import ANCHOR

    return _facts(text, year, ANCHOR.get() is not None)


@lru_cache(maxsize=8192)
def _facts(text: str, year: int | None, anchored: bool) -> dict[str, Any]:
    from nlp.checklist.deadlines import date_spans, find_deadlines
    from nlp.checklist.frequency import find_frequencies
    from nlp.checklist.modality import find_modals
    from nlp.checklist.quantities import find_quotas

    modals = find_modals(text)
    dls = find_deadlines(text, year)
    word, flag = _first_word(text)
    opener = _OPENERS.match(text)
    return {
        "binding": any(m.binding for m in modals),
        "modal": bool(modals),
        "modal_early": any(m.start < 8 for m in modals if m.binding),
        "please": bool(_PLEASE.search(text[:10])),
        "deadline": any(d.recurrence != "relative" for d in dls),
        "relative": any(d.recurrence == "relative" for d in dls),
        "quota": bool(find_quotas(text, date_spans(text))),
        "freq": bool(find_frequencies(text)),
        "pos": flag[:1],
        "word": word if len(word) <= 3 else "",
        "opener": opener.group(0) if opener else "",
        "bracket": text[:1] in "（(",
        "colon": "：" in text or ":" in text,
    }


def _len_bin(n: int) -> str:
    return "<6" if n < 6 else "<10" if n < 10 else "<20" if n < 20 else "<35" if n < 35 else "35+"


def features(cur: list, c, rule_new: bool, year: int | None, nxt=None) -> dict[str, Any]:
    """Features of the comma before clause `c`, `cur` being the clauses of the item so far
    (`extract._Clause`), `nxt` the clause after `c` in the sentence (None at its end).
    The clauses are read in the notice's simplified view (`view`), as the rules read it."""
    p = cur[-1]
    pt, ct = p.text, c.text
    pf, cf = _clause_facts(pt, year), _clause_facts(ct, year)
    cur_text = "".join(x.text for x in cur)
    prev_names = {n for x in cur if x.actor for n in x.actor.names}
    f: dict[str, Any] = {
        "rule": rule_new,
        "has_pred": any(not x.adverbial and not x.timed for x in cur),
        "n_cur": min(len(cur), 4),
        "cur_len=" + _len_bin(len(cur_text)): True,
        "c_len=" + _len_bin(len(ct)): True,
        "c_actor": bool(c.actor and not c.actor_list),
        "c_actor_new": bool(c.actor and not c.actor_list and not set(c.actor.names) <= prev_names),
        "c_by": bool(c.actor and c.actor.by),
        "c_actor_list": c.actor_list,
        "c_adverbial": c.adverbial,
        "p_adverbial": p.adverbial,
        "c_lead_freq": c.lead_freq,
        "c_fuze": c.fuze,
        "cur_actor": bool(prev_names),
        "c1=" + ct[:1]: True,
        "c2=" + ct[:2]: True,
        "p_end=" + pt[-1:]: True,
        "p_end2=" + pt[-2:]: True,
        "c_open=" + cf["opener"]: True,
        "c_pos=" + cf["pos"]: True,
        "c_word=" + cf["word"]: True,
        "p_pos=" + pf["pos"]: True,
    }
    for k in ("binding", "modal", "modal_early", "please", "deadline", "relative", "quota", "freq", "bracket", "colon"):
        f["c_" + k] = cf[k]
        f["p_" + k] = pf[k]
    cur_f = [_clause_facts(x.text, year) for x in cur]
    for k in ("binding", "deadline", "quota", "freq"):
        f["cur_" + k] = any(x[k] for x in cur_f)
    f["two_deadlines"] = f["cur_deadline"] and cf["deadline"]
    # …认真组织报名，并于3月15日前报送…: a further predicate opened by 并 that brings a date of its own
    f["and_date"] = cf["opener"].startswith("并") and cf["deadline"] and not f["cur_deadline"]
    f["two_quotas"] = f["cur_quota"] and cf["quota"]
    f["bind_after_bind"] = f["cur_binding"] and cf["binding"]
    # …完成材料审核，审核合格的，将于5个工作日内… / …组织实施，按照X要求，于4月18日前推荐…: a
    # condition or means clause (no mark of its own) that leads into a further predicate
    # with a date, a binding word or a doer of its own; the cut belongs before the lead
    if nxt is not None:
        nf = _clause_facts(nxt.text, year)
        n_mark = nf["deadline"] or nf["relative"] or nf["binding"] or bool(nxt.actor and not nxt.actor_list)
        f["lead_then_mark"] = bool(f["has_pred"] and n_mark and (c.adverbial or not _own_mark(f))
                                   and (f["cur_binding"] or f["cur_deadline"] or f["cur_actor"]))
    return f


# ------------------------------------------------------------------ use


@lru_cache(maxsize=1)
def load_model() -> Linear | None:
    return Linear.load(MODEL_PATH) if MODEL_PATH.is_file() else None


def _current():
    m = _MODEL.get()
    if m is NO_MODEL:
        return None
    return m if m is not None else load_model()


@contextmanager
def using(model) -> Iterator[None]:
    """Extract with this split model (`NO_MODEL`: the rules alone) inside the block."""
    token = _MODEL.set(NO_MODEL if model is None else model)
    try:
        yield
    finally:
        _MODEL.reset(token)


@contextmanager
def recording() -> Iterator[list]:
    """Collect (features, clause before, clause after) of every comma the rules meet."""
    rows: list = []
    token = _RECORD.set(rows)
    try:
        yield rows
    finally:
        _RECORD.reset(token)


def decide(cur: list, c, rule_new: bool, year: int | None, nxt=None) -> bool:
    """Whether a new duty starts at clause `c` (the rules' answer without a model); `nxt`:
    the clause after `c`, if any."""
    rec, model = _RECORD.get(), _current()
    if rec is None and model is None:
        return rule_new
    f = features(cur, c, rule_new, year, nxt)
    if rec is not None:
        rec.append((f, cur[-1].text, c.text))
    if model is None:
        return rule_new
    if _clause_facts(c.text, year)["opener"].startswith("并") and not f["c_actor_new"]:
        # …认真组织报名，并于3月15日前报送… / …做好评选工作，并将申报材料…: a second predicate of the
        # same doer is one duty with the clause before it (the gold keeps such a comma in 22 cases of
        # 13 sites and cuts 6; the fold models still cut czgz-gh's and hufe-xgh's); 并由X… names a new doer
        return False
    if f["two_deadlines"] and not cur[-1].adverbial:
        # …必须在5月30日前结束，…请于6月10日前报…: a clause with a date of its own after a dated
        # predicate is a further duty (the gold cuts every such comma, 3 of 3 in nxu-xgh and wuzhou-zgh-mirror,
        # keeps none; the fold models left wuzhou's two in one item). A bare time clause (cx: …，在建档的下一
        # 年度1月底前，采取…统一发放（其中…8月底前发放）) still leads into the clause it times
        return True
    if rule_new:
        # the rules cut at a new doer, a 负责 remit, a new frequency: kept unless the model is sure
        return model.proba(f) >= KEEP_BELOW
    if cur[-1].adverbial or not f["has_pred"] or not (_own_mark(f) or f.get("lead_then_mark")):
        # a time, a condition or a means leads into the next clause; a bare verb phrase
        # (…，提请召开…，研究解决…) goes on with the duty before it
        return False
    return model.proba(f) >= THRESHOLD


def _own_mark(f: dict[str, Any]) -> bool:
    """Whether the clause after the comma brings something a duty of its own has: a doer,
    a binding or asking word, a quantity, a deadline, a frequency, a bracket, or an
    opener such as 并/同时 that starts a further predicate (a lead clause before a marked one
    is let through by `lead_then_mark`)."""
    return bool(f["c_actor"] or f["c_binding"] or f["c_please"] or f["c_modal_early"] or f["c_quota"]
                or f["c_deadline"] or f["c_relative"] or f["c_freq"] or f["c_bracket"]
                or any(k.startswith("c_open=") and k[7:] in _GATE for k in f))


# ------------------------------------------------------------------ learn

_PUNCT = str.maketrans("，：（）；！？“”", ",:();!?\"\"")


def _n(s: str) -> str:
    from ingest.simplified import to_simplified

    return to_simplified(re.sub(r"\s+", "", s or "")).translate(_PUNCT).strip(",.;。:!?")


def _owners(clause: str, golds: list[str]) -> set[int]:
    t = _n(clause)
    if len(t) < 2:
        return set()
    return {i for i, g in enumerate(golds) if t in g}


def labelled(rows: list, gold: dict) -> list[tuple[dict, int]]:
    """(features, split?) of the recorded commas of one notice that the gold decides."""
    golds = [_n(g["text"]) for g in gold.get("obligations", [])]
    out = []
    for f, before, after in rows:
        a, b = _owners(before, golds), _owners(after, golds)
        if not a and not b:
            continue  # neither clause is part of a duty: nothing to learn
        out.append((f, int(not (a & b))))
    return out


def record(doc) -> list:
    """The commas the rules meet in one notice, with the rules' own cuts."""
    from nlp.checklist.extract import extract_rules

    with using(None), recording() as rows:
        extract_rules(doc)
    return rows


def make_pipeline():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("dict", DictVectorizer()),
                     ("clf", LogisticRegression(C=0.3, max_iter=5000, class_weight="balanced", random_state=SEED))])


def fit(data: list[tuple[dict, int]]) -> Linear | None:
    """A split model from labelled commas; None when they hold only one class."""
    ys = [y for _, y in data]
    if len(set(ys)) < 2:
        return None
    model = make_pipeline()
    model.fit([f for f, _ in data], ys)
    return Linear.from_pipeline(model)


def clear_caches() -> None:
    _facts.cache_clear()
