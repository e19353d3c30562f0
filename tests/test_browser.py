"""The pages in a real browser: Debian's chromium driven by Playwright against the real app over HTTP."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlparse

import pytest

from conftest import SCREENSHOTS

pytestmark = pytest.mark.slow  # a real chromium

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _total(page) -> int:
    return int(page.locator(".summary .total").inner_text())


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path} looks empty"


def test_type_a_query_and_see_results(page, live_server):
    page.goto(live_server + "/")
    browse_total = _total(page)
    page.fill("#q", "质押融资")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=%E8%B4%A8%E6%8A%BC%E8%9E%8D%E8%B5%84"))
    total = _total(page)
    assert 0 < total < browse_total
    first = page.locator("li.hit").first
    assert first.locator("mark").first.inner_text() == "质押融资"
    assert "质押融资" in parse_qs(urlparse(page.url).query)["q"]


def test_click_a_facet_then_remove_its_chip(page, live_server):
    page.goto(live_server + "/?q=" + quote("知识产权"))
    before = _total(page)
    facet = page.locator('section.facet[data-facet="level"] li.facet-value a', has_text="县").first
    county = int(facet.locator(".count").inner_text())
    facet.click()
    page.wait_for_url(re.compile(r"level="))
    assert _total(page) == county < before
    levels = page.locator('section.facet[data-facet="level"] li.facet-value a', has_text="县").first
    assert "☑" in levels.inner_text() and levels.get_attribute("aria-current") == "true"
    county_issuers = {text.strip() for text in page.locator('section.facet[data-facet="issuer"] .facet-label').all_inner_texts()}
    metas = page.locator("li.hit .hit-meta").all_inner_texts()  # 县 · issuer · 文号 · date
    assert all(meta.startswith("县") and any(i in meta for i in county_issuers) for meta in metas)
    assert "河南省知识产权局" not in county_issuers
    chip = page.locator("ul.chips li.chip").first
    assert "县" in chip.inner_text()
    chip.locator("a.chip-remove").click()
    page.wait_for_url(lambda url: "level=" not in url)
    assert _total(page) == before
    page.go_back()  # state lives in the URL: back returns to the filtered list
    page.wait_for_url(re.compile(r"level="))
    assert _total(page) == county


def test_open_a_document_at_its_clause(page, live_server):
    page.goto(live_server + "/?q=" + quote("专利导航"))
    hit = page.locator("li.hit").first
    clause_id = hit.locator("input.cite-text").get_attribute("id").removeprefix("cite-")
    hit.locator("a", has_text="在文件中打开").click()
    page.wait_for_url(re.compile(re.escape("#" + clause_id) + "$"))
    target = page.locator(f'[id="{clause_id}"]')
    target.wait_for()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < DESKTOP["height"], "the page scrolled to the clause"
    assert target.locator("mark").first.inner_text() == "专利导航"
    assert page.locator("table.metadata").inner_text().count("罗政〔2021〕28号") == 1


def test_copy_a_citation(page, live_server):
    page.goto(live_server + "/?q=" + quote("推进名优产品培育"))
    hit = page.locator("li.hit").first
    expected = hit.locator("input.cite-text").input_value()
    assert expected == "《三门峡市人民政府关于加快实施知识产权战略的意见》（三政〔2014〕61号）第（五）项"
    hit.locator("button.copy-button").click()
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_walk_the_pages_and_come_back(page, live_server):
    page.goto(live_server + "/?q=" + quote("专利"))
    seen = set()
    for number in (1, 2, 3):
        assert page.locator('.pagination [aria-current="page"]').inner_text() == str(number)
        ids = set(page.locator("li.hit input.cite-text").evaluate_all("els => els.map(e => e.id)"))
        assert ids and not ids & seen
        seen |= ids
        page.locator('.pagination a[rel="next"]').click()
        page.wait_for_url(re.compile(rf"page={number + 1}"))
    page.go_back()
    page.wait_for_url(re.compile(r"page=3"))
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "3"


@pytest.mark.parametrize("size_name,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_no_sideways_scroll(browser, live_server, size_name, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server + "/?q=" + quote("地理标志 农产品"))
        _shoot(page, f"search-{size_name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        link = page.locator("li.hit h2 a").first
        page.goto(live_server + link.get_attribute("href").split("#")[0])
        _shoot(page, f"document-{size_name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert page.locator("nav.toc a, .toc a").count() > 5
    finally:
        context.close()


def test_keyboard_reaches_the_search_box_and_results(page, live_server):
    page.goto(live_server + "/?q=" + quote("维权援助"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _law_passage(chars: int) -> str:
    from conftest import RAW_DOCS

    text = (RAW_DOCS / "著作权法(2020-11-11).md").read_text(encoding="utf-8")
    return text[text.index("第一条"):][:chars]


def test_the_relaxed_line_sits_between_the_exact_hits_and_the_rest(page, live_server):
    page.goto(live_server + "/?q=" + quote("商标 质押"))
    exact = page.locator("ol.hits:not(.hits-relaxed) > li.hit")
    note = page.locator(".relaxed-note")
    assert exact.count() == int(page.locator(".summary .exact-total").inner_text()) > 0
    assert note.inner_text().startswith(f"以下 {_total(page) - exact.count()} 条不要求包含全部词语")
    last_exact, first_relaxed = _box(exact.last), _box(page.locator("ol.hits-relaxed > li.hit").first)
    assert last_exact["y"] + last_exact["height"] <= _box(note)["y"] < first_relaxed["y"]
    # the relaxed hits carry on the numbering of the exact ones
    assert page.locator("ol.hits-relaxed").get_attribute("start") == str(exact.count() + 1)


def test_the_legal_terms_switch(page, live_server):
    page.goto(live_server + "/?q=" + quote("别人盗版我的软件怎么办"))
    with_terms = _total(page)
    assert "也检索了：" in page.locator(".relaxed-note").inner_text()
    page.locator(".relaxed-note a", has_text="只检索输入的词").click()
    page.wait_for_url(re.compile(r"legal_terms=0"))
    assert _total(page) < with_terms and "侵犯著作权" not in page.locator(".relaxed-note").inner_text()
    page.locator(".relaxed-note a", has_text="同时检索法律用语").click()
    page.wait_for_url(lambda url: "legal_terms" not in url)
    assert _total(page) == with_terms


def test_did_you_mean_and_the_word_counts_are_links(page, live_server):
    page.goto(live_server + "/?q=" + quote("驰名商表"))
    page.locator(".did-you-mean a").click()
    page.wait_for_url(re.compile(quote("驰名商标")))
    assert page.locator("#results-heading").inner_text() == "“驰名商标”" and _total(page) > 0
    page.goto(live_server + "/?q=" + quote("贴息 质押融资"))
    link = page.locator(".word-counts a", has_text="贴息")
    count = int(link.locator(".count").inner_text())
    link.click()
    page.wait_for_url(re.compile(r"q=" + re.escape(quote("贴息")) + r"(#|$)"))
    assert _total(page) == count


def test_on_a_phone_the_filters_are_one_tap_away_above_the_results(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server + "/?q=" + quote("知识产权"))
        toggle = page.locator("details.filters > summary")
        first_hit = page.locator("li.hit").first
        assert _box(toggle)["y"] < _box(first_hit)["y"] < 2 * PHONE["height"]  # not after 5,000 px of results
        county = page.locator('section.facet[data-facet="level"] li.facet-value a', has_text="县").first
        assert not county.is_visible()  # folded until asked for
        toggle.click()
        assert county.is_visible()
        count = int(county.locator(".count").inner_text())
        county.click()
        page.wait_for_url(re.compile(r"level="))
        assert _total(page) == count
        _shoot(page, "search-phone-filtered")
    finally:
        context.close()


def test_on_a_desktop_the_filters_stay_open_beside_the_results(page, live_server):
    page.goto(live_server + "/?q=" + quote("知识产权"))
    assert not page.locator("details.filters > summary").is_visible()
    facets, results = _box(page.locator("aside.facets")), _box(page.locator("section.results"))
    assert facets["x"] + facets["width"] <= results["x"]  # the left column, as before
    assert page.locator('section.facet[data-facet="level"] li.facet-value a').first.is_visible()


def test_after_a_filter_from_the_keyboard_focus_is_on_the_new_results(page, live_server):
    page.goto(live_server + "/?q=" + quote("知识产权"))
    county = page.locator('section.facet[data-facet="level"] li.facet-value a', has_text="县").first
    county.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"level="))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'results-heading'")
    # The next Tab is the ✕ of the filter just applied, and the filters are a few Tabs on, not 84.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "chip-remove"
    for tabs in range(1, 6):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('aside.facets')"):
            break
    else:
        raise AssertionError("the filters are more than 6 Tabs after the results heading")


def test_a_passage_pasted_in_the_search_box_is_posted_and_its_links_keep_it(page, live_server):
    passage = _law_passage(1500)
    page.goto(live_server + "/")
    page.fill("#q", passage)
    with page.expect_navigation():
        page.press("#q", "Enter")
    assert urlparse(page.url).query == ""  # POSTed: 1,500 characters don't fit in a URL
    assert page.locator("#results-heading").inner_text() == "按段落查找相似条款"
    assert page.locator("li.hit h2 a").first.inner_text() == "中华人民共和国著作权法"  # the badge beside it: its status
    national = page.locator('section.facet[data-facet="level"] li.facet-value a', has_text="国家").first
    count = int(national.locator(".count").inner_text())
    with page.expect_navigation():
        national.click()  # app.js POSTs the passage with the filter
    assert page.locator("#results-heading").inner_text() == "按段落查找相似条款"
    assert _total(page) == count and "层级：国家" in re.sub(r"\s", "", page.locator("ul.chips").inner_text())
    assert page.locator(".relaxed-note").inner_text().startswith("按这段文字的要点查找相似条款")


def test_the_passage_form_works_without_script(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        page.locator("details.passage > summary").click()
        page.fill("#passage-text", _law_passage(1200))
        with page.expect_navigation():
            page.locator(".passage-form button").click()
        assert page.locator("#results-heading").inner_text() == "按段落查找相似条款" and _total(page) > 0
        assert page.locator("#passage-text").input_value() == _law_passage(1200)
    finally:
        context.close()


def test_a_page_loads_without_a_failed_request(page, live_server):
    failed: list[str] = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.goto(live_server + "/?q=" + quote("质押融资"))
    page.wait_for_load_state("networkidle")
    assert failed == []  # the favicon included


@pytest.mark.parametrize("size_name,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_an_old_version_leads_to_the_new_one_and_the_side_by_side(browser, live_server, size_name, viewport):
    from search.ingest import document_id

    old, new = document_id("专利法实施细则(2010-01-09).md"), document_id("专利法实施细则(2023-12-11).md")
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/doc/{old}")
        badge = page.locator(".doc-status .status")
        assert badge.inner_text() == "已被修订" and badge.is_visible()
        assert page.locator("svg.graph").is_visible()
        _shoot(page, f"versions-{size_name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.locator(f'.versions a[href="/doc/{old}/diff/{new}"]').click()
        page.wait_for_url(re.compile(rf"/doc/{old}/diff/{new}$"))
        assert "新增" in page.locator(".diff-summary").inner_text()
        assert page.locator(".diff-table ins").first.is_visible()
        _shoot(page, f"diff-{size_name}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # the day asked about is a form on the page: the status then
        page.goto(f"{live_server}/doc/{new}")
        page.fill("#as-of", "2015-06-01")
        page.locator("form.as-of button").click()
        page.wait_for_url(re.compile(r"as_of=2015-06-01"))
        assert page.locator(".doc-status .status").inner_text() == "尚未生效"
    finally:
        context.close()
