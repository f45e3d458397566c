"""What the PDF reader needs from one page, read through PDFium (pypdfium2):
characters with the boxes pdfminer would give them, grouped into lines the way
pdfplumber groups them; the page's image count; its paths as the lines,
rectangles and curves pdfminer would make of them (for pdfplumber's table finder).

PDFium runs the content stream in C, about twenty times faster than pdfminer's
interpreter. Pages this module cannot place the way pdfminer does (rotated page
or text, a MediaBox not at the origin) are left to pdfplumber.
"""
from __future__ import annotations

import ctypes
import re
import threading
from collections import deque
from itertools import compress, groupby, repeat
from operator import add, and_, eq, gt, itemgetter, mul, ne, or_, sub

import pypdfium2.raw as R

# PDFium inserts spaces and line breaks of its own between text runs (flagged as generated).
_WHITESPACE = frozenset(" \r\n\t\u00a0\u3000")
_SPACE = re.compile("[ \r\n\t\u00a0\u3000]")
# PDFium's positions are single precision (7 digits), pdfminer's double. Words are
# cut at gaps over 3 pt and a gap of exactly 3 pt is common (beside half-width
# digits): it must stay 3, so positions are rounded to what PDF producers write.
DIGITS = 4
# A table of two rows and two columns needs three horizontal and three vertical rules.
MIN_RULES = 3


def page_box(page) -> tuple[float, float] | None:
    """Width and height of the MediaBox (pdfplumber's page size), or None when
    pdfminer would shift or turn the coordinates (rotation, box not at 0,0) or
    the box is not the page's own (inherited beside a CropBox of its own)."""
    if R.FPDFPage_GetRotation(page) % 4:
        return None
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not R.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        if R.FPDFPage_GetCropBox(page, left, bottom, right, top):
            return None
        # an inherited MediaBox and no CropBox: PDFium's page size is that box
        return float(R.FPDF_GetPageWidthF(page)), float(R.FPDF_GetPageHeightF(page))
    if abs(left.value) > 0.01 or abs(bottom.value) > 0.01:
        return None
    return right.value - left.value, top.value - bottom.value


def _proto(func, restype, *argtypes):
    """The same PDFium function with plain argument types: pointers as integers
    skip ctypes' checks, which cost more than the call itself, a call per character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, ctypes.c_void_p).value)


# The two calls made for every character, without declared argument types (the
# caller passes ctypes objects): ctypes converts nothing, a third of the cost.
_loose_box = _proto(R.FPDFText_GetLooseCharBox, ctypes.c_int)
_text_object = _proto(R.FPDFText_GetTextObject, ctypes.c_void_p)
# and once per text object (one per character in some files)
_char_matrix = _proto(R.FPDFText_GetMatrix, ctypes.c_int)
_font_size = _proto(R.FPDFText_GetFontSize, ctypes.c_double)
_is_generated = _proto(R.FPDFText_IsGenerated, ctypes.c_int)
_unicode = _proto(R.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_RECT = ctypes.sizeof(R.FS_RECTF)  # left, top, right, bottom: four floats


class _Slots(threading.local):
    """Buffers of `floats` floats per slot and a pointer to each slot, kept per
    thread and grown as pages need (making the pointers costs as much as the
    PDFium call that fills the slot)."""

    def __init__(self, floats: int):
        self.floats = floats
        self.size = 0
        self.buffer = None
        self.slots: list = []

    def get(self, n: int):
        if n > self.size:
            self.size = max(n, 2 * self.size, 1024)
            self.buffer = (ctypes.c_float * (self.floats * self.size))()
            step = 4 * self.floats
            self.slots = [ctypes.byref(self.buffer, step * i) for i in range(self.size)]
        return self.buffer, self.slots

    def floats_of(self, n: int) -> list[float]:
        return memoryview(self.buffer).cast("B")[: 4 * self.floats * n].cast("f").tolist()

    def rounded(self, n: int) -> list[float]:
        """The first n slots' floats as doubles rounded to DIGITS decimals."""
        import numpy as np

        return np.round(np.frombuffer(self.buffer, dtype=np.float32, count=self.floats * n).astype(np.float64),
                        DIGITS).tolist()


_boxes = _Slots(4)  # FS_RECTF: left, top, right, bottom
_matrices = _Slots(6)  # FS_MATRIX: a, b, c, d, e, f


# (text, x0, x1, top, bottom, size): a character in pdfplumber's top-down coordinates
Char = tuple


def _page_text(tp, addr: int, n: int) -> str:
    """All n characters, one code point per character index: FPDFText_GetText in
    one call when it returns one UTF-16 unit per character, else char by char."""
    buf = (ctypes.c_ushort * (n + 1))()
    if R.FPDFText_GetText(tp, 0, n, buf) - 1 == n:
        text = ctypes.string_at(buf, 2 * n).decode("utf-16-le", "replace")
        if len(text) == n:
            return text
    return "".join(chr(u) if u < 0x110000 else "\ufffd" for u in map(_unicode, repeat(addr, n), range(n)))


def chars(tp, height: float) -> list[Char] | None:
    """The page's characters in content-stream order with the box pdfminer gives
    them: from the origin's descent line one font size high, one advance wide.
    None if some character is not upright, horizontal text. `tp`: an FPDF_TEXTPAGE."""
    n = R.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    addr = ctypes.cast(tp, ctypes.c_void_p).value
    handle = ctypes.c_void_p(addr)
    text = _page_text(tp, addr, n)
    _, slots = _boxes.get(n)
    deque(map(_loose_box, repeat(handle, n), range(n), slots), maxlen=0)  # range(n) ends it
    objs = list(map(_text_object, repeat(handle, n), range(n)))
    # font size × vertical scale, asked once per text object (at its first character)
    first = dict(zip(reversed(objs), range(n - 1, -1, -1)))
    k = len(first)
    _, m_slots = _matrices.get(k)
    deque(map(_char_matrix, repeat(handle, k), first.values(), m_slots), maxlen=0)
    m = _matrices.floats_of(k)
    a, b, c, d = m[0::6], m[1::6], m[2::6], m[3::6]
    if any(b) or any(c) or min(a) <= 0 or min(d) <= 0:
        return None  # rotated, mirrored or skewed text: pdfplumber places it
    size_of = dict(zip(first, (round(z, DIGITS) for z in map(mul, map(_font_size, repeat(handle, k), first.values()), d))))
    flat = _boxes.rounded(n)
    height = round(height, DIGITS)
    bottoms = [height - b for b in flat[3::4]]
    sizes = list(map(size_of.__getitem__, objs))
    out = list(zip(text, flat[0::4], flat[2::4], map(sub, bottoms, sizes), bottoms, sizes))
    # PDFium's own spaces and line breaks between text runs are not in the file
    spaces = [m.start() for m in _SPACE.finditer(text)]
    generated = list(compress(spaces, map(_is_generated, repeat(handle, len(spaces)), spaces)))
    if generated:
        keep = [True] * n
        for i in generated:
            keep[i] = False
        out = list(compress(out, keep))
    return out


def add_fontnames(tp, chars_: list[dict]) -> None:
    """Font names for `pdfplumber.utils.dedupe_chars` (asked only for overprinted pages)."""
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    n = R.FPDFText_CountChars(tp)
    names = []
    for i in range(n):
        u = R.FPDFText_GetUnicode(tp, i)
        if chr(u) in _WHITESPACE and R.FPDFText_IsGenerated(tp, i):
            continue
        size = R.FPDFText_GetFontInfo(tp, i, buf, len(buf), ctypes.byref(flags))
        names.append(buf.value.decode("utf-8", "replace") if size else "")
    for c, name in zip(chars_, names):
        c["fontname"] = name


# --- pdfplumber's word and line grouping, on tuples ----------------------------------
# `extract_text_lines(layout=False, strip=True)` with its default tolerances, step
# for step (pdfplumber.utils.text: WordExtractor, WordMap.to_textmap, TextMap),
# without the dicts and generators that make it cost more than PDFium itself.

X_TOLERANCE = 3
Y_TOLERANCE = 3
_LIGATURE_MAP = str.maketrans({"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"})
_HAS_LIGATURE = re.compile("[ﬀﬃﬄﬁﬂﬆﬅ]")


def _cluster_ids(values, tolerance: float) -> dict[float, int]:
    """pdfplumber's make_cluster_dict: sorted distinct values, a new cluster where
    the step from the previous value exceeds the tolerance."""
    ids: dict[float, int] = {}
    k, last = -1, None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            k += 1
        ids[v] = k
        last = v
    return ids


_BLANK = re.compile(r"\s")  # str.isspace(), what pdfplumber splits words at
_TEXT, _X0, _TOP = itemgetter(0), itemgetter(1), itemgetter(3)
_FIRST, _LAST = itemgetter(0), itemgetter(-1)


def order(chars_: list[Char]) -> list[tuple]:
    """(line cluster, x0, index, char) sorted: the characters clustered into lines
    by top, each line in reading order by x0, ties in content order (the index
    breaks them, so characters are never compared)."""
    ids = _cluster_ids(map(_TOP, chars_), Y_TOLERANCE)
    return sorted(zip(map(ids.__getitem__, map(_TOP, chars_)), map(_X0, chars_), range(len(chars_)), chars_))


def _word_spans(ids, texts: str, x0s, x1s, tops) -> list[tuple[int, int]]:
    """Words as (start, end) in the ordered characters: a word ends at a new line
    cluster, at a blank character (dropped), where a character starts more than
    X_TOLERANCE right of the one before it ends, or where its top moves by more
    than Y_TOLERANCE (within a line sorted by x0 a character never starts left
    of the one before it)."""
    n = len(texts)
    cuts = map(or_, map(ne, ids[1:], ids),
               map(or_, map(gt, x0s[1:], map(add, x1s, repeat(X_TOLERANCE))),
                   map(gt, map(abs, map(sub, tops[1:], tops)), repeat(Y_TOLERANCE))))
    # one code point per character: an index in the joined text is one in the page
    blank = {m.start() for m in _BLANK.finditer(texts)}
    spans: list[tuple[int, int]] = []
    start = 0
    for j in sorted(blank.union(compress(range(1, n), cuts))):
        if j > start:
            spans.append((start, j))
        start = max(start, j + 1 if j in blank else j)
    if start < n:
        spans.append((start, n))
    return spans


def text_lines(ordered: list[tuple]) -> list[dict]:
    """Lines as pdfplumber's `extract_text_lines` returns them (text, x0, x1, top,
    bottom), with "sizes": the font size of each character. `ordered`: see `order`.
    pdfplumber cuts each line cluster into words, then clusters the words into
    lines again by their tops, keeping their order."""
    if not ordered:
        return []
    ids = list(map(_FIRST, ordered))
    texts, x0s, x1s, tops, bottoms, sizes = (list(col) for col in zip(*map(_LAST, ordered)))
    joined = "".join(texts)
    spans = _word_spans(ids, joined, x0s, x1s, tops)
    word_tops = [min(tops[a:b]) for a, b in spans]
    word_ids = _cluster_ids(word_tops, Y_TOLERANCE)
    lines: list[dict] = []
    for _, group in groupby(zip(map(word_ids.__getitem__, word_tops), spans), _FIRST):
        ws = [span for _, span in group]
        if len(ws) == 1:
            a, b = ws[0]
            text = joined[a:b]
            line = {"x0": min(x0s[a:b]), "x1": max(x1s[a:b]), "top": min(tops[a:b]),
                    "bottom": max(bottoms[a:b]), "sizes": sizes[a:b]}
        else:
            text = " ".join(joined[a:b] for a, b in ws)
            line = {"x0": min(min(x0s[a:b]) for a, b in ws), "x1": max(max(x1s[a:b]) for a, b in ws),
                    "top": min(min(tops[a:b]) for a, b in ws), "bottom": max(max(bottoms[a:b]) for a, b in ws),
                    "sizes": [z for a, b in ws for z in sizes[a:b]]}
        if _HAS_LIGATURE.search(text):
            text = text.translate(_LIGATURE_MAP)
        line["text"] = text
        lines.append(line)
    return lines


# --- images and paths ---------------------------------------------------------------


def _matrix(obj) -> tuple[float, float, float, float, float, float]:
    m = R.FS_MATRIX()
    if not R.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer):
    """`inner` then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


_get_object = _proto(R.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_form_object = _proto(R.FPDFFormObj_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
_object_type = _proto(R.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)


def objects(page, height: float) -> tuple[int, dict[str, list[dict]]]:
    """The page's image count and its paths as the "line", "rect" and "curve"
    objects pdfplumber makes of pdfminer's layout, form XObjects included (depth
    first: pdfminer's content order)."""
    shapes: dict[str, list[dict]] = {"line": [], "rect": [], "curve": []}
    images = 0

    def walk(count: int, get, parent: int, ctm) -> None:
        nonlocal images
        objs = list(map(get, repeat(parent, count), range(count)))
        for obj, kind in zip(objs, map(_object_type, objs)):
            if kind == R.FPDF_PAGEOBJ_PATH:
                handle = ctypes.cast(obj, R.FPDF_PAGEOBJECT)
                _pdfminer_shapes(_segments(handle, _compose(_matrix(handle), ctm)), height, shapes)
            elif kind == R.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == R.FPDF_PAGEOBJ_FORM:
                handle = ctypes.cast(obj, R.FPDF_PAGEOBJECT)
                walk(R.FPDFFormObj_CountObjects(handle), _form_object, obj, _compose(_matrix(handle), ctm))

    walk(R.FPDFPage_CountObjects(page), _get_object, ctypes.cast(page, ctypes.c_void_p).value,
         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return images, shapes


def ruled(shapes: dict[str, list[dict]]) -> bool:
    """Whether the shapes give pdfplumber's table finder at least `MIN_RULES`
    horizontal and vertical edges (rectangle sides, lines, steps of curves), the
    least a table of two rows and two columns needs."""
    h = v = 2 * len(shapes["rect"])
    for line in shapes["line"]:
        if line["top"] == line["bottom"]:
            h += 1
        else:
            v += 1
    for curve in shapes["curve"]:
        for (x0, y0), (x1, y1) in zip(curve["pts"], curve["pts"][1:]):
            v += x0 == x1
            h += x0 != x1 and y0 == y1
    return h >= MIN_RULES and v >= MIN_RULES


def overprinted(ordered: list[tuple]) -> bool:
    """`pdf._overprinted` on tuples: glyphs printed twice at the same place (fake
    bold). Two glyphs with the same rounded position are less than 1 pt apart on
    one line, so pairs of neighbours that close bound the duplicates: only when
    there are enough of them are the rounded positions compared."""
    n = len(ordered)
    need = max(3, n // 50)
    ids, xs = [o[0] for o in ordered], [o[1] for o in ordered]
    close = sum(map(and_, map(eq, ids[1:], ids), map(gt, repeat(1.0), map(sub, xs[1:], xs))))
    if close <= need:
        return False
    chars_ = [o[3] for o in ordered]
    keys = set(zip(map(_TEXT, chars_), map(round, map(_X0, chars_)), map(round, map(_TOP, chars_))))
    return n - len(keys) > need


# --- paths as pdfminer's lines, rectangles and curves (for pdfplumber's table finder) ---


def _segments(path, ctm) -> list[tuple]:
    """The path as pdfminer's operators with page points: ("m", p), ("l", p),
    ("c", end) for a Bézier (its control points dropped, as pdfminer keeps only
    each operator's last point), ("h",) after a closing segment."""
    a, b, c, d, e, f = ctm
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[tuple] = []
    n = R.FPDFPath_CountSegments(path)
    bezier = 0
    for i in range(n):
        seg = R.FPDFPath_GetPathSegment(path, i)
        if not seg or not R.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        kind = R.FPDFPathSegment_GetType(seg)
        pt = (round(x.value * a + y.value * c + e, DIGITS), round(x.value * b + y.value * d + f, DIGITS))
        if kind == R.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
            ops.append(("c", pt))
        else:
            bezier = 0
            ops.append(("m" if kind == R.FPDF_SEGMENT_MOVETO else "l", pt))
        if R.FPDFPathSegment_GetClose(seg):
            ops.append(("h",))
    return ops


def _pdfminer_shapes(ops: list[tuple], height: float, out: dict[str, list[dict]]) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path on one path, as pdfplumber objects:
    one shape per subpath; two points a line, an upright closed four-point loop a
    rectangle, anything else a curve through the operators' end points."""
    starts = [i for i, op in enumerate(ops) if op[0] == "m"]
    for k, s in enumerate(starts):
        sub = ops[s : starts[k + 1] if k + 1 < len(starts) else len(ops)]
        shape = "".join(op[0] for op in sub)
        pts = [op[1] if op[0] != "h" else sub[0][1] for op in sub]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            out["line"].append(_shape("line", pts[:2], height))
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
            if pts[0] == pts[4] and square:
                out["rect"].append(_shape("rect", [(x0, y0), (x2, y0), (x2, y2), (x0, y2)], height))
            else:
                out["curve"].append(_shape("curve", pts, height))
        else:
            out["curve"].append(_shape("curve", pts, height))


def _shape(kind: str, pts: list[tuple[float, float]], height: float) -> dict:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    obj = {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
           "top": height - y1, "bottom": height - y0, "doctop": height - y1}
    if kind != "rect":
        obj["pts"] = [(x, height - y) for x, y in pts]
    return obj
