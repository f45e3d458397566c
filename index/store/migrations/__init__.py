"""Alembic migrations of the store's schema (see index/store/migrate.py)."""

# The newest revision in versions/; the store skips alembic entirely when the database
# is already there (tests/test_migrations.py checks that this names the real head).
HEAD = "0008"
