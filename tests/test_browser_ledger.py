"""The task ledger in a real browser: a table on a desktop, one card per task on a phone, never scrolling sideways."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import SCREENSHOTS

pytestmark = pytest.mark.slow  # a real chromium

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000, f"{path} looks empty"


@pytest.mark.parametrize("size_name,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_ledger_shows_each_task_with_its_lead_at_any_width(browser, live_server, size_name, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    try:
        query = "region=" + quote("黑龙江省")
        data = page.request.get(f"{live_server}/api/ledger?{query}").json()
        task = next(row for row in data["rows"] if row["lead"])  # the first task with a lead agency
        page.goto(f"{live_server}/ledger?{query}")
        assert int(page.locator(".summary .total").inner_text()) == data["total"]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        row = page.locator(f'tr[id="task-{task["clause_id"]}"]')
        lead = row.locator("li.ledger-lead").first
        lead.scroll_into_view_if_needed()
        assert lead.is_visible()
        assert lead.locator("a").inner_text() == task["lead"][0]
        assert lead.locator(".ledger-role").inner_text() == "牵头"
        for name in task["cooperate"]:  # every other agency beside it, with its own role
            assert row.locator("li.ledger-cooperate", has_text=name).locator(".ledger-role").inner_text() == "配合"
        _shoot(page, f"ledger-{size_name}")
        box, cell = row.bounding_box(), row.locator("td.ledger-task").bounding_box()
        if size_name == "phone":  # a card: the task above its agencies, each cell named
            agencies = row.locator("td.ledger-agencies-cell").bounding_box()
            assert agencies["y"] > cell["y"] and box["x"] + box["width"] <= viewport["width"]
            label = page.evaluate("el => getComputedStyle(el, '::before').content",
                                  row.locator("td.ledger-agencies-cell").element_handle())
            assert "责任单位" in label
        else:  # a table row: the task and its agencies side by side
            agencies = row.locator("td.ledger-agencies-cell").bounding_box()
            assert agencies["x"] > cell["x"] and abs(agencies["y"] - cell["y"]) < 2
            assert page.locator("table.ledger-table thead th").first.is_visible()
    finally:
        context.close()
