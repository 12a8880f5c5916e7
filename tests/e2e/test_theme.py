"""Dark theme: switched in the header, remembered by the browser across reloads, on every surface."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, drag_from_palette, node, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in


def background(page: Page, selector: str) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).backgroundColor")


def test_the_dark_theme_is_remembered_across_a_reload(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")  # headless Chromium prefers light
    create_pipeline(page, "dark theme")
    drag_from_palette(page, "sample_dataset", 40, 60)
    expect(node(page, "sample_dataset-1")).to_be_visible()
    wait_until_saved(page)
    light_panel = background(page, ".node-panel")

    page.get_by_test_id("theme-toggle").click()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(page.locator(".react-flow.dark")).to_have_count(1)
    assert background(page, ".node-panel") != light_panel

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(page.locator(".react-flow.dark")).to_have_count(1)
    expect(page.locator(".react-flow__minimap")).to_be_visible()
    dark_node = background(page, ".module-node")
    assert dark_node != "rgb(255, 255, 255)"

    page.get_by_test_id("theme-toggle").click()  # back to the system's theme: nothing is remembered
    expect(html).to_have_attribute("data-theme", "light")
    assert page.evaluate("localStorage.getItem('trellis.theme')") is None
    page.reload()
    expect(html).to_have_attribute("data-theme", "light")
