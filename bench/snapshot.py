"""What /api/search answers on raw_docs/ for every query of bench/queries.txt, for comparing two revisions.

A refactoring that should change nothing is checked by running this in both trees and comparing
(bench/README.md has the commands).

It imports the library of the folder it runs in (not its own), builds that folder's raw_docs/ into
a temporary index and writes one line per request: URL, status, JSON. Each query is asked four
ways: as written, page 2, one clause per document, by date.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

VARIANTS = ([], [("page", "2")], [("one_per_doc", "1")], [("sort", "date")])


def query_pairs(line: str) -> list[tuple[str, str]]:
    """Return the request arguments of a queries.txt line: ``q | name=v1,v2 name=v``."""
    q, _, spec = line.partition(" | ")
    pairs = [("q", q.strip())]
    for item in spec.split():
        name, _, values = item.partition("=")
        pairs += [(name, value) for value in values.split(",")]
    return pairs


def main(out: str) -> None:
    tree = Path.cwd()
    sys.path.insert(0, str(tree))
    try:
        from search.build import build_index
    except ImportError:  # revisions before search/build/
        from search.indexer import build_index
    from web import create_app

    index = Path(tempfile.mkdtemp()) / "index"
    build_index(tree / "raw_docs", index)
    client = create_app({"INDEX_DIR": str(index), "TESTING": True}).test_client()
    lines = [line.strip() for line in (tree / "bench" / "queries.txt").read_text(encoding="utf-8").splitlines()]
    with open(out, "w", encoding="utf-8") as f:
        for line in lines:
            if not line or line.startswith("#"):
                continue
            for extra in VARIANTS:
                url = "/api/search?" + urlencode(query_pairs(line) + extra)
                response = client.get(url)
                body = json.dumps(response.get_json(), ensure_ascii=False, sort_keys=True)
                f.write(f"{url}\t{response.status_code}\t{body}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/snapshot.py OUT.jsonl  (run in the tree to snapshot)")
    main(sys.argv[1])
