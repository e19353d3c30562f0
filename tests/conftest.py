"""Shared fixtures: paths to the real corpus and the ingested bundled documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from search.ingest import IngestReport, ingest

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
def bundled(bundled_build) -> IngestReport:
    """Every document in raw_docs/, as the session's build of them read it."""
    return bundled_build[1].ingest


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
def bundled_build(tmp_path_factory):
    """The index of every document in raw_docs/, built once on disk for the session, and its build report."""
    from search.build import build_index

    index_dir = tmp_path_factory.mktemp("index")
    return index_dir, build_index(RAW_DOCS, index_dir)


@pytest.fixture(scope="session")
def bundled_index(bundled_build):
    """The folder of the session's index of raw_docs/."""
    return bundled_build[0]


@pytest.fixture(scope="session")
def searchable(bundled_index):
    """An open SearchIndex over the bundled documents."""
    from search.searching import SearchIndex

    index = SearchIndex(bundled_index)
    yield index
    index.close()


SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live_server(bundled_index):
    """The real app over HTTP on a free loopback port, in a background thread."""
    import threading

    from werkzeug.serving import make_server

    from web import create_app
    from web.index import close_index

    app = create_app({"INDEX_DIR": str(bundled_index)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    close_index(app)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (Playwright may not download a browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    yield tab
    context.close()


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")


@pytest.fixture(scope="session")
def app(bundled_index):
    """The web app serving the bundled index (one per session: it only reads)."""
    from web import create_app
    from web.index import close_index

    app = create_app({"TESTING": True, "INDEX_DIR": str(bundled_index)})
    yield app
    close_index(app)


@pytest.fixture
def client(app):
    return app.test_client()
