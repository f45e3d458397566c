"""Log ids holding a NUL get the store's NUL-to-space form. Every bound string is
cleaned that way since the SQLite and PostgreSQL backends were made to agree
(store._without_nul), so a log that an older gongwen stored on SQLite with a raw NUL
in its id could no longer be looked up, updated or reindexed by that id: it listed,
but `gongwen reindex` dropped it from the search index and `gongwen check` never
agreed again. Each such log (with its labels, alerts and duty links) takes the id a
lookup of the old one now asks for; if another log holds that id already, a numbered
one (`a b（2）`). Its search-index entry is queued to move with it. PostgreSQL cannot
hold a NUL in text, so there is nothing to do there.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MAX_ID = 200  # logs.id is VARCHAR(200)
# every column that names a log by its id
_REFERENCES = (("log_labels", "log_id"), ("alerts", "log_id"), ("track_links", "log_id"))


def _free_id(old: str, taken: set[str]) -> str:
    base = old.replace("\x00", " ")
    new, n = base, 1
    while new in taken:
        n += 1
        suffix = f"（{n}）"
        new = base[:MAX_ID - len(suffix)] + suffix
    return new


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # the driver's own connection, in the migration's transaction: the engine's statements
    # would turn the NUL of the old id into a space before it reaches SQLite (store._without_nul)
    raw = bind.connection.driver_connection
    ids = [row[0] for row in raw.execute("SELECT id FROM logs")]
    old = [i for i in ids if "\x00" in i]
    if not old:
        return
    taken = set(ids)
    raw.execute("PRAGMA defer_foreign_keys = ON")  # parent and children renamed in one transaction
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for was in old:
        new = _free_id(was, taken)
        taken.add(new)
        raw.execute("UPDATE logs SET id = ? WHERE id = ?", (new, was))
        for table, column in _REFERENCES:
            if table in tables:
                raw.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, was))
        raw.execute("UPDATE index_outbox SET target = ? WHERE kind = 'log' AND target = ?", (new, was))
        # the index: the old entry removed (no log has that id any more), the log indexed under its new id
        raw.executemany("INSERT INTO index_outbox (kind, target, created_at, attempts) "
                        "VALUES ('log', ?, CURRENT_TIMESTAMP, 0)", ((was,), (new,)))


def downgrade() -> None:
    pass  # the old ids cannot be looked up again; nothing to put back
