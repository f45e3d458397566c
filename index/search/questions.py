"""Question queries: `困难职工一年能领几次慰问金`. The interrogative (几次, 多少,
什么时候, 哪些, 能否, 是否, 吗 …) is no word of the answer: it is recognised and
stripped, the remaining words rank by how many of them a passage holds (a
question's words are not all in its answer), and a question about an amount, a
count, a time or a frequency favours passages holding a quantity of that kind.

Which passages hold which kind is decided when they are indexed: `markers(text)`
gives marker tokens (added to the analysed `meta` field) for the quantities a
text states — money (500元, 1.5万元), counts (2名, 3次, 一队), dates and
deadlines (3月20日前, 10个工作日内, 7月底), frequencies (每年, 每半年一次),
durations (会期一天, 两天半, 3个月, 15秒)."""
from __future__ import annotations

import re
from functools import lru_cache

NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千〇零]+)"
# Units of a count: people, teams, copies, works, words, books, area (the units
# nlp.checklist.quantities reads counts in; 平方米 before 平 …, longest first).
COUNT_UNITS = sorted("名 人 个 次 项 家 件 队 场 批 份 支 幅 组 篇 套 户 字 册 本 张 首 副 种 条 所 间 平方米 人次".split(),
                     key=len, reverse=True)
DURATION_UNITS = "天|周|星期|个月|小时|分钟|秒|工作日|学时|课时"
KINDS = {
    "money": re.compile(rf"{NUM}\s*(?:万|千)?\s*元|{NUM}\s*万(?![人名])"),
    "count": re.compile(rf"{NUM}\s*(?:{'|'.join(COUNT_UNITS)})"),
    "date": re.compile(rf"{NUM}\s*月\s*(?:{NUM}\s*日|底|初|中旬|上旬|下旬)|{NUM}\s*(?:个)?(?:工作日|日|天|周|个月)\s*(?:内|前)"
                       rf"|截止|前完成|之前"),
    "percent": re.compile(rf"{NUM}\s*[%％]|百分之{NUM}|{NUM}\s*成"),
    "frequency": re.compile(r"每(?:年|月|季度?|半年|周|学年|学期|天|批次?)|[一两二三]年一次|一次性|不少于\s*\S{1,2}次"),
    # how long: a meeting, a publication, a stay, a video (会期一天, 公示3至5天, 不少于3个月);
    # a length of days says no date, so a 几天 / 多久 question found no marker before
    "duration": re.compile(rf"(?:{NUM}|半)\s*(?:个)?半?\s*(?:{DURATION_UNITS})"),
}
MARK = {k: f"zzq{k}" for k in KINDS}  # Latin tokens no text holds: the analyser keeps each whole
# What a kind's pattern cannot match without (元 or 万 for money …): a text holding none
# of them is not searched for it (the searches, which try a numeral at every character,
# were a tenth of indexing)
_NEEDS = {"money": ("元", "万"), "date": ("月", "前", "内", "截止"), "percent": ("%", "％", "百分之", "成"),
          "duration": ("天", "周", "星期", "月", "时", "分", "秒", "工作日")}
# Whether KINDS[k] matches anywhere, found as fast: where a pattern starts with a numeral
# (NUM …), it matches if and only if it matches from the numeral's last character (a
# single digit or Chinese numeral is a NUM too), so the search may start from one
# character of a class — which the regex engine skips to in C instead of trying the
# whole pattern at every character (the markers were a tenth of indexing).
# tests/test_search_fast_cut.py compares both on the sample and real texts.
_D = r"[\d一二两三四五六七八九十百千〇零]"
_FOUND = {
    "money": (re.compile(rf"{_D}(?:\s*(?:万|千)?\s*元|\s*万(?![人名]))"),),
    "count": (re.compile(rf"{_D}\s*(?:{'|'.join(COUNT_UNITS)})"),),
    "date": (re.compile(rf"{_D}(?:\s*月\s*(?:{NUM}\s*日|底|初|中旬|上旬|下旬)|\s*(?:个)?(?:工作日|日|天|周|个月)\s*(?:内|前))"),
             re.compile(r"截止|前完成|之前")),
    "percent": (re.compile(rf"{_D}\s*[%％成]"), re.compile(rf"百分之{_D}")),
    "frequency": (KINDS["frequency"],),
    "duration": (re.compile(rf"[\d一二两三四五六七八九十百千〇零半]\s*(?:个)?半?\s*(?:{DURATION_UNITS})"),),
}

# Interrogatives, longest first; each names the kind of answer it asks for (None: any).
ASKS = [
    ("多长时间", "duration"), ("什么时候", "date"), ("何时", "date"), ("哪天", "date"), ("几号", "date"),
    ("几个月", "duration"), ("几月", "date"), ("多久", "duration"), ("多长", "duration"), ("多少天", "duration"),
    ("几小时", "duration"), ("截止到", "date"),
    ("多少钱", "money"), ("多少元", "money"), ("多少万", "money"),
    ("几次", "frequency"), ("多少次", "frequency"),
    ("多少人", "count"), ("多少名", "count"), ("多少个", "count"), ("几名", "count"), ("几个", "count"),
    ("几人", "count"), ("几项", "count"), ("几家", "count"), ("几件", "count"), ("几队", "count"),
    ("几分", "count"), ("几天", "duration"), ("几周", "duration"), ("几", "count"), ("多少", None), ("多大", None),
    ("哪些", None), ("哪个", None), ("哪里", None), ("什么", None), ("怎么样", None), ("怎么", None),
    ("怎样", None), ("如何", None), ("能否", None), ("是否", None), ("可否", None), ("能不能", None),
    ("可不可以", None), ("有没有", None), ("吗", None), ("呢", None),
]
# The everyday interrogatives a worker types (交啥, 报给谁, 咋报名): asked like 什么 / 怎么,
# any answer kind. False: not read as questions.
COLLOQUIAL_ASKS = True
_COLLOQUIAL = [("啥", None), ("谁", None), ("咋", None)]
_ASK = re.compile("|".join(re.escape(a) for a, _ in sorted(ASKS + _COLLOQUIAL, key=lambda t: -len(t[0]))))
_ASK_FORMAL = re.compile("|".join(re.escape(a) for a, _ in ASKS))
# a verb or adjective asked as itself, 不 and itself again (行不行, 算不算, 是不是: the form
# 能不能 and 可不可以 above are of), with the colloquial interrogatives
_A_NOT_A = re.compile(r"([\u4e00-\u9fa5])不\1")
# 多少字, 几份, 多少平方米, 多少元: the unit after the interrogative names the kind asked
_ASK_UNIT = re.compile(rf"(?:多少|几)(?:(?P<duration>个月|{DURATION_UNITS})|(?P<count>{'|'.join(COUNT_UNITS)}|圈|局|轮)|(?P<money>万元|元|块))"
                       r"|几(?P<percent>成)(?![员绩果立本为])|百分之(?P<percent2>几|多少)")
_KIND = dict(ASKS + _COLLOQUIAL)
# Words that only carry the question (能/可以 …) once the interrogative is gone.
FILLERS = re.compile(r"^(?:能|可以|可|要|需要|应|该|请问|有|是|的|了|去|拿|领|交|写|报|从|在)$")
# An amount asked without 钱: 补助多少, 标准是多少, 比例是多少 …
_MONEYISH = re.compile(r"钱|元|补助|补贴|资金|标准|费用|经费|慰问金|奖励|缴纳|交|拿|报销")
_RATEISH = re.compile(r"比例|百分|率")


def markers(text: str, duties: list | tuple = ()) -> list[str]:
    """Marker tokens for the kinds of quantity `text` states, and those the checklist
    found in the duties extracted from it (items.fold_duty: their quotas, deadlines
    and frequency, read by nlp.checklist with units the patterns above lack:
    字, 册, 份, 平方米, 3至5天 …)."""
    kinds = {k for k, found in _FOUND.items()
             if any(n in text for n in _NEEDS.get(k, ("",))) and any(rx.search(text) for rx in found)}
    for d in duties:
        if not isinstance(d, dict):
            continue
        for q in d.get("quotas") or []:
            kind = _QUOTA_KIND.get(q.get("kind")) if isinstance(q, dict) else None
            if kind:
                kinds.add(kind)
        if d.get("deadlines"):
            kinds.add("date")
        if d.get("frequency"):
            kinds.add("frequency")
    return [MARK[k] for k in KINDS if k in kinds]


# nlp.checklist quota kinds → the kinds a question asks for (a duration answers 多久/几天)
_QUOTA_KIND = {"money": "money", "people": "count", "count": "count", "duration": "duration", "percent": "percent"}


def parse_question(text: str) -> tuple[str, set[str]] | None:
    """(the words without the interrogatives, the kinds of quantity asked for), or
    None when `text` asks nothing."""
    ask = _ASK if COLLOQUIAL_ASKS else _ASK_FORMAL
    found = ask.findall(text)
    if COLLOQUIAL_ASKS:
        found += [m.group(0) for m in _A_NOT_A.finditer(text)]
    if not found:
        return None
    named = {m.lastgroup.rstrip("2") for m in _ASK_UNIT.finditer(text)}  # the unit says what is asked: no guessing
    # 几成, 百分之几: a share, not the count the bare 几 would guess
    bare = ("几",) if "percent" in named else ()
    kinds = {k for k in (_KIND.get(f) for f in found if f not in bare) if k}
    kinds |= named
    if not named and ("多少" in found or "多大" in found or "几" in found):
        if _MONEYISH.search(text):
            kinds.add("money")
        if _RATEISH.search(text):
            kinds -= {"count", "money"}
            kinds.add("percent")
    if "duration" in kinds and "一次" in text:  # 多久更新一次: how often, not how long
        kinds = (kinds - {"duration"}) | {"frequency"}
    if "frequency" in kinds:
        kinds.add("count")
    rest = ask.sub(" ", _ASK_UNIT.sub(" ", text))
    if COLLOQUIAL_ASKS:
        rest = _A_NOT_A.sub(" ", rest)  # 写多少字: 字 is no word of the answer either
    return " ".join(rest.split()), kinds


# What a question asks for besides a quantity: a time, a place. Notices give each its own
# heading (一、时间 二、地点) under which the answer holds few of the question's words
# (创新工作室什么时候可以申报 → 一、申报时间 2023年3月1日—10月15日), so the second look
# (rerank.SLOT_WEIGHT) favours a passage of the notice found whose heading names the slot
# asked. (frames asked by, the heading words that name the slot)
SLOTS = {
    "date": (re.compile(r"什么时候|啥时候|何时|哪天|几号|截止到|几月|最晚|最迟"), re.compile(r"时间|日期|截止|截至|期限|时限")),
    # 从哪里出 asks where money comes from, not a place
    "place": (re.compile(r"(?<!从)(?:哪里|哪儿)|在哪|什么地方|啥地方|何地"), re.compile(r"地点|地址|场地|会场|场所")),
}
# Who may take part, what to hand in, how to apply: the notices answer each under a short
# heading of its own too, whose words were read off the headings the stored notices use
# (参加对象, 参赛人员资格, 申报范围, 代表条件, 帮扶对象 — 申报材料, 必须提供的申报材料, 报送内容 —
# 报名方式, 申报办法, 申报程序, 报名流程, 作品报送 …). A frame names the intent only where the
# question names the act (怎么报名, not a bare 怎么: 怎么 asks too many things, and the
# ninth round's bare frames lost). rerank.INTENT_WEIGHT weighs them.
INTENTS = {
    "who": (re.compile(r"谁(?:能|可以|可|有资格)(?:参加|参赛|报名|申报|申请|去|报)|哪些人|什么人|哪些单位|哪类人|什么样的人|什么条件|啥条件|哪些条件|有资格|资格"
                       r"|(?:能|能不能|可以|可不可以)(?:参加|参赛|报名|申报|申请|去|报)(?:吗|么|不)$"),
            re.compile(r"对象|条件|资格|参赛范围|申报范围|参加范围|参赛人员|参加人员")),
    "material": (re.compile(r"(?:交|附|带|提供|准备|提交|上报|报送)(?:什么|哪些|啥)|哪些材料|什么材料|啥材料"),
                 re.compile(r"材料|报送内容|证明|申报表|登记表")),
    "how": (re.compile(r"(?:怎么|怎样|如何|咋)(?:报名|申请|申报|报|交|提交|参加|参赛|办理)"),
            re.compile(r"方式|办法|程序|流程|报名要求|报送要求|申报要求|作品报送")),
}
SLOTS.update(INTENTS)
# Who receives, decides, approves, pays (交给谁, 报给谁, 由谁审核, 谁来统计, 经谁同意, 哪个部门牵头):
# the answer is no heading but a clause naming the actor inside a section's text (…报名表交X处,
# 名单发X邮箱, 报送至校工会, 由县总工会承担, 经校工会审核后): such a section gains
# (rerank.ACTOR_WEIGHT) over the notice's other sections and its document item, which hold the
# question's other words too. Who may take part (谁可以参加) is INTENTS["who"], not this.
# (question frame, clause answering it); a recipient: 交给谁, 报给谁, 发给谁, 找谁, 向谁报告
# (in either script: a notice of a Taiwan-style issuer prints 發至…處, 由…審核)
_DEED = ("审核|审定|审批|批准|决定|确定|评审|评定|负责|统计|组织|牵头|解释|承担|通知|认定|研究|汇总|签字|核实|选拔|同意"
         "|審核|審定|審批|決定|確定|評審|評定|負責|統計|組織|牽頭|解釋|承擔|認定|匯總|簽字|核實|選拔")
ACTORS = {
    "to_whom": (re.compile(r"(?:给|找|向|交|报|发|送)谁|(?:交|报|发|送)(?:给|到)?(?:哪个部门|哪个单位|哪里)"),
                re.compile(r"[交发發报報送寄递遞](?:至|到|给|給)|(?:提交|报送|報送|上报|上報)(?:至|到|给|給)?[^，。；,;]{0,15}?"
                           r"(?:工会|工會|部|处|處|室|办|辦|中心|邮箱|郵箱)|[交发發报報送][^，。；,;]{1,15}?[处處]|邮箱|郵箱")),
    # a decider: 由谁审核, 谁来统计, 经谁同意, 哪个部门牵头, 谁承担 (…由校工会审核, 经分工会同意)
    "by_whom": (re.compile(rf"由谁|经谁|谁来|谁(?:{_DEED}|出|签)|(?:哪个部门|哪个单位|哪一级|哪级)"),
                re.compile(rf"[由经經][^，。；,;]{{1,20}}?(?:{_DEED})")),
}
SLOT_HEADING_MAX = 16  # a heading naming a slot is short (一、报名方式); a longer one is a clause


# A question naming the unit of the count it asks (写多少字, 交几份, 跑几圈, 一年几次) is
# answered by a passage stating a number in that unit (3000字, 一式两份, 跑三圈, 两次):
# a slot "unit:字" (the markers only say a count of some unit is stated). Units said alike
# count as one (人/名, 天/日, 队/支).
_ASKED_UNIT = re.compile(rf"(?:多少|几)\s*(个月|{'|'.join(u for u in COUNT_UNITS if u != '个')}|圈|局|岁|轮|天|周|小时|分钟|秒)")
_UNIT_ALIKE = {"人": "人|名", "名": "名|人", "天": "天|日", "队": "队|支", "支": "支|队", "幅": "幅|组"}


def asked_slots(text: str) -> tuple[str, ...]:
    """The slots (SLOTS, and "unit:<unit>") a question asks for."""
    # an intent whose heading word the question types already (入会需要什么条件, 要交哪些材料)
    # is counted by that word's concept: weighed twice, headings of other notices naming it
    # (第七章建档条件) outrank the answer
    out = [k for k, (frames, heads) in SLOTS.items() if frames.search(text) and not (k in INTENTS and heads.search(text))]
    if not INTENTS["who"][0].search(text):
        out += [k for k, (frames, _) in ACTORS.items() if frames.search(text)]
    out += [f"unit:{m.group(1)}" for m in _ASKED_UNIT.finditer(text)]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=256)
def _unit_rx(unit: str) -> re.Pattern:
    return re.compile(rf"{NUM}\s*(?:{_UNIT_ALIKE.get(unit, re.escape(unit))})")


def names_slot(path: str, slots: tuple[str, ...], text: str = "") -> bool:
    """Whether a passage answers one of `slots`: a short heading of its path names a slot
    of SLOTS, or its `text` states a number in a unit asked."""
    if not slots:
        return False
    heads = [h for h in (path or "").split(" > ") if h and len(h) <= SLOT_HEADING_MAX]
    for k in slots:
        if k.startswith("unit:"):
            if text and _unit_rx(k[5:]).search(text):
                return True
        elif k in ACTORS:
            if text and ACTORS[k][1].search(text):
                return True
        elif any(SLOTS[k][1].search(h) for h in heads):
            return True
    return False

