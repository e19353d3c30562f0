"""Property: incremental builds over any mixture of real documents, stripped documents and bad entries end where a fresh build does.

Each example walks a source folder through a few states in random order — real laws and
policies, the same texts without their dates, titles or issuers, and entries that can't be
indexed — building incrementally after each change. After every build each search, facet and
document request answers, and the index holds exactly what a fresh build of the folder holds.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from search.build import build_index
from search.store import open_index
from web import create_app
from web.index import close_index

from conftest import GOVCN, RAW_DOCS, SEED_FILES

LAW_A = "最高人民法院关于审理植物新品种纠纷案件若干问题的解释(2020-12-29).md"
LAW_B = "实施国际著作权条约的规定(2020-11-29).md"
LAW_C = "最高人民法院关于第一审知识产权民事、行政案件管辖的若干规定(2022-04-20).md"
GOVCN_PAGE = next(p for p in sorted(GOVCN.iterdir()) if p.suffix == ".html")
HISTORY_END = "<!-- INFO END -->"
DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _undated(markdown: str) -> str:
    """A law's Markdown without the dated history lines of its header: no date, no enacting body."""
    head, sep, body = markdown.partition(HISTORY_END)
    title = head.strip().splitlines()[0]
    return f"{title}\n\n{sep}{body}"


def _without_dates(text: str) -> str:
    """A policy's text without the lines that carry a date (its signature and publication lines)."""
    return "\n".join(line for line in text.splitlines() if not DATE_LINE.search(line)) + "\n"


def _without_title(text: str) -> str:
    """A policy's text without its first line (its title), as a scrape that lost it."""
    return text.split("\n", 1)[1]


def _read(name: str) -> str:
    return (RAW_DOCS / name).read_text(encoding="utf-8")


# Every entry a folder may hold: name → how to make it (text, bytes, or a callable making it in place).
ENTRIES = {
    "law-a.md": lambda: _read(LAW_A),
    "law-b.md": lambda: _read(LAW_B),
    "law-b-undated.md": lambda: _undated(_read(LAW_B)),
    "law-c-undated.md": lambda: _undated(_read(LAW_C)),
    "luoshan.txt": lambda: _read(SEED_FILES["luoshan"]),
    "luoshan-undated.txt": lambda: _without_dates(_read(SEED_FILES["luoshan"])),
    "sanmenxia-untitled.txt": lambda: _without_title(_read(SEED_FILES["sanmenxia"])),
    "heilongjiang.txt": lambda: _read(SEED_FILES["heilongjiang"]),  # no title of its own
    "heilongjiang.meta.json": lambda: _read(SEED_FILES["heilongjiang"].replace(".txt", ".meta.json")),
    "govcn.html": lambda: GOVCN_PAGE.read_bytes(),
    "empty.txt": lambda: b"",
    "scan.htm": lambda: b"\x00\x01\x02PK\x03\x04" * 64,
    "luoshan.meta.json": lambda: '{"year": "二〇二一"}',  # a value of the wrong type
    "orphan.meta.json": lambda: '{"title": "已删除文件的标题"}',
    "outside.txt": lambda: ("link", "/etc/passwd"),
    "alias.md": lambda: ("link", "law-a.md"),
    "dangling.txt": lambda: ("link", "nowhere.txt"),
    "pipe.txt": lambda: ("fifo",),
}
# Two states of one file: the law with and without its history, under the same name.
VARIANTS = {"law-b.md": "law-b-undated.md"}


def _make(folder: Path, name: str, spec) -> None:
    path = folder / name
    made = spec()
    if isinstance(made, tuple) and made[0] == "link":
        path.symlink_to(made[1])
    elif isinstance(made, tuple):
        os.mkfifo(path)
    elif isinstance(made, str):
        path.write_text(made, encoding="utf-8")
    else:
        path.write_bytes(made)


def _stored(index_dir: Path) -> list[str]:
    with open_index(index_dir).searcher() as searcher:
        return sorted(json.dumps(fields, sort_keys=True, ensure_ascii=False) for fields in searcher.all_stored_fields())


def _answers_every_request(client) -> None:
    everything = client.get("/api/search?q=&per_page=100")
    assert everything.status_code == 200, everything.get_json()
    page = everything.get_json()
    for q in ("专利", "知识产权 保护", '"人民法院"', "著作权 -商标"):
        assert client.get("/api/search", query_string={"q": q}).status_code == 200
    for name, values in page["facets"].items():
        for value in values:
            filtered = client.get("/api/search", query_string={name: value["value"]})
            assert filtered.status_code == 200, (name, value, filtered.get_json())
            assert filtered.get_json()["total"] == value["count"], (name, value)
    for doc_id in sorted({hit["doc_id"] for hit in page["hits"]}):
        assert client.get(f"/api/doc/{doc_id}").status_code == 200
    assert client.get("/export.json").status_code == 200
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["clauses"] == page["total"]


@pytest.mark.slow
# Each example makes up to eight builds: shrinking a failure could take many minutes, so a failing
# example is reported as drawn (it is short: at most four folder states).
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sets(st.sampled_from(sorted(ENTRIES)), min_size=1), st.sampled_from([1, 2])),
                      min_size=2, max_size=4))
def test_incremental_builds_of_any_mixture_end_where_a_fresh_build_does(tmp_path_factory, steps):
    root = tmp_path_factory.mktemp("mixture")
    src, index, fresh = root / "src", root / "index", root / "fresh"
    src.mkdir()
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    client = app.test_client()
    try:
        for chosen, procs in steps:
            _arrange_apart(src, root / "states", chosen)
            report = build_index(src, index, procs=procs)
            shutil.rmtree(fresh, ignore_errors=True)
            expected = build_index(src, fresh)
            assert _stored(index) == _stored(fresh)
            assert (report.documents_in_index, report.clauses_in_index) == (
                expected.documents_in_index, expected.clauses_in_index)
            assert sorted(report.ingest.skipped) == sorted(expected.ingest.skipped)
            _answers_every_request(client)
    finally:
        close_index(app)


def _arrange_apart(folder: Path, states: Path, chosen: set[str]) -> None:
    """Make ``folder`` hold exactly the ``chosen`` entries (a variant under its file's name).

    Which variant each entry is is recorded in ``states``: beside the entries it would be a source.
    """
    states.mkdir(exist_ok=True)
    wanted: dict[str, str] = {}
    for key in sorted(chosen):
        name = next((n for n, v in VARIANTS.items() if v == key), key)
        if key in VARIANTS.values() or name not in wanted:
            wanted[name] = key
    for path in list(folder.iterdir()):
        state = states / path.name
        if wanted.get(path.name) != (state.read_text() if state.exists() else None):
            path.unlink()
            state.unlink(missing_ok=True)
    for name, key in wanted.items():
        if not os.path.lexists(folder / name):
            _make(folder, name, ENTRIES[key])
            (states / name).write_text(key)
