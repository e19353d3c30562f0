"""Replicas behind nginx: N gunicorn servers, each on its own copy of the live index generation, and nginx in front.

    .venv/bin/python -m web.replicas --replicas 2 --port 8080        # from the project folder

A generation is an immutable folder (``search build`` writes a new one and switches ``CURRENT``),
so a replica's index is a plain copy of ``CURRENT`` and that folder: on this machine here, on
another with ``rsync`` (README, "Replicas behind nginx"). nginx (Debian's package) runs with
``web/nginx.conf.template`` filled in; a GET a dying replica drops is retried on another.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from search.store import CURRENT_NAME, live_generation, record_identities

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
HOST = "127.0.0.1"
NGINX = "nginx"


class ReplicaError(RuntimeError):
    """A replica or nginx could not be started (the message names its log)."""


def copy_generation(index_dir: Path, dest: Path) -> Path:
    """Copy the live generation of ``index_dir`` (the folder and ``CURRENT``) into ``dest``; return ``dest``."""
    generation = live_generation(index_dir)
    if generation is None:
        raise ReplicaError(f"{index_dir} has no index: run `python -m search build` first")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(generation, dest / generation.name, dirs_exist_ok=True)
    record_identities(dest / generation.name, dest)  # checked once here, not by every worker opening it
    # CURRENT last: the copy is an index only once its generation is whole
    shutil.copy2(Path(index_dir) / CURRENT_NAME, dest / CURRENT_NAME)
    return dest


def nginx_config(run_dir: Path, listen: str, upstreams: list[str]) -> str:
    """Return web/nginx.conf.template with its fields filled in."""
    servers = "\n".join(f"        server {address} max_fails=1 fail_timeout=5s;" for address in upstreams)
    # As root, nginx's workers run as Debian's www-data; as anyone else, as that user.
    user = "user www-data;" if os.geteuid() == 0 else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("@USER@", user), ("@RUN_DIR@", str(run_dir)), ("@SERVERS@", servers), ("@LISTEN@", listen)):
        text = text.replace(name, value)
    return text


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def answers(port: int, path: str = "/healthz", timeout: float = 2.0) -> bool:
    """Tell whether a server on the loopback port answers ``path`` with 200."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            conn.request("GET", path)
            return conn.getresponse().status == 200
        finally:
            conn.close()
    except OSError:
        return False


@dataclass
class Process:
    """A server process started in a session of its own (so killing it kills its workers too)."""

    name: str
    port: int
    popen: subprocess.Popen
    log: Path

    def wait_until_up(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise ReplicaError(f"{self.name} exited with {self.popen.returncode}; see {self.log}")
            if answers(self.port):
                return
            time.sleep(0.2)
        raise ReplicaError(f"{self.name} did not answer /healthz in {seconds:.0f} s; see {self.log}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, seconds: float = 10.0) -> None:
        self.kill(signal.SIGTERM)
        try:
            self.popen.wait(seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            self.popen.wait()


def start_gunicorn(index_dir: Path, workers: int, log: Path, name: str = "gunicorn",
                   extra: tuple[str, ...] = ()) -> Process:
    """Start gunicorn serving ``index_dir`` as the README does (web/gunicorn.conf.py) on a free loopback port."""
    port = free_port()
    env = dict(os.environ, SEARCH_INDEX_DIR=str(index_dir))
    command = [sys.executable, "-m", "gunicorn", "-c", str(PROJECT / "web" / "gunicorn.conf.py"),
               "--workers", str(workers), "--bind", f"{HOST}:{port}", *extra, "web:create_app()"]
    return _start(name, port, command, log, env)


def _start(name: str, port: int, command: list[str], log: Path, env: dict | None = None) -> Process:
    with log.open("ab") as out:
        popen = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    return Process(name, port, popen, log)


@dataclass
class Deployment:
    """The running replicas and the nginx in front of them."""

    run_dir: Path
    port: int
    replicas: list[Process] = field(default_factory=list)
    nginx: Process | None = None

    def stop(self) -> None:
        for process in ([self.nginx] if self.nginx else []) + self.replicas:
            process.stop()


def start(index_dir: Path, run_dir: Path, replicas: int = 2, port: int = 8080, workers: int = 2,
          wait_seconds: float = 60.0) -> Deployment:
    """Copy the index once per replica, start a gunicorn server on each copy, then nginx on ``port``.

    :raises ReplicaError: no index, no nginx, or a server that did not come up (its log is named).
    """
    if shutil.which(NGINX) is None:
        raise ReplicaError("nginx is not installed: apt-get install -y nginx")
    run_dir = Path(run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    deployment = Deployment(run_dir, port)
    try:
        for number in range(1, replicas + 1):
            own = copy_generation(Path(index_dir), run_dir / f"replica-{number}" / "index")
            deployment.replicas.append(start_gunicorn(own, workers, run_dir / f"replica-{number}" / "gunicorn.log",
                                                      name=f"replica {number}"))
        for replica in deployment.replicas:
            replica.wait_until_up(wait_seconds)
        (run_dir / "nginx-tmp").mkdir(exist_ok=True)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_config(run_dir, f"{HOST}:{port}", [f"{HOST}:{r.port}" for r in deployment.replicas]),
                        encoding="utf-8")
        command = [NGINX, "-p", str(run_dir), "-e", str(run_dir / "nginx-error.log"), "-c", str(conf),
                   "-g", "daemon off;"]
        deployment.nginx = _start("nginx", port, command, run_dir / "nginx.log")
        deployment.nginx.wait_until_up(wait_seconds)
    except BaseException:
        deployment.stop()
        raise
    return deployment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.replicas", description=__doc__.split("\n")[0])
    parser.add_argument("--index", default=str(PROJECT / "index"), help="the index to copy (default: index/)")
    parser.add_argument("--run-dir", default=str(PROJECT / "replicas"),
                        help="where the copies, logs and nginx.conf go (default: replicas/)")
    parser.add_argument("--replicas", type=int, default=2, help="gunicorn servers (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    args = parser.parse_args(argv)
    if args.replicas < 1 or args.workers < 1:
        parser.error("--replicas and --workers take 1 or more")
    try:
        deployment = start(Path(args.index), Path(args.run_dir), args.replicas, args.port, args.workers)
    except ReplicaError as exc:
        print(f"无法启动：{exc}", file=sys.stderr)
        return 1
    print(f"http://{HOST}:{args.port}/ → " + ", ".join(f"{HOST}:{r.port}" for r in deployment.replicas), flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    reported: set[str] = set()
    try:
        while not stopping:
            for process in [deployment.nginx, *deployment.replicas]:
                if process.popen.poll() is not None and process.name not in reported:
                    reported.add(process.name)  # nginx passes over it; say so once
                    print(f"{process.name} exited with {process.popen.returncode}; see {process.log}",
                          file=sys.stderr, flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        deployment.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
