"""The one-way flow holds: ingestion never imports Whoosh, the library never imports Flask."""
import ast
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


def test_ingest_modules_do_not_import_the_indexer():
    for path, names in _imports(PROJECT / "search" / "ingest").items():
        source = (PROJECT / path).read_text(encoding="utf-8")
        assert "from ..indexer" not in source and "from ..schema" not in source, path
