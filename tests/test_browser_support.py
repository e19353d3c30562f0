"""The support-measures page in a real browser: a place typed and submitted, on a desktop and on a phone."""
from __future__ import annotations

import re

import pytest

from conftest import SCREENSHOTS

pytestmark = pytest.mark.slow  # a real chromium

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size_name,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_type_a_place_and_see_its_measures_with_amounts(browser, live_server, size_name, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    try:
        page.goto(live_server + "/support")
        everywhere = int(page.locator(".summary .total").inner_text())
        assert everywhere > 0 and _no_sideways_scroll(page)
        page.fill("#support-place", "罗山县")
        page.select_option("#support-sort", "amount")
        page.locator("form.support-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"place=%E7%BD%97%E5%B1%B1%E5%8E%BF"))
        total = int(page.locator(".summary .total").inner_text())
        assert 0 < total < everywhere
        assert page.locator("li.support-card").count() == total
        first = page.locator("li.support-card").first
        amounts = first.locator(".support-amount")
        assert amounts.count() > 0 and amounts.first.is_visible()
        assert re.search(r"[0-9,]+ 元|%", amounts.first.locator(".support-amount-value").inner_text())
        assert "罗山县" in page.locator(".summary").inner_text()
        assert _no_sideways_scroll(page), f"{size_name}: the page scrolls sideways"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"support-{size_name}.png"
        page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size > 10_000
        link = first.locator("h2.hit-title a")
        href = link.get_attribute("href")
        assert re.fullmatch(r"/doc/[0-9a-f]{10}#[0-9a-f]{10}-[0-9a-z.~]+", href)
        link.click()
        page.wait_for_url(re.compile(re.escape(href.split("#")[0])))
        assert page.locator(f"[id='{href.split('#')[1]}']").count() == 1
        assert not failed
    finally:
        context.close()
