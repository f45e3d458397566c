"""The learned duty stage: duty or not, per clause, where the rules do not transfer.

The rule extractor (`extract._extract`) proposes items; the rest of the notice's text,
cut into sentences (long ones into comma clauses), are further candidates. A
scikit-learn classifier (character n-grams of the clause + clause features: modal
words, quantities, dates, frequency, a named doer, position, section kind, whether
the rules took it) says which candidates are duties. The stage keeps a rule item
unless the model says it is none, and adds a candidate the rules missed when the
model says it is one (p < 0.5 drops, p ≥ 0.45 adds, with balanced class weights; the
add threshold was 0.5 until the grouped CV's grid showed a lower one gaining recall and
attributes for little precision (0.4 added a rhetoric clause to a dev seed), so the
figures at 0.45 are tuned on those folds;
`cross_validate` reports the grid).

Training data: the offsets-only annotations of real notices (`annotations.py`) and
the project's own gold (corpora/gold, corpora/heldout/gold). Labels follow the
scorer: a candidate is a duty when it overlaps a gold duty. `cross_validate` folds
the real notices by source site (no site in both train and test), the project's
gold always training only. The model ships as models/checklist/duty.joblib with its
card (`python -m nlp.checklist.duty_model train`), and its weights as duty.json: what
`refine` applies, in plain Python (`Weights`), so a checklist run imports neither
scikit-learn nor scipy (0.7 CPU-s of start-up)."""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from ingest.text import HEADING_START
from nlp.checklist.clauses import TIME_LINE

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = ROOT / "models" / "checklist"
MODEL_PATH = MODEL_DIR / "duty.joblib"
WEIGHTS_PATH = MODEL_DIR / "duty.json"
SEED = 0

_MODAL = re.compile(r"请|须|需|必须|应|要|务必|不得|严禁|负责|牵头|可以?|望|一律|准时|按时")
_LEAD_CAUSE = re.compile(r"^(?:为了?|根据|按照|依据|经研究|经|现将|近年来|随着|自|以)")
_CONTACT = re.compile(r"联系人|电话|邮箱|传真|QQ|qq|微信|地址[：:]")
_LABEL = HEADING_START  # the number opening a heading or list item (ingest.text)
_SCOPE = re.compile(r"范围|条件|对象|资格|标准|评分|奖项|设置|规则|办法")
_RHETORIC = re.compile(r"指导思想|目的|意义|背景|总体要求|原则|目标")
_TIME_HEAD = re.compile(r"时间|地点|日程|安排")
_DO_HEAD = re.compile(r"要求|事项|报名|报送|申报|推荐|方式|程序|步骤|组织|工作")
# finer kinds of heading than _SCOPE, which holds 报名办法 and 奖励办法 alike: the prizes, the
# rules of a match, who may take part (no duties), and what units must do
_HEAD_AWARD = re.compile(r"奖励|奖项|表彰|评奖|评比|名次|录取")
_HEAD_RULES = re.compile(r"规则|赛制|比赛方法|比赛项目|竞赛项目|项目设置|比赛办法|计分|评分")
_HEAD_WHO = re.compile(r"对象|资格|条件|范围")
_HEAD_ASK = re.compile(r"报名|报送|申报|推荐|要求|事项|注意")
_SENT_END = re.compile(r"[。；;！!？?]")
_DELIVER = re.compile(r"报送|上报|报至|报到|交至|交到|送交|发送至|发至|提交|报名|推荐|签到|集合|参加")
_EVENT_WORDS = re.compile(r"定于|拟于|拟定于|时间[:：]|截止")
# a consequence stated for a case (…的，视为弃权; …的，不予补助; 过半数者始得当选; 选举有效)
_CONSEQUENCE = re.compile(r"视为|不予|不再|始得|判定|选举(?:有效|无效)")
# X是Y as the clause's predicate (…平台是…的重要阵地, 本月是…, 主题是…): a statement, where
# 必须是 / 应当是 / 需是 bind and 一是 / 重点是 / 特别是 list or stress
_COPULA = re.compile(r"(?<![一二三四五六七八九十但还就只若要须需应于凡总或也可别其点])是(?![否指])")
_BINDS = {"须", "需", "必须", "应", "要", "务必", "不得", "严禁", "负责", "牵头", "请", "一律"}
# the rules of a match or game: how many per group, points per game, games to win (三局两胜), laps, the groups it is
# played in (4人一组, 每局21分制, 甲组跑四圈, 分设男子组、女子组, 按年龄分…组)
# (a run of numerals is tried from its first one only: from each of them, a long run cost time
# growing with the square of its length)
_MATCH_RULE = re.compile(r"(?<![0-9一二两三四五六七八九十])[0-9一二两三四五六七八九十]+人一组|每局|"
                         r"(?<![0-9一二三四五六七八九十])[0-9一二三四五六七八九十]+局[0-9一二两三四五六七八九十]+胜|分制|"
                         r"跑[0-9一二两三四五六七八九十]+圈|发球|(?:分设|分为|按[^，,。]{1,6}分)[^，,。]{0,12}组")
# what has already happened or been done (…活动已经启动, 日前，…下发了《…》, …发生7.0级地震): background
# before the notice's asks; not 防止/避免…发生 (a duty to prevent), not 为了; 日前 only as the adverb set
# off by commas, not the end of a date or span (5月20日前, 5个工作日前, 节日前上报)
_HAPPENED = re.compile(r"已经|已于|业已|(?<!防止|避免|杜绝|预防|减少)(?<!事故|意外)发生|(?:^|[，,])日前[，,]|"
                       r"[\u4e00-\u9fff](?<![为除])了(?!解)")
# the groups of a match by age or rank (男子甲组（35岁以上）、男子乙组…; 40岁以下为A组; 分儿童组、少年组、…)
_MATCH_GROUPS = re.compile(r"岁[^，,。；;]{0,12}[甲乙丙丁ABCD]组|[甲乙丙丁ABCD]组[（(][^）)]*岁|[甲乙丙丁ABCD少青中老壮]年?组[、，,]")
# a line that is nothing but the names of bodies: the signature, which a page printed after a stray
# comma (gonghui.huas.edu.cn) or above a date the head reader does not take (lhjtgs.com: 二0一三年…)
# how a competition is run or ranked (小组循环赛, 各组出线的代表队…, 分南、北两个赛区进行, 环数总和多者排名优先):
# rules of the match like `_MATCH_RULE`, seen in three unseen page sites (gpoenergy.com, zdgh.sysu.edu.cn,
# jgdw.ncepu.edu.cn) and in no candidate of the annotated notices (their one 淘汰赛 line, a duty, is not matched)
_MATCH_FORMAT = re.compile(r"者(?:排名)?优先|循环赛|出线|赛区")
_SIGNATURE_END = re.compile(r"(?:工会|委员会|协会|妇委会|秘书处|办公室|党办)$")


def _signature(text: str) -> bool:
    """Whether `text` is only names of bodies, each read whole as a name and ending on an organ word."""
    from nlp.checklist.actors import actor_at

    parts = [x for x in re.split(r"[、，,\s]+", text) if x]
    return bool(parts) and all(_SIGNATURE_END.search(x) and (a := actor_at(x)) and a[1] == len(x) for x in parts)


_CATEGORY_END = re.compile(r"的[^，,。；;的]{0,12}(?:职工|家庭|人员|教职工|教师|子女|会员|员工|单位|企业|组织|对象|者)"
                           r"(?:[（(][^）)]*[）)])?$")


@dataclass
class Candidate:
    text: str
    start: int
    end: int
    rule: int | None  # index of the rule item it is, None for text the rules left
    heading: str  # the nearest heading line above it
    position: float  # where it lies in the notice, 0..1
    bracket: bool = False  # a clause inside a bracket of a rule item (_bracket_clauses)


def _headings(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        s = line.strip()
        if s and len(s) <= 30 and _LABEL.match(s) and not _SENT_END.search(s[:-1]):
            out.append((pos, s))
        pos += len(line) + 1
    return out


def _heading_at(heads: list[tuple[int, str]], offset: int) -> str:
    i = bisect_right(heads, offset, key=lambda h: h[0])  # heads are in text order
    return heads[i - 1][1] if i else ""


class _Taken:
    """Spans already read (rule items, head lines), sorted by start, asked whether one of
    them holds more than `share` of a piece. A long notice has thousands of both; testing
    every span for every piece made a 1 MB file take a minute and 5 MB never finish."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def holds(self, a: int, b: int, share: float) -> bool:
        # only spans starting in [a - longest, b) can overlap [a, b)
        lo, hi = bisect_left(self.starts, a - self.longest), bisect_left(self.starts, b)
        return any(min(b, e) - max(a, s) > share * (b - a) for s, e in self.spans[lo:hi])


# A left-over sentence up to this long is one candidate; a longer one is cut into comma
# clauses of about 25 characters. 100, not 60: a duty of 60–100 characters was cut into
# pieces none of which covers it, while a whole sentence of that length still matches a
# duty of 32 or more (the scorer allows 2.5 × the duty + 20). Grouped CV by site: the card.
WHOLE_SENTENCE = 100


# a clause giving the purpose or basis of what follows (为…，根据…要求，在…之际)
_LEAD_CLAUSE = re.compile(r"^\s*(?:为了?|根据|按照|依据|遵照|在[^，,]{2,30}(?:之际|来临|前夕))")
# a clause that already decides or asks something: the lead ends before it
_LEAD_STOP = re.compile(r"决定|定于|拟于|将于|(?<![提申邀])请|必须|务必")
_CLAUSE = re.compile(r"(?:^|(?<=[，,]))[^，,]*[，,]")


def _lead(seg: str) -> int:
    """Where the purpose-and-basis lead of a long sentence ends (0: none): after its last
    clause opened by 为/根据/按照…, as long as no clause up to there decides or asks
    something. `为激励…，更好地…，根据…要求，决定组织评选…，推荐：…不超过2名。` leads into
    its duty after 要求; the duty is then one piece rather than blind chunks of it."""
    end = pos = 0
    # (a clause starts at the start or after a comma: tried from every position of a long
    # run with no comma, the search took time growing with the square of its length)
    for m in _CLAUSE.finditer(seg):
        clause = m.group(0)
        if _LEAD_STOP.search(clause):
            break
        pos = m.end()
        if _LEAD_CLAUSE.match(clause):
            end = pos
    return end


def _pieces(line: str, base: int) -> Iterable[tuple[int, int]]:
    """Sentences of a line; a long one cut into its lead (`_lead`) and comma clauses of a
    useful size, its rest whole when that is short enough."""
    start = 0
    for m in list(_SENT_END.finditer(line)) + [None]:
        end = m.end() if m else len(line)
        seg = line[start:end]
        if seg.strip():
            if len(seg) <= WHOLE_SENTENCE:
                yield base + start, base + end
            elif (lead := _lead(seg)) and end - (start + lead) <= WHOLE_SENTENCE:
                yield base + start, base + start + lead
                yield base + start + lead, base + end
            else:
                a = start
                for c in re.finditer(r"[，,]", seg):
                    b = start + c.end()
                    if b - a >= 25:
                        yield base + a, base + b
                        a = b
                if end - a > 0:
                    yield base + a, base + end
        start = end


# X，即Y / X是指Y: a definition, no duty (the rules' NOT_A_DUTY says so of their own items)
_DEFINITION = re.compile(r"[，,]\s*即|是指|系指")
_NOTE = re.compile(r"^[-－•·\s]*附\s*件|^附[:：]")
# a name list's line: 张三 市总工会办公室主任, 魏 伟 市总工会…部长 (a person, a space, an office)
_ROSTER_LINE = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}[ \t\u3000]+[^，。；：:]{2,30}"
                          r"(?:长|主任|调研员|书记|主席|委员|干事|专员|经理|老师|教授|同志)$")
# the title of a form or list (2.…安排表, …名单): an attachment's name, no clause
# (…代表 ends on 表 and is a congress's delegates, no form: …及时通知本单位职工代表)
_FORM_TITLE = re.compile(r"^(?:\d+[.．、])?[^，,；;。]{2,40}(?:(?<!代)表|名单|清单|一览)$")


_BRACKET = re.compile(r"[（(]([^（）()]{6,80})[）)]")
_BRACKET_ASK = re.compile(r"请|须|需|务必|不得|限|每")


def _bracket_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses inside a bracket of a rule item that ask or cap something of their own
    (…参赛（联合组建视为一支球队，每队12人）, …推荐（请一并提交电子版）): notices put a
    cap or a further request there, which annotators and readers take as a duty."""
    from nlp.checklist.deadlines import date_spans, find_deadlines
    from nlp.checklist.quantities import find_quotas

    out = []
    for m in _BRACKET.finditer(text, start, end):
        a = m.start(1)
        for piece in re.split(r"(?<=[，,；;])", m.group(1)):
            core = piece.strip().rstrip("，,；;")
            b = a + len(core)
            if len(core) >= 4 and (_BRACKET_ASK.search(core) or find_quotas(core, date_spans(core))
                                   or find_deadlines(core)):
                lead = len(piece) - len(piece.lstrip())
                out.append((a + lead, b))
            a += len(piece)
    return out


def candidates(doc, items: list, roster: list | None = None) -> list[Candidate]:
    """The rule items and the text they left, as clause candidates of one notice; the
    lines of its name lists (read by the roster reader), its 附件 notes, the rows of its
    tables and the cells of its form attachments are none."""
    from ingest.structure.dates import compact_date, date_only
    from ingest.structure.text import is_signer
    from nlp.checklist.clauses import strip_punct
    from nlp.checklist.extract import PHASE_NAME, TRANSMITTAL, _hard_attrs
    from nlp.checklist.modality import find_modals
    from nlp.checklist.tables import form_spans, inside, table_spans
    from nlp.checklist.view import view

    # the filters (form titles, 现将…印发, phases, table and form cells, bracket asks) read the
    # notice's simplified view (`view`, same offsets), as the rules do; a candidate's text stays
    # as printed. Its heading stays as printed too: read in the view, the traditional-character
    # notices' headings fire the heading features and the refit keeps more eligibility clauses
    # elsewhere (grouped CV inner=0, P 0.770/0.764/0.774 -> 0.765/0.757/0.771 on GroupKFold/
    # seeds 1/2, R unchanged), so it waits for gold that agrees on those clauses
    text, plain = doc.text, view(doc).text
    year = doc.anchor_year
    tables, forms = table_spans(doc), form_spans(doc)

    def filled_in(a: int, b: int, rule: bool) -> bool:
        # a table's row or a form's cell (名额分配表, 计划表, 申报表: 姓名 性别 单位…) is data,
        # no duty, unless the cell binds someone (…须加盖公章); outside its tables a form
        # attachment yields only its notes that ask or date something (此表一式3份，4月15日前上报)
        seg = plain[a:b]
        if inside(tables, a, b):
            return not any(m.binding for m in find_modals(seg))
        if not rule and inside(forms, a, b):
            return not (_hard_attrs(seg, year) or any(m.binding for m in find_modals(seg)))
        return False

    names = [r.name for r in roster or [] if r.name]
    n = max(len(text), 1)
    heads = _headings(text)
    # the rows of a quota or events table are read by the table (`table_rows`), not by the model
    out = [Candidate(o.text, o.start or 0, o.end or 0, i, _heading_at(heads, o.start or 0), (o.start or 0) / n)
           for i, o in enumerate(items) if o.actor_source != "table" and not filled_in(o.start or 0, o.end or 0, True)]
    taken = [(o.start or 0, o.end or 0) for o in items]
    for o in items:
        out += [Candidate(text[a:b], a, b, None, _heading_at(heads, a), a / n, bracket=True)
                for a, b in _bracket_clauses(plain, o.start or 0, o.end or 0) if not filled_in(a, b, False)]
    skip = [(s.start, s.end) for k, s in doc.spans.items() if k in ("title", "page_title", "recipients", "doc_number", "letterhead", "date", "byline")]
    taken = _Taken(taken + skip)
    pos = 0
    for line in plain.split("\n"):
        for a, b in _pieces(line, pos):
            seg = plain[a:b].strip()
            if is_signer(seg) or date_only(seg) or compact_date(seg):
                continue  # the 落款: the signing organ and its date
            if len(seg) < 4 or _NOTE.match(seg) or _ROSTER_LINE.match(seg) or any(n in text[a:b] or n in seg for n in names if len(seg) < 50):
                continue
            if (_FORM_TITLE.search(strip_punct(seg)) or TRANSMITTAL.match(strip_punct(seg))
                    or PHASE_NAME.search(strip_punct(seg)) or _DEFINITION.search(seg)):
                continue  # a form's title; the cover letter's 现将…印发给你们，请…实施; 第二阶段（4月1日—10月31日）：组织实施
            if taken.holds(a, b, 0.3) or filled_in(a, b, False):
                continue
            out.append(Candidate(text[a:b].strip(), a, b, None, _heading_at(heads, a), a / n))
        pos += len(line) + 1
    return out


def features(c: Candidate, items: list, doc_year: int | None, event_day: bool = False) -> dict[str, Any]:
    """`event_day`: the notice names its own event's day (`extract.event_day_lines`)."""
    from ingest.simplified import to_simplified
    from nlp.checklist.actors import clause_actors
    from nlp.checklist.deadlines import date_spans, find_deadlines
    from nlp.checklist.extract import clock_on_event_day
    from nlp.checklist.quantities import find_quotas

    t = to_simplified(re.sub(r"\s+", "", c.text))
    body = _LABEL.sub("", t)
    dls = find_deadlines(body, doc_year)
    quotas = find_quotas(body, date_spans(body))
    f: dict[str, Any] = {
        "rule": c.rule is not None,
        "len": min(len(t), 120) / 120,
        "short": len(t) < 12,
        "commas": min(t.count("，") + t.count(","), 6) / 6,
        "position": round(c.position, 2),
        "late": c.position > 0.85,
        "labelled": bool(_LABEL.match(t)),
        "ends_colon": t.endswith(("：", ":")),
        "has_colon": "：" in t or ":" in t,
        "lead_cause": bool(_LEAD_CAUSE.match(body)),
        "contact": bool(_CONTACT.search(t)),
        "please": body.startswith("请") or "请" in body[:12],
        "quota": bool(quotas),
        # a clock time with a deed and no date (上午8:00签到, 下午三点前结束比赛) in a notice that
        # names its event day is due on that day: a deadline as much as a dated one (5 duties in
        # jiading, jzxx, sut; one 集合时间 line of yangtzeu is none); the day itself is given
        # after this stage (`inherit_event_day`)
        "deadline": any(d.recurrence != "relative" for d in dls) or (event_day and clock_on_event_day(body)),
        "relative": any(d.recurrence == "relative" for d in dls),
        "actor": clause_actors(body) is not None,
        # a doer named at the head of a later comma clause (…大赛，时间…，要求各基层工会…)
        "actor_later": any(clause_actors(p.strip("，,")) for p in re.split(r"(?<=[，,])", body)[1:]),
        # handing something in: what most duties of a school or county notice come to
        "deliver": bool(_DELIVER.search(body)),
        "event": bool(_EVENT_WORDS.search(body)),
        "head_scope": bool(_SCOPE.search(c.heading)),
        "head_rhetoric": bool(_RHETORIC.search(c.heading)),
        "head_time": bool(_TIME_HEAD.search(c.heading)),
        "head_do": bool(_DO_HEAD.search(c.heading)),
        "no_head": not c.heading,
        "head_award": bool(_HEAD_AWARD.search(c.heading)),
        "head_rules": bool(_HEAD_RULES.search(c.heading)),
        "head_who": bool(_HEAD_WHO.search(c.heading)),
        "head_ask": bool(_HEAD_ASK.search(c.heading)),
    }
    # a quota with one open side (不低于30%, 限报2项, 100元以内) states a norm by itself: such
    # clauses bind with no modal word (慰问…人数不低于总人数的30%), where a bare number
    # (共有代表161名) states a fact
    f["bound"] = any((q.min is None) != (q.max is None) for q in quotas)
    # a time line (报名时间：5月8日至12日, 比赛时间定于11月3日, 截止日期为6月4日): the gold's dated duty of
    # whoever holds or takes that step, wherever it stands (the rules leave those of a notice's opening)
    f["time_line"] = bool(TIME_LINE.match(body)) and f["deadline"]
    # under a scope or standard heading (慰问对象和标准, 补助标准) a measured clause is the
    # standard itself, a duty (22 of 24 real candidates in 8 sites), where the heading alone
    # marks eligibility and rules (no duties)
    f["head_scope&quota"] = f["head_scope"] and f["quota"]
    # a clause that ends on a class of people or units qualified by a 的-phrase (…生活困难的
    # 职工家庭, 当年被录取的建档困难职工子女, 区域范围内的所有企事业单位) says who qualifies:
    # an eligibility entry, no duty (42 of 44 real candidates in 7 sites)
    # (not a requirement to have someone: …，有1名专职管理的工作人员)
    last = re.split(r"[，,；;]", t.rstrip("。；;，,"))[-1]
    f["category_end"] = bool(_CATEGORY_END.search(last)) and not last.startswith("有")
    # what a clause the rules left brings: a date, a measure or a doer weighs otherwise
    # there (a dated event line, 每个县区可申报1家) than in the rules' own items
    left = c.rule is None
    f["left&deadline"] = left and f["deadline"]
    f["left&quota"] = left and f["quota"]
    f["left&actor"] = left and f["actor"]
    f["bracket"] = c.bracket
    # three kinds of clause that state and do not ask, seen as false items across sites; each
    # counts only with no word that binds (a modal outweighs them in the items that are duties:
    # 须…，逾期不予受理; 队员应当是…; 分组…须…)
    modals = set(_MODAL.findall(body))
    binds = bool(modals & _BINDS)
    # a consequence stated for a case, with no modal, date or measure of its own (逾期未交的，视为
    # 弃权; 得票过半数的，始得当选; 犯规两次的，判定负): none of 8 such candidates in 6 sites is a duty
    f["bare_consequence"] = bool(_CONSEQUENCE.search(body)) and not modals and not (
        f["deadline"] or f["relative"] or f["quota"])
    # X是Y as the predicate (…平台是…的重要阵地, 主题是…): a statement: none of 6 such
    # candidates in 5 sites is a duty (those with 是 that are carry a binding word: 必须是…)
    f["copula"] = bool(_COPULA.search(body)) and not binds
    # the rules of a match or game (4人一组, 每局21分制, 甲组跑四圈, 分设男子组、女子组):
    # none of 11 such candidates in 6 sites is a duty
    f["match_rule"] = bool(_MATCH_RULE.search(body)) and not binds
    for m in sorted(modals):
        f[f"modal={m}"] = True
    if c.rule is not None:
        o = items[c.rule]
        f["rule_hard"] = o.tier == "hard"
        f[f"rule_actor={o.actor_source}"] = True
    return f


def vetoed(row: tuple[str, dict[str, Any]]) -> bool:
    """A clause of a class that states and does not ask, no duty whatever the model's
    probability: the model sees each class in too few rows to weigh it (a feature of 5–11
    rows beside the character n-grams moved no false item), so the stage drops it outright.
    Each class counts only with no binding word in the clause (`features`):
    - the rules of a match (`match_rule`: 3人一组, 每局11分制, 5局3胜制, A组跑三圈) with no cap: 11
      candidates in 6 sites (ankang-tjj-gh, sxny-ygh, nwpu-hqjt-gh, ouc-gh, sdufe-xgh, zkvtc-gh), none a duty;
      and its groups by age or rank (`_MATCH_GROUPS`: 男子甲组（35岁以上）、…; 40岁以下为A组): 5 in 3 sites
      (tj-gxq-gh-022china, sdufe-xgh, ankang-tjj-gh), none a duty;
    - a consequence stated for a case with nothing of its own (`bare_consequence`: 逾期不报者，视为放弃):
      9 in 7 sites, the one duty among them (nanhu-zgh) under the keep bar anyway;
    - what has already happened (…活动已经启动, 日前…下发了, …发生地震; `_HAPPENED`): 4 in 4 sites
      (ahcme-ygh, zzu-xgh, zzut-gh, cug-xgh), none a duty;
    - how a competition is run or ranked (`_MATCH_FORMAT`: 小组循环赛, 出线, 赛区, 多者排名优先) with no cap:
      6 candidates in 3 unseen page sites, none a duty, none among the annotated notices' candidates;
    - a line that only names bodies (`_signature`: the signing organs printed where the head reader
      does not take them for the signature): 2 items in 2 unseen page sites (gonghui.huas.edu.cn,
      lhjtgs.com), none in the annotated notices' readings, never a duty (a duty has a predicate)."""
    text, f = row
    if _signature(text):
        return True
    # a cap (不超过3张) is a norm of its own, whatever else the clause says (参赛作品可分为…组照（不超过3张）)
    if f.get("match_rule") and not f.get("bound") or f.get("bare_consequence"):
        return True
    body = _LABEL.sub("", text)
    if set(_MODAL.findall(body)) & _BINDS:
        return False
    return bool(_HAPPENED.search(body) or _MATCH_GROUPS.search(body)
                or _MATCH_FORMAT.search(body) and not f.get("bound"))


def binds(text: str) -> bool:
    """Whether a clause carries a word that binds its doer (`modality.BINDING`: 要, 应, 须, 不得, 负责, 务必…,
    read on tokens, so 重要 and 需要 do not count). A rule item with such a word and a probability between
    the two bars stays (`_rebuild`): it meets the bar of a clause the rules left, not the higher one of a rule
    item. Shipped model, rule items between the bars on the dev notices (the 75 and page sets 1, 2, 4, 6, 7,
    10, 11, 12): 39 with such a word, 34 of them duties, 9 covering a hard gold duty (6 sites: a `负责` line per
    named person, a `务必` line, `要` lines); 187 without one, 112 duties."""
    from nlp.checklist.modality import find_modals

    return any(m.binding for m in find_modals(text))


# 请 asking someone to act; not 申请/邀请/提请/报请/聘请/宴请/呈请 (a noun or another's act) nor 请示/请假/请柬/请帖/请教
_ASK = re.compile(r"(?<![申邀提报聘宴呈])[请請](?![示假柬帖教])")


def asks(text: str) -> bool:
    """Whether a clause asks with 请, which every gold set reads as binding (the doer it names, else the
    addressees) while `modality` holds it no modal word. Such a rule item between the two bars stays as one with a
    binding word does (`_rebuild`). Pooled grouped CV (the 75 and page sets 1, 2, 4, 6, 7, 10-14; seed 1), rule
    items between the bars with no binding word, no date line and no veto: 9 ask with 请, all 9 duties, 4 of
    them covering a hard gold duty (4 sites, 4 partitions); the other 219 were duties 126 times. Keeping them: pooled
    CV (arm bPC, 240 notices, 232 sites) hard recall +4 / +3 of 1222 on seeds 1 / 2, actors +3 / +3, precision level
    (session 27). The two false items seen on the dev page sets are contact lines (请联系…)."""
    return bool(_ASK.search(text))


# what a line holds beside its dates: Chinese characters (digits, Latin and punctuation are parts of dates and clocks)
_NOT_HAN = re.compile(r"[\W\d_a-zA-Z]")


def date_line(text: str) -> bool:
    """A dated time line: a day, a window or a part of a month with at most a short field name or
    stage name beside it (`5月8日—5月20日`, `比赛时间：10月下旬`, `第三期 9月2日至8日`, `集合：6月1日（周六）
    8点整`). The gold of every set reads such a line as the duty of whoever takes that step, yet the
    model, seeing little text in it, scores it under its bars. Pooled grouped CV (75 notices and page
    sets 1, 2, 4, 6, 7; seed 1): 4 rule items of 4 sites (shengneitong.com, 6622m.com, m.99spj.com,
    www.ylq.gov.cn) dropped at p 0.58–0.63, all duties; 8 left clauses of 5 sites (4 of one schedule of
    hongcai33.com, jmu-xgh) not added, 7 of them duties; the date lines the stage kept were duties 53 times
    in 61. So the stage keeps and adds them whatever the probability (vetoed classes still go)."""
    from ingest.simplified import to_simplified
    from nlp.checklist.deadlines import date_spans

    t = to_simplified(re.sub(r"\s+", "", text))
    spans = [(a, b) for a, b in date_spans(t) if "月" in t[a:b]]
    if not spans:
        return False
    for a, b in sorted(spans, reverse=True):
        t = t[:a] + t[b:]
    return len(_NOT_HAN.sub("", t)) <= 8


def _texts(cands: list[Candidate]) -> list[str]:
    from ingest.simplified import to_simplified

    return [to_simplified(re.sub(r"\s+", "", c.text)) for c in cands]


def make_pipeline():
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    union = FeatureUnion([
        ("chars", Pipeline([("pick", FunctionTransformer(_pick_text)),
                            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True))])),
        ("feats", Pipeline([("pick", FunctionTransformer(_pick_feats)), ("dict", DictVectorizer())])),
    ])
    return Pipeline([("x", union), ("clf", LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced",
                                                              solver="liblinear", random_state=SEED))])


def _pick_text(rows):
    return [r[0] for r in rows]


def _pick_feats(rows):
    return [r[1] for r in rows]


# ------------------------------------------------------------------ data


@dataclass
class Example:
    """One notice: its rule checklist, candidates, their rows and labels."""
    name: str
    group: str
    gold: dict | None
    checklist: Any
    doc: Any
    cands: list[Candidate]
    rows: list[tuple[str, dict]]
    labels: list[int]
    splits: list = field(default_factory=list)  # labelled commas for the split stage (split_model)


def _label(c: Candidate, gold: dict) -> int:
    from nlp.checklist.evaluate import overlaps

    return int(any(overlaps(c.text, g["text"]) for g in gold.get("obligations", [])))


def example(doc, gold: dict | None, name: str, group: str, splits: bool = True) -> Example:
    """One notice read by the rules (with the split model in use, `split_model.using`);
    `splits`: also the commas the rules alone meet, labelled from the gold."""
    from nlp.checklist import split_model
    from nlp.checklist.extract import extract_rules

    cl = extract_rules(doc)
    cands = candidates(doc, cl.obligations, cl.roster)
    rows = _rows(doc, cands, cl.obligations)
    labels = [_label(c, gold) for c in cands] if gold else []
    commas = split_model.labelled(split_model.record(doc), gold) if gold and splits else []
    return Example(name, group, gold, cl, doc, cands, rows, labels, commas)


def reread(e: Example) -> Example:
    """The same notice read again (under the split model now in use), its commas kept."""
    out = example(e.doc, e.gold, e.name, e.group, splits=False)
    out.splits = e.splits
    return out


def fit_split(examples: list[Example]):
    from nlp.checklist import split_model

    return split_model.fit([r for e in examples for r in e.splits])


def real_examples(ann_dir: Path, shared: Path) -> list[Example]:
    """The annotated real notices, read by the rules alone (no split model)."""
    from ingest.load import load
    from nlp.checklist import split_model
    from nlp.checklist.annotations import load_all, source_path

    with split_model.using(None):
        return [example(load(source_path(ann, shared)), gold, ann["file"], ann.get("site") or ann["file"].split("/")[-2])
                for ann, gold in load_all(ann_dir, shared)]


PAGE_ANNOTATIONS = ROOT / "corpora/annotations/checklist-pages"
# the page sets that stay a measurement (HELPERS.md): never training material, never a CV fold;
# pages8 and pages9 are untuned checks that tell whether a change tuned on the others transfers
# (pages9 since session 24, when the coordinator had used pages8 once to take back a change;
# pages15 since session 28, a fresh one of union notices measured by the coordinator alone)
BLIND_PAGE_SETS = ("checklist-pages3", "checklist-pages5", "checklist-pages8", "checklist-pages9", "checklist-pages15")


def page_examples(pages: Path, shared: Path, ann_dir: Path = PAGE_ANNOTATIONS,
                  missing: str = "refuse") -> list[Example]:
    """The annotated notices of web pages (`corpora/annotations/checklist-pages*`), read by the
    rules alone from the page cache `pages` (the text is kept outside the repository): real
    notices like `real_examples`, for a fit or CV that is given the cache (CI has none). Named
    after their set (`pages/…`, `pages2/…`), so a CV can score each set apart; `missing="skip"`
    leaves out the pages the cache lacks (`annotations.load_set`)."""
    from ingest.load import load
    from nlp.checklist import split_model
    from nlp.checklist.annotations import load_set, source_path

    if Path(ann_dir).name in BLIND_PAGE_SETS:
        raise ValueError(f"{ann_dir}: a blind or check page set is no training material")
    prefix = Path(ann_dir).name.removeprefix("checklist-")
    with split_model.using(None):
        return [example(load(source_path(ann, shared, pages)), gold, f"{prefix}/{ann['file']}",
                        ann.get("site") or ann["file"])
                for ann, gold in load_set(ann_dir, shared, pages, missing)[0]]


def page_set_examples(specs: list[str], shared: Path, pages: Path | None = None,
                      missing: str = "refuse") -> list[Example]:
    """`page_examples` of several page sets pooled. A spec is an annotation folder (as given, else
    under the repository or corpora/annotations) or `FOLDER=CACHE` when that set's texts lie in a
    page cache of their own; without `=CACHE` a set reads `pages`."""
    out: list[Example] = []
    for spec in specs:
        folder, _, own = spec.partition("=")
        path = next((c for c in (Path(folder), ROOT / folder, ROOT / "corpora/annotations" / folder) if c.is_dir()),
                    None)
        if path is None:
            raise ValueError(f"{folder}: no such annotation folder")
        out += page_examples(Path(own) if own else pages, shared, path, missing)
    return out


def project_examples(root: Path = ROOT) -> list[Example]:
    """The project's own gold with its sources (training only, never a test fold), read
    by the rules alone."""
    from ingest.load import load
    from nlp.checklist import split_model

    with split_model.using(None):
        return _project_examples(root, load)


def _project_examples(root: Path, load) -> list[Example]:
    out = []
    for gold_dir, src_dir in ((root / "corpora/gold", root / "corpora/notices"),
                              (root / "corpora/heldout/gold", root / "corpora/heldout/notices")):
        for gp in sorted(gold_dir.glob("*.gold.json")):
            stem = gp.name.removesuffix(".gold.json")
            src = next((p for p in sorted(src_dir.glob(stem + ".*")) if not p.name.endswith(".json")), None)
            if src is None:
                continue
            gold = json.loads(gp.read_text(encoding="utf-8"))
            out.append(example(load(src), gold, f"project/{src.name}", "project"))
    return out


# ------------------------------------------------------------------ fit, apply, judge


# The project's own gold comes from the hand that wrote the rules: its notices train the
# stage at this weight per clause, so the real notices of other hands decide where they
# disagree (event lines, dated time lines; grouped CV: P 0.780 → 0.792, R 0.826 → 0.834).
PROJECT_WEIGHT = 0.2


# Bagging by site (0: off, the single fit): the logistic regression refitted on this many bootstrap
# resamples of the training sites (the project's gold in every one, once), the character and clause
# vectorizers fitted once on all the clauses, and the coefficients and intercept averaged: still one
# linear model (duty.json as before), meant to steady the stage against which clauses a refit sees.
BAGS = 0
BAG_SEED = 0
# 0: each bag a bootstrap of the sites; a share in (0, 1): each bag that share of the sites drawn without
# replacement, their clauses weighed 1 / share (the data's total weight against the L2 penalty kept)
BAG_SHARE = 0.0


# C of the classifier chosen per fit by a grouped CV over the training sites (`_inner_c`) from this grid;
# empty: C = 1 as `make_pipeline` has it
C_GRID: tuple[float, ...] = ()
C_CHOSEN: list[float] = []  # the C each fit with a grid chose, in order (a record for the CV's report)


def _inner_c(model, rows, labels, weights, groups: list[str], folds: int | None = None) -> float:
    """The C of `C_GRID` whose fits on `folds` - 1 folds of the sites (the project's gold always training)
    give the held-out clauses the least log loss, weighed as the fit weighs them (sample and balanced
    class weights); the vectorizers as fitted on every clause."""
    import numpy as np
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold
    from sklearn.utils.class_weight import compute_sample_weight

    X = model.named_steps["x"].transform(rows)
    y, w = np.asarray(labels), np.asarray(weights, dtype=float)
    g = np.asarray(groups)
    sites = np.flatnonzero(g != "project")
    always = np.flatnonzero(g == "project")
    loss = dict.fromkeys(C_GRID, 0.0)
    for tr, te in GroupKFold(n_splits=min(folds or INNER_FOLDS, len(set(g[sites])))).split(sites, groups=g[sites]):
        tr, te = np.concatenate([always, sites[tr]]), sites[te]
        cw = compute_sample_weight("balanced", y[tr])
        ratio = {c: cw[y[tr] == c][0] for c in (0, 1) if (y[tr] == c).any()}
        wt = w[te] * np.asarray([ratio.get(int(c), 1.0) for c in y[te]])
        for C in C_GRID:
            clf = clone(model.named_steps["clf"]).set_params(C=C).fit(X[tr], y[tr], sample_weight=w[tr])
            p = np.clip(clf.predict_proba(X[te])[:, 1], 1e-12, 1 - 1e-12)
            loss[C] += float(-(wt * (y[te] * np.log(p) + (1 - y[te]) * np.log(1 - p))).sum())
    return min(C_GRID, key=lambda C: (loss[C], abs(np.log(C))))


def fit(examples: list[Example], bags: int | None = None):
    weights = [PROJECT_WEIGHT if e.group == "project" else 1.0 for e in examples for _ in e.labels]
    return fit_weighted(examples, weights, bags)


def fit_weighted(examples: list[Example], weights: list[float], bags: int | None = None):
    """The pipeline fitted on `examples`' rows, each clause weighed as `weights` says; with `bags`
    (default `BAGS`) > 0 its classifier is the average of that many fits on site bootstraps (`_bag`)."""
    rows = [r for e in examples for r in e.rows]
    labels = [y for e in examples for y in e.labels]
    model = make_pipeline()
    model.fit(rows, labels, clf__sample_weight=weights)
    if C_GRID:
        groups = [e.group for e in examples for _ in e.labels]
        C = _inner_c(model, rows, labels, weights, groups)
        C_CHOSEN.append(C)
        if C != model.named_steps["clf"].C:
            model.set_params(clf__C=C)
            model.fit(rows, labels, clf__sample_weight=weights)
    bags = BAGS if bags is None else bags
    if bags > 0:
        _bag(model, rows, labels, weights, [e.group for e in examples for _ in e.labels], bags)
    return model


def _bag(model, rows, labels, weights, groups: list[str], bags: int, seed: int = BAG_SEED) -> None:
    """Replace the fitted classifier's coefficients and intercept by their mean over `bags` fits, each
    on a bootstrap of the sites (drawn with replacement, as many as there are; a site drawn twice
    counts twice), or on `BAG_SHARE` of them; clauses of the group "project" are in every fit once."""
    import numpy as np
    from sklearn.base import clone

    X = model.named_steps["x"].transform(rows)
    y, w = np.asarray(labels), np.asarray(weights, dtype=float)
    by_site: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by_site.setdefault(g, []).append(i)
    always = by_site.pop("project", [])
    sites = sorted(by_site)
    rng = np.random.default_rng(seed)
    clf = model.named_steps["clf"]
    coef, intercept, n = np.zeros_like(clf.coef_), np.zeros_like(clf.intercept_), 0
    share = BAG_SHARE
    while n < bags:
        if share:
            draw = rng.choice(len(sites), max(1, round(share * len(sites))), replace=False)
        else:
            draw = rng.integers(0, len(sites), len(sites))
        drawn = [i for k in draw for i in by_site[sites[k]]]
        idx = np.asarray(always + drawn, dtype=int)
        if len(set(y[idx].tolist())) < 2:
            continue
        wi = w[idx].copy()
        if share:
            wi[len(always):] /= share
        one = clone(clf).fit(X[idx], y[idx], sample_weight=wi)
        coef += one.coef_
        intercept += one.intercept_
        n += 1
    clf.coef_, clf.intercept_ = coef / n, intercept / n


def apply(model, ex: Example, keep_below: float, add_above: float) -> dict:
    """The checklist dict after the learned stage: rule items the model is sure are no
    duties dropped, left-over clauses it is sure are duties added."""
    if not ex.rows:
        return ex.checklist.to_dict()
    p = model.predict_proba(ex.rows)[:, 1]
    return _rebuild(ex, p, keep_below, add_above).to_dict()


def _headings_above(doc, start: int, text: str) -> list[str]:
    """The headings of the sections holding `start`, the candidate's own left out (a list
    item （一）… is a section of its own)."""
    inner = None
    for _, sec in doc.sections():  # pre-order: a later section holding `start` lies deeper
        if sec.start <= start < sec.end:
            inner = sec
    if inner is None:
        return []
    own = bool(inner.number) and text.lstrip().startswith(inner.number.strip())
    return list(inner.path[:-1] if own else inner.path)


def _as_condition(o, c: Candidate, doc):
    """A clause the stage adds under a who-qualifies heading (参加对象, 申报条件, 报告范围) that
    binds no one and names no doer of its own states a condition of the duties around it:
    a soft item with no doer, as the gold reads eligibility clauses (the judges' seed 000-30
    under 四、蹲点对象; 73 such items in 18 sites of the real notices), not a hard duty of the
    主送 units (涉及30人以上的职工集体上访… under 一、报告范围 had its 30人 read as their quota)."""
    from nlp.checklist.modality import find_modals

    if (any(_HEAD_WHO.search(h) for h in _headings_above(doc, c.start, c.text)) and o.actor_source != "clause"
            and not any(m.binding for m in find_modals(o.text)) and not o.text.startswith("请")):
        o.tier, o.actors, o.actor_source = "soft", [], "none"
    return o


def _rebuild(ex: Example, p, keep_below: float, add_above: float):
    from dataclasses import replace

    from nlp.checklist.deadlines import ANCHOR
    from nlp.checklist.extract import Checklist, Obligation, inherit_context_time, inherit_event_day, read_item

    items = ex.checklist.obligations
    keep: list[tuple[int, Obligation]] = []
    token = ANCHOR.set(ex.doc.anchor_date)  # 明天 / 本周五 in an added clause count from the notice's date
    try:
        for c, prob, row in zip(ex.cands, p, ex.rows):
            if vetoed(row):
                continue
            if c.rule is not None:
                if (prob >= keep_below - BAND or date_line(c.text)
                        or prob >= add_above and (binds(c.text) or asks(c.text))):
                    # a copy: the rule items stay as the rules made them (CV rebuilds them many times)
                    keep.append((c.start, replace(items[c.rule], deadlines=list(items[c.rule].deadlines))))
            elif prob >= add_above + BAND or date_line(c.text):
                o = read_item(ex.doc, c.text.strip(), c.start, ex.checklist)
                if o is not None:
                    keep.append((c.start, _as_condition(o, c, ex.doc)))
    finally:
        ANCHOR.reset(token)
    keep += [(o.start or 0, replace(o, deadlines=list(o.deadlines))) for o in items if o.actor_source == "table"]
    keep.sort(key=lambda x: x[0])
    obligations = [o for _, o in keep]
    year = ex.doc.anchor_year
    inherit_event_day(obligations, ex.doc, year)
    inherit_context_time(obligations, ex.doc, year)
    prefix = ex.doc.id[:6]
    for i, o in enumerate(obligations, 1):
        o.id = f"{prefix}-{i:02d}"
    return Checklist(document=ex.checklist.document, obligations=obligations, roster=ex.checklist.roster,
                     tables=ex.checklist.tables)


# a band this wide around each bar where the rules' decision stands (0: none): a rule item is kept down to
# keep_below - BAND, a clause the rules left is added only from add_above + BAND
BAND = 0.0
KEEP_BELOW = 0.5
ADD_ABOVE = 0.45  # chosen on the grouped CV's grid (0.5 before): see the card
GRID_KEEP = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
GRID_ADD = (0.3, 0.4, 0.45, 0.5, 0.7, 1.01)
INNER_FOLDS = 4  # folds of the inner CV that chooses each outer fold's thresholds


def cross_validate(real: list[Example] | Any, shared: Path | None = None, folds: int = 5,
                   project: list[Example] | None = None, keep: dict | None = None,
                   actors: bool = True, seed: int | None = None, inner: int = INNER_FOLDS) -> dict[str, Any]:
    """Grouped-by-site CV of the learned stages on real notices. Per fold the split
    model is fitted on the training notices, every notice is read again with it, and the
    duty model is fitted on the training notices' reading; per threshold pair the pooled
    scores of the test folds. For comparison: the rules alone, and the rules with the
    fold's split model (no duty stage), on the same notices. `actors`: the actor stage
    (a CRF fitted on the training folds' gold) runs last, as in `extract.extract`.
    `seed`: the sites dealt to folds at random with this seed (GroupKFold's shuffle), to
    tell a gain from the spread between partitions; None: GroupKFold's own deal.
    `inner`: folds of an inner grouped CV over each outer fold's training notices that
    choose the fold's thresholds (`choose_thresholds`); `pooled_inner` holds the test
    folds' scores at those, figures free of the choice that `pooled` (fixed thresholds
    KEEP_BELOW / ADD_ABOVE, read off this grid) is not. 0: no inner CV."""
    import copy

    from sklearn.model_selection import GroupKFold

    from nlp.checklist import actor_model, split_model
    from nlp.checklist.evaluate import micro_average, score

    if real and not isinstance(real[0], Example):  # (annotation, gold) pairs from the CLI
        from ingest.load import load
        from nlp.checklist.annotations import source_path

        with split_model.using(None):
            real = [example(load(source_path(a, shared)), g, a["file"], a.get("site") or a["file"].split("/")[-2])
                    for a, g in real]
    project = project_examples() if project is None else project
    groups = [e.group for e in real]
    k = min(folds, len(set(groups)))
    probs: dict[str, Any] = {}
    tested: dict[str, Example] = {}
    project_golds = [e.gold for e in project]
    crfs: list = []
    crf_of: dict[str, Any] = {}
    split_scores = []
    chosen: dict[str, tuple[float, float]] = {}
    fold_of: dict[str, int] = {}
    fold_choices: list[tuple[float, float]] = []
    kfold = GroupKFold(n_splits=k) if seed is None else GroupKFold(n_splits=k, shuffle=True, random_state=seed)
    for train_idx, test_idx in kfold.split(real, groups=groups):
        splitter = fit_split([real[i] for i in train_idx] + project)
        with split_model.using(splitter):
            train = [reread(real[i]) for i in train_idx] + [reread(e) for e in project]
            test = [reread(real[i]) for i in test_idx]
        model = fit(train)
        pair = choose_thresholds([e for e in train if e.group != "project"],
                                 [e for e in train if e.group == "project"], inner) if inner else None
        if pair:
            fold_choices.append(pair)
        crfs.append(actor_model.fit([real[i].gold for i in train_idx] + project_golds) if actors else None)
        for e in test:
            tested[e.name] = e
            probs[e.name] = model.predict_proba(e.rows)[:, 1] if e.rows else []
            crf_of[e.name] = crfs[-1]
            if pair:
                chosen[e.name] = pair
            fold_of[e.name] = len(crfs) - 1
            split_scores.append(score(e.gold, e.checklist.to_dict()))
    rules = micro_average([score(e.gold, e.checklist.to_dict()) for e in real])
    order = [tested[e.name] for e in real]
    if keep is not None:  # the test folds' readings and probabilities, for error analysis
        keep.update({e.name: (e, probs[e.name], crf_of.get(e.name)) for e in order})
    grid = {}
    done: dict[tuple, dict] = {}

    def staged(e: Example, kb: float, aa: float) -> dict:
        # a notice's checklist depends on the pair only through the candidates it keeps, and
        # most pairs of the grid keep the same ones: each kept set is read and scored once
        key = (e.name, _kept(e.cands, probs[e.name], kb, aa))
        if key not in done:
            cl = _rebuild(e, probs[e.name], kb, aa) if len(probs[e.name]) else e.checklist
            if crf_of.get(e.name) is not None:
                cl = copy.deepcopy(cl)  # the actor stage rewrites items the other grid cells share
                cl = actor_model.resolve(crf_of[e.name], cl)
            done[key] = score(e.gold, cl.to_dict())
        return done[key]

    for kb, aa in [(KEEP_BELOW, ADD_ABOVE)] + [(a, b) for a in GRID_KEEP for b in GRID_ADD]:
            grid[(kb, aa)] = micro_average([staged(e, kb, aa) for e in order])
    per_fold = []
    for i in range(len(crfs)):
        notes = [e for e in order if fold_of[e.name] == i]
        row = {"documents": len(notes), "shipped": _brief(micro_average([staged(e, KEEP_BELOW, ADD_ABOVE) for e in notes]))}
        if len(chosen) == len(order):
            row["inner"] = _brief(micro_average([staged(e, *chosen[e.name]) for e in notes]))
        per_fold.append(row)
    inner_scores = micro_average([staged(e, *chosen[e.name]) for e in order]) if len(chosen) == len(order) else None
    # per corpus (real-corpus: many sites, one notice each; real-notices: one county's long notices)
    by_corpus = {}
    for corpus in sorted({e.name.split("/")[0] for e in order}):
        part = [e for e in order if e.name.split("/")[0] == corpus]
        by_corpus[corpus] = {"documents": len(part),
                             "fixed": _brief(micro_average([staged(e, KEEP_BELOW, ADD_ABOVE) for e in part]))}
        if inner_scores is not None:
            by_corpus[corpus]["inner"] = _brief(micro_average([staged(e, *chosen[e.name]) for e in part]))
    best = (KEEP_BELOW, ADD_ABOVE)
    # clause-level figures at the chosen thresholds, and of the rules (a rule item = duty)
    y = [lab for e in order for lab in e.labels]
    pr = [float(x) for e in order for x in probs[e.name]]
    is_rule = [c.rule is not None for e in order for c in e.cands]
    pred = [(pp >= best[0]) if r else (pp >= best[1]) for pp, r in zip(pr, is_rule)]
    return {"folds": k, "groups": len(set(groups)), "documents": len(real), "clauses": len(y),
            "keep_below": best[0], "add_above": best[1],
            **_prf(y, pred), "rules": _prf(y, is_rule),
            "pooled": grid[best], "pooled_rules": rules, "pooled_split": micro_average(split_scores),
            "commas": _comma_counts(real),
            "pooled_inner": inner_scores, "by_corpus": by_corpus, "inner_choices": [f"{a}/{b}" for a, b in fold_choices], "per_fold": per_fold,
            "grid": {f"{a}/{b}": _brief(v) for (a, b), v in grid.items()}}


def choose_thresholds(train: list[Example], project: list[Example], folds: int = 4) -> tuple[float, float] | None:
    """The (keep-below, add-above) pair of the grid chosen over an inner grouped CV of
    `train` (real notices of the outer training folds; `project` always trains): the most
    precise pair whose pooled hard recall reaches TARGET_RECALL, else the pair with the best
    recall. The notices keep the reading of the outer fold's split model, fitted on all of
    `train`: the inner folds choose the duty stage's thresholds only. None when `train`
    holds fewer than two sites."""
    from sklearn.model_selection import GroupKFold

    from nlp.checklist.evaluate import micro_average, score

    groups = [e.group for e in train]
    k = min(folds, len(set(groups)))
    if k < 2:
        return None
    probs: dict[int, Any] = {}
    for tr, te in GroupKFold(n_splits=k).split(train, groups=groups):
        model = fit([train[i] for i in tr] + project)
        for i in te:
            probs[i] = model.predict_proba(train[i].rows)[:, 1] if train[i].rows else []
    grid = {}
    done: dict[tuple, dict] = {}  # each notice's kept set scored once (see `cross_validate`)

    def scored(i: int, e: Example, kb: float, aa: float) -> dict:
        key = (i, _kept(e.cands, probs[i], kb, aa))
        if key not in done:
            done[key] = score(e.gold, (_rebuild(e, probs[i], kb, aa) if len(probs[i]) else e.checklist).to_dict())
        return done[key]

    for kb in GRID_KEEP:
        for aa in GRID_ADD:
            m = micro_average([scored(i, e, kb, aa) for i, e in enumerate(train)])
            grid[(kb, aa)] = m["obligations"]
    return pick_thresholds(grid)


def _kept(cands: list[Candidate], p, keep_below: float, add_above: float) -> tuple[int, ...] | None:
    """The candidates `_rebuild` keeps at a threshold pair (None: no probabilities, the rules' list)."""
    if not len(p):
        return None
    return tuple(i for i, (c, x) in enumerate(zip(cands, p)) if x >= (keep_below if c.rule is not None else add_above))


# The issue's hard-recall target. The inner folds pick the most precise pair that reaches
# it, rather than the F1-best pair, which bought precision with recall (0.7/0.5 on all
# notices, outer R 0.889 < 0.90): grouped CV over three site partitions, see the card
TARGET_RECALL = 0.90


def pick_thresholds(grid: dict[tuple[float, float], dict]) -> tuple[float, float]:
    """The most precise pair of `grid` ((keep-below, add-above) → pooled duty counts:
    found, gold_hard, correct_predictions, predicted) whose recall reaches TARGET_RECALL;
    none reaching it, the one with the best recall. Ties go to the pair nearest the fixed
    one, so that a flat stretch of the grid does not move it."""
    def near(pair):
        return -abs(pair[0] - KEEP_BELOW) - abs(pair[1] - ADD_ABOVE)

    def recall(o):
        return o["found"] / o["gold_hard"] if o["gold_hard"] else 1.0

    def precision(o):
        return o["correct_predictions"] / o["predicted"] if o["predicted"] else 0.0

    ok = [pair for pair, o in grid.items() if recall(o) >= TARGET_RECALL]
    if ok:
        return max(ok, key=lambda pair: (precision(grid[pair]), near(pair)))
    return max(grid, key=lambda pair: (recall(grid[pair]), precision(grid[pair]), near(pair)))


def _comma_counts(real: list[Example]) -> dict[str, int]:
    return {"labelled": sum(len(e.splits) for e in real), "splits": sum(y for e in real for _, y in e.splits)}


def _brief(m: dict) -> dict:
    o, a = m["obligations"], m["attributes"]
    return {"P": o["precision"], "R": o["recall"], "F1": o["f1"],
            **{k: a[k]["accuracy"] for k in ("quotas", "deadlines", "frequency", "actors")}}


def _prf(y: list[int], pred: list[bool]) -> dict[str, float]:
    tp = sum(1 for a, b in zip(y, pred) if a and b)
    npred, ngold = sum(pred), sum(y)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


# ------------------------------------------------------------------ the shipped model


class Weights:
    """The fitted pipeline's arithmetic in plain Python, the same operations in the
    same order as scikit-learn's sparse code (tests/test_checklist_duty_model.py
    compares the probabilities): character 1–2-grams counted, 1 + log(tf) × idf,
    divided by the row's L2 norm; the clause features as DictVectorizer sets them;
    the dot product with the coefficients taken column by column, plus the intercept;
    the logistic function."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        ng = data["ngram_range"]
        self.ngram_range = (int(ng[0]), int(ng[1]))
        self.lowercase = bool(data["lowercase"])
        # column -> (idf, coefficient); feature name -> (column, coefficient)
        self.chars: dict[str, tuple[int, float, float]] = {g: (int(c), float(i), float(w)) for g, (c, i, w) in data["chars"].items()}
        self.feats: dict[str, tuple[int, float]] = {f: (int(c), float(w)) for f, (c, w) in data["feats"].items()}
        self.intercept = float(data["intercept"])

    @classmethod
    def from_pipeline(cls, model) -> "Weights":
        union = model.named_steps["x"]
        steps = dict(union.transformer_list)
        tfidf = steps["chars"].named_steps["tfidf"]
        dv = steps["feats"].named_steps["dict"]
        clf = model.named_steps["clf"]
        if (tfidf.analyzer != "char" or not tfidf.sublinear_tf or tfidf.norm != "l2" or not tfidf.use_idf
                or tfidf.strip_accents is not None or tfidf.preprocessor is not None or union.transformer_weights
                or len(clf.classes_) != 2 or dv.separator != "="):
            raise ValueError("duty pipeline not of the form Weights applies")
        coef = [float(x) for x in clf.coef_[0]]
        n_chars = len(tfidf.vocabulary_)
        chars = {g: [int(c), float(tfidf.idf_[c]), coef[c]] for g, c in tfidf.vocabulary_.items()}
        feats = {f: [n_chars + int(c), coef[n_chars + c]] for f, c in dv.vocabulary_.items()}
        return cls({"ngram_range": list(tfidf.ngram_range), "lowercase": bool(tfidf.lowercase), "chars": chars,
                    "feats": feats, "intercept": float(clf.intercept_[0])})

    def _char_ngrams(self, text: str) -> list[str]:
        # TfidfVectorizer's char analyzer: lower-case, runs of whitespace to one space
        if self.lowercase:
            text = text.lower()
        text = re.sub(r"\s\s+", " ", text)
        lo, hi = self.ngram_range
        return [text[i:i + n] for n in range(lo, min(hi + 1, len(text) + 1)) for i in range(len(text) - n + 1)]

    def proba(self, rows: list[tuple[str, dict[str, Any]]]) -> list[float]:
        """p(duty) of each (text, features) row, as `pipeline.predict_proba(rows)[:, 1]`."""
        import math
        from collections import Counter

        out = []
        for text, feats in rows:
            counts = Counter(g for g in self._char_ngrams(text) if g in self.chars)
            cols: list[tuple[int, float, float]] = []
            for g, n in counts.items():
                col, idf, w = self.chars[g]
                cols.append((col, (math.log(n) + 1.0) * idf, w))
            cols.sort()
            sq = 0.0
            for _, v, _ in cols:
                sq += v * v
            norm = math.sqrt(sq)
            row = [(c, v / norm if sq != 0.0 else v, w) for c, v, w in cols]
            for f, v in feats.items():
                name = f"{f}={v}" if isinstance(v, str) else f
                if name in self.feats:
                    col, w = self.feats[name]
                    row.append((col, 1.0 if isinstance(v, str) else float(v), w))
            row.sort(key=lambda x: x[0])
            score = 0.0
            for _, v, w in row:
                score += v * w
            out.append(1.0 / (1.0 + math.exp(-(score + self.intercept))))
        return out

    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                       encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Weights":
        return cls(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def load_model():
    """(Weights, keep_below, add_above) of models/checklist/duty.json, or None."""
    if not WEIGHTS_PATH.is_file():
        return None
    w = Weights.load(WEIGHTS_PATH)
    return w, float(w.data.get("keep_below", KEEP_BELOW)), float(w.data.get("add_above", ADD_ABOVE))


def load_pipeline():
    """(pipeline, keep_below, add_above) of models/checklist/duty.joblib, or None: the
    fitted scikit-learn pipeline the weights come from."""
    if not MODEL_PATH.is_file():
        return None
    import joblib

    bundle = joblib.load(MODEL_PATH)
    return bundle["model"], bundle["keep_below"], bundle["add_above"]


def _probs(model, rows) -> list[float]:
    if isinstance(model, Weights):
        return model.proba(rows)
    return [float(p) for p in model.predict_proba(rows)[:, 1]]


def refine(doc, checklist):
    """The rule checklist after the shipped learned stage (unchanged without a model)."""
    loaded = load_model()
    if loaded is None:
        return checklist
    model, kb, aa = loaded
    ex = example_from(doc, checklist)
    if not ex.rows:
        return checklist
    return _rebuild(ex, _probs(model, ex.rows), kb, aa)


def _names_event_day(doc, year: int | None) -> bool:
    from nlp.checklist.extract import event_day_lines

    return any(days for _, days in event_day_lines(doc, year))


def example_from(doc, checklist) -> Example:
    cands = candidates(doc, checklist.obligations, checklist.roster)
    return Example("", "", None, checklist, doc, cands, _rows(doc, cands, checklist.obligations), [])


def _rows(doc, cands: list[Candidate], items: list) -> list[tuple[str, dict]]:
    """The (text, features) rows of a notice's candidates, read as a checklist run reads them:
    明天 / 本周五 count from the notice's date (`deadlines.ANCHOR`). Fitted without it, the stage
    learned those clauses as undated while the run read them dated."""
    from nlp.checklist.deadlines import ANCHOR

    year = doc.anchor_year
    token = ANCHOR.set(doc.anchor_date)
    try:
        ev = _names_event_day(doc, year)
        return [(t, features(c, items, year, ev)) for t, c in zip(_texts(cands), cands)]
    finally:
        ANCHOR.reset(token)


def train(ann_dir: Path, shared: Path, out_dir: Path = MODEL_DIR, folds: int = 5,
          keep_split: bool = False, pages: Path | None = None, page_sets: list[str] = (),
          missing: str = "refuse", pair: tuple[float, float] | None = None) -> dict:
    """Fit on every real annotation + the project's gold, thresholds from grouped CV (`pair`: these
    thresholds instead, the grouped CV's choice still reported);
    write the model, its metrics and its card. `keep_split`: the shipped split stage stays
    (not refitted, split.json untouched) and the duty stage learns from the notices as it
    reads them; the metrics keep what that split stage was fitted on. `page_sets`: page
    annotation sets (`page_set_examples` specs, FOLDER[=CACHE]; `pages` the cache of a spec
    without one) whose notices then join the real ones, in the grouped CV too; none (CI):
    the fit needs no page cache. The metrics name the sets, so the fit can be repeated."""
    import datetime
    import hashlib

    from nlp.checklist import split_model

    real = real_examples(ann_dir, shared) + page_set_examples(list(page_sets), shared, pages, missing)
    project = project_examples()
    cv = cross_validate(real, folds=folds, project=project)
    old = out_dir / "metrics.json"
    previous = json.loads(old.read_text(encoding="utf-8")) if old.is_file() else {}
    if keep_split:
        splitter = split_model.Linear.load(out_dir / split_model.MODEL_PATH.name)
        split_info = previous.get("split") or {
            "kept": True, "fitted": previous.get("fitted"), "real_documents": previous.get("real_documents"),
            "annotations_sha256_16": previous.get("annotations_sha256_16"),
            "commas": (previous.get("cv") or {}).get("commas")}
    else:
        splitter = fit_split(real + project)
    with split_model.using(splitter):
        real_read, project_read = [reread(e) for e in real], [reread(e) for e in project]
    model = fit(real_read + project_read)
    # the shipped thresholds come from the procedure the CV's pooled_inner judges: a grouped
    # CV over the training notices' sites (here all of them), not from the outer grid
    everyone = choose_thresholds(real_read, project_read, INNER_FOLDS) or (KEEP_BELOW, ADD_ABOVE)
    kb, aa = pair or shipped_pair(cv["inner_choices"], everyone)
    digest = hashlib.sha256("".join(sorted(e.name for e in real)).encode()).hexdigest()[:16]
    kept = {k: v for k, v in previous.items() if k == "actors_cv"}
    if keep_split:
        kept["split"] = split_info
    metrics = {**kept, "fitted": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "real_documents": len(real), "page_documents": sum(e.name.split("/")[0].startswith("pages") for e in real),
               "page_sets": sorted({e.name.split("/")[0] for e in real if e.name.split("/")[0].startswith("pages")}),
               "sites": cv["groups"], "project_documents": len(project),
               "annotations_sha256_16": digest, "keep_below": kb, "add_above": aa,
               "inner_all_notices": f"{everyone[0]}/{everyone[1]}", "pair_given": pair is not None,
               **({"bags": BAGS, "bag_seed": BAG_SEED, "bag_share": BAG_SHARE} if BAGS else {}),
               **({"c_grid": list(C_GRID), "c_chosen": model.named_steps["clf"].C} if C_GRID else {}), "cv": cv}
    save(out_dir, model, kb, aa, metrics, splitter=None if keep_split else splitter)
    return metrics


def save(out_dir: Path, model, keep_below: float, add_above: float, metrics: dict, splitter=None) -> None:
    """Write a fit of the duty stage into `out_dir` as one switch (`ingest.savedir`): the split
    stage (`splitter`, when refitted), duty.joblib, duty.json, metrics.json and the card change
    together, so a failure or a kill part way leaves the earlier set whole, card included."""
    import joblib

    from ingest.savedir import switched_folder
    from nlp.checklist import split_model

    with switched_folder(out_dir, last="metrics.json") as stage:
        if splitter is not None:
            splitter.save(stage / split_model.MODEL_PATH.name, threshold=split_model.THRESHOLD,
                          keep_below=split_model.KEEP_BELOW)
        joblib.dump({"model": model, "keep_below": keep_below, "add_above": add_above},
                    stage / MODEL_PATH.name, compress=3)
        weights = Weights.from_pipeline(model)
        weights.data.update(keep_below=keep_below, add_above=add_above)
        weights.save(stage / WEIGHTS_PATH.name)
        write_card(stage, metrics)
    split_model.load_model.cache_clear()
    load_model.cache_clear()


def write_card(folder: Path, metrics: dict) -> None:
    """metrics.json and MODEL_CARD.md written from `metrics` (inside a switched folder)."""
    (folder / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (folder / "MODEL_CARD.md").write_text(card(metrics), encoding="utf-8")


def shipped_pair(choices: list[str], everyone: tuple[float, float]) -> tuple[float, float]:
    """The thresholds to ship: the pair the outer folds' inner CVs chose most often (`choices`,
    "kb/aa"), which is what the CV's pooled_inner figure was measured at; `everyone` (the inner CV
    over all the notices) when it is among the most chosen or nothing was chosen. On the 75 notices
    of 2026-12-05 every outer fold chose 0.7/0.5 while the inner CV over all of them chose 0.6/0.7,
    a pair the outer grid reads at R 0.884, P 0.837 against 0.912, 0.842: one 4-fold deal of 68
    sites is a noisier judge than five."""
    from collections import Counter

    counts = Counter(tuple(float(x) for x in c.split("/")) for c in choices)
    if not counts or counts.get(everyone, 0) == max(counts.values()):
        return everyone
    top = max(counts.values())
    return min((p for p, n in counts.items() if n == top),
               key=lambda p: (abs(p[0] - everyone[0]) + abs(p[1] - everyone[1]), p))


def _all_notices_note(metrics: dict) -> str:
    pair = metrics.get("inner_all_notices")
    if not pair or pair == f"{metrics.get('keep_below')}/{metrics.get('add_above')}":
        return ""
    return f" (that CV alone chose {pair} at this fit)"


def _pair_note(metrics: dict) -> str:
    """Where the fit was given its pair (`train --pair`) instead of taking the inner CVs' choice."""
    if not metrics.get("pair_given"):
        return ""
    return (f" (given to this fit with `--pair`: the pair the pooled CV of page material judged; the inner CVs below "
            f"chose {', '.join((metrics.get('cv') or {}).get('inner_choices') or [])} and over every notice "
            f"{metrics.get('inner_all_notices')}, which trade hard recall and actors for precision: see \"Page notices as "
            "training material\"). Before session 21 the pair shipped was chosen as follows")


def _page_data(metrics: dict) -> str:
    """The Data bullet of the page notices a fit took (none: the fit needs no page cache)."""
    duty, crf = metrics.get("page_sets") or [], (metrics.get("actors_cv") or {}).get("crf_page_sets") or []
    if not duty and not crf:
        return ""
    return (f"- {metrics.get('page_documents', 0)} notices of the development page sets ({', '.join(duty) or '—'}: "
            "`corpora/annotations/checklist-pages*`, offsets into page caches kept outside the repository, read "
            "with `--page-set FOLDER=CACHE`) train the duty stage and are folds of its grouped CV below; the actor "
            f"stage's CRF takes {', '.join(crf) or 'none of them'} "
            f"({(metrics.get('actors_cv') or {}).get('crf_page_documents', 0)} notices), its subject reader and the "
            f"split stage none. Blind and check sets ({', '.join(BLIND_PAGE_SETS)}) are refused as material.\n")


def _page_material_round() -> str:
    return """## Page notices as training material (session 21)
Before this round every stage learned from the 75 real notices and the project's gold only. `bench/checklist_pool_cv.py`
judges each stage's material on a grouped CV by site over the pooled development notices: the 75, page set 1 (27
notices), pages2 (21 of 27 cached) and pages4 (14): 137 notices, 129 sites, 5 folds, seeds 1 and 2, each stage fitted
per fold on the training folds' real notices ("b") or real and page notices ("p"), the duty stage at the shipped
thresholds 0.7 / 0.5 in every arm. Paired site bootstrap 90 %, points, seed 1 / seed 2:
- **What ships: the duty stage and the actor stage's CRF with the page notices** (split stage and subject reader
  on the real notices), against the old material, on main a94d14a's rules: pooled actors 565 → 574 and 566 → 574 of
  711 ([+0.6, +2.2], [+0.5, +2.0]), hard recall 622 → 628 and 623 → 629 of 676 ([+0.1, +2.0], [+0.3, +1.7]),
  precision 0.883 → 0.884 and 0.873 → 0.880 ([−0.5, +1.1], [+0.0, +1.4]), q+d+f 532 → 532 and 531 → 536 of 608
  ([−0.7, +1.0], [+0.2, +1.8]). On the 75 notices alone: actors 341 → 345 and 340 → 346 of 415 ([+0.2, +2.3],
  [+0.5, +3.2]), recall 366 → 368 and 364 → 369 of 395, precision 0.869 → 0.866 and 0.859 → 0.863 ([−0.9, +0.7],
  [−1.0, +1.5]), q+d+f 296 → 296 and 294 → 299 of 328 ([−1.1, +1.9], [+0.4, +3.8]): no loss beyond noise. All
  pages: actors 224 → 229 and 226 → 228 of 296, precision 392/432 → 404/441 and 389/433 → 405/445.
- The CRF's share of that: +2 / +1 actors, all on pages2, no site loses one ([+0.0, +0.7], [+0.0, +0.4]); a small
  gain whose interval touches zero, shipped because nothing loses. The duty stage alone carries the rest (pooled
  actors [+0.4, +1.8] on both seeds). At half weight per page clause (measured on 0cd7416's rules) the duty stage
  was within noise of full weight (pooled precision +0.4 / +0.3 points, [−0.2, +0.8], [−0.1, +0.6]; recall −1 / 0):
  full weight ships, no new constant.
- Dropped (measured on 0cd7416's rules): the **subject reader** with the page notices loses 5 actors of the 75 notices on both seeds (348 → 343,
  347 → 342; [−3.1, −0.1]) and gains none on the pages; the whole actor stage with them likewise (−5 on the 75,
  [−3.0, +0.0]). The **split stage** with them: pooled actors 567 → 560 on seed 1 ([−1.7, −0.2]; page set 1 −3),
  level on seed 2; with the duty stage as well (split and duty on the pages), against the duty stage alone: the 75 notices'
  q+d+f +7 / 0, but all pages lose 2 / 0 actors and pooled precision [−0.5, −0.0] on seed 2.

The shipped fit, repeatable from the repository and the page caches (pages2's cache holds 21 of its 27 pages):
`python -m nlp.checklist.actor_model train --page-set checklist-pages=C1 --page-set checklist-pages2=C2
--page-set checklist-pages4=C4 --missing skip`, then `python -m nlp.checklist.duty_model train --keep-split --pair 0.7/0.5`
with the same options (it writes this card last and keeps the actor stage's CV). Without `--page-set` either command
fits on the real notices alone, as CI can.

The pair is given (`--pair`), not the inner choice: on the pooled material the inner CVs of `duty_model train` (whose
folds refit the split stage on page notices too) chose 0.7/0.7 and 0.6/0.7 twice each and 0.7/0.5 once, the tie going
to 0.7/0.7, the choice of the CV over every notice. On that CV's own grid (the same folds, fixed pairs) 0.7/0.7 reads
hard recall 0.905, precision 0.911, actors 0.782, and 0.6/0.7 0.908 / 0.892 / 0.783, against 0.928 / 0.890 / 0.799 at
0.7/0.5: the choice rule (the most precise pair with recall ≥ 0.90) spends recall the pooled material has to spare,
while recall and actors are what the blind sets lack (precision there is 0.904, above its 0.85 target). So the fit keeps 0.7/0.5, the pair every arm above was judged at.

Session 25 asked whether the stages should refit on the newer development sets: pages6 and pages7 (28 notices) and
the three sets annotated in that session for the learned stages, pages10 (11), pages11 (20) and pages12 (15); 74
notices, 74 sites. `bench/checklist_pool_cv.py --new-sets pages6 pages7 pages10 pages11 pages12` deals them into the
folds with the rest (the 75, pages, pages2 (21 cached), pages4: 211 notices, 203 sites, 5 folds, seeds 1 and 2,
thresholds 0.7 / 0.5; main e126456's rules) and scores them, while the upper-case letters train without them, so the shipped material
(`bPC`) and each arm are read on the same test notices. The rule, written before the runs: an arm ships only if, on
both seeds, pooled actors or pooled hard recall gains with its interval above zero, no other pooled measure falls
beyond noise and no partition (the 75 and each page set) does. Shipped material, seed 1 / seed 2: hard recall 930 and
926/1068, precision 1586/1823 and 1571/1802, q+d+f 791 and 797/992, actors 785 and 778/1156; on the three new sets
alone actors 117 and 115/300 (pages10 31 and 29/78, pages11 52 and 51/154, pages12 34 and 35/68), recall 184 and
186/260. Against it (paired site bootstrap 90 %, points):
- the duty stage with the new sets (`bpC`): q+d+f 791 → 772 [−3.4, −0.4], 797 → 781 [−3.2, −0.4]; actors 785 → 779
  [−1.0, −0.1], 778 → 780 [−0.2, +0.6]; recall 930 → 923 [−1.4, +0.1], 926 → 928 [−0.8, +1.2]. The q+d+f loss is a few
  dropped items that carry many quotas or dates (pages11 −6 and −6 in one site, pages2 −5 and −5 in one, the county
  notices −7 on seed 1). Fails.
- with the CRF too (`bpc`): actors 782 [−1.0, +0.6], 785 [−0.2, +1.4]; with the subject reader as well (`bpp`): 786
  [−0.9, +1.0], 788 [−0.1, +1.8] (all pages +6 / +11, the 75 −5 / −1); q+d+f as above. Both fail.
- the split stage with every page set (`pPC`, apart, as session 21 saw it cost actors): recall 935 [−0.1, +1.2], 926
  [−0.7, +0.8]; actors 790 [−0.3, +1.3], 777 [−0.9, +0.8]; q+d+f 786 [−1.3, +0.2], 786 [−2.3, −0.1]; page set 1's
  actors 99 → 94 and 99 → 95 of 112 ([−7.7, −1.7], [−6.9, −0.9]). Fails.
- not in the rule, for the record: the CRF alone with the new sets (`bPc`) 788 [−0.3, +1.0], 783 [−0.2, +1.1], nothing
  else moves; the whole actor stage with them, duty stage as shipped (`bPp`) 792 [−0.3, +1.5], 786 [−0.1, +1.5], all
  pages 441 → 452 [+0.5, +2.6] and 438 → 446 [+0.1, +2.2], the 75 −4 and 0 (the trade-off of session 21, smaller); the
  duty stage with the new sets at half weight (`bhC`) recall 921 [−1.5, −0.2] and q+d+f 785 [−2.5, −0.3].
Run again on main db6e774 (that morning's deadline and head readers) and 870c929 (rule items with a binding word
kept from the add bar, below), the same verdicts; on 870c929 the shipped material reads recall 938 and 937, precision
1616/1855 and 1601/1836, q+d+f 802 and 805, actors 788 and 782; duty stage q+d+f 780 [−3.7, −0.7], 789 [−3.2, −0.4],
recall 930 [−1.5, +0.0], 931 [−1.3, +0.1]; `bpc` actors 788 [−0.7, +0.9], 786 [−0.4, +1.1]; `bpp` 792 [−0.6, +1.3],
790 [−0.2, +1.6]; `pPC` recall 944 [+0.0, +1.2], 937 [−0.7, +0.8], page set 1's actors −5 and −4 again ([−7.7, −1.7],
[−6.9, −0.9]); `bPc` 792 [−0.2, +1.1], 787 [−0.2, +1.1]; `bPp` 796 [−0.2, +1.5], 791 [+0.0, +1.5] (the lower end
zero, not above it), all pages +12 and +9 ([+0.6, +2.8], [+0.3, +2.3]), the 75 −4 and 0.
Nothing ships; the fit stays on the sets above. The new sets' own actors hardly move in any arm (pages10–12 together
−4 to +7 of 300 over all 18 arms and both seeds, up on both seeds only in `bPp`, +2 and +1, though the folds train on the other
sites of the same sets): what they miss is not what the learned stages, as wired (on duties whose doer the rules only
guessed), reach with more examples. The shipped models on those three sets, which they never saw
(`bench/checklist_pages_look.py`, 46 notices, 46 sites): hard recall 184/260, actors 115/300. Of the 185 actor misses,
90 (34 sites) sit on hard duties no item finds, 49 (19 sites) on found duties whose gold doer is written in the duty's
own text, 46 (20 sites) on found duties whose doer is written elsewhere (the items name someone else in 91 of these
95, no one in 4). Recall on such pages bounds the actors first. About 1,850 CPU-s for the
five runs (165, 197 and three times 211 notices).

**The session-27 development sets as material (session 27, not shipped).** Page sets 13 (14 event and schedule
notices) and 14 (15 work-plan notices; several template or compilation pages, one notice with 18 listed doers) add 29
notices of 29 sites no other set holds. Rule written first (/tmp/cl-refit27/CRITERION.txt, the terms of session
25's): both arms read the same 240 notices (232 sites: the 211 above and the two sets), 5 folds, seeds 1 and 2,
thresholds 0.7 / 0.5, main 6501b0e; OLD is the shipped material `bPC` with pages13 and pages14 in `--new-sets`
(predicted, never trained on), NEW the same with them outside it, so that the duty stage and the CRF also learn from
them in the folds where they are not tested; `compare OLD.json bPC bPC --b-from NEW.json` pairs the two runs (same
notices and seeds, so the same folds). NEW ships only if pooled actors or hard recall gains beyond noise on both
seeds, nothing else pooled and no partition falls beyond it. Paired site bootstrap 90 %, points, seed 1 / seed 2:
hard recall 1067 → 1067 [−0.6, +0.6] and 1056 → 1061 [−0.1, +0.9] of 1222; actors 866 → 874 [−0.2, +1.6] and 882 →
881 [−0.5, +0.3] of 1346; precision 1811/2074 → 1826/2090 [−0.4, +0.5] and 1794/2039 → 1816/2073 [−0.8, +0.1]; q+d+f
912 → 910 [−0.5, +0.2] and 903 → 903 [−0.2, +0.2] of 1128; pages14's precision 90/104 → 89/105 [−3.6, −0.1] on seed
1. Fails: the fit stays on pages, pages2 and pages4. Seed 1's actor gain is one pages6 site (+6); the two sets' own
actors hardly move when they train (pages13 32 → 32 and 36 → 35 of 77, pages14 46 → 46 and 46 → 47 of 107), as with
pages10–12 in session 25. Run again on main 3077b4f (with the body-organiser actor rule and that morning's readers),
the same verdict: recall 1070 → 1070 [−0.6, +0.6] and 1058 → 1061 [−0.2, +0.7], actors 870 → 880 [−0.1, +1.8] and 888
→ 885 [−0.6, +0.1], q+d+f 938 → 930 [−1.8, +0.1] and 923 → 921 [−0.6, +0.1], precision of pages14 [−3.8, −0.2] on
seed 1 and of pages11 [−4.6, −1.0] on seed 2. The 75 at fixed thresholds (`bench/checklist_attrs.py --fixed`) fit
their folds on the 75 alone, so page material cannot move them. Outside the rule, for the record (one run, `--arms b
Pp Cp`, every newer set in `--new-sets`; its `bPC` equals OLD's notice for notice): the duty stage with all the dev
page sets (`bpC`) recall 1067 → 1069 [−0.5, +0.9] and 1056 → 1076 [+0.9, +2.5], actors 866 → 869 [−0.2, +0.7] and 882
→ 895 [+0.5, +1.5], q+d+f 907 [−1.0, +0.2] and 909 [−0.1, +1.1], pages13 and pages14 precision [−4.7, −0.4] and
[−5.2, −0.9] on seed 1 (a gain on one seed only; session 25's q+d+f loss is gone); the whole actor stage with them
(`bPp`) actors 868 [−0.8, +1.2] and 880 [−1.0, +0.7], the 75 −4 and −4 ([−2.4, −0.1], [−2.5, −0.1]); both (`bpp`) 875
[−0.4, +1.9] and 894 [−0.1, +1.9]. On two fresh deals (seeds 3 / 4, a second record run, `--arms b Pp C`) `bpC` reads
recall 1062 → 1063 [−0.6, +0.8] and 1069 → 1081 [+0.3, +1.7], actors 877 → 880 [−0.2, +0.7] and 875 → 884 [+0.2,
+1.2], q+d+f 907 → 893 [−2.6, +0.1] and 912 → 907 [−1.5, +0.3], the 75's precision [−2.2, −0.3] on seed 3: the recall
and actor gain shows on two deals of four (seeds 2 and 4) and the 75 lose precision on another, a gain that hangs on
the deal; a next try would fix its rule and fresh seeds before running. About 135 CPU-s for each of the two deciding
runs (123 and 129 again on 3077b4f), 238 and 141 for the record runs.

**The duty stage on every dev page set, tested on its own rule (session 27, not shipped).** The record runs above
left `bpC` (the duty stage trained on every dev page set, the rest as shipped) a gain on two deals of four, so its
rule and two fresh seeds were fixed before one run (/tmp/cl-bpc/CRITERION.txt): main edcffd0, `--arms b Pp C`, pages6
to pages14 in `--new-sets`, seeds 5 and 6, 240 notices of 232 sites, 5 folds, thresholds 0.7 / 0.5; `bpC` ships only
if on both seeds pooled hard recall or actors gains beyond noise, no other pooled measure falls beyond it, pooled
precision stays ≥ 0.85 and not 2 points below beyond noise, and no partition's recall, actors or precision falls
beyond noise. Paired site bootstrap 90 %, points, seed 5 / seed 6: recall 1085 → 1090 [−0.2, +1.1] and 1076 → 1085
[+0.1, +1.5] of 1222; actors 887 → 896 [−0.1, +1.6] and 885 → 895 [+0.1, +1.7] of 1346; precision 1813/2079 →
1835/2089 [−0.7, +1.7] and 1808/2064 → 1839/2097 [−1.1, +1.0]; q+d+f 940 → 938 [−0.8, +0.4] and 932 → 930 [−1.3,
+0.7] of 1128; pages13's precision 102/108 → 108/117 [−4.2, −0.1] on seed 6. Fails on both seeds (seed 5's gains stay
within noise; on seed 6 a partition's precision falls beyond it): the duty stage stays on pages, pages2 and pages4.
Six of the actors gained on each seed are one pages6 site, as with seed 1's NEW above. Over the six deals (seeds 1 to
6) the recall or actor gain clears noise on three (2, 4, 6) and a partition's precision falls beyond noise on three
(1, 3, 6): both hang on the deal. 150 CPU-s for the run.

**Features for unbound dated or measured duties (session 28, not shipped).** Where the pooled grouped CV (seed 1,
arm `bPC`, 240 notices of 232 sites, thresholds 0.7 / 0.5) misses a hard duty (143 of 1222), a candidate that would
cover it was scored under a bar 62 times (rule items under the keep bar 33, in 23 sites; clauses the rules left under
the add bar 29, in 18), lies inside a longer kept rule item 37 times (29 sites) or in pieces cut finer than the duty 36
times (27 sites: the split stage's and the rules' cuts), was vetoed 6 times, and is no candidate twice. Most of the
misses name a doer and carry a date, quota or frequency with no binding word (the class the session set out from), but
of the 47 under the bars whose gold has a date, quota or frequency, the readers see it in the clause 6 times: the rest
lie in a stage heading or bracket, a table's column or a neighbouring line, or are unreadable (digits run together by
the page, units the quota reader does not know). A rule fixed first (/tmp/cl-rec28/CRITERION.txt: pooled hard recall
beyond noise on both seeds, nothing else below it, no partition below it) judged five features of the duty stage: a
frequency, a calendar date, a dated heading, a doer with such a measure, and the same with no binding or asking word.
Pooled CV (cvrun.sh, seeds 1 / 2, main ba4ccd8): recall 1083 → 1081 [−0.6, +0.2] and 1069 → 1071 [+0.0, +0.5];
precision 1834/2093 → 1832/2091 [−0.4, +0.3] and 1812/2058 → 1805/2050 [−0.2, +0.2]; q+d+f 943 → 944 and 928 → 928;
actors 883 → 880 [−0.6, +0.1] and 900 → 901. Fails. A harness that reproduces the CV's recall and precision on both
seeds (duty stage refitted per fold, the rest as the CV) read further variants at 0.7 / 0.5, seed 1 / seed 2 (recall of
1222, precision): as shipped 1083 0.876 / 1069 0.881; the heading's character bigrams 1093 0.862 / 1084 0.864, at half
weight 1088 0.869 / 1083 0.871, the whole heading path's 1078 0.876 / 1079 0.877; a date in the heading path 1081 0.876
/ 1069 0.881; character 1–3-grams 1079 0.877 / 1072 0.882; C 0.5 1076 0.879 / 1069 0.886, C 2 1081 0.868 / 1079 0.874;
and on seed 1 the neighbours' features (a binding sibling, a hard rule item beside it, both labelled: recall −2) and clauses that
cover a hard duty at double weight (fewer items, recall −13). None leaves the shipped model's precision–recall line:
the shipped model itself reads 1085 0.870 / 1084 0.876 at 0.65 / 0.5 and 1089 0.865 / 1076 0.870 at 0.7 / 0.45, as
good as each variant's trade. What those misses lack is in the readers (a measure outside the clause or unreadable) and
in the cuts, not in the duty stage's features. The cuts' own material, judged under the same rule: the split stage
fitted on the page notices too, the sets in `--new-sets` left out (arm `PPC`): recall 1083 → 1080 [−0.8, +0.3] and
1069 → 1068 [−0.7, +0.6]; q+d+f 943 → 933 [−2.1, +0.0] and 928 → 924, all pages' 632 → 620 [−3.1, −0.3] on seed 1
(pages11 −9); actors 883 → 882 and 900 → 894 [−0.9, +0.1]. Fails, as session 25's `pPC` did.

**Rule items with a binding word meet the add bar (session 25).** Of the 108 hard duties the shipped extractor
misses on the dev page sets, 62 have a candidate that covers them, most of them rule items the stage dropped between
the bars (0.5 ≤ p < 0.7). Between the bars, rule items whose clause carries a binding word (`binds`, the modality
reader's `BINDING` on tokens) were duties 34 times in 39 (23 sites), those without one 112 in 187; so a rule item with
such a word now stays from the add bar up (`_rebuild`), the other rule items from the keep bar as before. Rule and
criterion written first (/tmp/cl-recall4/CRITERION.txt). Pooled grouped CV as above (`bPC`, 211 notices, 203 sites,
5 folds, 90 % paired site bootstrap, points): recall 930 → 939 [+0.2, +1.7] and 926 → 938 [+0.4, +2.1] of 1068;
precision 1586/1823 → 1617/1858 [−0.2, +0.2] and 1571/1802 → 1603/1840 [−0.3, +0.1]; actors 785 → 788 [+0.0, +0.5]
and 778 → 782 [+0.1, +0.7] of 1156; q+d+f unchanged (791, 797 of 992); no partition's recall or actors down. The 75
at fixed thresholds (`bench/checklist_attrs.py --fixed`): P 0.865 → 0.866, the rest unchanged. 116 CPU-s.

**A learned doer stage on every item (session 26, not shipped).** Session 25 found that the actor stage acts only
where the rules fell back. This trial (`nlp/checklist/doer_model.py` on branch `cl-doer-code`) gives every item a
choice among the doers the pipeline already proposes: the actor stage's answer, the rules' answer before it, the CRF's
spans, the subject reader's best span at any score, the 主送 units, the issuer, the previous item's doer, the doer the
section's last clause named, a heading's doer, and no one (candidates that name the same doers are one, their
proposers kept). A logistic regression (liblinear, C = 0.3) scores taking a candidate instead of the actor stage's
answer, from the proposers crossed with how the stage and the rules found their answers, with cues of the item (a time
or event line, 请, a binding word, a heading over it) and of the item before it (how its doer was found, same section,
distance); where the names stand in the item's text and the characters around them; their first and last characters
and character bigrams; whether they end on a body word, hold a count, are the issuer or a 主送 unit; the subject
reader's score. Rows are the candidates that name more (label 1) or fewer gold doers than the stage's answer, read by
actor stages cross-fitted over two halves of the training sites (no candidate from a model that saw its gold); a
candidate replaces the answer at p ≥ 0.5. Rule written first (/tmp/cl-doer/CRITERION.txt); the design was chosen on
seed 3 (pooled actors 788 → 796 [+0.0, +1.4]) and frozen before the deciding run. Pooled CV
(`bench/checklist_pool_cv.py --arms b P Cd` on that branch, main 34490c3, 211 notices, 203 sites, 5 folds, paired site
bootstrap 90 %, points), `bPC` → `bPd`, seed 1 / seed 2: actors 788 → 790 [−0.7, +1.1] and 782 → 786 [−0.2, +1.1] of
1156; all pages 444 → 453 [+0.1, +2.4] and 442 → 450 [+0.4, +1.9] of 741; the 75 real notices 344 → 337 [−3.6, −0.4]
and 340 → 336 [−2.1, +0.0] of 415; R, P and q+d+f unchanged (the stage moves doers only). The 75 at fixed thresholds
(`bench/checklist_attrs.py --fixed --doer`, the stage fitted per fold on the 75 alone): actors 345 → 344 [−0.8, +0.0]
of 415. Fails: the pooled gain is within noise and the 75 lose beyond it on seed 1. The gains sit in few sites (one
pages6 site +4 / +3, one pages10 site +2 on seed 1), the losses are single doers in eight real sites. On the exploring
seed every gold doer the stage moved (12 gained, 6 lost, in 138 items switched) was on an item whose doer the rules
had guessed; on items whose doer a clause reader named, its 19 switches moved none, so looking at every item added
nothing to a choice among fallbacks (session 18's trial). The ceiling is there: the best candidate of each item would
give 866 gold doers against the stage's 788 on that seed. What is missing is a cue that tells when a doer read in the
clause is wrong. 196 CPU-s for the deciding run (both seeds), about 110 CPU-s for each exploring run.

**A learned chooser among the readers' proposals (session 28, not shipped).** Audit first (pooled CV, bPC,
seed 1, counts only): of 1119 gold doers of matched hard duties 871 were given, 248 not (98 sites); the wrong ones'
provenance: the notice-wide fallback 81, a clause reader 50, the section's doer 42, the paragraph 19, no one 11, the
tagger 10, other 35; the gold doer printed in the item before its verb 109 (51 sites), in the opening 50 (29), in the
sentence before 30 (18), after the verb 15, in the 主送 13, the issuer or 落款 14, a heading 5, nowhere 12. A perfect
choice among the doers the readers already propose would give 89 more (51 sites; 117 with every subject span), a
perfect span finder 240. `nlp/checklist/actor_chooser.py` (branch cl-act28) scores each item's proposals (the readers'
pick, the subject reader's best span at any score, later comma clauses' subjects, a heading's doer, the item before,
the section's last named doer, the 主送 units, the issuer, the organiser) with a logistic regression (liblinear, C =
0.5) over generic features (proposal kinds crossed with provenance and the item's verb class, word class of the name,
各 lists, where the text names it, depth and place) and takes the best that beats the pick by 0.1; `--arms b P CX`
of bench/checklist_pool_cv.py fits it per fold. Criterion first (/tmp/cl-act28/CRITERION.txt). On every item, seeds
1 / 2 (240 notices, 232 sites): actors 883 → 891 [+0.0, +1.3] (6 % of draws ≤ 0) and 900 → 908 [+0.1, +1.3] of
1346, the 75 349 → 347 [−1.5, +0.0] on seed 1: fails. Only on items whose doer was guessed (fixed before its run,
fresh seeds 5 / 6): 889 → 890 [−0.4, +0.6] and 889 → 889 [−0.4, +0.5]: fails. As session 26 found, the ceiling is
there but the features do not tell when the pick is wrong. About 215 CPU-s a run.

**Doers printed in the item: features for the learned readers (session 32, not shipped).** A census of the actor
misses on found hard duties of every dev set (the 75, page sets 1, 2, 4, 6, 7, 10-14; shipped extractor of main
fdbb165; per gold doer, sets 1, 2, 4 and the 75 in-sample): 211 in 90 sites. The gold doer printed in the item's own
text while a fallback (the 主送, a heading, the issuer, the sentence before) was given: 60 in 36 sites, 50 in 28 sites of
the never-trained sets; printed there but another name of the text read 25 / 19 sites; in the heading or the sentence
before 41 / 25; the issuer or the event's organiser on a schedule line, the 主送 given 33 / 18; a 主送 unit the doer,
another given 14 / 10; one of joint doers lost 13 / 7; elsewhere or implicit 25 / 11. In the largest class the shipped
tagger's p(B) + p(I) over the gold span is under 0.1 for most items and the subject reader's best candidate stays under
its bar (0.2-0.35 where it holds the doer): role words the head list leaves out (words ending 人/员/者/师 such as
提案人, 主持人; 5 sites), a 的-phrase ending on a people or unit word with no ask (6 sites), a distributive 每X before a
bare count (5 sites; in 4 other sites the gold gives the fielding unit for that shape), a person's name as a line's
label, hosts in a bracket (one site, 11 doers). Tried under a criterion written first (/tmp/cl32/CRITERION.txt: the
pooled actors interval above zero on both seeds, the other measures not below): (a) CRF character features, the end of
a role word or a person's name (a jieba noun ending 人/员/者/师, or nr) and the place in the clause (characters since
the last comma, colon or 、, capped at 4): pooled CV (cvrun.sh against cv-end30, main at session start, 240 notices,
232 sites) actors 948 → 949 [−0.1, +0.3] and 944 → 942 [−0.3, +0.0] of 1346; (b) the subject reader's features, the
candidate's last word a role word, a 的-phrase ending on a people or unit word: 948 → 948 and 944 → 946 [+0.0, +0.4];
(c) both: 948 → 949 [−0.1, +0.3] and 944 → 944 [−0.3, +0.3]; recall, precision and q+d+f identical in all three.
Fails: from the 75 notices the readers do not learn unseen role words off these cues; the path still says O and the
reader stays under its bar. About 200 CPU-s a run.

**Gold doers no candidate holds (session 26, sorted; one class tried, not shipped).** In cl-doer's seed-3 dump (test
folds of the pooled CV), 85 items that cover a hard gold duty with a gold doer have no candidate that the scorer would
count (`../shared/eval/score_checklist.py`: whitespace removed, a gold doer is found when it holds or is held by any
doer given for the matched items, so an abbreviation or a dropped 各 is already forgiven): 123 gold doers, 50 sites.
By class (items / gold doers / sites):
the organiser of a schedule or event line the item does not name (校工会, 院工会, a 组委会, 市总工会) 24 / 32 / 15, in
12 of those sites the head gave no issuer at all, in 3 the issuer is spelt as another organ; units inside the clause
no reader takes (a hospital, a 以…为单位 list, a department's short name, a 由… agent) 10 / 22 / 9, each a different
shape; the event's participants, not named in the item 10 / 10 / 8 (so the gold reading of date-only lines is split
between organiser and participants); a distributive 每队 / 一组 head before its count 10 / 15 / 7 (gold split between it
and the unit fielding the team, see the pages2 README; cl-team's area); the gold widens or respells the 主送 units
10 / 13 / 6; people words the lexicon lacks (a signer, a compère, a group leader after 由), one shape per site
10 / 19 / 5; people named by a long relative clause before 的 5 / 6 / 5; persons by name 5 / 5 / 2; other 1 / 1 / 1.
Only the relative-clause class has one gold reading (every hard gold duty of the dev gold whose doer is such a
phrase before a binding word names the whole phrase: 6 sites), so it was tried (criterion written first,
/tmp/cl-cand5/CRITERION.txt; code on branch `cl-cand5-code`): `people_subject` also reads a people word after 的
of 老师, a modifier of up to 16 characters (digits allowed) before 的, 请 as a binding word, a short aside in brackets
before the act and 将 before its verb, and an aside in brackets as a clause opening unless it counts people.
Pooled CV (`bench/checklist_pool_cv.py`, arm `bPC`, 211 notices, 203 sites, 5 folds, paired site bootstrap 90 %,
first look main 6e208c6): actors 788 → 789 [+0.0, +0.3] seed 1 and 782 → 783 [+0.0, +0.3] seed 2 of 1156, one site
on both; R, P, q+d+f unchanged; the 75 at fixed thresholds identical (actors 345/415). Fails: one site. On seeds 1
and 2 the other sites of the class are no longer misses (the clause is its own item there) or need what the class
does not give (a leading 在, a subject the split cut off, quotes inside the phrase, 集体 as head). A first variant
without the count guard read a team's make-up aside as doers and lost one gold doer (seed 1 788 → 788 [−0.2, +0.2]).
About 100 CPU-s a CV run (both seeds), 102 CPU-s the fixed run.

**The organiser class and the head reader (session 26, nothing changed).** The head reader cannot supply the
organiser of the class above: of its 15 sites, 10 have no issuer in the metadata gold, and there the gold reads none
on purpose (the page-set READMEs leave `issuer` out when neither the head nor a signature names it: 9 sites, so an
organiser written there would score nothing; the 75's one site has `issuer: null`, so it would cost a field). Of the
other 5, 3 already get the gold issuer (spelt unlike the gold doer) and 2 are head misses. An organiser read from
the body belongs with the checklist's own holder (`extract._event_doer`), not in `metadata.issuer`. Head misses with
no issuer given though the gold has one, first look main 52a0148 (`bench/checklist_pages_look.py --metadata-only`;
dev page sets 1, 2, 4, 6, 7, 10, 11, 12 and the 75: 899/932 fields, the 75 372/375, `bench/metadata_real.py` 329/329):
6 notices, 6 sites, 9 fields, in five shapes: a whole notice flattened into one line with the 落款 at the line's end
(2 sites, issuer and date each; the only two such pages in the dev checklist and tagging caches); placeholder marks
before the signer and date lines (1); an undated company name as the last line (1); a page with no 落款 whose title
opens with the issuer (1; read so by the pages11 README, but pages1 leaves the issuer out for a title of the same
form); a page holding two notices, the first one's 落款 mid-page (1). No shape reaches three sites, so none was
taken (criterion written first, /tmp/cl-issuer/CRITERION.txt). For scale, with the dev counts as they stand: the
two-site shape alone, fixed in full, would give 899 -> 903 [+0, +10] (90 % paired site bootstrap; 13 % of draws
at or below zero), all five shapes 899 -> 908 [+3, +16].

**The organiser read from the body: the bodies that decided on the event together (session 27).** `extract.organiser`
now also reads a list of bodies the opening says decided on the event or hold it together (甲、乙、丙决定举办…,
甲联合乙决定开展…, 甲、乙等单位将联合举办…, 经甲和乙共同研究…, and one body that 决定于/在 a time 开展…), each part a
body the rules know or a short name ending as one does, one at least known (`extract._joint`); a host line (由甲主办，
乙、丙承办) gives way to such a list when the list names the host and more (`_with_partners`); the event's own lines
take each body as a doer of its own (`extract.bodies`, which splits at 和/与/及 only where both sides read as bodies,
so 文化和旅游局 stays whole), and `actor_model.decided_by` reads 经甲和乙共同研究 as both bodies'. Re-sort of the
organiser class first (dev sets and the 75, shipped models): of the event lines whose gold doer is an organiser and
that the holder missed, the body shapes were a joint decision list (8 sites: the gold gives every body of the list in
7, ylq, jgjy, lingtai, wddqw, yanghe888, alex-chef, fchlzyc, the first alone in sdufe), a single body deciding with a
time between 决定 and the act (its event lines its own in 5 sites: sxny, hbuas, yesadapter, lasc, klnqp), 主办 + 承办 (gold split: partners given in 2 sites, not in 1; 协办 given in 1, not in 1: left as
read), stage lines (决赛时间：…, 决赛：…: the organiser's in 5 sites, missed in 3; a bare 初赛/预赛 label goes to the
units where it is held) and dated periods (第N期: 2 sites). Only the first two were built (criterion written first, /tmp/cl-org/CRITERION.txt). Pooled CV (bench/checklist_pool_cv.py, bPC, 5 folds,
211 notices / 203 sites) actors 802 -> 809 and 792 -> 799 of 1162 [+0.1, +1.3] on seeds 1 and 2; with page sets 13
and 14 in the pool (240 notices / 232 sites) 866 -> 871 and 882 -> 887 of 1346 [+0.1, +0.8]; R, P and q+d+f
identical everywhere; gains in 3 sites (ylq, jgjy, lasc), no notice loses a doer. Shipped models per set
(`bench/checklist_pages_look.py --against`): pages7 44 -> 46/70, pages10 32 -> 36/78, pages12 35 -> 38/68, every other
dev set and pages13/14 identical; the 75 at fixed thresholds identical. About 125 CPU-s a CV run (both seeds).
Rerun on main after the session's deadline readers (24ddd52 -> 1296822, 240 notices / 232 sites): actors 866 -> 871
and 883 -> 888 of 1346 [+0.1, +0.8], all else identical. Left of the class (dev sets, the 75, pages13/14, shipped
models): an organiser no body shape names, each shape in one site (经X研究 with X no known body, 根据X年度工作计划,
X携手Y, 同意X举办, a 组委会 named in a list, 第N期 periods of a holder read nowhere): 21 items / 23 doers / 10 sites;
the organiser read but the line not given to it (stage lines 决赛时间：暂定于…, 决赛：…, the organiser's own award or
show line with no issuer, a month-long 开展时间): 11 / 14 / 9, each line shape in one or two sites; partners a clause
list or a per-line host bracket leaves out (县妇联, 县文联 unknown as bodies; (甲、乙主办，丙承办) inside the line):
14 / 19 / 4. None reaches three sites with one gold reading.

**Rule items still dropped, by the stage that drops them (session 26, nothing shipped).** Of the hard duties the
shipped extractor misses on the dev sets (the 75 and page sets 1, 2, 4, 6, 7, 10, 11, 12), 32 are covered (≥ 0.6) by
a rule item a later stage removed: the duty stage's keep bar 27 (21 sites), a veto 5 (4); 24 sites in all. None was removed in
`candidates` (table or form cells). Under the bar, by case: a step inside a dated stage's span 6 (4 sites); a time or
event line the date-line test does not take 5 (5; the gold disagrees on clock-only and duration lines); a rule item
that is only part of its gold duty, a split matter 3 (3); a quota item between the bars 4 (3; such items were duties
9 times in 19 between the bars); per-unit programme lines of one page 3 (1); under both bars 3 (3); others 3 (3).
Vetoed: team lines read as match rules 3 (2; session 25 looked at them); a round's format by zone 2 (2). Only the
stage class has three sites and one gold reading (page sets 6, 7, 11 and the project's own notices read every clause
under a dated stage as a step due by its close). Rule written first (/tmp/cl-drop5/CRITERION.txt): such rule items
(`deadlines.stage_windows`) meet the add bar. Pooled grouped CV (`bPC`, 211 notices, 203 sites, 5 folds, 90 % paired
site bootstrap, points), seed 1 / seed 2: recall 938 → 941 [+0.0, +0.7] and 937 → 941 [+0.0, +0.8] of 1068; fails
(13.5 % and 5.2 % of draws ≤ 0). A second arm written before its run (kept whatever the probability, as date lines
are): recall 938 → 942 [+0.0, +1.0] and 937 → 942 [+0.1, +0.9]; precision 1616/1854 → 1623/1866 [−0.6, +0.0] and
1601/1835 → 1609/1848 [−0.5, +0.0]; q+d+f +4 / +5 of 997; actors +3 / +2 of 1156; no partition down; fails on seed 1
(2 sites gain: there the fold models already keep the step of the other two). With four sites in all, the class
cannot clear the bootstrap unless every one gains on both seeds. Code on branch `cl-drop5-code`. About 110 CPU-s
for each CV run (three runs), 15 CPU-s for the sorting.
"""


def _actor_section(metrics: dict) -> str:
    from nlp.checklist.actor_model import card_section  # (the actor stage writes its own part)

    return card_section(metrics)


# the effect of session 15's two split decisions, measured before the refit (see the card)
_SESSION15 = (
    "Grouped CV (GroupKFold / seed 1 / seed 2, thresholds chosen in inner folds), main e1b3fb3 → both decisions "
    "(measured before the actor stage's each_subject / joined_doers landed): "
    "q+d+f 289 / 290 / 288 → 292 / 293 / 291 of 327 (czgz-gh, hufe-xgh, suining-zgh +1 each on every partition; no "
    "site loses one); hard recall 0.918 / 0.905 / 0.915 → 0.926 / 0.913 / 0.923; actors 329 / 326 / 326 → 332 / 329 / "
    "329 of 409; precision 0.842 / 0.815 / 0.818 → 0.839 / 0.810 / 0.804 (a merge of two correct pieces is one "
    "correct item fewer; the rest comes from the duty stage's refits: on seed 2 one fold's inner CV chose add-above "
    "0.45 over 0.5, +18 cx items). Paired site bootstrap, 90 %: q+d+f [+0.0, +2.4] points on each partition, no "
    "resample below 0 (5 % draw none of the three sites); precision [−0.6, −0.0], [−0.9, −0.2], [−1.8, −0.2] points.")


def card(metrics: dict) -> str:
    cv = metrics["cv"]

    def row(name: str, m: dict) -> str:
        o, a = m["obligations"], m["attributes"]
        cells = [o["recall"], o["precision"], o["f1"]] + [a[k]["accuracy"] for k in ("quotas", "deadlines", "frequency", "actors")]
        return f"| {name} | " + " | ".join("—" if v is None else f"{v}" for v in cells) + " |"

    grid = "\n".join(f"| {k} | {v['P']} | {v['R']} | {v['F1']} |" for k, v in cv["grid"].items())
    qdf = " | ".join(f"{name}: {_qdf(m)}" for name, m in (("rules alone", cv["pooled_rules"]),
                                                           ("+ split", cv.get("pooled_split")),
                                                           ("all stages", cv["pooled"]),
                                                           ("inner thresholds", cv.get("pooled_inner"))) if m)
    commas = cv.get("commas") or {}
    split = metrics.get("split")
    if split:
        commas = split.get("commas") or {}
        split_fit = (f"Kept from the fit of {split.get('fitted')} on {split.get('real_documents')} real notices (names sha256/16 "
                     f"`{split.get('annotations_sha256_16')}`) and the project's gold; the duty stage was fitted later on the notices as "
                     "this split stage reads them. ")
    else:
        split_fit = f"Fitted {metrics['fitted']} with the duty stage, on the data below. "
    return f"""# Checklist learned stages (split, duty or not, actor)

Fitted {metrics['fitted']}. `python -m nlp.checklist.duty_model train` refits the split and duty
stages (and this card; `--keep-split` the duty stage alone; `--page-set FOLDER=CACHE` adds a page set's notices);
`python -m nlp.checklist.actor_model train` the actor stage;
`gongwen eval checklist --cv` repeats the cross-validation. Order in `extract.extract`: the rules
read the notice, cutting each sentence into duties where the split stage says so → the duty
stage drops and adds items → the actor stage names doers the rules only guessed.

## Split stage (models/checklist/split.json)
One sentence often holds several duties (two doer–duty pairs, a 并-clause with a new doer, a cap
in a bracket). At each comma between a sentence's clauses a logistic regression
(DictVectorizer → lbfgs, balanced class weights, C=0.3, seed {SEED}; its weights saved as JSON and
applied in plain Python) says whether a new duty starts:
features of the clause before and after (first and last characters, opening word and its part of
speech, own doer, modal words, quantity, deadline, frequency, adverbial, length) and of the item so
far, the rules' own cut among them, and whether a clause opened by 并 brings a date the item so far
lacks (`and_date`, `…报名，并于X前…报送`, which the gold now keeps in one duty). A cut where the rules make none needs p ≥ {_split_threshold()} (chosen on the grouped CV among
0.5 / 0.6 / 0.7) and a clause after the comma that brings something of its own (a doer, a
binding or asking word, a quantity, a deadline, a frequency, a bracket, 并/同时…); a cut of the
rules (a new doer, a 负责 remit, a new frequency) stays unless p < {_split_keep()}. Each piece gets its own quotas, deadlines and frequency; a piece with no doer of
its own keeps the one the sentence named. {split_fit}Trained on {commas.get('labelled', '?')} commas of the real notices that the
gold decides ({commas.get('splits', '?')} of them start a new duty) and those of the project's gold; a comma is
labelled a cut where the clauses on either side fall in different gold duties, or only one of them
in a gold duty.

A second predicate joined by ，并 with no doer of its own (`…报名，并于X前…报送`) is one duty with the
clause before it, as the judges' seed gold reads it (000-10, 000-20, 000-27 keep ，并… in one obligation): the
real-notice gold follows it since 2026-12-05 (corpora/annotations/checklist/README.md; before, the older notices
cut 10 of 18 such sentences and kept 8, the county notices kept nearly all, the project's gold all 17, and the
stage learned p(cut) 0.15–0.58 there). A 并-clause that names a new doer (…，并由所在单位工会公示七天) is still
a cut in the gold.

Two decisions come before the model's (session 15, `split_model.decide`, `extract._WHEN`): a clause opened by 并
that names no new doer is never cut off (the gold keeps such a comma 22 times in 13 sites and cuts 6; the fold
models still cut czgz-gh's and hufe-xgh's, at p(cut) 0.6–0.8); and a clause with no doer that only says when
(待…上线后, 选举时, 投稿时, 比赛过程中, 由…研究后; 7 sites) is an adverbial, which leads into the clause after it
instead of ending the duty before it (suining-zgh). {_SESSION15}

## Duty stage (models/checklist/duty.joblib)
scikit-learn pipeline: character 1–2-gram TF-IDF of the clause (read in simplified characters) +
clause features (modal words, quantity, calendar or relative deadline, a doer named at its head
or at the head of a later comma clause, handing-in verbs (报送/提交/参加…), event and cut-off words
(定于/时间：/截止), length, position in the notice, list label, colon, contact details, the heading
above it: scope / rhetoric / time / task, and finer: prizes / rules of a match / who may take part /
what to hand in, whether the rules took it and how they found its doer;
for a clause the rules left, its date, measure and doer as features of their own; a dated time line
opened by a time field's name (报名时间：…, 比赛时间定于…)) →
logistic regression (liblinear, balanced class weights, C=1, seed {SEED}; each clause of the project's own
gold weighs {PROJECT_WEIGHT}, one of a real notice 1). Saved as duty.joblib; a checklist
run applies its weights from duty.json (`Weights`: the same arithmetic in plain Python).
Training reads the clauses as a run does: 明天 / 本周五 count from the notice's date (until session 19
training read them undated while a run read them dated).

Candidates: the rule extractor's items, the clauses inside their brackets that ask or cap
something of their own (…参赛（…，每队12人）; a feature says so), and the rest of the notice's
text cut into sentences (one over {WHOLE_SENTENCE} characters into its lead of purpose and basis (为…，根据…要求，) and the rest, whole when that is {WHOLE_SENTENCE} or shorter, else into comma clauses of about 25); the head, the 落款, 附件 notes, name-list lines and form titles
are no candidates, nor are the rows of the reader's tables (allocation tables, schedules, the cells
of a flattened 申报表) unless a cell binds someone (须/应/必须…), nor the text of an attachment
that is a form or a list (…表, 回执, 花名册, 名单) apart from its notes that ask, date or count
something (此表一式3份，4月15日前上报). Whatever the model says, a clause that states and does not ask and
binds no one is no duty (`vetoed`: the rules of a match and its age groups, a bare consequence 逾期不报者，视为放弃,
what has already happened …已经启动 / 日前…下发了), and a dated time line (a day or window with at most a field or
stage name: 展出时间：10月下旬, 第一阶段 9月2日至9月8日; `date_line`) is one, kept or added. A rule item is dropped when p(duty) < {metrics.get('keep_below', KEEP_BELOW)}; a left-over
clause is added when p(duty) ≥ {metrics.get('add_above', ADD_ABOVE)}{_pair_note(metrics)}: the pair the outer folds' inner CVs below chose most
often (`shipped_pair`; each the most precise pair of the grid whose pooled hard recall reaches {TARGET_RECALL}, the issue's
target, over a grouped CV of {INNER_FOLDS} folds over the fold's training sites: `choose_thresholds`, the procedure the row
"thresholds chosen in inner folds" judges, so the shipped pair is one those figures were measured at); the same inner
CV over all the real notices' sites decides a tie{_all_notices_note(metrics)}.
Added items get their attributes from the same readers and their doer from the clause, else the
主送 units, else the issuer.

## Data
- {metrics['real_documents'] - metrics.get('page_documents', 0)} real notices (with the page notices below: {metrics['sites']} source sites), annotated blind as offsets into
  `../shared/real-corpus` and `../shared/real-notices` (`corpora/annotations/checklist`, names sha256/16
  `{metrics['annotations_sha256_16']}`). Since 2026-12-06 the gold follows a consistency audit of five conventions
  (siblings of one list, two editions of one notice, decision lines, eligibility lines, bracketed requirements:
  30 items added, 390 → 395 hard duties; corpora/annotations/checklist/README.md), which these stages are fitted on.
- {metrics['project_documents']} notices of the project's own gold (corpora/gold, corpora/heldout/gold): training only,
  at weight {PROJECT_WEIGHT} per clause (written by the hand that wrote the rules; where it and the real
  notices disagree, on dated event lines for one, the real notices decide).
{_page_data(metrics)}- Label of a candidate: it overlaps a gold duty (hard or soft), the scorer's rule for a correct item.

## Grouped cross-validation by source site
{cv['folds']} folds (GroupKFold over sites, no site in both train and test), {cv['documents']} notices of {cv['groups']} sites,
{cv['clauses']} candidate clauses; the project's gold always trains, never tests. In each fold the split
stage, the duty stage and the actor stage are fitted on the training notices only, and every notice
is read again with that fold's split stage. Pooled (micro) scores of the test folds with the shared
scorer's matching:

| | hard recall | precision | F1 | quotas | deadlines | frequency | actors |
|---|---|---|---|---|---|---|---|
{row("rules alone", cv["pooled_rules"])}
{row("rules + split stage", cv["pooled_split"]) if cv.get("pooled_split") else ""}
{row("all stages (split, duty, actor)", cv["pooled"])}
{row("all stages, thresholds chosen in inner folds", cv["pooled_inner"]) if cv.get("pooled_inner") else ""}

The row "all stages" applies fixed thresholds ({KEEP_BELOW} / {ADD_ABOVE}, read off an earlier grid of
these test folds: those figures are tuned on them). The last row is free of that choice and is the
held-out figure of the shipped procedure: in each outer fold an inner grouped CV ({INNER_FOLDS} folds over
the training notices' sites) picks the most precise pair of the grid whose hard recall reaches
{TARGET_RECALL} (ties to the pair nearest {KEEP_BELOW} / {ADD_ABOVE}), which then reads that fold's test notices (chosen per fold:
{", ".join(cv.get("inner_choices") or []) or "—"}).
{_kept_split_note(metrics)}
{_corpus_table(cv)}
{_fold_table(cv)}
Quota + deadline + frequency together: {qdf}.

Clause level (duty or not): stage P={cv['precision']} R={cv['recall']} F1={cv['f1']}; rules alone
(a rule item is a duty) P={cv['rules']['precision']} R={cv['rules']['recall']} F1={cv['rules']['f1']}.

Sensitivity of the duty stage (keep-below / add-above → pooled P, R, F1):

| thresholds | P | R | F1 |
|---|---|---|---|
{grid}

{_page_material_round()}
{_actor_section(metrics)}
{_recall_round()}
{_recall_round7()}
{_entry_round8()}
{_precision_round9()}
{_attribute_round13()}
{_clock_round13()}
{_attribute_round14()}
{_attribute_round29()}
{_precision_round16()}
## Tried, no gain beyond the spread of partitions
On the 68 notices before the `cx` ones (fixed thresholds 0.5 / 0.45): mean pooled duty F1 over three site partitions (GroupKFold's own deal and seeds 1, 2: `python -m
nlp.checklist.duty_model cv --seeds 1 2`) is 0.826 at the shipped thresholds (0.829 / 0.824 / 0.825);
each of these stayed within 1.1 points of it (the partitions alone spread 0.5), none above it by
more than 0.1, so none ships: the headings of every enclosing
section (五、竞赛规则 above a bare 3、) and clause kinds seen as false items across many sites —
prize lists, the rules of a match, who may take part, conditions (…的，视为…), decisions and
dated event lines — as features (0.819; they take negative weights, yet the items they mark
carry modal words and dates that outweigh them); the enclosing headings' character bigrams
(0.823); with those kinds, a neighbouring rule item as a feature (0.820) or C 0.3 / 3 (0.815 /
0.823); bracket caps of sentences the rules left as candidates (0.825); the split stage's cut
thresholds 0.7 / 0.4 and 0.6 / 0.5 (0.823, 0.827).

On the 75 notices (2026-12-05, second round), the false items of the county federation's notices
(`cx`, one site, so always a test fold of its own) were counted by class over every site's candidates
before any feature was tried. Organisation statements (组长由…担任, 下设办公室, 兼任…主任: 12 candidates,
none a duty), worked examples (例1：…: 3), a form's filled-in text (兹有…, 签名: 17, one more a duty) and cases of an
eligibility list (…的职工家庭: 44, 2 more elsewhere) occur among the real notices (nearly) only in the `cx` site, most
of them twice (the .doc is another edition of No. 14); the project's own gold marks organisation statements
as (soft) duties (3 of 4). Nothing in the other sites teaches these classes, so no feature can carry them to the
`cx` fold, and a rule for them would be a rule for one source: left as they are. Classes seen across sites
are split between duty and not in the gold itself: lines announcing a decision or a dated event
(决定/定于/拟于 … 举办, no modal word: 24 duties in 20 sites, 23 not in 18), lines that are only a time (14 / 17),
clauses under a 内容/主题 heading (13 / 27), lists of materials (24 in 5 sites / 26 in 2).
The `cx` site holds 746 of the 1,653 candidates; capping a site's weight in the duty stage at 100
clauses (so that it does not outweigh the others when they are tested) gave F1 0.778 fixed / 0.777
inner against 0.780 / 0.777: no gain, not shipped. This round's changes on the three site
partitions (`cv --seeds 1 2` before → after, fixed thresholds): deadlines 0.782 → 0.816 and
0.796 → 0.830 (0.789 → 0.823 on GroupKFold's own deal), F1 0.765 → 0.768 and 0.782 → 0.781;
thresholds chosen in inner folds: F1 0.780 → 0.783 and 0.748 → 0.749.

Third round (2026-12-05): the split classes settled, then features. The CV's false items
(240 at fixed thresholds: 160 in `cx`) were classed and the classes that our annotators split were
settled the way the judge's own gold (the two seeds' gold) reads them: soft general tasks,
organisation statements, decision and dated event or time lines, acts under 内容 headings, prize
statements and appeals are duties (`corpora/annotations/checklist/README.md`, "Duty or not"; 89
items added in 28 notices, 17 of them hard, none removed). 50 of the 240 false items were false only
by that inconsistency. On the relabelled gold two features were added, each for a class seen in
several sites: a clause that ends on a class of people or units qualified by a 的-phrase (…生活困难的
职工家庭, …被录取的困难职工子女: an eligibility entry; 42 of 44 real candidates in 7 sites are no duty)
and, for quota statements with no modal word (慰问…人数不低于总人数的30%, lost on a sample notice
since the refit on real notices), a quota with one open side and a measured clause under a scope or
standard heading (22 of 24 real candidates in 8 sites are duties). Fast CV of the duty stage alone
(readings fixed, fixed thresholds 0.5 / 0.45), P / R on three site partitions (GroupKFold's deal,
seeds 1, 2): before 0.684 / 0.892, 0.678 / 0.892, 0.696 / 0.895 → relabelled 0.758 / 0.910,
0.749 / 0.902, 0.770 / 0.907 → with the features 0.767 / 0.907, 0.757 / 0.905, 0.779 / 0.905; the
eligibility feature alone +0.007 to +0.016 P on each partition (`cx` +0.017 to +0.028), the quota
features within ±0.003 (kept for their class, not for a figure). Tried, no gain: a month or clock time
the deadline reader misses as a feature, a per-head quota (每队12人), measure-without-modal
interactions (all within ±0.004 F1). Still missed in this class (19 hard duties with a quota or
deadline and no modal word, 13 sites, before): clauses with no candidate of their own (a cap inside
a sentence the rules kept whole: 每队12人, 每人限报2项), time lines whose date the reader does not take
(时间：4月至12月), and items cut elsewhere by the split stage. The sample notice's quota statement now scores
p 0.55 (0.36 before) and is still dropped at the shipped keep-below 0.6.
Whole pipeline, grouped CV (split, duty and actor stages per fold), before (old gold, old features)
→ after (relabelled gold, these features; part of the gain is the relabel itself, see the fast CV
above): GroupKFold's deal, fixed thresholds R 0.887 / P 0.696 / F1 0.780 → 0.897 / 0.771 / 0.830,
inner-chosen 0.843 / 0.720 / 0.777 → 0.884 / 0.790 / 0.834 (`cx` P 0.580 → 0.661, the 68 older notices
P 0.808 → 0.866, inner 0.838 → 0.905); seeds 1 and 2 (`cv --seeds 1 2`), fixed: P 0.678 → 0.763 and
0.697 → 0.777, R 0.885 → 0.894 and 0.887 → 0.897, F1 0.768 → 0.824 and 0.781 → 0.833; inner-chosen:
P 0.733 → 0.797 and 0.658 → 0.776, R 0.840 → 0.867 and 0.869 → 0.867.

Split round (2026-12-05): hard duties no item covers. Of the 41 hard gold duties the grouped CV
(GroupKFold's deal, fixed thresholds) missed, 10 (8 sites) had a candidate the duty stage rejected,
2 had none near, and 29 were cut wrongly: 16 (8 sites) into pieces (cut at a comma by the rules at a
new doer after a time lead or in a list of entry quotas, 4 sites; at ；, mostly `cx`), 13 (9 sites)
left inside a longer item. Of the comma decisions wrong at those duties' edges, 8 were closed to the
model by the gate (a clause with no mark of its own: a condition or means such as 复核通过的 or
按照X要求 that leads into a dated or bound predicate), most with p(cut) ≥ 0.6. New feature
`lead_then_mark` (the split stage now sees the clause after the comma): such a lead clause
before a clause with a date, a binding word or a doer, after an item that has a predicate and a
modal, date or doer, is let through the gate and weighed by the model (20 real commas, cut in 7 of
them in 6 sites, kept whole in 13 in 9 sites). Whole pipeline, grouped CV, fixed thresholds, before →
after: GroupKFold's deal R 0.897 → 0.902, P 0.772 → 0.771 (638/826 → 640/830 correct items),
q+d+f 0.823 → 0.829; seed 1 R 0.894 → 0.899, P 0.763 → 0.764, q+d+f 0.829 → 0.838; seed 2
R 0.897 → 0.905, P 0.777 → 0.778, q+d+f 0.832 → 0.841. Most of the gain is in `cx`; the 68 older
notices move by at most 0.004 R. Tried, no gain: a time-lead feature (a clause ending in 后/时 with
no modal, for the rules' cut after it: 3 such rule cuts in the data).

Precision round (2026-12-05, fourth): the false items of the whole pipeline's grouped CV (fixed
thresholds: 188 / 193 / 181 on GroupKFold's deal and seeds 1, 2; 129 / 132 / 125 of them in `cx`) read
and classed. In `cx`: material-list entries and the 须-clauses in their brackets (about 30), income
thresholds of eligibility (16), conditions with a consequence (12), form text (10), worked examples
(例1：…, 8), statements and background (8), training topics (5); apart from the conditions and the
statements nearly all in that one site, which no other site teaches. In the 68 older notices (59):
statements of fact, background and purpose (about 14 in 12 sites), the rules of a match (9 in 5), eligibility
(6 in 5), conditions with a consequence (5 in 4), and 4 items the guideline counts as duties that the
gold lacked beside annotated items of the same class (added: see the annotations' README). Three
features for the classes seen in several sites, each only with no binding word: a bare consequence
(…的，视为/不予/始得…, no modal, date or measure), X是Y as the predicate, the rules of a match (N人一组,
每局, 跑N圈, 分设…组); none of their 8 / 6 / 11 candidates (6 / 5 / 6 sites) is a duty. Whole pipeline,
fixed thresholds, on the corrected gold, before → after: GroupKFold's deal P 0.769 → 0.771 (642/835 →
647/839), seed 1 P 0.760 → 0.764, seed 2 P 0.775 → 0.775; R 0.905 / 0.905 / 0.912, q+d+f and actors
unchanged on all three. The 68 older notices gain (P 0.874 → 0.891, 0.866 → 0.879, 0.875 → 0.884), `cx`
loses (0.648 → 0.637, 0.640 → 0.635, 0.659 → 0.651: the refit keeps 3 to 8 more of its clauses): within the
spread of partitions overall, kept for the classes. At the shipped pair 0.6 / 0.5: R 0.892 / 0.892 / 0.897
→ 0.895 / 0.897 / 0.900, P 0.809 / 0.792 / 0.796 → 0.805 / 0.800 / 0.799. The gold correction alone moved
the first look (R 0.902 / 0.899 / 0.905, P 0.773 / 0.766 / 0.778) to the "before" above. Tried, no
gain: a labelled time line naming months (时间：X月—Y月, the reader takes no deadline there) as a
feature: R −0.003 on two partitions.

**Steadier refits of the duty stage (session 31, none shipped).** Two deals of the pooled folds (seeds 1, 2) moved one
pages11 site's q+d+f by 6 (9 against 3) through the duty stage's refit alone, a swing as large as the changes being
judged. Four configs of the trainer, each off by default, were tried under a rule written first (pooled q+d+f gains on
both seeds with its interval above zero, nothing else pooled and no partition wholly below zero): `bench/checklist_pool_cv.py`,
arm `bPC`, 240 notices of 232 sites, 5 folds, against main 1231a88, paired site bootstrap 90 %, points, seed 1 / seed 2.
- The classifier as the mean of 50 fits on site bootstraps (`--bags 50`: vectorizers fitted once, coefficients and
  intercept averaged, still one linear model in duty.json): q+d+f 952 → 953 [+0.0, +0.3] and 936 → 946 [+0.1, +2.0] of
  1128, recall 1083 → 1085 and 1069 → 1078 [+0.3, +1.3] of 1222, precision 1833/2088 → 1830/2092 [−0.8, +0.0] and
  1811/2054 → 1813/2067 [−0.9, −0.2], pages11's precision wholly below zero on both seeds. Fails.
- The mean of 25 fits on 80 % of the sites each (`--bags 25 --bag-share 0.8`, weights 1 / 0.8): q+d+f 952 [−0.2, +0.2]
  and 943 [+0.0, +1.7], recall +1 and +6 ([+0.1, +1.0]), precision level; pages11's precision [−3.2, −0.2] on seed 1. Fails.
- C chosen per fit by a grouped CV of 4 folds over the training sites (weighted log loss, grid 0.25 to 4; `--c-grid`;
  it chose 2 in 9 fits of 10): q+d+f 945 [−1.7, +0.0] and 939 [+0.0, +0.6], precision 1861/2137 [−1.3, −0.2] and
  1846/2109 [−1.2, −0.2], pages14's recall and actors wholly below zero on seed 1. Fails.
- A band of 0.05 around each bar where the rules' decision stands (a rule item kept down to 0.65, a left clause added
  from 0.55; `BAND`): q+d+f 949 [−0.6, +0.0] and 946 [+0.1, +2.0]. Fails.
Every config steadies the swinging site (9 on both deals under the bagged fits and the band, 3 on both under the inner
C); the seed-2 gains of 7 to 10 of the bagged fits and the band are that site's 6 and little more, while seed 1 moves by
−3 to +1: seed 2's deal was the unlucky one of the shipped fit, not a loss repaired elsewhere. Summed over sites, the
q+d+f of the two deals differs by 24 in the shipped fit (16 sites, largest 6) and by 16 to 19 under the configs (largest
2); the band alone also steadies actors (52 → 38, largest 12 → 2).

## Limits
Few notices per site (mostly one), all short web notices of school and county unions; the
annotators do not split sentences the same way everywhere (the split stage learns their average);
the attributes of added clauses are only as good as the readers; frequency has almost no gold
({cv["pooled"]["attributes"]["frequency"]["gold"]} hard gold duties carry one, so its figure is not a measure).
"""


def _attribute_round13() -> str:
    """The attribute readers' round (session 13, issue 10's q+d+f), as measured."""
    return """## Attributes: quotas, deadlines and frequencies (session 13)
Measured with a harness that repeats `cross_validate` (every stage fitted per fold, thresholds chosen
in inner folds) and keeps each notice's reading, scored with `../shared/eval/score_checklist.py`'s keys
(quota (min, max), deadline (month, day), frequency `every`, over hard gold duties; an attribute the gold
does not give is not counted). q+d+f correct of 327 (quotas / deadlines / frequency); R; P:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look (main 458ad4c) | 285 (129 / 144 / 12) = 0.872; 0.910; 0.842 (638/758) | 287 (131 / 144 / 12) = 0.878; 0.903; 0.817 (631/772) | 287 (130 / 145 / 12) = 0.878; 0.915; 0.819 (643/785) |
| event day of a clock time (shipped, no refit) | 286 = 0.875; unchanged | 287; unchanged | 288 = 0.881; unchanged |
| + the two reader changes below, refitted per fold (dropped) | 288 = 0.881; 0.910; 0.841 (636/756) | 289 = 0.884; 0.903; 0.820 (633/772) | 289 = 0.884; 0.910 (−2); 0.817 (638/781) |

Where the 42 attributes missed at first look (GroupKFold) lie: 26 on hard duties no item covers (13
quotas, 13 deadlines; 12 sites): entry-quota clauses the gold keeps apart (ankang-tjj-gh, sxny-ygh,
zkvtc-gh), a 并-clause or a time lead cut from its duty (czgz-gh, hufe-xgh, csust-xgh, suining-zgh), two
duties in one item (wuzhou-zgh-mirror, tyyj-jtgh), clock-time lines the duty stage rejects (jiading-jygh,
jzxx-wj-gh: 正式、列席人员上午8:00签到 p 0.31, 下午三点前结束比赛 p 0.32 under the 0.5 bar; the event day is given
after the stage, so no deadline feature sees it), attachment notes of `cx`: the split and duty stages'
work. 16 on found duties, 14 of them `cx`: 5 where the item stops short of the gold's clause (a ；-joined
second amount, a cut before 每年进行不少于一次…) and 9 reader misses (一季度 as a date, 至少…各1个 as a minimum,
到2018年7月底 with no 前, 公示七天 ×2, 只安排帮扶一次 ×2, 500元（含）以下, 汇总后); outside `cx` sut-gh's 7:00 (an
event over two days) and dhdengcheng-xgh's typo 1230日前. Read on the gold's own duty texts
(`bench/checklist_readers.py`), the readers miss no quota or deadline outside `cx` that the duty's text
itself gives (the others come from its heading, its sentence or the notice's event day). Seeds 1 and 2
differ from GroupKFold by a handful of duties found or not; the reader misses are the same.

- **Shipped: a clock time on a notice that names several event days** takes the day of the last event
  line before it (将于9月29-30日举办…，趣味运动会将于9月29日…进行。…7:00集合 → 9-29); 将于…举办/进行 is an event
  line. Runs after the split and duty stages: items, R and P unchanged; sut-gh +1 deadline on GroupKFold
  and seed 2 (seed 1's fold cuts 7:00南区运动场集合 off the item); nwpu-hqjt-gh, ouc-gh, henu-xgh, jiading-jygh,
  jzxx-wj-gh read as before.
- **Tried and dropped: a bound that includes its value in brackets** (500元（含）以下 → max 500, 30人(含)以内,
  二套（含）以上) **and a month's end to reach** (到2018年7月底，… → 7-31, as 到2023年底 is; 于4月底 keeps no day).
  Both right where they apply, but each is one site's (`cx`: the 含 bracket in No. 14, its .doc and No. 15, no
  other site prints it; the month's end once, No. 12), +1 quota and +1 deadline on every partition, and both
  change duty-stage features (`bound`, `deadline`) of a few `cx` candidates: refitted per fold, the learned
  stages move items elsewhere (GroupKFold correct 638 → 636 of 758 → 756; seed 1 +2; seed 2 found 357 →
  355, dialing-dqb and zju-hqjt-gh, correct 643 → 638), paired site bootstrap (2,000 draws, 90 %) ΔR seed 2
  [−1.5, 0.0] points, Δq+d+f [−0.6, +1.4]. Not shipped: one-site classes that cost the refit's noise.
- **Left, one site each, not ruled:** 公示七天 (a bare duration after 公示), 只…一次 (a cap by 只), 一季度 (a
  quarter as a date: the judges' 000-18 reads 第二三季度 as a period, no date), 至少…各1个 (a bound far
  before a 各 count). Most misses are duties not found (above).
"""


def _clock_round13() -> str:
    """Issue 10's clock-time lines in the duty stage (session 13), as measured."""
    return """## Clock times on the event day as the duty stage's deadline (session 13, issue 10)
A clock time with a deed and no date (上午8:00签到, 下午三点前结束比赛, 7:00…集合) in a notice that names its
event day (`extract.event_day_lines`: 定于…召开, 时间：…, 将于…进行) now sets the duty stage's `deadline`
feature (`extract.clock_on_event_day`; `inherit_event_day` gives the day only after the stage). It
changes 6 candidates of the real notices: 5 gold duties (jiading-jygh ×2, jzxx-wj-gh ×2, sut-gh) and
one 集合时间 line of yangtzeu-gcjs-gh that is none. Every stage fitted per fold, thresholds chosen in
inner folds (the per-notice harness of the session-13 rounds), R / P (found; correct / predicted), q+d+f of 327:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look (main 07e1893) | 0.910 / 0.842 (355; 638/758); 286 | 0.903 / 0.817 (352; 631/772); 287 | 0.915 / 0.819 (357; 643/785); 288 |
| after | 0.918 / 0.842 (358; 638/758); 289 | 0.905 / 0.815 (353; 631/774); 290 | 0.915 / 0.818 (357; 640/782); 288 |

jiading-jygh +2 duties on every partition (上午8:00签到, 9:45前签到), jzxx-wj-gh +1 on GroupKFold and
seed 2; the rest is the refit moving other sites' items: GroupKFold hztuling-hqgh −1 false item,
yangtzeu-gcjs-gh +1; seed 1 hztuling-hqgh −1 duty, ankang-tjj-gh and `cx` No. 14 +1 false item each;
seed 2 ahcme-ygh, fzjgdj-gh, dialing-dqb −1 duty each (false items 142 → 142). Paired site bootstrap
(2,000 draws, 90 %) ΔR [0, +2.2], [−0.7, +1.6], [−1.3, +1.3] points, ΔP [−0.4, +0.4], [−0.5, 0],
[−0.6, +0.1]. Dev seeds after the refit: P / R 1.000, actors 1.000. Shipped although the round's own bar
(R up on every partition, P not down) is not met to the letter: R is up or level on all three, q+d+f
+3 / +3 / 0, and P moves by at most 0.2 points with every interval holding 0; the class (a clock time on
the notice's event day) is in four sites (jiading, jzxx, hfcas, sut; hfcas's line is not caught, sut's
7:00 集合 gains no duty, yangtzeu's 集合时间 is one false match).
"""


def _attribute_round29() -> str:
    """Relative deadlines of a step timed by an act or an event's start or end, read after the learned
    stages (session 29, issue 10)."""
    return """## Attributes: a step timed by an act, read after the learned stages (session 29, issue 10)
Audit of the q+d+f misses on the dev pool (main e1748c9: the 75 notices' grouped CV with fixed thresholds, the
shipped extractor on page sets 1, 2, 4, 6, 7, 10–14): of 187 gold values missed, 118 lie on duties no item
matches; of the 69 on found duties, the largest class is a relative deadline the readers do not read on the
item's own text, 10 in 10 sites; next, values in the gold's clause past the end of a cut item (11 in 6 sites),
lists and windows of dates where the gold takes the first day or the last (6 in 5; opposite readings),
quota forms (7 in 6), bound wording (5 in 5, each its own shape). Of the 66 relative gold deadlines of the dev
gold's hard duties, the reader gave 50 on the duty's text; the shapes of two or more sites among the 16 left:
a step done at the act of handing in (投稿时 / 上报时 / 报送时 / 预报名时: 4 sites, and no such form in the dev text
that the gold reads otherwise) and a time before an event starts or ends (…结束前, …开始前10分钟, 赛前五分钟: 3
sites). Both now give a relative deadline (`deadlines.act_times`, words in `corpora/checklist/deadline.toml`
`relative.at_act` / `ends`) in a last stage (`deadlines.add_act_times`, after the prize counts leave): read
inside `find_deadlines` instead, they set the split and duty stages' `relative` feature, and refitted per fold
the stages gained three duties those forms carry and moved others elsewhere (pooled CV seed 1 q+d+f
943 → 944 of 1128 with one notice −6, seed 2 928 → 935, hard recall +1 / −4), as the readers of session 13 did.
As a last stage, pooled grouped CV (seeds 1, 2; 5 folds; arm bPC against main e1748c9, paired site bootstrap,
90 %): q+d+f 943 → 947 and 928 → 931 of 1128, gain [+0.1, +0.7] and [+0.1, +0.6] points (alex-chef, daa.cisisu,
ccschy, gh.xaut; alex-chef, daa.cisisu, gh.xaut); hard recall, precision and actors unchanged, item for item.
Left: …后 after a step or an event of one site each (汇总后, 建档后, 开幕式后, 在竞赛后), 本周末, a time window named
elsewhere.
"""


def _attribute_round14() -> str:
    """Where q+d+f is lost after session 13 (session 14, issue 10): a reading, no change."""
    return """## Attributes: where q+d+f is lost (session 14, issue 10; no change shipped)
Main afd1173 (the models of 15baaf7), every stage fitted per fold, thresholds chosen in inner folds, each
notice's checklist kept and scored with the reference scorer's keys (the harness of `bench/checklist_attrs.py`);
each miss sorted by reading the duty's own gold text with the readers (`bench/checklist_readers.py`) and by
what the predicted items do around it. CPU 113 / 121 / 114 s per partition.

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| R / P (found; correct / predicted) | 0.918 / 0.842 (358; 638/758) | 0.905 / 0.815 (353; 631/774) | 0.915 / 0.818 (357; 640/782) |
| q+d+f of 327; actors of 409 | 289 = 0.884; 313 | 290 = 0.887; 308 | 288 = 0.881; 310 |
| outside `cx`: q+d+f (on found duties) | 195/212 = 0.920 (195/196) | 195/212 (195/196) | 194/212 (194/195) |
| `cx`: q+d+f (on found duties) | 94/115 = 0.817 (94/108) | 95/115 (95/107) | 94/115 (94/108) |

The 38 / 37 / 39 misses by cause (sites):
- **Found duty, the readers miss the form on its own text** 10 / 10 / 10: `cx` ×9 (公示七天 ×2, 只…一次 as a cap
  ×2, 500元（含）以下, 至少…各1个 as a minimum, 一季度 as a date, 到2018年7月底 with no 前, 汇总后) and dhdengcheng-xgh's
  typo 1230日前. Each `cx` form is one document's (No. 14 counts twice, as PDF and .doc); searched in all 75
  real notices, 公示X天, （含） and 到…月底 with no 前 are printed only in `cx`, a cap by 只 elsewhere only in a
  clause of zzu-xgh that is no gold duty.
- **Found duty, the item is not the gold's clause** 5 / 3 / 5, all `cx`: a second amount after ；, a cut before
  每年进行不少于一次…, a cut before （501人以上）2000元.
- **Missed, an item holds the duty but is over the scorer's 2.5 × + 20 cap** 7 / 6 / 6: wuzhou-zgh-mirror ×2
  (two duties and a contact line run on past a half-width full stop), ankang-tjj-gh (the gold cuts each entry
  rule of a comma list apart), sxny-ygh (a count inside a bracket), tyyj-jtgh (GroupKFold only), `cx` ×2.
  The attributes on those items are right.
- **Missed, the duty cut into pieces** 13 / 15 / 14: zkvtc-gh ×5 (a label lead …报名要求: cut off; a list
  over ;), czgz-gh and hufe-xgh (…，并于X前… cut by the split stage; of the 18 hard gold duties holding a
  ，并… predicate the other 16 are found), csust-xgh and suining-zgh (an event-bound lead 下学期开学后 / 待…上线后
  cut from its deed: two sites, two shapes), `cx` ×4–5; sut-gh's 7:00 (seed 1), dialing-dqb (seed 2).
- **Missed, no item** 3 / 3 / 4: ankang-tjj-gh (视频时长…), zkvtc-gh (a day range typed before 中旬, unread too), `cx`; ahcme-ygh
  and fzjgdj-gh on seed 2.

Reading: outside `cx` the readers give every attribute of a found duty but one typo, and q+d+f outside `cx`
is 0.92; the pooled figure is held under 0.90 by `cx` (0.82), as precision is. No reader class of two or
more sites is left, so no reader rule was added (the one-site ones were tried in session 13: above).
Ceilings: every found duty's attributes right 304 / 303 / 303; every non-`cx` one +1. The 16 non-`cx`
misses on duties not found are the split and duty stages', and the conventions they follow differ by
site (an entry rule cut alone in ankang-tjj-gh, a two-quota entry list kept whole in zkvtc-gh).
Made-up forms the readers miss that no real notice here prints, so not added: 即日起至5月20日, 推荐名额：3名
(read as exact, where 名额3名 is a cap), 本月15日前 / 15日前, 5.20前, 每两周.
"""


def _precision_round16() -> str:
    """Session 16's precision step (`vetoed`), as measured."""
    return """## Precision: clauses that state and do not ask are dropped whatever the model says (session 16)
First look on main 4a8b47b (every stage per fold; hard recall / precision (correct / predicted), q+d+f of 327,
actors of 409), thresholds chosen in inner folds and, because that choice alone moves precision about a
point between runs, at the shipped 0.7 / 0.5 held in every fold:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look, inner | 0.926 / 0.839 (635/757); 292; 336 | 0.913 / 0.810 (632/780); 293; 333 | 0.923 / 0.804 (643/800); 291; 333 |
| first look, 0.7 / 0.5 | 0.926 / 0.839 (635/757) | 0.910 / 0.823 (626/761) | 0.923 / 0.820 (635/774) |
| `vetoed`, inner | 0.926 / 0.835 (636/762); 292; 336 | 0.913 / 0.818 (632/773); 293; 333 | 0.923 / 0.828 (635/767); 291; 333 |
| `vetoed`, 0.7 / 0.5 | 0.926 / **0.846** (635/751) | 0.910 / **0.830** (626/754) | 0.923 / **0.828** (635/767) |
| main 2ac8d51 (with the .doc reader's junk fix), inner | 0.926 / 0.834 (636/763); 292; 336 | 0.913 / 0.818 (630/770); 293; 333 | 0.923 / 0.827 (635/768); 291; 333 |
| main 2ac8d51, 0.7 / 0.5 | 0.926 / 0.844 (635/752) | 0.910 / 0.831 (624/751) | 0.923 / 0.827 (635/768) |

Precision without `cx` at 0.7 / 0.5: 0.932 → 0.947, 0.919 → 0.936, 0.911 → 0.928. Paired site bootstrap (2,000
draws, 90 %), ΔP at 0.7 / 0.5: [+0.2, +2.2], [+0.2, +2.4], [+0.2, +2.6] points; no found duty, attribute or actor
changes on any partition. The items dropped are false in every case: zkvtc-gh (3人一组…, 2人一组…), ahcme-ygh (…已经启动),
zzut-gh (…发生…地震), zzu-xgh (日前…下发了…), miqisi-gxqzgh (逾期不報…的視為放棄…), tj-gxq-gh-022china (男子甲组（35岁以上…）…),
sdufe-xgh (40岁以下为A组…). With inner thresholds GroupKFold reads 0.835: its first fold's inner CV now chooses
add-above 0.45 over 0.5 (inner precision 0.9171 against 0.9169), which adds 11 `cx` clauses, one of them a duty;
on seed 2 the flip goes the other way (0.804 → 0.828). The .doc reader's fix (lines of binary data dropped,
18e1e4c) turns one `cx` junk item into the clause it hid, which that edition's gold lacks (its catdoc text is
garbled there): level, the rest is refit noise (GroupKFold nbejjx-gh +1 item, seed 1 two sites −1 correct).
Against the first look, main 2ac8d51 at 0.7 / 0.5: ΔP [+0.1, +2.0], [+0.3, +2.4], [+0.1, +2.3] points.

The model saw these classes as features already (`match_rule`, `bare_consequence`), in 5–11 rows each beside
the character n-grams: their weights moved none of the false items (a `perfective` feature was tried
the same way in session 15: −0.006 / −0.001 / +0.014). A rule item or a left clause of these classes is
now dropped before the thresholds. Nothing was refitted: the fitted weights and the shipped pair are
those above. Left in the way of 0.85: `cx`'s items (96 of 116 false items on GroupKFold: material-list
entries and the requirements in their brackets 31, case rules and consequences of its 办法 16, headings,
article lead-ins, attachment titles and training topics 14, blank form text 12, worked examples 7,
conditional duties beside annotated ones of the same list that the gold leaves out 6, statements 3,
eligibility lines 3, a decision line, a purpose line and the catdoc junk line, now read as the clause it
hid), each class seen in `cx` alone among the annotated sites; outside `cx`, one-site shapes (共有代表…名,
…将推荐…, 我省可推荐…, 集合时间：14:30-14:40, a 办结期限为…).
"""


def _precision_round9() -> str:
    """The ninth round's measurements (precision: section kind and clause features), as measured."""
    return """## Precision: section kind and clause features, none shipped (ninth round, 2026-12-06)
First look on main 458ad4c (this card's procedure, every stage per fold, thresholds chosen in inner folds),
hard recall / precision (found; correct / predicted), the 68 older notices and the county notices (`cx`) apart:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| all | 0.910 / 0.842 (355; 638/758) | 0.903 / 0.817 (352; 631/772) | 0.915 / 0.819 (357; 643/785) |
| without `cx` | 0.908 / 0.935 (357/382) | 0.908 / 0.922 (353/383) | 0.916 / 0.915 (356/389) |
| `cx` | 0.915 / 0.747 (281/376) | 0.894 / 0.715 (278/389) | 0.915 / 0.725 (287/396) |

False items outside `cx` (25 / 30 / 33) lie in 17–18 sites, at most 4 in one: background and statements of
fact before the notice's first heading (a quota or date of a higher body, an event that happened), the
rules of a match, consequences (…的，始得当选), a title and a file-name line. The `cx` fold's 95–111 are
material-list entries, form text, worked examples, consequences and training topics, as the fourth round
found. Screened with the duty stage refitted per fold on each partition's fold readings (split stage per
fold as above; no actor stage, which changes no item's text), at the shipped pair 0.7 / 0.5, R / P on
GroupKFold / seed 1 / seed 2; the base reads 0.910 / 0.842, 0.900 / 0.830, 0.915 / 0.819:

| feature (learned weights, no rule) | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| section kind learned from heading words: character bigrams of the nearest heading | 0.908 / 0.820 | 0.900 / 0.808 | 0.895 / 0.805 |
| the same of the enclosing top-level heading (一、 / 第X章) | 0.905 / 0.805 | 0.903 / 0.804 | 0.908 / 0.801 |
| jieba words of both headings | 0.897 / 0.809 | | |
| the heading families (scope, rhetoric, time, task, prizes, rules, who, ask) of the top-level heading | 0.908 / 0.839 | 0.895 / 0.826 | 0.910 / 0.814 |
| the share of the other clauses under the same heading that bind someone | 0.908 / 0.842 | 0.895 / 0.823 | 0.913 / 0.814 |
| the clauses before and after: binding word, rule item, quota or date | 0.903 / 0.835 | 0.895 / 0.822 | 0.910 / 0.810 |
| no verb in the clause (jieba part of speech: material entries, topic lists) | 0.910 / 0.842 | 0.900 / 0.829 | 0.910 / 0.821 |
| modal words as tokens (`modality.find_modals` and the tokens 请/望/按时), not substrings (请 in 申请, 要 in 主要, 按时 in 无法按时) | 0.900 / 0.847 | 0.900 / 0.836 | 0.910 / 0.821 |
| a token-read "binds someone" flag beside the substring modals | 0.900 / 0.845 | 0.903 / 0.835 | 0.918 / 0.817 |
| every feature split by rule item / left-over clause | 0.900 / 0.822 | 0.903 / 0.814 | 0.910 / 0.810 |
| C 0.5 | 0.900 / 0.844 | 0.890 / 0.839 | 0.903 / 0.827 |
| each real clause weighted by its site's candidates^-0.5 | 0.908 / 0.841 | 0.895 / 0.830 | 0.910 / 0.821 |

Also on GroupKFold alone: C 2 0.908 / 0.833, project gold at weight 0.1 / 0.5 0.910 / 0.838 and 0.908 / 0.840,
character 1–3-grams 0.910 / 0.842. Learned heading words overfit the sites they come from (−2 to −4 points of
P); the rest move along the curve the thresholds already trace (the base at 0.7 / 0.55: 0.905 / 0.851,
0.892 / 0.839, 0.903 / 0.823; at 0.7 / 0.6: 0.900 / 0.854, 0.882 / 0.845, 0.900 / 0.830): a point of
precision for about a point of recall, under 0.90 on at least one partition. Classes counted over every
site's candidates before any feature: clauses ending on a document noun (…复印件, …证明, …申请表: 35 duties, 47
not, 66 of the 82 in `cx`, where the gold keeps 须提供…复印件 and drops …复印件 entries), blank form cells (元 with
no number, 兹有…同志, 特此证明: 38 candidates, all in `cx`), a binding word only inside a bracket (8 candidates in
`cx`, 6 no duty; the 3 elsewhere duties), articles (第X条: no site but `cx`), consequence words (不再/不予/视为/始得/按…执行: 26 duties, 36 not, 17
sites), grants and standards (给予/奖励/补助/标准: mostly duties outside `cx`, as the guideline reads prize statements). Nothing the other sites
teach separates `cx`'s false items from its duties, so no feature reaches the `cx` fold, and the older
notices' false items are single cases. Nothing shipped; the models and thresholds are those above.
"""


def _recall_round() -> str:
    """The sixth round's measurements (candidates and the threshold policy), as measured."""
    return """## Recall: whole sentences and the threshold policy (sixth round, 2026-12-05)
Measured on main 6733cfd's code and gold (the actor rules landed since move the actor column a
little), every stage fitted per fold, on three site partitions: GroupKFold's own deal and
GroupKFold shuffled with seeds 1 and 2 (a harness over `cross_validate` that keeps each notice's
score at every pair of the grid and each outer fold's inner grid, so that a policy is judged on
the same fold models). R / P / F1, then q+d+f and actors:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look, fixed 0.5/0.45 | 0.909 / 0.771 / 0.834; 0.838, 0.738 | 0.909 / 0.765 / 0.831; 0.847, 0.731 | 0.914 / 0.775 / 0.839; 0.850, 0.736 |
| first look, inner F1-best pair (shipped before) | 0.889 / 0.807 / 0.846; 0.829, 0.729 | 0.882 / 0.807 / 0.843; 0.838, 0.719 | 0.892 / 0.753 / 0.816; 0.838, 0.734 |
| inner: most precise pair with inner R ≥ 0.90 | 0.894 / 0.809 / 0.849; 0.832, 0.734 | 0.889 / 0.801 / 0.843; 0.838, 0.726 | 0.897 / 0.753 / 0.819; 0.838, 0.738 |
| whole ≤ 100, fixed 0.5/0.45 | 0.914 / 0.770 / 0.836; 0.844, 0.746 | 0.914 / 0.753 / 0.826; 0.853, 0.738 | 0.919 / 0.772 / 0.839; 0.853, 0.746 |
| whole ≤ 100, inner F1-best | 0.899 / 0.827 / 0.862; 0.841, 0.736 | 0.897 / 0.805 / 0.848; 0.844, 0.736 | 0.907 / 0.773 / 0.835; 0.844, 0.738 |
| **whole ≤ 100, inner R ≥ 0.90 (shipped)** | **0.899 / 0.826 / 0.861; 0.841, 0.736** | **0.897 / 0.797 / 0.844; 0.844, 0.736** | **0.912 / 0.772 / 0.836; 0.850, 0.743** |

- **Threshold policy.** The inner folds used to pick the F1-best pair, which buys precision
  with recall (0.7/0.5 on all notices; outer R 0.882–0.892, under the 0.90 target). They now pick
  the most precise pair whose inner pooled recall reaches 0.90 (`pick_thresholds`, TARGET_RECALL),
  the target itself rather than a figure read off these folds. Against the F1-best pair on the
  same fold models: R +0.005 / +0.007 / +0.005, P +0.002 / −0.006 / 0.000, F1 +0.003 / 0.000 /
  +0.003; paired site bootstrap (2,000 draws, 90 %) of the recall gain [0, +1.4], [+0.2, +1.5],
  [0, +1.4] points, each gain one duty in a different site (hztuling, zzut; abc, cx, jiading;
  jiading, zzu). The outer recall still lands under 0.90: the inner choice is optimistic by about
  half a point. Also read, not shipped: inner R ≥ 0.91 (outer R 0.904 / 0.904 / 0.912, P 0.794 /
  0.788 / 0.735) and F1.5 (0.904 / 0.904 / 0.917, P 0.799 / 0.793 / 0.738): they reach the target
  at 1–2 points of precision, but their margin would be chosen on these outer folds.
- **A left-over sentence whole up to 100 characters** (`WHOLE_SENTENCE`, was 60; longer ones are
  still cut blindly at about 25 characters): recall +0.005 / +0.005 / +0.005 at fixed thresholds:
  one duty in nxu on every partition, qtnu on two, zzu and `cx` on one each, zkvtc −1 on seed 1. Precision moves
  with the county notices (`cx`, one site): at fixed thresholds GroupKFold −0.001 (`cx` −4 wrong
  items), seed 1 −0.012 (`cx` +11 wrong, the other sites flat); at the inner pair it gains on
  GroupKFold (+0.017, `cx` −15 wrong) and seed 2 (+0.019, `cx` −12 wrong, +5 found) and loses on seed 1
  (−0.004). Paired site bootstrap
  (2,000 draws, 90 %) at the same inner policy: recall [−0.5, +1.5], [+0.1, +1.9] and [−0.4, +2.5] points;
  for the whole shipped change (F1-best pair at 60 → R ≥ 0.90 pair at 100): recall [0, +2.3],
  [+0.7, +2.9] and [+0.4, +3.0], precision [−0.7, +2.8], [−2.1, −0.1] and [−1.0, +3.0] points
  (GroupKFold / seed 1 / seed 2). On seed 2 most of it is `cx`'s (+5 of +8 found).
- **Tried and dropped: cutting left-over sentences with the split stage** (the rules' clauses of a
  sentence over 60 characters grouped by `extract._group` under the fold's split model, a group
  over 60 still cut blindly): fixed R 0.904 / 0.909, P 0.773 / 0.764 (GroupKFold / seed 1;
  −0.005 / 0.000 R); at the inner F1-best pair R 0.882 / 0.861. The split stage learned its cuts
  on sentences the rules take; on left-over ones it keeps clauses together that a gold duty
  holds apart (its pieces are longer than the blind 25-character chunks), and misses by kind stay
  as they were (inside a longer piece 10, cut at ， 10, rejected 10).
- Cost: one partition of this harness (37 pairs scored with the actor stage, inner grids) is
  156–189 CPU-s; `duty_model train` (CV with inner folds, then the fit) 224 CPU-s.
- Determinism: `tests/test_checklist_determinism.py` fits the split, duty and actor stages on
  four fixture notices in two processes under PYTHONHASHSEED 3 and 4242 and compares weights,
  CRF file and checklists (8.4 CPU-s for both).
"""


def _entry_round8() -> str:
    """The eighth round's measurements (lists of entry quotas), as measured."""
    return """## Recall: a list of entry quotas is one duty (eighth round, 2026-12-05)
First look on main 67dbce8 (this card's procedure, thresholds chosen in inner folds), hard recall /
precision (found / correct of predicted), q+d+f, actors, on three site partitions:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look (main 67dbce8) | 0.904 / 0.841 (359/397; 651/774); 0.847; 0.757 | 0.892 / 0.821 (354/397; 640/780); 0.850; 0.745 | 0.914 / 0.813 (363/397; 655/806); 0.859; 0.760 |
| after (this card's refit; `shipped_pair` ships 0.7 / 0.5) | 0.912 / 0.842 (362/397; 638/758); 0.875; 0.767 | 0.899 / 0.821 (357/397; 632/770); 0.878; 0.755 | 0.922 / 0.821 (366/397; 644/784); 0.887; 0.769 |
| without `cx`, first look → after | R 0.898 → 0.910, P 0.927 → 0.935; q+d+f 0.863 → 0.906 | R 0.891 → 0.902, P 0.919 → 0.922; 0.863 → 0.906 | R 0.910 → 0.922, P 0.915 → 0.916; 0.877 → 0.920 |

Found +3 on each partition, one in each of henu-xgh, tj-gxq-gh-022china, zkvtc-gh, nothing lost; paired
site bootstrap (2,000 draws, 90 %) of the change, inner thresholds: R [+0.001, +0.019] on all three, P
[−0.003, +0.013], [−0.002, +0.007], [−0.002, +0.013] (a list once cut into several correct pieces is now one
item; on seed 2 the inner folds chose other pairs for `cx`, 14 fewer items there). Refitted again on main 6e6801f, which holds the
attribute readers of 7e2ef07 (prize counts are no quotas): GroupKFold, inner thresholds, 0.912 / 0.841
(362/397; 638/759), q+d+f 286/327, actors 319/416 (the card's tables above).

- **The rules no longer cut a list of entry quotas at each counted role** (`extract._entry_count`):
  after an item that opened a quota of entries (可报/限报/报名/推荐/组队 … N人/名/队/项), a clause that
  only counts one more kind of entry (教练一人; 教练二人（男、女队各一教练）; 各组单打每单位限报4人;
  队员中至少一名女同志: no verb of its own but 报/限报, no binding word, no date) goes on with the same
  duty, where the rules took its role (教练, 队员, 各单位) for a new doer and cut; the split stage kept
  those cuts (p 0.44–0.58 over the 0.4 bar). The gold keeps such a list as one duty in the three sites
  that have one (henu-xgh, tj-gxq-gh-022china, zkvtc-gh); a body that does something of its own
  (科室负责人每月走访1户困难家庭) still starts a duty. With each fold's split and duty stages refitted,
  fixed thresholds 0.7 / 0.5 (the pair the inner folds chose): found 359 → 362, 353 → 356, 363 → 366 (+1
  in each of the three sites on every partition), correct / predicted 643/762 → 638/758, 627/753 →
  623/748, 646/785 → 644/784 (a list of pieces, each correct, is now one item), q+d+f 277 → 286, 278 →
  287, 281 → 290 of 327 (0.847 → 0.875, 0.850 → 0.878, 0.859 → 0.887), actors 315 → 319, 308 → 312,
  316 → 320 of 416. Without `cx` (no such list there): R 0.898 → 0.910, 0.891 → 0.902, 0.910 → 0.922, P
  0.935 → 0.935, 0.926 → 0.927, 0.916 → 0.916. Paired site bootstrap (2,000 draws, 90 %) of the
  recall gain: [+0.001, +0.019] on each partition; of precision [−0.003, 0.000], [−0.001, +0.004],
  [−0.002, 0.000].
- **Tried and dropped** (same harness, fixed 0.7 / 0.5 unless said): the project's gold at weight 0.2
  in the split stage (as in the duty stage; its 450 labelled commas, 32 cuts and none of its 17 before
  并, outweigh the real notices' 686): found 359 → 358 / 353 → 354 / 363 → 363, P 0.844 → 0.835 /
  0.833 → 0.834 / 0.823 → 0.826: the 68 older notices gain 2–3 (two of them wuzhou-zgh-mirror, one
  site), `cx` loses 1–3. Each site counting once in the inner choice of thresholds (a notice weighs 1 /
  its site's notices): thresholds chosen in inner folds, found / correct of predicted 359, 651/774 →
  359, 643/762 (every fold now 0.7 / 0.5), 354, 640/780 → 354, 639/778, 363, 655/806 unchanged. Duty-stage features: whether the clause binds anyone (R −0.002 / +0.010 / −0.002, P −0.001 /
  −0.004 / −0.002) and statements of fact (已经, 下发了, 发生, 共有…, with no binding word and no date:
  P +0.001 / −0.005 / −0.001, R unchanged); no candidate for a line ending on a file name (…通知.pdf,
  4 sites): found −1 / 0 / 0, P −0.002 / −0.001 / 0.000. None beyond the spread.
"""


def _recall_round7() -> str:
    """The seventh round's measurements (candidate making), as measured."""
    return """## Recall: a long sentence's lead, delegates are no form (seventh round, 2026-12-05)
Measured on main 4197a75's code and gold (the gold with the settled eligibility and time-line
readings), with a harness that repeats `cross_validate` without the actor stage and keeps each
notice's reading, probabilities and inner-chosen pair (its GroupKFold figures equal this card's
CV). Thresholds chosen in inner folds (the shipped policy); hard recall / precision, found /
correct of predicted, on three site partitions:

| 75 notices, grouped by site | GroupKFold | seed 1 | seed 2 |
|---|---|---|---|
| first look (main 4197a75) | 0.899 / 0.841 (357/397; 654/778) | 0.892 / 0.821 (354/397; 647/788) | 0.912 / 0.787 (362/397; 678/861) |
| after | 0.904 / 0.841 (359/397; 651/774)* | 0.897 / 0.820 (356/397; 642/783) | 0.912 / 0.813 (362/397; 655/806) |
| after, without `cx` | (not run) | R 0.895 → 0.898, P 0.915 → 0.918 | R 0.906 → 0.906, P 0.904 → 0.913 |

*: this card's CV, on main 3f205e8 with these changes (it holds the actor rules of 90e568f and 26aa92c, which the
first look lacks; they move R/P by at most +0.002). Paired site bootstrap (2,000 draws, 90 %), points:
GroupKFold R [0.0, +1.5], P [−0.4, +1.0] (without `cx` R 0.891 → 0.898, P 0.923 → 0.927; none lost); seed 1 R [−0.5, +1.6], P [−0.8, +1.2]; seed 2 R [−0.8, +1.0], P [+0.3, +3.1] (the precision gain mostly
`cx`'s: the inner folds choose 0.7/0.5 there, 289/405 against 302/445 correct). Found on every partition:
hfcas-gh and hmc-xgh (one each, the two changes below); lost: abc-ygh (seeds 1, 2), ahcme-ygh (seed 2),
fzjgdj-gh (seed 1), rule items dropped at the higher keep-below pair the inner folds chose and one
left-over sentence; also found hztuling-hqgh and one in `cx` on seed 1. A small gain, within the spread.
The thresholds the inner CV over all notices chooses for the shipped stage: 0.7 / 0.5 (0.6 / 0.5 before).
- **A long left-over sentence's lead of purpose and basis is a piece of its own** (`_lead`): a
  sentence over 100 characters was cut blindly into comma clauses of about 25, cutting the duty
  that follows its 为…，根据…要求， lead (…要求，决定组织评选…，在全校范围内推荐：…不超过2名); now
  the lead (up to its last clause opened by 为/根据/按照/依据/遵照/在…之际, with no clause deciding or
  asking before it) is one piece and the rest, when 100 characters or shorter, another. 17 sentences in
  13 sites; the rest covers a gold duty in 10 of them (9 sites).
- **`…代表` is no form title**: `_FORM_TITLE` took a line ending on 职工代表 for a form's title
  (…表), so 请各基层工会及时通知本单位职工代表 was no candidate (hfcas-gh).
- The CV grid (`cross_validate`'s 37 pairs with the actor stage, `choose_thresholds`' inner grids) reads
  and scores each notice's kept set of candidates once instead of once per pair: the same figures
  (checked against the harness), `duty_model train` about 224 → 123–157 CPU-s.
- **Tried and dropped: a cut of the rules kept only at p(cut) ≥ 0.6** (the bar of the split stage's own
  cuts; 0.4 shipped). Lists of entry quotas (每单位可报领队一人，教练一人，…限报4人; 各工会分会限报一队，
  队员中至少一名女同志) are cut where the rules see a new doer (教练, 各单位) and the model, at p 0.44–0.58,
  lets the cut stand. With the two changes above, on the same partitions: R 0.907 / 0.902 / 0.919, P 0.842 /
  0.818 / 0.820 (found +1 to +3 more: zkvtc-gh, henu-xgh, tj-gxq); comma-level grouped CV on the rules' 61
  cuts 46 → 48 / 48 / 50 correct. Dropped because it undoes the issue's own two doer–duty pairs
  (市级领导每季度走访2家企业，科室负责人每月走访1户困难家庭: p 0.487 under the refitted split stage), a class
  the rules cut on purpose; a bar for entry-quota lists alone needs its own evidence.
"""


def _corpus_table(cv: dict) -> str:
    parts = cv.get("by_corpus") or {}
    if not parts:
        return ""
    names = {"real-corpus": "many sites, mostly one web notice each", "real-notices": "one county federation's long PDFs and .doc (one site)",
             "pages": "page set 1, one web page each", "pages2": "page set 2, cached pages only",
             "pages4": "page set 4: tables, joint and event notices"}
    rows = []
    for corpus, m in parts.items():
        for kind in ("fixed", "inner"):
            b = m.get(kind)
            if b:
                rows.append(f"| {corpus} ({names.get(corpus, '')}), {m['documents']} notices, {kind} thresholds | "
                            + " | ".join(str(b[k]) for k in ("R", "P", "F1", "quotas", "deadlines", "actors")) + " |")
    return ("Per corpus (the same test folds):\n\n| | R | P | F1 | quotas | deadlines | actors |\n|---|---|---|---|---|---|---|\n"
            + "\n".join(rows) + "\n")


def _kept_split_note(metrics: dict) -> str:
    split = metrics.get("split")
    if not split:
        return ""
    return (f"\nThe shipped split stage is not the procedure these folds judge: it was kept from the fit on "
            f"{split.get('real_documents')} notices, not refitted on all {metrics['real_documents']}, and no held-out "
            "figure of the shipped split stage on those notices exists (it saw most of them). The figures above judge "
            "refitting every stage per fold; the duty stage's thresholds shipped "
            + ("were given to the fit (`--pair`, above).\n" if metrics.get("pair_given")
               else "come from the same inner procedure.\n"))


def _fold_table(cv: dict) -> str:
    """Per test fold: duty recall / precision at the shipped thresholds and at the inner-chosen ones."""
    rows = cv.get("per_fold") or []
    if not rows:
        return ""
    def cell(b: dict | None) -> str:
        return "—" if not b else f"{b['R']} / {b['P']}"
    body = "\n".join(f"| {i + 1} | {r['documents']} | {cell(r['shipped'])} | {cell(r.get('inner'))} |" for i, r in enumerate(rows))
    return ("Per test fold (hard recall / precision):\n\n| fold | notices | shipped thresholds | inner-chosen |\n"
            "|---|---|---|---|\n" + body + "\n")


def _qdf(m: dict) -> str:
    a = m["attributes"]
    gold = sum(a[k]["gold"] for k in ("quotas", "deadlines", "frequency"))
    ok = sum(a[k]["correct"] for k in ("quotas", "deadlines", "frequency"))
    return f"{ok}/{gold} = {round(ok / gold, 3) if gold else '—'}"


def _brief_cv(cv: dict) -> dict:
    """The pooled figures of one CV, at the shipped and at the inner-chosen thresholds."""
    out = {"shipped": {**_brief(cv["pooled"]), "qdf": _qdf(cv["pooled"])}}
    if cv.get("pooled_inner"):
        out["inner"] = {**_brief(cv["pooled_inner"]), "qdf": _qdf(cv["pooled_inner"]), "chosen": cv["inner_choices"]}
    if cv.get("by_corpus"):
        out["by_corpus"] = cv["by_corpus"]
    return out


def _split_threshold() -> float:
    from nlp.checklist import split_model

    return split_model.THRESHOLD


def _split_keep() -> float:
    from nlp.checklist import split_model

    return split_model.KEEP_BELOW


def _main() -> int:
    import argparse

    from nlp.resources import shared_root

    ap = argparse.ArgumentParser(description="fit the checklist duty stage (models/checklist)")
    # export: duty.json from the shipped duty.joblib, without fitting again
    # card: the CV again and the card written from it, the shipped models untouched
    ap.add_argument("command", choices=["train", "cv", "export", "card"])
    ap.add_argument("--annotations", type=Path, default=ROOT / "corpora/annotations/checklist")
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--folds", type=int, default=5)
    # train: refit the duty stage alone, the shipped split stage (split.json) kept as it is
    ap.add_argument("--keep-split", action="store_true")
    # cv: deal the sites to folds at random with these seeds (one CV each), to tell a gain from noise
    ap.add_argument("--seeds", type=int, nargs="*", default=None)
    # train / cv: the notices of these page sets (FOLDER=CACHE, repeatable) join the real ones; their
    # text lives in a page cache outside the repository, so only with the cache given. --pages DIR:
    # the cache of a --page-set without =CACHE; alone, the first page set (checklist-pages) from DIR
    ap.add_argument("--page-set", action="append", default=[], metavar="FOLDER[=CACHE]")
    ap.add_argument("--pages", type=Path, default=None)
    ap.add_argument("--missing", choices=("refuse", "skip"), default="refuse",
                    help="a page the cache lacks: refuse (default) or leave it out")
    # train: ship these thresholds (keep-below/add-above) instead of the inner CVs' choice
    ap.add_argument("--pair", default=None, metavar="KB/AA")
    # train / cv: the duty classifier as the mean of this many site-bootstrap fits (BAGS; 0: one fit)
    ap.add_argument("--bags", type=int, default=0, metavar="B")
    ap.add_argument("--bag-share", type=float, default=0.0, metavar="F", help="each bag F of the sites (0: a bootstrap)")
    ap.add_argument("--c-grid", type=float, nargs="+", default=[], metavar="C",
                    help="the classifier's C chosen per fit by an inner grouped CV from these (C_GRID)")
    a = ap.parse_args()
    shared = a.shared or shared_root(ROOT)
    # the pickled pipeline must name this module, not __main__
    import importlib

    dm = importlib.import_module("nlp.checklist.duty_model")
    dm.BAGS, dm.BAG_SHARE, dm.C_GRID = a.bags, a.bag_share, tuple(a.c_grid)
    sets = a.page_set or (["checklist-pages"] if a.pages else [])
    if a.command == "export":
        model, kb, aa = dm.load_pipeline()
        weights = dm.Weights.from_pipeline(model)
        weights.data.update(keep_below=kb, add_above=aa)
        weights.save(dm.WEIGHTS_PATH)
        m = {"weights": str(dm.WEIGHTS_PATH), "chars": len(weights.chars), "features": len(weights.feats)}
    elif a.command == "train":
        m = dm.train(a.annotations, shared, folds=a.folds, keep_split=a.keep_split, pages=a.pages,
                     page_sets=sets, missing=a.missing,
                     pair=tuple(float(x) for x in a.pair.split("/")) if a.pair else None)
    elif a.command == "card":
        path = dm.MODEL_DIR / "metrics.json"
        m = json.loads(path.read_text(encoding="utf-8"))
        m["cv"] = dm.cross_validate(dm.real_examples(a.annotations, shared), folds=a.folds)
        from ingest.savedir import switched_folder

        with switched_folder(dm.MODEL_DIR, last="metrics.json") as stage:
            dm.write_card(stage, m)
    else:
        real = dm.real_examples(a.annotations, shared) + dm.page_set_examples(sets, shared, a.pages, a.missing)
        m = {str(s): _brief_cv(dm.cross_validate(real, folds=a.folds, seed=s)) for s in a.seeds} if a.seeds \
            else dm.cross_validate(real, folds=a.folds)
    print(json.dumps(m, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
