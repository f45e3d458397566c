"""Quota and events tables of a notice give one duty per row (nlp.checklist.table_rows): the row's
unit is its doer and its count its quota, or the row's time is its deadline and its organisers its
doers. The same holds for a table of a Word file, of a PDF and of a scraped page, whose cells arrive
as lines cut by `|`; header rows, totals, contact tables and attached forms give no duty.
All notices here are made up."""
from __future__ import annotations

from pathlib import Path

from ingest.load import load
from nlp.checklist.extract import extract
from nlp.checklist.tables import cell_line_tables

HEAD = "关于举办职工合唱比赛的通知\n各部门：\n为丰富职工文化生活，工会定于10月举办合唱比赛。各部门于9月10日前将节目报工会。\n"
SIGNED = "工会\n2021年8月30日\n"


def _rows(path: Path):
    return [o for o in extract(load(path)).obligations if o.actor_source == "table"]


def _quota(o):
    return [(q.min, q.max) for q in o.quotas]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_cells_one_a_line_make_a_quota_table(tmp_path):
    cells = ["部门", "节目数", "负责人", "机关一部", "1—2", "赵一", "后勤二部", "2", "钱二",
             "图书资料室", "1", "孙三", "合计", "4—5", ""]
    table = "节目分配表\n" + "".join(f"{c} |\n" for c in cells) + "\n"
    items = _rows(_write(tmp_path, "quota.txt", HEAD + table + SIGNED))
    assert [o.actors for o in items] == [["机关一部"], ["后勤二部"], ["图书资料室"]]
    assert [_quota(o) for o in items] == [[(1, 2)], [(2, 2)], [(1, 1)]]
    assert all(o.tier == "hard" for o in items)
    assert not any("部门" == o.text.split()[0] or "合计" in o.text for o in items)
    assert not any(a in ("赵一", "钱二", "孙三") for o in items for a in o.actors), "the person in charge is no doer"


def test_rows_one_a_line_make_an_events_table(tmp_path):
    table = ("序号 | 项目 | 举办时间 | 组织者 |\n1 | 健步走 | 10月 | 体育部、工会 |\n"
             "2 | 趣味跳绳 | 11月20日 | 工会 |\n")
    items = _rows(_write(tmp_path, "events.txt", HEAD + table + SIGNED))
    assert [o.actors for o in items] == [["体育部", "工会"], ["工会"]]
    assert [[(d.year, d.month, d.day) for d in o.deadlines] for o in items] == [[(2021, 10, None)], [(2021, 11, 20)]]
    assert items[0].text.startswith("健步走"), "the running number is no part of the duty"
    table, = extract(load(tmp_path / "events.txt")).tables
    assert table["header"] == ["序号", "项目", "举办时间", "组织者"] and len(table["rows"]) == 2


def test_contact_people_and_unreadable_cell_lines_give_no_duty(tmp_path):
    contacts = "联系人 | 电话 |\n赵一 | 12345678 |\n钱二 | 87654321 |\n\n"
    people = "姓名 | 所在部门 | 人数 |\n赵一 | 机关一部 | 1 |\n钱二 | 后勤二部 | 2 |\n\n"
    menu = "首页 |\n新闻 |\n通知 |\n下载 |\n"  # a page's menu: one cell a line, no column of numbers or dates
    assert cell_line_tables(menu) == []
    assert _rows(_write(tmp_path, "contacts.txt", HEAD + contacts + people + menu + SIGNED)) == []


def test_an_html_table_is_read_by_row(tmp_path):
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in
                   [("分工会", "推荐人数", "联系电话"), ("第一分工会", "2人", "1234567"), ("第二分工会", "1至3人", "7654321"),
                    ("总计", "3至5人", "")])
    page = (f"<html><head><meta charset='utf-8'></head><body><p>{HEAD.replace(chr(10), '</p><p>')}</p>"
            f"<table border='1'>{rows}</table><p>工会</p><p>2021年8月30日</p></body></html>")
    items = _rows(_write(tmp_path, "a.html", page))
    assert [(o.actors, _quota(o)) for o in items] == [(["第一分工会"], [(2, 2)]), (["第二分工会"], [(1, 3)])]
    assert [q.unit for o in items for q in o.quotas] == ["人", "人"]


def _docx(path: Path, rows: list[list[str]], title: str) -> Path:
    import docx

    d = docx.Document()
    for line in ("关于分配职工疗休养名额的通知", "各分工会：", "请各分工会按下表名额于5月10日前报送人员名单。", title):
        d.add_paragraph(line)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            t.cell(r, c).text = cell
    d.add_paragraph("工会")
    d.add_paragraph("2022年4月20日")
    d.save(path)
    return path


ALLOCATION = [["单位", "名额（人）", "备注"], ["第一分工会", "12", ""], ["第二分工会", "8", "含退休2人"],
              ["合计", "20", ""]]


def test_a_word_table_in_the_body_is_read_by_row(tmp_path):
    items = _rows(_docx(tmp_path / "a.docx", ALLOCATION, "名额分配表"))
    assert [(o.actors, _quota(o)) for o in items] == [(["第一分工会"], [(12, 12)]), (["第二分工会"], [(8, 8)])]
    assert [q.unit for o in items for q in o.quotas] == ["人", "人"]


def test_an_attached_table_stays_data(tmp_path):
    assert _rows(_docx(tmp_path / "b.docx", ALLOCATION, "附表：名额分配表")) == []


def test_a_pdf_table_is_read_by_row(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.fixtures_make import _register_font, draw

    _register_font()
    path = tmp_path / "c.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    y = h - 100
    for line in ("关于分配职工疗休养名额的通知", "各分工会：", "请各分工会按下表名额于5月10日前报送人员名单。", "名额分配表"):
        draw(c, 80, y, line, 14)
        y -= 30
    widths, row_h = [160, 120, 160], 28
    for r, row in enumerate(ALLOCATION):
        x = 80
        for cw, cell in zip(widths, row):
            draw(c, x + 6, y - r * row_h - 19, cell, 12)
            x += cw
    for r in range(len(ALLOCATION) + 1):
        c.line(80, y - r * row_h, 80 + sum(widths), y - r * row_h)
    x = 80
    for cw in widths + [0]:
        c.line(x, y, x, y - len(ALLOCATION) * row_h)
        x += cw
    y -= len(ALLOCATION) * row_h + 40
    draw(c, 380, y, "工会", 14)
    draw(c, 360, y - 30, "2022年4月20日", 14)
    c.save()
    items = _rows(path)
    assert [(o.actors, _quota(o)) for o in items] == [(["第一分工会"], [(12, 12)]), (["第二分工会"], [(8, 8)])]
