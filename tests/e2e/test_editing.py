"""Editing like in the best node editors: shortcuts, copy and paste, undo and redo, auto-layout."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, SELECT = "sample_dataset-1", "select_columns-2"


def modules(page: Page):
    return page.locator(".react-flow__node")


def position_of(page: Page, node_id: str) -> tuple[float, float]:
    box = node(page, node_id).bounding_box()
    assert box is not None
    return box["x"], box["y"]


@pytest.mark.timeout(120)
def test_copy_paste_undo_redo_layout_and_the_shortcut_sheet(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "editing")
    drag_from_palette(page, "sample_dataset", 20, 60)
    drag_from_palette(page, "select_columns", 300, 220)
    expect(modules(page)).to_have_count(2)
    connect(page, SAMPLE, "dataset", SELECT, "dataset")
    page.locator(".react-flow__pane").click(position={"x": 150, "y": 450})

    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcut-sheet")).to_contain_text("Lay out left to right")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("shortcut-sheet")).to_have_count(0)

    page.keyboard.press("Control+a")
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(modules(page)).to_have_count(4)
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    expect(node(page, "select_columns-4")).to_be_visible()

    page.keyboard.press("Control+z")
    expect(modules(page)).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(modules(page)).to_have_count(4)

    before = position_of(page, SAMPLE), position_of(page, SELECT)
    page.keyboard.press("l")
    page.wait_for_function(
        "([id, x]) => Math.abs(document.querySelector(`[data-testid=node-${id}]`).getBoundingClientRect().x - x) > 1",
        arg=[SELECT, before[1][0]],
    )
    page.keyboard.press("Control+z")
    page.keyboard.press("f")

    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    expect(modules(page)).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(modules(page)).to_have_count(4)
    wait_until_saved(page)

    page.reload()
    expect(modules(page)).to_have_count(4)
    expect(page.locator(".react-flow__edge")).to_have_count(2)


@pytest.mark.timeout(120)
def test_a_comment_shows_on_the_module_and_finds_it(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "comments")
    drag_from_palette(page, "sample_dataset", 20, 60)
    drag_from_palette(page, "split_data", 300, 220)
    select(page, SAMPLE)
    panel(page).get_by_label("Comment").fill("Iris flowers, 150 rows")
    expect(node(page, SAMPLE).get_by_test_id("node-comment")).to_have_text("Iris flowers, 150 rows")
    wait_until_saved(page)

    search = page.get_by_test_id("node-search")
    search.fill("flowers")
    expect(page.get_by_test_id("node-search-count")).to_have_text("1 match")
    search.fill("data")
    expect(page.get_by_test_id("node-search-count")).to_have_text("2 matches")
    search.press("Enter")
    expect(node(page, SAMPLE).locator("xpath=..")).to_have_class(re.compile("selected"))

    page.reload()
    expect(node(page, SAMPLE).get_by_test_id("node-comment")).to_have_text("Iris flowers, 150 rows")
