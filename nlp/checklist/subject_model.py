"""The learned subject reader: who a duty's own text names as its doer, where the rules
found no one there and fell back on a heading, the lead-in, the 主送 units or the issuer.

The rules read a doer at the head of a clause only when it ends on an organ or people word
of their list (工会, 部门, 人员 …). Real notices bind others just as often: 申请人…必须,
旅行社在…时必须, 低保家庭和残疾人家庭的，必须, 其他人员不少于50元, 每年段选出…, 由X根据…;
and the same place holds things that are no doer (材料须…, 作品须于…交…). Which is which
is a matter of words the rules cannot list, so it is learned: every stretch of words that
opens the text (after a list label or a time adverbial), or follows a 由, up to a word
boundary, is a candidate; a logistic regression over its last word and character, the word
after it (a modal, 不少于, 在, 的 …), its first word (各/每/所有/其他), its length and
whether the rules would call it a body scores it; labels come from the gold actors (a
candidate is right when each of its conjuncts is a gold actor of that duty). A candidate
that a verb or preposition governs (从X…, 向X…) is none, as for the CRF
(`actor_model.may_be_subject`).

`resolve` gives an item whose doer the rules only guessed the best candidate at p ≥
`ACCEPT`. The weights ship as JSON (models/checklist/subject.json) and are applied in plain
Python: a checklist run imports no scikit-learn."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.checklist.linear import Linear

ROOT = Path(__file__).resolve().parents[2]
MODEL_PATH = ROOT / "models" / "checklist" / "subject.json"
ACCEPT = 0.5  # fixed before the CV (balanced classes); the card shows the figures around it
MAX_LEN = 20  # a subject longer than this is a clause, not a name
C = 1.0

_LABEL = re.compile(r"^(?:第[一二三四五六七八九十百]+条|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、．.]"
                    r"|\d+[、．.](?!\d)|[⑴-⒇①-⑳])\s*")
_JOIN = "、和及与"
_MODAL = ("须", "必须", "应", "应当", "要", "需", "需要", "务必", "不得", "可", "可以", "一律", "均", "请", "负责", "牵头")
_STOP_FLAGS = ("x", "w")


def _tokens(text: str) -> list[tuple[str, str]]:
    from nlp.analysis import pos

    return pos(text)


def _plain(text: str) -> str:
    """The text read as the rules read it: no whitespace, in simplified characters (one
    character for one, so a span found here is the same span of the text as printed)."""
    from ingest.simplified import to_simplified

    return to_simplified(re.sub(r"\s+", "", text))


def _lead(text: str) -> int:
    """Where the words that may name a subject start: after a list label and a time or
    manner adverbial (the rules' own list of them)."""
    from nlp.checklist.actors import _LEAD_ADVERBIAL

    at = 0
    for _ in range(3):
        m = _LABEL.match(text[at:]) or _LEAD_ADVERBIAL.match(text[at:])
        if not m or not m.group(0):
            break
        at += m.end()
    return at


def candidates(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, after 由) of each candidate subject in `text` (whitespace removed)."""
    out: list[tuple[int, int, bool]] = []
    starts = [(_lead(text), False)] + [(m.end(), True) for m in re.finditer("由", text) if m.start() >= _lead(text)]
    for s, by in starts:
        at = s
        for w, flag in _tokens(text[s:s + MAX_LEN + 8]):
            if flag.startswith(_STOP_FLAGS) and w not in _JOIN and w not in "（）()" or at + len(w) - s > MAX_LEN:
                break
            at += len(w)
            if at - s >= 2 and w not in _JOIN and w not in _MODAL and w != "的":
                out.append((s, at, by))
            if w in _MODAL:
                break
    return sorted(set(out))


def conjuncts(span: str) -> list[str]:
    """低保家庭和残疾人家庭 → two; a name with a bracket keeps its inner 、."""
    from nlp.checklist.actors import split_coordination

    parts = split_coordination(span)
    if len(parts) > 1:
        return parts
    pieces, buf, depth = [], "", 0
    for ch in span:
        depth += (ch in "（(") - (ch in "）)")
        if depth == 0 and ch in _JOIN:
            pieces.append(buf)
            buf = ""
        else:
            buf += ch
    pieces.append(buf)
    return pieces if all(len(p) >= 2 for p in pieces) else [span]


def features(text: str, start: int, end: int, by: bool, recipients: list[str] = ()) -> dict[str, Any]:
    from nlp.checklist.actors import is_head

    span = text[start:end]
    toks = _tokens(span)
    rest = _tokens(text[end:end + 8])
    last, lflag = toks[-1] if toks else (span, "x")
    first, fflag = toks[0] if toks else (span, "x")
    nxt, nflag = rest[0] if rest else ("$", "$")
    f: dict[str, Any] = {
        "last=" + last: 1, "lflag=" + lflag[:2]: 1, "c1=" + span[-1]: 1, "c2=" + span[-2:]: 1,
        "first=" + first: 1, "fflag=" + fflag[:2]: 1, "f1=" + span[0]: 1,
        "next=" + nxt: 1, "nflag=" + nflag[:2]: 1, "nc=" + nxt[:1]: 1,
        "next_modal": nxt in _MODAL or nxt[:1] in "须应要需", "next_de": nxt == "的",
        "len=" + str(min(len(span), 12) // 3): 1, "words=" + str(min(len(toks), 5)): 1,
        "verbs": sum(fl.startswith("v") and fl != "vn" for _, fl in toks), "has_de": "的" in span,
        "by": by, "at_start": start == 0, "head": is_head(span), "joined": any(ch in span for ch in _JOIN),
        "addressee": any(span in r or r in span for r in recipients if r),
    }
    return f


def _label(span: str, gold_actors: list[str]) -> int:
    gold = [re.sub(r"\s+", "", a) for a in gold_actors if a]
    return int(bool(gold) and all(any(p == g or (len(p) >= 2 and g.endswith(p) and len(g) - len(p) <= 1) for g in gold)
                                  for p in conjuncts(span)))


def rows(golds: list[dict]) -> tuple[list[dict], list[int]]:
    X, y = [], []
    for gold in golds:
        rec = [_plain(r) for r in (gold.get("metadata") or {}).get("recipients") or []]
        for g in gold.get("obligations", []):
            t = _plain(g["text"])
            for s, e, by in candidates(t):
                X.append(features(t, s, e, by, rec))
                y.append(_label(t[s:e], [_plain(a) for a in g.get("actors") or []]))
    return X, y


def fit(golds: list[dict]) -> Linear:
    """Fitted on gold duties (the real annotations' and the project's own, alike: weighing
    the project's at 0.2 as the duty stage does changed nothing in the grouped CV)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = rows(golds)
    vec = DictVectorizer()
    m = vec.fit_transform(X).tocsr()
    m.indices, m.indptr = m.indices.astype("int32"), m.indptr.astype("int32")  # (liblinear wants 32-bit)
    clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0)
    clf.fit(m, y)
    coef = {name: float(c) for name, c in zip(vec.get_feature_names_out(), clf.coef_[0]) if c != 0.0}
    return Linear(coef, float(clf.intercept_[0]))


def subject(model: Linear, text: str, recipients: list[str] = (), accept: float = ACCEPT) -> list[str]:
    """The doers `text` names as its subject, as printed there; [] when no candidate
    reaches `accept`. Ties go to the earlier, then the longer candidate."""
    from nlp.checklist.actor_model import may_be_subject

    shown = re.sub(r"\s+", "", text)
    t = _plain(shown)
    best, best_p = None, accept
    for s, e, by in candidates(t):
        if not by and not may_be_subject(t, s, e):
            continue  # (由X… opens on its preposition by design)
        p = model.proba(features(t, s, e, by, recipients))
        if p > best_p or p == best_p and best is None:
            best, best_p = (s, e), p
    if not best:
        return []
    names = conjuncts(t[best[0]:best[1]])
    if t == shown:
        return names
    # the names as printed (a page in traditional characters keeps its own script)
    at, out = best[0], []
    for n in names:
        i = t.find(n, at)
        out.append(shown[i:i + len(n)] if i >= 0 else n)
        at = i + len(n) if i >= 0 else at
    return out


def agents(model: Linear, text: str, recipients: list[str] = (), accept: float = ACCEPT) -> list[str]:
    """The doers `text` names after a 由 inside it (Y由X牵头, …费用由X承担, 材料由X审核后…), as printed there: per 由,
    its best candidate (`candidates`, after 由) at p ≥ `accept`."""
    shown = re.sub(r"\s+", "", text)
    t = _plain(shown)
    best: dict[int, tuple[float, int]] = {}
    for s, e, by in candidates(t):
        if by:
            p = model.proba(features(t, s, e, by, recipients))
            if p >= accept and p > best.get(s, (0.0, 0))[0]:
                best[s] = (p, e)
    return [shown[i:i + len(n)] for s, (_, e) in sorted(best.items())
            for n, i in _placed(conjuncts(t[s:e]), t, s)]


def _placed(names: list[str], t: str, at: int) -> list[tuple[str, int]]:
    out = []
    for n in names:
        i = t.find(n, at)
        if i < 0:
            continue
        out.append((n, i))
        at = i + len(n)
    return out


# doers the rules only guessed: the item's own clause named no one
GUESSED = {"label", "sentence", "paragraph", "document", "none", "section", "lead"}


def resolve(model: Linear | None, checklist, accept: float = ACCEPT):
    """Give an item whose doer the rules guessed the subject its own text names, and an item read from its
    text the agents a 由 inside it names (`agents`)."""
    if model is None:
        return checklist
    from nlp.checklist.actors import counted_after
    from nlp.checklist.extract import event_line

    rec = [_plain(r) for r in (getattr(checklist, "document", None) or {}).get("recipients") or []]
    for o in checklist.obligations:
        if o.actor_source not in GUESSED or o.actor_source == "document" and event_line(o):
            continue  # (…代表大会定于…召开: the event's organiser, not a body named in its title)
        found = [n for n in subject(model, o.text, rec, accept) or [] if not counted_after(_plain(o.text), _plain(n))]
        if found:
            o.actors, o.actor_source = found, "subject"
    # the agent a 由 inside a read item names beside the doer read at its head (一级部联队由公司办室牵头组织: the rules
    # read the team; 学生生活费由职工本人承担，其他费用由甲会承担: the reader took one of two); the audit's
    # clause_before_verb misses of taozhai98, lasc, www.wddqw (session 29)
    for o in checklist.obligations:
        if o.actor_source not in ("clause", "model", "subject") or "由" not in o.text:
            continue
        have = [_plain(a) for a in o.actors]
        more = [n for n in agents(model, o.text, rec, accept) if not counted_after(_plain(o.text), _plain(n))
                and not any(_plain(n) in a or a in _plain(n) for a in have)]
        if more:
            o.actors = [*o.actors, *more]
    return checklist


@lru_cache(maxsize=1)
def load_model() -> Linear | None:
    return Linear.load(MODEL_PATH) if MODEL_PATH.is_file() else None


def save(model: Linear, path: Path = MODEL_PATH) -> None:
    model.save(path)
