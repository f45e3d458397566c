"""Keyword evidence for risks and tasks: one Aho-Corasick automaton over the
taxonomy keywords (ahocorasick_rs, as for every word list of the tagger: pyahocorasick
finds a trie node's child by a linear scan, which over the thousands of first characters
of Chinese word lists made its scans over a quarter of tagging's instructions), and the scope rule that tells a reported risk from a denied
or settled one.

Scope rule, applied inside one clause (clauses end at 。，；！？ and line breaks;
a breaker word such as 但/不过 also ends the scope):
- a negation cue before the keyword ("经核查未发现拖欠工资") denies it;
  one-character cues (无/未/没) only count right before the keyword ("无工伤事故");
- a resolution cue after the keyword ("欠薪问题已全部结清") says it is settled,
  unless that cue is itself negated ("尚未解决").
A resolution cue reaches to the end of the sentence (。；！？ or a line break), not
only the clause: "本地外卖平台调整了派单规则，骑手的问题已解决".
A cue that overlaps the keyword is part of the keyword ("未缴社保"), not a cue.
The taxonomy's cue lists are used together with the built-in ones below.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

import ahocorasick_rs

from nlp.tagging.normalize import CLAUSE_END, normalize
from nlp.tagging.taxonomy import Taxonomy

SHORT_CUE_REACH = 2  # a one-character cue must end at most this many chars before the keyword
CUE_REACH = 16  # a longer cue must end at most this many chars before the keyword
_NEGATORS = ("未", "没", "不", "无")  # in front of a resolution cue they cancel it ("尚未解决")
SENTENCE_END = re.compile(r"[。！？!?；;\n\r]+")

# Built-in cues the genre uses besides the taxonomy's: denials written after the
# risk ("…的消息，经核查不实", "…没这回事") and settlements ("…已了结", "…已兑现").
EXTRA_PRE = ("没有出现", "没出现", "未再", "不再", "从没", "从未", "没发生", "无人", "承诺不", "不会", "未受", "不受")
EXTRA_POST = ("不属实", "不实", "没这回事", "无此事", "查无实据", "已了结", "了结", "已兑现", "已落实", "已恢复",
              "已平复", "平复", "已补齐", "已到位", "到位", "已纠正", "已退还", "已赔付", "已撤销", "已化解",
              "已解决", "已消除", "无损失", "一切正常", "正常", "运转正常", "平稳", "稳定", "已经恢复", "已经解决",
              "全部兑现", "结清", "补足", "已补足", "打到卡上", "打到职工卡上", "到账", "得到回应", "已得到回应",
              "落实", "都给", "有地方", "无违规", "没有违规", "无侵权", "没有侵权", "没有歧视", "无歧视",
              "没有影响", "没影响", "无影响", "没有投诉", "无投诉", "没有相关投诉", "没有罚款投诉", "无差评",
              "没有差评",
              # rumours checked, people fine again, money paid, damage repaired
              "误传", "属误传", "谣传", "是谣言", "传言不实", "不裁", "不会裁", "没事了", "人没事", "没啥事",
              "情绪挺好", "情绪正常", "情绪平稳", "状态稳定", "修好", "已修好", "修复好", "都结了", "结完了",
              "钱结了", "全部发放", "全部发了", "已全部发放", "补发到位", "未发现问题", "没发现问题", "暂未发现问题",
              "没有问题", "没问题")


# Built-in risk phrasings of the genre besides the taxonomy's seed words: cadres
# describe layoffs and unsafe work indirectly ("只排两三个班", "轮岗放假", "没有发防护
# 用品", "无证上岗"). Written from the genre, not from the test split. A word that
# turns out to occur mostly in logs without the risk in training becomes weak (a
# feature, not evidence) like any taxonomy keyword. Applied only to these risk ids.
EXTRA_KEYWORDS = {
    "layoffs_paycuts": ("停工停产", "停产放假", "放假待工", "轮岗放假", "轮流放假", "轮休", "只排两三个班",
                        "排不满班", "减少班次", "减班", "减产", "限产", "停线", "开工不足", "开工率", "压缩工时",
                        "减少工时", "工时减少", "工资下调", "下调工资", "少发工资", "基本生活费", "停薪留职",
                        "人员分流", "分流安置", "裁人", "裁掉", "遣散", "清退", "不再续签", "不续签", "买断工龄",
                        "关门", "停发奖金", "绩效取消", "绩效工资取消", "砍掉绩效", "订单不足", "订单下滑",
                        "没活干", "没有活干", "活少了", "回家待着", "半停产", "停摆", "歇工", "放假两个月",
                        "工资只发一半", "发一半工资", "只发生活费", "压缩人员", "精简人员", "减员增效", "人员优化",
                        "末位淘汰", "协商解除", "提前解除", "裁减", "资金链断裂", "经营困难", "效益下滑", "订单萎缩",
                        "砍单", "产线关停", "停掉", "搬走", "迁走", "转移到外地", "放假回家", "不让上班",
                        "岗位取消", "撤销岗位", "压缩编制", "降岗降薪", "降级降薪", "工资降了", "降了工资",
                        "收入减半", "收入下降", "收入锐减", "收入减少", "少了一半",
                        # furloughs and cuts told in workers' words
                        "停了一半", "人放假", "放了假", "被优化", "优化一批", "优化掉", "要优化", "年终奖没了",
                        "年终奖取消", "奖金没了", "奖金砍", "绩效砍", "少了一截", "少了一大截", "工资少了", "钱少了",
                        "只干十来天", "只上四天班", "每周只上", "轮岗休息", "单价再降", "单价降", "计件单价下调",
                        # cuts and furloughs said as schedules, pay bands and "rest at home"
                        "回家歇着", "在家歇着", "在家等通知", "等通知上班", "等通知复工",
                        "做二休五", "做三休四", "做四休三", "上三休四", "干三歇四", "开二停五", "上一天歇一天", "隔天上班",
                        "只排半个月", "排班减半", "工资下调", "岗位工资下调", "薪级下调", "降档", "下调两档", "下调一档",
                        "取消底薪", "底薪取消", "底薪没了", "改成计件", "全部计件", "工资压到", "工资降到", "工资砍到", "少拿",
                        "绩效暂缓", "暂缓发放绩效", "奖金停发", "工资打八折", "打八折", "打七折", "按最低工资",
                        "最低工资标准发", "发生活费", "生活费标准", "精简岗位", "约谈解除", "签解除协议", "主动离职",
                        "逼人辞职", "不给排班", "不排班", "关厂", "撤厂", "整体搬迁", "停线放假", "放假到年后"),
    "collective_incident": ("集体罢工", "集体请愿", "集体讨要", "集体维权", "一起去讨", "结伴讨薪", "围在门口",
                            "堵在门口", "围住", "拉条幅", "打横幅", "举牌", "举着牌子", "举着纸牌", "一起不上班", "一起不去上班", "都不上班", "集体不干",
                            "约好一起", "一起去找", "串联", "去政府", "到政府", "找政府", "到信访局",
                            "信访", "网上发帖", "发抖音", "扬言", "情绪激动", "准备集体", "商量着一起",
                            "几十名工人", "上百名工人", "一百多名", "聚在", "聚到", "闹事", "要闹", "集体不上班",
                            "集体请假", "集体辞职", "撂挑子", "不开工", "拒绝上班", "拒绝复工", "讨说法", "要说法",
                            "找说法", "堵厂门", "维稳",
                            "堵在", "围在", "不肯走", "坐着不走", "赖着不走", "没人开机", "不开机", "不干了",
                            "都别上工", "别上工", "政府门口", "去劳动局", "去住建局", "去人社局", "去信访", "一起去闹",
                            "闹大", "闹到", "拉了个群", "拉群", "发视频曝光"),
    "safety_health": ("没有发防护用品", "没发防护用品", "不发防护用品", "防护用品不足", "没有防护", "无防护",
                      "防护措施", "无证上岗", "未持证上岗", "特种作业", "违规操作", "违章指挥", "冒险作业",
                      "高处坠落", "坠落", "砸伤", "夹伤", "割伤", "划伤", "压伤", "碰伤", "扭伤", "烧伤", "灼伤",
                      "中毒", "爆炸", "起火", "着火", "火灾", "漏电", "缺氧", "防暑降温", "高温天", "通宵",
                      "连续加班", "没有安全培训", "未经培训", "护栏", "安全绳", "耳塞",
                      "送医", "急救", "车祸", "交通事故", "被撞", "ICU", "重症监护", "抢救",
                      "断了两根", "断指", "截肢", "绞进去", "卷进去", "通风机坏", "通风不好", "头晕恶心",
                      "灭火器过期", "灭火器全过期", "消防通道堵"),
    # wage arrears, disasters and crises as workers and cadres actually put them
    "wage_arrears": ("老板跑路", "老板跑了", "跑路了", "包工头跑了", "钱没着落", "钱都没着落", "一分没见", "一分钱没",
                     "一分冇", "一分没拿", "没拿到钱", "拿不到钱", "要不到钱", "没拿到工资", "拿不到工资", "给不给钱",
                     "不给钱", "不给结账", "结不到账", "不结账", "工资至今未发", "工资未到账", "年底一起算", "年底再算",
                     "年底一起结", "压着工资", "工资压着", "押着工资", "扣着押金", "白干了", "没交五险",
                     "社保没交", "五险没交", "社保是空白", "未开支", "没开支"),
    "disaster_emergency": ("进水", "泡了", "淹了", "水淹", "漫过", "漫进", "被困", "暴雪", "大雪封路", "封路",
                           "冰冻", "塌方", "流感", "传染病", "疫病", "诺如", "聚集性", "台风登陆", "台风预警", "暴雨预警",
                           "橙色预警", "红色预警", "避风", "停航", "倒塌", "沙尘暴", "高温红色预警", "山体"),
    "mental_health": ("跳下去", "要跳", "爬到楼顶", "活着没意思", "寻死", "喝药", "喝农药", "想不通",
                      "钻牛角尖", "情绪不稳", "精神恍惚", "整夜睡不着"),
}


# A rumour told in one sentence and found false in a later one ("网上有帖子说老板跑了。…
# 去厂里看了，生产正常，帖子不属实"): the verdict is out of the usual sentence reach, so
# a keyword in a sentence that reports hearsay is denied when a verdict follows in the log.
HEARSAY = ("传言", "传闻", "网传", "据传", "听传", "有帖子", "帖子说", "群里传", "群里在传", "都在传", "外面传",
           "有人说", "有人反映", "有人举报", "有人打热线", "打热线说", "匿名反映", "匿名举报", "的说法", "风声",
           "小道消息", "谣言")
VERDICTS = ("不属实", "不实", "不成立", "辟谣", "纯属误会", "是误会", "一场误会", "误传", "谣传", "是谣言",
            "没这回事", "没有这回事", "无此事", "查无实据", "谁说的", "瞎传", "子虚乌有", "虚惊一场", "并非如此",
            "与事实不符", "不是真的", "假消息")


_HEARSAY = re.compile("|".join(map(re.escape, HEARSAY)))  # any of them, in one C-level scan


def _hearsay_denied(text: str, s: int, sent_start: int, s_end: int, last_verdict: int | None = None) -> bool:
    """`last_verdict`: where the text's last verdict word starts (-1: none), found once per
    text (a verdict anywhere after s_end is `last_verdict >= s_end`), else searched here."""
    if not any(h in text[sent_start:s] or h in text[sent_start:s_end] for h in HEARSAY):
        return False
    if last_verdict is not None:
        return last_verdict >= s_end
    return any(v in text[s_end:] for v in VERDICTS)


_AFTER_NEGATORS = ("没", "未", "不", "无", "遥遥", "还早", "难")


def cue_denied_after(text: str, ce: int) -> bool:
    """A resolution cue directly followed by a negator is no resolution: "复工没个准信",
    "复工遥遥无期", "恢复正常还早"."""
    return text.startswith(_AFTER_NEGATORS, ce)


class Hit(NamedTuple):
    """A keyword hit. A named tuple, not a frozen dataclass: made for every keyword of every
    log, and a frozen dataclass's __init__ sets each field through object.__setattr__."""

    label: str
    kind: str  # "task" | "risk"
    keyword: str
    start: int
    end: int
    negated: bool = False
    strong: bool = True


class KeywordMatcher:
    """Finds taxonomy keywords in a text and marks the denied/settled ones."""

    def __init__(self, taxonomy: Taxonomy, weak: dict[str, set[str]] | None = None):
        self.taxonomy = taxonomy
        weak = weak or {}
        entries: dict[str, list[tuple[str, str, bool]]] = {}
        for kind, labels in (("task", taxonomy.tasks), ("risk", taxonomy.risks)):
            for lab in labels:
                strong_set = set(map(normalize, lab.strong)) if lab.strong else None
                extra = EXTRA_KEYWORDS.get(lab.id, ()) if kind == "risk" else ()
                for kw in lab.keywords + lab.strong + extra:
                    k = normalize(kw)
                    strong = (k in strong_set) if strong_set is not None else True
                    strong = strong and k not in weak.get(lab.id, set())
                    item = (lab.id, kind, strong)
                    if item not in entries.setdefault(k, []):
                        entries[k].append(item)
        # (keyword, its items) by pattern index: the automaton reports (index, start, end)
        self._kw_items = [(k, tuple(items)) for k, items in entries.items() if k]
        self._kw = ahocorasick_rs.AhoCorasick([k for k, _ in self._kw_items]) if self._kw_items else None
        self._kinds = {k: frozenset(it[1] for it in items) for k, items in self._kw_items}  # "task", "risk"
        kinds: dict[str, set[str]] = {}
        for kind, words in (("pre", taxonomy.cues + EXTRA_PRE), ("post", taxonomy.resolved + EXTRA_POST),
                            ("break", taxonomy.breakers)):
            for w in words:
                kinds.setdefault(normalize(w), set()).add(kind)
        # a word may be both a denial before and a verdict after the risk ("不实")
        self._cue_items = [(w, tuple(sorted(ks))) for w, ks in kinds.items() if w]
        self._cue = ahocorasick_rs.AhoCorasick([w for w, _ in self._cue_items]) if self._cue_items else None

    def _raw_hits(self, text: str) -> list[tuple[int, int, str, tuple]]:
        if self._kw is None:
            return []
        items = self._kw_items
        # every occurrence, overlaps included, ordered by end (longest first at one end)
        found = [(s, e, *items[i]) for i, s, e in self._kw.find_matches_as_indexes(text, overlapping=True)]
        # drop a hit inside a longer hit of the same label ("拖欠" inside "拖欠工资")
        if len(found) < 2:
            return found
        found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out = []
        reach = -1  # the furthest end of the hits kept so far
        longest = max(h[1] - h[0] for h in found)
        for h in found:
            if out and h[1] <= reach:  # possibly nested in an earlier, longer hit
                labels = {i[0] for i in h[3]}
                # only a kept hit starting at most `longest` before h's end can hold it (kept
                # hits are in order of start): reading them all cost hits × hits in a long log
                k = len(out)
                while k and out[k - 1][0] >= h[1] - longest:
                    k -= 1
                if any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0])
                       and labels <= {i[0] for i in o[3]} for o in out[k:]):
                    continue
            out.append(h)
            reach = max(reach, h[1])
        return out

    def cues(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, word, kind) of negation, resolution and breaker words in `text`."""
        if self._cue is None:
            return []
        items = self._cue_items
        return [(s, e, items[i][0], kind) for i, s, e in self._cue.find_matches_as_indexes(text, overlapping=True)
                for kind in items[i][1]]

    def find(self, text: str, normalized: bool = False, kind: str | None = None) -> list[Hit]:
        """Keyword hits of `text` (offsets into it), each marked negated or not; with `kind`
        ("risk" or "task") only those of that kind, as filtering all of them would give
        (a keyword of the other kind alone is not read for negation)."""
        norm = text if normalized else normalize(text)
        raw = self._raw_hits(norm)  # nesting is judged among all the keywords
        if kind is not None:
            kinds = self._kinds
            raw = [r for r in raw if kind in kinds[r[2]]]
        if not raw:
            return []
        # the cues by kind, each list in text order: breakers narrow the scope, then any
        # denial before or resolution after the keyword in it negates it
        breaks, pres, posts = [], [], []
        for cs, ce, w, kd in self.cues(norm):
            if kd == "break":
                breaks.append((cs, ce))
            elif kd == "pre":
                pres.append((cs, ce, SHORT_CUE_REACH if len(w) == 1 else CUE_REACH))
            elif kd == "post":
                posts.append((cs, ce))
        # each hit reads only the cues that can reach it (bisected on their ends), in the same
        # order: reading every cue of the text per hit made a long log of repeated complaints
        # cost hits × cues. Cues come from Aho-Corasick ordered by end; if not, all are read.
        b_ends, p_ends, q_ends = ([c[1] for c in x] for x in (breaks, pres, posts))
        by_end = all(a <= b for x in (b_ends, p_ends, q_ends) for a, b in zip(x, x[1:]))
        longest = max((c[1] - c[0] for c in pres), default=0)
        back = max(CUE_REACH, SHORT_CUE_REACH)
        bounds = [m.end() for m in CLAUSE_END.finditer(norm)]
        sent_starts = [m.start() for m in SENTENCE_END.finditer(norm)]
        # most logs hold no hearsay word: then no hit can be hearsay found false
        hearsay = _HEARSAY.search(norm) is not None
        last_verdict = max(norm.rfind(v) for v in VERDICTS) if hearsay else -1
        hits = []
        for s, e, k, items in raw:
            # the offset lists are ascending: bisect instead of scanning them per hit
            c_start = bounds[i - 1] if (i := bisect_right(bounds, s)) else 0
            s_end = sent_starts[i] if (i := bisect_left(sent_starts, e)) < len(sent_starts) else len(norm)
            if by_end:
                # a breaker inside [c_start, s_end); a denial ending within reach before the
                # keyword or holding it; a resolution after the keyword before s_end
                bk = breaks[bisect_left(b_ends, c_start):bisect_right(b_ends, s_end)]
                pr = pres[bisect_left(p_ends, s - back):bisect_right(p_ends, s + longest)]
                po = posts[bisect_right(q_ends, e):bisect_right(q_ends, s_end)]
                neg = self._negated(norm, s, e, c_start, s_end, bk, pr, po)
            else:
                neg = self._negated(norm, s, e, c_start, s_end, breaks, pres, posts)
            if not neg and hearsay:
                sent_start = sent_starts[i - 1] if (i := bisect_left(sent_starts, s)) else 0
                neg = _hearsay_denied(norm, s, sent_start, s_end, last_verdict)
            for label, kd, strong in items:
                if kind is None or kd == kind:
                    hits.append(Hit(label, kd, k, s, e, neg, strong))
        return hits

    @staticmethod
    def _negated(text: str, s: int, e: int, c_start: int, s_end: int, breaks, pres, posts) -> bool:
        """Whether the keyword at [s, e) is denied or settled, its clause starting at
        `c_start` and its sentence ending at `s_end` (see the module docstring)."""
        # narrow the clause before the keyword (and the sentence after it) by breakers
        for cs, ce in breaks:
            if c_start <= cs and ce <= s:
                c_start = max(c_start, ce)
            elif e <= cs and ce <= s_end:
                s_end = min(s_end, cs)
        for cs, ce, reach in pres:
            if cs <= s and e <= ce and ce - cs > e - s:
                return True  # the cue holds the keyword: "零事故", "无工伤"
            if c_start <= cs and ce <= s and s - ce <= reach:
                return True
        for cs, ce in posts:
            if e <= cs and ce <= s_end:
                before = text[max(e, cs - 2):cs]
                if not any(n in before for n in _NEGATORS) and not cue_denied_after(text, ce):
                    return True
        return False
