"""PDF reader: PDFium (pypdfium2) for characters and ruling lines, pdfplumber's
grouping into words, lines and ruled tables on them (pdfminer itself only for
rotated pages and text; GONGWEN_PDF_READER=pdfplumber reads every page with it).

Turns a text PDF into one paragraph per line: page numbers and running
headers/footers are dropped, lines wrapped by layout and sentences split by a page
break are re-joined, ruled tables become tab-separated rows in place. Scanned,
encrypted and damaged files raise the matching `ingest.errors` class.
"""
from __future__ import annotations

import io
import re
import statistics
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile, EmptyFile, EncryptedFile
from ingest.readers.assemble import TextBuilder, clean_line
from ingest.settings import Settings

# --- line patterns -------------------------------------------------------------------

_DASH = "—–\\-－~～_"
PAGE_NUMBER = re.compile(
    rf"^(?:[{_DASH}]*\s*\d{{1,4}}\s*[{_DASH}]*"  # — 1 —, -1-, - 1 -, 1
    r"|第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?"  # 第1页 共3页
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"  # 共3页 第1页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 1/3
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
# A line that ends a sentence or a clause the next line must not be glued to.
_END = "。！？；：!?;:…"
_CLOSE_AFTER_END = re.compile(r"[。！？!?…][”’」』）)》]+$")
# A line that starts a numbered heading or a document element of its own.
HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十百]+\s*[）)]"
    r"|\d{1,2}\s*[、.．](?!\d{1,3}(?:\D|$))"  # 1. / 1、 / 5.2018年… but not 3.28 or 1.5倍
    r"|[（(]\s*\d{1,2}\s*[）)]"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]+\s*[编章节条部分]"
    # labels, not words: "印发给你们" or "附件2所列" may start a wrapped line
    r"|附\s*[件表]\s*[\d一二三四五六七八九十]*\s*(?:[:：]|$)|附\s*[:：]"
    r"|抄\s*送\s*[:：]|印\s*发\s*[:：]|主\s*送\s*[:：]|联\s*系\s*人|联系电话|(?:备\s*)?注\s*[:：])"
)
DOC_NUMBER = re.compile(r"[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d+\s*号\s*$")
# A date on its own line (成文日期); "2018年3月20日前上报" starting a wrapped line is text.
DATE_LINE = re.compile(
    r"^\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*(?:印发)?\s*$"
)
# "长 兴 县 总 工 会 文 件": single CJK characters separated by spaces.
LETTER_SPACED = re.compile(r"^(?:[\u4e00-\u9fff]\s+){2,}[\u4e00-\u9fff]$")


def is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.match(text.strip()))


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    return not t or t[-1] in _END or bool(_CLOSE_AFTER_END.search(t))


def starts_block(text: str) -> bool:
    return bool(HEADING_START.match(text.lstrip()))


def stands_alone(text: str) -> bool:
    """Lines that are document elements on their own (letterhead, 文号, date)."""
    t = text.strip()
    return bool(
        LETTER_SPACED.match(t) or DOC_NUMBER.search(t) or DATE_LINE.match(t) or (len(t) <= 24 and t.endswith("文件"))
    )


# --- geometry ------------------------------------------------------------------------


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    table: list[list[str]] | None = None  # a table rendered in place of its text

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    n_chars: int
    n_images: int


_CID = re.compile(r"\(cid:\d+\)")
# private-use and replacement glyphs, control characters; Latin-1/Latin Extended
# letters are candidates, counted only if they are letters (not × ° ± ·)
_BAD = re.compile("[\ue000-\uf8ff\ufffd\uffff\x00-\x1f]")
_LATIN = re.compile("[\x80-\u02ff]")


def _cid_ratio(text: str) -> float:
    """Share of characters that are font-map garbage: `(cid:123)` placeholders,
    private-use or replacement glyphs, control characters, and Latin-1/Latin
    Extended letters (what unmapped CJK glyph codes turn into)."""
    text = re.sub(r"\s+", "", text)
    if not text:
        return 0.0
    cid = sum(len(m) for m in _CID.findall(text))
    rest = _CID.sub("", text) if cid else text
    bad = len(_BAD.findall(rest)) + sum(1 for ch in _LATIN.findall(rest) if unicodedata.category(ch).startswith("L"))
    return (cid + bad) / len(text)


# what a library's failure on a damaged file says to a person (the library's own words are its `detail`)
DAMAGED = "PDF 文件已损坏，无法解析：请确认文件下载完整，或用 PDF 阅读器打开后另存一份再入库"
UNMAPPED = "PDF 字体缺少文字编码映射（ToUnicode），无法正确提取文字（请用原文件重新导出 PDF，或先做 OCR）"


def _open_checks(src: Path | bytes, *, pypdf_checks: bool = True) -> None:
    """Header, truncation and encryption checks before pdfplumber sees the file.
    PDFium makes the encryption and damage checks itself when it opens the file."""
    if isinstance(src, bytes):
        head, tail = src[:1024], src[-4096:]
    else:
        with open(src, "rb") as f:
            head = f.read(1024)
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 4096))
            tail = f.read()
    if b"%PDF-" not in head:
        raise CorruptFile("不是有效的 PDF 文件（缺少 %PDF 文件头）")
    if b"%%EOF" not in tail and b"startxref" not in tail:
        raise CorruptFile("PDF 文件不完整（可能下载或复制时被截断）")
    if not pypdf_checks:
        return
    import pypdf

    try:
        reader = pypdf.PdfReader(_stream(src), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - a cipher pypdf cannot run: pdfminer decides below
                ok = 1
            if not ok:  # an open password is set: the empty one does not open it
                raise EncryptedFile("PDF 已加密，无法读取（请提供未加密的文件）")
    except EncryptedFile:
        raise
    except Exception as e:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise CorruptFile(DAMAGED) from e


def _stream(src: Path | bytes):
    """What pdfplumber and pypdf open: a path, or the bytes as a file."""
    return io.BytesIO(src) if isinstance(src, bytes) else str(src)


def _extract_pages(path: Path | bytes) -> list[Page]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    pages: list[Page] = []
    try:
        with pdfplumber.open(_stream(path)) as pdf:
            for i, p in enumerate(pdf.pages):
                try:
                    pages.append(_page(p, i + 1))
                finally:
                    p.flush_cache()
    except PDFPasswordIncorrect as e:
        raise EncryptedFile("PDF 已加密，无法读取（请提供未加密的文件）") from e
    except (EncryptedFile, CorruptFile, ImportError):  # a missing library is not a damaged file (ingest.read)
        raise
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types on damaged files
        if "password" in str(e).lower() or "encrypt" in type(e).__name__.lower():
            raise EncryptedFile("PDF 已加密，无法读取（请提供未加密的文件）") from e
        raise CorruptFile(DAMAGED) from e
    return pages


def _has_overprint(chars: list[dict]) -> bool:
    """Whether a noticeable share of glyphs is printed twice at the same place
    (checked cheaply, since pdfplumber's dedupe_chars costs a quarter of the time)."""
    return _overprinted([(c.get("text"), c.get("x0", 0), c.get("top", 0)) for c in chars])


def _overprinted(keys: list[tuple]) -> bool:
    dup = len(keys) - len({(text, round(x0), round(top)) for text, x0, top in keys})
    return dup > max(3, len(keys) // 50)


def _page(p, number: int) -> Page:
    """One page through pdfplumber (pdfminer's interpreter): text and ruled tables."""
    width, height = float(p.width), float(p.height)
    if _has_overprint(p.chars):
        # Fake bold (each glyph printed twice, slightly offset) would read "关关于于".
        p = p.dedupe_chars(tolerance=1)
    tables = _real_tables(p.find_tables(), width) if (p.rects or p.lines or p.edges) else []
    raw = p.extract_text_lines(layout=False, strip=True, return_chars=True)
    return Page(number, width, height, _lines(raw, tables), len(p.chars), len(p.images))


def _real_tables(found, width: float) -> list:
    """(bbox, rows) of the tables pdfplumber's finder found that hold a real grid: the
    one place both readers (pdfplumber pages, PDFium shapes) decide what a table is."""
    tables = []
    for t in found:
        x0, _, x1, _ = t.bbox
        rows = t.extract()
        ncols = max((len(r) for r in rows), default=0)
        # Decorative rules (the red line under a letterhead) are found as tiny "tables".
        if len(rows) < 2 or ncols < 2 or (x1 - x0) < width * 0.2:
            continue
        tables.append((t.bbox, rows))
    return tables


def _lines(raw: list[dict], tables: list) -> list[Line]:
    """pdfplumber's text lines as `Line`s, tables in place of the text they hold."""
    lines: list[Line] = []
    for ln in raw:
        text = clean_line(ln["text"])
        if not text:
            continue
        sizes = ln.get("sizes") or [c.get("size", 0) for c in ln.get("chars", []) if c.get("text", " ").strip()]
        mid = (ln["top"] + ln["bottom"]) / 2
        cx = (ln["x0"] + ln["x1"]) / 2
        if any(b[1] - 1 <= mid <= b[3] + 1 and b[0] - 1 <= cx <= b[2] + 1 for b, _ in tables):
            continue  # the table renders this text
        lines.append(
            Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], _median(sizes) if sizes else 10.0)
        )
    for (x0, top, x1, bottom), rows in tables:
        lines.append(Line("", x0, x1, top, bottom, 10.0, table=rows))
    lines.sort(key=lambda l: (round(l.top), l.x0))
    return lines


def _median(xs) -> float:
    """statistics.median, without its overhead (once per line)."""
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def _pdfium_pages(path: Path | bytes) -> list[Page]:
    """Every page through PDFium: characters with pdfminer's boxes, grouped into
    lines the way pdfplumber groups them, and pdfplumber's table finder on the
    shapes pdfminer would make of the paths, so the pages are those of
    `_extract_pages`. A rotated page or text goes to pdfplumber (opened only when
    a page needs it)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    from ingest.readers import pdfium_page

    try:
        # from memory: PDFium reading the file itself makes many small reads
        doc = pdfium.PdfDocument(path if isinstance(path, bytes) else Path(path).read_bytes())
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedFile("PDF 已加密，无法读取（请提供未加密的文件）") from e
        raise CorruptFile(DAMAGED) from e
    pages: list[Page] = []
    plumber = None
    try:
        for i in range(len(doc)):
            # raw handles: the helper objects' finalizers cost a tenth of a page's time
            page = R.FPDF_LoadPage(doc.raw, i)
            if not page:
                raise CorruptFile(f"PDF 第 {i + 1} 页已损坏，无法解析")
            tp = R.FPDFText_LoadPage(page)
            try:
                box = pdfium_page.page_box(page)
                chars = pdfium_page.chars(tp, box[1]) if tp and box is not None else None
                if chars is None:
                    if plumber is None:
                        plumber = _open_plumber(path)
                    p = plumber.pages[i]
                    try:
                        pages.append(_page(p, i + 1))
                    finally:
                        p.flush_cache()
                    continue
                width, height = box
                n_images, shapes = pdfium_page.objects(page, height)
                n_chars = len(chars)
                ordered = pdfium_page.order(chars)
                if pdfium_page.overprinted(ordered):
                    chars = _dedupe(tp, chars)
                    ordered = pdfium_page.order(chars)
                tables = _ruled_tables(shapes, chars, width, height) if pdfium_page.ruled(shapes) else []
                raw = pdfium_page.text_lines(ordered)
                pages.append(Page(i + 1, width, height, _lines(raw, tables), n_chars, n_images))
            finally:
                if tp:
                    R.FPDFText_ClosePage(tp)
                R.FPDF_ClosePage(page)
    except (EncryptedFile, CorruptFile, ImportError):  # a missing library is not a damaged file (ingest.read)
        raise
    except Exception as e:  # noqa: BLE001 - PDFium and pdfminer raise many types on damaged files
        raise CorruptFile(DAMAGED) from e
    finally:
        if plumber is not None:
            plumber.close()
        doc.close()
    return pages


def _ruled_tables(shapes: dict[str, list[dict]], chars: list[tuple], width: float, height: float) -> list:
    """`_page`'s tables on PDFium's data: pdfplumber's TableFinder run on the
    lines, rectangles and curves pdfminer would make of the page's paths and on
    the characters as pdfplumber dicts."""
    from pdfplumber.container import Container
    from pdfplumber.table import TableFinder, TableSettings

    class Shim(Container):  # what TableFinder and Table.extract ask of a page
        def __init__(self, objects: dict, bbox: tuple):
            self._shapes, self.bbox = objects, bbox

        @property
        def objects(self) -> dict:
            return self._shapes

    objects = dict(shapes)
    keys = ("text", "x0", "x1", "top", "bottom", "size")
    objects["char"] = [dict(zip(keys, c), doctop=c[3], upright=True) for c in chars]
    return _real_tables(TableFinder(Shim(objects, (0, 0, width, height)), TableSettings.resolve(None)).tables, width)


def _dedupe(textpage, chars: list[tuple]) -> list[tuple]:
    """Fake bold through pdfplumber's `dedupe_chars`, as `_page` does it."""
    from pdfplumber.utils import dedupe_chars

    from ingest.readers import pdfium_page

    keys = ("text", "x0", "x1", "top", "bottom", "size")
    dicts = [dict(zip(keys, c), doctop=c[3], upright=True) for c in chars]
    pdfium_page.add_fontnames(textpage, dicts)
    return [tuple(d[k] for k in keys) for d in dedupe_chars(dicts, tolerance=1)]


def _open_plumber(path: Path | bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        return pdfplumber.open(_stream(path))
    except PDFPasswordIncorrect as e:
        raise EncryptedFile("PDF 已加密，无法读取（请提供未加密的文件）") from e


def _pdfium_text_pages(path: Path | bytes) -> list[Page]:
    """Text via PDFium, which maps glyphs through the font's own cmap more often
    than pdfminer does. No geometry: every line is treated as a full line. (The
    pdfplumber reader's fallback; the PDFium reader has the geometry.)"""
    import pypdfium2 as pdfium

    pages: list[Page] = []
    doc = pdfium.PdfDocument(path if isinstance(path, bytes) else str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            text = tp.get_text_range()
            width, height = page.get_size()
            lines = [
                Line(clean_line(t), 0.0, 0.0, float(k), float(k), 10.0)
                for k, t in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
                if clean_line(t)
            ]
            pages.append(Page(i + 1, width, height, lines, len(text.strip()), 0))
            tp.close()
            page.close()
    finally:
        doc.close()
    return pages


# --- cleaning ------------------------------------------------------------------------


def _strip_page_numbers(pages: list[Page]) -> None:
    for pg in pages:
        body = [l for l in pg.lines if l.table is None]
        if not body:
            continue
        edge = {id(body[0]), id(body[-1])}
        keep = []
        for l in pg.lines:
            if id(l) in edge and l.table is None and is_page_number(l.text):
                # Only near the top or bottom margin: a bare number inside the text stays.
                if l.top < pg.height * 0.15 or l.bottom > pg.height * 0.8 or l.x1 == 0.0:
                    continue
            keep.append(l)
        pg.lines = keep


def _strip_running(pages: list[Page]) -> None:
    """Drop a line that repeats at the top or bottom of most pages (≥ 3 pages)."""
    if len(pages) < 3:
        return

    def key(t: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", t))

    sizes = [l.size for pg in pages for l in pg.lines if l.table is None]
    body_size = statistics.median(sizes) if sizes else 0.0

    def in_margin(l: Line, pg: Page, where: str) -> bool:
        if l.x1 == 0.0:  # no geometry (PDFium fallback): position in the line order only
            return True
        # Headers and footers sit in the page margins, outside the text block, and are
        # set smaller than the body or at the very edge; a form title repeated at the
        # top of each attachment page is body-sized and stays.
        if where == "top":
            return l.bottom < pg.height * 0.12 and (l.size < body_size - 1 or l.bottom < pg.height * 0.06)
        return l.top > pg.height * 0.88 and (l.size < body_size - 1 or l.top > pg.height * 0.94)

    def candidates(pg: Page, where: str) -> list[Line]:
        body = [l for l in pg.lines if l.table is None]
        cand = body[:2] if where == "top" else body[-2:]
        return [l for l in cand if in_margin(l, pg, where)]

    for where in ("top", "bottom"):
        seen: Counter[str] = Counter()
        for pg in pages:
            seen.update({key(l.text) for l in candidates(pg, where)})
        need = max(3, (len(pages) + 1) // 2)
        running = {k for k, n in seen.items() if n >= need and k}
        if not running:
            continue
        for pg in pages:
            drop = {id(l) for l in candidates(pg, where) if key(l.text) in running}
            pg.lines = [l for l in pg.lines if id(l) not in drop]


def _right_margin(lines: list[Line], min_lines: int = 5) -> float | None:
    xs = [l.x1 for l in lines if l.table is None and len(l.text) >= 12]
    if len(xs) < min_lines:
        return None  # too few lines to tell the margin from a centred or short line
    return statistics.median(xs)


def _left_margin(lines: list[Line]) -> float | None:
    # Most long lines are continuation lines, which start at the left margin.
    xs = [l.x0 for l in lines if l.table is None and len(l.text) >= 12]
    if len(xs) < 3:
        return None
    return statistics.median(xs)


def _should_join(
    prev: Line, nxt: Line, right: float | None, width: float | None, page_width: float, same_page: bool
) -> bool:
    if prev.table is not None or nxt.table is not None:
        return False
    a, b = prev.text, nxt.text
    if ends_sentence(a) or starts_block(b) or stands_alone(a) or stands_alone(b):
        return False
    if prev.x1 == 0.0 and nxt.x1 == 0.0:
        # No geometry (pdfium fallback): join unless a sentence ended.
        return True
    size = max(prev.size, 6.0)
    if abs(prev.size - nxt.size) > 1.0:
        return False  # a title and the body, or body and a footnote
    if same_page and nxt.top - prev.bottom > max(prev.size, nxt.size) * 1.6:
        return False  # a vertical gap separates blocks
    if right is not None and prev.x1 >= right - size * 1.1:
        return True  # the previous line ran to the right margin: layout wrapped it
    # A centred title wrapped over two lines: both centred, same size, close together.
    mid = page_width / 2
    # Two lines of a centred title share their centre; a heading-less first line and
    # the 主送 line under it, both set at the paragraph indent, do not (their
    # centres differ by half their difference in length).
    centred = (
        abs(prev.center - mid) < size * 2 and abs(nxt.center - mid) < size * 2 and abs(prev.center - nxt.center) < size
    )
    if same_page and centred and abs(prev.size - nxt.size) < 0.5 and len(b) <= len(a) + 2:
        # A title is broken only when it must be: its first line fills most of the
        # width. Stacked organ names (joint signatures) are short; letterheads are
        # set larger than titles (> 26 pt) and stay on their own lines.
        # Organ names side by side ("长兴县总工会 长兴县旅游委员会") are a signature
        # line, not a title: a title has no space between two Chinese characters.
        long_enough = width is None or (prev.x1 - prev.x0) >= width * 0.6
        spaced = any(re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", t) for t in (a, b))
        return long_enough and not spaced and prev.size <= 26 and min(prev.x0, nxt.x0) > page_width * 0.08
    return False


def _assemble(pages: list[Page]) -> RawText:
    b = TextBuilder("pdf")
    all_lines = [l for pg in pages for l in pg.lines]
    doc_right = _right_margin(all_lines)
    doc_left = _left_margin(all_lines)
    # Notes under tables and footnotes are set smaller and often run to a narrower
    # right edge: lines of a smaller size get that size's own margin.
    body_lines = [l for l in all_lines if l.table is None]
    body_size = statistics.median([l.size for l in body_lines]) if body_lines else 0.0
    by_size: dict[int, list[Line]] = {}
    for l in body_lines:
        if l.size < body_size - 1 and l.x1:
            by_size.setdefault(round(l.size), []).append(l)
    small_right = {k: r for k, ls in by_size.items() if (r := _right_margin(ls, min_lines=2)) is not None}
    prev_width: float | None = None
    prev: Line | None = None
    prev_right: float | None = doc_right
    for pg in pages:
        b.page()
        # One margin for the whole file; a page of another size (a landscape form) gets its own.
        if pg.width == pages[0].width:
            right, left = doc_right, doc_left
        else:
            right, left = _right_margin(pg.lines, min_lines=3), _left_margin(pg.lines)
        width = right - left if right is not None and left is not None else None
        first = True
        for l in pg.lines:
            if l.table is not None:
                b.table(l.table, page=pg.number)
                prev = l
                first = False
                continue
            margin = prev_right if first else right
            if prev is not None and pg.width == pages[0].width and round(prev.size) in small_right:
                margin = small_right[round(prev.size)]
            if prev is not None and _should_join(
                prev, l, margin, prev_width if first else width, pg.width, same_page=not first
            ):
                b.extend(l.text)
                # keep the geometry of the line that now ends the joined text
            else:
                b.line(l.text)
            prev = l
            first = False
        prev_right, prev_width = right, width
    return b.build()


READERS = ("pdfium", "pdfplumber")
READER_ENV = "GONGWEN_PDF_READER"


def _ocr_scanned_pages(path: Path | bytes, pages: list[Page]) -> tuple[list[Page], dict | None]:
    """A text PDF's scanned pages (an image and no text layer: a signed last page, a scanned
    attachment) with the text OCR finds on them, and the OCR record (None when none was
    read). Without the OCR engine (not installed), over the OCR page limit or when OCR
    fails, the pages stay as they are and are named in the reader's warning."""
    scans = [pg.number for pg in pages if pg.n_chars == 0 and pg.n_images]
    if not scans:
        return pages, None
    try:
        from ingest.readers.ocr import ocr_scanned_pages

        found, record = ocr_scanned_pages(path, scans)
    except Exception:  # noqa: BLE001 - OCR missing, over its page limit or failing: the text pages stand
        return pages, None
    if not found:
        return pages, None
    return [found.get(pg.number, pg) for pg in pages], record


def read_pdf(path: Path | bytes, *, reader: str | None = None) -> RawText:
    """A PDF file, or its bytes (an upload: no temporary file unless OCR needs one).
    `reader`: "pdfium" (default, see `_pdfium_pages`) or "pdfplumber" (every page
    through pdfminer, the reader before PDFium; kept to compare the two). Default
    from $GONGWEN_PDF_READER."""
    if not isinstance(path, bytes):
        path = Path(path)
    reader = reader or Settings().pdf_reader or READERS[0]
    if reader not in READERS:
        raise ValueError(f"{READER_ENV}: unknown PDF reader {reader!r} (one of {', '.join(READERS)})")
    _open_checks(path, pypdf_checks=reader == "pdfplumber")
    pages = _pdfium_pages(path) if reader == "pdfium" else _extract_pages(path)
    if not pages:
        raise CorruptFile("PDF 文件中没有页面")
    n_chars = sum(pg.n_chars for pg in pages)
    text_len = sum(len(l.text) for pg in pages for l in pg.lines) + sum(
        len(c or "") for pg in pages for l in pg.lines if l.table for r in l.table for c in r
    )
    n_images = sum(pg.n_images for pg in pages)
    with_images = sum(1 for pg in pages if pg.n_images)
    # A scan: page images and (almost) no text. Scanner apps stamp a short watermark
    # ("扫描全能王") on each page, so "almost" is judged per page, not as zero.
    scanned = with_images * 2 >= len(pages) and text_len < 15 * len(pages)
    if n_chars == 0 or scanned or (len(pages) > 1 and text_len < 20):
        if n_images:
            from ingest.readers.ocr import ocr_pdf

            if isinstance(path, bytes):
                with tempfile.TemporaryDirectory(prefix="gongwen-") as tmp:
                    scan = Path(tmp) / "scan.pdf"
                    scan.write_bytes(path)
                    return ocr_pdf(scan)
            return ocr_pdf(path)
        raise EmptyFile("PDF 中没有任何文字")
    all_text = "".join(l.text for pg in pages for l in pg.lines)
    garbage = _cid_ratio(all_text)
    fallback = False
    if garbage > 0.05:
        # The other extractor may map the font where this one could not: pdfminer
        # after PDFium, PDFium's plain text after pdfminer (the fallback before the
        # PDFium reader, with a warning since it has no layout).
        try:
            alt = _extract_pages(path) if reader == "pdfium" else _pdfium_text_pages(path)
        except ImportError:
            raise
        except Exception:  # noqa: BLE001 - the other extractor failing leaves this text
            alt = []
        alt_text = "".join(l.text for pg in alt for l in pg.lines)
        alt_garbage = _cid_ratio(alt_text) if alt_text.strip() else 1.0
        if alt_garbage < garbage:
            pages, fallback, garbage = alt, reader == "pdfplumber", alt_garbage
        if garbage > 0.3:
            raise CorruptFile(UNMAPPED)
    pages, record = _ocr_scanned_pages(path, pages)
    # Running headers first: a page number printed under a header is then the page's first line.
    _strip_running(pages)
    _strip_page_numbers(pages)
    raw = _assemble(pages)
    if record:
        raw.ocr = record
        shown = "、".join(map(str, record["pages"]))
        raw.warnings.append(f"以下页面是扫描页（没有文字层），文字由 OCR 识别，请与原件核对：第 {shown} 页")
        if record["low_confidence_pages"]:
            raw.warnings.append(f"以下页面 OCR 置信度低于 {record['threshold']:.0%}，识别结果可能有误，请人工核对：第 "
                                + "、".join(map(str, record["low_confidence_pages"])) + " 页")
    if fallback:
        raw.warnings.append("PDF 字体编码缺失，已改用 PDFium 提取文字，版面（换行、表格）可能不准确")
    if _cid_ratio(raw.text) > 0.05:
        raw.warnings.append("PDF 中有大量无法映射的字形，部分文字可能是乱码")
    blank = [pg.number for pg in pages if pg.n_chars == 0 and pg.n_images]
    if blank:
        raw.warnings.append("以下页面没有文字层（可能是扫描页），未提取文字：第 " + "、".join(map(str, blank)) + " 页")
    return raw
