"""One error shape: ``{"error": message, "status": code}`` for the API, an error page for HTML.

Library exceptions map to 4xx codes with their own message; nothing reaches the user as a traceback.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import (ClauseNotFound, DocumentNotFound, FilterError, IndexStateError,
                           QuerySyntaxError)

log = logging.getLogger(__name__)

STATUS = {QuerySyntaxError: 400, FilterError: 400, ClauseNotFound: 404, DocumentNotFound: 404,
          IndexStateError: 503}


class ApiError(Exception):
    """An error a view raises on purpose, with the HTTP status it deserves."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def error_body(message: str, status: int) -> dict:
    """Return the body of every error response."""
    return {"error": message, "status": status}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in ("/healthz",) or request.path.endswith(".json")


def _respond(message: str, status: int):
    if wants_json():
        return jsonify(error_body(message, status)), status
    return render_template("error.html", message=message, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return _respond(exc.message, exc.status)

    for exc_type, status in STATUS.items():
        app.register_error_handler(exc_type, lambda exc, status=status: _respond(str(exc), status))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        response = make_response(_respond(exc.description or exc.name, exc.code or 500))
        # The exception's own headers but its body's type: Allow on a 405 (RFC 9110 requires it).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return _respond("internal error: the server could not answer this request", 500)
