"""Restoring a version replaces the draft only if nobody saved it meanwhile: a stale page is told to reload."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.canvas import drop_file, node, open_demo_workspace, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in
from tests.graphs import iris_split_graph


def test_a_restore_from_a_stale_page_changes_nothing_and_offers_a_reload(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    open_demo_workspace(page)
    drop_file(page, page.get_by_test_id("import-zone"), "stale restore.json", json.dumps(iris_split_graph()))
    page.get_by_role("link", name="stale restore", exact=True).click()
    expect(node(page, "split")).to_be_visible()
    page.locator(".react-flow__pane").click()
    page.keyboard.press("Control+Shift+S")
    page.keyboard.type("first")
    page.keyboard.press("Enter")
    page.get_by_test_id("version-1").get_by_role("button").click()
    expect(page.get_by_test_id("version-banner")).to_contain_text("Version 1: first")

    other = page.context.new_page()  # the same person, in another tab, edits the draft
    other.goto(re.sub(r"versions/1/$", "", page.url))
    select(other, "split")
    panel(other).get_by_label("Random seed").fill("9")
    wait_until_saved(other)
    other.close()

    page.get_by_test_id("restore-version").click()
    page.get_by_role("button", name="Replace the draft").click()
    expect(page.get_by_test_id("conflict-banner")).to_contain_text("changed elsewhere")
    expect(page).to_have_url(re.compile(r"/versions/1/$"))
    page.get_by_test_id("conflict-banner").get_by_role("button", name="Reload").click()
    page.get_by_role("link", name="Back to the draft").click()
    select(page, "split")
    expect(panel(page).get_by_label("Random seed")).to_have_value("9")
