"""Two gunicorn replicas behind nginx on loopback: one is killed mid-load and every request still succeeds."""
from __future__ import annotations

import http.client
import re
import threading
import time
from urllib.parse import quote

import pytest

from search.store import CURRENT_NAME
from web.replicas import HOST, copy_generation, free_port, nginx_config, start

QUERIES = ["专利", "商标 注册", "发明专利能保护多少年？", "专利法第二十条", "质押融资", "知识产权 -\"专利\"",
           "公司的商标被别人抢注了怎么办", "著作权 OR 版权"]


@pytest.fixture
def deployment(bundled_index, tmp_path):
    running = start(bundled_index, tmp_path / "run", replicas=2, port=free_port(), workers=1)
    yield running
    running.stop()


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=20)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Replica", "")
    finally:
        conn.close()


@pytest.mark.slow
def test_each_replica_has_its_own_copy_of_the_generation(deployment, bundled_index):
    own = [deployment.run_dir / f"replica-{n}" / "index" for n in (1, 2)]
    live = (bundled_index / CURRENT_NAME).read_text().strip()
    for folder in own:
        assert (folder / CURRENT_NAME).read_text().strip() == live
        assert sorted(p.name for p in (folder / live).iterdir()) == sorted(p.name for p in (bundled_index / live).iterdir())
    assert own[0].resolve() != own[1].resolve()


@pytest.mark.slow
def test_requests_keep_succeeding_when_a_replica_is_killed_mid_load(deployment):
    answered: list[tuple[float, int, str]] = []  # (when it was sent, status, which replica answered)
    stop = threading.Event()

    def load(offset: int) -> None:
        n = offset
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status, replica = _get(deployment.port, "/api/search?q=" + quote(QUERIES[n % len(QUERIES)]))
            except OSError as exc:  # a failed connection counts as a failed request
                status, replica = 0, repr(exc)
            answered.append((sent, status, replica))
            n += 1

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    victim, survivor = deployment.replicas
    killed_at = time.monotonic()
    victim.kill()  # SIGKILL to the server and its workers, mid-request for some
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    victim.popen.wait(10)

    assert len(answered) > 40
    failed = [a for a in answered if a[1] != 200]
    assert not failed, failed[:5]
    # X-Replica names each replica nginx tried, the one that answered last
    before = {replica.split(", ")[-1] for sent, _, replica in answered if sent < killed_at}
    after = {replica.split(", ")[-1] for sent, _, replica in answered if sent > killed_at + 0.5}
    assert before == {f"{HOST}:{r.port}" for r in deployment.replicas}  # both served before the kill
    assert after == {f"{HOST}:{survivor.port}"}


def test_the_nginx_config_lists_every_replica(tmp_path):
    text = nginx_config(tmp_path, "127.0.0.1:8080", ["127.0.0.1:8001", "127.0.0.1:8002", "10.0.0.3:8000"])
    assert "listen 127.0.0.1:8080;" in text
    assert text.count("server 127.0.0.1:800") == 2 and "server 10.0.0.3:8000 " in text
    assert not re.search(r"@[A-Z_]+@", text)  # every field filled in


def test_copying_an_index_that_was_never_built_says_so(tmp_path):
    with pytest.raises(RuntimeError, match="search build"):
        copy_generation(tmp_path / "nothing", tmp_path / "copy")
