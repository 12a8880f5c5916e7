"""Two tabs edit the same draft: the one that saves second is told to reload, and nothing is overwritten."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, drag_from_palette, node, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in


@pytest.mark.timeout(120)
def test_a_stale_tab_is_told_to_reload_instead_of_overwriting(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "contested")
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    expect(other_tab.get_by_test_id("palette-sample_dataset")).to_be_visible()

    drag_from_palette(page, "sample_dataset", 60, 80)
    wait_until_saved(page)
    drag_from_palette(other_tab, "split_data", 300, 200)

    expect(other_tab.get_by_test_id("save-status")).to_have_attribute("data-state", "conflict")
    expect(other_tab.get_by_test_id("conflict-banner")).to_contain_text(re.compile("changed elsewhere"))
    other_tab.get_by_role("button", name="Reload").click()
    expect(node(other_tab, "sample_dataset-1")).to_be_visible()
    expect(node(other_tab, "split_data-1")).to_have_count(0)
    other_tab.close()
