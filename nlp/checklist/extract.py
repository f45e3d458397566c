"""Checklist extraction: from a parsed notice (`ingest.document.Document`) to the
duties it lays down (who must do what, with quotas, deadlines, frequency and the
source clause), the name lists of its working groups and its tables.

The rows of a quota or events table in the body of a notice are items of their own
(`table_rows`: the unit and its count, or the event, its time and its organisers), kept
whatever the learned duty stage says of the text around them.

The unit of work is a sentence of a section. A sentence that states several duties
(another actor, a 由X…, a 负责… after 成立X, a new frequency after a quota) is cut
into several items; sections of rhetoric (指导思想, 原则, preambles) only yield the
clauses that carry a quota, deadline or frequency."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ingest.text import CIRCLED_NUMBER, HEADING_NUMBER, LIST_NUMBER
from nlp.analysis import analyse
from nlp.checklist import actors as A
from nlp.checklist import split_model
from nlp.checklist.clauses import TIME_LINE, TIME_WORDS, Span, clauses, label, paragraphs, sentences, strip_punct
from nlp.checklist.deadlines import (
    ANCHOR,
    NAMED,
    ORDINAL_STAGE,
    Deadline,
    date_spans,
    deadlines_of_sentence,
    find_deadlines,
    sentence_deadlines,
    sentence_span,
    stage_windows,
    stated_closing_dates,
    window_days,
)
from nlp.checklist.frequency import Frequency, find_frequencies, may_hold
from nlp.checklist.modality import find_modals, modality_of
from nlp.checklist.quantities import Quota, find_quotas
from nlp.checklist.roster import ROLE_HEADING, RosterEntry, extract_roster, inline_roles, parse_person
from nlp.checklist.table_rows import row_items
from nlp.checklist.tables import extract_tables, is_form
from nlp.checklist.view import as_printed, plain_at, view

EXTRACTOR_VERSION = "checklist-1.1"

# sections listing conditions or scope (报告范围, 推荐条件): their quantities describe cases, not duties
SCOPE = re.compile(r"范围|条件|情形|资格")
RHETORIC = re.compile(r"指导思想|总体要求|基本原则|原则要求|工作原则|目标任务|工作目标|总体目标|主要目标|重要意义|背景|总则|目的")
NOT_A_DUTY = re.compile(r"(?:联系)?电话|^[0-9０-９\-－—（）() ]+$|^(?![^，；]*(?:须|应|要|需|负责|报送|提交|上报))[^，；]{2,40}[表单]$|联系人[：:]|邮箱[：:]|传真[：:]|如下|以下(?!简称|称)|经研究|决定成立|特制定|制定本(?:办法|方案|细则|意见|规定|规则|制度|指引|标准|条例)|现印发|现将.*印发给你们$|^附件|印发$|\d{4}年\d{1,2}月\d{1,2}日$|是指|系指|起施行|，即|^.{0,25}(?:详?见附件\d*|见下表)$|^具体[^，]{0,30}见|起执行|之日起实施|(?:包括|下列|如下)[:：]?$|具备(?:下列|以下|如下)[^，。；]{0,4}[:：]?$|下列(?:职责|工作|任务|事项|义务|要求)$|^(?:近年来|多年来|今年以来|目前|当前)|□|年\s*月\s*日|^\d{2}年月|特此证明"
                        # 现将《…》印发给你们，请认真贯彻执行: the cover letter's transmittal
                        r"|^现将[^，]*印发给你们，请[^，]{0,16}(?:执行|实施|落实)$")
TRANSMITTAL = re.compile(r"^现将[^，]*(?:印发|转发)给你们(?:，请[^，]{0,16}(?:执行|实施|落实))?$")
# 第二阶段（4月1日—10月31日）：组织实施 / 3.汇总上报阶段（2018年6月）: a phase's name (even with its
# dates), its duties follow and take its time (`inherit_stage_window`)
PHASE_NAME = re.compile(rf"^{HEADING_NUMBER}?\s*"
                        rf"(?:{ORDINAL_STAGE}|[^\s\d，。；：:（()）、]{{1,10}}阶段)[（(][^）)]*[）)][：:]?[^，；]{{0,8}}$")
NOTICE_DUTY = re.compile(r"请|要|务必|望|须|应")
_CONDITION = re.compile(r"^(?:发生|遇有|遇到|如遇|如有|如发现|凡|一旦|若|如果|因)|^[^，]{0,10}(?:发现|发生|出现|遇到|遇有)")
_PREP_START = re.compile(r"^(?:请?结合|从|对|按照|根据|为了?|围绕|针对|结合|在|通过|其中|同时|依照|依据|按|经|随着|基于)")
_ADVERBIAL_END = re.compile(r"(?:的|要求|精神|规定|情况|问题|企业|单位|方面|基础上|中|时|后|下|前|期间|过程中|实际|出发|为准|为主)$")
_ONLY_TIME = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}(?:期间|以来|之际)|自[^，]{1,14}起|从[^，]{1,14}起|[0-9０-９]{4}\s*年(?:起|以来|内)?|其中|同时|此外|另外)$")
# a clause that only says when, with no doer of its own (seen in suining-zgh, ccit-xgh, cslg-wgy-fgh,
# jzxx-wj-gh, sut-gh, tyyj-jtgh, cx): 待…上线后, 选举时, 投稿时, 比赛过程中, 由…研究后 (not 小时, 计时, 及时…)
_WHEN = re.compile(r"^(?:待|等到?|当|每当|每逢)?[^，。；]{1,14}?(?:后|之后|以后|(?<![计小按及准同随临适定届暂])时|之时|过程中)$")
_FREQ_LEAD = re.compile(r"^(?:坚持|并|要|均|须|需|应)?(?=每(?:年|月|周|日|天|季|半年|半月|两个月|个月)|双月)")
_JOINS = re.compile(r"(?:参与|配合|协助|协办|共同参与|参加)$")
# the assignment lines under a task item (牵头单位：X 配合单位：Y 完成时限：Z)
_META_KEYS = r"牵头单位|牵头部门|责任单位|责任部门|主责单位|配合单位|配合部门|协办单位|参与单位|完成时限|完成时间|时间节点|时限要求"
_DUTY_META = re.compile(rf"^[（(]?\s*(?:{_META_KEYS})\s*[：:]")
_META_FIELD = re.compile(rf"({_META_KEYS})\s*[：:]\s*(.*?)\s*[；;。]?\s*(?=(?:{_META_KEYS})\s*[：:]|[）)]?\s*$)", re.S)


# 工作要点 put the assignment in a bracket after the task: （组织部牵头，各县区总工会配合） / （办公室负责督办）
_ROLE_PIECE = re.compile(r"^(?P<who>[^，,；;：:]{2,40}?)(?P<role>牵头|主责|负责(?:落实|督办|实施|指导|协调)?|督办|"
                         r"配合|参与|协助|协办|共同负责)$")


def _assignment(text: str) -> str | None:
    """'组织部牵头，各旗县区总工会配合' → '牵头单位：组织部；配合单位：各旗县区总工会' when
    every piece of the text is a unit followed by its role; None otherwise."""
    pieces = [p.strip() for p in re.split(r"[，,；;]", text.strip().strip("。")) if p.strip()]
    if not pieces:
        return None
    out = []
    for piece in pieces:
        m = _ROLE_PIECE.match(piece)
        if not m:
            return None
        found = A.actor_at(m.group("who"))
        if not found or found[1] != len(m.group("who")):
            return None
        key = "配合单位" if m.group("role") in ("配合", "参与", "协助", "协办") else "牵头单位"
        out.append(f"{key}：{m.group('who')}")
    return "；".join(out)


def _tail_assignment(sentence: str) -> tuple[int, int] | None:
    """The span of a bracket closing the sentence that holds only an assignment
    (…不少于200家（服务中心牵头，各县（区）总工会配合）); brackets inside it are balanced."""
    body = sentence.rstrip("。；;，, \n")
    if not body.endswith(("）", ")")):
        return None
    depth = 0
    for i in range(len(body) - 1, -1, -1):
        depth += body[i] in "）)" and 1 or 0
        depth -= body[i] in "（(" and 1 or 0
        if depth == 0:
            inner = body[i + 1:-1]
            return (i, len(body)) if 3 <= len(inner) <= 120 and _assignment(inner) else None
    return None


def _meta_bracket(sentence: str) -> tuple[int, int] | None:
    """Where a closing （牵头单位：…；完成时限：…） sits in a sentence: only a bracket that
    ends it (trailing punctuation aside) is taken, so clause offsets before it hold."""
    m = re.search(rf"[（(]\s*(?:{_META_KEYS})\s*[：:]", sentence)
    if not m:
        return _tail_assignment(sentence)
    depth = 0
    for i in range(m.start(), len(sentence)):
        depth += sentence[i] in "（(" and 1 or 0
        depth -= sentence[i] in "）)" and 1 or 0
        if depth == 0:
            return (m.start(), i + 1) if re.fullmatch(r"[。；;，,\s]*", sentence[i + 1:]) else None
    return None


def _merge_meta(ob: "Obligation", p_text: str, doc_text: str, p_end: int, year: int | None) -> None:
    """Fold a task item's assignment lines into it: the lead and helping units are its
    actors, 完成时限 its deadline; the clause text runs on to the end of the lines."""
    units: list[str] = []
    p_text = _assignment(p_text) or p_text
    for key, value in _META_FIELD.findall(p_text):
        value = value.strip()
        if not value:
            continue
        if key.startswith(("完成", "时间", "时限")):
            for d in find_deadlines(value, year):
                if d.text not in {x.text for x in ob.deadlines}:
                    d.start = d.end = 0  # offsets into the clause text no longer apply
                    ob.deadlines.append(d)
            continue
        m = A.clause_actors(value)
        units += [n for n in (m.names if m else [value]) if n not in units]
    if units:
        if ob.actor_source != "clause":
            ob.actors, ob.actor_source = [], "label"
        ob.actors += [n for n in units if not any(n in a or a in n for a in ob.actors)]
    if ob.start is not None and p_end > ob.start:
        ob.text = re.sub(r"\s*\n\s*", " ", doc_text[ob.start:p_end]).strip().rstrip("。；;")
        ob.end = p_end
    if ob.deadlines or (units and ob.modality != "may"):
        ob.tier = "hard"


def _lend_actors(ob: "Obligation", assigned: str, doc_text: str, end: int) -> None:
    """Add the units of an assignment ('牵头单位：X；配合单位：Y') to a duty: next to the
    actors it names itself, instead of the ones only guessed for it. The duty's text
    runs on over the bracket so the reader sees who leads it."""
    if ob.start is not None and ob.end is not None and 0 <= end - ob.end <= 120:
        ob.text = re.sub(r"\s*\n\s*", " ", doc_text[ob.start:end]).strip().rstrip("。；;")
        ob.end = end
    units: list[str] = []
    for _key, value in _META_FIELD.findall(assigned):
        m = A.clause_actors(value.strip())
        units += [n for n in (m.names if m else [value.strip()]) if n not in units]
    if not units:
        return
    if ob.actor_source not in ("clause", "label", "sentence"):
        ob.actors, ob.actor_source = [], "label"
    ob.actors += [n for n in units if not any(n in a or a in n for a in ob.actors)]
    if ob.modality != "may":
        ob.tier = "hard"


@dataclass
class Obligation:
    id: str
    text: str
    section: list[str]
    actors: list[str]
    action: str
    modality: str
    tier: str
    quotas: list[Quota] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    frequency: Frequency | None = None
    start: int | None = None
    end: int | None = None
    page: int | None = None
    part: str | None = None
    actor_source: str = "clause"  # clause | label | sentence | paragraph | document | none | table (a row of a table: table_rows)
    # a short line's label and where it starts (`_short_body`): printed with the item, which the learned
    # stages read without it (a label before the text moved their readings: pooled CV, items dropped in 5 sites)
    label: tuple[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        text, start = (self.label[0] + self.text, self.label[1]) if self.label else (self.text, self.start)
        return {
            "id": self.id, "tier": self.tier, "text": text, "section": list(self.section),
            "actors": list(self.actors), "action": self.action, "modality": self.modality,
            "quotas": [q.to_dict() for q in self.quotas], "deadlines": [d.to_dict() for d in self.deadlines],
            "frequency": self.frequency.to_dict() if self.frequency else None,
            "start": start, "end": self.end, "page": self.page, "part": self.part,
            "actor_source": self.actor_source,
        }


@dataclass
class Checklist:
    document: dict
    obligations: list[Obligation]
    roster: list[RosterEntry]
    tables: list[dict]
    extractor: str = EXTRACTOR_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": dict(self.document),
            "obligations": [o.to_dict() for o in self.obligations],
            "roster": [r.to_dict() for r in self.roster],
            "tables": [dict(t) for t in self.tables],
        }


@dataclass
class _Clause:
    span: Span  # offsets into Document.text
    text: str
    actor: A.ActorMatch | None
    actor_list: bool
    adverbial: bool
    lead_freq: bool
    fuze: bool  # starts with 负责
    timed: bool = False  # a time and nothing else (`_time_only`): no predicate of a duty before the next clause


@dataclass
class _Unit:
    part: Any
    path: list[str]
    text: str
    base: int  # offset of `text` in Document.text
    rhetoric: bool
    notice: bool
    scope: bool = False
    may_scope: bool = False
    under_duty: bool = False  # the body of a heading that is itself a duty (its assignment lines go to it)


def _locate(doc_text: str, text: str, hint: int) -> int:
    if not text:
        return hint
    at = doc_text.find(text, max(0, hint))
    if at < 0:
        at = doc_text.find(text)
    return at if at >= 0 else hint


def _heading_is_duty(title: str) -> bool:
    """A heading long enough to be a sentence and worded as a duty (an actor at its
    head, a binding modal word, or a quota/deadline/frequency)."""
    t = title.strip()
    if len(t) < 12 or "，即" in t or t.startswith("即"):
        return False
    if A.clause_actors(strip_punct(re.split(r"[，；]", t)[0])):
        return True
    if any(m.binding for m in find_modals(t)):
        return True
    # （二）活动结束后10个工作日内上报活动总结：an item with a relative deadline and a predicate
    if find_deadlines(t) and _has_verb(t):
        return True
    return _hard_attrs(t, None)


def _units(doc) -> list[_Unit]:
    units: list[_Unit] = []
    for part in doc.parts:
        prefix = [part.label] if part.kind == "attachment" and part.label else []
        if part.preamble.strip():
            base = _locate(doc.text, part.preamble, part.start)
            units.append(_Unit(part, prefix, part.preamble, base, part.kind != "notice", part.kind == "notice"))
        form = is_form(part)
        for sec in part.walk():
            if ROLE_HEADING.match(sec.title.strip()):
                continue  # a roster block
            rhetoric = form or any(RHETORIC.search(h) for h in sec.path)
            heading_duty = _heading_is_duty(sec.title)
            if heading_duty:
                # （一）各县（市、区）总工会负责…：a numbered item that is itself a duty
                base = _locate(doc.text, sec.title, sec.start)
                units.append(_Unit(part, prefix + list(sec.path[:-1]) + [sec.number.strip()], sec.title, base,
                                   rhetoric, False, any(SCOPE.search(h) for h in sec.path[:-1])))
                # only numbered items that head a list of cases (一、报告范围 (一)…) are read as cases
            if not sec.text.strip():
                continue
            base = _locate(doc.text, sec.text, sec.start)
            text = sec.text
            title = sec.title.strip()
            if (_TIME_FIELD.search(title) and len(title) <= 12
                    or len(title) <= 14 and _short_body(text) and not A.label_actor(title)
                    and not _DUTY_META.match(title + "：")):
                # 2. 报名截止日期：11月10日: the field's name, read as the item's title, opens its time line;
                # 1、东湖疗休养：8月3日至8日。: a short item's name says what its duty is about (`_short_body`)
                at = doc.text.rfind(title, sec.start, base)
                if at >= 0 and re.fullmatch(r"[ \t\u3000]*[：:][ \t\u3000]*", doc.text[at + len(title):base]):
                    text, base = doc.text[at:base] + sec.text, at
            units.append(_Unit(part, prefix + list(sec.path), text, base, rhetoric, False,
                               may_scope=any(SCOPE.search(h) for h in sec.path), under_duty=heading_duty))
    return units


def _short_body(body: str) -> bool:
    """Whether what follows a line's label is one short sentence (东湖疗休养：8月3日至8日。, 先进个人：
    每个分会推荐2名。): such a label says what the duty is about, and the gold keeps it in the duty (dev
    lines of a plain label and a body under 30 characters: 27 sites keep it, 6 leave it out, where the
    longer item still covers their duty); a long body after 要求： or 报名办法： is a section of its own."""
    core = strip_punct(body)
    return 0 < len(core) < 30 and len(sentences(body)) == 1


@lru_cache(maxsize=4096)
def _has_verb(text: str) -> bool:
    """Whether the text has a predicate at all: course titles, places and other noun
    phrases of a list (基层工会组织建设业务培训, 浙江省总工会干部学校) are not duties."""
    return any(flag.startswith("v") and flag != "vn" for _, flag in analyse(text).pos)


# what is left of a time once its dates are masked: 即日起…至, 前/之前, a clock time in words or
# digits (下午三点, 14:30), a weekday in brackets, a bare month or year
_TIME_FILLER = re.compile(r"即日|[自从起至到止]|截[止至]|[—－\-–~～]|(?:之|以)?前|[上中下]午|晚上|早上|凌晨"
                          r"|[0-9０-９一二三四五六七八九十两]+\s*(?:[点时:：]\s*(?:[0-9０-９]+\s*分?|半)?)"
                          r"|[（(](?:周|星期)[一二三四五六日天][）)]|[年月日号份旬底末初]|[\s，,、]")


@lru_cache(maxsize=8192)
def _time_only(t: str) -> bool:
    """A clause that is a time and nothing else, its field name aside (报名时间：6月3日下午四点之前,
    即日起至9月底, 7月—8月): the readers leave part of such a time unread (a clock in words, 即日起,
    a bare span of months), so `_is_adverbial`'s coverage test misses it, and the rules cut the duty
    after it off at its doer; the gold keeps it with that duty in every dev case (37 commas, none cut).
    It is no predicate of the item so far (`has_pred`); read as an adverbial instead, it also changed the
    split stage's reading of such a time after a comma (a refit cut a dev duty before its 报送时间：…)."""
    if (field := _FIELD_OPENING.match(t)):
        t = t[field.end():]
    spans = date_spans(t) + [(d.start, d.end) for d in find_deadlines(t)]
    if not spans:
        return False
    rest = "".join(ch for i, ch in enumerate(t) if not any(a <= i < b for a, b in spans))
    return not _TIME_FILLER.sub("", rest)


@lru_cache(maxsize=8192)
def _is_adverbial(text: str, actor_list: bool) -> bool:
    t = strip_punct(text)
    if actor_list or _ONLY_TIME.match(t):
        return True
    if _WHEN.match(t) and not A.clause_actors(t) and not find_modals(t):
        return True  # 待数据库上线后 / 选举时 / 比赛过程中: when the clause after it applies
    if _CONDITION.match(t) and not find_modals(t):
        return True  # 发生一次死亡1人以上的生产安全事故，…: a condition
    if re.fullmatch(r"(?:每年度?|每月)?[^，]{0,8}?(?:结束|完成)后|每年[^，]{0,6}前", t):
        return True
    # 投稿时间：自即日起: a time field's name before a time is no predicate either
    if (field := _FIELD_OPENING.match(t)) and _ONLY_TIME.match(t[field.end():]):
        return True
    # 5月9日上午8:30—11:00: the deadline reader takes the date and the first clock time; the
    # range's end is time as well
    t = _CLOCK_RANGE_END.sub("", t)
    dl = find_deadlines(t)
    if dl and sum(len(d.text) for d in dl) >= len(t) - 2:
        return True  # 到2025年底 / 每年3月1日前: a time, not a predicate
    t = t.rstrip("”’》」")
    if t.endswith("的") and len(t) <= 30:
        return True  # 企业难以解决的 / 需要上级工会或同级党委解决的
    if _PREP_START.match(t) and (_ADVERBIAL_END.search(t) or len(t) <= 14) and not find_modals(t):
        return True
    if re.match(r"^对于?", t) and "的" in t and not find_modals(t) and not _has_verb(t.rsplit("的", 1)[1]):
        return True  # 对在排查中表现突出的…志愿者，市总工会…: the fronted object of the next clause
    return False


def _as_printed(g: list[_Clause], read: str) -> str:
    """An item's text with the commas its source prints: the readers read the clauses
    joined by `，`, but a notice typed with half-width `,` is quoted with them (gold
    texts and search quote the source; a changed comma breaks every bigram beside it)."""
    seps = [c.span.text.rstrip()[-1:] for c in g[:-1]]
    shown = "".join(c.text + (s if s in "，," else "，") for c, s in zip(g, seps)) + g[-1].text
    shown = strip_punct(shown)
    return shown if len(shown) == len(read) else read


def _clause(doc_text: str, span: Span) -> _Clause:
    t = strip_punct(span.text)
    actor = A.clause_actors(t)
    if actor and (field := _FIELD_OPENING.match(t)) and actor.start < field.end():
        actor = None  # 领队会议时间：…: a word of the field's name, not the line's doer
    actor_list = A.is_actor_list(t)
    return _Clause(span, t, actor, actor_list, _is_adverbial(t, actor_list), bool(_FREQ_LEAD.match(t)),
                   t.startswith("负责"), _time_only(t))


@lru_cache(maxsize=4096)
def _hard_attrs(text: str, year: int | None) -> bool:
    if find_quotas(text, date_spans(text)):
        return True
    if any(d.recurrence != "relative" for d in find_deadlines(text, year)):
        return True
    return bool(find_frequencies(text))


_NAMES_ONLY = re.compile(r"(?:是|为|作为)[^，]*|(?:具体)?(?:牵头|配合|参与|协助|协办|主责|实施|组织实施)")


_BY_DOER = re.compile(r"由[^，。；]{2,30}?(?:具体|统一|负责)?(?:组织实施|组织|实施|承办|执行)$")


def _by_doer(cur: list[_Clause]) -> bool:
    """The item so far is 'X由A（具体）组织实施': a task whose doer the 由 names."""
    return bool(cur) and bool(cur[0].actor and cur[0].actor.by and _BY_DOER.search(strip_punct(cur[0].text)))


def _names_only(c: _Clause) -> bool:
    """A clause that names a body and its role but no task of its own."""
    return bool(c.actor and not c.actor_list and _NAMES_ONLY.fullmatch(c.text[c.actor.end:]))


# a quota of entries: what a unit may put forward (每单位可报领队一人, 各分会限报一队, 推荐2名)
_ENTRY_QUOTA = re.compile(r"(?:可报|限报|报名?|推荐|组队)[^，,；;]{0,8}?[0-9一二三四五六七八九十两]+\s*(?:名|人|个|队|支|项)")
_COUNT = re.compile(r"[0-9一二三四五六七八九十两]+\s*(?:名|人|个|队|支|项)")
_ENTRY_VERBS = {"报", "可报", "限报", "设", "另设"}


def _entry_count(c: _Clause, cur: list[_Clause], year: int | None) -> bool:
    """Whether clause `c`, which names a new body, only counts one more kind of entry of the
    quota list the item so far opened (…可报领队一人，教练二人（男、女队各一教练）; 每单位可报
    领队一人，教练一人，各组单打每单位限报4人; 各工会分会限报一队，队员中至少一名女同志): no verb of
    its own but 报/限报, no binding word, no date. The gold keeps such a list as one duty (henu-xgh,
    tj-gxq-gh-022china, zkvtc-gh), where the rules cut it at each new "doer" (教练, 队员); a body
    that does something (科室负责人每月走访1户) still starts a duty of its own."""
    text = re.sub(r"[（(][^）)]*[）)]", "", strip_punct(c.text))
    if not _COUNT.search(text) or not _ENTRY_QUOTA.search("".join(x.text for x in cur)):
        return False
    if any(m.binding for m in find_modals(text)) or find_deadlines(text, year):
        return False
    return not any(f == "v" and w not in _ENTRY_VERBS for w, f in analyse(text).pos)


def _group(cls: list[_Clause], year: int | None) -> list[list[_Clause]]:
    """Cut a sentence's clauses into duty items."""
    items: list[list[_Clause]] = []
    cur: list[_Clause] = []
    for i, c in enumerate(cls):
        if cur:
            has_pred = any(not x.adverbial and not x.timed for x in cur)
            cur_text = "".join(x.text for x in cur)
            new = False
            if has_pred and len(c.text) >= 8:
                if c.adverbial:
                    new = False
                elif _JOINS.search(c.text):
                    new = False  # 权益保障部、财务部等部门参与: helpers of the same duty
                elif c.actor and not c.actor_list and _entry_count(c, cur, year):
                    new = False  # 可报领队一人，教练二人 / 限报一队，队员中至少一名女同志: one list of entries
                elif c.actor and not c.actor_list and _names_only(c) and _by_doer(cur):
                    new = False  # X由A具体组织实施，B牵头，C配合: the helpers of the same task
                elif c.actor and not c.actor_list:
                    prev_names = {n for x in cur if x.actor for n in x.actor.names}
                    # 每个工作组每批…不超过2万元: a distributive subject details the same duty
                    # 认定工作每年开展一次，由X组织实施: a 由X after an item with no actor names who does it
                    names_doer = (c.actor.by and c.text.startswith("由") and not prev_names
                                  and not any(x.fuze for x in cur))
                    new = (not names_doer and (c.actor.by or not set(c.actor.names) <= prev_names)
                           and not c.actor.names[0].startswith("每")
                           and not c.actor.names[0].endswith("站点"))  # 站点每日开放…: a detail, not a new duty
                elif c.fuze and _by_doer(cur) and len(cur) > 1 and all(x.actor and _NAMES_ONLY.fullmatch(strip_punct(x.text[x.actor.end:])) for x in cur[1:]):
                    new = False  # X由A组织实施，B牵头，C配合，负责…: the remit of those just named
                elif c.fuze:
                    # 成立X，负责…: the body set up and its remit are one duty; after another
                    # predicate (…要…，成立X，负责…) the remit is a duty of X of its own
                    # X是…主管部门，负责… / X牵头，Y配合，负责…: the clauses before only name who does it
                    new = not all(A.established_body(x.text) or x.adverbial or _names_only(x) for x in cur)
                elif c.lead_freq and _hard_attrs(cur_text, year):
                    # a new frequency after a quota starts a duty where the sentence is long or
                    # where it differs from the frequency already stated (每季度…，每年…)
                    before = {f.every for f in find_frequencies(cur_text)}
                    here = {f.every for f in find_frequencies(c.text)}
                    new = len(cur_text) + len(c.text) > 70 or bool(before and here and not here & before)
            # the learned split stage has the last word (the rules' answer is one of its features)
            new = split_model.decide(cur, c, new, year, cls[i + 1] if i + 1 < len(cls) else None)
            if new:
                items.append(cur)
                cur = []
        cur.append(c)
    if cur:
        items.append(cur)
    return items


_ACTION_LEAD = re.compile(r"^(?:请|其中|同时|要|应当?|须|需|必须|可以?|均|并|分别|积极|切实|认真|一般|原则上|每年度?|每月|"
                          r"每半年|每季度|每周[一二三四五六日]?前?|每天|双月|[于在][^，]{0,14}?前|由|从|坚持(?=每))")


def _action(g: list[_Clause], deadlines: list[Deadline]) -> str:
    """The duty's verb phrase in the document's words: the first clause that is not
    an adverbial once its actor, modal and time words are taken off."""
    first = None
    for c in g:
        if c.actor_list or (c.adverbial and c is not g[-1]):
            continue
        t = c.text
        if c.actor and not c.actor_list:
            t = t[c.actor.end:]
        for d in deadlines:
            t = re.sub(r"[须需应要]?[于在]?" + r"\s*".join(map(re.escape, d.text)) + r"前?", "", t)
        for _ in range(5):
            t2 = _ACTION_LEAD.sub("", t).lstrip("，、 ")
            if t2 == t:
                break
            t = t2
        if len(t) < 2 or re.search(r"[为是在于]$", t) or t.startswith("现将"):
            continue
        first = first or t
        if not _is_adverbial(t, False):
            return t[:40]
    return (first or g[0].text)[:40]


# the notice's own event: its date and place (时间：…, 定于…召开, 拟于…举办)
# (、比赛时间：… on a scraped page that kept the 、 of 一、 but dropped its numeral: gh.zbnc)
# (决赛时间：…, 预赛时间：…: a round of the event, held by its organiser as the whole is, in the gold of flootec
# (pages2), old.jdyfy and ouc-gh; 时间地点：…: the date and place under one label, jgjy and hnszgh)
_ROUND = r"(?:初赛|复赛|预赛|决赛|半决赛|总决赛)"
_EVENT = re.compile(r"^(?:[一二三四五六七八九十\d]*[、.．])?(?:活动|比赛|会议|竞赛|大会|" + _ROUND + r")?时间(?:[、和及与]?地点)?[:：]|"
                    # (拟在5月中旬举行: zdgh.sysu; the same decision line as 拟于)
                    r"(?:定于|拟于|拟在|拟定于|初步定于)[^，。；]{0,30}?(?:召开|举办|举行|进行|开展)|"
                    # 拟定于4月中旬，具体时间另行通知: the event's date alone, its verb in the sentence before
                    r"^(?:拟定于|拟于|初步定于|定于)|"
                    # 比赛当天（拟定于10月25日下午）: the date in a bracket after the event's name
                    r"[（(](?:拟定于|拟于|初步定于|定于)|"
                    # (经研究，)决定组织评选… with no subject: the deciding body's line, as the annotation guide reads it
                    r"^(?:[一二三四五六七八九十\d]+[、.．])?(?:经研究[，,]?|现)?决定(?:组织|开展|举办|举行|召开)")
_EVENT_SUBJECT = re.compile(r"(?:大会|会议|运动会|比赛|活动)(?:定于|拟于|拟定于)")
# an item that is nothing but the event's date and time (its 时间： label was cut off)
_BARE_TIME = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日")
# a time field's name (`TIME_WORDS`), and such a name opening a line with its colon (报名截止日期：, 决赛时间:)
_TIME_FIELD = re.compile(TIME_WORDS + "$")
# 3、6月2日上午…, 2.5月8日9:00…: a list item opening on a date, which the section reader leaves in
# the text (a number before a figure is no heading there), so the date reader saw 3、6月 and no date
_DATED_ITEM = re.compile(r"^\d{1,2}、\s*(?=\d)|^\d{1,2}[.．](?=\d{1,2}月\d{1,2}日)")
_CLOCK_RANGE_END = re.compile(r"(?<=\d[:：]\d\d)\s*(?:[—－\-–~～]{1,2}|至|到)\s*\d{1,2}[:：]\d\d")
_FIELD_OPENING = re.compile(r"^[^，,。；;：:]{0,12}?" + TIME_WORDS + r"\s*[:：]\s*")
_DOING = re.compile(r"前|将|报|交|请|须|需|要|应|参加|集合|签到|提交|发送")


# a clock time with no date of its own (当日上午7:50集合, 上午9:45前签到, 7:00南区运动场集合)
# 7:50, 当日上午9:45前, 下午三点前 (a clock time in words needs its part of the day)
_CLOCK = re.compile(r"(?:当日|当天)?(?:(?:上午|下午|中午|晚上|早上)?\s*[0-9]{1,2}[:：][0-9]{2}"
                    r"|(?:上午|下午|中午|晚上|早上)[一二两三四五六七八九十]{1,3}点(?:半|[0-9]{1,2}分)?)(?:\s*(?:前|之前))?")


# 于当日14点10分入场, 于当天下午340分前集合: the day of the notice's own event named by 当日/当天, whatever clock
# follows it (a clock in 点…分, or one whose colon the page lost); every hard dev gold duty on 当日/当天 with no
# date of its own is due that day (aust in pages6, bbpsbj in pages13, jzxx-wj-gh); not 当日起, 当天内
_SAME_DAY = re.compile(r"(?:于|在)?当[日天](?![起内以])(?:(?:上午|下午|中午|晚上|早上)?\s*[0-9]{1,2}\s*(?:[:：]\s*[0-9]{2}|[点时](?:\s*[0-9]{1,2}\s*分|半)?|[0-9]{2}\s*分))?(?:\s*(?:前|之前))?")


def event_day_lines(doc, year: int | None) -> list[tuple[int, set]]:
    """(end offset, days named) of each line of the notice that sets its own event's day
    (定于6月13日召开 / 时间：… / 将于9月29日…进行)."""
    return [(m.end(), {(d.year, d.month, d.day) for d in find_deadlines(m.group(0), year)
                       if d.recurrence == "once" and d.month and d.day})
            for m in _EVENT_DAY.finditer(view(doc).text)]


def clock_on_event_day(text: str) -> bool:
    """A clock time with no date of its own and a deed (上午8:00签到, 下午三点前结束比赛, 7:00集合):
    in a notice that names its event day, a time on that day (`inherit_event_day` gives it
    the day after the duty stage; the duty stage reads it as a deadline through this)."""
    return bool(_CLOCK.search(text)) and not _DATE_NEAR.search(text) and bool(_DOING.search(text))


def inherit_event_day(obligations: list[Obligation], doc, year: int | None) -> None:
    """A clock time with no date is on the notice's own event day (定于6月13日召开 / 时间：… /
    将于9月29日…进行): the item gets that day as its deadline when the notice names exactly one;
    where it names several (a meet over two days, a heat and a final), the day of the last event
    line before the item, when that line names one day (将于9月29-30日举办…，趣味运动会将于9月29日
    …进行。1.…7:00集合: the 29th)."""
    lines = event_day_lines(doc, year)
    days = set().union(*(d for _, d in lines)) if lines else set()
    if not days:
        return
    for o in obligations:
        m = None if o.deadlines else (_CLOCK.search(o.text) or _SAME_DAY.search(o.text))
        if not m or _DATE_NEAR.search(o.text):
            continue
        if len(days) == 1:
            pick = next(iter(days))
        else:
            before = [d for end, d in lines if d and o.start is not None and end <= o.start]
            if not before or len(before[-1]) != 1:
                continue
            pick = next(iter(before[-1]))
        y, month, day = pick
        o.deadlines.append(Deadline(m.group(0).strip(), "once", month, day, y))


def inherit_stage_window(obligations: list[Obligation], doc, year: int | None) -> None:
    """An item under a stage heading that gives a time (（三）复审阶段（9月15日前）, 1.宣传发动阶段
    （2018年3月）。…) and has no date of its own is due by the stage's time, one with a cycle of
    its own (每月通报) too: the stage bounds it (annotation README: each clause under it)."""
    windows = stage_windows(doc, year)
    if not windows:
        return
    for o in obligations:
        if o.deadlines or o.start is None:
            continue
        for a, b, dls in windows:
            if a <= o.start < b:
                o.deadlines = [replace(d) for d in dls]
                break


def inherit_sentence_time(obligations: list[Obligation], doc, year: int | None) -> None:
    """A duty cut from a sentence whose other clause gives the time (…纸质文件，于12月23日前上交 /
    一般于每年10月底前开始，县总工会… / 每年妇女节慰问活动，由…组织) is due by that time and keeps
    that cycle too, where it names no date or cycle of its own: the rules or the split stage
    cut such sentences where the annotators of several sites keep them whole."""
    simple = view(doc).text
    for o in obligations:
        if o.start is None or o.end is None:
            continue
        if not any(d.recurrence != "relative" for d in o.deadlines):
            o.deadlines += sentence_deadlines(simple, o.start, o.end, year, relative=not o.deadlines)
        a, b = sentence_span(simple, o.start, o.end)
        if o.frequency is None and may_hold(simple[a:b]):
            # a yearly date (每年10月底前) is no cycle of its own (SCHEMA)
            yearly = [(d.start, d.end) for d in deadlines_of_sentence(simple[a:b], year) if d.recurrence == "yearly"]
            near = [f for f in find_frequencies(simple[a:b]) if not (o.start - a <= f.start < o.end - a)
                    and not any(s <= f.start < e for s, e in yearly)]
            after = [f for f in near if f.start >= o.end - a]
            pick = after[:1] or near[-1:]
            if pick:
                o.frequency = Frequency(pick[0].text, pick[0].every, pick[0].start + a, pick[0].end + a)


def inherit_named_deadline(obligations: list[Obligation], doc=None, year: int | None = None) -> None:
    """A duty due by the notice's deadline named elsewhere (于截止日期前, 在规定的时间节点前:
    `deadlines.NAMED`) is due by the one closing date the notice states (报名截止时间为6月4日,
    a line that is no duty itself), else the one date the notice's duties name (a 报送时间 line);
    it stays relative where they name none or several."""
    if not any(NAMED.fullmatch(d.text) for o in obligations for d in o.deadlines):
        return
    dated = stated_closing_dates(view(doc).text, year) if doc is not None else set()
    if not dated:
        dated = {(d.year, d.month, d.day) for o in obligations for d in o.deadlines
                 if d.recurrence == "once" and d.month and d.day}
    if len(dated) != 1:
        return
    year, month, day = next(iter(dated))
    for o in obligations:
        o.deadlines = [Deadline(d.text, "once", month, day, year, d.start, d.end)
                       if d.recurrence == "relative" and NAMED.fullmatch(d.text) else d for d in o.deadlines]


def inherit_context_time(obligations: list[Obligation], doc, year: int | None) -> None:
    """The time a duty that names none takes from around it: its sentence's first
    (`inherit_sentence_time`), the notice's deadline it refers to (`inherit_named_deadline`),
    else its stage heading's (`inherit_stage_window`)."""
    inherit_sentence_time(obligations, doc, year)
    inherit_named_deadline(obligations, doc, year)
    inherit_stage_window(obligations, doc, year)


_EVENT_DAY = re.compile(r"(?:定于|拟于|拟定于|初步定于|将于)[^。；\n]{0,40}?(?:召开|举办|举行|进行|开展)|(?:^|\n)[^\n]{0,12}时间[:：][^\n]{0,30}")
# 为…，校工会定于12月1日开展…。 / 根据…安排，决定于6月中旬举行…: the opening names the issuer's own event
# and its date. Every such dated decision of the dev gold is a hard duty (30 in 27 sites: the 75 notices
# and page sets 1, 2, 4; one other wording, 定于4月为…月, soft); the same decision with no date is soft
_DECIDED_EVENT = re.compile(r"(?:定于|拟于|拟在|拟定于|初步定于|将于|决定于|决定在)[^。；\n]{0,40}?(?:召开|举办|举行|进行|开展)")

_ANNOUNCE = re.compile(r"^(?:现|特)?(?:将|就)?(?:有关|相关)?(?:事宜|事项|情况)?(?:具体)?(?:通知|安排)如下")


def _dated_decision(text: str, year: int | None) -> bool:
    m = _DECIDED_EVENT.search(text)
    return m is not None and any(d.recurrence != "relative" for d in find_deadlines(m.group(0), year))


_DATE_NEAR = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")


def _event_doer(o: Obligation, doc, plain: str | None = None) -> None:
    """定于…召开 / 时间：… of the notice's own event: its organiser holds it (the body that
    decided on it, as the notice names it: 经院工会研究… → 院工会), else the issuer.
    `plain`: the item's text in simplified characters, where the notice is printed in
    traditional ones."""
    holder = _organiser_as_printed(doc) or doc.issuer or _home_as_printed(doc)
    if not holder:
        return
    t = plain or o.text
    if window_days(t) >= _CAMPAIGN_DAYS and not _DECIDES.search(t) and not _ROUND_FIELD.match(t):
        return  # 活动时间：11月1日—12月10日: the weeks in which the addressees act, not the organiser's event
    under_time = bool(o.section) and _TIME_HEADING.search(o.section[-1]) is not None
    field = _FIELD_OPENING.match(t)  # 决赛时间：11月25日…: the line read past its field's name
    body = t[field.end():] if field else t
    if (_EVENT.search(t) and (o.actor_source != "clause" or _EVENT_SUBJECT.search(t))
            or o.actor_source != "clause" and (_BARE_TIME.match(body) or under_time) and not _DOING.search(body)):
        o.actors, o.actor_source = bodies(holder), "document"
    elif o.actor_source in ("document", "none") and (_JUDGING.search(t) or not doc.issuer and _OWN_ACT.search(t)):
        # (the readers after this leave an "issuer" item alone: a section's doer is no judge of its entries)
        o.actors, o.actor_source = bodies(holder), "issuer"


# the organiser judging or commending the entries of its own event, in an item that names no doer
# (六月中旬，邀请专家对来稿进行评审; 由组织方组织评委现场打分评比; 举办颁奖表彰大会): the organiser's step, as the
# gold of developdesigndoit (pages2), hsjw (pages6) and scjky-ygh reads every such item (no counter-example in the
# dev gold); before, it went to the 主送 units (the notice-wide fallback) or to a section's doer
_JUDGING = re.compile(r"(?:组织|邀请|聘请)[^，,。；;]{0,6}?(?:专家|评委|评审组|评审委员会|评审小组)[^。；;]{0,20}?(?:评审|评选|评比|打分)"
                      r"|举办[^，,。；;]{0,12}?表彰")

# the issuer's own act on those it addresses (予以表彰奖励, 对…进行表彰、颁奖; `actor_model._OWN_ACT`, which gives it to
# the issuer) in a notice that prints no issuer (a web page): the organiser its lead-in names, as the gold of
# jgdw.zua (pages7) and gwyoo (pages10) reads it, where the notice-wide fallback gave it to the addressees or no one
_OWN_ACT = re.compile(r"(?:给予|予以|进行)[^，。；,;：:]{0,12}?(?:奖励|补助|补贴|慰问|表彰|通报)(?![申表标])")

# an event the organiser holds lasts hours or days (比赛时间：4月3日-4月15日 is still its own); a
# window of a month or more is a campaign the addressees carry out in it (活动时间、竞赛时间、申报时间:
# 2015年11月1日---12月10日, 6月-9月底, 2020年1月10日至5月31日; jmu, nwafu, nxtc, teda), whose doer
# the notice's other readers give
_CAMPAIGN_DAYS = 28
# …决定于/定于7月1日至8月31日开展…: a decision line is the deciding body's, however long (the annotation guide)
_DECIDES = re.compile(r"定于|拟于|决定")
# 一、活动时间 / 会议时间、地点 / 一、开展时间 / 预赛时间: a heading over the event's own date (开展, 举办, 举行: the
# verbs of the event held, as in `_HOLDS`; whgh in pages12; a round, as in `_EVENT`)
# (not 报名时间 / 征集时间 / 申报时间: the dates of what the addressees do)
_TIME_HEADING = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．]|[（(][一二三四五六七八九十\d]+[）)])?\s*"
                           r"(?:活动|会议|比赛|竞赛|大会|召开|开展|举办|举行|" + _ROUND + r")?时间(?:[、和及与]?地点)?[:：]?$")
# 初赛时间：11月1日至12月21日: a round runs as long as it must and is still the organiser's event (flootec)
_ROUND_FIELD = re.compile(r"^(?:[一二三四五六七八九十\d]*[、.．])?" + _ROUND + r"(?:时间|日期)?[:：]")
# the body that decided on the notice's event, in its opening: 经X研究, X研究决定, X决定召开, 根据X工作安排
_DECIDED = re.compile(r"(?:^|[，,。；;：:\n])(?:经|现经)?(?P<who>[\u4e00-\u9fff（）()]{2,20}?)"
                      r"(?:研究决定|研究，决定|研究,决定|研究|决定(?:召开|举办|举行|开展|组织))")
_PLANNED = re.compile(r"根据(?P<who>[\u4e00-\u9fff]{2,12}?)(?:\d{4}年(?:度)?)?(?:工作)?(?:计划|安排|要点)")
# …the body the opening says will hold it (学校工会将于11月初举办…: the gold of gh.zbnc gives the event's time line to
# it), read as a deciding body is (the organiser class of the actor card: event and decision lines)
_HOLDS = re.compile(r"(?:^|[，,。；;：:\n])(?P<who>[\u4e00-\u9fff]{2,12}?)(?:将于|定于|拟于|拟定于)[^，,。；;\n]{0,24}?"
                    r"(?:召开|举办|举行|开展)")
# read when none of the above names a body: a lead-in's other words for its organiser, each met in the openings of
# the dev notices whose event lines the gold gives to that body (the lead-in audit of session 29): 经X研究 / X研究决定
# with X a body the rules do not list, a 集团 or a 校委会 (tealcedar-dwb, dhslgz); X拟/将 (在…) 组织/开展/举办…
# (m.alatiku, bsmz, gh.xaut); 根据X年度工作计划 with no year, or a year in Chinese numerals, or 根据X…工作部署
# (gonghui.hunnu, yayaxian). Only where the first pass found none, so no organiser read before changes
_PLANNED_MORE = re.compile(r"根据(?P<who>[\u4e00-\u9fff]{2,12}?)(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})?年度?)?(?:工作)?"
                           r"(?:部署|计划|安排|要点)")
_HOLDS_MORE = re.compile(r"(?:^|[，,。；;：:\n])(?P<who>[\u4e00-\u9fff]{2,12}?)(?:拟在|将在|拟|将)[^，,。；;\n]{0,24}?"
                         r"(?:召开|举办|举行|开展|组织)")
_DECIDER_END = re.compile(r"(?:集团|公司|委会|委员会|党委|党组)$")
# …the bodies the opening says decided on it or hold it together, listed (甲区总工会、甲区体育局、甲区球协决定举办…;
# 甲联合乙决定开展…; 甲、乙等单位将联合举办…; 经甲和乙共同研究，决定…; 公司工会决定在节日期间开展…):
# the gold gives the event's lines to every body of the list in 7 of the 8 dev sites with such a list (lingtai,
# yanghe888, jgjy, wddqw, fchlzyc, alex-chef, ylq; sdufe the first alone), as the co-organiser ruling reads a lead and
# its partners in one action; one body deciding with a time before the act (…决定于5月举办) is read as 决定举办 is
_JOINT = re.compile(r"(?:^|[，,。；;：:\n])(?:经|现经|由)?(?P<who>[\u4e00-\u9fff（）()、\s]{2,80}?)(?:等单位)?\s*"
                    r"(?:(?:共同|联合)?研究(?:决定)?|(?:将|决定)?(?:共同|联合)(?:举办|举行|开展|组织|主办|召开)"
                    r"|决定(?:于|在)?[^，,。；;\n]{0,24}?(?:召开|举办|举行|开展|组织))")
# the words that join the bodies of such a list (联 合: a page broken inside the word)
_JOINED_BY = re.compile(r"、|联\s*合(?!会)|携手")
# how the name of a partner ends that the rules do not know as a body (县妇联, 县文联, 集团, 股份有限公司)
_BODY_END = re.compile(r"(?:联|会|局|委|部|处|院|校|公司|集团|中心|办|室|馆|宫|厅|团)$")


def event_line(o) -> bool:
    """An item `_event_doer` reads as its event's own line: `_EVENT` in its text, or under a time heading
    (1、时间地点 over 运动会开幕式后在…举行) with no act of the addressees in it. The tagger and the subject reader
    leave such an item on its holder (jgjy: the tagger read 市职工 in the event's name)."""
    t, section = o.text, getattr(o, "section", None)
    return bool(_EVENT.search(t) or section and _TIME_HEADING.search(section[-1]) and not _DOING.search(t))


def _organiser_as_printed(doc) -> str | None:
    """`organiser` read in the notice's simplified view, given back as the notice prints it."""
    who = organiser(view(doc).text)
    return who if who is None else as_printed(doc, who)


def _body_like(name: str) -> bool:
    name = re.sub(r"\s+", "", name)
    return 2 <= len(name) <= 20 and bool((f := A.actor_at(name)) and f[1] == len(name) or _BODY_END.search(name))


def bodies(who: str) -> list[str]:
    """The bodies of an organiser list, each as printed: split at 、 / 联合 / 携手, and at 和 / 与 / 及 only where
    each side reads as a body (某区文化和旅游体育局 stays one); [who] when it is one."""
    out: list[str] = []
    for piece in _JOINED_BY.split(who):
        sub = re.split(r"[和与及]", piece)
        out.extend(sub if len(sub) > 1 and all(_body_like(x) for x in sub) else [piece])
    out = [x.strip() for x in out]
    return out if len(out) > 1 and all(out) else [who]


def _joint(head: str) -> str | None:
    """The bodies the opening says decided on the event or hold it together (`_JOINT`): one body the
    rules know (as `_DECIDED` asks), or a list of short names each ending as a body does, one at least a body
    the rules know (市妇联、市体育局与某公司: 市体育局); None when no clause of the opening reads so."""
    for m in _JOINT.finditer(head):
        who = m.group("who").strip()
        parts = [re.sub(r"\s+", "", p) for p in bodies(who)]
        if any(p.startswith(("各", "每")) for p in parts):
            continue
        if not any((f := A.actor_at(p)) and f[1] == len(p) and A.is_head(p) for p in parts):
            continue
        if len(parts) == 1 or all(len(p) <= 16 and _body_like(p) for p in parts):
            return who
    return None


def _with_partners(who: str, head: str) -> str:
    """`who`, or the opening's joint list (`_joint`) when that names `who` and more bodies beside it
    (由甲主办，乙、丙承办 after 甲、乙、丙决定举办: the gold gives the line to the three)."""
    joint = _joint(head)
    if not joint:
        return who
    mine, listed = bodies(who), bodies(joint)
    return joint if len(listed) > len(mine) and set(mine) <= set(listed) else who


def _home_as_printed(doc) -> str | None:
    who = home_body(view(doc).text)
    return who if who is None else as_printed(doc, who)


# a line naming the event's host (主办单位：院工会; 主办：校工会、体育部): the organiser the annotation guide
# gives an event's time line to, before the issuer (a forwarding office may issue what a union hosts)
_HOSTED = re.compile(r"(?:^|\n)\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?主办(?:单位|方)?\s*[:：]\s*(?P<who>[^\n。；;]{2,40})")
# a sentence naming who holds the event (此次比赛由校工会主办，体育系协办; 本次…活动由甲、乙、丙联合举办): its hosts,
# each a short name and one at least a body the rules know (zdgh.sysu, hsjw in pages6)
_HELD_BY = re.compile(r"(?:^|[，,。；;：:\n])(?:本次|此次|本届)?[^，,。；;：:\n]{0,16}?由(?P<who>[\u4e00-\u9fff、]{2,48}?)"
                      r"(?:共同|联合)?(?:主办|举办)")
# the body a notice has things handed to or says will act itself (…报院工会, 送交校工会办公室, 院工会将颁发…)
_HANDED_TO = re.compile(r"(?:报送|送交|上报|交至|报至|发至|报到|报|交|送)(?:给|至|到)?(?P<who>(?:(?![报交送将的])[\u4e00-\u9fff]){1,12}?(?:总工会|工会))"
                        r"|(?:^|[，,。；;：:\n])(?P<self>[\u4e00-\u9fff]{1,10}?(?:总工会|工会))将")


@lru_cache(maxsize=256)
def home_body(text: str) -> str | None:
    """For a notice whose head and signature give no issuer (a web page): the union it has
    things handed to or says will act itself, the one named so most often (ties: the first);
    None when no union is named so. A 各…/每… union is an addressee, not the home body."""
    counts: dict[str, list[int]] = {}
    for m in _HANDED_TO.finditer(text):
        who = m.group("who") or m.group("self")
        found = A.actor_at(who)
        if found and found[1] == len(who) and not who.startswith(("各", "每", "基层", "所在", "上级")):
            counts.setdefault(who, []).append(m.start())
    if not counts:
        return None
    return min(counts, key=lambda w: (-len(counts[w]), counts[w][0]))


@lru_cache(maxsize=256)
def organiser(text: str) -> str | None:
    """The body a notice names as its event's host (主办单位：…, 此次比赛由校工会主办), else the one its opening
    says decided on the event (经院工会研究…, 县总工会研究决定, 根据校工会工作安排) or will hold it (学校工会将于…举办),
    else the same in a lead-in's other words (经甲集团研究, 机关工会拟组织…开展, 根据校工会年度工作计划), as printed;
    None when it names none."""
    hosted = _HOSTED.search(text)
    if hosted:
        who = re.split(r"[，,（(]|承办|协办", hosted.group("who").strip())[0].strip()
        if who and all((f := A.actor_at(p)) and f[1] == len(p) for p in re.split(r"[、和及与]", who) if p):
            return _with_partners(who, text[:600])
    for m in _HELD_BY.finditer(text):
        who = m.group("who")
        parts = [p for p in re.split(r"[、和及与]", who) if p]
        if (parts and all(2 <= len(p) <= 16 and not p.startswith(("各", "每")) for p in parts)
                and any((f := A.actor_at(p)) and f[1] == len(p) for p in parts)):
            return _with_partners(who, text[:600])
    head = text[:600]
    joint = _joint(head)
    if joint:
        return joint
    for rx in (_DECIDED, _PLANNED, _HOLDS):
        for m in rx.finditer(head):
            who = m.group("who")
            found = A.actor_at(who)
            # each body joined by 和/、 must be one (根据校区总体部署和工会计划: a plan, not its owner)
            if (found and found[1] == len(who) and not who.startswith(("各", "每"))
                    and all(A.is_head(p) for p in re.split(r"[和、及与]", who) if p)):
                return who
    for rx in (_DECIDED, _PLANNED_MORE, _HOLDS_MORE):
        for m in rx.finditer(head):
            who = m.group("who")
            found = A.actor_at(who)
            known = found and found[1] == len(who) and all(A.is_head(p) for p in re.split(r"[和、及与]", who) if p)
            # (经甲集团研究 / 校委会研究决定: a deciding body known by its ending, in a deciding clause alone; not 大会)
            named = rx is _DECIDED and len(who) <= 10 and _DECIDER_END.search(who) is not None
            if (known or named) and not who.startswith(("各", "每")):
                return who
    return None


def _default_actor(doc, units: list[_Unit]) -> str | None:
    """The body a notice addresses most, for duties that name no one: among the
    bodies named as subjects or in the title, the one met most often in the task
    sections, leaving out the issuer itself."""
    from nlp.language import segment

    own = " ".join(filter(None, [doc.issuer, doc.letterhead, *doc.signers, *doc.issuers]))
    body = "\n".join(u.text for u in units if not u.notice and u.part.kind != "attachment")
    cands: set[str] = set()
    for u in units:
        if u.notice or u.part.kind == "attachment":
            continue
        for para in paragraphs(u.text):
            for sent in sentences(para.text):
                for c in clauses(sent.text):
                    m = A.clause_actors(strip_punct(c.text))
                    if m and not m.by:
                        cands.update(m.names)
    for title in filter(None, [doc.title, *(p.title for p in doc.parts)]):
        cands.update(w for w in segment(title) if len(w) >= 3 and A.is_head(w))
    counts = {c: body.count(c) for c in cands
              if c not in own and not c.endswith(("成员", "组长", "干部", "负责人", "同志"))}
    if not counts:
        return None
    # ties go to the body named first, then by name: never to the order a set of
    # strings happens to iterate in (it changes with PYTHONHASHSEED)
    best = min(counts, key=lambda c: (-counts[c], body.find(c) if c in body else len(body), c))
    return best if counts[best] >= 2 else None


# …履行下列职责： / …报送申报材料须遵循以下时间： / …做好以下几项工作：: a lead-in to the items below it
_LEAD_IN = re.compile(r"(?:下列|以下|如下)[^，。；：:,;]{0,6}[：:]\s*$|(?:主要)?职责(?:是|为|包括)[：:]\s*$")


def _lead_in_doer(p_text: str) -> list[str] | None:
    """The doer a lead-in gives the items below it: named in the sentence that ends on its
    colon and bound there (须/要/应…, 请X, 履行下列职责). 现将有关事项通知如下： announces the
    items and binds no one, whichever body an earlier clause of the paragraph names."""
    if not _LEAD_IN.search(p_text):
        return None
    head = p_text.strip().split("\n", 1)
    if len(head) == 2 and A.is_actor_list(strip_punct(head[0])) and (m := A.clause_actors(strip_punct(head[0]))):
        return list(m.names)  # 各分工会、直属工会小组 (a 主送 line that lacks its colon) opens it: they act
    last = strip_punct(re.split(r"[。；;！!]", p_text.strip())[-1])
    m = A.clause_actors(last)
    if not m or m.by:
        return None
    bound = m.asked or "职责" in last[m.end:] or any(x.binding for x in find_modals(last))
    return list(m.names) if bound else None


_DUTY_HEADING = re.compile(r"^(?:的)?(?:主要|工作|具体)?(?:职责|任务|责任|分工)?$")


def _heading_actor(path: list[str]) -> str | None:
    """An actor named by a heading over the text (二、市总工会职责 → 市总工会)."""
    for h in reversed(path):
        title = re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百]+[章条节])\s*", "", h)
        found = A.actor_at(title)
        if found and _DUTY_HEADING.match(title[found[1]:].strip("：: ")):
            return found[0]
    return None


_SUBJECT = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:一般|原则上|应当?|须|要)?(?:为|是|在|于)")
_VAGUE = {"时间", "工作", "情况", "内容", "结果", "材料", "方式", "地点", "范围", "对象", "标准", "期限"}


def _topic_actor(clause: str, earlier: list[tuple[str, list[str]]]) -> list[str] | None:
    """A sentence with no actor whose subject is a topic named earlier (调度时间为… after
    '专项工作专班定期组织召开双月调度…'; 蹲点时间为… after '…组成蹲点工作组') gets the
    actor of that earlier sentence, or the organ whose name holds the topic word."""
    from nlp.language import segment

    m = _SUBJECT.match(clause)
    if not m:
        return None
    keys = [w for w in segment(m.group(1)) if len(w) >= 2 and w not in _VAGUE]
    for text, names in reversed(earlier):
        for k in keys:
            if k not in text:
                continue
            organs = [w for w in segment(text) if k in w and w != k and A.is_head(w)]
            if organs:
                return [organs[0]]
            if names:
                return list(names)
    return None


def extract(doc) -> Checklist:
    """The checklist of one parsed notice: the rules' items (`extract_rules`), then the
    learned duty stage (`duty_model.refine`: drops what the model says is no duty,
    adds clauses the rules missed that it says are duties), then the learned actor
    stage (`actor_model.refine`: a doer named in the text instead of a fallback)."""
    from nlp.checklist import actor_model, duty_model

    token = ANCHOR.set(doc.anchor_date)  # 明天 / 本周五 count from the notice's date
    try:
        return actor_model.refine(duty_model.refine(doc, extract_rules(doc)))
    finally:
        ANCHOR.reset(token)


def extract_rules(doc) -> Checklist:
    """The checklist of one parsed notice by the rules alone."""
    token = ANCHOR.set(doc.anchor_date)
    try:
        return _extract_rules(doc)
    finally:
        ANCHOR.reset(token)


def _extract_rules(doc) -> Checklist:
    """A page in traditional characters (mirrors of
    Hong Kong/Taiwan-facing sites, big5 copies) is read in simplified characters, which
    the word lists are written in, and its items are given back in the page's own script
    (the conversion keeps every offset: `view`)."""
    sdoc = view(doc)
    if sdoc is doc:
        return _extract(doc)
    cl = _extract(sdoc)
    back: dict[str, str] = {}
    for a, b in zip(sdoc.text, doc.text):
        if a != b:
            back.setdefault(a, b)
    table = str.maketrans(back)

    def restore(x: str) -> str:
        return x.translate(table) if isinstance(x, str) else x

    for o in cl.obligations:
        o.text, o.action = restore(o.text), restore(o.action)
        o.actors = [restore(a) for a in o.actors]
        if o.label:
            o.label = (restore(o.label[0]), o.label[1])
        o.section = [restore(p) for p in o.section]
        for q in o.quotas:
            q.text = restore(q.text)
        for d in o.deadlines:
            d.text = restore(d.text)
        if o.frequency is not None:
            o.frequency.text = restore(o.frequency.text)
    cl.document = doc.metadata()
    cl.roster, cl.tables = extract_roster(doc), extract_tables(doc)
    return cl


# a sentence that opens on 并 goes on from the one before it (并于X前…, 并将…)
_GOES_ON = re.compile(r"^并(?:于|在|将|请|须|需|要|应|把|按|及时|同时)")


def _extract(doc) -> Checklist:
    year = doc.anchor_year
    units = _units(doc)
    # a notice that carries no issued document speaks to its recipients directly
    if doc.recipients and not any(p.kind == "body" for p in doc.parts):
        default = A.addressees(doc.recipients)
    else:
        best = _default_actor(doc, units)
        default = [best] if best else []
    obligations: list[Obligation] = []

    # 各县（市、区）总工会履行下列职责：(一)…(二)…: the lead-in names who does each item below it
    lead_in: dict[tuple[str, ...], list[str]] = {}
    for u in units:
        lead = next((names for path, names in lead_in.items()
                     if len(u.path) > len(path) and tuple(u.path[:len(path)]) == path), None)
        para_actors: list[str] = []
        unit_items: list[tuple[str, list[str]]] = []  # (text, explicit actors) of this unit so far
        unit_doers: list[str] = []  # the last doer a clause of this unit named
        in_note = False
        unit_last: Obligation | None = obligations[-1] if u.under_duty and obligations else None
        for para in paragraphs(u.text):
            p_text, p_start = para.text, para.start
            # 附件说明 (附件：1. …  2. …) lists titles, not duties
            if re.match(r"^[-－•·\s]*附\s*件", p_text):
                in_note = True
                continue
            if in_note and re.match(r"^\d+[.．、]", p_text) and not re.search(r"[，。；]", p_text):
                continue
            in_note = False
            if _DUTY_META.match(p_text) and unit_last is not None:
                _merge_meta(unit_last, p_text, doc.text, u.base + p_start + len(p_text), year)
                continue
            if (found_lead := _lead_in_doer(p_text)):
                lead = found_lead
                lead_in[tuple(u.path)] = lead
            path = list(u.path)
            lab = label(p_text)
            if lab and p_text[lab[1] - 1] == "。" and (find_modals(lab[0]) or A.clause_actors(lab[0])):
                lab = None  # 各单位要高度重视。…: a short duty, not a label
            lab_actor = None
            body_offset = 0
            keep_label = ""  # printed before the line's first item (`_short_body`)
            if lab:
                path = path + [lab[0]]
                lab_actor = A.label_actor(lab[0])
                # 报名时间：5月8日至12日 / 比赛日期：6月3日: a time field's name belongs to its duty (the
                # annotators keep the whole line); the date alone covers too little of it to match
                body_offset = 0 if _TIME_FIELD.search(lab[0]) else lab[1]
                if body_offset and p_text[lab[1] - 1] in "：:" and not lab_actor and _short_body(p_text[lab[1]:]):
                    keep_label = p_text[:lab[1]]
            if not lab and (item := _DATED_ITEM.match(p_text)):
                body_offset = item.end()  # the item's number is no part of its duty, and hides its date
            if "\t" in p_text or parse_person(p_text) and len(p_text) < 40 or inline_roles(p_text):
                continue
            para_actors = []
            heading_actor = _heading_actor(path)
            for sent in sentences(p_text[body_offset:], p_start + body_offset):
                s_text = sent.text
                s_off = sent.start
                if _DUTY_META.match(s_text) and unit_last is not None and s_off > p_start:
                    # …报送情况。责任单位：X；完成时间：…: the rest of the paragraph assigns the task before it
                    _merge_meta(unit_last, u.text[s_off:p_start + len(p_text)], doc.text,
                                u.base + p_start + len(p_text), year)
                    break
                if s_text[:1] in "（(" and s_text.rstrip("。；")[-1:] in "）)":
                    inner = s_text[1:].rstrip("。；")[:-1]
                    if unit_last is not None and (assigned := _assignment(inner)):
                        # …不少于100场次。（宣传教育部牵头，各县区总工会配合）: the units do the task before
                        # it; the bracket stays an item of its own, as the project's gold annotates it
                        _lend_actors(unit_last, assigned, doc.text, u.base + s_off + len(s_text.rstrip("。；")))
                    s_text, s_off = inner, s_off + 1
                meta = None
                mb = _meta_bracket(s_text) if len(s_text) > 20 else None
                if mb and strip_punct(s_text[:mb[0]]):
                    # …工作（牵头单位：X；配合单位：Y）: the bracket assigns the duty, it is not part of it
                    meta = (s_text[mb[0] + 1:mb[1] - 1], s_off + mb[1])
                    s_text = s_text[:mb[0]] + s_text[mb[1]:]
                n_before = len(obligations)
                plain = strip_punct(re.split(r"[，,]\s*(?:联系人|联系电话|电话|邮箱|传真)[：:]", s_text)[0])
                if len(plain) < 4 or PHASE_NAME.search(plain) or NOT_A_DUTY.search(plain) and not _hard_attrs(plain, year):
                    continue
                # an opening sentence that only decides the issuer's dated event gives that event alone
                decision_only = False
                if (u.notice and "请" not in plain and not any(m.binding for m in find_modals(plain))
                        and not (TIME_LINE.match(plain) and _hard_attrs(plain, year))):
                    if not _dated_decision(plain, year):
                        continue  # (比赛时间：5月20日 in a notice's opening is its event's dated duty all the same)
                    decision_only = True
                cls = [_clause(u.text, c) for c in clauses(s_text, s_off)]
                # trailing contact details (…，联系人：李军，电话：…) are not part of the duty
                for i, c in enumerate(cls):
                    if i and re.match(r"^(?:联系人|联系电话|电话|邮箱|传真|地址)[：:]", c.text):
                        cls = cls[:i]
                        break
                groups = _group(cls, year)
                if u.rhetoric:
                    # only the stretch of each item from its first to its last clause
                    # carrying a quota, deadline or frequency
                    trimmed = []
                    for g in groups:
                        marks = [i for i, c in enumerate(g) if _hard_attrs(c.text, year)]
                        # 各市总工会要将任务分解到…，参保人数不得低于…: a bound actor's clause opens the item
                        bound = [i for i, c in enumerate(g) if c.actor and not c.actor_list and not c.adverbial
                                 and any(m.binding for m in find_modals(c.text))]
                        if marks and bound and bound[0] < marks[0]:
                            marks.insert(0, bound[0])
                        if marks:
                            end = marks[-1] + 1
                            # 到2025年底，基本形成…: a time adverbial needs the predicate after it
                            while end < len(g) and g[end - 1].adverbial:
                                end += 1
                            trimmed.append(g[marks[0]:end])
                    groups = trimmed
                prev_item_actors: list[str] = []
                sent_binding = False
                established: str | None = None
                for g in groups:
                    if decision_only:  # (…举办…，现将有关事宜通知如下: the announcement is no part of the event)
                        g = [c for c in g if not _ANNOUNCE.match(c.text)] or g
                    text = strip_punct("，".join(c.text for c in g))
                    shown = _as_printed(g, text)
                    if len(text) < 4 or all(c.actor_list for c in g) or decision_only and not _DECIDED_EVENT.search(text):
                        continue
                    start = u.base + g[0].span.start
                    end = u.base + g[-1].span.end
                    label_at = None
                    if keep_label and g[0] is cls[0]:
                        label_at, keep_label = (keep_label.strip(), u.base + p_start), ""
                    masked = date_spans(text)
                    deadlines = find_deadlines(text, year)
                    masked += [(d.start, d.end) for d in deadlines]
                    quotas = find_quotas(text, masked)
                    sdoc = analyse(text)
                    # a yearly deadline carries no frequency of its own (SCHEMA); other cycles keep theirs
                    cyc = [(d.start, d.end) for d in deadlines if d.recurrence == "yearly"]
                    freqs = [f for f in find_frequencies(text, sdoc)
                             if not any(a <= f.start and f.end <= b for a, b in cyc)]
                    modals = find_modals(text, sdoc)

                    names: list[str] = []
                    source = "none"
                    for c in g:
                        if c.actor and not (c.adverbial and not c.actor_list):
                            names += [n for n in c.actor.names if n not in names]
                    asked = [c for c in g if c.actor and c.actor.asked and not c.actor_list]
                    if asked and g.index(asked[0]) > 0:
                        # 市总工会近期发文…，请各单位…: the body asked acts, not the one that told of it
                        names = [n for c in asked for n in c.actor.names]
                    if not names:
                        # 各地在推进工作中遇到的重大问题，要及时报告…: who meets the problem reports it
                        for c in g:
                            if (c.adverbial and c.actor and not c.actor.by and c.actor.start == 0
                                    and re.search(r"(?:发现|遇到|遇有|出现|发生)的", c.text)):
                                names = list(c.actor.names)
                                break
                    if len(names) > 1 and any(not n.startswith("每") for n in names):
                        # 每个县（市、区）推荐…: a distributive subject details the duty of the bodies named
                        names = [n for n in names if not n.startswith("每")]
                    est_in = next((A.established_body(c.text) for c in g if A.established_body(c.text)), None)
                    if not names and est_in and any(c.fuze for c in g):
                        names = [est_in]
                    partners: list[str] = []  # 会同X: X shares the duty of whoever leads it
                    for c in g:
                        for m_ in re.finditer(r"会同((?:同级)?[^，。；]{2,30}?)(?=，|对|开展|建立|共同|联合|进行|组成|$)", c.text):
                            co = A.actor_at(m_.group(1))
                            if co:
                                partners += [n for n in A.split_coordination(co[0]) if n not in partners]
                    if names:
                        names += [n for n in partners if n not in names]
                        source = "clause"
                    elif unit_doers and _GOES_ON.match(text):
                        # …请各单位认真组织。并于3月9日前报送…: a sentence that goes on from the one before
                        names, source = list(unit_doers), "sentence"
                    elif u.notice and doc.recipients and "请" in text:
                        names, source = A.addressees(doc.recipients), "label"
                    elif g[0].fuze and established:
                        names, source = [established], "sentence"
                    elif prev_item_actors:
                        # 各单位要A，并于X前B: a duty cut from a sentence keeps the doer it named
                        names, source = list(prev_item_actors), "sentence"
                    elif lab_actor:
                        names, source = [lab_actor], "label"
                    elif heading_actor:
                        names, source = [heading_actor], "label"
                    elif (linked := _topic_actor(g[0].text, unit_items)):
                        names, source = linked, "paragraph"
                    elif para_actors:
                        names, source = list(para_actors), "paragraph"
                    elif lead and not _LEAD_IN.search(text):
                        names, source = list(lead), "label"
                    elif unit_doers:
                        # 三、活动要求 各级工会要…。…。于8月20日前上报…: the section's doer goes on
                        names, source = list(unit_doers), "paragraph"
                    elif default:
                        names, source = list(default), "document"
                    if names and source != "clause":
                        names = names + [n for n in partners if n not in names]
                    for c in g:
                        est = A.established_body(c.text)
                        if est:
                            established = est
                    explicit = source in ("clause", "label", "sentence")
                    binding = any(m.binding for m in modals) or any(c.actor and c.actor.by for c in g)
                    # 各单位要A，积极B，并于X前C: the 要/须 of the sentence binds each duty cut from it
                    binding = binding or (sent_binding and source == "sentence" and not modals)
                    sent_binding = sent_binding or binding
                    # a case in a list of conditions; but a cap on a sum (生活救助，每户每年不超过5000元) in a
                    # 使用范围 list is a standard of payment a checklist keeps
                    if (u.scope and not binding and source != "clause"
                            and not any(q.kind == "money" and q.max is not None for q in quotas)):
                        continue
                    if u.may_scope and not binding and modality_of(modals) == "may":
                        continue  # 符合条件的…均可申报: who may apply, not a duty
                    if not (quotas or deadlines or freqs or modals) and not _has_verb(text):
                        continue
                    if text.endswith("的") and not any(m.binding for m in modals):
                        continue  # 拥有2套(含)以上住房的: a case of a list, not a duty

                    hard = bool(quotas or deadlines or freqs) or (binding and explicit)
                    default_mod = "must" if binding else "should"
                    modality = modality_of(modals, default_mod)
                    if explicit:
                        prev_item_actors = names
                    if source == "clause":
                        para_actors = names
                    unit_items.append((text, names if source == "clause" else []))
                    if source == "clause" and (modals or "请" in text or not quotas) and not any(n.startswith("每") for n in names):
                        unit_doers = names  # a doer bound to act, not one a quota only counts
                    obligations.append(Obligation(
                        id="", text=shown, section=path, actors=names, action=_action(g, deadlines),
                        modality=modality, tier="hard" if hard else "soft", quotas=quotas,
                        deadlines=deadlines, frequency=freqs[0] if freqs else None,
                        start=start, end=end, page=doc.page_at(start) if doc.page_starts else None,
                        part=u.part.label or u.part.kind, actor_source=source, label=label_at))
                    prev_in_sentence = obligations[-2] if len(obligations) - n_before >= 2 else None
                    if (prev_in_sentence is not None and quotas and source != "clause" and len(text) <= 15
                            and not any(m.binding for m in modals)):
                        # …认真总结本单位工作，字数不少于3000字 / …参加比赛（每人限报2项）: a measure cut off
                        # after a duty qualifies that duty too
                        seen = {(q.min, q.max, q.unit) for q in prev_in_sentence.quotas}
                        prev_in_sentence.quotas += [replace(q) for q in quotas if (q.min, q.max, q.unit) not in seen]
                    unit_last = obligations[-1]
                if meta and len(obligations) > n_before:
                    _merge_meta(obligations[-1], meta[0], doc.text, u.base + meta[1], year)
    for o in obligations:
        _event_doer(o, doc)
    inherit_event_day(obligations, doc, year)
    inherit_context_time(obligations, doc, year)
    obligations = with_table_rows(obligations, row_items(doc, default))
    prefix = doc.id[:6] if getattr(doc, "source", None) else "doc"
    for i, o in enumerate(obligations, 1):
        o.id = f"{prefix}-{i:02d}"
    return Checklist(document=doc.metadata(), obligations=obligations, roster=extract_roster(doc),
                     tables=extract_tables(doc))


def with_table_rows(obligations: list[Obligation], rows: list[Obligation]) -> list[Obligation]:
    """The items with the rows of the notice's quota and events tables (`table_rows`) in their
    place by offset; an item the rules read inside such a row gives way to it."""
    if not rows:
        return obligations
    spans = [(r.start, r.end) for r in rows]
    kept = [o for o in obligations
            if not any(a <= (o.start or 0) < b or (o.start or 0) <= a < (o.end or 0) for a, b in spans)]
    return sorted(kept + rows, key=lambda o: o.start or 0)


_ITEM_NUMBER = re.compile(rf"^\s*(?:{LIST_NUMBER}|{CIRCLED_NUMBER})\s*")


def read_item(doc, text: str, start: int, rules: Checklist) -> Obligation | None:
    """A duty item for a clause the rules did not take (the learned stage adds it): its
    attributes by the same readers, its doer named in it, else the 主送 units, else
    the issuer. Read in the notice's simplified view; the text stays as printed."""
    # 3、其他人员不少于50元: the list's number is no part of the duty (nor a quantity: 3.4个课时)
    m = _ITEM_NUMBER.match(text)
    if m and m.end() < len(text):
        text, start = text[m.end():], start + m.end()
    plain = strip_punct(plain_at(doc, text, start))
    if len(plain) < 4:
        return None
    year = doc.anchor_year
    deadlines = find_deadlines(plain, year)
    masked = date_spans(plain) + [(d.start, d.end) for d in deadlines]
    quotas = find_quotas(plain, masked)
    freqs = find_frequencies(plain)
    modals = find_modals(plain)
    # the doer the clause names, at its head or at the head of a later comma clause
    # (…职工短视频大赛，时间…，要求各基层工会至少…)
    found = A.clause_actors(plain) or next(
        (m for c in clauses(plain) if (m := A.clause_actors(strip_punct(c.text))) and not m.by), None)
    # 市总工会近期发文…，请各单位…: a later clause's 请X / 要求X names who acts
    asked = next((m for c in clauses(plain)[1:] if (m := A.clause_actors(strip_punct(c.text))) and m.asked), None)
    if asked and not (found and found.asked):
        found = asked
    if found:
        names = [to_original(n, plain, strip_punct(text)) for n in found.names]
        source = "clause"
    elif doc.recipients:
        names, source = A.addressees(doc.recipients), "document"
    else:
        names, source = ([doc.issuer] if doc.issuer else []), "document"
    binding = any(m.binding for m in modals) or "请" in plain[:12]
    hard = bool(quotas or any(d.recurrence != "relative" for d in deadlines) or freqs or (names and binding))
    end = start + len(text)
    item = Obligation(id="", text=strip_punct(text), section=[], actors=names, action=strip_punct(text)[:40],
                      modality=modality_of(modals), tier="hard" if hard else "soft", quotas=quotas,
                      deadlines=deadlines, frequency=freqs[0] if freqs else None, start=start, end=end,
                      page=doc.page_at(start) if doc.page_starts else None, part=None, actor_source=source)
    # (read in simplified characters, as the rules read the notice; the organiser as printed)
    _event_doer(item, doc, plain)
    return item


def to_original(name: str, simple: str, original: str) -> str:
    """`name` as printed in `original` when it was read in its simplified copy."""
    i = simple.find(name)
    return original[i:i + len(name)] if i >= 0 and len(simple) == len(original) else name


def clear_caches() -> None:
    """Forget memoised clause readings (benchmarks use it to time unseen text)."""
    from nlp import analysis

    analysis.clear()
    _hard_attrs.cache_clear()
    _has_verb.cache_clear()
    _is_adverbial.cache_clear()
    A.clause_actors.cache_clear()
    A.actor_at.cache_clear()
