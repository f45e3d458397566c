"""Second look at the top of a relevance-sorted result: passages holding more of what
was asked rise.

BM25 adds up what each query word scores in each field, so a short passage holding
one common query word in its heading (二、代表名额) outscores a clause holding four of
the five words of a question (运动员能否代表两个单位参赛), and in a relaxed query (any
of the words) a passage repeating one word beats one holding them all. Here the top
RERANK_N hits of the engine are scored again: the engine's score (scaled to the best
of the window) plus COVER_WEIGHT × the share of the query's concepts the passage
holds, each concept weighted by its rarity in the index (idf). A concept is a query
word with the forms that count as it: its hand-list synonyms, its parts (拖欠工资:
拖欠 … 工资), its traditional spelling. A section is read with its notice's title and
heading path, so a clause whose notice names the subject (钓鱼比赛 › 三、报名方式)
counts it. Both engines rerank the same way with the same inputs, so they stay alike.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from nlp.simplified import to_simplified

from .analysis import STOP, components, normalize, query_words, synonyms, thesaurus_synonyms
from .vectors import neighbours

RERANK_N = 50  # hits of the engine looked at again (the first pages)
COVER_WEIGHT = 2.0  # chosen on the real set's training folds (bench/relevance.py --folds); every fold chose it
DOC_PRIOR = -0.1  # added to a whole-document hit (chosen there too)
NEAR_CREDIT = 0.5  # a passage holding a word said alike holds this much of the concept (chosen there too)
# A relaxed result (no item holds every word) whose best passage covers less than this
# share of what was asked is no answer: search says so instead of listing passages that
# share one common word with the query (游泳比赛 → 比赛规则). Chosen on the real set's
# training folds, no-answer queries counting there as answered when silent.
SILENT_COVER = 0.0  # 0.3 measured (README, fourth round); off until the tests of loose matches are revisited
RERANK_ONE = False  # a one-concept query is looked at again too (worth; chosen on the training folds)


@dataclass(frozen=True)
class Concept:
    word: str
    alts: tuple[str, ...]  # any of these in the passage: the concept is held
    parts: tuple[str, ...] = ()  # all of these in the passage: held too
    near: tuple[str, ...] = ()  # words said alike (thesaurus, word vectors): held in part (NEAR_CREDIT)


def concepts_of(text: str) -> list[Concept]:
    """The concepts of one run of bare query words (a Word node's text)."""
    out: list[Concept] = []
    for piece, group in synonyms().split(normalize(text)):
        if group:
            from . import query

            if query.SYN_OTHER < 1.0:  # the other members of the hand list's group count as words said alike
                own = _spellings(to_simplified(piece))
                others = tuple(dict.fromkeys(v for g in group for v in _spellings(to_simplified(g)) if v not in own))
                out.append(Concept(piece, own, near=others))
            else:
                out.append(Concept(piece, tuple(dict.fromkeys(v for g in group for v in _spellings(to_simplified(g))))))
            continue
        run = ""  # single characters in a row are one name (网约, 经审)
        for w in list(query_words(piece)) + [""]:
            if len(w) == 1 and w not in STOP and w.isalnum():
                run += w
                continue
            if len(run) > 1:
                out.append(Concept(run, _spellings(to_simplified(run))))
            run = ""
            if len(w) > 1 and w not in STOP:
                s = to_simplified(w)
                near = tuple(n for n in dict.fromkeys(thesaurus_synonyms(s) + neighbours(s)) if s not in n)
                out.append(Concept(s, _spellings(s), components(w) or (), near))
    return out


def _held(c: Concept, text: str) -> float:
    if any(a in text for a in c.alts) or (c.parts and all(p in text for p in c.parts)):
        return 1.0
    return NEAR_CREDIT if NEAR_CREDIT and any(n in text for n in c.near) else 0.0


def _held_some(c: Concept, text: str, weight: Callable[[str], float]) -> float:
    """Like _held, and a compound whose parts are not all there holds the idf-weighted
    share of the parts present, as a word said alike (年终总结: 总结 alone)."""
    h = _held(c, text)
    if h or not c.parts or not NEAR_CREDIT:
        return h
    ws = [weight(p) for p in c.parts]
    return NEAR_CREDIT * sum(w for p, w in zip(c.parts, ws) if p in text) / (sum(ws) or 1.0)


def best_cover(docs: list[dict], concepts: list[Concept], doc_freq: Callable[[str], int], n_items: int) -> float:
    """The largest idf-weighted share of the query's concepts one of these passages holds
    (a word said alike or some parts of a compound counting in part): how much of the
    question the best of them answers."""
    if not concepts or not docs:
        return 0.0

    def idf(w: str) -> float:
        return math.log(1 + n_items / (1 + doc_freq(w)))

    weights = [idf(c.word) for c in concepts]
    total = sum(weights) or 1.0
    best = 0.0
    for d in docs:
        text = _passage(d)
        best = max(best, sum(w * _held_some(c, text, idf) for c, w in zip(concepts, weights)) / total)
        if best >= 1.0:
            break
    return best


def _passage(d: dict) -> str:
    # not converted to simplified characters (OpenCC in Python costs more than the whole
    # search): the concepts carry their traditional spelling instead (_spellings)
    return normalize("\n".join(d.get(k) or "" for k in ("title", "path", "heading", "text")))


@lru_cache(maxsize=4096)
def _spellings(word: str) -> tuple[str, ...]:
    """`word` in simplified and in traditional characters (a notice of a Hong Kong or
    Taiwan-style issuer prints 慰問 for 慰问)."""
    from opencc import OpenCC

    global _s2t
    if _s2t is None:
        _s2t = OpenCC("s2t")
    return tuple(dict.fromkeys((word, _s2t.convert(word))))


_s2t = None


def active() -> bool:
    return COVER_WEIGHT != 0 or DOC_PRIOR != 0


def worth(concepts: list[Concept]) -> bool:
    """Whether a second look can reorder anything: two concepts or more, or (RERANK_ONE)
    one that a passage may hold in part only (a compound's parts, words said alike):
    a one-word query's hits matched through a synonym or an abbreviation's expansion
    then rank below those holding the word typed."""
    if len(concepts) > 1:
        return True
    return RERANK_ONE and len(concepts) == 1 and bool(concepts[0].parts or concepts[0].near
                                                      or len(concepts[0].alts) > 2)


def rerank(rows: list[tuple[float, str, dict]], concepts: list[Concept],
           doc_freq: Callable[[str], int], n_items: int) -> list[tuple[float, str, dict]]:
    """(score, id, stored fields) best first → the same rows, reordered and rescored.
    Nothing worth weighing (worth), or fewer than two rows: unchanged."""
    if not worth(concepts) or len(rows) < 2 or (COVER_WEIGHT == 0 and DOC_PRIOR == 0):
        return rows
    weights = [math.log(1 + n_items / (1 + doc_freq(c.word))) for c in concepts]
    total = sum(weights) or 1.0
    top = max(r[0] for r in rows) or 1.0
    out = []
    for score, rid, d in rows:
        text = _passage(d)
        cover = sum(w * _held(c, text) for c, w in zip(concepts, weights)) / total
        new = score / top + COVER_WEIGHT * cover + (DOC_PRIOR if d.get("kind") == "document" else 0.0)
        out.append((round(new, 6), rid, d))
    out.sort(key=lambda r: (-r[0], r[1]))
    return out
