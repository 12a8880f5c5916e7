"""A data scientist builds a pipeline on the canvas, runs it and looks at its output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, REPO_ROOT, log_in

SCREENSHOT = REPO_ROOT / "docs" / "screenshot.png"
SAMPLE, SELECT, SPLIT, DESCRIBE = "sample_dataset-1", "select_columns-2", "split_data-3", "describe-4"
# The tests share one server: a step another test already ran with the same inputs comes from the cache.
DONE = re.compile(r"^(completed|cached)$")


def build_three_modules(page: Page) -> None:
    # The properties panel opens for each new node, leaving about 740 px of canvas.
    drag_from_palette(page, "sample_dataset", 20, 80)  # below the group toolbar
    drag_from_palette(page, "select_columns", 260, 200)
    drag_from_palette(page, "split_data", 500, 330)
    for node_id in (SAMPLE, SELECT, SPLIT):
        expect(node(page, node_id)).to_be_visible()
    connect(page, SAMPLE, "dataset", SELECT, "dataset")
    connect(page, SELECT, "dataset", SPLIT, "dataset")
    expect(page.locator(".react-flow__edge")).to_have_count(2)


def set_parameters(page: Page) -> None:
    wait_until_saved(page)
    expect(node(page, SELECT)).not_to_have_attribute("data-problem", "false")
    select(page, SELECT)
    panel(page).get_by_label("Columns").fill("petal length (cm), petal width (cm), target")
    select(page, SPLIT)
    panel(page).get_by_label("Fraction of rows in the first output").fill("0.6")
    wait_until_saved(page)
    for node_id in (SAMPLE, SELECT, SPLIT):
        expect(node(page, node_id)).to_have_attribute("data-problem", "false")


def refused_connection_says_why(page: Page) -> None:
    page.get_by_test_id("palette-describe").dblclick()
    expect(node(page, DESCRIBE)).to_be_visible()
    node(page, DESCRIBE).hover()
    page.mouse.down()  # moves the new node out of the way of the others
    page.mouse.move(300, 520, steps=8)
    page.mouse.up()
    connect(page, DESCRIBE, "summary", SPLIT, "dataset")
    expect(page.get_by_test_id("toast")).to_contain_text("takes table, but Describe as Text.Summary gives text")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    select(page, DESCRIBE)
    page.keyboard.press("Delete")
    expect(node(page, DESCRIBE)).to_have_count(0)
    wait_until_saved(page)


def reload_keeps_everything(page: Page) -> None:
    page.reload()
    for node_id in (SAMPLE, SELECT, SPLIT):
        expect(node(page, node_id)).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    select(page, SELECT)
    expect(panel(page).get_by_label("Columns")).to_have_value("petal length (cm), petal width (cm), target")
    select(page, SPLIT)
    expect(panel(page).get_by_label("Fraction of rows in the first output")).to_have_value("0.6")


def run_to_completion(page: Page) -> None:
    page.get_by_test_id("run-button").click()
    for node_id in (SAMPLE, SELECT, SPLIT):
        expect(node(page, node_id)).to_have_attribute("data-status", DONE, timeout=60_000)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed")


def preview_shows_rows(page: Page) -> None:
    select(page, SELECT)
    page.get_by_test_id("tab-outputs").click()
    table = page.get_by_test_id("preview-table")
    expect(table.locator("thead th")).to_have_count(3)
    expect(table.locator("thead th").first).to_contain_text("petal length (cm)")
    expect(table.locator("tbody tr")).to_have_count(50)
    page.get_by_test_id("tab-log").click()
    expect(page.get_by_test_id("node-panel")).not_to_contain_text("Loading log")
    page.get_by_test_id("tab-outputs").click()
    expect(table.locator("tbody tr")).to_have_count(50)


@pytest.mark.timeout(180)
def test_build_save_run_and_preview_a_pipeline(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "petal split")
    build_three_modules(page)
    set_parameters(page)
    refused_connection_says_why(page)
    reload_keeps_everything(page)
    run_to_completion(page)
    preview_shows_rows(page)
    page.locator(".react-flow__controls-fitview").click()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert Path(SCREENSHOT).stat().st_size > 10_000
