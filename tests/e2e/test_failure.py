"""A run with problems does not start; a step that fails shows its error and log, and what follows is skipped."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, FAIL, PASS = "sample_dataset-1", "fail-2", "pass_through-3"


@pytest.mark.timeout(120)
def test_a_failed_step_shows_its_error_and_skips_what_follows(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "doomed")
    drag_from_palette(page, "sample_dataset", 30, 60)
    drag_from_palette(page, "fail", 240, 190)
    drag_from_palette(page, "pass_through", 450, 320)
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("toast")).to_contain_text("The run did not start")
    expect(node(page, PASS)).to_have_attribute("data-problem", "missing_input")

    connect(page, SAMPLE, "dataset", FAIL, "dataset")
    connect(page, FAIL, "dataset", PASS, "dataset")
    select(page, FAIL)
    panel(page).get_by_label("Message").fill("the sky fell")
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()

    # The tests share one server: another test may already have run this step, so it comes from the cache.
    expect(node(page, SAMPLE)).to_have_attribute("data-status", re.compile(r"^(completed|cached)$"), timeout=60_000)
    expect(node(page, FAIL)).to_have_attribute("data-status", "failed", timeout=60_000)
    expect(node(page, PASS)).to_have_attribute("data-status", "skipped", timeout=60_000)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "failed")
    select(page, FAIL)
    page.get_by_test_id("tab-log").click()
    expect(page.get_by_test_id("step-error")).to_contain_text("the sky fell")
    expect(page.get_by_test_id("step-log")).to_contain_text("about to fail")

    page.reload()
    expect(node(page, FAIL)).to_have_attribute("data-status", "failed")
    expect(node(page, PASS)).to_have_attribute("data-status", "skipped")
