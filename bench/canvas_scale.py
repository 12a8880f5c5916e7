"""How the canvas holds up on big pipelines, measured in headless Chromium.

    .venv/bin/python bench/canvas_scale.py                 # 100, 500 and 1,000 nodes
    .venv/bin/python bench/canvas_scale.py --sizes 1000 --trace

Starts the embedded server (`manage.py serve`) on a temporary data folder, saves layered graphs
(bench/canvas_graphs.py) through the API, opens each on the canvas and measures: time to first
render (navigation start -> every node in view painted), frame times while panning and while
dragging a node (requestAnimationFrame deltas collected in the page), the draft save round trip
and validation, and frame times while a save is held in flight (editing must not wait on it).
Prints Markdown tables; every figure goes to bench/out/canvas.json. Figures only: nothing here
asserts, and CI never runs it. The canvas must be built (`cd frontend && npm run build`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.canvas_graphs import layered_graph
from bench.canvas_trace import summarize_trace
from tests.servers import REPO_ROOT, running_trellis_server

PASSWORD = "canvas-bench"
PAGE_SCRIPT = Path(__file__).with_name("canvas_page.js")
OUT = REPO_ROOT / "bench" / "out"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NODE_BOX = (220, 90)  # a node's size in flow units, near enough to tell which ones are in view
RENDER_TIMEOUT_MS = 60_000
GOALS = {"first render (1,000 nodes)": "< 2,000 ms", "pan (1,000 nodes)": "50+ fps: frame p50 <= 20 ms"}


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def frame_figures(recorded: dict[str, list[float]]) -> dict[str, float]:
    frames = recorded["frames"]
    return {
        "frames": len(frames),
        "p50_ms": round(percentile(frames, 0.5), 1),
        "p95_ms": round(percentile(frames, 0.95), 1),
        "max_ms": round(max(frames, default=float("nan")), 1),
        "long_tasks": len(recorded["longTasks"]),
        "longest_task_ms": round(max(recorded["longTasks"], default=0.0), 1),
    }


def api(page: Page, method: str, url: str, body: Any = None) -> Any:
    """Calls the API from inside the page, as the canvas does (session cookie, CSRF header)."""
    return page.evaluate(
        """async ([method, url, body]) => {
            const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.slice(10) ?? '';
            const started = performance.now();
            const response = await fetch(url, {
                method, credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': decodeURIComponent(token)},
                body: body === null ? undefined : JSON.stringify(body),
            });
            const text = await response.text();
            return {status: response.status, ms: performance.now() - started, body: text ? JSON.parse(text) : null};
        }""",
        [method, url, body],
    )


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your workspaces").wait_for()


def create_pipeline(page: Page, size: int) -> tuple[int, dict[str, Any]]:
    workspaces = api(page, "GET", "/api/workspaces/")["body"]
    demo = next(workspace for workspace in workspaces if workspace["name"] == "Demo")
    graph = layered_graph(size)
    created = api(page, "POST", f"/api/workspaces/{demo['id']}/pipelines/", {"name": f"scale {size}", "graph": graph})
    if created["status"] != 201:
        raise RuntimeError(f"creating the {size}-node pipeline failed: {created}")
    return int(created["body"]["id"]), graph


def first_render(page: Page, url: str, graph: dict[str, Any]) -> dict[str, float]:
    """Navigation start -> every node in view painted; also when the pipeline's data had arrived."""
    positions = [[node["id"], node["position"]["x"], node["position"]["y"]] for node in graph["nodes"]]
    page.goto(url)
    handle = page.wait_for_function(
        "([positions, w, h]) => window.__bench.painted(positions, w, h)",
        arg=[positions, *NODE_BOX],
        polling="raf",
        timeout=RENDER_TIMEOUT_MS,
    )
    painted = handle.json_value()
    data_at = page.evaluate(
        """() => Math.max(...performance.getEntriesByType('resource')
            .filter((entry) => /\\/api\\/(pipelines\\/\\d+|catalog)\\//.test(entry.name))
            .map((entry) => entry.responseEnd))"""
    )
    return {
        "first_render_ms": round(painted["at"]),
        "data_loaded_ms": round(data_at),
        "in_view": painted["expected"],
        "dom_nodes": painted["rendered"],
    }


def empty_spot(page: Page) -> tuple[float, float]:
    """A point of the canvas where a press pans (the pane, not a node, edge or control)."""
    spot = page.evaluate(
        """() => {
            const box = document.querySelector('.react-flow').getBoundingClientRect();
            for (let y = box.top + 20; y < box.bottom - 60; y += 7)
                for (let x = box.left + 20; x < box.right - 220; x += 7)
                    if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return [x, y];
            return null;
        }"""
    )
    if spot is None:
        raise RuntimeError("no empty spot on the canvas to pan from")
    return float(spot[0]), float(spot[1])


def record_frames(page: Page, gesture: Any) -> dict[str, float]:
    page.evaluate("() => window.__bench.startFrames()")
    gesture()
    return frame_figures(page.evaluate("() => window.__bench.stopFrames()"))


def pan(page: Page, strokes: int = 4, length: int = 500, steps: int = 80) -> None:
    """Drags the empty canvas left and right, then up and down: new nodes come into view."""
    x, y = empty_spot(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for stroke in range(strokes):
        direction = -1 if stroke % 2 == 0 else 1
        if stroke < strokes // 2:
            page.mouse.move(x + direction * length / 2, y, steps=steps)
        else:
            page.mouse.move(x, y + direction * length / 4, steps=steps)
    page.mouse.move(x, y, steps=steps // 2)  # back where it started: the same nodes stay in view
    page.mouse.up()


def visible_node(page: Page) -> tuple[str, float, float]:
    """A node whose title is in view and clear of the panels, and where to grab it."""
    found = page.evaluate(
        """() => {
            const box = document.querySelector('.react-flow').getBoundingClientRect();
            for (const title of document.querySelectorAll('.react-flow__node .node-title')) {
                const r = title.getBoundingClientRect();
                const [x, y] = [r.left + 12, r.top + r.height / 2];
                if (x > box.left + 60 && x < box.right - 200 && y > box.top + 80 && y < box.bottom - 180
                    && title.contains(document.elementFromPoint(x, y)))
                    return [title.closest('.react-flow__node').dataset.id, x, y];
            }
            return null;
        }"""
    )
    if found is None:
        raise RuntimeError("no node in view to drag")
    return str(found[0]), float(found[1]), float(found[2])


def drag_node(page: Page, turns: int = 3, radius: int = 120, steps: int = 40) -> str:
    node_id, x, y = visible_node(page)
    page.mouse.move(x, y)
    page.mouse.down()
    for turn in range(turns):
        page.mouse.move(x + radius, y + (radius if turn % 2 else -radius) / 2, steps=steps)
        page.mouse.move(x, y, steps=steps)
    page.mouse.move(x + 48, y + 32, steps=10)
    page.mouse.up()
    return node_id


def save_status(page: Page) -> str:
    return str(page.get_by_test_id("save-status").get_attribute("data-state"))


def wait_for_status(page: Page, *states: str, timeout_ms: int = 60_000) -> float:
    started = time.perf_counter()
    page.wait_for_function(
        "(states) => states.includes(document.querySelector('[data-testid=save-status]')?.dataset.state)",
        arg=list(states),
        timeout=timeout_ms,
        polling=20,
    )
    return (time.perf_counter() - started) * 1000


def autosave(page: Page) -> dict[str, float]:
    """One drag, then the debounced autosave: the PUT's round trip as the browser timed it."""
    page.evaluate("() => performance.clearResourceTimings()")
    drag_node(page, turns=1, steps=10)
    edit_to_saved = wait_for_status(page, "saved", "error", "conflict")
    status = save_status(page)
    put = page.evaluate(
        """() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/draft/')).at(-1)?.duration"""
    )
    return {"status": status, "edit_to_saved_ms": round(edit_to_saved), "save_round_trip_ms": round(put or -1)}


def editing_while_saving(page: Page, delay_ms: int = 6000) -> dict[str, Any]:
    """Holds the draft save in flight and keeps editing: frames must not wait on the network."""
    page.evaluate(f"() => {{ window.__bench.saveDelayMs = {delay_ms}; }}")
    try:
        drag_node(page, turns=1, steps=10)
        page.wait_for_function("() => window.__bench.savesInFlight > 0", polling=20)
        figures = record_frames(page, lambda: (pan(page, strokes=2, steps=40), drag_node(page, turns=1, steps=30)))
        figures["still_saving_after"] = page.evaluate("() => window.__bench.savesInFlight > 0")
    finally:
        page.evaluate("() => { window.__bench.saveDelayMs = 0; }")
    wait_for_status(page, "saved", "error", "conflict")
    figures["saved_at_the_end"] = save_status(page) == "saved"
    return figures


def validate(page: Page, pipeline_id: int) -> dict[str, float]:
    timings = [api(page, "POST", f"/api/pipelines/{pipeline_id}/validate/")["ms"] for _ in range(3)]
    return {"validate_ms": round(statistics.median(timings))}


def measure_size(browser: Browser, base_url: str, size: int, trace: bool) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    context.add_init_script(path=str(PAGE_SCRIPT))
    page = context.new_page()
    log_in(page, base_url)
    pipeline_id, graph = create_pipeline(page, size)
    url = f"{base_url}/pipelines/{pipeline_id}/"
    renders = [first_render(page, url, graph) for _ in range(3)]
    result: dict[str, Any] = {"size": size, "edges": len(graph["edges"])}
    result["render"] = {key: statistics.median(run[key] for run in renders) for key in renders[0]}
    result["render"]["all_ms"] = [run["first_render_ms"] for run in renders]
    page.wait_for_timeout(500)
    result["idle"] = record_frames(page, lambda: page.wait_for_timeout(1000))
    result["pan"] = record_frames(page, lambda: pan(page))
    result["drag"] = record_frames(page, lambda: drag_node(page))
    result["save"] = autosave(page)
    result["save"] |= validate(page, pipeline_id)
    result["while_saving"] = editing_while_saving(page)
    if trace:
        result["trace"] = traced_pan(browser, page, size)
        result["load_trace"] = traced_load(browser, page, url, graph, size)
    context.close()
    return result


def traced_pan(browser: Browser, page: Page, size: int) -> dict[str, Any]:
    """Where a pan's time goes on the renderer's main thread, from a Chrome trace."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"canvas-pan-{size}.trace.json"
    browser.start_tracing(page=page, path=str(path))
    page.evaluate("() => window.__bench.startFrames()")
    pan(page)
    frames = len(page.evaluate("() => window.__bench.stopFrames()")["frames"])
    browser.stop_tracing()
    return summarize_trace(json.loads(path.read_text()), frames) | {"file": str(path.relative_to(REPO_ROOT))}


def traced_load(browser: Browser, page: Page, url: str, graph: dict[str, Any], size: int) -> dict[str, Any]:
    """Where opening the pipeline spends the renderer main thread's time, from a Chrome trace."""
    path = OUT / f"canvas-load-{size}.trace.json"
    page.goto("about:blank")
    browser.start_tracing(page=page, path=str(path))
    render = first_render(page, url, graph)
    browser.stop_tracing()
    summary = summarize_trace(json.loads(path.read_text()), 1)
    return render | summary | {"file": str(path.relative_to(REPO_ROOT))}


def machine() -> dict[str, Any]:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()}


def print_tables(results: list[dict[str, Any]]) -> None:
    print("\n| nodes | edges | first render ms (median of 3) | data loaded ms | in view | DOM nodes |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        render = r["render"]
        print(
            f"| {r['size']} | {r['edges']} | {render['first_render_ms']:.0f} ({', '.join(map(str, render['all_ms']))}) "
            f"| {render['data_loaded_ms']:.0f} | {render['in_view']:.0f} | {render['dom_nodes']:.0f} |"
        )
    print("\n| nodes | gesture | frames | p50 ms | p95 ms | max ms | fps at p50 | long tasks (longest ms) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        for gesture in ("idle", "pan", "drag", "while_saving"):
            f = r[gesture]
            fps = 1000 / f["p50_ms"] if f["p50_ms"] else float("nan")
            print(
                f"| {r['size']} | {gesture.replace('_', ' ')} | {f['frames']} | {f['p50_ms']} | {f['p95_ms']} "
                f"| {f['max_ms']} | {fps:.0f} | {f['long_tasks']} ({f['longest_task_ms']}) |"
            )
    print("\n| nodes | save round trip ms | edit -> saved ms (with the 600 ms debounce) | validate ms | held save |")
    print("| ---: | ---: | ---: | ---: | --- |")
    for r in results:
        s, w = r["save"], r["while_saving"]
        held = "in flight all along" if w["still_saving_after"] else "ended during the gestures"
        print(
            f"| {r['size']} | {s['save_round_trip_ms']} | {s['edit_to_saved_ms']} | {s['validate_ms']} "
            f"| {held}; saved at the end: {w['saved_at_the_end']} |"
        )
    if any("load_trace" in r for r in results):
        print("\nOne traced page load per size: the renderer main thread, navigation start -> painted")
        print("| nodes | first render ms | data loaded ms | main thread busy ms | on a core ms | phases ms |")
        print("| ---: | ---: | ---: | ---: | ---: | --- |")
        for r in results:
            t = r.get("load_trace")
            if t:
                phases = ", ".join(f"{phase} {ms:.0f}" for phase, ms in t["per_frame_ms"].items())
                print(
                    f"| {r['size']} | {t['first_render_ms']} | {t['data_loaded_ms']} | {t['main_thread_wall_ms']} "
                    f"| {t['main_thread_cpu_ms']} | {phases} |"
                )
    for r in results:
        if "trace" in r:
            t = r["trace"]
            print(
                f"\nPan trace, {r['size']} nodes ({t['file']}), {t['frames']} frames; main thread busy "
                f"{t['main_thread_wall_ms']} ms, on a core {t['main_thread_cpu_ms']} ms; ms per frame:"
            )
            print("| phase | ms per frame |\n| --- | ---: |")
            for phase, per_frame in r["trace"]["per_frame_ms"].items():
                print(f"| {phase} | {per_frame} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000", help="node counts, multiples of ten")
    parser.add_argument("--trace", action="store_true", help="also record a Chrome trace of one pan per size")
    parser.add_argument("--headed", action="store_true")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    if not (REPO_ROOT / "static" / "dist" / "manifest.json").exists():
        sys.exit("the canvas is not built: run `cd frontend && npm run build` first")
    before = machine()
    results: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="trellis-canvas-bench-") as data_dir,
        running_trellis_server(Path(data_dir), PASSWORD) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
            headless=not options.headed,
        )
        for size in sizes:
            print(f"measuring {size} nodes…", file=sys.stderr)
            results.append(measure_size(browser, server.url, size, options.trace))
        version = browser.version
        browser.close()
    after = {"chromium": version, "load_after": os.getloadavg()}
    report = {"machine": before | after, "goals": GOALS, "results": results}
    OUT.mkdir(exist_ok=True)
    (OUT / "canvas.json").write_text(json.dumps(report, indent=2))
    print(f"machine: {report['machine']}")
    print_tables(results)


if __name__ == "__main__":
    main()
