"""Limits enforced on a real server (`python -m api.cli serve`, uvicorn): an upload
without the key is refused before its body is read, one over the size limit stops
at the limit, and neither writes the body to disk; a search answers while another
upload is being parsed, and an upload that parses too long is stopped; a request line or
head over its limit, or a request that is not HTTP, gets the JSON error body, not uvicorn's text."""
from __future__ import annotations

import os
import select
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import NOTICES
from servers import serving

pytestmark = pytest.mark.server  # starts a real `gongwen serve`

KEY = "limits-key"
MAX_FILE_MB = 4
PARSE_TIMEOUT = 5
HUGE = 300 * 1024 * 1024  # what the client offers to send; the server must stop it long before


def folder_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass  # removed meanwhile
    return total


def written_by(pid: int) -> int:
    """Bytes the process passed to write() so far (files, pipes, sockets): /proc/PID/io wchar."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise AssertionError("no wchar in /proc/PID/io")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("limits")
    tmp = base / "tmp"
    tmp.mkdir()
    env = {"GONGWEN_DATA": str(base / "data"), "GONGWEN_API_KEY": KEY, "TMPDIR": str(tmp),
           "GONGWEN_MAX_FILE_MB": str(MAX_FILE_MB), "GONGWEN_PARSE_TIMEOUT": str(PARSE_TIMEOUT)}
    with serving(env, "--workers", "1") as (url, port, proc):
        yield {"url": url, "port": port, "pid": proc.pid, "tmp": tmp}


def chunked_upload(port: int, headers: dict[str, str], total: int) -> tuple[int, bytes, int]:
    """POST /api/documents with a multipart body of `total` bytes sent chunked from a
    generator (no Content-Length), as `curl -H 'Transfer-Encoding: chunked'` would.
    Sending stops as soon as the server answers. Returns (status, body, bytes sent)."""
    boundary = "gongwen-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode()
    request = (f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
               f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode()
    piece = "一".encode() * (256 * 1024 // 3)
    frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent, answer = 0, b""
    try:
        sock.sendall(request + f"{len(head):x}\r\n".encode() + head + b"\r\n")
        sock.settimeout(2)
        while sent < total:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered: stop sending, as a client reading the answer does
            try:
                sock.sendall(frame)
            except (TimeoutError, socket.timeout):
                break  # the server stopped reading
            sent += len(piece)
    except (BrokenPipeError, ConnectionResetError):
        pass
    sock.settimeout(10)
    try:
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + _length(answer):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    except (ConnectionResetError, TimeoutError, socket.timeout):
        pass
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 "), f"no answer after sending {sent} bytes: {answer[:200]!r}"
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1], sent


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


class PeakSize:
    """Largest size of a folder while the block runs (polled every 10 ms)."""

    def __init__(self, path: Path):
        self.path, self.peak, self._stop = path, folder_size(path), threading.Event()

    def __enter__(self):
        def poll():
            while not self._stop.wait(0.01):
                self.peak = max(self.peak, folder_size(self.path))

        self._thread = threading.Thread(target=poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def test_upload_without_key_is_refused_before_its_body_is_read(server):
    before_disk, before_written = folder_size(server["tmp"]), written_by(server["pid"])
    with PeakSize(server["tmp"]) as disk:
        status, body, sent = chunked_upload(server["port"], {}, HUGE)
    written = written_by(server["pid"]) - before_written
    print(f"no key: {status}, client sent {sent / 2**20:.1f} MB of {HUGE / 2**20:.0f} MB, "
          f"server wrote {written} bytes, temp folder peak +{disk.peak - before_disk} bytes")
    assert status == 401 and b'"unauthorized"' in body
    assert disk.peak - before_disk < 1024 * 1024
    assert written < 1024 * 1024
    assert sent < HUGE // 4  # the answer came early; what was sent sits in socket buffers


def test_upload_over_the_limit_stops_at_the_limit(server):
    before_disk, before_written = folder_size(server["tmp"]), written_by(server["pid"])
    with PeakSize(server["tmp"]) as disk:
        status, body, sent = chunked_upload(server["port"], {"X-API-Key": KEY}, HUGE)
    written = written_by(server["pid"]) - before_written
    print(f"with key: {status}, client sent {sent / 2**20:.1f} MB, server wrote {written} bytes, "
          f"temp folder peak +{disk.peak - before_disk} bytes")
    assert status == 413 and b'"file_too_large"' in body
    assert disk.peak - before_disk < 1024 * 1024 and written < 1024 * 1024  # the file was held in memory only
    assert sent < HUGE // 4


def test_a_search_answers_while_an_upload_is_parsed_and_a_slow_parse_is_stopped(server):
    url, key = server["url"], {"X-API-Key": KEY}
    small = NOTICES / "2021_mianyang_bangfu_banfa.txt"
    # the first upload also starts the parse worker
    r = httpx.post(url + "/api/documents", files={"file": (small.name, small.read_bytes())}, headers=key, timeout=300)
    assert r.status_code == 201, r.text
    # ~3.5 MB of notice text: parsing takes far longer than the server's 5 s limit
    text = small.read_bytes()
    big = text * (int(3.5 * 2**20) // len(text))
    upload: dict = {}

    def send():
        upload["response"] = httpx.post(url + "/api/documents", files={"file": ("big.txt", big)}, headers=key,
                                        timeout=120)
        upload["done"] = time.monotonic()

    thread = threading.Thread(target=send)
    thread.start()
    answered_during_upload = 0
    deadline = time.monotonic() + 60
    while thread.is_alive() and time.monotonic() < deadline:
        s = httpx.get(url + "/api/search", params={"q": "帮扶"}, timeout=60)
        assert s.status_code == 200 and s.json()["total"] >= 1
        if "done" not in upload:
            answered_during_upload += 1
        time.sleep(0.05)
    thread.join(120)
    assert answered_during_upload >= 1  # searches were not queued behind the parsing
    r = upload["response"]
    assert r.status_code == 422 and r.json()["error"]["code"] == "parse_timeout", r.text
    assert "超时" in r.json()["error"]["message"]
    # the stopped worker was replaced: the next upload is parsed as usual
    r = httpx.post(url + "/api/documents", files={"file": (small.name, small.read_bytes())}, headers=key, timeout=300)
    assert r.status_code == 201 and r.json()["status"] == "unchanged", r.text


def raw_request(port: int, head: bytes) -> tuple[int, bytes, dict[str, str]]:
    """Send a request head as it is, in 16 KB pieces, stopping when the server answers;
    returns (status, body, headers) of the answer, read to its Content-Length (an answer
    without one, to the closed connection). Not to the close alone: a kept-alive connection
    stays open for uvicorn's keep-alive timeout, 5 s of waiting for each 200 or 422."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    answer = b""
    try:
        for i in range(0, len(head), 16384):
            if select.select([sock], [], [], 0)[0]:
                break
            sock.sendall(head[i:i + 16384])
        while not _whole(answer) and (data := sock.recv(65536)):
            answer += data
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    top, body = answer.split(b"\r\n\r\n", 1)
    lines = top.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), body, {k.lower(): v for k, v in headers.items()}


def _whole(answer: bytes) -> bool:
    """Whether `answer` holds a whole answer: its head and a body of its Content-Length."""
    if b"\r\n\r\n" not in answer:
        return False
    top = answer.split(b"\r\n\r\n", 1)[0].lower()
    return b"\r\ncontent-length:" in top and len(answer) >= len(top) + 4 + _length(answer)


def json_error(status: int, body: bytes, headers: dict[str, str]) -> tuple[int, str, str]:
    import json

    assert headers["content-type"].startswith("application/json"), (status, body[:200])
    error = json.loads(body)["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error
    return status, error["code"], error["message"]


@pytest.mark.parametrize("chars", [70_000, 1_000_000])
def test_an_over_long_search_url_gets_a_json_414(server, chars):
    # uvicorn answered these itself, in plain text (400 Invalid HTTP request received.)
    head = f"GET /api/search?q={'a' * chars} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    status, code, message = json_error(*raw_request(server["port"], head))
    assert (status, code) == (414, "uri_too_long") and "太长" in message


def test_a_long_search_under_the_url_limit_still_reaches_the_app(server):
    # 1,000+ characters up to the URL limit: the app's own refusal, naming q and its limit
    head = f"GET /api/search?q={'a' * 20_000} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    status, code, message = json_error(*raw_request(server["port"], head))
    assert (status, code) == (422, "invalid_body") and "1000" in message


GBK_GONGHUI = "%B9%A4%BB%E1"  # 工会 percent-encoded from GBK bytes, as an older GBK system links


@pytest.mark.parametrize("path, name", [("/api/search?q=", "q"), ("/api/documents?limit=5&issuer=", "issuer"),
                                        ("/api/logs?region=", "region")])
def test_a_query_in_gbk_is_refused_naming_the_parameter(server, path, name):
    """Before: the bytes were read as replacement characters: the search said its query had no
    words to search (400 bad_query) and a list filter matched nothing (200, total 0)."""
    status, code, message = json_error(*raw_request(server["port"], f"GET {path}{GBK_GONGHUI} HTTP/1.1\r\n"
                                                                      "Host: 127.0.0.1\r\n\r\n".encode()))
    assert (status, code) == (400, "bad_encoding") and f"查询参数 {name} 不是 UTF-8" in message and "工会" in message
    # the same words in UTF-8 are read as ever
    r = httpx.get(f"{server['url']}{path}%E5%B7%A5%E4%BC%9A", timeout=60)
    assert r.status_code == 200 and (r.json().get("query") or "工会") == "工会", r.text


def test_a_query_typed_in_chinese_without_percent_escapes_is_read(server):
    """`curl "http://…/api/search?q=工会"` sends the UTF-8 bytes as they are (browsers and httpx
    escape them); the parser refused them, so the answer was 400 HTTP 请求格式错误，服务器无法解析
    with no word on why. Now read as their escapes (as nginx does); GBK bytes so sent get the
    GBK line, and the request line is otherwise parsed as before."""
    status, body, headers = raw_request(server["port"], "GET /api/search?q=工会 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                        .encode("utf-8"))
    import json

    assert status == 200 and json.loads(body)["query"] == "工会", body[:300]
    head = b"GET /api/search?q=" + "工会".encode("gbk") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    status, code, message = json_error(*raw_request(server["port"], head))
    assert (status, code) == (400, "bad_encoding") and "工会" in message


def test_a_page_link_in_gbk_gets_a_chinese_page(server):
    r = httpx.get(f"{server['url']}/documents?issuer={GBK_GONGHUI}", headers={"Accept": "text/html"}, timeout=60)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert "查询参数 issuer 不是 UTF-8" in r.text and "工会" in r.text and "回到检索" in r.text
    assert r.headers["content-security-policy"]


SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def test_a_refused_head_has_the_security_headers_of_the_apps_own_errors(server):
    # the protocol answers below the app, so Guard never adds them: the same headers are written there
    def security(chars: int) -> dict[str, str]:
        head = f"GET /api/search?q={'a' * chars} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        status, _, headers = raw_request(server["port"], head)
        return {"status": status, **{name: headers.get(name) for name in SECURITY}}

    app_error, refused = security(20_000), security(70_000)
    assert (app_error.pop("status"), refused.pop("status")) == (422, 414)
    assert all(app_error.values()) and refused == app_error


@pytest.mark.parametrize("headers", [
    "X-Big: " + "b" * 100_000 + "\r\n",  # one header
    "".join(f"X-H{i}: v\r\n" for i in range(10_000)),  # many small ones
], ids=["one-big", "many"])
def test_over_large_headers_get_a_json_431(server, headers):
    head = f"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()
    status, code, message = json_error(*raw_request(server["port"], head))
    assert (status, code) == (431, "headers_too_large") and "请求头" in message


def test_a_request_the_parser_refuses_gets_a_json_400_and_the_server_goes_on(server):
    status, code, _ = json_error(*raw_request(server["port"], b"NOT HTTP AT ALL\r\n\r\n"))
    assert (status, code) == (400, "bad_request")
    # normal requests on one kept-alive connection, one with a body over the head limit
    with httpx.Client(base_url=server["url"], timeout=60) as client:
        for _ in range(3):
            assert client.get("/api/health").status_code == 200
        big = {"text": "走访园区企业，宣传工会法。" * 3000}  # a 117 KB body behind a small head
        r = client.post("/api/logs", json=big, headers={"X-API-Key": KEY})
        assert r.status_code == 201, r.text


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_gives_uvicorn_the_limited_protocol_with_any_number_of_workers(tmp_path, monkeypatch, workers):
    # with --workers N uvicorn starts fresh processes: the protocol must go by a name they import
    import uvicorn
    from typer.testing import CliRunner
    from uvicorn.importer import import_from_string

    from api.cli import app
    from api.http_head import HeadLimitedHttp

    for name in ("GONGWEN_DATA", "GONGWEN_ENGINE", "GONGWEN_API_KEY", "GONGWEN_DB"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # serve hands its settings to workers here
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append(k))
    result = CliRunner().invoke(app, ["serve", "--workers", workers, "--port", "0", "--api-key", "k",
                                      "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0 and len(calls) == 1, result.output
    assert isinstance(calls[0]["http"], str) and import_from_string(calls[0]["http"]) is HeadLimitedHttp
    assert calls[0]["ws"] == "none"  # an upgrade request gets the API's answer (see the WebSocket test above)


def answers(port: int, data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Send `data` in one write and read every answer until the server closes the connection."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    got = b""
    try:
        sock.sendall(data)
        while chunk := sock.recv(65536):
            got += chunk
    finally:
        sock.close()
    out = []
    while got:
        top, rest = got.split(b"\r\n\r\n", 1)
        lines = top.decode("latin-1").split("\r\n")
        headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
        size = int(headers.get("content-length", 0))
        out.append((int(lines[0].split()[1]), headers, rest[:size]))
        got = rest[size:]
    return out


def test_pipelined_requests_have_each_request_line_read_as_the_first_is(server):
    """Requests sent back to back in one write: the Chinese typed without escapes in the second
    or third request line (or after a POST body) was passed to the parser as it was, which refused
    the whole connection (one 400, the answers to the requests before it lost)."""
    import json

    line = "GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n".format
    data = (line("/api/health", "") + line("/api/search?q=工会", "") + line("/api/logs?region=九江", "")).encode()
    data += b"GET /api/documents?issuer=" + "工会".encode("gbk") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    got = answers(server["port"], data)
    assert [status for status, _, _ in got] == [200, 200, 200, 400]
    assert json.loads(got[1][2])["query"] == "工会"
    assert json.loads(got[3][2])["error"]["code"] == "bad_encoding" and "工会" in json.loads(got[3][2])["error"]["message"]
    # a request with a body, then one whose line holds Chinese, in the same write
    body = json.dumps({"text": "走访园区企业，宣传工会法。"}, ensure_ascii=False).encode()
    data = (f"POST /api/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body + line("/api/search?q=宣传", "Connection: close\r\n").encode()
    got = answers(server["port"], data)
    assert [status for status, _, _ in got] == [201, 200] and json.loads(got[1][2])["query"] == "宣传"


@pytest.mark.parametrize("upgrade", [
    "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
    "Upgrade: websocket\r\n",  # no key: the WebSocket library's own text 400
], ids=["handshake", "no-key"])
def test_a_websocket_upgrade_gets_the_apis_json_answer(server, upgrade):
    """No route speaks WebSocket: an upgrade request was answered by uvicorn's WebSocket
    protocol (an empty text/plain 403, or a text 400), not with the API's error body."""
    head = f"GET /api/documents/nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n{upgrade}\r\n"
    (status, headers, body), = answers(server["port"], head.encode().replace(b"Connection: Upgrade", b"Connection: Upgrade, close"))
    assert (status, *json_error(status, body, headers)[1:2]) == (404, "not_found")
