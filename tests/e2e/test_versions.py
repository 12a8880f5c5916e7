"""Versions: save one with a message, change a parameter and delete a module, compare the two on the
canvas (coloured modules, old → new values), open the old one read-only, and restore it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, SPLIT, PASS = "sample_dataset-1", "split_data-2", "pass_through-3"
FRACTION = "Fraction of rows in the first output"


def build(page: Page) -> None:
    drag_from_palette(page, "sample_dataset", 20, 60)
    drag_from_palette(page, "split_data", 260, 190)
    drag_from_palette(page, "pass_through", 500, 320)
    for node_id in (SAMPLE, SPLIT, PASS):
        expect(node(page, node_id)).to_be_visible()
    connect(page, SAMPLE, "dataset", SPLIT, "dataset")
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    connect(page, SPLIT, "dataset1", PASS, "dataset")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    wait_until_saved(page)


def save_version(page: Page, message: str, number: int) -> None:
    page.get_by_label("Version message").fill(message)
    page.get_by_role("button", name="Save version").click()
    expect(page.get_by_test_id(f"version-{number}")).to_contain_text(message)


@pytest.mark.timeout(150)
def test_save_compare_open_and_restore_versions(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "versions journey")
    build(page)

    page.locator(".react-flow__pane").click()  # nothing selected, focus on the canvas
    page.keyboard.press("Control+Shift+S")
    expect(page.get_by_test_id("versions-panel")).to_be_visible()
    expect(page.get_by_label("Version message")).to_be_focused()
    page.keyboard.type("baseline")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("version-1")).to_contain_text("baseline")
    expect(page.get_by_test_id("version-1")).to_contain_text("demo")

    select(page, SPLIT)
    panel(page).get_by_label(FRACTION).fill("0.6")
    select(page, PASS)
    page.keyboard.press("Delete")
    expect(node(page, PASS)).to_have_count(0)
    wait_until_saved(page)
    page.locator(".react-flow__pane").click()
    save_version(page, "fewer steps", 2)
    select(page, SPLIT)
    panel(page).get_by_label("Random seed").fill("7")  # a draft no version holds yet
    wait_until_saved(page)

    page.get_by_test_id("versions-button").click()  # a module is selected: the panel takes its place
    page.get_by_label("Pick version 1 to compare").check()
    page.get_by_label("Pick version 2 to compare").check()
    page.get_by_test_id("compare-versions").click()
    expect(page).to_have_url(re.compile(r"/compare/1/2/$"))
    expect(page.get_by_test_id(f"diff-{SAMPLE}")).to_have_attribute("data-diff", "unchanged")
    expect(page.get_by_test_id(f"diff-{SPLIT}")).to_have_attribute("data-diff", "changed")
    expect(page.get_by_test_id(f"diff-{PASS}")).to_have_attribute("data-diff", "removed")
    expect(page.get_by_test_id(f"diff-{SPLIT}").get_by_test_id(f"changes-{SPLIT}")).to_have_text("fraction 0.7 → 0.6")
    expect(page.get_by_test_id(f"changes-{PASS}")).to_have_count(0)  # removed: nothing to list on it
    expect(page.locator(".react-flow__edge.diff-edge-removed")).to_have_count(1)
    expect(page.get_by_test_id("diff-summary")).to_have_text("modules: 1 removed, 1 changed · connections: 1 removed")
    assert page.get_by_test_id(f"diff-{SPLIT}").evaluate("e => getComputedStyle(e).boxShadow") != "none"

    page.get_by_test_id("versions-button").click()
    page.get_by_test_id("version-1").get_by_role("button").click()
    expect(page.get_by_test_id("version-banner")).to_contain_text("Version 1: baseline")
    expect(node(page, PASS)).to_be_visible()
    expect(page.get_by_role("complementary", name="Modules")).to_have_count(0)  # no palette: nothing to add
    select(page, SPLIT)
    expect(panel(page).get_by_label(FRACTION)).to_have_value("0.7")
    expect(panel(page).get_by_label(FRACTION)).not_to_be_editable()
    page.keyboard.press("Delete")
    expect(node(page, SPLIT)).to_be_visible()

    page.get_by_test_id("restore-version").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Replace the draft").click()
    expect(page).to_have_url(re.compile(r"/pipelines/\d+/$"))
    expect(page.get_by_test_id("toast").last).to_contain_text("kept as version 3")
    expect(node(page, PASS)).to_be_visible()
    page.reload()
    expect(node(page, PASS)).to_be_visible()
    select(page, SPLIT)
    expect(panel(page).get_by_label(FRACTION)).to_have_value("0.7")
    page.get_by_test_id("versions-button").click()
    expect(page.get_by_test_id("version-3")).to_contain_text("The draft before restoring version 1")
