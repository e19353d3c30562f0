"""Load test: gunicorn workers over one read-only index, a mix of real queries for a fixed time,
and a build swapping a new index generation in halfway through.

Not part of the test suite (``tests/test_load.py`` runs the same code for a few seconds). From the
project folder::

    .venv/bin/python -m bench.load                          # 60 s, wrk if installed, else Python threads
    .venv/bin/python -m bench.load --engine python --seconds 20 --workers 3 --concurrency 8
    .venv/bin/python -m bench.load --index index --no-swap  # serve a copy of an existing index

Only ever talks to 127.0.0.1. Prints requests/s, p50/p99 latency and errors (a non-2xx answer or a
failed connection) and writes them as JSON to ``--out``. Exit status 1 when any request failed.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from web.replicas import start_gunicorn

PROJECT = Path(__file__).resolve().parents[1]
QUERIES = PROJECT / "bench" / "queries.txt"
DEFAULT_OUT = PROJECT / "bench" / "results" / "load.json"
HOST = "127.0.0.1"

# Used when bench/queries.txt is missing: real queries of each kind, some with filters.
BUILTIN_QUERIES: list[tuple[str, dict[str, list[str]]]] = [
    ("质押融资", {}), ("地理标志 农产品", {}), ("商业秘密", {}), ('"保护中心"', {}), ("专利法第二十条", {}),
    ("三政〔2014〕61号", {}), ("商标 -驰名商标", {}), ("专利 OR 商标 质押", {}), ("著作权", {"ip_type": ["著作权"]}),
    ("知识产权 保护", {"level": ["省", "市"], "year": ["2016-2022"]}), ("", {"agency": ["知识产权局"]}),
    ("专利", {"authority": ["法律"]}),
]
# Every request this long or longer counts as failed too (gunicorn's default worker timeout is 30 s).
REQUEST_TIMEOUT = 10.0
# A bound on the count as well as the time, whatever the machine.
MAX_REQUESTS_PER_SECOND = 5000
ERROR_SAMPLES = 10


@dataclass
class LoadResult:
    """What one load run measured."""

    engine: str
    seconds: float
    concurrency: int
    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- the query mix ---------------------------------------------------------------------------


def search_urls(path: Path = QUERIES) -> list[str]:
    """Return the ``/api/search`` URLs of the benchmark's queries (``bench/queries.txt``, else a built-in list)."""
    if path.exists():
        from bench.queries import read_queries

        mix = [(q.q, q.filters) for q in read_queries(path)]
    else:
        mix = BUILTIN_QUERIES
    urls = []
    for q, filters in mix:
        pairs = [("q", q)] + [(name, value) for name, values in filters.items() for value in values]
        urls.append("/api/search?" + urlencode(pairs))
    return urls


# -- the server --------------------------------------------------------------------------------


def get(port: int, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def served_generation(port: int) -> str | None:
    """Return the generation the server on ``port`` answers from (its /healthz), None when it does not answer."""
    status, body = get(port, "/healthz")
    return json.loads(body)["generation"] if status == 200 else None


# -- load generators -------------------------------------------------------------------------


def python_load(port: int, urls: list[str], seconds: float, concurrency: int,
                max_requests: int | None = None) -> LoadResult:
    """Send ``urls`` round-robin from ``concurrency`` threads (HTTP/1.1, keep-alive where the server allows)."""
    max_requests = max_requests or int(seconds * MAX_REQUESTS_PER_SECOND)
    tickets = itertools.count()  # next() on a count is atomic in CPython: the shared bound on requests
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    samples: list[str] = []
    errors = 0
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors
        mine: list[float] = []
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline:
            ticket = next(tickets)
            if ticket >= max_requests:
                break
            url = urls[ticket % len(urls)]
            start = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                status, problem = str(response.status), None if 200 <= response.status < 300 else url
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
                status, problem = type(exc).__name__, f"{url}: {exc!r}"
            mine.append(time.perf_counter() - start)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if problem:
                    errors += 1
                    if len(samples) < ERROR_SAMPLES:
                        samples.append(f"{status} {problem}")
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    result = LoadResult("python", elapsed, concurrency, requests=len(latencies), errors=errors, statuses=statuses,
                        error_samples=samples)
    if latencies:
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        result.p50_ms, result.p99_ms = cuts[49] * 1000, cuts[98] * 1000
        result.max_ms = max(latencies) * 1000
    return result


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def wrk_load(port: int, urls: list[str], seconds: float, concurrency: int) -> LoadResult:
    """Run ``wrk`` with a Lua script sending ``urls`` round-robin; errors are its socket errors and non-2xx/3xx."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        # urlencode leaves only [A-Za-z0-9%&=+._~-]: safe inside a Lua string
        script.write(WRK_SCRIPT % ", ".join(f'"{url}"' for url in urls))
    try:
        out = subprocess.run(["wrk", "--threads", str(min(2, concurrency)), "--connections", str(concurrency),
                              "--duration", f"{max(1, round(seconds))}s", "--timeout", f"{REQUEST_TIMEOUT:.0f}s",
                              "--script", script.name, f"http://{HOST}:{port}"],
                             capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    data = json.loads(line[4:])
    failures = {k: data[k] for k in ("connect", "read", "write", "timeout", "status") if data[k]}
    return LoadResult("wrk", data["duration_us"] / 1e6, concurrency, requests=data["requests"],
                      errors=sum(failures.values()), statuses={f"wrk-{k}": v for k, v in failures.items()},
                      error_samples=[out.strip()[-2000:]] if failures else [],
                      p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000, max_ms=data["max_us"] / 1000)


# -- the swap --------------------------------------------------------------------------------


def changed_copy(source: Path, dest: Path) -> str:
    """Copy ``source`` to ``dest`` with one document changed (a sentence added); return its name."""
    shutil.copytree(source, dest)
    target = sorted(p for p in dest.iterdir() if p.suffix == ".txt")[0]
    text = target.read_text(encoding="utf-8-sig")
    target.write_text(text.rstrip("\n") + "\n本文件在负载测试中被修改，以生成新的索引版本。\n", encoding="utf-8")
    return target.name


@dataclass
class Swap:
    """A build run into the served index while the load runs."""

    source: Path
    index_dir: Path
    at: float  # seconds after the load started
    started: float | None = None
    seconds: float | None = None
    returncode: int | None = None
    output: str = ""

    def run(self, load_started: float) -> None:
        time.sleep(max(0.0, load_started + self.at - time.monotonic()))
        self.started = time.monotonic() - load_started
        done = subprocess.run([sys.executable, "-m", "search", "build", "--index", str(self.index_dir),
                               "--source", str(self.source)], cwd=PROJECT, capture_output=True, text=True)
        self.seconds = time.monotonic() - load_started - self.started
        self.returncode, self.output = done.returncode, (done.stdout + done.stderr)[-2000:]


# -- one run -----------------------------------------------------------------------------------


def run(seconds: float = 60.0, workers: int = 3, concurrency: int = 8, engine: str = "auto",
        index: Path | None = None, source: Path = PROJECT / "raw_docs", swap: bool = True, swap_at: float = 0.5,
        warmup: float = 3.0, workdir: Path | None = None) -> dict:
    """Serve an index with gunicorn, load it for ``seconds``, swap a new generation in at ``swap_at``; return the figures."""
    if engine == "auto":
        engine = "wrk" if shutil.which("wrk") else "python"
    load_before = os.getloadavg()[0]  # other work on the machine skews the figures: say how much there was
    own_workdir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="load-")) if own_workdir else workdir
    try:
        index_dir = workdir / "index"
        if index is not None:
            shutil.copytree(index, index_dir)  # the swap writes into the served index: never the caller's
        else:
            subprocess.run([sys.executable, "-m", "search", "build", "--index", str(index_dir), "--source",
                            str(source)], cwd=PROJECT, check=True, capture_output=True)
        swapper = None
        if swap:
            changed = changed_copy(source, workdir / "source-changed")
            swapper = Swap(workdir / "source-changed", index_dir, at=seconds * swap_at)
        urls = search_urls()
        server = start_gunicorn(index_dir, workers, workdir / "gunicorn.log", extra=("--timeout", "60"))
        try:
            server.wait_until_up(60.0)
            before = served_generation(server.port)
            python_load(server.port, urls, warmup, concurrency)  # every worker opens the index, loads jieba
            thread = None
            started = time.monotonic()
            if swapper:
                thread = threading.Thread(target=swapper.run, args=(started,), daemon=True)
                thread.start()
            if engine == "wrk":
                result = wrk_load(server.port, urls, seconds, concurrency)
            else:
                result = python_load(server.port, urls, seconds, concurrency)
            if thread:
                thread.join()
            after = {served_generation(server.port) for _ in range(workers * 3)}  # several workers answer
        finally:
            server.stop(30.0)
    finally:
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    figures = {
        "engine": result.engine, "workers": workers, "concurrency": concurrency, "cores": os.cpu_count(),
        "loadavg_1min_before": round(load_before, 2),
        "seconds": round(result.seconds, 2), "queries": len(urls), "requests": result.requests,
        "rps": round(result.rps, 1), "p50_ms": round(result.p50_ms, 2), "p99_ms": round(result.p99_ms, 2),
        "max_ms": round(result.max_ms, 2), "errors": result.errors, "statuses": result.statuses,
        "error_samples": result.error_samples, "generation_before": before, "generations_after": sorted(after),
    }
    if swapper:
        figures["swap"] = {"changed_file": changed, "at_s": round(swapper.started, 2),
                           "build_s": round(swapper.seconds, 2), "returncode": swapper.returncode,
                           # the new generation was live while the load still ran
                           "during_load": swapper.started + swapper.seconds < result.seconds,
                           "swapped": swapper.returncode == 0 and len(after) == 1 and before not in after,
                           "output": swapper.output if swapper.returncode else ""}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to load (default 60)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3: CPU-bound, one per core plus one)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once (default 8)")
    parser.add_argument("--engine", choices=("auto", "wrk", "python"), default="auto",
                        help="wrk if installed (auto), or Python threads")
    parser.add_argument("--index", type=Path, help="serve a copy of this index (built from --source) instead of "
                                                   "building one")
    parser.add_argument("--source", type=Path, default=PROJECT / "raw_docs", help="documents to index (raw_docs/)")
    parser.add_argument("--no-swap", action="store_true", help="no build during the load")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    figures = run(seconds=args.seconds, workers=args.workers, concurrency=args.concurrency, engine=args.engine,
                  index=args.index, source=args.source, swap=not args.no_swap)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{figures['engine']}: {figures['workers']} gunicorn workers, {figures['concurrency']} connections, "
          f"{figures['seconds']} s, {figures['queries']} queries in the mix, {figures['cores']} cores "
          f"(load average {figures['loadavg_1min_before']} before)")
    print(f"  {figures['requests']} requests, {figures['rps']} requests/s, p50 {figures['p50_ms']} ms, "
          f"p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms, errors {figures['errors']}")
    if "swap" in figures:
        swap = figures["swap"]
        print(f"  swap: build started at {swap['at_s']} s, took {swap['build_s']} s, "
              f"{figures['generation_before']} → {', '.join(map(str, figures['generations_after']))}"
              f"{'' if swap['swapped'] else ' (NOT swapped)'}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    print(f"  JSON: {args.out}")
    return 1 if figures["errors"] or ("swap" in figures and not figures["swap"]["swapped"]) else 0


if __name__ == "__main__":
    sys.exit(main())
