"""Where the time goes in a Chrome trace: self time of the renderer main thread's events, by phase."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

PHASES = {
    "script": (
        "FunctionCall",
        "EventDispatch",
        "TimerFire",
        "FireAnimationFrame",
        "RunMicrotasks",
        "v8.run",
        "v8.compile",
        "V8.GC_SCAVENGER",
        "MinorGC",
        "MajorGC",
        "V8.GCScavenger",
        "V8.GCFinalizeMC",
    ),
    "style": ("UpdateLayoutTree", "RecalculateStyles", "ParseAuthorStyleSheet"),
    "layout": ("Layout", "UpdateLayerTree", "HitTest", "IntersectionObserverController::computeIntersections"),
    "paint": ("PrePaint", "Paint", "PaintImage", "Layerize", "Commit", "CompositeLayers", "UpdateLayer"),
}


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int] | None:
    """The renderer main thread with the most events (the canvas page's, not about:blank's)."""
    threads = {
        (event["pid"], event["tid"])
        for event in events
        if event.get("ph") == "M"
        and event.get("name") == "thread_name"
        and event["args"].get("name") == "CrRendererMain"
    }
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for event in events:
        key = (event.get("pid"), event.get("tid"))
        if key in threads and event.get("ph") == "X":
            counts[key] += 1  # type: ignore[index]
    return max(counts, key=counts.__getitem__) if counts else None


def self_times(events: list[dict[str, Any]]) -> dict[str, float]:
    """Event name -> self time in ms (its duration less that of the events nested in it)."""
    complete = sorted(
        (event for event in events if event.get("ph") == "X" and "dur" in event), key=lambda e: (e["ts"], -e["dur"])
    )
    totals: dict[str, float] = defaultdict(float)
    stack: list[list[Any]] = []  # [name, end, duration, children's duration]

    def close() -> None:
        name, _, duration, children = stack.pop()
        totals[name] += duration - children
        if stack:
            stack[-1][3] += duration

    for event in complete:
        while stack and stack[-1][1] <= event["ts"]:
            close()
        stack.append([event["name"], event["ts"] + event["dur"], event["dur"], 0.0])
    while stack:
        close()
    return {name: micros / 1000 for name, micros in totals.items()}


def summarize_trace(trace: dict[str, Any] | list[dict[str, Any]], frames: int) -> dict[str, Any]:
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    thread = _main_thread(events)
    if thread is None:
        return {"per_frame_ms": {}, "top_events_ms": {}}
    on_main = [event for event in events if (event.get("pid"), event.get("tid")) == thread]
    selves = self_times(on_main)
    phase_of = {name: phase for phase, names in PHASES.items() for name in names}
    by_phase: dict[str, float] = defaultdict(float)
    for name, ms in selves.items():
        by_phase[phase_of.get(name, "other")] += ms
    raster = sum(event.get("dur", 0) for event in events if event.get("name") == "RasterTask") / 1000
    per_frame = {phase: round(ms / max(frames, 1), 2) for phase, ms in sorted(by_phase.items())}
    per_frame["raster (worker threads)"] = round(raster / max(frames, 1), 2)
    top = sorted(selves.items(), key=lambda item: -item[1])[:10]
    return {
        "frames": frames,
        "per_frame_ms": per_frame,
        "top_events_ms": {name: round(ms, 1) for name, ms in top},
        **busy_time(on_main),
    }


def busy_time(on_main: list[dict[str, Any]]) -> dict[str, float]:
    """Wall and CPU time of the main thread's outermost tasks: on a loaded machine the wall time
    includes the time the thread waited for a core, the CPU time (`tdur`) does not."""
    wall = cpu = 0.0
    ends_at = -1.0
    for event in sorted((e for e in on_main if e.get("ph") == "X" and "dur" in e), key=lambda e: e["ts"]):
        if event["ts"] < ends_at:
            continue  # nested in a task already counted
        ends_at = event["ts"] + event["dur"]
        wall += event["dur"]
        cpu += event.get("tdur", event["dur"])
    return {"main_thread_wall_ms": round(wall / 1000), "main_thread_cpu_ms": round(cpu / 1000)}
