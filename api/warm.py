"""Warm-up of a `gongwen serve` process (one worker, or each of `--workers N`): the
models a field-log write needs (`Logs.warm_up_writes`: 3-5 CPU-s) load before the
process serves, not inside its first requests. Before, a burst of first POST /api/logs
each waited on the load (and, before nlp.tagging took a lock, each loaded its own
copy), and a SIGTERM'd server waited for those requests: 7-14 s on a loaded 2-core
machine, over 20 s seen under bench/http_concurrent_writes.py. Now a SIGTERM finds no
request carrying a load: `gongwen serve` (one worker) loads before it announces itself
and listens, where a SIGTERM stops it as Ctrl+C does (api.cli.common.stop_on_sigterm;
nothing is served yet); a worker of `--workers N` loads in uvicorn's app factory (the
supervisor's socket queues connections meanwhile), and a SIGTERM then stops it once that
one load is done. Costs `gongwen serve` ~2 s more before /api/health answers (the time
the first write took before).
Not used by the CLI commands (their start-up stays as it was) nor by TestClient tests."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def load(service) -> None:
    """Loads the log-write models of `service` (api.service.Gongwen); a failure is
    logged and left to the first write (which loads, or fails, as it did before)."""
    try:
        service.warm_up_writes()
    except Exception:  # noqa: BLE001 - serving searches is still worth it
        log.warning("warm-up of the log models failed; the first write loads them", exc_info=True)
