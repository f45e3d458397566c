"""The 公文 structure parser (GB/T 9704-2012): `parse(raw, source)` turns a
reader's `RawText` into a `Document` with its metadata (header, title, 主送机关,
落款, 版记), its parts (covering notice, issued document, attachments), each part's
numbered section tree and its tables. Every element keeps offsets into the text.

Modules: `text` (lines, spacing), `dates`, `metadata`, `parts`, `sections`, `tables`.
"""
from __future__ import annotations

from ingest.document import Document, Part, RawText, Source, Span, Table, page_at
from ingest.structure.metadata import (
    choose_issuer,
    doc_type,
    embedded_titles,
    find_closing,
    header_doc_number,
    header_letterhead,
    read_colophon,
    read_header,
)
from ingest.structure.parts import PartSpec, attachment_note, find_attachments, find_body, note_block
from ingest.structure.sections import build_sections
from ingest.structure.tables import text_tables
from ingest.structure.text import head_lines, split_lines

__all__ = ["parse"]


def parse(raw: RawText, source: Source) -> Document:
    text = raw.text
    lines = split_lines(text)
    pages = list(raw.page_starts)
    head = head_lines(lines)
    header = read_header(head)
    if header.letterhead is None and (found := header_letterhead(source.first_page_header)):
        # a Word notice that prints its letterhead in the first page's header (no offsets: not in `text`)
        header.letterhead, header.letterhead_organs = found
    if header.doc_number is None and (number := header_doc_number(source.first_page_header)):
        # and its 文号 printed there too, under the letterhead (the body opens on the title)
        header.doc_number, header.doc_prefix = number
    colophon = read_colophon(head)
    stop = colophon.start if colophon.start is not None else len(lines)
    closing = find_closing(head, header.content_start, stop, header.meta_date)

    # parts: notice, then the issued document, then the attachments
    after_closing = closing.date_line + 1 if closing.date_line is not None else header.content_start
    embedded = embedded_titles(header.title)
    body = find_body(lines, embedded, after_closing, stop)
    if body is None and closing.date_line is not None:
        body = find_body(lines, embedded, header.content_start, stop)
    att_from = body.title_end_line + 1 if body else after_closing
    attachments = find_attachments(lines, att_from, stop, set())
    # the 附件说明 lies before the first attachment; its items help read wrapped attachment titles
    note, note_line = attachment_note(lines, header.content_start,
                                      attachments[0].start_line if attachments else stop)
    if note and attachments:
        attachments = find_attachments(lines, att_from, stop, set(), note)
    specs = [PartSpec("notice", 0, header.title, None, header.spans.get("title"),
                      header.content_start - 1)]
    if body:
        specs.append(body)
    specs += attachments
    specs.sort(key=lambda s: s.start_line)

    end_offset = lines[stop].start if stop < len(lines) else len(text)
    parts: list[Part] = []
    for n, spec in enumerate(specs):
        start = 0 if spec.kind == "notice" else lines[spec.start_line].start
        end = lines[specs[n + 1].start_line].start if n + 1 < len(specs) else end_offset
        end = _rstrip(text, start, end)
        content_line = max(spec.title_end_line + 1, 0) if spec.title_end_line is not None else spec.start_line
        content = lines[content_line].start if content_line < len(lines) else end
        content = min(max(content, start), end)
        # sections stop at the part's 附件说明 and 落款; an issued document keeps its own
        # 附件说明 at its end, after its last section
        tail = end
        part_last = _line_index(lines, end)
        _, own_note, own_note_last = note_block(lines, content_line, part_last)
        if own_note is not None and start <= lines[own_note].start < end:
            tail = min(tail, lines[own_note].start)
        own = closing if spec.kind == "notice" else find_closing(lines, content_line, part_last)
        if own.start is not None and (spec.kind == "notice" or own.signers) and start <= lines[own.start].start < end:
            tail = min(tail, lines[own.start].start)
        # text with headings after the 落款 (not the 附件说明's numbered items): an
        # issued document we did not recognise
        after = lines[own.date_line].end if own.date_line is not None and own.start is not None else tail
        if own_note_last is not None and lines[own_note_last].end > after:
            after = lines[own_note_last].end
        if tail < end and _heading_after(lines, max(tail, after), end):
            tail = end
        sections, first = build_sections(text, lines, content, tail, pages)
        pre_end = first if first is not None else tail
        parts.append(Part(kind=spec.kind, title=spec.title, text=text[start:end], start=start, end=end,
                          label=spec.label, preamble=text[content:pre_end].strip(), sections=sections,
                          page=page_at(pages, start)))

    tables = _merge_tables(text_tables(text, lines, pages), raw.tables)
    for t in tables:
        for p in parts:
            if t.start is not None and p.start <= t.start < max(p.end, p.start + 1):
                p.tables.append(t)
                break

    signers = closing.signers
    issuer = choose_issuer(header.doc_prefix, signers, header.letterhead_organs, header.title, text,
                           colophon.printed_by)
    issuers = list(signers) or list(header.letterhead_organs) or ([issuer] if issuer else [])
    has_header = bool(header.letterhead or header.doc_number or header.recipients)
    doc = Document(
        text=text, source=source, letterhead=header.letterhead, issuer=issuer, issuers=issuers,
        doc_number=header.doc_number, title=header.title, date=closing.date or header.title_date,
        published=header.meta_date,
        recipients=header.recipients, signers=list(signers), cc=colophon.cc,
        printed_by=colophon.printed_by, printed_date=colophon.printed_date,
        doc_type=doc_type(header.title, text, has_header),
        attachment_note=note, parts=parts, tables=tables, page_starts=pages,
        warnings=list(raw.warnings),
    )
    for key, (s, e) in header.spans.items():
        doc.spans[key] = Span(s, e, page_at(pages, s))
    if closing.span:
        doc.spans["date"] = Span(closing.span[0], closing.span[1], page_at(pages, closing.span[0]))
    if not doc.title:
        doc.warnings.append("未识别出公文标题")
    return doc


def _heading_after(lines, start: int, end: int) -> bool:
    from ingest.structure.sections import find_heading

    return any(start < l.start and l.end <= end and find_heading(l) for l in lines)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return end


def _line_index(lines, offset: int) -> int:
    for i, l in enumerate(lines):
        if l.start >= offset:
            return i
    return len(lines)


def _merge_tables(from_text: list[Table], real: list[Table]) -> list[Table]:
    """Real tables of the file win over the same rows read back from the text; the
    text-derived one lends its title when the real one has none."""
    out = []
    used = set()
    for r in real:
        if r.start is not None and r.end is not None:
            for n, t in enumerate(from_text):
                if t.start is not None and t.start < r.end and r.start < t.end:
                    used.add(n)
                    if not r.title:
                        r.title = t.title
        out.append(r)
    out += [t for n, t in enumerate(from_text) if n not in used]
    return sorted(out, key=lambda t: (t.start if t.start is not None else 10**12))
