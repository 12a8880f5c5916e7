"""Re-running skips what did not change; a run can be canceled and retried from the canvas."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, SLEEP, PASS = "sample_dataset-1", "sleep-2", "pass_through-3"


def run_and_wait(page: Page, status: str) -> None:
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", status, timeout=60_000)


@pytest.mark.timeout(150)
def test_an_unchanged_rerun_is_cached_and_a_canceled_run_can_be_retried(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "rerun")
    drag_from_palette(page, "sample_dataset", 20, 60)
    drag_from_palette(page, "sleep", 260, 190)
    drag_from_palette(page, "pass_through", 500, 320)
    connect(page, SAMPLE, "dataset", SLEEP, "dataset")
    connect(page, SLEEP, "dataset", PASS, "dataset")
    select(page, SAMPLE)
    panel(page).get_by_label("Dataset").select_option("digits")
    select(page, SLEEP)
    panel(page).get_by_label("Seconds").fill("0.5")
    wait_until_saved(page)

    run_and_wait(page, "completed")
    run_and_wait(page, "completed")
    for node_id in (SAMPLE, SLEEP, PASS):
        expect(node(page, node_id)).to_have_attribute("data-status", "cached")
    select(page, PASS)
    expect(page.get_by_test_id("step-reason")).to_contain_text("cached (from run 1)")

    select(page, SLEEP)
    panel(page).get_by_label("Seconds").fill("6")
    wait_until_saved(page)
    page.get_by_test_id("run-button").click()
    expect(node(page, SLEEP)).to_have_attribute("data-status", "running", timeout=30_000)
    page.get_by_test_id("cancel-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "canceled", timeout=20_000)
    expect(node(page, SLEEP)).to_have_attribute("data-status", "canceled")
    expect(node(page, PASS)).to_have_attribute("data-status", "canceled")

    page.get_by_test_id("retry-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    expect(node(page, SAMPLE)).to_have_attribute("data-status", "cached")
    expect(node(page, SLEEP)).to_have_attribute("data-status", "completed")
    select(page, SLEEP)
    expect(page.get_by_test_id("step-reason")).to_contain_text("Ran:")
