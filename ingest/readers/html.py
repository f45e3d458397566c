"""HTML reader for notices saved from (government) web pages.

Decodes the page (BOM, meta charset, then the shared text decoding), drops
scripts, navigation, headers, footers, sidebars and link-dense menu blocks, and
picks the article body: the block whose own paragraphs carry the most Chinese
sentence punctuation, with a bonus for the container names common on gov sites
(TRS_Editor, article, content, zoom, xxgk …). The page title and any 文号 found
outside the body (the 信息公开 meta table) are written before the body.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile
from ingest.readers.assemble import TextBuilder, clean_line
from ingest.readers.txt import CUT_SHORT, decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
# Not "form": ASP.NET pages wrap the whole body in one <form>.
_DROP = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "aside", "select",
         "button", "input", "textarea", "svg", "object", "embed", "template")
_HINT = re.compile(r"TRS_Editor|article|content|zoom|xxgk|detail|main|text|wzy|Custom_UnionStyle|news_con|con_|bt_content|body", re.I)
_BAD_HINT = re.compile(r"nav|menu|footer|header|sidebar|side|breadcrumb|crumb|share|comment|foot|top|banner|link|related|copyright|bottom", re.I)
_TITLE_HINT = re.compile(r"title|biaoti|tit|headline", re.I)
_PUNCT = re.compile("[，。；：、！？]")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*号")
_BLOCK = {"p", "div", "section", "article", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "dd", "dt", "dl", "center", "tr", "table", "tbody", "thead", "main", "address", "hr"}


def _decode(data: bytes, declared: str | None = None) -> tuple[str, str, str | None]:
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "ignore")
    return decode_text(data, declared=declared)


def _attrs(el) -> str:
    ident = el.get("id") or ""
    cls = el.get("class") or []
    return f"{ident} {' '.join(cls) if isinstance(cls, list) else cls}"


def _text_len(el) -> int:
    return len(re.sub(r"\s+", "", el.get_text()))


def _link_len(el) -> int:
    return sum(len(re.sub(r"\s+", "", a.get_text())) for a in el.find_all("a"))


def _score_candidates(body) -> dict:
    """Readability-style scoring: every element holding text of its own gives points
    (its punctuation and length) to itself, its parent and, halved, its grandparent."""
    from bs4 import NavigableString, Tag

    scores: dict = {}
    for el in body.find_all(True):
        if el.name in ("a", "table", "tr", "tbody"):
            continue
        own = "".join(str(c) for c in el.children if isinstance(c, NavigableString))
        own = re.sub(r"\s+", "", own)
        inline = "".join(
            re.sub(r"\s+", "", c.get_text()) for c in el.children
            if isinstance(c, Tag) and c.name in ("span", "font", "strong", "b", "em", "i", "u")
        )
        text = own + inline
        if len(text) < 10:
            continue
        pts = 1 + len(_PUNCT.findall(text)) + min(len(text) / 100, 3)
        node = el
        for weight in (1.0, 1.0, 0.5):  # itself, its parent, its grandparent
            if not isinstance(node, Tag) or node.name in ("html", "[document]"):
                break
            scores[id(node)] = (node, scores.get(id(node), (node, 0.0))[1] + pts * weight)
            node = node.parent
    return scores


def _best_blocks(body) -> list:
    """The article: the best-scoring block, plus sibling blocks that score at least
    a third as well (an article split over consecutive <div>s), in page order."""
    final: dict = {}
    for node, s in _score_candidates(body).values():
        tl = _text_len(node)
        if tl == 0:
            continue
        density = _link_len(node) / tl
        attrs = _attrs(node)
        if _HINT.search(attrs):
            s *= 1.5
        if _BAD_HINT.search(attrs) and not _HINT.search(attrs):
            s *= 0.3
        final[id(node)] = (node, s * (1 - min(density, 0.95)) ** 2)
    if not final:
        return []
    best, best_score = max(final.values(), key=lambda ns: ns[1])
    if best.parent is None:
        return [best]
    siblings = [
        sib for sib in best.parent.children
        if sib is best or (id(sib) in final and final[id(sib)][1] >= best_score / 3)
    ]
    return siblings


def _rows(table) -> list[list[str]]:
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # rows of a nested table are rendered inside their cell
        cells: list[str] = []
        for c in tr.find_all(["td", "th"], recursive=False):
            cells.append(c.get_text(" ", strip=True))
            try:
                span = min(int(c.get("colspan", 1)), 50)
            except (TypeError, ValueError):
                span = 1
            cells.extend([""] * (span - 1))  # keep columns aligned, as the DOCX reader does
        rows.append(cells)
    return rows


def _is_layout_table(table) -> bool:
    """Old sites lay pages out with tables; a table whose cells hold long paragraphs
    is layout, not data, and is read as text."""
    for cell in table.find_all(["td", "th"]):
        if cell.find(["p", "table", "div"]) is not None and _text_len(cell) > 200:
            return True
    return False


def _is_boilerplate(el) -> bool:
    """A share bar, link list or breadcrumb inside the chosen block. Attachment
    link lists (附件) are content and stay."""
    text = re.sub(r"\s+", "", el.get_text())
    if not text or "附件" in text:
        return False
    attrs = _attrs(el)
    if _BAD_HINT.search(attrs) and not _HINT.search(attrs):
        return True
    links = el.find_all("a")
    return len(links) >= 2 and _link_len(el) / len(text) > 0.6


def _emit(node, b: TextBuilder, buf: list[str]) -> None:
    from bs4 import Comment, NavigableString, Tag

    for c in node.children:
        if isinstance(c, Comment):
            continue
        if isinstance(c, NavigableString):
            buf.append(re.sub(r"\s+", " ", str(c)))
            continue
        if not isinstance(c, Tag):
            continue
        if c.name in ("div", "ul", "ol", "section", "dl") and _is_boilerplate(c):
            continue
        if c.name == "br":
            _flush(b, buf)
        elif c.name == "table" and not _is_layout_table(c):
            _flush(b, buf)
            b.table(_rows(c))
        elif c.name in _BLOCK or c.name in ("td", "th"):
            _flush(b, buf)
            _emit(c, b, buf)
            _flush(b, buf)
        else:
            _emit(c, b, buf)


def _flush(b: TextBuilder, buf: list[str]) -> None:
    if buf:
        b.line("".join(buf))
        buf.clear()


_TITLE_END = re.compile(r"(通知|通报|意见|办法|方案|决定|规定|细则|报告|公告|公示|批复|函|纪要|规划|要点|制度|条例|倡议书|决议)[)）]?$")


def _title(soup) -> str | None:
    """The notice's title: the heading that <title> also names, else a heading that
    reads like a 公文 title, else the longest part of <title> (site name cut off)."""
    page_title = clean_line(soup.title.get_text()) if soup.title else ""
    cands = []
    for el in soup.find_all(["h1", "h2", "h3", "div", "p", "td", "span", "strong", "b"]):
        if el.name in ("div", "p", "td", "span") and not _TITLE_HINT.search(_attrs(el)):
            continue
        if el.name in ("strong", "b") and el.find_parent(["p", "div"]) is None:
            continue
        if el.find_parent("a") is not None or el.find("a") is not None:
            continue  # a linked heading belongs to a list of other articles
        t = clean_line(el.get_text(" ", strip=True))
        if 4 <= len(t) <= 120 and re.search(r"[\u4e00-\u9fff]", t) and t not in cands:
            cands.append(t)
    if page_title:
        # The longest heading inside <title>: the site name (often in <h1>) is shorter.
        inside = [t for t in cands if t in page_title or (len(t) >= 8 and t[:8] in page_title)]
        if inside and len(max(inside, key=len)) >= 8:
            return max(inside, key=len)
    for t in cands:
        if len(t) >= 8 and _TITLE_END.search(t):
            return t
    if page_title:
        parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", page_title) if p.strip()]
        if parts and len(max(parts, key=len)) >= 8:
            return max(parts, key=len)
    return None


# Government pages nest a few dozen tags deep. A page nested thousands deep (broken or
# hostile) ran out of Python's recursion in the walk below after up to a minute of CPU.
MAX_DEPTH = 500


def _deeper_than(root, limit: int) -> bool:
    """Whether any tag under `root` is nested more than `limit` deep (iterative: no recursion)."""
    stack = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in getattr(el, "contents", ()) if hasattr(c, "contents"))
    return False


def read_html(path: Path) -> RawText:
    data = Path(path).read_bytes()
    raw = html_text(data)
    if _cut_page(data, raw):
        raw.warnings.append(CUT_PAGE)
    return raw


CUT_PAGE = "网页文件不完整（缺少 </html> 结尾，可能下载或复制时被截断），正文可能缺少末尾部分，请核对原文件"


def _cut_page(data: bytes, raw: RawText) -> bool:
    """A whole page (it opens <html> or <body>) that ends before closing both, while its
    text is long: a download or copy cut at a character boundary, which the decoding does
    not notice. A short page may leave its end tags out (HTML allows it); an embedded page
    (a DOCX chunk) and a web archive's page are judged by their container instead."""
    if CUT_SHORT in raw.warnings or len(re.sub(r"\s+", "", raw.text)) < 200:
        return False
    # NUL bytes dropped: a UTF-16 page's tags read as ASCII too
    head, tail = data[:4096].replace(b"\x00", b"").lower(), data[-65536:].replace(b"\x00", b"").lower()
    return (b"<html" in head or b"<body" in head) and b"</html" not in tail and b"</body" not in tail


_CUT_MHT = "单个文件网页（MHT）不完整（缺少结尾，可能下载或复制时被截断），正文可能缺少末尾部分，请核对原文件"


def read_mht(path: Path) -> RawText:
    """A web archive (MHT: "单个文件网页", and what office systems export as a .doc): the
    page inside it, read as a web page. The MIME structure is read by the standard library."""
    return mht_text(Path(path).read_bytes())


def mht_text(data: bytes) -> RawText:
    """A web archive's bytes as text (`read_mht`)."""
    import email
    import email.policy
    from email.errors import CloseBoundaryNotFoundDefect

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = list(message.walk())
    for i, part in enumerate(parts):
        if part.get_content_type() == "text/html":
            raw = html_text(part.get_payload(decode=True) or b"", declared=part.get_content_charset())
            raw.format = "mht"
            cut = any(isinstance(d, CloseBoundaryNotFoundDefect) for d in message.defects)
            if cut and i == len(parts) - 1 and _CUT_MHT not in raw.warnings:
                # the archive ends inside its page (no closing boundary): the text read may stop short
                raw.warnings.append(_CUT_MHT)
            return raw
    raise CorruptFile("MHT 文件中没有网页内容：请用 Word 或浏览器打开，另存为 .docx 或 .txt 后再入库")


def html_text(data: bytes, *, declared: str | None = None) -> RawText:
    """A web page's bytes as text; `declared` is a charset known from outside the page."""
    text, enc, cut = _decode(data, declared)
    from bs4 import BeautifulSoup, FeatureNotFound

    try:
        soup = BeautifulSoup(text, "lxml")
    except FeatureNotFound as e:
        # bs4's word for "lxml is not installed": the install is at fault, not the page
        # (an ImportError, which ingest.read turns into MissingTool)
        raise ModuleNotFoundError("lxml is not installed", name="lxml") from e
    except ImportError:
        raise
    except Exception as e:  # noqa: BLE001 - parser failure on a damaged page
        raise CorruptFile("网页文件无法解析：请在浏览器中打开，另存为 .txt 或 .docx 后再入库") from e
    if _deeper_than(soup, MAX_DEPTH):
        raise CorruptFile(f"网页的标签嵌套超过 {MAX_DEPTH} 层，不像正常网页，无法读取（可另存为 .txt 或 .docx 后再入库）")
    body = soup.body or soup
    # 文号 lines are often in the page's meta table, outside the article body.
    found = list(body.find_all(string=DOC_NUMBER))
    title = _title(soup)  # before <header> is dropped: the article's own <header> may hold it
    for el in body.find_all(_DROP):
        el.extract()
    blocks = _best_blocks(body) or [body]
    block = blocks[0] if len(blocks) == 1 else blocks[0].parent
    # Only a 文号 outside the article counts (inside it, 〔2018〕3号 is usually a cited document).
    numbers = []
    for node in found:
        if block is body or any(parent is blk for blk in blocks for parent in node.parents):
            continue
        m = DOC_NUMBER.search(str(node))
        if m and clean_line(m.group(0)) not in numbers:
            numbers.append(clean_line(m.group(0)))
    b = TextBuilder("html", encoding=enc)
    article = TextBuilder("html")
    for blk in blocks:
        buf: list[str] = []
        _emit(blk, article, buf)
        _flush(article, buf)
    art = article.build()
    if cut:
        art.warnings.append(cut)
    if len(re.sub(r"\s+", "", art.text)) < 50:
        art.warnings.append("网页正文内容很少（可能由脚本动态加载），请核对原网页")
    head_text = art.text[:400]
    if title and re.sub(r"\s+", "", title) not in re.sub(r"\s+", "", head_text):
        b.line(title)
    for n in numbers[:1]:
        if re.sub(r"\s+", "", n) not in re.sub(r"\s+", "", art.text):
            b.line(n)
    head = b.build()
    if not head.text:
        return RawText(text=art.text, format="html", encoding=enc, tables=art.tables, warnings=art.warnings)
    offset = len(head.text) + 2  # the head lines, then a blank line, then the article
    for t in art.tables:
        t.start = (t.start or 0) + offset
        t.end = (t.end or 0) + offset
    text = head.text + "\n\n" + art.text if art.text else head.text
    return RawText(text=text, format="html", encoding=enc, tables=art.tables, warnings=art.warnings)
