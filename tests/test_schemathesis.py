"""Schemathesis (`--checks all`, a bounded number of examples per operation) against
the live server: every answer conforms to the OpenAPI document, nothing is a 5xx,
and no body under /api is anything but JSON."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from backends import fresh_db_env
from servers import serving

pytestmark = pytest.mark.server  # starts a real `gongwen serve`

KEY = "fuzz-key"
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz")
    # on the suite's backend when run by hand (GONGWEN_TEST_DB=postgresql); not in the `db` pass (minutes)
    env = {"GONGWEN_DATA": str(data), "GONGWEN_API_KEY": KEY, "GONGWEN_PARSE_TIMEOUT": "5", **fresh_db_env()}
    with serving(env, "--workers", "1") as (url, _, _):
        # first use loads the topic model and the parse worker: not what a response-time check is about
        httpx.get(url + "/api/topics", timeout=120)
        yield url


UPLOAD = "POST /api/documents"


def schemathesis(server: str, report: Path, *args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    if exe is None:
        pytest.fail("schemathesis is a dev dependency (pip install -e '.[dev]')")
    return subprocess.run(
        [exe, "run", server + "/openapi.json", "--checks", "all", "--seed", "1", "--generation-database", "none",
         "--max-response-time", "300", "--request-timeout", "300", "--header", f"X-API-Key: {KEY}", "--no-color",
         "--report", "ndjson", "--report-ndjson-path", str(report), *args],
        capture_output=True, text=True, timeout=900, cwd=report.parent)  # its cache folder goes there too


def test_schemathesis_all_checks_pass(server, tmp_path):
    reports = [tmp_path / "api.ndjson", tmp_path / "upload.ndjson"]
    run = schemathesis(server, reports[0], "--exclude-name", UPLOAD, "--max-examples", "5")
    assert run.returncode == 0, run.stdout[-6000:]
    # Any bytes are a schema-valid upload; their content decides (415 a format we do not read,
    # 422 unreadable or past the parse time limit), which the schema cannot say: all checks but
    # "schema-valid data is accepted", and fewer examples (each is a parse in a worker).
    run = schemathesis(server, reports[1], "--include-name", UPLOAD, "--exclude-checks", "positive_data_acceptance",
                       "--max-examples", "3", "--phases", "coverage,fuzzing")
    assert run.returncode == 0, run.stdout[-6000:]
    seen = 0
    for report in reports:
        for line in report.read_text(encoding="utf-8").splitlines():
            for request, response in _interactions(json.loads(line)):
                if "/api/" not in request.get("uri", ""):
                    continue
                seen += 1
                headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
                ctype = headers.get("content-type") or [""]
                ctype = ctype[0] if isinstance(ctype, list) else ctype
                status = response.get("status_code") or 0
                export = "/checklist" in request["uri"] or "export.xlsx" in request["uri"]  # csv, ics, xlsx …
                if status >= 300 or not (export or status == 204):
                    assert ctype.startswith("application/json"), (request.get("uri"), status, ctype)
    assert seen > 100


def _interactions(event):
    """Every (request, response) pair anywhere in an ndjson event."""
    if isinstance(event, dict):
        if isinstance(event.get("request"), dict) and isinstance(event.get("response"), dict):
            yield event["request"], event["response"]
        for v in event.values():
            yield from _interactions(v)
    elif isinstance(event, list):
        for v in event:
            yield from _interactions(v)
