"""index.store: the SQLAlchemy store (tables in `models`, API in `store.Store`)."""
from index.store import track as _track_tables  # noqa: F401  (tables join Base before create_all)
from index.store.store import ALERT_SEVERITIES, InvalidRecord, NoticeMatch, Store

__all__ = ["Store", "InvalidRecord", "NoticeMatch", "ALERT_SEVERITIES"]
