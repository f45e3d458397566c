"""The topic model: jieba tokens (domain dictionary, genre stopwords) → TF-IDF →
scikit-learn NMF (seeded, so the same logs give the same topics). The number of
topics is chosen by NPMI coherence unless given. Topics are labelled with
class-based TF-IDF terms; refitting with a previous model keeps the ids of the
topics that persist (matched on their term vectors)."""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from nlp.analysis import log_text, plain_words, stored_words
from nlp.resources import corpora_dir
from nlp.topics.phrases import PhraseTable, subject

MODEL_VERSION = "2"
# a topic whose logs report risks this much more often than all logs do is phrased as a
# problem (…问题), otherwise as a situation (…情况)
PROBLEM_RATIO = 1.25
N_COHERENCE_TERMS = 8
SELECTION_SAMPLE = 5000
_KEEP = re.compile(r"^[\u4e00-\u9fff]{2,}$")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    path = corpora_dir() / "stopwords.txt"
    words: set[str] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(line.split())
    return frozenset(words)


def _segment(text: str) -> list[str]:
    """jieba's words of `text` with HMM off (new-word guessing adds little to topics and
    costs a third of the time): `nlp.analysis.plain_words`."""
    return plain_words(text)


class _Keep(dict):
    """word → whether it is a content word, worked out once per distinct word (a regex
    per token was a second of a 100k-log fit)."""

    def __init__(self, stop: frozenset[str]) -> None:
        super().__init__()
        self.stop = stop

    def __missing__(self, w: str) -> bool:
        keep = self[w] = bool(_KEEP.match(w)) and w not in self.stop
        return keep


@lru_cache(maxsize=1)
def _keep() -> _Keep:
    return _Keep(stopwords())


def content_words(tokens: list[str]) -> list[str]:
    """Chinese words of two or more characters, no stopwords."""
    return list(filter(_keep().__getitem__, tokens))


def tokenize(text: str) -> list[str]:
    """Content words of a log."""
    return content_words(_segment(text))


_log_text = log_text


def _map(fn, texts: list[str], workers: int | None = None) -> list[list[str]]:
    """fn over many texts, in worker processes when there are enough to pay for them."""
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(texts) < 20000 or workers < 2:
        return [fn(t) for t in texts]
    from concurrent.futures import ProcessPoolExecutor

    from ingest.children import end_with_parent

    chunk = max(1000, len(texts) // (workers * 4))
    # run by `gongwen reindex` under the index lock: workers must not outlive a killed parent
    with ProcessPoolExecutor(workers, initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
        return list(pool.map(fn, texts, chunksize=chunk))


def tokenize_all(texts: list[str], workers: int | None = None) -> list[list[str]]:
    return _map(tokenize, texts, workers)


def segment_all(texts: list[str], workers: int | None = None) -> list[list[str]]:
    """Every token of each text, punctuation included (phrases must not cross it)."""
    return _map(_segment, texts, workers)


def log_segments(logs: list[dict], workers: int | None = None) -> list[list[str]]:
    """Every token of each log: the words stored with it (cut when it was stored, under
    today's dictionaries), the others cut here."""
    out = [stored_words(log) for log in logs]
    todo = [i for i, words in enumerate(out) if words is None]
    for i, words in zip(todo, segment_all([log_text(logs[i]) for i in todo], workers)):
        out[i] = words
    return out  # type: ignore[return-value]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def npmi_coherence(top_terms: list[list[int]], binary_docs) -> float:
    """Mean NPMI over pairs of each topic's top terms, from document co-occurrence."""
    n_docs = binary_docs.shape[0]
    df = np.asarray(binary_docs.sum(axis=0)).ravel()
    scores = []
    for terms in top_terms:
        cols = binary_docs[:, terms]
        co = (cols.T @ cols).toarray()
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                pij = co[i, j] / n_docs
                if pij == 0:
                    scores.append(-1.0)
                    continue
                pi, pj = df[terms[i]] / n_docs, df[terms[j]] / n_docs
                pmi = np.log(pij / (pi * pj))
                scores.append(pmi / -np.log(pij) if pij < 1 else 1.0)
    return float(np.mean(scores)) if scores else 0.0


@dataclass
class Topic:
    id: int
    label: str
    terms: list[str]
    size: int = 0
    representative: list[str] = field(default_factory=list)  # log ids
    phrases: list[str] = field(default_factory=list)  # key phrases (collocations), best first
    keywords: str = ""  # the old-style label from single words (平台·骑手·伤害), for people who know it
    coherence: float | None = None  # NPMI of the topic's own top words


class TopicModel:
    """fit / transform / save / load, like a scikit-learn estimator."""

    def __init__(self, n_topics: int | None = None, *, candidates: tuple[int, ...] = (6, 8, 10, 12, 15),
                 max_features: int = 20000, random_state: int = 0, n_terms: int = 10):
        self.n_topics = n_topics
        self.candidates = candidates
        self.max_features = max_features
        self.random_state = random_state
        self.n_terms = n_terms
        self.topics: list[Topic] = []
        self.coherence: float | None = None
        self.coherence_by_k: dict[int, float] = {}

    # ---------- fitting ----------
    def _vectorizer(self, n_docs: int) -> TfidfVectorizer:
        # fed with token lists (tokenized once, maybe in parallel); `transform` tokenizes itself
        return TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True,
                               min_df=2 if n_docs >= 50 else 1, max_df=0.5 if n_docs >= 50 else 1.0,
                               max_features=self.max_features)

    def _fit_vectorizer(self, table: PhraseTable) -> tuple[TfidfVectorizer, object]:
        """`self._vectorizer(n).fit_transform(content_words of each text)`, the same
        vocabulary, idf and matrix, counted with numpy from the phrase table's token
        numbers: sklearn's loop over every word in Python and the lists of content words
        were a third of a 100k-log fit beside NMF (tests/test_topics.py compares both)."""
        from scipy import sparse

        vec = self._vectorizer(table.n_docs)
        if table.stop != stopwords():
            raise ValueError("the phrase table counts content words under other stopwords")
        # the table's content-word counts are `content_words`' (same regex, same stopwords),
        # float64 as sklearn counts them (a conversion would sort the rows, see below)
        words = table.word_counts
        present = np.nonzero(np.bincount(words.indices, minlength=words.shape[1]))[0]
        if not len(present):
            # sklearn says "empty vocabulary; perhaps the documents only contain stop words"
            raise ValueError("这些日志中没有可用来发现话题的词（只有常用虚词、标点或数字），请用内容更具体的日志")
        # CountVectorizer._count_vocab numbers terms as first seen (the table's word
        # numbers are, in the same order) and sorts each row by them; _sort_features then
        # renumbers them as the terms sorted as strings, leaving each row in first-seen
        # order. The same order here: TF-IDF's row norms add up in it, to the last bit.
        terms = sorted(table.words[i] for i in present)
        rank = {t: j for j, t in enumerate(terms)}
        index = np.int32 if words.nnz <= np.iinfo(np.int32).max else np.int64  # as sklearn picks it
        by_string = np.full(len(table.words), -1, dtype=index)
        by_string[present] = np.fromiter((rank[table.words[i]] for i in present), dtype=index, count=len(present))
        counts = sparse.csr_matrix((words.data.astype(vec.dtype, copy=True), by_string[words.indices],
                                    words.indptr.astype(index, copy=True)),
                                   shape=(table.n_docs, len(terms)), dtype=vec.dtype)
        # CountVectorizer._limit_features, step by step (the same ties broken the same way)
        n_doc = counts.shape[0]
        high = vec.max_df if isinstance(vec.max_df, int) else vec.max_df * n_doc
        low = vec.min_df if isinstance(vec.min_df, int) else vec.min_df * n_doc
        dfs = np.bincount(counts.indices, minlength=counts.shape[1])
        mask = (dfs <= high) & (dfs >= low)
        if vec.max_features is not None and mask.sum() > vec.max_features:
            tfs = np.asarray(counts.sum(axis=0)).ravel()
            picked = (-tfs[mask]).argsort()[: vec.max_features]
            most = np.zeros(len(dfs), dtype=bool)
            most[np.where(mask)[0][picked]] = True
            mask = most
        kept = np.where(mask)[0]
        if not len(kept):
            # sklearn says "After pruning, no terms remain. Try a lower min_df or a higher max_df."
            raise ValueError("这些日志的用词不足以发现话题：去掉几乎每条都有和只出现一次的词后，没有剩下的词")
        counts = counts[:, kept]
        vec.vocabulary_ = {terms[j]: np.int64(i) for i, j in enumerate(kept)}
        vec.fixed_vocabulary_ = False
        tfidf = TfidfTransformer(norm=vec.norm, use_idf=vec.use_idf, smooth_idf=vec.smooth_idf,
                                 sublinear_tf=vec.sublinear_tf).fit(counts)
        vec.idf_ = tfidf.idf_
        return vec, tfidf.transform(counts, copy=False)

    def _nmf(self, k: int) -> NMF:
        return NMF(n_components=k, init="nndsvd", random_state=self.random_state, max_iter=400)

    def _top_terms(self, components: np.ndarray) -> list[list[int]]:
        return [list(np.argsort(-row)[: self.n_terms]) for row in components]

    def fit(self, logs: list[dict], previous: TopicModel | None = None) -> TopicModel:
        if len(logs) < 4:
            raise ValueError("至少需要 4 条日志才能发现话题")
        self.n_docs_ = len(logs)
        self.data_hash_ = hashlib.sha256("\n".join(str(log["text"]) for log in logs).encode()).hexdigest()
        self.fitted_at_ = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        segments = log_segments(logs)
        phrase_table = PhraseTable(segments, stopwords())
        self.vectorizer_, X = self._fit_vectorizer(phrase_table)
        room = min(X.shape)  # NMF (nndsvd) finds at most this many topics
        if X.shape[1] < 2:
            raise ValueError(f"这些日志中可用来区分话题的词只有 {X.shape[1]} 个，至少要 2 个才能发现话题；"
                             "请用更多内容不同的日志")
        if self.n_topics and self.n_topics > room:
            raise ValueError(f"话题数 {self.n_topics} 太多：这 {X.shape[0]} 条日志（{X.shape[1]} 个不同的词）"
                             f"最多分出 {room} 个话题")
        if self.n_topics is None and previous is not None and previous.n_topics_ <= room:
            self.n_topics = previous.n_topics_  # a refit keeps the topic count, so ids can persist
        # (a count the logs cannot hold is chosen anew below; ids are still matched to the saved model's)
        ks = [self.n_topics] if self.n_topics else [k for k in self.candidates if k < min(X.shape)] or [2]
        # k is chosen on a fixed sample: coherence needs the shape of the data, not all of it
        rows = np.random.RandomState(self.random_state).permutation(X.shape[0])[:SELECTION_SAMPLE]
        sample = X[np.sort(rows)] if len(ks) > 1 else X
        binary = (sample > 0).astype(np.float64).tocsc()
        best = None
        for k in ks:
            nmf = self._nmf(k)
            W = nmf.fit_transform(sample)
            score = npmi_coherence(self._top_terms(nmf.components_), binary)
            self.coherence_by_k[k] = round(score, 4)
            if best is None or score > best[0]:
                best = (score, k, nmf, W)
        self.coherence, k, self.nmf_, W = best
        if sample is not X:
            self.nmf_ = self._nmf(k)
            W = self.nmf_.fit_transform(X)
        self.n_topics_ = k
        assign = W.argmax(axis=1)
        strength = W.max(axis=1)
        vocab = self.vectorizer_.get_feature_names_out()
        ctfidf = self._class_tfidf(X, assign, k)
        ids = self._stable_ids(previous, vocab) if previous is not None else list(range(k))
        base_risk = max(sum(1 for log in logs if log.get("risks")) / len(logs), 0.05)
        binary_all = (X > 0).astype(np.float64).tocsc()
        self.topics = []
        for t in range(k):
            order = np.argsort(-ctfidf[t])[: self.n_terms]
            terms = [vocab[i] for i in order if ctfidf[t, i] > 0] or [vocab[i] for i in np.argsort(-self.nmf_.components_[t])[: self.n_terms]]
            members = np.where(assign == t)[0]
            rep = members[np.argsort(-strength[members])][:5]
            phrases = phrase_table.key_phrases(members)
            risky = sum(1 for i in members if logs[i].get("risks")) / max(len(members), 1) >= PROBLEM_RATIO * base_risk
            term_idx = [int(i) for i in order[:N_COHERENCE_TERMS] if ctfidf[t, i] > 0]
            self.topics.append(Topic(id=ids[t], label=subject(phrases, terms, risky) or self._label(terms), terms=terms,
                                     size=int(len(members)), representative=[str(logs[i].get("id", i)) for i in rep],
                                     phrases=phrases, keywords=self._label(terms),
                                     coherence=round(npmi_coherence([term_idx], binary_all), 4) if len(term_idx) > 1 else None))
        self.assignments_ = [(str(log.get("id", i)), self.topics[assign[i]].id) for i, log in enumerate(logs)]
        return self

    @staticmethod
    def _class_tfidf(X, assign: np.ndarray, k: int) -> np.ndarray:
        """c-TF-IDF: a topic's logs joined into one class document, terms weighted by how
        specific they are to that class (as in BERTopic)."""
        counts = np.vstack([np.asarray(X[assign == t].sum(axis=0)).ravel() for t in range(k)])
        tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-12)
        avg = counts.sum() / k
        idf = np.log(1 + avg / np.maximum(counts.sum(axis=0), 1e-12))
        return tf * idf

    @staticmethod
    def _label(terms: list[str]) -> str:
        """A short Chinese label: the top terms that do not repeat each other."""
        picked: list[str] = []
        for t in terms:
            if not any(t in p or p in t for p in picked):
                picked.append(t)
            if len(picked) == 3:
                break
        return "·".join(picked)

    def _stable_ids(self, previous: TopicModel, vocab) -> list[int]:
        """Give each new topic the id of the old topic it matches (cosine ≥ 0.3 on shared terms)."""
        old_vocab = {w: i for i, w in enumerate(previous.vectorizer_.get_feature_names_out())}
        new_idx = [i for i, w in enumerate(vocab) if w in old_vocab]
        old_idx = [old_vocab[vocab[i]] for i in new_idx]
        A = self.nmf_.components_[:, new_idx]
        B = previous.nmf_.components_[:, old_idx]
        A = A / np.maximum(np.linalg.norm(A, axis=1, keepdims=True), 1e-12)
        B = B / np.maximum(np.linalg.norm(B, axis=1, keepdims=True), 1e-12)
        sim = A @ B.T
        rows, cols = linear_sum_assignment(-sim)
        old_ids = [t.id for t in previous.topics]
        ids: list[int | None] = [None] * A.shape[0]
        for r, c in zip(rows, cols):
            if sim[r, c] >= 0.3:
                ids[r] = old_ids[c]
        next_id = max(old_ids, default=-1) + 1
        for i, v in enumerate(ids):
            if v is None:
                ids[i], next_id = next_id, next_id + 1
        return ids  # type: ignore[return-value]

    # ---------- use ----------
    def transform(self, texts: list[str]) -> list[tuple[int, float]]:
        """(topic id, weight) for new logs, without refitting."""
        if not texts:
            return []
        return self._assign(tokenize_all(texts))

    def transform_logs(self, logs: list[dict]) -> list[tuple[int, float]]:
        """`transform` of the logs' texts, reading the words stored with a log where they
        are its text's own (no unit name blanked out of it)."""
        if not logs:
            return []
        tokens: list[list[str] | None] = []
        for log in logs:
            words = stored_words(log)
            tokens.append(content_words(words) if words is not None and log_text(log) == str(log["text"]) else None)
        todo = [i for i, t in enumerate(tokens) if t is None]
        for i, t in zip(todo, tokenize_all([logs[i]["text"] for i in todo])):
            tokens[i] = t
        return self._assign(tokens)  # type: ignore[arg-type]

    def _assign(self, tokens: list[list[str]]) -> list[tuple[int, float]]:
        W = self.nmf_.transform(self.vectorizer_.transform(tokens))
        best = W.argmax(axis=1)
        return [(self.topics[b].id, float(W[i, b])) for i, b in enumerate(best)]

    def topic(self, topic_id: int) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    # ---------- persistence ----------
    def save(self, directory: Path) -> None:
        """Save all or nothing, card included. topics.json is the manifest: it names the
        model file it goes with (model-<sha256 prefix>.joblib, a new name per fit). The new
        set is written whole into a copy of the folder, which then takes the folder's place
        in one step (`ingest.savedir.switched_folder`): a full disk, a file that cannot be
        written or a kill leaves the earlier model, its topics.json and its card, and a
        reader sees one set or the other. The earlier model file is left out of the new set
        (that file only: one written by a save running beside this one is kept)."""
        from ingest.savedir import switched_folder

        with switched_folder(directory, last="topics.json") as stage:
            previous = self._model_file(stage)
            tmp = stage / ".model.joblib.tmp"
            joblib.dump({"vectorizer": self.vectorizer_, "nmf": self.nmf_}, tmp)
            digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:16]
            model_file = stage / f"model-{digest}.joblib"
            tmp.replace(model_file)
            meta = {"version": MODEL_VERSION, "model_file": model_file.name, "n_topics": self.n_topics_,
                    "coherence": self.coherence, "n_docs": getattr(self, "n_docs_", None),
                    "data_sha256": getattr(self, "data_hash_", None), "fitted_at": getattr(self, "fitted_at_", None),
                    "coherence_by_k": self.coherence_by_k, "random_state": self.random_state,
                    "topics": [asdict(t) for t in self.topics]}
            (stage / "MODEL_CARD.md").write_text(self.card(meta), encoding="utf-8")
            (stage / "topics.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
            if previous and previous != model_file.name:  # the earlier fit's model, now named by nothing
                (stage / previous).unlink(missing_ok=True)

    @staticmethod
    def _model_file(directory: Path) -> str | None:
        """The model file the saved topics.json goes with (model.joblib before it named one)."""
        try:
            meta = json.loads((directory / "topics.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta.get("model_file", "model.joblib") if isinstance(meta, dict) else None

    @staticmethod
    def card(meta: dict) -> str:
        """The numbers that describe a fitted topic model, for people."""
        lines = ["# Topic model (调研课题发现)", "",
                 f"Fitted {meta.get('fitted_at')} on {meta.get('n_docs')} logs (texts sha256 `{meta.get('data_sha256')}`).",
                 "", "NMF over jieba words (domain dictionary, genre stopwords `corpora/stopwords.txt`), TF-IDF "
                 f"(sublinear), seed {meta['random_state']}; {meta['n_topics']} topics, chosen by NPMI coherence "
                 f"among {sorted(meta.get('coherence_by_k') or {}) or 'a given k'}.",
                 "", f"NPMI coherence: {meta['coherence']:.3f}; by k: {meta.get('coherence_by_k')}", "",
                 "Labels are research-topic subjects built from each topic's key phrases (collocations of "
                 "adjacent jieba words, NPMI ≥ 0.25, frequent in the topic and specific to it); `…问题` when the "
                 "topic's logs report risks 1.25× as often as all logs, `…情况` otherwise.", "",
                 "| id | label | key phrases | top words | logs | NPMI |", "|---|---|---|---|---|---|"]
        lines += [f"| {t['id']} | {t['label']} | {'、'.join(t.get('phrases', [])[:4])} | {'、'.join(t['terms'][:6])} "
                  f"| {t['size']} | {t['coherence'] if t.get('coherence') is not None else ''} |" for t in meta["topics"]]
        lines += ["", "Refit with `gongwen topics fit`; topics that persist keep their ids. "
                  "Purity against the task labels: `python bench/topics.py`.", ""]
        return "\n".join(lines)

    @classmethod
    def load(cls, directory: Path) -> TopicModel:
        directory = Path(directory)
        for attempt in range(3):
            meta = json.loads((directory / "topics.json").read_text(encoding="utf-8"))
            try:
                parts = joblib.load(directory / meta.get("model_file", "model.joblib"))
                break
            except FileNotFoundError:
                if attempt == 2:  # a save swapped in another set between the two reads: read it
                    raise
        model = cls(n_topics=meta["n_topics"], random_state=meta["random_state"])
        model.vectorizer_, model.nmf_ = parts["vectorizer"], parts["nmf"]
        model.n_topics_ = meta["n_topics"]
        model.coherence = meta["coherence"]
        model.n_docs_, model.data_hash_, model.fitted_at_ = meta.get("n_docs"), meta.get("data_sha256"), meta.get("fitted_at")
        model.coherence_by_k = {int(k): v for k, v in meta.get("coherence_by_k", {}).items()}
        model.topics = [Topic(**t) for t in meta["topics"]]
        return model

    @staticmethod
    def exists(directory: Path) -> bool:
        name = TopicModel._model_file(Path(directory))
        return name is not None and (Path(directory) / name).exists()
