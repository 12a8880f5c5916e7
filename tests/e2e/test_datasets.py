"""A data scientist uploads a CSV as a workspace dataset, drags it onto a pipeline, picks a version,
selects columns from it, runs, and downloads the result as CSV."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

PEOPLE = b"name,born,score\nAda,1815,9.5\nAlan,1912,8.25\nGrace,1906,9.0\n"
MORE_PEOPLE = PEOPLE + b"Linus,1969,7.0\n"
IMPORT, SELECT = "import_data-1", "select_columns-2"


def upload_file(page: Page, form: str, name: str, content: bytes) -> None:
    page.get_by_test_id(form).get_by_label("File", exact=True).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )


def upload_dataset_with_two_versions(page: Page) -> None:
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_role("link", name="Datasets").click()
    form = page.get_by_test_id("new-dataset-form")
    form.get_by_label("Dataset name").fill("Pioneers")
    upload_file(page, "new-dataset-form", "pioneers.csv", PEOPLE)
    form.get_by_role("button", name="Upload dataset").click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+/$"))
    preview = page.get_by_test_id("version-preview")
    expect(preview.get_by_test_id("column-statistics").locator("tbody tr")).to_have_count(3)
    expect(preview.get_by_test_id("column-statistics")).to_contain_text("born")

    upload_file(page, "new-version-form", "again.csv", PEOPLE)
    page.get_by_role("button", name="Upload new version").click()
    expect(page.get_by_test_id("upload-notice")).to_have_text("This table already is version v1.")
    upload_file(page, "new-version-form", "more.csv", MORE_PEOPLE)
    page.get_by_role("button", name="Upload new version").click()
    expect(page.get_by_test_id("upload-notice")).to_have_text("New version v2.")
    expect(page.get_by_test_id("version-list").locator("tbody tr")).to_have_count(2)


def build_from_the_palette(page: Page) -> None:
    page.goto("/")
    create_pipeline(page, "pioneers")
    expect(page.get_by_test_id("palette-dataset-Pioneers")).to_contain_text("v2 · 4 rows")
    drag_from_palette(page, "dataset-Pioneers", 20, 60)
    drag_from_palette(page, "select_columns", 300, 200)
    connect(page, IMPORT, "dataset", SELECT, "dataset")
    expect(node(page, IMPORT).get_by_test_id("node-dataset")).to_have_text("Pioneers v2 (latest)")
    wait_until_saved(page)


def pin_the_first_version(page: Page) -> None:
    select(page, IMPORT)
    version = panel(page).get_by_label("Version")
    expect(version.locator("option:checked")).to_contain_text("v2 ·")
    expect(version.locator("option:checked")).to_contain_text("(latest)")
    first = version.locator("option", has_text=re.compile(r"^v1 ·"))
    version.select_option(first.get_attribute("value"))
    expect(panel(page).get_by_test_id("newer-version")).to_have_text("A newer version exists: v2.")
    expect(node(page, IMPORT).get_by_test_id("node-dataset")).to_have_text("Pioneers v1")
    wait_until_saved(page)


def choose_columns_from_the_dataset(page: Page) -> None:
    select(page, SELECT)
    chips = panel(page).get_by_test_id("columns-columns")
    expect(chips).to_contain_text("+ born")  # the dataset's columns are known before anything ran
    chips.get_by_role("button", name="+ name").click()
    chips.get_by_role("button", name="+ score").click()
    expect(panel(page).get_by_label("Columns")).to_have_value("name, score")
    wait_until_saved(page)
    expect(node(page, SELECT)).to_have_attribute("data-problem", "false")


def run_and_download(page: Page) -> str:
    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    select(page, SELECT)
    page.get_by_test_id("tab-outputs").click()
    expect(page.get_by_test_id("preview-table").locator("tbody tr")).to_have_count(3)
    with page.expect_download() as download:
        page.get_by_test_id("download-csv").click()
    assert download.value.suggested_filename == "pioneers-run1-select_columns-2-dataset.csv"
    path = download.value.path()
    assert path is not None
    return path.read_text()


@pytest.mark.timeout(180)
def test_upload_a_dataset_use_a_version_in_a_pipeline_and_download_the_result(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    upload_dataset_with_two_versions(page)
    build_from_the_palette(page)
    pin_the_first_version(page)
    choose_columns_from_the_dataset(page)

    assert run_and_download(page) == "name,score\nAda,9.5\nAlan,8.25\nGrace,9.0\n"
