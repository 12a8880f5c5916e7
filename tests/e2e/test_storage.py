"""A workspace owner sees how much the artifact store holds for the workspace and tightens its retention
rules; after a collection a released output says so on the canvas, and the run can be pinned.
A reader sees no storage at all."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.canvas import node, panel, select
from tests.e2e.conftest import DEMO_PASSWORD, VIEWPORT, TrellisServer, log_in

WORKSPACE, PIPELINE = "Archive", "archived iris"
READER, READER_PASSWORD = "rhea", "rhea-reads-the-archive"
ADD_READER = (
    "from django.contrib.auth import get_user_model; "
    "from designer.workspaces.access import membership_set; "
    "from designer.workspaces.models import Role, Workspace; "
    f"reader = get_user_model().objects.create_user({READER!r}, password={READER_PASSWORD!r}); "
    f"membership_set(Workspace.objects.get(name={WORKSPACE!r}), reader, Role.READER)"
)


def owner_tightens_the_rules(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    page.get_by_role("link", name=WORKSPACE, exact=True).click()
    storage = page.get_by_test_id("workspace-storage")
    # Sample Dataset, Select Columns and Split Data (two tables): four artifacts.
    expect(storage.get_by_test_id("storage-size")).to_contain_text("in 4 artifacts")
    expect(storage.get_by_test_id("storage-releasable")).to_have_text(
        "The retention rules keep the outputs of every run for now."
    )
    expect(storage.get_by_label("Days to keep outputs")).to_have_attribute("placeholder", "default 30")

    storage.get_by_label("Days to keep outputs").fill("0")
    storage.get_by_label("Last runs kept per pipeline").fill("0")
    storage.get_by_role("button", name="Save rules").click()

    expect(storage.get_by_test_id("storage-rules")).to_contain_text("kept for 0 days")
    expect(storage.get_by_test_id("storage-releasable")).to_contain_text("would release the outputs of 1 run now")


def released_output_says_so(page: Page) -> None:
    page.get_by_role("link", name=PIPELINE).click()
    expect(node(page, "split")).to_be_visible()
    select(page, "split")
    page.get_by_test_id("tab-outputs").click()
    expect(panel(page).get_by_test_id("preview-released")).to_contain_text("outputs removed by the retention rules on")
    expect(panel(page).get_by_test_id("preview-released")).to_contain_text("re-run to regenerate")


def owner_pins_the_run(page: Page) -> None:
    keep = page.get_by_test_id("keep-button")
    expect(keep).to_have_attribute("aria-pressed", "false")
    keep.click()
    expect(keep).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_test_id("keep-button")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("runs-button").click()
    expect(page.get_by_test_id("runs-panel").get_by_test_id("run-row-1")).to_contain_text("pinned")


@pytest.mark.timeout(300)  # three management commands, each a Django start
def test_the_owner_sees_and_tightens_storage_and_a_reader_does_not_see_it(
    trellis_server: TrellisServer, page: Page, browser: Browser, base_url: str
) -> None:
    trellis_server.manage(
        "run_pipeline", "examples/iris_split.json", "--workspace", WORKSPACE, "--pipeline", PIPELINE, "--wait"
    )
    trellis_server.manage("shell", "-c", ADD_READER)
    owner_tightens_the_rules(page)

    output = trellis_server.manage("collect_artifacts")

    assert output.startswith("Released the outputs of 3 steps in 1 run")
    page.reload()
    expect(page.get_by_test_id("storage-size")).to_contain_text("in 0 artifacts")
    released_output_says_so(page)
    owner_pins_the_run(page)

    reader = browser.new_context(base_url=base_url, viewport=VIEWPORT).new_page()
    log_in(reader, READER, READER_PASSWORD)
    reader.get_by_role("link", name=WORKSPACE, exact=True).click()
    expect(reader.get_by_role("link", name=PIPELINE)).to_be_visible()
    expect(reader.get_by_test_id("workspace-storage")).to_have_count(0)
    reader.context.close()
