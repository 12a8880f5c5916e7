"""A data scientist turns a script into a workspace module in the browser, uses it, publishes a
second version and moves a node to it, then disables the first version and sees pipelines refuse it."""

from __future__ import annotations

import re
import textwrap

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

SAMPLE, SHIFT = "sample_dataset-1", "shift_values-2"
DONE = re.compile(r"^(completed|cached)$")
CODE = textwrap.dedent(
    """
    def main(dataset, offset):
        dataset = dataset.copy()
        dataset["shifted"] = dataset.iloc[:, 0] + offset
        print("shifted by", offset)
        return dataset
    """
)


def open_gallery(page: Page) -> None:
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_role("link", name="Modules").click()
    expect(page.get_by_role("heading", name="Modules")).to_be_visible()


def create_module_in_the_browser(page: Page) -> None:
    page.get_by_role("button", name="New module").click()
    form = page.get_by_test_id("module-form")
    form.get_by_label("Name", exact=True).fill("shift_values")
    form.get_by_label("Display name").fill("Shift Values")
    form.get_by_label("Category").fill("Team Modules")
    form.get_by_label("Description").fill("Adds an offset to the first column.")
    form.get_by_role("button", name="+ parameter").click()
    form.get_by_label("Parameter 1 name").fill("offset")
    form.get_by_label("Parameter 1 kind").select_option("float")
    form.get_by_label("Parameter 1 default").fill("10")
    form.get_by_label("Code").fill(CODE)
    form.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("version-shift_values-1")).to_have_attribute("data-status", "active")


def add_module_to_a_pipeline(page: Page, name: str, connected: bool) -> str:
    create_pipeline(page, name)
    drag_from_palette(page, "sample_dataset", 20, 50)
    drag_from_palette(page, "shift_values", 320, 200)
    expect(node(page, SHIFT)).to_contain_text("Shift Values")
    if connected:
        connect(page, SAMPLE, "dataset", SHIFT, "dataset")
    wait_until_saved(page)
    return page.url


def docs_are_a_click_away(page: Page) -> None:
    page.get_by_label("Search modules").fill("offset")  # searches descriptions too
    expect(page.get_by_test_id("palette-shift_values")).to_be_visible()
    expect(page.get_by_test_id("palette-split_data")).to_have_count(0)
    page.get_by_test_id("docs-shift_values").click()
    docs = page.get_by_test_id("module-docs")
    expect(docs).to_contain_text("Adds an offset to the first column.")
    expect(docs).to_contain_text("workspace module")
    expect(docs.locator("code", has_text="offset")).to_be_visible()
    page.keyboard.press("Escape")
    expect(docs).to_have_count(0)
    page.get_by_label("Search modules").fill("")


def run_and_wait(page: Page) -> None:
    page.get_by_test_id("run-button").click()
    for node_id in (SAMPLE, SHIFT):
        expect(node(page, node_id)).to_have_attribute("data-status", DONE, timeout=60_000)


def publish_version_two(page: Page) -> None:
    open_gallery(page)
    page.get_by_test_id("new-version-shift_values-1").click()
    form = page.get_by_test_id("module-form")
    expect(form.get_by_label("Name", exact=True)).to_have_value("shift_values")
    form.get_by_label("Code").fill(CODE.replace("+ offset", "+ 2 * offset"))
    form.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("version-shift_values-2")).to_have_attribute("data-status", "active")


def upgrade_the_node(page: Page) -> None:
    badge = node(page, SHIFT).get_by_test_id("version-badge")
    expect(badge).to_have_text("v1 · update available")
    select(page, SHIFT)
    panel(page).get_by_test_id("review-upgrade").click()
    expect(panel(page).get_by_test_id("upgrade-review")).to_contain_text("Nothing else changes.")
    panel(page).get_by_test_id("apply-upgrade").click()
    expect(badge).to_have_count(0)
    page.keyboard.press("Control+z")  # the upgrade is one undo step
    expect(node(page, SHIFT).get_by_test_id("version-badge")).to_have_text("v1 · update available")
    page.keyboard.press("Control+Shift+z")
    expect(node(page, SHIFT).get_by_test_id("version-badge")).to_have_count(0)
    wait_until_saved(page)


def disable_version_one(page: Page) -> None:
    open_gallery(page)
    page.once("dialog", lambda dialog: dialog.accept("wrong offset"))
    page.get_by_label("Status of shift_values version 1").select_option("disabled")
    expect(page.get_by_test_id("version-shift_values-1")).to_have_attribute("data-status", "disabled")
    expect(page.get_by_test_id("version-shift_values-1")).to_contain_text("wrong offset")


def the_disabled_version_is_refused(page: Page) -> None:
    expect(node(page, SHIFT)).to_have_attribute("data-problem", "disabled_module")
    expect(node(page, SHIFT).get_by_test_id("version-badge")).to_have_text("v1 · disabled")
    select(page, SHIFT)
    expect(panel(page).get_by_test_id("panel-problems")).to_contain_text(
        "Shift Values version 1 is disabled (by demo): wrong offset"
    )
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("toast")).to_contain_text("The run did not start")
    expect(page.get_by_test_id("palette-shift_values")).to_contain_text("v2")  # new additions get version 2


@pytest.mark.timeout(240)
def test_create_use_upgrade_and_disable_a_workspace_module(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    open_gallery(page)
    create_module_in_the_browser(page)
    kept_on_version_one = add_module_to_a_pipeline(page, "shift later", connected=False)
    page.goto("/")
    upgraded = add_module_to_a_pipeline(page, "shift now", connected=True)
    docs_are_a_click_away(page)
    select(page, SHIFT)
    expect(panel(page).get_by_label("Offset")).to_have_value("10")
    run_and_wait(page)

    publish_version_two(page)
    page.goto(upgraded)
    upgrade_the_node(page)
    run_and_wait(page)
    select(page, SHIFT)
    expect(panel(page).get_by_test_id("step-reason")).to_have_text("Ran: module 1→2")

    disable_version_one(page)
    page.goto(kept_on_version_one)
    the_disabled_version_is_refused(page)
