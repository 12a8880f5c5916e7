"""From the drivers' samples to the Markdown tables compare.py prints."""

from __future__ import annotations

import math
import platform
from typing import Any

from bench.measure import median

Records = list[dict[str, Any]]
SYSTEM_ORDER = ("trellis-embedded", "trellis-production", "celery", "dagster", "prefect", "plain-script")
PROCESS_PARTS = ("client", "workers", "steps")  # CPU of the client, workers and forked step processes
SERVICE_PARTS = ("redis", "postgres")


def find(records: Records, system: str, workload: str) -> dict[str, Any] | None:
    return next((r for r in records if r["system"] == system and r["workload"] == workload), None)


def walls(entry: dict[str, Any] | None) -> float:
    if entry is None or "samples" not in entry:
        return math.nan
    return median(sample["wall"] for sample in entry["samples"])


def cpus(entry: dict[str, Any] | None, parts: tuple[str, ...]) -> float:
    if entry is None or "samples" not in entry:
        return math.nan
    return median(sum(sample["cpu"].get(part, 0.0) for part in parts) for sample in entry["samples"])


def extras(entry: dict[str, Any] | None, name: str) -> float:
    if entry is None or "samples" not in entry:
        return math.nan
    return median(sample["extra"][name] for sample in entry["samples"])


def per_step(records: Records, system: str, workload: str, figure: str) -> float:
    """(median Wn - median W0) / (steps - 1), in milliseconds."""
    single, many = find(records, system, "W0"), find(records, system, workload)
    if many is None or single is None or "samples" not in many:
        return math.nan
    parts = {"wall": None, "cpu": PROCESS_PARTS, "cpu+services": PROCESS_PARTS + SERVICE_PARTS}[figure]
    measure = walls if parts is None else (lambda entry: cpus(entry, parts))
    return 1000 * (measure(many) - measure(single)) / (int(many["steps"]) - 1)


def number(value: float, digits: int = 2) -> str:
    return "—" if math.isnan(value) else f"{value:.{digits}f}"


def systems_in(records: Records) -> list[str]:
    present = {r["system"] for r in records}
    return [name for name in SYSTEM_ORDER if name in present]


def errors_of(records: Records, system: str) -> list[str]:
    errors = [f"{r['workload']}: {r['error']}" for r in records if r["system"] == system and "error" in r]
    crashes = [
        f"{r['workload']}: the worker died in {r['worker_crashes']} run(s), restarted each time"
        for r in records
        if r["system"] == system and r.get("worker_crashes")
    ]
    return errors + crashes


def workload_table(records: Records) -> list[str]:
    lines = [
        "| system | W0 wall s | W1 wall s | W2 wall s | W0 CPU s | W1 CPU s | W2 CPU s | services CPU W1 s "
        "| load before / during: median (max) / after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for system in systems_in(records):
        if system == "plain-script":
            continue
        entries = [find(records, system, name) for name in ("W0", "W1", "W2")]
        cells = [number(walls(entry), 3) for entry in entries]
        cells += [number(cpus(entry, PROCESS_PARTS), 3) for entry in entries]
        cells.append(
            number(cpus(entries[1], SERVICE_PARTS), 3) if system in ("trellis-production", "celery") else "n/a"
        )
        cells.append(load_of(records, system))
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return lines


def load_of(records: Records, system: str) -> str:
    """Load average before / during (median, max) / after the system's runs."""
    entry = next((r for r in records if r["system"] == system and "load_before" in r), None)
    if entry is None:
        return "—"
    during = entry.get("load_during") or [math.nan]
    return f"{entry['load_before']:.1f} / {median(during):.1f} ({max(during):.1f}) / {entry['load_after']:.1f}"


def overhead_table(records: Records) -> list[str]:
    lines = [
        "| system | W1 wall ms/step | W1 CPU ms/step | W1 CPU+services ms/step "
        "| W2 wall ms/step | W2 CPU ms/step | W2 CPU+services ms/step |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for system in systems_in(records):
        if system == "plain-script":
            continue
        cells = [
            number(per_step(records, system, w, f), 1) for w in ("W1", "W2") for f in ("wall", "cpu", "cpu+services")
        ]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return lines


def breakdown_table(records: Records) -> list[str]:
    """Per-step CPU of each part, from W1: which process pays for a step."""
    parts = ("client", "workers", "steps", "redis", "postgres")
    lines = [
        "| system (W1) | " + " | ".join(f"{part} ms/step" for part in parts) + " |",
        "| --- | " + " | ".join("---:" for _ in parts) + " |",
    ]
    for system in systems_in(records):
        single, chain = find(records, system, "W0"), find(records, system, "W1")
        if single is None or chain is None or "samples" not in chain or "samples" not in single:
            continue
        cells = [
            number(1000 * (cpus(chain, (part,)) - cpus(single, (part,))) / (chain["steps"] - 1), 1) for part in parts
        ]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return lines


def trellis_table(records: Records) -> list[str]:
    plain = find(records, "plain-script", "W3")
    lines = [
        "| system | start-up s (W0) | W3 first run s | W3 / plain script | W3 unchanged re-run s "
        "| event latency p50 / p95 ms: channel layer | websocket client |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for system in ("trellis-embedded", "trellis-production"):
        if system not in systems_in(records):
            continue
        first = walls(find(records, system, "W3"))
        latency = [latency_cell(records, system, name) for name in ("events", "websocket-events")]
        cells = [
            number(extras(find(records, system, "W0"), "startup"), 3),
            number(first, 2),
            number(first / walls(plain), 2) + "x",
            number(walls(find(records, system, "W3-rerun")), 2),
            *latency,
        ]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    for system in ("trellis-embedded", "trellis-production"):
        first = find(records, system, "W3")
        if first is not None and "samples" in first and "in_steps" in first["samples"][0]["extra"]:
            lines.append("")
            lines.append(
                f"{system} W3 first run: {walls(first):.2f} s, of which {extras(first, 'in_steps'):.2f} s "
                "inside steps (claim to record, summed over the 8 steps)."
            )
    if plain is not None and "samples" in plain:
        lines.append("")
        lines.append(
            f"Plain script (same functions, one process, in memory): {walls(plain):.2f} s per run; "
            f"cold (new interpreter, imports {plain.get('import_seconds', math.nan):.2f} s, one run): "
            f"{plain.get('cold_seconds', math.nan):.2f} s."
        )
    return lines


RERUN_NOTES = {
    "celery": "no cache: a re-run is a first run",
    "dagster": "no cache for job ops: a re-run is a first run",
}


def w3_table(records: Records) -> list[str]:
    """W3 on every system: first run and unchanged re-run, wall and CPU (services included)."""
    plain = walls(find(records, "plain-script", "W3"))
    lines = [
        "| system | first run wall s | first run CPU s | first run / plain script | re-run wall s | re-run CPU s "
        "| load before / during: median (max) / after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    everything = PROCESS_PARTS + SERVICE_PARTS
    for system in systems_in(records):
        first, again = find(records, system, "W3"), find(records, system, "W3-rerun")
        if first is None or "samples" not in first:
            continue
        rerun = [number(walls(again), 3), number(cpus(again, everything), 3)]
        if again is None and system in RERUN_NOTES:
            rerun = [RERUN_NOTES[system], "—"]
        ratio = "1.00x" if system == "plain-script" else number(walls(first) / plain, 2) + "x"
        cells = [number(walls(first), 3), number(cpus(first, everything), 3), ratio, *rerun, load_of(records, system)]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    return lines


def latency_cell(records: Records, system: str, workload: str) -> str:
    events = find(records, system, workload)
    if system == "trellis-embedded":
        return "not measured (events go to the web process' loopback endpoint)"
    if not events or not events.get("latencies"):
        return "not measured" + (f" ({events['error']})" if events and "error" in events else "")
    values = events["latencies"]
    return f"{1000 * median(values):.1f} / {1000 * percentile(values, 95):.1f} ({len(values)} events)"


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(percent / 100 * len(ordered)) - 1))
    return ordered[index]


def verdict(value: float, limit: float) -> str:
    if math.isnan(value) or math.isnan(limit):
        return "not measured"
    return "met" if value <= limit else "missed"


def target_rows(records: Records, system: str) -> list[str]:
    rows = []
    for workload in ("W1", "W2"):
        wall, cpu = per_step(records, system, workload, "wall"), per_step(records, system, workload, "cpu+services")
        floor_wall = per_step(records, "celery", workload, "wall")
        floor_cpu = per_step(records, "celery", workload, "cpu+services")
        dagster = per_step(records, "dagster", workload, "wall")
        rows.append(
            f"| {workload} wall/step ≤ 2x raw Celery | {number(wall, 1)} ms vs {number(floor_wall, 1)} ms "
            f"| {verdict(wall, 2 * floor_wall)} |"
        )
        rows.append(
            f"| {workload} CPU/step ≤ 1.5x raw Celery | {number(cpu, 1)} ms vs {number(floor_cpu, 1)} ms "
            f"| {verdict(cpu, 1.5 * floor_cpu)} |"
        )
        rows.append(
            f"| {workload} wall/step ≥ 3x below Dagster in-process | {number(wall, 1)} ms vs "
            f"{number(dagster, 1)} ms | {verdict(wall, dagster / 3)} |"
        )
    first, plain = walls(find(records, system, "W3")), walls(find(records, "plain-script", "W3"))
    rerun = walls(find(records, system, "W3-rerun"))
    startup = extras(find(records, system, "W0"), "startup")
    rows.append(
        f"| W3 first run ≤ 1.3x plain script | {number(first)} s vs {number(plain)} s | {verdict(first, 1.3 * plain)} |"
    )
    rows.append(f"| W3 unchanged re-run < 0.3 s | {number(rerun)} s | {verdict(rerun, 0.3)} |")
    rows.append(f"| run start-up < 0.5 s | {number(startup, 3)} s | {verdict(startup, 0.5)} |")
    for workload, where in (("websocket-events", "websocket client"), ("events", "channel layer")):
        events = find(records, system, workload)
        if events and events.get("latencies"):
            p95 = percentile(events["latencies"], 95)
            rows.append(f"| event latency p95 < 50 ms ({where}) | {1000 * p95:.1f} ms | {verdict(p95, 0.05)} |")
    return [f"| {system}: target | measured | |", "| --- | --- | --- |", *rows]


def render(records: Records, quick: bool, seconds: float) -> str:
    lines = [
        f"# Trellis beside its peers ({'--quick' if quick else 'full'} run, {seconds:.0f} s, "
        f"Python {platform.python_version()})",
        "",
        "## Workloads (medians)",
        *workload_table(records),
        "",
        "## Per-step overhead = (median Wn - median W0) / (steps - 1)",
        *overhead_table(records),
        "",
        "## Per-step CPU by process (client: the submitter/poller; workers: Celery main and pool processes;"
        " steps: forked step processes; redis, postgres: the shared servers)",
        *breakdown_table(records),
        "",
        "## W3, the 8-step ML pipeline (medians; CPU includes Redis and PostgreSQL for Trellis production and Celery)",
        *w3_table(records),
        "",
        "## Trellis only",
        *trellis_table(records),
    ]
    for system in ("trellis-embedded", "trellis-production"):
        if system in systems_in(records):
            lines += ["", *target_rows(records, system)]
    failures = [(system, errors_of(records, system)) for system in systems_in(records)]
    failures = [(system, errors) for system, errors in failures if errors]
    if failures:
        lines += ["", "## Errors"]
        lines += [f"- {system} {error}" for system, errors in failures for error in errors]
    return "\n".join(lines)
