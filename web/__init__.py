"""The Flask front end and JSON API over the search library; the library never imports it.

``create_app`` is the factory: ``INDEX_DIR`` (default ``index/``) says which index to serve.
"""
from __future__ import annotations

from flask import Flask

from search import settings


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app serving the index in ``INDEX_DIR``."""
    app = Flask(__name__)
    # EXPORT_MAX_ROWS caps a CSV/JSON export (and an agency page); a capped export says so.
    # Never debug mode (the interactive debugger runs code) nor propagated exceptions (a traceback
    # for the server to print) unless asked for: `flask --app web --debug run` in development.
    app.config.from_mapping(INDEX_DIR=str(settings.DEFAULT_INDEX_DIR), JSON_SORT_KEYS=False, EXPORT_MAX_ROWS=5000,
                            DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    app.config.from_prefixed_env("SEARCH")  # SEARCH_INDEX_DIR=… for gunicorn workers
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # Chinese stays readable in the JSON
    app.json.sort_keys = False

    from . import agencies, api, citations, comparing, errors, index, ledger, pages, security, support, views
    from .compare import compare

    app.jinja_env.globals.update(MAX_QUERY_CHARS=settings.MAX_QUERY_CHARS, MAX_PASSAGE_CHARS=settings.MAX_PASSAGE_CHARS,
                                 URL_QUERY_BUDGET=security.URL_QUERY_BUDGET, ROLE_LABELS=views.ROLE_LABELS,
                                 FACET_LABELS=views.FACET_LABELS, compare=compare, gbt7714=citations.gbt7714)
    index.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(agencies.bp)
    app.register_blueprint(ledger.bp)
    app.register_blueprint(support.bp)
    app.register_blueprint(comparing.bp)
    return app
