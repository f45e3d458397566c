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
# something still owed, in the settlement sentence or after it
_OPEN = re.compile(r"至今|欠条|部分|剩余|仍有|尚有|还有[^。；;]{0,6}未|仍然|尚未|还没|未能|一直未|仍未|仍拖欠|继续拖欠|还欠|尚欠")


def _settles(sentence: str) -> str | None:
    for p in _SETTLE:
        for m in p.finditer(sentence):
            if not _GUARD.search(sentence[max(0, m.start() - 4):m.start()]):
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
