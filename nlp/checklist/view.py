"""The notice as the checklist readers read it: in simplified characters, which their word
lists and patterns are written in, converted and parsed once per document.

A page in traditional characters (mirrors of Hong Kong/Taiwan-facing sites, big5 copies)
gets a second `Document` parsed from its simplified text; `ingest.simplified.to_simplified`
keeps the length, so every offset found in the view holds in the printed text. The rules
extract from the view, and the learned stages' document-level readers (sentence and stage
times, the event's organiser, an added clause's attributes) read it too, where each used
to convert the notice again for itself."""
from __future__ import annotations

_KEY = "_simplified_view"


def view(doc):
    """`doc` in simplified characters (the document itself when it holds none to convert),
    made once and kept on the document; the view is its own view."""
    kept = doc.__dict__.get(_KEY)
    if kept is not None and kept[0] is doc.text:
        return kept[1]
    from ingest.simplified import to_simplified

    simple = to_simplified(doc.text)
    if simple == doc.text:
        out = doc
    else:
        from ingest.document import RawText
        from ingest.structure import parse

        out = parse(RawText(simple, doc.source.format, page_starts=list(doc.page_starts)), doc.source)
        out.__dict__[_KEY] = (out.text, out)
    doc.__dict__[_KEY] = (doc.text, out)
    return out


def plain_at(doc, text: str, start: int) -> str:
    """`text`, a piece of the notice printed at or after `start`, as the view reads it."""
    v = view(doc)
    if v is doc:
        return text
    i = start if doc.text.startswith(text, start) else doc.text.find(text, start)
    if i < 0:
        # no piece of the notice (the caller's own text): converted by itself
        from ingest.simplified import to_simplified

        return to_simplified(text)
    return v.text[i:i + len(text)]


def as_printed(doc, simple: str) -> str:
    """`simple`, read in the view, as the notice prints it (its first place in the view)."""
    v = view(doc)
    if v is doc:
        return simple
    i = v.text.find(simple)
    return doc.text[i:i + len(simple)] if i >= 0 else simple
