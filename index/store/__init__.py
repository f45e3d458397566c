"""index.store: the SQLAlchemy store (tables in `models`, API in `store.Store`)."""
from index.store.store import ALERT_SEVERITIES, InvalidRecord, NoticeMatch, Store

__all__ = ["Store", "InvalidRecord", "NoticeMatch", "ALERT_SEVERITIES"]
