"""Serving for real: gunicorn with several workers on one read-only index, and `search serve`."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import PROJECT

GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture
def gunicorn(bundled_index):
    port = _free_port()
    env = dict(os.environ, SEARCH_INDEX_DIR=str(bundled_index))
    process = subprocess.Popen([str(GUNICORN), "--workers", "3", "--bind", f"127.0.0.1:{port}", "web:create_app()"],
                               cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/healthz", process)
        yield base
    finally:
        _stop(process)


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


def test_search_serve_builds_a_missing_index_and_serves_it(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("002_d612a12ae481ae56.txt", "003_06b732dbd06fe955.txt"):
        (source / name).write_bytes((PROJECT / "raw_docs" / name).read_bytes())
    port = _free_port()
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
