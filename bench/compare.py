"""Time the search API of an earlier commit against the working tree's, on one index and one query set.

    python -m bench.compare --index DIR --before REV [--queries bench/queries.txt] [--rounds 2]

Both versions of ``search/searching.py`` run in this process over the same open index, alternating,
so a busy machine slows both alike. Prints p50/p95/max per round.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def _load_before(rev: str):
    source = subprocess.run(["git", "show", f"{rev}:search/searching.py"], cwd=PROJECT, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "searching_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("search._searching_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _queries(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("|")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an index built by `python -m search build`")
    parser.add_argument("--before", required=True, help="git revision whose search/searching.py to compare")
    parser.add_argument("--queries", default=str(PROJECT / "bench" / "queries.txt"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT))
    import search.searching as after

    before = _load_before(args.before)
    index = after.SearchIndex(args.index)
    queries = _queries(Path(args.queries))
    after.search(index, queries[0])  # jieba and the facet arrays load once, outside the timings
    for _ in range(args.rounds):
        for name, module in ((args.before, before), ("working tree", after)):
            times = []
            for q in queries:
                start = time.perf_counter()
                module.search(index, q)
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(f"{name:>14}: p50 {statistics.median(times):6.1f}  p95 {times[int(len(times) * 0.95) - 1]:6.1f}"
                  f"  max {times[-1]:6.1f} ms over {len(times)} queries")


if __name__ == "__main__":
    main()
