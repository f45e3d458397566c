"""The service layer: one `Gongwen` object ties reading, checklist extraction,
storing and indexing together, so the CLI (api.cli) and the HTTP API (api.app,
api.routes) do the same thing.

One module per resource, each a part of `Gongwen`:

| module | holds |
|---|---|
| core.py | settings, the lazily opened store and search index |
| results.py | `IngestResult`, `IngestSummary`, the service's errors |
| documents.py | reading and ingesting files, listing, showing and deleting documents, checklists |
| logs.py | tagging, storing and listing field logs |
| alerts.py | the risk alerts of field logs |
| search.py | search |
| topics.py | the topic model and its report |
| indexing.py | the index outbox, agreement checks, reindex |
| health.py | /api/health |
| demo.py | the sample corpus |

Heavy packages (index.search, nlp models) are imported inside the methods that use
them, so a command loads only what it needs (`gongwen parse` never opens an index).

May import every gongwen package below api (ingest, nlp, index) and api.settings;
never api.app, api.routes or api.cli.
"""
from __future__ import annotations

from api.service.alerts import Alerts
from api.service.core import ServiceCore
from api.service.demo import Demo
from api.service.documents import Documents, supported_extensions
from api.service.health import Health
from api.service.indexing import Indexing, log_item
from api.service.logs import Logs
from api.service.results import ChecklistUnavailable, IndexLocked, IngestResult, IngestSummary, ProgressCallback
from api.service.search import Search
from api.service.topics import Topics

__all__ = ["ChecklistUnavailable", "Gongwen", "IndexLocked", "IngestResult", "IngestSummary", "ProgressCallback",
           "ServiceCore", "log_item", "supported_extensions"]


class Gongwen(Documents, Logs, Alerts, Search, Topics, Indexing, Health, Demo):
    """The application: settings plus a lazily opened store (and search index), and
    every operation the CLI and the HTTP API offer (one part per resource module)."""
