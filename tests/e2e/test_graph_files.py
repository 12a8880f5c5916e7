"""Graph files: a pipeline downloads as graph JSON that loads back when dropped on a canvas or on
the pipelines list; a file that is not a graph is refused with what is wrong with it."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.canvas import create_pipeline, drop_file, node, open_demo_workspace, pipeline_row, wait_until_saved
from tests.e2e.conftest import DEMO_PASSWORD, log_in

BROKEN = json.dumps({"format_version": 2, "nodes": [{"id": "x", "version": "1"}], "edges": []})


def download_example(page: Page) -> str:
    with page.expect_download() as download:
        pipeline_row(page, "iris_split").get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "iris_split.json"
    return Path(download.value.path()).read_text()


def test_a_downloaded_graph_loads_back_when_dropped_on_a_canvas_or_the_list(page: Page) -> None:
    log_in(page, "demo", DEMO_PASSWORD)
    open_demo_workspace(page)
    text = download_example(page)
    downloaded = json.loads(text)
    assert [n["id"] for n in downloaded["nodes"]] == ["iris", "petals", "split"]

    page.goto("/")
    create_pipeline(page, "dropped graph")
    canvas = page.get_by_test_id("canvas").locator(".react-flow")
    drop_file(page, canvas, "iris_split.json", text)
    expect(page.get_by_test_id("toast").last).to_contain_text("Imported 3 module(s) from iris_split.json")
    for node_id in ("iris", "petals", "split"):
        expect(node(page, node_id)).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    wait_until_saved(page)
    page.reload()
    expect(node(page, "split")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(2)

    drop_file(page, canvas, "broken.json", BROKEN)
    expect(page.get_by_test_id("toast").last).to_contain_text(
        "broken.json is not a graph Trellis reads: $.nodes[0]: 'module' is a required property"
    )
    drop_file(page, canvas, "notes.json", "these are notes")
    expect(page.get_by_test_id("toast").last).to_contain_text("notes.json is not JSON")
    expect(page.locator(".react-flow__node")).to_have_count(3)

    open_demo_workspace(page)
    zone = page.get_by_test_id("import-zone")
    drop_file(page, zone, "imported iris.json", text)
    expect(page.get_by_role("link", name="imported iris", exact=True)).to_be_visible()
    drop_file(page, zone, "broken.json", BROKEN)
    expect(page.get_by_test_id("import-problems")).to_contain_text("'module' is a required property")
    page.get_by_role("link", name="imported iris", exact=True).click()
    expect(node(page, "petals")).to_be_visible()
