"""Compute targets in the browser: the owner adds one, a node picks it, and a run waiting for a
worker that target does not have says so on the node."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE = "sample_dataset-1"


@pytest.mark.timeout(120)
def test_a_node_on_a_target_without_workers_shows_what_it_waits_for(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_role("link", name="Compute targets").click()
    expect(page.get_by_test_id("target-default")).to_contain_text("trellis")
    # The embedded worker, once it has started (the page refreshes the list every few seconds).
    expect(page.get_by_test_id("workers-default")).not_to_contain_text("no worker", timeout=60_000)

    form = page.get_by_test_id("add-target-form")
    form.get_by_label("Target name").fill("gpu")
    form.get_by_label("Memory (MB)").fill("2048")
    form.get_by_role("button", name="Add target").click()
    expect(page.get_by_test_id("target-gpu")).to_contain_text("2048 MB of memory")
    expect(page.get_by_test_id("workers-gpu")).to_contain_text("celery -A designer worker -Q demo.gpu")

    page.get_by_role("link", name="Workspaces").click()
    create_pipeline(page, "on the gpu")
    drag_from_palette(page, "sample_dataset", 40, 60)
    select(page, SAMPLE)
    target = panel(page).get_by_test_id("compute-target")
    expect(target.locator("option", has_text="gpu (no worker)")).to_have_count(1)
    target.select_option("gpu")
    expect(node(page, SAMPLE).get_by_test_id("node-target")).to_have_text("on gpu")
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()

    expect(node(page, SAMPLE)).to_have_attribute("data-status", "queued", timeout=20_000)
    expect(node(page, SAMPLE).get_by_test_id("node-waiting")).to_have_text("waiting: no worker for target gpu")
    expect(page.get_by_test_id("step-waiting")).to_contain_text(re.compile("no worker for target gpu"))
    page.get_by_test_id("cancel-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "canceled", timeout=20_000)
