"""The 公文 frame around the text (GB/T 9704-2012): the header block (份号, 密级,
紧急程度, 发文机关标志, 发文字号, 签发人), the title and 主送机关, the 落款
(发文机关署名 + 成文日期), the 版记 (抄送, 印发机关和印发日期), the document type
read from the title, and the choice of the issuing organ."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.simplified import to_simplified
from ingest.structure.dates import DATE, compact_date, date_only, lost_mark_date, lost_month_date, to_iso
from ingest.structure.text import (
    CJK,
    Line,
    as_printed,
    bigram_sim,
    is_furniture,
    is_page_number,
    is_signer,
    join_wrapped,
    looks_like_organ,
    plain_line,
    split_organs,
    squash,
)
from ingest.text import HEADING_START

# 发文字号: 机关代字 + 〔年份〕 + 序号号, any bracket style.
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u3400-\u9fffA-Za-z]{1,20}?)\s*[〔（(\[【［﹝]\s*(?P<year>(?:19|20)\d{2})\s*"
    r"[〕）)\]】］﹞]\s*(?:第\s*)?(?P<no>\d{1,5})\s*(?P<hao>[号號])"
)
# a breadcrumb's label, in the wordings of the dev pages: 当前位置, 您的位置, 您现在的位置是, 您当前的位置,
# 您当前所在的位置, 所在位置 (frunetbio, yayaxian, aust, fiilemail pages; tagging pages4 and pages6)
_WHERE = r"(?:当前|您|现在|所在)[^：:。]{0,4}位置是?[：:]"
_META = re.compile(
    r"^(\d{6}|[0-9A-Z]{6,10}|(绝密|机密|秘密)(★.*)?|特急|加急|特提|平急|急件|签发人[：:].*|"
    r"(来源|发布时间|发布日期|发文日期|发布机构|发布者|发布人|作者|责任编辑|编审|审核|浏览次数|点击数|索引号|分类|主题分类|"
    r"字号|时间|日期|"
    # more of a content system's byline keys (hnuu, lwvc, ncepu, sasu pages; 信息来源/文章来源, 更新时间, 点击/阅读量)
    r"(信息|文章|稿件|新闻)来源|(发表|更新|发稿|上传|添加|录入)时间|发布(单位|部门)|录入者?|编辑|撰稿|摄影|"
    r"(浏览|点击|阅读|访问)(量|数|次数)?|【?字[体号])[：:].*|"
    # the fields of a government site's disclosure table above the notice, with colons or cell bars
    # (索引号, 信息名称, 文件编号, 生成日期…: the fiilemail page and a tagging pages6 page)
    r"(索引号|组配分类|主题导航|关键词|信息名称|内容概述|发布文号|文件编号|发布机构|信息来源|(生成|公开|成文|废止|发文)日期|公开方式|"
    r"[㐀-鿿]{0,4}公开分类)\s*[：:|｜].*|"
    rf"{_WHERE}.*|【?打印】?.*|【?关闭】?.*|朗读|扫一扫|分享到[：:]?|"
    r".{0,30}(首页|主页|网站首页)\s*[>＞»›].*|[^。>＞»›]{1,20}([>＞»›][^。>＞»›]{1,20}){2,}|"
    # a web copy's bare publication date (and time, and view count) under the title:
    # "2022-02-17", "2025-12-31 浏览量:63" (zdgh.sysu, fjchx copies in the pages store)
    # (2018年114日: a page that dropped the 月, as the deadline reader's 37日前 on hnuu, dhdengcheng)
    r"(?P<pubdate>(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|(?:19|20)\d{2}年\d{2,4}日)(\s?\d{1,2}:\d{2}(:\d{2})?)?"
    r"((浏览|点击|阅读)(量|次数|数)?[：:]?\d*(次)?)?"
    # …and the byline keys after it on one line: "2023-05-06 来源：校工会 作者："
    r"(((信息|文章)?来源|作者|编辑|发布者|发布人|浏览|点击|阅读)[：:]?[^。]*)?)$"
)
# a list mark a page's layout prints before a byline field (- 浏览次数:…, | 浏览量:, • 阅读量:: gyhmdt of
# checklist-pages7, pjszgh of pages10, yijiayoulu of pages14); behind one, a bare 时间:/日期: opens a body's
# list item (- 时间:…, - 地点:…) as often as a byline, and is no byline
_LIST_MARK = re.compile(r"^[-•·●◆■▪|｜]+")


def _meta_line(s: str) -> re.Match | None:
    """`_META` on a head line, a list mark before it read past."""
    c = squash(s)
    if (m := _META.match(c)) is not None:
        return m
    bare = _LIST_MARK.sub("", c)
    if bare == c or bare.startswith(("时间", "日期")):
        return None
    return _META.match(bare)


# Words a title ends with; a wrapped title is complete once its text ends so.
_TITLE_WORDS = (
    r"通知|通报|意见|方案|办法|规定|条例|细则|决定|决议|报告|请示|批复|函|纪要|公告|通告|命令|议案|"
    r"规划|计划|要点|总结|章程|制度|规则|准则|指引|指南|名单|报道|事项|倡议书|公报|安排|说明|清单|标准"
)
TITLE_END = re.compile(rf"({_TITLE_WORDS})([（(][^）)]{{1,8}}[）)])?$")
_BRACKET_ONLY = re.compile(r"^[（(][^）)]{1,8}[）)]$")
_TITLE_DATE = re.compile(rf"^[（(](?:{DATE.pattern})[^（）()]{{0,40}}[）)]$")
# Title ending → doc_type, most specific first.
_DOC_TYPES = [
    ("实施方案", "实施方案"), ("实施细则", "细则"), ("实施意见", "意见"), ("实施办法", "办法"),
    ("方案", "方案"), ("意见", "意见"), ("通知", "通知"), ("办法", "办法"), ("规定", "规定"),
    ("条例", "条例"), ("细则", "细则"), ("决定", "决定"), ("报告", "报告"), ("请示", "请示"),
    ("函", "函"), ("纪要", "纪要"), ("通报", "通报"), ("报道", "报道"), ("批复", "批复"),
    ("公告", "公告"), ("通告", "通告"), ("决议", "决议"),
]
_NEWS = re.compile(r"(本报讯|记者|通讯员|讯（|讯\(|日电|报道)")
_ISSUED_TITLE = re.compile(r"(?:印发|转发|颁布|发布|公布)")


@dataclass
class Header:
    letterhead: str | None = None
    letterhead_organs: list[str] = field(default_factory=list)
    doc_number: str | None = None
    doc_prefix: str | None = None
    title: str | None = None
    recipients: list[str] = field(default_factory=list)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    content_start: int = 0  # index into lines where the notice's own text begins
    title_lines: tuple[int, int] | None = None  # first, last line index of the title
    meta_date: str | None = None  # a web copy's 发布日期, used when no 成文日期 is printed
    # 成文日期 printed in brackets under the title, as 意见, 纪要, 讲话 and documents a
    # meeting adopted print it (（2019年6月3日）, （2019年6月3日…会议通过）)
    title_date: str | None = None


@dataclass
class Closing:
    """落款: signing organs and the 成文日期 under them."""

    date: str | None = None
    signers: list[str] = field(default_factory=list)
    start: int | None = None  # line index where the block begins
    date_line: int | None = None
    span: tuple[int, int] | None = None


@dataclass
class Colophon:
    """版记 at the end: 抄送 and 印发."""

    cc: list[str] = field(default_factory=list)
    printed_by: str | None = None
    printed_date: str | None = None
    start: int | None = None


def normalise_doc_number(s: str) -> tuple[str, str] | None:
    m = DOC_NUMBER.search(squash(s))
    if not m:
        return None
    prefix = m.group("prefix")
    # 號 stays as printed on a traditional-character page, and so does the 序号 (校工字[2015]02号: the
    # schema normalises the brackets only)
    return f"{prefix}〔{m.group('year')}〕{m.group('no')}{m.group('hao')}", prefix


# a 文号 whose closing bracket and 号 the scrape dropped, the 序号 run into the year (某院工会〔20186 for
# 某院工会〔2018〕6号: aust and tsinghua pages); read only on a line that is nothing else
_CUT_NUMBER = re.compile(
    r"(?P<prefix>[\u3400-\u9fffA-Za-z]{1,20}?)[〔（(\[【［﹝](?P<year>(?:19|20)\d{2})(?P<no>\d{1,4})(?![\d〕）)\]】］﹞号號])"
)


def _doc_number_line(s: str) -> tuple[str, str] | None:
    """The 文号 when the line is essentially a 文号 (maybe with 签发人 beside it)."""
    c = squash(s)
    m = DOC_NUMBER.search(c) or _CUT_NUMBER.search(c)
    if not m:
        return None
    rest = c[: m.start()] + c[m.end():]
    rest = re.sub(r"签发人[：:][\u3400-\u9fff、，]*", "", rest)
    rest = re.sub(r"^(文号|发文字号)[：:]", "", rest)
    if len(rest) > 4:
        return None
    if m.re is _CUT_NUMBER:
        return f"{m.group('prefix')}〔{m.group('year')}〕{m.group('no')}号", m.group("prefix")
    return normalise_doc_number(c)


def _organs(s: str) -> list[str] | None:
    pieces = split_organs(s)
    return pieces if pieces and all(looks_like_organ(p) for p in pieces) else None


_STRAY_SEPARATORS = re.compile(r"^[\s,，、;；]+|[\s,，、;；]+$")


def _signers(s: str) -> list[str] | None:
    """Organs of a line in the 落款 (where a bare 工会 also signs): side by side, or joined by
    、 ("山东艺术学院工会、妇委会", "刘化集团公司工会、职工摄影协会": gh.sdca and lhjtgs pages; a 、
    inside brackets, 群团工作部(总工会、团委、妇联), stays in its name). The separators a web page's
    scrape leaves around it are no part of it (", 某大学工会委员会": the huas page)."""
    s = _STRAY_SEPARATORS.sub("", s)
    pieces = split_organs(s)
    if len(pieces) > 1 and all(is_signer(p) for p in pieces):
        return pieces
    if is_signer(s):
        return [squash(s)]
    joined = _split_dun(squash(s))
    return joined if len(joined) > 1 and all(is_signer(p) for p in joined) else None


def _split_dun(s: str) -> list[str]:
    """`s` cut at each 、 outside brackets."""
    out, cur, depth = [], "", 0
    for ch in s:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if ch == "、" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [x for x in out + [cur] if x]


def _letterhead_line(s: str) -> list[str] | None:
    """Organs of a line ending in 文件 ("九江市总工会文件", "长 兴 县 总 工 会  文件", "文件")."""
    c = squash(s)
    if not c.endswith("文件") or len(c) > 60:
        return None
    if c == "文件":
        return []
    head = s.rstrip()[: -2] if s.rstrip().endswith("文件") else s
    organs = _organs(head)
    if organs is None:
        organs = [c[:-2]] if looks_like_organ(c[:-2]) else None
    return organs


def _is_body_like(s: str) -> bool:
    c = squash(s)
    return "。" in c or bool(HEADING_START.match(c)) or len(c) > 70 or "\t" in s


def _recipients_block(lines: list[Line], j: int) -> int | None:
    """Index (into `lines`) of the last line of a 主送机关 block starting at j."""
    if _BRACKET_ONLY.match(squash(lines[j].text)):
        return None  # "（第二批）" under a title belongs to the title
    text = ""
    for k in range(j, min(j + 4, len(lines))):
        t = lines[k].text
        if _is_body_like(t) and not t.rstrip().endswith(("：", ":")):
            return None
        if _meta_line(t) or _doc_number_line(t):
            return None
        if HEADING_START.match(squash(t)):
            return None
        if k > j and (TITLE_END.search(text) or _COUNTED.search(text)):
            return None  # the lines above end like a title (or a compilation's heading): not 主送机关
        text += squash(t)
        if "。" in text or len(text) > 200 or "关于" in text or "《" in text:
            return None
        if text.endswith(("：", ":")):
            if text.endswith(("如下：", "如下:")) or len(text) < 3 or _furniture_label(text):
                return None
            # a sentence leading into the text is not a list of organs
            if re.match(r"^(为了?|根据|按照|依据|依照|结合|经|现|近期|今年|自|在)", text):
                return None
            if any(len(x) > 45 for x in split_recipients(text)):
                return None
            return k
    return None


# what a page prints above its title and ends with a colon, a label whose value the scrape lost: a byline key
# (•阅读量:, 【点击数】:) or a hotline's number and a countdown (服务热线:… / 距离…年…还有:); no 主送机关 carries
# a byline key or a number of four digits (3 sites: gyhmdt of checklist-pages7, altrusaglendaleca and dhslgz of
# pages11)
_LABEL_NUMBER = re.compile(r"\d{4}")


def _furniture_label(text: str) -> bool:
    return bool(_BYLINE_KEY.search(_unbracketed_keys(text)) or _LABEL_NUMBER.search(text))


# 主送机关 run into the text's first sentence on one line, as a scrape that joined the page's paragraphs
# prints it (各有关单位、各分工会: 为促进…; alexchef page of checklist-pages2, zut page of checklist-pages7)
_RUN_ON_TO = re.compile(r"^\s*(?P<to>各[^：:。；;！？!?“”《》\d]{1,60}?)\s*[：:]")


def _run_on_recipients(line: Line) -> tuple[list[str], tuple[int, int]] | None:
    """The 主送机关 opening line `line` before the text's first sentence, and its span; None unless every
    name is complete (an organ, …单位, …部门) and a sentence follows on the line."""
    m = _RUN_ON_TO.match(line.text)
    if not m or len(squash(line.text[m.end():])) < 8:
        return None
    names = split_recipients(m.group("to"))
    if not names or any(len(x) > 25 or not _complete_name(x) for x in names):
        return None
    return names, (line.start, line.start + m.end())


# The whole head run into one line with the text's first sentence, as a document store's chunked copy or a
# scrape that joined the page's paragraphs prints it: the title (关于…, an organ's name before it kept), the
# 主送机关 and the first sentence, with at most a store's chunk number or a re-publisher's words in front
# (3 sites: wenke99 of checklist-pages2, doc001 of pages10, tbllts of pages11)
_HEAD_IN_LINE = re.compile(
    rf"(?P<title>[关關]于[^。：:；;！？!?]{{4,100}}?(?:{_TITLE_WORDS}))\s*(?P<to>各[^：:。；;！？!?“”《》\d]{{1,80}}?)\s*[：:]"
)
_BEFORE_HEAD = 40  # what a line may print before the run-on title (a re-publisher's words; no sentence)
_ORGAN_BEFORE = re.compile(rf"[{CJK}（）()]{{3,24}}$")


def _head_in_line(line: Line) -> tuple[str, tuple[int, int], list[str], tuple[int, int]] | None:
    """Title and 主送机关 read off a line that runs them into the text's first sentence: (title, its span,
    the names, their span); None unless every name is complete and a sentence follows on the line."""
    m = _HEAD_IN_LINE.search(line.text)
    if not m or len(squash(line.text[m.end():])) < 8:
        return None
    start = m.start()
    if (organ := _ORGAN_BEFORE.search(line.text[:start])) and looks_like_organ(organ.group(0)):
        start = organ.start()  # 某市总工会办公室关于…: the issuer's name is the title's start
    before = line.text[:start]
    if len(squash(before)) > _BEFORE_HEAD or "。" in before:
        return None
    names = split_recipients(m.group("to"))
    if not names or any(len(x) > 25 or not _complete_name(x) for x in names):
        return None
    return (squash(line.text[start:m.end("title")]), (line.start + start, line.start + m.end("title")),
            names, (line.start + m.start("to"), line.start + m.end()))


def _read_head_in_line(h: Header, nb: list[Line], i: int) -> Line | None:
    """A run-on head (`_head_in_line`) on line i or one of the two after it (a store's file name and its
    blurb may come first) into `h`: it takes the place of a title read above, as the document's own head
    under a page's title does (`_own_title`). The line it was read on (it stays the content's first line)."""
    for line in nb[i:i + 3]:
        if (found := _head_in_line(line)) is None:
            continue
        title, title_span, h.recipients, h.spans["recipients"] = found
        if "title" in h.spans:
            h.spans["page_title"] = h.spans["title"]
        h.title, h.spans["title"], h.title_lines = title, title_span, (line.idx, line.idx)
        return line
    return None


_SPLIT_COMMA = re.compile(r"[，,；;]")


def split_recipients(s: str) -> list[str]:
    """Split 主送机关 on ， and 、 outside brackets; 、 splits only after a complete
    name, so "县直、产（行）业工会" (a shared ending) stays whole."""
    s = squash(s).rstrip("：:").strip()
    out: list[str] = []
    depth = 0
    cur = ""
    for ch in s:
        if ch in "（(〔[【":
            depth += 1
        elif ch in "）)〕]】":
            depth = max(0, depth - 1)
        if depth == 0 and (_SPLIT_COMMA.match(ch) or ch == "、"):
            if ch == "、" and not _complete_name(cur):
                cur += ch
                continue
            if cur:
                out.append(cur)
            cur = ""
            continue
        cur += ch
    if cur:
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def _complete_name(s: str) -> bool:
    return s.endswith(("）", ")")) or looks_like_organ(s) or s.endswith(("单位", "企业", "组织", "部门", "机构", "学校"))


def _read_meta_line(h: Header, line: Line, *, keep_first_date: bool) -> bool:
    """Take a 文号 line or a web copy's 发布日期/时间 line into `h`; False for any other line."""
    t = line.text
    if dn := _doc_number_line(t):
        # the first is the document's; a further one is a joint notice's other issuer's, or the page's
        # copy printing the number again (pjszgh of checklist-pages10, yjnet of pages12)
        if not h.doc_number:
            h.doc_number, h.doc_prefix = dn
            h.spans["doc_number"] = (line.start, line.end)
        return True
    if m := _meta_line(t):
        if m.group("pubdate") or m.string.startswith(("发布日期", "发文日期", "发布时间", "时间")):
            date = _any_date(t) or (lost_month_date(m.group("pubdate")) if m.group("pubdate") else None)
            _page_date(h, line, date, keep_first_date)
        return True
    if _byline(t) or _byline_fields(t):
        _page_date(h, line, _any_date(t), keep_first_date)
        return True
    return False


def _page_date(h: Header, line: Line, date: str | None, keep_first: bool) -> None:
    """A publication line's date as the page's; its line is kept as the head's `byline` span (a dated
    line, which the duty model must not read as a dated duty)."""
    h.meta_date = (h.meta_date or date) if keep_first else date
    if date and "byline" not in h.spans:
        h.spans["byline"] = (line.start, line.end)


_NUMERIC_DATE = re.compile(r"(?:19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}")


def _byline(s: str) -> bool:
    """A publication line in words the byline keys do not know (某某频道 2021-06-14 发布于…, a forum's
    发表于 2021-03-05 08:12 | 只看楼主, a mirror's 發布時間 with pinyin after each character): a short line
    with a numeric date and no sentence mark, not ending in a colon. A notice prints its own dates in words
    (2022年5月3日); across the dev page sets and real notices a 2022-05-03 date is a signature's or a page's
    publication date."""
    c = squash(s)
    m = _NUMERIC_DATE.search(c)
    if not m or len(c) > 80 or "。" in c or c.endswith(("：", ":")) or _doc_number_line(s):
        return False
    # a short label before the date at most: a title the page ran its byline into (关于…的通知 时间:2016-04-21
    # 来源:…) is a title
    return len(c[:m.start()]) <= 15 and "关于" not in c


# a byline's keys, anywhere on its line (资料来源:  日期:…  浏览量: on the aust page; the keys the byline
# pattern knows at a line's start, 发布时间:… 访问计数:… on tsinghua, 发布日期:… 来源: on zjftu)
_BYLINE_KEY = re.compile(r"(来源|日期|作者|编辑|浏览量|浏览次数|点击数|点击量|阅读量|访问计数|发布时间|发布者|发布人)[：:]")


def _byline_fields(s: str) -> bool:
    """A line of two or more byline fields (key: value), whatever key it opens with, and no sentence."""
    c = squash(s)
    return len(c) <= 80 and "。" not in c and len(_BYLINE_KEY.findall(_unbracketed_keys(c))) >= 2


def _unbracketed_keys(s: str) -> str:
    """A byline's keys as a content system may print them, in 【】 (【发布时间】:…), read as bare keys."""
    return s.replace("】", "")


_NUMBER_AFTER = re.compile(r"^(?P<title>.+?)\s*[（(]\s*(?P<no>[^（）()]{4,30}?)\s*[)）]\s*$")
# …or with no brackets, run into the title's end (…的通知某总工字〔2020〕6号: zjftu page)
_NUMBER_RUN_ON = re.compile(
    rf"^(?P<title>.+(?:{_TITLE_WORDS}))\s*(?P<no>[\u3400-\u9fffA-Za-z]{{1,10}}\s*"
    r"[〔（(\[【［﹝]\s*(?:19|20)\d{2}\s*[〕）)\]】］﹞]\s*(?:第\s*)?\d{1,5}\s*[号號])\s*$"
)


def _numbered_title(h: Header, line: Line) -> Line:
    """A title line that prints its 文号 after it, in brackets (关于…的通知 (某工〔2021〕3号)) or run on:
    the 文号 goes to the header, the line keeps the title; the mirror of a 文号 run into the title's start."""
    m = _NUMBER_AFTER.match(line.text) or _NUMBER_RUN_ON.match(line.text)
    if not m or h.doc_number or not TITLE_END.search(squash(m.group("title"))):
        return line
    dn = _doc_number_line(m.group("no"))
    if not dn:
        return line
    h.doc_number, h.doc_prefix = dn
    h.spans["doc_number"] = (line.start, line.end)
    return Line(line.idx, line.start, line.end, m.group("title"))


def read_header(lines: list[Line]) -> Header:
    """Header block, title and 主送机关, whatever order a web copy prints them in. The lines are read
    folded (`plain_line`: a mirror's pinyin dropped, traditional characters simplified), and the title,
    主送机关 and 文号 are given back as printed."""
    h = Header()
    printed = [l for l in lines if l.text and not is_furniture(l.text) and not _latin_furniture(l.text)][:40]
    plain = [plain_line(l) for l in printed]
    nb = [_numbered_title(h, l) for l in _drop_column_names(plain)]
    _read_header(h, nb)
    if any(a.text != b.text for a, b in zip(plain, printed)):
        _as_printed(h, printed)
    return h


def _latin_furniture(s: str) -> bool:
    """A head line with no Chinese and no year in it: a site's controls and labels (ENGLISH, A+, an image's
    file name between the title and 主送, a forum's Joined: / Messages:; frunetbio and yayaxian pages, five
    tagging pages of pages4 and pages6), never a head element of a Chinese notice."""
    return not re.search(rf"[{CJK}]|(?:19|20)\d{{2}}", s)


def _as_printed(h: Header, lines: list[Line]) -> None:
    """Title, 主送机关 and 文号 of a folded head in the page's own characters (pinyin kept as printed)."""
    def text_of(span: tuple[int, int] | None) -> str:
        return join_wrapped([l.text for l in lines if span and span[0] <= l.start < span[1]])

    if h.title:
        h.title = as_printed(h.title, text_of(h.spans.get("title")))
    if h.recipients:
        where = text_of(h.spans.get("recipients"))
        h.recipients = [as_printed(r, where) for r in h.recipients]
    if h.letterhead_organs:
        where = " ".join(l.text for l in lines[:40])
        h.letterhead_organs = [as_printed(o, squash(where)) for o in h.letterhead_organs]
        if h.letterhead:
            h.letterhead = "".join(h.letterhead_organs) + ("文件" if h.letterhead.endswith("文件") else "")
    if h.doc_number and h.doc_prefix and (m := re.search(r"〔(\d+)〕(\d+)[号號]$", h.doc_number)):
        where = text_of(h.spans.get("doc_number"))
        prefix = as_printed(h.doc_prefix, where)
        hao = "號" if re.search(rf"{m.group(2)}\s*號", where) else "号"
        h.doc_number, h.doc_prefix = f"{prefix}〔{m.group(1)}〕{m.group(2)}{hao}", prefix


def _read_header(h: Header, nb: list[Line]) -> None:
    i = 0
    top_organs: list[tuple[Line, list[str]]] = []
    wenjian: Line | None = None
    # 1. the header block above the title: 份号/密级/紧急, 发文机关标志, 文号, 签发人
    while i < len(nb):
        t = nb[i].text
        if _read_meta_line(h, nb[i], keep_first_date=False):
            i += 1
            continue
        if (lh := _letterhead_line(t)) is not None:
            wenjian = nb[i]
            top_organs.append((nb[i], lh))
        elif (org := _organs(t)) is not None and not h.doc_number:
            top_organs.append((nb[i], org))
        else:
            break
        i += 1
    if wenjian is not None or (h.doc_number and top_organs):
        organs = [o for _, os_ in top_organs for o in os_]
        h.letterhead_organs = organs
        h.letterhead = "".join(organs) + ("文件" if wenjian is not None else "")
        h.spans["letterhead"] = (top_organs[0][0].start, top_organs[-1][0].end)
    elif top_organs:
        # organ-like lines with no 文件 and no 文号 are not a letterhead: re-read them as a title
        i = nb.index(top_organs[0][0])
    # 2. the title: the first run of lines that are neither header nor body; a web page's
    # furniture above it (site and column names, byline lines) is read past
    if (j := _title_ahead(nb, i)) is not None:
        for line in nb[i:j]:
            if not _read_meta_line(h, line, keep_first_date=True) and not h.letterhead_organs and looks_like_organ(line.text):
                h.letterhead_organs = [squash(line.text)]
        i = j
    first_title = None
    if (j := _read_title(h, nb, i)) is not None:
        first_title, i = nb[i], j
    i = _after_title(h, nb, i, first_title)
    if first_title is not None and (j := _own_title(h, nb, i)) is not None:
        i = _after_title(h, nb, j, first_title)
    if h.title is not None:
        i = _first_piece(h, nb, i)
    content = nb[i] if i < len(nb) else None
    # 4. 主送机关
    if i < len(nb) and (last := _recipients_block(nb, i)) is not None:
        text = join_wrapped([l.text for l in nb[i:last + 1]])
        h.recipients = split_recipients(text)
        h.spans["recipients"] = (nb[i].start, nb[last].end)
        content = nb[last + 1] if last + 1 < len(nb) else None
    elif i < len(nb) and (run_on := _run_on_recipients(nb[i])) is not None:
        # the line goes on with the text's first sentence: it stays the first line of the content
        h.recipients, h.spans["recipients"] = run_on
    elif (line := _read_head_in_line(h, nb, i)) is not None:
        content = line
    if content is not None:
        h.content_start = content.idx
    elif nb:
        h.content_start = nb[-1].idx + 1
    if first_title is None and content is not None:
        h.content_start = min(h.content_start, content.idx)


# A compilation page of a model-text site prints several notices under one heading that counts them
# (…通知(通用3篇), …通知实用2篇, …(精选12篇), …方案精选) and opens each on a label repeating the heading
# with its number (…通知 篇1, …通知1, 1.…通知 篇一, …精选篇一): dawenxue of checklist-pages7, alatiku of
# pages11, 52xueshu, bookm and 010zaixian of pages14. The heading is no title (the gold of pages14: `title`
# null where the page prints only a compilation's heading); the first notice's own head under its label is.
_PIECES = r"[\d一二三四五六七八九十]{1,3}"
_COUNTED = re.compile(rf"[（(]?(?:通用|精选|实用|推荐|优秀|热门|汇编|合集)?{_PIECES}篇[）)]?$|精选$")
_PIECE_LABEL = re.compile(rf"^(?:\d{{1,2}}[.、．])?(?P<stem>.+?)(?:篇{_PIECES}|(?<![\d年月日号])\d{{1,2}})$")
_PIECE_REACH = 6  # lines between the heading and the first label: a date, the heading again, a site's lead-in


def _piece_label(s: str, heading: str) -> bool:
    """Is line s a compilation's label of one of its notices (the heading's words with a number)?"""
    m = _PIECE_LABEL.match(squash(s))
    if not m or len(m.group("stem")) < 4:
        return False
    stem, head = m.group("stem"), _COUNTED.sub("", heading) or heading
    return head.startswith(stem) or stem.startswith(head)


def _first_piece(h: Header, nb: list[Line], i: int) -> int:
    """A compilation page (`_COUNTED`, `_piece_label`): its heading leaves the title (kept as the page's
    title span), and the head goes on under the first notice's label with that notice's own title, if it
    prints one. The index the head goes on from (i when the page is no compilation)."""
    heading = squash(h.title or "")
    k = next((k for k in range(i, min(i + _PIECE_REACH, len(nb))) if _piece_label(nb[k].text, heading)), None)
    if k is None and not _COUNTED.search(heading):
        return i
    h.spans["page_title"] = h.spans.pop("title")
    h.title, h.title_lines = None, None
    if k is None:
        return i
    trial = Header(doc_number=h.doc_number, doc_prefix=h.doc_prefix)
    if (j := _read_title(trial, nb, k + 1)) is None:
        return k + 1
    h.title, h.title_lines, h.spans["title"] = trial.title, trial.title_lines, trial.spans["title"]
    return _after_title(h, nb, j, nb[k + 1])


# a label before a 关于… title, closed by 】 or a dash: a column's (【分工会通知】关于…: myxsmf page of
# checklist-pages7) or a series' (…系列活动之一——关于…: klnqp page of checklist-pages); an issuer's name
# runs straight into 关于
_LABEL_BEFORE = re.compile(r"^(?:【[^【】]{1,20}】|[^【】]{0,30}(?:——|—|－－))\s*(?=[关關]于)")


def _read_title(h: Header, nb: list[Line], i: int) -> int | None:
    """The title run from line i into `h`; the index after it, None when line i opens no title."""
    if i >= len(nb) or _is_body_like(nb[i].text) or _recipients_block(nb, i) is not None:
        return None
    run = [nb[i]]
    while True:
        text = join_wrapped([l.text for l in run])
        k = i + len(run)
        if k >= len(nb) or len(run) >= 4 or len(text) > 100:
            break
        nxt = nb[k].text
        # a dated byline under the title ends it (once the 主送 block below it swallowed the byline, which
        # a 主送 now refuses: `_furniture_label`)
        if (_is_body_like(nxt) or _doc_number_line(nxt) or _meta_line(nxt) or _byline(nxt)
                or _recipients_block(nb, k) is not None):
            break
        run.append(nb[k])
    run = _trim_title_run(nb, i, run)
    # a web page may print its title twice (page title, then article heading)
    shown = [l for n, l in enumerate(run) if n == 0 or squash(l.text) != squash(run[n - 1].text)]
    title = join_wrapped([l.text for l in shown]).replace("**", "") or None
    # a web copy may run the 文号 into the title line: 梧工发〔2015〕12号关于…
    glued = DOC_NUMBER.match(title or "")
    if glued and re.match(r"[关關]于", title[glued.end():]) and not h.doc_number:
        h.doc_number, h.doc_prefix = normalise_doc_number(glued.group(0))
        h.spans["doc_number"] = (run[0].start, run[0].end)
        title = title[glued.end():]
    if title and (label := _LABEL_BEFORE.match(title)):
        title = title[label.end():]
    if title:
        title = title.lstrip(_BULLETS)  # a layout's list mark before the title (• 关于…: hxxy page of pages14)
    if title and (len(title) > 120 or len(re.findall(r"[\u3400-\u9fff]", title)) < 2):
        return None
    h.title = title
    if title is None:
        return None
    h.spans["title"] = (run[0].start, run[-1].end)
    h.title_lines = (run[0].idx, run[-1].idx)
    return nb.index(run[-1]) + 1


def _after_title(h: Header, nb: list[Line], i: int, first_title: Line | None) -> int:
    """3. a web copy prints the 文号 (and dates) after the title, maybe the title again under its 作者/日期
    line; a dated document its 成文日期 in brackets. The index of the first line that is none of these."""
    while i < len(nb):
        if first_title is not None and not h.title_date and (m := _TITLE_DATE.match(squash(nb[i].text))):
            h.title_date = to_iso(m)
        elif (again := _title_again(h, nb, i)) is not None:
            i = again
            continue
        elif not _read_meta_line(h, nb[i], keep_first_date=True):
            break
        i += 1
    return i


def _title_again(h: Header, nb: list[Line], i: int) -> int | None:
    """The index after the title printed again from line i, on one line or wrapped on up to three (a
    page's title, then the document's own head under the byline: gyhmdt of checklist-pages7, bsmz and pjszgh
    of pages10, lnpc and tikeco of pages14); None when line i does not start it."""
    if not h.title:
        return None
    title, text = squash(h.title), ""
    for k in range(i, min(i + 3, len(nb))):
        text += squash(nb[k].text)
        if text == title:
            return k + 1
        if not title.startswith(text):
            return None
    return None


def _own_title(h: Header, nb: list[Line], i: int) -> int | None:
    """A page prints its own title and byline, then the document's head with a title of its own (某学院
    关于…, or the long title the page shortened: aust and tsinghua pages): a second title at line i that
    a 文号 line above (after the first title) or a 文号 line or 主送机关 below marks as the document's
    takes the title's place. The index after it, or None."""
    if i >= len(nb) or not _title_start(nb, i) or squash(nb[i].text) == squash(h.title or ""):
        return None
    numbered = "doc_number" in h.spans and "title" in h.spans and h.spans["doc_number"][0] >= h.spans["title"][1]
    trial = Header(doc_number=h.doc_number, doc_prefix=h.doc_prefix)
    if (j := _read_title(trial, nb, i)) is None:
        return None
    marked = j < len(nb) and (_doc_number_line(nb[j].text) is not None or _recipients_block(nb, j) is not None)
    if not (numbered or marked):
        return None
    if "title" in h.spans:
        # the page's own title stays a head line: the checklist's duty stage would otherwise read it
        # as a clause of the body (and learn it as a duty where it names the event a duty holds)
        h.spans["page_title"] = h.spans["title"]
    h.title, h.title_lines, h.spans["title"] = trial.title, trial.title_lines, trial.spans["title"]
    if trial.doc_number and not h.doc_number:
        h.doc_number, h.doc_prefix = trial.doc_number, trial.doc_prefix
        h.spans["doc_number"] = trial.spans.get("doc_number", trial.spans["title"])
    return j


_BREADCRUMB = re.compile(rf"^{_WHERE}|^.{{0,30}}(首页|主页|网站首页)\s*[>＞»›·]")


# a content system's column labels (通知公告 / 最近更新 above a title: gpoenergy, spyp.lwvc,
# xintian.dhdengcheng pages)
_COLUMN = re.compile(r"^(通知公告|通知通告|公告通知|通告通知|信息公告|最近更新|最新更新|最新动态|工作动态)$")


_NAV_SEP = re.compile(r"[\s|｜丨·•/>＞»›]+")
_NAV_ITEM = re.compile(rf"^[{CJK}A-Za-z]{{2,8}}$")


def _nav_line(s: str) -> bool:
    """A site's menu bar or a breadcrumb without its 当前位置 label (首页 | 工会概况 | 组织机构 |
    通知公告, 网站首页 · 新闻中心 · 通知公告 · 正文): four or more short words cut by spaces, bars
    or dots, most of them no organ (a joint letterhead prints organs side by side)."""
    items = [x for x in _NAV_SEP.split(s.strip()) if x]
    if len(items) < 4 or not all(_NAV_ITEM.match(x) for x in items):
        return False
    return sum(looks_like_organ(x) for x in items) * 2 < len(items)


# a site's service lines over the page, each a key and its value: a hotline, a search box, contact details
# (服务热线:…, 快捷搜索:…, 站内搜索:, • 联系方式 / • 电话:… / • 地址:…; dhslgz of checklist-pages11, lasc of
# pages12, ysu of pages13, hxxy of pages14); a label whose value the scrape lost (距离…年…还有:,
# `_furniture_label`) or a field's name (文章标题: dhslgz); a menu of other notices, each link's words cut
# short (· 关于举办…活动...: ysu): never a head element, read past while they lead the page
_BULLETS = "•·●◆■▪"
_CHROME = re.compile(rf"^[{_BULLETS}\-]*(?:(?:服务|咨询|投诉)?热线(?:电话)?|(?:快捷|站内|热门|全站)?搜索|联系电话|电话|地址|"
                     rf"邮编|传真|邮箱)[：:].*$|^[{_BULLETS}\-]*(?:联系方式|联系我们)$|^(?:文章|新闻|信息)标题$|"
                     rf"^[{_BULLETS}].{{2,40}}(?:\.\.\.|…+)$")
_CHROME_REACH = 8


def _chrome_line(s: str) -> bool:
    c = squash(s)
    return bool(_CHROME.match(c)) or (len(c) <= 20 and c.endswith(("：", ":")) and _furniture_label(c)
                                      and not _SENTENCE_MARK.search(c[:-1]))


def _drop_column_names(nb: list[Line]) -> list[Line]:
    """A web page's column name printed above its breadcrumb (通知公告 / 当前位置: 首页 > 通知公告
    > 正文, spyp.lwvc and xintian.dhdengcheng pages; 后勤动态 on hqc.hati) is no title: the short
    lines before a breadcrumb among the first lines are dropped, and so are leading column labels."""
    nb = [l for n, l in enumerate(nb) if n >= 12 or not _nav_line(l.text)]
    k = 0
    while k < min(len(nb) - 1, 3) and _COLUMN.match(squash(nb[k].text)):
        k += 1
    c = k
    # service lines, and a column's name among them (站内搜索: / 信息公告 / its menu: ysu)
    while k < min(len(nb) - 1, _CHROME_REACH) and (_chrome_line(nb[k].text)
                                                   or (k > c and _COLUMN.match(squash(nb[k].text)))):
        k += 1
    nb = nb[k:]
    b = next((k for k, l in enumerate(nb[:8]) if _BREADCRUMB.match(squash(l.text))), None)
    if b is None:
        return nb
    keep = [l for l in nb[:b] if len(squash(l.text)) > 8 or "关于" in l.text]
    return keep + nb[b:]


def header_letterhead(lines: list[str]) -> tuple[str, list[str]] | None:
    """(letterhead, its organs) printed in the first page's header, which some Word notices
    use for the red 发文机关标志 (the body then opens on the 文号 or the title): the run of
    header lines that are organ names, a line ending in 文件 ("九江市总工会文件") among
    them or not. On the first page, an organ's name over the notice is its issuer's mark,
    as a letterhead in the body is; a header saying anything else (规范性文件, 内部资料) is
    none. None when no header line is an organ."""
    organs: list[str] = []
    wenjian = False
    for s in lines:
        if (lh := _letterhead_line(s)) is not None:
            organs += lh
            wenjian = True
        elif (org := _organs(s)) is not None:
            organs += org
        elif organs or wenjian:
            break  # the letterhead's run has ended
    if not organs:
        return None
    return "".join(organs) + ("文件" if wenjian else ""), organs


def header_doc_number(lines: list[str]) -> tuple[str, str] | None:
    """(文号, 机关代字) printed in the first page's header, as under a letterhead there: the
    first header line that is a 文号 line (maybe with 签发人 beside it). None when none is."""
    return next((dn for s in lines if (dn := _doc_number_line(s))), None)


# a title's own ending: 的 + the kind of document (a wrapped title's last line may end so too, but
# then its first line opens the title: 关于…, 《…)
_WHOLE_TITLE = re.compile(r"(的(通知|通告|公告|函|意见|决定|通报|方案|安排|报告)|通知|通告|公告)([（(][^）)]{1,8}[）)])?$")


def _title_ahead(nb: list[Line], i: int) -> int | None:
    """Index of a notice title (关于…, or a whole …的通知 line) that short name lines and byline
    lines separate from line i, within the first lines; None when line i may open the title."""
    for j in range(i, min(i + 30, len(nb))):  # a menu printed one item a line runs long
        c = squash(nb[j].text)
        if j > i and _title_start(nb, j):
            return j
        if (_is_body_like(nb[j].text) or _doc_number_line(nb[j].text)
                or not (_meta_line(c) or _name_line(c)) or _recipients_block(nb, j) is not None):
            return None
    return None


def _title_start(nb: list[Line], j: int) -> bool:
    c = squash(nb[j].text)
    if not (_WHOLE_TITLE.search(c) and len(c) >= 10 or re.match(rf"^([{CJK}（）()]{{2,30}}?)?关于", c)):
        return False
    for k in range(j, min(j + 3, len(nb))):
        if _is_body_like(nb[k].text) or _meta_line(nb[k].text):
            return False
        if TITLE_END.search(join_wrapped([l.text for l in nb[j:k + 1]])):
            return True
    return False


def _name_line(s: str) -> bool:
    """A short line that ends no phrase of a title: no 关于, no open 《 or “, no trailing 的/和/与/及/、."""
    c = squash(s)
    return (len(c) <= 30 and "关于" not in c and c.count("《") == c.count("》") and c.count("“") == c.count("”")
            and not c.endswith(("的", "和", "与", "及", "、", "暨", "开展", "举办", "做好", "召开")))


def _trim_title_run(nb: list[Line], i: int, run: list[Line]) -> list[Line]:
    """A wrapped title is kept whole when it ends like a title (…的通知) or when
    主送机关 follow it; otherwise only its first line is sure to be the title (the
    next lines may be a headerless text's first paragraph)."""
    after = i + len(run)
    while after < len(nb) and _meta_line(nb[after].text):
        after += 1  # a web copy's 发布时间/来源 lines
    # a web page's column name ("通知公告") printed above a 关于… title is not part of it,
    # nor is an organ on a line of its own (南昌市总工会 / 关于…的通知): a letterhead
    # without 文件, as people read such pages (several city and county federations)
    for n in range(1, len(run)):
        if re.match(rf"^([{CJK}（）()]{{2,30}}?)?[关關]于", squash(run[n].text)) and not squash(run[n - 1].text).endswith("关于"):
            if TITLE_END.search(join_wrapped([l.text for l in run[n:]])):
                run = run[n:]
            break
    # a line that is a whole notice title on its own (…举办…比赛的通知) under short lines that end no
    # phrase: a site's name, a spam mirror's name put in the school's place, a column label
    for n in range(1, len(run)):
        if _WHOLE_TITLE.search(squash(run[n].text)) and len(squash(run[n].text)) >= 10 and all(
                _name_line(l.text) for l in run[:n]):
            run = run[n:]
            break
    if after < len(nb) and (_recipients_block(nb, after) is not None or _doc_number_line(nb[after].text)):
        # 主送机关 (or a web copy's 文号) right below: every line above is the title
        if TITLE_END.search(join_wrapped([l.text for l in run])):
            return run
    # the longest run of lines that ends like a title: "…工作安排" / "的通知" wraps on
    for k in range(len(run), 0, -1):
        text = join_wrapped([l.text for l in run[:k]])
        if TITLE_END.search(text) and (k == 1 or len(text) <= 80):
            nxt = run[k].text if k < len(run) else ""
            if nxt and _BRACKET_ONLY.match(squash(nxt)):
                k += 1
            return run[:k]
    if after < len(nb) and _recipients_block(nb, after) is not None:
        return run
    return run[:1]


def _any_date(s: str) -> str | None:
    m = DATE.search(s)
    if m:
        return to_iso(m)
    m = re.search(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def find_closing(lines: list[Line], start: int, end: int | None = None, page_date: str | None = None) -> Closing:
    """The first 落款 after `start`: a date-only line, preferring one with organ
    lines right above it (the 发文机关署名). `page_date`, a web copy's publication date,
    settles a 成文日期 whose dropped 月 reads two ways."""
    end = len(lines) if end is None else end
    first: Closing | None = None
    last = Closing()
    for i in range(start, end):
        iso = date_only(lines[i].text)
        if not iso and i > start and (above := _above(lines, i, start)) is not None and _signers(lines[above].text):
            # right under the signing organ (blank lines between): 20141210, 202228 without separators,
            # 2018年52日 with the 月 dropped
            iso = (compact_date(lines[i].text, page_date) or lost_month_date(lines[i].text, page_date)
                   or lost_mark_date(lines[i].text))
        if not iso:
            # "九江市总工会办公室　　2022年3月1日" on one line
            if (signed := _signed_line(lines[i].text)) is None:
                continue
            return Closing(signed[1], signed[0], i, i, (lines[i].start, lines[i].end))
        signers, sig_start = _signers_above(lines, i, start)
        c = Closing(iso, signers, sig_start, i, (lines[i].start, lines[i].end))
        if signers:
            return c
        first = first or c
        last = c
    if first is not None and (named := _named_signer(lines, last.date_line, start, end)) is not None:
        # no organ signs above any date line: the last one's name line signs, whatever its name ends with
        return Closing(last.date, [squash(lines[named].text)], named, last.date_line, last.span)
    return first or _run_on_closing(lines, start, end) or _undated_closing(lines, start, end)


# the signer and date a run-on page ends its last line with, after the last sentence or a space (…事宜另行通知。
# 某学院工会 2018年5月2日; …报名表 某某工会 2018年5月2日 |; made up): a scrape that dropped the page's line breaks
# (alexchef of checklist-pages2, tbllts of pages11, kavyakalra of pages13)
_RUN_ON_SIGNED = re.compile(rf"(?:^|[。！？；!?;\s])(?P<by>[^\s。！？；!?;，,：:]{{1,30}}(?:\s+[^\s。！？；!?;，,：:]{{1,15}})?)"
                            rf"\s+(?P<date>{DATE.pattern})\s*[|｜]?\s*$")


def _run_on_closing(lines: list[Line], start: int, end: int) -> Closing | None:
    """The 落款 at the end of a run-on page's last line, which the line readers pass over (the line holds the
    text too), asked when no line signs or dates the notice: the organ right before the date, one name the page
    cut at a space before a bare organ word (中国某某工会 委员会) joined back. None when the last line ends
    otherwise."""
    k = end - 1
    while k >= start and (not lines[k].text or is_furniture(lines[k].text)):
        k -= 1
    if k < start:
        return None
    t = lines[k].text
    if (m := _RUN_ON_SIGNED.search(t[-120:])) is None:
        return None
    words = m.group("by").split()
    name = words[-1] if len(words) == 1 or words[-1] not in _BARE_ORGAN else "".join(words[-2:])
    if (signers := _signers(name)) is None:
        return None
    iso = to_iso(DATE.search(m.group("date")))
    base = lines[k].start + len(t) - len(t[-120:])
    # no line of its own: the line stays the text's (start and date_line None), the span marks signer and date
    return Closing(iso, signers, None, None, (base + m.start("by"), base + m.end("date")))


_BARE_ORGAN = {"委员会", "工会", "工会委员会", "办公室", "党委"}


_SIGNED_LOST = re.compile(r"^(?P<by>.+?)\s+(?P<date>\S+)\s*$")


def _signed_line(s: str) -> tuple[list[str], str] | None:
    """(organs, ISO date) of a line that signs and dates the notice at once, its date whole or with a lost
    mark (`lost_mark_date`)."""
    if len(s) > _SIGNING_LINE:
        return None
    if (m := _SIGNED_DATE.match(s)) and (org := _organs(m.group("by"))) and (iso := to_iso(DATE.search(m.group("date")))):
        return org, iso
    if (m := _SIGNED_LOST.match(s)) and (iso := lost_mark_date(m.group("date"))) and (org := _organs(m.group("by"))):
        return org, iso
    return None


_SENTENCE_MARK = re.compile(r"[。，,；;：:！!？?、“”《》]")


def _named_signer(lines: list[Line], i: int, start: int, end: int) -> int | None:
    """The line right above date line i when it reads as a name (short, no sentence mark, no digit, no
    heading, no byline) and no prose follows the date (an attachment's table may): the 落款's place
    makes it the signer even when its ending is no organ's (a name cut short: …工会委员 on a pages2
    page). Across the dev pages, the tagging pages and the real notices, every other such line above a
    date-only line is an organ; it is asked only when no organ signs above any date line."""
    k = _above(lines, i, start)
    if k is None or any(_is_body_like(l.text) for l in lines[i + 1:end]):
        return None
    c = squash(lines[k].text)
    if not (3 <= len(c) <= 30 and re.search(rf"[{CJK}]", c)) or _SENTENCE_MARK.search(c):
        return None
    if HEADING_START.match(c) or _meta_line(c) or _TAIL.match(c) or re.search(r"\d", c):
        return None
    return k


def _signers_above(lines: list[Line], i: int, start: int, most: int = 3) -> tuple[list[str], int]:
    """The organs signing on the lines right above line i (up to `most` lines of them, blank lines, a printed
    印章 mark and a web page's layout rules between), and the index of the first; ([], i) when none does."""
    signers: list[str] = []
    sig_start, k, seen = i, i - 1, 0
    while k >= start and seen < most:
        t = lines[k].text
        if not t or _SEAL.match(squash(t)) or is_furniture(t):
            k -= 1
            continue
        org = _signers(t)
        if org is None:
            break
        signers, sig_start, seen = org + signers, k, seen + 1
        k -= 1
    return signers, sig_start


def _above(lines: list[Line], i: int, start: int) -> int | None:
    """Index of the nearest line above i, within three and not before `start`, that holds words."""
    for k in range(i - 1, max(start, i - 4) - 1, -1):
        if lines[k].text and not is_furniture(lines[k].text):
            return k
    return None


def _undated_closing(lines: list[Line], start: int, end: int) -> Closing:
    """A web copy that dropped the 成文日期: the organ signing on the last line."""
    k = end - 1
    while k >= start and (not lines[k].text or is_furniture(lines[k].text) or _TAIL.match(squash(lines[k].text))):
        k -= 1
    if k > start and (org := _signers(lines[k].text)):
        # organs signing on the lines above it sign with it, as above a date (校工会 / 某研究会: xaut of
        # checklist-pages13, b9property of pages11; dated, on many pages of every set)
        above, first = _signers_above(lines, k, start + 1, most=2)
        return Closing(None, above + org, first, None, None)
    # the attachment list a page prints under the signature (附件： then its numbered file names)
    note = next((n for n in range(end - 1, max(start, end - 8), -1)
                 if re.match(r"^(相关)?附件\s*\d*\s*[：:]", squash(lines[n].text))), None)
    if note is not None and note < end - 1 and all(len(squash(l.text)) <= 40 for l in lines[note:end]):
        return _undated_closing(lines, start, note + 1)
    return Closing()


# what a web page prints under the signature: the office's address and phone, the site's footer,
# sharing and printing links, links to the next notice (gzu, sse, xmu pages; a copy of a notice
# may also keep its attachment's file name there)
_TAIL = re.compile(
    r"^(地址|通讯地址|通信地址|邮编|邮政编码|联系人|电话|联系电话|办公电话|传真|邮箱|电子邮箱|E-?mail|网址|(相关)?附件\d*[：:]|"
    r"版权所有|Copyright|©|技术支持|上一篇|下一篇|上一条|下一条|分享到|扫一扫|打印本页|关闭窗口|【?打印|【?关闭|返回|【?收藏)"
    # a news system's byline printed at the foot (【供稿单位:校工会 作者:… 编辑:…】: view.sdu page)
    r"|^[【\[（(](供稿|来源|作者|编辑|责任编辑|审核|撰稿|摄影)"
    r"|^[（(][^（）()]{1,12}[）)]$"  # (官方微信公众号)
    r"|^(19|20)\d{2}年\d{1,4}日$"  # a date line that cannot be read (2018年112日: 1-12 or 11-2)
    r"|\.(docx?|xlsx?|pdf|wps|zip|rar)$", re.I)


_SEAL = re.compile(r"^[（(]?(盖章|印章|公章|章|签章)[）)]?$")
_SIGNED_DATE = re.compile(rf"^(?P<by>.+?)\s+(?P<date>{DATE.pattern})\s*$")
_PRINTED = re.compile(rf"^(?P<by>.*?)\s*(?P<date>{DATE.pattern})\s*印发[。.]?$")
# a signing or 印发 line is short; on a long line (of digits, of spaced words) these patterns'
# lazy heads took time growing with the square of its length
_SIGNING_LINE = 200


def read_colophon(lines: list[Line]) -> Colophon:
    """版记: 抄送 and the 印发机关/印发日期 line among the last lines."""
    col = Colophon()
    nb = [l for l in lines if l.text and not is_page_number(l.text)]
    tail = nb[-10:]
    for j, l in enumerate(tail):
        c = squash(l.text)
        m = _PRINTED.match(l.text.strip()) if len(l.text) <= _SIGNING_LINE else None
        if m:
            col.printed_date = to_iso(DATE.search(m.group("date")))
            by = re.sub(r"印发$", "", squash(m.group("by")))  # 某办公室印发  2012年12月18日印发
            start = l.idx
            if not by and j > 0 and looks_like_organ(tail[j - 1].text):
                by = squash(tail[j - 1].text)
                start = tail[j - 1].idx
            col.printed_by = by or None
            col.start = start if col.start is None else min(col.start, start)
        elif re.match(r"^(抄送|抄报|主题词)[：:]", c):
            if c.startswith(("抄送", "抄报")):
                body = re.sub(r"^(抄送|抄报)[：:]", "", c).rstrip("。.")
                col.cc += split_recipients(body)
            col.start = l.idx if col.start is None else min(col.start, l.idx)
    return col


# a text with no title that calls itself a notice: 现将有关事项通知如下, 特此通知 (people read the
# 27 untitled real notices of 26 sites annotated in corpora/annotations/checklist as 通知)
_SELF_NOTICE = re.compile(r"通知如下|特此通知")
# …under a 主送 line, one that passes on a notice it cites: 现将《…的通知》转发给你们, 按《…的通知》要求
# (cztgi, miqisi, ahcme, diqing, ycpc, zzgh-ngb, hmc, nxtc, jnmc among those 27)
_CITED_NOTICE = re.compile(r"《[^《》]{2,100}?通知》|[转轉]发")


def doc_type(title: str | None, text: str = "", has_header: bool = True) -> str | None:
    """Kind of document from the end of its title (关于印发《…》的通知 is a 通知); with no title,
    a text that says 通知如下 or 特此通知, or under a 主送 line passes on a cited notice, is a
    通知. None for an untitled text under a 主送 line that says nothing of its kind."""
    if title:
        t = re.sub(r"([（(][^）)]{1,8}[）)])+$", "", squash(title))
        for ending, kind in _DOC_TYPES:
            if t.endswith(ending):
                return kind
    elif _SELF_NOTICE.search(text) or (has_header and _CITED_NOTICE.search(text)):
        return "通知"
    elif has_header:
        return None
    if not has_header and _NEWS.search(text[:600]):
        return "报道"
    return "其他"


def embedded_titles(title: str | None) -> list[str]:
    """X of 关于印发《X》的通知 / 关于转发《X》的通知."""
    if not title:
        return []
    m = _ISSUED_TITLE.search(title)
    if not m:
        return []
    return [squash(x) for x in re.findall(r"《([^》]+)》", title[m.end():])]


def _abbrev_match(prefix: str, organ: str) -> bool:
    """Is the 机关代字 an abbreviation of the organ? (长总工 → 长兴县总工会:
    its characters appear in order in the name)."""
    p = re.sub(r"[发字函电]$", "", to_simplified(prefix))
    if not p:
        return False
    organ = to_simplified(organ)
    pos = 0
    for ch in p:
        pos = organ.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def choose_issuer(doc_prefix: str | None, signers: list[str], letterhead_organs: list[str],
                  title: str | None, text: str = "", printed_by: str | None = None) -> str | None:
    """The organ that signs and numbers the document: the signer whose name the
    机关代字 abbreviates, else the first signer, else the letterhead's organ, else (a
    headerless text) the organ its title begins with or its news byline names, else
    the 印发机关. Several organs signing an unnumbered notice issue it together
    (校工会、妇委会), as people read such web notices."""
    if doc_prefix:
        # the 代字 is the best evidence of who numbers the document
        for pool in (signers, letterhead_organs):
            hits = [o for o in pool if _abbrev_match(doc_prefix, o)]
            if hits:
                # a 办 in the 代字 marks the 办公室; otherwise the shortest matching name
                # is the organ the abbreviation is closest to
                return min(hits, key=lambda o: (("办" in o) != ("办" in doc_prefix), len(o), pool.index(o)))
    # a joint 代字 that no one signer's name holds but the signers' names do, in their order (某师工 over
    # 某某师范学院体育运动委员会 and 工会, 某教工 over a city's 教育局 and its education union: gpnu and
    # fiilemail pages): they number it together
    joint = bool(doc_prefix) and len(signers) > 1 and _abbrev_match(doc_prefix, "".join(signers))
    if len(signers) > 1 and (not doc_prefix or joint):
        return "、".join(signers)
    for pool in (signers, letterhead_organs):
        if pool:
            return pool[0]
    return title_organ(title, text) or printed_by


_STRONG_ORGAN_END = ("总工会", "工会", "委员会", "联合会", "人民政府", "办公室", "办公厅", "党委", "党组", "局", "厅")


def title_organ(title: str | None, text: str = "") -> str | None:
    """The organ a headerless text names as its author: the one its title begins
    with ("九江市总工会办公室关于…", "修水县总工会开展…"), else a news byline
    ("（修水县总工会 供稿）")."""
    if title:
        t = squash(title)
        for j in range(min(len(t), 24), 2, -1):
            head = t[:j]
            if to_simplified(head).endswith(_STRONG_ORGAN_END) and looks_like_organ(head):
                return head
    m = re.search(r"[（(]\s*([\u3400-\u9fff]{3,24}?)\s*(?:供稿|供图|报道)", text[-400:])
    if m and looks_like_organ(m.group(1)):
        return m.group(1)
    return None


__all__ = [
    "Header", "Closing", "Colophon", "read_header", "find_closing", "read_colophon", "doc_type",
    "embedded_titles", "choose_issuer", "header_doc_number", "header_letterhead", "title_organ", "normalise_doc_number", "split_recipients", "TITLE_END",
    "bigram_sim", "date_only",
]
