"""Sub-pipelines on the canvas: group three modules, run, open the group to see its inner steps, ungroup."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, FIRST, SECOND, THIRD = "sample_dataset-1", "pass_through-2", "pass_through-3", "pass_through-4"
GROUP = "group-5"


@pytest.mark.timeout(150)
def test_group_run_open_and_ungroup(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "grouped")
    drag_from_palette(page, "sample_dataset", 10, 40)
    drag_from_palette(page, "pass_through", 180, 160)
    drag_from_palette(page, "pass_through", 350, 280)
    drag_from_palette(page, "pass_through", 520, 400)
    connect(page, SAMPLE, "dataset", FIRST, "dataset")
    connect(page, FIRST, "dataset", SECOND, "dataset")
    connect(page, SECOND, "dataset", THIRD, "dataset")
    expect(page.locator(".react-flow__edge")).to_have_count(3)

    node(page, FIRST).locator(".node-title").click()
    for node_id in (SECOND, THIRD):
        node(page, node_id).locator(".node-title").click(modifiers=["Control"])
    page.keyboard.press("Control+g")

    expect(node(page, GROUP)).to_be_visible()
    expect(node(page, GROUP).get_by_test_id("group-members")).to_have_text(f"{FIRST}, {SECOND}, {THIRD}")
    expect(page.locator(".react-flow__node")).to_have_count(2)
    expect(page.locator(".react-flow__edge")).to_have_count(1)  # sample -> the group's exposed input
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(node(page, GROUP)).to_have_attribute("data-status", "completed")

    node(page, GROUP).locator(".node-title").dblclick()
    expect(page.get_by_test_id("group-breadcrumb")).to_contain_text(f"Group {GROUP}")
    expect(node(page, f"{GROUP}:{FIRST}")).to_have_attribute("data-status", "completed")
    # The next two pass the same table on: their cache keys equal the first's, so they are served from it.
    for node_id in (SECOND, THIRD):
        expect(node(page, f"{GROUP}:{node_id}")).to_have_attribute("data-status", re.compile("completed|cached"))
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_test_id("group-back").click()
    expect(page.get_by_test_id("group-breadcrumb")).to_have_count(0)

    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(node(page, GROUP)).to_have_attribute("data-status", "cached")

    node(page, GROUP).locator(".node-title").click()
    expect(page.get_by_test_id("group-panel")).to_be_visible()
    page.get_by_test_id("ungroup-button").click()
    expect(page.locator(".react-flow__node")).to_have_count(4)
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    expect(node(page, GROUP)).to_have_count(0)
    wait_until_saved(page)

    page.keyboard.press("Control+z")  # ungrouping was one step: the group is back
    expect(node(page, GROUP)).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(2)
