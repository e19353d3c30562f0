"""Shared fixtures: paths to the real corpus and the ingested bundled documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.ingest import IngestReport, ingest, ingest_dir

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
RAW_DOCS = PROJECT / "raw_docs"
SEEDS = SHARED / "seeds"
LAWS = SHARED / "corpus" / "ip"
GOVCN = SHARED / "corpus" / "html" / "govcn_fragments"

# The five seeds by what they are, so tests read like the table.
SEED_FILES = {
    "henan2009": "000_66ce048e690a739c.txt",
    "henan2022": "001_7f4fbdf0e3c78fda.txt",
    "sanmenxia": "002_d612a12ae481ae56.txt",
    "luoshan": "003_06b732dbd06fe955.txt",
    "heilongjiang": "004_77ef637a5b3fa8c7.txt",
}


@pytest.fixture(scope="session")
def bundled() -> IngestReport:
    """Every document in raw_docs/, ingested once for the session."""
    return ingest_dir(RAW_DOCS)


@pytest.fixture(scope="session")
def seed():
    """Ingest a seed from raw_docs/ (where its sidecar lives) by its short name."""
    cache = {}

    def load(name: str):
        if name not in cache:
            cache[name] = ingest(RAW_DOCS / SEED_FILES[name], root=RAW_DOCS)
        return cache[name]

    return load


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory):
    """The index of every document in raw_docs/, built once on disk for the session."""
    from search.indexer import build_index

    index_dir = tmp_path_factory.mktemp("index")
    build_index(RAW_DOCS, index_dir)
    return index_dir


@pytest.fixture(scope="session")
def searchable(bundled_index):
    """An open SearchIndex over the bundled documents."""
    from search.searching import SearchIndex

    index = SearchIndex(bundled_index)
    yield index
    index.close()
