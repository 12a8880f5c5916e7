"""Runs: run twice with a changed parameter, open the first run from the runs panel and see its
modules' states and outputs, then compare the two runs: the changed parameter and the metrics of
their evaluations side by side, the better value marked."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import drop_file, node, open_demo_workspace, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in
from tests.graphs import classifier_graph

DONE = re.compile(r"^(completed|cached)$")


def classifier_file() -> str:
    return json.dumps(classifier_graph(l2_weight=1.0, seed=5))


def run_and_wait(page: Page, number: int) -> None:
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_text(f"Run #{number}: completed", timeout=90_000)


@pytest.mark.timeout(240)
def test_open_a_run_from_the_runs_panel_and_compare_two_runs(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    open_demo_workspace(page)
    drop_file(page, page.get_by_test_id("import-zone"), "runs journey.json", classifier_file())
    page.get_by_role("link", name="runs journey", exact=True).click()
    expect(node(page, "evaluate")).to_be_visible()

    run_and_wait(page, 1)
    select(page, "algorithm")
    panel(page).get_by_label("L2 regularization weight").fill("0.0001")
    wait_until_saved(page)
    run_and_wait(page, 2)

    page.get_by_test_id("runs-button").click()
    runs = page.get_by_test_id("runs-panel")
    expect(runs.get_by_test_id("run-row-2")).to_contain_text("completed")
    expect(runs.get_by_test_id("run-row-2")).to_contain_text("version 2")
    expect(runs.get_by_test_id("run-row-1")).to_contain_text("version 1")
    expect(runs.get_by_test_id("run-row-1")).to_contain_text("demo")

    runs.get_by_test_id("run-row-1").get_by_role("button").click()
    expect(page.get_by_test_id("run-banner")).to_contain_text("Run #1 of version 1")
    expect(page.get_by_test_id("run-status")).to_have_text("Run #1: completed")
    for node_id in ("data", "split", "algorithm", "train", "score", "evaluate"):
        expect(node(page, node_id)).to_have_attribute("data-status", DONE)
    select(page, "algorithm")
    expect(panel(page).get_by_label("L2 regularization weight")).to_have_value("1")
    select(page, "evaluate")
    page.get_by_test_id("tab-outputs").click()
    expect(page.get_by_test_id("metrics-table")).to_contain_text("AUC")

    page.get_by_test_id("runs-button").click()
    page.get_by_label("Pick run 1 to compare").check()
    page.get_by_label("Pick run 2 to compare").check()
    page.get_by_test_id("compare-runs").click()
    comparison = page.get_by_test_id("run-comparison")
    expect(comparison).to_contain_text("Run #1")
    expect(page.get_by_test_id("diff-algorithm")).to_have_attribute("data-diff", "changed")
    expect(comparison.get_by_test_id("diff-item-algorithm")).to_contain_text("l2_weight 1 → 0.0001")
    auc = comparison.get_by_test_id("metric-evaluate-auc")
    expect(auc).to_be_visible()
    cells = [float(text.replace("★", "").strip()) for text in auc.locator("td").all_inner_texts()]
    starred = auc.locator("td[data-better='true']")
    if cells[0] == cells[1]:
        expect(starred).to_have_count(0)
    else:
        expect(starred).to_have_count(1)
        expect(starred).to_contain_text(f"{max(cells):.4f}")
    expect(comparison.get_by_test_id("metric-evaluate-accuracy")).to_be_visible()

    page.get_by_role("link", name="Back to the draft").click()
    expect(page.get_by_test_id("palette-sample_dataset")).to_be_visible()
    select(page, "algorithm")
    expect(panel(page).get_by_label("L2 regularization weight")).to_have_value("0.0001")
