"""A data scientist trains, scores and evaluates a classifier on the canvas and opens its ROC curve."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

DATA, SPLIT, ALGORITHM, TRAIN, SCORE, EVALUATE = (
    "sample_dataset-1",
    "split_data-2",
    "two_class_logistic_regression-3",
    "train_model-4",
    "score_model-5",
    "evaluate_model-6",
)
PLACES = [
    ("sample_dataset", 10, 70),
    ("split_data", 10, 270),
    ("two_class_logistic_regression", 255, 60),
    ("train_model", 255, 230),
    ("score_model", 500, 340),
    ("evaluate_model", 500, 510),
]
WIRES = [
    (DATA, "dataset", SPLIT, "dataset"),
    (ALGORITHM, "model", TRAIN, "untrained_model"),
    (SPLIT, "dataset1", TRAIN, "dataset"),
    (TRAIN, "model", SCORE, "model"),
    (SPLIT, "dataset2", SCORE, "dataset"),
    (SCORE, "dataset", EVALUATE, "scored_dataset"),
]


@pytest.mark.timeout(150)
def test_train_score_evaluate_and_open_the_roc_curve(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "cancer classifier")
    for module, x, y in PLACES:
        drag_from_palette(page, module, x, y)
    page.locator(".react-flow__controls-fitview").click()  # six modules: zoom out until all show
    for source, source_port, target, target_port in WIRES:
        connect(page, source, source_port, target, target_port)
    expect(page.locator(".react-flow__edge")).to_have_count(len(WIRES))

    select(page, DATA)
    panel(page).get_by_label("Dataset").select_option("breast_cancer")
    select(page, TRAIN)
    panel(page).get_by_label("Label column").fill("target")
    wait_until_saved(page)
    expect(node(page, TRAIN)).to_have_attribute("data-problem", "false")

    page.get_by_test_id("run-button").click()
    expect(node(page, EVALUATE)).to_have_attribute("data-status", "completed", timeout=90_000)

    select(page, EVALUATE)
    page.get_by_test_id("tab-outputs").click()
    expect(page.get_by_test_id("roc-chart").locator("polyline")).to_have_count(1)
    metrics = page.get_by_test_id("metrics-table")
    expect(metrics).to_contain_text("AUC")
    auc = metrics.locator("tr", has_text="AUC").locator("td").inner_text()
    assert float(auc) > 0.95
    expect(page.get_by_test_id("confusion-matrix")).to_be_visible()

    select(page, TRAIN)
    page.get_by_test_id("tab-outputs").click()
    expect(page.get_by_test_id("preview-object")).to_contain_text("LogisticRegression (trained)")

    select(page, DATA)
    page.get_by_test_id("tab-outputs").click()
    page.get_by_test_id("toggle-statistics").click()
    statistics = page.get_by_test_id("column-statistics")
    expect(statistics.locator("tbody tr")).to_have_count(31)
    expect(statistics.locator("tr", has_text="mean radius").locator("svg rect")).to_have_count(10)
