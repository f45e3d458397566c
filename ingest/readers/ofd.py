"""OFD reader (GB/T 33190-2016, the format of Chinese electronic official documents).

An OFD file is a zip of XML: `OFD.xml` names the document root (`Doc_0/Document.xml`)
and its `DocInfo` (title, author); the document lists its pages, each a `Content.xml`
of layers holding `TextObject`s. A text object has a `Boundary` ("x y w h" in mm on
the page), a font `Size` and `TextCode` runs whose `X`/`Y` give the first glyph's
origin (Y is the baseline) inside the boundary and `DeltaX` the advance to each next
glyph. Pages may also draw text from a template page (a letterhead).

The runs become the PDF reader's `Line`s (in points, grouped into printed lines by
baseline and read left to right), so page numbers, running headers and wrapped lines
are handled as for a text PDF.

Written here rather than with `easyofd`: that library extracts the whole archive to
disk without any size check, base64-encodes every part, ignores DeltaX (so glyph
runs have no right edge) and pulls in PyMuPDF.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.document import RawText
from ingest.errors import CorruptFile, EncryptedFile, SuspiciousArchive
from ingest.readers.zipmember import read_member

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBER = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_PAGES = 2000
MM = 72 / 25.4  # mm → pt

_BAD = "OFD 文件已损坏或结构不完整"


@dataclass
class _Run:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str):
    return [c for c in el.iter() if isinstance(c.tag, str) and _local(c.tag) == name]


def _first(el, name: str):
    found = _children(el, name)
    return found[0] if found else None


def _floats(s: str | None) -> list[float]:
    return [float(x) for x in (s or "").split()]


def _deltas(s: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, where "g N V" stands for N times V."""
    out: list[float] = []
    toks = (s or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            out.extend([float(toks[i + 2])] * int(float(toks[i + 1])))
            i += 3
        else:
            out.append(float(toks[i]))
            i += 1
    return out


class _Package:
    """The zip, checked for bombs from the declared sizes before anything is inflated;
    members are then inflated by `read_member`, which stops at the declared size (a
    directory that lies about sizes is refused, not inflated in memory)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.zf = zipfile.ZipFile(path)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise CorruptFile("OFD 文件已损坏（不是有效的 zip 压缩包）") from e
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise SuspiciousArchive(
                f"OFD 文件解压后过大（{total / 1024 / 1024:.0f} MB，上限 {MAX_UNCOMPRESSED // 1024 // 1024} MB），疑似压缩炸弹"
            )
        for i in infos:
            if i.file_size > MAX_MEMBER or (i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)):
                raise SuspiciousArchive(f"OFD 文件压缩比异常（{i.filename}），疑似压缩炸弹")
        if total > 1024 * 1024 and total > MAX_RATIO * max(packed, 1):
            raise SuspiciousArchive(f"OFD 文件压缩比异常（超过 {MAX_RATIO} 倍），疑似压缩炸弹")
        self.names = {i.filename.lstrip("/"): i.filename for i in infos}
        self.infos = {i.filename: i for i in infos}

    def xml(self, name: str):
        from lxml import etree

        key = posixpath.normpath(name.lstrip("/"))
        real = self.names.get(key)
        if real is None:
            raise CorruptFile(f"{_BAD}（缺少 {key}）")
        try:
            with open(self.path, "rb") as f:
                data = read_member(f, self.infos[real], "OFD")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise CorruptFile(f"{_BAD}（{key} 无法解压）") from e
        try:
            # no entities, no network: an OFD is data, not a place to resolve references
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as e:
            raise CorruptFile(f"{_BAD}（{key} 不是有效的 XML）") from e


def _resolve(base_dir: str, loc: str) -> str:
    loc = loc.strip()
    return loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)


def _runs(content, page_h: float) -> list[_Run]:
    runs: list[_Run] = []
    for obj in _children(content, "TextObject"):
        box = _floats(obj.get("Boundary"))
        if len(box) != 4:
            continue
        bx, by = box[0], box[1]
        size = float(obj.get("Size") or 3.5)
        # a CTM's scale stretches the glyphs (a condensed letterhead): take its vertical part
        ctm = _floats(obj.get("CTM"))
        scale = abs(ctm[3]) if len(ctm) == 6 and ctm[3] else 1.0
        x = y = 0.0
        for code in _children(obj, "TextCode"):
            text = code.text or ""
            x = float(code.get("X", x))
            y = float(code.get("Y", y))
            if not text.strip():
                continue
            dx = _deltas(code.get("DeltaX"))
            adv = sum(dx[: max(0, len(text) - 1)]) if dx else size * (len(text) - 1)
            x0 = bx + x
            base = by + y * scale
            h = size * scale
            runs.append(_Run(text, x0 * MM, (x0 + adv + size) * MM, (base - h) * MM, (base + h * 0.12) * MM, h * MM))
    return runs


def _lines(runs: list[_Run]):
    from ingest.readers.pdf import Line

    rows: list[list[_Run]] = []
    for r in sorted(runs, key=lambda r: (r.top + r.bottom) / 2):
        for row in rows[-3:]:
            top, bottom = min(x.top for x in row), max(x.bottom for x in row)
            if min(bottom, r.bottom) - max(top, r.top) > 0.5 * min(r.bottom - r.top, bottom - top):
                row.append(r)
                break
        else:
            rows.append([r])
    out = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        text = row[0].text
        for a, b in zip(row, row[1:]):
            text += (" " if b.x0 - a.x1 > 1.2 * max(a.size, b.size) else "") + b.text
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            size = max(row, key=lambda r: len(r.text)).size
            out.append(Line(text, row[0].x0, max(r.x1 for r in row), min(r.top for r in row),
                            max(r.bottom for r in row), round(size, 1)))
    return out


def read_ofd(path: Path) -> RawText:
    from ingest.readers.pdf import Page, _assemble, _strip_page_numbers, _strip_running

    pkg = _Package(Path(path))
    root = pkg.xml("OFD.xml")
    body = _first(root, "DocBody")
    doc_root = _first(body, "DocRoot") if body is not None else None
    if doc_root is None or not (doc_root.text or "").strip():
        raise CorruptFile(f"{_BAD}（OFD.xml 中没有 DocRoot）")
    if _first(body, "Encryptions") is not None or "Encryptions.xml" in {n.rsplit("/", 1)[-1] for n in pkg.names}:
        raise EncryptedFile("OFD 文件已加密，无法读取（请提供未加密的文件）")
    doc_path = _resolve("", doc_root.text)
    doc_dir = posixpath.dirname(doc_path)
    document = pkg.xml(doc_path)
    default_box = _floats((_first(document, "PhysicalBox").text if _first(document, "PhysicalBox") is not None else ""))
    templates = {
        t.get("ID"): _resolve(doc_dir, t.get("BaseLoc", ""))
        for t in _children(document, "TemplatePage")
        if t.get("BaseLoc")
    }
    page_refs = _children(_first(document, "Pages") if _first(document, "Pages") is not None else document, "Page")
    if not page_refs:
        raise CorruptFile(f"{_BAD}（文档中没有页面）")
    if len(page_refs) > MAX_PAGES:
        raise CorruptFile(f"OFD 页数过多（{len(page_refs)} 页）")
    pages = []
    for n, ref in enumerate(page_refs, start=1):
        loc = ref.get("BaseLoc")
        if not loc:
            raise CorruptFile(f"{_BAD}（第 {n} 页缺少 BaseLoc）")
        content = pkg.xml(_resolve(doc_dir, loc))
        pbox = _first(content, "PhysicalBox")
        box = _floats(pbox.text) if pbox is not None else default_box
        if len(box) != 4:
            box = [0, 0, 210, 297]
        runs = []
        for t in _children(content, "Template"):
            if t.get("TemplateID") in templates:
                runs += _runs(pkg.xml(templates[t.get("TemplateID")]), box[3])
        runs += _runs(content, box[3])
        lines = _lines(runs)
        pages.append(Page(n, box[2] * MM, box[3] * MM, lines, sum(len(l.text) for l in lines), 0))
    _strip_running(pages)
    _strip_page_numbers(pages)
    raw = _assemble(pages)
    raw.format = "ofd"
    if not raw.text.strip():
        from ingest.errors import EmptyFile

        raise EmptyFile("OFD 中没有文字（可能是扫描件转成的 OFD，暂不支持对 OFD 图像做 OCR）")
    info = _first(body, "DocInfo")
    if info is not None:
        for key, tag in (("title", "Title"), ("author", "Author"), ("created", "CreationDate")):
            el = _first(info, tag)
            if el is not None and (el.text or "").strip():
                raw.properties[key] = el.text.strip()
    return raw
