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
    assert all(any(meta.startswith(i) for i in county_issuers) for meta in page.locator("li.hit .hit-meta").all_inner_texts())
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
