"""index.store: the SQLAlchemy store (tables in `models`, API in `store.Store`)."""
from index.store.store import ALERT_SEVERITIES, InvalidRecord, Store

__all__ = ["Store", "InvalidRecord", "ALERT_SEVERITIES"]
