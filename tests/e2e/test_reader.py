"""An owner shares a workspace with a reader, who can look at pipelines but not change or run them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.canvas import node, panel, select
from tests.e2e.conftest import DEMO_PASSWORD, VIEWPORT, TrellisServer, log_in

READER, READER_PASSWORD = "rita", "rita-reads-pipelines"
CREATE_READER = (
    "from django.contrib.auth import get_user_model; "
    f"get_user_model().objects.create_user({READER!r}, password={READER_PASSWORD!r})"
)


def owner_adds_reader(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_role("link", name="Members").click()
    page.get_by_label("Username").fill("nobody-by-that-name")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_test_id("members-error")).to_be_visible()
    page.get_by_label("Username").fill(READER)
    page.get_by_label("Role for the new member").select_option("reader")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_label(f"Role of {READER}")).to_have_value("reader")


@pytest.mark.timeout(120)
def test_a_reader_sees_the_canvas_but_cannot_change_or_run_it(
    trellis_server: TrellisServer, page: Page, browser: Browser, base_url: str
) -> None:
    trellis_server.manage("shell", "-c", CREATE_READER)
    owner_adds_reader(page)

    reader = browser.new_context(base_url=base_url, viewport=VIEWPORT).new_page()
    log_in(reader, READER, READER_PASSWORD)
    reader.get_by_role("link", name="iris_split").click()
    expect(node(reader, "petals")).to_be_visible()
    expect(reader.get_by_text("read-only")).to_be_visible()
    expect(reader.get_by_test_id("run-button")).to_have_count(0)
    expect(reader.get_by_test_id("palette-sample_dataset")).to_have_count(0)

    # Dragging a node pans the view instead: the node keeps its place in the graph.
    wrapper = reader.locator('.react-flow__node[data-id="petals"]')
    place = wrapper.evaluate("element => element.style.transform")
    box = wrapper.bounding_box()
    assert box is not None
    reader.mouse.move(box["x"] + 40, box["y"] + 15)
    reader.mouse.down()
    reader.mouse.move(box["x"] + 240, box["y"] + 215, steps=10)
    reader.mouse.up()
    assert wrapper.evaluate("element => element.style.transform") == place

    select(reader, "petals")
    expect(panel(reader).get_by_label("Columns")).not_to_be_editable()
    reader.keyboard.press("Delete")
    expect(node(reader, "petals")).to_be_visible()
    expect(reader.locator(".react-flow__edge")).to_have_count(2)

    reader.goto("/workspaces/1/members/")
    expect(reader.get_by_test_id("members-table")).to_contain_text(READER)
    expect(reader.get_by_test_id("add-member-form")).to_have_count(0)
    reader.context.close()
