"""The status of one risk mention, read in its clause and the clauses around it.

A risk keyword is a candidate mention; whether it is a signal depends on what the
text says about it: present (工人已两个月没拿到钱), threatened (扬言去区政府),
settled (已足额补发), denied / none found (均无拖欠), rumour dispelled (经核实系谣言),
hypothetical (一旦发生事故, 预防欠薪宣传), historical (去年曾发生), or a generic
mention of the topic (安全生产月, 欠薪维权知识). Only present and threatened raise a
risk.

The classifier is a multinomial logistic regression over hashed features of the
mention's surroundings, so the stored model is two arrays (no vocabulary, no
pickles). Features: which cue classes (and which cue words) occur in each zone
around the mention (the clause before it, the rest of its clause, the rest of its
sentence, the sentence before and after, the rest of the text), whether the rule
of `keywords.KeywordMatcher` already reads it as denied, the keyword itself and
the characters right around it.

Training labels come from the passage labels (a mention of a risk the passage does
not carry is not present; its kind of absence is read from its cues), with the
hand labels of `corpora/annotations/tagging/` overriding them.
"""
from __future__ import annotations

import bisect
import re
from itertools import repeat
from typing import NamedTuple

import ahocorasick_rs
import numpy as np

from nlp.tagging.keywords import HEARSAY, VERDICTS, Hit
from nlp.tagging.normalize import CLAUSE_END

STATUSES = ("present", "threatened", "settled", "denied", "rumour", "hypothetical", "historical", "generic")
RAISING = ("present", "threatened")
STATUS_NAMES = {"present": "存在", "threatened": "苗头/可能发生", "settled": "已解决", "denied": "未发现/否认",
                "rumour": "传言已澄清", "hypothetical": "假设/预防", "historical": "过去发生", "generic": "泛指"}
N_HASH = 1 << 15
SENTENCE = re.compile(r"[。！？!?；;\n\r]+")

# Cue classes. Each names a way the genre frames a risk word, seen across sources
# (union papers, federation sites, cadres' diaries); single characters only where
# they are unambiguous next to the mention (handled by the "adjacent" feature).
CUES: dict[str, tuple[str, ...]] = {
    "deny": ("未发现", "没发现", "均无", "均未", "没有", "并无", "不存在", "不属于", "未出现", "没出现", "未受",
             "没受", "未造成", "没造成", "无一", "未发生", "没发生", "杜绝了", "零", "从未", "从没", "不再",
             "未再", "无人", "没人", "未接到", "没接到", "未收到", "均正常", "一切正常", "未受损", "没受损",
             "未受影响", "没受影响", "不受影响", "安然无恙", "无人员伤亡", "无伤亡", "未见", "均按时", "按时足额",
             "足额发放", "按月足额", "不拖欠", "没拖欠", "没拖过", "无拖欠"),
    # bare 已/已经/全部/支付/发放 are left out: "已经两个月没拿到钱", "全部停产", "不能按时发放"
    "settle": ("均已", "已全部", "已足额", "已补发", "已发放", "已支付", "补发", "结清", "追回", "讨回", "拿到",
               "到手", "兑现", "化解", "平息", "解决", "到位", "发放到", "足额", "签字确认", "恢复", "复工",
               "复产", "妥善", "了结", "落实", "撤销", "纠正", "赔付", "赔偿到位", "修复", "整改完毕", "整改到位",
               "消除", "平稳", "好转", "康复", "出院", "回到岗位", "重返岗位", "顺利", "圆满", "成功", "领到",
               "拿回", "如数", "一次性支付",
               # paid, rescued, talked down, agreed: the end of the matter as reports tell it
               "付清", "兑付", "支付了", "发放了", "垫付", "有了着落", "获救", "救下", "劝下", "放弃", "表示满意",
               "达成协议", "调解协议", "和解", "已经解决", "得到解决", "整改率", "完成整改", "清理干净", "恢复正常"),
    "rumour": HEARSAY + VERDICTS + ("核实", "经核查", "核查", "调查核实", "澄清", "不实", "谣言", "网传", "传言"),
    "hypo": ("如果", "一旦", "若", "假如", "万一", "防止", "预防", "避免", "防范", "杜绝", "以防", "严防",
             "谨防", "预案", "演练", "如何", "怎样", "怎么办", "确保", "防控", "以免", "要是",
             # pledges and calls: 承诺不裁员, 努力做到不欠薪, 倡议
             "承诺", "倡议", "努力做到", "千方百计", "共同约定", "减少", "提醒", "叮嘱", "注意"),
    # the risk word names a campaign, a service or a subject, not an event
    "topic": ("培训", "宣传", "知识", "讲座", "教育", "普及", "提醒", "维权知识", "专项行动", "专项检查", "检查",
              "排查", "制度", "机制", "保障", "治理", "活动", "竞赛", "手册", "指南", "条例", "法律", "规定",
              "意见", "办法", "措施", "体系", "能力", "意识", "应急", "服务", "咨询", "讲堂", "课堂", "公益",
              # the union's visits and gifts name the group they serve, not an event
              "慰问", "探视", "送清凉", "送温暖", "物资", "用品", "驿站", "母婴室", "验收", "调研", "座谈", "专班"),
    "hist": ("曾", "曾经", "去年", "前年", "以前", "过去", "往年", "此前", "当年", "历史", "多年前", "那年",
             "早年", "年前", "上世纪", "回忆", "前些年", "那时", "当时", "昔日", "早些年"),
    "threat": ("可能", "担心", "扬言", "苗头", "准备", "打算", "将要", "即将", "面临", "恐", "威胁", "酝酿",
               "要去", "计划", "隐患", "风险", "倾向", "迹象", "一触即发", "不稳定", "情绪激动", "不满",
               "声称", "要求", "如不", "否则", "再不", "商量", "约好", "串联", "传出"),
    "present": ("目前", "仍", "仍然", "至今", "还没", "尚未", "一直", "正在", "现在", "今年以来", "近日", "反映",
                "投诉", "求助", "讨要", "讨薪", "被欠", "没拿到", "未发", "未支付", "未足额", "迟迟", "拒不",
                "久拖", "一分", "多名", "名工人", "名职工", "多人", "受伤", "死亡", "身亡", "遇难", "发生",
                "导致", "造成", "爆发", "出现", "突发", "拖欠", "欠薪", "讨", "上访", "聚集", "堵", "围"),
    "neg1": ("未", "没", "无", "不", "非"),
    "question": ("？", "?", "吗", "是否"),
    "but": ("但", "但是", "不过", "然而", "可是", "却", "只是"),
    # who says it: a claim by an interested or unnamed party, or an official finding
    "claim": ("自称", "声称", "称", "爆料", "发帖", "视频", "网友", "家属", "留言", "消息", "说法", "据说", "听说"),
    "official": ("经查", "经核实", "经调查", "调查发现", "警方", "公安", "回应", "声明", "通报", "证实", "确认",
                 "官方", "应急管理局", "人社局"),
    # tense and aspect around the mention
    "future": ("将", "即将", "将要", "拟", "预计", "准备", "计划"),
    "past": ("了", "过", "已经", "曾经", "事发", "当时", "之前", "此前"),
    "still": ("仍", "仍然", "仍在", "还在", "依然", "至今", "尚未", "还没", "迟迟", "一直"),
}
# the words a window's sentence says a harm with (nlp.tagging.gate.harm_said): the present, still
# and one-character negation cues, less the head counts (二十多名司机办理入会 names no harm)
HARM_WORDS = tuple(w for w in dict.fromkeys(CUES["neg1"] + CUES["present"] + CUES["still"])
                   if w not in ("多名", "名工人", "名职工", "多人", "一分"))
# cues of each far zone (before the previous sentence, after the next) a mention's features read
FAR_CUES = 100
# characters of a mention's clause, and of its sentence with the neighbouring ones, read on each
# side (StatusFeatures._one); real logs and passages reach at most 114 and 309
CLAUSE_REACH, SENTENCE_REACH = 120, 400
FAR_CLASSES = ("settle", "rumour", "deny", "still", "official", "claim", "hist")
ZONES = ("L", "R", "SL", "SR", "P", "N", "F", "B")  # clause-left/right, sentence-left/right, prev/next sentence, far after/before
_FAR_ZONES = frozenset(("P", "N", "F", "B"))  # the other four are near: in the mention's sentence


class Cue(NamedTuple):
    """A cue word found in a text (a named tuple: one is made per cue of every log with a
    risk mention)."""

    start: int
    end: int
    word: str
    cls: str


class StatusFeatures:
    """Hashed feature rows for risk mentions (one automaton over all cue words)."""

    def __init__(self, vec: float = 0.0):
        # weight of the mean word vectors (nlp.tagging.dense) of the mention's clause and of
        # what follows it, as hashed (name, value) features; 0: none
        self.vec = vec
        entries: dict[str, set[str]] = {}
        for cls, words in CUES.items():
            for w in words:
                entries.setdefault(w, set()).add(cls)
        # (word, its classes) by pattern index (ahocorasick_rs reports index, start, end)
        self._items = [(w, tuple(sorted(cls))) for w, cls in entries.items()]
        self._ac = ahocorasick_rs.AhoCorasick([w for w, _ in self._items])

    def cues(self, text: str) -> list[Cue]:
        out = []
        items = self._items
        for i, s, e in self._ac.find_matches_as_indexes(text, overlapping=True):
            w, classes = items[i]
            for c in classes:
                if c != "neg1":
                    out.append(Cue(s, e, w, c))
        return out

    def mention_features(self, text: str, hits: list[Hit], cues: list[Cue] | None = None) -> list[list[str]]:
        """Feature strings of each hit (a risk mention) of `text` (normalised); with `vec`,
        each row (a `MentionRow`) also carries the two spans its word vectors are read from."""
        if not hits:
            return []
        cues = self.cues(text) if cues is None else cues
        ends = [c.end for c in cues]
        if any(a > b for a, b in zip(ends, ends[1:])):  # Aho-Corasick reports them by end already
            cues = sorted(cues, key=lambda c: c.end)
            ends = [c.end for c in cues]
        c_bounds = [0] + [m.end() for m in CLAUSE_END.finditer(text)]
        s_bounds = [0] + [m.end() for m in SENTENCE.finditer(text)]
        # each clause's bigram features are made once for all its mentions
        span_bigrams: dict[tuple[int, int], list[str]] = {}
        rows = []
        for h in hits:
            f, spans = self._one(text, h, cues, c_bounds, s_bounds, span_bigrams, ends)
            rows.append(MentionRow(f, spans) if self.vec > 0 else f)
        return rows

    @staticmethod
    def _bounds(bounds: list[int], pos: int, n: int) -> tuple[int, int]:
        k = bisect.bisect_right(bounds, pos) - 1
        return bounds[k], (bounds[k + 1] if k + 1 < len(bounds) else n)

    def _one(self, text: str, h: Hit, cues: list[Cue], c_bounds, s_bounds,
             span_bigrams: dict, ends: list[int] | None = None) -> tuple[list[str], tuple[str, str]]:
        """The mention's feature strings, and its two spans for the word vectors: its clause
        (the keyword left out) and the rest of its sentence after that clause with the next
        sentence, whose words carry settled, denied or rumour said in words no cue list
        holds (工钱已经到账, 纯属子虚乌有)."""
        n = len(text)
        s, e = h.start, h.end
        lab = h.label
        cs, ce = self._bounds(c_bounds, s, n)
        ss, se = self._bounds(s_bounds, s, n)
        ps, _ = self._bounds(s_bounds, max(0, ss - 1), n) if ss > 0 else (ss, ss)
        _, ne = self._bounds(s_bounds, se, n) if se < n else (se, se)
        # a clause or sentence of a long text with no punctuation is read at most CLAUSE_REACH /
        # SENTENCE_REACH characters either side of the mention (the rest is far zone): its
        # bigrams and word-vector spans made each mention cost the text's length
        cs, ce = max(cs, s - CLAUSE_REACH), min(ce, e + CLAUSE_REACH)
        ss, se = max(ss, s - SENTENCE_REACH), min(se, e + SENTENCE_REACH)
        ps, ne = max(ps, s - SENTENCE_REACH), min(ne, e + SENTENCE_REACH)
        zones = (("L", cs, s), ("R", e, ce), ("SL", ss, cs), ("SR", ce, se), ("P", ps, ss), ("N", se, ne),
                 ("F", ne, n), ("B", 0, ps))
        f = [f"kw={h.keyword}", f"lab={lab}", f"kwl={lab}:{h.keyword}", "bias"]
        if h.negated:
            f.append("ruleneg")
            f.append(f"ruleneg:{lab}")
        prev = text[max(0, s - 1):s]
        if prev and prev in CUES["neg1"]:
            f.append("adjneg")
        if ends is not None and len(cues) > 2 * FAR_CUES:
            # the cues of the zones around the mention's sentence, and at most FAR_CUES of the
            # far zones on each side (B: those ending before the previous sentence, nearest
            # first; F: those after the next one): every cue of the text for every mention made
            # a text of many mentions cost mentions × cues (a 420,000-character log of repeated
            # complaints took 20 GB and the server was killed). A text with at most FAR_CUES
            # cues on each side keeps them all (real logs and passages hold at most 40).
            # A sentence of many cues (a long log with no full stop) is capped the same way:
            # at most 2 × FAR_CUES cues on each side of the mention itself.
            lo = max(0, bisect.bisect_right(ends, ps) - FAR_CUES, bisect.bisect_left(ends, s) - 2 * FAR_CUES)
            hi = min(len(cues), bisect.bisect_right(ends, ne) + FAR_CUES, bisect.bisect_right(ends, e) + 2 * FAR_CUES)
            cues = cues[lo:hi]
        for c_start, c_end, word, cls in cues:
            if c_start < e and c_end > s:  # a cue inside the mention is part of the word
                continue
            for z, a, b in zones:
                if a <= c_start and c_end <= b:
                    f.append(f"{cls}@{z}")
                    if z in _FAR_ZONES:
                        if cls in FAR_CLASSES:
                            # what the passage says before or after the mention's sentence
                            # (经核实系谣言, 终于讨回, 目前仍…) decides a mention told early
                            f.append(f"{cls}@{z}:{lab}")
                            f.append(f"w={word}@{z}")
                    else:
                        f.append(f"w={word}@{z}")
                        f.append(f"{cls}@{z}:{lab}")
                        dist = (s - c_end) if c_end <= s else (c_start - e)
                        f.append(f"{cls}@{z}:d{min(3, dist // 4)}")
                    break
        left, right = text[max(cs, s - 6):s], text[e:min(ce, e + 8)]
        f += [f"l1={left[-1:]}", f"r1={right[:1]}", f"l2={left[-2:]}", f"r2={right[:2]}"]
        f += [f"lb={left[i:i + 2]}" for i in range(len(left) - 1)]
        f += [f"rb={right[i:i + 2]}" for i in range(len(right) - 1)]
        # the words of the mention's own clause (慰问/检查/发生/讨要 …) beyond the cue lists.
        # The clause, not the sentence: a sentence often holds mentions of different status
        # (…拖欠工资，已全部结清；…仍有工人未拿到), and its other clauses' words are the
        # passage's topic more than this mention's status. Grouped CV of the status classifier
        # (bench/tag_status_cv.py --vec 2): mention AUC 0.806 with the sentence's bigrams,
        # 0.822 with none, 0.831 with the clause's (site bootstrap of the gain [+0.009, +0.042]).
        # Mentions of one clause share the list (span_bigrams: made once per clause).
        cb = span_bigrams.get((cs, ce))
        if cb is None:
            clause = text[cs:ce]
            cb = span_bigrams[cs, ce] = [f"cb={clause[i:i + 2]}" for i in range(len(clause) - 1)]
        f += cb
        return f, (text[cs:s] + "，" + text[e:ce], text[ce:ne])


class MentionRow(list):
    """A mention's feature strings with the two spans (`StatusFeatures._one`) whose mean
    word vectors the status model appends as dense columns, for all rows of a batch at
    once (one Aho-Corasick pass): hashing 400 valued features per mention halved tagging."""

    def __init__(self, feats, spans: tuple[str, str]):
        super().__init__(feats)
        self.spans = spans


def span_vectors(rows: list[list]) -> np.ndarray:
    """mentions × 2·dim: unit mean word vectors of each row's clause span, then of its
    following span (`MentionRow.spans`)."""
    from nlp.tagging import dense

    # mentions of one sentence share spans (a third of them on the bench logs): each
    # distinct span is read once (a row of text_means depends on that text alone)
    distinct: dict[str, int] = {}
    at = [distinct.setdefault(s, len(distinct)) for r in rows for s in r.spans]
    V = dense.text_means(list(distinct))[at]
    return V.reshape(len(rows), 2 * V.shape[1])


def hash_rows(rows: list[list]):
    """Sparse CSR matrix of hashed features (stable across runs and processes): a string
    is a binary feature, a (name, value) pair a valued one."""
    from sklearn.feature_extraction import FeatureHasher

    if any(not isinstance(x, str) for r in rows for x in r[-1:]):
        rows = [[(x, 1.0) if isinstance(x, str) else x for x in r] for r in rows]
        return FeatureHasher(n_features=N_HASH, input_type="pair", alternate_sign=False).transform(rows)
    # the (name, 1) pairs that input_type="string" makes, from a C-level zip per row instead
    # of its Python generator per feature
    return FeatureHasher(n_features=N_HASH, input_type="pair", alternate_sign=False).transform(
        zip(r, repeat(1)) for r in rows)


def _has(f: list[str], prefix_zones: tuple[str, ...]) -> bool:
    return any(x in f for x in prefix_zones)


def derived_status(f: list[str], in_gold: bool) -> str | None:
    """A training status for a mention from the passage labels and its cues: a mention
    of a risk the passage carries is present (threatened with threat cues), unless its
    cues say otherwise (then it is ambiguous: None); one of a risk the passage does
    not carry is settled, denied, rumour, hypothetical, historical or generic by its
    cues."""
    fs = set(f)
    rumour = bool(fs & {"rumour@L", "rumour@R", "rumour@SL", "rumour@SR", "rumour@N", "rumour@P", "rumour@F"}) \
        and bool(fs & {"rumour@R", "rumour@SR", "rumour@N", "rumour@F"})
    deny = "adjneg" in fs or bool(fs & {"deny@L", "deny@R", "deny@SL", "deny@SR"})
    settle = bool(fs & {"settle@R", "settle@SR", "settle@N"})
    hypo = bool(fs & {"hypo@L", "hypo@R", "hypo@SL", "hypo@SR"})
    hist = bool(fs & {"hist@L", "hist@SL", "hist@P"})
    threat = bool(fs & {"threat@L", "threat@R", "threat@SL", "threat@SR"})
    if in_gold:
        if "ruleneg" in fs or rumour:
            return None
        return "threatened" if threat and not ({"present@L", "present@R"} & fs) else "present"
    if rumour:
        return "rumour"
    if deny or "ruleneg" in fs and not settle:
        return "denied"
    if settle or "ruleneg" in fs:
        return "settled"
    if hist:
        return "historical"
    if hypo:
        return "hypothetical"
    return "generic"


class StatusModel:
    """Multinomial logistic regression over hashed mention features, with `vec` > 0 also
    over `vec` × the mention's span vectors as dense columns after the N_HASH hashed ones."""

    def __init__(self, coef: np.ndarray | None = None, bias: np.ndarray | None = None, vec: float = 0.0):
        self.coef, self.bias, self.vec = coef, bias, vec
        self._f32 = None

    def _matrix(self, rows: list[list]):
        X = hash_rows(rows)
        if self.vec <= 0:
            return X
        import scipy.sparse as sp

        from nlp.tagging import dense

        return sp.hstack([X, dense.rows_csr(span_vectors(rows) * np.float32(self.vec))], format="csr")

    def fit(self, rows: list[list[str]], labels: list[str], weights=None, C: float = 1.0, seed: int = 13):
        from sklearn.linear_model import LogisticRegression

        X = self._matrix(rows)
        y = np.array([STATUSES.index(l) for l in labels])
        present = sorted(set(y.tolist()))
        coef = np.zeros((len(STATUSES), X.shape[1]), dtype=np.float32)
        bias = np.full(len(STATUSES), -30.0, dtype=np.float32)
        if len(present) == 1:
            bias[present[0]] = 30.0
        else:
            clf = LogisticRegression(C=C, max_iter=300, tol=1e-3, class_weight="balanced", random_state=seed)
            clf.fit(X, y, sample_weight=weights)
            cls = clf.classes_
            if len(cls) == 2:  # sklearn keeps one row for two classes
                coef[cls[1]], bias[cls[1]] = clf.coef_[0], clf.intercept_[0]
                coef[cls[0]], bias[cls[0]] = 0.0, 0.0
            else:
                coef[cls], bias[cls] = clf.coef_, clf.intercept_
        self.coef, self.bias = coef.astype(np.float16), bias
        self._f32 = None
        return self

    def proba(self, rows: list[list[str]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(STATUSES)))
        if self._f32 is None:
            self._f32 = np.ascontiguousarray(self.coef.astype(np.float32).T)
        z = np.asarray(self._matrix(rows) @ self._f32, dtype=np.float64) + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    @staticmethod
    def raise_score(p: np.ndarray) -> np.ndarray:
        return p[:, [STATUSES.index(s) for s in RAISING]].sum(axis=1)


CUE_OF = {"present": "present", "threatened": "threat", "settled": "settle", "denied": "deny", "rumour": "rumour",
          "hypothetical": "hypo", "historical": "hist"}


def cue_index(cues: list[Cue]) -> tuple[list[int], int] | None:
    """The cues' end offsets and their longest length, for `status_cue` to read only the cues
    near a mention; None when the cues are not ordered by end (then it reads them all)."""
    ends = [c.end for c in cues]
    if any(a > b for a, b in zip(ends, ends[1:])):
        return None
    return ends, max((c.end - c.start for c in cues), default=0)


def status_cue(text: str, h: Hit, status: str, cues: list[Cue],
               index: tuple[list[int], int] | None = None) -> Cue | None:
    """The cue word nearest the mention (same sentence, or a verdict later on for a
    rumour) that shows its status; None when none does (present by default). With
    `index` (`cue_index(cues)`), only the cues within reach of the mention are read, in the
    same order: reading every cue of the text per mention made a long log of repeated
    complaints cost mentions × cues."""
    cls = CUE_OF.get(status)
    if cls is None:
        return None
    reach = 400 if cls == "rumour" else 30
    if index is not None:
        # a cue within reach ends at least `reach` before the mention and starts at most
        # `reach` after it, so it ends at most the longest cue's length later
        ends, longest = index
        cues = cues[bisect.bisect_left(ends, h.start - reach):bisect.bisect_right(ends, h.end + reach + longest)]
    best, bd = None, None
    for c in cues:
        if c.cls != cls or (c.start < h.end and c.end > h.start):
            continue
        d = (h.start - c.end) if c.end <= h.start else (c.start - h.end)
        if d > reach:
            continue
        # a sentence end between the cue and the mention (searched in place, not in a copy)
        if cls != "rumour" and SENTENCE.search(text, min(c.end, h.end), max(c.start, h.start)):
            continue
        if bd is None or d < bd:
            best, bd = c, d
    return best


# ------------------------------------------------------------ risk vote over a text's mentions
# A risk's mentions vote together: a passage often names arrears in its lead and tells
# them paid sentences later, so its best single mention says "present" while its last
# says "settled". The vote is a logistic regression over what the statuses of all the
# text's mentions of one risk say together (and what its other mentions say), fitted on
# held-out status probabilities (nlp/tagging/model.py: Tagger.fit); its probability
# replaces the best mention's raise score as the mention bar's input.
_OTHER = [STATUSES.index(s) for s in STATUSES if s not in RAISING]
VOTE_NAMES = (("max", "mean", "first", "last", "share", "n") + tuple(f"mean_{STATUSES[k]}" for k in _OTHER)
              + ("text_mean", "text_not", "window", "calm"))


def vote_features(P: np.ndarray, owner: np.ndarray, label: np.ndarray, start: np.ndarray, n_labels: int,
                  window: np.ndarray, calm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, X): one row per (text, risk) pair with mentions, key = text × n_labels + risk,
    sorted. `P`: status probabilities of the mentions (mentions × STATUSES); `owner`,
    `label`, `start`: each mention's text row, risk index and offset; `window`: texts × risks
    window probabilities; `calm`: the whole-text calm head's probability per text. Features:
    the raise scores of the pair's mentions (max, mean, first, last in the text, share ≥ 0.5,
    log count), the mean probability of each not-raising status, the mean raise score and
    the largest not-raising probability over all the text's risk mentions, the logit of the
    window probability and the calm probability."""
    m = len(P)
    if m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(VOTE_NAMES)))
    rs = P[:, :len(RAISING)].sum(axis=1)
    key = owner.astype(np.int64) * n_labels + label
    order = np.lexsort((start, key))
    ks = key[order]
    keys, first_at, inv_sorted, cnt = np.unique(ks, return_index=True, return_inverse=True, return_counts=True)
    inv = np.empty(m, dtype=np.int64)
    inv[order] = inv_sorted
    g = len(keys)
    mx = np.full(g, -1.0)
    np.maximum.at(mx, inv, rs)
    mean = np.bincount(inv, weights=rs, minlength=g) / cnt
    first = rs[order[first_at]]
    last = rs[order[first_at + cnt - 1]]
    share = np.bincount(inv, weights=(rs >= 0.5).astype(float), minlength=g) / cnt
    other = np.stack([np.bincount(inv, weights=P[:, k], minlength=g) / cnt for k in _OTHER], axis=1)
    texts = keys // n_labels
    n_text = int(owner.max()) + 1
    t_cnt = np.maximum(np.bincount(owner, minlength=n_text), 1)
    t_mean = np.bincount(owner, weights=rs, minlength=n_text) / t_cnt
    t_not = np.zeros(n_text)
    np.maximum.at(t_not, owner, P[:, _OTHER].max(axis=1))
    w = np.clip(window[texts, keys % n_labels], 1e-4, 1 - 1e-4)
    X = np.column_stack([mx, mean, first, last, share, np.log1p(cnt), other, t_mean[texts], t_not[texts],
                         np.log(w / (1 - w)) / 4, calm[texts]])
    return keys, X


# The inputs of the small vote (`fit_vote(form=2)`): the best mention's raise score, the window's
# logit and the calm probability.
SMALL_VOTE = ("max", "window", "calm")


def fit_vote(X: np.ndarray, y: np.ndarray, w: np.ndarray, label: np.ndarray, n_labels: int,
             C: float = 1.0, form: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The vote's (coef over VOTE_NAMES, bias per risk): one logistic regression for all
    risks (few passages per risk) with a bias per risk (`form` 0). `form` 1: one bias shared
    by all risks; 2: shared bias and only the SMALL_VOTE inputs (the others weigh 0): fewer
    free parameters per fit (TaggerConfig.vote_form)."""
    from sklearn.linear_model import LogisticRegression

    if len(y) == 0 or y.all() or not y.any():
        return np.zeros(X.shape[1]), np.full(n_labels, 30.0 if len(y) and y.all() else -30.0)
    if form:
        keep = (np.arange(X.shape[1]) if form == 1
                else np.array([VOTE_NAMES.index(k) for k in SMALL_VOTE]))
        clf = LogisticRegression(C=C, max_iter=500).fit(X[:, keep], y.astype(int), sample_weight=w)
        coef = np.zeros(X.shape[1])
        coef[keep] = clf.coef_[0]
        return coef, np.full(n_labels, float(clf.intercept_[0]))
    onehot = np.eye(n_labels)[label]
    clf = LogisticRegression(C=C, max_iter=500).fit(np.hstack([X, onehot]), y.astype(int), sample_weight=w)
    coef = clf.coef_[0]
    return coef[:X.shape[1]].copy(), coef[X.shape[1]:] + clf.intercept_[0]


def vote_proba(X: np.ndarray, label: np.ndarray, coef: np.ndarray, bias: np.ndarray) -> np.ndarray:
    z = X @ coef + bias[label]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
