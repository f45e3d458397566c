"""Checklist extraction from notices: who must do what, by when, how often, how much.

`extract(doc)` turns a parsed `ingest.document.Document` into a `Checklist`
(obligations, roster of working groups, tables); `nlp.checklist.export` writes it as
JSON, Markdown, CSV or iCalendar; `nlp.checklist.evaluate` scores it against gold."""
from nlp.checklist.extract import EXTRACTOR_VERSION, Checklist, Obligation, extract
from nlp.checklist.roster import RosterEntry

__all__ = ["EXTRACTOR_VERSION", "Checklist", "Obligation", "RosterEntry", "extract"]
