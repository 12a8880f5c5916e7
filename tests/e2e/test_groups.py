"""Sub-pipelines on the canvas: group three modules, run, open the group to see its inner steps,
save it to the gallery and place a copy, ungroup."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

DONE = re.compile(r"^(completed|cached)$")

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
    # The tests share one server: another test's Pass Through of the same rows may serve these.
    expect(node(page, GROUP)).to_have_attribute("data-status", DONE)

    node(page, GROUP).locator(".node-title").dblclick()
    expect(page.get_by_test_id("group-breadcrumb")).to_contain_text(f"Group {GROUP}")
    expect(node(page, f"{GROUP}:{FIRST}")).to_have_attribute("data-status", DONE)
    # The next two pass the same table on: their cache keys equal the first's, so they are served from it.
    for node_id in (SECOND, THIRD):
        expect(node(page, f"{GROUP}:{node_id}")).to_have_attribute("data-status", DONE)
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_test_id("group-back").click()
    expect(page.get_by_test_id("group-breadcrumb")).to_have_count(0)

    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(node(page, GROUP)).to_have_attribute("data-status", "cached")
    node(page, GROUP).locator(".node-title").dblclick()
    expect(page.get_by_test_id("group-breadcrumb")).to_be_visible()
    page.keyboard.press("Escape")  # leaves the group too
    expect(page.get_by_test_id("group-breadcrumb")).to_have_count(0)

    node(page, GROUP).locator(".node-title").click()
    expect(page.get_by_test_id("group-panel")).to_be_visible()
    page.get_by_test_id("group-module-name").fill("three_steps")
    page.get_by_test_id("group-save-to-gallery").click()
    expect(page.get_by_text("Saved to the gallery as three_steps version 1.")).to_be_visible()
    page.get_by_test_id("palette-pipeline-three_steps").dblclick()
    expect(page.locator(".react-flow__node")).to_have_count(3)  # a copy of the saved version, as a group
    expect(node(page, "group-3").get_by_test_id("group-members")).to_have_text(f"{FIRST}, {SECOND}, {THIRD}")
    expect(node(page, "group-3").get_by_test_id("version-badge")).to_have_text("three_steps v1")

    node(page, GROUP).locator(".node-title").click()  # saved again: version 2, and the copy may move to it
    page.get_by_test_id("group-module-name").fill("three_steps")
    page.get_by_test_id("group-save-to-gallery").click()
    expect(page.get_by_text("Saved to the gallery as three_steps version 2.")).to_be_visible()
    expect(node(page, "group-3").get_by_test_id("version-badge")).to_contain_text("update available")
    node(page, "group-3").locator(".node-title").click()
    page.get_by_test_id("group-update").click()
    expect(node(page, "group-3").get_by_test_id("version-badge")).to_have_text("three_steps v2")

    node(page, GROUP).locator(".node-title").click()
    page.get_by_test_id("ungroup-button").click()
    expect(page.locator(".react-flow__node")).to_have_count(5)
    expect(page.locator(".react-flow__edge")).to_have_count(3)  # the chain again (the copy has none outside)
    expect(node(page, GROUP)).to_have_count(0)
    wait_until_saved(page)

    page.keyboard.press("Control+z")  # ungrouping was one step: the group is back
    expect(node(page, GROUP)).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(3)
