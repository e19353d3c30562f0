"""Security: user strings escaped, security headers, no debug or tracebacks, request limits, ids checked."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import RAW_DOCS
from search import settings
from web import create_app
from web.security import MAX_BODY_BYTES, MAX_FORM_BYTES, MAX_QUERY_STRING_BYTES, SECURITY_HEADERS

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"
LUOSHAN = "003_06b732dbd06fe955.txt"
LUOSHAN_DOC = "2797ba83d9"
SCRIPT = '<script>alert("xss")</script>'
IMG = "<img src=x onerror=alert(1)>"
BOLD = "<b onmouseover=alert(2)>"


def _assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error", "code", "status"} and body["status"] == status and body["error"]
    assert code is None or body["code"] == code
    return body


# -- every user string escaped -------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """The app over an index of one real document carrying markup in its text and in its title."""
    from search.build import build_index
    from web.index import close_index

    root = tmp_path_factory.mktemp("hostile")
    source = root / "src"
    source.mkdir()
    text = (RAW_DOCS / LUOSHAN).read_text(encoding="utf-8")
    anchor = "建立知识产权质押融资风险补偿机制"
    assert anchor in text
    (source / LUOSHAN).write_text(text.replace(anchor, anchor + SCRIPT + IMG, 1), encoding="utf-8")
    title = f"罗山县{BOLD}人民政府</b>关于进一步加强知识产权工作的实施意见"
    (source / LUOSHAN.replace(".txt", ".meta.json")).write_text(json.dumps({"title": title}, ensure_ascii=False),
                                                              encoding="utf-8")
    build_index(source, root / "index")
    app = create_app({"TESTING": True, "INDEX_DIR": str(root / "index")})
    yield app.test_client()
    close_index(app)


def _assert_no_live_markup(html: str) -> None:
    for raw in (SCRIPT, IMG, BOLD, "<script>alert", "onerror=alert(1)>", "<b onmouseover"):
        assert raw not in html


def test_the_hostile_strings_reach_the_index_unchanged(hostile_client):
    hit = hostile_client.get("/api/search?q=质押融资").get_json()["hits"][0]
    assert SCRIPT + IMG in hit["text"] and BOLD in hit["title"]
    # the highlight is HTML: the text escaped, only <mark> added
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in hit["highlight"]
    assert re.sub(r"</?mark>", "", hit["highlight"]).count("<") == 0


@pytest.mark.parametrize("url", [
    "/?q=" + quote("质押融资"),
    f"/doc/{LUOSHAN_DOC}?q=" + quote("质押融资"),
    f"/agency/{quote('金融机构')}",
    f"/clause/{LUOSHAN_DOC}-p2.s8/similar",
])
def test_document_text_titles_and_highlights_are_escaped(hostile_client, url):
    response = hostile_client.get(url)
    assert response.status_code in (200, 404)
    html = response.get_data(as_text=True)
    _assert_no_live_markup(html)
    if response.status_code == 200 and "agency" not in url:
        assert "&lt;script&gt;" in html or "&lt;b onmouseover=alert(2)&gt;" in html


@pytest.mark.parametrize("q", [SCRIPT, f'"{IMG}"', f"专利 {BOLD}", "'><svg onload=alert(3)>"])
def test_queries_are_escaped_wherever_they_are_echoed(client, q):
    for url in (f"/?q={quote(q)}", f"/?q={quote(q)}&level={quote(q)}", f"/doc/{LUOSHAN_DOC}?q={quote(q)}",
                f"/agency/{quote(q, safe='')}"):
        html = client.get(url).get_data(as_text=True)
        # the page's own neighbours picture is an <svg class="graph">; an injected one would carry onload
        assert q not in html and "<svg onload" not in html and "<script>alert" not in html


def test_a_posted_passage_is_escaped_wherever_it_is_echoed(client):
    passage = (RAW_DOCS / LUOSHAN).read_text(encoding="utf-8")[:400] + SCRIPT + "'><svg onload=alert(3)>"
    for url in ("/", "/?level=" + quote(IMG)):
        html = client.post(url, data={"q": passage, "level": BOLD}).get_data(as_text=True)
        _assert_no_live_markup(html)
        assert "<svg" not in html and "&lt;script&gt;" in html
    long_one = passage * 6  # over the passage limit: the error page echoes it too
    html = client.post("/", data={"q": long_one}).get_data(as_text=True)
    _assert_no_live_markup(html)
    assert "<svg" not in html and "&lt;script&gt;" in html


# -- security headers ------------------------------------------------------------------------


@pytest.mark.parametrize("method,url", [
    ("GET", "/?q=" + quote("专利")), ("GET", "/api/search?q=" + quote("专利")), ("GET", "/static/app.js"),
    ("GET", "/static/style.css"), ("GET", "/api/openapi.json"), ("GET", "/doc/0000000000"),
    ("GET", "/api/clause/nope"), ("POST", "/api/search"), ("GET", "/healthz"),
])
def test_every_response_carries_the_security_headers(client, method, url):
    response = client.open(url, method=method)
    response.close()  # a static file's body is an open file
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_templates_have_no_inline_script_style_or_handlers():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text, re.I), template.name


def test_pages_as_served_have_no_inline_script_or_style(client):
    for url in ("/?q=" + quote("专利") + "&level=" + quote("省"), f"/doc/{LUOSHAN_DOC}", "/agency/" + quote("知识产权局"),
                f"/clause/{LUOSHAN_DOC}-p2.s8/similar", "/doc/0000000000"):
        html = client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts and all("src=" in tag for tag in scripts), url
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), url


# -- request limits ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"])
def test_the_searches_answer_get_and_a_form_post_only(client, method):
    api = client.open("/api/search", method=method)
    _assert_error_shape(api, 405, "method_not_allowed")
    page = client.open("/", method=method)
    assert page.status_code == 405 and page.mimetype == "text/html"
    assert api.headers["Allow"] == page.headers["Allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("url", [f"/api/doc/{LUOSHAN_DOC}", "/healthz", "/api/openapi.json", f"/doc/{LUOSHAN_DOC}",
                                 "/agency/" + quote("知识产权局"), "/static/app.js", "/no/such/page"])
def test_everything_else_answers_get_only(client, url):
    response = client.post(url, data={"q": "专利"})
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"
    message = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
    assert "此网址不接受 POST 请求" in message


@pytest.mark.parametrize("url", ["/", "/api/search?q=" + quote("专利"), f"/doc/{LUOSHAN_DOC}", "/export.csv",
                                 "/api/openapi.json", "/healthz", "/static/app.js", "/no/such/page"])
def test_options_is_405_with_allow_on_every_url(client, url):
    response = client.options(url)
    takes_forms = url in ("/", "/export.csv") or url.startswith("/api/search")
    assert response.status_code == 405 and response.headers["Allow"] == ("GET, HEAD, POST" if takes_forms else "GET, HEAD")
    assert "OPTIONS" in (response.get_json()["error"] if response.is_json else response.get_data(as_text=True))
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_posted_search_changes_nothing_and_sets_no_cookie(client):
    # Why a search form needs no CSRF token: no cookie, no session, nothing stored (web/security.py).
    for url in ("/", "/api/search", "/export.csv"):
        response = client.post(url, data={"q": "质押融资"})
        assert response.status_code == 200 and "Set-Cookie" not in response.headers, url
        assert response.headers["Content-Security-Policy"].endswith("form-action 'self'")


def test_head_is_still_answered(client):
    for url in ("/", "/api/search?q=" + quote("专利"), "/healthz", "/static/style.css"):
        response = client.head(url)
        response.close()
        assert response.status_code == 200 and response.get_data() == b"", url


def test_a_request_body_is_refused(client):
    body = b"x" * (MAX_BODY_BYTES + 1)
    _assert_error_shape(client.get("/api/search", data=body), 413, "body_too_large")
    assert client.get("/", data=body).status_code == 413
    _assert_error_shape(client.open(f"/api/doc/{LUOSHAN_DOC}", method="PUT", data=body), 413)


def test_a_search_form_is_capped(client):
    fits = {"q": "专" * settings.MAX_PASSAGE_CHARS}  # 18 KB percent-encoded
    assert client.post("/api/search", data=fits).status_code == 200
    too_big = b"q=" + b"x" * MAX_FORM_BYTES
    body = _assert_error_shape(client.post("/api/search", data=too_big,
                                           content_type="application/x-www-form-urlencoded"), 413, "body_too_large")
    assert str(MAX_FORM_BYTES) in body["error"] and "2000 个字符" in body["error"]
    page = client.post("/", data=too_big, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 413 and page.mimetype == "text/html" and "检索表单最多" in page.get_data(as_text=True)


def test_a_long_query_string_is_refused(client):
    long_q = "专" * (MAX_QUERY_STRING_BYTES // 9 + 1)  # 9 bytes per character, percent-encoded
    body = _assert_error_shape(client.get("/api/search?q=" + quote(long_q)), 414, "query_string_too_long")
    assert str(MAX_QUERY_STRING_BYTES) in body["error"] and "POST" in body["error"]
    assert client.get("/?q=" + quote(long_q)).status_code == 414
    _assert_error_shape(client.get("/api/search?" + "&".join(["level=省"] * 800)), 414)


def test_a_long_query_is_refused_and_pages_are_capped(client):
    body = _assert_error_shape(client.get("/api/search?q=" + "a" * (settings.MAX_PASSAGE_CHARS + 1)), 400,
                               "query_too_long")
    assert str(settings.MAX_PASSAGE_CHARS) in body["error"]
    data = client.get("/api/search?per_page=100000&page=99999999").get_json()
    assert (data["page"], data["per_page"]) == (settings.MAX_PAGE, settings.MAX_PER_PAGE) and data["hits"] == []
    _assert_error_shape(client.get("/api/search?page=1" + "0" * 20), 400)


# -- ids checked before the index or the file system ----------------------------------------


@pytest.mark.parametrize("url", [
    "/api/doc/../../etc/passwd",
    "/api/doc/..%2F..%2Fetc%2Fpasswd",
    "/api/doc/%2e%2e",
    "/api/doc/" + "a" * 5000,
    "/api/doc/2797BA83D9",
    "/api/clause/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/clause/..",
    "/api/clause/2797ba83d9-" + "p" * 5000,
    "/api/clause/" + "a" * 5000 + "/similar",
    "/api/clause/2797ba83d9-p2.s8%00",
    "/api/agency/%20",
])
def test_bad_ids_are_404_before_the_index_is_opened(client, monkeypatch, url):
    def forbidden():
        raise AssertionError(f"{url} reached the index")

    monkeypatch.setattr("web.views.open_index", forbidden)
    _assert_error_shape(client.get(url), 404)


@pytest.mark.parametrize("url", ["/doc/../../etc/passwd", "/clause/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                 "/doc/" + "f" * 5000, "/clause/" + "a" * 5000])
def test_bad_ids_in_pages_are_a_404_page(client, monkeypatch, url):
    monkeypatch.setattr("web.views.open_index", lambda: pytest.fail(f"{url} reached the index"))
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "root:" not in response.get_data(as_text=True)


# -- no debug mode, no traceback --------------------------------------------------------------


def test_debug_and_propagation_are_off_by_default(bundled_index, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # a stray development setting must not turn the debugger on
    app = create_app({"INDEX_DIR": str(bundled_index)})
    assert app.debug is False and app.config["DEBUG"] is False
    assert app.config["PROPAGATE_EXCEPTIONS"] is False and app.testing is False


def test_an_unexpected_error_is_a_500_without_traceback(bundled_index, caplog):
    app = create_app({"INDEX_DIR": str(bundled_index)})

    @app.get("/api/boom")
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail from /etc/shadow")

    client = app.test_client()
    with caplog.at_level("ERROR", logger="web.errors"):
        api = client.get("/api/boom")
        page = client.get("/boom")
    body = _assert_error_shape(api, 500, "internal_error")
    assert body["error"] == "服务器内部错误：无法回答这个请求"
    for text in (json.dumps(body), page.get_data(as_text=True)):
        assert "Traceback" not in text and "secret detail" not in text and "RuntimeError" not in text
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    # the traceback goes to the server's log instead
    assert [r.exc_info[0] for r in caplog.records if r.exc_info] == [RuntimeError, RuntimeError]


# -- the CSP holds in a real browser with the app working -----------------------------------


def test_the_csp_holds_in_a_browser_and_the_app_still_works(page, live_server):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    response = page.goto(live_server + "/?q=" + quote("推进名优产品培育"))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    hit = page.locator("li.hit").first
    expected = hit.locator("input.cite-text").input_value()
    hit.locator("button.copy-button").click()  # app.js unhid the button and copies: script-src 'self' works
    assert page.evaluate("navigator.clipboard.readText()") == expected
    hit.locator("a", has_text="在文件中打开").click()
    page.wait_for_url(re.compile("/doc/"))
    page.goto(live_server + f"/clause/{LUOSHAN_DOC}-p2.s8/similar")
    assert page.evaluate("getComputedStyle(document.body).margin") != ""
    assert not [m for m in messages if "Content Security Policy" in m or m.startswith("pageerror")], messages
    assert not [m for m in messages if m.startswith("error")], messages  # no 404, the favicon's included
    # Control: an inline script is refused, and the refusal is seen, so the check above can fail.
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.inlineRan = true'; document.head.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in m for m in messages), messages
