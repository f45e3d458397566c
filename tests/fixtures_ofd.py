"""OFD (GB/T 33190) files written by hand for the reader's tests: the package
layout (OFD.xml → Doc_0/Document.xml → Pages/Page_N/Content.xml), one TextObject
per printed line with a TextCode whose DeltaX spaces the glyphs, laid out as a
printed notice (red letterhead, centred title, indented body, right-aligned
signature, page numbers), from the corpus renderer's blocks
(`corpora/tools/make_notices.py`: `parse_src` + `blocks`)."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 28.0, 26.0, 37.0, 35.0
PT = 25.4 / 72  # pt → mm


def _wrap(text: str, size: float, width: float, indent: int = 0) -> list[str]:
    per = max(1, int(width // size))
    out = []
    first = per - indent
    while text:
        n = first if not out else per
        out.append(text[:n])
        text = text[n:]
    return out or [""]


class _Layout:
    def __init__(self):
        self.pages: list[list[str]] = [[]]
        self.y = TOP
        self.next_id = 100

    def _obj(self, x: float, y: float, size: float, text: str, color: str = "0 0 0") -> str:
        self.next_id += 1
        w = size * len(text)
        return (
            f'<ofd:TextObject ID="{self.next_id}" Boundary="{x:.2f} {y - size:.2f} {w + size:.2f} {size * 1.4:.2f}" '
            f'Font="3" Size="{size:.3f}"><ofd:FillColor Value="{color}"/>'
            f'<ofd:TextCode X="0" Y="{size:.3f}" DeltaX="g {max(0, len(text) - 1)} {size:.3f}">{escape(text)}</ofd:TextCode>'
            f"</ofd:TextObject>"
        )

    def line(self, text: str, size_pt: float, *, align: str = "left", indent: int = 0, color: str = "0 0 0",
             gap: float = 1.0) -> None:
        size = size_pt * PT
        width = PAGE_W - LEFT - RIGHT
        for i, part in enumerate(_wrap(text, size, width, indent)):
            if self.y + size * 1.7 > PAGE_H - BOTTOM:
                self.new_page()
            self.y += size * 1.7 * (gap if i == 0 else 1.0)
            w = size * len(part)
            if align == "center":
                x = (PAGE_W - w) / 2
            elif align == "right":
                x = PAGE_W - RIGHT - w - 4 * size
            else:
                x = LEFT + (indent * size if i == 0 else 0)
            self.pages[-1].append(self._obj(x, self.y, size, part, color))

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP


def write_ofd(path: Path, blocks, *, doc_title: str | None = None) -> Path:
    """An OFD of the blocks (role, text) of a notice source; `doc_title` goes into
    DocInfo."""
    lay = _Layout()
    for role, text in blocks:
        if role == "pagebreak":
            lay.new_page()
        elif role == "letterhead":
            lay.line(text, 36, align="center", color="255 0 0", gap=1.5)
        elif role == "docno":
            lay.line(text, 16, align="center", gap=1.5)
        elif role == "title":
            lay.line(text, 22, align="center", gap=2.0)
        elif role in ("center",):
            lay.line(text, 16, align="center", gap=1.3)
        elif role == "right":
            lay.line(text, 16, align="right")
        elif role in ("label", "cc", "printed", "heading"):
            lay.line(text, 16)
        elif role == "table":
            for row in text:
                lay.line("  ".join(c for c in row if c), 16)
        else:
            lay.line(text, 16, indent=2)
    files: dict[str, str] = {}
    refs = []
    for n, objs in enumerate(lay.pages):
        num = lay._obj(PAGE_W / 2 - 10, PAGE_H - 20, 14 * PT, f"— {n + 1} —")
        files[f"Doc_0/Pages/Page_{n}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="{n + 10}">{"".join(objs)}{num}</ofd:Layer></ofd:Content></ofd:Page>'
        )
        refs.append(f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    files["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{lay.next_id + 1}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 {PAGE_W} {PAGE_H}"
        f"</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f'<ofd:Pages>{"".join(refs)}</ofd:Pages></ofd:Document>'
    )
    files["Doc_0/PublicRes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts>'
        f'<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
    )
    info = f"<ofd:Title>{escape(doc_title)}</ofd:Title>" if doc_title else ""
    files["OFD.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
        f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c1d4f7e5b2a4c3d9e8f7a6b5c4d3e2f</ofd:DocID>{info}"
        f"<ofd:CreationDate>2025-01-01</ofd:CreationDate></ofd:DocInfo>"
        f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in files.items():
            zi = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, xml.encode("utf-8"))
    return Path(path)
