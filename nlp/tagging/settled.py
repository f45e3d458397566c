"""Pay reported paid at the end of a wage story: a passage-level reading the per-mention status
classifier misses, because the mentions sit in clauses that tell the arrears as they were
(被拖欠一年的工资, 多次讨要无果) and the settlement comes sentences later (终于拿到了工资, 已于…结清).

Seen in real reports of at least ten sites: stored-page passages of hgjy100.com, chinaerea.com,
freewechat.com, yiyang.gov.cn, gzjll.com, jinshui.gov.cn, and the shared batches' rr-0003,
rr-0032, rr-0071, ro-0125 (four more sites), all labelled without wage_arrears. The rule is
narrow on purpose: a settlement sentence names pay and a verb of receiving or clearing it, the
verb is not under a negation, a question, an aim or a promise within four characters (未拿到,
能否拿到, 意图讨回, 承诺月底结清), and neither that sentence nor any later one says something is still owed (部分, 剩余,
尚未, 至今, 欠条 …): part-paid or promised pay stays a signal, as the labelling rules want.

More endings of the same kind (below): a labour dispute the parties agreed (`dispute_settled`,
`agreement_settles`), a disaster that passed without harm (`disaster_passed`, `disaster_settles`) and
a case closed or the hazards found all rectified (`matter_resolved`, `resolved_settles`), each tied to
the risks told before it in the same item.

Imports: nothing of the project (pure text rules over a normalised text).
"""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_PAY = r"(?:工资|工钱|薪|血汗钱|欠款|报酬|劳务费|工程款)"
_SETTLE = (
    # 拖欠 only as 被拖欠(的): a bare 欠 right before the pay word (讨回欠薪) often names the aim, not the result
    re.compile(r"(?:拿到|领到|领取|收到|拿回|讨回|追回|追讨回|要回|领回)了?(?:[^。；;欠]|被?拖欠的?){0,14}?" + _PAY),
    re.compile(_PAY + r"[^。；;]{0,24}(?:结清|付清|清偿|兑现|到账|发放完毕|发放到位|支付到位|全部到位|如数发放|全部发放"
               r"|全部支付|足额发放|发放到[^。；;]{0,10}手中|打入[^。；;]{0,8}卡)"),
    re.compile(r"(?:结清|付清|如数发放|足额支付|全部发放)[^。；;]{0,10}" + _PAY),
)
# a negation, a question, an aim or a promise right before the verb: 未拿到, 能否及时拿到, 意图讨回,
# 承诺月底结清, 责令限期支付 (promised pay is still owed)
_GUARD = re.compile(r"未|没|能否|意图|想|要|希望|盼|等着|为了|如何|怎样|无法|难以|不能|才能|以便|承诺|答应|保证|计划|争取|确保|力争|约定|限期|责令")
# pay handed out, told with its sum (当场支付杨某1000元工资, 为27名工人发放的工资共有16万余元, 支付了
# 54名农民工工资110万元: batches csjcs.com, pages taixing.cn, qingdaonews.com, risk-labelled
# hsw.cn, all labelled without wage_arrears). A sum due (应发的工资总额) is not one paid, and a promise
# may sit further back here (承诺第二天支付农民工…519万元: bilezu.com, labelled with the risk), so these
# look eight characters back for the guard.
_SUM = r"[\d一二两三四五六七八九十百千万.]+(?:余|多)?万?元"
_PAID_SUM = re.compile(
    r"(?:支付|发放|补发|兑付|发还|付清)了?[^。；;欠]{0,14}?" + _PAY + r"[^。；;]{0,8}?(?:共计?|合计|总计|计|约|达)?" + _SUM
    + r"|(?:支付|发放|补发|兑付)的?" + _PAY + r"(?:共有|共计|合计|总计|共)" + _SUM)
_SUM_GUARD = re.compile(_GUARD.pattern + r"|暂|不予|拒")
# the sum taken away, not paid (将发放给员工的工资共计5万元携款潜逃: shaoshang.cn)
_SUM_GONE = re.compile(r"携款|卷款|潜逃|跑路|挪用|截留")
# something still owed, in the settlement sentence or after it
_OPEN = re.compile(r"至今|欠条|部分|剩余|仍有|尚有|还有[^。；;]{0,6}未|仍然|尚未|还没|未能|一直未|仍未|仍拖欠|继续拖欠|还欠|尚欠")


def _settles(sentence: str) -> str | None:
    for p in _SETTLE:
        for m in p.finditer(sentence):
            if not _GUARD.search(sentence[max(0, m.start() - 4):m.start()]):
                return m.group(0)
    for m in _PAID_SUM.finditer(sentence):
        if "应" not in m.group(0) and not _SUM_GUARD.search(sentence[max(0, m.start() - 8):m.start()]) \
                and not _SUM_GONE.search(sentence):
            return m.group(0)
    return None


def pay_settled(text: str) -> str | None:
    """The settlement phrase when `text` (normalised) ends its wage story with the pay received
    or cleared and nothing still owed after it, else None."""
    cue, last = None, -1
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    for i, s in enumerate(sentences):
        c = _settles(s)
        if c is not None and not _OPEN.search(s):
            cue, last = c, i
    if last < 0 or any(_OPEN.search(s) for s in sentences[last + 1:]):
        return None
    return cue


# ------------------------------------------------------------ a dispute settled by agreement
# A labour dispute (pay, dismissal, a work injury, a pregnant worker let go) that a report ends by
# telling the parties agreed or were reconciled is no signal in the labels either: real reports of
# at least eight sites tell a case so and are labelled without its risk (shared batches rr-0035,
# rr-0112, ro-0019; risk-labelled passage rp-0064; stored pages pg-020, pg-041, pg-077, pg-078; see
# `dispute_settled`). Told as a service (有效化解劳资矛盾, 调处劳资纠纷), as an aim (力争化解), as
# failed (未能达成一致) or as a deal that pays part or promises (先行垫付了部分, 承诺第二天支付,
# 支付了40%), the agreement settles nothing, as those labels read it too (rr-0042, rr-0121, rr-0126).
_AGREE = re.compile(
    r"达成了?(?:调解|和解|赔偿|补偿)?(?:协议|和解|一致)|握手言和|签订了?(?:调解|和解)协议"
    r"|(?:化解了|化解一起|平息了)[^。；;]{0,12}(?:矛盾|纠纷|争议|冲突)"
    r"|(?:矛盾|纠纷|争议)(?:已经?|就此|得到|被)?(?:圆满|妥善|顺利|成功)?(?:调解)?(?:解决|化解|平息|了结)"
    r"|(?:调解|和解)成功(?!率)|成功调解")
_AGREE_GUARD = re.compile(r"未能?|没能?|能否|如何|力争|争取|有效|及时|确保|以便|为了|希望|难以|早|多元")
# a sentence about collective bargaining (围绕算法规则达成协议) settles no one's case
_AGREE_NOT = re.compile(r"集体协商|集体合同|工资协商|要约|机制")
# a diary line names the dispute it settled (调解一起年休假争议，双方握手言和): one that is not a pay
# or labour dispute in general is another matter than the risk told before it
_NAMED = re.compile(r"一起([^，。；;、]{1,10}?)(?:争议|纠纷|矛盾|案件)")
_GENERIC_DISPUTE = re.compile(r"^(?:劳资|劳动|劳动争议|劳动报酬|项目欠薪|欠薪|讨薪|工资|拖欠工资)$")
_AGREE_OPEN = re.compile(_OPEN.pattern + r"|承诺|答应|先行|\d+%|百分之|分期|起诉|上诉|不服|申诉")


def _agrees(sentence: str) -> str | None:
    if _AGREE_NOT.search(sentence):
        return None
    named = _NAMED.search(sentence)
    if named and not _GENERIC_DISPUTE.match(named.group(1)):
        return None
    for m in _AGREE.finditer(sentence):
        if not _AGREE_GUARD.search(sentence[max(0, m.start() - 4):m.start()]):
            return m.group(0)
    return None


def dispute_settled(text: str) -> tuple[str, int, int] | None:
    """(the agreement phrase, its sentence's start and end) when `text` (normalised) ends a dispute
    with the parties agreed or reconciled and nothing still owed, promised or contested in that
    sentence or after it, else None."""
    return _last_ending(text, lambda s: None if _AGREE_OPEN.search(s) else _agrees(s), _AGREE_OPEN)


def _last_ending(text: str, cue, still_open: re.Pattern):
    """(what `cue` finds in it, its start, its end) for the last sentence of `text` in which `cue`
    finds an ending, when neither that sentence nor any after it matches `still_open`, else None."""
    found, last = None, -1
    spans = [m for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    for i, m in enumerate(spans):
        if (c := cue(m.group(0))) is not None:
            found, last = (c, m.start(), m.end()), i
    if last < 0 or any(still_open.search(m.group(0)) for m in spans[last:]):
        return None
    return found


# a new item of a diary or a list: a time of day or a number opening a sentence or a clause after
# a semicolon (上午，…；中午，…；（2）…). A risk told before one is another item than the settlement.
ITEM_BREAK = re.compile(r"(?:^|[。！？!?；;\n])\s*(?:早上|早晨|上午|中午|下午|傍晚|晚上|今天|今日|另外|此外|[（(]?\d{1,2}[)）.、])|[；;]")
# the risks a labour dispute is about; a disaster or a crowd is not settled by the parties agreeing,
# and a mental crisis told beside a dispute is its own matter
DISPUTE_RISKS = frozenset(("wage_arrears", "layoffs_paycuts", "women_workers", "gig_worker_rights", "safety_health"))


def agreement_settles(text: str, raised: dict[str, list[tuple[int, int]]],
                      mentions: list[tuple[str, int]]) -> tuple[str, int, set[str]] | None:
    """(the agreement phrase, its offset, the risks it settles) when `text` (normalised) ends a
    dispute agreed (`dispute_settled`), else None. `raised`: each raised risk → the spans that
    raise it (its present or threatened mentions, or its window); `mentions`: (risk, start) of every
    risk mention. A risk of DISPUTE_RISKS is settled when none of its spans comes after the agreement's
    sentence, no new diary or list item (ITEM_BREAK) opens between its last span and the agreement,
    and the agreement's sentence names no other risk than it (已给女职工补发产假工资，纠纷得到解决
    settles the maternity pay, not the arrears told before)."""
    return _told_before(text, dispute_settled(text), raised, mentions, DISPUTE_RISKS)


def _told_before(text: str, found: tuple[str, int, int] | None, raised: dict[str, list[tuple[int, int]]],
                 mentions: list[tuple[str, int]], risks: frozenset) -> tuple[str, int, set[str]] | None:
    """The risks of `risks` that the ending `found` (phrase, sentence start, sentence end) settles
    (see `agreement_settles`), with the phrase and its offset; None when it settles none."""
    if found is None:
        return None
    cue, a, b = found
    at = text.find(cue, a)
    said = [m.span() for m in _AGREE.finditer(text, a, b)] + [(at, at + len(cue))]
    named = {lab for lab, s in mentions if a <= s < b and not any(x <= s < y for x, y in said)}
    out = set()
    for lab, spans in raised.items():
        if lab not in risks or not spans or any(s >= b for s, _ in spans) or (named and lab not in named):
            continue
        last = max(e for _, e in spans)
        if ITEM_BREAK.search(text, last, at) is None:
            out.add(lab)
    return (cue, at, out) if out else None


# ------------------------------------------------------------ a disaster that passed without harm
# A typhoon, flood or quake a report ends by telling caused no loss (没有造成财产损失, 其余地方均
# 没有损伤, 生产经营一切正常, 把损失降低到了最低程度) is labelled without disaster_emergency in real reports
# of three sites (shared batch rr-0138, stored pages pg-016 and pg-148), as the 台风过境，走访的
# 几家工厂均未受损 is. Told as an aim (力促受灾损失降到最低, 将经济损失降到最低, 帮助…恢复正常), as it is
# where the harm was real (mnw.cn, fzja.gov.cn, xiushui.net, all labelled with the risk), it settles
# nothing; nor does a sentence, or any after it, that tells harm still there (仍, 被困, 受灾严重 …).
DISASTER_RISK = "disaster_emergency"
_UNHARMED = re.compile(
    r"(?:没有|未|无|没)(?:造成|出现|发生|受到)?(?:重大|任何|较大|明显)?(?:人员|财产|经济)?(?:伤亡|损失|损伤|损坏|受损|受灾|险情)"
    r"|均(?:没有|未|无)(?:损伤|受损|受灾|受到影响|影响)|损失降低?到了最低|一切正常|安然无恙|平安度过|有惊无险"
    r"|(?:未|没)受(?:到)?影响|不受影响")
_UNHARMED_GUARD = re.compile(r"将|力促|力争|确保|争取|帮助|尽快|努力|鼓励|以便|为了|做到|防止|避免|如何|是否|能否")
_HARM_OPEN = re.compile(r"仍|尚未|被困|失联|抢修|严重|死亡|遇难|身亡|倒塌|冲毁|淹没|停工|停产|转移|安置|救援|受灾群众")


def disaster_passed(text: str) -> tuple[str, int, int] | None:
    """(the no-harm phrase, its sentence's start and end) when `text` (normalised) ends a disaster
    with no harm done and no harm still told after, else None."""
    return _last_ending(text, _unharmed, _HARM_OPEN)


def _unharmed(sentence: str) -> str | None:
    """The first no-harm phrase of `sentence` not told as an aim, or None."""
    for u in _UNHARMED.finditer(sentence):
        if not _UNHARMED_GUARD.search(sentence[max(0, u.start() - 8):u.start()]):
            return u.group(0)
    return None


def disaster_settles(text: str, raised: dict[str, list[tuple[int, int]]],
                     mentions: list[tuple[str, int]]) -> tuple[str, int, set[str]] | None:
    """As `agreement_settles`, for a disaster that passed without harm (`disaster_passed`)."""
    return _told_before(text, disaster_passed(text), raised, mentions, frozenset((DISASTER_RISK,)))


# ------------------------------------------------------------ a case closed, hazards all rectified
# Two more endings the labels read as settled, each in real reports of two sites or more: a case a
# union lawyer or mediator closed (…案…得到圆满调处, 案结事了, 调处成功: stored pages pg4-021, pg4-022,
# shared batch ro-0019), and the hazards an inspection found all rectified (均已…完成整改, 整改率100%,
# 全部整改完成: shared batch rr-0107, pg4-006). Told as an order, a deadline or an aim (要求限期整改到位,
# 整改期限, 表示将整改: rr-0037, pg-082, pg-114, labelled with the risk) they settle nothing. Rectified hazards settle a
# safety risk only where every span that raises it sits in a sentence that names hazards (隐患: the
# list of what was found, 配电箱漏电、通道堵塞等隐患) and no harm done: an accident told beside them stays.
_CLOSED = re.compile(r"(?:案|纠纷|争议|矛盾)[^。；;，,]{0,10}?(?:得到|获得)?(?:圆满|妥善|顺利)(?:调处|解决|化解|了结)"
                     r"|案结事了|调处成功")
_RECTIFIED = re.compile(r"(?:均已|已全部|全部|均)[^。；;]{0,14}?整改(?:完成|完毕|到位|工作)|整改率(?:达到?|为)?100%"
                        r"|(?:已|均已)全部整改|全部整改完成")
_RESOLVED_GUARD = re.compile(r"要求|限期|责令|期限|尽快|及时|确保|力争|争取|将|表示|如何|能否|希望")
_RESOLVED_OPEN = re.compile(_OPEN.pattern + r"|正在|限期|起诉|上诉|不服|申诉|仲裁中")
HAZARD = "隐患"
_HARMED = re.compile(r"发生[^。；;]{0,6}事故|事故(?:造成|导致)|受伤|死亡|身亡|遇难|伤亡|中毒|骨折|烧伤|砸伤|送医|抢救")


def matter_resolved(text: str) -> tuple[str, int, int, bool] | None:
    """(the phrase, its sentence's start and end, whether it tells hazards rectified) when `text`
    (normalised) ends a case closed or its hazards all rectified, with nothing open in that sentence
    or after it, else None."""
    found = _last_ending(text, _resolved, _RESOLVED_OPEN)
    if found is None:
        return None
    (cue, hazard), a, b = found
    return cue, a, b, hazard


def _resolved(sentence: str) -> tuple[str, bool] | None:
    """(the phrase, whether it tells hazards rectified) of `sentence`'s case closed or hazards
    rectified not told as an order or aim (a rectification after a closing wins), or None."""
    found = None
    for pat, hazard in ((_CLOSED, False), (_RECTIFIED, True)):
        for u in pat.finditer(sentence):
            if not _RESOLVED_GUARD.search(sentence[max(0, u.start() - 6):u.end()]):
                found = (u.group(0), hazard)
                break
    return found


def resolved_settles(text: str, raised: dict[str, list[tuple[int, int]]],
                     mentions: list[tuple[str, int]]) -> tuple[str, int, set[str]] | None:
    """As `agreement_settles`, for a case closed or hazards all rectified (`matter_resolved`)."""
    found = matter_resolved(text)
    if found is None:
        return None
    cue, a, b, hazard = found
    if hazard:  # only a safety risk raised by hazards alone
        raised = {lab: spans for lab, spans in raised.items()
                  if lab == "safety_health" and all(_hazard_told(text, s) for s, _ in spans)}
    return _told_before(text, (cue, a, b), raised, mentions, DISPUTE_RISKS)


def _hazard_told(text: str, at: int) -> bool:
    """Whether the sentence around `at` names hazards and no harm done."""
    for m in _SENTENCE.finditer(text):
        if m.start() <= at < m.end():
            return HAZARD in m.group(0) and not _HARMED.search(m.group(0))
    return False
