"""While a run goes on, each node follows its step live: queued, running, then completed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, SLEEP, PASS = "sample_dataset-1", "sleep-2", "pass_through-3"
# The tests share one server: Pass Through of the sample's rows may come from another test's cache,
# but only once Sleep (which copies its input) has completed and its output is known.
DONE = re.compile(r"^(completed|cached)$")


@pytest.mark.timeout(120)
def test_nodes_follow_their_steps_while_the_run_goes_on(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "slow")
    drag_from_palette(page, "sample_dataset", 30, 60)
    drag_from_palette(page, "sleep", 240, 190)
    drag_from_palette(page, "pass_through", 450, 320)
    connect(page, SAMPLE, "dataset", SLEEP, "dataset")
    connect(page, SLEEP, "dataset", PASS, "dataset")
    select(page, SLEEP)
    panel(page).get_by_label("Seconds").fill("3")
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()

    expect(node(page, SLEEP)).to_have_attribute("data-status", "running", timeout=30_000)
    expect(node(page, SLEEP)).to_contain_text("Running")
    expect(node(page, PASS)).not_to_have_attribute("data-status", DONE)
    expect(page.get_by_test_id("run-button")).to_be_disabled()
    expect(node(page, PASS)).to_have_attribute("data-status", DONE, timeout=30_000)
    expect(node(page, SLEEP)).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("run-button")).to_be_enabled()
