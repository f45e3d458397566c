"""Which field log is evidence for which duty.

A log is evidence for a duty when
- it comes from the duty's place: the notice's jurisdiction (九江市) is in the
  log's region path or in its author's unit;
- it falls in the duty's time: on or after the notice date and, for a notice
  whose one-off deadlines close a campaign, not long after the last one;
- it reports the duty's action: BM25 between one sentence of the log and the
  duty's clause (plus its section title), over the words of the search analysis.
  Duties are the documents (their idf says which words tell duties apart), a log
  sentence is the query, and the score is divided by the duty's score against
  itself, so 0.4 means "the sentence covers 40 % of what identifies the duty"
  whatever the duty's length;
- a named actor helps: when the author's unit repeats the duty's actor (组织部,
  蹲点工作组, a county federation for 各县（市、区）总工会) the score gets a bonus.

Duties are cut by the search analysis (index/search/analysis.py: jieba with the
domain dictionary plus sub-words); logs are scanned for exactly those words with
an Aho-Corasick automaton, which finds a word wherever search's sub-words would
(蹲点 in 蹲点工作组) and is fast enough for 100,000 logs a minute.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import ahocorasick
import numpy as np
from scipy import sparse

from index.search.analysis import STOP, analyze, synonyms
from nlp.track.duties import Duty, actor_core, as_date

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# Words every duty and log is full of: they say nothing about which duty a log reports on.
_GENERIC = frozenset("工会 总工会 职工 工作 开展 情况 进行 组织 各级 负责 按照 要求 相关 有关 及时 加强 推动 建立 做好".split())
# A log that says the duty is done (evidence says done → 已完成): completion verbs
# with 已/完成/毕 as cadres write them, in several phrasings seen across logs.
_DONE = re.compile(r"已(?:经)?(?:按时|全部|正式|如期)?(?:报送|上报|提交|完成|召开|录入|备案|报|发放|印发|建立|审核|公示|签|办结|结清|配齐|配备|印发)"
                   r"|(?:全部|顺利|如期|按时)完成|完成了|报送完毕|录入完成|已.{0,8}完成")
_NOT_DONE = re.compile(r"(?:未|没有?|尚未|还没|正在|还在)(?:完成|报送|上报|提交|录入|发出|配齐)")

K1, B = 1.2, 0.75


@dataclass
class Link:
    document_id: str
    obligation_id: str
    log_id: str
    score: float
    sentence: str
    done: bool
    log_date: dt.date | None = None

    @property
    def duty_key(self) -> tuple[str, str]:
        return (self.document_id, self.obligation_id)


@dataclass
class MatchConfig:
    # Chosen by `python bench/track.py --tune` on the judged set (corpora/track);
    # the first run used threshold 0.30, per_log 3, soft_weight 1.0.
    threshold: float = 0.20      # least normalised score of a link
    relative: float = 0.0        # links below this share of the log's best score are dropped
    per_log: int = 2             # at most this many duties per log
    actor_bonus: float = 0.10
    level_bonus: float = 0.05
    grace_days: int = 60         # evidence may come this long after a campaign's last deadline
    candidates: int = 6          # candidates per log scored in full
    soft_weight: float = 0.6     # soft duties (descriptions, 原则上…) weigh this much


def says_done(sentence: str) -> bool:
    return bool(_DONE.search(sentence)) and not _NOT_DONE.search(sentence)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text or "") if s.strip()]


def _terms(text: str) -> list[str]:
    return [t.text for t in analyze(text) if len(t.text) >= 2 and t.text not in STOP and t.text not in _GENERIC]


def _unit_of(log: dict) -> str:
    meta = log.get("meta") or {}
    return str(log.get("author_unit") or meta.get("author_unit") or "")


class Matcher:
    """Scores logs against a fixed set of duties."""

    def __init__(self, duties: list[Duty], config: MatchConfig | None = None, linker="default"):
        self.duties = list(duties)
        self.config = config or MatchConfig()
        if linker == "default":
            from nlp.track.linker import Linker

            linker = Linker.load()
        self.linker = linker
        docs = [_terms(d.match_text) for d in self.duties]
        vocab: dict[str, int] = {}
        for words in docs:
            for w in words:
                vocab.setdefault(w, len(vocab))
        self.vocab = vocab
        n = max(1, len(docs))
        df = np.zeros(len(vocab))
        for words in docs:
            for w in set(words):
                df[vocab[w]] += 1
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = (sum(map(len, docs)) / n) or 1.0
        rows, cols, vals = [], [], []
        self.self_scores: list[float] = []
        for j, words in enumerate(docs):
            tf: dict[int, int] = defaultdict(int)
            for w in words:
                tf[vocab[w]] += 1
            norm = K1 * (1 - B + B * len(words) / avg)
            weights = {i: idf[i] * c * (K1 + 1) / (c + norm) for i, c in tf.items()}
            self_score = sum(weights.values()) or 1.0
            self.self_scores.append(self_score)
            for i, w in weights.items():
                rows.append(i)
                cols.append(j)
                vals.append(w / self_score)
        # the action alone (the clause around it also names actors and conditions)
        self.action_terms: list[dict[int, float]] = []
        self.duty_terms = [{vocab[w] for w in words} for words in docs]
        for d in self.duties:
            ids = {vocab[w] for w in _terms(d.action) if w in vocab}
            self.action_terms.append({i: float(idf[i]) for i in ids})
        self.mean_self_score = float(np.mean(self.self_scores)) if self.self_scores else 1.0
        self.weights = sparse.csr_matrix((vals, (rows, cols)), shape=(len(vocab), len(self.duties)))
        self.automaton = ahocorasick.Automaton()
        for w, i in vocab.items():
            self.automaton.add_word(w, i)
        # A log that says it in other words search treats as the same (驻点 for 蹲点,
        # 职代会 for 职工代表大会) reports the same duty: search's synonym groups.
        groups = synonyms().by_word
        for w, i in vocab.items():
            for other in groups.get(w, ()):
                if other not in vocab and other not in self.automaton:
                    self.automaton.add_word(other, i)
        if vocab:
            self.automaton.make_automaton()
        # the duties each place may hear from
        self.by_place: dict[str, list[int]] = defaultdict(list)
        for j, d in enumerate(self.duties):
            self.by_place[d.jurisdiction or ""].append(j)
        self.cores = [[actor_core(a) for a in d.actors] for d in self.duties]

    # ------------------------------------------------------------------ gates
    def candidates(self, log: dict) -> list[int]:
        """Duties whose place and time admit this log."""
        where = f"{log.get('region') or ''} {_unit_of(log)}"
        day = as_date(log.get("date"))
        out = []
        for place, idx in self.by_place.items():
            if place and place not in where:
                continue
            for j in idx:
                d = self.duties[j]
                if day and d.notice_date and day < d.notice_date:
                    continue
                if day and d.until and day > d.until + dt.timedelta(days=self.config.grace_days):
                    continue
                out.append(j)
        return out

    def _bonus(self, j: int, unit: str) -> float:
        if not unit:
            return 0.0
        best = 0.0
        for core in self.cores[j]:
            if not core:
                continue
            if len(core) >= 2 and core not in ("总工会", "工会") and core in unit:
                best = max(best, self.config.actor_bonus)
            elif core.endswith("总工会") and core[:1] in "县区市乡镇" and re.search(r"[县区市镇乡]总工会$", unit):
                best = max(best, self.config.level_bonus)
        return best

    # ---------------------------------------------------------------- scoring
    def _sentence_vectors(self, sents: list[str]) -> sparse.csr_matrix:
        rows, cols = [], []
        for r, s in enumerate(sents):
            seen = set()
            for _, i in self.automaton.iter(s) if self.vocab else ():
                if i not in seen:
                    seen.add(i)
                    rows.append(r)
                    cols.append(i)
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sents), len(self.vocab)))

    def score_log(self, log: dict, only: set[tuple[str, str]] | None = None) -> list[Link]:
        """The links of one log, best first (`only`: restrict to these duty keys)."""
        return self.match([log], only=only).get(str(log.get("id")), [])

    def scored(self, logs: list[dict], only: set[tuple[str, str]] | None = None, batch: int = 5000):
        """For each log with candidates: (log, [(duty index, normalised score, best sentence)])."""
        allowed = None
        if only is not None:
            allowed = {j for j, d in enumerate(self.duties) if d.key in only}
        for start in range(0, len(logs), batch):
            chunk = logs[start:start + batch]
            cands = []
            sents: list[str] = []
            owner: list[int] = []
            for k, log in enumerate(chunk):
                c = self.candidates(log)
                if allowed is not None:
                    c = [j for j in c if j in allowed]
                cands.append(c)
                if c:
                    for s in sentences(log.get("text") or ""):
                        sents.append(s)
                        owner.append(k)
            if not sents:
                continue
            scores = (self._sentence_vectors(sents) @ self.weights).tocsr()
            first: dict[int, int] = {}
            for r, k in enumerate(owner):
                first.setdefault(k, r)
            for k, log in enumerate(chunk):
                if not cands[k] or k not in first:
                    continue
                r0 = r1 = first[k]
                while r1 < len(owner) and owner[r1] == k:
                    r1 += 1
                block = scores[r0:r1][:, cands[k]].toarray()
                best_rows = block.argmax(axis=0)
                best = block.max(axis=0)
                # the few best candidates only: a duty far down a log's list is never its evidence,
                # and features cost Python time per candidate
                cols = [c for c in np.argsort(-best, kind="stable")[: self.config.candidates] if best[c] > 0]
                found = [(cands[k][c], float(best[c]), sents[r0 + int(best_rows[c])]) for c in cols]
                if found:
                    yield log, found

    def features(self, log: dict, found: list[tuple[int, float, str]]) -> np.ndarray:
        """One row per candidate duty of a log (see linker.FEATURES)."""
        unit = _unit_of(log)
        top = max(f[1] for f in found)
        order = sorted(range(len(found)), key=lambda i: -found[i][1])
        rank = {i: r for r, i in enumerate(order)}
        rows = []
        seen: dict[str, set[int]] = {}
        for i, (j, norm, sent) in enumerate(found):
            d = self.duties[j]
            if sent not in seen:
                seen[sent] = {v for _, v in self.automaton.iter(sent)} if self.vocab else set()
            words = seen[sent]
            action = self.action_terms[j]
            total = sum(action.values()) or 1.0
            action_cov = sum(w for v, w in action.items() if v in words) / total
            shared = len(words & self.duty_terms[j])
            # weights relative to the average duty, so the model does not depend on how
            # many duties the store holds (idf grows with their number)
            weight = self.self_scores[j] / self.mean_self_score
            rows.append([norm, math.log1p(norm * weight), self._bonus(j, unit), d.tier == "soft",
                         bool(d.deadlines or d.frequency), norm / top, rank[i] == 0, math.log1p(weight),
                         action_cov, math.log1p(shared)])
        return np.asarray(rows, dtype=float)

    def match(self, logs: list[dict], only: set[tuple[str, str]] | None = None,
              batch: int = 5000) -> dict[str, list[Link]]:
        """Links per log id, best first. `only` restricts to some duties (the open ones).
        With a trained linker (models/track/linker.json) the score is its probability
        that the link is true; without one, the rule of `MatchConfig`."""
        out: dict[str, list[Link]] = {}
        cfg = self.config
        for log, found in self.scored(logs, only, batch):
            if self.linker is not None:
                probs = self.linker.predict(self.features(log, found))
                scored = [(j, float(p), sent) for (j, _, sent), p in zip(found, probs) if p >= self.linker.threshold]
                limit = self.linker.per_log
            else:
                unit = _unit_of(log)
                scored = []
                for j, norm, sent in found:
                    total = (norm + self._bonus(j, unit)) * (cfg.soft_weight if self.duties[j].tier == "soft" else 1)
                    if total >= cfg.threshold:
                        scored.append((j, total, sent))
                limit = cfg.per_log
            if not scored:
                continue
            scored.sort(key=lambda x: -x[1])
            top = scored[0][1]
            links = []
            for j, sc, sent in scored[:limit]:
                if sc < top * cfg.relative:
                    break
                d = self.duties[j]
                links.append(Link(d.document_id, d.obligation_id, str(log.get("id")), round(sc, 4), sent,
                                  says_done(sent), as_date(log.get("date"))))
            out[str(log.get("id"))] = links
        return out
