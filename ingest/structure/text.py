"""Line-level helpers shared by the structure parser: split `Document.text` into
lines with offsets, squash the spaces that letter-spacing and line wrapping leave
inside Chinese text, and small predicates (page-number lines, organ names)."""
from __future__ import annotations

import re
from dataclasses import dataclass

CJK = r"\u3400-\u9fff"


@dataclass
class Line:
    idx: int
    start: int  # offset of the first character of the stripped line
    end: int  # offset after the last character of the stripped line
    text: str  # the line as printed, stripped, markdown bold markers removed

    @property
    def compact(self) -> str:
        return squash(self.text)


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Lines of text[start:end] with offsets into `text` (blank lines included)."""
    end = len(text) if end is None else end
    out: list[Line] = []
    pos = start
    for i, raw in enumerate(text[start:end].split("\n")):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        s = pos + lead
        shown = re.sub(r"^#{1,6}\s+", "", stripped).replace("**", "").strip()  # markdown copies
        out.append(Line(i, s, s + len(stripped), shown))
        pos += len(raw) + 1
    return out


# the cell bars a scraped page's table layout leaves after a line's words ("…的通知 |", "2007年3月28日 |",
# "浏览量:1 | | |": alex-chef, tlzx, mmm2012 pages and tagging pages of several sites)
_CELL_BARS = re.compile(r"(?<=\S)(?:\s*[|｜])+\s*$")


def head_lines(lines: list[Line]) -> list[Line]:
    """The lines as the head and 落款 readers see them: a line's trailing cell bars dropped (its
    offsets kept). The rest of the parser keeps them, so a scraped table's cell lines stay whole."""
    return [Line(l.idx, l.start, l.end, _CELL_BARS.sub("", l.text)) if "|" in l.text or "｜" in l.text else l
            for l in lines]


_SPACE = re.compile(r"(?<![A-Za-z0-9])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?![A-Za-z0-9])")


def squash(s: str) -> str:
    """Remove whitespace except between two Latin letters/digits: undoes letter
    spacing ("长 兴 县") and the spaces wrapping leaves ("2018 年", "4 号")."""
    return _SPACE.sub("", s.replace("\n", " ")).strip()


def join_wrapped(parts: list[str]) -> str:
    return squash(" ".join(parts))


_PAGE_NO = re.compile(r"^[-—–－\s]*\d{1,3}[-—–－\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")


def is_page_number(s: str) -> bool:
    return bool(_PAGE_NO.match(s.strip()))


_WORD = re.compile(rf"[{CJK}A-Za-z0-9０-９]")


def is_furniture(s: str) -> bool:
    """A line that is page furniture, not text: a page number, or a line with no word
    character at all (the "|" and rules a web page's table layout leaves above and below
    a notice: zdgh.sysu, xgh.njucm, jgdw.nwafu copies in the pages store)."""
    return is_page_number(s) or not _WORD.search(s)


# Endings of organ names (机关名称) as they appear in letterheads and signatures.
_ORGAN_END = (
    "委员会", "办公室", "办公厅", "总工会", "工会", "分会", "联合会", "协会", "学会", "委", "会",
    "部", "局", "厅", "署", "办", "院", "处", "室", "府", "中心", "所", "站", "集团", "公司",
    "学校", "大学", "党组", "党委", "政府", "机关", "街道", "社区", "组", "队", "团", "馆", "宫", "司", "科",
)
_ORGAN_CHARS = re.compile(rf"^[{CJK}（）()〔〕·]+$")


def looks_like_organ(s: str) -> bool:
    """A short Chinese name ending like an organ: 九江市总工会办公室, 长兴县旅游委员会,
    梧州市總工會 (mirrors of traditional-character sites), 群团工作部(总工会、团委、妇联)."""
    from ingest.simplified import to_simplified

    s = to_simplified(squash(s))
    bare = re.sub(r"（[^（）]*）|\([^()]*\)", "", s)  # "各县（市、区）总工会": 、 inside brackets
    if not 3 <= len(s) <= 30 or not _ORGAN_CHARS.match(bare):
        return False
    if any(w in s for w in ("关于", "通知", "名单", "意见", "办法", "方案")):
        return False
    # a bracket after the name lists its member bodies: the name before it ends like an organ
    return s.endswith(_ORGAN_END) or (s.endswith(("）", ")")) and bare.endswith(_ORGAN_END))


def is_signer(s: str) -> bool:
    """An organ as signed under a notice: also the bare 工会 (工 会) of a school or company
    union signing its own web notice, which is too short to read as an organ elsewhere."""
    from ingest.simplified import to_simplified

    if looks_like_organ(s) or to_simplified(squash(s)) == "工会" or _SHORT_SIGNER.match(to_simplified(squash(s))):
        return True
    # a name with Latin letters or digits in it: a spam mirror's name put in the school's place
    # (…app…平台工会, 线上买球(中国)有限公司 on mirrors in the pages store), 第2人民医院工会
    c = squash(s)
    return (len(c) <= 30 and bool(_LATIN_IN_NAME.fullmatch(c)) and bool(re.search(r"[A-Za-z0-9]", c))
            and looks_like_organ(re.sub(r"[A-Za-z0-9]", "", c)))


_LATIN_IN_NAME = re.compile(rf"[{CJK}A-Za-z0-9（）()·]+")
# a unit's own party office or branch signing beside its union (工会 / 党办, 党总支、工会: sse and hpe pages of
# the checklist page sets): names of two or three characters that `looks_like_organ` leaves out
_SHORT_SIGNER = re.compile(r"^(?:[党校院厂团]|行政)[办委]$|^党?总支$|^党支部$")


def split_organs(s: str) -> list[str]:
    """Organs printed side by side on one line ("长兴县总工会 长兴县旅游委员会"); runs
    of single characters are letter spacing and are joined back."""
    tokens = s.split()
    out: list[str] = []
    run: list[str] = []
    for t in tokens:
        if len(t) == 1:
            run.append(t)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(t)
    if run:
        out.append("".join(run))
    return [squash(t) for t in out if t]


def bigram_sim(a: str, b: str) -> float:
    """Dice coefficient on character bigrams of the squashed strings."""
    a, b = squash(a), squash(b)
    if not a or not b:
        return 0.0
    ba = {a[i:i + 2] for i in range(len(a) - 1)} or {a}
    bb = {b[i:i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(ba & bb) / (len(ba) + len(bb))


# the pinyin a mirror site prints in brackets after some characters (關(guān)于, 當(dāng)前): one syllable with
# its tone mark (yesadapter and fiilemail pages, a tagging pages2 page, texts of the shared corpus)
_PINYIN = re.compile(r"\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def strip_pinyin(s: str) -> str:
    return _PINYIN.sub("", s)


def plain_line(line: Line) -> Line:
    """The line as the head reader sees it: a mirror's pinyin dropped and traditional characters
    simplified (one for one), so 當前位置, 瀏覽次數 and 關於 read as the simplified page's do."""
    from ingest.simplified import to_simplified

    text = to_simplified(strip_pinyin(line.text))
    return line if text == line.text else Line(line.idx, line.start, line.end, text)


def as_printed(s: str, printed: str) -> str:
    """`s`, read from the folded form of `printed` (squashed text), in `printed`'s own characters and
    with the pinyin it prints; `s` itself when it is not found there."""
    from ingest.simplified import to_simplified

    pieces: list[str] = []  # each printed character with the pinyin after it
    pos = 0
    while pos < len(printed):
        m = _PINYIN.match(printed, pos + 1)
        end = m.end() if m else pos + 1
        pieces.append(printed[pos:end])
        pos = end
    folded = to_simplified("".join(p[0] for p in pieces))
    k = folded.find(s)
    return s if k < 0 else "".join(pieces[k:k + len(s)])
