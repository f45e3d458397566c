"""Why a PostgreSQL server refused a connection, as its SQLSTATE: the code says it in any
language, where the message text is in the server's (lc_messages) and the driver's
first line differs between servers.

A refused connection reaches psycopg without its SQLSTATE (libpq keeps the server's
error fields of a failed connection to itself and hands over only the message text).
`refusal_state` asks once more, with libpq's verbose error messages, which put the
code before the text: one extra connection attempt, only after one has failed, with
the failed one's own parameters. None where the server said nothing (it is down, the
host is unknown) or the code cannot be had (another driver, no libpq found)."""
from __future__ import annotations

import ctypes
import glob
import logging
import os
import re
import selectors
import time

log = logging.getLogger(__name__)

_VERBOSE = 2  # libpq's PQERRORS_VERBOSE: "<severity>:  <SQLSTATE>: <message>"
_STATE = re.compile(r"failed: [^\n]*?\b([0-9A-Z]{5}): ")
_PROBE_SECONDS = 5.0
_lib: ctypes.CDLL | None | bool = False  # False: not looked for yet


def _libpq() -> ctypes.CDLL | None:
    """The libpq psycopg itself uses (a second copy would not know psycopg's connections)."""
    global _lib
    if _lib is not False:
        return _lib  # type: ignore[return-value]
    _lib = None
    try:
        from psycopg import pq

        if pq.__impl__ == "python":
            from psycopg.pq import _pq_ctypes

            _lib = _pq_ctypes.pq
        else:
            paths = []
            if pq.__impl__ == "binary":  # the wheel's own copy, beside its extension
                import psycopg_binary

                base = os.path.dirname(psycopg_binary.__file__)
                paths = sorted(glob.glob(os.path.join(base, os.pardir, "psycopg_binary.libs", "libpq*.so*")))
            import ctypes.util

            name = paths[0] if paths else ctypes.util.find_library("pq")
            _lib = ctypes.CDLL(name) if name else None
        if _lib is not None:
            _lib.PQsetErrorVerbosity.argtypes = [ctypes.c_void_p, ctypes.c_int]
    except Exception as e:  # noqa: BLE001 - the reason is then said from the message text, as before
        log.debug("libpq not found for a verbose connection probe: %s", e)
        _lib = None
    return _lib


def refusal_state(error: BaseException) -> str | None:
    """The SQLSTATE of the server's answer to the connection `error` (a psycopg error from
    connecting) failed on, or None."""
    state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if state:
        return state
    pgconn = getattr(error, "pgconn", None)
    lib = _libpq()
    if pgconn is None or lib is None:
        return None
    try:
        return _probe(pgconn, lib)
    except Exception as e:  # noqa: BLE001 - only a better reason was at stake
        log.debug("verbose connection probe failed: %s", e)
        return None


def _probe(failed, lib: ctypes.CDLL) -> str | None:
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    params = {o.keyword.decode(): o.val.decode() for o in failed.info if o.val is not None}
    conn = pq.PGconn.connect_start(make_conninfo(**params).encode())
    try:
        lib.PQsetErrorVerbosity(conn.pgconn_ptr, _VERBOSE)
        deadline = time.monotonic() + _PROBE_SECONDS
        status = pq.PollingStatus.WRITING
        with selectors.DefaultSelector() as sel:
            while conn.status != pq.ConnStatus.BAD:
                if status in (pq.PollingStatus.OK, pq.PollingStatus.FAILED):
                    break
                sel.register(conn.socket, selectors.EVENT_READ if status == pq.PollingStatus.READING
                             else selectors.EVENT_WRITE)
                ready = sel.select(max(0.0, deadline - time.monotonic()))
                sel.unregister(conn.socket)
                if not ready:
                    return None
                status = conn.connect_poll()
        m = _STATE.search(conn.error_message.decode("utf-8", "replace"))
        return m.group(1) if m else None
    finally:
        conn.finish()


def needs_password(error: BaseException) -> bool:
    """Whether the server asked for a password the connection did not have (libpq gives up
    before the server says anything more)."""
    pgconn = getattr(error, "pgconn", None)
    try:
        given = any(o.keyword == b"password" and o.val for o in pgconn.info) if pgconn is not None else True
        return bool(pgconn is not None and pgconn.needs_password and not given)
    except Exception:  # noqa: BLE001 - a connection object without them
        return False


def connection_names(error: BaseException) -> tuple[str, str]:
    """(database, user) the failed connection asked for, as libpq resolved them."""
    pgconn = getattr(error, "pgconn", None)
    try:
        return (pgconn.db.decode("utf-8", "replace"), pgconn.user.decode("utf-8", "replace")) if pgconn else ("", "")
    except Exception:  # noqa: BLE001 - a connection object without them
        return "", ""
