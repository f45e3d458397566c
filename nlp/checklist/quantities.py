"""Quotas in a clause: percentages, counts, durations, sums of money and numbers of
people, with open or closed bounds (3%至5%, 1-2个, 至少确定一项, 4件以上, 不少于3个月,
不超过2000元, 各派1名, 13个, 3到5年, 百分之十, 三至五人) and matching ratios (按1:1比例配套)."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from nlp.checklist.numbers import CN_DIGITS, DASHES, NUM, is_arabic, to_number
from nlp.checklist.words import alternation, load

S = r"[ \t\u3000]*"  # typeset notices put spaces around numbers: "3 个月"

_WORDS = load("quantity")
# unit -> (kind, unit as reported), longest first (corpora/checklist/quantity.toml)
UNITS: list[tuple[str, str, str]] = [(u, k, n) for u, (k, n, *_) in _WORDS["units"].items()]
# 万元, 千元, 万人: the unit opens on a numeral, so the number is reported converted (5万元 -> 50000 元)
_SCALE: dict[str, int] = {u: v[2] for u, v in _WORDS["units"].items() if len(v) > 2}
# 年/月/日 after a bare number are calendar dates, not quotas: they only count with a bound word or a range.
_DATE_UNITS = {"年", "月", "日"}
# 不超过六尺, 大小不超过1M: sizes of a work count only with a bound word (a bare 7寸彩照 or 100M跑 bounds nothing)
_SIZE_UNITS = set(_WORDS["sizes"]["units"])
UNIT = "|".join(re.escape(u) for u, _, _ in UNITS)
_UNIT_INFO = {u: (k, n) for u, k, n in UNITS} | {"对": ("count", "对")}  # (对 only in its own pattern)

_BOUNDS = _WORDS["bounds"]
LOWER = alternation(_BOUNDS["lower"])
# 名额2个 / 推荐名额为3名: the places allotted, so at most that many; 限 alone, but not 期限 / 年限 / 无限 / 界限
UPPER = (alternation(_BOUNDS["upper"]) + r"|(?<![期年无界])限"
         + r"|名额(?:为|是)?(?=[ \t\u3000]*[0-9０-９零〇一二两三四五六七八九十])")
RANGE = rf"至|到|[{DASHES}]"
AFTER_LOWER = alternation(_BOUNDS["after_lower"])
AFTER_UPPER = alternation(_BOUNDS["after_upper"])


FRACTIONS: dict[str, int] = dict(_WORDS["fractions"])
_COUNTED_UNITS = _WORDS["counted"]
_GAP = r"[^，。；：:0-9０-９%％]{0,16}?"
_SEXES = alternation(_WORDS["makeup"]["sexes"])
_SPAN_LABELS = alternation(_WORDS["span"]["labels"])
_SPAN_LEADS = alternation(_WORDS["span"]["leads"])
_SPAN_UNITS = alternation(_WORDS["span"]["units"])

PATTERNS = [
    # 按1:1比例配套, 配套比例为1:1, 1比1配套: a matching ratio (value a/b); a bare 18:00 is a time
    ("ratio", re.compile(rf"(?:(?<=比例)|(?<=比例为)|(?<=比例是)|(?<=比例按))(?P<a>[0-9０-９]{{1,3}}){S}[:：比]{S}(?P<b>[0-9０-９]{{1,3}})(?![0-9０-９])"
                         rf"|(?P<a2>[0-9０-９]{{1,3}}){S}[:：比]{S}(?P<b2>[0-9０-９]{{1,3}})(?={S}的?(?:比例|配套))")),
    # 不少于一半, 半数以上, 三分之二以上
    ("fraction", re.compile(rf"(?:(?P<op>{LOWER}|{UPPER}){_GAP})?(?P<frac>{alternation(list(FRACTIONS))}|(?P<den>{NUM})分之(?P<nom>{NUM})"
                            rf"|(?P<snom>[0-9])/(?P<sden>[0-9]{{1,2}})(?![0-9/]))(?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    # 3%至5%, 3%到5%, 3-5%
    ("percent_range", re.compile(rf"(?P<a>{NUM}){S}[%％]?{S}(?:{RANGE}){S}(?P<b>{NUM}){S}[%％]")),
    # 百分之三至百分之五 / 百分之三至五
    ("percent_range", re.compile(rf"百分之(?P<a>{NUM})(?:{RANGE})(?:百分之)?(?P<b>{NUM})")),
    # 不少于5%, 不低于本级经费收入8%, 5%以上, 5%
    ("percent", re.compile(rf"(?:(?P<op>{LOWER}|{UPPER})[^，。；：%％0-9]{{0,12}}?)?{S}(?P<a>{NUM}){S}[%％](?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    ("percent", re.compile(rf"(?:(?P<op>{LOWER}|{UPPER})[^，。；：%％0-9]{{0,12}}?)?百分之(?P<a>{NUM})(?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    # 2000元至5000元, 3个月到6个月: a unit on both ends
    ("range2", re.compile(rf"(?P<a>{NUM}){S}(?P<unit1>{UNIT}){S}(?:{RANGE}){S}(?P<b>{NUM}){S}(?P<unit>{UNIT})")),
    # 1-2个, 3到5年, 三至五人
    ("range", re.compile(rf"(?P<a>{NUM}){S}(?:{RANGE}){S}(?P<b>{NUM}){S}(?P<unit>{UNIT})")),
    # 用三年时间, 通过3个月的时间
    ("span", re.compile(rf"(?P<a>{NUM}){S}(?P<unit>个月|年|周|天)(?:左右)?的?时间")),
    # 每批次时间一般为5天, 培训期限为3个月: a stated length is an exact duration (not 时间为2025年…);
    # 为期31天, 每期7天, 晚会时间约两小时, 讲课时间为12分钟左右: so is the length an activity is given
    # (corpora/checklist/quantity.toml `span`)
    ("span", re.compile(rf"(?:(?:{_SPAN_LABELS})(?:一般|原则上|均)?(?:为|约|为约|大约)|{_SPAN_LEADS}){S}(?:约{S})?(?P<a>{NUM}){S}"
                        rf"(?P<unit>{_SPAN_UNITS})(?:左右)?")),
    # 公示七天, 公示5个工作日: how long a list is posted for objections is an exact duration (gold of cx's two
    # notices and tianxin of pages6; 公示时间为3个工作日 reads by the pattern above)
    ("span", re.compile(rf"(?<=公示){S}(?P<a>{NUM}){S}(?P<unit>个工作日|工作日|天)")),
    # 一式三份, 一式2份: the number of copies to hand in
    ("copies", re.compile(rf"一式{S}(?P<a>{NUM}){S}(?P<unit>份)")),
    # 每队12人（8男4女）, 由三男二女组成: a team's make-up by sex, each count a head count of its own
    # (corpora/checklist/quantity.toml `makeup`)
    ("makeup", re.compile(rf"(?<![0-9０-９{CN_DIGITS}第])(?P<a>[0-9０-９]{{1,2}}|[{CN_DIGITS}]{{1,2}}){S}(?:名{S})?(?P<s1>{_SEXES})"
                          rf"{S}[、，,]?{S}(?P<b>[0-9０-９]{{1,2}}|[{CN_DIGITS}]{{1,2}}){S}(?:名{S})?(?!(?P=s1))(?P<s2>{_SEXES})")),
    # 各派1名, 各选派两名, 男、女各一队
    ("each", re.compile(rf"各[\u4e00-\u9fff]{{0,3}}?{S}(?P<a>{NUM}){S}(?P<unit>{alternation(_COUNTED_UNITS['each'])})")),
    # 不少于3个月, 至少确定一项, 不超过2000元
    ("bound", re.compile(rf"(?P<op>{LOWER}|{UPPER}){S}(?:[\u4e00-\u9fff]{{1,3}}?)?(?P<a>{NUM}){S}(?P<unit>{UNIT})(?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    # 至少推动新建基层工会组织1个, 至少培育区域性、行业性集体协商示范点3个; 最高补助金额为2万元,
    # 最高资助限额5000元: a cap on a sum named before its number (a county and a college union)
    ("bound", re.compile(rf"(?P<op>至少|不少于|不超过|最多|最高){_GAP}(?P<a>[0-9０-９]+(?:\.[0-9]+)?){S}(?P<unit>{UNIT})(?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    ("bound", re.compile(rf"(?P<op>至少|不少于|不超过|最多){_GAP}(?P<a>[{CN_DIGITS}]+){S}(?P<unit>{alternation(_COUNTED_UNITS['bound_chinese'])})(?P<post>{AFTER_LOWER}|{AFTER_UPPER})?")),
    # 只安排帮扶一次, 只准出场一次, 只能选择其中一个: 只/仅 and a few words of the deed cap one count (a maximum);
    # not a span of time (只够用一个星期)
    ("only", re.compile(rf"(?<!不)(?:{alternation(_BOUNDS['only'])})(?![是有要需够])[\u4e00-\u9fff]{{0,6}}?"
                        rf"(?<![{CN_DIGITS}第])(?P<a>[{CN_DIGITS}]{{1,3}}|[0-9０-９]{{1,3}}){S}(?P<unit>{alternation(_COUNTED_UNITS['only'])})"
                        rf"(?![{CN_DIGITS}0-9０-９月年天周]|星期|小时|学期)")),
    # 4件以上, 50人以内
    ("post", re.compile(rf"(?P<a>{NUM}){S}(?P<unit>{UNIT})(?P<post>{AFTER_LOWER}|{AFTER_UPPER})")),
    # 13个 (Arabic only: a Chinese numeral with no bound word is usually a name: 两个结合, 四项任务)
    ("exact", re.compile(rf"(?<![0-9０-９.第])(?P<a>[0-9０-９]+(?:\.[0-9]+)?){S}(?P<unit>{UNIT})")),
    # 可推荐2工会之友, 每个分工会限报1-6: a count right after a verb of sending with no measure word (frunetbio of
    # pages2, tsinghua of pages6); one or two digits only (可推荐2023年… is a year)
    ("bare", re.compile(rf"(?:(?<=限报)|(?<=可报)|(?<=推荐)|(?<=选派)|(?<=选送)|(?<=报送)){S}(?P<a>[0-9０-９]{{1,2}})"
                        rf"(?:{S}(?:{RANGE}){S}(?P<b>[0-9０-９]{{1,2}}))?"
                        rf"(?![0-9０-９]|{S}(?:{UNIT}|对|年|月|日|号|届|期|[%％.．:：/]|{RANGE}))")),
    # 演唱两首, 写一副春联, 纸质一份, 一名女同志: units that count things handed in or fielded
    # are no part of names, so a Chinese numeral before them is a number too
    ("exact_cn", re.compile(rf"(?<![{CN_DIGITS}第])(?P<a>[{CN_DIGITS}]{{1,3}}){S}(?P<unit>{alternation(_COUNTED_UNITS['chinese'])})(?![{CN_DIGITS}])")),
    # 领队一人，教练二人（…）: 人 after a Chinese numeral at the end of a clause is a head count
    # (一人一档, 两人中, 三人行 go on with the sentence)
    ("exact_cn", re.compile(rf"(?<![{CN_DIGITS}第每])(?P<a>[{CN_DIGITS}]{{1,3}}){S}(?P<unit>人)(?={S}(?:[，,。；;、（(）)]|$))")),
    # 混双可报2对, 选派一对夫妻: pairs fielded in doubles (gold of tyzx.xjtu.edu.cn and gh.hnuu.edu.cn);
    # not 一对一 / 结对 / 对接 / 对口, where 对 is no count
    ("exact_cn", re.compile(rf"(?<![0-9０-９{CN_DIGITS}第结配])(?P<a>[0-9０-９]{{1,3}}|[{CN_DIGITS}]{{1,3}}){S}(?P<unit>对)"
                            rf"(?![0-9０-９{CN_DIGITS}接口应照比象待于付话外内策标面称等])")),
    # 上交一篇读后感, 提一项建议, 选择一家医院: what each hands in or picks, counted in words right after the verb
    # (gold of hyit in pages2 and zjftu in pages6)
    ("exact_cn", re.compile(rf"(?:(?<=交)|(?<=提)|(?<=写)|(?<=选择)|(?<=报送)|(?<=推荐))(?P<a>[{CN_DIGITS}]{{1,2}}){S}"
                            rf"(?P<unit>{alternation(_COUNTED_UNITS['picked'])})")),
    # 组织一次座谈会, 开展两次培训: the number of events to hold (not 一次性, 再一次)
    ("exact_cn", re.compile(rf"(?<=组织|开展|举办|举行|召开|进行)(?P<a>[{CN_DIGITS}]{{1,2}}){S}(?P<unit>次|场|期)(?!性)")),
]


# 不低于上年度, 不少于上年度, 不低于市级奖金标准: a bound set by another figure, with no number of its own
_RELATIVE = re.compile(rf"(?P<op>{alternation(_BOUNDS['relative'])})"
                       r"(?P<ref>上一?年度?(?:同期)?(?:水平)?|去年(?:同期)?(?:水平)?|[\u4e00-\u9fff]{2,8}?(?:标准|平均水平))"
                       r"(?![\u4e00-\u9fff]{0,2}[0-9０-９%])")
_CONTEXT = _WORDS["context"]
_MONEY_WORDS = re.compile(alternation(_CONTEXT["money"]))
# what a sum in 万 with no 元 pays for (阅读量10万, 覆盖19万 are no money)
_WAN_MONEY = re.compile(alternation(_CONTEXT["money_before_wan"]))
_PEOPLE_WORDS = re.compile(alternation(_CONTEXT["people"]))

# Prizes are counted, not asked for: 设一等奖2名, 评出一等奖1名、二等奖2名, 名次奖（咸阳校区4个，…）,
# 均获鼓励奖一份, 取前三名颁奖, 奖励前六名的运动员, 录取前8名奖励, 价值300元奖品. No annotator of the
# real notices reads such a number as a quota (9 sites: abc-ygh, ankang-tjj-gh, cslg-wgy-fgh, scjky-ygh,
# sdufe-xgh, sxny-ygh, tj-gxq-gh-022china, yangtzeu-gcjs-gh, zkvtc-gh; every prize statement of the
# gold is a soft duty with no quota), while a sum a body grants (给予每人10000元奖励, 给予15%的奖励) is one.
_PRIZES = _WORDS["prizes"]
_PRIZE_NAME = rf"(?:[一二三四五六七八九十特]等奖|(?:{alternation(_PRIZES['kinds'])})奖)"
# the count right after a prize's name, or inside the bracket that follows it
_AFTER_PRIZE = re.compile(rf"{_PRIZE_NAME}(?:[（(][^（()）]{{0,12}}|[^，,。；;：:、\s]{{0,2}})$")
_RANK = re.compile(r"前[ \t\u3000]*$")  # 前三名, 前10名: ranks that win
_RANK_IN = re.compile(rf"前{S}{NUM}{S}(?:名|位|个|队)$")
_REWARD = re.compile(alternation(_PRIZES["reward"]))
_PRIZE_VALUE = re.compile(r"价值[ \t\u3000]*$")  # 价值300元奖品: what a prize is worth
_GIFT = re.compile(rf"^的?(?:{alternation(_PRIZES['gifts'])})")
_SENTENCE_END = re.compile(r"[。；;\n]")


def _is_prize(text: str, q: "Quota") -> bool:
    """Whether the number of `q` counts prizes or ranks that win (设一等奖2名, 取前三名颁奖),
    or is the worth of a prize (价值300元奖品), not something a body must meet."""
    before, after = text[:q.start], text[q.end:]
    if q.kind in ("count", "people") and _AFTER_PRIZE.search(before):
        return True
    lead = _RANK_IN.search(q.text) is not None  # 各取前5名 (read whole by the 各 pattern)
    if q.kind in ("count", "people") and q.unit in ("名", "位", "个", "队") and (_RANK.search(before) or lead):
        a = max((m.end() for m in _SENTENCE_END.finditer(text, 0, q.start)), default=0)
        b = next((m.start() for m in _SENTENCE_END.finditer(text, q.end)), len(text))
        if _REWARD.search(text[a:b]):
            return True
    return q.kind == "money" and bool(_PRIZE_VALUE.search(before)) and bool(_GIFT.match(after))


@dataclass
class Quota:
    text: str
    kind: str
    min: float | int | None
    max: float | int | None
    unit: str
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("start"), d.pop("end")
        return d


def _bounds(op: str | None, post: str | None, value):
    lower = (op and re.fullmatch(LOWER, op)) or (post and re.fullmatch(AFTER_LOWER, post))
    upper = (op and (re.fullmatch(UPPER, op) or op.startswith("名额"))) or (post and re.fullmatch(AFTER_UPPER, post))
    if lower:
        return value, None
    if upper:
        return None, value
    return value, value


_BOUND_WORD = re.compile(rf"{LOWER}|{UPPER}")
_COUNTED = re.compile(rf"{NUM}{S}(?:{UNIT})")


def _clause_bound(before: str) -> str | None:
    """The bound word of the clause that ends `before`, when no count of its own follows it
    (限报教师、学生代表 before 各2名; not 限报4人，… nor 最多2项、各…)."""
    clause = re.split(r"[，,。；;：:]", before)[-1]
    words = list(_BOUND_WORD.finditer(clause))
    if not words or _COUNTED.search(clause, words[-1].end()):
        return None
    return words[-1].group(0)


def _scaled(value, scale: int):
    """`value` in the unit `scale` times smaller (1.5 at 万 -> 15000), exact for the decimals notices print."""
    if value is None:
        return None
    out = round(value * scale, 6)
    return int(out) if out == int(out) else out


def _wan_is_money(text: str, a: int, b: int) -> bool:
    """A number ending in a bare 万 (text[a:b]) is a sum when its clause names money before
    it and no word follows that would make it a count (10万职工, 3万字)."""
    if re.match(r"[\u4e00-\u9fff]", text[b:b + 1]) and not re.match(r"[以及或]", text[b:b + 1]):
        return False
    head = re.split(r"[，,。；;：:]", text[max(0, a - 24):a])[-1]
    return _WAN_MONEY.search(head) is not None


def find_quotas(text: str, masked: list[tuple[int, int]] | None = None, prizes: bool = True) -> list[Quota]:
    """Every quota in `text`, left to right, without overlaps. `masked` spans (dates
    and deadlines already read) are skipped. `prizes`: False leaves out counts of prizes
    and of ranks that win (`_is_prize`), which no body must meet."""
    taken: list[tuple[int, int]] = list(masked or [])
    found: list[Quota] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def keep(q: Quota, a: int, b: int) -> None:
        q.start, q.end = a, b
        q.text = re.sub(r"\s+", "", q.text)
        found.append(q)
        taken.append((a, b))

    for name, rx in PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            g = m.groupdict()
            # a number glued to a following digit/+ is an id or a formula (“6+4”模式), not a quota
            if text[b:b + 1] in ("+", "＋") or text[max(0, a - 1):a] in ("+", "＋"):
                continue
            if name == "fraction":
                if g.get("sden"):
                    if not g.get("op"):
                        continue  # a bare 2/3 may be a date; with 超过/不少于 it is a share
                    den, nom = int(g["sden"]), int(g["snom"])
                    if not den or nom >= den:
                        continue
                    value = round(nom * 100 / den, 2)
                elif g.get("den"):
                    den, nom = to_number(g["den"]), to_number(g["nom"])
                    if not den or nom is None:
                        continue
                    value = round(nom * 100 / den, 2)
                else:
                    value = FRACTIONS[g["frac"]]
                if not (g.get("op") or g.get("post")) and not g.get("den"):
                    continue  # a bare 一半 is not a bound
                mn, mx = _bounds(g.get("op"), g.get("post"), value)
                q = Quota(m.group(0), "percent", mn, mx, "%")
                keep(q, a, b)
                continue
            if name == "makeup":
                for n, sex in (("a", "s1"), ("b", "s2")):
                    value = to_number(g[n])
                    if value:
                        keep(Quota(text[m.start(n):m.end(sex)], "people", value, value, "人"), m.start(n), m.end(sex))
                continue
            if name == "ratio":
                num, den = to_number(g["a"] or g["a2"]), to_number(g["b"] or g["b2"])
                if not num or not den:
                    continue
                value = num / den
                value = int(value) if value == int(value) else round(value, 3)
                q = Quota(m.group(0), "ratio", value, value, "比例")
                keep(q, a, b)
                continue
            lo = to_number(g["a"])
            if name == "exact" and "." in g["a"] and not text[:a].strip():
                # "3.4个课时" at the start of item 3.: the list number and a count of 4
                lo = to_number(g["a"].split(".", 1)[1])
            if lo is None:
                continue
            if name == "bare":  # (限报 caps a single count, as before a measure word)
                hi = to_number(g["b"]) if g.get("b") else None
                capped = hi is None and text[max(0, a - 2):a] == "限报"
                keep(Quota(m.group(0), "count", None if capped else lo, lo if hi is None else hi, ""), a, b)
                continue
            if name in ("percent_range", "percent"):
                if name == "percent_range":
                    hi = to_number(g["b"])
                    q = Quota(m.group(0), "percent", lo, hi, "%")
                else:
                    mn, mx = _bounds(g.get("op"), g.get("post"), lo)
                    q = Quota(m.group(0), "percent", mn, mx, "%")
            else:
                unit = g["unit"]
                kind, unit_name = _UNIT_INFO[unit]
                if unit == "万" and not _wan_is_money(text, a, b):
                    continue
                if unit in _SIZE_UNITS and name not in ("bound", "post"):
                    continue
                if name == "exact":
                    if unit in _DATE_UNITS or text[b:b + 1] in ("月", "日"):
                        continue  # 2022年, 3月, 25日
                    if kind == "duration":
                        continue  # 实行24小时值班: a bare duration describes, it does not bound
                    if not is_arabic(g["a"]):
                        continue
                if name == "post" and unit in _DATE_UNITS and not is_arabic(g["a"]) and unit != "年":
                    continue
                if name == "range2":
                    if _UNIT_INFO[g["unit1"]] != _UNIT_INFO[unit] or unit in ("月", "日"):
                        continue  # 3月至5月 names months
                    q = Quota(m.group(0), kind, lo, to_number(g["b"]), unit_name)
                elif name == "range":
                    hi = to_number(g["b"])
                    if hi is None or (unit in ("月", "日") and text[b:b + 1] in ("日", "号", "前")):
                        continue  # 3月1日-5日 is a date range
                    q = Quota(m.group(0), kind, lo, hi, unit_name)
                elif name == "span":
                    q = Quota(m.group(0), "duration", lo, lo, unit_name)
                elif name == "each":
                    # 限报教师、学生代表各2名, 至少建成职工书屋和驿站各3个: a bound word earlier in the
                    # clause bounds the share each gets (gold of zdgh.sysu.edu.cn and cx's county notice)
                    mn, mx = _bounds(_clause_bound(text[:a]), None, lo)
                    q = Quota(m.group(0), kind, mn, mx, unit_name)
                elif name == "only":
                    q = Quota(m.group(0), kind, None, lo, unit_name)
                elif name in ("copies", "exact_cn"):
                    q = Quota(m.group(0), kind, lo, lo, unit_name)
                else:
                    mn, mx = _bounds(g.get("op"), g.get("post"), lo)
                    q = Quota(m.group(0), kind, mn, mx, unit_name)
                if unit in _SCALE:
                    q.min, q.max = _scaled(q.min, _SCALE[unit]), _scaled(q.max, _SCALE[unit])
            keep(q, a, b)
    for m in _RELATIVE.finditer(text):
        a, b = m.span()
        if not free(a, b):
            continue
        before = text[max(0, a - 16):a] + m.group("ref")
        kind = "money" if _MONEY_WORDS.search(before) else "people" if _PEOPLE_WORDS.search(before) else "count"
        q = Quota(m.group(0), kind, None, None, "", a, b)
        found.append(q)
        taken.append((a, b))
    if not prizes:
        found = [q for q in found if not _is_prize(text, q)]
    found.sort(key=lambda q: q.start)
    return found


def drop_prize_counts(checklist):
    """The checklist's items without the prize counts the reader took for quotas (`_is_prize`:
    设一等奖2名, 取前三名颁奖, 价值300元奖品). An item that named nothing else a duty is hard by (no
    other quota, no time, no cycle, no binding word) becomes soft, as the annotators read prize
    statements. Run as the last stage: the earlier stages keep reading such a count as a number in
    the clause (the duty stage was fitted so, and prize statements are duties, soft ones)."""
    from ingest.simplified import to_simplified
    from nlp.checklist.modality import find_modals

    for o in checklist.obligations:
        if not getattr(o, "quotas", None):  # (items of other shapes carry no quotas)
            continue
        plain = to_simplified(re.sub(r"\s+", "", o.text))
        prize = {q.text for q in find_quotas(plain) if _is_prize(plain, q)}
        if not prize:
            continue
        o.quotas = [q for q in o.quotas if q.text not in prize]
        if (not o.quotas and not o.deadlines and o.frequency is None and o.tier == "hard"
                and not any(m.binding for m in find_modals(plain))):
            o.tier = "soft"
    return checklist
