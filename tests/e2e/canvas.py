"""What a person does on the canvas, as Playwright steps."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Locator, Page, expect


def create_pipeline(page: Page, name: str) -> None:
    """From the workspace list, makes a pipeline in the Demo workspace and opens its canvas."""
    page.get_by_role("link", name="Demo", exact=True).click()
    page.get_by_label("Pipeline name").fill(name)
    page.get_by_role("button", name="New pipeline").click()
    expect(page).to_have_url(re.compile(r"/pipelines/\d+/$"))
    expect(page.get_by_test_id("pipeline-name")).to_have_text(name)
    # The draft is loaded and the canvas laid out: a drop before that has nowhere to land.
    expect(page.get_by_test_id("save-status")).to_be_visible()
    expect(page.locator(".react-flow__pane")).to_be_visible()


def node(page: Page, node_id: str) -> Locator:
    return page.get_by_test_id(f"node-{node_id}")


def panel(page: Page) -> Locator:
    """The selected node's panel: parameters, log and outputs."""
    return page.get_by_test_id("node-panel")


def drag_from_palette(page: Page, module: str, x: int, y: int) -> None:
    """Drops a palette module at (x, y) inside the canvas (HTML5 drag and drop); waits until its node shows."""
    shown = page.locator(".react-flow__node")
    before = shown.count()
    canvas = page.get_by_test_id("canvas")
    # Where (x, y) is, once the page stopped moving: bars that appear as the page loads push the
    # canvas down, and a drop aimed near its top edge then lands on them instead.
    box = settled_box(canvas)
    page.get_by_test_id(f"palette-{module}").drag_to(canvas, target_position={"x": x, "y": y})
    expect(shown, f"the dropped {module} shows on the canvas (aimed at {x}, {y} of {box})").to_have_count(before + 1)


def settled_box(target: Locator, seconds: float = 5.0) -> dict[str, float] | None:
    """`target`'s bounding box once two looks 100 ms apart agree (or after `seconds`)."""
    deadline = time.monotonic() + seconds
    box = target.bounding_box()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        again = target.bounding_box()
        if again == box:
            return box
        box = again
    return box


def connect(page: Page, source: str, source_port: str, target: str, target_port: str) -> None:
    """Drags from an output handle to an input handle with the mouse, as a person would."""
    start = node(page, source).locator(f'.react-flow__handle.source[data-handleid="{source_port}"]')
    end = node(page, target).locator(f'.react-flow__handle.target[data-handleid="{target_port}"]')
    start_box, end_box = start.bounding_box(), end.bounding_box()
    assert start_box and end_box, "both handles must be on screen"
    page.mouse.move(start_box["x"] + start_box["width"] / 2, start_box["y"] + start_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(end_box["x"] + end_box["width"] / 2, end_box["y"] + end_box["height"] / 2, steps=12)
    page.mouse.up()


def select(page: Page, node_id: str) -> None:
    node(page, node_id).locator(".node-title").click()
    expect(panel(page).locator("code")).to_have_text(node_id)


def wait_until_saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-state", "saved", timeout=10_000)


def drop_file(page: Page, target: Locator, name: str, text: str) -> None:
    """Drops a file named `name` holding `text` on `target`, as dragging it from the desktop does."""
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, { type: 'application/json' }));
            return transfer;
        }""",
        [name, text],
    )
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    target.dispatch_event("drop", {"dataTransfer": transfer})


def open_demo_workspace(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Demo", exact=True).click()
    expect(page.get_by_role("heading", name="Demo")).to_be_visible()


def pipeline_row(page: Page, name: str) -> Locator:
    """The row of the pipelines list whose pipeline is called exactly `name`."""
    return page.locator("tbody tr").filter(has=page.get_by_text(name, exact=True))
