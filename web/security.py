"""Request limits and security headers, applied to every request and response of the app.

The app only reads. Its searches also take a form POST, because a pasted passage (up to 2,000
characters, about 18 KB percent-encoded) does not fit in a URL; every other request body, a body
past 64 KB and a long query string are refused before a view runs, and every response (pages,
JSON, static files, errors) carries a strict Content-Security-Policy that allows no inline script
or style.

A POSTed search needs no CSRF token: it changes nothing (no account, no cookie, no session, no
stored state), so a form another site makes a browser send does what a link to a search URL
does, and another site's script can't read the answer (no CORS headers are sent).
"""
from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.exceptions import MethodNotAllowed

from search import settings

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

# The only methods a route answers; POST only by the routes declaring it (the search page, the
# search API, the exports), which take a search as a form with the fields of their query string.
# Flask would add OPTIONS to every route (and answer it with 200) and routes a method it doesn't
# know to 404 or 405 by URL; one check for every URL, static files included, is the README's
# "other methods get 405".
ALLOWED_METHODS = ("GET", "HEAD")
FORM_METHODS = ("GET", "HEAD", "POST")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# A request that is not a search form carries no body: past this it is refused with 413.
MAX_BODY_BYTES = 1024
# A search form: a 2,000-character passage is about 18 KB percent-encoded, the filters a few
# hundred bytes; Flask's MAX_CONTENT_LENGTH refuses more (413) even when no length is declared.
MAX_FORM_BYTES = 64 * 1024
# The longest real URL — a 200-character query (1.8 KB percent-encoded) plus a dozen filters —
# stays well under this; past it the request is refused with 414 before any parsing.
MAX_QUERY_STRING_BYTES = 4096
# A query string longer than this is sent as a form POST instead (the search box's form, the
# links of a passage's results page: app.js): it stays under this limit and under gunicorn's
# request line of 4,094 bytes (web/gunicorn.conf.py) whatever path and page number it gets.
URL_QUERY_BUDGET = 3072


def init_app(app: Flask) -> None:
    """Cap request sizes, answer GET and HEAD (and a search form's POST), add the security headers to every response."""
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_FORM_BYTES
    app.config.setdefault("MAX_BODY_BYTES", MAX_BODY_BYTES)
    app.config.setdefault("MAX_QUERY_STRING_BYTES", MAX_QUERY_STRING_BYTES)

    @app.before_request
    def _limit_request() -> None:
        takes_form = "POST" in _route_methods()
        form_post = takes_form and request.method == "POST"
        # MAX_CONTENT_LENGTH alone only bites when a view reads the body, and only a form POST does.
        limit = app.config["MAX_CONTENT_LENGTH"] if form_post else app.config["MAX_BODY_BYTES"]
        if (request.content_length or 0) > limit:
            abort(413, description=f"检索表单最多 {limit} 字节（检索文字最多 {settings.MAX_PASSAGE_CHARS} 个字符）"
                  if form_post else f"此网址不接受超过 {limit} 字节的请求内容：请用 GET 请求")
        if len(request.query_string) > app.config["MAX_QUERY_STRING_BYTES"]:
            abort(414, description=f"网址的查询部分最多 {app.config['MAX_QUERY_STRING_BYTES']} 字节："
                                   "长段落请用表单（POST）提交")
        allowed = FORM_METHODS if takes_form else ALLOWED_METHODS
        if request.method not in allowed:
            raise MethodNotAllowed(valid_methods=allowed,
                                   description=f"此网址不接受 {request.method[:20]} 请求，只接受 {'、'.join(allowed)}")
        if form_post and request.mimetype and request.mimetype not in FORM_TYPES:  # an empty POST is an empty form
            abort(415, description=f"检索表单的格式应为 {' 或 '.join(FORM_TYPES)}，收到的是“{request.mimetype[:60]}”")

    @app.after_request
    def _add_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _route_methods() -> set[str]:
    """Return the methods the route of this URL declares (the route of another method's URL included)."""
    if request.url_rule is not None:
        return set(request.url_rule.methods or ())
    return set(getattr(request.routing_exception, "valid_methods", None) or ())
