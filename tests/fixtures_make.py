"""Builders of real test files (PDF, DOCX, HTML, text in many encodings, and broken
ones), written at test time into a folder the test owns (pytest's tmp_path).

Reusable by any test: each `make_*` function writes a file and returns its path
(and, for the notice builders, what a reader must find in it).
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

CJK_TTF = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
CJK_TTC_FALLBACK = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LATIN_TTF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT = "DroidSansFallback"
LATIN = "DejaVuSans"  # Droid Sans Fallback has no digits, Latin letters or “”: those are drawn with this

# --- a 公文-like notice used by several builders ---------------------------------------

LETTERHEAD = "长 兴 县 总 工 会 文 件"
DOC_NUMBER = "长总工〔2024〕7 号"
TITLE = "关于开展2024年度“工人先锋号”创建活动和职工技能竞赛有关事项的通知"
RECIPIENTS = "各乡镇（街道、园区）（总）工会（委），县直属产（行）业工会（委）："
PARAGRAPHS = [
    "一、指导思想",
    "以习近平新时代中国特色社会主义思想为指导，深入贯彻落实党的二十大精神，团结动员广大职工"
    "在推动高质量发展中建功立业，进一步深化劳动和技能竞赛，激发职工创新创造活力。",
    "二、活动内容",
    "（一）各乡镇（街道、园区）总工会要在辖区内至少培育“工人先锋号”示范点2个，"
    "县直属产业工会至少培育1个，并于6月30日前将培育名单报县总工会经济工作部备案。",
    "（二）各基层工会每季度组织开展一次技能比武活动，参赛职工人数不少于本单位职工总数的"
    "百分之二十，比赛结果要在单位内部公示，公示期不少于5个工作日，对在比赛中成绩突出的职工，"
    "要按照有关规定给予表彰奖励，并推荐参加县级以上的各类职业技能竞赛活动。",
    "三、工作要求",
    "各单位要高度重视，加强组织领导，明确责任分工，认真制定活动方案，确保各项工作落到实处。"
    "县总工会将适时对各单位活动开展情况进行督查，督查结果纳入年度工作考核，考核结果在全县通报，"
    "对工作推进不力、措施落实不到位的单位将进行约谈，并限期整改到位，整改情况要书面报告县总工会。",
    "请各单位于2024年11月30日前将活动总结报送县总工会经济工作部。",
]
TABLE_TITLE = "2024年“工人先锋号”培育名额分配表"
TABLE_ROWS = [
    ["序号", "单位", "名额", "备注"],
    ["1", "洪桥镇总工会", "2", "含示范点"],
    ["2", "画溪街道总工会", "3", ""],
    ["3", "县教育工会", "1", "新建"],
]
SIGNER = "长兴县总工会"
DATE = "2024 年 3 月 1 日"
RUNNING_HEADER = "长兴县总工会规范性文件"


@dataclass
class NoticePdf:
    path: Path
    pages: int
    split_paragraphs: list[str] = field(default_factory=list)  # paragraphs broken by a page break
    wrapped_paragraphs: list[str] = field(default_factory=list)  # paragraphs broken by layout


def _register_font() -> None:
    global LATIN
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        if CJK_TTF.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(CJK_TTF)))
        else:  # another machine: WenQuanYi Micro Hei (a .ttc) serves as well
            pdfmetrics.registerFont(TTFont(FONT, str(CJK_TTC_FALLBACK), subfontIndex=0))
    if LATIN_TTF.exists():
        if LATIN not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(LATIN, str(LATIN_TTF)))
    else:
        LATIN = "Helvetica"


def _runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, run) pieces: CJK from the CJK font, the rest from the Latin one."""
    from reportlab.pdfbase import pdfmetrics

    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = FONT if ord(ch) in cmap else LATIN
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, font, size) for font, run in _runs(text))


def draw(c, x: float, y: float, text: str, size: float, *, centre: float | None = None) -> None:
    """Draw mixed CJK/Latin text at (x, y), or centred on x = `centre`."""
    if centre is not None:
        x = centre - _width(text, size) / 2
    for font, run in _runs(text):
        c.setFont(font, size)
        c.drawString(x, y, run)
        x += _width(run, size)


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines that fill `width`, the way a word processor breaks CJK."""
    lines, cur = [], ""
    for ch in text:
        if _width(cur + ch, size) > width and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def make_notice_pdf(path: Path, *, page_number_style: str = "— {n} —", running_header: bool = True) -> NoticePdf:
    """A red-header notice over several A4 pages: letter-spaced letterhead, 文号,
    a title wrapped over two centred lines, body paragraphs that wrap and one that is
    split by a page break, a ruled table, signature, date; page numbers at the foot
    and a running header on every page after the first."""
    from reportlab.lib.colors import black, red
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    W, H = A4
    left, right, top, bottom = 79.0, W - 79.0, H - 72.0, 90.0
    body = 16.0
    lead = body * 1.75
    c = canvas.Canvas(str(path), pagesize=A4)
    info = NoticePdf(path=Path(path), pages=0)
    state = {"page": 1, "y": top}

    def header() -> None:
        if running_header:
            c.setFillColor(black)
            draw(c, 0, H - 40, RUNNING_HEADER, 10.5, centre=W / 2)

    def finish_page(last: bool = False) -> None:
        c.setFillColor(black)
        draw(c, 0, 50, page_number_style.format(n=state["page"]), 14, centre=W / 2)
        c.showPage()
        state["page"] += 1
        state["y"] = top
        if not last:
            header()

    def need(h: float) -> bool:
        if state["y"] - h < bottom:
            finish_page()
            return True
        return False

    def paragraph(text: str, *, indent: bool = True, split: bool = False) -> None:
        width = right - left
        if indent:  # first line indented by two characters, the rest full width
            first = _wrap(text, body, width - 2 * body)[0]
            lines = [first] + _wrap(text[len(first):], body, width)
        else:
            lines = _wrap(text, body, width)
        if split:
            # Leave room for exactly two lines so the page break falls inside the paragraph.
            if int((state["y"] - bottom) // lead) < 2:
                finish_page()
            state["y"] = min(state["y"], bottom + 2 * lead + 0.5)
        pages_seen = set()
        for i, ln in enumerate(lines):
            need(lead)
            pages_seen.add(state["page"])
            x = left + (2 * body if indent and i == 0 else 0)
            c.setFillColor(black)
            draw(c, x, state["y"] - body, ln, body)
            state["y"] -= lead
        if len(lines) > 1:
            info.wrapped_paragraphs.append(text)
        if len(pages_seen) > 1:
            info.split_paragraphs.append(text)

    header()
    # letterhead, 文号, red rule
    c.setFillColor(red)
    draw(c, 0, top - 40, LETTERHEAD, 36, centre=W / 2)
    c.setFillColor(black)
    draw(c, 0, top - 100, DOC_NUMBER, body, centre=W / 2)
    c.setStrokeColor(red)
    c.setLineWidth(2)
    c.line(left, top - 115, right, top - 115)
    c.setStrokeColor(black)
    c.setLineWidth(1)
    state["y"] = top - 150
    # title over two centred lines in a larger size
    for ln in (TITLE[:22], TITLE[22:]):
        draw(c, 0, state["y"] - 22, ln, 22, centre=W / 2)
        state["y"] -= 22 * 1.5
    state["y"] -= 20
    paragraph(RECIPIENTS, indent=False)
    for p in PARAGRAPHS:
        paragraph(p, split=p is PARAGRAPHS[6])
    finish_page()  # the table on a page of its own, as an attachment would be
    # the table, ruled, on a fresh area
    need(lead * 2 + 30 * len(TABLE_ROWS))
    draw(c, 0, state["y"] - body, TABLE_TITLE, body, centre=W / 2)
    state["y"] -= lead
    col_w = [60, 200, 80, (right - left) - 340]
    row_h = 30
    y0 = state["y"]
    for r, row in enumerate(TABLE_ROWS):
        x = left
        for w, cell in zip(col_w, row):
            draw(c, x + 6, y0 - r * row_h - 20, cell, 14)
            x += w
    nrows = len(TABLE_ROWS)
    for r in range(nrows + 1):
        c.line(left, y0 - r * row_h, right, y0 - r * row_h)
    x = left
    for w in col_w + [0]:
        c.line(x, y0, x, y0 - nrows * row_h)
        x += w
    state["y"] = y0 - nrows * row_h - lead
    need(lead * 3)
    draw(c, right - 160, state["y"] - body - lead, SIGNER, body)
    draw(c, right - 170, state["y"] - body - 2 * lead, DATE, body)
    finish_page(last=True)
    c.save()
    info.pages = state["page"] - 1
    return info


def make_text_pdf(
    path: Path, pages: list[list[str]], *, size: float = 14.0, top: float = 80.0, overprint: bool = False
) -> Path:
    """A plain PDF with the given lines on each page (no wrapping), the first
    line's baseline `top` points below the top edge. `overprint` draws every line
    a second time 0.3 pt to the right (how some printers fake bold)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    _register_font()
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = A4[1] - top
        for ln in lines:
            draw(c, 72, y, ln, size)
            if overprint:
                draw(c, 72.3, y, ln, size)
            y -= size * 1.8
        c.showPage()
    c.save()
    return Path(path)


def make_scanned_pdf(path: Path, pages: int = 2, *, watermark: str | None = None) -> Path:
    """An image-only PDF: each page is a PNG of rendered text (no text layer),
    optionally with a scanner app's small text watermark on each page."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = ImageFont.truetype(str(CJK_TTF if CJK_TTF.exists() else CJK_TTC_FALLBACK), 28)
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        img = Image.new("RGB", (620, 877), "white")
        d = ImageDraw.Draw(img)
        d.text((80, 60), "长兴县总工会文件", font=font, fill="red")
        for i, p in enumerate(PARAGRAPHS[:6]):
            d.text((40, 160 + i * 60), p[:20], font=font, fill="black")
        d.text((290, 820), f"— {n + 1} —", font=font, fill="black")
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
        if watermark:
            _register_font()
            draw(c, 400, 20, watermark, 8)
        c.showPage()
    c.save()
    return Path(path)


def make_photo_pdf(path: Path) -> Path:
    """A page that is one picture without any writing (a photo of an event)."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.linear_gradient("L").resize((620, 877)).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(buf), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def stamp_seal(img, cx: float, cy: float, r: float, name: str = "南昌市总工会"):
    """A red seal (ring, star, organ name) printed over the page like ink: multiplied,
    so black text under it stays dark, as on a stamped paper notice."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    mask = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(mask)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=max(3, int(r / 14)))
    star = []
    for i in range(10):  # five points, outer and inner corners alternating
        a, rr = np.pi / 2 + i * np.pi / 5, r * (0.3 if i % 2 == 0 else 0.12)
        star.append((cx + rr * np.cos(a), cy - rr * np.sin(a)))
    d.polygon(star, fill=255)
    font = ImageFont.truetype(str(CJK_TTF if CJK_TTF.exists() else CJK_TTC_FALLBACK), int(r / 4))
    d.text((cx - r * 0.75, cy - r * 0.8), name, font=font, fill=255)
    a = np.asarray(img).astype(np.float32)
    m = np.asarray(mask).astype(np.float32)[..., None] / 255
    ink = np.array([225, 30, 40], np.float32) / 255
    out = a * (1 - m) + a * ink * m
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def encrypt_pdf(src: Path, dst: Path, *, user_password: str = "secret", owner_password: str = "owner") -> Path:
    import pypdf

    reader = pypdf.PdfReader(str(src))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    with open(dst, "wb") as f:
        writer.write(f)
    return Path(dst)


def strip_tounicode(src: Path, dst: Path) -> Path:
    """The same PDF without its fonts' ToUnicode maps: glyphs can no longer be
    mapped back to characters (what some old typesetting tools produce)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(src)))
    for page in writer.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
    with open(dst, "wb") as f:
        writer.write(f)
    return Path(dst)


def truncate_file(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    data = Path(src).read_bytes()
    Path(dst).write_bytes(data[: int(len(data) * fraction)])
    return Path(dst)


# --- DOCX ------------------------------------------------------------------------------

DOCX_TABLE = [
    ["序号", "任务", "责任单位", "完成时限"],
    ["1", "培育“工人先锋号”示范点", "各乡镇总工会", "6月30日前"],
    ["2", "开展技能比武", "各基层工会", "每季度一次"],
]


def make_docx(path: Path, *, merged: bool = True) -> Path:
    """A notice with paragraphs, a table between them, and (optionally) a row whose
    first two cells are merged horizontally and a column merged vertically."""
    import docx

    d = docx.Document()
    d.add_paragraph(DOC_NUMBER.replace(" ", ""))
    d.add_paragraph(TITLE)
    d.add_paragraph(RECIPIENTS)
    d.add_paragraph(PARAGRAPHS[0])
    d.add_paragraph(PARAGRAPHS[1])
    t = d.add_table(rows=len(DOCX_TABLE), cols=4)
    for r, row in enumerate(DOCX_TABLE):
        for k, cell in enumerate(row):
            t.cell(r, k).text = cell
    if merged:
        row = t.add_row()
        a = row.cells[0].merge(row.cells[1])
        a.text = "合计"
        row.cells[2].text = "全县"
        # column 3 of the last two rows merged vertically: the text lives in the top cell
        top = t.cell(2, 3).merge(t.cell(3, 3))
        top.text = "每季度一次"
    d.add_paragraph(PARAGRAPHS[2])
    p = d.add_paragraph("联系人：张三\t联系电话：0572-6022447")
    p.add_run().add_break()
    p.add_run("邮箱：test@example.com")
    d.add_paragraph(SIGNER)
    d.add_paragraph(DATE)
    d.save(str(path))
    return Path(path)


NUMBERED_DOCX = [  # (level, text) and what Word shows
    (0, "指导思想", "一、指导思想"),
    (1, "坚持党的领导。", "（一）坚持党的领导。"),
    (1, "坚持以职工为中心。", "（二）坚持以职工为中心。"),
    (0, "工作要求", "二、工作要求"),
    (1, "加强组织领导。", "（一）加强组织领导。"),
    (None, "各单位要认真落实。", "各单位要认真落实。"),
    (0, "其他事项", "三、其他事项"),
]


def make_numbered_docx(path: Path) -> Path:
    """Headings numbered by Word's automatic numbering (一、 / （一）, Chinese
    counting) rather than typed: the numbers exist only in numbering.xml."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    first_num.addprevious(abstract)  # abstract definitions come before the instances
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text, _ in NUMBERED_DOCX:
        p = d.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    d.add_paragraph("要点", style="List Bullet")  # a bullet renders as nothing
    d.save(str(path))
    return Path(path)


def make_textbox_docx(path: Path) -> Path:
    """A letterhead set in a text box (as many red-header templates do), written the
    way Word writes it: a DrawingML box in mc:Choice and a VML copy in mc:Fallback."""
    import docx
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    box = f"<w:txbxContent><w:p><w:r><w:t>{LETTERHEAD.replace(' ', '')}</w:t></w:r></w:p></w:txbxContent>"
    run = parse_xml(
        f"<w:r {ns}><mc:AlternateContent><mc:Choice Requires=\"wps\"><wps:wsp><wps:txbx>{box}</wps:txbx>"
        f"</wps:wsp></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(run)
    d.add_paragraph(DOC_NUMBER.replace(" ", ""))
    d.add_paragraph(TITLE)
    d.save(str(path))
    return Path(path)


def make_flat_opc(docx_path: Path, path: Path) -> Path:
    """The DOCX at `docx_path` saved as Word's single-file "Word XML 文档" (Flat OPC), the
    way Word writes it: every package part in a pkg:part, XML parts inline, others base64."""
    import base64
    import re
    from xml.sax.saxutils import quoteattr

    with zipfile.ZipFile(docx_path) as zf:
        types = zf.read("[Content_Types].xml").decode()
        defaults = dict(re.findall(r'<Default Extension="([^"]+)" ContentType="([^"]+)"', types))
        overrides = dict(re.findall(r'<Override PartName="([^"]+)" ContentType="([^"]+)"', types))
        parts = []
        for name in zf.namelist():
            if name == "[Content_Types].xml":
                continue
            kind = overrides.get("/" + name) or defaults.get(name.rsplit(".", 1)[-1], "")
            data = zf.read(name)
            head = f"<pkg:part pkg:name={quoteattr('/' + name)} pkg:contentType={quoteattr(kind)}>"
            if name.endswith((".xml", ".rels")):
                body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data).decode()
                parts.append(f"{head}<pkg:xmlData>{body}</pkg:xmlData></pkg:part>")
            else:
                parts.append(f"{head}<pkg:binaryData>{base64.b64encode(data).decode()}</pkg:binaryData></pkg:part>")
    path.write_text(
        '<?xml version="1.0" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
        '<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">'
        + "".join(parts) + "</pkg:package>",
        encoding="utf-8",
    )
    return Path(path)


# (what Word 2003 shows, as the reader must give it) for make_word2003_xml
WORD2003_LINES = [
    TITLE,
    RECIPIENTS,
    PARAGRAPHS[0],  # "一、" is Word's list label
    PARAGRAPHS[1],
    "序号\t单位\t名额",
    "1\t洪桥镇总工会\t2",
    "合计",  # trailing empty cells end the line
    "请各单位于2024年11月30日前将活动总结报送县总工会经济工作部。详见县总工会网站。",
    SIGNER,
]


def make_word2003_xml(path: Path) -> Path:
    """A notice saved by Word 2003 as "XML 文档" (WordprocessingML 2003) under a .doc name,
    as office systems publish them: body in wx:sect / wx:sub-section, a list label Word
    rendered (listPr/wx:t), a table with a horizontal and a vertical merge, a hyperlink
    (w:hlink), a tracked insertion and a reviewer's comment (aml:annotation)."""
    def run(text: str) -> str:
        return f'<w:r><w:rPr><wx:font wx:val="宋体"/></w:rPr><w:t>{text}</w:t></w:r>'

    def para(text: str, *, label: str | None = None) -> str:
        ppr = "<w:pPr>" + (f'<w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/><wx:t wx:val="{label}"/></w:listPr>'
                           if label else "") + "</w:pPr>"
        return f"<w:p>{ppr}{run(text)}</w:p>"

    def cell(text: str, extra: str = "") -> str:
        return f"<w:tc><w:tcPr>{extra}</w:tcPr>{para(text) if text else '<w:p/>'}</w:tc>"

    restart, below, span = '<w:vmerge w:val="restart"/>', "<w:vmerge/>", '<w:gridSpan w:val="2"/>'
    table = (
        "<w:tbl>"
        f"<w:tr>{cell('序号')}{cell('单位')}{cell('名额', restart)}</w:tr>"
        f"<w:tr>{cell('1')}{cell('洪桥镇总工会')}{cell('2')}</w:tr>"
        f"<w:tr>{cell('合计', span)}{cell('', below)}</w:tr>"
        "</w:tbl>"
    )
    last = PARAGRAPHS[-1]
    annotated = (
        f"<w:p><w:pPr/>{run(last)}"
        '<aml:annotation aml:id="1" w:type="Word.Insertion" aml:author="张三"><aml:content>'
        f"{run('详见')}</aml:content></aml:annotation>"
        f'<w:hlink w:dest="http://www.example.org/">{run("县总工会网站")}</w:hlink>{run("。")}'
        '<aml:annotation aml:id="2" w:type="Word.Comment" aml:author="李四"><aml:content>'
        f"{para('此处请再核对')}</aml:content></aml:annotation></w:p>"
    )
    body = (
        para(TITLE) + para(RECIPIENTS) + "<wx:sub-section>" + para(PARAGRAPHS[0][2:], label="一、")
        + para(PARAGRAPHS[1]) + table + annotated + "</wx:sub-section>" + para(SIGNER)
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<?mso-application progid="Word.Document"?>\n'
        '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" '
        'xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" '
        'xmlns:aml="http://schemas.microsoft.com/aml/2001/core" w:macrosPresent="no">'
        '<w:docPr><w:view w:val="print"/></w:docPr>'
        f"<w:body><wx:sect>{body}<w:sectPr/></wx:sect></w:body></w:wordDocument>",
        encoding="utf-8",
    )
    return Path(path)


def make_mht(path: Path, *, with_page: bool = True) -> Path:
    """The notice web page saved as "单个文件网页" (MHT), as Word and office systems export
    it (often under a .doc name): a multipart/related message whose page is GB2312 in
    quoted-printable, its charset named only in the part's header, with an image part."""
    import re
    from email.encoders import encode_quopri
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.nonmultipart import MIMENonMultipart

    message = MIMEMultipart("related")
    if with_page:
        page = make_gov_html(path.with_suffix(".page.htm"), encoding="gb2312").read_bytes()
        page = re.sub(rb"<meta[^>]*charset[^>]*>", b"", page, flags=re.I)
        part = MIMENonMultipart("text", "html", charset="gb2312")
        part.set_payload(page)
        encode_quopri(part)
        part["Content-Location"] = "file:///C:/notice.htm"
        message.attach(part)
    message.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(64), "png"))
    path.write_bytes(message.as_bytes())
    return Path(path)


REVISED_DOCX_LINE = "请各单位于2024年6月30日前将工作总结（2024年3月1日）报送县总工会。"


def make_revised_docx(path: Path) -> Path:
    """A notice paragraph whose words sit below the paragraph in the containers Word and
    templates write: a tracked insertion and deletion, a moved phrase, an inline content
    control (a template field), a simple field, a smart tag, custom XML; and a ruby guide.
    With revisions accepted Word shows REVISED_DOCX_LINE."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def r(text: str, tag: str = "t") -> str:
        return f"<w:r><w:{tag}>{text}</w:{tag}></w:r>"

    d = docx.Document()
    p = d.add_paragraph("请各单位于")
    for xml in (
        f'<w:ins {w} w:id="1" w:author="审核人">{r("2024年6月30日前")}</w:ins>',
        f'<w:del {w} w:id="2" w:author="审核人">{r("5月31日前", "delText")}</w:del>',
        f'<w:moveFrom {w} w:id="3" w:author="审核人">{r("报送县总工会")}</w:moveFrom>',
        f'<w:customXml {w} w:element="x">{r("将")}</w:customXml>',
        f'<w:sdt {w}><w:sdtPr><w:alias w:val="材料"/></w:sdtPr><w:sdtContent>{r("工作总结")}</w:sdtContent></w:sdt>',
        f'<w:fldSimple {w} w:instr="CREATEDATE">{r("（2024年3月1日）")}</w:fldSimple>',
        f'<w:moveTo {w} w:id="4" w:author="审核人">{r("报送")}</w:moveTo>',
        f'<w:smartTag {w} w:uri="urn:schemas" w:element="place">{r("县总工会")}</w:smartTag>',
        f'<w:r {w}><w:ruby><w:rubyPr/><w:rt>{r("tong")}</w:rt><w:rubyBase>{r("。")}</w:rubyBase></w:ruby></w:r>',
    ):
        p._p.append(parse_xml(xml))
    d.save(str(path))
    return Path(path)


def make_alt_chunk_docx(path: Path, *, kind: str = "text/html", lead: str | None = None,
                        data: bytes | None = None, name: str | None = None) -> Path:
    """A notice exported by a web system as "Word" the way html-docx-js and similar tools
    write it: document.xml holds only w:altChunk, the body is an HTML part Word renders.
    `data` (with its content type `kind` and part `name`): another chunk instead."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    html = ("<html><head><meta charset='utf-8'></head><body>"
            f"<p>{TITLE}</p><p>{RECIPIENTS}</p>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4])
            + "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE_ROWS)
            + f"</table><p>{PARAGRAPHS[-1]}</p><p>{SIGNER}</p></body></html>")
    d = docx.Document()
    name = name or ("/word/afchunk.mht" if kind != "text/html" else "/word/afchunk.htm")
    part = Part(PackURI(name), kind, html.encode("utf-8") if data is None else data, d.part.package)
    rid = d.part.relate_to(part, RT.A_F_CHUNK)
    if lead:
        d.add_paragraph(lead)
    d.element.body.insert(1 if lead else 0, parse_xml(
        '<w:altChunk xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'))
    d.save(str(path))
    return Path(path)


def make_zip_bomb_docx(path: Path, *, inflated_mb: int = 300) -> Path:
    """A DOCX-shaped zip whose word/document.xml inflates to `inflated_mb` MB of
    zeros. Written streaming (1 MB at a time), so memory and disk stay small."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(inflated_mb):
                f.write(chunk)
    return Path(path)


def make_not_docx_zip(path: Path) -> Path:
    """A valid zip that is not a Word document (no word/document.xml)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return Path(path)


# --- legacy Word .doc ---------------------------------------------------------------


def make_doc(
    path: Path,
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    *,
    stream: str = "WordDocument",
    encrypted: bool = False,
    legacy_gbk: bool = False,
) -> Path:
    """A minimal real Word 97 (.doc) file: an OLE2 compound file holding a
    WordDocument stream with a FIB and the text as UTF-16 (paragraphs end with
    CR; table cells with 0x07 and rows with an extra 0x07, as Word writes them).
    Enough for catdoc, which reads the text between FIB.fcMin and FIB.fcMac.
    Note catdoc's own quirk: an empty last cell in a row shifts the next row.
    `stream="EncryptedPackage"` gives the container Word uses for an encrypted .docx;
    `legacy_gbk` stores the text as 8-bit GBK without the fExtChar flag, as Chinese
    Word 6/95 files do."""
    ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_name = stream
    text = "".join(p + "\r" for p in paragraphs)
    if table:
        text += "".join("".join(c + "\x07" for c in row) + "\x07" for row in table)
        text += "\r"
    body = text.encode("gbk") if legacy_gbk else text.encode("utf-16-le")
    fc_min = 0x400
    stream = bytearray(fc_min) + body
    fib = bytearray(128)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0x0000, 0x0804, 0)
    # fExtChar: text is (mostly) UTF-16; fEncrypted marks a password-protected file
    struct.pack_into("<H", fib, 10, (0 if legacy_gbk else 0x1000) | (0x0100 if encrypted else 0))
    struct.pack_into("<II", fib, 24, fc_min, fc_min + len(body))
    stream[:128] = fib
    if len(stream) < 4096:
        stream += bytes(4096 - len(stream))  # keep it a regular (not mini) stream
    stream += bytes(-len(stream) % 512)
    n = len(stream) // 512
    # sectors: 0 FAT, 1 directory, 2.. stream
    fat = [FATSECT, ENDOFCHAIN] + [i + 1 for i in range(2, 2 + n - 1)] + [ENDOFCHAIN]
    fat += [FREESECT] * (128 - len(fat))

    def entry(name, typ, child, start, size):
        e = bytearray(128)
        nm = (name + "\0").encode("utf-16-le") if name else b""
        e[: len(nm)] = nm
        struct.pack_into("<HBB", e, 64, len(nm), typ, 1)
        struct.pack_into("<III", e, 68, NOSTREAM, NOSTREAM, child)
        struct.pack_into("<II", e, 116, start, size)
        return bytes(e)

    dirsec = entry("Root Entry", 5, 1, ENDOFCHAIN, 0) + entry(stream_name, 2, NOSTREAM, 2, len(stream)) + bytes(256)
    hdr = bytearray(512)
    hdr[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", hdr, 40, 0, 1, 1, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
    difat = [0] + [FREESECT] * 108
    struct.pack_into("<109I", hdr, 76, *difat)
    data = bytes(hdr) + struct.pack("<128I", *fat) + dirsec + bytes(stream)
    Path(path).write_bytes(data)
    return Path(path)


# --- text and junk ---------------------------------------------------------------------

NOTICE_TEXT = "\n".join([DOC_NUMBER, TITLE, RECIPIENTS, *PARAGRAPHS, SIGNER, DATE]) + "\n"


def make_text(path: Path, text: str = NOTICE_TEXT, *, encoding: str = "utf-8", bom: bool = False, crlf: bool = False) -> Path:
    import codecs

    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding)
    if bom:
        data = {
            "utf-8": codecs.BOM_UTF8,
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
        }[encoding] + data
    Path(path).write_bytes(data)
    return Path(path)


def make_junk(path: Path, size: int = 4096, *, seed: int = 0, nul: bool = True) -> Path:
    """Random bytes (with NUL bytes unless `nul` is False), as a binary file named .txt would hold."""
    rnd = random.Random(seed)
    data = bytearray(rnd.randbytes(size))
    if not nul:
        data = bytearray(b if b else 1 for b in data)
    Path(path).write_bytes(bytes(data))
    return Path(path)


# --- HTML ------------------------------------------------------------------------------

GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_长兴县总工会</title>
<style>.nav {{ color: red }}</style><script>var x = "不要读取的脚本文字，包括逗号，句号。";</script>
</head><body>
<div class="top"><h1 class="logo">长兴县总工会</h1>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/a">工会新闻</a></li><li><a href="/b">政策法规</a></li>
<li><a href="/c">信息公开</a></li><li><a href="/d">办事服务</a></li><li><a href="/e">联系我们</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/c">信息公开</a> &gt; 通知公告</div>
<div class="xxgk_meta"><table><tr><td>索引号：</td><td>11330522/2024-00123</td><td>发布机构：</td><td>长兴县总工会</td></tr>
<tr><td>文号：</td><td>{doc_number}</td><td>发布日期：</td><td>2024-03-01</td></tr></table></div>
<div class="article">
<div class="article_title">{title}</div>
<div class="TRS_Editor" id="zoom">
<p>{recipients}</p>
{paragraphs}
<p style="text-align:center">{table_title}</p>
<table border="1">{rows}</table>
<p style="text-align:right">{signer}</p><p style="text-align:right">{date}</p>
</div></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/x">关于开展职工疗休养活动的通知</a></li>
<li><a href="/y">关于做好困难职工帮扶工作的通知</a></li><li><a href="/z">县总工会召开全委会议</a></li></ul></div>
<div class="footer"><p>主办：长兴县总工会　地址：长兴县龙山街道，邮编：313100。</p>
<p>版权所有 &copy; 长兴县总工会，浙ICP备12345678号，技术支持：某某网络公司。</p></div>
</body></html>
"""


OLD_GOV_PAGE = """<html><head><meta charset="gbk"><title>{title} - 通知公告 - 长兴县总工会</title></head>
<body><table width="100%"><tr><td class="menu"><a href="/">首页</a> | <a href="/1">工会动态</a> |
<a href="/2">通知公告</a> | <a href="/3">政策法规</a></td></tr>
<tr><td><table><tr><td width="200" class="left"><a href="/x">关于开展劳动竞赛的通知</a><br>
<a href="/y">关于职工疗休养的通知</a><br><a href="/z">县总工会召开全委会议</a></td>
<td class="main_text"><div align="center"><b>{title}</b></div>
<div>{doc_number}</div>
{recipients}<br>
{paragraphs}
<p align="right">{signer}<br>{date}</p>
</td></tr></table></td></tr>
<tr><td class="bottom">Copyright 2024 长兴县总工会 版权所有，地址：长兴县龙山街道，电话：0572-1234567。</td></tr>
</table></body></html>
"""


def make_old_gov_html(path: Path) -> Path:
    """An old table-layout page in GBK: menu row, link column, article in a cell
    with <br> line breaks and &nbsp; indents, copyright row."""
    html = OLD_GOV_PAGE.format(
        title=TITLE,
        doc_number=DOC_NUMBER.replace(" ", ""),
        recipients=RECIPIENTS,
        paragraphs="\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{p}<br>" for p in PARAGRAPHS),
        signer=SIGNER,
        date=DATE,
    )
    Path(path).write_bytes(html.encode("gbk"))
    return Path(path)


def make_gov_html(path: Path, *, encoding: str = "utf-8") -> Path:
    charset = "gb2312" if encoding in ("gb2312", "gbk", "gb18030") else encoding
    html = GOV_PAGE.format(
        charset=charset,
        title=TITLE,
        doc_number=DOC_NUMBER.replace(" ", ""),
        recipients=RECIPIENTS,
        paragraphs="\n".join(f"<p>\u3000\u3000{p}</p>" for p in PARAGRAPHS),
        table_title=TABLE_TITLE,
        rows="".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in TABLE_ROWS),
        signer=SIGNER,
        date=DATE,
    )
    Path(path).write_bytes(html.encode(encoding))
    return Path(path)
