"""Regenerate the sample notice corpus from the canonical sources in `src/`.

Each `src/<stem>.txt` (UTF-8) is a notice written for this project, with a light
line markup (see README): a line may start with a role marker such as
`@letterhead`, `@docno`, `@title`, `@center`, `@right`, `@label`, `@cc`,
`@printed` or `@pagebreak`; lines holding tab characters are table rows. The plain
.txt rendering drops the markers and keeps every line and blank line as written,
so the .txt is exactly the text a reader should recover.

MANIFEST says which formats each notice is rendered to in `corpora/notices/`
(each notice once there), and RENDERINGS which notice is rendered to .txt, .docx
and .pdf in `corpora/renderings/` (to test that the three parse alike).

Output is deterministic: reportlab runs with `invariant=1`, and the .docx zip
entries get a fixed timestamp and fixed core properties.

usage: python corpora/tools/make_notices.py
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
CORPORA = HERE.parent
NOTICES = CORPORA / "notices"
RENDERINGS = CORPORA / "renderings"
FONT_PATH = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
FONT = "DroidSansFallback"
# Droid Sans Fallback has CJK glyphs only: digits, Latin letters and dashes are set
# in a Latin face, as printed notices set them in Times New Roman.
LATIN_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
LATIN = "DejaVuSerif"
FIXED_TIME = dt.datetime(2024, 1, 1, 8, 0, 0)

# stem -> format of its single copy in corpora/notices/
# (txt = UTF-8, txt-gb18030 = GB18030-encoded .txt)
MANIFEST: dict[str, str] = {
    "2023_ganzhou_dundian_fangan": "docx",
    "2022_hunan_xinjiuye_yijian": "pdf",
    "2021_mianyang_bangfu_banfa": "txt-gb18030",
    "2024_jiujiang_songqingliang_tongzhi": "pdf",
    "2023_yichun_jitixieshang_lianhe": "txt",
    "2024_xiushui_songqingliang_baodao": "txt",
    "2022_anfu_zhigongzhijia_tongzhi": "txt-gb18030",
    "2023_zhuzhou_anquan_jiandu": "docx",
    "2025_nanchang_liaoxiuyang_jingfei": "pdf",
    "2025_shangrao_gongjiang_tuijian": "html",
    "2024_pingxiang_changgai_diaodu": "docx",
    "2024_jian_zhongda_shixiang": "txt",
    "2021_xinyu_laodong_jingsai": "txt",
}
RENDERINGS_STEM = "2023_ganzhou_dundian_fangan"

MARKERS = ("letterhead", "docno", "title", "center", "right", "label", "cc", "printed",
           "pagebreak", "heading")
MARK_RE = re.compile(r"^@(" + "|".join(MARKERS) + r")(?: (.*))?$")


@dataclass
class Line:
    role: str  # letterhead docno title center right label cc printed pagebreak heading body blank row
    text: str


def parse_src(path: Path) -> list[Line]:
    out: list[Line] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        m = MARK_RE.match(raw)
        if m:
            out.append(Line(m.group(1), m.group(2) or ""))
        elif not raw.strip():
            out.append(Line("blank", ""))
        elif "\t" in raw:
            out.append(Line("row", raw))
        else:
            out.append(Line("body", raw))
    return out


def plain_text(lines: list[Line]) -> str:
    """The .txt rendering: markers dropped, a page break shown as blank lines."""
    parts = []
    for ln in lines:
        if ln.role == "pagebreak":
            parts.extend(["", ""])
        else:
            parts.append(ln.text)
    return "\n".join(parts).rstrip("\n") + "\n"


def blocks(lines: list[Line]):
    """Group lines for the paged formats: consecutive rows make one table, and the
    title lines (broken in the .txt where a printed header would wrap) make one
    paragraph that the page layout wraps again."""
    i = 0
    prev_title = False
    while i < len(lines):
        ln = lines[i]
        if ln.role == "title":
            prev_title = True
            parts = []
            while i < len(lines) and lines[i].role == "title":
                parts.append(lines[i].text)
                i += 1
            yield "title", "".join(parts)
            continue
        if ln.role == "row":
            rows = []
            while i < len(lines) and lines[i].role == "row":
                rows.append(lines[i].text.split("\t"))
                i += 1
            yield "table", rows
            continue
        if ln.role != "blank":
            role = ln.role
            if role == "body" and prev_title and ln.text.endswith("："):
                role = "label"  # 主送机关: flush left, no indent
            prev_title = ln.role == "title" or (prev_title and ln.role == "blank")
            yield role, ln.text
        i += 1


def span_runs(rows: list[list[str]], col: int) -> list[tuple[int, int]]:
    """Row ranges (start, end inclusive) where a cell left empty continues the one above."""
    runs = []
    start = None
    for r in range(1, len(rows)):  # row 0 is the header
        cell = rows[r][col] if col < len(rows[r]) else ""
        if cell.strip():
            if start is not None and r - 1 > start:
                runs.append((start, r - 1))
            start = r
    if start is not None and len(rows) - 1 > start:
        runs.append((start, len(rows) - 1))
    return runs


# ----------------------------------------------------------------------------- txt / html
def write_txt(lines: list[Line], path: Path, encoding: str = "utf-8") -> None:
    path.write_bytes(plain_text(lines).encode(encoding))


def write_html(lines: list[Line], path: Path) -> None:
    """A government-website article page: menus, breadcrumb, title before the 文号."""
    from html import escape

    title = "".join(ln.text for ln in lines if ln.role == "title")
    docno = next((ln.text for ln in lines if ln.role == "docno"), "")
    issuer = next((ln.text for ln in lines if ln.role == "right" and not re.search(r"\d|〇", ln.text)), "")
    body = []
    for kind, val in blocks(lines):
        if kind in ("letterhead", "docno", "title"):
            continue
        if kind == "table":
            trs = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in val)
            body.append(f'<table border="1" cellspacing="0">{trs}</table>')
        elif kind == "pagebreak":
            body.append("<p><br/></p>")
        elif kind in ("right", "printed"):
            body.append(f'<p style="text-align:right">{escape(val)}</p>')
        elif kind == "center":
            body.append(f'<p style="text-align:center"><strong>{escape(val)}</strong></p>')
        elif kind in ("label", "cc"):
            body.append(f"<p>{escape(val)}</p>")
        else:
            body.append(f'<p style="text-indent:2em">{escape(val)}</p>')
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}_通知公告_{escape(issuer)}</title>
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="2025-03-10 09:30">
<meta name="ContentSource" content="{escape(issuer)}">
</head>
<body>
<div class="top">
  <div class="logo">{escape(issuer)}</div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li>
    <li><a href="/tzgg/">通知公告</a></li><li><a href="/zcfg/">政策法规</a></li>
    <li><a href="/zgfw/">职工服务</a></li><li><a href="/lxwm/">联系我们</a></li>
  </ul>
  <form class="search" action="/search"><input name="q" placeholder="请输入关键字"><button>搜索</button></form>
</div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a> &gt; 正文</div>
<div class="article">
  <h1 class="article-title">{escape(title)}</h1>
  <div class="article-info">发布时间：2025-03-10　来源：{escape(issuer)}　浏览次数：1268　【字体：大 中 小】　【打印】</div>
  <div class="article-content">
    <p style="text-align:center">{escape(docno)}</p>
    {chr(10).join('    ' + b for b in body).lstrip()}
  </div>
  <div class="article-share">分享到：微信 微博　<a href="javascript:window.close()">【关闭窗口】</a></div>
  <div class="prev-next">上一篇：<a href="/tzgg/1203.html">关于开展“五一”劳动奖表彰推荐工作的通知</a><br>
  下一篇：<a href="/tzgg/1205.html">关于做好2025年春季职工疗休养工作的通知</a></div>
</div>
<div class="footer">
  <p>主办单位：{escape(issuer)}　地址：上饶市信州区滨江西路88号　邮编：334000</p>
  <p>电话：0793-8221234　赣ICP备05001234号-1　赣公网安备36110202000123号</p>
  <p>版权所有 © {escape(issuer)}　技术支持：上饶市信息中心</p>
</div>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")


# ----------------------------------------------------------------------------- docx
def write_docx(lines: list[Line], path: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    for sec in doc.sections:
        sec.page_height, sec.page_width = Pt(842), Pt(595)  # A4
        sec.top_margin, sec.bottom_margin = Pt(105), Pt(99)
        sec.left_margin, sec.right_margin = Pt(80), Pt(74)
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")

    def para(text, align=None, size=None, bold=False, red=False, indent=False, font=None):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(text)
        if size:
            run.font.size = Pt(size)
        run.bold = bold or None
        if red:
            run.font.color.rgb = RGBColor(0xE0, 0x00, 0x00)
        if font:
            run.font.name = font
            run._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        return p

    def red_rule(p):
        pPr = p._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "E00000")):
            bottom.set(qn(k), v)
        bdr.append(bottom)
        pPr.append(bdr)

    seen_docno = False
    for kind, val in blocks(lines):
        if kind == "letterhead":
            para(val, WD_ALIGN_PARAGRAPH.CENTER, 36, red=True, font="方正小标宋简体")
        elif kind == "docno":
            p = para(val, WD_ALIGN_PARAGRAPH.CENTER)
            if not seen_docno:
                red_rule(p)
            seen_docno = True
        elif kind == "title":
            para(val, WD_ALIGN_PARAGRAPH.CENTER, 22, font="方正小标宋简体")
        elif kind == "center":
            para(val, WD_ALIGN_PARAGRAPH.CENTER, 18, bold=True, font="黑体")
        elif kind == "right":
            para(val, WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "label":
            para(val, font="黑体")
        elif kind == "heading":
            para(val, indent=True, font="黑体")
        elif kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif kind in ("cc", "printed"):
            p = para(val, size=14)
            if kind == "printed":
                red_rule(p)
        elif kind == "table":
            ncol = max(len(r) for r in val)
            rows = [r + [""] * (ncol - len(r)) for r in val]
            t = doc.add_table(rows=len(rows), cols=ncol)
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            for ri, r in enumerate(rows):
                for ci, c in enumerate(r):
                    cell = t.cell(ri, ci)
                    cell.text = c
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(14)
                        run.bold = (ri == 0) or None
            # a leader written once for several rows becomes a vertically merged cell,
            # as it would be in a real Word file
            for start, end in span_runs(rows, 0):
                text = t.cell(start, 0).text
                merged = t.cell(start, 0).merge(t.cell(end, 0))
                merged.text = text
                for run in merged.paragraphs[0].runs:
                    run.font.size = Pt(14)
        else:
            para(val, indent=True)

    core = doc.core_properties
    core.author = "gongwen 示例语料"
    core.last_modified_by = "gongwen 示例语料"
    core.title = "".join(ln.text for ln in lines if ln.role == "title")
    core.created = core.modified = FIXED_TIME
    core.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so repeated builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ----------------------------------------------------------------------------- pdf
def _split(text: str, cjk_chars: set) -> list[tuple[bool, str]]:
    """Split into (is_latin, run) pieces by whether the CJK font has the glyph."""
    pieces: list[tuple[bool, str]] = []
    for ch in text:
        latin = ord(ch) not in cjk_chars
        if pieces and pieces[-1][0] == latin:
            pieces[-1] = (latin, pieces[-1][1] + ch)
        else:
            pieces.append((latin, ch))
    return pieces


def write_pdf(lines: list[Line], path: Path) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import HRFlowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    # each on its own: another caller in the process (tests/fixtures_make.py) may have
    # registered the CJK face under the same name, and not this Latin one
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, FONT_PATH))
    if LATIN not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(LATIN, LATIN_PATH))
    cjk_chars = set(pdfmetrics.getFont(FONT).face.charToGlyph)

    def markup(text: str) -> str:
        """Escape for Paragraph, set non-CJK runs in the Latin face, keep space runs."""
        out = []
        for run in re.findall(r"( +|[^ ]+)", text):
            if run.startswith(" "):
                out.append("&nbsp;" * len(run) if len(run) > 1 else " ")
                continue
            for piece in _split(run, cjk_chars):
                esc = escape(piece[1])
                out.append(f'<font name="{LATIN}">{esc}</font>' if piece[0] else esc)
        return "".join(out)
    red = colors.Color(0.88, 0, 0)

    def st(name, size=15.5, align=TA_JUSTIFY, indent=0, color=colors.black, lead=None, before=0):
        return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=lead or size * 1.75,
                              alignment=align, firstLineIndent=indent, textColor=color,
                              wordWrap="CJK", spaceBefore=before)

    s_body = st("body", indent=31)
    s_head = st("head", size=30, align=TA_CENTER, color=red, lead=44)
    s_center = st("center", align=TA_CENTER)
    s_title = st("title", size=21, align=TA_CENTER, lead=34)
    s_sub = st("sub", size=17, align=TA_CENTER, lead=30, before=6)
    s_right = st("right", align=TA_RIGHT)
    s_left = st("left")
    s_cc = st("cc", size=13.5)
    s_cell = ParagraphStyle("cell", fontName=FONT, fontSize=12.5, leading=17, wordWrap="CJK",
                            alignment=TA_CENTER)

    story = []
    seen_docno = False
    for kind, val in blocks(lines):
        # keep runs of spaces (aligned roster lines, "刘 洋") as printed
        v = markup(val) if isinstance(val, str) else ""
        if kind == "letterhead":
            story += [Spacer(1, 18 * mm), Paragraph(v, s_head), Spacer(1, 10 * mm)]
        elif kind == "docno":
            story.append(Paragraph(v, s_center))
            if not seen_docno:
                story += [Spacer(1, 2 * mm), HRFlowable(width="100%", thickness=2, color=red,
                                                        spaceAfter=8 * mm)]
            seen_docno = True
        elif kind == "title":
            story.append(Paragraph(v, s_title))
        elif kind == "center":
            story.append(Paragraph(v, s_sub))
        elif kind == "right":
            story.append(Paragraph(v, s_right))
        elif kind in ("label", "heading"):
            story.append(Paragraph(v, s_left if kind == "label" else s_body))
        elif kind == "body" and val.startswith(" "):
            story.append(Paragraph(v, s_left))
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "cc":
            story += [Spacer(1, 8 * mm), HRFlowable(width="100%", thickness=1, color=colors.black,
                                                    spaceAfter=1 * mm), Paragraph(v, s_cc)]
        elif kind == "printed":
            # 印发机关 flush left, 印发日期 flush right on the same line
            left, _, right = val.partition("\u3000")
            row = Table([[Paragraph(markup(left), s_cc),
                          Paragraph(markup(right.strip("\u3000")), ParagraphStyle(
                              "ccr", parent=s_cc, alignment=TA_RIGHT))]],
                        colWidths=[(A4[0] - 54 * mm) / 2] * 2,
                        style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
            story += [HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=1 * mm,
                                 spaceAfter=1 * mm), row,
                      HRFlowable(width="100%", thickness=1, color=colors.black, spaceBefore=1 * mm)]
        elif kind == "table":
            ncol = max(len(r) for r in val)
            rows = [r + [""] * (ncol - len(r)) for r in val]
            data = [[Paragraph(markup(c), s_cell) for c in r] for r in rows]
            width = A4[0] - 60 * mm
            lens = [max(3, max(len(r[c]) for r in rows)) for c in range(ncol)]
            col_widths = [width * n / sum(lens) for n in lens]
            style = [("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93))]
            for start, end in span_runs(rows, 0):
                style.append(("SPAN", (0, start), (0, end)))
            story.append(Table(data, style=TableStyle(style), repeatRows=1, hAlign="CENTER",
                               colWidths=col_widths))
        else:
            story.append(Paragraph(v, s_body))

    def footer(canvas, doc_):
        canvas.saveState()
        canvas.setFont(LATIN, 14)
        canvas.drawCentredString(A4[0] / 2, 14 * mm, f"— {doc_.page} —")
        canvas.restoreState()

    title = "".join(ln.text for ln in lines if ln.role == "title")
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm,
                            topMargin=30 * mm, bottomMargin=30 * mm, title=title,
                            author="gongwen 示例语料", creator="gongwen make_notices.py",
                            invariant=1)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    path.write_bytes(buf.getvalue())


# ----------------------------------------------------------------------------- main
WRITERS = {
    "txt": lambda ls, p: write_txt(ls, p),
    "txt-gb18030": lambda ls, p: write_txt(ls, p, "gb18030"),
    "docx": write_docx,
    "pdf": write_pdf,
    "html": write_html,
}


def suffix(fmt: str) -> str:
    return ".txt" if fmt.startswith("txt") else "." + fmt


def main() -> None:
    NOTICES.mkdir(parents=True, exist_ok=True)
    RENDERINGS.mkdir(parents=True, exist_ok=True)
    made = 0
    for stem, fmt in MANIFEST.items():
        src = SRC / f"{stem}.txt"
        if not src.exists():
            print(f"missing source: {src.name}")
            continue
        lines = parse_src(src)
        WRITERS[fmt](lines, NOTICES / f"{stem}{suffix(fmt)}")
        made += 1
        if stem == RENDERINGS_STEM:
            for f in ("txt", "docx", "pdf"):
                WRITERS[f](lines, RENDERINGS / f"{stem}.{f}")
                made += 1
    print(f"{made} files written")


if __name__ == "__main__":
    main()
