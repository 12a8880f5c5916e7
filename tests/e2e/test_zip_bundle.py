"""A data scientist uploads a zip of helper code as a dataset, drags it onto a pipeline, connects it to
Execute Python Script's bundle port, runs, and sees the script's output made by the helper; then the
column picker below the script offers the columns the run observed."""

from __future__ import annotations

import re
import textwrap

import pytest
from playwright.sync_api import Page, expect

from modules.archives import make_archive
from tests.e2e.canvas import connect, create_pipeline, drag_from_palette, node, panel, select, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

HELPERS = make_archive({"greetings/__init__.py": "def greet(name):\n    return f'Hello, {name}, from the bundle'\n"})
BUNDLE, SCRIPT, PICK = "zip_dataset-1", "execute_python_script-2", "select_columns-3"
SCRIPT_TEXT = textwrap.dedent(
    """\
    import pandas as pd
    import greetings

    def azureml_main(dataframe1=None, dataframe2=None):
        return pd.DataFrame({"greeting": [greetings.greet("Ada")]}),
    """
)


def upload_the_bundle(page: Page) -> None:
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_role("link", name="Datasets").click()
    form = page.get_by_test_id("new-dataset-form")
    form.get_by_label("Dataset name").fill("Greetings")
    form.get_by_label("File", exact=True).set_input_files(
        {"name": "greetings.zip", "mimeType": "application/zip", "buffer": HELPERS}
    )
    form.get_by_role("button", name="Upload dataset").click()
    expect(page).to_have_url(re.compile(r"/datasets/\d+/$"))
    files = page.get_by_test_id("version-preview").get_by_test_id("archive-files")
    expect(files).to_contain_text("greetings/__init__.py")
    expect(page.get_by_test_id("dataset-list")).to_contain_text("zip bundle")


def refuse_a_hostile_bundle(page: Page) -> None:
    form = page.get_by_test_id("new-dataset-form")
    form.get_by_label("Dataset name").fill("Hostile")
    form.get_by_label("File", exact=True).set_input_files(
        {"name": "hostile.zip", "mimeType": "application/zip", "buffer": make_archive({"../escape.py": "x = 1"})}
    )
    form.get_by_role("button", name="Upload dataset").click()
    expect(form.get_by_test_id("upload-error")).to_contain_text("member '../escape.py' points outside")


def build_bundle_into_script(page: Page) -> None:
    page.goto("/")
    create_pipeline(page, "greetings")
    expect(page.get_by_test_id("palette-dataset-Greetings")).to_contain_text("v1 · 1 file (zip)")
    drag_from_palette(page, "dataset-Greetings", 20, 60)
    drag_from_palette(page, "execute_python_script", 320, 220)
    expect(node(page, BUNDLE).get_by_test_id("node-dataset")).to_have_text("Greetings v1 (latest)")
    connect(page, BUNDLE, "zip", SCRIPT, "script_bundle")
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    select(page, SCRIPT)
    panel(page).get_by_label("Python script").fill(SCRIPT_TEXT)
    wait_until_saved(page)


@pytest.mark.timeout(180)
def test_a_zip_dataset_gives_the_script_its_helper_code(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    upload_the_bundle(page)
    refuse_a_hostile_bundle(page)
    build_bundle_into_script(page)

    page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-state", "completed", timeout=60_000)
    select(page, SCRIPT)
    page.get_by_test_id("tab-outputs").click()
    expect(page.get_by_test_id("preview-table").first).to_contain_text("Hello, Ada, from the bundle")

    pick_a_column_the_run_observed(page)


def pick_a_column_the_run_observed(page: Page) -> None:
    drag_from_palette(page, "select_columns", 320, 420)
    connect(page, SCRIPT, "result_dataset", PICK, "dataset")
    wait_until_saved(page)
    select(page, PICK)
    expect(panel(page).get_by_test_id("observed-columns")).to_have_text("columns as observed in run 1")
    panel(page).get_by_test_id("columns-columns").get_by_role("button", name="+ greeting").click()
    expect(panel(page).get_by_label("Columns")).to_have_value("greeting")
    wait_until_saved(page)
    expect(node(page, PICK)).to_have_attribute("data-problem", "false")
