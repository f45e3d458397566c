"""index: where things are kept and found.

Owns: the SQLAlchemy store (`index.store`, SQLite by default, the source of truth)
and the full-text search engines (`index.search`). May import `ingest` and `nlp`;
never `api`.
"""
