"""A short run of bench/load.py: gunicorn workers under load while a build swaps a new index in, 0 errors.

Speed is not asserted here (it goes in the README from the 60-s run); failures are.
"""
from __future__ import annotations

import pytest

from bench.load import run, search_urls

from conftest import RAW_DOCS

pytestmark = pytest.mark.slow  # gunicorn under a 15-s query mix with an index swap


def test_the_benchmark_queries_make_search_urls():
    urls = search_urls()
    assert len(urls) >= 10 and all(url.startswith("/api/search?q=") for url in urls)
    assert any("level=" in url for url in urls)


def test_load_with_an_index_swap_has_no_errors(bundled_index, tmp_path):
    # The build is ~3 s alone and up to ~10 s on 2 cores busy serving: it starts early to finish under load.
    figures = run(seconds=15, workers=2, concurrency=3, engine="python", index=bundled_index, source=RAW_DOCS,
                  swap=True, swap_at=0.05, warmup=1.0, workdir=tmp_path)
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["requests"] > 0 and set(figures["statuses"]) == {"200"}
    swap = figures["swap"]
    assert swap["returncode"] == 0, swap["output"]
    assert swap["swapped"] and swap["during_load"], figures
    assert figures["generations_after"] != [figures["generation_before"]]
