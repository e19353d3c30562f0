"""The one-way flow holds: ingestion never imports Whoosh, the library never imports Flask."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT


def _imports(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(PROJECT))] = names
    return found


@pytest.mark.parametrize("folder,forbidden", [("search", {"flask", "web"}), ("search/ingest", {"whoosh", "flask", "web"})])
def test_lower_layers_do_not_import_upper_ones(folder, forbidden):
    offenders = {path: sorted(names & forbidden) for path, names in _imports(PROJECT / folder).items() if names & forbidden}
    assert offenders == {}


def test_ingest_modules_do_not_import_the_index():
    for path, names in _imports(PROJECT / "search" / "ingest").items():
        source = (PROJECT / path).read_text(encoding="utf-8")
        assert not any(f"from ..{m}" in source for m in ("build", "store", "schema", "searching")), path


def test_the_grammar_of_legal_text_stands_on_nothing_above_it():
    for path, names in _imports(PROJECT / "search" / "text").items():
        source = (PROJECT / path).read_text(encoding="utf-8")
        assert "whoosh" not in names and "bs4" not in names, path
        assert not any(f"search.{m}" in source or f"..{m}" in source for m in ("ingest", "build", "store", "searching")), path


def test_the_query_side_loads_nothing_of_the_build_side():
    # A web worker that only searches: no HTML parser, no ingestion, no worker processes.
    probe = ("import sys; import search.searching; from web import create_app; create_app({'TESTING': True}); "
             "print(sorted(m for m in sys.modules if m in ('bs4', 'multiprocessing', 'charset_normalizer') "
             "or m.startswith(('search.ingest', 'search.build'))))")
    run = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_the_front_door_loads_each_side_on_first_use():
    probe = ("import sys, search; search.SearchIndex; assert 'search.build' not in sys.modules; "
             "search.build_index; assert 'search.build' in sys.modules; print(sorted(search.__all__))")
    run = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "build_index" in run.stdout and "search" in run.stdout
