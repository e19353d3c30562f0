"""One error shape: ``{"error": message, "code": code, "status": status}`` for the API, an error page for HTML.

The message is Chinese, as the interface is; ``code`` names the kind of error in stable English
for programs. Library exceptions bring their own message (and, for queries and filters, their
own code); the rest get theirs here. Nothing reaches the user as a traceback.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import (ClauseNotFound, DocumentNotFound, FilterError, IndexCorrupt, IndexMissing, NotVersions,
                           IndexStateError, QuerySyntaxError, SchemaMismatch)

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error a view raises on purpose, with its HTTP status and code."""

    def __init__(self, message: str, status: int = 400, code: str = "bad_request"):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


# Errors werkzeug raises itself (an unknown URL, a method no route answers) carry English text;
# these say it in Chinese. A description the app gave (web/security.py) is used as it is.
HTTP_ERRORS = {
    400: ("bad_request", "请求无法解析"),
    404: ("not_found", "找不到这个网址：请检查链接，或回到检索首页"),
    405: ("method_not_allowed", "不支持这种请求方式"),
    413: ("body_too_large", "请求内容太大"),
    414: ("query_string_too_long", "网址太长"),
    415: ("unsupported_media_type", "不支持这种请求内容的格式"),
    431: ("headers_too_large", "请求头太大"),
    500: ("internal_error", "服务器内部错误：无法回答这个请求"),
    503: ("index_unavailable", "检索服务暂时不可用"),
}

# Codes the library's own exceptions don't carry. QuerySyntaxError and FilterError have a
# ``code`` of their own (bad_query, query_too_long, unbalanced_quote, bad_sort, bad_year …).
LIBRARY_STATUS = {QuerySyntaxError: 400, FilterError: 400, NotVersions: 400, ClauseNotFound: 404,
                  DocumentNotFound: 404, IndexStateError: 503}

# What an index that can't be served means to the user; the library's message, which names the
# command to run, follows for whoever looks after the server.
INDEX_TROUBLE = {IndexMissing: "还没有建立检索索引", SchemaMismatch: "检索索引需要重建",
                 IndexCorrupt: "检索索引已损坏"}


def error_body(message: str, status: int, code: str) -> dict:
    """Return the body of every error response."""
    return {"error": message, "code": code, "status": status}


def library_error(exc: Exception) -> tuple[str, int, str]:
    """Return the message, status and code of a library exception."""
    status = next(s for kind, s in LIBRARY_STATUS.items() if isinstance(exc, kind))
    if isinstance(exc, (QuerySyntaxError, FilterError)):
        return str(exc), status, exc.code
    if isinstance(exc, NotVersions):
        return str(exc), status, "not_versions"
    if isinstance(exc, ClauseNotFound):  # the library's message names the id (checked by views before)
        return str(exc), status, "clause_not_found"
    if isinstance(exc, DocumentNotFound):  # which of a diff's two documents, too
        return str(exc), status, "document_not_found"
    trouble = next((text for kind, text in INDEX_TROUBLE.items() if isinstance(exc, kind)), "检索索引暂时无法使用")
    return f"{trouble}，请稍后再试。（管理员：{exc}）", status, "index_unavailable"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in ("/healthz",) or request.path.endswith(".json")


def typed_query(status: int) -> str:
    """Return the query the user sent, to keep it in the search box of the error page.

    A refused body (405, 413, 415) is not read: reading it is what was refused.
    """
    if request.method == "POST":
        return "" if status in (405, 413, 415) else request.form.get("q", "")
    return request.args.get("q", "")


def _respond(message: str, status: int, code: str):
    if wants_json():
        return jsonify(error_body(message, status, code)), status
    return render_template("error.html", message=message, status=status, code=code,
                           query_value=typed_query(status)), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return _respond(exc.message, exc.status, exc.code)

    for exc_type in LIBRARY_STATUS:
        app.register_error_handler(exc_type, lambda exc: _respond(*library_error(exc)))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        code, default = HTTP_ERRORS.get(status, ("http_error", "请求无法处理"))
        own = exc.description and exc.description != type(exc).description  # said by the app, in Chinese
        response = make_response(_respond(exc.description if own else default, status, code))
        # The exception's own headers but its body's type: Allow on a 405 (RFC 9110 requires it).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s", request.path)
        return _respond(HTTP_ERRORS[500][1], 500, HTTP_ERRORS[500][0])
