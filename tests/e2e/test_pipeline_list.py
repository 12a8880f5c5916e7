"""The pipelines list: rename, duplicate, delete into the Deleted list and restore from it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, open_demo_workspace, pipeline_row
from tests.e2e.conftest import DEMO_PASSWORD, log_in


def test_rename_duplicate_delete_and_restore_a_pipeline(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    create_pipeline(page, "list journey")
    open_demo_workspace(page)

    pipeline_row(page, "list journey").get_by_role("button", name="Rename").click()
    new_name = page.get_by_label("New name for list journey")
    new_name.fill("renamed journey")
    new_name.press("Enter")
    expect(page.get_by_role("link", name="renamed journey", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="list journey", exact=True)).to_have_count(0)

    pipeline_row(page, "renamed journey").get_by_role("button", name="Duplicate").click()
    expect(page.get_by_role("link", name="renamed journey (copy)", exact=True)).to_be_visible()

    pipeline_row(page, "renamed journey").get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id("toast").last).to_contain_text("Moved renamed journey to Deleted")
    expect(page.get_by_role("link", name="renamed journey", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="renamed journey (copy)", exact=True)).to_be_visible()

    page.get_by_test_id("deleted-tab").click()
    deleted = page.get_by_test_id("deleted-pipelines")
    expect(pipeline_row(page, "renamed journey")).to_be_visible()
    expect(deleted.get_by_role("link")).to_have_count(0)  # a deleted pipeline opens only once restored
    pipeline_row(page, "renamed journey").get_by_role("button", name="Restore").click()
    expect(pipeline_row(page, "renamed journey")).to_have_count(0)

    page.get_by_role("tab", name="Pipelines").click()
    page.get_by_role("link", name="renamed journey", exact=True).click()
    expect(page.get_by_test_id("pipeline-name")).to_have_text("renamed journey")
