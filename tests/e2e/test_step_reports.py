"""A script node prints and logs while it runs: its log, progress and metrics reach the canvas live."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SCRIPT = "execute_python_script-1"


def script(go_file: Path) -> str:
    return f"""import os, time

def azureml_main(dataframe1=None, dataframe2=None):
    print("first line", flush=True)
    log_metric("accuracy", 0.875)
    for epoch, loss in enumerate([0.9, 0.6, 0.4, 0.3]):
        log_metric("loss", loss, step=epoch)
    report_progress(1, 2)
    while not os.path.exists({str(go_file)!r}):
        time.sleep(0.1)
    print("last line")
    return dataframe1,
"""


@pytest.mark.timeout(120)
def test_a_script_node_shows_its_output_live_then_its_metrics(page: Page, go_file: Path) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "live script")
    drag_from_palette(page, "execute_python_script", 120, 120)
    select(page, SCRIPT)
    panel(page).get_by_label("Python script").fill(script(go_file))
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()

    expect(node(page, SCRIPT)).to_have_attribute("data-status", "running", timeout=30_000)
    expect(node(page, SCRIPT).get_by_test_id("node-progress-count")).to_have_text("1/2", timeout=15_000)
    expect(node(page, SCRIPT).get_by_test_id("node-elapsed")).to_be_visible()
    page.get_by_test_id("tab-log").click()
    expect(panel(page).get_by_test_id("step-log")).to_contain_text("first line")
    expect(node(page, SCRIPT)).to_have_attribute("data-status", "running")  # it still waits for the go file

    go_file.touch()

    expect(panel(page).get_by_test_id("step-log")).to_contain_text("last line", timeout=30_000)
    expect(node(page, SCRIPT)).to_have_attribute("data-status", "completed")
    expect(node(page, SCRIPT).get_by_test_id("node-progress")).to_have_count(0)
    page.get_by_test_id("tab-metrics").click()
    expect(panel(page).get_by_test_id("metric-accuracy")).to_contain_text("0.875")
    expect(panel(page).get_by_test_id("metric-loss")).to_contain_text("4 values")
    expect(panel(page).get_by_test_id("metric-chart-loss")).to_be_visible()
