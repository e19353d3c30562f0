"""The CPU budget of one file: a file that costs more is skipped as too-slow, and the build goes on."""
from __future__ import annotations

import shutil
import signal
import threading

import pytest

from search import settings
from search.errors import TooSlow
from search.build import build_index
from search.ingest.budget import cpu_budget, enforceable

from conftest import RAW_DOCS, SEED_FILES

RULES = "专利法实施细则(2023-12-11).md"
HISTORY_END = "<!-- INFO END -->"


def test_a_block_past_its_budget_is_stopped_even_where_exceptions_are_swallowed():
    before = signal.getsignal(signal.SIGPROF)
    with pytest.raises(TooSlow) as stopped:
        with cpu_budget("最高人民法院关于审理专利纠纷案件适用法律问题的若干规定.html", 0.05):
            while True:  # code that catches every Exception, as some parsers do, still gives up
                try:
                    sum(range(10_000))
                except Exception:
                    pass
    assert stopped.value.reason == "too-slow" and "0.05 s of CPU time" in stopped.value.message
    assert signal.getsignal(signal.SIGPROF) == before
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_a_block_within_its_budget_runs_untouched():
    with cpu_budget("专利法.md", 5.0):
        total = sum(range(100_000))
    assert total == 4_999_950_000 and signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_outside_the_main_thread_the_budget_is_not_enforced_and_a_build_says_so(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(RAW_DOCS / SEED_FILES["luoshan"], src / "luoshan.txt")
    seen = {}

    def build():
        seen["enforceable"] = enforceable()
        seen["report"] = build_index(src, tmp_path / "index")

    thread = threading.Thread(target=build)
    thread.start()
    thread.join(timeout=120)
    assert enforceable() and seen["enforceable"] is False
    assert seen["report"].added == ["luoshan.txt"]
    assert any("CPU budget" in w and "not enforced" in w for w in seen["report"].warnings)


def _rules(times: int) -> str:
    """The real 2023 rules with their body ``times`` over (90: 7 MB, about half a second of CPU to read)."""
    head, sep, body = (RAW_DOCS / RULES).read_text(encoding="utf-8").partition(HISTORY_END)
    return head + sep + body * times


@pytest.fixture
def slow_source(tmp_path, monkeypatch):
    """A folder of a seed and a 7 MB law, under a CPU budget of 0.08 s per file: the law is too slow."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(RAW_DOCS / SEED_FILES["luoshan"], src / "luoshan.txt")
    (src / "rules-90x.md").write_text(_rules(90), encoding="utf-8")
    build_index(src, tmp_path / "warm")  # loads the data files once, outside the budget under test
    monkeypatch.setattr(settings, "INGEST_CPU_SECONDS", 0.08)
    return src


def test_a_file_past_the_budget_is_skipped_and_the_rest_is_indexed(slow_source, tmp_path):
    report = build_index(slow_source, tmp_path / "index", rebuild=True)
    assert [(rel, reason) for rel, reason, _ in report.ingest.skipped] == [("rules-90x.md", "too-slow")]
    assert report.added == ["luoshan.txt"]


def test_a_file_skipped_as_too_slow_is_not_read_again_until_it_changes(slow_source, tmp_path, monkeypatch):
    import search.build.workers as workers

    src, index = slow_source, tmp_path / "index"
    build_index(src, index)
    read: list[str] = []
    real = workers.read_file
    monkeypatch.setattr(workers, "read_file", lambda folder, job: (read.append(job.rel), real(folder, job))[1])
    again = build_index(src, index)
    assert read == [] and not again.written  # nothing read, nothing written
    assert [(rel, reason) for rel, reason, _ in again.ingest.skipped] == [("rules-90x.md", "too-slow")]
    # cut down to a short real text: now it fits (twice the rules' body took 0.06–0.08 s of the 0.08)
    (src / "rules-90x.md").write_text((RAW_DOCS / SEED_FILES["luoshan"]).read_text(encoding="utf-8"), encoding="utf-8")
    changed = build_index(src, index)
    assert read == ["rules-90x.md"] and changed.added == ["rules-90x.md"] and not changed.ingest.skipped
