"""Our query language, parsed once into an AST and planned into engine-neutral
nodes that each engine translates.

    蹲点 工作组            bare words: segmented, every word must match (AND)
    "劳动竞赛"             exact phrase (consecutive words)
    A OR B, A 或 B         either;   A AND B, A 与 B  both (the default)
    NOT A, 非 A, -A        exclude;  ( … )  grouping (also full-width （ ）)
    issuer:九江市总工会   year:2023   year:2021..2023   type:通知   tag:…   risk:…
    region:…  doc_number:…  kind:section   date:2022-01-01..2022-12-31   title:…  heading:…

Bare words are expanded with the synonym groups of corpora/synonyms.txt.
Malformed input raises `QuerySyntaxError` with a Chinese message saying what and where.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from typing import Any, Union

from ingest.errors import GongwenError

from .analysis import (
    ABBR_MAX_LEN,
    CN_YEAR_WORD,
    STOP,
    abbreviation_candidates,
    components,
    containing_words,
    is_dict_word,
    mined_names,
    mined_synonyms,
    normalize,
    phrase_paths,
    query_variants,
    query_words,
    synonyms,
    thesaurus_synonyms,
)
from .questions import FILLERS, MARK, asked_slots, parse_question
from .vectors import far_words, held_far


class QuerySyntaxError(GongwenError):
    """A search query the parser cannot read; `position` is 1-based (characters)."""

    code = "bad_query"
    http_status = 400

    def __init__(self, message: str, *, position: int | None = None, query: str | None = None):
        self.position = position
        self.query = query
        super().__init__(f"查询语法错误：{message}")


# ------------------------------------------------------------------ fields
FIELD_ALIASES = {
    "issuer": "issuer", "发文机关": "issuer", "机关": "issuer", "单位": "issuer",
    "year": "year", "年份": "year", "年度": "year",
    "type": "doc_type", "doc_type": "doc_type", "文种": "doc_type", "类型": "doc_type",
    "tag": "tags", "tags": "tags", "标签": "tags",
    "risk": "risks", "risks": "risks", "风险": "risks",
    "region": "region", "地区": "region", "地域": "region",
    "doc_number": "doc_number", "docno": "doc_number", "number": "doc_number", "文号": "doc_number",
    "kind": "kind", "类别": "kind",
    "date": "date", "日期": "date",
    "doc": "doc_id", "doc_id": "doc_id",
    "id": "id",
    "title": "title", "标题": "title",
    "heading": "heading", "小标题": "heading",
}
FIELD_NAMES = ("issuer", "year", "type", "tag", "risk", "region", "doc_number", "kind", "date", "title", "heading", "doc_id")
KIND_ALIASES = {
    "document": "document", "doc": "document", "文件": "document", "文档": "document", "公文": "document",
    "section": "section", "章节": "section", "条款": "section", "段落": "section",
    "obligation": "obligation", "task": "obligation", "任务": "obligation", "清单": "obligation", "责任": "obligation",
    "log": "log", "日志": "log", "蹲点日志": "log",
}
KEYWORD_FIELDS = ("issuer", "doc_type", "tags", "risks", "region", "doc_number", "kind", "doc_id", "id")
# Fields matched exactly OR as a phrase inside their analysed copy (partial names work).
PHRASE_FALLBACK = {"issuer": "issuer_t", "doc_number": "doc_number_t", "region": "meta"}
# A section carries its notice's title (and its heading path in the context field): at 3.0 /
# 2.0 every clause of a notice whose title shares a query word outranked the one clause, or the
# section-less notice, holding the words asked. Lowered in grouped cross-validation (issue 12,
# session 19; corpora/relevance/README.md): page set +0.024 / +0.022, the 913 judged queries level.
TEXT_FIELDS = {"title": 1.5, "heading": 1.0, "text": 1.0, "meta": 1.0}
# the context field (Item.context: a passage's notice title, headings above it, the
# notice's opening words), this far below the text; 0: not searched
CONTEXT_BOOST = 0.25


def field_boosts() -> dict[str, float]:
    """The text fields a word is searched in, with their weights."""
    return {**TEXT_FIELDS, "context": CONTEXT_BOOST} if CONTEXT_BOOST > 0 else TEXT_FIELDS


# --------------------------------------------------------------------- AST
@dataclass
class Word:
    text: str
    pos: int = 0


@dataclass
class Phrase:
    text: str
    pos: int = 0


@dataclass
class FieldTerm:
    field: str
    value: str
    pos: int = 0


@dataclass
class Range:
    field: str  # year | date
    lo: int | None
    hi: int | None
    pos: int = 0


@dataclass
class And:
    items: list


@dataclass
class Or:
    items: list


@dataclass
class Not:
    item: Any


@dataclass
class MatchAll:
    pass


Node = Union[Word, Phrase, FieldTerm, Range, And, Or, Not, MatchAll]


# ------------------------------------------------------------------- lexer
@dataclass
class _Tok:
    kind: str  # WORD PHRASE FIELD LP RP AND OR NOT NEG
    value: Any
    pos: int  # 0-based


_OPEN_Q = {'"': '"', "“": "”", "”": "”", "「": "」"}
_OPS = {"AND": "AND", "&&": "AND", "与": "AND", "且": "AND", "OR": "OR", "||": "OR", "或": "OR", "NOT": "NOT", "非": "NOT"}
_STOPCH = set(" \t\r\n\u3000()（）") | set(_OPEN_Q)
# A year in round brackets inside a 文号, with the number right after it: (2023)5号
_DOCNO_YEAR = re.compile(r"[(（]\s*(?:19|20)\d{2}\s*[)）](?=\s*\d+\s*号)")
_FIELD_RE = re.compile(r"^([A-Za-z_]+|[\u4e00-\u9fff]{1,4})[:：](.*)$", re.S)


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    close = _OPEN_Q[q[i]]
    # IMEs mix straight and curly quotes: either closes a phrase opened by either.
    ends = [k for k in (q.find(c, i + 1) for c in {close, '"', "”"} if close in ('"', "”") or c == close) if k >= 0]
    j = min(ends) if ends else -1
    if j < 0:
        raise QuerySyntaxError(f"第 {i + 1} 个字符处的引号没有闭合", position=i + 1, query=q)
    return q[i + 1 : j], j + 1


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c in "(（" and not _DOCNO_YEAR.match(q, i):
            toks.append(_Tok("LP", c, i))
            i += 1
        elif c in ")）":
            toks.append(_Tok("RP", c, i))
            i += 1
        elif c in _OPEN_Q:
            text, j = _read_quoted(q, i)
            toks.append(_Tok("PHRASE", text, i))
            i = j
        elif c in "-+－" and i + 1 < n and not q[i + 1].isspace() and (i == 0 or q[i - 1].isspace() or q[i - 1] in "(（"):
            if c != "+":
                toks.append(_Tok("NEG", c, i))
            i += 1
        else:
            j = i
            while j < n:
                if q[j] in "(（" and (m := _DOCNO_YEAR.match(q, j)):
                    j = m.end()  # 九工字（2023）5号: a 文号's year, not a group
                elif q[j] in _STOPCH:
                    break
                else:
                    j += 1
            word = q[i:j]
            m = _FIELD_RE.match(word)
            if word in _OPS:
                toks.append(_Tok(_OPS[word], word, i))
            elif m and (m.group(1) in FIELD_ALIASES or (m.group(1).isascii() and ":" in word)):
                name, value = m.group(1), m.group(2)
                if name not in FIELD_ALIASES:
                    raise QuerySyntaxError(
                        f"第 {i + 1} 个字符处的字段“{name}”不存在；可用字段：{'、'.join(FIELD_NAMES)}",
                        position=i + 1, query=q)
                if not value and j < n and q[j] in _OPEN_Q:
                    value, j = _read_quoted(q, j)
                if not value.strip():
                    raise QuerySyntaxError(f"第 {i + 1} 个字符处的字段“{name}”后面缺少值", position=i + 1, query=q)
                toks.append(_Tok("FIELD", (FIELD_ALIASES[name], value.strip(), name), i))
            else:
                toks.append(_Tok("WORD", word, i))
            i = j
    return toks


# ------------------------------------------------------------------ parser
# Brackets and NOTs nest by recursion (here and when the plan is built): past a few
# hundred levels Python's stack runs out. Nobody writes more than a handful.
MAX_DEPTH = 32


class _Parser:
    def __init__(self, q: str):
        self.q = q
        self.toks = _lex(q)
        self.i = 0
        self.depth = 0

    def nest(self, t: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.err(f"第 {t.pos + 1} 个字符处括号或 NOT 嵌套过深（最多 {MAX_DEPTH} 层）", t.pos)

    def err(self, msg: str, pos: int) -> QuerySyntaxError:
        return QuerySyntaxError(msg, position=pos + 1, query=self.q)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Node:
        if not self.toks:
            return MatchAll()
        node = self.or_expr()
        t = self.peek()
        if t is not None:  # only a stray ")" can stop the expression early
            raise self.err(f"第 {t.pos + 1} 个字符处多了一个“{t.value}”，没有与之配对的左括号", t.pos)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (t := self.peek()) is not None and t.kind == "OR":
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RP", "OR", "AND"):
                raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”后面缺少查询词", t.pos)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(items)

    def and_expr(self) -> Node:
        items = [self.unary()]
        while (t := self.peek()) is not None and t.kind not in ("OR", "RP"):
            if t.kind == "AND":
                self.i += 1
                nxt = self.peek()
                if nxt is None or nxt.kind in ("RP", "OR", "AND"):
                    raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”后面缺少查询词", t.pos)
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(items)

    def unary(self) -> Node:
        t = self.peek()
        if t is None:
            raise self.err("查询在结尾处不完整", len(self.q))
        if t.kind in ("NOT", "NEG"):
            self.i += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RP", "OR", "AND"):
                raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”后面缺少查询词", t.pos)
            self.nest(t)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        t = self.peek()
        assert t is not None
        if t.kind in ("AND", "OR"):
            raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”前面缺少查询词", t.pos)
        if t.kind == "RP":
            raise self.err(f"第 {t.pos + 1} 个字符处多了一个“{t.value}”，没有与之配对的左括号", t.pos)
        self.i += 1
        if t.kind == "LP":
            nxt = self.peek()
            if nxt is None:
                raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”没有对应的右括号", t.pos)
            if nxt.kind == "RP":
                raise self.err(f"第 {t.pos + 1} 个字符处的括号里没有查询词", t.pos)
            self.nest(t)
            node = self.or_expr()
            self.depth -= 1
            close = self.peek()
            if close is None or close.kind != "RP":
                raise self.err(f"第 {t.pos + 1} 个字符处的“{t.value}”没有对应的右括号", t.pos)
            self.i += 1
            return node
        if t.kind == "PHRASE":
            if not t.value.strip():
                raise self.err(f"第 {t.pos + 1} 个字符处的引号里没有内容", t.pos)
            return Phrase(t.value, t.pos)
        if t.kind == "FIELD":
            return field_node(*t.value, pos=t.pos, query=self.q)
        return Word(t.value, t.pos)


def parse(q: str | None) -> Node:
    """Parse a query string into an AST (MatchAll for an empty query)."""
    return _Parser((q or "").strip()).parse()


# ------------------------------------------------------- field value parsing
_DATE_RE = re.compile(r"^(\d{4})(?:[-/.年]?(\d{1,2})(?:[-/.月]?(\d{1,2})日?)?月?)?$")


def _date_bounds(s: str, pos: int, query: str | None) -> tuple[int, int]:
    m = _DATE_RE.match(s.strip())
    if not m:
        raise QuerySyntaxError(f"第 {pos + 1} 个字符处的日期“{s}”格式不对，应为 YYYY-MM-DD、YYYY-MM 或 YYYY",
                               position=pos + 1, query=query)
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d:
            _date(y, int(mo), int(d))
            v = y * 10000 + int(mo) * 100 + int(d)
            return v, v
        if mo:
            _date(y, int(mo), 1)
            return y * 10000 + int(mo) * 100 + 1, y * 10000 + int(mo) * 100 + 31
    except ValueError:
        raise QuerySyntaxError(f"第 {pos + 1} 个字符处的日期“{s}”不存在", position=pos + 1, query=query) from None
    return y * 10000 + 101, y * 10000 + 1231


def _year(s: str, pos: int, query: str | None) -> int:
    s = s.strip().removesuffix("年")
    if not (s.isdigit() and len(s) == 4):
        raise QuerySyntaxError(f"第 {pos + 1} 个字符处的年份“{s}”应为四位数字，如 2023 或 2021..2023",
                               position=pos + 1, query=query)
    return int(s)


def field_node(fieldname: str, value: str, typed: str | None = None, *, pos: int = 0, query: str | None = None) -> Node:
    """A `field:value` term (value may be a `lo..hi` range for year and date)."""
    value = str(value).strip()
    if fieldname in ("year", "date"):
        rng = re.split(r"\.\.|～|~|至|到", value, maxsplit=1) if fieldname == "date" or ".." in value or "~" in value else [value]
        parse_one = (lambda s: (_year(s, pos, query),) * 2) if fieldname == "year" else (lambda s: _date_bounds(s, pos, query))
        if len(rng) == 1:
            lo, hi = parse_one(rng[0])
        else:
            a, b = rng[0].strip(), rng[1].strip()
            if not a and not b:
                raise QuerySyntaxError(f"第 {pos + 1} 个字符处的范围“{value}”两端都为空", position=pos + 1, query=query)
            lo = parse_one(a)[0] if a else None
            hi = parse_one(b)[1] if b else None
            if lo is not None and hi is not None and lo > hi:
                raise QuerySyntaxError(f"第 {pos + 1} 个字符处的范围“{value}”起点晚于终点", position=pos + 1, query=query)
        return Range(fieldname, lo, hi, pos)
    if fieldname == "kind":
        k = KIND_ALIASES.get(value.lower())
        if k is None:
            raise QuerySyntaxError(
                f"第 {pos + 1} 个字符处的类别“{value}”不存在；可用：document、section、obligation、log",
                position=pos + 1, query=query)
        value = k
    if fieldname == "doc_number":
        value = normalize_doc_number(value)
    if fieldname in ("tags", "risks"):
        from .items import label_name  # taxonomy ids work too: risk:wage_arrears = risk:欠薪

        value = label_name(value)
    return FieldTerm(fieldname, value, pos)


def normalize_doc_number(s: str) -> str:
    """〔〕 for every bracket style a 文号 is typed with."""
    return re.sub(r"[\[【(（［]", "〔", re.sub(r"[\]】)）］]", "〕", s.strip()))


def filters_node(filters: dict | None) -> Node | None:
    """The `filters=` argument of search as an AST (AND of fields, a list = any of)."""
    if not filters:
        return None
    items: list[Node] = []
    for key, val in filters.items():
        if val is None or val == "" or val == []:
            continue
        name = FIELD_ALIASES.get(key)
        if key in ("date_from", "date_to", "year_from", "year_to"):
            base = key.split("_")[0]
            lo_hi = f"{val}.." if key.endswith("from") else f"..{val}"
            items.append(field_node(base, lo_hi))
            continue
        if name is None:
            raise QuerySyntaxError(f"过滤条件“{key}”不存在；可用：{'、'.join(FIELD_NAMES)}")
        vals = val if isinstance(val, (list, tuple, set)) else [val]
        nodes = [field_node(name, str(v)) for v in vals]
        items.append(nodes[0] if len(nodes) == 1 else Or(nodes))
    if not items:
        return None
    return items[0] if len(items) == 1 else And(items)


# -------------------------------------------------------------- the plan
@dataclass
class PTerm:  # one analysed word in the text fields
    word: str
    boost: float = 1.0


@dataclass
class PPhrase:  # consecutive words in the text fields (or one field)
    words: tuple[str, ...]
    field: str | None = None
    slop: int = 0  # words allowed between two consecutive words (in order)
    boost: float = 1.0


@dataclass
class PCompound:  # a dictionary word made of smaller words: the word, or its parts close together
    word: str
    parts: tuple[str, ...]

    def expanded(self, doc_freq=None) -> Any:
        """The plan an engine runs. `doc_freq(word)`: items holding `word` in their
        text (None: always expand). Matching the parts means checking their positions
        in every item holding the rarest part, so they are left out when that cannot
        find anything more (the rarest part occurs only inside the whole word: as
        many items hold it as hold the word, whose sub-words are indexed with it), or
        costs more than a search should (past COMPOUND_MAX_DF items: a large index
        where both parts are common words, 职工 … 之家; the whole word alone then
        finds plenty)."""
        if doc_freq is not None:
            rarest = min(doc_freq(p) for p in self.parts)
            if rarest > COMPOUND_MAX_DF or rarest <= doc_freq(self.word):
                return PTerm(self.word)
        # Boosted: a text holding the word whole matches it alone (its parts are indexed at
        # the word's own position, not one after the other), yet must rank above the parts.
        return PBool(should=[PTerm(self.word, boost=COMPOUND_BOOST), PPhrase(self.parts, slop=COMPOUND_SLOP)])


@dataclass
class PAbbrev:  # a short word that may abbreviate longer index terms (教代会 → 教职工代表大会)
    word: str
    exact: Any  # the plan of the word as typed
    candidates: tuple[str, ...]  # words it may stand for (analysis.abbreviation_candidates, mined names)
    known: bool  # a dictionary word: expanded only when the index rarely holds it
    similar: tuple[str, ...] = ()  # mined near-synonyms: offered however common the word is
    thesaurus: tuple[str, ...] = ()  # the thesaurus's synonyms: offered when the index rarely holds the word
    far: bool = False  # word-vector neighbours the index holds: offered when it lacks the word (a relaxed query)
    late: frozenset = frozenset()  # candidates holding the word whole: take ABBR_KEEP's places after the others

    def expanded(self, doc_freq=None) -> Any:
        """The plan an engine runs: the word as typed, or one of the terms it
        abbreviates (or, when the index rarely holds it, a synonym) that this index
        holds (the most frequent few), ranked below it. A dictionary word the index
        holds often enough is left alone. A word no passage holds (孩子) is widened to
        the words most alike that the index holds (vectors.held_far: 子女), below it."""
        if doc_freq is None:
            return self.exact
        df = doc_freq(self.word) if (self.known or self.thesaurus or self.far) else 0
        cands = self.similar if self.known and df > ABBR_RARE_DF else self.similar + self.candidates
        alts = self._held(cands, doc_freq, ABBR_BOOST, self.late)
        if self.thesaurus and df <= THES_RARE_DF:
            alts += self._held(tuple(c for c in self.thesaurus if c not in cands), doc_freq, THES_BOOST)
        if self.far and df == 0:
            alts += [PTerm(w, boost=FAR_BOOST) for w in held_far(self.word, doc_freq)
                     if w not in cands and w not in self.thesaurus]
        if not alts:
            return self.exact
        return PBool(should=[self.exact, *alts])

    @staticmethod
    def _held(cands, doc_freq, boost: float, late: frozenset = frozenset()) -> list:
        """Plans for the most frequent few of `cands` this index holds (those in `late` last)."""
        held = []
        for c in cands:
            ws = query_words(c)
            n = min(doc_freq(w) for w in ws) if ws else 0
            if n > 0:
                held.append((n, c, ws))
        held.sort(key=lambda t: (t[1] in late, -t[0], len(t[1])))
        return [PTerm(c, boost=boost) if len(ws) == 1 else PPhrase(ws, boost=boost)
                for _, c, ws in held[:ABBR_KEEP]]


ABBR_RARE_DF = 10  # a dictionary word in at most this many items may be an abbreviation of a commoner name (chosen on the real set's training folds, bench/relevance.py --folds)
ABBR_KEEP = 3
ABBR_SKIP_WHOLE = 1  # candidates holding the word whole: 0 as others, 1 after the others, 2 left out (_abbrev); chosen leaving one judged set out (bench/relevance.py)
ABBR_BOOST = 0.5
THES_RARE_DF = 2  # a query word in at most this many items is widened to its thesaurus synonyms (chosen on the training folds)
THES_BOOST = 1.0  # chosen on the real set's training folds
FAR_BOOST = 1.0  # a far word-vector neighbour of a word the index lacks (vectors.held_far), relaxed queries only (chosen there too)


@dataclass
class PKeyword:  # exact value of a keyword field
    field: str
    value: str


@dataclass
class PRange:
    field: str  # year | datenum
    lo: int | None
    hi: int | None


@dataclass
class PBool:
    must: list = field(default_factory=list)
    should: list = field(default_factory=list)  # at least one must match when no `must`
    must_not: list = field(default_factory=list)
    scored: bool = True


@dataclass
class PAll:
    pass


@dataclass
class PNone:
    pass


@dataclass
class Plan:
    """What engines execute: `query` (scored) AND `filter` (unscored), plus the
    strings to mark in snippets."""

    query: Any
    filter: Any | None
    marks: list[str]
    ast: Node
    relaxed: bool = False
    exclude: Any | None = None  # items left out unscored (duties folded into their clause)
    concepts: list = field(default_factory=list)  # what the query asks for, for rerank.rerank
    question: bool = False  # planned as a question: any of the words, more scoring higher
    slots: tuple = ()  # what else a question asks for (questions.SLOTS: a time, a place …), for rerank.rerank
    kinds: tuple = ()  # the kinds of value a question asks for (questions.KINDS), for rerank.rerank

    @property
    def relaxable(self) -> bool:
        return not self.relaxed and _relaxable(self.ast)

    @property
    def any_word(self) -> bool:
        """Items may be matched without every word typed: relaxed, or a question."""
        return self.relaxed or self.question


def _contiguous(text: str) -> Any:
    """The characters of `text` next to each other in a text field, however the
    text around them was cut: every cut of the phrase into indexed words, and the
    dictionary words that hold it whole (the index keeps those as one word)."""
    paths = phrase_paths(text)
    if not paths:
        return PAll()
    alts: list = [PTerm(p[0]) if len(p) == 1 else PPhrase(p) for p in paths]
    whole = normalize(text).strip()
    if not is_dict_word(whole):  # a dictionary word is indexed inside its longer words already
        alts += [PTerm(w) for w in containing_words(whole)]
    return alts[0] if len(alts) == 1 else PBool(should=alts)


def _term(w: str) -> Any:
    """One query word. A dictionary word made of smaller words (拖欠工资, 工会干部)
    also matches its parts in order, a few words apart at most (拖欠职工工资): what a
    search that cuts queries finer (IK, Elasticsearch) finds, without the parts
    scattered over a long text (职工 … 之家). The whole word scores on top."""
    parts = components(w)
    return PCompound(w, tuple(parts)) if parts else PTerm(w)


PART_BOOST = 0.3  # a compound's part alone, in a relaxed query
RELAX_ONE = True  # a one-word query that finds nothing is retried relaxed
COMPOUND_SLOP = 3
COMPOUND_BOOST = 2.0
COMPOUND_MAX_DF = 5000


def _abbrev(word: str, exact: Any, known: bool, relax: bool = False, vec: bool | None = None) -> Any:
    """`exact`, or a PAbbrev when `word` may abbreviate longer names (or, in a relaxed
    query, be said in other words: the thesaurus)."""
    cands = mined_names(word) + abbreviation_candidates(word)
    # A word holding the abbreviation whole (经审办, 经审委, 省总工会, 军区总医院 for 区总) is
    # no expansion of it: the word typed matches it already (a dictionary word is indexed
    # inside its longer words; an unknown one is held together by _contiguous, with the
    # words containing it). As candidates they took ABBR_KEEP's few places from the names
    # it stands for (经审 → 经费审查): ABBR_SKIP_WHOLE 1 ranks them after those, 2 drops them.
    w = normalize(word)
    late = frozenset(c for c in cands if w in normalize(c)) if ABBR_SKIP_WHOLE else frozenset()
    if ABBR_SKIP_WHOLE == 2:
        cands, late = tuple(c for c in cands if c not in late), frozenset()
    similar = mined_synonyms(word)
    # Thesaurus synonyms only where any of the words may match (the relaxed retry, a
    # question): a strict query that matched a synonym where the word the user typed is
    # missing would end with the few texts holding that synonym and all the other
    # words, and never reach the relaxed retry that ranks by all of them.
    thes = thesaurus_synonyms(word) if relax else ()
    # the same holds for word-vector neighbours (`vec`: offered, default when relaxed)
    far_ok = (relax if vec is None else vec) and bool(far_words(word))
    return PAbbrev(word, exact, tuple(dict.fromkeys(cands)), known, similar, thes, far_ok, late) \
        if cands or similar or thes or far_ok else exact


def _piece(piece: str, marks: list[str], relax: bool = False) -> tuple[list, list]:
    """A run of query text without synonyms → (every word must match, bonus)."""
    ws = list(query_words(piece))
    content = [w for w in ws if w not in STOP] or ws
    if not content:
        return [], []
    # 女工委 (女 | 工委), 人社 (人 | 社): a short word the dictionary does not hold, cut
    # into a character and the rest, may abbreviate a name (two words, 发票报销, do not)
    short = (len(content) > 1 and len(normalize(piece)) <= ABBR_MAX_LEN and not is_dict_word(normalize(piece))
             and any(len(w) == 1 for w in content))
    if len(content) > 1:
        marks.append(piece)
        if all(len(w) == 1 for w in content) or CN_YEAR_WORD.fullmatch(piece):
            # Out-of-dictionary word (a name, a place, 二〇二三年) cut into
            # characters: the characters must be together, not anywhere in the text.
            exact = _contiguous(piece)
            return [_abbrev(normalize(piece), exact, False, vec=relax) if short else exact], []
    should = [PPhrase(tuple(ws))] if len(content) > 1 else []
    must: list = []
    run: list[str] = []  # single characters in a row: a name or new word (网约) held together
    for w in ws + [""]:
        if len(w) == 1 and w in content:
            run.append(w)
            continue
        if len(run) > 1:
            must.append(_abbrev("".join(run), _contiguous("".join(run)), False, vec=relax))
            marks.append("".join(run))
        elif run:
            must.append(PTerm(run[0]))
            if len(content) == 1:
                marks.append(run[0])
        run = []
        if w in content and len(w) > 1:
            exact = _term(w)
            if relax and isinstance(exact, PCompound):
                # retried with any word: a compound's parts count alone too (年终总结: a
                # text on the year's 工作总结), far below the compound itself
                exact = PBool(should=[exact, *(PTerm(p, boost=PART_BOOST) for p in exact.parts)])
            must.append(_abbrev(w, exact, True, relax) if len(w) <= ABBR_MAX_LEN else exact)
            marks.append(w)
    if short:  # 女工委 = 女 | 工委: the characters together, or the name they may abbreviate (女职工委员会)
        exact = _contiguous(piece)
        words = [w for w in content if len(w) > 1]
        if relax and words:
            # retried with any word: a verb and its object typed as one (开大会, 选代表,
            # 拍小视频) count by the object alone too, far below the whole, as a
            # compound's parts do
            exact = PBool(should=[exact, *(PTerm(w, boost=PART_BOOST) for w in words)])
        return [_abbrev(normalize(piece), exact, False, vec=relax)], []
    return must, should


def _one(must: list, should: list) -> Any:
    if not must:
        return PAll()
    if len(must) == 1 and not should:
        return must[0]
    return PBool(must=must, should=should)


def _word_plan(text: str, marks: list[str], relax: bool = False) -> Any:
    variants = query_variants(text)
    if len(variants) > 1:
        alts = [p for p in (_word_plan_one(v, marks, relax) for v in variants) if not isinstance(p, PAll)]
        return PBool(should=alts) if len(alts) > 1 else (alts[0] if alts else PAll())
    return _word_plan_one(variants[0], marks, relax)


def _word_plan_one(text: str, marks: list[str], relax: bool) -> Any:
    norm = normalize(text)
    if 2 <= len(norm) <= ABBR_MAX_LEN and len(synonyms().split(norm)) > 1 and not is_dict_word(norm) \
            and any(len(w) == 1 for w in query_words(norm)):
        # 女工委: the hand list knows 女工, yet the whole is an abbreviation (女职工委员会)
        inner = _word_plan_split(text, marks, relax)
        alt = _abbrev(norm, PBool(should=[inner, _contiguous(norm)]), False)
        if isinstance(alt, PAbbrev):
            return alt
        return inner
    return _word_plan_split(text, marks, relax)


def _word_plan_split(text: str, marks: list[str], relax: bool) -> Any:
    must: list = []
    should: list = []  # proximity bonus: the piece's words next to each other
    for piece, group in synonyms().split(text):
        if group:
            # A member of several words matches them in order, a few words apart
            # at most (外卖骑手 → 外卖平台的骑手), not anywhere in the text: members
            # like 送清凉 or 冬送温暖 would otherwise match any text with 送 or 冬.
            alts = []
            for alt in group:
                ws = query_words(alt)
                if not ws:
                    continue
                # every member counts as the word typed (a member that is a compound keeps
                # its parts: 欠薪's 拖欠工资 finds 拖欠职工工资)
                alts.append(_term(ws[0]) if len(ws) == 1 else PPhrase(tuple(ws), slop=COMPOUND_SLOP))
                marks.append(alt)
                marks.extend(w for w in ws if len(w) > 1 and w not in STOP and len(ws) > 1)
            if alts:
                must.append(alts[0] if len(alts) == 1 else PBool(should=alts))
            continue
        p_must, p_should = _piece(piece, marks, relax)
        must += p_must
        should += p_should
    if not must:
        return PAll()
    if relax and len(must) > 1:
        return PBool(should=must + should)  # any of the words; more words score higher
    return _one(must, should)


def _phrase_plan(text: str) -> Any:
    alts = [p for p in (_contiguous(v) for v in query_variants(text)) if not isinstance(p, PAll)]
    return PBool(should=alts) if len(alts) > 1 else (alts[0] if alts else PAll())


def _plan(node: Node, marks: list[str], positive: bool = True, relax: bool = False) -> Any:
    """AST → plan. `relax`: bare words need not all match (any of them, ranked by
    how many and how well) — the fallback when the strict query finds nothing."""
    if isinstance(node, MatchAll):
        return PAll()
    if isinstance(node, Word):
        return _word_plan(node.text, marks if positive else [], relax and positive)
    if isinstance(node, Phrase):
        if positive:
            marks.extend(v.strip() for v in query_variants(node.text))
        return _phrase_plan(node.text)
    if isinstance(node, FieldTerm):
        if node.field in ("title", "heading"):
            ws = query_words(node.value)
            if positive:
                marks.append(normalize(node.value))
            return PPhrase(ws, node.field) if ws else PAll()
        kw = PKeyword(node.field, node.value)
        fb = PHRASE_FALLBACK.get(node.field)
        if fb:
            ws = query_words(node.value)
            if ws:
                return PBool(should=[kw, PPhrase(ws, fb)], scored=False)
        return kw
    if isinstance(node, Range):
        return PRange("year" if node.field == "year" else "datenum", node.lo, node.hi)
    if isinstance(node, Not):
        return PBool(must=[PAll()], must_not=[_plan(node.item, marks, not positive)])
    if isinstance(node, Or):
        return PBool(should=[_plan(c, marks, positive, relax) for c in node.items])
    if isinstance(node, And):
        must, must_not, words = [], [], []
        for c in node.items:
            if isinstance(c, Not):
                must_not.append(_plan(c.item, marks, not positive))
            elif relax and positive and isinstance(c, Word):
                p = _plan(c, marks, positive, relax)
                if not isinstance(p, PAll):
                    words.append(p)
            else:
                p = _plan(c, marks, positive, relax)
                if not isinstance(p, PAll):
                    must.append(p)
        if words:  # relaxed: at least one of the bare words
            must.append(words[0] if len(words) == 1 else PBool(should=words))
        if not must:
            must = [PAll()]
        if not must_not and len(must) == 1:
            return must[0]
        return PBool(must=must, must_not=must_not)
    raise TypeError(node)


def _relaxable(node: Node) -> bool:
    """True when relaxing would change the query: two or more bare words ANDed."""
    if isinstance(node, Word):
        # one word too: retried, it may match its thesaurus synonyms or, a compound, its parts
        return len([w for w in query_words(node.text) if w not in STOP]) > 1 or RELAX_ONE
    if isinstance(node, And):
        return sum(isinstance(c, Word) for c in node.items) > 1 or any(_relaxable(c) for c in node.items)
    if isinstance(node, Or):
        return any(_relaxable(c) for c in node.items)
    return False


def bare_words(node: Node) -> bool:
    """The query is bare words only (one, or several ANDed): no phrase, field, OR or NOT."""
    if isinstance(node, Word):
        return True
    return isinstance(node, And) and bool(node.items) and all(isinstance(c, Word) for c in node.items)


def _has_field(node: Node) -> bool:
    if isinstance(node, (FieldTerm, Range)):
        return True
    if isinstance(node, (And, Or)):
        return any(_has_field(c) for c in node.items)
    return isinstance(node, Not) and _has_field(node.item)


QUESTION_BOOST = 8.0  # a passage holding the quantity a question asks for (chosen on training folds)


def _question(ast: Node) -> tuple[Node, set[str]] | None:
    """A query of bare words that asks something (questions.parse_question): the
    AST of its remaining words, fillers dropped, and the kinds of quantity asked."""
    words = [ast] if isinstance(ast, Word) else (ast.items if isinstance(ast, And) else None)
    if not words or not all(isinstance(w, Word) for w in words):
        return None
    asked = parse_question(" ".join(w.text for w in words))
    if asked is None:
        return None
    rest, kinds = asked
    chunks, cur = [], ""
    for w in query_words(rest):  # a filler ends a chunk; the rest stays as typed (疗休养, 金秋助学)
        if FILLERS.match(w):
            chunks.append(cur)
            cur = ""
        else:
            cur += w
    chunks = [c for c in chunks + [cur] if c]
    if not chunks:
        return None
    return parse(" ".join(chunks)), kinds


def plan(query: str | None, filters: dict | None = None, *, relax: bool = False) -> Plan:
    """Parse and plan a query (with the `filters=` argument as an unscored filter)."""
    ast = parse(query)
    marks: list[str] = []
    asked = _question(ast)
    asked_q = asked is not None
    kinds_asked: tuple = ()
    if asked is not None:
        # A question's words need not all be in its answer: any of them, more
        # scoring higher, and a passage stating the kind of quantity asked on top.
        ast, kinds = asked
        kinds_asked = tuple(sorted(kinds))
        q = _plan(ast, marks, relax=True)
        if kinds:
            q = PBool(must=[q], should=[PTerm(MARK[k], boost=QUESTION_BOOST) for k in sorted(kinds)])
    else:
        q = _plan(ast, marks, relax=relax)
    if isinstance(q, PAll) and not isinstance(ast, MatchAll) and not _has_field(ast):
        # "😀", "-", "*": words were typed but none can be searched; matching everything would mislead
        raise QuerySyntaxError("查询中没有可检索的字词（请输入中文、字母或数字）", position=1, query=query)
    fnode = filters_node(filters)
    f = _plan(fnode, []) if fnode is not None else None
    seen: dict[str, None] = {}
    for m in marks:
        if m.strip():
            seen.setdefault(m.strip(), None)
    # One hit per passage: a duty folded into its clause is that clause's hit, unless
    # only duties are asked for (the checklist view lists each duty).
    asked = _kinds(ast) | (_kinds(fnode) if fnode is not None else set())
    exclude = None if asked == {"obligation"} else PKeyword("folded", "1")
    return Plan(q, f, sorted(seen, key=len, reverse=True), ast, relaxed=relax, exclude=exclude,
                concepts=_concepts(ast), question=asked_q, slots=asked_slots(query or "") if asked_q else (), kinds=kinds_asked)


def _concepts(node: Node) -> list:
    """The concepts (rerank.Concept) of the bare words and phrases a query asks for,
    outside negations."""
    from .rerank import concepts_of, phrase_concept

    if isinstance(node, Word):
        return concepts_of(node.text)
    if isinstance(node, Phrase):
        c = phrase_concept(node.text)
        return [c] if c else []
    if isinstance(node, (And, Or)):
        return [c for item in node.items for c in _concepts(item)]
    return []


def _kinds(node: Node) -> set[str]:
    """The item kinds a query asks for by name (kind:…), outside negations."""
    if isinstance(node, FieldTerm):
        return {node.value} if node.field == "kind" else set()
    if isinstance(node, (And, Or)):
        return set().union(*(_kinds(c) for c in node.items))
    return set()
