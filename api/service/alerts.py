"""Risk alerts in the service: the alerts that high and critical risks in field logs
raise (stored with the log, see api.service.logs), listed and acknowledged. May
import the service's core.
"""
from __future__ import annotations

from api.service.core import ServiceCore


class Alerts(ServiceCore):
    """Listing and acknowledging risk alerts."""

    def list_alerts(self, status: str | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
        """Newest first, each with its log's date, region, unit and text."""
        return self.store.list_alerts(status=status, limit=limit, offset=offset)

    def count_alerts(self, status: str | None = None) -> int:
        """How many alerts (of that status) there are, counted in the database."""
        return self.store.count_alerts(status)

    def acknowledge_alert(self, alert_id: int, by: str | None = None) -> dict | None:
        """Mark an alert acknowledged (a second time keeps the first time and person);
        None when there is no such alert."""
        return self.store.acknowledge_alert(alert_id, by=by)
