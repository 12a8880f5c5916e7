"""The workloads, as sizes and as Trellis graph documents (format 2).

W0 one no-op step; W1 a chain of no-op steps; W2 fan-out 1 -> N -> 1; W3 the 8-step ML pipeline.
The peers and the raw Celery floor build the same shapes from `Workload.shape`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any, Literal

Shape = Literal["single", "chain", "fan"]


@dataclass(frozen=True)
class Workload:
    name: str
    shape: Shape
    width: int  # chain length, or fan-out width

    @property
    def steps(self) -> int:
        return {"single": 1, "chain": self.width, "fan": self.width + 2}[self.shape]


@dataclass(frozen=True)
class Sizes:
    chain: int
    fan: int
    rows: int
    repeats: int


FULL = Sizes(chain=100, fan=200, rows=50_000, repeats=5)
QUICK = Sizes(chain=20, fan=20, rows=10_000, repeats=3)
REPEATS_VARIABLE = "BENCH_REPEATS"  # compare.py --repeats: fewer samples when time is short


def sizes_named(name: str) -> Sizes:
    """FULL or QUICK ("full", "quick"), with BENCH_REPEATS samples per workload if it is set."""
    sizes = QUICK if name == "quick" else FULL
    repeats = os.environ.get(REPEATS_VARIABLE)
    return dataclasses.replace(sizes, repeats=int(repeats)) if repeats else sizes


def noop_workloads(sizes: Sizes) -> list[Workload]:
    return [
        Workload("W0", "single", 1),
        Workload("W1", "chain", sizes.chain),
        Workload("W2", "fan", sizes.fan),
    ]


def edges_of(workload: Workload) -> list[tuple[str, str]]:
    """(upstream, downstream) node ids; nodes are s0..s{steps-1}, s0 the source."""
    count = workload.steps
    if workload.shape == "chain":
        return [(f"s{index}", f"s{index + 1}") for index in range(count - 1)]
    if workload.shape == "fan":
        last = f"s{count - 1}"
        middle = [f"s{index}" for index in range(1, count - 1)]
        return [("s0", node) for node in middle] + [(node, last) for node in middle]
    return []


def _node(node_id: str, module: str, **parameters: Any) -> dict[str, Any]:
    return {"id": node_id, "module": module, "version": "1", "parameters": parameters}


def _edge(source: str, source_port: str, target: str, target_port: str) -> dict[str, Any]:
    return {"source": {"node": source, "port": source_port}, "target": {"node": target, "port": target_port}}


def trellis_graph(workload: Workload, salt: str = "") -> dict[str, Any]:
    """The workload's graph; a new `salt` changes the source's output, so no step can come from a cache."""
    pairs = edges_of(workload)
    last = f"s{workload.steps - 1}"
    gathered = [source for source, target in pairs if target == last] if workload.shape == "fan" else []
    nodes = [_node("s0", "bench_source", label=f"s0{salt}")]
    for index in range(1, workload.steps):
        node_id = f"s{index}"
        is_gather = workload.shape == "fan" and index == workload.steps - 1
        nodes.append(_node(node_id, "bench_gather" if is_gather else "bench_noop", label=node_id))
    edges = []
    for source, target in pairs:
        port = f"in{gathered.index(source)}" if source in gathered else "token"
        edges.append(_edge(source, "token", target, port))
    return {"format_version": 2, "nodes": nodes, "edges": edges}


def ml_graph(rows: int, seed: int) -> dict[str, Any]:
    """W3: generate -> clean -> split -> fit scaler / apply scaler -> train -> score -> evaluate."""
    nodes = [
        _node("generate", "bench_generate", rows=rows, features=20, missing=0.05, seed=seed),
        _node("clean", "bench_clean"),
        _node("split", "bench_split", seed=seed),
        _node("fit_scaler", "bench_fit_scaler"),
        _node("apply_scaler", "bench_apply_scaler"),
        _node("train", "bench_train"),
        _node("score", "bench_score"),
        _node("evaluate", "bench_evaluate"),
    ]
    edges = [
        _edge("generate", "dataset", "clean", "dataset"),
        _edge("clean", "dataset", "split", "dataset"),
        _edge("split", "train", "fit_scaler", "dataset"),
        _edge("split", "test", "apply_scaler", "dataset"),
        _edge("fit_scaler", "scaler", "apply_scaler", "scaler"),
        _edge("fit_scaler", "dataset", "train", "dataset"),
        _edge("apply_scaler", "dataset", "score", "dataset"),
        _edge("train", "model", "score", "model"),
        _edge("score", "dataset", "evaluate", "dataset"),
    ]
    return {"format_version": 2, "nodes": nodes, "edges": edges}
