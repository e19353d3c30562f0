"""Serving for real: gunicorn as the README runs it (web/gunicorn.conf.py), and `search serve`."""
from __future__ import annotations

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import PROJECT
from web.replicas import free_port
from web.security import SECURITY_HEADERS

pytestmark = pytest.mark.slow  # real gunicorn servers and stalled clients

GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
CONFIG = PROJECT / "web" / "gunicorn.conf.py"
HOST = "127.0.0.1"
# Clients that open a connection, send part of a request head and then say nothing more.
STALLED_CLIENTS = 50
# Far above a warm /healthz or search (milliseconds) and a cold worker's first search (about
# 1 s, jieba's dictionary), far below what a locked-out server gives (sync workers: the 30 s
# worker timeout, then the next stalled client).
ANSWER_SECONDS = 5.0


def _get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
        try:
            if _get(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up in {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()
    process.stderr.close()


@contextmanager
def _served(index_dir: Path, *options: str) -> Iterator[tuple[str, int]]:
    """Run the README's gunicorn command on ``index_dir`` on a free loopback port; yield its URL and port."""
    port = free_port()
    env = dict(os.environ, SEARCH_INDEX_DIR=str(index_dir))
    process = subprocess.Popen([str(GUNICORN), "-c", str(CONFIG), "--bind", f"{HOST}:{port}", *options,
                                "web:create_app()"],
                               cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base + "/healthz", process)
        yield base, port
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def gunicorn(bundled_index):
    with _served(bundled_index, "--workers", "3") as (base, _port):
        yield base


@pytest.fixture(scope="module")
def gunicorn_port(gunicorn):
    return int(gunicorn.rsplit(":", 1)[1])


def _stall(port: int, count: int) -> list[socket.socket]:
    """Open ``count`` connections that each send a request line and half a header, then nothing."""
    clients = []
    try:
        for _ in range(count):
            client = socket.create_connection((HOST, port), timeout=ANSWER_SECONDS)
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Stalled: ")
            clients.append(client)
    except BaseException:
        _close(clients)
        raise
    return clients


def _close(clients: list[socket.socket]) -> None:
    for client in clients:
        client.close()


def _still_open(client: socket.socket) -> bool:
    """Whether the server has neither closed ``client`` nor answered it."""
    client.setblocking(False)
    try:
        client.recv(1)  # b"" once closed, bytes once answered
    except BlockingIOError:
        return True
    except OSError:  # reset
        return False
    finally:
        client.settimeout(ANSWER_SECONDS)
    return False


def _timed_get(url: str) -> tuple[int, bytes, float]:
    started = time.monotonic()
    status, body = _get(url, timeout=ANSWER_SECONDS)
    return status, body, time.monotonic() - started


def _raw(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send ``request`` as it is; return the status line, headers and body of the answer."""
    with socket.create_connection((HOST, port), timeout=ANSWER_SECONDS) as client:
        client.sendall(request)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    return status, dict(line.split(": ", 1) for line in lines), body


def test_gunicorn_workers_share_the_read_only_index(gunicorn):
    query = urllib.parse.quote("质押融资")
    answers = []
    for _ in range(12):  # more requests than workers, so several workers answer
        status, body = _get(f"{gunicorn}/api/search?q={query}")
        assert status == 200
        answers.append(json.loads(body)["total"])
    assert len(set(answers)) == 1 and answers[0] > 0
    status, body = _get(f"{gunicorn}/?q={query}")
    assert status == 200 and "质押融资" in body.decode("utf-8")
    status, body = _get(f"{gunicorn}/api/clause/no-such-clause")
    assert status == 404 and json.loads(body)["status"] == 404


def _post(url: str, fields: dict, timeout: float = 30.0) -> tuple[int, bytes]:
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_gunicorn_takes_a_pasted_passage_as_a_form(gunicorn):
    # 2,000 characters are about 18 KB percent-encoded: past gunicorn's 4,094-byte request line
    # as a URL, so the search box POSTs them, and gunicorn hands the body on to the app.
    text = (PROJECT / "raw_docs" / "专利法(2020-10-17).md").read_text(encoding="utf-8")
    passage = text[text.index("第一条"):][:2000]
    assert len(urllib.parse.quote(passage)) > 4094
    status, body = _post(f"{gunicorn}/api/search", {"q": passage})
    assert status == 200
    data = json.loads(body)
    assert data["relaxed"]["passage"] is True and data["hits"][0]["title"] == "中华人民共和国专利法"
    status, body = _post(f"{gunicorn}/", {"q": passage})
    assert status == 200 and "按段落查找相似条款" in body.decode("utf-8")
    status, body = _post(f"{gunicorn}/api/search", {"q": passage + "。"})
    assert status == 400 and json.loads(body)["code"] == "query_too_long"


def test_search_serve_builds_a_missing_index_and_serves_it(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("002_d612a12ae481ae56.txt", "003_06b732dbd06fe955.txt"):
        (source / name).write_bytes((PROJECT / "raw_docs" / name).read_bytes())
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--source", str(source), "--index",
                                str(tmp_path / "index"), "--port", str(port)],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        status, body = _get(f"http://127.0.0.1:{port}/api/search?q=" + urllib.parse.quote("专利导航"))
        assert status == 200
        assert json.loads(body)["hits"][0]["title"] == "罗山县人民政府关于进一步加强知识产权工作的实施意见"
    finally:
        _stop(process)
    assert (tmp_path / "index" / "CURRENT").exists()


def test_fifty_stalled_clients_do_not_keep_ordinary_requests_waiting(bundled_index):
    # Two workers, so each holds about 25 stalled clients (the sync workers of old held one each
    # and locked everyone out). --keep-alive 60 keeps the stalled clients connected for the
    # whole test however slow the machine; the config's own deadline is tested below.
    search_url = "/api/search?q=" + urllib.parse.quote("专利")
    with _served(bundled_index, "--workers", "2", "--keep-alive", "60") as (base, port):
        for _ in range(4):  # each worker loads jieba and opens the index before the clock starts
            assert _get(base + search_url, timeout=30)[0] == 200
        stalled = _stall(port, STALLED_CLIENTS)
        try:
            time.sleep(0.5)  # the workers accept them and start reading their headers
            for _ in range(10):  # more requests than workers, so every worker answers
                status, body, seconds = _timed_get(base + "/healthz")
                assert status == 200 and seconds < ANSWER_SECONDS
                status, body, seconds = _timed_get(base + search_url)
                assert status == 200 and seconds < ANSWER_SECONDS
                assert json.loads(body)["total"] > 0
            assert sum(_still_open(client) for client in stalled) == STALLED_CLIENTS
        finally:
            _close(stalled)


def test_a_client_stalling_mid_headers_is_disconnected_after_keepalive_seconds(gunicorn, gunicorn_port):
    keepalive = runpy.run_path(str(CONFIG))["keepalive"]
    assert keepalive > 0  # 0 would read a first request with no deadline at all
    silent = _stall(gunicorn_port, 1)[0]
    # A slow-loris client: a header byte every half second, so it never goes quiet.
    trickling = _stall(gunicorn_port, 1)[0]
    started = time.monotonic()
    try:
        while time.monotonic() - started < keepalive + ANSWER_SECONDS:
            try:
                trickling.sendall(b"x")
            except OSError:  # reset: the server has closed it
                break
            if not _still_open(trickling) and not _still_open(silent):
                break
            time.sleep(0.5)
        seconds = time.monotonic() - started
        assert not _still_open(silent) and not _still_open(trickling)
        assert seconds < keepalive + ANSWER_SECONDS
        status, _body, _seconds = _timed_get(gunicorn + "/healthz")
        assert status == 200
    finally:
        _close([silent, trickling])


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "414 URI Too Long"),
    (b"GET\r\n\r\n", "400 Bad Request"),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(120)) + b"\r\n",
     "431 Request Header Fields Too Large"),
], ids=["request-line-too-long", "malformed-request-line", "too-many-headers"])
def test_gunicorns_own_refusals_carry_the_security_headers(gunicorn_port, request_bytes, status):
    status_line, headers, body = _raw(gunicorn_port, request_bytes)
    assert status_line == f"HTTP/1.1 {status}"
    assert b"<title>" + status.split(" ", 1)[1].encode() + b"</title>" in body  # gunicorn's page, not the app's
    assert {name: headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert headers["Connection"] == "close"
