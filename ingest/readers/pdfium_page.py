"""What the PDF reader needs from one page, read through PDFium (pypdfium2):
characters with the boxes pdfminer would give them, the page's image count, and
whether it draws enough ruling lines to hold a table.

PDFium runs the content stream in C, about twenty times faster than pdfminer's
interpreter. The character dicts carry pdfplumber's keys and geometry (top-down
coordinates, box height = the font size), so pdfplumber's own word and line
grouping (`pdfplumber.utils`) turns them into the same lines as before. Pages
that this module cannot place the way pdfminer does (rotated page or text, a
MediaBox not at the origin) and pages with ruled tables are left to pdfplumber.
"""
from __future__ import annotations

import ctypes
import re
from operator import itemgetter

import pypdfium2.raw as R

# PDFium inserts spaces and line breaks of its own between text runs (flagged as generated).
_WHITESPACE = frozenset(" \r\n\t\u00a0\u3000")
# A table of two rows and two columns needs three horizontal and three vertical rules.
MIN_RULES = 3


def page_box(page) -> tuple[float, float] | None:
    """Width and height of the MediaBox (pdfplumber's page size), or None when
    pdfminer would shift or turn the coordinates (rotation, box not at 0,0)."""
    if R.FPDFPage_GetRotation(page) % 4:
        return None
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not R.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        # no MediaBox of its own (inherited or missing): PDFium's page size is the one in force
        return float(R.FPDF_GetPageWidthF(page)), float(R.FPDF_GetPageHeightF(page))
    if abs(left.value) > 0.01 or abs(bottom.value) > 0.01:
        return None
    return right.value - left.value, top.value - bottom.value


def _proto(func, restype, *argtypes):
    """The same PDFium function with plain argument types: pointers as integers
    skip ctypes' checks, which cost more than the call itself, a call per character."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, ctypes.c_void_p).value)


_loose_box = _proto(R.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(R.FS_RECTF))
_text_object = _proto(R.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_is_generated = _proto(R.FPDFText_IsGenerated, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_unicode = _proto(R.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)

# (text, x0, x1, top, bottom, size): a character in pdfplumber's top-down coordinates
Char = tuple


def _page_text(tp, n: int) -> str | None:
    """All n characters in one call; None if the text is not one UTF-16 unit per
    character (characters outside the BMP, or PDFium dropped or added some)."""
    buf = (ctypes.c_ushort * (n + 1))()
    k = R.FPDFText_GetText(tp, 0, n, buf)
    if k - 1 != n:
        return None
    text = ctypes.string_at(buf, 2 * n).decode("utf-16-le", "replace")
    return text if len(text) == n else None


def chars(textpage, height: float) -> list[Char] | None:
    """The page's characters in content-stream order with the box pdfminer gives
    them: from the origin's descent line one font size high, one advance wide.
    None if some character is not upright, horizontal text."""
    tp = textpage.raw
    n = R.FPDFText_CountChars(tp)
    if n <= 0:
        return []
    addr = ctypes.cast(tp, ctypes.c_void_p).value
    text = _page_text(tp, n)
    box = R.FS_RECTF()
    m = R.FS_MATRIX()
    sizes: dict[int | None, float] = {}  # per text object: font size × vertical scale
    loose_box, text_object, is_generated = _loose_box, _text_object, _is_generated
    out: list[Char] = []
    append = out.append
    for i in range(n):
        ch = text[i] if text is not None else chr(_unicode(addr, i))
        if ch in _WHITESPACE and is_generated(addr, i):
            continue  # PDFium's own spaces and line breaks, not in the file
        loose_box(addr, i, box)
        obj = text_object(addr, i)
        size = sizes.get(obj)
        if size is None:
            R.FPDFText_GetMatrix(tp, i, m)
            if m.b or m.c or m.a <= 0 or m.d <= 0:
                return None
            size = sizes[obj] = R.FPDFText_GetFontSize(tp, i) * m.d
        bottom = height - box.bottom
        append((ch, box.left, box.right, bottom - size, bottom, size))
    return out


def add_fontnames(textpage, chars_: list[dict]) -> None:
    """Font names for `pdfplumber.utils.dedupe_chars` (asked only for overprinted pages)."""
    tp = textpage.raw
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


def _words(line: list[Char]) -> list[list[Char]]:
    words: list[list[Char]] = []
    word: list[Char] = []
    last = None
    for c in line:
        if c[0].isspace():
            if word:
                words.append(word)
            word, last = [], None
        elif last is not None and (c[1] < last[1] or c[1] > last[2] + X_TOLERANCE or abs(c[3] - last[3]) > Y_TOLERANCE):
            words.append(word)
            word, last = [c], c
        else:
            word.append(c)
            last = c
    if word:
        words.append(word)
    return words


_X0, _TOP = itemgetter(1), itemgetter(3)


def text_lines(chars_: list[Char]) -> list[dict]:
    """Lines as pdfplumber's `extract_text_lines` returns them (text, x0, x1, top,
    bottom), with "sizes": the font size of each character."""
    if not chars_:
        return []
    # characters into lines: clustered by top, each cluster in reading order by x0
    ids = _cluster_ids(map(_TOP, chars_), Y_TOLERANCE)
    clusters: dict[int, list[Char]] = {}
    for c in chars_:
        k = ids[c[3]]
        if k in clusters:
            clusters[k].append(c)
        else:
            clusters[k] = [c]
    words: list[list[Char]] = []
    for k in sorted(clusters):
        words.extend(_words(sorted(clusters[k], key=_X0)))
    # words into lines again, by the word's top, keeping their order
    tops = [min(map(_TOP, w)) for w in words]
    ids = _cluster_ids(tops, Y_TOLERANCE)
    lines: list[dict] = []
    current: list[list[Char]] = []
    current_id = None
    for w, t in zip(words, tops):
        if current and ids[t] != current_id:
            lines.append(_line(current))
            current = []
        current.append(w)
        current_id = ids[t]
    if current:
        lines.append(_line(current))
    return lines


def _line(words: list[list[Char]]) -> dict:
    texts, x0s, x1s, tops, bottoms, sizes = zip(*(c for w in words for c in w))
    if len(words) == 1:
        text = "".join(texts)
    else:
        text = " ".join("".join(c[0] for c in w) for w in words)
    if _HAS_LIGATURE.search(text):
        text = text.translate(_LIGATURE_MAP)
    return {"text": text, "x0": min(x0s), "x1": max(x1s), "top": min(tops), "bottom": max(bottoms), "sizes": sizes}


# --- ruling lines and images -----------------------------------------------------------


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


def _rules(path, ctm, counts: list[int]) -> None:
    """Count the path's horizontal and vertical pieces (counts = [h, v]), the way
    pdfplumber sees them: consecutive points of the path, control points of curves
    included (a rounded corner's first control point lies on the side it continues)."""
    n = R.FPDFPath_CountSegments(path)
    if n <= 0:
        return
    a, b, c, d, e, f = ctm
    x, y = ctypes.c_float(), ctypes.c_float()
    pts = []
    closes = False
    for i in range(n):
        seg = R.FPDFPath_GetPathSegment(path, i)
        if not seg or not R.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        px, py = x.value, y.value
        pts.append((px * a + py * c + e, px * b + py * d + f))
        closes = closes or bool(R.FPDFPathSegment_GetClose(seg))
    if closes and len(pts) > 2:
        pts.append(pts[0])
    lone_line = len(pts) == 2  # pdfminer makes a two-point path a "line", upright or not
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 0.5:
            counts[0] += 1
        elif abs(x1 - x0) < 0.5 or lone_line:
            counts[1] += 1


_get_object = _proto(R.FPDFPage_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_form_object = _proto(R.FPDFFormObj_GetObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
_object_type = _proto(R.FPDFPageObj_GetType, ctypes.c_int, ctypes.c_void_p)


def objects(page) -> tuple[int, bool]:
    """The page's image count (form XObjects included) and whether it draws at
    least `MIN_RULES` horizontal and vertical rules, enough to hold a table."""
    counts = [0, 0]
    images = 0
    IMAGE, PATH, FORM = R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_FORM
    page_addr = ctypes.cast(page, ctypes.c_void_p).value
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack = [(R.FPDFPage_CountObjects(page), _get_object, page_addr, identity)]
    while stack:
        count, get, parent, ctm = stack.pop()
        for i in range(count):
            obj = get(parent, i)
            kind = _object_type(obj)
            if kind == PATH:
                handle = ctypes.cast(obj, R.FPDF_PAGEOBJECT)
                _rules(handle, _compose(_matrix(handle), ctm), counts)
            elif kind == IMAGE:
                images += 1
            elif kind == FORM:
                handle = ctypes.cast(obj, R.FPDF_PAGEOBJECT)
                inner = _compose(_matrix(handle), ctm)
                stack.append((R.FPDFFormObj_CountObjects(handle), _form_object, obj, inner))
    return images, counts[0] >= MIN_RULES and counts[1] >= MIN_RULES
