"""Who must act: the organ, department, group or role named at the head of a clause
(市总工会, 各县（市、区）总工会, 组织人事部门, 蹲点工作组, 联络指导小组办公室 …), the
body after 由 (由组织人事部门确定…), the body before 牵头, and the restoring of a
shared head word (省总工会、各市（州）总工会督导组 → 省总工会督导组 +
各市（州）总工会督导组).

Names are read over jieba part-of-speech tokens (the domain dictionary tags organ
names `nt`): a name is a run of noun-like tokens that ends on an organ or role head
word; a predicate verb, a preposition, a modal or punctuation ends it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp import analysis

# what an actor name ends with (longest first when checked)
HEADS = sorted([
    "总工会", "工会联合会", "工会组织", "工会", "委员会", "党委", "党组", "政府", "部门", "单位", "机关", "中心", "文化宫",
    "办事处", "办公室", "办", "部", "处", "科", "局", "厅", "委", "服务站", "法院", "学院", "医院", "研究院", "蹲点工作组", "工作组", "蹲点组",
    "领导小组", "小组", "专班", "组", "两级", "各级", "成员", "组长", "副组长", "负责人", "主席", "书记", "干部",
    "联络员", "地方", "各地", "互助会", "企业方", "职工方", "站点", "协会", "商会", "联合会", "队",
    "工作站", "驿站", "组委会", "理事会", "学校", "志愿者",
    # people and teams that real school and county notices bind (所有代表, 参赛人员, 各支会, 每位教职工)
    "代表", "人员", "选手", "队员", "教职工", "会员", "分会", "支会", "参赛者", "代表团", "领队", "领导",
    "员工", "运动员",
], key=len, reverse=True)
# words tagged as verbs that may open a name (派出单位, 有关部门, 相关业务部门)
NAME_STARTS = {"派出", "参赛", "有关", "相关", "所在", "直属", "联络", "指导", "协调", "监督", "服务", "管理", "领导", "注册"}
# verbs that name a unit by its role when a unit word follows (承办单位, 组织单位, 申报单位, 主办部门)
_ROLE_UNIT = {"单位", "部门", "企业", "机构"}
# a department named by its remit (宣传教育部, 劳动和经济工作部): jieba reads its first word as a verb
_DEPT = re.compile(r"^(?:(?:省|市|区|县)总工会)?[\u4e00-\u9fff]{2,8}?(?:和[\u4e00-\u9fff]{2,4})?(?:工作部|教育部|保障部|部|处|科)"
                   r"(?=牵头|负责|配合|参与|协助|协办|要|应|须|需|[：:，,、；;）)]|和|$)")
# the first words of such departments (not 会同/督促/指导, which govern a name after them)
_REMITS = {"宣传", "保障", "服务", "维护", "建设", "发展", "管理", "监督", "培训", "研究", "调研", "统战", "宣教",
           "教育", "劳动", "权益", "组织", "网络", "法律", "经济", "技术", "生产", "安全", "保卫", "接待", "审计"}
# the name is the owner of a measured noun (县级工会专职工作人员占比达到30%, 基层工会按期换届率不低于95%,
# 专职副主席不少于1名): the subject is the measure, not the body
_MEASURED = re.compile(r"^(?:[^，,；;。]{0,10}?(?:占比|比例|比重|人数|数量|总数|率))?(?:应当?|要|须|需|均)?"
                       r"(?:达到|不低于|不少于|不超过|不高于|不得低于|不得少于|至少(?=[\d一二两三四五六七八九十])|稳定在|保持在|提高到|控制在|占)")
# verbs that may sit inside a name (派出单位, 赴基层蹲点工作联络指导小组, 职工保障互助会)
NAME_VERBS = {"赴", "派出", "保障", "互助", "联络", "指导", "协调", "服务", "维护", "宣教", "管理", "监督", "审查",
              "领导", "建设", "发展", "改革", "有关", "相关", "所在", "蹲点", "联系", "帮扶", "综合", "互助会",
              "设区", "直属", "参与", "参赛", "每个", "每家", "每名", "县直", "市直", "省直", "区直", "注册"}
NOUNISH = ("n", "nt", "nr", "ns", "nz", "j", "b", "r", "zg", "ng", "vn", "an", "m", "q", "eng", "x")
HEAD_FLAGS = ("n", "nt", "nr", "ns", "nz", "j", "r", "m")
# tokens that end a name: prepositions, modals, time words, adverbs
STOP_WORDS = {"对", "向", "于", "在", "从", "把", "将", "按", "按照", "根据", "结合", "围绕", "针对", "通过", "以",
              "要", "应", "应当", "须", "需", "必须", "可", "可以", "负责", "牵头", "担任", "兼任", "分别", "每年",
              "每月", "定期", "及时", "积极", "切实", "之间", "的", "等", "为", "是", "也", "均", "都", "各派",
              "需于", "须于", "应于", "要于", "一般", "原则上", "共同", "统一", "继续", "不定期", "由", "并"}
_ADMIN = re.compile(r"^(?:各|每个)?(?:省|市|县|区)（[市县区、]+）(?!总工会|工会|[\u4e00-\u9fff]{0,6}(?:部门|单位))")
# 事发地县（市、区）总工会, 所在地县（市、区）总工会: a bracketed place name inside an organ name
# 每个参赛企业, 每个县（市、区）: a distributive subject
_EACH = re.compile(r"^每(?:个|家|名|所)(?:[\u4e00-\u9fff（）、]{0,10}?(?:企业|单位|总工会|工会|站点|工作组|组|县市区|县（市、区）|乡镇（街道）)|“[^”]{1,12}”)")
# 各乡镇（街道、园区）、产业（行业）工会（工委）: places in brackets, joined by 、 and sharing
# one body word, which may carry its own bracket ((总)工会(委), 工会（工委）) or 组织
_BODY_TAIL = r"(?:总工会|工会|部门|单位)(?:组织|[（(][\u4e00-\u9fff]{1,2}[）)])?"
_ADMIN_ORGAN = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:省|市|县|区|镇|乡)[（(][^）)]{1,12}[）)](?:[（(]总[）)])?"
                          r"(?:(?:工会(?:[（(][\u4e00-\u9fff]{1,2}[）)]))?、[\u4e00-\u9fff]{1,6}?(?:[（(][^）)]{1,8}[）)])?)?"
                          r"[\u4e00-\u9fff]{0,8}?" + _BODY_TAIL)
_LEAD_ADVERBIAL = re.compile(r"^(?:[^，]{1,8}期间|请|\d+[、.．]|第[一二三四五六七八九十百]+条|[（(]\d+[)）]|[⑴-⒇①-⑳]|[一二三四五六七八九十]+是|其中|同时|另外|此外|并且?|还|均|要求|要|坚持|每年度?|每月|每季度|每半年|每周|"
                             r"自[^，]{1,14}?起|从(?=[^，]{2,30}(?:总工会|工会|部门|单位))|在此基础上|希望|"
                             # 3月20日（周四）下午5点前各单位将…: a date before the doer
                             r"(?:于)?(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:[（(][^）)]{1,6}[）)])?(?:上午|下午|中午|晚上)?"
                             r"(?:\d{1,2}[:：点时]\d{0,2}分?)?(?:下班)?(?:前|之前|以前)?)[，,]?")
_PUNCT = set("，。；：:,;！？!?")
# 获奖职工所在单位, 会员所在工会, 蹲点干部所在地县级工会: a body named by whom it holds
_WHERE = re.compile(r"^(?:(?![向对在由从把将为给按])[\u4e00-\u9fff]){1,10}?所在(?:单位|企业|基层工会|工会|地(?:[\u4e00-\u9fff（）、]{0,10}?(?:总工会|工会|政府|部门))?)")
# 被检查单位, 各被审计单位: a body named by what is done to it
_PASSIVE = re.compile(r"^(?:各|每个)?被[\u4e00-\u9fff]{1,4}?(?:单位|企业|工会|部门|对象)")
# 灾情较重地区的市（州）总工会, 有条件的企业工会: a qualified body (the qualifier ends in 的)
_QUALIFIED = re.compile(r"^[\u4e00-\u9fff]{2,10}?的")
# task verbs that open a clause in 公文 (a clause starting so has no named subject)
LEAD_VERBS = ("建立", "健全", "完善", "加强", "推动", "推进", "做好", "开展", "强化", "提高", "提升", "落实", "坚持",
              "深化", "充分", "实现", "支持", "规范", "宣传", "承接", "聚焦", "积极", "切实", "认真", "扩大", "增强",
              "发挥", "巩固", "引导", "帮助", "指导", "检查", "督促", "争取", "协助", "消除", "增加", "确保", "严格",
              "坚决", "高度", "加快", "加大", "探索", "营造", "团结", "选派", "抽调", "召开", "组织开展", "制定",
              "明确", "梳理", "形成", "贯彻", "学习", "围绕", "突出", "注重", "统筹", "整合", "利用", "优化", "配备",
              "配强", "实行", "采取", "通报", "代表", "评估", "保障", "维护", "参加", "参与", "邀请", "会同", "做实", "抓好", "抓实", "建强", "健全完善", "持续", "深入", "进一步", "全面")


_NOT_ORGANS = {"社会", "机会", "大会", "会", "部", "处", "办", "组", "队", "头部", "全部", "内部", "外部", "局部",
               "东部", "西部", "南部", "北部", "中部", "底部", "顶部", "细部", "一部", "好处", "到处", "各处",
               "难处", "用处", "结局", "格局", "布局", "大局", "当局", "开局", "班组", "小组", "承办", "举办",
               "创办", "主办", "协办", "督办", "交办", "代办", "查办", "包办", "开办", "兴办", "住院"}
_SINGLE = {"部", "处", "办", "组", "队", "局", "科", "委", "厅"}


# a body named before its duty word where jieba splits the name into non-nouns (市卫生健康委配合,
# 各承办疗休养基地要…, 各参赛企业要…): it opens with 各/每个 or a level and ends on a unit word
# (县直属产业（行业）工会（委）分别…: jieba reads 县直|属, so a union named by its place and trade
# (its body word maybe with its own bracket) is read here too)
_BEFORE_DUTY = re.compile(r"^(?:各|每个|省|市|县|区)[\u4e00-\u9fff（）]{1,12}?(?:委员会|局|厅|委|办|企业|基地|单位|中心|学校|医院"
                          r"|工会(?:[（(][\u4e00-\u9fff]{1,2}[）)])?)"
                          r"(?=要|应当?|须|必须|需|负责|牵头|配合|参与|协助|分别|$)")


# 各 + a unit word the head list leaves out (各科室, 各系所, 各教研室, 各年段, 各党总支; gold of bzszyy, cueb,
# hsxx-gh, sasu), bound right after: the distributed units act
_EACH_UNIT_BOUND = re.compile(r"^各[\u4e00-\u9fff]{0,4}?(?:室|系|所|部|段|级|车间|班组|总支|支部|党组织)"
                              r"(?=要|应当?|须|必须|需|务必|负责(?!人)|高度|认真|积极|做好|将|于\d|在\d)")
# the issuing school or institute naming itself (我校将于…举办…, 我校决定于…开展…, 本院定于…: gold of sut-gh,
# sz16z, gh.sdyu): the body acts, bound by what follows
_SELF = re.compile(r"^(?:我|本)(?:校|院|局|厂|所|公司|集团)(?=将|决定|定于|拟|于\d|要|须|应|需|负责(?!人))")


def is_head(word: str) -> bool:
    """Does `word` end like an organ, unit or role (`HEADS`: 工会, 部门, 负责人 …) and is
    it no word of that shape that names none (`_NOT_ORGANS`)? extract, actor_model and subject_model ask it too."""
    return any(word.endswith(h) for h in HEADS) and word not in _NOT_ORGANS


# a preposition that opens the text makes the name after it its object (对于各乡镇（街道）工会…给予补助)
_GOVERNING = re.compile(r"^(?:对于|对|关于|向|在|经|由于|为|给|按照|根据|通过|凡)")


@dataclass(frozen=True)
class ActorMatch:
    names: tuple[str, ...] | list[str]
    start: int
    end: int
    by: bool = False  # introduced by 由 (由X负责 / 由X确定)
    asked: bool = False  # introduced by 请 / 要求 (请各单位…): the one asked, not the one asking


def _tokens(text: str):
    at = 0
    for w, flag in analysis.pos(text):
        yield w, flag, at
        at += len(w)


def flag_is_verb_lead(word: str, flag: str) -> bool:
    if flag == "nt":
        return False
    return word.startswith(LEAD_VERBS)


@lru_cache(maxsize=4096)
def actor_at(text: str) -> tuple[str, int] | None:
    """The actor name that `text` starts with, and where it ends; None when the
    text does not start with a name."""
    m = _ADMIN.match(text)
    if m:
        return m.group(0), m.end()
    m = _EACH.match(text) or _EACH_UNIT_BOUND.match(text) or _SELF.match(text)
    if m:
        return m.group(0), m.end()
    m = _ADMIN_ORGAN.match(text)
    if m and not flag_is_verb_lead(text[:2], "") and not _GOVERNING.match(text):
        # 乡镇（街道）工会主席, 县（市、区）总工会经审会: a role or sub-body of the organ
        sub = re.match(r"(?:主要负责同志|主要负责人|负责人|副主席|主席|经审会|经费审查委员会|女职工委员会|办公室)", text[m.end():])
        if sub:
            end = m.end() + sub.end()
            return text[:end], end
        rest = text[m.end():]
        if rest[:1] in ("、", "和", "及", "与"):
            more = actor_at(rest[1:])
            if more:
                return text[:m.end() + 1 + more[1]], m.end() + 1 + more[1]
        return m.group(0), m.end()
    m = _PASSIVE.match(text)
    if m:
        return m.group(0), m.end()
    m = _WHERE.match(text)
    # the holder before 所在 is a noun (获奖职工所在单位), not a predicate (材料统一报送所在地…)
    holder = list(_tokens(text[:text.index("所在")]))[-1] if m else None
    if m and (holder[1][:1] in ("n", "r", "j") or holder[0][-1:] in "者员手工人户"):
        return m.group(0), m.end()
    m = _QUALIFIED.match(text)
    # the qualifier describes a state (灾情较重地区), not an act (新建农民工集中的项目工会 is an object)
    # nor a time or place of the act (于会后将…的材料报…: a preposition inside is no qualifier)
    if (m and not re.match(r"^(?:对|按|按照|根据|依照|在|从|为|凡|经|因|于|将)", text)
            and not any(f.startswith(("v", "p")) and w != "有" for w, f, _ in _tokens(m.group(0)[:-1]))):
        inner = actor_at(text[m.end():])
        if inner and re.search(r"(?:总工会|工会|单位|部门|企业|组织)$", inner[0]):
            return text[:m.end() + inner[1]], m.end() + inner[1]
    last_head_end = None
    started = False
    toks = list(_tokens(text))
    if toks and toks[0][0] in ("经", "经过", "凭", "据"):
        return None  # 经市总工会党组会议审定后: a preposition, not a name
    role_unit = len(toks) > 1 and toks[1][0] in _ROLE_UNIT and toks[0][1].startswith("v")
    if toks and not role_unit and (flag_is_verb_lead(*toks[0][:2]) or toks[0][0][:1] in "须应要需可必报" or
                 toks[0][1][:1] in ("i", "l", "d", "c", "p") or
                 (toks[0][1].startswith("v") and toks[0][1] != "vn" and toks[0][0] not in NAME_STARTS)):
        m = _DEPT.match(text)
        if m and m.group(0) not in _NOT_ORGANS and toks[0][0] in _REMITS:
            return m.group(0), m.end()
        return None
    for i, (w, flag, pos) in enumerate(toks):
        if w in _PUNCT or w in STOP_WORDS:
            break
        if w in "、和及与" and started:
            continue
        nxt = toks[i + 1][0] if i + 1 < len(toks) else ""
        noun = (flag.startswith(NOUNISH) or is_head(w) or w in NAME_VERBS or w in "（）()" or w in _SINGLE
                or (started and flag.startswith("v") and w not in STOP_WORDS and nxt in _SINGLE)
                or (flag.startswith("v") and w not in STOP_WORDS and nxt in _ROLE_UNIT))
        if w == "组织" and started and toks[i - 1][0] in ("服务", "社会", "志愿", "群团", "基层", "工会"):
            last_head_end = pos + len(w)  # 志愿服务组织, 社会组织: the body, not the verb
            continue
        if not noun:
            if flag.startswith("v") and started and last_head_end is not None:
                break
            if not started:
                return None
            break
        started = True
        if w == "小组" and i > 0 and (toks[i - 1][1].startswith("n") or is_head(toks[i - 1][0])):
            last_head_end = pos + len(w)  # 工会小组, 党小组: a group of a body (a bare 小组 is none)
            continue
        if (is_head(w) and (flag.startswith(HEAD_FLAGS) and flag != "m" or flag == "vn" and len(w) >= 3)
                or w in ("两级", "各级", "各地")
                or (w in _SINGLE and i > 0 and last_head_end is not None or w in _SINGLE and i > 0 and toks[i - 1][1].startswith("n"))):
            last_head_end = pos + len(w)
        if pos + len(w) > 160:
            break
    if last_head_end is None:
        m = _BEFORE_DUTY.match(text)
        return (m.group(0), m.end()) if m else None
    # jieba cuts 人力资源部|门 and 各部|室: the unit word runs on
    if text[last_head_end - 1:last_head_end] == "部" and text[last_head_end:last_head_end + 1] in ("门", "室"):
        last_head_end += 1
    name = text[:last_head_end]
    # a name never ends inside an open bracket or quotation
    if name.count("（") > name.count("）") or name.count("“") != name.count("”") or name.count("《") != name.count("》"):
        return None
    if text[last_head_end:last_head_end + 1] == "、" and (more := _BEFORE_DUTY.match(text[last_head_end + 1:])):
        # 市应急管理局、市卫生健康委配合: the second name is one jieba could not read
        last_head_end += 1 + more.end()
        name = text[:last_head_end]
    return name, last_head_end


# residue a reader leaves on a doer's name, each class seen in several dev sites' predicted doers: a stage or
# ordinal label and the 由/经/凡 that governs the unit (第二阶段由…总工会, 经院工会, 凡我校会员), the 组队 of a
# team-forming clause after a unit (…工会组队), a bracket the cut left open (各系（部). 经 only before a unit's own
# prefix: 经理, 经信局 and 经开区 are names.
_LEAD_RESIDUE = re.compile(r"^(?:(?:第[一二三四五六七八九十\d]+(?:阶段|步)|[（(][一二三四五六七八九十\d]+[）)]"
                           r"|[一二三四五六七八九十]+[、.．]|\d+[、.．])\s*)?"
                           r"(?:由(?!于)|经(?:报请?)?(?=[校院局市省区县镇乡各本我])|凡)?")
_TEAM_RESIDUE = re.compile(r"(?:自己|自行)?组队$")


def tidy_name(name: str) -> str:
    """The doer's name as a user reads it: without the residue above; empty when no name is left."""
    name = _LEAD_RESIDUE.sub("", name, count=1)
    unit = _TEAM_RESIDUE.sub("", name)
    if not unit or is_head(unit):  # 项目组队 is no unit that forms a team: left as read
        name = unit
    opened = []
    for i, ch in enumerate(name):
        if ch in "（(":
            opened.append(i)
        elif ch in "）)" and opened:
            opened.pop()
    return name[:opened[0]] if opened else name


_TAIL_BRACKET = re.compile(r"[（(][\u4e00-\u9fff]{1,2}[）)]$")  # 工会（委）: the body word's own bracket


def split_coordination(name: str) -> list[str]:
    """市总工会、各县（市、区）总工会 → two names; 市、县两级 and 组织和宣教网络部 stay whole."""
    parts, buf, depth = [], "", 0
    i = 0
    while i < len(name):
        ch = name[i]
        depth += ch in "（(" and 1 or 0
        depth -= ch in "）)" and 1 or 0
        if depth == 0 and (ch in "、和及与" or name.startswith("以及", i)):
            if buf and is_head(_TAIL_BRACKET.sub("", buf)) and len(buf) >= 2:
                parts.append(buf)
                buf = ""
                i += 2 if name.startswith("以及", i) else 1
                continue
        buf += ch
        i += 1
    if buf:
        parts.append(buf)
    # 各市州、县市区总工会: conjuncts of two or more characters share the last one's body word
    if len(parts) == 1 and "、" in name:
        # (各开发区、区县(市)总工会: a conjunct may carry a bracketed place list)
        conj, last = (r"[\u4e00-\u9fff]{2,4}" + q + r"(?:[（(][\u4e00-\u9fff、]{1,6}[）)])?" for q in ("", "?"))
        m = re.fullmatch(rf"((?:{conj}、)+{last})((?:总工会|工会)(?:组织|[（(][\u4e00-\u9fff]{{1,2}}[）)])?)", name)
        if m:
            return [p + m.group(2) for p in _split_outside_brackets(m.group(1))]
    return restore_shared_place(restore_shared_head(parts))


def _split_outside_brackets(s: str) -> list[str]:
    parts, buf, depth = [], "", 0
    for ch in s:
        depth += (ch in "（(") - (ch in "）)")
        if ch == "、" and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    return parts + [buf]


_PLACE_UNION = re.compile(r"^(各(?:[\u4e00-\u9fff]{1,4}?|[\u4e00-\u9fff]（[^）]{1,8}）)?)(?:总工会|工会)$")
_BARE_ORGAN = re.compile(r"^(?![各省市县区镇乡])[\u4e00-\u9fff]{2,14}(?:局|厅|委|部门)$")


def restore_shared_place(parts: list[str]) -> list[str]:
    """各县（市、区）总工会、人力资源和社会保障局 → …, 各县（市、区）人力资源和社会保障局:
    a bare organ after a union named by its places belongs to the same places."""
    if len(parts) < 2:
        return parts
    m = _PLACE_UNION.match(parts[0])
    if not m or m.group(1) == "各":
        return parts
    return [parts[0]] + [m.group(1) + p if _BARE_ORGAN.match(p) else p for p in parts[1:]]


_BODY = re.compile(r"(?:总工会|工会|政府|党委|委员会)$")
_SUBUNITS = ["蹲点工作组", "工作组", "领导小组", "工作专班", "办公室", "领导班子成员", "领导班子", "主要负责人", "负责人"]


def restore_shared_head(parts: list[str]) -> list[str]:
    """X、Y蹲点工作组: when the last name is a body plus a sub-unit and the earlier ones
    are bare bodies, the sub-unit belongs to each of them."""
    if len(parts) < 2:
        return parts
    last = parts[-1]
    for sub in _SUBUNITS:
        if last.endswith(sub) and _BODY.search(last[: -len(sub)]):
            if all(_BODY.search(p) and not p.endswith(sub) for p in parts[:-1]):
                return [p + sub for p in parts[:-1]] + [last]
            break
    return parts


_PEOPLE = re.compile(r"^(?P<name>[^，,。；;：:、“”《》\s]{0,12}?(?:人员|代表|教师|教职工|员工|运动员|会员|队员|选手|参赛者|领队|支会|分会))"
                     r"(?=应当?|须|需|要|必须|一律|自愿|均|务必|不得|准时|按时|注意|集体|可以?)")

# 参加比赛的单位请… / 有意参加的教师，请…: a doer named by what it does, which neither reader above takes
# (the head word is no person word of `_PEOPLE`, or a comma stands before the ask); gold and words in
# corpora/checklist/actors.toml
def _by_act() -> re.Pattern:
    from nlp.checklist.words import alternation, load

    w = load("actors")
    return re.compile(rf"^(?!(?:{alternation(w['not_lead'])}))(?P<name>[^，,。；;：:、“”《》\s]{{1,16}}的"
                      rf"[^，,。；;：:、“”《》\s的]{{0,6}}?(?:{alternation(w['heads'])}))"
                      rf"(?=[，,]?(?:{alternation(w['asks'])}))")


_BY_ACT = _by_act()

# after 请 / 要求 the people named are the ones asked, whatever verb follows (请参会人员绿色出行)
_PEOPLE_ASKED = re.compile(_PEOPLE.pattern.split("(?=")[0] + r"(?=[\u4e00-\u9fff])")

# a team or a person counted, not acting: 每队12人, 每队报名人数12-14人, 每支队伍人数为10人 (the units that
# field the teams act: the annotators give the section's or the addressed units; gold of ouc-gh, henu-xgh,
# sxny-ygh, hztuling-hqgh); 每个支会集体演唱…, 每位教职工可报送… stay doers
_EACH_COUNTED = re.compile(r"^每(?:个|支|名|位)?(?:队|组|队伍|人|个人)$")
_COUNT_NEXT = re.compile(r"^(?:[^，,；;。]{0,6}?人[数數])?(?:为|為|是|[:：])?[\d一二两三四五六七八九十]")
# a short thing whose handling a body signs or approves (纸质稿经分工会主席签字…): the preposition
# after it shows the span is no name, as the learned tagger's spans are judged (`actor_model._may_lead`)
_THING_GOVERNED = re.compile(r"^[^的、，]{1,5}?(?:经|向|对|把|将)")
# the people named are counted against a share (…必须超过全体会员的2/3, …应达到80%): a measure
_SHARE = re.compile(r"^(?:应当?|须|需|要|必须|均)?(?:超过|达到|不少于|不低于|不得少于|占)[^，,；;。]{0,10}?"
                    r"(?:\d|[一二两三四五六七八九十半]|%|％|分之)")

# the name is part of an event's name, the event is the subject (领队会定于…召开, 教职工趣味运动会将于…进行):
# the body that holds it acts (the event line's organiser), not the people the name mentions
_EVENT_NAMED = re.compile(r"^[\u4e00-\u9fff]{0,8}?(?:会|赛|活动|仪式|培训班)(?:将于|拟于|拟在|拟定于|定于|于\d)")


def _headcount(name: str, rest: str) -> bool:
    return bool(_EACH_COUNTED.match(name) and _COUNT_NEXT.match(rest))


# people or a team right before their count (运动员3名, 领队一名, 每队人数限报6名, 教练员：1人): what the clause
# counts, not who acts; the units that field them do (gold of gh.sdyu, gh.shutcm, tyzx.xjtu, ouc-gh, henu-xgh).
# A unit before a count stays (每单位限报1队, 各分会2人: the unit sends them)
_PEOPLE_WORDS = r"人员|运动员|队员|领队|教练员?|选手|裁判员?|工作人员|联络员|代表"
_PEOPLE_COUNTED = re.compile(rf"(?:{_PEOPLE_WORDS}|^每(?:个|支)?(?:队|组|人))$")
# the people word a make-up line counts at the end of a name (每组报队员 → 队员)
PEOPLE_END = re.compile(rf"(?:{_PEOPLE_WORDS})$")
# (a range such as 4-6名 or 若干名 counts them too: team make-up lines of hbuas, spj99)
_NUM = r"[\d０-９一二两三四五六七八九十]+"
_COUNT_AFTER = re.compile(r"(?:[^，,；;。]{0,4}?人[数數])?(?:限报|限|为|是|不超过|不少于|最多|至少|不得超过|[:：])?"
                          rf"(?:{_NUM}(?:[-－—~～至到]{_NUM})?|若干)(?:名|人|位)")
# a name that is nothing but people and the count before them (三名队员, 2名运动员): what a make-up line
# counts, not who acts (gold of zkvtc-gh gives the unit that fields them)
_COUNT_THEN_PEOPLE = re.compile(rf"^(?:{_NUM}|若干)(?:名|位|个)?(?:正式|替补|参赛|男|女)?(?:{_PEOPLE_WORDS})$")


def counted_after(text: str, name: str) -> bool:
    """Whether `name` is people or a team whose count follows it in `text` (`_COUNT_AFTER`) at
    any place it stands (教练2人（可由队员兼任），队员8人: the second); both in simplified
    characters, whitespace removed."""
    if _PEOPLE_COUNTED.search(name) is None:
        return False
    return any(_COUNT_AFTER.match(text, m.end()) for m in re.finditer(re.escape(name), text))


# a bare team word opening on the team's own make-up (每队10人, 每队须报领队1人, 每个代表队4名正式队员): the unit
# that fields the team acts where the item before names it (ruling A of the checklist gold conventions)
_TEAM = re.compile(r"^每(?:个|支)?(?:代表队|参赛队|队伍|队)$")
_MAKE_UP = re.compile(rf"^(?:共|需|须|应|可|均)?(?:限报|报名|报|派出|派)?(?:(?:{_PEOPLE_WORDS})[、和及]?)*各?{_COUNT_AFTER.pattern}")


def team_made_up(text: str, name: str) -> bool:
    """Whether `name` is a bare team word that `text` follows with the team's own make-up count
    (both simplified, whitespace removed)."""
    if _TEAM.match(name) is None:
        return False
    return any(_MAKE_UP.match(text[m.end():]) for m in re.finditer(re.escape(name), text))


def counted_people(name: str) -> bool:
    """Whether `name` is only a count of people (三名队员): no doer."""
    return _COUNT_THEN_PEOPLE.match(name) is not None



@lru_cache(maxsize=4096)
def clause_actors(clause: str) -> ActorMatch | None:
    """Actors a clause names as its subject: at its head (after adverbials such as
    其中 / 每年 / 自2022年起), after 由, or as X in 'Y由X牵头'."""
    text = clause
    offset = 0
    ask_lead = False  # 请X… / 要求X…: whoever is named next is asked to act
    for _ in range(3):
        m = _LEAD_ADVERBIAL.match(text)
        if not m or not m.group(0):
            break
        ask_lead = ask_lead or m.group(0).startswith(("请", "要求"))
        offset += m.end()
        text = text[m.end():]
    # 赛前各队应… / 届时各单位须…: a time word (jieba `t`) before the doer
    toks = list(_tokens(text[:12]))
    if toks and toks[0][1] == "t" and len(toks[0][0]) <= 3 and actor_at(text[len(toks[0][0]):]):
        offset += len(toks[0][0])
        text = text[len(toks[0][0]):]
    by = False
    if text.startswith("由"):
        by = True
        offset += 1
        text = text[1:]
    found = actor_at(text)
    if found and found[0][:1] in "(（" and not re.search(r"[)）]", found[0]):
        found = None  # 6月5日下午15:00(体育中心会议室)召开…: a note in brackets, a place, not the subject
    if found and _MEASURED.match(text[found[1]:]) and not found[0].startswith("每"):
        found = None
    if found and (_headcount(found[0], text[found[1]:]) or _THING_GOVERNED.search(found[0])
                  or _EVENT_NAMED.match(text[found[1]:])):
        found = None
    if found:
        name, end = found
        rest = text[end:]
        # 校工会要求各基层工会要…: the body asked does the task, not the one asking
        asked = re.match(r"(?:要求|请|希望|督促|号召|鼓励)", rest)
        if asked and not by and (inner := actor_at(rest[asked.end():])):
            a = offset + end + asked.end()
            return ActorMatch(split_coordination(inner[0]), a, a + inner[1], False, True)
        # Y由X牵头 / Y由X负责: X acts
        if rest.startswith("由"):
            inner = actor_at(rest[1:])
            if inner:
                return ActorMatch(split_coordination(inner[0]), offset + end + 1, offset + end + 1 + inner[1], True)
        return ActorMatch(split_coordination(name), offset, offset + end, by, ask_lead and not by)
    # 与会人员要… / 参加活动人员一律… / 因故不能到会的职工代表应… / 各支会要…: people named by
    # what they do, which the token reader cannot take for a name (it opens on a verb)
    m = _PEOPLE.match(text) or (_PEOPLE_ASKED.match(text) if ask_lead else None) or _BY_ACT.match(text)
    if m and _SHARE.match(text[m.end("name"):]):
        m = None  # 到会的代表必须超过应到代表的2/3: a quorum, the count of those people is measured
    if m:
        return ActorMatch([m.group("name")], offset, offset + m.end("name"), by, ask_lead and not by)
    # 由X负责 inside the clause
    m = re.search(r"由([^，。；由]{2,40}?)(?:负责|牵头|承担|组织|统筹|实施)", clause)
    if m:
        inner = actor_at(m.group(1))
        if inner:
            return ActorMatch(split_coordination(inner[0]), m.start(1), m.start(1) + inner[1], True)
    return None


def addressees(recipients: list[str]) -> list[str]:
    """The 主送 units as doers: one name each, a shared body word restored
    (各开发区、区县（市）总工会 → 各开发区总工会, 区县（市）总工会), as the gold writes actors."""
    out: list[str] = []
    for r in recipients:
        out += [n for n in split_coordination(r) if n not in out]
    return out


def established_body(clause: str) -> str | None:
    """成立X / 组建X / 设立X: the body a clause sets up (a following 负责… clause is its duty)."""
    m = re.search(r"(?:成立|组建|设立)([^，。；]{2,40})$", clause)
    if m:
        name = re.sub(r"[（(][^）)]*[）)]$", "", m.group(1))  # 领导小组（名单见附件1）
        if is_head(name):
            return name
    return None


def label_actor(label: str) -> str | None:
    """A heading label that names an actor (综合组：负责… → 综合组)."""
    label = label.strip()
    if 2 <= len(label) <= 20 and is_head(label) and not re.search(r"[制度机制要求规则]$", label):
        return label
    return None


def is_actor_list(clause: str) -> bool:
    """A clause that is nothing but names (保障服务部、经济技术部、…、市工人文化宫)."""
    found = actor_at(clause)
    return bool(found) and found[1] >= len(clause.rstrip("）)"))
