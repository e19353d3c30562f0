"""The agency directory and an agency's page in a real browser, at desktop and phone width."""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest

from conftest import SCREENSHOTS

pytestmark = pytest.mark.slow  # a real chromium

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def _shoot(tab, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, f"{path} looks empty"


@pytest.fixture(params=list(SIZES))
def sized(request, browser):
    context = browser.new_context(locale="zh-CN", viewport=SIZES[request.param])
    tab = context.new_page()
    yield request.param, tab
    context.close()


def test_the_directory_fits_and_links_an_agency_page(sized, live_server):
    size, tab = sized
    tab.goto(live_server + "/agencies")
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    _shoot(tab, f"agencies-{size}")
    families = tab.locator("section.agencies-family")
    assert families.count() > 10
    link = tab.locator("a.agencies-name", has_text=re.compile(r"^质量技术监督局$"))
    count = int(re.search(r"(\d+) 条", link.locator("xpath=..").locator(".count").inner_text()).group(1))
    link.click()
    tab.wait_for_url(re.compile(re.escape("/agency/" + quote("质量技术监督局")) + "$"))
    assert unquote(tab.url).endswith("/agency/质量技术监督局")
    assert tab.locator("h1").inner_text().startswith("质量技术监督局")
    assert int(tab.locator(".summary .total").inner_text()) == count
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)


def test_an_agency_page_fits_and_filters_by_level(sized, live_server):
    size, tab = sized
    tab.goto(live_server + "/agency/" + quote("市场监管局"))
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    _shoot(tab, f"agency-{size}")
    total = int(tab.locator(".summary .total").inner_text())
    counted = [int(n) for n in tab.locator(".summary .agency-count strong").all_inner_texts()]
    assert sum(counted) == total == tab.locator("li.agency-clause").count()
    option = tab.locator('.agency-filter[data-filter="level"] a.agency-option').last
    expected = int(option.locator(".count").inner_text())
    option.click()
    tab.wait_for_url(re.compile(r"level="))
    assert int(tab.locator(".summary .total").inner_text()) == expected < total
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    # Another agency of a clause links its own page.
    tab.go_back()
    tab.wait_for_url(lambda url: "level=" not in url)
    other = tab.locator("li.agency-clause .agency-roles a").first
    name = other.inner_text()
    other.click()
    tab.wait_for_url(re.compile(re.escape("/agency/" + quote(name)) + "$"))
    assert tab.locator("h1").inner_text().startswith(name)


def test_an_unknown_agency_points_to_its_family(sized, live_server):
    size, tab = sized
    response = tab.goto(live_server + "/agency/" + quote("财政局"))
    assert response.status == 404
    assert tab.evaluate(NO_SIDEWAYS_SCROLL)
    tab.locator(".agency-suggestions a", has_text="财政厅").click()
    tab.wait_for_url(re.compile(re.escape("/agency/" + quote("财政厅")) + "$"))
    assert int(tab.locator(".summary .total").inner_text()) > 0
