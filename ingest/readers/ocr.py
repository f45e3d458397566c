"""OCR of scanned pages (image-only PDFs, .png/.jpg/.tif) with RapidOCR: the
PP-OCRv4 detection and recognition models ship inside the `rapidocr-onnxruntime`
wheel and run offline on the CPU (engine choice and measurements: README, "OCR").

Each page is rasterised (pypdfium2) or loaded (Pillow), red seals are washed out
(a seal stamped over the 落款 and date garbles the black text under it), and the
recognised lines are turned into the PDF reader's `Page`/`Line` geometry in PDF
points, so the text PDF's assembly (page numbers, running headers, re-joined wrapped
lines) and everything after it run unchanged.

The document records that it was OCR'd and the mean line confidence (`RawText.ocr`);
pages whose confidence is below `LOW_CONFIDENCE` are named in a warning.
"""
from __future__ import annotations

import re
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ingest.document import RawText
from ingest.errors import MissingTool, ScanWithoutText, TooManyPages
from ingest.settings import Settings

DPI = 300
# A 500-page scan would hold a server worker for an hour: refuse it up front.
MAX_PAGES = Settings().ocr_max_pages  # GONGWEN_OCR_MAX_PAGES
# Mean line confidence below which a page is flagged for a person to check. Clean
# renderings score ≥ 0.97 per page; a page that is skewed, blurred or under a
# stamp drops towards 0.8 and is where recognition errors concentrate.
LOW_CONFIDENCE = Settings().ocr_min_confidence  # GONGWEN_OCR_MIN_CONFIDENCE
ENGINE = "rapidocr"
MAX_PIXELS = 40_000_000  # per rendered page (A4 at 300 dpi is 8.7 million)

Progress = Callable[[int, int], None]
_progress = threading.local()
_lock = threading.Lock()
_engine = None


@dataclass
class OcrLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    score: float
    table: list[list[str]] | None = None  # a ruled table found on the page, in place of its text

    @property
    def height(self) -> float:
        return self.bottom - self.top


# --- progress --------------------------------------------------------------------------


class progress_to:
    """Context manager: OCR page progress inside it goes to `callback(done, total)`
    (the reader is called through `ingest.load`, which has no progress argument)."""

    def __init__(self, callback: Progress | None):
        self.callback = callback

    def __enter__(self) -> None:
        self.prev = getattr(_progress, "cb", None)
        _progress.cb = self.callback

    def __exit__(self, *exc) -> None:
        _progress.cb = self.prev


def _report(done: int, total: int) -> None:
    cb = getattr(_progress, "cb", None)
    if cb is not None:
        cb(done, total)


# --- engine ----------------------------------------------------------------------------


def _get_engine():
    global _engine
    if _engine is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as e:
            raise MissingTool(
                "需要 OCR 组件 rapidocr-onnxruntime 才能识别扫描件：pip install rapidocr-onnxruntime"
            ) from e
        # Notices are upright: the 180° classifier only costs time and can flip a line.
        # ONNX Runtime's pool is one thread per core, spinning when another process holds
        # the core (ingest.threads): Settings.threads of them
        threads = Settings().threads
        pools = {"intra_op_num_threads": threads, "inter_op_num_threads": threads} if threads else {}
        _engine = RapidOCR(use_cls=False, print_verbose=False, **pools)
    return _engine


def suppress_seals(rgb):
    """Wash out red seals (公章): round red stamps 2-6 cm across. Inside a seal's box
    each pixel is replaced by its red channel, where red ink is near white and black
    print stays dark (what is left of the seal's ink, light grey, is lifted to white). The red letterhead and rule are long and flat, not round, and
    keep their colour: the letterhead is text the parser wants."""
    import cv2
    import numpy as np

    img = np.asarray(rgb)
    r, g, b = (img[..., i].astype(np.int16) for i in range(3))
    red = ((r > 110) & (r - np.maximum(g, b) > 50)).astype(np.uint8)
    if red.sum() < 200:
        return img
    h, w = red.shape
    # page width ≈ 210 mm (A4) unless a photo says otherwise: enough for a size window
    px_mm = w / 210.0
    k = max(3, int(px_mm * 1.5)) | 1
    grown = cv2.dilate(red, np.ones((k, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    out = None
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if not (20 * px_mm <= bw <= 70 * px_mm and 20 * px_mm <= bh <= 70 * px_mm):
            continue
        if not 0.7 <= bw / bh <= 1.45:
            continue
        if out is None:
            out = img.copy()
        box = out[y : y + bh, x : x + bw]
        lifted = box[..., :1].copy()
        lifted[lifted > 180] = 255  # the faint trace of the seal's own characters
        box[...] = lifted
    return img if out is None else out


def _rows(boxes: list[OcrLine]) -> Iterator[list[OcrLine]]:
    """Group detected boxes into printed lines: boxes that overlap vertically by more
    than half the smaller height are one line (a date split by a seal, two signing
    organs side by side), read left to right."""
    rows: list[list[OcrLine]] = []
    for bx in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        for row in rows[-3:]:
            top, bottom = min(b.top for b in row), max(b.bottom for b in row)
            overlap = min(bottom, bx.bottom) - max(top, bx.top)
            if overlap > 0.5 * min(bx.height, bottom - top):
                row.append(bx)
                break
        else:
            rows.append([bx])
    for row in rows:
        yield sorted(row, key=lambda b: b.x0)


def _merge(row: list[OcrLine]) -> OcrLine:
    text = row[0].text
    for a, b in zip(row, row[1:]):
        gap = b.x0 - a.x1
        # Chinese is set solid, so a gap of half a glyph between two detected boxes is
        # a printed space (two signing organs side by side: the parser splits there).
        text += (" " if gap > 0.5 * max(a.height, b.height) else "") + b.text
    chars = [len(b.text) for b in row]
    score = sum(b.score * n for b, n in zip(row, chars)) / max(1, sum(chars))
    return OcrLine(
        text, min(b.x0 for b in row), max(b.x1 for b in row), min(b.top for b in row), max(b.bottom for b in row), score
    )


_CJK = re.compile(r"[\u4e00-\u9fff]")
_PAIRS = {"〔": "〕", "【": "】", "[": "]", "［": "］", "(": ")", "（": "）"}
_PAGE_NUMBER = re.compile(r"^\s*[-—–一－~～]+\s*(\d{1,4})\s*[-—–一－~～]+\s*$")
_YEAR_BRACKETS = re.compile(r"([〔【\[［(（])(\s*(?:19|20)\d{2}\s*)([〕】\]］)）])")


def fix_punctuation(text: str, state: list[bool] | None = None) -> str:
    """The recogniser's half-width stand-ins in Chinese lines: straight quotes for
    “ ” ‘ ’ (paired in order, so the parser's quote matching holds), and a 文号
    year closed by another bracket than it opened with (〔2025】). `state` carries
    the open quotes from line to line (a quotation wrapped over two lines)."""
    state = state if state is not None else [False, False]
    m = _PAGE_NUMBER.match(text)
    if m:  # "— 3 —" read as "一3一" would stay in the text as a sentence
        return f"— {m.group(1)} —"
    if not _CJK.search(text):
        return text
    out = []
    open_double, open_single = state
    for i, ch in enumerate(text):
        if ch == '"':
            ch = "”" if open_double else "“"
        elif ch == "'":
            near_cjk = bool(_CJK.match(text[i - 1 : i] or " ")) or bool(_CJK.match(text[i + 1 : i + 2] or " "))
            if not near_cjk and not open_single:
                out.append(ch)
                continue
            ch = "’" if open_single else "‘"
        if ch == "“":
            open_double = True
        elif ch == "”":
            open_double = False
        elif ch == "‘":
            open_single = True
        elif ch == "’":
            open_single = False
        out.append(ch)
    state[:] = [open_double, open_single]
    text = _bracket_widths("".join(out))
    return _YEAR_BRACKETS.sub(lambda m: m.group(1) + m.group(2) + _PAIRS[m.group(1)], text)


_WIDE = {"(": "（", ")": "）"}


def _bracket_widths(text: str) -> str:
    """A pair of round brackets the recogniser read in two widths, （市、区) or
    (市、区）, set full-width as the other half is: the parser and the checklist
    match Chinese brackets."""
    chars = list(text)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch in "(（":
            stack.append(i)
        elif ch in ")）" and stack:
            j = stack.pop()
            if (chars[j] == "（") != (ch == "）"):
                chars[j], chars[i] = _WIDE.get(chars[j], chars[j]), _WIDE.get(ch, ch)
    return "".join(chars)


def _spaced(text: str, words: list, ink=None, box: tuple[int, int, int, int] | None = None) -> str:
    """The recogniser drops the spaces inside a detected line. Chinese is set solid
    (a tenth of a glyph between two), so a blank stretch of the printed line (`ink`:
    the page's dark pixels; `box`: the line's x0, top, x1, bottom in pixels) at
    least 0.3 glyph wide, where the
    recogniser puts the boundary between two Chinese characters, is a printed
    space: joint signing organs side by side, a letter-spaced name before its
    title in a list of members (the parser splits there, as in a text PDF). The
    recogniser's own glyph positions are too loose for this (seen a third of a
    glyph off); without the image they are the fallback."""
    try:
        boxes, parts = words[0], words[1]
        if not boxes or len(boxes) != len(parts) or "".join(parts) != text.replace(" ", ""):
            return text
        spans = [(min(p[0] for p in b), max(p[0] for p in b)) for b in boxes]
        widths = sorted(x1 - x0 for (x0, x1), w in zip(spans, parts) if len(w) == 1 and _CJK.match(w))
        if len(widths) < 3:
            return text
        pitch = widths[len(widths) // 2]
        blanks = _blank_runs(ink, box, pitch) if ink is not None and box is not None else None
        gaps = sorted(b[0] - a[1] for a, b in zip(spans, spans[1:]))
        usual = max(0.0, gaps[len(gaps) // 2]) if gaps else 0.0
        out = parts[0]
        last = len(parts) - 1
        for i, ((a, b), (prev, cur)) in enumerate(zip(zip(spans, spans[1:]), zip(parts, parts[1:])), start=1):
            cjk = _CJK.match(prev[-1]) and _CJK.match(cur[0])
            if blanks is not None:
                # both: the recogniser's glyph boxes apart by more than the line's
                # usual gap (a narrow glyph such as 日 or 了 leaves a blank of 0.3
                # glyph on its own), and blank paper where they part
                mid = (a[1] + b[0]) / 2
                space = b[0] - a[1] - usual > pitch / 5 and any(
                    x0 - pitch * 0.15 <= mid <= x1 + pitch * 0.15 for x0, x1 in blanks
                )
            else:
                # glyph positions are least precise at the ends of a line (seen off
                # by a third of a glyph there, inside a word)
                space = 2 <= i <= last - 3 and b[0] - a[1] > pitch / 3
            out += (" " if cjk and space else "") + cur
        return out
    except (IndexError, TypeError, ValueError):
        return text


def _blank_runs(ink, box: tuple[int, int, int, int], pitch: float) -> list[tuple[int, int]]:
    """Stretches of a printed line with no ink at least 0.3 glyph wide, in page
    pixels, over the line's height less a tenth at each edge (the detected box can
    reach into the lines above and below; a glyph's middle rows alone have wide
    blanks, as each side of 工)."""
    import numpy as np

    x0, top, x1, bottom = box
    h = bottom - top
    rows = ink[max(0, top + h // 10) : max(0, bottom - h // 10), max(0, x0) : max(0, x1)]
    if rows.size == 0:
        return []
    empty = ~rows.any(axis=0)
    runs, start = [], None
    for x, e in enumerate(np.append(empty, False)):
        if e and start is None:
            start = x
        elif not e and start is not None:
            if x - start >= 0.3 * pitch:
                runs.append((x0 + start, x0 + x))
            start = None
    return runs


def recognise(img) -> list:
    """The engine's raw result for one page image: [box points, text, score, word boxes]
    per detected line (a separate step so a benchmark can keep it between runs)."""
    eng = _get_engine()
    with _lock:  # one page at a time: the ONNX sessions already use every core
        result, _ = eng(img, return_word_box=True)
    return result or []


def ocr_lines(rgb, dpi: float) -> list[OcrLine]:
    """Lines of one page image in reading order, coordinates in PDF points (1/72 in;
    `dpi` 0: pixels)."""
    import numpy as np

    img = suppress_seals(rgb)
    result = recognise(img)
    unit = 72.0 / dpi if dpi else 1.0
    pixels = np.asarray(img)
    ink = pixels.max(axis=2) < 140  # black print: not the red letterhead, not a washed-out seal
    printed = pixels.min(axis=2) < 140  # print of any colour, for the gaps inside a line
    boxes = []
    for pts, text, score, *words in result:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        text = _spaced(text, words, printed, (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)).strip()
        if not text:
            continue
        boxes.append(OcrLine(text, min(xs) * unit, max(xs) * unit, min(ys) * unit, max(ys) * unit, float(score)))
    _closing_quotes(ink, unit, boxes)
    tables = _tables(img, unit, boxes) if boxes else []
    if tables:
        boxes = [b for b in boxes if not any(_inside(b, t) for t in tables)]
    lines = [_merge(r) for r in _rows(boxes)]
    quotes = [False, False]
    for line in lines:
        line.text = fix_punctuation(line.text, quotes)
    return sorted(lines + tables, key=lambda l: l.top) if tables else lines


def _closing_quotes(ink, unit: float, boxes: list[OcrLine]) -> None:
    """A closing quote at the end of a printed line is often left out of the detected
    box (its ink is two small ticks at the top left of its cell), which leaves the
    quotation open and changes a title (“上饶工匠人选). When a box ends inside a
    quotation it opened itself, and just right of it there is ink in the upper half
    of the line only, not inside another box, that ink is the closing quote."""
    import numpy as np

    for b in boxes:
        state = [False, False]
        fix_punctuation(b.text, state)
        # the quotation must hold something: a box ending on “ itself may have cut
        # off part of that glyph's own ink
        opened = max(b.text.rfind("“"), b.text.rfind('"'))
        if not state[0] or opened < 0 or not _CJK.search(b.text[opened + 1 :]):
            continue
        top, bottom = int(b.top / unit), int(b.bottom / unit) + 1
        h = bottom - top
        x0 = int(b.x1 / unit) + 1
        x1 = x0 + int(0.9 * h)
        if any(o is not b and o.x0 / unit < x1 and o.x1 / unit > x0 and o.top / unit < bottom and o.bottom / unit > top
               for o in boxes):
            continue
        region = ink[top:bottom, x0:x1]
        rows = np.nonzero(region.any(axis=1))[0]
        cols = np.nonzero(region.any(axis=0))[0]
        if len(rows) < 2 or len(cols) < 2 or cols[0] > 0.3 * h:
            continue
        if rows[-1] < 0.55 * h:
            b.text += "”"
            b.x1 = (x0 + cols[-1]) * unit


# --- ruled tables ----------------------------------------------------------------------


def _inside(box: OcrLine, table: OcrLine) -> bool:
    cx, cy = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return table.x0 - 1 <= cx <= table.x1 + 1 and table.top - 1 <= cy <= table.bottom + 1


def _rules(img, unit: float) -> dict[str, list[dict]]:
    """The page's printed rules as pdfplumber "line" objects in points: long dark
    horizontal and vertical runs of ink (a morphological opening keeps runs longer
    than any glyph's stroke). Rules are black: the red letterhead rule, which the
    darkest-channel test leaves out, is not a table's edge."""
    import cv2
    import numpy as np

    ink = (np.asarray(img).max(axis=2) < 140).astype(np.uint8)
    h, w = ink.shape
    px_mm = (1 / unit) / 25.4 * 72 if unit != 1.0 else w / 210.0
    page_h = h * unit
    shapes: dict[str, list[dict]] = {"line": [], "rect": [], "curve": []}
    # a glyph's horizontal stroke is at most one em (≈ 6 mm at 16 pt), a vertical one
    # about as long; a table's rules run across cells of ≥ 8 mm
    for horizontal, length in ((True, 10.0), (False, 8.0)):
        k = max(3, int(length * px_mm))
        kernel = np.ones((1, k) if horizontal else (k, 1), np.uint8)
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _ = (float(v) for v in stats[i])
            if horizontal:
                x0, x1 = x * unit, (x + bw) * unit
                top = bottom = (y + bh / 2) * unit
            else:
                x0 = x1 = (x + bw / 2) * unit
                top, bottom = y * unit, (y + bh) * unit
            shapes["line"].append({
                "object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
                "y0": page_h - bottom, "y1": page_h - top, "width": x1 - x0, "height": bottom - top,
                "pts": [(x0, top), (x1, bottom)],
            })
    return shapes


def _glyph_boxes(box: OcrLine) -> Iterator[tuple]:
    """A detected line cut into one box per character (pdfplumber char tuples), the
    width shared out as printed: a Chinese glyph a full cell, a digit or Latin letter
    about half. Neighbouring glyphs touch, so the table's text extraction puts no
    space between them: a gap inside one detected line of a cell is the cell's
    padding or a wide glyph, not a printed space (`_spaced` reads such gaps
    between side-by-side signing organs, which a cell does not hold)."""
    weights = [0.0 if c == " " else 1.0 if ord(c) > 0x2E7F else 0.55 for c in box.text]
    pitch = (box.x1 - box.x0) / max(sum(weights), 1e-6)
    x = box.x0
    size = box.height / 0.9
    for c, wgt in zip(box.text, weights):
        if c != " ":
            yield (c, x, x + wgt * pitch, box.top, box.bottom, size)
        x += wgt * pitch


def _tables(img, unit: float, boxes: list[OcrLine]) -> list[OcrLine]:
    """Ruled tables of a page image, found as a text PDF's are: pdfplumber's table
    finder on the rules (`_rules`) and the recognised characters, so merged cells,
    empty cells and rows come out as the text PDF reader gives them."""
    from ingest.readers.pdf import _ruled_tables
    from ingest.readers.pdfium_page import ruled

    shapes = _rules(img, unit)
    if not ruled(shapes):
        return []
    h, w = img.shape[:2]
    chars = [g for b in boxes for g in _glyph_boxes(b)]
    out = []
    for (x0, top, x1, bottom), rows in _ruled_tables(shapes, chars, w * unit, h * unit):
        rows = [[fix_punctuation(c) if c else c for c in row] for row in rows]
        inside = [b for b in boxes if x0 - 1 <= (b.x0 + b.x1) / 2 <= x1 + 1 and top - 1 <= (b.top + b.bottom) / 2 <= bottom + 1]
        n = sum(len(b.text) for b in inside)
        score = sum(b.score * len(b.text) for b in inside) / n if n else 1.0
        # the text stands for the table's characters in the confidence and the
        # no-Chinese check; the page assembly renders the rows
        text = "\n".join("".join(c or "" for c in row) for row in rows)
        out.append(OcrLine(text, x0, x1, top, bottom, score, table=rows))
    return out


# --- pages -----------------------------------------------------------------------------


def _glyphs(text: str) -> float:
    """Width of a text's ink in CJK glyphs: Latin letters and digits are about half
    one, and a closing 。，」 ends half-way through its cell."""
    text = "".join(text.split())
    n = sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)
    if text and text[-1] in "。，、；：？！”’）》」』":
        n -= 0.5
    return n


def _size(line: OcrLine) -> float:
    """Font size in points. A detected box is ~0.9 × the font size high but varies by
    ±15 % from line to line; the pitch of CJK glyphs (width over characters) is
    steadier on lines of several characters."""
    h = line.height / 0.9
    n = _glyphs(line.text)
    if n >= 4:
        pitch = (line.x1 - line.x0) / n
        if 0.6 * h <= pitch <= 1.4 * h:
            return pitch
    return h


def _snap(line: OcrLine) -> float:
    """How far (a fraction of the body size) a line's measured size may be from the
    body's and still be body text. The pitch of a long unbroken Chinese line is
    measured to ±6 %: there a larger difference is a heading set a size above the
    body (a 正文 title at 17 pt over 15.5 pt body text measures 9-10 % larger). A
    short line, or one with printed spaces (the gap is not a glyph), is measured
    less well."""
    text = line.text.strip()
    return 0.075 if _glyphs(text) >= 12 and " " not in text else 0.12


def _to_pages(ocr_pages: list[tuple[float, float, list[OcrLine]]]):
    """The PDF reader's `Page`s from OCR lines. Sizes near the body size (`_snap`)
    are set to it: the assembly compares sizes to 1 pt to tell a title from the body."""
    from ingest.readers.pdf import Line, Page, is_page_number

    sized = [[(l, _size(l)) for l in lines] for _, _, lines in ocr_pages]
    last = None  # the line above: on a page's first line, the previous page's last
    for page in sized:
        # A line of one to three glyphs (the tail of a wrapped title or sentence, the
        # end of a sentence carried over to the next page) has only its box height
        # to go by, which the detector pads more on a short line (measured 0.9-1.5×
        # the font size): it takes the size of the line above when that is near, so
        # the assembly can re-join the two.
        for i, (l, s) in enumerate(page):
            if last is not None and l.table is None and last[0].table is None and _glyphs(l.text) < 4 \
                    and 0.6 * last[1] <= s <= 1.6 * last[1]:
                page[i] = (l, last[1])
            if not is_page_number(l.text):  # a page's foot: the sentence runs on above it
                last = page[i]
    body_sizes = [s for page in sized for l, s in page if len(l.text) >= 10 and l.table is None]
    body = statistics.median(body_sizes) if body_sizes else None
    pages = []
    for n, ((width, height, lines), page) in enumerate(zip(ocr_pages, sized), start=1):
        out = []
        for l, s in page:
            if l.table is not None:  # as the text PDF reader places a table
                out.append(Line("", l.x0, l.x1, l.top, l.bottom, 10.0, table=l.table))
                continue
            if body and abs(s - body) <= _snap(l) * body:
                s = body
            out.append(Line(l.text, l.x0, l.x1, l.top, l.bottom, round(s, 1)))
        pages.append(Page(n, width, height, out, sum(len(l.text) for l in lines), 1))
    return pages


def _chinese(lines: Iterable[OcrLine]) -> int:
    return sum(len(re.findall(r"[\u4e00-\u9fff]", l.text)) for l in lines)


def assemble(ocr_pages: list[tuple[float, float, list[OcrLine]]], fmt: str) -> RawText:
    """Text of OCR'd pages through the PDF reader's assembly, with the OCR record."""
    from ingest.readers.pdf import _assemble, _strip_page_numbers, _strip_running

    if _chinese(l for _, _, lines in ocr_pages for l in lines) < 10:
        raise ScanWithoutText("扫描件中没有识别出中文文字（OCR 未找到可用的文本），未入库")
    pages = _to_pages(ocr_pages)
    _strip_running(pages)
    _strip_page_numbers(pages)
    raw = _assemble(pages)
    raw.format = fmt
    scores = [(l.score, len(l.text)) for _, _, lines in ocr_pages for l in lines]
    mean = sum(s * n for s, n in scores) / max(1, sum(n for _, n in scores))
    per_page = []
    for _, _, lines in ocr_pages:
        chars = sum(len(l.text) for l in lines)
        per_page.append(round(sum(l.score * len(l.text) for l in lines) / chars, 4) if chars else None)
    low = [i + 1 for i, c in enumerate(per_page) if c is not None and c < LOW_CONFIDENCE]
    raw.ocr = {
        "engine": ENGINE,
        "mean_confidence": round(mean, 4),
        "page_confidence": per_page,
        "low_confidence_pages": low,
        "threshold": LOW_CONFIDENCE,
    }
    raw.warnings.append(f"文字由 OCR 识别（扫描件，平均置信度 {mean:.0%}），请与原件核对")
    if low:
        raw.warnings.append(
            f"以下页面 OCR 置信度低于 {LOW_CONFIDENCE:.0%}，识别结果可能有误，请人工核对：第 "
            + "、".join(map(str, low))
            + " 页"
        )
    return raw


def _check_pages(n: int) -> None:
    if n > MAX_PAGES:
        raise TooManyPages(f"扫描件共 {n} 页，超过 OCR 页数上限 {MAX_PAGES} 页（可设置 GONGWEN_OCR_MAX_PAGES）")


def _rgb(img):
    from PIL import Image

    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, "white")
        return Image.alpha_composite(white, img).convert("RGB")
    return img.convert("RGB")


def _scanned_image(page, width: float):
    """The scanner's own pixels when the page is one image covering it: rendering
    the page again would resample a 200 dpi scan to 300 dpi for nothing."""
    import pypdfium2.raw as pdfium_c

    try:
        if page.get_rotation():
            return None, 0
        images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=1))
        if len(images) != 1:
            return None, 0
        x0, y0, x1, y1 = images[0].get_bounds()
        pw, ph = page.get_size()
        if (x1 - x0) * (y1 - y0) < 0.9 * pw * ph:
            return None, 0
        img = images[0].get_bitmap(render=True).to_pil()
        dpi = img.size[0] / ((x1 - x0) / 72)
        if not 150 <= dpi <= 600:
            return None, 0  # a thumbnail-sized or huge image: render the page instead
        return img, dpi
    except ImportError:  # a missing library (Pillow) is not an image PDFium cannot decode (ingest.read)
        raise
    except Exception:  # noqa: BLE001 - an image PDFium cannot decode alone: render the page
        return None, 0


def _ocr_pages(source: Path | bytes, numbers: list[int] | None, dpi: int) -> list[tuple[float, float, list[OcrLine]]]:
    """OCR the pages `numbers` (1-based; None: every page) of a PDF file or its bytes."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        indices = range(len(doc)) if numbers is None else [n - 1 for n in numbers]
        _check_pages(len(indices))
        _report(0, len(indices))  # said before the first page: it alone takes seconds
        pages = []
        for done, i in enumerate(indices, start=1):
            page = doc[i]
            width, height = page.get_size()
            img, page_dpi = _scanned_image(page, width)
            if img is None:
                # a poster-sized page at 300 dpi would take gigabytes: cap the pixels
                page_dpi = min(dpi, 72 * (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                img = page.render(scale=page_dpi / 72).to_pil()
            page.close()
            pages.append((width, height, ocr_lines(np.asarray(_rgb(img)), page_dpi)))
            _report(done, len(indices))
    finally:
        doc.close()
    return pages


def ocr_pdf(path: Path, *, dpi: int = DPI) -> RawText:
    """OCR every page of an image-only PDF."""
    return assemble(_ocr_pages(path, None, dpi), "pdf")


def ocr_scanned_pages(source: Path | bytes, numbers: list[int], *, dpi: int = DPI) -> tuple[dict[int, object], dict]:
    """The pages `numbers` of a text PDF that are scans (no text layer, an image), as the
    PDF reader's `Page`s with the text OCR found, by page number (a page where OCR finds
    no Chinese is left out: a photo, a seal alone); and the OCR record of those pages."""
    ocr_pages = _ocr_pages(source, numbers, dpi)
    found = {}
    for number, page, (_, _, lines) in zip(numbers, _to_pages(ocr_pages), ocr_pages):
        if _chinese(lines) >= 10:
            page.number = number
            found[number] = page
    scores = [(l.score, len(l.text)) for n, (_, _, lines) in zip(numbers, ocr_pages) if n in found for l in lines]
    mean = sum(s * n for s, n in scores) / max(1, sum(n for _, n in scores))
    low = []
    for n, (_, _, lines) in zip(numbers, ocr_pages):
        chars = sum(len(l.text) for l in lines)
        if n in found and chars and sum(l.score * len(l.text) for l in lines) / chars < LOW_CONFIDENCE:
            low.append(n)
    record = {"engine": ENGINE, "mean_confidence": round(mean, 4), "pages": sorted(found),
              "low_confidence_pages": low, "threshold": LOW_CONFIDENCE}
    return found, record


def read_image(path: Path) -> RawText:
    """OCR a scanned image (.png/.jpg/.tif; every frame of a multi-page TIFF)."""
    import numpy as np
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    from ingest.errors import CorruptFile, FileTooLarge

    try:
        im = Image.open(path)
        n = getattr(im, "n_frames", 1)
        _check_pages(n)
        # decode the first frame before saying OCR runs: a cut or damaged image then fails with its
        # one error line, not after a progress line that promised pages
        im.load()
        _report(0, n)
        pages = []
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            frame = ImageOps.exif_transpose(frame).convert("RGB")
            w, h = frame.size
            dpi = frame.info.get("dpi", (0, 0))[0] or 0
            if not 70 <= dpi <= 1200:
                # unknown resolution (a phone photo): take the page to be A4 wide
                dpi = w / (210 / 25.4)
            if w * h > MAX_PIXELS:
                # a 600 dpi A3 scan (70 million pixels) took 1.6 GB to recognise: the PDF path's cap
                scale = (MAX_PIXELS / (w * h)) ** 0.5
                frame = frame.resize((max(1, int(w * scale)), max(1, int(h * scale))), Image.LANCZOS)
                dpi *= frame.size[0] / w
                w, h = frame.size
            pages.append((w * 72 / dpi, h * 72 / dpi, ocr_lines(np.asarray(frame), dpi)))
            _report(i + 1, n)
    except Image.DecompressionBombError as e:
        raise FileTooLarge("图片像素过多（超过 1.8 亿像素），疑似异常文件，请以 300 dpi 以下重新扫描") from e
    except UnidentifiedImageError as e:
        raise CorruptFile("图片文件已损坏，或不是 PNG、JPEG、TIFF 图片：请确认它能用看图软件打开") from e
    except (OSError, SyntaxError) as e:  # Pillow's words for a file that ends early or holds bad data
        raise CorruptFile("图片文件已损坏或不完整（可能下载或复制时被截断）：请重新扫描或导出后再入库") from e
    return assemble(pages, "image")
