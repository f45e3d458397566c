"""Tables and form attachments of real notices (../shared/real-notices, PDFs with
allocation tables, schedules and 申报表) are read as data, not duties: no checklist item
lies in a table's rows unless it binds someone, while the notes printed under a form
(此表…一式N份，X月X日前上报) stay duties with their deadline."""
from __future__ import annotations

import pytest

from ingest.load import load
from nlp.checklist.extract import extract
from nlp.checklist.modality import find_modals
from nlp.checklist.tables import form_spans, inside, table_spans
from nlp.resources import shared_root

NOTICES = shared_root() / "real-notices"
pytestmark = pytest.mark.skipif(not NOTICES.is_dir(), reason="../shared not beside the repository")


def _items(name: str):
    doc = load(NOTICES / name)
    return doc, extract(doc).obligations


@pytest.mark.parametrize("name", ["cx-2018-ban-03-peixun.pdf", "cx-gonghui-faren.pdf", "cx-2018-15-liaoxiuyang.pdf"])
def test_no_duty_from_a_table_row_that_binds_nobody(name):
    doc, items = _items(name)
    tables = table_spans(doc)
    assert tables, "the reader finds the notice's tables"
    rows = [o for o in items if inside(tables, o.start, o.end) and not any(m.binding for m in find_modals(o.text))]
    assert rows == []


def test_a_form_attachment_keeps_its_dated_notes():
    doc, items = _items("cx-2018-04-laodong-jingsai.pdf")
    forms = form_spans(doc)
    assert forms
    noted = [o for o in items if inside(forms, o.start, o.end) and o.deadlines]
    assert noted, "此表…前上报 under a form is a duty with its deadline"
