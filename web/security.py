"""Request limits and security headers, applied to every request and response of the app.

The app only reads: it takes no uploads and no form posts, so a request body or a long query
string is refused before a view runs, and every response (pages, JSON, static files, errors)
carries a strict Content-Security-Policy that allows no inline script or style.
"""
from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.exceptions import MethodNotAllowed

# No inline script or style anywhere (web/static/app.js and style.css only), no plugins,
# no framing, forms submit to this site only.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# The only methods any route answers. Flask would add OPTIONS to every route (and answer it
# with 200) and routes a method it doesn't know to 404 or 405 by URL; one check for every URL,
# static files included, is the README's "other methods get 405".
ALLOWED_METHODS = ("GET", "HEAD")

# Every route is a GET without a body: anything larger than this is refused with 413.
MAX_BODY_BYTES = 1024
# The longest real URL — a 200-character query (1.8 KB percent-encoded) plus a dozen filters —
# stays well under this; past it the request is refused with 414 before any parsing.
MAX_QUERY_STRING_BYTES = 4096


def init_app(app: Flask) -> None:
    """Cap request sizes, answer GET and HEAD only, and add the security headers to every response."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config.setdefault("MAX_QUERY_STRING_BYTES", MAX_QUERY_STRING_BYTES)

    @app.before_request
    def _limit_request() -> None:
        # MAX_CONTENT_LENGTH alone only bites when a view reads the body, and no view does.
        if (request.content_length or 0) > app.config["MAX_CONTENT_LENGTH"]:
            abort(413, description=f"request bodies are limited to {app.config['MAX_CONTENT_LENGTH']} bytes; "
                                   "this API only answers GET")
        if len(request.query_string) > app.config["MAX_QUERY_STRING_BYTES"]:
            abort(414, description=f"query strings are limited to {app.config['MAX_QUERY_STRING_BYTES']} bytes")
        if request.method not in ALLOWED_METHODS:
            raise MethodNotAllowed(valid_methods=ALLOWED_METHODS,
                                   description=f"{request.method[:20]} is not answered here: this app only answers GET")

    @app.after_request
    def _add_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
