"""The HTTP API's routes, one `APIRouter` module per resource; `api.app` includes
them in the order of `ROUTERS` (then the HTML pages).

| module | paths |
|---|---|
| health.py | /api/health |
| search.py | /api/search |
| documents.py | /api/documents… (list, read, upload, delete, checklist) |
| logs.py | /api/logs |
| alerts.py | /api/alerts… |
| topics.py | /api/topics… |
| track.py | /api/track… (督办台账: ledger, XLSX, matching, links, overdue alerts) |
| keys.py | the API-key checks and helpers every route module shares |

Every route is a thin shell over the service (`request.app.state.service`, an
`api.service.Gongwen`), the same object the CLI uses. May import api.service,
api.schemas, api.track_schemas, api.guard, api.uploads, ingest.pool and nlp.track
(late); never api.app or api.cli.
"""
from __future__ import annotations

from api.routes import alerts, documents, health, logs, search, topics, track

ROUTERS = [health.router, search.router, documents.router, logs.router, alerts.router, topics.router, track.router]
