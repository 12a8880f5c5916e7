"""Pipeline parameters and canvas notes, as a person uses them in the designer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, FIRST, SECOND = "sample_dataset-1", "split_data-2", "split_data-3"
FRACTION_LABEL = "Fraction of rows in the first output"


def deselect(page: Page) -> None:
    page.locator(".react-flow__pane").click(position={"x": 40, "y": 480})
    expect(page.get_by_test_id("pipeline-panel")).to_be_visible()


def bind_fraction(page: Page, node_id: str) -> None:
    select(page, node_id)
    panel(page).get_by_test_id("bind-fraction").select_option("fraction")
    bound = panel(page).get_by_label(FRACTION_LABEL)
    expect(bound).to_have_value("= fraction")
    expect(bound).to_have_attribute("readonly", "")


@pytest.mark.timeout(180)
def test_a_parameter_bound_to_two_nodes_runs_with_a_value_the_runs_panel_shows(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "parameters")
    drag_from_palette(page, "sample_dataset", 20, 60)
    drag_from_palette(page, "split_data", 330, 40)
    drag_from_palette(page, "split_data", 200, 260)
    connect(page, SAMPLE, "dataset", FIRST, "dataset")
    connect(page, SAMPLE, "dataset", SECOND, "dataset")
    deselect(page)

    section = page.get_by_test_id("pipeline-parameters")
    section.get_by_test_id("parameter-add").click()
    section.get_by_test_id("parameter-name").fill("fraction")
    section.get_by_test_id("parameter-type").select_option("float")
    section.get_by_test_id("parameter-default").fill("0.8")
    section.get_by_test_id("parameter-save").click()
    expect(section.get_by_test_id("pipeline-parameter-fraction")).to_contain_text("not bound")

    bind_fraction(page, FIRST)
    bind_fraction(page, SECOND)
    deselect(page)
    expect(section.get_by_test_id("parameter-bound")).to_have_text(f"bound to {FIRST}.fraction, {SECOND}.fraction")

    # Deleting it while bound asks first; keeping it changes nothing.
    section.get_by_test_id("parameter-delete-fraction").click()
    expect(section.get_by_test_id("parameter-delete-ask")).to_contain_text(f"bound to {FIRST}.fraction")
    section.get_by_role("button", name="Keep it").click()
    wait_until_saved(page)

    page.get_by_test_id("run-button").click()
    dialog = page.get_by_test_id("run-values-dialog")
    expect(dialog.get_by_test_id("run-value-fraction")).to_have_value("0.8")
    dialog.get_by_test_id("run-value-fraction").fill("0.6")
    dialog.get_by_test_id("run-values-submit").click()
    expect(page.get_by_test_id("run-status")).to_have_text("Run #1: completed", timeout=90_000)

    page.get_by_test_id("runs-button").click()
    row = page.get_by_test_id("runs-panel").get_by_test_id("run-row-1")
    expect(row.get_by_test_id("run-row-parameters")).to_have_text("· fraction=0.6")

    page.reload()
    select(page, SECOND)
    expect(panel(page).get_by_label(FRACTION_LABEL)).to_have_value("= fraction")

    # Cloning the run: its version becomes the draft, with the run's value as the default.
    page.get_by_test_id("runs-button").click()
    page.get_by_test_id("runs-panel").get_by_test_id("run-row-1").get_by_role("button").click()
    page.get_by_test_id("restore-version").click()
    page.get_by_test_id("confirm-dialog").get_by_role("button", name="Replace the draft").click()
    expect(page.get_by_test_id("toast").last).to_contain_text("is the draft now")
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-values-dialog").get_by_test_id("run-value-fraction")).to_have_value("0.6")


@pytest.mark.timeout(120)
def test_a_note_is_added_edited_found_and_kept_over_a_reload(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "notes")
    drag_from_palette(page, "sample_dataset", 20, 60)

    page.get_by_test_id("add-note").click()
    note = page.get_by_test_id("note-note-1")
    note.get_by_label("Note text").fill("Iris has 150 rows; split it 80/20")

    page.locator(".react-flow__pane").click(button="right", position={"x": 500, "y": 500})
    page.get_by_test_id("menu-add-note").click()
    expect(page.get_by_test_id("note-note-2")).to_be_visible()
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("note-note-2")).to_have_count(0)

    page.get_by_test_id("node-search").fill("150 rows")
    expect(page.get_by_test_id("node-search-count")).to_have_text("1 match")
    wait_until_saved(page)

    page.reload()
    expect(page.get_by_test_id("note-note-1").get_by_label("Note text")).to_have_value(
        "Iris has 150 rows; split it 80/20"
    )
    expect(node(page, SAMPLE)).to_be_visible()
