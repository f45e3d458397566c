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
counts it, and so does its context (Item.context: the notice's opening words). Both engines rerank the same way with the same inputs, so they stay alike.

For a question or a relaxed query, a learned ranker (index.search.ltr, models/search/) then
orders the window from these covers and more features; the hand order stays what a strict
query gets, what search gives with the ranker off, and the page saying nothing is read from.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ingest.simplified import to_simplified

from . import ltr as _ltr
from . import vectors as _vectors
from .analysis import STOP, components, normalize, query_variants, query_words, synonyms, thesaurus_synonyms
from .questions import ACTORS, INTENTS, MARK, markers, names_slot
from .vectors import _known_inside, composed, held_far, neighbours

# hits of the engine looked at again (the first pages). At 50, the best-graded answer of 8 of
# 272 judged colloquial queries stood at engine places 50-200 (an everyday question shares few
# words with the clause answering it, so any-word BM25 ranks it low) and the learned ranker never
# saw it; at 100 the grouped CV gains on both fold counts, colloquial and questions most (issue 12,
# session 21; corpora/relevance/README.md, twenty-fifth round)
RERANK_N = 100
COVER_WEIGHT = 2.0  # chosen on the real set's training folds (bench/relevance.py --folds); every fold chose it
DOC_PRIOR = -0.1  # added to a whole-document hit (chosen there too)
NEAR_CREDIT = 0.5  # a passage holding a word said alike holds this much of the concept (chosen there too)
# a passage holding a far word-vector neighbour of a word no passage holds (vectors.held_far,
# what the relaxed retry offered: 孩子 → 子女) holds this much of the concept
FAR_CREDIT = 0.5
# ... but not in the cover the silence bar reads: counted there they answer no-answer
# queries (产假多少天, 游泳比赛, 婚假几天: 4 of the older sets' 37 no longer silent)
FAR_SILENT = False
# ... except a compound neither the vectors nor the index hold, stood in for by words alike to
# its characters (vectors.composed: 做操 → 体操): counted there, a page holding the stand-in
# is no page sharing only a common word with the query (做操比赛 was answered with nothing)
COMP_SILENT = True
# A relaxed result (no item holds every word) whose best passage covers less than this
# share of what was asked is no answer: search says so instead of listing passages that
# share one common word with the query (游泳比赛 → 比赛规则). Chosen on the real set's
# training folds, no-answer queries counting there as answered when silent.
SILENT_COVER = 0.3  # 4 of 5 grouped folds chose it (corpora/relevance/README.md, fifth round, second part)
# A page is no noise when one of its passages holds, whole, a query word few passages
# hold (at most this share of the index): the bar above is for pages sharing only a
# common word with the query (游泳比赛 → 比赛规则), and a rare word held is no common one.
# (机关干部 下基层 住点: the right notice comes first, but the two words the index lacks
# weigh most in the cover, which stays under the bar.) 0: the cover alone decides.
# Chosen on the real set's training folds with SILENT_COVER as shipped (0.01 in 4 of 5,
# 0.02 in one; held out no change there: corpora/relevance/README.md, seventh round).
SILENT_RARE = 0.01
# A query word that neither the index nor any word said alike to it that a passage holds
# (vectors.held_far) stands for, and that names a topic rather than an everyday word (past the
# ABSENT_RANK commonest words of the vectors' general text: 献血, 党费, 登山, 夏令营, 温泉, 孕期 —
# not 还是, 知道, 回来), asks about a topic no notice covers: a page holding the other words
# (献血 表彰 奖励 → a notice on 表彰 and 奖励) is another topic. Such a page is no answer unless its
# best passage covers ABSENT_COVER of the query or holds, whole, a query word at most ABSENT_RARE
# of the index holds. Chosen on the seven older judged sets (real … fresh5), leaving one set out
# (corpora/relevance/README.md, thirteenth round). ABSENT_COVER 0: off.
ABSENT_COVER = 0.6
ABSENT_RARE = 0.002
ABSENT_RANK = 3000
# ... but not for a question (questions.parse_question): a question asks about a detail of a topic
# its other words name, and the detail is typed in everyday words the notices print otherwise
# (中途能回家吗 / 会议期间不得擅自离开, 能给外人看吗 / 泄露给无关人员, 几局定输赢, 要贴照片吗 /
# 人证): the rule silenced such pages whose first hit answered (fresh4, fresh6, fresh8: four
# queries on four notices), and no no-answer query of the nine judged sets needed it (those it
# silences name a topic: 献血 表彰 奖励, 党费 缴纳 标准). False: a question is no exception.
ABSENT_QUESTIONS = False
# A compound the vectors lack (欢送会, 防暑降温) names a topic through the longest words inside
# it they hold (欢送, 防暑 … past ABSENT_RANK) when the index holds none of those either; before,
# such a word was never taken for a topic (退休教职工 欢送会 → a notice on 退休教职工). And a far
# neighbour of a word the vectors hold counts as the topic said alike only when it shares a
# character with it (孩子 → 子女, 独生子女 → 子女, 健身房 → 健身): one that only stands where the
# word stands (露营 → 户外) is another topic (vectors.FAR_SHARE_SIM says the same of search's far
# neighbours). Those a compound the vectors lack borrows through a word inside it all count
# (出车祸 → 车祸 → 事故: a colloquial query answered). No answered query of the judged sets
# changes (corpora/relevance/README.md, fifteenth round).
ABSENT_INSIDE = True
ABSENT_FAR_SHARE = True
# a passage is read with its context too (base.Item.context: the notice's opening words
# beside its title and the headings above): a clause of a notice with no title line
# holds what the notice is about (chosen on the training folds)
COVER_CONTEXT = True
# a question's passage whose heading names the slot asked (questions.SLOTS: 一、申报时间 for
# 什么时候, 二、地点 for 在哪里) gains this share of its cover on top: the answer under such a
# heading holds few of the question's words (0: off)
SLOT_WEIGHT = 0.5
# the same for a count asked in a unit (写多少字: a passage stating 3000字; questions.asked_slots)
UNIT_WEIGHT = 0.5
# the same for a section whose text names who receives or decides, when a question asks it
# (questions.ACTORS: 报名表交给谁 → …交X处, 由谁审核 → 由校工会审核); a document item gains nothing (0: off).
# Off: chosen 0.5 on the older sets' 16 such questions (six up, none down, +0.001 over the nine
# sets), it did not transfer: fresh8 three up, three down; fresh9, written after it shipped and
# unseen, one up and four down (由谁担任, 设在哪个部门, 由哪个部门确定, 由谁来采集: a section naming
# another actor climbs above the answer), tantivy 0.773 -> 0.770, questions 0.868 -> 0.852
ACTOR_WEIGHT = 0.0
# the same for who may take part, what to hand in, how to apply (questions.INTENTS). Off: on
# the older judged sets few questions name the act without its heading word, and weights
# 0.5 / 1.0 moved their gain 0.7548 -> 0.7547 / 0.7543; every set left out chose 0
# (corpora/relevance/README.md, tenth round). 0: off
INTENT_WEIGHT = 0.0
# A question asks for one passage: a long notice's document item (every word somewhere in
# its pages: the cx rules, the seeds) ranks below its sections by this much more. Off: -0.2 /
# -0.4 moved the older sets' gain 0.7548 -> 0.7548 / 0.7550, and left out set by set the
# choice lost (0.7548 -> 0.7540; tenth round). 0: off
QUESTION_DOC_PRIOR = 0.0
DOC_LONG = 1000  # characters: a document this long has sections that answer on their own
# A question's leftover characters glued into one name (concepts_of: a run of single
# characters, meant for 网约, 返厦) once its asking words are read off (在哪个厅比 → 厅比, 还收吗 →
# 7点还收, 能出几支队 → 出队) name nothing: when no passage looked at again holds the run, it is
# left out of the cover, where, held by none, it weighed most (the largest idf) and shrank the
# share of the words a passage holds. Questions only: typed as words (工代会, 返厦) a run counts as
# typed (left out there too, fresh2 lost 0.005). Older nine judged sets +0.0017 / +0.0017,
# 12 queries up, 7 down (corpora/relevance/README.md, sixteenth round). False: counted.
RUNS_UNHELD = True
RERANK_ONE = False  # a one-concept query is looked at again too (worth; chosen on the training folds)
# A notice's document item holds every word of the notice, so it outranks the section that
# answers: with DOC_BELOW, a document item ranked above one of its own sections that covers the
# query as much as it does (the section read with its context: the notice's title and opening
# words; "own": its heading path, heading and text only) is placed right after that section
# (corpora/relevance/README.md, session 31). False: off.
DOC_BELOW: bool | str = False
# A question asking a kind of value (questions.parse_question: an amount, a count, a date, a
# duration, a frequency, a share; or a count in a unit, 跑几圈) is answered by the clause stating
# one: with SLOT_CHOOSER, when a notice's first passage in the top SLOT_TOP states none (its
# document item, or a section without such a value: questions.markers of its heading and text
# and of the duties the checklist read in it), the best-placed section of the same notice within
# SLOT_WINDOW that states one, and holds a word of the query in its own path, heading or text,
# is moved up just above it. True: every notice in the top SLOT_TOP; "first": the top notice
# only; "best": of the notice's sections stating a value asked, the one holding most of the
# query itself, and only when that is at least SLOT_MIN_COVER of it (corpora/relevance/README.md,
# session 32). False: off.
SLOT_CHOOSER: bool | str = False
SLOT_MIN_COVER = 0.5
SLOT_TOP = 10
SLOT_WINDOW = 30


@dataclass(frozen=True)
class Concept:
    word: str
    alts: tuple[str, ...]  # any of these in the passage: the concept is held
    parts: tuple[str, ...] = ()  # all of these in the passage: held too
    near: tuple[str, ...] = ()  # words said alike (thesaurus, word vectors): held in part (NEAR_CREDIT)
    # a hand-list synonym search matches word by word (外卖骑手 in 外卖平台的骑手, 拖欠工资
    # in 拖欠职工工资): all words of one of these held as the member whole is
    alt_parts: tuple[tuple[str, ...], ...] = ()
    run: bool = False  # single characters in a row taken for one name (网约, 返厦; 厅比 in 在哪个厅比)


# A year in either numeral (2023年, 二〇二三年): search finds both (analysis.query_variants)
_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?=年)|[〇零一二三四五六七八九]{4}(?=年)")


def concepts_of(text: str) -> list[Concept]:
    """The concepts of one run of bare query words (a Word node's text)."""
    out: list[Concept] = []
    for piece, group in synonyms().split(normalize(text)):
        if group:
            members = tuple(dict.fromkeys(v for g in group for v in _spellings(to_simplified(g))))
            split = tuple(dict.fromkeys(ws for g in group if (ws := _words_of(g)) and normalize(g) != piece))
            out.append(Concept(piece, members, _words_of(piece) or (), alt_parts=split))
            continue
        for m in _YEAR.finditer(piece):
            out.append(Concept(m.group(), tuple(v.removesuffix("年") for v in query_variants(m.group() + "年"))))
        piece = _YEAR.sub(" ", piece)
        run = ""  # single characters in a row are one name (网约, 经审)
        for w in list(query_words(piece)) + [""]:
            if len(w) == 1 and w not in STOP and w.isalnum():
                run += w
                continue
            if len(run) > 1:
                out.append(Concept(run, _spellings(to_simplified(run)), run=True))
            run = ""
            if len(w) > 1 and w not in STOP:
                s = to_simplified(w)
                near = tuple(n for n in dict.fromkeys(thesaurus_synonyms(s) + neighbours(s)) if s not in n)
                out.append(Concept(s, _spellings(s), components(w) or (), near))
    return out


def phrase_concept(text: str) -> Concept | None:
    """A quoted phrase: its characters together, in any form search finds them in
    (simplified or traditional, a year in either numeral)."""
    forms = query_variants(text)
    t = to_simplified(normalize(text)).strip()
    if not t:
        return None
    return Concept(t, tuple(dict.fromkeys(sp for v in forms for sp in _spellings(to_simplified(v.strip())) if sp)))


@lru_cache(maxsize=4096)
def _words_of(member: str) -> tuple[str, ...] | None:
    """The words a synonym member is matched by when they stand apart: its words, or a
    compound's parts (None: one word with no parts)."""
    ws = tuple(w for w in query_words(to_simplified(member)) if w not in STOP)
    if len(ws) == 1:
        return components(ws[0])
    # a lone character anywhere in a passage says nothing (讨 … 薪): such a member counts whole only
    return ws if ws and all(len(w) > 1 for w in ws) else None


@lru_cache(maxsize=4096)
def _forms(alts: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for a concept's forms: a window of 100 passages times five fields tested form by
    form in Python cost as much as the engine's search (issue 12)."""
    return re.compile("|".join(map(re.escape, alts))) if alts else None


def _whole(c: Concept, text: str) -> bool:
    """Whether `text` holds the concept whole: a form of it, all its parts, or all words of a synonym."""
    forms = _forms(c.alts)
    return (forms is not None and forms.search(text) is not None) or bool(c.parts and all(p in text for p in c.parts)) \
        or any(all(p in text for p in ps) for ps in c.alt_parts)


def _whole_test(c: Concept, near_credit: float) -> Callable[[str], object]:
    """text → truthy when it holds `c` whole (_whole), or a word said alike to it where that
    counts whole (`near_credit` 1 or more): one pattern search for a concept of forms only."""
    forms = _forms(c.alts)
    if not c.parts and not c.alt_parts and near_credit < 1.0:
        return forms.search if forms is not None else (lambda text: False)
    return lambda text: _whole(c, text) or (near_credit >= 1.0 and any(n in text for n in c.near))


def _held(c: Concept, text: str, far: tuple[str, ...] = ()) -> float:
    if _whole(c, text):
        return 1.0
    if NEAR_CREDIT and any(n in text for n in c.near):
        return NEAR_CREDIT
    if FAR_CREDIT and any(n in text for n in far):
        return FAR_CREDIT
    return 0.0


def _far(concepts: list[Concept], doc_freq: Callable[[str], int], composed_only: bool = False) -> list[tuple[str, ...]]:
    """Per concept, the far neighbours search offered for it: none unless no passage
    holds the word (vectors.held_far); `composed_only`: only those found by its characters
    (vectors.composed)."""
    if not FAR_CREDIT:
        return [() for _ in concepts]
    out = []
    for c in concepts:
        if len(c.alts) > 2 or c.alt_parts or doc_freq(c.word):
            out.append(())
        elif composed_only:  # what held_far offers for a word the vectors lack, inside words too
            out.append(() if _known_inside(c.word) else tuple(w for w in composed(c.word) if doc_freq(w))[:_vectors.FAR_KEEP])
        else:
            out.append(held_far(c.word, doc_freq))
    return out


def _held_some(c: Concept, text: str, weight: Callable[[str], float], far: tuple[str, ...] = ()) -> float:
    """Like _held, and a compound whose parts are not all there holds the idf-weighted
    share of the parts present, as a word said alike (年终总结: 总结 alone)."""
    h = _held(c, text, far)
    if h or not c.parts or not NEAR_CREDIT:
        return h
    ws = [weight(p) for p in c.parts]
    return NEAR_CREDIT * sum(w for p, w in zip(c.parts, ws) if p in text) / (sum(ws) or 1.0)


def _idf(word: str, doc_freq: Callable[[str], int], n_items: int) -> float:
    """A concept's weight in every cover: its idf over the index's items."""
    return math.log(1 + n_items / (1 + doc_freq(word)))


def passage_cover(concepts: list[Concept], doc_freq: Callable[[str], int],
                  n_items: int) -> Callable[[dict], float] | None:
    """stored fields → the idf-weighted share of `concepts` a passage holds whole or as a
    word said alike (the rerank's cover without far neighbours or slots); None with no concepts."""
    if not concepts:
        return None
    weights = [_idf(c.word, doc_freq, n_items) for c in concepts]
    total = sum(weights) or 1.0

    def held(d: dict) -> float:
        text = _passage(d)
        return round(sum(w * _held(c, text) for c, w in zip(concepts, weights)) / total, 6)
    return held


def best_cover(docs: list[dict], concepts: list[Concept], doc_freq: Callable[[str], int], n_items: int) -> float:
    """The largest idf-weighted share of the query's concepts one of these passages holds
    (a word said alike or some parts of a compound counting in part): how much of the
    question the best of them answers."""
    if not concepts or not docs:
        return 0.0

    def idf(w: str) -> float:
        return _idf(w, doc_freq, n_items)

    weights = [idf(c.word) for c in concepts]
    total = sum(weights) or 1.0
    fars = _far(concepts, doc_freq) if FAR_SILENT else \
        _far(concepts, doc_freq, composed_only=True) if COMP_SILENT else [() for _ in concepts]
    best = 0.0
    for d in docs:
        text = _passage(d)
        best = max(best, sum(w * _held_some(c, text, idf, f) for c, w, f in zip(concepts, weights, fars)) / total)
        if best >= 1.0:
            break
    return best


def silence_cover(docs: list[dict], concepts: list[Concept], doc_freq: Callable[[str], int], n_items: int,
                  question: bool = False) -> float:
    """What SILENT_COVER is compared with: the best cover (best_cover), or 1.0 when the
    query has several concepts and a passage holds, whole, one that at most SILENT_RARE
    of the index holds; 0.0 when a word names a topic no passage holds (ABSENT_*; a
    `question` only with ABSENT_QUESTIONS)."""
    cover = best_cover(docs, concepts, doc_freq, n_items)
    if cover >= 1.0 or len(concepts) < 2 or not SILENT_RARE:
        return cover
    if ABSENT_COVER and cover < ABSENT_COVER and (ABSENT_QUESTIONS or not question) \
            and _absent_topic(docs, concepts, doc_freq) \
            and not any(0 < doc_freq(c.word) <= ABSENT_RARE * n_items and _held(c, _passage(d)) >= 1.0
                        for d in docs for c in concepts):
        return 0.0  # another topic: nothing of what was asked
    rare = [c for c in concepts if 0 < doc_freq(c.word) <= SILENT_RARE * n_items]
    if rare and any(_held(c, _passage(d)) >= 1.0 for d in docs for c in rare):
        return 1.0
    return cover


def _absent_topic(docs: list[dict], concepts: list[Concept], doc_freq: Callable[[str], int]) -> bool:
    """Whether a query word naming a topic (ABSENT_RANK) is held by no passage of the index and
    by none of these, not even as a word said alike (its far neighbours: vectors.held_far)."""
    texts = None
    for c, f in zip(concepts, _far(concepts, doc_freq)):
        topic = _topic_words(c, doc_freq)
        if not topic:
            continue
        if ABSENT_FAR_SHARE and topic == (c.word,):  # not those borrowed through a word inside (出车祸 → 事故)
            f = tuple(w for w in f if set(w) & set(c.word))
        texts = texts if texts is not None else [_passage(d) for d in docs]
        if not any(_held_some(c, t, lambda w: 1.0, f) or any(w in t for w in topic) for t in texts):
            return True
    return False


def _topic_words(c: Concept, doc_freq: Callable[[str], int]) -> tuple[str, ...]:
    """The words by which a concept no passage of the index holds names a topic: the word
    itself past the ABSENT_RANK commonest; for a word the vectors lack (ABSENT_INSIDE), the
    longest words inside it they hold, when the index holds none of them, past the same bar."""
    if doc_freq(c.word):
        return ()
    r = _vectors.rank(c.word)
    if r is not None:
        return (c.word,) if r >= ABSENT_RANK else ()
    inside = _known_inside(c.word) if ABSENT_INSIDE else ()
    if not inside or any(doc_freq(w) for w in inside):
        return ()
    return tuple(w for w in inside if (_vectors.rank(w) or 0) >= ABSENT_RANK)


FIELDS = ("title", "path", "heading", "text", "context")


def _passage(d: dict) -> str:
    # not converted to simplified characters (OpenCC in Python costs more than the whole
    # search): the concepts carry their traditional spelling instead (_spellings)
    return normalize("\n".join(d.get(k) or "" for k in (FIELDS if COVER_CONTEXT else FIELDS[:4])))


def _fields(d: dict) -> tuple[list[str], str]:
    """A passage's FIELDS normalized, and the text the cover reads (_passage): normalize keeps
    every character's place, so the joined fields are the normalized join, read once for both."""
    fields = [normalize(d.get(k) or "") for k in FIELDS]
    return fields, "\n".join(fields if COVER_CONTEXT else fields[:4])


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


def _slot_gain(d: dict, slots: tuple[str, ...]) -> float:
    """What a passage naming one of the slots asked gains on its cover: the largest weight
    among the slots it names (0: none)."""
    path = f"{d.get('path') or ''} > {d.get('heading') or ''}"
    text = f"{d.get('heading') or ''}\n{d.get('text') or ''}"
    best = 0.0
    for k in slots:
        if k in ACTORS:
            w = ACTOR_WEIGHT if d.get("kind") != "document" else 0.0
        else:
            w = UNIT_WEIGHT if k.startswith("unit:") else INTENT_WEIGHT if k in INTENTS else SLOT_WEIGHT
        if w > best and names_slot(path, (k,), text):
            best = w
    return best


def rerank(rows: list[tuple[float, str, dict]], concepts: list[Concept],
           doc_freq: Callable[[str], int], n_items: int, slots: tuple[str, ...] = (),
           question: bool = False, relaxed: bool = False, hand: list | None = None,
           kinds: tuple[str, ...] = ()) -> list[tuple[float, str, dict]]:
    """(score, id, stored fields) best first → the same rows, reordered and rescored.
    Nothing worth weighing (worth), or fewer than two rows: unchanged. With a learned
    ranker (ltr.model), its score orders them, and `hand` (a list) receives the rows as the
    hand formula orders them; `relaxed`: no item held every word typed."""
    if not worth(concepts) or len(rows) < 2 or (COVER_WEIGHT == 0 and DOC_PRIOR == 0):
        return rows
    if question and RUNS_UNHELD and any(c.run for c in concepts):
        texts = [_passage(d) for _, _, d in rows]
        kept = [c for c in concepts if not c.run or any(_held(c, t) for t in texts)]
        concepts = kept or concepts
    weights = [_idf(c.word, doc_freq, n_items) for c in concepts]
    total = sum(weights) or 1.0
    fars = _far(concepts, doc_freq)
    top = max(r[0] for r in rows) or 1.0
    out, covers, gains, helds, read = [], [], [], [], []
    for score, rid, d in rows:
        fields, text = _fields(d)
        read.append(fields)
        held = [_held(c, text, f) for c, f in zip(concepts, fars)]
        cover = sum(w * h for w, h in zip(weights, held)) / total
        gain = _slot_gain(d, slots) if slots and cover else 0.0
        cover *= 1.0 + gain
        prior = 0.0
        if d.get("kind") == "document":
            prior = DOC_PRIOR + (QUESTION_DOC_PRIOR if question and len(d.get("text") or "") > DOC_LONG else 0.0)
        new = score / top + COVER_WEIGHT * cover + prior
        out.append((round(new, 6), rid, d))
        covers.append(cover)
        gains.append(gain)
        helds.append(held)
    fields_of = {rid: f for (_, rid, _), f in zip(rows, read)}

    def own(rid: str) -> float:
        text = "\n".join(fields_of[rid][1:4])  # path, heading, text (FIELDS)
        return sum(w * _held(c, text, f) for w, c, f in zip(weights, concepts, fars)) / total
    ranker = _ltr.model() if _ltr.applies(question, relaxed) else None
    if ranker is not None or _ltr.capture is not None:
        x = _ltr.features(rows, concepts, weights, helds, covers, [r[0] for r in out], gains, question, relaxed, read)
        if _ltr.capture is not None:
            _ltr.capture(rows, x)
        if ranker is not None:
            if hand is not None:
                hand[:] = sorted(out, key=lambda r: (-r[0], r[1]))
            learned = ranker.score(x)
            low = float(learned.min())  # shown scores stay positive, above the 0 of sibling fillers
            out = [(round(float(s) - low + 0.01, 6), rid, d) for s, (_, rid, d) in zip(learned, out)]
    out.sort(key=lambda r: (-r[0], r[1]))
    if DOC_BELOW:
        cov = {rid: c for (_, rid, _), c in zip(rows, covers)}
        if DOC_BELOW == "own":
            out = doc_below(out, cov, own)
        else:
            out = doc_below(out, cov)
    units = tuple(k for k in slots if k.startswith("unit:"))
    if SLOT_CHOOSER and question and (kinds or units):
        out = slot_chooser(out, kinds, units, own, first_only=SLOT_CHOOSER == "first",
                           best=SLOT_MIN_COVER if SLOT_CHOOSER == "best" else None)
    return out


def states_asked(d: dict, kinds: tuple[str, ...], units: tuple[str, ...]) -> bool:
    """Whether a section states a value of a kind asked (questions.markers of its heading and
    text and of the checklist's duties read in it) or a number in a unit asked; a document
    item never does (every value of the notice is somewhere in it)."""
    if d.get("kind") != "section":
        return False
    text = f"{d.get('heading') or ''}\n{d.get('text') or ''}"
    if units and names_slot("", units, text):
        return True
    if not kinds:
        return False
    duties = (d.get("extras") or {}).get("duties") or ()
    found = set(_markers(text, duties))
    return any(MARK.get(k) in found for k in kinds)


def _markers(text: str, duties) -> list[str]:
    if not duties:
        return _text_markers(text)
    return markers(text, duties)


@lru_cache(maxsize=8192)
def _text_markers(text: str) -> list[str]:
    return markers(text)


def slot_chooser(out: list[tuple[float, str, dict]], kinds: tuple[str, ...], units: tuple[str, ...],
                 own_cover: Callable[[str], float], first_only: bool = False,
                 best: float | None = None) -> list[tuple[float, str, dict]]:
    """`out` (best first) with, for each notice in the top SLOT_TOP (the first only with
    `first_only`) whose first passage there states no value asked (states_asked), its
    best-placed section within SLOT_WINDOW that states one and holds a word of the query
    itself (own_cover > 0) moved up just above that first passage; scored between it and the
    row above. With `best`: the section holding most of the query itself (ties by place), and
    only when that share is at least `best`."""
    res = list(out)
    seen: set = set()
    i = 0
    while i < min(SLOT_TOP, len(res)):
        s, rid, d = res[i]
        doc = d.get("doc_id")
        if not doc or doc in seen:
            i += 1
            continue
        seen.add(doc)
        if not states_asked(d, kinds, units):
            pick, pick_cover = None, 0.0
            for j in range(i + 1, min(SLOT_WINDOW, len(res))):
                sj, jid, dj = res[j]
                if dj.get("doc_id") != doc or not states_asked(dj, kinds, units):
                    continue
                c = own_cover(jid)
                if best is None:
                    if c > 0:
                        pick = j
                        break
                elif c >= best and c > pick_cover + 1e-9:
                    pick, pick_cover = j, c
            if pick is not None:
                above = res[i - 1][0] if i > 0 else s + 0.002
                _, jid, dj = res.pop(pick)
                res.insert(i, (round((s + above) / 2, 6), jid, dj))
        if first_only:
            break
        i += 1
    return res


def doc_below(out: list[tuple[float, str, dict]], cover: dict[str, float],
              section_cover: Callable[[str], float] | None = None) -> list[tuple[float, str, dict]]:
    """`out` (best first) with each document item that ranks above one of its own sections
    covering the query at least as much (`cover`, by row id; a section's by `section_cover`
    when given) moved right after the first such section; its score set between that
    section's and the next row's."""
    res = list(out)
    for row in [r for r in out if r[2].get("kind") == "document"]:
        i = res.index(row)
        doc, c = row[2].get("doc_id"), cover.get(row[1], 0.0)
        for j in range(i + 1, len(res)):
            s, sid, d = res[j]
            if d.get("kind") == "section" and doc and d.get("doc_id") == doc \
                    and (section_cover(sid) if section_cover else cover.get(sid, 0.0)) >= c - 1e-9:
                below = res[j + 1][0] if j + 1 < len(res) else s - 0.002
                res.pop(i)
                res.insert(j, (round((s + below) / 2, 6), row[1], row[2]))
                break
    return res
