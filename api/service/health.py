"""The service's health report (/api/health): version, counts, search engine,
tagger model and whether the index agrees with the store. May import the
service's core.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from api.service.core import ServiceCore


class Health(ServiceCore):
    """What /api/health reports."""

    def health(self) -> dict[str, Any]:
        from importlib.metadata import version

        store = self.store
        return {"status": "ok", "version": version("gongwen"), "documents": store.count_documents(),
                "logs": store.count_logs(), "open_alerts": store.count_alerts("open"),
                "engine": self.settings.engine, "writable": store.read_only is None, "tagger": self._tagger_summary(),
                # agreement only: the counts behind it stay out of a route that may be open to all
                "index": self._index_health()}

    def _index_health(self) -> dict[str, Any]:
        """The index's part of the health answer; an index that cannot be used (outdated, or
        missing on read-only media) is said, not a failed health check: the rest is served."""
        outdated = self.index_outdated()
        if outdated:
            pending, failed = self.store.count_unindexed()
            return {"agree": False, "pending": pending, "failed": failed,
                    "unavailable": outdated, "code": self.search_index.unavailable_code}
        return {k: v for k, v in self.index_status().items() if k in ("agree", "pending", "failed")}

    def overview(self, recent: int = 8, alerts: int = 6) -> dict[str, Any]:
        """What the home page shows before a search: how much is stored, the latest
        notices and the alerts still waiting for someone."""
        store = self.store
        return {"documents": store.count_documents(), "logs": store.count_logs(),
                "open_alerts": store.count_alerts(status="open"), "recent": store.list_documents(limit=recent),
                "alerts": store.list_alerts(status="open", limit=alerts)}

    def _tagger_summary(self) -> str | None:
        card = Path(self.settings.models_dir) / "tagger" / "MODEL_CARD.md"
        if not card.exists():
            return None
        lines = [ln.strip("# ").strip() for ln in card.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return lines[0] if lines else None
